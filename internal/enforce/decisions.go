package enforce

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
	"minesafe/internal/registry"
	"minesafe/internal/store"
)

// Decision kinds.
const (
	KindRectify = "rectify" // 责令限期整改
	KindHalt    = "halt"    // 责令停产整顿
	KindFine    = "fine"    // 罚款
)

var decisionKinds = []string{KindRectify, KindHalt, KindFine}

// Decision states. A rectification order is issued; a halt is in force
// until lifted; a fine is proposed, issued, and then paid (reported by the
// mine with evidence, confirmed by the regulator) or transferred (移交).
const (
	RectifyIssued       = "issued"
	HaltInForce         = "in_force"
	HaltLifted          = "lifted"
	FineProposed        = "proposed"
	FineIssued          = "issued"
	FinePaymentReported = "payment_reported"
	FinePaid            = "paid"
	FineTransferred     = "transferred"
	FineWithdrawn       = "withdrawn"
)

// DecisionLoop holds every decision step; kindOf says which kind each step
// belongs to (the states of the kinds overlap only in "issued").
var DecisionLoop = flow.Machine{RecordType: "decision", Transitions: []flow.Transition{
	{From: []string{HaltInForce}, Action: "lift", To: HaltLifted, Roles: regulatorRoles},
	{From: []string{FineProposed}, Action: "issue", To: FineIssued, Roles: regulatorRoles},
	{From: []string{FineProposed}, Action: "withdraw", To: FineWithdrawn, Roles: regulatorRoles},
	{From: []string{FineIssued}, Action: "report-payment", To: FinePaymentReported, Roles: []string{auth.RoleEnterprise}},
	{From: []string{FinePaymentReported}, Action: "confirm-payment", To: FinePaid, Roles: regulatorRoles},
	{From: []string{FinePaymentReported}, Action: "reject-payment", To: FineIssued, Roles: regulatorRoles},
	{From: []string{FineIssued}, Action: "transfer", To: FineTransferred, Roles: regulatorRoles},
}}

var kindOf = map[string]string{"lift": KindHalt, "issue": KindFine, "withdraw": KindFine, "report-payment": KindFine,
	"confirm-payment": KindFine, "reject-payment": KindFine, "transfer": KindFine}

// DecisionSteps are the step endpoints of a decision, receipt included.
var DecisionSteps = []string{"receipt", "lift", "issue", "withdraw", "report-payment", "confirm-payment", "reject-payment", "transfer"}

// DecisionInput is a decision on an inspection: rectify by deadline; halt;
// fine for a violation type in a circumstance, an amount in integer yuan
// and, outside the discretion range, the reason.
type DecisionInput struct {
	Kind          string  `json:"kind"`
	Deadline      string  `json:"deadline"`
	FindingIDs    []int64 `json:"finding_ids"`
	ViolationType string  `json:"violation_type"`
	Circumstance  string  `json:"circumstance"`
	AmountYuan    int64   `json:"amount_yuan"`
	Reason        string  `json:"reason"`
	Note          string  `json:"note"`
}

