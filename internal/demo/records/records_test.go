package records

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"minesafe/internal/accident"
	"minesafe/internal/app"
	"minesafe/internal/app/apptest"
	"minesafe/internal/auth"
	"minesafe/internal/demo"
	"minesafe/internal/enforce"
	"minesafe/internal/hazard"
	"minesafe/internal/httpx"
	"minesafe/internal/indicator"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

// ref is the reference date of the tests: 2026-11-29 09:00 Asia/Shanghai.
var ref = time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)

// loaded starts an app on db at ref with the demo registry and records.
func loaded(t testing.TB, db *store.DB) (*apptest.Env, Summary) {
	t.Helper()
	env := apptest.New(t, db)
	env.Clock.Set(ref)
	ctx := context.Background()
	if _, err := demo.Load(ctx, db, env.App.Registry, env.App.Auth, ref); err != nil {
		t.Fatal(err)
	}
	sum, err := Load(ctx, env.App, ref)
	if err != nil {
		t.Fatal(err)
	}
	return env, sum
}

func TestLoadOnceAndTheDashboardShowsIt(t *testing.T) {
	prints := map[string]string{}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		env, sum := loaded(t, db)
		a := env.App
		prints[t.Name()] = fingerprint(t, a)
		t.Logf("%s", sum.Line())
		t.Logf("parts: %v", sum.Parts)
		if !sum.Loaded {
			t.Fatal("first load did not load")
		}
		again, err := Load(ctx, a, ref)
		if err != nil || again.Loaded || again.Accidents+again.Hazards+again.Risks+again.ProductionMonths != 0 {
			t.Fatalf("second load: %+v %v", again, err)
		}
		if ok, err := Loaded(ctx, a); err != nil || !ok {
			t.Fatalf("Loaded %v %v", ok, err)
		}
		city, err := a.Auth.UserByName(ctx, "city")
		if err != nil {
			t.Fatal(err)
		}
		p := city.Principal()

		// 专栏1 for 2025: what was loaded, the base from the records.
		var acc25, deaths25, larger25, coalDeaths25 int
		for _, s := range accidentSpecs {
			if s.at[:4] != "2025" {
				continue
			}
			acc25++
			deaths25 += s.deaths
			if s.deaths >= 3 {
				larger25++
			}
			if k := (l0(t, a, s.mine)).Kind; k == "coal_underground" || k == "coal_openpit" {
				coalDeaths25 += s.deaths
			}
		}
		if acc25 < 8 || acc25 > 12 || larger25 != 1 || deaths25 < 8 || deaths25 > 12 {
			t.Fatalf("the 2025 specs: %d accidents, %d deaths, %d 较大", acc25, deaths25, larger25)
		}
		set, err := a.Indicators.Indicators(ctx, p, 2025, "")
		if err != nil {
			t.Fatal(err)
		}
		eq := func(name string, ind indicator.Indicator, want float64) {
			t.Helper()
			if ind.Value == nil || math.Abs(*ind.Value-want) > 1e-6 {
				t.Fatalf("%s 2025 = %v, want %v", name, show(ind.Value), want)
			}
		}
		eq("accidents", set.Accidents, float64(acc25))
		eq("deaths", set.Deaths, float64(deaths25))
		eq("larger accidents", set.LargerAccidents, float64(larger25))
		eq("major or worse", set.MajorOrWorseAccidents, 0)
		eq("coal deaths", set.CoalDeaths, float64(coalDeaths25))
		if set.Accidents.BaseSource != "records" || set.Accidents.Base2025 == nil || *set.Accidents.Base2025 != float64(acc25) {
			t.Fatalf("accident base %s %v", set.Accidents.BaseSource, show(set.Accidents.Base2025))
		}
		// The coal output of 2025 as posted, and the rate from it.
		yes := true
		_, n, tonnes, err := a.Accidents.ListProduction(ctx, p, accident.ProductionFilter{Year: 2025, Coal: &yes, ListParams: httpx.ListParams{Limit: 1}})
		if err != nil || n == 0 || tonnes < 50e6 {
			t.Fatalf("2025 production: %d rows, %v t, %v", n, tonnes, err)
		}
		eq("coal output", set.CoalOutputTonnes, tonnes)
		eq("million-tonne death rate", set.MillionTonDeathRate, float64(coalDeaths25)/(tonnes/1e6))
		t.Logf("2025: %d accidents, %d deaths, %d coal deaths, %.1f Mt, rate %.4f", acc25, deaths25, coalDeaths25, tonnes/1e6, *set.MillionTonDeathRate.Value)

		// No mine's year exceeds its capacity; every month up to last month is there.
		for _, m := range demoSet().Mines {
			if !producing(&mine{Mine: m}) {
				continue
			}
			mm := l0(t, a, m.Name)
			rows, k, sum, err := a.Accidents.ListProduction(ctx, p, accident.ProductionFilter{Year: 2025, MineID: mm.ID, ListParams: httpx.ListParams{Limit: 20}})
			if err != nil || k != 12 || len(rows) != 12 || sum > *m.Capacity*1e6 || sum < 0.7**m.Capacity*1e6 {
				t.Fatalf("%s 2025: %d months, %.0f t of %.2f Mt/a (%v)", m.Name, k, sum, *m.Capacity, err)
			}
			_, k, _, err = a.Accidents.ListProduction(ctx, p, accident.ProductionFilter{Year: 2026, MineID: mm.ID, ListParams: httpx.ListParams{Limit: 1}})
			if err != nil || k != 10 {
				t.Fatalf("%s 2026: %d months up to October (%v)", m.Name, k, err)
			}
		}

		// 2026 has fewer accidents, and the dashboard carries them.
		board, err := a.Indicators.Dashboard(ctx, p, 2026, "")
		if err != nil {
			t.Fatal(err)
		}
		in := board.Indicators
		if in.Accidents.Value == nil || *in.Accidents.Value == 0 || *in.Accidents.Value >= float64(acc25) || in.CoalOutputTonnes.Value == nil || *in.CoalOutputTonnes.Value == 0 {
			t.Fatalf("2026 accidents %v, output %v", show(in.Accidents.Value), show(in.CoalOutputTonnes.Value))
		}
		figs := map[string]indicator.Figure{}
		for _, f := range board.Figures {
			figs[f.Key] = f
		}
		for _, k := range []string{"professional_share", "coal_grade1_share", "coal_grade2_or_better_share", "ledger_completion"} {
			f, ok := figs[k]
			if !ok || f.Value == nil || *f.Value == 0 || f.Denominator == 0 {
				t.Fatalf("figure %s: %+v", k, f)
			}
		}
		if v := *figs["professional_share"].Value; v < 70 || v >= 75 {
			t.Fatalf("professional share %.1f %%: near but short of 75 %%", v)
		}

		// Hazards in every state, both levels; the overdue ones overdue.
		for _, st := range []string{hazard.StateReported, hazard.StatePlanned, hazard.StateRectifying, hazard.StateRectified, hazard.StateVerified, hazard.StateClosed} {
			for _, lv := range []string{hazard.LevelGeneral, hazard.LevelMajor} {
				_, k, err := a.Hazards.List(ctx, p, hazard.Filter{States: []string{st}, Level: lv, ListParams: httpx.ListParams{Limit: 1}})
				if err != nil {
					t.Fatal(err)
				}
				if k == 0 && !(lv == hazard.LevelMajor && (st == hazard.StateRectified || st == hazard.StateVerified)) {
					t.Fatalf("no %s hazard %s", lv, st)
				}
			}
		}
		over, k, err := a.Hazards.List(ctx, p, hazard.Filter{Overdue: &yes, ListParams: httpx.ListParams{Limit: 100}})
		if err != nil || k < 3 || k != sum.Overdue {
			t.Fatalf("overdue: %d (summary %d) %v", k, sum.Overdue, err)
		}
		today := "2026-11-29"
		for _, h := range over {
			if !h.Overdue || h.Deadline >= today || h.OverdueDays <= 0 || h.State == hazard.StateClosed || h.State == hazard.StateRectified {
				t.Fatalf("overdue hazard %d: %+v", h.ID, h)
			}
		}
		_, k, err = a.Hazards.List(ctx, p, hazard.Filter{Supervised: &yes, ListParams: httpx.ListParams{Limit: 1}})
		if err != nil || k == 0 {
			t.Fatalf("supervised: %d %v", k, err)
		}
		// Majors cite their industry's catalogue; the trail is dated as it happened.
		majors, _, err := a.Hazards.List(ctx, p, hazard.Filter{Level: hazard.LevelMajor, ListParams: httpx.ListParams{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		// The trail is dated as it happened: reported in the past, closed after that.
		hz, _, err := a.Hazards.List(ctx, p, hazard.Filter{ListParams: httpx.ListParams{Limit: 1000}})
		if err != nil {
			t.Fatal(err)
		}
		old := 0
		for _, h := range hz {
			if h.ReportedAt.After(ref) || (h.ClosedAt != nil && !h.ClosedAt.After(h.ReportedAt)) {
				t.Fatalf("hazard %d reported %v closed %v", h.ID, h.ReportedAt, h.ClosedAt)
			}
			if ref.Sub(h.ReportedAt) > 30*24*time.Hour {
				old++
			}
		}
		if len(hz) != sum.Hazards || old < 10 {
			t.Fatalf("%d hazards (loaded %d), %d reported over 30 days ago", len(hz), sum.Hazards, old)
		}
		for _, h := range majors {
			if h.CriterionCode == "" || h.CriterionText == "" || h.CriterionVersion == nil {
				t.Fatalf("major hazard %d cites %q", h.ID, h.CriterionCode)
			}
		}
		// The enterprise user sees its own hazards and risks only.
		eu, err := a.Auth.UserByName(ctx, "enterprise")
		if err != nil {
			t.Fatal(err)
		}
		own, k, err := a.Hazards.List(ctx, eu.Principal(), hazard.Filter{ListParams: httpx.ListParams{Limit: 100}})
		if err != nil || k == 0 {
			t.Fatalf("enterprise hazards %d %v", k, err)
		}
		for _, h := range own {
			if h.EnterpriseID != *eu.EnterpriseID {
				t.Fatalf("enterprise sees hazard %d of %d", h.ID, h.EnterpriseID)
			}
		}

		// Risks of all four levels.
		for _, lv := range []string{"red", "orange", "yellow", "blue"} {
			_, k, err := a.Hazards.ListRisks(ctx, p, hazard.RiskFilter{Level: lv, ListParams: httpx.ListParams{Limit: 1}})
			if err != nil || k == 0 {
				t.Fatalf("%s risks: %d %v", lv, k, err)
			}
		}
		_, k, err = a.Hazards.ListRisks(ctx, p, hazard.RiskFilter{ListParams: httpx.ListParams{Limit: 1}})
		if err != nil || k != sum.Risks {
			t.Fatalf("risks %d, loaded %d (%v)", k, sum.Risks, err)
		}

		// Enforcement: inspections, a halt, a fine within the benchmark, a re-check, the blacklist.
		_, k, err = a.Enforce.ListInspections(ctx, p, enforce.InspectionFilter{ListParams: httpx.ListParams{Limit: 1}})
		if err != nil || k != sum.Inspections || k < 12 {
			t.Fatalf("inspections %d (loaded %d) %v", k, sum.Inspections, err)
		}
		halted, err := a.Registry.GetMine(ctx, auth.System, l0(t, a, "扎兰屯市蘑菇气铅锌矿").ID)
		if err != nil || halted.Status != "halted" {
			t.Fatalf("the halted mine: %s %v", halted.Status, err)
		}
		decs, _, err := a.Enforce.ListDecisions(ctx, p, enforce.DecisionFilter{ListParams: httpx.ListParams{Limit: 100}})
		if err != nil || len(decs) != sum.Decisions {
			t.Fatalf("decisions %d (loaded %d) %v", len(decs), sum.Decisions, err)
		}
		fines, paid := 0, 0
		for _, d := range decs {
			if d.Kind == enforce.KindFine {
				fines++
				if d.OutsideRange || d.AmountYuan == nil || d.RangeMinYuan == nil || *d.AmountYuan < *d.RangeMinYuan || *d.AmountYuan > *d.RangeMaxYuan {
					t.Fatalf("fine %d outside its range: %+v", d.ID, d)
				}
				if d.State == enforce.FinePaid {
					paid++
				}
			}
		}
		if fines < 2 || paid == 0 {
			t.Fatalf("%d fines, %d paid", fines, paid)
		}
		bl, k, err := a.Enforce.ListBlacklist(ctx, p, enforce.BlacklistFilter{ListParams: httpx.ListParams{Limit: 10}})
		if err != nil || k != 1 || bl[0].EnterpriseID != l0(t, a, "扎赉诺尔区宏达煤矿").EnterpriseID {
			t.Fatalf("blacklist %d %+v %v", k, bl, err)
		}
		// Nothing the browser tests rely on changed: the enterprise user's mines keep their status.
		ents, _, err := a.Registry.ListMines(ctx, eu.Principal(), registryAll())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ents {
			for _, dm := range demoSet().Mines {
				if dm.Code == m.Code && dm.Status != m.Status {
					t.Fatalf("%s is %s, was %s", m.Name, m.Status, dm.Status)
				}
			}
		}
	})
	// Deterministic: the same reference date gave the same records on both databases.
	t.Logf("fingerprints %v", prints)
	sq, pg := prints[t.Name()+"/sqlite"], prints[t.Name()+"/postgres"]
	if sq == "" && pg == "" {
		t.Fatal("no load to compare")
	}
	if sq != "" && pg != "" && sq != pg { // both ran (not filtered by -run)
		t.Fatalf("the two loads differ: %v", prints)
	}
}

var built *demo.Set

func demoSet() demo.Set {
	if built == nil {
		s := demo.Build(ref)
		built = &s
	}
	return *built
}

// fingerprint digests what was loaded, independent of record ids and of
// the order the lanes wrote in.
func fingerprint(t testing.TB, a *app.App) string {
	t.Helper()
	ctx := context.Background()
	all := httpx.ListParams{Limit: 1000}
	var lines []string
	risks, _, err := a.Hazards.ListRisks(ctx, auth.System, hazard.RiskFilter{ListParams: all})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range risks {
		lines = append(lines, fmt.Sprint("risk", r.MineName, r.Place, r.HazardType, r.Level, r.Responsible, r.ReviewDate))
	}
	hz, _, err := a.Hazards.List(ctx, auth.System, hazard.Filter{ListParams: all})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hz {
		lines = append(lines, fmt.Sprint("hazard", h.MineName, h.Description, h.State, h.Deadline, h.ReportedAt.Unix(), h.Overdue, h.Supervised, h.EscalatedTo))
	}
	prod, _, _, err := a.Accidents.ListProduction(ctx, auth.System, accident.ProductionFilter{ListParams: all})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range prod {
		lines = append(lines, fmt.Sprint("output", x.MineCode, x.Month, x.Tonnes))
	}
	staff, _, err := a.Indicators.ListStaff(ctx, auth.System, indicator.StaffFilter{ListParams: all})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range staff {
		lines = append(lines, fmt.Sprint("staff", x.RegionCode, x.Name, x.Background, x.HiredOn, x.LeftOn))
	}
	std, err := a.Indicators.Standing(ctx, auth.System, indicator.StdFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range std {
		lines = append(lines, fmt.Sprint("std", x.MineCode, x.Grade))
	}
	items, err := a.Indicators.Items(ctx, auth.System, indicator.ItemFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range items {
		lines = append(lines, fmt.Sprint("item", x.TaskCode, x.MineCode, x.RegionCode, x.Period, x.State))
	}
	slices.Sort(lines)
	h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return fmt.Sprintf("%d lines %x", len(lines), h[:8])
}

// l0 answers the registry's record of the demo mine called name.
func l0(t testing.TB, a *app.App, name string) registry.Mine {
	t.Helper()
	for _, m := range demoSet().Mines {
		if m.Name == name {
			rm, err := a.Registry.MineByCode(context.Background(), m.Code)
			if err != nil {
				t.Fatal(err)
			}
			return rm
		}
	}
	t.Fatalf("no demo mine %s", name)
	return registry.Mine{}
}

func registryAll() registry.MineFilter {
	return registry.MineFilter{ListParams: httpx.ListParams{Limit: 1000}}
}

func show(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// BenchmarkLoad measures a load of the demo records on a fresh SQLite
// database holding the demo registry:
//
//	go test ./internal/demo/records/ -run '^$' -bench Load -benchtime 3x
func BenchmarkLoad(b *testing.B) {
	ctx := context.Background()
	var spent time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		env := apptest.New(b, storetest.SQLite(b))
		env.Clock.Set(ref)
		if _, err := demo.Load(ctx, env.DB, env.App.Registry, env.App.Auth, ref); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		sum, err := Load(ctx, env.App, ref)
		spent += time.Since(t0)
		if err != nil || !sum.Loaded {
			b.Fatalf("%+v %v", sum, err)
		}
	}
	b.ReportMetric(spent.Seconds()/float64(b.N), "s/load")
}
