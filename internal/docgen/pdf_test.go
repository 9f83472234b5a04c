package docgen

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"

	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-pdf/fpdf"

	"ktgs/internal/civil"
)

// MustPDF renders d as PDF.
func MustPDF(tb testing.TB, d *Document) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := WritePDF(&buf, d); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

var pageObject = regexp.MustCompile(`/Type /Page[^s]`)

// pdfString reads the literal string after key in the PDF's document
// information dictionary, decoding fpdf's UTF-16BE with a byte order mark.
func pdfString(tb testing.TB, pdf []byte, key string) string {
	tb.Helper()
	i := bytes.Index(pdf, []byte(key+" ("))
	if i < 0 {
		tb.Fatalf("no %s in the PDF", key)
	}
	var raw []byte
	depth := 0
	for _, c := range pdf[i+len(key)+2:] {
		if len(raw) > 0 && raw[len(raw)-1] == '\\' {
			switch c {
			case 'r':
				c = '\r'
			case 'n':
				c = '\n'
			}
			raw[len(raw)-1] = c
			continue
		}
		if c == '(' {
			depth++
		} else if c == ')' {
			if depth == 0 {
				break
			}
			depth--
		}
		raw = append(raw, c)
	}
	if !bytes.HasPrefix(raw, []byte{0xFE, 0xFF}) {
		return string(raw)
	}
	var u []uint16
	for k := 2; k+1 < len(raw); k += 2 {
		u = append(u, uint16(raw[k])<<8|uint16(raw[k+1]))
	}
	return string(utf16.Decode(u))
}

func TestPDFStructure(t *testing.T) {
	forEachExample(t, func(t *testing.T, d *Document) {
		pdf := MustPDF(t, d)
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")) {
			t.Fatalf("not a PDF: %q…", pdf[:min(20, len(pdf))])
		}
		// The subset of Liberation Serif is embedded (fpdf names a subset
		// "utf8" + family + style), one font per style used.
		for _, want := range []string{"/FontFile2", "/BaseFont /utf8liberationserif\n", "/BaseFont /utf8liberationserifB\n", "/BaseFont /utf8liberationserifI\n", "/ToUnicode"} {
			if !bytes.Contains(pdf, []byte(want)) {
				t.Errorf("PDF lacks %q", want)
			}
		}
		italicBold := false
		for _, b := range d.Body {
			for _, r := range b.Runs {
				italicBold = italicBold || r.Bold && r.Italic
			}
		}
		if got := bytes.Contains(pdf, []byte("/BaseFont /utf8liberationserifBI")); got != italicBold {
			t.Errorf("bold italic embedded = %v, used = %v", got, italicBold)
		}
		v := newView(d)
		if got := pdfString(t, pdf, "/Title"); got != v.metaTitle() {
			t.Errorf("Title = %q, want %q", got, v.metaTitle())
		}
		if got := pdfString(t, pdf, "/Creator"); got != "KTGS" {
			t.Errorf("Creator = %q", got)
		}
		if !bytes.Contains(pdf, []byte("/MediaBox [0 0 595.28 841.89]")) {
			t.Error("page is not A4")
		}
		if n := len(pageObject.FindAll(pdf, -1)); n < 1 || n > 3 {
			t.Errorf("%d pages", n)
		}
	})
}

func TestPDFDeterministic(t *testing.T) {
	forEachExample(t, func(t *testing.T, d *Document) {
		first := MustPDF(t, d)
		for range 3 {
			if !bytes.Equal(MustPDF(t, d), first) {
				t.Fatal("two renderings of the same document differ")
			}
		}
		d.Date = d.Date.AddDays(1)
		if bytes.Equal(MustPDF(t, d), first) {
			t.Error("another date gives the same file")
		}
	})
}

// TestHeaderWidth: the DOCX's rule under the header is as long as the
// header in the embedded font.
func TestHeaderWidth(t *testing.T) {
	f := fpdf.New("P", "pt", "A4", "")
	f.AddUTF8FontFromBytes("s", "B", liberationserifbold.TTF)
	f.SetFont("s", "B", sizeHeader)
	if got := f.GetStringWidth(PartyHeader); got < headerWidthPt-0.01 || got > headerWidthPt+0.01 {
		t.Errorf("%q is %.2f pt wide at %d pt, headerWidthPt = %.2f", PartyHeader, got, sizeHeader, headerWidthPt)
	}
}

// TestLayoutFits: every wrapped line fits its width and no letter is lost.
func TestLayoutFits(t *testing.T) {
	p := &pdfw{f: fpdf.New("P", "mm", "A4", ""), fonts: map[string]bool{}}
	long := strings.Repeat("Đồngchí", 40)
	texts := []string{
		exampleDecision().Body[5].Runs[1].Text,
		"Số      -QĐ/UBKT",
		long,
		"ngắn " + long + " cuối",
		"",
		"a\tb  c   d",
	}
	for _, width := range []float64{20, 75, 165} {
		for _, kind := range []BlockKind{Paragraph, Item, Centered} {
			for _, s := range texts {
				pp := bodyPara(vblock{kind: kind, runs: []Run{{Text: "Điều 1.", Bold: true}, {Text: " " + s}}})
				var got strings.Builder
				for _, l := range p.layout(&pp, width) {
					avail := width - pp.indLeft
					if l.first {
						avail -= pp.firstLine
					}
					if l.w > avail+1e-6 && len(l.words) > 1 {
						t.Errorf("width %g: line of %.1f mm > %.1f", width, l.w, avail)
					}
					for _, w := range l.words {
						for _, pc := range w.pieces {
							got.WriteString(pc.text)
						}
					}
				}
				if want := squeeze(pdfText("Điều 1. " + s)); got.String() != want {
					t.Errorf("width %g: laid out %q, want %q", width, got.String(), want)
				}
			}
		}
	}
}