// Decision is a recorded decision. The fine fields are empty for other
// kinds; RangeMinYuan…RangeMaxYuan is the discretion range of the version
// the fine was proposed under.
type Decision struct {
	ID                 int64      `json:"id"`
	InspectionID       int64      `json:"inspection_id"`
	MineID             int64      `json:"mine_id"`
	MineName           string     `json:"mine_name"`
	RegionCode         string     `json:"region_code"`
	EnterpriseID       int64      `json:"enterprise_id"`
	EnterpriseName     string     `json:"enterprise_name"`
	Kind               string     `json:"kind"`
	State              string     `json:"state"`
	DocNo              string     `json:"doc_no"`
	Note               string     `json:"note"`
	Deadline           string     `json:"deadline,omitempty"`
	FindingIDs         []int64    `json:"finding_ids"`
	PreviousStatus     string     `json:"previous_status,omitempty"`
	LiftedAt           *time.Time `json:"lifted_at,omitempty"`
	LiftedBy           string     `json:"lifted_by,omitempty"`
	LiftReason         string     `json:"lift_reason,omitempty"`
	ViolationType      string     `json:"violation_type,omitempty"`
	ViolationName      string     `json:"violation_name,omitempty"`
	LegalBasis         string     `json:"legal_basis,omitempty"`
	Circumstance       string     `json:"circumstance,omitempty"`
	AmountYuan         *int64     `json:"amount_yuan,omitempty"`
	RangeMinYuan       *int64     `json:"range_min_yuan,omitempty"`
	RangeMaxYuan       *int64     `json:"range_max_yuan,omitempty"`
	OutsideRange       bool       `json:"outside_range"`
	Reason             string     `json:"reason,omitempty"`
	DiscretionVersion  *int       `json:"discretion_version,omitempty"`
	IssuedAt           *time.Time `json:"issued_at"`
	ReceivedAt         *time.Time `json:"received_at"`
	ReceivedBy         string     `json:"received_by"`
	PaidOn             string     `json:"paid_on,omitempty"`
	PaymentEvidence    string     `json:"payment_evidence,omitempty"`
	PaymentReportedAt  *time.Time `json:"payment_reported_at,omitempty"`
	PaymentConfirmedAt *time.Time `json:"payment_confirmed_at,omitempty"`
	PaymentConfirmedBy string     `json:"payment_confirmed_by,omitempty"`
	TransferDepartment string     `json:"transfer_department,omitempty"`
	TransferredOn      string     `json:"transferred_on,omitempty"`
	TransferReceiptNo  string     `json:"transfer_receipt_no,omitempty"`
	CreatedAt          time.Time  `json:"created_at"`
	Creator            string     `json:"creator"`
	Actions            []string   `json:"actions"`
}

func (d *Decision) place() place {
	return place{mineID: d.MineID, regionCode: d.RegionCode, enterpriseID: d.EnterpriseID}
}

// docPrefix names each kind's document in its number.
var docPrefix = map[string]string{KindRectify: "责改", KindHalt: "停整", KindFine: "罚"}

