package i18n

import (
	"regexp"
	"sort"
	"testing"

	"ktgs/internal/civil"
)

var placeholder = regexp.MustCompile(`\{\d+\}`)

// TestCataloguesMatch checks that every key exists in both languages with
// the same placeholders, so no screen falls back silently.
func TestCataloguesMatch(t *testing.T) {
	c := Default()
	vi, en := c.Keys("vi"), c.Keys("en")
	for k, v := range vi {
		e, ok := en[k]
		if !ok {
			t.Errorf("key %q missing in en", k)
			continue
		}
		a, b := placeholder.FindAllString(v, -1), placeholder.FindAllString(e, -1)
		sort.Strings(a)
		sort.Strings(b)
		if len(a) != len(b) {
			t.Errorf("key %q: placeholders vi %v, en %v", k, a, b)
		}
	}
	for k := range en {
		if _, ok := vi[k]; !ok {
			t.Errorf("key %q missing in vi", k)
		}
	}
}

func TestT(t *testing.T) {
	c := Default()
	if got := c.T("vi", "err.date_range", civil.MustParse("1930-01-01"), civil.MustParse("2100-12-31")); got != "Ngày phải từ 01/01/1930 đến 31/12/2100." {
		t.Errorf("T=%q", got)
	}
	if got := c.T("en", "tree.units", 1234567); got != "1,234,567 units under it" {
		t.Errorf("T=%q", got)
	}
	if got := c.T("vi", "tree.units", 1234567); got != "1.234.567 đơn vị trực thuộc" {
		t.Errorf("T=%q", got)
	}
	if got := c.T("vi", "err.date_after", "birth_date"); got != "Phải sau “Ngày sinh”." {
		t.Errorf("field label: %q", got)
	}
	if got := c.T("fr", "nav.tree"); got != "Tổ chức đảng" {
		t.Errorf("fallback to vi: %q", got)
	}
	if got := c.T("vi", "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key: %q", got)
	}
}

func TestMatch(t *testing.T) {
	for in, want := range map[string]string{"": "vi", "en-US,en;q=0.9": "en", "vi-VN": "vi", "fr-FR": "vi", "fr,en;q=0.5": "en", "garbage;;": "vi"} {
		if got := Match(in); got != want {
			t.Errorf("Match(%q)=%q, want %q", in, got, want)
		}
	}
}
