package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// Complaints about discipline (issue "Discipline" 5; RULES.md §4). The
// body receiving a complaint records it on behalf of the complainant, who
// must be the disciplined member or organisation. Every question is put to
// the rules package:
//   - R10 on the filing date: the filing deadline (from the announcement of
//     the decision complained about) and the not-accepted grounds; a
//     complaint not accepted is refused with the ground and its article,
//     and nothing is stored;
//   - R11 on the discipline decision's date: the first resolver, the final
//     level, and whether a complaint may go up one more level;
//   - R1 and R2 on the resolution date when a resolver changes the form: a
//     heavier form only within the resolver's authority, otherwise the
//     complaint is forwarded to the competent body R2 names.
//
// The discipline stays in force while a complaint is pending (Charter Art.
// 39.9): the proceeding changes only when a level resolves the complaint,
// its form on CHANGE_FORM, its status (ANNULLED) on ANNUL. No rule set
// gives a time limit to resolve a complaint, so none is tracked.

// ComplaintInput records a complaint: about a decided proceeding
// (FileComplaint), or about the decision of the level below
// (EscalateComplaint, which ignores ProceedingID).
type ComplaintInput struct {
	ProceedingID int64 `json:"proceeding_id,omitempty"`
	// The complainant: a member (ComplainantMemberID) or an organisation
	// (ComplainantOrgID). Only the disciplined member or organisation may
	// complain (R10, ON_BEHALF).
	ComplainantKind     ktgs.SubjectKind `json:"complainant_kind,omitempty"`
	ComplainantMemberID int64            `json:"complainant_member_id,omitempty"`
	ComplainantOrgID    int64            `json:"complainant_org_id,omitempty"`
	Content             string           `json:"content"`
	// FiledOn is the postmark or the day of direct filing (default
	// today); ReceivedDecisionOn when the complainant received the written
	// decision complained about.
	FiledOn            civil.Date `json:"filed_on,omitempty"`
	ReceivedDecisionOn civil.Date `json:"received_decision_on,omitempty"`
	// Facts of not-accepted grounds the register does not hold (R10): a
	// court sentence of non-custodial reform or heavier not annulled; the
	// complainant refused to receive the decision; the membership moved
	// outside the same directly-higher đảng bộ before filing (also read
	// from the register for a member).
	CourtSentence   bool `json:"court_sentence,omitempty"`
	RefusedDecision bool `json:"refused_decision,omitempty"`
	MovedOut        bool `json:"moved_out,omitempty"`
}

// FileComplaint records a complaint about the decision of a decided
// proceeding before the first resolver R11 names. It is refused, with the
// rule and its article and nothing stored, when R10 does not accept it
// (late, on someone else's behalf, before the written decision was
// received, while a complaint is being resolved, after the final level …).
// A complaint about a level's decision goes up with EscalateComplaint.
func (s *Service) FileComplaint(ctx context.Context, in ComplaintInput) (*ktgs.Complaint, error) {
	var c *ktgs.Complaint
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		if in.ProceedingID == 0 {
			return ktgs.Invalid("proceeding_id", "err.required")
		}
		p, err := s.loadProceedingFor(ctx, tx, in.ProceedingID, authz.CaseRead)
		if notFound(err) {
			return ktgs.Invalid("proceeding_id", "err.not_found")
		} else if err != nil {
			return err
		}
		if p.Status != ktgs.ProcDecided {
			return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.complaint.not_decided", Args: []any{p.Code, string(p.Status)}}
		}
		list, err := tx.ProceedingComplaints(ctx, p.ID)
		if err != nil {
			return err
		}
		var f complaintFilingFacts
		var last *ktgs.Complaint
		for _, x := range list {
			switch {
			case x.Status.Pending():
				f.pending = x
			case x.Status.Decided():
				last = x
			}
		}
		if f.pending == nil && last != nil {
			if !last.FinalLevel {
				return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.complaint.escalate_instead", Args: []any{last.Code}}
			}
			f.concluded = true
		}
		c, err = s.newComplaint(ctx, tx, p, nil, &in, f)
		return err
	})
	return c, err
}

// EscalateComplaint records a complaint about the decision of complaint
// id, one level up: the level above the one that resolved it (level by
// level, up to the final level of R11). R11 refuses an escalation after
// the final level has resolved; R10 applies as to a first complaint, its
// deadline counted from the announcement of the complaint decision.
// Complaint id becomes ESCALATED; the new complaint is returned.
func (s *Service) EscalateComplaint(ctx context.Context, id int64, in ComplaintInput) (*ktgs.Complaint, error) {
	var c *ktgs.Complaint
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		prev, p, err := s.loadComplaintFor(ctx, tx, id, authz.CaseRead)
		if err != nil {
			return err
		}
		if err := complaintStepCheck(prev, ktgs.StepComplaintEscalate); err != nil {
			return err
		}
		if prev.Outcome == ktgs.OutcomeAnnul || p.Status != ktgs.ProcDecided {
			return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.complaint.not_decided", Args: []any{p.Code, string(p.Status)}}
		}
		list, err := tx.ProceedingComplaints(ctx, p.ID)
		if err != nil {
			return err
		}
		var f complaintFilingFacts
		for _, x := range list {
			if x.Status.Pending() {
				f.pending = x
			}
		}
		in.ProceedingID = p.ID
		c, err = s.newComplaint(ctx, tx, p, prev, &in, f)
		return err
	})
	return c, err
}

// complaintFilingFacts are what the register says about earlier
// complaints on the proceeding (R10 grounds).
type complaintFilingFacts struct {
	pending   *ktgs.Complaint // a complaint being resolved
	concluded bool            // the final level resolved one
}

