package enforce_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/enforce"
	"minesafe/internal/fail"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

func TestInspectionRecordAndScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		in := enforce.InspectionInput{MineID: w.mineA.ID, Date: today, Inspectors: twoInspectors[:1], Checklist: w.checklist(t, w.mineA.Kind)}
		if f := fields(w.insp.Status("POST", "/api/v1/inspections", in, http.StatusUnprocessableEntity)); f["inspectors"] == "" {
			t.Fatalf("one inspector: %v", f)
		}
		in.Inspectors = []enforce.Inspector{twoInspectors[0], {Name: "赵亮"}}
		if f := fields(w.insp.Status("POST", "/api/v1/inspections", in, http.StatusUnprocessableEntity)); f["inspectors[1].certificate_no"] == "" {
			t.Fatalf("no certificate: %v", f)
		}
		in.Inspectors = twoInspectors
		in.Date = "2026-06-02"
		if f := fields(w.insp.Status("POST", "/api/v1/inspections", in, http.StatusUnprocessableEntity)); f["date"] == "" {
			t.Fatalf("future date: %v", f)
		}
		in.Date = today
		in.Findings = []enforce.FindingInput{{Description: "x"}, {Description: "y", BecomesHazard: true, HazardLevel: "major", Deadline: "2026-05-01"},
			{Description: "z", ViolationType: "no_such_type"}}
		f := fields(w.insp.Status("POST", "/api/v1/inspections", in, http.StatusUnprocessableEntity))
		for _, k := range []string{"findings[0].becomes_hazard", "findings[1].criterion_code", "findings[1].deadline", "findings[2].violation_type"} {
			if f[k] == "" {
				t.Errorf("%s not named: %v", k, f)
			}
		}
		in.Findings = nil
		w.entUserA.Status("POST", "/api/v1/inspections", in, http.StatusForbidden)
		w.observer.Status("POST", "/api/v1/inspections", in, http.StatusForbidden)
		w.entUserB.Status("POST", "/api/v1/inspections", in, http.StatusNotFound)
		w.county2.Status("POST", "/api/v1/inspections", in, http.StatusNotFound)

		var draft enforce.Inspection
		in.Checklist = in.Checklist[:2]
		w.insp.JSON("POST", "/api/v1/inspections", in, http.StatusCreated, &draft)
		if draft.State != enforce.StateDraft || len(draft.Inspectors) != 2 || draft.Checklist[0].Item == "" || draft.MineKind != w.mineA.Kind {
			t.Fatalf("draft %+v", draft)
		}
		path := fmt.Sprintf("/api/v1/inspections/%d", draft.ID)
		// A mine does not see the inspectors' drafts.
		w.entUserA.Status("GET", path, nil, http.StatusNotFound)
		var list struct{ Total int }
		w.entUserA.JSON("GET", "/api/v1/inspections", nil, http.StatusOK, &list)
		if list.Total != 0 {
			t.Fatalf("enterprise sees %d drafts", list.Total)
		}
		w.county2.Status("GET", path, nil, http.StatusNotFound)
		w.observer.Status("GET", path, nil, http.StatusOK)
		w.observer.Status("POST", path+"/submit", nil, http.StatusForbidden)
		if f := fields(w.insp.Status("POST", path+"/submit", nil, http.StatusUnprocessableEntity)); !strings.Contains(f["checklist"], "CU03") {
			t.Fatalf("unanswered checklist: %v", f)
		}
		w.insp.Status("POST", path+"/findings", map[string]any{"findings": []enforce.FindingInput{{Description: "无证上岗", ViolationType: "uncertified_special_worker"}}}, http.StatusOK)
		var got enforce.Inspection
		w.insp.JSON("GET", path, nil, http.StatusOK, &got)
		if len(got.Findings) != 1 || !strings.Contains(got.Findings[0].LegalBasis, "第九十七条") {
			t.Fatalf("finding's legal basis from its type: %+v", got.Findings)
		}
	})
}

