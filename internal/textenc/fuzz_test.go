package textenc

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// decodeEncodings are the names FuzzDecode decodes with.
var decodeEncodings = append(Names(), UTF8BOM)

// FuzzDecode checks that decoding arbitrary bytes in every encoding never
// panics, always yields valid UTF-8 in NFC, fails only for UTF-8 input and
// then with an *EncodingError, gives the same result when the input
// arrives one byte at a time, and that Detect names a known encoding.
func FuzzDecode(f *testing.F) {
	for _, enc := range []string{TCVN3, VNI, Windows1258, UTF16LE} {
		b, err := Encode(csvSample(enc), enc)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(csvSample(UTF8)))
	f.Add([]byte("\xef\xbb\xbfa\xe1\xba"))
	f.Add([]byte{0xFF, 0xFE, 0x00, 0xD8, 'a', 0})
	f.Add([]byte("a\xf9\xe2\xea\xfc\xcc\xec"))
	f.Fuzz(func(t *testing.T, in []byte) {
		enc, reason := Detect(in)
		if !slices.Contains(decodeEncodings, enc) || reason == "" {
			t.Fatalf("Detect=%q, %q; want a known encoding and a reason", enc, reason)
		}
		for _, enc := range decodeEncodings {
			bulk, err := readAll(bytes.NewReader(in), enc)
			if !utf8.Valid(bulk) {
				t.Fatalf("%s: output is not valid UTF-8: %q", enc, bulk)
			}
			if err != nil {
				var ee *EncodingError
				if enc != UTF8 && enc != UTF8BOM || !errors.As(err, &ee) {
					t.Fatalf("%s: err=%v, want nil or *EncodingError for UTF-8", enc, err)
				}
				if ee.Offset < 0 || ee.Offset >= int64(len(in)) || ee.Line < 1 {
					t.Fatalf("%s: error position offset=%d line=%d for %d bytes", enc, ee.Offset, ee.Line, len(in))
				}
				continue
			}
			if !norm.NFC.IsNormal(bulk) {
				t.Fatalf("%s: output is not NFC: %q", enc, bulk)
			}
			slow, err := readAll(iotest.OneByteReader(bytes.NewReader(in)), enc)
			if err != nil || !bytes.Equal(slow, bulk) {
				t.Fatalf("%s: one byte at a time gives %q, %v; want %q", enc, slow, err, bulk)
			}
		}
	})
}

func readAll(r io.Reader, enc string) ([]byte, error) {
	dr, err := NewReader(r, enc)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(dr)
}

// FuzzRoundTrip checks that whatever Encode accepts decodes back to the NFC
// form of its input.
func FuzzRoundTrip(f *testing.F) {
	for _, p := range corpus {
		f.Add(p)
	}
	f.Add("café – “x” ° €")
	f.Add("a\u0323\u0301 x\u0301")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		want := norm.NFC.String(s)
		for _, enc := range decodeEncodings {
			b, err := Encode(s, enc)
			if err != nil {
				continue
			}
			got, err := readAll(bytes.NewReader(b), enc)
			if err != nil || string(got) != want {
				t.Fatalf("%s: Encode(%q)=% X decodes to %q, %v; want %q", enc, s, b, got, err, want)
			}
		}
	})
}
