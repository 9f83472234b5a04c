package rules

import (
	"slices"
	"strconv"

	"ktgs/internal/civil"
)

// ComplaintFilingRequest is the request of R10 (complaint-filing): is a
// complaint about a discipline decision accepted? filed_on chooses the
// rule set. The boolean facts are the not-accepted grounds of RULES.md §4.
type ComplaintFilingRequest struct {
	// AnnouncedOn is when the decision was announced (the deadline runs
	// from it); FiledOn the postmark or the date of direct filing.
	AnnouncedOn string `json:"announced_on"`
	FiledOn     string `json:"filed_on"`
	// ReceivedDecisionOn is when the written decision was received; a
	// complaint filed before it is not accepted.
	ReceivedDecisionOn    string `json:"received_decision_on,omitempty"`
	BeingResolvedByHigher bool   `json:"being_resolved_by_higher,omitempty"`
	ConcludedByHighest    bool   `json:"concluded_by_highest,omitempty"`
	// CourtSentence: sentenced to non-custodial reform or heavier, the
	// judgment not annulled.
	CourtSentence   bool `json:"court_sentence,omitempty"`
	OnBehalf        bool `json:"on_behalf,omitempty"`
	RefusedDecision bool `json:"refused_decision,omitempty"`
	// MovedOut: official membership moved outside the same directly-higher
	// đảng bộ before filing.
	MovedOut bool `json:"moved_out,omitempty"`
}

// ComplaintFilingResult is the result of R10.
type ComplaintFilingResult struct {
	Deadline civil.Date `json:"deadline"`
	// Day is the number of days from the announcement to the filing.
	Day int `json:"day"`
	// Grounds lists the not-accepted grounds that apply.
	Grounds []string `json:"grounds"`
}

// evalComplaintFiling decides R10.
func evalComplaintFiling(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[ComplaintFilingRequest]("R10", data)
	if err != nil {
		return nil, err
	}
	v := &validator{rule: "R10"}
	ann := v.date("announced_on", req.AnnouncedOn, true)
	filed := v.date("filed_on", req.FiledOn, true)
	recv := v.date("received_decision_on", req.ReceivedDecisionOn, false)
	v.order("announced_on", ann, "received_decision_on", recv)
	if err := v.err(); err != nil {
		return nil, err
	}
	b, err := r.newBuilder("R10", SeriesParty, filed, "filed_on")
	if err != nil {
		return nil, err
	}
	p := b.duration(keyComplaintDeadline)
	res := &ComplaintFilingResult{Deadline: b.add(ann, p), Day: filed.Sub(ann), Grounds: []string{}}
	b.reason("r10.deadline", p, ann, res.Deadline)
	listed := b.codes(keyComplaintGrounds)
	facts := map[string]bool{
		"LATE":                      filed.After(res.Deadline),
		"BEING_RESOLVED_BY_HIGHER":  req.BeingResolvedByHigher,
		"CONCLUDED_BY_HIGHEST":      req.ConcludedByHighest,
		"COURT_SENTENCE":            req.CourtSentence,
		"ON_BEHALF":                 req.OnBehalf,
		"BEFORE_RECEIVING_DECISION": filed.Before(ann) || (recv != 0 && filed.Before(recv)),
		"REFUSED_DECISION":          req.RefusedDecision,
		"MOVED_OUT":                 req.MovedOut,
	}
	for _, g := range complaintGrounds {
		if facts[g] && slices.Contains(listed, g) {
			res.Grounds = append(res.Grounds, g)
			b.reason("r10.ground", codeArg{"complaint_ground", g})
		}
	}
	if facts["LATE"] {
		b.reason("r10.late", res.Day, res.Deadline)
	}
	if len(res.Grounds) > 0 {
		return b.finish("NOT_ACCEPTED", res)
	}
	b.reason("r10.accepted", res.Day)
	return b.finish("ACCEPTED", res)
}