// newComplaint validates in, finds the level (R11), checks the filing
// (R10) and stores the complaint about p (about prev's decision when prev
// is set).
func (s *Service) newComplaint(ctx context.Context, tx *store.Tx, p *ktgs.Proceeding, prev *ktgs.Complaint, in *ComplaintInput,
	f complaintFilingFacts) (*ktgs.Complaint, error) {
	today := s.Today()
	var v ktgs.Validation
	in.Content = vn.CleanText(in.Content)
	if in.FiledOn.IsZero() {
		in.FiledOn = today
	}
	checkDate(&v, "filed_on", in.FiledOn, true)
	checkDate(&v, "received_decision_on", in.ReceivedDecisionOn, false)
	if in.FiledOn.After(today) && !v.Has("filed_on") {
		v.Add("filed_on", "err.complaint.future")
	}
	if in.ReceivedDecisionOn.After(today) && !v.Has("received_decision_on") {
		v.Add("received_decision_on", "err.complaint.future")
	}
	switch {
	case in.Content == "":
		v.Add("content", "err.required")
	case len([]rune(in.Content)) > maxContent:
		v.Add("content", "err.too_long", maxContent)
	}
	field := complaintComplainantField(p.SubjectKind)
	kind := in.ComplainantKind
	switch {
	case in.ComplainantMemberID != 0 && in.ComplainantOrgID != 0:
		v.Add(field, "err.complaint.one_complainant")
	case in.ComplainantMemberID != 0:
		kind, field = complaintKindOr(kind, ktgs.SubjectMember), "complainant_member_id"
	case in.ComplainantOrgID != 0:
		kind, field = complaintKindOr(kind, ktgs.SubjectOrg), "complainant_org_id"
	default:
		v.Add(field, "err.required")
	}
	if kind != "" && ((kind == ktgs.SubjectMember) != (in.ComplainantMemberID != 0) || (kind == ktgs.SubjectOrg) != (in.ComplainantOrgID != 0)) &&
		!v.Has(field) {
		v.Add("complainant_kind", "err.complaint.complainant_kind")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c := &ktgs.Complaint{ProceedingID: p.ID, Level: 1, ComplainantKind: kind, ComplainantMemberID: in.ComplainantMemberID,
		ComplainantOrgID: in.ComplainantOrgID, Content: in.Content, FiledOn: in.FiledOn, ReceivedDecisionOn: in.ReceivedDecisionOn,
		DecisionAnnouncedOn: p.AnnouncedOn, ScopePath: p.ScopePath, Mark: p.Mark, Status: ktgs.ComplaintPending, FormBefore: p.Form}
	if prev != nil {
		c.Level, c.PrevID, c.DecisionAnnouncedOn = prev.Level+1, prev.ID, prev.ResultAnnouncedOn
	}
	if kind == ktgs.SubjectMember {
		m, err := tx.Member(ctx, in.ComplainantMemberID, in.FiledOn)
		if notFound(err) {
			return nil, ktgs.Invalid(field, "err.not_found")
		} else if err != nil {
			return nil, err
		}
		c.ComplainantName = m.FullName
	} else {
		o, err := tx.OrgLatest(ctx, in.ComplainantOrgID)
		if notFound(err) {
			return nil, ktgs.Invalid(field, "err.not_found")
		} else if err != nil {
			return nil, err
		}
		c.ComplainantName = o.Name
	}
	onBehalf := kind != p.SubjectKind || (kind == ktgs.SubjectMember && c.ComplainantMemberID != p.MemberID) ||
		(kind == ktgs.SubjectOrg && c.ComplainantOrgID != p.OrgID)

	// R11: the level before which the complaint comes.
	decisions := stepRules{}
	resolver, final, level, err := s.complaintLevel(ctx, tx, p, prev, in.FiledOn)
	if err != nil {
		return nil, err
	}
	decisions["R11"] = level
	c.ResolverBodyID, c.FinalLevel = resolver.ID, final
	if r, ok := level.Result.(*rules.ComplaintLevelResult); ok {
		c.ResolveBy = r.ResolveBy
	}
	obj, err := s.complaintObject(ctx, tx, p, resolver.OrgID, 0)
	if err != nil {
		return nil, err
	}
	if err := s.Authorize(ctx, authz.CaseCreate, obj); err != nil {
		return nil, err
	}

	// R10: the deadline and the not-accepted grounds.
	movedOut, err := s.movedOut(ctx, tx, p, c.DecisionAnnouncedOn, in.FiledOn)
	if err != nil {
		return nil, err
	}
	req := rules.ComplaintFilingRequest{AnnouncedOn: c.DecisionAnnouncedOn.String(), FiledOn: in.FiledOn.String(),
		BeingResolvedByHigher: f.pending != nil, ConcludedByHighest: f.concluded, CourtSentence: in.CourtSentence, OnBehalf: onBehalf,
		RefusedDecision: in.RefusedDecision, MovedOut: in.MovedOut || movedOut}
	if !in.ReceivedDecisionOn.IsZero() {
		req.ReceivedDecisionOn = in.ReceivedDecisionOn.String()
	}
	filing, err := s.askRule("R10", req, map[string]string{"announced_on": "filed_on", "filed_on": "filed_on",
		"received_decision_on": "received_decision_on"})
	if err != nil {
		return nil, err
	}
	decisions["R10"] = filing
	res, _ := filing.Result.(*rules.ComplaintFilingResult)
	if res == nil {
		return nil, ktgs.Errorf(ktgs.EINTERNAL, "err.internal")
	}
	if filing.Outcome != "ACCEPTED" {
		return nil, complaintFilingRefusal(filing, res, c, p, f, field)
	}
	c.DeadlineOn = res.Deadline
	if a := ActorFrom(ctx); a != nil {
		c.CreatedBy = a.UserID
	}
	if err := tx.InsertComplaint(ctx, c); err != nil {
		return nil, err
	}
	if prev != nil {
		before := *prev
		prev.Status = ktgs.ComplaintEscalated
		if err := tx.UpdateComplaint(ctx, prev); err != nil {
			return nil, err
		}
		if err := s.complaintEvent(ctx, tx, prev, ktgs.StepComplaintEscalate, before.Status, in.FiledOn, prev.ResolverBodyID, c.Code, nil); err != nil {
			return nil, err
		}
		if err := s.audit(ctx, tx, auditEntry{Action: "complaint.escalate", ObjectType: "complaint", ObjectID: prev.ID, OrgID: p.OrgID,
			Before: before, After: prev, Reason: c.Code}); err != nil {
			return nil, err
		}
	}
	if err := s.complaintEvent(ctx, tx, c, ktgs.StepComplaintFile, "", in.FiledOn, c.ResolverBodyID, "", decisions); err != nil {
		return nil, err
	}
	if err := s.audit(ctx, tx, auditEntry{Action: "complaint.file", ObjectType: "complaint", ObjectID: c.ID, OrgID: p.OrgID, After: c}); err != nil {
		return nil, err
	}
	c.ProceedingCode, c.ResolverBodyKind, c.ResolverBodyName, c.ResolverOrgID = p.Code, resolver.Kind, resolver.Name, resolver.OrgID
	return c, nil
}

func complaintComplainantField(k ktgs.SubjectKind) string {
	if k == ktgs.SubjectOrg {
		return "complainant_org_id"
	}
	return "complainant_member_id"
}

func complaintKindOr(k, def ktgs.SubjectKind) ktgs.SubjectKind {
	if k == "" {
		return def
	}
	return k
}

// complaintLevel asks R11 which body a complaint about p comes before: the
// first resolver for a first complaint; for one about prev's decision, the
// next level above the body that resolved prev (level by level), which R11
// must allow. It returns the body, whether it is the final level, and the
// decision (with its citations) that allowed it.
//
// received, when set, is the day the complaint reached the resolver (its
// filing): R11 then also says by when it must be resolved.
func (s *Service) complaintLevel(ctx context.Context, tx *store.Tx, p *ktgs.Proceeding, prev *ktgs.Complaint, received civil.Date) (*ktgs.Body, bool, *rules.Decision, error) {
	d := p.DecidedOn
	dec, err := tx.Body(ctx, p.BodyID)
	if err != nil {
		return nil, false, nil, err
	}
	decIn, _, err := s.complaintBodyIn(ctx, tx, dec, d)
	if err != nil {
		return nil, false, nil, err
	}
	req := rules.ComplaintLevelRequest{DecisionDate: d.String(), Form: string(p.Form), DecidingBody: &decIn}
	if !received.IsZero() && !received.Before(d) {
		req.ReceivedOn = received.String()
	}
	var last *ktgs.Body
	if prev != nil {
		list, err := tx.ProceedingComplaints(ctx, p.ID)
		if err != nil {
			return nil, false, nil, err
		}
		for _, x := range list {
			if !x.Status.Decided() || x.Level > prev.Level {
				continue
			}
			b, err := tx.Body(ctx, x.ResolverBodyID)
			if err != nil {
				return nil, false, nil, err
			}
			in, _, err := s.complaintBodyIn(ctx, tx, b, d)
			if err != nil {
				return nil, false, nil, err
			}
			req.ResolvedBy = append(req.ResolvedBy, in)
			last = b
		}
	}
	fields := map[string]string{"decision_date": "proceeding_id", "form": "proceeding_id", "deciding_body.": "proceeding_id",
		"resolved_by": "escalate_to", "escalate_to.": "escalate_to"}
	lvl, err := s.askRule("R11", req, fields)
	if err != nil {
		return nil, false, nil, err
	}
	res, _ := lvl.Result.(*rules.ComplaintLevelResult)
	if res == nil {
		return nil, false, nil, ktgs.Errorf(ktgs.EINTERNAL, "err.internal")
	}
	var to *ktgs.Body
	if last == nil {
		if res.FirstResolver == nil {
			return nil, false, nil, ktgs.Invalid("proceeding_id", "err.complaint.no_resolver")
		}
		if to, err = s.complaintBody(ctx, tx, *res.FirstResolver, "proceeding_id"); err != nil {
			return nil, false, nil, err
		}
	} else {
		if to, err = s.nextLevel(ctx, tx, last, res.FinalLevel, d); err != nil {
			return nil, false, nil, err
		}
		esc, _, err := s.complaintBodyIn(ctx, tx, to, d)
		if err != nil {
			return nil, false, nil, err
		}
		req.EscalateTo = &esc
		if lvl, err = s.askRule("R11", req, fields); err != nil {
			return nil, false, nil, err
		}
		if lvl.Outcome != "ESCALATION_ALLOWED" {
			return nil, false, nil, complaintLevelRefusal(lvl)
		}
	}
	_, borg, err := s.complaintBodyIn(ctx, tx, to, d)
	if err != nil {
		return nil, false, nil, err
	}
	k, _ := rules.BodyKindOf(to.Kind, borg.Type)
	final := k == res.FinalLevel.Kind && borg.ID == res.FinalLevel.OrgID
	return to, final, lvl, nil
}

// nextLevel returns the body one level above last, the body that resolved
// the complaint before: the inspection commission of the nearest
// organisation above that has one; at the centre, the final level R11
// names, or past it the Central Committee (which R11 then refuses).
func (s *Service) nextLevel(ctx context.Context, tx *store.Tx, last *ktgs.Body, final rules.BodyRef, d civil.Date) (*ktgs.Body, error) {
	_, o, err := s.complaintBodyIn(ctx, tx, last, d)
	if err != nil {
		return nil, err
	}
	if o.ParentID == 0 {
		k, _ := rules.BodyKindOf(last.Kind, o.Type)
		if k != final.Kind || o.ID != final.OrgID {
			return s.complaintBody(ctx, tx, final, "escalate_to")
		}
		return s.complaintBody(ctx, tx, rules.BodyRef{Kind: rules.BodyCentralCommittee, OrgID: o.ID, OrgType: o.Type}, "escalate_to")
	}
	anc, err := tx.Ancestors(ctx, o, o.ValidFrom)
	if err != nil {
		return nil, err
	}
	for i := len(anc) - 1; i >= 0; i-- {
		if !slices.Contains(ktgs.BodyKindsFor(anc[i].Type), ktgs.BodyInspectionCommission) {
			continue
		}
		b, err := tx.BodyByKind(ctx, anc[i].ID, ktgs.BodyInspectionCommission)
		if notFound(err) {
			continue
		}
		return b, err
	}
	return nil, ktgs.Invalid("escalate_to", "err.complaint.no_resolver")
}

// complaintBodyIn returns the rules' view of body b on day d (as it last
// stood if its organisation no longer existed then) and its organisation.
func (s *Service) complaintBodyIn(ctx context.Context, tx *store.Tx, b *ktgs.Body, d civil.Date) (rules.BodyIn, *ktgs.Org, error) {
	o, err := tx.OrgAt(ctx, b.OrgID, d)
	if notFound(err) {
		if o, err = tx.OrgLatest(ctx, b.OrgID); err == nil {
			d = o.ValidFrom
		}
	}
	if err != nil {
		return rules.BodyIn{}, nil, err
	}
	k, ok := rules.BodyKindOf(b.Kind, o.Type)
	if !ok {
		return rules.BodyIn{}, nil, ktgs.Invalid("proceeding_id", "err.case.body_kind", string(b.Kind))
	}
	ref, err := orgRef(ctx, tx, o.ID, d)
	if err != nil {
		return rules.BodyIn{}, nil, err
	}
	return rules.BodyIn{Kind: string(k), Org: ref}, o, nil
}

// complaintBody returns the register's body that a rules BodyRef names.
func (s *Service) complaintBody(ctx context.Context, tx *store.Tx, ref rules.BodyRef, field string) (*ktgs.Body, error) {
	k, ok := ref.Kind.Domain()
	if !ok {
		return nil, ktgs.Invalid(field, "err.case.no_body", string(ref.Kind))
	}
	b, err := tx.BodyByKind(ctx, ref.OrgID, k)
	if notFound(err) {
		return nil, ktgs.Invalid(field, "err.case.no_body", string(ref.Kind))
	}
	return b, err
}

// movedOut reads from the register whether the disciplined member's home
// chi bộ moved, between the announcement and the filing, to one under
// another directly-higher đảng bộ (R10 MOVED_OUT).
func (s *Service) movedOut(ctx context.Context, tx *store.Tx, p *ktgs.Proceeding, announced, filed civil.Date) (bool, error) {
	if p.SubjectKind != ktgs.SubjectMember || filed.Before(announced) {
		return false, nil
	}
	h1, err := tx.HomeOrgOn(ctx, p.MemberID, announced)
	if err != nil {
		return false, err
	}
	h2, err := tx.HomeOrgOn(ctx, p.MemberID, filed)
	if err != nil {
		return false, err
	}
	if h1 == 0 || h2 == 0 || h1 == h2 {
		return false, nil
	}
	o1, err := tx.OrgAt(ctx, h1, announced)
	if err != nil {
		return false, nil
	}
	o2, err := tx.OrgAt(ctx, h2, filed)
	if err != nil {
		return false, nil
	}
	return o1.ParentID != o2.ParentID, nil
}

// complaintCitation returns "regulation, article" of the value key the decision
// cited, or of its last citation.
func complaintCitation(dec *rules.Decision, key string) string {
	for _, c := range dec.Citations {
		if c.ValueKey == key {
			return c.Regulation + ", " + c.Article
		}
	}
	if n := len(dec.Citations); n > 0 {
		return dec.Citations[n-1].Regulation + ", " + dec.Citations[n-1].Article
	}
	return ""
}

// complaintFilingRefusal turns R10's NOT_ACCEPTED into field errors, one per
// ground, each with its article.
func complaintFilingRefusal(dec *rules.Decision, res *rules.ComplaintFilingResult, c *ktgs.Complaint, p *ktgs.Proceeding, f complaintFilingFacts,
	complainant string) *ktgs.Error {
	e := &ktgs.Error{Code: ktgs.EINVALID, Message: "err.complaint.not_accepted", Rule: "R10"}
	grounds := complaintCitation(dec, "complaint.not_accepted_grounds")
	for _, g := range res.Grounds {
		switch g {
		case "LATE":
			e.AddRule("filed_on", complaintCitation(dec, "complaint.filing_deadline"), "err.complaint.late", res.Day, res.Deadline.VN())
		case "ON_BEHALF":
			e.AddRule(complainant, grounds, "err.complaint.on_behalf", c.ComplainantName, p.SubjectName)
		case "BEFORE_RECEIVING_DECISION":
			field := "filed_on"
			if !c.ReceivedDecisionOn.IsZero() {
				field = "received_decision_on"
			}
			e.AddRule(field, grounds, "err.complaint.before_decision", c.FiledOn.VN())
		case "BEING_RESOLVED_BY_HIGHER":
			code := ""
			if f.pending != nil {
				code = f.pending.Code
			}
			e.AddRule("proceeding_id", grounds, "err.complaint.being_resolved", code)
		case "CONCLUDED_BY_HIGHEST":
			e.AddRule("proceeding_id", grounds, "err.complaint.concluded")
		case "COURT_SENTENCE":
			e.AddRule("court_sentence", grounds, "err.complaint.court_sentence")
		case "REFUSED_DECISION":
			e.AddRule("refused_decision", grounds, "err.complaint.refused_decision")
		case "MOVED_OUT":
			e.AddRule("moved_out", grounds, "err.complaint.moved_out")
		default:
			e.AddRule("filed_on", grounds, "err.complaint.not_accepted")
		}
	}
	if len(e.Fields) == 0 {
		e.AddRule("filed_on", grounds, "err.complaint.not_accepted")
	}
	return e
}

// complaintLevelRefusal turns R11's ESCALATION_REFUSED into an error on
// escalate_to with the rule's reason and the article of the final level.
func complaintLevelRefusal(dec *rules.Decision) *ktgs.Error {
	fe := ktgs.FieldError{Key: "err.complaint.escalation_refused"}
	if n := len(dec.Reasons); n > 0 {
		fe.Args = []any{dec.Reasons[n-1].VI}
	}
	for _, c := range dec.Citations {
		if strings.HasPrefix(c.ValueKey, "complaint.final_level.") {
			fe.Rule = c.Regulation + ", " + c.Article
			break
		}
	}
	if fe.Rule == "" {
		fe.Rule = complaintCitation(dec, "")
	}
	return &ktgs.Error{Code: ktgs.EINVALID, Message: "err.invalid_input", Rule: "R11", Fields: map[string]ktgs.FieldError{"escalate_to": fe}}
}

// complaintObject is the authorisation object of a complaint before the
// body of organisation resolverOrg: in that organisation's scope (the
// levels below may read the complaint through the proceeding but not
// resolve it), with the proceeding's mark; the disciplined member may
// never act on it, and the cadre who recorded it is its team.
func (s *Service) complaintObject(ctx context.Context, tx *store.Tx, p *ktgs.Proceeding, resolverOrg, createdBy int64) (*authz.Object, error) {
	return s.disciplineObject(ctx, tx, resolverOrg, p.Mark, createdBy, p.MemberID)
}

// loadComplaintFor loads complaint id and its proceeding. Reading needs
// case:read on the proceeding (its readers read the complaints about
// it); writing needs case:write in the scope of the resolver.
func (s *Service) loadComplaintFor(ctx context.Context, tx *store.Tx, id int64, act authz.Action) (*ktgs.Complaint, *ktgs.Proceeding, error) {
	c, err := tx.Complaint(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.loadProceedingFor(ctx, tx, c.ProceedingID, authz.CaseRead)
	if err != nil {
		return nil, nil, err
	}
	if act != authz.CaseRead {
		obj, err := s.complaintObject(ctx, tx, p, c.ResolverOrgID, c.CreatedBy)
		if err != nil {
			return nil, nil, err
		}
		if err := s.Authorize(ctx, act, obj); err != nil {
			return nil, nil, err
		}
	}
	return c, p, nil
}

// complaintStepCheck refuses a step the procedure does not allow from the
// complaint's status.
func complaintStepCheck(c *ktgs.Complaint, step string) error {
	st, ok := ktgs.ComplaintStepByName(step)
	if !ok || !st.Allows(c.Status) {
		return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.complaint.step_order", Args: []any{step, string(c.Status)}}
	}
	return nil
}

func (s *Service) complaintEvent(ctx context.Context, tx *store.Tx, c *ktgs.Complaint, step string, from ktgs.ComplaintStatus, d civil.Date,
	body int64, note string, decisions stepRules) error {
	e := &ktgs.ComplaintEvent{ComplaintID: c.ID, On: d, Actor: SystemActor, Step: step, From: from, To: c.Status, BodyID: body,
		Note: note, Rules: decisions.json()}
	if a := ActorFrom(ctx); a != nil {
		e.ActorID, e.Actor = a.UserID, a.Name
	}
	return tx.InsertComplaintEvent(ctx, e)
}

// ResolveComplaintInput is a level's decision on a complaint.
type ResolveComplaintInput struct {
	Outcome ktgs.ComplaintOutcome `json:"outcome"`
	// NewForm is the form of a CHANGE_FORM.
	NewForm ktgs.DisciplineForm `json:"new_form,omitempty"`
	// ResolvedOn defaults to today, AnnouncedOn (to the complainant) to
	// ResolvedOn; the deadline of a complaint to the next level runs from
	// AnnouncedOn.
	ResolvedOn  civil.Date `json:"resolved_on,omitempty"`
	AnnouncedOn civil.Date `json:"announced_on,omitempty"`
	Resolution  string     `json:"resolution"`
}

// ResolveComplaint records the decision of the level before which the
// complaint is:
//   - UPHOLD keeps the discipline as it is;
//   - ANNUL annuls it: the proceeding becomes ANNULLED, its decision and
//     history staying on record;
//   - CHANGE_FORM changes the proceeding's form. The new form must be one
//     the subject can receive (R1). A lighter form is always within a
//     resolver's power; a heavier one only within its authority (R2):
//     where R2 says the resolver may only propose it, the complaint is
//     FORWARDED to the competent body R2 names, which resolves it in turn,
//     and the proceeding does not change meanwhile.
func (s *Service) ResolveComplaint(ctx context.Context, id int64, in ResolveComplaintInput) (*ktgs.Complaint, error) {
	var c *ktgs.Complaint
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var p *ktgs.Proceeding
		var err error
		if c, p, err = s.loadComplaintFor(ctx, tx, id, authz.CaseWrite); err != nil {
			return err
		}
		return s.resolveComplaint(ctx, tx, c, p, &in)
	})
	return c, err
}

