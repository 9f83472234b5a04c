package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// Suspension of party activity (đình chỉ sinh hoạt đảng, RULES.md §6;
// issue 6 item 6). A competent body suspends a member's party activity,
// possibly within a discipline proceeding; the member's committee seats
// are suspended with it (QĐ 22 Art. 28). How long it lasts and which
// extensions are allowed is decided only by R15, asked with the start
// date (which chooses the rule set), the initial length and every
// extension so far: this file never holds a duration. Each step stores
// R15's decision with its citations, so the history shows why the
// suspension ends when it does; a refused extension stores nothing.
//
// Authorisation is that of discipline proceedings: the scope is the
// deciding body's organisation, case:create to suspend, case:read to read,
// case:write to extend or end, and the suspended member may never act on
// their own suspension.

// SuspensionInput suspends a member's party activity.
type SuspensionInput struct {
	// The member: MemberID or CardNumber; by default the member of the
	// linked proceeding.
	MemberID   int64  `json:"member_id,omitempty"`
	CardNumber string `json:"card_number,omitempty"`
	// The deciding body: BodyID, or BodyOrgCode and BodyKind.
	BodyID      int64         `json:"body_id,omitempty"`
	BodyOrgCode string        `json:"body_org_code,omitempty"`
	BodyKind    ktgs.BodyKind `json:"body_kind,omitempty"`
	// ProceedingID links the discipline proceeding it belongs to.
	ProceedingID int64 `json:"proceeding_id,omitempty"`

	DecidedOn civil.Date `json:"decided_on,omitempty"` // default today
	StartOn   civil.Date `json:"start_on,omitempty"`   // default DecidedOn
	// Initial is the initial length in the rule set's unit; 0 means the
	// longest R15 allows.
	Initial int    `json:"initial,omitempty"`
	Reason  string `json:"reason"`
	// CriminalProceedings: the member is prosecuted or detained; R15 then
	// lets the legal time limits govern the length.
	CriminalProceedings bool `json:"criminal_proceedings,omitempty"`
	// SeatIDs are the member's committee seats, held on StartOn, that are
	// suspended with party activity; empty means every seat held then.
	SeatIDs []int64 `json:"seat_ids,omitempty"`
	// Mark defaults to the linked proceeding's mark, else MAT (THUONG when
	// a chi bộ decides).
	Mark string `json:"mark,omitempty"`
}

// SuspensionExtendInput extends a suspension.
type SuspensionExtendInput struct {
	// Length is in the suspension's unit (R15).
	Length    int        `json:"length"`
	DecidedOn civil.Date `json:"decided_on,omitempty"` // default today
	Reason    string     `json:"reason"`
}

// SuspensionEndInput ends a suspension early.
type SuspensionEndInput struct {
	// EndedOn is the day the member's party activity resumes; default
	// today.
	EndedOn civil.Date `json:"ended_on,omitempty"`
	Reason  string     `json:"reason"`
}

// r15FollowsLaw is R15's outcome when the suspension follows the legal
// time limits (docs/RULES-API.md, R15).
const r15FollowsLaw = "FOLLOWS_LEGAL_TIME_LIMITS"

// r15RefusalValue names, for each R15 reason that refuses an extension,
// the rule-set value it applies, so the refusal cites that value's
// article.
var r15RefusalValue = map[string]string{
	"r15.too_many_extensions": "suspension.max_extensions",
	"r15.extension_too_long":  "suspension.extension_max",
	"r15.total_exceeded":      "suspension.member_total",
}

