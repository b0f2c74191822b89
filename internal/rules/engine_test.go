package rules

import (
	"testing"
	"time"

	"minesafe/internal/telemetry/catalog"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func methanePoint(id int64, loc string) Meta {
	return Meta{PointID: id, MineID: 1, MineKind: "coal_underground", MineStatus: "producing", Sensor: "methane", Location: loc,
		RangeMin: f(0), RangeMax: f(4), PeriodS: 10, Noise: 0.01}
}

// feed evaluates values at 10 s steps and answers the changes.
func feed(e *Engine, id int64, start time.Time, vals ...float64) []Change {
	var out []Change
	for i, v := range vals {
		t := start.Add(time.Duration(i) * 10 * time.Second)
		out = append(out, e.Evaluate(id, t, v, 0, t)...)
	}
	return out
}

func TestDefaultIsValid(t *testing.T) {
	s := Default()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := Default()
	bad.Thresholds[0].Steps = []Step{{Red, 1}, {Orange, 2}}
	bad.Escalation["red"] = Escalation{CountyMin: 10, CityMin: 5}
	if err := bad.Validate(); err == nil {
		t.Fatal("bad set accepted")
	}
}

// Every row of the methane table: below the alarm value nothing, at it
// orange, at the power-cut value red, back below the reset value cleared.
func TestEveryMethaneRow(t *testing.T) {
	rows := 0
	for _, loc := range catalog.Locations() {
		m := loc.Methane
		if m == nil {
			continue
		}
		rows++
		t.Run(loc.Key, func(t *testing.T) {
			e := NewEngine(Default())
			e.SetPoint(methanePoint(7, loc.Key))
			below := m.Alarm - 0.01
			if ch := feed(e, 7, t0, below); len(ch) != 0 {
				t.Fatalf("%v opened %v", below, ch)
			}
			ch := feed(e, 7, t0.Add(time.Minute), m.Alarm)
			want := Orange
			if m.PowerCut != nil && *m.PowerCut <= m.Alarm {
				want = Red
			}
			if len(ch) != 1 || ch[0].Action != Open || ch[0].Level != want {
				t.Fatalf("at alarm %v: %+v, want open %s", m.Alarm, ch, want)
			}
			if m.PowerCut != nil && *m.PowerCut > m.Alarm {
				ch = feed(e, 7, t0.Add(2*time.Minute), *m.PowerCut)
				if len(ch) != 1 || ch[0].Action != Update || ch[0].Level != Red {
					t.Fatalf("at power cut %v: %+v", *m.PowerCut, ch)
				}
			}
			reset := m.Alarm
			if m.Reset != nil && *m.Reset < reset {
				reset = *m.Reset
			}
			ch = feed(e, 7, t0.Add(3*time.Minute), reset)
			for _, c := range ch {
				if c.Action == Clear {
					t.Fatalf("cleared at the reset value %v itself (reset is <)", reset)
				}
			}
			ch = feed(e, 7, t0.Add(4*time.Minute), reset-0.01)
			if len(ch) != 1 || ch[0].Action != Clear {
				t.Fatalf("below reset: %+v", ch)
			}
		})
	}
	if rows < 17 {
		t.Fatalf("only %d methane rows", rows)
	}
}

func TestHysteresisAndOneAlarmPerCondition(t *testing.T) {
	e := NewEngine(Default())
	e.SetPoint(methanePoint(1, "coal_face"))
	ch := feed(e, 1, t0, 0.5, 1.2, 1.6, 1.3, 1.8, 1.05, 0.95)
	var got []string
	for _, c := range ch {
		got = append(got, c.Action.String()+":"+c.Level.String())
	}
	want := []string{"open:orange", "update:red", "update:orange", "update:red", "update:orange", "clear:orange"}
	if len(got) != len(want) {
		t.Fatalf("got %v want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v want %v", got, want)
		}
	}
}

