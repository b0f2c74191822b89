package hazard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"minesafe/internal/alarm"
	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/files"
	"minesafe/internal/registry"
	"minesafe/internal/ruleset"
	"minesafe/internal/store"
)

// Alarms is what the service needs of the alarm capability: an alarm's
// facts, read in the caller's scope, to report a hazard from it.
type Alarms interface {
	Get(ctx context.Context, p *auth.Principal, id int64) (alarm.Alarm, error)
}

// Options tune the service.
type Options struct {
	// Publish pushes a change on the live stream (the telemetry hub's
	// Publish); nil pushes nothing.
	Publish func(typ string, mineID int64, data any)
	// TickEvery is how often the daily job looks whether a new day has
	// begun in Asia/Shanghai (default 1 min).
	TickEvery time.Duration
	Log       *slog.Logger
}

// Service runs the risk register, the catalogues and the hazard loop.
type Service struct {
	db     *store.DB
	clk    clock.Clock
	reg    *registry.Service
	alarms Alarms
	files  *files.Service
	opt    Options

	docs sync.Map // catalogue version → *Document (versions never change)

	dailyMu sync.Mutex // one daily run at a time (timer and callers)
	lastDay string     // the Shanghai day of the last timer run
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// RecordType is how events and attachments name a hazard; risks are
// "risk".
const RecordType = "hazard"

// NewService builds the service. It registers the hazard record type with
// the files service, so that attached photos are served to those who may
// see the hazard. Start runs the daily job.
func NewService(db *store.DB, clk clock.Clock, reg *registry.Service, alarms Alarms, fs *files.Service, opt Options) *Service {
	if opt.TickEvery <= 0 {
		opt.TickEvery = time.Minute
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Publish == nil {
		opt.Publish = func(string, int64, any) {}
	}
	s := &Service{db: db, clk: clk, reg: reg, alarms: alarms, files: fs, opt: opt}
	if fs != nil {
		fs.RegisterOwner(RecordType, func(ctx context.Context, p *auth.Principal, id int64) error {
			_, err := s.get(ctx, p, id)
			return err
		})
	}
	return s
}

// Start puts the shipped catalogue and rules in place (version 1, when
// there is none yet) and starts the timer of the daily job, which runs
// once per day in Asia/Shanghai (and once now).
func (s *Service) Start(ctx context.Context) error {
	if _, _, err := s.rules(ctx); err != nil {
		return err
	}
	if _, _, err := s.document(ctx, 0); err != nil {
		return err
	}
	ctx, s.cancel = context.WithCancel(ctx)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(s.opt.TickEvery)
		defer t.Stop()
		for {
			if day := clock.Today(s.clk.Now()); day != s.lastDay {
				if _, err := s.RunDaily(ctx, s.clk.Now()); err != nil && !errors.Is(err, context.Canceled) {
					s.opt.Log.Error("hazard daily job", "err", err)
				} else {
					s.lastDay = day
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return nil
}

// Close stops the timer.
func (s *Service) Close() {
	if s.cancel != nil {
		s.cancel()
	}
	s.wg.Wait()
}

func (s *Service) now() time.Time { return s.clk.Now().UTC().Truncate(time.Microsecond) }

// rules answers the rules in force and their version, putting the
// defaults in place as version 1 when there are none.
func (s *Service) rules(ctx context.Context) (Rules, int, error) {
	cur, err := ruleset.Ensure(ctx, s.db, RulesKind, DefaultRules(),
		"shipped defaults (docs/hazards.md): LEC bands standard; L×S bands and supervision days to be confirmed by the regulator", s.now())
	if err != nil {
		return Rules{}, 0, err
	}
	var r Rules
	if err := json.Unmarshal(cur.Body, &r); err != nil {
		return Rules{}, 0, fmt.Errorf("hazard rules v%d: %w", cur.Version, err)
	}
	return r, cur.Version, nil
}

// document answers catalogue version (0: the one in force) and its
// rule-set row, putting the shipped catalogue in place as version 1 when
// there is none.
func (s *Service) document(ctx context.Context, version int) (*Document, ruleset.Set, error) {
	var set ruleset.Set
	var err error
	if version == 0 {
		set, err = ruleset.Current(ctx, s.db, s.db, CriteriaKind)
		if errors.Is(err, ruleset.ErrNone) {
			set, err = s.ensureCriteria(ctx)
		}
	} else {
		set, err = ruleset.Get(ctx, s.db, CriteriaKind, version)
	}
	if err != nil {
		return nil, set, err
	}
	if d, ok := s.docs.Load(set.Version); ok {
		return d.(*Document), set, nil
	}
	d, err := parseDocument(set.Body)
	if err != nil {
		return nil, set, err
	}
	s.docs.Store(set.Version, d)
	return d, set, nil
}

func (s *Service) ensureCriteria(ctx context.Context) (ruleset.Set, error) {
	d, err := parseDocument(shippedCriteria)
	if err != nil {
		return ruleset.Set{}, err
	}
	if err := d.validate(); err != nil {
		return ruleset.Set{}, fmt.Errorf("shipped hazard criteria: %w", err)
	}
	return ruleset.Ensure(ctx, s.db, CriteriaKind, d,
		"shipped: 应急管理部令第4号 (2020) and 矿安〔2022〕88号 from shared/domain/hazard-criteria.json; rows marked P or R are unverified wording", s.now())
}
