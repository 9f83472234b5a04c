package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	crand "crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"io/fs"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"ktgs/internal/app"
	"ktgs/internal/rules"
	"ktgs/internal/testdb"
)

// runCmd runs a ktgs command with its own environment and returns the exit
// code, stdout and stderr.
func runCmd(t *testing.T, ctx context.Context, envv map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return envv[k] }}
	code := runEnv(ctx, e, args)
	return code, out.String(), errb.String()
}

func TestHelpVersionUnknown(t *testing.T) {
	ctx := context.Background()
	if code, out, _ := runCmd(t, ctx, nil, "help"); code != 0 || !strings.Contains(out, "serve") || !strings.Contains(out, "import") {
		t.Errorf("help: %d %q", code, out)
	}
	if code, out, _ := runCmd(t, ctx, nil, "version"); code != 0 || !strings.HasPrefix(out, "ktgs ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, errs := runCmd(t, ctx, nil, "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown: %d %q", code, errs)
	}
	if code, _, errs := runCmd(t, ctx, nil, "import", "people", "x.csv"); code != 2 || !strings.Contains(errs, "usage: ktgs import") {
		t.Errorf("bad import: %d %q", code, errs)
	}
	if code, _, errs := runCmd(t, ctx, nil, "serve", "--demo", "--production", "--data", t.TempDir()); code != 1 || !strings.Contains(errs, "exclude each other") {
		t.Errorf("demo+production: %d %q", code, errs)
	}
	// Bad serving options are refused before anything is opened, naming
	// the option.
	for _, c := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"--max-file-mb", "0"}, "--max-file-mb"},
		{map[string]string{"KTGS_MAX_FILE_MB": "20MB"}, nil, "--max-file-mb"},
		{nil, []string{"--remind-every", "5s"}, "--remind-every"},
		{nil, []string{"--smtp-addr", "mail.example.vn"}, "KTGS_SMTP_ADDR"},
		{nil, []string{"--smtp-addr", "mail.example.vn:25", "--smtp-tls", "none"}, "loopback"},
		{map[string]string{"KTGS_SMTP_ADDR": "127.0.0.1:25", "KTGS_SMTP_PASSWORD": "x"}, nil, "KTGS_SMTP_USERNAME"},
		// No identity key ring outside demo mode, or a broken one.
		{nil, nil, "ktgs keys init --data"},
		{nil, []string{"--identity-keys", filepath.Join(t.TempDir(), "none.key")}, "ktgs keys init --identity-keys"},
		{map[string]string{"KTGS_IDENTITY_KEYS": "not a key"}, nil, "KTGS_IDENTITY_KEYS"},
		{nil, []string{"--demo", "--log-format", "xml"}, "--log-format"},
	} {
		dir := t.TempDir()
		code, _, errs := runCmd(t, ctx, c.env, append([]string{"serve", "--data", dir}, c.args...)...)
		if code != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("serve %v %v: %d %q, want a refusal naming %s", c.env, c.args, code, errs, c.want)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("serve %v %v: refused but created %d files", c.env, c.args, len(entries))
		}
	}
	// keys: bad subcommands and flags are usage errors; bad values are
	// refused before a key file is made.
	for _, args := range [][]string{{"keys"}, {"keys", "frobnicate"}, {"keys", "rotate", "--prune=maybe"}, {"keys", "list", "extra"}} {
		if code, _, errs := runCmd(t, ctx, nil, args...); code != 2 || !strings.Contains(errs, "usage: ktgs keys") {
			t.Errorf("%v: %d %q", args, code, errs)
		}
	}
	dir := t.TempDir()
	if code, _, errs := runCmd(t, ctx, nil, "keys", "init", "--data", dir, "--log-format", "xml"); code != 1 || !strings.Contains(errs, "--log-format") {
		t.Errorf("keys init with a bad flag value: %d %q", code, errs)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("keys init refused but created %d files", len(entries))
	}
}

