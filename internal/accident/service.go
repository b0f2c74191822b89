// Package accident records mine accidents, graded by 条例493号 第三条 kept as
// versioned rule data, and the monthly output of each mine: the records the
// plan's indicators (专栏1) are computed from.
//
//	NewService(db, clk, reg, Options) *Service; (*Service).Routes(r)
//	Create(ctx, p, Input); Update(ctx, p, id, Patch); Archive(ctx, p, id, reason)
//	Get(ctx, p, id); List(ctx, p, Filter) ([]Accident, int, error); Trail(ctx, p, id)
//	PostProduction(ctx, p, ProductionInput); ImportProduction(ctx, p, rows)
//	ListProduction(ctx, p, ProductionFilter)
//	Tally(ctx, p, fromYear, toYear) (map[int]map[string]*Figures, error)
//	RecordsIn(ctx, year) (accidents, production bool, err error)
//	GradeRule(ctx) (GradeRule, int, error); Grade(rule, deaths, injuries, loss)
//
// Accidents are entered by regulators (admin, city, county in its
// divisions); production also by the mine's enterprise. Every write appends
// its event (record types "accident", "production") in the same transaction;
// nothing is deleted: a wrong accident is archived with its reason and no
// longer counts.
package accident

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"minesafe/internal/accident/kit"
	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
)

// Options tune the service.
type Options struct {
	Log *slog.Logger
	// HazardsOpenBefore is the link, with the mine id and the day, to the
	// hazards open at a mine on a day (the hazard capability serves it).
	HazardsOpenBefore string
}

// DefaultHazardsOpenBefore is the hazard capability's route.
const DefaultHazardsOpenBefore = "/api/v1/mines/%d/hazards-open-before?date=%s"

// Service records accidents and production.
type Service struct {
	db    *store.DB
	clk   clock.Clock
	reg   *registry.Service
	log   *slog.Logger
	opt   Options
	grade *kit.Rule[GradeRule]
}

// NewService answers the accident service; it needs no Start.
func NewService(db *store.DB, clk clock.Clock, reg *registry.Service, opt Options) *Service {
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.HazardsOpenBefore == "" {
		opt.HazardsOpenBefore = DefaultHazardsOpenBefore
	}
	return &Service{db: db, clk: clk, reg: reg, log: opt.Log, opt: opt,
		grade: kit.NewRule(db, clk, GradeKind, DefaultGradeRule, gradeNote)}
}

// now is truncated to microseconds, the precision PostgreSQL keeps, so an
// answer equals what a later read returns.
func (s *Service) now() time.Time { return s.clk.Now().UTC().Truncate(time.Microsecond) }

// GradeRule answers the grading rule in force and its version.
func (s *Service) GradeRule(ctx context.Context) (GradeRule, int, error) { return s.grade.InForce(ctx) }

// mayEnterAccidents: regulators that keep the accident record.
func mayEnterAccidents(p *auth.Principal) error {
	if p.Is(auth.RoleAdmin, auth.RoleCity, auth.RoleCounty) {
		return nil
	}
	return fail.Forbiddenf("role %s may not enter accidents (admin, city and county users do)", p.Role)
}

// visibleMine answers the mine p may see: 404 when it is missing or outside
// p's scope. An id ≤ 0 answers the zero mine, left to the field checks.
func (s *Service) visibleMine(ctx context.Context, p *auth.Principal, id int64) (registry.Mine, error) {
	if id <= 0 {
		return registry.Mine{}, nil
	}
	return s.reg.GetMine(ctx, p, id)
}

func liveMine(m registry.Mine) error {
	if m.ArchivedAt != nil {
		return fail.Conflictf("archived", "mine %s is archived", m.Name)
	}
	return nil
}

const accidentCols = `a.id, a.mine_id, a.region_code, a.enterprise_id, a.mine_kind, a.occurred_at, a.occurred_on, a.type,
	a.deaths, a.serious_injuries, a.direct_loss_yuan, a.contractor_involved, a.narrative, a.grade, a.grade_rule_version,
	a.created_at, a.updated_at, a.archived_at, a.archive_reason`

var accidentSort = map[string]string{
	"id": "a.id", "occurred_at": "a.occurred_at", "deaths": "a.deaths", "serious_injuries": "a.serious_injuries",
	"direct_loss_yuan": "a.direct_loss_yuan", "mine_id": "a.mine_id", "region_code": "a.region_code",
}

