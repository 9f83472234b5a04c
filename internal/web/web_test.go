package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"ktgs/internal/sealed"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"ktgs/internal/app"
	"ktgs/internal/auth"
	"ktgs/internal/civil"
	"ktgs/internal/seed"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
	"ktgs/internal/web"
)

var ctx = context.Background()

// demoServer returns a test server over a fresh demo database.
func demoServer(t *testing.T, db *store.DB) (*httptest.Server, *app.Service) {
	t.Helper()
	if _, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	svc := app.New(db, nil)
	// The demo stories are dated November 2026; pin "today" after them.
	svc.Clock = func() time.Time { return time.Date(2026, 11, 28, 9, 0, 0, 0, app.Zone) }
	// Letters need the identity key (kept outside the database) and the
	// body the public form sends to; the demo stories record letters.
	keys, err := sealed.Generate(filepath.Join(t.TempDir(), "identity.key"))
	if err != nil {
		t.Fatal(err)
	}
	svc.Keys = keys
	if err := svc.SetPublicBody(ctx, "P19-O1-D01-C01"); err != nil {
		t.Fatal(err)
	}
	if err := seed.DemoStories(ctx, svc); err != nil {
		t.Fatal(err)
	}
	// Cheap password hashing keeps the tests fast; production uses the
	// argon2id defaults.
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

type ids struct{ province, commune, branch, member, ended, smallBranch int64 }

func lookup(t *testing.T, db *store.DB) ids {
	var x ids
	db.View(ctx, func(tx *store.Tx) error {
		code := func(c string) int64 {
			id, err := tx.OrgIDByCode(ctx, c)
			if err != nil {
				t.Fatalf("org %s: %v", c, err)
			}
			return id
		}
		x.province, x.commune, x.branch = code("P19"), code("P19-O1-D01-C01"), code("P19-O1-D01-C01-VM1")
		x.ended = code("P19-O2")
		x.smallBranch = code("P19-O1-D01-C01-TYT")
		p, err := tx.MembersOfOrg(ctx, x.branch, "", 1)
		if err != nil || len(p.Members) == 0 {
			t.Fatalf("members: %v", err)
		}
		x.member = p.Members[0].ID
		return nil
	})
	return x
}

// clients holds one signed-in HTTP client per test server and user.
var clients sync.Map

// client returns an HTTP client signed in as user (through POST /login,
// the real path) on ts, or an anonymous one for user "-". It does not
// follow redirects.
func client(t *testing.T, ts *httptest.Server, user string) *http.Client {
	t.Helper()
	// Keyed by the server itself, not its URL: a later test's server may
	// get a closed one's port, and a client signed in there would carry a
	// session of another database. The cached value keeps ts referenced,
	// so its address is never reused while the entry exists.
	key := fmt.Sprintf("%p %s", ts, user)
	if c, ok := clients.Load(key); ok {
		return c.(cachedClient).c
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if user != "-" {
		resp, err := c.PostForm(ts.URL+"/login", url.Values{"username": {user}, "password": {app.DemoPassword}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login as %s: status %d", user, resp.StatusCode)
		}
	}
	clients.Store(key, cachedClient{ts: ts, c: c})
	return c
}

// forgetClient drops the cached client of user on ts (its session ended).
func forgetClient(ts *httptest.Server, user string) { clients.Delete(fmt.Sprintf("%p %s", ts, user)) }

// cachedClient is a signed-in client with the server it belongs to.
type cachedClient struct {
	ts *httptest.Server
	c  *http.Client
}

type scenario struct {
	// as is the demo account to sign in as ("" for quantri, the
	// administrator scoped to the whole tree; "-" for nobody).
	as         string
	name       string
	path       string
	header     map[string]string
	status     int
	contains   []string
	notContain []string
	json       bool
}

func run(t *testing.T, ts *httptest.Server, sc scenario) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, ts.URL+sc.path, nil)
	for k, v := range sc.header {
		req.Header.Set(k, v)
	}
	as := sc.as
	if as == "" {
		as = "quantri"
	}
	resp, err := client(t, ts, as).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != sc.status {
		t.Fatalf("GET %s: status %d, want %d\n%s", sc.path, resp.StatusCode, sc.status, body)
	}
	for _, want := range sc.contains {
		if !strings.Contains(string(body), want) {
			t.Errorf("GET %s: body lacks %q", sc.path, want)
		}
	}
	for _, bad := range sc.notContain {
		if strings.Contains(string(body), bad) {
			t.Errorf("GET %s: body contains %q", sc.path, bad)
		}
	}
	if sc.json {
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("GET %s: Content-Type %q", sc.path, ct)
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Errorf("GET %s: invalid JSON: %v", sc.path, err)
		}
	} else if resp.StatusCode < 300 && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("GET %s: CSP %q", sc.path, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("GET %s: missing hardening headers", sc.path)
		}
		if strings.Contains(string(body), "<script>") || strings.Contains(string(body), " style=") {
			t.Errorf("GET %s: inline script or style", sc.path)
		}
	}
	return string(body)
}

