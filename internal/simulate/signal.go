package simulate

import (
	"math"
	"slices"
	"time"

	"minesafe/internal/clock"
	"minesafe/internal/telemetry"
)

// Sim is the signal model of a set of mines. Its answers depend only on the
// seed, the start (from which the script counts) and the time asked about;
// it is safe for concurrent use.
type Sim struct {
	seed     uint64
	start    time.Time
	mines    []*mine
	byCode   map[string]*mine
	episodes []Episode
	eligible []*point // targets of the random methane excursions
}

// New plans every mine and lays the demo script over them from start.
// Episodes whose mine is not among mines are left out.
func New(mines []MineSpec, seed int64, start time.Time) *Sim {
	s := &Sim{seed: mix(uint64(seed)), start: start.Truncate(time.Second), byCode: map[string]*mine{}}
	for _, spec := range mines {
		if _, dup := s.byCode[spec.Code]; dup {
			continue
		}
		m := planMine(spec)
		s.mines = append(s.mines, m)
		s.byCode[spec.Code] = m
	}
	s.layScript()
	return s
}

// Start answers the instant the script counts from.
func (s *Sim) Start() time.Time { return s.start }

// Episodes answers the scripted episodes in play, by offset.
func (s *Sim) Episodes() []Episode { return slices.Clone(s.episodes) }

// Value answers the reading of a point at t (on the point's reporting grid
// or not), its status bits, and whether the point exists.
func (s *Sim) Value(mineCode, pointCode string, t time.Time) (float64, int, bool) {
	p := s.point(mineCode, pointCode)
	if p == nil {
		return 0, 0, false
	}
	v, st := s.measure(p, t.Truncate(time.Second))
	return v, st, true
}

func (s *Sim) point(mineCode, pointCode string) *point {
	m := s.byCode[mineCode]
	if m == nil {
		return nil
	}
	for _, p := range m.points {
		if p.f.Code == pointCode {
			return p
		}
	}
	return nil
}

// Batches answers the samples due in (from, to]: every point reports at the
// multiples of its period (since the Unix epoch), except while its mine is
// offline. One batch per mine with samples, in the order the mines were
// given, samples by time then by plan order.
func (s *Sim) Batches(from, to time.Time) []telemetry.Batch {
	return s.collect(func(p *point) (int64, int64) {
		per := int64(p.f.PeriodS)
		return floorDiv(from.Unix(), per)*per + per, to.Unix()
	})
}

// Snapshot answers each point's latest sample at or before at: what a
// gateway sends first when it (re)connects.
func (s *Sim) Snapshot(at time.Time) []telemetry.Batch {
	return s.collect(func(p *point) (int64, int64) {
		per := int64(p.f.PeriodS)
		last := floorDiv(at.Unix(), per) * per
		return last, last
	})
}

// collect gathers the samples of each point in the window span gives it
// (first and last Unix second, both included).
func (s *Sim) collect(span func(*point) (first, last int64)) []telemetry.Batch {
	type due struct {
		ts    int64
		order int
		s     telemetry.BatchSample
	}
	var out []telemetry.Batch
	for _, m := range s.mines {
		var all []due
		for i, p := range m.points {
			first, last := span(p)
			for ts := first; ts <= last; ts += int64(p.f.PeriodS) {
				t := time.Unix(ts, 0)
				if m.fx.offline(s.start, t) {
					continue
				}
				v, st := s.measure(p, t)
				all = append(all, due{ts, i, telemetry.BatchSample{Point: p.f.Code, Time: t.In(clock.Shanghai).Format(time.RFC3339), Value: &v, Status: st}})
			}
		}
		if len(all) == 0 {
			continue
		}
		slices.SortStableFunc(all, func(a, b due) int {
			if a.ts != b.ts {
				return int(a.ts - b.ts)
			}
			return a.order - b.order
		})
		b := telemetry.Batch{Mine: m.spec.Code, Samples: make([]telemetry.BatchSample, len(all))}
		for i, d := range all {
			b.Samples[i] = d.s
		}
		out = append(out, b)
	}
	return out
}

