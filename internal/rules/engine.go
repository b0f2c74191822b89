package rules

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// Condition kinds.
const (
	KindThreshold    = "threshold"
	KindRate         = "rate"
	KindInterruption = "interruption"
	KindOffline      = "offline"
	KindFault        = "fault"
	KindFlatline     = "flatline"
	KindRollup       = "rollup"
)

// Status bits the engine reads (MT/T 1201).
const (
	bitCalibration = 4
	bitOverRange   = 8
	bitStation     = 16
	bitSensorFault = 128
)

// Key names one alarm condition: a point's rule, an item or facility of a
// tailings pond (PointID 0, Item set), or a whole mine (offline).
type Key struct {
	MineID  int64  `json:"mine_id"`
	PointID int64  `json:"point_id,omitempty"`
	Kind    string `json:"kind"`
	Rule    string `json:"rule"`
	Item    string `json:"item,omitempty"`
}

// Action of a change.
type Action int

// Actions.
const (
	Open Action = iota + 1
	Update
	Clear
)

func (a Action) String() string { return [...]string{"", "open", "update", "clear"}[a] }

// Change is what happened to one condition.
type Change struct {
	Key     Key
	Action  Action
	Level   Level     // the level now (for Clear: the level it had)
	Value   float64   // the reading (or rate) that caused it
	At      time.Time // the sample's time, or the tick's
	Planned bool      // calibration: expected, counted apart
	Late    bool      // opened by a sample that arrived late
	Peak    bool      // an Update whose value is the worst so far
	Message string
}

// Own is a point's own settings (from its CDDY definition).
type Own struct {
	AlarmHigh, CutHigh, ResetHigh *float64
	AlarmLow, CutLow, ResetLow    *float64
}

// Pond is the design of the tailings pond a point belongs to.
type Pond struct {
	Grade                                                      int
	DesignPhreaticDepthM, DesignFreeboardM, DesignMinDryBeachM *float64
}

// Meta is what the engine knows of a point.
type Meta struct {
	PointID, MineID    int64
	MineKind           string
	MineStatus         string
	Sensor, Location   string
	Switch             bool
	RangeMin, RangeMax *float64
	PeriodS            int
	Noise              float64
	Own                Own
	Pond               *Pond
}

// rule is a threshold compiled for one point: absolute values, the point's
// own settings merged (the stricter applies).
type rule struct {
	id    string
	low   bool
	steps []Step
	reset float64
	hold  time.Duration
}

type cond struct {
	active  bool
	level   Level
	peak    float64
	pending time.Time
}

type tv struct {
	t time.Time
	v float64
}

type pointState struct {
	meta        Meta
	rules       []rule
	rates       []Rate
	conds       map[Key]*cond
	lastT       time.Time
	lastArrival time.Time
	history     []tv
	flatRef     float64
	flatSince   time.Time
	flatCount   int
}

// flatMinReadings is how many unchanged readings a flat line needs.
const flatMinReadings = 20

type mineState struct {
	lastArrival time.Time
	pond        bool
	offline     *cond
	rollup      map[Key]*cond
}

// Engine holds the evaluation state of every point. It is not safe for
// concurrent use: one goroutine owns it, which is what guarantees one
// evaluator state and one writer per point.
type Engine struct {
	set     Set
	points  map[int64]*pointState
	mines   map[int64]*mineState
	skipped int
}

// NewEngine answers an engine judging by set.
func NewEngine(set Set) *Engine {
	return &Engine{set: set, points: map[int64]*pointState{}, mines: map[int64]*mineState{}}
}

// SetRules replaces the rule set; points keep their conditions and are
// judged by the new values from their next sample.
func (e *Engine) SetRules(set Set) {
	e.set = set
	for _, ps := range e.points {
		ps.rules, ps.rates = compile(set, ps.meta), ratesFor(set, ps.meta)
	}
}

// Skipped counts samples older than their point's newest (not re-judged).
func (e *Engine) Skipped() int { return e.skipped }

func (e *Engine) mine(id int64) *mineState {
	m := e.mines[id]
	if m == nil {
		m = &mineState{rollup: map[Key]*cond{}}
		e.mines[id] = m
	}
	return m
}

