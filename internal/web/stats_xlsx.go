package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"ktgs"
	"ktgs/internal/app"
)

// The report as an XLSX workbook in form layout (GET /stats.xlsx).
//
// Sheet "Báo cáo" (Report): the title block (the unit, the Party's name,
// the date of export, the title, the unit, period and view lines), the
// header with merged cells ("Đơn vị trực thuộc" over the child units'
// columns, the other headers over two rows) and a row of column numbers,
// then one row per line of the page's table (indicators, stage and
// deciding-body headings, rows) with Vietnamese labels, numbers as
// numbers (format #,##0), "—" where not applicable, and the notices under
// the table. Rows 9–11 repeat on every printed page; A4 landscape, one
// page wide; the labels and the header are frozen. A hidden last column
// holds each row's key.
//
// Totals are formulas where, and only where, they hold:
//
//   - the total column is =SUM(own level … last child unit) of its row;
//   - a row whose rows below split it completely by one dimension — the
//     letters received or resolved by level, the complaints resolved by
//     outcome, the disciplined organisations or members by cause — is
//     =SUM of those rows in every other column (and in the total column
//     when there is no breakdown).
//
// Each formula is written only after checking that the engine's number
// equals the sum it stands for; otherwise the cell keeps the engine's
// number as a plain value. The engine counts records (lượt), not distinct
// subjects, and files every record under exactly one column, so the
// checks hold for every report it produces today; the check is what keeps
// the sheet honest if a count ever stops being additive (a distinct
// count, a record filed under the total only). Rows that are not sums of
// other rows (a stage's organisations and members, "of which committee
// members", the forms, which a proceeding without a form would not add
// up to) are values. The formulas carry the engine's number as their
// cached value, and the workbook asks to be recalculated on load.
//
// Sheet "Dữ liệu" (Data): one row per cell for machines: row key, column
// key, organisation code, count, not applicable.

const (
	statsHeadRow  = 9  // first header row
	statsNumRow   = 11 // the row of column numbers
	statsFirstRow = 12 // first table row
)

// statsXLSXStyles are the cell styles of the report sheet.
type statsXLSXStyles struct {
	party, title, line, lineLeft, italic, header, num, na, ind, bold int
	label, heading                                                   map[int]int // by indent
}

