package rules

import (
	"slices"

	"ktgs"
	"ktgs/internal/civil"
)

// CaseKindAssetControl is the asset and income declaration control
// (kiểm soát tài sản, thu nhập, RULES.md §2.2 and §7). It is not a kind of
// case the procedure runs (ktgs.CaseKinds) but belongs to the table of who
// may start what.
const CaseKindAssetControl ktgs.CaseKind = "KS_TSTN"

// InitiationKinds are the kinds of activity of RULES.md §2.2 that R20
// decides: the case kinds of the domain and asset control.
var InitiationKinds = []ktgs.CaseKind{ktgs.CaseKindKTChapHanh, ktgs.CaseKindKTDHVP,
	ktgs.CaseKindKTThucHienKTGS, ktgs.CaseKindKTThiHanhKyLuat, ktgs.CaseKindKTTaiChinh,
	CaseKindAssetControl, ktgs.CaseKindGSThuongXuyen, ktgs.CaseKindGSChuyenDe}

// initiationBodies are the body kinds of the table of who may start what:
// every acting kind except the refined kinds BCH_TW and DANG_UY_BO_PHAN,
// which the table reads as CAP_UY.
var initiationBodies = []BodyKind{BodyBranch, BodyBranchCommittee, BodyCommittee,
	BodyStandingCommittee, BodyInspectionCommission, BodyPolitburo, BodySecretariat,
	BodyPartyDelegation, BodyAdvisoryBoard}

// Subject scopes: the codes of an initiation cell, what a body may start a
// kind on. An empty list means it may not start the kind at all.
const (
	// initLowerOrgs: organisations below the initiator's organisation.
	initLowerOrgs = "LOWER_ORGS"
	// initLowerDisciplinaryOrgs: lower organisations whose bodies have
	// disciplinary powers (not a tổ đảng; a đảng bộ bộ phận only if its
	// đảng ủy bộ phận has forms, authority.dang_uy_bo_phan).
	initLowerDisciplinaryOrgs = "LOWER_DISCIPLINARY_ORGS"
	// initMembers: members whose chi bộ lies in the initiator's
	// organisation, other than members of its same-level committee.
	initMembers = "MEMBERS"
	// initOwnMembers: members of the initiating chi bộ, committee members
	// included.
	initOwnMembers = "OWN_MEMBERS"
	// initSameLevelCommitteeMembers: members of the initiator's
	// same-level committee.
	initSameLevelCommitteeMembers = "SAME_LEVEL_COMMITTEE_MEMBERS"
	// initSameLevelFinanceOffice: the finance office of the same-level
	// committee.
	initSameLevelFinanceOffice = "SAME_LEVEL_FINANCE_OFFICE"
)

// initiationScopes lists the subject scopes; orgScopes and memberScopes
// split them by subject kind.
var (
	initiationScopes = []string{initLowerOrgs, initLowerDisciplinaryOrgs, initMembers, initOwnMembers,
		initSameLevelCommitteeMembers, initSameLevelFinanceOffice}
	orgScopes    = []string{initLowerOrgs, initLowerDisciplinaryOrgs, initSameLevelFinanceOffice}
	memberScopes = []string{initMembers, initOwnMembers, initSameLevelCommitteeMembers}
	// chiBoExclusions are the members a chi bộ does not supervise
	// (initiation.chi_bo.supervision_exclusions).
	chiBoExclusions = []string{"LEADERSHIP_POST", "MANAGED_BY_HIGHER"}
)

// Outcomes of R20 (the vocabulary of R13).
const (
	OutcomeAllowed = "ALLOWED"
	OutcomeBlocked = "BLOCKED"
)