func (s *Service) resolveComplaint(ctx context.Context, tx *store.Tx, c *ktgs.Complaint, p *ktgs.Proceeding, in *ResolveComplaintInput) error {
	if err := complaintStepCheck(c, ktgs.StepComplaintResolve); err != nil {
		return err
	}
	if p.Status != ktgs.ProcDecided {
		return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.complaint.not_decided", Args: []any{p.Code, string(p.Status)}}
	}
	today := s.Today()
	var v ktgs.Validation
	in.Resolution = vn.CleanText(in.Resolution)
	if in.ResolvedOn.IsZero() {
		in.ResolvedOn = today
	}
	if in.AnnouncedOn.IsZero() {
		in.AnnouncedOn = in.ResolvedOn
	}
	checkDate(&v, "resolved_on", in.ResolvedOn, true)
	checkDate(&v, "announced_on", in.AnnouncedOn, true)
	if !v.Has("resolved_on") {
		switch {
		case in.ResolvedOn.Before(c.FiledOn):
			v.Add("resolved_on", "err.date_not_before", "filed_on")
		case in.ResolvedOn.After(today):
			v.Add("resolved_on", "err.complaint.future")
		}
	}
	if !v.Has("announced_on") && in.AnnouncedOn.Before(in.ResolvedOn) {
		v.Add("announced_on", "err.date_not_before", "resolved_on")
	}
	if !in.Outcome.Valid() {
		v.Add("outcome", "err.complaint.outcome")
	}
	switch {
	case in.Outcome != ktgs.OutcomeChangeForm && in.NewForm != "":
		v.Add("new_form", "err.complaint.change_only")
	case in.Outcome != ktgs.OutcomeChangeForm:
	case in.NewForm == "":
		v.Add("new_form", "err.required")
	case !in.NewForm.Valid():
		v.Add("new_form", "err.proceeding.form")
	case in.NewForm == p.Form:
		v.Add("new_form", "err.complaint.same_form")
	}
	switch {
	case in.Resolution == "":
		v.Add("resolution", "err.required")
	case len([]rune(in.Resolution)) > maxContent:
		v.Add("resolution", "err.too_long", maxContent)
	}
	if err := v.Err(); err != nil {
		return err
	}
	d := in.ResolvedOn
	body, err := tx.Body(ctx, c.ResolverBodyID)
	if err != nil {
		return err
	}
	before := *c
	decisions := stepRules{}
	step := ktgs.StepComplaintResolve
	note := ""
	if in.Outcome == ktgs.OutcomeChangeForm {
		// The subject as it stood before the decision's effects: an
		// expulsion ended the membership and a removal the posts on the
		// announcement.
		day := d
		if p.Form == ktgs.FormExpulsion || p.Form == ktgs.FormRemoval {
			day = p.AnnouncedOn.AddDays(-1)
		}
		ladder, subject, err := s.disciplineSubject(ctx, tx, p, day)
		if err != nil {
			return err
		}
		if decisions["R1"], err = s.askRule("R1", rules.FormsRequest{DecisionDate: d.String(), Subject: &ladder, Form: string(in.NewForm)},
			map[string]string{"form": "new_form", "subject.": "new_form", "decision_date": "resolved_on"}); err != nil {
			return err
		}
		if complaintHeavier(in.NewForm, p.Form) {
			borg, err := tx.OrgAt(ctx, body.OrgID, d)
			if notFound(err) {
				return ktgs.Invalid("resolved_on", "err.org_not_on_date", body.Name, d.VN())
			} else if err != nil {
				return err
			}
			auth, err := s.authority(ctx, tx, p, body, borg, subject, in.NewForm, d)
			if err != nil {
				return complaintFieldsOnto(err, "new_form")
			}
			decisions["R2"] = auth
			switch auth.Outcome {
			case rules.OutcomeNone:
				return ruleRefusal("new_form", "err.complaint.no_authority", auth)
			case rules.OutcomePropose:
				res, _ := auth.Result.(*rules.AuthorityResult)
				if res == nil || res.CompetentBody == nil {
					return ruleRefusal("new_form", "err.complaint.no_authority", auth)
				}
				to, err := s.complaintBody(ctx, tx, *res.CompetentBody, "new_form")
				if err != nil {
					return err
				}
				c.Status, c.ResolverBodyID, c.NewForm, step, note = ktgs.ComplaintForwarded, to.ID, in.NewForm, ktgs.StepComplaintForward, to.Name
				c.ResolverBodyKind, c.ResolverBodyName, c.ResolverOrgID = to.Kind, to.Name, to.OrgID
			}
		}
	}
	if step == ktgs.StepComplaintResolve {
		c.Status, c.Outcome, c.ResolvedOn, c.ResultAnnouncedOn, c.Resolution = ktgs.ComplaintResolved, in.Outcome, d, in.AnnouncedOn, in.Resolution
		c.NewForm = ""
		if in.Outcome == ktgs.OutcomeChangeForm {
			c.NewForm = in.NewForm
		}
		if err := s.applyComplaintDecision(ctx, tx, c, p, body, d, decisions); err != nil {
			return err
		}
		if _, err := s.issueComplaintDecision(ctx, tx, c, p, body, d); err != nil {
			return err
		}
	} else if in.Resolution != "" {
		note = strings.TrimSpace(note + ". " + in.Resolution)
	}
	if err := tx.UpdateComplaint(ctx, c); err != nil {
		return err
	}
	if err := s.complaintEvent(ctx, tx, c, step, before.Status, d, body.ID, note, decisions); err != nil {
		return err
	}
	return s.audit(ctx, tx, auditEntry{Action: "complaint." + step, ObjectType: "complaint", ObjectID: c.ID, OrgID: p.OrgID,
		Before: before, After: c, Reason: in.Resolution})
}