// suspensionRefusal turns R15's refusal into a field error carrying the
// refusing reason and the article of the value it applies: the reason
// whose code is reasonCode, or by default the first that rejects an
// extension (else the last reason); the citation of valueKey, or by
// default of the value the rejecting reason applies (else the last
// citation).
func suspensionRefusal(field, key string, dec *rules.Decision, reasonCode, valueKey string) *ktgs.Error {
	fe := ktgs.FieldError{Key: key}
	var reason *rules.Reason
	for i := range dec.Reasons {
		c := dec.Reasons[i].Code
		if c == reasonCode || (reasonCode == "" && r15RefusalValue[c] != "") {
			reason = &dec.Reasons[i]
			break
		}
	}
	if reason == nil && len(dec.Reasons) > 0 {
		reason = &dec.Reasons[len(dec.Reasons)-1]
	}
	if reason != nil {
		fe.Args = []any{reason.VI}
		if k, ok := r15RefusalValue[reason.Code]; ok && valueKey == "" {
			valueKey = k
		}
	}
	fe.Rule = citationOf(dec, valueKey)
	return &ktgs.Error{Code: ktgs.EINVALID, Message: "err.invalid_input", Rule: dec.Rule, Fields: map[string]ktgs.FieldError{field: fe}}
}

// citationOf returns "regulation, article" of the citation of valueKey in
// dec, or of its last citation.
func citationOf(dec *rules.Decision, valueKey string) string {
	if dec == nil || len(dec.Citations) == 0 {
		return ""
	}
	c := dec.Citations[len(dec.Citations)-1]
	for _, x := range dec.Citations {
		if x.ValueKey == valueKey {
			c = x
			break
		}
	}
	return c.Regulation + ", " + c.Article
}

// r15 asks R15 about a suspension of a member starting on start with the
// given initial length and extensions; fields renames the rule's fields to
// ours. A refused initial length carries the article of the initial
// length.
func (s *Service) r15(start civil.Date, criminal bool, initial int, exts []int, fields map[string]string) (*rules.Decision, error) {
	req := rules.SuspensionRequest{SubjectKind: string(ktgs.SubjectMember), StartDate: start.String(), CriminalProceedings: criminal,
		Initial: initial}
	for _, n := range exts {
		req.Extensions = append(req.Extensions, rules.ExtensionIn{N: n})
	}
	dec, err := s.askRule("R15", req, fields)
	if err == nil || initial == 0 {
		return dec, err
	}
	if e := ktgs.AsError(err); e != nil {
		if fe, ok := e.Fields["initial"]; ok && fe.Rule == "" {
			// The longest initial length and its article: R15 asked
			// without one.
			req.Initial = 0
			if d, derr := s.askRule("R15", req, nil); derr == nil {
				fe.Rule = citationOf(d, "suspension.member_initial")
				e.Fields["initial"] = fe
			}
		}
	}
	return dec, err
}

// applyR15 copies R15's answer onto the suspension.
func applyR15(sp *ktgs.Suspension, dec *rules.Decision) {
	sp.RuleSet, sp.Provisional = dec.RuleSet, dec.Provisional
	sp.FollowsLaw = dec.Outcome == r15FollowsLaw
	res, ok := dec.Result.(*rules.SuspensionResult)
	if !ok {
		return
	}
	sp.Unit, sp.Initial, sp.Total, sp.EndsOn = res.Unit, res.Initial, res.Total, res.EndsOn
	sp.Extensions, sp.DuesPayable = res.AcceptedExtensions, res.DuesPayable
	sp.MaxTotal = 0
	if res.MaxTotal != nil {
		sp.MaxTotal = res.MaxTotal.N
	}
}

// Suspend suspends a member's party activity. It refuses, with the field
// at fault, a member outside the deciding body's organisation, a
// suspension overlapping another of the same member, a seat the member
// does not hold on the start day and an initial length R15 does not allow
// (with its article); nothing is stored on a refusal.
func (s *Service) Suspend(ctx context.Context, in SuspensionInput) (*ktgs.Suspension, error) {
	var sp *ktgs.Suspension
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		sp, err = s.suspend(ctx, tx, &in)
		return err
	})
	return sp, err
}

