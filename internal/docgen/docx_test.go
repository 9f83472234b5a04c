package docgen

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

const wNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// MustDOCX renders d and returns the package's parts by name.
func MustDOCX(tb testing.TB, d *Document) map[string][]byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := WriteDOCX(&buf, d); err != nil {
		tb.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		tb.Fatalf("not a zip: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		parts[f.Name] = b
	}
	return parts
}

// xrun is a parsed w:r.
type xrun struct {
	text                              string
	font                              string
	bold, italic, underline, bordered bool
	halfPoints                        int
}

// xpara is a parsed w:p with where it sits: table (0-based, -1 outside any
// table), row and cell.
type xpara struct {
	table, row, cell int
	jc               string
	rule, keepNext   bool
	before           int
	runs             []xrun
}

func (p xpara) text() string {
	var b strings.Builder
	for _, r := range p.runs {
		b.WriteString(r.text)
	}
	return b.String()
}

// xdoc is word/document.xml reduced to what the tests look at.
type xdoc struct {
	paras []xpara
	attrs map[string]map[string]string // pgSz, pgMar: attributes by local name
	has   map[string]bool              // sectPr children seen
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// on reports whether a toggle property (w:b, w:i) is on.
func on(e xml.StartElement) bool {
	v := attr(e, "val")
	return v == "" || v == "1" || v == "true" || v == "on"
}

func parseDocument(tb testing.TB, data []byte) *xdoc {
	tb.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	doc := &xdoc{attrs: map[string]map[string]string{}, has: map[string]bool{}}
	var stack []string
	table, row, cell := -1, -1, -1
	tables := 0
	var p *xpara
	var r *xrun
	in := func(name string) bool { return slices.Contains(stack, name) }
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatalf("document.xml: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != wNS {
				tb.Fatalf("element %v outside the w: namespace", t.Name)
			}
			switch t.Name.Local {
			case "tbl":
				if table >= 0 {
					tb.Fatal("nested table")
				}
				table, row = tables, -1
				tables++
			case "tr":
				row, cell = row+1, -1
			case "tc":
				cell++
			case "p":
				doc.paras = append(doc.paras, xpara{table: table, row: row, cell: cell})
				p = &doc.paras[len(doc.paras)-1]
			case "r":
				p.runs = append(p.runs, xrun{})
				r = &p.runs[len(p.runs)-1]
			case "jc":
				if in("pPr") && !in("tblPr") {
					p.jc = attr(t, "val")
				}
			case "keepNext":
				p.keepNext = true
			case "spacing":
				if in("pPr") {
					p.before, _ = strconv.Atoi(attr(t, "before"))
				}
			case "bottom":
				if in("pBdr") && attr(t, "val") == "single" {
					p.rule = true
				}
			case "rFonts":
				if r != nil && in("r") {
					r.font = attr(t, "ascii")
				}
			case "b":
				if in("r") {
					r.bold = on(t)
				}
			case "i":
				if in("r") {
					r.italic = on(t)
				}
			case "u":
				if in("r") {
					r.underline = attr(t, "val") != "none"
				}
			case "bdr":
				if in("r") {
					r.bordered = attr(t, "val") == "single"
				}
			case "sz":
				if in("r") {
					r.halfPoints, _ = strconv.Atoi(attr(t, "val"))
				}
			case "tab":
				if in("r") {
					r.text += "\t"
				}
			case "pgSz", "pgMar":
				m := map[string]string{}
				for _, a := range t.Attr {
					m[a.Name.Local] = a.Value
				}
				doc.attrs[t.Name.Local] = m
			}
			if in("sectPr") {
				doc.has[t.Name.Local] = true
			}
			stack = append(stack, t.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			switch t.Name.Local {
			case "tbl":
				table, row, cell = -1, -1, -1
			case "r":
				r = nil
			case "p":
				p = nil
			}
		case xml.CharData:
			if len(stack) > 0 && stack[len(stack)-1] == "t" {
				r.text += string(t)
			}
		}
	}
	return doc
}

// lines returns the non-empty paragraph texts, without the layout
// ornaments, in document order.
func (d *xdoc) lines() []string {
	var out []string
	for _, p := range d.paras {
		if s := p.text(); strings.TrimSpace(s) != "" && s != "*" && s != "-----" {
			out = append(out, s)
		}
	}
	return out
}

