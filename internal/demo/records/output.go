package records

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"minesafe/internal/accident"
	"minesafe/internal/auth"
	"minesafe/internal/clock"
)

// FirstMonth is the first month of loaded coal output: the plan's base year.
const FirstMonth = "2025-01"

// months answers the months from FirstMonth up to the one before now's
// month (Asia/Shanghai).
func (l *loader) months() []string {
	var out []string
	end := time.Date(l.today.Year(), l.today.Month(), 1, 0, 0, 0, 0, clock.Shanghai)
	for t := time.Date(2025, 1, 1, 0, 0, 0, 0, clock.Shanghai); t.Before(end); t = t.AddDate(0, 1, 0) {
		out = append(out, t.Format("2006-01"))
	}
	return out
}

// producing tells whether a demo mine is a producing coal mine (the halted,
// suspended, constructing and closed ones report no output).
func producing(m *mine) bool {
	return (m.Kind == "coal_underground" || m.Kind == "coal_openpit") && m.Status == "producing" && m.Capacity != nil
}

// production posts every producing coal mine's monthly output: the
// capacity (Mt/a) spread over the year at a utilisation of 78–95 %, open
// pits slower in the deep-cold months and faster in summer, with a few per
// cent of month-to-month noise. A year never exceeds the capacity. The
// enterprise user imports its own mines' figures, the city the others'.
func (l *loader) production(ctx context.Context) error {
	months := l.months()
	byWho := map[*auth.Principal][]accident.ImportRow{}
	var order []*auth.Principal
	for _, m := range l.mines {
		if !producing(m) {
			continue
		}
		use := l.between(0.78, 0.95)
		who := l.city
		if l.side(m) == l.enterprise {
			who = l.enterprise
		}
		if _, ok := byWho[who]; !ok {
			order = append(order, who)
		}
		for _, month := range months {
			mo, _ := strconv.Atoi(month[5:])
			season := 1.0
			if m.Kind == "coal_openpit" {
				season = []float64{0.86, 0.88, 0.95, 1.0, 1.06, 1.08, 1.08, 1.08, 1.06, 1.02, 0.95, 0.88}[mo-1]
			}
			t := math.Round(*m.Capacity * 1e6 / 12 * use * season * l.between(0.96, 1.04))
			byWho[who] = append(byWho[who], accident.ImportRow{Line: len(byWho[who]) + 2, MineCode: m.Code, Month: month,
				Tonnes: strconv.FormatFloat(t, 'f', 0, 64), Note: "演示数据 demo"})
			l.sum.ProductionMonths++
			l.sum.CoalTonnes += t
		}
	}
	l.clk.Set(l.now)
	for _, who := range order {
		res, err := l.acc.ImportProduction(ctx, who, byWho[who])
		if err != nil {
			return err
		}
		if len(res.Rejected) > 0 {
			return fmt.Errorf("production rows refused: %+v", res.Rejected[0])
		}
	}
	return nil
}

// accidentSpec is one invented accident. At is Asia/Shanghai local time.
type accidentSpec struct {
	mine, at, typ     string
	deaths, injuries  int
	lossYuan          int64
	contractor        bool
	narrative         string
	recordedAfterDays int
}

