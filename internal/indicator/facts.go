package indicator

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"slices"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
)

// The vocabularies of the plan facts.
var (
	HoistTypes  = []string{"none", "single_rope", "multi_rope", "other"}
	SizeClasses = []string{"large", "medium", "small"}
)

// PlanFactsInput is what the plan's tasks need to know about a mine beyond
// the registry's record: its hoist (单绳缠绕式 single_rope, 多绳摩擦式
// multi_rope, none for adits and ramps), its size class (大/中/小型), whether
// it is high-risk (高风险) or remote (偏远), its power-supply circuits and
// its backup power in hours. Empty or null: not known yet. A PUT replaces
// every fact.
type PlanFactsInput struct {
	HoistType        string   `json:"hoist_type"`
	SizeClass        string   `json:"size_class"`
	HighRisk         *bool    `json:"high_risk"`
	Remote           *bool    `json:"remote"`
	PowerCircuits    *int     `json:"power_circuits"`
	BackupPowerHours *float64 `json:"backup_power_hours"`
	Note             string   `json:"note"`
}

// PlanFacts are a mine's plan facts, extending its registry record; Missing
// names the facts not known yet.
type PlanFacts struct {
	MineID     int64  `json:"mine_id"`
	MineCode   string `json:"mine_code"`
	MineName   string `json:"mine_name"`
	MineKind   string `json:"mine_kind"`
	RegionCode string `json:"region_code"`
	RegionName string `json:"region_name"`
	PlanFactsInput
	Missing   []string   `json:"missing"`
	UpdatedAt *time.Time `json:"updated_at"`
}

