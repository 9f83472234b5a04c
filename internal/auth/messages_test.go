package auth

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

var placeholderRE = regexp.MustCompile(`\{\d+\}`)

func TestMessages(t *testing.T) {
	m := Messages()
	vi, en := m["vi"], m["en"]
	if len(m) != 2 || len(vi) == 0 || len(vi) != len(en) {
		t.Fatalf("catalogue: %d languages, vi %d keys, en %d keys", len(m), len(vi), len(en))
	}
	for k, v := range vi {
		if !strings.HasPrefix(k, "err.auth.") {
			t.Errorf("key %s lacks the err.auth. prefix", k)
		}
		e, ok := en[k]
		if !ok {
			t.Errorf("%s has no English text", k)
			continue
		}
		a, b := placeholderRE.FindAllString(v, -1), placeholderRE.FindAllString(e, -1)
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Errorf("%s placeholders differ: vi %v, en %v", k, a, b)
		}
		for lang, s := range map[string]string{"vi": v, "en": e} {
			if !norm.NFC.IsNormalString(s) || strings.TrimSpace(s) != s || s == "" {
				t.Errorf("%s %s text is empty, untrimmed or not NFC", k, lang)
			}
		}
	}
	m["vi"]["err.auth.password_short"] = "x"
	if Messages()["vi"]["err.auth.password_short"] == "x" {
		t.Error("Messages exposes the shared catalogue")
	}
}

// TestMessageKeysUsed checks that every key in the Go sources has texts and
// every text has a key in the sources.
func TestMessageKeysUsed(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	keyRE := regexp.MustCompile(`"(err\.auth\.[a-z_]+)"`)
	used := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	vi := Messages()["vi"]
	for k := range used {
		if _, ok := vi[k]; !ok {
			t.Errorf("key %s is used but has no text", k)
		}
	}
	for k := range vi {
		if !used[k] {
			t.Errorf("key %s has a text but is not used", k)
		}
	}
}
