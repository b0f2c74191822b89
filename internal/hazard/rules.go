package hazard

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"minesafe/internal/fail"
)

// RulesKind is the rule-set kind of the register's and the loop's numbers:
// the risk bands and the supervision settings. Risks record the version
// that graded them.
const RulesKind = "hazard_rules"

// Rules are the editable numbers of this capability.
type Rules struct {
	Risk        RiskRules   `json:"risk"`
	Supervision Supervision `json:"supervision"`
}

// RiskRules grade a risk's score into the four colours.
type RiskRules struct {
	// LS: L (likelihood) and S (severity) are whole numbers from 1 to
	// LSMax; the score is L×S.
	LS    Bands `json:"ls"`
	LSMax int   `json:"ls_max"`
	// LEC: D = L×E×C, each factor one of the listed values of the method's
	// tables (L 可能性, E 暴露频繁程度, C 后果).
	LEC       Bands     `json:"lec"`
	LECValues LECValues `json:"lec_values"`
}

// LECValues are the allowed values of the LEC factors.
type LECValues struct {
	L []float64 `json:"l"`
	E []float64 `json:"e"`
	C []float64 `json:"c"`
}

// Bands are the lower bounds of red, orange and yellow; a lower score is
// blue. Inclusive: a score equal to a bound reaches its colour (L×S ≥ 20);
// otherwise it must exceed it (LEC D > 320).
type Bands struct {
	Red       float64 `json:"red"`
	Orange    float64 `json:"orange"`
	Yellow    float64 `json:"yellow"`
	Inclusive bool    `json:"inclusive"`
}

// Supervision sets the daily job (docs/hazards.md).
type Supervision struct {
	// An overdue hazard is escalated to the county regulator on the first
	// day past its deadline, and on to the city when it is still overdue
	// this many days after that.
	CityAfterDays int `json:"city_after_days"`
	// Overdue major hazards go to the city at once.
	MajorOverdueToCity bool `json:"major_overdue_to_city"`
	// A major hazard is supervised (挂牌督办) when overdue, or when still
	// unrectified this many days after it was reported.
	SuperviseOpenDays int `json:"supervise_open_days"`
}

// DefaultRules are the shipped values (version 1). The LEC bands are the
// method's standard ones; the L×S bands and the supervision numbers are
// defaults to be confirmed by the regulator (docs/hazards.md).
func DefaultRules() Rules {
	return Rules{
		Risk: RiskRules{
			LS:    Bands{Red: 20, Orange: 12, Yellow: 6, Inclusive: true},
			LSMax: 5,
			LEC:   Bands{Red: 320, Orange: 160, Yellow: 70},
			LECValues: LECValues{
				L: []float64{0.1, 0.2, 0.5, 1, 3, 6, 10},
				E: []float64{0.5, 1, 2, 3, 6, 10},
				C: []float64{1, 3, 7, 15, 40, 100},
			},
		},
		Supervision: Supervision{CityAfterDays: 7, MajorOverdueToCity: true, SuperviseOpenDays: 30},
	}
}

// Level answers the colour of a score.
func (b Bands) Level(score float64) string {
	reach := func(bound float64) bool {
		if b.Inclusive {
			return score >= bound
		}
		return score > bound
	}
	switch {
	case reach(b.Red):
		return "red"
	case reach(b.Orange):
		return "orange"
	case reach(b.Yellow):
		return "yellow"
	}
	return "blue"
}

// String writes the bands as a refusal explains them.
func (b Bands) String() string {
	op := ">"
	if b.Inclusive {
		op = "≥"
	}
	return fmt.Sprintf("red %s %g, orange %s %g, yellow %s %g, otherwise blue", op, b.Red, op, b.Orange, op, b.Yellow)
}

// Validate answers a 422 naming every bad number.
func (r Rules) Validate() error {
	f := fail.Fields{}
	for name, b := range map[string]Bands{"risk.ls": r.Risk.LS, "risk.lec": r.Risk.LEC} {
		if !(b.Red > b.Orange && b.Orange > b.Yellow && b.Yellow > 0) {
			f.Add(name, "bounds must fall: red > orange > yellow > 0")
		}
	}
	if r.Risk.LSMax < 2 || r.Risk.LSMax > 10 {
		f.Add("risk.ls_max", "must be from 2 to 10")
	}
	for name, vs := range map[string][]float64{"risk.lec_values.l": r.Risk.LECValues.L, "risk.lec_values.e": r.Risk.LECValues.E, "risk.lec_values.c": r.Risk.LECValues.C} {
		if len(vs) == 0 || slices.ContainsFunc(vs, func(v float64) bool { return !(v > 0) || math.IsInf(v, 0) }) {
			f.Add(name, "must list the allowed values, each above 0")
		}
	}
	if r.Supervision.CityAfterDays < 1 {
		f.Add("supervision.city_after_days", "must be 1 or more")
	}
	if r.Supervision.SuperviseOpenDays < 1 {
		f.Add("supervision.supervise_open_days", "must be 1 or more")
	}
	return f.Err()
}

// Score grades an assessment: it answers the score and the level, or the
// problems of the scores (field → reason).
func (r RiskRules) Score(method string, l, s, e, c *float64) (float64, string, fail.Fields) {
	f := fail.Fields{}
	need := func(name string, v *float64) float64 {
		if v == nil {
			f.Add(name, "is required for method %s", method)
			return 0
		}
		return *v
	}
	refuse := func(name string, v *float64) {
		if v != nil {
			f.Add(name, "is not a factor of method %s", method)
		}
	}
	switch method {
	case MethodLS:
		refuse("e", e)
		refuse("c", c)
		lv, sv := need("l", l), need("s", s)
		for name, v := range map[string]*float64{"l": l, "s": s} {
			if v != nil && (*v != math.Trunc(*v) || *v < 1 || *v > float64(r.LSMax)) {
				f.Add(name, "must be a whole number from 1 to %d", r.LSMax)
			}
		}
		if len(f) > 0 {
			return 0, "", f
		}
		return lv * sv, r.LS.Level(lv * sv), nil
	case MethodLEC:
		refuse("s", s)
		lv, ev, cv := need("l", l), need("e", e), need("c", c)
		for _, x := range []struct {
			name    string
			v       *float64
			allowed []float64
		}{{"l", l, r.LECValues.L}, {"e", e, r.LECValues.E}, {"c", c, r.LECValues.C}} {
			if x.v != nil && !slices.Contains(x.allowed, *x.v) {
				f.Add(x.name, "must be one of %s", joinFloats(x.allowed))
			}
		}
		if len(f) > 0 {
			return 0, "", f
		}
		d := math.Round(lv*ev*cv*1000) / 1000 // 0.1 × 0.5 × … without float dust
		return d, r.LEC.Level(d), nil
	}
	f.Add("method", "must be ls (L×S risk matrix) or lec (D = L×E×C)")
	return 0, "", f
}

func (r RiskRules) bands(method string) Bands {
	if method == MethodLEC {
		return r.LEC
	}
	return r.LS
}

func joinFloats(vs []float64) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = fmt.Sprintf("%g", v)
	}
	return strings.Join(s, ", ")
}
