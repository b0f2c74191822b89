package accident

import (
	"testing"

	"minesafe/internal/fail"
)

// Every boundary of 条例493号 第三条: "以上" includes the number, "以下"
// excludes it, any one criterion suffices and the highest grade wins.
func TestGradeBoundaries(t *testing.T) {
	r := DefaultGradeRule()
	const wan = 10_000 // 万元 in yuan
	cases := []struct {
		name     string
		deaths   int
		injuries int
		loss     int64
		want     string
	}{
		{"nothing", 0, 0, 0, GradeGeneral},
		{"2 deaths", 2, 0, 0, GradeGeneral},
		{"3 deaths", 3, 0, 0, GradeLarger},
		{"9 deaths", 9, 0, 0, GradeLarger},
		{"10 deaths", 10, 0, 0, GradeMajor},
		{"29 deaths", 29, 0, 0, GradeMajor},
		{"30 deaths", 30, 0, 0, GradeEspeciallyMajor},
		{"9 injuries", 0, 9, 0, GradeGeneral},
		{"10 injuries", 0, 10, 0, GradeLarger},
		{"49 injuries", 0, 49, 0, GradeLarger},
		{"50 injuries", 0, 50, 0, GradeMajor},
		{"99 injuries", 0, 99, 0, GradeMajor},
		{"100 injuries", 0, 100, 0, GradeEspeciallyMajor},
		{"loss just under 1000万", 0, 0, 1000*wan - 1, GradeGeneral},
		{"loss 1000万", 0, 0, 1000 * wan, GradeLarger},
		{"loss just under 5000万", 0, 0, 5000*wan - 1, GradeLarger},
		{"loss 5000万", 0, 0, 5000 * wan, GradeMajor},
		{"loss just under 1亿", 0, 0, 10000*wan - 1, GradeMajor},
		{"loss 1亿", 0, 0, 10000 * wan, GradeEspeciallyMajor},
		{"highest criterion wins", 2, 50, 1000 * wan, GradeMajor},
		{"any one suffices", 0, 0, 100_000_000_000, GradeEspeciallyMajor},
	}
	for _, c := range cases {
		if got := Grade(r, c.deaths, c.injuries, c.loss); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if !MajorOrWorse(GradeMajor) || !MajorOrWorse(GradeEspeciallyMajor) || MajorOrWorse(GradeLarger) {
		t.Error("重特大 must be 重大 and 特别重大")
	}
}

func TestGradeRuleValidate(t *testing.T) {
	if err := DefaultGradeRule().Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
	bad := DefaultGradeRule()
	bad.Tiers[1].MinDeaths = 30 // not below 特别重大's
	if err := bad.Validate(); !fail.Is(err, fail.Invalid) {
		t.Errorf("overlapping tiers accepted: %v", err)
	}
	bad = DefaultGradeRule()
	bad.Tiers = bad.Tiers[:2]
	if err := bad.Validate(); !fail.Is(err, fail.Invalid) {
		t.Errorf("two tiers accepted: %v", err)
	}
	bad = DefaultGradeRule()
	bad.Tiers[0], bad.Tiers[1] = bad.Tiers[1], bad.Tiers[0]
	if err := bad.Validate(); !fail.Is(err, fail.Invalid) {
		t.Errorf("wrong order accepted: %v", err)
	}
}

func TestNormalMonth(t *testing.T) {
	for in, want := range map[string]string{"2026-03": "2026-03", "2026/3": "2026-03", "2026-03-01": "2026-03", "2026年3月": "2026-03", "202603": "2026-03", "x": "x"} {
		if got := normalMonth(in); got != want {
			t.Errorf("normalMonth(%q) = %q, want %q", in, got, want)
		}
	}
}