// SetPoint adds or updates a point's facts.
func (e *Engine) SetPoint(m Meta) {
	ps := e.points[m.PointID]
	if ps == nil {
		ps = &pointState{conds: map[Key]*cond{}}
		e.points[m.PointID] = ps
	}
	ps.meta = m
	ps.rules, ps.rates = compile(e.set, m), ratesFor(e.set, m)
	e.mine(m.MineID).pond = m.Pond != nil
}

// HasPoint tells whether the engine knows the point.
func (e *Engine) HasPoint(id int64) bool { _, ok := e.points[id]; return ok }

// Restore marks a condition active after a restart (from the open alarms),
// so the same condition does not open a second alarm.
func (e *Engine) Restore(k Key, level Level, peak float64) {
	c := &cond{active: true, level: level, peak: peak}
	switch {
	case k.Kind == KindOffline:
		e.mine(k.MineID).offline = c
	case k.Kind == KindRollup:
		e.mine(k.MineID).rollup[k] = c
	default:
		if ps := e.points[k.PointID]; ps != nil {
			ps.conds[k] = c
		}
	}
}

func applicable(locs []string, loc string) int {
	if len(locs) == 0 {
		return 1 // generic
	}
	if slices.Contains(locs, loc) {
		return 2 // specific
	}
	return 0
}

// compile picks the threshold rules of a point (the location-specific ones
// when there are any, else the generic ones), resolves relative values and
// merges the point's own settings: the stricter of the two applies.
func compile(set Set, m Meta) []rule {
	if m.Switch {
		return nil
	}
	best := 0
	var picked []Threshold
	for _, t := range set.Thresholds {
		if !slices.Contains(t.Sensors, m.Sensor) {
			continue
		}
		a := applicable(t.Locations, m.Location)
		if a == 0 || a < best {
			continue
		}
		if a > best {
			best, picked = a, nil
		}
		picked = append(picked, t)
	}
	var out []rule
	hasHigh, hasLow := false, false
	for _, t := range picked {
		r := rule{id: t.ID, low: t.Op == "<", steps: slices.Clone(t.Steps), hold: time.Duration(t.HoldS) * time.Second}
		scale := 1.0
		if t.Relative != "" {
			d := designValue(m.Pond, t.Relative)
			if d == nil {
				continue
			}
			scale = *d
		}
		for i := range r.steps {
			r.steps[i].Value *= scale
		}
		r.reset = r.steps[0].Value
		if t.Reset != nil {
			r.reset = *t.Reset * scale
		}
		mergeOwn(&r, m.Own)
		out = append(out, r)
		hasHigh = hasHigh || !r.low
		hasLow = hasLow || r.low
	}
	// A point with its own settings and no regulation rule is judged by them.
	if o := m.Own; !hasHigh && (o.AlarmHigh != nil || o.CutHigh != nil) {
		out = append(out, ownRule("own.high", false, o.AlarmHigh, o.CutHigh, o.ResetHigh))
	}
	if o := m.Own; !hasLow && (o.AlarmLow != nil || o.CutLow != nil) {
		out = append(out, ownRule("own.low", true, o.AlarmLow, o.CutLow, o.ResetLow))
	}
	return out
}

func ownRule(id string, low bool, alarm, cut, reset *float64) rule {
	r := rule{id: id, low: low}
	if alarm != nil {
		r.steps = append(r.steps, Step{Orange, *alarm})
	}
	if cut != nil {
		r.steps = append(r.steps, Step{Red, *cut})
	}
	r.reset = r.steps[0].Value
	if reset != nil && ((!low && *reset <= r.reset) || (low && *reset >= r.reset)) {
		r.reset = *reset
	}
	return r
}

