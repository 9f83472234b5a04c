package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// TestProceedingPagesAndAPI covers the discipline pages and endpoints on
// the demo data: the proceeding the fixture opened from a violation
// finding, voted and decided through the API (its decision numbered after
// the inspection decision of the same UBKT, since numbers run per issuer
// and type); a chi bộ reprimanding one of its members end to end through
// the API; and the bad input of the issue refused with the rule's article,
// nothing stored.
func TestProceedingPagesAndAPI(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		ts, svc := demoServer(t, db)
		cw := buildCase(t, db, svc)
		procURL := fmt.Sprintf("/proceedings/%d", cw.procID)
		api := func(user, method, path, body string) (int, string) {
			t.Helper()
			return call(t, client(t, ts, user), ts, routeCase{method: method, path: path, body: body})
		}
		as := func(user string, sc scenario) scenario { sc.as = user; return sc }
		for _, sc := range []scenario{
			as("chunhiem", scenario{name: "list", path: "/proceedings", status: 200, contains: []string{"KL-2026-", "Đã nghe trình bày, kiểm điểm", "Khiển trách"}}),
			as("chunhiem", scenario{name: "list by status", path: "/proceedings?status=DECIDED", status: 200, contains: []string{"badge-DECIDED"},
				notContain: []string{fmt.Sprintf("KL-2026-%06d", cw.procID)}}),
			as("chunhiem", scenario{name: "the demo's late state notice", path: "/proceedings?status=OPEN", status: 200, contains: []string{"thông báo chậm"}}),
			as("chunhiem", scenario{name: "list bad status", path: "/proceedings?status=LOST", status: 400}),
			as("chunhiem", scenario{name: "page", path: procURL, status: 200, contains: []string{"Căn cứ quy định lúc này", "Biểu quyết bằng phiếu kín",
				"Sử dụng quỹ chi bộ sai mục đích", "Vi phạm phát hiện qua kiểm tra", "Diễn biến và căn cứ", "Quy định"}}),
			as("chunhiem", scenario{name: "case page links the violation to discipline", path: fmt.Sprintf("/cases/%d", cw.caseID), status: 200,
				contains: []string{fmt.Sprintf("/proceedings/new?finding=%d", cw.violationID)}}),
			as("chunhiem", scenario{name: "new from a finding", path: fmt.Sprintf("/proceedings/new?finding=%d", cw.violationID), status: 200,
				contains: []string{"Mở hồ sơ xem xét kỷ luật", `value="FINDING" selected`}}),
			as("chunhiem", scenario{name: "api list", path: "/api/v1/proceedings", status: 200, json: true, contains: []string{`"status":"HEARD"`, `"mark":"MAT"`}}),
			as("chunhiem", scenario{name: "api detail", path: "/api/v1/proceedings/" + fmt.Sprint(cw.procID), status: 200, json: true,
				contains: []string{`"next":["vote","postpone","cancel","exempt"]`, `"R6"`, `"citations"`}}),
			as("chunhiem", scenario{name: "suspensions", path: "/suspensions", status: 200, contains: []string{"DC-2026-", "Đang có hiệu lực"}}),
			as("chunhiem", scenario{name: "suspension page", path: fmt.Sprintf("/suspensions/%d", cw.suspID), status: 200,
				contains: []string{"Vẫn phải đóng đảng phí", "Gia hạn", "Chấm dứt đình chỉ", "R15", "Cản trở việc xem xét kỷ luật",
					"Quyết định đình chỉ sinh hoạt đảng", "-QĐ/UBKTĐU"}}),
			as("chunhiem", scenario{name: "suspension from a proceeding", path: fmt.Sprintf("/suspensions/new?proceeding=%d", cw.procID), status: 200,
				contains: []string{"Quyết định đình chỉ sinh hoạt đảng", fmt.Sprintf(`value="%d"`, cw.procID)}}),
			as("chunhiem", scenario{name: "member page shows the suspension", path: fmt.Sprintf("/members/%d", lookup(t, db).member), status: 200,
				contains: []string{`id="suspended"`, "vẫn đóng đảng phí"}}),
			as("chunhiem", scenario{name: "api suspensions ending soon", path: "/api/v1/suspensions?ending_by=2027-12-31", status: 200, json: true,
				contains: []string{`"dues_payable":true`}}),
			as("chunhiem", scenario{name: "api suspension", path: fmt.Sprintf("/api/v1/suspensions/%d", cw.suspID), status: 200, json: true,
				contains: []string{`"state":"IN_FORCE"`, `"next":["extend","end"]`, `"documents":[{`}}),
			as("chunhiem", scenario{name: "complaints", path: "/complaints", status: 200, contains: []string{"KN-2026-", "Đang giải quyết"}}),
			as("chunhiem", scenario{name: "complaint page", path: fmt.Sprintf("/complaints/%d", cw.complaintID), status: 200,
				contains: []string{"Đề nghị xem xét lại hình thức kỷ luật", "Giải quyết qua các cấp", "Giữ nguyên", "Hạn giải quyết"}}),
			as("chunhiem", scenario{name: "complaint form", path: fmt.Sprintf("/complaints/new?proceeding=%d", cw.decidedID), status: 200,
				contains: []string{"Tiếp nhận đơn khiếu nại kỷ luật", "R10"}}),
			as("chunhiem", scenario{name: "the decided proceeding lists its complaint", path: fmt.Sprintf("/proceedings/%d", cw.decidedID), status: 200,
				contains: []string{"Khiếu nại về quyết định này", "KN-2026-"}}),
			as("chunhiem", scenario{name: "api complaint", path: fmt.Sprintf("/api/v1/complaints/%d", cw.complaintID), status: 200, json: true,
				contains: []string{`"status":"PENDING"`, `"chain"`}}),
			as("xem", scenario{name: "a viewer has no discipline role", path: "/proceedings", status: 403}),
			as("bithu", scenario{name: "a chi bộ secretary does not see the commune UBKT's proceeding", path: procURL, status: 404}),
		} {
			t.Run(sc.name, func(t *testing.T) { run(t, ts, sc) })
		}

		// A tally with more votes than voters, from the page: 400, the
		// Vietnamese reason next to the field, nothing stored.
		headBefore := auditSeq(t, db)
		status, body := post(t, ts, "chunhiem", procURL+"/vote", url.Values{"held_on": {"28/11/2026"}, "official": {"7"}, "votes_KHIEN_TRACH": {"9"}})
		if status != 400 || !strings.Contains(body, "Số phiếu") {
			t.Errorf("over-full tally: %d", status)
		}
		if auditSeq(t, db) != headBefore {
			t.Errorf("a refused vote wrote the audit trail")
		}

		// Individuals are assessed only for an organisation subject.
		if status, b := api("chunhiem", "POST", "/api/v1/proceedings/"+fmt.Sprint(cw.procID)+"/persons", `{"card_number":"`+cw.card+`","assessment":"x"}`); status != 400 ||
			!strings.Contains(b, "err.proceeding.org_only") {
			t.Errorf("persons on a member proceeding: %d %s", status, b)
		}

		// Vote and decide through the API.
		if status, b := api("chunhiem", "POST", "/api/v1/proceedings/"+fmt.Sprint(cw.procID)+"/vote",
			`{"held_on":"2026-11-28","official":7,"votes":{"KHIEN_TRACH":6,"NONE":1}}`); status != 200 || !strings.Contains(b, `"status":"VOTED"`) {
			t.Fatalf("vote: %d %s", status, b)
		}
		if status, b := api("chunhiem", "POST", "/api/v1/proceedings/"+fmt.Sprint(cw.procID)+"/decide", `{"decided_on":"2026-11-28"}`); status != 200 ||
			!strings.Contains(b, `"status":"DECIDED"`) {
			t.Fatalf("decide: %d %s", status, b)
		}
		_, b := api("chunhiem", "GET", "/api/v1/proceedings/"+fmt.Sprint(cw.procID), "")
		var det struct {
			Documents []struct {
				ID     int64  `json:"id"`
				Number string `json:"number"`
			} `json:"documents"`
			Rules map[string]json.RawMessage `json:"rules"`
		}
		if err := json.Unmarshal([]byte(b), &det); err != nil || len(det.Documents) != 1 {
			t.Fatalf("detail after the decision: %v %s", err, b)
		}
		if det.Documents[0].Number != "Số 03-QĐ/UBKTĐU" {
			t.Errorf("decision number %q, want Số 03-QĐ/UBKTĐU (after the inspection decision Số 01 and the suspension Số 02: one QĐ sequence per issuer)", det.Documents[0].Number)
		}
		run(t, ts, scenario{as: "chunhiem", name: "a decided proceeding offers the wrongful-discipline step", path: procURL, status: 200,
			contains: []string{"Xác định kỷ luật oan", "Quy định 117-QĐ/TW"}})
		if _, ok := det.Rules["R7"]; !ok {
			t.Errorf("the 12-month expiry is not shown after the decision: %s", b)
		}
		docx := download(t, ts, "chunhiem", fmt.Sprintf("/documents/%d/docx", det.Documents[0].ID))
		if x := docxText(t, docx); !strings.Contains(x, "KHIỂN TRÁCH") || !strings.Contains(x, "03-QĐ/UBKTĐU") {
			t.Errorf("the decision DOCX lacks the form or its number")
		}
		x := lookup(t, db)
		run(t, ts, scenario{as: "chunhiem", name: "member page shows the discipline in force", path: fmt.Sprintf("/members/%d", x.member), status: 200,
			contains: []string{`id="discipline"`, "Khiển trách", "Đang có hiệu lực", "đến hết ngày 27/11/2027"}})
		run(t, ts, scenario{as: "quantri", name: "the administrator sees no discipline on the member page", path: fmt.Sprintf("/members/%d", x.member),
			status: 200, notContain: []string{`id="discipline"`, "KL-2026-"}})
		run(t, ts, scenario{as: "chunhiem", name: "document page of a proceeding", path: fmt.Sprintf("/documents/%d", det.Documents[0].ID), status: 200,
			contains: []string{"Số 03-QĐ/UBKTĐU", procURL}})

		// A chi bộ reprimands an ordinary member for lifestyle, end to end
		// through the API as the chi bộ's secretary.
		var card string
		db.View(ctx, func(tx *store.Tx) error {
			p, err := tx.MembersOfOrg(ctx, x.branch, "", 5)
			if err != nil || len(p.Members) < 2 {
				t.Fatalf("members of the chi bộ: %v", err)
			}
			m, err := tx.Member(ctx, p.Members[1].ID, civil.MustParse("2026-11-28"))
			if err != nil {
				t.Fatal(err)
			}
			card = m.CardNumber
			return nil
		})
		open := `{"subject_kind":"MEMBER","card_number":"` + card + `","body_org_code":"P19-O1-D01-C01-VM1","body_kind":"CHI_BO","origin":"DIRECT",
			"category":"DAO_DUC_LOI_SONG","violation":"Uống rượu bia say xỉn gây mất trật tự nơi công cộng.","violation_on":"2026-10-20",
			"warranted_form":"KHIEN_TRACH","opened_on":"2026-11-20"}`
		id := mustJSONID(t, ts, "bithu", "POST", "/api/v1/proceedings", open)
		base := "/api/v1/proceedings/" + fmt.Sprint(id)
		if status, b := api("bithu", "POST", "/api/v1/proceedings", open); status != 400 || !strings.Contains(b, "err.proceeding.duplicate") ||
			!strings.Contains(b, "Quy định 69-QĐ/TW") {
			t.Errorf("the same violation again: %d %s", status, b)
		}
		if status, b := api("bithu", "POST", base+"/vote", `{"held_on":"2026-11-25","official":20,"votes":{"KHIEN_TRACH":15}}`); status != 409 {
			t.Errorf("a vote before the hearing: %d %s", status, b)
		}
		if status, b := api("bithu", "POST", base+"/hear", `{"heard_on":"2026-11-24","self_criticism_on":"2026-11-24"}`); status != 200 {
			t.Fatalf("hear: %d %s", status, b)
		}
		if status, b := api("bithu", "POST", base+"/vote", `{"held_on":"2026-11-25","official":20,"absent_other":1,"votes":{"KHIEN_TRACH":15,"NONE":4}}`); status != 200 ||
			!strings.Contains(b, `"status":"VOTED"`) || !strings.Contains(b, `"form":"KHIEN_TRACH"`) {
			t.Fatalf("vote: %d %s", status, b)
		}
		if status, b := api("bithu", "POST", base+"/decide", `{"decided_on":"2026-11-25"}`); status != 200 || !strings.Contains(b, `"status":"DECIDED"`) {
			t.Fatalf("decide: %d %s", status, b)
		}

		// An organisation under consideration shows it on its page.
		tyt := mustJSONID(t, ts, "chunhiem", "POST", "/api/v1/proceedings", `{"subject_kind":"ORG","org_code":"P19-O1-D01-C01-TYT",
			"body_org_code":"P19-O1-D01-C01","body_kind":"UBKT","origin":"DIRECT","category":"NGUYEN_TAC_TO_CHUC",
			"violation":"Không sinh hoạt chi bộ định kỳ.","violation_on":"2026-11-21","warranted_form":"CANH_CAO","opened_on":"2026-11-27"}`)
		if tyt == 0 {
			t.Fatal("no proceeding against the organisation")
		}
		run(t, ts, scenario{as: "chunhiem", name: "organisation page shows its discipline", path: fmt.Sprintf("/orgs/%d", x.smallBranch), status: 200,
			contains: []string{`id="discipline"`, "Đang xem xét", "Cảnh cáo"}})

		// Refusals with the rule and its article; nothing stored.
		headBefore = auditSeq(t, db)
		for _, c := range []struct{ name, body, field, rule string }{
			{"removal of a member without a post", strings.Replace(strings.Replace(open, `"KHIEN_TRACH"`, `"CACH_CHUC"`, 1), `"2026-10-20"`, `"2026-10-21"`, 1), "warranted_form", "Điều"},
			{"a chi bộ disciplining an organisation", `{"subject_kind":"ORG","org_code":"P19-O1-D01-C01-VM1","body_org_code":"P19-O1-D01-C01-VM1","body_kind":"CHI_BO",
				"origin":"DIRECT","violation":"x","violation_on":"2026-10-20","warranted_form":"KHIEN_TRACH"}`, "body_id", "Điều"},
			{"a violation after the opening", strings.Replace(open, `"2026-10-20"`, `"2026-11-27"`, 1), "violation_on", ""},
		} {
			status, b := api("bithu", "POST", "/api/v1/proceedings", c.body)
			var e struct {
				Error struct {
					Fields map[string]struct {
						Message string `json:"message"`
						Rule    string `json:"rule"`
					} `json:"fields"`
				} `json:"error"`
			}
			json.Unmarshal([]byte(b), &e)
			f, ok := e.Error.Fields[c.field]
			if status != 400 || !ok || f.Message == "" || (c.rule != "" && !strings.Contains(f.Rule, c.rule)) {
				t.Errorf("%s: %d %s", c.name, status, b)
			}
		}
		if auditSeq(t, db) != headBefore {
			t.Errorf("a refused proceeding wrote the audit trail")
		}

		// The complaint about the demo's reprimand, upheld through the API:
		// its decision is issued as a numbered document.
		if status, b := api("chunhiem", "POST", fmt.Sprintf("/api/v1/complaints/%d/resolve", cw.complaintID),
			`{"outcome":"UPHOLD","resolved_on":"2026-11-28","resolution":"Giữ nguyên hình thức khiển trách."}`); status != 200 || !strings.Contains(b, `"status":"RESOLVED"`) {
			t.Fatalf("resolve: %d %s", status, b)
		}
		run(t, ts, scenario{as: "chunhiem", name: "the complaint decision", path: fmt.Sprintf("/api/v1/complaints/%d", cw.complaintID), status: 200, json: true,
			contains: []string{`"documents":[{`, `-QĐ/UBKTĐU`, `"outcome":"UPHOLD"`}})
	})
}

