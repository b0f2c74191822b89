package mtt

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the *.golden.json files from the parser's output")

// goldenFiles answers the example files: testdata/<case>/<file name>.txt.
// Each sits in a folder named for what it shows, because the file name
// itself must be a valid exchange-file name.
func goldenFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	return files
}

// TestGolden parses every example file and compares the result (or the
// whole-file error) with <file>.golden.json. Run with -update to rewrite
// them, then read the diff.
func TestGolden(t *testing.T) {
	for _, path := range goldenFiles(t) {
		t.Run(filepath.Base(filepath.Dir(path)), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var got any
			f, err := Parse(filepath.Base(path), data)
			if err != nil {
				got = map[string]string{"error": err.Error()}
			} else {
				got = f
			}
			out, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, '\n')
			golden := strings.TrimSuffix(path, ".txt") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, out, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(out, want) {
				t.Errorf("%s differs from the parser's output (go test -update rewrites it):\n%s", golden, out)
			}
		})
	}
}

// TestGoldenRoundTrip checks Parse(Encode(f)) == f for every example file
// that parses without errors.
func TestGoldenRoundTrip(t *testing.T) {
	n := 0
	for _, path := range goldenFiles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(filepath.Base(path), data)
		if err != nil || len(f.Errors) > 0 {
			continue
		}
		n++
		assertRoundTrip(t, f)
	}
	if n < 8 {
		t.Fatalf("only %d clean example files round-tripped", n)
	}
}

func assertRoundTrip(t *testing.T, f *File) {
	t.Helper()
	out, err := Encode(f)
	if err != nil {
		t.Fatalf("%s: Encode of a file Parse accepted: %v", f.Name, err)
	}
	again, err := Parse(f.Name.String(), out)
	if err != nil {
		t.Fatalf("%s: Parse(Encode(f)): %v\n%s", f.Name, err, out)
	}
	if len(again.Errors) > 0 {
		t.Fatalf("%s: Parse(Encode(f)) has record errors %+v\n%s", f.Name, again.Errors, out)
	}
	want := *f
	want.Encoding = EncodingUTF8 // Encode always writes UTF-8
	if !reflect.DeepEqual(*again, want) {
		a, _ := json.MarshalIndent(again, "", " ")
		b, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("%s: Parse(Encode(f)) != f\ngot  %s\nwant %s\nencoded:\n%q", f.Name, a, b, out)
	}
}