func (s *Service) suspend(ctx context.Context, tx *store.Tx, in *SuspensionInput) (*ktgs.Suspension, error) {
	var v ktgs.Validation
	in.Reason = vn.CleanText(in.Reason)
	in.DecidedOn = s.dateOr(in.DecidedOn)
	if in.StartOn.IsZero() {
		in.StartOn = in.DecidedOn
	}
	checkDate(&v, "decided_on", in.DecidedOn, true)
	checkDate(&v, "start_on", in.StartOn, true)
	if in.StartOn.Before(in.DecidedOn) && !v.Has("start_on") && !v.Has("decided_on") {
		v.Add("start_on", "err.date_not_before", "decided_on")
	}
	switch {
	case in.Reason == "":
		v.Add("reason", "err.required")
	case len([]rune(in.Reason)) > maxContent:
		v.Add("reason", "err.too_long", maxContent)
	}
	var mark authz.Mark
	if in.Mark != "" {
		m, ok := authz.ParseMark(in.Mark)
		if !ok {
			v.Add("mark", "err.auth.clearance")
		}
		mark = m
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	d := in.StartOn
	body, borg, err := s.resolveBody(ctx, tx, in.BodyID, in.BodyOrgCode, in.BodyKind, in.DecidedOn)
	if err != nil {
		return nil, err
	}
	var proc *ktgs.Proceeding
	if in.ProceedingID != 0 {
		p, err := s.loadProceedingFor(ctx, tx, in.ProceedingID, authz.CaseRead)
		if c := ktgs.ErrorCode(err); c == ktgs.ENOTFOUND || c == ktgs.EFORBIDDEN {
			return nil, ktgs.Invalid("proceeding_id", "err.not_found")
		} else if err != nil {
			return nil, err
		}
		if p.SubjectKind != ktgs.SubjectMember || p.MemberID == 0 {
			return nil, ktgs.Invalid("proceeding_id", "err.suspension.proceeding_member", p.Code, p.SubjectName)
		}
		if in.MemberID == 0 && in.CardNumber == "" {
			in.MemberID = p.MemberID
		}
		proc = p
	}
	if in.Mark == "" {
		switch {
		case proc != nil:
			mark = proc.Mark
		case body.Kind == ktgs.BodyBranch:
			mark = authz.Normal
		default:
			mark = authz.Secret
		}
	}
	obj, err := s.OrgObject(ctx, tx, borg.ID)
	if err != nil {
		return nil, err
	}
	obj.Mark = mark
	if err := s.Authorize(ctx, authz.CaseCreate, obj); err != nil {
		return nil, err
	}
	m, home, err := s.suspensionMember(ctx, tx, in, d)
	if err != nil {
		return nil, err
	}
	if proc != nil && proc.MemberID != m.ID {
		return nil, ktgs.Invalid("proceeding_id", "err.suspension.proceeding_member", proc.Code, proc.SubjectName)
	}
	if !strings.HasPrefix(home.Path, borg.Path) {
		return nil, ktgs.Invalid("member_id", "err.proceeding.outside_body", m.FullName, borg.Name)
	}
	// The suspended member may never act on their own suspension: the
	// record is checked as its creator would write it.
	obj.Accused = []int64{m.ID}
	if a := ActorFrom(ctx); a != nil {
		obj.Team = []int64{a.UserID}
	}
	if err := s.Authorize(ctx, authz.CaseWrite, obj); err != nil {
		return nil, err
	}
	seats, err := s.seatsToSuspend(ctx, tx, m.ID, in.SeatIDs, d)
	if err != nil {
		return nil, err
	}
	dec, err := s.r15(d, in.CriminalProceedings, in.Initial, nil,
		map[string]string{"start_date": "start_on", "initial": "initial", "criminal_proceedings": "criminal_proceedings"})
	if err != nil {
		return nil, err
	}
	today, err := tx.OrgLatest(ctx, borg.ID)
	if err != nil {
		return nil, err
	}
	sp := &ktgs.Suspension{MemberID: m.ID, OrgID: home.ID, SubjectName: m.FullName, BodyID: body.ID, ScopePath: today.Path,
		Reason: in.Reason, CriminalProceedings: in.CriminalProceedings, Mark: mark, Status: ktgs.SuspensionActive,
		DecidedOn: in.DecidedOn, StartOn: d, BodyKind: body.Kind, BodyName: body.Name}
	if proc != nil {
		sp.ProceedingID = proc.ID
	}
	if a := ActorFrom(ctx); a != nil {
		sp.CreatedBy = a.UserID
	}
	applyR15(sp, dec)
	if err := s.checkSuspensionOverlap(ctx, tx, sp); err != nil {
		return nil, err
	}
	if err := tx.InsertSuspension(ctx, sp); err != nil {
		return nil, err
	}
	seatIDs := make([]int64, 0, len(seats))
	for _, st := range seats {
		if err := tx.InsertSuspensionSeat(ctx, sp.ID, st.ID); err != nil {
			return nil, err
		}
		seatIDs = append(seatIDs, st.ID)
	}
	if err := s.suspensionEvent(ctx, tx, sp, ktgs.SuspensionStepStart, in.DecidedOn, in.Reason, dec); err != nil {
		return nil, err
	}
	if _, err := s.issueSuspensionDecision(ctx, tx, sp, body, borg, seats); err != nil {
		return nil, err
	}
	return sp, s.audit(ctx, tx, auditEntry{Action: "suspension.suspend", ObjectType: "suspension", ObjectID: sp.ID, OrgID: borg.ID,
		After: suspensionAudit{Suspension: sp, SeatIDs: seatIDs}, Reason: in.Reason})
}

// suspensionAudit is what the audit trail records of a suspension.
type suspensionAudit struct {
	*ktgs.Suspension
	SeatIDs   []int64                   `json:"seat_ids,omitempty"`
	Extension *ktgs.SuspensionExtension `json:"extension,omitempty"`
}

// suspensionMember finds the member, active on day d, and their home chi
// bộ that day.
func (s *Service) suspensionMember(ctx context.Context, tx *store.Tx, in *SuspensionInput, d civil.Date) (*ktgs.Member, *ktgs.Org, error) {
	id := in.MemberID
	if id == 0 {
		card := NormaliseCard(in.CardNumber)
		if card == "" {
			return nil, nil, ktgs.Invalid("member_id", "err.required")
		}
		m, err := tx.MemberByCard(ctx, card, d)
		if notFound(err) {
			return nil, nil, ktgs.Invalid("card_number", "err.member_card_unknown", card)
		} else if err != nil {
			return nil, nil, err
		}
		id = m.ID
	}
	m, err := tx.Member(ctx, id, d)
	if notFound(err) {
		return nil, nil, ktgs.Invalid("member_id", "err.not_found")
	} else if err != nil {
		return nil, nil, err
	}
	if !m.Active(d) {
		return nil, nil, ktgs.Invalid("member_id", "err.member_not_active", m.FullName, d.VN())
	}
	homeID, err := tx.HomeOrgOn(ctx, m.ID, d)
	if err != nil {
		return nil, nil, err
	}
	if homeID == 0 {
		homeID = m.HomeOrgID
	}
	home, err := tx.OrgAt(ctx, homeID, d)
	if notFound(err) {
		return nil, nil, ktgs.Invalid("member_id", "err.member_not_active", m.FullName, d.VN())
	} else if err != nil {
		return nil, nil, err
	}
	return m, home, nil
}

// seatsToSuspend returns the member's seats held on day d named by ids, or
// every seat held then when ids is empty. A seat not held then is refused.
func (s *Service) seatsToSuspend(ctx context.Context, tx *store.Tx, memberID int64, ids []int64, d civil.Date) ([]ktgs.Seat, error) {
	all, err := tx.MemberSeats(ctx, memberID)
	if err != nil {
		return nil, err
	}
	var held []ktgs.Seat
	for _, st := range all {
		if !d.Before(st.Start) && !d.After(st.End) {
			held = append(held, st)
		}
	}
	if len(ids) == 0 {
		return held, nil
	}
	var out []ktgs.Seat
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		i := slices.IndexFunc(held, func(st ktgs.Seat) bool { return st.ID == id })
		if i < 0 {
			return nil, ktgs.Invalid("seat_ids", "err.suspension.seat_not_held", strconv.FormatInt(id, 10), d.VN())
		}
		out = append(out, held[i])
	}
	return out, nil
}

