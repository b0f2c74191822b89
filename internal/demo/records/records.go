// Package records loads the demo's working records on top of the demo
// registry (internal/demo): monthly coal production, accidents, risk
// registers, hidden hazards in every state of their loop, inspection plans,
// inspections with findings and decisions, the blacklist, supervision
// staff, standardisation awards, the mines' plan facts and some progress on
// the plan's task ledger. docs/demo.md describes the result.
//
// Everything goes through the services' public Go APIs, acting as the demo
// principals (the mine reports and rectifies its own hazards, inspectors
// inspect, the city records accidents …), so validation, events and audit
// apply as to any other input. The services date what they record by their
// clock and refuse deadlines in the past, so the loader drives its own
// instances of the services with a clock it moves back to the day each
// step took place: a hazard reported 40 days ago with a 20-day deadline is
// overdue today, its trail dated as it happened.
//
// The data are deterministic given the reference date (fixed seed; dates
// relative to it where it matters) and loaded once: a database that holds
// them is left alone.
package records

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"minesafe/internal/accident"
	"minesafe/internal/app"
	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/demo"
	"minesafe/internal/enforce"
	"minesafe/internal/hazard"
	"minesafe/internal/httpx"
	"minesafe/internal/indicator"
	"minesafe/internal/registry"
)

// MetaKey marks a database whose demo records are loaded. Each part also
// has its own key (MetaKey + "." + part), so that a load cut short resumes
// at the part it was in.
const MetaKey = "demo_records_loaded"

// Summary tells what Load did.
type Summary struct {
	Loaded            bool
	ProductionMonths  int     // mine-months of coal output
	CoalTonnes        float64 // all loaded output
	Accidents, Deaths int
	Risks             int
	Hazards           int // reported directly and from inspection findings
	Overdue           int // hazards overdue today
	Inspections       int
	Decisions         int
	Staff             int
	StdRecords        int
	PlanFacts         int
	LedgerSteps       int
	Elapsed           time.Duration
	Parts             map[string]time.Duration // the time each part took
}

// Line is the one-line account the demo command prints.
func (s Summary) Line() string {
	return fmt.Sprintf("Loaded the demo records: %d months of coal output (%.1f Mt), %d accidents (%d deaths), %d risks, %d hazards (%d overdue), %d inspections with %d decisions, %d supervision staff, %d standardisation awards, plan facts of %d mines, %d ledger steps (%s).",
		s.ProductionMonths, s.CoalTonnes/1e6, s.Accidents, s.Deaths, s.Risks, s.Hazards, s.Overdue, s.Inspections, s.Decisions, s.Staff, s.StdRecords, s.PlanFacts, s.LedgerSteps,
		s.Elapsed.Round(time.Millisecond))
}

// Loaded tells whether the demo records are in a's database.
func Loaded(ctx context.Context, a *app.App) (bool, error) { return meta(ctx, a, MetaKey) }