// TestEveryCommandHasHelp: every command has a usage line and a help text,
// shown by "ktgs help COMMAND" and listed by "ktgs help".
func TestEveryCommandHasHelp(t *testing.T) {
	ctx := context.Background()
	_, all, _ := runCmd(t, ctx, nil, "help")
	for _, c := range commands() {
		if c.usage == "" || c.help == "" || !strings.HasPrefix(c.usage, c.name) {
			t.Errorf("command %s: usage %q, help %q", c.name, c.usage, c.help)
		}
		if !strings.Contains(all, c.name) || !strings.Contains(all, c.help) {
			t.Errorf("ktgs help does not list %s", c.name)
		}
		code, out, _ := runCmd(t, ctx, nil, "help", c.name)
		if code != 0 || !strings.Contains(out, "usage: ktgs "+c.usage) || !strings.Contains(out, c.help) {
			t.Errorf("ktgs help %s: %d %q", c.name, code, out)
		}
	}
}

// TestDatabaseDown starts against a PostgreSQL port where nothing listens:
// a clear message and a non-zero exit, not a hang or a stack trace.
func TestDatabaseDown(t *testing.T) {
	ctx := context.Background()
	start := time.Now()
	code, _, errs := runCmd(t, ctx, map[string]string{"KTGS_DATABASE_URL": "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2",
		"KTGS_IDENTITY_KEYS": testKeyRing(t)}, "serve")
	if code != 3 {
		t.Errorf("exit code %d, want 3 (database unavailable)", code)
	}
	if !strings.Contains(errs, "database does not answer") || !strings.Contains(errs, "127.0.0.1:1") {
		t.Errorf("message %q", errs)
	}
	if time.Since(start) > 15*time.Second {
		t.Errorf("took %v to give up", time.Since(start))
	}
	if code, _, errs := runCmd(t, ctx, map[string]string{"KTGS_DATABASE_URL": "mysql://x"}, "migrate"); code != 1 || !strings.Contains(errs, "postgres:// URL") {
		t.Errorf("bad URL: %d %q", code, errs)
	}
}

// TestServeDemo boots the real server on port 0 with a fresh demo
// database, fetches pages over HTTP and shuts it down as SIGTERM would.
func TestServeDemo(t *testing.T) {
	for _, eng := range testdb.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			envv := map[string]string{"KTGS_DATA_DIR": t.TempDir(), "KTGS_ADDR": "127.0.0.1:0", "KTGS_LOG_LEVEL": "warn"}
			if eng.Name == "postgres" {
				envv["KTGS_DATABASE_URL"] = eng.URL(t)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			addr := make(chan string, 1)
			done := make(chan int, 1)
			var errb bytes.Buffer
			go func() {
				e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &errb, getenv: func(k string) string { return envv[k] },
					ready: func(a string) { addr <- a }}
				done <- runEnv(ctx, e, []string{"serve", "--demo"})
			}()
			var base string
			select {
			case a := <-addr:
				base = "http://" + a
			case code := <-done:
				t.Fatalf("serve exited early with %d: %s", code, errb.String())
			case <-time.After(60 * time.Second):
				t.Fatal("serve did not start")
			}
			// Signed out: the login page, which lists the demo accounts.
			if body := get(t, http.DefaultClient, base+"/"); !strings.Contains(body, "Tài khoản demo") || !strings.Contains(body, app.DemoPassword) {
				t.Errorf("GET / signed out: no login page with the demo accounts")
			}
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar}
			resp, err := c.PostForm(base+"/login", url.Values{"username": {"quantri"}, "password": {app.DemoPassword}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			for path, want := range map[string]string{"/": "Đảng bộ tỉnh Ninh Bình", "/readyz": "ready", "/api/v1/orgs": `"code":"TW"`,
				"/public/letter": "Thông tin người gửi phản hồi"} {
				if body := get(t, c, base+path); !strings.Contains(body, want) {
					t.Errorf("GET %s: body lacks %q", path, want)
				}
			}
			// ktgs bench against it: signs in with a temporary account
			// enrolled in two-factor authentication and measures every
			// scenario, the demo's cases included, without an error.
			code, out, errs := runCmd(t, context.Background(), envv, "bench", "--url", base, "--requests", "20", "--concurrency", "2")
			if code != 0 {
				t.Fatalf("bench: %d %s %s", code, out, errs)
			}
			scenarios := 0
			for _, line := range strings.Split(out, "\n") {
				f := strings.Fields(line)
				if len(f) < 6 || f[len(f)-1] == "errors" || strings.HasPrefix(line, "KTGS bench") || !strings.Contains(line, "(") {
					continue
				}
				scenarios++
				if f[len(f)-1] != "0" {
					t.Errorf("bench scenario with errors: %s", line)
				}
			}
			if scenarios < 12 || !strings.Contains(out, "case page (HTML)") || !strings.Contains(out, "case list: subtree, status, year (API)") {
				t.Errorf("bench measured %d scenarios:\n%s", scenarios, out)
			}
			cancel() // what SIGTERM does through signal.NotifyContext
			select {
			case code := <-done:
				if code != 0 {
					t.Errorf("exit code %d after shutdown: %s", code, errb.String())
				}
			case <-time.After(30 * time.Second):
				t.Fatal("no graceful shutdown")
			}
			// Demo mode generated the identity key ring in the data
			// directory and said where.
			key := filepath.Join(envv["KTGS_DATA_DIR"], "identity.key")
			if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("demo identity key: %v %v", st, err)
			}
			if !strings.Contains(errb.String(), "a new one was generated at") || !strings.Contains(errb.String(), key) {
				t.Errorf("demo mode did not say it generated the key:\n%s", errb.String())
			}
		})
	}
}