// checkSuspensionOverlap refuses a suspension whose period meets another
// suspension of the same member (a member's party activity is suspended
// once at a time).
func (s *Service) checkSuspensionOverlap(ctx context.Context, tx *store.Tx, sp *ktgs.Suspension) error {
	others, err := tx.MemberSuspensions(ctx, sp.MemberID)
	if err != nil {
		return err
	}
	last := sp.LastDay()
	for _, o := range others {
		if o.ID == sp.ID {
			continue
		}
		olast := o.LastDay()
		if !olast.IsZero() && olast.Before(o.StartOn) {
			continue // ended before it began
		}
		if (olast.IsZero() || !olast.Before(sp.StartOn)) && (last.IsZero() || !last.Before(o.StartOn)) {
			return ktgs.Invalid("start_on", "err.suspension.overlap", o.Code, o.StartOn.VN())
		}
	}
	return nil
}

func (s *Service) suspensionEvent(ctx context.Context, tx *store.Tx, sp *ktgs.Suspension, step string, d civil.Date, note string,
	dec *rules.Decision) error {
	e := &ktgs.SuspensionEvent{SuspensionID: sp.ID, On: d, Actor: SystemActor, Step: step, Note: note}
	if dec != nil {
		e.Rules = stepRules{"R15": dec}.json()
	}
	if a := ActorFrom(ctx); a != nil {
		e.ActorID, e.Actor = a.UserID, a.Name
	}
	return tx.InsertSuspensionEvent(ctx, e)
}

