package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/calendar"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// SubjectInput names a subject of a case: an organisation by id or code,
// or a member by id or party card number.
type SubjectInput struct {
	Kind       ktgs.SubjectKind `json:"kind"`
	OrgID      int64            `json:"org_id,omitempty"`
	OrgCode    string           `json:"org_code,omitempty"`
	MemberID   int64            `json:"member_id,omitempty"`
	CardNumber string           `json:"card_number,omitempty"`
}

// CaseInput proposes a case.
type CaseInput struct {
	Kind ktgs.CaseKind `json:"kind"`
	// BodyID is the acting body (a UBKT, cấp ủy, ban thường vụ or chi
	// bộ); or OrgCode and BodyKind name it.
	BodyID     int64         `json:"body_id,omitempty"`
	OrgCode    string        `json:"org_code,omitempty"`
	BodyKind   ktgs.BodyKind `json:"body_kind,omitempty"`
	Title      string        `json:"title"`
	Content    string        `json:"content"`
	Mark       string        `json:"mark,omitempty"` // THUONG, MAT, TOI_MAT; default by kind
	ProposedOn civil.Date    `json:"proposed_on,omitempty"`
	Subjects   []SubjectInput
	// ProgrammeItemID links the case to the programme item it carries out.
	ProgrammeItemID int64 `json:"programme_item_id,omitempty"`
}

const (
	maxTitle   = 300
	maxContent = 20000
	maxNote    = 4000
)

// ProposeCase records a proposal (đề xuất): the first step of the
// procedure. The rules decide whether the body may start this kind of case
// on these subjects (R20), with the citation.
func (s *Service) ProposeCase(ctx context.Context, in CaseInput) (*ktgs.Case, error) {
	var c *ktgs.Case
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		c, err = s.proposeCase(ctx, tx, &in)
		return err
	})
	return c, err
}

