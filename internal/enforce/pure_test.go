package enforce_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"minesafe/internal/alarm"
	"minesafe/internal/app"
	"minesafe/internal/auth/authapi"
	"minesafe/internal/enforce"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
)

// The draw is what its documentation says, so anyone can redo it by hand.
func TestDrawByHand(t *testing.T) {
	cands := []enforce.Candidate{{1, "150725100003"}, {2, "150725100001"}, {3, "150725300002"}, {4, "150725200009"}}
	seed := "2026年第二季度 双随机 摇号"
	hash := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	codes := []string{"150725100001", "150725100003", "150725200009", "150725300002"}
	if got := enforce.CandidateHash(cands); got != hash(strings.Join(codes, "\n")) {
		t.Fatalf("candidate hash %s", got)
	}
	byRank := slices.Clone(codes)
	sort.Slice(byRank, func(i, j int) bool { return hash(seed+"\n"+byRank[i]) < hash(seed+"\n"+byRank[j]) })
	pool := []enforce.Inspector{{"甲", "A1"}, {"乙", "B2"}, {"丙", "C3"}}
	got := enforce.DrawMines(seed, cands, 2, pool, 2)
	if len(got) != 2 || got[0].Code != byRank[0] || got[1].Code != byRank[1] {
		t.Fatalf("drawn %+v, by hand %v", got, byRank)
	}
	certs := []string{"A1", "B2", "C3"}
	sort.Slice(certs, func(i, j int) bool {
		return hash(seed+"\n"+got[0].Code+"\n"+certs[i]) < hash(seed+"\n"+got[0].Code+"\n"+certs[j])
	})
	if got[0].Inspectors[0].CertificateNo != certs[0] || got[0].Inspectors[1].CertificateNo != certs[1] {
		t.Fatalf("inspectors %+v, by hand %v", got[0].Inspectors, certs)
	}
	// The order the candidates come in does not matter.
	rev := slices.Clone(cands)
	slices.Reverse(rev)
	again := enforce.DrawMines(seed, rev, 2, pool, 2)
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(again)
	if string(a) != string(b) {
		t.Fatalf("order changed the draw: %s vs %s", a, b)
	}
	if other := enforce.DrawMines("another seed", cands, 4, nil, 0); len(other) != 4 || other[0].Inspectors != nil {
		t.Fatalf("all drawn %+v", other)
	}
}

func TestRangeEdges(t *testing.T) {
	r := enforce.Range{MinYuan: 20000, MaxYuan: 35000}
	for amount, in := range map[int64]bool{19999: false, 20000: true, 27500: true, 35000: true, 35001: false} {
		if r.Contains(amount) != in {
			t.Errorf("%d inside: %v", amount, !in)
		}
	}
}

func TestDefaultRiskClass(t *testing.T) {
	coal := registry.Mine{MineFields: registry.MineFields{Kind: registry.KindCoalUnderground, Status: "producing"}}
	for _, c := range []struct {
		m     func(registry.Mine) registry.Mine
		alarm string
		want  string
	}{
		{func(m registry.Mine) registry.Mine { return m }, "", enforce.RiskHigh},
		{func(m registry.Mine) registry.Mine { m.GasClass = "outburst"; return m }, "", enforce.RiskMajor},
		{func(m registry.Mine) registry.Mine { m.GasClass = "outburst"; return m }, "red", enforce.RiskMajor},
		{func(m registry.Mine) registry.Mine { m.Kind = registry.KindMetalOpenpit; return m }, "", enforce.RiskMedium},
		{func(m registry.Mine) registry.Mine { m.Kind = registry.KindMetalOpenpit; return m }, "orange", enforce.RiskHigh},
		{func(m registry.Mine) registry.Mine { m.Kind = registry.KindMetalOpenpit; return m }, "yellow", enforce.RiskMedium},
		{func(m registry.Mine) registry.Mine { m.Status = "closed"; return m }, "", enforce.RiskLow},
		{func(m registry.Mine) registry.Mine { m.Status = "halted"; return m }, "", enforce.RiskHigh},
		{func(m registry.Mine) registry.Mine {
			m.Kind, m.Tailings = registry.KindTailingsPond, &registry.Tailings{Grade: 2}
			return m
		}, "", enforce.RiskMajor},
	} {
		got, why := enforce.DefaultRiskClass(c.m(coal), c.alarm)
		if got != c.want || !strings.HasPrefix(why, "default: ") {
			t.Errorf("%+v with %q: %s (%s), want %s", c.m(coal).MineFields, c.alarm, got, why, c.want)
		}
	}
}

