package accident

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"minesafe/internal/accident/kit"
	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/registry"
	"minesafe/internal/store"
)

// mayEnterProduction: regulators keep the figures; an enterprise reports
// its own mines' (scope has settled which mines it reaches).
func mayEnterProduction(p *auth.Principal) error {
	if p.Is(auth.RoleAdmin, auth.RoleCity, auth.RoleCounty, auth.RoleEnterprise) {
		return nil
	}
	return fail.Forbiddenf("role %s may not enter production (admin, city, county and enterprise users do)", p.Role)
}

const productionCols = `id, mine_id, region_code, enterprise_id, mine_kind, month, tonnes, source, note, created_at, updated_at`

var productionSort = map[string]string{"id": "id", "month": "month", "tonnes": "tonnes", "mine_id": "mine_id", "region_code": "region_code"}

// ProductionSortable lists the fields production sorts by.
func ProductionSortable() []string { return sortedKeys(productionSort) }

func scanProduction(row interface{ Scan(...any) error }) (Production, error) {
	var x Production
	err := row.Scan(&x.ID, &x.MineID, &x.RegionCode, &x.EnterpriseID, &x.MineKind, &x.Month, &x.Tonnes, &x.Source, &x.Note, &x.CreatedAt, &x.UpdatedAt)
	x.CreatedAt, x.UpdatedAt = x.CreatedAt.UTC(), x.UpdatedAt.UTC()
	return x, err
}

func (x *Production) finish(n names) {
	m := n.mines[x.MineID]
	x.MineCode, x.MineName, x.RegionName, x.Coal = m.Code, m.Name, n.regions[x.RegionCode], registry.IsCoal(x.MineKind)
}

// checkProduction checks a month's figure for mine m.
func checkProduction(f fail.Fields, m registry.Mine, in *ProductionInput) float64 {
	in.Month, in.Note = strings.TrimSpace(in.Month), strings.TrimSpace(in.Note)
	switch {
	case in.MineID <= 0:
		f.Add("mine_id", "required")
	case m.Kind == registry.KindTailingsPond:
		f.Add("mine_id", "a tailings pond has no output")
	}
	switch {
	case in.Month == "":
		f.Add("month", "required")
	case !kit.ValidMonth(in.Month) || !kit.ValidYear(year(in.Month)):
		f.Add("month", "must be a month YYYY-MM from %d to %d", kit.MinYear, kit.MaxYear)
	}
	switch {
	case in.Tonnes == nil:
		f.Add("tonnes", "required (0 when the mine produced nothing)")
	case math.IsNaN(*in.Tonnes) || *in.Tonnes < 0 || *in.Tonnes > 1e10:
		f.Add("tonnes", "must be from 0 to 10000000000 tonnes")
	default:
		return *in.Tonnes
	}
	if len([]rune(in.Note)) > 2000 {
		f.Add("note", "at most 2000 characters")
	}
	return 0
}

func year(month string) int {
	y, _ := strconv.Atoi(month[:4])
	return y
}

// PostProduction records a mine's output of a month (admin, city, county in
// its divisions, the mine's enterprise). Posting a month again replaces the
// figure; the event keeps the old one. Refusals: 404 mine missing or out of
// scope, 403 role, 409 mine archived, 422 fields.
func (s *Service) PostProduction(ctx context.Context, p *auth.Principal, in ProductionInput) (Production, error) {
	if p == nil {
		return Production{}, fail.Unauthenticatedf("log in or send a bearer token")
	}
	m, err := s.visibleMine(ctx, p, in.MineID)
	if err != nil {
		return Production{}, err
	}
	if err := mayEnterProduction(p); err != nil {
		return Production{}, err
	}
	if err := liveMine(m); in.MineID > 0 && err != nil {
		return Production{}, err
	}
	f := fail.Fields{}
	tonnes := checkProduction(f, m, &in)
	if err := f.Err(); err != nil {
		return Production{}, err
	}
	var id int64
	var prev *float64
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		id, prev, err = s.saveProduction(ctx, tx, p, m, in.Month, tonnes, in.Note, "entry")
		return err
	})
	if err != nil {
		return Production{}, err
	}
	x, err := s.getProduction(ctx, p, id)
	x.Replaced, x.PreviousTonnes = prev != nil, prev
	return x, err
}

