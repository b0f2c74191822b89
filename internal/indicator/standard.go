package indicator

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"minesafe/internal/accident"
	"minesafe/internal/accident/kit"
	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
)

// StdGradeKind is the ruleset kind of the standardisation grading rule.
const StdGradeKind = "std_grade"

// Standardisation grades (安全生产标准化等级).
var StdGrades = []string{"grade1", "grade2", "grade3"}

// StdGradeNames name the grades.
var StdGradeNames = map[string]string{"grade1": "一级", "grade2": "二级", "grade3": "三级", "": "未定级"}

const stdRuleNote = "regulations.md §7.4: 煤矿安全生产标准化管理体系考核定级办法（试行）第四条 [V]; 二级/三级 conditions and the downgrade " +
	"look-back [C]; validity 3 years and half-yearly spot checks (plan 主要任务（三）1)"

// StdRule is the rule data of kind "std_grade": the scores each grade
// needs (a total, a floor for every part given, floors for named parts),
// for which mine kinds the scores are checked, how long an award is valid,
// how often it is spot-checked, and for 一级 how many years before the
// award a fatal accident of each grade rules it out. A record that does
// not fit is flagged, never overruled: the authority's award stands.
type StdRule struct {
	Source             string            `json:"source"`
	Parts              map[string]string `json:"parts"`
	Grades             []StdGradeRule    `json:"grades"`
	CheckedKinds       []string          `json:"checked_kinds"`
	ValidityYears      int               `json:"validity_years"`
	SpotCheckMonths    int               `json:"spot_check_months"`
	FatalLookbackYears map[string]int    `json:"fatal_lookback_years"`
}

// StdGradeRule is what one grade needs.
type StdGradeRule struct {
	Grade    string             `json:"grade"`
	MinTotal float64            `json:"min_total"`
	MinPart  float64            `json:"min_part"`
	MinParts map[string]float64 `json:"min_parts"`
}

// DefaultStdRule answers version 1 (regulations.md §7.4).
func DefaultStdRule() StdRule {
	return StdRule{
		Source: "煤矿安全生产标准化管理体系考核定级办法（试行）第四条（煤安监行管〔2020〕16号）",
		Parts:  map[string]string{"disaster_prevention": "重大灾害防治", "professional_management": "专业管理", "basic_management": "安全基础管理"},
		Grades: []StdGradeRule{
			{Grade: "grade1", MinTotal: 90, MinParts: map[string]float64{"disaster_prevention": 90, "professional_management": 90, "basic_management": 85}},
			{Grade: "grade2", MinTotal: 80, MinPart: 80},
			{Grade: "grade3", MinTotal: 70, MinPart: 70},
		},
		CheckedKinds:       []string{registry.KindCoalUnderground, registry.KindCoalOpenpit},
		ValidityYears:      3,
		SpotCheckMonths:    6,
		FatalLookbackYears: map[string]int{accident.GradeGeneral: 1, accident.GradeLarger: 2, accident.GradeMajor: 2, accident.GradeEspeciallyMajor: 3},
	}
}

// Validate checks the grades and the periods.
func (r StdRule) Validate() error {
	f := fail.Fields{}
	if len(r.Grades) != len(StdGrades) {
		f.Add("grades", "must hold grade1, grade2 and grade3")
	}
	for i, g := range r.Grades {
		if i < len(StdGrades) && g.Grade != StdGrades[i] {
			f.Add(fmt.Sprintf("grades[%d].grade", i), "must be %s", StdGrades[i])
		}
		if g.MinTotal < 0 || g.MinTotal > 100 || g.MinPart < 0 || g.MinPart > 100 {
			f.Add(fmt.Sprintf("grades[%d]", i), "scores are from 0 to 100")
		}
	}
	if r.ValidityYears < 1 || r.SpotCheckMonths < 1 {
		f.Add("validity_years", "validity_years and spot_check_months must be at least 1")
	}
	return f.Err()
}

