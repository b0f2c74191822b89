// Package pdftest reads back the text of a PDF the platform wrote, for
// tests: pdftotext (Debian's poppler-utils) extracts it, which proves the
// fonts are embedded and the Chinese text survived. poppler-utils is a
// test requirement like PostgreSQL (README; .ci/run installs it), so a
// missing pdftotext fails the test with the package to install — it never
// skips, since a skipped check proves nothing.
package pdftest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Text answers the text pdftotext extracts from pdf, as it prints it.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("not a PDF: %.200q", pdf)
	}
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext is needed to read the PDF's text: apt-get install poppler-utils")
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// Flat is Text without line breaks and spaces: pdftotext may break a long
// line anywhere, so compare with the spaces of the wanted text removed too.
func Flat(t testing.TB, pdf []byte) string {
	t.Helper()
	return strings.NewReplacer("\n", "", " ", "").Replace(Text(t, pdf))
}
