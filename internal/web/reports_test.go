package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/testdb"
)

// buildReport prepares and submits (as the system) the 2025 report of
// unit org and returns its id.
func buildReport(t *testing.T, svc *app.Service, org int64) int64 {
	t.Helper()
	sys := app.AsSystem(context.Background())
	r, err := svc.CreateReport(sys, app.ReportInput{OrgID: org, Period: ktgs.Period{Kind: ktgs.PeriodYear, Year: 2025}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SaveReport(sys, r.ID, map[string]string{ktgs.SectionSituation: "Tình hình Ninh Bình năm 2025"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SubmitReport(sys, r.ID); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// TestReportPages walks a chi bộ's 2026 report through the pages and the
// API: the secretary prepares and submits it, the province's chair (the
// level above the commune is within its scope) returns it with a
// comment, the secretary resubmits, the chair approves; the board, the
// files, a submitted-twice refusal and the Vietnamese field messages.
func TestReportPages(t *testing.T) {
	db := testdb.OpenSQLite(t)
	ts, _ := demoServer(t, db)
	x := lookup(t, db)
	sec, chair := client(t, ts, "bithu"), client(t, ts, "chunhiem")
	do := func(c *http.Client, method, path string, form url.Values) (int, string, http.Header) {
		t.Helper()
		var body *strings.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		} else {
			body = strings.NewReader("")
		}
		req, _ := http.NewRequest(method, ts.URL+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 32<<10)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp.StatusCode, b.String(), resp.Header
	}
	api := func(c *http.Client, method, path, body string, out any) int {
		t.Helper()
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if out != nil {
			json.NewDecoder(resp.Body).Decode(out)
		}
		return resp.StatusCode
	}
	branch := fmt.Sprint(x.branch)

	// The nav and the board of the secretary's chi bộ.
	st, body, _ := do(sec, "GET", "/reports?org="+branch+"&kind=YEAR&year=2026", nil)
	if st != 200 || !strings.Contains(body, `id="nav-reports"`) || !strings.Contains(body, "Báo cáo định kỳ") || !strings.Contains(body, `id="report-create"`) {
		t.Fatalf("board: %d\n%s", st, body)
	}
	// Bad input: a month that does not exist, with the Vietnamese message.
	st, body, _ = do(sec, "POST", "/reports", url.Values{"org": {branch}, "kind": {"MONTH"}, "year": {"2026"}, "month": {"13"}})
	if st != http.StatusBadRequest || !strings.Contains(body, "Tháng phải từ 1 đến 12.") {
		t.Fatalf("month 13: %d", st)
	}
	st, body, _ = do(sec, "POST", "/reports", url.Values{"org": {branch}, "kind": {"YEAR"}, "year": {"2030"}})
	if st != http.StatusBadRequest || !strings.Contains(body, "chưa đến") {
		t.Fatalf("future year: %d", st)
	}
	st, _, h := do(sec, "POST", "/reports", url.Values{"org": {branch}, "kind": {"YEAR"}, "year": {"2026"}})
	if st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/reports/") {
		t.Fatalf("create: %d %v", st, h)
	}
	page := h.Get("Location")
	st, body, _ = do(sec, "POST", page, url.Values{"situation": {"Chi bộ sinh hoạt đều đặn."}, "results": {"Hoàn thành kế hoạch."}})
	if st != 200 || !strings.Contains(body, "Chi bộ sinh hoạt đều đặn.") {
		t.Fatalf("save: %d", st)
	}
	if st, _, _ = do(sec, "POST", page+"/submit", url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("submit: %d", st)
	}
	// Submitted twice: refused with a clear message.
	st, body, _ = do(sec, "POST", page+"/submit", url.Values{})
	if st != http.StatusConflict || !strings.Contains(body, "không gửi lại lần nữa") {
		t.Fatalf("submitted twice: %d", st)
	}
	// The secretary is not the level above.
	if st, _, _ = do(sec, "POST", page+"/approve", url.Values{}); st != http.StatusForbidden {
		t.Fatalf("approve by the secretary: %d", st)
	}
	// The chair returns it: the comment is required.
	st, body, _ = do(chair, "POST", page+"/return", url.Values{"comment": {""}})
	if st != http.StatusBadRequest || !strings.Contains(body, "Nhập ý kiến khi trả lại báo cáo.") {
		t.Fatalf("return without comment: %d", st)
	}
	if st, _, _ = do(chair, "POST", page+"/return", url.Values{"comment": {"Bổ sung phương hướng."}}); st != http.StatusSeeOther {
		t.Fatalf("return: %d", st)
	}
	st, body, _ = do(sec, "GET", page, nil)
	if st != 200 || !strings.Contains(body, "Bổ sung phương hướng.") || !strings.Contains(body, `id="report-submit"`) {
		t.Fatalf("returned page: %d", st)
	}
	if st, _, _ = do(sec, "POST", page+"/submit", url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("resubmit: %d", st)
	}
	if st, _, _ = do(chair, "POST", page+"/approve", url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("approve: %d", st)
	}
	// Edit after approval: refused; a new version opens.
	st, body, _ = do(sec, "POST", page, url.Values{"results": {"Sửa"}})
	if st != http.StatusConflict || !strings.Contains(body, "lập phiên bản mới") {
		t.Fatalf("edit after approval: %d", st)
	}
	// The files.
	for _, f := range []string{"docx", "pdf"} {
		st, body, h = do(sec, "GET", page+"/"+f, nil)
		if st != 200 || len(body) < 1000 || !strings.Contains(h.Get("Content-Disposition"), "BC-") {
			t.Fatalf("%s: %d %v", f, st, h)
		}
	}
	// The commune's board lists the chi bộ as approved (the chair's view).
	var board app.ReportBoard
	if st := api(chair, "GET", fmt.Sprintf("/api/v1/reports?org=%d&kind=YEAR&year=2026", x.commune), "", &board); st != 200 {
		t.Fatalf("API board: %d", st)
	}
	found := false
	for _, e := range board.Lower {
		if e.Org.ID == x.branch {
			found = e.Status == ktgs.ReportApproved
		}
	}
	if !found {
		t.Fatalf("API board: the chi bộ is not approved: %+v", board.Lower)
	}
	// The API: new version, edit, submit twice refused.
	id := strings.TrimPrefix(page, "/reports/")
	var v2 ktgs.PeriodicReport
	if st := api(sec, "POST", "/api/v1/reports/"+id+"/version", "{}", &v2); st != http.StatusCreated || v2.Version != 2 {
		t.Fatalf("API version: %d %+v", st, v2)
	}
	var e struct {
		Error struct {
			Code   string                    `json:"code"`
			Fields map[string]map[string]any `json:"fields"`
		} `json:"error"`
	}
	if st := api(sec, "PUT", fmt.Sprintf("/api/v1/reports/%d", v2.ID), `{"sections":{"nope":"x"}}`, &e); st != http.StatusBadRequest {
		t.Fatalf("API unknown section: %d %+v", st, e)
	}
	if st := api(sec, "POST", fmt.Sprintf("/api/v1/reports/%d/submit", v2.ID), `{}`, nil); st != 200 {
		t.Fatalf("API submit: %d", st)
	}
	if st := api(sec, "POST", fmt.Sprintf("/api/v1/reports/%d/submit", v2.ID), `{}`, nil); st != http.StatusConflict {
		t.Fatalf("API submitted twice: %d", st)
	}
	var view app.ReportView
	if st := api(chair, "GET", fmt.Sprintf("/api/v1/reports/%d", v2.ID), "", &view); st != 200 || view.Report.Version != 2 || len(view.Versions) != 2 || len(view.Rows) == 0 {
		t.Fatalf("API report: %d %+v", st, view.Report)
	}
}
