package web_test

// The statistics pages, exports and API against the engine, on both
// engines, over the demonstration dataset with its ten years of activity
// (as `ktgs serve --demo` seeds it): every number of the page, the XLSX,
// the CSV and the JSON is the engine's for the same user; every drill-down
// link lists exactly its number of records over its pages; the XLSX has
// its title block, merged header and formulas whose computed values are
// the engine's totals; bad input gets field errors in Vietnamese; a unit
// outside the user's scope gets 403 without a number; a period before the
// unit existed says so instead of showing zeros.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
	"ktgs/internal/vn"
)

// statsServer is dashServer (the demo with its ten years of activity, as
// `serve --demo` seeds it) with one more account: a
// viewer of Ninh Bình ("xem-nb"; the demo viewer "xem" sees Thanh Hóa),
// who counts unmarked records only.
func statsServer(t *testing.T, db *store.DB) (*httptest.Server, *app.Service) {
	t.Helper()
	ts, svc := dashServer(t, db)
	hash, err := svc.Auth.Hasher.Hash(ctx, app.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *store.Tx) error {
		p19, err := tx.OrgIDByCode(ctx, "P19")
		if err != nil {
			return err
		}
		return tx.InsertUser(ctx, &ktgs.User{Username: "xem-nb", DisplayName: "Người xem Ninh Bình", Role: authz.RoleViewer,
			Scope: []int64{p19}, PasswordHash: hash, Demo: true})
	}); err != nil {
		t.Fatal(err)
	}
	return ts, svc
}

