package enforce_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"minesafe/internal/enforce"
	"minesafe/internal/export/pdftest"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

// pdfText answers a PDF's text without line breaks and spaces.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	return pdftest.Flat(t, pdf)
}

func wantText(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(text, strings.ReplaceAll(s, " ", "")) {
			t.Errorf("the document lacks %q:\n%s", s, text)
		}
	}
}

func TestDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		insp := w.inspection(t)
		st, raw := w.entUserA.Do("GET", fmt.Sprintf("/api/v1/inspections/%d/record.pdf", insp.ID), nil)
		if st != http.StatusOK {
			t.Fatalf("record.pdf: %d %s", st, raw)
		}
		wantText(t, pdfText(t, raw), "现场检查记录", "甲煤业有限公司", "甲一矿", "2026年6月1日", "王明", "15070001", "李强", "15070002",
			"上隅角甲烷传感器报警值设置为1.5%", "一般事故隐患", "第九十九条", "被检查单位负责人")
		w.entUserB.Status("GET", fmt.Sprintf("/api/v1/inspections/%d/record.pdf", insp.ID), nil, http.StatusNotFound)

		d := w.decide(t, w.county, insp.ID, enforce.DecisionInput{Kind: "rectify", Deadline: "2026-06-30", FindingIDs: []int64{insp.Findings[0].ID}}, http.StatusCreated)
		st, raw = w.entUserA.Do("GET", fmt.Sprintf("/api/v1/decisions/%d/order.pdf", d.ID), nil)
		if st != http.StatusOK {
			t.Fatalf("order.pdf: %d %s", st, raw)
		}
		text := pdfText(t, raw)
		wantText(t, text, "责令限期整改指令书", d.DocNo, "甲煤业有限公司：", "上隅角甲烷传感器报警值设置为1.5%", "2026年6月30日前整改完毕", "第六十五条", "行政复议")
		if strings.Contains(text, "主机断线") {
			t.Error("the order lists a finding it does not concern")
		}
		fine := w.decide(t, w.county, insp.ID, enforce.DecisionInput{Kind: "fine", ViolationType: "monitoring_not_working", Circumstance: "light", AmountYuan: 8000}, http.StatusCreated)
		w.county.Status("GET", fmt.Sprintf("/api/v1/decisions/%d/order.pdf", fine.ID), nil, http.StatusConflict)
		halt := w.decide(t, w.county, insp.ID, enforce.DecisionInput{Kind: "halt"}, http.StatusCreated)
		_, raw = w.county.Do("GET", fmt.Sprintf("/api/v1/decisions/%d/order.pdf", halt.ID), nil)
		wantText(t, pdfText(t, raw), "现场处理措施决定书", "责令甲一矿停产整顿")
	})
}
