package docgen

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
)

// Page geometry in twentieths of a point (twips): A4 and the margins of
// Hướng dẫn 36-HD/VPTW (top and bottom 20–25 mm, left 30–35 mm, right
// 15–20 mm), at the small end of each range.
const (
	pageWidthTw    = 11906 // 210 mm
	pageHeightTw   = 16838 // 297 mm
	marginTopTw    = 1134  // 20 mm
	marginBottomTw = 1134  // 20 mm
	marginLeftTw   = 1701  // 30 mm
	marginRightTw  = 850   // 15 mm
	headerDistTw   = 567   // 10 mm: the page number above the text
	textWidthTw    = pageWidthTw - marginLeftTw - marginRightTw

	// The header table: the issuing side on the left, the Party header,
	// place and date on the right.
	headLeftTw  = 4252 // 75 mm
	headRightTw = textWidthTw - headLeftTw
	// The closing table: recipients on the left, signature on the right.
	closeLeftTw  = 4536 // 80 mm
	closeRightTw = textWidthTw - closeLeftTw

	indentTw = 720 // 1.27 cm: first-line indent of body paragraphs
)

// Type sizes in points (RULES.md §10).
const (
	sizeHeader     = 15 // ĐẢNG CỘNG SẢN VIỆT NAM
	sizeText       = 14 // bodies, number, date, summary, body, signature
	sizeType       = 16 // QUYẾT ĐỊNH, THÔNG BÁO …
	sizeRecipients = 12 // the list under "Nơi nhận:"
)

// headerWidthPt is the advance width of [PartyHeader] in Times New Roman
// Bold (and Liberation Serif Bold, its metric twin) at 15 pt; a test checks
// it against the embedded font. The DOCX draws the rule under the header as
// a paragraph border between indents that leave exactly this width (plus
// headerSlackPt, so that a substitute font a little wider does not wrap).
const (
	headerWidthPt = 206.66
	headerSlackPt = 2
)

const fontName = "Times New Roman"

// rstyle is the formatting of one DOCX run.
type rstyle struct {
	bold, italic, underline, box bool
	size                         int // points
}

// pstyle is the formatting of one DOCX paragraph.
type pstyle struct {
	align             string // "left", "center", "right", "both"
	indLeft, indRight int    // twips
	firstLine         int    // twips
	before, after     int    // twips
	line              int    // 240ths of a line (auto); 0 for single
	keepNext          bool
	bottomRule        bool // a solid rule under the paragraph, between its indents
}

// WriteDOCX writes d as a Word document (OOXML, .docx) to w.
//
// The package is built by hand with archive/zip: [Content_Types].xml, the
// relationships, word/document.xml, styles.xml, settings.xml, a page-number
// header from page 2, and docProps/core.xml and app.xml. Output is
// deterministic: the same Document gives the same bytes.
func WriteDOCX(w io.Writer, d *Document) error {
	if d == nil {
		return errNilDocument
	}
	v := newView(d)
	stamp := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	if !d.Date.IsZero() {
		stamp = d.Date.Time()
	}
	parts := []struct {
		name string
		body []byte
	}{
		{"[Content_Types].xml", []byte(contentTypesXML)},
		{"_rels/.rels", []byte(rootRelsXML)},
		{"word/document.xml", documentXML(v)},
		{"word/_rels/document.xml.rels", []byte(documentRelsXML)},
		{"word/styles.xml", []byte(stylesXML)},
		{"word/settings.xml", []byte(settingsXML)},
		{"word/header1.xml", pageNumberHeaderXML()},
		{"word/header2.xml", []byte(emptyHeaderXML)},
		{"docProps/core.xml", coreXML(v, d)},
		{"docProps/app.xml", []byte(appXML)},
	}
	if v.footer != "" {
		// The footer part, its relationship and content type are only
		// written when there is a footer: other documents keep their bytes.
		parts[0].body = []byte(strings.Replace(contentTypesXML, `</Types>`, footerContentType+`</Types>`, 1))
		parts[3].body = []byte(strings.Replace(documentRelsXML, `</Relationships>`, footerRel+`</Relationships>`, 1))
		parts = append(parts, struct {
			name string
			body []byte
		}{"word/footer1.xml", footerXML(v.footer)})
	}
	zw := zip.NewWriter(w)
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return fmt.Errorf("docgen: docx %s: %w", p.name, err)
		}
		if _, err := f.Write(p.body); err != nil {
			return fmt.Errorf("docgen: docx %s: %w", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("docgen: docx: %w", err)
	}
	return nil
}

const xmlDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const nsW = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// docx is a buffer for word/document.xml and its helpers.
type docx struct{ bytes.Buffer }

