package web_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/auth"
	"ktgs/internal/authz"
	"ktgs/internal/sealed"
	"ktgs/internal/seed"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
	"ktgs/internal/web"
)

// dashServer is demoServer with the demo's ten years of activity (as
// "serve --demo" seeds it), so that the dashboard has numbers to show.
func dashServer(t *testing.T, db *store.DB) (*httptest.Server, *app.Service) {
	t.Helper()
	if _, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	svc := app.New(db, nil)
	svc.Clock = func() time.Time { return time.Date(2026, 11, 28, 9, 0, 0, 0, app.Zone) }
	keys, err := sealed.Generate(filepath.Join(t.TempDir(), "identity.key"))
	if err != nil {
		t.Fatal(err)
	}
	svc.Keys = keys
	if _, err := seed.GenerateActivity(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1, Keys: svc.Keys, Rules: svc.Rules}); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetPublicBody(ctx, "P19-O1-D01-C01"); err != nil {
		t.Fatal(err)
	}
	if err := seed.DemoStories(ctx, svc); err != nil {
		t.Fatal(err)
	}
	svc.Auth.Hasher = &auth.Hasher{Params: auth.Params{Memory: 64, Time: 1, Threads: 1}}
	if err := svc.CreateDemoAccounts(ctx); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(svc, nil, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts, svc
}

