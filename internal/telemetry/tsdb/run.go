package tsdb

import (
	"context"
	"time"

	"minesafe/internal/store"
)

// Run compacts every CompactEvery and applies retention at start and every
// RetainEvery, until ctx ends. Errors are logged and retried at the next
// tick: the staging log keeps everything meanwhile.
func (s *Store) Run(ctx context.Context) {
	tick := time.NewTicker(s.opt.CompactEvery)
	defer tick.Stop()
	var retain <-chan time.Time
	if s.opt.RetainEvery > 0 {
		rt := time.NewTicker(s.opt.RetainEvery)
		defer rt.Stop()
		retain = rt.C
		s.retainNow(ctx)
	}
	lastVacuum := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.kick:
			s.compactLogged(ctx)
		case <-tick.C:
			if err := s.ensureAheadLocked(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("create partitions", "err", err)
			}
			s.compactLogged(ctx)
			// PostgreSQL: the staging table churns; vacuum it often so its
			// pages are reused rather than grown (autovacuum also runs).
			if s.db.Dialect == store.Postgres && time.Since(lastVacuum) > time.Minute {
				lastVacuum = time.Now()
				if _, err := s.db.ExecContext(ctx, `VACUUM tsdb_staged`); err != nil && ctx.Err() == nil {
					s.log.Warn("vacuum staging", "err", err)
				}
				s.refreshHorizon(ctx)
			}
		case <-retain:
			s.retainNow(ctx)
		}
	}
}

func (s *Store) compactLogged(ctx context.Context) {
	if _, err := s.compact(ctx, false); err != nil && ctx.Err() == nil {
		s.log.Error("compaction failed; staged samples stay staged", "err", err)
	}
}

func (s *Store) ensureAheadLocked(ctx context.Context) error {
	s.compactMu.Lock()
	defer s.compactMu.Unlock()
	return s.ensureAhead(ctx)
}

// refreshHorizon learns a retention run of another node.
func (s *Store) refreshHorizon(ctx context.Context) {
	if h, err := getMeta(ctx, s.db, "raw_horizon"); err == nil {
		s.mu.Lock()
		s.horizon = max(s.horizon, h)
		s.mu.Unlock()
	}
}

func (s *Store) retainNow(ctx context.Context) {
	now := s.opt.Now()
	if s.opt.Retention > 0 {
		if _, err := s.Retain(ctx, now.Add(-s.opt.Retention)); err != nil && ctx.Err() == nil {
			s.log.Error("retention failed", "err", err)
		}
	}
	if s.opt.MinuteRetention > 0 {
		if _, err := s.RetainMinutes(ctx, now.Add(-s.opt.MinuteRetention)); err != nil && ctx.Err() == nil {
			s.log.Error("minute retention failed", "err", err)
		}
	}
}

// Start runs Run in the background until Close.
func (s *Store) Start(ctx context.Context) {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	if s.runStop != nil {
		return
	}
	ctx, s.runStop = context.WithCancel(ctx)
	s.runDone = make(chan struct{})
	go func() {
		defer close(s.runDone)
		s.Run(ctx)
	}()
}

// Close stops what Start started and waits for it. Nothing needs flushing:
// staged samples are durable and recovered by the next Open.
func (s *Store) Close() {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	if s.runStop != nil {
		s.runStop()
		<-s.runDone
		s.runStop = nil
	}
}
