package seed_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/seed"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// TestDisciplineDemo generates the demo hierarchy, its activity, letters
// and discipline on each engine and reads every proceeding and complaint
// back through the service: the same seed gives the same discipline on
// both engines; the forms come in roughly the shares of RULES.md §8.2;
// every body that opened a proceeding had a role over its subject on the
// opening day, and every body that decided one may decide that form for
// that subject on the day it voted, as the service's rule check (the
// register read on that day, R1 and R2) says; the dates run in procedure
// order inside the ten years; the proceedings linked to a finding point
// to a violation that said "must be disciplined"; the complaints concern
// decided proceedings, were filed after the decision within the deadline
// and end with an outcome of §4; and the statistics engine counts every
// decision in force and every complaint of the period, no more.
func TestDisciplineDemo(t *testing.T) {
	var first *seed.DisciplineStats
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		if _, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		st, err := seed.GenerateActivity(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1, Keys: seedKeys})
		if err != nil {
			t.Fatal(err)
		}
		ds := st.Discipline
		t.Logf("%s: %+v", db.Engine(), ds)
		if first == nil {
			first = &ds
		} else if ds != *first {
			t.Errorf("the same seed gave different discipline on another engine:\n%+v\n%+v", ds, *first)
		}
		if ds.Sizing != seed.DisciplineSizing || ds.Proceedings < 300 || ds.Orgs == 0 || ds.Complaints == 0 || ds.FromFindings == 0 ||
			ds.FromLetters == 0 || ds.Expelled == 0 {
			t.Fatalf("demo discipline too thin: %+v", ds)
		}
		checkIntegrity(t, db)

		svc := app.New(db, nil)
		svc.Keys = seedKeys
		actx := rootReader(t, db, svc)
		procs := allProceedings(t, svc, actx)
		if int64(len(procs)) != ds.Proceedings {
			t.Fatalf("the proceedings list shows %d to a reader of the whole tree, the seed wrote %d", len(procs), ds.Proceedings)
		}
		complaints := allComplaints(t, svc, actx)
		if int64(len(complaints)) != ds.Complaints {
			t.Fatalf("the complaints list shows %d, the seed wrote %d", len(complaints), ds.Complaints)
		}
		byProc := map[int64]*ktgs.Complaint{}
		for _, c := range complaints {
			byProc[c.ProceedingID] = c
		}
		first, last := civil.New(2016, 1, 1), civil.New(2026, 11, 1)

		// Forms of the decisions in force, members.
		forms := map[ktgs.DisciplineForm]int{}
		members := 0
		for _, p := range procs {
			if p.Status == ktgs.ProcDecided && p.SubjectKind == ktgs.SubjectMember {
				forms[p.Form]++
				members++
			}
		}
		share := func(f ktgs.DisciplineForm) float64 { return float64(forms[f]) / float64(members) }
		if s := share(ktgs.FormReprimand); s < .55 || s > .85 {
			t.Errorf("khiển trách %.0f%% of members' decisions, want about 72%%: %v", 100*s, forms)
		}
		if s := share(ktgs.FormWarning); s < .1 || s > .32 {
			t.Errorf("cảnh cáo %.0f%%, want about 19%%: %v", 100*s, forms)
		}
		if s := share(ktgs.FormRemoval) + share(ktgs.FormExpulsion); s < .03 || s > .18 || forms[ktgs.FormRemoval] == 0 || forms[ktgs.FormExpulsion] == 0 {
			t.Errorf("cách chức and khai trừ %.0f%%, want about 9%%, each present: %v", 100*s, forms)
		}

		sys := app.AsSystem(context.Background())
		linked, decided, caseDecided, open := 0, 0, 0, 0
		for _, p := range procs {
			if p.OpenedOn.Before(first) || p.OpenedOn.After(last) {
				t.Errorf("%s opened %s, outside 2016–%s", p.Code, p.OpenedOn, last)
			}
			if p.Status.Pending() {
				open++
			}
			inForce := p.Status == ktgs.ProcDecided || p.Status == ktgs.ProcAnnulled
			if inForce {
				if p.DecidedOn.IsZero() || p.VotedOn.IsZero() || p.HeardOn.IsZero() || p.HeardOn.Before(p.OpenedOn) || p.VotedOn.Before(p.HeardOn) ||
					p.DecidedOn.Before(p.VotedOn) || p.AnnouncedOn.Before(p.DecidedOn) || p.DecidedOn.After(last) {
					t.Errorf("%s: dates out of order: opened %s, heard %s, voted %s, decided %s, announced %s", p.Code, p.OpenedOn, p.HeardOn,
						p.VotedOn, p.DecidedOn, p.AnnouncedOn)
				}
			} else if !p.DecidedOn.IsZero() {
				t.Errorf("%s %s has a decision date", p.Code, p.Status)
			}
			if p.FindingID != 0 {
				linked++
				checkFindingLink(t, db, p)
			}
			if p.Status != ktgs.ProcDecided {
				continue
			}
			decided++
			if p.CaseID != 0 {
				caseDecided++
			}
			// The body that opened it had a role over the subject that day.
			if a := checkRule(t, db, svc, sys, p, p.FirstBodyID, p.WarrantedForm, p.OpenedOn); a != nil && a.Outcome == rules.OutcomeNone {
				t.Errorf("%s: the opening body %d has no role over %s on %s", p.Code, p.FirstBodyID, p.SubjectName, p.OpenedOn)
			}
			// The body that decided it may decide the form it voted.
			form := p.Form
			if c := byProc[p.ID]; c != nil && c.Outcome == ktgs.OutcomeChangeForm {
				form = c.FormBefore
			}
			if a := checkRule(t, db, svc, sys, p, p.BodyID, form, p.VotedOn); a != nil && a.Outcome != rules.OutcomeDecide {
				t.Errorf("%s: body %d may not decide %s against %s on %s: %s %v", p.Code, p.BodyID, form, p.SubjectName, p.VotedOn, a.Outcome,
					reasons(a))
			}
			checkEffects(t, db, p)
		}
		if linked == 0 || caseDecided == 0 {
			t.Errorf("no decided proceeding from a case finding (%d linked)", linked)
		}
		if open == 0 {
			t.Errorf("no proceeding still open today")
		}

		// Complaints.
		outcomes := map[ktgs.ComplaintOutcome]int{}
		procByID := map[int64]*ktgs.Proceeding{}
		for _, p := range procs {
			procByID[p.ID] = p
		}
		for _, c := range complaints {
			p := procByID[c.ProceedingID]
			if p == nil || p.DecidedOn.IsZero() {
				t.Errorf("%s: about %d, which is not a decided proceeding", c.Code, c.ProceedingID)
				continue
			}
			if !c.FiledOn.After(p.AnnouncedOn) || c.FiledOn.After(c.DeadlineOn) || c.DecisionAnnouncedOn != p.AnnouncedOn || c.FiledOn.After(last) {
				t.Errorf("%s: filed %s, decision announced %s, deadline %s", c.Code, c.FiledOn, p.AnnouncedOn, c.DeadlineOn)
			}
			if c.Level != 1 || c.ResolverBodyID == 0 || c.ComplainantName != p.SubjectName && c.ComplainantKind == ktgs.SubjectMember {
				t.Errorf("%s: level %d, resolver %d, complainant %q of %q", c.Code, c.Level, c.ResolverBodyID, c.ComplainantName, p.SubjectName)
			}
			switch c.Status {
			case ktgs.ComplaintPending:
				if c.Outcome != "" || p.Status != ktgs.ProcDecided {
					t.Errorf("%s: pending with outcome %q, proceeding %s", c.Code, c.Outcome, p.Status)
				}
			case ktgs.ComplaintResolved:
				outcomes[c.Outcome]++
				if !c.Outcome.Valid() || c.ResolvedOn.Before(c.FiledOn) || c.ResolvedOn.After(last) {
					t.Errorf("%s: outcome %q resolved %s (filed %s)", c.Code, c.Outcome, c.ResolvedOn, c.FiledOn)
				}
				switch c.Outcome {
				case ktgs.OutcomeAnnul:
					if p.Status != ktgs.ProcAnnulled {
						t.Errorf("%s annulled %s, which is %s", c.Code, p.Code, p.Status)
					}
				case ktgs.OutcomeChangeForm:
					if p.Form != c.NewForm || slices.Index(ktgs.DisciplineForms, c.NewForm) >= slices.Index(ktgs.DisciplineForms, c.FormBefore) {
						t.Errorf("%s changed %s from %s to %s, the proceeding has %s", c.Code, p.Code, c.FormBefore, c.NewForm, p.Form)
					}
				case ktgs.OutcomeUphold:
					if p.Status != ktgs.ProcDecided || p.Form != c.FormBefore {
						t.Errorf("%s upheld %s, which is %s %s", c.Code, p.Code, p.Status, p.Form)
					}
				}
			default:
				t.Errorf("%s: status %s", c.Code, c.Status)
			}
		}
		if outcomes[ktgs.OutcomeUphold] <= outcomes[ktgs.OutcomeAnnul]+outcomes[ktgs.OutcomeChangeForm] {
			t.Errorf("most complaints should be upheld: %v", outcomes)
		}

		// The statistics count the decisions in force and the complaints,
		// over the ten years and over one year.
		var root int64
		db.View(ctx, func(tx *store.Tx) error {
			ids, err := tx.RootIDs(ctx)
			if err != nil || len(ids) == 0 {
				t.Fatalf("roots: %v %v", ids, err)
			}
			root = ids[0]
			return nil
		})
		for _, w := range []ktgs.Period{{Kind: ktgs.PeriodCustom, From: first, To: last}, {Kind: ktgs.PeriodCustom, From: civil.New(2022, 1, 1),
			To: civil.New(2022, 12, 31)}} {
			in := func(d civil.Date) bool { return !d.IsZero() && w.Contains(d) }
			wantDisc, wantCase, wantFiled, wantResolved := 0, 0, 0, 0
			for _, p := range procs {
				if p.Status == ktgs.ProcDecided && in(p.DecidedOn) {
					wantDisc++
					if p.CaseID != 0 {
						wantCase++
					}
				}
			}
			for _, c := range complaints {
				if in(c.FiledOn) {
					wantFiled++
				}
				if c.Status == ktgs.ComplaintResolved && in(c.ResolvedOn) {
					wantResolved++
				}
			}
			rep, err := svc.Stats(actx, app.StatsQuery{OrgID: root, Period: w, Indicators: []string{"DISCIPLINE", "COMPLAINTS"}})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, r := range rep.Rows {
				if r.Group != "" || r.Form != "" || r.Cause != "" || r.Committee || r.Outcome != "" || r.Level != "" {
					continue
				}
				got[r.Indicator+"/"+string(r.Stage)] += r.Cells[0].Count
			}
			if got["DISCIPLINE/DISCIPLINED"] != wantDisc || wantDisc == 0 {
				t.Errorf("%s–%s: the report counts %d decisions in force, the seed wrote %d", w.From, w.To, got["DISCIPLINE/DISCIPLINED"], wantDisc)
			}
			if got["COMPLAINTS/RECEIVED"] != wantFiled || got["COMPLAINTS/RESOLVED"] != wantResolved {
				t.Errorf("%s–%s: the report counts %d complaints received and %d resolved, the seed wrote %d and %d", w.From, w.To,
					got["COMPLAINTS/RECEIVED"], got["COMPLAINTS/RESOLVED"], wantFiled, wantResolved)
			}
			db.View(ctx, func(tx *store.Tx) error {
				o, err := tx.OrgLatest(ctx, root)
				if err != nil {
					t.Fatal(err)
				}
				for base, want := range map[ktgs.StatsBase]int{ktgs.BaseDiscipline: wantDisc, ktgs.BaseCaseDisciplined: wantCase} {
					gs, err := tx.StatsGroups(ctx, store.StatsFilter{Base: base, From: w.From, To: w.To,
						Access: []store.StatsAccess{{Path: o.Path, Max: authz.TopSecret}}})
					if err != nil {
						t.Fatal(err)
					}
					n := 0
					for _, g := range gs {
						n += g.N
					}
					if n != want || (base == ktgs.BaseDiscipline && n == 0) {
						t.Errorf("%s–%s: the store counts %d records of %s, the seed wrote %d", w.From, w.To, n, base, want)
					}
				}
				return nil
			})
		}
	})
}