// applyComplaintDecision writes a resolved complaint's decision onto the
// proceeding, with a line in its history and the audit trail: ANNUL sets
// ANNULLED, CHANGE_FORM the new form; UPHOLD changes nothing.
func (s *Service) applyComplaintDecision(ctx context.Context, tx *store.Tx, c *ktgs.Complaint, p *ktgs.Proceeding, body *ktgs.Body,
	d civil.Date, decisions stepRules) error {
	before := *p
	switch c.Outcome {
	case ktgs.OutcomeAnnul:
		p.Status = ktgs.ProcAnnulled
	case ktgs.OutcomeChangeForm:
		p.Form = c.NewForm
	default:
		return nil
	}
	if err := tx.ApplyComplaintDecision(ctx, p.ID, p.Status, p.Form); err != nil {
		return err
	}
	if err := s.complaintMembership(ctx, tx, c, &before, p); err != nil {
		return err
	}
	p.UpdatedAt = s.now()
	e := &ktgs.ProceedingEvent{ProceedingID: p.ID, On: d, Actor: SystemActor, Step: ktgs.ProcStepComplaint, From: before.Status, To: p.Status,
		BodyID: body.ID, Note: c.Code + ": " + string(c.Outcome) + complaintFormNote(before.Form, p.Form), Rules: decisions.json()}
	if a := ActorFrom(ctx); a != nil {
		e.ActorID, e.Actor = a.UserID, a.Name
	}
	if err := tx.InsertProceedingEvent(ctx, e); err != nil {
		return err
	}
	return s.audit(ctx, tx, auditEntry{Action: "proceeding.complaint", ObjectType: "proceeding", ObjectID: p.ID, OrgID: p.OrgID,
		Before: before, After: p, Reason: c.Code})
}