// demoActor is the actor a demo account's session gets.
func demoActor(t *testing.T, db *store.DB, svc *app.Service, username string) context.Context {
	t.Helper()
	var a *authz.Actor
	err := db.View(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByName(ctx, username)
		if err != nil {
			return err
		}
		a = &authz.Actor{UserID: u.ID, Name: u.Username, Role: u.Role, Scope: u.Scope, Clearance: u.Clearance, MemberID: u.MemberID,
			TwoFactor: u.Demo}
		a.ScopeAncestry, err = svc.ScopeAncestry(ctx, tx, u.Scope)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return app.WithActor(ctx, a)
}

// The JSON block of the page, as dashboard.js reads it.
type dashJSON struct {
	Lang   string `json:"lang"`
	Charts []struct {
		ID         string   `json:"id"`
		Kind       string   `json:"kind"`
		Title      string   `json:"title"`
		Caption    string   `json:"caption"`
		Head       string   `json:"head"`
		Categories []string `json:"categories"`
		Series     []struct {
			Name  string `json:"name"`
			Cells []struct {
				Count int    `json:"count"`
				NA    bool   `json:"na"`
				More  bool   `json:"more"`
				Link  string `json:"link"`
				Cell  string `json:"cell"`
			} `json:"cells"`
		} `json:"series"`
	} `json:"charts"`
}

// dashTableCell is a number of an accessible table.
type dashTableCell struct {
	na          bool
	href, cell  string
	count       int
	text        string
	table, row  string
	series, cat int
}

var (
	reDashTable = regexp.MustCompile(`(?s)<table class="list dash-table" id="table-([a-z-]+)">\s*<caption>(.*?)</caption>(.*?)</table>`)
	reDashHead  = regexp.MustCompile(`(?s)<th scope="col"[^>]*>(.*?)</th>`)
	reDashRow   = regexp.MustCompile(`(?s)<tr><th scope="row">(.*?)</th>(.*?)</tr>`)
	reDashTD    = regexp.MustCompile(`(?s)<td class="num">(.*?)</td>`)
	reDashA     = regexp.MustCompile(`^<a href="([^"]*)"(?: data-cell="([^"]*)")? data-count="(\d+)">([^<]*)</a>$`)
	reDashJSON  = regexp.MustCompile(`(?s)<script type="application/json" id="dash-data">(.*?)</script>`)
	reScriptTag = regexp.MustCompile(`<script[^>]*>`)
	reScriptSrc = regexp.MustCompile(`<script src="([^"]+)" defer></script>`)
)

// parseDashboard reads the tables and the JSON block of a dashboard page
// and checks that they hold the same numbers, links and labels.
func parseDashboard(t *testing.T, body string) (map[string][]dashTableCell, *dashJSON) {
	t.Helper()
	m := reDashJSON.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no JSON data block")
	}
	var data dashJSON
	if err := json.Unmarshal([]byte(m[1]), &data); err != nil {
		t.Fatalf("the JSON data block does not parse: %v\n%s", err, m[1])
	}
	tables := map[string][]dashTableCell{}
	heads := map[string][]string{}
	captions := map[string]string{}
	for _, tm := range reDashTable.FindAllStringSubmatch(body, -1) {
		id := tm[1]
		captions[id] = html.UnescapeString(tm[2])
		for _, h := range reDashHead.FindAllStringSubmatch(tm[3], -1) {
			heads[id] = append(heads[id], html.UnescapeString(h[1]))
		}
		for ri, rm := range reDashRow.FindAllStringSubmatch(tm[3], -1) {
			for si, td := range reDashTD.FindAllStringSubmatch(rm[2], -1) {
				c := dashTableCell{table: id, row: html.UnescapeString(rm[1]), cat: ri, series: si}
				if strings.Contains(td[1], "visually-hidden") {
					c.na = true
				} else if a := reDashA.FindStringSubmatch(td[1]); a != nil {
					c.href, c.cell, c.text = html.UnescapeString(a[1]), a[2], a[4]
					c.count, _ = strconv.Atoi(a[3])
					if digits := strings.Map(func(r rune) rune {
						if r >= '0' && r <= '9' {
							return r
						}
						return -1
					}, c.text); digits != a[3] {
						t.Errorf("table %s, %s: shows %q for %s", id, c.row, c.text, a[3])
					}
				} else {
					t.Errorf("table %s, %s: a cell that is neither a number with its link nor not applicable: %s", id, c.row, td[1])
				}
				tables[id] = append(tables[id], c)
			}
		}
	}
	if len(data.Charts) != len(tables) {
		t.Errorf("%d charts in the JSON block, %d tables", len(data.Charts), len(tables))
	}
	for _, ch := range data.Charts {
		cells, ok := tables[ch.ID]
		if !ok {
			t.Errorf("chart %s has no table", ch.ID)
			continue
		}
		if !strings.Contains(body, `id="chart-`+ch.ID+`"`) {
			t.Errorf("chart %s has no element", ch.ID)
		}
		if captions[ch.ID] != ch.Caption || len(heads[ch.ID]) != len(ch.Series)+1 || heads[ch.ID][0] != ch.Head {
			t.Errorf("chart %s: caption %q / %q, heads %q", ch.ID, captions[ch.ID], ch.Caption, heads[ch.ID])
		}
		n := 0
		for si, s := range ch.Series {
			if heads[ch.ID][si+1] != s.Name {
				t.Errorf("chart %s: series %q, table column %q", ch.ID, s.Name, heads[ch.ID][si+1])
			}
			if len(s.Cells) != len(ch.Categories) {
				t.Errorf("chart %s, %s: %d values for %d categories", ch.ID, s.Name, len(s.Cells), len(ch.Categories))
			}
			n += len(s.Cells)
		}
		if n != len(cells) {
			t.Errorf("chart %s: %d values in the JSON block, %d in the table", ch.ID, n, len(cells))
			continue
		}
		for _, c := range cells {
			j := ch.Series[c.series].Cells[c.cat]
			if c.row != ch.Categories[c.cat] || c.na != j.NA || c.count != j.Count || c.href != j.Link || c.cell != j.Cell {
				t.Errorf("chart %s, %s / %s: table %+v, JSON %+v", ch.ID, ch.Categories[c.cat], ch.Series[c.series].Name, c, j)
			}
		}
	}
	return tables, &data
}

