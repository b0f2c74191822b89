package indicator_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minesafe/internal/auth"
	"minesafe/internal/export/pdftest"
	"minesafe/internal/indicator"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
	"minesafe/internal/telemetry"
)

func figureOf(t *testing.T, d indicator.Dashboard, key string) indicator.Figure {
	t.Helper()
	for _, f := range d.Figures {
		if f.Key == key {
			return f
		}
	}
	t.Fatalf("no figure %s", key)
	return indicator.Figure{}
}

func TestStaffStandardisationDashboardReports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()

		// Supervision staff and the share of professionals.
		w.county.Status("POST", "/api/v1/supervision-staff", map[string]any{"region_code": "150725", "name": "张三", "background": "mining"}, http.StatusCreated)
		w.county.Status("POST", "/api/v1/supervision-staff", map[string]any{"region_code": "150725", "name": "李四", "background": "none"}, http.StatusCreated)
		w.county.Status("POST", "/api/v1/supervision-staff", map[string]any{"region_code": "150724", "name": "王五", "background": "none"}, http.StatusForbidden)
		w.county.Status("POST", "/api/v1/supervision-staff", map[string]any{"region_code": "150725", "name": "赵六", "background": "other_professional"}, http.StatusUnprocessableEntity)
		w.city.Status("POST", "/api/v1/supervision-staff", map[string]any{"region_code": "150700", "name": "钱七", "background": "safety_engineering", "hired_on": "2026-01-01"}, http.StatusCreated)
		var gone indicator.Staff
		w.county.JSON("POST", "/api/v1/supervision-staff", map[string]any{"region_code": "150725", "name": "孙八", "background": "none", "hired_on": "2020-01-01"}, http.StatusCreated, &gone)
		w.county.JSON("PATCH", fmt.Sprintf("/api/v1/supervision-staff/%d", gone.ID), map[string]any{"left_on": "2026-03-01"}, http.StatusOK, &gone)
		if gone.OnRoll {
			t.Error("a staff member who left is on the roll")
		}
		var staff struct{ Total int }
		w.countB.JSON("GET", "/api/v1/supervision-staff", nil, http.StatusOK, &staff)
		if staff.Total != 0 {
			t.Errorf("county B sees %d staff", staff.Total)
		}
		w.entUser.JSON("GET", "/api/v1/supervision-staff", nil, http.StatusOK, &staff)
		if staff.Total != 0 {
			t.Errorf("an enterprise sees %d staff", staff.Total)
		}

		// Standardisation: the authority's award stands, scores that do not
		// fit are flagged, and so is a fatal accident before a 一级 award.
		w.accident(t, w.coalA.ID, "2025-11-01T10:00:00+08:00", 1, 0)
		rec := map[string]any{"mine_id": w.coalA.ID, "grade": "grade1", "total_score": 92, "awarded_on": "2026-01-10", "authority": "市应急管理局",
			"part_scores": map[string]float64{"disaster_prevention": 95, "professional_management": 88, "basic_management": 90}}
		w.county.Status("POST", "/api/v1/standardisation/records", rec, http.StatusForbidden)
		var r1 indicator.StdRecord
		w.city.JSON("POST", "/api/v1/standardisation/records", rec, http.StatusCreated, &r1)
		if r1.ExpiresOn != "2029-01-09" || len(r1.Flags) != 1 || !strings.Contains(r1.Flags[0], "专业管理") || len(r1.AccidentFlags) != 1 || r1.RuleVersion != 1 {
			t.Errorf("record %+v", r1)
		}
		var r2 indicator.StdRecord
		w.city.JSON("POST", "/api/v1/standardisation/records", map[string]any{"mine_id": w.coalB.ID, "grade": "grade2", "total_score": 85, "awarded_on": "2025-06-01",
			"part_scores": map[string]float64{"disaster_prevention": 85, "professional_management": 85, "basic_management": 85}}, http.StatusCreated, &r2)
		if len(r2.Flags) != 0 {
			t.Errorf("a fitting record flagged: %v", r2.Flags)
		}
		w.city.Status("POST", "/api/v1/standardisation/records", map[string]any{"mine_id": w.metalA.ID, "grade": "grade3", "awarded_on": "2026-02-01"}, http.StatusCreated)
		w.city.Status("POST", fmt.Sprintf("/api/v1/standardisation/records/%d/spot-checks", r2.ID), map[string]any{"checked_on": "2026-05-01", "result": "revoke"}, http.StatusCreated)
		var ms indicator.MineStandardisation
		w.county.JSON("GET", fmt.Sprintf("/api/v1/mines/%d/standardisation", w.coalA.ID), nil, http.StatusOK, &ms)
		if ms.Grade != "grade1" || !ms.Flagged || ms.SpotCheckDueOn != "2026-07-10" || ms.SpotCheckOverdue || len(ms.Records) != 1 {
			t.Errorf("coalA standing %+v", ms)
		}
		w.countB.JSON("GET", fmt.Sprintf("/api/v1/mines/%d/standardisation", w.coalB.ID), nil, http.StatusOK, &ms)
		if ms.Grade != "" {
			t.Errorf("a revoked record still grades: %+v", ms)
		}
		w.county.Status("PUT", fmt.Sprintf("/api/v1/mines/%d/plan-facts", w.metalA.ID), map[string]any{"size_class": "large"}, http.StatusOK)

		// Insurance, certificates and monitoring.
		reg := w.env.App.Registry
		for id, expiry := range map[int64]string{w.coalA.ID: "2026-12-31", w.openpit.ID: "2026-01-31"} {
			e := expiry
			if _, err := reg.UpdateMine(ctx, auth.System, id, registry.MinePatch{InsuranceExpiry: &e}); err != nil {
				t.Fatal(err)
			}
		}
		for role, expiry := range map[string]string{"mine_manager": "2027-01-01", "chief_engineer": "2026-01-01"} {
			if _, err := reg.AddPerson(ctx, auth.System, w.coalA.ID, registry.PersonInput{Role: role, Name: role, CertificateNo: "C-" + role, CertificateExpiry: expiry}); err != nil {
				t.Fatal(err)
			}
		}
		w.monitoring.cov = telemetry.Coverage{Divisions: []telemetry.CoverageRow{{RegionCode: "150725", Required: 3, Networked: 2}, {RegionCode: "150724", Required: 1, Networked: 1}}}

		d, err := w.ind.Dashboard(ctx, auth.System, 2026, "")
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][2]int{indicator.KeyProfessional: {2, 3}, indicator.KeyCoalGrade1: {1, 3}, indicator.KeyCoalGrade2Plus: {1, 3},
			indicator.KeyNoncoalGraded: {1, 2}, indicator.KeyLargeNoncoal: {0, 1}, indicator.KeyInsurance: {1, 5},
			indicator.KeyCertificates: {1, 2}, indicator.KeyMonitoring: {3, 4}}
		for key, nd := range want {
			f := figureOf(t, d, key)
			if f.Numerator != nd[0] || f.Denominator != nd[1] || f.Value == nil || f.Target == nil || f.Met == nil || *f.Met || f.Drill == "" {
				t.Errorf("%s: %d/%d value %v target %v met %v drill %q", key, f.Numerator, f.Denominator, ptrText(f.Value), ptrText(f.Target), f.Met, f.Drill)
			}
		}
		if f := figureOf(t, d, indicator.KeyInsurance); f.TargetYear != 2028 || f.Source != "live" || len(f.Trend) != 2 {
			t.Errorf("insurance %+v", f)
		}
		if f := figureOf(t, d, indicator.KeyCoalGrade1); !near(f.Target, 40) || f.Drill != "/api/v1/standardisation?as_of=2026-06-01&class=coal&status=producing&region_code=150700" {
			t.Errorf("coal 一级 %+v", f)
		}
		if f := figureOf(t, d, indicator.KeyCertificates); f.Extra["coal_mines"] != 3 || f.Extra["coal_mines_with_five_heads"] != 0 {
			t.Errorf("five heads %v", f.Extra)
		}
		if len(d.Tasks) != len(indicator.DefaultTasks()) || len(d.Divisions) != 14 {
			t.Errorf("%d tasks, %d divisions", len(d.Tasks), len(d.Divisions))
		}
		var viaHTTP map[string]any
		w.county.JSON("GET", "/api/v1/dashboard?year=2026", nil, http.StatusOK, &viaHTTP)
		ind, _ := viaHTTP["indicators"].(map[string]any)
		for _, k := range []string{"accidents", "deaths", "larger_accidents", "major_or_worse_accidents", "coal_deaths", "coal_output_tonnes", "million_ton_death_rate"} {
			x, _ := ind[k].(map[string]any)
			for _, field := range []string{"value", "base_2025", "target_2030", "change_vs_base_pct"} {
				if _, ok := x[field]; !ok {
					t.Errorf("dashboard indicators.%s lacks %s", k, field)
				}
			}
		}
		if viaHTTP["region_code"] != "150725" {
			t.Errorf("county's dashboard over %v", viaHTTP["region_code"])
		}

		// At the year's turn the state figures are frozen: later changes do
		// not move the closed year.
		w.travel(time.Date(2027, 1, 5, 2, 0, 0, 0, time.UTC))
		if err := w.ind.SnapshotDue(ctx); err != nil {
			t.Fatal(err)
		}
		e := "2027-12-31"
		if _, err := reg.UpdateMine(ctx, auth.System, w.coalB.ID, registry.MinePatch{InsuranceExpiry: &e}); err != nil {
			t.Fatal(err)
		}
		d, err = w.ind.Dashboard(ctx, auth.System, 2026, "")
		if err != nil {
			t.Fatal(err)
		}
		if f := figureOf(t, d, indicator.KeyInsurance); f.Source != "snapshot" || f.Numerator != 1 || f.Denominator != 5 {
			t.Errorf("frozen insurance %+v", f)
		}
		if f := figureOf(t, d, indicator.KeyProfessional); f.Numerator != 2 || f.Denominator != 3 || f.Source != "records" {
			t.Errorf("2026 professionals %+v", f)
		}

		// Reports: PDF in Chinese with charts, and workbooks; the same data
		// gives the same document.
		w.city.Status("GET", "/api/v1/reports/annual?format=pdf", nil, http.StatusUnprocessableEntity)
		w.city.Status("GET", "/api/v1/reports/annual?year=2026&format=doc", nil, http.StatusUnprocessableEntity)
		pdf := w.city.Status("GET", "/api/v1/reports/annual?year=2026&format=pdf", nil, http.StatusOK)
		again := w.city.Status("GET", "/api/v1/reports/annual?year=2026&format=pdf", nil, http.StatusOK)
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) || pdfText(t, pdf) != pdfText(t, again) {
			t.Errorf("annual PDF: %d bytes, not the same text twice", len(pdf))
		}
		pdfHas(t, pdf, "呼伦贝尔市矿山安全生产年度报告（2026年）", "主要指标（专栏1）", "矿山生产安全事故起数", "煤矿百万吨死亡率", "分旗区情况", "规划任务台账", "图1")
		mid := w.city.Status("GET", "/api/v1/reports/midterm", nil, http.StatusOK)
		pdfHas(t, mid, "中期评估（2026—2028年）", "评估期未结束", "2028年底前到期的任务")
		book := w.county.Status("GET", "/api/v1/reports/annual?year=2026&format=xlsx", nil, http.StatusOK)
		f, err := excelize.OpenReader(bytes.NewReader(book))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(f.GetSheetList(), ","); got != "说明 About,主要指标,分旗区,事故明细,其他目标,任务台账" {
			t.Errorf("annual sheets %s", got)
		}
		rows, _ := f.GetRows("事故明细")
		if len(rows) != 1 {
			t.Errorf("county's 2026 accidents: %d rows", len(rows)-1)
		}
		book = w.city.Status("GET", "/api/v1/reports/midterm?format=xlsx", nil, http.StatusOK)
		if f, err = excelize.OpenReader(bytes.NewReader(book)); err != nil || !strings.Contains(strings.Join(f.GetSheetList(), ","), "到期任务") {
			t.Errorf("midterm workbook: %v %v", err, f.GetSheetList())
		}
	})
}

// pdfHas checks the text pdftotext extracts.
func pdfHas(t *testing.T, pdf []byte, wants ...string) {
	t.Helper()
	text := pdfText(t, pdf)
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF lacks %q", w)
		}
	}
}

// pdfText answers the text of a PDF, without line breaks.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	return strings.ReplaceAll(pdftest.Text(t, pdf), "\n", "")
}
