package records

import (
	"context"
	"fmt"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/enforce"
	"minesafe/internal/hazard"
)

// inspectors of each regulator unit, with their enforcement certificate
// numbers (invented).
var inspectorPool = map[string][]enforce.Inspector{
	"150700": {{Name: "孟庆林", CertificateNo: "1507002019001"}, {Name: "巴特尔", CertificateNo: "1507002019004"}, {Name: "刘晓东", CertificateNo: "1507002020011"},
		{Name: "周红梅", CertificateNo: "1507002021007"}, {Name: "乌力吉", CertificateNo: "1507002022015"}, {Name: "韩志强", CertificateNo: "1507002023002"}},
	"150725": {{Name: "陈立新", CertificateNo: "1507252018003"}, {Name: "那仁", CertificateNo: "1507252020006"}, {Name: "王俊杰", CertificateNo: "1507252022001"}},
	"150724": {{Name: "额尔敦", CertificateNo: "1507242019002"}, {Name: "杨宏伟", CertificateNo: "1507242021005"}, {Name: "赵春生", CertificateNo: "1507242023004"}},
}

// finding is a finding of an inspection spec; due is the rectification
// time in days after the inspection.
type finding struct {
	desc, level, crit, violation string
	due                          int
}

// decisionSpec is a decision on an inspection: rectify (by the latest
// finding's deadline), halt, or a fine in circumstance at amount, then
// steps on it (issue, pay, transfer).
type decisionSpec struct {
	kind, violation, circumstance string
	amount                        int64
	steps                         []string
}

// inspectionSpec is one inspection ago days before the reference date.
// recheck "pass" or "fail" is recorded 3 days after the deadline; the
// finding's hazards are rectified in time when it passes. close closes it
// (after a pass, or at once when nothing was found). draft leaves it a
// draft, submitOnly submitted without decisions.
type inspectionSpec struct {
	mine             string
	ago              int
	place            string
	findings         []finding
	decisions        []decisionSpec
	recheck          string
	close            bool
	draft, noDecide  bool
	inCountyPlan     bool
	extraAfterRefail bool
}

var inspectionSpecs = []inspectionSpec{
	{mine: "宝日希勒露天煤矿", ago: 75, place: "北排土场及采场", inCountyPlan: true,
		findings:  []finding{{"北排土场+700平盘出现纵向裂缝，未按规定设置变形观测点", general, "", "", 20}},
		decisions: []decisionSpec{{kind: enforce.KindRectify}}, recheck: "pass", close: true},
	{mine: "东明露天煤矿", ago: 50, place: "采场边坡及调度室",
		findings: []finding{{"边坡在线监测系统两台GNSS监测站离线超过7天，未及时修复", general, "", "monitoring_not_working", 15}},
		decisions: []decisionSpec{{kind: enforce.KindRectify},
			{kind: enforce.KindFine, violation: "monitoring_not_working", circumstance: enforce.General, amount: 25_000, steps: []string{"issue", "report-payment", "confirm-payment"}}},
		recheck: "pass", close: true},
	{mine: "伊敏露天矿", ago: 40, place: "东端帮及排土场",
		findings:  []finding{{"南排土场挡车墙高度不足，部分地段缺失", general, "", "", 15}},
		decisions: []decisionSpec{{kind: enforce.KindRectify}}, recheck: "pass", close: true},
	{mine: "敏东一矿", ago: 30, place: "I0116305工作面及防冲科",
		findings:  []finding{{"I0116305工作面未按规定进行防冲措施效果检验即组织回采", major, "C8.3", "", 45}},
		decisions: []decisionSpec{{kind: enforce.KindRectify}}},
	{mine: "五九煤矿", ago: 20, place: "安全监控中心及2号回风巷",
		findings: []finding{{"2号回风巷甲烷传感器安设位置不符合规定，断电范围不符合规定", major, "C4.2", "monitoring_not_working", 30}},
		decisions: []decisionSpec{{kind: enforce.KindRectify},
			{kind: enforce.KindFine, violation: "monitoring_not_working", circumstance: enforce.Serious, amount: 40_000, steps: []string{"issue"}}}},
	{mine: "扎兰屯市蘑菇气铅锌矿", ago: 12, place: "主通风机房及-150m中段",
		findings: []finding{{"主通风机未连续运转，-150m中段作业面风量不符合要求", major, "MU20.1", "hazard_not_eliminated", 30},
			{"特种作业人员（提升机司机）1人无证上岗", "", "", "uncertified_special_worker", 0}},
		decisions: []decisionSpec{{kind: enforce.KindHalt},
			{kind: enforce.KindFine, violation: "uncertified_special_worker", circumstance: enforce.Light, amount: 20_000}}},
	{mine: "满洲里市新开河煤矿", ago: 60, place: "11采区变电所",
		findings:  []finding{{"采区变电所未设置两回路电源的切换记录，漏电保护装置失效", general, "", "", 20}},
		decisions: []decisionSpec{{kind: enforce.KindRectify}}, recheck: "fail", extraAfterRefail: true},
	{mine: "乌奴耳金矿", ago: 8, place: "主斜坡道及-60m中段", noDecide: true,
		findings: []finding{{"-60m中段避险硐室内自救器数量不足", general, "", "", 20}}},
	{mine: "查干布拉根铅锌银矿", ago: 90, place: "-80m中段及爆破器材库",
		findings: []finding{{"爆破员1人无证上岗", "", "", "uncertified_special_worker", 0}},
		decisions: []decisionSpec{{kind: enforce.KindFine, violation: "uncertified_special_worker", circumstance: enforce.Light, amount: 20_000,
			steps: []string{"issue", "report-payment", "confirm-payment"}}}},
	{mine: "乌努格吐山铜钼矿一期尾矿库", ago: 35, place: "尾矿坝及排洪系统",
		findings:  []finding{{"坝体浸润线监测点两处数据异常未分析处理", general, "", "", 15}},
		decisions: []decisionSpec{{kind: enforce.KindRectify}}, recheck: "pass", close: true},
	{mine: "陈巴尔虎旗天顺煤矿", ago: 1, place: "井下运输系统", inCountyPlan: true, draft: true,
		findings: []finding{{"副斜井架空乘人装置越位保护失效", general, "", "", 10}}},
	{mine: "比利亚谷铅锌矿", ago: 15, place: "全矿", close: true},
}