// complaintMembership applies an expulsion's effect on the register when
// a complaint decision makes or unmakes one: the membership of a member
// whose expulsion is annulled or changed to another form is restored; a
// change to expulsion ends the membership on the announcement of the
// complaint decision, as a decided expulsion does. Posts ended by a
// removal from post are not restored here.
func (s *Service) complaintMembership(ctx context.Context, tx *store.Tx, c *ktgs.Complaint, before, p *ktgs.Proceeding) error {
	if p.MemberID == 0 {
		return nil
	}
	was := before.Form == ktgs.FormExpulsion
	now := p.Form == ktgs.FormExpulsion && p.Status == ktgs.ProcDecided
	if was == now {
		return nil
	}
	m, err := tx.Member(ctx, p.MemberID, c.ResultAnnouncedOn)
	if err != nil {
		return err
	}
	mb := *m
	switch {
	case now && m.Active(c.ResultAnnouncedOn):
		m.EndedOn, m.EndReason = c.ResultAnnouncedOn, ktgs.EndExpelled
		if err := tx.UpdateMember(ctx, m); err != nil {
			return err
		}
		if _, err := tx.EndTempAttachment(ctx, m.ID, c.ResultAnnouncedOn); err != nil {
			return err
		}
		return s.auditMember(ctx, tx, "member.end", mb, m)
	case !now && m.EndReason == ktgs.EndExpelled:
		m.EndedOn, m.EndReason = 0, ""
		if err := tx.UpdateMember(ctx, m); err != nil {
			return err
		}
		return s.auditMember(ctx, tx, "member.restore", mb, m)
	}
	return nil
}

