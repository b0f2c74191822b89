package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/ruleset"
	"minesafe/internal/store"
)

// mineCols are the stored input columns, in the order of mineTargets.
var mineCols = []string{"code", "name", "enterprise_id", "region_code", "kind", "status", "capacity", "mining_depth_m",
	"mining_licence_no", "mining_licence_expiry", "safety_licence_no", "safety_licence_expiry", "gas_class", "hydro_type",
	"rock_burst", "spontaneous_combustion", "std_grade", "std_grade_date", "supervisor", "insurance_expiry", "outsourced",
	"demo", "lon", "lat"}

// mineTargets serve both as scan destinations and as insert/update
// arguments (the drivers dereference pointer arguments).
func mineTargets(m *MineFields, lon, lat any) []any {
	return []any{&m.Code, &m.Name, &m.EnterpriseID, &m.RegionCode, &m.Kind, &m.Status, &m.Capacity, &m.MiningDepthM,
		&m.MiningLicenceNo, &m.MiningLicenceExpiry, &m.SafetyLicenceNo, &m.SafetyLicenceExpiry, &m.GasClass, &m.HydroType,
		&m.RockBurst, &m.SpontaneousCombustion, &m.StdGrade, &m.StdGradeDate, &m.Supervisor, &m.InsuranceExpiry, &m.Outsourced,
		&m.Demo, lon, lat}
}

const mineFrom = " FROM mines m JOIN enterprises e ON e.id = m.enterprise_id JOIN regions r ON r.code = m.region_code"

var mineSelect = "SELECT m.id, " + columns("m", mineCols) + ", e.name, r.name, " + columns("m", lifecycleCols) + mineFrom

var mineSort = map[string]string{
	"id": "m.id", "code": "m.code", "name": "m.name", "region_code": "m.region_code", "enterprise_id": "m.enterprise_id",
	"kind": "m.kind", "status": "m.status", "capacity": "COALESCE(m.capacity, -1)", // NULLs sort alike on both databases
	"created_at": "m.created_at", "updated_at": "m.updated_at",
}

// pondCols are the tailings_ponds columns, in the order of pondTargets.
var pondCols = []string{"capacity_10k_m3", "final_capacity_10k_m3", "dam_height_m", "final_dam_height_m", "method", "wet",
	"head_top", "downstream_distance_m", "state", "design_min_dry_beach_m", "design_freeboard_m", "design_phreatic_depth_m",
	"computed_grade", "grade", "design_grade", "grade_raised", "grade_raise_reason", "grade_rule_version"}

func pondTargets(t *Tailings) []any {
	return []any{&t.Capacity10kM3, &t.FinalCapacity10kM3, &t.DamHeightM, &t.FinalDamHeightM, &t.Method, &t.Wet,
		&t.HeadTop, &t.DownstreamDistanceM, &t.State, &t.DesignMinDryBeachM, &t.DesignFreeboardM, &t.DesignPhreaticDepthM,
		&t.ComputedGrade, &t.Grade, &t.DesignGrade, &t.GradeRaised, &t.GradeRaiseReason, &t.GradeRuleVersion}
}

// mineScope limits a query to the mines p may see.
func mineScope(p *auth.Principal) conds {
	var c conds
	cond, args := p.MineScope("m.region_code", "m.enterprise_id")
	c.add(cond, args...)
	return c
}

// selectMines runs the mine query and attaches each pond's record.
func selectMines(ctx context.Context, q querier, c conds, tail string, tailArgs ...any) ([]Mine, error) {
	rows, err := q.Query(ctx, mineSelect+c.where()+tail, append(c.args, tailArgs...)...)
	if err != nil {
		return nil, err
	}
	out := []Mine{}
	for rows.Next() {
		var m Mine
		targets := append(append([]any{&m.ID}, mineTargets(&m.MineFields, &m.Lon, &m.Lat)...), &m.EnterpriseName, &m.RegionName)
		if err := rows.Scan(append(targets, m.Lifecycle.targets()...)...); err != nil {
			rows.Close()
			return nil, err
		}
		m.utc()
		m.CapacityUnit = CapacityUnit(m.Kind)
		out = append(out, m)
	}
	// Close before the next query: a transaction has one connection.
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, loadTailings(ctx, q, out)
}

