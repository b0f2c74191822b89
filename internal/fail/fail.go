// Package fail is the one error type services return to say why a request
// is refused; the HTTP layer maps its kind to a status.
package fail

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Kind of refusal, in the order of precedence the API documents.
type Kind int

const (
	Unauthenticated Kind = iota + 1 // 401
	NotFound                        // 404: missing or outside the caller's scope
	Forbidden                       // 403: the role may not do this
	Conflict                        // 409: the record's state does not allow it
	Invalid                         // 422: fields invalid, each named
	BadRequest                      // 400: malformed body or query
	TooLarge                        // 413
)

// Error is a refusal with a reason the caller can read.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// As answers the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is tells whether err is a refusal of kind k.
func Is(err error, k Kind) bool {
	e, ok := As(err)
	return ok && e.Kind == k
}

// NotFoundf: the record does not exist or is outside the caller's scope.
func NotFoundf(format string, a ...any) *Error {
	return &Error{Kind: NotFound, Code: "not_found", Message: fmt.Sprintf(format, a...)}
}

// Forbiddenf: the caller's role may not do this.
func Forbiddenf(format string, a ...any) *Error {
	return &Error{Kind: Forbidden, Code: "forbidden", Message: fmt.Sprintf(format, a...)}
}

// Conflictf: the record's state does not allow it.
func Conflictf(code, format string, a ...any) *Error {
	return &Error{Kind: Conflict, Code: code, Message: fmt.Sprintf(format, a...)}
}

// BadRequestf: a malformed request.
func BadRequestf(format string, a ...any) *Error {
	return &Error{Kind: BadRequest, Code: "bad_request", Message: fmt.Sprintf(format, a...)}
}

// Unauthenticatedf: no or bad credentials.
func Unauthenticatedf(format string, a ...any) *Error {
	return &Error{Kind: Unauthenticated, Code: "unauthenticated", Message: fmt.Sprintf(format, a...)}
}

// Fields collects field errors; Err answers nil when there are none.
type Fields map[string]string

// Add records the first problem of a field.
func (f Fields) Add(field, format string, a ...any) {
	if _, ok := f[field]; !ok {
		f[field] = fmt.Sprintf(format, a...)
	}
}

// Has tells whether a field already has a problem.
func (f Fields) Has(field string) bool { _, ok := f[field]; return ok }

// Err answers a 422 refusal naming every field, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Code: "invalid", Message: "some fields are invalid", Fields: f}
}

// Invalidf is a one-field 422.
func Invalidf(field, format string, a ...any) *Error {
	return &Error{Kind: Invalid, Code: "invalid", Message: "some fields are invalid", Fields: map[string]string{field: fmt.Sprintf(format, a...)}}
}