func complaintFormNote(from, to ktgs.DisciplineForm) string {
	if from == to {
		return ""
	}
	return " " + string(from) + " → " + string(to)
}

// complaintHeavier reports whether form a is heavier than form b (the forms are
// listed lightest first, RULES.md §3.1).
func complaintHeavier(a, b ktgs.DisciplineForm) bool {
	return slices.Index(ktgs.DisciplineForms, a) > slices.Index(ktgs.DisciplineForms, b)
}

// complaintFieldsOnto moves the field errors of an invalid-input error onto one
// field.
func complaintFieldsOnto(err error, field string) error {
	e := ktgs.AsError(err)
	if e == nil || e.Code != ktgs.EINVALID || len(e.Fields) == 0 {
		return err
	}
	out := &ktgs.Error{Code: e.Code, Message: e.Message, Args: e.Args, Rule: e.Rule, Fields: map[string]ktgs.FieldError{}}
	for _, fe := range e.Fields {
		if _, dup := out.Fields[field]; !dup {
			out.Fields[field] = fe
		}
	}
	return out
}

// WithdrawComplaintInput withdraws a complaint.
type WithdrawComplaintInput struct {
	Date   civil.Date `json:"date,omitempty"` // default today
	Reason string     `json:"reason"`
}

// WithdrawComplaint records that the complainant withdrew a pending
// complaint; the discipline stays as it was.
func (s *Service) WithdrawComplaint(ctx context.Context, id int64, in WithdrawComplaintInput) (*ktgs.Complaint, error) {
	var c *ktgs.Complaint
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var p *ktgs.Proceeding
		var err error
		if c, p, err = s.loadComplaintFor(ctx, tx, id, authz.CaseWrite); err != nil {
			return err
		}
		if err := complaintStepCheck(c, ktgs.StepComplaintWithdraw); err != nil {
			return err
		}
		var v ktgs.Validation
		in.Reason = vn.CleanText(in.Reason)
		if in.Date.IsZero() {
			in.Date = s.Today()
		}
		checkDate(&v, "date", in.Date, true)
		if !v.Has("date") && in.Date.Before(c.FiledOn) {
			v.Add("date", "err.date_not_before", "filed_on")
		}
		if !v.Has("date") && in.Date.After(s.Today()) {
			v.Add("date", "err.complaint.future")
		}
		switch {
		case in.Reason == "":
			v.Add("reason", "err.required")
		case len([]rune(in.Reason)) > maxNote:
			v.Add("reason", "err.too_long", maxNote)
		}
		if err := v.Err(); err != nil {
			return err
		}
		before := *c
		c.Status, c.WithdrawnOn, c.WithdrawalReason = ktgs.ComplaintWithdrawn, in.Date, in.Reason
		if err := tx.UpdateComplaint(ctx, c); err != nil {
			return err
		}
		if err := s.complaintEvent(ctx, tx, c, ktgs.StepComplaintWithdraw, before.Status, in.Date, c.ResolverBodyID, in.Reason, nil); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "complaint.withdraw", ObjectType: "complaint", ObjectID: c.ID, OrgID: p.OrgID,
			Before: before, After: c, Reason: in.Reason})
	})
	return c, err
}

