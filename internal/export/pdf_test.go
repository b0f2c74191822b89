package export

import (
	"bytes"
	"strings"
	"testing"

	"minesafe/internal/export/pdftest"
)

func TestPDFWithChineseText(t *testing.T) {
	d, err := NewDoc(DefaultFont, "呼伦贝尔市应急管理局 · minesafe")
	if err != nil {
		t.Fatal(err)
	}
	d.Title("现场检查记录")
	d.Fields([][2]string{{"被检查单位", "国能大雁矿业有限责任公司"}, {"检查时间", "2026年11月29日"}})
	d.Table([]string{"序号", "问题", "依据"}, []float64{14, 100, 60}, [][]string{{"1", "回风隅角甲烷传感器报警值设置为1.5%，高于规定值", "煤矿安全规程 第四百九十八条"}})
	d.Signatures("检查人员", "被检查单位负责人")
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	// The Chinese text must be extractable, so the font is really embedded.
	out := pdftest.Text(t, b)
	for _, want := range []string{"现场检查记录", "国能大雁矿业有限责任公司", "第四百九十八条"} {
		if !strings.Contains(out, want) {
			t.Errorf("extracted text lacks %q:\n%s", want, out)
		}
	}
	if _, err := NewDoc("/nonexistent.ttf", ""); err == nil || !strings.Contains(err.Error(), "fonts-droid-fallback") {
		t.Errorf("missing font: %v", err)
	}
}
