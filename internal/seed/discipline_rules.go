package seed

// The rule questions of the discipline generator (discipline.go): the
// subject and the bodies as the service builds them from the register
// (app.orgRef, app.memberSubject), asked of the rule sets the service
// asks (R1, R2, R4, R6, R18), with R2's answers cached by the shape of
// the question at the national scale.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/store"
)

// r2ans is a cached R2 answer: the outcome and, for PROPOSE, the competent
// body as its organisation's place on the subject's path and its kind.
type r2ans struct {
	outcome string
	comp    int
	kind    rules.BodyKind
}

// epoch returns the number of rule-value boundaries on or before day.
func (d *dgen) epoch(day civil.Date) int {
	i, found := slices.BinarySearch(d.epochs, day)
	if found {
		i++
	}
	return i
}

// orgRef builds the rules' view of organisation oi on day: its id, type
// and path of ancestors as they stood then (app.orgRef from memory), or
// nil if the tree does not hold it that day.
func (d *dgen) orgRef(oi int32, day civil.Date) *rules.OrgRef {
	v := d.verAt(oi, day)
	if v < 0 {
		return nil
	}
	ref := &rules.OrgRef{ID: d.orgs[oi].id, Type: string(d.vers[v].typ)}
	for _, id := range store.PathIDs(d.vers[v].path) {
		ai, ok := d.orgIdx[id]
		if !ok {
			return nil
		}
		av := d.verAt(ai, day)
		if av < 0 {
			return nil
		}
		ref.Path = append(ref.Path, rules.PathNode{ID: id, Type: string(d.vers[av].typ), Name: d.vers[av].name})
	}
	return ref
}

// subject builds the rules' views of p's subject on day, as the service
// builds them from the register (app.memberSubject): status, home chi
// bộ, posts and committee seats held that day, managing body.
func (d *dgen) subject(p *dproc, day civil.Date) (rules.AuthoritySubject, rules.SubjectIn, bool) {
	if !p.member() {
		ref := d.orgRef(p.org, day)
		if ref == nil {
			return rules.AuthoritySubject{}, rules.SubjectIn{}, false
		}
		return rules.AuthoritySubject{Kind: "ORG", Org: ref}, rules.SubjectIn{Kind: "ORG"}, true
	}
	m := p.mf.m
	sub := rules.AuthoritySubject{Kind: "MEMBER", Status: string(m.StatusOn(day))}
	if sub.HomeOrg = d.orgRef(p.org, day); sub.HomeOrg == nil {
		return sub, rules.SubjectIn{}, false
	}
	holds, cc := false, false
	if p.post != nil && !day.Before(p.post.From) && (p.A == 0 || day.Before(p.A)) {
		holds = true
		sub.Posts = append(sub.Posts, rules.PostIn{Title: p.post.Title, Level: string(p.post.Level)})
	}
	for _, st := range p.mf.seats {
		if day.Before(st.start) || day.After(st.end) {
			continue
		}
		body := string(st.kind)
		switch st.kind {
		case ktgs.BodyBranch:
			body = "CHI_UY"
		case ktgs.BodyInspectionCommission:
			holds = true
			continue
		}
		oi, ok := d.orgIdx[st.org]
		if !ok {
			continue
		}
		ref := d.orgRef(oi, day)
		if ref == nil {
			continue
		}
		holds = true
		if st.orgType == ktgs.OrgTypeCentral && st.kind == ktgs.BodyCommittee {
			cc = true
		}
		sub.CommitteeMemberships = append(sub.CommitteeMemberships, rules.SeatIn{Body: body, Org: ref, Role: string(st.role)})
	}
	sub.HoldsPost, sub.CentralCommitteeMember = &holds, &cc
	if m.Managing.OrgID != 0 && m.Managing.Kind != ktgs.BodyBranch {
		if oi, ok := d.orgIdx[m.Managing.OrgID]; ok {
			if ref := d.orgRef(oi, day); ref != nil {
				if kind, ok := rules.BodyKindOf(m.Managing.Kind, ktgs.OrgType(ref.Type)); ok {
					sub.ManagingBody = &rules.BodyIn{Kind: string(kind), Org: ref}
				}
			}
		}
	}
	return sub, rules.SubjectIn{Kind: "MEMBER", Status: sub.Status, HoldsPost: sub.HoldsPost, CentralCommitteeMember: sub.CentralCommitteeMember}, true
}