func loadTailings(ctx context.Context, q querier, ms []Mine) error {
	at := map[int64]int{}
	var ids []any
	for i, m := range ms {
		if m.Kind == KindTailingsPond {
			at[m.ID] = i
			ids = append(ids, m.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := q.Query(ctx, "SELECT mine_id, "+strings.Join(pondCols, ", ")+" FROM tailings_ponds WHERE mine_id IN ("+store.Placeholders(len(ids))+")", ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		t := &Tailings{}
		if err := rows.Scan(append([]any{&id}, pondTargets(t)...)...); err != nil {
			return err
		}
		ms[at[id]].Tailings = t
	}
	return rows.Err()
}

// savePond inserts or replaces a pond's record (nil: not a pond).
func savePond(ctx context.Context, tx *store.Tx, mineID int64, t *Tailings) error {
	if t == nil {
		return nil
	}
	sets := make([]string, len(pondCols))
	for i, c := range pondCols {
		sets[i] = c + " = excluded." + c
	}
	_, err := tx.Exec(ctx, "INSERT INTO tailings_ponds (mine_id, "+strings.Join(pondCols, ", ")+") VALUES ("+store.Placeholders(len(pondCols)+1)+
		") ON CONFLICT (mine_id) DO UPDATE SET "+strings.Join(sets, ", "), append([]any{mineID}, pondTargets(t)...)...)
	return err
}

func getMine(ctx context.Context, q querier, c conds, id int64) (Mine, error) {
	c.add("m.id = ?", id)
	return oneMine(ctx, q, c, "no such mine")
}

// oneMine answers the mine c selects, or a 404 saying missing.
func oneMine(ctx context.Context, q querier, c conds, missing string) (Mine, error) {
	ms, err := selectMines(ctx, q, c, "")
	if err != nil {
		return Mine{}, err
	}
	if len(ms) == 0 {
		return Mine{}, fail.NotFoundf("%s", missing)
	}
	return ms[0], nil
}

// finish sets what is derived for today.
func (s *Service) finish(m *Mine) {
	m.Warnings = mineWarnings(m, s.today(), s.divisions)
}

// place is where the events of mine id (with these fields) belong.
func (m *MineFields) place(id int64) place {
	return place{region: m.RegionCode, enterpriseID: m.EnterpriseID, mineID: id}
}

// ListMines answers a page of the mines p may see and their total.
func (s *Service) ListMines(ctx context.Context, p *auth.Principal, f MineFilter) ([]Mine, int, error) {
	c := mineScope(p)
	c.common("m", f.ListParams)
	for _, eq := range [][2]string{{"m.region_code", f.RegionCode}, {"m.kind", f.Kind}, {"m.status", f.Status}} {
		if eq[1] != "" {
			c.add(eq[0]+" = ?", eq[1])
		}
	}
	if f.EnterpriseID != 0 {
		c.add("m.enterprise_id = ?", f.EnterpriseID)
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*)"+mineFrom+c.where(), c.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	tail, args := page(f.ListParams)
	ms, err := selectMines(ctx, s.db, c, " "+f.OrderBy(mineSort, "m.id")+tail, args...)
	for i := range ms {
		s.finish(&ms[i])
	}
	return ms, total, err
}

// GetMine answers one mine p may see (404 otherwise), with its people on duty.
func (s *Service) GetMine(ctx context.Context, p *auth.Principal, id int64) (Mine, error) {
	m, err := getMine(ctx, s.db, mineScope(p), id)
	if err != nil {
		return m, err
	}
	if m.People, err = s.dutyRoster(ctx, id); err != nil {
		return m, err
	}
	s.finish(&m)
	return m, nil
}

// MineByCode answers the mine with a code, archived or not, whoever asks:
// it is for the platform's own jobs (ingest), not for callers' requests.
func (s *Service) MineByCode(ctx context.Context, code string) (Mine, error) {
	var c conds
	c.add("m.code = ?", code)
	m, err := oneMine(ctx, s.db, c, "no mine with code "+code)
	s.finish(&m)
	return m, err
}

// CreateMine registers a mine (admin, city; county in its divisions),
// generating its code when none is given and grading a tailings pond.
func (s *Service) CreateMine(ctx context.Context, p *auth.Principal, in MineInput) (Mine, error) {
	if err := mayChangeRegistry(p); err != nil {
		return Mine{}, err
	}
	if err := s.ensureTailingsRule(ctx); err != nil {
		return Mine{}, err
	}
	var id int64
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		pond, err := prepareMine(ctx, tx, p, &in, 0, fail.Fields{})
		if err != nil {
			return err
		}
		if in.Code == "" {
			if in.Code, err = nextMineCode(ctx, tx, in.RegionCode, in.Kind); err != nil {
				return err
			}
		}
		if id, err = s.insertRow(ctx, tx, p, "mines", mineCols, mineTargets(&in.MineFields, in.Lon, in.Lat), "mine", in.place, in); err != nil {
			return uniqueField(err, "code")
		}
		return savePond(ctx, tx, id, pond)
	})
	if err != nil {
		return Mine{}, err
	}
	return s.GetMine(ctx, p, id)
}

// UpdateMine changes the fields given. Only an admin changes a code; a
// tailings pond is re-graded by the rule version now in force.
func (s *Service) UpdateMine(ctx context.Context, p *auth.Principal, id int64, patch MinePatch) (Mine, error) {
	if err := s.ensureTailingsRule(ctx); err != nil {
		return Mine{}, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		cur, err := getMine(ctx, tx, mineScope(p), id)
		if err != nil {
			return err
		}
		if err := mayChangeIn(p, cur.RegionCode); err != nil {
			return err
		}
		if patch.Code != nil && *patch.Code != cur.Code && !p.Is(auth.RoleAdmin) {
			return fail.Forbiddenf("only an admin may change a mine's code")
		}
		if err := checkLive(cur.Lifecycle, "mine"); err != nil {
			return err
		}
		in := cur.input()
		ch := patch.apply(&in)
		pond, err := prepareMine(ctx, tx, p, &in, id, patchProblems(cur, in, patch))
		if err != nil {
			return err
		}
		if pond != nil {
			gradeChanges(ch, cur.Tailings, pond)
		}
		if len(ch) == 0 {
			return nil
		}
		if err := s.updateRow(ctx, tx, p, "mines", mineCols, mineTargets(&in.MineFields, in.Lon, in.Lat), "mine", id, in.place(id), ch); err != nil {
			return err
		}
		return savePond(ctx, tx, id, pond)
	})
	if err != nil {
		return Mine{}, uniqueField(err, "code")
	}
	return s.GetMine(ctx, p, id)
}

