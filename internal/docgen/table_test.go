package docgen

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
)

func docxParts(t *testing.T, d *Document) map[string]string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteDOCX(&buf, d); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(b)
	}
	return out
}

// TestTableAndFooter: a table block and a footer reach Text, the DOCX
// (a ruled table; a footer part referenced for every page) and the PDF;
// a document without them has no footer part.
func TestTableAndFooter(t *testing.T) {
	d := &Document{IssuingBody: "Ủy ban Kiểm tra Tỉnh ủy Thanh Hóa", Number: "Số 01-BC/UBKTTU", Type: "Báo cáo", Summary: "năm 2025",
		Body: []Block{{Kind: Heading, Text: "V. CHỈ TIÊU"}, {Kind: TableBlock, Table: &Table{Header: []string{"Chỉ tiêu", "Toàn đảng bộ", "Cấp mình"},
			Widths: []float64{0.6, 0.2, 0.2}, Rows: []TableRow{{Cells: []string{"Cấp ủy kiểm tra", "", ""}, Bold: true},
				{Cells: []string{"Đảng viên & <tổ chức>", "1.234", "5"}, Indent: 1}}}}},
		Footer: "Nhật ký kiểm toán KTGS: bản ghi số 42, mã băm 0123456789abcdef"}
	text := Text(d)
	for _, want := range []string{"Chỉ tiêu | Toàn đảng bộ | Cấp mình", "Đảng viên & <tổ chức> | 1.234 | 5", d.Footer} {
		if !strings.Contains(text, want) {
			t.Errorf("Text lacks %q:\n%s", want, text)
		}
	}
	parts := docxParts(t, d)
	doc := parts["word/document.xml"]
	if !strings.Contains(doc, `<w:insideH w:val="single"`) || !strings.Contains(doc, "Đảng viên &amp; &lt;tổ chức&gt;") || !strings.Contains(doc, `<w:tblHeader/>`) {
		t.Error("the DOCX has no ruled table with the escaped cell")
	}
	if !strings.Contains(doc, `<w:footerReference w:type="default" r:id="rIdFooter"/>`) || !strings.Contains(parts["word/footer1.xml"], "mã băm 0123456789abcdef") ||
		!strings.Contains(parts["word/_rels/document.xml.rels"], "footer1.xml") || !strings.Contains(parts["[Content_Types].xml"], "/word/footer1.xml") {
		t.Error("the DOCX footer is missing or not wired")
	}
	pdf := MustPDF(t, d)
	if len(pdf) == 0 {
		t.Fatal("no PDF")
	}
	d.Footer, d.Body = "", d.Body[:1]
	if parts := docxParts(t, d); parts["word/footer1.xml"] != "" || strings.Contains(parts["word/document.xml"], "footerReference") {
		t.Error("a document without a footer has a footer part")
	}
}
