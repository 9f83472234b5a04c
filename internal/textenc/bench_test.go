package textenc

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// benchInput returns about 1 MiB of CSV text in enc.
func benchInput(b *testing.B, enc string) []byte {
	b.Helper()
	sample := csvSample(TCVN3) // encodable everywhere
	text := strings.Repeat(sample, (1<<20)/len(sample)+1)
	in, err := Encode(text, enc)
	if err != nil {
		b.Fatal(err)
	}
	return in
}

func benchDecode(b *testing.B, enc string) {
	in := benchInput(b, enc)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(in), enc)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeTCVN3(b *testing.B)       { benchDecode(b, TCVN3) }
func BenchmarkDecodeVNI(b *testing.B)         { benchDecode(b, VNI) }
func BenchmarkDecodeWindows1258(b *testing.B) { benchDecode(b, Windows1258) }
func BenchmarkValidateUTF8(b *testing.B)      { benchDecode(b, UTF8) }

func BenchmarkDetect(b *testing.B) {
	in, err := Encode(csvSample(VNI), VNI)
	if err != nil {
		b.Fatal(err)
	}
	sample := bytes.Repeat(in, SampleSize/len(in))
	b.SetBytes(int64(len(sample)))
	for b.Loop() {
		Detect(sample)
	}
}
