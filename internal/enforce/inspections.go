package enforce

import (
	"context"
	"database/sql"
	"encoding/json"
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
	"minesafe/internal/ruleset"
	"minesafe/internal/store"
)

// States of an inspection.
const (
	StateDraft     = "draft"
	StateSubmitted = "submitted"
	StateDecided   = "decided"
	StateRechecked = "rechecked"
	StateClosed    = "closed"
)

var (
	inspectorRoles = []string{auth.RoleInspector, auth.RoleCounty, auth.RoleCity, auth.RoleAdmin}
	regulatorRoles = []string{auth.RoleCounty, auth.RoleCity, auth.RoleAdmin}
)

// InspectionLoop: inspectors record a draft and submit it (its findings
// become hazards then); the county or city decides (rectify, halt, fine),
// which can happen several times; after the rectification deadline a
// re-check passes (→ rechecked) or fails (stays decided, for further
// decisions); the county or city closes an inspection that needed no
// decision or whose re-check passed, once its fines are settled and its
// halt lifted.
var InspectionLoop = flow.Machine{RecordType: "inspection", Transitions: []flow.Transition{
	{From: []string{StateDraft}, Action: "add-finding", To: StateDraft, Roles: inspectorRoles},
	{From: []string{StateDraft}, Action: "submit", To: StateSubmitted, Roles: inspectorRoles},
	{From: []string{StateSubmitted, StateDecided}, Action: "decide", To: StateDecided, Roles: regulatorRoles},
	{From: []string{StateDecided}, Action: "recheck-pass", To: StateRechecked, Roles: inspectorRoles},
	{From: []string{StateDecided}, Action: "recheck-fail", To: StateDecided, Roles: inspectorRoles},
	{From: []string{StateSubmitted, StateRechecked}, Action: "close", To: StateClosed, Roles: regulatorRoles},
}}

// Inspector is a law-enforcement officer with the number of the
// enforcement certificate (执法证号) the record must show.
type Inspector struct {
	Name          string `json:"name"`
	CertificateNo string `json:"certificate_no"`
}

// CheckAnswer is the answer to one checklist item: ok, problem or na (not
// applicable). Item is filled from the checklist for reading.
type CheckAnswer struct {
	Code   string `json:"code"`
	Item   string `json:"item,omitempty"`
	Result string `json:"result"`
	Note   string `json:"note"`
}

var checkResults = []string{"ok", "problem", "na"}

// FindingInput is a problem found. It becomes a hazard in the hazard loop
// (becomes_hazard, with its level, the 判定标准 case of a major one and the
// rectification deadline) and/or a violation (violation_type of the
// discretion benchmark, with its legal basis).
type FindingInput struct {
	Description   string `json:"description"`
	LegalBasis    string `json:"legal_basis"`
	BecomesHazard bool   `json:"becomes_hazard"`
	HazardLevel   string `json:"hazard_level"`
	CriterionCode string `json:"criterion_code"`
	Deadline      string `json:"deadline"`
	ViolationType string `json:"violation_type"`
}

// Finding is a recorded finding; HazardID is the hazard it became.
type Finding struct {
	ID  int64 `json:"id"`
	Seq int   `json:"seq"`
	FindingInput
	HazardID *int64 `json:"hazard_id"`
}

// InspectionInput records an inspection (as a draft).
type InspectionInput struct {
	MineID     int64          `json:"mine_id"`
	Date       string         `json:"date"`
	Place      string         `json:"place"`
	PlanID     *int64         `json:"plan_id"`
	Inspectors []Inspector    `json:"inspectors"`
	Checklist  []CheckAnswer  `json:"checklist"`
	Findings   []FindingInput `json:"findings"`
	Note       string         `json:"note"`
}