func allProceedings(t *testing.T, svc *app.Service, actx context.Context) []*ktgs.Proceeding {
	t.Helper()
	return listAll(t, func(before int64) ([]*ktgs.Proceeding, bool, error) {
		return svc.ListProceedings(actx, app.ProceedingQuery{BeforeID: before, Limit: 200})
	}, func(p *ktgs.Proceeding) int64 { return p.ID })
}

func allComplaints(t *testing.T, svc *app.Service, actx context.Context) []*ktgs.Complaint {
	t.Helper()
	return listAll(t, func(before int64) ([]*ktgs.Complaint, bool, error) {
		return svc.ListComplaints(actx, app.ComplaintQuery{BeforeID: before, Limit: 200})
	}, func(k *ktgs.Complaint) int64 { return k.ID })
}

// checkFindingLink checks that proceeding p, opened from a finding,
// names a violation finding of its case that said "must be disciplined",
// about its subject, and opened after the case concluded.
func checkFindingLink(t *testing.T, db *store.DB, p *ktgs.Proceeding) {
	t.Helper()
	db.View(ctx, func(tx *store.Tx) error {
		f, err := tx.Finding(ctx, p.FindingID)
		if err != nil {
			t.Errorf("%s: finding %d: %v", p.Code, p.FindingID, err)
			return nil
		}
		if p.Origin != ktgs.OriginFinding || f.CaseID != p.CaseID || f.Kind != ktgs.FindingViolation || !f.WarrantsDiscipline {
			t.Errorf("%s (origin %s, case %d) names finding %d of case %d, %s, warrants discipline %t", p.Code, p.Origin, p.CaseID, f.ID,
				f.CaseID, f.Kind, f.WarrantsDiscipline)
		}
		if p.SubjectKind == ktgs.SubjectMember && f.ResponsibleMemberID != p.MemberID {
			t.Errorf("%s: the finding is about member %d, the proceeding about %d", p.Code, f.ResponsibleMemberID, p.MemberID)
		}
		c, err := tx.Case(ctx, p.CaseID)
		if err != nil {
			t.Errorf("%s: case %d: %v", p.Code, p.CaseID, err)
			return nil
		}
		if c.ConcludedOn.IsZero() || !p.OpenedOn.After(c.ConcludedOn) {
			t.Errorf("%s opened %s, its case %s concluded %s", p.Code, p.OpenedOn, c.Code, c.ConcludedOn)
		}
		return nil
	})
}

