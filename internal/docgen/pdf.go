package docgen

// Modules used here (to be recorded in docs/ARCHITECTURE.md):
//
//   - github.com/go-pdf/fpdf v0.9.0 (MIT): the PDF writer, the maintained
//     fork of gofpdf. It embeds a TrueType font from bytes as a subset
//     (AddUTF8FontFromBytes, /FontFile2, ToUnicode map, so the text can be
//     extracted), sets the metadata, and can write deterministic files
//     (fixed creation date, sorted catalog). Pure Go. Its repository was
//     archived in 2025; v0.9.0 is feature-complete for this use.
//   - github.com/go-fonts/liberation v0.3.3 (BSD-3 packages, SIL OFL fonts):
//     Liberation Serif 2.1.4 as Go byte slices. It is metric-compatible with
//     Times New Roman, which HD 36 asks for, and covers every Vietnamese
//     letter; embedding it keeps the PDF independent of the server's fonts.
//     Only the styles a document uses are registered and embedded.

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/go-pdf/fpdf"
)

// Page geometry in millimetres, the same as the DOCX's.
const (
	pageW, pageH    = 210.0, 297.0
	marginL         = 30.0
	marginR         = 15.0
	marginT         = 20.0
	marginB         = 20.0
	textW           = pageW - marginL - marginR
	headLeftW       = 75.0
	headRightW      = textW - headLeftW
	closeLeftW      = 80.0
	closeRightW     = textW - closeLeftW
	indentMM        = 12.7
	pageNumberTop   = 10.0
	ptMM            = 25.4 / 72
	fontFamily      = "LiberationSerif"
	lineSingle      = 1.15  // Times New Roman's line height in em (ascent + descent + gap)
	fontAscent      = 0.891 // in em
	fontDescent     = 0.216 // in em
	bodyLineSpacing = 1.15  // "multiple 1.15", as in the DOCX
	boxPad          = 1.2   // mm between a mark and its frame
)

// WritePDF writes d as a PDF to w: A4, Liberation Serif embedded, long
// lines wrapped and justified, page breaks, page numbers from page 2. The
// output is deterministic: its dates come from d.Date and its objects are
// written in a fixed order, so the same Document gives the same bytes.
func WritePDF(w io.Writer, d *Document) error {
	if d == nil {
		return errNilDocument
	}
	v := newView(d)
	f := fpdf.New("P", "mm", "A4", "")
	p := &pdfw{f: f, fonts: map[string]bool{}}

	stamp := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if !d.Date.IsZero() {
		stamp = d.Date.Time()
	}
	f.SetCatalogSort(true)
	f.SetCreationDate(stamp)
	f.SetModificationDate(stamp)
	f.SetTitle(pdfText(v.metaTitle()), true)
	f.SetSubject(pdfText(v.metaTitle()), true)
	f.SetAuthor(pdfText(v.issuing), true)
	f.SetCreator("KTGS", true)
	f.SetProducer("KTGS docgen", true)
	f.SetLang("vi-VN")
	f.SetMargins(marginL, marginT, marginR)
	f.SetAutoPageBreak(false, marginB)
	f.SetHeaderFunc(func() {
		if n := f.PageNo(); n > 1 {
			pp := ppara{runs: []prun{{text: strconv.Itoa(n), st: tstyle{size: sizeText}}}, align: alCenter}
			p.drawParaAt(&pp, marginL, textW, pageNumberTop)
		}
	})
	if v.footer != "" {
		f.SetFooterFunc(func() { p.pdfFooter(v.footer) })
	}
	f.AddPage()
	p.y = marginT

	p.header(v)
	p.titleBlock(v)
	left, right, ok := closingColumns(v)
	closingH := 0.0
	if ok {
		closingH = closingGap + max(p.columnHeight(left), p.columnHeight(right))
	}
	p.body(v, closingH)
	if ok {
		p.closing(left, right)
	}

	if err := f.Output(w); err != nil {
		return fmt.Errorf("docgen: pdf: %w", err)
	}
	return nil
}

func (p *pdfw) header(v *view) {
	reg := tstyle{size: sizeText}
	bold := tstyle{bold: true, size: sizeText}
	left := func(paras ...ppara) column { return column{x: marginL, w: headLeftW, paras: paras} }
	right := func(paras ...ppara) column { return column{x: marginL + headLeftW, w: headRightW, paras: paras} }

	head := textPara(PartyHeader, tstyle{bold: true, size: sizeHeader}, alCenter)
	head.rule = true
	if v.superior == "" {
		p.row(left(textPara(v.issuing, bold, alCenter)), right(head))
		p.row(left(textPara("*", reg, alCenter)))
	} else {
		p.row(left(textPara(v.superior, reg, alCenter)), right(head))
		p.row(left(textPara(v.issuing, bold, alCenter), textPara("*", reg, alCenter)))
	}

	l := left(textPara(v.number, reg, alCenter))
	if v.mark != "" {
		m := textPara(v.mark, bold, alCenter)
		m.box, m.before = true, 2
		l.paras = append(l.paras, m)
	}
	r := right(textPara(v.date, tstyle{italic: true, size: sizeText}, alRight))
	if v.draft != "" {
		m := textPara(v.draft, bold, alRight)
		m.box, m.before = true, 2
		r.paras = append(r.paras, m)
	}
	p.row(l, r)
}

