package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ktgs/internal/auth"
	"ktgs/internal/authz"
	"ktgs/internal/browsertest"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// TestBrowserAccountLifecycle is the main path of accounts in headless
// Chromium: an administrator creates an account and hands over the one-time
// setup link; the new commission chair sets a password, is made to enrol
// two-factor authentication (scanning is replaced by reading the secret),
// keeps the recovery codes, signs out, signs in again with a recovery code,
// and finds both sign-ins in their history.
func TestBrowserAccountLifecycle(t *testing.T) {
	b := browsertest.New(t, 120*time.Second)
	db := testdb.OpenSQLite(t)
	ts, svc := demoServer(t, db)

	// The administrator creates the account.
	signIn(b, ts.URL, "quantri")
	b.Do("open the new-account form", chromedp.Navigate(ts.URL+"/admin/users/new"), chromedp.WaitVisible(chromedp.ID("username")))
	b.Do("fill the form",
		chromedp.SendKeys(chromedp.ID("username"), "cn.ninhbinh"),
		chromedp.SendKeys(chromedp.ID("display_name"), "Nguyễn Thị Hoà"),
		chromedp.SetValue(chromedp.ID("role"), string(authz.RoleChair)),
		chromedp.SetValue(chromedp.ID("clearance"), "MAT"),
		chromedp.SendKeys(chromedp.ID("scope"), "P19"),
		chromedp.Click(chromedp.ID("user-save")))
	b.Until("setup link shown", `!!document.querySelector('#setup-link')`, 10*time.Second)
	link := browsertest.Eval[string](b, "setup link", `document.querySelector('#setup-link').textContent.trim()`)
	if !strings.Contains(link, "/setup/") {
		t.Fatalf("setup link %q", link)
	}
	b.Do("sign out", chromedp.Click(chromedp.ID("logout")))
	b.Until("signed out", `location.pathname === '/login'`, 10*time.Second)

	// The new user sets a password; a weak one is refused with the reason.
	b.Do("open the setup link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("password")))
	b.Do("weak password",
		chromedp.SendKeys(chromedp.ID("password"), "123456789012"),
		chromedp.SendKeys(chromedp.ID("confirm"), "123456789012"),
		chromedp.Click(chromedp.ID("setup-submit")))
	b.Until("refused with a field error", `!!document.querySelector('#password-err')`, 10*time.Second)
	pw := "Kiểm tra giám sát là chức năng lãnh đạo"
	b.Do("good password",
		chromedp.SendKeys(chromedp.ID("password"), pw),
		chromedp.SendKeys(chromedp.ID("confirm"), pw),
		chromedp.Click(chromedp.ID("setup-submit")))
	b.Until("back at the login page", `location.pathname === '/login'`, 10*time.Second)

	// Signing in sends a chair to enrol two-factor authentication first.
	b.Do("sign in",
		chromedp.SendKeys(chromedp.ID("username"), "cn.ninhbinh"),
		chromedp.SendKeys(chromedp.ID("password"), pw),
		chromedp.Click(chromedp.ID("login-submit")))
	b.Until("enrolment page", `location.pathname === '/account/2fa' && !!document.querySelector('#totp-secret') && !!document.querySelector('.qr svg')`, 10*time.Second)
	b.Do("the tree is closed before enrolment", chromedp.Navigate(ts.URL+"/"))
	b.Until("sent back to enrolment", `location.pathname === '/account/2fa'`, 10*time.Second)
	secret := browsertest.Eval[string](b, "secret", `document.querySelector('#totp-secret').textContent.trim()`)
	b.Do("wrong code", chromedp.SendKeys(chromedp.ID("code"), "000000"), chromedp.Click(chromedp.ID("enrol-submit")))
	b.Until("wrong code refused", `!!document.querySelector('#code-err')`, 10*time.Second)
	code, err := auth.TOTPCode(browsertest.Eval[string](b, "same secret kept", `document.querySelector('#totp-secret').textContent.trim()`), svc.Clock())
	if err != nil {
		t.Fatal(err)
	}
	if got := browsertest.Eval[string](b, "secret after a wrong code", `document.querySelector('#totp-secret').textContent.trim()`); got != secret {
		t.Fatalf("the secret changed after a wrong code: %s → %s", secret, got)
	}
	b.Do("right code", chromedp.SendKeys(chromedp.ID("code"), code), chromedp.Click(chromedp.ID("enrol-submit")))
	b.Until("recovery codes shown", `document.querySelectorAll('#recovery-codes li').length === 10`, 10*time.Second)
	recovery := browsertest.Eval[string](b, "a recovery code", `document.querySelector('#recovery-codes li').textContent.trim()`)
	b.Do("continue to the tree", chromedp.Navigate(ts.URL+"/"))
	b.Until("tree shown", `!!document.querySelector('#tree') && document.body.textContent.includes('Đảng bộ tỉnh Ninh Bình')`, 10*time.Second)
	if browsertest.Eval[bool](b, "no administration link", `!!document.querySelector('a[href="/admin/users"]')`) {
		t.Error("a commission chair sees the administration link")
	}

	// Sign out and back in with a recovery code (the TOTP code of this
	// time step was used for enrolment and would be refused as replayed).
	b.Do("sign out", chromedp.Click(chromedp.ID("logout")))
	b.Until("signed out", `location.pathname === '/login'`, 10*time.Second)
	b.Do("sign in again",
		chromedp.SendKeys(chromedp.ID("username"), "cn.ninhbinh"),
		chromedp.SendKeys(chromedp.ID("password"), pw),
		chromedp.Click(chromedp.ID("login-submit")))
	b.Until("code page", `location.pathname === '/login/totp'`, 10*time.Second)
	b.Do("replayed code", chromedp.SendKeys(chromedp.ID("code"), code), chromedp.Click(chromedp.ID("totp-submit")))
	b.Until("replay refused", `!!document.querySelector('#code-err') && document.querySelector('#code-err').textContent.includes('đã được dùng')`, 10*time.Second)
	b.Do("recovery code", chromedp.SendKeys(chromedp.ID("code"), recovery), chromedp.Click(chromedp.ID("totp-submit")))
	b.Until("signed in", `location.pathname === '/' && !!document.querySelector('#account-link')`, 10*time.Second)

	// The account page lists the sign-ins and nine recovery codes left.
	b.Do("open my account", chromedp.Click(chromedp.ID("account-link")))
	b.Until("history", `!!document.querySelector('#login-history') && document.querySelector('#login-history').textContent.includes('mã khôi phục')`, 10*time.Second)
	if !browsertest.Eval[bool](b, "codes left", `document.body.textContent.includes('còn 9 mã khôi phục')`) {
		t.Error("the account page does not show 9 recovery codes left")
	}
	// The change is in the audit trail, with the chair as actor.
	var found bool
	db.View(ctx, func(tx *store.Tx) error {
		entries, err := tx.AuditEntries(ctx, store.AuditFilter{System: true, Action: "user.totp_enrol"})
		found = err == nil && len(entries) == 1 && entries[0].Actor == "cn.ninhbinh"
		return nil
	})
	if !found {
		t.Error("no audit entry for the enrolment by cn.ninhbinh")
	}
}
