package export

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"minesafe/internal/export/pdftest"
)

// Wrapped lines keep every character (fpdf's MultiCell dropped the CJK
// character it broke a line at), and digits and Latin letters are written
// in the Latin font, which has their glyphs.
func TestPDFWrapsWithoutLosingText(t *testing.T) {
	para := strings.Repeat("依据《中华人民共和国安全生产法》第六十五条的规定，责令你单位于2026年6月30日前整改完毕。", 6)
	cell := "《安全生产法》(2021) 第九十九条第(四)项：责令限期改正，处五万元以下罚款；逾期未改正的，处五万元以上二十万元以下罚款"
	d, err := NewDoc(DefaultFont, "header 页眉")
	if err != nil {
		t.Fatal(err)
	}
	d.Para(para)
	d.Table([]string{"序号", "依据"}, []float64{14, 60}, [][]string{{"1", cell}})
	if got := d.wrap("abc defghij", 1000); len(got) != 1 || got[0] != "abc defghij" {
		t.Fatalf("a short line: %q", got)
	}
	d.setSize(10.5)
	for _, l := range d.wrap(cell, 40) {
		if strings.HasPrefix(l, "，") || strings.HasPrefix(l, "；") || d.width([]rune(l)) > 40 {
			t.Errorf("line %q", l)
		}
	}
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(DefaultLatinFont); err == nil && !bytes.Contains(b, []byte("/FontName /utf8"+latinFamily)) {
		t.Error("the Latin font is not embedded")
	}
	flat := pdftest.Flat(t, b)
	for _, want := range []string{para, cell} {
		if !strings.Contains(flat, strings.ReplaceAll(want, " ", "")) {
			t.Errorf("text lost in wrapping:\nwant %s\ngot  %s", want, flat)
		}
	}
}
