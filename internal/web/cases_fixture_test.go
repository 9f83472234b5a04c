package web_test

import (
	"testing"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/civil"
	"ktgs/internal/store"
)

// caseWorld is a concluded inspection case in Ninh Bình with everything
// a case can carry, for the route and page tests.
type caseWorld struct {
	caseID, findingID, remID, fileID, docID, draftID, programmeID, itemID, leadID int64
	violationID, procID, suspID, complaintID, decidedID                           int64
	card                                                                          string
}

// pdfBytes is a minimal PDF.
var pdfBytes = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// buildCase runs a KT_DHVP case of the UBKT of xã Gia Tường on Chi bộ
// thôn Đoàn Kết and one of its members through to the conclusion, as the
// system, with kiemtra (the demo inspection cadre) leading the team.
func buildCase(t *testing.T, db *store.DB, svc *app.Service) caseWorld {
	t.Helper()
	ctx := app.AsSystem(ctx)
	var w caseWorld
	x := lookup(t, db)
	db.View(ctx, func(tx *store.Tx) error {
		m, err := tx.Member(ctx, x.member, civil.MustParse("2026-11-28"))
		if err != nil {
			t.Fatal(err)
		}
		w.card = m.CardNumber
		u, err := tx.UserByName(ctx, "kiemtra")
		if err != nil {
			t.Fatal(err)
		}
		w.leadID = u.ID
		return nil
	})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	d := func(s string) civil.Date { return civil.MustParse(s) }
	c, err := svc.ProposeCase(ctx, app.CaseInput{Kind: ktgs.CaseKindKTDHVP, OrgCode: "P19-O1-D01-C01", BodyKind: ktgs.BodyInspectionCommission,
		Title: "Kiểm tra khi có dấu hiệu vi phạm tại Chi bộ thôn Đoàn Kết", Content: "Việc quản lý quỹ chi bộ năm 2026.",
		ProposedOn: d("2026-11-11"), Subjects: []app.SubjectInput{{Kind: ktgs.SubjectOrg, OrgCode: "P19-O1-D01-C01-VM1"}, {Kind: ktgs.SubjectMember, CardNumber: w.card}}})
	must(err)
	w.caseID = c.ID
	step := func(in app.TransitionInput) {
		t.Helper()
		if _, err := svc.Transition(ctx, c.ID, in); err != nil {
			t.Fatalf("%s: %v", in.Name, err)
		}
	}
	step(app.TransitionInput{Name: ktgs.TransDecide, Date: d("2026-11-12"), StartOn: d("2026-11-16"), DurationDays: 30})
	must(svc.AddTeamMember(ctx, c.ID, w.leadID, ktgs.TeamRoleLead))
	step(app.TransitionInput{Name: ktgs.TransFormTeam, Date: d("2026-11-13")})
	step(app.TransitionInput{Name: ktgs.TransAnnounce, Date: d("2026-11-16")})
	must(svc.RecordSubjectDoc(ctx, c.ID, 1, "self_report", d("2026-11-18"), &app.FileInput{Name: "bao-cao.pdf", Data: pdfBytes}))
	must(svc.RecordSubjectDoc(ctx, c.ID, 2, "self_report", d("2026-11-18"), nil))
	step(app.TransitionInput{Name: ktgs.TransSelfReport, Date: d("2026-11-19")})
	step(app.TransitionInput{Name: ktgs.TransVerify, Date: d("2026-11-20")})
	f, err := svc.AddFinding(ctx, c.ID, app.FindingInput{SubjectSeq: 1, Kind: ktgs.FindingStrength, Text: "Sinh hoạt chi bộ đều đặn, có chuyên đề", Spread: true})
	must(err)
	w.findingID = f.ID
	_, err = svc.AddFinding(ctx, c.ID, app.FindingInput{SubjectSeq: 2, Kind: ktgs.FindingShortcoming, Text: "Chậm nộp báo cáo thu chi quỹ"})
	must(err)
	v, err := svc.AddFinding(ctx, c.ID, app.FindingInput{SubjectSeq: 2, Kind: ktgs.FindingViolation, Text: "Sử dụng quỹ chi bộ sai mục đích",
		Category: "TAI_CHINH_DAT_DAI", WarrantsDiscipline: true})
	must(err)
	w.violationID = v.ID
	step(app.TransitionInput{Name: ktgs.TransDraftReport, Date: d("2026-11-23")})
	must(svc.RecordSubjectDoc(ctx, c.ID, 1, "comments", d("2026-11-24"), nil))
	must(svc.RecordSubjectDoc(ctx, c.ID, 2, "comments", d("2026-11-24"), nil))
	step(app.TransitionInput{Name: ktgs.TransMeet, Date: d("2026-11-25")})
	step(app.TransitionInput{Name: ktgs.TransConclude, Date: d("2026-11-26"),
		Remediations: []app.RemediationInput{{SubjectSeq: 2, Text: "Nộp đủ báo cáo thu chi quỹ", DueOn: d("2026-12-31")}}})
	detail, err := svc.CaseDetail(ctx, c.ID)
	must(err)
	w.remID = detail.Remediations[0].ID
	w.fileID = detail.Files[0].ID
	doc, err := svc.CreateDocument(ctx, c.ID, app.DocDecision)
	must(err)
	_, err = svc.IssueDocument(ctx, doc.ID, app.IssueInput{Date: d("2026-11-12")})
	must(err)
	w.docID = doc.ID
	draft, err := svc.CreateDocument(ctx, c.ID, app.DocConclusion)
	must(err)
	w.draftID = draft.ID
	p, err := svc.AdoptProgramme(ctx, app.ProgrammeInput{OrgCode: "P19-O1-D01-C01", BodyKind: ktgs.BodyInspectionCommission, Kind: ktgs.ProgrammeAnnual,
		Year: 2026, Title: "Chương trình kiểm tra, giám sát năm 2026 của Ủy ban Kiểm tra Đảng ủy xã Gia Tường", AdoptedOn: d("2026-01-05"),
		Items: []app.ProgrammeItemInput{{Kind: ktgs.CaseKindGSChuyenDe, Subject: app.SubjectInput{Kind: ktgs.SubjectOrg, OrgCode: "P19-O1-D01-C01-VM1"},
			Content: "Giám sát việc thực hiện nghị quyết chi bộ", From: d("2026-12-01"), To: d("2026-12-20"), Lead: "kiemtra"}}})
	must(err)
	w.programmeID, w.itemID = p.ID, p.Items[0].ID
	// A discipline proceeding opened from the violation, by the commune's
	// UBKT, heard and waiting for its ballot.
	pr, err := svc.OpenProceeding(ctx, app.ProceedingInput{Origin: ktgs.OriginFinding, FindingID: v.ID, BodyOrgCode: "P19-O1-D01-C01",
		BodyKind: ktgs.BodyInspectionCommission, ViolationOn: d("2026-10-15"), WarrantedForm: ktgs.FormReprimand, OpenedOn: d("2026-11-26")})
	must(err)
	_, err = svc.Hear(ctx, pr.ID, app.HearInput{HeardOn: d("2026-11-27"), SelfCriticismOn: d("2026-11-27")})
	must(err)
	w.procID = pr.ID
	sp, err := svc.Suspend(ctx, app.SuspensionInput{ProceedingID: pr.ID, BodyOrgCode: "P19-O1-D01-C01", BodyKind: ktgs.BodyInspectionCommission,
		DecidedOn: d("2026-11-27"), Reason: "Cản trở việc xem xét kỷ luật"})
	must(err)
	w.suspID = sp.ID
	// A complaint about the demo's decided chi bộ reprimand.
	decided, _, err := svc.ListProceedings(ctx, app.ProceedingQuery{Status: ktgs.ProcDecided, Limit: 1})
	must(err)
	if len(decided) != 1 {
		t.Fatalf("the demo has %d decided proceedings", len(decided))
	}
	w.decidedID = decided[0].ID
	cpl, err := svc.FileComplaint(ctx, app.ComplaintInput{ProceedingID: decided[0].ID, ComplainantKind: ktgs.SubjectMember,
		ComplainantMemberID: decided[0].MemberID, Content: "Đề nghị xem xét lại hình thức kỷ luật", FiledOn: d("2026-11-25"),
		ReceivedDecisionOn: d("2026-11-22")})
	must(err)
	w.complaintID = cpl.ID
	_ = time.Second
	return w
}
