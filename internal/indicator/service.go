// Package indicator computes the plan's indicators (专栏1: accidents,
// deaths, 较大 and 重特大 accidents, the coal 百万吨死亡率) against the 2025
// base and the 2030 targets, and the plan's other targets: the share of
// professionals among supervision staff, standardisation, safety liability
// insurance, monitoring and certificate coverage. It keeps the plan's task
// ledger (what each mine, division and the city owes and by when), the
// facts the tasks bind by (mine_plan_facts, extending the registry's mine
// record), the dashboard API and the annual and mid-term reports (PDF and
// XLSX), reproducible for any year from the stored data.
//
//	NewService(db, clk, reg, accidents, Options) *Service
//	(*Service).Routes(r); Start(ctx) error; Close()
//	Indicators(ctx, p, year, regionCode) (Set, error)
//	Dashboard(ctx, p, year, regionCode) (Dashboard, error)
//	AnnualReport / MidtermReport (PDF or XLSX bytes)
//	SetBase, Staff…, Standardisation…, PlanFacts…, Ledger…
//
// Targets (kind "plan_targets") and the standardisation grading rule (kind
// "std_grade") are versioned rule data. Every write appends its event in
// the same transaction.
package indicator

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"minesafe/internal/accident"
	"minesafe/internal/accident/kit"
	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/telemetry"
)

// MonitoringSource answers the monitoring coverage (the telemetry service).
type MonitoringSource interface {
	MonitoringCoverage(ctx context.Context, p *auth.Principal) (telemetry.Coverage, error)
}

// RaiseHazardFunc raises a hidden hazard at a mine for an overdue task, with
// the rectification deadline (YYYY-MM-DD), and answers the hazard's id.
type RaiseHazardFunc func(ctx context.Context, p *auth.Principal, mineID int64, description, deadline string) (int64, error)

// Options tune the service; the lead wires Monitoring and RaiseHazard.
type Options struct {
	Log *slog.Logger
	// FontPath is the PDF reports' CJK TrueType font (export.DefaultFont
	// when empty).
	FontPath string
	// Monitoring answers the monitoring coverage; nil leaves the figure
	// without a value, saying so.
	Monitoring MonitoringSource
	// RaiseHazard raises a hazard for an overdue ledger item; nil refuses
	// raise-hazard with 409.
	RaiseHazard RaiseHazardFunc
	// HazardURL links a raised hazard, with its id (default
	// /api/v1/hazards/%d).
	HazardURL string
	// CheckEvery is how often the year's turn is checked to freeze the
	// previous year's state figures (default 1 h).
	CheckEvery time.Duration
}

// Service is the indicator capability.
type Service struct {
	db  *store.DB
	clk clock.Clock
	reg *registry.Service
	acc *accident.Service
	log *slog.Logger
	opt Options

	targets *kit.Rule[Targets]
	stdRule *kit.Rule[StdRule]

	seedOnce sync.Mutex
	seeded   bool
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

// NewService answers the indicator service; Start seeds the plan's tasks
// and runs the yearly snapshot.
func NewService(db *store.DB, clk clock.Clock, reg *registry.Service, acc *accident.Service, opt Options) *Service {
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.HazardURL == "" {
		opt.HazardURL = "/api/v1/hazards/%d"
	}
	if opt.CheckEvery <= 0 {
		opt.CheckEvery = time.Hour
	}
	return &Service{db: db, clk: clk, reg: reg, acc: acc, log: opt.Log, opt: opt,
		targets: kit.NewRule(db, clk, TargetsKind, DefaultTargets, targetsNote),
		stdRule: kit.NewRule(db, clk, StdGradeKind, DefaultStdRule, stdRuleNote)}
}

// Start stores the default rule versions, seeds the plan's tasks, freezes
// the previous year's state figures when that was not done yet, and checks
// the year's turn every CheckEvery until ctx ends or Close.
func (s *Service) Start(ctx context.Context) error {
	if err := s.targets.Ensure(ctx); err != nil {
		return err
	}
	if err := s.stdRule.Ensure(ctx); err != nil {
		return err
	}
	if err := s.ensureSeeded(ctx); err != nil {
		return err
	}
	if err := s.SnapshotDue(ctx); err != nil {
		return err
	}
	ctx, s.cancel = context.WithCancel(ctx)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(s.opt.CheckEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := s.SnapshotDue(ctx); err != nil && ctx.Err() == nil {
					s.log.Error("indicator snapshot", "err", err)
				}
			}
		}
	}()
	return nil
}

