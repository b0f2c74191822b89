package catalog

// Sources cited by the location table.
const (
	srcMethane   = "煤矿安全规程 第四百九十八条 表 (AQ 1029)"
	srcTrolley   = "煤矿安全规程 第四百九十八条 表, 架线电机车 row"
	srcWind      = "煤矿安全规程 第一百三十六条"
	srcAir       = "煤矿安全规程 第一百三十五条"
	srcGasAction = "煤矿安全规程 第一百七十二条"
	srcHeat      = "煤矿安全规程 第六百五十五条"
	srcCO        = "AQ 1029 (CO alarm, clause not confirmed)"
	srcSlopeRef  = "GB 51214-2017 §12.3.3 条文说明 (reference values, calibrate per mine)"
	srcTailings  = "GB 39496-2020 §5.5.4"
)

var methaneSensors = []string{"methane", "laser_methane"}

// methane builds a methane-family location from its table row.
func methane(key, nameEN, code, zh string, alarm float64, cut, reset *float64, scope, conf, src, note string, limits ...Limit) Location {
	return Location{
		Key: key, Family: FamilyMethane, NameZH: zh, NameEN: nameEN, Sensors: methaneSensors,
		Methane: &MethaneRule{
			Location: key, NameZH: zh, Code: code,
			MethaneSetting: MethaneSetting{Alarm: alarm, PowerCut: cut, Reset: reset, PowerCutScope: scope},
			Confidence:     conf, Source: src, Note: note,
		},
		Limits: limits,
	}
}

// airway builds a roadway class of the wind-speed table.
func airway(key, zh, nameEN string, lo, hi *float64) Location {
	return Location{
		Key: key, Family: FamilyAirway, NameZH: zh, NameEN: nameEN, Sensors: []string{"wind_speed"},
		Wind: &WindRange{Min: lo, Max: hi, Confidence: Read, Source: srcWind},
	}
}

func co2Return(value float64, action string) Limit {
	return Limit{Sensor: "co2", Measure: MeasureValue, Op: ">", Value: value, Unit: "%", Action: action, Confidence: Believed, Source: srcGasAction}
}

