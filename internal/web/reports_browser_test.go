package web_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/browsertest"
	"ktgs/internal/i18n"
	"ktgs/internal/testdb"
)

// TestBrowserPeriodicReport walks a chi bộ's periodic report through
// headless Chromium, on every engine. The secretary of Chi bộ thôn Đoàn
// Kết (bithu) prepares the 2026 report from the board: its figures are the
// statistics engine's for the unit and year, as the secretary may count
// them; she writes a section, saves the draft and submits it. The chair of
// Ninh Bình (chunhiem, whose scope holds the commune, the level above)
// opens the commune's board, finds the chi bộ submitted (another chi bộ
// has a draft, the rest have not started, as the engine's board says) and
// returns it with a comment. The secretary sees the comment, adds the
// directions and resubmits; the chair approves. An edit sent from a tab
// opened before the approval is refused with the Vietnamese message and
// the page offers a new version instead. The approved report's DOCX,
// fetched with the browser's session, is the file whose hash the page
// shows, a DOCX naming the unit, holding the narrative and carrying the
// audit chain head in its footer; the new version opens as a draft with
// the narrative.
func TestBrowserPeriodicReport(t *testing.T) {
	// SQLite only, like the other browser tests: the flow on both engines
	// is TestReportPages' and internal/app's.
	db := testdb.OpenSQLite(t)
	b := browsertest.New(t, 120*time.Second)
	ts, svc := demoServer(t, db)
	x := lookup(t, db)
	vi := func(key string, args ...any) string { return i18n.Default().T("vi", key, args...) }
	year := ktgs.Period{Kind: ktgs.PeriodYear, Year: 2026}
	const (
		commune    = "P19-O1-D01-C01"
		situation  = "Chi bộ duy trì sinh hoạt định kỳ, quán triệt các văn bản của cấp trên về công tác kiểm tra, giám sát."
		comment    = "Đề nghị bổ sung phương hướng, nhiệm vụ năm 2027."
		directions = "Năm 2027 chi bộ giám sát chuyên đề việc tu dưỡng, rèn luyện đạo đức của đảng viên."
		lateEdit   = "Sửa sau khi đã duyệt."
	)
	// Another chi bộ of the commune has a draft, so the board shows
	// more than one status.
	if _, err := svc.CreateReport(app.AsSystem(ctx), app.ReportInput{OrgID: x.smallBranch, Period: year}); err != nil {
		t.Fatal(err)
	}

	// click clicks sel and waits for the page that answers (a new
	// document, not the one clicked on).
	click := func(step, sel string) {
		t.Helper()
		browsertest.Eval[bool](b, step+": mark the page", `(document.documentElement.dataset.stale = '1') === '1'`)
		b.Do(step, chromedp.Click(chromedp.CSS(sel)))
		b.Until(step+": answered", `document.documentElement.dataset.stale !== '1' && document.readyState === 'complete'`, 15*time.Second)
	}
	text := func(step, sel string) string {
		t.Helper()
		return strings.TrimSpace(browsertest.Eval[string](b, step, `(document.querySelector(`+browsertest.JSString(sel)+`)||{}).textContent||''`))
	}
	status := func() string { return text("report status", "#report-status") }
	signOut := func() {
		t.Helper()
		click("sign out", "#logout")
		b.Until("signed out", `location.pathname === '/login'`, 10*time.Second)
	}
	// figures reads the report page's table: row key → column → number.
	figures := func() map[string]map[string]int {
		t.Helper()
		raw := browsertest.Eval[map[string]map[string]string](b, "the figures", `Object.fromEntries([...document.querySelectorAll('#report-figures tbody tr[data-key]')].map(tr =>
			[tr.dataset.key, Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map(td => [td.dataset.col, td.textContent.trim()]))]))`)
		out := map[string]map[string]int{}
		for key, cols := range raw {
			out[key] = map[string]int{}
			for col, s := range cols {
				if s == "" {
					continue
				}
				n, err := strconv.Atoi(strings.NewReplacer(".", "", ",", "", "\u00a0", "", " ", "").Replace(s))
				if err != nil {
					t.Fatalf("figure %s/%s: %q is not a number", key, col, s)
				}
				out[key][col] = n
			}
		}
		return out
	}
	// checkFigures compares the page's columns with the engine's count
	// of the chi bộ for 2026, as the secretary may count it.
	checkFigures := func(step string, cols ...string) {
		t.Helper()
		rep, err := svc.Stats(demoActor(t, db, svc, "bithu"), app.StatsQuery{OrgID: x.branch, Period: year,
			View: ktgs.ViewToday, Breakdown: ktgs.BreakdownChildren})
		if err != nil {
			t.Fatal(err)
		}
		page := figures()
		rows, nonZero := 0, ""
		for _, line := range rep.Rows {
			if !line.Available {
				continue
			}
			rows++
			total, own := line.Cells[0].Count, line.Cells[1].Count
			got, ok := page[line.Key]
			if !ok {
				t.Errorf("%s: the page has no row %s", step, line.Key)
				continue
			}
			for _, col := range cols {
				want := total
				if strings.HasSuffix(col, "-own") {
					want = own
				}
				if got[col] != want {
					t.Errorf("%s: %s %s shows %d, the statistics engine counts %d", step, line.Key, col, got[col], want)
				}
			}
			if total > 0 && nonZero == "" && line.Depth == 0 {
				nonZero = fmt.Sprintf("%s = %d", line.Key, total)
			}
		}
		if len(page) != rows {
			t.Errorf("%s: the page has %d rows of figures, the engine %d", step, len(page), rows)
		}
		if nonZero == "" {
			t.Fatalf("%s: the chi bộ counts nothing in 2026; the check needs a non-zero figure", step)
		}
		t.Logf("%s: %d rows match the engine, e.g. %s", step, rows, nonZero)
	}

	// 1. The secretary prepares the report from her board.
	signIn(b, ts.URL, "bithu")
	click("open the reports", "#nav-reports")
	b.Until("the board", `location.pathname === '/reports' && !!document.querySelector('#report-own')`, 10*time.Second)
	if got := text("own status", `#report-own tr[data-org="`+fmt.Sprint(x.branch)+`"] .badge`); got != vi("reportstatus.NOT_STARTED") {
		t.Fatalf("the chi bộ's own report shows %q before it is prepared", got)
	}
	click("prepare the report", "#report-create")
	b.Until("the report page", `/^\/reports\/\d+$/.test(location.pathname) && !!document.querySelector('#report-form')`, 10*time.Second)
	if s := status(); s != vi("reportstatus.DRAFT") {
		t.Fatalf("a new report shows %q", s)
	}
	page := browsertest.Eval[string](b, "the report's path", `location.pathname`)
	id, _ := strconv.ParseInt(strings.TrimPrefix(page, "/reports/"), 10, 64)
	checkFigures("the draft", "live-total", "live-own")
	b.Do("write the situation", chromedp.SendKeys(chromedp.ID(ktgs.SectionSituation), situation))
	click("save the draft", "#report-save")
	if n := text("saved notice", "p.notice"); n != vi("doc.saved") {
		t.Errorf("after saving: notice %q (error %q)", n, text("error", "#report-error"))
	}
	if got := browsertest.Eval[string](b, "the saved text", `document.getElementById('situation').value`); got != situation {
		t.Errorf("the saved situation reads %q", got)
	}
	click("submit", "#report-submit")
	if s := status(); s != vi("reportstatus.SUBMITTED") {
		t.Fatalf("after submitting: %q (error %q)", s, text("error", "#report-error"))
	}
	if browsertest.Eval[bool](b, "no form", `!!document.querySelector('#report-form, #report-submit')`) {
		t.Error("a submitted report still offers the form")
	}
	checkFigures("the submitted report", "submitted-total", "submitted-own", "live-total", "live-own")
	signOut()

	// 2. The chair opens the commune's board and returns the report.
	board := func(step string) {
		t.Helper()
		signIn(b, ts.URL, "chunhiem")
		click(step+": open the reports", "#nav-reports")
		b.Do(step+": choose the commune", chromedp.SetValue(chromedp.ID("org"), commune))
		click(step+": show its board", "#report-filter")
		b.Until(step+": the commune's board", `!!document.querySelector('#report-lower tr[data-org="`+fmt.Sprint(x.branch)+`"]')`, 10*time.Second)
	}
	board("review")
	want, err := svc.ReportBoard(demoActor(t, db, svc, "chunhiem"), app.BoardQuery{OrgID: x.commune, Period: year})
	if err != nil {
		t.Fatal(err)
	}
	shown := browsertest.Eval[map[string]string](b, "the lower units' statuses", `Object.fromEntries([...document.querySelectorAll('#report-lower tr[data-org]')].map(tr => [tr.dataset.org, tr.dataset.status + '|' + tr.querySelector('.badge').textContent.trim()]))`)
	if len(shown) != len(want.Lower) || len(shown) < 3 {
		t.Errorf("the board lists %d lower units, the engine %d (want at least 3)", len(shown), len(want.Lower))
	}
	for _, e := range want.Lower {
		if got, wantS := shown[fmt.Sprint(e.Org.ID)], string(e.Status)+"|"+vi("reportstatus."+string(e.Status)); got != wantS {
			t.Errorf("the board shows %s as %q, want %q", e.Org.Name, got, wantS)
		}
	}
	for org, wantS := range map[int64]ktgs.ReportStatus{x.branch: ktgs.ReportSubmitted, x.smallBranch: ktgs.ReportDraft} {
		if got := shown[fmt.Sprint(org)]; !strings.HasPrefix(got, string(wantS)+"|") {
			t.Errorf("the board shows unit %d as %q, want %s", org, got, wantS)
		}
	}
	counts := browsertest.Eval[map[string]string](b, "the counts", `Object.fromEntries([...document.querySelectorAll('#report-counts [data-status]')].map(s => [s.dataset.status, s.dataset.count]))`)
	if counts["SUBMITTED"] != "1" || counts["DRAFT"] != "1" || counts["NOT_STARTED"] != strconv.Itoa(len(want.Lower)-2) {
		t.Errorf("the counts %v; want 1 submitted, 1 draft, %d not started", counts, len(want.Lower)-2)
	}
	click("open the submitted report", `#report-lower tr[data-org="`+fmt.Sprint(x.branch)+`"] a`)
	if got := browsertest.Eval[string](b, "the reviewed report", `location.pathname`); got != page {
		t.Fatalf("the board's link leads to %s, want %s", got, page)
	}
	if got := browsertest.Eval[string](b, "the situation shown", `document.querySelector('section[data-section="situation"] p').textContent`); got != situation {
		t.Errorf("the reviewer reads the situation %q", got)
	}
	b.Do("write the comment", chromedp.SendKeys(chromedp.ID("comment"), comment))
	click("return", "#report-return")
	if s := status(); s != vi("reportstatus.RETURNED") {
		t.Fatalf("after returning: %q (error %q)", s, text("error", "#report-error"))
	}
	signOut()

	// 3. The secretary reads the comment, adds the directions and
	// resubmits; a second tab keeps the form as it was.
	signIn(b, ts.URL, "bithu")
	click("open the reports", "#nav-reports")
	if got := text("own status", `#report-own tr[data-org="`+fmt.Sprint(x.branch)+`"] .badge`); got != vi("reportstatus.RETURNED") {
		t.Errorf("the board shows the returned report as %q", got)
	}
	click("open the returned report", `#report-own a[href="`+page+`"]`)
	if got := text("the comment", "#report-comment .pre"); got != comment {
		t.Errorf("the returned report shows the comment %q, want %q", got, comment)
	}
	stale, closeStale := chromedp.NewContext(b.Ctx)
	defer closeStale()
	if err := chromedp.Do(stale, chromedp.Navigate(ts.URL+page), chromedp.WaitVisible(chromedp.ID("report-save"))); err != nil {
		t.Fatalf("open the report in a second tab: %v", err)
	}
	b.Do("write the directions", chromedp.SendKeys(chromedp.ID(ktgs.SectionDirections), directions))
	click("save", "#report-save")
	click("resubmit", "#report-submit")
	if s := status(); s != vi("reportstatus.SUBMITTED") {
		t.Fatalf("after resubmitting: %q (error %q)", s, text("error", "#report-error"))
	}
	if browsertest.Eval[bool](b, "comment gone", `!!document.querySelector('#report-comment')`) {
		t.Error("the resubmitted report still shows the return comment")
	}
	signOut()

	board("approval")
	if got := text("the resubmitted status", `#report-lower tr[data-org="`+fmt.Sprint(x.branch)+`"] .badge`); got != vi("reportstatus.SUBMITTED") {
		t.Errorf("the board shows the resubmitted report as %q", got)
	}
	click("open the resubmitted report", `#report-lower tr[data-org="`+fmt.Sprint(x.branch)+`"] a`)
	click("approve", "#report-approve")
	if s := status(); s != vi("reportstatus.APPROVED") {
		t.Fatalf("after approving: %q (error %q)", s, text("error", "#report-error"))
	}
	signOut()

	// The approved report: the secretary's page offers a new version,
	// not the form; the edit from the older tab is refused.
	signIn(b, ts.URL, "bithu")
	b.Do("open the approved report", chromedp.Navigate(ts.URL+page), chromedp.WaitVisible(chromedp.ID("report-status")))
	if s := status(); s != vi("reportstatus.APPROVED") {
		t.Fatalf("the secretary sees %q", s)
	}
	if browsertest.Eval[bool](b, "no form", `!!document.querySelector('#report-form, #report-submit')`) || !browsertest.Eval[bool](b, "new version offered", `!!document.querySelector('#report-version')`) {
		t.Error("the approved report offers the form, or no new version")
	}
	main := b.Ctx
	b.Ctx = stale
	b.Do("edit in the older tab", chromedp.SendKeys(chromedp.ID(ktgs.SectionLimits), lateEdit))
	click("save in the older tab", "#report-save")
	refused := text("the refusal", "#report-error")
	offers := browsertest.Eval[bool](b, "new version offered", `!!document.querySelector('#report-version') && !document.querySelector('#report-form')`)
	b.Ctx = main
	if refused != vi("err.report.approved") || !offers {
		t.Errorf("the edit of the approved report: message %q (want %q), new version offered %v", refused, vi("err.report.approved"), offers)
	}
	v, err := svc.Report(demoActor(t, db, svc, "bithu"), id)
	if err != nil {
		t.Fatal(err)
	}
	r := v.Report
	if r.Status != ktgs.ReportApproved || r.Sections[ktgs.SectionLimits] != "" || r.Sections[ktgs.SectionDirections] != directions || r.Sections[ktgs.SectionSituation] != situation {
		t.Errorf("the stored report: %s %v", r.Status, r.Sections)
	}
	if r.AuditSeq == 0 || len(r.AuditHash) < 16 || r.DocxHash == "" {
		t.Fatalf("the approved report has no audit head (%d %q) or DOCX hash %q", r.AuditSeq, r.AuditHash, r.DocxHash)
	}
	footer := app.ReportAuditFooter(r.AuditSeq, r.AuditHash)
	if h := text("the hashes", "#report-hash"); !strings.Contains(h, r.DocxHash) || !strings.Contains(h, r.AuditHash) {
		t.Errorf("the page shows %q, not the DOCX hash %s and the audit head %s", h, r.DocxHash, r.AuditHash)
	}

	// 4. The approved report's DOCX, fetched with the session.
	type download struct {
		Status      int    `json:"status"`
		Type        string `json:"type"`
		Disposition string `json:"disposition"`
		Data        string `json:"data"`
	}
	dl, err := chromedp.Run(b.Ctx, chromedp.Evaluate[download](`fetch(document.getElementById('dl-docx').href).then(async r => {
		const buf = new Uint8Array(await r.arrayBuffer());
		let s = '';
		for (let i = 0; i < buf.length; i += 8192) s += String.fromCharCode.apply(null, buf.subarray(i, i + 8192));
		return {status: r.status, type: r.headers.get('content-type') || '', disposition: r.headers.get('content-disposition') || '', data: btoa(s)};
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download the DOCX: %v", err)
	}
	if dl.Status != 200 || !strings.Contains(dl.Type, "wordprocessingml") || !strings.Contains(dl.Disposition, "BC-") || strings.Contains(dl.Disposition, "du-thao") {
		t.Fatalf("DOCX download: status %d, type %q, disposition %q", dl.Status, dl.Type, dl.Disposition)
	}
	raw, err := base64.StdEncoding.DecodeString(dl.Data)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(raw); hex.EncodeToString(sum[:]) != r.DocxHash {
		t.Errorf("the downloaded DOCX is not the submitted one: SHA-256 %x, audited %s", sum, r.DocxHash)
	}
	parts := docxParts(t, raw)
	doc := parts["word/document.xml"]
	for _, want := range []string{strings.ToUpper(v.Unit.Name), "BÁO CÁO", app.ReportTitle(r.Series, r.Period), situation, directions} {
		if !strings.Contains(doc, want) {
			t.Errorf("the DOCX's word/document.xml lacks %q", want)
		}
	}
	if strings.Contains(doc, "DỰ THẢO") || strings.Contains(doc, lateEdit) {
		t.Error("the approved DOCX is marked as a draft or holds the refused edit")
	}
	if !strings.Contains(parts["word/footer1.xml"], footer) {
		t.Errorf("the DOCX footer lacks %q", footer)
	}

	// The new version opens as a draft with the narrative.
	click("new version", "#report-version")
	if s := status(); s != vi("reportstatus.DRAFT") || browsertest.Eval[string](b, "the new version's path", `location.pathname`) == page {
		t.Fatalf("the new version: %q at %s", s, page)
	}
	if got := browsertest.Eval[string](b, "the carried directions", `document.getElementById('directions').value`); got != directions {
		t.Errorf("the new version's directions read %q", got)
	}
}

// docxParts unzips a DOCX into its parts' text.
func docxParts(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a DOCX (zip): %v", err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(x)
	}
	if out["word/document.xml"] == "" {
		t.Fatal("no word/document.xml in the DOCX")
	}
	return out
}
