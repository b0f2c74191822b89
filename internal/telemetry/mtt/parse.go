package mtt

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Syntax of the files.
const (
	fieldSep   = ";"
	recordEnd  = "~"
	terminator = "||"
	timeLayout = "2006-01-02 15:04:05"
	// rawLimit bounds RecordError.Raw so that one runaway record (a file
	// without "~") cannot blow up the error report.
	rawLimit = 1000
)

// fieldNames names every field of a body record, in file order, for the
// reasons in RecordError. Their count is the number of fields a record has
// (FZDY may omit the last one).
var fieldNames = map[string][]string{
	TypeCDDY: {"point code", "system code", "station code", "sensor type", "value type", "unit",
		"high range", "low range", "upper alarm", "upper alarm reset", "lower alarm", "lower alarm reset",
		"upper power-cut", "upper power-restore", "lower power-cut", "lower power-restore",
		"open description", "stop description", "location", "X", "Y", "Z", "relation", "data time"},
	TypeCDSS: {"point code", "sensor type name", "location", "value", "unit", "status", "data time"},
	TypeTJSJ: {"point code", "sensor type name", "location", "unit", "start time", "end time",
		"maximum", "time of maximum", "minimum", "time of minimum", "average", "data time"},
	TypeYCBJ: {"point code", "sensor type name", "location", "unit", "abnormal type", "start time", "end time",
		"maximum", "time of maximum", "minimum", "time of minimum", "average",
		"cause", "measures", "entry time", "entered by", "data time"},
	TypeFZDY: {"station code", "location", "X", "Y", "Z"},
	TypeFZSS: {"station code", "run state", "power state", "data time"},
}

// minFields is the fewest fields a record of the type may have.
func minFields(typ string) int {
	if typ == TypeFZDY {
		return 4
	}
	return len(fieldNames[typ])
}

// Parse reads one exchange file. name is its file name (a path is fine);
// data its bytes, in UTF-8 (with or without BOM) or GBK.
//
// The error is non-nil only for problems that make the whole file unusable:
// a bad name or type (ErrName, ErrType), a missing "||" terminator
// (ErrTruncated) or a missing header or one naming another mine (ErrHeader).
// Problems of single records are listed in File.Errors and the other
// records are returned. Whitespace and line breaks around records and
// fields are ignored, as is whitespace after "||"; blank records are
// skipped; one trailing ";" on a record is tolerated.
func Parse(name string, data []byte) (*File, error) {
	fn, err := ParseFileName(name)
	if err != nil {
		return nil, err
	}
	text, enc := decode(data)
	text = strings.TrimRightFunc(text, unicode.IsSpace)
	if !strings.HasSuffix(text, terminator) {
		return nil, fmt.Errorf("%w: %s does not end with %q; the upload is probably incomplete, send the whole file again", ErrTruncated, fn, terminator)
	}
	parts := strings.Split(text[:len(text)-len(terminator)], recordEnd)

	header := splitFields(parts[0])
	if len(header) == 0 || header[0] == "" {
		return nil, fmt.Errorf("%w: %s has no header record (煤矿编码;…~) before the data", ErrHeader, fn)
	}
	if header[0] != fn.Mine {
		return nil, fmt.Errorf("%w: the header names mine %s but the file name names %s", ErrHeader, quote(header[0]), fn.Mine)
	}

	f := &File{Name: fn, Header: header, Type: fn.Type, Encoding: enc}
	index := 0
	for _, raw := range parts[1:] {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		index++
		if reason := f.addRecord(raw); reason != "" {
			f.Errors = append(f.Errors, RecordError{Index: index, Raw: shorten(raw, rawLimit), Reason: reason})
		}
	}
	return f, nil
}

// decode strips a UTF-8 BOM and answers the text and its encoding. Valid
// UTF-8 is taken as UTF-8; anything else is decoded as GB18030 (a superset
// of GBK), which older monitoring systems still send. The two cannot be told
// apart with certainty, but Chinese GBK text is almost never valid UTF-8.
func decode(data []byte) (string, string) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if utf8.Valid(data) {
		return string(data), EncodingUTF8
	}
	// The GB18030 decoder replaces undecodable bytes with U+FFFD instead of
	// failing, so a stray byte spoils one field, not the file.
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD"), EncodingGBK
	}
	return string(out), EncodingGBK
}

func splitFields(record string) []string {
	fields := strings.Split(record, fieldSep)
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	return fields
}

