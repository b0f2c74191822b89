// Package rules judges monitoring data against the regulations: the
// warning rule set (thresholds with hysteresis and duration, rates of change,
// data interruption, offline mines, sensor faults, flat lines, the tailings
// roll-up of GB 39496 §5.5.4 and the escalation timers) is versioned data
// that a regulator edits; the Engine keeps exactly one evaluation state per
// point and emits the changes of alarm conditions for package alarm to
// record.
package rules

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Level is a warning level; the zero value is "none".
type Level int

// Levels from low to high (蓝/黄/橙/红).
const (
	None Level = iota
	Blue
	Yellow
	Orange
	Red
)

var levelNames = []string{"none", "blue", "yellow", "orange", "red"}

func (l Level) String() string {
	if l < None || l > Red {
		return fmt.Sprintf("level(%d)", int(l))
	}
	return levelNames[l]
}

// ParseLevel reads a level name.
func ParseLevel(s string) (Level, error) {
	i := slices.Index(levelNames, s)
	if i < 0 {
		return None, fmt.Errorf("unknown level %q (blue, yellow, orange or red)", s)
	}
	return Level(i), nil
}

// MarshalJSON writes the level's name.
func (l Level) MarshalJSON() ([]byte, error) { return json.Marshal(l.String()) }

// UnmarshalJSON reads a level's name.
func (l *Level) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseLevel(s)
	*l = v
	return err
}

// Step is one level of a rule and the value at which it starts. For a rule
// relative to a pond's design value, Value is a factor of that value.
type Step struct {
	Level Level   `json:"level"`
	Value float64 `json:"value"`
}

// Threshold grades a reading. Op ">=" grades high readings (methane, CO),
// "<" low ones (O2, phreatic-line burial depth, freeboard). Once active it
// stays active until the reading passes Reset (below it for ">=", at or
// above it for "<"), which is the hysteresis; Reset defaults to the lowest
// step. HoldS asks the condition to hold that many seconds before it opens.
type Threshold struct {
	ID         string   `json:"id"`
	Sensors    []string `json:"sensors"`
	Locations  []string `json:"locations,omitempty"` // empty: any location class
	Op         string   `json:"op"`
	Steps      []Step   `json:"steps"`
	Reset      *float64 `json:"reset,omitempty"`
	HoldS      int      `json:"hold_s,omitempty"`
	Relative   string   `json:"relative,omitempty"` // a pond design field: design_phreatic_depth_m, design_freeboard_m, design_min_dry_beach_m
	Basis      string   `json:"basis"`
	Confidence string   `json:"confidence"`
}

// Rate grades the change of a reading over a window, per day ("d") or per
// hour ("h"): slope displacement velocity, water-level rise.
type Rate struct {
	ID         string   `json:"id"`
	Sensors    []string `json:"sensors"`
	Locations  []string `json:"locations,omitempty"`
	WindowS    int      `json:"window_s"`
	Per        string   `json:"per"`
	Steps      []Step   `json:"steps"`
	Basis      string   `json:"basis"`
	Confidence string   `json:"confidence"`
}

// Escalation is when an unacknowledged alarm of a level is passed to the
// county regulator and then to the city, in minutes (0: never).
type Escalation struct {
	CountyMin int `json:"county_min"`
	CityMin   int `json:"city_min"`
}

// Set is the whole warning rule set, one version of the "warning_rules"
// kind of package ruleset.
type Set struct {
	Thresholds   []Threshold `json:"thresholds"`
	Rates        []Rate      `json:"rates"`
	Interruption struct {
		Periods float64 `json:"periods"` // no data for this many periods
		Level   Level   `json:"level"`
	} `json:"interruption"`
	Offline struct {
		Minutes int   `json:"minutes"` // a whole mine silent this long
		Level   Level `json:"level"`
	} `json:"offline"`
	Fault struct {
		Level Level `json:"level"` // sensor or station fault, calibration (planned)
	} `json:"fault"`
	Flatline struct {
		Minutes int   `json:"minutes"` // no variation beyond the sensor's noise this long while producing
		Level   Level `json:"level"`
	} `json:"flatline"`
	Rollup struct {
		BluePointsToYellow   int `json:"blue_points_to_yellow"`
		YellowPointsToOrange int `json:"yellow_points_to_orange"`
		OrangePointsToRed    int `json:"orange_points_to_red"`
		BlueItemsToYellow    int `json:"blue_items_to_yellow"`
	} `json:"rollup"`
	Escalation  map[string]Escalation `json:"escalation"` // by level name
	ReminderMin int                   `json:"reminder_min"`
	LateS       int                   `json:"late_s"` // a sample older than this on arrival is late data
}

