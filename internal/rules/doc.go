package rules

import (
	"fmt"
	"sort"
	"strings"
)

// Markdown renders a rule set as the tables of docs/warnings.md, so a
// regulator can read every default and its level.
func Markdown(s Set) string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	steps := func(st []Step, unit string) string {
		parts := make([]string, len(st))
		for i, x := range st {
			parts[i] = fmt.Sprintf("%s %v%s", x.Level, x.Value, unit)
		}
		return strings.Join(parts, ", ")
	}
	w("## Thresholds\n\n")
	w("`>=` grades high readings (alarm at or above the value), `<` low ones. A rule stays active until the reading passes `reset` (below it for `>=`, at or above it for `<`). `relative` rules multiply the pond's design value. Confidence: V read in the source, C corroborated, M believed but unconfirmed (a default to check).\n\n")
	w("| id | sensors | locations | op | steps | reset | basis | conf. |\n|---|---|---|---|---|---|---|---|\n")
	for _, t := range s.Thresholds {
		reset := "first step"
		if t.Reset != nil {
			reset = fmt.Sprint(*t.Reset)
		}
		unit := ""
		if t.Relative != "" {
			unit = " × " + t.Relative
			if t.Reset != nil {
				reset += " × " + t.Relative
			}
		}
		locs := strings.Join(t.Locations, ", ")
		if locs == "" {
			locs = "any"
		}
		w("| `%s` | %s | %s | `%s` | %s | %s | %s | %s |\n", t.ID, strings.Join(t.Sensors, ", "), locs, t.Op, steps(t.Steps, unit), reset, t.Basis, t.Confidence)
	}
	w("\n## Rates of change\n\n| id | sensors | locations | window | steps (per %s) | basis | conf. |\n|---|---|---|---|---|---|---|\n", "day or hour")
	for _, r := range s.Rates {
		locs := strings.Join(r.Locations, ", ")
		if locs == "" {
			locs = "any"
		}
		w("| `%s` | %s | %s | %d s | %s (per %s) | %s | %s |\n", r.ID, strings.Join(r.Sensors, ", "), locs, r.WindowS, steps(r.Steps, ""), r.Per, r.Basis, r.Confidence)
	}
	w("\n## Time, status and roll-up\n\n| condition | setting | level |\n|---|---|---|\n")
	w("| data interruption (a point silent while its mine sends) | %v × the point's period | %s |\n", s.Interruption.Periods, s.Interruption.Level)
	w("| mine offline (no data at all) | %d min | %s |\n", s.Offline.Minutes, s.Offline.Level)
	w("| sensor or substation fault (status bits 128, 16); calibration (bit 4, planned) | — | %s |\n", s.Fault.Level)
	w("| flat line while producing (possible tampering) | %d min without variation beyond the sensor's noise | %s |\n", s.Flatline.Minutes, s.Flatline.Level)
	r := s.Rollup
	w("| tailings roll-up (GB 39496 §5.5.4) | %d blue points → item yellow; %d yellow → orange; %d orange → red; %d blue items → one yellow item | — |\n",
		r.BluePointsToYellow, r.YellowPointsToOrange, r.OrangePointsToRed, r.BlueItemsToYellow)
	w("| late data | a sample older than %d s on arrival; an alarm it opens that is already over pages nobody | — |\n", s.LateS)
	w("\n## Escalation of unacknowledged alarms\n\n| level | to the county after | to the city after |\n|---|---|---|\n")
	levels := make([]string, 0, len(s.Escalation))
	for l := range s.Escalation {
		levels = append(levels, l)
	}
	sort.Slice(levels, func(i, j int) bool {
		a, _ := ParseLevel(levels[i])
		b, _ := ParseLevel(levels[j])
		return a > b
	})
	for _, l := range levels {
		e := s.Escalation[l]
		show := func(m int) string {
			if m == 0 {
				return "never"
			}
			return fmt.Sprintf("%d min", m)
		}
		w("| %s | %s | %s |\n", l, show(e.CountyMin), show(e.CityMin))
	}
	w("\nReminders every %d min until acknowledged (yellow and above).\n", s.ReminderMin)
	return b.String()
}
