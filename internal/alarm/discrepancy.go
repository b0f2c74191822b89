package alarm

import (
	"context"
	"net/http"
	"slices"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/rules"
	"minesafe/internal/telemetry/stdfile"
)

// ReportedSource answers the abnormalities mines reported in YCBJ files.
type ReportedSource interface {
	ReportedAlarmsBetween(ctx context.Context, mineID int64, from, to time.Time) ([]stdfile.ReportedAlarm, error)
}

// SetReported lets the service compare with what mines report (set at
// wiring, before serving).
func (s *Service) SetReported(r ReportedSource) { s.reported = r }

// Which YCBJ abnormal types match which of the platform's alarm kinds:
// 超限/断电报警 and 超量程 are threshold alarms; 传感器断线, 基站断电 and
// 基站不通 are interruptions; 标校 is a (planned) fault.
var ycbjKinds = map[string][]string{
	"001": {rules.KindThreshold}, "002": {rules.KindThreshold}, "008": {rules.KindThreshold},
	"004": {rules.KindInterruption, rules.KindFault}, "005": {rules.KindInterruption, rules.KindOffline}, "006": {rules.KindInterruption, rules.KindOffline},
	"007": {rules.KindFault},
}

// matchSlack is how far apart in time the two sides' starts may be and
// still be one event (the mine's clock and the platform's differ).
const matchSlack = 5 * time.Minute

// Discrepancy is an alarm one side has and the other lacks.
type Discrepancy struct {
	Side      string     `json:"side"` // mine_only | platform_only
	PointID   *int64     `json:"point_id"`
	PointCode string     `json:"point_code"`
	Kind      string     `json:"kind"` // the platform's kind, or the YCBJ type code
	Start     time.Time  `json:"start"`
	End       *time.Time `json:"end"`
	AlarmID   int64      `json:"alarm_id,omitempty"`
	Reported  int64      `json:"reported_id,omitempty"`
	Note      string     `json:"note"`
}

// Discrepancies compares, for a mine and a period, the alarms the mine
// reported (YCBJ) with the platform's own: a mine that does not report an
// alarm the platform saw, or reports one the platform did not see, shows.
func (s *Service) Discrepancies(ctx context.Context, p *auth.Principal, mineID int64, from, to time.Time) ([]Discrepancy, error) {
	if _, err := s.reg.GetMine(ctx, p, mineID); err != nil {
		return nil, err
	}
	if s.reported == nil {
		return []Discrepancy{}, nil
	}
	reported, err := s.reported.ReportedAlarmsBetween(ctx, mineID, from, to)
	if err != nil {
		return nil, err
	}
	f := Filter{MineID: mineID, From: from.Add(-matchSlack), To: to.Add(matchSlack)}
	ours, _, err := s.List(ctx, auth.System, f)
	if err != nil {
		return nil, err
	}
	used := map[int64]bool{}
	out := []Discrepancy{}
	for _, r := range reported {
		kinds, judged := ycbjKinds[r.Type]
		if !judged {
			continue // 馈电异常, 预警: the platform has no counterpart
		}
		found := false
		for _, a := range ours {
			if used[a.ID] || a.PointID == nil || r.PointID == nil || *a.PointID != *r.PointID || !slices.Contains(kinds, a.Kind) {
				continue
			}
			if d := a.StartedAt.Sub(r.Start); d < -matchSlack || d > matchSlack {
				continue
			}
			used[a.ID], found = true, true
			break
		}
		if !found {
			out = append(out, Discrepancy{Side: "mine_only", PointID: r.PointID, PointCode: r.Point, Kind: r.Type, Start: r.Start, End: r.End, Reported: r.ID,
				Note: "the mine reported " + r.TypeName + "; the platform has no matching alarm"})
		}
	}
	for _, a := range ours {
		if used[a.ID] || a.PointID == nil || a.Planned || a.StartedAt.Before(from) || (a.Kind != rules.KindThreshold && a.Kind != rules.KindInterruption) {
			continue
		}
		out = append(out, Discrepancy{Side: "platform_only", PointID: a.PointID, PointCode: a.PointCode, Kind: a.Kind, Start: a.StartedAt, End: a.ClearedAt, AlarmID: a.ID,
			Note: "the platform raised " + a.Level + " (" + a.Rule + "); the mine did not report it"})
	}
	return out, nil
}

func (s *Service) handleDiscrepancies(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	now := s.clk.Now()
	bad := fail.Fields{}
	from, to := now.Add(-7*24*time.Hour), now
	for name, dst := range map[string]*time.Time{"from": &from, "to": &to} {
		if v := r.URL.Query().Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				bad.Add(name, "must be an RFC 3339 time")
			}
			*dst = t
		}
	}
	if err := bad.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	list, err := s.Discrepancies(r.Context(), auth.FromContext(r.Context()), id, from, to)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, httpx.List[Discrepancy]{Items: list, Total: len(list)})
}
