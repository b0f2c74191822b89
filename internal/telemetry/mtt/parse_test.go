package mtt

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const mine = "150703100001"

func mustParse(t *testing.T, name, text string) *File {
	t.Helper()
	f, err := Parse(name, []byte(text))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func readTestdata(t *testing.T, dir string) (string, []byte) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.txt"))
	if len(files) != 1 {
		t.Fatalf("want one file in testdata/%s, got %v", dir, files)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Base(files[0]), data
}

// The §1.6 sample of monitoring-formats.md, field by field.
func TestParseSample(t *testing.T) {
	name, data := readTestdata(t, "cdss_sample")
	f, err := Parse(name, data)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 1, 1, 4, 0, 0, 0, time.UTC)
	want := []Sample{
		{Point: "15070200000001MN000100000012", SensorName: "环境瓦斯", Location: "11201工作面回风隅角", Value: 0.32, Unit: "%CH4", Status: 0, Time: at},
		{Point: "15070200000001KG101000000003", SensorName: "主通风机", Location: "主斜井风机房", Value: 1, Unit: "", Status: 0, Time: at},
	}
	if !reflect.DeepEqual(f.CDSS, want) || len(f.Errors) != 0 || f.Encoding != EncodingUTF8 {
		t.Fatalf("got %+v, errors %+v", f.CDSS, f.Errors)
	}
	if f.MineName() != "某煤矿" {
		t.Errorf("MineName = %q", f.MineName())
	}
	if up, ok := f.UploadTime(); !ok || !up.Equal(at) {
		t.Errorf("UploadTime = %v, %v", up, ok)
	}
}

func TestParseWholeFileErrors(t *testing.T) {
	rec := mine + "01MN000100000001;环境瓦斯;回风隅角;0.3;%CH4;0;2025-01-01 12:00:00~"
	cases := []struct {
		name, text string
		err        error
	}{
		{"x.txt", "||", ErrName},
		{mine + "_SSSJ_20250101120000.txt", mine + ";矿~||", ErrType},
		{mine + "_CDSS_20250101120000.txt", mine + ";矿;2025-01-01 12:00:00~" + rec, ErrTruncated},
		{mine + "_CDSS_20250101120000.txt", mine + ";矿;2025-01-01 12:00:00~" + rec + "|", ErrTruncated},
		{mine + "_CDSS_20250101120000.txt", mine + ";矿;2025-01-01 12:00:00~" + rec + "||x", ErrTruncated},
		{mine + "_CDSS_20250101120000.txt", "", ErrTruncated},
		{mine + "_CDSS_20250101120000.txt", "||", ErrHeader},
		{mine + "_CDSS_20250101120000.txt", " ~" + rec + "||", ErrHeader},
		{mine + "_CDSS_20250101120000.txt", "150703100009;矿;2025-01-01 12:00:00~" + rec + "||", ErrHeader},
		{mine + "_CDSS_20250101120000.txt", rec + "||", ErrHeader},
	}
	for _, c := range cases {
		f, err := Parse(c.name, []byte(c.text))
		if !errors.Is(err, c.err) || f != nil {
			t.Errorf("%s %q: got %v, want %v", c.name, c.text, err, c.err)
		}
	}
}

func TestParseTruncatedGolden(t *testing.T) {
	name, data := readTestdata(t, "cdss_truncated")
	if _, err := Parse(name, data); !errors.Is(err, ErrTruncated) {
		t.Fatalf("got %v, want ErrTruncated", err)
	}
}

// A file with bad records keeps its good ones and reports each bad one.
func TestParseBadRecords(t *testing.T) {
	name, data := readTestdata(t, "cdss_bad_records")
	f, err := Parse(name, data)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.CDSS) != 2 {
		t.Errorf("want the 2 good records, got %d", len(f.CDSS))
	}
	want := map[int]string{
		2:  `field 4 (value): "abc" is not a number`,
		3:  `field 7 (data time): missing`,
		4:  `field 6 (status): "-1" is not a whole number ≥ 0`,
		5:  `does not start with the mine code 150703100001`,
		6:  `has 6 fields separated by ";", want 7 for CDSS`,
		7:  `field 7 (data time): "2025-13-01 12:01:30" is not a time`,
		8:  `full-width`,
		9:  `want MN (analogue) or KG (switch)`,
		10: `field 4 (value): "NaN" is not a number; field 6 (status): "1.5" is not a whole number ≥ 0; field 7 (data time)`,
	}
	if len(f.Errors) != len(want) {
		t.Fatalf("got %d errors, want %d: %+v", len(f.Errors), len(want), f.Errors)
	}
	for _, e := range f.Errors {
		if !strings.Contains(e.Reason, want[e.Index]) {
			t.Errorf("record %d: reason %q, want it to contain %q", e.Index, e.Reason, want[e.Index])
		}
		if e.Raw == "" {
			t.Errorf("record %d: no raw text", e.Index)
		}
	}
}