// Check answers why scores do not fit grade by r (nil when they do).
func (r StdRule) Check(kind, grade string, total *float64, parts map[string]float64) []string {
	if !slices.Contains(r.CheckedKinds, kind) {
		return nil
	}
	var g *StdGradeRule
	for i := range r.Grades {
		if r.Grades[i].Grade == grade {
			g = &r.Grades[i]
		}
	}
	if g == nil {
		return nil
	}
	name := StdGradeNames[grade]
	var out []string
	if total == nil {
		out = append(out, fmt.Sprintf("总分未填：无法按%s核对 (no total score to check)", name))
	} else if *total < g.MinTotal {
		out = append(out, fmt.Sprintf("总分 %s 低于%s要求的 %s (total below the grade's floor)", num(*total), name, num(g.MinTotal)))
	}
	keys := make([]string, 0, len(parts))
	for k := range parts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if g.MinPart > 0 && parts[k] < g.MinPart {
			out = append(out, fmt.Sprintf("%s %s 低于%s要求的每部分 %s (a part below the floor)", r.partName(k), num(parts[k]), name, num(g.MinPart)))
		}
	}
	named := make([]string, 0, len(g.MinParts))
	for k := range g.MinParts {
		named = append(named, k)
	}
	sort.Strings(named)
	for _, k := range named {
		v, ok := parts[k]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s 未填：无法按%s核对 (part score missing)", r.partName(k), name))
		case v < g.MinParts[k]:
			out = append(out, fmt.Sprintf("%s %s 低于%s要求的 %s (part below the grade's floor)", r.partName(k), num(v), name, num(g.MinParts[k])))
		}
	}
	return out
}

func (r StdRule) partName(k string) string {
	if n := r.Parts[k]; n != "" {
		return n
	}
	return k
}

func num(v float64) string { return fmtNum(v, 2) }

