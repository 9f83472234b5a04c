package textenc

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Tone indexes, in the order of the rows below (the order Unikey and xvnkb
// use: none, sắc, huyền, hỏi, ngã, nặng).
const (
	toneNone  = iota
	toneAcute // sắc
	toneGrave // huyền
	toneHook  // hỏi
	toneTilde // ngã
	toneDot   // nặng
	numTones
)

// toneMarks holds the combining character of each tone.
var toneMarks = [numTones]rune{0, '\u0301', '\u0300', '\u0309', '\u0303', '\u0323'}

// vowels lists the 12 Vietnamese vowel letters, lowercase and without tone.
// The 134 letters outside ASCII are these vowels with the five tones, plus
// ă â ê ô ơ ư and đ, each in both cases: (12*5 + 6 + 1) * 2 = 134.
var vowels = [12]rune{'a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'}

// tcvn3Lower[v][t] is the TCVN3 byte of vowels[v] carrying tone t. The
// values are the lowercase part of TCVN 5712:1993 VN3; see doc.go for the
// sources they were checked against.
var tcvn3Lower = [len(vowels)][numTones]byte{
	{'a', 0xB8, 0xB5, 0xB6, 0xB7, 0xB9},  // a á à ả ã ạ
	{0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6}, // ă ắ ằ ẳ ẵ ặ
	{0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB}, // â ấ ầ ẩ ẫ ậ
	{'e', 0xD0, 0xCC, 0xCE, 0xCF, 0xD1},  // e é è ẻ ẽ ẹ
	{0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6}, // ê ế ề ể ễ ệ
	{'i', 0xDD, 0xD7, 0xD8, 0xDC, 0xDE},  // i í ì ỉ ĩ ị
	{'o', 0xE3, 0xDF, 0xE1, 0xE2, 0xE4},  // o ó ò ỏ õ ọ
	{0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9}, // ô ố ồ ổ ỗ ộ
	{0xAC, 0xED, 0xEA, 0xEB, 0xEC, 0xEE}, // ơ ớ ờ ở ỡ ợ
	{'u', 0xF3, 0xEF, 0xF1, 0xF2, 0xF4},  // u ú ù ủ ũ ụ
	{0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9}, // ư ứ ừ ử ữ ự
	{'y', 0xFD, 0xFA, 0xFB, 0xFC, 0xFE},  // y ý ỳ ỷ ỹ ỵ
}

// tcvn3Other holds the rest of VN3: the uppercase vowels without tone, Đ, đ
// and the no-break space.
var tcvn3Other = map[rune]byte{
	'\u00A0': 0xA0,
	'Ă':      0xA1, 'Â': 0xA2, 'Ê': 0xA3, 'Ô': 0xA4, 'Ơ': 0xA5, 'Ư': 0xA6, 'Đ': 0xA7,
	'đ': 0xAE,
}

// tcvn3VN2 holds the 16 uppercase vowels with tone marks that VN2, the
// superset of VN3 in TCVN 5712:1993, puts in 0xA0-0xFF. TCVN3 text never
// uses these codes for other letters, so they are decoded; Encode does not
// write them, since VN3 software and fonts do not know them. (VN2's five
// combining tone marks at 0xB0-0xB4 are left to Windows-1252, where they
// are the symbols ° ± ² ³ ´ that people type into .VnTime documents.)
var tcvn3VN2 = map[byte]rune{
	0xAF: 'Ằ', 0xBA: 'Ẳ', 0xBF: 'Ẵ', 0xC0: 'Ắ', 0xC1: 'Ầ', 0xC2: 'Ẩ', 0xC3: 'Ẫ', 0xC4: 'Ấ',
	0xC5: 'Ề', 0xCD: 'Ể', 0xD9: 'Ễ', 0xDA: 'Ế', 0xDB: 'Ồ', 0xE0: 'Ổ', 0xF0: 'Ỗ', 0xFF: 'Ố',
}

// VNI-Windows mark bytes (lowercase forms; the uppercase form of each is
// 0x20 lower). The byte follows the base letter it modifies.
var (
	vniTone       = [numTones]byte{0, 0xF9, 0xF8, 0xFB, 0xF5, 0xEF}    // a → á à ả ã ạ
	vniCircumflex = [numTones]byte{0xE2, 0xE1, 0xE0, 0xE5, 0xE3, 0xE4} // a → â ấ ầ ẩ ẫ ậ
	vniBreve      = [numTones]byte{0xEA, 0xE9, 0xE8, 0xFA, 0xFC, 0xEB} // a → ă ắ ằ ẳ ẵ ặ
	vniI          = [numTones]byte{'i', 0xED, 0xEC, 0xE6, 0xF3, 0xF2}  // i í ì ỉ ĩ ị: one byte each
)

// VNI-Windows letters that are single bytes (lowercase forms).
const (
	vniYDot  = 0xEE // ỵ
	vniOHorn = 0xF4 // ơ
	vniUHorn = 0xF6 // ư
	vniDBar  = 0xF1 // đ
)

// vietLetter is the vowel and the tone of a lowercase Vietnamese vowel
// letter.
type vietLetter struct {
	vowel int // index into vowels
	tone  int
}

// Tables built by init.
var (
	// letterInfo maps every lowercase Vietnamese vowel letter (72 runes) to
	// its vowel and tone.
	letterInfo = map[rune]vietLetter{}
	// The decoding tables of TCVN3, VNI, Windows-1252 and Windows-1258.
	tcvn3Dec, vniDec, cp1252Dec, cp1258Dec byteTable
	// tcvn3Enc and vniEnc map a rune to its bytes in that encoding.
	tcvn3Enc, vniEnc map[rune]string
)

// byteTable decodes a single-byte encoding, or one that writes a letter as
// a base byte and a mark byte. Each byte stands for a fixed UTF-8 string;
// pairs holds the precomposed letter of each base+mark pair, keyed by
// base<<8 | mark, so that the usual letters need no normalising, and
// pairStart marks the bytes that begin a pair. needNFC is false when every
// string is a lone starter that cannot combine with its neighbours, so that
// the output is NFC without normalising.
type byteTable struct {
	s         [256]string
	pairs     map[uint16]string
	pairStart [256]bool
	needNFC   bool
}

// addPair records that base followed by mark decodes to r.
func (t *byteTable) addPair(base, mark byte, r rune) {
	if t.pairs == nil {
		t.pairs = map[uint16]string{}
	}
	t.pairs[uint16(base)<<8|uint16(mark)] = string(r)
	t.pairStart[base] = true
}

// letter returns vowels[v] with tone t, uppercased if upper.
func letter(v, t int, upper bool) rune {
	s := string(vowels[v])
	if t != toneNone {
		s += string(toneMarks[t])
	}
	r, _ := utf8.DecodeRuneInString(norm.NFC.String(s))
	if upper {
		r = unicode.ToUpper(r)
	}
	return r
}

// upperVNI returns the uppercase form of a lowercase VNI byte sequence:
// ASCII letters and the bytes 0xE0-0xFF both move down by 0x20.
func upperVNI(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 0xE0:
			c -= 0x20
		}
		out[i] = c
	}
	return out
}