// addRecord parses raw as a record of f.Type and appends it, or answers why
// not.
func (f *File) addRecord(raw string) string {
	names := fieldNames[f.Type]
	fields := splitFields(raw)
	// Some generators end every record with ";~": one empty extra field.
	if len(fields) == len(names)+1 && fields[len(fields)-1] == "" {
		fields = fields[:len(fields)-1]
	}
	if n, lo, hi := len(fields), minFields(f.Type), len(names); n < lo || n > hi {
		want := strconv.Itoa(hi)
		if lo != hi {
			want = fmt.Sprintf("%d or %d", lo, hi)
		}
		plural := "s"
		if n == 1 {
			plural = ""
		}
		reason := fmt.Sprintf("has %d field%s separated by \";\", want %s for %s", n, plural, want, f.Type)
		if strings.ContainsAny(raw, "；～") {
			reason += " (full-width ； or ～ found: the separators must be the ASCII characters ; and ~)"
		}
		return reason
	}
	r := &reader{mine: f.Name.Mine, fields: fields, names: names}
	switch f.Type {
	case TypeCDDY:
		d := PointDef{}
		pc, pok := r.point(0)
		d.Point = r.fields[0]
		d.System = r.required(1)
		d.Station = r.station(2)
		d.SensorType = r.required(3)
		if d.SensorType != "" && (len(d.SensorType) != 4 || !isDigits(d.SensorType)) {
			r.bad(3, "%s is not a 4-digit sensor type code", quote(d.SensorType))
		}
		d.ValueType = ValueType(r.required(4))
		switch {
		case d.ValueType == "":
		case d.ValueType != Analog && d.ValueType != Switch:
			r.bad(4, "%s is not MN (analogue) or KG (switch)", quote(string(d.ValueType)))
		case pok && d.ValueType != pc.ValueType:
			r.bad(4, "%s does not match the point code, which says %s", d.ValueType, pc.ValueType)
		}
		d.Unit = r.text(5)
		if d.ValueType == Analog && d.Unit == "" {
			r.bad(5, "missing: an MN (analogue) point needs a unit")
		}
		d.RangeHigh, d.RangeLow = r.optNumber(6), r.optNumber(7)
		d.AlarmHigh, d.AlarmHighReset = r.optNumber(8), r.optNumber(9)
		d.AlarmLow, d.AlarmLowReset = r.optNumber(10), r.optNumber(11)
		d.PowerCutHigh, d.PowerRestoreHigh = r.optNumber(12), r.optNumber(13)
		d.PowerCutLow, d.PowerRestoreLow = r.optNumber(14), r.optNumber(15)
		d.OnText, d.OffText = r.text(16), r.text(17)
		d.Location = r.required(18)
		d.X, d.Y, d.Z = r.optNumber(19), r.optNumber(20), r.optNumber(21)
		d.Relation = r.text(22)
		d.Time = r.time(23)
		if r.ok() {
			f.CDDY = append(f.CDDY, d)
		}
	case TypeCDSS:
		s := Sample{}
		r.point(0)
		s.Point = r.fields[0]
		s.SensorName, s.Location = r.text(1), r.text(2)
		s.Value = r.number(3)
		s.Unit = r.text(4)
		s.Status = Status(r.natural(5))
		s.Time = r.time(6)
		if r.ok() {
			f.CDSS = append(f.CDSS, s)
		}
	case TypeTJSJ:
		s := Stat{}
		r.point(0)
		s.Point = r.fields[0]
		s.SensorName, s.Location, s.Unit = r.text(1), r.text(2), r.text(3)
		s.Start, s.End = r.time(4), r.time(5)
		s.Max, s.MaxTime = r.number(6), r.time(7)
		s.Min, s.MinTime = r.number(8), r.time(9)
		s.Avg = r.number(10)
		s.Time = r.time(11)
		if r.ok() && s.End.Before(s.Start) {
			r.bad(5, "the period ends before it starts")
		}
		if r.ok() {
			f.TJSJ = append(f.TJSJ, s)
		}
	case TypeYCBJ:
		a := Alarm{}
		r.point(0)
		a.Point = r.fields[0]
		a.SensorName, a.Location, a.Unit = r.text(1), r.text(2), r.text(3)
		a.Type = r.required(4)
		if a.Type != "" && (len(a.Type) != 3 || !isDigits(a.Type)) {
			r.bad(4, "%s is not a 3-digit abnormal type code such as 001", quote(a.Type))
		}
		a.Start, a.End = r.time(5), r.optTime(6)
		a.Max, a.MaxTime = r.optNumber(7), r.optTime(8)
		a.Min, a.MinTime = r.optNumber(9), r.optTime(10)
		a.Avg = r.optNumber(11)
		a.Cause, a.Measures = r.text(12), r.text(13)
		a.EnteredAt, a.EnteredBy = r.optTime(14), r.text(15)
		a.Time = r.time(16)
		if r.ok() && a.End != nil && a.End.Before(a.Start) {
			r.bad(6, "the abnormality ends before it starts")
		}
		if r.ok() {
			f.YCBJ = append(f.YCBJ, a)
		}
	case TypeFZDY:
		s := StationDef{}
		s.Station = r.station(0)
		s.Location = r.required(1)
		s.X, s.Y = r.optNumber(2), r.optNumber(3)
		if len(fields) > 4 {
			s.Z = r.optNumber(4)
		}
		if r.ok() {
			f.FZDY = append(f.FZDY, s)
		}
	case TypeFZSS:
		s := StationState{}
		s.Station = r.station(0)
		s.RunState, s.PowerState = r.natural(1), r.natural(2)
		s.Time = r.time(3)
		if r.ok() {
			f.FZSS = append(f.FZSS, s)
		}
	}
	return strings.Join(r.problems, "; ")
}