func get(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return string(body)
}

// TestProductionFirstStart: production mode on an empty database prints a
// one-time setup link for the administrator (there is no default
// password); the link works once; production refuses a database with demo
// accounts.
func TestProductionFirstStart(t *testing.T) {
	dir := t.TempDir()
	envv := map[string]string{"KTGS_DATA_DIR": dir, "KTGS_ADDR": "127.0.0.1:0", "KTGS_LOG_LEVEL": "warn"}
	// Production needs the identity key ring first.
	if code, out, errs := runCmd(t, context.Background(), envv, "keys", "init"); code != 0 {
		t.Fatalf("keys init: %d %s %s", code, out, errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr := make(chan string, 1)
	done := make(chan int, 1)
	var errb syncBuffer
	go func() {
		e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &errb, getenv: func(k string) string { return envv[k] },
			ready: func(a string) { addr <- a }}
		done <- runEnv(ctx, e, []string{"serve", "--production"})
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case code := <-done:
		t.Fatalf("serve exited early with %d: %s", code, errb.String())
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start")
	}
	m := regexp.MustCompile(`http://[^\s]+/setup/([A-Za-z0-9_-]+)`).FindStringSubmatch(errb.String())
	if m == nil {
		t.Fatalf("no setup link printed:\n%s", errb.String())
	}
	link := base + "/setup/" + m[1]
	if body := get(t, http.DefaultClient, link); !strings.Contains(body, "admin") {
		t.Errorf("setup page does not name the account")
	}
	// No default password: nothing signs in before setup.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, pw := range []string{"admin", "password", "", app.DemoPassword} {
		resp, err := c.PostForm(base+"/login", url.Values{"username": {"admin"}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusSeeOther {
			t.Fatalf("signed in as admin with %q before setup", pw)
		}
	}
	pw := "Ủy ban kiểm tra tỉnh 2026!"
	resp, err := c.PostForm(link, url.Values{"password": {pw}, "confirm": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("setup: status %d", resp.StatusCode)
	}
	resp, _ = c.PostForm(link, url.Values{"password": {pw}, "confirm": {pw}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("second use of the setup link: status %d, want 404", resp.StatusCode)
	}
	cancel()
	<-done

	// A database with demo accounts is refused in production.
	demoDir := t.TempDir()
	dctx, dcancel := context.WithCancel(context.Background())
	denv := map[string]string{"KTGS_DATA_DIR": demoDir, "KTGS_ADDR": "127.0.0.1:0", "KTGS_LOG_LEVEL": "warn"}
	dready := make(chan string, 1)
	ddone := make(chan int, 1)
	go func() {
		e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return denv[k] },
			ready: func(a string) { dready <- a }}
		ddone <- runEnv(dctx, e, []string{"serve", "--demo"})
	}()
	select {
	case <-dready:
	case <-time.After(60 * time.Second):
		t.Fatal("demo server did not start")
	}
	dcancel()
	<-ddone
	code, _, errs := runCmd(t, context.Background(), denv, "serve", "--production")
	if code == 0 || !strings.Contains(errs, "demo") {
		t.Errorf("production on a demo database: exit %d, %q", code, errs)
	}
}

// syncBuffer is a bytes.Buffer safe for the server goroutine to write
// while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestCLIWorkflow seeds, exports, re-imports and checks through the
// commands an operator types.
func TestCLIWorkflow(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	envv := map[string]string{"KTGS_DATA_DIR": dir, "KTGS_LOG_LEVEL": "warn"}
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"migrate", "--status"}, "pending migration"},
		{[]string{"migrate"}, "migration(s) applied"},
		{[]string{"migrate"}, "0 migration(s) applied"},
		{[]string{"seed", "--scale", "demo", "--seed", "3"}, "members"},
		{[]string{"export", "orgs", filepath.Join(dir, "orgs.csv")}, "dòng"},
		{[]string{"export", "members", filepath.Join(dir, "m.xlsx")}, "dòng"},
		{[]string{"import", "orgs", filepath.Join(dir, "orgs.csv")}, "không đổi"},
		{[]string{"import", "members", filepath.Join(dir, "m.xlsx")}, "0 thêm mới, 0 cập nhật"},
		{[]string{"check"}, "ok:"},
	}
	for _, s := range steps {
		code, out, errs := runCmd(t, ctx, envv, s.args...)
		if code != 0 || !strings.Contains(out, s.want) {
			t.Fatalf("ktgs %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(s.args, " "), code, out, errs)
		}
	}
	// Seeding a non-empty database is refused.
	if code, _, errs := runCmd(t, ctx, envv, "seed", "--scale", "demo"); code == 0 || !strings.Contains(errs, "already holds") {
		t.Errorf("second seed: %d %q", code, errs)
	}
	// A file with an invalid row imports nothing and exits 1 with the line.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("so_the,ho_ten,ngay_vao_dang,ma_chi_bo\n123,Sai,01/01/2010,P19\n"), 0o600)
	code, out, _ := runCmd(t, ctx, envv, "import", "members", bad)
	if code != 1 || !strings.Contains(out, "dòng 2") || !strings.Contains(out, "Số thẻ đảng viên gồm 6 đến 12 chữ số") {
		t.Errorf("bad import: %d %q", code, out)
	}
	// A TCVN3 file is refused with the encoding named, and accepted with --encoding.
	tcvn := filepath.Join(dir, "tcvn3.csv")
	os.WriteFile(tcvn, []byte("so_the,ho_ten,ngay_vao_dang,ma_chi_bo\n12345678,\xae\xb5ng V\xaen An,01/01/2010,P19-O1-D01-C01-TYT\n"), 0o600)
	code, _, errs := runCmd(t, ctx, envv, "import", "members", tcvn)
	if code != 1 || !strings.Contains(errs, "tcvn3") {
		t.Errorf("TCVN3 without --encoding: %d %q", code, errs)
	}
}

