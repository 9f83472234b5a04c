package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/auth"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/store"
)

// The sender of the test letters: none of it may ever appear outside the
// audited reveal.
const (
	letterSender      = "Trịnh Thị Bảo Mật"
	letterSenderPhone = "0912 345 678"
	letterSenderEmail = "nguoi.gui.bi.mat@example.vn"
	letterSenderAddr  = "Số 7 ngõ Kín, phường Bí Ẩn"
	letterSenderID    = "036190000123"
)

// senderSecrets are the strings of the sender's identity.
var senderSecrets = []string{letterSender, letterSenderPhone, letterSenderEmail, letterSenderAddr, letterSenderID}

// letterWorld is a letter received by the UBKT of xã Gia Tường against a
// member of Chi bộ thôn Đoàn Kết, with a PDF attached, for the route tests.
type letterWorld struct {
	id, fileID int64
}

// buildLetter records the route tests' letter, as the system.
func buildLetter(t *testing.T, db *store.DB, svc *app.Service) letterWorld {
	t.Helper()
	card := accusedCard(t, db)
	l, _, err := svc.ReceiveLetter(app.AsSystem(ctx), app.LetterInput{Channel: ktgs.ChannelPost,
		Sender: ktgs.Sender{Name: letterSender, Phone: letterSenderPhone, Email: letterSenderEmail}, Title: "Tố cáo việc chi quỹ của chi bộ",
		Content: "Đồng chí bị tố cáo đã chi quỹ chi bộ không đúng mục đích trong năm 2026.", OrgCode: "P19-O1-D01-C01",
		BodyKind: ktgs.BodyInspectionCommission, Allegations: []app.AllegationInput{{CardNumber: card}},
		Files: []app.LetterFileInput{{Name: "don-to-cao-" + letterSender + ".pdf", Data: pdfBytes}}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.LetterDetail(app.AsSystem(ctx), l.ID)
	if err != nil || len(d.Files) != 1 {
		t.Fatalf("letter detail: %v", err)
	}
	return letterWorld{id: l.ID, fileID: d.Files[0].ID}
}

// accusedCard is the party card number of the demo member the letters
// accuse (the first member of Chi bộ thôn Đoàn Kết).
func accusedCard(t *testing.T, db *store.DB) string {
	t.Helper()
	x := lookup(t, db)
	var card string
	db.View(ctx, func(tx *store.Tx) error {
		m, err := tx.Member(ctx, x.member, civil.MustParse("2026-11-28"))
		if err != nil {
			t.Fatal(err)
		}
		card = m.CardNumber
		return nil
	})
	return card
}

// letterCount counts every letter, as the system.
func letterCount(t *testing.T, svc *app.Service) int {
	t.Helper()
	n := 0
	q := app.LetterQuery{Limit: 200}
	for {
		list, more, err := svc.ListLetters(app.AsSystem(ctx), q)
		if err != nil {
			t.Fatal(err)
		}
		n += len(list)
		if !more || len(list) == 0 {
			return n
		}
		q.BeforeID = list[len(list)-1].ID
	}
}

// userID returns the id of account name.
func userID(t *testing.T, db *store.DB, name string) int64 {
	t.Helper()
	var id int64
	db.View(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		id = u.ID
		return nil
	})
	return id
}

// addAccusedUser creates "bitocao", an inspector of Ninh Bình who is the
// accused member himself.
func addAccusedUser(t *testing.T, db *store.DB) int64 {
	t.Helper()
	x := lookup(t, db)
	var id int64
	err := db.Update(ctx, func(tx *store.Tx) error {
		p19, err := tx.OrgIDByCode(ctx, "P19")
		if err != nil {
			return err
		}
		hash, err := (&auth.Hasher{Params: auth.Params{Memory: 64, Time: 1, Threads: 1}}).Hash(ctx, app.DemoPassword)
		if err != nil {
			return err
		}
		u := &ktgs.User{Username: "bitocao", DisplayName: "Đảng viên bị tố cáo (thử)", Role: authz.RoleInspector, Clearance: authz.Secret,
			MemberID: x.member, Scope: []int64{p19}, PasswordHash: hash, Demo: true}
		if err := tx.InsertUser(ctx, u); err != nil {
			return err
		}
		id = u.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// letterResponse is an HTTP answer with what the tests look at.
type letterResponse struct {
	status   int
	body     string
	location string
	header   http.Header
}

func doLetter(t *testing.T, ts *httptest.Server, user string, req *http.Request) letterResponse {
	t.Helper()
	resp, err := client(t, ts, user).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return letterResponse{status: resp.StatusCode, body: string(b), location: resp.Header.Get("Location"), header: resp.Header}
}

// postLetterForm posts a multipart letter form with attachments (input
// "files"), as the browser does.
func postLetterForm(t *testing.T, ts *httptest.Server, user, path string, fields url.Values, files map[string][]byte) letterResponse {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for name, data := range files {
		fw, _ := mw.CreateFormFile("files", name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return doLetter(t, ts, user, req)
}

func getLetter(t *testing.T, ts *httptest.Server, user, path string) letterResponse {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+path, nil)
	return doLetter(t, ts, user, req)
}

func postLetter(t *testing.T, ts *httptest.Server, user, path string, form url.Values) letterResponse {
	t.Helper()
	req, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return doLetter(t, ts, user, req)
}

func apiLetter(t *testing.T, ts *httptest.Server, user, method, path string, body any) letterResponse {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, ts.URL+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return doLetter(t, ts, user, req)
}

// intakeForm is a complete, valid intake form for a letter against card.
func intakeForm(card, title string) url.Values {
	return url.Values{"channel": {"LETTER"}, "sender_mode": {"NAMED"}, "sender_name": {letterSender}, "sender_address": {letterSenderAddr},
		"sender_phone": {letterSenderPhone}, "sender_email": {letterSenderEmail}, "sender_id_number": {letterSenderID}, "title": {title},
		"content":     {"Đồng chí bị tố cáo đã sử dụng quỹ chi bộ sai mục đích, chi cho việc riêng trong tháng 10 năm 2026."},
		"received_on": {"27/11/2026"}, "org_code": {"P19-O1-D01-C01"}, "body_kind": {"UBKT"}, "signers": {"1"},
		"a0_ref": {card}, "a0_kind": {"TO_CAO"}, "a1_kind": {"TO_CAO"}}
}

// letterExcerpt shows the errors of a page: the alert and the field
// errors, or the start.
func letterExcerpt(s string) string {
	out := excerpt(s)
	if i := strings.Index(s, `id="letter-errors"`); i >= 0 {
		out = s[i:min(len(s), i+1200)]
	}
	return out
}

var letterPathRE = regexp.MustCompile(`^/letters/(\d+)$`)

// letterIDFrom reads the letter id of a redirect to its page.
func letterIDFrom(t *testing.T, r letterResponse) int64 {
	t.Helper()
	m := letterPathRE.FindStringSubmatch(r.location)
	if r.status != http.StatusSeeOther || m == nil {
		t.Fatalf("status %d, Location %q, want 303 to /letters/{id}\n%s", r.status, r.location, letterExcerpt(r.body))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func mustContain(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func mustNotContain(t *testing.T, what, body string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(body, b) {
			t.Errorf("%s contains %q", what, b)
		}
	}
}