func TestPagesAndAPI(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		ts, _ := demoServer(t, db)
		x := lookup(t, db)
		en := map[string]string{"Cookie": "lang=en"}
		hx := map[string]string{"HX-Request": "true"}
		scenarios := []scenario{
			{name: "home in Vietnamese", path: "/", status: 200, contains: []string{`lang="vi"`, "Hệ thống tổ chức đảng", "Đảng Cộng sản Việt Nam", "Đảng bộ tỉnh Ninh Bình", "Dữ liệu minh họa"}},
			{name: "home in English by cookie", path: "/", header: en, status: 200, contains: []string{`lang="en"`, "Party organisations"}},
			{name: "browser language does not switch the UI", path: "/", header: map[string]string{"Accept-Language": "en-US"}, status: 200, contains: []string{`lang="vi"`}},
			{name: "tree as of 2024 shows the old provinces", path: "/?date=01/06/2024", status: 200, contains: []string{"Đảng bộ tỉnh Hà Nam", "Đảng bộ tỉnh Nam Định", "Đang xem cơ cấu tại ngày 01/06/2024"}},
			{name: "tree today has no old province", path: "/", status: 200, notContain: []string{"Đảng bộ tỉnh Nam Định", "Đảng bộ tỉnh Hà Nam"}},
			{name: "bad date", path: "/?date=31/02/2024", status: 400, contains: []string{"Ngày này không có trong lịch"}},
			{name: "date out of range", path: "/?date=01/01/1800", status: 400, contains: []string{"01/01/1930"}},
			{name: "tree children fragment", path: fmt.Sprintf("/orgs/%d/tree", x.province), header: hx, status: 200, contains: []string{"<li", "Đảng bộ xã"}, notContain: []string{"<html"}},
			{name: "tree children without JS redirects", path: fmt.Sprintf("/orgs/%d/tree", x.province), status: 303},
			{name: "filter without diacritics", path: "/orgs/search?q=ninh+binh", status: 200, contains: []string{"Đảng bộ tỉnh Ninh Bình"}},
			{name: "filter with diacritics, htmx", path: "/orgs/search?q=" + url.QueryEscape("NINH BÌNH"), header: hx, status: 200, contains: []string{"Đảng bộ tỉnh Ninh Bình"}, notContain: []string{"<html"}},
			{name: "filter with no match", path: "/orgs/search?q=zzzz", status: 200, contains: []string{"Không có tổ chức nào khớp"}},
			{name: "filter too long", path: "/orgs/search?q=" + strings.Repeat("a", 101), status: 400},
			{name: "province page", path: fmt.Sprintf("/orgs/%d", x.province), status: 200, contains: []string{"Đảng bộ tỉnh Ninh Bình", "Hợp nhất, sáp nhập", "Đảng bộ tỉnh Hà Nam", "Ủy ban Kiểm tra", "Chủ nhiệm"}},
			{name: "chi bộ page lists members", path: fmt.Sprintf("/orgs/%d", x.branch), status: 200, contains: []string{"Chi bộ thôn Đoàn Kết", "Đảng viên sinh hoạt tại chi bộ", "Chi bộ cơ sở"}},
			{name: "small chi bộ is flagged", path: fmt.Sprintf("/orgs/%d", x.smallBranch), status: 200, contains: []string{"ít hơn mức tối thiểu 3", "Điều 24.1"}},
			{name: "ended province shows what it became", path: fmt.Sprintf("/orgs/%d", x.ended), status: 200, contains: []string{"Đã chấm dứt hoạt động từ 01/07/2025", "Nay là", "Đảng bộ tỉnh Ninh Bình"}},
			{name: "member counts fragment", path: fmt.Sprintf("/orgs/%d/counts", x.province), header: hx, status: 200, contains: []string{"Tổng số"}},
			{name: "member page", path: fmt.Sprintf("/members/%d", x.member), status: 200, contains: []string{"Số thẻ đảng viên", "Quá trình sinh hoạt đảng", "Kết nạp vào Đảng"}},
			{name: "member page in English", path: fmt.Sprintf("/members/%d", x.member), header: en, status: 200, contains: []string{"Party card number"}},
			{name: "unknown org", path: "/orgs/99999999", status: 404, contains: []string{"Mã tham chiếu"}},
			{name: "bad org id", path: "/orgs/abc", status: 404},
			{name: "unknown page", path: "/nope", status: 404, contains: []string{"Không tìm thấy trang"}},
			{name: "language switch", path: "/lang?to=en&back=/orgs/1", status: 303},
			{name: "language switch refuses open redirects", path: "/lang?to=en&back=//evil.example", status: 303},
			{name: "healthz", path: "/healthz", status: 200, contains: []string{"ok"}},
			{name: "readyz", path: "/readyz", status: 200, contains: []string{"ready"}},
			{name: "api roots", path: "/api/v1/orgs", status: 200, json: true, contains: []string{`"child_count":40`}},
			{name: "api org", path: fmt.Sprintf("/api/v1/orgs/%d", x.province), status: 200, json: true, contains: []string{`"code":"P19"`, `"valid_from":"2025-07-01"`}},
			{name: "api org not on date", path: fmt.Sprintf("/api/v1/orgs/%d?date=2024-01-01", x.province), status: 404, json: true, contains: []string{`"code":"not_found"`}},
			{name: "api children", path: fmt.Sprintf("/api/v1/orgs/%d/children", x.commune), status: 200, json: true, contains: []string{"Chi bộ thôn Đoàn Kết"}},
			{name: "api subtree as of 2024", path: fmt.Sprintf("/api/v1/orgs/%d/subtree?date=2024-01-01", x.ended), status: 200, json: true, contains: []string{"DANG_BO_HUYEN"}},
			{name: "api history", path: fmt.Sprintf("/api/v1/orgs/%d/history", x.ended), status: 200, json: true, contains: []string{`"kind":"MERGE"`}},
			{name: "api successors", path: fmt.Sprintf("/api/v1/orgs/%d/successors", x.ended), status: 200, json: true, contains: []string{`"code":"P19"`}},
			{name: "api bodies", path: fmt.Sprintf("/api/v1/orgs/%d/bodies", x.province), status: 200, json: true, contains: []string{`"kind":"UBKT"`, `"role":"SECRETARY"`}},
			{name: "api members", path: fmt.Sprintf("/api/v1/orgs/%d/members?limit=2", x.branch), status: 200, json: true, contains: []string{`"next":`}},
			{name: "api members bad limit", path: fmt.Sprintf("/api/v1/orgs/%d/members?limit=0", x.branch), status: 400, json: true, contains: []string{`"limit"`}},
			{name: "api member", path: fmt.Sprintf("/api/v1/members/%d", x.member), status: 200, json: true, contains: []string{`"card_number":`}},
			{name: "api search", path: "/api/v1/orgs/search?q=ninh+binh", status: 200, json: true, contains: []string{`"ancestors":["Đảng Cộng sản Việt Nam"]`}},
			{name: "api search needs q", path: "/api/v1/orgs/search", status: 400, json: true, contains: []string{`"q"`}},
			{name: "api errors in English by Accept-Language", path: "/api/v1/orgs/search", header: map[string]string{"Accept-Language": "en"}, status: 400, json: true, contains: []string{"Required."}},
			{name: "api unknown", path: "/api/v1/nope", status: 404, json: true},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) { run(t, ts, sc) })
		}
	})
}