func (s *Service) proposeCase(ctx context.Context, tx *store.Tx, in *CaseInput) (*ktgs.Case, error) {
	var v ktgs.Validation
	in.Title, in.Content = vn.Clean(in.Title), vn.CleanText(in.Content)
	if !in.Kind.Valid() {
		v.Add("kind", "err.case.kind")
	}
	switch {
	case in.Title == "":
		v.Add("title", "err.required")
	case len([]rune(in.Title)) > maxTitle:
		v.Add("title", "err.too_long", maxTitle)
	}
	if len([]rune(in.Content)) > maxContent {
		v.Add("content", "err.too_long", maxContent)
	}
	if in.ProposedOn.IsZero() {
		in.ProposedOn = s.Today()
	}
	checkDate(&v, "proposed_on", in.ProposedOn, true)
	mark := in.Kind.DefaultMark()
	if in.Mark != "" {
		m, ok := authz.ParseMark(in.Mark)
		if !ok {
			v.Add("mark", "err.auth.clearance")
		}
		mark = m
	}
	if len(in.Subjects) == 0 {
		v.Add("subjects", "err.case.no_subject")
	} else if len(in.Subjects) > 200 {
		v.Add("subjects", "err.too_many", 200)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	body, org, err := s.resolveBody(ctx, tx, in.BodyID, in.OrgCode, in.BodyKind, in.ProposedOn)
	if err != nil {
		return nil, err
	}
	obj, err := s.OrgObject(ctx, tx, org.ID)
	if err != nil {
		return nil, err
	}
	obj.Mark = mark
	if err := s.Authorize(ctx, authz.CaseCreate, obj); err != nil {
		return nil, err
	}
	subjects, err := s.resolveSubjects(ctx, tx, in.Subjects, org, in.ProposedOn)
	if err != nil {
		return nil, err
	}
	if err := s.checkInitiation(ctx, tx, in.Kind, body, org, subjects, in.ProposedOn); err != nil {
		return nil, err
	}
	today, err := tx.OrgLatest(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	c := &ktgs.Case{Kind: in.Kind, BodyID: body.ID, OrgID: org.ID, ScopePath: today.Path, Title: in.Title, Content: in.Content,
		Mark: mark, Status: ktgs.CaseProposed, Year: in.ProposedOn.Year(), ProposedOn: in.ProposedOn, Subjects: subjects,
		ProgrammeItemID: in.ProgrammeItemID, BodyKind: body.Kind, OrgName: org.Name}
	if a := ActorFrom(ctx); a != nil {
		c.CreatedBy = a.UserID
	}
	if err := tx.InsertCase(ctx, c); err != nil {
		return nil, err
	}
	if in.ProgrammeItemID != 0 {
		if err := tx.SetItemCase(ctx, in.ProgrammeItemID, c.ID); err != nil {
			return nil, err
		}
	}
	if err := s.caseEvent(ctx, tx, c, "propose", "", ktgs.CaseProposed, ""); err != nil {
		return nil, err
	}
	for _, sb := range c.Subjects {
		if err := s.warnRetaliation(ctx, tx, sb.MemberID, "case", c.Code, fmt.Sprintf("/cases/%d", c.ID)); err != nil {
			return nil, err
		}
	}
	return c, s.audit(ctx, tx, auditEntry{Action: "case.propose", ObjectType: "case", ObjectID: c.ID, OrgID: c.OrgID, After: c})
}

// resolveBody finds the acting body and its organisation on day d.
func (s *Service) resolveBody(ctx context.Context, tx *store.Tx, bodyID int64, orgCode string, kind ktgs.BodyKind, d civil.Date) (*ktgs.Body, *ktgs.Org, error) {
	if bodyID == 0 {
		if orgCode == "" || kind == "" {
			return nil, nil, ktgs.Invalid("body_id", "err.required")
		}
		id, err := tx.OrgIDByCode(ctx, NormaliseCode(orgCode))
		if notFound(err) {
			return nil, nil, ktgs.Invalid("org_code", "err.auth.scope_code", orgCode)
		} else if err != nil {
			return nil, nil, err
		}
		bodies, err := tx.Bodies(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		for _, b := range bodies {
			if b.Kind == kind {
				bodyID = b.ID
			}
		}
		if bodyID == 0 {
			return nil, nil, ktgs.Invalid("body_kind", "err.case.no_body", string(kind))
		}
	}
	b, err := tx.Body(ctx, bodyID)
	if notFound(err) {
		return nil, nil, ktgs.Invalid("body_id", "err.not_found")
	} else if err != nil {
		return nil, nil, err
	}
	if b.Kind == ktgs.BodyBranchCommittee {
		// A chi ủy has no power of inspection or discipline (GLOSSARY).
		return nil, nil, ktgs.Invalid("body_id", "err.case.body_kind", string(b.Kind))
	}
	o, err := tx.OrgAt(ctx, b.OrgID, d)
	if notFound(err) {
		return nil, nil, ktgs.Invalid("body_id", "err.org_not_on_date", b.OrgID, d.VN())
	} else if err != nil {
		return nil, nil, err
	}
	return b, o, nil
}

// resolveSubjects checks each subject exists on day d, is not repeated, and
// lies in the acting organisation's subtree (the rules check more).
func (s *Service) resolveSubjects(ctx context.Context, tx *store.Tx, in []SubjectInput, org *ktgs.Org, d civil.Date) ([]ktgs.CaseSubject, error) {
	var v ktgs.Validation
	var out []ktgs.CaseSubject
	seen := map[string]bool{}
	for i, si := range in {
		field := fmt.Sprintf("subjects.%d", i)
		switch si.Kind {
		case ktgs.SubjectOrg:
			id := si.OrgID
			if id == 0 && si.OrgCode != "" {
				var err error
				if id, err = tx.OrgIDByCode(ctx, NormaliseCode(si.OrgCode)); notFound(err) {
					v.Add(field, "err.auth.scope_code", si.OrgCode)
					continue
				} else if err != nil {
					return nil, err
				}
			}
			o, err := tx.OrgAt(ctx, id, d)
			if notFound(err) {
				v.Add(field, "err.org_not_on_date", id, d.VN())
				continue
			} else if err != nil {
				return nil, err
			}
			key := "o" + fmt.Sprint(o.ID)
			if seen[key] {
				v.Add(field, "err.case.duplicate_subject", o.Name)
				continue
			}
			seen[key] = true
			out = append(out, ktgs.CaseSubject{Kind: ktgs.SubjectOrg, OrgID: o.ID, Name: o.Name})
		case ktgs.SubjectMember:
			var m *ktgs.Member
			var err error
			if si.MemberID != 0 {
				m, err = tx.Member(ctx, si.MemberID, d)
			} else {
				m, err = tx.MemberByCard(ctx, NormaliseCard(si.CardNumber), d)
			}
			if notFound(err) {
				v.Add(field, "err.member_card_unknown", si.CardNumber)
				continue
			} else if err != nil {
				return nil, err
			}
			key := "m" + fmt.Sprint(m.ID)
			if seen[key] {
				v.Add(field, "err.case.duplicate_subject", m.FullName)
				continue
			}
			seen[key] = true
			home, err := tx.HomeOrgOn(ctx, m.ID, d)
			if err != nil {
				home = m.HomeOrgID
			}
			out = append(out, ktgs.CaseSubject{Kind: ktgs.SubjectMember, OrgID: home, MemberID: m.ID, Name: m.FullName})
		default:
			v.Add(field, "err.case.subject_kind")
		}
	}
	return out, v.Err()
}

// NormaliseCode is the canonical form of an organisation code: trimmed,
// NFC, upper case (as organisations are stored).
func NormaliseCode(s string) string { return strings.ToUpper(vn.Clean(s)) }

// caseEvent appends to the case's timeline.
func (s *Service) caseEvent(ctx context.Context, tx *store.Tx, c *ktgs.Case, what string, from, to ktgs.CaseStatus, note string) error {
	e := &ktgs.CaseEvent{CaseID: c.ID, Actor: SystemActor, Transition: what, From: from, To: to, Note: note}
	if a := ActorFrom(ctx); a != nil {
		e.ActorID, e.Actor = a.UserID, a.Name
	}
	return tx.InsertCaseEvent(ctx, e)
}

// CaseObject is the authorisation object of case c: in the scope of the
// acting organisation, with the case's mark, team and the member subjects
// (who may never act on their own case).
func (s *Service) CaseObject(ctx context.Context, tx *store.Tx, c *ktgs.Case) (*authz.Object, error) {
	obj, err := s.OrgObject(ctx, tx, c.OrgID)
	if err != nil {
		return nil, err
	}
	obj.Mark = c.Mark
	team, err := tx.Team(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range team {
		if m.RemovedOn.IsZero() {
			obj.Team = append(obj.Team, m.UserID)
		}
	}
	for _, sb := range c.Subjects {
		if sb.MemberID != 0 {
			obj.Accused = append(obj.Accused, sb.MemberID)
		}
	}
	return obj, nil
}

// relation says how the actor stands to a case: the head of the acting
// body (role CHAIR or SECRETARY with write access), the team leader, or a
// team member.
func (s *Service) relation(ctx context.Context, tx *store.Tx, c *ktgs.Case) (map[ktgs.CaseActor]bool, error) {
	rel := map[ktgs.CaseActor]bool{}
	if isSystem(ctx) {
		rel[ktgs.ActorHead], rel[ktgs.ActorLead], rel[ktgs.ActorTeam] = true, true, true
		return rel, nil
	}
	a := ActorFrom(ctx)
	if a == nil {
		return rel, nil
	}
	if a.Role == authz.RoleChair || a.Role == authz.RoleSecretary {
		rel[ktgs.ActorHead] = true
	}
	team, err := tx.Team(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range team {
		if m.UserID == a.UserID && m.RemovedOn.IsZero() {
			rel[ktgs.ActorTeam] = true
			if m.Role == ktgs.TeamRoleLead {
				rel[ktgs.ActorLead] = true
			}
		}
	}
	return rel, nil
}

// loadCaseFor loads case id and authorises act on it.
func (s *Service) loadCaseFor(ctx context.Context, tx *store.Tx, id int64, act authz.Action) (*ktgs.Case, error) {
	c, err := tx.Case(ctx, id)
	if err != nil {
		return nil, err
	}
	obj, err := s.CaseObject(ctx, tx, c)
	if err != nil {
		return nil, err
	}
	if err := s.Authorize(ctx, act, obj); err != nil {
		return nil, err
	}
	return c, nil
}

// RemediationInput is one request of a conclusion.
type RemediationInput struct {
	SubjectSeq int        `json:"subject_seq"`
	FindingID  int64      `json:"finding_id,omitempty"`
	Text       string     `json:"text"`
	DueOn      civil.Date `json:"due_on"`
}

// TransitionInput asks for one step of the procedure.
type TransitionInput struct {
	Name string     `json:"name"`
	Date civil.Date `json:"date,omitempty"` // the day it happened; default today
	Note string     `json:"note,omitempty"`
	// Reason is required to suspend or cancel.
	Reason string `json:"reason,omitempty"`
	// The plan, for "decide": start and duration (no default: RULES.md
	// §2.3 has no general time limit).
	StartOn      civil.Date `json:"start_on,omitempty"`
	DurationDays int        `json:"duration_days,omitempty"`
	DurationUnit string     `json:"duration_unit,omitempty"` // working_days (default) or calendar_days
	// Remediations, for "conclude".
	Remediations []RemediationInput `json:"remediations,omitempty"`
}

// Transition moves case id one step through the procedure
// (ktgs.CaseTransitions). It refuses, with the reason, a step out of
// order, by someone the step does not name, or whose requirements are not
// met; nothing changes then. Each step writes the timeline and the audit
// trail in one transaction.
func (s *Service) Transition(ctx context.Context, id int64, in TransitionInput) (*ktgs.Case, error) {
	var c *ktgs.Case
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		c, err = s.transition(ctx, tx, id, &in)
		return err
	})
	return c, err
}

func (s *Service) transition(ctx context.Context, tx *store.Tx, id int64, in *TransitionInput) (*ktgs.Case, error) {
	t, ok := ktgs.TransitionByName(in.Name)
	if !ok {
		return nil, ktgs.Invalid("name", "err.case.transition_unknown", in.Name)
	}
	c, err := s.loadCaseFor(ctx, tx, id, authz.CaseWrite)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(t.From, c.Status) {
		return nil, ktgs.Invalid("name", "err.case.out_of_order", in.Name, string(c.Status))
	}
	rel, err := s.relation(ctx, tx, c)
	if err != nil {
		return nil, err
	}
	allowed := false
	for _, w := range t.Who {
		allowed = allowed || rel[w]
	}
	if !allowed {
		who := make([]string, len(t.Who))
		for i, w := range t.Who {
			who[i] = string(w)
		}
		return nil, &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.case.not_your_step", Args: []any{strings.Join(who, ", ")}}
	}
	if in.Date.IsZero() {
		in.Date = s.Today()
	}
	var v ktgs.Validation
	checkDate(&v, "date", in.Date, true)
	if in.Date.Before(c.ProposedOn) {
		v.Add("date", "err.date_after", "proposed_on")
	}
	in.Note, in.Reason = vn.CleanText(in.Note), vn.CleanText(in.Reason)
	if len([]rune(in.Note)) > maxNote {
		v.Add("note", "err.too_long", maxNote)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	before := *c
	for _, need := range t.Needs {
		if err := s.checkNeed(ctx, tx, c, need, in); err != nil {
			return nil, err
		}
	}
	from := c.Status
	to := t.To
	switch t.Name {
	case ktgs.TransDecide:
		c.DecidedOn, c.StartOn, c.DurationDays = in.Date, in.StartOn, in.DurationDays
		c.DurationUnit = in.DurationUnit
		c.DueOn = s.dueDate(c.StartOn, c.DurationDays, c.DurationUnit)
	case ktgs.TransConclude:
		c.ConcludedOn = in.Date
		for i, r := range in.Remediations {
			rem := &ktgs.Remediation{CaseID: c.ID, FindingID: r.FindingID, SubjectSeq: r.SubjectSeq, Text: vn.CleanText(r.Text),
				DueOn: r.DueOn, Status: ktgs.RemediationOpen}
			if err := tx.InsertRemediation(ctx, rem); err != nil {
				return nil, err
			}
			_ = i
		}
	case ktgs.TransClose:
		c.ClosedOn = in.Date
	case ktgs.TransSuspend:
		c.PrevStatus = c.Status
	case ktgs.TransResume:
		to, c.PrevStatus = c.PrevStatus, ""
	}
	c.Status = to
	if err := tx.UpdateCase(ctx, c); err != nil {
		return nil, err
	}
	note := in.Note
	if in.Reason != "" {
		note = strings.TrimSpace(in.Reason + "\n" + in.Note)
	}
	if err := s.caseEvent(ctx, tx, c, t.Name, from, to, note); err != nil {
		return nil, err
	}
	return c, s.audit(ctx, tx, auditEntry{Action: "case." + t.Name, ObjectType: "case", ObjectID: c.ID, OrgID: c.OrgID,
		Before: caseState(&before), After: caseState(c), Reason: in.Reason})
}

// caseState is what the audit trail records of a case's step.
func caseState(c *ktgs.Case) map[string]any {
	return map[string]any{"status": c.Status, "decided_on": c.DecidedOn, "start_on": c.StartOn, "duration_days": c.DurationDays,
		"due_on": c.DueOn, "concluded_on": c.ConcludedOn, "closed_on": c.ClosedOn}
}

// dueDate is the plan's end: duration days (working days by default)
// from the start, by the Vietnamese calendar.
func (s *Service) dueDate(start civil.Date, n int, unit string) civil.Date {
	u := calendar.WorkingDays
	if unit == string(calendar.CalendarDays) {
		u = calendar.CalendarDays
	}
	return s.calendar().Add(start, n, u)
}

func (s *Service) calendar() *calendar.Calendar {
	if s.Calendar != nil {
		return s.Calendar
	}
	return calendar.Default()
}

// checkNeed enforces one requirement of a transition.
func (s *Service) checkNeed(ctx context.Context, tx *store.Tx, c *ktgs.Case, need ktgs.CaseRequirement, in *TransitionInput) error {
	switch need {
	case ktgs.NeedPlan:
		var v ktgs.Validation
		checkDate(&v, "start_on", in.StartOn, true)
		if !in.StartOn.IsZero() && in.StartOn.Before(in.Date) {
			v.Add("start_on", "err.date_after", "date")
		}
		if in.DurationDays <= 0 {
			v.Add("duration_days", "err.case.duration")
		} else if in.DurationDays > 365 {
			v.Add("duration_days", "err.range", 1, 365)
		}
		if in.DurationUnit != "" && in.DurationUnit != string(calendar.WorkingDays) && in.DurationUnit != string(calendar.CalendarDays) {
			v.Add("duration_unit", "err.case.duration_unit")
		}
		return v.Err()
	case ktgs.NeedTeamLead:
		team, err := tx.Team(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, m := range team {
			if m.Role == ktgs.TeamRoleLead && m.RemovedOn.IsZero() {
				return nil
			}
		}
		return ktgs.Invalid("team", "err.case.no_lead")
	case ktgs.NeedSelfReport:
		for _, sb := range c.Subjects {
			if sb.SelfReportOn.IsZero() {
				return ktgs.Invalid("subjects", "err.case.no_self_report", sb.Name)
			}
		}
	case ktgs.NeedSubjectComments:
		for _, sb := range c.Subjects {
			if sb.CommentsOn.IsZero() {
				return ktgs.Invalid("subjects", "err.case.no_comments", sb.Name)
			}
		}
	case ktgs.NeedFindings:
		findings, err := tx.Findings(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, sb := range c.Subjects {
			found := false
			for _, f := range findings {
				found = found || f.SubjectSeq == sb.Seq
			}
			if !found {
				return ktgs.Invalid("findings", "err.case.no_findings", sb.Name)
			}
		}
		var v ktgs.Validation
		byID := map[int64]ktgs.Finding{}
		for _, f := range findings {
			byID[f.ID] = f
		}
		for i, r := range in.Remediations {
			field := fmt.Sprintf("remediations.%d", i)
			if r.SubjectSeq < 1 || r.SubjectSeq > len(c.Subjects) {
				v.Add(field+".subject_seq", "err.case.subject_seq")
			}
			if f, ok := byID[r.FindingID]; r.FindingID != 0 && (!ok || f.SubjectSeq != r.SubjectSeq) {
				v.Add(field+".finding_id", "err.not_found")
			}
			if strings.TrimSpace(r.Text) == "" {
				v.Add(field+".text", "err.required")
			}
			checkDate(&v, field+".due_on", r.DueOn, true)
			if !r.DueOn.IsZero() && !r.DueOn.After(in.Date) {
				v.Add(field+".due_on", "err.case.due_before_conclusion", in.Date.VN())
			}
		}
		return v.Err()
	case ktgs.NeedRemediationsDone:
		rems, err := tx.Remediations(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, r := range rems {
			if !r.Status.Done() {
				return ktgs.Invalid("remediations", "err.case.remediation_open", r.Text)
			}
		}
	case ktgs.NeedReason:
		if len([]rune(strings.TrimSpace(in.Reason))) < 5 {
			return ktgs.Invalid("reason", "err.case.reason")
		}
	}
	return nil
}