func TestParseRecordRules(t *testing.T) {
	hdr := mine + ";矿;2025-01-01 12:00:00~\n"
	pt := mine + "01MN000100000001"
	kg := mine + "01KG101000000001"
	st := mine + "01001"
	T := "2025-01-01 12:00:00"
	cddy := func(fields ...string) string { return strings.Join(fields, ";") }
	mn := func(pt, vt, unit string) string {
		return cddy(pt, "01", st, "0001", vt, unit, "4", "0", "1", "1", "", "", "1.5", "1", "", "", "", "", "回风隅角", "", "", "", "", T)
	}
	cases := []struct {
		typ, record, reason string // reason "" = accepted
	}{
		{TypeCDDY, mn(pt, "MN", "%CH4"), ""},
		{TypeCDDY, mn(pt, "KG", "%CH4"), `field 5 (value type): KG does not match the point code, which says MN`},
		{TypeCDDY, mn(pt, "AB", "%CH4"), `field 5 (value type): "AB" is not MN (analogue) or KG (switch)`},
		{TypeCDDY, mn(pt, "MN", ""), `field 6 (unit): missing: an MN (analogue) point needs a unit`},
		{TypeCDDY, cddy(kg, "01", st, "1010", "KG", "", "", "", "", "", "", "", "", "", "", "", "开", "停", "风机房", "", "", "", "", T), ""},
		{TypeCDDY, cddy(pt, "01", "15070310000201001", "001", "MN", "%CH4", "x", "", "", "", "", "", "", "", "", "", "", "", "", "1e999", "", "", "", T),
			`field 3 (station code): station code "15070310000201001" does not start with the mine code 150703100001; field 4 (sensor type): "001" is not a 4-digit sensor type code; field 7 (high range): "x" is not a number; field 19 (location): missing; field 20 (X): "1e999" is out of range`},
		{TypeCDDY, mn(pt, "MN", "%CH4") + ";", ""}, // one trailing ";" tolerated
		{TypeCDDY, mn(pt, "MN", "%CH4") + ";;", "has 26 fields"},
		{TypeCDSS, cddy(pt, "甲烷", "回风隅角", "0x1p-2", "%CH4", "0", T), `"0x1p-2" is not a number`},
		{TypeCDSS, cddy(pt, "甲烷", "回风隅角", "Inf", "%CH4", "0", T), `"Inf" is not a number`},
		{TypeCDSS, cddy(pt, "甲烷", "回风隅角", "1_0", "%CH4", "0", T), `"1_0" is not a number`},
		{TypeCDSS, cddy(pt, "甲烷", "回风隅角", "-.5", "%CH4", "+3", T), `"+3" is not a whole number`},
		{TypeCDSS, cddy(pt, "", "", "1.5e0", "", "255", T), ""},
		{TypeCDSS, cddy(pt, "甲烷", "回风隅角", "", "%CH4", "", ""), `field 4 (value): missing; field 6 (status): missing; field 7 (data time): missing`},
		{TypeTJSJ, cddy(pt, "甲烷", "回风隅角", "%CH4", T, "2025-01-01 11:55:00", "1", T, "0", T, "0.5", T), "the period ends before it starts"},
		{TypeTJSJ, cddy(pt, "甲烷", "回风隅角", "%CH4", T, T, "", T, "0", T, "0.5", T), "field 7 (maximum): missing"},
		{TypeYCBJ, cddy(pt, "甲烷", "回风隅角", "%CH4", "1", T, "", "", "", "", "", "", "", "", "", "", T), `field 5 (abnormal type): "1" is not a 3-digit abnormal type code`},
		{TypeYCBJ, cddy(pt, "甲烷", "回风隅角", "%CH4", "011", T, "2025-01-01 11:00:00", "", "", "", "", "", "", "", "", "", T), "ends before it starts"},
		{TypeYCBJ, cddy(pt, "甲烷", "回风隅角", "%CH4", "001", "", "", "1", "bad", "", "", "", "", "", "", "", T), `field 6 (start time): missing; field 9 (time of maximum): "bad" is not a time`},
		{TypeFZDY, cddy(st, "分站", "1", "2"), ""},
		{TypeFZDY, cddy(st, "分站", "1", "2", "3"), ""},
		{TypeFZDY, cddy(st, "分站", "1"), "has 3 fields separated by \";\", want 4 or 5 for FZDY"},
		{TypeFZDY, cddy(st, "", "a", "2", "3", "4", "5"), "has 7 fields"},
		{TypeFZSS, cddy(st, "0", "2", T), ""},
		{TypeFZSS, cddy(st, "7", "8", T), ""}, // unknown states are kept; StationRunState says so
		{TypeFZSS, cddy(mine, "-1", "x", T), `field 1 (station code): station code "150703100001" has no station number after the mine code; field 2 (run state): "-1" is not a whole number ≥ 0; field 3 (power state): "x" is not a whole number ≥ 0`},
	}
	for _, c := range cases {
		f := mustParse(t, mine+"_"+c.typ+"_20250101120000.txt", hdr+c.record+"~\n||")
		if c.reason == "" {
			if len(f.Errors) != 0 {
				t.Errorf("%s %q: refused: %s", c.typ, c.record, f.Errors[0].Reason)
			}
			continue
		}
		if len(f.Errors) != 1 || !strings.Contains(f.Errors[0].Reason, c.reason) {
			t.Errorf("%s %q:\n got %+v\nwant reason containing %q", c.typ, c.record, f.Errors, c.reason)
		}
	}
}