// CreateDecision decides on a submitted or decided inspection (county,
// city, admin). A halt sets the mine's status to halted through the
// registry, as the acting regulator, before the decision is recorded, so a
// recorded halt is always one that took effect.
func (s *Service) CreateDecision(ctx context.Context, p *auth.Principal, inspectionID int64, in DecisionInput) (Decision, error) {
	insp, err := s.GetInspection(ctx, p, inspectionID)
	if err != nil {
		return Decision{}, err
	}
	to, err := InspectionLoop.Step(insp.State, "decide", p)
	if err != nil {
		return Decision{}, err
	}
	f := fail.Fields{}
	for i, fid := range in.FindingIDs {
		if !slices.ContainsFunc(insp.Findings, func(fi Finding) bool { return fi.ID == fid }) {
			f.Add(fmt.Sprintf("finding_ids[%d]", i), "not a finding of this inspection")
		}
	}
	if in.FindingIDs == nil {
		in.FindingIDs = []int64{}
	}
	in.Note, in.Reason = strings.TrimSpace(in.Note), strings.TrimSpace(in.Reason)
	d := Decision{Kind: in.Kind, Deadline: in.Deadline, FindingIDs: in.FindingIDs, Note: in.Note}
	var mine registry.Mine
	switch in.Kind {
	case KindRectify:
		d.State = RectifyIssued
		if checkDate(f, "deadline", in.Deadline) && in.Deadline < s.today() {
			f.Add("deadline", "not before today (%s)", s.today())
		}
	case KindHalt:
		d.State = HaltInForce
		if mine, err = s.reg.GetMine(ctx, p, insp.MineID); err != nil {
			return Decision{}, err
		}
		if mine.Status == "halted" {
			return Decision{}, fail.Conflictf("already_halted", "mine %s is already halted (停产整顿)", mine.Code)
		}
		d.PreviousStatus = mine.Status
	case KindFine:
		d.State = FineProposed
		if err := s.priceFine(ctx, f, &d, in); err != nil {
			return Decision{}, err
		}
	default:
		f.Add("kind", "rectify, halt or fine")
	}
	if err := f.Err(); err != nil {
		return Decision{}, err
	}
	if in.Kind == KindHalt {
		halted := "halted"
		if _, err := s.reg.UpdateMine(ctx, p, insp.MineID, registry.MinePatch{Status: &halted}); err != nil {
			return Decision{}, err
		}
		defer s.seals.forgetMine(insp.MineID)
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		d.ID, err = tx.Insert(ctx, `INSERT INTO enforcement_decisions (inspection_id, mine_id, region_code, enterprise_id, kind, state, doc_no, note, deadline, finding_ids,
			previous_status, violation_type, violation_name, legal_basis, circumstance, amount_yuan, range_min_yuan, range_max_yuan, outside_range, reason, discretion_version,
			issued_at, created_at, created_by, creator)
			VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			inspectionID, insp.MineID, insp.RegionCode, insp.EnterpriseID, d.Kind, d.State, d.Note, d.Deadline, jsonText(d.FindingIDs),
			d.PreviousStatus, d.ViolationType, d.ViolationName, d.LegalBasis, d.Circumstance, d.AmountYuan, d.RangeMinYuan, d.RangeMaxYuan, d.OutsideRange, d.Reason, d.DiscretionVersion,
			issuedAt(d, s.now()), s.now(), p.ActorID(), p.Name())
		if err != nil {
			return err
		}
		docNo := fmt.Sprintf("%s%s〔%d〕%d号", insp.RegionCode, docPrefix[d.Kind], s.clk.Now().In(clock.Shanghai).Year(), d.ID)
		if _, err := tx.Exec(ctx, `UPDATE enforcement_decisions SET doc_no = ? WHERE id = ?`, docNo, d.ID); err != nil {
			return err
		}
		e := s.event(p, "decision", d.ID, "create", insp.place()).WithDetail(decisionDetail(d))
		e.ToState, e.Reason = d.State, d.Reason
		if _, err := events.Append(ctx, tx, e); err != nil {
			return err
		}
		e = s.event(p, "inspection", inspectionID, "decide", insp.place()).WithDetail(map[string]any{"decision_id": d.ID, "kind": d.Kind})
		return flow.Move(ctx, tx, "inspections", inspectionID, insp.State, to, nil, e)
	})
	if err != nil {
		if in.Kind == KindHalt {
			s.undoHalt(ctx, p, insp.MineID, d.PreviousStatus, err)
		}
		if store.IsUniqueViolation(err) {
			return Decision{}, fail.Conflictf("already_halted", "the mine is already halted by another decision")
		}
		return Decision{}, err
	}
	return s.GetDecision(ctx, p, d.ID)
}

// undoHalt restores the mine's status when recording its halt failed,
// unless another halt decision holds it (the unique index said so).
func (s *Service) undoHalt(ctx context.Context, p *auth.Principal, mineID int64, previous string, cause error) {
	if store.IsUniqueViolation(cause) {
		return
	}
	if _, err := s.reg.UpdateMine(context.WithoutCancel(ctx), p, mineID, registry.MinePatch{Status: &previous}); err != nil {
		s.log.Error("halt not recorded and the mine's status not restored: set it by hand", "mine", mineID, "status", previous, "cause", cause, "err", err)
	}
}

func issuedAt(d Decision, now time.Time) *time.Time {
	if d.Kind == KindFine {
		return nil // a fine is issued by its own step
	}
	return &now
}

func decisionDetail(d Decision) map[string]any {
	m := map[string]any{"kind": d.Kind}
	switch d.Kind {
	case KindRectify:
		m["deadline"], m["finding_ids"] = d.Deadline, d.FindingIDs
	case KindHalt:
		m["previous_status"] = d.PreviousStatus
	case KindFine:
		m["violation_type"], m["circumstance"], m["amount_yuan"] = d.ViolationType, d.Circumstance, *d.AmountYuan
		m["range_yuan"], m["outside_range"], m["discretion_version"] = []int64{*d.RangeMinYuan, *d.RangeMaxYuan}, d.OutsideRange, *d.DiscretionVersion
	}
	return m
}

// priceFine checks a fine against the discretion benchmark in force: an
// amount outside the circumstance's range (whose edges are inside) needs a
// written reason.
func (s *Service) priceFine(ctx context.Context, f fail.Fields, d *Decision, in DecisionInput) error {
	disc, err := discretionRules.current(ctx, s)
	if err != nil {
		return err
	}
	t, ok := disc.Rules.Type(in.ViolationType)
	if !ok {
		f.Add("violation_type", "a violation type of the discretion benchmark (GET /api/v1/rules/discretion)")
	}
	r, okc := t.Range(in.Circumstance)
	if !okc {
		f.Add("circumstance", "light, general or serious")
	}
	if in.AmountYuan <= 0 {
		f.Add("amount_yuan", "a positive amount in whole yuan")
	}
	if !ok || !okc || in.AmountYuan <= 0 {
		return nil
	}
	d.ViolationType, d.ViolationName, d.LegalBasis, d.Circumstance = t.Code, t.Name, t.LegalBasis, in.Circumstance
	amount, lo, hi, v := in.AmountYuan, r.MinYuan, r.MaxYuan, disc.Version
	d.AmountYuan, d.RangeMinYuan, d.RangeMaxYuan, d.DiscretionVersion = &amount, &lo, &hi, &v
	d.OutsideRange = !r.Contains(amount)
	if d.OutsideRange {
		if in.Reason == "" {
			f.Add("reason", "%d yuan is outside the %s range %d–%d yuan of %s: write the reason", amount, in.Circumstance, lo, hi, t.Code)
		}
		d.Reason = in.Reason
	}
	return nil
}

// DecisionStepInput carries what a step needs: a reason to lift, withdraw
// or reject a payment; paid_on, amount_yuan and evidence to report a
// payment; department, transferred_on and receipt_no to transfer.
type DecisionStepInput struct {
	Reason        string `json:"reason"`
	Note          string `json:"note"`
	PaidOn        string `json:"paid_on"`
	AmountYuan    int64  `json:"amount_yuan"`
	Evidence      string `json:"evidence"`
	Department    string `json:"department"`
	TransferredOn string `json:"transferred_on"`
	ReceiptNo     string `json:"receipt_no"`
}

// StepDecision takes a step on a decision: receipt (签收, the mine), lift a
// halt, and the fine's steps. Refusals: 404 outside scope, 403 wrong role,
// 409 wrong state or kind, 422 missing fields.
func (s *Service) StepDecision(ctx context.Context, p *auth.Principal, id int64, action string, in DecisionStepInput) (Decision, error) {
	d, err := s.GetDecision(ctx, p, id)
	if err != nil {
		return d, err
	}
	if action == "receipt" {
		return s.receipt(ctx, p, d)
	}
	to, err := DecisionLoop.Step(d.State, action, p)
	if err != nil {
		return Decision{}, err
	}
	if kindOf[action] != d.Kind {
		return Decision{}, fail.Conflictf("wrong_kind", "cannot %s a %s decision", action, d.Kind)
	}
	f := fail.Fields{}
	set := map[string]any{}
	now := s.now()
	in.Reason = strings.TrimSpace(in.Reason)
	e := s.event(p, "decision", id, action, d.place())
	e.Reason = in.Reason
	if e.Reason == "" {
		e.Reason = strings.TrimSpace(in.Note)
	}
	switch action {
	case "lift", "withdraw", "reject-payment":
		if in.Reason == "" {
			f.Add("reason", "say why")
		}
	}
	switch action {
	case "lift":
		set["lifted_at"], set["lifted_by"], set["lift_reason"] = now, p.Name(), in.Reason
	case "issue":
		set["issued_at"] = now
	case "report-payment":
		in.Evidence = strings.TrimSpace(in.Evidence)
		if checkDate(f, "paid_on", in.PaidOn) && in.PaidOn > s.today() {
			f.Add("paid_on", "not after today")
		}
		if in.AmountYuan != *d.AmountYuan {
			f.Add("amount_yuan", "the fine is %d yuan", *d.AmountYuan)
		}
		if in.Evidence == "" {
			f.Add("evidence", "the payment voucher: receipt number or bank reference (缴款凭证)")
		}
		set["paid_on"], set["payment_evidence"], set["payment_reported_at"] = in.PaidOn, in.Evidence, now
		e = e.WithDetail(map[string]any{"paid_on": in.PaidOn, "amount_yuan": in.AmountYuan, "evidence": in.Evidence})
	case "confirm-payment":
		set["payment_confirmed_at"], set["payment_confirmed_by"] = now, p.Name()
	case "reject-payment":
		// The report's facts stay in the trail; the record shows it unpaid.
		set["paid_on"], set["payment_evidence"], set["payment_reported_at"] = "", "", nil
	case "transfer":
		in.Department, in.ReceiptNo = strings.TrimSpace(in.Department), strings.TrimSpace(in.ReceiptNo)
		if in.Department == "" {
			f.Add("department", "the department it is transferred to")
		}
		if checkDate(f, "transferred_on", in.TransferredOn) && in.TransferredOn > s.today() {
			f.Add("transferred_on", "not after today")
		}
		if in.ReceiptNo == "" {
			f.Add("receipt_no", "the number of the department's receipt (回执)")
		}
		set["transfer_department"], set["transferred_on"], set["transfer_receipt_no"] = in.Department, in.TransferredOn, in.ReceiptNo
		e = e.WithDetail(map[string]any{"department": in.Department, "transferred_on": in.TransferredOn, "receipt_no": in.ReceiptNo})
	}
	if err := f.Err(); err != nil {
		return Decision{}, err
	}
	if action == "lift" {
		if err := s.restoreStatus(ctx, p, &d, &e); err != nil {
			return Decision{}, err
		}
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		return flow.Move(ctx, tx, "enforcement_decisions", id, d.State, to, set, e)
	})
	if err != nil {
		return Decision{}, err
	}
	return s.GetDecision(ctx, p, id)
}

// restoreStatus gives a halted mine back the status it had before the
// halt. A mine whose status someone changed meanwhile (closed, say) keeps
// it; the event says which happened.
func (s *Service) restoreStatus(ctx context.Context, p *auth.Principal, d *Decision, e *events.Event) error {
	m, err := s.reg.GetMine(ctx, p, d.MineID)
	if err != nil {
		return err
	}
	detail := map[string]any{"mine_status": m.Status, "previous_status": d.PreviousStatus, "restored": false}
	if m.Status == "halted" {
		if _, err := s.reg.UpdateMine(ctx, p, d.MineID, registry.MinePatch{Status: &d.PreviousStatus}); err != nil {
			return err
		}
		detail["restored"] = true
		s.seals.forgetMine(d.MineID)
	}
	*e = e.WithDetail(detail)
	return nil
}

// receipt records that the mine received the decision's document (签收):
// once, by the mine, after the decision reached it.
func (s *Service) receipt(ctx context.Context, p *auth.Principal, d Decision) (Decision, error) {
	if !p.Is(auth.RoleEnterprise) {
		return Decision{}, fail.Forbiddenf("the mine confirms receipt of its decisions")
	}
	if d.ReceivedAt != nil {
		return Decision{}, fail.Conflictf("already_received", "receipt was confirmed at %s", d.ReceivedAt.Format(time.RFC3339))
	}
	now := s.now()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE enforcement_decisions SET received_at = ?, received_by = ? WHERE id = ? AND received_at IS NULL`, now, p.Name(), d.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fail.Conflictf("already_received", "receipt was confirmed meanwhile")
		}
		return s.appendEvent(ctx, tx, p, "decision", d.ID, "receipt", d.place(), nil, "")
	})
	if err != nil {
		return Decision{}, err
	}
	return s.GetDecision(ctx, p, d.ID)
}

