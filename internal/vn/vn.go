// Package vn holds the Vietnamese text rules every layer shares: NFC
// normalisation of input, the one fold function that builds search keys,
// collation keys for sorting, and number and date formatting.
//
// Vietnamese text reaches KTGS in several Unicode forms: precomposed (NFC),
// decomposed (NFD, common from macOS and from Windows-1258 conversions) and
// with the tone mark on the "old" vowel ("hoà", "qủa"). Normalise with
// Clean on input; compare and search only through Fold.
package vn

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// Clean returns s in NFC with surrounding white space removed, runs of
// white space (including NBSP and tabs) collapsed to one space, and control
// characters dropped. Invalid UTF-8 bytes become U+FFFD. It is the
// normalisation applied to every free-text input.
func Clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r) || r == '\u200b' || r == '\ufeff':
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CleanText is Clean for multi-line text: it keeps line breaks (normalised
// to \n) and trims each line's trailing spaces.
func CleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Clean(l)
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// Fold returns the search key of s: lower case, without any diacritic, with
// đ/Đ as d, in NFC, white space collapsed. "Đảng viên", "ĐẢNG VIÊN",
// "dang vien" and the NFD form of the first all fold to "dang vien".
// Fold is idempotent.
func Fold(s string) string {
	s = norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// collators are not safe for concurrent use; keep one per goroutine at a time.
var collators = sync.Pool{New: func() any { return collate.New(language.Vietnamese) }}

// SortKey returns a byte string whose byte order is the Vietnamese
// collation order of s: A < Ă < Â < B … D < Đ … O < Ô < Ơ … U < Ư, with tones
// as secondary differences and case as a tertiary one. Both SQLite and
// PostgreSQL order BLOB/bytea columns by bytes, so a stored SortKey gives
// the same order on both engines.
func SortKey(s string) []byte {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	var buf collate.Buffer
	k := c.KeyFromString(&buf, norm.NFC.String(s))
	return append([]byte(nil), k...)
}

// NameSortKey returns the sort key of a Vietnamese personal name. Lists of
// people are ordered by given name (the last word), then by the family and
// middle names, as party and state registers are: "Trần Văn An" before
// "Lê Thị Bình".
func NameSortKey(fullName string) []byte {
	fullName = Clean(fullName)
	given, rest := fullName, ""
	if i := strings.LastIndexByte(fullName, ' '); i >= 0 {
		given, rest = fullName[i+1:], fullName[:i]
	}
	k := SortKey(given)
	// Two zero bytes cannot occur inside a key's primary weights, so the
	// given name decides first and the rest only breaks ties.
	k = append(k, 0, 0)
	return append(k, SortKey(rest)...)
}

// Compare compares a and b in Vietnamese collation order.
func Compare(a, b string) int {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	return c.CompareString(a, b)
}

// Sort sorts s in place in Vietnamese collation order.
func Sort(s []string) {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	c.SortStrings(s)
}
