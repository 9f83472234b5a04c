package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/rules"
	"ktgs/internal/store"
)

// Complaints about discipline (RULES.md §4) on the discipline world: a
// decided proceeding is complained about before the level R11 names, R10
// decides whether the complaint is accepted, and each level's decision
// applies to the proceeding only once made.

// decided takes a proceeding against member m by body (as actx) from the
// opening to the decision announced on 16/4/2026.
func (w *dsWorld) decided(t *testing.T, actx context.Context, m *ktgs.Member, body int64, category string, form ktgs.DisciplineForm) *ktgs.Proceeding {
	t.Helper()
	p := w.open(t, actx, app.ProceedingInput{SubjectKind: ktgs.SubjectMember, MemberID: m.ID, BodyID: body, Origin: ktgs.OriginDirect,
		Category: category, Violation: "Vi phạm quy định về những điều đảng viên không được làm.", ViolationOn: d("2026-02-14"),
		WarrantedForm: form})
	w.hear(t, actx, p, "2026-04-14")
	p = w.vote(t, actx, p, app.VoteInput{HeldOn: d("2026-04-15"), Official: 9, Votes: map[string]int{string(form): 8}}, ktgs.ProcVoted)
	if _, ok := w.term[p.BodyID]; !ok {
		tm, err := w.s.AddTerm(ctx, p.BodyID, app.TermInput{Name: "2025–2030", Start: d("2025-07-01")})
		if err != nil {
			t.Fatal(err)
		}
		w.term[p.BodyID] = tm.ID
	}
	p, err := w.s.Decide(actx, p.ID, app.DecideInput{DecidedOn: d("2026-04-16")})
	if err != nil {
		t.Fatalf("Decide: %v", err)
	}
	if p.Status != ktgs.ProcDecided || p.AnnouncedOn != d("2026-04-16") {
		t.Fatalf("decided: %s announced %s", p.Status, p.AnnouncedOn)
	}
	return p
}

// cpState is what a refused complaint request must leave untouched.
type cpState struct {
	complaints, events int
	statuses           string
	seq                int64
	status             ktgs.ProceedingStatus
	form               ktgs.DisciplineForm
	procEvents         int
}