// mergeOwn lowers (raises, for low rules) the first and the last step to the
// point's own alarm and power-cut settings when those are stricter.
func mergeOwn(r *rule, o Own) {
	alarm, cut := o.AlarmHigh, o.CutHigh
	if r.low {
		alarm, cut = o.AlarmLow, o.CutLow
	}
	stricter := func(own *float64, reg float64) float64 {
		if own == nil {
			return reg
		}
		if r.low {
			return math.Max(*own, reg)
		}
		return math.Min(*own, reg)
	}
	first := r.steps[0].Value
	r.steps[0].Value = stricter(alarm, first)
	if r.steps[0].Value != first {
		// A stricter alarm value resets at it, not at the regulation's.
		r.reset = stricter(&r.steps[0].Value, r.reset)
	}
	if n := len(r.steps); n > 1 {
		r.steps[n-1].Value = stricter(cut, r.steps[n-1].Value)
	}
	// Keep the steps monotone after the merge.
	for i := 1; i < len(r.steps); i++ {
		if (!r.low && r.steps[i].Value < r.steps[i-1].Value) || (r.low && r.steps[i].Value > r.steps[i-1].Value) {
			r.steps[i].Value = r.steps[i-1].Value
		}
	}
}

func designValue(p *Pond, field string) *float64 {
	if p == nil {
		return nil
	}
	switch field {
	case "design_phreatic_depth_m":
		if p.DesignPhreaticDepthM != nil {
			return p.DesignPhreaticDepthM
		}
		// GB 50863 seismic rule of thumb: ≥ 6 m for grades 1–3, 4 m below.
		d := 4.0
		if p.Grade > 0 && p.Grade <= 3 {
			d = 6
		}
		return &d
	case "design_freeboard_m":
		return p.DesignFreeboardM
	case "design_min_dry_beach_m":
		return p.DesignMinDryBeachM
	}
	return nil
}