// Relations of an R20 subject to the initiator.
const (
	RelOwnOrg                   = "OWN_ORG"                     // the initiator's own organisation (same-level committee)
	RelSameLevelFinanceOffice   = "SAME_LEVEL_FINANCE_OFFICE"   // the finance office of the same-level committee
	RelLowerOrg                 = "LOWER_ORG"                   // an organisation below
	RelOwnMember                = "OWN_MEMBER"                  // a member of the initiating chi bộ
	RelSameLevelCommitteeMember = "SAME_LEVEL_COMMITTEE_MEMBER" // a member of the same-level committee
	RelMemberInScope            = "MEMBER_IN_SCOPE"             // a member whose chi bộ lies below
	RelOutside                  = "OUTSIDE"                     // outside the initiator's organisation
)

// initiationCell returns the value key of the cell of kind k and table body
// b: "initiation.KT_DHVP.UBKT".
func initiationCell(k ktgs.CaseKind, b BodyKind) string {
	return "initiation." + string(k) + "." + string(b)
}

// tableBody returns the body kind under which the table lists k: the
// Central Committee and a đảng ủy bộ phận are the cấp ủy of their
// organisation.
func tableBody(k BodyKind) BodyKind {
	if k == BodyCentralCommittee || k == BodySubCommittee {
		return BodyCommittee
	}
	return k
}

// InitiationRequest is the request of R20 (case-initiation): may the
// initiator start an activity of kind on subject? Date (the decision to
// start) chooses the rule set.
type InitiationRequest struct {
	// Kind is the kind of activity: KT_CHAP_HANH, KT_DHVP,
	// KT_THUC_HIEN_NV_KTGS, KT_THI_HANH_KY_LUAT, KT_TAI_CHINH, KS_TSTN,
	// GS_THUONG_XUYEN or GS_CHUYEN_DE.
	Kind      string             `json:"kind"`
	Date      string             `json:"date"`
	Initiator *InitiatorIn       `json:"initiator"`
	Subject   *InitiationSubject `json:"subject"`
}

// InitiatorIn is the body that would start the activity: a body kind of
// R2 (CAP_UY, BTV, UBKT, CHI_BO, CHI_UY, BAN_THAM_MUU, BCT, BBT, …) and its
// organisation. A chi bộ gives the facts thematic supervision depends on.
type InitiatorIn struct {
	Kind string  `json:"kind"`
	Org  *OrgRef `json:"org"`
	// HasChiUy, Members (official members) and Scattered (members
	// scattered or many party groups) describe a chi bộ.
	HasChiUy  *bool `json:"has_chi_uy,omitempty"`
	Members   *int  `json:"members,omitempty"`
	Scattered *bool `json:"scattered,omitempty"`
}

// InitiationSubject is what the activity concerns. For an organisation
// (kind ORG): org, and whether it is the initiator's same-level committee
// (derived from org when absent) or that committee's finance office. For a
// member (kind MEMBER): the home chi bộ and the facts that limit who may
// inspect or supervise the member.
type InitiationSubject struct {
	Kind               string  `json:"kind"`
	Org                *OrgRef `json:"org,omitempty"`
	SameLevelCommittee *bool   `json:"same_level_committee,omitempty"`
	// FinanceOffice makes the subject the finance office of org's
	// committee.
	FinanceOffice *bool   `json:"finance_office,omitempty"`
	HomeOrg       *OrgRef `json:"home_org,omitempty"`
	// CommitteeMemberSameLevel: the member sits on the initiator's
	// same-level committee.
	CommitteeMemberSameLevel *bool `json:"committee_member_same_level,omitempty"`
	LeadershipPost           *bool `json:"leadership_post,omitempty"`
	// ManagedByHigher: the member is a cadre managed by a committee above
	// the chi bộ.
	ManagedByHigher *bool `json:"managed_by_higher,omitempty"`
}

