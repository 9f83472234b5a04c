package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/auth"
	"ktgs/internal/seed"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
	"ktgs/internal/web"
)

// Sign-in, sessions, cross-origin refusal and API tokens over HTTP,
// through the real server over the demo database.

// ltClock is a clock the test moves.
type ltClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *ltClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *ltClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type ltEnv struct {
	ts  *httptest.Server
	svc *app.Service
	db  *store.DB
	clk *ltClock
}

// ltServer is demoServer on SQLite with a clock the test moves and, if
// proxies is not empty, trusted reverse proxies.
func ltServer(t *testing.T, proxies string) *ltEnv {
	t.Helper()
	db := testdb.OpenSQLite(t)
	if _, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	svc := app.New(db, nil)
	clk := &ltClock{now: time.Date(2026, 11, 28, 9, 0, 0, 0, app.Zone)}
	svc.Clock = clk.Now
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
	if proxies != "" {
		if srv.TrustedProxies, err = web.ParseProxies(proxies); err != nil {
			t.Fatal(err)
		}
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &ltEnv{ts: ts, svc: svc, db: db, clk: clk}
}

// ltClient returns a client with a cookie jar that does not follow
// redirects.
func ltClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// ltResp is a response with its body read.
type ltResp struct {
	*http.Response
	body string
}

func (e *ltEnv) do(t *testing.T, c *http.Client, method, path string, form url.Values, header map[string]string) ltResp {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		if k == "Cookie" {
			name, value, _ := strings.Cut(v, "=")
			req.AddCookie(&http.Cookie{Name: name, Value: value})
			continue
		}
		req.Header.Set(k, v)
	}
	if c == nil {
		c = ltClient()
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return ltResp{resp, string(b)}
}

func (e *ltEnv) login(t *testing.T, c *http.Client, user, password string, header map[string]string) ltResp {
	t.Helper()
	return e.do(t, c, http.MethodPost, "/login", url.Values{"username": {user}, "password": {password}}, header)
}

// signedIn returns a client signed in as a demo account.
func (e *ltEnv) signedIn(t *testing.T, user string) *http.Client {
	t.Helper()
	c := ltClient()
	if r := e.login(t, c, user, app.DemoPassword, nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: %d", user, r.StatusCode)
	}
	return c
}

// sessionCookie returns the session cookie a response sets.
func sessionCookie(r ltResp) *http.Cookie {
	for _, c := range r.Cookies() {
		if strings.HasSuffix(c.Name, "ktgs_session") && c.MaxAge >= 0 {
			return c
		}
	}
	return nil
}

var loginErrorRe = regexp.MustCompile(`id="login-error">([^<]*)<`)

// loginError returns the message shown on top of the login form.
func loginError(r ltResp) string {
	m := loginErrorRe.FindStringSubmatch(r.body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// apiErrorCode returns the code of a JSON error body.
func apiErrorCode(t *testing.T, r ltResp) string {
	t.Helper()
	var body struct {
		Error struct{ Code string } `json:"error"`
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("Content-Type %q, want JSON", r.Header.Get("Content-Type"))
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatalf("error body %q: %v", r.body, err)
	}
	return body.Error.Code
}

func (e *ltEnv) sessionCount(t *testing.T) int {
	t.Helper()
	var n int
	e.db.View(ctx, func(tx *store.Tx) error {
		s, err := tx.Sessions(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		n = len(s)
		return nil
	})
	return n
}

const badCredentials = "Tên đăng nhập hoặc mật khẩu không đúng."

// TestLoginBruteForceHTTP: repeated wrong passwords are answered 401 and
// then 429 with Retry-After, even for the right password; an unknown
// username looks exactly like a wrong password.
func TestLoginBruteForceHTTP(t *testing.T) {
	e := ltServer(t, "")
	c := ltClient()

	unknown := e.login(t, c, "khong-co-ai", "sai-mat-khau-1", nil)
	wrong := e.login(t, c, "xem", "sai-mat-khau-2", nil)
	for _, r := range []ltResp{unknown, wrong} {
		if r.StatusCode != http.StatusUnauthorized || loginError(r) != badCredentials || sessionCookie(r) != nil {
			t.Fatalf("failed login: %d %q", r.StatusCode, loginError(r))
		}
		if !strings.Contains(r.body, `action="/login"`) {
			t.Fatal("failed login does not show the login form")
		}
	}
	if unknown.StatusCode != wrong.StatusCode || loginError(unknown) != loginError(wrong) || unknown.Header.Get("Retry-After") != wrong.Header.Get("Retry-After") {
		t.Fatalf("unknown username (%d %q) and wrong password (%d %q) differ",
			unknown.StatusCode, loginError(unknown), wrong.StatusCode, loginError(wrong))
	}

	// Throttle.Next lets FreeAttempts+1 attempts through before the first
	// wait (see internal/auth/throttle_test.go).
	free := e.svc.Auth.Throttle.FreeAttempts + 1
	for i := 2; i <= free; i++ {
		if r := e.login(t, c, "xem", fmt.Sprintf("sai-mat-khau-%d", i+1), nil); r.StatusCode != http.StatusUnauthorized || loginError(r) != badCredentials {
			t.Fatalf("attempt %d: %d %q", i, r.StatusCode, loginError(r))
		}
	}
	for _, pw := range []string{"sai-mat-khau-cuoi", app.DemoPassword} {
		r := e.login(t, c, "xem", pw, nil)
		ra, _ := strconv.Atoi(r.Header.Get("Retry-After"))
		if r.StatusCode != http.StatusTooManyRequests || ra < 1 {
			t.Fatalf("attempt %d (%q): %d, Retry-After %q; want 429 and a wait", free+1, pw, r.StatusCode, r.Header.Get("Retry-After"))
		}
		if want := fmt.Sprintf("Đăng nhập sai nhiều lần; thử lại sau %d giây.", ra); loginError(r) != want {
			t.Errorf("throttled message %q, want %q", loginError(r), want)
		}
		if sessionCookie(r) != nil {
			t.Error("a throttled attempt set a session cookie")
		}
	}
	if n := e.sessionCount(t); n != 0 {
		t.Fatalf("%d sessions after throttled attempts", n)
	}
	// After the wait the right password works.
	e.clk.Advance(time.Second)
	r := e.login(t, c, "xem", app.DemoPassword, nil)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" || sessionCookie(r) == nil {
		t.Fatalf("login after the wait: %d %q", r.StatusCode, loginError(r))
	}
}

// TestLoginSessionCookies: the cookie's attributes, Secure and __Host-
// behind a trusted TLS proxy only, HSTS likewise, a new id at each login,
// logout and logout everywhere.
func TestLoginSessionCookies(t *testing.T) {
	e := ltServer(t, "127.0.0.1")
	https := map[string]string{"X-Forwarded-Proto": "https"}

	plain := e.login(t, ltClient(), "xem", app.DemoPassword, nil)
	pc := sessionCookie(plain)
	if plain.StatusCode != http.StatusSeeOther || pc == nil {
		t.Fatalf("plain login: %d", plain.StatusCode)
	}
	if pc.Name != "ktgs_session" || !pc.HttpOnly || pc.SameSite != http.SameSiteLaxMode || pc.Secure || pc.Path != "/" || pc.MaxAge != 0 || !pc.Expires.IsZero() {
		t.Errorf("plain HTTP cookie %+v", pc)
	}
	if h := plain.Header.Get("Strict-Transport-Security"); h != "" {
		t.Errorf("HSTS over plain HTTP: %q", h)
	}

	tls := e.login(t, ltClient(), "xem", app.DemoPassword, https)
	sc := sessionCookie(tls)
	if tls.StatusCode != http.StatusSeeOther || sc == nil {
		t.Fatalf("login through the proxy: %d", tls.StatusCode)
	}
	if sc.Name != "__Host-ktgs_session" || !sc.Secure || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" || sc.Domain != "" {
		t.Errorf("cookie through a TLS proxy %+v", sc)
	}
	if h := tls.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(h, "max-age=") {
		t.Errorf("HSTS through a TLS proxy: %q", h)
	}
	// The __Host- cookie signs in through the proxy.
	me := e.do(t, nil, http.MethodGet, "/api/v1/me", nil, map[string]string{"X-Forwarded-Proto": "https", "Cookie": sc.Name + "=" + sc.Value})
	if me.StatusCode != http.StatusOK || !strings.Contains(me.body, `"username":"xem"`) || !strings.Contains(me.body, `"via":"session"`) {
		t.Errorf("GET /api/v1/me with the __Host- cookie: %d %s", me.StatusCode, me.body)
	}

	// A client that is not a trusted proxy cannot claim HTTPS.
	u := ltServer(t, "")
	spoof := u.login(t, ltClient(), "xem", app.DemoPassword, https)
	if c := sessionCookie(spoof); c == nil || c.Secure || c.Name != "ktgs_session" || spoof.Header.Get("Strict-Transport-Security") != "" {
		t.Errorf("X-Forwarded-Proto from an untrusted peer: cookie %+v, HSTS %q", c, spoof.Header.Get("Strict-Transport-Security"))
	}

	// Each login gets a new id; signing in again ends the old session.
	c := ltClient()
	first := sessionCookie(e.login(t, c, "kiemtra", app.DemoPassword, nil))
	second := sessionCookie(e.login(t, c, "kiemtra", app.DemoPassword, nil))
	other := sessionCookie(e.login(t, ltClient(), "kiemtra", app.DemoPassword, nil))
	if first == nil || second == nil || other == nil || first.Value == second.Value || second.Value == other.Value || first.Value == other.Value {
		t.Fatalf("session ids not renewed: %v %v %v", first, second, other)
	}
	if r := e.do(t, nil, http.MethodGet, "/", nil, map[string]string{"Cookie": "ktgs_session=" + first.Value}); r.StatusCode != http.StatusSeeOther ||
		!strings.HasPrefix(r.Header.Get("Location"), "/login?") {
		t.Errorf("the session replaced by a new login still works: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	for _, v := range []string{second.Value, other.Value} {
		if r := e.do(t, nil, http.MethodGet, "/", nil, map[string]string{"Cookie": "ktgs_session=" + v}); r.StatusCode != http.StatusOK {
			t.Fatalf("a current session: %d", r.StatusCode)
		}
	}

	// Logout ends this session only.
	out := e.do(t, c, http.MethodPost, "/logout", url.Values{}, nil)
	if out.StatusCode != http.StatusSeeOther || out.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d %q", out.StatusCode, out.Header.Get("Location"))
	}
	cleared := false
	for _, ck := range out.Cookies() {
		cleared = cleared || ck.Name == "ktgs_session" && ck.MaxAge < 0
	}
	if !cleared {
		t.Error("logout did not clear the cookie")
	}
	old := map[string]string{"Cookie": "ktgs_session=" + second.Value}
	if r := e.do(t, nil, http.MethodGet, "/orgs/1", nil, old); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login?") {
		t.Errorf("HTML with a logged-out cookie: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := e.do(t, nil, http.MethodGet, "/api/v1/me", nil, old); r.StatusCode != http.StatusUnauthorized || apiErrorCode(t, r) != ktgs.EUNAUTHORIZED {
		t.Errorf("API with a logged-out cookie: %d %s", r.StatusCode, r.body)
	}
	if r := e.do(t, nil, http.MethodGet, "/", nil, map[string]string{"Cookie": "ktgs_session=" + other.Value}); r.StatusCode != http.StatusOK {
		t.Errorf("logout ended another session: %d", r.StatusCode)
	}

	// Logout everywhere ends the other client's session too.
	a, b := e.signedIn(t, "thuongvu"), e.signedIn(t, "thuongvu")
	if r := e.do(t, b, http.MethodGet, "/account", nil, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("second client: %d", r.StatusCode)
	}
	if r := e.do(t, a, http.MethodPost, "/account/logout-all", url.Values{}, nil); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("logout-all: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	for name, cl := range map[string]*http.Client{"other client": b, "this client": a} {
		if r := e.do(t, cl, http.MethodGet, "/account", nil, nil); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login?") {
			t.Errorf("%s after logout-all: %d %q", name, r.StatusCode, r.Header.Get("Location"))
		}
	}
	if r := e.do(t, nil, http.MethodGet, "/", nil, map[string]string{"Cookie": "ktgs_session=" + other.Value}); r.StatusCode != http.StatusOK {
		t.Errorf("another user's logout-all ended this session: %d", r.StatusCode)
	}

	// The server ends an idle session.
	e.clk.Advance(e.svc.Auth.IdleTimeout + time.Second)
	r := e.do(t, nil, http.MethodGet, "/", nil, map[string]string{"Cookie": "ktgs_session=" + other.Value})
	if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || loc != "/login?expired=1&next=%2F" {
		t.Errorf("idle session: %d %q", r.StatusCode, loc)
	}
}

// TestLoginCrossOrigin: state-changing requests from another site are
// refused before they reach the handler.
func TestLoginCrossOrigin(t *testing.T) {
	e := ltServer(t, "")
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	} {
		r := e.login(t, ltClient(), "xem", app.DemoPassword, h)
		if r.StatusCode != http.StatusForbidden || sessionCookie(r) != nil {
			t.Errorf("cross-origin login %v: %d", h, r.StatusCode)
		}
	}
	if n := e.sessionCount(t); n != 0 {
		t.Fatalf("cross-origin logins opened %d sessions", n)
	}
	if r := e.login(t, ltClient(), "xem", app.DemoPassword, map[string]string{"Sec-Fetch-Site": "same-origin"}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("same-origin login: %d", r.StatusCode)
	}

	hash := func() string {
		var h string
		e.db.View(ctx, func(tx *store.Tx) error {
			u, err := tx.UserByName(ctx, "xem")
			if err != nil {
				t.Fatal(err)
			}
			h = u.PasswordHash
			return nil
		})
		return h
	}
	before := hash()
	c := e.signedIn(t, "xem")
	const newPW = "vững-bước-qua-đèo-1975"
	change := url.Values{"current": {app.DemoPassword}, "password": {newPW}, "confirm": {newPW}}
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
		{"Origin": "http://127.0.0.1:1"}, // same host, another port: another origin
	} {
		if r := e.do(t, c, http.MethodPost, "/account/password", change, h); r.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin password change %v: %d", h, r.StatusCode)
		}
		if r := e.do(t, c, http.MethodPost, "/account/logout-all", url.Values{}, h); r.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin logout-all %v: %d", h, r.StatusCode)
		}
	}
	if hash() != before {
		t.Fatal("a cross-origin request changed the password")
	}
	if r := e.do(t, c, http.MethodGet, "/account", nil, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("the session did not survive the refused requests: %d", r.StatusCode)
	}
	// The same request from the same origin goes through.
	if r := e.do(t, c, http.MethodPost, "/account/password", change, map[string]string{"Origin": e.ts.URL}); r.StatusCode != http.StatusOK {
		t.Fatalf("same-origin password change: %d", r.StatusCode)
	}
	if hash() == before {
		t.Fatal("the same-origin password change did nothing")
	}
}

