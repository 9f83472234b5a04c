package web_test

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/browsertest"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// TestBrowserDisciplinePath walks the main path of a discipline
// proceeding in headless Chromium: from a violation finding on an
// inspection case page the proceeding is opened (a violation dated after
// the opening is refused first), the member heard, the secret ballot
// recorded (an over-full tally is refused first), the discipline decided
// and the decision DOCX downloaded; then the member's complaint is filed
// (one dated before the written decision was received is refused first).
func TestBrowserDisciplinePath(t *testing.T) {
	b := browsertest.New(t, 180*time.Second)
	db := testdb.OpenSQLite(t)
	ts, svc := demoServer(t, db)
	vc := violationCase(t, db, svc)

	// proceedings counts the member's proceedings and the votes of the
	// first, straight from the register.
	proceedings := func() (n int, votes int) {
		t.Helper()
		db.View(ctx, func(tx *store.Tx) error {
			ps, err := tx.MemberProceedings(ctx, vc.memberID)
			if err != nil {
				t.Fatal(err)
			}
			n = len(ps)
			if n > 0 {
				vs, err := tx.Votes(ctx, ps[0].ID)
				if err != nil {
					t.Fatal(err)
				}
				votes = len(vs)
			}
			return nil
		})
		return n, votes
	}
	if n, _ := proceedings(); n != 0 {
		t.Fatalf("the member already has %d proceedings before the test", n)
	}

	signIn(b, ts.URL, "chunhiem")

	// 1. The violation on the case page leads to the form, origin FINDING.
	link := fmt.Sprintf("open-proceeding-%d", vc.findingID)
	b.Do("open the case", chromedp.Navigate(fmt.Sprintf("%s/cases/%d", ts.URL, vc.caseID)), chromedp.WaitVisible(chromedp.ID(link)))
	b.Do("open a proceeding from the violation", chromedp.Click(chromedp.ID(link)))
	fid := strconv.FormatInt(vc.findingID, 10)
	b.Until("the new-proceeding form from the finding", `location.pathname === '/proceedings/new' && !!document.querySelector('#proceeding-open')
		&& document.querySelector('#origin').value === 'FINDING' && document.querySelector('#finding_id').value === `+browsertest.JSString(fid), 10*time.Second)

	fill := func(violationOn, openedOn string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(chromedp.ID("body_org_code"), "P19-O1-D01-C01"),
			chromedp.SetValue(chromedp.ID("body_kind"), string(ktgs.BodyInspectionCommission)),
			chromedp.SetValue(chromedp.ID("violation_on"), violationOn),
			chromedp.SetValue(chromedp.ID("warranted_form"), string(ktgs.FormReprimand)),
			chromedp.SetValue(chromedp.ID("opened_on"), openedOn),
		}
	}

	// 2. A violation dated after the opening is refused next to its field;
	// the form keeps its origin and nothing is created.
	b.Do("submit a violation after the opening", append(fill("30/11/2026", "26/11/2026"), chromedp.Click(chromedp.ID("proceeding-open")))...)
	b.Until("the violation date is refused", `location.pathname === '/proceedings' && !!document.querySelector('#violation_on-err')`, 10*time.Second)
	if msg := browsertest.Eval[string](b, "the field error", `document.querySelector('#violation_on-err').textContent`); !strings.Contains(msg, "Phải sau") ||
		!strings.Contains(msg, "Ngày mở hồ sơ") {
		t.Errorf("violation_on error %q, want the Vietnamese «Phải sau “Ngày mở hồ sơ”»", msg)
	}
	if !browsertest.Eval[bool](b, "the form kept its origin", `document.querySelector('#origin').value === 'FINDING' && document.querySelector('#finding_id').value === `+browsertest.JSString(fid)) {
		t.Error("the refused form lost its origin or its finding")
	}
	if n, _ := proceedings(); n != 0 {
		t.Fatalf("a refused opening created %d proceedings", n)
	}

	// 3. A valid opening: the proceeding page, status OPEN, and the statute
	// of limitations explained before the vote.
	b.Do("open the proceeding", append(fill("15/09/2026", "26/11/2026"), chromedp.Click(chromedp.ID("proceeding-open")))...)
	status := func(step, want string) {
		t.Helper()
		b.Until(step, `/^\/proceedings\/\d+$/.test(location.pathname) && !!document.querySelector('#proc-status')
			&& document.querySelector('#proc-status').textContent.includes(`+browsertest.JSString(want)+`)`, 10*time.Second)
	}
	status("opened", "Đã mở hồ sơ")
	procPath := browsertest.Eval[string](b, "proceeding path", `location.pathname`)
	if n, _ := proceedings(); n != 1 {
		t.Errorf("after the opening the member has %d proceedings, want 1", n)
	}
	if !browsertest.Eval[bool](b, "the violation comes from the finding", `document.body.textContent.includes(`+browsertest.JSString(vc.violation)+`)`) {
		t.Error("the proceeding page does not show the finding's violation")
	}
	if !browsertest.Eval[bool](b, "the limitation before the vote", `(() => {
		const s = document.querySelector('#live-rules');
		return !!s && !!s.querySelector('article[data-rule="R6"]') && s.textContent.toLowerCase().includes('thời hiệu');
	})()`) {
		t.Error("the live rules do not explain the statute of limitations (R6) before the vote")
	}

	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		b.Do("step "+name, append(actions, chromedp.Click(chromedp.ID("do-"+name)))...)
	}

	// 4. The hearing.
	step("hear", chromedp.SetValue(chromedp.ID("heard_on"), "27/11/2026"), chromedp.SetValue(chromedp.ID("self_criticism_on"), "27/11/2026"))
	status("heard", "Đã nghe trình bày, kiểm điểm")

	// 5. A tally with more votes than voters is refused with the reason
	// shown, nothing stored; then the valid secret ballot.
	vote := func(khienTrach, none string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(chromedp.ID("held_on"), "28/11/2026"),
			chromedp.SetValue(chromedp.ID("official"), "7"),
			chromedp.SetValue(chromedp.ID("votes_KHIEN_TRACH"), khienTrach),
			chromedp.SetValue(chromedp.ID("votes_NONE"), none),
		}
	}
	step("vote", vote("9", "0")...)
	b.Until("the over-full tally is refused", `location.pathname.endsWith('/vote') && !!document.querySelector('.field-error[data-field="votes"]')`, 10*time.Second)
	if msg := browsertest.Eval[string](b, "the tally error", `document.querySelector('.field-error[data-field="votes"]').textContent`); !strings.Contains(msg, "Số phiếu") ||
		!strings.Contains(msg, "9") || !strings.Contains(msg, "7") {
		t.Errorf("tally error %q, want the Vietnamese «Số phiếu 9 lớn hơn số đảng viên làm căn cứ (7)»", msg)
	}
	if got := browsertest.Eval[string](b, "status after the refusal", `document.querySelector('#proc-status').textContent`); !strings.Contains(got, "Đã nghe trình bày, kiểm điểm") {
		t.Errorf("after a refused vote the status is %q", got)
	}
	if _, votes := proceedings(); votes != 0 {
		t.Fatalf("a refused vote stored %d votes", votes)
	}
	step("vote", vote("6", "1")...)
	status("voted", "Đã biểu quyết, chờ ra quyết định")
	if _, votes := proceedings(); votes != 1 {
		t.Errorf("after the ballot %d votes are stored, want 1", votes)
	}
	if !browsertest.Eval[bool](b, "the form voted", `!!document.querySelector('#proc-form') && document.querySelector('#proc-form').textContent.includes('Khiển trách')`) {
		t.Error("the page does not show the form voted (Khiển trách)")
	}

	// 6. The decision, and its DOCX downloaded from the page.
	step("decide", chromedp.SetValue(chromedp.ID("decided_on"), "28/11/2026"), chromedp.SetValue(chromedp.ID("announced_on"), "28/11/2026"))
	status("decided", "Đã quyết định kỷ luật")
	if got := browsertest.Eval[string](b, "proceeding path after the decision", `location.pathname`); got != procPath {
		t.Errorf("the decision landed on %s, want %s", got, procPath)
	}
	b.Until("the decision is listed", `!!document.querySelector('#proc-docx')`, 10*time.Second)
	number := browsertest.Eval[string](b, "decision number", `(document.querySelector('#documents').textContent.match(/\d+-QĐ\/UBKTĐU/) || [''])[0]`)
	if number == "" {
		t.Error("the documents section shows no decision number …-QĐ/UBKTĐU")
	}
	t.Logf("decision %s", number)
	browsertest.Eval[bool](b, "download the DOCX", `(() => { window.__dl = null; fetch(document.querySelector('#proc-docx').href).then(async r => {
		const blob = await r.blob();
		const url = await new Promise((ok, fail) => { const fr = new FileReader(); fr.onload = () => ok(fr.result); fr.onerror = fail; fr.readAsDataURL(blob); });
		window.__dl = {status: r.status, disposition: r.headers.get('content-disposition') || '', type: r.headers.get('content-type') || '', data: url.slice(url.indexOf(',') + 1)};
	}).catch(e => { window.__dl = {status: 0, disposition: String(e), type: '', data: ''}; }); return true; })()`)
	b.Until("downloaded", `window.__dl !== null`, 10*time.Second)
	dl := browsertest.Eval[struct {
		Status      int    `json:"status"`
		Disposition string `json:"disposition"`
		Type        string `json:"type"`
		Data        string `json:"data"`
	}](b, "the download", `window.__dl`)
	if dl.Status != 200 || !strings.HasPrefix(dl.Disposition, "attachment") || !strings.Contains(dl.Type, "wordprocessingml") {
		t.Fatalf("DOCX download: status %d, disposition %q, type %q", dl.Status, dl.Disposition, dl.Type)
	}
	raw, err := base64.StdEncoding.DecodeString(dl.Data)
	if err != nil {
		t.Fatalf("DOCX download: %v", err)
	}
	x := docxText(t, raw)
	if !strings.Contains(x, "KHIỂN TRÁCH") || !strings.Contains(x, "QĐ/UBKTĐU") {
		t.Errorf("the decision DOCX lacks the form (KHIỂN TRÁCH) or the number (QĐ/UBKTĐU)")
	}
	if number != "" && !strings.Contains(x, number) {
		t.Errorf("the decision DOCX lacks the number %s shown on the page", number)
	}

	// 7. The member complains: filed from the proceeding page. First
	// before the written decision was received (refused with the rule),
	// then properly; the complaint is before the resolver R11 names (the
	// standing committee of the same level for a UBKT's decision) and the
	// discipline stays in force.
	var card string
	db.View(ctx, func(tx *store.Tx) error {
		m, err := tx.Member(ctx, vc.memberID, civil.MustParse("2026-11-28"))
		if err != nil {
			t.Fatal(err)
		}
		card = m.CardNumber
		return nil
	})
	b.Do("open the complaint form", chromedp.Click(chromedp.ID("file-complaint")))
	b.Until("complaint form", `location.pathname === '/complaints/new' && !!document.querySelector('#complaint-file')`, 10*time.Second)
	file := func(received string) {
		t.Helper()
		b.Do("file the complaint", chromedp.SetValue(chromedp.ID("complainant_card"), card), chromedp.SetValue(chromedp.ID("filed_on"), "28/11/2026"),
			chromedp.SetValue(chromedp.ID("received_decision_on"), received),
			chromedp.SetValue(chromedp.ID("content"), "Đề nghị xem xét lại hình thức kỷ luật vì đã khắc phục hậu quả."),
			chromedp.Click(chromedp.ID("complaint-file")))
	}
	file("29/11/2026")
	b.Until("a complaint before the decision was received is refused", `location.pathname === '/complaints' && !!document.querySelector('.field-error')`, 10*time.Second)
	file("28/11/2026")
	b.Until("complaint page", `location.pathname.startsWith('/complaints/') && !!document.querySelector('#compl-status') && document.querySelector('#compl-status').textContent.includes('Đang giải quyết')`, 10*time.Second)
	if !browsertest.Eval[bool](b, "resolver", `/(Ban Thường vụ|Ủy ban Kiểm tra) — Đảng bộ/.test(document.querySelector('.facts').textContent)`) {
		t.Errorf("the complaint page does not name the resolving body and its organisation: %s", browsertest.Eval[string](b, "facts", `document.querySelector('.facts').textContent`))
	}
	b.Do("back to the proceeding", chromedp.Navigate(ts.URL+procPath))
	status("still decided while the complaint is pending", "Đã quyết định kỷ luật")
	if !browsertest.Eval[bool](b, "the complaint listed", `document.querySelector('#complaints').textContent.includes('KN-2026-')`) {
		t.Error("the proceeding does not list its complaint")
	}
}

