package telemetry

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
)

// streamMines answers the mines a stream follows: the mine_id parameters
// (each must be visible), or the mines of region_code, or every mine the
// caller may see.
func (s *Service) streamMines(ctx context.Context, p *auth.Principal, r *http.Request) (map[int64]bool, error) {
	q := r.URL.Query()
	out := map[int64]bool{}
	if ids := q["mine_id"]; len(ids) > 0 {
		for _, v := range ids {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, fail.Invalidf("mine_id", "%q is not a mine id", v)
			}
			if _, err := s.reg.GetMine(ctx, p, id); err != nil {
				return nil, err
			}
			out[id] = true
		}
		return out, nil
	}
	f := registry.MineFilter{RegionCode: q.Get("region_code")}
	mines, _, err := s.reg.ListMines(ctx, p, f)
	if err != nil {
		return nil, err
	}
	for _, m := range mines {
		out[m.ID] = true
	}
	return out, nil
}

// handleStream serves server-sent events: sample, mine_status, alarm. Each
// event has an increasing id; Last-Event-ID (header, or last_event_id in the
// query for clients that cannot set headers) replays what was missed within
// the window, and a `resync` event says when the window no longer covers it.
func (s *Service) handleStream(w http.ResponseWriter, r *http.Request) {
	p := auth.FromContext(r.Context())
	mines, err := s.streamMines(r.Context(), p, r)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	last := r.Header.Get("Last-Event-ID")
	if last == "" {
		last = r.URL.Query().Get("last_event_id")
	}
	var lastID uint64
	if last != "" {
		if lastID, err = strconv.ParseUint(last, 10, 64); err != nil {
			httpx.Error(w, r, fail.Invalidf("Last-Event-ID", "must be an event id"))
			return
		}
	}
	sub, replay, complete := s.hub.Subscribe(mines, lastID)
	defer s.hub.Unsubscribe(sub)

	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	fmt.Fprintf(w, "retry: 3000\n\n")
	if !complete {
		fmt.Fprintf(w, "event: resync\ndata: {\"reason\":\"events older than the window were dropped: reload the state\"}\n\n")
	}
	for _, ev := range replay {
		writeEvent(w, ev)
	}
	if err := rc.Flush(); err != nil {
		return
	}
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-sub.Dropped:
			return // too slow: the client reconnects and replays
		case <-ping.C:
			fmt.Fprintf(w, ": ping\n\n")
		case ev := <-sub.C:
			writeEvent(w, ev)
		drain:
			for {
				select {
				case ev := <-sub.C:
					writeEvent(w, ev)
				default:
					break drain
				}
			}
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

func writeEvent(w http.ResponseWriter, ev Event) {
	fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", ev.ID, ev.Type, ev.Data)
}
