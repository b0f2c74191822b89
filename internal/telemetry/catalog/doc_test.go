package catalog

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/catalog.md from the tables")

var docPath = filepath.Join("..", "..", "..", "docs", "catalog.md")

// TestCatalogDocIsCurrent keeps docs/catalog.md equal to what the tables
// say; go test -update rewrites it.
func TestCatalogDocIsCurrent(t *testing.T) {
	got := markdown()
	if *update {
		if err := os.WriteFile(docPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatalf("%v (go test ./internal/telemetry/catalog -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("docs/catalog.md is stale: run go test ./internal/telemetry/catalog -update")
	}
}

// markdown renders the catalogue as the tables of docs/catalog.md.
func markdown() []byte {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	row := func(cells ...string) {
		for i := range cells {
			cells[i] = esc(cells[i])
		}
		p("| %s |\n", strings.Join(cells, " | "))
	}

	p("# Sensor catalogue and location classes\n\n")
	p("Generated from `internal/telemetry/catalog` by `go test ./internal/telemetry/catalog -update`; do not edit by hand.\n")
	p("The values are shipped defaults: the rules engine copies them into versioned rule sets a regulator can edit.\n\n")
	p("Confidence marks (as in the domain notes): **V** read in the source, **C** several sources agree, **M** believed but\n")
	p("unconfirmed (label as a default in the UI), **U** unknown. Ranges, decimals, noise and periods are engineering defaults.\n\n")

	p("## Sensor types\n\n")
	p("Noise is the typical standard deviation of a healthy sensor (0: a constant value is normal, no flat-line check).\n")
	p("Period 0 means event-driven. Switches have no unit, as MT/T 1201 sends KG points; their values 0/1 are named under notes.\n\n")
	row("key", "名称", "name", "unit", "signal", "range", "decimals", "noise", "period (s)", "MT/T 1201", "mine kinds", "notes", "rule hint")
	row("---", "---", "---", "---", "---", "---", "---", "---", "---", "---", "---", "---", "---")
	for _, s := range Sensors() {
		var notes []string
		if len(s.States) == 2 {
			notes = append(notes, "0 "+s.States[0]+", 1 "+s.States[1])
		}
		if len(s.Axes) > 0 {
			notes = append(notes, "one point per axis: "+strings.Join(s.Axes, ", "))
		}
		if s.DerivedFrom != "" {
			notes = append(notes, "derived from "+s.DerivedFrom)
		}
		row("`"+s.Key+"`", s.NameZH, s.NameEN, s.Unit, string(s.Signal), num(s.Min)+" … "+num(s.Max),
			strconv.Itoa(s.Precision), num(s.Noise), strconv.Itoa(s.PeriodSeconds), s.MTTCode,
			strings.Join(s.MineKinds, ", "), strings.Join(notes, "; "), s.RuleHint)
	}

	p("\n## Methane sensor settings (%%CH4, 煤矿安全规程 第四百九十八条)\n\n")
	p("Alarm and power-cut trigger at or above the value (≥); power is restored below the reset value (<). — = none.\n\n")
	row("key", "位置", "code", "alarm ≥", "power-cut ≥", "reset <", "断电范围", "conf.", "other limits", "note")
	row("---", "---", "---", "---", "---", "---", "---", "---", "---", "---")
	for _, l := range Locations() {
		m := l.Methane
		if m == nil {
			continue
		}
		row("`"+l.Key+"`", m.NameZH, m.Code, num(m.Alarm), opt(m.PowerCut), opt(m.Reset), m.PowerCutScope, m.Confidence, limits(l.Limits), m.Note)
		for i, x := range m.Extra {
			row("`"+l.Key+"` (setting "+strconv.Itoa(i+2)+")", "", "", num(x.Alarm), opt(x.PowerCut), opt(x.Reset), x.PowerCutScope, m.Confidence, "", "")
		}
	}

	p("\n## Permitted air velocity by roadway (m/s, 煤矿安全规程 第一百三十六条)\n\n")
	row("key", "巷道", "roadway", "min", "max", "conf.")
	row("---", "---", "---", "---", "---", "---")
	for _, l := range Locations() {
		if w := l.Wind; w != nil {
			row("`"+l.Key+"`", l.NameZH, l.NameEN, opt(w.Min), opt(w.Max), w.Confidence)
		}
	}

	p("\n## Other location classes\n\n")
	p("A limit is breached when the measure compares to the value as shown.\n\n")
	row("key", "family", "名称", "name", "sensors", "default limits", "note")
	row("---", "---", "---", "---", "---", "---", "---")
	for _, l := range Locations() {
		if l.Methane != nil || l.Wind != nil {
			continue
		}
		row("`"+l.Key+"`", l.Family, l.NameZH, l.NameEN, strings.Join(l.Sensors, ", "), limits(l.Limits), l.Note)
	}

	p("\n## Sources of the limits\n\n")
	seen := map[string]bool{}
	for _, l := range Locations() {
		srcs := []string{}
		if l.Methane != nil {
			srcs = append(srcs, l.Methane.Source)
		}
		if l.Wind != nil {
			srcs = append(srcs, l.Wind.Source)
		}
		for _, x := range l.Limits {
			srcs = append(srcs, x.Source)
		}
		for _, s := range srcs {
			if !seen[s] {
				seen[s] = true
				p("- %s\n", s)
			}
		}
	}
	return b.Bytes()
}

func limits(ls []Limit) string {
	var out []string
	for _, l := range ls {
		measure := l.Sensor
		switch l.Measure {
		case MeasureRatePerDay:
			measure += " rate"
		case MeasureRatePerHour:
			measure += " rate"
		}
		out = append(out, fmt.Sprintf("%s %s %s %s: %s [%s]", measure, l.Op, num(l.Value), l.Unit, l.Action, l.Confidence))
	}
	return strings.Join(out, "<br>")
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func opt(p *float64) string {
	if p == nil {
		return "—"
	}
	return num(*p)
}

// esc keeps a cell inside its table column.
func esc(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