// reader reads the fields of one record and collects every problem, so the
// engineer sees all of them at once rather than one per upload.
type reader struct {
	mine     string
	fields   []string
	names    []string
	problems []string
}

func (r *reader) ok() bool { return len(r.problems) == 0 }

// bad records a problem with field i (0-based; reported 1-based, as a
// person counts).
func (r *reader) bad(i int, format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf("field %d (%s): ", i+1, r.names[i])+fmt.Sprintf(format, args...))
}

func (r *reader) text(i int) string { return r.fields[i] }

func (r *reader) required(i int) string {
	v := r.fields[i]
	if v == "" {
		r.bad(i, "missing")
	}
	return v
}

func (r *reader) number(i int) float64 {
	v := r.required(i)
	if v == "" {
		return 0
	}
	n, err := parseNumber(v)
	if err != nil {
		r.bad(i, "%s %v", quote(v), err)
	}
	return n
}

func (r *reader) optNumber(i int) *float64 {
	v := r.fields[i]
	if v == "" {
		return nil
	}
	n, err := parseNumber(v)
	if err != nil {
		r.bad(i, "%s %v", quote(v), err)
		return nil
	}
	return &n
}

// natural reads a whole number ≥ 0 (status bitmask, station states).
func (r *reader) natural(i int) int {
	v := r.required(i)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseUint(v, 10, 31)
	if err != nil {
		r.bad(i, "%s is not a whole number ≥ 0", quote(v))
		return 0
	}
	return int(n)
}

func (r *reader) time(i int) time.Time {
	v := r.required(i)
	if v == "" {
		return time.Time{}
	}
	t, err := parseTime(v)
	if err != nil {
		r.bad(i, "%s is not a time in the form yyyy-MM-dd HH:mm:ss", quote(v))
	}
	return t
}

func (r *reader) optTime(i int) *time.Time {
	v := r.fields[i]
	if v == "" {
		return nil
	}
	t, err := parseTime(v)
	if err != nil {
		r.bad(i, "%s is not a time in the form yyyy-MM-dd HH:mm:ss", quote(v))
		return nil
	}
	return &t
}

func (r *reader) point(i int) (PointCode, bool) {
	v := r.required(i)
	if v == "" {
		return PointCode{}, false
	}
	pc, err := ParsePointCode(r.mine, v)
	if err != nil {
		r.bad(i, "%v", err)
		return PointCode{}, false
	}
	return pc, true
}

func (r *reader) station(i int) string {
	v := r.required(i)
	if v == "" {
		return ""
	}
	if _, err := ParseStationCode(r.mine, v); err != nil {
		r.bad(i, "%v", err)
	}
	return v
}

// parseTime reads a zone-less time as China Standard Time and answers UTC.
// A fractional second is accepted (time.Parse allows it after the seconds).
func parseTime(s string) (time.Time, error) {
	t, err := time.ParseInLocation(timeLayout, s, CST)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// parseNumber accepts plain decimal numbers only: strconv.ParseFloat would
// also take "NaN", "Inf", hex floats and underscores, none of which a
// monitoring system means as a reading.
func parseNumber(s string) (float64, error) {
	if !isDecimal(s) {
		return 0, errNotNumber
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(n, 0) {
		return 0, errOutOfRange
	}
	return n, nil
}

type parseError string

func (e parseError) Error() string { return string(e) }

const (
	errNotNumber  = parseError("is not a number")
	errOutOfRange = parseError("is out of range")
)

// isDecimal matches [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// shorten cuts s to at most n bytes on a rune boundary, marking the cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
