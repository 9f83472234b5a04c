package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/unicode/norm"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/browsertest"
	"ktgs/internal/guard"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
	"ktgs/internal/web"
)

// testClock is the public channel's clock in these tests: form tokens and
// rate windows move only when the test says so, so nothing sleeps.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// publicEnv is a demo server whose public channel runs on a test clock,
// behind a trusted "proxy" (the test) that names the client address in
// X-Forwarded-For, so that each scenario has its own rate-limit key.
type publicEnv struct {
	t      *testing.T
	db     *store.DB
	svc    *app.Service
	ts     *httptest.Server
	clock  *testClock
	client *http.Client
	mu     sync.Mutex
	bodies []string // every response body, checked for leaks at the end
}

// publicMaxFile is the attachment limit of these tests (small, so that an
// oversize body is cheap to send).
const publicMaxFile = 64 << 10

// lookupFloor is the status look-up's time floor in these tests.
const lookupFloor = 40 * time.Millisecond

func newPublicEnv(t *testing.T, db *store.DB) *publicEnv {
	t.Helper()
	_, svc := demoServer(t, db)
	svc.MaxFileSize = publicMaxFile
	srv, err := web.New(svc, nil, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: time.Date(2026, 11, 28, 9, 0, 0, 0, app.Zone)}
	srv.Public.Now = clock.Now
	srv.Public.LookupFloor = lookupFloor
	srv.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	e := &publicEnv{t: t, db: db, svc: svc, ts: ts, clock: clock,
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	t.Cleanup(e.checkLeaks)
	return e
}

// do sends req from client address ip (as a browser on this site would:
// Origin and Sec-Fetch-Site set) and returns the response and its body.
func (e *publicEnv) do(req *http.Request, ip string, hdr map[string]string) (*http.Response, string) {
	e.t.Helper()
	req.Header.Set("X-Forwarded-For", ip)
	if req.Method == http.MethodPost {
		req.Header.Set("Origin", e.ts.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	e.mu.Lock()
	e.bodies = append(e.bodies, string(b))
	e.mu.Unlock()
	return resp, string(b)
}

func (e *publicEnv) get(path, ip string, hdr map[string]string) (*http.Response, string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
	return e.do(req, ip, hdr)
}

var (
	tokenRE     = regexp.MustCompile(`name="token" value="([^"]+)"`)
	challengeRE = regexp.MustCompile(`data-pow-challenge="([0-9a-f]+)" data-pow-bits="(\d+)"`)
	receiptRE   = regexp.MustCompile(`<code id="receipt-code">([A-Z2-7]{4}(?:-[A-Z2-7]{4}){5})</code>`)
)

// form opens the form from ip and returns its token, proof-of-work
// challenge and difficulty.
func (e *publicEnv) form(ip string) (token, challenge string, bits int) {
	e.t.Helper()
	resp, body := e.get("/public/letter", ip, nil)
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("GET /public/letter: %d", resp.StatusCode)
	}
	m, c := tokenRE.FindStringSubmatch(body), challengeRE.FindStringSubmatch(body)
	if m == nil || c == nil {
		e.t.Fatalf("the form has no token or challenge:\n%s", body)
	}
	bits, _ = strconv.Atoi(c[2])
	return m[1], c[1], bits
}

type pubFile struct {
	name string
	data []byte
}

// multipartBody encodes fields and files as the browser does.
func multipartBody(t *testing.T, fields url.Values, files []pubFile) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if len(files) == 0 {
		// A file input with nothing chosen still sends an empty part.
		mw.CreateFormFile("files", "")
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("files", f.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.data)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// post sends the letter form from ip.
func (e *publicEnv) post(ip string, fields url.Values, files []pubFile, hdr map[string]string) (*http.Response, string) {
	e.t.Helper()
	body, ctype := multipartBody(e.t, fields, files)
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/public/letter", body)
	req.Header.Set("Content-Type", ctype)
	return e.do(req, ip, hdr)
}

// send opens the form, waits (on the test clock) past the minimum time and
// sends fields: the path of a person without JavaScript.
func (e *publicEnv) send(ip string, fields url.Values, files []pubFile) (*http.Response, string) {
	e.t.Helper()
	token, _, _ := e.form(ip)
	e.clock.Advance(guard.DefaultMinAge + time.Second)
	f := url.Values{}
	for k, v := range fields {
		f[k] = v
	}
	f.Set("token", token)
	return e.post(ip, f, files, nil)
}

// lookup asks the status of code from ip.
func (e *publicEnv) lookup(ip, code string, hdr map[string]string) (*http.Response, string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/public/status", strings.NewReader(url.Values{"receipt_code": {code}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(req, ip, hdr)
}

// letters counts the stored letters.
func (e *publicEnv) letters() int {
	e.t.Helper()
	var n int
	err := e.db.View(ctx, func(tx *store.Tx) error {
		ids, err := tx.LetterIDsAfter(ctx, 0, 1<<20)
		n = len(ids)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// lastLetter returns the newest stored letter.
func (e *publicEnv) lastLetter() *ktgs.Letter {
	e.t.Helper()
	var l *ktgs.Letter
	err := e.db.View(ctx, func(tx *store.Tx) error {
		ids, err := tx.LetterIDsAfter(ctx, 0, 1<<20)
		if err != nil || len(ids) == 0 {
			return fmt.Errorf("no letter: %v", err)
		}
		l, err = tx.Letter(ctx, ids[len(ids)-1])
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return l
}

// checkLeaks: no response of the public channel names a staff code, SQL,
// a stack trace or a Go source position.
func (e *publicEnv) checkLeaks() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.bodies) == 0 {
		e.t.Error("no response was checked for leaks")
	}
	leak := regexp.MustCompile(`ĐT-\d{4}-|(?i)\b(select|insert|update) .*\b(from|into|set)\b|sqlite|pq:|goroutine \d+|panic:|\.go:\d+|runtime/debug`)
	for _, b := range e.bodies {
		if m := leak.FindString(b); m != "" {
			e.t.Errorf("a public response contains %q", m)
		}
	}
}

// aLetter is a valid named letter.
func aLetter(subject string) url.Values {
	return url.Values{
		"sender_mode":    {"NAMED"},
		"sender_name":    {"Trần Thị Người Gửi"},
		"sender_address": {"Thôn Đông, xã Gia Tường, tỉnh Ninh Bình"},
		"sender_phone":   {"0912 345 678"},
		"accused_name_1": {"Nguyễn Văn Bị Cáo"},
		"accused_unit_1": {"Bí thư Chi bộ thôn Đông"},
		"kind":           {"TO_CAO"},
		"subject":        {subject},
		"content":        {"Trong năm 2026 đồng chí bí thư chi bộ đã dùng quỹ chi bộ để chi tiêu cá nhân; sổ quỹ kèm theo. " + subject},
		"declaration":    {"1"},
	}
}

func wantStatus(t *testing.T, what string, resp *http.Response, body string, status int) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, resp.StatusCode, status, body)
	}
}

func wantBody(t *testing.T, what, body string, contains ...string) {
	t.Helper()
	for _, c := range contains {
		if !strings.Contains(body, c) {
			t.Errorf("%s: the page lacks %q", what, c)
		}
	}
}

func TestPublicLetter(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		e := newPublicEnv(t, db)

		t.Run("form is accessible and works without JavaScript", func(t *testing.T) {
			resp, body := e.get("/public/letter", "198.51.100.1", nil)
			wantStatus(t, "GET form", resp, body, http.StatusOK)
			wantBody(t, "form", body, `lang="vi"`, "Phản hồi — Thông tin người gửi phản hồi", "(bắt buộc)", "(bắt buộc nếu gửi có tên)",
				`enctype="multipart/form-data"`, `accept="`+guard.Accept()+`"`, `maxlength="20000"`, "Từ 20 đến 20.000 ký tự",
				"mỗi tệp không quá "+app.SizeLabel(publicMaxFile), "thông tin tham khảo",
				// The honeypot: hidden from people and screen readers, out of the tab order.
				`<div class="hp" aria-hidden="true">`, `<label for="homepage">Để trống ô này</label>`,
				`id="homepage" name="homepage" value="" tabindex="-1" autocomplete="off"`,
				// The optional proof of work, from the hashed static path.
				`data-pow data-pow-challenge=`, `<script src="/static/`, `/js/pow.js" defer></script>`)
			if strings.Contains(body, "novalidate") || strings.Contains(body, "<script>") || strings.Contains(body, " style=") {
				t.Error("the form has novalidate, an inline script or an inline style")
			}
			for _, id := range []string{"sender_name", "sender_address", "sender_phone", "sender_email", "sender_id_number", "accused_name_1",
				"accused_unit_1", "accused_name_2", "accused_unit_3", "subject", "content", "files", "homepage"} {
				if !strings.Contains(body, `<label for="`+id+`">`) || !strings.Contains(body, `id="`+id+`"`) {
					t.Errorf("input %s has no <label for>", id)
				}
			}
			for _, legend := range []string{"Người gửi", "Bạn gửi có tên hay giấu tên?", "Người (tổ chức) thứ 3", "Loại đơn", "Cam đoan"} {
				if !strings.Contains(body, "<legend>"+legend) {
					t.Errorf("no fieldset with legend %q", legend)
				}
			}
			if n := strings.Count(body, `name="accused_name_`); n != 3 {
				t.Errorf("%d accused rows, want 3", n)
			}
		})

		var receipt string
		t.Run("a letter without JavaScript gets a receipt; the status shows only status and dates", func(t *testing.T) {
			before := e.letters()
			resp, body := e.send("198.51.100.2", aLetter("Sử dụng quỹ chi bộ sai mục đích"), []pubFile{{"so-quy.pdf", pdfBytes}})
			wantStatus(t, "POST letter", resp, body, http.StatusOK)
			m := receiptRE.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no receipt code on the page:\n%s", body)
			}
			receipt = m[1]
			wantBody(t, "receipt", body, "Đã gửi đơn", "28/11/2026", "chỉ hiện một lần", "cách duy nhất", "không giải quyết hai lần")
			for _, bad := range []string{"Trần Thị Người Gửi", "Nguyễn Văn Bị Cáo", "so-quy.pdf", "ĐT-"} {
				if strings.Contains(body, bad) {
					t.Errorf("the receipt page shows %q", bad)
				}
			}
			if e.letters() != before+1 {
				t.Fatalf("letters %d → %d, want one more", before, e.letters())
			}
			l := e.lastLetter()
			if l.Channel != ktgs.ChannelPublicForm || l.Mode != ktgs.SenderNamed || l.SenderSealed == "" ||
				strings.Contains(l.SenderSealed, "Trần") || l.CreatedBy != 0 || len(l.Allegations) != 1 ||
				l.Allegations[0].AccusedName != "Nguyễn Văn Bị Cáo" || l.Allegations[0].Kind != ktgs.LetterDenunciation {
				t.Errorf("stored letter: %+v", l)
			}
			// The status, typed as people do: lower case, no dashes.
			resp, body = e.lookup("198.51.100.2", strings.ToLower(strings.ReplaceAll(receipt, "-", "")), nil)
			wantStatus(t, "lookup", resp, body, http.StatusOK)
			wantBody(t, "status", body, `<dd id="status-label">Đã tiếp nhận</dd>`, `<dd id="status-received">28/11/2026</dd>`, `id="status-updated">`)
			if !regexp.MustCompile(`id="status-updated">\d\d/\d\d/\d{4}<`).MatchString(body) {
				t.Error("the last update is not a dd/mm/yyyy date")
			}
			for _, bad := range []string{"Trần Thị Người Gửi", "Nguyễn Văn Bị Cáo", "quỹ chi bộ", "Sử dụng", "so-quy.pdf", "0912", "ĐT-", receipt} {
				if strings.Contains(body, bad) {
					t.Errorf("the status page shows %q", bad)
				}
			}
		})

		t.Run("honeypot filled: refused, nothing stored", func(t *testing.T) {
			before := e.letters()
			f := aLetter("Đơn có ô bẫy")
			f.Set("homepage", "http://spam.example")
			resp, body := e.send("198.51.100.3", f, nil)
			wantStatus(t, "honeypot", resp, body, http.StatusBadRequest)
			wantBody(t, "honeypot", body, "Không thể tiếp nhận đơn gửi theo cách này")
			if receiptRE.MatchString(body) || e.letters() != before {
				t.Error("a letter with the honeypot filled was stored")
			}
		})

		t.Run("too fast: refused with a clear message, values kept; a valid proof of work lets it through", func(t *testing.T) {
			before := e.letters()
			token, challenge, bits := e.form("198.51.100.4")
			f := aLetter("Gửi nhanh")
			f.Set("token", token)
			resp, body := e.post("198.51.100.4", f, nil, nil)
			wantStatus(t, "too fast", resp, body, http.StatusBadRequest)
			wantBody(t, "too fast", body, "quá nhanh", `value="Gửi nhanh"`, `value="Trần Thị Người Gửi"`)
			if !regexp.MustCompile(`value="TO_CAO"[^>]* checked>`).MatchString(body) || !regexp.MustCompile(`value="NAMED"[^>]* checked>`).MatchString(body) {
				t.Error("the choices made are not kept")
			}
			if e.letters() != before {
				t.Fatal("a letter sent too fast was stored")
			}
			// A wrong proof of work does not help.
			f.Set("pow", "12345")
			resp, body = e.post("198.51.100.4", f, nil, nil)
			wantStatus(t, "wrong proof of work", resp, body, http.StatusBadRequest)
			// The proof pow.js computes lets a fast person through at once.
			if bits != guard.DefaultPowBits {
				t.Errorf("difficulty %d, want %d", bits, guard.DefaultPowBits)
			}
			f.Set("pow", guard.SolvePow(challenge, bits))
			resp, body = e.post("198.51.100.4", f, nil, nil)
			wantStatus(t, "with proof of work", resp, body, http.StatusOK)
			if !receiptRE.MatchString(body) || e.letters() != before+1 {
				t.Error("a fast letter with a valid proof of work was not stored")
			}
		})

		t.Run("a form token submits once", func(t *testing.T) {
			before := e.letters()
			token, _, _ := e.form("198.51.100.5")
			e.clock.Advance(5 * time.Second)
			f := aLetter("Gửi hai lần")
			f.Set("token", token)
			resp, body := e.post("198.51.100.5", f, nil, nil)
			wantStatus(t, "first", resp, body, http.StatusOK)
			resp, body = e.post("198.51.100.5", f, nil, nil)
			wantStatus(t, "replay", resp, body, http.StatusConflict)
			wantBody(t, "replay", body, "đã được gửi một lần", `value="Gửi hai lần"`)
			if e.letters() != before+1 {
				t.Errorf("letters %d → %d, want exactly one more", before, e.letters())
			}
		})

		t.Run("a form token submits once across a window boundary", func(t *testing.T) {
			// Windows of two hours start at even UTC hours: 04:00 UTC.
			e.clock.Set(time.Date(2026, 11, 28, 3, 59, 50, 0, time.UTC))
			before := e.letters()
			token, _, _ := e.form("198.51.100.6")
			e.clock.Advance(6 * time.Second) // 03:59:56, the window [02:00, 04:00)
			f := aLetter("Gửi hai lần qua mốc giờ")
			f.Set("token", token)
			resp, body := e.post("198.51.100.6", f, nil, nil)
			wantStatus(t, "first", resp, body, http.StatusOK)
			e.clock.Advance(10 * time.Second) // 04:00:06, the window [04:00, 06:00)
			resp, body = e.post("198.51.100.6", f, nil, nil)
			wantStatus(t, "replay after the boundary", resp, body, http.StatusConflict)
			if e.letters() != before+1 {
				t.Errorf("letters %d → %d, want exactly one more", before, e.letters())
			}
		})

		t.Run("the sixth letter from one address in an hour: 429, nothing stored", func(t *testing.T) {
			e.clock.Set(time.Date(2026, 11, 28, 10, 0, 0, 0, app.Zone))
			before := e.letters()
			for i := 1; i <= 5; i++ {
				resp, body := e.send("203.0.113.7", aLetter(fmt.Sprintf("Đơn thứ %d trong giờ", i)), nil)
				wantStatus(t, fmt.Sprintf("letter %d", i), resp, body, http.StatusOK)
			}
			resp, body := e.send("203.0.113.7", aLetter("Đơn thứ 6 trong giờ"), nil)
			wantStatus(t, "sixth", resp, body, http.StatusTooManyRequests)
			wantBody(t, "sixth", body, "quá nhiều lần gửi đơn", "phút")
			ra, err := strconv.Atoi(resp.Header.Get("Retry-After"))
			if err != nil || ra <= 0 || ra > 3600 {
				t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
			}
			if e.letters() != before+5 {
				t.Errorf("letters %d → %d, want 5 more", before, e.letters())
			}
			// Another address is not held up; the same one is again an hour later.
			resp, body = e.send("203.0.113.8", aLetter("Đơn từ địa chỉ khác"), nil)
			wantStatus(t, "another address", resp, body, http.StatusOK)
			e.clock.Advance(time.Hour)
			resp, body = e.send("203.0.113.7", aLetter("Đơn giờ sau"), nil)
			wantStatus(t, "an hour later", resp, body, http.StatusOK)
		})

		t.Run("oversize body: a clear message, nothing stored", func(t *testing.T) {
			before := e.letters()
			big := bytes.Repeat([]byte("A"), 5*publicMaxFile+(2<<20))
			f := aLetter("Đơn quá lớn")
			token, _, _ := e.form("198.51.100.9")
			e.clock.Advance(5 * time.Second)
			f.Set("token", token)
			// With a Content-Length: refused before the body is read.
			resp, body := e.post("198.51.100.9", f, []pubFile{{"lon.txt", big}}, nil)
			wantStatus(t, "oversize", resp, body, http.StatusRequestEntityTooLarge)
			wantBody(t, "oversize", body, "Dung lượng gửi lên quá lớn", "nhiều nhất 5 tệp", app.SizeLabel(publicMaxFile))
			// Streamed without a length: cut off at the limit.
			mb, ctype := multipartBody(t, f, []pubFile{{"lon.txt", big}})
			req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/public/letter", io.MultiReader(mb))
			req.Header.Set("Content-Type", ctype)
			resp, body = e.do(req, "198.51.100.9", nil)
			wantStatus(t, "oversize streamed", resp, body, http.StatusRequestEntityTooLarge)
			wantBody(t, "oversize streamed", body, "Dung lượng gửi lên quá lớn")
			if e.letters() != before {
				t.Error("an oversize letter was stored")
			}
		})

		t.Run("a .pdf that is an .exe: a field error, nothing stored", func(t *testing.T) {
			before := e.letters()
			exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), bytes.Repeat([]byte{0}, 200)...)
			resp, body := e.send("198.51.100.10", aLetter("Đơn kèm tệp giả"), []pubFile{{"quyet-dinh.pdf", exe}})
			wantStatus(t, "exe", resp, body, http.StatusBadRequest)
			wantBody(t, "exe", body, `<a href="#files">`, `id="files-err"`, "quyet-dinh.pdf", "Loại tệp không được chấp nhận",
				`aria-describedby="files-hint files-err"`, "hãy chọn lại tệp", `value="Đơn kèm tệp giả"`)
			if e.letters() != before {
				t.Error("a letter with a disguised executable was stored")
			}
		})

		t.Run("forged cross-origin POST: 403, nothing stored", func(t *testing.T) {
			before := e.letters()
			token, _, _ := e.form("198.51.100.11")
			e.clock.Advance(5 * time.Second)
			f := aLetter("Đơn giả mạo từ trang khác")
			f.Set("token", token)
			resp, body := e.post("198.51.100.11", f, nil, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
			wantStatus(t, "cross-site", resp, body, http.StatusForbidden)
			// No header at all (a script, not a browser): refused too.
			resp, body = e.post("198.51.100.11", f, nil, map[string]string{"Origin": "", "Sec-Fetch-Site": ""})
			wantStatus(t, "no origin", resp, body, http.StatusForbidden)
			wantBody(t, "no origin", body, "không xuất phát từ trang của hệ thống")
			if e.letters() != before {
				t.Error("a cross-origin letter was stored")
			}
		})

		t.Run("empty letter: every missing answer at once, in a summary linking to the fields", func(t *testing.T) {
			before := e.letters()
			resp, body := e.send("198.51.100.12", url.Values{"sender_address": {"Địa chỉ giữ lại"}}, nil)
			wantStatus(t, "empty", resp, body, http.StatusBadRequest)
			wantBody(t, "empty", body, `class="error-summary"`, `role="alert"`, `<a href="#sender_mode">`, `<a href="#kind">`,
				`<a href="#accused_name_1">`, `<a href="#subject">`, `<a href="#content">`, `id="subject-err"`,
				`aria-describedby="subject-err"`, `aria-invalid="true"`, `value="Địa chỉ giữ lại"`)
			if i, j := strings.Index(body, `href="#sender_mode"`), strings.Index(body, `href="#content"`); i < 0 || j < i {
				t.Error("the summary is not in the form's order")
			}
			// A named letter without its declaration and name.
			f := aLetter("Đơn chưa cam đoan")
			f.Del("declaration")
			f.Set("sender_name", "")
			resp, body = e.send("198.51.100.12", f, nil)
			wantStatus(t, "no declaration", resp, body, http.StatusBadRequest)
			wantBody(t, "no declaration", body, `<a href="#declaration">`, `<a href="#sender_name">`, "Đơn có tên phải ghi họ tên")
			// Anonymous: no name, no declaration needed.
			f.Set("sender_mode", "ANONYMOUS")
			f.Set("sender_address", "")
			f.Set("sender_phone", "")
			resp, body = e.send("198.51.100.12", f, nil)
			wantStatus(t, "anonymous", resp, body, http.StatusOK)
			wantBody(t, "anonymous", body, "Đơn gửi giấu tên được lưu làm thông tin tham khảo")
			if e.letters() != before+1 || e.lastLetter().SenderSealed != "" {
				t.Error("the anonymous letter was not stored without an identity")
			}
		})

		t.Run("huge letter: a field error, the typed values kept", func(t *testing.T) {
			before := e.letters()
			f := aLetter("Đơn quá dài")
			f.Set("content", strings.Repeat("ệ", 20001))
			f.Set("accused_name_2", "Lê Văn Thứ Hai")
			resp, body := e.send("198.51.100.13", f, nil)
			wantStatus(t, "huge", resp, body, http.StatusBadRequest)
			wantBody(t, "huge", body, `<a href="#content">`, "Dài quá 20.000 ký tự", `value="Đơn quá dài"`, `value="Lê Văn Thứ Hai"`,
				">"+strings.Repeat("ệ", 100))
			if e.letters() != before {
				t.Error("a letter over 20,000 characters was stored")
			}
			// An accused named only by unit: the error is on that row.
			f = aLetter("Đơn thiếu tên người thứ ba")
			f.Set("accused_unit_3", "Trưởng thôn")
			resp, body = e.send("198.51.100.13", f, nil)
			wantStatus(t, "row 3", resp, body, http.StatusBadRequest)
			wantBody(t, "row 3", body, `<a href="#accused_name_3">Người (tổ chức) thứ 3: Họ tên hoặc tên tổ chức:`)
		})

		t.Run("Vietnamese typed in NFD is stored in NFC", func(t *testing.T) {
			subject, content := "Phản ánh về việc thu quỹ", "Đồng chí trưởng thôn thu quỹ khuyến học không có biên lai, người dân bức xúc."
			f := aLetter("")
			f.Set("subject", norm.NFD.String(subject))
			f.Set("content", norm.NFD.String(content))
			f.Set("accused_name_1", norm.NFD.String("Phạm Thị Hương"))
			f.Set("kind", "PHAN_ANH_KIEN_NGHI")
			if f.Get("subject") == subject {
				t.Fatal("control: the NFD text equals the NFC text")
			}
			resp, body := e.send("198.51.100.14", f, nil)
			wantStatus(t, "NFD", resp, body, http.StatusOK)
			l := e.lastLetter()
			if l.Title != subject || l.Content != content || l.Allegations[0].AccusedName != "Phạm Thị Hương" ||
				l.Allegations[0].Kind != ktgs.LetterPetition {
				t.Errorf("stored %q / %q / %q, want NFC", l.Title, l.Content, l.Allegations[0].AccusedName)
			}
		})

		t.Run("English page", func(t *testing.T) {
			en := map[string]string{"Cookie": "lang=en"}
			resp, body := e.get("/public/letter", "198.51.100.15", en)
			wantStatus(t, "English form", resp, body, http.StatusOK)
			wantBody(t, "English form", body, `lang="en"`, "Feedback — about the sender", "(required)", "Leave empty", "Full name",
				"Send the letter", "Denunciation", "Report or petition")
			for _, vi := range []string{"Họ và tên", "Gửi đơn", "bắt buộc", "Để trống ô này"} {
				if strings.Contains(body, vi) {
					t.Errorf("the English form shows %q", vi)
				}
			}
			resp, body = e.get("/public/status", "198.51.100.15", en)
			wantStatus(t, "English status", resp, body, http.StatusOK)
			wantBody(t, "English status", body, "Letter status", "Receipt code", "Look up")
		})
	})
}

