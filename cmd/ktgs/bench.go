package main

import (
	"bufio"
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/auth"
	"ktgs/internal/authz"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	neturl "net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"ktgs/internal/civil"
	"ktgs/internal/store"
)

// cmdBench measures a running server: it samples organisations and members
// from the database, requests pages and API endpoints concurrently, and
// reports latency percentiles per scenario and the server's resident
// memory (from its /metrics). Numbers go into docs/PERFORMANCE.md.
func cmdBench(ctx context.Context, e *env, args []string) error {
	var c Config
	fs := newFlags(e, "bench")
	bindDB(e, fs, &c)
	url := fs.String("url", "http://127.0.0.1:8080", "the server to measure")
	n := fs.Int("requests", 2000, "requests per scenario")
	conc := fs.Int("concurrency", 4, "requests in flight")
	seedN := fs.Uint64("seed", 1, "random seed for the sample")
	only := fs.String("only", "", "run only scenarios whose name contains this")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := openDB(ctx, e, &c)
	if err != nil {
		return err
	}
	sample, err := benchSample(ctx, db, *seedN)
	if err != nil {
		db.Close()
		return err
	}
	// Requests are signed in like a user's: a temporary read-only account
	// over the whole tree, disabled at the end (both recorded in the audit
	// trail), and a session cookie from POST /login.
	svc := app.New(db, c.logger(e.stderr))
	// The statistics scenarios sign in as a national commission chair,
	// the others as an inspection cadre; both over the whole tree.
	role := authz.RoleInspector
	if strings.HasPrefix(*only, "stats") {
		role = authz.RoleChair
	}
	user, password, secret, err := benchAccount(ctx, svc, role)
	if err != nil {
		if user != nil {
			svc.UpdateUser(app.AsSystem(ctx), user.ID, app.UserInput{DisplayName: user.DisplayName, Role: user.Role,
				Clearance: user.Clearance.Code(), Scope: user.Scope, Disabled: true})
		}
		db.Close()
		return err
	}
	defer func() {
		in := app.UserInput{DisplayName: user.DisplayName, Role: user.Role, Clearance: user.Clearance.Code(), Scope: user.Scope, Disabled: true}
		if _, err := svc.UpdateUser(app.AsSystem(ctx), user.ID, in); err != nil {
			fmt.Fprintf(e.stderr, "bench: could not disable account %s: %v\n", user.Username, err)
		}
		db.Close()
	}()
	if len(sample.orgs) == 0 || len(sample.members) == 0 {
		return fmt.Errorf("the database has no organisations or members to sample")
	}
	r := rand.New(rand.NewPCG(*seedN, 7))
	pick := func(ids []int64) int64 {
		if len(ids) == 0 {
			return 0
		}
		return ids[r.IntN(len(ids))]
	}
	pickS := func(s []string) string {
		if len(s) == 0 {
			return ""
		}
		return s[r.IntN(len(s))]
	}
	// The case list as a commission filters it: one unit's subtree, a
	// status and a year of the ten.
	statuses := []ktgs.CaseStatus{ktgs.CaseClosed, ktgs.CaseClosed, ktgs.CaseFollowUp, ktgs.CaseConcluded, ktgs.CaseVerifying, ktgs.CaseAnnounced}
	caseFilter := func() string {
		return fmt.Sprintf("org=%s&status=%s&year=%d", neturl.QueryEscape(pickS(sample.caseOrgs)), statuses[r.IntN(len(statuses))], 2016+r.IntN(11))
	}
	scenarios := []struct {
		name string
		path func() string
	}{
		{"children of a unit (API)", func() string { return fmt.Sprintf("/api/v1/orgs/%d/children", pick(sample.orgs)) }},
		{"children of a unit (tree fragment)", func() string { return fmt.Sprintf("/orgs/%d/tree", pick(sample.orgs)) }},
		{"children of a unit in 2024 (API)", func() string { return fmt.Sprintf("/api/v1/orgs/%d/children?date=2024-06-01", pick(sample.orgs2024)) }},
		{"member page (HTML)", func() string { return fmt.Sprintf("/members/%d", pick(sample.members)) }},
		{"member (API)", func() string { return fmt.Sprintf("/api/v1/members/%d", pick(sample.members)) }},
		{"chi bộ page with members (HTML)", func() string { return fmt.Sprintf("/orgs/%d", pick(sample.branches)) }},
		{"organisation page (HTML)", func() string { return fmt.Sprintf("/orgs/%d", pick(sample.orgs)) }},
		{"case list: subtree, status, year (HTML)", func() string { return "/cases?" + caseFilter() }},
		{"case list: subtree, status, year (API)", func() string { return "/api/v1/cases?" + caseFilter() }},
		{"case list: subtree only (HTML)", func() string { return "/cases?org=" + neturl.QueryEscape(pickS(sample.caseOrgs)) }},
		{"case page (HTML)", func() string { return fmt.Sprintf("/cases/%d", pick(sample.cases)) }},
		{"case (API)", func() string { return fmt.Sprintf("/api/v1/cases/%d", pick(sample.cases)) }},
	}
	// Statistics (issue 8): the national report of a year of the ten by
	// province (the unit defaults to the account's scope, the root), in
	// both views; the first page of the list behind the report's largest
	// cell and behind any non-zero cell; the XLSX of the report; a
	// province's report by its units and the list behind any of its
	// non-zero cells, and the same list for units under provinces.
	if strings.HasPrefix(*only, "stats") {
		cells, err := benchStatsCells(ctx, svc)
		if err != nil {
			return err
		}
		year := func() int { return 2016 + r.IntN(11) }
		scenarios = append(scenarios, []struct {
			name string
			path func() string
		}{
			{"stats: national year by province, TODAY (API)", func() string { return fmt.Sprintf("/api/v1/stats?year=%d&view=TODAY", year()) }},
			{"stats: national year by province, AS_THEN (API)", func() string { return fmt.Sprintf("/api/v1/stats?year=%d&view=AS_THEN", year()) }},
			{"stats: national year by province, TODAY (HTML)", func() string { return fmt.Sprintf("/stats?year=%d&view=TODAY", year()) }},
			{"stats: drill, largest cell, first page (API)", func() string { return cells.largest[r.IntN(len(cells.largest))].query() }},
			{"stats: drill, any non-zero cell, first page (API)", func() string { return cells.any[r.IntN(len(cells.any))].query() }},
			{"stats: national year XLSX", func() string { return fmt.Sprintf("/stats.xlsx?year=%d&view=TODAY", year()) }},
			{"stats: province year by its units, TODAY (API)", func() string {
				return fmt.Sprintf("/api/v1/stats?org=%s&year=%d&view=TODAY&breakdown=CHILDREN", neturl.QueryEscape(pickS(cells.provinces)), year())
			}},
			{"stats: province year by its units, AS_THEN (API)", func() string {
				return fmt.Sprintf("/api/v1/stats?org=%s&year=%d&view=AS_THEN&breakdown=CHILDREN", neturl.QueryEscape(pickS(cells.provinces)), year())
			}},
			{"stats: drill, province report, any non-zero cell (API)", func() string {
				return cells.province[r.IntN(len(cells.province))].query()
			}},
			{"stats: drill, report of a unit under a province, any non-zero cell (API)", func() string {
				return cells.below[r.IntN(len(cells.below))].query()
			}},
		}...)
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *conc}}
	if err := benchSignIn(client, *url, user.Username, password, secret); err != nil {
		return err
	}
	hdr := map[string]string{"HX-Request": "true"}
	fmt.Fprintf(e.stdout, "KTGS bench: %s, %d requests per scenario, concurrency %d, sample of %d units and %d members (seed %d)\n",
		*url, *n, *conc, len(sample.orgs), len(sample.members), *seedN)
	fmt.Fprintf(e.stdout, "%-38s %9s %9s %9s %9s %8s\n", "scenario", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors")
	for _, sc := range scenarios {
		if *only != "" && !strings.Contains(sc.name, *only) {
			continue
		}
		if (strings.HasPrefix(sc.name, "case") || strings.HasPrefix(sc.name, "stats")) && len(sample.cases) == 0 {
			fmt.Fprintf(e.stdout, "%-38s (no cases in the database: run ktgs seed)\n", sc.name)
			continue
		}
		paths := make([]string, *n)
		for i := range paths {
			paths[i] = sc.path()
		}
		// Warm up the connection pool and caches a little, then measure.
		for _, p := range paths[:min(20, len(paths))] {
			benchGet(ctx, client, *url+p, hdr)
		}
		lat := make([]time.Duration, len(paths))
		var errs int
		var mu sync.Mutex
		var wg sync.WaitGroup
		next := make(chan int)
		for range *conc {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					t0 := time.Now()
					if err := benchGet(ctx, client, *url+paths[i], hdr); err != nil {
						mu.Lock()
						errs++
						mu.Unlock()
					}
					lat[i] = time.Since(t0)
				}
			}()
		}
		for i := range paths {
			next <- i
		}
		close(next)
		wg.Wait()
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		ms := func(q float64) string {
			d := lat[min(len(lat)-1, int(q*float64(len(lat))))]
			return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64)
		}
		fmt.Fprintf(e.stdout, "%-38s %9s %9s %9s %9s %8d\n", sc.name, ms(0.50), ms(0.95), ms(0.99), ms(1), errs)
	}
	if rss, err := serverRSS(ctx, client, *url); err == nil {
		fmt.Fprintf(e.stdout, "server resident memory after the run: %.1f MB\n", rss/1e6)
	} else {
		fmt.Fprintf(e.stdout, "server resident memory: unknown (%v)\n", err)
	}
	return nil
}