func TestRulesCommand(t *testing.T) {
	ctx := context.Background()
	if code, out, _ := runCmd(t, ctx, nil, "rules", "list"); code != 0 || !strings.Contains(out, "authority") || strings.Count(out, "\n") != 20 {
		t.Errorf("rules list: %d %q", code, out)
	}
	if code, out, _ := runCmd(t, ctx, nil, "rules", "lint"); code != 0 || !strings.Contains(out, "ok") {
		t.Errorf("rules lint: %d %q", code, out)
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "x.json"), []byte(`{"id":"X","series":"PARTY","effective_from":"2030-01-01","values":{}}`), 0o600)
	if code, out, _ := runCmd(t, ctx, nil, "rules", "lint", bad); code == 0 || out == "" {
		t.Errorf("rules lint of a bad set: %d %q", code, out)
	}
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(`{"decision_date":"2025-09-01","subject":{"kind":"MEMBER","status":"DU_BI"},"form":"KHAI_TRU"}`),
		stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	if code := runEnv(ctx, e, []string{"rules", "explain", "R1"}); code != 1 || !strings.Contains(out.String(), `"rules.err.expel_probationary"`) {
		t.Errorf("explain invalid: %d %s", code, out.String())
	}
	out.Reset()
	e.stdin = strings.NewReader(`{"form":"CANH_CAO","announced_on":"2025-05-10","subject_kind":"MEMBER"}`)
	if code := runEnv(ctx, e, []string{"rules", "explain", "expiry"}); code != 0 || !strings.Contains(out.String(), `"inactive_from": "2026-05-10"`) {
		t.Errorf("explain R7: %d %s %s", code, out.String(), errb.String())
	}
}

