package textenc

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// tableDecoder is a transform.Transformer that decodes with a byteTable.
// A base byte and the mark byte after it decode to one precomposed letter;
// when a base byte ends src, Transform asks for more input to see whether a
// mark follows. Anything else (a mark after a letter it does not form a
// Vietnamese letter with, say) is joined by the norm.NFC transformer
// chained after it, also across buffer boundaries.
type tableDecoder struct {
	t *byteTable
}

// Reset implements transform.Transformer.
func (tableDecoder) Reset() {}

// Transform implements transform.Transformer.
func (d tableDecoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		c := src[nSrc]
		if d.t.pairStart[c] {
			if nSrc+1 == len(src) && !atEOF {
				return nDst, nSrc, transform.ErrShortSrc
			}
			if nSrc+1 < len(src) && src[nSrc+1] >= utf8.RuneSelf {
				if p, ok := d.t.pairs[uint16(c)<<8|uint16(src[nSrc+1])]; ok {
					if len(dst)-nDst < len(p) {
						return nDst, nSrc, transform.ErrShortDst
					}
					nDst += copy(dst[nDst:], p)
					nSrc += 2
					continue
				}
			}
		}
		if c < utf8.RuneSelf {
			if nDst == len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = c
			nDst++
			nSrc++
			continue
		}
		s := d.t.s[c]
		if len(dst)-nDst < len(s) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += copy(dst[nDst:], s)
		nSrc++
	}
	return nDst, nSrc, nil
}

// errContext is how many bytes from the first invalid byte on the UTF-8
// validator tries to have in view before it guesses the real encoding.
const errContext = 1024

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// utf8Validator is a transform.Transformer that copies valid UTF-8, drops a
// leading byte order mark and fails with an *EncodingError on the first
// invalid byte.
type utf8Validator struct {
	offset  int64 // input bytes consumed before the current src
	line    int   // 1-based line of src[0]
	multi   int   // valid multi-byte characters consumed, for the guess
	started bool  // the BOM check is done
}

func newUTF8Validator() *utf8Validator { return &utf8Validator{line: 1} }

// Reset implements transform.Transformer.
func (v *utf8Validator) Reset() { *v = utf8Validator{line: 1} }

// Transform implements transform.Transformer.
func (v *utf8Validator) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	defer func() { v.offset += int64(nSrc) }()
	if !v.started {
		if len(src) < len(utf8BOM) && !atEOF && string(utf8BOM[:len(src)]) == string(src) {
			return 0, 0, transform.ErrShortSrc
		}
		v.started = true
		if len(src) >= len(utf8BOM) && string(src[:len(utf8BOM)]) == string(utf8BOM) {
			nSrc = len(utf8BOM)
		}
	}
	floor := nSrc // a stripped BOM must not be handed back
	for nSrc < len(src) {
		c := src[nSrc]
		if c < utf8.RuneSelf {
			if nDst == len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = c
			nDst++
			nSrc++
			if c == '\n' {
				v.line++
			}
			continue
		}
		r, size := utf8.DecodeRune(src[nSrc:])
		if r == utf8.RuneError && size == 1 {
			if !atEOF && !utf8.FullRune(src[nSrc:]) {
				return nDst, nSrc, transform.ErrShortSrc
			}
			if atEOF {
				return nDst, nSrc, v.fail(src, nSrc, lineStart(src, nSrc, floor))
			}
			// Hand back the input before the line of the invalid byte, so
			// that the next call sees that line first with room after it,
			// then wait for enough bytes to guess the encoding from.
			if ls := lineStart(src, nSrc, floor); ls > 0 {
				back, _ := utf8Stats(src[ls:nSrc])
				v.multi -= back
				return nDst - (nSrc - ls), ls, transform.ErrShortSrc
			}
			if len(src) < errContext {
				back, _ := utf8Stats(src[:nSrc])
				v.multi -= back
				return 0, 0, transform.ErrShortSrc
			}
			return nDst, nSrc, v.fail(src, nSrc, 0)
		}
		if len(dst)-nDst < size {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += copy(dst[nDst:], src[nSrc:nSrc+size])
		nSrc += size
		v.multi++
	}
	return nDst, nSrc, nil
}

// lineStart returns the start of the line that holds src[i], but not less
// than floor.
func lineStart(src []byte, i, floor int) int {
	return max(bytes.LastIndexByte(src[:i], '\n')+1, floor)
}

// fail builds the error for the invalid byte src[i], guessing the real
// encoding from src[from:], which starts at or before i.
func (v *utf8Validator) fail(src []byte, i, from int) error {
	before, _ := utf8Stats(src[from:i])
	guess, why := guessLegacy(src[from:], v.multi-before)
	return &EncodingError{
		Offset: v.offset + int64(i),
		Line:   v.line,
		Guess:  guess,
		Reason: fmt.Sprintf("byte 0x%02X is not valid UTF-8; %s", src[i], why),
	}
}
