package simulate_test

import (
	"math"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"minesafe/internal/simulate"
	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/catalog"
)

type reading struct {
	t  time.Time
	v  float64
	st int
}

// hour is an hour of the whole demo from ref (10:00 in Shanghai, the
// morning shift), by mine and point code, with the plans and the script.
type hour struct {
	sim      *simulate.Sim
	specs    map[string]simulate.MineSpec
	plans    map[string]map[string]telemetry.PointFields
	series   map[string]map[string][]reading
	episodes map[string]simulate.Episode
}

func simulateHour(t *testing.T) *hour {
	t.Helper()
	h := &hour{sim: simulate.New(demoSpecs(), 7, ref), specs: map[string]simulate.MineSpec{}, plans: map[string]map[string]telemetry.PointFields{},
		series: map[string]map[string][]reading{}, episodes: map[string]simulate.Episode{}}
	for _, m := range demoSpecs() {
		h.specs[m.Code] = m
		h.plans[m.Code] = map[string]telemetry.PointFields{}
		for _, p := range simulate.PointsFor(m) {
			h.plans[m.Code][p.Code] = p
		}
	}
	for _, e := range h.sim.Episodes() {
		h.episodes[e.Kind] = e
	}
	for _, b := range h.sim.Batches(ref, ref.Add(time.Hour)) {
		if h.series[b.Mine] == nil {
			h.series[b.Mine] = map[string][]reading{}
		}
		for _, s := range b.Samples {
			ts, err := time.Parse(time.RFC3339, s.Time)
			if err != nil || !strings.HasSuffix(s.Time, "+08:00") {
				t.Fatalf("%s %s: time %q is not RFC 3339 in Asia/Shanghai", b.Mine, s.Point, s.Time)
			}
			h.series[b.Mine][s.Point] = append(h.series[b.Mine][s.Point], reading{ts, *s.Value, s.Status})
		}
	}
	return h
}

// between answers the readings of a point in [from, to) after ref.
func (h *hour) between(mine, point string, from, to time.Duration) []reading {
	var out []reading
	for _, r := range h.series[mine][point] {
		if d := r.t.Sub(ref); d >= from && d < to {
			out = append(out, r)
		}
	}
	return out
}

func peak(rs []reading) reading {
	var top reading
	for i, r := range rs {
		if i == 0 || r.v > top.v {
			top = r
		}
	}
	return top
}

func mean(rs []reading) float64 {
	var s float64
	for _, r := range rs {
		s += r.v
	}
	return s / float64(len(rs))
}

func TestSameSeedSameSeries(t *testing.T) {
	specs := demoSpecs()
	a, b := simulate.New(specs, 42, ref), simulate.New(specs, 42, ref)
	whole := a.Batches(ref, ref.Add(10*time.Minute))
	if !reflect.DeepEqual(whole, b.Batches(ref, ref.Add(10*time.Minute))) {
		t.Fatal("same seed and start, different series")
	}
	if reflect.DeepEqual(whole, simulate.New(specs, 43, ref).Batches(ref, ref.Add(10*time.Minute))) {
		t.Fatal("another seed gave the same series")
	}
	// A series does not depend on how it is cut into windows, nor on
	// asking for one value.
	got := map[string]float64{}
	for _, w := range [][2]time.Duration{{0, 3 * time.Minute}, {3 * time.Minute, 10 * time.Minute}} {
		for _, bt := range b.Batches(ref.Add(w[0]), ref.Add(w[1])) {
			for _, s := range bt.Samples {
				got[bt.Mine+"/"+s.Point+"/"+s.Time] = *s.Value
			}
		}
	}
	n := 0
	for _, bt := range whole {
		for _, s := range bt.Samples {
			n++
			if v, ok := got[bt.Mine+"/"+s.Point+"/"+s.Time]; !ok || v != *s.Value {
				t.Fatalf("%s %s at %s: %v whole, %v in windows", bt.Mine, s.Point, s.Time, *s.Value, v)
			}
			ts, _ := time.Parse(time.RFC3339, s.Time)
			if v, st, _ := b.Value(bt.Mine, s.Point, ts); v != *s.Value || st != s.Status {
				t.Fatalf("%s %s at %s: Value %v/%d, batch %v/%d", bt.Mine, s.Point, s.Time, v, st, *s.Value, s.Status)
			}
		}
	}
	if n != len(got) {
		t.Fatalf("%d samples whole, %d in windows", n, len(got))
	}
}

