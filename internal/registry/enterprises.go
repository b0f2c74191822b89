package registry

import (
	"context"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/store"
)

// enterpriseCols are the stored input columns, in the order of targets.
var enterpriseCols = []string{"name", "uscc", "parent_group", "ownership", "region_code", "address", "contact_name", "contact_phone", "demo"}

// targets serve both as scan destinations and as insert/update arguments
// (the drivers dereference pointer arguments).
func (in *EnterpriseInput) targets() []any {
	return []any{&in.Name, &in.USCC, &in.ParentGroup, &in.Ownership, (*nullText)(&in.RegionCode),
		&in.Address, &in.ContactName, &in.ContactPhone, &in.Demo}
}

var enterpriseSort = map[string]string{
	"id": "e.id", "name": "e.name", "uscc": "e.uscc", "ownership": "e.ownership", "region_code": "e.region_code",
	"mine_count": "mine_count", "created_at": "e.created_at", "updated_at": "e.updated_at",
}

// enterpriseScope limits a query to the enterprises p may see: an
// enterprise user its own; a regional user those registered in its
// divisions or owning a mine there; the city-wide roles all.
func enterpriseScope(p *auth.Principal) conds {
	var c conds
	own, args := p.MineScope("e.region_code", "e.id")
	if p == nil || p.Role == auth.RoleEnterprise || p.AllRegions() {
		c.add(own, args...)
		return c
	}
	mine, mineArgs := p.MineScope("m.region_code", "m.enterprise_id")
	c.add("("+own+" OR EXISTS (SELECT 1 FROM mines m WHERE m.enterprise_id = e.id AND "+mine+"))", append(args, mineArgs...)...)
	return c
}

// selectEnterprises runs the enterprise query; mine_count counts the
// unarchived mines p may see.
func selectEnterprises(ctx context.Context, q querier, p *auth.Principal, c conds, tail string, tailArgs ...any) ([]Enterprise, error) {
	mine, mineArgs := p.MineScope("m.region_code", "m.enterprise_id")
	query := "SELECT e.id, " + columns("e", enterpriseCols) +
		", (SELECT COUNT(*) FROM mines m WHERE m.enterprise_id = e.id AND m.archived_at IS NULL AND " + mine + ") AS mine_count, " +
		columns("e", lifecycleCols) + " FROM enterprises e" + c.where() + tail
	args := append(append(mineArgs, c.args...), tailArgs...)
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Enterprise{}
	for rows.Next() {
		var e Enterprise
		targets := append(append([]any{&e.ID}, e.EnterpriseInput.targets()...), &e.MineCount)
		if err := rows.Scan(append(targets, e.Lifecycle.targets()...)...); err != nil {
			return nil, err
		}
		e.utc()
		out = append(out, e)
	}
	return out, rows.Err()
}

func getEnterprise(ctx context.Context, q querier, p *auth.Principal, id int64) (Enterprise, error) {
	c := enterpriseScope(p)
	c.add("e.id = ?", id)
	es, err := selectEnterprises(ctx, q, p, c, "")
	if err != nil {
		return Enterprise{}, err
	}
	if len(es) == 0 {
		return Enterprise{}, fail.NotFoundf("no such enterprise")
	}
	return es[0], nil
}

// ListEnterprises answers a page of the enterprises p may see and their total.
func (s *Service) ListEnterprises(ctx context.Context, p *auth.Principal, f EnterpriseFilter) ([]Enterprise, int, error) {
	c := enterpriseScope(p)
	c.common("e", f.ListParams)
	if f.RegionCode != "" {
		c.add("e.region_code = ?", f.RegionCode)
	}
	if f.Ownership != "" {
		c.add("e.ownership = ?", f.Ownership)
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM enterprises e"+c.where(), c.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	tail, args := page(f.ListParams)
	es, err := selectEnterprises(ctx, s.db, p, c, " "+f.OrderBy(enterpriseSort, "e.id")+tail, args...)
	return es, total, err
}

// GetEnterprise answers one enterprise p may see (404 otherwise).
func (s *Service) GetEnterprise(ctx context.Context, p *auth.Principal, id int64) (Enterprise, error) {
	return getEnterprise(ctx, s.db, p, id)
}

// CreateEnterprise registers an enterprise (admin, city; county in its
// divisions). The USCC must be valid and unique.
func (s *Service) CreateEnterprise(ctx context.Context, p *auth.Principal, in EnterpriseInput) (Enterprise, error) {
	if err := mayChangeRegistry(p); err != nil {
		return Enterprise{}, err
	}
	var id int64
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := prepareEnterprise(ctx, tx, p, &in, 0); err != nil {
			return err
		}
		var err error
		id, err = s.insertRow(ctx, tx, p, "enterprises", enterpriseCols, in.targets(), "enterprise",
			func(id int64) place { return place{region: in.RegionCode, enterpriseID: id} }, in)
		return uniqueField(err, "uscc")
	})
	if err != nil {
		return Enterprise{}, err
	}
	return s.GetEnterprise(ctx, p, id)
}

