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
	user, password, err := benchAccount(ctx, svc)
	if err != nil {
		db.Close()
		return err
	}
	defer func() {
		in := app.UserInput{DisplayName: user.DisplayName, Role: user.Role, Clearance: user.Clearance.Code(), Scope: user.Scope, Disabled: true}
		if _, err := svc.UpdateUser(ctx, user.ID, in); err != nil {
			fmt.Fprintf(e.stderr, "bench: could not disable account %s: %v\n", user.Username, err)
		}
		db.Close()
	}()
	if len(sample.orgs) == 0 || len(sample.members) == 0 {
		return fmt.Errorf("the database has no organisations or members to sample")
	}
	r := rand.New(rand.NewPCG(*seedN, 7))
	pick := func(ids []int64) int64 { return ids[r.IntN(len(ids))] }
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
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *conc}}
	resp, err := client.PostForm(*url+"/login", neturl.Values{"username": {user.Username}, "password": {password}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.Request.URL.Path == "/login" {
		return fmt.Errorf("bench: could not sign in to %s as %s", *url, user.Username)
	}
	hdr := map[string]string{"HX-Request": "true"}
	fmt.Fprintf(e.stdout, "KTGS bench: %s, %d requests per scenario, concurrency %d, sample of %d units and %d members (seed %d)\n",
		*url, *n, *conc, len(sample.orgs), len(sample.members), *seedN)
	fmt.Fprintf(e.stdout, "%-38s %9s %9s %9s %9s %8s\n", "scenario", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors")
	for _, sc := range scenarios {
		if *only != "" && !strings.Contains(sc.name, *only) {
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
// password.
func benchAccount(ctx context.Context, svc *app.Service) (*ktgs.User, string, error) {
	var roots []int64
	if err := svc.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		roots, err = tx.RootIDs(ctx)
		return err
	}); err != nil {
		return nil, "", err
	}
	b := make([]byte, 18)
	crand.Read(b)
	password := base64.RawURLEncoding.EncodeToString(b)
	name := fmt.Sprintf("bench-%d", time.Now().Unix())
	u, _, err := svc.CreateUser(app.AsSystem(ctx), app.UserInput{Username: name, DisplayName: "ktgs bench", Role: authz.RoleViewer,
		Scope: roots, Password: password})
	return u, password, err
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

type benchIDs struct {
	orgs, orgs2024, branches, members []int64
}

// benchSample draws units of every depth (a uniform draw would be almost
// only chi bộ) and members at random.
func benchSample(ctx context.Context, db *store.DB, seedN uint64) (*benchIDs, error) {
	r := rand.New(rand.NewPCG(seedN, 11))
	s := &benchIDs{}
	byDepth := map[int][]int64{}
	byDepth2024 := map[int][]int64{}
	today, then := civil.Today(time.Local), civil.New(2024, 6, 1)
	var maxMember int64
	err := db.View(ctx, func(tx *store.Tx) error {
		if err := tx.EachOrgVersion(ctx, false, func(o *ktgs.Org) error {
			if o.ActiveOn(today) {
				byDepth[o.Depth] = append(byDepth[o.Depth], o.ID)
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
		maxMember = ids["members"]
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
	return s, nil
}