// saveProduction inserts or replaces the figure inside tx with its event,
// answering the id and the replaced figure (nil when new).
func (s *Service) saveProduction(ctx context.Context, tx *store.Tx, p *auth.Principal, m registry.Mine, month string, tonnes float64, note, source string) (int64, *float64, error) {
	var id int64
	var old float64
	err := tx.QueryRow(ctx, `SELECT id, tonnes FROM production WHERE mine_id = ? AND month = ?`, m.ID, month).Scan(&id, &old)
	now := s.now()
	detail := map[string]any{"month": month, "tonnes": tonnes, "source": source, "note": note}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		// ON CONFLICT: a concurrent first post of the same month replaces.
		id, err = tx.Insert(ctx, `INSERT INTO production (mine_id, region_code, enterprise_id, mine_kind, month, tonnes, source, note, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (mine_id, month) DO UPDATE SET tonnes = excluded.tonnes, source = excluded.source,
			note = excluded.note, updated_at = excluded.updated_at`,
			m.ID, m.RegionCode, m.EnterpriseID, m.Kind, month, tonnes, source, note, now, now)
		if err != nil {
			return 0, nil, err
		}
		return id, nil, s.event(ctx, tx, p, "production", id, "create", m, detail, "")
	case err != nil:
		return 0, nil, err
	}
	// The mine's division, enterprise and kind are taken afresh, so posting
	// a month again also moves it where the registry now has the mine.
	_, err = tx.Exec(ctx, `UPDATE production SET region_code = ?, enterprise_id = ?, mine_kind = ?, tonnes = ?, source = ?, note = ?, updated_at = ? WHERE id = ?`,
		m.RegionCode, m.EnterpriseID, m.Kind, tonnes, source, note, now, id)
	if err != nil {
		return 0, nil, err
	}
	detail["previous_tonnes"] = old
	return id, &old, s.event(ctx, tx, p, "production", id, "replace", m, detail, "")
}

func (s *Service) getProduction(ctx context.Context, p *auth.Principal, id int64) (Production, error) {
	scope, args := p.MineScope("region_code", "enterprise_id")
	x, err := scanProduction(s.db.QueryRow(ctx, `SELECT `+productionCols+` FROM production WHERE id = ? AND `+scope, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return x, fail.NotFoundf("no such production figure")
	}
	if err != nil {
		return x, err
	}
	n, err := s.loadNames(ctx)
	x.finish(n)
	return x, err
}

// ImportRow is one row of an uploaded production sheet (line numbers count
// from 1, the header being line 1).
type ImportRow struct {
	Line     int
	MineCode string
	Month    string
	Tonnes   string
	Note     string
}

// ImportResult counts what an import did and lists the rows it refused.
type ImportResult struct {
	Created  int           `json:"created"`
	Replaced int           `json:"replaced"`
	Rejected []RejectedRow `json:"rejected"`
}

// RejectedRow is a refused row and why.
type RejectedRow struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// ImportProduction records the rows of an uploaded sheet in one
// transaction, each like PostProduction; rows naming a mine the caller may
// not see, or with bad fields, are refused with the reason and the others
// kept.
func (s *Service) ImportProduction(ctx context.Context, p *auth.Principal, rows []ImportRow) (ImportResult, error) {
	res := ImportResult{Rejected: []RejectedRow{}}
	if p == nil {
		return res, fail.Unauthenticatedf("log in or send a bearer token")
	}
	if err := mayEnterProduction(p); err != nil {
		return res, err
	}
	type good struct {
		m      registry.Mine
		month  string
		tonnes float64
		note   string
	}
	var ok []good
	for _, r := range rows {
		m, err := s.reg.MineByCode(ctx, strings.TrimSpace(r.MineCode))
		if err == nil && !p.SeesMine(m.RegionCode, m.EnterpriseID) {
			err = fail.NotFoundf("no such mine")
		}
		if err == nil {
			err = liveMine(m)
		}
		if err != nil {
			if _, refused := fail.As(err); !refused {
				return res, err
			}
			res.Rejected = append(res.Rejected, RejectedRow{Line: r.Line, Reason: fmt.Sprintf("mine %q: %v", r.MineCode, err)})
			continue
		}
		in := ProductionInput{MineID: m.ID, Month: normalMonth(r.Month), Note: r.Note}
		if t, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(r.Tonnes), ",", ""), 64); err == nil {
			in.Tonnes = &t
		}
		f := fail.Fields{}
		tonnes := checkProduction(f, m, &in)
		if strings.TrimSpace(r.Tonnes) != "" && in.Tonnes == nil {
			f = fail.Fields{"tonnes": "must be a number"}
		}
		if err := f.Err(); err != nil {
			res.Rejected = append(res.Rejected, RejectedRow{Line: r.Line, Reason: err.Error()})
			continue
		}
		ok = append(ok, good{m, in.Month, tonnes, in.Note})
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		res.Created, res.Replaced = 0, 0
		for _, g := range ok {
			_, prev, err := s.saveProduction(ctx, tx, p, g.m, g.month, g.tonnes, g.note, "import")
			if err != nil {
				return err
			}
			if prev != nil {
				res.Replaced++
			} else {
				res.Created++
			}
		}
		return nil
	})
	return res, err
}