// measure answers the reading and status bits of p at t: the scripted
// overrides first (an over-range spike, a frozen sensor), else the model's
// level with the episodes and the measurement noise, kept in range and
// rounded to the sensor's precision.
func (s *Sim) measure(p *point, t time.Time) (float64, int) {
	if v, ok := p.fx.spiked(s.start, t, p.f.PeriodS); ok {
		return v, status(&p.f, v)
	}
	if t0, ok := p.fx.frozen(s.start, t); ok {
		// The frozen reading is the first one of the window, exactly.
		per := int64(p.f.PeriodS)
		t = time.Unix(floorDiv(t0.Unix()+per-1, per)*per, 0)
	}
	v := p.model.level(s, p, t)
	v = p.fx.apply(s, p, t, v)
	if n := p.sensor.Noise; n > 0 {
		v += n * s.gauss(p.key, t.Unix())
	}
	v = round(math.Min(math.Max(v, *p.f.RangeMin), *p.f.RangeMax), p.sensor.Precision)
	return v, status(&p.f, v)
}

// status answers the bits a monitoring system sets by the point's own
// settings: alarm, power cut, over range. Switches carry none.
func status(f *telemetry.PointFields, v float64) int {
	if f.ValueType == telemetry.ValueSwitch {
		return 0
	}
	st := 0
	if (f.AlarmHigh != nil && v >= *f.AlarmHigh) || (f.AlarmLow != nil && v < *f.AlarmLow) {
		st |= telemetry.StatusAlarm
	}
	if f.CutHigh != nil && v >= *f.CutHigh {
		st |= telemetry.StatusPowerCut
	}
	if (f.RangeMax != nil && v > *f.RangeMax) || (f.RangeMin != nil && v < *f.RangeMin) {
		st |= telemetry.StatusOverRange
	}
	return st
}

// Noise streams: each use of randomness draws from its own stream so that
// adding one never shifts another.
const (
	streamNoise uint64 = iota + 1
	streamNoise2
	streamDrift
	streamDoor
	streamRandom
	streamPhase
)

// u answers a uniform number in [0, 1) for (key, stream, n).
func (s *Sim) u(key, stream uint64, n int64) float64 {
	return unit(mix(s.seed ^ key ^ mix(stream<<40^uint64(n))))
}

