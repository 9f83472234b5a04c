package docgen

// The PDF's small layout engine: paragraphs of styled runs broken into
// lines by measured width, justified or aligned, drawn word by word with
// fpdf (whose UTF-8 fonts do not support word spacing), with page breaks
// between lines and two-column rows for the header and closing tables.

import (
	"strings"

	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifbolditalic"
	"github.com/go-fonts/liberation/liberationserifitalic"
	"github.com/go-fonts/liberation/liberationserifregular"
	"github.com/go-pdf/fpdf"
)

// tstyle is a font selection.
type tstyle struct {
	bold, italic bool
	size         float64 // points
}

func (s tstyle) key() string {
	switch {
	case s.bold && s.italic:
		return "BI"
	case s.bold:
		return "B"
	case s.italic:
		return "I"
	}
	return ""
}

// prun is a run of text in one style.
type prun struct {
	text      string
	st        tstyle
	underline bool
}

const (
	alLeft = iota
	alCenter
	alRight
	alJustify
)

// ppara is a paragraph to lay out (the PDF's twin of the DOCX paragraph).
type ppara struct {
	runs               []prun
	align              int
	indLeft, firstLine float64 // mm
	before, after      float64 // mm
	spacing            float64 // line spacing multiple; 0 means single
	box                bool    // a frame around the text (secrecy and draft marks)
	rule               bool    // a rule under the text, as long as the text (the Party header)
	keepNext           bool
}

// pword is a word: pieces in possibly different styles, with the white
// space before it.
type pword struct {
	gap    float64
	pieces []ppiece
	w      float64
}

type ppiece struct {
	text      string
	st        tstyle
	underline bool
	w         float64
}

type pline struct {
	words []pword
	w     float64 // without leading gap
	first bool
	last  bool
}

// pdfw carries the writer's state: the fpdf document, the registered
// font styles and the current vertical position.
type pdfw struct {
	f     *fpdf.Fpdf
	fonts map[string]bool
	cur   tstyle
	set   bool
	y     float64
}

func (p *pdfw) font(st tstyle) {
	if p.set && p.cur == st {
		return
	}
	k := st.key()
	if !p.fonts[k] {
		var ttf []byte
		switch k {
		case "BI":
			ttf = liberationserifbolditalic.TTF
		case "B":
			ttf = liberationserifbold.TTF
		case "I":
			ttf = liberationserifitalic.TTF
		default:
			ttf = liberationserifregular.TTF
		}
		p.f.AddUTF8FontFromBytes(fontFamily, k, ttf)
		p.fonts[k] = true
	}
	p.f.SetFont(fontFamily, k, st.size)
	p.cur, p.set = st, true
}

func (p *pdfw) width(st tstyle, s string) float64 {
	p.font(st)
	return p.f.GetStringWidth(s)
}