// ComplaintLevelRequest is the request of R11 (complaint-final-level):
// which body resolves complaints about a discipline decision at the final
// level, and may a complaint go up to escalate_to? decision_date (of the
// discipline decision) chooses the rule set.
type ComplaintLevelRequest struct {
	DecisionDate string  `json:"decision_date"`
	Form         string  `json:"form"`
	DecidingBody *BodyIn `json:"deciding_body"`
	// ResolvedBy lists the bodies that already resolved complaints about
	// the decision, lowest first.
	ResolvedBy []BodyIn `json:"resolved_by,omitempty"`
	EscalateTo *BodyIn  `json:"escalate_to,omitempty"`
	// ReceivedOn, when given, is the day the resolver received the
	// complaint; the result then says by when it must be resolved.
	ReceivedOn string `json:"received_on,omitempty"`
}

// ComplaintLevelResult is the result of R11.
type ComplaintLevelResult struct {
	FinalLevel BodyRef `json:"final_level"`
	// FirstResolver is the body that resolves a first complaint.
	FirstResolver *BodyRef `json:"first_resolver,omitempty"`
	EscalateTo    *BodyRef `json:"escalate_to,omitempty"`
	// ResolveWithin and ResolveBy are the time limit to resolve the
	// complaint before its resolver (the first resolver, or the level
	// escalated to) and its last day, counted from received_on, when the
	// rule set has such a limit.
	ResolveWithin *Duration  `json:"resolve_within,omitempty"`
	ResolveBy     civil.Date `json:"resolve_by,omitempty"`
}

// above reports whether body a ranks above body c: its organisation is an
// ancestor, or the same organisation with a higher body.
func above(a, c actor) bool {
	if a.org == c.org {
		return a.kind.rank(a.org.typ) > c.kind.rank(c.org.typ)
	}
	return isAncestor(a.org, c.org)
}

// resolverKinds are the bodies that resolve complaints.
var resolverKinds = []BodyKind{BodyInspectionCommission, BodyStandingCommittee, BodyCommittee,
	BodyPolitburo, BodySecretariat, BodyCentralCommittee}