func TestMetricsUseRoutePatterns(t *testing.T) {
	ts, _ := demoServer(t, testdb.OpenSQLite(t))
	run(t, ts, scenario{path: "/orgs/1", status: 200})
	run(t, ts, scenario{path: "/orgs/2", status: 200})
	body := run(t, ts, scenario{path: "/metrics", status: 200})
	if !strings.Contains(body, `ktgs_http_requests_total{route="GET /orgs/{id}",code="200"} 2`) {
		t.Errorf("metrics lack the route pattern label:\n%s", body)
	}
	if strings.Contains(body, `route="/orgs/1"`) {
		t.Error("metrics must not be labelled by raw path")
	}
}

func TestMemberPaging(t *testing.T) {
	db := testdb.OpenSQLite(t)
	ts, _ := demoServer(t, db)
	x := lookup(t, db)
	var names []string
	cursor := ""
	for i := 0; i < 50; i++ {
		var page struct {
			Items []struct {
				FullName string `json:"full_name"`
			}
			Next string
		}
		resp, err := client(t, ts, "quantri").Get(fmt.Sprintf("%s/api/v1/orgs/%d/members?limit=3&cursor=%s", ts.URL, x.branch, cursor))
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		for _, m := range page.Items {
			names = append(names, m.FullName)
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	var count int
	db.View(ctx, func(tx *store.Tx) error {
		c, _ := tx.CountMembers(ctx, x.branch, civil.MustParse("2026-11-28"))
		count = c.Total
		return nil
	})
	if len(names) != count || count < 4 {
		t.Fatalf("paged %d names, chi bộ has %d", len(names), count)
	}
	seen := map[string]int{}
	for _, n := range names {
		seen[n]++
	}
	if len(seen) < count/2 {
		t.Errorf("pages repeat members: %v", names)
	}
}
