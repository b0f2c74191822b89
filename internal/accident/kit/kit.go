// Package kit is the plumbing the accident and indicator capabilities
// share: tables answered as JSON or, with ?format=xlsx, as an Excel
// workbook of the same rows; year and date parameters counted in
// Asia/Shanghai; and the read/publish endpoints of a versioned rule table.
// It knows no capability; both import it, so none of this is written twice.
package kit

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/export"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
)

// Column is one column of a table: its Excel header (Chinese first) and
// width, and how a row gives its value.
type Column[T any] struct {
	Header string
	Width  float64
	Value  func(T) any
}

// Col is a column.
func Col[T any](header string, width float64, value func(T) any) Column[T] {
	return Column[T]{Header: header, Width: width, Value: value}
}

// Sheet turns rows into an export sheet, for workbooks of several tables.
func Sheet[T any](name string, cols []Column[T], items []T) export.Sheet {
	s := export.Sheet{Name: name, Columns: make([]export.Column, len(cols)), Rows: make([][]any, len(items))}
	for i, c := range cols {
		s.Columns[i] = export.Col(c.Header, c.Width)
	}
	for r, it := range items {
		row := make([]any, len(cols))
		for i, c := range cols {
			row[i] = c.Value(it)
		}
		s.Rows[r] = row
	}
	return s
}

// WantsXLSX reads ?format: "" or "json" answer JSON, "xlsx" a workbook;
// anything else is a 422 naming format. A list that answers a workbook
// takes the whole selection, not a page.
func WantsXLSX(r *http.Request) (bool, error) {
	switch r.URL.Query().Get("format") {
	case "", "json":
		return false, nil
	case "xlsx":
		return true, nil
	}
	return false, fail.Invalidf("format", "must be json or xlsx")
}

// Serve answers a table: body as JSON (usually httpx.List of items) or,
// when the request asks for xlsx, a workbook named name (with the day
// appended) of the items' rows.
func Serve[T any](w http.ResponseWriter, r *http.Request, clk clock.Clock, name, sheet string, cols []Column[T], items []T, body any) {
	xlsx, err := WantsXLSX(r)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	if !xlsx {
		httpx.JSON(w, http.StatusOK, body)
		return
	}
	s := Sheet(sheet, cols, items)
	// The headers are sent once the body starts; a failure after that
	// cannot be answered any more.
	_ = export.ServeXLSX(w, name+"-"+strings.ReplaceAll(clock.Today(clk.Now()), "-", ""), s.Name, s.Columns, s.Rows)
}

// Answer writes v with status, or the refusal.
func Answer(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, status, v)
}

// Body adapts a call that takes a JSON body (and optionally the path's
// numeric id, when idName is not empty). A malformed body is answered only
// after the call has refused with 404 or 403 on the zero input, so those
// keep their precedence. Use it only for calls that never write with a
// zero input: inputs with a required field, and patches (an empty patch
// changes nothing).
func Body[In any](status int, idName string, call func(ctx context.Context, p *auth.Principal, id int64, in In) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var id int64
		if idName != "" {
			var err error
			if id, err = httpx.PathID(r, idName); err != nil {
				httpx.Error(w, r, err)
				return
			}
		}
		var in, zero In
		bad := httpx.Decode(w, r, &in)
		if bad != nil {
			in = zero
		}
		out, err := call(r.Context(), auth.FromContext(r.Context()), id, in)
		if e, ok := fail.As(err); bad != nil && (err == nil || ok && e.Kind > fail.Conflict) {
			err = bad
		}
		Answer(w, r, status, out, err)
	}
}

// Get adapts a call that reads the path's numeric id (idName empty: none).
func Get(idName string, call func(ctx context.Context, p *auth.Principal, id int64) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var id int64
		if idName != "" {
			var err error
			if id, err = httpx.PathID(r, idName); err != nil {
				httpx.Error(w, r, err)
				return
			}
		}
		out, err := call(r.Context(), auth.FromContext(r.Context()), id)
		Answer(w, r, http.StatusOK, out, err)
	}
}

// Query reads the parameters every filter shares, collecting problems.
type Query struct {
	r   *http.Request
	Bad fail.Fields
}

// NewQuery starts reading r's query parameters.
func NewQuery(r *http.Request) *Query { return &Query{r: r, Bad: fail.Fields{}} }

// String answers a parameter as given.
func (q *Query) String(name string) string { return strings.TrimSpace(q.r.URL.Query().Get(name)) }

// ID answers a positive id parameter (0 when absent).
func (q *Query) ID(name string) int64 {
	v := q.String(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		q.Bad.Add(name, "must be a positive id")
	}
	return n
}