// Close stops the yearly check.
func (s *Service) Close() {
	if s.cancel != nil {
		s.cancel()
	}
	s.wg.Wait()
}

// now is truncated to microseconds, the precision PostgreSQL keeps.
func (s *Service) now() time.Time { return s.clk.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) today() string { return clock.Today(s.clk.Now()) }

func signedIn(p *auth.Principal) error {
	if p == nil {
		return fail.Unauthenticatedf("log in or send a bearer token")
	}
	return nil
}

// cityEditors: admin and city users keep the plan's data (targets, bases,
// standardisation records, task definitions).
func cityEditors(p *auth.Principal, what string) error {
	if p.Is(auth.RoleAdmin, auth.RoleCity) {
		return nil
	}
	return fail.Forbiddenf("role %s may not change %s (admin and city users do)", p.Role, what)
}

// event appends the audit event of a change. mine may be nil; region is the
// division the record belongs to.
func (s *Service) event(ctx context.Context, tx *store.Tx, p *auth.Principal, recordType string, id int64, action string, region string, mine *registry.Mine, detail any, reason string) error {
	ev := events.New(p, s.now(), recordType, id, action).WithDetail(detail)
	ev.Reason, ev.RegionCode = reason, region
	if mine != nil {
		ev.RegionCode, ev.MineID, ev.EnterpriseID = mine.RegionCode, &mine.ID, &mine.EnterpriseID
	}
	_, err := events.Append(ctx, tx, ev)
	return err
}

// area is the part of the city a figure covers: a division, the whole city,
// the divisions of a county user, or an enterprise user's own mines.
type area struct {
	Code       string // the division's or the city's code; "" for a scope that is neither
	Name       string
	Divisions  []registry.Region
	Whole      bool // every division of the city
	Enterprise bool // an enterprise user's mines (entered base data does not apply)
}

func (a area) has(code string) bool {
	for _, d := range a.Divisions {
		if d.Code == code {
			return true
		}
	}
	return false
}

// regions answers the city and its divisions.
func (s *Service) regions(ctx context.Context) (registry.Region, []registry.Region, error) {
	rs, err := s.reg.Regions(ctx, auth.System)
	if err != nil {
		return registry.Region{}, nil, err
	}
	var city registry.Region
	var divs []registry.Region
	for _, r := range rs {
		switch r.Level {
		case "city":
			city = r
		case "county":
			divs = append(divs, r)
		}
	}
	return city, divs, nil
}

// area resolves region_code for p: empty is everything p sees, the city's
// code the whole city (for those who see it), a division that division.
// Outside p's scope reads as missing.
func (s *Service) area(ctx context.Context, p *auth.Principal, code string) (area, error) {
	if err := signedIn(p); err != nil {
		return area{}, err
	}
	city, divs, err := s.regions(ctx)
	if err != nil {
		return area{}, err
	}
	if p.Is(auth.RoleEnterprise) {
		a := area{Code: code, Name: "本企业矿山", Divisions: divs, Enterprise: true}
		if code != "" && code != city.Code {
			a.Divisions = nil
			for _, d := range divs {
				if d.Code == code {
					a.Divisions, a.Name = []registry.Region{d}, d.Name+"（本企业矿山）"
				}
			}
			if a.Divisions == nil {
				return area{}, fail.NotFoundf("no such region %s", code)
			}
		}
		return a, nil
	}
	if code == "" && p.AllRegions() || code != "" && code == city.Code {
		if !p.AllRegions() {
			return area{}, fail.NotFoundf("no such region %s", code)
		}
		return area{Code: city.Code, Name: city.Name, Divisions: divs, Whole: true}, nil
	}
	var seen []registry.Region
	for _, d := range divs {
		if p.SeesRegion(d.Code) && (code == "" || code == d.Code) {
			seen = append(seen, d)
		}
	}
	switch {
	case len(seen) == 0:
		return area{}, fail.NotFoundf("no such region %s", code)
	case len(seen) == 1:
		return area{Code: seen[0].Code, Name: seen[0].Name, Divisions: seen}, nil
	}
	names := make([]string, len(seen))
	for i, d := range seen {
		names[i] = d.Name
	}
	return area{Name: strings.Join(names, "、"), Divisions: seen}, nil
}

// drill answers path with the area's region_code added to query.
func (a area) drill(path, query string) string {
	if a.Code != "" {
		if query != "" {
			query += "&"
		}
		query += "region_code=" + a.Code
	}
	if query == "" {
		return path
	}
	return path + "?" + query
}