// benchAccount creates the bench's temporary account with a random
// password: an inspection cadre over the whole tree cleared for every
// mark, so case pages and lists are measured as such a reader sees them.
// Two-factor authentication is mandatory for the role, so the account is
// enrolled with a fresh TOTP secret through the service (audited), and
// the secret is returned for the sign-in.
func benchAccount(ctx context.Context, svc *app.Service, role authz.Role) (*ktgs.User, string, string, error) {
	var roots []int64
	if err := svc.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		roots, err = tx.RootIDs(ctx)
		return err
	}); err != nil {
		return nil, "", "", err
	}
	b := make([]byte, 18)
	crand.Read(b)
	password := base64.RawURLEncoding.EncodeToString(b)
	name := fmt.Sprintf("bench-%d", time.Now().Unix())
	u, _, err := svc.CreateUser(app.AsSystem(ctx), app.UserInput{Username: name, DisplayName: "ktgs bench", Role: role,
		Clearance: authz.TopSecret.Code(), Scope: roots, Password: password})
	if err != nil {
		return nil, "", "", err
	}
	secret, err := auth.NewTOTPSecret()
	if err != nil {
		return u, "", "", err
	}
	code, err := auth.TOTPCode(secret, time.Now())
	if err != nil {
		return u, "", "", err
	}
	actx := app.WithActor(ctx, &authz.Actor{UserID: u.ID, Name: u.Username, Role: u.Role, Scope: u.Scope, Clearance: u.Clearance})
	if _, err := svc.ConfirmTOTP(actx, "", secret, code); err != nil {
		return u, "", "", fmt.Errorf("bench: enrolling two-factor authentication: %w", err)
	}
	return u, password, secret, nil
}