// find returns the index of the first paragraph whose text is s, or fails.
func (d *xdoc) find(tb testing.TB, s string) (int, xpara) {
	tb.Helper()
	for i, p := range d.paras {
		if p.text() == s {
			return i, p
		}
	}
	tb.Fatalf("no paragraph %q in document.xml", s)
	return -1, xpara{}
}

func textLines(d *Document) []string {
	return strings.Split(strings.TrimSuffix(Text(d), "\n"), "\n")
}

func TestDOCXPackage(t *testing.T) {
	forEachExample(t, func(t *testing.T, d *Document) {
		parts := MustDOCX(t, d)
		for _, name := range []string{
			"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
			"word/styles.xml", "word/settings.xml", "docProps/core.xml", "docProps/app.xml",
		} {
			if _, ok := parts[name]; !ok {
				t.Errorf("part %s missing", name)
			}
		}
		// Every part is well-formed XML and declared in [Content_Types].xml.
		ct := string(parts["[Content_Types].xml"])
		for name, b := range parts {
			dec := xml.NewDecoder(bytes.NewReader(b))
			for {
				_, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
			if !strings.HasSuffix(name, ".rels") && name != "[Content_Types].xml" &&
				!strings.Contains(ct, `PartName="/`+name+`"`) {
				t.Errorf("%s has no Override in [Content_Types].xml", name)
			}
		}
		// Every relationship points at a part that exists.
		for _, rels := range []string{"_rels/.rels", "word/_rels/document.xml.rels"} {
			var rs struct {
				Rel []struct {
					Target string `xml:"Target,attr"`
				} `xml:"Relationship"`
			}
			if err := xml.Unmarshal(parts[rels], &rs); err != nil {
				t.Fatal(err)
			}
			base := path.Dir(path.Dir(rels))
			for _, r := range rs.Rel {
				target := path.Join(base, r.Target)
				if _, ok := parts[target]; !ok {
					t.Errorf("%s: target %s missing", rels, target)
				}
			}
		}
		core := string(parts["docProps/core.xml"])
		for _, want := range []string{"<dc:creator>KTGS</dc:creator>", "<dc:title>" + newView(d).metaTitle() + "</dc:title>"} {
			if !strings.Contains(core, want) {
				t.Errorf("core.xml lacks %s", want)
			}
		}
	})
}

func TestDOCXPageAndFonts(t *testing.T) {
	parts := MustDOCX(t, exampleDecision())
	doc := parseDocument(t, parts["word/document.xml"])
	sz := doc.attrs["pgSz"]
	if sz["w"] != "11906" || sz["h"] != "16838" {
		t.Errorf("page size %v, want A4 11906×16838", sz)
	}
	// HD 36 margins in twips: top and bottom 20–25 mm, left 30–35 mm,
	// right 15–20 mm (1 mm = 56.7 twips).
	mm := func(k string) float64 { v, _ := strconv.Atoi(doc.attrs["pgMar"][k]); return float64(v) / 56.7 }
	for _, m := range []struct {
		side   string
		lo, hi float64
	}{{"top", 20, 25}, {"bottom", 20, 25}, {"left", 30, 35}, {"right", 15, 20}} {
		if got := mm(m.side); got < m.lo-0.05 || got > m.hi+0.05 {
			t.Errorf("margin %s = %.1f mm, want %g–%g", m.side, got, m.lo, m.hi)
		}
	}
	if !doc.has["titlePg"] || !doc.has["headerReference"] {
		t.Error("no page-number header from page 2 (titlePg, headerReference)")
	}
	for _, p := range doc.paras {
		for _, r := range p.runs {
			if r.font != "Times New Roman" {
				t.Fatalf("run %q in font %q", r.text, r.font)
			}
		}
	}
	styles := string(parts["word/styles.xml"])
	if !strings.Contains(styles, `<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"`) {
		t.Error("styles.xml: default font is not Times New Roman")
	}
	if hdr := string(parts["word/header1.xml"]); !strings.Contains(hdr, " PAGE ") {
		t.Error("header1.xml has no PAGE field")
	}
}

// TestDOCXLayout checks each component of RULES.md §10 where HD 36 puts it
// and how it is set.
func TestDOCXLayout(t *testing.T) {
	forEachExample(t, func(t *testing.T, d *Document) {
		v := newView(d)
		doc := parseDocument(t, MustDOCX(t, d)["word/document.xml"])
		type at struct{ table, row, cell int }
		where := func(p xpara) at { return at{p.table, p.row, p.cell} }
		style := func(name string, p xpara, bold, italic bool, halfPoints int, jc string) {
			t.Helper()
			if p.jc != jc {
				t.Errorf("%s: aligned %q, want %q", name, p.jc, jc)
			}
			for _, r := range p.runs {
				if r.bold != bold || r.italic != italic || r.halfPoints != halfPoints {
					t.Errorf("%s: run %q bold=%v italic=%v size=%gpt, want bold=%v italic=%v %gpt",
						name, r.text, r.bold, r.italic, float64(r.halfPoints)/2, bold, italic, float64(halfPoints)/2)
				}
			}
		}

		// 1. The header: top right, first line, bold 15 pt, ruled.
		iHead, head := doc.find(t, PartyHeader)
		if where(head) != (at{0, 0, 1}) {
			t.Errorf("header at %+v, want table 0 row 0 right cell", where(head))
		}
		style("header", head, true, false, 30, "center")
		if !head.rule {
			t.Error("header has no rule under it")
		}
		// 2. Superior body (regular) on the first line left, issuing body
		// (bold) under it.
		iSup, sup := doc.find(t, v.superior)
		if where(sup) != (at{0, 0, 0}) || iSup > iHead {
			t.Errorf("superior body at %+v", where(sup))
		}
		style("superior body", sup, false, false, 28, "center")
		iIss, iss := doc.find(t, v.issuing)
		if where(iss) != (at{0, 1, 0}) || iIss < iHead {
			t.Errorf("issuing body at %+v", where(iss))
		}
		style("issuing body", iss, true, false, 28, "center")
		if star := doc.paras[iIss+1]; star.text() != "*" {
			t.Errorf("after the issuing body %q, want *", star.text())
		}
		// 3. Number under the issuing side; 4. place and date on the same
		// row, right, italic.
		iNum, num := doc.find(t, v.number)
		if where(num) != (at{0, 2, 0}) || iNum < iIss {
			t.Errorf("number at %+v", where(num))
		}
		style("number", num, false, false, 28, "center")
		iDate, date := doc.find(t, v.date)
		if where(date) != (at{0, 2, 1}) || iDate < iNum {
			t.Errorf("date at %+v", where(date))
		}
		style("place and date", date, false, true, 28, "right")
		// 5. Type and summary centred under the header table.
		iType, typ := doc.find(t, v.typ)
		if typ.table != -1 || iType < iDate {
			t.Errorf("type at %+v", where(typ))
		}
		style("type", typ, true, false, 32, "center")
		iSum, sum := doc.find(t, v.summary)
		if iSum != iType+1 {
			t.Errorf("summary is paragraph %d, type %d", iSum, iType)
		}
		style("summary", sum, true, false, 28, "center")
		// 6. Body in order, outside tables, 14 pt.
		last := iSum
		for _, b := range v.body {
			i, p := doc.find(t, b.text())
			if i <= last || p.table != -1 {
				t.Errorf("body block %q out of place", b.text())
			}
			for _, r := range p.runs {
				if r.halfPoints != 28 {
					t.Errorf("body run %q at %gpt", r.text, float64(r.halfPoints)/2)
				}
			}
			last = i
		}
		// 7 and 9. Closing table: signature on the right, recipients on
		// the left in 12 pt, both after the body.
		sigTable := doc.paras[len(doc.paras)-2].table
		for _, s := range []string{v.capacity, v.title, v.name} {
			if s == "" {
				continue
			}
			i, p := doc.find(t, s)
			if i < last || p.table != sigTable || p.cell != 1 {
				t.Errorf("signature line %q at %+v", s, where(p))
			}
			style("signature", p, true, false, 28, "center")
			last = i
		}
		iLab, lab := doc.find(t, RecipientsLabel)
		if lab.table != sigTable || lab.cell != 0 || !lab.runs[0].underline {
			t.Errorf("%q at %+v, underlined %v", RecipientsLabel, where(lab), lab.runs[0].underline)
		}
		for k, r := range v.recipients {
			p := doc.paras[iLab+1+k]
			if p.text() != r || p.cell != 0 {
				t.Errorf("recipient %d = %q, want %q", k, p.text(), r)
			}
			style("recipient", p, false, false, 24, "left")
		}
	})
}

// TestDOCXTextMatchesText: the DOCX holds exactly the lines of Text, in
// order within each part of the page (the header table's two columns and
// the closing table's two are read as HD 36 places them).
func TestDOCXTextMatchesText(t *testing.T) {
	forEachExample(t, func(t *testing.T, d *Document) {
		doc := parseDocument(t, MustDOCX(t, d)["word/document.xml"])
		got, want := doc.lines(), textLines(d)
		if a, b := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want)); !slices.Equal(a, b) {
			t.Fatalf("DOCX lines\n%q\nText lines\n%q", got, want)
		}
		// Outside the tables the order is the page's order.
		var flow []string
		for _, p := range doc.paras {
			if s := p.text(); p.table == -1 && strings.TrimSpace(s) != "" && s != "-----" {
				flow = append(flow, s)
			}
		}
		v := newView(d)
		i := slices.Index(want, v.typ)
		if j := i + len(flow); i < 0 || j > len(want) || !slices.Equal(flow, want[i:j]) {
			t.Errorf("flowing text\n%q\nwant it in Text's order\n%q", flow, want)
		}
	})
}