// evalComplaintLevel decides R11.
func evalComplaintLevel(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[ComplaintLevelRequest]("R11", data)
	if err != nil {
		return nil, err
	}
	v := &validator{rule: "R11"}
	date := v.date("decision_date", req.DecisionDate, true)
	received := v.date("received_on", req.ReceivedOn, false)
	v.order("decision_date", date, "received_on", received)
	form, _ := v.form("form", req.Form, true)
	idx := newOrgIndex(date)
	var dec actor
	dec.kind, dec.org = idx.body(v, "deciding_body", req.DecidingBody, []BodyKind{BodyBranch, BodySubCommittee,
		BodyCommittee, BodyStandingCommittee, BodyInspectionCommission, BodyPolitburo, BodySecretariat, BodyCentralCommittee})
	var resolved []actor
	if v.list("resolved_by", len(req.ResolvedBy)) {
		prev := dec
		for i := range req.ResolvedBy {
			f := "resolved_by[" + strconv.Itoa(i) + "]"
			var a actor
			a.kind, a.org = idx.body(v, f, &req.ResolvedBy[i], resolverKinds)
			if a.org == nil {
				continue
			}
			if prev.org != nil && !above(a, prev) {
				v.add(f, "rules.err.not_higher")
				continue
			}
			resolved = append(resolved, a)
			prev = a
		}
	}
	var esc actor
	if req.EscalateTo != nil {
		esc.kind, esc.org = idx.body(v, "escalate_to", req.EscalateTo, resolverKinds)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if dec.org == nil || idx.root == nil {
		v.add("deciding_body", "rules.err.required")
		return nil, v.err()
	}
	b, err := r.newBuilder("R11", SeriesParty, date, "decision_date")
	if err != nil {
		return nil, err
	}
	root := idx.root
	final := actor{kind: BodyCentralCommittee, org: root}
	switch {
	case dec.org == root && b.flag(keyFinalCentral):
		b.reason("r11.central_decision", dec.ref())
	case form == FormDissolution && b.flag(keyFinalDissolution):
		final.kind = BodySecretariat
		b.reason("r11.dissolution")
	case slices.Contains(b.forms(keyFinalSecretariat), form):
		final.kind = BodySecretariat
		b.reason("r11.secretariat", form)
	case slices.Contains(b.forms(keyFinalUBKTTW), form):
		final.kind = BodyInspectionCommission
		b.reason("r11.ubkttw", form)
	default:
		b.reason("r11.highest", form)
	}
	res := &ComplaintLevelResult{FinalLevel: final.ref()}
	if b.flag(keyComplaintFirst) {
		first := firstResolver(dec)
		if first.org != nil {
			ref := first.ref()
			res.FirstResolver = &ref
			b.reason("r11.first", ref)
		}
	}
	for _, a := range resolved {
		if a.kind == final.kind && a.org == final.org {
			b.reason("r11.final_reached", final.ref())
			if esc.org != nil {
				ref := esc.ref()
				res.EscalateTo = &ref
				b.reason("r11.refused_final", ref)
				return b.finish("ESCALATION_REFUSED", res)
			}
			return b.finish("FINAL_LEVEL_REACHED", res)
		}
	}
	if esc.org == nil {
		if first := firstResolver(dec); b.flag(keyComplaintFirst) && first.org != nil {
			b.resolveBy(res, first, received)
		}
		return b.finish("OPEN", res)
	}
	ref := esc.ref()
	res.EscalateTo = &ref
	last := dec
	if len(resolved) > 0 {
		last = resolved[len(resolved)-1]
	}
	switch {
	case esc.kind == final.kind && esc.org == final.org:
		b.reason("r11.allowed_final", ref)
		b.resolveBy(res, esc, received)
		return b.finish("ESCALATION_ALLOWED", res)
	case above(esc, final):
		b.reason("r11.beyond_final", ref, final.ref())
		return b.finish("ESCALATION_REFUSED", res)
	case !above(esc, last):
		b.reason("r11.not_higher", ref, last.ref())
		return b.finish("ESCALATION_REFUSED", res)
	}
	b.reason("r11.allowed", ref)
	b.resolveBy(res, esc, received)
	return b.finish("ESCALATION_ALLOWED", res)
}

// resolveBy sets the time limit to resolve a complaint before resolver r,
// received on day received (0: not asked): the central limit at the
// centre, the limit of the levels below elsewhere, when the rule set has
// one (QĐ 30: 90 or 180 working days; later sets carry it as unverified).
func (b *builder) resolveBy(res *ComplaintLevelResult, r actor, received civil.Date) {
	if received == 0 || r.org == nil {
		return
	}
	key := keyComplaintLimitLocal
	if r.org.parent == nil {
		key = keyComplaintLimitTW
	}
	if b.peek(key) == nil {
		return
	}
	d := b.duration(key)
	res.ResolveWithin, res.ResolveBy = &d, b.add(received, d)
	b.reason("r11.resolve_by", d, received, res.ResolveBy)
}

// firstResolver returns the body that resolves a first complaint about a
// decision of dec: the same-level standing committee (or committee) for a
// UBKT decision; the Central Committee for decisions at the centre;
// otherwise the nearest UBKT above.
func firstResolver(dec actor) actor {
	switch {
	case dec.org.parent == nil:
		return actor{kind: BodyCentralCommittee, org: dec.org}
	case dec.kind == BodyInspectionCommission && BodyStandingCommittee.ValidFor(dec.org.typ):
		return actor{kind: BodyStandingCommittee, org: dec.org}
	case dec.kind == BodyInspectionCommission:
		return actor{kind: BodyCommittee, org: dec.org}
	}
	if u := ubktAtOrAbove(dec.org.parent); u != nil {
		return actor{kind: BodyInspectionCommission, org: u}
	}
	return actor{}
}
