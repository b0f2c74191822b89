package alarm

import (
	"context"
	"sort"
	"strings"

	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/flow"
	"minesafe/internal/store"
)

func sortMineCounts(m []MineCount) {
	sort.Slice(m, func(i, j int) bool {
		if m[i].Count != m[j].Count {
			return m[i].Count > m[j].Count
		}
		return m[i].MineID < m[j].MineID
	})
}

func sortDays(d []DayCount) { sort.Slice(d, func(i, j int) bool { return d[i].Day < d[j].Day }) }

// StepInput carries what a step needs: cause and measures to dispose, a
// reason to return, an optional note otherwise.
type StepInput struct {
	Cause    string `json:"cause"`
	Measures string `json:"measures"`
	Reason   string `json:"reason"`
	Note     string `json:"note"`
}

// Step takes one step of the loop on an alarm the caller may see. Refusals:
// 404 outside scope, 403 wrong role, 409 wrong state (or closing while the
// condition lasts), 422 missing fields.
func (s *Service) Step(ctx context.Context, p *auth.Principal, id int64, action string, in StepInput) (Alarm, error) {
	a, err := s.Get(ctx, p, id)
	if err != nil {
		return a, err
	}
	to, err := Loop.Step(a.State, action, p)
	if err != nil {
		return Alarm{}, err
	}
	now := s.clk.Now()
	who := p.Name()
	set := map[string]any{}
	ev := events.New(p, now, "alarm", id, action)
	ev.MineID, ev.RegionCode, ev.EnterpriseID = &a.MineID, a.RegionCode, &a.EnterpriseID
	f := fail.Fields{}
	switch action {
	case "acknowledge":
		set["acknowledged_at"], set["acknowledged_by"] = now, who
	case "dispose":
		if strings.TrimSpace(in.Cause) == "" {
			f.Add("cause", "say what caused it (异常原因)")
		}
		if strings.TrimSpace(in.Measures) == "" {
			f.Add("measures", "say what was done (处理措施)")
		}
		set["disposed_at"], set["disposed_by"], set["cause"], set["measures"] = now, who, in.Cause, in.Measures
		ev = ev.WithDetail(map[string]string{"cause": in.Cause, "measures": in.Measures})
	case "verify":
		set["verified_at"], set["verified_by"] = now, who
	case "close":
		if a.ClearedAt == nil {
			return Alarm{}, fail.Conflictf("not_cleared", "the condition is still present (the reading has not returned past its reset value); close it once it has cleared")
		}
		set["closed_at"], set["closed_by"] = now, who
	case "return":
		if strings.TrimSpace(in.Reason) == "" {
			f.Add("reason", "say why it goes back to the mine")
		}
		set["return_reason"] = in.Reason
		ev.Reason = in.Reason
	}
	if err := f.Err(); err != nil {
		return Alarm{}, err
	}
	if in.Note != "" && ev.Reason == "" {
		ev.Reason = in.Note
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		return flow.Move(ctx, tx, "alarms", id, a.State, to, set, ev)
	})
	if err != nil {
		return Alarm{}, err
	}
	out, err := s.Get(ctx, p, id)
	if err == nil {
		s.tel.Hub().Publish("alarm", out.MineID, map[string]any{"event": action, "alarm": out})
	}
	return out, err
}

// Trail answers every event of an alarm, oldest first.
func (s *Service) Trail(ctx context.Context, p *auth.Principal, id int64) ([]events.Event, error) {
	if _, err := s.Get(ctx, p, id); err != nil {
		return nil, err
	}
	return events.Trail(ctx, s.db, "alarm", id)
}