func TestInspectionLoop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		insp := w.inspection(t)
		if insp.State != enforce.StateSubmitted || insp.SubmittedAt == nil {
			t.Fatalf("submitted %+v", insp)
		}
		// The hazard became a hazard through the hook, and keeps its id.
		if insp.Findings[0].HazardID == nil || insp.Findings[1].HazardID != nil {
			t.Fatalf("hazard ids %+v", insp.Findings)
		}
		if w.ownRoutes {
			specs := w.hz.specs()
			if len(specs) != 1 || specs[0].MineID != w.mineA.ID || specs[0].FindingID != insp.Findings[0].ID || specs[0].Level != "general" || specs[0].Place != "11201综采工作面" ||
				specs[0].Deadline != "2026-06-10" || specs[0].FoundOn != today || *insp.Findings[0].HazardID != 1001 {
				t.Fatalf("hook calls %+v", specs)
			}
		}
		path := fmt.Sprintf("/api/v1/inspections/%d", insp.ID)
		w.insp.Status("POST", path+"/submit", nil, http.StatusConflict)
		w.entUserA.Status("GET", path, nil, http.StatusOK)

		// Decisions: county and city only, and only in scope.
		rectify := enforce.DecisionInput{Kind: "rectify", Deadline: "2026-06-15", FindingIDs: []int64{insp.Findings[0].ID}}
		w.decide(t, w.insp, insp.ID, rectify, http.StatusForbidden)
		w.decide(t, w.entUserA, insp.ID, rectify, http.StatusForbidden)
		w.decide(t, w.county2, insp.ID, rectify, http.StatusNotFound)
		if f := fields(w.county.Status("POST", path+"/decisions", enforce.DecisionInput{Kind: "rectify", Deadline: "2026-05-30"}, http.StatusUnprocessableEntity)); f["deadline"] == "" {
			t.Fatalf("past deadline: %v", f)
		}
		rd := w.decide(t, w.county, insp.ID, rectify, http.StatusCreated)
		if rd.State != "issued" || rd.IssuedAt == nil || !strings.Contains(rd.DocNo, "责改〔2026〕") {
			t.Fatalf("rectify %+v", rd)
		}

		// Fines at the discretion range's edges (general: 20000–35000).
		fine := func(amount int64, reason string) enforce.DecisionInput {
			return enforce.DecisionInput{Kind: "fine", ViolationType: "monitoring_not_working", Circumstance: "general", AmountYuan: amount, Reason: reason}
		}
		w.decide(t, w.insp, insp.ID, fine(20000, ""), http.StatusForbidden)
		lo := w.decide(t, w.county, insp.ID, fine(20000, ""), http.StatusCreated)
		hi := w.decide(t, w.city, insp.ID, fine(35000, ""), http.StatusCreated)
		if lo.OutsideRange || hi.OutsideRange || lo.State != "proposed" || *lo.RangeMinYuan != 20000 || *hi.RangeMaxYuan != 35000 || *lo.DiscretionVersion != 1 || lo.ViolationName == "" {
			t.Fatalf("edges are inside: %+v %+v", lo, hi)
		}
		for _, amount := range []int64{19999, 35001} {
			f := fields(w.county.Status("POST", path+"/decisions", fine(amount, ""), http.StatusUnprocessableEntity))
			if f["reason"] == "" || len(f) != 1 {
				t.Fatalf("%d without a reason: %v", amount, f)
			}
		}
		out := w.decide(t, w.county, insp.ID, fine(35001, "连续三次检查发现同一问题"), http.StatusCreated)
		if !out.OutsideRange || out.Reason == "" {
			t.Fatalf("outside with reason %+v", out)
		}
		f := fields(w.county.Status("POST", path+"/decisions", enforce.DecisionInput{Kind: "fine", ViolationType: "x", Circumstance: "grave", AmountYuan: 0}, http.StatusUnprocessableEntity))
		if f["violation_type"] == "" || f["circumstance"] == "" || f["amount_yuan"] == "" {
			t.Fatalf("bad fine %v", f)
		}

		// The mine sees the rectification order but not the proposed fines.
		var ds struct {
			Items []enforce.Decision
			Total int
		}
		w.entUserA.JSON("GET", fmt.Sprintf("/api/v1/decisions?inspection_id=%d", insp.ID), nil, http.StatusOK, &ds)
		if ds.Total != 1 || ds.Items[0].ID != rd.ID || strings.Join(ds.Items[0].Actions, ",") != "receipt" {
			t.Fatalf("enterprise decisions %+v", ds)
		}
		w.step(t, w.county, rd.ID, "receipt", nil, http.StatusForbidden)
		if got := w.step(t, w.entUserA, rd.ID, "receipt", nil, http.StatusOK); got.ReceivedAt == nil || got.ReceivedBy != "mineA" {
			t.Fatalf("receipt %+v", got)
		}
		w.step(t, w.entUserA, rd.ID, "receipt", nil, http.StatusConflict)
		w.step(t, w.entUserB, rd.ID, "receipt", nil, http.StatusNotFound)
		w.step(t, w.entUserA, lo.ID, "receipt", nil, http.StatusNotFound) // still proposed
		w.step(t, w.county, rd.ID, "lift", map[string]string{"reason": "x"}, http.StatusConflict)
		w.step(t, w.county, rd.ID, "transfer", map[string]string{"department": "x", "transferred_on": today, "receipt_no": "1"}, http.StatusConflict)

		// Fine paid: issue, report with evidence, confirm.
		w.step(t, w.insp, lo.ID, "issue", nil, http.StatusForbidden)
		w.step(t, w.county, lo.ID, "report-payment", nil, http.StatusForbidden)
		w.step(t, w.county, lo.ID, "issue", nil, http.StatusOK)
		w.step(t, w.county, lo.ID, "issue", nil, http.StatusConflict)
		f = fields(w.entUserA.Status("POST", fmt.Sprintf("/api/v1/decisions/%d/report-payment", lo.ID), map[string]any{"paid_on": today, "amount_yuan": 2000}, http.StatusUnprocessableEntity))
		if f["amount_yuan"] == "" || f["evidence"] == "" {
			t.Fatalf("payment report %v", f)
		}
		pay := map[string]any{"paid_on": today, "amount_yuan": 20000, "evidence": "非税收入缴款书 No.1507202606010001"}
		if got := w.step(t, w.entUserA, lo.ID, "report-payment", pay, http.StatusOK); got.State != "payment_reported" || got.PaymentEvidence == "" {
			t.Fatalf("reported %+v", got)
		}
		w.step(t, w.entUserA, lo.ID, "confirm-payment", nil, http.StatusForbidden)
		w.step(t, w.county, lo.ID, "reject-payment", nil, http.StatusUnprocessableEntity)
		if got := w.step(t, w.county, lo.ID, "reject-payment", map[string]string{"reason": "凭证不清晰"}, http.StatusOK); got.State != "issued" || got.PaymentEvidence != "" {
			t.Fatalf("rejected %+v", got)
		}
		w.step(t, w.entUserA, lo.ID, "report-payment", pay, http.StatusOK)
		if got := w.step(t, w.county, lo.ID, "confirm-payment", nil, http.StatusOK); got.State != "paid" || got.PaymentConfirmedBy != "cb" {
			t.Fatalf("paid %+v", got)
		}
		w.step(t, w.county, lo.ID, "confirm-payment", nil, http.StatusConflict)

		// Fine transferred with the receiving department's receipt.
		w.step(t, w.city, hi.ID, "issue", nil, http.StatusOK)
		if f := fields(w.county.Status("POST", fmt.Sprintf("/api/v1/decisions/%d/transfer", hi.ID), map[string]string{"department": "陈巴尔虎旗人民法院"}, http.StatusUnprocessableEntity)); f["receipt_no"] == "" || f["transferred_on"] == "" {
			t.Fatalf("transfer %v", f)
		}
		tr := w.step(t, w.county, hi.ID, "transfer", map[string]string{"department": "陈巴尔虎旗人民法院", "transferred_on": today, "receipt_no": "（2026）内0725执字第12号"}, http.StatusOK)
		if tr.State != "transferred" || tr.TransferReceiptNo == "" {
			t.Fatalf("transferred %+v", tr)
		}
		w.step(t, w.entUserA, hi.ID, "report-payment", pay, http.StatusConflict)

		// Closing waits for the proposed fine.
		w.county.Status("POST", path+"/close", nil, http.StatusConflict) // decided: re-check first
		w.step(t, w.county, out.ID, "withdraw", map[string]string{"reason": "改为一般情节重新裁量"}, http.StatusOK)

		// Re-check: refused until the latest deadline (06-15) has passed.
		w.insp.Status("POST", path+"/recheck", map[string]string{"result": "pass"}, http.StatusConflict)
		w.travel(t, time.Date(2026, 6, 15, 15, 0, 0, 0, time.UTC)) // 23:00 on the deadline
		w.insp.Status("POST", path+"/recheck", map[string]string{"result": "pass"}, http.StatusConflict)
		w.travel(t, time.Date(2026, 6, 15, 16, 0, 0, 0, time.UTC)) // 00:00 the day after
		w.entUserA.Status("POST", path+"/recheck", map[string]string{"result": "pass"}, http.StatusForbidden)
		if f := fields(w.insp.Status("POST", path+"/recheck", map[string]string{"result": "fail"}, http.StatusUnprocessableEntity)); f["note"] == "" {
			t.Fatalf("fail without note %v", f)
		}
		w.insp.JSON("POST", path+"/recheck", map[string]string{"result": "fail", "note": "传感器仍未重新标定"}, http.StatusOK, &insp)
		if insp.State != enforce.StateDecided || len(insp.Rechecks) != 1 {
			t.Fatalf("after a failed re-check %+v", insp)
		}
		w.insp.JSON("POST", path+"/recheck", map[string]string{"result": "pass"}, http.StatusOK, &insp)
		if insp.State != enforce.StateRechecked || insp.Rechecks[1].Date != "2026-06-16" {
			t.Fatalf("after a passed re-check %+v", insp)
		}
		w.decide(t, w.county, insp.ID, rectify, http.StatusConflict)
		w.insp.Status("POST", path+"/close", nil, http.StatusForbidden)
		w.county.JSON("POST", path+"/close", map[string]string{"note": "整改到位"}, http.StatusOK, &insp)
		if insp.State != enforce.StateClosed || insp.ClosedBy != "cb" || len(insp.Actions) != 0 {
			t.Fatalf("closed %+v", insp)
		}
		var trail struct {
			Items []struct{ Action, ToState string }
		}
		w.observer.JSON("GET", path+"/trail", nil, http.StatusOK, &trail)
		var steps []string
		for _, e := range trail.Items {
			steps = append(steps, e.Action)
		}
		if want := "create link-hazard submit decide decide decide decide recheck recheck close"; strings.Join(steps, " ") != want {
			t.Fatalf("trail %v, want %s", steps, want)
		}
		for _, x := range []string{"/api/v1/inspections.xlsx", "/api/v1/fines.xlsx"} {
			st, body := w.county.Do("GET", x, nil)
			if st != http.StatusOK || len(body) < 100 || string(body[:2]) != "PK" {
				t.Fatalf("%s: %d", x, st)
			}
		}
	})
}

