package simulate

import (
	"fmt"
	"hash/fnv"
	"math"
	"strings"

	"minesafe/internal/registry"
	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/catalog"
)

// Reporting periods of the plans, seconds. Coal-mine safety monitoring
// reports every 10 s (the catalogue's 30 s is the national upload cycle;
// the substations poll faster). Geotechnical and tailings instruments
// report ten times faster than the catalogue's defaults (600 s → 60 s,
// radar 300 s → 30 s) so that the demo's map and charts move within
// minutes; every other point keeps its catalogue period.
const (
	coalSafetyPeriod = 10
	geoSpeedup       = 10
)

// point is a planned monitoring point and the model of its signal.
type point struct {
	f      telemetry.PointFields
	sensor catalog.SensorType
	mine   *mine
	model  model
	key    uint64 // identity for the noise streams: hash of mine and point code
	// station and nth place a point for the script: the slope or dam
	// station, the phreatic section, the face or heading (from 1), and
	// the point's rank among its section's points of its sensor (from 0).
	station, nth int
	weight       float64 // share of a station's movement this point sees
	fx           effects // scripted and random episodes, set by New
}

// mine is a mine's spec with its planned points.
type mine struct {
	spec   MineSpec
	points []*point
	fx     mineEffects
}

// PointsFor answers the monitoring points of a mine: the same list for the
// same spec, so that the demo loader (which defines them) and the
// simulator (which sends for them) agree without asking each other.
func PointsFor(m MineSpec) []telemetry.PointFields {
	mn := planMine(m)
	out := make([]telemetry.PointFields, len(mn.points))
	for i, p := range mn.points {
		out[i] = clonePoint(p.f)
	}
	return out
}

// clonePoint copies the threshold pointers so callers cannot change a plan.
func clonePoint(f telemetry.PointFields) telemetry.PointFields {
	for _, p := range []**float64{&f.RangeMin, &f.RangeMax, &f.AlarmHigh, &f.ResetHigh, &f.AlarmLow, &f.ResetLow,
		&f.CutHigh, &f.RestoreHigh, &f.CutLow, &f.RestoreLow, &f.X, &f.Y, &f.Z} {
		if *p != nil {
			v := **p
			*p = &v
		}
	}
	return f
}

// planMine builds a mine's points by kind and status.
func planMine(spec MineSpec) *mine {
	b := &planner{m: &mine{spec: spec}, coal: registry.IsCoal(spec.Kind), free: map[string]int{}, rnd: hashString(spec.Code)}
	if spec.Status == "closed" && spec.Kind != registry.KindTailingsPond {
		b.power(30, 60)
		return b.m
	}
	switch spec.Kind {
	case registry.KindCoalUnderground:
		b.coalUnderground()
	case registry.KindCoalOpenpit, registry.KindMetalOpenpit:
		b.openPit()
	case registry.KindMetalUnderground:
		b.metalUnderground()
	case registry.KindTailingsPond:
		b.pond()
	}
	if idle(spec.Status) && spec.Kind != registry.KindTailingsPond {
		b.power(200, 500)
	}
	return b.m
}

// idle tells a mine that is not working: its production factor is zero and
// a power meter watches for illegal work.
func idle(status string) bool {
	return status == "suspended" || status == "halted" || status == "closed"
}

// planner accumulates a mine's points.
type planner struct {
	m       *mine
	coal    bool
	seq     int            // MT/T original code sequence
	free    map[string]int // free-code counters by prefix
	rnd     uint64         // the mine's own variation
	station int            // current MT/T substation (coal)
}

// vary answers a value in [lo, hi) fixed for this mine and salt.
func (b *planner) vary(salt string, lo, hi float64) float64 {
	return lo + (hi-lo)*unit(mix(b.rnd^hashString(salt)))
}