// fmtNum writes v with at most decimals decimals, without trailing zeros.
func fmtNum(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// StdRecordInput is a standardisation grade as the authority awarded it.
// ExpiresOn defaults to the rule's validity after AwardedOn.
type StdRecordInput struct {
	MineID        int64              `json:"mine_id"`
	Grade         string             `json:"grade"`
	TotalScore    *float64           `json:"total_score"`
	PartScores    map[string]float64 `json:"part_scores"`
	AwardedOn     string             `json:"awarded_on"`
	ExpiresOn     string             `json:"expires_on"`
	Authority     string             `json:"authority"`
	CertificateNo string             `json:"certificate_no"`
	Note          string             `json:"note"`
}

// SpotCheck is a half-yearly spot check of a record; "revoke" ends the
// record's validity on the day of the check.
type SpotCheck struct {
	ID        int64     `json:"id"`
	RecordID  int64     `json:"record_id"`
	CheckedOn string    `json:"checked_on"`
	Result    string    `json:"result"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
}

// SpotCheckResults are the results of a spot check.
var SpotCheckResults = []string{"pass", "rectify", "revoke"}

// StdRecord is a recorded award with the rule's findings: Flags were found
// by the score rule version RuleVersion when recorded; AccidentFlags are
// fatal accidents before a 一级 award, found when read.
type StdRecord struct {
	ID       int64  `json:"id"`
	MineName string `json:"mine_name"`
	MineKind string `json:"mine_kind"`
	StdRecordInput
	GradeName     string      `json:"grade_name"`
	RevokedOn     string      `json:"revoked_on"`
	Flags         []string    `json:"flags"`
	AccidentFlags []string    `json:"accident_flags"`
	RuleVersion   int         `json:"rule_version"`
	SpotChecks    []SpotCheck `json:"spot_checks"`
	CreatedAt     time.Time   `json:"created_at"`
	UpdatedAt     time.Time   `json:"updated_at"`
	ArchivedAt    *time.Time  `json:"archived_at"`
	ArchiveReason string      `json:"archive_reason"`
}

// validOn tells whether the record is in force on day d.
func (r StdRecord) validOn(d string) bool {
	return r.ArchivedAt == nil && r.AwardedOn <= d && r.ExpiresOn >= d && (r.RevokedOn == "" || r.RevokedOn > d)
}

const stdCols = `id, mine_id, grade, total_score, part_scores, awarded_on, expires_on, revoked_on, authority, certificate_no, flags, rule_version,
	note, created_at, updated_at, archived_at, archive_reason`

// stdRecords answers records (of one mine when mineID > 0, one record when
// id > 0), oldest award first, with their spot checks.
func (s *Service) stdRecords(ctx context.Context, q store.Querier, db interface{ Q(string) string }, mineID, id int64) ([]StdRecord, error) {
	where := func(alias string) kit.Where {
		var w kit.Where
		if mineID > 0 {
			w.Add(alias+"mine_id = ?", mineID)
		}
		if id > 0 {
			w.Add(alias+"id = ?", id)
		}
		return w
	}
	w := where("")
	rows, err := q.QueryContext(ctx, db.Q(`SELECT `+stdCols+` FROM std_records`+w.SQL()+` ORDER BY awarded_on, id`), w.Args...)
	if err != nil {
		return nil, err
	}
	out := []StdRecord{}
	at := map[int64]int{}
	for rows.Next() {
		var r StdRecord
		var parts, flags string
		if err := rows.Scan(&r.ID, &r.MineID, &r.Grade, &r.TotalScore, &parts, &r.AwardedOn, &r.ExpiresOn, &r.RevokedOn, &r.Authority,
			&r.CertificateNo, &flags, &r.RuleVersion, &r.Note, &r.CreatedAt, &r.UpdatedAt, &r.ArchivedAt, &r.ArchiveReason); err != nil {
			rows.Close()
			return nil, err
		}
		if err := json.Unmarshal([]byte(parts), &r.PartScores); err != nil {
			rows.Close()
			return nil, err
		}
		if err := json.Unmarshal([]byte(flags), &r.Flags); err != nil {
			rows.Close()
			return nil, err
		}
		r.CreatedAt, r.UpdatedAt, r.GradeName = r.CreatedAt.UTC(), r.UpdatedAt.UTC(), StdGradeNames[r.Grade]
		if r.ArchivedAt != nil {
			t := r.ArchivedAt.UTC()
			r.ArchivedAt = &t
		}
		r.SpotChecks, r.AccidentFlags = []SpotCheck{}, []string{}
		at[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	w = where("r.")
	rows, err = q.QueryContext(ctx, db.Q(`SELECT c.id, c.record_id, c.checked_on, c.result, c.note, c.created_at FROM std_spot_checks c
		JOIN std_records r ON r.id = c.record_id`+w.SQL()+` ORDER BY c.checked_on, c.id`), w.Args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c SpotCheck
		if err := rows.Scan(&c.ID, &c.RecordID, &c.CheckedOn, &c.Result, &c.Note, &c.CreatedAt); err != nil {
			return nil, err
		}
		c.CreatedAt = c.CreatedAt.UTC()
		if i, ok := at[c.RecordID]; ok {
			out[i].SpotChecks = append(out[i].SpotChecks, c)
		}
	}
	return out, rows.Err()
}

// MineStandardisation is a mine's standardisation: its grade on a day (from
// the latest award made by then, if still in force), the records behind
// it, and whether the half-yearly spot check is due.
type MineStandardisation struct {
	MineID           int64       `json:"mine_id"`
	MineCode         string      `json:"mine_code"`
	MineName         string      `json:"mine_name"`
	MineKind         string      `json:"mine_kind"`
	MineStatus       string      `json:"mine_status"`
	RegionCode       string      `json:"region_code"`
	RegionName       string      `json:"region_name"`
	SizeClass        string      `json:"size_class"`
	AsOf             string      `json:"as_of"`
	Grade            string      `json:"grade"`
	GradeName        string      `json:"grade_name"`
	RecordID         *int64      `json:"record_id"`
	AwardedOn        string      `json:"awarded_on"`
	ExpiresOn        string      `json:"expires_on"`
	Flagged          bool        `json:"flagged"`
	SpotCheckDueOn   string      `json:"spot_check_due_on"`
	SpotCheckOverdue bool        `json:"spot_check_overdue"`
	RegistryStdGrade string      `json:"registry_std_grade"`
	Records          []StdRecord `json:"records,omitempty"`
}

// standing answers a mine's standardisation on day d from its records
// (oldest award first).
func standing(m registry.Mine, size string, recs []StdRecord, d string, rule StdRule) MineStandardisation {
	out := MineStandardisation{MineID: m.ID, MineCode: m.Code, MineName: m.Name, MineKind: m.Kind, MineStatus: m.Status, RegionCode: m.RegionCode,
		RegionName: m.RegionName, SizeClass: size, AsOf: d, GradeName: StdGradeNames[""], RegistryStdGrade: m.StdGrade}
	var latest *StdRecord
	for i := range recs {
		if recs[i].ArchivedAt == nil && recs[i].AwardedOn <= d {
			latest = &recs[i]
		}
	}
	if latest == nil || !latest.validOn(d) {
		return out
	}
	id := latest.ID
	out.Grade, out.GradeName, out.RecordID, out.AwardedOn, out.ExpiresOn = latest.Grade, latest.GradeName, &id, latest.AwardedOn, latest.ExpiresOn
	out.Flagged = len(latest.Flags)+len(latest.AccidentFlags) > 0
	last := latest.AwardedOn
	for _, c := range latest.SpotChecks {
		if c.CheckedOn <= d && c.CheckedOn > last {
			last = c.CheckedOn
		}
	}
	due := addMonths(last, rule.SpotCheckMonths)
	out.SpotCheckDueOn, out.SpotCheckOverdue = due, due < d
	return out
}

func addMonths(day string, months int) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return ""
	}
	return t.AddDate(0, months, 0).Format("2006-01-02")
}

// fatalAccidents answers the fatal accidents by mine (of one mine when
// mineID > 0), for the 一级 look-back.
func (s *Service) fatalAccidents(ctx context.Context, mineID int64) (map[int64][]accident.Accident, error) {
	fatal := true
	list, _, err := s.acc.List(ctx, auth.System, accident.Filter{MineID: mineID, Fatal: &fatal})
	out := map[int64][]accident.Accident{}
	for _, a := range list {
		out[a.MineID] = append(out[a.MineID], a)
	}
	return out, err
}

// flagFatal flags the fatal accidents at the mine within the rule's
// look-back (by the accident's grade) before a 一级 award.
func flagFatal(r *StdRecord, rule StdRule, fatal []accident.Accident) {
	awarded, err := time.Parse("2006-01-02", r.AwardedOn)
	if r.Grade != "grade1" || err != nil {
		return
	}
	for _, a := range fatal {
		years := rule.FatalLookbackYears[a.Grade]
		if a.OccurredOn <= r.AwardedOn && a.OccurredOn >= awarded.AddDate(-years, 0, 0).Format("2006-01-02") {
			r.AccidentFlags = append(r.AccidentFlags, fmt.Sprintf("%s %s（事故 #%d，死亡 %d 人）在授予前 %d 年内：一级不应授予 (a fatal accident within the look-back)",
				a.OccurredOn, a.GradeName, a.ID, a.Deaths, years))
		}
	}
}

// MineStandardisation answers a mine's standardisation today, with its
// records (p must see the mine).
func (s *Service) MineStandardisation(ctx context.Context, p *auth.Principal, mineID int64) (MineStandardisation, error) {
	m, err := s.reg.GetMine(ctx, p, mineID)
	if err != nil {
		return MineStandardisation{}, err
	}
	rule, _, err := s.stdRule.InForce(ctx)
	if err != nil {
		return MineStandardisation{}, err
	}
	recs, err := s.stdRecords(ctx, s.db, s.db, mineID, 0)
	if err != nil {
		return MineStandardisation{}, err
	}
	fatal, err := s.fatalAccidents(ctx, mineID)
	if err != nil {
		return MineStandardisation{}, err
	}
	for i := range recs {
		flagFatal(&recs[i], rule, fatal[mineID])
		recs[i].MineName, recs[i].MineKind = m.Name, m.Kind
	}
	facts, err := s.allFacts(ctx, s.db, s.db, mineID)
	if err != nil {
		return MineStandardisation{}, err
	}
	out := standing(m, facts[mineID].SizeClass, recs, s.today(), rule)
	out.Records = recs
	return out, nil
}

// AddStdRecord records a grade awarded by the authority (admin and city
// users), flagging scores that do not fit it.
func (s *Service) AddStdRecord(ctx context.Context, p *auth.Principal, in StdRecordInput) (StdRecord, error) {
	if err := signedIn(p); err != nil {
		return StdRecord{}, err
	}
	var m registry.Mine
	if in.MineID > 0 {
		var err error
		if m, err = s.reg.GetMine(ctx, p, in.MineID); err != nil {
			return StdRecord{}, err
		}
	}
	if err := cityEditors(p, "standardisation records"); err != nil {
		return StdRecord{}, err
	}
	if m.ArchivedAt != nil {
		return StdRecord{}, fail.Conflictf("archived", "mine %s is archived", m.Name)
	}
	rule, version, err := s.stdRule.InForce(ctx)
	if err != nil {
		return StdRecord{}, err
	}
	f := fail.Fields{}
	in.Grade, in.AwardedOn, in.ExpiresOn = strings.TrimSpace(in.Grade), strings.TrimSpace(in.AwardedOn), strings.TrimSpace(in.ExpiresOn)
	if in.MineID <= 0 {
		f.Add("mine_id", "required")
	}
	if !slices.Contains(StdGrades, in.Grade) {
		f.Add("grade", "must be one of %s", strings.Join(StdGrades, ", "))
	}
	if !kit.ValidDate(in.AwardedOn) {
		f.Add("awarded_on", "required, a date YYYY-MM-DD")
	} else if in.ExpiresOn == "" {
		aw, _ := time.Parse("2006-01-02", in.AwardedOn)
		in.ExpiresOn = aw.AddDate(rule.ValidityYears, 0, -1).Format("2006-01-02")
	}
	if !kit.ValidDate(in.ExpiresOn) && !f.Has("awarded_on") {
		f.Add("expires_on", "must be a date YYYY-MM-DD")
	} else if in.ExpiresOn < in.AwardedOn {
		f.Add("expires_on", "must not be before awarded_on")
	}
	if v := in.TotalScore; v != nil && (math.IsNaN(*v) || *v < 0 || *v > 100) {
		f.Add("total_score", "must be from 0 to 100")
	}
	for k, v := range in.PartScores {
		if math.IsNaN(v) || v < 0 || v > 100 || k == "" {
			f.Add("part_scores", "each part's score must be from 0 to 100")
		}
	}
	if err := f.Err(); err != nil {
		return StdRecord{}, err
	}
	if in.PartScores == nil {
		in.PartScores = map[string]float64{}
	}
	flags := rule.Check(m.Kind, in.Grade, in.TotalScore, in.PartScores)
	if flags == nil {
		flags = []string{}
	}
	parts, _ := json.Marshal(in.PartScores)
	flagText, _ := json.Marshal(flags)
	var id int64
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		now := s.now()
		var err error
		id, err = tx.Insert(ctx, `INSERT INTO std_records (mine_id, grade, total_score, part_scores, awarded_on, expires_on, authority, certificate_no,
			flags, rule_version, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.MineID, in.Grade, in.TotalScore, string(parts), in.AwardedOn, in.ExpiresOn, strings.TrimSpace(in.Authority),
			strings.TrimSpace(in.CertificateNo), string(flagText), version, strings.TrimSpace(in.Note), now, now)
		if err != nil {
			return err
		}
		return s.event(ctx, tx, p, "std_record", id, "create", "", &m, map[string]any{"input": in, "flags": flags, "rule_version": version}, "")
	})
	if err != nil {
		return StdRecord{}, err
	}
	return s.GetStdRecord(ctx, p, id)
}

