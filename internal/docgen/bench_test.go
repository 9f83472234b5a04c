package docgen

import (
	"io"
	"testing"
)

func BenchmarkWriteDOCX(b *testing.B) {
	d := exampleDecision()
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteDOCX(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWritePDF(b *testing.B) {
	d := exampleDecision()
	b.ReportAllocs()
	for b.Loop() {
		if err := WritePDF(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}
