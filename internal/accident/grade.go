package accident

import (
	"fmt"

	"minesafe/internal/fail"
)

// GradeKind is the ruleset kind of the accident grading rule.
const GradeKind = "accident_grade"

// The grades of 条例493号 第三条, lowest first.
const (
	GradeGeneral         = "general"          // 一般事故
	GradeLarger          = "larger"           // 较大事故
	GradeMajor           = "major"            // 重大事故
	GradeEspeciallyMajor = "especially_major" // 特别重大事故
)

// Grades lists the grades, lowest first.
var Grades = []string{GradeGeneral, GradeLarger, GradeMajor, GradeEspeciallyMajor}

// GradeNames are the grades as the regulation names them.
var GradeNames = map[string]string{
	GradeGeneral: "一般事故", GradeLarger: "较大事故", GradeMajor: "重大事故", GradeEspeciallyMajor: "特别重大事故",
}

// gradeNote travels with version 1.
const gradeNote = "生产安全事故报告和调查处理条例（国务院令第493号）第三条; regulations.md §4 [V]. " +
	"“以上”包括本数，“以下”不包括本数; any one criterion suffices and the highest grade met wins."

// GradeRule is the rule data of kind "accident_grade": for each grade above
// 一般, highest first, the lower bounds ("以上", inclusive) of deaths, serious
// injuries (including acute industrial poisoning) and direct economic loss
// in yuan. An accident takes the highest grade any one of its figures
// reaches; below every bound it is 一般 (the upper bounds, "以下", are the
// next grade's lower bounds and so exclusive).
type GradeRule struct {
	Source string      `json:"source"`
	Tiers  []GradeTier `json:"tiers"`
}

// GradeTier is the lower bounds of one grade.
type GradeTier struct {
	Grade              string `json:"grade"`
	MinDeaths          int    `json:"min_deaths"`
	MinSeriousInjuries int    `json:"min_serious_injuries"`
	MinDirectLossYuan  int64  `json:"min_direct_loss_yuan"`
}

// DefaultGradeRule answers version 1: 条例493号 第三条.
func DefaultGradeRule() GradeRule {
	return GradeRule{
		Source: "生产安全事故报告和调查处理条例（国务院令第493号）第三条",
		Tiers: []GradeTier{
			{Grade: GradeEspeciallyMajor, MinDeaths: 30, MinSeriousInjuries: 100, MinDirectLossYuan: 100_000_000},
			{Grade: GradeMajor, MinDeaths: 10, MinSeriousInjuries: 50, MinDirectLossYuan: 50_000_000},
			{Grade: GradeLarger, MinDeaths: 3, MinSeriousInjuries: 10, MinDirectLossYuan: 10_000_000},
		},
	}
}

// Validate checks that the tiers are 特别重大, 重大 and 较大 in that order,
// each bound positive and strictly below the grade above it, so every
// accident falls in exactly one grade.
func (r GradeRule) Validate() error {
	f := fail.Fields{}
	want := []string{GradeEspeciallyMajor, GradeMajor, GradeLarger}
	if len(r.Tiers) != len(want) {
		f.Add("tiers", "must hold %d tiers (especially_major, major, larger), not %d", len(want), len(r.Tiers))
		return f.Err()
	}
	for i, t := range r.Tiers {
		field := fmt.Sprintf("tiers[%d]", i)
		if t.Grade != want[i] {
			f.Add(field+".grade", "must be %s", want[i])
		}
		if t.MinDeaths <= 0 || t.MinSeriousInjuries <= 0 || t.MinDirectLossYuan <= 0 {
			f.Add(field, "every bound must be positive")
		}
		if i > 0 {
			up := r.Tiers[i-1]
			if t.MinDeaths >= up.MinDeaths || t.MinSeriousInjuries >= up.MinSeriousInjuries || t.MinDirectLossYuan >= up.MinDirectLossYuan {
				f.Add(field, "every bound must be below the grade above's")
			}
		}
	}
	return f.Err()
}

// Grade answers the grade of an accident by rule r.
func Grade(r GradeRule, deaths, seriousInjuries int, directLossYuan int64) string {
	for _, t := range r.Tiers {
		if deaths >= t.MinDeaths || seriousInjuries >= t.MinSeriousInjuries || directLossYuan >= t.MinDirectLossYuan {
			return t.Grade
		}
	}
	return GradeGeneral
}

// MajorOrWorse tells whether a grade counts as 重特大 (重大 or 特别重大).
func MajorOrWorse(grade string) bool { return grade == GradeMajor || grade == GradeEspeciallyMajor }