// GetStdRecord answers one record of a mine p may see.
func (s *Service) GetStdRecord(ctx context.Context, p *auth.Principal, id int64) (StdRecord, error) {
	r, m, err := s.stdRecord(ctx, s.db, s.db, p, id)
	if err != nil {
		return r, err
	}
	rule, _, err := s.stdRule.InForce(ctx)
	if err != nil {
		return r, err
	}
	r.MineName, r.MineKind = m.Name, m.Kind
	fatal, err := s.fatalAccidents(ctx, r.MineID)
	flagFatal(&r, rule, fatal[r.MineID])
	return r, err
}

func (s *Service) stdRecord(ctx context.Context, q store.Querier, db interface{ Q(string) string }, p *auth.Principal, id int64) (StdRecord, registry.Mine, error) {
	recs, err := s.stdRecords(ctx, q, db, 0, id)
	if err != nil {
		return StdRecord{}, registry.Mine{}, err
	}
	if len(recs) == 0 {
		return StdRecord{}, registry.Mine{}, fail.NotFoundf("no such standardisation record")
	}
	m, err := s.reg.GetMine(ctx, p, recs[0].MineID)
	if fail.Is(err, fail.NotFound) {
		return StdRecord{}, m, fail.NotFoundf("no such standardisation record")
	}
	return recs[0], m, err
}