// missing names the facts not known yet.
func (f *PlanFacts) missing() []string {
	out := []string{}
	for name, unknown := range map[string]bool{"hoist_type": f.HoistType == "", "size_class": f.SizeClass == "", "high_risk": f.HighRisk == nil,
		"remote": f.Remote == nil, "power_circuits": f.PowerCircuits == nil, "backup_power_hours": f.BackupPowerHours == nil} {
		if unknown {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

func factsFor(m registry.Mine, in PlanFactsInput, at *time.Time) PlanFacts {
	f := PlanFacts{MineID: m.ID, MineCode: m.Code, MineName: m.Name, MineKind: m.Kind, RegionCode: m.RegionCode, RegionName: m.RegionName,
		PlanFactsInput: in, UpdatedAt: at}
	f.Missing = f.missing()
	return f
}

const factsCols = `mine_id, hoist_type, size_class, high_risk, remote, power_circuits, backup_power_hours, note, updated_at`

// allFacts answers every mine's entered facts.
func (s *Service) allFacts(ctx context.Context, q store.Querier, db interface{ Q(string) string }, mineID int64) (map[int64]PlanFacts, error) {
	query, args := `SELECT `+factsCols+` FROM mine_plan_facts`, []any{}
	if mineID > 0 {
		query, args = query+` WHERE mine_id = ?`, append(args, mineID)
	}
	rows, err := q.QueryContext(ctx, db.Q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]PlanFacts{}
	for rows.Next() {
		var f PlanFacts
		var at time.Time
		if err := rows.Scan(&f.MineID, &f.HoistType, &f.SizeClass, &f.HighRisk, &f.Remote, &f.PowerCircuits, &f.BackupPowerHours, &f.Note, &at); err != nil {
			return nil, err
		}
		at = at.UTC()
		f.UpdatedAt = &at
		out[f.MineID] = f
	}
	return out, rows.Err()
}

// GetPlanFacts answers the plan facts of a mine p may see.
func (s *Service) GetPlanFacts(ctx context.Context, p *auth.Principal, mineID int64) (PlanFacts, error) {
	m, err := s.reg.GetMine(ctx, p, mineID)
	if err != nil {
		return PlanFacts{}, err
	}
	all, err := s.allFacts(ctx, s.db, s.db, mineID)
	if err != nil {
		return PlanFacts{}, err
	}
	f := all[mineID]
	return factsFor(m, f.PlanFactsInput, f.UpdatedAt), nil
}

// mayKeepFacts: regulators who keep the registry (admin, city, county in
// its divisions) and the mine's enterprise; scope settled which mines.
func mayKeepFacts(p *auth.Principal) error {
	if p.Is(auth.RoleAdmin, auth.RoleCity, auth.RoleCounty, auth.RoleEnterprise) {
		return nil
	}
	return fail.Forbiddenf("role %s may not change plan facts (admin, city, county and the mine's enterprise do)", p.Role)
}

// PutPlanFacts replaces a mine's plan facts. Refusals: 404, 403, 409 mine
// archived, 422 fields.
func (s *Service) PutPlanFacts(ctx context.Context, p *auth.Principal, mineID int64, in PlanFactsInput) (PlanFacts, error) {
	m, err := s.reg.GetMine(ctx, p, mineID)
	if err != nil {
		return PlanFacts{}, err
	}
	if err := mayKeepFacts(p); err != nil {
		return PlanFacts{}, err
	}
	if m.ArchivedAt != nil {
		return PlanFacts{}, fail.Conflictf("archived", "mine %s is archived", m.Name)
	}
	in.HoistType, in.SizeClass, in.Note = strings.TrimSpace(in.HoistType), strings.TrimSpace(in.SizeClass), strings.TrimSpace(in.Note)
	f := fail.Fields{}
	if in.HoistType != "" && !slices.Contains(HoistTypes, in.HoistType) {
		f.Add("hoist_type", "must be one of %s (empty: unknown)", strings.Join(HoistTypes, ", "))
	}
	if in.SizeClass != "" && !slices.Contains(SizeClasses, in.SizeClass) {
		f.Add("size_class", "must be one of %s (empty: unknown)", strings.Join(SizeClasses, ", "))
	}
	if in.PowerCircuits != nil && (*in.PowerCircuits < 0 || *in.PowerCircuits > 20) {
		f.Add("power_circuits", "must be from 0 to 20")
	}
	if v := in.BackupPowerHours; v != nil && (math.IsNaN(*v) || *v < 0 || *v > 10000) {
		f.Add("backup_power_hours", "must be from 0 to 10000 hours")
	}
	if len([]rune(in.Note)) > 2000 {
		f.Add("note", "at most 2000 characters")
	}
	if err := f.Err(); err != nil {
		return PlanFacts{}, err
	}
	now := s.now()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var prev PlanFacts
		var at time.Time
		err := tx.QueryRow(ctx, `SELECT `+factsCols+` FROM mine_plan_facts WHERE mine_id = ?`, mineID).Scan(&prev.MineID, &prev.HoistType,
			&prev.SizeClass, &prev.HighRisk, &prev.Remote, &prev.PowerCircuits, &prev.BackupPowerHours, &prev.Note, &at)
		action := "update"
		if errors.Is(err, sql.ErrNoRows) {
			action = "create"
		} else if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO mine_plan_facts (`+factsCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (mine_id) DO UPDATE SET hoist_type = excluded.hoist_type, size_class = excluded.size_class, high_risk = excluded.high_risk,
			remote = excluded.remote, power_circuits = excluded.power_circuits, backup_power_hours = excluded.backup_power_hours,
			note = excluded.note, updated_at = excluded.updated_at`,
			mineID, in.HoistType, in.SizeClass, in.HighRisk, in.Remote, in.PowerCircuits, in.BackupPowerHours, in.Note, now)
		if err != nil {
			return err
		}
		detail := map[string]any{"facts": in}
		if action == "update" {
			detail["previous"] = prev.PlanFactsInput
		}
		return s.event(ctx, tx, p, "mine_plan_facts", mineID, action, "", &m, detail, "")
	})
	return factsFor(m, in, &now), err
}

// FactsFilter selects mines for the facts list.
type FactsFilter struct {
	RegionCode string
	Kind       string
	Missing    *bool // only mines with (true) or without (false) unknown facts
}

// ListPlanFacts answers the plan facts of the mines p may see.
func (s *Service) ListPlanFacts(ctx context.Context, p *auth.Principal, ff FactsFilter) ([]PlanFacts, error) {
	ms, _, err := s.reg.ListMines(ctx, p, registry.MineFilter{ListParams: httpx.ListParams{SortField: "code"}, RegionCode: ff.RegionCode, Kind: ff.Kind})
	if err != nil {
		return nil, err
	}
	all, err := s.allFacts(ctx, s.db, s.db, 0)
	if err != nil {
		return nil, err
	}
	out := []PlanFacts{}
	for _, m := range ms {
		f := all[m.ID]
		x := factsFor(m, f.PlanFactsInput, f.UpdatedAt)
		if ff.Missing == nil || *ff.Missing == (len(x.Missing) > 0) {
			out = append(out, x)
		}
	}
	return out, nil
}