// The shipped defaults pass their own validation: publishing them again
// as a new version is accepted (checked over HTTP in the other tests); here
// every violation type's ranges are ordered and cover every circumstance.
func TestDefaultDiscretion(t *testing.T) {
	d := enforce.DefaultDiscretion()
	for _, code := range []string{"monitoring_not_working", "over_capacity", "hazard_not_eliminated", "uncertified_special_worker"} {
		v, ok := d.Type(code)
		if !ok {
			t.Fatalf("no %s", code)
		}
		for _, c := range []string{enforce.Light, enforce.General, enforce.Serious} {
			r, _ := v.Range(c)
			if r.MinYuan <= 0 || r.MinYuan > r.MaxYuan {
				t.Errorf("%s %s: %+v", code, c, r)
			}
		}
		if v.Light.MaxYuan > v.General.MinYuan || v.General.MaxYuan > v.Serious.MinYuan || v.RangeConfidence != "M" {
			t.Errorf("%s: bands not in order or not marked as defaults: %+v", code, v)
		}
	}
	for _, kind := range []string{"coal_underground", "coal_openpit", "metal_underground", "metal_openpit", "tailings_pond"} {
		if len(enforce.DefaultChecklists()[kind]) < 5 {
			t.Errorf("checklist of %s too short", kind)
		}
	}
}

// The fragment documents every route, only those, and merges into the
// app's document with every reference resolved.
func TestOpenAPI(t *testing.T) {
	r := httpx.NewRouter(nil)
	enforce.NewService(nil, nil, nil, nil, nil, enforce.Options{}).Routes(r)
	var frag struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(enforce.OpenAPI, &frag); err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, rt := range r.Routes() {
		served[rt.Method+" "+rt.Path] = true
		if _, ok := frag.Paths[rt.Path][strings.ToLower(rt.Method)]; !ok {
			t.Errorf("%s %s is not in openapi.yaml", rt.Method, rt.Path)
		}
	}
	for path, ops := range frag.Paths {
		for method := range ops {
			if method != "parameters" && !served[strings.ToUpper(method)+" "+path] {
				t.Errorf("openapi.yaml lists %s %s, which no route serves", method, path)
			}
		}
	}
	doc, err := app.BuildOpenAPI(map[string][]byte{"auth": authapi.OpenAPI, "registry": registry.OpenAPI, "alarm": alarm.OpenAPI, "enforce": enforce.OpenAPI})
	if err != nil {
		t.Fatal(err)
	}
	var merged map[string]any
	if err := json.Unmarshal(doc, &merged); err != nil {
		t.Fatal(err)
	}
	comps := merged["components"].(map[string]any)
	for _, ref := range regexp.MustCompile(`"#/components/(\w+)/(\w+)"`).FindAllStringSubmatch(string(enforce.OpenAPI), -1) {
		if kind, ok := comps[ref[1]].(map[string]any); !ok || kind[ref[2]] == nil {
			t.Errorf("%s/%s is referred to but not defined", ref[1], ref[2])
		}
	}
	for name := range comps["schemas"].(map[string]any) {
		if strings.Contains(string(enforce.OpenAPI), "\n    "+name+":") && !strings.HasPrefix(name, "Enforce") {
			t.Errorf("schema %s of the fragment is not prefixed Enforce", name)
		}
	}
}
