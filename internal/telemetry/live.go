package telemetry

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Live is the cache of the latest value of every point and the online state
// of every mine. It consumes committed batches, publishes `sample` events
// coalesced to at most one per point per second, and `mine_status` events
// when a mine comes online or goes offline (no data for offlineAfter).
type Live struct {
	mu           sync.Mutex
	latest       map[int64]Sample
	mines        map[int64]*mineLive
	hub          *Hub
	offlineAfter time.Duration
	now          func() time.Time
}

type mineLive struct {
	lastSeen time.Time
	online   bool
	dirty    map[int64]Sample
}

// PointValue is a point's latest value as events and /live answer it.
type PointValue struct {
	PointID int64     `json:"point_id"`
	Time    time.Time `json:"time"`
	Value   float64   `json:"value"`
	Status  int       `json:"status"`
}

// MineStatus is a mine's online state.
type MineStatus struct {
	MineID   int64      `json:"mine_id"`
	Online   bool       `json:"online"`
	LastSeen *time.Time `json:"last_seen"`
}

// NewLive answers the live cache.
func NewLive(hub *Hub, offlineAfter time.Duration, now func() time.Time) *Live {
	return &Live{latest: map[int64]Sample{}, mines: map[int64]*mineLive{}, hub: hub, offlineAfter: offlineAfter, now: now}
}

func (l *Live) mine(id int64) *mineLive {
	m := l.mines[id]
	if m == nil {
		m = &mineLive{dirty: map[int64]Sample{}}
		l.mines[id] = m
	}
	return m
}

// OnCommitted takes a committed batch (a Bus consumer).
func (l *Live) OnCommitted(c Committed) {
	l.mu.Lock()
	m := l.mine(c.MineID)
	for _, s := range c.Samples {
		if cur, ok := l.latest[s.PointID]; ok && !s.Time.After(cur.Time) {
			continue // late data does not replace a newer value
		}
		l.latest[s.PointID] = s
		m.dirty[s.PointID] = s
	}
	if c.ReceivedAt.After(m.lastSeen) {
		m.lastSeen = c.ReceivedAt
	}
	cameOnline := !m.online && l.now().Sub(m.lastSeen) < l.offlineAfter
	if cameOnline {
		m.online = true
	}
	st := l.statusLocked(c.MineID, m)
	l.mu.Unlock()
	if cameOnline && l.hub != nil {
		l.hub.Publish("mine_status", c.MineID, st)
	}
}

// Seed sets a mine's last data time after a restart (from storage).
func (l *Live) Seed(mineID int64, latest map[int64]Sample) {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.mine(mineID)
	for id, s := range latest {
		if cur, ok := l.latest[id]; !ok || s.Time.After(cur.Time) {
			l.latest[id] = s
		}
		if s.Time.After(m.lastSeen) {
			m.lastSeen = s.Time
		}
	}
	m.online = !m.lastSeen.IsZero() && l.now().Sub(m.lastSeen) < l.offlineAfter
}

// Latest answers the latest values of the points that have one.
func (l *Live) Latest(pointIDs []int64) map[int64]Sample {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[int64]Sample, len(pointIDs))
	for _, id := range pointIDs {
		if s, ok := l.latest[id]; ok {
			out[id] = s
		}
	}
	return out
}

// Status answers a mine's online state.
func (l *Live) Status(mineID int64) MineStatus {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.statusLocked(mineID, l.mines[mineID])
}

func (l *Live) statusLocked(mineID int64, m *mineLive) MineStatus {
	st := MineStatus{MineID: mineID}
	if m == nil || m.lastSeen.IsZero() {
		return st
	}
	t := m.lastSeen
	st.LastSeen = &t
	st.Online = l.now().Sub(m.lastSeen) < l.offlineAfter
	return st
}

// Flush publishes the coalesced sample events and the offline transitions.
// Run calls it every second; tests call it directly.
func (l *Live) Flush() {
	type out struct {
		mineID int64
		data   any
		typ    string
	}
	var evs []out
	now := l.now()
	l.mu.Lock()
	for id, m := range l.mines {
		if len(m.dirty) > 0 {
			pts := make([]PointValue, 0, len(m.dirty))
			for _, s := range m.dirty {
				pts = append(pts, PointValue{PointID: s.PointID, Time: s.Time, Value: s.Value, Status: s.Status})
			}
			sort.Slice(pts, func(i, j int) bool { return pts[i].PointID < pts[j].PointID })
			m.dirty = map[int64]Sample{}
			evs = append(evs, out{id, map[string]any{"mine_id": id, "points": pts}, "sample"})
		}
		if m.online && now.Sub(m.lastSeen) >= l.offlineAfter {
			m.online = false
			evs = append(evs, out{id, l.statusLocked(id, m), "mine_status"})
		}
	}
	l.mu.Unlock()
	if l.hub == nil {
		return
	}
	sort.Slice(evs, func(i, j int) bool { return evs[i].mineID < evs[j].mineID })
	for _, e := range evs {
		l.hub.Publish(e.typ, e.mineID, e.data)
	}
}

// Run flushes every second until ctx ends.
func (l *Live) Run(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.Flush()
		}
	}
}