// AddSpotCheck records a spot check of a record (admin and city users); a
// "revoke" ends the record's validity on the day of the check.
func (s *Service) AddSpotCheck(ctx context.Context, p *auth.Principal, recordID int64, in SpotCheck) (StdRecord, error) {
	if err := signedIn(p); err != nil {
		return StdRecord{}, err
	}
	in.CheckedOn, in.Result, in.Note = strings.TrimSpace(in.CheckedOn), strings.TrimSpace(in.Result), strings.TrimSpace(in.Note)
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		r, m, err := s.stdRecord(ctx, tx, tx, p, recordID)
		if err != nil {
			return err
		}
		if err := cityEditors(p, "standardisation records"); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return fail.Conflictf("archived", "the record is archived")
		}
		f := fail.Fields{}
		if !kit.ValidDate(in.CheckedOn) {
			f.Add("checked_on", "required, a date YYYY-MM-DD")
		} else if in.CheckedOn < r.AwardedOn {
			f.Add("checked_on", "must not be before the award (%s)", r.AwardedOn)
		}
		if !slices.Contains(SpotCheckResults, in.Result) {
			f.Add("result", "must be one of %s", strings.Join(SpotCheckResults, ", "))
		}
		if err := f.Err(); err != nil {
			return err
		}
		id, err := tx.Insert(ctx, `INSERT INTO std_spot_checks (record_id, checked_on, result, note, created_at) VALUES (?, ?, ?, ?, ?)`,
			recordID, in.CheckedOn, in.Result, in.Note, s.now())
		if err != nil {
			return err
		}
		if in.Result == "revoke" && (r.RevokedOn == "" || in.CheckedOn < r.RevokedOn) {
			if _, err := tx.Exec(ctx, `UPDATE std_records SET revoked_on = ?, updated_at = ? WHERE id = ?`, in.CheckedOn, s.now(), recordID); err != nil {
				return err
			}
		}
		return s.event(ctx, tx, p, "std_record", recordID, "spot_check", "", &m, map[string]any{"spot_check_id": id, "checked_on": in.CheckedOn, "result": in.Result}, in.Note)
	})
	if err != nil {
		return StdRecord{}, err
	}
	return s.GetStdRecord(ctx, p, recordID)
}

