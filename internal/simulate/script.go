package simulate

import (
	"math"
	"slices"
	"time"
)

// Episode kinds.
const (
	EpisodeMethaneAlarm      = "methane_alarm"      // methane rises past the alarm value, not the power-cut one
	EpisodeMethanePowerCut   = "methane_power_cut"  // methane rises past the power-cut value; the relay trips
	EpisodeLooseSetting      = "loose_setting"      // methane past the regulation's alarm but under the point's looser own setting
	EpisodeOverRange         = "over_range"         // one methane reading beyond the sensor's range
	EpisodeCOAlarm           = "co_alarm"           // CO rises past 24 ppm
	EpisodeFlatSensor        = "flat_sensor"        // a sensor repeats the same reading
	EpisodeOffline           = "offline"            // a mine sends nothing
	EpisodeRain              = "rain"               // a storm over a division: rain gauges, ponds and slopes react
	EpisodePhreaticRise      = "phreatic_rise"      // after the storm a pond's phreatic line rises above its design minimum depth
	EpisodeSlopeAcceleration = "slope_acceleration" // a slope station accelerates (inverse velocity falls linearly), then settles
)

// Episode is one scripted event of the demo. It first happens Offset after
// the simulator's start and again every Every (never when Every is 0).
type Episode struct {
	Kind     string        `json:"kind"`
	Mine     string        `json:"mine,omitempty"`   // mine code
	Point    string        `json:"point,omitempty"`  // point code, when one point carries it
	Region   string        `json:"region,omitempty"` // division code, for rain
	Offset   time.Duration `json:"offset"`
	Duration time.Duration `json:"duration"` // until the peak is reached and left (excursions), or how long it lasts
	Every    time.Duration `json:"every"`
	// Peak is the reading the episode reaches: % CH4, ppm CO, the phreatic
	// depth in m, rain in mm/min at the storm's height, or the slope
	// station's movement in mm by the end of its acceleration.
	Peak float64 `json:"peak"`
	Note string  `json:"note"`
}

// At answers when occurrence k (from 0) starts.
func (e Episode) At(start time.Time, k int) time.Time {
	return start.Add(e.Offset + time.Duration(k)*e.Every)
}

// since answers the time from the start of the latest occurrence that began
// at or before t and its index; ok is false before the first.
func (e Episode) since(start, t time.Time) (d time.Duration, k int64, ok bool) {
	d = t.Sub(start) - e.Offset
	if d < 0 {
		return 0, 0, false
	}
	if e.Every > 0 {
		k = int64(d / e.Every)
		d -= time.Duration(k) * e.Every
	}
	return d, k, true
}

// sinceEach calls fn with the time since the start of the latest occurrence
// and of the one before it (whose tail may still show).
func (e Episode) sinceEach(start, t time.Time, fn func(d time.Duration)) {
	d, k, ok := e.since(start, t)
	if !ok {
		return
	}
	fn(d)
	if k > 0 {
		fn(d + e.Every)
	}
}

// within tells whether t falls inside an occurrence's Duration.
func (e Episode) within(start, t time.Time) (time.Time, bool) {
	d, _, ok := e.since(start, t)
	if !ok || d >= e.Duration {
		return time.Time{}, false
	}
	return t.Add(-d), true
}

// Demo mines that carry the scripted episodes. A test checks that the demo
// data set still has them, of the kind and status the script needs.
const (
	mineOrange    = "150703100001" // 灵东煤矿
	mineFlat      = "150725100001" // 赫尔洪得煤矿
	mineRed       = "150782100002" // 大雁二矿 (high-gas)
	mineOverRange = "150724100001" // 敏东一矿
	mineCO        = "150782100006" // 五九煤矿 (high-gas)
	mineOffline   = "150781100001" // 满洲里市新开河煤矿
	mineSlope     = "150727400001" // 乌努格吐山铜钼矿 (open pit)
	minePond      = "150727500001" // 乌努格吐山铜钼矿一期尾矿库
	stormRegion   = "150727"       // 新巴尔虎右旗: the pit and its ponds
)

// Shapes of the excursions: rise, time at the peak, decay time constant.
type shape struct{ rise, hold, tau time.Duration }

