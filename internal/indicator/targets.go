package indicator

import (
	"fmt"
	"slices"

	"minesafe/internal/fail"
)

// TargetsKind is the ruleset kind of the plan's targets.
const TargetsKind = "plan_targets"

// Target kinds: a reduction by Value per cent from the base year by the
// target year, a ceiling (重特大 "有效遏制": at most Value), or a floor (a
// share of at least Value per cent by DueYear).
const (
	ReducePct = "reduce_pct"
	Contain   = "contain"
	AtLeast   = "at_least"
)

// Targets is the rule data of kind "plan_targets": the plan's years and its
// targets, each with the plan's wording.
type Targets struct {
	Plan        string   `json:"plan"`
	BaseYear    int      `json:"base_year"`
	FirstYear   int      `json:"first_year"`
	MidtermYear int      `json:"midterm_year"`
	TargetYear  int      `json:"target_year"`
	Targets     []Target `json:"targets"`
}

// Target is one of the plan's targets.
type Target struct {
	Key     string  `json:"key"`
	Name    string  `json:"name"`
	Kind    string  `json:"kind"`
	Value   float64 `json:"value"`
	DueYear int     `json:"due_year"`
	Binding string  `json:"binding"`
	PlanRef string  `json:"plan_ref"`
}

// The keys of the figures, as the API names them.
const (
	KeyAccidents        = "accidents"
	KeyDeaths           = "deaths"
	KeyLarger           = "larger_accidents"
	KeyMajorOrWorse     = "major_or_worse_accidents"
	KeyCoalDeaths       = "coal_deaths"
	KeyCoalOutput       = "coal_output_tonnes"
	KeyRate             = "million_ton_death_rate"
	KeyProfessional     = "professional_share"
	KeyCoalGrade1       = "coal_grade1_share"
	KeyCoalGrade2Plus   = "coal_grade2_or_better_share"
	KeyNoncoalGraded    = "noncoal_graded_share"
	KeyLargeNoncoal     = "large_noncoal_grade2_share"
	KeyInsurance        = "insurance_coverage"
	KeyMonitoring       = "monitoring_coverage"
	KeyCertificates     = "certificate_coverage"
	KeyLedgerCompletion = "ledger_completion"
)

const plan = "呼伦贝尔市“十五五”矿山安全生产规划（2026—2030年）"

// targetsNote travels with version 1.
const targetsNote = "the plan's 专栏1 and dated targets as written in the plan (shared/seed); edit to follow a revised plan"