// vniLower returns the lowercase VNI bytes of vowels[v] with tone t.
func vniLower(v, t int) []byte {
	switch vowels[v] {
	case 'ă':
		return []byte{'a', vniBreve[t]}
	case 'â':
		return []byte{'a', vniCircumflex[t]}
	case 'ê':
		return []byte{'e', vniCircumflex[t]}
	case 'ô':
		return []byte{'o', vniCircumflex[t]}
	case 'i':
		return []byte{vniI[t]}
	case 'ơ':
		return appendTone([]byte{vniOHorn}, t)
	case 'ư':
		return appendTone([]byte{vniUHorn}, t)
	case 'y':
		if t == toneDot {
			return []byte{vniYDot}
		}
	}
	return appendTone([]byte{byte(vowels[v])}, t)
}

func appendTone(b []byte, t int) []byte {
	if t != toneNone {
		b = append(b, vniTone[t])
	}
	return b
}

// cp1252Table returns the Windows-1252 decoding of every byte, the fallback
// for bytes a Vietnamese font encoding leaves unassigned.
func cp1252Table() [256]string {
	var t [256]string
	for b := 0; b < 256; b++ {
		if b < utf8.RuneSelf {
			t[b] = string(rune(b))
		} else {
			t[b] = string(charmap.Windows1252.DecodeByte(byte(b)))
		}
	}
	return t
}