// freePrefix is the free code prefix of each sensor (pinyin initials, as
// Chinese monitoring vendors label their points).
var freePrefix = map[string]string{
	"co": "CO", "o2": "O2", "co2": "CO2", "temperature": "WD", "wind_speed": "FS", "water_level": "SW",
	"ground_pressure": "DY", "roof_separation": "LC", "bolt_load": "MG", "cable_load": "MS",
	"slope_displacement": "WY", "radar_displacement": "LD", "inclinometer": "CX", "crack_meter": "LF", "rainfall": "JY",
	"dam_surface_displacement": "BM", "dam_internal_displacement": "NB", "phreatic_depth": "JRX", "pond_level": "KSW",
	"dry_beach_length": "GT", "freeboard": "CG", "seepage": "SL", "power": "DB",
}

// add plans a point of sensor at a place of class, answering it for the
// caller to tune.
func (b *planner) add(sensor, class, location string, m model) *point {
	return b.addAs("", sensor, class, location, m)
}

// addAs is add with a free code of the caller's choice ("" for the next one).
func (b *planner) addAs(code, sensor, class, location string, m model) *point {
	st, ok := catalog.Sensor(sensor)
	if !ok {
		panic("simulate: sensor not in the catalogue: " + sensor)
	}
	if _, ok := catalog.LocationClass(class); !ok {
		panic("simulate: location class not in the catalogue: " + class)
	}
	f := telemetry.PointFields{SensorType: sensor, Unit: st.Unit, Location: location, LocationClass: class,
		ValueType: telemetry.ValueAnalog, PeriodS: st.PeriodSeconds}
	if st.Signal == catalog.Switch {
		f.ValueType = telemetry.ValueSwitch
		f.OpenText, f.StopText = st.States[1], st.States[0]
	}
	lo, hi := st.Min, st.Max
	f.RangeMin, f.RangeMax = &lo, &hi
	switch {
	case b.coal && st.MTTCode != "" && st.PeriodSeconds == 30:
		f.PeriodS = coalSafetyPeriod
	case st.PeriodSeconds > 60:
		f.PeriodS = st.PeriodSeconds / geoSpeedup
	}
	if b.coal && st.MTTCode != "" {
		b.seq++
		vt := "MN"
		if st.Signal == catalog.Switch {
			vt = "KG"
		}
		f.Code = fmt.Sprintf("%s01%s%s%03d%05d", b.m.spec.Code, vt, st.MTTCode, b.station, b.seq)
		f.StationCode = fmt.Sprintf("%s%05d", b.m.spec.Code, b.station)
	} else if f.Code = code; code == "" {
		// Sensors without an MT/T 1201 type code are not part of the safety
		// monitoring system, so they carry the free codes of their own
		// systems (slope, tailings, metering), also at coal mines.
		prefix := freePrefix[sensor]
		b.free[prefix]++
		f.Code = fmt.Sprintf("%s-%02d", prefix, b.free[prefix])
	}
	ownSettings(&f)
	p := &point{f: f, sensor: st, mine: b.m, model: m, key: hashString(b.m.spec.Code + "/" + f.Code)}
	b.m.points = append(b.m.points, p)
	return p
}

// ownSettings gives a point the alarm settings a mine's monitoring system
// would hold: the methane table's row for its place, and the catalogue's
// other limits at its place (CO, O2, CO2, temperature, air velocity).
// Alarms clear (解报) at the alarm value.
func ownSettings(f *telemetry.PointFields) {
	loc, _ := catalog.LocationClass(f.LocationClass)
	if f.SensorType == "methane" && loc.Methane != nil {
		r := loc.Methane
		f.AlarmHigh, f.ResetHigh = ptr(r.Alarm), ptr(r.Alarm)
		if r.PowerCut != nil {
			f.CutHigh, f.RestoreHigh = ptr(*r.PowerCut), ptr(*r.Reset)
		}
		return
	}
	if f.SensorType == "wind_speed" && loc.Wind != nil {
		if loc.Wind.Min != nil {
			f.AlarmLow, f.ResetLow = ptr(*loc.Wind.Min), ptr(*loc.Wind.Min)
		}
		if loc.Wind.Max != nil {
			f.AlarmHigh, f.ResetHigh = ptr(*loc.Wind.Max), ptr(*loc.Wind.Max)
		}
		return
	}
	for _, l := range loc.Limits {
		if l.Sensor != f.SensorType || l.Measure != catalog.MeasureValue {
			continue
		}
		v := l.Value
		switch l.Op {
		case ">=", ">":
			if f.AlarmHigh == nil || v < *f.AlarmHigh {
				f.AlarmHigh, f.ResetHigh = ptr(v), ptr(v)
			}
		case "<", "<=":
			if f.AlarmLow == nil || v > *f.AlarmLow {
				f.AlarmLow, f.ResetLow = ptr(v), ptr(v)
			}
		}
	}
}