// TestPDFText: the text is extractable and exactly as given (pdftotext).
func TestPDFText(t *testing.T) {
	forEachExample(t, func(t *testing.T, d *Document) {
		pdf := MustPDF(t, d)
		text := dropPageNumbers(pdfToText(t, pdf))
		lines := strings.Split(text, "\n")
		for i := range lines {
			lines[i] = collapse(lines[i])
		}
		v := newView(d)
		exact := []string{PartyHeader, v.typ}
		if !d.Date.IsZero() { // pdftotext splits the wide blanks of a draft into blocks
			exact = append(exact, v.number, v.date)
		}
		if d.Type == "QUYẾT ĐỊNH" {
			exact = append(exact, "Gia Tường, ngày 05 tháng 11 năm 2026", "về việc kiểm tra đảng viên khi có dấu hiệu vi phạm")
		}
		for _, want := range exact {
			if !slices.Contains(lines, collapse(want)) {
				t.Errorf("pdftotext has no line %q", want)
			}
		}
		for _, want := range textLines(d) {
			if !strings.Contains(squeeze(text), squeeze(want)) {
				t.Errorf("pdftotext lacks %q", want)
			}
		}
		flow := []string{v.typ, v.summary}
		for _, b := range v.body {
			flow = append(flow, b.text())
		}
		if missing, ok := inOrder(text, flow); !ok {
			t.Errorf("pdftotext: %q missing or out of order", missing)
		}
		if t.Failed() {
			saveArtifact(t, strings.ReplaceAll(t.Name(), "/", "_")+".pdf", pdf)
			t.Logf("pdftotext:\n%s", text)
		}
	})
}

// TestPDFPages: a long document breaks pages, numbers pages from 2 on,
// cuts words longer than a line and survives characters fpdf cannot map.
func TestPDFPages(t *testing.T) {
	d := exampleNotice()
	long := strings.Repeat("Ủyban", 60)
	d.Body = append(d.Body, Block{Text: "Từ dài: " + long})
	for i := range 80 {
		d.Body = append(d.Body, Block{Kind: BlockKind(i % 4), Text: fmt.Sprintf("Đoạn %d.\tNội dung kiểm tra 😀 𐀀 số %d.", i+1, i+1)})
	}
	pdf := MustPDF(t, d)
	pages := len(pageObject.FindAll(pdf, -1))
	if pages < 4 {
		t.Fatalf("%d pages for 80 paragraphs", pages)
	}
	first := pdfToText(t, pdf, "-f", "1", "-l", "1")
	for l := range strings.SplitSeq(first, "\n") {
		if strings.TrimSpace(l) == "1" {
			t.Error("page 1 carries a page number")
		}
	}
	for n := 2; n <= pages; n++ {
		page := pdfToText(t, pdf, "-f", fmt.Sprint(n), "-l", fmt.Sprint(n))
		if got := strings.TrimSpace(strings.SplitN(strings.TrimSpace(page), "\n", 2)[0]); got != fmt.Sprint(n) {
			t.Errorf("page %d starts with %q, want its number", n, got)
		}
	}
	text := dropPageNumbers(pdfToText(t, pdf))
	if !strings.Contains(squeeze(text), long) {
		t.Error("the long word was not kept whole across lines")
	}
	if missing, ok := inOrder(text, []string{"Đoạn 1.", "Đoạn 40.", "Đoạn 80.", "T/M ỦY BAN KIỂM TRA", "Lê Thị Hoa"}); !ok {
		t.Errorf("pdftotext: %q missing or out of order", missing)
	}
}

func TestPDFZeroDate(t *testing.T) {
	d := examplePlan()
	d.Date = civil.Date(0)
	a, b := MustPDF(t, d), MustPDF(t, d)
	if !bytes.Equal(a, b) {
		t.Error("undated document renders differently twice")
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20000101000000)")) {
		t.Error("undated document does not carry the fixed creation date")
	}
}

// TestEmptyAndConcurrent: an empty document renders in both formats, a nil
// one is an error, and renderings running at once (as in a server) give
// the bytes a lone rendering gives.
func TestEmptyAndConcurrent(t *testing.T) {
	for _, write := range []func(io.Writer, *Document) error{WriteDOCX, WritePDF} {
		if err := write(io.Discard, &Document{}); err != nil {
			t.Errorf("empty document: %v", err)
		}
		if err := write(io.Discard, nil); err == nil {
			t.Error("nil document: no error")
		}
	}
	if got := Text(&Document{}); got != PartyHeader+"\nNgày     tháng     năm 20..\n" {
		t.Errorf("Text of an empty document = %q", got)
	}
	want := map[string][]byte{}
	for _, ex := range examples {
		want[ex.name] = MustPDF(t, ex.doc())
	}
	var wg sync.WaitGroup
	for range 2 {
		for _, ex := range examples {
			wg.Go(func() {
				var buf bytes.Buffer
				if err := WritePDF(&buf, ex.doc()); err != nil {
					t.Error(err)
				} else if !bytes.Equal(buf.Bytes(), want[ex.name]) {
					t.Errorf("%s: concurrent rendering differs", ex.name)
				}
			})
		}
	}
	wg.Wait()
}
