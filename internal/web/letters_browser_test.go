package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ktgs"
	"ktgs/internal/browsertest"
	"ktgs/internal/i18n"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
	"ktgs/internal/web"
)

// TestBrowserLetterPath walks a letter through headless Chromium from the
// public form to the sender's status lookup: a citizen sends a named
// denunciation without an account; the commission chair matches the
// accused (a member of another commune), which routes it there, transfers
// it, records its receipt at the competent commission, accepts it, forms
// the team, verifies, concludes and notifies; the citizen's receipt code
// then shows "resolved". Along the way the accused-side notice and every
// export (the inbox CSV, the letter JSON) are checked to hold no identity.
func TestBrowserLetterPath(t *testing.T) {
	b := browsertest.New(t, 240*time.Second)
	db := testdb.OpenSQLite(t)
	_, svc := demoServer(t, db)
	srv, err := web.New(svc, nil, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	// A person cannot fill the form in under the minimum time; the test
	// does it at machine speed, so the minimum is lowered (the abuse tests
	// cover it).
	srv.Public.MinAge = time.Millisecond
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	// The accused: a member of another commune of the province.
	var accused *ktgs.Member
	db.View(ctx, func(tx *store.Tx) error {
		id, err := tx.OrgIDByCode(ctx, "P19-O1-D01-C02-X1-V1")
		if err != nil {
			t.Fatalf("org: %v", err)
		}
		p, err := tx.MembersOfOrg(ctx, id, "", 1)
		if err != nil || len(p.Members) == 0 {
			t.Fatalf("members: %v", err)
		}
		accused = p.Members[0]
		return nil
	})
	const (
		senderName  = "Đặng Thị Thanh Tâm"
		senderPhone = "0903 456 789"
		senderMail  = "thanhtam.gt@example.vn"
	)

	// 1. The public form, without an account.
	b.Do("open the public form", chromedp.Navigate(ts.URL+"/public/letter"), chromedp.WaitVisible(chromedp.ID("sender_name")))
	b.Do("fill it in",
		chromedp.Click(`input[name="sender_mode"][value="NAMED"]`),
		chromedp.SendKeys(chromedp.ID("sender_name"), senderName),
		chromedp.SendKeys(chromedp.ID("sender_phone"), senderPhone),
		chromedp.SendKeys(chromedp.ID("sender_email"), senderMail),
		chromedp.SendKeys(chromedp.ID("accused_name_1"), accused.FullName),
		chromedp.SendKeys(chromedp.ID("accused_unit_1"), "Chi bộ thôn, xã bên cạnh"),
		chromedp.Click(`input[name="kind"][value="TO_CAO"]`),
		chromedp.SendKeys(chromedp.ID("subject"), "Tố cáo việc thu tiền trái phép khi cấp giấy xác nhận"),
		chromedp.SendKeys(chromedp.ID("content"), "Ông "+accused.FullName+" đã thu của 12 hộ gia đình mỗi hộ 2 triệu đồng khi xác nhận hồ sơ đất đai trong tháng 9 và tháng 10 năm 2026."),
		chromedp.Click(chromedp.ID("declaration")))
	b.Do("send", chromedp.Click(chromedp.ID("public-submit")))
	b.Until("receipt shown", `!!document.querySelector('#receipt-code')`, 20*time.Second)
	code := browsertest.Eval[string](b, "receipt code", `document.querySelector('#receipt-code').textContent.trim()`)
	if !regexp.MustCompile(`^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$`).MatchString(code) {
		t.Fatalf("receipt code %q", code)
	}
	var letterID int64
	db.View(ctx, func(tx *store.Tx) error {
		ls, _, err := tx.Letters(ctx, store.LetterFilter{Paths: []string{"/"}, MaxMark: 2, Limit: 1})
		if err != nil || len(ls) == 0 || ls[0].Channel != ktgs.ChannelPublicForm {
			t.Fatalf("the public letter is not stored: %v", err)
		}
		letterID = ls[0].ID
		return nil
	})
	page := fmt.Sprintf("%s/letters/%d", ts.URL, letterID)

	// 2. Staff routing: the chair matches the accused by card number; the
	// letter routes to the other commune's commission and is transferred.
	signIn(b, ts.URL, "chunhiem")
	b.Do("open the inbox", chromedp.Navigate(ts.URL+"/letters"), chromedp.WaitVisible(`a[href="/letters/`+fmt.Sprint(letterID)+`"]`))
	b.Do("open the letter", chromedp.Click(`a[href="/letters/`+fmt.Sprint(letterID)+`"]`), chromedp.WaitVisible(chromedp.ID("letter-status")))
	// step opens the letter page, fills the step's form, submits it and
	// waits for the page that answers (not the one it came from).
	step := func(name string, fill ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		b.Do(name+": open the page", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("step-"+name)))
		b.Do(name+": open the step", chromedp.Click(`#step-`+name+` > summary`), chromedp.WaitVisible(chromedp.ID("do-"+name)))
		b.Do(name, fill...)
		browsertest.Eval[bool](b, "mark the page", `(document.querySelector('#letter-status').dataset.stale = '1') === '1'`)
		b.Do(name+": submit", chromedp.Click(chromedp.ID("do-"+name)))
		b.Until(name+": answered", `(() => { const e = document.querySelector('#letter-status'); return !!e && e.dataset.stale !== '1'; })()`, 15*time.Second)
		if errs := browsertest.Eval[string](b, name+" errors", `(document.querySelector('#letter-errors, #form-error')||{}).textContent||''`); errs != "" {
			t.Fatalf("%s refused: %s (screenshot %s)", name, errs, b.Screenshot(name))
		}
	}
	status := func() string {
		return strings.TrimSpace(browsertest.Eval[string](b, "status", `document.querySelector('#letter-status').textContent`))
	}
	step("classify", chromedp.SetValue(chromedp.ID("a0_ref"), accused.CardNumber))
	if comp := browsertest.Eval[string](b, "competent", `(document.querySelector('#letter-competent')||{}).textContent||''`); !strings.Contains(comp, "Ủy ban Kiểm tra") {
		t.Fatalf("routing: competent body %q", comp)
	}
	step("transfer")
	step("arrive")
	step("classify")
	if s := status(); !strings.Contains(s, "thụ lý") && !strings.Contains(s, "Đã thụ lý") {
		t.Fatalf("after classification: %q (screenshot %s)", s, b.Screenshot("accepted"))
	}
	if due := browsertest.Eval[string](b, "due", `(document.querySelector('#letter-due')||{}).textContent||''`); !regexp.MustCompile(`\d{2}/\d{2}/\d{4}`).MatchString(due) {
		t.Errorf("no due date shown: %q", due)
	}

	// 3. Resolution: team, verification, conclusion, notice.
	var kiemtra int64
	db.View(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByName(ctx, "kiemtra")
		if err != nil {
			t.Fatal(err)
		}
		kiemtra = u.ID
		return nil
	})
	step("team", chromedp.SetValue(chromedp.ID("team_user_0"), fmt.Sprint(kiemtra)), chromedp.SetValue(chromedp.ID("team_role_0"), "PRESIDE"))
	step("verify", chromedp.SendKeys(chromedp.ID("verify-note"), "Làm việc với 12 hộ gia đình, thu thập biên lai và lời khai."))
	step("conclude", chromedp.SetValue(chromedp.ID("result_1"), "PARTLY_FOUNDED"),
		chromedp.SendKeys(chromedp.ID("conclusion_1"), "Có căn cứ xác định đã thu 2 triệu đồng của 5 hộ; các trường hợp khác không có căn cứ."))
	step("notify")
	if s := status(); !strings.Contains(strings.ToLower(s), "kết thúc") && !strings.Contains(strings.ToLower(s), "đã thông báo") {
		t.Errorf("after the notice: %q", s)
	}
	notices := browsertest.Eval[string](b, "notices", `(document.querySelector('#notices')||{}).textContent||''`)
	if !strings.Contains(notices, accused.FullName) {
		t.Errorf("no notice to the accused on the page: %q", notices)
	}

	// 4. No identity in the accused's notice or in any export.
	hc := client(t, ts, "chunhiem")
	for _, path := range []string{"/letters.csv", fmt.Sprintf("/api/v1/letters/%d", letterID), "/api/v1/letters"} {
		resp, err := hc.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
		for _, x := range []string{senderName, senderPhone, senderMail, "Thanh Tâm"} {
			if strings.Contains(string(body), x) {
				t.Errorf("%s contains the sender's %q", path, x)
			}
		}
	}
	db.View(ctx, func(tx *store.Tx) error {
		ns, err := tx.LetterNotices(ctx, letterID)
		if err != nil {
			t.Fatal(err)
		}
		accusedNotice := false
		for _, n := range ns {
			if n.Kind == ktgs.NoticeAccused {
				accusedNotice = true
			}
			for _, x := range []string{senderName, senderPhone, senderMail} {
				if strings.Contains(n.Text, x) || strings.Contains(n.To, x) {
					t.Errorf("notice %s names the sender: %q", n.Kind, n.Text)
				}
			}
		}
		if !accusedNotice {
			t.Error("no notice to the accused")
		}
		return nil
	})

	// 5. The sender looks the letter up with the receipt code.
	b.Do("open the status page", chromedp.Navigate(ts.URL+"/public/status"), chromedp.WaitVisible(chromedp.ID("receipt_code")))
	b.Do("look up", chromedp.SendKeys(chromedp.ID("receipt_code"), strings.ToLower(code)), chromedp.Click(chromedp.ID("status-submit")))
	b.Until("status shown", `!!document.querySelector('#status-label')`, 10*time.Second)
	got := browsertest.Eval[string](b, "status", `document.querySelector('#status-label').textContent`)
	body := browsertest.Eval[string](b, "page", `document.body.innerText`)
	if want := i18n.Default().T("vi", "public.status."+string(ktgs.LetterClosed)); got != want {
		t.Errorf("status page: %q, want %q", got, want)
	}
	for _, x := range []string{accused.FullName, senderName, "ĐT-"} {
		if strings.Contains(body, x) {
			t.Errorf("the status page shows %q", x)
		}
	}
}
