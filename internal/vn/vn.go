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
	if ascii, clean := scanClean(s); clean && (ascii || norm.NFC.IsNormalString(s)) {
		return s
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

// scanClean reports whether s is pure ASCII, and whether it has no
// leading, trailing or repeated white space and no control characters (so
// that Clean would return it unchanged if it is also NFC), in one pass.
func scanClean(s string) (ascii, clean bool) {
	ascii, prevSpace := true, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		switch {
		case c == ' ':
			if prevSpace {
				return true, false
			}
			prevSpace = true
			continue
		case c < 0x20 || c == 0x7f:
			return true, false
		}
		prevSpace = false
	}
	if ascii {
		return true, !prevSpace || s == ""
	}
	return false, isClean(s)
}

// isClean is scanClean's test for text that is not pure ASCII.
func isClean(s string) bool {
	prevSpace := true
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		case unicode.IsSpace(r), unicode.IsControl(r), r == '\u200b', r == '\ufeff':
			return false
		}
		prevSpace = false
	}
	return !prevSpace || s == ""
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
//
// Precomposed Latin letters (every Vietnamese letter among them) map
// through a table built from Unicode's decompositions, so Fold needs no
// NFD pass over the string; it is called for millions of names on import.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	emit := func(r rune) {
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			switch {
			case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f':
				space = b.Len() > 0
				continue
			case r < 0x20 || r == 0x7f:
				continue
			case 'A' <= r && r <= 'Z':
				r += 'a' - 'A'
			}
			emit(r)
		case r == 'đ' || r == 'Đ':
			emit('d')
		default:
			if m := foldTable(r); m != 0 {
				emit(m)
				continue
			}
			switch {
			case unicode.Is(unicode.Mn, r), unicode.IsControl(r):
			case unicode.IsSpace(r):
				space = b.Len() > 0
			default:
				// A letter outside the table: decompose it alone.
				for _, x := range norm.NFD.String(string(r)) {
					if !unicode.Is(unicode.Mn, x) {
						emit(unicode.ToLower(x))
					}
				}
			}
		}
	}
	return b.String()
}

// foldLatin1Ext and foldLatinExtAdd map U+00C0–U+024F and U+1E00–U+1EFF to
// the lower-case base letter of their canonical decomposition (0 if none).
var foldLatin, foldLatinAdd = buildFold(0x00C0, 0x024F), buildFold(0x1E00, 0x1EFF)

func buildFold(lo, hi rune) []rune {
	t := make([]rune, hi-lo+1)
	for r := lo; r <= hi; r++ {
		d := []rune(norm.NFD.String(string(r)))
		if len(d) > 1 && d[0] < utf8.RuneSelf && unicode.IsLetter(d[0]) {
			t[r-lo] = unicode.ToLower(d[0])
		}
	}
	return t
}

func foldTable(r rune) rune {
	switch {
	case r >= 0x00C0 && r <= 0x024F:
		return foldLatin[r-0x00C0]
	case r >= 0x1E00 && r <= 0x1EFF:
		return foldLatinAdd[r-0x1E00]
	}
	return 0
}

// keyer is a collator with its scratch buffer; neither is safe for
// concurrent use, so goroutines take one from a pool. Reusing the buffer
// matters: a fresh collate.Buffer zeroes 4 KiB, which was half the cost of
// a key.
type keyer struct {
	c   *collate.Collator
	buf collate.Buffer
}

var keyers = sync.Pool{New: func() any { return &keyer{c: collate.New(language.Vietnamese)} }}

// SortKey returns a byte string whose byte order is the Vietnamese
// collation order of s: A < Ă < Â < B … D < Đ … O < Ô < Ơ … U < Ư, with tones
// as secondary differences and case as a tertiary one. Both SQLite and
// PostgreSQL order BLOB/bytea columns by bytes, so a stored SortKey gives
// the same order on both engines.
func SortKey(s string) []byte {
	k := keyers.Get().(*keyer)
	defer keyers.Put(k)
	return k.key(nil, norm.NFC.String(s))
}

// key appends the collation key of s (already NFC) to dst.
func (k *keyer) key(dst []byte, s string) []byte {
	k.buf.Reset()
	return append(dst, k.c.KeyFromString(&k.buf, s)...)
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
	k := keyers.Get().(*keyer)
	defer keyers.Put(k)
	key := k.key(make([]byte, 0, 64), given)
	// Two zero bytes cannot occur inside a key's primary weights, so the
	// given name decides first and the rest only breaks ties.
	key = append(key, 0, 0)
	return k.key(key, rest)
}

// Compare compares a and b in Vietnamese collation order.
func Compare(a, b string) int {
	k := keyers.Get().(*keyer)
	defer keyers.Put(k)
	return k.c.CompareString(a, b)
}

// Sort sorts s in place in Vietnamese collation order.
func Sort(s []string) {
	k := keyers.Get().(*keyer)
	defer keyers.Put(k)
	k.c.SortStrings(s)
}