// gauss answers a standard normal number for (key, n) (Box–Muller).
func (s *Sim) gauss(key uint64, n int64) float64 {
	u1, u2 := 1-s.u(key, streamNoise, n), s.u(key, streamNoise2, n)
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// smooth answers slow noise in [-1, 1]: random knots every knot apart,
// joined by cosine curves, so a drift wanders without jumps.
func (s *Sim) smooth(key uint64, t time.Time, knot time.Duration) float64 {
	x := float64(t.Unix()) / knot.Seconds()
	i := math.Floor(x)
	a, b := 2*s.u(key, streamDrift, int64(i))-1, 2*s.u(key, streamDrift, int64(i)+1)-1
	w := (1 - math.Cos((x-i)*math.Pi)) / 2
	return a + (b-a)*w
}

// Shift levels of production (Asia/Shanghai): the night shift (0–8 h) is
// the maintenance shift, the morning shift (8–16 h) cuts the most coal, the
// afternoon shift (16–24 h) a little less. Levels blend over the half hour
// around each change of shift.
var shiftLevels = [3]float64{0.35, 1, 0.85}

const shiftBlend = 0.25 // hours either side of a change of shift

// production answers how hard a mine works at t, 0 to 1.
func production(m *mine, t time.Time) float64 {
	if m.spec.Status != "producing" && m.spec.Status != "constructing" {
		return 0
	}
	return shiftLevel(t)
}

func shiftLevel(t time.Time) float64 {
	lt := t.In(clock.Shanghai)
	h := float64(lt.Hour()) + float64(lt.Minute())/60 + float64(lt.Second())/3600
	change := math.Round(h/8) * 8 // the nearest change of shift: 0, 8, 16 or 24 h
	cur := shiftLevels[int(h/8)%3]
	if d := h - change; math.Abs(d) < shiftBlend {
		before, after := shiftLevels[(int(change/8)+2)%3], shiftLevels[int(change/8)%3]
		return before + (after-before)*(d+shiftBlend)/(2*shiftBlend)
	}
	return cur
}

// model is how a point's signal behaves.
type model interface {
	// level answers the expected reading at t, before episodes and noise.
	level(s *Sim, p *point, t time.Time) float64
}

// gas is methane: a floor from the coal's desorption plus a share that
// follows production, drifting slowly. full is the level at full
// production (% CH4).
type gas struct{ full float64 }

func (g gas) level(s *Sim, p *point, t time.Time) float64 {
	return 0.02 + g.full*(0.25+0.75*production(p.mine, t)) + 0.12*g.full*s.smooth(p.key, t, 7*time.Minute)
}

// steady is a reading around base that rises by prod at full production
// and drifts by up to drift.
type steady struct{ base, prod, drift float64 }

func (m steady) level(s *Sim, p *point, t time.Time) float64 {
	return m.base + m.prod*production(p.mine, t) + m.drift*s.smooth(p.key, t, 11*time.Minute)
}

// creep accumulates perDay units a day from offset at the start, with a
// slow wander of up to wander units (temperature, GNSS multipath) that a
// real instrument shows too.
type creep struct{ offset, perDay, wander float64 }

func (m creep) level(s *Sim, p *point, t time.Time) float64 {
	return m.offset + m.perDay*t.Sub(s.start).Hours()/24 + m.wander*s.smooth(p.key, t, 23*time.Minute)
}

// sump fills from low to high in four hours, then the pumps empty it in
// half an hour. (Keep high−low well under 0.4 m: a rise of 0.1 m/h is a
// warning.)
type sump struct{ low, high float64 }

func (m sump) level(_ *Sim, p *point, t time.Time) float64 {
	const fill, cycle = 4 * 3600, 4*3600 + 1800
	x := float64((t.Unix() + int64(p.key%cycle)) % cycle)
	if x < fill {
		return m.low + (m.high-m.low)*x/fill
	}
	return m.high - (m.high-m.low)*(x-fill)/(cycle-fill)
}

// weighting is a support's leg pressure: the roof weights it in cycles of
// about 40 minutes while the face advances.
type weighting struct{ base, amp float64 }

func (m weighting) level(s *Sim, p *point, t time.Time) float64 {
	phase := 2 * math.Pi * s.u(p.key, streamPhase, 0)
	cyc := 0.5 + 0.5*math.Sin(2*math.Pi*float64(t.Unix())/2400+phase)
	return m.base + m.amp*production(p.mine, t)*cyc
}

// constant is a switch (or a dry rain gauge) that keeps its value.
type constant float64

func (c constant) level(*Sim, *point, time.Time) float64 { return float64(c) }

// running is machinery that works with production: on in the coal-cutting
// shifts, off in the maintenance shift and at idle mines.
type running struct{}

func (running) level(_ *Sim, p *point, t time.Time) float64 {
	if production(p.mine, t) >= 0.6 {
		return 1
	}
	return 0
}

// door is one door of an air lock: people pass a few times an hour and it
// stands open for 15–45 s. The two doors of a lock (n 0 and 1) open in
// different halves of each six-minute slot, never together.
type door struct{ n int }

func (d door) level(s *Sim, p *point, t time.Time) float64 {
	const slot = 360
	k := floorDiv(t.Unix(), slot)
	if s.u(p.key, streamDoor, 3*k) > 0.5 {
		return 0
	}
	open := k*slot + int64(d.n)*slot/2 + int64(s.u(p.key, streamDoor, 3*k+1)*120)
	shut := open + 15 + int64(s.u(p.key, streamDoor, 3*k+2)*30)
	if t.Unix() >= open && t.Unix() < shut {
		return 1
	}
	return 0
}

// relay is a power-cut relay (1 = 断电): it trips while any methane point
// linked to it reads at or above its own power-cut setting.
type relay struct{ gas []*point }

func relayOf(gas []*point) model { return relay{gas} }

func (r relay) level(s *Sim, _ *point, t time.Time) float64 {
	for _, g := range r.gas {
		if v, _ := s.measure(g, t); g.f.CutHigh != nil && v >= *g.f.CutHigh {
			return 1
		}
	}
	return 0
}

// feed is a feed sensor behind a relay (1 = 有电): it loses power when the
// relay trips.
type feed struct{ relay *point }

func (f feed) level(s *Sim, _ *point, t time.Time) float64 {
	v, _ := s.measure(f.relay, t)
	return 1 - v
}

// floorDiv is integer division rounding towards minus infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
