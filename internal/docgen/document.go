// Package docgen renders official Party documents (văn bản của Đảng) in the
// layout of Hướng dẫn 36-HD/VPTW (RULES.md §10) as DOCX and PDF.
//
// The caller fills a [Document]; [WriteDOCX] and [WritePDF] lay it out on A4
// in Times New Roman (Liberation Serif, its metric twin, is embedded in the
// PDF), and [Text] returns the same text as plain lines for tests and search.
//
// # Layout
//
// The header is a borderless table of three rows and two columns:
//
//	ĐẢNG BỘ TỈNH NINH BÌNH            ĐẢNG CỘNG SẢN VIỆT NAM
//	ỦY BAN KIỂM TRA ĐẢNG ỦY           ‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾
//	    XÃ GIA TƯỜNG
//	         *
//	   Số 15-QĐ/UBKT          Gia Tường, ngày 05 tháng 11 năm 2026
//	       [MẬT]                                       [DỰ THẢO]
//
// The superior body (regular) shares the first line with the header (bold
// 15 pt, underlined by a rule as long as the text); the issuing body (bold)
// and the asterisk follow on the left; the number shares a row with the
// italic place and date, so both sit on one line as in the guidance's
// samples. The secrecy mark is boxed under the number, the draft mark boxed
// under the date. Then come the document type (bold 16 pt, centred), the
// summary (bold 14 pt, centred) with a "-----" rule, the body (14 pt,
// justified, first lines indented 1.27 cm), and a closing table with the
// recipients ("Nơi nhận:" 14 pt underlined, the list in 12 pt) on the left
// and the signature block on the right, side by side as in the guidance.
// Page numbers are centred at the top from page 2 on.
//
// # Text hygiene
//
// Every string is made valid UTF-8 and NFC; line breaks become spaces;
// other control characters except tab, and code points XML 1.0 forbids, are
// dropped. The bodies' names, the document type, the marks and the
// signature's capacity and title are put in capitals, as the guidance
// prints them, so callers may pass "Ủy ban Kiểm tra Đảng ủy xã Gia Tường".
package docgen

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"ktgs/internal/civil"
	"ktgs/internal/vn"
)

var errNilDocument = errors.New("docgen: nil document")

// PartyHeader is the first line of every Party document (component 1).
const PartyHeader = "ĐẢNG CỘNG SẢN VIỆT NAM"

// DraftMark is the text of the draft mark (optional component 11).
const DraftMark = "DỰ THẢO"

// RecipientsLabel introduces the recipients list (component 9).
const RecipientsLabel = "Nơi nhận:"

// Document is an official document in the Party format.
type Document struct {
	SuperiorBody string     // e.g. "ĐẢNG BỘ TỈNH NINH BÌNH" (may be empty)
	IssuingBody  string     // e.g. "ỦY BAN KIỂM TRA ĐẢNG ỦY XÃ GIA TƯỜNG"
	Number       string     // e.g. "Số 15-QĐ/UBKT"; "Số      -QĐ/UBKT" style blank for drafts is the caller's choice
	Place        string     // e.g. "Gia Tường"
	Date         civil.Date // zero: render "ngày     tháng     năm 20.." blanks
	Type         string     // "QUYẾT ĐỊNH" …
	Summary      string     // "về việc kiểm tra đảng viên khi có dấu hiệu vi phạm"
	Mark         string     // "", "MẬT", "TỐI MẬT"
	Draft        bool       // adds a visible "DỰ THẢO" mark
	Body         []Block
	Signature    Signature
	Recipients   []string // each rendered as "- …," lines under "Nơi nhận:" (last one "- Lưu …." is the caller's)
	// Footer, if set, is printed at the foot of every page (10 pt
	// italic, centred); see table.go.
	Footer string
}

// Block is a paragraph of the body.
type Block struct {
	Kind BlockKind // Paragraph, Heading, Centered or Item
	Text string
	Runs []Run // optional: mixed bold/italic runs instead of Text
	// Table is the table of a TableBlock (table.go).
	Table *Table
}

// Run is a piece of a [Block] with its own weight and slant.
type Run struct {
	Text         string
	Bold, Italic bool
}

// BlockKind says how a body [Block] is laid out.
type BlockKind int

const (
	// Paragraph is justified body text with the first line indented.
	Paragraph BlockKind = iota
	// Heading is a bold line such as "I. MỤC ĐÍCH, YÊU CẦU", kept with the
	// block after it.
	Heading
	// Centered is a bold centred line, such as "ỦY BAN KIỂM TRA … QUYẾT
	// ĐỊNH:" in a decision.
	Centered
	// Item is a numbered or bulleted line ("1. …", "- …"), indented as a
	// whole.
	Item
	// TableBlock is a ruled table (Block.Table).
	TableBlock
)

// Signature is the signing block (component 7).
type Signature struct {
	Capacity string // "T/M ỦY BAN KIỂM TRA" (may be empty for an individual signer)
	Title    string // "CHỦ NHIỆM" / "PHÓ CHỦ NHIỆM"
	Name     string // "Nguyễn Văn An" (empty on drafts)
}

