package simulate_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/demo"
	"minesafe/internal/registry"
	"minesafe/internal/simulate"
	"minesafe/internal/simulate/demomines"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/catalog"
	"minesafe/internal/telemetry/mtt"
)

// ref is a fixed day for the demo data set; plans do not depend on it.
var ref = time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC)

func demoSpecs() []simulate.MineSpec { return demomines.Specs(demo.Build(ref)) }

func TestPlansOfTheDemoMines(t *testing.T) {
	loose := 0
	for _, m := range demoSpecs() {
		pts := simulate.PointsFor(m)
		if !reflect.DeepEqual(pts, simulate.PointsFor(m)) {
			t.Fatalf("%s: plan not deterministic", m.Code)
		}
		if m.Kind == registry.KindCoalUnderground && m.Status == "producing" && (len(pts) < 30 || len(pts) > 60) {
			t.Errorf("%s: %d points, want 30–60 for a producing coal mine", m.Code, len(pts))
		}
		if m.Status == "closed" && m.Kind != registry.KindTailingsPond && (len(pts) != 1 || pts[0].SensorType != "power") {
			t.Errorf("%s: a closed mine has only its power meter, got %d points", m.Code, len(pts))
		}
		codes := map[string]bool{}
		for _, p := range pts {
			if codes[p.Code] {
				t.Errorf("%s: code %s twice", m.Code, p.Code)
			}
			codes[p.Code] = true
			st, ok := catalog.Sensor(p.SensorType)
			if !ok || p.Unit != st.Unit || *p.RangeMin != st.Min || *p.RangeMax != st.Max {
				t.Errorf("%s %s: sensor %s unit %q range %v–%v not the catalogue's", m.Code, p.Code, p.SensorType, p.Unit, *p.RangeMin, *p.RangeMax)
			}
			if _, ok := catalog.LocationClass(p.LocationClass); !ok || p.Location == "" {
				t.Errorf("%s %s: location %q class %q", m.Code, p.Code, p.Location, p.LocationClass)
			}
			if registry.IsCoal(m.Kind) && st.MTTCode != "" {
				pc, err := mtt.ParsePointCode(m.Code, p.Code)
				if err != nil || pc.System != "01" || pc.SensorType != st.MTTCode || len(pc.Original) != 8 || len(p.Code) != 28 {
					t.Errorf("%s: %s is not an MT/T 1201 code of a %s point (%v)", m.Code, p.Code, p.SensorType, err)
				}
				if st.PeriodSeconds == 30 && p.PeriodS != 10 {
					t.Errorf("%s %s: coal safety point reports every %d s, want 10", m.Code, p.Code, p.PeriodS)
				}
			}
			if row, ok := catalog.MethaneRow(p.LocationClass); ok && p.SensorType == "methane" {
				if *p.AlarmHigh > row.Alarm {
					loose++
					if m.Code != simulate.LooseSettingMine || p.LocationClass != "upper_corner" || *p.AlarmHigh != 1.5 {
						t.Errorf("%s %s: unexpected loose setting %v", m.Code, p.Code, *p.AlarmHigh)
					}
				} else if *p.AlarmHigh != row.Alarm || (row.PowerCut != nil && (*p.CutHigh != *row.PowerCut || *p.RestoreHigh != *row.Reset)) {
					t.Errorf("%s %s: settings %v/%v/%v are not the table's for %s", m.Code, p.Code, *p.AlarmHigh, p.CutHigh, p.RestoreHigh, p.LocationClass)
				}
			}
		}
	}
	if loose != 1 {
		t.Fatalf("%d methane points with a looser own setting, want exactly 1", loose)
	}
}

// The scripted episodes need their mines in the demo data set, of the kind
// and status the script assumes.
func TestScriptFindsItsMines(t *testing.T) {
	sim := simulate.New(demoSpecs(), 1, ref)
	kinds := map[string]bool{}
	for _, e := range sim.Episodes() {
		kinds[e.Kind] = true
		if e.Mine != "" && e.Kind != simulate.EpisodeOffline && e.Point == "" {
			t.Errorf("episode %s at %s has no point", e.Kind, e.Mine)
		}
	}
	for _, k := range []string{simulate.EpisodeMethaneAlarm, simulate.EpisodeMethanePowerCut, simulate.EpisodeLooseSetting, simulate.EpisodeOverRange,
		simulate.EpisodeCOAlarm, simulate.EpisodeFlatSensor, simulate.EpisodeOffline, simulate.EpisodeRain, simulate.EpisodePhreaticRise, simulate.EpisodeSlopeAcceleration} {
		if !kinds[k] {
			t.Errorf("the demo script lost its %s episode", k)
		}
	}
}

// Every plan goes through the real service: codes, classes, units and
// settings are valid on both databases, and the specs the CLI builds from
// the data set equal those of the registered mines.
//
// Coal mines also hold points outside the safety monitoring system (slope
// stations, rain gauges, the power meter of an idle mine) whose sensors
// have no MT/T 1201 type code, so they carry free codes. A service that
// still demands MT/T codes of every coal-mine point refuses those rows
// alone: the test then skips, saying so, rather than fail on a change that
// belongs to the telemetry package (see docs/simulator.md).
func TestPlansValidateAgainstTheService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewFake(ref)
		reg := registry.NewService(db, clk)
		if _, err := demo.Load(ctx, db, reg, auth.NewService(db, clk, auth.Options{}), ref); err != nil {
			t.Fatal(err)
		}
		tel := telemetry.NewService(db, clk, reg, telemetry.Options{})
		defer tel.Close()
		mines, _, err := reg.ListMines(ctx, auth.System, registry.MineFilter{})
		if err != nil {
			t.Fatal(err)
		}
		cli := map[string]simulate.MineSpec{}
		for _, s := range demoSpecs() {
			cli[s.Code] = s
		}
		total := 0
		for _, m := range mines {
			spec := simulate.SpecOf(m)
			if !reflect.DeepEqual(spec, cli[m.Code]) {
				t.Errorf("%s: CLI spec %+v, registry spec %+v", m.Code, cli[m.Code], spec)
			}
			n, _, err := tel.UpsertPoints(ctx, auth.System, m.ID, simulate.PointsFor(spec), "simulator")
			if err != nil {
				t.Errorf("%s (%s, %s): %v", m.Code, m.Kind, m.Status, err)
			}
			total += n
		}
		t.Logf("%d points on %d mines", total, len(mines))
		if total < 2000 {
			t.Fatalf("only %d points", total)
		}
	})
}
