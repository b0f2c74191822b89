package rules

import (
	"fmt"

	"minesafe/internal/telemetry/catalog"
)

func f(v float64) *float64 { return &v }

// Default answers the shipped rule set: the regulation's values where the
// domain notes have them, labelled defaults ([M]) elsewhere. docs/warnings.md
// lists every row; a regulator changes them through the rules API.
func Default() Set {
	var s Set
	// Methane: one rule per row of the sensor table (煤矿安全规程 第四百九十八条):
	// at or above the alarm value orange, at or above the power-cut value red,
	// cleared below the reset value. No blue or yellow by default.
	for _, loc := range catalog.Locations() {
		m := loc.Methane
		if m == nil {
			continue
		}
		steps := []Step{{Orange, m.Alarm}}
		if m.PowerCut != nil {
			steps = append(steps, Step{Red, *m.PowerCut})
		}
		reset := m.Alarm
		if m.Reset != nil {
			reset = *m.Reset
		}
		if reset > m.Alarm {
			reset = m.Alarm
		}
		s.Thresholds = append(s.Thresholds, Threshold{
			ID: "methane." + loc.Key, Sensors: []string{"methane", "laser_methane"}, Locations: []string{loc.Key},
			Op: ">=", Steps: steps, Reset: f(reset),
			Basis:      fmt.Sprintf("煤矿安全规程 第四百九十八条 甲烷传感器设置: %s", m.NameZH),
			Confidence: m.Confidence,
		})
	}
	s.Thresholds = append(s.Thresholds,
		Threshold{ID: "methane.other", Sensors: []string{"methane", "laser_methane"}, Op: ">=", Steps: []Step{{Orange, 1.0}, {Red, 1.5}}, Reset: f(1.0),
			Basis: "作业地点 CH4 ≥1.0% 停止作业, ≥1.5% 断电撤人 (煤矿安全规程 第一百七十二条起); for places the sensor table does not name", Confidence: "M"},
		Threshold{ID: "co", Sensors: []string{"co"}, Op: ">=", Steps: []Step{{Orange, 24}}, Reset: f(20),
			Basis: "CO 最高允许浓度 0.0024% (24 ppm), 煤矿安全规程 第一百三十五条; reset at 20 ppm is a default hysteresis", Confidence: "M"},
		Threshold{ID: "o2", Sensors: []string{"o2"}, Op: "<", Steps: []Step{{Orange, 20}}, Reset: f(20.2),
			Basis: "采掘工作面进风流 O2 ≥ 20%, 煤矿安全规程 第一百三十五条; reset at 20.2% is a default hysteresis", Confidence: "V"},
		Threshold{ID: "co2.intake", Sensors: []string{"co2"}, Locations: []string{"intake", "coal_face", "heading_face", "working_face"}, Op: ">=", Steps: []Step{{Orange, 0.5}}, Reset: f(0.5),
			Basis: "采掘工作面进风流 CO2 ≤ 0.5%, 第一百三十五条", Confidence: "V"},
		Threshold{ID: "co2.return", Sensors: []string{"co2"}, Op: ">=", Steps: []Step{{Yellow, 0.75}, {Orange, 1.5}}, Reset: f(0.75),
			Basis: "总回风 CO2 > 0.75% 查明原因; 采区/工作面回风 > 1.5% 停工撤人, 第一百七十二条起", Confidence: "M"},
		Threshold{ID: "temperature.face", Sensors: []string{"temperature"}, Locations: []string{"working_face", "coal_face", "heading_face"}, Op: ">=", Steps: []Step{{Yellow, 26}, {Orange, 30}}, Reset: f(26),
			Basis: "采掘工作面 > 26℃ 缩短工时, > 30℃ 停止作业, 第六百五十五条", Confidence: "M"},
		Threshold{ID: "temperature.chamber", Sensors: []string{"temperature"}, Locations: []string{"electrical_chamber"}, Op: ">=", Steps: []Step{{Yellow, 30}, {Orange, 34}}, Reset: f(30),
			Basis: "机电设备硐室 > 30℃ / > 34℃, 第六百五十五条", Confidence: "M"},
		// Tailings: red at the design minimum, orange at 1.1 × it (GB 51108
		// 条文说明 §8.3 for the phreatic line; the same factor is assumed for
		// freeboard and dry beach).
		Threshold{ID: "tailings.phreatic", Sensors: []string{"phreatic_depth"}, Op: "<", Relative: "design_phreatic_depth_m", Steps: []Step{{Orange, 1.1}, {Red, 1.0}}, Reset: f(1.1),
			Basis: "浸润线: red = 最小埋深, orange = 1.1 × red (GB 51108 §8.3 条文说明)", Confidence: "V"},
		Threshold{ID: "tailings.freeboard", Sensors: []string{"freeboard"}, Op: "<", Relative: "design_freeboard_m", Steps: []Step{{Orange, 1.1}, {Red, 1.0}}, Reset: f(1.1),
			Basis: "安全超高: red = 设计最小安全超高 (GB 50863 表4.2.1); orange factor assumed", Confidence: "M"},
		Threshold{ID: "tailings.dry_beach", Sensors: []string{"dry_beach_length"}, Op: "<", Relative: "design_min_dry_beach_m", Steps: []Step{{Orange, 1.1}, {Red, 1.0}}, Reset: f(1.1),
			Basis: "干滩长度: red = 设计最小干滩长度 (GB 50863 表4.2.1); orange factor assumed", Confidence: "M"},
		Threshold{ID: "microseismic", Sensors: []string{"microseismic_energy"}, Op: ">=", Steps: []Step{{Yellow, 1e5}, {Orange, 1e6}}, Reset: f(1e5),
			Basis: "practice: ≥10⁵ J large, ≥10⁶ J strong events; site-specific, no national value", Confidence: "M"},
	)
	// Wind: outside the permitted range of the roadway class (第一百三十六条).
	for _, loc := range catalog.Locations() {
		w := loc.Wind
		if w == nil {
			continue
		}
		if w.Max != nil {
			s.Thresholds = append(s.Thresholds, Threshold{ID: "wind.max." + loc.Key, Sensors: []string{"wind_speed"}, Locations: []string{loc.Key},
				Op: ">=", Steps: []Step{{Yellow, *w.Max}}, Reset: f(*w.Max), Basis: "煤矿安全规程 第一百三十六条 最高允许风速: " + loc.NameZH, Confidence: w.Confidence})
		}
		if w.Min != nil {
			s.Thresholds = append(s.Thresholds, Threshold{ID: "wind.min." + loc.Key, Sensors: []string{"wind_speed"}, Locations: []string{loc.Key},
				Op: "<", Steps: []Step{{Yellow, *w.Min}}, Reset: f(*w.Min), Basis: "煤矿安全规程 第一百三十六条 最低允许风速: " + loc.NameZH, Confidence: w.Confidence})
		}
	}
	s.Rates = []Rate{
		{ID: "slope.pit", Sensors: []string{"slope_displacement_resultant", "slope_displacement", "radar_displacement"}, Locations: []string{"pit_slope", "general", "surface"},
			WindowS: 6 * 3600, Per: "d", Steps: []Step{{Yellow, 5}, {Orange, 10}, {Red, 120}},
			Basis: "GB 51214-2017 §12.3.3 参考: 采场 > 10 mm/d (orange); 工作帮 ≥ 5 mm/h = 120 mm/d (red); yellow at half the reference", Confidence: "M"},
		{ID: "slope.dump", Sensors: []string{"slope_displacement_resultant", "slope_displacement", "radar_displacement"}, Locations: []string{"dump_slope"},
			WindowS: 6 * 3600, Per: "d", Steps: []Step{{Orange, 250}, {Red, 500}},
			Basis: "GB 51214-2017 §12.3.3 参考: 排土场 25–50 cm/d", Confidence: "M"},
		{ID: "water.rise", Sensors: []string{"water_level", "pond_level"}, WindowS: 3600, Per: "h", Steps: []Step{{Yellow, 0.1}, {Orange, 0.3}},
			Basis: "default: water-level rise per hour; set per mine from its design flood and control levels", Confidence: "M"},
	}
	s.Interruption.Periods, s.Interruption.Level = 3, Yellow
	s.Offline.Minutes, s.Offline.Level = 10, Yellow
	s.Fault.Level = Blue
	s.Flatline.Minutes, s.Flatline.Level = 30, Orange
	s.Rollup.BluePointsToYellow, s.Rollup.YellowPointsToOrange, s.Rollup.OrangePointsToRed, s.Rollup.BlueItemsToYellow = 4, 3, 2, 4
	s.Escalation = map[string]Escalation{
		"red": {CountyMin: 5, CityMin: 15}, "orange": {CountyMin: 15, CityMin: 60},
		"yellow": {CountyMin: 60, CityMin: 240}, "blue": {},
	}
	s.ReminderMin = 5
	s.LateS = 120
	return s
}
