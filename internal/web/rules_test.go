package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ktgs/internal/browsertest"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

func memberCard(t *testing.T, db *store.DB, branch int64) string {
	var card string
	db.View(ctx, func(tx *store.Tx) error {
		p, err := tx.MembersOfOrg(ctx, branch, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Members {
			if !m.OfficialOn.IsZero() {
				card = m.CardNumber
				break
			}
		}
		return nil
	})
	if card == "" {
		t.Fatal("no official member to ask about")
	}
	return card
}

func TestRulesPage(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		ts, _ := demoServer(t, db)
		x := lookup(t, db)
		card := memberCard(t, db, x.branch)
		ask := func(form string, extra string) string {
			return "/rules?ask=1&subject_kind=MEMBER&card_number=" + card + "&body_kind=CHI_BO&body_org_code=P19-O1-D01-C01-VM1&category=DAO_DUC_LOI_SONG&scope=CORE&form=" + form + extra
		}
		scenarios := []scenario{
			{name: "empty form", path: "/rules", status: 200, contains: []string{"Tra cứu quy định kỷ luật", `name="card_number"`, "R19"}},
			{name: "chi bộ warns its member: decide", path: ask("CANH_CAO", ""), status: 200,
				contains: []string{`data-rule="R2"`, "Có thẩm quyền quyết định", "Điều 36.1", "đã xác minh", "QD21_2026", "Kết quả tạm thời"}},
			{name: "chi bộ and expulsion: propose to the commune UBKT", path: ask("KHAI_TRU", ""), status: 200,
				contains: []string{"Chỉ được đề nghị", "Ủy ban Kiểm tra Đảng bộ", "2/3"}},
			{name: "ballot and limitation", path: ask("CANH_CAO", "&official=20&votes_CANH_CAO=11&votes_KHIEN_TRACH=9&violation_date=01/03/2019"), status: 200,
				contains: []string{`data-rule="R4"`, `data-rule="R5"`, `data-rule="R6"`, "Còn thời hiệu", "QD30_2016"}},
			{name: "reprimand limitation expired", path: ask("KHIEN_TRACH", "&violation_date=01/03/2019"), status: 200,
				contains: []string{"Đã hết thời hiệu"}},
			{name: "unknown card", path: strings.Replace(ask("CANH_CAO", ""), card, "99999999", 1), status: 400, contains: []string{"Không có đảng viên mang số thẻ 99999999"}},
			{name: "missing facts", path: "/rules?ask=1&subject_kind=MEMBER", status: 400, contains: []string{"aria-invalid", "Bắt buộc phải nhập"}},
			{name: "bad date", path: ask("CANH_CAO", "&decision_date=31/02/2025"), status: 400, contains: []string{"Ngày này không có trong lịch"}},
			{name: "bad count", path: ask("CANH_CAO", "&official=abc"), status: 400, contains: []string{"số nguyên"}},
			{name: "in English", path: ask("CANH_CAO", ""), header: map[string]string{"Cookie": "lang=en"}, status: 200, contains: []string{"May decide", "verified"}},
			{name: "rules list API", path: "/api/v1/rules", status: 200, json: true, contains: []string{`"alias":"authority"`}},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) { run(t, ts, sc) })
		}
	})
}

func TestRulesEvaluateAPI(t *testing.T) {
	ts, _ := demoServer(t, testdb.OpenSQLite(t))
	post := func(rule, body string) (int, map[string]any) {
		resp, err := client(t, ts, "quantri").Post(ts.URL+"/api/v1/rules/"+url.PathEscape(rule)+"/evaluate", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		b, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("not JSON: %s", b)
		}
		return resp.StatusCode, out
	}
	code, out := post("R4", `{"decision_date":"2025-09-01","subject":{"kind":"MEMBER","status":"CHINH_THUC","holds_post":true},"purpose":"DECIDE",
		"meeting":{"voters":"OFFICIAL_MEMBERS","official":20},"ballot":{"votes":{"KHAI_TRU":5,"CACH_CHUC":2,"CANH_CAO":4,"KHIEN_TRACH":9}}}`)
	res, _ := out["result"].(map[string]any)
	if code != 200 || out["outcome"] != "PASSED" || res == nil || res["adopted_form"] != "CANH_CAO" {
		t.Errorf("R4: %d %v", code, out)
	}
	code, out = post("allowed-forms", `{"decision_date":"2025-09-01","subject":{"kind":"MEMBER","status":"DU_BI"},"form":"KHAI_TRU"}`)
	errBody, _ := out["error"].(map[string]any)
	fields, _ := errBody["fields"].(map[string]any)
	if code != 400 || fields["form"] == nil || !strings.Contains(fmt.Sprint(fields["form"]), "xóa tên") {
		t.Errorf("probationary expulsion: %d %v", code, out)
	}
	if code, _ := post("R99", `{}`); code != 400 {
		t.Errorf("unknown rule: %d", code)
	}
	if code, _ := post("R1", `{"decision_date":`); code != 400 {
		t.Errorf("broken JSON: %d", code)
	}
	big := bytes.Repeat([]byte(" "), 2<<20)
	resp, err := client(t, ts, "quantri").Post(ts.URL+"/api/v1/rules/R1/evaluate", "application/json", bytes.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("2 MB body: %d", resp.StatusCode)
	}
}

// TestBrowserRules fills the look-up form in Chromium and reads the
// decision with its citations.
func TestBrowserRules(t *testing.T) {
	b := browsertest.New(t, 60*time.Second)
	db := testdb.OpenSQLite(t)
	ts, _ := demoServer(t, db)
	card := memberCard(t, db, lookup(t, db).branch)
	signIn(b, ts.URL, "quantri")
	b.Do("open the rules page", chromedp.Navigate(ts.URL+"/rules"), chromedp.WaitVisible(chromedp.ID("card_number")))
	b.Do("fill the facts",
		chromedp.SendKeys(chromedp.ID("card_number"), card),
		chromedp.SetValue(chromedp.ID("body_kind"), "CHI_BO"),
		chromedp.SendKeys(chromedp.ID("body_org_code"), "P19-O1-D01-C01-VM1"),
		chromedp.SetValue(chromedp.ID("category"), "DAO_DUC_LOI_SONG"),
		chromedp.SetValue(chromedp.ID("form"), "KHAI_TRU"),
	)
	b.Do("ask", chromedp.Click(chromedp.CSS(`.facts-form button[type=submit]`)))
	b.Until("the authority decision", `(() => { const a = document.querySelector('article[data-rule="R2"]');
		return !!a && a.textContent.includes('Chỉ được đề nghị') && a.querySelector('table.citations') !== null; })()`, 10*time.Second)
	if got := browsertest.Eval[string](b, "card kept", `document.getElementById('card_number').value`); got != card {
		t.Errorf("the form lost its values: card %q", got)
	}
}
