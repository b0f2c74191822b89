package httpx

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"minesafe/internal/fail"
)

func TestDecode(t *testing.T) {
	type body struct {
		Name string `json:"name"`
		N    int    `json:"n"`
	}
	cases := []struct {
		in   string
		kind fail.Kind
	}{
		{`{"name":"a","n":1}`, 0},
		{`{"name":"a","x":1}`, fail.BadRequest},
		{`{"name":`, fail.BadRequest},
		{``, fail.BadRequest},
		{`{"n":"one"}`, fail.BadRequest},
		{`{"name":"a"} {"name":"b"}`, fail.BadRequest},
		{`{"name":"` + strings.Repeat("x", MaxBody) + `"}`, fail.TooLarge},
	}
	for i, c := range cases {
		r := httptest.NewRequest("POST", "/", strings.NewReader(c.in))
		var b body
		err := Decode(httptest.NewRecorder(), r, &b)
		if c.kind == 0 {
			if err != nil {
				t.Errorf("case %d: %v", i, err)
			}
			continue
		}
		if !fail.Is(err, c.kind) {
			t.Errorf("case %d: got %v, want kind %d", i, err, c.kind)
		}
	}
}

func TestParseList(t *testing.T) {
	r := httptest.NewRequest("GET", "/?limit=10&offset=5&sort=-name&include_archived=true&q=%20x%20", nil)
	p, err := ParseList(r, []string{"name", "id"}, "id")
	if err != nil {
		t.Fatal(err)
	}
	if p.Limit != 10 || p.Offset != 5 || p.SortField != "name" || !p.SortDesc || !p.IncludeArchived || p.Q != "x" {
		t.Fatalf("%+v", p)
	}
	if got := p.OrderBy(map[string]string{"name": "m.name"}, "m.id"); got != "ORDER BY m.name DESC, m.id" {
		t.Fatalf("order %q", got)
	}
	r = httptest.NewRequest("GET", "/?limit=1001&sort=drop", nil)
	_, err = ParseList(r, []string{"name"}, "")
	e, ok := fail.As(err)
	if !ok || e.Fields["limit"] == "" || e.Fields["sort"] == "" {
		t.Fatalf("want limit and sort errors, got %v", err)
	}
}

func TestErrorEnvelope(t *testing.T) {
	w := httptest.NewRecorder()
	Error(w, httptest.NewRequest("GET", "/", nil), fail.Invalidf("uscc", "bad check digit"))
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `"fields":{"uscc":"bad check digit"}`) {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
}