func documentXML(v *view) []byte {
	var x docx
	x.WriteString(xmlDecl)
	x.WriteString(`<w:document ` + nsW + `><w:body>`)
	x.headerTable(v)

	// Document type, summary and the rule under it.
	if v.typ != "" {
		x.para(pstyle{align: "center", before: 360}, rstyle{bold: true, size: sizeType}, v.typ)
	}
	if v.summary != "" {
		x.para(pstyle{align: "center"}, rstyle{bold: true, size: sizeText}, v.summary)
		x.para(pstyle{align: "center"}, rstyle{size: sizeText}, "-----")
	}
	x.para(pstyle{}, rstyle{size: sizeText}, "")

	for i, b := range v.body {
		if b.table != nil {
			x.dataTable(b.table)
			continue
		}
		ps := bodyStyle(b.kind)
		ps.keepNext = ps.keepNext || i == len(v.body)-1 // keep the last lines with the signature
		x.runs(ps, b.runs)
	}
	x.closingTable(v)
	// Word wants a paragraph after a table that ends the body; a 1 pt one
	// cannot spill onto a page of its own.
	x.para(pstyle{}, rstyle{size: 1}, "")

	x.WriteString(`<w:sectPr>`)
	x.WriteString(`<w:headerReference w:type="default" r:id="rIdHeaderPage"/>`)
	x.WriteString(`<w:headerReference w:type="first" r:id="rIdHeaderFirst"/>`)
	if v.footer != "" {
		x.WriteString(footerRefs)
	}
	fmt.Fprintf(&x, `<w:pgSz w:w="%d" w:h="%d" w:orient="portrait"/>`, pageWidthTw, pageHeightTw)
	fmt.Fprintf(&x, `<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="%d" w:footer="%d" w:gutter="0"/>`,
		marginTopTw, marginRightTw, marginBottomTw, marginLeftTw, headerDistTw, headerDistTw)
	x.WriteString(`<w:cols w:space="720"/><w:titlePg/><w:docGrid w:linePitch="360"/></w:sectPr>`)
	x.WriteString(`</w:body></w:document>`)
	return x.Bytes()
}

// bodyStyle is the paragraph layout of a body block: 6 pt after, line
// spacing 1.15.
func bodyStyle(k BlockKind) pstyle {
	base := pstyle{align: "both", after: 120, line: 276}
	switch k {
	case Heading:
		base.firstLine, base.keepNext = indentTw, true
	case Centered:
		base.align, base.keepNext = "center", true
	case Item:
		base.indLeft = indentTw
	default:
		base.firstLine = indentTw
	}
	return base
}

// headerTable writes components 1–4 and the marks: three rows of a
// borderless two-column table (see the package documentation).
func (x *docx) headerTable(v *view) {
	x.tableStart(headLeftTw, headRightTw)
	cell := pstyle{align: "center"}
	text := rstyle{size: sizeText}
	bold := rstyle{bold: true, size: sizeText}

	// Row 1: superior body | ĐẢNG CỘNG SẢN VIỆT NAM with its rule. Without
	// a superior body the issuing body takes its place on the first line.
	issuingFirst := v.superior == ""
	x.rowStart(false)
	x.cellStart(headLeftTw)
	if issuingFirst {
		x.para(cell, bold, v.issuing)
	} else {
		x.para(cell, text, v.superior)
	}
	x.cellEnd()
	x.cellStart(headRightTw)
	ruleWidth := headerWidthPt + headerSlackPt // points
	side := (headRightTw - int(ruleWidth*20)) / 2
	x.para(pstyle{align: "center", indLeft: side, indRight: side, bottomRule: true},
		rstyle{bold: true, size: sizeHeader}, PartyHeader)
	x.cellEnd()
	x.rowEnd()

	// Row 2: issuing body and the asterisk | nothing.
	x.rowStart(false)
	x.cellStart(headLeftTw)
	if !issuingFirst {
		x.para(cell, bold, v.issuing)
	}
	x.para(cell, text, "*")
	x.cellEnd()
	x.cellStart(headRightTw)
	x.para(cell, text, "")
	x.cellEnd()
	x.rowEnd()

	// Row 3: number and secrecy mark | place, date and draft mark.
	x.rowStart(false)
	x.cellStart(headLeftTw)
	x.para(cell, text, v.number)
	if v.mark != "" {
		x.para(pstyle{align: "center", before: 120}, rstyle{bold: true, box: true, size: sizeText}, v.mark)
	}
	x.cellEnd()
	x.cellStart(headRightTw)
	x.para(pstyle{align: "right"}, rstyle{italic: true, size: sizeText}, v.date)
	if v.draft != "" {
		x.para(pstyle{align: "right", before: 120}, rstyle{bold: true, box: true, size: sizeText}, v.draft)
	}
	x.cellEnd()
	x.rowEnd()
	x.WriteString(`</w:tbl>`)
}