// ArchiveMine archives a mine with the reason.
func (s *Service) ArchiveMine(ctx context.Context, p *auth.Principal, id int64, reason string) (Mine, error) {
	err := s.archive(ctx, p, id, reason, archiveTarget{table: "mines", recordType: "mine", what: "mine",
		load: func(tx *store.Tx) (Lifecycle, place, error) {
			m, err := getMine(ctx, tx, mineScope(p), id)
			if err == nil {
				err = mayChangeIn(p, m.RegionCode)
			}
			return m.Lifecycle, m.place(m.ID), err
		}})
	if err != nil {
		return Mine{}, err
	}
	return s.GetMine(ctx, p, id)
}

// prepareMine checks a complete mine input inside tx: its fields, its
// references, p's right to place a mine in its division (403 before 422)
// and its code's uniqueness; it grades a pond by the rule in force. f may
// hold problems found before.
func prepareMine(ctx context.Context, tx *store.Tx, p *auth.Principal, in *MineInput, selfID int64, f fail.Fields) (*Tailings, error) {
	checkMine(f, in)
	ok, err := checkRegion(ctx, tx, f, "region_code", in.RegionCode, true)
	if err != nil {
		return nil, err
	}
	if ok {
		if err := mayChangeIn(p, in.RegionCode); err != nil {
			return nil, err
		}
	}
	if err := checkEnterpriseRef(ctx, tx, f, in.EnterpriseID); err != nil {
		return nil, err
	}
	if in.Code != "" && !f.Has("code") {
		if err := checkUnique(ctx, tx, f, "mines", "code", in.Code, selfID); err != nil {
			return nil, err
		}
	}
	var pond *Tailings
	if in.Tailings != nil && in.Kind == KindTailingsPond {
		rule, version, err := currentTailingsRule(ctx, tx)
		if err != nil {
			return nil, err
		}
		pond = gradePond(*in.Tailings, rule, version, f)
	}
	return pond, f.Err()
}

