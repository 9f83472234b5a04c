// Package authz is KTGS's one authorisation decision. Every path (HTML
// pages, the JSON API, exports, search, command-line jobs) asks Decide, and
// nothing else grants access.
//
// The decision is a pure function of three values, so it can be tested
// exhaustively against a reference model:
//
//   - the Actor: role, the org subtrees of its scope, clearance, the member
//     it is (if any), whether it passed two-factor authentication;
//   - the Action;
//   - the Object: what kind of record, the "ancestry" of the organisation it
//     belongs to (every organisation that contains or contained it, and the
//     units that replaced those), its confidentiality mark, its handling
//     team and the members it accuses.
//
// Access is denied unless a rule below explicitly allows it. The storage
// layer computes ancestries (app.Service.Ancestry), so that a commune merged
// in 2025 stays inside the scope of the province that absorbed its old
// province. docs/SECURITY.md has the table of who can do what; a test checks
// that the table and Matrix agree.
package authz

import (
	"slices"
)

// Role is what a user does in the system (GLOSSARY: vai trò).
type Role string

// The roles.
const (
	RoleAdmin     Role = "ADMIN"     // system administrator (quản trị hệ thống)
	RoleChair     Role = "CHAIR"     // commission chair (chủ nhiệm UBKT)
	RoleInspector Role = "INSPECTOR" // commission member or inspection cadre (ủy viên UBKT, cán bộ kiểm tra)
	RoleStanding  Role = "STANDING"  // standing-committee member (ủy viên ban thường vụ)
	RoleSecretary Role = "SECRETARY" // chi bộ secretary (bí thư chi bộ)
	RoleAuditor   Role = "AUDITOR"   // auditor of the system's audit trail
	RoleViewer    Role = "VIEWER"    // read-only viewer
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleAdmin, RoleChair, RoleInspector, RoleStanding, RoleSecretary, RoleAuditor, RoleViewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Mark is a confidentiality mark (độ mật) and, on a user, a clearance.
type Mark int

// Marks, in increasing order.
const (
	Normal    Mark = 0 // thường
	Secret    Mark = 1 // mật
	TopSecret Mark = 2 // tối mật
)

// Marks lists the marks in increasing order.
var Marks = []Mark{Normal, Secret, TopSecret}

// Code is the stored code of m.
func (m Mark) Code() string {
	switch m {
	case Secret:
		return "MAT"
	case TopSecret:
		return "TOI_MAT"
	}
	return "THUONG"
}

// ParseMark reads a stored code; ok is false for an unknown one.
func ParseMark(code string) (Mark, bool) {
	switch code {
	case "THUONG":
		return Normal, true
	case "MAT":
		return Secret, true
	case "TOI_MAT":
		return TopSecret, true
	}
	return Normal, false
}

// Action is what the actor wants to do.
type Action string

// The actions. Scoped actions concern one object with an org ancestry;
// system actions (user admin, the audit log) concern the whole system or a
// subtree of it.
const (
	// OrgBrowse shows an organisation's name and place in the tree, so a
	// user can navigate from the root down to the subtree of their scope.
	OrgBrowse Action = "org:browse"
	// OrgRead shows an organisation page: bodies, counts, members list.
	OrgRead  Action = "org:read"
	OrgWrite Action = "org:write" // create, reorganise

	MemberRead  Action = "member:read"
	MemberWrite Action = "member:write"

	// RegisterImport and RegisterExport move whole registers in and out.
	RegisterImport Action = "register:import"
	RegisterExport Action = "register:export"

	CaseRead   Action = "case:read"
	CaseCreate Action = "case:create"
	CaseWrite  Action = "case:write"
	// DenouncerRead reveals the identity of a denouncer (RULES.md §5).
	DenouncerRead Action = "denouncer:read"

	StatsRead Action = "stats:read"
	RulesRead Action = "rules:read"

	AuditRead Action = "audit:read"
	UserAdmin Action = "user:admin"
)

// Actions lists every action.
var Actions = []Action{OrgBrowse, OrgRead, OrgWrite, MemberRead, MemberWrite, RegisterImport, RegisterExport,
	CaseRead, CaseCreate, CaseWrite, DenouncerRead, StatsRead, RulesRead, AuditRead, UserAdmin}

// caseData are the actions that touch inspection, supervision, denunciation
// and discipline records. They need two-factor authentication and a
// clearance at least the object's mark.
func (a Action) caseData() bool {
	switch a {
	case CaseRead, CaseCreate, CaseWrite, DenouncerRead:
		return true
	}
	return false
}

// Matrix is the role → actions table. An action in the table is allowed
// within the actor's scope, subject to the further conditions of Decide
// (clearance, team, the accused). docs/SECURITY.md prints it.
//
// The system administrator manages the registers and the users but sees no
// case data: separation of duties keeps the person who can create accounts
// away from denunciations.
var Matrix = map[Role][]Action{
	RoleAdmin:     {OrgBrowse, OrgRead, OrgWrite, MemberRead, MemberWrite, RegisterImport, RegisterExport, StatsRead, RulesRead, AuditRead, UserAdmin},
	RoleChair:     {OrgBrowse, OrgRead, MemberRead, RegisterExport, CaseRead, CaseCreate, CaseWrite, DenouncerRead, StatsRead, RulesRead},
	RoleInspector: {OrgBrowse, OrgRead, MemberRead, CaseRead, CaseCreate, CaseWrite, DenouncerRead, StatsRead, RulesRead},
	RoleStanding:  {OrgBrowse, OrgRead, MemberRead, CaseRead, StatsRead, RulesRead},
	RoleSecretary: {OrgBrowse, OrgRead, MemberRead, MemberWrite, CaseRead, CaseCreate, CaseWrite, DenouncerRead, StatsRead, RulesRead},
	RoleAuditor:   {OrgBrowse, OrgRead, AuditRead, RulesRead},
	RoleViewer:    {OrgBrowse, OrgRead, MemberRead, StatsRead, RulesRead},
}

// NeedsTwoFactor reports whether role r can see case data and so must use
// two-factor authentication.
func NeedsTwoFactor(r Role) bool {
	for _, a := range Matrix[r] {
		if a.caseData() {
			return true
		}
	}
	return false
}

// Actor is who asks.
type Actor struct {
	UserID int64
	// Name is the username, recorded in the audit trail.
	Name string
	Role Role
	// Scope is the set of organisations whose subtrees the actor may act
	// in. Empty means nothing.
	Scope []int64
	// ScopeAncestry is every organisation that contains (or contained) a
	// scope organisation: the actor may browse them to reach its scope.
	ScopeAncestry []int64
	Clearance     Mark
	// MemberID is the party member the user is, if known; the accused never
	// sees who denounced them.
	MemberID int64
	// TwoFactor is true when the session passed two-factor authentication
	// (or the account is a demo account, which is exempt).
	TwoFactor bool
}

// Object is what the action is about.
type Object struct {
	// OrgID is the organisation the object is or belongs to (for a member,
	// the home chi bộ; for a case, the organisation of its subject).
	OrgID int64
	// Ancestry is every organisation whose subtree holds, or held, OrgID:
	// the ids on every historical path of OrgID and on the current paths of
	// the units that replaced them. It includes OrgID.
	Ancestry []int64
	// Mark is the object's confidentiality mark.
	Mark Mark
	// Team is the handling team's user ids (cases only).
	Team []int64
	// Accused is the member ids the object accuses or concerns (cases only).
	Accused []int64
	// System marks an object that belongs to no organisation (the audit
	// log as a whole, accounts without a scope, system settings). Its
	// Ancestry is the ids of the root organisations: only an actor whose
	// scope includes a root acts on it.
	System bool
}

// Decision is the answer and why; Reason is a message key.
type Decision struct {
	Allow  bool
	Reason string
}

// Reasons (message keys, translated in the web layer).
const (
	ReasonAllowed     = "authz.allowed"
	ReasonNoActor     = "authz.no_actor"
	ReasonRole        = "authz.role"
	ReasonScope       = "authz.scope"
	ReasonTwoFactor   = "authz.two_factor"
	ReasonClearance   = "authz.clearance"
	ReasonTeam        = "authz.team"
	ReasonAccused     = "authz.accused"
	ReasonSystemScope = "authz.system_scope"
)

func deny(reason string) Decision { return Decision{Reason: reason} }

// Decide answers whether actor may do action on obj. Rules, in order:
//
//  1. No actor, an unknown role, or an action outside the role's row of
//     Matrix: deny.
//  2. Scope: obj.Ancestry ∩ actor.Scope ≠ ∅. For a System object the
//     ancestry is the root organisations, so the scope must include a root.
//     OrgBrowse is also allowed on obj.OrgID ∈ actor.ScopeAncestry, the
//     path down to the scope.
//  3. Case data (case:*, denouncer:read): two-factor authentication, and
//     clearance ≥ obj.Mark.
//  4. The accused (actor.MemberID ∈ obj.Accused) may neither change the
//     case nor see who denounced them, whatever their role.
//  5. case:write and denouncer:read need membership of the handling team;
//     the head of the acting body (the commission chair, a chi bộ
//     secretary) may write a case in scope without being on the team (to
//     decide it and form the team), but sees the denouncer only as a team
//     member.
func Decide(a *Actor, act Action, obj *Object) Decision {
	if a == nil || a.UserID == 0 || obj == nil {
		return deny(ReasonNoActor)
	}
	if !slices.Contains(Matrix[a.Role], act) {
		return deny(ReasonRole)
	}
	if obj.System {
		if !intersects(a.Scope, obj.Ancestry) {
			return deny(ReasonSystemScope)
		}
	} else if !intersects(a.Scope, obj.Ancestry) {
		if act != OrgBrowse || !slices.Contains(a.ScopeAncestry, obj.OrgID) {
			return deny(ReasonScope)
		}
	}
	if act.caseData() {
		if !a.TwoFactor {
			return deny(ReasonTwoFactor)
		}
		if a.Clearance < obj.Mark {
			return deny(ReasonClearance)
		}
	}
	if (act == CaseWrite || act == DenouncerRead) && a.MemberID != 0 && slices.Contains(obj.Accused, a.MemberID) {
		return deny(ReasonAccused)
	}
	switch act {
	case DenouncerRead:
		if !slices.Contains(obj.Team, a.UserID) {
			return deny(ReasonTeam)
		}
	case CaseWrite:
		if a.Role != RoleChair && a.Role != RoleSecretary && !slices.Contains(obj.Team, a.UserID) {
			return deny(ReasonTeam)
		}
	}
	return Decision{Allow: true, Reason: ReasonAllowed}
}

// Allowed is Decide(...).Allow.
func Allowed(a *Actor, act Action, obj *Object) bool { return Decide(a, act, obj).Allow }

func intersects(a, b []int64) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}