// AccidentSortable lists the fields accidents sort by.
func AccidentSortable() []string { return sortedKeys(accidentSort) }

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func scanAccident(row interface{ Scan(...any) error }) (Accident, error) {
	var a Accident
	err := row.Scan(&a.ID, &a.MineID, &a.RegionCode, &a.EnterpriseID, &a.MineKind, &a.OccurredAt, &a.OccurredOn, &a.Type,
		&a.Deaths, &a.SeriousInjuries, &a.DirectLossYuan, &a.ContractorInvolved, &a.Narrative, &a.Grade, &a.GradeRuleVersion,
		&a.CreatedAt, &a.UpdatedAt, &a.ArchivedAt, &a.ArchiveReason)
	a.OccurredAt, a.CreatedAt, a.UpdatedAt = a.OccurredAt.UTC(), a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	if a.ArchivedAt != nil {
		t := a.ArchivedAt.UTC()
		a.ArchivedAt = &t
	}
	return a, err
}

// names are the registry's mines and divisions, to name records by.
type names struct {
	mines   map[int64]registry.Mine
	regions map[string]string
}

// loadNames reads every mine (archived too) and division. Records already
// passed the caller's scope, so naming their mines reveals nothing more.
func (s *Service) loadNames(ctx context.Context) (names, error) {
	n := names{mines: map[int64]registry.Mine{}, regions: map[string]string{}}
	ms, _, err := s.reg.ListMines(ctx, auth.System, registry.MineFilter{ListParams: httpx.ListParams{IncludeArchived: true}})
	if err != nil {
		return n, err
	}
	for _, m := range ms {
		n.mines[m.ID] = m
	}
	rs, err := s.reg.Regions(ctx, auth.System)
	if err != nil {
		return n, err
	}
	for _, r := range rs {
		n.regions[r.Code] = r.Name
	}
	return n, nil
}

// finish fills what an accident's answer derives: names, type and grade
// names, the hazards link and warnings.
func (s *Service) finish(a *Accident, n names) {
	m := n.mines[a.MineID]
	a.MineCode, a.MineName, a.RegionName = m.Code, m.Name, n.regions[a.RegionCode]
	a.Coal = registry.IsCoal(a.MineKind)
	a.TypeName, a.GradeName = TypeNames[a.Type], GradeNames[a.Grade]
	a.HazardsOpenBeforeURL = fmt.Sprintf(s.opt.HazardsOpenBefore, a.MineID, a.OccurredOn)
	a.Warnings = []string{}
	if a.OccurredAt.After(s.clk.Now()) {
		a.Warnings = append(a.Warnings, "occurred_at is in the future")
	}
}