// InitiationResult is the result of R20.
type InitiationResult struct {
	Kind ktgs.CaseKind `json:"kind"`
	// Initiator is the acting body, normalised (CAP_UY of TW is BCH_TW).
	Initiator BodyRef `json:"initiator"`
	// Scopes are the subjects the table lets this body start this kind
	// on; empty when it may not start it.
	Scopes []string `json:"scopes"`
	// Relation is how the subject stands to the initiator: OWN_ORG,
	// SAME_LEVEL_FINANCE_OFFICE, LOWER_ORG, OWN_MEMBER,
	// SAME_LEVEL_COMMITTEE_MEMBER, MEMBER_IN_SCOPE or OUTSIDE.
	Relation string `json:"relation"`
	// LevelsBetween is, for an organisation inside the initiator's, how
	// many levels it lies below.
	LevelsBetween *int `json:"levels_between,omitempty"`
}

// initiationInput is a validated InitiationRequest.
type initiationInput struct {
	date      civil.Date
	kind      ktgs.CaseKind
	act       actor
	hasChiUy  bool
	scattered bool
	members   *int
	subject   SubjectKind
	org       *node // ORG
	finance   bool
	home      *node // MEMBER
	sameCM    bool
	post      bool
	higher    bool
}

// is reports whether p is set and true.
func is(p *bool) bool { return p != nil && *p }

// parseInitiation validates req.
func parseInitiation(req *InitiationRequest) (*initiationInput, *validator) {
	v := &validator{rule: "R20"}
	in := &initiationInput{}
	in.date = v.date("date", req.Date, true)
	if v.enum("kind", req.Kind, strs(InitiationKinds), true) {
		in.kind = ktgs.CaseKind(req.Kind)
	}
	idx := newOrgIndex(in.date)
	if ini := req.Initiator; ini == nil {
		v.add("initiator", "rules.err.required")
	} else {
		in.act.kind, in.act.org = idx.body(v, "initiator", &BodyIn{Kind: ini.Kind, Org: ini.Org}, BodyKinds)
		if in.act.org != nil && in.act.kind != BodyBranch {
			for _, f := range []struct {
				name string
				set  bool
			}{{"has_chi_uy", ini.HasChiUy != nil}, {"members", ini.Members != nil}, {"scattered", ini.Scattered != nil}} {
				if f.set {
					v.add("initiator."+f.name, "rules.err.chi_bo_only")
				}
			}
		}
		if ini.Members != nil {
			v.count("initiator.members", *ini.Members, maxCount)
		}
		in.hasChiUy, in.scattered, in.members = is(ini.HasChiUy), is(ini.Scattered), ini.Members
		if in.act.kind == BodyBranch && in.kind == ktgs.CaseKindGSChuyenDe && !in.hasChiUy && !in.scattered && ini.Members == nil {
			v.add("initiator.members", "rules.err.required")
		}
	}
	s := req.Subject
	if s == nil {
		v.add("subject", "rules.err.required")
		return in, v
	}
	kind, ok := v.subjectKind("subject.kind", s.Kind)
	if !ok {
		return in, v
	}
	in.subject = kind
	only := func(key string, fields map[string]bool) {
		for _, name := range []string{"org", "same_level_committee", "finance_office", "home_org",
			"committee_member_same_level", "leadership_post", "managed_by_higher"} {
			if fields[name] {
				v.add("subject."+name, key)
			}
		}
	}
	if kind == SubjectOrg {
		only("rules.err.member_only", map[string]bool{"home_org": s.HomeOrg != nil,
			"committee_member_same_level": s.CommitteeMemberSameLevel != nil,
			"leadership_post":             s.LeadershipPost != nil, "managed_by_higher": s.ManagedByHigher != nil})
		in.org = idx.add(v, "subject.org", s.Org)
		in.finance = is(s.FinanceOffice)
		if in.org != nil && in.act.org != nil && s.SameLevelCommittee != nil && *s.SameLevelCommittee != (in.org == in.act.org) {
			v.add("subject.same_level_committee", "rules.err.same_level_org", in.act.org.id)
		}
		return in, v
	}
	only("rules.err.org_only", map[string]bool{"org": s.Org != nil,
		"same_level_committee": s.SameLevelCommittee != nil, "finance_office": s.FinanceOffice != nil})
	in.home = idx.add(v, "subject.home_org", s.HomeOrg)
	if in.home != nil && !in.home.typ.IsBranch() {
		v.add("subject.home_org.type", "rules.err.home_branch", string(in.home.typ))
		in.home = nil
	}
	in.sameCM, in.post, in.higher = is(s.CommitteeMemberSameLevel), is(s.LeadershipPost), is(s.ManagedByHigher)
	return in, v
}

