package hazard

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
)

func shipped(t *testing.T) *Document {
	t.Helper()
	d, err := parseDocument(shippedCriteria)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.validate(); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestShippedCatalogue(t *testing.T) {
	d := shipped(t)
	want := map[string]int{IndustryCoal: 15, IndustryMetalUnderground: 32, IndustryMetalOpenpit: 13, IndustryTailings: 19}
	for ind, n := range want {
		_, cats := d.sectionOf(ind)
		if len(cats) != n {
			t.Errorf("%s: %d categories, want %d", ind, len(cats), n)
		}
	}
	_, coal := d.sectionOf(IndustryCoal)
	cases := 0
	for i, c := range coal {
		cases += len(c.Items)
		if c.Article == nil || *c.Article != i+4 {
			t.Errorf("%s article %v, want %d", c.Code, c.Article, i+4)
		}
	}
	if cases != 80 {
		t.Errorf("coal cases %d, want 80", cases)
	}
	if c := coal[4]; c.Code != "C5" || c.Ref != "第八条" || c.Items[1].Code != "C5.2" || c.Items[1].Ref != "第八条(二)" || c.Citable {
		t.Errorf("C5 %+v", c)
	}
	_, mu := d.sectionOf(IndustryMetalUnderground)
	if mu[2].Code != "MU3" || !mu[2].Citable || mu[2].Ref != "一、(三)" || mu[2].Article != nil {
		t.Errorf("MU3 %+v", mu[2])
	}
	unverifiedRows := 0
	for _, c := range mu {
		if c.Unverified != (c.Confidence == "R" || c.Confidence == "P") {
			t.Errorf("%s confidence %s unverified %v", c.Code, c.Confidence, c.Unverified)
		}
		if c.Unverified {
			unverifiedRows++
		}
	}
	if unverifiedRows == 0 {
		t.Error("the metal catalogue has recalled rows; none is marked unverified")
	}
}

func TestResolveCodes(t *testing.T) {
	d := shipped(t)
	for _, tc := range []struct{ industry, code, err, text string }{
		{IndustryCoal, "C5.2", "", "通风系统不完善、不可靠："},
		{IndustryCoal, "C15.10", "", "露天煤矿边坡角大于设计最大值"},
		{IndustryCoal, "C5", "cite one of them (C5.1 … C5.10)", ""},
		{IndustryCoal, "C16", "no category C16", ""},
		{IndustryCoal, "C1.7", "C1 has 6 cases, not 7", ""},
		{IndustryCoal, "MU3", "is in the metal_underground catalogue", ""},
		{IndustryMetalUnderground, "MU3", "", "相邻矿山井巷相互贯通"},
		{IndustryMetalUnderground, "MU1.5", "", "安全出口存在下列情形之一的："},
		{IndustryMetalOpenpit, "MO7.1", "", "200米"},
		{IndustryTailings, "T1", "", "库区或者尾矿坝"},
		{IndustryTailings, "T2", "cite one of them", ""},
		{IndustryCoal, "c5.2", "not a catalogue code", ""},
		{IndustryCoal, "C05", "not a catalogue code", ""},
	} {
		c, err := d.resolve(tc.industry, tc.code)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s %s: error %v, want %q", tc.industry, tc.code, err, tc.err)
		case tc.err == "" && err != nil:
			t.Errorf("%s %s: %v", tc.industry, tc.code, err)
		case tc.err == "" && (c.Code != tc.code || !strings.Contains(c.Text, tc.text) || c.Confidence == ""):
			t.Errorf("%s %s: %+v", tc.industry, tc.code, c)
		}
	}
}

func TestCatalogueValidationAndMerge(t *testing.T) {
	prev := shipped(t)
	// A coal-only version: the 88号 sections carry over.
	var next Document
	raw, _ := json.Marshal(map[string]any{"coal": prev.Coal})
	if err := json.Unmarshal(raw, &next); err != nil {
		t.Fatal(err)
	}
	next.Coal = append([]CoalCategory(nil), next.Coal...)
	next.Coal[0].Cases = append([]string{"新增情形"}, next.Coal[0].Cases...)
	next.Coal[0].CaseConfidence = append([]string{"V"}, next.Coal[0].CaseConfidence...)
	next.merge(prev)
	if err := next.validate(); err != nil {
		t.Fatal(err)
	}
	if len(next.Tailings) != 19 || len(next.Coal[0].Cases) != 7 {
		t.Fatalf("merged %d tailings, %d C1 cases", len(next.Tailings), len(next.Coal[0].Cases))
	}
	bad := *prev
	bad.Coal = append([]CoalCategory(nil), prev.Coal...)
	bad.Coal[1].CaseConfidence = []string{"V"}
	bad.Coal[2].TitleConfidence = "X"
	bad.Coal[3].No = bad.Coal[2].No
	bad.MetalOpenpit = []Item{}
	e, ok := fail.As(bad.validate())
	if !ok {
		t.Fatal("invalid document accepted")
	}
	for _, field := range []string{"coal[1].case_confidence", "coal[2].title_confidence", "coal[3].no", "metal_openpit"} {
		if _, ok := e.Fields[field]; !ok {
			t.Errorf("no complaint about %s: %v", field, e.Fields)
		}
	}
}