func statsStyles(f *excelize.File) (*statsXLSXStyles, error) {
	font := func(bold, italic bool, size float64) *excelize.Font {
		return &excelize.Font{Family: "Times New Roman", Size: size, Bold: bold, Italic: italic}
	}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	st := &statsXLSXStyles{label: map[int]int{}, heading: map[int]int{}}
	var err error
	mk := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(s)
		return id
	}
	st.party = mk(&excelize.Style{Font: font(true, false, 12), Alignment: center})
	st.title = mk(&excelize.Style{Font: font(true, false, 14), Alignment: center})
	st.line = mk(&excelize.Style{Font: font(false, false, 12), Alignment: center})
	st.lineLeft = mk(&excelize.Style{Font: font(false, false, 11), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	st.italic = mk(&excelize.Style{Font: font(false, true, 12), Alignment: center})
	st.bold = mk(&excelize.Style{Font: font(true, false, 11)})
	st.header = mk(&excelize.Style{Font: font(true, false, 11), Alignment: center, Border: border,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E9EE"}}})
	st.num = mk(&excelize.Style{Font: font(false, false, 11), Border: border, NumFmt: 3, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}})
	st.na = mk(&excelize.Style{Font: font(false, false, 11), Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	st.ind = mk(&excelize.Style{Font: font(true, false, 11), Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F4F5F7"}}})
	for i := 0; i <= 4; i++ {
		st.label[i] = mk(&excelize.Style{Font: font(false, false, 11), Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true, Indent: 2 * i}})
		st.heading[i] = mk(&excelize.Style{Font: font(true, true, 11), Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true, Indent: 2 * i}})
	}
	return st, err
}

// statsFamily returns, for each row key of rep that the rows below it
// split completely by one dimension (cause, level or outcome), the keys
// of those rows.
func statsFamily(rep *app.StatsReport) map[string][]string {
	type part struct {
		parent ktgs.StatsRow
		n      int // the dimension's number of values
	}
	parentOf := func(r ktgs.StatsRow) (part, bool) {
		p := r
		p.Key, p.Depth, p.LabelKey = "", 0, ""
		switch {
		case r.Cause != "" && r.Level == "" && r.Outcome == "":
			p.Cause = ""
			return part{p, len(ktgs.StatsCauses)}, true
		case r.Level != "" && r.Cause == "" && r.Outcome == "":
			p.Level = ""
			return part{p, len(ktgs.StatsLevels)}, true
		case r.Outcome != "" && r.Cause == "" && r.Level == "":
			p.Outcome = ""
			return part{p, len(ktgs.ComplaintOutcomes)}, true
		}
		return part{}, false
	}
	bare := map[ktgs.StatsRow]string{}
	for _, l := range rep.Rows {
		r := l.StatsRow
		r.Key, r.Depth, r.LabelKey = "", 0, ""
		bare[r] = l.Key
	}
	out := map[string][]string{}
	need := map[string]int{}
	for _, l := range rep.Rows {
		if p, ok := parentOf(l.StatsRow); ok {
			if key, ok := bare[p.parent]; ok {
				out[key] = append(out[key], l.Key)
				need[key] = p.n
			}
		}
	}
	for k, kids := range out {
		if len(kids) != need[k] {
			delete(out, k)
		}
	}
	return out
}

// statsWorkbook lays rep out as the workbook described above.
func (s *Server) statsWorkbook(lang string, rep *app.StatsReport) (*excelize.File, error) {
	t := func(k string, args ...any) string { return s.I18n.T(lang, k, args...) }
	tb := s.statsTableOf(lang, rep)
	f := excelize.NewFile()
	sh := t("stats.xlsx.sheet")
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return nil, err
	}
	st, err := statsStyles(f)
	if err != nil {
		return nil, err
	}
	nCols := 2 + len(tb.Cols) // TT, label, the numbers
	col := func(c int) string { n, _ := excelize.ColumnNumberToName(c); return n }
	cell := func(c, r int) string { return col(c) + strconv.Itoa(r) }
	last := col(nCols)
	keyCol := nCols + 1
	var ferr error
	set := func(c, r int, v any, style int) {
		if ferr != nil {
			return
		}
		if ferr = f.SetCellValue(sh, cell(c, r), v); ferr == nil && style != 0 {
			ferr = f.SetCellStyle(sh, cell(c, r), cell(c, r), style)
		}
	}
	merge := func(c1, r1, c2, r2 int, v any, style int) {
		set(c1, r1, v, style)
		if ferr == nil && (c1 != c2 || r1 != r2) {
			if ferr = f.MergeCell(sh, cell(c1, r1), cell(c2, r2)); ferr == nil && style != 0 {
				ferr = f.SetCellStyle(sh, cell(c1, r1), cell(c2, r2), style)
			}
		}
	}

	// The title block.
	merge(1, 1, 2, 1, strings.ToUpper(tb.Unit), st.party)
	merge(1, 2, 2, 2, "*", st.party)
	merge(3, 1, nCols, 1, t("stats.party"), st.party)
	merge(3, 2, nCols, 2, t("stats.line.exported", rep.GeneratedAt.In(app.Zone).Format("02/01/2006 15:04")), st.italic)
	merge(1, 4, nCols, 4, t("stats.report_title"), st.title)
	merge(1, 5, nCols, 5, t("stats.line.unit", tb.Unit), st.line)
	merge(1, 6, nCols, 6, t("stats.line.period", tb.PeriodText), st.line)
	merge(1, 7, nCols, 7, t("stats.line.view", tb.ViewText), st.italic)

	// The header.
	h1, h2 := statsHeadRow, statsHeadRow+1
	merge(1, h1, 1, h2, t("stats.col.ref"), st.header)
	merge(2, h1, 2, h2, t("stats.col.indicator"), st.header)
	firstChild := 0
	for j, c := range tb.Cols {
		if c.Child {
			if firstChild == 0 {
				firstChild = 3 + j
			}
			set(3+j, h2, c.Name, st.header)
			continue
		}
		merge(3+j, h1, 3+j, h2, c.Name, st.header)
	}
	if firstChild > 0 {
		merge(firstChild, h1, nCols, h1, t("stats.col.children"), st.header)
	}
	set(1, statsNumRow, "A", st.header)
	set(2, statsNumRow, "B", st.header)
	for j := range tb.Cols {
		set(3+j, statsNumRow, strconv.Itoa(j+1), st.header)
	}
	set(keyCol, h1, t("stats.col.row_key"), 0)

	// The rows, first placed, then written with their formulas.
	rowOf := map[string]int{}
	lineOf := map[string]*app.StatsLine{}
	r := statsFirstRow
	for _, sec := range tb.Sections {
		r++
		for _, ln := range sec.Lines {
			if !ln.Heading {
				rowOf[ln.Key], lineOf[ln.Key] = r, ln.Row
			}
			r++
		}
	}
	family := statsFamily(rep)
	// familyRange returns the rows of key's parts if they are contiguous.
	familyRange := func(key string) (int, int, bool) {
		kids := family[key]
		if len(kids) == 0 {
			return 0, 0, false
		}
		lo, hi := rowOf[kids[0]], rowOf[kids[0]]
		for _, k := range kids {
			lo, hi = min(lo, rowOf[k]), max(hi, rowOf[k])
		}
		return lo, hi, hi-lo+1 == len(kids)
	}
	r = statsFirstRow
	for _, sec := range tb.Sections {
		set(1, r, sec.Ref, st.ind)
		set(2, r, sec.Name, st.ind)
		for j := range tb.Cols {
			v := ""
			if j == 0 && !sec.Available {
				v = t("stats.unavailable")
			}
			set(3+j, r, v, st.ind)
		}
		r++
		for _, ln := range sec.Lines {
			if ln.Heading {
				set(1, r, "", st.heading[0])
				set(2, r, ln.Label, st.heading[min(ln.Indent, 4)])
				for j := range tb.Cols {
					set(3+j, r, "", st.heading[0])
				}
				r++
				continue
			}
			set(1, r, "", st.label[0])
			set(2, r, ln.Label, st.label[min(ln.Indent, 4)])
			set(keyCol, r, ln.Key, 0)
			lo, hi, fam := familyRange(ln.Key)
			for j, c := range ln.Row.Cells {
				if c.NA {
					set(3+j, r, statsNA, st.na)
					continue
				}
				set(3+j, r, c.Count, st.num)
				formula := ""
				if j == 0 && len(tb.Cols) > 1 {
					sum := 0
					for _, o := range ln.Row.Cells[1:] {
						sum += o.Count // "—" cells count 0, as in SUM
					}
					if sum == c.Count {
						formula = fmt.Sprintf("SUM(%s:%s)", cell(4, r), cell(nCols, r))
					}
				}
				if formula == "" && fam {
					sum, ok := 0, true
					for _, k := range family[ln.Key] {
						kc := lineOf[k].Cells[j]
						sum += kc.Count
						ok = ok && !kc.NA
					}
					if ok && sum == c.Count {
						formula = fmt.Sprintf("SUM(%s:%s)", cell(3+j, lo), cell(3+j, hi))
					}
				}
				if formula != "" && ferr == nil {
					ferr = f.SetCellFormula(sh, cell(3+j, r), formula)
				}
			}
			r++
		}
	}
	// The notices and the note on formulas.
	r++
	set(2, r, t("stats.notices"), st.bold)
	r++
	for _, n := range append(tb.Notices, t("stats.xlsx.note")) {
		merge(2, r, nCols, r, n, st.lineLeft)
		if ferr == nil {
			ferr = f.SetRowHeight(sh, r, 30)
		}
		r++
	}
	if ferr != nil {
		return nil, ferr
	}

	// Widths, frozen panes, printing.
	if err := f.SetColWidth(sh, "A", "A", 6); err != nil {
		return nil, err
	}
	if err := f.SetColWidth(sh, "B", "B", 58); err != nil {
		return nil, err
	}
	if err := f.SetColWidth(sh, "C", last, 13); err != nil {
		return nil, err
	}
	if err := f.SetColVisible(sh, col(keyCol), false); err != nil {
		return nil, err
	}
	if err := f.SetRowHeight(sh, h2, 48); err != nil {
		return nil, err
	}
	if err := f.SetRowHeight(sh, 4, 24); err != nil {
		return nil, err
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: statsNumRow, TopLeftCell: cell(3, statsFirstRow), ActivePane: "bottomRight"}); err != nil {
		return nil, err
	}
	a4, landscape, one, zero := 9, "landscape", 1, 0
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return nil, err
	}
	fit := true
	if err := f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return nil, err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sh,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sh, statsHeadRow, statsNumRow)}); err != nil {
		return nil, err
	}
	calc := true
	if err := f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: &calc}); err != nil {
		return nil, err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: t("stats.report_title"), Creator: "KTGS", Language: lang}); err != nil {
		return nil, err
	}
	if err := s.statsDataSheet(f, t("stats.xlsx.data"), rep); err != nil {
		return nil, err
	}
	return f, nil
}

