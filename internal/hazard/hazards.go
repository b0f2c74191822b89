package hazard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/flow"
	"minesafe/internal/httpx"
	"minesafe/internal/store"
)

// HazardInput reports a hazard. A major one cites CriterionCode from the
// catalogue of the mine's industry; a monitoring one names its AlarmID
// (MineID may then be left out).
type HazardInput struct {
	MineID        int64   `json:"mine_id"`
	Level         string  `json:"level"`
	Source        string  `json:"source"`
	AlarmID       *int64  `json:"alarm_id"`
	Description   string  `json:"description"`
	Place         string  `json:"place"`
	HazardType    string  `json:"hazard_type"`
	CriterionCode string  `json:"criterion_code"`
	Deadline      string  `json:"deadline"`
	AttachmentIDs []int64 `json:"attachment_ids"`
}

const (
	maxText  = 4000
	maxShort = 200
)

const hazardCols = `h.id, h.mine_id, m.name, m.kind, h.region_code, h.enterprise_id, h.level, h.source, h.alarm_id, h.place, h.hazard_type, h.description,
	h.criterion_code, h.criterion_version, h.criterion_text, h.criterion_confidence, h.state, h.deadline, h.reported_at, h.reported_by,
	h.responsibility, h.measures, h.funds_yuan, h.contingency, h.planned_at, h.planned_by, h.started_at, h.started_by,
	h.evidence, h.rectified_at, h.rectified_by, h.verified_at, h.verified_by, h.closed_at, h.closed_by, h.return_reason, h.return_count,
	h.escalated_to, h.escalated_at, h.supervised, h.supervised_at, h.supervision_reason`

// hazardFrom joins the mine for its name and kind, as the alarm lists do.
const hazardFrom = ` FROM hazards h JOIN mines m ON m.id = h.mine_id`

func scanHazard(row interface{ Scan(...any) error }, now time.Time) (Hazard, error) {
	var h Hazard
	err := row.Scan(&h.ID, &h.MineID, &h.MineName, &h.MineKind, &h.RegionCode, &h.EnterpriseID, &h.Level, &h.Source, &h.AlarmID, &h.Place, &h.HazardType, &h.Description,
		&h.CriterionCode, &h.CriterionVersion, &h.CriterionText, &h.CriterionConfidence, &h.State, &h.Deadline, &h.ReportedAt, &h.ReportedBy,
		&h.Responsibility, &h.Measures, &h.FundsYuan, &h.Contingency, &h.PlannedAt, &h.PlannedBy, &h.StartedAt, &h.StartedBy,
		&h.Evidence, &h.RectifiedAt, &h.RectifiedBy, &h.VerifiedAt, &h.VerifiedBy, &h.ClosedAt, &h.ClosedBy, &h.ReturnReason, &h.ReturnCount,
		&h.EscalatedTo, &h.EscalatedAt, &h.Supervised, &h.SupervisedAt, &h.SupervisionReason)
	if err != nil {
		return h, err
	}
	h.ReportedAt = h.ReportedAt.UTC()
	for _, t := range []**time.Time{&h.PlannedAt, &h.StartedAt, &h.RectifiedAt, &h.VerifiedAt, &h.ClosedAt, &h.EscalatedAt, &h.SupervisedAt} {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
	h.Overdue, h.OverdueDays = overdue(h.State, h.Deadline, now)
	return h, nil
}

// overdue tells whether the rectification of a hazard in state is late at
// now, and by how many whole days: its deadline day ended (24:00 Asia/
// Shanghai) before now.
func overdue(state, deadline string, now time.Time) (bool, int) {
	end, err := clock.EndOfDay(deadline)
	if err != nil || !slices.Contains(openStates, state) || now.Before(end) {
		return false, 0
	}
	return true, daysBetween(deadline, clock.Today(now))
}

// daysBetween counts the days from date a to date b (both YYYY-MM-DD).
func daysBetween(a, b string) int {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}

// get answers a hazard p may see (404 otherwise), without attachments.
func (s *Service) get(ctx context.Context, p *auth.Principal, id int64) (Hazard, error) {
	scope, args := p.MineScope("h.region_code", "h.enterprise_id")
	h, err := scanHazard(s.db.QueryRow(ctx, `SELECT `+hazardCols+hazardFrom+` WHERE h.id = ? AND `+scope, append([]any{id}, args...)...), s.clk.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return h, fail.NotFoundf("no such hazard")
	}
	h.Actions = actions(h, p)
	return h, err
}

func actions(h Hazard, p *auth.Principal) []string {
	out := Loop(h.Level).Actions(h.State, p)
	if out == nil {
		out = []string{}
	}
	return out
}

// Get answers a hazard p may see, with its attachments and the steps p
// may take.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id int64) (Hazard, error) {
	h, err := s.get(ctx, p, id)
	if err != nil {
		return h, err
	}
	if s.files != nil {
		h.Attachments, err = s.files.Attached(ctx, RecordType, id)
	}
	return h, err
}

