package records

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"minesafe/internal/indicator"
)

// staffSpec is a supervision unit's roll: how many, how many without a
// professional background, how many left in 2025.
type staffSpec struct {
	region, unit    string
	n, none, leaver int
}

// staffSpecs: 94 on the roll today, 70 of them (74.5 %) professional, just
// short of the plan's 75 %: the city and several counties above, the
// others below; 5 more left in 2025.
var staffSpecs = []staffSpec{
	{"150700", "呼伦贝尔市应急管理局矿山安全监督管理科", 8, 1, 1},
	{"150702", "海拉尔区应急管理局", 6, 2, 0},
	{"150703", "扎赉诺尔区应急管理局", 8, 2, 1},
	{"150721", "阿荣旗应急管理局", 5, 2, 0},
	{"150722", "莫力达瓦达斡尔族自治旗应急管理局", 5, 2, 0},
	{"150723", "鄂伦春自治旗应急管理局", 6, 2, 0},
	{"150724", "鄂温克族自治旗应急管理局", 7, 1, 0},
	{"150725", "陈巴尔虎旗应急管理局", 8, 1, 1},
	{"150726", "新巴尔虎左旗应急管理局", 5, 2, 0},
	{"150727", "新巴尔虎右旗应急管理局", 7, 2, 0},
	{"150781", "满洲里市应急管理局", 6, 2, 0},
	{"150782", "牙克石市应急管理局", 8, 2, 1},
	{"150783", "扎兰屯市应急管理局", 5, 1, 0},
	{"150784", "额尔古纳市应急管理局", 5, 1, 0},
	{"150785", "根河市应急管理局", 5, 1, 0},
}

var professional = []string{"mining", "mining", "electromechanical", "ventilation", "geology", "surveying", "safety_engineering", "safety_engineering",
	"hydrogeology", "mineral_processing"}

// staff puts each unit's supervision staff on the roll (the county user
// keeps 陈巴尔虎旗's, the city the others').
func (l *loader) staff(ctx context.Context) error {
	l.clk.Set(l.now)
	for _, s := range staffSpecs {
		who := l.city
		if s.region == "150725" {
			who = l.county
		}
		for i := 0; i < s.n+s.leaver; i++ {
			bg := professional[l.r.IntN(len(professional))]
			if i < s.none {
				bg = "none"
			}
			position := "监管员"
			if i == 0 {
				position = "科长"
			}
			edu := []string{"本科", "本科", "硕士研究生", "大专"}[l.r.IntN(4)]
			hired := fmt.Sprintf("%d-%02d-%02d", l.pick(2006, 2024), l.pick(1, 12), l.pick(1, 28))
			left := ""
			if i >= s.n { // left in 2025: on the 2025 roll no more
				left = fmt.Sprintf("2025-%02d-%02d", l.pick(3, 11), l.pick(1, 28))
				hired = fmt.Sprintf("%d-%02d-%02d", l.pick(2006, 2020), l.pick(1, 12), l.pick(1, 28))
			}
			if _, err := l.ind.AddStaff(ctx, who, indicator.StaffInput{RegionCode: s.region, Name: l.personName(), Unit: s.unit, Position: position,
				Background: bg, Education: edu, HiredOn: hired, LeftOn: left}); err != nil {
				return fmt.Errorf("staff of %s: %w", s.region, err)
			}
			l.sum.Staff++
		}
	}
	return nil
}