func TestPublicStatusLookup(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		e := newPublicEnv(t, db)
		resp, body := e.send("192.0.2.1", aLetter("Đơn để tra cứu"), nil)
		wantStatus(t, "letter", resp, body, http.StatusOK)
		code := receiptRE.FindStringSubmatch(body)[1]

		t.Run("malformed code: a field error", func(t *testing.T) {
			resp, body := e.lookup("192.0.2.2", "ABCD-EFGH", nil)
			wantStatus(t, "malformed", resp, body, http.StatusBadRequest)
			wantBody(t, "malformed", body, `<a href="#receipt_code">`, "Mã tiếp nhận gồm 24 chữ cái", `aria-invalid="true"`,
				`aria-describedby="receipt_code-hint receipt_code-err"`, `value="ABCD-EFGH"`)
		})

		t.Run("unknown code: a generic not-found message", func(t *testing.T) {
			resp, body := e.lookup("192.0.2.3", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", nil)
			wantStatus(t, "unknown", resp, body, http.StatusNotFound)
			wantBody(t, "unknown", body, "Không tìm thấy đơn với mã này")
			if strings.Contains(body, "status-label") {
				t.Error("an unknown code shows a status")
			}
		})

		t.Run("found and not found take the same time budget", func(t *testing.T) {
			for _, c := range []struct {
				code   string
				status int
			}{{code, http.StatusOK}, {"AAAA-BBBB-CCCC-DDDD-EEEE-GGGG", http.StatusNotFound},
				{"nonsense", http.StatusBadRequest}} {
				start := time.Now()
				resp, body := e.lookup("192.0.2.4", c.code, nil)
				wantStatus(t, c.code, resp, body, c.status)
				if d := time.Since(start); d < lookupFloor {
					t.Errorf("%s answered in %v, under the floor of %v", c.code, d, lookupFloor)
				}
			}
		})

		t.Run("per-address limit: the 21st look-up in 10 minutes is refused", func(t *testing.T) {
			// Two addresses of one IPv6 /64 count as one client.
			for i := 1; i <= 20; i++ {
				ip := "2001:db8:1:2::1"
				if i%2 == 0 {
					ip = "2001:db8:1:2::abcd"
				}
				resp, body := e.lookup(ip, "SAI", nil)
				wantStatus(t, fmt.Sprintf("look-up %d", i), resp, body, http.StatusBadRequest)
			}
			resp, body := e.lookup("2001:db8:1:2::ffff", code, nil)
			wantStatus(t, "21st", resp, body, http.StatusTooManyRequests)
			wantBody(t, "21st", body, "Đã tra cứu quá nhiều lần")
			if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra <= 0 || ra > 600 {
				t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
			}
			// Another /64 is not held up.
			resp, body = e.lookup("2001:db8:1:3::1", code, nil)
			wantStatus(t, "another /64", resp, body, http.StatusOK)
		})

		t.Run("per-code limit: the 11th look-up of one code in an hour is refused", func(t *testing.T) {
			unknown := "QQQQ-RRRR-SSSS-TTTT-UUUU-VVVV"
			for i := 1; i <= 10; i++ {
				resp, body := e.lookup(fmt.Sprintf("192.0.2.%d", 100+i), strings.ToLower(unknown), nil)
				wantStatus(t, fmt.Sprintf("look-up %d", i), resp, body, http.StatusNotFound)
			}
			resp, body := e.lookup("192.0.2.200", unknown, nil)
			wantStatus(t, "11th", resp, body, http.StatusTooManyRequests)
			if resp.Header.Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
		})

		t.Run("cross-origin look-up: 403", func(t *testing.T) {
			resp, body := e.lookup("192.0.2.5", code, map[string]string{"Origin": "", "Sec-Fetch-Site": ""})
			wantStatus(t, "no origin", resp, body, http.StatusForbidden)
		})
	})
}