// Recheck is a re-check (复查) of an inspection's rectification.
type Recheck struct {
	ID        int64     `json:"id"`
	Date      string    `json:"date"`
	Result    string    `json:"result"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
	Creator   string    `json:"creator"`
}

// Inspection is an inspection record. Deadline is the latest
// rectification deadline of its findings and rectify decisions: re-checks
// wait for it to pass.
type Inspection struct {
	ID               int64         `json:"id"`
	MineID           int64         `json:"mine_id"`
	MineName         string        `json:"mine_name"`
	MineCode         string        `json:"mine_code"`
	MineKind         string        `json:"mine_kind"`
	RegionCode       string        `json:"region_code"`
	EnterpriseID     int64         `json:"enterprise_id"`
	EnterpriseName   string        `json:"enterprise_name"`
	PlanID           *int64        `json:"plan_id"`
	Date             string        `json:"date"`
	Place            string        `json:"place"`
	State            string        `json:"state"`
	Inspectors       []Inspector   `json:"inspectors"`
	Checklist        []CheckAnswer `json:"checklist"`
	ChecklistVersion int           `json:"checklist_version"`
	Note             string        `json:"note"`
	FindingCount     int           `json:"finding_count"`
	Deadline         string        `json:"deadline"`
	CreatedAt        time.Time     `json:"created_at"`
	Creator          string        `json:"creator"`
	SubmittedAt      *time.Time    `json:"submitted_at"`
	ClosedAt         *time.Time    `json:"closed_at"`
	ClosedBy         string        `json:"closed_by"`
	Findings         []Finding     `json:"findings,omitzero"`
	Decisions        []Decision    `json:"decisions,omitzero"`
	Rechecks         []Recheck     `json:"rechecks,omitzero"`
	Actions          []string      `json:"actions"`
}

func (i *Inspection) place() place {
	return place{mineID: i.MineID, regionCode: i.RegionCode, enterpriseID: i.EnterpriseID}
}

// checkDate records a problem unless v is a YYYY-MM-DD date.
func checkDate(f fail.Fields, field, v string) bool {
	if _, err := time.Parse("2006-01-02", v); err != nil {
		f.Add(field, "a date YYYY-MM-DD")
		return false
	}
	return true
}

// checkInspectors: at least two, each with a name and an enforcement
// certificate number, no certificate twice.
func checkInspectors(f fail.Fields, field string, ins []Inspector) {
	if len(ins) < 2 {
		f.Add(field, "at least two inspectors, each with an enforcement certificate number (执法证号)")
	}
	seen := map[string]bool{}
	for i := range ins {
		ins[i].Name, ins[i].CertificateNo = strings.TrimSpace(ins[i].Name), strings.TrimSpace(ins[i].CertificateNo)
		at := fmt.Sprintf("%s[%d]", field, i)
		if ins[i].Name == "" {
			f.Add(at+".name", "required")
		}
		switch {
		case ins[i].CertificateNo == "":
			f.Add(at+".certificate_no", "the enforcement certificate number is required")
		case seen[ins[i].CertificateNo]:
			f.Add(at+".certificate_no", "given twice")
		}
		seen[ins[i].CertificateNo] = true
	}
}

// checkFinding validates a finding found on date and fills its legal basis
// from its violation type when empty.
func checkFinding(f fail.Fields, at string, fi *FindingInput, date string, disc Discretion) {
	fi.Description, fi.LegalBasis = strings.TrimSpace(fi.Description), strings.TrimSpace(fi.LegalBasis)
	if fi.Description == "" {
		f.Add(at+".description", "say what was found")
	}
	if !fi.BecomesHazard && fi.ViolationType == "" {
		f.Add(at+".becomes_hazard", "a finding becomes a hazard, a violation (violation_type), or both")
	}
	if fi.BecomesHazard {
		switch fi.HazardLevel {
		case "general":
		case "major":
			if strings.TrimSpace(fi.CriterionCode) == "" {
				f.Add(at+".criterion_code", "a major hazard names the 判定标准 case it meets")
			}
		default:
			f.Add(at+".hazard_level", "general (一般) or major (重大)")
		}
		if fi.Deadline == "" {
			f.Add(at+".deadline", "a hazard needs a rectification deadline")
		}
	}
	if fi.Deadline != "" && checkDate(f, at+".deadline", fi.Deadline) && date != "" && fi.Deadline < date {
		f.Add(at+".deadline", "not before the inspection's date %s", date)
	}
	if fi.ViolationType != "" {
		t, ok := disc.Type(fi.ViolationType)
		if !ok {
			f.Add(at+".violation_type", "not a violation type of the discretion benchmark (GET /api/v1/rules/discretion)")
		} else if fi.LegalBasis == "" {
			fi.LegalBasis = t.LegalBasis
		}
	}
}

// checkChecklist validates answers against a kind's checklist and fills
// their item text.
func checkChecklist(f fail.Fields, answers []CheckAnswer, items []CheckItem) {
	seen := map[string]bool{}
	for i := range answers {
		a := &answers[i]
		at := fmt.Sprintf("checklist[%d]", i)
		j := slices.IndexFunc(items, func(it CheckItem) bool { return it.Code == a.Code })
		switch {
		case j < 0:
			f.Add(at+".code", "not an item of this mine kind's checklist (GET /api/v1/rules/inspection-checklists)")
		case seen[a.Code]:
			f.Add(at+".code", "answered twice")
		default:
			a.Item = items[j].Item
		}
		seen[a.Code] = true
		if !slices.Contains(checkResults, a.Result) {
			f.Add(at+".result", "ok, problem or na")
		}
	}
}

// CreateInspection records an inspection as a draft (inspector, county,
// city, admin, on a mine in their scope).
func (s *Service) CreateInspection(ctx context.Context, p *auth.Principal, in InspectionInput) (Inspection, error) {
	f := fail.Fields{}
	var kind string
	var region string
	var enterpriseID int64
	if in.MineID <= 0 {
		f.Add("mine_id", "required")
	} else {
		m, err := s.reg.GetMine(ctx, p, in.MineID)
		if err != nil {
			return Inspection{}, err
		}
		kind, region, enterpriseID = m.Kind, m.RegionCode, m.EnterpriseID
	}
	if !p.Is(inspectorRoles...) {
		return Inspection{}, fail.Forbiddenf("role %s may not record inspections", p.Role)
	}
	if checkDate(f, "date", in.Date) && in.Date > s.today() {
		f.Add("date", "an inspection that took place: not after today (%s)", s.today())
	}
	in.Place, in.Note = strings.TrimSpace(in.Place), strings.TrimSpace(in.Note)
	if len([]rune(in.Place)) > 200 {
		f.Add("place", "at most 200 characters")
	}
	checkInspectors(f, "inspectors", in.Inspectors)
	lists, err := checklistRules.current(ctx, s)
	if err != nil {
		return Inspection{}, err
	}
	checkChecklist(f, in.Checklist, lists.Rules[kind])
	disc, err := discretionRules.current(ctx, s)
	if err != nil {
		return Inspection{}, err
	}
	for i := range in.Findings {
		checkFinding(f, fmt.Sprintf("findings[%d]", i), &in.Findings[i], in.Date, disc.Rules)
	}
	if in.PlanID != nil && in.MineID > 0 {
		if err := s.checkPlanMine(ctx, p, f, *in.PlanID, in.MineID); err != nil {
			return Inspection{}, err
		}
	}
	if err := f.Err(); err != nil {
		return Inspection{}, err
	}
	if in.Checklist == nil {
		in.Checklist = []CheckAnswer{}
	}
	at := place{mineID: in.MineID, regionCode: region, enterpriseID: enterpriseID}
	var id int64
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		id, err = tx.Insert(ctx, `INSERT INTO inspections (mine_id, region_code, enterprise_id, plan_id, inspected_on, place, state, inspectors, checklist, checklist_version, note, created_at, created_by, creator)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, in.MineID, region, enterpriseID, in.PlanID, in.Date, in.Place, StateDraft,
			jsonText(in.Inspectors), jsonText(in.Checklist), lists.Version, in.Note, s.now(), p.ActorID(), p.Name())
		if err != nil {
			return err
		}
		if err := insertFindings(ctx, tx, id, 0, in.Findings); err != nil {
			return err
		}
		e := s.event(p, "inspection", id, "create", at).WithDetail(map[string]any{"date": in.Date, "inspectors": in.Inspectors, "findings": len(in.Findings)})
		e.ToState = StateDraft
		_, err = events.Append(ctx, tx, e)
		return err
	})
	if err != nil {
		return Inspection{}, err
	}
	return s.GetInspection(ctx, p, id)
}