// standardisation records every graded mine's award (the city records
// them): scores fit the grade, awards of the last 2½ years valid three years, a
// spot check on some. 陈巴尔虎旗西胜煤矿's 2022 三级 award has expired, and
// 满洲里市新开河煤矿's 二级 award has a part below 80 (flagged).
func (l *loader) standardisation(ctx context.Context) error {
	for _, m := range l.mines {
		if m.StdGrade == "" || m.StdGrade == "none" || m.Status == "closed" {
			continue
		}
		coal := m.Kind == "coal_underground" || m.Kind == "coal_openpit"
		var lo, hi float64
		switch m.StdGrade {
		case "grade1":
			lo, hi = 90.5, 95
		case "grade2":
			lo, hi = 81, 89
		default:
			lo, hi = 71, 79
		}
		total := round1(l.between(lo, hi))
		parts := map[string]float64{}
		if coal {
			for _, k := range []string{"disaster_prevention", "professional_management", "basic_management"} {
				parts[k] = round1(math.Min(100, total+l.between(-0.5, 3)))
			}
		}
		// Awarded 2 months to 2½ years ago: in force (three years).
		ad := l.today.AddDate(0, 0, -l.pick(60, 900))
		awarded := time.Date(ad.Year(), ad.Month(), ad.Day(), 0, 0, 0, 0, time.UTC)
		note := "（演示数据）"
		switch m.Name {
		case "陈巴尔虎旗西胜煤矿":
			awarded = time.Date(2022, 5, 16, 0, 0, 0, 0, time.UTC)
			note = "三年有效期已满，未重新申请定级。（演示数据）"
		case "满洲里市新开河煤矿":
			parts["professional_management"] = 77.5
			note = "专业管理部分得分低于二级要求，待核查。（演示数据）"
		}
		authority := "呼伦贝尔市应急管理局"
		if m.StdGrade == "grade1" {
			authority = "内蒙古自治区应急管理厅（国家矿山安全监察局内蒙古局指导）"
		}
		l.clk.Set(time.Date(awarded.Year(), awarded.Month(), awarded.Day(), 10, 0, 0, 0, l.today.Location()))
		rec, err := l.ind.AddStdRecord(ctx, l.city, indicator.StdRecordInput{MineID: m.ID, Grade: m.StdGrade, TotalScore: &total, PartScores: parts,
			AwardedOn: awarded.Format("2006-01-02"), Authority: authority, CertificateNo: fmt.Sprintf("HLBR-BZH-%d-%03d", awarded.Year(), l.sum.StdRecords+1),
			Note: note})
		if err != nil {
			return fmt.Errorf("award of %s: %w", m.Name, err)
		}
		l.sum.StdRecords++
		if coal && m.Name != "陈巴尔虎旗西胜煤矿" && l.r.IntN(3) == 0 {
			checked := l.today.AddDate(0, -l.pick(1, 5), -l.pick(0, 20))
			if checked.After(awarded) {
				l.clk.Set(checked.Add(10 * time.Hour))
				if _, err := l.ind.AddSpotCheck(ctx, l.city, rec.ID, indicator.SpotCheck{CheckedOn: checked.Format("2006-01-02"), Result: "pass",
					Note: "半年度抽查：保持定级标准。"}); err != nil {
					return fmt.Errorf("spot check of %s: %w", m.Name, err)
				}
			}
		}
	}
	return nil
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// remote divisions: far from the city's seat, poor grid.
var remote = []string{"150723", "150726", "150727", "150784", "150785"}

// facts records every mine's plan facts (the city does): hoist type, size
// class from capacity, high-risk flag from the hazard classes, remote flag
// by division, power circuits (a few small mines on one) and backup hours
// (some remote mines short of the 8 h the plan asks).
func (l *loader) facts(ctx context.Context) error {
	l.clk.Set(l.now)
	for _, m := range l.mines {
		if m.Status == "closed" {
			continue
		}
		in := indicator.PlanFactsInput{Note: "（演示数据）"}
		cap := 0.0
		if m.Capacity != nil {
			cap = *m.Capacity
		}
		switch m.Kind {
		case "coal_underground":
			in.HoistType = "multi_rope"
			if cap < 1 {
				in.HoistType = "other" // inclined shaft, winch
			}
			in.SizeClass = sizeClass(cap, 1.2, 0.45)
		case "coal_openpit":
			in.HoistType, in.SizeClass = "none", sizeClass(cap, 4, 1)
		case "metal_underground":
			in.HoistType = []string{"multi_rope", "single_rope", "single_rope", "other"}[l.r.IntN(4)]
			in.SizeClass = sizeClass(cap, 2000, 600)
		case "metal_openpit":
			in.HoistType, in.SizeClass = "none", sizeClass(cap, 3000, 1000)
		case "tailings_pond":
			in.HoistType = "none"
		}
		high := m.GasClass == "high" || m.RockBurst == "strong" || m.HydroType == "complex" || m.HydroType == "very_complex" ||
			(m.Tailings != nil && m.Tailings.HeadTop)
		rem := slices.Contains(remote, m.RegionCode)
		in.HighRisk, in.Remote = &high, &rem
		circuits := 2
		if in.SizeClass == "small" && l.r.IntN(3) == 0 {
			circuits = 1
		}
		in.PowerCircuits = &circuits
		hours := []float64{2, 4, 4, 6, 8}[l.r.IntN(5)]
		if rem {
			hours = []float64{4, 6, 8, 8, 12}[l.r.IntN(5)]
		}
		in.BackupPowerHours = &hours
		if _, err := l.ind.PutPlanFacts(ctx, l.city, m.ID, in); err != nil {
			return fmt.Errorf("facts of %s: %w", m.Name, err)
		}
		l.sum.PlanFacts++
	}
	return nil
}

func sizeClass(v, large, medium float64) string {
	switch {
	case v >= large:
		return "large"
	case v >= medium:
		return "medium"
	}
	return "small"
}

// ledger marks some of the plan's task items done (by the mine, or the
// city for a division's item) and verifies a third of those: one item in
// fourteen, spread over the tasks (each step re-reads the whole ledger, so
// they are kept few).
func (l *loader) ledger(ctx context.Context) error {
	items, err := l.ind.Items(ctx, l.city, indicator.ItemFilter{})
	if err != nil {
		return err
	}
	byID := map[int64]*mine{}
	for _, m := range l.mines {
		byID[m.ID] = m
	}
	for i, it := range items {
		if it.State != "pending" || i%14 != 3 {
			continue
		}
		who := l.city
		var m *mine
		if it.MineID != nil {
			m = byID[*it.MineID]
		}
		if m != nil {
			who = l.side(m)
		}
		l.at(l.pick(10, 90), 15, 0)
		if _, err := l.ind.Step(ctx, who, it.ID, "done", indicator.StepInput{Evidence: "已完成，相关资料已上传存档。（演示数据）"}); err != nil {
			return fmt.Errorf("ledger item %d (%s): %w", it.ID, it.TaskCode, err)
		}
		l.sum.LedgerSteps++
		if i%42 == 3 {
			verifier := l.city
			if m != nil {
				verifier = l.regulator(m, true)
			}
			l.clk.Set(l.clk.Now().Add(72 * time.Hour))
			if l.clk.Now().After(l.now) {
				l.clk.Set(l.now)
			}
			if _, err := l.ind.Step(ctx, verifier, it.ID, "verify", indicator.StepInput{Note: "现场核验属实。"}); err != nil {
				return fmt.Errorf("verify ledger item %d: %w", it.ID, err)
			}
			l.sum.LedgerSteps++
		}
	}
	return nil
}
