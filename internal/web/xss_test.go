package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/browsertest"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
	"ktgs/internal/vn"
	"ktgs/internal/web"
)

// xssPayload is one entry of the XSS corpus. Every payload carries its mark
// (xss01 …) in its text and, if any of it ever ran or loaded, in the marker
// it sets (window.__xss), the dialog it opens or the path it requests, so
// that a finding names its payload.
type xssPayload struct {
	mark string
	what string
	text string
}

// xssCorpus is the corpus: script tags, event handlers, javascript: URLs,
// attribute breakouts, CSS, meta refresh, template injection, htmx
// attributes, encoded and Unicode variants, NUL bytes and a long string.
func xssCorpus() []xssPayload {
	return []xssPayload{
		{"xss01", "script tag", `<script>window.__xss='xss01';document.title='XSS'</script>`},
		{"xss02", "script tag, mixed case", `<ScRiPt>window.__xss='xss02'</sCrIpT>`},
		{"xss03", "script tag with src", `<script src="/xss03.js"></script>`},
		{"xss04", "img onerror with alert", `<img src="/xss04.png" onerror="window.__xss='xss04';alert('xss04')">`},
		{"xss05", "svg onload", `<svg onload="window.__xss='xss05'">`},
		{"xss06", "script inside svg", `<svg><script>window.__xss='xss06'</script></svg>`},
		{"xss07", "body onload", `<body onload="window.__xss='xss07'">`},
		{"xss08", "details ontoggle", `<details open ontoggle="window.__xss='xss08'">xss08</details>`},
		{"xss09", "video source onerror", `<video><source src="/xss09.mp4" onerror="window.__xss='xss09'"></video>`},
		{"xss10", "onfocus with autofocus", `<input autofocus onfocus="window.__xss='xss10'">`},
		{"xss11", "javascript: URL in a link", `<a href="javascript:window.__xss='xss11'">xss11</a>`},
		{"xss12", "javascript: URL in an iframe", `<iframe src="javascript:parent.__xss='xss12'"></iframe>`},
		{"xss13", "javascript: URL as form action", `<form action="javascript:window.__xss='xss13'"><button>xss13</button></form>`},
		{"xss14", `attribute breakout with "`, `"><img src="/xss14.png" onerror="window.__xss='xss14'">`},
		{"xss15", "attribute breakout with '", `'><svg onload="window.__xss='xss15'">`},
		{"xss16", "attribute breakout with a backtick", "`><img src=/xss16.png onerror=window.__xss='xss16'>"},
		{"xss17", "attribute injection without a tag", `" autofocus onfocus="window.__xss='xss17'" x="`},
		{"xss18", "style element", `<style>body{background:url("/xss18.png")}</style>`},
		{"xss19", "style attribute with CSS expression", `<div style="background:url(/xss19.png);width:expression(window.__xss='xss19')">xss19</div>`},
		{"xss20", "meta refresh", `<meta http-equiv="refresh" content="0;url=/xss20-refresh">`},
		{"xss21", "template injection", `{{7*7}} ${7*7} #{7*7} <%= 7*7 %> {{.}} xss21`},
		{"xss22", "htmx hx-get with hx-trigger=load", `<div hx-get="/xss22-probe" hx-trigger="load">xss22</div>`},
		{"xss23", "htmx hx-on:click and a load trigger", `<button hx-on:click="window.__xss='xss23'" hx-get="/xss23-probe" hx-trigger="load">xss23</button>`},
		{"xss24", "htmx data-hx-* attributes", `<span data-hx-get="/xss24-probe" data-hx-trigger="load" hx-target="body" hx-swap="outerHTML">xss24</span>`},
		{"xss25", "HTML character references", `&#x3C;script&#x3E;window.__xss='xss25'&#x3C;/script&#x3E;`},
		{"xss26", `JavaScript \u escapes`, `\u003cscript\u003ewindow.__xss='xss26'\u003c/script\u003e`},
		{"xss27", "full-width angle brackets", `＜script＞window.__xss='xss27'＜/script＞`},
		{"xss28", "NUL bytes", "xss28\x00<script>window.__xss='xss28'</script>\x00"},
		{"xss29", "very long string", strings.Repeat("<b>xss29</b>", 400) + `<img src="/xss29.png" onerror="window.__xss='xss29'">`},
		{"xss30", "base element", `<base href="//xss30.invalid/">`},
		{"xss31", "object and embed", `<object data="javascript:window.__xss='xss31'"></object><embed src="/xss31.swf">`},
		{"xss32", "mutation XSS through math and style", `<math><mtext><table><mglyph><style><img src="/xss32.png" onerror="window.__xss='xss32'">`},
		{"xss33", "comment breakout", `<!--<img src="--><img src=/xss33.png onerror=window.__xss='xss33'//">`},
		{"xss34", "title breakout", `</title><script>window.__xss='xss34'</script>`},
		{"xss35", "noscript breakout", `<noscript><p title="</noscript><img src=/xss35.png onerror=window.__xss='xss35'>">`},
		{"xss36", "data: URL in a link", `<a href="data:text/html,<script>alert('xss36')</script>">xss36</a>`},
		{"xss37", "character reference inside a handler", `<img src="/xss37.png" onerror="&#97;lert('xss37')">`},
		{"xss38", "percent-encoded script tag", `%3Cscript%3Ewindow.__xss='xss38'%3C/script%3E`},
		{"xss39", "zero-width space inside script (removed by cleaning)", "<scr\u200bipt>window.__xss='xss39'</scr\u200bipt>"},
		{"xss40", "bare javascript: URL", `javascript:window.__xss='xss40'`},
		// A personal name the name validator accepts: apostrophes and
		// hyphens, as in a JavaScript string breakout.
		{"Xss'-alert-'", "apostrophes in a valid name", `Nguyễn Thị Xss'-alert-'`},
	}
}

