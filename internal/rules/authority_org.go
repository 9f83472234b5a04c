package rules

import "slices"

// org decides whether act may discipline organisation s with form f
// (RULES.md §3.4.2, O1–O8).
func (j *judge) org(s *node, act actor, f Form) string {
	switch act.kind {
	case BodyPartyDelegation, BodyAdvisoryBoard:
		return j.none(keyAdvisory, "r2.advisory", act.kind)
	case BodyBranch, BodyBranchCommittee, BodySubCommittee:
		return j.none(keyOrgLowerBodies, "r2.org_lower_bodies", act.kind)
	}
	lv, ok := levelsBetween(act.org, s)
	if !ok || lv < 1 {
		return j.none(keyOrgDirectCommittee, "r2.org_out_of_line", act.ref())
	}
	j.say("r2.org_levels", lv)
	if f == FormDissolution {
		if act.kind != BodyCommittee && act.kind != BodyCentralCommittee {
			return j.none(keyOrgDissolution, "r2.org_dissolution_committee_only", act.kind)
		}
		switch {
		case lv == 1 && act.org.parent == nil:
			if j.flag(keyOrgCentralDissolution) {
				return j.decide(keyOrgCentralDissolution, "r2.org_dissolve_central")
			}
			return j.none(keyOrgCentralDissolution, "r2.org_dissolve_central_unknown")
		case lv == 1:
			j.get(keyBallotDissolvPropose)
			return j.propose(keyOrgDissolution, "r2.org_dissolve_propose")
		case lv == 2 && j.flag(keyOrgDissolution):
			return j.decide(keyOrgDissolution, "r2.org_dissolve_decide")
		}
		return j.none(keyOrgDissolution, "r2.org_dissolve_too_far")
	}
	higher := func(forms []Form) string {
		if slices.Contains(forms, f) && j.flag(keyReadOrgHigher) {
			return j.decide(keyReadOrgHigher, "r2.org_higher", act.kind, f)
		}
		return j.propose(keyReadOrgHigher, "r2.form_not_listed", f)
	}
	switch act.kind {
	case BodyCommittee, BodyCentralCommittee:
		forms := j.forms(keyOrgDirectCommittee)
		if lv > 1 {
			return higher(forms)
		}
		if slices.Contains(forms, f) {
			return j.decide(keyOrgDirectCommittee, "r2.org_direct_committee", f)
		}
	case BodyStandingCommittee:
		forms := j.forms(keyOrgDirectStanding)
		switch {
		case len(forms) == 0:
			return j.none(keyOrgDirectStanding, "r2.org_body_no_power", act.kind)
		case lv > 1:
			return higher(forms)
		case slices.Contains(forms, f):
			return j.decide(keyOrgDirectStanding, "r2.org_direct_standing", f)
		}
	case BodyInspectionCommission:
		forms := j.forms(keyOrgInspection)
		switch {
		case len(forms) == 0:
			return j.none(keyOrgInspection, "r2.org_body_no_power", act.kind)
		case !slices.Contains(forms, f):
		case lv == 1:
			return j.propose(keyReadOrgInspLevels, "r2.org_ubkt_direct")
		case lv == 2:
			return j.decide(keyOrgInspection, "r2.org_ubkt_two_levels", f)
		case j.flag(keyReadOrgInspLevels):
			return j.decide(keyOrgInspection, "r2.org_ubkt_deeper", f)
		default:
			return j.propose(keyReadOrgInspLevels, "r2.org_ubkt_direct")
		}
	case BodyPolitburo, BodySecretariat:
		forms := j.forms(keyOrgCentralBodies)
		if lv > 1 {
			return higher(forms)
		}
		if slices.Contains(forms, f) {
			return j.decide(keyOrgCentralBodies, "r2.org_central_bodies", f)
		}
	}
	return j.propose("", "r2.form_not_listed", f)
}

// verdict evaluates act for the request.
func (j *judge) verdict(in *authorityInput, act actor) string {
	if in.member != nil {
		return j.member(in.member, act, in.form, in.scope, in.removal)
	}
	return j.org(in.org, act, in.form)
}

// candidates lists the bodies above act, walking up its organisation's
// path: first the bodies of its own organisation ranked above it, then
// every body of each ancestor, lowest first (UBKT, BTV, CAP_UY; at the
// centre UBKTTW, BBT, BCT, BCH TW). Bodies without disciplinary power are
// skipped. When a rule names the deciding body (QĐ 296 Art. 13, or the
// Central Committee for its own members) that body is tried first, even
// if it lies below the acting body.
func candidates(act actor) []actor {
	var out []actor
	add := func(n *node, from int) {
		for i, k := range bodiesOf(n.typ) {
			if i <= from || k == BodyPartyDelegation || k == BodyAdvisoryBoard {
				continue
			}
			out = append(out, actor{kind: k, org: n})
		}
	}
	add(act.org, act.kind.rank(act.org.typ))
	for p := act.org.parent; p != nil; p = p.parent {
		add(p, -1)
	}
	return out
}