// decisionScope limits decisions to p's mines; a mine does not see fines
// that are only proposed (or withdrawn before reaching it).
func decisionScope(p *auth.Principal) (string, []any) {
	where, args := p.MineScope("d.region_code", "d.enterprise_id")
	if p.Is(auth.RoleEnterprise) {
		where += " AND d.state NOT IN ('proposed', 'withdrawn')"
	}
	return where, args
}

const decisionCols = `SELECT d.id, d.inspection_id, d.mine_id, m.name, d.region_code, d.enterprise_id, e.name, d.kind, d.state, d.doc_no, d.note, d.deadline, d.finding_ids,
	d.previous_status, d.lifted_at, d.lifted_by, d.lift_reason, d.violation_type, d.violation_name, d.legal_basis, d.circumstance, d.amount_yuan, d.range_min_yuan, d.range_max_yuan,
	d.outside_range, d.reason, d.discretion_version, d.issued_at, d.received_at, d.received_by, d.paid_on, d.payment_evidence, d.payment_reported_at, d.payment_confirmed_at,
	d.payment_confirmed_by, d.transfer_department, d.transferred_on, d.transfer_receipt_no, d.created_at, d.creator`

const decisionFrom = `FROM enforcement_decisions d JOIN mines m ON m.id = d.mine_id JOIN enterprises e ON e.id = d.enterprise_id`