func TestAnHourOfTheDemo(t *testing.T) {
	h := simulateHour(t)
	ep := func(kind string) simulate.Episode {
		e, ok := h.episodes[kind]
		if !ok {
			t.Fatalf("no %s episode", kind)
		}
		return e
	}

	t.Run("every sample is one the platform accepts", func(t *testing.T) {
		over := ep(simulate.EpisodeOverRange)
		n := 0
		for mine, pts := range h.series {
			for code, rs := range pts {
				p := h.plans[mine][code]
				st, _ := catalog.Sensor(p.SensorType)
				scale := math.Pow10(st.Precision)
				for _, r := range rs {
					n++
					switch {
					case math.IsNaN(r.v) || math.IsInf(r.v, 0):
						t.Fatalf("%s %s: %v", mine, code, r.v)
					case p.ValueType == telemetry.ValueSwitch && r.v != 0 && r.v != 1:
						t.Fatalf("%s %s: switch reads %v", mine, code, r.v)
					case math.Abs(r.v*scale-math.Round(r.v*scale)) > 1e-6:
						t.Fatalf("%s %s: %v is not at the sensor's precision (%d)", mine, code, r.v, st.Precision)
					case r.t.Unix()%int64(p.PeriodS) != 0:
						t.Fatalf("%s %s: %s is off the point's %d s grid", mine, code, r.t, p.PeriodS)
					case (r.v < *p.RangeMin || r.v > *p.RangeMax) && !(mine == over.Mine && code == over.Point):
						t.Fatalf("%s %s: %v outside %v–%v", mine, code, r.v, *p.RangeMin, *p.RangeMax)
					}
				}
			}
		}
		if n < 300000 {
			t.Fatalf("only %d samples in the hour", n)
		}
	})

	t.Run("methane stays mostly below 1 %", func(t *testing.T) {
		var all, high int
		var sum float64
		for mine, pts := range h.series {
			for code, rs := range pts {
				if h.plans[mine][code].SensorType != "methane" {
					continue
				}
				for _, r := range rs {
					all++
					sum += r.v
					if r.v >= 1 {
						high++
					}
				}
			}
		}
		if frac := float64(high) / float64(all); frac > 0.01 || high == 0 {
			t.Fatalf("%d of %d methane readings ≥ 1 %% (%.3f %%)", high, all, 100*frac)
		}
		if m := sum / float64(all); m < 0.1 || m > 0.6 {
			t.Fatalf("mean methane %.2f %%", m)
		}
	})

	t.Run("the methane excursions come at their times", func(t *testing.T) {
		for _, c := range []struct {
			kind     string
			min, max float64
			status   int
		}{
			{simulate.EpisodeMethaneAlarm, 1.0, 1.5, telemetry.StatusAlarm},
			{simulate.EpisodeMethanePowerCut, 1.5, 4, telemetry.StatusAlarm | telemetry.StatusPowerCut},
			{simulate.EpisodeLooseSetting, 1.0, 1.5, 0}, // its own alarm setting is 1.5: the mine's system stays silent
		} {
			e := ep(c.kind)
			before := h.between(e.Mine, e.Point, 0, e.Offset)
			top := peak(h.between(e.Mine, e.Point, e.Offset, e.Offset+e.Duration+time.Minute))
			if peak(before).v >= 1 || top.v < c.min || top.v >= c.max || top.st != c.status {
				t.Errorf("%s at %s %s: before ≤ %v, peak %v status %d at +%s; want peak in [%v, %v) status %d",
					c.kind, e.Mine, e.Point, peak(before).v, top.v, top.st, top.t.Sub(ref), c.min, c.max, c.status)
			}
			if after := h.between(e.Mine, e.Point, e.Offset+25*time.Minute, e.Offset+30*time.Minute); peak(after).v >= 1 {
				t.Errorf("%s: still %v 25 minutes on", c.kind, peak(after).v)
			}
		}
		// The power cut trips the face's relay and its feed sensor loses power.
		e := ep(simulate.EpisodeMethanePowerCut)
		top := peak(h.between(e.Mine, e.Point, e.Offset, e.Offset+e.Duration+time.Minute))
		relay, _ := strings.CutPrefix(h.plans[e.Mine][e.Point].Relation, "D-")
		var feed string
		for code, p := range h.plans[e.Mine] {
			if p.SensorType == "feed_state" && p.Relation == "D-"+relay {
				feed = code
			}
		}
		rv, _, _ := h.sim.Value(e.Mine, relay, top.t)
		fv, _, _ := h.sim.Value(e.Mine, feed, top.t)
		before, _, _ := h.sim.Value(e.Mine, relay, ref)
		if rv != 1 || fv != 0 || before != 0 {
			t.Errorf("at the power cut relay %s reads %v (before %v), feed %s reads %v", relay, rv, before, feed, fv)
		}
	})

	t.Run("one CO excursion past 24 ppm", func(t *testing.T) {
		e := ep(simulate.EpisodeCOAlarm)
		for mine, pts := range h.series {
			for code, rs := range pts {
				if h.plans[mine][code].SensorType != "co" {
					continue
				}
				top := peak(rs)
				switch scripted := mine == e.Mine && code == e.Point; {
				case scripted && (top.v < 24 || top.t.Sub(ref) < e.Offset):
					t.Errorf("scripted CO peaks at %v at +%s", top.v, top.t.Sub(ref))
				case !scripted && top.v >= 24:
					t.Errorf("%s %s: CO %v", mine, code, top.v)
				case !scripted && top.v > 12:
					t.Errorf("%s %s: CO up to %v ppm, want the usual 0–8 and a little noise", mine, code, top.v)
				}
			}
		}
	})

	t.Run("oxygen and air velocity stay in their bands", func(t *testing.T) {
		for mine, pts := range h.series {
			for code, rs := range pts {
				p := h.plans[mine][code]
				for _, r := range rs {
					if p.SensorType == "o2" && (r.v < 20.3 || r.v > 21.1) {
						t.Fatalf("%s %s: O2 %v", mine, code, r.v)
					}
					if p.SensorType == "wind_speed" && ((p.AlarmLow != nil && r.v < *p.AlarmLow) || (p.AlarmHigh != nil && r.v >= *p.AlarmHigh)) {
						t.Fatalf("%s %s: %v m/s outside the %s band", mine, code, r.v, p.LocationClass)
					}
				}
			}
		}
	})

	t.Run("exactly one over-range reading", func(t *testing.T) {
		e := ep(simulate.EpisodeOverRange)
		var found []string
		for mine, pts := range h.series {
			for code, rs := range pts {
				p := h.plans[mine][code]
				for _, r := range rs {
					if r.v > *p.RangeMax {
						found = append(found, mine+" "+code)
						if r.v != 4.5 || r.st&telemetry.StatusOverRange == 0 || r.t.Sub(ref) < e.Offset || r.t.Sub(ref) >= e.Offset+e.Duration {
							t.Errorf("%s %s: %v status %d at +%s", mine, code, r.v, r.st, r.t.Sub(ref))
						}
					}
				}
			}
		}
		if len(found) != 1 || found[0] != e.Mine+" "+e.Point {
			t.Fatalf("over-range readings: %v", found)
		}
	})

	t.Run("the flat sensor repeats one reading, then varies again", func(t *testing.T) {
		e := ep(simulate.EpisodeFlatSensor)
		flat := h.between(e.Mine, e.Point, e.Offset, e.Offset+e.Duration)
		if len(flat) < int(e.Duration/(10*time.Second))-1 {
			t.Fatalf("%d readings in the flat window", len(flat))
		}
		for _, r := range flat {
			if r.v != flat[0].v {
				t.Fatalf("flat sensor reads %v then %v at +%s", flat[0].v, r.v, r.t.Sub(ref))
			}
		}
		distinct := map[float64]bool{}
		for _, r := range h.between(e.Mine, e.Point, e.Offset+e.Duration, time.Hour) {
			distinct[r.v] = true
		}
		if len(distinct) < 3 {
			t.Fatalf("after the flat window only %v", distinct)
		}
	})

	t.Run("the offline mine is silent in its window", func(t *testing.T) {
		e := ep(simulate.EpisodeOffline)
		var in, before, after int
		for _, rs := range h.series[e.Mine] {
			for _, r := range rs {
				switch d := r.t.Sub(ref); {
				case d < e.Offset:
					before++
				case d < e.Offset+e.Duration:
					in++
				default:
					after++
				}
			}
		}
		if in != 0 || before == 0 || after == 0 {
			t.Fatalf("offline mine sent %d before, %d in, %d after its window", before, in, after)
		}
	})

	t.Run("the storm raises the phreatic line", func(t *testing.T) {
		rain := ep(simulate.EpisodeRain)
		for mine, pts := range h.series {
			for code, rs := range pts {
				if h.plans[mine][code].SensorType != "rainfall" {
					continue
				}
				var sum float64
				for _, r := range rs {
					sum += r.v
				}
				want := 0.0
				if h.specs[mine].Region() == rain.Region {
					want = 2 * rain.Peak * 20 / math.Pi // mm in the 20-minute storm
				}
				if math.Abs(sum-want) > 1 {
					t.Errorf("%s %s: %.1f mm of rain in the hour, want %.1f", mine, code, sum, want)
				}
			}
		}
		e := ep(simulate.EpisodePhreaticRise)
		design := h.specs[e.Mine].Pond.MinPhreaticDepthM
		start := h.between(e.Mine, e.Point, 0, e.Offset)
		low := h.between(e.Mine, e.Point, 0, time.Hour)
		sort.Slice(low, func(i, j int) bool { return low[i].v < low[j].v })
		if mean(start) < design+1 || low[0].v >= design || low[0].t.Sub(ref) < e.Offset+e.Duration-5*time.Minute || low[0].t.Sub(ref) > e.Offset+e.Duration+10*time.Minute {
			t.Fatalf("phreatic depth %.2f m before the storm, lowest %.2f m at +%s; design minimum %.1f m", mean(start), low[0].v, low[0].t.Sub(ref), design)
		}
		t.Logf("phreatic depth %.2f m before the storm, lowest %.2f m at +%s; design minimum %.1f m", mean(start), low[0].v, low[0].t.Sub(ref), design)
		// The other piezometers of the storm's ponds rise less: no red, no orange.
		for mine, pts := range h.series {
			spec := h.specs[mine]
			for code, rs := range pts {
				if h.plans[mine][code].SensorType != "phreatic_depth" || (mine == e.Mine && code == e.Point) {
					continue
				}
				if lo := -peak(negate(rs)).v; lo < 1.1*spec.Pond.MinPhreaticDepthM {
					t.Errorf("%s %s: phreatic depth down to %.2f m (design %.1f)", mine, code, lo, spec.Pond.MinPhreaticDepthM)
				}
			}
		}
	})

	t.Run("the slope accelerates", func(t *testing.T) {
		e := ep(simulate.EpisodeSlopeAcceleration)
		radar := ""
		for code, p := range h.plans[e.Mine] {
			if p.SensorType == "radar_displacement" {
				radar = code
			}
		}
		// Velocity over ten-minute steps from five-minute means: it rises
		// and its inverse falls, faster than linearly would not be
		// "inverse-velocity-like".
		at := func(d time.Duration) float64 {
			return mean(h.between(e.Mine, radar, e.Offset+d, e.Offset+d+2*time.Minute))
		}
		var inv []float64
		for _, d := range []time.Duration{0, 10 * time.Minute, 20 * time.Minute, 30 * time.Minute} {
			v := (at(d+10*time.Minute) - at(d)) / 10 // mm/min
			inv = append(inv, 1/v)
		}
		for i := 1; i < len(inv); i++ {
			if !(inv[i] < inv[i-1]) || inv[i] <= 0 {
				t.Fatalf("inverse velocity (min/mm) over the episode: %.2f", inv)
			}
		}
		t.Logf("inverse velocity over the episode, min/mm: %.2f", inv)
		if inv[0]/inv[3] < 3 {
			t.Fatalf("velocity only ×%.1f: %.2f", inv[0]/inv[3], inv)
		}
		axis := h.between(e.Mine, e.Point, 0, time.Hour)
		if move := mean(axis[len(axis)-5:]) - mean(axis[:5]); move > -30 {
			t.Fatalf("station 1 moved %.1f mm east in the hour, want about −50", move)
		}
		for code, p := range h.plans[e.Mine] {
			if p.SensorType == "slope_displacement" && !strings.HasPrefix(code, "WY-01-") {
				rs := h.series[e.Mine][code]
				if move := math.Abs(mean(rs[len(rs)-10:]) - mean(rs[:10])); move > 5 {
					t.Errorf("%s moved %.1f mm in the hour", code, move)
				}
			}
		}
	})
}