// Kind names the rule set in package ruleset.
const Kind = "warning_rules"

// Validate checks a rule set before it is stored, naming the bad part.
func (s *Set) Validate() error {
	var errs []string
	bad := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }
	ids := map[string]bool{}
	for i, t := range s.Thresholds {
		where := fmt.Sprintf("thresholds[%d] (%s)", i, t.ID)
		if t.ID == "" || ids[t.ID] {
			bad("%s: id missing or repeated", where)
		}
		ids[t.ID] = true
		if len(t.Sensors) == 0 {
			bad("%s: no sensors", where)
		}
		if t.Op != ">=" && t.Op != "<" {
			bad("%s: op must be \">=\" or \"<\"", where)
		}
		checkSteps(t.Steps, t.Op == "<", where, bad)
		if t.Reset != nil && len(t.Steps) > 0 {
			low := t.Steps[0].Value // the least severe step
			if (t.Op == ">=" && *t.Reset > low) || (t.Op == "<" && *t.Reset < low) {
				bad("%s: reset %v would clear before the condition ends (lowest step %v)", where, *t.Reset, low)
			}
		}
		switch t.Relative {
		case "", "design_phreatic_depth_m", "design_freeboard_m", "design_min_dry_beach_m":
		default:
			bad("%s: unknown relative field %q", where, t.Relative)
		}
	}
	for i, r := range s.Rates {
		where := fmt.Sprintf("rates[%d] (%s)", i, r.ID)
		if r.ID == "" || ids[r.ID] {
			bad("%s: id missing or repeated", where)
		}
		ids[r.ID] = true
		if r.WindowS < 60 {
			bad("%s: window_s must be at least 60", where)
		}
		if r.Per != "d" && r.Per != "h" {
			bad("%s: per must be d or h", where)
		}
		checkSteps(r.Steps, false, where, bad)
	}
	if s.Interruption.Periods < 1 {
		bad("interruption.periods must be at least 1")
	}
	if s.Offline.Minutes < 1 || s.Flatline.Minutes < 1 {
		bad("offline.minutes and flatline.minutes must be at least 1")
	}
	r := s.Rollup
	if r.BluePointsToYellow < 1 || r.YellowPointsToOrange < 1 || r.OrangePointsToRed < 1 || r.BlueItemsToYellow < 1 {
		bad("rollup counts must be at least 1")
	}
	for _, l := range []string{"blue", "yellow", "orange", "red"} {
		e, ok := s.Escalation[l]
		if !ok {
			bad("escalation.%s missing", l)
			continue
		}
		if e.CountyMin < 0 || e.CityMin < 0 || (e.CityMin > 0 && e.CityMin < e.CountyMin) {
			bad("escalation.%s: city_min must be 0 or not before county_min", l)
		}
	}
	if s.ReminderMin < 1 {
		bad("reminder_min must be at least 1")
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

func checkSteps(steps []Step, low bool, where string, bad func(string, ...any)) {
	if len(steps) == 0 {
		bad("%s: no steps", where)
		return
	}
	for i, st := range steps {
		if st.Level < Blue || st.Level > Red {
			bad("%s: step %d has no level", where, i)
		}
		if i == 0 {
			continue
		}
		prev := steps[i-1]
		if st.Level <= prev.Level {
			bad("%s: steps must rise in level", where)
		}
		// A higher level needs a more extreme value (or the same value: a
		// methane power-cut equal to the alarm value opens red at once).
		if (!low && st.Value < prev.Value) || (low && st.Value > prev.Value) {
			bad("%s: step %d value %v is less severe than step %d", where, i, st.Value, i-1)
		}
	}
}