// fraction answers how far an excursion d into it has gone to its peak:
// a smooth rise, a hold, an exponential decay.
func (sh shape) fraction(d time.Duration) float64 {
	switch {
	case d < 0:
		return 0
	case d < sh.rise:
		x := d.Seconds() / sh.rise.Seconds()
		return x * x * (3 - 2*x)
	case d < sh.rise+sh.hold:
		return 1
	case d < sh.rise+sh.hold+8*sh.tau:
		return math.Exp(-(d - sh.rise - sh.hold).Seconds() / sh.tau.Seconds())
	}
	return 0
}

// Storm and slope dynamics.
const (
	stormOffset  = 5 * time.Minute
	stormEvery   = 3 * time.Hour
	stormLength  = 20 * time.Minute
	groundLag    = 5 * time.Minute  // the phreatic line starts to rise this long after the rain
	groundTau    = 40 * time.Minute // and follows the rain with this time constant
	slopeToFail  = 45 * time.Minute // the inverse-velocity line meets zero this long after the onset
	slopeAccel   = 42 * time.Minute // the acceleration stops (unloading works) this long after it
	slopeSettle  = 5 * time.Minute  // then the velocity decays with this time constant
	slopeK       = 20.0             // mm: displacement = K·ln(T/(T−t)) during the acceleration
	offlineFor   = 15 * time.Minute
	pondRiseM    = 0.12 // m the pond level rises (and the freeboard falls) at the storm's height: a yellow rate, not orange
	beachLossM   = 8    // m of dry beach the storm floods
	seepageRise  = 0.4  // share the seepage rises
	phreaticDrop = 0.8  // m the other phreatic points of the storm's ponds rise
)

// slopeMove answers the station's movement d into one acceleration, mm.
// During it velocity is K/(T−t): inverse velocity falls linearly towards
// the failure time T, as Fukuzono observed; then it decays.
func slopeMove(d time.Duration) float64 {
	T := slopeToFail.Minutes()
	switch m := d.Minutes(); {
	case m <= 0:
		return 0
	case d <= slopeAccel:
		return slopeK * math.Log(T/(T-m))
	default:
		a := slopeAccel.Minutes()
		v := slopeK / (T - a) // mm/min at the end of the acceleration
		return slopeK*math.Log(T/(T-a)) + v*slopeSettle.Minutes()*(1-math.Exp(-(m-a)/slopeSettle.Minutes()))
	}
}

// slopeTotal is one whole episode's movement.
var slopeTotal = slopeMove(24 * time.Hour)

// rainSoFar answers the rain fallen d into a storm, mm: intensity
// peak·sin(π d/L) mm/min.
func rainSoFar(peak float64, d time.Duration) float64 {
	L := stormLength.Minutes()
	m := math.Min(math.Max(d.Minutes(), 0), L)
	return peak * L / math.Pi * (1 - math.Cos(math.Pi*m/L))
}

// groundResponse answers how far the ground water has followed a storm d
// into it, 0 to 1 (1 when the rain stops): a first-order lag.
func groundResponse(d time.Duration) float64 {
	m := (d - groundLag).Minutes()
	L, T := stormLength.Minutes(), groundTau.Minutes()
	switch {
	case m <= 0:
		return 0
	case m <= L:
		return (1 - math.Exp(-m/T)) / (1 - math.Exp(-L/T))
	}
	return math.Exp(-(m - L) / T)
}

// effects are the episodes that touch one point.
type effects struct {
	bumps  []bump
	adds   []addend
	spike  *Episode // one reading at Peak, at the first report of each occurrence
	flat   *Episode // readings freeze at the first one of each occurrence
	random bool     // may carry random methane excursions
}

type bump struct {
	ep *Episode
	sh shape
}

// addend is a movement added to a point's level.
type addend interface {
	add(s *Sim, p *point, t time.Time) float64
}

func (fx *effects) spiked(start, t time.Time, period int) (float64, bool) {
	if fx.spike == nil {
		return 0, false
	}
	d, _, ok := fx.spike.since(start, t)
	return fx.spike.Peak, ok && d < time.Duration(period)*time.Second
}