func TestStricterThresholdApplies(t *testing.T) {
	s := Default()
	// Own setting stricter than the regulation: alarms earlier.
	m := methanePoint(1, "coal_face")
	m.Own = Own{AlarmHigh: f(0.8), CutHigh: f(1.2)}
	e := NewEngine(s)
	e.SetPoint(m)
	if ch := feed(e, 1, t0, 0.85); len(ch) != 1 || ch[0].Level != Orange {
		t.Fatalf("stricter own alarm not applied: %+v", ch)
	}
	if ch := feed(e, 1, t0.Add(time.Minute), 1.25); len(ch) != 1 || ch[0].Level != Red {
		t.Fatalf("stricter own cut not applied: %+v", ch)
	}
	if len(Looser(s, m)) != 0 {
		t.Fatalf("a stricter setting reported as looser: %v", Looser(s, m))
	}
	// Own setting looser: the regulation still applies, and it is reported.
	m2 := methanePoint(2, "upper_corner")
	m2.Own = Own{AlarmHigh: f(1.5), CutHigh: f(2.0)}
	e.SetPoint(m2)
	if ch := feed(e, 2, t0, 1.0); len(ch) != 1 || ch[0].Level != Orange {
		t.Fatalf("looser own setting loosened the regulation: %+v", ch)
	}
	if l := Looser(s, m2); len(l) != 2 {
		t.Fatalf("looser report %v", l)
	}
	// Low rules: O2 with an own alarm at 19.5 (looser) keeps 20.
	o2 := Meta{PointID: 3, MineID: 1, Sensor: "o2", Location: "intake", PeriodS: 10, Own: Own{AlarmLow: f(19.5)}}
	e.SetPoint(o2)
	if ch := feed(e, 3, t0, 19.8); len(ch) != 1 || ch[0].Level != Orange {
		t.Fatalf("o2 %+v", ch)
	}
	if len(Looser(s, o2)) != 1 {
		t.Fatalf("o2 looser %v", Looser(s, o2))
	}
	// A point with only its own settings (no regulation rule) uses them.
	gp := Meta{PointID: 4, MineID: 2, Sensor: "ground_pressure", Location: "general", PeriodS: 10, Own: Own{AlarmHigh: f(30), CutHigh: f(40)}}
	e.SetPoint(gp)
	if ch := feed(e, 4, t0, 35); len(ch) != 1 || ch[0].Level != Orange || ch[0].Key.Rule != "own.high" {
		t.Fatalf("own-only %+v", ch)
	}
}

func TestOverRangeCountsAsRangeMax(t *testing.T) {
	e := NewEngine(Default())
	e.SetPoint(methanePoint(1, "coal_face"))
	// A saturated sensor reports 0.6 with the over-range bit: it is at least 4 %.
	ch := e.Evaluate(1, t0, 0.6, bitOverRange, t0)
	if len(ch) != 1 || ch[0].Level != Red {
		t.Fatalf("%+v", ch)
	}
}

func TestHoldDuration(t *testing.T) {
	s := Default()
	for i := range s.Thresholds {
		if s.Thresholds[i].ID == "co" {
			s.Thresholds[i].HoldS = 30
		}
	}
	e := NewEngine(s)
	e.SetPoint(Meta{PointID: 1, MineID: 1, Sensor: "co", Location: "general", PeriodS: 10, Noise: 1})
	if ch := feed(e, 1, t0, 30, 30, 30); len(ch) != 0 {
		t.Fatalf("opened before holding 30 s: %+v", ch)
	}
	if ch := feed(e, 1, t0.Add(30*time.Second), 31); len(ch) != 1 || ch[0].Action != Open {
		t.Fatalf("after 30 s: %+v", ch)
	}
	// A dip resets the pending time.
	e2 := NewEngine(s)
	e2.SetPoint(Meta{PointID: 1, MineID: 1, Sensor: "co", Location: "general", PeriodS: 10})
	if ch := feed(e2, 1, t0, 30, 30, 5, 30, 30, 30); len(ch) != 0 {
		t.Fatalf("dip did not reset: %+v", ch)
	}
}

func TestFaultCalibrationPlanned(t *testing.T) {
	e := NewEngine(Default())
	e.SetPoint(methanePoint(1, "coal_face"))
	ch := e.Evaluate(1, t0, 1.2, bitCalibration, t0)
	var fault, gas *Change
	for i := range ch {
		switch ch[i].Key.Kind {
		case KindFault:
			fault = &ch[i]
		case KindThreshold:
			gas = &ch[i]
		}
	}
	if fault == nil || !fault.Planned || fault.Level != Blue || gas == nil || !gas.Planned {
		t.Fatalf("calibration: %+v", ch)
	}
	ch = e.Evaluate(1, t0.Add(10*time.Second), 0.2, bitSensorFault, t0.Add(10*time.Second))
	// Fault stays open (now a real fault); the gas alarm clears.
	if len(ch) != 1 || ch[0].Key.Kind != KindThreshold || ch[0].Action != Clear {
		t.Fatalf("%+v", ch)
	}
	ch = e.Evaluate(1, t0.Add(20*time.Second), 0.2, 0, t0.Add(20*time.Second))
	if len(ch) != 1 || ch[0].Key.Kind != KindFault || ch[0].Action != Clear {
		t.Fatalf("%+v", ch)
	}
}