func ptr(v float64) *float64 { return &v }

// LooseSettingMine is the demo mine whose upper-corner methane point holds
// an own setting looser than the regulation's (alarm 1.5 % and power cut
// 2.0 % where the methane table asks 1.0 % and 1.5 %): the platform should
// judge by the stricter regulation and report the setting.
const LooseSettingMine = "150725100002"

// coalUnderground plans a coal mine's safety monitoring: its coal faces,
// its headings and the mine-wide ventilation. A producing mine has one or
// two faces and one or two headings (not two of each, which would pass
// 60 points); a constructing mine only headings; an idle one keeps the
// ventilation and gas watch of the returns and the main fan.
func (b *planner) coalUnderground() {
	s := b.m.spec
	gassy := s.GasClass == "high" || s.GasClass == "outburst"
	faces, headings := 1, 1
	switch v := b.rnd % 3; {
	case s.Status == "constructing":
		faces, headings = 0, 2
	case idle(s.Status):
		faces, headings = 0, 0
	case v == 1:
		faces = 2
	case v == 2:
		headings = 2
	}
	gasScale := b.vary("gas", 0.8, 1.1)
	if gassy {
		gasScale = 1.25
	}
	for i := 1; i <= faces; i++ {
		b.station = i
		b.coalFace(i, fmt.Sprintf("1120%d", i), gassy, gasScale)
	}
	for i := 1; i <= headings; i++ {
		b.station = 10 + i
		name := [...]string{"11203运输顺槽", "11204回风顺槽"}[i-1]
		b.heading(i, name, gasScale)
	}
	b.station = 20
	working := faces > 0
	b.add("methane", "district_return", "一采区回风巷", gas{0.18 * gasScale})
	b.add("methane", "main_return", "总回风巷", gas{0.12 * gasScale})
	b.add("co", "return", "总回风巷", steady{1.5, 1.5, 0.8})
	b.add("co2", "main_return", "总回风巷", steady{0.12, 0.06, 0.02})
	b.add("wind_speed", "main_airway", "总回风巷", steady{4.6, 0, 0.2})
	b.add("o2", "intake", "一采区进风巷", steady{20.75, 0, 0.05})
	b.add("temperature", "intake", "副斜井井底车场(进风)", steady{9.5, 0, 0.6})
	if !idle(s.Status) {
		b.add("co", "return", "一采区回风巷", steady{2, 2, 0.8})
		b.add("co2", "intake", "一采区进风巷", steady{0.05, 0.01, 0.01})
		b.add("wind_speed", "main_airway", "主要进风巷", steady{3.8, 0, 0.15})
		b.add("wind_speed", "conveyor_district_airway", "一采区回风巷", steady{2.3, 0.2, 0.12})
		b.add("temperature", "electrical_chamber", "中央变电所", steady{23.5, 1, 0.5})
		b.add("smoke", "electrical_chamber", "中央变电所", constant(0))
		b.add("air_door", "general", "一采区进回风联络巷1号风门", door{0})
		b.add("air_door", "general", "一采区进回风联络巷2号风门", door{1})
	}
	if working {
		b.add("methane", "coal_bunker", "井下煤仓", gas{0.2 * gasScale})
		b.add("co", "general", "主运输带式输送机巷机头", steady{1, 1, 0.5})
		b.add("smoke", "general", "主运输带式输送机巷机头", constant(0))
		b.add("equipment_state", "general", "主运输带式输送机", running{})
	}
	b.station = 21
	b.add("negative_pressure", "general", "主通风机风硐", steady{2.8, 0, 0.06})
	b.add("fan_state", "general", "1号主通风机", constant(1))
}

