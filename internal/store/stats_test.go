package store_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// TestStatsMatchAgrees fills a small tree with random cases, findings,
// seats, proceedings, complaints and letters, then asks every base for
// random dimension filters (combinations the report's rows never use
// included), in both groupings: the records a filter lists, page by page,
// are exactly as many as the grouped counts it matches (StatsMatch.Matches
// and its SQL twin agree), and the pages neither repeat nor skip.
func TestStatsMatchAgrees(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		rng := rand.New(rand.NewPCG(3, 14))
		var orgs []*ktgs.Org
		var bodies []*ktgs.Body
		var members []int64
		day := func() civil.Date { return civil.New(2024, 1, 1).AddDays(rng.IntN(730)) }
		marks := []authz.Mark{authz.Normal, authz.Secret, authz.TopSecret}
		err := db.Update(ctx, func(tx *store.Tx) error {
			root := mustOrg(t, tx, &ktgs.Org{Code: "R", Type: ktgs.OrgTypeCentral, Name: "Trung ương", ValidFrom: d("1930-02-03")})
			prov := mustOrg(t, tx, &ktgs.Org{Code: "P", Type: ktgs.OrgTypeDirectlyUnderCC, Name: "Tỉnh", ParentID: root.ID, ValidFrom: d("2000-01-01")})
			prov2 := mustOrg(t, tx, &ktgs.Org{Code: "Q", Type: ktgs.OrgTypeDirectlyUnderCC, Name: "Tỉnh khác", ParentID: root.ID, ValidFrom: d("2000-01-01")})
			com := mustOrg(t, tx, &ktgs.Org{Code: "C", Type: ktgs.OrgTypeCommune, Name: "Xã", ParentID: prov.ID, ValidFrom: d("2000-01-01")})
			cb := mustOrg(t, tx, &ktgs.Org{Code: "B", Type: ktgs.OrgTypeGrassrootsBranch, Name: "Chi bộ", ParentID: com.ID, ValidFrom: d("2000-01-01")})
			orgs = []*ktgs.Org{root, prov, prov2, com, cb}
			for _, o := range orgs {
				for _, k := range ktgs.BodyKindsFor(o.Type) {
					b := &ktgs.Body{OrgID: o.ID, Kind: k, Name: string(k)}
					if err := tx.InsertBody(ctx, b); err != nil {
						return err
					}
					bodies = append(bodies, b)
				}
			}
			for i := range 8 {
				m := &ktgs.Member{CardNumber: fmt.Sprintf("2000000%d", i), FullName: fmt.Sprintf("Đảng viên %d", i), AdmittedOn: d("2001-01-01"),
					HomeOrgID: cb.ID, HomeSince: d("2001-01-01")}
				if err := tx.InsertMember(ctx, m); err != nil {
					return err
				}
				members = append(members, m.ID)
			}
			for _, b := range bodies {
				term := &ktgs.Term{BodyID: b.ID, Name: "2020–2025", Start: d("2020-01-01"), End: civil.Forever}
				if err := tx.InsertTerm(ctx, term); err != nil {
					return err
				}
				if rng.IntN(2) == 0 {
					from := day()
					if err := tx.InsertSeat(ctx, &ktgs.Seat{TermID: term.ID, MemberID: members[rng.IntN(len(members))], Role: ktgs.RoleMember,
						Start: from, End: from.AddDays(rng.IntN(400))}); err != nil {
						return err
					}
				}
			}
			statuses := []ktgs.CaseStatus{ktgs.CaseProposed, ktgs.CaseDecided, ktgs.CaseVerifying, ktgs.CaseConcluded, ktgs.CaseClosed, ktgs.CaseCancelled}
			var cases []*ktgs.Case
			for range 300 {
				b := bodies[rng.IntN(len(bodies))]
				o := orgs[slices.IndexFunc(orgs, func(o *ktgs.Org) bool { return o.ID == b.OrgID })]
				c := &ktgs.Case{Kind: ktgs.CaseKinds[rng.IntN(len(ktgs.CaseKinds))], BodyID: b.ID, OrgID: o.ID, ScopePath: o.Path, Title: "Cuộc",
					Mark: marks[rng.IntN(3)], Status: statuses[rng.IntN(len(statuses))], Year: 2024, ProposedOn: d("2023-12-01")}
				if c.Status != ktgs.CaseProposed {
					c.DecidedOn = day()
					if rng.IntN(2) == 0 {
						c.ConcludedOn = c.DecidedOn.AddDays(rng.IntN(200))
					}
				}
				for range 1 + rng.IntN(3) {
					if rng.IntN(2) == 0 {
						c.Subjects = append(c.Subjects, ktgs.CaseSubject{Kind: ktgs.SubjectOrg, OrgID: cb.ID, Name: "Chi bộ"})
					} else {
						c.Subjects = append(c.Subjects, ktgs.CaseSubject{Kind: ktgs.SubjectMember, OrgID: cb.ID, MemberID: members[rng.IntN(len(members))], Name: "Đảng viên"})
					}
				}
				if err := tx.InsertCase(ctx, c); err != nil {
					return err
				}
				cases = append(cases, c)
				for i := range c.Subjects {
					for range rng.IntN(3) {
						f := &ktgs.Finding{CaseID: c.ID, SubjectSeq: i + 1, Kind: []ktgs.FindingKind{ktgs.FindingStrength, ktgs.FindingShortcoming,
							ktgs.FindingViolation}[rng.IntN(3)], Text: "x", WarrantsDiscipline: rng.IntN(3) == 0}
						if err := tx.InsertFinding(ctx, f, "x"); err != nil {
							return err
						}
					}
				}
			}
			cats := []string{"THAM_NHUNG", "DAO_DUC_LOI_SONG", "KHAC", "", "LANG_PHI", "BAU_CU"}
			procStatus := []ktgs.ProceedingStatus{ktgs.ProcDecided, ktgs.ProcDecided, ktgs.ProcAnnulled, ktgs.ProcOpen}
			for range 200 {
				first, by := bodies[rng.IntN(len(bodies))], bodies[rng.IntN(len(bodies))]
				o := orgs[slices.IndexFunc(orgs, func(o *ktgs.Org) bool { return o.ID == first.OrgID })]
				p := &ktgs.Proceeding{SubjectKind: ktgs.SubjectOrg, OrgID: cb.ID, SubjectName: "Chi bộ", Origin: ktgs.OriginDirect, BodyID: first.ID,
					FirstBodyID: first.ID, ScopePath: o.Path, Category: cats[rng.IntN(len(cats))], Violation: "v", ViolationOn: d("2023-01-01"),
					WarrantedForm: ktgs.FormReprimand, Mark: marks[rng.IntN(3)], Status: ktgs.ProcOpen, OpenedOn: d("2023-06-01")}
				if rng.IntN(2) == 0 {
					p.SubjectKind, p.MemberID = ktgs.SubjectMember, members[rng.IntN(len(members))]
				}
				if rng.IntN(2) == 0 {
					p.Origin, p.CaseID = ktgs.OriginFinding, cases[rng.IntN(len(cases))].ID
				}
				if err := tx.InsertProceeding(ctx, p); err != nil {
					return err
				}
				p.BodyID, p.Status, p.Form, p.DecidedOn = by.ID, procStatus[rng.IntN(len(procStatus))], ktgs.DisciplineForms[rng.IntN(5)], day()
				if err := tx.UpdateProceeding(ctx, p); err != nil {
					return err
				}
				if rng.IntN(2) == 0 {
					k := &ktgs.Complaint{ProceedingID: p.ID, Level: 1, ComplainantKind: p.SubjectKind, ComplainantName: "x", Content: "x", FiledOn: day(),
						DecisionAnnouncedOn: d("2023-12-01"), DeadlineOn: d("2024-12-31"), ResolverBodyID: by.ID, ScopePath: p.ScopePath, Mark: p.Mark,
						Status: ktgs.ComplaintPending, FormBefore: p.Form}
					if err := tx.InsertComplaint(ctx, k); err != nil {
						return err
					}
					k.Status = []ktgs.ComplaintStatus{ktgs.ComplaintPending, ktgs.ComplaintResolved, ktgs.ComplaintEscalated}[rng.IntN(3)]
					if k.Status != ktgs.ComplaintPending {
						k.Outcome, k.ResolvedOn = ktgs.ComplaintOutcomes[rng.IntN(3)], day()
					}
					if err := tx.UpdateComplaint(ctx, k); err != nil {
						return err
					}
				}
			}
			for i := range 150 {
				b := bodies[rng.IntN(len(bodies))]
				o := orgs[slices.IndexFunc(orgs, func(o *ktgs.Org) bool { return o.ID == b.OrgID })]
				l := &ktgs.Letter{Channel: ktgs.ChannelPost, Kind: ktgs.LetterKinds[rng.IntN(2)], Mode: ktgs.SenderNamed, Title: "Đơn", Content: "x",
					ReceivedOn: day(), ReceivedOrgID: o.ID, HolderBodyID: b.ID, HolderOrgID: o.ID, ScopePath: o.Path, Mark: marks[rng.IntN(3)],
					Status: []ktgs.LetterStatus{ktgs.LetterReceived, ktgs.LetterDuplicate, ktgs.LetterConcluded}[rng.IntN(3)]}
				if err := tx.InsertLetter(ctx, l, fmt.Sprintf("h%d", i), nil); err != nil {
					return err
				}
				if l.Status == ktgs.LetterConcluded {
					l.ConcludedOn = l.ReceivedOn.AddDays(rng.IntN(90))
					if err := tx.UpdateLetter(ctx, l); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		root, prov, com := orgs[0], orgs[1], orgs[3]
		bases := []ktgs.StatsBase{ktgs.BaseCaseDecided, ktgs.BaseCaseConcluded, ktgs.BaseCaseDisciplined, ktgs.BaseDiscipline,
			ktgs.BaseLetterReceived, ktgs.BaseLetterResolved, ktgs.BaseComplaintFiled, ktgs.BaseComplaintResolve}
		some := func(n int, all func(i int) string) []string {
			var out []string
			for i := range n {
				if rng.IntN(3) == 0 {
					out = append(out, all(i))
				}
			}
			return out
		}
		checks, records := 0, 0
		err = db.View(ctx, func(tx *store.Tx) error {
			for i := range 400 {
				f := store.StatsFilter{Base: bases[rng.IntN(len(bases))], From: civil.New(2024, 1, 1).AddDays(rng.IntN(300)), Central: []int64{root.ID},
					Access: []store.StatsAccess{{Path: root.Path, Max: marks[rng.IntN(3)]}}}
				f.To = f.From.AddDays(rng.IntN(600))
				if rng.IntN(4) == 0 {
					f.Access = []store.StatsAccess{{Path: prov.Path, Max: authz.TopSecret}, {Path: orgs[2].Path, Max: authz.Normal}}
				}
				asThen := i%2 == 1
				if asThen {
					f.AsOf = f.To
					if rng.IntN(3) == 0 {
						f.Under = []string{com.Path, orgs[2].Path}
					}
				} else {
					f.Within, f.Columns = root.Path, []string{orgs[2].Path, prov.Path}
					if rng.IntN(3) == 0 {
						f.Within, f.Columns = prov.Path, []string{com.Path}
					}
				}
				if rng.IntN(2) == 0 {
					f.CaseKinds = []ktgs.CaseKind{ktgs.CaseKindKTDHVP, ktgs.CaseKindKTChapHanh}
				}
				// Each dimension is filtered now and then, so that lists are
				// long enough to page.
				m := store.StatsMatch{Committee: rng.IntN(6) == 0}
				if rng.IntN(4) == 0 {
					m.Flag = 1 + rng.IntN(7)
				}
				if rng.IntN(4) == 0 {
					for _, k := range some(len(ktgs.CaseKinds), func(i int) string { return string(ktgs.CaseKinds[i]) }) {
						m.CaseKinds = append(m.CaseKinds, ktgs.CaseKind(k))
					}
				}
				if rng.IntN(4) == 0 {
					for _, g := range some(3, func(i int) string { return string(ktgs.StatsBodyGroups[i]) }) {
						m.Groups = append(m.Groups, ktgs.StatsBodyGroup(g))
					}
				}
				switch rng.IntN(4) {
				case 0:
					m.Subject = ktgs.SubjectOrg
				case 1:
					m.Subject = ktgs.SubjectMember
				}
				if rng.IntN(6) == 0 {
					m.Form = ktgs.DisciplineForms[rng.IntN(5)]
				}
				if rng.IntN(6) == 0 {
					m.Cause = ktgs.StatsCauses[rng.IntN(3)]
				}
				if rng.IntN(6) == 0 {
					m.Level = ktgs.StatsLevels[rng.IntN(4)]
				}
				if rng.IntN(6) == 0 {
					m.Outcome = ktgs.ComplaintOutcomes[rng.IntN(3)]
				}
				groups, err := tx.StatsGroups(ctx, f)
				if err != nil {
					return err
				}
				// One unit (TODAY: a column; AS_THEN: an organisation), or all.
				sel := store.StatsSelect{Match: m, Unit: -1, Limit: 3}
				pick := rng.IntN(4)
				want := 0
				for _, g := range groups {
					if !m.Matches(g.Dims) {
						continue
					}
					switch {
					case pick == 3:
					case asThen && g.OrgID != orgs[pick].ID:
						continue
					case !asThen && g.Unit != pick%3:
						continue
					}
					want += g.N
				}
				if pick != 3 {
					if asThen {
						sel.OrgIn = []int64{orgs[pick].ID}
						if rng.IntN(2) == 0 {
							sel.OrgIn, sel.Keep = nil, func(id int64) bool { return id == orgs[pick].ID }
						}
					} else {
						sel.Unit = pick % 3
					}
				}
				seen := map[string]bool{}
				got := 0
				for {
					page, more, err := tx.StatsRecords(ctx, f, sel)
					if err != nil {
						return err
					}
					for _, r := range page {
						k := fmt.Sprintf("%d/%d", r.ID, r.Seq)
						if seen[k] {
							t.Errorf("%s: %s listed twice", f.Base, k)
						}
						seen[k] = true
						if r.Date.Before(f.From) || r.Date.After(f.To) {
							t.Errorf("%s: %s dated %s outside %s–%s", f.Base, k, r.Date, f.From, f.To)
						}
					}
					got += len(page)
					if !more {
						break
					}
					last := page[len(page)-1]
					sel.After = store.StatsCursor{Date: last.Date, ID: last.ID, Seq: last.Seq}
				}
				if got != want {
					t.Errorf("%s %+v, unit %d (AS_THEN %v): grouped counts %d, listed %d", f.Base, m, pick, asThen, want, got)
				}
				checks++
				records += got
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if records == 0 {
			t.Fatal("no record listed")
		}
		t.Logf("%d filters, %d records listed, every list as long as its count", checks, records)
	})
}