// pdfText prepares cleaned text for fpdf: a tab becomes four spaces, and a
// character outside the Basic Multilingual Plane, which fpdf cannot map,
// becomes U+FFFD.
func pdfText(s string) string {
	if !strings.ContainsAny(s, "\t") && isBMP(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteString("    ")
		case r > 0xFFFF:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isBMP(s string) bool {
	for _, r := range s {
		if r > 0xFFFF {
			return false
		}
	}
	return true
}

// words splits the runs into words at spaces; a word may span runs.
func (p *pdfw) words(runs []prun) []pword {
	var out []pword
	var cur *pword
	gap := 0.0
	for _, r := range runs {
		text := pdfText(r.text)
		start := -1
		flush := func(end int) {
			if start < 0 {
				return
			}
			s := text[start:end]
			pc := ppiece{text: s, st: r.st, underline: r.underline, w: p.width(r.st, s)}
			if cur == nil {
				out = append(out, pword{gap: gap})
				cur = &out[len(out)-1]
				gap = 0
			}
			cur.pieces = append(cur.pieces, pc)
			cur.w += pc.w
			start = -1
		}
		for i, c := range text {
			if c == ' ' {
				flush(i)
				cur = nil
				gap += p.width(r.st, " ")
				continue
			}
			if start < 0 {
				start = i
			}
		}
		flush(len(text))
	}
	return out
}

// layout breaks the paragraph into lines that fit width (mm).
func (p *pdfw) layout(pp *ppara, width float64) []pline {
	ws := p.words(pp.runs)
	var lines []pline
	cur := pline{first: true}
	avail := func(l *pline) float64 {
		a := width - pp.indLeft
		if l.first {
			a -= pp.firstLine
		}
		return a
	}
	for _, w := range ws {
		if len(cur.words) == 0 {
			w.gap = 0
		}
		if len(cur.words) > 0 && cur.w+w.gap+w.w > avail(&cur)+1e-6 {
			lines = append(lines, cur)
			cur = pline{}
			w.gap = 0
		}
		// A word longer than a whole line is cut where it must be.
		for len(cur.words) == 0 && w.w > avail(&cur)+1e-6 && runeCount(w) > 1 {
			head, tail := p.splitWord(w, avail(&cur))
			cur.words, cur.w = []pword{head}, head.w
			lines = append(lines, cur)
			cur, w = pline{}, tail
		}
		cur.words = append(cur.words, w)
		cur.w += w.gap + w.w
	}
	lines = append(lines, cur)
	lines[len(lines)-1].last = true
	return lines
}

func runeCount(w pword) int {
	n := 0
	for _, pc := range w.pieces {
		n += len([]rune(pc.text))
	}
	return n
}

// splitWord cuts w into a head no wider than max (at least one rune) and
// the tail.
func (p *pdfw) splitWord(w pword, max float64) (pword, pword) {
	var head, tail pword
	full := false
	for _, pc := range w.pieces {
		if full {
			tail.pieces = append(tail.pieces, pc)
			tail.w += pc.w
			continue
		}
		rs := []rune(pc.text)
		n := 0
		for n < len(rs) {
			cw := p.width(pc.st, string(rs[n]))
			if head.w+cw > max && (head.w > 0 || n > 0) {
				break
			}
			head.w += cw
			n++
		}
		if n > 0 {
			hp := pc
			hp.text = string(rs[:n])
			hp.w = p.width(pc.st, hp.text)
			head.pieces = append(head.pieces, hp)
		}
		if n < len(rs) {
			tp := pc
			tp.text = string(rs[n:])
			tp.w = p.width(pc.st, tp.text)
			tail.pieces = append(tail.pieces, tp)
			tail.w += tp.w
			full = true
		}
	}
	return head, tail
}

// lineHeight is the height in mm of one line of the paragraph.
func (pp *ppara) lineHeight() float64 {
	size := pp.maxSize()
	sp := pp.spacing
	if sp == 0 {
		sp = 1
	}
	return size * lineSingle * sp * ptMM
}

func (pp *ppara) maxSize() float64 {
	size := 0.0
	for _, r := range pp.runs {
		size = max(size, r.st.size)
	}
	if size == 0 {
		return sizeText
	}
	return size
}

// height is the paragraph's height in mm at width.
func (p *pdfw) height(pp *ppara, width float64) float64 {
	n := len(p.layout(pp, width))
	return pp.before + float64(n)*pp.lineHeight() + pp.after + pp.ruleSpace()
}

func (pp *ppara) ruleSpace() float64 {
	if pp.rule {
		return 1
	}
	return 0
}

// drawParaAt draws the paragraph at (x, y) without page breaks and returns
// the y under it.
func (p *pdfw) drawParaAt(pp *ppara, x, width, y float64) float64 {
	y += pp.before
	lh := pp.lineHeight()
	for _, l := range p.layout(pp, width) {
		p.drawLine(pp, l, x, width, y, lh)
		y += lh
	}
	return y + pp.ruleSpace() + pp.after
}

// flow draws a body paragraph at the current position across the text
// width, breaking pages between lines.
func (p *pdfw) flow(pp *ppara) {
	lh := pp.lineHeight()
	lines := p.layout(pp, textW)
	if p.y+pp.before+lh > pageH-marginB {
		p.newPage()
	} else {
		p.y += pp.before
	}
	for _, l := range lines {
		if p.y+lh > pageH-marginB+1e-6 {
			p.newPage()
		}
		p.drawLine(pp, l, marginL, textW, p.y, lh)
		p.y += lh
	}
	p.y += pp.after
}

func (p *pdfw) newPage() {
	p.f.AddPage()
	p.set = false // AddPage restores the font; select ours again on use
	p.y = marginT
}

// drawLine draws one laid-out line whose box starts at (x, top) in a
// column of width.
func (p *pdfw) drawLine(pp *ppara, l pline, x, width, top, lh float64) {
	if len(l.words) == 0 {
		return
	}
	size := pp.maxSize() * ptMM
	base := top + (lh-(fontAscent+fontDescent)*size)/2 + fontAscent*size
	left := x + pp.indLeft
	avail := width - pp.indLeft
	if l.first {
		left += pp.firstLine
		avail -= pp.firstLine
	}
	extra := 0.0
	switch pp.align {
	case alCenter:
		left += (avail - l.w) / 2
	case alRight:
		left += avail - l.w
		if pp.box {
			left -= boxPad // keep the frame inside the margin
		}
	case alJustify:
		if !l.last && len(l.words) > 1 {
			extra = (avail - l.w) / float64(len(l.words)-1)
		}
	}
	cx := left
	for i, w := range l.words {
		if i > 0 {
			cx += w.gap + extra
		}
		for _, pc := range w.pieces {
			p.font(pc.st)
			p.f.Text(cx, base, pc.text)
			if pc.underline {
				p.rule(cx, base+0.12*pc.st.size*ptMM, pc.w)
			}
			cx += pc.w
		}
	}
	if pp.box {
		p.f.SetLineWidth(0.3)
		p.f.Rect(left-boxPad, top-0.2, l.w+2*boxPad, lh+0.4, "D")
	}
	if pp.rule {
		p.f.SetLineWidth(0.3)
		p.f.Line(left, top+lh+0.4, left+l.w, top+lh+0.4)
	}
}

func (p *pdfw) rule(x, y, w float64) {
	p.f.SetLineWidth(0.05 * sizeText * ptMM)
	p.f.Line(x, y, x+w, y)
}

// column is a table cell: paragraphs stacked at a given x and width.
type column struct {
	x, w  float64
	paras []ppara
}

func (p *pdfw) columnHeight(c column) float64 {
	h := 0.0
	for i := range c.paras {
		h += p.height(&c.paras[i], c.w)
	}
	return h
}

func (p *pdfw) drawColumn(c column, y float64) {
	for i := range c.paras {
		y = p.drawParaAt(&c.paras[i], c.x, c.w, y)
	}
}

// row draws columns side by side from the current position and moves
// under the tallest.
func (p *pdfw) row(cols ...column) {
	h := 0.0
	for _, c := range cols {
		h = max(h, p.columnHeight(c))
	}
	for _, c := range cols {
		p.drawColumn(c, p.y)
	}
	p.y += h
}

func textPara(s string, st tstyle, align int) ppara {
	return ppara{runs: []prun{{text: s, st: st}}, align: align}
}