// Bool answers a true/false parameter (nil when absent).
func (q *Query) Bool(name string) *bool {
	v := q.String(name)
	if v == "" {
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		q.Bad.Add(name, "must be true or false")
	}
	return &b
}

// Year answers a year parameter, def when absent.
func (q *Query) Year(name string, def int) int {
	v := q.String(name)
	if v == "" {
		return def
	}
	y, err := strconv.Atoi(v)
	if err != nil || !ValidYear(y) {
		q.Bad.Add(name, "must be a year from %d to %d", MinYear, MaxYear)
	}
	return y
}

// Date answers a YYYY-MM-DD parameter ("" when absent).
func (q *Query) Date(name string) string {
	v := q.String(name)
	if v != "" && !ValidDate(v) {
		q.Bad.Add(name, "must be a date YYYY-MM-DD")
	}
	return v
}

// OneOf answers a parameter that must be one of allowed ("" when absent);
// several may be given comma-separated when multi.
func (q *Query) OneOf(name string, allowed []string, multi bool) []string {
	v := q.String(name)
	if v == "" {
		return nil
	}
	parts := []string{v}
	if multi {
		parts = strings.Split(v, ",")
	}
	for _, p := range parts {
		if !contains(allowed, p) {
			q.Bad.Add(name, "must be one of %s%s", strings.Join(allowed, ", "), map[bool]string{true: " (comma-separated for several)"}[multi])
		}
	}
	return parts
}

// List reads the common list parameters with the sortable fields.
func (q *Query) List(sortable []string, defaultSort string) httpx.ListParams {
	lp, err := httpx.ParseList(q.r, sortable, defaultSort)
	if e, ok := fail.As(err); ok {
		for k, v := range e.Fields {
			q.Bad.Add(k, "%s", v)
		}
	}
	return lp
}

// Err answers the 422 naming every bad parameter, or nil.
func (q *Query) Err() error { return q.Bad.Err() }

func contains(set []string, v string) bool {
	for _, s := range set {
		if s == v {
			return true
		}
	}
	return false
}

// The years the platform accepts anywhere (records, parameters).
const (
	MinYear = 2000
	MaxYear = 2099
)

// ValidYear tells whether y is a year the platform accepts.
func ValidYear(y int) bool { return y >= MinYear && y <= MaxYear }

var dateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// ValidDate tells whether s is a real day written YYYY-MM-DD.
func ValidDate(s string) bool {
	if !dateRe.MatchString(s) {
		return false
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

var monthRe = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// ValidMonth tells whether s is a month written YYYY-MM.
func ValidMonth(s string) bool { return monthRe.MatchString(s) }

// ThisYear answers the current year in Asia/Shanghai.
func ThisYear(clk clock.Clock) int { return clk.Now().In(clock.Shanghai).Year() }

// YearEnd answers the last day of year y, YYYY-MM-DD.
func YearEnd(y int) string { return fmt.Sprintf("%04d-12-31", y) }

// AsOf answers the day a year's state is judged on: its last day, or today
// while the year runs; partial tells whether the year is still running.
func AsOf(clk clock.Clock, year int) (day string, partial bool) {
	today := clock.Today(clk.Now())
	if end := YearEnd(year); end < today {
		return end, false
	}
	return today, true
}

// ShanghaiDay answers the day (YYYY-MM-DD) of an instant in Asia/Shanghai,
// "" for nil.
func ShanghaiDay(t *time.Time) string {
	if t == nil {
		return ""
	}
	return clock.Today(*t)
}

// RegionCond answers the SQL condition selecting division code in col: a
// code ending in 00 (the city) selects every division under it.
func RegionCond(col, code string) (string, []any) {
	if strings.HasSuffix(code, "00") {
		return col + " LIKE ?", []any{strings.TrimSuffix(code, "00") + "%"}
	}
	return col + " = ?", []any{code}
}

// Where collects the AND-ed conditions of a WHERE clause with their args.
type Where struct {
	Parts []string
	Args  []any
}

// Add appends a condition and its args.
func (c *Where) Add(cond string, args ...any) {
	c.Parts = append(c.Parts, cond)
	c.Args = append(c.Args, args...)
}

// SQL answers " WHERE …" ("" without conditions).
func (c *Where) SQL() string {
	if len(c.Parts) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(c.Parts, " AND ")
}

// Page answers the LIMIT/OFFSET tail of a list and its args; a zero limit
// is every row (both databases accept a large LIMIT, while SQLite cannot
// take OFFSET without one).
func Page(lp httpx.ListParams) (string, []any) {
	limit := lp.Limit
	if limit <= 0 {
		limit = 1<<31 - 1
	}
	return " LIMIT ? OFFSET ?", []any{limit, lp.Offset}
}

// LikeEscape escapes the LIKE wildcards of a search text (with ESCAPE '\').
func LikeEscape(q string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
}