func TestParseValues(t *testing.T) {
	hdr := mine + ";矿;2025-01-01 12:00:00~"
	f := mustParse(t, mine+"_CDSS_20250101120000.txt", hdr+mine+"01MN000100000001;甲烷;隅角;1.05;%CH4;3;2025-01-01 12:00:00.25~||")
	s := f.CDSS[0]
	if s.Value != 1.05 || !s.Status.Has(StatusAlarm) || !s.Status.Has(StatusPowerCut) || s.Status.Has(StatusCalibration) {
		t.Errorf("got %+v", s)
	}
	if want := time.Date(2025, 1, 1, 4, 0, 0, 250e6, time.UTC); s.Time != want {
		t.Errorf("time %v, want %v", s.Time, want)
	}
	assertRoundTrip(t, f)

	// YCBJ: an ongoing alarm has no end time.
	f = mustParse(t, mine+"_YCBJ_20250101120000.txt", hdr+mine+"01MN000100000001;甲烷;隅角;%CH4;001;2025-01-01 12:00:00;;;;;;;;;;;2025-01-01 12:00:00~||")
	if len(f.YCBJ) != 1 || !f.YCBJ[0].Ongoing() || f.YCBJ[0].Max != nil {
		t.Errorf("got %+v %+v", f.YCBJ, f.Errors)
	}
}

// Record numbering skips blank records so that the index matches what a
// person counts in the file.
func TestParseRecordIndex(t *testing.T) {
	hdr := mine + ";矿;2025-01-01 12:00:00~"
	good := mine + "01MN000100000001;甲烷;隅角;0.1;%CH4;0;2025-01-01 12:00:00~"
	f := mustParse(t, mine+"_CDSS_20250101120000.txt", hdr+"\n~ ~\n"+good+"\n"+"bad~"+good+"||")
	if len(f.CDSS) != 2 || len(f.Errors) != 1 || f.Errors[0].Index != 2 || f.Errors[0].Raw != "bad" {
		t.Fatalf("got %d samples, errors %+v", len(f.CDSS), f.Errors)
	}
}

func TestParseLongRawIsShortened(t *testing.T) {
	hdr := mine + ";矿;2025-01-01 12:00:00~"
	f := mustParse(t, mine+"_CDSS_20250101120000.txt", hdr+strings.Repeat("瓦", 2000)+"~||")
	if len(f.Errors) != 1 || len(f.Errors[0].Raw) > rawLimit+len("…") || !utf8.ValidString(f.Errors[0].Raw) {
		t.Fatalf("raw of %d bytes", len(f.Errors[0].Raw))
	}
}

