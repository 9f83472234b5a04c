package textenc

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SampleSize is the number of leading bytes of a file that Detect looks at;
// longer samples are cut to this size.
const SampleSize = 64 << 10

// Detect inspects a sample, normally the first SampleSize bytes of a file,
// and returns the most likely encoding and a short English reason, such as
// `invalid UTF-8 at byte 1234; bytes 0xB8 0xD5 are typical of TCVN3 (ABC):
// 12 of 12 accented words decode as Vietnamese, e.g. "Nguyễn"`.
//
// A byte order mark decides: UTF8BOM, UTF16LE or UTF16BE. Without one,
// UTF-16 is recognised by NUL bytes in every other position. Valid UTF-8 is
// always UTF8 (a multi-byte character cut off at the end of the sample does
// not count as invalid). Otherwise the sample is decoded as TCVN3, VNI and
// Windows-1258 and scored by how many of its accented words are well-formed
// Vietnamese syllables (and how many are common words in party records,
// such as "Đảng", "Nguyễn", "Thị", "xã"), against how many are not and how
// many stray symbols appear. The best wins. If none looks Vietnamese the
// result is Windows1252, unless the sample is valid UTF-8 but for a few
// bytes (one per ten multi-byte characters or fewer): that is UTF8, with a
// reason that calls it damaged.
func Detect(sample []byte) (enc string, reason string) {
	if len(sample) > SampleSize {
		sample = sample[:SampleSize]
	}
	switch {
	case bytes.HasPrefix(sample, utf8BOM):
		return UTF8BOM, "UTF-8 byte order mark"
	case bytes.HasPrefix(sample, []byte{0xFF, 0xFE}):
		return UTF16LE, "UTF-16LE byte order mark (FF FE)"
	case bytes.HasPrefix(sample, []byte{0xFE, 0xFF}):
		return UTF16BE, "UTF-16BE byte order mark (FE FF)"
	}
	if enc, reason, ok := detectUTF16(sample); ok {
		return enc, reason
	}
	bad := invalidUTF8(sample)
	if bad < 0 {
		if isASCII(sample) {
			return UTF8, "ASCII only, which is valid UTF-8"
		}
		return UTF8, "valid UTF-8"
	}
	// What precedes the line of the first invalid byte is valid UTF-8 (in
	// CSV files mostly an ASCII header), so only the rest is evidence.
	start := bytes.LastIndexByte(sample[:bad], '\n') + 1
	before, _ := utf8Stats(sample[:start])
	enc, why := guessLegacy(sample[start:], before)
	return enc, fmt.Sprintf("invalid UTF-8 at byte %d; %s", bad, why)
}

// detectUTF16 recognises UTF-16 without a byte order mark by its NUL bytes:
// text that is mostly ASCII has a NUL in every other byte.
func detectUTF16(s []byte) (enc, reason string, ok bool) {
	n := len(s) &^ 1
	if n < 4 {
		return "", "", false
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if s[i] == 0 {
			even++
		}
		if s[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*4 >= pairs && even*8 <= odd:
		return UTF16LE, fmt.Sprintf("no byte order mark, but %d of %d odd bytes are NUL, as in UTF-16LE text", odd, pairs), true
	case even*4 >= pairs && odd*8 <= even:
		return UTF16BE, fmt.Sprintf("no byte order mark, but %d of %d even bytes are NUL, as in UTF-16BE text", even, pairs), true
	}
	return "", "", false
}

// invalidUTF8 returns the offset of the first invalid UTF-8 byte in s, or
// -1. A valid but incomplete sequence at the very end (the sample was cut)
// is not invalid.
func invalidUTF8(s []byte) int {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			if !utf8.FullRune(s[i:]) {
				return -1 // truncated at the end of the sample
			}
			return i
		}
		i += size
	}
	return -1
}

