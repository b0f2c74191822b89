// Package enforce is supervision and enforcement (监管执法): annual inspection
// plans with risk-based frequencies (一矿一策) and reproducible random draws
// (双随机); inspection records with inspectors, checklists by mine kind and
// findings that become hazards and/or violations; decisions (rectify by a
// date, halt 停产整顿, fines within the discretion benchmark 裁量基准) with
// receipt, payment, transfer (移交) and re-check (复查); the blacklist
// (黑名单); the on-site inspection record and rectification order as PDF;
// and the electronic-seal watch (电子封条), which raises "illegal production
// suspected" alarms for sealed mines through the alarm loop.
//
// docs/enforcement.md describes the loops, roles and defaults.
package enforce

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"minesafe/internal/alarm"
	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/events"
	"minesafe/internal/export"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/telemetry"
)

// HazardSpec is what a finding tells the hazard register when it becomes a
// hidden hazard (隐患) in the hazard loop.
type HazardSpec struct {
	MineID        int64  `json:"mine_id"`
	InspectionID  int64  `json:"inspection_id"`
	FindingID     int64  `json:"finding_id"`
	Description   string `json:"description"`
	Place         string `json:"place"`          // where the inspection found it
	Level         string `json:"level"`          // general (一般) or major (重大)
	CriterionCode string `json:"criterion_code"` // the 判定标准 case a major hazard meets
	LegalBasis    string `json:"legal_basis"`
	Deadline      string `json:"deadline"` // YYYY-MM-DD, the rectification deadline
	FoundOn       string `json:"found_on"` // YYYY-MM-DD, the inspection's date
	Source        string `json:"source"`   // "inspection"
}

// Options tune the service. CreateHazard is the hazard register's entry
// (wired by the app); without it, inspections whose findings become hazards
// cannot be submitted.
type Options struct {
	CreateHazard func(ctx context.Context, p *auth.Principal, spec HazardSpec) (int64, error)
	// FontPath is the TrueType CJK font the PDF documents embed
	// (default export.DefaultFont).
	FontPath string
	Log      *slog.Logger
	// SealLevel is the level of "illegal production suspected" alarms
	// (default red).
	SealLevel string
	// SealQuiet is how long after a seal's last event its alarm clears
	// (default 1 h), so that people can close it once verified.
	SealQuiet time.Duration
	// PowerHold is how long a sealed mine's power must stay above its
	// baseline before the alarm opens (default 10 min): a pump starting is
	// not production.
	PowerHold time.Duration
	// TickEvery is how often the seal watch clears quiet seals (default 1 min).
	TickEvery time.Duration
}

// Service is the enforcement capability.
type Service struct {
	db     *store.DB
	clk    clock.Clock
	reg    *registry.Service
	alarms *alarm.Service
	tel    *telemetry.Service
	opt    Options
	log    *slog.Logger
	seals  *sealWatch

	// submitting serialises submits of an inspection (by id modulo its
	// size) on this node, so two concurrent submits never register a
	// finding's hazard twice.
	submitting [32]sync.Mutex

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewService builds the service; Start runs the seal watch's timer. It
// subscribes to the telemetry bus at once, so no batch committed before
// Start is missed.
func NewService(db *store.DB, clk clock.Clock, reg *registry.Service, alarms *alarm.Service, tel *telemetry.Service, opt Options) *Service {
	if opt.FontPath == "" {
		opt.FontPath = export.DefaultFont
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.SealLevel == "" {
		opt.SealLevel = "red"
	}
	if opt.SealQuiet <= 0 {
		opt.SealQuiet = time.Hour
	}
	if opt.PowerHold <= 0 {
		opt.PowerHold = 10 * time.Minute
	}
	if opt.TickEvery <= 0 {
		opt.TickEvery = time.Minute
	}
	s := &Service{db: db, clk: clk, reg: reg, alarms: alarms, tel: tel, opt: opt, log: opt.Log}
	s.seals = newSealWatch(s)
	if tel != nil && alarms != nil {
		tel.Bus().Subscribe("seals", s.seals.onCommitted)
		tel.OnPointsChanged(s.seals.forgetPoints)
	}
	return s
}

// Start seeds the rule tables with their defaults, restores the seal
// conditions that are still open and runs the seal watch's timer.
func (s *Service) Start(ctx context.Context) error {
	for _, k := range []interface {
		ensure(ctx context.Context, s *Service) error
	}{discretionRules, checklistRules, frequencyRules} {
		if err := k.ensure(ctx, s); err != nil {
			return err
		}
	}
	if err := s.seals.restore(ctx); err != nil {
		return err
	}
	ctx, s.cancel = context.WithCancel(ctx)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(s.opt.TickEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.SealTick(ctx, s.clk.Now())
			}
		}
	}()
	return nil
}

// Close stops the timer and the seal watch's pending alarm calls.
func (s *Service) Close() {
	if s.cancel != nil {
		s.cancel()
	}
	s.seals.close()
	s.wg.Wait()
}

func (s *Service) now() time.Time { return s.clk.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) today() string { return clock.Today(s.clk.Now()) }

// place is where a record sits, for its events and scope.
type place struct {
	mineID       int64
	regionCode   string
	enterpriseID int64
}

// event starts an event of p on a record at a place.
func (s *Service) event(p *auth.Principal, recordType string, id int64, action string, at place) events.Event {
	e := events.New(p, s.now(), recordType, id, action)
	e.RegionCode = at.regionCode
	if at.enterpriseID != 0 {
		eid := at.enterpriseID
		e.EnterpriseID = &eid
	}
	if at.mineID != 0 {
		mid := at.mineID
		e.MineID = &mid
	}
	return e
}

// appendEvent writes an event with its detail and reason inside tx.
func (s *Service) appendEvent(ctx context.Context, tx *store.Tx, p *auth.Principal, recordType string, id int64, action string, at place, detail any, reason string) error {
	e := s.event(p, recordType, id, action, at).WithDetail(detail)
	e.Reason = reason
	_, err := events.Append(ctx, tx, e)
	return err
}