// evalInitiation decides R20.
func evalInitiation(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[InitiationRequest]("R20", data)
	if err != nil {
		return nil, err
	}
	in, v := parseInitiation(req)
	if err := v.err(); err != nil {
		return nil, err
	}
	if in.act.org == nil || (in.org == nil && in.home == nil) {
		v.add("subject", "rules.err.required") // unreachable: the parse reports the gap
		return nil, v.err()
	}
	b, err := r.newBuilder("R20", SeriesParty, in.date, "date")
	if err != nil {
		return nil, err
	}
	return b.decideInitiation(in)
}

// relateInitiation returns how the subject stands to the initiator and,
// for an organisation inside the initiator's, how many levels below.
func relateInitiation(in *initiationInput) (string, *int) {
	a := in.act.org
	if in.subject == SubjectOrg {
		lv, inside := levelsBetween(a, in.org)
		switch {
		case !inside:
			return RelOutside, nil
		case lv == 0 && in.finance:
			return RelSameLevelFinanceOffice, &lv
		case lv == 0:
			return RelOwnOrg, &lv
		}
		return RelLowerOrg, &lv
	}
	switch {
	case in.home == a:
		return RelOwnMember, nil
	case in.sameCM:
		return RelSameLevelCommitteeMember, nil
	case ancestorOrSelf(a, in.home):
		return RelMemberInScope, nil
	}
	return RelOutside, nil
}