// benchSignIn signs in as the bench account with its password and, as a
// user would, the next TOTP code (the one used at enrolment may not be
// used again).
func benchSignIn(client *http.Client, url, username, password, secret string) error {
	resp, err := client.PostForm(url+"/login", neturl.Values{"username": {username}, "password": {password}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.Request.URL.Path != "/login/totp" {
		return fmt.Errorf("bench: could not sign in to %s as %s (landed on %s)", url, username, resp.Request.URL.Path)
	}
	code, err := auth.TOTPCode(secret, time.Now().Add(30*time.Second))
	if err != nil {
		return err
	}
	resp, err = client.PostForm(url+"/login/totp", neturl.Values{"code": {code}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if strings.HasPrefix(resp.Request.URL.Path, "/login") {
		return fmt.Errorf("bench: the second factor was refused by %s", url)
	}
	return nil
}

func benchGet(ctx context.Context, c *http.Client, url string, hdr map[string]string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return nil
}

// serverRSS reads process_resident_memory_bytes from the server's /metrics.
func serverRSS(ctx context.Context, c *http.Client, url string) (float64, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/metrics", nil)
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "process_resident_memory_bytes "); ok {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	return 0, fmt.Errorf("no process_resident_memory_bytes in /metrics")
}

// benchCell is a cell of a report (the national one, or a province's
// when org is set) to drill into.
type benchCell struct {
	year int
	view ktgs.StatsView
	key  string
	org  string // the unit's code (a province, or a unit under one)
}

// query is the cell's drill-down request.
func (c benchCell) query() string {
	q := fmt.Sprintf("/api/v1/stats/drill?year=%d&view=%s&cell=%s", c.year, c.view, neturl.QueryEscape(c.key))
	if c.org != "" {
		q += "&org=" + neturl.QueryEscape(c.org) + "&breakdown=CHILDREN"
	}
	return q
}

// benchStatsCells reads the national reports of 2016–2026 in both views
// (as the system, over everything) and returns the largest cell of each
// and every non-zero cell.
func benchStatsCells(ctx context.Context, svc *app.Service) (benchStatsSample, error) {
	var out benchStatsSample
	for y := 2016; y <= 2026; y++ {
		for _, v := range []ktgs.StatsView{ktgs.ViewToday, ktgs.ViewAsThen} {
			rep, err := svc.Stats(app.AsSystem(ctx), app.StatsQuery{Period: ktgs.Period{Kind: ktgs.PeriodYear, Year: y}, View: v,
				Breakdown: ktgs.BreakdownChildren})
			if err != nil {
				return out, err
			}
			best := benchCell{}
			n := 0
			for _, row := range rep.Rows {
				for _, c := range row.Cells {
					if c.Count > 0 && c.Key != "" {
						out.any = append(out.any, benchCell{y, v, c.Key, ""})
						if c.Count > n {
							best, n = benchCell{y, v, c.Key, ""}, c.Count
						}
					}
				}
			}
			if n > 0 {
				out.largest = append(out.largest, best)
			}
		}
	}
	if len(out.any) == 0 {
		return out, fmt.Errorf("bench: the national reports have no non-zero cell (run ktgs seed)")
	}
	// Eight provinces of today (every fourth unit under the root), their
	// reports by their own units: the counts read stat_facts, not the
	// national sums.
	roots, err := svc.Stats(app.AsSystem(ctx), app.StatsQuery{Period: ktgs.Period{Kind: ktgs.PeriodYear, Year: 2024},
		Breakdown: ktgs.BreakdownChildren, Indicators: []string{ktgs.StatsIndicators[0].ID}})
	if err != nil {
		return out, err
	}
	ids := map[string]int64{}
	for i := 2; i < len(roots.Columns) && len(out.provinces) < 8; i += 4 {
		ids[roots.Columns[i].Code] = roots.Columns[i].OrgID
		out.provinces = append(out.provinces, roots.Columns[i].Code)
	}
	// cellsOf appends the non-zero cells of the unit's reports by its own
	// units (three years, both views) to list, and returns the codes and
	// ids of the unit's first and middle child of today.
	cellsOf := func(code string, id int64, list *[]benchCell) (map[string]int64, error) {
		kids := map[string]int64{}
		for _, y := range []int{2018, 2024, 2026} {
			for _, v := range []ktgs.StatsView{ktgs.ViewToday, ktgs.ViewAsThen} {
				rep, err := svc.Stats(app.AsSystem(ctx), app.StatsQuery{OrgID: id, Period: ktgs.Period{Kind: ktgs.PeriodYear, Year: y}, View: v,
					Breakdown: ktgs.BreakdownChildren})
				if err != nil {
					return nil, err
				}
				for _, row := range rep.Rows {
					for _, c := range row.Cells {
						if c.Count > 0 && c.Key != "" {
							*list = append(*list, benchCell{y, v, c.Key, code})
						}
					}
				}
				if v == ktgs.ViewToday && y == 2026 && len(rep.Columns) > 2 {
					for _, i := range []int{2, 2 + (len(rep.Columns)-2)/2} {
						kids[rep.Columns[i].Code] = rep.Columns[i].OrgID
					}
				}
			}
		}
		return kids, nil
	}
	// And two units of today under each of them (a commune, a ward, a
	// Party committee of an agency): a report of a unit below a province
	// reads neither the sums nor the indexes of the units under the root.
	for _, org := range out.provinces {
		kids, err := cellsOf(org, ids[org], &out.province)
		if err != nil {
			return out, err
		}
		for code, id := range kids {
			if _, err := cellsOf(code, id, &out.below); err != nil {
				return out, err
			}
		}
	}
	if len(out.below) == 0 {
		return out, fmt.Errorf("bench: the reports of the units below the provinces have no non-zero cell")
	}
	return out, nil
}

// benchStatsSample holds the cells the statistics scenarios drill into.
type benchStatsSample struct {
	largest, any []benchCell // of the national reports
	provinces    []string    // codes of provinces of today
	province     []benchCell // non-zero cells of their reports
	below        []benchCell // and of the reports of units under them
}

type benchIDs struct {
	orgs, orgs2024, branches, members, cases []int64
	caseOrgs                                 []string // codes of provinces and communes today
}

// benchSample draws units of every depth (a uniform draw would be almost
// only chi bộ) and members at random.
func benchSample(ctx context.Context, db *store.DB, seedN uint64) (*benchIDs, error) {
	r := rand.New(rand.NewPCG(seedN, 11))
	s := &benchIDs{}
	byDepth := map[int][]int64{}
	byDepth2024 := map[int][]int64{}
	today, then := civil.Today(time.Local), civil.New(2024, 6, 1)
	var maxMember, maxCase int64
	err := db.View(ctx, func(tx *store.Tx) error {
		if err := tx.EachOrgVersion(ctx, false, func(o *ktgs.Org) error {
			if o.ActiveOn(today) {
				byDepth[o.Depth] = append(byDepth[o.Depth], o.ID)
				if (o.Depth == 1 || o.Depth == 2) && r.IntN(4) == 0 {
					s.caseOrgs = append(s.caseOrgs, o.Code)
				}
				if o.Type.IsBranch() && r.IntN(20) == 0 {
					s.branches = append(s.branches, o.ID)
				}
			}
			if o.ActiveOn(then) {
				byDepth2024[o.Depth] = append(byDepth2024[o.Depth], o.ID)
			}
			return nil
		}); err != nil {
			return err
		}
		ids, err := db.MaxIDs(ctx)
		maxMember, maxCase = ids["members"], ids["cases"]
		return err
	})
	if err != nil {
		return nil, err
	}
	take := func(m map[int][]int64, per int) []int64 {
		var out []int64
		for _, ids := range m {
			for i := 0; i < per && len(ids) > 0; i++ {
				out = append(out, ids[r.IntN(len(ids))])
			}
		}
		return out
	}
	s.orgs, s.orgs2024 = take(byDepth, 400), take(byDepth2024, 400)
	for i := 0; i < 5000 && maxMember > 0; i++ {
		s.members = append(s.members, 1+r.Int64N(maxMember))
	}
	for i := 0; i < 5000 && maxCase > 0; i++ {
		s.cases = append(s.cases, 1+r.Int64N(maxCase))
	}
	return s, nil
}
