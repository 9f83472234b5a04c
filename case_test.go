package ktgs_test

import (
	"reflect"
	"slices"
	"testing"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
)

// The procedure table (RULES.md §2.3) as a specification written out by
// hand: the transitions possible from each status, in table order. The
// tests below check ktgs.CaseTransitions against it and against the
// structural properties the procedure must have.
var wantFrom = map[ktgs.CaseStatus][]string{
	ktgs.CaseProposed:     {"decide", "suspend", "cancel"},
	ktgs.CaseDecided:      {"form_team", "suspend", "cancel"},
	ktgs.CaseTeamFormed:   {"announce", "suspend", "cancel"},
	ktgs.CaseAnnounced:    {"self_report", "suspend", "cancel"},
	ktgs.CaseSelfReported: {"verify", "suspend", "cancel"},
	ktgs.CaseVerifying:    {"draft_report", "suspend", "cancel"},
	ktgs.CaseDraftReport:  {"meet", "suspend", "cancel"},
	ktgs.CaseMeeting:      {"conclude", "suspend", "cancel"},
	ktgs.CaseConcluded:    {"follow_up", "close", "suspend", "cancel"},
	ktgs.CaseFollowUp:     {"close", "suspend", "cancel"},
	ktgs.CaseClosed:       nil,
	ktgs.CaseSuspended:    {"resume", "cancel"},
	ktgs.CaseCancelled:    nil,
}

// procedure is the happy path in order.
var procedure = []ktgs.CaseStatus{ktgs.CaseProposed, ktgs.CaseDecided, ktgs.CaseTeamFormed, ktgs.CaseAnnounced,
	ktgs.CaseSelfReported, ktgs.CaseVerifying, ktgs.CaseDraftReport, ktgs.CaseMeeting, ktgs.CaseConcluded,
	ktgs.CaseFollowUp, ktgs.CaseClosed}

// side transitions leave the procedure order.
func side(name string) bool {
	return name == ktgs.TransSuspend || name == ktgs.TransResume || name == ktgs.TransCancel
}

func TestCaseTransitionTableWellFormed(t *testing.T) {
	actors := []ktgs.CaseActor{ktgs.ActorHead, ktgs.ActorLead, ktgs.ActorTeam}
	needs := []ktgs.CaseRequirement{ktgs.NeedPlan, ktgs.NeedTeamLead, ktgs.NeedSelfReport, ktgs.NeedSubjectComments,
		ktgs.NeedFindings, ktgs.NeedRemediationsDone, ktgs.NeedReason}
	seen := map[string]bool{}
	for _, tr := range ktgs.CaseTransitions {
		if tr.Name == "" || seen[tr.Name] {
			t.Errorf("transition name %q empty or repeated", tr.Name)
		}
		seen[tr.Name] = true
		if len(tr.From) == 0 {
			t.Errorf("%s: no from-status", tr.Name)
		}
		for _, f := range tr.From {
			if !f.Valid() {
				t.Errorf("%s: unknown from-status %q", tr.Name, f)
			}
			if !f.Open() {
				t.Errorf("%s: leaves the terminal status %s", tr.Name, f)
			}
		}
		switch {
		case tr.Name == ktgs.TransResume:
			if tr.To != "" {
				t.Errorf("resume goes to %q, want empty (the status before the suspension)", tr.To)
			}
		case !tr.To.Valid():
			t.Errorf("%s: unknown to-status %q", tr.Name, tr.To)
		}
		if slices.Contains(tr.From, tr.To) {
			t.Errorf("%s: loops on %s", tr.Name, tr.To)
		}
		if len(tr.Who) == 0 {
			t.Errorf("%s: nobody may take it", tr.Name)
		}
		for _, w := range tr.Who {
			if !slices.Contains(actors, w) {
				t.Errorf("%s: unknown actor %q", tr.Name, w)
			}
		}
		for _, n := range tr.Needs {
			if !slices.Contains(needs, n) {
				t.Errorf("%s: unknown requirement %q", tr.Name, n)
			}
		}
		got, ok := ktgs.TransitionByName(tr.Name)
		if !ok || !reflect.DeepEqual(got, tr) {
			t.Errorf("TransitionByName(%q) = %+v, %v", tr.Name, got, ok)
		}
	}
	for _, n := range []string{ktgs.TransDecide, ktgs.TransFormTeam, ktgs.TransAnnounce, ktgs.TransSelfReport, ktgs.TransVerify,
		ktgs.TransDraftReport, ktgs.TransMeet, ktgs.TransConclude, ktgs.TransFollowUp, ktgs.TransClose, ktgs.TransSuspend,
		ktgs.TransResume, ktgs.TransCancel} {
		if !seen[n] {
			t.Errorf("transition %q is not in the table", n)
		}
	}
	if len(seen) != 13 {
		t.Errorf("%d transitions, want 13", len(seen))
	}
	if _, ok := ktgs.TransitionByName("approve"); ok {
		t.Error("TransitionByName found an unknown name")
	}
	// The requirements each step checks (the app enforces them).
	wantNeeds := map[string][]ktgs.CaseRequirement{
		"decide": {ktgs.NeedPlan}, "form_team": {ktgs.NeedTeamLead}, "self_report": {ktgs.NeedSelfReport},
		"meet": {ktgs.NeedSubjectComments}, "conclude": {ktgs.NeedFindings}, "close": {ktgs.NeedRemediationsDone},
		"suspend": {ktgs.NeedReason}, "cancel": {ktgs.NeedReason},
	}
	for _, tr := range ktgs.CaseTransitions {
		if !slices.Equal(tr.Needs, wantNeeds[tr.Name]) {
			t.Errorf("%s needs %v, want %v", tr.Name, tr.Needs, wantNeeds[tr.Name])
		}
	}
}

