package catalog

import (
	"regexp"
	"slices"
	"testing"

	"minesafe/internal/telemetry/mtt"
)

// Every row of the methane table of regulations.md §2.3.
func TestMethaneTable(t *testing.T) {
	type row struct {
		alarm      float64
		cut, reset float64 // -1 = "—"
	}
	want := map[string]row{
		"upper_corner":          {1.0, 1.5, 1.0},
		"coal_face":             {1.0, 1.5, 1.0},
		"outburst_coal_face":    {1.0, 1.5, 1.0},
		"face_return":           {1.0, 1.0, 1.0},
		"outburst_face_intake":  {0.5, 0.5, 0.5},
		"serial_face_intake":    {0.5, 0.5, 0.5},
		"face_return_middle":    {1.0, 1.0, 1.0},
		"shearer":               {1.0, 1.5, 1.0},
		"heading_face":          {1.0, 1.5, 1.0},
		"heading_return":        {1.0, 1.0, 1.0},
		"serial_heading_fan":    {0.5, 0.5, 0.5},
		"drainage_roadway":      {2.5, 2.5, 2.5},
		"drainage_mixed_return": {1.0, 1.0, 1.0},
		"trolley_loading_point": {0.5, 0.5, 0.5},
		"district_return":       {1.0, 1.0, 1.0},
		"main_return":           {0.75, -1, -1},
		"coal_bunker":           {1.5, 1.5, 1.5},
	}
	val := func(p *float64) float64 {
		if p == nil {
			return -1
		}
		return *p
	}
	n := 0
	for _, l := range Locations() {
		if l.Family != FamilyMethane {
			continue
		}
		n++
		w, ok := want[l.Key]
		if !ok {
			t.Errorf("methane row %s is not in the table of regulations.md §2.3", l.Key)
			continue
		}
		m, ok := MethaneRow(l.Key)
		if !ok {
			t.Fatalf("MethaneRow(%s) missing", l.Key)
		}
		got := row{m.Alarm, val(m.PowerCut), val(m.Reset)}
		if got != w {
			t.Errorf("%s: got alarm/cut/reset %v, want %v", l.Key, got, w)
		}
		if m.Location != l.Key || m.NameZH == "" || m.Source == "" || !slices.Contains([]string{Read, Corroborated, Believed}, m.Confidence) {
			t.Errorf("%s: %+v", l.Key, m)
		}
		if m.PowerCut != nil && m.PowerCutScope == "" {
			t.Errorf("%s: power cut without scope", l.Key)
		}
	}
	if n != len(want) {
		t.Errorf("%d methane rows, want %d", n, len(want))
	}
	// The second setting of the serial heading: 1.5 / 1.5 / <0.5, with the local fan.
	m, _ := MethaneRow("serial_heading_fan")
	if len(m.Extra) != 1 || m.Extra[0].Alarm != 1.5 || *m.Extra[0].PowerCut != 1.5 || *m.Extra[0].Reset != 0.5 {
		t.Errorf("serial_heading_fan extra: %+v", m.Extra)
	}
	// The upper corner's reset disagrees between sources: it must say so.
	if m, _ := MethaneRow("upper_corner"); m.Confidence != Believed || m.Note == "" {
		t.Errorf("upper_corner must be marked [M] with a note: %+v", m)
	}
	if _, ok := MethaneRow("intake"); ok {
		t.Error("MethaneRow answers a non-methane class")
	}
	if _, ok := MethaneRow("nope"); ok {
		t.Error("MethaneRow answers an unknown key")
	}
}

// The wind-speed table of regulations.md §2.4.
func TestWindTable(t *testing.T) {
	want := map[string][2]float64{ // -1 = not regulated
		"shaft_no_hoist":           {-1, 15},
		"material_shaft":           {-1, 12},
		"air_bridge":               {-1, 10},
		"personnel_shaft":          {-1, 8},
		"main_airway":              {-1, 8},
		"trolley_roadway":          {1.0, 8},
		"conveyor_district_airway": {0.25, 6},
		"coal_face_heading":        {0.25, 4},
		"rock_heading":             {0.15, 4},
		"other_airway":             {0.15, -1},
	}
	val := func(p *float64) float64 {
		if p == nil {
			return -1
		}
		return *p
	}
	n := 0
	for _, l := range Locations() {
		if l.Family != FamilyAirway {
			continue
		}
		n++
		if l.Wind == nil {
			t.Fatalf("%s: no wind range", l.Key)
		}
		if got := [2]float64{val(l.Wind.Min), val(l.Wind.Max)}; got != want[l.Key] {
			t.Errorf("%s: got %v, want %v", l.Key, got, want[l.Key])
		}
	}
	if n != len(want) {
		t.Errorf("%d airway classes, want %d", n, len(want))
	}
}