// checkPlanMine requires the plan to be visible and to hold the mine.
func (s *Service) checkPlanMine(ctx context.Context, p *auth.Principal, f fail.Fields, planID, mineID int64) error {
	if _, err := s.plan(ctx, p, planID); err != nil {
		if fail.Is(err, fail.NotFound) || fail.Is(err, fail.Forbidden) {
			f.Add("plan_id", "no such inspection plan")
			return nil
		}
		return err
	}
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM inspection_plan_items WHERE plan_id = ? AND mine_id = ?`, planID, mineID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		f.Add("plan_id", "the plan does not include this mine")
	}
	return nil
}

func insertFindings(ctx context.Context, tx *store.Tx, inspectionID int64, after int, fs []FindingInput) error {
	for i, fi := range fs {
		if _, err := tx.Exec(ctx, `INSERT INTO inspection_findings (inspection_id, seq, description, legal_basis, becomes_hazard, hazard_level, criterion_code, deadline, violation_type)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, inspectionID, after+i+1, fi.Description, fi.LegalBasis, fi.BecomesHazard, fi.HazardLevel, fi.CriterionCode, fi.Deadline, fi.ViolationType); err != nil {
			return err
		}
	}
	return nil
}

// AddFindings adds findings to a draft.
func (s *Service) AddFindings(ctx context.Context, p *auth.Principal, id int64, fs []FindingInput) (Inspection, error) {
	insp, err := s.GetInspection(ctx, p, id)
	if err != nil {
		return insp, err
	}
	to, err := InspectionLoop.Step(insp.State, "add-finding", p)
	if err != nil {
		return Inspection{}, err
	}
	disc, err := discretionRules.current(ctx, s)
	if err != nil {
		return Inspection{}, err
	}
	f := fail.Fields{}
	if len(fs) == 0 {
		f.Add("findings", "at least one finding")
	}
	for i := range fs {
		checkFinding(f, fmt.Sprintf("findings[%d]", i), &fs[i], insp.Date, disc.Rules)
	}
	if err := f.Err(); err != nil {
		return Inspection{}, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		e := s.event(p, "inspection", id, "add-finding", insp.place()).WithDetail(map[string]any{"findings": fs})
		if err := flow.Move(ctx, tx, "inspections", id, insp.State, to, nil, e); err != nil {
			return err
		}
		return insertFindings(ctx, tx, id, len(insp.Findings), fs)
	})
	if err != nil {
		return Inspection{}, err
	}
	return s.GetInspection(ctx, p, id)
}

