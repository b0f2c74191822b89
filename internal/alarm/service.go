package alarm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/events"
	"minesafe/internal/registry"
	"minesafe/internal/rules"
	"minesafe/internal/ruleset"
	"minesafe/internal/store"
	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/catalog"
)

// Options tune the alarm service.
type Options struct {
	TickEvery time.Duration // how often time-driven checks run (default 10 s)
	Log       *slog.Logger
	// Latency, if set, is told how long each alarm took from its sample's
	// arrival to its event on the stream (the ingest bench prints it).
	Latency func(time.Duration)
	// HTTPClient delivers webhooks (default: 10 s timeout).
	Client WebhookClient
}

// Service records alarms and runs the loop.
type Service struct {
	db  *store.DB
	clk clock.Clock
	reg *registry.Service
	tel *telemetry.Service
	log *slog.Logger
	opt Options

	in      chan telemetry.Committed
	ctl     chan func()
	stopped chan struct{} // closed when the loop ends: the bus stops waiting on it

	// Owned by the loop goroutine.
	engine  *rules.Engine
	set     rules.Set
	version int
	active  map[rules.Key]int64
	mines   map[int64]registry.Mine
	loaded  map[int64]bool

	levelsMu sync.RWMutex
	levels   map[int64]rules.Level // mine → highest active level, for the map

	cancel   context.CancelFunc
	wg       sync.WaitGroup
	hooks    *webhooks
	reported ReportedSource
}

// NewService builds the alarm service; Start loads its state and runs it.
func NewService(db *store.DB, clk clock.Clock, reg *registry.Service, tel *telemetry.Service, opt Options) *Service {
	if opt.TickEvery <= 0 {
		opt.TickEvery = 10 * time.Second
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	s := &Service{db: db, clk: clk, reg: reg, tel: tel, log: opt.Log, opt: opt,
		in: make(chan telemetry.Committed, 256), ctl: make(chan func()), stopped: make(chan struct{}),
		active: map[rules.Key]int64{}, mines: map[int64]registry.Mine{}, loaded: map[int64]bool{}, levels: map[int64]rules.Level{}}
	s.hooks = newWebhooks(db, clk, opt.Log, opt.Client)
	tel.Bus().Subscribe("alarms", func(c telemetry.Committed) {
		select {
		case s.in <- c:
		case <-s.stopped:
		}
	})
	tel.OnPointsChanged(func(mineID int64) {
		// Reload on the loop goroutine; never block the caller.
		go func() {
			select {
			case s.ctl <- func() { s.loaded[mineID] = false }:
			case <-s.stopped:
			}
		}()
	})
	return s
}

// SetLatency makes the service tell fn how long each new alarm took from
// its sample's arrival to its event on the stream (the ingest bench). Set
// it before Start.
func (s *Service) SetLatency(fn func(time.Duration)) { s.opt.Latency = fn }

// CurrentRules answers the rule set in force and its version.
func CurrentRules(ctx context.Context, db *store.DB) (rules.Set, int, error) {
	cur, err := ruleset.Ensure(ctx, db, rules.Kind, rules.Default(), "shipped defaults (docs/warnings.md); values marked M are unconfirmed", time.Now())
	if err != nil {
		return rules.Set{}, 0, err
	}
	var set rules.Set
	if err := json.Unmarshal(cur.Body, &set); err != nil {
		return rules.Set{}, 0, fmt.Errorf("warning rules v%d: %w", cur.Version, err)
	}
	return set, cur.Version, nil
}

// Start loads the rules, the points and the open alarms, then runs the loop.
func (s *Service) Start(ctx context.Context) error {
	set, version, err := CurrentRules(ctx, s.db)
	if err != nil {
		return err
	}
	s.set, s.version, s.engine = set, version, rules.NewEngine(set)
	mines, _, err := s.reg.ListMines(ctx, auth.System, registry.MineFilter{})
	if err != nil {
		return err
	}
	for _, m := range mines {
		s.mines[m.ID] = m
		if err := s.loadMine(ctx, m.ID); err != nil {
			return err
		}
	}
	if err := s.restore(ctx); err != nil {
		return err
	}
	ctx, s.cancel = context.WithCancel(ctx)
	s.wg.Add(2)
	go func() { defer s.wg.Done(); defer close(s.stopped); s.loop(ctx) }()
	go func() { defer s.wg.Done(); s.hooks.run(ctx) }()
	return nil
}

// Close stops the loop.
func (s *Service) Close() {
	if s.cancel != nil {
		s.cancel()
	}
	s.wg.Wait()
}

func (s *Service) loop(ctx context.Context) {
	t := time.NewTicker(s.opt.TickEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case c := <-s.in:
			s.handle(ctx, c)
		case fn := <-s.ctl:
			fn()
		case <-t.C:
			s.tick(ctx, s.clk.Now())
		}
	}
}

