package export

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestXLSXRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	v := 1.5
	at := time.Date(2026, 1, 1, 16, 30, 0, 0, time.UTC)
	err := XLSX(&buf, "告警", []Column{Col("编号", 8), Col("时间", 20), Col("峰值", 10), Col("空", 5)},
		[][]any{{1, at, &v, (*float64)(nil)}, {2, &at, 2.25, "x"}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("告警")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "编号" || rows[1][1] != "2026-01-02 00:30:00" || rows[1][2] != "1.5" || rows[2][2] != "2.25" {
		t.Fatalf("rows %q", rows)
	}
}

func TestWorkbookSheets(t *testing.T) {
	var buf bytes.Buffer
	err := Workbook(&buf, []Sheet{
		{Name: "指标", Columns: []Column{Col("指标", 20), Col("数值", 10)}, Rows: [][]any{{"事故起数", 3}}},
		{Name: "事故", Columns: []Column{Col("编号", 8)}, Rows: [][]any{{1}, {2}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "指标" || got[1] != "事故" {
		t.Fatalf("sheets %q", got)
	}
	rows, _ := f.GetRows("事故")
	if len(rows) != 3 || rows[2][0] != "2" {
		t.Fatalf("rows %q", rows)
	}
}