// checkRule asks the service's rule check (R1, R2 with the subject and the
// body read from the register on day) whether the body may act against
// p's subject with form; it returns the R2 decision.
func checkRule(t *testing.T, db *store.DB, svc *app.Service, sys context.Context, p *ktgs.Proceeding, bodyID int64, form ktgs.DisciplineForm,
	day civil.Date) *rules.Decision {
	t.Helper()
	f := app.DisciplineFacts{SubjectKind: string(p.SubjectKind), Category: p.Category, Scope: p.ViolationScope, Form: string(form), DecisionDate: day}
	if err := db.View(ctx, func(tx *store.Tx) error {
		b, err := tx.Body(ctx, bodyID)
		if err != nil {
			return err
		}
		o, err := tx.OrgAt(ctx, b.OrgID, day)
		if err != nil {
			return err
		}
		k, ok := rules.BodyKindOf(b.Kind, o.Type)
		if !ok {
			t.Errorf("%s: body %d (%s of %s) is not an acting body", p.Code, bodyID, b.Kind, o.Type)
		}
		f.BodyKind, f.BodyOrgCode = string(k), o.Code
		if p.SubjectKind == ktgs.SubjectMember {
			m, err := tx.Member(ctx, p.MemberID, day)
			if err != nil {
				return err
			}
			f.Card = m.CardNumber
		} else {
			so, err := tx.OrgLatest(ctx, p.OrgID)
			if err != nil {
				return err
			}
			f.SubjectOrgCode = so.Code
		}
		return nil
	}); err != nil {
		t.Errorf("%s: %v", p.Code, err)
		return nil
	}
	answers, err := svc.CheckDiscipline(sys, f)
	if err != nil {
		t.Errorf("%s: the rule check refuses the facts on %s: %v", p.Code, day, err)
		return nil
	}
	var r2 *rules.Decision
	for _, a := range answers {
		if a.Err != nil && (a.Rule == "R1" || a.Rule == "R2") {
			t.Errorf("%s: %s refuses %s on %s: %v", p.Code, a.Rule, form, day, a.Err)
		}
		if a.Rule == "R2" {
			r2 = a.Decision
		}
	}
	return r2
}

