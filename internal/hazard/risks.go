package hazard

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
)

// RiskInput records an assessed risk. The method's factors give the score
// and the score the level; a Level given as well must be that level.
type RiskInput struct {
	Place        string   `json:"place"`
	HazardType   string   `json:"hazard_type"`
	Description  string   `json:"description"`
	Method       string   `json:"method"`
	L            *float64 `json:"l"`
	S            *float64 `json:"s"`
	E            *float64 `json:"e"`
	C            *float64 `json:"c"`
	Level        string   `json:"level"`
	Measures     string   `json:"measures"`
	ControlLevel string   `json:"control_level"`
	Responsible  string   `json:"responsible"`
	ReviewDate   string   `json:"review_date"`
}

// RiskPatch changes the fields given. Factors of the same method may be
// changed alone; changing the method needs all the new method's factors.
type RiskPatch struct {
	Place        *string  `json:"place,omitempty"`
	HazardType   *string  `json:"hazard_type,omitempty"`
	Description  *string  `json:"description,omitempty"`
	Method       *string  `json:"method,omitempty"`
	L            *float64 `json:"l,omitempty"`
	S            *float64 `json:"s,omitempty"`
	E            *float64 `json:"e,omitempty"`
	C            *float64 `json:"c,omitempty"`
	Level        *string  `json:"level,omitempty"`
	Measures     *string  `json:"measures,omitempty"`
	ControlLevel *string  `json:"control_level,omitempty"`
	Responsible  *string  `json:"responsible,omitempty"`
	ReviewDate   *string  `json:"review_date,omitempty"`
}

const riskCols = `r.id, r.mine_id, m.name, r.region_code, r.enterprise_id, r.place, r.hazard_type, r.description, r.method, r.score_l, r.score_s, r.score_e, r.score_c,
	r.score, r.level, r.rules_version, r.measures, r.control_level, r.responsible, r.review_date, r.created_at, r.updated_at, r.archived_at, r.archive_reason`

const riskFrom = ` FROM risks r JOIN mines m ON m.id = r.mine_id`

