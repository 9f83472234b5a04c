package app_test

// The statistics engine against a small world computed by hand, on both
// engines: every cell of the reports below is written out with the
// records that make it, in the TODAY and AS_THEN views across the
// 1/7/2025 reorganisation; the count of every cell equals the length of
// its drill-down list for a chair, an inspector with low clearance, a
// viewer and an administrator; bad input gets its field error.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
	"ktgs/internal/vn"
)

// stWorld is the hand-computed fixture.
//
// The tree before 1/7/2025 (codes):
//
//	TW  Đảng Cộng sản Việt Nam
//	├── HN  tỉnh Hà Nam ── KB huyện Kim Bảng ─┬─ X1 xã Thụy Lôi ── B1 chi bộ Thụy Xuyên
//	│                                          └─ X2 xã Tân Sơn ── B2 chi bộ Tân Lang
//	├── ND  tỉnh Nam Định ── G Đảng bộ Công ty Dệt ── GB chi bộ Phân xưởng (until 1/1/2024)
//	└── TH  tỉnh Thanh Hóa ── G (moved here on 1/1/2024)
//
// On 1/7/2025: X1 and X2 merge into the new ward KBW, under the new
// province NB; B1 and B2 move with them; KB is dissolved; HN and ND merge
// into NB. Today (15/6/2026): TW → {NB → KBW → {B1, B2}, TH → G → GB}.
//
// Committee seats: m1 on X1's committee until 30/6/2025; m3 on KBW's
// committee from 1/7/2025; m5 secretary of chi bộ B2 (its committee)
// 2022 – 30/6/2025; m4 only on TH's UBKT (not a committee seat).
type stWorld struct {
	s   *app.Service
	db  *store.DB
	org map[string]*ktgs.Org // by code
	m   map[string]*ktgs.Member
	// records by the names used in the comments (C1, P1, K1, L1 …)
	id map[string]int64
}

// stToday is the pinned "today": 15/6/2026, 9:00 in Vietnam.
var stToday = time.Date(2026, 6, 15, 2, 0, 0, 0, time.UTC)

func stRun(t *testing.T, fn func(t *testing.T, w *stWorld)) {
	t.Helper()
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		w := &stWorld{db: db, s: app.New(db, nil), org: map[string]*ktgs.Org{}, m: map[string]*ktgs.Member{}, id: map[string]int64{}}
		w.s.Clock = func() time.Time { return stToday }
		w.build(t)
		fn(t, w)
	})
}

