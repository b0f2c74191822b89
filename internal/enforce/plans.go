package enforce

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
)

// cityCode is the city's own division code: a plan of the city regulator
// covers every division.
const cityCode = "150700"

// PlanInput is an annual inspection plan of one regulator unit (a division
// code, or the city's). Without items the plan takes every active mine of
// the division with its default risk class.
type PlanInput struct {
	RegionCode string          `json:"region_code"`
	Year       int             `json:"year"`
	Name       string          `json:"name"`
	Note       string          `json:"note"`
	Items      []PlanItemInput `json:"items"`
}

// PlanItemInput is a mine of a plan; an empty risk class takes the default.
type PlanItemInput struct {
	MineID    int64  `json:"mine_id"`
	RiskClass string `json:"risk_class"`
}

// PlanItem is a mine of a plan with its risk class, why it has it, the
// inspections a year that asks for and those done so far in the plan's
// year (submitted or later).
type PlanItem struct {
	MineID     int64  `json:"mine_id"`
	MineCode   string `json:"mine_code"`
	MineName   string `json:"mine_name"`
	MineKind   string `json:"mine_kind"`
	RiskClass  string `json:"risk_class"`
	RiskSource string `json:"risk_source"`
	PerYear    int    `json:"per_year"`
	Done       int    `json:"done"`
}

// Plan is an annual inspection plan.
type Plan struct {
	ID               int64      `json:"id"`
	RegionCode       string     `json:"region_code"`
	Year             int        `json:"year"`
	Name             string     `json:"name"`
	Note             string     `json:"note"`
	FrequencyVersion int        `json:"frequency_version"`
	ItemCount        int        `json:"item_count"`
	CreatedAt        time.Time  `json:"created_at"`
	Creator          string     `json:"creator"`
	Items            []PlanItem `json:"items,omitzero"`
	Draws            []Draw     `json:"draws,omitzero"`
}

// mayReadPlans: plans and draws are the regulator's; a mine must not learn
// in advance that it was drawn.
func mayReadPlans(p *auth.Principal) error {
	if p.Is(auth.RoleEnterprise) {
		return fail.Forbiddenf("inspection plans are for regulators")
	}
	return nil
}

// mayPlan: the regulator units plan and draw (admin, city, county).
func mayPlan(p *auth.Principal) error {
	if !p.Is(auth.RoleAdmin, auth.RoleCity, auth.RoleCounty) {
		return fail.Forbiddenf("role %s may not plan inspections", p.Role)
	}
	return nil
}

// inRegion tells whether a mine's division lies in a plan's unit.
func inRegion(unit, mineRegion string) bool { return unit == cityCode || unit == mineRegion }

// DefaultRiskClass is a mine's risk class when a plan does not give one,
// and why: from its kind and status, raised one class while it has an
// active orange or red alarm (docs/enforcement.md).
func DefaultRiskClass(m registry.Mine, alarmLevel string) (string, string) {
	class, why := RiskMedium, "default"
	switch {
	case m.Status == "closed":
		class, why = RiskLow, "closed"
	case m.Status == "halted":
		class, why = RiskHigh, "halted (停产整顿)"
	case m.Status == "suspended":
		class, why = RiskMedium, "suspended"
	case m.Kind == registry.KindCoalUnderground && (m.GasClass == "outburst" || m.GasClass == "high" || m.HydroType == "complex" || m.HydroType == "very_complex" || m.RockBurst == "strong"):
		class, why = RiskMajor, "underground coal with high gas, outburst, complex water or strong rock burst"
	case m.Kind == registry.KindCoalUnderground, m.Kind == registry.KindMetalUnderground:
		class, why = RiskHigh, "underground"
	case m.Kind == registry.KindTailingsPond && m.Tailings != nil && (m.Tailings.HeadTop || (m.Tailings.Grade > 0 && m.Tailings.Grade <= 2)):
		class, why = RiskMajor, "tailings pond of grade 1–2 or 头顶库"
	case m.Kind == registry.KindTailingsPond:
		class, why = RiskMedium, "tailings pond"
	case m.Kind == registry.KindCoalOpenpit, m.Kind == registry.KindMetalOpenpit:
		class, why = RiskMedium, "open pit"
	}
	if alarmLevel == "red" || alarmLevel == "orange" {
		if i := slices.Index(riskClasses, class); i < len(riskClasses)-1 {
			class = riskClasses[i+1]
			why += "; raised by an active " + alarmLevel + " alarm"
		}
	}
	return class, "default: " + why
}

