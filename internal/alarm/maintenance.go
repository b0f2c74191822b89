package alarm

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/store"
	"minesafe/internal/telemetry"
)

// Maintenance is a window declared beforehand in which a mine's points (all
// of them when PointIDs is empty) are worked on: alarms opening in it are
// planned and counted apart.
type Maintenance struct {
	ID        int64     `json:"id"`
	MineID    int64     `json:"mine_id"`
	PointIDs  []int64   `json:"point_ids"`
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
}

// MaintenanceInput declares a window.
type MaintenanceInput struct {
	PointIDs []int64 `json:"points"`
	From     string  `json:"from"`
	To       string  `json:"to"`
	Reason   string  `json:"reason"`
}

// AddMaintenance declares a window: the mine's enterprise, or a regulator
// who may edit the mine's points.
func (s *Service) AddMaintenance(ctx context.Context, p *auth.Principal, mineID int64, in MaintenanceInput) (Maintenance, error) {
	m, err := s.reg.GetMine(ctx, p, mineID)
	if err != nil {
		return Maintenance{}, err
	}
	if !p.Is(auth.RoleAdmin, auth.RoleCity, auth.RoleCounty, auth.RoleEnterprise) {
		return Maintenance{}, fail.Forbiddenf("role %s may not declare maintenance", p.Role)
	}
	f := fail.Fields{}
	from, err1 := time.Parse(time.RFC3339, in.From)
	to, err2 := time.Parse(time.RFC3339, in.To)
	if err1 != nil {
		f.Add("from", "must be an RFC 3339 time")
	}
	if err2 != nil {
		f.Add("to", "must be an RFC 3339 time")
	}
	now := s.clk.Now()
	if err1 == nil && err2 == nil {
		switch {
		case !to.After(from):
			f.Add("to", "must be after from")
		case to.Sub(from) > 7*24*time.Hour:
			f.Add("to", "a window lasts at most 7 days")
		case from.Before(now.Add(-5 * time.Minute)):
			// Declared beforehand: a window cannot excuse alarms after the fact.
			f.Add("from", "must not be in the past: maintenance is declared beforehand")
		}
	}
	if strings.TrimSpace(in.Reason) == "" {
		f.Add("reason", "required")
	}
	pts, err := s.tel.MinePoints(ctx, mineID)
	if err != nil {
		return Maintenance{}, err
	}
	for _, id := range in.PointIDs {
		if !slices.ContainsFunc(pts, func(pt telemetry.Point) bool { return pt.ID == id }) {
			f.Add("points", "point %d is not a point of this mine", id)
		}
	}
	if err := f.Err(); err != nil {
		return Maintenance{}, err
	}
	if in.PointIDs == nil {
		in.PointIDs = []int64{}
	}
	ids, _ := json.Marshal(in.PointIDs)
	w := Maintenance{MineID: mineID, PointIDs: in.PointIDs, From: from.UTC(), To: to.UTC(), Reason: in.Reason, CreatedAt: now}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		w.ID, err = tx.Insert(ctx, `INSERT INTO maintenance_windows (mine_id, point_ids, from_at, to_at, reason, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			mineID, string(ids), w.From, w.To, in.Reason, now, p.ActorID())
		if err != nil {
			return err
		}
		e := events.New(p, now, "maintenance", w.ID, "create").WithDetail(w)
		e.MineID, e.RegionCode, e.EnterpriseID = &m.ID, m.RegionCode, &m.EnterpriseID
		_, err = events.Append(ctx, tx, e)
		return err
	})
	return w, err
}

// ListMaintenance answers a mine's windows, newest first.
func (s *Service) ListMaintenance(ctx context.Context, p *auth.Principal, mineID int64) ([]Maintenance, error) {
	if _, err := s.reg.GetMine(ctx, p, mineID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT id, mine_id, point_ids, from_at, to_at, reason, created_at FROM maintenance_windows
		WHERE mine_id = ? AND archived_at IS NULL ORDER BY from_at DESC`, mineID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Maintenance{}
	for rows.Next() {
		var w Maintenance
		var ids string
		if err := rows.Scan(&w.ID, &w.MineID, &ids, &w.From, &w.To, &w.Reason, &w.CreatedAt); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(ids), &w.PointIDs)
		w.From, w.To, w.CreatedAt = w.From.UTC(), w.To.UTC(), w.CreatedAt.UTC()
		out = append(out, w)
	}
	return out, rows.Err()
}