// ArchiveStdRecord takes a wrongly entered record out of every figure.
func (s *Service) ArchiveStdRecord(ctx context.Context, p *auth.Principal, id int64, reason string) (StdRecord, error) {
	if err := signedIn(p); err != nil {
		return StdRecord{}, err
	}
	reason = strings.TrimSpace(reason)
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		r, m, err := s.stdRecord(ctx, tx, tx, p, id)
		if err != nil {
			return err
		}
		if err := cityEditors(p, "standardisation records"); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return fail.Conflictf("archived", "the record is archived already")
		}
		if reason == "" {
			return fail.Invalidf("reason", "say why the record is archived")
		}
		if _, err := tx.Exec(ctx, `UPDATE std_records SET archived_at = ?, archive_reason = ?, updated_at = ? WHERE id = ?`, s.now(), reason, s.now(), id); err != nil {
			return err
		}
		return s.event(ctx, tx, p, "std_record", id, "archive", "", &m, nil, reason)
	})
	if err != nil {
		return StdRecord{}, err
	}
	return s.GetStdRecord(ctx, p, id)
}

// StdFilter selects mines for the standardisation list.
type StdFilter struct {
	RegionCode string
	AsOf       string
	Class      string // coal, noncoal or "" for both
	Grade      string // grade1, grade2, grade3, none
	Status     string
}