// decideInitiation builds the R20 decision from the initiation table of
// the rule set: the cell of the kind and the initiator's body kind lists
// the subjects it may start the kind on; the subject must be one of them.
func (b *builder) decideInitiation(in *initiationInput) (*Decision, error) {
	rel, lv := relateInitiation(in)
	res := &InitiationResult{Kind: in.kind, Initiator: in.act.ref(), Scopes: []string{}, Relation: rel, LevelsBetween: lv}
	act, kind := in.act.ref(), codeArg{"case_kind", string(in.kind)}
	table := tableBody(in.act.kind)
	if table != in.act.kind {
		b.reason("r20.as_committee", act)
	}
	scopes := b.codes(initiationCell(in.kind, table))
	res.Scopes = append(res.Scopes, scopes...)
	blocked := func(code string, args ...any) (*Decision, error) {
		b.reason(code, args...)
		return b.finish(OutcomeBlocked, res)
	}
	if len(scopes) == 0 {
		return blocked("r20.not_initiator", act, kind)
	}
	b.reason("r20.initiator", act, kind, codeList{"initiation_scope", scopes})
	if in.act.kind == BodyAdvisoryBoard {
		b.reason("r20.on_behalf")
	}
	if in.kind == ktgs.CaseKindGSChuyenDe && table == BodyBranch && !b.chiBoThematic(in) {
		return b.finish(OutcomeBlocked, res)
	}
	has := func(s string) bool { return slices.Contains(scopes, s) }
	a := in.act.org
	switch {
	case in.subject == SubjectOrg && !slices.ContainsFunc(orgScopes, has):
		return blocked("r20.orgs_not_listed", act, kind)
	case in.subject == SubjectMember && !slices.ContainsFunc(memberScopes, has):
		return blocked("r20.members_not_listed", act, kind)
	}
	switch rel {
	case RelOutside:
		if in.home != nil {
			return blocked("r20.outside_member", in.home.arg(), a.arg())
		}
		return blocked("r20.outside", in.org.arg(), a.arg())
	case RelOwnOrg:
		if has(initSameLevelFinanceOffice) {
			return blocked("r20.same_level_finance_only", act, kind, a.arg())
		}
		return blocked("r20.own_org", act, kind, a.arg())
	case RelSameLevelFinanceOffice:
		if !has(initSameLevelFinanceOffice) {
			return blocked("r20.finance_office_not_listed", act, kind)
		}
		b.reason("r20.finance_office", a.arg())
	case RelLowerOrg:
		switch {
		case has(initLowerOrgs):
			b.reason("r20.lower_org", in.org.arg(), *lv)
		case has(initLowerDisciplinaryOrgs):
			if !b.disciplinary(in.org) {
				return b.finish(OutcomeBlocked, res)
			}
			b.reason("r20.lower_org", in.org.arg(), *lv)
		default:
			return blocked("r20.lower_orgs_not_listed", act, kind)
		}
	case RelOwnMember:
		switch {
		case has(initOwnMembers):
			b.reason("r20.own_member", act)
		case in.sameCM && has(initSameLevelCommitteeMembers):
			b.reason("r20.same_level_cm", a.arg())
		case !in.sameCM && has(initMembers):
			b.reason("r20.member_in_scope", in.home.arg(), a.arg())
		default:
			return blocked("r20.members_not_listed", act, kind)
		}
	case RelSameLevelCommitteeMember:
		if !has(initSameLevelCommitteeMembers) {
			return blocked("r20.same_level_cm_not_listed", act, kind, a.arg())
		}
		b.reason("r20.same_level_cm", a.arg())
	case RelMemberInScope:
		if !has(initMembers) {
			return blocked("r20.members_not_listed", act, kind)
		}
		b.reason("r20.member_in_scope", in.home.arg(), a.arg())
	}
	if in.subject == SubjectMember && table == BodyBranch && in.kind.IsSupervision() && (in.post || in.higher) {
		excluded := b.codes(keyInitChiBoExclusions)
		for _, x := range []struct {
			code string
			set  bool
		}{{"LEADERSHIP_POST", in.post}, {"MANAGED_BY_HIGHER", in.higher}} {
			if x.set && slices.Contains(excluded, x.code) {
				return blocked("r20.chi_bo_excluded", codeArg{"chi_bo_exclusion", x.code})
			}
		}
	}
	b.reason("r20.allowed", act, kind)
	return b.finish(OutcomeAllowed, res)
}

// chiBoThematic checks that a chi bộ may carry out thematic supervision:
// it has a chi ủy, more members than initiation.chi_bo.thematic_members,
// or scattered members.
func (b *builder) chiBoThematic(in *initiationInput) bool {
	switch n := b.count(keyInitThematicMembers); {
	case in.hasChiUy:
		b.reason("r20.chi_bo_thematic_chi_uy")
	case in.members != nil && *in.members > n:
		b.reason("r20.chi_bo_thematic_members", *in.members, n)
	case in.scattered:
		b.reason("r20.chi_bo_thematic_scattered")
	default:
		m := 0
		if in.members != nil {
			m = *in.members
		}
		b.reason("r20.chi_bo_thematic_refused", n, m)
		return false
	}
	return true
}

// disciplinary reports whether organisation n has a body with
// disciplinary powers, for the review of how discipline is applied: a tổ
// đảng has none, and a đảng bộ bộ phận none when its đảng ủy bộ phận has
// no forms (authority.dang_uy_bo_phan, M6).
func (b *builder) disciplinary(n *node) bool {
	switch n.typ {
	case ktgs.OrgTypePartyGroup:
	case ktgs.OrgTypeSubCommittee:
		if len(b.forms(keyDangUyBoPhan)) > 0 {
			return true
		}
	default:
		return true
	}
	b.reason("r20.no_disciplinary_power", n.arg(), orgTypeArg(n.typ))
	return false
}