func negate(rs []reading) []reading {
	out := make([]reading, len(rs))
	for i, r := range rs {
		out[i] = reading{r.t, -r.v, r.st}
	}
	return out
}

// Production follows the three shifts: the morning shift cuts coal, the
// night shift maintains, and methane at the face follows.
func TestMethaneFollowsTheShifts(t *testing.T) {
	sim := simulate.New(demoSpecs(), 7, ref)
	const mine = "150703100002" // a producing low-gas mine the script leaves alone
	var face string
	for _, p := range simulate.PointsFor(simulate.MineSpec{Code: mine, Kind: "coal_underground", Status: "producing", GasClass: "low"}) {
		if p.SensorType == "methane" && p.LocationClass == "coal_face" {
			face = p.Code
		}
	}
	median := func(fromHour int) float64 {
		day := time.Date(2026, 6, 2, fromHour, 0, 0, 0, time.FixedZone("CST", 8*3600))
		var vs []float64
		for d := time.Duration(0); d < 5*time.Hour; d += 7 * time.Minute {
			v, _, ok := sim.Value(mine, face, day.Add(d))
			if !ok {
				t.Fatalf("no point %s", face)
			}
			vs = append(vs, v)
		}
		sort.Float64s(vs)
		return vs[len(vs)/2]
	}
	morning, night := median(9), median(1)
	if morning < 1.5*night || morning > 0.6 || night < 0.05 {
		t.Fatalf("coal-face methane: morning shift %.2f %%, night shift %.2f %%", morning, night)
	}
}