// do runs fn on the loop goroutine and waits for it.
func (s *Service) do(ctx context.Context, fn func()) error {
	done := make(chan struct{})
	select {
	case s.ctl <- func() { fn(); close(done) }:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Tick runs the time-driven checks (interruption, offline, escalation) at
// now, on the loop goroutine. The loop calls it on its own timer; tests call
// it with a clock they control.
func (s *Service) Tick(ctx context.Context, now time.Time) error {
	return s.do(ctx, func() { s.tick(ctx, now) })
}

// Drain waits until every batch already handed to the service is judged.
func (s *Service) Drain(ctx context.Context) error {
	for {
		var n int
		if err := s.do(ctx, func() { n = len(s.in) }); err != nil {
			return err
		}
		if n == 0 {
			return s.do(ctx, func() {})
		}
		time.Sleep(time.Millisecond)
	}
}

// loadMine (re)reads a mine's facts and points into the engine.
func (s *Service) loadMine(ctx context.Context, mineID int64) error {
	m, err := s.reg.GetMine(ctx, auth.System, mineID)
	if err != nil {
		return err
	}
	s.mines[mineID] = m
	pts, err := s.tel.MinePoints(ctx, mineID)
	if err != nil {
		return err
	}
	var pond *rules.Pond
	if t := m.Tailings; t != nil {
		pond = &rules.Pond{Grade: t.Grade, DesignPhreaticDepthM: t.DesignPhreaticDepthM, DesignFreeboardM: t.DesignFreeboardM, DesignMinDryBeachM: t.DesignMinDryBeachM}
	}
	for _, p := range pts {
		s.engine.SetPoint(pointMeta(m, p, pond))
	}
	s.loaded[mineID] = true
	return nil
}

func pointMeta(m registry.Mine, p telemetry.Point, pond *rules.Pond) rules.Meta {
	noise := 0.0
	if st, ok := catalog.Sensor(p.SensorType); ok {
		noise = st.Noise
	}
	return rules.Meta{PointID: p.ID, MineID: m.ID, MineKind: m.Kind, MineStatus: m.Status, Sensor: p.SensorType, Location: p.LocationClass,
		Switch: p.ValueType == telemetry.ValueSwitch, RangeMin: p.RangeMin, RangeMax: p.RangeMax, PeriodS: p.PeriodS, Noise: noise, Pond: pond,
		Own: rules.Own{AlarmHigh: p.AlarmHigh, CutHigh: p.CutHigh, ResetHigh: p.ResetHigh, AlarmLow: p.AlarmLow, CutLow: p.CutLow, ResetLow: p.ResetLow}}
}

// restore marks the conditions of uncleared alarms active again.
func (s *Service) restore(ctx context.Context) error {
	rows, err := s.db.Query(ctx, `SELECT id, mine_id, point_id, kind, rule, item, current_level, peak_value FROM alarms WHERE cleared_at IS NULL`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, mine int64
		var point *int64
		var kind, rule, item, lvl string
		var peak *float64
		if err := rows.Scan(&id, &mine, &point, &kind, &rule, &item, &lvl, &peak); err != nil {
			return err
		}
		k := rules.Key{MineID: mine, Kind: kind, Rule: rule, Item: item}
		if point != nil {
			k.PointID = *point
		}
		l, _ := rules.ParseLevel(lvl)
		p := 0.0
		if peak != nil {
			p = *peak
		}
		s.engine.Restore(k, l, p)
		s.active[k] = id
	}
	if err := rows.Err(); err != nil {
		return err
	}
	s.publishLevels()
	return nil
}

func (s *Service) handle(ctx context.Context, c telemetry.Committed) {
	if !s.loaded[c.MineID] {
		if err := s.loadMine(ctx, c.MineID); err != nil {
			s.log.Error("load mine for rules", "mine", c.MineID, "err", err)
			return
		}
	}
	var changes []rules.Change
	for _, sm := range c.Samples {
		if !s.engine.HasPoint(sm.PointID) {
			// A point created after the mine was loaded.
			if err := s.loadMine(ctx, c.MineID); err != nil || !s.engine.HasPoint(sm.PointID) {
				continue
			}
		}
		changes = append(changes, s.engine.Evaluate(sm.PointID, sm.Time, sm.Value, sm.Status, c.ReceivedAt)...)
	}
	if len(changes) > 0 {
		s.apply(ctx, changes, c.ReceivedAt)
	}
}

func (s *Service) tick(ctx context.Context, now time.Time) {
	if changes := s.engine.Tick(now); len(changes) > 0 {
		s.apply(ctx, changes, now)
	}
	if err := s.escalate(ctx, now); err != nil && !errors.Is(err, context.Canceled) {
		s.log.Error("escalate alarms", "err", err)
	}
}

// published is what apply tells the stream and webhooks after the commit.
type published struct {
	alarmID int64
	event   string
	notify  bool
}

// apply records a batch's changes in one transaction, then pushes them.
func (s *Service) apply(ctx context.Context, changes []rules.Change, arrival time.Time) {
	// Late data that opened and cleared within the batch: a condition that is
	// already over pages nobody.
	cleared := map[rules.Key]bool{}
	for _, c := range changes {
		if c.Action == rules.Clear {
			cleared[c.Key] = true
		}
	}
	var pubs []published
	now := s.clk.Now()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		pubs = pubs[:0]
		for _, c := range changes {
			p, err := s.record(ctx, tx, c, now, c.Late && cleared[c.Key])
			if err != nil {
				return err
			}
			if p.alarmID != 0 {
				pubs = append(pubs, p)
			}
		}
		return nil
	})
	if err != nil {
		s.log.Error("record alarm changes", "err", err, "changes", len(changes))
		return
	}
	s.publishLevels()
	for _, p := range pubs {
		a, err := s.get(ctx, p.alarmID)
		if err != nil {
			continue
		}
		s.tel.Hub().Publish("alarm", a.MineID, map[string]any{"event": p.event, "alarm": a})
		if s.opt.Latency != nil && p.event == "open" {
			s.opt.Latency(s.clk.Now().Sub(arrival))
		}
		if p.notify {
			s.hooks.enqueue(ctx, a, p.event)
		}
	}
}