func TestRiskScores(t *testing.T) {
	r := DefaultRules().Risk
	f := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		method     string
		l, s, e, c *float64
		score      float64
		level      string
		bad        string
	}{
		{MethodLS, f(4), f(5), nil, nil, 20, "red", ""},
		{MethodLS, f(5), f(5), nil, nil, 25, "red", ""},
		{MethodLS, f(4), f(4), nil, nil, 16, "orange", ""},
		{MethodLS, f(3), f(4), nil, nil, 12, "orange", ""},
		{MethodLS, f(2), f(5), nil, nil, 10, "yellow", ""},
		{MethodLS, f(2), f(3), nil, nil, 6, "yellow", ""},
		{MethodLS, f(1), f(5), nil, nil, 5, "blue", ""},
		{MethodLS, f(6), f(1), nil, nil, 0, "", "l"},
		{MethodLS, f(2.5), f(1), nil, nil, 0, "", "l"},
		{MethodLS, f(2), nil, nil, nil, 0, "", "s"},
		{MethodLS, f(2), f(2), f(3), nil, 0, "", "e"},
		{MethodLEC, f(10), f(2), f(6), f(40), 0, "", "s"},
		{MethodLEC, f(10), nil, f(6), f(40), 2400, "red", ""},
		{MethodLEC, f(6), nil, f(6), f(7), 252, "orange", ""},
		{MethodLEC, f(1), nil, f(6), f(40), 240, "orange", ""},
		{MethodLEC, f(1), nil, f(10), f(15), 150, "yellow", ""},
		{MethodLEC, f(0.5), nil, f(6), f(15), 45, "blue", ""},
		{MethodLEC, f(3), nil, f(6), f(7), 126, "yellow", ""},
		{MethodLEC, f(4), nil, f(6), f(7), 0, "", "l"},
		{"x", f(1), f(1), nil, nil, 0, "", "method"},
	} {
		score, level, bad := r.Score(tc.method, tc.l, tc.s, tc.e, tc.c)
		if tc.bad != "" {
			if _, ok := bad[tc.bad]; !ok {
				t.Errorf("%s %v: want a complaint about %s, got %v", tc.method, tc, tc.bad, bad)
			}
			continue
		}
		if len(bad) > 0 || score != tc.score || level != tc.level {
			t.Errorf("%s: score %g level %s (%v), want %g %s", tc.method, score, level, bad, tc.score, tc.level)
		}
	}
	// The LEC bounds are exclusive: D = 160 is yellow, 320 orange.
	if l := r.LEC.Level(160); l != "yellow" {
		t.Errorf("LEC 160 is %s", l)
	}
	if l := r.LEC.Level(320); l != "orange" {
		t.Errorf("LEC 320 is %s", l)
	}
	if err := DefaultRules().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := DefaultRules()
	bad.Risk.LS.Orange = 30
	bad.Supervision.CityAfterDays = 0
	if e, ok := fail.As(bad.Validate()); !ok || e.Fields["risk.ls"] == "" || e.Fields["supervision.city_after_days"] == "" {
		t.Fatalf("bad rules: %v", bad.Validate())
	}
}

func TestOverdueAndLoops(t *testing.T) {
	// 2026-06-10 ends at 2026-06-10T16:00Z.
	end := time.Date(2026, 6, 10, 16, 0, 0, 0, time.UTC)
	if late, _ := overdue(StateRectifying, "2026-06-10", end.Add(-time.Second)); late {
		t.Error("overdue before 24:00 Shanghai")
	}
	if late, days := overdue(StateRectifying, "2026-06-10", end); !late || days != 1 {
		t.Errorf("at 24:00: overdue %v, %d days", late, days)
	}
	if late, _ := overdue(StateRectified, "2026-06-10", end.Add(48*time.Hour)); late {
		t.Error("a rectified hazard is not overdue")
	}
	mine := &auth.Principal{Role: auth.RoleEnterprise}
	if _, err := MajorLoop.Step(StateRectified, "verify", mine); !fail.Is(err, fail.Forbidden) || !strings.Contains(err.Error(), "major hazard") {
		t.Errorf("mine verifying a major hazard: %v", err)
	}
	if to, err := GeneralLoop.Step(StateRectified, "verify", mine); err != nil || to != StateVerified {
		t.Errorf("mine verifying a general hazard: %s %v", to, err)
	}
	if _, err := MajorLoop.Step(StateVerified, "close", &auth.Principal{Role: auth.RoleInspector}); !fail.Is(err, fail.Forbidden) {
		t.Errorf("inspector closing: %v", err)
	}
	if _, err := GeneralLoop.Step(StateReported, "verify", mine); !fail.Is(err, fail.Conflict) {
		t.Errorf("verify from reported: %v", err)
	}
	if chineseNumber(32) != "三十二" || chineseNumber(10) != "十" || chineseNumber(18) != "十八" {
		t.Error("chinese numbers")
	}
}