// locations is the table of location classes. The methane rows follow the
// table of regulations.md §2.3 row by row; that table is [C] (corroborated)
// except where a row says otherwise.
var locations = []Location{
	methane("upper_corner", "Upper (return) corner of a coal face", "T0", "采煤工作面回风隅角(上隅角)",
		1.0, f(1.5), f(1.0), "工作面及其回风巷", Believed, srcMethane,
		"The source page shows reset <1.5; the official reset is believed to be <1.0, used here [M]."),
	methane("coal_face", "Coal face, low- or high-gas mine", "T1", "低瓦斯、高瓦斯矿井采煤工作面",
		1.0, f(1.5), f(1.0), "工作面及其回风巷", Corroborated, srcMethane, ""),
	methane("outburst_coal_face", "Coal face, outburst mine", "T1", "突出矿井采煤工作面",
		1.0, f(1.5), f(1.0), "工作面及其进、回风巷", Corroborated, srcMethane, ""),
	methane("face_return", "Coal-face return roadway", "T2", "采煤工作面回风巷",
		1.0, f(1.0), f(1.0), "工作面及其回风巷", Corroborated, srcMethane, "",
		co2Return(1.5, "stop work, withdraw people, deal with it (采掘工作面回风巷 CO2 > 1.5 %)")),
	methane("outburst_face_intake", "Coal-face intake, outburst mine", "T3", "突出矿井采煤工作面进风巷",
		0.5, f(0.5), f(0.5), "进风巷内", Corroborated, srcMethane, ""),
	methane("serial_face_intake", "Intake of a coal face ventilated in series", "T4", "串联通风被串采煤工作面进风巷",
		0.5, f(0.5), f(0.5), "被串工作面及其进、回风巷", Corroborated, srcMethane, ""),
	methane("face_return_middle", "Middle of a coal-face return, high-gas or outburst mine", "", "高瓦斯、突出矿井采煤工作面回风巷中部",
		1.0, f(1.0), f(1.0), "工作面及其回风巷", Corroborated, srcMethane, ""),
	methane("shearer", "On the shearer", "", "采煤机(机载)",
		1.0, f(1.5), f(1.0), "采煤机电源", Corroborated, srcMethane, ""),
	methane("heading_face", "Heading face in coal, part-coal or gassy rock", "T1", "煤巷、半煤岩巷和有瓦斯涌出岩巷掘进工作面",
		1.0, f(1.5), f(1.0), "掘进巷道内", Corroborated, srcMethane, ""),
	methane("heading_return", "Heading return airflow", "T2", "掘进工作面回风流",
		1.0, f(1.0), f(1.0), "掘进巷道内", Corroborated, srcMethane, "",
		co2Return(1.5, "stop work, withdraw people, deal with it (采掘工作面回风巷 CO2 > 1.5 %)")),
	func() Location {
		l := methane("serial_heading_fan", "Before the local fan of a heading ventilated in series", "", "被串掘进工作面局部通风机前",
			0.5, f(0.5), f(0.5), "被串掘进巷道内", Corroborated, srcMethane,
			"Two settings: at 0.5 the heading loses power; at 1.5 the local fan too.")
		l.Methane.Extra = []MethaneSetting{{Alarm: 1.5, PowerCut: f(1.5), Reset: f(0.5), PowerCutScope: "被串掘进巷道内(含局部通风机)"}}
		return l
	}(),
	methane("drainage_roadway", "Dedicated gas-drainage roadway", "T7", "专用排瓦斯巷",
		2.5, f(2.5), f(2.5), "工作面内", Corroborated, srcMethane, ""),
	methane("drainage_mixed_return", "Mixed return of a coal face with a gas-drainage roadway", "T8", "有专用排瓦斯巷的采煤工作面混合回风流处",
		1.0, f(1.0), f(1.0), "工作面及其回风巷", Corroborated, srcMethane, ""),
	methane("trolley_loading_point", "Trolley-locomotive loading point or downwind of gas emission, main intake haulage of a high-gas mine", "",
		"高瓦斯矿井进风的主要运输巷道内使用架线电机车时，装煤点、瓦斯涌出巷道的下风流",
		0.5, f(0.5), f(0.5), "装煤点(或瓦斯涌出巷道)上风流100 m内及其下风流的架空线电源和全部非本质安全型电气设备",
		Read, srcTrolley, ""),
	methane("district_return", "District return roadway", "", "采区回风巷",
		1.0, f(1.0), f(1.0), "采区回风巷内", Believed, srcMethane,
		"Power-cut scope [M].",
		co2Return(1.5, "stop work, withdraw people, deal with it (采区回风巷 CO2 > 1.5 %)")),
	methane("main_return", "Main or wing return", "", "矿井总回风巷、一翼回风巷",
		0.75, nil, nil, "", Believed, srcMethane,
		"Alarm only: find the cause and deal with it (第一百七十二条). No power cut.",
		co2Return(0.75, "find the cause immediately and deal with it (总回风巷/一翼回风巷 CO2 > 0.75 %)")),
	methane("coal_bunker", "Underground coal bunker or enclosed surface belt-conveyor gallery", "", "井下煤仓；封闭的带式输送机地面走廊",
		1.5, f(1.5), f(1.5), "煤仓附近运输设备等", Believed, srcMethane, ""),

	// Permitted air velocity by roadway (第一百三十六条).
	airway("shaft_no_hoist", "无提升设备的风井和风硐", "Ventilation shaft or fan drift without hoisting", nil, f(15)),
	airway("material_shaft", "专为升降物料的井筒", "Shaft hoisting materials only", nil, f(12)),
	airway("air_bridge", "风桥", "Air crossing (bridge)", nil, f(10)),
	airway("personnel_shaft", "升降人员和物料的井筒", "Shaft hoisting people and materials", nil, f(8)),
	airway("main_airway", "主要进、回风巷", "Main intake or return airway", nil, f(8)),
	airway("trolley_roadway", "架线电机车巷道", "Trolley-locomotive roadway", f(1.0), f(8)),
	airway("conveyor_district_airway", "运输机巷，采区进、回风巷", "Conveyor roadway; district intake or return", f(0.25), f(6)),
	airway("coal_face_heading", "采煤工作面、掘进中的煤巷和半煤岩巷", "Coal face; coal or part-coal heading", f(0.25), f(4)),
	airway("rock_heading", "掘进中的岩巷", "Rock heading", f(0.15), f(4)),
	airway("other_airway", "其他通风人行巷道", "Other ventilated walkway", f(0.15), nil),

	// General places.
	{Key: "general", Family: FamilyGeneral, NameZH: "一般地点", NameEN: "General (no specific class)",
		Sensors: []string{"co", "o2", "co2", "temperature", "humidity", "dust", "smoke", "equipment_state"},
		Limits: []Limit{
			{Sensor: "co", Measure: MeasureValue, Op: ">=", Value: 24, Unit: "ppm", Action: "alarm (0.0024 %, highest permitted concentration)", Confidence: Believed, Source: srcCO},
		}},
	{Key: "intake", Family: FamilyGeneral, NameZH: "进风流(采掘工作面进风流)", NameEN: "Intake airflow (of working faces)",
		Sensors: []string{"o2", "co2", "co", "temperature", "wind_speed", "methane"},
		Limits: []Limit{
			{Sensor: "o2", Measure: MeasureValue, Op: "<", Value: 20, Unit: "%", Action: "alarm: intake air must hold at least 20 % oxygen", Confidence: Read, Source: srcAir},
			{Sensor: "co2", Measure: MeasureValue, Op: ">", Value: 0.5, Unit: "%", Action: "alarm: intake air may hold at most 0.5 % CO2", Confidence: Read, Source: srcAir},
			{Sensor: "co", Measure: MeasureValue, Op: ">=", Value: 24, Unit: "ppm", Action: "alarm (0.0024 %)", Confidence: Believed, Source: srcCO},
			{Sensor: "temperature", Measure: MeasureValue, Op: "<", Value: 2, Unit: "°C", Action: "alarm: air below the intake shaft collar must stay at or above 2 °C", Confidence: Believed, Source: srcHeat},
		}},
	{Key: "return", Family: FamilyGeneral, NameZH: "回风流", NameEN: "Return airflow",
		Sensors: []string{"methane", "co", "co2", "temperature", "wind_speed"},
		Limits: []Limit{
			{Sensor: "co", Measure: MeasureValue, Op: ">=", Value: 24, Unit: "ppm", Action: "alarm (0.0024 %)", Confidence: Believed, Source: srcCO},
			co2Return(1.5, "stop work, withdraw people, deal with it (采区/采掘工作面回风巷 CO2 > 1.5 %)"),
		}},
	{Key: "electrical_chamber", Family: FamilyGeneral, NameZH: "机电设备硐室", NameEN: "Electrical equipment chamber",
		Sensors: []string{"temperature", "smoke", "co", "methane"},
		Limits: []Limit{
			{Sensor: "temperature", Measure: MeasureValue, Op: ">", Value: 30, Unit: "°C", Action: "shorten working hours, pay the heat allowance", Confidence: Believed, Source: srcHeat},
			{Sensor: "temperature", Measure: MeasureValue, Op: ">", Value: 34, Unit: "°C", Action: "stop work", Confidence: Believed, Source: srcHeat},
		}},
	{Key: "working_face", Family: FamilyGeneral, NameZH: "采掘工作面(温度)", NameEN: "Working face (temperature)",
		Sensors: []string{"temperature", "humidity", "dust"},
		Limits: []Limit{
			{Sensor: "temperature", Measure: MeasureValue, Op: ">", Value: 26, Unit: "°C", Action: "shorten working hours, pay the heat allowance", Confidence: Believed, Source: srcHeat},
			{Sensor: "temperature", Measure: MeasureValue, Op: ">", Value: 30, Unit: "°C", Action: "stop work", Confidence: Believed, Source: srcHeat},
		}},
	{Key: "surface", Family: FamilyGeneral, NameZH: "地面", NameEN: "Surface",
		Sensors: []string{"rainfall", "power", "seal_event", "borehole_water_level"}},

	// Tailings ponds: thresholds come from each pond's design.
	{Key: "dam_crest", Family: FamilyTailings, NameZH: "坝顶", NameEN: "Dam crest",
		Sensors: []string{"dam_surface_displacement", "crack_meter"},
		Note:    "Thresholds per point are set by the design institute (" + srcTailings + "); no national default."},
	{Key: "dam_slope", Family: FamilyTailings, NameZH: "坝坡(坝体)", NameEN: "Dam slope (dam body)",
		Sensors: []string{"dam_surface_displacement", "dam_internal_displacement", "inclinometer", "phreatic_depth", "seepage"},
		Note:    "Thresholds per point are set by the design institute (" + srcTailings + "); phreatic orange = 1.1 × red (GB 51108 §8.3)."},
	{Key: "beach", Family: FamilyTailings, NameZH: "干滩", NameEN: "Beach",
		Sensors: []string{"dry_beach_length"},
		Note:    "Minimum dry-beach length depends on the dam grade and type (GB 50863 表4.2.2) [M]; see the dry_beach_length sensor."},
	{Key: "pond", Family: FamilyTailings, NameZH: "库区", NameEN: "Pond (reservoir area)",
		Sensors: []string{"pond_level", "freeboard", "rainfall"},
		Note:    "Levels from the design's flood-control levels; minimum freeboard by dam grade (GB 50863 表4.2.1) [M]."},

	// Open-pit slopes and dumps.
	{Key: "pit_slope", Family: FamilyOpenPit, NameZH: "采场边坡", NameEN: "Pit slope",
		Sensors: []string{"slope_displacement", "slope_displacement_resultant", "radar_displacement", "inclinometer", "crack_meter", "rainfall"},
		Limits: []Limit{
			{Sensor: "slope_displacement", Measure: MeasureRatePerDay, Op: ">", Value: 10, Unit: "mm/d", Action: "warning: same-direction horizontal displacement or settlement averaged over one side of the pit", Confidence: Read, Source: srcSlopeRef},
			{Sensor: "slope_displacement_resultant", Measure: MeasureRatePerHour, Op: ">=", Value: 5, Unit: "mm/h", Action: "warning: instantaneous displacement rate of a working slope (工作帮)", Confidence: Read, Source: srcSlopeRef},
			{Sensor: "crack_meter", Measure: MeasureValue, Op: ">", Value: 50, Unit: "mm", Action: "warning: crack in the ground around the pit", Confidence: Read, Source: srcSlopeRef},
		}},
	{Key: "dump_slope", Family: FamilyOpenPit, NameZH: "排土场边坡", NameEN: "Waste-dump slope",
		Sensors: []string{"slope_displacement", "slope_displacement_resultant", "radar_displacement", "crack_meter", "rainfall"},
		Limits: []Limit{
			{Sensor: "slope_displacement_resultant", Measure: MeasureRatePerDay, Op: ">", Value: 250, Unit: "mm/d", Action: "warning: dump displacement rate (the reference gives 25–50 cm/d; the lower bound is used)", Confidence: Read, Source: srcSlopeRef},
			{Sensor: "crack_meter", Measure: MeasureValue, Op: ">", Value: 50, Unit: "mm", Action: "warning: crack at the dump crest", Confidence: Read, Source: srcSlopeRef},
		}},
}
