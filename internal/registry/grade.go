package registry

import "minesafe/internal/fail"

// TailingsGradeKind is the ruleset kind of the pond grading thresholds.
const TailingsGradeKind = "tailings_grade"

// tailingsDefaultNote travels with version 1 so the UI can label the values
// as defaults (regulations.md §5.2 marks the table body [M]).
const tailingsDefaultNote = "[M] defaults from GB 50863-2013 §3.3.1 (as kept by GB 39496-2020); the table body is not verified against the official text: confirm and publish a new version"

// TailingsRule is the rule data of kind "tailings_grade": the lower bounds
// of grades 1 to 4 for the total storage V (万m³) and the dam height H (m),
// highest grade first; below the last bound a pond is grade 5.
type TailingsRule struct {
	Capacity10kM3 []float64 `json:"capacity_10k_m3"`
	DamHeightM    []float64 `json:"dam_height_m"`
}

// DefaultTailingsRule answers version 1 of the rule.
func DefaultTailingsRule() TailingsRule {
	return TailingsRule{
		Capacity10kM3: []float64{50000, 10000, 1000, 100},
		DamHeightM:    []float64{200, 100, 60, 30},
	}
}

// Validate checks that each list holds four positive bounds, strictly
// decreasing, so every value falls in exactly one grade.
func (r TailingsRule) Validate() error {
	f := fail.Fields{}
	checkBounds(f, "capacity_10k_m3", r.Capacity10kM3)
	checkBounds(f, "dam_height_m", r.DamHeightM)
	return f.Err()
}

func checkBounds(f fail.Fields, field string, b []float64) {
	if len(b) != 4 {
		f.Add(field, "must hold 4 lower bounds (grades 1 to 4), not %d", len(b))
		return
	}
	for i, v := range b {
		if !(v > 0) || (i > 0 && v >= b[i-1]) {
			f.Add(field, "bounds must be positive and strictly decreasing (grade 1 first)")
			return
		}
	}
}

// GradeTailings answers the 等别 (1 highest … 5) of a pond with storage v
// (万m³) and dam height h (m): each is graded on its own (at or above a
// bound is that grade); results one grade apart give the higher grade, more
// than one apart the higher grade lowered by one.
func GradeTailings(rule TailingsRule, v, h float64) int {
	gv, gh := gradeBy(rule.Capacity10kM3, v), gradeBy(rule.DamHeightM, h)
	high, low := min(gv, gh), max(gv, gh)
	if low-high > 1 {
		return high + 1
	}
	return high
}

func gradeBy(bounds []float64, x float64) int {
	for i, b := range bounds {
		if x >= b {
			return i + 1
		}
	}
	return len(bounds) + 1
}

// gradePond grades a validated pond input by rule (version), recording
// problems with a raise in f: a raise (论证) lifts the grade one step and
// needs a reason, and never makes a pond grade 1.
func gradePond(in TailingsInput, rule TailingsRule, version int, f fail.Fields) *Tailings {
	t := &Tailings{TailingsFields: in.TailingsFields, Wet: in.Wet == nil || *in.Wet, GradeRuleVersion: version}
	t.ComputedGrade = GradeTailings(rule, t.Capacity10kM3, t.DamHeightM)
	t.DesignGrade = GradeTailings(rule, t.FinalCapacity10kM3, t.FinalDamHeightM)
	t.Grade = t.ComputedGrade
	if !t.GradeRaised {
		t.GradeRaiseReason = ""
		return t
	}
	if t.GradeRaiseReason == "" {
		f.Add("tailings.grade_raise_reason", "say why the grade is raised (the 论证 and what lies downstream)")
	}
	if t.ComputedGrade <= 2 {
		f.Add("tailings.grade_raised", "a grade-%d pond cannot be raised: a raise never reaches grade 1", t.ComputedGrade)
	}
	t.Grade = t.ComputedGrade - 1
	return t
}