func (s *Service) get(ctx context.Context, q store.Querier, db interface{ Q(string) string }, p *auth.Principal, id int64) (Accident, error) {
	scope, args := p.MineScope("a.region_code", "a.enterprise_id")
	a, err := scanAccident(q.QueryRowContext(ctx, db.Q(`SELECT `+accidentCols+` FROM accidents a WHERE a.id = ? AND `+scope), append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fail.NotFoundf("no such accident")
	}
	return a, err
}

// Get answers one accident p may see (404 otherwise).
func (s *Service) Get(ctx context.Context, p *auth.Principal, id int64) (Accident, error) {
	a, err := s.get(ctx, s.db, s.db, p, id)
	if err != nil {
		return a, err
	}
	n, err := s.loadNames(ctx)
	s.finish(&a, n)
	return a, err
}

func (f Filter) where(p *auth.Principal) kit.Where {
	var w kit.Where
	scope, args := p.MineScope("a.region_code", "a.enterprise_id")
	w.Add(scope, args...)
	if !f.IncludeArchived {
		w.Add("a.archived_at IS NULL")
	}
	if f.Year != 0 {
		w.Add("a.occurred_on >= ? AND a.occurred_on <= ?", fmt.Sprintf("%04d-01-01", f.Year), kit.YearEnd(f.Year))
	}
	if f.From != "" {
		w.Add("a.occurred_on >= ?", f.From)
	}
	if f.To != "" {
		w.Add("a.occurred_on <= ?", f.To)
	}
	if f.RegionCode != "" {
		c, a := kit.RegionCond("a.region_code", f.RegionCode)
		w.Add(c, a...)
	}
	if f.MineID != 0 {
		w.Add("a.mine_id = ?", f.MineID)
	}
	if len(f.Grades) > 0 {
		w.Add("a.grade IN ("+store.Placeholders(len(f.Grades))+")", anys(f.Grades)...)
	}
	if len(f.Types) > 0 {
		w.Add("a.type IN ("+store.Placeholders(len(f.Types))+")", anys(f.Types)...)
	}
	if f.Coal != nil {
		w.Add(map[bool]string{true: "", false: "NOT "}[*f.Coal]+"a.mine_kind IN (?, ?)", registry.KindCoalUnderground, registry.KindCoalOpenpit)
	}
	if f.Fatal != nil {
		w.Add(map[bool]string{true: "a.deaths > 0", false: "a.deaths = 0"}[*f.Fatal])
	}
	if f.Contractor != nil {
		w.Add("a.contractor_involved = ?", *f.Contractor)
	}
	if f.Q != "" {
		w.Add(`LOWER(a.narrative) LIKE LOWER(?) ESCAPE '\'`, "%"+kit.LikeEscape(f.Q)+"%")
	}
	return w
}

func anys(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
}

// List answers a page of the accidents p may see (a zero Limit: all) and
// their total.
func (s *Service) List(ctx context.Context, p *auth.Principal, f Filter) ([]Accident, int, error) {
	w := f.where(p)
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM accidents a`+w.SQL(), w.Args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	tail, targs := kit.Page(f.ListParams)
	rows, err := s.db.Query(ctx, `SELECT `+accidentCols+` FROM accidents a`+w.SQL()+` `+f.OrderBy(accidentSort, "a.id DESC")+tail, append(w.Args, targs...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []Accident{}
	for rows.Next() {
		a, err := scanAccident(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	n, err := s.loadNames(ctx)
	for i := range out {
		s.finish(&out[i], n)
	}
	return out, total, err
}

// checked is an accident's input after its checks.
type checked struct {
	at       time.Time
	deaths   int
	injuries int
	loss     int64
}

// futureSlack is how far ahead of the server's clock an accident time may be
// (a clerk's clock a little fast); anything later is refused.
const futureSlack = 10 * time.Minute

func (in *Input) check(f fail.Fields, now time.Time) checked {
	var c checked
	in.Type, in.Narrative = strings.TrimSpace(in.Type), strings.TrimSpace(in.Narrative)
	if in.MineID <= 0 {
		f.Add("mine_id", "required")
	}
	switch t, ok := parseInstant(in.OccurredAt); {
	case strings.TrimSpace(in.OccurredAt) == "":
		f.Add("occurred_at", "required")
	case !ok:
		f.Add("occurred_at", "must be an RFC 3339 time (or YYYY-MM-DDTHH:MM in Asia/Shanghai)")
	case t.Year() < kit.MinYear || t.Year() > kit.MaxYear:
		f.Add("occurred_at", "must be from %d to %d", kit.MinYear, kit.MaxYear)
	case t.After(now.Add(futureSlack)):
		f.Add("occurred_at", "must not be in the future")
	default:
		c.at = t
	}
	switch {
	case in.Type == "":
		f.Add("type", "required")
	case !slices.Contains(Types, in.Type):
		f.Add("type", "must be one of %s", strings.Join(Types, ", "))
	}
	count := func(field string, v *int) int {
		switch {
		case v == nil:
			f.Add(field, "required (0 when none)")
		case *v < 0 || *v > 100000:
			f.Add(field, "must be a whole number from 0 to 100000")
		default:
			return *v
		}
		return 0
	}
	c.deaths = count("deaths", in.Deaths)
	c.injuries = count("serious_injuries", in.SeriousInjuries)
	switch {
	case in.DirectLossYuan == nil:
		f.Add("direct_loss_yuan", "required (0 when none)")
	case *in.DirectLossYuan < 0:
		f.Add("direct_loss_yuan", "must be 0 or more (yuan)")
	default:
		c.loss = *in.DirectLossYuan
	}
	if len([]rune(in.Narrative)) > 20000 {
		f.Add("narrative", "at most 20000 characters")
	}
	return c
}

// parseInstant reads RFC 3339, or a local time without zone in Asia/Shanghai
// (what a browser's datetime-local field sends).
func parseInstant(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC().Truncate(time.Second), true
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, clock.Shanghai); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// Create records an accident (admin, city, county in its divisions) graded
// by the rule in force. Refusals: 404 mine missing or out of scope, 403
// role, 409 mine archived, 422 fields.
func (s *Service) Create(ctx context.Context, p *auth.Principal, in Input) (Accident, error) {
	if p == nil {
		return Accident{}, fail.Unauthenticatedf("log in or send a bearer token")
	}
	m, err := s.visibleMine(ctx, p, in.MineID)
	if err != nil {
		return Accident{}, err
	}
	if err := mayEnterAccidents(p); err != nil {
		return Accident{}, err
	}
	if err := liveMine(m); in.MineID > 0 && err != nil {
		return Accident{}, err
	}
	f := fail.Fields{}
	c := in.check(f, s.clk.Now())
	if err := f.Err(); err != nil {
		return Accident{}, err
	}
	if err := s.grade.Ensure(ctx); err != nil {
		return Accident{}, err
	}
	var id int64
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		rule, version, err := s.grade.Current(ctx, tx, tx)
		if err != nil {
			return err
		}
		grade := Grade(rule, c.deaths, c.injuries, c.loss)
		now := s.now()
		id, err = tx.Insert(ctx, `INSERT INTO accidents (mine_id, region_code, enterprise_id, mine_kind, occurred_at, occurred_on, type,
			deaths, serious_injuries, direct_loss_yuan, contractor_involved, narrative, grade, grade_rule_version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, m.RegionCode, m.EnterpriseID, m.Kind, c.at, clock.Today(c.at), in.Type,
			c.deaths, c.injuries, c.loss, in.ContractorInvolved, in.Narrative, grade, version, now, now)
		if err != nil {
			return err
		}
		return s.event(ctx, tx, p, "accident", id, "create", m, map[string]any{"input": in, "grade": grade, "grade_rule_version": version}, "")
	})
	if err != nil {
		return Accident{}, err
	}
	return s.Get(ctx, p, id)
}