// SuspensionObject is the authorisation object of a suspension: in the
// scope of the deciding body's organisation, with its mark; the suspended
// member may never act on it, and the cadre who recorded it is its team.
func (s *Service) SuspensionObject(ctx context.Context, tx *store.Tx, sp *ktgs.Suspension) (*authz.Object, error) {
	b, err := tx.Body(ctx, sp.BodyID)
	if err != nil {
		return nil, err
	}
	return s.disciplineObject(ctx, tx, b.OrgID, sp.Mark, sp.CreatedBy, sp.MemberID)
}

// suspensionOrg returns the organisation of the body that decided sp:
// the organisation its audit entries belong to.
func suspensionOrg(ctx context.Context, tx *store.Tx, sp *ktgs.Suspension) (int64, error) {
	b, err := tx.Body(ctx, sp.BodyID)
	if err != nil {
		return 0, err
	}
	return b.OrgID, nil
}

func (s *Service) loadSuspensionFor(ctx context.Context, tx *store.Tx, id int64, act authz.Action) (*ktgs.Suspension, error) {
	sp, err := tx.Suspension(ctx, id)
	if err != nil {
		return nil, err
	}
	obj, err := s.SuspensionObject(ctx, tx, sp)
	if err != nil {
		return nil, err
	}
	if err := s.Authorize(ctx, act, obj); err != nil {
		return nil, err
	}
	return sp, nil
}

// activeCheck refuses a step on a suspension that has ended early.
func activeCheck(sp *ktgs.Suspension, step string) error {
	if sp.Status != ktgs.SuspensionActive {
		return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.suspension.not_active", Args: []any{step, sp.Code, string(sp.Status)}}
	}
	return nil
}

