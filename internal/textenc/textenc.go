package textenc

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// EncodingError reports input that is not valid in the declared or expected
// encoding. NewReader returns it for UTF-8 input with an invalid byte.
type EncodingError struct {
	// Offset is the 0-based byte offset of the first invalid byte in the
	// input (a byte order mark counts).
	Offset int64
	// Line is the 1-based line of that byte.
	Line int
	// Guess is the encoding the input most likely is in, one of the names
	// of this package, or "" when there is no guess.
	Guess string
	// Reason explains the error or the guess in a short English phrase.
	Reason string
}

// Error returns a message naming the line, the offset, the reason and the
// guess, such as `textenc: line 3 (byte offset 57): byte 0xB8 is not valid
// UTF-8; bytes 0xB8 0xD5 are typical of TCVN3 (ABC): ... (guess: tcvn3)`.
func (e *EncodingError) Error() string {
	msg := fmt.Sprintf("textenc: line %d (byte offset %d): %s", e.Line, e.Offset, e.Reason)
	if e.Guess != "" {
		msg += fmt.Sprintf(" (guess: %s)", e.Guess)
	}
	return msg
}

// decoder returns the transformer that turns enc (a canonical name) into
// UTF-8 NFC.
func decoder(enc string) (transform.Transformer, error) {
	switch enc {
	case UTF8, UTF8BOM:
		return transform.Chain(newUTF8Validator(), norm.NFC), nil
	case UTF16LE:
		return transform.Chain(xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewDecoder(), norm.NFC), nil
	case UTF16BE:
		return transform.Chain(xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM).NewDecoder(), norm.NFC), nil
	case Windows1258:
		return tableTransformer(&cp1258Dec), nil
	case Windows1252:
		return tableTransformer(&cp1252Dec), nil
	case TCVN3:
		return tableTransformer(&tcvn3Dec), nil
	case VNI:
		return tableTransformer(&vniDec), nil
	}
	return nil, fmt.Errorf("textenc: unknown encoding %q (known: %s)", enc, strings.Join(names, ", "))
}

func tableTransformer(t *byteTable) transform.Transformer {
	if t.needNFC {
		return transform.Chain(tableDecoder{t}, norm.NFC)
	}
	return tableDecoder{t}
}

// NewReader returns a reader that decodes r from enc to UTF-8 in Unicode
// normalisation form NFC, streaming: it holds only a few kilobytes of r at a
// time. enc is a name or alias that Lookup accepts, or UTF8BOM.
//
// For UTF8 (and UTF8BOM) the reader validates: at the first invalid byte its
// Read returns an *EncodingError that gives the line and a guess of the
// real encoding (the text before it is returned first, except perhaps its
// last few characters). It strips a leading UTF-8 byte order mark, and for UTF16LE
// and UTF16BE a leading UTF-16 one (which, if present, also decides the byte
// order). The legacy single-byte decoders accept any input; bytes that mean
// nothing in the encoding become U+FFFD.
func NewReader(r io.Reader, enc string) (io.Reader, error) {
	name := enc
	if enc != UTF8BOM {
		var err error
		if name, err = Lookup(enc); err != nil {
			return nil, err
		}
	}
	t, err := decoder(name)
	if err != nil {
		return nil, err
	}
	return transform.NewReader(r, t), nil
}

// decodeBytes decodes a whole (small) buffer, for Detect.
func decodeBytes(b []byte, enc string) string {
	t, err := decoder(enc)
	if err != nil {
		return ""
	}
	out, _, _ := transform.Bytes(t, b)
	return string(out)
}

