package seed_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/seed"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// TestActivityDemo generates the demo hierarchy and its ten years of
// activity on each engine and reads every case back through the service,
// as the case page does, checking that each one is a case the procedure
// could have produced: its timeline replays through the transition table
// to its status, a concluded case has findings, remediation falls due
// after the conclusion and a closed case has none left open.
func TestActivityDemo(t *testing.T) {
	var first seed.ActivityStats
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		if _, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		st, err := seed.GenerateActivity(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if first == (seed.ActivityStats{}) {
			first = st
		} else if st != first {
			t.Errorf("the same seed gave different activity on another engine: %+v vs %+v", st, first)
		}
		if st.Cases < 300 || st.Programmes == 0 || st.Findings == 0 || st.Remediations == 0 || st.Reports == 0 {
			t.Errorf("demo activity too thin: %+v", st)
		}
		for i, n := range st.ByKind {
			if n == 0 {
				t.Errorf("no case of kind %s", ktgs.CaseKinds[i])
			}
		}
		if _, err := seed.GenerateActivity(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1}); !errors.Is(err, seed.ErrActivityNotEmpty) {
			t.Errorf("second activity seed: err=%v, want ErrActivityNotEmpty", err)
		}
		checkIntegrity(t, db)

		svc := app.New(db, nil)
		actx := rootReader(t, db, svc)
		all := listAll(t, func(before int64) ([]*ktgs.Case, bool, error) {
			return svc.ListCases(actx, app.CaseQuery{BeforeID: before, Limit: 200})
		}, func(c *ktgs.Case) int64 { return c.ID })
		if int64(len(all)) != st.Cases {
			t.Fatalf("the case list shows %d cases to a reader of the whole tree, the seed wrote %d", len(all), st.Cases)
		}
		status := map[ktgs.CaseStatus]int{}
		for _, c := range all {
			status[c.Status]++
			d, err := svc.CaseDetail(actx, c.ID)
			if err != nil {
				t.Fatalf("case %s: %v", c.Code, err)
			}
			checkCase(t, d)
		}
		for _, s := range []ktgs.CaseStatus{ktgs.CaseProposed, ktgs.CaseClosed, ktgs.CaseCancelled, ktgs.CaseFollowUp} {
			if status[s] == 0 {
				t.Errorf("no case %s in ten years: %v", s, status)
			}
		}
		if status[ktgs.CaseClosed] < len(all)/2 {
			t.Errorf("most cases of ten years should be closed: %v", status)
		}
	})
}

// checkCase replays the timeline of one case.
func checkCase(t *testing.T, d *app.CaseDetail) {
	t.Helper()
	c := d.Case
	if len(d.Events) == 0 || d.Events[0].Transition != "propose" || d.Events[0].To != ktgs.CaseProposed {
		t.Errorf("case %s: the timeline does not open with the proposal", c.Code)
		return
	}
	cur, prev := ktgs.CaseProposed, ktgs.CaseStatus("")
	for i, e := range d.Events[1:] {
		tr, ok := ktgs.TransitionByName(e.Transition)
		if !ok || !slices.Contains(tr.From, cur) || e.From != cur {
			t.Errorf("case %s event %d: %s from %s (recorded %s) is not in the transition table", c.Code, i+1, e.Transition, cur, e.From)
			return
		}
		if e.At.Before(d.Events[i].At) {
			t.Errorf("case %s event %d: %s at %s before the previous event", c.Code, i+1, e.Transition, e.At)
		}
		to := tr.To
		if tr.Name == ktgs.TransResume {
			to = prev
		}
		if e.To != to {
			t.Errorf("case %s event %d: %s led to %s, want %s", c.Code, i+1, e.Transition, e.To, to)
		}
		if to == ktgs.CaseSuspended {
			prev = cur
		}
		cur = to
	}
	if cur != c.Status {
		t.Errorf("case %s: the timeline ends at %s, the case is %s", c.Code, cur, c.Status)
	}
	reached := func(s ktgs.CaseStatus) bool {
		return slices.ContainsFunc(d.Events, func(e ktgs.CaseEvent) bool { return e.To == s })
	}
	if reached(ktgs.CaseDecided) && (c.DurationDays <= 0 || c.DueOn.IsZero() || c.DueOn.Before(c.StartOn)) {
		t.Errorf("case %s: decided without a duration and due date (%d days, %s–%s)", c.Code, c.DurationDays, c.StartOn, c.DueOn)
	}
	if reached(ktgs.CaseTeamFormed) && !slices.ContainsFunc(d.Team, func(m ktgs.TeamMember) bool { return m.Role == ktgs.TeamRoleLead }) {
		t.Errorf("case %s: a team without a lead", c.Code)
	}
	if reached(ktgs.CaseConcluded) {
		if len(d.Findings) == 0 {
			t.Errorf("case %s: concluded with no findings", c.Code)
		}
		for _, r := range d.Remediations {
			if r.DueOn.Before(c.ConcludedOn) {
				t.Errorf("case %s: remediation due %s before the conclusion %s", c.Code, r.DueOn, c.ConcludedOn)
			}
		}
	}
	if c.Status == ktgs.CaseClosed {
		for _, r := range d.Remediations {
			if !r.Status.Done() {
				t.Errorf("case %s: closed with remediation %d %s", c.Code, r.ID, r.Status)
			}
		}
	}
}

// rootReader returns a context acting as a commission chair of the
// whole tree with every clearance.
func rootReader(t *testing.T, db *store.DB, svc *app.Service) context.Context {
	t.Helper()
	a := &authz.Actor{UserID: -1, Name: "test", Role: authz.RoleChair, Clearance: authz.TopSecret, TwoFactor: true}
	if err := db.View(ctx, func(tx *store.Tx) error {
		var err error
		if a.Scope, err = tx.RootIDs(ctx); err != nil {
			return err
		}
		a.ScopeAncestry, err = svc.ScopeAncestry(ctx, tx, a.Scope)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return app.WithActor(context.Background(), a)
}

// BenchmarkActivityProvince adds the activity to a fresh province-scale
// SQLite database per iteration (the hierarchy is generated untimed).
func BenchmarkActivityProvince(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		db := testdb.OpenSQLite(b)
		if _, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleProvince, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		st, err := seed.GenerateActivity(ctx, db, seed.Options{Scale: seed.ScaleProvince, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Cases), "cases")
	}
}