func scanRisk(row interface{ Scan(...any) error }, today string) (Risk, error) {
	var r Risk
	err := row.Scan(&r.ID, &r.MineID, &r.MineName, &r.RegionCode, &r.EnterpriseID, &r.Place, &r.HazardType, &r.Description, &r.Method, &r.L, &r.S, &r.E, &r.C,
		&r.Score, &r.Level, &r.RulesVersion, &r.Measures, &r.ControlLevel, &r.Responsible, &r.ReviewDate, &r.CreatedAt, &r.UpdatedAt, &r.ArchivedAt, &r.ArchiveReason)
	if err != nil {
		return r, err
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	if r.ArchivedAt != nil {
		t := r.ArchivedAt.UTC()
		r.ArchivedAt = &t
	}
	r.ReviewDue = r.ArchivedAt == nil && r.ReviewDate != "" && r.ReviewDate <= today
	r.Warnings = riskWarnings(r)
	return r, nil
}

// suggestedControl is the common practice of 安委办〔2016〕11号 schemes:
// red risks are controlled by the mine, orange by a department, yellow by
// a team, blue at the post. A lower tier is advice, not a refusal.
var suggestedControl = map[string]string{"red": "mine", "orange": "department", "yellow": "team", "blue": "post"}

func riskWarnings(r Risk) []string {
	out := []string{}
	if want := suggestedControl[r.Level]; slices.Index(controlLevels, r.ControlLevel) > slices.Index(controlLevels, want) {
		out = append(out, "a "+r.Level+" risk is usually controlled at the "+want+" level ("+controlLevelNames[want]+"), not at the "+r.ControlLevel+" level")
	}
	if r.ReviewDue {
		out = append(out, "the review date "+r.ReviewDate+" has come")
	}
	return out
}

// mayKeepRisks: a risk register is the mine's own (企业主体责任); regulators
// read it.
func mayKeepRisks(p *auth.Principal) error {
	if p.Is(auth.RoleEnterprise, auth.RoleAdmin) {
		return nil
	}
	return fail.Forbiddenf("role %s may not change risk registers: the mine (enterprise) keeps its own", p.Role)
}

// assess validates a risk and answers its score, level and the rules
// version that graded it.
func (s *Service) assess(ctx context.Context, in *RiskInput) (float64, string, int, error) {
	rules, version, err := s.rules(ctx)
	if err != nil {
		return 0, "", 0, err
	}
	f := fail.Fields{}
	for _, v := range []*string{&in.Place, &in.Description, &in.Measures, &in.Responsible, &in.ReviewDate} {
		*v = strings.TrimSpace(*v)
	}
	required(f, "place", in.Place, maxShort)
	oneOf(f, "hazard_type", in.HazardType, HazardTypes, true)
	maxLen(f, "description", in.Description, maxText)
	required(f, "measures", in.Measures, maxText)
	oneOf(f, "control_level", in.ControlLevel, controlLevels, true)
	required(f, "responsible", in.Responsible, maxShort)
	if in.ReviewDate != "" && !validDate(in.ReviewDate) {
		f.Add("review_date", "must be a date YYYY-MM-DD")
	}
	score, level, bad := rules.Risk.Score(in.Method, in.L, in.S, in.E, in.C)
	for k, v := range bad {
		f.Add(k, "%s", v)
	}
	if len(bad) == 0 && in.Level != "" && in.Level != level {
		f.Add("level", "the scores give %s, not %s: %s = %g, and under rules v%d %s", level, in.Level, map[string]string{MethodLS: "L×S", MethodLEC: "D = L×E×C"}[in.Method],
			score, version, rules.Risk.bands(in.Method))
	}
	return score, level, version, f.Err()
}

func (s *Service) getRisk(ctx context.Context, p *auth.Principal, id int64) (Risk, error) {
	scope, args := p.MineScope("r.region_code", "r.enterprise_id")
	r, err := scanRisk(s.db.QueryRow(ctx, `SELECT `+riskCols+riskFrom+` WHERE r.id = ? AND `+scope, append([]any{id}, args...)...), clock.Today(s.clk.Now()))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fail.NotFoundf("no such risk")
	}
	return r, err
}

// GetRisk answers a risk p may see.
func (s *Service) GetRisk(ctx context.Context, p *auth.Principal, id int64) (Risk, error) {
	return s.getRisk(ctx, p, id)
}

func (s *Service) riskEvent(p *auth.Principal, at time.Time, r Risk, action string) events.Event {
	ev := events.New(p, at, "risk", r.ID, action)
	ev.RegionCode, ev.EnterpriseID, ev.MineID = r.RegionCode, &r.EnterpriseID, &r.MineID
	return ev
}