// event appends the audit event of a change to a mine's record.
func (s *Service) event(ctx context.Context, tx *store.Tx, p *auth.Principal, recordType string, id int64, action string, m registry.Mine, detail any, reason string) error {
	ev := events.New(p, s.now(), recordType, id, action).WithDetail(detail)
	ev.Reason, ev.RegionCode = reason, m.RegionCode
	ev.MineID, ev.EnterpriseID = &m.ID, &m.EnterpriseID
	_, err := events.Append(ctx, tx, ev)
	return err
}

// Update corrects an accident (figures often change as the investigation
// goes on) and grades it again by the rule in force. Refusals: 404, 403,
// 409 archived, 422.
func (s *Service) Update(ctx context.Context, p *auth.Principal, id int64, patch Patch) (Accident, error) {
	if p == nil {
		return Accident{}, fail.Unauthenticatedf("log in or send a bearer token")
	}
	if err := s.grade.Ensure(ctx); err != nil {
		return Accident{}, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		cur, err := s.get(ctx, tx, tx, p, id)
		if err != nil {
			return err
		}
		if err := mayEnterAccidents(p); err != nil {
			return err
		}
		if cur.ArchivedAt != nil {
			return fail.Conflictf("archived", "the accident is archived")
		}
		in, ch := patch.apply(cur)
		f := fail.Fields{}
		c := in.check(f, s.clk.Now())
		m := registry.Mine{ID: cur.MineID, MineFields: registry.MineFields{RegionCode: cur.RegionCode, EnterpriseID: cur.EnterpriseID, Kind: cur.MineKind}}
		if in.MineID != cur.MineID {
			// Another mine must be one p may see; its division and kind
			// replace the record's.
			if m, err = s.reg.GetMine(ctx, p, in.MineID); err != nil {
				if !fail.Is(err, fail.NotFound) {
					return err
				}
				f.Add("mine_id", "no such mine")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		rule, version, err := s.grade.Current(ctx, tx, tx)
		if err != nil {
			return err
		}
		grade := Grade(rule, c.deaths, c.injuries, c.loss)
		if grade != cur.Grade || version != cur.GradeRuleVersion {
			ch["grade"], ch["grade_rule_version"] = grade, version
		}
		if len(ch) == 0 {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE accidents SET mine_id = ?, region_code = ?, enterprise_id = ?, mine_kind = ?, occurred_at = ?, occurred_on = ?,
			type = ?, deaths = ?, serious_injuries = ?, direct_loss_yuan = ?, contractor_involved = ?, narrative = ?, grade = ?,
			grade_rule_version = ?, updated_at = ? WHERE id = ?`,
			m.ID, m.RegionCode, m.EnterpriseID, m.Kind, c.at, clock.Today(c.at), in.Type, c.deaths, c.injuries, c.loss,
			in.ContractorInvolved, in.Narrative, grade, version, s.now(), id)
		if err != nil {
			return err
		}
		return s.event(ctx, tx, p, "accident", id, "update", m, ch, "")
	})
	if err != nil {
		return Accident{}, err
	}
	return s.Get(ctx, p, id)
}

// apply answers the accident's input with the patch applied and what it
// changed (field → new value).
func (pt Patch) apply(cur Accident) (Input, map[string]any) {
	d, i, l := cur.Deaths, cur.SeriousInjuries, cur.DirectLossYuan
	in := Input{MineID: cur.MineID, OccurredAt: cur.OccurredAt.Format(time.RFC3339), Type: cur.Type, Deaths: &d,
		SeriousInjuries: &i, DirectLossYuan: &l, ContractorInvolved: cur.ContractorInvolved, Narrative: cur.Narrative}
	ch := map[string]any{}
	if pt.MineID != nil && *pt.MineID != in.MineID {
		in.MineID, ch["mine_id"] = *pt.MineID, *pt.MineID
	}
	if pt.OccurredAt != nil {
		if t, ok := parseInstant(*pt.OccurredAt); !ok || !t.Equal(cur.OccurredAt) {
			in.OccurredAt, ch["occurred_at"] = *pt.OccurredAt, *pt.OccurredAt
		}
	}
	if pt.Type != nil && *pt.Type != in.Type {
		in.Type, ch["type"] = *pt.Type, *pt.Type
	}
	if pt.Deaths != nil && *pt.Deaths != d {
		in.Deaths, ch["deaths"] = pt.Deaths, *pt.Deaths
	}
	if pt.SeriousInjuries != nil && *pt.SeriousInjuries != i {
		in.SeriousInjuries, ch["serious_injuries"] = pt.SeriousInjuries, *pt.SeriousInjuries
	}
	if pt.DirectLossYuan != nil && *pt.DirectLossYuan != l {
		in.DirectLossYuan, ch["direct_loss_yuan"] = pt.DirectLossYuan, *pt.DirectLossYuan
	}
	if pt.ContractorInvolved != nil && *pt.ContractorInvolved != in.ContractorInvolved {
		in.ContractorInvolved, ch["contractor_involved"] = *pt.ContractorInvolved, *pt.ContractorInvolved
	}
	if pt.Narrative != nil && strings.TrimSpace(*pt.Narrative) != in.Narrative {
		in.Narrative, ch["narrative"] = *pt.Narrative, strings.TrimSpace(*pt.Narrative)
	}
	return in, ch
}

// Archive takes a wrongly entered accident out of every figure, keeping it
// with the reason. Refusals: 404, 403, 409 archived already, 422 no reason.
func (s *Service) Archive(ctx context.Context, p *auth.Principal, id int64, reason string) (Accident, error) {
	if p == nil {
		return Accident{}, fail.Unauthenticatedf("log in or send a bearer token")
	}
	reason = strings.TrimSpace(reason)
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		cur, err := s.get(ctx, tx, tx, p, id)
		if err != nil {
			return err
		}
		if err := mayEnterAccidents(p); err != nil {
			return err
		}
		if cur.ArchivedAt != nil {
			return fail.Conflictf("archived", "the accident is archived already")
		}
		if reason == "" {
			return fail.Invalidf("reason", "say why the accident is archived")
		}
		if _, err := tx.Exec(ctx, `UPDATE accidents SET archived_at = ?, archive_reason = ?, updated_at = ? WHERE id = ?`, s.now(), reason, s.now(), id); err != nil {
			return err
		}
		m := registry.Mine{ID: cur.MineID, MineFields: registry.MineFields{RegionCode: cur.RegionCode, EnterpriseID: cur.EnterpriseID}}
		return s.event(ctx, tx, p, "accident", id, "archive", m, nil, reason)
	})
	if err != nil {
		return Accident{}, err
	}
	return s.Get(ctx, p, id)
}

// Trail answers every event of an accident p may see, oldest first.
func (s *Service) Trail(ctx context.Context, p *auth.Principal, id int64) ([]events.Event, error) {
	if _, err := s.get(ctx, s.db, s.db, p, id); err != nil {
		return nil, err
	}
	return events.Trail(ctx, s.db, "accident", id)
}
