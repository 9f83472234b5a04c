package rules

import "slices"

// relations is how a member stands to an acting organisation
// (RULES.md §3.4.1 Encoding).
type relations struct {
	inScope        bool // the member's chi bộ lies in the organisation
	memberOfBranch bool // the organisation is the member's chi bộ
	sameLevelCM    bool // sits on the organisation's own committee
	directLowerCM  bool // sits on a committee one level down
	deeperLowerCM  bool // sits on a committee two or more levels down
	higherCM       bool // sits on a committee above the organisation
	sameManaged    bool // cadre managed by the organisation's committee or BTV
	higherManaged  bool // cadre managed by a committee above
	cc             bool // Central Committee member
	severalSeats   bool // sits on two or more committees
}

// relate computes the relations of m to organisation a.
func relate(m *memberFacts, a *node) relations {
	r := relations{cc: m.cc, severalSeats: len(m.seats) >= 2}
	if m.home == nil {
		return r
	}
	r.inScope = ancestorOrSelf(a, m.home)
	r.memberOfBranch = a == m.home
	for _, s := range m.seats {
		switch lv, below := levelsBetween(a, s.org); {
		case below && lv == 0:
			r.sameLevelCM = true
		case below && lv == 1:
			r.directLowerCM = true
		case below:
			r.deeperLowerCM = true
		case isAncestor(s.org, a):
			r.higherCM = true
		}
	}
	if m.managing != nil {
		r.sameManaged = m.managing == a
		r.higherManaged = isAncestor(m.managing, a)
	}
	return r
}

// codes lists the relations for the result, most restrictive first.
func (r relations) codes() []string {
	out := []string{}
	add := func(ok bool, code string) {
		if ok {
			out = append(out, code)
		}
	}
	add(!r.inScope, "OUT_OF_SCOPE")
	add(r.memberOfBranch, "MEMBER_OF_ACTING_CHI_BO")
	add(r.cc, "CENTRAL_COMMITTEE_MEMBER")
	add(r.higherCM, "HIGHER_COMMITTEE_MEMBER")
	add(r.sameLevelCM, "SAME_LEVEL_COMMITTEE_MEMBER")
	add(r.higherManaged, "HIGHER_MANAGED_CADRE")
	add(r.sameManaged, "SAME_LEVEL_MANAGED_CADRE")
	add(r.directLowerCM, "DIRECT_LOWER_COMMITTEE_MEMBER")
	add(r.deeperLowerCM, "DEEPER_LOWER_COMMITTEE_MEMBER")
	add(r.severalSeats, "SEVERAL_COMMITTEES")
	if len(out) == 0 || (len(out) == 1 && r.memberOfBranch) {
		out = append(out, "ORDINARY_MEMBER")
	}
	return out
}

// limited reports whether f is a reprimand or a warning.
func limited(f Form) bool { return f == FormReprimand || f == FormWarning }

// member decides whether act may discipline member m with form f for a
// violation of scope; removal is the seat organisation a removal concerns.
// Exclusions are evaluated first and the most restrictive relation wins.
func (j *judge) member(m *memberFacts, act actor, f Form, scope Scope, removal *node) string {
	rel := relate(m, act.org)
	switch act.kind {
	case BodyPartyDelegation, BodyAdvisoryBoard:
		return j.none(keyAdvisory, "r2.advisory", act.kind)
	case BodyBranchCommittee:
		return j.none(keyChiUy, "r2.chi_uy")
	case BodySubCommittee:
		return j.none(keyDangUyBoPhan, "r2.dang_uy_bo_phan")
	}
	if m.probationary && f == FormExpulsion {
		return j.none(keyFormsProbationary, "r2.probationary_no_expulsion")
	}
	if !rel.inScope {
		return j.none("", "r2.out_of_scope", act.ref())
	}
	if rel.cc && (f == FormRemoval || f == FormExpulsion) {
		if act.kind == BodyCentralCommittee {
			return j.decide(keyCentralCommittee, "r2.central_decide_cc", f)
		}
		j.designated = &actor{kind: BodyCentralCommittee, org: rootOf(act.org)}
		return j.propose(keyCentralCommittee, "r2.cc_only_central", f)
	}
	if out, ok := j.severalCommittees(m, rel, act, f, removal); ok {
		return out
	}
	switch act.kind {
	case BodyBranch:
		return j.chiBo(rel, f, scope)
	case BodyCentralCommittee:
		if slices.Contains(j.forms(keyCentralCommittee), f) {
			return j.decide(keyCentralCommittee, "r2.central_decide", f)
		}
		return j.none(keyCentralCommittee, "r2.form_not_listed", f)
	case BodyPolitburo, BodySecretariat:
		return j.politburo(rel, f, scope)
	}
	switch j.tierOf(act.org) {
	case tierGrassroots:
		return j.grassroots(m, rel, act, f, scope, removal)
	case tierUpper, tierProvincial:
		return j.upper(rel, act, f, scope)
	case tierCentral:
		return j.inspection(rel, keyCentralInspection, f)
	}
	return j.none("", "r2.no_power", act.ref())
}