// xssRecord keeps what was stored where and what the app refused.
type xssRecord struct {
	t       *testing.T
	stored  map[string][]string // payload mark → fields
	refused []string
}

// try stores payload p in field with fn. A refusal with field errors is
// recorded; any other error fails the test.
func (r *xssRecord) try(field string, p xssPayload, fn func(v string) error) bool {
	r.t.Helper()
	err := fn(p.text)
	if err == nil {
		r.stored[p.mark] = append(r.stored[p.mark], field)
		return true
	}
	if e := ktgs.AsError(err); e != nil && e.Code == ktgs.EINVALID && len(e.Fields) > 0 {
		var why []string
		for f, fe := range e.Fields {
			why = append(why, fmt.Sprintf("%s: %s %v", f, fe.Key, fe.Args))
		}
		r.refused = append(r.refused, fmt.Sprintf("%s refused %s (%s): %s", field, p.mark, p.what, strings.Join(why, "; ")))
		return false
	}
	r.t.Fatalf("storing %s (%s) in %s: %v", p.mark, p.what, field, err)
	return false
}

// xssWatch collects what a payload did if it ever ran: page reports (the
// marker, CSP violations), dialogs, suspicious requests seen by the
// browser and by the server.
type xssWatch struct {
	mu     sync.Mutex
	events []string
}

func (w *xssWatch) add(s string) {
	w.mu.Lock()
	w.events = append(w.events, s)
	w.mu.Unlock()
}

func (w *xssWatch) drain() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.events
	w.events = nil
	return out
}

// xssExpect is what a page must show: texts (in document.body.textContent,
// proving the payload was rendered as text and not dropped) and input
// values (for payloads rendered into attributes).
type xssExpect struct {
	Text   []xssWant `json:"text"`
	Values []xssWant `json:"values"`
}

type xssWant struct {
	What     string `json:"what"`
	Want     string `json:"want"`
	Selector string `json:"selector,omitempty"`
}

func (e *xssExpect) text(what, want string) {
	e.Text = append(e.Text, xssWant{What: what, Want: want})
}

func (e *xssExpect) value(what, selector, want string) {
	e.Values = append(e.Values, xssWant{What: what, Want: want, Selector: selector})
}

// xssInit runs in every document before the page's own scripts. It turns
// the marker into a trap and reports CSP violations and title changes to
// the test, so that a script that runs after the checks, or just before a
// navigation, is still caught.
const xssInit = `(() => {
	const report = (m) => { try { window.__ktgsXSSReport(m + ' @ ' + location.href); } catch (e) {} };
	document.addEventListener('securitypolicyviolation', (e) =>
		report('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI + (e.sample ? ' sample ' + e.sample : '')));
	let marker;
	Object.defineProperty(window, '__xss', {configurable: true, get() { return marker; },
		set(v) { marker = v; report('marker window.__xss set to ' + v); }});
	const d = Object.getOwnPropertyDescriptor(Document.prototype, 'title');
	Object.defineProperty(Document.prototype, 'title', {configurable: true, get: d.get,
		set(v) { if (/xss/i.test(String(v))) report('document.title set to ' + v); d.set.call(this, v); }});
})()`

