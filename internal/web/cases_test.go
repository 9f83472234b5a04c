package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// post sends a form as user and returns the status and body.
func post(t *testing.T, ts *httptest.Server, user, path string, form url.Values) (int, string) {
	t.Helper()
	return call(t, client(t, ts, user), ts, routeCase{method: "POST", path: path, form: form})
}

// upload sends a multipart form with a file as user.
func upload(t *testing.T, ts *httptest.Server, user, path, name string, data []byte, fields map[string]string) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := client(t, ts, user).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestCasePagesAndAPI covers the case pages and endpoints with a case
// built through the use cases, and the bad inputs of the issue: each is
// refused with a clear reason and nothing stored changes.
func TestCasePagesAndAPI(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		ts, svc := demoServer(t, db)
		cw := buildCase(t, db, svc)
		caseURL := fmt.Sprintf("/cases/%d", cw.caseID)
		as := func(user string, sc scenario) scenario { sc.as = user; return sc }
		for _, sc := range []scenario{
			as("chunhiem", scenario{name: "case list", path: "/cases", status: 200, contains: []string{"Chi bộ thôn Đoàn Kết", "Kiểm tra khi có dấu hiệu vi phạm", "Đã kết luận"}}),
			as("chunhiem", scenario{name: "case list filtered by status", path: "/cases?status=CLOSED", status: 200, notContain: []string{"Chi bộ thôn Đoàn Kết"}}),
			as("chunhiem", scenario{name: "case list bad year", path: "/cases?year=abc", status: 400, contains: []string{"1930"}}),
			as("chunhiem", scenario{name: "case list by subtree", path: "/cases?org=P19-O1-D01-C01", status: 200, contains: []string{"Chi bộ thôn Đoàn Kết"}}),
			as("chunhiem", scenario{name: "case page", path: caseURL, status: 200, contains: []string{"Sinh hoạt chi bộ đều đặn", "Nộp đủ báo cáo thu chi quỹ", "Diễn biến", "Kết luận", "Số 01-QĐ/UBKTĐU", "bao-cao.pdf", "Theo dõi khắc phục"}}),
			as("kiemtra", scenario{name: "case page as the lead", path: caseURL, status: 200, contains: []string{"Trưởng đoàn"}}),
			as("chunhiem", scenario{name: "new case form", path: "/cases/new", status: 200, contains: []string{"R20"}}),
			as("chunhiem", scenario{name: "programmes", path: "/programmes", status: 200, contains: []string{"Chương trình kiểm tra, giám sát năm 2026"}}),
			as("chunhiem", scenario{name: "programme", path: fmt.Sprintf("/programmes/%d", cw.programmeID), status: 200, contains: []string{"Giám sát việc thực hiện nghị quyết chi bộ", "Chưa tiến hành"}}),
			as("chunhiem", scenario{name: "progress roll-up of the province", path: "/programmes/progress?org=P19&year=2026", status: 200, contains: []string{"Đảng bộ tỉnh Ninh Bình", "Đảng bộ xã Gia Tường"}}),
			as("chunhiem", scenario{name: "progress roll-up API", path: "/api/v1/programmes/progress?org=P19-O1-D01-C01&year=2026", status: 200, json: true, contains: []string{`"own":true`, `"Planned":1`}}),
			as("kiemtra", scenario{name: "my work", path: "/work", status: 200, contains: []string{"KT-2026-", "Nộp đủ báo cáo thu chi quỹ", "Giám sát việc thực hiện nghị quyết chi bộ"}}),
			as("chunhiem", scenario{name: "good practices without diacritics", path: "/practices?q=sinh+hoat+deu+dan", status: 200, contains: []string{"Sinh hoạt chi bộ đều đặn"}}),
			as("chunhiem", scenario{name: "document page", path: fmt.Sprintf("/documents/%d", cw.docID), status: 200, contains: []string{"Số 01-QĐ/UBKTĐU", "SHA-256"}}),
			as("chunhiem", scenario{name: "draft page", path: fmt.Sprintf("/documents/%d", cw.draftID), status: 200, contains: []string{"Dự thảo", "kết luận kiểm tra"}}),
			as("chunhiem", scenario{name: "api cases", path: "/api/v1/cases?kind=KT_DHVP", status: 200, json: true, contains: []string{`"status":"CONCLUDED"`}}),
			as("chunhiem", scenario{name: "api case", path: "/api/v1/cases/" + fmt.Sprint(cw.caseID), status: 200, json: true, contains: []string{`"findings"`, `"next":["follow_up","close","suspend","cancel"]`}}),
			as("kiemtra", scenario{name: "api work", path: "/api/v1/work", status: 200, json: true, contains: []string{`"REMEDIATION_DUE"`}}),
			as("bithu", scenario{name: "a chi bộ secretary does not see a higher UBKT's case", path: caseURL, status: 404}),
			as("xem", scenario{name: "a viewer has no case role", path: "/cases", status: 403}),
		} {
			t.Run(sc.name, func(t *testing.T) { run(t, ts, sc) })
		}

		// Downloads: an issued DOCX opens as a zip with the number in it;
		// the PDF starts %PDF; an evidence file comes back as stored.
		for _, f := range []struct{ path, ctype, magic string }{
			{fmt.Sprintf("/documents/%d/docx", cw.docID), "wordprocessingml", "PK"},
			{fmt.Sprintf("/documents/%d/pdf", cw.docID), "application/pdf", "%PDF"},
			{fmt.Sprintf("/documents/%d/docx", cw.draftID), "wordprocessingml", "PK"},
			{fmt.Sprintf("/files/%d", cw.fileID), "application/pdf", "%PDF"},
		} {
			resp, err := client(t, ts, "chunhiem").Get(ts.URL + f.path)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), f.ctype) || !bytes.HasPrefix(b, []byte(f.magic)) ||
				!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
				t.Errorf("GET %s: %d %q %q", f.path, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
			}
			if f.magic == "PK" && strings.Contains(f.path, fmt.Sprint(cw.docID)+"/") {
				zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
				if err != nil {
					t.Fatal(err)
				}
				for _, zf := range zr.File {
					if zf.Name == "word/document.xml" {
						rc, _ := zf.Open()
						x, _ := io.ReadAll(rc)
						if !strings.Contains(string(x), "01-QĐ/UBKTĐU") || !strings.Contains(string(x), "ĐẢNG CỘNG SẢN VIỆT NAM") {
							t.Errorf("the issued decision lacks its number or header")
						}
					}
				}
			}
		}

		// Bad inputs, each refused with its reason; nothing changes.
		headBefore := auditSeq(t, db)
		for _, b := range []struct {
			name, user, path string
			form             url.Values
			status           int
			want             string
		}{
			{"a step out of order", "chunhiem", caseURL + "/transition", url.Values{"name": {"decide"}, "start_on": {"01/12/2026"}, "duration_days": {"5"}}, 400, "Không thực hiện được bước"},
			{"close with an open remediation", "chunhiem", caseURL + "/transition", url.Values{"name": {"close"}}, 400, "Nộp đủ báo cáo thu chi quỹ"},
			{"a step by a cadre not named for it", "kiemtra", caseURL + "/transition", url.Values{"name": {"close"}}, 403, "Bước này do HEAD thực hiện"},
			{"cancel without a reason", "chunhiem", caseURL + "/transition", url.Values{"name": {"cancel"}}, 400, "Phải nêu lý do"},
			{"a conflicted team member (same unit)", "chunhiem", caseURL + "/team", url.Values{"username": {"bithu"}, "role": {"MEMBER"}}, 400, "không thể tham gia đoàn"},
			{"an unknown cadre", "chunhiem", caseURL + "/team", url.Values{"username": {"nobody"}, "role": {"MEMBER"}}, 400, "Không tìm thấy"},
			{"a finding after the conclusion", "kiemtra", caseURL + "/findings", url.Values{"subject_seq": {"1"}, "kind": {"STRENGTH"}, "text": {"x"}}, 400, "Chỉ ghi nhận kết quả"},
			{"an edit to an issued document", "chunhiem", fmt.Sprintf("/documents/%d", cw.docID), url.Values{"summary": {"đổi"}, "issuing_body": {"x"}}, 409, "đã ban hành"},
		} {
			t.Run(b.name, func(t *testing.T) {
				status, body := post(t, ts, b.user, b.path, b.form)
				if status != b.status || !strings.Contains(body, b.want) {
					t.Errorf("status %d (want %d), body has %q: %v\n%s", status, b.status, b.want, strings.Contains(body, b.want), excerpt(body))
				}
			})
		}
		// A second decision with the number already used (numbers run per
		// issuer, type and term).
		draft2 := mustJSONID(t, ts, "chunhiem", "POST", fmt.Sprintf("/api/v1/cases/%d/documents", cw.caseID), `{"type":"QD"}`)
		if status, body := call(t, client(t, ts, "chunhiem"), ts, routeCase{method: "POST", path: fmt.Sprintf("/api/v1/documents/%d/issue", draft2), body: `{"number":1}`}); status != 400 || !strings.Contains(body, "đã được dùng") {
			t.Errorf("issuing a second decision numbered 01: %d %s", status, excerpt(body))
		}
		// Files: too large, and content not matching an allowed type.
		svc.MaxFileSize = 1 << 10
		if status, body := upload(t, ts, "kiemtra", caseURL+"/files", "to.pdf", bytes.Repeat([]byte("%PDF-1.4 "), 300), nil); status != 400 || !strings.Contains(body, "vượt quá giới hạn") {
			t.Errorf("a too large file: %d %s", status, excerpt(body))
		}
		svc.MaxFileSize = 0
		if status, body := upload(t, ts, "kiemtra", caseURL+"/files", "hop-dong.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00this is an exe"), nil); status != 400 || !strings.Contains(body, "Loại tệp không được nhận") {
			t.Errorf("an exe named .pdf: %d %s", status, excerpt(body))
		}
		if status, body := upload(t, ts, "kiemtra", caseURL+"/files", "<script>.html", []byte("<html><script>alert(1)</script></html>"), nil); status != 400 || !strings.Contains(body, "Loại tệp không được nhận") {
			t.Errorf("an HTML file: %d %s", status, excerpt(body))
		}
		// The only change the bad inputs made is the second decision's
		// draft (which is an accepted action).
		if after := auditSeq(t, db); after != headBefore+1 {
			t.Errorf("audit head moved from %d to %d: a refused input changed something", headBefore, after)
		}

		// A good upload and the remediation through to closing.
		if status, body := upload(t, ts, "kiemtra", fmt.Sprintf("/remediations/%d", cw.remID), "bien-ban.pdf", pdfBytes, map[string]string{"kind": "report", "text": "Đã nộp báo cáo"}); status != 303 {
			t.Fatalf("remediation report: %d %s", status, excerpt(body))
		}
		if status, body := upload(t, ts, "kiemtra", fmt.Sprintf("/remediations/%d", cw.remID), "", nil, map[string]string{"kind": "verify", "text": "Đã kiểm tra hồ sơ"}); status != 303 {
			t.Fatalf("remediation verify: %d %s", status, excerpt(body))
		}
		if status, body := post(t, ts, "chunhiem", caseURL+"/transition", url.Values{"name": {"close"}}); status != 303 {
			t.Fatalf("close: %d %s", status, excerpt(body))
		}
		run(t, ts, scenario{as: "chunhiem", path: caseURL, status: 200, contains: []string{"Kết thúc", "Đã xác nhận", "bien-ban.pdf"}})
	})
}

func excerpt(s string) string {
	if i := strings.Index(s, `role="alert"`); i >= 0 {
		s = s[i:]
	} else if i := strings.Index(s, "field-error"); i >= 0 {
		s = s[i:]
	}
	if len(s) > 600 {
		s = s[:600]
	}
	return s
}

func auditSeq(t *testing.T, db *store.DB) int64 {
	t.Helper()
	var seq int64
	db.View(ctx, func(tx *store.Tx) error {
		var err error
		seq, _, err = tx.AuditHead(ctx)
		return err
	})
	return seq
}

func mustJSONID(t *testing.T, ts *httptest.Server, user, method, path, body string) int64 {
	t.Helper()
	status, b := call(t, client(t, ts, user), ts, routeCase{method: method, path: path, body: body})
	if status >= 300 {
		t.Fatalf("%s %s: %d %s", method, path, status, b)
	}
	var v struct {
		ID int64 `json:"id"`
	}
	json.Unmarshal([]byte(b), &v)
	return v.ID
}