// CreatePlan creates an annual plan (admin, city; county for its divisions).
func (s *Service) CreatePlan(ctx context.Context, p *auth.Principal, in PlanInput) (Plan, error) {
	if err := mayPlan(p); err != nil {
		return Plan{}, err
	}
	f := fail.Fields{}
	in.Name, in.Note, in.RegionCode = strings.TrimSpace(in.Name), strings.TrimSpace(in.Note), strings.TrimSpace(in.RegionCode)
	if in.Name == "" || len([]rune(in.Name)) > 200 {
		f.Add("name", "required, at most 200 characters")
	}
	if in.Year < 2000 || in.Year > 2100 {
		f.Add("year", "a year such as 2026")
	}
	if in.RegionCode == "" {
		f.Add("region_code", "the regulator unit's division code (%s for the city)", cityCode)
	} else if _, err := s.reg.Region(ctx, p, in.RegionCode); err != nil {
		if !fail.Is(err, fail.NotFound) {
			return Plan{}, err
		}
		f.Add("region_code", "no such division")
	} else if !p.SeesRegion(in.RegionCode) {
		return Plan{}, fail.Forbiddenf("division %s is outside your divisions", in.RegionCode)
	}
	if err := f.Err(); err != nil {
		return Plan{}, err
	}
	freq, err := frequencyRules.current(ctx, s)
	if err != nil {
		return Plan{}, err
	}
	items, err := s.planItems(ctx, p, in, f)
	if err != nil {
		return Plan{}, err
	}
	for i := range items {
		items[i].PerYear = freq.Rules[items[i].RiskClass]
	}
	var id int64
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		id, err = tx.Insert(ctx, `INSERT INTO inspection_plans (region_code, year, name, note, frequency_version, created_at, created_by, creator)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, in.RegionCode, in.Year, in.Name, in.Note, freq.Version, s.now(), p.ActorID(), p.Name())
		if err != nil {
			return err
		}
		for _, it := range items {
			if _, err := tx.Exec(ctx, `INSERT INTO inspection_plan_items (plan_id, mine_id, risk_class, risk_source, per_year) VALUES (?, ?, ?, ?, ?)`,
				id, it.MineID, it.RiskClass, it.RiskSource, it.PerYear); err != nil {
				return err
			}
		}
		return s.appendEvent(ctx, tx, p, "inspection_plan", id, "create", place{regionCode: in.RegionCode},
			map[string]any{"year": in.Year, "name": in.Name, "items": len(items), "frequency_version": freq.Version}, "")
	})
	if err != nil {
		return Plan{}, err
	}
	return s.GetPlan(ctx, p, id)
}

// planItems resolves a plan's mines: the given ones (each visible to p and
// in the unit's division) or every active mine of the unit.
func (s *Service) planItems(ctx context.Context, p *auth.Principal, in PlanInput, f fail.Fields) ([]PlanItem, error) {
	var mines []registry.Mine
	given := map[int64]string{}
	if len(in.Items) == 0 {
		filter := registry.MineFilter{}
		if in.RegionCode != cityCode {
			filter.RegionCode = in.RegionCode
		}
		ms, _, err := s.reg.ListMines(ctx, p, filter)
		if err != nil {
			return nil, err
		}
		mines = ms
	}
	for i, it := range in.Items {
		at := fmt.Sprintf("items[%d]", i)
		m, err := s.reg.GetMine(ctx, p, it.MineID)
		switch {
		case fail.Is(err, fail.NotFound):
			f.Add(at+".mine_id", "no such mine")
			continue
		case err != nil:
			return nil, err
		case !inRegion(in.RegionCode, m.RegionCode):
			f.Add(at+".mine_id", "mine %s is in division %s, outside the plan's %s", m.Code, m.RegionCode, in.RegionCode)
		case m.ArchivedAt != nil:
			f.Add(at+".mine_id", "mine %s is archived", m.Code)
		}
		if _, dup := given[it.MineID]; dup {
			f.Add(at+".mine_id", "given twice")
		}
		if it.RiskClass != "" && !slices.Contains(riskClasses, it.RiskClass) {
			f.Add(at+".risk_class", "major, high, medium or low (or empty for the default)")
		}
		given[it.MineID] = it.RiskClass
		mines = append(mines, m)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if len(mines) == 0 {
		return nil, fail.Invalidf("items", "the division has no active mine to plan")
	}
	items := make([]PlanItem, len(mines))
	for i, m := range mines {
		class, source := given[m.ID], "given"
		if class == "" {
			class, source = DefaultRiskClass(m, s.mineAlarmLevel(m.ID))
		}
		items[i] = PlanItem{MineID: m.ID, MineCode: m.Code, MineName: m.Name, MineKind: m.Kind, RiskClass: class, RiskSource: source}
	}
	return items, nil
}

func (s *Service) mineAlarmLevel(mineID int64) string {
	if s.alarms == nil {
		return ""
	}
	return s.alarms.MineLevel(mineID)
}

const planCols = `pl.id, pl.region_code, pl.year, pl.name, pl.note, pl.frequency_version, pl.created_at, pl.creator,
	(SELECT COUNT(*) FROM inspection_plan_items it WHERE it.plan_id = pl.id)`

func scanPlan(row interface{ Scan(...any) error }) (Plan, error) {
	var pl Plan
	err := row.Scan(&pl.ID, &pl.RegionCode, &pl.Year, &pl.Name, &pl.Note, &pl.FrequencyVersion, &pl.CreatedAt, &pl.Creator, &pl.ItemCount)
	pl.CreatedAt = pl.CreatedAt.UTC()
	return pl, err
}

// PlanFilter selects plans.
type PlanFilter struct {
	httpx.ListParams
	RegionCode string
	Year       int
}

// ListPlans answers the plans of the units p may see, newest first.
func (s *Service) ListPlans(ctx context.Context, p *auth.Principal, f PlanFilter) ([]Plan, int, error) {
	if err := mayReadPlans(p); err != nil {
		return nil, 0, err
	}
	where, args := p.MineScope("pl.region_code", "0")
	if f.RegionCode != "" {
		where += " AND pl.region_code = ?"
		args = append(args, f.RegionCode)
	}
	if f.Year != 0 {
		where += " AND pl.year = ?"
		args = append(args, f.Year)
	}
	return list(ctx, s.db, `FROM inspection_plans pl WHERE `+where, args, `SELECT `+planCols, `ORDER BY pl.year DESC, pl.id DESC`, f.ListParams, scanPlan)
}

// GetPlan answers a plan with its mines and draws.
func (s *Service) GetPlan(ctx context.Context, p *auth.Principal, id int64) (Plan, error) {
	pl, err := s.plan(ctx, p, id)
	if err != nil {
		return pl, err
	}
	rows, err := s.db.Query(ctx, `SELECT it.mine_id, m.code, m.name, m.kind, it.risk_class, it.risk_source, it.per_year,
		(SELECT COUNT(*) FROM inspections i WHERE i.mine_id = it.mine_id AND i.state <> 'draft' AND i.inspected_on >= ? AND i.inspected_on < ?)
		FROM inspection_plan_items it JOIN mines m ON m.id = it.mine_id WHERE it.plan_id = ? ORDER BY m.code`,
		fmt.Sprintf("%d-01-01", pl.Year), fmt.Sprintf("%d-01-01", pl.Year+1), id)
	if err != nil {
		return pl, err
	}
	defer rows.Close()
	pl.Items = []PlanItem{}
	for rows.Next() {
		var it PlanItem
		if err := rows.Scan(&it.MineID, &it.MineCode, &it.MineName, &it.MineKind, &it.RiskClass, &it.RiskSource, &it.PerYear, &it.Done); err != nil {
			return pl, err
		}
		pl.Items = append(pl.Items, it)
	}
	if err := rows.Err(); err != nil {
		return pl, err
	}
	pl.Draws, err = s.draws(ctx, `d.plan_id = ?`, id)
	return pl, err
}

// plan answers a plan p may see (404 otherwise), without items.
func (s *Service) plan(ctx context.Context, p *auth.Principal, id int64) (Plan, error) {
	if err := mayReadPlans(p); err != nil {
		return Plan{}, err
	}
	where, args := p.MineScope("pl.region_code", "0")
	pl, err := scanPlan(s.db.QueryRow(ctx, `SELECT `+planCols+` FROM inspection_plans pl WHERE pl.id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return pl, fail.NotFoundf("no such inspection plan")
	}
	return pl, err
}