// statsDataSheet writes one row per cell of rep.
func (s *Server) statsDataSheet(f *excelize.File, sh string, rep *app.StatsReport) error {
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sh)
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{"row_key", "column_key", "org_code", "count", "not_applicable"}); err != nil {
		return err
	}
	n := 2
	for _, l := range rep.Rows {
		for j, c := range l.Cells {
			col := rep.Columns[j]
			row := []any{l.Key, col.Key, col.Code, c.Count, c.NA}
			if c.NA {
				row[3] = nil
			}
			if err := sw.SetRow("A"+strconv.Itoa(n), row); err != nil {
				return err
			}
			n++
		}
	}
	return sw.Flush()
}

// handleStatsXLSX answers GET /stats.xlsx.
func (s *Server) handleStatsXLSX(w http.ResponseWriter, r *http.Request) error {
	q, _, err := s.statsQuery(r)
	if err != nil {
		return statsErr(err)
	}
	rep, err := s.App.Stats(r.Context(), q)
	if err != nil {
		return statsErr(err)
	}
	f, err := s.statsWorkbook(langOf(r.Context()), rep)
	if err != nil {
		return err
	}
	defer f.Close()
	buf, err := f.WriteToBuffer()
	if err != nil {
		return err
	}
	sendAttachment(w, statsFileName(rep, "xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
	return nil
}
