package web_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

var staffReceiptRE = regexp.MustCompile(`id="receipt-code">([A-Z2-7]{4}(?:-[A-Z2-7]{4}){5})<`)

// TestLetterStaffPathHTML takes a letter through the staff pages on both
// engines: the refused intakes (nothing stored), the intake with its
// receipt shown once, classification (accepted, due date shown with R12
// and R14), the team, the audited reveal of the sender (team only; never
// the chair off the team, the viewer or the accused), verification, the
// conclusion (the accused's notice without identity), notification, and
// a discipline proceeding from the founded allegation.
func TestLetterStaffPathHTML(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		ts, svc := demoServer(t, db)
		card := accusedCard(t, db)
		kiemtra := userID(t, db, "kiemtra")

		// The forms.
		r := getLetter(t, ts, "chunhiem", "/letters/new")
		if r.status != 200 {
			t.Fatalf("new form: %d", r.status)
		}
		mustContain(t, "intake form", r.body, "Tiếp nhận đơn", `name="a0_ref"`, `name="files"`, `value="P19"`, "Trình bày trực tiếp: đã ghi lại")
		if r := getLetter(t, ts, "chunhiem", "/"); !strings.Contains(r.body, `href="/letters"`) {
			t.Error("the navigation lacks the letters")
		}
		if r := getLetter(t, ts, "xem", "/"); strings.Contains(r.body, `href="/letters"`) {
			t.Error("the viewer's navigation shows the letters")
		}

		// Bad input: a clear Vietnamese reason, what was typed kept,
		// nothing stored.
		before, audit := letterCount(t, svc), auditSeq(t, db)
		huge := intakeForm(card, "Đơn quá dài")
		huge.Set("content", strings.Repeat("Nội dung rất dài. ", 1200))
		badDate := intakeForm(card, "Đơn có ngày sai")
		badDate.Set("received_on", "27-11-hai nghìn")
		unknown := intakeForm(card, "Đơn tố cáo người không có")
		unknown.Set("a0_ref", "9999999999")
		inPerson := intakeForm(card, "Đơn trình bày trực tiếp")
		inPerson.Set("channel", "IN_PERSON")
		for _, c := range []struct {
			name   string
			fields url.Values
			files  map[string][]byte
			want   []string
		}{
			{"empty letter", url.Values{"channel": {"LETTER"}, "sender_mode": {"NAMED"}, "org_code": {"P19-O1-D01-C01"}, "body_kind": {"UBKT"}},
				nil, []string{"Nội dung đơn quá ngắn (ít nhất 20 ký tự)", "Phải nêu người hoặc tổ chức bị tố cáo", "Đơn có tên phải ghi họ tên người gửi",
					"Tiêu đề: Bắt buộc phải nhập."}},
			{"huge letter", huge, nil, []string{"Nội dung: Dài quá 20.000 ký tự.", `value="Đơn quá dài"`}},
			{"unsupported attachment", intakeForm(card, "Đơn kèm tệp lạ"), map[string][]byte{"chuong-trinh.exe": []byte("MZ\x90\x00\x03\x00\x00\x00binary")},
				[]string{"Loại tệp không được chấp nhận", "Trình duyệt không giữ được tệp đã chọn", `value="Đơn kèm tệp lạ"`}},
			{"malformed date", badDate, nil, []string{"Ngày nhận đơn: Ngày phải viết theo dạng dd/mm/yyyy", `value="27-11-hai nghìn"`}},
			{"accused card not found", unknown, nil, []string{"Không tìm thấy người hoặc tổ chức bị tố cáo này", `value="9999999999"`,
				`value="Đơn tố cáo người không có"`, letterSenderEmail}},
			{"in person without read-back", inPerson, nil, []string{"đọc lại cho người tố cáo nghe"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := postLetterForm(t, ts, "chunhiem", "/letters", c.fields, c.files)
				if r.status != http.StatusBadRequest {
					t.Fatalf("status %d, want 400\n%s", r.status, letterExcerpt(r.body))
				}
				mustContain(t, c.name, r.body, c.want...)
				mustContain(t, c.name, r.body, "Đơn chưa được lưu")
				if n := letterCount(t, svc); n != before {
					t.Errorf("%d letters after the refusal, want %d", n, before)
				}
				if auditSeq(t, db) != audit {
					t.Error("a refused intake wrote the audit trail")
				}
			})
		}

		// The intake, with an attachment: to the letter page, the receipt
		// shown there once.
		r = postLetterForm(t, ts, "chunhiem", "/letters", intakeForm(card, "Tố cáo sử dụng quỹ chi bộ sai mục đích"),
			map[string][]byte{"don-" + letterSender + ".pdf": pdfBytes})
		id := letterIDFrom(t, r)
		page := fmt.Sprintf("/letters/%d", id)
		r = getLetter(t, ts, "chunhiem", page)
		m := staffReceiptRE.FindStringSubmatch(r.body)
		if r.status != 200 || m == nil {
			t.Fatalf("letter page after intake: %d, no receipt code\n%s", r.status, letterExcerpt(r.body))
		}
		if st, err := svc.LetterStatusByReceipt(ctx, m[1]); err != nil || st.Status != ktgs.LetterReceived {
			t.Errorf("the receipt shown does not look the letter up: %v %+v", err, st)
		}
		mustContain(t, "letter page", r.body, "Mới tiếp nhận", "Tố cáo sử dụng quỹ chi bộ sai mục đích", "Ủy ban Kiểm tra", "Tệp 1 (application/pdf",
			`id="do-classify"`, `id="do-transfer"`, `id="do-withdraw"`)
		mustNotContain(t, "letter page", r.body, append(senderSecrets, `id="reveal-sender"`, "don-")...)
		if r := getLetter(t, ts, "chunhiem", page); strings.Contains(r.body, m[1]) || strings.Contains(r.body, `id="receipt"`) {
			t.Error("the receipt code is shown a second time")
		}
		if n := letterCount(t, svc); n != before+1 {
			t.Errorf("%d letters, want %d", n, before+1)
		}

		// Classify: accepted, the due date and the rules' reasons shown.
		d, err := svc.LetterDetail(app.AsSystem(ctx), id)
		if err != nil {
			t.Fatal(err)
		}
		memberID := d.Letter.Allegations[0].MemberID
		r = postLetter(t, ts, "chunhiem", page+"/classify", url.Values{"rows": {"2"}, "sender_mode": {"NAMED"}, "signers": {"1"},
			"a0_member_id": {fmt.Sprint(memberID)}, "a0_kind": {"TO_CAO"}, "a0_content": {d.Letter.Allegations[0].Content}, "a1_kind": {"TO_CAO"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("classify: %d\n%s", r.status, letterExcerpt(r.body))
		}
		d, _ = svc.LetterDetail(app.AsSystem(ctx), id)
		if d.Letter.Status != ktgs.LetterAccepted || d.Letter.DueOn.IsZero() || !d.Letter.DueOn.After(civil.MustParse("2026-11-27")) {
			t.Fatalf("after classify: %s due %s", d.Letter.Status, d.Letter.DueOn)
		}
		r = getLetter(t, ts, "chunhiem", page)
		mustContain(t, "accepted letter", r.body, "Đã thụ lý", `id="letter-due">`+d.Letter.DueOn.VN(), `data-rule="R12"`, `data-rule="R14"`,
			"Phân loại, xử lý đơn", "Thời hạn giải quyết tố cáo", "Cán bộ kiểm tra tỉnh Ninh Bình (demo)", `id="do-team"`, `id="do-extend"`)

		// The team: kiemtra presides.
		r = postLetter(t, ts, "chunhiem", page+"/team", url.Values{"team_user_0": {fmt.Sprint(kiemtra)}, "team_role_0": {"PRESIDE"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("team: %d\n%s", r.status, letterExcerpt(r.body))
		}
		r = getLetter(t, ts, "kiemtra", page)
		mustContain(t, "team member's page", r.body, "Đang thẩm tra, xác minh", `id="reveal-sender"`, `id="file-`)
		mustNotContain(t, "team member's page", r.body, senderSecrets...)

		// The sender: only the team sees it, with a reason, audited.
		r = getLetter(t, ts, "chunhiem", page)
		mustNotContain(t, "chair's page", r.body, `id="reveal-sender"`, `id="file-`)
		r = postLetter(t, ts, "chunhiem", page+"/sender", url.Values{"reason": {"Cần liên hệ người tố cáo để xác minh"}})
		if r.status != http.StatusForbidden {
			t.Errorf("a chair off the team reveals the sender: %d", r.status)
		}
		mustContain(t, "chair refused", r.body, "Chỉ thành viên đoàn/tổ giải quyết được làm việc này.")
		mustNotContain(t, "chair refused", r.body, senderSecrets...)
		if r := getLetter(t, ts, "xem", page); r.status != http.StatusForbidden {
			t.Errorf("the viewer opens the letter: %d", r.status)
		}
		if r := postLetter(t, ts, "xem", page+"/sender", url.Values{"reason": {"Cần liên hệ người tố cáo để xác minh"}}); r.status != http.StatusForbidden ||
			strings.Contains(r.body, letterSender) {
			t.Errorf("the viewer reveals the sender: %d", r.status)
		}
		addAccusedUser(t, db)
		r = getLetter(t, ts, "bitocao", page)
		if r.status != 200 {
			t.Fatalf("the accused inspector's page: %d", r.status)
		}
		mustNotContain(t, "the accused's page", r.body, append(senderSecrets, `id="reveal-sender"`, `id="file-`, `id="do-`)...)
		r = postLetter(t, ts, "bitocao", page+"/sender", url.Values{"reason": {"Tôi muốn biết ai tố cáo tôi"}})
		if r.status != http.StatusForbidden || strings.Contains(r.body, letterSender) {
			t.Errorf("the accused reveals the sender: %d", r.status)
		}
		mustContain(t, "the accused refused", r.body, "Người bị tố cáo, bị kiểm tra không được làm việc này.")
		r = postLetter(t, ts, "bitocao", fmt.Sprintf("%s/files/%d", page, d.Files[0].ID), url.Values{"reason": {"Tôi muốn xem đơn tố cáo tôi"}})
		if r.status != http.StatusForbidden || strings.Contains(r.body, "%PDF") {
			t.Errorf("the accused downloads the attachment: %d", r.status)
		}

		r = postLetter(t, ts, "kiemtra", page+"/sender", url.Values{"reason": {"ngắn"}})
		if r.status != http.StatusBadRequest {
			t.Errorf("a reveal without a reason: %d", r.status)
		}
		mustContain(t, "short reason", r.body, "Phải nêu lý do xem (ít nhất 10 ký tự)")
		mustNotContain(t, "short reason", r.body, senderSecrets...)
		audit = auditSeq(t, db)
		r = postLetter(t, ts, "kiemtra", page+"/sender", url.Values{"reason": {"Cần liên hệ người tố cáo để xác minh thêm"}})
		if r.status != 200 {
			t.Fatalf("the team's reveal: %d\n%s", r.status, letterExcerpt(r.body))
		}
		mustContain(t, "revealed", r.body, `id="sender-identity"`, letterSender, letterSenderPhone, letterSenderEmail, letterSenderAddr, letterSenderID)
		if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("the reveal is cacheable: Cache-Control %q", cc)
		}
		if auditSeq(t, db) != audit+1 {
			t.Errorf("the reveal appended %d audit entries, want 1", auditSeq(t, db)-audit)
		}
		a := getLetter(t, ts, "kiemtoan", fmt.Sprintf("/api/v1/audit?action=letter.read_protected&object_type=letter&object_id=%d", id))
		mustContain(t, "audit", a.body, `"action":"letter.read_protected"`, `"reason":"Cần liên hệ người tố cáo để xác minh thêm"`, `"field":"sender"`)
		mustNotContain(t, "audit", a.body, senderSecrets...)
		if r := getLetter(t, ts, "kiemtra", page); strings.Contains(r.body, letterSender) {
			t.Error("the identity stays on the page after the reveal")
		}
		// The attachment, downloaded by the team with a reason.
		req, _ := http.NewRequest("POST", ts.URL+fmt.Sprintf("%s/files/%d", page, d.Files[0].ID),
			strings.NewReader(url.Values{"reason": {"Đối chiếu chữ ký trong đơn gốc"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r = doLetter(t, ts, "kiemtra", req)
		if r.status != 200 || r.body != string(pdfBytes) || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("attachment: %d %q", r.status, r.header.Get("Content-Disposition"))
		}

		// Verification, then a conclusion naming the sender is refused.
		if r := postLetter(t, ts, "kiemtra", page+"/verify", url.Values{"note": {"Đã làm việc với kế toán chi bộ, đối chiếu sổ quỹ."}}); r.status != http.StatusSeeOther {
			t.Fatalf("verify: %d\n%s", r.status, letterExcerpt(r.body))
		}
		r = postLetter(t, ts, "kiemtra", page+"/conclude", url.Values{"seq": {"1"}, "result_1": {"FOUNDED"},
			"conclusion_1": {"Theo đơn của bà " + letterSender + ", đồng chí đã chi quỹ sai mục đích."}})
		if r.status != http.StatusBadRequest {
			t.Fatalf("a conclusion naming the sender: %d", r.status)
		}
		mustContain(t, "identity in the conclusion", r.body, "không được nêu tên hoặc thông tin liên hệ của người tố cáo", `id="step-conclude" open`)
		r = postLetter(t, ts, "kiemtra", page+"/conclude", url.Values{"seq": {"1"}, "result_1": {"FOUNDED"},
			"conclusion_1": {"Đồng chí đã chi 5 triệu đồng quỹ chi bộ sai mục đích; tố cáo đúng."}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("conclude: %d\n%s", r.status, letterExcerpt(r.body))
		}
		d, _ = svc.LetterDetail(app.AsSystem(ctx), id)
		accused := 0
		for _, n := range d.Notices {
			if n.Kind == ktgs.NoticeAccused {
				accused++
				mustContain(t, "the accused's notice", n.Text, d.Letter.Allegations[0].SubjectName, "Tố cáo đúng", "5 triệu đồng")
				mustNotContain(t, "the accused's notice", n.Text+n.To, senderSecrets...)
			}
		}
		if accused != 1 || d.Letter.Status != ktgs.LetterConcluded {
			t.Fatalf("after the conclusion: %s, %d notices to the accused", d.Letter.Status, accused)
		}
		r = getLetter(t, ts, "kiemtra", page)
		mustContain(t, "concluded", r.body, "Đã kết luận", "Thông báo kết luận cho người bị tố cáo", `id="do-notify"`, `id="do-proceeding"`)
		mustNotContain(t, "concluded", r.body, senderSecrets...)

		// Notify: closed, the result notice addressed to "người gửi".
		if r := postLetter(t, ts, "kiemtra", page+"/notify", url.Values{}); r.status != http.StatusSeeOther {
			t.Fatalf("notify: %d\n%s", r.status, letterExcerpt(r.body))
		}
		r = getLetter(t, ts, "kiemtra", page)
		mustContain(t, "closed", r.body, "Đã thông báo kết quả, kết thúc", "Thông báo kết quả giải quyết", "gửi người gửi")
		mustNotContain(t, "closed", r.body, senderSecrets...)

		// A step out of order is said on the page.
		r = postLetter(t, ts, "kiemtra", page+"/verify", url.Values{"note": {"Ghi chú thêm sau khi đã kết thúc."}})
		if r.status != http.StatusConflict {
			t.Errorf("a step after closing: %d", r.status)
		}
		mustContain(t, "out of order", r.body, "Không thể “verify” khi đơn đang ở trạng thái CLOSED")

		// The founded allegation goes to a discipline proceeding.
		r = postLetter(t, ts, "chunhiem", page+"/proceeding", url.Values{"seq": {"1"}, "org_code": {"P19-O1-D01-C01"}, "body_kind": {"UBKT"},
			"category": {"KHAC"}, "violation_on": {"15/10/2026"}, "warranted_form": {"KHIEN_TRACH"}, "violation": {"Chi quỹ chi bộ sai mục đích."}})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/proceedings/") {
			t.Fatalf("proceeding: %d %q\n%s", r.status, r.location, letterExcerpt(r.body))
		}
		d, _ = svc.LetterDetail(app.AsSystem(ctx), id)
		if d.Letter.Allegations[0].ProceedingID == 0 || r.location != fmt.Sprintf("/proceedings/%d", d.Letter.Allegations[0].ProceedingID) {
			t.Errorf("the allegation is not linked to %s", r.location)
		}
		r = getLetter(t, ts, "chunhiem", r.location)
		mustContain(t, "proceeding from the letter", r.body, "Chi quỹ chi bộ sai mục đích.")
		mustNotContain(t, "proceeding from the letter", r.body, senderSecrets...)
	})
}

// TestLetterStaffPathAPI takes a letter through the JSON API on both
// engines, attachments base64-encoded, and checks that no answer but the
// team's reveal carries the identity.
func TestLetterStaffPathAPI(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		ts, svc := demoServer(t, db)
		card := accusedCard(t, db)
		kiemtra := userID(t, db, "kiemtra")
		accusedUser := addAccusedUser(t, db)

		intake := map[string]any{"channel": "API", "sender": map[string]any{"name": letterSender, "phone": letterSenderPhone,
			"email": letterSenderEmail, "id_number": letterSenderID}, "title": "Tố cáo qua ứng dụng định danh",
			"content": "Đồng chí bị tố cáo nhận tiền của hộ dân để xác nhận hồ sơ đất đai năm 2026.", "received_on": "2026-11-26",
			"org_code": "P19-O1-D01-C01", "body_kind": "UBKT", "allegations": []map[string]any{{"card_number": card}},
			"files": []map[string]any{{"name": "bien-ban.pdf", "data_base64": base64.StdEncoding.EncodeToString(pdfBytes)}}}

		// Bad input: nothing stored, the reason per field.
		before := letterCount(t, svc)
		for _, c := range []struct {
			name  string
			patch map[string]any
			field string
			want  string
		}{
			{"empty letter", map[string]any{"title": "", "content": "", "allegations": []any{}}, "content", "Nội dung đơn quá ngắn"},
			{"huge letter", map[string]any{"content": strings.Repeat("Nội dung rất dài. ", 1200)}, "content", "Dài quá 20.000 ký tự."},
			{"unsupported attachment", map[string]any{"files": []map[string]any{{"name": "a.exe", "data_base64": base64.StdEncoding.EncodeToString([]byte("MZ\x90\x00binary"))}}},
				"files[0]", "Loại tệp không được chấp nhận"},
			{"not base64", map[string]any{"files": []map[string]any{{"name": "a.pdf", "data_base64": "%%%"}}}, "files[0]", "base64"},
			{"accused card not found", map[string]any{"allegations": []map[string]any{{"card_number": "9999999999"}}}, "allegations[0].member_id",
				"Không tìm thấy người hoặc tổ chức bị tố cáo này"},
			{"public channel", map[string]any{"channel": "PUBLIC_FORM"}, "channel", "Kênh tiếp nhận không hợp lệ"},
		} {
			t.Run(c.name, func(t *testing.T) {
				in := map[string]any{}
				for k, v := range intake {
					in[k] = v
				}
				for k, v := range c.patch {
					in[k] = v
				}
				r := apiLetter(t, ts, "chunhiem", "POST", "/api/v1/letters", in)
				var e struct {
					Error struct {
						Fields map[string]struct{ Message string } `json:"fields"`
					} `json:"error"`
				}
				json.Unmarshal([]byte(r.body), &e)
				if r.status != 400 || !strings.Contains(e.Error.Fields[c.field].Message, c.want) {
					t.Errorf("status %d, field %s: %q, want %q\n%s", r.status, c.field, e.Error.Fields[c.field].Message, c.want, r.body)
				}
				if n := letterCount(t, svc); n != before {
					t.Errorf("%d letters, want %d", n, before)
				}
			})
		}
		if r := apiLetter(t, ts, "chunhiem", "POST", "/api/v1/letters", map[string]any{"title": "x", "received_on": "2026-13-45"}); r.status != 400 ||
			!strings.Contains(r.body, "Nội dung JSON không hợp lệ") {
			t.Errorf("a malformed date: %d %s", r.status, r.body)
		}

		// The intake answers the receipt once, and the letter without
		// identity.
		r := apiLetter(t, ts, "chunhiem", "POST", "/api/v1/letters", intake)
		if r.status != http.StatusCreated {
			t.Fatalf("intake: %d %s", r.status, r.body)
		}
		var created struct {
			Letter struct {
				ID     int64  `json:"id"`
				Code   string `json:"code"`
				Status string `json:"status"`
			} `json:"letter"`
			Receipt struct {
				Code       string `json:"receipt_code"`
				LetterCode string `json:"letter_code"`
				Duplicate  bool   `json:"duplicate"`
			} `json:"receipt"`
		}
		json.Unmarshal([]byte(r.body), &created)
		if created.Letter.Status != "RECEIVED" || created.Receipt.LetterCode != created.Letter.Code || len(created.Receipt.Code) != 29 || created.Receipt.Duplicate {
			t.Fatalf("intake answer: %s", r.body)
		}
		mustNotContain(t, "intake answer", r.body, append(senderSecrets, `"sender"`, `"v1.`)...)
		id := created.Letter.ID
		base := fmt.Sprintf("/api/v1/letters/%d", id)
		r = apiLetter(t, ts, "chunhiem", "GET", base, nil)
		mustContain(t, "detail", r.body, `"status":"RECEIVED"`, `"channel":"API"`, `"mime":"application/pdf"`, `"can_write":true`,
			`"can_read_sender":false`, `"next":["classify","transfer","withdraw"]`)
		mustNotContain(t, "detail", r.body, append(senderSecrets, "bien-ban", `"v1.`)...)
		if r := apiLetter(t, ts, "xem", "GET", base, nil); r.status != http.StatusForbidden {
			t.Errorf("the viewer reads the letter: %d", r.status)
		}

		step := func(user, name string, body any, want int) string {
			t.Helper()
			r := apiLetter(t, ts, user, "POST", base+"/"+name, body)
			if r.status != want {
				t.Fatalf("%s as %s: %d, want %d\n%s", name, user, r.status, want, r.body)
			}
			mustNotContain(t, name, r.body, senderSecrets...)
			return r.body
		}
		b := step("chunhiem", "classify", map[string]any{}, 200)
		mustContain(t, "classified", b, `"status":"ACCEPTED"`, `"due_on":"`)
		step("chunhiem", "team", map[string]any{"team": []map[string]any{{"user_id": accusedUser, "role": "PRESIDE"}}}, http.StatusConflict)
		b = step("chunhiem", "team", map[string]any{"team": []map[string]any{{"user_id": kiemtra, "role": "PRESIDE"}}}, 200)
		mustContain(t, "team", b, `"status":"VERIFYING"`, fmt.Sprintf(`"user_id":%d`, kiemtra))

		// The reveal: the team only, with a reason.
		if r := apiLetter(t, ts, "chunhiem", "POST", base+"/sender", map[string]any{"reason": "Cần liên hệ người tố cáo"}); r.status != http.StatusForbidden ||
			strings.Contains(r.body, letterSender) {
			t.Errorf("the chair off the team: %d", r.status)
		}
		if r := apiLetter(t, ts, "bitocao", "POST", base+"/sender", map[string]any{"reason": "Tôi muốn biết ai tố cáo"}); r.status != http.StatusForbidden ||
			strings.Contains(r.body, letterSender) {
			t.Errorf("the accused: %d", r.status)
		}
		r = apiLetter(t, ts, "kiemtra", "POST", base+"/sender", map[string]any{"reason": "Cần liên hệ người tố cáo để xác minh"})
		if r.status != 200 {
			t.Fatalf("the team's reveal: %d %s", r.status, r.body)
		}
		mustContain(t, "reveal", r.body, `"name":"`+letterSender+`"`, `"phone":"`+letterSenderPhone+`"`, letterSenderEmail, letterSenderID)
		r = apiLetter(t, ts, "kiemtra", "GET", base, nil)
		mustContain(t, "team's detail", r.body, `"can_read_sender":true`)
		mustNotContain(t, "team's detail", r.body, senderSecrets...)
		var det struct {
			Files []struct {
				ID int64 `json:"id"`
			} `json:"files"`
		}
		json.Unmarshal([]byte(r.body), &det)
		if len(det.Files) != 1 {
			t.Fatalf("files: %s", r.body)
		}
		r = apiLetter(t, ts, "kiemtra", "POST", fmt.Sprintf("%s/files/%d", base, det.Files[0].ID), map[string]any{"reason": "Đối chiếu biên bản gốc"})
		if r.status != 200 || r.body != string(pdfBytes) {
			t.Errorf("download: %d", r.status)
		}

		step("kiemtra", "verify", map[string]any{"note": "Đã xác minh với các hộ dân liên quan."}, 200)
		step("kiemtra", "extend", map[string]any{"days": 30, "reason": "Cần xác minh thêm tại địa phương"}, 200)
		step("kiemtra", "conclude", map[string]any{"results": []map[string]any{{"seq": 1, "result": "UNFOUNDED", "conclusion": letterSenderPhone + " gọi đến báo sai."}}},
			http.StatusBadRequest)
		b = step("kiemtra", "conclude", map[string]any{"results": []map[string]any{{"seq": 1, "result": "UNFOUNDED",
			"conclusion": "Không có căn cứ về việc nhận tiền; tố cáo sai."}}}, 200)
		mustContain(t, "concluded", b, `"status":"CONCLUDED"`, `"result":"UNFOUNDED"`)
		b = step("kiemtra", "notify", map[string]any{}, 200)
		mustContain(t, "closed", b, `"status":"CLOSED"`, `"notified_on":"2026-11-28"`)
		r = apiLetter(t, ts, "kiemtra", "GET", base, nil)
		mustContain(t, "closed detail", r.body, `"kind":"EXTENSION"`, `"kind":"ACCUSED"`, `"kind":"RESULT"`, `"to":"người gửi"`, `"step":"extend"`,
			`"rules":{"R14"`)
		mustNotContain(t, "closed detail", r.body, senderSecrets...)
		// Unfounded: no proceeding.
		step("kiemtra", "proceeding", map[string]any{"seq": 1, "body_org_code": "P19-O1-D01-C01", "body_kind": "UBKT", "category": "KHAC",
			"violation_on": "2026-10-01", "warranted_form": "KHIEN_TRACH"}, http.StatusBadRequest)

		// The list.
		r = apiLetter(t, ts, "chunhiem", "GET", "/api/v1/letters?status=CLOSED", nil)
		mustContain(t, "list", r.body, created.Letter.Code, `"status":"CLOSED"`)
		mustNotContain(t, "list", r.body, append(senderSecrets, `"content"`)...)
	})
}

// TestLetterInboxAndExport covers the inbox filters (overdue, duplicates:
// the same letter submitted twice is linked to the first; body, kind,
// status, due within, paging), the CSV export without any identity, and
// the API list.
func TestLetterInboxAndExport(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		ts, svc := demoServer(t, db)
		card := accusedCard(t, db)
		sys := app.AsSystem(ctx)
		// An old letter accepted in June: overdue by November.
		old, _, err := svc.ReceiveLetter(sys, app.LetterInput{Channel: ktgs.ChannelPhone, Sender: ktgs.Sender{Name: "Lê Văn Gọi", Phone: "0987 654 321"},
			Title: "Phản ánh việc cấp đất sai", Content: "Đồng chí bị tố cáo ký xác nhận cấp đất sai đối tượng năm 2025.",
			ReceivedOn: civil.MustParse("2026-06-01"), OrgCode: "P19-O1-D01-C01", BodyKind: ktgs.BodyInspectionCommission,
			Allegations: []app.AllegationInput{{CardNumber: card}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ClassifyLetter(sys, old.ID, app.ClassifyInput{On: civil.MustParse("2026-06-02")}); err != nil {
			t.Fatal(err)
		}
		// The same letter twice through the form: the second is a
		// duplicate linked to the first.
		first := letterIDFrom(t, postLetterForm(t, ts, "chunhiem", "/letters", intakeForm(card, "Tố cáo sử dụng quỹ chi bộ sai mục đích"), nil))
		second := letterIDFrom(t, postLetterForm(t, ts, "chunhiem", "/letters", intakeForm(card, "Tố cáo sử dụng quỹ chi bộ sai mục đích"), nil))
		ls := map[int64]*ktgs.Letter{}
		for _, id := range []int64{old.ID, first, second} {
			d, err := svc.LetterDetail(sys, id)
			if err != nil {
				t.Fatal(err)
			}
			ls[id] = d.Letter
		}
		if ls[second].Status != ktgs.LetterDuplicate || ls[second].DuplicateOf != first || ls[first].Status != ktgs.LetterReceived {
			t.Fatalf("second letter: %s, duplicate of %d (first %d, %s)", ls[second].Status, ls[second].DuplicateOf, first, ls[first].Status)
		}
		if !ls[old.ID].Overdue(svc.Today()) {
			t.Fatalf("the June letter is not overdue: due %s", ls[old.ID].DueOn)
		}
		r := getLetter(t, ts, "chunhiem", fmt.Sprintf("/letters/%d", second))
		mustContain(t, "duplicate's page", r.body, "Đơn trùng", `<a href="/letters/`+fmt.Sprint(first)+`" id="letter-first">`+ls[first].Code)
		r = getLetter(t, ts, "chunhiem", fmt.Sprintf("/letters/%d", first))
		mustContain(t, "first's page", r.body, `id="duplicates"`, ls[second].Code)

		// code is the inbox's link to letter id (the duplicate-of link to
		// it has a class).
		code := func(id int64) string { return fmt.Sprintf(`<a href="/letters/%d">%s</a>`, id, ls[id].Code) }
		for _, c := range []struct {
			name, query string
			want, not   []string
		}{
			{"all", "", []string{code(old.ID), code(first), code(second), "Phản ánh việc cấp đất sai", "01/06/2026", "27/11/2026", "Tố cáo",
				"Ủy ban Kiểm tra"}, nil},
			{"overdue", "?overdue=1", []string{code(old.ID), `<strong class="late">Quá hạn</strong>`, ls[old.ID].DueOn.VN()}, []string{code(first), code(second)}},
			{"duplicates", "?duplicates=1", []string{code(second), `class="duplicate-of">` + ls[first].Code}, []string{code(old.ID), code(first)}},
			{"status", "?status=ACCEPTED", []string{code(old.ID), "Đã thụ lý"}, []string{code(first)}},
			{"open", "?open=1", []string{code(old.ID), code(first)}, []string{code(second)}},
			{"due within", "?due_within=30", []string{code(old.ID)}, []string{code(first)}},
			{"body by code", "?body=P19-O1-D01-C01", []string{code(old.ID), code(first)}, nil},
			{"body elsewhere", "?body=P19", nil, []string{code(old.ID), code(first)}},
			{"kind", "?kind=KHIEU_NAI", nil, []string{code(old.ID), code(first), code(second)}},
			{"kind denunciation", "?kind=TO_CAO", []string{code(old.ID), code(first)}, nil},
			{"paging", "?limit=1", []string{code(second), `rel="next"`, fmt.Sprintf("before=%d", second)}, []string{code(first)}},
			{"next page", fmt.Sprintf("?limit=1&before=%d", second), []string{code(first)}, []string{code(second)}},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := getLetter(t, ts, "chunhiem", "/letters"+c.query)
				if r.status != 200 {
					t.Fatalf("status %d", r.status)
				}
				mustContain(t, c.name, r.body, c.want...)
				mustNotContain(t, c.name, r.body, c.not...)
				mustNotContain(t, c.name, r.body, append(senderSecrets, "Lê Văn Gọi", "0987 654 321")...)
			})
		}
		for _, q := range []string{"?status=LOST", "?kind=X", "?due_within=0", "?body=KHONG-CO", "?limit=500"} {
			if r := getLetter(t, ts, "chunhiem", "/letters"+q); r.status != http.StatusBadRequest {
				t.Errorf("/letters%s: %d, want 400", q, r.status)
			}
		}
		if r := getLetter(t, ts, "xem", "/letters"); r.status != http.StatusForbidden {
			t.Errorf("the viewer's inbox: %d", r.status)
		}
		if r := getLetter(t, ts, "bithu", "/letters"); r.status != 200 || strings.Contains(r.body, ls[first].Code) {
			t.Errorf("a chi bộ secretary (no clearance for the letters' mark) sees them: %d", r.status)
		}

		// The export: every page, BOM, Vietnamese headers, dd/mm/yyyy, no
		// identity, no sealed text.
		r = getLetter(t, ts, "chunhiem", "/letters.csv?limit=1")
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(r.body, "\ufeffMã đơn,Ngày nhận,") {
			t.Fatalf("csv: %d %q %q", r.status, r.header.Get("Content-Type"), r.body[:min(len(r.body), 60)])
		}
		mustContain(t, "csv", r.body, ls[old.ID].Code, ls[first].Code, ls[second].Code, "01/06/2026", ls[old.ID].DueOn.VN(), "Quá hạn", "Đơn trùng",
			"Người, tổ chức bị tố cáo")
		mustNotContain(t, "csv", r.body, append(senderSecrets, "Lê Văn Gọi", "0987 654 321", "v1.", "2026-06-01")...)
		// The duplicates' export: one line per duplicate (the demo has its
		// own), each a duplicate, ours among them.
		dups, _, err := svc.ListLetters(sys, app.LetterQuery{Duplicates: true, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		r = getLetter(t, ts, "chunhiem", "/letters.csv?duplicates=1")
		lines := strings.Split(strings.TrimSuffix(r.body, "\r\n"), "\r\n")
		if len(lines) != len(dups)+1 || !strings.Contains(r.body, ls[second].Code+",27/11/2026,") {
			t.Errorf("csv of duplicates: %d lines for %d duplicates\n%q", len(lines), len(dups), r.body)
		}
		for _, l := range lines[1:] {
			if !strings.Contains(l, ",Đơn trùng,") {
				t.Errorf("csv of duplicates has a line that is not one: %q", l)
			}
		}

		// The API list with the same filters.
		r = apiLetter(t, ts, "chunhiem", "GET", "/api/v1/letters?overdue=true", nil)
		mustContain(t, "api overdue", r.body, `"code":"`+ls[old.ID].Code, `"overdue":true`, `"date":"2026-11-28"`)
		mustNotContain(t, "api overdue", r.body, ls[first].Code)
		r = apiLetter(t, ts, "chunhiem", "GET", "/api/v1/letters?duplicates=true", nil)
		mustContain(t, "api duplicates", r.body, fmt.Sprintf(`"duplicate_of":%d`, first))
		r = apiLetter(t, ts, "chunhiem", "GET", "/api/v1/letters?limit=1", nil)
		mustContain(t, "api paging", r.body, fmt.Sprintf(`"next":"%d"`, second))
		mustNotContain(t, "api list", r.body, senderSecrets...)
	})
}