// normalMonth reads the ways a sheet writes a month: 2026-03, 2026/3,
// 2026-03-01, 2026年3月, 202603.
func normalMonth(v string) string {
	v = strings.TrimSpace(v)
	v = strings.NewReplacer("年", "-", "月", "", "/", "-", ".", "-").Replace(v)
	if len(v) == 6 && !strings.Contains(v, "-") {
		v = v[:4] + "-" + v[4:]
	}
	parts := strings.Split(v, "-")
	if len(parts) < 2 {
		return v
	}
	m, err := strconv.Atoi(parts[1])
	if err != nil || len(parts[0]) != 4 {
		return v
	}
	return fmt.Sprintf("%s-%02d", parts[0], m)
}

func (f ProductionFilter) where(p *auth.Principal) kit.Where {
	var w kit.Where
	scope, args := p.MineScope("region_code", "enterprise_id")
	w.Add(scope, args...)
	if f.Year != 0 {
		w.Add("month >= ? AND month <= ?", fmt.Sprintf("%04d-01", f.Year), fmt.Sprintf("%04d-12", f.Year))
	}
	if f.From != "" {
		w.Add("month >= ?", f.From)
	}
	if f.To != "" {
		w.Add("month <= ?", f.To)
	}
	if f.RegionCode != "" {
		c, a := kit.RegionCond("region_code", f.RegionCode)
		w.Add(c, a...)
	}
	if f.MineID != 0 {
		w.Add("mine_id = ?", f.MineID)
	}
	if f.Coal != nil {
		w.Add(map[bool]string{true: "", false: "NOT "}[*f.Coal]+"mine_kind IN (?, ?)", registry.KindCoalUnderground, registry.KindCoalOpenpit)
	}
	return w
}

// ListProduction answers a page of the production figures p may see (a
// zero Limit: all), their total and their sum in tonnes.
func (s *Service) ListProduction(ctx context.Context, p *auth.Principal, f ProductionFilter) ([]Production, int, float64, error) {
	w := f.where(p)
	var total int
	var sum float64
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(tonnes), 0) FROM production`+w.SQL(), w.Args...).Scan(&total, &sum); err != nil {
		return nil, 0, 0, err
	}
	tail, targs := kit.Page(f.ListParams)
	rows, err := s.db.Query(ctx, `SELECT `+productionCols+` FROM production`+w.SQL()+` `+f.OrderBy(productionSort, "id")+tail, append(w.Args, targs...)...)
	if err != nil {
		return nil, 0, 0, err
	}
	defer rows.Close()
	out := []Production{}
	for rows.Next() {
		x, err := scanProduction(rows)
		if err != nil {
			return nil, 0, 0, err
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, 0, err
	}
	n, err := s.loadNames(ctx)
	for i := range out {
		out[i].finish(n)
	}
	return out, total, sum, err
}

// ProductionTrail answers every event of a production figure p may see:
// each replacement keeps the figure it replaced.
func (s *Service) ProductionTrail(ctx context.Context, p *auth.Principal, id int64) ([]events.Event, error) {
	if _, err := s.getProduction(ctx, p, id); err != nil {
		return nil, err
	}
	return events.Trail(ctx, s.db, "production", id)
}
