package mtt

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse never panics and that every file it accepts
// without record errors survives Encode and Parse unchanged. The seed corpus
// is the golden files; crashers found are kept in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, path := range goldenFiles(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(filepath.Base(path), data)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		file, err := Parse(name, data)
		if err != nil {
			if file != nil {
				t.Fatalf("Parse returned both a file and an error: %v", err)
			}
			return
		}
		if file.Type != file.Name.Type {
			t.Fatalf("Type %q != Name.Type %q", file.Type, file.Name.Type)
		}
		if len(file.Errors) > 0 {
			for _, e := range file.Errors {
				if e.Reason == "" || e.Index < 1 {
					t.Fatalf("record error without reason or index: %+v", e)
				}
			}
			return
		}
		assertRoundTrip(t, file)
	})
}
