package rules

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/warnings.md")

const docPath = "../../docs/warnings.md"

// TestWarningsDocIsCurrent keeps docs/warnings.md equal to the defaults.
func TestWarningsDocIsCurrent(t *testing.T) {
	raw, err := os.ReadFile(docPath)
	if err != nil && !*update {
		t.Fatal(err)
	}
	doc := string(raw)
	const marker = "<!-- generated from rules.Default(): go test ./internal/rules -update -->\n"
	head, _, _ := strings.Cut(doc, marker)
	want := head + marker + "\n" + Markdown(Default())
	if *update {
		if err := os.WriteFile(docPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if doc != want {
		t.Fatal("docs/warnings.md differs from the defaults: run go test ./internal/rules -update")
	}
}