// decideAuthority builds the R2 decision.
func (b *builder) decideAuthority(in *authorityInput) (*Decision, error) {
	res := &AuthorityResult{Body: in.act.ref(), Form: in.form, Duties: []Duty{}}
	if in.member != nil {
		res.Relations = relate(in.member, in.act.org).codes()
	} else {
		res.Relations = []string{}
		if lv, ok := levelsBetween(in.act.org, in.org); ok {
			res.LevelsBetween = &lv
		}
	}
	j := b.newJudge()
	outcome := j.verdict(in, in.act)
	b.commit(j)
	switch outcome {
	case OutcomePropose:
		cands := candidates(in.act)
		if j.designated != nil {
			cands = append([]actor{*j.designated}, cands...)
		}
		for _, c := range cands {
			cj := b.newJudge()
			if cj.verdict(in, c) == OutcomeDecide && !cj.missing {
				ref := c.ref()
				res.CompetentBody = &ref
				for _, k := range cj.keys {
					b.value(k)
				}
				b.reason("r2.competent", ref)
				break
			}
		}
		if res.CompetentBody == nil {
			b.reason("r2.no_competent")
		}
	case OutcomeDecide:
		res.Duties = b.duties(in)
	}
	if outcome != OutcomeNone {
		res.VoteThreshold = b.threshold(in, outcome)
	}
	return b.finish(outcome, res)
}

// threshold returns the ballot threshold of the decision or proposal.
func (b *builder) threshold(in *authorityInput, outcome string) *VoteThreshold {
	of := "BODY_MEMBERS"
	if in.act.kind == BodyBranch {
		of = "OFFICIAL_MEMBERS"
	}
	key := keyBallotMajority
	switch {
	case in.form == FormExpulsion && outcome == OutcomePropose:
		key = keyBallotExpelPropose
	case in.form == FormExpulsion:
		key = keyBallotExpelDecide
	case in.form == FormDissolution && outcome == OutcomePropose:
		key = keyBallotDissolvPropose
	}
	r := b.ratio(key)
	b.reason("r2.threshold", r, codeArg{"voters", of})
	return &VoteThreshold{Ratio: r, Of: of}
}

// duties returns the reports a DECIDE outcome creates: for a chi bộ that
// disciplines a committee member or a managed cadre, every committee the
// member sits on, the managing body and its UBKT (M1); for every body
// below the centre, the directly-higher committee and UBKT, and each
// committee the member sits on (Charter Art. 39.4); for a dissolution,
// the committee directly above the deciding one and UBKTTW (Art. 37.2).
func (b *builder) duties(in *authorityInput) []Duty {
	var out []Duty
	act := in.act
	add := func(to BodyRef, key, code string, args ...any) {
		if to.OrgID == act.org.id {
			return // the acting organisation's own bodies
		}
		for _, d := range out {
			if d.To.Kind == to.Kind && d.To.OrgID == to.OrgID {
				return
			}
		}
		out = append(out, Duty{To: to, Reason: newReason(code, append([]any{to}, args...)...), Citation: b.citation(key)})
	}
	seatBody := func(n *node) BodyRef {
		if n.typ.IsBranch() {
			return n.ref(BodyBranchCommittee)
		}
		return n.ref(BodyCommittee)
	}
	m := in.member
	if in.form == FormDissolution {
		if p := act.org.parent; p != nil {
			add(p.ref(BodyCommittee), keyOrgDissolution, "r2.duty_dissolution_higher")
		}
		if root := rootOf(act.org); root != nil {
			add(root.ref(BodyInspectionCommission), keyOrgDissolution, "r2.duty_dissolution_ubkttw")
		}
		return out
	}
	if m != nil && act.kind == BodyBranch && (len(m.seats) > 0 || m.managing != nil) && b.flag(keyReportMemberBodies) {
		for _, s := range m.seats {
			add(seatBody(s.org), keyReportMemberBodies, "r2.duty_member_committee")
		}
		if m.managing != nil {
			add(m.managing.ref(m.managingKind), keyReportMemberBodies, "r2.duty_managing")
			if u := m.managing; BodyInspectionCommission.ValidFor(u.typ) {
				add(u.ref(BodyInspectionCommission), keyReportMemberBodies, "r2.duty_managing_ubkt")
			}
		}
	}
	if act.org.parent != nil && b.flag(keyReportHigherLevel) {
		p := act.org.parent
		add(seatBody(p), keyReportHigherLevel, "r2.duty_higher_committee")
		if u := ubktAtOrAbove(p); u != nil {
			add(u.ref(BodyInspectionCommission), keyReportHigherLevel, "r2.duty_higher_ubkt")
		}
		if m != nil {
			for _, s := range m.seats {
				add(seatBody(s.org), keyReportHigherLevel, "r2.duty_member_committee")
			}
		}
	}
	return out
}

// rootOf returns the root of n's path.
func rootOf(n *node) *node {
	for n != nil && n.parent != nil {
		n = n.parent
	}
	return n
}

// ubktAtOrAbove returns n or its nearest ancestor that has a UBKT.
func ubktAtOrAbove(n *node) *node {
	for p := n; p != nil; p = p.parent {
		if p.typ.HasInspectionCommission() {
			return p
		}
	}
	return nil
}