// A hazard register that refuses leaves the draft as it was; submitting
// again registers only what is not yet registered. The app wires the real
// register, so this drives a service of its own with a register that
// refuses once.
func TestSubmitResumesAfterHookFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		hz := &hazards{}
		svc := enforce.NewService(w.env.DB, w.env.Clock, w.env.App.Registry, w.env.App.Alarms, w.env.App.Telemetry, enforce.Options{
			CreateHazard: hz.create, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		insp := &auth.Principal{UserID: 99, Username: "insp2", Role: auth.RoleInspector, Regions: []string{"150725"}}
		in, err := svc.CreateInspection(ctx, insp, enforce.InspectionInput{MineID: w.mineA.ID, Date: today, Inspectors: twoInspectors,
			Checklist: w.checklist(t, w.mineA.Kind), Findings: []enforce.FindingInput{
				{Description: "一", BecomesHazard: true, HazardLevel: "general", Deadline: "2026-06-10"},
				{Description: "二", BecomesHazard: true, HazardLevel: "major", CriterionCode: "coal.7.2", Deadline: "2026-06-30"},
			}})
		if err != nil {
			t.Fatal(err)
		}
		hz.fail = fail.Invalidf("description", "the register refused")
		if _, err := svc.Submit(ctx, insp, in.ID); !fail.Is(err, fail.Invalid) {
			t.Fatalf("the hook's refusal is passed on: %v", err)
		}
		got, err := svc.GetInspection(ctx, insp, in.ID)
		if err != nil || got.State != enforce.StateDraft || got.Findings[0].HazardID != nil {
			t.Fatalf("after a refusal %+v (%v)", got, err)
		}
		got, err = svc.Submit(ctx, insp, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(hz.specs()) != 2 || hz.specs()[1].CriterionCode != "coal.7.2" || got.Findings[1].HazardID == nil {
			t.Fatalf("specs %+v findings %+v", hz.specs(), got.Findings)
		}
	})
}

