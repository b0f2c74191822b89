package records

import (
	"context"
	"fmt"

	"minesafe/internal/hazard"
)

// hazardSpec is one hidden hazard: reported ago days before the reference
// date with a deadline due days after that, taken to state (returned once
// on the way when ret).
type hazardSpec struct {
	mine, level, source, typ, place, desc, crit string
	ago, due                                    int
	state                                       string
	ret                                         bool
}

const (
	general = hazard.LevelGeneral
	major   = hazard.LevelMajor
	self    = hazard.SourceSelfInspection
	insp    = hazard.SourceInspection
	public  = hazard.SourceReport
	third   = hazard.SourceThirdParty
)

// hazardSpecs: every state of the loop, general and major hazards (the
// major ones citing the catalogue of their mine's industry), four overdue
// (大雁 雁南 and 扎尼河, 伊敏's major one, 胡列也吐), two major ones open
// long enough to be listed for supervision. More come from the
// inspections' findings (enforcement.go).
var hazardSpecs = []hazardSpec{
	// reported
	{"大雁二矿", general, self, "ventilation", "2105回风巷", "局部通风机风筒破损漏风，掘进迎头风量不足", "", 3, 10, hazard.StateReported, false},
	{"雁南煤矿", general, self, "transport", "主斜井带式输送机", "带式输送机跑偏保护装置失效，未及时更换", "", 25, 12, hazard.StateReported, false},
	{"铁北煤矿", major, public, "water", "-380水平掘进工作面", "群众举报：-380水平掘进工作面在探放水区域未按规定探放水即组织掘进", "C6.3", 2, 30, hazard.StateReported, false},
	{"乌奴耳金矿尾矿库", general, self, "extreme_cold", "放矿管线", "冬季冰下放矿管线未按设计延伸至库内，管线局部冻堵", "", 6, 30, hazard.StateReported, false},
	// planned
	{"灵东煤矿", general, self, "fire", "1102综放工作面采空区", "束管监测CO浓度持续升高，注氮量不足", "", 18, 20, hazard.StatePlanned, false},
	{"扎尼河露天煤矿", general, third, "slope", "北帮+620平台", "边坡雷达显示北帮局部位移速率增大，未按预案加密观测", "", 40, 21, hazard.StatePlanned, false},
	{"甲乌拉银铅锌矿", major, insp, "hoisting", "主竖井", "主竖井井口及-120m中段马头门安全门与提升机未实现联锁", "MU22.2", 14, 30, hazard.StatePlanned, false},
	// rectifying
	{"赫尔洪得煤矿", general, self, "electrical", "井下中央变电所", "低压馈电开关漏电保护试验记录缺失，部分开关漏电保护未试验", "", 12, 15, hazard.StateRectifying, false},
	{"灵泉煤矿", major, self, "water", "防治水科", "水文地质类型复杂矿井，专用探放水队伍人员不足，专用探放水钻机仅1台", "C6.2", 50, 60, hazard.StateRectifying, false},
	{"伊敏露天矿", major, insp, "slope", "东端帮", "东端帮局部边坡角超出设计2.5°，坡顶出现张拉裂缝，未及时治理", "C15.10", 70, 45, hazard.StateRectifying, false},
	{"胡列也吐露天煤矿", general, self, "dump", "1号排土场", "排土场平盘反坡不足，部分排土线挡车墙高度低于轮胎直径的2/5", "", 35, 14, hazard.StateRectifying, true},
	{"得耳布尔铅锌矿", general, self, "hoisting", "主竖井", "罐笼防坠器超期未检测检验", "", 33, 40, hazard.StateRectifying, false},
	{"谢尔塔拉铁锌矿尾矿库", major, third, "tailings", "尾矿坝", "安全评价机构检测：初期坝下游坝坡浸润线埋深小于控制浸润线埋深", "T7", 10, 30, hazard.StateRectifying, false},
	// rectified
	{"东明露天煤矿", general, self, "dust", "破碎站", "破碎站除尘器故障，作业场所粉尘浓度超标", "", 20, 25, hazard.StateRectified, false},
	{"大雁二矿", general, self, "gas", "2103工作面上隅角", "上隅角瓦斯浓度多次接近0.8%，采空区埋管抽采负压不足", "", 15, 20, hazard.StateRectified, false},
	{"乌努格吐山铜钼矿", general, third, "slope", "西帮+750台阶", "西帮+750台阶坡面浮石未清理", "", 22, 30, hazard.StateRectified, false},
	// verified
	{"宝日希勒露天煤矿", general, third, "extreme_cold", "矿用卡车", "极寒期间矿用卡车制动系统未落实预热措施", "", 30, 10, hazard.StateVerified, false},
	{"五九煤矿", general, self, "electrical", "井下采区变电所", "隔爆开关接线盒螺栓缺失，电气设备失爆", "", 28, 7, hazard.StateVerified, false},
	{"诺门罕萤石矿", general, self, "ventilation", "-60m中段", "-60m中段局部通风机停开，独头巷道风量不足", "", 16, 20, hazard.StateVerified, false},
	{"卧牛河钼矿尾矿库", general, self, "extreme_cold", "排洪井", "排洪井井口冬季结冰未清理", "", 26, 20, hazard.StateVerified, false},
	// closed
	{"雁南煤矿", general, self, "roof", "1301综采工作面", "端头支护单体液压支柱初撑力不足", "", 60, 15, hazard.StateClosed, false},
	{"锡尼河露天煤矿", general, self, "transport", "采场运输道路", "运输道路部分路段未设置挡车墙", "", 45, 15, hazard.StateClosed, false},
	{"敏东一矿", general, self, "rock_burst", "13采区", "微震监测系统部分检波器故障未及时修复", "", 55, 10, hazard.StateClosed, true},
	{"灵东煤矿", major, insp, "ventilation", "主通风机房", "两台主要通风机不具有同等能力（备用风机电机功率小于工作风机）", "C5.2", 120, 60, hazard.StateClosed, false},
	{"陈巴尔虎旗天顺煤矿", major, self, "electrical", "地面35 kV变电所", "两回路电源线路取自同一区域变电所同一母线段", "C11.2", 90, 45, hazard.StateClosed, false},
	{"八大关铜钼矿", general, self, "blasting", "爆破器材库", "爆破器材领退台账记录不清", "", 65, 10, hazard.StateClosed, false},
	{"比利亚谷铅锌矿尾矿库", general, self, "tailings", "1号排水井", "排水井拱板局部破损", "", 40, 30, hazard.StateClosed, false},
}

