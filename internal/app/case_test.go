package app_test

// Inspection and supervision cases at the use-case level, on both
// engines: the procedure of ktgs.CaseTransitions step by step with its
// timeline and audit trail, every refusal (which must change nothing),
// suspension, the team and conflicts of interest, evidence files, the case
// list, programmes, "my work" and reminders.

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/calendar"
	"ktgs/internal/civil"
	"ktgs/internal/mail"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// csT0 is the pinned start: Monday 13/4/2026, 9:00 in Vietnam.
var csT0 = time.Date(2026, 4, 13, 2, 0, 0, 0, time.UTC)

// csWorld is a province with two communes (each with a UBKT), three chi bộ
// in the first commune and one in the second, their members, and the
// accounts of the people who work on cases.
type csWorld struct {
	s   *app.Service
	db  *store.DB
	url string
	eng string

	mu  sync.Mutex
	now time.Time

	root, prov, c1, c2 *ktgs.Org
	a, b, cc, s1       *ktgs.Org // chi bộ A, B (subjects), CC (the cadres' own) in c1; S1 in c2
	ubkt1, ubkt2       int64     // the communes' UBKT
	chiboB             int64     // chi bộ B as a body

	mA1, mA2, mB1, mB2, mC1, mC2, mS1 *ktgs.Member

	// chair: CHAIR of c1 (TOI_MAT); lead, insp, insp2: INSPECTORs of c1
	// (MAT); sameOrg, sameMem, subj: INSPECTORs who are members of chi bộ
	// A, of chi bộ B, and the subject member mB1; rel: an INSPECTOR who
	// will declare a relative; low: an INSPECTOR with clearance THUONG;
	// sec: the SECRETARY of chi bộ B; viewer: a VIEWER of c1; sib: an
	// INSPECTOR of the sibling commune c2; provChair: CHAIR of the province.
	chair, lead, insp, insp2, sameOrg, sameMem, subj, rel, low, sec, viewer, sib, provChair *ktgs.User
}

func (w *csWorld) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

// setDay moves the clock to 9:00 in Vietnam on day s.
func (w *csWorld) setDay(s string) {
	y, m, dd := d(s).YMD()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = time.Date(y, m, dd, 9, 0, 0, 0, app.Zone)
}

// csRun runs fn on every engine with a fresh database whose store clock is
// the same pinned clock as Service.Clock.
func csRun(t *testing.T, fn func(t *testing.T, w *csWorld)) {
	t.Helper()
	for _, eng := range testdb.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			w := &csWorld{now: csT0, eng: eng.Name}
			w.url = eng.URL(t)
			db, err := store.Open(ctx, w.url, store.Options{Now: w.clock})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			w.db = db
			w.s = app.New(db, nil)
			w.s.Clock = w.clock
			w.build(t)
			fn(t, w)
		})
	}
}

