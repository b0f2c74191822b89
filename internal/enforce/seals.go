package enforce

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"minesafe/internal/alarm"
	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/store"
	"minesafe/internal/telemetry"
)

// Alarm kind and rules of the seal watch (docs/warnings.md, "seal").
const (
	SealKind      = "seal"
	SealRuleEvent = "seal.event"
	SealRulePower = "seal.power"
)

// Sensor types the seal watch reads.
const (
	sensorSeal  = "seal_event"
	sensorPower = "power"
)

// sealedStatuses are the mine statuses under seal: suspended (停产), closed
// (关闭) and halted (停产整顿).
var sealedStatuses = map[string]string{"suspended": "停产", "closed": "关闭", "halted": "停产整顿"}

// DefaultTolerancePct is how far above its baseline a sealed mine's power
// may go before production is suspected.
const DefaultTolerancePct = 20.0

// medianWindow and medianMinHours: a baseline not declared is the median
// of a power point's hourly means over the last 7 days, when at least a day
// of them exists.
const (
	medianWindow   = 7 * 24 * time.Hour
	medianMinHours = 24
)

// Cache lifetimes: the registry and the baselines change rarely and this
// service drops its entries when it changes them itself.
const (
	statusTTL   = 30 * time.Second
	baselineTTL = time.Minute
	medianTTL   = time.Hour
)

type sealKey struct {
	mine, point int64
	rule        string
}

type cached[T any] struct {
	v  T
	at time.Time
}

// sealWatch judges the samples of seal and power points of sealed mines
// and raises or clears their alarms in the alarm loop. Batches arrive on
// the bus's one goroutine for this consumer; the timer clears quiet seals.
type sealWatch struct {
	s      *Service
	ctx    context.Context
	cancel context.CancelFunc

	cacheMu   sync.Mutex
	status    map[int64]cached[string]            // mine → status
	points    map[int64]map[int64]telemetry.Point // mine → its seal and power points
	baselines map[int64]cached[*PowerBaseline]    // mine → declared baseline (nil: none)
	medians   map[int64]cached[*float64]          // power point → median of hourly means

	mu        sync.Mutex // the judging state below, one batch or tick at a time
	active    map[sealKey]bool
	lastEvent map[sealKey]time.Time
	pending   map[int64]time.Time // power point → first reading above the limit
}

func newSealWatch(s *Service) *sealWatch {
	ctx, cancel := context.WithCancel(context.Background())
	return &sealWatch{s: s, ctx: ctx, cancel: cancel,
		status: map[int64]cached[string]{}, points: map[int64]map[int64]telemetry.Point{},
		baselines: map[int64]cached[*PowerBaseline]{}, medians: map[int64]cached[*float64]{},
		active: map[sealKey]bool{}, lastEvent: map[sealKey]time.Time{}, pending: map[int64]time.Time{}}
}

func (w *sealWatch) close() { w.cancel() }

// restore marks the seal alarms still uncleared as active; their quiet time
// starts again now.
func (w *sealWatch) restore(ctx context.Context) error {
	if w.s.alarms == nil {
		return nil
	}
	open := false
	list, _, err := w.s.alarms.List(ctx, auth.System, alarm.Filter{Kind: SealKind, Cleared: &open})
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.s.clk.Now()
	for _, a := range list {
		if a.PointID == nil {
			continue
		}
		k := sealKey{a.MineID, *a.PointID, a.Rule}
		w.active[k], w.lastEvent[k] = true, now
	}
	return nil
}

// forgetPoints drops a mine's cached points (telemetry tells when they change).
func (w *sealWatch) forgetPoints(mineID int64) {
	w.cacheMu.Lock()
	delete(w.points, mineID)
	w.cacheMu.Unlock()
}

// forgetMine drops a mine's cached status and baseline (after a halt, a
// lift or a new baseline).
func (w *sealWatch) forgetMine(mineID int64) {
	w.cacheMu.Lock()
	delete(w.status, mineID)
	delete(w.baselines, mineID)
	w.cacheMu.Unlock()
}

func (w *sealWatch) mineStatus(ctx context.Context, mineID int64) (string, error) {
	now := time.Now()
	w.cacheMu.Lock()
	c, ok := w.status[mineID]
	w.cacheMu.Unlock()
	if ok && now.Sub(c.at) < statusTTL {
		return c.v, nil
	}
	m, err := w.s.reg.GetMine(ctx, auth.System, mineID)
	if err != nil {
		return "", err
	}
	w.cacheMu.Lock()
	w.status[mineID] = cached[string]{m.Status, now}
	w.cacheMu.Unlock()
	return m.Status, nil
}

