package registry_test

import (
	"regexp"
	"strings"
	"testing"

	"minesafe/internal/httpx"
	"minesafe/internal/registry"
)

// TestOpenAPI checks that the fragment documents every registered route and
// defines every component it refers to (except the base document's Error).
func TestOpenAPI(t *testing.T) {
	r := httpx.NewRouter(nil)
	registry.NewService(nil, nil).Routes(r)
	doc := string(registry.OpenAPI)
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
		if ref[2] == "Error" && ref[1] == "schemas" {
			continue
		}
		if !regexp.MustCompile(`(?m)^    ` + ref[2] + `:`).MatchString(doc) {
			t.Errorf("%s/%s is referred to but not defined", ref[1], ref[2])
		}
	}
}