// Text returns the document's text in reading order (header, body,
// signature, recipients), one line per block, for tests and search.
//
// The header comes in the order of RULES.md §10: "ĐẢNG CỘNG SẢN VIỆT NAM",
// superior body, issuing body, number, secrecy mark, place and date, draft
// mark, document type and summary. Layout ornaments (the asterisk under the
// issuing body, the rule under the summary) and empty fields are left out.
func Text(d *Document) string {
	if d == nil {
		return ""
	}
	v := newView(d)
	var b strings.Builder
	for _, l := range v.lines() {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// view is a Document with every string cleaned and every derived line
// (date, recipients) formatted: what both writers lay out.
type view struct {
	superior, issuing, number, mark, date, draft string
	typ, summary                                 string
	body                                         []vblock
	capacity, title, name                        string
	recipients                                   []string
	footer                                       string
}

// vblock is a cleaned body block: always a list of runs.
type vblock struct {
	kind  BlockKind
	runs  []Run
	table *vtable // TableBlock
}

func (b vblock) text() string {
	var s strings.Builder
	for _, r := range b.runs {
		s.WriteString(r.Text)
	}
	return s.String()
}

func newView(d *Document) *view {
	v := &view{
		superior: upper(d.SuperiorBody),
		issuing:  upper(d.IssuingBody),
		number:   clean(d.Number),
		mark:     upper(d.Mark),
		date:     dateLine(clean(d.Place), d.Date),
		typ:      upper(d.Type),
		summary:  clean(d.Summary),
		capacity: upper(d.Signature.Capacity),
		title:    upper(d.Signature.Title),
		name:     clean(d.Signature.Name),
		footer:   clean(d.Footer),
	}
	if d.Draft {
		v.draft = DraftMark
	}
	for _, blk := range d.Body {
		vb := vblock{kind: blk.Kind}
		if blk.Kind == TableBlock {
			if vb.table = newVTable(blk.Table); vb.table != nil {
				v.body = append(v.body, vb)
			}
			continue
		}
		if len(blk.Runs) == 0 {
			vb.runs = []Run{{Text: clean(blk.Text), Bold: blk.Kind == Heading || blk.Kind == Centered}}
		} else {
			for _, r := range blk.Runs {
				vb.runs = append(vb.runs, Run{Text: clean(r.Text), Bold: r.Bold, Italic: r.Italic})
			}
		}
		v.body = append(v.body, vb)
	}
	v.recipients = recipientLines(d.Recipients)
	return v
}

// lines returns the non-empty lines of the document in the order of [Text].
func (v *view) lines() []string {
	out := []string{PartyHeader}
	add := func(ss ...string) {
		for _, s := range ss {
			if strings.TrimSpace(s) != "" {
				out = append(out, s)
			}
		}
	}
	add(v.superior, v.issuing, v.number, v.mark, v.date, v.draft, v.typ, v.summary)
	for _, b := range v.body {
		if b.table != nil {
			add(b.table.lines()...)
			continue
		}
		add(b.text())
	}
	add(v.capacity, v.title, v.name)
	if len(v.recipients) > 0 {
		add(RecipientsLabel)
		add(v.recipients...)
	}
	add(v.footer)
	return out
}

// metaTitle is the title recorded in the files' metadata: type and summary.
func (v *view) metaTitle() string {
	return strings.TrimSpace(v.typ + " " + v.summary)
}

// dateLine formats component 4: "Gia Tường, ngày 05 tháng 11 năm 2026", or
// blanks to fill in by hand when the date is not known yet.
func dateLine(place string, d civil.Date) string {
	date := "ngày     tháng     năm 20.."
	if !d.IsZero() {
		date = vn.LongDate(d)
	}
	if place == "" {
		return "N" + date[1:]
	}
	return place + ", " + date
}

// recipientLines formats the recipients as "- Thường trực Đảng ủy," lines,
// the last ending with a full stop. A dash or closing punctuation the
// caller already wrote is kept.
func recipientLines(rs []string) []string {
	var out []string
	for _, r := range rs {
		if r = strings.TrimSpace(clean(r)); r != "" {
			out = append(out, r)
		}
	}
	for i, r := range out {
		if !strings.HasPrefix(r, "-") && !strings.HasPrefix(r, "–") {
			r = "- " + r
		}
		if !strings.ContainsAny(r[len(r)-1:], ",.;:") {
			if i == len(out)-1 {
				r += "."
			} else {
				r += ","
			}
		}
		out[i] = r
	}
	return out
}

// upper cleans s and puts it in capitals, as the guidance prints the
// bodies' names, the document type and the signing capacity.
func upper(s string) string {
	return norm.NFC.String(strings.ToUpper(clean(s)))
}

// clean makes s safe for both formats: valid UTF-8 in NFC, line breaks as
// spaces, no control characters except tab, and no code point that XML 1.0
// forbids (U+FFFE, U+FFFF). Runs of spaces are kept: blanks such as
// "Số      -QĐ/UBKT" are deliberate.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if !needsClean(s) && norm.NFC.IsNormalString(s) {
		return s
	}
	s = norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n"))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteRune(r)
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case unicode.IsControl(r), r == '\uFFFE', r == '\uFFFF':
		default:
			b.WriteRune(r)
		}
	}
	// Dropping a control character can bring a base letter next to a
	// combining mark that was kept apart from it.
	return norm.NFC.String(b.String())
}

func needsClean(s string) bool {
	for _, r := range s {
		if r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\uFFFE' || r == '\uFFFF') {
			return true
		}
	}
	return false
}