// TestDashboard renders the dashboard on both engines for the demo
// accounts and checks every number of its tables against the statistics
// engine (svc.Stats, under the same account), the JSON block against the
// tables, the overdue counts against the register lists, what each role
// gets, and that the page runs no inline script.
func TestDashboard(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		ts, svc := dashServer(t, db)
		get := func(user, path string) (int, string, http.Header) {
			t.Helper()
			resp, err := client(t, ts, user).Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b), resp.Header
		}
		orgID := func(code string) int64 {
			var id int64
			db.View(ctx, func(tx *store.Tx) error {
				var err error
				id, err = tx.OrgIDByCode(ctx, code)
				if err != nil {
					t.Fatal(err)
				}
				return nil
			})
			return id
		}

		// checkStats compares every statistics number of the page with the
		// report svc.Stats gives the same account for the link's query.
		checkStats := func(user string, tables map[string][]dashTableCell) (cells, nonZero int) {
			t.Helper()
			actx := demoActor(t, db, svc, user)
			reports := map[string]*app.StatsReport{}
			for _, list := range tables {
				for _, c := range list {
					if c.na || c.cell == "" {
						continue
					}
					u, err := url.Parse(c.href)
					if err != nil || u.Path != "/stats/drill" {
						t.Errorf("%s: link %q is not a drill-down", user, c.href)
						continue
					}
					q := u.Query()
					if q.Get("cell") != c.cell || q.Get("period") != "YEAR" || q.Get("view") != "TODAY" {
						t.Errorf("%s: link %q", user, c.href)
					}
					key := q.Get("org") + " " + q.Get("year") + " " + q.Get("breakdown")
					rep := reports[key]
					if rep == nil {
						y, _ := strconv.Atoi(q.Get("year"))
						rep, err = svc.Stats(actx, app.StatsQuery{OrgID: orgID(q.Get("org")), Period: ktgs.Period{Kind: ktgs.PeriodYear, Year: y},
							View: ktgs.ViewToday, Breakdown: ktgs.StatsBreakdown(q.Get("breakdown"))})
						if err != nil {
							t.Fatalf("%s: Stats %s: %v", user, key, err)
						}
						reports[key] = rep
					}
					row, col, _ := strings.Cut(c.cell, "@")
					found := false
					for _, l := range rep.Rows {
						if l.Key != row {
							continue
						}
						for i, cc := range rep.Columns {
							if cc.Key == col {
								found = true
								if l.Cells[i].Count != c.count {
									t.Errorf("%s: %s %s (%s, %s) shows %d, svc.Stats says %d", user, c.table, c.cell, c.row, key, c.count, l.Cells[i].Count)
								}
							}
						}
					}
					if !found {
						t.Errorf("%s: cell %s is not in the report %s", user, c.cell, key)
					}
					cells++
					if c.count > 0 {
						nonZero++
					}
				}
			}
			return cells, nonZero
		}

		// The chair of Ninh Bình: every chart, overdue work included.
		start := time.Now()
		status, body, hdr := get("chunhiem", "/dashboard")
		t.Logf("chunhiem /dashboard: %v", time.Since(start))
		if status != http.StatusOK {
			t.Fatalf("chunhiem /dashboard: status %d\n%s", status, body)
		}
		if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP %q", csp)
		}
		for _, tag := range reScriptTag.FindAllString(body, -1) {
			if !strings.Contains(tag, `src="/static/`) && tag != `<script type="application/json" id="dash-data">` {
				t.Errorf("a script that is not a static file nor a JSON block: %s", tag)
			}
		}
		for _, want := range []string{"Bảng điều khiển", "Ninh Bình", `href="/dashboard"`, "Hình thức kỷ luật", "Công việc quá hạn"} {
			if !strings.Contains(body, want) {
				t.Errorf("chunhiem dashboard lacks %q", want)
			}
		}
		// The scripts are served from the binary.
		srcs := reScriptSrc.FindAllStringSubmatch(body, -1)
		var sawECharts bool
		for _, m := range srcs {
			st, js, h := get("chunhiem", m[1])
			if st != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") {
				t.Errorf("%s: status %d, type %s", m[1], st, h.Get("Content-Type"))
			}
			if strings.HasSuffix(m[1], "/vendor/echarts/echarts.min.js") {
				sawECharts = len(js) > 1_000_000 && strings.Contains(js[:2000], "Apache")
			}
		}
		if !sawECharts {
			t.Errorf("the page does not load the vendored ECharts: %v", srcs)
		}
		tables, data := parseDashboard(t, body)
		if data.Lang != "vi" {
			t.Errorf("lang %q", data.Lang)
		}
		for _, id := range []string{"trend-inspection", "trend-discipline", "forms", "compare", "funnel", "overdue"} {
			if len(tables[id]) == 0 {
				t.Errorf("chunhiem: no table %s", id)
			}
		}
		cells, nonZero := checkStats("chunhiem", tables)
		t.Logf("chunhiem: %d statistics numbers, %d non-zero, each equal to svc.Stats", cells, nonZero)
		if nonZero == 0 {
			t.Error("chunhiem: every number is zero: the fixture has no activity")
		}
		if len(tables["trend-inspection"]) != 10*4 {
			t.Errorf("trend: %d cells, want 10 years × 4 series", len(tables["trend-inspection"]))
		}
		// A few drill-downs list exactly their numbers.
		actx := demoActor(t, db, svc, "chunhiem")
		drilled := 0
		for _, c := range tables["funnel"] {
			if c.na || c.count == 0 || drilled == 3 {
				continue
			}
			u, _ := url.Parse(c.href)
			q := u.Query()
			y, _ := strconv.Atoi(q.Get("year"))
			sq := app.StatsQuery{OrgID: orgID(q.Get("org")), Period: ktgs.Period{Kind: ktgs.PeriodYear, Year: y}, View: ktgs.ViewToday,
				Breakdown: ktgs.StatsBreakdown(q.Get("breakdown")), Limit: 200}
			n := 0
			for {
				items, more, err := svc.StatsDrill(actx, sq, c.cell)
				if err != nil {
					t.Fatal(err)
				}
				n += len(items)
				if !more || len(items) == 0 {
					break
				}
				sq.After = items[len(items)-1].Cursor
			}
			if n != c.count {
				t.Errorf("drill %s: %d records for the number %d", c.cell, n, c.count)
			}
			drilled++
		}
		// Overdue work: each number is the length of the list it links to.
		for _, c := range tables["overdue"] {
			u, err := url.Parse(c.href)
			if err != nil || c.na || c.cell != "" {
				t.Errorf("overdue %s: %+v", c.row, c)
				continue
			}
			q := u.Query()
			sub := orgID(q.Get("org"))
			n := 0
			var before int64
			for {
				var got int
				var last int64
				var more bool
				switch u.Path {
				case "/cases":
					l, m, err := svc.ListCases(actx, app.CaseQuery{SubtreeOrgID: sub, Overdue: q.Get("overdue") == "1", BeforeID: before, Limit: 200})
					if err != nil {
						t.Fatal(err)
					}
					if got, more = len(l), m; got > 0 {
						last = l[got-1].ID
					}
				case "/letters":
					l, m, err := svc.ListLetters(actx, app.LetterQuery{SubtreeOrgID: sub, Overdue: q.Get("overdue") == "1", BeforeID: before, Limit: 200})
					if err != nil {
						t.Fatal(err)
					}
					if got, more = len(l), m; got > 0 {
						last = l[got-1].ID
					}
				case "/complaints":
					l, m, err := svc.ListComplaints(actx, app.ComplaintQuery{SubtreeOrgID: sub, Status: ktgs.ComplaintStatus(q.Get("status")), BeforeID: before, Limit: 200})
					if err != nil {
						t.Fatal(err)
					}
					if got, more = len(l), m; got > 0 {
						last = l[got-1].ID
					}
				default:
					t.Fatalf("overdue link %q", c.href)
				}
				n += got
				if !more || got == 0 {
					break
				}
				before = last
			}
			if n != c.count {
				t.Errorf("overdue %s: shows %d, the list %s has %d", c.row, c.count, c.href, n)
			}
			// The link opens the list.
			if st, _, _ := get("chunhiem", c.href); st != http.StatusOK {
				t.Errorf("%s: status %d", c.href, st)
			}
		}

		// Another year and indicator choice; and the English page.
		status, body, _ = get("chunhiem", "/dashboard?org=P19&year=2024&compare="+url.QueryEscape("UBKT_DHVP/INSPECTED/MEMBER")+"&funnel=COMMITTEE_INSPECTION")
		if status != http.StatusOK {
			t.Fatalf("chosen indicators: status %d", status)
		}
		tables, _ = parseDashboard(t, body)
		checkStats("chunhiem", tables)
		for _, c := range tables["compare"] {
			if !strings.Contains(c.cell, "UBKT_DHVP/INSPECTED/MEMBER@") || !strings.Contains(c.href, "year=2024") {
				t.Errorf("compare cell %+v", c)
			}
		}
		for _, c := range tables["funnel"] {
			if !strings.HasPrefix(c.cell, "COMMITTEE_INSPECTION/") {
				t.Errorf("funnel cell %+v", c)
			}
		}
		req, _ := http.NewRequest("GET", ts.URL+"/dashboard", nil)
		req.AddCookie(&http.Cookie{Name: "lang", Value: "en"})
		if resp, err := client(t, ts, "chunhiem").Do(req); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if _, d := parseDashboard(t, string(b)); d.Lang != "en" || !strings.Contains(string(b), "Forms of discipline") {
				t.Errorf("English dashboard: lang %q", d.Lang)
			}
		}

		// Bad input gets its message.
		for _, q := range []string{"year=abc", "year=1800", "compare=NOPE", "funnel=DISCIPLINE", "org=NO-SUCH-ORG"} {
			if st, b, _ := get("chunhiem", "/dashboard?"+q); st != http.StatusBadRequest {
				t.Errorf("/dashboard?%s: status %d, want 400\n%s", q, st, b)
			}
		}

		// The viewer of Thanh Hóa: its province only, unmarked records only
		// (the engine's rule for roles without case:read), no overdue work.
		status, body, _ = get("xem", "/dashboard")
		if status != http.StatusOK {
			t.Fatalf("xem /dashboard: status %d", status)
		}
		tables, _ = parseDashboard(t, body)
		checkStats("xem", tables)
		if _, ok := tables["overdue"]; ok {
			t.Error("xem sees overdue work (case registers)")
		}
		for _, want := range []string{"Thanh Hóa", "Chỉ tính hồ sơ không có độ mật", "không được xem hồ sơ vụ việc"} {
			if !strings.Contains(body, want) {
				t.Errorf("xem dashboard lacks %q", want)
			}
		}
		for _, leak := range []string{"Ninh Bình", "/cases?", "/letters?", "/complaints?"} {
			if strings.Contains(body, leak) {
				t.Errorf("xem dashboard contains %q", leak)
			}
		}
		for _, path := range []string{"/dashboard?org=P19", "/dashboard?org=TW"} {
			if st, b, _ := get("xem", path); st != http.StatusForbidden || strings.Contains(b, "Ninh Bình") {
				t.Errorf("xem %s: status %d, want 403 without the unit's name", path, st)
			}
		}
		// The viewer counts what the engine lets it count: for Ninh Bình's
		// numbers as the chair sees them, a viewer scoped there would see
		// at most as many (unmarked only).
		xrep, err := svc.Stats(demoActor(t, db, svc, "xem"), app.StatsQuery{Period: ktgs.Period{Kind: ktgs.PeriodYear, Year: 2026}})
		if err != nil || !xrep.UnmarkedOnly {
			t.Errorf("xem: Stats err %v, unmarked only %v", err, xrep != nil && xrep.UnmarkedOnly)
		}

		// The administrator: stats:read over the whole tree, but no case
		// data (unmarked records only) and so no overdue work.
		status, body, _ = get("quantri", "/dashboard")
		if status != http.StatusOK {
			t.Fatalf("quantri /dashboard: status %d", status)
		}
		tables, _ = parseDashboard(t, body)
		cells, _ = checkStats("quantri", tables)
		if _, ok := tables["overdue"]; ok {
			t.Error("quantri sees overdue work")
		}
		if len(tables["compare"]) < 30 {
			t.Errorf("quantri: the comparison has %d units, want the provinces", len(tables["compare"]))
		}
		if !strings.Contains(body, "Chỉ tính hồ sơ không có độ mật") {
			t.Error("quantri: no unmarked-only notice")
		}
		t.Logf("quantri: %d statistics numbers checked", cells)

		// The auditor has no stats:read; nor has anyone signed out.
		if st, _, _ := get("kiemtoan", "/dashboard"); st != http.StatusForbidden {
			t.Errorf("kiemtoan /dashboard: status %d, want 403", st)
		}
		if st, _, _ := get("-", "/dashboard"); st != http.StatusSeeOther && st != http.StatusUnauthorized {
			t.Errorf("anonymous /dashboard: status %d", st)
		}
		// The nav link is there for stats:read only.
		_, home, _ := get("kiemtoan", "/")
		if strings.Contains(home, `href="/dashboard"`) {
			t.Error("the auditor's nav links the dashboard")
		}
	})
}