// ExtendSuspension extends suspension id by in.Length (in its unit). R15
// decides with every extension so far plus this one; an extension it
// rejects (one too many, too long, or beyond the longest total) is refused
// on "length" with the rule's reason and article, and nothing is stored. A
// suspension that follows the legal time limits is not extended here.
func (s *Service) ExtendSuspension(ctx context.Context, id int64, in SuspensionExtendInput) (*ktgs.Suspension, error) {
	var sp *ktgs.Suspension
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		if sp, err = s.loadSuspensionFor(ctx, tx, id, authz.CaseWrite); err != nil {
			return err
		}
		if err := activeCheck(sp, ktgs.SuspensionStepExtend); err != nil {
			return err
		}
		var v ktgs.Validation
		in.Reason = vn.CleanText(in.Reason)
		in.DecidedOn = s.dateOr(in.DecidedOn)
		checkDate(&v, "decided_on", in.DecidedOn, true)
		switch {
		case v.Has("decided_on"):
		case in.DecidedOn.Before(sp.DecidedOn):
			v.Add("decided_on", "err.suspension.before_decision", sp.DecidedOn.VN())
		case !sp.EndsOn.IsZero() && in.DecidedOn.After(sp.EndsOn):
			v.Add("decided_on", "err.suspension.lapsed", sp.EndsOn.VN())
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
		prev, err := tx.SuspensionExtensions(ctx, sp.ID)
		if err != nil {
			return err
		}
		exts := make([]int, 0, len(prev)+1)
		for _, e := range prev {
			exts = append(exts, e.Length)
		}
		exts = append(exts, in.Length)
		dec, err := s.r15(sp.StartOn, sp.CriminalProceedings, sp.Initial, exts,
			map[string]string{"extensions[" + strconv.Itoa(len(prev)) + "].n": "length", "start_date": "start_on"})
		if err != nil {
			return err
		}
		if dec.Outcome == r15FollowsLaw {
			return suspensionRefusal("length", "err.suspension.follows_law", dec, "r15.criminal", "suspension.criminal_legal_limits")
		}
		if res, ok := dec.Result.(*rules.SuspensionResult); !ok || res.RejectedExtension != nil {
			return suspensionRefusal("length", "err.suspension.extension_refused", dec, "", "")
		}
		before := *sp
		applyR15(sp, dec)
		ext := &ktgs.SuspensionExtension{SuspensionID: sp.ID, Seq: len(prev) + 1, Length: in.Length, DecidedOn: in.DecidedOn,
			Reason: in.Reason, EndsOn: sp.EndsOn}
		if a := ActorFrom(ctx); a != nil {
			ext.CreatedBy = a.UserID
		}
		if err := tx.UpdateSuspension(ctx, sp); err != nil {
			return err
		}
		if err := tx.InsertSuspensionExtension(ctx, ext); err != nil {
			return err
		}
		if err := s.suspensionEvent(ctx, tx, sp, ktgs.SuspensionStepExtend, in.DecidedOn, in.Reason, dec); err != nil {
			return err
		}
		org, err := suspensionOrg(ctx, tx, sp)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "suspension.extend", ObjectType: "suspension", ObjectID: sp.ID, OrgID: org,
			Before: before, After: suspensionAudit{Suspension: sp, Extension: ext}, Reason: in.Reason})
	})
	return sp, err
}

// EndSuspension ends suspension id early: the member's party activity, and
// the seats suspended with it, resume on in.EndedOn.
func (s *Service) EndSuspension(ctx context.Context, id int64, in SuspensionEndInput) (*ktgs.Suspension, error) {
	var sp *ktgs.Suspension
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		if sp, err = s.loadSuspensionFor(ctx, tx, id, authz.CaseWrite); err != nil {
			return err
		}
		if err := activeCheck(sp, ktgs.SuspensionStepEnd); err != nil {
			return err
		}
		var v ktgs.Validation
		in.Reason = vn.CleanText(in.Reason)
		in.EndedOn = s.dateOr(in.EndedOn)
		checkDate(&v, "ended_on", in.EndedOn, true)
		switch {
		case v.Has("ended_on"):
		case in.EndedOn.Before(sp.StartOn):
			v.Add("ended_on", "err.suspension.before_start", sp.StartOn.VN())
		case !sp.EndsOn.IsZero() && in.EndedOn.After(sp.EndsOn):
			v.Add("ended_on", "err.suspension.lapsed", sp.EndsOn.VN())
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
		before := *sp
		sp.Status, sp.EndedOn, sp.EndReason = ktgs.SuspensionEnded, in.EndedOn, in.Reason
		if err := tx.UpdateSuspension(ctx, sp); err != nil {
			return err
		}
		if err := s.suspensionEvent(ctx, tx, sp, ktgs.SuspensionStepEnd, in.EndedOn, in.Reason, nil); err != nil {
			return err
		}
		org, err := suspensionOrg(ctx, tx, sp)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "suspension.end", ObjectType: "suspension", ObjectID: sp.ID, OrgID: org,
			Before: before, After: sp, Reason: in.Reason})
	})
	return sp, err
}