// statsActor is the actor the web layer builds for the demo account name.
func statsActor(t *testing.T, db *store.DB, svc *app.Service, name string) context.Context {
	t.Helper()
	var a *authz.Actor
	if err := db.View(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByName(ctx, name)
		if err != nil {
			return err
		}
		a = &authz.Actor{UserID: u.ID, Name: u.Username, Role: u.Role, Scope: u.Scope, Clearance: u.Clearance, MemberID: u.MemberID, TwoFactor: u.Demo}
		a.ScopeAncestry, err = svc.ScopeAncestry(ctx, tx, a.Scope)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return app.WithActor(ctx, a)
}

// statsReport asks the engine for the report of a page's query (org code,
// period, view, breakdown as the page defaults them).
func statsReport(t *testing.T, db *store.DB, svc *app.Service, user, org string, p ktgs.Period, view ktgs.StatsView, bd ktgs.StatsBreakdown) *app.StatsReport {
	t.Helper()
	q := app.StatsQuery{Period: p, View: view, Breakdown: bd}
	if org != "" {
		if err := db.View(ctx, func(tx *store.Tx) (err error) { q.OrgID, err = tx.OrgIDByCode(ctx, org); return err }); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := svc.Stats(statsActor(t, db, svc, user), q)
	if err != nil {
		t.Fatalf("engine report for %s: %v", user, err)
	}
	return rep
}

// get fetches path as user and returns the status and the body.
func get(t *testing.T, ts *httptest.Server, user, path string) (int, string, http.Header) {
	t.Helper()
	resp, err := client(t, ts, user).Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

var (
	statsRowRe   = regexp.MustCompile(`(?s)<tr data-row="([^"]+)">(.*?)</tr>`)
	statsCellRe  = regexp.MustCompile(`(?s)<td class="num">(.*?)</td>`)
	statsLinkRe  = regexp.MustCompile(`^<a href="([^"]+)" class="drill" data-cell="([^"]+)">([^<]+)</a>$`)
	statsChildRe = regexp.MustCompile(`<th scope="col" class="num" data-col="([^"]+)"><a href="[^"]+">([^<]+)</a></th>`)
	statsLeadRe  = regexp.MustCompile(`<th scope="col"(?: rowspan="2")? class="num">([^<]+)</th>`)
)

// pageCell is a number of the page's table.
type pageCell struct {
	text, link, key string
	na              bool
}

// parseStatsPage reads the report table of a page: the column headers and
// the cells of each row by row key.
func parseStatsPage(t *testing.T, body string) ([]string, map[string][]pageCell, []string) {
	t.Helper()
	var cols []string
	for _, m := range statsLeadRe.FindAllStringSubmatch(body, -1) {
		cols = append(cols, html.UnescapeString(m[1]))
	}
	for _, m := range statsChildRe.FindAllStringSubmatch(body, -1) {
		cols = append(cols, html.UnescapeString(m[2]))
	}
	rows := map[string][]pageCell{}
	var order []string
	for _, m := range statsRowRe.FindAllStringSubmatch(body, -1) {
		key := html.UnescapeString(m[1])
		var cells []pageCell
		for _, c := range statsCellRe.FindAllStringSubmatch(m[2], -1) {
			pc := pageCell{text: c[1]}
			switch {
			case strings.Contains(c[1], `aria-hidden="true">—`):
				pc.na, pc.text = true, "—"
			case statsLinkRe.MatchString(c[1]):
				l := statsLinkRe.FindStringSubmatch(c[1])
				pc.link, pc.key, pc.text = html.UnescapeString(l[1]), html.UnescapeString(l[2]), l[3]
			}
			cells = append(cells, pc)
		}
		if _, dup := rows[key]; dup {
			t.Errorf("row %s appears twice", key)
		}
		rows[key] = cells
		order = append(order, key)
	}
	return cols, rows, order
}

// colNames are the headers the page gives rep's columns.
func colNames(rep *app.StatsReport) []string {
	var out []string
	for _, c := range rep.Columns {
		switch c.Key {
		case app.StatsColTotal:
			out = append(out, "Tổng số")
		case app.StatsColOwn:
			out = append(out, "Cấp mình")
		default:
			out = append(out, c.Name)
		}
	}
	return out
}

// checkPage compares a page's table with the engine's report, cell by
// cell, and returns the drill-down links with their numbers.
func checkPage(t *testing.T, body string, rep *app.StatsReport) map[string]int {
	t.Helper()
	cols, rows, order := parseStatsPage(t, body)
	if want := colNames(rep); !slices.Equal(cols, want) {
		t.Errorf("columns %q, want %q", cols, want)
	}
	links := map[string]int{}
	if len(order) != len(rep.Rows) {
		t.Errorf("the page has %d rows, the report %d", len(order), len(rep.Rows))
	}
	for i, line := range rep.Rows {
		if i < len(order) && order[i] != line.Key {
			t.Errorf("row %d is %s, want %s", i, order[i], line.Key)
		}
		cells, ok := rows[line.Key]
		if !ok {
			t.Errorf("row %s missing from the page", line.Key)
			continue
		}
		if len(cells) != len(line.Cells) {
			t.Errorf("row %s: %d cells, want %d", line.Key, len(cells), len(line.Cells))
			continue
		}
		for j, c := range line.Cells {
			pc := cells[j]
			switch {
			case c.NA:
				if !pc.na {
					t.Errorf("%s@%s: %q, want not applicable", line.Key, rep.Columns[j].Key, pc.text)
				}
			case pc.na || pc.text != vn.Int(int64(c.Count), "vi"):
				t.Errorf("%s@%s: page %q, engine %d", line.Key, rep.Columns[j].Key, pc.text, c.Count)
			case c.Count > 0 && (pc.link == "" || pc.key != c.Key):
				t.Errorf("%s: number %d without its drill-down link (%q, %q)", c.Key, c.Count, pc.link, pc.key)
			case c.Count == 0 && pc.link != "":
				t.Errorf("%s: zero with a link", c.Key)
			}
			if pc.link != "" {
				links[pc.link] = c.Count
			}
		}
	}
	return links
}

var (
	drillCountRe = regexp.MustCompile(`<dd id="drill-count">([^<]*)</dd>`)
	drillItemRe  = regexp.MustCompile(`<tr data-item="([^"]+)">`)
	drillNextRe  = regexp.MustCompile(`<a href="([^"]+)" rel="next" id="drill-next">`)
)

// followDrill reads every page of a drill-down link and returns the
// number it shows and the records listed.
func followDrill(t *testing.T, ts *httptest.Server, user, link string) (string, []string) {
	t.Helper()
	var shown string
	var items []string
	for page := 0; link != ""; page++ {
		if page > 100 {
			t.Fatalf("%s: more than 100 pages", link)
		}
		status, body, _ := get(t, ts, user, link)
		if status != http.StatusOK {
			t.Fatalf("GET %s as %s: %d\n%s", link, user, status, body)
		}
		m := drillCountRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("GET %s: no count shown", link)
		}
		if page == 0 {
			shown = m[1]
		} else if m[1] != shown {
			t.Errorf("%s: page %d shows %s, the first %s", link, page, m[1], shown)
		}
		for _, it := range drillItemRe.FindAllStringSubmatch(body, -1) {
			items = append(items, it[1])
		}
		link = ""
		if n := drillNextRe.FindStringSubmatch(body); n != nil {
			link = html.UnescapeString(n[1])
		}
	}
	return shown, items
}

// statsCase is a report the tests look at.
type statsCase struct {
	user, query string
	org         string
	period      ktgs.Period
	view        ktgs.StatsView
	breakdown   ktgs.StatsBreakdown
}

func (c statsCase) report(t *testing.T, db *store.DB, svc *app.Service) *app.StatsReport {
	return statsReport(t, db, svc, c.user, c.org, c.period, c.view, c.breakdown)
}

var statsCases = []statsCase{
	// The chair of Ninh Bình: 2024 on today's tree (the history of the
	// merged provinces mapped onto Ninh Bình and its communes), and 2025
	// as the units stood at its end.
	{user: "chunhiem", query: "year=2024", period: ktgs.Period{Kind: ktgs.PeriodYear, Year: 2024}, view: ktgs.ViewToday, breakdown: ktgs.BreakdownChildren},
	{user: "chunhiem", query: "org=P19&period=YEAR&year=2025&view=AS_THEN", org: "P19", period: ktgs.Period{Kind: ktgs.PeriodYear, Year: 2025},
		view: ktgs.ViewAsThen, breakdown: ktgs.BreakdownChildren},
	// A viewer of Ninh Bình (unmarked records only) and the demo viewer of
	// Thanh Hóa.
	{user: "xem-nb", query: "period=H1&year=2024", period: ktgs.Period{Kind: ktgs.PeriodH1, Year: 2024}, view: ktgs.ViewToday, breakdown: ktgs.BreakdownChildren},
	{user: "xem", query: "year=2024", period: ktgs.Period{Kind: ktgs.PeriodYear, Year: 2024}, view: ktgs.ViewToday, breakdown: ktgs.BreakdownChildren},
}

// TestStatsPageAndDrill renders each report of statsCases, compares every
// number with the engine's for the same user, and follows every drill-down
// link through its pages: the list has exactly the link's number of
// records, and the drill page shows that number.
func TestStatsPageAndDrill(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		ts, svc := statsServer(t, db)
		total := map[string]int{}
		for _, c := range statsCases {
			status, body, _ := get(t, ts, c.user, "/stats?"+c.query)
			if status != http.StatusOK {
				t.Fatalf("%s /stats?%s: %d\n%s", c.user, c.query, status, body)
			}
			rep := c.report(t, db, svc)
			links := checkPage(t, body, rep)
			for _, want := range []string{"BÁO CÁO THỐNG KÊ CÔNG TÁC KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT ĐẢNG", "Đơn vị: " + rep.Unit.Name,
				`id="nav-stats"`, "<caption>", `scope="row"`, "Chưa có số liệu: hệ thống chưa lưu hồ sơ của chỉ tiêu này."} {
				if !strings.Contains(body, want) {
					t.Errorf("%s /stats?%s lacks %q", c.user, c.query, want)
				}
			}
			unmarked := strings.Contains(body, "Chỉ tính hồ sơ không có độ mật")
			if unmarked != rep.UnmarkedOnly || unmarked != (c.user == "xem" || c.user == "xem-nb") {
				t.Errorf("%s: unmarked-only notice shown %v, engine %v", c.user, unmarked, rep.UnmarkedOnly)
			}
			for link, n := range links {
				shown, items := followDrill(t, ts, c.user, link)
				if len(items) != n || shown != vn.Int(int64(n), "vi") {
					t.Errorf("%s %s: link %d, drill page shows %s and lists %d", c.user, link, n, shown, len(items))
				}
				seen := map[string]bool{}
				for _, it := range items {
					if seen[it] {
						t.Errorf("%s %s: %s listed twice", c.user, link, it)
					}
					seen[it] = true
				}
				total[c.user] += n
			}
			t.Logf("%s %s: %d drill-down links", c.user, c.query, len(links))
		}
		// The test is not vacuous: the chair and the viewer of Ninh Bình
		// have numbers behind links, the viewer fewer than the chair.
		if total["chunhiem"] < 200 || total["xem-nb"] == 0 {
			t.Errorf("too few records behind the links: %v", total)
		}
	})
}