func (fx *effects) frozen(start, t time.Time) (time.Time, bool) {
	if fx.flat == nil {
		return time.Time{}, false
	}
	return fx.flat.within(start, t)
}

// apply lays the excursions and movements over a level v.
func (fx *effects) apply(s *Sim, p *point, t time.Time, v float64) float64 {
	for _, b := range fx.bumps {
		b.ep.sinceEach(s.start, t, func(d time.Duration) { v += (b.ep.Peak - v) * b.sh.fraction(d) })
	}
	if fx.random {
		v = s.randomExcursions(p, t, v)
	}
	for _, a := range fx.adds {
		v += a.add(s, p, t)
	}
	return v
}

// mineEffects are the episodes of a whole mine.
type mineEffects struct {
	offlines []*Episode
}

func (fx *mineEffects) offline(start, t time.Time) bool {
	for _, e := range fx.offlines {
		if _, ok := e.within(start, t); ok {
			return true
		}
	}
	return false
}

// slopeAdd moves a station's points by their weight of the accelerations so
// far (each occurrence adds a whole episode's movement for good).
type slopeAdd struct{ ep *Episode }

func (a slopeAdd) add(s *Sim, p *point, t time.Time) float64 {
	d, k, ok := a.ep.since(s.start, t)
	if !ok {
		return 0
	}
	return p.weight * (float64(k)*slopeTotal + slopeMove(d))
}

// rainGauge reports the rain of its last period.
type rainGauge struct{ ep *Episode }

func (a rainGauge) add(s *Sim, p *point, t time.Time) float64 {
	per := time.Duration(p.f.PeriodS) * time.Second
	var mm float64
	a.ep.sinceEach(s.start, t, func(d time.Duration) { mm += rainSoFar(a.ep.Peak, d) - rainSoFar(a.ep.Peak, d-per) })
	return mm
}

// groundAdd follows the ground water after a storm by amount units at its
// height (negative for depths and freeboard that shrink).
type groundAdd struct {
	ep     *Episode
	amount float64
}

func (a groundAdd) add(s *Sim, _ *point, t time.Time) float64 {
	var r float64
	a.ep.sinceEach(s.start, t, func(d time.Duration) { r += groundResponse(d) })
	return a.amount * r
}

// scripted is one line of the demo script: the episode, the point that
// carries it (nil for a whole mine or a division) and how it is laid.
type scripted struct {
	ep    Episode
	pick  func(p *point) bool
	shape shape
}

func sensorAt(sensor, class string, station int) func(p *point) bool {
	return func(p *point) bool {
		return p.f.SensorType == sensor && (class == "" || p.f.LocationClass == class) && (station == 0 || p.station == station)
	}
}