func scanDecision(row interface{ Scan(...any) error }) (Decision, error) {
	var d Decision
	var findings string
	err := row.Scan(&d.ID, &d.InspectionID, &d.MineID, &d.MineName, &d.RegionCode, &d.EnterpriseID, &d.EnterpriseName, &d.Kind, &d.State, &d.DocNo, &d.Note, &d.Deadline, &findings,
		&d.PreviousStatus, &d.LiftedAt, &d.LiftedBy, &d.LiftReason, &d.ViolationType, &d.ViolationName, &d.LegalBasis, &d.Circumstance, &d.AmountYuan, &d.RangeMinYuan, &d.RangeMaxYuan,
		&d.OutsideRange, &d.Reason, &d.DiscretionVersion, &d.IssuedAt, &d.ReceivedAt, &d.ReceivedBy, &d.PaidOn, &d.PaymentEvidence, &d.PaymentReportedAt, &d.PaymentConfirmedAt,
		&d.PaymentConfirmedBy, &d.TransferDepartment, &d.TransferredOn, &d.TransferReceiptNo, &d.CreatedAt, &d.Creator)
	if err != nil {
		return d, err
	}
	d.CreatedAt = d.CreatedAt.UTC()
	for _, t := range []**time.Time{&d.LiftedAt, &d.IssuedAt, &d.ReceivedAt, &d.PaymentReportedAt, &d.PaymentConfirmedAt} {
		*t = utcp(*t)
	}
	return d, fromJSON(findings, &d.FindingIDs)
}