// TestStatsXLSX reads the workbook back cell by cell.
func TestStatsXLSX(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		ts, svc := statsServer(t, db)
		for _, c := range []statsCase{
			statsCases[0],
			{user: "chunhiem", query: "year=2024&breakdown=NONE", period: ktgs.Period{Kind: ktgs.PeriodYear, Year: 2024}, view: ktgs.ViewToday, breakdown: ktgs.BreakdownNone},
			statsCases[1],
		} {
			t.Run(c.query, func(t *testing.T) {
				status, body, hdr := get(t, ts, c.user, "/stats.xlsx?"+c.query)
				if status != http.StatusOK || !strings.Contains(hdr.Get("Content-Type"), "spreadsheetml") {
					t.Fatalf("status %d, %s\n%.500s", status, hdr.Get("Content-Type"), body)
				}
				rep := c.report(t, db, svc)
				checkWorkbook(t, []byte(body), rep)
			})
		}
	})
}

func checkWorkbook(t *testing.T, data []byte, rep *app.StatsReport) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sh = "Báo cáo"
	if got := f.GetSheetList(); !slices.Equal(got, []string{sh, "Dữ liệu"}) {
		t.Fatalf("sheets %q", got)
	}
	cell := func(c, r int) string { n, _ := excelize.CoordinatesToCellName(c, r); return n }
	val := func(c, r int) string {
		v, err := f.GetCellValue(sh, cell(c, r), excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	nCols := 2 + len(rep.Columns)
	last, _ := excelize.ColumnNumberToName(nCols)
	p := rep.Query.Period
	// The title block.
	for _, w := range []struct {
		c, r int
		want string
	}{
		{1, 1, strings.ToUpper(rep.Unit.Name)},
		{3, 1, "ĐẢNG CỘNG SẢN VIỆT NAM"},
		{3, 2, "Ngày xuất báo cáo: 28/11/2026 09:00"},
		{1, 4, "BÁO CÁO THỐNG KÊ CÔNG TÁC KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT ĐẢNG"},
		{1, 5, "Đơn vị: " + rep.Unit.Name},
		{1, 6, fmt.Sprintf("Kỳ báo cáo: Năm %d (từ ngày %s đến ngày %s)", p.Year, p.From.VN(), p.To.VN())},
		{1, 9, "TT"}, {2, 9, "Chỉ tiêu"}, {3, 9, "Tổng số"},
	} {
		if got := val(w.c, w.r); got != w.want {
			t.Errorf("%s = %q, want %q", cell(w.c, w.r), got, w.want)
		}
	}
	view := "Cách xem: Theo cơ cấu tổ chức hiện nay"
	if rep.Query.View == ktgs.ViewAsThen {
		view = "Cách xem: Theo cơ cấu tổ chức trong kỳ báo cáo"
	}
	if got := val(1, 7); !strings.HasPrefix(got, view) {
		t.Errorf("A7 = %q, want %q…", got, view)
	}
	// Merged cells: the title across the table, the two-row headers, and
	// "Đơn vị trực thuộc" over the child units.
	merged := map[string]string{}
	mcs, err := f.GetMergeCells(sh)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mcs {
		merged[m.GetStartAxis()+":"+m.GetEndAxis()] = m.GetCellValue()
	}
	want := map[string]string{"A4:" + last + "4": "BÁO CÁO THỐNG KÊ CÔNG TÁC KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT ĐẢNG",
		"A9:A10": "TT", "B9:B10": "Chỉ tiêu", "C9:C10": "Tổng số"}
	children := len(rep.Columns) - 2
	if rep.Query.Breakdown == ktgs.BreakdownChildren {
		want["D9:D10"] = "Cấp mình"
		if children > 1 {
			want["E9:"+last+"9"] = "Đơn vị trực thuộc"
		}
	}
	for k, v := range want {
		if got, ok := merged[k]; !ok || got != v {
			t.Errorf("merged %s = %q (present %v), want %q", k, got, ok, v)
		}
	}
	for j, c := range rep.Columns[min(2, len(rep.Columns)):] {
		if got := val(5+j, 10); got != c.Name {
			t.Errorf("child header %d = %q, want %q", j, got, c.Name)
		}
	}
	if panes, err := f.GetPanes(sh); err != nil || !panes.Freeze || panes.XSplit != 2 || panes.YSplit != 11 {
		t.Errorf("panes %+v, %v: want frozen at C12", panes, err)
	}
	if vis, _ := f.GetColVisible(sh, "A"); !vis {
		t.Error("column A hidden")
	}

	// The table: every row once, by the hidden row key; each number the
	// engine's; every total a formula whose value is the engine's.
	byKey := map[string]app.StatsLine{}
	for _, l := range rep.Rows {
		byKey[l.Key] = l
	}
	keyCol := nCols + 1
	rows, err := f.GetRows(sh)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	formulas, vertical := 0, 0
	for r := 12; r <= len(rows); r++ {
		key := val(keyCol, r)
		if key == "" {
			continue
		}
		line, ok := byKey[key]
		if !ok || seen[key] {
			t.Errorf("row %d: key %q unknown or repeated", r, key)
			continue
		}
		seen[key] = true
		if val(2, r) == "" {
			t.Errorf("row %d (%s) has no label", r, key)
		}
		for j, c := range line.Cells {
			at := cell(3+j, r)
			if c.NA {
				if got := val(3+j, r); got != "—" {
					t.Errorf("%s (%s@%s) = %q, want —", at, key, rep.Columns[j].Key, got)
				}
				continue
			}
			formula, err := f.GetCellFormula(sh, at)
			if err != nil {
				t.Fatal(err)
			}
			if j == 0 && len(rep.Columns) > 1 && !strings.HasPrefix(formula, "SUM(D") {
				t.Errorf("%s (%s total) is %q, want the sum of the columns", at, key, formula)
			}
			if formula == "" {
				if got := val(3+j, r); got != strconv.Itoa(c.Count) {
					t.Errorf("%s (%s@%s) = %q, engine %d", at, key, rep.Columns[j].Key, got, c.Count)
				}
				continue
			}
			formulas++
			if !strings.HasPrefix(formula, "SUM(D") {
				vertical++
			}
			got, err := f.CalcCellValue(sh, at)
			if err != nil || got != strconv.Itoa(c.Count) {
				t.Errorf("%s (%s@%s) = %s → %q (%v), engine %d", at, key, rep.Columns[j].Key, formula, got, err, c.Count)
			}
		}
	}
	if len(seen) != len(rep.Rows) {
		t.Errorf("the sheet has %d rows of the report, want %d", len(seen), len(rep.Rows))
	}
	// The letters received are the sum of their levels in every column:
	// formulas down the columns, even without breakdown; with one, every
	// total (checked above) as well.
	if vertical == 0 || len(rep.Columns) > 1 && formulas-vertical < len(rep.Rows)-1 {
		t.Errorf("%d formulas, %d of them down a column: too few", formulas, vertical)
	}

	// The data sheet: one row per cell.
	sheet, err := f.GetRows("Dữ liệu")
	if err != nil {
		t.Fatal(err)
	}
	if len(sheet) != 1+len(rep.Rows)*len(rep.Columns) || !slices.Equal(sheet[0], []string{"row_key", "column_key", "org_code", "count", "not_applicable"}) {
		t.Fatalf("data sheet: %d rows, header %q", len(sheet), sheet[0])
	}
	i := 1
	for _, l := range rep.Rows {
		for j, c := range l.Cells {
			row := append(sheet[i], "", "", "", "", "")
			want := []string{l.Key, rep.Columns[j].Key, rep.Columns[j].Code, strconv.Itoa(c.Count), "FALSE"}
			if c.NA {
				want[3], want[4] = "", "TRUE"
			}
			if !slices.Equal(row[:5], want) {
				t.Errorf("data row %d = %q, want %q", i+1, row[:5], want)
			}
			i++
		}
	}
}

// TestStatsCSV parses the CSV back: a byte order mark, Vietnamese
// headers, and one line per row of the report with the engine's numbers.
func TestStatsCSV(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		ts, svc := statsServer(t, db)
		for _, c := range []statsCase{statsCases[0], statsCases[2]} {
			status, body, hdr := get(t, ts, c.user, "/stats.csv?"+c.query)
			if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") {
				t.Fatalf("%s: %d %s", c.query, status, hdr.Get("Content-Type"))
			}
			if !strings.HasPrefix(body, "\ufeff") {
				t.Fatal("no byte order mark")
			}
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			rep := c.report(t, db, svc)
			if want := append([]string{"Mã dòng", "Chỉ tiêu", "Nội dung"}, colNames(rep)...); !slices.Equal(recs[0], want) {
				t.Errorf("header %q, want %q", recs[0], want)
			}
			if len(recs) != 1+len(rep.Rows) {
				t.Fatalf("%d lines, want %d", len(recs), 1+len(rep.Rows))
			}
			for i, l := range rep.Rows {
				rec := recs[i+1]
				if rec[0] != l.Key || rec[1] == "" || rec[2] == "" {
					t.Errorf("line %d: %q, want row %s with labels", i+2, rec[:3], l.Key)
					continue
				}
				for j, cl := range l.Cells {
					want := strconv.Itoa(cl.Count)
					if cl.NA {
						want = "—"
					}
					if rec[3+j] != want {
						t.Errorf("%s@%s: %q, engine %s", l.Key, rep.Columns[j].Key, rec[3+j], want)
					}
				}
			}
		}
	})
}