// Standing answers the standardisation of the mines p may see on a day.
func (s *Service) Standing(ctx context.Context, p *auth.Principal, f StdFilter) ([]MineStandardisation, error) {
	a, err := s.area(ctx, p, f.RegionCode)
	if err != nil {
		return nil, err
	}
	if f.AsOf == "" {
		f.AsOf = s.today()
	}
	rows, err := s.standings(ctx, p, a, f.AsOf)
	if err != nil {
		return nil, err
	}
	out := []MineStandardisation{}
	for _, x := range rows {
		coal := registry.IsCoal(x.MineKind)
		grade := x.Grade
		if grade == "" {
			grade = "none"
		}
		if (f.Class == "coal" && !coal) || (f.Class == "noncoal" && coal) || (f.Grade != "" && f.Grade != grade) || (f.Status != "" && f.Status != x.MineStatus) {
			continue
		}
		out = append(out, x)
	}
	return out, nil
}

// standings answers every mine of area a (in p's scope) on day d.
func (s *Service) standings(ctx context.Context, p *auth.Principal, a area, d string) ([]MineStandardisation, error) {
	ms, err := s.minesIn(ctx, p, a)
	if err != nil {
		return nil, err
	}
	rule, _, err := s.stdRule.InForce(ctx)
	if err != nil {
		return nil, err
	}
	recs, err := s.stdRecords(ctx, s.db, s.db, 0, 0)
	if err != nil {
		return nil, err
	}
	byMine := map[int64][]StdRecord{}
	for _, r := range recs {
		byMine[r.MineID] = append(byMine[r.MineID], r)
	}
	facts, err := s.allFacts(ctx, s.db, s.db, 0)
	if err != nil {
		return nil, err
	}
	fatal, err := s.fatalAccidents(ctx, 0)
	if err != nil {
		return nil, err
	}
	out := make([]MineStandardisation, 0, len(ms))
	for _, m := range ms {
		mr := byMine[m.ID]
		for i := range mr {
			flagFatal(&mr[i], rule, fatal[m.ID])
		}
		out = append(out, standing(m, facts[m.ID].SizeClass, mr, d, rule))
	}
	return out, nil
}

// minesIn answers the unarchived mines of area a that p may see.
func (s *Service) minesIn(ctx context.Context, p *auth.Principal, a area) ([]registry.Mine, error) {
	ms, _, err := s.reg.ListMines(ctx, p, registry.MineFilter{ListParams: httpx.ListParams{SortField: "code"}})
	if err != nil {
		return nil, err
	}
	out := ms[:0]
	for _, m := range ms {
		if a.has(m.RegionCode) {
			out = append(out, m)
		}
	}
	return out, nil
}

// stdShares counts the standardisation targets in p's scope on day d by
// division: producing coal mines at 一级 and at 二级 or better, producing
// non-coal mines with any grade, and large producing non-coal mines at 二级
// or better.
func (s *Service) stdShares(ctx context.Context, p *auth.Principal, a area, d string) (map[string]counts, error) {
	rows, err := s.standings(ctx, p, a, d)
	if err != nil {
		return nil, err
	}
	out := map[string]counts{KeyCoalGrade1: {}, KeyCoalGrade2Plus: {}, KeyNoncoalGraded: {}, KeyLargeNoncoal: {}}
	for _, x := range rows {
		if x.MineStatus != "producing" {
			continue
		}
		g2 := x.Grade == "grade1" || x.Grade == "grade2"
		if registry.IsCoal(x.MineKind) {
			out[KeyCoalGrade1].add(x.RegionCode, x.Grade == "grade1")
			out[KeyCoalGrade2Plus].add(x.RegionCode, g2)
			continue
		}
		out[KeyNoncoalGraded].add(x.RegionCode, x.Grade != "")
		if x.SizeClass == "large" {
			out[KeyLargeNoncoal].add(x.RegionCode, g2)
		}
	}
	return out, nil
}