var newTokenRe = regexp.MustCompile(`id="new-token">([^<]+)<`)

// TestLoginAPITokensHTTP: a token made on the account page works only on
// the API, with its own role and scope.
func TestLoginAPITokensHTTP(t *testing.T) {
	e := ltServer(t, "")
	x := lookup(t, e.db)
	c := e.signedIn(t, "chunhiem")

	// A role wider than the user's is refused and no token is shown.
	r := e.do(t, c, http.MethodPost, "/account/tokens", url.Values{"name": {"Quá quyền"}, "role": {"ADMIN"}, "scope": {"P19-O1-D01-C01"}, "days": {"30"}}, nil)
	if r.StatusCode != http.StatusBadRequest || newTokenRe.MatchString(r.body) {
		t.Fatalf("token with a wider role: %d", r.StatusCode)
	}
	r = e.do(t, c, http.MethodPost, "/account/tokens", url.Values{"name": {"Ngoài phạm vi"}, "role": {"VIEWER"}, "scope": {"P08"}, "days": {"30"}}, nil)
	if r.StatusCode != http.StatusBadRequest || newTokenRe.MatchString(r.body) {
		t.Fatalf("token outside the user's scope: %d", r.StatusCode)
	}

	r = e.do(t, c, http.MethodPost, "/account/tokens", url.Values{"name": {"Đồng bộ xã"}, "role": {"VIEWER"}, "scope": {"P19-O1-D01-C01"}, "days": {"30"}}, nil)
	m := newTokenRe.FindStringSubmatch(r.body)
	if r.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("create token: %d", r.StatusCode)
	}
	token := html.UnescapeString(m[1])
	if !strings.HasPrefix(token, "ktgs_") {
		t.Fatalf("token %q", token)
	}
	// Shown once.
	if r := e.do(t, c, http.MethodGet, "/account", nil, nil); strings.Contains(r.body, token) {
		t.Error("the account page shows the token again")
	}

	bearer := func(path, tok string) ltResp {
		t.Helper()
		return e.do(t, nil, http.MethodGet, path, nil, map[string]string{"Authorization": "Bearer " + tok})
	}
	me := bearer("/api/v1/me", token)
	var who struct {
		Username, Role, Via string
		Scope               []int64
	}
	if err := json.Unmarshal([]byte(me.body), &who); err != nil || me.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/me with the token: %d %s", me.StatusCode, me.body)
	}
	if who.Username != "chunhiem" || who.Role != "VIEWER" || who.Via != "token" || len(who.Scope) != 1 || who.Scope[0] != x.commune {
		t.Errorf("token identity %+v", who)
	}
	if r := bearer(fmt.Sprintf("/api/v1/orgs/%d", x.commune), token); r.StatusCode != http.StatusOK {
		t.Errorf("org in the token's scope: %d", r.StatusCode)
	}
	if r := bearer(fmt.Sprintf("/api/v1/orgs/%d", x.province), token); r.StatusCode != http.StatusNotFound || apiErrorCode(t, r) != ktgs.ENOTFOUND {
		t.Errorf("org outside the token's scope (in the user's): %d %s", r.StatusCode, r.body)
	}
	if r := bearer("/api/v1/users", token); r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusNotFound {
		t.Errorf("users list with a viewer token: %d", r.StatusCode)
	}
	// Not on HTML pages: the token is refused (a browser is sent to the
	// login page, anything else gets 401) and nothing is served.
	for _, path := range []string{"/", fmt.Sprintf("/orgs/%d", x.commune), "/account"} {
		r := bearer(path, token)
		login := r.StatusCode == http.StatusSeeOther && strings.HasPrefix(r.Header.Get("Location"), "/login?")
		if !login && r.StatusCode != http.StatusUnauthorized || strings.Contains(r.body, "Gia Tường") {
			t.Errorf("GET %s with a token: %d %q", path, r.StatusCode, r.Header.Get("Location"))
		}
	}
	r = e.do(t, nil, http.MethodPost, "/account/logout-all", url.Values{}, map[string]string{"Authorization": "Bearer " + token})
	if r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.body, "Mã API chỉ dùng cho /api/v1.") {
		t.Errorf("POST /account/logout-all with a token: %d", r.StatusCode)
	}
	for _, tok := range []string{"garbage", "ktgs_" + strings.Repeat("a", 52), token + "x"} {
		r := bearer("/api/v1/orgs", tok)
		if r.StatusCode != http.StatusUnauthorized || apiErrorCode(t, r) != "unauthorized" {
			t.Errorf("garbage token %q: %d %s", tok, r.StatusCode, r.body)
		}
	}
	if r := e.do(t, nil, http.MethodGet, "/api/v1/orgs", nil, map[string]string{"Authorization": "Basic " + token}); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("token as Basic credentials: %d", r.StatusCode)
	}

	// Revoked on the account page, it stops working.
	var id int64
	e.db.View(ctx, func(tx *store.Tx) error {
		u, _ := tx.UserByName(ctx, "chunhiem")
		list, err := tx.APITokens(ctx, u.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("tokens %v %v", list, err)
		}
		id = list[0].ID
		return nil
	})
	if r := e.do(t, c, http.MethodPost, fmt.Sprintf("/account/tokens/%d/revoke", id), url.Values{}, nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.StatusCode)
	}
	if r := bearer("/api/v1/me", token); r.StatusCode != http.StatusUnauthorized || apiErrorCode(t, r) != "unauthorized" {
		t.Errorf("revoked token: %d %s", r.StatusCode, r.body)
	}
}