// download fetches a file as user and checks it comes as an attachment.
func download(t *testing.T, ts *httptest.Server, user, path string) []byte {
	t.Helper()
	resp, err := client(t, ts, user).Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("GET %s: %d %q", path, resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	return b
}

// docxText returns the text of word/document.xml.
func docxText(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a DOCX: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			return string(x)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

// TestDecisionBodyWithTwoTerms: a demo chi bộ that existed before the 2025
// reform has its 2020–2025 term as well as its 2025–2030 one; it numbers
// its decision in the current term (the terms were once handed to R17
// newest first and refused as overlapping).
func TestDecisionBodyWithTwoTerms(t *testing.T) {
	db := testdb.OpenSQLite(t)
	_, svc := demoServer(t, db)
	sys := app.AsSystem(ctx)
	var memberID, bodyID int64
	var terms int
	db.View(ctx, func(tx *store.Tx) error {
		org, err := tx.OrgIDByCode(ctx, "P19-O1-D01-C01-X3-V2")
		if err != nil {
			t.Fatal(err)
		}
		b, err := tx.BodyByKind(ctx, org, ktgs.BodyBranch)
		if err != nil {
			t.Fatal(err)
		}
		bodyID = b.ID
		bodies, _ := tx.Bodies(ctx, org)
		for _, x := range bodies {
			if x.ID == bodyID {
				terms = len(x.Terms)
			}
		}
		p, err := tx.MembersOfOrg(ctx, org, "", 20)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Members {
			if !m.OfficialOn.IsZero() {
				memberID = m.ID
				break
			}
		}
		return nil
	})
	if terms < 2 || memberID == 0 {
		t.Fatalf("the chi bộ has %d terms, member %d", terms, memberID)
	}
	d := civil.MustParse
	p, err := svc.OpenProceeding(sys, app.ProceedingInput{SubjectKind: ktgs.SubjectMember, MemberID: memberID, BodyID: bodyID, Origin: ktgs.OriginDirect,
		Category: "DAO_DUC_LOI_SONG", Violation: "Vi phạm lối sống.", ViolationOn: d("2026-10-01"), WarrantedForm: ktgs.FormReprimand,
		OpenedOn: d("2026-11-20")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Hear(sys, p.ID, app.HearInput{HeardOn: d("2026-11-21"), SelfCriticismOn: d("2026-11-21")}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Vote(sys, p.ID, app.VoteInput{HeldOn: d("2026-11-22"), Official: 12, Votes: map[string]int{"KHIEN_TRACH": 10}}); err != nil {
		t.Fatal(err)
	}
	p, err = svc.Decide(sys, p.ID, app.DecideInput{DecidedOn: d("2026-11-23")})
	if err != nil {
		t.Fatalf("a chi bộ with two terms could not decide: %v", err)
	}
	doc, _, _, err := svc.Document(sys, p.DocumentID)
	if err != nil || doc.NumberText != "Số 01-QĐ/CB" || doc.TermName != "2025–2030" {
		t.Errorf("decision %s of %s (%v), want Số 01-QĐ/CB of 2025–2030", doc.NumberText, doc.TermName, err)
	}
}

// TestMemberAsOfDate: the demo member transferred on 16/11/2026 shows,
// through the API and the page asked for an earlier date, the chi bộ of
// that date; today, the new one.
func TestMemberAsOfDate(t *testing.T) {
	db := testdb.OpenSQLite(t)
	ts, _ := demoServer(t, db)
	var id, from, to int64
	db.View(ctx, func(tx *store.Tx) error {
		org, err := tx.OrgIDByCode(ctx, "P19-O1-D01-C01-A1-B1")
		if err != nil {
			t.Fatal(err)
		}
		p, err := tx.MembersOfOrg(ctx, org, "", 200)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Members {
			evs, _ := tx.MemberEvents(ctx, m.ID)
			for _, e := range evs {
				if e.Kind == ktgs.EventTransfer && e.Date == civil.MustParse("2026-11-16") {
					id, from, to = m.ID, e.FromOrg, e.ToOrg
				}
			}
		}
		return nil
	})
	if id == 0 {
		t.Fatal("no member transferred on 16/11/2026 in the demo")
	}
	run(t, ts, scenario{as: "chunhiem", name: "before the transfer", path: fmt.Sprintf("/api/v1/members/%d?date=2026-11-15", id), status: 200, json: true,
		contains: []string{fmt.Sprintf(`"home_org_id":%d`, from)}})
	run(t, ts, scenario{as: "chunhiem", name: "after the transfer", path: fmt.Sprintf("/api/v1/members/%d", id), status: 200, json: true,
		contains: []string{fmt.Sprintf(`"home_org_id":%d`, to)}})
}