// DrawInput asks for a random draw: how many mines, the seed (generated
// when empty) and optionally an inspector pool to assign per_mine
// inspectors (default 2) to each drawn mine.
type DrawInput struct {
	Count      int         `json:"count"`
	Seed       string      `json:"seed"`
	Inspectors []Inspector `json:"inspectors"`
	PerMine    int         `json:"per_mine"`
}

// Draw is a recorded random draw: everything needed to draw again.
type Draw struct {
	ID            int64       `json:"id"`
	PlanID        int64       `json:"plan_id"`
	Count         int         `json:"count"`
	Seed          string      `json:"seed"`
	Algorithm     string      `json:"algorithm"`
	Candidates    []Candidate `json:"candidates"`
	CandidateHash string      `json:"candidate_hash"`
	InspectorPool []Inspector `json:"inspector_pool"`
	PerMine       int         `json:"per_mine"`
	Selected      []Selection `json:"selected"`
	CreatedAt     time.Time   `json:"created_at"`
	Creator       string      `json:"creator"`
}

// DrawPlan draws mines of a plan (and inspectors for them) and records the
// draw.
func (s *Service) DrawPlan(ctx context.Context, p *auth.Principal, planID int64, in DrawInput) (Draw, error) {
	pl, err := s.GetPlan(ctx, p, planID)
	if err != nil {
		return Draw{}, err
	}
	if err := mayPlan(p); err != nil {
		return Draw{}, err
	}
	f := fail.Fields{}
	if in.Count < 1 || in.Count > len(pl.Items) {
		f.Add("count", "from 1 to the plan's %d mines", len(pl.Items))
	}
	in.Seed = strings.TrimSpace(in.Seed)
	if len(in.Seed) > 200 {
		f.Add("seed", "at most 200 characters")
	}
	if len(in.Inspectors) > 0 {
		if in.PerMine == 0 {
			in.PerMine = 2
		}
		checkInspectors(f, "inspectors", in.Inspectors)
		if in.PerMine < 2 || in.PerMine > len(in.Inspectors) {
			f.Add("per_mine", "from 2 (an inspection needs two) to the pool's %d inspectors", len(in.Inspectors))
		}
	} else {
		in.PerMine = 0
	}
	if err := f.Err(); err != nil {
		return Draw{}, err
	}
	if in.Seed == "" {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return Draw{}, err
		}
		in.Seed = hex.EncodeToString(b[:])
	}
	cands := make([]Candidate, len(pl.Items))
	for i, it := range pl.Items {
		cands[i] = Candidate{MineID: it.MineID, Code: it.MineCode}
	}
	sortCandidates(cands)
	if in.Inspectors == nil {
		in.Inspectors = []Inspector{}
	}
	d := Draw{PlanID: planID, Count: in.Count, Seed: in.Seed, Algorithm: DrawAlgorithm, Candidates: cands, CandidateHash: CandidateHash(cands),
		InspectorPool: in.Inspectors, PerMine: in.PerMine, Selected: DrawMines(in.Seed, cands, in.Count, in.Inspectors, in.PerMine),
		CreatedAt: s.now(), Creator: p.Name()}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		d.ID, err = tx.Insert(ctx, `INSERT INTO inspection_draws (plan_id, draw_count, seed, algorithm, candidates, candidate_hash, inspector_pool, per_mine, selected, created_at, created_by, creator)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, planID, d.Count, d.Seed, d.Algorithm, jsonText(d.Candidates), d.CandidateHash,
			jsonText(d.InspectorPool), d.PerMine, jsonText(d.Selected), d.CreatedAt, p.ActorID(), d.Creator)
		if err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, p, "inspection_plan", planID, "draw", place{regionCode: pl.RegionCode},
			map[string]any{"draw_id": d.ID, "seed": d.Seed, "algorithm": d.Algorithm, "candidate_hash": d.CandidateHash, "selected": d.Selected}, "")
	})
	return d, err
}

func (s *Service) draws(ctx context.Context, where string, args ...any) ([]Draw, error) {
	rows, err := s.db.Query(ctx, `SELECT d.id, d.plan_id, d.draw_count, d.seed, d.algorithm, d.candidates, d.candidate_hash, d.inspector_pool, d.per_mine, d.selected, d.created_at, d.creator
		FROM inspection_draws d WHERE `+where+` ORDER BY d.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Draw{}
	for rows.Next() {
		var d Draw
		var cands, pool, sel string
		if err := rows.Scan(&d.ID, &d.PlanID, &d.Count, &d.Seed, &d.Algorithm, &cands, &d.CandidateHash, &pool, &d.PerMine, &sel, &d.CreatedAt, &d.Creator); err != nil {
			return nil, err
		}
		d.CreatedAt = d.CreatedAt.UTC()
		if err := fromJSON(cands, &d.Candidates); err != nil {
			return nil, err
		}
		if err := fromJSON(pool, &d.InspectorPool); err != nil {
			return nil, err
		}
		if err := fromJSON(sel, &d.Selected); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DrawCheck is the answer of re-drawing a recorded draw.
type DrawCheck struct {
	DrawID              int64       `json:"draw_id"`
	Algorithm           string      `json:"algorithm"`
	Seed                string      `json:"seed"`
	CandidateHash       string      `json:"candidate_hash"`
	RecomputedHash      string      `json:"recomputed_hash"`
	Selected            []Selection `json:"selected"`
	Recomputed          []Selection `json:"recomputed"`
	OK                  bool        `json:"ok"`
	CandidatesUnchanged bool        `json:"candidates_unchanged"`
}

// VerifyDraw draws again from the recorded seed and candidates and compares
// with what was recorded; it also tells whether the plan's mines are still
// the candidates that were drawn from.
func (s *Service) VerifyDraw(ctx context.Context, p *auth.Principal, planID, drawID int64) (DrawCheck, error) {
	pl, err := s.GetPlan(ctx, p, planID)
	if err != nil {
		return DrawCheck{}, err
	}
	var d *Draw
	for i := range pl.Draws {
		if pl.Draws[i].ID == drawID {
			d = &pl.Draws[i]
		}
	}
	if d == nil {
		return DrawCheck{}, fail.NotFoundf("no such draw of this plan")
	}
	if d.Algorithm != DrawAlgorithm {
		return DrawCheck{}, fail.Conflictf("unknown_algorithm", "draw %d used %s, which this version cannot redo", d.ID, d.Algorithm)
	}
	again := DrawMines(d.Seed, d.Candidates, d.Count, d.InspectorPool, d.PerMine)
	current := make([]Candidate, len(pl.Items))
	for i, it := range pl.Items {
		current[i] = Candidate{MineID: it.MineID, Code: it.MineCode}
	}
	c := DrawCheck{DrawID: d.ID, Algorithm: d.Algorithm, Seed: d.Seed, CandidateHash: d.CandidateHash, RecomputedHash: CandidateHash(d.Candidates),
		Selected: d.Selected, Recomputed: again, CandidatesUnchanged: CandidateHash(current) == d.CandidateHash}
	c.OK = c.RecomputedHash == c.CandidateHash && jsonText(again) == jsonText(d.Selected)
	return c, nil
}

// jsonText marshals v for a JSON text column.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own plain types are stored
	}
	return string(b)
}

func fromJSON(s string, v any) error {
	if s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), v)
}

// list runs a scoped list query: the count of from+where, then one page
// ordered by order, scanned by scan.
func list[T any](ctx context.Context, db *store.DB, from string, args []any, sel, order string, lp httpx.ListParams, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, int, error) {
	var total int
	if err := db.QueryRow(ctx, `SELECT COUNT(*) `+from, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	q := sel + " " + from + " " + order
	if lp.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, lp.Limit, lp.Offset)
	}
	rows, err := db.Query(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}