// TestLoginSignedOut: without a session, pages send the browser to the
// login page and the API answers 401.
func TestLoginSignedOut(t *testing.T) {
	e := ltServer(t, "")
	for _, tc := range []struct{ path, location string }{
		{"/", "/login?next=%2F"},
		{"/account", "/login?next=%2Faccount"},
		{"/orgs/1?date=01/06/2024", "/login?next=%2Forgs%2F1%3Fdate%3D01%2F06%2F2024"},
	} {
		r := e.do(t, nil, http.MethodGet, tc.path, nil, nil)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != tc.location {
			t.Errorf("GET %s signed out: %d %q, want 303 %q", tc.path, r.StatusCode, r.Header.Get("Location"), tc.location)
		}
	}
	for _, path := range []string{"/api/v1/orgs", "/api/v1/me", "/api/v1/audit/head"} {
		r := e.do(t, nil, http.MethodGet, path, nil, nil)
		if r.StatusCode != http.StatusUnauthorized || apiErrorCode(t, r) != "unauthorized" {
			t.Errorf("GET %s signed out: %d %s", path, r.StatusCode, r.body)
		}
	}
	if r := e.do(t, nil, http.MethodPost, "/account/logout-all", url.Values{}, nil); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST /account/logout-all signed out: %d", r.StatusCode)
	}
	if r := e.do(t, nil, http.MethodGet, "/login", nil, nil); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `action="/login"`) {
		t.Errorf("GET /login: %d", r.StatusCode)
	}
}