// CreateRisk adds a risk to a mine's register (the mine's users, admin).
func (s *Service) CreateRisk(ctx context.Context, p *auth.Principal, mineID int64, in RiskInput) (Risk, error) {
	m, err := s.reg.GetMine(ctx, p, mineID)
	if err != nil {
		return Risk{}, err
	}
	if err := mayKeepRisks(p); err != nil {
		return Risk{}, err
	}
	if m.ArchivedAt != nil {
		return Risk{}, fail.Conflictf("archived", "mine %s is archived", m.Name)
	}
	score, level, version, err := s.assess(ctx, &in)
	if err != nil {
		return Risk{}, err
	}
	now := s.now()
	var id int64
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		id, err = tx.Insert(ctx, `INSERT INTO risks (mine_id, place, hazard_type, description, method, score_l, score_s, score_e, score_c, score, level, rules_version,
			measures, control_level, responsible, review_date, region_code, enterprise_id, created_at, created_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, in.Place, in.HazardType, in.Description, in.Method, *in.L, in.S, in.E, in.C, score, level, version,
			in.Measures, in.ControlLevel, in.Responsible, in.ReviewDate, m.RegionCode, m.EnterpriseID, now, p.ActorID(), now)
		if err != nil {
			return err
		}
		r := Risk{ID: id, MineID: m.ID, RegionCode: m.RegionCode, EnterpriseID: m.EnterpriseID}
		_, err = events.Append(ctx, tx, s.riskEvent(p, now, r, "create").WithDetail(map[string]any{"input": in, "score": score, "level": level, "rules_version": version}))
		return err
	})
	if err != nil {
		return Risk{}, err
	}
	return s.getRisk(ctx, p, id)
}

func (r Risk) input() RiskInput {
	return RiskInput{Place: r.Place, HazardType: r.HazardType, Description: r.Description, Method: r.Method, L: &r.L, S: r.S, E: r.E, C: r.C,
		Measures: r.Measures, ControlLevel: r.ControlLevel, Responsible: r.Responsible, ReviewDate: r.ReviewDate}
}

func (pt RiskPatch) apply(in *RiskInput) {
	for _, x := range []struct {
		dst *string
		v   *string
	}{{&in.Place, pt.Place}, {&in.HazardType, pt.HazardType}, {&in.Description, pt.Description}, {&in.Measures, pt.Measures},
		{&in.ControlLevel, pt.ControlLevel}, {&in.Responsible, pt.Responsible}, {&in.ReviewDate, pt.ReviewDate}, {&in.Level, pt.Level}} {
		if x.v != nil {
			*x.dst = *x.v
		}
	}
	if pt.Method != nil && *pt.Method != in.Method {
		// A new method is a new assessment: none of the old factors carry.
		in.Method, in.L, in.S, in.E, in.C = *pt.Method, nil, nil, nil, nil
	}
	for _, x := range []struct{ dst, v **float64 }{{&in.L, &pt.L}, {&in.S, &pt.S}, {&in.E, &pt.E}, {&in.C, &pt.C}} {
		if *x.v != nil {
			*x.dst = *x.v
		}
	}
}

// liveRisk answers a risk p may change: in scope (404), by a role that
// keeps registers (403), not archived (409).
func (s *Service) liveRisk(ctx context.Context, p *auth.Principal, id int64) (Risk, error) {
	cur, err := s.getRisk(ctx, p, id)
	if err != nil {
		return Risk{}, err
	}
	if err := mayKeepRisks(p); err != nil {
		return Risk{}, err
	}
	if cur.ArchivedAt != nil {
		return Risk{}, fail.Conflictf("archived", "the risk is archived")
	}
	return cur, nil
}

// changeRisk runs one UPDATE of a live risk (its last argument the id) and
// appends its event in the same transaction, then reads the risk back.
func (s *Service) changeRisk(ctx context.Context, p *auth.Principal, ev events.Event, update string, args ...any) (Risk, error) {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, update+` AND archived_at IS NULL`, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fail.Conflictf("archived", "the risk was archived meanwhile")
		}
		_, err = events.Append(ctx, tx, ev)
		return err
	})
	if err != nil {
		return Risk{}, err
	}
	return s.getRisk(ctx, p, ev.RecordID)
}

// UpdateRisk changes a risk and grades it again under the rules in force.
func (s *Service) UpdateRisk(ctx context.Context, p *auth.Principal, id int64, pt RiskPatch) (Risk, error) {
	cur, err := s.liveRisk(ctx, p, id)
	if err != nil {
		return Risk{}, err
	}
	in := cur.input()
	pt.apply(&in)
	score, level, version, err := s.assess(ctx, &in)
	if err != nil {
		return Risk{}, err
	}
	now := s.now()
	ev := s.riskEvent(p, now, cur, "update").WithDetail(map[string]any{"patch": pt, "score": score, "level": level,
		"was": map[string]any{"score": cur.Score, "level": cur.Level}, "rules_version": version})
	return s.changeRisk(ctx, p, ev, `UPDATE risks SET place = ?, hazard_type = ?, description = ?, method = ?, score_l = ?, score_s = ?, score_e = ?,
		score_c = ?, score = ?, level = ?, rules_version = ?, measures = ?, control_level = ?, responsible = ?, review_date = ?, updated_at = ? WHERE id = ?`,
		in.Place, in.HazardType, in.Description, in.Method, *in.L, in.S, in.E, in.C, score, level, version, in.Measures, in.ControlLevel, in.Responsible,
		in.ReviewDate, now, id)
}

// ArchiveRisk takes a risk off the register (eliminated, the place worked
// out), with the reason; it stays readable with include_archived.
func (s *Service) ArchiveRisk(ctx context.Context, p *auth.Principal, id int64, reason string) (Risk, error) {
	cur, err := s.liveRisk(ctx, p, id)
	if err != nil {
		return Risk{}, err
	}
	if reason = strings.TrimSpace(reason); reason == "" {
		return Risk{}, fail.Invalidf("reason", "say why the risk leaves the register")
	}
	now := s.now()
	ev := s.riskEvent(p, now, cur, "archive")
	ev.Reason = reason
	return s.changeRisk(ctx, p, ev, `UPDATE risks SET archived_at = ?, archive_reason = ?, updated_at = ? WHERE id = ?`, now, reason, now, id)
}

// RiskFilter selects risks.
type RiskFilter struct {
	httpx.ListParams
	MineID       int64
	RegionCode   string
	Level        string
	HazardType   string
	ControlLevel string
	ReviewDue    *bool
}

var riskSort = map[string]string{"id": "r.id", "mine_id": "r.mine_id", "score": "r.score", "review_date": "r.review_date",
	"level": "CASE r.level WHEN 'red' THEN 4 WHEN 'orange' THEN 3 WHEN 'yellow' THEN 2 ELSE 1 END"}

// ListRisks answers a page of the risks p may see and their total (a zero
// Limit: all of them).
func (s *Service) ListRisks(ctx context.Context, p *auth.Principal, f RiskFilter) ([]Risk, int, error) {
	today := clock.Today(s.clk.Now())
	scope, args := p.MineScope("r.region_code", "r.enterprise_id")
	conds := []string{scope}
	add := func(c string, v ...any) { conds = append(conds, c); args = append(args, v...) }
	if !f.IncludeArchived {
		add("r.archived_at IS NULL")
	}
	for col, v := range map[string]string{"r.region_code": f.RegionCode, "r.level": f.Level, "r.hazard_type": f.HazardType, "r.control_level": f.ControlLevel} {
		if v != "" {
			add(col+" = ?", v)
		}
	}
	if f.MineID != 0 {
		add("r.mine_id = ?", f.MineID)
	}
	if f.ReviewDue != nil {
		c := "(r.archived_at IS NULL AND r.review_date <> '' AND r.review_date <= ?)"
		if !*f.ReviewDue {
			c = "NOT " + c
		}
		add(c, today)
	}
	if f.Q != "" {
		q := "%" + strings.ToLower(f.Q) + "%"
		add("(LOWER(r.place) LIKE ? OR LOWER(r.description) LIKE ? OR LOWER(r.measures) LIKE ? OR LOWER(m.name) LIKE ?)", q, q, q, q)
	}
	where := strings.Join(conds, " AND ")
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*)`+riskFrom+` WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + riskCols + riskFrom + ` WHERE ` + where + ` ` + f.OrderBy(riskSort, "r.id")
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []Risk{}
	for rows.Next() {
		r, err := scanRisk(rows, today)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// MineRisks is one mine of the four-colour picture: its risks counted by
// level and its highest level ("" when its register is empty).
type MineRisks struct {
	MineID     int64          `json:"mine_id"`
	Name       string         `json:"name"`
	Kind       string         `json:"kind"`
	RegionCode string         `json:"region_code"`
	Lon        float64        `json:"lon"`
	Lat        float64        `json:"lat"`
	Level      string         `json:"level"`
	Counts     map[string]int `json:"counts"`
	Total      int            `json:"total"`
}

// DivisionRisks is one division of the picture: its risks by level and
// its mines by their highest level ("none": an empty register).
type DivisionRisks struct {
	RegionCode string         `json:"region_code"`
	Name       string         `json:"name"`
	Level      string         `json:"level"`
	Counts     map[string]int `json:"counts"`
	Mines      map[string]int `json:"mines"`
}

// Picture is the four-colour risk picture (红橙黄蓝 四色图) of the mines p
// may see.
type Picture struct {
	Mines     []MineRisks     `json:"mines"`
	Divisions []DivisionRisks `json:"divisions"`
	Counts    map[string]int  `json:"counts"`
}

func levelCounts() map[string]int {
	return map[string]int{"red": 0, "orange": 0, "yellow": 0, "blue": 0}
}

// highest answers the highest level with a count, or "".
func highest(counts map[string]int) string {
	for _, l := range riskLevels {
		if counts[l] > 0 {
			return l
		}
	}
	return ""
}

// RiskPicture counts the active risks of every mine p may see (in one
// division when regionCode names a county-level one) by level, and sums
// them per division.
func (s *Service) RiskPicture(ctx context.Context, p *auth.Principal, regionCode string) (Picture, error) {
	if strings.HasSuffix(regionCode, "00") {
		regionCode = "" // the city: every division
	}
	mines, _, err := s.reg.ListMines(ctx, p, registry.MineFilter{RegionCode: regionCode})
	if err != nil {
		return Picture{}, err
	}
	regions, err := s.reg.Regions(ctx, p)
	if err != nil {
		return Picture{}, err
	}
	scope, args := p.MineScope("r.region_code", "r.enterprise_id")
	q := `SELECT r.mine_id, r.level, COUNT(*) FROM risks r WHERE r.archived_at IS NULL AND ` + scope
	if regionCode != "" {
		q += ` AND r.region_code = ?`
		args = append(args, regionCode)
	}
	rows, err := s.db.Query(ctx, q+` GROUP BY r.mine_id, r.level`, args...)
	if err != nil {
		return Picture{}, err
	}
	defer rows.Close()
	byMine := map[int64]map[string]int{}
	for rows.Next() {
		var id int64
		var level string
		var n int
		if err := rows.Scan(&id, &level, &n); err != nil {
			return Picture{}, err
		}
		if byMine[id] == nil {
			byMine[id] = levelCounts()
		}
		byMine[id][level] = n
	}
	if err := rows.Err(); err != nil {
		return Picture{}, err
	}
	pic := Picture{Mines: []MineRisks{}, Divisions: []DivisionRisks{}, Counts: levelCounts()}
	divs := map[string]*DivisionRisks{}
	for _, m := range mines {
		counts := byMine[m.ID]
		if counts == nil {
			counts = levelCounts()
		}
		mr := MineRisks{MineID: m.ID, Name: m.Name, Kind: m.Kind, RegionCode: m.RegionCode, Lon: m.Lon, Lat: m.Lat, Level: highest(counts), Counts: counts}
		d := divs[m.RegionCode]
		if d == nil {
			d = &DivisionRisks{RegionCode: m.RegionCode, Counts: levelCounts(), Mines: map[string]int{"red": 0, "orange": 0, "yellow": 0, "blue": 0, "none": 0}}
			divs[m.RegionCode] = d
		}
		for l, n := range counts {
			mr.Total += n
			d.Counts[l] += n
			pic.Counts[l] += n
		}
		if mr.Level == "" {
			d.Mines["none"]++
		} else {
			d.Mines[mr.Level]++
		}
		pic.Mines = append(pic.Mines, mr)
	}
	for _, r := range regions { // in the customary order of divisions
		if d := divs[r.Code]; d != nil {
			d.Name, d.Level = r.Name, highest(d.Counts)
			pic.Divisions = append(pic.Divisions, *d)
		}
	}
	return pic, nil
}
