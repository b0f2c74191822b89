package mtt

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// encodeTimeLayout keeps sub-second precision when there is any, so that
// Parse(Encode(f)) gives back the same instants; whole seconds print as the
// plain yyyy-MM-dd HH:mm:ss of the format.
const encodeTimeLayout = "2006-01-02 15:04:05.999999999"

// Encode writes f as a UTF-8 exchange file (no BOM): the header, each
// record of f.Type on its own line ending in "~", then "||". The file name
// to store it under is f.Name.String().
//
// Encode refuses what Parse could not read back identically: a field holding
// ";" or "~", or leading or trailing whitespace; a header that does not start
// with the mine code; records of another type than f.Type. It does not
// re-validate values (a simulator may want to write a bad file on purpose
// by other means), so encode only what you would accept.
func Encode(f *File) ([]byte, error) {
	if f == nil {
		return nil, errors.New("mtt: Encode of a nil file")
	}
	typ := f.Type
	if typ == "" {
		typ = f.Name.Type
	}
	if !knownType(typ) {
		return nil, fmt.Errorf("mtt: %w: %q", ErrType, typ)
	}
	if f.Name.Type != "" && f.Name.Type != typ {
		return nil, fmt.Errorf("mtt: file type %s differs from the name's type %s", typ, f.Name.Type)
	}
	if len(f.Header) == 0 || f.Header[0] != f.Name.Mine {
		return nil, fmt.Errorf("mtt: %w: the header must start with the mine code %q", ErrHeader, f.Name.Mine)
	}
	counts := map[string]int{TypeCDDY: len(f.CDDY), TypeCDSS: len(f.CDSS), TypeTJSJ: len(f.TJSJ),
		TypeYCBJ: len(f.YCBJ), TypeFZDY: len(f.FZDY), TypeFZSS: len(f.FZSS)}
	for t, n := range counts {
		if t != typ && n > 0 {
			return nil, fmt.Errorf("mtt: a %s file holds %d %s records", typ, n, t)
		}
	}

	var b bytes.Buffer
	w := &writer{buf: &b}
	w.record(f.Header...)
	switch typ {
	case TypeCDDY:
		for _, d := range f.CDDY {
			w.record(d.Point, d.System, d.Station, d.SensorType, string(d.ValueType), d.Unit,
				w.num(d.RangeHigh), w.num(d.RangeLow), w.num(d.AlarmHigh), w.num(d.AlarmHighReset),
				w.num(d.AlarmLow), w.num(d.AlarmLowReset), w.num(d.PowerCutHigh), w.num(d.PowerRestoreHigh),
				w.num(d.PowerCutLow), w.num(d.PowerRestoreLow), d.OnText, d.OffText, d.Location,
				w.num(d.X), w.num(d.Y), w.num(d.Z), d.Relation, tm(d.Time))
		}
	case TypeCDSS:
		for _, s := range f.CDSS {
			w.record(s.Point, s.SensorName, s.Location, w.num(&s.Value), s.Unit, strconv.Itoa(int(s.Status)), tm(s.Time))
		}
	case TypeTJSJ:
		for _, s := range f.TJSJ {
			w.record(s.Point, s.SensorName, s.Location, s.Unit, tm(s.Start), tm(s.End),
				w.num(&s.Max), tm(s.MaxTime), w.num(&s.Min), tm(s.MinTime), w.num(&s.Avg), tm(s.Time))
		}
	case TypeYCBJ:
		for _, a := range f.YCBJ {
			w.record(a.Point, a.SensorName, a.Location, a.Unit, a.Type, tm(a.Start), optTm(a.End),
				w.num(a.Max), optTm(a.MaxTime), w.num(a.Min), optTm(a.MinTime), w.num(a.Avg),
				a.Cause, a.Measures, optTm(a.EnteredAt), a.EnteredBy, tm(a.Time))
		}
	case TypeFZDY:
		for _, s := range f.FZDY {
			fields := []string{s.Station, s.Location, w.num(s.X), w.num(s.Y)}
			if s.Z != nil {
				fields = append(fields, w.num(s.Z))
			}
			w.record(fields...)
		}
	case TypeFZSS:
		for _, s := range f.FZSS {
			w.record(s.Station, strconv.Itoa(s.RunState), strconv.Itoa(s.PowerState), tm(s.Time))
		}
	}
	if w.err != nil {
		return nil, w.err
	}
	b.WriteString(terminator + "\n")
	return b.Bytes(), nil
}

type writer struct {
	buf *bytes.Buffer
	n   int // records written, the header being 0
	err error
}

func (w *writer) record(fields ...string) {
	for i, v := range fields {
		if w.err != nil {
			return
		}
		switch {
		case strings.ContainsAny(v, fieldSep+recordEnd):
			w.err = fmt.Errorf("mtt: record %d field %d %q holds ; or ~, which the format cannot carry", w.n, i+1, v)
		case strings.TrimSpace(v) != v:
			w.err = fmt.Errorf("mtt: record %d field %d %q has leading or trailing whitespace, which Parse would drop", w.n, i+1, v)
		}
		if i > 0 {
			w.buf.WriteString(fieldSep)
		}
		w.buf.WriteString(v)
	}
	w.buf.WriteString(recordEnd + "\n")
	w.n++
}

// num writes the shortest decimal that parses back to the same float
// (never an exponent, which some receiving systems would not read).
func (w *writer) num(p *float64) string {
	if p == nil {
		return ""
	}
	if math.IsNaN(*p) || math.IsInf(*p, 0) {
		if w.err == nil {
			w.err = fmt.Errorf("mtt: record %d holds %v, which the format cannot carry", w.n, *p)
		}
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

func tm(t time.Time) string { return t.In(CST).Format(encodeTimeLayout) }

func optTm(t *time.Time) string {
	if t == nil {
		return ""
	}
	return tm(*t)
}