// demoScript is the demo's hour: alarms of every grade within its first
// ten minutes, so that whoever opens the map sees them soon, and the
// slower stories (a storm, a slope) over the rest of it.
var demoScript = []scripted{
	{ep: Episode{Kind: EpisodeMethaneAlarm, Mine: mineOrange, Offset: 1 * time.Minute, Every: time.Hour, Peak: 1.25,
		Note: "coal-face methane ≥ 1.0 % (alarm) but < 1.5 % (power cut): an orange alarm"},
		pick: sensorAt("methane", "coal_face", 1), shape: shape{90 * time.Second, 60 * time.Second, 2 * time.Minute}},
	{ep: Episode{Kind: EpisodeFlatSensor, Mine: mineFlat, Offset: 3 * time.Minute, Duration: 45 * time.Minute, Every: time.Hour,
		Note: "the main-return methane sensor repeats one reading for 45 minutes: stuck or fabricated data"},
		pick: sensorAt("methane", "main_return", 0)},
	{ep: Episode{Kind: EpisodeMethanePowerCut, Mine: mineRed, Offset: 4 * time.Minute, Every: time.Hour, Peak: 1.72,
		Note: "upper-corner methane ≥ 1.5 %: power cut (red); the face's relay trips and its feed sensor loses power"},
		pick: sensorAt("methane", "upper_corner", 1), shape: shape{2 * time.Minute, 90 * time.Second, 3 * time.Minute}},
	{ep: Episode{Kind: EpisodeRain, Region: stormRegion, Offset: stormOffset, Duration: stormLength, Every: stormEvery, Peak: 4,
		Note: "a storm of about 50 mm in 20 minutes (暴雨 grade) over the division's rain gauges; pond levels and seepage rise, beaches and freeboards shrink"}},
	{ep: Episode{Kind: EpisodePhreaticRise, Mine: minePond, Offset: stormOffset, Duration: groundLag + stormLength, Every: stormEvery,
		Note: "after the storm the toe piezometer of section 1 reads a burial depth below the pond's design minimum (red); it recovers within the hour"},
		pick: func(p *point) bool { return p.f.SensorType == "phreatic_depth" && p.station == 1 && p.nth == 2 }},
	{ep: Episode{Kind: EpisodeLooseSetting, Mine: LooseSettingMine, Offset: 6 * time.Minute, Every: time.Hour, Peak: 1.32,
		Note: "upper-corner methane ≥ 1.0 % (the regulation's alarm) under the point's own alarm setting of 1.5 %: the mine's system stays silent"},
		pick: sensorAt("methane", "upper_corner", 1), shape: shape{2 * time.Minute, 2 * time.Minute, 150 * time.Second}},
	{ep: Episode{Kind: EpisodeOverRange, Mine: mineOverRange, Offset: 8 * time.Minute, Every: time.Hour, Peak: 4.5,
		Note: "one heading-face methane reading of 4.5 % on a 0–4 % sensor: accepted, flagged over range (status 8)"},
		pick: sensorAt("methane", "heading_face", 1)},
	{ep: Episode{Kind: EpisodeCOAlarm, Mine: mineCO, Offset: 10 * time.Minute, Every: 6 * time.Hour, Peak: 31,
		Note: "CO in a face return rises past 24 ppm (spontaneous combustion?) and falls back"},
		pick: sensorAt("co", "return", 1), shape: shape{4 * time.Minute, 3 * time.Minute, 6 * time.Minute}},
	{ep: Episode{Kind: EpisodeSlopeAcceleration, Mine: mineSlope, Offset: 15 * time.Minute, Duration: slopeAccel, Every: 6 * time.Hour,
		Peak: math.Round(slopeMove(slopeAccel)*10) / 10,
		Note: "GNSS station 1 on the east wall (and the radar area, crack meter and inclinometer there) accelerates after the storm: velocity from ~27 mm/h to ~400 mm/h, inverse velocity falling linearly; then it settles"},
		pick: func(p *point) bool { return p.station == 1 && p.weight != 0 }},
	{ep: Episode{Kind: EpisodeOffline, Mine: mineOffline, Offset: 20 * time.Minute, Duration: offlineFor, Every: time.Hour,
		Note: "the mine's gateway sends nothing for 15 minutes"}},
}

// layScript attaches the demo script and the random excursions to the
// points they touch.
func (s *Sim) layScript() {
	carriers := map[*point]bool{} // points with a scripted episode of their own
	for _, line := range demoScript {
		ep := line.ep
		switch ep.Kind {
		case EpisodeRain:
			if s.layStorm(&ep) {
				s.episodes = append(s.episodes, ep)
			}
			continue
		case EpisodeOffline:
			if m := s.byCode[ep.Mine]; m != nil {
				e := ep
				m.fx.offlines = append(m.fx.offlines, &e)
				s.episodes = append(s.episodes, ep)
			}
			continue
		}
		m := s.byCode[ep.Mine]
		if m == nil {
			continue
		}
		var picked []*point
		for _, p := range m.points {
			if line.pick(p) {
				picked = append(picked, p)
			}
		}
		if len(picked) == 0 {
			continue
		}
		e := &ep
		switch ep.Kind {
		case EpisodeSlopeAcceleration:
			for _, p := range picked {
				p.fx.adds = append(p.fx.adds, slopeAdd{e})
			}
			e.Point = picked[0].f.Code
		case EpisodePhreaticRise:
			// The storm raises every phreatic line of its division by
			// phreaticDrop; this one rises further, to 0.3 m past its
			// design minimum whatever its drift. The episode keeps the
			// storm's timing.
			p := picked[0]
			e.Peak = *p.f.AlarmLow - 0.3
			p.fx.adds = append(p.fx.adds, groundAdd{e, e.Peak - p.model.(steady).base + phreaticDrop})
			e.Point = p.f.Code
		default:
			p := picked[0]
			e.Point = p.f.Code
			carriers[p] = true
			switch ep.Kind {
			case EpisodeOverRange:
				p.fx.spike = e
				e.Duration = time.Duration(p.f.PeriodS) * time.Second
			case EpisodeFlatSensor:
				p.fx.flat = e
			default:
				p.fx.bumps = append(p.fx.bumps, bump{e, line.shape})
				e.Duration = line.shape.rise + line.shape.hold
			}
		}
		s.episodes = append(s.episodes, *e)
	}
	s.pickRandomTargets(carriers)
}