// Submit finalises a draft: every checklist item must be answered; each
// finding that becomes a hazard is registered through the hazard hook and
// keeps the hazard's id. A failed hook leaves the draft as it was, with the
// hazards already registered linked, so submitting again continues.
func (s *Service) Submit(ctx context.Context, p *auth.Principal, id int64) (Inspection, error) {
	mu := &s.submitting[id%int64(len(s.submitting))]
	mu.Lock()
	defer mu.Unlock()
	insp, err := s.GetInspection(ctx, p, id)
	if err != nil {
		return insp, err
	}
	to, err := InspectionLoop.Step(insp.State, "submit", p)
	if err != nil {
		return Inspection{}, err
	}
	if missing, err := s.unanswered(ctx, insp); err != nil {
		return Inspection{}, err
	} else if len(missing) > 0 {
		return Inspection{}, fail.Invalidf("checklist", "answer every item of the checklist; missing %s", strings.Join(missing, ", "))
	}
	for _, fi := range insp.Findings {
		if !fi.BecomesHazard || fi.HazardID != nil {
			continue
		}
		if s.opt.CreateHazard == nil {
			return Inspection{}, fail.Conflictf("no_hazard_register", "the hazard register is not available, so findings cannot become hazards yet")
		}
		hid, err := s.opt.CreateHazard(ctx, p, HazardSpec{MineID: insp.MineID, InspectionID: id, FindingID: fi.ID, Description: fi.Description, Place: insp.Place,
			Level: fi.HazardLevel, CriterionCode: fi.CriterionCode, LegalBasis: fi.LegalBasis, Deadline: fi.Deadline, FoundOn: insp.Date, Source: "inspection"})
		if err != nil {
			return Inspection{}, fmt.Errorf("register the hazard of finding %d: %w", fi.Seq, err)
		}
		err = s.db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE inspection_findings SET hazard_id = ? WHERE id = ? AND hazard_id IS NULL`, hid, fi.ID); err != nil {
				return err
			}
			return s.appendEvent(ctx, tx, p, "inspection", id, "link-hazard", insp.place(), map[string]any{"finding_id": fi.ID, "hazard_id": hid}, "")
		})
		if err != nil {
			return Inspection{}, err
		}
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		return flow.Move(ctx, tx, "inspections", id, insp.State, to, map[string]any{"submitted_at": s.now()}, s.event(p, "inspection", id, "submit", insp.place()))
	})
	if err != nil {
		return Inspection{}, err
	}
	return s.GetInspection(ctx, p, id)
}

// unanswered answers the checklist items (of the version the inspection was
// recorded under) it has not answered.
func (s *Service) unanswered(ctx context.Context, insp Inspection) ([]string, error) {
	set, err := ruleset.Get(ctx, s.db, checklistRules.kind, insp.ChecklistVersion)
	if err != nil {
		return nil, err
	}
	var lists Checklists
	if err := json.Unmarshal(set.Body, &lists); err != nil {
		return nil, err
	}
	var missing []string
	for _, it := range lists[insp.MineKind] {
		if !slices.ContainsFunc(insp.Checklist, func(a CheckAnswer) bool { return a.Code == it.Code }) {
			missing = append(missing, it.Code)
		}
	}
	return missing, nil
}

// RecheckInput records a re-check: pass or fail, on a date after the
// deadline (default today).
type RecheckInput struct {
	Result string `json:"result"`
	Date   string `json:"date"`
	Note   string `json:"note"`
}

// Recheck records a re-check (复查) of a decided inspection, refused (409)
// until its rectification deadline has passed. Pass moves it to rechecked;
// fail keeps it decided for further decisions.
func (s *Service) Recheck(ctx context.Context, p *auth.Principal, id int64, in RecheckInput) (Inspection, error) {
	insp, err := s.GetInspection(ctx, p, id)
	if err != nil {
		return insp, err
	}
	action := "recheck-pass"
	if in.Result == "fail" {
		action = "recheck-fail"
	}
	to, err := InspectionLoop.Step(insp.State, action, p)
	if err != nil {
		return Inspection{}, err
	}
	if insp.Deadline != "" {
		end, _ := clock.EndOfDay(insp.Deadline)
		if s.clk.Now().Before(end) {
			return Inspection{}, fail.Conflictf("before_deadline", "the rectification deadline %s has not passed; re-check after it", insp.Deadline)
		}
	}
	f := fail.Fields{}
	if in.Result != "pass" && in.Result != "fail" {
		f.Add("result", "pass or fail")
	}
	if in.Date == "" {
		in.Date = s.today()
	}
	if checkDate(f, "date", in.Date) && (in.Date > s.today() || in.Date <= insp.Deadline) {
		f.Add("date", "after the deadline %s and not after today", insp.Deadline)
	}
	in.Note = strings.TrimSpace(in.Note)
	if in.Result == "fail" && in.Note == "" {
		f.Add("note", "say what is still not rectified")
	}
	if err := f.Err(); err != nil {
		return Inspection{}, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		rid, err := tx.Insert(ctx, `INSERT INTO inspection_rechecks (inspection_id, rechecked_on, result, note, created_at, created_by, creator) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, in.Date, in.Result, in.Note, s.now(), p.ActorID(), p.Name())
		if err != nil {
			return err
		}
		e := s.event(p, "inspection", id, "recheck", insp.place()).WithDetail(map[string]any{"recheck_id": rid, "result": in.Result, "date": in.Date})
		e.Reason = in.Note
		return flow.Move(ctx, tx, "inspections", id, insp.State, to, nil, e)
	})
	if err != nil {
		return Inspection{}, err
	}
	return s.GetInspection(ctx, p, id)
}