// watchedPoints answers a mine's seal and power points by id.
func (w *sealWatch) watchedPoints(ctx context.Context, mineID int64) (map[int64]telemetry.Point, error) {
	w.cacheMu.Lock()
	pts, ok := w.points[mineID]
	w.cacheMu.Unlock()
	if ok {
		return pts, nil
	}
	all, err := w.s.tel.MinePoints(ctx, mineID)
	if err != nil {
		return nil, err
	}
	pts = map[int64]telemetry.Point{}
	for _, p := range all {
		if p.SensorType == sensorSeal || p.SensorType == sensorPower {
			pts[p.ID] = p
		}
	}
	w.cacheMu.Lock()
	w.points[mineID] = pts
	w.cacheMu.Unlock()
	return pts, nil
}

func (w *sealWatch) onCommitted(c telemetry.Committed) {
	ctx := w.ctx
	if ctx.Err() != nil {
		return
	}
	pts, err := w.watchedPoints(ctx, c.MineID)
	if err != nil || len(pts) == 0 {
		if err != nil && ctx.Err() == nil {
			w.s.log.Error("seal watch: points", "mine", c.MineID, "err", err)
		}
		return
	}
	status, err := w.mineStatus(ctx, c.MineID)
	if err != nil {
		if ctx.Err() == nil {
			w.s.log.Error("seal watch: mine", "mine", c.MineID, "err", err)
		}
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, sealed := sealedStatuses[status]; !sealed {
		w.release(ctx, c.MineID, pts, status, c.ReceivedAt)
		return
	}
	for _, sm := range c.Samples {
		pt, ok := pts[sm.PointID]
		switch {
		case !ok:
		case pt.SensorType == sensorSeal && sm.Value >= 0.5:
			w.sealEvent(ctx, pt, status, c.ReceivedAt, sm.Time)
		case pt.SensorType == sensorPower:
			w.power(ctx, pt, status, sm)
		}
	}
}

// sealEvent: a person or vehicle passed, or equipment started, at a sealed
// entrance. The point's open text says which (人员通过, 车辆通过, 设备启动).
func (w *sealWatch) sealEvent(ctx context.Context, pt telemetry.Point, status string, arrival, at time.Time) {
	k := sealKey{pt.MineID, pt.ID, SealRuleEvent}
	if arrival.After(w.lastEvent[k]) {
		w.lastEvent[k] = arrival
	}
	if w.active[k] {
		return
	}
	what := strings.TrimSpace(pt.OpenText)
	if what == "" {
		what = "触发"
	}
	where := strings.TrimSpace(pt.Location)
	if where == "" {
		where = pt.Code
	}
	msg := fmt.Sprintf("疑似非法生产：%s矿山电子封条「%s」报告%s，须现场核查", sealedStatuses[status], where, what)
	w.raise(ctx, k, msg, at)
}

// power judges a sealed mine's power reading against its baseline: above
// baseline × (1 + tolerance) for PowerHold opens; at or below baseline ×
// (1 + tolerance/2) clears, so readings near the limit do not flap.
func (w *sealWatch) power(ctx context.Context, pt telemetry.Point, status string, sm telemetry.Sample) {
	base, tol, source, err := w.baseline(ctx, pt.MineID, pt.ID)
	if err != nil {
		if ctx.Err() == nil {
			w.s.log.Error("seal watch: baseline", "mine", pt.MineID, "point", pt.ID, "err", err)
		}
		return
	}
	if base == nil {
		return // no baseline: declare one (PUT /api/v1/mines/{id}/power-baseline)
	}
	limit, clearAt := *base*(1+tol/100), *base*(1+tol/200)
	k := sealKey{pt.MineID, pt.ID, SealRulePower}
	if sm.Value <= limit {
		delete(w.pending, pt.ID)
		if w.active[k] && sm.Value <= clearAt {
			w.clear(ctx, k, fmt.Sprintf("用电功率 %.1f kW 回落至基线附近", sm.Value), sm.Time)
		}
		return
	}
	if w.active[k] {
		return
	}
	since, ok := w.pending[pt.ID]
	if !ok || sm.Time.Before(since) {
		w.pending[pt.ID], since = sm.Time, sm.Time
	}
	if sm.Time.Sub(since) < w.s.opt.PowerHold {
		return
	}
	delete(w.pending, pt.ID)
	msg := fmt.Sprintf("疑似非法生产：%s矿山用电功率 %.1f kW，高于基线 %.1f kW（%s）超过 %.0f%% 已持续 %s，须现场核查",
		sealedStatuses[status], sm.Value, *base, source, tol, sm.Time.Sub(since).Round(time.Second))
	w.raise(ctx, k, msg, since)
}

// release clears the seal conditions of a mine that is no longer sealed.
func (w *sealWatch) release(ctx context.Context, mineID int64, pts map[int64]telemetry.Point, status string, at time.Time) {
	for k := range w.active {
		if k.mine == mineID {
			w.clear(ctx, k, fmt.Sprintf("矿山状态已为 %s，不再封停", status), at)
		}
	}
	for pid := range pts {
		delete(w.pending, pid)
	}
}

func (w *sealWatch) raise(ctx context.Context, k sealKey, msg string, at time.Time) {
	if _, err := w.s.alarms.RaiseExternal(ctx, k.mine, k.point, SealKind, k.rule, w.s.opt.SealLevel, msg, at); err != nil {
		if ctx.Err() == nil {
			w.s.log.Error("seal watch: raise alarm", "mine", k.mine, "point", k.point, "rule", k.rule, "err", err)
		}
		return
	}
	w.active[k] = true
}

func (w *sealWatch) clear(ctx context.Context, k sealKey, msg string, at time.Time) {
	if _, err := w.s.alarms.ClearExternal(ctx, k.mine, k.point, SealKind, k.rule, msg, at); err != nil {
		if ctx.Err() == nil {
			w.s.log.Error("seal watch: clear alarm", "mine", k.mine, "point", k.point, "rule", k.rule, "err", err)
		}
		return
	}
	delete(w.active, k)
	delete(w.lastEvent, k)
}

// SealTick clears the seal-event alarms whose seal has been quiet for
// SealQuiet at now. The service's timer calls it; tests call it with a
// clock they control.
func (s *Service) SealTick(ctx context.Context, now time.Time) {
	w := s.seals
	w.mu.Lock()
	defer w.mu.Unlock()
	for k := range w.active {
		if k.rule == SealRuleEvent && now.Sub(w.lastEvent[k]) >= s.opt.SealQuiet {
			w.clear(ctx, k, fmt.Sprintf("电子封条 %s 内无新事件", s.opt.SealQuiet), now)
		}
	}
}

// baseline answers a power point's baseline in kW (nil when there is
// none), the tolerance in percent and where the baseline comes from.
func (w *sealWatch) baseline(ctx context.Context, mineID, pointID int64) (*float64, float64, string, error) {
	decl, err := w.declared(ctx, mineID)
	if err != nil {
		return nil, 0, "", err
	}
	if decl != nil {
		return decl.KW, decl.TolerancePct, "declared", nil
	}
	med, err := w.median(ctx, pointID)
	return med, DefaultTolerancePct, "median_7d", err
}

func (w *sealWatch) declared(ctx context.Context, mineID int64) (*PowerBaseline, error) {
	now := time.Now()
	w.cacheMu.Lock()
	c, ok := w.baselines[mineID]
	w.cacheMu.Unlock()
	if ok && now.Sub(c.at) < baselineTTL {
		return c.v, nil
	}
	b, err := w.s.declaredBaseline(ctx, mineID)
	if err != nil {
		return nil, err
	}
	w.cacheMu.Lock()
	w.baselines[mineID] = cached[*PowerBaseline]{b, now}
	w.cacheMu.Unlock()
	return b, nil
}

// median is the median of a power point's hourly means over the last 7
// days (nil with less than a day of them), computed at most hourly.
func (w *sealWatch) median(ctx context.Context, pointID int64) (*float64, error) {
	now := w.s.clk.Now()
	w.cacheMu.Lock()
	c, ok := w.medians[pointID]
	w.cacheMu.Unlock()
	if ok && now.Sub(c.at).Abs() < medianTTL {
		return c.v, nil
	}
	bs, err := w.s.tel.Samples().Buckets(ctx, pointID, now.Add(-medianWindow), now, time.Hour)
	if err != nil {
		return nil, err
	}
	var med *float64
	if len(bs) >= medianMinHours {
		means := make([]float64, len(bs))
		for i, b := range bs {
			means[i] = b.Avg
		}
		v := median(means)
		med = &v
	}
	w.cacheMu.Lock()
	w.medians[pointID] = cached[*float64]{med, now}
	w.cacheMu.Unlock()
	return med, nil
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// PowerBaseline is a mine's power baseline: declared by the regulator, or
// else per power point the median of its last 7 days.
type PowerBaseline struct {
	MineID       int64           `json:"mine_id"`
	MineStatus   string          `json:"mine_status"`
	Sealed       bool            `json:"sealed"`
	Source       string          `json:"source"` // declared, median_7d or none
	KW           *float64        `json:"kw"`
	TolerancePct float64         `json:"tolerance_pct"`
	Note         string          `json:"note"`
	SetAt        *time.Time      `json:"set_at"`
	Setter       string          `json:"setter"`
	Points       []PointBaseline `json:"points"`
}

// PointBaseline is what one power point is judged against.
type PointBaseline struct {
	PointID    int64    `json:"point_id"`
	Code       string   `json:"code"`
	Location   string   `json:"location"`
	BaselineKW *float64 `json:"baseline_kw"`
	LimitKW    *float64 `json:"limit_kw"`
	Source     string   `json:"source"`
}

// BaselineInput declares a mine's standby load in kW and the tolerance
// above it (default 20 %).
type BaselineInput struct {
	KW           *float64 `json:"kw"`
	TolerancePct *float64 `json:"tolerance_pct"`
	Note         string   `json:"note"`
}

func (s *Service) declaredBaseline(ctx context.Context, mineID int64) (*PowerBaseline, error) {
	b := PowerBaseline{MineID: mineID, Source: "declared"}
	var kw float64
	var at time.Time
	err := s.db.QueryRow(ctx, `SELECT kw, tolerance_pct, note, set_at, setter FROM mine_power_baselines WHERE mine_id = ?`, mineID).
		Scan(&kw, &b.TolerancePct, &b.Note, &at, &b.Setter)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	at = at.UTC()
	b.KW, b.SetAt = &kw, &at
	return &b, nil
}

// GetPowerBaseline answers what a mine's power readings are judged against.
func (s *Service) GetPowerBaseline(ctx context.Context, p *auth.Principal, mineID int64) (PowerBaseline, error) {
	m, err := s.reg.GetMine(ctx, p, mineID)
	if err != nil {
		return PowerBaseline{}, err
	}
	b := PowerBaseline{MineID: mineID, Source: "none", TolerancePct: DefaultTolerancePct}
	if d, err := s.declaredBaseline(ctx, mineID); err != nil {
		return b, err
	} else if d != nil {
		b = *d
	}
	_, b.Sealed = sealedStatuses[m.Status]
	b.MineStatus = m.Status
	pts, err := s.seals.watchedPoints(ctx, mineID)
	if err != nil {
		return b, err
	}
	b.Points = []PointBaseline{}
	for _, pt := range pts {
		if pt.SensorType != sensorPower {
			continue
		}
		base, tol, source, err := s.seals.baseline(ctx, mineID, pt.ID)
		if err != nil {
			return b, err
		}
		pb := PointBaseline{PointID: pt.ID, Code: pt.Code, Location: pt.Location, BaselineKW: base, Source: source}
		if base == nil {
			pb.Source = "none"
		} else {
			limit := *base * (1 + tol/100)
			pb.LimitKW = &limit
			if b.Source == "none" {
				b.Source = source
			}
		}
		b.Points = append(b.Points, pb)
	}
	slices.SortFunc(b.Points, func(a, c PointBaseline) int { return strings.Compare(a.Code, c.Code) })
	return b, nil
}

// SetPowerBaseline declares a mine's power baseline (county, city, admin).
func (s *Service) SetPowerBaseline(ctx context.Context, p *auth.Principal, mineID int64, in BaselineInput) (PowerBaseline, error) {
	m, err := s.reg.GetMine(ctx, p, mineID)
	if err != nil {
		return PowerBaseline{}, err
	}
	if !p.Is(regulatorRoles...) {
		return PowerBaseline{}, fail.Forbiddenf("role %s may not set power baselines", p.Role)
	}
	f := fail.Fields{}
	if in.KW == nil || math.IsNaN(*in.KW) || math.IsInf(*in.KW, 0) || *in.KW < 0 {
		f.Add("kw", "the standby load in kW, 0 or more")
	}
	tol := DefaultTolerancePct
	if in.TolerancePct != nil {
		tol = *in.TolerancePct
		if math.IsNaN(tol) || tol < 0 || tol > 1000 {
			f.Add("tolerance_pct", "0 to 1000 percent")
		}
	}
	if err := f.Err(); err != nil {
		return PowerBaseline{}, err
	}
	in.Note = strings.TrimSpace(in.Note)
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO mine_power_baselines (mine_id, kw, tolerance_pct, note, set_at, set_by, setter) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (mine_id) DO UPDATE SET kw = excluded.kw, tolerance_pct = excluded.tolerance_pct, note = excluded.note,
			set_at = excluded.set_at, set_by = excluded.set_by, setter = excluded.setter`,
			mineID, *in.KW, tol, in.Note, s.now(), p.ActorID(), p.Name()); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, p, "power_baseline", mineID, "set", place{mineID: mineID, regionCode: m.RegionCode, enterpriseID: m.EnterpriseID},
			map[string]any{"kw": *in.KW, "tolerance_pct": tol}, in.Note)
	})
	if err != nil {
		return PowerBaseline{}, err
	}
	s.seals.forgetMine(mineID)
	return s.GetPowerBaseline(ctx, p, mineID)
}