func TestCaseTransitionsFrom(t *testing.T) {
	if len(wantFrom) != len(ktgs.CaseStatuses) {
		t.Fatalf("spec covers %d statuses, the domain has %d", len(wantFrom), len(ktgs.CaseStatuses))
	}
	for _, s := range ktgs.CaseStatuses {
		var got []string
		for _, tr := range ktgs.TransitionsFrom(s) {
			got = append(got, tr.Name)
		}
		if !slices.Equal(got, wantFrom[s]) {
			t.Errorf("TransitionsFrom(%s) = %v, want %v", s, got, wantFrom[s])
		}
		// And the same as reading the table column by column.
		var table []string
		for _, tr := range ktgs.CaseTransitions {
			if slices.Contains(tr.From, s) {
				table = append(table, tr.Name)
			}
		}
		if !slices.Equal(got, table) {
			t.Errorf("TransitionsFrom(%s) = %v, table says %v", s, got, table)
		}
	}
	if got := ktgs.TransitionsFrom("NO_SUCH"); len(got) != 0 {
		t.Errorf("TransitionsFrom(unknown) = %v", got)
	}
}

func TestCaseHappyPath(t *testing.T) {
	pos := map[ktgs.CaseStatus]int{}
	for i, s := range procedure {
		pos[s] = i
	}
	// Every step of the procedure has exactly one transition to the next
	// status, and no procedure transition goes backwards.
	for i := 0; i+1 < len(procedure); i++ {
		from, to := procedure[i], procedure[i+1]
		var names []string
		for _, tr := range ktgs.TransitionsFrom(from) {
			if tr.To == to {
				names = append(names, tr.Name)
			}
		}
		if len(names) != 1 {
			t.Errorf("%s → %s by %v, want exactly one transition", from, to, names)
		}
	}
	for _, tr := range ktgs.CaseTransitions {
		if side(tr.Name) {
			continue
		}
		for _, f := range tr.From {
			if pos[tr.To] <= pos[f] {
				t.Errorf("%s goes backwards: %s → %s", tr.Name, f, tr.To)
			}
		}
	}
	// Walking forward (no side transitions) from PROPOSED: the statuses
	// reached in order are the procedure, and the only fork is at
	// CONCLUDED, where a case without follow-up may close at once.
	s := ktgs.CaseProposed
	var walked []ktgs.CaseStatus
	for s != ktgs.CaseClosed {
		walked = append(walked, s)
		var fwd []ktgs.Transition
		for _, tr := range ktgs.TransitionsFrom(s) {
			if !side(tr.Name) {
				fwd = append(fwd, tr)
			}
		}
		switch {
		case len(fwd) == 0:
			t.Fatalf("dead end at %s", s)
		case len(fwd) > 1 && s != ktgs.CaseConcluded:
			t.Fatalf("fork at %s: %v", s, fwd)
		case s == ktgs.CaseConcluded && (len(fwd) != 2 || fwd[0].To != ktgs.CaseFollowUp || fwd[1].To != ktgs.CaseClosed):
			t.Fatalf("from CONCLUDED: %v, want follow_up then close", fwd)
		}
		s = fwd[0].To
		if len(walked) > len(procedure) {
			t.Fatal("the forward walk does not end")
		}
	}
	walked = append(walked, s)
	if !slices.Equal(walked, procedure) {
		t.Errorf("forward walk %v, want %v", walked, procedure)
	}
}