func (w *csWorld) build(t *testing.T) {
	t.Helper()
	s := w.s
	D := ktgs.ReformDate
	w.root = mustCreate(t, s, app.OrgInput{Code: "TW", Type: ktgs.OrgTypeCentral, Name: "Đảng Cộng sản Việt Nam", ValidFrom: d("1930-02-03")})
	w.prov = mustCreate(t, s, app.OrgInput{Code: "NBI", Type: ktgs.OrgTypeDirectlyUnderCC, Name: "Đảng bộ tỉnh Ninh Bình", ParentID: w.root.ID, ValidFrom: D})
	w.c1 = mustCreate(t, s, app.OrgInput{Code: "NBI-KB", Type: ktgs.OrgTypeCommune, Name: "Đảng bộ phường Kim Bảng", ParentCode: "NBI", ValidFrom: D})
	w.c2 = mustCreate(t, s, app.OrgInput{Code: "NBI-LT", Type: ktgs.OrgTypeCommune, Name: "Đảng bộ xã Liêm Thuận", ParentCode: "NBI", ValidFrom: D})
	w.a = mustCreate(t, s, app.OrgInput{Code: "NBI-KB-01", Type: ktgs.OrgTypeGrassrootsBranch, Name: "Chi bộ tổ dân phố Thụy Xuyên", ParentCode: "NBI-KB", ValidFrom: D})
	w.b = mustCreate(t, s, app.OrgInput{Code: "NBI-KB-02", Type: ktgs.OrgTypeGrassrootsBranch, Name: "Chi bộ tổ dân phố Tân Lang", ParentCode: "NBI-KB", ValidFrom: D})
	w.cc = mustCreate(t, s, app.OrgInput{Code: "NBI-KB-03", Type: ktgs.OrgTypeGrassrootsBranch, Name: "Chi bộ cơ quan Đảng ủy phường", ParentCode: "NBI-KB", ValidFrom: D})
	w.s1 = mustCreate(t, s, app.OrgInput{Code: "NBI-LT-01", Type: ktgs.OrgTypeGrassrootsBranch, Name: "Chi bộ thôn Đồng Sơn", ParentCode: "NBI-LT", ValidFrom: D})
	mem := func(card, name, gender, home string) *ktgs.Member {
		return mustMember(t, s, app.MemberInput{CardNumber: card, FullName: name, Gender: ktgs.Gender(gender), BirthDate: d("1975-05-01"),
			AdmittedOn: d("2001-03-03"), OfficialOn: d("2002-03-03"), HomeOrgCode: home})
	}
	w.mA1 = mem("03000001", "Nguyễn Văn Hùng", "NAM", "NBI-KB-01")
	w.mA2 = mem("03000002", "Lê Thị Mai", "NU", "NBI-KB-01")
	w.mB1 = mem("03000003", "Trần Văn Bình", "NAM", "NBI-KB-02")
	w.mB2 = mem("03000004", "Phạm Thị Lan", "NU", "NBI-KB-02")
	w.mC1 = mem("03000005", "Hoàng Văn Minh", "NAM", "NBI-KB-03")
	w.mC2 = mem("03000006", "Đỗ Thị Hạnh", "NU", "NBI-KB-03")
	w.mS1 = mem("03000007", "Vũ Văn Sơn", "NAM", "NBI-LT-01")
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		body := func(org int64, k ktgs.BodyKind) int64 {
			b, err := tx.BodyByKind(ctx, org, k)
			if err != nil {
				t.Fatalf("body %s of %d: %v", k, org, err)
			}
			return b.ID
		}
		w.ubkt1, w.ubkt2, w.chiboB = body(w.c1.ID, ktgs.BodyInspectionCommission), body(w.c2.ID, ktgs.BodyInspectionCommission), body(w.b.ID, ktgs.BodyBranch)
		user := func(name, display, email string, role authz.Role, mark authz.Mark, member int64, scope ...int64) *ktgs.User {
			u := &ktgs.User{Username: name, DisplayName: display, Email: email, Role: role, Clearance: mark, MemberID: member, Scope: scope}
			if err := tx.InsertUser(ctx, u); err != nil {
				t.Fatalf("InsertUser %s: %v", name, err)
			}
			return u
		}
		c1, c2 := w.c1.ID, w.c2.ID
		w.chair = user("chunhiem.kb", "Chủ nhiệm Ngô Văn Chính", "chunhiem@kimbang.example", authz.RoleChair, authz.TopSecret, 0, c1)
		w.lead = user("truongdoan.kb", "Hoàng Văn Minh", "minh@kimbang.example", authz.RoleInspector, authz.Secret, w.mC1.ID, c1)
		w.insp = user("canbo.kb", "Đỗ Thị Hạnh", "hanh@kimbang.example", authz.RoleInspector, authz.Secret, w.mC2.ID, c1)
		w.insp2 = user("canbo2.kb", "Bùi Văn Quang", "", authz.RoleInspector, authz.Secret, 0, c1)
		w.sameOrg = user("canbo.a", "Lê Thị Mai", "", authz.RoleInspector, authz.Secret, w.mA2.ID, c1)
		w.sameMem = user("canbo.b", "Phạm Thị Lan", "", authz.RoleInspector, authz.Secret, w.mB2.ID, c1)
		w.subj = user("canbo.binh", "Trần Văn Bình", "", authz.RoleInspector, authz.Secret, w.mB1.ID, c1)
		w.rel = user("canbo.rel", "Trần Thị Hoa", "", authz.RoleInspector, authz.Secret, 0, c1)
		w.low = user("canbo.thuong", "Đinh Văn Thường", "", authz.RoleInspector, authz.Normal, 0, c1)
		w.sec = user("bithu.b", "Bí thư chi bộ Tân Lang", "", authz.RoleSecretary, authz.Secret, 0, w.b.ID)
		w.viewer = user("xem.kb", "Người xem", "", authz.RoleViewer, authz.Normal, 0, c1)
		w.sib = user("canbo.lt", "Cán bộ Liêm Thuận", "", authz.RoleInspector, authz.Secret, 0, c2)
		w.provChair = user("chunhiem.nbi", "Chủ nhiệm tỉnh", "", authz.RoleChair, authz.TopSecret, 0, w.prov.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// as returns a context whose actor is u, having passed two-factor
// authentication.
func (w *csWorld) as(t *testing.T, u *ktgs.User) context.Context { return w.actor(t, u, true) }

func (w *csWorld) actor(t *testing.T, u *ktgs.User, twoFactor bool) context.Context {
	t.Helper()
	a := &authz.Actor{UserID: u.ID, Name: u.Username, Role: u.Role, Scope: u.Scope, Clearance: u.Clearance, MemberID: u.MemberID, TwoFactor: twoFactor}
	if err := w.db.View(ctx, func(tx *store.Tx) error {
		var err error
		a.ScopeAncestry, err = w.s.ScopeAncestry(ctx, tx, u.Scope)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return app.WithActor(context.Background(), a)
}

func orgSubj(o *ktgs.Org) app.SubjectInput {
	return app.SubjectInput{Kind: ktgs.SubjectOrg, OrgID: o.ID}
}

func memSubj(m *ktgs.Member) app.SubjectInput {
	return app.SubjectInput{Kind: ktgs.SubjectMember, CardNumber: m.CardNumber}
}

// propose proposes a case by body as the actor of actx.
func (w *csWorld) propose(t *testing.T, actx context.Context, kind ktgs.CaseKind, body int64, title string, subj ...app.SubjectInput) *ktgs.Case {
	t.Helper()
	c, err := w.s.ProposeCase(actx, app.CaseInput{Kind: kind, BodyID: body, Title: title,
		Content: "Nội dung: việc chấp hành nguyên tắc tập trung dân chủ và quy chế làm việc.", Subjects: subj})
	if err != nil {
		t.Fatalf("ProposeCase %q: %v", title, err)
	}
	return c
}

// dhvp proposes, as the chair, the usual case of these tests: the commune
// UBKT inspects chi bộ A and the member Trần Văn Bình of chi bộ B on signs
// of violation (marked MAT).
func (w *csWorld) dhvp(t *testing.T) *ktgs.Case {
	t.Helper()
	return w.propose(t, w.as(t, w.chair), ktgs.CaseKindKTDHVP, w.ubkt1, "Kiểm tra khi có dấu hiệu vi phạm đối với Chi bộ tổ dân phố Thụy Xuyên",
		orgSubj(w.a), memSubj(w.mB1))
}

// csSnap is everything a refused use case must leave as it was.
type csSnap struct {
	Case      *ktgs.Case
	Events    []ktgs.CaseEvent
	Team      []ktgs.TeamMember
	Findings  []ktgs.Finding
	Rems      []ktgs.Remediation
	Reports   []store.RemediationReport
	Files     []store.CaseFile
	Conflicts []ktgs.Conflict
	Seq       int64
	Hash      string
}

func (w *csWorld) snap(t *testing.T, id int64) csSnap {
	t.Helper()
	var sn csSnap
	err := w.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if sn.Case, err = tx.Case(ctx, id); err != nil {
			return err
		}
		if sn.Events, err = tx.CaseEvents(ctx, id); err != nil {
			return err
		}
		if sn.Team, err = tx.Team(ctx, id); err != nil {
			return err
		}
		if sn.Findings, err = tx.Findings(ctx, id); err != nil {
			return err
		}
		if sn.Rems, err = tx.Remediations(ctx, id); err != nil {
			return err
		}
		if sn.Reports, err = tx.RemediationReports(ctx, id); err != nil {
			return err
		}
		if sn.Files, err = tx.CaseFiles(ctx, id); err != nil {
			return err
		}
		for _, u := range []*ktgs.User{w.rel, w.insp, w.insp2} {
			cf, err := tx.Conflicts(ctx, u.ID)
			if err != nil {
				return err
			}
			sn.Conflicts = append(sn.Conflicts, cf...)
		}
		sn.Seq, sn.Hash, err = tx.AuditHead(ctx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return sn
}

// refused runs do, which must fail, checks its error with check and that
// case id, its timeline, team, findings, remediations, files and the audit
// head are unchanged.
func (w *csWorld) refused(t *testing.T, id int64, what string, do func() error, check func(t *testing.T, err error)) {
	t.Helper()
	before := w.snap(t, id)
	err := do()
	if err == nil {
		t.Fatalf("%s: accepted, want a refusal", what)
	}
	t.Run(what, func(t *testing.T) { check(t, err) })
	after := w.snap(t, id)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("%s: the refusal changed something:\nbefore %+v\nafter  %+v", what, before, after)
	}
}

// invalid checks an EINVALID error on field with key.
func invalid(field, key string) func(*testing.T, error) {
	return func(t *testing.T, err error) { t.Helper(); fieldErr(t, err, field, key) }
}

// csErr checks an error's code and message key.
func csErr(code, key string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		e := ktgs.AsError(err)
		if e == nil || e.Code != code || e.Message != key {
			t.Fatalf("err = %v, want %s %s", err, code, key)
		}
	}
}

// step takes transition in as the actor of actx (user u, nil for the
// system) and checks the case went from → to, with one new timeline line
// and one new audit entry naming the actor and both statuses.
func (w *csWorld) step(t *testing.T, actx context.Context, u *ktgs.User, id int64, in app.TransitionInput, from, to ktgs.CaseStatus) *ktgs.Case {
	t.Helper()
	before := w.snap(t, id)
	if before.Case.Status != from {
		t.Fatalf("%s: case is %s, want %s", in.Name, before.Case.Status, from)
	}
	c, err := w.s.Transition(actx, id, in)
	if err != nil {
		t.Fatalf("%s as %v: %v", in.Name, u, err)
	}
	after := w.snap(t, id)
	if c.Status != to || after.Case.Status != to {
		t.Fatalf("%s: status returned %s, stored %s, want %s", in.Name, c.Status, after.Case.Status, to)
	}
	actorID, actor := int64(0), app.SystemActor
	if u != nil {
		actorID, actor = u.ID, u.Username
	}
	if len(after.Events) != len(before.Events)+1 {
		t.Fatalf("%s: %d new timeline lines, want 1", in.Name, len(after.Events)-len(before.Events))
	}
	e := after.Events[len(after.Events)-1]
	if e.Transition != in.Name || e.From != from || e.To != to || e.ActorID != actorID || e.Actor != actor {
		t.Errorf("%s: timeline line %+v", in.Name, e)
	}
	if after.Seq != before.Seq+1 {
		t.Fatalf("%s: %d new audit entries, want 1", in.Name, after.Seq-before.Seq)
	}
	ent := w.lastAudit(t)
	var b, a map[string]any
	json.Unmarshal(ent.Before, &b)
	json.Unmarshal(ent.After, &a)
	if ent.Action != "case."+in.Name || ent.ObjectType != "case" || ent.ObjectID != fmt.Sprint(id) || ent.ActorID != actorID ||
		ent.Actor != actor || ent.OrgID != c.OrgID || b["status"] != string(from) || a["status"] != string(to) {
		t.Errorf("%s: audit entry %s %s/%s by %s(%d) org %d, before %v after %v", in.Name, ent.Action, ent.ObjectType, ent.ObjectID,
			ent.Actor, ent.ActorID, ent.OrgID, b["status"], a["status"])
	}
	return c
}

func (w *csWorld) lastAudit(t *testing.T) auditEntryView {
	t.Helper()
	var out auditEntryView
	err := w.db.View(ctx, func(tx *store.Tx) error {
		es, err := tx.AuditEntries(ctx, store.AuditFilter{System: true, Limit: 1})
		if err != nil || len(es) == 0 {
			return fmt.Errorf("no audit entry: %v", err)
		}
		e := es[0]
		out = auditEntryView{Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID, ActorID: e.ActorID, Actor: e.Actor,
			OrgID: e.OrgID, Before: e.Before, After: e.After, Reason: e.Reason}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type auditEntryView struct {
	Action, ObjectType, ObjectID string
	ActorID                      int64
	Actor                        string
	OrgID                        int64
	Before, After                json.RawMessage
	Reason                       string
}

// caseAudit returns the actions of the audit entries about case id (object
// "case"), oldest first.
func (w *csWorld) caseAudit(t *testing.T, id int64) []string {
	t.Helper()
	var out []string
	err := w.db.View(ctx, func(tx *store.Tx) error {
		es, err := tx.AuditEntries(ctx, store.AuditFilter{System: true, ObjectType: "case", ObjectID: fmt.Sprint(id), Limit: 500})
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

// next returns the names of CaseDetail.Next for the actor of actx.
func (w *csWorld) next(t *testing.T, actx context.Context, id int64) []string {
	t.Helper()
	det, err := w.s.CaseDetail(actx, id)
	if err != nil {
		t.Fatalf("CaseDetail: %v", err)
	}
	var out []string
	for _, tr := range det.Next {
		out = append(out, tr.Name)
	}
	return out
}

// wantNext checks CaseDetail.Next for several actors.
func (w *csWorld) wantNext(t *testing.T, id int64, want map[*ktgs.User][]string) {
	t.Helper()
	for u, names := range want {
		if got := w.next(t, w.as(t, u), id); !slices.Equal(got, names) {
			t.Errorf("Next for %s at %s = %v, want %v", u.Username, w.snap(t, id).Case.Status, got, names)
		}
	}
}

func (w *csWorld) addTeam(t *testing.T, actx context.Context, id int64, u *ktgs.User, role ktgs.TeamRole) {
	t.Helper()
	if err := w.s.AddTeamMember(actx, id, u.ID, role); err != nil {
		t.Fatalf("AddTeamMember %s: %v", u.Username, err)
	}
}

// advance takes case id, as the system, through the procedure up to
// status target, meeting each step's requirements on the way (a team
// of lead and insp, every subject's documents, a finding per subject, a
// remediation per subject due 60 days after the conclusion).
func (w *csWorld) advance(t *testing.T, id int64, target ktgs.CaseStatus) *ktgs.Case {
	t.Helper()
	for {
		sn := w.snap(t, id)
		c := sn.Case
		if c.Status == target {
			return c
		}
		today := w.s.Today()
		var in app.TransitionInput
		switch c.Status {
		case ktgs.CaseProposed:
			in = app.TransitionInput{Name: "decide", StartOn: today, DurationDays: 30}
		case ktgs.CaseDecided:
			onTeam := map[int64]bool{}
			lead := false
			for _, m := range sn.Team {
				if m.RemovedOn.IsZero() {
					onTeam[m.UserID] = true
					lead = lead || m.Role == ktgs.TeamRoleLead
				}
			}
			if !lead && !onTeam[w.lead.ID] {
				w.addTeam(t, ctx, id, w.lead, ktgs.TeamRoleLead)
			}
			if !onTeam[w.insp.ID] {
				w.addTeam(t, ctx, id, w.insp, ktgs.TeamRoleMember)
			}
			in = app.TransitionInput{Name: "form_team"}
		case ktgs.CaseTeamFormed:
			in = app.TransitionInput{Name: "announce"}
		case ktgs.CaseAnnounced:
			for _, sb := range c.Subjects {
				if sb.SelfReportOn.IsZero() {
					if err := w.s.RecordSubjectDoc(ctx, id, sb.Seq, "self_report", today, nil); err != nil {
						t.Fatal(err)
					}
				}
			}
			in = app.TransitionInput{Name: "self_report"}
		case ktgs.CaseSelfReported:
			in = app.TransitionInput{Name: "verify"}
		case ktgs.CaseVerifying:
			for _, sb := range c.Subjects {
				if _, err := w.s.AddFinding(ctx, id, app.FindingInput{SubjectSeq: sb.Seq, Kind: ktgs.FindingShortcoming,
					Text: "Chưa thực hiện đầy đủ chế độ báo cáo định kỳ."}); err != nil {
					t.Fatal(err)
				}
			}
			in = app.TransitionInput{Name: "draft_report"}
		case ktgs.CaseDraftReport:
			for _, sb := range c.Subjects {
				if err := w.s.RecordSubjectDoc(ctx, id, sb.Seq, "comments", today, nil); err != nil {
					t.Fatal(err)
				}
			}
			in = app.TransitionInput{Name: "meet"}
		case ktgs.CaseMeeting:
			in = app.TransitionInput{Name: "conclude"}
			for _, sb := range c.Subjects {
				in.Remediations = append(in.Remediations, app.RemediationInput{SubjectSeq: sb.Seq,
					Text: "Khắc phục khuyết điểm, báo cáo kết quả bằng văn bản.", DueOn: today.AddDays(60)})
			}
		case ktgs.CaseConcluded:
			if target == ktgs.CaseClosed {
				for _, r := range sn.Rems {
					if !r.Status.Done() {
						if _, err := w.s.ActOnRemediation(ctx, r.ID, app.RemediationAction{Kind: "waive", Text: "Không còn đối tượng để khắc phục."}); err != nil {
							t.Fatal(err)
						}
					}
				}
				in = app.TransitionInput{Name: "close"}
			} else {
				in = app.TransitionInput{Name: "follow_up"}
			}
		case ktgs.CaseFollowUp:
			for _, r := range sn.Rems {
				if !r.Status.Done() {
					if _, err := w.s.ActOnRemediation(ctx, r.ID, app.RemediationAction{Kind: "waive", Text: "Không còn đối tượng để khắc phục."}); err != nil {
						t.Fatal(err)
					}
				}
			}
			in = app.TransitionInput{Name: "close"}
		default:
			t.Fatalf("advance: cannot go from %s to %s", c.Status, target)
		}
		if _, err := w.s.Transition(ctx, id, in); err != nil {
			t.Fatalf("advance %s from %s: %v", in.Name, c.Status, err)
		}
	}
}

// csPDF is a small valid PDF.
var csPDF = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n" +
	"trailer\n<< /Root 1 0 R >>\n%%EOF\n")

func pdfOf(n int) []byte {
	b := append([]byte{}, csPDF...)
	for len(b) < n {
		b = append(b, '%')
	}
	return b[:n]
}

// ---------------------------------------------------------------------

// TestCaseProcedure runs one case through the whole procedure, checking
// at each step the status, the timeline, the audit trail and the steps
// each person may take next.
func TestCaseProcedure(t *testing.T) {
	csRun(t, func(t *testing.T, w *csWorld) {
		chair, lead, insp := w.as(t, w.chair), w.as(t, w.lead), w.as(t, w.insp)

		// 1. Proposal: two subjects, an organisation and a member (card
		// number typed with separators).
		c, err := w.s.ProposeCase(chair, app.CaseInput{Kind: ktgs.CaseKindKTDHVP, BodyID: w.ubkt1,
			Title:   "  Kiểm tra khi có dấu hiệu vi phạm đối với Chi bộ tổ dân phố Thụy Xuyên ",
			Content: "Dấu hiệu vi phạm trong quản lý quỹ chi bộ.",
			Subjects: []app.SubjectInput{{Kind: ktgs.SubjectOrg, OrgCode: " NBI-KB-01 "},
				{Kind: ktgs.SubjectMember, CardNumber: "03.000.003"}}})
		if err != nil {
			t.Fatal(err)
		}
		id := c.ID
		if !regexp.MustCompile(`^KT-2026-\d{6}$`).MatchString(c.Code) || c.Status != ktgs.CaseProposed || c.Mark != authz.Secret ||
			c.Year != 2026 || c.ProposedOn != d("2026-04-13") || c.CreatedBy != w.chair.ID || c.BodyID != w.ubkt1 || c.OrgID != w.c1.ID ||
			c.Title != "Kiểm tra khi có dấu hiệu vi phạm đối với Chi bộ tổ dân phố Thụy Xuyên" {
			t.Errorf("proposed case = %+v", c)
		}
		sn := w.snap(t, id)
		want := []ktgs.CaseSubject{{Seq: 1, Kind: ktgs.SubjectOrg, OrgID: w.a.ID, Name: w.a.Name},
			{Seq: 2, Kind: ktgs.SubjectMember, OrgID: w.b.ID, MemberID: w.mB1.ID, Name: "Trần Văn Bình"}}
		if !reflect.DeepEqual(sn.Case.Subjects, want) || sn.Case.BodyKind != ktgs.BodyInspectionCommission || sn.Case.OrgName != w.c1.Name ||
			!strings.HasPrefix(sn.Case.ScopePath, w.prov.Path) || sn.Case.Code != c.Code {
			t.Errorf("stored case = %+v, subjects %+v", sn.Case, sn.Case.Subjects)
		}
		if len(sn.Events) != 1 || sn.Events[0].Transition != "propose" || sn.Events[0].To != ktgs.CaseProposed || sn.Events[0].ActorID != w.chair.ID {
			t.Errorf("timeline after the proposal = %+v", sn.Events)
		}
		if got := w.caseAudit(t, id); !slices.Equal(got, []string{"case.propose"}) {
			t.Errorf("audit after the proposal = %v", got)
		}
		w.wantNext(t, id, map[*ktgs.User][]string{w.chair: {"decide", "suspend", "cancel"}, w.lead: nil})

		// 2. Decision and plan: 30 working days from Monday 20/4/2026,
		// across the days off of 27/4 (in lieu of the Hùng Kings'
		// commemoration), 30/4 and 1/5.
		w.setDay("2026-04-15")
		c = w.step(t, chair, w.chair, id, app.TransitionInput{Name: "decide", StartOn: d("2026-04-20"), DurationDays: 30}, ktgs.CaseProposed, ktgs.CaseDecided)
		wantDue := calendar.Default().Add(d("2026-04-20"), 30, calendar.WorkingDays)
		if c.DueOn != d("2026-06-04") || wantDue != c.DueOn || c.DecidedOn != d("2026-04-15") || c.StartOn != d("2026-04-20") || c.DurationDays != 30 {
			t.Errorf("plan: decided %s start %s %d days due %s, want due 2026-06-04 (calendar %s)", c.DecidedOn, c.StartOn, c.DurationDays, c.DueOn, wantDue)
		}
		if c.DueOn == d("2026-04-20").AddDays(42) {
			t.Errorf("due date ignores the public holidays")
		}
		if sc := w.snap(t, id).Case; sc.DueOn != c.DueOn || sc.DurationUnit != string(calendar.WorkingDays) {
			t.Errorf("stored plan due %s unit %q", sc.DueOn, sc.DurationUnit)
		}
		var after map[string]any
		json.Unmarshal(w.lastAudit(t).After, &after)
		if after["due_on"] != "2026-06-04" || after["duration_days"] != float64(30) || after["decided_on"] != "2026-04-15" {
			t.Errorf("audit of the decision: %v", after)
		}
		w.wantNext(t, id, map[*ktgs.User][]string{w.chair: {"form_team", "suspend", "cancel"}})

		// 3. The team: a lead and a member.
		w.setDay("2026-04-16")
		w.addTeam(t, chair, id, w.lead, ktgs.TeamRoleLead)
		w.addTeam(t, chair, id, w.insp, ktgs.TeamRoleMember)
		sn = w.snap(t, id)
		if len(sn.Team) != 2 || sn.Team[0].UserID != w.lead.ID || sn.Team[0].Role != ktgs.TeamRoleLead || sn.Team[1].UserID != w.insp.ID ||
			sn.Team[1].Role != ktgs.TeamRoleMember || sn.Team[0].AddedOn != d("2026-04-16") || sn.Team[0].DisplayName != "Hoàng Văn Minh" {
			t.Errorf("team = %+v", sn.Team)
		}
		w.wantNext(t, id, map[*ktgs.User][]string{w.chair: {"form_team", "suspend", "cancel"}, w.lead: nil, w.insp: nil})
		w.step(t, chair, w.chair, id, app.TransitionInput{Name: "form_team"}, ktgs.CaseDecided, ktgs.CaseTeamFormed)
		w.wantNext(t, id, map[*ktgs.User][]string{w.chair: {"announce", "suspend", "cancel"}, w.lead: {"announce"}, w.insp: nil})

		// 4. Announcement, by the lead.
		w.setDay("2026-04-20")
		w.step(t, lead, w.lead, id, app.TransitionInput{Name: "announce", Note: "Công bố quyết định tại chi bộ."}, ktgs.CaseTeamFormed, ktgs.CaseAnnounced)
		w.wantNext(t, id, map[*ktgs.User][]string{w.chair: {"suspend", "cancel"}, w.lead: {"self_report"}, w.insp: {"self_report"}})

		// 5. Self-reports of both subjects, the first with its file.
		if err := w.s.RecordSubjectDoc(insp, id, 1, "self_report", d("2026-04-24"), &app.FileInput{Name: "bao-cao-tu-kiem-tra.pdf", Data: csPDF}); err != nil {
			t.Fatal(err)
		}
		if err := w.s.RecordSubjectDoc(insp, id, 2, "self_report", d("2026-04-28"), nil); err != nil {
			t.Fatal(err)
		}
		sn = w.snap(t, id)
		if sn.Case.Subjects[0].SelfReportOn != d("2026-04-24") || sn.Case.Subjects[1].SelfReportOn != d("2026-04-28") {
			t.Errorf("self-reports recorded on %s and %s", sn.Case.Subjects[0].SelfReportOn, sn.Case.Subjects[1].SelfReportOn)
		}
		if len(sn.Files) != 1 || sn.Files[0].Kind != "SELF_REPORT" || sn.Files[0].SubjectSeq != 1 || sn.Files[0].Mime != "application/pdf" ||
			sn.Files[0].Name != "bao-cao-tu-kiem-tra.pdf" || sn.Files[0].UploadedBy != w.insp.ID {
			t.Errorf("self-report file = %+v", sn.Files)
		}
		w.setDay("2026-04-29")
		w.step(t, insp, w.insp, id, app.TransitionInput{Name: "self_report"}, ktgs.CaseAnnounced, ktgs.CaseSelfReported)
		w.wantNext(t, id, map[*ktgs.User][]string{w.chair: {"suspend", "cancel"}, w.lead: {"verify"}, w.insp: nil})

		// 6. Verification and findings.
		w.setDay("2026-05-04")
		w.step(t, lead, w.lead, id, app.TransitionInput{Name: "verify"}, ktgs.CaseSelfReported, ktgs.CaseVerifying)
		f1, err := w.s.AddFinding(insp, id, app.FindingInput{SubjectSeq: 1, Kind: ktgs.FindingStrength, Spread: true,
			Text: "Duy trì nền nếp sinh hoạt chi bộ định kỳ, nội dung phong phú."})
		if err != nil {
			t.Fatal(err)
		}
		f2, err := w.s.AddFinding(lead, id, app.FindingInput{SubjectSeq: 1, Kind: ktgs.FindingShortcoming,
			Text: "Chậm nộp báo cáo thu chi quỹ chi bộ.", ResponsibleCard: "03 000 001", Head: true})
		if err != nil {
			t.Fatal(err)
		}
		f3, err := w.s.AddFinding(lead, id, app.FindingInput{SubjectSeq: 2, Kind: ktgs.FindingViolation, Category: "TAI_CHINH",
			WarrantsDiscipline: true, Text: "Sử dụng quỹ chi bộ sai mục đích.", ResponsibleCard: "03000003"})
		if err != nil {
			t.Fatal(err)
		}
		det, err := w.s.CaseDetail(chair, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(det.Findings) != 3 {
			t.Fatalf("findings = %+v", det.Findings)
		}
		g1, g2, g3 := det.Findings[0], det.Findings[1], det.Findings[2]
		if g1.ID != f1.ID || g1.Kind != ktgs.FindingStrength || !g1.Spread || g1.SubjectSeq != 1 ||
			g2.ID != f2.ID || g2.ResponsibleMemberID != w.mA1.ID || !g2.IsHead || g2.Spread ||
			g3.ID != f3.ID || g3.Kind != ktgs.FindingViolation || g3.Category != "TAI_CHINH" || !g3.WarrantsDiscipline || g3.ResponsibleMemberID != w.mB1.ID || g3.SubjectSeq != 2 {
			t.Errorf("findings = %+v", det.Findings)
		}
		w.setDay("2026-05-15")
		w.step(t, lead, w.lead, id, app.TransitionInput{Name: "draft_report"}, ktgs.CaseVerifying, ktgs.CaseDraftReport)
		w.wantNext(t, id, map[*ktgs.User][]string{w.chair: {"meet", "suspend", "cancel"}, w.lead: {"meet"}, w.insp: nil})

		// 7. The subjects' comments on the draft, the meeting.
		w.setDay("2026-05-20")
		for seq := 1; seq <= 2; seq++ {
			if err := w.s.RecordSubjectDoc(insp, id, seq, "comments", civil.Date(0), nil); err != nil {
				t.Fatal(err)
			}
		}
		if sc := w.snap(t, id).Case; sc.Subjects[0].CommentsOn != d("2026-05-20") || sc.Subjects[1].CommentsOn != d("2026-05-20") {
			t.Errorf("comments recorded %+v", sc.Subjects)
		}
		w.setDay("2026-05-25")
		w.step(t, chair, w.chair, id, app.TransitionInput{Name: "meet"}, ktgs.CaseDraftReport, ktgs.CaseMeeting)
		w.wantNext(t, id, map[*ktgs.User][]string{w.chair: {"conclude", "suspend", "cancel"}, w.lead: nil, w.insp: nil})

		// 8. Conclusion with two remediation requests.
		w.setDay("2026-05-26")
		c = w.step(t, chair, w.chair, id, app.TransitionInput{Name: "conclude", Remediations: []app.RemediationInput{
			{SubjectSeq: 1, FindingID: f2.ID, Text: "Nộp đầy đủ báo cáo thu chi quỹ.", DueOn: d("2026-07-31")},
			{SubjectSeq: 2, FindingID: f3.ID, Text: "Hoàn trả khoản chi sai mục đích.", DueOn: d("2026-08-31")},
		}}, ktgs.CaseMeeting, ktgs.CaseConcluded)
		if c.ConcludedOn != d("2026-05-26") {
			t.Errorf("concluded on %s", c.ConcludedOn)
		}
		rems := w.snap(t, id).Rems
		if len(rems) != 2 || rems[0].Status != ktgs.RemediationOpen || rems[0].FindingID != f2.ID || rems[0].DueOn != d("2026-07-31") ||
			rems[1].SubjectSeq != 2 || rems[1].FindingID != f3.ID || rems[1].Text != "Hoàn trả khoản chi sai mục đích." {
			t.Errorf("remediations = %+v", rems)
		}
		w.wantNext(t, id, map[*ktgs.User][]string{w.chair: {"follow_up", "close", "suspend", "cancel"}, w.lead: {"follow_up"}, w.insp: nil})

		// 9. Follow-up: a progress report with evidence, its verification,
		// a waiver.
		w.setDay("2026-05-27")
		w.step(t, lead, w.lead, id, app.TransitionInput{Name: "follow_up"}, ktgs.CaseConcluded, ktgs.CaseFollowUp)
		w.wantNext(t, id, map[*ktgs.User][]string{w.chair: {"close", "suspend", "cancel"}, w.lead: nil})
		w.setDay("2026-06-10")
		r1, err := w.s.ActOnRemediation(insp, rems[0].ID, app.RemediationAction{Kind: "report", Text: "Chi bộ đã nộp đủ báo cáo quý I và II.",
			File: &app.FileInput{Name: "bien-ban-khac-phuc.pdf", Data: pdfOf(600)}})
		if err != nil {
			t.Fatal(err)
		}
		if r1.Status != ktgs.RemediationReported {
			t.Errorf("after report: %s", r1.Status)
		}
		if ent := w.lastAudit(t); ent.Action != "case.remediation_report" || ent.ObjectType != "remediation" || ent.ObjectID != fmt.Sprint(r1.ID) || ent.ActorID != w.insp.ID {
			t.Errorf("audit of the report: %+v", ent)
		}
		r1, err = w.s.ActOnRemediation(lead, rems[0].ID, app.RemediationAction{Kind: "verify", Text: "Đã kiểm tra sổ sách."})
		if err != nil || r1.Status != ktgs.RemediationVerified {
			t.Fatalf("verify: %v %v", r1, err)
		}
		r2, err := w.s.ActOnRemediation(chair, rems[1].ID, app.RemediationAction{Kind: "waive", Text: "Đảng viên đã nộp đủ theo kết luận của cơ quan khác."})
		if err != nil || r2.Status != ktgs.RemediationWaived || r2.Reason != "Đảng viên đã nộp đủ theo kết luận của cơ quan khác." {
			t.Fatalf("waive: %+v %v", r2, err)
		}
		det, err = w.s.CaseDetail(lead, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(det.Reports) != 3 || det.Reports[0].Kind != "REPORT" || det.Reports[0].UserID != w.insp.ID || det.Reports[1].Kind != "VERIFY" || det.Reports[2].Kind != "WAIVE" {
			t.Errorf("remediation reports = %+v", det.Reports)
		}
		var ev *store.CaseFile
		for i := range det.Files {
			if det.Files[i].Kind == "REMEDIATION" {
				ev = &det.Files[i]
			}
		}
		if ev == nil || ev.RemediationReportID != det.Reports[0].ID || ev.SubjectSeq != 1 || ev.Size != 600 || ev.Name != "bien-ban-khac-phuc.pdf" {
			t.Errorf("evidence = %+v", det.Files)
		} else if _, data, err := w.s.CaseFile(chair, ev.ID); err != nil || !bytes.Equal(data, pdfOf(600)) {
			t.Errorf("evidence read back: %d bytes, %v", len(data), err)
		}

		// 10. Closure.
		w.setDay("2026-06-15")
		c = w.step(t, chair, w.chair, id, app.TransitionInput{Name: "close"}, ktgs.CaseFollowUp, ktgs.CaseClosed)
		if c.ClosedOn != d("2026-06-15") {
			t.Errorf("closed on %s", c.ClosedOn)
		}
		w.wantNext(t, id, map[*ktgs.User][]string{w.chair: nil, w.lead: nil, w.insp: nil})

		// The whole timeline and audit trail, in order.
		var got []string
		for _, e := range w.snap(t, id).Events {
			got = append(got, e.Transition)
		}
		wantEvents := []string{"propose", "decide", "team_add", "team_add", "form_team", "announce", "file", "self_report_doc",
			"self_report_doc", "self_report", "verify", "finding", "finding", "finding", "draft_report", "comments", "comments", "meet", "conclude", "follow_up",
			"file", "remediation_report", "remediation_verify", "remediation_waive", "close"}
		if !slices.Equal(got, wantEvents) {
			t.Errorf("timeline = %v\nwant       %v", got, wantEvents)
		}
		wantAudit := []string{"case.propose", "case.decide", "case.team_add", "case.team_add", "case.form_team", "case.announce", "case.file",
			"case.subject_self_report", "case.subject_self_report", "case.self_report", "case.verify", "case.finding", "case.finding", "case.finding",
			"case.draft_report", "case.subject_comments", "case.subject_comments", "case.meet", "case.conclude", "case.follow_up", "case.file", "case.close"}
		if got := w.caseAudit(t, id); !slices.Equal(got, wantAudit) {
			t.Errorf("audit = %v\nwant    %v", got, wantAudit)
		}
		if res, err := w.s.VerifyAudit(ctx); err != nil || res.Broken != nil {
			t.Errorf("audit chain: %+v %v", res, err)
		}

		// Nothing moves a closed case.
		for _, tr := range ktgs.CaseTransitions {
			w.refused(t, id, "closed/"+tr.Name, func() error {
				_, err := w.s.Transition(chair, id, app.TransitionInput{Name: tr.Name, Reason: "Lý do đủ dài để kiểm tra.", StartOn: d("2026-07-01"), DurationDays: 5})
				return err
			}, invalid("name", "err.case.out_of_order"))
		}
		w.refused(t, id, "closed/team", func() error { return w.s.AddTeamMember(chair, id, w.insp2.ID, ktgs.TeamRoleMember) },
			invalid("user_id", "err.case.closed"))
		w.refused(t, id, "closed/finding", func() error {
			_, err := w.s.AddFinding(lead, id, app.FindingInput{SubjectSeq: 1, Kind: ktgs.FindingShortcoming, Text: "Muộn."})
			return err
		}, invalid("kind", "err.case.findings_when"))
		w.refused(t, id, "closed/remediation", func() error {
			_, err := w.s.ActOnRemediation(lead, rems[0].ID, app.RemediationAction{Kind: "report", Text: "Báo cáo thêm."})
			return err
		}, invalid("kind", "err.case.out_of_order"))
	})
}

// TestCaseRefusals tries, at each status of the procedure, the steps that
// must be refused, and checks each refusal leaves the case, its timeline,
// team, findings, remediations, files and the audit head as they were.
func TestCaseRefusals(t *testing.T) {
	csRun(t, func(t *testing.T, w *csWorld) {
		chair, lead, insp := w.as(t, w.chair), w.as(t, w.lead), w.as(t, w.insp)
		c := w.dhvp(t)
		id := c.ID
		tr := func(actx context.Context, in app.TransitionInput) func() error {
			return func() error { _, err := w.s.Transition(actx, id, in); return err }
		}
		w.setDay("2026-04-14")

		// PROPOSED.
		w.refused(t, id, "out of order", tr(chair, app.TransitionInput{Name: "conclude"}), func(t *testing.T, err error) {
			fieldErr(t, err, "name", "err.case.out_of_order")
			if args := ktgs.AsError(err).Fields["name"].Args; !reflect.DeepEqual(args, []any{"conclude", "PROPOSED"}) {
				t.Errorf("args %v", args)
			}
		})
		w.refused(t, id, "unknown transition", tr(chair, app.TransitionInput{Name: "approve"}), invalid("name", "err.case.transition_unknown"))
		w.refused(t, id, "empty transition", tr(chair, app.TransitionInput{}), invalid("name", "err.case.transition_unknown"))
		w.refused(t, id, "decide without duration", tr(chair, app.TransitionInput{Name: "decide", StartOn: d("2026-04-20")}), invalid("duration_days", "err.case.duration"))
		w.refused(t, id, "decide with negative duration", tr(chair, app.TransitionInput{Name: "decide", StartOn: d("2026-04-20"), DurationDays: -3}), invalid("duration_days", "err.case.duration"))
		w.refused(t, id, "decide without start", tr(chair, app.TransitionInput{Name: "decide", DurationDays: 30}), invalid("start_on", "err.required"))
		w.refused(t, id, "start before the decision", tr(chair, app.TransitionInput{Name: "decide", StartOn: d("2026-04-13"), DurationDays: 30}), invalid("start_on", "err.date_after"))
		w.refused(t, id, "start before an explicit decision date", tr(chair, app.TransitionInput{Name: "decide", Date: d("2026-04-20"), StartOn: d("2026-04-17"), DurationDays: 30}), invalid("start_on", "err.date_after"))
		w.refused(t, id, "decision before the proposal", tr(chair, app.TransitionInput{Name: "decide", Date: d("2026-04-10"), StartOn: d("2026-04-20"), DurationDays: 30}), invalid("date", "err.date_after"))
		w.refused(t, id, "duration over a year", tr(chair, app.TransitionInput{Name: "decide", StartOn: d("2026-04-20"), DurationDays: 366}), invalid("duration_days", "err.range"))
		w.refused(t, id, "duration in months", tr(chair, app.TransitionInput{Name: "decide", StartOn: d("2026-04-20"), DurationDays: 3, DurationUnit: "months"}), invalid("duration_unit", "err.case.duration_unit"))
		w.refused(t, id, "suspend without reason", tr(chair, app.TransitionInput{Name: "suspend"}), invalid("reason", "err.case.reason"))
		w.refused(t, id, "suspend with a blank reason", tr(chair, app.TransitionInput{Name: "suspend", Reason: "  ốm \n "}), invalid("reason", "err.case.reason"))
		w.refused(t, id, "cancel without reason", tr(chair, app.TransitionInput{Name: "cancel"}), invalid("reason", "err.case.reason"))
		plan := app.TransitionInput{Name: "decide", StartOn: d("2026-04-20"), DurationDays: 30}
		w.refused(t, id, "viewer", tr(w.as(t, w.viewer), plan), csErr(ktgs.EFORBIDDEN, authz.ReasonRole))
		w.refused(t, id, "sibling commune", tr(w.as(t, w.sib), plan), csErr(ktgs.ENOTFOUND, "err.not_found"))
		w.refused(t, id, "no second factor", tr(w.actor(t, w.chair, false), plan), csErr(ktgs.EFORBIDDEN, authz.ReasonTwoFactor))
		w.refused(t, id, "clearance below MAT", tr(w.as(t, w.low), plan), csErr(ktgs.EFORBIDDEN, authz.ReasonClearance))
		w.refused(t, id, "inspector not on the team", tr(insp, plan), csErr(ktgs.EFORBIDDEN, authz.ReasonTeam))
		w.refused(t, id, "the accused member", tr(w.as(t, w.subj), plan), csErr(ktgs.EFORBIDDEN, authz.ReasonAccused))
		w.refused(t, id, "nobody signed in", tr(context.Background(), plan), csErr(ktgs.EUNAUTHORIZED, "err.unauthorized"))
		w.refused(t, id, "no such case", func() error { _, err := w.s.Transition(chair, id+1000, plan); return err }, csErr(ktgs.ENOTFOUND, "err.not_found"))
		w.addTeam(t, chair, id, w.insp, ktgs.TeamRoleMember)
		w.refused(t, id, "team member decides", tr(insp, plan), func(t *testing.T, err error) {
			csErr(ktgs.EFORBIDDEN, "err.case.not_your_step")(t, err)
			if args := ktgs.AsError(err).Args; !reflect.DeepEqual(args, []any{"HEAD"}) {
				t.Errorf("args %v, want HEAD", args)
			}
		})
		w.step(t, chair, w.chair, id, plan, ktgs.CaseProposed, ktgs.CaseDecided)

		// DECIDED: the team needs a lead; a recused lead does not count.
		w.refused(t, id, "form_team without a lead", tr(chair, app.TransitionInput{Name: "form_team"}), invalid("team", "err.case.no_lead"))
		w.addTeam(t, chair, id, w.lead, ktgs.TeamRoleLead)
		if err := w.s.Recuse(lead, id, w.lead.ID, "Được điều động đi công tác dài ngày."); err != nil {
			t.Fatal(err)
		}
		w.refused(t, id, "form_team after the lead recused", tr(chair, app.TransitionInput{Name: "form_team"}), invalid("team", "err.case.no_lead"))
		w.addTeam(t, chair, id, w.lead, ktgs.TeamRoleLead) // back from the mission
		w.refused(t, id, "lead forms the team", tr(lead, app.TransitionInput{Name: "form_team"}), csErr(ktgs.EFORBIDDEN, "err.case.not_your_step"))
		w.step(t, chair, w.chair, id, app.TransitionInput{Name: "form_team"}, ktgs.CaseDecided, ktgs.CaseTeamFormed)
		w.refused(t, id, "member announces", tr(insp, app.TransitionInput{Name: "announce"}), csErr(ktgs.EFORBIDDEN, "err.case.not_your_step"))
		w.step(t, lead, w.lead, id, app.TransitionInput{Name: "announce"}, ktgs.CaseTeamFormed, ktgs.CaseAnnounced)

		// ANNOUNCED: every subject's self-report is needed.
		w.refused(t, id, "self_report without reports", tr(insp, app.TransitionInput{Name: "self_report"}), func(t *testing.T, err error) {
			fieldErr(t, err, "subjects", "err.case.no_self_report")
			if args := ktgs.AsError(err).Fields["subjects"].Args; !reflect.DeepEqual(args, []any{w.a.Name}) {
				t.Errorf("args %v", args)
			}
		})
		if err := w.s.RecordSubjectDoc(insp, id, 1, "self_report", civil.Date(0), nil); err != nil {
			t.Fatal(err)
		}
		w.refused(t, id, "self_report with one report missing", tr(insp, app.TransitionInput{Name: "self_report"}), func(t *testing.T, err error) {
			fieldErr(t, err, "subjects", "err.case.no_self_report")
			if args := ktgs.AsError(err).Fields["subjects"].Args; !reflect.DeepEqual(args, []any{"Trần Văn Bình"}) {
				t.Errorf("args %v", args)
			}
		})
		doc := func(actx context.Context, seq int, what string, f *app.FileInput) func() error {
			return func() error { return w.s.RecordSubjectDoc(actx, id, seq, what, civil.Date(0), f) }
		}
		w.refused(t, id, "comments before the draft", doc(insp, 2, "comments", nil), invalid("what", "err.case.out_of_order"))
		w.refused(t, id, "no such subject", doc(insp, 3, "self_report", nil), invalid("subject_seq", "err.case.subject_seq"))
		w.refused(t, id, "unknown document", doc(insp, 2, "letter", nil), invalid("what", "err.bad_request"))
		w.refused(t, id, "report by a reader off the team", doc(w.as(t, w.insp2), 2, "self_report", nil), csErr(ktgs.EFORBIDDEN, authz.ReasonTeam))
		w.refused(t, id, "report with an executable", doc(insp, 2, "self_report", &app.FileInput{Name: "baocao.pdf", Data: []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00")}),
			invalid("file", "err.file.type"))
		w.refused(t, id, "finding before the self-reports", func() error {
			_, err := w.s.AddFinding(lead, id, app.FindingInput{SubjectSeq: 1, Kind: ktgs.FindingShortcoming, Text: "Sớm quá."})
			return err
		}, invalid("kind", "err.case.findings_when"))
		if err := w.s.RecordSubjectDoc(insp, id, 2, "self_report", civil.Date(0), nil); err != nil {
			t.Fatal(err)
		}
		w.step(t, insp, w.insp, id, app.TransitionInput{Name: "self_report"}, ktgs.CaseAnnounced, ktgs.CaseSelfReported)

		// SELF_REPORTED: only the lead verifies.
		w.refused(t, id, "member verifies", tr(insp, app.TransitionInput{Name: "verify"}), csErr(ktgs.EFORBIDDEN, "err.case.not_your_step"))
		w.refused(t, id, "chair verifies", tr(chair, app.TransitionInput{Name: "verify"}), csErr(ktgs.EFORBIDDEN, "err.case.not_your_step"))
		w.step(t, lead, w.lead, id, app.TransitionInput{Name: "verify"}, ktgs.CaseSelfReported, ktgs.CaseVerifying)

		// VERIFYING: findings are checked.
		finding := func(in app.FindingInput) func() error {
			return func() error { _, err := w.s.AddFinding(insp, id, in); return err }
		}
		w.refused(t, id, "spread a violation", finding(app.FindingInput{SubjectSeq: 1, Kind: ktgs.FindingViolation, Category: "TAI_CHINH", Spread: true, Text: "x"}),
			invalid("spread", "err.case.spread_strength"))
		w.refused(t, id, "discipline for a strength", finding(app.FindingInput{SubjectSeq: 1, Kind: ktgs.FindingStrength, WarrantsDiscipline: true, Text: "x"}),
			invalid("warrants_discipline", "err.case.discipline_violation"))
		w.refused(t, id, "violation without category", finding(app.FindingInput{SubjectSeq: 1, Kind: ktgs.FindingViolation, Text: "x"}), invalid("category", "err.required"))
		w.refused(t, id, "finding without text", finding(app.FindingInput{SubjectSeq: 1, Kind: ktgs.FindingShortcoming, Text: " \n "}), invalid("text", "err.required"))
		w.refused(t, id, "finding of no subject", finding(app.FindingInput{SubjectSeq: 0, Kind: ktgs.FindingShortcoming, Text: "x"}), invalid("subject_seq", "err.case.subject_seq"))
		w.refused(t, id, "unknown finding kind", finding(app.FindingInput{SubjectSeq: 1, Kind: "PRAISE", Text: "x"}), invalid("kind", "err.case.finding_kind"))
		w.refused(t, id, "unknown responsible card", finding(app.FindingInput{SubjectSeq: 1, Kind: ktgs.FindingShortcoming, Text: "x", ResponsibleCard: "99999999"}),
			invalid("responsible_card", "err.member_card_unknown"))
		fA, err := w.s.AddFinding(insp, id, app.FindingInput{SubjectSeq: 1, Kind: ktgs.FindingViolation, Category: "TAI_CHINH", Text: "Chi sai quỹ chi bộ."})
		if err != nil {
			t.Fatal(err)
		}
		w.refused(t, id, "member drafts the report", tr(insp, app.TransitionInput{Name: "draft_report"}), csErr(ktgs.EFORBIDDEN, "err.case.not_your_step"))
		w.step(t, lead, w.lead, id, app.TransitionInput{Name: "draft_report"}, ktgs.CaseVerifying, ktgs.CaseDraftReport)

		// DRAFT_REPORT: the meeting needs every subject's comments.
		w.refused(t, id, "meet without comments", tr(chair, app.TransitionInput{Name: "meet"}), invalid("subjects", "err.case.no_comments"))
		if err := w.s.RecordSubjectDoc(insp, id, 1, "comments", civil.Date(0), nil); err != nil {
			t.Fatal(err)
		}
		w.refused(t, id, "meet with one subject's comments missing", tr(lead, app.TransitionInput{Name: "meet"}), invalid("subjects", "err.case.no_comments"))
		if err := w.s.RecordSubjectDoc(insp, id, 2, "comments", civil.Date(0), nil); err != nil {
			t.Fatal(err)
		}
		w.step(t, lead, w.lead, id, app.TransitionInput{Name: "meet"}, ktgs.CaseDraftReport, ktgs.CaseMeeting)

		// MEETING: a conclusion needs findings on every subject, and its
		// remediation requests must be well formed and due after it.
		w.setDay("2026-05-26")
		w.refused(t, id, "conclusion with no findings on a subject", tr(chair, app.TransitionInput{Name: "conclude"}), func(t *testing.T, err error) {
			fieldErr(t, err, "findings", "err.case.no_findings")
			if args := ktgs.AsError(err).Fields["findings"].Args; !reflect.DeepEqual(args, []any{"Trần Văn Bình"}) {
				t.Errorf("args %v", args)
			}
		})
		fB, err := w.s.AddFinding(lead, id, app.FindingInput{SubjectSeq: 2, Kind: ktgs.FindingShortcoming, Text: "Thiếu gương mẫu."})
		if err != nil {
			t.Fatal(err)
		}
		conclude := func(rs ...app.RemediationInput) func() error {
			return tr(chair, app.TransitionInput{Name: "conclude", Remediations: rs})
		}
		ok := app.RemediationInput{SubjectSeq: 1, FindingID: fA.ID, Text: "Hoàn trả quỹ.", DueOn: d("2026-06-30")}
		w.refused(t, id, "remediation due on the conclusion date", conclude(app.RemediationInput{SubjectSeq: 1, Text: "Hoàn trả quỹ.", DueOn: d("2026-05-26")}),
			invalid("remediations.0.due_on", "err.case.due_before_conclusion"))
		w.refused(t, id, "remediation due before the conclusion", conclude(ok, app.RemediationInput{SubjectSeq: 2, Text: "Kiểm điểm.", DueOn: d("2026-05-01")}),
			invalid("remediations.1.due_on", "err.case.due_before_conclusion"))
		w.refused(t, id, "remediation without due date", conclude(app.RemediationInput{SubjectSeq: 1, Text: "Hoàn trả quỹ."}), invalid("remediations.0.due_on", "err.required"))
		w.refused(t, id, "remediation of no subject", conclude(app.RemediationInput{SubjectSeq: 3, Text: "x", DueOn: d("2026-06-30")}), invalid("remediations.0.subject_seq", "err.case.subject_seq"))
		w.refused(t, id, "remediation on another subject's finding", conclude(app.RemediationInput{SubjectSeq: 2, FindingID: fA.ID, Text: "x", DueOn: d("2026-06-30")}),
			invalid("remediations.0.finding_id", "err.not_found"))
		w.refused(t, id, "remediation without text", conclude(app.RemediationInput{SubjectSeq: 2, FindingID: fB.ID, Text: "  ", DueOn: d("2026-06-30")}),
			invalid("remediations.0.text", "err.required"))
		w.refused(t, id, "lead concludes", func() error {
			_, err := w.s.Transition(lead, id, app.TransitionInput{Name: "conclude", Remediations: []app.RemediationInput{ok}})
			return err
		}, csErr(ktgs.EFORBIDDEN, "err.case.not_your_step"))
		w.step(t, chair, w.chair, id, app.TransitionInput{Name: "conclude", Remediations: []app.RemediationInput{ok}}, ktgs.CaseMeeting, ktgs.CaseConcluded)

		// CONCLUDED: the case closes only when every request is done.
		rem := w.snap(t, id).Rems[0]
		w.refused(t, id, "close with an open remediation", tr(chair, app.TransitionInput{Name: "close"}), func(t *testing.T, err error) {
			fieldErr(t, err, "remediations", "err.case.remediation_open")
		})
		act := func(actx context.Context, in app.RemediationAction) func() error {
			return func() error { _, err := w.s.ActOnRemediation(actx, rem.ID, in); return err }
		}
		w.refused(t, id, "verify an unreported request", act(lead, app.RemediationAction{Kind: "verify", Text: "Đã xem."}), invalid("kind", "err.case.verify_unreported"))
		w.refused(t, id, "lead waives", act(lead, app.RemediationAction{Kind: "waive", Text: "Miễn yêu cầu này."}), csErr(ktgs.EFORBIDDEN, "err.case.not_your_step"))
		w.refused(t, id, "waive without a reason", act(chair, app.RemediationAction{Kind: "waive", Text: "ok"}), invalid("text", "err.case.reason"))
		w.refused(t, id, "report without text", act(insp, app.RemediationAction{Kind: "report"}), invalid("text", "err.required"))
		w.refused(t, id, "unknown remediation step", act(insp, app.RemediationAction{Kind: "delete", Text: "xoá"}), invalid("kind", "err.bad_request"))
		w.refused(t, id, "report by a reader off the team", act(w.as(t, w.insp2), app.RemediationAction{Kind: "report", Text: "Đã khắc phục."}), csErr(ktgs.EFORBIDDEN, authz.ReasonTeam))
		w.refused(t, id, "report with an HTML file", act(insp, app.RemediationAction{Kind: "report", Text: "Đã khắc phục.",
			File: &app.FileInput{Name: "x.pdf", Data: []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")}}), invalid("file", "err.file.type"))
		if err := act(insp, app.RemediationAction{Kind: "report", Text: "Đã hoàn trả đủ."})(); err != nil {
			t.Fatal(err)
		}
		w.refused(t, id, "close with a reported remediation", tr(chair, app.TransitionInput{Name: "close"}), invalid("remediations", "err.case.remediation_open"))
		if err := act(lead, app.RemediationAction{Kind: "verify", Text: "Đã đối chiếu chứng từ."})(); err != nil {
			t.Fatal(err)
		}
		w.refused(t, id, "act on a done request", act(chair, app.RemediationAction{Kind: "waive", Text: "Miễn yêu cầu này."}), invalid("kind", "err.case.remediation_done"))
		w.refused(t, id, "lead closes", tr(lead, app.TransitionInput{Name: "close"}), csErr(ktgs.EFORBIDDEN, "err.case.not_your_step"))
		w.step(t, chair, w.chair, id, app.TransitionInput{Name: "close"}, ktgs.CaseConcluded, ktgs.CaseClosed)
	})
}

// TestCaseSuspendResume: a case suspended at any open status resumes to
// that status; a suspended case may be cancelled; nothing moves a
// cancelled case.
func TestCaseSuspendResume(t *testing.T) {
	csRun(t, func(t *testing.T, w *csWorld) {
		chair := w.as(t, w.chair)
		reason := "Chờ kết quả giám định tài chính."
		// One case through the procedure, suspended and resumed at every
		// open status on the way.
		id := w.dhvp(t).ID
		for _, st := range []ktgs.CaseStatus{ktgs.CaseProposed, ktgs.CaseDecided, ktgs.CaseTeamFormed, ktgs.CaseAnnounced, ktgs.CaseSelfReported,
			ktgs.CaseVerifying, ktgs.CaseDraftReport, ktgs.CaseMeeting, ktgs.CaseConcluded, ktgs.CaseFollowUp} {
			w.advance(t, id, st)
			c := w.step(t, chair, w.chair, id, app.TransitionInput{Name: "suspend", Reason: reason, Note: "Theo đề nghị của tổ kiểm tra."}, st, ktgs.CaseSuspended)
			if c.PrevStatus != st {
				t.Errorf("suspended from %s: PrevStatus %q", st, c.PrevStatus)
			}
			sn := w.snap(t, id)
			if e := sn.Events[len(sn.Events)-1]; e.Note != reason+"\nTheo đề nghị của tổ kiểm tra." {
				t.Errorf("suspension note %q", e.Note)
			}
			if ent := w.lastAudit(t); ent.Reason != reason {
				t.Errorf("audit reason %q", ent.Reason)
			}
			if st == ktgs.CaseAnnounced {
				w.wantNext(t, id, map[*ktgs.User][]string{w.chair: {"resume", "cancel"}, w.lead: nil, w.insp: nil})
				w.refused(t, id, "suspended/step", func() error {
					_, err := w.s.Transition(w.as(t, w.insp), id, app.TransitionInput{Name: "self_report"})
					return err
				}, invalid("name", "err.case.out_of_order"))
				w.refused(t, id, "suspended/suspend", func() error {
					_, err := w.s.Transition(chair, id, app.TransitionInput{Name: "suspend", Reason: reason})
					return err
				}, invalid("name", "err.case.out_of_order"))
				w.refused(t, id, "suspended/team", func() error { return w.s.AddTeamMember(chair, id, w.insp2.ID, ktgs.TeamRoleMember) },
					invalid("user_id", "err.case.closed"))
				w.refused(t, id, "suspended/self-report", func() error {
					return w.s.RecordSubjectDoc(w.as(t, w.insp), id, 1, "self_report", civil.Date(0), nil)
				}, invalid("what", "err.case.out_of_order"))
			}
			c = w.step(t, chair, w.chair, id, app.TransitionInput{Name: "resume"}, ktgs.CaseSuspended, st)
			if c.PrevStatus != "" || w.snap(t, id).Case.PrevStatus != "" {
				t.Errorf("resumed to %s: PrevStatus %q", st, c.PrevStatus)
			}
		}

		// A suspended case is not overdue: the list's filter leaves it
		// alone. Then it is cancelled from SUSPENDED, and nothing moves it.
		id = w.dhvp(t).ID
		w.advance(t, id, ktgs.CaseDecided) // due 30 working days from today
		w.step(t, chair, w.chair, id, app.TransitionInput{Name: "suspend", Reason: reason}, ktgs.CaseDecided, ktgs.CaseSuspended)
		w.setDay("2026-12-01")
		list, _, err := w.s.ListCases(chair, app.CaseQuery{Overdue: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			if c.ID == id {
				t.Errorf("a suspended case is listed as overdue")
			}
		}
		w.refused(t, id, "cancel without reason", func() error {
			_, err := w.s.Transition(chair, id, app.TransitionInput{Name: "cancel"})
			return err
		}, invalid("reason", "err.case.reason"))
		w.step(t, chair, w.chair, id, app.TransitionInput{Name: "cancel", Reason: "Đối tượng đã bị xử lý ở cấp trên."}, ktgs.CaseSuspended, ktgs.CaseCancelled)
		for _, tr := range ktgs.CaseTransitions {
			w.refused(t, id, "cancelled/"+tr.Name, func() error {
				_, err := w.s.Transition(chair, id, app.TransitionInput{Name: tr.Name, Reason: reason, StartOn: d("2026-12-01"), DurationDays: 5})
				return err
			}, invalid("name", "err.case.out_of_order"))
		}
		w.refused(t, id, "cancelled/team", func() error { return w.s.AddTeamMember(chair, id, w.insp2.ID, ktgs.TeamRoleMember) },
			invalid("user_id", "err.case.closed"))
		w.wantNext(t, id, map[*ktgs.User][]string{w.chair: nil})
	})
}

// TestCaseTeamConflicts: who may join a case's team, the conflicts of
// interest that keep a cadre off it, and recusal.
func TestCaseTeamConflicts(t *testing.T) {
	csRun(t, func(t *testing.T, w *csWorld) {
		chair, lead, insp := w.as(t, w.chair), w.as(t, w.lead), w.as(t, w.insp)
		id := w.dhvp(t).ID // subjects: chi bộ A, and Trần Văn Bình of chi bộ B
		add := func(actx context.Context, u *ktgs.User, role ktgs.TeamRole) func() error {
			return func() error { return w.s.AddTeamMember(actx, id, u.ID, role) }
		}
		conflict := func(key string, u *ktgs.User, with string) func(*testing.T, error) {
			return func(t *testing.T, err error) {
				fieldErr(t, err, "user_id", key)
				if args := ktgs.AsError(err).Fields["user_id"].Args; !reflect.DeepEqual(args, []any{u.DisplayName, with}) {
					t.Errorf("args %v, want %q and %q", args, u.DisplayName, with)
				}
			}
		}
		cannot := func(u *ktgs.User, reason string) func(*testing.T, error) {
			return func(t *testing.T, err error) {
				fieldErr(t, err, "user_id", "err.case.cadre_cannot")
				if args := ktgs.AsError(err).Fields["user_id"].Args; !reflect.DeepEqual(args, []any{u.DisplayName, reason}) {
					t.Errorf("args %v", args)
				}
			}
		}
		w.refused(t, id, "member of the subject chi bộ", add(chair, w.sameOrg, ktgs.TeamRoleMember), conflict("err.case.conflict.same_unit", w.sameOrg, w.a.Name))
		w.refused(t, id, "member of the subject member's chi bộ", add(chair, w.sameMem, ktgs.TeamRoleMember), conflict("err.case.conflict.same_unit", w.sameMem, "Trần Văn Bình"))
		// The subject himself is refused on user_id. The app first asks
		// authz (the accused may not write the case) and answers
		// err.case.cadre_cannot/authz.accused before its own conflict
		// check could say err.case.conflict.subject; either names him.
		w.refused(t, id, "the subject member", add(chair, w.subj, ktgs.TeamRoleMember), func(t *testing.T, err error) {
			e := ktgs.AsError(err)
			if e == nil || e.Code != ktgs.EINVALID {
				t.Fatalf("err = %v", err)
			}
			f := e.Fields["user_id"]
			if (f.Key != "err.case.conflict.subject" && f.Key != "err.case.cadre_cannot") || len(f.Args) == 0 || f.Args[0] != w.subj.DisplayName {
				t.Errorf("user_id: %+v", f)
			}
		})
		// A relative, declared by the cadre herself by card number.
		cf, err := w.s.RegisterConflict(w.as(t, w.rel), app.ConflictInput{UserID: w.rel.ID, Kind: ktgs.ConflictRelative, CardNumber: "03 000 003", Note: "Em ruột"})
		if err != nil {
			t.Fatal(err)
		}
		if cf.MemberID != w.mB1.ID || cf.Kind != ktgs.ConflictRelative {
			t.Errorf("conflict = %+v", cf)
		}
		w.refused(t, id, "a declared relative", add(chair, w.rel, ktgs.TeamRoleMember), conflict("err.case.conflict.relative", w.rel, "Trần Văn Bình"))
		// Someone else may not declare it for her; nor name an unknown card.
		w.refused(t, id, "conflict declared by another cadre", func() error {
			_, err := w.s.RegisterConflict(insp, app.ConflictInput{UserID: w.rel.ID, Kind: ktgs.ConflictDenouncer, CardNumber: "03000003"})
			return err
		}, csErr(ktgs.EFORBIDDEN, authz.ReasonRole))
		w.refused(t, id, "conflict with an unknown card", func() error {
			_, err := w.s.RegisterConflict(w.as(t, w.rel), app.ConflictInput{UserID: w.rel.ID, Kind: ktgs.ConflictRelative, CardNumber: "99999999"})
			return err
		}, invalid("card_number", "err.member_card_unknown"))
		w.refused(t, id, "conflict of an unknown kind", func() error {
			_, err := w.s.RegisterConflict(w.as(t, w.rel), app.ConflictInput{UserID: w.rel.ID, Kind: "FRIEND", CardNumber: "03000003"})
			return err
		}, invalid("kind", "err.case.conflict_kind"))
		// An organisation conflict: a DENOUNCER of chi bộ A by its code.
		if _, err := w.s.RegisterConflict(ctx, app.ConflictInput{UserID: w.insp2.ID, Kind: ktgs.ConflictDenouncer, OrgCode: "NBI-KB-01"}); err != nil {
			t.Fatal(err)
		}
		w.refused(t, id, "a denouncer of the subject chi bộ", add(chair, w.insp2, ktgs.TeamRoleMember), conflict("err.case.conflict.denouncer", w.insp2, w.a.Name))

		// Who may not join at all.
		w.refused(t, id, "a viewer", add(chair, w.viewer, ktgs.TeamRoleMember), cannot(w.viewer, authz.ReasonRole))
		w.refused(t, id, "a cadre of the sibling commune", add(chair, w.sib, ktgs.TeamRoleMember), cannot(w.sib, authz.ReasonScope))
		w.refused(t, id, "clearance below the mark", add(chair, w.low, ktgs.TeamRoleMember), cannot(w.low, authz.ReasonClearance))
		w.refused(t, id, "unknown user", func() error { return w.s.AddTeamMember(chair, id, 999999, ktgs.TeamRoleMember) }, invalid("user_id", "err.not_found"))
		w.refused(t, id, "unknown role", add(chair, w.insp, "BOSS"), invalid("role", "err.case.team_role"))
		w.refused(t, id, "an inspector off the team adds", add(insp, w.lead, ktgs.TeamRoleLead), csErr(ktgs.EFORBIDDEN, authz.ReasonTeam))
		w.refused(t, id, "a viewer adds", add(w.as(t, w.viewer), w.lead, ktgs.TeamRoleLead), csErr(ktgs.EFORBIDDEN, authz.ReasonRole))
		w.refused(t, id, "the sibling commune adds", add(w.as(t, w.sib), w.lead, ktgs.TeamRoleLead), csErr(ktgs.ENOTFOUND, "err.not_found"))

		// The lead, then a member the lead adds; one lead only.
		w.addTeam(t, chair, id, w.lead, ktgs.TeamRoleLead)
		w.addTeam(t, lead, id, w.insp, ktgs.TeamRoleMember)
		w.refused(t, id, "a second lead", add(chair, w.provChair, ktgs.TeamRoleLead), invalid("role", "err.case.lead_exists"))
		w.refused(t, id, "twice on the team", add(chair, w.insp, ktgs.TeamRoleMember), invalid("user_id", "err.case.already_on_team"))
		w.refused(t, id, "a member adds", add(insp, w.provChair, ktgs.TeamRoleMember), csErr(ktgs.EFORBIDDEN, "err.case.not_your_step"))

		// Recusal: short reasons are refused; the lead may not remove
		// others; the member recuses herself.
		w.refused(t, id, "recusal without reason", func() error { return w.s.Recuse(insp, id, w.insp.ID, "vì") }, invalid("reason", "err.case.reason"))
		w.refused(t, id, "the lead removes a member", func() error { return w.s.Recuse(lead, id, w.insp.ID, "Không phù hợp với nhiệm vụ.") },
			csErr(ktgs.EFORBIDDEN, "err.case.not_your_step"))
		w.refused(t, id, "recusal of someone off the team", func() error { return w.s.Recuse(chair, id, w.insp2.ID, "Không phù hợp với nhiệm vụ.") },
			csErr(ktgs.ENOTFOUND, "err.not_found"))
		w.setDay("2026-04-20")
		why := "Có quan hệ công tác gần gũi với đối tượng."
		if err := w.s.Recuse(insp, id, w.insp.ID, why); err != nil {
			t.Fatal(err)
		}
		det, err := w.s.CaseDetail(chair, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(det.Team) != 2 || det.Team[0].UserID != w.lead.ID || !det.Team[0].RemovedOn.IsZero() ||
			det.Team[1].UserID != w.insp.ID || det.Team[1].RemovedOn != d("2026-04-20") || det.Team[1].Reason != why {
			t.Errorf("team after recusal = %+v", det.Team)
		}
		if e := det.Events[len(det.Events)-1]; e.Transition != "team_recuse" || e.Note != why || e.ActorID != w.insp.ID {
			t.Errorf("recusal event %+v", e)
		}
		if ent := w.lastAudit(t); ent.Action != "case.team_recuse" || ent.Reason != why {
			t.Errorf("recusal audit %+v", ent)
		}
		w.db.View(ctx, func(tx *store.Tx) error {
			c, _ := tx.Case(ctx, id)
			obj, err := w.s.CaseObject(ctx, tx, c)
			if err != nil || !slices.Equal(obj.Team, []int64{w.lead.ID}) || obj.Mark != authz.Secret || !slices.Equal(obj.Accused, []int64{w.mB1.ID}) {
				t.Errorf("case object after recusal: %+v %v", obj, err)
			}
			return nil
		})
		// Off the team she may still read the case, but not write it.
		if det, err := w.s.CaseDetail(insp, id); err != nil || det.CanWrite || det.Relation[ktgs.ActorTeam] || len(det.Next) != 0 {
			t.Errorf("recused member: CanWrite %v relation %v next %v, %v", det.CanWrite, det.Relation, det.Next, err)
		}
		w.refused(t, id, "recused member uploads", func() error {
			_, err := w.s.AddCaseFile(insp, id, &app.FileInput{Name: "a.pdf", Data: csPDF})
			return err
		}, csErr(ktgs.EFORBIDDEN, authz.ReasonTeam))
		// The chair removes the lead: the lead's place is free again.
		if err := w.s.Recuse(chair, id, w.lead.ID, "Điều động làm nhiệm vụ khác."); err != nil {
			t.Fatal(err)
		}
		w.addTeam(t, chair, id, w.insp, ktgs.TeamRoleLead)
		if det, _ := w.s.CaseDetail(chair, id); len(det.Team) != 3 || det.Team[0].UserID != w.insp.ID || det.Team[0].Role != ktgs.TeamRoleLead {
			t.Errorf("team = %+v", det.Team)
		}
	})
}

// ---------------------------------------------------------------------
// Files.

func zipOf(t *testing.T, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		var f interface{ Write([]byte) (int, error) }
		var err error
		if files[i] == "mimetype" {
			f, err = zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
		} else {
			f, err = zw.Create(files[i])
		}
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(files[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func csDOCX(t *testing.T) []byte {
	return zipOf(t,
		"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Báo cáo tự kiểm tra</w:t></w:r></w:p></w:body></w:document>`)
}

func TestCaseFileSniffType(t *testing.T) {
	xf := excelize.NewFile()
	xf.SetCellValue("Sheet1", "A1", "Khoản chi")
	xbuf, err := xf.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"pdf", csPDF, "application/pdf"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"), "image/png"},
		{"jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"), "image/jpeg"},
		{"text", []byte("Báo cáo tự kiểm tra của chi bộ.\nNgày 20/4/2026.\n"), "text/plain"},
		{"docx", csDOCX(t), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"xlsx (excelize)", xbuf.Bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"odt", zipOf(t, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", "<office:document-content/>"), "application/vnd.oasis.opendocument.text"},
		{"exe", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00This program cannot be run in DOS mode."), ""},
		{"elf", []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00"), ""},
		{"html", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), ""},
		{"html after blanks", []byte("\n\n   <html><body onload=alert(1)>"), ""},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), ""},
		{"plain zip", zipOf(t, "a.txt", "xin chào", "b.bin", "\x00\x01"), ""},
		{"gzip", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"), ""},
	}
	for _, tc := range tests {
		if got := app.SniffType(tc.data); got != tc.want {
			t.Errorf("SniffType(%s) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestCaseFileSafeName(t *testing.T) {
	const pdf, docx, txt = "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "text/plain"
	long := strings.Repeat("ệ", 300) + ".pdf"
	tests := []struct{ name, mime, want string }{
		{"../../etc/passwd", pdf, "passwd.pdf"},
		{"báo cáo\x00.pdf", pdf, "báo cáo.pdf"},
		{"ba\u0301o ca\u0301o.pdf", pdf, "báo cáo.pdf"}, // NFD in, NFC out
		{`C:\Users\x\tờ trình.docx`, docx, "tờ trình.docx"},
		{`a<b>c:d"e|f?g*h.txt`, txt, "a_b_c_d_e_f_g_h.txt"},
		{"virus.exe", pdf, "virus.pdf"},
		{"báo cáo.pdf.exe", pdf, "báo cáo.pdf.pdf"},
		{"<>.pdf", pdf, "tep.pdf"},
		{"", pdf, "tep.pdf"},
		{"..", txt, "tep.txt"},
		{"  .hidden ", txt, "tep.txt"},
		{"Biên bản (lần 2).PDF", pdf, "Biên bản (lần 2).pdf"},
		{long, pdf, strings.Repeat("ệ", 120) + ".pdf"},
	}
	for _, tc := range tests {
		got := app.SafeFileName(tc.name, tc.mime)
		if got != tc.want {
			t.Errorf("SafeFileName(%q) = %q, want %q", tc.name, got, tc.want)
		}
		if !utf8.ValidString(got) || strings.ContainsAny(got, "/\\<>:\"|?*\x00\r\n") || utf8.RuneCountInString(got) > 125 {
			t.Errorf("SafeFileName(%q) = %q is not a safe name", tc.name, got)
		}
	}
}

// csRaw opens a second handle on w's database to count rows the store
// does not expose.
func csRaw(t *testing.T, w *csWorld) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if w.eng == store.Postgres {
		db, err = sql.Open("pgx", w.url)
	} else {
		db, err = sql.Open("sqlite", "file:"+w.url+"?_pragma=busy_timeout(10000)")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func csCount(t *testing.T, db *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCaseFiles(t *testing.T) {
	csRun(t, func(t *testing.T, w *csWorld) {
		raw := csRaw(t, w)
		w.s.MaxFileSize = 1024
		chair, lead := w.as(t, w.chair), w.as(t, w.lead)
		id := w.dhvp(t).ID
		w.addTeam(t, chair, id, w.lead, ktgs.TeamRoleLead)
		add := func(actx context.Context, name string, data []byte) func() error {
			return func() error { _, err := w.s.AddCaseFile(actx, id, &app.FileInput{Name: name, Data: data}); return err }
		}
		files := func() int { return csCount(t, raw, "SELECT COUNT(*) FROM files") }
		n0 := files()
		w.refused(t, id, "too large", add(lead, "lon.pdf", pdfOf(1025)), invalid("file", "err.file.too_large"))
		w.refused(t, id, "an executable named .pdf", add(lead, "bao-cao.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")), func(t *testing.T, err error) {
			fieldErr(t, err, "file", "err.file.type")
		})
		w.refused(t, id, "html", add(lead, "trang.html", []byte("<html><script>alert(1)</script></html>")), invalid("file", "err.file.type"))
		w.refused(t, id, "empty", add(lead, "rong.pdf", nil), invalid("file", "err.file.empty"))
		w.refused(t, id, "a reader off the team", add(w.as(t, w.insp2), "a.pdf", csPDF), csErr(ktgs.EFORBIDDEN, authz.ReasonTeam))
		w.refused(t, id, "a viewer", add(w.as(t, w.viewer), "a.pdf", csPDF), csErr(ktgs.EFORBIDDEN, authz.ReasonRole))
		w.refused(t, id, "the sibling commune", add(w.as(t, w.sib), "a.pdf", csPDF), csErr(ktgs.ENOTFOUND, "err.not_found"))
		if n := files(); n != n0 {
			t.Errorf("refused uploads stored %d files", n-n0)
		}
		var big []byte
		w.db.View(ctx, func(tx *store.Tx) error {
			_, _, err := tx.File(ctx, "0000")
			if ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
				t.Errorf("File(unknown) = %v", err)
			}
			return nil
		})

		// Exactly at the limit is accepted; the same content twice is
		// stored once and attached twice.
		big = pdfOf(1024)
		f1, err := w.s.AddCaseFile(lead, id, &app.FileInput{Name: "../../chung-tu.pdf", Data: big})
		if err != nil {
			t.Fatal(err)
		}
		f2, err := w.s.AddCaseFile(chair, id, &app.FileInput{Name: `C:\tai lieu\bản sao.pdf`, Data: big, Kind: "EVIDENCE"})
		if err != nil {
			t.Fatal(err)
		}
		if f1.Hash != f2.Hash || f1.ID == f2.ID || f1.Name != "chung-tu.pdf" || f2.Name != "bản sao.pdf" || f1.Kind != "EVIDENCE" ||
			f1.Mime != "application/pdf" || f1.Size != 1024 || f1.UploadedBy != w.lead.ID || f2.UploadedBy != w.chair.ID {
			t.Errorf("files %+v %+v", f1, f2)
		}
		if n := files(); n != n0+1 {
			t.Errorf("same content twice: %d rows in files, want %d", n, n0+1)
		}
		w.db.View(ctx, func(tx *store.Tx) error {
			data, mime, err := tx.File(ctx, f1.Hash)
			if err != nil || !bytes.Equal(data, big) || mime != "application/pdf" {
				t.Errorf("File(hash) = %d bytes %q %v", len(data), mime, err)
			}
			cfs, _ := tx.CaseFiles(ctx, id)
			if len(cfs) != 2 || cfs[0].Hash != cfs[1].Hash {
				t.Errorf("case files = %+v", cfs)
			}
			return nil
		})
		docx := csDOCX(t)
		w.s.MaxFileSize = 0 // the default, 20 MiB
		f3, err := w.s.AddCaseFile(lead, id, &app.FileInput{Name: "tờ trình.doc", Data: docx})
		if err != nil {
			t.Fatal(err)
		}
		if f3.Name != "tờ trình.docx" || f3.Mime != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
			t.Errorf("docx stored as %q %q", f3.Name, f3.Mime)
		}
		if got := w.caseAudit(t, id); len(got) < 3 || got[len(got)-1] != "case.file" || got[len(got)-3] != "case.file" {
			t.Errorf("audit = %v", got)
		}

		// Reading: readers of the case get the bytes; others do not.
		for _, u := range []*ktgs.User{w.chair, w.lead, w.insp2, w.provChair} {
			cf, data, err := w.s.CaseFile(w.as(t, u), f3.ID)
			if err != nil || !bytes.Equal(data, docx) || cf.Name != "tờ trình.docx" || cf.CaseID != id {
				t.Errorf("CaseFile as %s: %v %d bytes", u.Username, err, len(data))
			}
		}
		for _, tc := range []struct {
			u          *ktgs.User
			code, want string
		}{
			{w.sib, ktgs.ENOTFOUND, "err.not_found"}, {w.viewer, ktgs.EFORBIDDEN, authz.ReasonRole}, {w.low, ktgs.EFORBIDDEN, authz.ReasonClearance},
		} {
			_, data, err := w.s.CaseFile(w.as(t, tc.u), f3.ID)
			if e := ktgs.AsError(err); e == nil || e.Code != tc.code || e.Message != tc.want || data != nil {
				t.Errorf("CaseFile as %s: %v, %d bytes; want %s %s", tc.u.Username, err, len(data), tc.code, tc.want)
			}
		}
		if _, _, err := w.s.CaseFile(chair, f3.ID+1000); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
			t.Errorf("CaseFile(unknown) = %v", err)
		}
		if _, _, err := w.s.CaseFile(w.actor(t, w.chair, false), f3.ID); ktgs.ErrorCode(err) != ktgs.EFORBIDDEN {
			t.Errorf("CaseFile without the second factor = %v", err)
		}
	})
}

// ---------------------------------------------------------------------
// Lists.

func caseIDs(list []*ktgs.Case) []int64 {
	var out []int64
	for _, c := range list {
		out = append(out, c.ID)
	}
	return out
}

func TestCaseList(t *testing.T) {
	csRun(t, func(t *testing.T, w *csWorld) {
		chair := w.as(t, w.chair)
		k1 := w.dhvp(t) // MAT
		k2 := w.propose(t, chair, ktgs.CaseKindGSChuyenDe, w.ubkt1, "Giám sát chuyên đề việc thu, nộp đảng phí", orgSubj(w.b))
		k3 := w.propose(t, chair, ktgs.CaseKindKTThucHienKTGS, w.ubkt1, "Kiểm tra thực hiện nhiệm vụ kiểm tra, giám sát", orgSubj(w.a))
		k4, err := w.s.ProposeCase(chair, app.CaseInput{Kind: ktgs.CaseKindGSChuyenDe, BodyID: w.ubkt1, Title: "Giám sát đảng viên năm 2025",
			ProposedOn: d("2025-12-10"), Subjects: []app.SubjectInput{memSubj(w.mA1)}})
		if err != nil {
			t.Fatal(err)
		}
		k5 := w.propose(t, w.as(t, w.sec), ktgs.CaseKindGSThuongXuyen, w.chiboB, "Giám sát thường xuyên đảng viên", memSubj(w.mB1))
		k6 := w.propose(t, ctx, ktgs.CaseKindGSChuyenDe, w.ubkt2, "Giám sát chi bộ thôn Đồng Sơn", orgSubj(w.s1))
		if k4.Year != 2025 || k5.BodyKind != ktgs.BodyBranch || k5.OrgID != w.b.ID || k1.Mark != authz.Secret || k2.Mark != authz.Normal {
			t.Errorf("k4 year %d, k5 body %s org %d, marks %v %v", k4.Year, k5.BodyKind, k5.OrgID, k1.Mark, k2.Mark)
		}
		// k2 decided for 5 working days; k3 too, then suspended.
		for _, k := range []*ktgs.Case{k2, k3} {
			w.step(t, chair, w.chair, k.ID, app.TransitionInput{Name: "decide", StartOn: d("2026-04-14"), DurationDays: 5}, ktgs.CaseProposed, ktgs.CaseDecided)
		}
		w.step(t, chair, w.chair, k3.ID, app.TransitionInput{Name: "suspend", Reason: "Chờ ý kiến cấp trên."}, ktgs.CaseDecided, ktgs.CaseSuspended)

		list := func(actx context.Context, q app.CaseQuery) []int64 {
			t.Helper()
			l, _, err := w.s.ListCases(actx, q)
			if err != nil {
				t.Fatalf("ListCases %+v: %v", q, err)
			}
			return caseIDs(l)
		}
		ids := func(cs ...*ktgs.Case) []int64 {
			var out []int64
			for _, c := range cs {
				out = append(out, c.ID)
			}
			return out
		}
		check := func(name string, got []int64, want ...*ktgs.Case) {
			t.Helper()
			if !slices.Equal(got, ids(want...)) {
				t.Errorf("%s: %v, want %v", name, got, ids(want...))
			}
		}
		check("chair", list(chair, app.CaseQuery{}), k5, k4, k3, k2, k1)
		check("province chair", list(w.as(t, w.provChair), app.CaseQuery{}), k6, k5, k4, k3, k2, k1)
		check("sibling commune", list(w.as(t, w.sib), app.CaseQuery{}), k6)
		check("chi bộ secretary", list(w.as(t, w.sec), app.CaseQuery{}), k5)
		check("system", list(ctx, app.CaseQuery{}), k6, k5, k4, k3, k2, k1)
		check("kind", list(chair, app.CaseQuery{Kind: ktgs.CaseKindGSChuyenDe}), k4, k2)
		check("status", list(chair, app.CaseQuery{Status: ktgs.CaseDecided}), k2)
		check("suspended", list(chair, app.CaseQuery{Status: ktgs.CaseSuspended}), k3)
		check("year 2025", list(chair, app.CaseQuery{Year: 2025}), k4)
		check("year 2026", list(chair, app.CaseQuery{Year: 2026}), k5, k3, k2, k1)
		check("subtree of chi bộ B", list(chair, app.CaseQuery{SubtreeOrgID: w.b.ID}), k5)
		check("sibling asks for the commune's subtree", list(w.as(t, w.sib), app.CaseQuery{SubtreeOrgID: w.c1.ID}))
		check("clearance THUONG", list(w.as(t, w.low), app.CaseQuery{}), k5, k4, k3, k2)
		check("not overdue yet", list(chair, app.CaseQuery{Overdue: true}))
		due := w.snap(t, k2.ID).Case.DueOn
		w.setDay(due.String())
		check("on the due day", list(chair, app.CaseQuery{Overdue: true}))
		w.setDay(due.AddDays(1).String())
		check("overdue", list(chair, app.CaseQuery{Overdue: true}), k2)
		check("overdue and kind", list(chair, app.CaseQuery{Overdue: true, Kind: ktgs.CaseKindKTDHVP}))

		// Paging with BeforeID: disjoint pages covering the list.
		var all []int64
		q := app.CaseQuery{Limit: 2}
		for page := 0; ; page++ {
			l, more, err := w.s.ListCases(chair, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(l) > 2 || (more && len(l) != 2) {
				t.Fatalf("page %d: %d cases, more %v", page, len(l), more)
			}
			for _, c := range l {
				if slices.Contains(all, c.ID) {
					t.Errorf("case %d on two pages", c.ID)
				}
				all = append(all, c.ID)
			}
			if !more {
				break
			}
			q.BeforeID = l[len(l)-1].ID
			if page > 5 {
				t.Fatal("paging does not end")
			}
		}
		check("pages", all, k5, k4, k3, k2, k1)

		for _, tc := range []struct {
			name string
			actx context.Context
			code string
		}{
			{"viewer", w.as(t, w.viewer), ktgs.EFORBIDDEN},
			{"nobody", context.Background(), ktgs.EUNAUTHORIZED},
		} {
			if _, _, err := w.s.ListCases(tc.actx, app.CaseQuery{}); ktgs.ErrorCode(err) != tc.code {
				t.Errorf("ListCases as %s: %v, want %s", tc.name, err, tc.code)
			}
		}
		// Reading one case follows the same rules.
		if _, err := w.s.CaseDetail(w.as(t, w.low), k1.ID); ktgs.ErrorCode(err) != ktgs.EFORBIDDEN {
			t.Errorf("THUONG reads a MAT case: %v", err)
		}
		if _, err := w.s.CaseDetail(w.as(t, w.sib), k1.ID); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
			t.Errorf("sibling reads the commune's case: %v", err)
		}
		if det, err := w.s.CaseDetail(w.as(t, w.low), k2.ID); err != nil || det.CanWrite || len(det.Next) != 0 {
			t.Errorf("THUONG inspector off the team reads k2: %v", err)
		}
	})
}

// ---------------------------------------------------------------------
// Programmes.

func progress(p *ktgs.Programme, day civil.Date) app.Progress {
	var pr app.Progress
	for i := range p.Items {
		pr.Add(&p.Items[i], day)
	}
	return pr
}

func TestCaseProgramme(t *testing.T) {
	csRun(t, func(t *testing.T, w *csWorld) {
		chair := w.as(t, w.chair)
		in := app.ProgrammeInput{BodyID: w.ubkt1, Kind: ktgs.ProgrammeAnnual, Year: 2026, Title: "Chương trình kiểm tra, giám sát năm 2026",
			AdoptedOn: d("2026-01-10"), Items: []app.ProgrammeItemInput{
				{Kind: ktgs.CaseKindGSChuyenDe, Subject: orgSubj(w.a), Content: "Giám sát việc thực hiện quy chế dân chủ ở cơ sở", From: d("2026-03-01"), To: d("2026-05-31"), Lead: "TruongDoan.KB"},
				{Kind: ktgs.CaseKindKTThucHienKTGS, Subject: orgSubj(w.b), Content: "Kiểm tra thực hiện nhiệm vụ kiểm tra, giám sát", From: d("2026-06-01"), To: d("2026-09-30"), Lead: "truongdoan.kb"},
				{Kind: ktgs.CaseKindGSChuyenDe, Subject: memSubj(w.mB1), Content: "Giám sát đảng viên Trần Văn Bình", From: d("2026-10-01"), To: d("2026-12-15")},
			}}
		for _, tc := range []struct {
			name string
			actx context.Context
			code string
		}{
			{"viewer", w.as(t, w.viewer), ktgs.EFORBIDDEN}, {"sibling", w.as(t, w.sib), ktgs.ENOTFOUND}, {"no second factor", w.actor(t, w.chair, false), ktgs.EFORBIDDEN},
		} {
			if _, err := w.s.AdoptProgramme(tc.actx, in); ktgs.ErrorCode(err) != tc.code {
				t.Errorf("AdoptProgramme as %s: %v, want %s", tc.name, err, tc.code)
			}
		}
		bad := in
		bad.Items = append([]app.ProgrammeItemInput{}, in.Items...)
		bad.Items[1].To = d("2026-05-01")
		if _, err := w.s.AdoptProgramme(chair, bad); err == nil {
			t.Error("an item ending before it starts was accepted")
		} else {
			fieldErr(t, err, "items.1.to", "err.date_not_before")
		}
		p, err := w.s.AdoptProgramme(chair, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 3 || p.Items[0].LeadUserID != w.lead.ID || p.Items[2].SubjectKind != ktgs.SubjectMember || p.Items[2].SubjectMem != w.mB1.ID ||
			p.Items[2].SubjectOrg != w.b.ID || p.Items[0].SubjectName != w.a.Name {
			t.Errorf("programme items = %+v", p.Items)
		}
		get := func() *ktgs.Programme {
			t.Helper()
			q, err := w.s.Programme(chair, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			return q
		}
		today := w.s.Today()
		if pr := progress(get(), today); pr != (app.Progress{Planned: 3, Total: 3}) {
			t.Errorf("progress on adoption: %+v", pr)
		}
		// The lead sees the items he leads that have not started.
		work, err := w.s.MyWork(w.as(t, w.lead))
		if err != nil || len(work) != 2 || work[0].Kind != "ITEM_START" || work[0].Due != d("2026-03-01") || !work[0].Overdue ||
			work[1].Due != d("2026-06-01") || work[1].Overdue {
			t.Errorf("lead's work before the cases: %+v %v", work, err)
		}

		// Item 1 becomes a case in one step, with its lead on the team.
		it1 := p.Items[0].ID
		c, err := w.s.CaseFromItem(chair, it1, "")
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != ktgs.CaseProposed || c.ProgrammeItemID != it1 || c.Kind != ktgs.CaseKindGSChuyenDe || c.BodyID != w.ubkt1 ||
			c.Title != "Giám sát việc thực hiện quy chế dân chủ ở cơ sở" || len(c.Subjects) != 1 || c.Subjects[0].OrgID != w.a.ID || c.CreatedBy != w.chair.ID {
			t.Errorf("case from item = %+v", c)
		}
		q := get()
		if q.Items[0].CaseID != c.ID || q.Items[0].CaseStatus != ktgs.CaseProposed {
			t.Errorf("item 1 after CaseFromItem: %+v", q.Items[0])
		}
		det, err := w.s.CaseDetail(chair, c.ID)
		if err != nil || len(det.Team) != 1 || det.Team[0].UserID != w.lead.ID || det.Team[0].Role != ktgs.TeamRoleLead {
			t.Errorf("team of the case from item 1: %+v %v", det, err)
		}
		if got := w.caseAudit(t, c.ID); len(got) == 0 || got[0] != "case.propose" {
			t.Errorf("audit of the case from item 1: %v", got)
		}
		w.refused(t, c.ID, "second case from the same item", func() error { _, err := w.s.CaseFromItem(chair, it1, "Lần hai"); return err },
			invalid("item", "err.item_started"))
		w.refused(t, c.ID, "sibling turns an item into a case", func() error { _, err := w.s.CaseFromItem(w.as(t, w.sib), p.Items[1].ID, ""); return err },
			csErr(ktgs.ENOTFOUND, "err.not_found"))
		// Now: item 2 still to start, and the new case (no plan yet, so
		// after the dated lines).
		if work, _ := w.s.MyWork(w.as(t, w.lead)); len(work) != 2 || work[0].Kind != "ITEM_START" || work[0].Due != d("2026-06-01") ||
			work[1].Kind != "CASE_DUE" || work[1].CaseID != c.ID || !work[1].Due.IsZero() {
			t.Errorf("lead's work after item 1 started: %+v", work)
		}

		// Four people turn item 3 into a case at once: one case results.
		it3 := p.Items[2].ID
		var wg sync.WaitGroup
		var okN int
		var mu sync.Mutex
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := w.s.CaseFromItem(chair, it3, "")
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					okN++
				} else if c := ktgs.ErrorCode(err); c != ktgs.EINVALID && c != ktgs.ECONFLICT {
					t.Errorf("concurrent CaseFromItem: %v", err)
				}
			}()
		}
		wg.Wait()
		if okN != 1 {
			t.Errorf("%d concurrent CaseFromItem succeeded, want 1", okN)
		}
		n := 0
		all, _, _ := w.s.ListCases(ctx, app.CaseQuery{})
		for _, k := range all {
			if k.ProgrammeItemID == it3 {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d cases carry item 3, want 1", n)
		}
		if pr := progress(get(), w.s.Today()); pr != (app.Progress{Planned: 1, Started: 2, Total: 3}) {
			t.Errorf("progress with two cases proposed: %+v", pr)
		}

		// Item 1's case concludes; item 2's window passes unstarted.
		w.advance(t, c.ID, ktgs.CaseConcluded)
		w.setDay("2026-10-05")
		if pr := progress(get(), w.s.Today()); pr != (app.Progress{Started: 1, Concluded: 1, Overdue: 1, Total: 3}) {
			t.Errorf("progress on 5/10/2026: %+v", pr)
		}
		w.setDay("2026-12-20")
		if pr := progress(get(), w.s.Today()); pr != (app.Progress{Concluded: 1, Overdue: 2, Total: 3}) {
			t.Errorf("progress on 20/12/2026: %+v", pr)
		}
		// A late item added to the programme.
		it4, err := w.s.AddProgrammeItem(chair, p.ID, app.ProgrammeItemInput{Kind: ktgs.CaseKindKTTaiChinh, Subject: orgSubj(w.b),
			Content: "Kiểm tra tài chính chi bộ", From: d("2026-12-21"), To: d("2026-12-31")})
		if err != nil || it4.ProgrammeID != p.ID {
			t.Fatalf("AddProgrammeItem: %+v %v", it4, err)
		}
		if _, err := w.s.AddProgrammeItem(w.as(t, w.sib), p.ID, app.ProgrammeItemInput{Kind: ktgs.CaseKindKTTaiChinh, Subject: orgSubj(w.b),
			Content: "x", From: d("2026-12-21"), To: d("2026-12-31")}); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
			t.Errorf("sibling adds an item: %v", err)
		}
		if pr := progress(get(), w.s.Today()); pr != (app.Progress{Planned: 1, Concluded: 1, Overdue: 2, Total: 4}) {
			t.Errorf("progress with the late item: %+v", pr)
		}

		// Who sees the programme.
		progs := func(actx context.Context, year int) []int64 {
			ps, err := w.s.Programmes(actx, year)
			if err != nil {
				t.Fatalf("Programmes: %v", err)
			}
			var out []int64
			for _, p := range ps {
				out = append(out, p.ID)
			}
			return out
		}
		if got := progs(chair, 2026); !slices.Equal(got, []int64{p.ID}) {
			t.Errorf("chair's programmes of 2026: %v", got)
		}
		if got := progs(chair, 2025); len(got) != 0 {
			t.Errorf("chair's programmes of 2025: %v", got)
		}
		if got := progs(w.as(t, w.provChair), 0); !slices.Equal(got, []int64{p.ID}) {
			t.Errorf("province chair's programmes: %v", got)
		}
		if got := progs(w.as(t, w.sib), 0); len(got) != 0 {
			t.Errorf("sibling sees %v", got)
		}
		if _, err := w.s.Programmes(w.as(t, w.viewer), 0); ktgs.ErrorCode(err) != ktgs.EFORBIDDEN {
			t.Errorf("viewer: %v", err)
		}
		if _, err := w.s.Programme(w.as(t, w.sib), p.ID); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
			t.Errorf("sibling reads the programme: %v", err)
		}
	})
}

// ---------------------------------------------------------------------
// My work and reminders.

// csMailer records the messages it is asked to send.
type csMailer struct {
	mu   sync.Mutex
	msgs []mail.Message
}

func (m *csMailer) Send(_ context.Context, msg mail.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs = append(m.msgs, msg)
	return nil
}

func (m *csMailer) sent() []mail.Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.msgs)
}

func TestCaseWorkReminders(t *testing.T) {
	csRun(t, func(t *testing.T, w *csWorld) {
		mailer := &csMailer{}
		w.s.Mailer = mailer
		chair, insp := w.as(t, w.chair), w.as(t, w.insp)
		// K1: decided 14/4, 5 working days → due 21/4; the team is the
		// lead and insp.
		k1 := w.dhvp(t)
		w.step(t, chair, w.chair, k1.ID, app.TransitionInput{Name: "decide", StartOn: d("2026-04-14"), DurationDays: 5}, ktgs.CaseProposed, ktgs.CaseDecided)
		w.advance(t, k1.ID, ktgs.CaseTeamFormed)
		// K2: a long plan, concluded at once with a request due 24/4 and
		// one due 31/8.
		k2 := w.propose(t, chair, ktgs.CaseKindGSChuyenDe, w.ubkt1, "Giám sát chuyên đề công tác phát triển đảng viên", orgSubj(w.b))
		w.step(t, chair, w.chair, k2.ID, app.TransitionInput{Name: "decide", StartOn: d("2026-04-14"), DurationDays: 60}, ktgs.CaseProposed, ktgs.CaseDecided)
		w.advance(t, k2.ID, ktgs.CaseMeeting)
		if _, err := w.s.Transition(chair, k2.ID, app.TransitionInput{Name: "conclude", Remediations: []app.RemediationInput{
			{SubjectSeq: 1, Text: "Bổ sung hồ sơ kết nạp.", DueOn: d("2026-04-24")},
			{SubjectSeq: 1, Text: "Rà soát quy trình kết nạp.", DueOn: d("2026-08-31")}}}); err != nil {
			t.Fatal(err)
		}
		// K3: cancelled, with insp on its team: not her work.
		k3 := w.propose(t, chair, ktgs.CaseKindKTThucHienKTGS, w.ubkt1, "Kiểm tra thực hiện nhiệm vụ kiểm tra", orgSubj(w.a))
		w.advance(t, k3.ID, ktgs.CaseTeamFormed)
		w.step(t, chair, w.chair, k3.ID, app.TransitionInput{Name: "cancel", Reason: "Trùng với cuộc kiểm tra của cấp trên."}, ktgs.CaseTeamFormed, ktgs.CaseCancelled)
		k2due := w.snap(t, k2.ID).Case.DueOn
		rems := w.snap(t, k2.ID).Rems

		// My work on 4/5/2026: the overdue case and request first.
		w.setDay("2026-05-04")
		work, err := w.s.MyWork(insp)
		if err != nil {
			t.Fatal(err)
		}
		type line struct {
			kind    string
			caseID  int64
			due     civil.Date
			overdue bool
		}
		var got []line
		for _, it := range work {
			got = append(got, line{it.Kind, it.CaseID, it.Due, it.Overdue})
			if it.Link != fmt.Sprintf("/cases/%d", it.CaseID) && it.Link != fmt.Sprintf("/cases/%d#remediation", it.CaseID) {
				t.Errorf("link %q", it.Link)
			}
		}
		want := []line{{"CASE_DUE", k1.ID, d("2026-04-21"), true}, {"REMEDIATION_DUE", k2.ID, d("2026-04-24"), true},
			{"CASE_DUE", k2.ID, k2due, false}, {"REMEDIATION_DUE", k2.ID, d("2026-08-31"), false}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("my work =\n%v\nwant\n%v", got, want)
		}
		if work[1].Detail != "Bổ sung hồ sơ kết nạp." || work[0].Code != k1.Code || work[0].Status != ktgs.CaseTeamFormed {
			t.Errorf("work lines %+v", work[:2])
		}
		if w2, err := w.s.MyWork(w.as(t, w.insp2)); err != nil || len(w2) != 0 {
			t.Errorf("work of someone on no team: %+v %v", w2, err)
		}
		if _, err := w.s.MyWork(context.Background()); ktgs.ErrorCode(err) != ktgs.EUNAUTHORIZED {
			t.Errorf("MyWork without a user: %v", err)
		}

		// Reminders on 18/4 (K1 due within 3 days): one notification per
		// team member, one e-mail, once.
		w.setDay("2026-04-18")
		notes := func(u *ktgs.User) []store.Notification {
			ns, err := w.s.Notifications(w.as(t, u))
			if err != nil {
				t.Fatal(err)
			}
			return ns
		}
		n, err := w.s.RunReminders(context.Background(), d("2026-04-18"))
		if err != nil || n != 2 {
			t.Fatalf("RunReminders on 18/4 = %d, %v; want 2 (the lead and insp)", n, err)
		}
		key := fmt.Sprintf("case:%d:2026-04-21:soon", k1.ID)
		for _, u := range []*ktgs.User{w.lead, w.insp} {
			ns := notes(u)
			if len(ns) != 1 || ns[0].Key != key || ns[0].Link != fmt.Sprintf("/cases/%d", k1.ID) || ns[0].ReadAt != nil ||
				!strings.Contains(ns[0].Text, k1.Code) || !strings.Contains(ns[0].Text, d("2026-04-21").VN()) {
				t.Errorf("notifications of %s: %+v", u.Username, ns)
			}
		}
		if ns := notes(w.chair); len(ns) != 0 {
			t.Errorf("the chair (not on the team) got %+v", ns)
		}
		msgs := mailer.sent()
		if len(msgs) != 1 || !slices.Equal(msgs[0].To, []string{"minh@kimbang.example", "hanh@kimbang.example"}) ||
			msgs[0].ID != strings.ReplaceAll("ktgs-"+key, ":", "-") || !strings.Contains(msgs[0].Body, fmt.Sprintf("/cases/%d", k1.ID)) ||
			!strings.HasPrefix(msgs[0].Subject, "[KTGS] ") || !strings.Contains(msgs[0].Subject, k1.Code) {
			t.Errorf("mail = %+v", msgs)
		}
		if n, err := w.s.RunReminders(context.Background(), d("2026-04-18")); err != nil || n != 0 {
			t.Errorf("second run = %d, %v; want 0", n, err)
		}
		if n, err := w.s.RunReminders(context.Background(), d("2026-04-19")); err != nil || n != 0 {
			t.Errorf("next day = %d, %v; want 0 (same due date, still 'soon')", n, err)
		}
		if len(notes(w.insp)) != 1 || len(mailer.sent()) != 1 {
			t.Errorf("reminders sent twice: %d notifications, %d mails", len(notes(w.insp)), len(mailer.sent()))
		}

		// On 27/4, four servers run the reminders at once: K1 is overdue
		// and K2's first request is overdue (escalated). Each reminder
		// goes out once.
		w.setDay("2026-04-27")
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := w.s.RunReminders(context.Background(), d("2026-04-27"))
				if err != nil {
					t.Errorf("concurrent RunReminders: %v", err)
				}
				mu.Lock()
				total += n
				mu.Unlock()
			}()
		}
		wg.Wait()
		// The overdue case and the escalation go to the team (2) and to
		// the head over the case, the commune's chair (1).
		if total != 6 {
			t.Errorf("concurrent runs notified %d people in all, want 6 (3 for the overdue case, 3 for the escalation)", total)
		}
		chairKeys := map[string]int{}
		for _, nt := range notes(w.chair) {
			chairKeys[nt.Key]++
		}
		if chairKeys[fmt.Sprintf("case:%d:2026-04-21:overdue", k1.ID)] != 1 || chairKeys[fmt.Sprintf("remediation:%d:2026-04-24:escalate", rems[0].ID)] != 1 {
			t.Errorf("the chair was not told of the overdue case and the escalation once each: %v", chairKeys)
		}
		escKey := fmt.Sprintf("remediation:%d:2026-04-24:escalate", rems[0].ID)
		for _, u := range []*ktgs.User{w.lead, w.insp} {
			keys := map[string]int{}
			for _, nt := range notes(u) {
				keys[nt.Key]++
			}
			want := map[string]int{key: 1, fmt.Sprintf("case:%d:2026-04-21:overdue", k1.ID): 1, escKey: 1}
			if !reflect.DeepEqual(keys, want) {
				t.Errorf("notifications of %s: %v, want %v", u.Username, keys, want)
			}
		}
		if msgs := mailer.sent(); len(msgs) != 3 {
			t.Errorf("%d mails, want 3 (one per reminder key)", len(msgs))
		}
		sn := w.snap(t, k2.ID)
		if sn.Rems[0].EscalatedOn != d("2026-04-27") || !sn.Rems[1].EscalatedOn.IsZero() {
			t.Errorf("escalation: %+v", sn.Rems)
		}
		esc := 0
		for _, e := range sn.Events {
			if e.Transition == "remediation_escalate" {
				esc++
				if e.Note != "Bổ sung hồ sơ kết nạp." || e.Actor != app.SystemActor {
					t.Errorf("escalation event %+v", e)
				}
			}
		}
		// Exactly once, however many servers ran the reminders.
		if esc != 1 {
			t.Errorf("%d escalations on the timeline, want 1", esc)
		}
		// Later runs neither escalate again nor notify again.
		w.setDay("2026-04-28")
		if n, err := w.s.RunReminders(context.Background(), d("2026-04-28")); err != nil || n != 0 {
			t.Errorf("run on 28/4 = %d, %v; want 0", n, err)
		}
		if after := w.snap(t, k2.ID); len(after.Events) != len(sn.Events) || after.Rems[0].EscalatedOn != d("2026-04-27") {
			t.Errorf("second escalation: %d events (was %d), escalated on %s", len(after.Events), len(sn.Events), after.Rems[0].EscalatedOn)
		}
		// A done request is not escalated; a cancelled case not reminded.
		if len(notes(w.insp2)) != 0 {
			t.Errorf("someone on no team was notified")
		}
	})
}

// TestCaseFromItemChecksLead: the lead named in a programme joins the
// team through the same checks as anyone else: a lead working in the
// subject's unit is refused with the reason and no case is created; a
// viewer cannot even be named.
func TestCaseFromItemChecksLead(t *testing.T) {
	csRun(t, func(t *testing.T, w *csWorld) {
		chair := w.as(t, w.chair)
		p, err := w.s.AdoptProgramme(chair, app.ProgrammeInput{BodyID: w.ubkt1, Kind: ktgs.ProgrammeAnnual, Year: 2026, Title: "Chương trình 2026",
			AdoptedOn: d("2026-01-10"), Items: []app.ProgrammeItemInput{
				{Kind: ktgs.CaseKindGSChuyenDe, Subject: orgSubj(w.a), Content: "Giám sát chi bộ A", From: d("2026-03-01"), To: d("2026-05-31"), Lead: w.sameOrg.Username},
			}})
		if err != nil {
			t.Fatal(err)
		}
		count := func() int {
			list, _, err := w.s.ListCases(chair, app.CaseQuery{Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		before := count()
		_, err = w.s.CaseFromItem(chair, p.Items[0].ID, "")
		fieldErr(t, err, "lead", "err.case.conflict.same_unit")
		if after := count(); after != before {
			t.Errorf("a case was created (%d → %d) although its lead is conflicted", before, after)
		}
		_, err = w.s.AdoptProgramme(chair, app.ProgrammeInput{BodyID: w.ubkt1, Kind: ktgs.ProgrammeAnnual, Year: 2026, Title: "Chương trình khác",
			AdoptedOn: d("2026-01-10"), Items: []app.ProgrammeItemInput{
				{Kind: ktgs.CaseKindGSChuyenDe, Subject: orgSubj(w.a), Content: "x", From: d("2026-03-01"), To: d("2026-05-31"), Lead: w.viewer.Username},
			}})
		fieldErr(t, err, "items.0.lead", "err.case.cadre_cannot")
	})
}
