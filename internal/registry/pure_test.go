package registry

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestUSCC(t *testing.T) {
	for _, code := range []string{"91350100M000100Y43", "91110000802100433B", "91440300708461136T"} {
		if err := ValidUSCC(code); err != nil {
			t.Errorf("%s: %v", code, err)
		}
	}
	cases := []struct{ code, want string }{
		{"91350100M000100Y4", "must be 18 characters, not 17"},
		{"91350100M000100Y431", "must be 18 characters, not 19"},
		{"91350100I000100Y43", "not allowed at position 9"},
		{"9135010中M000100Y43", "not allowed at position 8"},
		{"91350100M000100Y4I", "not allowed at position 18"},
		{"91350100M000100Y44", "check digit (position 18) should be 3, not 4"},
		{"", "must be 18 characters, not 0"},
	}
	for _, c := range cases {
		err := ValidUSCC(c.code)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.code, err, c.want)
		}
	}
	// The check character is 31 − (Σ mod 31), with 31 written as 0.
	for _, first := range []string{"91350100M000100Y4", "00000000000000000", "Y0000000000000000"} {
		ch, err := USCCCheckChar(first)
		if err != nil {
			t.Fatal(err)
		}
		if err := ValidUSCC(first + string(ch)); err != nil {
			t.Errorf("%s%c: %v", first, ch, err)
		}
	}
	if ch, _ := USCCCheckChar("00000000000000000"); ch != '0' {
		t.Errorf("all zeros: check %c, want 0 (31 is written 0)", ch)
	}
	if _, err := USCCCheckChar("123"); err == nil {
		t.Error("short prefix accepted")
	}
}

func TestGradeTailings(t *testing.T) {
	rule := DefaultTailingsRule()
	// H below 30 m (grade 5 by height) unless said otherwise.
	cases := []struct {
		v, h float64
		want int
		why  string
	}{
		{50000, 200, 1, "both at the grade-1 bounds"},
		{49999.9, 199.9, 2, "both just below"},
		{10000, 100, 2, "grade-2 bounds"},
		{9999, 99, 3, "just below grade 2"},
		{1000, 60, 3, "grade-3 bounds"},
		{999, 59.9, 4, "just below grade 3"},
		{100, 30, 4, "grade-4 bounds"},
		{99.9, 29.9, 5, "just below grade 4"},
		{0.1, 0.1, 5, "tiny"},
		{50000, 100, 1, "1 and 2 are one apart: the higher"},
		{10000, 200, 1, "2 and 1 are one apart: the higher"},
		{1000, 30, 3, "3 and 4: the higher"},
		{100, 29, 4, "4 and 5: the higher"},
		{50000, 60, 2, "1 and 3: more than one apart, higher minus one"},
		{50000, 10, 2, "1 and 5: higher minus one"},
		{10, 200, 2, "5 and 1: higher minus one"},
		{10000, 30, 3, "2 and 4: higher minus one"},
		{1000, 10, 4, "3 and 5: higher minus one"},
		{100, 100, 3, "4 and 2: higher minus one"},
	}
	for _, c := range cases {
		if got := GradeTailings(rule, c.v, c.h); got != c.want {
			t.Errorf("V=%g H=%g (%s): grade %d, want %d", c.v, c.h, c.why, got, c.want)
		}
	}
}

func TestTailingsRuleValidate(t *testing.T) {
	if err := DefaultTailingsRule().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []TailingsRule{
		{Capacity10kM3: []float64{1, 2, 3, 4}, DamHeightM: []float64{4, 3, 2, 1}},
		{Capacity10kM3: []float64{4, 3, 2}, DamHeightM: []float64{4, 3, 2, 1}},
		{Capacity10kM3: []float64{4, 3, 2, 0}, DamHeightM: []float64{4, 3, 2, 1}},
		{Capacity10kM3: []float64{4, 3, 3, 1}, DamHeightM: []float64{4, 3, 2, 1}},
	}
	for i, r := range bad {
		if err := r.Validate(); err == nil || !strings.Contains(err.Error(), "capacity_10k_m3") {
			t.Errorf("case %d: %v", i, err)
		}
	}
}

func TestGradePondRaise(t *testing.T) {
	rule := DefaultTailingsRule()
	in := TailingsInput{TailingsFields: TailingsFields{Capacity10kM3: 500, FinalCapacity10kM3: 2000, DamHeightM: 40, FinalDamHeightM: 70,
		Method: "upstream", GradeRaised: true, GradeRaiseReason: "村庄 800 m downstream"}}
	f := map[string]string{}
	pond := gradePond(in, rule, 3, f)
	if len(f) != 0 || pond.ComputedGrade != 4 || pond.Grade != 3 || pond.DesignGrade != 3 || pond.GradeRuleVersion != 3 || !pond.Wet {
		t.Fatalf("%v %+v", f, pond)
	}
	in.GradeRaiseReason = ""
	in.Capacity10kM3, in.DamHeightM = 10000, 100 // grade 2: a raise would reach grade 1
	gradePond(in, rule, 1, f)
	if f["tailings.grade_raise_reason"] == "" || f["tailings.grade_raised"] == "" {
		t.Fatalf("raise problems not named: %v", f)
	}
}

func TestPatchFloat(t *testing.T) {
	var p MinePatch
	if err := json.Unmarshal([]byte(`{"capacity":null,"mining_depth_m":120}`), &p); err != nil {
		t.Fatal(err)
	}
	if !p.Capacity.Set || p.Capacity.Value != nil {
		t.Errorf("null: %+v", p.Capacity)
	}
	if !p.MiningDepthM.Set || *p.MiningDepthM.Value != 120 {
		t.Errorf("number: %+v", p.MiningDepthM)
	}
	if p.Tailings != nil || (MinePatch{}).Capacity.Set {
		t.Error("absent fields set")
	}
	name := "x"
	b, err := json.Marshal(MinePatch{Name: &name, Capacity: ClearFloat(), MiningDepthM: SetFloat(5)})
	if err != nil || string(b) != `{"name":"x","capacity":null,"mining_depth_m":5}` {
		t.Errorf("marshal: %v %s", err, b)
	}
}