func (p *pdfw) titleBlock(v *view) {
	if v.typ != "" {
		t := textPara(v.typ, tstyle{bold: true, size: sizeType}, alCenter)
		t.before = 18 * ptMM
		p.flow(&t)
	}
	if v.summary != "" {
		s := textPara(v.summary, tstyle{bold: true, size: sizeText}, alCenter)
		p.flow(&s)
		r := textPara("-----", tstyle{size: sizeText}, alCenter)
		p.flow(&r)
	}
	p.y += sizeText * lineSingle * ptMM
}

// bodyPara is the PDF paragraph of a body block (see bodyStyle).
func bodyPara(b vblock) ppara {
	pp := ppara{align: alJustify, after: 6 * ptMM, spacing: bodyLineSpacing}
	for _, r := range b.runs {
		pp.runs = append(pp.runs, prun{text: r.Text, st: tstyle{bold: r.Bold, italic: r.Italic, size: sizeText}})
	}
	switch b.kind {
	case Heading:
		pp.firstLine, pp.keepNext = indentMM, true
	case Centered:
		pp.align, pp.keepNext = alCenter, true
	case Item:
		pp.indLeft = indentMM
	default:
		pp.firstLine = indentMM
	}
	return pp
}

// body flows the body blocks. closingH is the height of the closing block,
// with which the last block is kept, as the DOCX keeps it with keepNext.
func (p *pdfw) body(v *view, closingH float64) {
	paras := make([]ppara, len(v.body))
	for i, b := range v.body {
		paras[i] = bodyPara(b)
	}
	const usable = pageH - marginT - marginB
	for i := range paras {
		if v.body[i].table != nil {
			p.pdfTable(v.body[i].table)
			continue
		}
		pp := &paras[i]
		need := 0.0
		switch {
		case pp.keepNext && i+1 < len(paras):
			// A heading goes with the first line of what follows it.
			next := &paras[i+1]
			need = p.height(pp, textW) + next.before + next.lineHeight()
		case i == len(paras)-1 && closingH > 0:
			// The signature never stands alone on a page.
			need = p.height(pp, textW) + closingH
		}
		if need > 0 && need <= usable && p.y > marginT && p.y+need > pageH-marginB {
			p.newPage()
		}
		p.flow(pp)
	}
}

// closingGap is the space between the body and the closing block.
const closingGap = sizeText * lineSingle * ptMM

// closingColumns lays out the recipients (left) and the signature (right);
// ok is false when there is neither.
func closingColumns(v *view) (left, right column, ok bool) {
	if len(v.recipients) == 0 && v.capacity == "" && v.title == "" && v.name == "" {
		return left, right, false
	}
	left = column{x: marginL, w: closeLeftW}
	if len(v.recipients) > 0 {
		lab := textPara(RecipientsLabel, tstyle{size: sizeText}, alLeft)
		lab.runs[0].underline = true
		left.paras = append(left.paras, lab)
		for _, r := range v.recipients {
			left.paras = append(left.paras, textPara(r, tstyle{size: sizeRecipients}, alLeft))
		}
	}
	right = column{x: marginL + closeLeftW, w: closeRightW}
	sig := tstyle{bold: true, size: sizeText}
	for _, s := range []string{v.capacity, v.title} {
		if s != "" {
			right.paras = append(right.paras, textPara(s, sig, alCenter))
		}
	}
	name := textPara(v.name, sig, alCenter)
	name.before = 25 // room for the signature and the seal
	right.paras = append(right.paras, name)
	return left, right, true
}

// closing draws the recipients and the signature side by side, on a new
// page if they do not fit under the body.
func (p *pdfw) closing(left, right column) {
	h := max(p.columnHeight(left), p.columnHeight(right))
	if p.y+closingGap+h > pageH-marginB && h <= pageH-marginT-marginB {
		p.newPage()
	} else {
		p.y += closingGap
	}
	if h <= pageH-marginT-marginB {
		p.row(left, right)
		return
	}
	// A list too long for a page: the signature first, then the list
	// flowing across pages.
	p.row(right)
	for _, pp := range left.paras {
		p.flow(&pp)
	}
}
