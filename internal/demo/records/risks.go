package records

import (
	"context"
	"fmt"

	"minesafe/internal/hazard"
)

// riskTemplate is a typical risk of a mine kind, assessed on the L×S
// matrix (likelihood, severity 1–5): ≥ 20 red, 12–16 orange, 6–10 yellow,
// below 6 blue under the shipped rules.
type riskTemplate struct {
	place, typ, desc, measures string
	l, s                       float64
}

var riskTemplates = map[string][]riskTemplate{
	"coal_underground": {
		{"综采工作面", "roof", "工作面周期来压、端头及超前支护段冒顶片帮", "支架初撑力在线监测；超前支护不少于20 m；来压期间加强矿压观测与预警", 3, 4},
		{"回风巷及上隅角", "gas", "上隅角及回风流瓦斯积聚、超限", "上隅角设甲烷传感器并实现断电；采空区埋管抽采；瓦斯检查员跟班", 2, 5},
		{"采空区", "fire", "采空区遗煤自然发火", "注氮、灌浆防灭火；束管监测CO、C2H4；密闭定期检查", 3, 4},
		{"掘进工作面", "water", "老空水、顶板砂岩含水层突水", "有掘必探、先探后掘；主排水能力校核；避灾路线演练", 2, 5},
		{"主斜井带式输送机", "transport", "输送带断带、撕带、堆煤伤人", "防打滑、跑偏、堆煤、撕裂保护每班试验；机头机尾防护栏", 2, 3},
		{"井下中央变电所", "electrical", "电气设备失爆、漏电、触电", "停送电工作票；防爆检查员每旬检查；漏电保护每日试验", 2, 4},
		{"掘进工作面", "dust", "煤尘积聚与粉尘超标", "综合防尘；隔爆水棚；个体防护", 3, 2},
		{"地面工业广场及井口", "extreme_cold", "冬季-40 ℃极寒致井口结冰、设备冻损、人员冻伤", "井口空气加热器；管路保温；极寒天气专项预案", 2, 2},
		{"冲击地压危险区", "rock_burst", "回采、掘进工作面冲击地压显现", "微震、应力在线监测；大直径钻孔卸压；限员管理", 4, 5},
		{"副井提升系统", "hoisting", "提升机过卷、过放，钢丝绳断绳", "提升保护定期试验；钢丝绳定期检测；司机持证上岗", 1, 5},
	},
	"coal_openpit": {
		{"端帮及工作帮边坡", "slope", "软岩边坡滑坡、局部坍塌", "边坡雷达与GNSS在线监测；按设计控制台阶坡面角；雨季巡查", 3, 5},
		{"排土场", "dump", "排土场滑坡、泥石流", "分层碾压；截排水沟；变形监测；排土线挡车墙", 3, 4},
		{"采场运输道路", "transport", "矿用卡车制动失效、会车碰撞、冬季路面结冰", "限速与会车规则；防滑链与路面防滑；车辆防碰撞预警系统", 3, 4},
		{"爆破作业区", "blasting", "爆破飞石、盲炮", "警戒距离300 m；盲炮处理专项措施；爆破员持证", 2, 4},
		{"煤层揭露面", "fire", "煤层自燃、采场火区", "及时覆盖；测温巡检；火区注浆", 2, 3},
		{"采场及排土场", "extreme_cold", "极寒天气设备冻损、人员冻伤", "设备预热；取暖车；调整作业时间", 2, 2},
		{"采场供电线路", "electrical", "移动变电站、拖曳电缆漏电", "漏电保护；电缆吊挂与防护；定期绝缘检测", 1, 4},
	},
	"metal_underground": {
		{"采场", "roof", "采场顶板冒落、片帮", "敲帮问顶；锚网支护；地压监测", 3, 4},
		{"爆破作业面", "blasting", "爆破事故、盲炮", "爆破器材领退登记；盲炮处理措施；爆破警戒", 2, 4},
		{"主竖井", "hoisting", "罐笼坠落、过卷", "防坠器定期检测检验；安全门与提升机联锁；过卷保护试验", 2, 5},
		{"独头巷道", "ventilation", "炮烟中毒窒息", "局部通风；爆破后通风不少于30 min；便携式气体检测仪", 3, 4},
		{"井下主排水系统", "water", "突水淹井", "三台水泵；双排水管路；防水门", 1, 5},
		{"斜坡道", "transport", "无轨车辆伤害", "限速；车辆检测检验；避让硐室", 2, 3},
		{"井口及地面", "extreme_cold", "冬季井口冻结、管路冻裂", "井口保温；管路伴热", 2, 2},
	},
	"metal_openpit": {
		{"采场边坡", "slope", "边坡滑坡、滚石", "边坡监测；清理浮石；安全平台", 3, 4},
		{"排土场", "dump", "排土场滑坡", "分层堆置；截排水；变形观测", 2, 4},
		{"爆破作业区", "blasting", "爆破飞石、盲炮", "警戒；盲炮处理措施", 2, 4},
		{"运输道路", "transport", "车辆伤害、冬季路面结冰侧翻", "限速；防滑；挡车墙", 3, 3},
		{"破碎站", "machinery", "机械伤害", "停机挂牌；防护罩", 2, 3},
		{"采场", "extreme_cold", "极寒天气设备冻损、人员冻伤", "设备预热；取暖；调整作业时间", 1, 3},
	},
	"tailings_pond": {
		{"尾矿坝", "tailings", "坝体渗流破坏、浸润线抬高导致溃坝", "浸润线在线监测；排渗设施维护；坝体巡查", 2, 5},
		{"库区及排洪系统", "water", "汛期洪水漫顶", "汛前调洪演算；排洪设施清淤；安全超高与干滩长度监测", 2, 5},
		{"坝坡", "slope", "坝坡局部滑塌、冲刷", "坝面排水沟；植被护坡", 2, 3},
		{"放矿管线", "extreme_cold", "冬季冰下放矿不当、管线冻堵", "冰下放矿方案；管线保温", 3, 2},
		{"库区", "other", "库区违规取砂、放牧等外部活动", "库区封闭管理；警示标志；巡查", 1, 3},
	},
}