// severalCommittees applies QĐ 296 Art. 13 (M13) to a member who sits on
// two or more committees and is not a Central Committee member: removal
// from the highest seat, or expulsion, is decided only by the standing
// committee directly above the highest committee (the Politburo or the
// Secretariat when that is the Central Committee); removal from a lower
// seat only by the standing committee of the managing committee. The
// Central Committee keeps every form. It reports false when the rule does
// not apply.
func (j *judge) severalCommittees(m *memberFacts, rel relations, act actor, f Form, removal *node) (string, bool) {
	h := m.highest()
	if !rel.severalSeats || rel.cc || h == nil || !j.peekFlag(keySeveralCommittees) {
		return "", false
	}
	var owner *node // the organisation whose standing body decides
	code := "r2.several_highest"
	switch {
	case f == FormExpulsion || (f == FormRemoval && removal == h.org):
		owner = h.org.parent
	case f == FormRemoval && m.managing != nil:
		owner, code = m.managing, "r2.several_lower_seat"
	default:
		return "", false
	}
	if owner == nil {
		return "", false
	}
	allowed := act.kind == BodyCentralCommittee ||
		(act.org == owner && (act.kind == BodyStandingCommittee ||
			(owner.parent == nil && (act.kind == BodyPolitburo || act.kind == BodySecretariat))))
	standing := BodyStandingCommittee
	if owner.parent == nil {
		standing = BodyPolitburo
	}
	if allowed {
		return j.decide(keySeveralCommittees, code+"_decide", f, owner.ref(standing)), true
	}
	j.designated = &actor{kind: standing, org: owner}
	return j.propose(keySeveralCommittees, code+"_propose", f, owner.ref(standing)), true
}

// chiBo applies M1–M3 to a chi bộ.
func (j *judge) chiBo(rel relations, f Form, scope Scope) string {
	if !rel.memberOfBranch {
		return j.none(keyChiBo, "r2.chi_bo_not_member")
	}
	forms := j.forms(keyChiBo)
	if !slices.Contains(forms, f) {
		return j.propose(keyChiBo, "r2.chi_bo_beyond", f, formList(forms))
	}
	if scope != ScopeCore {
		return j.propose(keyChiBoHigherTask, "r2.chi_bo_higher_task", scopeArg(scope))
	}
	if rel.sameLevelCM || rel.higherCM || rel.directLowerCM || rel.deeperLowerCM || rel.sameManaged || rel.higherManaged {
		return j.decide(keyChiBo, "r2.chi_bo_decide_cadre", f)
	}
	return j.decide(keyChiBo, "r2.chi_bo_decide", f)
}

// grassroots applies M7–M9 to the committee, standing committee and UBKT
// of a đảng ủy cơ sở.
func (j *judge) grassroots(m *memberFacts, rel relations, act actor, f Form, scope Scope, removal *node) string {
	excluded := rel.sameLevelCM || rel.higherCM || rel.higherManaged || rel.cc
	switch act.kind {
	case BodyCommittee:
		switch {
		case limited(f):
			if (rel.higherCM || rel.higherManaged || rel.cc) && scope != ScopeCore && j.flag(keyReadGrassHigherTask) {
				return j.propose(keyReadGrassHigherTask, "r2.grass_higher_task", scopeArg(scope))
			}
			if slices.Contains(j.forms(keyGrassCommittee), f) {
				return j.decide(keyGrassCommittee, "r2.grass_committee_decide", f)
			}
			return j.propose(keyGrassCommittee, "r2.form_not_listed", f)
		case f == FormRemoval:
			if removal != nil && isAncestor(act.org, removal) && j.flag(keyGrassRemovalLower) {
				return j.decide(keyGrassRemovalLower, "r2.grass_removal_lower", removal.ref(BodyCommittee))
			}
			return j.propose(keyGrassRemovalLower, "r2.grass_removal_not_lower")
		case f == FormExpulsion:
			if !j.flag(keyGrassExpulsion) {
				return j.propose(keyGrassExpulsion, "r2.form_not_listed", f)
			}
			if !act.org.mayAdmit {
				return j.propose(keyGrassExpulsion, "r2.grass_not_authorised")
			}
			if excluded {
				return j.propose(keyGrassExpulsion, "r2.grass_expel_excluded")
			}
			return j.decide(keyGrassExpulsion, "r2.grass_expel_decide")
		}
	case BodyStandingCommittee, BodyInspectionCommission:
		key := keyGrassStanding
		if act.kind == BodyInspectionCommission {
			key = keyGrassInspection
		}
		forms := j.forms(key)
		switch {
		case len(forms) == 0:
			return j.none(key, "r2.grass_body_no_power", act.kind)
		case !slices.Contains(forms, f):
			return j.propose(key, "r2.body_beyond", act.kind, f, formList(forms))
		case excluded:
			return j.propose(key, "r2.grass_body_excluded", act.kind)
		}
		return j.decide(key, "r2.grass_body_decide", act.kind, f)
	}
	return j.none("", "r2.no_power", act.ref())
}

