// Package kittest checks a capability's OpenAPI fragment against its
// routes, for the accident and indicator tests.
package kittest

import (
	"regexp"
	"strings"
	"testing"

	"minesafe/internal/httpx"
)

// base are the components the base document (and the audit API's Event)
// define, which fragments refer to without defining.
var base = map[string]bool{"Error": true, "Event": true, "id": true, "limit": true, "offset": true, "sort": true, "q": true, "include_archived": true}

// CheckFragment fails t when a route of r is not documented in doc, or doc
// refers to a component it does not define.
func CheckFragment(t testing.TB, r *httpx.Router, doc string) {
	t.Helper()
	documented := map[string]bool{}
	path := ""
	for _, line := range strings.Split(doc, "\n") {
		switch {
		case strings.HasPrefix(line, "  /"):
			path = strings.TrimSuffix(strings.TrimSpace(line), ":")
		case strings.HasPrefix(line, "    ") && !strings.HasPrefix(line, "     ") && path != "":
			documented[strings.ToUpper(strings.TrimSuffix(strings.TrimSpace(line), ":"))+" "+path] = true
		case !strings.HasPrefix(line, " ") && line != "":
			path = ""
		}
	}
	for _, rt := range r.Routes() {
		if !documented[rt.Method+" "+rt.Path] {
			t.Errorf("%s %s is not in openapi.yaml", rt.Method, rt.Path)
		}
	}
	for _, ref := range regexp.MustCompile(`#/components/(\w+)/(\w+)`).FindAllStringSubmatch(doc, -1) {
		if base[ref[2]] {
			continue
		}
		if !regexp.MustCompile(`(?m)^    ` + ref[2] + `:`).MatchString(doc) {
			t.Errorf("%s/%s is referred to but not defined", ref[1], ref[2])
		}
	}
}