// closingTable writes components 7 and 9 side by side: recipients on the
// left, the signature block on the right, in one row that never splits
// across pages.
func (x *docx) closingTable(v *view) {
	if len(v.recipients) == 0 && v.capacity == "" && v.title == "" && v.name == "" {
		return
	}
	x.para(pstyle{keepNext: true}, rstyle{size: sizeText}, "")
	x.tableStart(closeLeftTw, closeRightTw)
	x.rowStart(true)
	x.cellStart(closeLeftTw)
	if len(v.recipients) > 0 {
		x.para(pstyle{align: "left"}, rstyle{underline: true, size: sizeText}, RecipientsLabel)
		for _, r := range v.recipients {
			x.para(pstyle{align: "left"}, rstyle{size: sizeRecipients}, r)
		}
	} else {
		x.para(pstyle{}, rstyle{size: sizeText}, "")
	}
	x.cellEnd()
	x.cellStart(closeRightTw)
	sig := rstyle{bold: true, size: sizeText}
	first := true
	for _, s := range []string{v.capacity, v.title} {
		if s != "" {
			x.para(pstyle{align: "center"}, sig, s)
			first = false
		}
	}
	if first {
		x.para(pstyle{}, rstyle{size: sizeText}, "")
	}
	// Room for the signature and the seal (components 7 and 8).
	if v.name != "" {
		x.para(pstyle{align: "center", before: 1417}, sig, v.name)
	} else {
		x.para(pstyle{align: "center", before: 1417}, sig, "")
	}
	x.cellEnd()
	x.rowEnd()
	x.WriteString(`</w:tbl>`)
}

func (x *docx) tableStart(left, right int) {
	x.WriteString(`<w:tbl><w:tblPr>`)
	fmt.Fprintf(x, `<w:tblW w:w="%d" w:type="dxa"/><w:tblInd w:w="0" w:type="dxa"/>`, left+right)
	x.WriteString(`<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>`)
	x.WriteString(`<w:tblLayout w:type="fixed"/>`)
	x.WriteString(`<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>`)
	x.WriteString(`<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>`)
	fmt.Fprintf(x, `</w:tblPr><w:tblGrid><w:gridCol w:w="%d"/><w:gridCol w:w="%d"/></w:tblGrid>`, left, right)
}

func (x *docx) rowStart(cantSplit bool) {
	x.WriteString(`<w:tr>`)
	if cantSplit {
		x.WriteString(`<w:trPr><w:cantSplit/></w:trPr>`)
	}
}

func (x *docx) rowEnd() { x.WriteString(`</w:tr>`) }

func (x *docx) cellStart(width int) {
	fmt.Fprintf(x, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, width)
}

func (x *docx) cellEnd() { x.WriteString(`</w:tc>`) }

// para writes a paragraph of one run.
func (x *docx) para(ps pstyle, rs rstyle, text string) {
	x.pStart(ps, rs.size)
	if text != "" {
		x.run(rs, text)
	}
	x.WriteString(`</w:p>`)
}

// runs writes a paragraph of several runs at body size.
func (x *docx) runs(ps pstyle, runs []Run) {
	x.pStart(ps, sizeText)
	for _, r := range runs {
		if r.Text != "" {
			x.run(rstyle{bold: r.Bold, italic: r.Italic, size: sizeText}, r.Text)
		}
	}
	x.WriteString(`</w:p>`)
}

// pStart opens a paragraph; size sets the paragraph mark's size, which
// decides the height of an empty paragraph.
func (x *docx) pStart(ps pstyle, size int) {
	x.WriteString(`<w:p><w:pPr>`)
	if ps.keepNext {
		x.WriteString(`<w:keepNext/>`)
	}
	if ps.bottomRule {
		x.WriteString(`<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="1" w:color="000000"/></w:pBdr>`)
	}
	line, rule := 240, "auto"
	if ps.line != 0 {
		line = ps.line
	}
	fmt.Fprintf(x, `<w:spacing w:before="%d" w:after="%d" w:line="%d" w:lineRule="%s"/>`, ps.before, ps.after, line, rule)
	if ps.indLeft != 0 || ps.indRight != 0 || ps.firstLine != 0 {
		fmt.Fprintf(x, `<w:ind w:left="%d" w:right="%d" w:firstLine="%d"/>`, ps.indLeft, ps.indRight, ps.firstLine)
	}
	align := ps.align
	if align == "" {
		align = "left"
	}
	fmt.Fprintf(x, `<w:jc w:val="%s"/>`, align)
	x.WriteString(`<w:rPr>`)
	x.rFonts()
	fmt.Fprintf(x, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, size*2, size*2)
	x.WriteString(`</w:rPr></w:pPr>`)
}