func checkEnterpriseRef(ctx context.Context, tx *store.Tx, f fail.Fields, id int64) error {
	if id <= 0 {
		return nil
	}
	c := conds{}
	c.add("e.id = ?", id)
	es, err := selectEnterprises(ctx, tx, auth.System, c, "")
	switch {
	case err != nil:
		return err
	case len(es) == 0:
		f.Add("enterprise_id", "no enterprise #%d", id)
	case es[0].ArchivedAt != nil:
		f.Add("enterprise_id", "enterprise #%d is archived", id)
	}
	return nil
}

// patchProblems finds what a patch may not do beyond the fields' own rules.
func patchProblems(cur Mine, in MineInput, patch MinePatch) fail.Fields {
	f := fail.Fields{}
	if strings.TrimSpace(in.Code) == "" {
		f.Add("code", "cannot be emptied")
	}
	if (cur.Kind == KindTailingsPond) != (in.Kind == KindTailingsPond) {
		f.Add("kind", "a tailings pond cannot become another kind of mine or the reverse: archive it and register anew")
	}
	if patch.Tailings != nil && cur.Tailings == nil {
		f.Add("tailings", "only a tailings_pond has tailings")
	}
	return f
}

// nextMineCode generates a 12-character code: the division (6), the kind
// digit and the next free 5-digit sequence of that prefix. Two PostgreSQL
// writers would read the same sequence, so the prefix is locked until the
// transaction ends; SQLite already runs one writer at a time.
func nextMineCode(ctx context.Context, tx *store.Tx, region, kind string) (string, error) {
	prefix := region + kindDigit[kind]
	if tx.Dialect() == store.Postgres {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext(?))`, "mine_code:"+prefix); err != nil {
			return "", err
		}
	}
	rows, err := tx.Query(ctx, `SELECT code FROM mines WHERE code LIKE ? AND LENGTH(code) = 12`, prefix+"%")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	next := 1
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return "", err
		}
		if n, err := strconv.Atoi(code[len(prefix):]); err == nil && n >= next {
			next = n + 1
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	if next > 99999 {
		return "", fail.Conflictf("codes_exhausted", "no generated code is left for %s mines in %s: give a code", kind, region)
	}
	return fmt.Sprintf("%s%05d", prefix, next), nil
}

// input answers the mine as a complete input, for applying a patch.
func (m Mine) input() MineInput {
	in := MineInput{MineFields: m.MineFields, Lon: &m.Lon, Lat: &m.Lat}
	if m.Tailings != nil {
		wet := m.Tailings.Wet
		in.Tailings = &TailingsInput{TailingsFields: m.Tailings.TailingsFields, Wet: &wet}
	}
	return in
}

func (pt MinePatch) apply(in *MineInput) changes {
	c := changes{}
	m := &in.MineFields
	set(c, "code", &m.Code, pt.Code)
	set(c, "name", &m.Name, pt.Name)
	set(c, "enterprise_id", &m.EnterpriseID, pt.EnterpriseID)
	set(c, "region_code", &m.RegionCode, pt.RegionCode)
	set(c, "kind", &m.Kind, pt.Kind)
	set(c, "status", &m.Status, pt.Status)
	setFloat(c, "capacity", &m.Capacity, pt.Capacity)
	setFloat(c, "mining_depth_m", &m.MiningDepthM, pt.MiningDepthM)
	setPtr(c, "lon", &in.Lon, pt.Lon)
	setPtr(c, "lat", &in.Lat, pt.Lat)
	set(c, "mining_licence_no", &m.MiningLicenceNo, pt.MiningLicenceNo)
	set(c, "mining_licence_expiry", &m.MiningLicenceExpiry, pt.MiningLicenceExpiry)
	set(c, "safety_licence_no", &m.SafetyLicenceNo, pt.SafetyLicenceNo)
	set(c, "safety_licence_expiry", &m.SafetyLicenceExpiry, pt.SafetyLicenceExpiry)
	set(c, "gas_class", &m.GasClass, pt.GasClass)
	set(c, "hydro_type", &m.HydroType, pt.HydroType)
	set(c, "rock_burst", &m.RockBurst, pt.RockBurst)
	set(c, "spontaneous_combustion", &m.SpontaneousCombustion, pt.SpontaneousCombustion)
	set(c, "std_grade", &m.StdGrade, pt.StdGrade)
	set(c, "std_grade_date", &m.StdGradeDate, pt.StdGradeDate)
	set(c, "supervisor", &m.Supervisor, pt.Supervisor)
	set(c, "insurance_expiry", &m.InsuranceExpiry, pt.InsuranceExpiry)
	set(c, "outsourced", &m.Outsourced, pt.Outsourced)
	if pt.Tailings != nil && in.Tailings != nil {
		pt.Tailings.apply(c, in.Tailings)
	}
	return c
}

func (pt *TailingsPatch) apply(c changes, t *TailingsInput) {
	set(c, "tailings.capacity_10k_m3", &t.Capacity10kM3, pt.Capacity10kM3)
	set(c, "tailings.final_capacity_10k_m3", &t.FinalCapacity10kM3, pt.FinalCapacity10kM3)
	set(c, "tailings.dam_height_m", &t.DamHeightM, pt.DamHeightM)
	set(c, "tailings.final_dam_height_m", &t.FinalDamHeightM, pt.FinalDamHeightM)
	set(c, "tailings.method", &t.Method, pt.Method)
	setPtr(c, "tailings.wet", &t.Wet, pt.Wet)
	set(c, "tailings.head_top", &t.HeadTop, pt.HeadTop)
	setFloat(c, "tailings.downstream_distance_m", &t.DownstreamDistanceM, pt.DownstreamDistanceM)
	set(c, "tailings.state", &t.State, pt.State)
	setFloat(c, "tailings.design_min_dry_beach_m", &t.DesignMinDryBeachM, pt.DesignMinDryBeachM)
	setFloat(c, "tailings.design_freeboard_m", &t.DesignFreeboardM, pt.DesignFreeboardM)
	setFloat(c, "tailings.design_phreatic_depth_m", &t.DesignPhreaticDepthM, pt.DesignPhreaticDepthM)
	set(c, "tailings.grade_raised", &t.GradeRaised, pt.GradeRaised)
	set(c, "tailings.grade_raise_reason", &t.GradeRaiseReason, pt.GradeRaiseReason)
}

// gradeChanges records a re-grade (new values or a new rule version).
func gradeChanges(c changes, old, now *Tailings) {
	grades := []struct {
		field    string
		old, now int
	}{
		{"tailings.computed_grade", old.ComputedGrade, now.ComputedGrade},
		{"tailings.grade", old.Grade, now.Grade},
		{"tailings.design_grade", old.DesignGrade, now.DesignGrade},
		{"tailings.grade_rule_version", old.GradeRuleVersion, now.GradeRuleVersion},
	}
	for _, g := range grades {
		if g.old != g.now {
			c[g.field] = g.now
		}
	}
}

// currentTailingsRule answers the grading rule in force and its version.
func currentTailingsRule(ctx context.Context, tx *store.Tx) (TailingsRule, int, error) {
	set, err := ruleset.Current(ctx, tx, tx, TailingsGradeKind)
	if err != nil {
		return TailingsRule{}, 0, err
	}
	var rule TailingsRule
	if err := json.Unmarshal(set.Body, &rule); err != nil {
		return rule, 0, fmt.Errorf("tailings_grade v%d: %w", set.Version, err)
	}
	return rule, set.Version, nil
}