// TestRulesDir adds a rule set as a data file: QĐ 21's period is closed at
// the end of 2026 and a new set takes over, with no code change.
func TestRulesDir(t *testing.T) {
	ctx := context.Background()
	base, err := fs.ReadFile(rules.EmbeddedData(), "qd21_2026.json")
	if err != nil {
		t.Fatal(err)
	}
	var set map[string]any
	if err := json.Unmarshal(base, &set); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	set["effective_to"] = "2026-12-31"
	b, _ := json.Marshal(set)
	os.WriteFile(filepath.Join(dir, "qd21_2026.json"), b, 0o600)
	set["id"], set["effective_from"] = "QD99_2027", "2027-01-01"
	delete(set, "effective_to")
	b, _ = json.Marshal(set)
	os.WriteFile(filepath.Join(dir, "qd99_2027.json"), b, 0o600)
	envv := map[string]string{"KTGS_RULES_DIR": dir}
	if code, out, _ := runCmd(t, ctx, envv, "rules", "lint"); code != 0 {
		t.Fatalf("lint with the new set: %d %s", code, out)
	}
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(`{"form":"CANH_CAO","announced_on":"2027-02-01","subject_kind":"MEMBER"}`), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return envv[k] }}
	if code := runEnv(ctx, e, []string{"rules", "explain", "R7"}); code != 0 || !strings.Contains(out.String(), `"rule_set": "QD99_2027"`) {
		t.Errorf("explain with the new set: %d %s %s", code, out.String(), errb.String())
	}
	// A broken rule set stops the server before it serves anything.
	os.WriteFile(filepath.Join(dir, "broken.json"), []byte(`{"id":"X"}`), 0o600)
	envv["KTGS_DATA_DIR"] = t.TempDir()
	if code, _, errs := runCmd(t, ctx, envv, "serve"); code == 0 || !strings.Contains(errs, "rule sets") {
		t.Errorf("serve with a broken rule set: %d %q", code, errs)
	}
}

// TestServeTLS serves HTTPS directly from certificate files: HSTS is sent
// and the session cookie is Secure, HttpOnly, SameSite and __Host-.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeSelfSigned(t, certFile, keyFile)
	envv := map[string]string{"KTGS_DATA_DIR": dir, "KTGS_ADDR": "127.0.0.1:0", "KTGS_LOG_LEVEL": "warn",
		"KTGS_TLS_CERT": certFile, "KTGS_TLS_KEY": keyFile}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr := make(chan string, 1)
	done := make(chan int, 1)
	var errb syncBuffer
	go func() {
		e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &errb, getenv: func(k string) string { return envv[k] },
			ready: func(a string) { addr <- a }}
		done <- runEnv(ctx, e, []string{"serve", "--demo"})
	}()
	var base string
	select {
	case a := <-addr:
		base = "https://" + a
	case code := <-done:
		t.Fatalf("serve exited early with %d: %s", code, errb.String())
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start")
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/login", url.Values{"username": {"quantri"}, "password": {app.DemoPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.Contains(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS over TLS: %q", resp.Header.Get("Strict-Transport-Security"))
	}
	var sess *http.Cookie
	for _, ck := range resp.Cookies() {
		if strings.HasSuffix(ck.Name, "ktgs_session") {
			sess = ck
		}
	}
	if sess == nil || sess.Name != "__Host-ktgs_session" || !sess.Secure || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode {
		t.Errorf("session cookie over TLS: %+v", sess)
	}
	if body := get(t, c, base+"/api/v1/me"); !strings.Contains(body, `"username":"quantri"`) {
		t.Errorf("not signed in over TLS: %s", body)
	}
	cancel()
	<-done
}

func writeSelfSigned(t *testing.T, certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), crand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(crand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
}
