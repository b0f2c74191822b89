package telemetry

import (
	"encoding/json"
	"sync"
	"time"
)

// Event is one server-sent event of the stream.
type Event struct {
	ID     uint64
	Type   string // sample, mine_status, alarm
	MineID int64
	At     time.Time
	Data   []byte
}

// Hub fans events out to stream subscribers and keeps the recent ones so a
// client that reconnects with Last-Event-ID gets what it missed.
type Hub struct {
	mu     sync.Mutex
	nextID uint64
	ring   []Event // oldest first, within the window
	window time.Duration
	subs   map[*Subscriber]struct{}
	now    func() time.Time
}

// Subscriber receives the events of the mines it follows.
type Subscriber struct {
	C     chan Event
	mines map[int64]bool
	// Dropped is closed when the subscriber fell too far behind and was cut
	// off; it reconnects with Last-Event-ID and replays.
	Dropped chan struct{}
}

// NewHub answers a hub keeping events for window. Ids start from the boot
// time in microseconds so they keep increasing across restarts.
func NewHub(window time.Duration, now func() time.Time) *Hub {
	return &Hub{nextID: uint64(time.Now().UnixMicro()), window: window, subs: map[*Subscriber]struct{}{}, now: now}
}

// Publish sends an event of typ for a mine with data marshalled as JSON.
func (h *Hub) Publish(typ string, mineID int64, data any) {
	b, err := json.Marshal(data)
	if err != nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.nextID++
	now := h.now()
	ev := Event{ID: h.nextID, Type: typ, MineID: mineID, At: now, Data: b}
	h.ring = append(h.ring, ev)
	cut := 0
	for cut < len(h.ring) && now.Sub(h.ring[cut].At) > h.window {
		cut++
	}
	if cut > 0 {
		h.ring = append(h.ring[:0], h.ring[cut:]...)
	}
	for s := range h.subs {
		if !s.mines[mineID] {
			continue
		}
		select {
		case s.C <- ev:
		default:
			close(s.Dropped)
			delete(h.subs, s)
		}
	}
}

// Subscribe follows mines. With lastID > 0 it first answers the kept events
// after lastID and whether the window still covered lastID (if not, the
// client missed events and must reload its state).
func (h *Hub) Subscribe(mines map[int64]bool, lastID uint64) (*Subscriber, []Event, bool) {
	s := &Subscriber{C: make(chan Event, 1024), mines: mines, Dropped: make(chan struct{})}
	h.mu.Lock()
	defer h.mu.Unlock()
	var replay []Event
	complete := true
	if lastID > 0 {
		if len(h.ring) == 0 || h.ring[0].ID > lastID+1 {
			complete = lastID >= h.nextID
		}
		for _, ev := range h.ring {
			if ev.ID > lastID && mines[ev.MineID] {
				replay = append(replay, ev)
			}
		}
	}
	h.subs[s] = struct{}{}
	return s, replay, complete
}

// Unsubscribe stops a subscriber.
func (h *Hub) Unsubscribe(s *Subscriber) {
	h.mu.Lock()
	if _, ok := h.subs[s]; ok {
		delete(h.subs, s)
	}
	h.mu.Unlock()
}
