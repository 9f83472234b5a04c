package app_test

// The statistics engine against a brute-force recount: the demonstration
// dataset (ten years of activity over Ninh Bình, formed on 1/7/2025 from
// three provinces, with its districts and merged communes) plus random
// proceedings and complaints is read row by row into memory, every
// indicator is counted again in plain Go for random units, periods (many
// across the 1/7/2025 reorganisation), views and actors, and every cell
// of the engine's report must agree. Then a benchmark on a seeded
// national database.

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/sealed"
	"ktgs/internal/seed"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// rcVersion is one row of org_versions.
type rcVersion struct {
	org, parent int64
	typ         ktgs.OrgType
	path        string
	from, to    civil.Date
}

// rcFact is one counted record, with everything a cell may ask of it.
type rcFact struct {
	base     ktgs.StatsBase
	date     civil.Date
	unitPath string // today's path of its unit (scope_path)
	unitOrg  int64
	reads    []rcRead // what must be readable for it to count
	kind     ktgs.CaseKind
	group    ktgs.StatsBodyGroup
	subject  ktgs.SubjectKind
	cm       bool
	flags    int
	form     ktgs.DisciplineForm
	cause    ktgs.StatsCause
	level    ktgs.StatsLevel
	outcome  ktgs.ComplaintOutcome
}

type rcRead struct {
	path string
	mark authz.Mark
}

// rcData is the whole database in memory.
type rcData struct {
	versions map[int64][]rcVersion // by org, oldest first
	facts    []rcFact
}

