package enforce

import (
	"context"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
)

// BlacklistEntry is one stay of an enterprise on the blacklist (黑名单):
// entry with its reason (and the decision behind it), exit with its reason.
type BlacklistEntry struct {
	ID             int64      `json:"id"`
	EnterpriseID   int64      `json:"enterprise_id"`
	EnterpriseName string     `json:"enterprise_name"`
	RegionCode     string     `json:"region_code"`
	Reason         string     `json:"reason"`
	DecisionID     *int64     `json:"decision_id"`
	EnteredAt      time.Time  `json:"entered_at"`
	Enterer        string     `json:"enterer"`
	ExitedAt       *time.Time `json:"exited_at"`
	Exiter         string     `json:"exiter"`
	ExitReason     string     `json:"exit_reason"`
	Active         bool       `json:"active"`
}

// BlacklistStatus is an enterprise's blacklist status and history.
type BlacklistStatus struct {
	EnterpriseID int64            `json:"enterprise_id"`
	Listed       bool             `json:"listed"`
	Current      *BlacklistEntry  `json:"current"`
	History      []BlacklistEntry `json:"history"`
}

// BlacklistInput enters an enterprise (reason, optionally the decision).
type BlacklistInput struct {
	Reason     string `json:"reason"`
	DecisionID *int64 `json:"decision_id"`
}

// blacklistScope limits entries to the enterprises p may see, as the
// registry does: registered in p's divisions or owning a mine there.
func blacklistScope(p *auth.Principal) (string, []any) {
	own, args := p.MineScope("e.region_code", "b.enterprise_id")
	if p.Is(auth.RoleEnterprise) || p.AllRegions() {
		return own, args
	}
	mine, mineArgs := p.MineScope("m.region_code", "m.enterprise_id")
	return "(" + own + " OR EXISTS (SELECT 1 FROM mines m WHERE m.enterprise_id = b.enterprise_id AND " + mine + "))", append(args, mineArgs...)
}

// mayBlacklist: the county (for enterprises in its scope), the city, admin.
func (s *Service) mayBlacklist(ctx context.Context, p *auth.Principal, enterpriseID int64) (registry.Enterprise, error) {
	ent, err := s.reg.GetEnterprise(ctx, p, enterpriseID)
	if err != nil {
		return ent, err
	}
	if !p.Is(regulatorRoles...) {
		return ent, fail.Forbiddenf("role %s may not change the blacklist", p.Role)
	}
	return ent, nil
}

// EnterBlacklist puts an enterprise on the blacklist (409 if it is on).
func (s *Service) EnterBlacklist(ctx context.Context, p *auth.Principal, enterpriseID int64, in BlacklistInput) (BlacklistStatus, error) {
	ent, err := s.mayBlacklist(ctx, p, enterpriseID)
	if err != nil {
		return BlacklistStatus{}, err
	}
	st, err := s.Blacklist(ctx, p, enterpriseID)
	if err != nil {
		return st, err
	}
	if st.Listed {
		return BlacklistStatus{}, fail.Conflictf("already_listed", "the enterprise has been on the blacklist since %s", st.Current.EnteredAt.Format(time.RFC3339))
	}
	f := fail.Fields{}
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" {
		f.Add("reason", "say why the enterprise enters the blacklist")
	}
	if in.DecisionID != nil {
		d, err := s.GetDecision(ctx, p, *in.DecisionID)
		if err != nil && !fail.Is(err, fail.NotFound) {
			return BlacklistStatus{}, err
		}
		if err != nil || d.EnterpriseID != enterpriseID {
			f.Add("decision_id", "not a decision on this enterprise")
		}
	}
	if err := f.Err(); err != nil {
		return BlacklistStatus{}, err
	}
	at := place{regionCode: ent.RegionCode, enterpriseID: enterpriseID}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		id, err := tx.Insert(ctx, `INSERT INTO blacklist_entries (enterprise_id, region_code, reason, decision_id, entered_at, entered_by, enterer) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			enterpriseID, ent.RegionCode, in.Reason, in.DecisionID, s.now(), p.ActorID(), p.Name())
		if err != nil {
			if store.IsUniqueViolation(err) {
				return fail.Conflictf("already_listed", "the enterprise entered the blacklist meanwhile")
			}
			return err
		}
		return s.appendEvent(ctx, tx, p, "blacklist_entry", id, "enter", at, map[string]any{"decision_id": in.DecisionID}, in.Reason)
	})
	if err != nil {
		return BlacklistStatus{}, err
	}
	return s.Blacklist(ctx, p, enterpriseID)
}

// ExitBlacklist takes an enterprise off the blacklist (409 if it is not on).
func (s *Service) ExitBlacklist(ctx context.Context, p *auth.Principal, enterpriseID int64, reason string) (BlacklistStatus, error) {
	ent, err := s.mayBlacklist(ctx, p, enterpriseID)
	if err != nil {
		return BlacklistStatus{}, err
	}
	st, err := s.Blacklist(ctx, p, enterpriseID)
	if err != nil {
		return st, err
	}
	if !st.Listed {
		return BlacklistStatus{}, fail.Conflictf("not_listed", "the enterprise is not on the blacklist")
	}
	if reason = strings.TrimSpace(reason); reason == "" {
		return BlacklistStatus{}, fail.Invalidf("reason", "say why the enterprise leaves the blacklist")
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE blacklist_entries SET exited_at = ?, exited_by = ?, exiter = ?, exit_reason = ? WHERE id = ? AND exited_at IS NULL`,
			s.now(), p.ActorID(), p.Name(), reason, st.Current.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fail.Conflictf("not_listed", "the enterprise left the blacklist meanwhile")
		}
		return s.appendEvent(ctx, tx, p, "blacklist_entry", st.Current.ID, "exit", place{regionCode: ent.RegionCode, enterpriseID: enterpriseID}, nil, reason)
	})
	if err != nil {
		return BlacklistStatus{}, err
	}
	return s.Blacklist(ctx, p, enterpriseID)
}