func TestHaltAndLift(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		insp := w.inspection(t)
		w.decide(t, w.insp, insp.ID, enforce.DecisionInput{Kind: "halt"}, http.StatusForbidden)
		halt := w.decide(t, w.county, insp.ID, enforce.DecisionInput{Kind: "halt", Note: "立即撤出作业人员"}, http.StatusCreated)
		if halt.State != "in_force" || halt.PreviousStatus != "producing" {
			t.Fatalf("halt %+v", halt)
		}
		mineStatus := func() string {
			var m struct{ Status string }
			w.admin.JSON("GET", fmt.Sprintf("/api/v1/mines/%d", w.mineA.ID), nil, http.StatusOK, &m)
			return m.Status
		}
		if s := mineStatus(); s != "halted" {
			t.Fatalf("mine status %s", s)
		}
		w.decide(t, w.city, insp.ID, enforce.DecisionInput{Kind: "halt"}, http.StatusConflict)
		w.county.Status("POST", fmt.Sprintf("/api/v1/inspections/%d/close", insp.ID), nil, http.StatusConflict)
		w.step(t, w.insp, halt.ID, "lift", map[string]string{"reason": "x"}, http.StatusForbidden)
		w.step(t, w.entUserA, halt.ID, "lift", map[string]string{"reason": "x"}, http.StatusForbidden)
		w.step(t, w.county, halt.ID, "lift", nil, http.StatusUnprocessableEntity)
		w.step(t, w.county, halt.ID, "issue", nil, http.StatusConflict)
		lifted := w.step(t, w.county, halt.ID, "lift", map[string]string{"reason": "复查合格，准予恢复生产"}, http.StatusOK)
		if lifted.State != "lifted" || lifted.LiftedBy != "cb" || lifted.LiftReason == "" {
			t.Fatalf("lifted %+v", lifted)
		}
		if s := mineStatus(); s != "producing" {
			t.Fatalf("mine status after lifting %s", s)
		}
		w.step(t, w.county, halt.ID, "lift", map[string]string{"reason": "again"}, http.StatusConflict)
		var trail struct {
			Items []struct {
				Action string
				Detail map[string]any
			}
		}
		w.county.JSON("GET", fmt.Sprintf("/api/v1/decisions/%d/trail", halt.ID), nil, http.StatusOK, &trail)
		if len(trail.Items) != 2 || trail.Items[1].Action != "lift" || trail.Items[1].Detail["restored"] != true {
			t.Fatalf("trail %+v", trail)
		}
	})
}

func TestDiscretionRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		var cur enforce.RuleAnswer[enforce.Discretion]
		w.entUserA.JSON("GET", "/api/v1/rules/discretion", nil, http.StatusOK, &cur)
		if cur.Version != 1 || len(cur.Rules.Types) < 4 {
			t.Fatalf("defaults %+v", cur)
		}
		next := cur.Rules
		next.Types = append(next.Types, enforce.ViolationType{Code: "bad", Name: "x", LegalBasis: "y",
			Light: enforce.Range{MinYuan: 100, MaxYuan: 50}, General: enforce.Range{MinYuan: 1, MaxYuan: 2}, Serious: enforce.Range{MinYuan: 2, MaxYuan: 3}})
		body := map[string]any{"note": "市局2026年裁量基准", "rules": next}
		w.county.Status("POST", "/api/v1/rules/discretion", body, http.StatusForbidden)
		if f := fields(w.city.Status("POST", "/api/v1/rules/discretion", body, http.StatusUnprocessableEntity)); f[fmt.Sprintf("rules.types[%d].light", len(next.Types)-1)] == "" {
			t.Fatalf("bad range %v", f)
		}
		next.Types[len(next.Types)-1].Light = enforce.Range{MinYuan: 10, MaxYuan: 50}
		var v2 enforce.RuleAnswer[enforce.Discretion]
		w.city.JSON("POST", "/api/v1/rules/discretion", body, http.StatusCreated, &v2)
		if v2.Version != 2 {
			t.Fatalf("version %d", v2.Version)
		}
		insp := w.inspection(t)
		d := w.decide(t, w.county, insp.ID, enforce.DecisionInput{Kind: "fine", ViolationType: "bad", Circumstance: "light", AmountYuan: 50}, http.StatusCreated)
		if *d.DiscretionVersion != 2 || d.OutsideRange {
			t.Fatalf("fine under v2 %+v", d)
		}
	})
}