func rcQuery(t *testing.T, db *sql.DB, q string, scan func(*sql.Rows) error) {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

func mark(code string) authz.Mark { m, _ := authz.ParseMark(code); return m }

// rcLoad reads every row the indicators count and turns them into facts
// by the definitions of ktgs/stats.go, written out again here.
func rcLoad(t *testing.T, db *sql.DB) *rcData {
	t.Helper()
	d := &rcData{versions: map[int64][]rcVersion{}}
	roots := map[int64]bool{}
	rcQuery(t, db, `SELECT org_id, COALESCE(parent_id, 0), type, path, valid_from, valid_to FROM org_versions ORDER BY org_id, valid_from`, func(r *sql.Rows) error {
		var v rcVersion
		err := r.Scan(&v.org, &v.parent, &v.typ, &v.path, &v.from, &v.to)
		d.versions[v.org] = append(d.versions[v.org], v)
		if v.parent == 0 {
			roots[v.org] = true
		}
		return err
	})
	type body struct {
		org  int64
		kind ktgs.BodyKind
	}
	bodies := map[int64]body{}
	rcQuery(t, db, `SELECT id, org_id, kind FROM bodies`, func(r *sql.Rows) error {
		var id int64
		var b body
		err := r.Scan(&id, &b.org, &b.kind)
		bodies[id] = b
		return err
	})
	group := func(id int64) ktgs.StatsBodyGroup {
		b := bodies[id]
		switch {
		case b.kind == ktgs.BodyPolitburo || b.kind == ktgs.BodySecretariat:
			return ktgs.GroupCentral
		case (b.kind == ktgs.BodyCommittee || b.kind == ktgs.BodyStandingCommittee) && roots[b.org]:
			return ktgs.GroupCentral
		case b.kind == ktgs.BodyInspectionCommission:
			return ktgs.GroupUBKT
		}
		return ktgs.GroupCommittee
	}
	type seat struct{ from, to civil.Date }
	seats := map[int64][]seat{}
	rcQuery(t, db, `SELECT s.member_id, s.start_date, s.end_date, b.kind FROM seats s JOIN terms t ON t.id = s.term_id JOIN bodies b ON b.id = t.body_id`,
		func(r *sql.Rows) error {
			var m int64
			var s seat
			var k ktgs.BodyKind
			err := r.Scan(&m, &s.from, &s.to, &k)
			if k != ktgs.BodyInspectionCommission {
				seats[m] = append(seats[m], s)
			}
			return err
		})
	committee := func(m int64, on civil.Date) bool {
		for _, s := range seats[m] {
			if !on.Before(s.from) && !on.After(s.to) {
				return true
			}
		}
		return false
	}
	type kase struct {
		id                 int64
		kind               ktgs.CaseKind
		body, org          int64
		path, mark, status string
		decided, concluded civil.Date
	}
	cases := map[int64]*kase{}
	rcQuery(t, db, `SELECT id, kind, body_id, org_id, scope_path, mark, status, decided_on, concluded_on FROM cases`, func(r *sql.Rows) error {
		c := new(kase)
		err := r.Scan(&c.id, &c.kind, &c.body, &c.org, &c.path, &c.mark, &c.status, &c.decided, &c.concluded)
		cases[c.id] = c
		return err
	})
	flags := map[[2]int64]int{}
	rcQuery(t, db, `SELECT case_id, subject_seq, kind, warrants_discipline FROM findings`, func(r *sql.Rows) error {
		var c, s int64
		var k ktgs.FindingKind
		var w bool
		err := r.Scan(&c, &s, &k, &w)
		f := 0
		if k == ktgs.FindingShortcoming || k == ktgs.FindingViolation {
			f |= ktgs.FlagShortcomingOrViolation
		}
		if k == ktgs.FindingViolation {
			f |= ktgs.FlagViolation
		}
		if w {
			f |= ktgs.FlagWarrantsDiscipline
		}
		flags[[2]int64{c, s}] |= f
		return err
	})
	rcQuery(t, db, `SELECT case_id, seq, kind, COALESCE(member_id, 0) FROM case_subjects`, func(r *sql.Rows) error {
		var cid, seq, member int64
		var kind ktgs.SubjectKind
		if err := r.Scan(&cid, &seq, &kind, &member); err != nil {
			return err
		}
		c := cases[cid]
		if c.status == string(ktgs.CaseCancelled) {
			return nil
		}
		f := rcFact{unitPath: c.path, unitOrg: c.org, reads: []rcRead{{c.path, mark(c.mark)}}, kind: c.kind, group: group(c.body), subject: kind}
		if !c.decided.IsZero() {
			f.base, f.date, f.cm = ktgs.BaseCaseDecided, c.decided, committee(member, c.decided)
			d.facts = append(d.facts, f)
		}
		if !c.concluded.IsZero() {
			f.base, f.date, f.cm, f.flags = ktgs.BaseCaseConcluded, c.concluded, committee(member, c.concluded), flags[[2]int64{cid, seq}]
			d.facts = append(d.facts, f)
		}
		return nil
	})
	type proc struct {
		path, mark string
		firstOrg   int64
	}
	procs := map[int64]proc{}
	rcQuery(t, db, `SELECT id, COALESCE(case_id, 0), subject_kind, COALESCE(member_id, 0), body_id, first_body_id, scope_path, category, mark,
		status, form, decided_on FROM proceedings`, func(r *sql.Rows) error {
		var id, caseID, member, body, first int64
		var kind ktgs.SubjectKind
		var path, category, mk, status string
		var form ktgs.DisciplineForm
		var decided civil.Date
		if err := r.Scan(&id, &caseID, &kind, &member, &body, &first, &path, &category, &mk, &status, &form, &decided); err != nil {
			return err
		}
		procs[id] = proc{path, mk, bodies[first].org}
		if status != string(ktgs.ProcDecided) {
			return nil
		}
		f := rcFact{base: ktgs.BaseDiscipline, date: decided, unitPath: path, unitOrg: bodies[first].org, reads: []rcRead{{path, mark(mk)}},
			group: group(body), subject: kind, cm: committee(member, decided), form: form, cause: ktgs.CauseOf(category)}
		d.facts = append(d.facts, f)
		if c := cases[caseID]; c != nil {
			f.base, f.unitPath, f.unitOrg, f.kind, f.group = ktgs.BaseCaseDisciplined, c.path, c.org, c.kind, group(c.body)
			f.reads = []rcRead{{path, mark(mk)}, {c.path, mark(c.mark)}}
			d.facts = append(d.facts, f)
		}
		return nil
	})
	rcQuery(t, db, `SELECT kind, status, received_on, concluded_on, holder_org_id, scope_path, mark FROM letters`, func(r *sql.Rows) error {
		var kind ktgs.LetterKind
		var status, path, mk string
		var received, concluded civil.Date
		var holder int64
		if err := r.Scan(&kind, &status, &received, &concluded, &holder, &path, &mk); err != nil {
			return err
		}
		if kind != ktgs.LetterDenunciation {
			return nil
		}
		vs := d.versions[holder]
		f := rcFact{unitPath: path, unitOrg: holder, reads: []rcRead{{path, mark(mk)}}, level: ktgs.LevelOf(vs[len(vs)-1].typ)}
		if status != string(ktgs.LetterDuplicate) {
			f.base, f.date = ktgs.BaseLetterReceived, received
			d.facts = append(d.facts, f)
		}
		if !concluded.IsZero() {
			f.base, f.date = ktgs.BaseLetterResolved, concluded
			d.facts = append(d.facts, f)
		}
		return nil
	})
	rcQuery(t, db, `SELECT proceeding_id, complainant_kind, filed_on, resolved_on, status, outcome, scope_path, mark FROM complaints`, func(r *sql.Rows) error {
		var pid int64
		var kind ktgs.SubjectKind
		var filed, resolved civil.Date
		var status, path, mk string
		var outcome ktgs.ComplaintOutcome
		if err := r.Scan(&pid, &kind, &filed, &resolved, &status, &outcome, &path, &mk); err != nil {
			return err
		}
		f := rcFact{base: ktgs.BaseComplaintFiled, date: filed, unitPath: path, unitOrg: procs[pid].firstOrg, reads: []rcRead{{path, mark(mk)}},
			subject: kind}
		d.facts = append(d.facts, f)
		if (status == string(ktgs.ComplaintResolved) || status == string(ktgs.ComplaintEscalated)) && outcome != "" {
			f.base, f.date, f.outcome = ktgs.BaseComplaintResolve, resolved, outcome
			d.facts = append(d.facts, f)
		}
		return nil
	})
	return d
}

// holds says whether fact f counts in row r of indicator ind.
func holds(ind ktgs.StatsIndicator, r ktgs.StatsRow, f *rcFact) bool {
	if f.base != ind.Base(r.Stage) {
		return false
	}
	switch ind.Source {
	case ktgs.SourceCases:
		if !slices.Contains(ind.CaseKinds, f.kind) || !slices.Contains(ind.Groups, f.group) {
			return false
		}
		if fl := ktgs.StageFlag(r.Stage); f.flags&fl != fl {
			return false
		}
	case ktgs.SourceDiscipline:
		if r.Group != "" && f.group != r.Group {
			return false
		}
	}
	return (r.Subject == "" || r.Subject == f.subject) && (!r.Committee || f.cm) && (r.Form == "" || r.Form == f.form) &&
		(r.Cause == "" || r.Cause == f.cause) && (r.Level == "" || r.Level == f.level) && (r.Outcome == "" || r.Outcome == f.outcome)
}

// rcActor is an actor with what it may read, written out by hand: the
// subtrees and the highest mark in each.
type rcActor struct {
	name   string
	ctx    context.Context
	access []rcRead
	units  []int64 // units it may ask for
}

func (a *rcActor) reads(f *rcFact) bool {
	for _, need := range f.reads {
		ok := false
		for _, e := range a.access {
			if strings.HasPrefix(need.path, e.path) && need.mark <= e.mark {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// asThen returns org's version in force on d, or its last before d, or
// its first.
func (d *rcData) asThen(org int64, on civil.Date) rcVersion {
	vs := d.versions[org]
	v := vs[0]
	for _, x := range vs {
		if !x.from.After(on) {
			v = x
		}
	}
	return v
}

func (d *rcData) current(org int64) (rcVersion, bool) {
	vs := d.versions[org]
	v := vs[len(vs)-1]
	return v, v.to.IsForever()
}

// recount counts every row in every column, by column key; na is true
// when the unit did not exist in the period (AS_THEN).
func (d *rcData) recount(a *rcActor, unit int64, p ktgs.Period, view ktgs.StatsView) (map[string]map[string]int, bool) {
	out := map[string]map[string]int{}
	var place func(f *rcFact) (string, bool)
	if view == ktgs.ViewToday {
		cur, _ := d.current(unit)
		var kids []rcVersion
		for _, vs := range d.versions {
			if v := vs[len(vs)-1]; v.to.IsForever() && v.parent == unit {
				kids = append(kids, v)
			}
		}
		place = func(f *rcFact) (string, bool) {
			if !strings.HasPrefix(f.unitPath, cur.path) {
				return "", false
			}
			for _, k := range kids {
				if strings.HasPrefix(f.unitPath, k.path) {
					return fmt.Sprintf("org:%d", k.org), true
				}
			}
			return app.StatsColOwn, true
		}
	} else {
		existed := false
		for _, v := range d.versions[unit] {
			if !v.from.After(p.To) && v.to.After(p.From) {
				existed = true
			}
		}
		if !existed {
			return nil, true
		}
		place = func(f *rcFact) (string, bool) {
			ids := store.PathIDs(d.asThen(f.unitOrg, p.To).path)
			for i, id := range ids {
				if id == unit {
					if i == len(ids)-1 {
						return app.StatsColOwn, true
					}
					return fmt.Sprintf("org:%d", ids[i+1]), true
				}
			}
			return "", false
		}
	}
	for i := range d.facts {
		f := &d.facts[i]
		if f.date.IsZero() || !p.Contains(f.date) || !a.reads(f) {
			continue
		}
		col, ok := place(f)
		if !ok {
			continue
		}
		for _, ind := range ktgs.StatsIndicators {
			if !ind.Available() {
				continue
			}
			for _, r := range ind.Rows() {
				if holds(ind, r, f) {
					if out[r.Key] == nil {
						out[r.Key] = map[string]int{}
					}
					out[r.Key][app.StatsColTotal]++
					out[r.Key][col]++
				}
			}
		}
	}
	return out, false
}

// rcAddDiscipline adds proceedings from random case subjects, and direct
// ones, with random bodies, outcomes, forms, categories and marks, and
// complaints about some of them.
func rcAddDiscipline(t *testing.T, db *store.DB, raw *sql.DB, rng *rand.Rand) {
	t.Helper()
	type subj struct {
		caseID, body, org, member, subjOrg int64
		kind                               ktgs.SubjectKind
		name, path                         string
		concluded                          civil.Date
	}
	var subs []subj
	rcQuery(t, raw, `SELECT c.id, c.body_id, c.org_id, COALESCE(s.member_id, 0), s.org_id, s.kind, s.name, c.scope_path, c.concluded_on
		FROM cases c JOIN case_subjects s ON s.case_id = c.id WHERE c.concluded_on IS NOT NULL ORDER BY c.id, s.seq`, func(r *sql.Rows) error {
		var s subj
		err := r.Scan(&s.caseID, &s.body, &s.org, &s.member, &s.subjOrg, &s.kind, &s.name, &s.path, &s.concluded)
		subs = append(subs, s)
		return err
	})
	if len(subs) == 0 {
		t.Fatal("the seed concluded no case")
	}
	cats := append(slices.Clone(rules.Categories), "")
	marks := []authz.Mark{authz.Normal, authz.Normal, authz.Secret, authz.TopSecret}
	err := db.Update(ctx, func(tx *store.Tx) error {
		roots, err := tx.RootIDs(ctx)
		if err != nil {
			return err
		}
		central, err := tx.BodyByKind(ctx, roots[0], ktgs.BodyPolitburo)
		if err != nil {
			return err
		}
		for i := 0; i < 400; i++ {
			s := subs[rng.IntN(len(subs))]
			deciding := []int64{s.body, central.ID}
			if u, err := tx.BodyByKind(ctx, s.org, ktgs.BodyInspectionCommission); err == nil {
				deciding = append(deciding, u.ID)
			}
			p := &ktgs.Proceeding{SubjectKind: s.kind, OrgID: s.subjOrg, SubjectName: s.name, Origin: ktgs.OriginFinding, CaseID: s.caseID,
				BodyID: s.body, FirstBodyID: s.body, ScopePath: s.path, Category: cats[rng.IntN(len(cats))], Violation: "Vi phạm",
				ViolationOn: s.concluded.AddDays(-100), WarrantedForm: ktgs.FormReprimand, Mark: marks[rng.IntN(len(marks))],
				Status: ktgs.ProcOpen, OpenedOn: s.concluded}
			if s.kind == ktgs.SubjectMember {
				p.MemberID = s.member
			}
			if rng.IntN(5) == 0 {
				p.Origin, p.CaseID = ktgs.OriginDirect, 0
			}
			if err := tx.InsertProceeding(ctx, p); err != nil {
				return err
			}
			forms := ktgs.SubjectForms[s.kind]
			p.BodyID, p.Form = deciding[rng.IntN(len(deciding))], forms[rng.IntN(len(forms))]
			switch x := rng.IntN(20); {
			case x < 15:
				p.Status = ktgs.ProcDecided
			case x < 17:
				p.Status = ktgs.ProcAnnulled
			case x < 18:
				p.Status, p.Form = ktgs.ProcNoDiscipline, ""
			default:
				p.Status, p.Form = ktgs.ProcHeard, ""
			}
			if p.Form != "" {
				p.DecidedOn = s.concluded.AddDays(rng.IntN(200))
			}
			if err := tx.UpdateProceeding(ctx, p); err != nil {
				return err
			}
			if p.Status != ktgs.ProcDecided || rng.IntN(3) > 0 {
				continue
			}
			filed := p.DecidedOn.AddDays(1 + rng.IntN(30))
			k := &ktgs.Complaint{ProceedingID: p.ID, Level: 1, ComplainantKind: p.SubjectKind, ComplainantMemberID: p.MemberID,
				ComplainantName: p.SubjectName, Content: "Khiếu nại", FiledOn: filed, DecisionAnnouncedOn: p.DecidedOn, DeadlineOn: filed.AddDays(20),
				ResolverBodyID: p.BodyID, ScopePath: p.ScopePath, Mark: p.Mark, Status: ktgs.ComplaintPending, FormBefore: p.Form}
			if p.SubjectKind == ktgs.SubjectOrg {
				k.ComplainantOrgID = p.OrgID
			}
			if err := tx.InsertComplaint(ctx, k); err != nil {
				return err
			}
			k.Status = []ktgs.ComplaintStatus{ktgs.ComplaintPending, ktgs.ComplaintResolved, ktgs.ComplaintResolved, ktgs.ComplaintEscalated,
				ktgs.ComplaintWithdrawn}[rng.IntN(5)]
			if k.Status.Decided() {
				k.Outcome, k.ResolvedOn = ktgs.ComplaintOutcomes[rng.IntN(3)], filed.AddDays(10+rng.IntN(120))
			}
			if err := tx.UpdateComplaint(ctx, k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// rcPeriod draws a period: a calendar period of 2016–2026, or a custom
// range, often across 1/7/2025.
func rcPeriod(rng *rand.Rand) ktgs.Period {
	y := 2016 + rng.IntN(11)
	switch rng.IntN(8) {
	case 6:
		// Ending on the reorganisation's first day: the new units' first
		// versions begin on the period's last day.
		return ktgs.Period{Kind: ktgs.PeriodCustom, From: ktgs.ReformDate.AddDays(-1 - rng.IntN(700)), To: ktgs.ReformDate}
	case 0:
		return ktgs.Period{Kind: ktgs.PeriodYear, Year: y}
	case 1:
		return ktgs.Period{Kind: ktgs.PeriodH1, Year: y}
	case 2:
		return ktgs.Period{Kind: ktgs.PeriodM9, Year: y}
	case 3:
		return ktgs.Period{Kind: ktgs.PeriodQ1, Year: y}
	case 4:
		return ktgs.Period{Kind: ktgs.PeriodMonth, Year: y, Month: 1 + rng.IntN(12)}
	case 5:
		from := ktgs.ReformDate.AddDays(-1 - rng.IntN(500))
		return ktgs.Period{Kind: ktgs.PeriodCustom, From: from, To: ktgs.ReformDate.AddDays(rng.IntN(480))}
	}
	from := civil.New(2016, 1, 1).AddDays(rng.IntN(3800))
	return ktgs.Period{Kind: ktgs.PeriodCustom, From: from, To: from.AddDays(rng.IntN(1500))}
}

func rcKeys() *sealed.Keyring {
	k, err := sealed.Parse("k1 " + strings.Repeat("QUJD", 10) + "QUI=")
	if err != nil {
		panic(err)
	}
	return k
}

// TestStatsRecount compares the engine with the brute-force recount.
func TestStatsRecount(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demonstration dataset")
	}
	for _, eng := range testdb.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			url := eng.URL(t)
			db, err := store.Open(ctx, url, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			keys := rcKeys()
			if _, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1}); err != nil {
				t.Fatal(err)
			}
			if _, err := seed.GenerateActivity(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1, Keys: keys}); err != nil {
				t.Fatal(err)
			}
			var raw *sql.DB
			if eng.Name == store.Postgres {
				raw, err = sql.Open("pgx", url)
			} else {
				raw, err = sql.Open("sqlite", "file:"+url+"?_pragma=busy_timeout(10000)")
			}
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			rng := rand.New(rand.NewPCG(8, 2025))
			rcAddDiscipline(t, db, raw, rng)
			data := rcLoad(t, raw)

			s := app.New(db, nil)
			s.Keys = keys
			today := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
			s.Clock = func() time.Time { return today }

			// The actors: a chair of the whole tree cleared for everything;
			// an inspector of Ninh Bình cleared for MAT; a viewer of Ninh
			// Bình (unmarked records only).
			var rootID, nbID int64
			var current, all, underNB, oldNB []int64
			for id, vs := range data.versions {
				all = append(all, id)
				v := vs[len(vs)-1]
				if v.parent == 0 {
					rootID = id
				}
				if v.to.IsForever() {
					current = append(current, id)
				}
			}
			slices.Sort(all)
			slices.Sort(current)
			if err := db.View(ctx, func(tx *store.Tx) error {
				nbID, err = tx.OrgIDByCode(ctx, "P19")
				return err
			}); err != nil {
				var names []string
				for _, id := range current {
					v, _ := data.current(id)
					if v.typ == ktgs.OrgTypeDirectlyUnderCC {
						names = append(names, fmt.Sprint(id))
					}
				}
				t.Fatalf("Ninh Bình's code: %v (provinces %v)", err, names)
			}
			nb, _ := data.current(nbID)
			for _, id := range current {
				if v, _ := data.current(id); strings.HasPrefix(v.path, nb.path) {
					underNB = append(underNB, id)
				}
			}
			// Ninh Bình's predecessors (the three old provinces) and their
			// old units: authorised through their successor.
			rcQuery(t, raw, fmt.Sprintf(`SELECT from_org_id FROM reorg_links WHERE to_org_id = %d AND from_org_id <> %d ORDER BY from_org_id`, nbID, nbID),
				func(r *sql.Rows) error {
					var id int64
					err := r.Scan(&id)
					oldNB = append(oldNB, id)
					return err
				})
			if len(oldNB) == 0 {
				t.Fatal("Ninh Bình has no predecessors in the seed")
			}
			actor := func(role authz.Role, m authz.Mark, scope int64) context.Context {
				a := &authz.Actor{UserID: 91, Name: "rc", Role: role, Clearance: m, TwoFactor: true, Scope: []int64{scope}}
				if err := db.View(ctx, func(tx *store.Tx) error {
					a.ScopeAncestry, err = s.ScopeAncestry(ctx, tx, a.Scope)
					return err
				}); err != nil {
					t.Fatal(err)
				}
				return app.WithActor(context.Background(), a)
			}
			root, _ := data.current(rootID)
			actors := []*rcActor{
				{name: "chair of the whole tree", ctx: actor(authz.RoleChair, authz.TopSecret, rootID), access: []rcRead{{root.path, authz.TopSecret}}, units: all},
				{name: "inspector of Ninh Bình (MAT)", ctx: actor(authz.RoleInspector, authz.Secret, nbID), access: []rcRead{{nb.path, authz.Secret}},
					units: append(slices.Clone(underNB), oldNB...)},
				{name: "viewer of Ninh Bình", ctx: actor(authz.RoleViewer, authz.Normal, nbID), access: []rcRead{{nb.path, authz.Normal}}, units: underNB},
			}

			comparisons, reports, nonZero, diffs := 0, 0, 0, 0
			national, unitTop := app.StatsNationalCounts(), app.StatsUnitTopScopes()
			for i := 0; i < 150; i++ {
				a := actors[i%len(actors)]
				view := ktgs.ViewToday
				if rng.IntN(2) == 0 {
					view = ktgs.ViewAsThen
				}
				units := a.units
				if view == ktgs.ViewToday {
					units = slices.DeleteFunc(slices.Clone(units), func(id int64) bool { _, ok := data.current(id); return !ok })
				}
				// Mostly the upper units, where the records are.
				unit := units[rng.IntN(len(units))]
				switch rng.IntN(4) {
				case 0:
					unit = a.units[0]
					if a.units[0] != rootID && view == ktgs.ViewToday {
						unit = nbID
					}
				case 1:
					if view == ktgs.ViewAsThen && len(oldNB) > 0 && a.name != "viewer of Ninh Bình" {
						unit = oldNB[rng.IntN(len(oldNB))]
					}
				}
				if i == 0 {
					unit = rootID
				}
				q := app.StatsQuery{OrgID: unit, Period: rcPeriod(rng), View: view, Breakdown: ktgs.BreakdownChildren}
				rep, err := s.Stats(a.ctx, q)
				if err != nil {
					t.Fatalf("%s: Stats(%+v): %v", a.name, q, err)
				}
				reports++
				want, na := data.recount(a, unit, rep.Query.Period, view)
				if na != rep.Unit.NA {
					t.Errorf("%s, unit %d %s %s–%s: NA %v, recount %v", a.name, unit, view, rep.Query.Period.From, rep.Query.Period.To, rep.Unit.NA, na)
					diffs++
					continue
				}
				cols := map[string]bool{}
				for _, r := range rep.Rows {
					for ci, c := range r.Cells {
						key := rep.Columns[ci].Key
						cols[key] = true
						if !r.Available || na {
							continue
						}
						comparisons++
						if c.Count > 0 {
							nonZero++
						}
						if c.Count != want[r.Key][key] {
							diffs++
							if diffs <= 20 {
								t.Errorf("%s, unit %d %s %s–%s: %s [%s] = %d, recount %d", a.name, unit, view, rep.Query.Period.From,
									rep.Query.Period.To, r.Key, key, c.Count, want[r.Key][key])
							}
						}
					}
				}
				// The one-row count of a drill-down page (StatsCell) for
				// two cells of each report, drawn among the non-zero.
				var cells []app.StatsCell
				for _, r := range rep.Rows {
					for _, c := range r.Cells {
						if c.Count > 0 {
							cells = append(cells, c)
						}
					}
				}
				for k := 0; k < 2 && len(cells) > 0; k++ {
					c := cells[rng.IntN(len(cells))]
					row, col, _ := strings.Cut(c.Key, "@")
					if n := cellCount(t, s, a.ctx, rep.Query, c.Key); n != want[row][col] {
						diffs++
						t.Errorf("%s, unit %d %s: StatsCell %s = %d, recount %d", a.name, unit, view, c.Key, n, want[row][col])
					}
					// And the list behind the first of them, whole; its first
					// page also as the drill-down page reads it, with the
					// row, after one scope (StatsDrillPage).
					if k == 0 {
						lq := rep.Query
						lq.Limit = 50
						n := 0
						for {
							page, more, err := s.StatsDrill(a.ctx, lq, c.Key)
							if err != nil {
								t.Fatalf("StatsDrill %s: %v", c.Key, err)
							}
							if n == 0 {
								prep, ppage, pmore, err := s.StatsDrillPage(a.ctx, lq, c.Key)
								if err != nil {
									t.Fatalf("StatsDrillPage %s: %v", c.Key, err)
								}
								pn := -1
								for i, pc := range prep.Columns {
									if pc.Key == col && len(prep.Rows) == 1 && prep.Rows[0].Key == row {
										pn = prep.Rows[0].Cells[i].Count
									}
								}
								same := len(ppage) == len(page) && pmore == more
								for i := 0; same && i < len(page); i++ {
									same = ppage[i].ID == page[i].ID && ppage[i].Seq == page[i].Seq
								}
								if pn != want[row][col] || !same {
									diffs++
									t.Errorf("%s, unit %d %s: StatsDrillPage %s counts %d (recount %d); its page equals StatsDrill's: %v",
										a.name, unit, view, c.Key, pn, want[row][col], same)
								}
							}
							n += len(page)
							if !more {
								break
							}
							lq.After = page[len(page)-1].Cursor
						}
						if n != want[row][col] {
							diffs++
							t.Errorf("%s, unit %d %s: the list of %s has %d, recount %d", a.name, unit, view, c.Key, n, want[row][col])
						}
					}
				}
				for row, m := range want {
					for key, n := range m {
						if !cols[key] && n != 0 {
							diffs++
							t.Errorf("%s, unit %d %s: recount has %d in %s [%s], a column the report lacks", a.name, unit, view, n, row, key)
						}
					}
				}
			}
			bases := map[ktgs.StatsBase]int{}
			cms := 0
			for _, f := range data.facts {
				bases[f.base]++
				if f.cm {
					cms++
				}
			}
			t.Logf("%d reports, %d cells compared (%d non-zero) over %d records (%v; %d of committee members): %d differences",
				reports, comparisons, nonZero, len(data.facts), bases, cms, diffs)
			if diffs != 0 {
				t.Fatalf("%d differences between the engine and the recount", diffs)
			}
			if nonZero < 200 {
				t.Errorf("only %d non-zero cells compared: the sample is too thin", nonZero)
			}
			// The chair's reports of the root go through the national
			// fast path (stat_sums); every other through stat_facts.
			if n := app.StatsNationalCounts() - national; n == 0 {
				t.Error("no report went through the national fast path")
			} else {
				t.Logf("%d bases counted by the national fast path", n)
			}
			// The sums the writers keep by deltas (rcAddDiscipline's
			// proceedings and complaints went through them) are the facts
			// counted by month and by year.
			for _, sums := range []struct{ table, period string }{{"stat_sums", "ym"}, {"stat_sums_y", "y"}} {
				period := map[string]string{"ym": "ym", "y": "ym / 12"}[sums.period]
				facts := `SELECT base, ` + period + `, top, u_top, u_chg, u_top2, mark, acc_mark, dims, COUNT(*) FROM stat_facts
					GROUP BY base, ` + period + `, top, u_top, u_chg, u_top2, mark, acc_mark, dims`
				kept := `SELECT base, ` + sums.period + `, top, u_top, u_chg, u_top2, mark, acc_mark, dims, n FROM ` + sums.table + ` WHERE n <> 0`
				for _, q := range []string{facts + " EXCEPT " + kept, kept + " EXCEPT " + facts} {
					n := 0
					rcQuery(t, raw, `SELECT COUNT(*) FROM (`+q+`) d`, func(r *sql.Rows) error { return r.Scan(&n) })
					if n != 0 {
						t.Errorf("%s: %d rows differ from the facts (%s)", sums.table, n, q)
					}
				}
			}
			// The reports as they were of Ninh Bình, its predecessors and their units go
			// through the unit-top indexes.
			if n := app.StatsUnitTopScopes() - unitTop; n == 0 {
				t.Error("no report or list of a unit below the root as it was went through the unit-top indexes")
			} else {
				t.Logf("%d reports and lists of a unit below the root read by the unit-top indexes", n)
			}
		})
	}
}

// BenchmarkStatsNationalYear times the national report of one year (2024)
// broken down by province in today's tree, as a chair of the whole tree
// cleared for every mark, on a seeded database. It skips unless
// KTGS_BENCH_DATA names one: a data directory (its ktgs.db), a SQLite
// file or a postgres:// URL. To run it:
//
//	ktgs seed --scale national --seed 1 --data /tmp/nat
//	KTGS_BENCH_DATA=/tmp/nat go test ./internal/app -run '^$' -bench StatsNationalYear -benchtime 20x
//
// KTGS_BENCH_VIEW=AS_THEN times the view as it was instead. The migration
// 0013_stats must have run on the database (any ktgs command migrates).
func BenchmarkStatsNationalYear(b *testing.B) {
	s, q := benchStats(b)
	var durations []time.Duration
	for b.Loop() {
		start := time.Now()
		rep, err := s.Stats(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
		if len(rep.Columns) < 3 {
			b.Fatalf("%d columns", len(rep.Columns))
		}
	}
	reportP95(b, durations)
}

// BenchmarkStatsNationalDrill times the first page (50 items) of the
// list behind each of the ten largest cells of the same report, in turn;
// KTGS_BENCH_DATA and KTGS_BENCH_VIEW as for BenchmarkStatsNationalYear.
func BenchmarkStatsNationalDrill(b *testing.B) {
	s, q := benchStats(b)
	rep, err := s.Stats(ctx, q)
	if err != nil {
		b.Fatal(err)
	}
	var cells []app.StatsCell
	for _, r := range rep.Rows {
		for _, c := range r.Cells {
			if c.Count > 0 {
				cells = append(cells, c)
			}
		}
	}
	slices.SortFunc(cells, func(a, b app.StatsCell) int { return b.Count - a.Count })
	cells = cells[:min(10, len(cells))]
	var durations []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if _, _, err := s.StatsDrill(ctx, rep.Query, cells[i%len(cells)].Key); err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
		i++
	}
	reportP95(b, durations)
}

// BenchmarkStatsNationalDrillAny times, for non-zero cells of the same
// report drawn at random (seeded), the two reads of a drill-down page:
// the cell's row (StatsCell) and the first page of its list (StatsDrill),
// each with its own p95 and one after the other; the page runs them side
// by side, so it costs about the slower of the two.
func BenchmarkStatsNationalDrillAny(b *testing.B) {
	s, q := benchStats(b)
	rep, err := s.Stats(ctx, q)
	if err != nil {
		b.Fatal(err)
	}
	var cells []app.StatsCell
	for _, r := range rep.Rows {
		for _, c := range r.Cells {
			if c.Count > 0 {
				cells = append(cells, c)
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	var cellD, listD []time.Duration
	for b.Loop() {
		c := cells[r.IntN(len(cells))]
		start := time.Now()
		if _, err := s.StatsCell(ctx, rep.Query, c.Key); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		if _, _, err := s.StatsDrill(ctx, rep.Query, c.Key); err != nil {
			b.Fatal(err)
		}
		cellD, listD = append(cellD, mid.Sub(start)), append(listD, time.Since(mid))
	}
	slices.Sort(cellD)
	slices.Sort(listD)
	b.ReportMetric(float64(cellD[len(cellD)*95/100].Microseconds())/1000, "cell-p95-ms")
	b.ReportMetric(float64(listD[len(listD)*95/100].Microseconds())/1000, "list-p95-ms")
}

func benchStats(b *testing.B) (*app.Service, app.StatsQuery) {
	url := os.Getenv("KTGS_BENCH_DATA")
	if url == "" {
		b.Skip("KTGS_BENCH_DATA is not set: see BenchmarkStatsNationalYear for how to seed a national database")
	}
	if !store.IsPostgresURL(url) {
		if fi, err := os.Stat(url); err == nil && fi.IsDir() {
			url = filepath.Join(url, "ktgs.db")
		}
	}
	db, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	view := ktgs.StatsView(os.Getenv("KTGS_BENCH_VIEW"))
	if view == "" {
		view = ktgs.ViewToday
	}
	return app.New(db, nil), app.StatsQuery{Period: year(2024), View: view, Breakdown: ktgs.BreakdownChildren}
}

func reportP95(b *testing.B, durations []time.Duration) {
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)*95/100].Microseconds())/1000, "p95-ms")
}