// ComplaintDetail is a complaint with what its page shows.
type ComplaintDetail struct {
	Complaint *ktgs.Complaint `json:"complaint"`
	// Documents are its decision, once resolved.
	Documents  []store.Document      `json:"-"`
	Proceeding *ktgs.Proceeding      `json:"proceeding"`
	Events     []ktgs.ComplaintEvent `json:"events"`
	// Chain is every complaint about the proceeding, level by level.
	Chain    []*ktgs.Complaint `json:"chain"`
	Bodies   map[int64]string  `json:"bodies"`
	Next     []string          `json:"next"`
	CanWrite bool              `json:"can_write"`
}

// ComplaintDetail returns complaint id for a reader of its proceeding.
// Next lists the steps the actor may take (resolve, withdraw) and
// "escalate" when the complainant may still go one level up (resolved,
// not annulled, below the final level); the next level's staff record it.
func (s *Service) ComplaintDetail(ctx context.Context, id int64) (*ComplaintDetail, error) {
	out := &ComplaintDetail{Bodies: map[int64]string{}}
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		c, p, err := s.loadComplaintFor(ctx, tx, id, authz.CaseRead)
		if err != nil {
			return err
		}
		out.Complaint, out.Proceeding = c, p
		if out.Events, err = tx.ComplaintEvents(ctx, id); err != nil {
			return err
		}
		if out.Chain, err = tx.ProceedingComplaints(ctx, p.ID); err != nil {
			return err
		}
		if out.Documents, err = tx.ComplaintDocuments(ctx, id); err != nil {
			return err
		}
		ids := []int64{c.ResolverBodyID, p.BodyID}
		for _, e := range out.Events {
			ids = append(ids, e.BodyID)
		}
		for _, x := range out.Chain {
			ids = append(ids, x.ResolverBodyID)
		}
		for _, bid := range ids {
			if _, ok := out.Bodies[bid]; ok || bid == 0 {
				continue
			}
			out.Bodies[bid] = bodyLabel(ctx, tx, bid)
		}
		obj, err := s.complaintObject(ctx, tx, p, c.ResolverOrgID, c.CreatedBy)
		if err != nil {
			return err
		}
		out.CanWrite = s.Authorize(ctx, authz.CaseWrite, obj) == nil
		if out.CanWrite {
			for _, st := range ktgs.ComplaintStepsFrom(c.Status) {
				if st.Name != ktgs.StepComplaintEscalate {
					out.Next = append(out.Next, st.Name)
				}
			}
		}
		if c.Status == ktgs.ComplaintResolved && !c.FinalLevel && c.Outcome != ktgs.OutcomeAnnul && p.Status == ktgs.ProcDecided {
			out.Next = append(out.Next, ktgs.StepComplaintEscalate)
		}
		return nil
	})
	return out, err
}