func isASCII(s []byte) bool {
	for _, c := range s {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// legacyCandidates are the Vietnamese encodings Detect weighs, in the order
// that breaks ties (TCVN3 is the most common in government offices).
var legacyCandidates = []string{TCVN3, VNI, Windows1258}

// guessLegacy scores s under the legacy encodings and returns the best with
// a reason that does not mention where s came from. If no legacy encoding
// reads as Vietnamese but valid multi-byte UTF-8 characters (validBefore
// of them before s, and those in s) far outnumber the invalid bytes, the
// data is damaged UTF-8.
func guessLegacy(s []byte, validBefore int) (string, string) {
	if len(s) > SampleSize {
		s = s[:SampleSize]
	}
	var best *textScore
	var bestEnc string
	for _, enc := range legacyCandidates {
		sc := scoreText(decodeBytes(s, enc))
		if best == nil || sc.total() > best.total() {
			best, bestEnc = &sc, enc
		}
	}
	top := topHighBytes(s, 2)
	if best.good == 0 || best.total() <= 0 {
		valid, invalid := utf8Stats(s)
		if valid += validBefore; valid >= 4 && invalid*10 <= valid {
			return UTF8, fmt.Sprintf("but %d multi-byte characters are valid UTF-8 and only %d bytes are not, so the data looks like damaged UTF-8", valid, invalid)
		}
		return Windows1252, fmt.Sprintf("%s %s to no Vietnamese words in TCVN3, VNI or Windows-1258; assuming Windows-1252",
			byteList(top), verb(top, "decodes", "decode"))
	}
	why := fmt.Sprintf("%s %s typical of %s: %d of %d accented words decode as Vietnamese",
		byteList(top), verb(top, "is", "are"), label(bestEnc), best.good, best.good+best.bad)
	if len(best.examples) > 0 {
		why += ", e.g. " + strings.Join(quoteAll(best.examples), ", ")
	}
	return bestEnc, why
}

// utf8Stats counts the valid multi-byte UTF-8 characters and the invalid
// bytes in s.
func utf8Stats(s []byte) (valid, invalid int) {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		switch {
		case r != utf8.RuneError || size > 1:
			valid++
		case utf8.FullRune(s[i:]):
			invalid++
		}
		i += size
	}
	return valid, invalid
}

// topHighBytes returns up to n of the most frequent bytes >= 0x80 in s.
func topHighBytes(s []byte, n int) []byte {
	var count [256]int
	for _, c := range s {
		if c >= 0x80 {
			count[c]++
		}
	}
	var out []byte
	for b := 0x80; b < 0x100; b++ {
		if count[b] > 0 {
			out = append(out, byte(b))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return count[out[i]] > count[out[j]] })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func byteList(bs []byte) string {
	if len(bs) == 0 {
		return "the bytes"
	}
	parts := make([]string, len(bs))
	for i, b := range bs {
		parts[i] = fmt.Sprintf("0x%02X", b)
	}
	if len(parts) == 1 {
		return "byte " + parts[0]
	}
	return "bytes " + strings.Join(parts, " ")
}

// verb returns one or many, agreeing with byteList(bs).
func verb(bs []byte, one, many string) string {
	if len(bs) == 1 {
		return one
	}
	return many
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// textScore counts the evidence that a decoded text is Vietnamese.
type textScore struct {
	good     int      // accented words that are well-formed syllables
	bad      int      // accented words that are not
	common   int      // good words that are common in party records
	symbols  int      // stray non-ASCII symbols and replacement characters
	examples []string // a few good words, for the reason
}

func (s *textScore) total() int {
	return 4*s.good + 2*s.common - 4*s.bad - s.symbols
}

// neutralRunes are non-ASCII characters that are common in real text in any
// encoding and so are no evidence either way.
var neutralRunes = map[rune]bool{
	'\u00A0': true, '–': true, '—': true, '‘': true, '’': true, '“': true,
	'”': true, '…': true, '•': true, '°': true, '«': true, '»': true,
}

// commonWords are frequent accented words in party records.
var commonWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`đảng bộ chi ủy xã phường huyện tỉnh thành phố thị trấn
		nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý
		thị văn đức hữu quốc minh hồng thanh hương hường ngọc
		ban kiểm tra đồng chí viên tổ chức cơ sở kỷ luật khiển trách cảnh cáo cách chức khai trừ
		quyết định nghị ủy ban nhân dân hội đồng việt nam cộng sản số ngày tháng năm`) {
		if !isASCII([]byte(w)) {
			commonWords[w] = true
		}
	}
}

// scoreText scores a decoded (NFC) text.
func scoreText(text string) textScore {
	var sc textScore
	seen := map[string]bool{}
	word := func(w string) {
		if isASCII([]byte(w)) {
			return
		}
		lw := strings.ToLower(w)
		if !isSyllable(lw) {
			sc.bad++
			return
		}
		sc.good++
		if commonWords[lw] {
			sc.common++
		}
		if len(sc.examples) < 3 && !seen[lw] {
			seen[lw] = true
			sc.examples = append(sc.examples, w)
		}
	}
	start := -1
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			word(text[start:i])
			start = -1
		}
		if r >= utf8.RuneSelf && !neutralRunes[r] {
			sc.symbols++
		}
	}
	if start >= 0 {
		word(text[start:])
	}
	return sc
}