func TestText(t *testing.T) {
	d := exampleDecision()
	d.Body = d.Body[:1]
	want := `ĐẢNG CỘNG SẢN VIỆT NAM
ĐẢNG BỘ TỈNH NINH BÌNH
ỦY BAN KIỂM TRA ĐẢNG ỦY XÃ GIA TƯỜNG
Số 15-QĐ/UBKT
Gia Tường, ngày 05 tháng 11 năm 2026
QUYẾT ĐỊNH
về việc kiểm tra đảng viên khi có dấu hiệu vi phạm
- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;
T/M ỦY BAN KIỂM TRA
CHỦ NHIỆM
Nguyễn Văn An
Nơi nhận:
- Thường trực Đảng ủy xã (để báo cáo),
- Chi bộ thôn Đoàn Kết,
- Như Điều 3,
- Lưu UBKT.
`
	if got := Text(d); got != want {
		t.Errorf("Text =\n%s\nwant\n%s", got, want)
	}

	// A draft: blanks for the date, the marks, no name; the caller's own
	// dashes and punctuation are kept.
	d = &Document{IssuingBody: "Chi bộ thôn Đoàn Kết", Number: "Số      -BC/CB", Place: "Gia Tường",
		Type: "Báo cáo", Mark: "tối mật", Draft: true,
		Signature:  Signature{Capacity: "T/M chi bộ", Title: "Bí thư"},
		Recipients: []string{"- Đảng ủy xã,", "Lưu CB."}}
	want = `ĐẢNG CỘNG SẢN VIỆT NAM
CHI BỘ THÔN ĐOÀN KẾT
Số      -BC/CB
TỐI MẬT
Gia Tường, ngày     tháng     năm 20..
DỰ THẢO
BÁO CÁO
T/M CHI BỘ
BÍ THƯ
Nơi nhận:
- Đảng ủy xã,
- Lưu CB.
`
	if got := Text(d); got != want {
		t.Errorf("Text =\n%s\nwant\n%s", got, want)
	}
}