// checkEffects checks what a decision in force did to the register: an
// expulsion ended the membership on its announcement, a removal ended the
// post it names.
func checkEffects(t *testing.T, db *store.DB, p *ktgs.Proceeding) {
	t.Helper()
	db.View(ctx, func(tx *store.Tx) error {
		switch p.Form {
		case ktgs.FormExpulsion:
			m, err := tx.Member(ctx, p.MemberID, p.AnnouncedOn)
			if err != nil {
				t.Fatal(err)
			}
			if m.EndedOn != p.AnnouncedOn || m.EndReason != ktgs.EndExpelled {
				t.Errorf("%s expelled %s on %s; the register ends the membership on %s (%s)", p.Code, m.FullName, p.AnnouncedOn, m.EndedOn,
					m.EndReason)
			}
		case ktgs.FormRemoval:
			posts, err := tx.Posts(ctx, p.MemberID)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.RemovedPosts) != 1 || !slices.ContainsFunc(posts, func(x ktgs.Post) bool {
				return "post:"+strconv.FormatInt(x.ID, 10) == p.RemovedPosts[0] && x.To == p.AnnouncedOn && x.From.Before(p.OpenedOn)
			}) {
				t.Errorf("%s removed %v; the member's posts %+v", p.Code, p.RemovedPosts, posts)
			}
		}
		return nil
	})
}

func reasons(d *rules.Decision) []string {
	var out []string
	for _, r := range d.Reasons {
		out = append(out, r.VI)
	}
	return out
}
