package catalog

// Mine-kind sets used by the sensor table.
var (
	coalU       = []string{CoalUnderground}
	underground = []string{CoalUnderground, MetalUnderground}
	openPit     = []string{CoalOpenpit, MetalOpenpit}
	pitAndPond  = []string{CoalOpenpit, MetalOpenpit, TailingsPond}
	tailings    = []string{TailingsPond}
	allKinds    = []string{CoalUnderground, CoalOpenpit, MetalUnderground, MetalOpenpit, TailingsPond}
)

// Reporting periods, seconds.
const (
	safetyPeriod = 30  // the national upload cycle of the safety monitoring system
	geoPeriod    = 600 // geotechnical and tailings instruments usually report every 10 min
	eventDriven  = 0   // sends when something happens
)

const methaneHint = "Alarm, power-cut and reset by location class (methane table, 煤矿安全规程 第四百九十八条): alarm and power-cut at ≥, reset at <."

// sensors is the catalogue. Order: coal safety monitoring, water, ground
// pressure and rock burst, open pit, tailings, sealed and idle mines.
var sensors = []SensorType{
	// Coal-mine safety monitoring (安全监控, MT/T 1201.1).
	{Key: "methane", NameZH: "甲烷", NameEN: "Methane", Unit: "%CH4", Signal: Analog, Min: 0, Max: 4, Precision: 2, Noise: 0.01,
		PeriodSeconds: safetyPeriod, MTTCode: "0001", MineKinds: coalU, RuleHint: methaneHint},
	{Key: "laser_methane", NameZH: "激光甲烷", NameEN: "Methane (laser)", Unit: "%CH4", Signal: Analog, Min: 0, Max: 100, Precision: 2, Noise: 0.01,
		PeriodSeconds: safetyPeriod, MTTCode: "0043", MineKinds: coalU, RuleHint: methaneHint + " Full range 0–100 %."},
	{Key: "co", NameZH: "一氧化碳", NameEN: "Carbon monoxide", Unit: "ppm", Signal: Analog, Min: 0, Max: 1000, Precision: 0, Noise: 1,
		PeriodSeconds: safetyPeriod, MTTCode: "0004", MineKinds: underground,
		RuleHint: "Alarm at ≥ 24 ppm (0.0024 %, 第一百三十五条) [M]; a slow rise in a return signals spontaneous combustion."},
	{Key: "o2", NameZH: "氧气", NameEN: "Oxygen", Unit: "%", Signal: Analog, Min: 0, Max: 25, Precision: 1, Noise: 0.1,
		PeriodSeconds: safetyPeriod, MTTCode: "0012", MineKinds: underground,
		RuleHint: "Intake air of working faces must hold ≥ 20 % (第一百三十五条): alarm below 20 %."},
	{Key: "co2", NameZH: "二氧化碳", NameEN: "Carbon dioxide", Unit: "%", Signal: Analog, Min: 0, Max: 5, Precision: 2, Noise: 0.02,
		PeriodSeconds: safetyPeriod, MTTCode: "0013", MineKinds: underground,
		RuleHint: "≤ 0.5 % in face intake air (第一百三十五条); > 0.75 % in a main or wing return and > 1.5 % in a district or face return call for action (第一百七十二条) [M]."},
	{Key: "temperature", NameZH: "温度", NameEN: "Temperature", Unit: "°C", Signal: Analog, Min: 0, Max: 40, Precision: 1, Noise: 0.1,
		PeriodSeconds: safetyPeriod, MTTCode: "0003", MineKinds: underground,
		RuleHint: "Working face > 26 °C shortens hours, > 30 °C stops work; electrical chambers > 30 / > 34 °C; intake below the shaft collar ≥ 2 °C (第六百五十五条) [M]."},
	{Key: "wind_speed", NameZH: "风速", NameEN: "Air velocity", Unit: "m/s", Signal: Analog, Min: 0, Max: 15, Precision: 2, Noise: 0.05,
		PeriodSeconds: safetyPeriod, MTTCode: "0002", MineKinds: underground,
		RuleHint: "Permitted minimum and maximum by roadway class (第一百三十六条): see the airway location classes."},
	{Key: "negative_pressure", NameZH: "负压", NameEN: "Negative pressure", Unit: "kPa", Signal: Analog, Min: 0, Max: 10, Precision: 2, Noise: 0.02,
		PeriodSeconds: safetyPeriod, MTTCode: "0006", MineKinds: underground,
		RuleHint: "Main-fan or drainage-pipe negative pressure: a fall to zero means the fan stopped, a sharp rise a blocked airway; limits per mine."},
	{Key: "dust", NameZH: "粉尘", NameEN: "Dust concentration", Unit: "mg/m³", Signal: Analog, Min: 0, Max: 1000, Precision: 1, Noise: 0.5,
		PeriodSeconds: safetyPeriod, MTTCode: "0014", MineKinds: underground,
		RuleHint: "Limits depend on the dust kind and are set per mine [U]."},
	{Key: "humidity", NameZH: "湿度", NameEN: "Relative humidity", Unit: "%RH", Signal: Analog, Min: 0, Max: 100, Precision: 1, Noise: 0.5,
		PeriodSeconds: safetyPeriod, MTTCode: "0018", MineKinds: underground,
		RuleHint: "Informational; no regulatory limit."},
	{Key: "smoke", NameZH: "烟雾", NameEN: "Smoke", Signal: Switch, Min: 0, Max: 1,
		PeriodSeconds: safetyPeriod, MTTCode: "1008", MineKinds: underground, States: []string{"无烟雾", "有烟雾"},
		RuleHint: "1 = smoke (fire), mostly along belt conveyors: alarm at once."},
	{Key: "fan_state", NameZH: "主通风机开停", NameEN: "Main fan on/off", Signal: Switch, Min: 0, Max: 1,
		PeriodSeconds: safetyPeriod, MTTCode: "1010", MineKinds: underground, States: []string{"停", "开"},
		RuleHint: "0 = stopped: an unplanned main-fan stop is an immediate alarm (withdraw people)."},
	{Key: "air_door", NameZH: "风门开关", NameEN: "Air door open/closed", Signal: Switch, Min: 0, Max: 1,
		PeriodSeconds: safetyPeriod, MTTCode: "1002", MineKinds: underground, States: []string{"关", "开"},
		RuleHint: "Both doors of one air lock open at once short-circuits the ventilation: alarm."},
	{Key: "air_duct", NameZH: "风筒状态", NameEN: "Ventilation duct", Signal: Switch, Min: 0, Max: 1,
		PeriodSeconds: safetyPeriod, MTTCode: "1003", MineKinds: coalU, States: []string{"无风", "有风"},
		RuleHint: "0 = no air in the local-fan duct: the heading must stop and lose power (风电闭锁)."},
	{Key: "feed_state", NameZH: "馈电状态", NameEN: "Power feed state", Signal: Switch, Min: 0, Max: 1,
		PeriodSeconds: safetyPeriod, MTTCode: "1011", MineKinds: coalU, States: []string{"无电", "有电"},
		RuleHint: "Feedback of a power cut: after the linked methane point cut power it must read 无电, otherwise 馈电异常 (YCBJ 003)."},
	{Key: "power_switch", NameZH: "断电器", NameEN: "Power-cut relay", Signal: Switch, Min: 0, Max: 1,
		PeriodSeconds: safetyPeriod, MTTCode: "1009", MineKinds: coalU, States: []string{"复电", "断电"},
		RuleHint: "State of the relay a methane point drives; must agree with the point's power-cut status. State names [M]."},
	{Key: "equipment_state", NameZH: "设备开停", NameEN: "Equipment on/off", Signal: Switch, Min: 0, Max: 1,
		PeriodSeconds: safetyPeriod, MTTCode: "1004", MineKinds: underground, States: []string{"停", "开"},
		RuleHint: "Running state of fans, pumps, belts and shearers; a local fan that stops must cut power in its heading (风电闭锁)."},

	// Water (水位 in the safety system; 长观孔 and 涌水量 in the 防治水 system).
	{Key: "water_level", NameZH: "水位", NameEN: "Water level (sump, pool)", Unit: "m", Signal: Analog, Min: 0, Max: 50, Precision: 2, Noise: 0.01,
		PeriodSeconds: safetyPeriod, MTTCode: "0007", MineKinds: underground,
		RuleHint: "Sump or pool level against the mine's pumping plan; limits per mine."},
	{Key: "borehole_water_level", NameZH: "长观孔水位", NameEN: "Observation-borehole water level", Unit: "m", Signal: Analog, Min: 0, Max: 500, Precision: 2, Noise: 0.01,
		PeriodSeconds: geoPeriod, MTTCode: "0502", MineKinds: []string{CoalUnderground, CoalOpenpit, MetalUnderground},
		RuleHint: "防治水 system: a rapid change signals a connection with an aquifer; limits per mine [U]."},
	{Key: "water_inflow", NameZH: "涌水量", NameEN: "Mine water inflow", Unit: "m³/h", Signal: Analog, Min: 0, Max: 5000, Precision: 1, Noise: 1,
		PeriodSeconds: geoPeriod, MTTCode: "0503", MineKinds: underground,
		RuleHint: "防治水 system: a sudden rise is a water-inrush precursor; compare with the normal and maximum inflow of the mine's water-hazard assessment [U]."},

	// Ground pressure (矿压) and rock burst (冲击地压).
	{Key: "support_resistance", NameZH: "支架阻力", NameEN: "Support resistance", Unit: "MPa", Signal: Analog, Min: 0, Max: 60, Precision: 1, Noise: 0.2,
		PeriodSeconds: safetyPeriod, MTTCode: "1101", MineKinds: underground,
		RuleHint: "Hydraulic-support leg pressure: periodic weighting shows as cycles; limits from the support's rated resistance."},
	{Key: "borehole_stress", NameZH: "钻孔应力", NameEN: "Borehole stress", Unit: "MPa", Signal: Analog, Min: 0, Max: 30, Precision: 2, Noise: 0.05,
		PeriodSeconds: safetyPeriod, MTTCode: "1201", MineKinds: underground,
		RuleHint: "Rock-burst warning: level and rate of rise against site thresholds (防治煤矿冲击地压细则) [U]."},
	{Key: "ground_pressure", NameZH: "围岩应力(地压)", NameEN: "Ground pressure (rock stress)", Unit: "MPa", Signal: Analog, Min: 0, Max: 60, Precision: 2, Noise: 0.05,
		PeriodSeconds: safetyPeriod, MTTCode: "1202", MineKinds: underground,
		RuleHint: "Surrounding-rock stress; limits per site."},
	{Key: "bolt_load", NameZH: "锚杆应力", NameEN: "Rock-bolt load", Unit: "kN", Signal: Analog, Min: 0, Max: 300, Precision: 1, Noise: 0.5,
		PeriodSeconds: safetyPeriod, MTTCode: "1301", MineKinds: underground,
		RuleHint: "Against the bolt's design load; a sudden drop means a broken bolt."},
	{Key: "cable_load", NameZH: "锚索应力", NameEN: "Cable-bolt load", Unit: "kN", Signal: Analog, Min: 0, Max: 600, Precision: 1, Noise: 1,
		PeriodSeconds: safetyPeriod, MTTCode: "1302", MineKinds: underground,
		RuleHint: "Against the cable's design load; a sudden drop means a broken cable."},
	{Key: "roof_separation", NameZH: "顶板离层", NameEN: "Roof separation", Unit: "mm", Signal: Analog, Min: 0, Max: 200, Precision: 1, Noise: 0.1,
		PeriodSeconds: safetyPeriod, MTTCode: "1401", MineKinds: underground,
		RuleHint: "Separation of roof strata; warning levels set per roadway support design."},
	{Key: "microseismic_energy", NameZH: "微震能量", NameEN: "Microseismic event energy", Unit: "J", Signal: Analog, Min: 0, Max: 1e8, Precision: 0, Noise: 0,
		PeriodSeconds: eventDriven, MineKinds: underground,
		RuleHint: "One value per event; ≥ 1e5 J is commonly flagged large and ≥ 1e6 J strong, with daily energy and event counts; thresholds are site-specific [M]."},

	// Open-pit slopes and dumps.
	{Key: "slope_displacement", NameZH: "边坡表面位移", NameEN: "Slope surface displacement", Unit: "mm", Signal: Analog, Min: -2000, Max: 2000, Precision: 1, Noise: 2,
		PeriodSeconds: geoPeriod, MineKinds: openPit, Axes: []string{"x", "y", "z"},
		RuleHint: "Cumulative since the baseline, one point per axis (x east, y north, z up). Reference warnings (GB 51214 §12.3.3, calibrate per mine): pit > 10 mm/d, working slope ≥ 5 mm/h, dump > 25–50 cm/d."},
	{Key: "slope_displacement_resultant", NameZH: "边坡合位移", NameEN: "Slope resultant displacement", Unit: "mm", Signal: Analog, Min: 0, Max: 3500, Precision: 1, Noise: 3,
		PeriodSeconds: geoPeriod, MineKinds: openPit, DerivedFrom: "slope_displacement",
		RuleHint: "√(x²+y²+z²) of one station's axis points; its velocity feeds the tangent-angle (80°/85°) and inverse-velocity (Fukuzono) checks."},
	{Key: "radar_displacement", NameZH: "雷达位移", NameEN: "Slope radar displacement", Unit: "mm", Signal: Analog, Min: -1000, Max: 1000, Precision: 2, Noise: 0.2,
		PeriodSeconds: 300, MineKinds: openPit,
		RuleHint: "Line-of-sight displacement of a radar area; velocity and inverse-velocity triggers are set per site [M]."},
	{Key: "inclinometer", NameZH: "测斜仪(深部位移)", NameEN: "Inclinometer (subsurface displacement)", Unit: "mm", Signal: Analog, Min: -500, Max: 500, Precision: 2, Noise: 0.1,
		PeriodSeconds: geoPeriod, MineKinds: pitAndPond,
		RuleHint: "Displacement at depth; a shear zone shows as a kink that grows with time. Limits per design."},
	{Key: "crack_meter", NameZH: "裂缝计", NameEN: "Crack width", Unit: "mm", Signal: Analog, Min: 0, Max: 500, Precision: 1, Noise: 0.1,
		PeriodSeconds: geoPeriod, MineKinds: pitAndPond,
		RuleHint: "Reference (GB 51214 §12.3.3): surrounding-ground crack > 50 mm, rock-slope crack > 7×10⁻⁴ H, dump-crest crack > 50 mm."},
	{Key: "rainfall", NameZH: "降雨量", NameEN: "Rainfall", Unit: "mm", Signal: Analog, Min: 0, Max: 200, Precision: 1, Noise: 0,
		PeriodSeconds: geoPeriod, MineKinds: allKinds,
		RuleHint: "Rain in the reporting interval, summed per hour and 24 h. Tailings yellow = 暴雨-grade rain (GB 51108 §8.3; ≥ 50 mm/24 h [M]); storms also trigger the flood-withdrawal rules of coal mines."},

	// Tailings ponds (GB 39496 §5.5, GB 51108).
	{Key: "dam_surface_displacement", NameZH: "坝体表面位移", NameEN: "Dam surface displacement", Unit: "mm", Signal: Analog, Min: -1000, Max: 1000, Precision: 1, Noise: 2,
		PeriodSeconds: geoPeriod, MineKinds: tailings, Axes: []string{"x", "y", "z"},
		RuleHint: "Thresholds per point from the design institute; four levels 蓝/黄/橙/红, escalating across points (GB 39496 §5.5.4)."},
	{Key: "dam_internal_displacement", NameZH: "坝体内部位移", NameEN: "Dam internal displacement", Unit: "mm", Signal: Analog, Min: -500, Max: 500, Precision: 2, Noise: 0.1,
		PeriodSeconds: geoPeriod, MineKinds: tailings, Axes: []string{"x", "y"},
		RuleHint: "Thresholds per point from the design institute (GB 39496 §5.5.4)."},
	{Key: "phreatic_depth", NameZH: "浸润线埋深", NameEN: "Phreatic line depth", Unit: "m", Signal: Analog, Min: 0, Max: 60, Precision: 2, Noise: 0.01,
		PeriodSeconds: geoPeriod, MineKinds: tailings,
		RuleHint: "Alarm when the depth falls below: red = the design's minimum burial depth, orange = 1.1 × red (GB 51108 §8.3); seismic zones ≥ 6 m (grades 1–3) or ≥ 4 m (grades 4–5) [C]."},
	{Key: "pond_level", NameZH: "库水位", NameEN: "Pond water level", Unit: "m", Signal: Analog, Min: 0, Max: 3000, Precision: 2, Noise: 0.01,
		PeriodSeconds: geoPeriod, MineKinds: tailings,
		RuleHint: "Elevation against the design's normal and flood-control levels (GB 51108 §8.3)."},
	{Key: "dry_beach_length", NameZH: "干滩长度", NameEN: "Dry beach length", Unit: "m", Signal: Analog, Min: 0, Max: 1000, Precision: 1, Noise: 0.5,
		PeriodSeconds: geoPeriod, MineKinds: tailings,
		RuleHint: "Minimum by dam grade 1–5, upstream dams 150/100/70/50/40 m, downstream and centre-line 100/70/50/35/25 m (GB 50863 表4.2.2) [M]."},
	{Key: "freeboard", NameZH: "安全超高", NameEN: "Freeboard", Unit: "m", Signal: Analog, Min: 0, Max: 20, Precision: 2, Noise: 0.01,
		PeriodSeconds: geoPeriod, MineKinds: tailings,
		RuleHint: "Minimum by dam grade 1–5: 1.5/1.0/0.7/0.5/0.4 m (GB 50863 表4.2.1) [M]."},
	{Key: "seepage", NameZH: "渗流量", NameEN: "Seepage flow", Unit: "L/s", Signal: Analog, Min: 0, Max: 100, Precision: 2, Noise: 0.02,
		PeriodSeconds: geoPeriod, MineKinds: tailings,
		RuleHint: "A sudden rise, or turbid seepage, signals piping; limits per design."},

	// Sealed and idle mines; electronic seals (enforcement).
	{Key: "power", NameZH: "用电功率", NameEN: "Electric power", Unit: "kW", Signal: Analog, Min: 0, Max: 20000, Precision: 1, Noise: 1,
		PeriodSeconds: safetyPeriod, MineKinds: allKinds,
		RuleHint: "Meter of a sealed or idle mine: load above the declared standby (ventilation, drainage) suggests illegal production."},
	{Key: "seal_event", NameZH: "电子封条", NameEN: "Electronic seal event", Signal: Switch, Min: 0, Max: 1,
		PeriodSeconds: eventDriven, MineKinds: allKinds, States: []string{"正常", "触发"},
		RuleHint: "1 = the seal saw a person or vehicle pass, or was tampered with: any event at a sealed entrance is an alarm."},
}