// CloseInspection closes an inspection (county, city, admin) once its
// fines are paid, transferred or withdrawn and its halt is lifted.
func (s *Service) CloseInspection(ctx context.Context, p *auth.Principal, id int64, note string) (Inspection, error) {
	insp, err := s.GetInspection(ctx, p, id)
	if err != nil {
		return insp, err
	}
	to, err := InspectionLoop.Step(insp.State, "close", p)
	if err != nil {
		return Inspection{}, err
	}
	var open []string
	for _, d := range insp.Decisions {
		if d.Kind == KindFine && slices.Contains([]string{FineProposed, FineIssued, FinePaymentReported}, d.State) || d.Kind == KindHalt && d.State == HaltInForce {
			open = append(open, fmt.Sprintf("%s %d (%s)", d.Kind, d.ID, d.State))
		}
	}
	if len(open) > 0 {
		return Inspection{}, fail.Conflictf("open_decisions", "settle these first: %s", strings.Join(open, ", "))
	}
	now := s.now()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		e := s.event(p, "inspection", id, "close", insp.place())
		e.Reason = strings.TrimSpace(note)
		return flow.Move(ctx, tx, "inspections", id, insp.State, to, map[string]any{"closed_at": now, "closed_by": p.Name()}, e)
	})
	if err != nil {
		return Inspection{}, err
	}
	return s.GetInspection(ctx, p, id)
}