// coalFace plans a longwall face: the methane table's T0, T1, T2 (and the
// middle of the return and the shearer in gassy mines), with the relay the
// face's methane drives and the feed sensor that confirms the cut.
func (b *planner) coalFace(n int, name string, gassy bool, scale float64) {
	face := name + "综采工作面"
	relay := b.add("power_switch", "general", name+"回风巷断电器", nil)
	feedPt := b.add("feed_state", "general", name+"回风巷馈电传感器", feed{relay})
	var gasPts []*point
	at := func(class, loc string, full float64) {
		p := b.add("methane", class, loc, gas{full * scale})
		p.station = n
		gasPts = append(gasPts, p)
	}
	at("upper_corner", face+"上隅角", 0.45)
	at("coal_face", face, 0.35)
	at("face_return", name+"回风巷", 0.30)
	if gassy {
		at("face_return_middle", name+"回风巷中部", 0.30)
		at("shearer", name+"采煤机机载", 0.40)
	}
	relay.model = relayOf(gasPts)
	for _, p := range gasPts {
		p.f.Relation = "D-" + relay.f.Code
	}
	feedPt.f.Relation = "D-" + relay.f.Code
	if b.m.spec.Code == LooseSettingMine && n == 1 {
		// The deliberate loose setting (see LooseSettingMine).
		p := gasPts[0]
		p.f.AlarmHigh, p.f.ResetHigh, p.f.CutHigh, p.f.RestoreHigh = ptr(1.5), ptr(1.5), ptr(2.0), ptr(1.5)
	}
	b.add("co", "return", name+"回风巷", steady{2.5, 2.5, 1}).station = n
	b.add("temperature", "working_face", face, steady{20, 1.5, 0.6})
	b.add("wind_speed", "conveyor_district_airway", name+"回风巷", steady{1.8, 0.3, 0.1})
	b.add("dust", "working_face", face+"回风侧", steady{1.5, 5, 1.2})
	b.add("support_resistance", "general", face+"60号支架", weighting{26, 9})
	b.add("equipment_state", "general", face+"采煤机", running{})
}

// heading plans a heading (development face): T1 and T2, the air velocity
// and the local fan with its duct, the relay and the feed sensor.
func (b *planner) heading(n int, name string, scale float64) {
	face := name + "掘进工作面"
	relay := b.add("power_switch", "general", name+"掘进巷道断电器", nil)
	feedPt := b.add("feed_state", "general", name+"掘进巷道馈电传感器", feed{relay})
	t1 := b.add("methane", "heading_face", face, gas{0.30 * scale})
	t2 := b.add("methane", "heading_return", face+"回风流", gas{0.22 * scale})
	t1.station, t2.station = n, n
	relay.model = relayOf([]*point{t1, t2})
	for _, p := range []*point{t1, t2, feedPt} {
		p.f.Relation = "D-" + relay.f.Code
	}
	b.add("wind_speed", "coal_face_heading", name+"掘进巷道", steady{0.9, 0.1, 0.08})
	b.add("air_duct", "general", face+"局部通风机风筒", constant(1))
	b.add("equipment_state", "general", face+"局部通风机", constant(1))
}