func TestLateDataIsMarkedAndOldSamplesSkipped(t *testing.T) {
	e := NewEngine(Default())
	e.SetPoint(methanePoint(1, "coal_face"))
	arrival := t0.Add(time.Hour)
	ch := e.Evaluate(1, t0, 1.2, 0, arrival)
	if len(ch) != 1 || !ch[0].Late {
		t.Fatalf("late open not marked: %+v", ch)
	}
	if ch := e.Evaluate(1, t0.Add(-time.Minute), 3.0, 0, arrival); len(ch) != 0 || e.Skipped() != 1 {
		t.Fatalf("an older sample was judged: %+v", ch)
	}
}

func TestInterruptionAndOffline(t *testing.T) {
	e := NewEngine(Default())
	e.SetPoint(methanePoint(1, "coal_face"))
	e.SetPoint(methanePoint(2, "face_return"))
	feed(e, 1, t0, 0.2)
	feed(e, 2, t0, 0.2)
	// Point 2 keeps sending, point 1 falls silent: 3 periods → interruption.
	var ch []Change
	for i := 1; i <= 4; i++ {
		at := t0.Add(time.Duration(i) * 10 * time.Second)
		e.Evaluate(2, at, 0.2, 0, at)
		ch = append(ch, e.Tick(at.Add(time.Second))...)
	}
	if len(ch) != 1 || ch[0].Key.Kind != KindInterruption || ch[0].Key.PointID != 1 || ch[0].Level != Yellow {
		t.Fatalf("interruption %+v", ch)
	}
	if again := e.Tick(t0.Add(time.Minute)); len(again) != 0 {
		t.Fatalf("interruption opened twice: %+v", again)
	}
	// Data resumes: cleared.
	at := t0.Add(2 * time.Minute)
	if ch := e.Evaluate(1, at, 0.2, 0, at); len(ch) != 1 || ch[0].Action != Clear {
		t.Fatalf("resume %+v", ch)
	}
	// The whole mine silent 10 minutes: one offline alarm, no per-point ones.
	ch = e.Tick(at.Add(11 * time.Minute))
	if len(ch) != 1 || ch[0].Key.Kind != KindOffline {
		t.Fatalf("offline %+v", ch)
	}
	back := at.Add(12 * time.Minute)
	ch = e.Evaluate(2, back, 0.2, 0, back)
	if len(ch) != 1 || ch[0].Key.Kind != KindOffline || ch[0].Action != Clear {
		t.Fatalf("back online %+v", ch)
	}
}

func TestFlatline(t *testing.T) {
	e := NewEngine(Default())
	e.SetPoint(methanePoint(1, "coal_face"))
	var ch []Change
	for i := 0; i < 200; i++ { // 33 minutes at exactly 0.31
		at := t0.Add(time.Duration(i) * 10 * time.Second)
		ch = append(ch, e.Evaluate(1, at, 0.31, 0, at)...)
	}
	if len(ch) != 1 || ch[0].Key.Kind != KindFlatline || ch[0].Level != Orange {
		t.Fatalf("flatline %+v", ch)
	}
	at := t0.Add(2000 * time.Second)
	if ch := e.Evaluate(1, at, 0.36, 0, at); len(ch) != 1 || ch[0].Action != Clear {
		t.Fatalf("variation %+v", ch)
	}
	// At the bottom of the range (0 %) a steady reading is normal.
	e.SetPoint(methanePoint(2, "coal_face"))
	ch = nil
	for i := 0; i < 300; i++ {
		at := t0.Add(time.Duration(i) * 10 * time.Second)
		ch = append(ch, e.Evaluate(2, at, 0, 0, at)...)
	}
	if len(ch) != 0 {
		t.Fatalf("flatline at range floor %+v", ch)
	}
}

func TestSlopeRate(t *testing.T) {
	e := NewEngine(Default())
	e.SetPoint(Meta{PointID: 1, MineID: 3, Sensor: "slope_displacement_resultant", Location: "pit_slope", PeriodS: 600, Noise: 3})
	var ch []Change
	// 12 mm/day creep for 6 hours, then 8 mm/h.
	v := 0.0
	at := t0
	for i := 0; i < 36; i++ {
		at = at.Add(10 * time.Minute)
		v += 12.0 / 144
		ch = append(ch, e.Evaluate(1, at, v, 0, at)...)
	}
	if len(ch) == 0 || ch[0].Action != Open || ch[0].Level != Orange {
		t.Fatalf("12 mm/d: %+v", ch)
	}
	ch = nil
	for i := 0; i < 36; i++ {
		at = at.Add(10 * time.Minute)
		v += 8.0 / 6
		ch = append(ch, e.Evaluate(1, at, v, 0, at)...)
	}
	last := ch[len(ch)-1]
	if last.Level != Red {
		t.Fatalf("8 mm/h: %+v", last)
	}
}