// inspectionScope limits inspections to p's mines; a mine does not see
// drafts, which are the inspectors' work in progress.
func inspectionScope(p *auth.Principal) (string, []any) {
	where, args := p.MineScope("i.region_code", "i.enterprise_id")
	if p.Is(auth.RoleEnterprise) {
		where += " AND i.state <> 'draft'"
	}
	return where, args
}

const inspectionCols = `SELECT i.id, i.mine_id, m.name, m.code, m.kind, i.region_code, i.enterprise_id, e.name, i.plan_id, i.inspected_on, i.place, i.state,
	i.inspectors, i.checklist, i.checklist_version, i.note, i.created_at, i.creator, i.submitted_at, i.closed_at, i.closed_by,
	(SELECT COUNT(*) FROM inspection_findings f WHERE f.inspection_id = i.id)`

const inspectionFrom = `FROM inspections i JOIN mines m ON m.id = i.mine_id JOIN enterprises e ON e.id = i.enterprise_id`

func scanInspection(row interface{ Scan(...any) error }) (Inspection, error) {
	var i Inspection
	var ins, check string
	err := row.Scan(&i.ID, &i.MineID, &i.MineName, &i.MineCode, &i.MineKind, &i.RegionCode, &i.EnterpriseID, &i.EnterpriseName, &i.PlanID, &i.Date, &i.Place, &i.State,
		&ins, &check, &i.ChecklistVersion, &i.Note, &i.CreatedAt, &i.Creator, &i.SubmittedAt, &i.ClosedAt, &i.ClosedBy, &i.FindingCount)
	if err != nil {
		return i, err
	}
	i.CreatedAt = i.CreatedAt.UTC()
	i.SubmittedAt, i.ClosedAt = utcp(i.SubmittedAt), utcp(i.ClosedAt)
	if err := fromJSON(ins, &i.Inspectors); err != nil {
		return i, err
	}
	return i, fromJSON(check, &i.Checklist)
}