// enforcement records the year's inspection plans (the city's and 陈巴尔虎旗's,
// each with a random draw), the inspections with their findings,
// decisions, payments and re-checks, a 2025 fine at 宏达煤矿 passed on to
// the court, and the blacklisting of its enterprise after the 2025 透水.
func (l *loader) enforcement(ctx context.Context) error {
	year := l.today.Year()
	planDay := int(l.today.Sub(time.Date(year, 1, 12, 9, 0, 0, 0, clock.Shanghai)).Hours() / 24)
	if planDay < 20 {
		planDay = 20
	}
	var countyPlan *int64
	for _, pl := range []struct {
		who    *auth.Principal
		region string
		name   string
		count  int
	}{
		{l.city, "150700", fmt.Sprintf("呼伦贝尔市%d年度矿山安全监管执法检查计划", year), 8},
		{l.county, "150725", fmt.Sprintf("陈巴尔虎旗%d年度矿山安全执法检查计划", year), 3},
	} {
		l.at(planDay, 9, 0)
		p, err := l.enf.CreatePlan(ctx, pl.who, enforce.PlanInput{RegionCode: pl.region, Year: year, Name: pl.name,
			Note: "按一矿一策确定检查频次，双随机抽取检查对象和执法人员。（演示数据）"})
		if err != nil {
			return fmt.Errorf("plan %s: %w", pl.region, err)
		}
		l.at(planDay-1, 10, 0)
		if _, err := l.enf.DrawPlan(ctx, pl.who, p.ID, enforce.DrawInput{Count: pl.count, Seed: fmt.Sprintf("%s-%d-双随机-1", pl.region, year),
			Inspectors: inspectorPool[pl.region], PerMine: 2}); err != nil {
			return fmt.Errorf("draw %s: %w", pl.region, err)
		}
		if pl.region == "150725" {
			countyPlan = &p.ID
		}
	}
	for _, s := range inspectionSpecs {
		var plan *int64
		if s.inCountyPlan && s.ago < planDay {
			plan = countyPlan
		}
		if err := l.inspection(ctx, s, plan); err != nil {
			return fmt.Errorf("inspection at %s: %w", s.mine, err)
		}
	}
	return l.hongda(ctx)
}

func (l *loader) unit(m *mine) string {
	switch {
	case m.RegionCode == "150725":
		return "150725"
	case m.RegionCode == "150724":
		return "150724"
	}
	return "150700"
}