func (w *stWorld) build(t *testing.T) {
	s := w.s
	mk := func(code string, typ ktgs.OrgType, name, parent, from string) {
		in := app.OrgInput{Code: code, Type: typ, Name: name, ParentCode: parent, ValidFrom: d(from)}
		w.org[code] = mustCreate(t, s, in)
	}
	mk("TW", ktgs.OrgTypeCentral, "Đảng Cộng sản Việt Nam", "", "1930-02-03")
	mk("HN", ktgs.OrgTypeDirectlyUnderCC, "Đảng bộ tỉnh Hà Nam", "TW", "1997-01-01")
	mk("ND", ktgs.OrgTypeDirectlyUnderCC, "Đảng bộ tỉnh Nam Định", "TW", "1997-01-01")
	mk("TH", ktgs.OrgTypeDirectlyUnderCC, "Đảng bộ tỉnh Thanh Hóa", "TW", "1997-01-01")
	mk("KB", ktgs.OrgTypeDistrict, "Đảng bộ huyện Kim Bảng", "HN", "1997-01-01")
	mk("X1", ktgs.OrgTypeGrassrootsCommittee, "Đảng bộ xã Thụy Lôi", "KB", "2000-01-01")
	mk("X2", ktgs.OrgTypeGrassrootsCommittee, "Đảng bộ xã Tân Sơn", "KB", "2000-01-01")
	mk("B1", ktgs.OrgTypeBranch, "Chi bộ thôn Thụy Xuyên", "X1", "2000-01-01")
	mk("B2", ktgs.OrgTypeBranch, "Chi bộ thôn Tân Lang", "X2", "2000-01-01")
	mk("G", ktgs.OrgTypeGrassrootsCommittee, "Đảng bộ Công ty Dệt", "ND", "2000-01-01")
	mk("GB", ktgs.OrgTypeBranch, "Chi bộ Phân xưởng sợi", "G", "2000-01-01")
	mem := func(key, card, name, home string) {
		w.m[key] = mustMember(t, s, app.MemberInput{CardNumber: card, FullName: name, Gender: "NAM", BirthDate: d("1975-05-01"),
			AdmittedOn: d("2000-03-03"), OfficialOn: d("2001-03-03"), HomeOrgCode: home})
	}
	mem("m1", "09100001", "Nguyễn Văn An", "B1")
	mem("m2", "09100002", "Trần Văn Bình", "B1")
	mem("m3", "09100003", "Lê Văn Cường", "B2")
	mem("m4", "09100004", "Phạm Văn Dũng", "GB")
	mem("m5", "09100005", "Hoàng Văn Em", "B2")
	w.seat(t, "m1", "X1", ktgs.BodyCommittee, "2020-08-01", "2025-06-30")
	w.seat(t, "m5", "B2", ktgs.BodyBranch, "2022-01-01", "2025-06-30")
	w.seat(t, "m4", "TH", ktgs.BodyInspectionCommission, "2020-10-01", "")

	// Records dated before the reorganisation are written before it, as
	// they were, so that the reorganisation re-homes them.
	w.update(t, func(tx *store.Tx) {
		sub := func(code string, f ...ktgs.FindingKind) stSubj { return stSubj{org: code, findings: f} }
		mem := func(key string, f ...ktgs.FindingKind) stSubj { return stSubj{member: key, findings: f} }
		V, S, ST, W := ktgs.FindingViolation, ktgs.FindingShortcoming, ktgs.FindingStrength, ktgs.FindingKind("W") // W: a violation that warrants discipline
		w.kase(tx, t, "C1", ktgs.CaseKindKTChapHanh, "X1", ktgs.BodyCommittee, "2024-03-10", "2024-05-20", ktgs.CaseClosed, authz.Normal,
			sub("B1", S), mem("m1", W), mem("m2", ST))
		w.kase(tx, t, "C2", ktgs.CaseKindKTDHVP, "HN", ktgs.BodyInspectionCommission, "2024-11-01", "2025-02-15", ktgs.CaseClosed, authz.Secret,
			mem("m3", W), sub("X2", V))
		w.kase(tx, t, "C3", ktgs.CaseKindKTDHVP, "X2", ktgs.BodyCommittee, "2025-03-01", "2025-08-10", ktgs.CaseFollowUp, authz.Secret,
			mem("m3", W), mem("m5", S))
		w.kase(tx, t, "C5", ktgs.CaseKindGSChuyenDe, "TH", ktgs.BodyStandingCommittee, "2024-06-01", "2024-09-01", ktgs.CaseClosed, authz.Normal,
			sub("G", V), mem("m4", S))
		w.kase(tx, t, "C7", ktgs.CaseKindKTThucHienKTGS, "ND", ktgs.BodyInspectionCommission, "2023-05-01", "2023-07-01", ktgs.CaseClosed, authz.Normal,
			sub("G", ST))
		w.kase(tx, t, "C8", ktgs.CaseKindKTChapHanh, "X1", ktgs.BodyCommittee, "2024-02-01", "", ktgs.CaseCancelled, authz.Normal, mem("m2"))
		w.kase(tx, t, "C9", ktgs.CaseKindKTChapHanh, "TW", ktgs.BodyPolitburo, "2024-04-01", "2024-06-01", ktgs.CaseClosed, authz.Normal, sub("HN", S))
		w.kase(tx, t, "C11", ktgs.CaseKindKTChapHanh, "X1", ktgs.BodyCommittee, "", "", ktgs.CaseProposed, authz.Normal, mem("m1"))
		w.kase(tx, t, "C12", ktgs.CaseKindGSThuongXuyen, "X1", ktgs.BodyInspectionCommission, "2024-07-01", "2024-12-01", ktgs.CaseClosed, authz.Normal,
			mem("m2", V))
		w.kase(tx, t, "C13", ktgs.CaseKindKTChapHanh, "G", ktgs.BodyCommittee, "2023-10-01", "2023-12-01", ktgs.CaseClosed, authz.Normal, mem("m4", S))

		w.proc(tx, t, stProc{name: "P1", member: "m1", from: "C1", first: "X1", firstKind: ktgs.BodyCommittee, by: "X1", byKind: ktgs.BodyInspectionCommission,
			status: ktgs.ProcDecided, on: "2024-06-15", form: ktgs.FormReprimand, category: "THAM_NHUNG", mark: authz.Secret})
		w.proc(tx, t, stProc{name: "P2", member: "m3", from: "C2", first: "HN", firstKind: ktgs.BodyInspectionCommission, by: "HN", byKind: ktgs.BodyInspectionCommission,
			status: ktgs.ProcDecided, on: "2025-03-20", form: ktgs.FormWarning, category: "DAO_DUC_LOI_SONG", mark: authz.Secret})
		w.proc(tx, t, stProc{name: "P4", org: "B2", first: "KB", firstKind: ktgs.BodyStandingCommittee, by: "KB", byKind: ktgs.BodyStandingCommittee,
			status: ktgs.ProcDecided, on: "2024-12-01", form: ktgs.FormReprimand, category: "CHU_TRUONG_QUY_DINH", mark: authz.Normal})
		w.proc(tx, t, stProc{name: "P5", member: "m5", first: "HN", firstKind: ktgs.BodyInspectionCommission, by: "TW", byKind: ktgs.BodySecretariat,
			status: ktgs.ProcDecided, on: "2024-08-01", form: ktgs.FormExpulsion, category: "CHAY_CHUC_CHAY_QUYEN", mark: authz.Secret})
		w.proc(tx, t, stProc{name: "P6", member: "m2", from: "C1", first: "X1", firstKind: ktgs.BodyCommittee, by: "X1", byKind: ktgs.BodyInspectionCommission,
			status: ktgs.ProcAnnulled, on: "2024-07-01", form: ktgs.FormWarning, category: "THAM_NHUNG", mark: authz.Normal})
		w.proc(tx, t, stProc{name: "P7", member: "m4", first: "TH", firstKind: ktgs.BodyInspectionCommission, by: "TH", byKind: ktgs.BodyInspectionCommission,
			status: ktgs.ProcVoted, category: "KHAC", mark: authz.Normal})
		w.proc(tx, t, stProc{name: "P8", org: "G", from: "C5", first: "TH", firstKind: ktgs.BodyStandingCommittee, by: "TH", byKind: ktgs.BodyInspectionCommission,
			status: ktgs.ProcDecided, on: "2024-10-01", form: ktgs.FormWarning, category: "TO_CHUC_HOAT_DONG_DANG", mark: authz.Normal})
		w.proc(tx, t, stProc{name: "P9", member: "m4", from: "C13", first: "G", firstKind: ktgs.BodyCommittee, by: "G", byKind: ktgs.BodyCommittee,
			status: ktgs.ProcDecided, on: "2024-01-20", form: ktgs.FormReprimand, category: "TE_NAN_XA_HOI", mark: authz.Normal})

		w.complaint(tx, t, "K1", "P2", "2025-04-10", ktgs.ComplaintResolved, "2025-06-01", ktgs.OutcomeChangeForm)
		w.complaint(tx, t, "K2", "P1", "2024-07-01", ktgs.ComplaintPending, "", "")
		w.complaint(tx, t, "K4", "P4", "2024-12-20", ktgs.ComplaintWithdrawn, "", "")

		w.letter(tx, t, "L1", ktgs.LetterDenunciation, ktgs.LetterClosed, "X1", "2024-05-05", "2024-08-01", authz.Secret)
		w.letter(tx, t, "L5", ktgs.LetterDenunciation, ktgs.LetterClosed, "HN", "2023-12-20", "2024-02-01", authz.Secret)
		w.letter(tx, t, "L6", ktgs.LetterDenunciation, ktgs.LetterNotResolved, "KB", "2024-09-09", "", authz.Normal)
	})

	// G moves from Nam Định to Thanh Hóa on 1/1/2024.
	if _, err := s.Reorganize(ctx, app.ReorgInput{Kind: ktgs.ReorgMove, Date: d("2024-01-01"), Sources: []int64{w.org["G"].ID},
		ParentID: w.org["TH"].ID, Decision: "Quyết định 1-QĐ/TW"}); err != nil {
		t.Fatalf("move G: %v", err)
	}
	// The 1/7/2025 reorganisation.
	D := ktgs.ReformDate
	w.org["NB"] = mustCreate(t, s, app.OrgInput{Code: "NB", Type: ktgs.OrgTypeDirectlyUnderCC, Name: "Đảng bộ tỉnh Ninh Bình", ParentCode: "TW", ValidFrom: D})
	ev, err := s.Reorganize(ctx, app.ReorgInput{Kind: ktgs.ReorgMerge, Date: D, Decision: "Quyết định 2-QĐ/TU",
		Sources:   []int64{w.org["X1"].ID, w.org["X2"].ID},
		New:       []app.OrgInput{{Code: "KBW", Type: ktgs.OrgTypeCommune, Name: "Đảng bộ phường Kim Bảng", ParentCode: "NB"}},
		ChildType: map[ktgs.OrgType]ktgs.OrgType{ktgs.OrgTypeBranch: ktgs.OrgTypeGrassrootsBranch}})
	if err != nil {
		t.Fatalf("merge communes: %v", err)
	}
	if _, err := s.Reorganize(ctx, app.ReorgInput{Kind: ktgs.ReorgDissolve, Date: D, Sources: []int64{w.org["KB"].ID}, Decision: "Kết luận 137-KL/TW"}); err != nil {
		t.Fatalf("dissolve district: %v", err)
	}
	if _, err := s.Reorganize(ctx, app.ReorgInput{Kind: ktgs.ReorgMerge, Date: D, Sources: []int64{w.org["HN"].ID, w.org["ND"].ID},
		TargetID: w.org["NB"].ID, Decision: "Quyết định 3-QĐ/TW"}); err != nil {
		t.Fatalf("merge provinces: %v", err)
	}
	if err := w.db.View(ctx, func(tx *store.Tx) error {
		for code := range w.org {
			o, err := tx.OrgLatest(ctx, w.org[code].ID)
			if err != nil {
				return err
			}
			w.org[code] = o
		}
		kbw, err := tx.OrgLatest(ctx, ev.Links[0].ToID)
		w.org["KBW"] = kbw
		return err
	}); err != nil {
		t.Fatal(err)
	}
	w.seat(t, "m3", "KBW", ktgs.BodyCommittee, "2025-07-01", "")

	// Records of the new units.
	w.update(t, func(tx *store.Tx) {
		w.kase(tx, t, "C4", ktgs.CaseKindKTChapHanh, "KBW", ktgs.BodyCommittee, "2025-09-01", "", ktgs.CaseVerifying, authz.Normal,
			stSubj{org: "B1"}, stSubj{member: "m3"})
		w.kase(tx, t, "C6", ktgs.CaseKindKTTaiChinh, "NB", ktgs.BodyInspectionCommission, "2025-10-01", "2025-12-01", ktgs.CaseClosed, authz.Normal,
			stSubj{org: "KBW", findings: []ktgs.FindingKind{ktgs.FindingShortcoming}})
		w.kase(tx, t, "C10", ktgs.CaseKindKTDHVP, "NB", ktgs.BodyInspectionCommission, "2025-12-01", "", ktgs.CaseVerifying, authz.TopSecret,
			stSubj{member: "m4"})
		w.proc(tx, t, stProc{name: "P3", member: "m3", from: "C3", first: "KBW", firstKind: ktgs.BodyCommittee, by: "NB", byKind: ktgs.BodyCommittee,
			status: ktgs.ProcDecided, on: "2025-09-15", form: ktgs.FormRemoval, category: "NHIEM_VU_CONG_VU", mark: authz.Secret})
		w.complaint(tx, t, "K3", "P3", "2025-10-01", ktgs.ComplaintResolved, "2025-11-15", ktgs.OutcomeUphold)
		w.letter(tx, t, "L2", ktgs.LetterDenunciation, ktgs.LetterAccepted, "NB", "2025-08-01", "", authz.Normal)
		w.letter(tx, t, "L3", ktgs.LetterComplaint, ktgs.LetterNotResolved, "NB", "2025-08-02", "", authz.Normal)
		w.letter(tx, t, "L4", ktgs.LetterDenunciation, ktgs.LetterDuplicate, "NB", "2025-08-03", "", authz.Normal)
	})
}

func (w *stWorld) update(t *testing.T, fn func(tx *store.Tx)) {
	t.Helper()
	if err := w.db.Update(ctx, func(tx *store.Tx) error { fn(tx); return nil }); err != nil {
		t.Fatal(err)
	}
}

func (w *stWorld) body(tx *store.Tx, t *testing.T, code string, k ktgs.BodyKind) *ktgs.Body {
	t.Helper()
	b, err := tx.BodyByKind(ctx, w.org[code].ID, k)
	if err != nil {
		t.Fatalf("body %s of %s: %v", k, code, err)
	}
	return b
}

// seat gives member key a seat on body k of unit code from from to to
// (open when empty), in a term of the same dates.
func (w *stWorld) seat(t *testing.T, key, code string, k ktgs.BodyKind, from, to string) {
	t.Helper()
	end := civil.Forever
	if to != "" {
		end = d(to)
	}
	w.update(t, func(tx *store.Tx) {
		term := &ktgs.Term{BodyID: w.body(tx, t, code, k).ID, Name: "nhiệm kỳ " + from[:4], Start: d(from), End: end}
		if err := tx.InsertTerm(ctx, term); err != nil {
			t.Fatal(err)
		}
		if err := tx.InsertSeat(ctx, &ktgs.Seat{TermID: term.ID, MemberID: w.m[key].ID, Role: ktgs.RoleMember, Start: d(from), End: end}); err != nil {
			t.Fatal(err)
		}
	})
}