func ratesFor(set Set, m Meta) []Rate {
	if m.Switch {
		return nil
	}
	var out []Rate
	for _, r := range set.Rates {
		if slices.Contains(r.Sensors, m.Sensor) && applicable(r.Locations, m.Location) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// Looser answers why a point's own settings are looser than the regulation
// (a wrong alarm or power-cut setting is a major hazard, coal catalogue
// category 4), or nothing.
func Looser(set Set, m Meta) []string {
	own := m.Own
	m.Own = Own{}
	var out []string
	for _, r := range compile(set, m) {
		alarm, cut := own.AlarmHigh, own.CutHigh
		word := "above"
		if r.low {
			alarm, cut, word = own.AlarmLow, own.CutLow, "below"
		}
		looser := func(v *float64, reg float64) bool {
			return v != nil && ((!r.low && *v > reg) || (r.low && *v < reg))
		}
		if looser(alarm, r.steps[0].Value) {
			out = append(out, fmt.Sprintf("alarm setting %v is %s the regulation's %v (rule %s)", *alarm, word, r.steps[0].Value, r.id))
		}
		if n := len(r.steps); n > 1 && looser(cut, r.steps[n-1].Value) {
			out = append(out, fmt.Sprintf("power-cut setting %v is %s the regulation's %v (rule %s)", *cut, word, r.steps[n-1].Value, r.id))
		}
	}
	return out
}

// Evaluate judges one sample of a point that arrived at arrival, and answers
// the changes. Samples older than the point's newest are skipped: state
// cannot be rewound.
func (e *Engine) Evaluate(pointID int64, t time.Time, v float64, status int, arrival time.Time) []Change {
	ps := e.points[pointID]
	if ps == nil {
		return nil
	}
	m := e.mine(ps.meta.MineID)
	if arrival.After(m.lastArrival) {
		m.lastArrival = arrival
	}
	if arrival.After(ps.lastArrival) {
		ps.lastArrival = arrival
	}
	if !ps.lastT.IsZero() && !t.After(ps.lastT) {
		e.skipped++
		return nil
	}
	ps.lastT = t
	late := arrival.Sub(t) > time.Duration(e.set.LateS)*time.Second
	var out []Change
	emit := func(c Change) {
		c.Late = c.Action == Open && late
		out = append(out, c)
	}
	// Data came: the mine is back and the point is no longer interrupted.
	if m.offline != nil && m.offline.active {
		emit(Change{Key: Key{MineID: ps.meta.MineID, Kind: KindOffline, Rule: "offline"}, Action: Clear, Level: m.offline.level, At: t, Message: "data resumed"})
		m.offline = nil
	}
	ik := Key{MineID: ps.meta.MineID, PointID: pointID, Kind: KindInterruption, Rule: "interruption"}
	if c := ps.conds[ik]; c != nil && c.active {
		emit(Change{Key: ik, Action: Clear, Level: c.level, At: t, Message: "data resumed"})
		delete(ps.conds, ik)
	}
	e.fault(ps, t, status, emit)
	eff := v
	if status&bitOverRange != 0 {
		// Beyond the range the true value is at least the range end: it can
		// only raise the level.
		if ps.meta.RangeMax != nil && eff < *ps.meta.RangeMax && (ps.meta.RangeMin == nil || v >= *ps.meta.RangeMin) {
			eff = *ps.meta.RangeMax
		}
	}
	planned := status&bitCalibration != 0
	for _, r := range ps.rules {
		e.threshold(ps, r, t, eff, planned, emit)
	}
	e.rate(ps, t, v, emit)
	e.flatline(ps, t, v, emit)
	if m.pond {
		e.rollup(ps.meta.MineID, t, emit)
	}
	return out
}

func meets(low bool, v, limit float64) bool {
	if low {
		return v < limit
	}
	return v >= limit
}

func (e *Engine) threshold(ps *pointState, r rule, t time.Time, v float64, planned bool, emit func(Change)) {
	k := Key{MineID: ps.meta.MineID, PointID: ps.meta.PointID, Kind: KindThreshold, Rule: r.id}
	c := ps.conds[k]
	met := None
	var limit float64
	for _, st := range r.steps {
		if meets(r.low, v, st.Value) && st.Level > met {
			met, limit = st.Level, st.Value
		}
	}
	if c != nil && c.active {
		if (!r.low && v < r.reset) || (r.low && v >= r.reset) {
			emit(Change{Key: k, Action: Clear, Level: c.level, Value: v, At: t, Message: fmt.Sprintf("%v back past reset %v", v, r.reset)})
			delete(ps.conds, k)
			return
		}
		lvl := met
		if lvl == None {
			lvl = r.steps[0].Level // between reset and the first step: still on
		}
		worse := (!r.low && v > c.peak) || (r.low && v < c.peak)
		if worse {
			c.peak = v
		}
		if lvl != c.level || worse {
			c.level = lvl
			emit(Change{Key: k, Action: Update, Level: lvl, Value: v, At: t, Planned: planned, Peak: worse})
		}
		return
	}
	if met == None {
		if c != nil {
			delete(ps.conds, k)
		}
		return
	}
	if r.hold > 0 {
		if c == nil {
			c = &cond{pending: t}
			ps.conds[k] = c
		}
		if t.Sub(c.pending) < r.hold {
			return
		}
	}
	ps.conds[k] = &cond{active: true, level: met, peak: v}
	op := "≥"
	if r.low {
		op = "<"
	}
	emit(Change{Key: k, Action: Open, Level: met, Value: v, At: t, Planned: planned,
		Message: fmt.Sprintf("%s %v %s %v (%s)", ps.meta.Sensor, v, op, limit, r.id)})
}

func (e *Engine) fault(ps *pointState, t time.Time, status int, emit func(Change)) {
	k := Key{MineID: ps.meta.MineID, PointID: ps.meta.PointID, Kind: KindFault, Rule: "fault"}
	c := ps.conds[k]
	faulty := status&(bitSensorFault|bitStation|bitCalibration) != 0
	switch {
	case faulty && (c == nil || !c.active):
		what := "sensor fault"
		if status&bitStation != 0 {
			what = "substation fault"
		}
		planned := status&(bitSensorFault|bitStation) == 0
		if planned {
			what = "calibration"
		}
		ps.conds[k] = &cond{active: true, level: e.set.Fault.Level}
		emit(Change{Key: k, Action: Open, Level: e.set.Fault.Level, At: t, Planned: planned, Message: fmt.Sprintf("%s (status %d)", what, status)})
	case !faulty && c != nil && c.active:
		emit(Change{Key: k, Action: Clear, Level: c.level, At: t, Message: "status normal"})
		delete(ps.conds, k)
	}
}

func (e *Engine) rate(ps *pointState, t time.Time, v float64, emit func(Change)) {
	if len(ps.rates) == 0 {
		return
	}
	maxWin := 0
	for _, r := range ps.rates {
		maxWin = max(maxWin, r.WindowS)
	}
	win := time.Duration(maxWin) * time.Second
	// Keep about 200 points over the longest window: enough for a rate.
	if n := len(ps.history); n == 0 || t.Sub(ps.history[n-1].t) >= win/200 {
		ps.history = append(ps.history, tv{t, v})
	}
	cut := 0
	for cut < len(ps.history)-1 && t.Sub(ps.history[cut+1].t) >= win {
		cut++
	}
	ps.history = ps.history[cut:]
	for _, r := range ps.rates {
		k := Key{MineID: ps.meta.MineID, PointID: ps.meta.PointID, Kind: KindRate, Rule: r.ID}
		w := time.Duration(r.WindowS) * time.Second
		per := 24 * time.Hour
		if r.Per == "h" {
			per = time.Hour
		}
		slope, ok := fitSlope(ps.history, t, w)
		if !ok {
			continue // not enough span to judge
		}
		rate := slope * per.Seconds()
		if !slices.Contains(r.Sensors, "pond_level") && !slices.Contains(r.Sensors, "water_level") {
			rate = math.Abs(rate) // displacement may run either way along an axis
		}
		rate = math.Round(rate*100) / 100
		met := None
		for _, st := range r.Steps {
			if rate >= st.Value && st.Level > met {
				met = st.Level
			}
		}
		c := ps.conds[k]
		active := c != nil && c.active
		// Hysteresis: an active rate alarm holds until the rate falls below
		// 80 % of the first step, so a rate hovering at a step does not flap.
		if active && met == None && rate >= 0.8*r.Steps[0].Value {
			met = r.Steps[0].Level
		}
		switch {
		case met > None && !active:
			ps.conds[k] = &cond{active: true, level: met, peak: rate}
			emit(Change{Key: k, Action: Open, Level: met, Value: rate, At: t, Message: fmt.Sprintf("%s changing %v per %s (%s)", ps.meta.Sensor, rate, r.Per, r.ID)})
		case met > None && (met != c.level || rate > c.peak):
			worse := rate > c.peak
			c.level, c.peak = met, math.Max(c.peak, rate)
			emit(Change{Key: k, Action: Update, Level: met, Value: rate, At: t, Peak: worse})
		case met == None && active:
			emit(Change{Key: k, Action: Clear, Level: c.level, Value: rate, At: t, Message: fmt.Sprintf("rate %v per %s below %v", rate, r.Per, r.Steps[0].Value)})
			delete(ps.conds, k)
		}
	}
}

// fitSlope answers the least-squares slope (per second) of the readings
// within w before t: a rate from two readings would be dominated by the
// sensor's noise (2 mm GNSS noise is tens of mm/d over an hour). It needs
// the readings to span at least half the window.
func fitSlope(h []tv, t time.Time, w time.Duration) (float64, bool) {
	i := 0
	for i < len(h) && t.Sub(h[i].t) > w {
		i++
	}
	pts := h[i:]
	if len(pts) < 3 || pts[len(pts)-1].t.Sub(pts[0].t) < w/2 {
		return 0, false
	}
	t0 := pts[0].t
	var sx, sy, sxx, sxy float64
	n := float64(len(pts))
	for _, p := range pts {
		x := p.t.Sub(t0).Seconds()
		sx += x
		sy += p.v
		sxx += x * x
		sxy += x * p.v
	}
	den := n*sxx - sx*sx
	if den == 0 {
		return 0, false
	}
	return (n*sxy - sx*sy) / den, true
}

// flatline suspects tampering when a producing mine's analogue sensor shows
// no variation beyond its noise for a long time. A reading resting at the
// bottom of its range (0 ppm CO) is normal and is not judged.
func (e *Engine) flatline(ps *pointState, t time.Time, v float64, emit func(Change)) {
	m := ps.meta
	if m.Switch || m.Noise <= 0 || m.MineStatus != "producing" || e.set.Flatline.Minutes <= 0 {
		return
	}
	k := Key{MineID: m.MineID, PointID: m.PointID, Kind: KindFlatline, Rule: "flatline"}
	atFloor := (m.RangeMin != nil && v <= *m.RangeMin) || v == 0
	// Any change of half the noise counts as variation: a live sensor
	// jitters by a quantum of its precision; a frozen one repeats itself.
	if ps.flatSince.IsZero() || math.Abs(v-ps.flatRef) > m.Noise/2 || atFloor {
		ps.flatRef, ps.flatSince, ps.flatCount = v, t, 0
		if c := ps.conds[k]; c != nil && c.active {
			emit(Change{Key: k, Action: Clear, Level: c.level, Value: v, At: t, Message: "the reading varies again"})
			delete(ps.conds, k)
		}
		return
	}
	ps.flatCount++
	// A slow sensor (one reading per 10 min) needs more than the window to
	// show it is frozen: ask for a number of identical readings as well.
	if c := ps.conds[k]; c == nil && t.Sub(ps.flatSince) >= time.Duration(e.set.Flatline.Minutes)*time.Minute && ps.flatCount >= flatMinReadings {
		ps.conds[k] = &cond{active: true, level: e.set.Flatline.Level, peak: v}
		emit(Change{Key: k, Action: Open, Level: e.set.Flatline.Level, Value: v, At: t,
			Message: fmt.Sprintf("%s has shown %v without variation since %s: possible tampering", m.Sensor, v, ps.flatSince.UTC().Format(time.RFC3339))})
	}
}

// pointLevel is the highest active graded condition of a point.
func pointLevel(ps *pointState) Level {
	l := None
	for k, c := range ps.conds {
		if c.active && (k.Kind == KindThreshold || k.Kind == KindRate) && c.level > l {
			l = c.level
		}
	}
	return l
}

// rollup carries point levels of a tailings pond up to its items (one item =
// one monitored quantity) and the pond (GB 39496 §5.5.4): 4 blue points of
// one item → the item yellow; 3 yellow → orange; 2 orange → red; 4 blue items
// count as one yellow item; the pond takes the highest. A roll-up alarm
// opens where the roll-up lifts an item or the pond above what its parts
// already show.
func (e *Engine) rollup(mineID int64, t time.Time, emit func(Change)) {
	r := e.set.Rollup
	items := map[string][]Level{}
	for _, ps := range e.points {
		if ps.meta.MineID == mineID {
			items[ps.meta.Sensor] = append(items[ps.meta.Sensor], pointLevel(ps))
		}
	}
	names := make([]string, 0, len(items))
	for n := range items {
		names = append(names, n)
	}
	sort.Strings(names)
	var itemLevels []Level
	m := e.mine(mineID)
	for _, name := range names {
		pts := items[name]
		top := slices.Max(pts)
		lvl := top
		count := func(at Level) int {
			n := 0
			for _, l := range pts {
				if l >= at {
					n++
				}
			}
			return n
		}
		if count(Orange) >= r.OrangePointsToRed {
			lvl = max(lvl, Red)
		}
		if count(Yellow) >= r.YellowPointsToOrange {
			lvl = max(lvl, Orange)
		}
		if count(Blue) >= r.BluePointsToYellow {
			lvl = max(lvl, Yellow)
		}
		itemLevels = append(itemLevels, lvl)
		e.rollupCond(m, Key{MineID: mineID, Kind: KindRollup, Rule: "rollup.item", Item: name}, lvl, top, t, emit)
	}
	if len(itemLevels) == 0 {
		return
	}
	top := slices.Max(itemLevels)
	lvl := top
	blueItems := 0
	for _, l := range itemLevels {
		if l >= Blue {
			blueItems++
		}
	}
	if blueItems >= r.BlueItemsToYellow {
		lvl = max(lvl, Yellow)
	}
	e.rollupCond(m, Key{MineID: mineID, Kind: KindRollup, Rule: "rollup.pond", Item: "pond"}, lvl, top, t, emit)
}

func (e *Engine) rollupCond(m *mineState, k Key, lvl, parts Level, t time.Time, emit func(Change)) {
	c := m.rollup[k]
	lifted := lvl > parts
	switch {
	case lifted && (c == nil || !c.active):
		m.rollup[k] = &cond{active: true, level: lvl}
		emit(Change{Key: k, Action: Open, Level: lvl, At: t, Message: fmt.Sprintf("roll-up of %s to %s (GB 39496 §5.5.4)", k.Item, lvl)})
	case lifted && c.level != lvl:
		c.level = lvl
		emit(Change{Key: k, Action: Update, Level: lvl, At: t})
	case !lifted && c != nil && c.active:
		emit(Change{Key: k, Action: Clear, Level: c.level, At: t, Message: "roll-up no longer lifts the level"})
		delete(m.rollup, k)
	}
}

// Tick judges what time alone decides, without new data: points silent for
// k periods (interruption) and mines silent for the offline time. It does
// not open point interruptions while their whole mine is offline: one alarm
// for the mine instead of one per point.
func (e *Engine) Tick(now time.Time) []Change {
	var out []Change
	offlineAfter := time.Duration(e.set.Offline.Minutes) * time.Minute
	mineIDs := make([]int64, 0, len(e.mines))
	for id := range e.mines {
		mineIDs = append(mineIDs, id)
	}
	slices.Sort(mineIDs)
	offline := map[int64]bool{}
	for _, id := range mineIDs {
		m := e.mines[id]
		if m.lastArrival.IsZero() || now.Sub(m.lastArrival) < offlineAfter {
			continue
		}
		offline[id] = true
		if m.offline == nil {
			m.offline = &cond{active: true, level: e.set.Offline.Level}
			out = append(out, Change{Key: Key{MineID: id, Kind: KindOffline, Rule: "offline"}, Action: Open, Level: e.set.Offline.Level, At: now,
				Message: fmt.Sprintf("no data from the mine since %s", m.lastArrival.UTC().Format(time.RFC3339))})
		}
	}
	pointIDs := make([]int64, 0, len(e.points))
	for id := range e.points {
		pointIDs = append(pointIDs, id)
	}
	slices.Sort(pointIDs)
	for _, id := range pointIDs {
		ps := e.points[id]
		if ps.lastArrival.IsZero() || ps.meta.PeriodS <= 0 || offline[ps.meta.MineID] {
			continue
		}
		k := Key{MineID: ps.meta.MineID, PointID: id, Kind: KindInterruption, Rule: "interruption"}
		limit := time.Duration(e.set.Interruption.Periods * float64(ps.meta.PeriodS) * float64(time.Second))
		// Only a point that is silent while its mine still sends: when the
		// whole mine falls silent the offline rule speaks for all its points.
		mineAlive := now.Sub(e.mines[ps.meta.MineID].lastArrival) <= limit
		if now.Sub(ps.lastArrival) > limit && mineAlive && ps.conds[k] == nil {
			ps.conds[k] = &cond{active: true, level: e.set.Interruption.Level}
			out = append(out, Change{Key: k, Action: Open, Level: e.set.Interruption.Level, At: now,
				Message: fmt.Sprintf("no data since %s (period %d s)", ps.lastArrival.UTC().Format(time.RFC3339), ps.meta.PeriodS)})
		}
	}
	return out
}

// MineLevels answers the highest active level per mine (for the map).
func (e *Engine) MineLevels() map[int64]Level {
	out := map[int64]Level{}
	for _, ps := range e.points {
		for _, c := range ps.conds {
			if c.active && c.level > out[ps.meta.MineID] {
				out[ps.meta.MineID] = c.level
			}
		}
	}
	for id, m := range e.mines {
		if m.offline != nil && m.offline.level > out[id] {
			out[id] = m.offline.level
		}
		for _, c := range m.rollup {
			if c.level > out[id] {
				out[id] = c.level
			}
		}
	}
	return out
}