func TestCaseSuspendCancel(t *testing.T) {
	for _, s := range ktgs.CaseStatuses {
		names := map[string]bool{}
		for _, tr := range ktgs.TransitionsFrom(s) {
			names[tr.Name] = true
		}
		switch s {
		case ktgs.CaseClosed, ktgs.CaseCancelled:
			if len(names) != 0 || s.Open() {
				t.Errorf("%s: transitions %v, open %v; want none and closed", s, names, s.Open())
			}
		case ktgs.CaseSuspended:
			if !names["resume"] || !names["cancel"] || names["suspend"] || len(names) != 2 {
				t.Errorf("SUSPENDED: %v, want resume and cancel only", names)
			}
		default:
			if !names["suspend"] || !names["cancel"] || names["resume"] || !s.Open() {
				t.Errorf("%s: %v, want suspend and cancel, no resume", s, names)
			}
		}
	}
	// Only the head suspends, resumes and cancels.
	for _, n := range []string{"suspend", "resume", "cancel"} {
		tr, _ := ktgs.TransitionByName(n)
		if !slices.Equal(tr.Who, []ktgs.CaseActor{ktgs.ActorHead}) {
			t.Errorf("%s by %v, want HEAD only", n, tr.Who)
		}
	}
	if ktgs.CaseProposed.Started() || ktgs.CaseCancelled.Started() || !ktgs.CaseDecided.Started() || !ktgs.CaseClosed.Started() {
		t.Error("Started: a case has started once decided, and a cancelled one never")
	}
}

func TestCaseKinds(t *testing.T) {
	for _, k := range ktgs.CaseKinds {
		if !k.Valid() {
			t.Errorf("%s not valid", k)
		}
		wantMark := authz.Normal
		if k == ktgs.CaseKindKTDHVP {
			wantMark = authz.Secret
		}
		if k.DefaultMark() != wantMark {
			t.Errorf("%s default mark %v, want %v", k, k.DefaultMark(), wantMark)
		}
		if k.IsSupervision() != (k == ktgs.CaseKindGSThuongXuyen || k == ktgs.CaseKindGSChuyenDe) {
			t.Errorf("%s IsSupervision=%v", k, k.IsSupervision())
		}
	}
	if ktgs.CaseKind("KS_TSTN").Valid() || ktgs.CaseKind("").Valid() || ktgs.CaseStatus("OPEN").Valid() {
		t.Error("unknown kind or status accepted")
	}
}