func utcp(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// InspectionFilter selects inspections.
type InspectionFilter struct {
	httpx.ListParams
	MineID     int64
	PlanID     int64
	RegionCode string
	State      string
	From, To   string // dates, inclusive
}

var inspectionSort = map[string]string{"id": "i.id", "date": "i.inspected_on", "state": "i.state", "mine_id": "i.mine_id"}

// ListInspections answers the inspections p may see.
func (s *Service) ListInspections(ctx context.Context, p *auth.Principal, f InspectionFilter) ([]Inspection, int, error) {
	where, args := inspectionScope(p)
	add := func(c string, v any) { where += " AND " + c; args = append(args, v) }
	if f.MineID != 0 {
		add("i.mine_id = ?", f.MineID)
	}
	if f.PlanID != 0 {
		add("i.plan_id = ?", f.PlanID)
	}
	if f.RegionCode != "" {
		add("i.region_code = ?", f.RegionCode)
	}
	if f.State != "" {
		add("i.state = ?", f.State)
	}
	if f.From != "" {
		add("i.inspected_on >= ?", f.From)
	}
	if f.To != "" {
		add("i.inspected_on <= ?", f.To)
	}
	out, total, err := list(ctx, s.db, inspectionFrom+` WHERE `+where, args, inspectionCols, f.OrderBy(inspectionSort, "i.id DESC"), f.ListParams, scanInspection)
	for i := range out {
		out[i].Actions = s.inspectionActions(out[i], p)
	}
	return out, total, err
}

// GetInspection answers one inspection p may see with its findings,
// decisions, re-checks and the steps p may take.
func (s *Service) GetInspection(ctx context.Context, p *auth.Principal, id int64) (Inspection, error) {
	where, args := inspectionScope(p)
	insp, err := scanInspection(s.db.QueryRow(ctx, inspectionCols+" "+inspectionFrom+` WHERE i.id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return insp, fail.NotFoundf("no such inspection")
	}
	if err != nil {
		return insp, err
	}
	if insp.Findings, err = s.findings(ctx, id); err != nil {
		return insp, err
	}
	if insp.Decisions, _, err = s.ListDecisions(ctx, p, DecisionFilter{InspectionID: id}); err != nil {
		return insp, err
	}
	if insp.Rechecks, err = s.rechecks(ctx, id); err != nil {
		return insp, err
	}
	for _, fi := range insp.Findings {
		insp.Deadline = max(insp.Deadline, fi.Deadline)
	}
	for _, d := range insp.Decisions {
		if d.Kind == KindRectify {
			insp.Deadline = max(insp.Deadline, d.Deadline)
		}
	}
	insp.Actions = s.inspectionActions(insp, p)
	return insp, nil
}

// inspectionActions are the endpoints' steps p may take: the loop's, with
// both re-check outcomes shown as "recheck".
func (s *Service) inspectionActions(insp Inspection, p *auth.Principal) []string {
	out := []string{}
	for _, a := range InspectionLoop.Actions(insp.State, p) {
		switch a {
		case "recheck-pass", "recheck-fail":
			a = "recheck"
		case "decide":
			a = "decisions"
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

func (s *Service) findings(ctx context.Context, inspectionID int64) ([]Finding, error) {
	rows, err := s.db.Query(ctx, `SELECT id, seq, description, legal_basis, becomes_hazard, hazard_level, criterion_code, deadline, violation_type, hazard_id
		FROM inspection_findings WHERE inspection_id = ? ORDER BY seq`, inspectionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Finding{}
	for rows.Next() {
		var f Finding
		if err := rows.Scan(&f.ID, &f.Seq, &f.Description, &f.LegalBasis, &f.BecomesHazard, &f.HazardLevel, &f.CriterionCode, &f.Deadline, &f.ViolationType, &f.HazardID); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func (s *Service) rechecks(ctx context.Context, inspectionID int64) ([]Recheck, error) {
	rows, err := s.db.Query(ctx, `SELECT id, rechecked_on, result, note, created_at, creator FROM inspection_rechecks WHERE inspection_id = ? ORDER BY id`, inspectionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Recheck{}
	for rows.Next() {
		var r Recheck
		if err := rows.Scan(&r.ID, &r.Date, &r.Result, &r.Note, &r.CreatedAt, &r.Creator); err != nil {
			return nil, err
		}
		r.CreatedAt = r.CreatedAt.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

// InspectionTrail answers every event of an inspection, oldest first.
func (s *Service) InspectionTrail(ctx context.Context, p *auth.Principal, id int64) ([]events.Event, error) {
	if _, err := s.GetInspection(ctx, p, id); err != nil {
		return nil, err
	}
	return events.Trail(ctx, s.db, "inspection", id)
}
