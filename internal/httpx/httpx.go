// Package httpx holds the HTTP plumbing every capability shares: a router
// that records its routes, JSON in and out, the error envelope and list
// parameters.
package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
)

// MaxBody is the default limit of a JSON request body.
const MaxBody = 1 << 20

// Route is one registered pattern, for the OpenAPI test and metrics.
type Route struct {
	Method string
	Path   string
	Public bool
}

// Router wraps http.ServeMux: it requires a principal unless a route is
// public, labels metrics by pattern and keeps the list of routes.
type Router struct {
	Mux     *http.ServeMux
	routes  []Route
	observe func(pattern string, h http.Handler) http.Handler
}

// NewRouter answers a router; observe, if set, wraps every handler (metrics).
func NewRouter(observe func(pattern string, h http.Handler) http.Handler) *Router {
	return &Router{Mux: http.NewServeMux(), observe: observe}
}

// Routes answers every registered route.
func (r *Router) Routes() []Route { return r.routes }

// Handle registers a route that needs an authenticated principal.
func (r *Router) Handle(pattern string, h http.HandlerFunc) {
	r.register(pattern, requireAuth(h), false)
}

// Public registers a route anyone may call.
func (r *Router) Public(pattern string, h http.Handler) {
	r.register(pattern, h, true)
}

func (r *Router) register(pattern string, h http.Handler, public bool) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	}
	r.routes = append(r.routes, Route{Method: method, Path: path, Public: public})
	if r.observe != nil {
		h = r.observe(pattern, h)
	}
	r.Mux.Handle(pattern, h)
}

func requireAuth(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if auth.FromContext(req.Context()) == nil {
			Error(w, req, fail.Unauthenticatedf("log in or send a bearer token"))
			return
		}
		h(w, req)
	})
}

// JSON writes v with the status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// ErrorBody is the error envelope.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the inside of the envelope.
type ErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// Status maps a refusal kind to its HTTP status.
func Status(k fail.Kind) int {
	switch k {
	case fail.Unauthenticated:
		return http.StatusUnauthorized
	case fail.NotFound:
		return http.StatusNotFound
	case fail.Forbidden:
		return http.StatusForbidden
	case fail.Conflict:
		return http.StatusConflict
	case fail.Invalid:
		return http.StatusUnprocessableEntity
	case fail.BadRequest:
		return http.StatusBadRequest
	case fail.TooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// Error writes err in the envelope. Errors that are not refusals are logged
// and answered as 500 without their text.
func Error(w http.ResponseWriter, r *http.Request, err error) {
	if e, ok := fail.As(err); ok {
		JSON(w, Status(e.Kind), ErrorBody{ErrorDetail{Code: e.Code, Message: e.Message, Fields: e.Fields}})
		return
	}
	slog.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	JSON(w, http.StatusInternalServerError, ErrorBody{ErrorDetail{Code: "internal", Message: "internal error; it has been logged"}})
}

// Decode reads a JSON body into v: at most MaxBody bytes (413 past that),
// unknown fields refused (400), one value only.
func Decode(w http.ResponseWriter, r *http.Request, v any) error {
	return DecodeLimit(w, r, v, MaxBody)
}

// DecodeLimit is Decode with another size limit.
func DecodeLimit(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	body := http.MaxBytesReader(w, r.Body, limit)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		if err != nil {
			if e := decodeError(err); fail.Is(e, fail.TooLarge) {
				return e
			}
		}
		return fail.BadRequestf("body must hold one JSON value")
	}
	return nil
}

func decodeError(err error) error {
	var maxErr *http.MaxBytesError
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &maxErr):
		return &fail.Error{Kind: fail.TooLarge, Code: "too_large", Message: fmt.Sprintf("body larger than %d bytes", maxErr.Limit)}
	case errors.Is(err, io.EOF):
		return fail.BadRequestf("empty body: a JSON object is expected")
	case errors.As(err, &syn):
		return fail.BadRequestf("malformed JSON at byte %d: %v", syn.Offset, err)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return &fail.Error{Kind: fail.BadRequest, Code: "bad_request", Message: fmt.Sprintf("field %s must be %s", typ.Field, typ.Type), Fields: map[string]string{typ.Field: "must be " + typ.Type.String()}}
		}
		return fail.BadRequestf("body must be %s", typ.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return fail.BadRequestf("%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return fail.BadRequestf("malformed JSON: %v", err)
}

// PathID parses a path value as a positive integer id; a bad id reads as
// not found.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fail.NotFoundf("no such %s", name)
	}
	return id, nil
}

// List is the answer of every list endpoint.
type List[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// ListParams are the common list query parameters.
type ListParams struct {
	Limit           int
	Offset          int
	SortField       string
	SortDesc        bool
	Q               string
	IncludeArchived bool
}

// ParseList reads limit (default 50, at most 1000), offset, sort (one of
// sortable, "-" for descending; defaultSort when absent), q and
// include_archived. Bad values are a 422 naming the parameter.
func ParseList(r *http.Request, sortable []string, defaultSort string) (ListParams, error) {
	q := r.URL.Query()
	p := ListParams{Limit: 50}
	f := fail.Fields{}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			f.Add("limit", "must be a whole number from 1 to 1000")
		}
		p.Limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			f.Add("offset", "must be a whole number, 0 or more")
		}
		p.Offset = n
	}
	s := q.Get("sort")
	if s == "" {
		s = defaultSort
	}
	if s != "" {
		field := strings.TrimPrefix(s, "-")
		ok := false
		for _, c := range sortable {
			if c == field {
				ok = true
			}
		}
		if !ok {
			f.Add("sort", "must be one of %s, optionally with a leading -", strings.Join(sortable, ", "))
		}
		p.SortField, p.SortDesc = field, strings.HasPrefix(s, "-")
	}
	p.Q = strings.TrimSpace(q.Get("q"))
	if v := q.Get("include_archived"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			f.Add("include_archived", "must be true or false")
		}
		p.IncludeArchived = b
	}
	return p, f.Err()
}

// OrderBy answers "ORDER BY col [DESC], id" for the sort field, mapping the
// API field to a column (the map also guards against injection).
func (p ListParams) OrderBy(columns map[string]string, tiebreak string) string {
	col, ok := columns[p.SortField]
	if !ok {
		return "ORDER BY " + tiebreak
	}
	dir := ""
	if p.SortDesc {
		dir = " DESC"
	}
	return "ORDER BY " + col + dir + ", " + tiebreak
}