// layStorm makes the storm fall on every rain gauge of its division and
// the ground water of its ponds follow; it answers whether any point is
// in the division.
func (s *Sim) layStorm(storm *Episode) bool {
	touched := false
	for _, m := range s.mines {
		if m.spec.Region() != storm.Region {
			continue
		}
		for _, p := range m.points {
			var a addend
			switch p.f.SensorType {
			case "rainfall":
				a = rainGauge{storm}
			case "phreatic_depth":
				a = groundAdd{storm, -phreaticDrop}
			case "pond_level":
				a = groundAdd{storm, pondRiseM}
			case "freeboard":
				a = groundAdd{storm, -pondRiseM}
			case "dry_beach_length":
				a = groundAdd{storm, -beachLossM}
			case "seepage":
				a = groundAdd{storm, seepageRise * p.model.(steady).base}
			default:
				continue
			}
			p.fx.adds = append(p.fx.adds, a)
			touched = true
		}
	}
	return touched
}

// The random excursions: a few an hour across the city, at the working
// places of producing and constructing coal mines, most under the alarm
// value, some past it, a few past the power cut.
const randomPerHour = 3

var randomClasses = []string{"upper_corner", "coal_face", "face_return", "face_return_middle", "shearer", "heading_face", "heading_return"}

func (s *Sim) pickRandomTargets(carriers map[*point]bool) {
	for _, m := range s.mines {
		if m.spec.Status != "producing" && m.spec.Status != "constructing" {
			continue
		}
		for _, p := range m.points {
			if p.f.SensorType == "methane" && !carriers[p] && slices.Contains(randomClasses, p.f.LocationClass) {
				p.fx.random = true
				s.eligible = append(s.eligible, p)
			}
		}
	}
}

// randomExcursion is one random excursion of an hour.
type randomExcursion struct {
	target *point
	at     time.Duration // into the hour
	peak   float64
	sh     shape
}

// hourExcursions answers the random excursions of hour h after the start.
func (s *Sim) hourExcursions(h int64) [randomPerHour]randomExcursion {
	var out [randomPerHour]randomExcursion
	for i := range out {
		r := func(j int64) float64 { return s.u(0, streamRandom, (h*randomPerHour+int64(i))*8+j) }
		peak := 0.75 + 0.35*r(2)
		switch x := r(3); {
		case x > 0.9:
			peak = 1.5 + 0.2*r(4)
		case x > 0.6:
			peak = 1.1 + 0.35*r(4)
		}
		out[i] = randomExcursion{
			target: s.eligible[int(r(0)*float64(len(s.eligible)))],
			at:     time.Duration(r(1) * float64(55*time.Minute)),
			peak:   peak,
			sh: shape{time.Duration(60+90*r(5)) * time.Second, time.Duration(30+90*r(6)) * time.Second,
				time.Duration(90+150*r(7)) * time.Second},
		}
	}
	return out
}

func (s *Sim) randomExcursions(p *point, t time.Time, v float64) float64 {
	since := t.Sub(s.start)
	if since < 0 {
		return v
	}
	h := int64(since / time.Hour)
	for hh := max(h-1, 0); hh <= h; hh++ {
		for _, x := range s.hourExcursions(hh) {
			if x.target == p {
				v += (x.peak - v) * x.sh.fraction(since-time.Duration(hh)*time.Hour-x.at)
			}
		}
	}
	return v
}