func (w *dsWorld) cpState(t *testing.T, procID int64) cpState {
	t.Helper()
	var st cpState
	err := w.db.View(ctx, func(tx *store.Tx) error {
		cs, err := tx.ProceedingComplaints(ctx, procID)
		if err != nil {
			return err
		}
		st.complaints = len(cs)
		for _, c := range cs {
			ev, err := tx.ComplaintEvents(ctx, c.ID)
			if err != nil {
				return err
			}
			st.events += len(ev)
			st.statuses += string(c.Status) + ","
		}
		if st.seq, _, err = tx.AuditHead(ctx); err != nil {
			return err
		}
		p, err := tx.Proceeding(ctx, procID)
		if err != nil {
			return err
		}
		st.status, st.form = p.Status, p.Form
		pe, err := tx.ProceedingEvents(ctx, procID)
		st.procEvents = len(pe)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// cpRefused checks that do fails on field with key (or with code key when
// field is empty), citing a rule containing cite when set, and that
// nothing stored about proceeding procID changed.
func (w *dsWorld) cpRefused(t *testing.T, what string, procID int64, field, key, cite string, do func() error) *ktgs.Error {
	t.Helper()
	before := w.cpState(t, procID)
	err := do()
	e := ktgs.AsError(err)
	switch {
	case e == nil:
		t.Errorf("%s: accepted (err=%v), want a refusal", what, err)
	case field == "" && e.Code != key:
		t.Errorf("%s: %v, want code %s", what, err, key)
	case field != "" && (e.Code != ktgs.EINVALID || e.Fields[field].Key != key):
		t.Errorf("%s: %v, want %s on field %s", what, err, key, field)
	case cite != "" && !strings.Contains(e.Fields[field].Rule, cite):
		t.Errorf("%s: rule %q, want one citing %q", what, e.Fields[field].Rule, cite)
	}
	if after := w.cpState(t, procID); after != before {
		t.Errorf("%s: refused but stored something: %+v → %+v", what, before, after)
	}
	return e
}

func (w *dsWorld) complaintRules(t *testing.T, actx context.Context, id int64) map[string]rules.Decision {
	t.Helper()
	det, err := w.s.ComplaintDetail(actx, id)
	if err != nil {
		t.Fatalf("ComplaintDetail: %v", err)
	}
	e := det.Events[len(det.Events)-1]
	out := map[string]rules.Decision{}
	if e.Rules != "" {
		if err := json.Unmarshal([]byte(e.Rules), &out); err != nil {
			t.Fatalf("event rules: %v", err)
		}
	}
	return out
}

func (w *dsWorld) body(t *testing.T, org int64, k ktgs.BodyKind) *ktgs.Body {
	t.Helper()
	var b *ktgs.Body
	if err := w.db.View(ctx, func(tx *store.Tx) error {
		var err error
		b, err = tx.BodyByKind(ctx, org, k)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return b
}

// centralChair adds the chair of the Central Inspection Commission (scope
// the whole Party).
func (w *dsWorld) centralChair(t *testing.T) *ktgs.User {
	t.Helper()
	u := &ktgs.User{Username: "chunhiem.tw", DisplayName: "Chủ nhiệm UBKT Trung ương", Role: authz.RoleChair, Clearance: authz.TopSecret,
		Scope: []int64{w.root.ID}}
	if err := w.db.Update(ctx, func(tx *store.Tx) error { return tx.InsertUser(ctx, u) }); err != nil {
		t.Fatal(err)
	}
	return u
}

func (w *dsWorld) auditActions(t *testing.T, objectType string, id int64) []string {
	t.Helper()
	var out []string
	err := w.db.View(ctx, func(tx *store.Tx) error {
		es, err := tx.AuditEntries(ctx, store.AuditFilter{System: true, ObjectType: objectType, ObjectID: fmt.Sprint(id), Limit: 100})
		for i := len(es) - 1; i >= 0; i-- {
			out = append(out, es[i].Action)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

const cpContent = "Đề nghị xem xét lại: hình thức kỷ luật không tương xứng với nội dung vi phạm."

// TestComplaintDay31NotAccepted: RULES.md §12 R10. A complaint about a
// decision announced on 16/4/2026 filed on day 31 (17/5) is not accepted:
// refused with the deadline's article, nothing stored. Filed on day 30 it
// is accepted before the commune's UBKT (R11: a chi bộ's decision is first
// heard by the nearest UBKT above), and the discipline stays in force.
func TestComplaintDay31NotAccepted(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		p := w.decided(t, w.as(t, w.sec), w.mB2, w.chiboB, "DAO_DUC_LOI_SONG", ktgs.FormReprimand)
		w.setDay("2026-05-20")
		chair := w.as(t, w.chair)
		in := app.ComplaintInput{ProceedingID: p.ID, ComplainantMemberID: w.mB2.ID, Content: cpContent, FiledOn: d("2026-05-17"),
			ReceivedDecisionOn: d("2026-04-16")}
		e := w.cpRefused(t, "a complaint filed on day 31", p.ID, "filed_on", "err.complaint.late", "25.1", func() error {
			_, err := w.s.FileComplaint(chair, in)
			return err
		})
		if e != nil && (len(e.Fields["filed_on"].Args) != 2 || e.Fields["filed_on"].Args[0] != 31 || e.Fields["filed_on"].Args[1] != "16/05/2026") {
			t.Errorf("the refusal does not say day 31 after 16/05/2026: %v", e.Fields["filed_on"].Args)
		}
		in.FiledOn = d("2026-05-16")
		c, err := w.s.FileComplaint(chair, in)
		if err != nil {
			t.Fatalf("a complaint on day 30: %v", err)
		}
		if c.Status != ktgs.ComplaintPending || c.Level != 1 || c.ResolverBodyID != w.ubkt1 || c.FinalLevel || c.DeadlineOn != d("2026-05-16") ||
			!strings.HasPrefix(c.Code, "KN-2026-") || c.FormBefore != ktgs.FormReprimand || c.ComplainantName != w.mB2.FullName {
			t.Errorf("filed: %+v", c)
		}
		r := w.complaintRules(t, chair, c.ID)
		if r["R10"].Outcome != "ACCEPTED" || r["R11"].Outcome != "OPEN" || len(r["R10"].Citations) == 0 {
			t.Errorf("filing rules: R10 %s, R11 %s", r["R10"].Outcome, r["R11"].Outcome)
		}
		// The discipline stays in force while the complaint is pending.
		if st := w.cpState(t, p.ID); st.status != ktgs.ProcDecided || st.form != ktgs.FormReprimand {
			t.Errorf("the proceeding changed on filing: %+v", st)
		}
		if recs, err := w.s.MemberDiscipline(chair, w.mB2.ID); err != nil || len(recs) != 1 || recs[0].Effect != "ACTIVE" {
			t.Errorf("discipline while the complaint is pending: %+v %v", recs, err)
		}
		if got := w.auditActions(t, "complaint", c.ID); !slices.Equal(got, []string{"complaint.file"}) {
			t.Errorf("audit: %v", got)
		}
		list, err := w.s.ProceedingComplaints(chair, p.ID)
		if err != nil || len(list) != 1 || list[0].ID != c.ID {
			t.Errorf("ProceedingComplaints: %v %v", list, err)
		}
		all, _, err := w.s.ListComplaints(chair, app.ComplaintQuery{Status: ktgs.ComplaintPending})
		if err != nil || len(all) != 1 || all[0].ProceedingCode != p.Code {
			t.Errorf("ListComplaints: %v %v", all, err)
		}
	})
}

// TestComplaintRefusals: the bad input of the issue, each refused with the
// rule and its article, nothing stored.
func TestComplaintRefusals(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		p := w.decided(t, w.as(t, w.sec), w.mB2, w.chiboB, "DAO_DUC_LOI_SONG", ktgs.FormReprimand)
		w.setDay("2026-04-25")
		chair := w.as(t, w.chair)
		base := app.ComplaintInput{ProceedingID: p.ID, ComplainantMemberID: w.mB2.ID, Content: cpContent, FiledOn: d("2026-04-24"),
			ReceivedDecisionOn: d("2026-04-17")}
		with := func(f func(*app.ComplaintInput)) app.ComplaintInput { in := base; f(&in); return in }
		for _, c := range []struct {
			name, field, key, cite string
			in                     app.ComplaintInput
		}{
			{"a complaint from someone other than the disciplined member", "complainant_member_id", "err.complaint.on_behalf", "Điều 23",
				with(func(in *app.ComplaintInput) { in.ComplainantMemberID = w.mB1.ID })},
			{"a complaint in the name of the chi bộ about a member's discipline", "complainant_org_id", "err.complaint.on_behalf", "Điều 23",
				with(func(in *app.ComplaintInput) { in.ComplainantMemberID, in.ComplainantOrgID = 0, w.b.ID })},
			{"a complaint filed before the written decision was received", "received_decision_on", "err.complaint.before_decision", "Điều 23",
				with(func(in *app.ComplaintInput) { in.FiledOn, in.ReceivedDecisionOn = d("2026-04-18"), d("2026-04-20") })},
			{"a complaint filed before the decision was announced", "filed_on", "err.complaint.before_decision", "Điều 23",
				with(func(in *app.ComplaintInput) { in.FiledOn, in.ReceivedDecisionOn = d("2026-04-15"), 0 })},
			{"a member sentenced by a court", "court_sentence", "err.complaint.court_sentence", "Điều 23",
				with(func(in *app.ComplaintInput) { in.CourtSentence = true })},
			{"no complainant", "complainant_member_id", "err.required", "", with(func(in *app.ComplaintInput) { in.ComplainantMemberID = 0 })},
			{"no content", "content", "err.required", "", with(func(in *app.ComplaintInput) { in.Content = " " })},
			{"a filing date in the future", "filed_on", "err.complaint.future", "", with(func(in *app.ComplaintInput) { in.FiledOn = d("2026-05-01") })},
			{"no proceeding", "proceeding_id", "err.required", "", with(func(in *app.ComplaintInput) { in.ProceedingID = 0 })},
		} {
			w.cpRefused(t, c.name, p.ID, c.field, c.key, c.cite, func() error {
				_, err := w.s.FileComplaint(chair, c.in)
				return err
			})
		}
		// Who may record it: not a viewer, not a chi bộ secretary (the
		// complaint comes before the commune's UBKT, outside their scope),
		// not the sibling commune.
		w.cpRefused(t, "a viewer", p.ID, "", ktgs.EFORBIDDEN, "", func() error {
			_, err := w.s.FileComplaint(w.as(t, w.viewer), base)
			return err
		})
		w.cpRefused(t, "the chi bộ's secretary", p.ID, "", ktgs.ENOTFOUND, "", func() error {
			_, err := w.s.FileComplaint(w.as(t, w.sec), base)
			return err
		})
		w.cpRefused(t, "another commune", p.ID, "proceeding_id", "err.not_found", "", func() error {
			_, err := w.s.FileComplaint(w.as(t, w.sib), base)
			return err
		})
		// Only a decided discipline is complained about.
		open := w.open(t, chair, app.ProceedingInput{SubjectKind: ktgs.SubjectMember, MemberID: w.mA1.ID, BodyID: w.chiboA, Origin: ktgs.OriginDirect,
			Category: "DAO_DUC_LOI_SONG", Violation: "Vi phạm.", ViolationOn: d("2026-03-01"), WarrantedForm: ktgs.FormReprimand})
		w.cpRefused(t, "a proceeding not decided", open.ID, "", ktgs.ECONFLICT, "", func() error {
			_, err := w.s.FileComplaint(chair, app.ComplaintInput{ProceedingID: open.ID, ComplainantMemberID: w.mA1.ID, Content: cpContent})
			return err
		})

		c, err := w.s.FileComplaint(chair, base)
		if err != nil {
			t.Fatalf("FileComplaint: %v", err)
		}
		w.cpRefused(t, "a second complaint while one is being resolved", p.ID, "proceeding_id", "err.complaint.being_resolved", "Điều 23", func() error {
			_, err := w.s.FileComplaint(chair, base)
			return err
		})
		w.cpRefused(t, "an escalation before the resolution", p.ID, "", ktgs.ECONFLICT, "", func() error {
			_, err := w.s.EscalateComplaint(w.as(t, w.provChair), c.ID, base)
			return err
		})
		res := app.ResolveComplaintInput{Outcome: ktgs.OutcomeChangeForm, Resolution: "Xét thấy hình thức chưa tương xứng."}
		withR := func(f func(*app.ResolveComplaintInput)) app.ResolveComplaintInput { in := res; f(&in); return in }
		for _, r := range []struct {
			name, field, key string
			in               app.ResolveComplaintInput
		}{
			{"a change of form without the form", "new_form", "err.required", res},
			{"a change to the same form", "new_form", "err.complaint.same_form", withR(func(in *app.ResolveComplaintInput) { in.NewForm = ktgs.FormReprimand })},
			{"a form on an upholding", "new_form", "err.complaint.change_only",
				withR(func(in *app.ResolveComplaintInput) { in.Outcome, in.NewForm = ktgs.OutcomeUphold, ktgs.FormWarning })},
			{"an unknown outcome", "outcome", "err.complaint.outcome", withR(func(in *app.ResolveComplaintInput) { in.Outcome = "PARDON" })},
			{"a form a member without a post cannot receive", "new_form", "rules.err.removal_no_post",
				withR(func(in *app.ResolveComplaintInput) { in.NewForm = ktgs.FormRemoval })},
			{"a dissolution of a member", "new_form", "", withR(func(in *app.ResolveComplaintInput) { in.NewForm = ktgs.FormDissolution })},
			{"no reasons", "resolution", "err.required",
				withR(func(in *app.ResolveComplaintInput) { in.Outcome, in.Resolution = ktgs.OutcomeUphold, "" })},
			{"a resolution before the filing", "resolved_on", "err.date_not_before",
				withR(func(in *app.ResolveComplaintInput) { in.Outcome, in.ResolvedOn = ktgs.OutcomeUphold, d("2026-04-20") })},
		} {
			before := w.cpState(t, p.ID)
			_, err := w.s.ResolveComplaint(chair, c.ID, r.in)
			e := ktgs.AsError(err)
			if e == nil || e.Code != ktgs.EINVALID || e.Fields[r.field].Key == "" || (r.key != "" && e.Fields[r.field].Key != r.key) {
				t.Errorf("%s: %v, want %s on %s", r.name, err, r.key, r.field)
			}
			if after := w.cpState(t, p.ID); after != before {
				t.Errorf("%s: stored something", r.name)
			}
		}
		// The disciplined member, as a cadre of the commission, may not
		// resolve the complaint about their own discipline; the chi bộ's
		// secretary may not either (the level is the commune's).
		w.cpRefused(t, "the complainant resolving", p.ID, "", ktgs.EFORBIDDEN, "", func() error {
			_, err := w.s.ResolveComplaint(w.as(t, w.sameMem), c.ID, withR(func(in *app.ResolveComplaintInput) { in.Outcome = ktgs.OutcomeAnnul }))
			return err
		})
		w.cpRefused(t, "the chi bộ's secretary resolving", p.ID, "", ktgs.ENOTFOUND, "", func() error {
			_, err := w.s.ResolveComplaint(w.as(t, w.sec), c.ID, withR(func(in *app.ResolveComplaintInput) { in.Outcome = ktgs.OutcomeAnnul }))
			return err
		})
		// Withdrawn, it may be filed again within the deadline.
		if got, err := w.s.WithdrawComplaint(chair, c.ID, app.WithdrawComplaintInput{Reason: "Đảng viên rút đơn."}); err != nil || got.Status != ktgs.ComplaintWithdrawn {
			t.Fatalf("Withdraw: %v %v", got, err)
		}
		w.cpRefused(t, "a resolution after the withdrawal", p.ID, "", ktgs.ECONFLICT, "", func() error {
			_, err := w.s.ResolveComplaint(chair, c.ID, withR(func(in *app.ResolveComplaintInput) { in.Outcome = ktgs.OutcomeUphold }))
			return err
		})
		if _, err := w.s.FileComplaint(chair, with(func(in *app.ComplaintInput) { in.FiledOn = d("2026-04-25") })); err != nil {
			t.Errorf("a new complaint after the withdrawal: %v", err)
		}
	})
}

// TestComplaintEscalatedToFinalLevel: a chi bộ's reprimand is complained
// about before the commune's UBKT, which upholds it; the complaint goes up
// one level, to the province's UBKT (its deadline counted from the
// announcement of the commune's decision: day 31 refused), which upholds
// it too; it goes up to the final level (R11: UBKTTW for a reprimand),
// which upholds it; an escalation beyond is refused with the article, and
// a fresh complaint is refused as concluded by the highest level.
func TestComplaintEscalatedToFinalLevel(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		p := w.decided(t, w.as(t, w.sec), w.mB2, w.chiboB, "DAO_DUC_LOI_SONG", ktgs.FormReprimand)
		provUBKT := w.body(t, w.prov.ID, ktgs.BodyInspectionCommission)
		twUBKT := w.body(t, w.root.ID, ktgs.BodyInspectionCommission)
		chair, prov, tw := w.as(t, w.chair), w.as(t, w.provChair), w.as(t, w.centralChair(t))
		in := app.ComplaintInput{ComplainantMemberID: w.mB2.ID, Content: cpContent}

		// Level 1: the commune's UBKT upholds.
		w.setDay("2026-04-20")
		first := in
		first.ProceedingID = p.ID
		c1, err := w.s.FileComplaint(chair, first)
		if err != nil {
			t.Fatalf("FileComplaint: %v", err)
		}
		w.setDay("2026-05-05")
		if c1, err = w.s.ResolveComplaint(chair, c1.ID, app.ResolveComplaintInput{Outcome: ktgs.OutcomeUphold,
			Resolution: "Quyết định kỷ luật đúng người, đúng vi phạm."}); err != nil {
			t.Fatalf("resolve at the commune: %v", err)
		}
		if c1.Status != ktgs.ComplaintResolved || c1.Outcome != ktgs.OutcomeUphold || c1.ResultAnnouncedOn != d("2026-05-05") {
			t.Errorf("commune decision: %+v", c1)
		}
		if det, _ := w.s.ComplaintDetail(chair, c1.ID); det == nil || !slices.Contains(det.Next, ktgs.StepComplaintEscalate) {
			t.Errorf("escalation not offered after the commune's decision: %+v", det)
		}

		// Level 2: the province. Day 31 after the commune's decision is late.
		w.setDay("2026-06-10")
		late := in
		late.FiledOn = d("2026-06-05")
		w.cpRefused(t, "an escalation on day 31", p.ID, "filed_on", "err.complaint.late", "25.1", func() error {
			_, err := w.s.EscalateComplaint(prov, c1.ID, late)
			return err
		})
		w.cpRefused(t, "the commune recording the province's complaint", p.ID, "", ktgs.ENOTFOUND, "", func() error {
			_, err := w.s.EscalateComplaint(chair, c1.ID, in)
			return err
		})
		w.cpRefused(t, "an escalation by someone else", p.ID, "complainant_member_id", "err.complaint.on_behalf", "Điều 23", func() error {
			other := in
			other.ComplainantMemberID = w.mB1.ID
			_, err := w.s.EscalateComplaint(prov, c1.ID, other)
			return err
		})
		in.FiledOn = d("2026-06-04")
		c2, err := w.s.EscalateComplaint(prov, c1.ID, in)
		if err != nil {
			t.Fatalf("escalate to the province: %v", err)
		}
		if c2.Level != 2 || c2.PrevID != c1.ID || c2.ResolverBodyID != provUBKT.ID || c2.FinalLevel || c2.DecisionAnnouncedOn != d("2026-05-05") {
			t.Errorf("level 2: %+v", c2)
		}
		if r := w.complaintRules(t, prov, c2.ID); r["R11"].Outcome != "ESCALATION_ALLOWED" || r["R10"].Outcome != "ACCEPTED" {
			t.Errorf("level 2 rules: R11 %s R10 %s", r["R11"].Outcome, r["R10"].Outcome)
		}
		if det, err := w.s.ComplaintDetail(chair, c1.ID); err != nil || det.Complaint.Status != ktgs.ComplaintEscalated || len(det.Chain) != 2 {
			t.Errorf("level 1 after the escalation: %+v %v", det, err)
		}
		w.cpRefused(t, "the commune resolving the province's complaint", p.ID, "", ktgs.ENOTFOUND, "", func() error {
			_, err := w.s.ResolveComplaint(chair, c2.ID, app.ResolveComplaintInput{Outcome: ktgs.OutcomeAnnul, Resolution: "Hủy."})
			return err
		})
		if det, err := w.s.ComplaintDetail(prov, c2.ID); err != nil || !slices.Contains(det.Next, ktgs.StepComplaintResolve) || !det.CanWrite {
			t.Errorf("the province cannot resolve: %+v %v", det, err)
		}
		// Upheld at the provincial level.
		if c2, err = w.s.ResolveComplaint(prov, c2.ID, app.ResolveComplaintInput{Outcome: ktgs.OutcomeUphold,
			Resolution: "Giữ nguyên hình thức khiển trách."}); err != nil || c2.Outcome != ktgs.OutcomeUphold {
			t.Fatalf("resolve at the province: %v %v", c2, err)
		}

		// Level 3: the final level.
		w.setDay("2026-06-20")
		in.FiledOn = d("2026-06-20")
		c3, err := w.s.EscalateComplaint(tw, c2.ID, in)
		if err != nil {
			t.Fatalf("escalate to the final level: %v", err)
		}
		if c3.Level != 3 || c3.ResolverBodyID != twUBKT.ID || !c3.FinalLevel {
			t.Errorf("level 3: %+v", c3)
		}
		r := w.complaintRules(t, tw, c3.ID)
		if res, _ := json.Marshal(r["R11"].Result); r["R11"].Outcome != "ESCALATION_ALLOWED" ||
			!strings.Contains(string(res), fmt.Sprintf(`"final_level":{"kind":"UBKT","org_id":%d`, w.root.ID)) {
			t.Errorf("level 3 R11: %s %s", r["R11"].Outcome, res)
		}
		w.setDay("2026-07-01")
		if c3, err = w.s.ResolveComplaint(tw, c3.ID, app.ResolveComplaintInput{Outcome: ktgs.OutcomeUphold,
			Resolution: "Giữ nguyên."}); err != nil {
			t.Fatalf("resolve at the final level: %v", err)
		}
		if det, _ := w.s.ComplaintDetail(tw, c3.ID); det == nil || slices.Contains(det.Next, ktgs.StepComplaintEscalate) {
			t.Errorf("escalation offered after the final level: %+v", det)
		}
		in.FiledOn = d("2026-07-01")
		w.cpRefused(t, "an escalation beyond the final level", p.ID, "escalate_to", "err.complaint.escalation_refused", "Điều 22", func() error {
			_, err := w.s.EscalateComplaint(tw, c3.ID, in)
			return err
		})
		first.FiledOn = d("2026-07-01")
		w.cpRefused(t, "a new complaint after the final level", p.ID, "proceeding_id", "err.complaint.concluded", "Điều 23", func() error {
			_, err := w.s.FileComplaint(tw, first)
			return err
		})
		// Upheld throughout: the discipline is as decided.
		if st := w.cpState(t, p.ID); st.status != ktgs.ProcDecided || st.form != ktgs.FormReprimand {
			t.Errorf("the proceeding changed: %+v", st)
		}
		if got := w.auditActions(t, "complaint", c1.ID); !slices.Equal(got, []string{"complaint.file", "complaint.resolve", "complaint.escalate"}) {
			t.Errorf("audit of level 1: %v", got)
		}
		if got := w.auditActions(t, "complaint", c3.ID); !slices.Equal(got, []string{"complaint.file", "complaint.resolve"}) {
			t.Errorf("audit of level 3: %v", got)
		}
	})
}

// TestComplaintOutcomes: an annulment sets the proceeding ANNULLED (and
// ends the complaint path); a lighter form is always within the
// resolver's power; a heavier one within its authority (R2) changes the
// form, beyond it the complaint goes to the competent body R2 names.
func TestComplaintOutcomes(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		sec, chair := w.as(t, w.sec), w.as(t, w.chair)
		annul := w.decided(t, sec, w.mB2, w.chiboB, "DAO_DUC_LOI_SONG", ktgs.FormReprimand)
		lighter := w.decided(t, chair, w.mA2, w.ubkt1, "DAO_DUC_LOI_SONG", ktgs.FormWarning)
		heavier := w.decided(t, sec, w.mB1, w.chiboB, "DAO_DUC_LOI_SONG", ktgs.FormReprimand)
		// mA1 sits on the commune's đảng ủy: the commune's UBKT decides no
		// form against a same-level committee member (R2).
		if _, err := w.s.AddSeat(ctx, w.term[w.commCapUy], app.SeatInput{MemberID: w.mA1.ID, Role: ktgs.RoleMember}); err != nil {
			t.Fatal(err)
		}
		beyond := w.decided(t, chair, w.mA1, w.chiboA, "DAO_DUC_LOI_SONG", ktgs.FormReprimand)
		expelled := w.decided(t, chair, w.mC1, w.ubkt1, "THAM_NHUNG", ktgs.FormExpulsion)
		toExpel := w.decided(t, chair, w.mC2, w.body(t, w.cc.ID, ktgs.BodyBranch).ID, "THAM_NHUNG", ktgs.FormReprimand)
		w.setDay("2026-04-20")
		file := func(p *ktgs.Proceeding, m *ktgs.Member) *ktgs.Complaint {
			t.Helper()
			c, err := w.s.FileComplaint(chair, app.ComplaintInput{ProceedingID: p.ID, ComplainantMemberID: m.ID, Content: cpContent})
			if err != nil {
				t.Fatalf("FileComplaint: %v", err)
			}
			return c
		}
		resolve := func(c *ktgs.Complaint, in app.ResolveComplaintInput) *ktgs.Complaint {
			t.Helper()
			in.Resolution = "Kết luận giải quyết khiếu nại."
			got, err := w.s.ResolveComplaint(chair, c.ID, in)
			if err != nil {
				t.Fatalf("ResolveComplaint %s: %v", in.Outcome, err)
			}
			return got
		}

		// ANNUL.
		p := annul
		c := resolve(file(p, w.mB2), app.ResolveComplaintInput{Outcome: ktgs.OutcomeAnnul})
		st := w.cpState(t, p.ID)
		if c.Status != ktgs.ComplaintResolved || st.status != ktgs.ProcAnnulled || st.form != ktgs.FormReprimand {
			t.Errorf("annulled: complaint %s, proceeding %s %s", c.Status, st.status, st.form)
		}
		det := w.detail(t, chair, p.ID)
		if e := det.Events[len(det.Events)-1]; e.Step != ktgs.ProcStepComplaint || e.To != ktgs.ProcAnnulled || !strings.Contains(e.Note, c.Code) {
			t.Errorf("proceeding history: %+v", e)
		}
		if recs, _ := w.s.MemberDiscipline(chair, w.mB2.ID); len(recs) != 1 || recs[0].Effect != "ANNULLED" {
			t.Errorf("member page after the annulment: %+v", recs)
		}
		if got := w.auditActions(t, "proceeding", p.ID); got[len(got)-1] != "proceeding.complaint" {
			t.Errorf("proceeding audit: %v", got)
		}
		w.cpRefused(t, "an escalation after an annulment", p.ID, "", ktgs.ECONFLICT, "", func() error {
			_, err := w.s.EscalateComplaint(w.as(t, w.provChair), c.ID, app.ComplaintInput{ComplainantMemberID: w.mB2.ID, Content: cpContent})
			return err
		})

		// CHANGE_FORM to a lighter form: the commune's UBKT warned a
		// member; its standing committee resolves (R11) and reprimands.
		p = lighter
		c = file(p, w.mA2)
		if btv := w.body(t, w.c1.ID, ktgs.BodyStandingCommittee); c.ResolverBodyID != btv.ID {
			t.Errorf("a complaint about a UBKT decision comes before body %d, want the standing committee %d", c.ResolverBodyID, btv.ID)
		}
		c = resolve(c, app.ResolveComplaintInput{Outcome: ktgs.OutcomeChangeForm, NewForm: ktgs.FormReprimand})
		if st := w.cpState(t, p.ID); st.status != ktgs.ProcDecided || st.form != ktgs.FormReprimand || c.NewForm != ktgs.FormReprimand {
			t.Errorf("lighter form: %+v, complaint %s", st, c.NewForm)
		}
		if r := w.complaintRules(t, chair, c.ID); r["R1"].Outcome == "" || r["R2"].Outcome != "" {
			t.Errorf("a lighter form asks R1 only: %v", r)
		}

		// CHANGE_FORM to a heavier form within the authority: the
		// commune's UBKT, hearing a complaint about a chi bộ's reprimand
		// of an ordinary member, warns.
		p = heavier
		c = resolve(file(p, w.mB1), app.ResolveComplaintInput{Outcome: ktgs.OutcomeChangeForm, NewForm: ktgs.FormWarning})
		if st := w.cpState(t, p.ID); st.form != ktgs.FormWarning || c.Status != ktgs.ComplaintResolved {
			t.Errorf("heavier form within the authority: %+v, complaint %s", st, c.Status)
		}
		if r := w.complaintRules(t, chair, c.ID); r["R2"].Outcome != rules.OutcomeDecide || len(r["R2"].Citations) == 0 {
			t.Errorf("R2 of the heavier form: %s", r["R2"].Outcome)
		}

		// CHANGE_FORM to a heavier form beyond the authority: the
		// commune's UBKT may only propose a warning for a member of the
		// commune's đảng ủy; the complaint goes to the competent body R2
		// names (the commune's standing committee), the discipline
		// unchanged meanwhile, and that body warns.
		p = beyond
		c = file(p, w.mA1)
		if c.ResolverBodyID != w.ubkt1 {
			t.Fatalf("a chi bộ's decision first goes to body %d, want the commune's UBKT", c.ResolverBodyID)
		}
		c = resolve(c, app.ResolveComplaintInput{Outcome: ktgs.OutcomeChangeForm, NewForm: ktgs.FormWarning})
		btv := w.body(t, w.c1.ID, ktgs.BodyStandingCommittee)
		if c.Status != ktgs.ComplaintForwarded || c.ResolverBodyID != btv.ID || c.NewForm != ktgs.FormWarning || c.Outcome != "" {
			t.Errorf("forwarded: %s to body %d (want %d), form %s", c.Status, c.ResolverBodyID, btv.ID, c.NewForm)
		}
		if r := w.complaintRules(t, chair, c.ID); r["R2"].Outcome != rules.OutcomePropose || len(r["R2"].Citations) == 0 {
			t.Errorf("R2 beyond the authority: %s", r["R2"].Outcome)
		}
		if st := w.cpState(t, p.ID); st.form != ktgs.FormReprimand || st.status != ktgs.ProcDecided {
			t.Errorf("the proceeding changed on a forward: %+v", st)
		}
		w.cpRefused(t, "an escalation of a forwarded complaint", p.ID, "", ktgs.ECONFLICT, "", func() error {
			_, err := w.s.EscalateComplaint(w.as(t, w.provChair), c.ID, app.ComplaintInput{ComplainantMemberID: w.mA1.ID, Content: cpContent})
			return err
		})
		c = resolve(c, app.ResolveComplaintInput{Outcome: ktgs.OutcomeChangeForm, NewForm: ktgs.FormWarning})
		if st := w.cpState(t, p.ID); st.form != ktgs.FormWarning || c.Status != ktgs.ComplaintResolved || c.ResolverBodyID != btv.ID {
			t.Errorf("resolved by the competent body: %+v, complaint %s by %d", st, c.Status, c.ResolverBodyID)
		}
		// An expulsion changed to a warning restores the membership; a
		// reprimand changed to an expulsion ends it on the announcement of
		// the complaint decision.
		if m := w.member(t, w.mC1.ID); m.EndReason != ktgs.EndExpelled {
			t.Fatalf("not expelled: %+v", m)
		}
		resolve(file(expelled, w.mC1), app.ResolveComplaintInput{Outcome: ktgs.OutcomeChangeForm, NewForm: ktgs.FormWarning})
		if m := w.member(t, w.mC1.ID); !m.EndedOn.IsZero() || m.EndReason != "" {
			t.Errorf("the membership is not restored: ended %s %s", m.EndedOn, m.EndReason)
		}
		if got := w.auditActions(t, "member", w.mC1.ID); got[len(got)-1] != "member.restore" {
			t.Errorf("member audit: %v", got)
		}
		resolve(file(toExpel, w.mC2), app.ResolveComplaintInput{Outcome: ktgs.OutcomeChangeForm, NewForm: ktgs.FormExpulsion,
			AnnouncedOn: d("2026-04-20")})
		if m := w.member(t, w.mC2.ID); m.EndedOn != d("2026-04-20") || m.EndReason != ktgs.EndExpelled {
			t.Errorf("the expulsion on complaint did not end the membership: ended %s %s", m.EndedOn, m.EndReason)
		}
		if st := w.cpState(t, toExpel.ID); st.form != ktgs.FormExpulsion {
			t.Errorf("form after the change to expulsion: %s", st.form)
		}

		det2, err := w.s.ComplaintDetail(chair, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var steps []string
		for _, e := range det2.Events {
			steps = append(steps, e.Step)
		}
		if strings.Join(steps, ",") != "file,forward,resolve" || det2.Events[1].BodyID != w.ubkt1 || det2.Events[2].BodyID != btv.ID {
			t.Errorf("history: %v %+v", steps, det2.Events)
		}
	})
}
