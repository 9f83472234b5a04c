package app

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"ktgs"
	"ktgs/internal/civil"
	"ktgs/internal/docgen"
	"ktgs/internal/i18n"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// The report's document (RULES.md §10, HD 36): the issuer block of the
// unit's commission, "Số NN-BC/…" and the date of submission, the title
// "BÁO CÁO" with the period, the narrative sections, the key indicators
// as a table (the unit as a whole and its own level), the signature
// block, and in the footer of every page the audit chain head (sequence
// and the first 16 hex digits of its hash) as it stood when the document
// was made: the submission's own audit entry, which records the files'
// hashes, follows that head.

// ReportAuditFooter is the footer line of a report document.
func ReportAuditFooter(seq int64, hash string) string {
	return fmt.Sprintf("Nhật ký kiểm toán KTGS: bản ghi số %d, mã băm %s", seq, shortHash(hash))
}

func shortHash(h string) string {
	if len(h) > 16 {
		return h[:16]
	}
	return h
}

// ReportTitle is the summary line of a report: what it reports on and the
// period.
func ReportTitle(series ktgs.ReportSeries, p ktgs.Period) string {
	what := "kết quả công tác kiểm tra, giám sát và thi hành kỷ luật đảng"
	if series == ktgs.SeriesKL34 {
		what = "kết quả thực hiện Kết luận số 34-KL/TW ngày 18/4/2022 của Bộ Chính trị về Chiến lược công tác kiểm tra, giám sát của Đảng đến năm 2030"
	}
	return what + " " + PeriodPhrase(p)
}

// PeriodPhrase names a reporting period in Vietnamese: "năm 2025",
// "6 tháng đầu năm 2026", "quý I năm 2026", "9 tháng năm 2026",
// "tháng 3 năm 2026".
func PeriodPhrase(p ktgs.Period) string {
	switch p.Kind {
	case ktgs.PeriodMonth:
		return fmt.Sprintf("tháng %d năm %d", p.Month, p.Year)
	case ktgs.PeriodQ1:
		return fmt.Sprintf("quý I năm %d", p.Year)
	case ktgs.PeriodH1:
		return fmt.Sprintf("6 tháng đầu năm %d", p.Year)
	case ktgs.PeriodM9:
		return fmt.Sprintf("9 tháng năm %d", p.Year)
	}
	return fmt.Sprintf("năm %d", p.Year)
}

// reportTableRows are the key indicators printed in the document: each
// available indicator's stage totals by kind of subject (depth 0, not
// the "of which" lines nor the breakdowns by body, form or cause).
func reportTableRows(f *ktgs.ReportFigures) []docgen.TableRow {
	cat := i18n.Default()
	var out []docgen.TableRow
	for _, ind := range ktgs.StatsIndicators {
		if !ind.Available() {
			continue
		}
		out = append(out, docgen.TableRow{Cells: []string{ind.Ref + ". " + cat.T("vi", ind.LabelKey()), "", ""}, Bold: true})
		for _, r := range ind.Rows() {
			if r.Depth != 0 || r.Committee || r.Group != "" {
				continue
			}
			label := cat.T("vi", r.LabelKey)
			if stage := "stats.stage." + strings.ToLower(string(r.Stage)); stage != r.LabelKey {
				label = cat.T("vi", stage) + ": " + label
			}
			c := f.Rows[r.Key]
			out = append(out, docgen.TableRow{Cells: []string{label, vn.Int(int64(c.Total), "vi"), vn.Int(int64(c.Own), "vi")}, Indent: 1})
		}
	}
	return out
}

// reportDocument builds the document of r (figures filled) for unit org
// and issuing body.
func reportDocument(ctx context.Context, tx *store.Tx, r *ktgs.PeriodicReport, org *ktgs.Org, body *ktgs.Body, draft bool) *docgen.Document {
	f := issuerFields(ctx, tx, body, org)
	doc := &docgen.Document{SuperiorBody: f.SuperiorBody, IssuingBody: f.IssuingBody, Number: r.NumberText, Place: f.Place,
		Type: "BÁO CÁO", Summary: ReportTitle(r.Series, r.Period), Draft: draft,
		Signature:  docgen.Signature{Capacity: f.Capacity, Title: f.SignerTitle},
		Recipients: []string{"Ủy ban Kiểm tra cấp trên", "Lưu"}, Footer: ReportAuditFooter(r.AuditSeq, r.AuditHash)}
	if !draft {
		doc.Date = r.SubmittedOn
	}
	if r.Series == ktgs.SeriesKL34 {
		doc.Recipients = []string{"Bộ Chính trị", "Ban Bí thư", "Lưu"}
	}
	if doc.Number == "" {
		doc.Number = "Số     -BC/" + issuerCode(body.Kind, org.Type)
	}
	if r.Version > 1 {
		doc.Body = append(doc.Body, docgen.Block{Kind: docgen.Paragraph, Runs: []docgen.Run{{Text: fmt.Sprintf(
			"(Báo cáo thay thế, lần %d)", r.Version), Italic: true}}})
	}
	doc.Body = append(doc.Body, docgen.Block{Kind: docgen.Paragraph, Text: fmt.Sprintf("Kỳ báo cáo: từ ngày %s đến ngày %s.",
		r.Period.From.VN(), r.Period.To.VN())})
	for _, k := range ktgs.ReportSections {
		doc.Body = append(doc.Body, docgen.Block{Kind: docgen.Heading, Text: ktgs.ReportSectionTitle[k]})
		text := strings.TrimSpace(r.Sections[k])
		if text == "" {
			text = "…"
		}
		for _, para := range strings.Split(text, "\n") {
			if para = strings.TrimSpace(para); para != "" {
				doc.Body = append(doc.Body, docgen.Block{Kind: docgen.Paragraph, Text: para})
			}
		}
	}
	if r.Figures != nil {
		doc.Body = append(doc.Body, docgen.Block{Kind: docgen.Heading, Text: "V. MỘT SỐ CHỈ TIÊU CHỦ YẾU"})
		doc.Body = append(doc.Body, docgen.Block{Kind: docgen.Paragraph, Runs: []docgen.Run{{Italic: true, Text: fmt.Sprintf(
			"Số liệu tổng hợp từ hệ thống KTGS ngày %s; đơn vị tính: lượt tổ chức đảng, lượt đảng viên, vụ việc.",
			civil.Of(r.Figures.TakenAt.In(Zone)).VN())}}})
		doc.Body = append(doc.Body, docgen.Block{Kind: docgen.TableBlock, Table: &docgen.Table{
			Header: []string{"Chỉ tiêu", "Toàn đảng bộ", "Cấp mình"}, Widths: []float64{0.64, 0.18, 0.18},
			Rows: reportTableRows(r.Figures)}})
	}
	return doc
}

// renderReportFiles renders r as DOCX and PDF.
func (s *Service) renderReportFiles(ctx context.Context, tx *store.Tx, r *ktgs.PeriodicReport, org *ktgs.Org, body *ktgs.Body, draft bool) (docx, pdf []byte, err error) {
	doc := reportDocument(ctx, tx, r, org, body, draft)
	var a, b bytes.Buffer
	if err := docgen.WriteDOCX(&a, doc); err != nil {
		return nil, nil, err
	}
	if err := docgen.WritePDF(&b, doc); err != nil {
		return nil, nil, err
	}
	return a.Bytes(), b.Bytes(), nil
}