// openPit plans slope monitoring: GNSS stations (one point per axis) on the
// pit walls and the dump, a radar area, inclinometers, crack meters and a
// rain gauge; coal pits also watch an observation borehole.
func (b *planner) openPit() {
	s := b.m.spec
	pit, dump := 2, 1
	if b.rnd%2 == 1 {
		pit = 3
	}
	if s.Status == "constructing" {
		pit, dump = 1, 1
	}
	walls := [...]string{"东帮", "北帮", "南帮", "西帮"}
	for i := 1; i <= pit+dump; i++ {
		class, place := "pit_slope", "采场"+walls[(i-1)%len(walls)]
		if i > pit {
			class, place = "dump_slope", "外排土场"
		}
		b.slopeStation(i, class, fmt.Sprintf("%s%d号GNSS监测站", place, i), "slope_displacement", 0.3, 3)
	}
	radar := b.add("radar_displacement", "pit_slope", "采场东帮边坡雷达监测区", creep{b.vary("radar", 2, 15), b.vary("radar-rate", 0.2, 2), 0.3})
	radar.station, radar.weight = 1, 0.85 // line of sight sees most of the wall's movement
	for i := 1; i <= min(pit, 2); i++ {
		p := b.add("inclinometer", "pit_slope", fmt.Sprintf("采场%s%d号测斜孔", walls[i-1], i), creep{b.vary(fmt.Sprint("cx", i), 1, 12), 0.2, 0.15})
		p.station, p.weight = i, 0.1
		p = b.add("crack_meter", "pit_slope", fmt.Sprintf("采场%s坡顶裂缝%d", walls[i-1], i), creep{b.vary(fmt.Sprint("lf", i), 6, 20), 0.05, 0.4})
		p.station, p.weight = i, 0.15
	}
	b.add("rainfall", "pit_slope", "采场雨量站", constant(0))
	if s.Kind == registry.KindCoalOpenpit {
		b.add("borehole_water_level", "surface", "采场北侧长观孔", steady{b.vary("cgk", 40, 80), 0, 0.05})
	}
}

// slopeDirection is the unit movement of a displacement station: into the
// pit (or downstream of a dam) and down.
var slopeDirection = map[string]float64{"x": -0.62, "y": 0.52, "z": -0.59}

// slopeStation plans a displacement station's axis points, creeping along
// slopeDirection at a rate (mm/d) the mine's variation picks in [lo, hi).
func (b *planner) slopeStation(n int, class, place, sensor string, lo, hi float64) {
	rate := b.vary(fmt.Sprint(sensor, n), lo, hi)
	offset := b.vary(fmt.Sprint(sensor, "offset", n), 5, 40)
	for _, axis := range []string{"x", "y", "z"} {
		w := slopeDirection[axis]
		code := fmt.Sprintf("%s-%02d-%s", freePrefix[sensor], n, strings.ToUpper(axis)) // WY-01-X
		p := b.addAs(code, sensor, class, place+axisName[axis], creep{offset * w, rate * w, 1.5})
		p.station, p.weight = n, w
	}
}

var axisName = map[string]string{"x": "(X向)", "y": "(Y向)", "z": "(Z向)"}

// metalUnderground plans a metal or non-metal underground mine: ground
// pressure and roof behaviour of its stopes, bolt and cable loads, the sump,
// and the gas and air of its returns.
func (b *planner) metalUnderground() {
	working := !idle(b.m.spec.Status)
	if working {
		for i, place := range []string{"-350m中段3号采场", "-400m中段1号采场"} {
			b.add("ground_pressure", "general", place, steady{b.vary(fmt.Sprint("dy", i), 9, 16), 0.4, 0.3})
			b.add("roof_separation", "general", place+"顶板", creep{b.vary(fmt.Sprint("lc", i), 1, 6), 0.3, 0.15})
			b.add("bolt_load", "general", place+"巷道锚杆", steady{b.vary(fmt.Sprint("mg", i), 90, 140), 0, 2})
		}
		b.add("cable_load", "general", "-350m中段运输巷锚索", steady{b.vary("ms", 220, 320), 0, 4})
		b.add("co", "return", "-350m中段回风巷", steady{1.5, 2, 0.8})
		b.add("wind_speed", "main_airway", "主进风井井底", steady{3.2, 0, 0.15})
		b.add("temperature", "working_face", "-400m中段1号采场", steady{17, 1, 0.4})
	}
	b.add("water_level", "general", "-400m中段水仓", sump{2.0, 2.1})
	b.add("co", "return", "总回风井", steady{1, 1, 0.6})
	b.add("o2", "intake", "主进风井井底", steady{20.75, 0, 0.05})
	b.add("wind_speed", "main_airway", "总回风井", steady{4.2, 0, 0.2})
}