// TestDOCXCleansText: decomposed input comes out NFC, control characters
// go, XML-special characters are escaped, tabs become w:tab.
func TestDOCXCleansText(t *testing.T) {
	nfd := norm.NFD.String("Gia Tường")
	if nfd == "Gia Tường" {
		t.Fatal("test input is not decomposed")
	}
	d := exampleDecision()
	d.Place = nfd
	d.Signature.Name = norm.NFD.String("Nguyễn Văn An")
	d.Summary = "về việc kiểm tra\x00 \x1bđảng viên\x7f\u0085 \"A&B\" <Đức>\uFFFE"
	d.Body = []Block{
		{Text: "Nguyễn Văn <Đức> & Co, 'trích' \"dẫn\"\r\ndòng hai\tcột"},
		{Runs: []Run{{Text: "in " + norm.NFD.String("đậm"), Bold: true}, {Text: " thường\v"}}},
	}
	parts := MustDOCX(t, d)
	raw := string(parts["word/document.xml"])
	for _, c := range raw {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f || c == 0x85 || c == 0xFFFE {
			t.Fatalf("document.xml holds control character %U", c)
		}
	}
	for _, esc := range []string{"Nguyễn Văn &lt;Đức&gt; &amp; Co, &apos;trích&apos; &quot;dẫn&quot;", "&quot;A&amp;B&quot; &lt;Đức&gt;"} {
		if !strings.Contains(raw, esc) {
			t.Errorf("document.xml lacks %s", esc)
		}
	}
	// Word drops leading, trailing and repeated spaces ("Số      -QĐ")
	// without xml:space="preserve".
	if n, m := strings.Count(raw, "<w:t>")+strings.Count(raw, "<w:t "), strings.Count(raw, `<w:t xml:space="preserve">`); n != m {
		t.Errorf("%d of %d w:t elements lack xml:space=\"preserve\"", n-m, n)
	}
	if !norm.NFC.IsNormalString(raw) {
		t.Error("document.xml is not NFC")
	}
	doc := parseDocument(t, parts["word/document.xml"])
	for _, want := range []string{
		"Gia Tường, ngày 05 tháng 11 năm 2026",
		"Nguyễn Văn An",
		`về việc kiểm tra đảng viên "A&B" <Đức>`,
		"Nguyễn Văn <Đức> & Co, 'trích' \"dẫn\" dòng hai\tcột",
		"in đậm thường",
	} {
		doc.find(t, want)
	}
	if got, want := doc.lines(), textLines(d); !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
		t.Errorf("DOCX lines %q\nText lines %q", got, want)
	}
	if !strings.Contains(Text(d), "Gia Tường, ngày") {
		t.Error("Text is not NFC")
	}
	// Invalid UTF-8 does not make invalid XML.
	d.Body = []Block{{Text: "bad \xff\xfe bytes"}}
	parseDocument(t, MustDOCX(t, d)["word/document.xml"]).find(t, "bad \uFFFD bytes")
}

