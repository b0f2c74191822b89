package registry

import (
	"context"
	"minesafe/internal/geo"
	"strings"
	"sync/atomic"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/ruleset"
	"minesafe/internal/store"
)

// Service is the registry: regions, enterprises, mines, tailings ponds and
// people on duty, with their rules, scope and audit events.
type Service struct {
	db  *store.DB
	clk clock.Clock
	// ruleReady is set once version 1 of the grading rule is known to exist.
	ruleReady atomic.Bool
	// divisions are the boundaries a mine's location is checked against
	// (set once at wiring; nil leaves only the city's bounding box).
	divisions *geo.Divisions
}

// SetDivisions gives the registry the division boundaries, so a mine lying
// outside its division is warned about (not refused: the boundaries are
// coarse).
func (s *Service) SetDivisions(d *geo.Divisions) { s.divisions = d }

// NewService answers the registry over db, telling time by clk.
func NewService(db *store.DB, clk clock.Clock) *Service {
	return &Service{db: db, clk: clk}
}

// now is truncated to microseconds, the precision PostgreSQL keeps, so an
// answer equals what a later read returns.
func (s *Service) now() time.Time { return s.clk.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) today() string { return clock.Today(s.clk.Now()) }

// ensureTailingsRule stores the default grading rule as version 1 if there
// is none. It runs before a write's transaction because ruleset.Ensure opens
// its own, which SQLite would make wait on the outer one.
func (s *Service) ensureTailingsRule(ctx context.Context) error {
	if s.ruleReady.Load() {
		return nil
	}
	// A unique violation means another node stored version 1 meanwhile.
	_, err := ruleset.Ensure(ctx, s.db, TailingsGradeKind, DefaultTailingsRule(), tailingsDefaultNote, s.now())
	if err != nil && !store.IsUniqueViolation(err) {
		return err
	}
	s.ruleReady.Store(true)
	return nil
}

// signedIn refuses a missing principal (the router normally does).
func signedIn(p *auth.Principal) error {
	if p == nil {
		return fail.Unauthenticatedf("log in or send a bearer token")
	}
	return nil
}

// mayChangeRegistry refuses roles that never change enterprises or mines.
func mayChangeRegistry(p *auth.Principal) error {
	if err := signedIn(p); err != nil || p.Is(auth.RoleAdmin, auth.RoleCity, auth.RoleCounty) {
		return err
	}
	return fail.Forbiddenf("role %s may not change the registry", p.Role)
}

// mayChangeIn refuses a registry change in division region: admin and city
// users change any, county users only their own divisions.
func mayChangeIn(p *auth.Principal, region string) error {
	if err := mayChangeRegistry(p); err != nil {
		return err
	}
	if p.Is(auth.RoleCounty) && !p.SeesRegion(region) {
		if region == "" {
			return fail.Forbiddenf("a county user works only on enterprises registered in its divisions (%s), and region_code is empty", strings.Join(p.Regions, ", "))
		}
		return fail.Forbiddenf("division %s is outside your divisions (%s)", region, strings.Join(p.Regions, ", "))
	}
	return nil
}

// mayChangePeople refuses roles that never change people on duty; which
// mines a role reaches is settled by scope before this is asked.
func mayChangePeople(p *auth.Principal) error {
	if err := signedIn(p); err != nil || p.Is(auth.RoleAdmin, auth.RoleCity, auth.RoleCounty, auth.RoleEnterprise) {
		return err
	}
	return fail.Forbiddenf("role %s may not change people on duty", p.Role)
}

// place is where a record sits, for its events.
type place struct {
	region       string
	enterpriseID int64
	mineID       int64
}

// appendEvent writes the audit event of a change inside its transaction.
func (s *Service) appendEvent(ctx context.Context, tx *store.Tx, p *auth.Principal, recordType string, id int64, action string, at place, detail any, reason string) error {
	ev := events.New(p, s.now(), recordType, id, action).WithDetail(detail)
	ev.Reason = reason
	ev.RegionCode = at.region
	if at.enterpriseID != 0 {
		ev.EnterpriseID = &at.enterpriseID
	}
	if at.mineID != 0 {
		ev.MineID = &at.mineID
	}
	_, err := events.Append(ctx, tx, ev)
	return err
}

// changes records what a patch changed (field → new value) for the event.
type changes map[string]any

// set applies an optional patch value, recording it when it differs.
func set[T comparable](c changes, field string, dst *T, v *T) {
	if v != nil && *dst != *v {
		*dst = *v
		c[field] = *v
	}
}

// setPtr is set for a nullable destination.
func setPtr[T comparable](c changes, field string, dst **T, v *T) {
	if v != nil && (*dst == nil || **dst != *v) {
		*dst = v
		c[field] = *v
	}
}

// setFloat applies a PatchFloat, which may also clear the value.
func setFloat(c changes, field string, dst **float64, v PatchFloat) {
	if !v.Set {
		return
	}
	if v.Value == nil {
		if *dst != nil {
			*dst = nil
			c[field] = nil
		}
		return
	}
	setPtr(c, field, dst, v.Value)
}

// archiveTarget describes a record for the archive flow: load reads it
// under the caller's scope and checks the caller's right to change it.
type archiveTarget struct {
	table, recordType, what string
	load                    func(tx *store.Tx) (Lifecycle, place, error)
}

// archive is the flow every registry record shares: 404/403 from load, 409
// if archived already, 422 without a reason, then the row and its event.
func (s *Service) archive(ctx context.Context, p *auth.Principal, id int64, reason string, t archiveTarget) error {
	reason = strings.TrimSpace(reason)
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		l, at, err := t.load(tx)
		if err != nil {
			return err
		}
		if err := checkArchive(l, t.what, reason); err != nil {
			return err
		}
		if err := archiveRow(ctx, tx, t.table, id, reason, s.now()); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, p, t.recordType, id, "archive", at, nil, reason)
	})
}

// insertRow writes a new row of table (cols with values, plus the stamps)
// and its create event; at places the event once the id is known.
func (s *Service) insertRow(ctx context.Context, tx *store.Tx, p *auth.Principal, table string, cols []string, values []any,
	recordType string, at func(id int64) place, detail any) (int64, error) {
	now := s.now()
	id, err := tx.Insert(ctx, insertSQL(table, cols), append(values, now, now)...)
	if err != nil {
		return 0, err
	}
	return id, s.appendEvent(ctx, tx, p, recordType, id, "create", at(id), detail, "")
}

// updateRow rewrites a patched row of table and appends its update event
// naming the changes.
func (s *Service) updateRow(ctx context.Context, tx *store.Tx, p *auth.Principal, table string, cols []string, values []any,
	recordType string, id int64, at place, ch changes) error {
	if _, err := tx.Exec(ctx, updateSQL(table, cols), append(values, s.now(), id)...); err != nil {
		return err
	}
	return s.appendEvent(ctx, tx, p, recordType, id, "update", at, ch, "")
}