// issueSuspensionDecision drafts the Quyết định đình chỉ sinh hoạt đảng
// and issues it at once, numbered in the deciding body's QĐ sequence
// (R17), rendered as DOCX and PDF with their hashes audited.
func (s *Service) issueSuspensionDecision(ctx context.Context, tx *store.Tx, sp *ktgs.Suspension, body *ktgs.Body, borg *ktgs.Org,
	seats []ktgs.Seat) (*store.Document, error) {
	f := issuerFields(ctx, tx, body, borg)
	f.Summary = "Về việc đình chỉ sinh hoạt đảng đối với đồng chí " + sp.SubjectName
	end := "theo thời hạn tố tụng"
	if !sp.FollowsLaw && !sp.LastDay().IsZero() {
		end = "đến hết ngày " + sp.LastDay().VN()
	}
	f.Body = []string{"- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;", "- Căn cứ quy định của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng;",
		"> QUYẾT ĐỊNH:",
		fmt.Sprintf("Điều 1. Đình chỉ sinh hoạt đảng đối với đồng chí %s từ ngày %s %s.", sp.SubjectName, sp.StartOn.VN(), end),
		"Lý do: " + sp.Reason}
	for _, st := range seats {
		f.Body = append(f.Body, "- Đình chỉ sinh hoạt cấp ủy: "+st.BodyName+orEmpty(", nhiệm kỳ ", st.TermName)+".")
	}
	f.Body = append(f.Body, "Điều 2. Trong thời gian bị đình chỉ sinh hoạt đảng, đồng chí "+sp.SubjectName+" vẫn đóng đảng phí.",
		"Điều 3. Quyết định có hiệu lực kể từ ngày ký. Các tổ chức đảng có liên quan và đồng chí "+sp.SubjectName+" chịu trách nhiệm thi hành.")
	f.Recipients = []string{"Như Điều 3,", "Lưu hồ sơ."}
	b, _ := json.Marshal(f)
	d := &store.Document{SuspensionID: sp.ID, Type: DocDecision, BodyID: body.ID, Status: "DRAFT", Fields: string(b)}
	if err := tx.InsertDocument(ctx, d); err != nil {
		return nil, err
	}
	if err := s.issueDraft(ctx, tx, d, body, borg, sp.Mark, IssueInput{Date: sp.DecidedOn}); err != nil {
		if e := ktgs.AsError(err); e != nil && e.Code == ktgs.EINVALID {
			if fe, ok := e.Fields["date"]; ok {
				// The issuing body has no term on the decision date.
				return nil, &ktgs.Error{Code: e.Code, Message: e.Message, Fields: map[string]ktgs.FieldError{"decided_on": fe}}
			}
		}
		return nil, err
	}
	return d, nil
}

// SuspensionDetail is a suspension with what its page shows.
type SuspensionDetail struct {
	Suspension *ktgs.Suspension `json:"suspension"`
	// Documents are its decision (issued at the suspension).
	Documents []store.Document `json:"-"`
	// State is where it stands today.
	State      ktgs.SuspensionState       `json:"state"`
	Extensions []ktgs.SuspensionExtension `json:"extensions"`
	Seats      []ktgs.SuspendedSeat       `json:"seats"`
	Events     []ktgs.SuspensionEvent     `json:"events"`
	// ProceedingCode is the linked proceeding's code, when the reader may
	// read it.
	ProceedingCode string `json:"proceeding_code,omitempty"`
	// Next lists the steps the reader may take: extend, end.
	Next     []string `json:"next"`
	CanWrite bool     `json:"can_write"`
	// R15 is the rule's decision on the suspension as it stands (initial
	// length and accepted extensions), with its reasons and citations.
	R15 *rules.Decision `json:"rules,omitempty"`
}