// UpdateEnterprise changes the fields given.
func (s *Service) UpdateEnterprise(ctx context.Context, p *auth.Principal, id int64, patch EnterprisePatch) (Enterprise, error) {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		cur, err := getEnterprise(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if err := mayChangeIn(p, cur.RegionCode); err != nil {
			return err
		}
		if err := checkLive(cur.Lifecycle, "enterprise"); err != nil {
			return err
		}
		in := cur.EnterpriseInput
		ch := patch.apply(&in)
		if err := prepareEnterprise(ctx, tx, p, &in, id); err != nil || len(ch) == 0 {
			return err
		}
		err = s.updateRow(ctx, tx, p, "enterprises", enterpriseCols, in.targets(), "enterprise", id, place{region: in.RegionCode, enterpriseID: id}, ch)
		return uniqueField(err, "uscc")
	})
	if err != nil {
		return Enterprise{}, err
	}
	return s.GetEnterprise(ctx, p, id)
}

// ArchiveEnterprise archives an enterprise that has no unarchived mines.
func (s *Service) ArchiveEnterprise(ctx context.Context, p *auth.Principal, id int64, reason string) (Enterprise, error) {
	err := s.archive(ctx, p, id, reason, archiveTarget{table: "enterprises", recordType: "enterprise", what: "enterprise",
		load: func(tx *store.Tx) (Lifecycle, place, error) {
			e, err := getEnterprise(ctx, tx, p, id)
			if err == nil {
				err = mayChangeIn(p, e.RegionCode)
			}
			if err == nil {
				err = noActiveMines(ctx, tx, id)
			}
			return e.Lifecycle, place{region: e.RegionCode, enterpriseID: id}, err
		}})
	if err != nil {
		return Enterprise{}, err
	}
	return s.GetEnterprise(ctx, p, id)
}

func noActiveMines(ctx context.Context, q querier, enterpriseID int64) error {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM mines WHERE enterprise_id = ? AND archived_at IS NULL`, enterpriseID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fail.Conflictf("has_mines", "the enterprise still has %d unarchived mines: archive or move them first", n)
	}
	return nil
}

// prepareEnterprise checks a complete enterprise input inside tx: its
// fields, its division, p's right to register in that division (403 before
// 422) and the USCC's uniqueness.
func prepareEnterprise(ctx context.Context, tx *store.Tx, p *auth.Principal, in *EnterpriseInput, selfID int64) error {
	f := fail.Fields{}
	checkEnterprise(f, in)
	ok, err := checkRegion(ctx, tx, f, "region_code", in.RegionCode, false)
	if err != nil {
		return err
	}
	if ok || in.RegionCode == "" {
		if err := mayChangeIn(p, in.RegionCode); err != nil {
			return err
		}
	}
	if !f.Has("uscc") {
		if err := checkUnique(ctx, tx, f, "enterprises", "uscc", in.USCC, selfID); err != nil {
			return err
		}
	}
	return f.Err()
}

func (pt EnterprisePatch) apply(in *EnterpriseInput) changes {
	c := changes{}
	set(c, "name", &in.Name, pt.Name)
	set(c, "uscc", &in.USCC, pt.USCC)
	set(c, "parent_group", &in.ParentGroup, pt.ParentGroup)
	set(c, "ownership", &in.Ownership, pt.Ownership)
	set(c, "region_code", &in.RegionCode, pt.RegionCode)
	set(c, "address", &in.Address, pt.Address)
	set(c, "contact_name", &in.ContactName, pt.ContactName)
	set(c, "contact_phone", &in.ContactPhone, pt.ContactPhone)
	return c
}