func TestBlacklist(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		path := fmt.Sprintf("/api/v1/enterprises/%d/blacklist", w.entA.ID)
		w.insp.Status("POST", path, map[string]string{"reason": "x"}, http.StatusForbidden)
		w.entUserA.Status("POST", path, map[string]string{"reason": "x"}, http.StatusForbidden)
		w.county2.Status("POST", path, map[string]string{"reason": "x"}, http.StatusNotFound)
		if f := fields(w.county.Status("POST", path, map[string]any{"reason": " ", "decision_id": 999}, http.StatusUnprocessableEntity)); f["reason"] == "" || f["decision_id"] == "" {
			t.Fatalf("blacklist entry %v", f)
		}
		var st enforce.BlacklistStatus
		w.county.JSON("POST", path, map[string]string{"reason": "一年内三次因重大事故隐患受到行政处罚"}, http.StatusCreated, &st)
		if !st.Listed || st.Current == nil || st.Current.Enterer != "cb" {
			t.Fatalf("entered %+v", st)
		}
		w.city.Status("POST", path, map[string]string{"reason": "again"}, http.StatusConflict)
		w.entUserA.JSON("GET", path, nil, http.StatusOK, &st)
		if !st.Listed {
			t.Fatal("the enterprise does not see its status")
		}
		w.entUserB.Status("GET", path, nil, http.StatusNotFound)
		w.county.Status("POST", path+"/exit", map[string]string{}, http.StatusUnprocessableEntity)
		w.city.JSON("POST", path+"/exit", map[string]string{"reason": "信用修复完成"}, http.StatusOK, &st)
		if st.Listed || len(st.History) != 1 || st.History[0].ExitReason == "" {
			t.Fatalf("exited %+v", st)
		}
		w.city.Status("POST", path+"/exit", map[string]string{"reason": "again"}, http.StatusConflict)
		w.county.Status("POST", path, map[string]string{"reason": "再次违法"}, http.StatusCreated)
		var list struct {
			Items []enforce.BlacklistEntry
			Total int
		}
		w.observer.JSON("GET", "/api/v1/blacklist?active=true", nil, http.StatusOK, &list)
		if list.Total != 1 || list.Items[0].EnterpriseName != "甲煤业有限公司" {
			t.Fatalf("active %+v", list)
		}
		w.entUserB.JSON("GET", "/api/v1/blacklist", nil, http.StatusOK, &list)
		if list.Total != 0 {
			t.Fatalf("another enterprise sees %d entries", list.Total)
		}
		w.county2.JSON("GET", "/api/v1/blacklist", nil, http.StatusOK, &list)
		if list.Total != 0 {
			t.Fatalf("another county sees %d entries", list.Total)
		}
		if st, body := w.city.Do("GET", "/api/v1/blacklist.xlsx", nil); st != http.StatusOK || string(body[:2]) != "PK" {
			t.Fatalf("xlsx %d", st)
		}
	})
}