// Every code of monitoring-formats.md §1.5 maps to a sensor, and the
// parser's code table and the catalogue agree.
func TestSensorCodes(t *testing.T) {
	codes := []string{"0001", "0002", "0003", "0004", "0006", "0007", "0012", "0013", "0014", "0018", "0043",
		"0502", "0503", "1002", "1003", "1004", "1008", "1009", "1010", "1011", "1101", "1201", "1202", "1301", "1302", "1401"}
	for _, c := range codes {
		if _, ok := BySensorCode(c); !ok {
			t.Errorf("MT/T 1201 code %s maps to no sensor", c)
		}
	}
	for _, c := range mtt.SensorCodes() {
		s, ok := BySensorCode(c.Code)
		if !ok || s.Key != c.Catalog {
			t.Errorf("mtt code %s names catalogue key %q, catalogue answers %q", c.Code, c.Catalog, s.Key)
		}
		if (c.ValueType == mtt.Analog) != (s.Signal == Analog) {
			t.Errorf("code %s: mtt says %s, catalogue %s", c.Code, c.ValueType, s.Signal)
		}
	}
	for _, s := range Sensors() {
		if s.MTTCode == "" {
			continue
		}
		if _, ok := mtt.SensorCodeInfo(s.MTTCode); !ok {
			t.Errorf("sensor %s has code %s, unknown to mtt", s.Key, s.MTTCode)
		}
	}
	if _, ok := BySensorCode(""); ok {
		t.Error("BySensorCode answers the empty code")
	}
}

func TestSensorsWellFormed(t *testing.T) {
	keyRE := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	kinds := []string{CoalUnderground, CoalOpenpit, MetalUnderground, MetalOpenpit, TailingsPond}
	keys, codes := map[string]bool{}, map[string]bool{}
	for _, s := range Sensors() {
		if !keyRE.MatchString(s.Key) || keys[s.Key] {
			t.Errorf("sensor key %q is not snake_case or not unique", s.Key)
		}
		keys[s.Key] = true
		if s.MTTCode != "" {
			if codes[s.MTTCode] {
				t.Errorf("code %s used twice", s.MTTCode)
			}
			codes[s.MTTCode] = true
		}
		if s.NameZH == "" || s.NameEN == "" || s.RuleHint == "" {
			t.Errorf("%s: names or rule hint missing", s.Key)
		}
		switch s.Signal {
		case Analog:
			if s.Unit == "" {
				t.Errorf("%s: analogue sensor without unit", s.Key)
			}
		case Switch:
			if s.Unit != "" || len(s.States) != 2 || s.Min != 0 || s.Max != 1 || s.Precision != 0 || s.Noise != 0 {
				t.Errorf("%s: switch must have no unit, two states, range 0…1, no decimals, no noise", s.Key)
			}
		default:
			t.Errorf("%s: signal %q", s.Key, s.Signal)
		}
		if s.Min >= s.Max || s.Precision < 0 || s.Noise < 0 || s.PeriodSeconds < 0 {
			t.Errorf("%s: range %v…%v precision %d noise %v period %d", s.Key, s.Min, s.Max, s.Precision, s.Noise, s.PeriodSeconds)
		}
		if len(s.MineKinds) == 0 {
			t.Errorf("%s: no mine kinds", s.Key)
		}
		for _, k := range s.MineKinds {
			if !slices.Contains(kinds, k) {
				t.Errorf("%s: mine kind %q", s.Key, k)
			}
		}
		if s.DerivedFrom != "" {
			if _, ok := Sensor(s.DerivedFrom); !ok {
				t.Errorf("%s: derived from unknown %s", s.Key, s.DerivedFrom)
			}
		}
	}
	// The keys the platform's other packages rely on.
	for _, k := range []string{"methane", "co", "o2", "co2", "temperature", "wind_speed", "negative_pressure", "dust", "smoke",
		"fan_state", "air_door", "feed_state", "power_switch", "equipment_state", "humidity", "laser_methane",
		"ground_pressure", "roof_separation", "bolt_load", "cable_load", "support_resistance", "borehole_stress", "water_level",
		"slope_displacement", "slope_displacement_resultant", "radar_displacement", "inclinometer", "crack_meter", "rainfall",
		"dam_surface_displacement", "dam_internal_displacement", "phreatic_depth", "pond_level", "dry_beach_length", "freeboard",
		"seepage", "power", "microseismic_energy", "seal_event"} {
		if !keys[k] {
			t.Errorf("sensor %s missing", k)
		}
	}
	units := map[string]string{"methane": "%CH4", "co": "ppm", "o2": "%", "co2": "%", "temperature": "°C", "wind_speed": "m/s",
		"slope_displacement": "mm", "dam_surface_displacement": "mm", "phreatic_depth": "m", "dry_beach_length": "m",
		"pond_level": "m", "freeboard": "m", "rainfall": "mm", "power": "kW", "microseismic_energy": "J"}
	for k, u := range units {
		if s, _ := Sensor(k); s.Unit != u {
			t.Errorf("%s: unit %q, want %q", k, s.Unit, u)
		}
	}
	if s, _ := Sensor("slope_displacement"); !slices.Equal(s.Axes, []string{"x", "y", "z"}) {
		t.Errorf("slope_displacement axes %v", s.Axes)
	}
}

