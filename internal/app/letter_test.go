package app_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/sealed"
	"ktgs/internal/store"
)

// Letters (đơn thư, RULES.md §5) on the case world: commune Kim Bảng (c1)
// and its UBKT receive letters about their members; R12 filters, R13
// keeps the accused and the denouncer off the team, R14 sets the clock.

// lwRun runs fn on every engine with the case world, an identity key and
// the commune UBKT as the public form's body.
func lwRun(t *testing.T, fn func(t *testing.T, w *csWorld)) {
	csRun(t, func(t *testing.T, w *csWorld) {
		keys, err := sealed.Generate(filepath.Join(t.TempDir(), "identity.key"))
		if err != nil {
			t.Fatal(err)
		}
		w.s.Keys = keys
		if err := w.s.SetPublicBody(ctx, "NBI-KB"); err != nil {
			t.Fatal(err)
		}
		fn(t, w)
	})
}

const letterText = "Tôi tố cáo ông Trần Văn Bình, bí thư chi bộ tổ dân phố Tân Lang, đã nhận tiền của các hộ dân " +
	"để xác nhận sai nguồn gốc đất tại khu đồng Cửa Làng năm 2025, tổng số tiền khoảng 120 triệu đồng."

// named is a named letter against member m, received at body.
func named(m *ktgs.Member, body int64) app.LetterInput {
	return app.LetterInput{Channel: ktgs.ChannelPost, Mode: ktgs.SenderNamed,
		Sender: ktgs.Sender{Name: "Nguyễn Thị Thu Hà", Address: "Tổ dân phố Tân Lang, phường Kim Bảng", Phone: "0912 345 678",
			Email: "thuha.kb@example.vn"},
		Title: "Tố cáo việc xác nhận sai nguồn gốc đất", Content: letterText, BodyID: body,
		Allegations: []app.AllegationInput{{CardNumber: m.CardNumber}}}
}

func receive(t *testing.T, w *csWorld, actx context.Context, in app.LetterInput) (*ktgs.Letter, *app.Receipt) {
	t.Helper()
	l, r, err := w.s.ReceiveLetter(actx, in)
	if err != nil {
		t.Fatalf("ReceiveLetter: %v", err)
	}
	return l, r
}

// r14Deadline asks R14 itself for the deadline from start at provincial
// level and below with the given extensions: the test's expectation comes
// from the rule, never from a copy of its numbers.
func r14Deadline(t *testing.T, w *csWorld, start civil.Date, ext ...int) civil.Date {
	t.Helper()
	req := rules.ClockRequest{ReceivedByCompetentOn: start.String(), Level: "PROVINCIAL_OR_BELOW"}
	for _, n := range ext {
		req.Extensions = append(req.Extensions, rules.ExtensionIn{N: n})
	}
	b, _ := json.Marshal(req)
	dec, err := w.s.Rules.Evaluate("R14", b)
	if err != nil {
		t.Fatal(err)
	}
	return dec.Result.(*rules.ClockResult).Deadline
}