// Syllable structure. A Vietnamese syllable is an optional initial
// consonant, a vowel nucleus (one to three vowels, at most one carrying a
// tone) and an optional final consonant; a syllable that ends in a stop
// (c, ch, p, t) takes only the sắc or nặng tone.
var (
	initials = []string{"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
		"b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""}
	finals = []string{"ng", "nh", "ch", "c", "m", "n", "p", "t", ""}
	nuclei = map[string]bool{}
)

func init() {
	for _, n := range strings.Fields(`a ă â e ê i o ô ơ u ư y
		ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ôô ơi ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê
		iêu oai oay oao oeo uây uôi uya uyê uyu ươi ươu yêu`) {
		nuclei[n] = true
	}
}

// toneSpots maps a nucleus to the positions (a bit mask of rune indexes)
// where its tone mark may stand. Both the old ("hòa", "thủy") and the new
// ("hoà", "thuỷ") placements are accepted. Single vowels are not listed.
var toneSpots = map[string]uint8{
	"ai": 1, "ao": 1, "au": 1, "ay": 1, "âu": 1, "ây": 1, "eo": 1, "êu": 1, "ia": 1, "iu": 1,
	"oi": 1, "ôi": 1, "ơi": 1, "ui": 1, "ưi": 1, "ưa": 1, "ưu": 1, "ua": 1,
	"oa": 3, "oe": 3, "uy": 3, "oo": 3, "ôô": 3,
	"oă": 2, "uâ": 2, "uê": 2, "uô": 2, "uơ": 2, "ươ": 2, "iê": 2, "yê": 2,
	"iêu": 2, "yêu": 2, "oai": 2, "oay": 2, "oao": 2, "oeo": 2, "uây": 2, "uôi": 2,
	"ươi": 2, "ươu": 2, "uyu": 2, "uya": 2, "uyê": 4,
}

// isSyllable reports whether the lowercase word w is a well-formed
// Vietnamese syllable.
func isSyllable(w string) bool {
	var plain []rune // w without tone marks
	tone, toneAt := toneNone, -1
	for _, r := range w {
		if li, ok := letterInfo[r]; ok {
			if li.tone != toneNone {
				if tone != toneNone {
					return false // two tones
				}
				tone, toneAt = li.tone, len(plain)
			}
			plain = append(plain, vowels[li.vowel])
			continue
		}
		if r == 'đ' || (r >= 'a' && r <= 'z' && !strings.ContainsRune("fjwz", r)) {
			plain = append(plain, r)
			continue
		}
		return false
	}
	p := string(plain)
	for _, ini := range initials {
		if !strings.HasPrefix(p, ini) {
			continue
		}
		rest := p[len(ini):]
		for _, fin := range finals {
			if !strings.HasSuffix(rest, fin) || len(rest) == len(fin) {
				continue
			}
			nucleus := rest[:len(rest)-len(fin)]
			if !nuclei[nucleus] {
				continue
			}
			switch fin {
			case "c", "ch", "p", "t":
				if tone != toneAcute && tone != toneDot {
					continue
				}
			}
			if tone != toneNone {
				at := toneAt - utf8.RuneCountInString(ini)
				spots, listed := toneSpots[nucleus]
				if !listed {
					spots = 1
				}
				if at < 0 || at > 7 || spots&(1<<at) == 0 {
					continue
				}
			}
			return true
		}
	}
	return false
}