func TestLocationsWellFormed(t *testing.T) {
	keyRE := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	families := []string{FamilyMethane, FamilyAirway, FamilyGeneral, FamilyTailings, FamilyOpenPit}
	keys := map[string]bool{}
	for _, l := range Locations() {
		if !keyRE.MatchString(l.Key) || keys[l.Key] {
			t.Errorf("location key %q is not snake_case or not unique", l.Key)
		}
		keys[l.Key] = true
		if _, ok := Sensor(l.Key); ok {
			t.Errorf("location key %s is also a sensor key", l.Key)
		}
		if !slices.Contains(families, l.Family) || l.NameZH == "" || l.NameEN == "" || len(l.Sensors) == 0 {
			t.Errorf("%s: %+v", l.Key, l)
		}
		if (l.Family == FamilyMethane) != (l.Methane != nil) || (l.Family == FamilyAirway) != (l.Wind != nil) {
			t.Errorf("%s: family %s does not match its rule", l.Key, l.Family)
		}
		for _, s := range l.Sensors {
			if _, ok := Sensor(s); !ok {
				t.Errorf("%s: unknown sensor %s", l.Key, s)
			}
		}
		for _, x := range l.Limits {
			s, ok := Sensor(x.Sensor)
			if !ok || !slices.Contains([]string{">=", ">", "<=", "<"}, x.Op) || x.Action == "" || x.Source == "" ||
				!slices.Contains([]string{MeasureValue, MeasureRatePerDay, MeasureRatePerHour}, x.Measure) ||
				!slices.Contains([]string{Read, Corroborated, Believed}, x.Confidence) {
				t.Errorf("%s: limit %+v", l.Key, x)
			}
			if x.Measure == MeasureValue && x.Unit != s.Unit {
				t.Errorf("%s: limit on %s in %s, the sensor reports %s", l.Key, x.Sensor, x.Unit, s.Unit)
			}
		}
		if m := l.Methane; m != nil {
			for _, st := range append([]MethaneSetting{m.MethaneSetting}, m.Extra...) {
				if st.PowerCut != nil && *st.PowerCut < st.Alarm || st.Reset != nil && *st.Reset > st.Alarm {
					t.Errorf("%s: reset ≤ alarm ≤ power-cut violated: %+v", l.Key, st)
				}
			}
		}
		if w := l.Wind; w != nil && w.Min != nil && w.Max != nil && *w.Min >= *w.Max {
			t.Errorf("%s: wind %v…%v", l.Key, *w.Min, *w.Max)
		}
	}
	for _, k := range []string{"general", "intake", "return", "electrical_chamber", "working_face", "dam_crest", "dam_slope",
		"beach", "pit_slope", "dump_slope", "pond", "surface"} {
		if !keys[k] {
			t.Errorf("location %s missing", k)
		}
	}
	if _, ok := LocationClass("nope"); ok {
		t.Error("LocationClass answers an unknown key")
	}
}

// Callers get copies: changing them leaves the tables alone.
func TestCopies(t *testing.T) {
	s, _ := Sensor("smoke")
	s.States[0] = "x"
	Sensors()[0].MineKinds[0] = "x"
	if s, _ := Sensor("smoke"); s.States[0] != "无烟雾" {
		t.Error("Sensor shares its slices")
	}
	if Sensors()[0].MineKinds[0] != CoalUnderground {
		t.Error("Sensors shares its slices")
	}
	m, _ := MethaneRow("upper_corner")
	*m.PowerCut = 9
	l, _ := LocationClass("trolley_roadway")
	*l.Wind.Min = 9
	if m, _ := MethaneRow("upper_corner"); *m.PowerCut != 1.5 {
		t.Error("MethaneRow shares its values")
	}
	if l, _ := LocationClass("trolley_roadway"); *l.Wind.Min != 1 {
		t.Error("LocationClass shares its values")
	}
}

func TestLimitBreached(t *testing.T) {
	l, _ := LocationClass("intake")
	for _, x := range l.Limits {
		if x.Sensor == "o2" && (!x.Breached(19.9) || x.Breached(20)) {
			t.Errorf("o2 < 20: %+v", x)
		}
	}
	ge := Limit{Op: ">=", Value: 24}
	if !ge.Breached(24) || ge.Breached(23.9) {
		t.Error(">=")
	}
	if (Limit{Op: "?"}).Breached(1) {
		t.Error("unknown op breached")
	}
}