func TestLetterResolutionPath(t *testing.T) {
	lwRun(t, func(t *testing.T, w *csWorld) {
		chair := w.as(t, w.chair)
		in := named(w.mB1, w.ubkt1)
		in.Sender.MemberID = w.mA2.ID // the denouncer is a party member (Lê Thị Mai)
		l, rc := receive(t, w, chair, in)
		if l.Status != ktgs.LetterReceived || l.CompetentBodyID != w.ubkt1 || l.CompetentOn != l.ReceivedOn {
			t.Fatalf("received: status %s competent %d on %s", l.Status, l.CompetentBodyID, l.CompetentOn)
		}
		if !strings.HasPrefix(l.Code, "ĐT-2026-") || len(strings.ReplaceAll(rc.Code, "-", "")) != 24 {
			t.Fatalf("codes %q %q", l.Code, rc.Code)
		}
		// Nothing of the identity is stored in clear text.
		assertNoClearIdentity(t, w, in.Sender)

		l, err := w.s.ClassifyLetter(chair, l.ID, app.ClassifyInput{})
		if err != nil {
			t.Fatalf("classify: %v", err)
		}
		if want := r14Deadline(t, w, l.CompetentOn); l.Status != ktgs.LetterAccepted || l.DueOn != want {
			t.Fatalf("accepted: %s due %s, want ACCEPTED due %s", l.Status, l.DueOn, want)
		}

		// R13: the accused (canbo.binh is member Trần Văn Bình) and the
		// denouncer (canbo.a is Lê Thị Mai) may not be on the team.
		for _, bad := range []*ktgs.User{w.subj, w.sameOrg} {
			_, err := w.s.SetLetterTeam(chair, l.ID, []app.TeamMemberInput{{UserID: w.lead.ID, Role: "PRESIDE"}, {UserID: bad.ID, Role: "TEAM_MEMBER"}}, 0)
			if e := ktgs.AsError(err); e == nil || e.Code != ktgs.ECONFLICT || e.Message != "err.letter.handler_conflict" || e.Rule == "" {
				t.Errorf("team with %s: %v, want the R13 conflict with its article", bad.Username, err)
			}
		}
		l, err = w.s.SetLetterTeam(chair, l.ID, []app.TeamMemberInput{{UserID: w.lead.ID, Role: "PRESIDE"}, {UserID: w.insp.ID, Role: "RESOLVE"}}, 0)
		if err != nil || l.Status != ktgs.LetterVerifying {
			t.Fatalf("team: %v %v", l, err)
		}

		// The sender: the team sees it (audited); the chair, not on the
		// team, and the accused do not.
		snd, err := w.s.ReadLetterSender(w.as(t, w.lead), l.ID, "Liên hệ người tố cáo để xác minh thêm")
		if err != nil || snd.Name != in.Sender.Name || snd.MemberID != w.mA2.ID {
			t.Fatalf("team reads sender: %+v %v", snd, err)
		}
		if n := auditCount(t, w, "letter.read_protected"); n != 1 {
			t.Errorf("read_protected entries %d, want 1", n)
		}
		for _, u := range []*ktgs.User{w.chair, w.subj, w.viewer} {
			if _, err := w.s.ReadLetterSender(w.as(t, u), l.ID, "Tôi cần biết ai đã gửi đơn này"); ktgs.ErrorCode(err) != ktgs.EFORBIDDEN {
				t.Errorf("%s reads sender: %v, want forbidden", u.Username, err)
			}
		}

		lead := w.as(t, w.lead)
		if _, err := w.s.RecordVerification(lead, l.ID, "Làm việc với 5 hộ dân khu đồng Cửa Làng, thu thập biên bản.", 0); err != nil {
			t.Fatal(err)
		}
		// The conclusion may not name the denouncer.
		_, err = w.s.ConcludeLetter(lead, l.ID, []app.ResultInput{{Seq: 1, Result: ktgs.ResultFounded,
			Conclusion: "Theo đơn của bà Nguyễn Thị Thu Hà, ông Bình đã nhận tiền."}}, 0)
		if e := ktgs.AsError(err); e == nil || e.Fields["results[0].conclusion"].Key != "err.letter.identity_in_notice" {
			t.Fatalf("conclusion naming the denouncer: %v", err)
		}
		l, err = w.s.ConcludeLetter(lead, l.ID, []app.ResultInput{{Seq: 1, Result: ktgs.ResultPartlyFounded,
			Conclusion: "Ông Trần Văn Bình đã nhận 40 triệu đồng của hai hộ dân; phần còn lại không có cơ sở."}}, 0)
		if err != nil || l.Status != ktgs.LetterConcluded || l.Allegations[0].Result != ktgs.ResultPartlyFounded {
			t.Fatalf("conclude: %v %v", l, err)
		}
		l, err = w.s.NotifyLetter(lead, l.ID, 0)
		if err != nil || l.Status != ktgs.LetterClosed {
			t.Fatalf("notify: %v %v", l, err)
		}
		det, err := w.s.LetterDetail(chair, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []ktgs.NoticeKind
		for _, n := range det.Notices {
			kinds = append(kinds, n.Kind)
			for _, x := range []string{in.Sender.Name, in.Sender.Phone, in.Sender.Email, "Thu Hà"} {
				if strings.Contains(n.Text, x) || strings.Contains(n.To, x) {
					t.Errorf("notice %s contains the identity %q: %q", n.Kind, x, n.Text)
				}
			}
			if n.Kind == ktgs.NoticeAccused && (n.To != w.mB1.FullName || !strings.Contains(n.Text, "40 triệu")) {
				t.Errorf("accused notice %+v", n)
			}
		}
		if !slices.Equal(kinds, []ktgs.NoticeKind{ktgs.NoticeAccused, ktgs.NoticeResult}) {
			t.Errorf("notices %v", kinds)
		}
		// A founded allegation opens a discipline proceeding (origin
		// DENUNCIATION), and the status page says only the status.
		p, err := w.s.LetterProceeding(chair, l.ID, 1, app.ProceedingInput{BodyID: w.chiboB, Category: "DAO_DUC_LOI_SONG",
			ViolationOn: d("2025-06-01"), WarrantedForm: ktgs.FormWarning})
		if err != nil || p.Origin != ktgs.OriginDenunciation || p.MemberID != w.mB1.ID {
			t.Fatalf("proceeding from the letter: %+v %v", p, err)
		}
		st, err := w.s.LetterStatusByReceipt(ctx, strings.ToLower(rc.Code))
		if err != nil || st.Status != ktgs.LetterClosed {
			t.Fatalf("status by receipt: %+v %v", st, err)
		}
	})
}

func assertNoClearIdentity(t *testing.T, w *csWorld, snd ktgs.Sender) {
	t.Helper()
	err := w.db.View(ctx, func(tx *store.Tx) error {
		ls, _, err := tx.Letters(ctx, store.LetterFilter{Paths: []string{"/"}, MaxMark: 2, Limit: 200})
		if err != nil {
			return err
		}
		for _, l := range ls {
			b, _ := json.Marshal(l)
			for _, x := range []string{snd.Name, snd.Phone, snd.Email, snd.Address} {
				if x != "" && strings.Contains(string(b), x) {
					t.Errorf("letter %s stores %q in clear text", l.Code, x)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func auditCount(t *testing.T, w *csWorld, action string) int {
	t.Helper()
	n := 0
	err := w.db.View(ctx, func(tx *store.Tx) error {
		es, err := tx.AuditEntries(ctx, store.AuditFilter{Action: action, System: true, Limit: 500})
		n = len(es)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestLetterIntakeGrounds: every not-resolved ground of R12 ends the
// letter as NOT_RESOLVED with the ground recorded; an anonymous letter
// with a clear target is kept as information and never concluded.
func TestLetterIntakeGrounds(t *testing.T) {
	lwRun(t, func(t *testing.T, w *csWorld) {
		chair := w.as(t, w.chair)
		cases := []struct {
			ground string
			in     func(*app.LetterInput)
			cl     app.ClassifyInput
		}{
			{"ANONYMOUS_OR_NO_ADDRESS", func(in *app.LetterInput) { in.AddressUnclear = true }, app.ClassifyInput{}},
			{"NOT_SPECIFIC", nil, app.ClassifyInput{ContentUnspecific: true}},
			{"NOT_SPECIFIC", nil, app.ClassifyInput{NoBasisForVerification: true}},
			{"NO_DENUNCIATION", func(in *app.LetterInput) { in.Allegations[0].Kind = ktgs.LetterPetition }, app.ClassifyInput{}},
			{"NOT_PERSONALLY_SIGNED", func(in *app.LetterInput) { in.NotPersonallySigned = true }, app.ClassifyInput{}},
			{"MULTIPLE_SIGNERS", func(in *app.LetterInput) { in.Signers = 3 }, app.ClassifyInput{}},
			{"NO_CIVIL_CAPACITY", nil, app.ClassifyInput{LacksCivilCapacity: true}},
		}
		for i, c := range cases {
			in := named(w.mB1, w.ubkt1)
			in.Title = c.ground
			in.Sender.Email = strings.Replace(in.Sender.Email, "@", string(rune('a'+i))+"@", 1)
			in.Content = letterText + " Trường hợp " + c.ground + " số " + string(rune('A'+i)) + " với các chi tiết khác biệt hoàn toàn về thời gian địa điểm nhân chứng."
			if c.in != nil {
				c.in(&in)
			}
			l, _ := receive(t, w, chair, in)
			c.cl.Reason = "Đơn thuộc trường hợp không giải quyết theo quy định."
			l, err := w.s.ClassifyLetter(chair, l.ID, c.cl)
			if err != nil {
				t.Fatalf("%s: %v", c.ground, err)
			}
			var dec rules.Decision
			_ = json.Unmarshal([]byte(l.Intake), &dec)
			res, _ := json.Marshal(dec.Result)
			if l.Status != ktgs.LetterNotResolved || !strings.Contains(string(res), c.ground) || len(dec.Citations) == 0 {
				t.Errorf("%s: status %s intake %s", c.ground, l.Status, res)
			}
		}
		// A not-resolved letter needs the body's reason; nothing changes
		// without it.
		l, _ := receive(t, w, chair, func() app.LetterInput {
			in := named(w.mB2, w.ubkt1)
			in.Signers = 2
			return in
		}())
		if _, err := w.s.ClassifyLetter(chair, l.ID, app.ClassifyInput{}); ktgs.AsError(err) == nil || ktgs.AsError(err).Fields["reason"].Key != "err.letter.reason_required" {
			t.Errorf("no reason: %v", err)
		}
		if got := letterByID(t, w, l.ID); got.Status != ktgs.LetterReceived || got.Intake != "" {
			t.Errorf("refused classify changed the letter: %s %q", got.Status, got.Intake)
		}

		// Anonymous with a clear target and content: information only; it
		// may feed a KT_DHVP case, never a conclusion.
		anon := named(w.mA1, w.ubkt1)
		anon.Mode, anon.Sender = ktgs.SenderAnonymous, ktgs.Sender{}
		anon.Content = "Ông Nguyễn Văn Hùng chi bộ Thụy Xuyên sử dụng xe công vào việc riêng nhiều lần trong tháng 3 và tháng 4 năm 2026."
		al, _ := receive(t, w, chair, anon)
		if al.Kind != ktgs.LetterAnonymous {
			t.Fatalf("anonymous kind %s", al.Kind)
		}
		al, err := w.s.ClassifyLetter(chair, al.ID, app.ClassifyInput{ClearTargetAndContent: true})
		if err != nil || al.Status != ktgs.LetterInformation {
			t.Fatalf("anonymous: %v %v", al, err)
		}
		if _, err := w.s.ConcludeLetter(chair, al.ID, []app.ResultInput{{Seq: 1, Result: ktgs.ResultFounded, Conclusion: "Kết luận đúng như đơn."}}, 0); err == nil {
			t.Error("an anonymous letter got a conclusion")
		}
		c, err := w.s.LetterCase(chair, al.ID, 1, app.CaseInput{BodyID: w.ubkt1, Title: "Kiểm tra dấu hiệu vi phạm về sử dụng xe công",
			Content: "Từ thông tin đơn nặc danh.", Subjects: []app.SubjectInput{memSubj(w.mA1)}})
		if err != nil || c.Kind != ktgs.CaseKindKTDHVP {
			t.Fatalf("case from information: %v %v", c, err)
		}
		if _, err := w.s.LetterCase(chair, al.ID, 0, app.CaseInput{Kind: ktgs.CaseKindKTTaiChinh, BodyID: w.ubkt1, Title: "Kiểm tra tài chính",
			Subjects: []app.SubjectInput{orgSubj(w.a)}}); ktgs.AsError(err) == nil || ktgs.AsError(err).Fields["kind"].Key != "err.letter.case_kind" {
			t.Errorf("a finance inspection from a letter: %v", err)
		}
		gs, err := w.s.LetterCase(chair, al.ID, 0, app.CaseInput{Kind: ktgs.CaseKindGSThuongXuyen, BodyID: w.ubkt1,
			Title: "Giám sát thường xuyên việc sử dụng tài sản công", Subjects: []app.SubjectInput{orgSubj(w.a)}})
		if err != nil || gs.Kind != ktgs.CaseKindGSThuongXuyen {
			t.Errorf("a supervision from information: %v %v", gs, err)
		}
		if got := letterByID(t, w, al.ID); got.Allegations[0].CaseID != c.ID {
			t.Errorf("allegation not linked to case %d: %+v", c.ID, got.Allegations[0])
		}
	})
}

func letterByID(t *testing.T, w *csWorld, id int64) *ktgs.Letter {
	t.Helper()
	var l *ktgs.Letter
	if err := w.db.View(ctx, func(tx *store.Tx) error {
		var err error
		l, err = tx.Letter(ctx, id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestLetterRoutingTransfer: a letter about a member of the other commune
// is routed to that commune's UBKT; the receiving UBKT may not accept it,
// transfers it with a notice to the sender, and the clock starts on the
// day the competent body records the receipt (R14).
func TestLetterRoutingTransfer(t *testing.T) {
	lwRun(t, func(t *testing.T, w *csWorld) {
		chair := w.as(t, w.chair)
		l, _ := receive(t, w, chair, named(w.mS1, w.ubkt1))
		if l.CompetentBodyID != w.ubkt2 || !l.CompetentOn.IsZero() {
			t.Fatalf("routing: competent %d on %s, want %d and no clock", l.CompetentBodyID, l.CompetentOn, w.ubkt2)
		}
		// The receiving body is not competent: classifying only records
		// where the letter must go; R12 is for the competent body.
		if l, err := w.s.ClassifyLetter(chair, l.ID, app.ClassifyInput{}); err != nil || l.Status != ktgs.LetterReceived || l.Intake != "" ||
			l.CompetentBodyID != w.ubkt2 {
			t.Fatalf("classify at a body that is not competent: %+v %v", l, err)
		}
		w.setDay("2026-04-20")
		l, err := w.s.TransferLetter(chair, l.ID, app.TransferInput{})
		if err != nil || l.Status != ktgs.LetterTransferred || l.HolderBodyID != w.ubkt2 {
			t.Fatalf("transfer: %+v %v", l, err)
		}
		// The first body no longer holds it.
		if _, err := w.s.LetterDetail(chair, l.ID); ktgs.ErrorCode(err) != ktgs.EFORBIDDEN && ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
			t.Errorf("old holder reads the transferred letter: %v", err)
		}
		w.setDay("2026-04-23")
		// The head of the competent body records the receipt.
		sib := w.as(t, w.provChair)
		if l, err = w.s.ArriveLetter(sib, l.ID, 0); err != nil || l.CompetentOn != d("2026-04-23") {
			t.Fatalf("arrive: %v %v", l, err)
		}
		l, err = w.s.ClassifyLetter(sib, l.ID, app.ClassifyInput{})
		if err != nil {
			t.Fatal(err)
		}
		if want := r14Deadline(t, w, d("2026-04-23")); l.Status != ktgs.LetterAccepted || l.DueOn != want {
			t.Fatalf("clock from the competent receipt: %s due %s, want %s", l.Status, l.DueOn, want)
		}
		det, err := w.s.LetterDetail(sib, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(det.Notices) != 1 || det.Notices[0].Kind != ktgs.NoticeTransfer || !strings.Contains(det.Notices[0].Text, "20/04/2026") {
			t.Errorf("transfer notice %+v", det.Notices)
		}
		// An organisation is handled by the UBKT of the committee above.
		oin := named(w.mS1, w.ubkt1)
		oin.Allegations = []app.AllegationInput{{OrgCode: "NBI-KB-01"}}
		ol, _ := receive(t, w, chair, oin)
		if ol.CompetentBodyID != w.ubkt1 {
			t.Errorf("organisation routing: %d, want %d", ol.CompetentBodyID, w.ubkt1)
		}
		// A name nobody can match is kept for staff, never dropped.
		uin := named(w.mS1, w.ubkt1)
		uin.Allegations = []app.AllegationInput{{AccusedName: "Ông Tư trưởng thôn", AccusedUnit: "thôn Đồng Sơn"}}
		uin.Title, uin.Content = "Phản ánh trưởng thôn", "Trưởng thôn Đồng Sơn thu tiền làm đường của các hộ nhưng không công khai sổ sách thu chi trong hai năm qua."
		ul, _ := receive(t, w, chair, uin)
		if ul.CompetentBodyID != 0 || ul.Allegations[0].Subject != ktgs.AllegedUnknown || ul.Allegations[0].AccusedName != "Ông Tư trưởng thôn" {
			t.Errorf("unmatched accused: %+v", ul.Allegations)
		}
		if _, err := w.s.ClassifyLetter(chair, ul.ID, app.ClassifyInput{}); ktgs.AsError(err) == nil || ktgs.AsError(err).Fields["allegations"].Key != "err.letter.accused_unmatched" {
			t.Errorf("accepting an unmatched letter: %v", err)
		}
	})
}

// TestLetterDuplicates: the same letter again (retyped without diacritics,
// by the same sender) is linked to the first, not handled twice; after a
// conclusion, a resubmission with nothing new is not resolved again.
func TestLetterDuplicates(t *testing.T) {
	lwRun(t, func(t *testing.T, w *csWorld) {
		chair := w.as(t, w.chair)
		first, _ := receive(t, w, chair, named(w.mB1, w.ubkt1))
		again := named(w.mB1, w.ubkt1)
		again.Content = "Kinh gui: " + foldASCII(letterText)
		dup, rc := receive(t, w, chair, again)
		if dup.Status != ktgs.LetterDuplicate || dup.DuplicateOf != first.ID || !rc.Duplicate {
			t.Fatalf("repeat: %s of %d", dup.Status, dup.DuplicateOf)
		}
		other := named(w.mB1, w.ubkt1)
		other.Title = "Tố cáo việc sử dụng xe công"
		other.Content = "Ông Trần Văn Bình thường xuyên dùng xe ô tô của phường để đưa đón gia đình về quê vào các ngày cuối tuần trong năm 2026."
		ol, _ := receive(t, w, chair, other)
		if ol.DuplicateOf != 0 || ol.Status != ktgs.LetterReceived {
			t.Errorf("a different letter against the same member was linked: %s %d", ol.Status, ol.DuplicateOf)
		}
		ls, _, err := w.s.ListLetters(chair, app.LetterQuery{Duplicates: true})
		if err != nil || len(ls) != 1 || ls[0].ID != dup.ID {
			t.Errorf("duplicates filter: %d letters, %v", len(ls), err)
		}
		// Conclude the first; the same letter afterwards is a resubmission
		// with nothing new (R12).
		// Someone else sends the same text about the same member: linked
		// too, but their status page never reveals the other letter.
		otherSender := named(w.mB1, w.ubkt1)
		otherSender.Sender = ktgs.Sender{Name: "Phạm Văn Dũng", Phone: "0987 000 111"}
		dup2, rc2 := receive(t, w, chair, otherSender)
		if dup2.DuplicateOf != first.ID {
			t.Fatalf("same text, other sender: dup of %d", dup2.DuplicateOf)
		}
		l, err := w.s.ClassifyLetter(chair, first.ID, app.ClassifyInput{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			code string
			want ktgs.LetterStatus
		}{{rc.Code, ktgs.LetterAccepted}, {rc2.Code, ktgs.LetterReceived}} {
			if st, err := w.s.LetterStatusByReceipt(ctx, c.code); err != nil || st.Status != c.want {
				t.Errorf("status of a repeat: %+v %v, want %s", st, err, c.want)
			}
		}
		if _, err = w.s.SetLetterTeam(chair, l.ID, []app.TeamMemberInput{{UserID: w.lead.ID, Role: "PRESIDE"}}, 0); err != nil {
			t.Fatal(err)
		}
		if _, err = w.s.ConcludeLetter(w.as(t, w.lead), l.ID, []app.ResultInput{{Seq: 1, Result: ktgs.ResultUnfounded,
			Conclusion: "Không có căn cứ xác định việc nhận tiền."}}, 0); err != nil {
			t.Fatal(err)
		}
		re, _ := receive(t, w, chair, named(w.mB1, w.ubkt1))
		if re.ResubmissionOf != first.ID || re.DuplicateOf != 0 {
			t.Fatalf("resubmission: of %d dup %d", re.ResubmissionOf, re.DuplicateOf)
		}
		re, err = w.s.ClassifyLetter(chair, re.ID, app.ClassifyInput{Reason: "Đã kết luận, không có tài liệu mới."})
		if err != nil || re.Status != ktgs.LetterNotResolved || !strings.Contains(re.Intake, "CONCLUDED_NO_NEW_EVIDENCE") {
			t.Errorf("resubmission classified: %v %v", re, err)
		}
	})
}

// foldASCII strips Vietnamese diacritics the way a sender without a
// Vietnamese keyboard types.
func foldASCII(s string) string {
	r := strings.NewReplacer("ô", "o", "ố", "o", "ồ", "o", "ộ", "o", "ơ", "o", "ờ", "o", "ở", "o", "á", "a", "à", "a", "ả", "a",
		"ạ", "a", "ã", "a", "â", "a", "ấ", "a", "ầ", "a", "ậ", "a", "ă", "a", "ắ", "a", "é", "e", "è", "e", "ê", "e", "ế", "e",
		"ể", "e", "ệ", "e", "í", "i", "ì", "i", "ị", "i", "ó", "o", "ò", "o", "ú", "u", "ù", "u", "ủ", "u", "ư", "u", "ừ", "u",
		"ử", "u", "ự", "u", "ý", "y", "đ", "d", "Đ", "D", "Ô", "O", "T", "T", "ọ", "o", "ổ", "o", "ỏ", "o", "ở", "o", "ợ", "o",
		"ớ", "o", "ễ", "e", "ứ", "u", "ụ", "u", "ĩ", "i", "ỉ", "i", "ã", "a", "ẫ", "a", "ẩ", "a", "ặ", "a", "ằ", "a", "ẳ", "a")
	return r.Replace(s)
}

// TestLetterClockHoldExtensionWithdrawal covers R14's pre-congress hold
// (from the congress date on the committee's term), the one extension and
// the refused second one, and withdrawal with and without coercion.
func TestLetterClockHoldExtensionWithdrawal(t *testing.T) {
	lwRun(t, func(t *testing.T, w *csWorld) {
		chair := w.as(t, w.chair)
		var comm int64
		if err := w.db.View(ctx, func(tx *store.Tx) error {
			b, err := tx.BodyByKind(ctx, w.c1.ID, ktgs.BodyCommittee)
			comm = b.ID
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.AddTerm(ctx, comm, app.TermInput{Name: "2025–2030", Start: d("2025-07-01"), End: d("2030-06-30"),
			CongressDate: d("2026-05-04")}); err != nil {
			t.Fatal(err)
		}
		in := named(w.mB1, w.ubkt1)
		in.CongressRelated = true
		l, _ := receive(t, w, chair, in)
		l, err := w.s.ClassifyLetter(chair, l.ID, app.ClassifyInput{})
		if err != nil || l.Status != ktgs.LetterHeld || !l.DueOn.IsZero() {
			t.Fatalf("pre-congress: %v %v", l, err)
		}
		w.setDay("2026-05-20")
		l, err = w.s.ReleaseLetter(chair, l.ID, 0)
		if want := r14Deadline(t, w, d("2026-05-20")); err != nil || l.Status != ktgs.LetterAccepted || l.DueOn != want {
			t.Fatalf("release: %v %v, want due %s", l, err, want)
		}
		l, err = w.s.ExtendLetter(chair, l.ID, 20, "Cần xác minh thêm tại ngân hàng.", 0)
		if want := r14Deadline(t, w, d("2026-05-20"), 20); err != nil || l.DueOn != want || l.Extensions != 1 {
			t.Fatalf("extension: %v %v, want due %s", l, err, want)
		}
		before := letterByID(t, w, l.ID)
		_, err = w.s.ExtendLetter(chair, l.ID, 10, "Cần thêm thời gian lần nữa.", 0)
		if e := ktgs.AsError(err); e == nil || e.Fields["days"].Key != "err.letter.extension_rejected" || e.Fields["days"].Rule == "" {
			t.Fatalf("second extension: %v", err)
		}
		if after := letterByID(t, w, l.ID); after.DueOn != before.DueOn || after.Extensions != 1 {
			t.Errorf("refused extension changed the letter: %s → %s", before.DueOn, after.DueOn)
		}
		// Withdrawal under coercion: handling goes on; freely: it ends.
		l, err = w.s.WithdrawLetter(chair, l.ID, app.WithdrawInput{Coerced: true, Reason: "Người tố cáo bị đe dọa nên rút đơn."})
		if err != nil || l.Status != ktgs.LetterAccepted {
			t.Fatalf("coerced withdrawal: %v %v", l, err)
		}
		l, err = w.s.WithdrawLetter(chair, l.ID, app.WithdrawInput{Reason: "Người tố cáo tự nguyện rút đơn."})
		if err != nil || l.Status != ktgs.LetterWithdrawn {
			t.Fatalf("withdrawal: %v %v", l, err)
		}
	})
}

// TestLetterRetaliationAndKeys: a denouncer who becomes the subject of a
// proceeding raises a warning to the chair; key rotation re-seals
// identities, keeps them readable and keeps duplicate detection working.
func TestLetterRetaliationAndKeys(t *testing.T) {
	lwRun(t, func(t *testing.T, w *csWorld) {
		chair := w.as(t, w.chair)
		in := named(w.mB1, w.ubkt1)
		in.Sender.MemberID = w.mA1.ID
		l, _ := receive(t, w, chair, in)
		if _, err := w.s.OpenProceeding(chair, app.ProceedingInput{SubjectKind: ktgs.SubjectMember, MemberID: w.mA1.ID, BodyID: w.ubkt1,
			Origin: ktgs.OriginDirect, Category: "DAO_DUC_LOI_SONG", Violation: "Vi phạm đạo đức.", ViolationOn: d("2026-01-10"),
			WarrantedForm: ktgs.FormReprimand}); err != nil {
			t.Fatal(err)
		}
		ns, err := w.s.Notifications(chair)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(ns, func(n store.Notification) bool {
			return strings.HasPrefix(n.Key, "retaliation:") && strings.Contains(n.Text, l.Code)
		}) {
			t.Errorf("no retaliation warning to the chair: %+v", ns)
		}
		if n := auditCount(t, w, "letter.retaliation_warning"); n != 1 {
			t.Errorf("retaliation audit entries %d", n)
		}

		next, err := w.s.Keys.Rotate()
		if err != nil {
			t.Fatal(err)
		}
		oldTag := letterByID(t, w, l.ID).SenderTag
		n, err := w.s.RotateKeys(ctx, next)
		if err != nil || n != 1 {
			t.Fatalf("rotate: %d %v", n, err)
		}
		got := letterByID(t, w, l.ID)
		if got.SenderTag == oldTag || next.NeedsReseal(got.SenderSealed) {
			t.Errorf("not re-sealed: tag same %v", got.SenderTag == oldTag)
		}
		w.s.Keys = next.Pruned()
		if _, err := w.s.SetLetterTeam(chair, l.ID, nil, 0); err == nil {
			t.Error("empty team accepted")
		}
		dup, _ := receive(t, w, chair, in)
		if dup.DuplicateOf != l.ID {
			t.Errorf("after rotation the repeat is not linked: %d", dup.DuplicateOf)
		}
	})
}

// TestLetterBadInput: each bad input is refused on its field and nothing
// is stored.
func TestLetterBadInput(t *testing.T) {
	lwRun(t, func(t *testing.T, w *csWorld) {
		chair := w.as(t, w.chair)
		cases := []struct {
			name, field, key string
			mod              func(*app.LetterInput)
		}{
			{"empty", "content", "err.letter.content_short", func(in *app.LetterInput) { in.Content = "  " }},
			{"huge", "content", "err.too_long", func(in *app.LetterInput) { in.Content = strings.Repeat("Nội dung tố cáo. ", 1300) }},
			{"no title", "title", "err.required", func(in *app.LetterInput) { in.Title = "" }},
			{"named without name", "sender.name", "err.letter.sender_name", func(in *app.LetterInput) { in.Sender.Name = "" }},
			{"in person not read back", "read_back_signed", "err.letter.read_back", func(in *app.LetterInput) { in.Channel = ktgs.ChannelInPerson }},
			{"unknown card", "allegations[0].member_id", "err.letter.accused_not_found", func(in *app.LetterInput) { in.Allegations[0].CardNumber = "99999999" }},
			{"no accused", "allegations", "err.letter.no_accused", func(in *app.LetterInput) { in.Allegations = nil }},
			{"exe as pdf", "files[0]", "err.letter.file_type", func(in *app.LetterInput) {
				in.Files = []app.LetterFileInput{{Name: "bang-chung.pdf", Data: append([]byte("MZ\x90\x00"), make([]byte, 200)...)}}
			}},
			{"future", "received_on", "err.letter.future", func(in *app.LetterInput) { in.ReceivedOn = d("2027-01-01") }},
		}
		for _, c := range cases {
			in := named(w.mB1, w.ubkt1)
			c.mod(&in)
			_, _, err := w.s.ReceiveLetter(chair, in)
			if e := ktgs.AsError(err); e == nil || e.Fields[c.field].Key != c.key {
				t.Errorf("%s: %v, want %s on %s", c.name, err, c.key, c.field)
			}
		}
		if ls, _, _ := w.s.ListLetters(chair, app.LetterQuery{}); len(ls) != 0 {
			t.Errorf("refused letters stored: %d", len(ls))
		}
		// NFD input is stored NFC; a real attachment is kept sealed.
		in := named(w.mB1, w.ubkt1)
		in.Title = "To\u0302\u0301 ca\u0301o" // "Tố cáo" decomposed
		in.Files = []app.LetterFileInput{{Name: "bien-ban.txt", Data: []byte("Biên bản làm việc ngày 01/04/2026.\n")}}
		l, _ := receive(t, w, chair, in)
		if l.Title != "Tố cáo" {
			t.Errorf("title %q not NFC", l.Title)
		}
		det, _ := w.s.LetterDetail(chair, l.ID)
		if len(det.Files) != 1 || det.Files[0].Mime != "text/plain; charset=utf-8" && !strings.HasPrefix(det.Files[0].Mime, "text/plain") {
			t.Errorf("files %+v", det.Files)
		}
		// A missing key refuses to record rather than store in clear.
		w.s.Keys = nil
		if _, _, err := w.s.ReceiveLetter(chair, named(w.mB1, w.ubkt1)); ktgs.AsError(err) == nil || ktgs.AsError(err).Message != "err.letter.no_key" {
			t.Errorf("no key: %v", err)
		}
	})
}

// TestPublicLetter: the public form records a letter at the portal's body
// and the receipt code answers with the status only.
func TestPublicLetter(t *testing.T) {
	lwRun(t, func(t *testing.T, w *csWorld) {
		in := named(w.mB1, 0)
		in.Allegations = []app.AllegationInput{{AccusedName: "Trần Văn Bình", AccusedUnit: "Chi bộ Tân Lang"}}
		rc, err := w.s.SubmitPublicLetter(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		st, err := w.s.LetterStatusByReceipt(ctx, " "+strings.ReplaceAll(rc.Code, "-", " ")+" ")
		if err != nil || st.Status != ktgs.LetterReceived {
			t.Fatalf("status: %+v %v", st, err)
		}
		b, _ := json.Marshal(st)
		if strings.Contains(string(b), "Bình") || strings.Contains(string(b), "ĐT-") {
			t.Errorf("status leaks: %s", b)
		}
		for _, bad := range []string{"", "abc", strings.Repeat("A", 23), strings.Repeat("A", 24) + "!"} {
			if _, err := w.s.LetterStatusByReceipt(ctx, bad); ktgs.AsError(err) == nil || ktgs.AsError(err).Fields["receipt_code"].Key != "err.letter.receipt_format" {
				t.Errorf("malformed %q: %v", bad, err)
			}
		}
		if _, err := w.s.LetterStatusByReceipt(ctx, strings.Repeat("A", 24)); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
			t.Errorf("unknown code: %v", err)
		}
		ls, _, err := w.s.ListLetters(w.as(t, w.chair), app.LetterQuery{})
		if err != nil || len(ls) != 1 || ls[0].Channel != ktgs.ChannelPublicForm || ls[0].HolderBodyID != w.ubkt1 {
			t.Fatalf("public letter in the inbox: %v", err)
		}
	})
}