// TestBrowserPublicLetter sends a letter from headless Chromium: pow.js
// solves the proof of work under the site's CSP, which is the only way
// through here (the minimum time is set to an hour); the receipt code is
// shown once; the status page finds it; a malformed code puts the focus on
// the error summary, whose link leads to the field.
func TestBrowserPublicLetter(t *testing.T) {
	b := browsertest.New(t, 120*time.Second)
	db := testdb.OpenSQLite(t)
	_, svc := demoServer(t, db)
	srv, err := web.New(svc, nil, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	srv.Public.MinAge = time.Hour
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	b.Do("open the form", chromedp.Navigate(ts.URL+"/public/letter"), chromedp.WaitVisible(chromedp.ID("sender_name")))
	if !browsertest.Eval[bool](b, "honeypot hidden", `(() => { const h = document.getElementById('homepage');
		const r = h.getBoundingClientRect(); return r.right <= 0 && h.tabIndex === -1 && h.closest('[aria-hidden="true"]') !== null; })()`) {
		t.Error("the honeypot is visible or focusable")
	}
	b.Do("fill the form",
		chromedp.Click(`input[name="sender_mode"][value="NAMED"]`),
		chromedp.SendKeys(chromedp.ID("sender_name"), "Vũ Thị Người Gửi"),
		chromedp.SendKeys(chromedp.ID("accused_name_1"), "Ngô Văn Bị Phản Ánh"),
		chromedp.Click(`input[name="kind"][value="PHAN_ANH_KIEN_NGHI"]`),
		chromedp.SendKeys(chromedp.ID("subject"), "Thu quỹ không có biên lai"),
		chromedp.SendKeys(chromedp.ID("content"), "Trưởng thôn thu quỹ khuyến học của các hộ mà không có biên lai."),
		chromedp.Click(chromedp.ID("declaration")))
	b.Until("proof of work solved", `document.querySelector('form[data-pow]').hasAttribute('data-pow-done') &&
		document.querySelector('input[name="pow"]').value !== ''`, 60*time.Second)
	b.Do("send", chromedp.Click(chromedp.ID("public-submit")))
	b.Until("receipt shown", `!!document.querySelector('#receipt-code')`, 10*time.Second)
	code := browsertest.Eval[string](b, "receipt code", `document.querySelector('#receipt-code').textContent.trim()`)
	if !regexp.MustCompile(`^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$`).MatchString(code) {
		t.Fatalf("receipt code %q", code)
	}

	b.Do("open the status page", chromedp.Navigate(ts.URL+"/public/status"), chromedp.WaitVisible(chromedp.ID("receipt_code")))
	b.Do("a malformed code", chromedp.SendKeys(chromedp.ID("receipt_code"), "ABCD-1234"), chromedp.Click(chromedp.ID("status-submit")))
	b.Until("the error summary has the focus", `document.activeElement && document.activeElement.id === 'error-summary'`, 10*time.Second)
	b.Do("follow the summary's link", chromedp.Click(`#error-summary a[href="#receipt_code"]`))
	b.Until("the field has the focus", `document.activeElement && document.activeElement.id === 'receipt_code'`, 10*time.Second)
	b.Do("the right code",
		chromedp.SetValue(chromedp.ID("receipt_code"), code),
		chromedp.Click(chromedp.ID("status-submit")))
	b.Until("status shown", `!!document.querySelector('#status-label')`, 10*time.Second)
	if got := browsertest.Eval[string](b, "status", `document.querySelector('#status-label').textContent`); got != "Đã tiếp nhận" {
		t.Errorf("status %q", got)
	}
}