func (l *loader) inspection(ctx context.Context, s inspectionSpec, plan *int64) error {
	m := l.mine(s.mine)
	who := l.regulator(m, false)
	decider := l.regulator(m, true)
	l.at(s.ago, 9, 0)
	date := l.date(s.ago)
	pool := inspectorPool[l.unit(m)]
	k := l.r.IntN(len(pool))
	team := []enforce.Inspector{pool[k], pool[(k+1)%len(pool)]}
	var answers []enforce.CheckAnswer
	for i, it := range enforce.DefaultChecklists()[m.Kind] {
		res, note := "ok", ""
		if len(s.findings) > 0 && i == 1+len(answers)%2 && len(answers) < 3 {
			res, note = "problem", s.findings[0].desc
		}
		answers = append(answers, enforce.CheckAnswer{Code: it.Code, Result: res, Note: note})
	}
	var fs []enforce.FindingInput
	deadline := ""
	for _, f := range s.findings {
		fi := enforce.FindingInput{Description: f.desc, ViolationType: f.violation}
		if f.level != "" {
			fi.BecomesHazard, fi.HazardLevel, fi.CriterionCode = true, f.level, f.crit
			fi.Deadline = l.date(s.ago - f.due)
			deadline = max(deadline, fi.Deadline)
		}
		fs = append(fs, fi)
	}
	in, err := l.enf.CreateInspection(ctx, who, enforce.InspectionInput{MineID: m.ID, Date: date, Place: s.place, PlanID: plan,
		Inspectors: team, Checklist: answers, Findings: fs, Note: "（演示数据）"})
	if err != nil {
		return err
	}
	l.sum.Inspections++
	if s.draft {
		return nil
	}
	l.at(s.ago, 16, 0)
	if in, err = l.enf.Submit(ctx, who, in.ID); err != nil {
		return fmt.Errorf("submit: %w", err)
	}
	if s.noDecide {
		return nil
	}
	if len(s.decisions) == 0 && s.close {
		l.at(max(s.ago-1, 0), 10, 0)
		_, err := l.enf.CloseInspection(ctx, decider, in.ID, "检查未发现问题，结案。")
		return err
	}
	var ids []int64
	for _, f := range in.Findings {
		ids = append(ids, f.ID)
	}
	for i, d := range s.decisions {
		l.at(s.ago, 17, 10*i)
		din := enforce.DecisionInput{Kind: d.kind, FindingIDs: ids, Note: "（演示数据）"}
		switch d.kind {
		case enforce.KindRectify:
			din.Deadline = deadline
		case enforce.KindFine:
			din.ViolationType, din.Circumstance, din.AmountYuan = d.violation, d.circumstance, d.amount
		case enforce.KindHalt:
			din.Reason = "主通风机未连续运转、作业面风量不足，存在重大事故隐患，责令停产整顿。"
		}
		dec, err := l.enf.CreateDecision(ctx, decider, in.ID, din)
		if err != nil {
			return fmt.Errorf("decision %s: %w", d.kind, err)
		}
		l.sum.Decisions++
		receipt := func(day int) error {
			l.at(day, 9, 10*i)
			if _, err := l.enf.StepDecision(ctx, l.side(m), dec.ID, "receipt", enforce.DecisionStepInput{}); err != nil {
				return fmt.Errorf("receipt: %w", err)
			}
			return nil
		}
		if d.kind != enforce.KindFine { // a fine reaches the mine when issued
			if err := receipt(max(s.ago-1, 0)); err != nil {
				return err
			}
		}
		for j, step := range d.steps {
			day := max(s.ago-2-3*j, 0)
			if j > 0 && d.steps[j-1] == "issue" {
				if err := receipt(day); err != nil {
					return err
				}
			}
			l.at(day, 11, 0)
			st := enforce.DecisionStepInput{}
			actor := decider
			switch step {
			case "report-payment":
				actor = l.side(m)
				st.PaidOn, st.AmountYuan, st.Evidence = l.date(day), d.amount, fmt.Sprintf("非税收入缴款书 No.%08d", 15070000+l.sum.Decisions*37)
			case "issue":
				st.Note = "经集体讨论，按裁量基准作出处罚决定。"
			}
			if _, err := l.enf.StepDecision(ctx, actor, dec.ID, step, st); err != nil {
				return fmt.Errorf("%s: %w", step, err)
			}
		}
		if n := len(d.steps); n > 0 && d.steps[n-1] == "issue" {
			if err := receipt(max(s.ago-3, 0)); err != nil {
				return err
			}
		}
	}
	if s.recheck == "" {
		return nil
	}
	end, _ := time.ParseInLocation("2006-01-02", deadline, clock.Shanghai)
	after := int(l.today.Sub(end).Hours()/24) - 3 // days before today of the re-check
	if after < 0 {
		return fmt.Errorf("re-check of %s would be after today", s.mine)
	}
	if s.recheck == "pass" {
		// The mine rectified the findings' hazards in time; the re-check
		// verifies and closes them.
		in, err = l.enf.GetInspection(ctx, who, in.ID)
		if err != nil {
			return err
		}
		for _, f := range in.Findings {
			if f.HazardID == nil {
				continue
			}
			h, err := l.hz.Get(ctx, who, *f.HazardID)
			if err != nil {
				return err
			}
			due := s.ago - (after + 3) // days from the inspection to the deadline
			if err := l.walk(ctx, m, h, []string{"plan", "start", "rectified"}, s.ago, s.ago-due); err != nil {
				return err
			}
			l.at(after, 10, 0)
			if h, err = l.hz.Step(ctx, l.regulator(m, false), h.ID, "verify", hazard.StepInput{Note: "复查验收合格。"}); err != nil {
				return err
			}
			l.at(after, 15, 0)
			if _, err = l.hz.Step(ctx, decider, h.ID, "close", hazard.StepInput{}); err != nil {
				return err
			}
		}
	}
	l.at(after, 11, 0)
	if _, err := l.enf.Recheck(ctx, who, in.ID, enforce.RecheckInput{Result: s.recheck, Date: l.date(after),
		Note: map[string]string{"pass": "复查：整改到位。", "fail": "复查：漏电保护装置仍未修复，整改不到位。"}[s.recheck]}); err != nil {
		return fmt.Errorf("recheck: %w", err)
	}
	if s.extraAfterRefail {
		l.at(after, 14, 0)
		if _, err := l.enf.CreateDecision(ctx, decider, in.ID, enforce.DecisionInput{Kind: enforce.KindRectify, FindingIDs: ids,
			Deadline: l.date(after - 15), Note: "复查不合格，再次责令限期整改。（演示数据）"}); err != nil {
			return fmt.Errorf("second rectify order: %w", err)
		}
		l.sum.Decisions++
	}
	if s.close {
		l.at(max(after-1, 0), 10, 0)
		if _, err := l.enf.CloseInspection(ctx, decider, in.ID, "复查合格，结案。"); err != nil {
			return fmt.Errorf("close: %w", err)
		}
	}
	return nil
}