// stSubj is a case subject (an organisation code or a member key) with
// the kinds of its findings; kind "W" is a violation that warrants
// discipline.
type stSubj struct {
	org, member string
	findings    []ktgs.FindingKind
}

func (w *stWorld) scope(tx *store.Tx, t *testing.T, code string) string {
	t.Helper()
	o, err := tx.OrgLatest(ctx, w.org[code].ID)
	if err != nil {
		t.Fatal(err)
	}
	return o.Path
}

func dt(s string) civil.Date {
	if s == "" {
		return 0
	}
	return d(s)
}

func (w *stWorld) kase(tx *store.Tx, t *testing.T, name string, kind ktgs.CaseKind, code string, bk ktgs.BodyKind, decided, concluded string,
	status ktgs.CaseStatus, mark authz.Mark, subjects ...stSubj) {
	t.Helper()
	c := &ktgs.Case{Kind: kind, BodyID: w.body(tx, t, code, bk).ID, OrgID: w.org[code].ID, ScopePath: w.scope(tx, t, code), Title: name,
		Mark: mark, Status: status, Year: 2024, ProposedOn: d("2023-01-01"), DecidedOn: dt(decided), ConcludedOn: dt(concluded)}
	if !c.DecidedOn.IsZero() {
		c.Year, c.ProposedOn = c.DecidedOn.Year(), c.DecidedOn.AddDays(-10)
	}
	for _, s := range subjects {
		if s.org != "" {
			c.Subjects = append(c.Subjects, ktgs.CaseSubject{Kind: ktgs.SubjectOrg, OrgID: w.org[s.org].ID, Name: w.org[s.org].Name})
		} else {
			m := w.m[s.member]
			c.Subjects = append(c.Subjects, ktgs.CaseSubject{Kind: ktgs.SubjectMember, OrgID: m.HomeOrgID, MemberID: m.ID, Name: m.FullName})
		}
	}
	if err := tx.InsertCase(ctx, c); err != nil {
		t.Fatalf("case %s: %v", name, err)
	}
	w.id[name] = c.ID
	for i, s := range subjects {
		for _, k := range s.findings {
			f := &ktgs.Finding{CaseID: c.ID, SubjectSeq: i + 1, Kind: k, Text: "Nhận xét " + name}
			if k == "W" {
				f.Kind, f.WarrantsDiscipline, f.Category = ktgs.FindingViolation, true, "KHAC"
			}
			if err := tx.InsertFinding(ctx, f, vn.Fold(f.Text)); err != nil {
				t.Fatal(err)
			}
			w.id[fmt.Sprintf("%s.%d", name, i+1)] = f.ID
		}
	}
}

type stProc struct {
	name, member, org, from string // subject (member key or org code), the case it came from
	first, by               string // the opening and deciding units
	firstKind, byKind       ktgs.BodyKind
	status                  ktgs.ProceedingStatus
	on                      string
	form                    ktgs.DisciplineForm
	category                string
	mark                    authz.Mark
}

func (w *stWorld) proc(tx *store.Tx, t *testing.T, in stProc) {
	t.Helper()
	p := &ktgs.Proceeding{Origin: ktgs.OriginDirect, BodyID: w.body(tx, t, in.first, in.firstKind).ID,
		FirstBodyID: w.body(tx, t, in.first, in.firstKind).ID, ScopePath: w.scope(tx, t, in.first), Category: in.category,
		Violation: "Vi phạm " + in.name, ViolationOn: d("2023-06-01"), WarrantedForm: ktgs.FormReprimand, Mark: in.mark,
		Status: ktgs.ProcOpen, OpenedOn: d("2023-06-01")}
	if in.member != "" {
		m := w.m[in.member]
		p.SubjectKind, p.MemberID, p.OrgID, p.SubjectName = ktgs.SubjectMember, m.ID, m.HomeOrgID, m.FullName
	} else {
		p.SubjectKind, p.OrgID, p.SubjectName = ktgs.SubjectOrg, w.org[in.org].ID, w.org[in.org].Name
	}
	if in.from != "" {
		p.Origin, p.CaseID = ktgs.OriginFinding, w.id[in.from]
	}
	if err := tx.InsertProceeding(ctx, p); err != nil {
		t.Fatalf("proceeding %s: %v", in.name, err)
	}
	p.BodyID, p.Status, p.Form, p.DecidedOn = w.body(tx, t, in.by, in.byKind).ID, in.status, in.form, dt(in.on)
	if err := tx.UpdateProceeding(ctx, p); err != nil {
		t.Fatal(err)
	}
	w.id[in.name] = p.ID
}

func (w *stWorld) complaint(tx *store.Tx, t *testing.T, name, proc, filed string, status ktgs.ComplaintStatus, resolved string, outcome ktgs.ComplaintOutcome) {
	t.Helper()
	p, err := tx.Proceeding(ctx, w.id[proc])
	if err != nil {
		t.Fatal(err)
	}
	k := &ktgs.Complaint{ProceedingID: p.ID, Level: 1, ComplainantKind: p.SubjectKind, ComplainantMemberID: p.MemberID,
		ComplainantName: p.SubjectName, Content: "Khiếu nại " + name, FiledOn: d(filed), DecisionAnnouncedOn: d(filed).AddDays(-5),
		DeadlineOn: d(filed).AddDays(25), ResolverBodyID: p.BodyID, ScopePath: p.ScopePath, Mark: p.Mark, Status: ktgs.ComplaintPending,
		FormBefore: p.Form}
	if p.SubjectKind == ktgs.SubjectOrg {
		k.ComplainantMemberID, k.ComplainantOrgID = 0, p.OrgID
	}
	if err := tx.InsertComplaint(ctx, k); err != nil {
		t.Fatalf("complaint %s: %v", name, err)
	}
	k.Status, k.Outcome, k.ResolvedOn = status, outcome, dt(resolved)
	if status == ktgs.ComplaintWithdrawn {
		k.WithdrawnOn = d(filed).AddDays(20)
	}
	if err := tx.UpdateComplaint(ctx, k); err != nil {
		t.Fatal(err)
	}
	w.id[name] = k.ID
}

func (w *stWorld) letter(tx *store.Tx, t *testing.T, name string, kind ktgs.LetterKind, status ktgs.LetterStatus, holder, received, concluded string, mark authz.Mark) {
	t.Helper()
	b := w.body(tx, t, holder, ktgs.BodyInspectionCommission)
	l := &ktgs.Letter{Channel: ktgs.ChannelPost, Kind: kind, Mode: ktgs.SenderNamed, Signers: 1, Title: "Đơn " + name, Content: "Nội dung " + name,
		ReceivedOn: d(received), ReceivedOrgID: b.OrgID, HolderBodyID: b.ID, HolderOrgID: b.OrgID, ScopePath: w.scope(tx, t, holder),
		Status: status, Mark: mark}
	if err := tx.InsertLetter(ctx, l, "hash-"+name, nil); err != nil {
		t.Fatalf("letter %s: %v", name, err)
	}
	l.ConcludedOn = dt(concluded)
	if err := tx.UpdateLetter(ctx, l); err != nil {
		t.Fatal(err)
	}
	w.id[name] = l.ID
}