// shape is the cache key of an R2 question: what R2 reads of it, with
// organisations named by their place on the subject's path (the acting
// body, the competent bodies it looks for, the seats and the managing
// body all lie on it), or "" when something lies elsewhere.
func shape(epoch int, sub *rules.AuthoritySubject, body *rules.BodyIn, cat, scope, form string) string {
	spine := sub.Org
	if sub.HomeOrg != nil {
		spine = sub.HomeOrg
	}
	idx := func(id int64) int {
		return slices.IndexFunc(spine.Path, func(n rules.PathNode) bool { return n.ID == id })
	}
	act := idx(body.Org.ID)
	if act < 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d|%s|%s|%s|%s|%s@%d|%s|%s", epoch, sub.Kind, form, cat, scope, body.Kind, act, sub.Status, strconv.Itoa(len(sub.Posts)))
	if sub.HoldsPost != nil {
		fmt.Fprintf(&b, "|h%t", *sub.HoldsPost)
	}
	if sub.CentralCommitteeMember != nil {
		fmt.Fprintf(&b, "|c%t", *sub.CentralCommitteeMember)
	}
	for _, n := range spine.Path {
		b.WriteString("/" + n.Type)
	}
	for _, s := range sub.CommitteeMemberships {
		i := idx(s.Org.ID)
		if i < 0 || len(s.Org.Path) != i+1 {
			return ""
		}
		fmt.Fprintf(&b, "|s%s@%d:%s", s.Body, i, s.Role)
	}
	if mb := sub.ManagingBody; mb != nil {
		i := idx(mb.Org.ID)
		if i < 0 || len(mb.Org.Path) != i+1 {
			return ""
		}
		fmt.Fprintf(&b, "|m%s@%d", mb.Kind, i)
	}
	return b.String()
}

// authority asks R2 whether body b may decide form against p's subject on
// day: DECIDE, PROPOSE (with the competent body of the register) or
// NONE. Answers are cached by the question's shape; at the demo and
// province scales every question is asked and must agree with the cache,
// and the decision is returned for the step's history.
func (d *dgen) authority(p *dproc, day civil.Date, b dbody, form ktgs.DisciplineForm) (string, dbody, *rules.Decision, error) {
	bv := d.verAt(b.org, day)
	if bv < 0 {
		return rules.OutcomeNone, dbody{}, nil, nil
	}
	bk, ok := rules.BodyKindOf(b.kind, d.vers[bv].typ)
	if !ok {
		return rules.OutcomeNone, dbody{}, nil, nil
	}
	sub, _, ok := d.subject(p, day)
	if !ok {
		return rules.OutcomeNone, dbody{}, nil, nil
	}
	bodyRef := d.orgRef(b.org, day)
	if bodyRef == nil {
		return rules.OutcomeNone, dbody{}, nil, nil
	}
	scope := ""
	if p.member() {
		scope = "CORE"
	}
	body := &rules.BodyIn{Kind: string(bk), Org: bodyRef}
	key := shape(d.epoch(day), &sub, body, p.category, scope, string(form))
	spine := sub.Org
	if sub.HomeOrg != nil {
		spine = sub.HomeOrg
	}
	toBody := func(a r2ans) (dbody, error) {
		if a.outcome != rules.OutcomePropose {
			return dbody{}, nil
		}
		if a.comp < 0 {
			return dbody{org: -1}, nil
		}
		k, ok := a.kind.Domain()
		oi, found := d.orgIdx[spine.Path[a.comp].ID]
		if !ok || !found {
			return dbody{org: -1}, nil
		}
		return d.bodyOf(oi, k), nil
	}
	cached, hit := d.cache[key]
	if hit && key != "" && d.lean {
		c, err := toBody(cached)
		return cached.outcome, c, nil, err
	}
	js, err := json.Marshal(rules.AuthorityRequest{DecisionDate: day.String(), Subject: &sub, Body: body,
		Violation: &rules.ViolationIn{Category: p.category, Scope: scope}, Form: string(form)})
	if err != nil {
		return "", dbody{}, nil, err
	}
	dec, err := d.reg.Evaluate("R2", js)
	if err != nil {
		// A question the register's facts make invalid: no body may act.
		if e := ktgs.AsError(err); e != nil && e.Code == ktgs.EINVALID {
			return rules.OutcomeNone, dbody{}, nil, nil
		}
		return "", dbody{}, nil, err
	}
	ans := r2ans{outcome: dec.Outcome, comp: -1}
	if res, ok := dec.Result.(*rules.AuthorityResult); ok && res.CompetentBody != nil {
		ans.kind = res.CompetentBody.Kind
		ans.comp = slices.IndexFunc(spine.Path, func(n rules.PathNode) bool { return n.ID == res.CompetentBody.OrgID })
		if ans.comp < 0 {
			key = "" // a competent body off the subject's path: not cached
			if k, ok := res.CompetentBody.Kind.Domain(); ok {
				if oi, found := d.orgIdx[res.CompetentBody.OrgID]; found {
					return dec.Outcome, d.bodyOf(oi, k), dec, nil
				}
			}
		}
	}
	if key != "" {
		if hit && cached != ans {
			return "", dbody{}, nil, fmt.Errorf("seed discipline: R2 answers %+v and %+v to questions of one shape %q", cached, ans, key)
		}
		d.cache[key] = ans
	}
	c, err := toBody(ans)
	return ans.outcome, c, dec, err
}