// toGBK is the test helper that produces GBK bytes the way an older
// monitoring system sends them.
func toGBK(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseGBK(t *testing.T) {
	name := mine + "_CDSS_20250101120000.txt"
	text := mine + ";扎赉诺尔示范煤矿;2025-01-01 12:00:00~\r\n" +
		mine + "01MN000100000001;环境瓦斯;11201综采工作面回风隅角;0.32;%CH4;0;2025-01-01 12:00:00~\r\n||\r\n"
	gbk := toGBK(t, text)
	if utf8.Valid(gbk) {
		t.Fatal("test text is valid UTF-8 in GBK: it does not test detection")
	}
	fu := mustParse(t, name, text)
	fg, err := Parse(name, gbk)
	if err != nil {
		t.Fatal(err)
	}
	if fg.Encoding != EncodingGBK || fu.Encoding != EncodingUTF8 {
		t.Fatalf("encodings %q, %q", fg.Encoding, fu.Encoding)
	}
	fg.Encoding = fu.Encoding
	if !reflect.DeepEqual(fg, fu) {
		t.Fatalf("GBK parse differs:\n%+v\n%+v", fg, fu)
	}

	// The committed GBK example decodes to the same as its UTF-8 text.
	name, data := readTestdata(t, "cdss_gbk")
	f, err := Parse(name, data)
	if err != nil || f.Encoding != EncodingGBK || len(f.Errors) != 0 || f.CDSS[0].Location != "11201综采工作面回风隅角" {
		t.Fatalf("committed GBK file: %v %+v", err, f)
	}
	utf, err := simplifiedchinese.GBK.NewDecoder().Bytes(data)
	if err != nil {
		t.Fatal(err)
	}
	g := mustParse(t, name, string(utf))
	g.Encoding = EncodingGBK
	if !reflect.DeepEqual(f, g) {
		t.Fatal("committed GBK file parses differently from its UTF-8 decoding")
	}
}

func TestEncodeRefuses(t *testing.T) {
	fn, _ := ParseFileName(mine + "_CDSS_20250101120000.txt")
	base := func() *File {
		return &File{Name: fn, Type: TypeCDSS, Header: []string{mine, "矿", "2025-01-01 12:00:00"},
			CDSS: []Sample{{Point: mine + "01MN000100000001", Value: 0.3, Time: fn.Time}}}
	}
	if _, err := Encode(base()); err != nil {
		t.Fatalf("valid file refused: %v", err)
	}
	cases := map[string]func(f *File){
		"separator":    func(f *File) { f.CDSS[0].Location = "a;b" },
		"record end":   func(f *File) { f.CDSS[0].SensorName = "a~" },
		"whitespace":   func(f *File) { f.CDSS[0].Unit = " %" },
		"header":       func(f *File) { f.Header[0] = "x" },
		"no header":    func(f *File) { f.Header = nil },
		"other type":   func(f *File) { f.FZSS = []StationState{{}} },
		"type differs": func(f *File) { f.Type = TypeFZSS },
		"unknown type": func(f *File) { f.Type, f.Name.Type = "XXXX", "XXXX" },
		"NaN":          func(f *File) { f.CDSS[0].Value = nan() },
	}
	for name, change := range cases {
		f := base()
		change(f)
		if _, err := Encode(f); err == nil {
			t.Errorf("%s: Encode accepted it", name)
		}
	}
	if _, err := Encode(nil); err == nil {
		t.Error("Encode(nil) accepted")
	}
}

func nan() float64 { z := 0.0; return z / z }

// A simulator builds files from structs: Encode must produce what Parse
// reads, with the type taken from the name when Type is empty.
func TestEncodeBuiltFile(t *testing.T) {
	fn := FileName{Mine: mine, Type: TypeFZDY, Time: time.Date(2025, 1, 1, 4, 0, 0, 0, time.UTC)}
	x, y := 4390498.12, 39512310.45
	f := &File{Name: fn, Header: []string{mine, "矿", "2025-01-01 12:00:00"},
		FZDY: []StationDef{{Station: mine + "01001", Location: "分站", X: &x, Y: &y}}}
	out, err := Encode(f)
	if err != nil {
		t.Fatal(err)
	}
	want := mine + ";矿;2025-01-01 12:00:00~\n" + mine + "01001;分站;4390498.12;39512310.45~\n||\n"
	if string(out) != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
	g, err := Parse(fn.String(), out)
	if err != nil || len(g.FZDY) != 1 || *g.FZDY[0].X != x {
		t.Fatalf("%v %+v", err, g)
	}
}