// upper applies M10–M12 to the committee, standing committee and UBKT of
// the district level and equivalent (after 2025: upper-grassroots and the
// commune đảng ủy, per the rule set) and of the provincial level.
func (j *judge) upper(rel relations, act actor, f Form, scope Scope) string {
	higher := rel.higherCM || rel.higherManaged || rel.cc
	switch act.kind {
	case BodyCommittee:
		if !slices.Contains(j.forms(keyUpperCommittee), f) {
			return j.propose(keyUpperCommittee, "r2.form_not_listed", f)
		}
		switch {
		case rel.sameLevelCM:
			if limited(f) && (scope == ScopeCore || scope == ScopeCommitteeAssignedTask) {
				return j.decide(keyUpperCommittee, "r2.upper_same_level_limited", f)
			}
			return j.propose(keyUpperCommittee, "r2.upper_committee_same_level", f)
		case higher:
			if limited(f) && scope == ScopeCore {
				return j.decide(keyUpperCommittee, "r2.upper_higher_core", f)
			}
			return j.propose(keyUpperCommittee, "r2.upper_higher_excluded", f)
		}
		return j.decide(keyUpperCommittee, "r2.upper_decide", act.kind, f)
	case BodyStandingCommittee:
		if !slices.Contains(j.forms(keyUpperStanding), f) {
			return j.propose(keyUpperStanding, "r2.form_not_listed", f)
		}
		switch {
		case rel.sameLevelCM || rel.higherCM || rel.cc:
			if limited(f) && scope == ScopeCore {
				return j.decide(keyUpperStanding, "r2.upper_committee_members_core", f)
			}
			return j.propose(keyUpperStanding, "r2.upper_standing_members_excluded", f)
		case rel.higherManaged:
			if limited(f) && (scope == ScopeCore || scope == ScopeProfessionalTask) {
				return j.decide(keyUpperStanding, "r2.upper_standing_higher_managed", f)
			}
			return j.propose(keyUpperStanding, "r2.upper_higher_excluded", f)
		}
		return j.decide(keyUpperStanding, "r2.upper_decide", act.kind, f)
	case BodyInspectionCommission:
		return j.inspection(rel, keyUpperInspection, f)
	}
	return j.none("", "r2.no_power", act.ref())
}

// inspection applies M12 (M16 at the centre, key keyCentralInspection):
// all forms for members who are not same-level committee members; only
// reprimand and warning for cadres managed by the same-level committee and
// members of the directly-lower committee.
func (j *judge) inspection(rel relations, key string, f Form) string {
	forms := j.forms(key)
	if !slices.Contains(forms, f) {
		return j.propose(key, "r2.form_not_listed", f)
	}
	lim := j.forms(keyUpperInspLimited)
	switch {
	case rel.sameLevelCM || rel.higherCM:
		return j.propose(key, "r2.ubkt_same_level")
	case rel.sameManaged || rel.directLowerCM:
		if slices.Contains(lim, f) {
			return j.decide(key, "r2.ubkt_limited_decide", f)
		}
		return j.propose(key, "r2.ubkt_limited_beyond", f, formList(lim))
	case rel.higherManaged:
		j.flag(keyReadHigherManaged)
		if slices.Contains(lim, f) {
			return j.decide(key, "r2.ubkt_higher_managed_decide", f)
		}
		return j.propose(key, "r2.ubkt_higher_managed_beyond", f, formList(lim))
	case rel.deeperLowerCM && !slices.Contains(lim, f):
		if j.flag(keyReadDeeperLower) {
			return j.decide(key, "r2.ubkt_deeper_lower", f)
		}
		return j.propose(keyReadDeeperLower, "r2.ubkt_limited_beyond", f, formList(lim))
	}
	return j.decide(key, "r2.ubkt_decide", f)
}

// politburo applies M14 to the Politburo and the Secretariat.
func (j *judge) politburo(rel relations, f Form, scope Scope) string {
	if rel.cc {
		if slices.Contains(j.forms(keyPolitburoCC), f) && scope == ScopeCore {
			return j.decide(keyPolitburoCC, "r2.politburo_cc_decide", f)
		}
		return j.propose(keyPolitburoCC, "r2.politburo_cc_propose", f)
	}
	if slices.Contains(j.forms(keyPolitburo), f) {
		return j.decide(keyPolitburo, "r2.politburo_decide", f)
	}
	return j.propose(keyPolitburo, "r2.form_not_listed", f)
}