// accidentSpecs: 2025, the plan's base year, has 10 accidents with 10
// deaths (7 of them in coal mines), one of them 较大 (3 deaths); 2026 has
// fewer. Those after the reference date are left out.
var accidentSpecs = []accidentSpec{
	{"灵泉煤矿", "2025-01-17T03:40", "roof", 1, 0, 1_850_000, false,
		"夜班11盘区回采巷道超前支护段发生冒顶，1名支护工被埋压，经抢救无效死亡。直接原因：超前支护单体支柱初撑力不足。（演示数据）", 1},
	{"扎赉诺尔区宏达煤矿", "2025-02-26T14:20", "water", 3, 1, 6_400_000, false,
		"该矿在停产整顿期间擅自组织掘进作业，-210水平掘进工作面揭露老空区发生透水，3人死亡、1人重伤。企业被列入黑名单。（演示数据）", 1},
	{"东明露天煤矿", "2025-04-09T10:15", "transport", 1, 0, 980_000, true,
		"外包剥离单位一台矿用自卸卡车在运输道路下坡段制动失效，撞向路侧挡墙，驾驶员死亡。（演示数据）", 1},
	{"甲乌拉银铅锌矿", "2025-05-21T22:05", "roof", 1, 0, 1_200_000, true,
		"承包单位作业人员在-120m中段采场出矿时，顶板浮石冒落，1人死亡。（演示数据）", 2},
	{"宝日希勒露天煤矿", "2025-06-30T16:45", "dump_slide", 0, 1, 2_600_000, true,
		"暴雨后北排土场局部滑塌，1台推土机被埋，司机重伤。（演示数据）", 1},
	{"敏东一矿", "2025-08-14T05:30", "roof", 1, 2, 3_100_000, false,
		"I0116303工作面回风巷发生冲击地压显现，巷道底鼓、帮部冲出，1人死亡、2人重伤。（演示数据）", 1},
	{"得耳布尔铅锌矿", "2025-09-03T08:50", "hoisting", 1, 0, 1_600_000, false,
		"主竖井罐笼检修时，检修工未系安全带从罐顶坠落，1人死亡。（演示数据）", 1},
	{"牙克石市胜利煤矿", "2025-10-22T19:10", "electrical", 1, 0, 650_000, false,
		"井下采区变电所检修时未停电验电，1名电工触电死亡。（演示数据）", 1},
	{"乌努格吐山铜钼矿", "2025-11-18T11:25", "transport", 1, 0, 1_100_000, true,
		"冬季路面结冰，外包运输单位一台宽体车侧翻，驾驶员死亡。（演示数据）", 1},
	{"大杨树金矿", "2025-12-09T02:35", "poisoning", 0, 2, 420_000, false,
		"爆破后通风时间不足，2名出矿工进入独头巷道炮烟中毒，经救治脱离危险。（演示数据）", 2},
	{"灵东煤矿", "2026-03-12T09:20", "roof", 1, 0, 1_700_000, false,
		"1102综放工作面机尾端头顶板冒落，1名支架工死亡。（演示数据）", 1},
	{"扎尼河露天煤矿", "2026-05-07T15:00", "transport", 0, 1, 760_000, true,
		"外包剥离单位两台矿用卡车在排土场会车时剐蹭，1名驾驶员重伤。（演示数据）", 1},
	{"查干布拉根铅锌银矿", "2026-08-19T21:40", "blasting", 1, 0, 1_350_000, true,
		"承包单位在-80m中段处理盲炮时违章作业，发生爆炸，1人死亡。（演示数据）", 1},
	{"诺门罕萤石矿", "2026-10-16T13:05", "fire", 0, 0, 380_000, false,
		"井下空压机硐室电缆着火，人员及时撤离，无伤亡。（演示数据）", 1},
}

// accidentsDue answers the accident specs that took place at least a day
// before the reference date.
func (l *loader) accidentsDue() []accidentSpec {
	var out []accidentSpec
	for _, a := range accidentSpecs {
		t, err := time.ParseInLocation("2006-01-02T15:04", a.at, clock.Shanghai)
		if err != nil {
			panic(err)
		}
		if t.Before(l.now.Add(-24 * time.Hour)) {
			out = append(out, a)
		}
	}
	return out
}

// accidents records the accidents, as the city does, each a day or two
// after it happened.
func (l *loader) accidents(ctx context.Context) error {
	for _, a := range l.accidentsDue() {
		m := l.mine(a.mine)
		t, _ := time.ParseInLocation("2006-01-02T15:04", a.at, clock.Shanghai)
		l.clk.Set(minTime(t.AddDate(0, 0, a.recordedAfterDays), l.now))
		_, err := l.acc.Create(ctx, l.city, accident.Input{MineID: m.ID, OccurredAt: t.Format(time.RFC3339), Type: a.typ,
			Deaths: ptr(a.deaths), SeriousInjuries: ptr(a.injuries), DirectLossYuan: ptr(a.lossYuan), ContractorInvolved: a.contractor,
			Narrative: strings.TrimSpace(a.narrative)})
		if err != nil {
			return fmt.Errorf("accident at %s on %s: %w", a.mine, a.at, err)
		}
		l.sum.Accidents++
		l.sum.Deaths += a.deaths
	}
	return nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
