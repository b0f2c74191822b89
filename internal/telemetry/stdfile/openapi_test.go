package stdfile_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"minesafe/internal/app"
	"minesafe/internal/auth/authapi"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/stdfile"
)

// TestOpenAPI merges the fragment with the base document and the other
// fragments (no path or schema defined twice), and checks that it documents
// every route the door registers and that every reference resolves.
func TestOpenAPI(t *testing.T) {
	raw, err := app.BuildOpenAPI(map[string][]byte{"auth": authapi.OpenAPI, "registry": registry.OpenAPI,
		"telemetry": telemetry.OpenAPI, "stdfile": stdfile.OpenAPI})
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	paths := doc["paths"].(map[string]any)
	r := httpx.NewRouter(nil)
	stdfile.New(nil, nil, nil, nil, nil).Routes(r)
	for _, rt := range r.Routes() {
		ops, ok := paths[rt.Path].(map[string]any)
		if _, has := ops[strings.ToLower(rt.Method)]; !ok || !has {
			t.Errorf("%s %s is not in openapi.yaml", rt.Method, rt.Path)
		}
	}
	for _, ref := range regexp.MustCompile(`"#/components/(\w+)/(\w+)"`).FindAllStringSubmatch(string(raw), -1) {
		kind, _ := doc["components"].(map[string]any)[ref[1]].(map[string]any)
		if _, ok := kind[ref[2]]; !ok {
			t.Errorf("%s/%s is referred to but not defined", ref[1], ref[2])
		}
	}
}