// hongda: after the 2025 透水 at 宏达煤矿 (which it had worked while halted)
// the city fined it at the top of the benchmark, passed the unpaid fine on
// to the court and put its enterprise on the blacklist.
func (l *loader) hongda(ctx context.Context) error {
	m := l.mine("扎赉诺尔区宏达煤矿")
	t := time.Date(2025, 3, 6, 9, 0, 0, 0, clock.Shanghai)
	if !t.Before(l.now) {
		return nil
	}
	days := func(t time.Time) int { return int(l.today.Sub(t).Hours() / 24) }
	l.at(days(t), 9, 0)
	in, err := l.enf.CreateInspection(ctx, l.city, enforce.InspectionInput{MineID: m.ID, Date: "2025-03-06", Place: "-210水平及调度室",
		Inspectors: inspectorPool["150700"][:2], Checklist: okAll(m.Kind),
		Findings: []enforce.FindingInput{{Description: "停产整顿期间擅自组织井下掘进作业，超能力组织生产", ViolationType: "over_capacity"}},
		Note:     "2025年2月26日透水事故后的专项检查。（演示数据）"})
	if err != nil {
		return err
	}
	l.sum.Inspections++
	if in, err = l.enf.Submit(ctx, l.city, in.ID); err != nil {
		return err
	}
	l.at(days(t)-1, 10, 0)
	dec, err := l.enf.CreateDecision(ctx, l.city, in.ID, enforce.DecisionInput{Kind: enforce.KindFine, FindingIDs: []int64{in.Findings[0].ID},
		ViolationType: "over_capacity", Circumstance: enforce.Serious, AmountYuan: 1_800_000, Note: "（演示数据）"})
	if err != nil {
		return err
	}
	l.sum.Decisions++
	l.at(days(t)-8, 10, 0)
	if _, err := l.enf.StepDecision(ctx, l.city, dec.ID, "issue", enforce.DecisionStepInput{Note: "经集体讨论作出处罚决定。"}); err != nil {
		return err
	}
	l.at(days(t)-10, 9, 0)
	if _, err := l.enf.EnterBlacklist(ctx, l.city, m.EnterpriseID, enforce.BlacklistInput{DecisionID: &dec.ID,
		Reason: "所属宏达煤矿停产整顿期间擅自组织生产，2025年2月26日发生较大透水事故（3人死亡），依法列入安全生产失信惩戒名单。（演示数据）"}); err != nil {
		return err
	}
	tr := t.AddDate(0, 4, 0)
	l.at(days(tr), 10, 0)
	if _, err := l.enf.StepDecision(ctx, l.city, dec.ID, "transfer", enforce.DecisionStepInput{Department: "满洲里市人民法院（申请强制执行）",
		TransferredOn: tr.Format("2006-01-02"), ReceiptNo: "（2025）内0781执字第312号", Note: "逾期未缴纳罚款，申请法院强制执行。"}); err != nil {
		return err
	}
	return nil
}

func okAll(kind string) []enforce.CheckAnswer {
	var out []enforce.CheckAnswer
	for _, it := range enforce.DefaultChecklists()[kind] {
		out = append(out, enforce.CheckAnswer{Code: it.Code, Result: "ok"})
	}
	out[0].Result, out[0].Note = "problem", "停产整顿期间擅自组织生产"
	return out
}