// mayReport refuses a role that may not report a hazard of source.
func mayReport(p *auth.Principal, source string) error {
	roles, ok := sourceRoles[source]
	if !ok || p.Is(roles...) {
		return nil // an unknown source is a 422 later
	}
	var allowed []string
	for _, src := range sources {
		if p.Is(sourceRoles[src]...) {
			allowed = append(allowed, src)
		}
	}
	if len(allowed) == 0 {
		return fail.Forbiddenf("role %s may not report hazards", p.Role)
	}
	return fail.Forbiddenf("role %s may not report a hazard from %s (it may report: %s)", p.Role, source, strings.Join(allowed, ", "))
}

// validDate checks a YYYY-MM-DD date.
func validDate(v string) bool {
	_, err := time.Parse(time.DateOnly, v)
	return err == nil
}

func required(f fail.Fields, field, v string, limit int) {
	if strings.TrimSpace(v) == "" {
		f.Add(field, "is required")
	}
	maxLen(f, field, v, limit)
}

func maxLen(f fail.Fields, field, v string, limit int) {
	if n := len([]rune(v)); n > limit {
		f.Add(field, "must be at most %d characters, not %d", limit, n)
	}
}

func oneOf(f fail.Fields, field, v string, allowed []string, isRequired bool) {
	if (v != "" || isRequired) && !slices.Contains(allowed, v) {
		f.Add(field, "must be one of %s", strings.Join(allowed, ", "))
	}
}

// CreateFromAlarm reports a monitoring hazard from an alarm p may see: the
// mine is the alarm's, the description defaults to the alarm's message.
func (s *Service) CreateFromAlarm(ctx context.Context, p *auth.Principal, alarmID int64, in HazardInput) (Hazard, error) {
	in.Source, in.AlarmID = SourceMonitoring, &alarmID
	return s.Create(ctx, p, in)
}