// DefaultTargets answers version 1: the plan's 专栏1 (items 1–5 against the
// 2025 base, 2030 against 2025) and its other dated targets.
func DefaultTargets() Targets {
	c1 := "专栏1“十五五”矿山安全生产主要指标 第%d项：%s（约束性指标，2030年与2025年指标对比；1-5项指标使用2025年数值作为基期值）"
	return Targets{
		Plan: plan, BaseYear: 2025, FirstYear: 2026, MidtermYear: 2028, TargetYear: 2030,
		Targets: []Target{
			{Key: KeyAccidents, Name: "矿山生产安全事故起数", Kind: ReducePct, Value: 6, DueYear: 2030, Binding: "约束性", PlanRef: fmt.Sprintf(c1, 1, "矿山生产安全事故起数 下降6%")},
			{Key: KeyDeaths, Name: "矿山生产安全事故死亡人数", Kind: ReducePct, Value: 6, DueYear: 2030, Binding: "约束性", PlanRef: fmt.Sprintf(c1, 2, "矿山生产安全事故死亡人数 下降6%")},
			{Key: KeyLarger, Name: "矿山较大生产安全事故起数", Kind: ReducePct, Value: 6, DueYear: 2030, Binding: "约束性", PlanRef: fmt.Sprintf(c1, 3, "矿山较大生产安全事故起数 下降6%")},
			{Key: KeyMajorOrWorse, Name: "矿山重特大事故", Kind: Contain, Value: 0, DueYear: 2030, Binding: "约束性", PlanRef: fmt.Sprintf(c1, 4, "矿山重特大事故 有效遏制") + "；规划目标：坚决杜绝重特大事故"},
			{Key: KeyRate, Name: "煤矿百万吨死亡率", Kind: ReducePct, Value: 5, DueYear: 2030, Binding: "约束性", PlanRef: fmt.Sprintf(c1, 5, "煤矿百万吨死亡率 下降5%")},
			{Key: KeyProfessional, Name: "地方监管专业人员比例", Kind: AtLeast, Value: 75, DueYear: 2028, Binding: "预期性",
				PlanRef: "专栏1 第6项：地方监管专业人员比例 75%（预期性指标）；主要任务（一）4：到2030年全市矿山安全监管人员中专业背景人员比例不低于75%；重点工程13：2028年底前实现监管队伍专业人员占比达到75%以上"},
			{Key: KeyCoalGrade1, Name: "煤矿一级安全生产标准化占比", Kind: AtLeast, Value: 40, DueYear: 2030, Binding: "预期性",
				PlanRef: "主要任务（三）1：2030年底前，全市煤矿一级标准化占比≥40%，其余全部达二级"},
			{Key: KeyCoalGrade2Plus, Name: "煤矿二级及以上标准化占比", Kind: AtLeast, Value: 100, DueYear: 2030, Binding: "预期性",
				PlanRef: "主要任务（三）1：2030年底前，全市煤矿一级标准化占比≥40%，其余全部达二级"},
			{Key: KeyNoncoalGraded, Name: "正常生产非煤矿山取得标准化等级占比", Kind: AtLeast, Value: 100, DueYear: 2030, Binding: "预期性",
				PlanRef: "主要任务（三）1：正常生产非煤矿山全部取得标准化等级"},
			{Key: KeyLargeNoncoal, Name: "大型非煤矿山二级及以上标准化占比", Kind: AtLeast, Value: 100, DueYear: 2030, Binding: "预期性",
				PlanRef: "主要任务（三）1：大型非煤矿山达二级及以上"},
			{Key: KeyInsurance, Name: "矿山安全生产责任保险覆盖率", Kind: AtLeast, Value: 100, DueYear: 2028, Binding: "预期性",
				PlanRef: "主要任务（六）1：2028年底前实现全市矿山企业安责险全覆盖；重点工程20：实现全市矿山安责险应保尽保"},
			{Key: KeyMonitoring, Name: "监测系统联网率", Kind: AtLeast, Value: 100, DueYear: 2030, Binding: "预期性",
				PlanRef: "主要任务（二）5：2030年底前实现所有煤矿、金属非金属地下矿山、三等及以上尾矿库监测系统100%联网"},
			{Key: KeyCertificates, Name: "五职矿长等在岗人员持证率", Kind: AtLeast, Value: 100, DueYear: 2030, Binding: "预期性",
				PlanRef: "主要任务（三）2、5：严格配齐“五职矿长”，严格特种作业人员持证上岗；重点工程18：实现“三项岗位人员”持证上岗率100%"},
			{Key: KeyLedgerCompletion, Name: "规划任务台账完成率（已到期）", Kind: AtLeast, Value: 100, DueYear: 2030, Binding: "预期性",
				PlanRef: "五、保障措施（四）：建立任务台账实行动态监测、中期评估与终期考核"},
		},
	}
}

// Validate checks the years' order and each target's kind and value.
func (t Targets) Validate() error {
	f := fail.Fields{}
	if !(t.BaseYear > 0 && t.BaseYear < t.FirstYear && t.FirstYear <= t.MidtermYear && t.MidtermYear <= t.TargetYear) {
		f.Add("base_year", "years must run base_year < first_year ≤ midterm_year ≤ target_year")
	}
	seen := map[string]bool{}
	for i, x := range t.Targets {
		field := fmt.Sprintf("targets[%d]", i)
		switch {
		case x.Key == "" || seen[x.Key]:
			f.Add(field+".key", "must be given, once")
		case !slices.Contains([]string{ReducePct, Contain, AtLeast}, x.Kind):
			f.Add(field+".kind", "must be reduce_pct, contain or at_least")
		case x.Value < 0 || (x.Kind != Contain && x.Value > 100):
			f.Add(field+".value", "must be a percentage from 0 to 100 (a count ≥ 0 for contain)")
		case x.DueYear < t.FirstYear:
			f.Add(field+".due_year", "must be within the plan's years")
		}
		seen[x.Key] = true
	}
	return f.Err()
}

// Target answers the target of key, if the plan sets one.
func (t Targets) Target(key string) (Target, bool) {
	for _, x := range t.Targets {
		if x.Key == key {
			return x, true
		}
	}
	return Target{}, false
}