func TestDOCXMarks(t *testing.T) {
	for _, tc := range []struct {
		name        string
		mark        string
		draft       bool
		wantMark    string
		wantDraft   bool
		wantNoMarks bool
	}{
		{name: "none", wantNoMarks: true},
		{name: "secret", mark: "MẬT", wantMark: "MẬT"},
		{name: "top secret and draft", mark: "Tối mật", draft: true, wantMark: "TỐI MẬT", wantDraft: true},
		{name: "draft", draft: true, wantDraft: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := exampleDecision()
			d.Mark, d.Draft = tc.mark, tc.draft
			doc := parseDocument(t, MustDOCX(t, d)["word/document.xml"])
			var boxed []string
			for _, p := range doc.paras {
				for _, r := range p.runs {
					if r.bordered {
						if !r.bold {
							t.Errorf("mark %q is not bold", r.text)
						}
						boxed = append(boxed, r.text)
					}
				}
			}
			var want []string
			if tc.wantMark != "" {
				want = append(want, tc.wantMark)
				_, p := doc.find(t, tc.wantMark)
				if p.table != 0 || p.row != 2 || p.cell != 0 {
					t.Errorf("secrecy mark not under the number")
				}
			}
			if tc.wantDraft {
				want = append(want, DraftMark)
				_, p := doc.find(t, DraftMark)
				if p.table != 0 || p.row != 2 || p.cell != 1 {
					t.Errorf("draft mark not under the date")
				}
			}
			if !slices.Equal(boxed, want) {
				t.Errorf("boxed marks %q, want %q", boxed, want)
			}
		})
	}
}

func TestDOCXDeterministic(t *testing.T) {
	forEachExample(t, func(t *testing.T, d *Document) {
		var a, b bytes.Buffer
		if err := WriteDOCX(&a, d); err != nil {
			t.Fatal(err)
		}
		if err := WriteDOCX(&b, d); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Error("two renderings of the same document differ")
		}
	})
}

// TestDOCXWithoutSuperiorBody: the issuing body moves up to the first line.
func TestDOCXWithoutSuperiorBody(t *testing.T) {
	d := exampleDecision()
	d.SuperiorBody = ""
	doc := parseDocument(t, MustDOCX(t, d)["word/document.xml"])
	_, p := doc.find(t, "ỦY BAN KIỂM TRA ĐẢNG ỦY XÃ GIA TƯỜNG")
	if p.table != 0 || p.row != 0 || p.cell != 0 || !p.runs[0].bold {
		t.Errorf("issuing body at table %d row %d cell %d", p.table, p.row, p.cell)
	}
}