// record writes one change; it answers what to push.
func (s *Service) record(ctx context.Context, tx *store.Tx, c rules.Change, now time.Time, suppress bool) (published, error) {
	m := s.mines[c.Key.MineID]
	var point *int64
	if c.Key.PointID != 0 {
		id := c.Key.PointID
		point = &id
	}
	ev := func(id int64, action string) events.Event {
		e := events.New(auth.System, now, "alarm", id, action)
		e.MineID, e.RegionCode, e.EnterpriseID = &m.ID, m.RegionCode, &m.EnterpriseID
		return e
	}
	switch c.Action {
	case rules.Open:
		planned := c.Planned
		if !planned {
			var err error
			if planned, err = inMaintenance(ctx, tx, m.ID, c.Key.PointID, c.At); err != nil {
				return published{}, err
			}
		}
		var peak *float64
		if c.Key.Kind == rules.KindThreshold || c.Key.Kind == rules.KindRate || c.Key.Kind == rules.KindFlatline {
			v := c.Value
			peak = &v
		}
		id, err := tx.Insert(ctx, `INSERT INTO alarms (mine_id, point_id, kind, rule, item, level, current_level, state, planned, late, message, rule_version,
			started_at, opened_at, peak_value, peak_at, last_value, region_code, enterprise_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, point, c.Key.Kind, c.Key.Rule, c.Key.Item, c.Level.String(), c.Level.String(), planned, c.Late, c.Message, s.version,
			c.At.UTC(), now, peak, c.At.UTC(), peak, m.RegionCode, m.EnterpriseID)
		if err != nil {
			return published{}, fmt.Errorf("open alarm %+v: %w", c.Key, err)
		}
		s.active[c.Key] = id
		e := ev(id, "open").WithDetail(map[string]any{"level": c.Level, "kind": c.Key.Kind, "rule": c.Key.Rule, "value": c.Value, "message": c.Message, "rule_version": s.version})
		e.ToState = StateOpen
		if _, err := events.Append(ctx, tx, e); err != nil {
			return published{}, err
		}
		return published{alarmID: id, event: "open", notify: !planned && !suppress}, nil
	case rules.Update:
		id := s.active[c.Key]
		if id == 0 {
			return published{}, nil
		}
		var cur, top string
		if err := tx.QueryRow(ctx, `SELECT current_level, level FROM alarms WHERE id = ?`, id).Scan(&cur, &top); err != nil {
			return published{}, err
		}
		lvl := c.Level.String()
		topL, _ := rules.ParseLevel(top)
		newTop := top
		if c.Level > topL {
			newTop = lvl
		}
		if _, err := tx.Exec(ctx, `UPDATE alarms SET current_level = ?, level = ?, last_value = ?,
			peak_value = CASE WHEN ? THEN ? ELSE peak_value END, peak_at = CASE WHEN ? THEN ? ELSE peak_at END WHERE id = ?`,
			lvl, newTop, c.Value, c.Peak, c.Value, c.Peak, c.At.UTC(), id); err != nil {
			return published{}, err
		}
		if cur == lvl {
			return published{}, nil // only the peak moved
		}
		e := ev(id, "level").WithDetail(map[string]any{"from": cur, "to": lvl, "value": c.Value})
		if _, err := events.Append(ctx, tx, e); err != nil {
			return published{}, err
		}
		return published{alarmID: id, event: "level", notify: c.Level > topL}, nil
	case rules.Clear:
		id := s.active[c.Key]
		if id == 0 {
			return published{}, nil
		}
		delete(s.active, c.Key)
		if _, err := tx.Exec(ctx, `UPDATE alarms SET cleared_at = ?, last_value = ? WHERE id = ?`, c.At.UTC(), c.Value, id); err != nil {
			return published{}, err
		}
		e := ev(id, "clear").WithDetail(map[string]any{"value": c.Value, "message": c.Message})
		if _, err := events.Append(ctx, tx, e); err != nil {
			return published{}, err
		}
		return published{alarmID: id, event: "clear"}, nil
	}
	return published{}, nil
}

func (s *Service) publishLevels() {
	lv := s.engine.MineLevels()
	s.levelsMu.Lock()
	s.levels = lv
	s.levelsMu.Unlock()
}

// MineLevel answers the highest active level of a mine ("" when none).
func (s *Service) MineLevel(mineID int64) string {
	s.levelsMu.RLock()
	defer s.levelsMu.RUnlock()
	if l := s.levels[mineID]; l > rules.None {
		return l.String()
	}
	return ""
}

func inMaintenance(ctx context.Context, tx *store.Tx, mineID, pointID int64, at time.Time) (bool, error) {
	rows, err := tx.Query(ctx, `SELECT point_ids FROM maintenance_windows WHERE mine_id = ? AND archived_at IS NULL AND from_at <= ? AND to_at > ?`, mineID, at.UTC(), at.UTC())
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return false, err
		}
		var ids []int64
		_ = json.Unmarshal([]byte(raw), &ids)
		if len(ids) == 0 {
			return true, nil // the whole mine
		}
		for _, id := range ids {
			if id == pointID {
				return true, nil
			}
		}
	}
	return false, rows.Err()
}
