package authz

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestSecurityDocMatchesMatrix keeps the who-can-do-what table of
// docs/SECURITY.md in step with Matrix.
func TestSecurityDocMatchesMatrix(t *testing.T) {
	b, err := os.ReadFile("../../docs/SECURITY.md")
	if err != nil {
		t.Fatal(err)
	}
	var header []string
	seen := map[Action]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if cells[0] == "Action" {
			header = cells[1:]
			continue
		}
		if header == nil || !strings.HasPrefix(cells[0], "`") {
			continue
		}
		act := Action(strings.Trim(cells[0], "`"))
		seen[act] = true
		for i, role := range header {
			doc := strings.HasPrefix(cells[i+1], "✔")
			code := slices.Contains(Matrix[Role(role)], act)
			if doc != code {
				t.Errorf("%s × %s: docs/SECURITY.md says %v, Matrix says %v", role, act, doc, code)
			}
		}
	}
	if len(header) != len(Roles) {
		t.Fatalf("table has roles %v, want %v", header, Roles)
	}
	for _, a := range Actions {
		if !seen[a] {
			t.Errorf("action %s missing from docs/SECURITY.md", a)
		}
	}
}

// TestDecideBasics pins the rules of Decide with hand-written cases; the
// property test in internal/app checks it at scale.
func TestDecideBasics(t *testing.T) {
	scope := []int64{10}
	in := &Object{OrgID: 11, Ancestry: []int64{1, 10, 11}}
	out := &Object{OrgID: 21, Ancestry: []int64{1, 20, 21}}
	caseIn := &Object{OrgID: 11, Ancestry: []int64{1, 10, 11}, Mark: Secret, Team: []int64{7}, Accused: []int64{99}}
	tests := []struct {
		name string
		a    *Actor
		act  Action
		obj  *Object
		want string
	}{
		{"nil actor", nil, OrgRead, in, ReasonNoActor},
		{"viewer reads in scope", &Actor{UserID: 1, Role: RoleViewer, Scope: scope}, OrgRead, in, ReasonAllowed},
		{"viewer outside scope", &Actor{UserID: 1, Role: RoleViewer, Scope: scope}, OrgRead, out, ReasonScope},
		{"viewer browses path to scope", &Actor{UserID: 1, Role: RoleViewer, Scope: scope, ScopeAncestry: []int64{1, 10}}, OrgBrowse, &Object{OrgID: 1, Ancestry: []int64{1}}, ReasonAllowed},
		{"viewer cannot read path to scope", &Actor{UserID: 1, Role: RoleViewer, Scope: scope, ScopeAncestry: []int64{1, 10}}, OrgRead, &Object{OrgID: 1, Ancestry: []int64{1}}, ReasonScope},
		{"viewer writes", &Actor{UserID: 1, Role: RoleViewer, Scope: scope}, MemberWrite, in, ReasonRole},
		{"admin sees no case", &Actor{UserID: 1, Role: RoleAdmin, Scope: []int64{1}, TwoFactor: true, Clearance: TopSecret}, CaseRead, caseIn, ReasonRole},
		{"inspector without 2FA", &Actor{UserID: 7, Role: RoleInspector, Scope: scope, Clearance: TopSecret}, CaseRead, caseIn, ReasonTwoFactor},
		{"inspector low clearance", &Actor{UserID: 7, Role: RoleInspector, Scope: scope, TwoFactor: true}, CaseRead, caseIn, ReasonClearance},
		{"inspector reads case", &Actor{UserID: 8, Role: RoleInspector, Scope: scope, TwoFactor: true, Clearance: Secret}, CaseRead, caseIn, ReasonAllowed},
		{"inspector off team writes", &Actor{UserID: 8, Role: RoleInspector, Scope: scope, TwoFactor: true, Clearance: Secret}, CaseWrite, caseIn, ReasonTeam},
		{"chair off team writes", &Actor{UserID: 8, Role: RoleChair, Scope: scope, TwoFactor: true, Clearance: Secret}, CaseWrite, caseIn, ReasonAllowed},
		{"secretary off team writes", &Actor{UserID: 8, Role: RoleSecretary, Scope: scope, TwoFactor: true, Clearance: Secret}, CaseWrite, caseIn, ReasonAllowed},
		{"chair off team denouncer", &Actor{UserID: 8, Role: RoleChair, Scope: scope, TwoFactor: true, Clearance: Secret}, DenouncerRead, caseIn, ReasonTeam},
		{"team member denouncer", &Actor{UserID: 7, Role: RoleInspector, Scope: scope, TwoFactor: true, Clearance: Secret}, DenouncerRead, caseIn, ReasonAllowed},
		{"accused on team", &Actor{UserID: 7, Role: RoleInspector, Scope: scope, TwoFactor: true, Clearance: Secret, MemberID: 99}, DenouncerRead, caseIn, ReasonAccused},
		{"system object needs root", &Actor{UserID: 1, Role: RoleAuditor, Scope: scope}, AuditRead, &Object{System: true, Ancestry: []int64{1}}, ReasonSystemScope},
		{"root auditor", &Actor{UserID: 1, Role: RoleAuditor, Scope: []int64{1}}, AuditRead, &Object{System: true, Ancestry: []int64{1}}, ReasonAllowed},
	}
	for _, tt := range tests {
		if got := Decide(tt.a, tt.act, tt.obj); got.Reason != tt.want || got.Allow != (tt.want == ReasonAllowed) {
			t.Errorf("%s: %+v, want %s", tt.name, got, tt.want)
		}
	}
}