// Encode converts s to enc, a name Lookup accepts or UTF8BOM; s is
// normalised to NFC first. For TCVN3, VNI and Windows-1258 every Vietnamese
// letter is written the way the encoding spells it (for Windows-1258 a
// precomposed character where the code page has one, otherwise a base
// letter and combining tone marks). Other characters are written as
// Windows-1258 has them, or for TCVN3 and VNI as Windows-1252 has them
// where that byte is free. A character that cannot be represented is an
// error naming it and its byte offset in the NFC text; notably TCVN3 has no
// uppercase vowels with tone marks ("Ả", "Ố"), which need the .VnTimeH font.
//
// UTF8 returns s, UTF8BOM returns s after a byte order mark, UTF16LE and
// UTF16BE return s without a byte order mark, and Windows1252 fails on
// characters outside that code page. Decoding the result with NewReader
// gives back the NFC form of s.
func Encode(s string, enc string) ([]byte, error) {
	name := enc
	if enc != UTF8BOM {
		var err error
		if name, err = Lookup(enc); err != nil {
			return nil, err
		}
	}
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("textenc: cannot encode to %s: input is not valid UTF-8", name)
	}
	s = norm.NFC.String(s)
	switch name {
	case UTF8:
		return []byte(s), nil
	case UTF8BOM:
		return append(append([]byte(nil), utf8BOM...), s...), nil
	case UTF16LE, UTF16BE:
		e := xunicode.LittleEndian
		if name == UTF16BE {
			e = xunicode.BigEndian
		}
		return xunicode.UTF16(e, xunicode.IgnoreBOM).NewEncoder().Bytes([]byte(s))
	}
	out := make([]byte, 0, len(s))
	for i, r := range s {
		var ok bool
		switch name {
		case TCVN3:
			var b string
			b, ok = tcvn3Enc[r]
			out = append(out, b...)
		case VNI:
			var b string
			b, ok = vniEnc[r]
			out = append(out, b...)
		case Windows1258:
			out, ok = appendCP1258(out, r)
		case Windows1252:
			var b byte
			if b, ok = charmap.Windows1252.EncodeRune(r); ok {
				out = append(out, b)
			}
		}
		if !ok {
			return nil, unencodable(r, i, name)
		}
	}
	return out, nil
}

func unencodable(r rune, at int, enc string) error {
	hint := ""
	if enc == TCVN3 && unicode.IsUpper(r) {
		if li, vowel := letterInfo[unicode.ToLower(r)]; vowel && li.tone != toneNone {
			hint = " (TCVN3 has no uppercase vowels with tone marks)"
		}
	}
	return fmt.Errorf("textenc: cannot encode %q (%U) at byte %d to %s%s", r, r, at, enc, hint)
}

// appendCP1258 appends the Windows-1258 form of r: its own byte if the code
// page has it, else the longest precomposed base the code page has (such as
// ă â ê ô ơ ư) followed by combining marks (the tone marks 0xCC 0xEC 0xD2
// 0xDE 0xF2).
func appendCP1258(out []byte, r rune) ([]byte, bool) {
	if b, ok := charmap.Windows1258.EncodeRune(r); ok {
		return append(out, b), true
	}
	d := []rune(norm.NFD.String(string(r)))
	if len(d) < 2 {
		return out, false
	}
	// Absorb marks into the base while the result is still one character
	// of the code page. A mark may be skipped (and written combining) only
	// if no later absorbed mark has the same combining class, which keeps
	// the result canonically equivalent to r.
	base := d[0]
	var rest []rune
	skipped := map[uint8]bool{}
	for _, m := range d[1:] {
		ccc := norm.NFD.PropertiesString(string(m)).CCC()
		if !skipped[ccc] {
			if c := []rune(norm.NFC.String(string(base) + string(m))); len(c) == 1 {
				if _, ok := charmap.Windows1258.EncodeRune(c[0]); ok {
					base = c[0]
					continue
				}
			}
		}
		skipped[ccc] = true
		rest = append(rest, m)
	}
	start := len(out)
	for _, c := range append([]rune{base}, rest...) {
		b, ok := charmap.Windows1258.EncodeRune(c)
		if !ok {
			return out[:start], false
		}
		out = append(out, b)
	}
	// Check the round trip, so that nothing is written that would decode to
	// another character.
	var dec []rune
	for _, b := range out[start:] {
		dec = append(dec, charmap.Windows1258.DecodeByte(b))
	}
	if norm.NFC.String(string(dec)) != string(r) {
		return out[:start], false
	}
	return out, true
}
