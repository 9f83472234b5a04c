package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ktgs/internal/app"
	"ktgs/internal/browsertest"
	"ktgs/internal/testdb"
)

// TestBrowserTreeWalk walks the tree from the top down to a chi bộ in
// headless Chromium (the tree loads lazily with htmx), opens a member and
// switches the language.
func TestBrowserTreeWalk(t *testing.T) {
	b := browsertest.New(t, 90*time.Second)
	ts, _ := demoServer(t, testdb.OpenSQLite(t))

	signIn(b, ts.URL, "quantri")
	b.Do("open the home page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#tree")))
	if lang := browsertest.Eval[string](b, "page language", `document.documentElement.lang`); lang != "vi" {
		t.Fatalf("page language %q, want vi", lang)
	}
	if n := browsertest.Eval[int](b, "htmx loaded", `typeof htmx === "object" ? 1 : 0`); n != 1 {
		t.Fatal("htmx is not loaded (check the CSP and the static route)")
	}
	// Open a province: its communes arrive through htmx.
	open := func(step, name, childPrefix string) {
		t.Helper()
		browsertest.Eval[bool](b, step, `(() => {
			const a = [...document.querySelectorAll('#tree summary > a')].find(x => x.textContent.trim() === `+browsertest.JSString(name)+`);
			if (!a) throw new Error('no node named ' + `+browsertest.JSString(name)+`);
			a.parentElement.click();
			return true;
		})()`)
		b.Until(step+" (children loaded)", `(() => {
			const a = [...document.querySelectorAll('#tree summary > a')].find(x => x.textContent.trim() === `+browsertest.JSString(name)+`);
			const d = a && a.closest('details');
			return !!d && d.open && [...d.querySelectorAll(':scope > ul > li a')].some(x => x.textContent.trim().startsWith(`+browsertest.JSString(childPrefix)+`));
		})()`, 10*time.Second)
	}
	open("open the province", "Đảng bộ tỉnh Ninh Bình", "Đảng bộ xã")
	commune := browsertest.Eval[string](b, "first commune", `[...document.querySelectorAll('#tree summary > a')].map(a => a.textContent.trim()).find(s => s.startsWith('Đảng bộ xã'))`)
	open("open a commune", commune, "Chi bộ")
	// Follow a chi bộ link to its page.
	browsertest.Eval[bool](b, "open a chi bộ", `(() => {
		const a = [...document.querySelectorAll('#tree a')].find(x => x.textContent.trim().startsWith('Chi bộ thôn'));
		a.click(); return true;
	})()`)
	b.Until("chi bộ page", `document.querySelector('h1') && document.querySelector('h1').textContent.startsWith('Chi bộ thôn') && !!document.querySelector('a[href^="/members/"]')`, 10*time.Second)
	// Open a member.
	b.Do("open a member", chromedp.Click(chromedp.CSS(`table a[href^="/members/"]`)))
	b.Until("member page", `location.pathname.startsWith('/members/') && document.body.textContent.includes('Số thẻ đảng viên')`, 10*time.Second)
	name := browsertest.Eval[string](b, "member name", `document.querySelector('h1').textContent`)
	// Switch to English.
	b.Do("switch language", chromedp.Click(chromedp.ID("lang-switch")))
	b.Until("English page", `document.documentElement.lang === 'en' && document.body.textContent.includes('Party card number')`, 10*time.Second)
	if got := browsertest.Eval[string](b, "member name in English", `document.querySelector('h1').textContent`); got != name {
		t.Errorf("after switching language the page shows %q, want %q", got, name)
	}
	// And back.
	b.Do("switch back", chromedp.Click(chromedp.ID("lang-switch")))
	b.Until("Vietnamese again", `document.documentElement.lang === 'vi'`, 10*time.Second)
}

// TestBrowserFilter filters the tree by name without diacritics.
func TestBrowserFilter(t *testing.T) {
	b := browsertest.New(t, 60*time.Second)
	ts, _ := demoServer(t, testdb.OpenSQLite(t))
	signIn(b, ts.URL, "quantri")
	b.Do("open the home page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")))
	b.Do("type a filter", chromedp.SendKeys(chromedp.ID("q"), "dang bo tinh ha nam"))
	// Hà Nam exists only before 2025; today's tree has no match…
	b.Until("no match today", `document.querySelector('#search-results').textContent.includes('Không có tổ chức nào khớp')`, 10*time.Second)
	// …but it does as of 2024.
	b.Do("set the date", chromedp.SetValue(chromedp.ID("date"), "01/06/2024"))
	b.Do("filter again", chromedp.SendKeys(chromedp.ID("q"), " "))
	b.Until("match in 2024", `[...document.querySelectorAll('#search-results a')].some(a => a.textContent.includes('Đảng bộ tỉnh Hà Nam'))`, 10*time.Second)
}

// signIn signs in through the login page as a demo account.
func signIn(b *browsertest.Browser, base, user string) {
	b.Do("open the login page", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("username")))
	b.Do("sign in as "+user,
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("password"), app.DemoPassword),
		chromedp.Click(chromedp.ID("login-submit")))
	b.Until("signed in", `location.pathname === '/' && !!document.querySelector('#account-link')`, 10*time.Second)
}