// TestStatsAPI compares the JSON report with the engine's and pages
// through drill-down lists with a small limit.
func TestStatsAPI(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		ts, svc := statsServer(t, db)
		c := statsCases[0]
		status, body, _ := get(t, ts, c.user, "/api/v1/stats?"+c.query)
		if status != http.StatusOK {
			t.Fatalf("%d %s", status, body)
		}
		var got struct {
			Title   string
			Columns []app.StatsColumn
			Rows    []struct {
				app.StatsLine
				Label string `json:"label"`
				Path  string `json:"path"`
			}
			Notices []struct {
				Key     string `json:"key"`
				Message string `json:"message"`
			}
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
		rep := c.report(t, db, svc)
		if len(got.Rows) != len(rep.Rows) || len(got.Columns) != len(rep.Columns) {
			t.Fatalf("%d rows × %d columns, engine %d × %d", len(got.Rows), len(got.Columns), len(rep.Rows), len(rep.Columns))
		}
		type big struct {
			key string
			n   int
		}
		var cells []big
		for i, l := range rep.Rows {
			g := got.Rows[i]
			if g.Key != l.Key || g.Label == "" || !strings.Contains(g.Path, g.Label) || !slices.Equal(g.Cells, l.Cells) {
				t.Errorf("row %d: %s %q %q %v, engine %s %v", i, g.Key, g.Label, g.Path, g.Cells, l.Key, l.Cells)
			}
			for _, cl := range l.Cells {
				if cl.Count > 0 {
					cells = append(cells, big{cl.Key, cl.Count})
				}
			}
		}
		if len(got.Notices) != len(rep.Notices) || len(got.Notices) == 0 || got.Notices[0].Message == "" {
			t.Errorf("notices %+v", got.Notices)
		}
		slices.SortFunc(cells, func(a, b big) int { return b.n - a.n })
		if len(cells) < 5 || cells[0].n < 15 {
			t.Fatalf("too few or too small cells: %v", cells)
		}
		for _, cl := range cells[:5] {
			var ids []string
			cursor := ""
			for pages := 0; ; pages++ {
				var page struct {
					Count int
					Items []app.StatsItem
					Next  string
				}
				path := "/api/v1/stats/drill?" + c.query + "&limit=7&cell=" + url.QueryEscape(cl.key) + "&cursor=" + url.QueryEscape(cursor)
				status, body, _ := get(t, ts, c.user, path)
				if status != http.StatusOK {
					t.Fatalf("%s: %d %s", path, status, body)
				}
				if err := json.Unmarshal([]byte(body), &page); err != nil {
					t.Fatal(err)
				}
				if page.Count != cl.n || len(page.Items) > 7 {
					t.Errorf("%s: count %d (engine %d), %d items on a page of 7", cl.key, page.Count, cl.n, len(page.Items))
				}
				for _, it := range page.Items {
					ids = append(ids, fmt.Sprint(it.Kind, it.ID, ".", it.Seq))
				}
				if page.Next == "" {
					break
				}
				cursor = page.Next
			}
			slices.Sort(ids)
			if len(ids) != cl.n || len(slices.Compact(ids)) != cl.n {
				t.Errorf("%s: %d records listed (distinct %d), count %d", cl.key, len(ids), len(slices.Compact(ids)), cl.n)
			}
		}
	})
}