var controlFor = map[string]string{"red": "mine", "orange": "department", "yellow": "team", "blue": "post"}

func levelOf(score float64) string {
	switch {
	case score >= 20:
		return "red"
	case score >= 12:
		return "orange"
	case score >= 6:
		return "yellow"
	}
	return "blue"
}

// risks fills the risk register of every mine that is not closed with 3–6
// risks of its kind, kept by the mine itself. A mine's conditions raise a
// risk's likelihood: high gas, rock burst, complex hydrogeology, 头顶库
// ponds, the two 35 Mt/a pits' slopes. Review dates are ahead, a few past.
func (l *loader) risks(ctx context.Context) error {
	for _, m := range l.mines {
		if m.Status == "closed" || (m.Tailings != nil && (m.Tailings.State == "closed" || m.Tailings.State == "cancelled")) {
			continue
		}
		pool := riskTemplates[m.Kind]
		n := l.pick(3, min(6, len(pool)))
		// The first three of a kind are always kept (the main risks), then
		// others at random; rock burst only where the mine has it.
		idx := []int{0, 1, 2}
		rest := l.r.Perm(len(pool) - 3)
		for _, k := range rest {
			if len(idx) == n {
				break
			}
			t := pool[k+3]
			if t.typ == "rock_burst" && (m.RockBurst == "" || m.RockBurst == "none") {
				continue
			}
			idx = append(idx, k+3)
		}
		if m.RockBurst == "strong" || m.RockBurst == "weak" {
			for k, t := range pool {
				if t.typ == "rock_burst" && !contains(idx, k) {
					idx = append(idx, k)
				}
			}
		}
		for _, k := range idx {
			t := pool[k]
			lk, sv := t.l, t.s
			switch {
			case t.typ == "gas" && m.GasClass == "high":
				lk = 4
			case t.typ == "water" && (m.HydroType == "complex" || m.HydroType == "very_complex"):
				lk = 3
			case t.typ == "rock_burst" && m.RockBurst == "weak":
				lk = 3
			case t.typ == "slope" && m.Capacity != nil && *m.Capacity >= 30 && m.Kind == "coal_openpit":
				lk = 4
			case t.typ == "tailings" && m.Tailings != nil && m.Tailings.HeadTop:
				lk = 4
			case t.typ == "extreme_cold" && l.r.IntN(3) == 0:
				lk = 1
			}
			level := levelOf(lk * sv)
			review := l.date(-l.pick(20, 330))
			if l.r.IntN(12) == 0 {
				review = l.date(l.pick(3, 40)) // a review that has come
			}
			l.at(l.pick(60, 200), 9, l.pick(0, 59))
			_, err := l.hz.CreateRisk(ctx, l.side(m), m.ID, hazard.RiskInput{Place: t.place, HazardType: t.typ, Description: t.desc,
				Method: hazard.MethodLS, L: ptr(lk), S: ptr(sv), Measures: t.measures, ControlLevel: controlFor[level],
				Responsible: l.responsible(m, level, t.typ), ReviewDate: review})
			if err != nil {
				return fmt.Errorf("risk %s at %s: %w", t.desc, m.Name, err)
			}
			l.sum.Risks++
		}
	}
	return nil
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// responsible names the person in charge of a risk at its control level:
// the mine manager for a red one, the deputy of the field for an orange
// one, a team or post leader below.
func (l *loader) responsible(m *mine, level, typ string) string {
	person := func(role string) string {
		for _, p := range m.People {
			if p.Role == role {
				return p.Name
			}
		}
		return ""
	}
	role, title := "mine_manager", "矿长"
	switch level {
	case "orange":
		role, title = "safety_deputy", "安全副矿长"
		switch typ {
		case "gas", "water", "rock_burst", "fire", "ventilation", "slope", "dump", "tailings":
			role, title = "chief_engineer", "总工程师"
		case "electrical", "hoisting", "transport", "machinery":
			role, title = "electromechanical_deputy", "机电副矿长"
		}
	case "yellow":
		return fmt.Sprintf("%s区队队长 %s", teamOf(typ), l.personName())
	case "blue":
		return fmt.Sprintf("%s班组长 %s", teamOf(typ), l.personName())
	}
	if n := person(role); n != "" {
		return title + " " + n
	}
	return title + " " + l.personName()
}

func teamOf(typ string) string {
	switch typ {
	case "roof", "rock_burst":
		return "采掘"
	case "gas", "ventilation", "dust", "fire":
		return "通风"
	case "water":
		return "防治水"
	case "electrical", "hoisting", "transport", "machinery":
		return "机运"
	case "slope", "dump", "blasting":
		return "采剥"
	case "tailings":
		return "尾矿"
	}
	return "安全"
}

var surnames = []rune("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
var givens = []string{"伟", "建国", "志强", "海军", "立新", "文斌", "宏伟", "振华", "国庆", "永刚", "晓东", "红梅", "丽娟", "春生", "宝山", "铁军",
	"德胜", "明", "俊杰", "玉林", "巴特尔", "额尔敦", "朝鲁", "斯琴", "乌力吉", "那仁", "长青", "守业", "金龙", "雪峰", "桂芳", "国华"}

// personName invents a name (Han and Mongolian given names, as in Hulunbuir).
func (l *loader) personName() string {
	return string(surnames[l.r.IntN(len(surnames))]) + givens[l.r.IntN(len(givens))]
}