// SuspensionDetail returns suspension id for a reader.
func (s *Service) SuspensionDetail(ctx context.Context, id int64) (*SuspensionDetail, error) {
	out := &SuspensionDetail{}
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		sp, err := s.loadSuspensionFor(ctx, tx, id, authz.CaseRead)
		if err != nil {
			return err
		}
		out.Suspension, out.State = sp, sp.StateOn(s.Today())
		if out.Extensions, err = tx.SuspensionExtensions(ctx, id); err != nil {
			return err
		}
		if out.Seats, err = tx.SuspensionSeats(ctx, id); err != nil {
			return err
		}
		if out.Events, err = tx.SuspensionEvents(ctx, id); err != nil {
			return err
		}
		if out.Documents, err = tx.SuspensionDocuments(ctx, id); err != nil {
			return err
		}
		if sp.ProceedingID != 0 {
			if p, err := s.loadProceedingFor(ctx, tx, sp.ProceedingID, authz.CaseRead); err == nil {
				out.ProceedingCode = p.Code
			}
		}
		obj, err := s.SuspensionObject(ctx, tx, sp)
		if err != nil {
			return err
		}
		out.CanWrite = s.Authorize(ctx, authz.CaseWrite, obj) == nil
		if out.CanWrite && sp.Status == ktgs.SuspensionActive && out.State != ktgs.SuspensionLapsed {
			if !sp.FollowsLaw {
				out.Next = append(out.Next, ktgs.SuspensionStepExtend)
			}
			out.Next = append(out.Next, ktgs.SuspensionStepEnd)
		}
		exts := make([]int, 0, len(out.Extensions))
		for _, e := range out.Extensions {
			exts = append(exts, e.Length)
		}
		if dec, err := s.r15(sp.StartOn, sp.CriminalProceedings, sp.Initial, exts, nil); err == nil {
			out.R15 = dec
		}
		return nil
	})
	return out, err
}

// SuspensionQuery filters the suspensions list.
type SuspensionQuery struct {
	SubtreeOrgID int64
	MemberID     int64
	Status       ktgs.SuspensionStatus
	// EndingBy keeps the ACTIVE suspensions whose last day is on or before
	// it, soonest first.
	EndingBy civil.Date
	BeforeID int64
	Limit    int
}

// ListSuspensions returns the suspensions the actor may read (case:read in
// their scope, up to their clearance), newest first, or soonest ending
// first with EndingBy.
func (s *Service) ListSuspensions(ctx context.Context, q SuspensionQuery) ([]*ktgs.Suspension, bool, error) {
	var out []*ktgs.Suspension
	var more bool
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		paths, mark, err := s.readablePaths(ctx, tx, authz.CaseRead, q.SubtreeOrgID)
		if err != nil {
			return err
		}
		out, more, err = tx.Suspensions(ctx, store.SuspensionFilter{Paths: paths, MemberID: q.MemberID, Status: q.Status,
			EndingBy: q.EndingBy, MaxMark: mark, BeforeID: q.BeforeID, Limit: q.Limit})
		return err
	})
	return out, more, err
}

// MemberSuspensions returns the suspensions of member id that the actor
// may read, newest first.
func (s *Service) MemberSuspensions(ctx context.Context, memberID int64) ([]*ktgs.Suspension, error) {
	out, _, err := s.ListSuspensions(ctx, SuspensionQuery{MemberID: memberID, Limit: 200})
	return out, err
}

// SuspensionsEndingBy lists the ACTIVE suspensions whose last day is on or
// before day d, soonest first, at most limit (200 for a person; the
// reminder job, acting as the system, may ask for more): what must be
// decided before the member's party activity resumes.
func (s *Service) SuspensionsEndingBy(ctx context.Context, d civil.Date, limit int) ([]*ktgs.Suspension, error) {
	var v ktgs.Validation
	checkDate(&v, "date", d, true)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 50
	}
	if isSystem(ctx) {
		var out []*ktgs.Suspension
		err := s.DB.View(ctx, func(tx *store.Tx) error {
			var err error
			out, err = tx.SuspensionsEndingBy(ctx, d, limit)
			return err
		})
		return out, err
	}
	out, _, err := s.ListSuspensions(ctx, SuspensionQuery{EndingBy: d, Limit: limit})
	return out, err
}