// ProceedingComplaints returns the complaints about proceeding id, level
// by level, for a reader of the proceeding.
func (s *Service) ProceedingComplaints(ctx context.Context, procID int64) ([]*ktgs.Complaint, error) {
	var out []*ktgs.Complaint
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		if _, err := s.loadProceedingFor(ctx, tx, procID, authz.CaseRead); err != nil {
			return err
		}
		var err error
		out, err = tx.ProceedingComplaints(ctx, procID)
		return err
	})
	return out, err
}

// ComplaintQuery filters the complaints list.
type ComplaintQuery struct {
	SubtreeOrgID   int64
	Status         ktgs.ComplaintStatus
	ResolverBodyID int64
	BeforeID       int64
	Limit          int
}

// ListComplaints returns the complaints the actor may read (case:read on
// the proceedings they concern), newest first, and whether more follow.
func (s *Service) ListComplaints(ctx context.Context, q ComplaintQuery) ([]*ktgs.Complaint, bool, error) {
	var out []*ktgs.Complaint
	var more bool
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		paths, mark, err := s.readablePaths(ctx, tx, authz.CaseRead, q.SubtreeOrgID)
		if err != nil {
			return err
		}
		out, more, err = tx.Complaints(ctx, store.ComplaintFilter{Paths: paths, Status: q.Status, ResolverBodyID: q.ResolverBodyID,
			MaxMark: mark, BeforeID: q.BeforeID, Limit: q.Limit})
		return err
	})
	return out, more, err
}

// complaintOutcomeText says a resolution in the decision's words.
func complaintOutcomeText(c *ktgs.Complaint, before ktgs.DisciplineForm) string {
	switch c.Outcome {
	case ktgs.OutcomeAnnul:
		return "Xóa kỷ luật " + strings.ToLower(formLabel(before)) + "."
	case ktgs.OutcomeChangeForm:
		return "Thay đổi hình thức kỷ luật từ " + strings.ToLower(formLabel(before)) + " sang " + strings.ToLower(formLabel(c.NewForm)) + "."
	}
	return "Giữ nguyên hình thức kỷ luật " + strings.ToLower(formLabel(before)) + "."
}

// issueComplaintDecision issues the Quyết định giải quyết khiếu nại kỷ
// luật of a resolved complaint through the documents capability, numbered
// in the resolving body's QĐ sequence (R17), as DOCX and PDF with their
// hashes audited. A resolving body without a term on the day cannot
// number it: the resolution is refused, as a discipline decision is.
func (s *Service) issueComplaintDecision(ctx context.Context, tx *store.Tx, c *ktgs.Complaint, p *ktgs.Proceeding, body *ktgs.Body,
	d civil.Date) (*store.Document, error) {
	org, err := tx.OrgAt(ctx, body.OrgID, d)
	if notFound(err) {
		org, err = tx.OrgLatest(ctx, body.OrgID)
	}
	if err != nil {
		return nil, err
	}
	f := issuerFields(ctx, tx, body, org)
	f.Summary = "Về việc giải quyết khiếu nại kỷ luật đảng của " + c.ComplainantName
	f.Body = []string{"- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
		"- Căn cứ quy định của Bộ Chính trị về kỷ luật và giải quyết khiếu nại kỷ luật đảng;",
		fmt.Sprintf("- Xét đơn khiếu nại ngày %s của %s đối với quyết định kỷ luật hồ sơ %s;", c.FiledOn.VN(), c.ComplainantName, p.Code),
		"> QUYẾT ĐỊNH:",
		"Điều 1. " + complaintOutcomeText(c, c.FormBefore),
		"Nội dung giải quyết: " + c.Resolution,
		"Điều 2. Quyết định có hiệu lực kể từ ngày ký. Các tổ chức đảng có liên quan và " + c.ComplainantName + " chịu trách nhiệm thi hành Quyết định này."}
	f.Recipients = []string{"Như Điều 2,", "Lưu hồ sơ khiếu nại."}
	b, _ := json.Marshal(f)
	doc := &store.Document{ComplaintID: c.ID, Type: DocDecision, BodyID: body.ID, Status: "DRAFT", Fields: string(b)}
	if err := tx.InsertDocument(ctx, doc); err != nil {
		return nil, err
	}
	if err := s.issueDraft(ctx, tx, doc, body, org, c.Mark, IssueInput{Date: d}); err != nil {
		if e := ktgs.AsError(err); e != nil && e.Code == ktgs.EINVALID {
			if fe, ok := e.Fields["date"]; ok {
				return nil, &ktgs.Error{Code: e.Code, Message: e.Message, Fields: map[string]ktgs.FieldError{"resolved_on": fe}}
			}
		}
		return nil, err
	}
	return doc, nil
}