func TestTailingsRelativeAndRollup(t *testing.T) {
	e := NewEngine(Default())
	pond := &Pond{Grade: 3, DesignPhreaticDepthM: f(6)}
	for id := int64(1); id <= 4; id++ {
		e.SetPoint(Meta{PointID: id, MineID: 9, MineKind: "tailings_pond", Sensor: "phreatic_depth", Location: "dam_slope", PeriodS: 600, Noise: 0.01, Pond: pond})
	}
	// 6.5 m < 6.6 (1.1 × 6): orange; 5.9 < 6: red.
	ch := feed(e, 1, t0, 6.5)
	if len(ch) != 1 || ch[0].Level != Orange {
		t.Fatalf("1.1× design: %+v", ch)
	}
	ch = feed(e, 2, t0, 6.4)
	// Two orange points of one item → the item is red: a roll-up alarm.
	var rolled *Change
	for i := range ch {
		if ch[i].Key.Kind == KindRollup && ch[i].Key.Item == "phreatic_depth" {
			rolled = &ch[i]
		}
	}
	if rolled == nil || rolled.Level != Red || rolled.Action != Open {
		t.Fatalf("roll-up %+v", ch)
	}
	// The pond level is the highest item: the pond roll-up is not lifted.
	levels := e.MineLevels()
	if levels[9] != Red {
		t.Fatalf("mine level %v", levels[9])
	}
	// One point clears: the item no longer rolls up.
	ch = feed(e, 2, t0.Add(time.Minute), 7)
	cleared := false
	for _, c := range ch {
		if c.Key.Kind == KindRollup && c.Action == Clear {
			cleared = true
		}
	}
	if !cleared {
		t.Fatalf("roll-up not cleared: %+v", ch)
	}
}

func TestRollupCounts(t *testing.T) {
	s := Default()
	// Four blue points of one item → yellow; four blue items → pond yellow.
	s.Thresholds = append(s.Thresholds, Threshold{ID: "test.blue", Sensors: []string{"seepage", "pond_level", "dam_surface_displacement", "freeboard"}, Op: ">=", Steps: []Step{{Blue, 1}}, Basis: "test"})
	e := NewEngine(s)
	id := int64(0)
	add := func(sensor string) int64 {
		id++
		e.SetPoint(Meta{PointID: id, MineID: 5, MineKind: "tailings_pond", Sensor: sensor, Location: "dam_crest", PeriodS: 600, Pond: &Pond{Grade: 4}})
		return id
	}
	var ch []Change
	for i := 0; i < 4; i++ {
		ch = append(ch, feed(e, add("seepage"), t0, 2)...)
	}
	item := false
	for _, c := range ch {
		if c.Key.Item == "seepage" && c.Action == Open && c.Level == Yellow {
			item = true
		}
	}
	if !item {
		t.Fatalf("4 blue points did not make the item yellow: %+v", ch)
	}
	ch = nil
	for _, sensor := range []string{"pond_level", "dam_surface_displacement", "freeboard"} {
		ch = append(ch, feed(e, add(sensor), t0, 2)...)
	}
	// Items: seepage yellow (rolled), three blue → 4 items at ≥ blue → pond
	// yellow, but an item is already yellow: the pond is not lifted.
	for _, c := range ch {
		if c.Key.Item == "pond" {
			t.Fatalf("pond lifted although an item is yellow: %+v", c)
		}
	}
}

// A noisy but still slope raises no rate alarm; a silent mine raises one
// offline alarm and no interruption per point.
func TestNoFalseAlarmsFromNoiseOrSilence(t *testing.T) {
	e := NewEngine(Default())
	e.SetPoint(Meta{PointID: 1, MineID: 3, Sensor: "slope_displacement", Location: "pit_slope", PeriodS: 60, Noise: 2})
	noise := []float64{1.8, -2.1, 0.4, 2.2, -1.9, 0.7, -0.3, 1.5, -2.0, 0.9}
	var ch []Change
	at := t0
	for i := 0; i < 12*60; i++ { // 12 hours at one reading a minute, ±2 mm noise
		at = at.Add(time.Minute)
		ch = append(ch, e.Evaluate(1, at, noise[i%len(noise)], 0, at)...)
	}
	if len(ch) != 0 {
		t.Fatalf("noise raised %d changes, first %+v", len(ch), ch[0])
	}
	for id := int64(10); id < 15; id++ {
		e.SetPoint(methanePoint(id, "coal_face"))
		e.Evaluate(id, at, 0.2, 0, at)
	}
	var all []Change
	for m := 1; m <= 12; m++ {
		all = append(all, e.Tick(at.Add(time.Duration(m)*time.Minute))...)
	}
	kinds := map[string]int{}
	for _, c := range all {
		kinds[c.Key.Kind]++
	}
	if kinds[KindInterruption] != 0 || kinds[KindOffline] != 2 {
		t.Fatalf("silent mines: %v", kinds)
	}
}