// stepsTo lists the loop's steps from reported to state.
func stepsTo(state string, ret bool) []string {
	all := []string{"plan", "start", "rectified", "verify", "close"}
	n := map[string]int{hazard.StateReported: 0, hazard.StatePlanned: 1, hazard.StateRectifying: 2, hazard.StateRectified: 3,
		hazard.StateVerified: 4, hazard.StateClosed: 5}[state]
	steps := append([]string{}, all[:n]...)
	if ret && n >= 2 {
		// rectified, then sent back, then (unless it stays rectifying) rectified again.
		pre := []string{"plan", "start", "rectified", "return"}
		if n == 2 {
			return pre
		}
		return append(pre, steps[2:]...)
	}
	return steps
}

// hazards reports and steps every hazard spec, each step on its day.
func (l *loader) hazards(ctx context.Context) error {
	for _, s := range hazardSpecs {
		if err := l.hazard(ctx, s); err != nil {
			return fmt.Errorf("hazard %q at %s: %w", s.desc, s.mine, err)
		}
	}
	return nil
}

func (l *loader) hazard(ctx context.Context, s hazardSpec) error {
	m := l.mine(s.mine)
	reporter := l.side(m)
	if s.source == insp || s.source == public {
		reporter = l.regulator(m, false)
	}
	l.at(s.ago, 9, 30)
	h, err := l.hz.Create(ctx, reporter, hazard.HazardInput{MineID: m.ID, Level: s.level, Source: s.source, HazardType: s.typ,
		Place: s.place, Description: s.desc + "（演示数据）", CriterionCode: s.crit, Deadline: l.date(s.ago - s.due)})
	if err != nil {
		return err
	}
	l.sum.Hazards++
	return l.walk(ctx, m, h, stepsTo(s.state, s.ret), s.ago, s.due)
}

// walk takes a reported hazard through steps: the mine plans and starts
// the next days, rectifies shortly before its deadline (or, when late, a
// few days before today), and a verifier and closer follow a day apart.
func (l *loader) walk(ctx context.Context, m *mine, h hazard.Hazard, steps []string, ago, due int) error {
	rect := max(ago-due+2, 1) // days before today
	if rect >= ago-2 {
		rect = max(ago-3, 0)
	}
	day := ago
	for i, step := range steps {
		switch step {
		case "plan":
			day = max(ago-1, 0)
		case "start":
			day = max(ago-2, 0)
		case "rectified":
			if i > 3 { // after a return
				day = max(day-2, 0)
			} else {
				day = rect
			}
		default:
			day = max(day-1, 0)
		}
		l.at(day, 10+i, 15)
		who := l.side(m)
		in := hazard.StepInput{}
		switch step {
		case "plan":
			in.Measures = "制定整改方案，明确整改措施、责任人和完成时限，落实整改资金。"
			if h.Level == major {
				in.Responsibility = l.responsible(m, "red", h.HazardType) + "负总责；" + l.responsible(m, "orange", h.HazardType) + "负责技术措施"
				in.FundsYuan = ptr(int64(l.pick(8, 60)) * 10_000)
				in.Deadline = h.Deadline
				in.Contingency = "整改期间停止受威胁区域作业并撤出人员，设专人监护，启动现场处置方案。"
			}
		case "rectified":
			in.Evidence = "已按方案完成整改，整改前后照片及验收记录存档。"
		case "return":
			who = l.regulator(m, false)
			if h.Level == general {
				who = l.side(m)
			}
			in.Reason = "复核发现整改不彻底，需补充措施后重新整改。"
		case "verify":
			if h.Level == major || h.Source == insp {
				who = l.regulator(m, false)
			}
			in.Note = "现场复核，整改到位。"
		case "close":
			if h.Level == major || h.Source == insp {
				who = l.regulator(m, true)
			}
		}
		var err error
		if h, err = l.hz.Step(ctx, who, h.ID, step, in); err != nil {
			return fmt.Errorf("%s by %s: %w", step, who.Name(), err)
		}
	}
	return nil
}
