package docgen

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

// envRequireLibreOffice makes a missing soffice or pdftotext a test
// failure instead of a skip; .ci/run sets it.
const envRequireLibreOffice = "KTGS_REQUIRE_LIBREOFFICE"

const installHint = "apt-get install -y --no-install-recommends libreoffice-writer-nogui poppler-utils"

// tool returns the path of the first of names on PATH, or skips t (fails
// it when KTGS_REQUIRE_LIBREOFFICE=1).
func tool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv(envRequireLibreOffice) == "1" {
		t.Fatalf("%s=1 but none of %v is on PATH: %s", envRequireLibreOffice, names, installHint)
	}
	t.Skipf("skipped: none of %v is on PATH; to run it: %s (.ci/run sets %s=1, which makes this skip a failure)",
		names, installHint, envRequireLibreOffice)
	return ""
}

// run runs a command with a timeout and returns its standard output.
func run(t *testing.T, timeout time.Duration, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	return stdout.Bytes()
}

// pdfToText extracts the text of a PDF with poppler's pdftotext.
func pdfToText(t *testing.T, pdf []byte, args ...string) string {
	t.Helper()
	bin := tool(t, "pdftotext")
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	args = append(append([]string{"-enc", "UTF-8"}, args...), file, "-")
	return string(run(t, 30*time.Second, bin, args...))
}

// dropPageNumbers removes the page number that heads each page after the
// first in pdftotext's output (pages end with a form feed).
func dropPageNumbers(text string) string {
	pages := strings.Split(text, "\f")
	for i := 1; i < len(pages); i++ {
		p := strings.TrimLeft(pages[i], "\n")
		if first, rest, ok := strings.Cut(p, "\n"); ok && strings.TrimSpace(first) == strconv.Itoa(i+1) {
			pages[i] = rest
		}
	}
	return strings.Join(pages, "\f")
}

// collapse turns runs of white space into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// squeeze removes all white space: line wrapping, column order and font
// fallback in other renderers change where spaces and breaks fall, not
// the letters.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// inOrder checks that each of want occurs in text after the previous one
// (both squeezed), and returns the first missing one.
func inOrder(text string, want []string) (missing string, ok bool) {
	s := squeeze(text)
	for _, w := range want {
		i := strings.Index(s, squeeze(w))
		if i < 0 {
			return w, false
		}
		s = s[i+len(squeeze(w)):]
	}
	return "", true
}

// saveArtifact keeps a file of a failed test in KTGS_ARTIFACTS/docgen.
func saveArtifact(t *testing.T, name string, data []byte) {
	dir := os.Getenv("KTGS_ARTIFACTS")
	if dir == "" {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "docgen")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("artifact: %v", err)
		return
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Logf("artifact: %v", err)
		return
	}
	t.Logf("saved %s", p)
}