// pond plans a tailings pond's online monitoring (GB 39496 §5.5): dam
// surface and internal displacement, the phreatic line at several points
// of each section, and for wet ponds the pond level, freeboard, dry beach
// and seepage; rain everywhere. A closed pond keeps one section under
// watch until it is cancelled.
func (b *planner) pond() {
	d := PondDesign{Wet: true, MinPhreaticDepthM: 6}
	if b.m.spec.Pond != nil {
		d = *b.m.spec.Pond
	}
	if d.MinPhreaticDepthM <= 0 {
		d.MinPhreaticDepthM = 6
	}
	closed := b.m.spec.Status == "closed"
	stations, sections := 3, 3
	switch {
	case closed:
		stations, sections = 1, 1
	case !d.Wet:
		sections = 1 // dry stacking: the largest section only
	}
	for i := 1; i <= stations; i++ {
		b.slopeStation(i, "dam_crest", fmt.Sprintf("坝顶%d号位移监测站", i), "dam_surface_displacement", 0.02, 0.3)
	}
	for i := 1; i <= sections; i++ {
		// Burial depth shrinks from the crest towards the toe, where the
		// line comes closest to the dam face.
		for j, above := range []float64{5.5, 3.8, 2.2} {
			loc := fmt.Sprintf("%d号断面%s浸润线孔", i, [...]string{"坝顶", "坝坡中部", "坡脚"}[j])
			base := d.MinPhreaticDepthM + above + b.vary(fmt.Sprint("jrx", i, j), 0, 0.4)
			p := b.add("phreatic_depth", "dam_slope", loc, steady{base, 0, 0.05})
			p.f.AlarmLow, p.f.ResetLow = ptr(d.MinPhreaticDepthM), ptr(d.MinPhreaticDepthM)
			p.station, p.nth = i, j
		}
	}
	if !closed {
		for _, axis := range []string{"x", "y"} {
			p := b.addAs("NB-01-"+strings.ToUpper(axis), "dam_internal_displacement", "dam_slope", "1号断面坝体内部测斜孔"+axisName[axis],
				creep{b.vary("nb"+axis, -3, 3), 0.02, 0.15})
			p.station = 1
		}
	}
	if d.Wet && !closed {
		level := b.vary("ksw", 620, 880)
		b.add("pond_level", "pond", "库区水位计", steady{level, 0, 0.02})
		if d.MinFreeboardM > 0 {
			p := b.add("freeboard", "pond", "库区安全超高", steady{d.MinFreeboardM + b.vary("cg", 1, 1.6), 0, 0.02})
			p.f.AlarmLow, p.f.ResetLow = ptr(d.MinFreeboardM), ptr(d.MinFreeboardM)
		}
		if d.MinDryBeachM > 0 {
			p := b.add("dry_beach_length", "beach", "干滩", steady{d.MinDryBeachM + b.vary("gt", 40, 80), 0, 1})
			p.f.AlarmLow, p.f.ResetLow = ptr(d.MinDryBeachM), ptr(d.MinDryBeachM)
		}
		b.add("seepage", "dam_slope", "坝脚渗流量堰", steady{b.vary("sl", 2, 5), 0, 0.1})
	}
	b.add("rainfall", "pond", "库区雨量站", constant(0))
}

// power plans the electricity meter of an idle or closed mine: a standby
// load (ventilation, drainage, lighting) between lo and hi kW.
func (b *planner) power(lo, hi float64) {
	base := b.vary("power", lo, hi)
	b.add("power", "surface", "矿区总降压变电所电能表", steady{base, 0, base * 0.05})
}

// hashString is FNV-1a of s.
func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// mix is the splitmix64 finaliser: a well-spread 64-bit hash of x.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// unit maps a hash to [0, 1).
func unit(x uint64) float64 { return float64(x>>11) / (1 << 53) }

// round rounds v to prec decimals, never answering -0.
func round(v float64, prec int) float64 {
	p := math.Pow10(prec)
	r := math.Round(v*p) / p
	if r == 0 {
		return 0
	}
	return r
}