// violationWorld is an inspection case with one violation finding that
// warrants discipline and no proceeding yet.
type violationWorld struct {
	caseID, findingID, memberID int64
	violation                   string
}

// violationCase runs, as the system, a KT_DHVP case of the UBKT of xã Gia
// Tường on a member of Chi bộ thôn Đoàn Kết as far as the self-report, and
// records a violation that warrants discipline. Unlike buildCase it opens
// no proceeding from it.
func violationCase(t *testing.T, db *store.DB, svc *app.Service) violationWorld {
	t.Helper()
	ctx := app.AsSystem(ctx)
	w := violationWorld{violation: "Sử dụng quỹ chi bộ sai mục đích, chi tiếp khách không có chứng từ"}
	x := lookup(t, db)
	w.memberID = x.member
	var card string
	var leadID int64
	db.View(ctx, func(tx *store.Tx) error {
		m, err := tx.Member(ctx, x.member, civil.MustParse("2026-11-28"))
		if err != nil {
			t.Fatal(err)
		}
		card = m.CardNumber
		u, err := tx.UserByName(ctx, "kiemtra")
		if err != nil {
			t.Fatal(err)
		}
		leadID = u.ID
		return nil
	})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	d := civil.MustParse
	c, err := svc.ProposeCase(ctx, app.CaseInput{Kind: ktgs.CaseKindKTDHVP, OrgCode: "P19-O1-D01-C01", BodyKind: ktgs.BodyInspectionCommission,
		Title: "Kiểm tra khi có dấu hiệu vi phạm đối với đảng viên Chi bộ thôn Đoàn Kết", Content: "Việc quản lý quỹ chi bộ năm 2026.",
		ProposedOn: d("2026-11-11"), Subjects: []app.SubjectInput{{Kind: ktgs.SubjectMember, CardNumber: card}}})
	must(err)
	w.caseID = c.ID
	step := func(in app.TransitionInput) {
		t.Helper()
		if _, err := svc.Transition(ctx, c.ID, in); err != nil {
			t.Fatalf("%s: %v", in.Name, err)
		}
	}
	step(app.TransitionInput{Name: ktgs.TransDecide, Date: d("2026-11-12"), StartOn: d("2026-11-16"), DurationDays: 30})
	must(svc.AddTeamMember(ctx, c.ID, leadID, ktgs.TeamRoleLead))
	step(app.TransitionInput{Name: ktgs.TransFormTeam, Date: d("2026-11-13")})
	step(app.TransitionInput{Name: ktgs.TransAnnounce, Date: d("2026-11-16")})
	must(svc.RecordSubjectDoc(ctx, c.ID, 1, "self_report", d("2026-11-18"), nil))
	step(app.TransitionInput{Name: ktgs.TransSelfReport, Date: d("2026-11-19")})
	f, err := svc.AddFinding(ctx, c.ID, app.FindingInput{SubjectSeq: 1, Kind: ktgs.FindingViolation, Text: w.violation,
		Category: "TAI_CHINH_DAT_DAI", WarrantsDiscipline: true})
	must(err)
	w.findingID = f.ID
	return w
}