// ask evaluates rule on req for a step's history (not at the national
// scale, which keeps no rule decisions in the history).
func (d *dgen) ask(rule string, req any) (*rules.Decision, error) {
	if d.lean {
		return nil, nil
	}
	js, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	return d.reg.Evaluate(rule, js)
}

func (p *dproc) addRules(step, rule string, dec *rules.Decision) {
	if dec == nil {
		return
	}
	for i := range p.steps {
		if p.steps[i].name == step {
			p.steps[i].rules[rule] = dec
			return
		}
	}
	p.steps = append(p.steps, dstep{name: step, rules: map[string]*rules.Decision{rule: dec}})
}

// bodySize draws the number of members of a body that votes (or the
// official members of a chi bộ).
func (d *dgen) bodySize(b dbody, day civil.Date) int {
	r := func(a, c int) int { return a + d.r.IntN(c-a+1) }
	if b.kind == ktgs.BodyBranch {
		o := &d.orgs[b.org]
		n := 0
		for i := o.memLo; i < o.memHi && n < 400; i++ {
			x := &d.mems[i]
			if x.flags&memOfficial != 0 && !x.since.After(day) && (x.ended.IsZero() || x.ended.After(day)) {
				n++
			}
		}
		return max(n, 3)
	}
	t := ktgs.OrgTypeGrassrootsCommittee
	if v := d.verAt(b.org, day); v >= 0 {
		t = d.vers[v].typ
	}
	switch b.kind {
	case ktgs.BodyPolitburo:
		return r(16, 18)
	case ktgs.BodySecretariat:
		return r(9, 11)
	case ktgs.BodyInspectionCommission:
		switch t {
		case ktgs.OrgTypeCentral:
			return r(19, 25)
		case ktgs.OrgTypeDirectlyUnderCC:
			return r(9, 13)
		case ktgs.OrgTypeGrassrootsCommittee:
			return r(3, 5)
		}
		return r(5, 7)
	case ktgs.BodyStandingCommittee:
		switch t {
		case ktgs.OrgTypeDirectlyUnderCC:
			return r(13, 17)
		case ktgs.OrgTypeGrassrootsCommittee:
			return r(3, 7)
		}
		return r(9, 11)
	}
	switch t {
	case ktgs.OrgTypeCentral:
		return r(180, 200)
	case ktgs.OrgTypeDirectlyUnderCC:
		return r(45, 61)
	case ktgs.OrgTypeGrassrootsCommittee:
		return r(9, 15)
	}
	return r(27, 33)
}