func meta(ctx context.Context, a *app.App, key string) (bool, error) {
	var v string
	err := a.DB.QueryRow(ctx, `SELECT value FROM app_meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

func setMeta(ctx context.Context, a *app.App, key, value string) error {
	_, err := a.DB.Exec(ctx, `INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// mine is a demo mine with its database id.
type mine struct {
	demo.Mine
	ID, EnterpriseID int64
}

// loader holds what the parts share.
type loader struct {
	a     *app.App
	clk   *clock.Fake
	now   time.Time // the reference instant
	today time.Time // its day, 00:00 Asia/Shanghai
	r     *rand.Rand

	hz  *hazard.Service
	acc *accident.Service
	ind *indicator.Service
	enf *enforce.Service

	set    demo.Set
	mines  []*mine
	byName map[string]*mine
	ents   map[string]*auth.Principal // enterprise key → the mine side
	entIDs map[string]int64

	admin, city, county, inspector, enterprise *auth.Principal

	sum Summary
}

// Load puts the demo records into a's database unless they are there
// already; the demo registry (demo.Load) must be loaded. now is the
// reference date.
func Load(ctx context.Context, a *app.App, now time.Time) (Summary, error) {
	start := time.Now()
	var sum Summary
	if ok, err := Loaded(ctx, a); err != nil || ok {
		return sum, err
	}
	if ok, err := demo.Loaded(ctx, a.DB); err != nil {
		return sum, err
	} else if !ok {
		return sum, errors.New("demo records: the demo registry is not loaded (demo.Load first)")
	}
	l, err := newLoader(ctx, a, now)
	if err != nil {
		return sum, err
	}
	l.sum.Parts = map[string]time.Duration{"setup": time.Since(start)}
	// Four lanes run side by side, each on its own clock, random stream
	// and service instances: the parts of a lane depend on each other, the
	// lanes do not. (The time goes mostly to committing transactions, so
	// this roughly halves the load.)
	type part struct {
		name string
		run  func(*loader, context.Context) error
	}
	lanes := [][]part{
		{{"production", (*loader).production}, {"accidents", (*loader).accidents}, {"hazards", (*loader).hazards},
			{"enforcement", (*loader).enforcement}, {"daily", (*loader).daily}},
		{{"risks", (*loader).risks}},
		{{"staff", (*loader).staff}, {"facts", (*loader).facts}},
		{{"standardisation", (*loader).standardisation}},
	}
	// The ledger's items depend on the mines' facts and statuses (a halt
	// in the first lane), so its steps come after the lanes.
	tail := []part{{"ledger", (*loader).ledger}}
	run := func(f *loader, parts []part) error {
		for _, p := range parts {
			key := MetaKey + "." + p.name
			done, err := meta(ctx, a, key)
			if err == nil && !done {
				t0 := time.Now()
				if err = p.run(f, ctx); err == nil {
					err = setMeta(ctx, a, key, "done")
				}
				f.sum.Parts[p.name] = time.Since(t0)
			}
			if err != nil {
				return fmt.Errorf("demo records, %s: %w", p.name, err)
			}
		}
		return nil
	}
	forks := make([]*loader, len(lanes)+1)
	errs := make([]error, len(lanes)+1)
	var wg sync.WaitGroup
	for i, lane := range lanes {
		forks[i] = l.fork(uint64(i + 1))
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = run(forks[i], lane)
		}()
	}
	wg.Wait()
	if errors.Join(errs...) == nil {
		forks[len(lanes)] = l.fork(uint64(len(lanes) + 1))
		errs[len(lanes)] = run(forks[len(lanes)], tail)
	}
	for _, f := range forks {
		if f != nil {
			l.sum.add(f.sum)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return l.sum, err
	}
	if err := setMeta(ctx, a, MetaKey, now.UTC().Format(time.RFC3339)); err != nil {
		return l.sum, err
	}
	l.sum.Loaded = true
	l.sum.Elapsed = time.Since(start)
	return l.sum, nil
}

func newLoader(ctx context.Context, a *app.App, now time.Time) (*loader, error) {
	y, m, d := now.In(clock.Shanghai).Date()
	l := &loader{a: a, clk: clock.NewFake(now), now: now, today: time.Date(y, m, d, 0, 0, 0, 0, clock.Shanghai),
		r: rand.New(rand.NewPCG(0x48_4c_42_52, 2026)), set: demo.Build(now),
		byName: map[string]*mine{}, ents: map[string]*auth.Principal{}, entIDs: map[string]int64{}}
	for _, u := range []struct {
		name string
		p    **auth.Principal
	}{{"admin", &l.admin}, {"city", &l.city}, {"county", &l.county}, {"inspector", &l.inspector}, {"enterprise", &l.enterprise}} {
		usr, err := a.Auth.UserByName(ctx, u.name)
		if err != nil {
			return nil, fmt.Errorf("demo user %s: %w", u.name, err)
		}
		*u.p = usr.Principal()
	}
	all, _, err := a.Registry.ListMines(ctx, auth.System, registry.MineFilter{ListParams: httpx.ListParams{Limit: 1000}})
	if err != nil {
		return nil, err
	}
	byCode := map[string]registry.Mine{}
	for _, rm := range all {
		byCode[rm.Code] = rm
	}
	for _, dm := range l.set.Mines {
		rm, ok := byCode[dm.Code]
		if !ok {
			if rm, err = a.Registry.MineByCode(ctx, dm.Code); err != nil {
				return nil, fmt.Errorf("demo mine %s %s: %w", dm.Code, dm.Name, err)
			}
		}
		m := &mine{Mine: dm, ID: rm.ID, EnterpriseID: rm.EnterpriseID}
		l.mines = append(l.mines, m)
		l.byName[dm.Name] = m
		l.entIDs[dm.EnterpriseKey] = rm.EnterpriseID
	}
	for _, e := range l.set.Enterprises {
		id, ok := l.entIDs[e.Key]
		if !ok {
			continue // owns no mine
		}
		if l.enterprise.EnterpriseID != nil && *l.enterprise.EnterpriseID == id {
			l.ents[e.Key] = l.enterprise
			continue
		}
		// The enterprises without a demo login act through a principal of
		// their own safety department: events name it, no one can log in as it.
		l.ents[e.Key] = &auth.Principal{Username: "demo-" + e.Key, DisplayName: e.Name + "安全管理部（演示）", Role: auth.RoleEnterprise, EnterpriseID: &id}
	}
	return l, nil
}

// add adds the counts of o.
func (s *Summary) add(o Summary) {
	s.ProductionMonths += o.ProductionMonths
	s.CoalTonnes += o.CoalTonnes
	s.Accidents += o.Accidents
	s.Deaths += o.Deaths
	s.Risks += o.Risks
	s.Hazards += o.Hazards
	s.Overdue += o.Overdue
	s.Inspections += o.Inspections
	s.Decisions += o.Decisions
	s.Staff += o.Staff
	s.StdRecords += o.StdRecords
	s.PlanFacts += o.PlanFacts
	s.LedgerSteps += o.LedgerSteps
	for k, v := range o.Parts {
		s.Parts[k] = v
	}
}

// fork answers a copy of l for one lane: its own clock, random stream,
// counts and service instances.
func (l *loader) fork(stream uint64) *loader {
	f := *l
	f.clk = clock.NewFake(l.now)
	f.r = rand.New(rand.NewPCG(0x48_4c_42_52, 2026+stream))
	f.sum = Summary{Parts: map[string]time.Duration{}}
	f.services()
	return &f
}

// services builds the services the loader drives, on its clock. They are
// not started: the app's own instances run the timers.
func (l *loader) services() {
	a := l.a
	l.hz = hazard.NewService(a.DB, l.clk, a.Registry, a.Alarms, nil, hazard.Options{Log: a.Log})
	l.acc = accident.NewService(a.DB, l.clk, a.Registry, accident.Options{Log: a.Log})
	l.ind = indicator.NewService(a.DB, l.clk, a.Registry, l.acc, indicator.Options{Log: a.Log})
	l.enf = enforce.NewService(a.DB, l.clk, a.Registry, nil, nil, enforce.Options{Log: a.Log,
		CreateHazard: func(ctx context.Context, p *auth.Principal, sp enforce.HazardSpec) (int64, error) {
			h, err := l.hz.Create(ctx, p, hazard.HazardInput{MineID: sp.MineID, Level: sp.Level, Source: hazard.SourceInspection,
				Description: sp.Description, Place: sp.Place, CriterionCode: sp.CriterionCode, Deadline: sp.Deadline})
			if err == nil {
				l.sum.Hazards++
			}
			return h.ID, err
		}})
}

// mine answers the demo mine called name (a programming error if missing).
func (l *loader) mine(name string) *mine {
	m, ok := l.byName[name]
	if !ok {
		panic("demo records: no demo mine " + name)
	}
	return m
}

// side answers the principal acting for m's enterprise.
func (l *loader) side(m *mine) *auth.Principal { return l.ents[m.EnterpriseKey] }

// regulator answers who acts for the regulator at m: the county user in
// its division, the inspector in the divisions it covers (for an
// inspection or a verification), the city elsewhere. decide asks for a
// role that may decide, close or fine (not the inspector).
func (l *loader) regulator(m *mine, decide bool) *auth.Principal {
	switch {
	case m.RegionCode == "150725":
		return l.county
	case m.RegionCode == "150724" && !decide:
		return l.inspector
	}
	return l.city
}

// at moves the services' clock to the instant days before today at hh:mm
// Asia/Shanghai (days may be negative), but never past the reference.
func (l *loader) at(days int, hh, mm int) time.Time {
	t := l.today.AddDate(0, 0, -days).Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
	if t.After(l.now) {
		t = l.now
	}
	l.clk.Set(t)
	return t
}

// date answers the date days before today (negative: after).
func (l *loader) date(days int) string { return l.today.AddDate(0, 0, -days).Format("2006-01-02") }

func ptr[T any](v T) *T { return &v }

// pick answers a deterministic whole number in [lo, hi].
func (l *loader) pick(lo, hi int) int { return lo + l.r.IntN(hi-lo+1) }

// between answers a deterministic number in [lo, hi).
func (l *loader) between(lo, hi float64) float64 { return lo + l.r.Float64()*(hi-lo) }

// daily runs the hazard service's daily job now, so that the overdue
// hazards are escalated and the major ones listed for supervision at once
// (the app's own timer ran before the records were there), and counts the
// overdue ones.
func (l *loader) daily(ctx context.Context) error {
	l.clk.Set(l.now)
	if _, err := l.hz.RunDaily(ctx, l.now); err != nil {
		return err
	}
	yes := true
	_, n, err := l.hz.List(ctx, auth.System, hazard.Filter{Overdue: &yes, ListParams: httpx.ListParams{Limit: 1}})
	l.sum.Overdue = n
	return err
}