// addFallback lets enc write b for s if s is one character that enc has no
// bytes for yet and that is not a Vietnamese letter.
func addFallback(enc map[rune]string, s string, b byte) {
	r, n := utf8.DecodeRuneInString(s)
	if n != len(s) || r == utf8.RuneError || unicode.Is(unicode.Mn, r) || isVietLetter(r) {
		return
	}
	if _, taken := enc[r]; !taken {
		enc[r] = string([]byte{b})
	}
}

// isVietLetter reports whether r is one of the Vietnamese letters outside
// ASCII, or a plain vowel, in either case.
func isVietLetter(r rune) bool {
	lr := unicode.ToLower(r)
	_, ok := letterInfo[lr]
	return ok || lr == 'đ'
}

// finish computes needNFC.
func (t *byteTable) finish() {
	for _, s := range t.s {
		for _, r := range s {
			p := norm.NFC.PropertiesString(string(r))
			if !p.BoundaryBefore() || !norm.NFC.IsNormalString(string(r)) {
				t.needNFC = true
				return
			}
		}
	}
}

func init() {
	tcvn3Dec.s = cp1252Table()
	vniDec.s = cp1252Table()
	tcvn3Enc = map[rune]string{}
	vniEnc = map[rune]string{}

	for v := range vowels {
		for t := 0; t < numTones; t++ {
			lo, up := letter(v, t, false), letter(v, t, true)
			letterInfo[lo] = vietLetter{vowel: v, tone: t}

			b := tcvn3Lower[v][t]
			tcvn3Enc[lo] = string([]byte{b})
			if b >= 0x80 {
				tcvn3Dec.s[b] = string(lo)
			}
			vniEnc[lo] = string(vniLower(v, t))
			vniEnc[up] = string(upperVNI(vniLower(v, t)))
		}
	}
	for r, b := range tcvn3Other {
		tcvn3Dec.s[b] = string(r)
		tcvn3Enc[r] = string([]byte{b})
	}
	for b, r := range tcvn3VN2 {
		tcvn3Dec.s[b] = string(r)
	}
	vniEnc['đ'] = string([]byte{vniDBar})
	vniEnc['Đ'] = string(upperVNI([]byte{vniDBar}))

	// VNI decoding: marks become combining characters, which NFC then
	// composes with the base letter before them.
	marks := func(lower byte, s string) {
		vniDec.s[lower] = s
		vniDec.s[lower-0x20] = s
	}
	for t := toneAcute; t < numTones; t++ {
		marks(vniTone[t], string(toneMarks[t]))
	}
	for t := toneNone; t < numTones; t++ {
		tm := ""
		if t != toneNone {
			tm = string(toneMarks[t])
		}
		marks(vniCircumflex[t], "\u0302"+tm)
		marks(vniBreve[t], "\u0306"+tm)
	}
	// Single-byte VNI letters.
	for r, s := range vniEnc {
		if len(s) == 1 && s[0] >= 0x80 {
			vniDec.s[s[0]] = string(r)
		}
	}

	// Encoders: the letters above, ASCII, and every other byte that
	// decodes to one character which is not a Vietnamese letter (the
	// Windows-1252 symbols on bytes the encoding leaves free).
	for b := 0; b < utf8.RuneSelf; b++ {
		tcvn3Enc[rune(b)] = string(rune(b))
		vniEnc[rune(b)] = string(rune(b))
	}
	for b := 0x80; b < 0x100; b++ {
		addFallback(tcvn3Enc, tcvn3Dec.s[b], byte(b))
		addFallback(vniEnc, vniDec.s[b], byte(b))
	}
	for r, seq := range vniEnc {
		if len(seq) == 2 && seq[1] >= 0x80 {
			vniDec.addPair(seq[0], seq[1], r)
		}
	}

	cp1252Dec.s = cp1252Table()
	for b := 0; b < 256; b++ {
		cp1258Dec.s[b] = string(charmap.Windows1258.DecodeByte(byte(b)))
	}
	for v := range vowels {
		for _, up := range []bool{false, true} {
			base, ok := charmap.Windows1258.EncodeRune(letter(v, toneNone, up))
			if !ok {
				continue
			}
			for t := toneAcute; t < numTones; t++ {
				mark, _ := charmap.Windows1258.EncodeRune(toneMarks[t])
				cp1258Dec.addPair(base, mark, letter(v, t, up))
			}
		}
	}

	tcvn3Dec.finish()
	vniDec.finish()
	cp1252Dec.finish()
	cp1258Dec.finish()
}