// Create reports a hazard. Refusals, in this order: 404 the mine (or the
// alarm) is not in p's scope; 403 p's role may not report from the source;
// 409 the mine is archived; 422 fields.
func (s *Service) Create(ctx context.Context, p *auth.Principal, in HazardInput) (Hazard, error) {
	f := fail.Fields{}
	if in.Source == SourceMonitoring {
		if err := s.fromAlarm(ctx, p, &in, f); err != nil {
			return Hazard{}, err
		}
	} else if in.AlarmID != nil {
		f.Add("alarm_id", "only a hazard from monitoring refers to an alarm")
	}
	if in.MineID <= 0 {
		f.Add("mine_id", "is required")
		return Hazard{}, f.Err()
	}
	m, err := s.reg.GetMine(ctx, p, in.MineID)
	if err != nil {
		return Hazard{}, err
	}
	if err := mayReport(p, in.Source); err != nil {
		return Hazard{}, err
	}
	if m.ArchivedAt != nil {
		return Hazard{}, fail.Conflictf("archived", "mine %s is archived", m.Name)
	}
	oneOf(f, "source", in.Source, sources, true)
	oneOf(f, "level", in.Level, hazardLevels, true)
	oneOf(f, "hazard_type", in.HazardType, HazardTypes, false)
	in.Description, in.Place = strings.TrimSpace(in.Description), strings.TrimSpace(in.Place)
	required(f, "description", in.Description, maxText)
	maxLen(f, "place", in.Place, maxShort)
	today := clock.Today(s.clk.Now())
	switch {
	case !validDate(in.Deadline):
		f.Add("deadline", "is required: the rectification deadline as YYYY-MM-DD")
	case in.Deadline < today:
		f.Add("deadline", "%s is before today (%s)", in.Deadline, today)
	}
	var crit Criterion
	var critVersion *int
	switch {
	case in.Level == LevelMajor && in.CriterionCode == "":
		f.Add("criterion_code", "a major hazard cites its catalogue entry (GET /api/v1/hazard-criteria?industry=%s)", IndustryOf(m.Kind))
	case in.Level == LevelMajor:
		doc, set, err := s.document(ctx, 0)
		if err != nil {
			return Hazard{}, err
		}
		if crit, err = doc.resolve(IndustryOf(m.Kind), in.CriterionCode); err != nil {
			f.Add("criterion_code", "%v", err)
		}
		critVersion = &set.Version
	case in.CriterionCode != "":
		f.Add("criterion_code", "only a major hazard cites the catalogue: a hazard that matches an entry is major")
	}
	if err := f.Err(); err != nil {
		return Hazard{}, err
	}
	now := s.now()
	var id int64
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		id, err = tx.Insert(ctx, `INSERT INTO hazards (mine_id, level, source, alarm_id, place, hazard_type, description, criterion_code, criterion_version,
			criterion_text, criterion_confidence, state, deadline, reported_at, reported_by, region_code, enterprise_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, in.Level, in.Source, in.AlarmID, in.Place, in.HazardType, in.Description, crit.Code, critVersion,
			crit.Text, crit.Confidence, StateReported, in.Deadline, now, p.Name(), m.RegionCode, m.EnterpriseID)
		if store.IsUniqueViolation(err) {
			return fail.Conflictf("duplicate", "alarm %d already has its hazard", *in.AlarmID)
		}
		if err != nil {
			return err
		}
		ev := s.event(p, now, id, "report", m.RegionCode, m.EnterpriseID, m.ID).WithDetail(map[string]any{"level": in.Level, "source": in.Source,
			"alarm_id": in.AlarmID, "description": in.Description, "deadline": in.Deadline, "criterion_code": crit.Code, "criterion_version": critVersion,
			"attachment_ids": in.AttachmentIDs})
		ev.ToState = StateReported
		if _, err := events.Append(ctx, tx, ev); err != nil {
			return err
		}
		return s.attach(ctx, tx, p, in.AttachmentIDs, id)
	})
	if err != nil {
		return Hazard{}, err
	}
	return s.published(ctx, p, id, "report")
}

// fromAlarm fills a monitoring hazard's mine and description from its
// alarm, which p must be able to see.
func (s *Service) fromAlarm(ctx context.Context, p *auth.Principal, in *HazardInput, f fail.Fields) error {
	if in.AlarmID == nil {
		f.Add("alarm_id", "a hazard from monitoring names its alarm")
		return nil
	}
	if s.alarms == nil {
		return errors.New("hazard: no alarm service")
	}
	a, err := s.alarms.Get(ctx, p, *in.AlarmID)
	if fail.Is(err, fail.NotFound) {
		return fail.NotFoundf("no such alarm")
	}
	if err != nil {
		return err
	}
	switch {
	case in.MineID == 0:
		in.MineID = a.MineID
	case in.MineID != a.MineID:
		f.Add("mine_id", "alarm %d is of mine %d, not %d", a.ID, a.MineID, in.MineID)
	}
	if strings.TrimSpace(in.Description) == "" {
		in.Description = fmt.Sprintf("监测预警 alarm %d (%s): %s", a.ID, a.Level, a.Message)
	}
	if in.Place == "" {
		in.Place = a.PointCode
	}
	return nil
}

func (s *Service) attach(ctx context.Context, tx *store.Tx, p *auth.Principal, ids []int64, id int64) error {
	if len(ids) == 0 {
		return nil
	}
	if s.files == nil {
		return fail.Invalidf("attachment_ids", "attachments are not available on this server")
	}
	return s.files.Attach(ctx, tx, p, ids, RecordType, id)
}

// event starts a hazard event placed at its mine.
func (s *Service) event(p *auth.Principal, at time.Time, id int64, action, region string, enterpriseID, mineID int64) events.Event {
	ev := events.New(p, at, RecordType, id, action)
	ev.RegionCode, ev.EnterpriseID, ev.MineID = region, &enterpriseID, &mineID
	return ev
}

// published reads a hazard back after a change and pushes it on the
// stream.
func (s *Service) published(ctx context.Context, p *auth.Principal, id int64, event string) (Hazard, error) {
	h, err := s.Get(ctx, p, id)
	if err == nil {
		s.opt.Publish("hazard", h.MineID, map[string]any{"event": event, "hazard": h})
	}
	return h, err
}

// StepInput carries what a step needs. plan: measures (and for a major
// hazard the five fixes: responsibility, measures, funds_yuan, deadline,
// contingency); rectified: evidence; return: reason. attachment_ids may
// come with any step (photos of the rectification, of the check on site).
type StepInput struct {
	Responsibility string  `json:"responsibility"`
	Measures       string  `json:"measures"`
	FundsYuan      *int64  `json:"funds_yuan"`
	Deadline       string  `json:"deadline"`
	Contingency    string  `json:"contingency"`
	Evidence       string  `json:"evidence"`
	Reason         string  `json:"reason"`
	Note           string  `json:"note"`
	AttachmentIDs  []int64 `json:"attachment_ids"`
}

// Step takes one step of the loop on a hazard p may see. Refusals: 404
// outside scope, 403 wrong role (a mine verifying or closing a major
// hazard), 409 wrong state, 422 missing fields.
func (s *Service) Step(ctx context.Context, p *auth.Principal, id int64, action string, in StepInput) (Hazard, error) {
	h, err := s.get(ctx, p, id)
	if err != nil {
		return h, err
	}
	to, err := Loop(h.Level).Step(h.State, action, p)
	if err != nil {
		return Hazard{}, err
	}
	now := s.now()
	who := p.Name()
	set := map[string]any{}
	detail := map[string]any{}
	ev := s.event(p, now, id, action, h.RegionCode, h.EnterpriseID, h.MineID)
	f := fail.Fields{}
	switch action {
	case "plan":
		s.plan(h, in, f, set)
		set["planned_at"], set["planned_by"] = now, who
		maps(detail, set, "responsibility", "measures", "funds_yuan", "deadline", "contingency")
	case "start":
		set["started_at"], set["started_by"] = now, who
	case "rectified":
		required(f, "evidence", in.Evidence, maxText)
		set["evidence"], set["rectified_at"], set["rectified_by"] = strings.TrimSpace(in.Evidence), now, who
		detail["evidence"] = set["evidence"]
	case "verify":
		set["verified_at"], set["verified_by"] = now, who
	case "return":
		required(f, "reason", in.Reason, maxText)
		set["return_reason"], set["return_count"] = strings.TrimSpace(in.Reason), h.ReturnCount+1
		ev.Reason = strings.TrimSpace(in.Reason)
	case "close":
		set["closed_at"], set["closed_by"] = now, who
	}
	maxLen(f, "note", in.Note, maxText)
	if err := f.Err(); err != nil {
		return Hazard{}, err
	}
	if ev.Reason == "" {
		ev.Reason = strings.TrimSpace(in.Note)
	}
	if len(in.AttachmentIDs) > 0 {
		detail["attachment_ids"] = in.AttachmentIDs
	}
	if len(detail) > 0 {
		ev = ev.WithDetail(detail)
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := flow.Move(ctx, tx, "hazards", id, h.State, to, set, ev); err != nil {
			return err
		}
		return s.attach(ctx, tx, p, in.AttachmentIDs, id)
	})
	if err != nil {
		return Hazard{}, err
	}
	return s.published(ctx, p, id, action)
}

func maps(dst, src map[string]any, keys ...string) {
	for _, k := range keys {
		if v, ok := src[k]; ok {
			dst[k] = v
		}
	}
}

// plan checks a plan and fills its columns. Every plan says its measures;
// a major hazard's plan holds the five fixes (五落实). Its deadline may
// bring the hazard's deadline forward, never push it back: only a new
// report by a regulator would.
func (s *Service) plan(h Hazard, in StepInput, f fail.Fields, set map[string]any) {
	major := h.Level == LevelMajor
	in.Responsibility, in.Measures, in.Contingency = strings.TrimSpace(in.Responsibility), strings.TrimSpace(in.Measures), strings.TrimSpace(in.Contingency)
	required(f, "measures", in.Measures, maxText)
	if major {
		required(f, "responsibility", in.Responsibility, maxText)
		required(f, "contingency", in.Contingency, maxText)
		if in.FundsYuan == nil {
			f.Add("funds_yuan", "is required for a major hazard: the funds in whole yuan")
		}
		if in.Deadline == "" {
			f.Add("deadline", "is required for a major hazard: the plan's deadline as YYYY-MM-DD")
		}
	} else {
		maxLen(f, "responsibility", in.Responsibility, maxText)
		maxLen(f, "contingency", in.Contingency, maxText)
	}
	if in.FundsYuan != nil && *in.FundsYuan < 0 {
		f.Add("funds_yuan", "must be 0 or more (whole yuan)")
	}
	today := clock.Today(s.clk.Now())
	switch {
	case in.Deadline == "":
		in.Deadline = h.Deadline
	case !validDate(in.Deadline):
		f.Add("deadline", "must be a date YYYY-MM-DD")
	case in.Deadline < today:
		f.Add("deadline", "%s is before today (%s)", in.Deadline, today)
	case in.Deadline > h.Deadline:
		f.Add("deadline", "the plan may not extend the deadline %s set when the hazard was reported", h.Deadline)
	}
	set["responsibility"], set["measures"], set["contingency"], set["deadline"] = in.Responsibility, in.Measures, in.Contingency, in.Deadline
	if in.FundsYuan != nil {
		set["funds_yuan"] = *in.FundsYuan
	}
}

// Trail answers every event of a hazard p may see, oldest first: who did
// what, when, from which state to which and why (责任倒查).
func (s *Service) Trail(ctx context.Context, p *auth.Principal, id int64) ([]events.Event, error) {
	if _, err := s.get(ctx, p, id); err != nil {
		return nil, err
	}
	return events.Trail(ctx, s.db, RecordType, id)
}

// Filter selects hazards.
type Filter struct {
	httpx.ListParams
	MineID      int64
	RegionCode  string
	Level       string
	States      []string
	Source      string
	Overdue     *bool
	Supervised  *bool
	EscalatedTo string
}

func (f Filter) where(p *auth.Principal, today string) (string, []any) {
	scope, args := p.MineScope("h.region_code", "h.enterprise_id")
	conds := []string{scope}
	add := func(c string, v ...any) { conds = append(conds, c); args = append(args, v...) }
	if f.MineID != 0 {
		add("h.mine_id = ?", f.MineID)
	}
	if f.RegionCode != "" {
		add("h.region_code = ?", f.RegionCode)
	}
	if f.Level != "" {
		add("h.level = ?", f.Level)
	}
	if len(f.States) > 0 {
		add("h.state IN ("+store.Placeholders(len(f.States))+")", anys(f.States)...)
	}
	if f.Source != "" {
		add("h.source = ?", f.Source)
	}
	if f.EscalatedTo != "" {
		add("h.escalated_to = ?", f.EscalatedTo)
	}
	if f.Overdue != nil {
		// Overdue is the SQL twin of overdue(): the deadline day is over.
		c := "(h.state IN (" + store.Placeholders(len(openStates)) + ") AND h.deadline < ?)"
		if !*f.Overdue {
			c = "NOT " + c
		}
		add(c, append(anys(openStates), today)...)
	}
	if f.Supervised != nil {
		add("h.supervised = ?", *f.Supervised)
	}
	if f.Q != "" {
		q := "%" + strings.ToLower(f.Q) + "%"
		add("(LOWER(h.description) LIKE ? OR LOWER(h.place) LIKE ? OR LOWER(m.name) LIKE ? OR LOWER(h.criterion_code) LIKE ?)", q, q, q, q)
	}
	return strings.Join(conds, " AND "), args
}

func anys[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

var sortColumns = map[string]string{"id": "h.id", "reported_at": "h.reported_at", "deadline": "h.deadline", "state": "h.state", "mine_id": "h.mine_id",
	"level": "CASE h.level WHEN 'major' THEN 2 ELSE 1 END"}

// List answers a page of the hazards p may see and their total (a zero
// Limit: all of them).
func (s *Service) List(ctx context.Context, p *auth.Principal, f Filter) ([]Hazard, int, error) {
	now := s.clk.Now()
	where, args := f.where(p, clock.Today(now))
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*)`+hazardFrom+` WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + hazardCols + hazardFrom + ` WHERE ` + where + ` ` + f.OrderBy(sortColumns, "h.id DESC")
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	list, err := s.query(ctx, p, now, q, args...)
	return list, total, err
}

func (s *Service) query(ctx context.Context, p *auth.Principal, now time.Time, q string, args ...any) ([]Hazard, error) {
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Hazard{}
	for rows.Next() {
		h, err := scanHazard(rows, now)
		if err != nil {
			return nil, err
		}
		h.Actions = actions(h, p)
		out = append(out, h)
	}
	return out, rows.Err()
}

// OpenHazard is a hazard as it stood at the start of a day: the state it
// was in then and whether it was overdue then.
type OpenHazard struct {
	Hazard
	StateThen   string `json:"state_then"`
	OverdueThen bool   `json:"overdue_then"`
}

// OpenBefore answers the hazards of a mine p may see that were reported
// before date (YYYY-MM-DD, Asia/Shanghai) and not closed by its start: what
// was known and not yet eliminated when, say, an accident happened that day
// (责任倒查). The accident indicators use it.
func (s *Service) OpenBefore(ctx context.Context, p *auth.Principal, mineID int64, date string) ([]OpenHazard, error) {
	if _, err := s.reg.GetMine(ctx, p, mineID); err != nil {
		return nil, err
	}
	start, err := time.ParseInLocation(time.DateOnly, date, clock.Shanghai)
	if err != nil {
		return nil, fail.Invalidf("date", "must be a date YYYY-MM-DD")
	}
	list, err := s.query(ctx, p, s.clk.Now(), `SELECT `+hazardCols+hazardFrom+` WHERE h.mine_id = ? AND h.reported_at < ? AND (h.closed_at IS NULL OR h.closed_at >= ?) ORDER BY h.id`,
		mineID, start.UTC(), start.UTC())
	if err != nil || len(list) == 0 {
		return []OpenHazard{}, err
	}
	ids := make([]int64, len(list))
	for i, h := range list {
		ids[i] = h.ID
	}
	// The state then is the last state an event moved it to before date.
	rows, err := s.db.Query(ctx, `SELECT record_id, to_state FROM events WHERE record_type = ? AND record_id IN (`+store.Placeholders(len(ids))+`)
		AND at < ? AND to_state <> '' ORDER BY id`, append(append([]any{RecordType}, anys(ids)...), start.UTC())...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	then := map[int64]string{}
	for rows.Next() {
		var id int64
		var st string
		if err := rows.Scan(&id, &st); err != nil {
			return nil, err
		}
		then[id] = st
	}
	out := make([]OpenHazard, len(list))
	for i, h := range list {
		st := then[h.ID]
		if st == "" {
			st = StateReported
		}
		late, _ := overdue(st, h.Deadline, start)
		out[i] = OpenHazard{Hazard: h, StateThen: st, OverdueThen: late}
	}
	return out, rows.Err()
}