// actor returns a context acting as a user of role with scope (codes) and
// clearance, having passed two-factor authentication.
func (w *stWorld) actor(t *testing.T, role authz.Role, clearance authz.Mark, scope ...string) context.Context {
	t.Helper()
	a := &authz.Actor{UserID: 77, Name: "stats." + strings.ToLower(string(role)), Role: role, Clearance: clearance, TwoFactor: true}
	for _, c := range scope {
		a.Scope = append(a.Scope, w.org[c].ID)
	}
	if err := w.db.View(ctx, func(tx *store.Tx) error {
		var err error
		a.ScopeAncestry, err = w.s.ScopeAncestry(ctx, tx, a.Scope)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return app.WithActor(context.Background(), a)
}

func year(y int) ktgs.Period { return ktgs.Period{Kind: ktgs.PeriodYear, Year: y} }

// stWant is a report written out by hand: row key → column → count, the
// column named "total", "own" or by the unit's code. Every cell not
// listed must be 0.
type stWant map[string]map[string]int

// check compares every cell of rep with want.
func (w *stWorld) check(t *testing.T, rep *app.StatsReport, want stWant) {
	t.Helper()
	names := make([]string, len(rep.Columns))
	for i, c := range rep.Columns {
		names[i] = c.Key
		for code, o := range w.org {
			if c.Key == fmt.Sprintf("org:%d", o.ID) {
				names[i] = code
			}
		}
	}
	seen := map[string]bool{}
	for _, r := range rep.Rows {
		seen[r.Key] = true
		for i, c := range r.Cells {
			if !r.Available {
				if !c.NA {
					t.Errorf("%s [%s]: an indicator without records shows %d, want NA", r.Key, names[i], c.Count)
				}
				continue
			}
			if c.Count != want[r.Key][names[i]] {
				t.Errorf("%s [%s] = %d, want %d", r.Key, names[i], c.Count, want[r.Key][names[i]])
			}
		}
		// The columns add up to the total.
		if len(r.Cells) > 1 && !r.Cells[0].NA {
			sum := 0
			for _, c := range r.Cells[1:] {
				sum += c.Count
			}
			if sum != r.Cells[0].Count {
				t.Errorf("%s: columns add up to %d, total %d", r.Key, sum, r.Cells[0].Count)
			}
		}
	}
	for k := range want {
		if !seen[k] {
			t.Errorf("no row %s in the report", k)
		}
	}
}

func colNames(w *stWorld, rep *app.StatsReport) []string {
	var out []string
	for _, c := range rep.Columns {
		name := c.Key
		for code, o := range w.org {
			if c.Key == fmt.Sprintf("org:%d", o.ID) {
				name = code
			}
		}
		out = append(out, name)
	}
	return out
}

func (w *stWorld) report(t *testing.T, actx context.Context, q app.StatsQuery) *app.StatsReport {
	t.Helper()
	rep, err := w.s.Stats(actx, q)
	if err != nil {
		t.Fatalf("Stats(%+v): %v", q, err)
	}
	return rep
}

// TestStatsFixture checks every cell of the root's reports for 2023, 2024
// and 2025 in both views against the records of stWorld.
func TestStatsFixture(t *testing.T) {
	stRun(t, func(t *testing.T, w *stWorld) {
		sys := ctx
		root := w.org["TW"].ID

		// 2024, today's tree. Columns: total, own (the Politburo's case and
		// the records of the dissolved district, which has no successor:
		// the reorganisation leaves them at its old path, under no unit of
		// today's tree), NB, TH.
		rep := w.report(t, sys, app.StatsQuery{OrgID: root, Period: year(2024), Breakdown: ktgs.BreakdownChildren})
		if got := colNames(w, rep); !slices.Equal(got, []string{"total", "own", "NB", "TH"}) {
			t.Fatalf("2024 TODAY columns %v", got)
		}
		w.check(t, rep, stWant{
			// C9 (BCT, HN inspected) and C1 (X1's committee → KBW → NB: B1, m1 a committee member, m2).
			"COMMITTEE_INSPECTION/INSPECTED/ORG":       {"total": 2, "own": 1, "NB": 1},
			"COMMITTEE_INSPECTION/INSPECTED/MEMBER":    {"total": 2, "NB": 2},
			"COMMITTEE_INSPECTION/INSPECTED/MEMBER/cm": {"total": 1, "NB": 1},
			// Concluded in 2024: C9 (HN: shortcoming), C1 (B1: shortcoming; m1: violation warranting discipline; m2: a strength only).
			"COMMITTEE_INSPECTION/WITH_SHORTCOMINGS_OR_VIOLATIONS/ORG":       {"total": 2, "own": 1, "NB": 1},
			"COMMITTEE_INSPECTION/WITH_SHORTCOMINGS_OR_VIOLATIONS/MEMBER":    {"total": 1, "NB": 1},
			"COMMITTEE_INSPECTION/WITH_SHORTCOMINGS_OR_VIOLATIONS/MEMBER/cm": {"total": 1, "NB": 1},
			"COMMITTEE_INSPECTION/MUST_DISCIPLINE/MEMBER":                    {"total": 1, "NB": 1},
			"COMMITTEE_INSPECTION/MUST_DISCIPLINE/MEMBER/cm":                 {"total": 1, "NB": 1},
			// P1 (from C1, m1, 15/6/2024, committee member) and P9 (from C13 of G, now under TH; P6 was annulled).
			"COMMITTEE_INSPECTION/DISCIPLINED/MEMBER":    {"total": 2, "NB": 1, "TH": 1},
			"COMMITTEE_INSPECTION/DISCIPLINED/MEMBER/cm": {"total": 1, "NB": 1},
			// C2 (HN's UBKT, decided 1/11/2024; concluded in 2025).
			"UBKT_DHVP/INSPECTED/ORG":    {"total": 1, "NB": 1},
			"UBKT_DHVP/INSPECTED/MEMBER": {"total": 1, "NB": 1},
			// C5 (TH's standing committee: G with a violation, m4 with a shortcoming only; m4's UBKT seat is no committee seat).
			"COMMITTEE_SUPERVISION/INSPECTED/ORG":       {"total": 1, "TH": 1},
			"COMMITTEE_SUPERVISION/INSPECTED/MEMBER":    {"total": 1, "TH": 1},
			"COMMITTEE_SUPERVISION/WITH_VIOLATIONS/ORG": {"total": 1, "TH": 1},
			// C12 (X1's UBKT, regular supervision of m2, a violation).
			"UBKT_SUPERVISION/INSPECTED/MEMBER":       {"total": 1, "NB": 1},
			"UBKT_SUPERVISION/WITH_VIOLATIONS/MEMBER": {"total": 1, "NB": 1},
			// Decided in 2024: P4 (B2 by KB's standing committee, reprimand, other: at the dissolved district's path), P8 (G by
			// TH's UBKT, warning, other), P1 (m1 by X1's UBKT, reprimand, corruption, committee member), P5 (m5 by the
			// Secretariat, expulsion, corruption, chi bộ secretary), P9 (m4 by G's committee, reprimand, social evils).
			"DISCIPLINE/DISCIPLINED/ORG":                              {"total": 2, "own": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/ORG/f=KHIEN_TRACH":                {"total": 1, "own": 1},
			"DISCIPLINE/DISCIPLINED/ORG/f=CANH_CAO":                   {"total": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/ORG/c=OTHER":                      {"total": 2, "own": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER":                           {"total": 3, "NB": 2, "TH": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/cm":                        {"total": 2, "NB": 2},
			"DISCIPLINE/DISCIPLINED/MEMBER/f=KHIEN_TRACH":             {"total": 2, "NB": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/f=KHAI_TRU":                {"total": 1, "NB": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/c=CORRUPTION":              {"total": 2, "NB": 2},
			"DISCIPLINE/DISCIPLINED/MEMBER/c=DEGRADATION":             {"total": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=CENTRAL":                 {"total": 1, "NB": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=CENTRAL/cm":              {"total": 1, "NB": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=CENTRAL/f=KHAI_TRU":      {"total": 1, "NB": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=CENTRAL/c=CORRUPTION":    {"total": 1, "NB": 1},
			"DISCIPLINE/DISCIPLINED/ORG/g=COMMITTEE":                  {"total": 1, "own": 1},
			"DISCIPLINE/DISCIPLINED/ORG/g=COMMITTEE/f=KHIEN_TRACH":    {"total": 1, "own": 1},
			"DISCIPLINE/DISCIPLINED/ORG/g=COMMITTEE/c=OTHER":          {"total": 1, "own": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=COMMITTEE":               {"total": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=COMMITTEE/f=KHIEN_TRACH": {"total": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=COMMITTEE/c=DEGRADATION": {"total": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/ORG/g=UBKT":                       {"total": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/ORG/g=UBKT/f=CANH_CAO":            {"total": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/ORG/g=UBKT/c=OTHER":               {"total": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=UBKT":                    {"total": 1, "NB": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=UBKT/cm":                 {"total": 1, "NB": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=UBKT/f=KHIEN_TRACH":      {"total": 1, "NB": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=UBKT/c=CORRUPTION":       {"total": 1, "NB": 1},
			// L1 (X1's UBKT, grassroots) and L6 (KB's UBKT, district level, at the dissolved district's path) received;
			// L1 and L5 (HN's UBKT, received 2023) concluded.
			"DENUNCIATIONS/RECEIVED":                {"total": 2, "own": 1, "NB": 1},
			"DENUNCIATIONS/RECEIVED/l=GRASSROOTS":   {"total": 1, "NB": 1},
			"DENUNCIATIONS/RECEIVED/l=INTERMEDIATE": {"total": 1, "own": 1},
			"DENUNCIATIONS/RESOLVED":                {"total": 2, "NB": 2},
			"DENUNCIATIONS/RESOLVED/l=GRASSROOTS":   {"total": 1, "NB": 1},
			"DENUNCIATIONS/RESOLVED/l=PROVINCIAL":   {"total": 1, "NB": 1},
			// K2 (on P1, opened by X1) and K4 (on P4, opened by KB; withdrawn later) filed.
			"COMPLAINTS/RECEIVED": {"total": 2, "own": 1, "NB": 1},
		})
		if !slices.ContainsFunc(rep.Notices, func(n app.StatsNotice) bool {
			return n.Key == "stats.notice.unavailable" && n.Indicator == "UBKT_ASSETS"
		}) {
			t.Errorf("no notice that the asset checks have no records: %+v", rep.Notices)
		}

		// 2024 as it was: Hà Nam, Nam Định and Thanh Hóa (G under it since
		// 1/1/2024). Everything NB held today sits under Hà Nam, and so do
		// the dissolved district's records.
		rep = w.report(t, sys, app.StatsQuery{OrgID: root, Period: year(2024), View: ktgs.ViewAsThen, Breakdown: ktgs.BreakdownChildren})
		if got := colNames(w, rep); !slices.Equal(got, []string{"total", "own", "HN", "ND", "TH"}) {
			t.Fatalf("2024 AS_THEN columns %v", got)
		}
		w.check(t, rep, stWant{
			"COMMITTEE_INSPECTION/INSPECTED/ORG":                             {"total": 2, "own": 1, "HN": 1},
			"COMMITTEE_INSPECTION/INSPECTED/MEMBER":                          {"total": 2, "HN": 2},
			"COMMITTEE_INSPECTION/INSPECTED/MEMBER/cm":                       {"total": 1, "HN": 1},
			"COMMITTEE_INSPECTION/WITH_SHORTCOMINGS_OR_VIOLATIONS/ORG":       {"total": 2, "own": 1, "HN": 1},
			"COMMITTEE_INSPECTION/WITH_SHORTCOMINGS_OR_VIOLATIONS/MEMBER":    {"total": 1, "HN": 1},
			"COMMITTEE_INSPECTION/WITH_SHORTCOMINGS_OR_VIOLATIONS/MEMBER/cm": {"total": 1, "HN": 1},
			"COMMITTEE_INSPECTION/MUST_DISCIPLINE/MEMBER":                    {"total": 1, "HN": 1},
			"COMMITTEE_INSPECTION/MUST_DISCIPLINE/MEMBER/cm":                 {"total": 1, "HN": 1},
			"COMMITTEE_INSPECTION/DISCIPLINED/MEMBER":                        {"total": 2, "HN": 1, "TH": 1},
			"COMMITTEE_INSPECTION/DISCIPLINED/MEMBER/cm":                     {"total": 1, "HN": 1},
			"UBKT_DHVP/INSPECTED/ORG":                                        {"total": 1, "HN": 1},
			"UBKT_DHVP/INSPECTED/MEMBER":                                     {"total": 1, "HN": 1},
			"COMMITTEE_SUPERVISION/INSPECTED/ORG":                            {"total": 1, "TH": 1},
			"COMMITTEE_SUPERVISION/INSPECTED/MEMBER":                         {"total": 1, "TH": 1},
			"COMMITTEE_SUPERVISION/WITH_VIOLATIONS/ORG":                      {"total": 1, "TH": 1},
			"UBKT_SUPERVISION/INSPECTED/MEMBER":                              {"total": 1, "HN": 1},
			"UBKT_SUPERVISION/WITH_VIOLATIONS/MEMBER":                        {"total": 1, "HN": 1},
			"DISCIPLINE/DISCIPLINED/ORG":                                     {"total": 2, "HN": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/ORG/f=KHIEN_TRACH":                       {"total": 1, "HN": 1},
			"DISCIPLINE/DISCIPLINED/ORG/f=CANH_CAO":                          {"total": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/ORG/c=OTHER":                             {"total": 2, "HN": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER":                                  {"total": 3, "HN": 2, "TH": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/cm":                               {"total": 2, "HN": 2},
			"DISCIPLINE/DISCIPLINED/MEMBER/f=KHIEN_TRACH":                    {"total": 2, "HN": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/f=KHAI_TRU":                       {"total": 1, "HN": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/c=CORRUPTION":                     {"total": 2, "HN": 2},
			"DISCIPLINE/DISCIPLINED/MEMBER/c=DEGRADATION":                    {"total": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=CENTRAL":                        {"total": 1, "HN": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=CENTRAL/cm":                     {"total": 1, "HN": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=CENTRAL/f=KHAI_TRU":             {"total": 1, "HN": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=CENTRAL/c=CORRUPTION":           {"total": 1, "HN": 1},
			"DISCIPLINE/DISCIPLINED/ORG/g=COMMITTEE":                         {"total": 1, "HN": 1},
			"DISCIPLINE/DISCIPLINED/ORG/g=COMMITTEE/f=KHIEN_TRACH":           {"total": 1, "HN": 1},
			"DISCIPLINE/DISCIPLINED/ORG/g=COMMITTEE/c=OTHER":                 {"total": 1, "HN": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=COMMITTEE":                      {"total": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=COMMITTEE/f=KHIEN_TRACH":        {"total": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=COMMITTEE/c=DEGRADATION":        {"total": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/ORG/g=UBKT":                              {"total": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/ORG/g=UBKT/f=CANH_CAO":                   {"total": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/ORG/g=UBKT/c=OTHER":                      {"total": 1, "TH": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=UBKT":                           {"total": 1, "HN": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=UBKT/cm":                        {"total": 1, "HN": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=UBKT/f=KHIEN_TRACH":             {"total": 1, "HN": 1},
			"DISCIPLINE/DISCIPLINED/MEMBER/g=UBKT/c=CORRUPTION":              {"total": 1, "HN": 1},
			"DENUNCIATIONS/RECEIVED":                                         {"total": 2, "HN": 2},
			"DENUNCIATIONS/RECEIVED/l=GRASSROOTS":                            {"total": 1, "HN": 1},
			"DENUNCIATIONS/RECEIVED/l=INTERMEDIATE":                          {"total": 1, "HN": 1},
			"DENUNCIATIONS/RESOLVED":                                         {"total": 2, "HN": 2},
			"DENUNCIATIONS/RESOLVED/l=GRASSROOTS":                            {"total": 1, "HN": 1},
			"DENUNCIATIONS/RESOLVED/l=PROVINCIAL":                            {"total": 1, "HN": 1},
			"COMPLAINTS/RECEIVED":                                            {"total": 2, "HN": 2},
		})

		// 2023: G moved from Nam Định to Thanh Hóa on 1/1/2024. Today its
		// 2023 inspection (C13) counts under Thanh Hóa; as it was, under
		// Nam Định, with Nam Định's own C7. L5 was received by Hà Nam.
		want2023 := func(g, nd, hn string) stWant {
			return stWant{
				"COMMITTEE_INSPECTION/INSPECTED/MEMBER":                       {"total": 1, g: 1},
				"COMMITTEE_INSPECTION/WITH_SHORTCOMINGS_OR_VIOLATIONS/MEMBER": {"total": 1, g: 1},
				"UBKT_KTGS_PERFORMANCE/INSPECTED/ORG":                         {"total": 1, nd: 1},
				"DENUNCIATIONS/RECEIVED":                                      {"total": 1, hn: 1},
				"DENUNCIATIONS/RECEIVED/l=PROVINCIAL":                         {"total": 1, hn: 1},
			}
		}
		rep = w.report(t, sys, app.StatsQuery{OrgID: root, Period: year(2023), Breakdown: ktgs.BreakdownChildren})
		w.check(t, rep, want2023("TH", "NB", "NB"))
		rep = w.report(t, sys, app.StatsQuery{OrgID: root, Period: year(2023), View: ktgs.ViewAsThen, Breakdown: ktgs.BreakdownChildren})
		w.check(t, rep, want2023("ND", "ND", "HN"))

		// 2025, across the reorganisation.
		rep = w.report(t, sys, app.StatsQuery{OrgID: root, Period: year(2025), Breakdown: ktgs.BreakdownChildren})
		w.check(t, rep, want2025(map[string]string{"C2": "NB", "C3": "NB", "NB": "NB"}))
		// As it was on 31/12/2025: C3 was X2's (ended 1/7/2025, last under
		// Hà Nam) although concluded after the merger; C2, P2 and K1
		// belong to Hà Nam; C4, C6, C10, P3, K3 and L2 to the new units.
		rep = w.report(t, sys, app.StatsQuery{OrgID: root, Period: year(2025), View: ktgs.ViewAsThen, Breakdown: ktgs.BreakdownChildren})
		if got := colNames(w, rep); !slices.Equal(got, []string{"total", "own", "HN", "ND", "NB", "TH"}) {
			t.Fatalf("2025 AS_THEN columns %v", got)
		}
		w.check(t, rep, want2025(map[string]string{"C2": "HN", "C3": "HN", "NB": "NB"}))
		for _, code := range []string{"HN", "ND"} {
			key := fmt.Sprintf("org:%d", w.org[code].ID)
			if !slices.ContainsFunc(rep.Notices, func(n app.StatsNotice) bool { return n.Column == key && n.Key == "stats.notice.ended" }) {
				t.Errorf("2025 AS_THEN: no notice that %s ended: %+v", code, rep.Notices)
			}
		}

		// The old commune X1 as it was in 2024: all its records are its own.
		rep = w.report(t, sys, app.StatsQuery{OrgID: w.org["X1"].ID, Period: year(2024), View: ktgs.ViewAsThen, Breakdown: ktgs.BreakdownChildren,
			Indicators: []string{"COMMITTEE_INSPECTION", "DENUNCIATIONS", "COMPLAINTS"}})
		if got := colNames(w, rep); !slices.Equal(got, []string{"total", "own", "B1"}) {
			t.Fatalf("X1 2024 AS_THEN columns %v", got)
		}
		w.check(t, rep, stWant{
			"COMMITTEE_INSPECTION/INSPECTED/ORG":                             {"total": 1, "own": 1},
			"COMMITTEE_INSPECTION/INSPECTED/MEMBER":                          {"total": 2, "own": 2},
			"COMMITTEE_INSPECTION/INSPECTED/MEMBER/cm":                       {"total": 1, "own": 1},
			"COMMITTEE_INSPECTION/WITH_SHORTCOMINGS_OR_VIOLATIONS/ORG":       {"total": 1, "own": 1},
			"COMMITTEE_INSPECTION/WITH_SHORTCOMINGS_OR_VIOLATIONS/MEMBER":    {"total": 1, "own": 1},
			"COMMITTEE_INSPECTION/WITH_SHORTCOMINGS_OR_VIOLATIONS/MEMBER/cm": {"total": 1, "own": 1},
			"COMMITTEE_INSPECTION/MUST_DISCIPLINE/MEMBER":                    {"total": 1, "own": 1},
			"COMMITTEE_INSPECTION/MUST_DISCIPLINE/MEMBER/cm":                 {"total": 1, "own": 1},
			"COMMITTEE_INSPECTION/DISCIPLINED/MEMBER":                        {"total": 1, "own": 1},
			"COMMITTEE_INSPECTION/DISCIPLINED/MEMBER/cm":                     {"total": 1, "own": 1},
			"DENUNCIATIONS/RECEIVED":                                         {"total": 1, "own": 1},
			"DENUNCIATIONS/RECEIVED/l=GRASSROOTS":                            {"total": 1, "own": 1},
			"DENUNCIATIONS/RESOLVED":                                         {"total": 1, "own": 1},
			"DENUNCIATIONS/RESOLVED/l=GRASSROOTS":                            {"total": 1, "own": 1},
			"COMPLAINTS/RECEIVED":                                            {"total": 1, "own": 1},
		})

		// Ninh Bình for 2023. Today's tree maps its predecessors' history
		// onto it (Nam Định's C7, Hà Nam's L5), and says it was formed
		// later; as it was, it did not exist: no figures, not zeros.
		nb := w.org["NB"].ID
		rep = w.report(t, sys, app.StatsQuery{OrgID: nb, Period: year(2023), Breakdown: ktgs.BreakdownChildren})
		w.check(t, rep, stWant{
			"UBKT_KTGS_PERFORMANCE/INSPECTED/ORG": {"total": 1, "own": 1},
			"DENUNCIATIONS/RECEIVED":              {"total": 1, "own": 1},
			"DENUNCIATIONS/RECEIVED/l=PROVINCIAL": {"total": 1, "own": 1},
		})
		if !slices.ContainsFunc(rep.Notices, func(n app.StatsNotice) bool { return n.Column == "" && n.Key == "stats.notice.formed_after" }) {
			t.Errorf("NB 2023 TODAY: no notice that it was formed after the period: %+v", rep.Notices)
		}
		rep = w.report(t, sys, app.StatsQuery{OrgID: nb, Period: year(2023), View: ktgs.ViewAsThen, Breakdown: ktgs.BreakdownChildren})
		if !rep.Unit.NA || !slices.ContainsFunc(rep.Notices, func(n app.StatsNotice) bool { return n.Key == "stats.notice.not_existing" }) {
			t.Errorf("NB 2023 AS_THEN: unit NA=%v, notices %+v; want NA and a notice", rep.Unit.NA, rep.Notices)
		}
		for _, r := range rep.Rows {
			for i, c := range r.Cells {
				if !c.NA || c.Count != 0 || c.Key != "" {
					t.Fatalf("NB 2023 AS_THEN %s column %d = %+v, want NA", r.Key, i, c)
				}
			}
		}

		// A custom period across the reform, TODAY, no breakdown: only
		// records dated 1/3–31/10/2025 (C3 decided, C3 concluded, C4, P2,
		// P3, K1 resolved, K1 and K3 filed, L2).
		rep = w.report(t, sys, app.StatsQuery{OrgID: root, Period: ktgs.Period{Kind: ktgs.PeriodCustom, From: d("2025-03-01"), To: d("2025-10-31")},
			Indicators: []string{"COMMITTEE_DHVP", "COMPLAINTS"}})
		w.check(t, rep, stWant{
			"COMMITTEE_DHVP/INSPECTED/MEMBER":                          {"total": 2},
			"COMMITTEE_DHVP/INSPECTED/MEMBER/cm":                       {"total": 1},
			"COMMITTEE_DHVP/WITH_SHORTCOMINGS_OR_VIOLATIONS/MEMBER":    {"total": 2},
			"COMMITTEE_DHVP/WITH_SHORTCOMINGS_OR_VIOLATIONS/MEMBER/cm": {"total": 1},
			"COMMITTEE_DHVP/MUST_DISCIPLINE/MEMBER":                    {"total": 1},
			"COMMITTEE_DHVP/MUST_DISCIPLINE/MEMBER/cm":                 {"total": 1},
			"COMMITTEE_DHVP/DISCIPLINED/MEMBER":                        {"total": 1},
			"COMMITTEE_DHVP/DISCIPLINED/MEMBER/cm":                     {"total": 1},
			"COMPLAINTS/RECEIVED":                                      {"total": 2},
			"COMPLAINTS/RESOLVED":                                      {"total": 1},
			"COMPLAINTS/RESOLVED/o=CHANGE_FORM":                        {"total": 1},
		})
	})
}

// want2025 is the root's 2025 report; at names the column of the records
// of C2 (and P2, K1), of C3 (and, for the funnel, P3) and of Ninh Bình's
// own units.
func want2025(at map[string]string) stWant {
	c2, c3, nb := at["C2"], at["C3"], at["NB"]
	sum := func(cols ...string) map[string]int {
		m := map[string]int{"total": len(cols)}
		for _, c := range cols {
			m[c]++
		}
		return m
	}
	return stWant{
		// C4 (KBW's committee: B1; m3, on KBW's committee since 1/7/2025).
		"COMMITTEE_INSPECTION/INSPECTED/ORG":       sum(nb),
		"COMMITTEE_INSPECTION/INSPECTED/MEMBER":    sum(nb),
		"COMMITTEE_INSPECTION/INSPECTED/MEMBER/cm": sum(nb),
		// C3 (X2's committee, decided 1/3/2025: m3, and m5 secretary of B2 until 30/6/2025; concluded 10/8/2025: m3 warrants
		// discipline and sits on KBW's committee by then, m5 a shortcoming and no longer a secretary) and P3 (m3, 15/9/2025).
		"COMMITTEE_DHVP/INSPECTED/MEMBER":                          sum(c3, c3),
		"COMMITTEE_DHVP/INSPECTED/MEMBER/cm":                       sum(c3),
		"COMMITTEE_DHVP/WITH_SHORTCOMINGS_OR_VIOLATIONS/MEMBER":    sum(c3, c3),
		"COMMITTEE_DHVP/WITH_SHORTCOMINGS_OR_VIOLATIONS/MEMBER/cm": sum(c3),
		"COMMITTEE_DHVP/MUST_DISCIPLINE/MEMBER":                    sum(c3),
		"COMMITTEE_DHVP/MUST_DISCIPLINE/MEMBER/cm":                 sum(c3),
		"COMMITTEE_DHVP/DISCIPLINED/MEMBER":                        sum(c3),
		"COMMITTEE_DHVP/DISCIPLINED/MEMBER/cm":                     sum(c3),
		// C10 (NB's UBKT, m4, top secret) decided; C2 concluded 15/2/2025 (m3 warrants discipline, X2 a violation that
		// does not); P2 (m3, 20/3/2025).
		"UBKT_DHVP/INSPECTED/MEMBER":                       sum(nb),
		"UBKT_DHVP/WITH_SHORTCOMINGS_OR_VIOLATIONS/ORG":    sum(c2),
		"UBKT_DHVP/WITH_SHORTCOMINGS_OR_VIOLATIONS/MEMBER": sum(c2),
		"UBKT_DHVP/MUST_DISCIPLINE/MEMBER":                 sum(c2),
		"UBKT_DHVP/DISCIPLINED/MEMBER":                     sum(c2),
		// C6 (NB's UBKT, finance, KBW with a shortcoming).
		"UBKT_FINANCE/INSPECTED/ORG":                       sum(nb),
		"UBKT_FINANCE/WITH_SHORTCOMINGS_OR_VIOLATIONS/ORG": sum(nb),
		// P2 (opened and decided by HN's UBKT: warning, lifestyle) and P3 (opened by KBW, decided by NB's committee:
		// removal, other, committee member).
		"DISCIPLINE/DISCIPLINED/MEMBER":                         sum(c2, nb),
		"DISCIPLINE/DISCIPLINED/MEMBER/cm":                      sum(nb),
		"DISCIPLINE/DISCIPLINED/MEMBER/f=CANH_CAO":              sum(c2),
		"DISCIPLINE/DISCIPLINED/MEMBER/f=CACH_CHUC":             sum(nb),
		"DISCIPLINE/DISCIPLINED/MEMBER/c=DEGRADATION":           sum(c2),
		"DISCIPLINE/DISCIPLINED/MEMBER/c=OTHER":                 sum(nb),
		"DISCIPLINE/DISCIPLINED/MEMBER/g=UBKT":                  sum(c2),
		"DISCIPLINE/DISCIPLINED/MEMBER/g=UBKT/f=CANH_CAO":       sum(c2),
		"DISCIPLINE/DISCIPLINED/MEMBER/g=UBKT/c=DEGRADATION":    sum(c2),
		"DISCIPLINE/DISCIPLINED/MEMBER/g=COMMITTEE":             sum(nb),
		"DISCIPLINE/DISCIPLINED/MEMBER/g=COMMITTEE/cm":          sum(nb),
		"DISCIPLINE/DISCIPLINED/MEMBER/g=COMMITTEE/f=CACH_CHUC": sum(nb),
		"DISCIPLINE/DISCIPLINED/MEMBER/g=COMMITTEE/c=OTHER":     sum(nb),
		// L2 (NB's UBKT); L3 is a complaint letter, L4 a duplicate.
		"DENUNCIATIONS/RECEIVED":              sum(nb),
		"DENUNCIATIONS/RECEIVED/l=PROVINCIAL": sum(nb),
		// K1 (on P2: filed 10/4, form changed 1/6) and K3 (on P3: filed 1/10, upheld 15/11).
		"COMPLAINTS/RECEIVED":               sum(c2, nb),
		"COMPLAINTS/RESOLVED":               sum(c2, nb),
		"COMPLAINTS/RESOLVED/o=CHANGE_FORM": sum(c2),
		"COMPLAINTS/RESOLVED/o=UPHOLD":      sum(nb),
	}
}

// drillAll reads every page of a cell's list.
func drillAll(t *testing.T, s *app.Service, actx context.Context, q app.StatsQuery, cell string) []app.StatsItem {
	t.Helper()
	var all []app.StatsItem
	q.Limit = 2
	for {
		page, more, err := s.StatsDrill(actx, q, cell)
		if err != nil {
			t.Fatalf("StatsDrill %s: %v", cell, err)
		}
		all = append(all, page...)
		if !more {
			return all
		}
		q.After = page[len(page)-1].Cursor
	}
}

// cellCount is the count of cell in the one-row report of StatsCell (0
// when its column is not there: a column added for records of an ended
// unit appears only where some base has such records).
func cellCount(t *testing.T, s *app.Service, actx context.Context, q app.StatsQuery, cell string) int {
	t.Helper()
	one, err := s.StatsCell(actx, q, cell)
	if err != nil {
		t.Fatalf("StatsCell %s: %v", cell, err)
	}
	rowKey, colKey, _ := strings.Cut(cell, "@")
	if len(one.Rows) != 1 || one.Rows[0].Key != rowKey {
		t.Fatalf("StatsCell %s: %d rows, want the one row %s", cell, len(one.Rows), rowKey)
	}
	for i, c := range one.Columns {
		if c.Key == colKey {
			return one.Rows[0].Cells[i].Count
		}
	}
	return 0
}

// checkDrill asserts that every non-zero cell of the report for q has a
// list of exactly its count, of distinct records dated in the period, and
// that every fifth zero cell has an empty list.
func checkDrill(t *testing.T, s *app.Service, actx context.Context, q app.StatsQuery) (cells int) {
	t.Helper()
	rep, err := s.Stats(actx, q)
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	zeros := 0
	for _, r := range rep.Rows {
		for _, c := range r.Cells {
			if c.NA {
				continue
			}
			if c.Count == 0 {
				if zeros++; zeros%5 != 0 {
					continue
				}
			}
			items := drillAll(t, s, actx, rep.Query, c.Key)
			if len(items) != c.Count {
				t.Errorf("%s: count %d, list of %d", c.Key, c.Count, len(items))
			}
			if n := cellCount(t, s, actx, rep.Query, c.Key); n != c.Count {
				t.Errorf("%s: count %d in the report, %d by StatsCell", c.Key, c.Count, n)
			}
			seen := map[string]bool{}
			for _, it := range items {
				k := fmt.Sprintf("%s/%d/%d", it.Kind, it.ID, it.Seq)
				if seen[k] {
					t.Errorf("%s: %s listed twice", c.Key, k)
				}
				seen[k] = true
				if !rep.Query.Period.Contains(it.Date) {
					t.Errorf("%s: %s dated %s, outside %s–%s", c.Key, it.Code, it.Date, rep.Query.Period.From, rep.Query.Period.To)
				}
			}
			if c.Count > 0 {
				cells++
			}
		}
	}
	return cells
}

// TestStatsDrillMatchesCounts: for each actor, each cell's list has its
// count of items; what the actor may not read counts nowhere.
func TestStatsDrillMatchesCounts(t *testing.T) {
	stRun(t, func(t *testing.T, w *stWorld) {
		restore := app.SetStatsInListMax(1)
		defer restore()
		actors := map[string]context.Context{
			"chair NB":     w.actor(t, authz.RoleChair, authz.TopSecret, "NB"),
			"inspector NB": w.actor(t, authz.RoleInspector, authz.Normal, "NB"),
			"viewer NB":    w.actor(t, authz.RoleViewer, authz.Normal, "NB"),
			"chair TW":     w.actor(t, authz.RoleChair, authz.TopSecret, "TW"),
			"admin TW":     w.actor(t, authz.RoleAdmin, authz.TopSecret, "TW"),
		}
		total := 0
		for name, actx := range actors {
			for _, q := range []app.StatsQuery{
				{Period: year(2024), Breakdown: ktgs.BreakdownChildren},
				{Period: year(2025), Breakdown: ktgs.BreakdownChildren},
				{Period: year(2025), View: ktgs.ViewAsThen, Breakdown: ktgs.BreakdownChildren},
				{Period: year(2024), View: ktgs.ViewAsThen, Breakdown: ktgs.BreakdownChildren},
				{Period: ktgs.Period{Kind: ktgs.PeriodCustom, From: d("2023-01-01"), To: d("2026-06-15")}, View: ktgs.ViewAsThen, Breakdown: ktgs.BreakdownChildren},
			} {
				n := checkDrill(t, w.s, actx, q)
				t.Logf("%s, %s %d %s: %d non-zero cells, each equal to its list", name, q.View, q.Period.Year, q.Period.Kind, n)
				total += n
			}
		}
		// Both ways of filtering AS_THEN lists give the same lists.
		restore()
		checkDrill(t, w.s, actors["chair TW"], app.StatsQuery{Period: year(2025), View: ktgs.ViewAsThen, Breakdown: ktgs.BreakdownChildren})
		if total == 0 {
			t.Fatal("no non-zero cell checked")
		}

		// What each actor counts: the chair everything in Ninh Bình; the
		// inspector with clearance THUONG and the viewer only unmarked
		// records (C1 and C4 of the cases; none of the MAT proceedings).
		count := func(actx context.Context, q app.StatsQuery, row string) int {
			rep, err := w.s.Stats(actx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rep.Rows {
				if r.Key == row {
					return r.Cells[0].Count
				}
			}
			t.Fatalf("no row %s", row)
			return 0
		}
		q24 := app.StatsQuery{Period: year(2024)}
		for _, c := range []struct {
			actor, row string
			want       int
		}{
			{"chair NB", "COMMITTEE_INSPECTION/INSPECTED/MEMBER", 2},
			{"inspector NB", "COMMITTEE_INSPECTION/INSPECTED/MEMBER", 2},
			{"viewer NB", "COMMITTEE_INSPECTION/INSPECTED/MEMBER", 2},
			{"chair NB", "UBKT_DHVP/INSPECTED/MEMBER", 1},
			{"inspector NB", "UBKT_DHVP/INSPECTED/MEMBER", 0},
			{"viewer NB", "UBKT_DHVP/INSPECTED/MEMBER", 0},
			{"chair NB", "DISCIPLINE/DISCIPLINED/MEMBER", 2},
			{"inspector NB", "DISCIPLINE/DISCIPLINED/MEMBER", 0},
			{"chair TW", "DISCIPLINE/DISCIPLINED/ORG", 2},
			{"admin TW", "DISCIPLINE/DISCIPLINED/ORG", 2},    // P4 and P8 are unmarked
			{"admin TW", "DISCIPLINE/DISCIPLINED/MEMBER", 1}, // P9 only
		} {
			if got := count(actors[c.actor], q24, c.row); got != c.want {
				t.Errorf("%s, 2024 %s = %d, want %d", c.actor, c.row, got, c.want)
			}
		}
		// TOI_MAT C10 counts for the chair only.
		q25 := app.StatsQuery{Period: year(2025)}
		if got := count(actors["chair NB"], q25, "UBKT_DHVP/INSPECTED/MEMBER"); got != 1 {
			t.Errorf("chair NB, 2025 C10 = %d, want 1", got)
		}
		for _, a := range []string{"inspector NB", "viewer NB"} {
			rep, err := w.s.Stats(actors[a], q25)
			if err != nil {
				t.Fatal(err)
			}
			if !rep.UnmarkedOnly || !slices.ContainsFunc(rep.Notices, func(n app.StatsNotice) bool { return n.Key == "stats.notice.unmarked_only" }) {
				t.Errorf("%s: UnmarkedOnly %v, notices %+v", a, rep.UnmarkedOnly, rep.Notices)
			}
		}
		// Without two-factor authentication the chair reads no case data:
		// unmarked records only.
		a := *app.ActorFrom(actors["chair NB"])
		a.TwoFactor = false
		if got := count(app.WithActor(context.Background(), &a), q24, "UBKT_DHVP/INSPECTED/MEMBER"); got != 0 {
			t.Errorf("chair NB without 2FA counts %d MAT subjects, want 0", got)
		}
	})
}

// TestStatsBadInput: each mistake gets its field error; a unit outside
// the scope is refused and leaks nothing.
func TestStatsBadInput(t *testing.T) {
	stRun(t, func(t *testing.T, w *stWorld) {
		viewer := w.actor(t, authz.RoleViewer, authz.Normal, "NB")
		chair := w.actor(t, authz.RoleChair, authz.TopSecret, "NB")
		_, err := w.s.Stats(chair, app.StatsQuery{Period: ktgs.Period{Kind: ktgs.PeriodCustom, From: d("2025-05-01"), To: d("2025-04-01")}})
		fieldErr(t, err, "period.to", "err.stats.period_order")
		_, err = w.s.Stats(chair, app.StatsQuery{Period: ktgs.Period{Kind: ktgs.PeriodCustom, From: d("2025-05-01")}})
		fieldErr(t, err, "period.to", "err.required")
		_, err = w.s.Stats(chair, app.StatsQuery{Period: ktgs.Period{Kind: ktgs.PeriodMonth, Year: 2025, Month: 13}})
		fieldErr(t, err, "period.month", "err.stats.period_month")
		_, err = w.s.Stats(chair, app.StatsQuery{Period: ktgs.Period{Kind: "WEEK", Year: 2025}})
		fieldErr(t, err, "period.kind", "err.stats.period_kind")
		_, err = w.s.Stats(chair, app.StatsQuery{Period: year(2025), Indicators: []string{"COMMITTEE_INSPECTION", "NO_SUCH"}})
		fieldErr(t, err, "indicators", "err.stats.indicator_unknown")
		_, err = w.s.Stats(chair, app.StatsQuery{Period: year(2025), View: "YESTERDAY"})
		fieldErr(t, err, "view", "err.stats.view")
		_, _, err = w.s.StatsDrill(chair, app.StatsQuery{Period: year(2025)}, "COMMITTEE_INSPECTION/NO_STAGE@total")
		fieldErr(t, err, "cell", "err.stats.cell_unknown")
		_, _, err = w.s.StatsDrill(chair, app.StatsQuery{Period: year(2025)}, "COMMITTEE_INSPECTION/INSPECTED/ORG@org:999999")
		fieldErr(t, err, "cell", "err.stats.cell_unknown")
		_, _, err = w.s.StatsDrill(chair, app.StatsQuery{Period: year(2025), After: "yesterday"}, "COMMITTEE_INSPECTION/INSPECTED/ORG@total")
		fieldErr(t, err, "after", "err.stats.cursor")
		// A unit ended before today has no place in today's tree.
		_, err = w.s.Stats(ctx, app.StatsQuery{OrgID: w.org["X1"].ID, Period: year(2024)})
		fieldErr(t, err, "org_id", "err.stats.org_ended")

		// Outside the scope: refused, for the report and for its lists.
		for _, code := range []string{"TW", "TH"} {
			q := app.StatsQuery{OrgID: w.org[code].ID, Period: year(2024)}
			for _, actx := range []context.Context{viewer, chair} {
				if _, err := w.s.Stats(actx, q); ktgs.ErrorCode(err) != ktgs.EFORBIDDEN {
					t.Errorf("Stats of %s out of scope: err=%v, want EFORBIDDEN", code, err)
				}
				if _, _, err := w.s.StatsDrill(actx, q, "DISCIPLINE/DISCIPLINED/ORG@total"); ktgs.ErrorCode(err) != ktgs.EFORBIDDEN {
					t.Errorf("StatsDrill of %s out of scope: err=%v, want EFORBIDDEN", code, err)
				}
			}
		}
		// G lay under Nam Định until 2024, and Nam Định's successor is Ninh
		// Bình: the authorisation's ancestry lets Ninh Bình's chair ask for
		// G, but G's records (under Thanh Hóa today) are not Ninh Bình's
		// to read, so every total is 0.
		rep, err := w.s.Stats(chair, app.StatsQuery{OrgID: w.org["G"].ID, Period: ktgs.Period{Kind: ktgs.PeriodCustom, From: d("2016-01-01"), To: d("2026-06-15")}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rep.Rows {
			if r.Available && r.Cells[0].Count != 0 {
				t.Errorf("chair NB sees %d in G's %s", r.Cells[0].Count, r.Key)
			}
		}
		// Nothing of Thanh Hóa leaks into Ninh Bình's totals, nor the
		// dissolved district's records (at a path no unit holds today).
		rep, err = w.s.Stats(chair, app.StatsQuery{Period: year(2024), Indicators: []string{"DISCIPLINE", "DENUNCIATIONS"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rep.Rows {
			want := map[string]int{"DISCIPLINE/DISCIPLINED/MEMBER": 2, "DISCIPLINE/DISCIPLINED/MEMBER/cm": 2, "DISCIPLINE/DISCIPLINED/MEMBER/f=KHIEN_TRACH": 1,
				"DISCIPLINE/DISCIPLINED/MEMBER/f=KHAI_TRU": 1, "DISCIPLINE/DISCIPLINED/MEMBER/c=CORRUPTION": 2, "DISCIPLINE/DISCIPLINED/MEMBER/g=CENTRAL": 1,
				"DISCIPLINE/DISCIPLINED/MEMBER/g=CENTRAL/cm": 1, "DISCIPLINE/DISCIPLINED/MEMBER/g=CENTRAL/f=KHAI_TRU": 1,
				"DISCIPLINE/DISCIPLINED/MEMBER/g=CENTRAL/c=CORRUPTION": 1, "DISCIPLINE/DISCIPLINED/MEMBER/g=UBKT": 1, "DISCIPLINE/DISCIPLINED/MEMBER/g=UBKT/cm": 1,
				"DISCIPLINE/DISCIPLINED/MEMBER/g=UBKT/f=KHIEN_TRACH": 1, "DISCIPLINE/DISCIPLINED/MEMBER/g=UBKT/c=CORRUPTION": 1,
				"DENUNCIATIONS/RECEIVED": 1, "DENUNCIATIONS/RECEIVED/l=GRASSROOTS": 1, "DENUNCIATIONS/RESOLVED": 2,
				"DENUNCIATIONS/RESOLVED/l=GRASSROOTS": 1, "DENUNCIATIONS/RESOLVED/l=PROVINCIAL": 1}[r.Key]
			if r.Cells[0].Count != want {
				t.Errorf("chair NB 2024 %s = %d, want %d", r.Key, r.Cells[0].Count, want)
			}
		}
		// Periods: calendar by default, or from a cut-off day.
		for _, c := range []struct {
			b        ktgs.PeriodBoundaries
			p        ktgs.Period
			from, to string
		}{
			{ktgs.PeriodBoundaries{}, ktgs.Period{Kind: ktgs.PeriodQ1, Year: 2025}, "2025-01-01", "2025-03-31"},
			{ktgs.PeriodBoundaries{}, ktgs.Period{Kind: ktgs.PeriodH1, Year: 2024}, "2024-01-01", "2024-06-30"},
			{ktgs.PeriodBoundaries{}, ktgs.Period{Kind: ktgs.PeriodM9, Year: 2024}, "2024-01-01", "2024-09-30"},
			{ktgs.PeriodBoundaries{}, ktgs.Period{Kind: ktgs.PeriodMonth, Year: 2024, Month: 2}, "2024-02-01", "2024-02-29"},
			{ktgs.PeriodBoundaries{StartDay: 15}, ktgs.Period{Kind: ktgs.PeriodQ1, Year: 2025}, "2024-12-15", "2025-03-14"},
			{ktgs.PeriodBoundaries{StartDay: 15}, ktgs.Period{Kind: ktgs.PeriodYear, Year: 2025}, "2024-12-15", "2025-12-14"},
			{ktgs.PeriodBoundaries{StartDay: 15}, ktgs.Period{Kind: ktgs.PeriodMonth, Year: 2025, Month: 1}, "2024-12-15", "2025-01-14"},
		} {
			p, err := c.b.Resolve(c.p)
			if err != nil || p.From != d(c.from) || p.To != d(c.to) {
				t.Errorf("%+v %s %d: %s–%s (%v), want %s–%s", c.b, c.p.Kind, c.p.Year, p.From, p.To, err, c.from, c.to)
			}
		}
		// A term period: KBW's committee term from 1/7/2025, running.
		rep, err = w.s.Stats(ctx, app.StatsQuery{OrgID: w.org["KBW"].ID, Period: ktgs.Period{Kind: ktgs.PeriodTerm}, Indicators: []string{"COMMITTEE_INSPECTION"}})
		if err != nil {
			t.Fatal(err)
		}
		if p := rep.Query.Period; p.From != d("2025-07-01") || p.To != d("2026-06-15") || p.TermID == 0 {
			t.Errorf("KBW's term period %+v", p)
		}
		_, err = w.s.Stats(ctx, app.StatsQuery{OrgID: w.org["GB"].ID, Period: ktgs.Period{Kind: ktgs.PeriodTerm}})
		fieldErr(t, err, "period.term_id", "err.stats.term_none")
	})
}