// xssCheck inspects the page: no marker, no element or attribute that came
// from a payload, and every expected text and value present.
const xssCheck = `((exp) => {
	const bad = [];
	if (window.__xss !== undefined) bad.push('marker window.__xss = ' + String(window.__xss));
	if (document.title === 'XSS') bad.push('document.title is XSS');
	// Elements the app never renders in the body.
	const foreign = new Set(['SCRIPT', 'STYLE', 'LINK', 'META', 'BASE', 'IFRAME', 'FRAME', 'FRAMESET', 'OBJECT', 'EMBED',
		'APPLET', 'IMG', 'SVG', 'MATH', 'VIDEO', 'AUDIO', 'SOURCE', 'TEMPLATE', 'NOSCRIPT']);
	const short = (s) => s.length > 100 ? s.slice(0, 100) + '…' : s;
	for (const el of document.querySelectorAll('*')) {
		const tag = el.tagName.toUpperCase();
		if (foreign.has(tag)) {
			const inHead = !!el.closest('head');
			const ok = inHead && (tag === 'META' || tag === 'LINK' || (tag === 'SCRIPT' && (el.getAttribute('src') || '').startsWith('/static/')));
			if (!ok) bad.push('unexpected element ' + short(el.outerHTML));
		}
		for (const a of el.attributes) {
			const n = a.name.toLowerCase(), v = a.value;
			if (n.startsWith('on')) { bad.push('event handler attribute ' + n + '="' + short(v) + '" on <' + tag.toLowerCase() + '>'); continue; }
			if (!/xss/i.test(n + ' ' + v)) continue;
			// The app puts user text into input values, and into its own
			// links' query strings (the language switch, the pager).
			if (n === 'value' && tag === 'INPUT') continue;
			if (n === 'href' && tag === 'A') {
				try {
					const u = new URL(v, location.href);
					if (u.origin === location.origin && !/xss/i.test(decodeURIComponent(u.pathname))) continue;
				} catch (e) {}
			}
			bad.push('attribute ' + n + '="' + short(v) + '" on <' + tag.toLowerCase() + '>');
		}
	}
	const text = document.body ? document.body.textContent : '';
	for (const w of exp.text || []) {
		if (!text.includes(w.want)) bad.push(w.what + ' is not shown as text (want ' + JSON.stringify(short(w.want)) + ')');
	}
	for (const w of exp.values || []) {
		const el = document.querySelector(w.selector);
		if (!el) bad.push(w.what + ': no element ' + w.selector);
		else if (el.value !== w.want) bad.push(w.what + ': ' + w.selector + ' has value ' + JSON.stringify(short(el.value)) + ', want ' + JSON.stringify(short(w.want)));
	}
	return bad;
})`

var xssMarkRE = regexp.MustCompile(`(?i)xss\d\d`)

