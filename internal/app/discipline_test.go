package app_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/calendar"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/store"
)

// The discipline scenarios run on the inspection world (csWorld): chi bộ
// A and B of phường Kim Bảng with their members, the commune's UBKT and
// the commission chair. Each body that votes or issues gets a term (R17
// numbers documents per term).

type dsWorld struct {
	*csWorld
	term              map[int64]int64 // body id → term id
	chiboA, commCapUy int64
}

func dsRun(t *testing.T, fn func(t *testing.T, w *dsWorld)) {
	csRun(t, func(t *testing.T, cw *csWorld) {
		w := &dsWorld{csWorld: cw, term: map[int64]int64{}}
		err := cw.db.View(ctx, func(tx *store.Tx) error {
			a, err := tx.BodyByKind(ctx, cw.a.ID, ktgs.BodyBranch)
			if err != nil {
				return err
			}
			c, err := tx.BodyByKind(ctx, cw.c1.ID, ktgs.BodyCommittee)
			if err != nil {
				return err
			}
			w.chiboA, w.commCapUy = a.ID, c.ID
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// Every body of the world has its current term, so any of them
		// can number the decisions it issues (R17).
		err = cw.db.View(ctx, func(tx *store.Tx) error {
			for _, o := range []*ktgs.Org{cw.root, cw.prov, cw.c1, cw.c2, cw.a, cw.b, cw.cc, cw.s1} {
				bodies, err := tx.Bodies(ctx, o.ID)
				if err != nil {
					return err
				}
				for _, b := range bodies {
					w.term[b.ID] = 0
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for b := range w.term {
			tm, err := cw.s.AddTerm(ctx, b, app.TermInput{Name: "2025–2030", Start: d("2025-07-01")})
			if err != nil {
				t.Fatalf("AddTerm %d: %v", b, err)
			}
			w.term[b] = tm.ID
		}
		fn(t, w)
	})
}

// proceedingCount counts the rows a refused request must not touch.
func (w *dsWorld) counts(t *testing.T) [4]int {
	t.Helper()
	var n [4]int
	err := w.db.View(ctx, func(tx *store.Tx) error {
		var err error
		ps, _, err := tx.Proceedings(ctx, store.ProceedingFilter{Paths: []string{w.root.Path}, MaxMark: 2, Limit: 200})
		if err != nil {
			return err
		}
		n[0] = len(ps)
		for _, p := range ps {
			ev, err := tx.ProceedingEvents(ctx, p.ID)
			if err != nil {
				return err
			}
			vs, err := tx.Votes(ctx, p.ID)
			if err != nil {
				return err
			}
			docs, err := tx.ProceedingDocuments(ctx, p.ID)
			if err != nil {
				return err
			}
			n[1] += len(ev)
			n[2] += len(vs)
			n[3] += len(docs)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// refused checks that do fails with an invalid-input error on field (or
// the given code when field is empty) and changes nothing.
func (w *dsWorld) refused(t *testing.T, what, field, key string, do func() error) {
	t.Helper()
	before := w.counts(t)
	err := do()
	e := ktgs.AsError(err)
	switch {
	case e == nil:
		t.Errorf("%s: accepted (err=%v), want a refusal", what, err)
	case field == "" && e.Code != key:
		t.Errorf("%s: %v, want code %s", what, err, key)
	case field != "" && (e.Code != ktgs.EINVALID || e.Fields[field].Key == ""):
		t.Errorf("%s: %v, want an error on field %s", what, err, field)
	case field != "" && key != "" && e.Fields[field].Key != key:
		t.Errorf("%s: field %s: %s, want %s", what, field, e.Fields[field].Key, key)
	}
	if after := w.counts(t); after != before {
		t.Errorf("%s: refused but stored something: %v → %v", what, before, after)
	}
}

func (w *dsWorld) open(t *testing.T, actx context.Context, in app.ProceedingInput) *ktgs.Proceeding {
	t.Helper()
	p, err := w.s.OpenProceeding(actx, in)
	if err != nil {
		t.Fatalf("OpenProceeding: %v", err)
	}
	if p.Status != ktgs.ProcOpen || !strings.HasPrefix(p.Code, "KL-2026-") {
		t.Fatalf("opened %s %s", p.Code, p.Status)
	}
	return p
}

func (w *dsWorld) hear(t *testing.T, actx context.Context, p *ktgs.Proceeding, day string) {
	t.Helper()
	if _, err := w.s.Hear(actx, p.ID, app.HearInput{HeardOn: d(day), SelfCriticismOn: d(day)}); err != nil {
		t.Fatalf("Hear: %v", err)
	}
}

// vote takes a ballot and checks where it led.
func (w *dsWorld) vote(t *testing.T, actx context.Context, p *ktgs.Proceeding, in app.VoteInput, want ktgs.ProceedingStatus) *ktgs.Proceeding {
	t.Helper()
	got, err := w.s.Vote(actx, p.ID, in)
	if err != nil {
		t.Fatalf("Vote: %v", err)
	}
	if got.Status != want {
		t.Fatalf("after the vote: %s (form %s), want %s", got.Status, got.Form, want)
	}
	return got
}

func (w *dsWorld) detail(t *testing.T, actx context.Context, id int64) *app.ProceedingDetail {
	t.Helper()
	det, err := w.s.ProceedingDetail(actx, id)
	if err != nil {
		t.Fatal(err)
	}
	return det
}

// lastRules decodes the rule decisions stored with the last event.
func lastRules(t *testing.T, det *app.ProceedingDetail) map[string]rules.Decision {
	t.Helper()
	e := det.Events[len(det.Events)-1]
	var out map[string]rules.Decision
	if e.Rules == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(e.Rules), &out); err != nil {
		t.Fatalf("event rules: %v", err)
	}
	return out
}

// TestDisciplineReprimand: a chi bộ reprimands an ordinary member for
// lifestyle. It may decide (R2), the ballot passes (R4), the decision is
// issued as Số 01-QĐ/CB of the chi bộ's term with DOCX and PDF, and the
// reprimand expires automatically 12 months after its announcement (R7).
func TestDisciplineReprimand(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		sec := w.as(t, w.sec)
		in := app.ProceedingInput{SubjectKind: ktgs.SubjectMember, MemberID: w.mB2.ID, BodyID: w.chiboB, Origin: ktgs.OriginDirect,
			Category: "DAO_DUC_LOI_SONG", Violation: "Vi phạm quy định về những điều đảng viên không được làm: uống rượu bia khi lái xe.",
			ViolationOn: d("2026-02-14"), WarrantedForm: ktgs.FormReprimand}
		p := w.open(t, sec, in)
		// Out of order: a vote before the hearing.
		w.refused(t, "vote before the hearing", "", ktgs.ECONFLICT, func() error {
			_, err := w.s.Vote(sec, p.ID, app.VoteInput{HeldOn: d("2026-04-14"), Official: 20, Votes: map[string]int{"KHIEN_TRACH": 15}})
			return err
		})
		w.refused(t, "a second proceeding for the same violation", "violation_on", "err.proceeding.duplicate", func() error {
			_, err := w.s.OpenProceeding(sec, in)
			return err
		})
		det := w.detail(t, sec, p.ID)
		if det.Live["R6"] == nil || det.Live["R6"].Outcome != "NOT_EXPIRED" {
			t.Errorf("the limitation is not shown before the vote: %+v", det.Live["R6"])
		}
		w.hear(t, sec, p, "2026-04-14")
		w.refused(t, "a tally with more votes than voters", "votes", "", func() error {
			_, err := w.s.Vote(sec, p.ID, app.VoteInput{HeldOn: d("2026-04-15"), Official: 20, Votes: map[string]int{"KHIEN_TRACH": 25}})
			return err
		})
		w.refused(t, "ballots for no discipline beyond the voters", "votes", "rules.err.votes_total", func() error {
			_, err := w.s.Vote(sec, p.ID, app.VoteInput{HeldOn: d("2026-04-15"), Official: 20, Votes: map[string]int{"KHIEN_TRACH": 6, "NONE": 50}})
			if e := ktgs.AsError(err); e != nil && e.Fields["votes"].Rule == "" {
				t.Errorf("the over-full tally is refused without the article")
			}
			return err
		})
		p = w.vote(t, sec, p, app.VoteInput{HeldOn: d("2026-04-15"), Official: 20, AbsentOther: 2, Votes: map[string]int{"KHIEN_TRACH": 15, "NONE": 3}},
			ktgs.ProcVoted)
		if p.Form != ktgs.FormReprimand || p.BodyID != w.chiboB {
			t.Errorf("voted %s by body %d", p.Form, p.BodyID)
		}
		det = w.detail(t, sec, p.ID)
		r := lastRules(t, det)
		if r["R2"].Outcome != rules.OutcomeDecide || r["R4"].Outcome != "PASSED" || r["R6"].Outcome != "NOT_EXPIRED" {
			t.Errorf("vote rules: R2 %s, R4 %s, R6 %s", r["R2"].Outcome, r["R4"].Outcome, r["R6"].Outcome)
		}
		if len(r["R2"].Citations) == 0 || r["R2"].Citations[0].Article == "" {
			t.Errorf("the authority has no citation: %+v", r["R2"].Citations)
		}
		if len(det.Votes) != 1 || det.Votes[0].Denominator != 20 || det.Votes[0].AdoptedForm != ktgs.FormReprimand {
			t.Errorf("tally: %+v", det.Votes)
		}
		w.refused(t, "a removal naming posts on a reprimand", "removed_posts", "err.proceeding.removal_only", func() error {
			_, err := w.s.Decide(sec, p.ID, app.DecideInput{DecidedOn: d("2026-04-16"), RemovedPosts: []string{"post:1"}})
			return err
		})
		w.refused(t, "a report due date before the decision", "report_by", "err.date_not_before", func() error {
			_, err := w.s.Decide(sec, p.ID, app.DecideInput{DecidedOn: d("2026-04-16"), ReportBy: d("2026-04-15")})
			return err
		})
		// The rule sets give the reports no time limit (RULES.md fixes
		// none): the deciding body sets the due date, and every duty the
		// decision creates carries it.
		p, err := w.s.Decide(sec, p.ID, app.DecideInput{DecidedOn: d("2026-04-16"), ReportBy: d("2026-04-30")})
		if err != nil {
			t.Fatalf("Decide: %v", err)
		}
		if p.Status != ktgs.ProcDecided || p.DocumentID == 0 || p.AnnouncedOn != d("2026-04-16") {
			t.Fatalf("decided: %+v", p)
		}
		if tasks := w.detail(t, sec, p.ID).Tasks; len(tasks) == 0 || slices.ContainsFunc(tasks, func(tk ktgs.DisciplineTask) bool {
			return tk.Kind == "REPORT" && tk.DueOn != d("2026-04-30")
		}) {
			t.Errorf("report duties: %+v, want each due 30/4/2026", tasks)
		}
		doc, fields, owner, err := w.s.Document(sec, p.DocumentID)
		if err != nil {
			t.Fatal(err)
		}
		if doc.NumberText != "Số 01-QĐ/CB" || doc.Status != "ISSUED" || doc.DocxHash == "" || doc.PDFHash == "" || owner.Proceeding == nil {
			t.Errorf("decision document: %s %s %q %q", doc.NumberText, doc.Status, doc.DocxHash, doc.PDFHash)
		}
		if body := strings.Join(fields.Body, "\n"); !strings.Contains(body, "KHIỂN TRÁCH") || !strings.Contains(body, "15/20") ||
			!strings.Contains(body, w.mB2.FullName) {
			t.Errorf("decision text lacks the form, the tally or the member:\n%s", body)
		}
		if _, _, data, err := w.s.DocumentFile(sec, p.DocumentID, "docx"); err != nil || len(data) < 1000 {
			t.Errorf("DOCX: %d bytes, %v", len(data), err)
		}
		w.setDay("2026-05-01")
		det = w.detail(t, sec, p.ID)
		exp := det.Live["R7"]
		if exp == nil || exp.Outcome != "EXPIRES" {
			t.Fatalf("R7 not shown after the decision: %+v", exp)
		}
		if res, ok := exp.Result.(*rules.ExpiryResult); !ok || res.InactiveFrom != d("2027-04-16") {
			t.Errorf("expiry: %+v, want inactive from 16/4/2027", exp.Result)
		}
		// The member is not expelled and still active.
		if m := w.member(t, w.mB2.ID); !m.EndedOn.IsZero() {
			t.Errorf("a reprimand ended the membership")
		}
	})
}

func (w *dsWorld) member(t *testing.T, id int64) *ktgs.Member {
	t.Helper()
	var m *ktgs.Member
	if err := w.db.View(ctx, func(tx *store.Tx) error {
		var err error
		m, err = tx.Member(ctx, id, civil.Forever.AddDays(-1))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestDisciplineForwarded: a chi bộ considers a warning for a member who
// sits on the commune đảng ủy, over a task the higher level assigned. The
// chi bộ may only propose (R2): its vote forwards the file, tally
// attached, to the competent body R2 names; that body votes and decides.
// The history shows the chain of bodies with the article of each hand-off.
func TestDisciplineForwarded(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		if _, err := w.s.AddSeat(ctx, w.term[w.commCapUy], app.SeatInput{MemberID: w.mA1.ID, Role: ktgs.RoleMember}); err != nil {
			t.Fatal(err)
		}
		chair := w.as(t, w.chair)
		p := w.open(t, chair, app.ProceedingInput{SubjectKind: ktgs.SubjectMember, MemberID: w.mA1.ID, BodyID: w.chiboA, Origin: ktgs.OriginDirect,
			Category: "NHIEM_VU_CONG_VU", ViolationScope: "HIGHER_ASSIGNED_TASK", Violation: "Không hoàn thành nhiệm vụ cấp trên giao về giải phóng mặt bằng.",
			ViolationOn: d("2026-01-10"), WarrantedForm: ktgs.FormWarning})
		w.hear(t, chair, p, "2026-04-14")
		p = w.vote(t, chair, p, app.VoteInput{HeldOn: d("2026-04-15"), Official: 12, Votes: map[string]int{"CANH_CAO": 9, "KHIEN_TRACH": 2}},
			ktgs.ProcForwarded)
		if p.BodyID == w.chiboA || p.Form != ktgs.FormWarning {
			t.Fatalf("forwarded to body %d with form %s", p.BodyID, p.Form)
		}
		det := w.detail(t, chair, p.ID)
		fwd := det.Events[len(det.Events)-1]
		r := lastRules(t, det)
		res, _ := json.Marshal(r["R2"].Result)
		if fwd.Step != ktgs.StepForward || fwd.BodyID != w.chiboA || r["R2"].Outcome != rules.OutcomePropose || len(r["R2"].Citations) == 0 {
			t.Errorf("forward event: %+v, R2 %s", fwd, r["R2"].Outcome)
		}
		if !strings.Contains(string(res), "competent_body") {
			t.Errorf("R2 result names no competent body: %s", res)
		}
		if det.Bodies[p.BodyID] == "" {
			t.Errorf("the competent body is not named on the page")
		}
		// The competent body votes (its own members) and decides.
		p = w.vote(t, chair, p, app.VoteInput{HeldOn: d("2026-04-20"), Official: 7, Votes: map[string]int{"CANH_CAO": 5, "KHIEN_TRACH": 2}},
			ktgs.ProcVoted)
		if p.Form != ktgs.FormWarning {
			t.Errorf("the competent body voted %s", p.Form)
		}
		if _, ok := w.term[p.BodyID]; !ok {
			if _, err := w.s.AddTerm(ctx, p.BodyID, app.TermInput{Name: "2025–2030", Start: d("2025-07-01")}); err != nil {
				t.Fatal(err)
			}
		}
		p, err := w.s.Decide(chair, p.ID, app.DecideInput{DecidedOn: d("2026-04-21")})
		if err != nil {
			t.Fatalf("Decide: %v", err)
		}
		det = w.detail(t, chair, p.ID)
		steps := []string{}
		for _, e := range det.Events {
			steps = append(steps, e.Step)
		}
		if strings.Join(steps, ",") != "open,hear,forward,vote,decide" {
			t.Errorf("history: %v", steps)
		}
		if len(det.Votes) != 2 || det.Votes[0].Purpose != "PROPOSE" || det.Votes[1].Purpose != "DECIDE" {
			t.Errorf("tallies: %+v", det.Votes)
		}
	})
}

// TestDisciplineCumulation: an expulsion vote of 13 of 20 fails the 2/3
// threshold; the votes cumulate down the ladder and a warning is adopted,
// which the chi bộ may decide itself.
func TestDisciplineCumulation(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		chair := w.as(t, w.chair)
		p := w.open(t, chair, app.ProceedingInput{SubjectKind: ktgs.SubjectMember, MemberID: w.mA2.ID, BodyID: w.chiboA, Origin: ktgs.OriginDirect,
			Category: "DAO_DUC_LOI_SONG", Violation: "Vi phạm nghiêm trọng đạo đức, lối sống.", ViolationOn: d("2026-03-01"), WarrantedForm: ktgs.FormExpulsion})
		w.hear(t, chair, p, "2026-04-14")
		p = w.vote(t, chair, p, app.VoteInput{HeldOn: d("2026-04-15"), Official: 20, Votes: map[string]int{"KHAI_TRU": 13, "CANH_CAO": 5, "KHIEN_TRACH": 2}},
			ktgs.ProcVoted)
		if p.Form != ktgs.FormWarning {
			t.Fatalf("adopted %s, want CANH_CAO by cumulation", p.Form)
		}
		det := w.detail(t, chair, p.ID)
		if det.Votes[0].Purpose != "PROPOSE" || det.Votes[0].AdoptedForm != ktgs.FormWarning {
			t.Errorf("tally: %+v", det.Votes[0])
		}
		if r := lastRules(t, det); r["R2"].Outcome != rules.OutcomeDecide {
			t.Errorf("R2 for the adopted warning: %s", r["R2"].Outcome)
		}
		if m := w.member(t, w.mA2.ID); !m.EndedOn.IsZero() {
			t.Errorf("membership ended by a failed expulsion vote")
		}
	})
}

// TestDisciplineLimitationExpired: the body votes a reprimand for a 2019
// violation; the 5-year limitation had run, so the vote is recorded and
// discipline is not applied.
func TestDisciplineLimitationExpired(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		sec := w.as(t, w.sec)
		p := w.open(t, sec, app.ProceedingInput{SubjectKind: ktgs.SubjectMember, MemberID: w.mB1.ID, BodyID: w.chiboB, Origin: ktgs.OriginDirect,
			Category: "DAO_DUC_LOI_SONG", Violation: "Vi phạm quy định về sinh hoạt đảng.", ViolationOn: d("2019-03-01"), WarrantedForm: ktgs.FormReprimand})
		det := w.detail(t, sec, p.ID)
		if det.Live["R6"] == nil || det.Live["R6"].Outcome != "EXPIRED" {
			t.Errorf("the expired limitation is not shown before the vote: %+v", det.Live["R6"])
		}
		w.hear(t, sec, p, "2026-04-14")
		p = w.vote(t, sec, p, app.VoteInput{HeldOn: d("2026-04-15"), Official: 10, Votes: map[string]int{"KHIEN_TRACH": 8}}, ktgs.ProcNotApplied)
		if p.Form != ktgs.FormReprimand {
			t.Errorf("the voted form is not kept: %q", p.Form)
		}
		det = w.detail(t, sec, p.ID)
		if r := lastRules(t, det); r["R6"].Outcome != "EXPIRED" || r["R4"].Outcome != "PASSED" {
			t.Errorf("both facts: R4 %s, R6 %s", r["R4"].Outcome, r["R6"].Outcome)
		}
		w.refused(t, "a decision after the limitation ran", "", ktgs.ECONFLICT, func() error {
			_, err := w.s.Decide(sec, p.ID, app.DecideInput{})
			return err
		})
	})
}

// TestDisciplineExpulsionAndRemoval: the commune UBKT expels an ordinary
// member (the membership ends on the announcement); a removal must name a
// post the member holds, and ends it.
func TestDisciplineExpulsionAndRemoval(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		chair := w.as(t, w.chair)
		p := w.open(t, chair, app.ProceedingInput{SubjectKind: ktgs.SubjectMember, MemberID: w.mB1.ID, BodyID: w.ubkt1, Origin: ktgs.OriginDirect,
			Category: "THAM_NHUNG", Violation: "Tham ô tài sản.", ViolationOn: d("2026-01-05"), WarrantedForm: ktgs.FormExpulsion})
		w.hear(t, chair, p, "2026-04-14")
		p = w.vote(t, chair, p, app.VoteInput{HeldOn: d("2026-04-15"), Official: 7, Votes: map[string]int{"KHAI_TRU": 6, "CANH_CAO": 1}}, ktgs.ProcVoted)
		if p.Form != ktgs.FormExpulsion {
			t.Fatalf("voted %s", p.Form)
		}
		if _, err := w.s.Decide(chair, p.ID, app.DecideInput{DecidedOn: d("2026-04-16"), AnnouncedOn: d("2026-04-17")}); err != nil {
			t.Fatalf("Decide: %v", err)
		}
		m := w.member(t, w.mB1.ID)
		if m.EndedOn != d("2026-04-17") || m.EndReason != ktgs.EndExpelled {
			t.Errorf("expulsion: ended %s (%s), want 17/4/2026 EXPELLED", m.EndedOn, m.EndReason)
		}
		// Found wrongful (R19): annulled, the membership restored, and the
		// notice, apology, reports and restoration due within 60 days of
		// the finding, reminded once when overdue.
		expelled := p
		w.setDay("2026-06-02")
		if _, err := w.s.DeclareWrongful(w.as(t, w.lead), expelled.ID, app.WrongfulInput{Ground: "PARTY_CONCLUSION", FindingReceivedOn: d("2026-06-01"),
			Reference: "Kết luận số 05-KL/TU"}); ktgs.ErrorCode(err) != ktgs.EFORBIDDEN {
			t.Errorf("a team member (not a head) declared it wrongful: %v", err)
		}
		got, err := w.s.DeclareWrongful(chair, expelled.ID, app.WrongfulInput{Ground: "PARTY_CONCLUSION", FindingReceivedOn: d("2026-06-01"),
			Reference: "Kết luận số 05-KL/TU của Ban Thường vụ Tỉnh ủy"})
		if err != nil || got.Status != ktgs.ProcAnnulled {
			t.Fatalf("DeclareWrongful: %v %v", got, err)
		}
		if m := w.member(t, w.mB1.ID); !m.EndedOn.IsZero() || m.EndReason != "" {
			t.Errorf("the wrongful expulsion did not restore the membership: %s %s", m.EndedOn, m.EndReason)
		}
		det := w.detail(t, chair, expelled.ID)
		kinds, dated := map[string]bool{}, 0
		for _, tk := range det.Tasks {
			if tk.DueOn.IsZero() {
				continue // the decision's own reporting duties
			}
			dated++
			kinds[tk.Kind] = true
			if tk.DueOn != d("2026-07-31") {
				t.Errorf("task %s due %s, want 31/7/2026 (60 days)", tk.Kind, tk.DueOn)
			}
		}
		if !kinds["NOTIFY"] || !kinds["APOLOGY"] || !kinds["REPORT"] || !kinds["RESTORE_MEMBERSHIP"] {
			t.Errorf("wrongful tasks: %v", kinds)
		}
		if recs, _ := w.s.MemberDiscipline(chair, w.mB1.ID); len(recs) != 1 || recs[0].Effect != "ANNULLED" {
			t.Errorf("member record after R19: %+v", recs)
		}
		if sent, err := w.s.RunReminders(ctx, d("2026-08-01")); err != nil || sent < dated {
			t.Errorf("overdue restoration tasks reminded %d (%v), want %d", sent, err, dated)
		}
		w.setDay("2026-04-13")

		// Removal: a member with a post.
		post, err := w.s.AddPost(ctx, w.mA2.ID, app.PostInput{Title: "Tổ trưởng tổ dân phố", Agency: "Tổ dân phố Thụy Xuyên", Level: ktgs.LevelCommune,
			From: d("2025-08-01")})
		if err != nil {
			t.Fatal(err)
		}
		p = w.open(t, chair, app.ProceedingInput{SubjectKind: ktgs.SubjectMember, MemberID: w.mA2.ID, BodyID: w.ubkt1, Origin: ktgs.OriginDirect,
			Category: "NHIEM_VU_CONG_VU", Violation: "Lợi dụng chức vụ.", ViolationOn: d("2026-02-05"), WarrantedForm: ktgs.FormRemoval})
		w.hear(t, chair, p, "2026-04-14")
		p = w.vote(t, chair, p, app.VoteInput{HeldOn: d("2026-04-15"), Official: 7, Votes: map[string]int{"CACH_CHUC": 5, "CANH_CAO": 2}}, ktgs.ProcVoted)
		w.refused(t, "a removal naming a post not held", "removed_posts", "err.proceeding.post_not_held", func() error {
			_, err := w.s.Decide(chair, p.ID, app.DecideInput{DecidedOn: d("2026-04-16"), RemovedPosts: []string{"post:999999"}})
			return err
		})
		w.refused(t, "a removal naming nothing", "removed_posts", "err.required", func() error {
			_, err := w.s.Decide(chair, p.ID, app.DecideInput{DecidedOn: d("2026-04-16")})
			return err
		})
		ref := "post:" + strconv.FormatInt(post.ID, 10)
		if _, err := w.s.Decide(chair, p.ID, app.DecideInput{DecidedOn: d("2026-04-16"), RemovedPosts: []string{ref}}); err != nil {
			t.Fatalf("Decide removal: %v", err)
		}
		err = w.db.View(ctx, func(tx *store.Tx) error {
			posts, err := tx.Posts(ctx, w.mA2.ID)
			if err != nil {
				return err
			}
			if len(posts) != 1 || posts[0].To != d("2026-04-16") {
				t.Errorf("the post did not end on the announcement: %+v", posts)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		w.setDay("2026-06-01")
		det = w.detail(t, chair, p.ID)
		if det.Live["R8"] == nil || det.Live["R8"].Outcome != "BLOCKED" {
			t.Errorf("the removal bar is not shown: %+v", det.Live["R8"])
		}
		// The bar (R8): announced 16/4/2026, a committee seat on day 364
		// (15/4/2027) is refused with the article; on day 366 it is not.
		w.setDay("2027-04-20")
		_, err = w.s.AddSeat(ctx, w.term[w.commCapUy], app.SeatInput{MemberID: w.mA2.ID, Role: ktgs.RoleMember, Start: d("2027-04-15")})
		if e := ktgs.AsError(err); e == nil || e.Fields["start"].Key != "err.proceeding.removal_bar" || !strings.Contains(e.Fields["start"].Rule, "Điều") {
			t.Errorf("a seat on day 364 after the removal: %v", err)
		}
		_, err = w.s.AddPost(ctx, w.mA2.ID, app.PostInput{Title: "Tổ trưởng tổ dân phố", Level: ktgs.LevelCommune, From: d("2027-04-15")})
		if e := ktgs.AsError(err); e == nil || e.Fields["from"].Key != "err.proceeding.removal_bar" {
			t.Errorf("an appointment on day 364 after the removal: %v", err)
		}
		if _, err := w.s.AddSeat(ctx, w.term[w.commCapUy], app.SeatInput{MemberID: w.mA2.ID, Role: ktgs.RoleMember, Start: d("2027-04-17")}); err != nil {
			t.Errorf("a seat on day 366 after the removal: %v", err)
		}
	})
}

// TestDisciplineRefusals: the bad input of the issue, each refused with
// the rule and nothing stored.
func TestDisciplineRefusals(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		chair := w.as(t, w.chair)
		base := app.ProceedingInput{SubjectKind: ktgs.SubjectMember, MemberID: w.mA1.ID, BodyID: w.chiboA, Origin: ktgs.OriginDirect,
			Category: "DAO_DUC_LOI_SONG", Violation: "Vi phạm.", ViolationOn: d("2026-03-01"), WarrantedForm: ktgs.FormReprimand}
		with := func(f func(*app.ProceedingInput)) app.ProceedingInput { in := base; f(&in); return in }
		for _, c := range []struct {
			name, field, key string
			in               app.ProceedingInput
		}{
			{"a form the subject cannot receive (removal without a post)", "warranted_form", "rules.err.removal_no_post",
				with(func(in *app.ProceedingInput) { in.WarrantedForm = ktgs.FormRemoval })},
			{"dissolution of a member", "warranted_form", "", with(func(in *app.ProceedingInput) { in.WarrantedForm = ktgs.FormDissolution })},
			{"a chi bộ disciplining an organisation (no authority)", "body_id", "err.proceeding.no_authority",
				with(func(in *app.ProceedingInput) { in.SubjectKind, in.MemberID, in.OrgID = ktgs.SubjectOrg, 0, w.a.ID })},
			{"a member of another chi bộ", "member_id", "err.proceeding.outside_body", with(func(in *app.ProceedingInput) { in.MemberID = w.mB1.ID })},
			{"a violation after the opening", "violation_on", "err.date_after", with(func(in *app.ProceedingInput) { in.ViolationOn = d("2026-05-01") })},
			{"no violation text", "violation", "err.required", with(func(in *app.ProceedingInput) { in.Violation = "  " })},
			{"an unknown origin", "origin", "err.proceeding.origin", with(func(in *app.ProceedingInput) { in.Origin = "RUMOUR" })},
			{"a state notice without dates", "notice_decision_on", "err.required",
				with(func(in *app.ProceedingInput) { in.Origin = ktgs.OriginStateDiscipline })},
		} {
			w.refused(t, c.name, c.field, c.key, func() error {
				_, err := w.s.OpenProceeding(chair, c.in)
				return err
			})
		}
		// A viewer may not open one; the subject may not act on their own.
		w.refused(t, "a viewer", "", ktgs.EFORBIDDEN, func() error {
			_, err := w.s.OpenProceeding(w.as(t, w.viewer), base)
			return err
		})
		// The state notification deadline (R18): 5 days for a state
		// body's discipline, notified on day 7: late, and tracked.
		p := w.open(t, chair, with(func(in *app.ProceedingInput) {
			in.Origin, in.NoticeRef = ktgs.OriginStateDiscipline, "Quyết định số 12/QĐ-UBND"
			in.NoticeDecisionOn, in.NoticeReceivedOn = d("2026-04-01"), d("2026-04-08")
		}))
		if p.NoticeDueOn.IsZero() || !p.NoticeLate || !p.NoticeDueOn.Before(d("2026-04-08")) {
			t.Errorf("R18: due %s late %v", p.NoticeDueOn, p.NoticeLate)
		}
		// Postpone on a ground of §3.2, then resume where it stood.
		w.refused(t, "a postponement without a ground", "ground", "err.proceeding.postpone_ground", func() error {
			_, err := w.s.Postpone(chair, p.ID, app.PostponeInput{Reason: "Lý do"})
			return err
		})
		if got, err := w.s.Postpone(chair, p.ID, app.PostponeInput{Ground: ktgs.PostponeSeriouslyIll, Reason: "Đang điều trị nội trú tại bệnh viện tỉnh"}); err != nil || got.Status != ktgs.ProcPostponed {
			t.Fatalf("Postpone: %v %v", got, err)
		}
		if got, err := w.s.Resume(chair, p.ID, app.PostponeInput{}); err != nil || got.Status != ktgs.ProcOpen {
			t.Fatalf("Resume: %v %v", got, err)
		}
		if got, err := w.s.CancelProceeding(chair, p.ID, app.PostponeInput{Reason: "Trùng với hồ sơ khác"}); err != nil || got.Status != ktgs.ProcCancelled {
			t.Fatalf("Cancel: %v %v", got, err)
		}
		// Exemption (RULES.md §3.2): a member who carried out a
		// superior's decision after reserving their opinion.
		q := w.open(t, chair, with(func(in *app.ProceedingInput) { in.MemberID, in.ViolationOn = w.mA2.ID, d("2026-02-01") }))
		w.refused(t, "an exemption on another ground", "ground", "err.proceeding.exempt_ground", func() error {
			_, err := w.s.Exempt(chair, q.ID, app.PostponeInput{Ground: ktgs.PostponePregnant, Reason: "x"})
			return err
		})
		if got, err := w.s.Exempt(chair, q.ID, app.PostponeInput{Ground: ktgs.ExemptSuperiorDecision,
			Reason: "Đã có văn bản báo cáo ngày 20/01/2026 bảo lưu ý kiến"}); err != nil || got.Status != ktgs.ProcNoDiscipline {
			t.Fatalf("Exempt: %v %v", got, err)
		}
	})
}

// TestDisciplineFreeze: while a member is under consideration (R9), an
// appointment and a transfer are refused with the article; the chi bộ's
// secretary, who may act on the proceeding, overrides with a reason that
// goes into the audit trail; once decided, the freeze ends.
func TestDisciplineFreeze(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		sec := w.as(t, w.sec)
		p := w.open(t, sec, app.ProceedingInput{SubjectKind: ktgs.SubjectMember, MemberID: w.mB2.ID, BodyID: w.chiboB, Origin: ktgs.OriginDirect,
			Category: "DAO_DUC_LOI_SONG", Violation: "Vi phạm lối sống.", ViolationOn: d("2026-03-01"), WarrantedForm: ktgs.FormReprimand})
		post := app.PostInput{Title: "Tổ trưởng tổ dân phố", Level: ktgs.LevelCommune, From: d("2026-04-20")}
		posts := func() int {
			var n int
			w.db.View(ctx, func(tx *store.Tx) error {
				ps, err := tx.Posts(ctx, w.mB2.ID)
				n = len(ps)
				return err
			})
			return n
		}
		_, err := w.s.AddPost(sec, w.mB2.ID, post)
		e := ktgs.AsError(err)
		if e == nil || e.Fields["from"].Key != "err.proceeding.frozen" || !strings.Contains(e.Fields["from"].Rule, "Điều 2.13") {
			t.Fatalf("an appointment under consideration: %v", err)
		}
		if posts() != 0 {
			t.Errorf("a refused appointment was stored")
		}
		if err := w.s.Transfer(ctx, w.mB2.ID, w.a.ID, d("2026-04-20"), ""); ktgs.AsError(err) == nil || ktgs.AsError(err).Fields["date"].Key != "err.proceeding.frozen" {
			t.Errorf("a transfer under consideration: %v", err)
		}
		// A commission chair may not write members at all; the chi bộ's
		// secretary overrides with a reason.
		post.Override = "Cần bố trí người tạm thời phụ trách tổ dân phố trong thời gian bầu cử"
		if _, err := w.s.AddPost(sec, w.mB2.ID, post); err != nil {
			t.Fatalf("override: %v", err)
		}
		found := false
		w.db.View(ctx, func(tx *store.Tx) error {
			es, err := tx.AuditEntries(ctx, store.AuditFilter{System: true, Limit: 5})
			for _, e := range es {
				if e.Action == "member.freeze_override" && e.Reason == post.Override && strings.Contains(string(e.After), p.Code) {
					found = true
				}
			}
			return err
		})
		if !found {
			t.Errorf("the override is not in the audit trail")
		}
		// Decided: the freeze ends.
		w.hear(t, sec, p, "2026-04-14")
		w.vote(t, sec, p, app.VoteInput{HeldOn: d("2026-04-15"), Official: 10, Votes: map[string]int{"KHIEN_TRACH": 8}}, ktgs.ProcVoted)
		if _, err := w.s.Decide(sec, p.ID, app.DecideInput{DecidedOn: d("2026-04-16")}); err != nil {
			t.Fatal(err)
		}
		post.Override, post.From, post.Title = "", d("2026-05-01"), "Trưởng ban công tác Mặt trận"
		if _, err := w.s.AddPost(sec, w.mB2.ID, post); err != nil {
			t.Errorf("an appointment after the decision: %v", err)
		}
		recs, err := w.s.MemberDiscipline(sec, w.mB2.ID)
		if err != nil || len(recs) != 1 || recs[0].Effect != "ACTIVE" || recs[0].Until != d("2027-04-15") {
			t.Errorf("discipline record: %+v %v", recs, err)
		}
		w.setDay("2027-04-16")
		if recs, _ := w.s.MemberDiscipline(w.as(t, w.sec), w.mB2.ID); len(recs) != 1 || recs[0].Effect != "EXPIRED" {
			t.Errorf("after 12 months: %+v", recs)
		}
	})
}

// TestDisciplineDissolution: the commune đảng ủy proposes dissolving one
// of its chi bộ; the province's committee, two levels up, decides (R2).
// The decision needs the head assessed; it dissolves the chi bộ through a
// hierarchy event and its members are shown where they moved.
func TestDisciplineDissolution(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		var provCapUy int64
		w.db.View(ctx, func(tx *store.Tx) error {
			b, err := tx.BodyByKind(ctx, w.prov.ID, ktgs.BodyCommittee)
			provCapUy = b.ID
			return err
		})
		if _, ok := w.term[provCapUy]; !ok {
			t.Fatal("the province's committee has no term")
		}
		chair := w.as(t, w.chair)
		p := w.open(t, chair, app.ProceedingInput{SubjectKind: ktgs.SubjectOrg, OrgID: w.a.ID, BodyID: w.commCapUy, Origin: ktgs.OriginDirect,
			Category: "NGUYEN_TAC_TO_CHUC", Violation: "Mất đoàn kết nghiêm trọng, không sinh hoạt chi bộ trong 6 tháng.", ViolationOn: d("2026-01-10"),
			WarrantedForm: ktgs.FormDissolution})
		w.hear(t, chair, p, "2026-04-14")
		p = w.vote(t, chair, p, app.VoteInput{HeldOn: d("2026-04-15"), Official: 15, Votes: map[string]int{"GIAI_TAN": 11, "CANH_CAO": 4}}, ktgs.ProcForwarded)
		if p.BodyID != provCapUy {
			t.Fatalf("forwarded to body %d, want the province's committee %d", p.BodyID, provCapUy)
		}
		prov := w.as(t, w.provChair)
		p = w.vote(t, prov, p, app.VoteInput{HeldOn: d("2026-04-20"), Official: 20, Votes: map[string]int{"GIAI_TAN": 15, "CANH_CAO": 5}}, ktgs.ProcVoted)
		w.refused(t, "a dissolution with nobody assessed", "persons", "err.proceeding.head_required", func() error {
			_, err := w.s.Decide(prov, p.ID, app.DecideInput{DecidedOn: d("2026-04-21"), TransferTo: "NBI-KB-02"})
			return err
		})
		if _, err := w.s.AssessPerson(chair, p.ID, app.PersonInput{MemberID: w.mA1.ID, IsHead: true, Assessment: "Bí thư chi bộ chịu trách nhiệm chính."}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.AssessPerson(chair, p.ID, app.PersonInput{MemberID: w.mA2.ID, IsHead: true, Assessment: "x"}); ktgs.AsError(err) == nil ||
			ktgs.AsError(err).Fields["is_head"].Key != "err.proceeding.head_exists" {
			t.Errorf("a second head: %v", err)
		}
		if _, err := w.s.AssessPerson(chair, p.ID, app.PersonInput{MemberID: w.mB1.ID, Assessment: "x"}); ktgs.AsError(err) == nil {
			t.Errorf("a member of another chi bộ assessed")
		}
		if _, err := w.s.AssessPerson(chair, p.ID, app.PersonInput{MemberID: w.mA2.ID, Assessment: "Phó bí thư, cùng chịu trách nhiệm."}); err != nil {
			t.Fatal(err)
		}
		w.refused(t, "a dissolution without a chi bộ for the members", "transfer_to", "err.required", func() error {
			_, err := w.s.Decide(prov, p.ID, app.DecideInput{DecidedOn: d("2026-04-21")})
			return err
		})
		p, err := w.s.Decide(prov, p.ID, app.DecideInput{DecidedOn: d("2026-04-21"), TransferTo: "NBI-KB-02"})
		if err != nil {
			t.Fatalf("Decide: %v", err)
		}
		if p.Status != ktgs.ProcDecided {
			t.Fatalf("status %s", p.Status)
		}
		err = w.db.View(ctx, func(tx *store.Tx) error {
			if _, err := tx.OrgAt(ctx, w.a.ID, d("2026-04-22")); !errorsIsNotFound(err) {
				t.Errorf("the chi bộ still exists after its dissolution: %v", err)
			}
			if _, err := tx.OrgAt(ctx, w.a.ID, d("2026-04-20")); err != nil {
				t.Errorf("the dissolved chi bộ is no longer queryable as it was: %v", err)
			}
			for _, m := range []*ktgs.Member{w.mA1, w.mA2} {
				cur, err := tx.Member(ctx, m.ID, d("2026-04-22"))
				if err != nil {
					return err
				}
				if cur.HomeOrgID != w.b.ID {
					t.Errorf("%s is in %d, want chi bộ B", m.FullName, cur.HomeOrgID)
				}
				evs, err := tx.MemberEvents(ctx, m.ID)
				if err != nil {
					return err
				}
				if len(evs) == 0 || evs[len(evs)-1].ToOrg != w.b.ID || evs[len(evs)-1].FromOrg != w.a.ID {
					t.Errorf("%s: no transfer from A to B in the history: %+v", m.FullName, evs)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		det := w.detail(t, chair, p.ID)
		if len(det.Persons) != 2 || !det.Persons[0].IsHead || det.Persons[0].MemberID != w.mA1.ID {
			t.Errorf("persons: %+v", det.Persons)
		}
		if recs, err := w.s.OrgDiscipline(chair, w.a.ID); err != nil || len(recs) != 1 || recs[0].Effect != "ACTIVE" || !recs[0].Until.IsZero() {
			t.Errorf("the dissolved chi bộ's discipline record (no expiry for a dissolution): %+v %v", recs, err)
		}
		// The duties R2 attaches to a dissolution (reports to the higher
		// committee …) are tasks listed in the work of the cadre who
		// opened the proceeding. The rule sets give these reports no time
		// limit (RULES.md fixes none), so they carry no due date; one that
		// had a due date would be reminded once.
		if len(det.Tasks) == 0 {
			t.Fatalf("a dissolution created no duty")
		}
		var due civil.Date
		for _, tk := range det.Tasks {
			if tk.Citation == "" || tk.Text == "" {
				t.Errorf("a duty without its text or article: %+v", tk)
			}
			if !tk.DueOn.IsZero() && (due.IsZero() || tk.DueOn.Before(due)) {
				due = tk.DueOn
			}
		}
		work, err := w.s.MyWork(chair)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, it := range work {
			if it.Kind == "DISCIPLINE_TASK" {
				n++
			}
		}
		if n != len(det.Tasks) {
			t.Errorf("my work lists %d duties, want %d", n, len(det.Tasks))
		}
		if due.IsZero() {
			// A dated duty, as R19's 60-day apology would be: reminded.
			due = d("2026-05-10")
			err := w.db.Update(ctx, func(tx *store.Tx) error {
				return tx.InsertDisciplineTask(ctx, &ktgs.DisciplineTask{ProceedingID: p.ID, Kind: "REPORT", Text: "Báo cáo kết quả", Citation: "x", DueOn: due})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		{
			sent, err := w.s.RunReminders(ctx, due.AddDays(1))
			if err != nil {
				t.Fatal(err)
			}
			again, _ := w.s.RunReminders(ctx, due.AddDays(1))
			notes, _ := w.s.Notifications(chair)
			found := false
			for _, nt := range notes {
				if strings.Contains(nt.Text, p.Code) && strings.Contains(nt.Text, "quá hạn") {
					found = true
				}
			}
			if sent == 0 || again != 0 || !found {
				t.Errorf("duty reminders: sent %d, then %d; notified: %v", sent, again, found)
			}
		}
	})
}

func errorsIsNotFound(err error) bool { return ktgs.ErrorCode(err) == ktgs.ENOTFOUND }

// TestSuspensionSeatAndReminder: a member whose party activity is
// suspended does not hold their committee seat for the rules meanwhile
// (so a chi bộ may again decide on a matter that their seat put out of its
// reach), and the suspension's end is reminded once to whoever recorded
// it.
func TestSuspensionSeatAndReminder(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		seat, err := w.s.AddSeat(ctx, w.term[w.commCapUy], app.SeatInput{MemberID: w.mA1.ID, Role: ktgs.RoleMember})
		if err != nil {
			t.Fatal(err)
		}
		chair := w.as(t, w.chair)
		sp, err := w.s.Suspend(chair, app.SuspensionInput{MemberID: w.mA1.ID, BodyID: w.ubkt1, StartOn: d("2026-05-04"),
			Reason: "Cố tình cản trở công tác kiểm tra."})
		if err != nil {
			t.Fatal(err)
		}
		w.db.View(ctx, func(tx *store.Tx) error {
			ids, err := tx.SuspendedSeatIDs(ctx, w.mA1.ID, d("2026-05-10"))
			if err != nil || len(ids) != 1 || ids[0] != seat.ID {
				t.Errorf("suspended seats: %v %v", ids, err)
			}
			return nil
		})
		// The chi bộ, which may not discipline a committee member of the
		// commune over a higher-assigned task on its own, is judged on
		// the member as they stand: with the seat suspended, R2 sees an
		// ordinary member.
		facts := app.DisciplineFacts{SubjectKind: "MEMBER", Card: "03000001", BodyKind: "CHI_BO", BodyOrgCode: "NBI-KB-01",
			Category: "DAO_DUC_LOI_SONG", Form: "KHIEN_TRACH"}
		rel := func(day string) string {
			facts.DecisionDate = d(day)
			ans, err := w.s.CheckDiscipline(ctx, facts)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range ans {
				if a.Rule == "R2" && a.Decision != nil {
					b, _ := json.Marshal(a.Decision.Result)
					return string(b)
				}
			}
			return ""
		}
		if during, before := rel("2026-05-10"), rel("2026-05-01"); strings.Contains(during, "COMMITTEE") || !strings.Contains(before, "COMMITTEE") {
			t.Errorf("R2 relations: before the suspension %s; during it %s", before, during)
		}
		last := sp.LastDay()
		n, err := w.s.RunReminders(ctx, last.AddDays(-2))
		if err != nil {
			t.Fatal(err)
		}
		again, _ := w.s.RunReminders(ctx, last.AddDays(-1))
		notes, _ := w.s.Notifications(chair)
		found := false
		for _, nt := range notes {
			found = found || strings.Contains(nt.Text, sp.Code)
		}
		if n == 0 || again != 0 || !found {
			t.Errorf("suspension end reminder: %d then %d, notified %v", n, again, found)
		}
	})
}

// TestExpiryAfterComplaint (R7): while a complaint is pending the
// automatic expiry is held; once the complaint is resolved, the 12 months
// run from the announcement of the complaint decision, not of the
// discipline decision.
func TestExpiryAfterComplaint(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		p := w.decided(t, w.as(t, w.sec), w.mB2, w.chiboB, "DAO_DUC_LOI_SONG", ktgs.FormReprimand)
		chair := w.as(t, w.chair)
		w.setDay("2026-05-10")
		before, err := w.s.MemberDiscipline(chair, w.mB2.ID)
		if err != nil || len(before) != 1 || before[0].Until != d("2027-04-15") {
			t.Fatalf("before the complaint: %+v %v", before, err)
		}
		c, err := w.s.FileComplaint(chair, app.ComplaintInput{ProceedingID: p.ID, ComplainantMemberID: w.mB2.ID, Content: "Đề nghị xem xét lại.",
			FiledOn: d("2026-05-05"), ReceivedDecisionOn: d("2026-04-16")})
		if err != nil {
			t.Fatal(err)
		}
		if recs, _ := w.s.MemberDiscipline(chair, w.mB2.ID); len(recs) != 1 || recs[0].Effect != "ACTIVE" || recs[0].Until == d("2027-04-15") {
			t.Errorf("while the complaint is pending the expiry must be held: %+v", recs)
		}
		if _, err := w.s.ResolveComplaint(chair, c.ID, app.ResolveComplaintInput{Outcome: ktgs.OutcomeUphold, ResolvedOn: d("2026-05-10"),
			AnnouncedOn: d("2026-05-10"), Resolution: "Giữ nguyên hình thức khiển trách."}); err != nil {
			t.Fatal(err)
		}
		if recs, _ := w.s.MemberDiscipline(chair, w.mB2.ID); len(recs) != 1 || recs[0].Effect != "ACTIVE" || recs[0].Until != d("2027-05-09") {
			t.Errorf("after the complaint decision: %+v, want in force until 09/05/2027", recs)
		}
		// The complaint decision goes through the documents capability.
		det, err := w.s.ComplaintDetail(chair, c.ID)
		if err != nil || len(det.Documents) != 1 || det.Documents[0].NumberText != "Số 01-QĐ/UBKTĐU" || det.Documents[0].DocxHash == "" {
			t.Errorf("complaint decision document: %+v %v", det.Documents, err)
		} else if _, _, data, err := w.s.DocumentFile(chair, det.Documents[0].ID, "docx"); err != nil || len(data) < 1000 {
			t.Errorf("complaint decision DOCX: %d bytes, %v", len(data), err)
		}
	})
}

// TestComplaintResolutionDeadline: a complaint must be resolved within
// the rule set's time limit from its receipt (R11: 90 working days below
// the centre, a QĐ 30 value carried into QĐ 296 as unverified); the
// limit is shown and reminded once when overdue.
func TestComplaintResolutionDeadline(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		p := w.decided(t, w.as(t, w.sec), w.mB2, w.chiboB, "DAO_DUC_LOI_SONG", ktgs.FormReprimand)
		chair := w.as(t, w.chair)
		w.setDay("2026-05-10")
		c, err := w.s.FileComplaint(chair, app.ComplaintInput{ProceedingID: p.ID, ComplainantMemberID: w.mB2.ID, Content: "Đề nghị xem xét lại.",
			FiledOn: d("2026-05-05"), ReceivedDecisionOn: d("2026-04-16")})
		if err != nil {
			t.Fatal(err)
		}
		want := calendar.Default().Add(d("2026-05-05"), 90, calendar.WorkingDays)
		if c.ResolveBy != want {
			t.Fatalf("resolve by %s, want %s (90 working days from 5/5/2026)", c.ResolveBy, want)
		}
		if n, err := w.s.RunReminders(ctx, want.AddDays(1)); err != nil || n == 0 {
			t.Errorf("overdue complaint reminded %d (%v)", n, err)
		}
		if n, _ := w.s.RunReminders(ctx, want.AddDays(2)); n != 0 {
			t.Errorf("reminded again: %d", n)
		}
		notes, _ := w.s.Notifications(chair)
		found := false
		for _, nt := range notes {
			found = found || (strings.Contains(nt.Text, c.Code) && strings.Contains(nt.Text, "quá hạn"))
		}
		if !found {
			t.Errorf("the chair who recorded the complaint was not notified")
		}
	})
}
