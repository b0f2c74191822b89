package app

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"

	"gopkg.in/yaml.v3"
)

//go:embed openapi_base.yaml
var openapiBase []byte

// BuildOpenAPI merges the base document with each capability's fragment
// (paths and components), refusing a path or component defined twice.
func BuildOpenAPI(fragments map[string][]byte) ([]byte, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(openapiBase, &doc); err != nil {
		return nil, fmt.Errorf("openapi base: %w", err)
	}
	for name, frag := range fragments {
		var f map[string]any
		if err := yaml.Unmarshal(frag, &f); err != nil {
			return nil, fmt.Errorf("openapi fragment %s: %w", name, err)
		}
		if err := mergeSection(doc, f, "paths", name); err != nil {
			return nil, err
		}
		if comps, ok := f["components"].(map[string]any); ok {
			base := doc["components"].(map[string]any)
			for kind, v := range comps {
				if _, ok := base[kind]; !ok {
					base[kind] = map[string]any{}
				}
				if err := mergeSection(base, map[string]any{kind: v}, kind, name); err != nil {
					return nil, err
				}
			}
		}
		if tags, ok := f["tags"].([]any); ok {
			existing, _ := doc["tags"].([]any)
			doc["tags"] = append(existing, tags...)
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

func mergeSection(doc, frag map[string]any, key, name string) error {
	src, ok := frag[key].(map[string]any)
	if !ok {
		return nil
	}
	dst, ok := doc[key].(map[string]any)
	if !ok {
		dst = map[string]any{}
		doc[key] = dst
	}
	for k, v := range src {
		if _, dup := dst[k]; dup {
			return fmt.Errorf("openapi fragment %s: %s %q is defined twice", name, key, k)
		}
		dst[k] = v
	}
	return nil
}

func serveJSONBytes(b []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	})
}