// TestBrowserXSS stores a corpus of XSS payloads in every free-text field
// the use cases accept, and in the query strings pages echo, renders every
// page that shows them in headless Chromium (with the app's CSP), and
// checks that no payload ran, loaded anything, opened a dialog or became
// markup, and that each is shown as text.
func TestBrowserXSS(t *testing.T) {
	b := browsertest.New(t, 150*time.Second)
	start := time.Now()
	db := testdb.OpenSQLite(t)
	_, svc := demoServer(t, db) // for the demo database; its server is not used
	x := lookup(t, db)
	corpus := xssCorpus()
	byMark := map[string]xssPayload{}
	for _, p := range corpus {
		byMark[strings.ToLower(p.mark)] = p
	}
	watch := &xssWatch{}

	// A server of our own over the demo database, behind a probe that
	// reports every request for a payload's path.
	srv, err := web.New(svc, nil, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(strings.ToLower(r.URL.Path), "xss") {
			watch.add(fmt.Sprintf("server received %s %s (referer %s)", r.Method, r.URL.RequestURI(), r.Referer()))
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	origin, _ := url.Parse(ts.URL)

	rec := &xssRecord{t: t, stored: map[string][]string{}}
	sys := app.AsSystem(ctx)
	var quantri, chunhiem *ktgs.User
	var communeName string
	var path []string // names from below the root down to the commune
	db.View(ctx, func(tx *store.Tx) error {
		var err error
		if quantri, err = tx.UserByName(ctx, "quantri"); err != nil {
			t.Fatal(err)
		}
		if chunhiem, err = tx.UserByName(ctx, "chunhiem"); err != nil {
			t.Fatal(err)
		}
		c, err := tx.OrgLatest(ctx, x.commune)
		if err != nil {
			t.Fatal(err)
		}
		communeName = c.Name
		anc, err := tx.Ancestors(ctx, c, svc.Today())
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range anc {
			if i > 0 {
				path = append(path, a.Name)
			}
		}
		path = append(path, c.Name)
		return nil
	})

	// What each page must show.
	var (
		orgPages    = map[int64]*xssExpect{}
		orgMarks    = map[int64]string{}
		memberPages = map[int64]*xssExpect{}
		memberMarks = map[int64]string{}
		userPages   = map[int64]*xssExpect{}
		userMarks   = map[int64]string{}
		orgOrder    []int64
		memberOrder []int64
		userOrder   []int64
		orgNames    []string // current names, for the commune page, the tree and the search
		usersList   = &xssExpect{}
		account     = &xssExpect{}
		quantriPage = &xssExpect{}
		auditPage   = &xssExpect{}
	)
	created, renamed := civil.MustParse("2026-11-01"), civil.MustParse("2026-11-15")
	n := len(corpus)
	for i, p := range corpus {
		next := corpus[(i+1)%n]
		code := fmt.Sprintf("XSS-%02d", i+1)
		fallback := fmt.Sprintf("Chi bộ thử XSS %02d", i+1)

		// Organisation name, then a RENAME to the next payload with the
		// payload as decision and note.
		var org *ktgs.Org
		oin := app.OrgInput{Code: code, Type: ktgs.OrgTypeGrassrootsBranch, ParentID: x.commune, ValidFrom: created}
		firstName := vn.Clean(p.text)
		if !rec.try("org name", p, func(v string) error {
			in := oin
			in.Name = v
			var err error
			org, err = svc.CreateOrg(sys, in)
			return err
		}) {
			firstName = fallback
			in := oin
			in.Name = fallback
			if org, err = svc.CreateOrg(sys, in); err != nil {
				t.Fatalf("org %s: %v", code, err)
			}
		}
		exp := &xssExpect{}
		orgPages[org.ID], orgMarks[org.ID] = exp, p.mark
		orgOrder = append(orgOrder, org.ID)
		exp.text("the first name "+p.mark+" in the history", firstName)
		currentName := vn.Clean(next.text)
		rin := app.ReorgInput{Kind: ktgs.ReorgRename, Date: renamed, Sources: []int64{org.ID}}
		decided := rec.try("reorganisation name (RENAME)", next, func(v string) error {
			in := rin
			in.Name, in.Decision, in.Note = v, p.text, p.text
			_, err := svc.Reorganize(sys, in)
			return err
		})
		if decided {
			rec.stored[p.mark] = append(rec.stored[p.mark], "reorganisation decision", "reorganisation note (not rendered in HTML)")
		} else {
			currentName = fallback + " (đổi tên)"
			in := rin
			in.Name = currentName
			if decided = rec.try("reorganisation decision and note", p, func(v string) error {
				in.Decision, in.Note = v, v
				_, err := svc.Reorganize(sys, in)
				return err
			}); !decided {
				currentName = firstName
			}
		}
		exp.text("the current name "+next.mark, currentName)
		if decided {
			exp.text("the decision "+p.mark, vn.Clean(p.text))
		}
		orgNames = append(orgNames, currentName)

		// Term name of the chi ủy.
		var committee int64
		db.View(ctx, func(tx *store.Tx) error {
			bodies, err := tx.Bodies(ctx, org.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, bd := range bodies {
				if bd.Kind == ktgs.BodyBranchCommittee {
					committee = bd.ID
				}
			}
			return nil
		})
		if committee == 0 {
			t.Fatalf("org %s has no chi ủy", code)
		}
		var term *ktgs.Term
		termName := vn.Clean(p.text)
		if !rec.try("term name", p, func(v string) error {
			var err error
			term, err = svc.AddTerm(sys, committee, app.TermInput{Name: v, Start: created, End: civil.MustParse("2031-10-31")})
			return err
		}) {
			termName = fmt.Sprintf("Nhiệm kỳ XSS %02d", i+1)
			if term, err = svc.AddTerm(sys, committee, app.TermInput{Name: termName, Start: created, End: civil.MustParse("2031-10-31")}); err != nil {
				t.Fatal(err)
			}
		}
		exp.text("the term name "+p.mark, termName)

		// A member: full name (if the validator accepts it), hometown,
		// occupation; a post; a seat on the chi ủy; a temporary attachment
		// with the payload as note.
		var m *ktgs.Member
		memIn := app.MemberInput{CardNumber: fmt.Sprintf("9900%05d", i+1), Gender: "NAM", BirthDate: civil.MustParse("1980-01-01"),
			AdmittedOn: civil.MustParse("2010-01-01"), HomeOrgID: org.ID, Hometown: p.text, Occupation: p.text}
		fullName := vn.Clean(p.text)
		if !rec.try("member full name", p, func(v string) error {
			in := memIn
			in.FullName = v
			var err error
			m, err = svc.CreateMember(sys, in)
			return err
		}) {
			fullName = "Đảng Viên Thử " + xssLetters(i)
			in := memIn
			in.FullName = fullName
			if m, err = svc.CreateMember(sys, in); err != nil {
				t.Fatalf("member of %s: %v", code, err)
			}
		}
		rec.stored[p.mark] = append(rec.stored[p.mark], "member hometown", "member occupation")
		exp.text("the member's full name "+p.mark, fullName)
		mexp := &xssExpect{}
		memberPages[m.ID], memberMarks[m.ID] = mexp, p.mark
		memberOrder = append(memberOrder, m.ID)
		mexp.text("the full name "+p.mark, fullName)
		mexp.text("the hometown "+p.mark, vn.Clean(p.text))
		mexp.text("the occupation "+p.mark, vn.Clean(p.text))
		mexp.text("the home chi bộ's name "+next.mark, currentName)
		if rec.try("post title and agency", p, func(v string) error {
			_, err := svc.AddPost(sys, m.ID, app.PostInput{Title: v, Agency: v, Level: ktgs.LevelGrassroots, From: civil.MustParse("2026-11-02")})
			return err
		}) {
			mexp.text("the post title and agency "+p.mark, vn.Clean(p.text)+", "+vn.Clean(p.text))
		}
		if _, err := svc.AddSeat(sys, term.ID, app.SeatInput{MemberID: m.ID, Role: ktgs.RoleSecretary}); err != nil {
			t.Fatalf("seat in %s: %v", code, err)
		}
		mexp.text("the term name "+p.mark, termName)
		if rec.try("temporary attachment note", p, func(v string) error {
			return svc.AttachTemporarily(sys, m.ID, x.branch, civil.MustParse("2026-11-10"), 0, v)
		}) {
			mexp.text("the attachment note "+p.mark, vn.CleanText(p.text))
		}

		// An account with the payload as display name.
		uin := app.UserInput{Username: fmt.Sprintf("xssuser%02d", i+1), Role: authz.RoleViewer, Scope: []int64{x.province}}
		var u *ktgs.User
		if rec.try("user display name", p, func(v string) error {
			in := uin
			in.DisplayName = v
			var err error
			u, _, err = svc.CreateUser(sys, in)
			return err
		}) {
			uexp := &xssExpect{}
			userPages[u.ID], userMarks[u.ID] = uexp, p.mark
			userOrder = append(userOrder, u.ID)
			uexp.value("the display name "+p.mark, "#display_name", vn.Clean(p.text))
			usersList.text("the display name "+p.mark, vn.Clean(p.text))
		}

		// An API token of quantri named with the payload.
		qa := &authz.Actor{UserID: quantri.ID, Name: quantri.Username, Role: quantri.Role, Scope: quantri.Scope}
		if rec.try("API token name", p, func(v string) error {
			_, _, err := svc.CreateToken(app.WithActor(ctx, qa), app.TokenInput{Name: v, Role: authz.RoleViewer, Days: 30})
			return err
		}) {
			account.text("the token name "+p.mark, vn.Clean(p.text))
		}

		// A session of quantri whose browser is the payload.
		if ua, err := xssLogin(ts.URL, "quantri", p.text); err != nil {
			rec.refused = append(rec.refused, fmt.Sprintf("User-Agent refused %s (%s) by Go's HTTP client before it reached the app: %v", p.mark, p.what, err))
		} else {
			rec.stored[p.mark] = append(rec.stored[p.mark], "session User-Agent")
			account.text("the session's User-Agent "+p.mark, ua)
			quantriPage.text("the session's User-Agent "+p.mark, ua)
		}
	}

	// quantri's own display name, shown in the header of every page.
	header := corpus[13] // xss14, the " breakout
	if !rec.try("quantri's display name", header, func(v string) error {
		_, err := svc.UpdateUser(sys, quantri.ID, app.UserInput{DisplayName: v, Role: quantri.Role, Clearance: quantri.Clearance.Code(),
			MemberID: quantri.MemberID, Scope: quantri.Scope})
		return err
	}) {
		t.Fatalf("quantri's display name: the app refused %s", header.mark)
	}
	headerText := vn.Clean(header.text)
	quantriPage.value("quantri's display name "+header.mark, "#display_name", headerText)
	account.text("quantri's display name "+header.mark, headerText)
	usersList.text("quantri's display name "+header.mark, headerText)

	// Audit entries last, so they are the newest: a protected read by an
	// actor named with the payload, on an object type named with it, with
	// the payload as reason.
	team := &authz.Object{OrgID: x.commune, Ancestry: []int64{x.province, x.commune}, Team: []int64{chunhiem.ID}}
	for i, p := range corpus {
		actor := &authz.Actor{UserID: chunhiem.ID, Name: p.text, Role: authz.RoleChair, Scope: []int64{x.province}, TwoFactor: true}
		read := func(reason string) error {
			_, err := svc.ReadProtected(app.WithActor(ctx, actor), team,
				app.ProtectedField{ObjectType: p.text, ObjectID: int64(9000 + i), OrgID: x.commune, Field: "denouncer"}, reason,
				func(*store.Tx) (string, error) { return "", nil })
			return err
		}
		if rec.try("audit reason", p, read) {
			auditPage.text("the audit reason "+p.mark, vn.CleanText(p.text))
		} else if err := read("Lý do kiểm tra XSS " + p.mark); err != nil {
			t.Fatalf("audit entry for %s: %v", p.mark, err)
		}
		rec.stored[p.mark] = append(rec.stored[p.mark], "audit actor name", "audit object type and action")
		auditPage.text("the audit actor name "+p.mark, xssRaw(p.text))
		auditPage.text("the audit action "+p.mark, xssRaw(p.text)+".read_protected")
	}
	t.Logf("stored the corpus in %v", time.Since(start).Round(time.Millisecond))

	// The browser: report dialogs (and dismiss them), suspicious requests,
	// and what the init script reports.
	dialogs := chromedp.Events(b.Ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			watch.add(fmt.Sprintf("dialog %s %q opened @ %s", ev.Type, ev.Message, ev.URL))
			chromedp.Call(b.Ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	requests := chromedp.Events(b.Ctx, network.RequestWillBeSent)
	go func() {
		for ev, err := range requests {
			if err != nil {
				return
			}
			u, perr := url.Parse(ev.Request.URL)
			switch {
			case perr != nil:
				watch.add(fmt.Sprintf("browser requested unparsable URL %q (document %s)", ev.Request.URL, ev.DocumentURL))
			case u.Scheme == "data" || u.Scheme == "javascript":
				watch.add(fmt.Sprintf("browser loaded %.120s (document %s)", ev.Request.URL, ev.DocumentURL))
			case u.Host != origin.Host || strings.Contains(strings.ToLower(u.Path), "xss"):
				watch.add(fmt.Sprintf("browser requested %s (document %s)", ev.Request.URL, ev.DocumentURL))
			}
		}
	}()
	b.Do("install the XSS watch",
		chromedp.ExposeFunc("__ktgsXSSReport", func(_ context.Context, msg string) (chromedp.Void, error) {
			watch.add("page reported " + msg)
			return chromedp.Void{}, nil
		}),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: xssInit})
			return err
		}))

	pages := 0
	// check inspects the page now in the tab and reports its problems and
	// whatever the watch collected since the last check.
	check := func(label string, exp *xssExpect, withHeader bool) {
		t.Helper()
		b.Until(label+": loaded", `document.readyState === 'complete' && typeof htmx === 'object' && !document.querySelector('.htmx-request')`, 10*time.Second)
		time.Sleep(20 * time.Millisecond) // let handlers queued by the parser (toggle, focus, error) run
		all := xssExpect{}
		if exp != nil {
			all.Text, all.Values = slices.Clone(exp.Text), exp.Values
		}
		if withHeader {
			all.text("quantri's display name in the header "+header.mark, headerText)
		}
		arg, _ := json.Marshal(all)
		problems := browsertest.Eval[[]string](b, label+": check", xssCheck+"("+string(arg)+")")
		problems = append(problems, watch.drain()...)
		for _, pr := range problems {
			t.Errorf("%s: %s%s", label, pr, xssBlame(pr, byMark))
		}
		pages++
	}
	visit := func(label, u string, exp *xssExpect, withHeader bool, statuses ...int) int {
		t.Helper()
		resp, err := chromedp.Run(b.Ctx, chromedp.NavigateResponse(u))
		if err != nil || resp == nil {
			t.Fatalf("%s: open %s: %v (no response)", label, u, err)
		}
		if len(statuses) == 0 {
			statuses = []int{http.StatusOK}
		}
		ok := false
		for _, s := range statuses {
			ok = ok || int(resp.Status) == s
		}
		if !ok {
			t.Errorf("%s: %s answered %d, want %v", label, u, resp.Status, statuses)
		}
		check(label, exp, withHeader)
		return int(resp.Status)
	}

	// The sign-in page echoes ?next= into a hidden input, before signing
	// in: the attribute breakouts and a few others (the search, rules and
	// audit pages below take the whole corpus).
	for _, p := range corpus {
		if !slices.Contains([]string{"xss01", "xss14", "xss15", "xss16", "xss17", "xss22", "xss28", "xss29", "xss34", "xss39"}, p.mark) {
			continue
		}
		exp := &xssExpect{}
		exp.value("the next parameter "+p.mark, `input[name="next"]`, xssRaw(p.text))
		visit("login page with next="+p.mark, ts.URL+"/login?"+url.Values{"next": {p.text}}.Encode(), exp, false)
	}

	phase := func(what string) { t.Logf("%-28s %v", what, time.Since(start).Round(time.Millisecond)) }
	phase("sign-in page echoes checked")
	signIn(b, ts.URL, "quantri")
	check("home page after signing in", nil, true)

	// The tree: open each level down to the commune; its children, the
	// XSS chi bộ, arrive as an htmx fragment.
	for _, name := range path {
		jsName, _ := json.Marshal(name)
		find := `[...document.querySelectorAll('#tree summary > a')].find(x => x.textContent.trim() === ` + string(jsName) + `)`
		browsertest.Eval[bool](b, "open "+name+" in the tree", `(() => { const a = `+find+`; if (!a) throw new Error('no node '+`+string(jsName)+`); a.parentElement.click(); return true; })()`)
		b.Until("children of "+name+" loaded", `(() => { const a = `+find+`; const d = a && a.closest('details');
			return !!d && d.open && !d.querySelector(':scope > ul > li.loading') && d.querySelectorAll(':scope > ul > li').length > 0; })()`, 10*time.Second)
	}
	tree := &xssExpect{}
	for i, name := range orgNames {
		tree.text("the chi bộ "+corpus[(i+1)%n].mark+" in the tree", name)
	}
	check("tree expanded down to "+communeName, tree, true)

	// The filter box (htmx) and the search page.
	b.Do("type a filter", chromedp.SendKeys(chromedp.ID("q"), "xss"))
	b.Until("filter results", `document.querySelectorAll('#search-results li').length >= `+fmt.Sprint(len(orgNames)), 10*time.Second)
	check("filter results (htmx) for xss", tree, true)
	visit("search page for xss", ts.URL+"/orgs/search?q=xss", tree, true)

	phase("tree and search checked")
	// The commune, each chi bộ and each member.
	visit("commune page", fmt.Sprintf("%s/orgs/%d", ts.URL, x.commune), tree, true)
	for _, id := range orgOrder {
		visit("org page of the chi bộ storing "+orgMarks[id], fmt.Sprintf("%s/orgs/%d", ts.URL, id), orgPages[id], true)
	}
	for _, id := range memberOrder {
		visit("member page storing "+memberMarks[id], fmt.Sprintf("%s/members/%d", ts.URL, id), memberPages[id], true)
	}

	phase("org and member pages checked")
	// Accounts, tokens, sessions and the audit trail.
	visit("account page", ts.URL+"/account", account, true)
	visit("users list", ts.URL+"/admin/users", usersList, true)
	visit("user page of quantri", fmt.Sprintf("%s/admin/users/%d", ts.URL, quantri.ID), quantriPage, true)
	for _, id := range userOrder {
		visit("user page storing "+userMarks[id], fmt.Sprintf("%s/admin/users/%d", ts.URL, id), userPages[id], true)
	}
	visit("audit log", ts.URL+"/admin/audit", auditPage, true)

	phase("account and admin pages checked")
	// Echoed query strings: the search, the rules form and the audit
	// filters.
	for _, p := range corpus {
		exp := &xssExpect{}
		q := strings.TrimSpace(p.text)
		long := len([]rune(q)) > 100
		if !long {
			exp.value("the query "+p.mark, "#q", xssRaw(q))
		}
		status := visit("search page with q="+p.mark, ts.URL+"/orgs/search?"+url.Values{"q": {p.text}}.Encode(), exp, true, http.StatusOK, http.StatusBadRequest)
		if long && status == http.StatusBadRequest {
			rec.refused = append(rec.refused, fmt.Sprintf("search query refused %s (%s): longer than 100 characters (400)", p.mark, p.what))
		} else if status != http.StatusOK {
			t.Errorf("search page with q=%s: status %d", p.mark, status)
		}
	}
	ruleFields := []string{"card_number", "subject_org_code", "body_org_code", "violation_date", "decision_date", "announced_on",
		"official", "probationary", "absent_temp", "absent_exempt", "absent_other"}
	auditFields := []string{"actor", "object_type", "object_id", "action", "from", "to"}
	for _, form := range []struct {
		path   string
		fields []string
		fixed  url.Values
	}{{"/rules", ruleFields, url.Values{"ask": {"1"}}}, {"/admin/audit", auditFields, url.Values{}}} {
		for i := 0; i < n; i += len(form.fields) {
			q := url.Values{}
			for k, v := range form.fixed {
				q[k] = v
			}
			exp := &xssExpect{}
			var marks []string
			for j, f := range form.fields {
				if i+j >= n {
					break
				}
				p := corpus[i+j]
				q.Set(f, p.text)
				exp.value(f+" "+p.mark, "#"+f, xssRaw(strings.TrimSpace(p.text)))
				marks = append(marks, p.mark)
			}
			visit(form.path+" echoing "+strings.Join(marks, ", "), ts.URL+form.path+"?"+q.Encode(), exp, true, http.StatusOK, http.StatusBadRequest)
		}
	}

	phase("echoed queries checked")
	// Late effects: requests, dialogs or reports that arrive after the
	// last check.
	time.Sleep(300 * time.Millisecond)
	for _, pr := range watch.drain() {
		t.Errorf("after the last page: %s%s", pr, xssBlame(pr, byMark))
	}

	stored := 0
	fields := map[string]int{}
	for _, p := range corpus {
		if len(rec.stored[p.mark]) > 0 {
			stored++
		}
		for _, f := range rec.stored[p.mark] {
			fields[f]++
		}
	}
	if stored < 20 {
		t.Errorf("only %d payloads were stored anywhere, want at least 20", stored)
	}
	t.Logf("corpus: %d payloads, %d stored; %d pages checked in %v", n, stored, pages, time.Since(start).Round(time.Millisecond))
	for _, f := range slices.Sorted(maps.Keys(fields)) {
		t.Logf("stored %2d payloads in %s", fields[f], f)
	}
	for _, r := range rec.refused {
		t.Logf("%s", r)
	}
}

// xssLogin signs in through POST /login with ua as the browser's
// User-Agent and returns the User-Agent as the app records it (its first
// 300 bytes).
func xssLogin(base, user, ua string) (string, error) {
	req, err := http.NewRequest(http.MethodPost, base+"/login",
		strings.NewReader(url.Values{"username": {user}, "password": {app.DemoPassword}}.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", ua)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("login as %s: status %d", user, resp.StatusCode)
	}
	if len(ua) > 300 {
		n := 300
		for n > 0 && ua[n]&0xC0 == 0x80 {
			n--
		}
		ua = ua[:n]
	}
	return xssRaw(ua), nil
}

// xssRaw is how a browser shows text that reached the template unchanged:
// html/template writes NUL as U+FFFD.
func xssRaw(s string) string { return strings.ReplaceAll(s, "\x00", "\uFFFD") }

// xssLetters names the i-th fallback member with letters only (the name
// validator refuses digits).
func xssLetters(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// xssBlame names the payloads a problem mentions.
func xssBlame(problem string, byMark map[string]xssPayload) string {
	seen := map[string]bool{}
	var out []string
	for _, m := range xssMarkRE.FindAllString(problem, -1) {
		m = strings.ToLower(m)
		if p, ok := byMark[m]; ok && !seen[m] {
			seen[m] = true
			out = append(out, fmt.Sprintf("%s (%s): %.80q", p.mark, p.what, p.text))
		}
	}
	if strings.Contains(problem, "Xss'-alert-'") {
		out = append(out, "Xss'-alert-' (apostrophes in a valid name)")
	}
	if len(out) == 0 {
		return ""
	}
	return " [payload " + strings.Join(out, "; ") + "]"
}