func TestProgrammeItemProgress(t *testing.T) {
	day := civil.MustParse("2026-06-15")
	from, to := civil.MustParse("2026-06-01"), civil.MustParse("2026-06-30")
	past := civil.MustParse("2026-06-14")
	tests := []struct {
		name   string
		caseID int64
		status ktgs.CaseStatus
		to     civil.Date
		want   ktgs.ItemProgress
	}{
		{"planned, window open", 0, "", to, ktgs.ItemPlanned},
		{"planned, no window end", 0, "", 0, ktgs.ItemPlanned},
		{"planned, window ends today", 0, "", day, ktgs.ItemPlanned},
		{"not started, window ended", 0, "", past, ktgs.ItemOverdue},
		{"proposed", 7, ktgs.CaseProposed, to, ktgs.ItemStarted},
		{"verifying", 7, ktgs.CaseVerifying, to, ktgs.ItemStarted},
		{"suspended", 7, ktgs.CaseSuspended, to, ktgs.ItemStarted},
		{"started, window ended", 7, ktgs.CaseMeeting, past, ktgs.ItemOverdue},
		{"concluded", 7, ktgs.CaseConcluded, to, ktgs.ItemConcluded},
		{"follow-up", 7, ktgs.CaseFollowUp, to, ktgs.ItemConcluded},
		{"closed", 7, ktgs.CaseClosed, to, ktgs.ItemConcluded},
		{"concluded after the window", 7, ktgs.CaseClosed, past, ktgs.ItemConcluded},
		{"cancelled, window open", 7, ktgs.CaseCancelled, to, ktgs.ItemPlanned},
		{"cancelled, window ended", 7, ktgs.CaseCancelled, past, ktgs.ItemOverdue},
	}
	for _, tc := range tests {
		it := &ktgs.ProgrammeItem{From: from, To: tc.to, CaseID: tc.caseID, CaseStatus: tc.status}
		if got := it.Progress(day); got != tc.want {
			t.Errorf("%s: Progress = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestCaseOverdue(t *testing.T) {
	due := civil.MustParse("2026-06-04")
	tests := []struct {
		name   string
		status ktgs.CaseStatus
		due    civil.Date
		day    civil.Date
		want   bool
	}{
		{"no plan yet", ktgs.CaseProposed, 0, due.AddDays(100), false},
		{"the day before", ktgs.CaseVerifying, due, due.AddDays(-1), false},
		{"on the due day", ktgs.CaseVerifying, due, due, false},
		{"the day after", ktgs.CaseVerifying, due, due.AddDays(1), true},
		{"long after", ktgs.CaseDecided, due, due.AddDays(400), true},
		{"suspended", ktgs.CaseSuspended, due, due.AddDays(1), false},
		{"closed", ktgs.CaseClosed, due, due.AddDays(1), false},
		{"cancelled", ktgs.CaseCancelled, due, due.AddDays(1), false},
	}
	for _, tc := range tests {
		c := &ktgs.Case{Status: tc.status, DueOn: tc.due}
		if got := c.Overdue(tc.day); got != tc.want {
			t.Errorf("%s: Overdue = %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct {
		status ktgs.RemediationStatus
		day    civil.Date
		want   bool
	}{
		{ktgs.RemediationOpen, due, false}, {ktgs.RemediationOpen, due.AddDays(1), true},
		{ktgs.RemediationReported, due.AddDays(1), true}, {ktgs.RemediationVerified, due.AddDays(1), false},
		{ktgs.RemediationWaived, due.AddDays(1), false},
	} {
		r := &ktgs.Remediation{Status: tc.status, DueOn: due}
		if got := r.Overdue(tc.day); got != tc.want {
			t.Errorf("remediation %s on %s: Overdue = %v, want %v", tc.status, tc.day, got, tc.want)
		}
	}
	if ktgs.RemediationOpen.Done() || ktgs.RemediationReported.Done() || !ktgs.RemediationVerified.Done() || !ktgs.RemediationWaived.Done() {
		t.Error("Done: only verified and waived requests are done")
	}
}