// TestStatsBadInput: each mistake gets its message, no number leaks.
func TestStatsBadInput(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		ts, _ := statsServer(t, db)
		order := "Kỳ báo cáo kết thúc (01/05/2026) trước khi bắt đầu (10/05/2026)."
		for _, sc := range []struct {
			name, user, path string
			status           int
			contains         []string
		}{
			{"period ending before it starts", "chunhiem", "/stats?period=CUSTOM&from=10/05/2026&to=01/05/2026", 400, []string{order, `id="to-err"`}},
			{"the same through the API", "chunhiem", "/api/v1/stats?period=CUSTOM&from=10/05/2026&to=01/05/2026", 400, []string{`"to":{"key":"err.stats.period_order"`, order}},
			{"the same for the XLSX", "chunhiem", "/stats.xlsx?period=CUSTOM&from=10/05/2026&to=01/05/2026", 400, []string{order}},
			{"unknown view and period", "chunhiem", "/stats?view=FOO&period=BAR", 400, []string{"Cách xem không hợp lệ: FOO.", "Loại kỳ báo cáo không hợp lệ: BAR.", `id="view-err"`, `id="period-err"`}},
			{"unknown view and period, API", "chunhiem", "/api/v1/stats?view=FOO&period=BAR", 400, []string{`"view":{"key":"err.stats.view"`, `"period":{"key":"err.stats.period_kind"`}},
			{"bad breakdown and month", "chunhiem", "/api/v1/stats?breakdown=ALL&period=MONTH&month=13", 400, []string{`"breakdown":{"key":"err.stats.breakdown"`}},
			{"month out of range", "chunhiem", "/api/v1/stats?period=MONTH&month=13", 400, []string{`"month":{"key":"err.stats.period_month"`}},
			{"bad date", "chunhiem", "/stats?period=CUSTOM&from=31/02/2026&to=01/05/2026", 400, []string{"Ngày này không có trong lịch"}},
			{"custom period without dates", "chunhiem", "/api/v1/stats?period=CUSTOM", 400, []string{`"from":{"key":"err.required"`, `"to":{"key":"err.required"`}},
			{"unknown unit", "chunhiem", "/stats?org=NOPE", 400, []string{`id="org-err"`}},
			{"unknown cell", "chunhiem", "/stats/drill?year=2024&cell=NOPE/INSPECTED@total", 400, []string{"Báo cáo không có ô số liệu này."}},
			{"bad cursor", "chunhiem", "/api/v1/stats/drill?year=2024&cell=COMMITTEE_INSPECTION/INSPECTED/MEMBER@total&cursor=x", 400, []string{`"cursor":{"key":"err.stats.cursor"`}},
		} {
			t.Run(sc.name, func(t *testing.T) {
				status, body, _ := get(t, ts, sc.user, sc.path)
				if status != sc.status {
					t.Fatalf("status %d, want %d\n%.800s", status, sc.status, body)
				}
				for _, w := range sc.contains {
					if !strings.Contains(body, w) && !strings.Contains(html.UnescapeString(body), w) {
						t.Errorf("body lacks %q\n%.1500s", w, body)
					}
				}
				if strings.Contains(body, `data-row=`) || strings.Contains(body, `"cells"`) {
					t.Error("a report was shown with the error")
				}
			})
		}

		// A unit outside the scope: the secretary of a chi bộ asks for the
		// province. 403 everywhere, and not one number of it.
		for _, path := range []string{"/stats?org=P19&year=2024", "/stats.csv?org=P19&year=2024", "/stats.xlsx?org=P19&year=2024",
			"/api/v1/stats?org=P19&year=2024", "/stats/drill?org=P19&year=2024&cell=COMMITTEE_INSPECTION/INSPECTED/MEMBER@total",
			"/api/v1/stats/drill?org=P19&year=2024&cell=COMMITTEE_INSPECTION/INSPECTED/MEMBER@total"} {
			status, body, _ := get(t, ts, "bithu", path)
			if status != http.StatusForbidden {
				t.Errorf("bithu %s: %d, want 403", path, status)
			}
			if !strings.Contains(body, "nằm ngoài phạm vi được xem thống kê") {
				t.Errorf("bithu %s: no scope message", path)
			}
			for _, leak := range []string{"data-row=", `class="drill"`, `id="stats-table"`, `"cells"`, `"items"`, "Cấp mình", "Đảng bộ tỉnh Ninh Bình"} {
				if strings.Contains(body, leak) {
					t.Errorf("bithu %s: the body has %q", path, leak)
				}
			}
		}
		// Control: the secretary's own chi bộ answers.
		if status, body, _ := get(t, ts, "bithu", "/stats?year=2024"); status != http.StatusOK || !strings.Contains(body, "data-row=") {
			t.Errorf("bithu's own unit: %d", status)
		}

		// A period before the unit existed: Ninh Bình was formed on
		// 1/7/2025; as the units stood in 2024 it has no figures, which
		// the report says instead of showing zeros.
		notice := "Đảng bộ tỉnh Ninh Bình chưa tồn tại trong kỳ báo cáo (thành lập ngày 01/07/2025)"
		status, body, _ := get(t, ts, "chunhiem", "/stats?org=P19&year=2024&view=AS_THEN")
		if status != http.StatusOK || !strings.Contains(body, notice) {
			t.Fatalf("%d, notice missing\n%.2000s", status, body)
		}
		if strings.Contains(body, "data-row=") || strings.Contains(body, `class="drill"`) {
			t.Error("the page shows a table for a unit that did not exist")
		}
		status, body, _ = get(t, ts, "chunhiem", "/api/v1/stats?org=P19&year=2024&view=AS_THEN")
		var rep struct {
			Rows    []app.StatsLine
			Notices []struct {
				Message string `json:"message"`
			}
		}
		if err := json.Unmarshal([]byte(body), &rep); status != http.StatusOK || err != nil || len(rep.Rows) == 0 {
			t.Fatalf("%d %v", status, err)
		}
		for _, l := range rep.Rows {
			for _, c := range l.Cells {
				if !c.NA || c.Count != 0 || c.Key != "" {
					t.Fatalf("%s: %+v, want not applicable", l.Key, c)
				}
			}
		}
		if len(rep.Notices) == 0 || !strings.HasPrefix(rep.Notices[0].Message, notice) {
			t.Errorf("notices %+v", rep.Notices)
		}
		_, body, _ = get(t, ts, "chunhiem", "/stats.csv?org=P19&year=2024&view=AS_THEN")
		if strings.Count(body, ",0") > 0 || !strings.Contains(body, ",—,—") {
			t.Error("the CSV of a unit that did not exist has zeros")
		}
		// Control: on today's tree the same year has Ninh Bình's history.
		if _, body, _ := get(t, ts, "chunhiem", "/stats?org=P19&year=2024"); !strings.Contains(body, `class="drill"`) || strings.Contains(body, notice) {
			t.Error("2024 on today's tree should have numbers and no notice")
		}
	})
}