func (x *docx) rFonts() {
	x.WriteString(`<w:rFonts w:ascii="` + fontName + `" w:hAnsi="` + fontName + `" w:eastAsia="` + fontName + `" w:cs="` + fontName + `"/>`)
}

// run writes one run; a tab becomes <w:tab/>.
func (x *docx) run(rs rstyle, text string) {
	x.WriteString(`<w:r><w:rPr>`)
	x.rFonts()
	if rs.bold {
		x.WriteString(`<w:b/><w:bCs/>`)
	}
	if rs.italic {
		x.WriteString(`<w:i/><w:iCs/>`)
	}
	fmt.Fprintf(x, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, rs.size*2, rs.size*2)
	if rs.underline {
		x.WriteString(`<w:u w:val="single"/>`)
	}
	if rs.box {
		x.WriteString(`<w:bdr w:val="single" w:sz="8" w:space="2" w:color="000000"/>`)
	}
	x.WriteString(`</w:rPr>`)
	for i, part := range strings.Split(text, "\t") {
		if i > 0 {
			x.WriteString(`<w:tab/>`)
		}
		if part != "" {
			x.WriteString(`<w:t xml:space="preserve">`)
			escapeXML(&x.Buffer, part)
			x.WriteString(`</w:t>`)
		}
	}
	x.WriteString(`</w:r>`)
}

// escapeXML writes s with the XML-special characters escaped. s has been
// through clean, so it holds no character XML 1.0 forbids.
func escapeXML(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&quot;"
		case '\'':
			esc = "&apos;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// pageNumberHeaderXML is the header of pages 2 on: the page number, centred,
// 14 pt. The first page has the empty header2.xml (titlePg).
func pageNumberHeaderXML() []byte {
	var x docx
	x.WriteString(xmlDecl)
	x.WriteString(`<w:hdr ` + nsW + `>`)
	x.pStart(pstyle{align: "center"}, sizeText)
	field := func(inner string) {
		x.WriteString(`<w:r><w:rPr>`)
		x.rFonts()
		fmt.Fprintf(&x, `<w:sz w:val="%d"/><w:szCs w:val="%d"/></w:rPr>%s</w:r>`, sizeText*2, sizeText*2, inner)
	}
	field(`<w:fldChar w:fldCharType="begin"/>`)
	field(`<w:instrText xml:space="preserve"> PAGE </w:instrText>`)
	field(`<w:fldChar w:fldCharType="separate"/>`)
	field(`<w:t>2</w:t>`)
	field(`<w:fldChar w:fldCharType="end"/>`)
	x.WriteString(`</w:p></w:hdr>`)
	return x.Bytes()
}

const emptyHeaderXML = xmlDecl + `<w:hdr ` + nsW + `><w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:p></w:hdr>`

func coreXML(v *view, d *Document) []byte {
	var b bytes.Buffer
	b.WriteString(xmlDecl)
	b.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	b.WriteString(`<dc:title>`)
	escapeXML(&b, v.metaTitle())
	b.WriteString(`</dc:title><dc:creator>KTGS</dc:creator><cp:lastModifiedBy>KTGS</cp:lastModifiedBy><dc:language>vi-VN</dc:language>`)
	if !d.Date.IsZero() {
		ts := d.Date.Time().Format("2006-01-02T15:04:05Z")
		b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:created>`)
		b.WriteString(`<dcterms:modified xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:modified>`)
	}
	b.WriteString(`</cp:coreProperties>`)
	return b.Bytes()
}

const contentTypesXML = xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
	`<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const rootRelsXML = xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const documentRelsXML = xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
	`<Relationship Id="rIdHeaderPage" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>` +
	`<Relationship Id="rIdHeaderFirst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>` +
	`</Relationships>`

var stylesXML = xmlDecl + `<w:styles ` + nsW + `>` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` +
	`<w:rFonts w:ascii="` + fontName + `" w:hAnsi="` + fontName + `" w:eastAsia="` + fontName + `" w:cs="` + fontName + `"/>` +
	`<w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/>` +
	`</w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>` +
	`</w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>` +
	`<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>` +
	`</w:styles>`

const settingsXML = xmlDecl + `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:zoom w:percent="100"/>` +
	`<w:defaultTabStop w:val="720"/>` +
	`<w:characterSpacingControl w:val="doNotCompress"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`<w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/>` +
	`</w:settings>`

const appXML = xmlDecl + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
	`<Application>KTGS</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>` +
	`<Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>` +
	`<HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0000</AppVersion></Properties>`