// DecisionFilter selects decisions.
type DecisionFilter struct {
	httpx.ListParams
	InspectionID int64
	MineID       int64
	RegionCode   string
	Kind         string
	State        string
}

var decisionSort = map[string]string{"id": "d.id", "created_at": "d.created_at", "state": "d.state", "amount_yuan": "d.amount_yuan"}

// ListDecisions answers the decisions p may see.
func (s *Service) ListDecisions(ctx context.Context, p *auth.Principal, f DecisionFilter) ([]Decision, int, error) {
	where, args := decisionScope(p)
	add := func(c string, v any) { where += " AND " + c; args = append(args, v) }
	if f.InspectionID != 0 {
		add("d.inspection_id = ?", f.InspectionID)
	}
	if f.MineID != 0 {
		add("d.mine_id = ?", f.MineID)
	}
	if f.RegionCode != "" {
		add("d.region_code = ?", f.RegionCode)
	}
	if f.Kind != "" {
		add("d.kind = ?", f.Kind)
	}
	if f.State != "" {
		add("d.state = ?", f.State)
	}
	out, total, err := list(ctx, s.db, decisionFrom+` WHERE `+where, args, decisionCols, f.OrderBy(decisionSort, "d.id"), f.ListParams, scanDecision)
	for i := range out {
		out[i].Actions = decisionActions(out[i], p)
	}
	return out, total, err
}

// GetDecision answers one decision p may see.
func (s *Service) GetDecision(ctx context.Context, p *auth.Principal, id int64) (Decision, error) {
	where, args := decisionScope(p)
	d, err := scanDecision(s.db.QueryRow(ctx, decisionCols+" "+decisionFrom+` WHERE d.id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fail.NotFoundf("no such decision")
	}
	d.Actions = decisionActions(d, p)
	return d, err
}

// decisionActions are the steps p may take on d now.
func decisionActions(d Decision, p *auth.Principal) []string {
	out := []string{}
	if p.Is(auth.RoleEnterprise) && d.ReceivedAt == nil && d.State != FineProposed && d.State != FineWithdrawn {
		out = append(out, "receipt")
	}
	for _, a := range DecisionLoop.Actions(d.State, p) {
		if kindOf[a] == d.Kind {
			out = append(out, a)
		}
	}
	return out
}

// DecisionTrail answers every event of a decision, oldest first.
func (s *Service) DecisionTrail(ctx context.Context, p *auth.Principal, id int64) ([]events.Event, error) {
	if _, err := s.GetDecision(ctx, p, id); err != nil {
		return nil, err
	}
	return events.Trail(ctx, s.db, "decision", id)
}
