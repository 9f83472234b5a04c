package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/browsertest"
	"ktgs/internal/civil"
	"ktgs/internal/testdb"
)

// TestBrowserCasePath walks the main path of an inspection in headless
// Chromium: a programme item becomes a case, the case is decided and its
// team formed, the subject's self-report is uploaded, findings recorded,
// the draft report commented, the conclusion made with a remediation
// request, the conclusion notice issued and its DOCX downloaded, the
// remediation reported and verified, and the case closed.
func TestBrowserCasePath(t *testing.T) {
	b := browsertest.New(t, 180*time.Second)
	db := testdb.OpenSQLite(t)
	ts, svc := demoServer(t, db)
	sys := app.AsSystem(ctx)
	d := civil.MustParse
	p, err := svc.AdoptProgramme(sys, app.ProgrammeInput{OrgCode: "P19-O1-D01-C01", BodyKind: ktgs.BodyInspectionCommission, Kind: ktgs.ProgrammeAnnual,
		Year: 2026, Title: "Chương trình kiểm tra, giám sát năm 2026", AdoptedOn: d("2026-01-05"),
		Items: []app.ProgrammeItemInput{{Kind: ktgs.CaseKindKTDHVP, Subject: app.SubjectInput{Kind: ktgs.SubjectOrg, OrgCode: "P19-O1-D01-C01-VM1"},
			Content: "Kiểm tra việc quản lý quỹ của Chi bộ thôn Đoàn Kết", From: d("2026-11-20"), To: d("2026-12-31"), Lead: "chunhiem"}}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "bao-cao-tu-kiem-tra.pdf")
	if err := os.WriteFile(pdf, pdfBytes, 0o600); err != nil {
		t.Fatal(err)
	}

	signIn(b, ts.URL, "chunhiem")
	b.Do("open the programme", chromedp.Navigate(fmt.Sprintf("%s/programmes/%d", ts.URL, p.ID)), chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("item-case-%d", p.Items[0].ID))))
	b.Do("turn the item into a case", chromedp.Click(chromedp.ID(fmt.Sprintf("item-case-%d", p.Items[0].ID))))
	b.Until("case page", `location.pathname.startsWith('/cases/') && document.querySelector('#case-status').textContent.includes('Đề xuất')`, 10*time.Second)
	status := func(step, want string) {
		t.Helper()
		b.Until(step, `document.querySelector('#case-status') && document.querySelector('#case-status').textContent.includes(`+browsertest.JSString(want)+`)`, 10*time.Second)
	}
	do := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		b.Do("step "+name, append(actions, chromedp.Click(chromedp.ID("do-"+name)))...)
	}
	// A decision without a duration is refused with the field named.
	do("decide", chromedp.SetValue(chromedp.ID("start_on"), "01/12/2026"))
	b.Until("the missing duration is named", `document.body.textContent.includes('Phải nêu thời gian kiểm tra')`, 10*time.Second)
	do("decide", chromedp.SetValue(chromedp.ID("start_on"), "01/12/2026"), chromedp.SetValue(chromedp.ID("duration_days"), "20"))
	status("decided", "Đã có quyết định")
	if due := browsertest.Eval[string](b, "due date", `document.body.textContent.match(/đến hạn (\d\d\/\d\d\/\d{4})/)[1]`); due != "29/12/2026" {
		t.Errorf("due date %s, want 29/12/2026 (20 working days from 01/12/2026)", due)
	}
	do("form_team")
	status("team formed", "Đã thành lập đoàn")
	do("announce")
	status("announced", "Đã triển khai")
	b.Do("upload the self-report", chromedp.SetValue(`#subjects form.inline-form input[name=date]`, "03/12/2026"),
		chromedp.SetUploadFiles(`#subjects form.inline-form input[type=file]`, []string{pdf}), chromedp.Click(chromedp.ID("self-report-1")))
	b.Until("self-report recorded", `document.querySelector('#subjects').textContent.includes('03/12/2026') && document.body.textContent.includes('bao-cao-tu-kiem-tra.pdf')`, 10*time.Second)
	do("self_report")
	status("reports received", "Đã nhận báo cáo")
	do("verify")
	status("verifying", "Thẩm tra, xác minh")
	b.Do("record a shortcoming", chromedp.SetValue(chromedp.ID("finding_kind"), "SHORTCOMING"),
		chromedp.SendKeys(chromedp.ID("text"), "Sổ sách thu chi quỹ chưa cập nhật đầy đủ"), chromedp.Click(chromedp.ID("finding-add")))
	b.Until("finding shown", `document.querySelector('#findings').textContent.includes('Sổ sách thu chi quỹ')`, 10*time.Second)
	do("draft_report")
	status("draft report", "Dự thảo báo cáo")
	b.Do("record the comments", chromedp.Click(chromedp.ID("comments-1")))
	b.Until("comments recorded", `!document.querySelector('#comments-1')`, 10*time.Second)
	do("meet")
	status("meeting", "Hội nghị xem xét")
	do("conclude", chromedp.SetValue(chromedp.ID("remediations"), "1 | 31/12/2026 | Cập nhật đầy đủ sổ sách thu chi quỹ"))
	status("concluded", "Đã kết luận")

	// The conclusion notice: draft, issue, download the DOCX.
	b.Do("draft the conclusion notice", chromedp.SetValue(`#documents select[name=type]`, "TB"), chromedp.Click(chromedp.ID("doc-create")))
	b.Until("draft page", `location.pathname.startsWith('/documents/') && !!document.querySelector('#doc-issue')`, 10*time.Second)
	if !browsertest.Eval[bool](b, "the draft lists the finding and the request", `document.querySelector('#body').value.includes('Sổ sách thu chi quỹ') && document.querySelector('#body').value.includes('31/12/2026')`) {
		t.Error("the draft conclusion notice lacks the finding or the remediation request")
	}
	b.Do("issue it", chromedp.Click(chromedp.ID("doc-issue")))
	b.Until("issued", `!!document.querySelector('h1') && document.querySelector('h1').textContent.includes('Số 01-TB/UBKTĐU')`, 10*time.Second)
	browsertest.Eval[bool](b, "download the DOCX", `(() => { window.__dl = ''; fetch(document.querySelector('#dl-docx').href).then(async r => {
		const b = new Uint8Array(await r.arrayBuffer());
		window.__dl = r.headers.get('content-disposition') + '|' + r.headers.get('content-type') + '|' + String.fromCharCode(b[0], b[1]) + '|' + b.length;
	}); return true; })()`)
	b.Until("downloaded", `window.__dl !== ''`, 10*time.Second)
	got := browsertest.Eval[string](b, "the download", `window.__dl`)
	if !contains(got, "attachment") || !contains(got, "wordprocessingml") || !contains(got, "|PK|") {
		t.Errorf("DOCX download: %s", got)
	}

	// Remediation: report with evidence, verify, close.
	b.Do("back to the case", chromedp.Navigate(fmt.Sprintf("%s/cases/%d", ts.URL, caseIDOf(t, svc, p.Items[0].ID))), chromedp.WaitVisible(chromedp.ID("case-status")))
	do("follow_up")
	status("follow-up", "Theo dõi khắc phục")
	b.Do("report the remediation", chromedp.SetValue(`#remediation select[name=kind]`, "report"),
		chromedp.SetValue(`#remediation input[name=text]`, "Đã cập nhật sổ sách"),
		chromedp.SetUploadFiles(`#remediation input[type=file]`, []string{pdf}), chromedp.Click(`#remediation button[type=submit]`))
	b.Until("reported", `document.querySelector('#remediation').textContent.includes('Đã báo cáo')`, 10*time.Second)
	b.Do("verify the remediation", chromedp.SetValue(`#remediation select[name=kind]`, "verify"),
		chromedp.SetValue(`#remediation input[name=text]`, "Đã kiểm tra sổ sách"), chromedp.Click(`#remediation button[type=submit]`))
	b.Until("verified", `document.querySelector('#remediation').textContent.includes('Đã xác nhận')`, 10*time.Second)
	do("close")
	status("closed", "Kết thúc")
	if !browsertest.Eval[bool](b, "timeline", `['Đề xuất','Quyết định và kế hoạch','Kết luận','Ban hành văn bản','Xác nhận khắc phục','Kết thúc'].every(s => document.querySelector('#timeline').textContent.includes(s))`) {
		t.Error("the timeline lacks a step")
	}
}

func contains(s, sub string) bool {
	return len(s) >= len(sub) && (len(sub) == 0 || indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func caseIDOf(t *testing.T, svc *app.Service, itemID int64) int64 {
	t.Helper()
	list, err := svc.Programmes(app.AsSystem(ctx), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		full, err := svc.Programme(app.AsSystem(ctx), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range full.Items {
			if it.ID == itemID {
				return it.CaseID
			}
		}
	}
	t.Fatal("no case for the item")
	return 0
}