// ballot draws the secret-ballot tally of body b on day for form (by
// purpose DECIDE or PROPOSE): the form reaches its threshold, heavier
// forms get no vote, the rest go to a lighter form or to no discipline.
// A failed ballot gives no form its threshold. The tally is R4's: at the
// demo and province scales R4 is asked and must adopt the form.
func (d *dgen) ballot(p *dproc, b dbody, day civil.Date, purpose string, form ktgs.DisciplineForm, fail bool) (ktgs.Vote, error) {
	official := d.bodySize(b, day)
	v := ktgs.Vote{BodyID: b.id, HeldOn: day, Purpose: purpose, Official: official, Votes: map[string]int{}}
	if b.kind == ktgs.BodyBranch && p.member() {
		o := &d.orgs[b.org]
		if n := int(o.memHi-o.memLo) - official; n > 0 {
			v.Probationary = d.r.IntN(min(n, 3) + 1)
		}
	}
	v.AbsentOther = d.r.IntN(official/6 + 1)
	present := official - v.AbsentOther
	need := official/2 + 1
	if (form == ktgs.FormExpulsion || form == ktgs.FormDissolution) && purpose == "PROPOSE" {
		need = (2*official + 2) / 3
	}
	if present < need {
		v.AbsentOther, present = 0, official
	}
	k := need + d.r.IntN(present-need+1)
	if fail {
		// Some votes for the form (a ballot of no votes for any form is
		// not a tally R4 takes), too few to reach even the majority the
		// lightest form needs once cumulated.
		maj := official/2 + 1
		k = max(1, maj-1-d.r.IntN(min(3, maj)))
	}
	v.Votes[string(form)] = k
	rest := present - k
	if l := lighter(form); l != "" && !fail && rest > 0 {
		n := d.r.IntN(rest + 1)
		if n > 0 {
			v.Votes[string(l)] = n
		}
		rest -= n
	}
	if rest > 0 {
		v.Votes["NONE"] = rest
	}
	v.Denominator = official
	v.Outcome = "PASSED"
	v.AdoptedForm = form
	if fail {
		v.Outcome, v.AdoptedForm = "FAILED", ""
	}
	if !d.lean {
		_, ladder, _ := d.subject(p, day)
		votes := map[string]int{}
		for f, n := range v.Votes {
			if f != "NONE" && n > 0 {
				votes[f] = n
			}
		}
		voters := "OFFICIAL_MEMBERS"
		if b.kind != ktgs.BodyBranch {
			voters = "BODY_MEMBERS"
		}
		meeting := &rules.MeetingIn{Voters: voters, Official: &official, AbsentOther: v.AbsentOther}
		if voters == "OFFICIAL_MEMBERS" {
			meeting.Probationary = v.Probationary
		}
		secret := true
		dec, err := d.ask("R4", rules.BallotRequest{DecisionDate: day.String(), Subject: &ladder, Purpose: purpose, Meeting: meeting,
			Ballot: &rules.BallotIn{Secret: &secret, Votes: votes}})
		if err != nil {
			return v, fmt.Errorf("seed discipline: R4: %w", err)
		}
		res, _ := dec.Result.(*rules.BallotResult)
		if res == nil || dec.Outcome != v.Outcome || res.AdoptedForm != rules.Form(v.AdoptedForm) {
			return v, fmt.Errorf("seed discipline: R4 answers %s %v to a tally drawn for %s %s", dec.Outcome, res, form, v.Outcome)
		}
		v.Denominator = res.Denominator
		step := ktgs.StepVote
		if len(p.votes) > 0 {
			step = "vote2"
		}
		p.addRules(step, "R4", dec)
	}
	return v, nil
}

// noticeRule asks R18 for the notice's deadline (cached by kind and state
// decision day at the national scale) and whether it came late.
func (d *dgen) noticeRule(p *dproc) error {
	n := &p.notice
	key := string(p.origin) + n.decided.String()
	if due, ok := d.notices[key]; ok && d.lean {
		n.due, n.late = due, n.received.After(due)
		return nil
	}
	js, err := json.Marshal(rules.NotificationRequest{Kind: string(p.origin), DecisionDate: n.decided.String(), NotifiedOn: n.received.String()})
	if err != nil {
		return err
	}
	dec, err := d.reg.Evaluate("R18", js)
	if err != nil {
		return fmt.Errorf("seed discipline: R18: %w", err)
	}
	if r, ok := dec.Result.(*rules.NotificationResult); ok {
		n.due = r.Deadline
	}
	n.late = dec.Outcome == "LATE"
	d.notices[key] = n.due
	if !d.lean {
		p.addRules(ktgs.StepOpen, "R18", dec)
	}
	return nil
}
