package docgen

import (
	"fmt"
	"strings"
)

// Tables and the footer: a report (báo cáo) carries its figures as a
// ruled table in the body, and a line in the footer of every page (KTGS
// prints the audit chain head there, so a paper copy names the state of
// the trail it was issued under).

// Table is a ruled table in the body: a header row in bold, then the
// rows. The first column is text (left aligned); the others are numbers
// (right aligned). Widths are fractions of the text width (equal when
// empty); a row with Bold set is printed in bold (a group heading), and
// Indent indents its first cell by that many steps.
type Table struct {
	Header []string
	Widths []float64
	Rows   []TableRow
}

// TableRow is one row of a [Table].
type TableRow struct {
	Cells  []string
	Bold   bool
	Indent int
}

// sizeTable is the type size of table cells.
const sizeTable = 12

// vtable is a cleaned table.
type vtable struct {
	header []string
	widths []float64 // fractions, summing to 1
	rows   []TableRow
}

func newVTable(t *Table) *vtable {
	if t == nil {
		return nil
	}
	n := len(t.Header)
	for _, r := range t.Rows {
		n = max(n, len(r.Cells))
	}
	if n == 0 {
		return nil
	}
	vt := &vtable{header: make([]string, n), widths: make([]float64, n)}
	for i := range n {
		if i < len(t.Header) {
			vt.header[i] = clean(t.Header[i])
		}
	}
	sum := 0.0
	for i := range n {
		if i < len(t.Widths) && t.Widths[i] > 0 {
			vt.widths[i] = t.Widths[i]
		} else {
			vt.widths[i] = 1 / float64(n)
		}
		sum += vt.widths[i]
	}
	for i := range vt.widths {
		vt.widths[i] /= sum
	}
	for _, r := range t.Rows {
		c := TableRow{Cells: make([]string, n), Bold: r.Bold, Indent: max(r.Indent, 0)}
		for i := range n {
			if i < len(r.Cells) {
				c.Cells[i] = clean(r.Cells[i])
			}
		}
		vt.rows = append(vt.rows, c)
	}
	return vt
}

// lines are the table's rows for [Text]: cells joined by " | ".
func (t *vtable) lines() []string {
	out := []string{strings.Join(t.header, " | ")}
	for _, r := range t.rows {
		out = append(out, strings.Join(r.Cells, " | "))
	}
	return out
}

// indentTableTw is one indent step of a table's first cell.
const indentTableTw = 240

// dataTable writes a ruled table (DOCX).
func (x *docx) dataTable(t *vtable) {
	widths := make([]int, len(t.widths))
	total := 0
	for i, w := range t.widths {
		widths[i] = int(w * textWidthTw)
		total += widths[i]
	}
	widths[0] += textWidthTw - total
	x.WriteString(`<w:tbl><w:tblPr>`)
	fmt.Fprintf(x, `<w:tblW w:w="%d" w:type="dxa"/><w:tblInd w:w="0" w:type="dxa"/>`, textWidthTw)
	x.WriteString(`<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders>`)
	x.WriteString(`<w:tblLayout w:type="fixed"/>`)
	x.WriteString(`<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/><w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>`)
	x.WriteString(`<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		fmt.Fprintf(x, `<w:gridCol w:w="%d"/>`, w)
	}
	x.WriteString(`</w:tblGrid>`)
	row := func(cells []string, bold, header bool, indent int) {
		x.WriteString(`<w:tr><w:trPr><w:cantSplit/>`)
		if header {
			x.WriteString(`<w:tblHeader/>`)
		}
		x.WriteString(`</w:trPr>`)
		for i, c := range cells {
			x.cellStart(widths[i])
			ps := pstyle{align: "right"}
			switch {
			case header:
				ps.align = "center"
			case i == 0:
				ps.align, ps.indLeft = "left", indent*indentTableTw
			}
			x.para(ps, rstyle{bold: bold || header, size: sizeTable}, c)
			x.cellEnd()
		}
		x.rowEnd()
	}
	row(t.header, true, true, 0)
	for _, r := range t.rows {
		row(r.Cells, r.Bold, false, r.Indent)
	}
	x.WriteString(`</w:tbl>`)
	// Word needs a paragraph between a table and what follows.
	x.para(pstyle{after: 120}, rstyle{size: sizeText}, "")
}

// footerXML is the footer of every page: the footer line, centred, 10 pt.
func footerXML(text string) []byte {
	var x docx
	x.WriteString(xmlDecl)
	x.WriteString(`<w:ftr ` + nsW + `>`)
	x.para(pstyle{align: "center"}, rstyle{size: sizeFooter, italic: true}, text)
	x.WriteString(`</w:ftr>`)
	return x.Bytes()
}

// sizeFooter is the footer's type size.
const sizeFooter = 10

const (
	footerRel         = `<Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>`
	footerContentType = `<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>`
	footerRefs        = `<w:footerReference w:type="default" r:id="rIdFooter"/><w:footerReference w:type="first" r:id="rIdFooter"/>`
)

// pdfTable draws a ruled table across the text width from the current
// position, breaking pages between rows and repeating the header row.
func (p *pdfw) pdfTable(t *vtable) {
	const pad = 1.2 // mm inside each cell
	widths := make([]float64, len(t.widths))
	for i, w := range t.widths {
		widths[i] = w * textW
	}
	cellPara := func(text string, bold bool, align int, indent int) ppara {
		pp := textPara(text, tstyle{bold: bold, size: sizeTable}, align)
		pp.indLeft = float64(indent) * indentTableTw / 20 * ptMM
		return pp
	}
	layout := func(cells []string, bold, header bool, indent int) ([]ppara, float64) {
		paras := make([]ppara, len(cells))
		h := 0.0
		for i, c := range cells {
			align := alRight
			ind := 0
			switch {
			case header:
				align = alCenter
			case i == 0:
				align, ind = alLeft, indent
			}
			paras[i] = cellPara(c, bold || header, align, ind)
			h = max(h, p.height(&paras[i], widths[i]-2*pad)+2*pad)
		}
		return paras, h
	}
	draw := func(paras []ppara, h float64) {
		x := marginL
		p.f.SetLineWidth(0.2)
		for i := range paras {
			p.f.Rect(x, p.y, widths[i], h, "D")
			p.drawParaAt(&paras[i], x+pad, widths[i]-2*pad, p.y+pad)
			x += widths[i]
		}
		p.y += h
	}
	head, hh := layout(t.header, true, true, 0)
	if p.y+2*hh > pageH-marginB {
		p.newPage()
	}
	draw(head, hh)
	for _, r := range t.rows {
		paras, h := layout(r.Cells, r.Bold, false, r.Indent)
		if p.y+h > pageH-marginB {
			p.newPage()
			draw(head, hh)
		}
		draw(paras, h)
	}
	p.y += 6 * ptMM
}

// pdfFooter draws the footer line under the text area of the current
// page.
func (p *pdfw) pdfFooter(text string) {
	pp := textPara(text, tstyle{italic: true, size: sizeFooter}, alCenter)
	p.drawParaAt(&pp, marginL, textW, pageH-marginB+4)
	p.set = false
}