// Blacklist answers an enterprise's blacklist status and history; the
// enterprise itself may read it.
func (s *Service) Blacklist(ctx context.Context, p *auth.Principal, enterpriseID int64) (BlacklistStatus, error) {
	if _, err := s.reg.GetEnterprise(ctx, p, enterpriseID); err != nil {
		return BlacklistStatus{}, err
	}
	entries, _, err := s.ListBlacklist(ctx, p, BlacklistFilter{EnterpriseID: enterpriseID})
	if err != nil {
		return BlacklistStatus{}, err
	}
	st := BlacklistStatus{EnterpriseID: enterpriseID, History: entries}
	for i := range entries {
		if entries[i].Active {
			st.Listed, st.Current = true, &entries[i]
		}
	}
	return st, nil
}

// BlacklistFilter selects entries; Active nil answers current and past.
type BlacklistFilter struct {
	httpx.ListParams
	EnterpriseID int64
	Active       *bool
}

// ListBlacklist answers the entries of the enterprises p may see, newest
// first.
func (s *Service) ListBlacklist(ctx context.Context, p *auth.Principal, f BlacklistFilter) ([]BlacklistEntry, int, error) {
	where, args := blacklistScope(p)
	if f.EnterpriseID != 0 {
		where += " AND b.enterprise_id = ?"
		args = append(args, f.EnterpriseID)
	}
	if f.Active != nil {
		if *f.Active {
			where += " AND b.exited_at IS NULL"
		} else {
			where += " AND b.exited_at IS NOT NULL"
		}
	}
	return list(ctx, s.db, `FROM blacklist_entries b JOIN enterprises e ON e.id = b.enterprise_id WHERE `+where, args,
		`SELECT b.id, b.enterprise_id, e.name, b.region_code, b.reason, b.decision_id, b.entered_at, b.enterer, b.exited_at, b.exiter, b.exit_reason`,
		`ORDER BY b.id DESC`, f.ListParams, scanBlacklist)
}

func scanBlacklist(row interface{ Scan(...any) error }) (BlacklistEntry, error) {
	var b BlacklistEntry
	err := row.Scan(&b.ID, &b.EnterpriseID, &b.EnterpriseName, &b.RegionCode, &b.Reason, &b.DecisionID, &b.EnteredAt, &b.Enterer, &b.ExitedAt, &b.Exiter, &b.ExitReason)
	if err != nil {
		return b, err
	}
	b.EnteredAt, b.ExitedAt = b.EnteredAt.UTC(), utcp(b.ExitedAt)
	b.Active = b.ExitedAt == nil
	return b, nil
}
