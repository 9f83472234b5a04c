package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// Discipline proceedings (issue "Discipline"). Every question the
// procedure asks is put to the rules package as a request built from the
// register on the day that matters (RULES.md §0): the forms allowed (R1)
// and the body's authority (R2) on the decision date, the ballot (R3–R5),
// the statute of limitations (R6) on the conclusion date, the state
// notification deadline (R18), and after the decision its expiry (R7) and
// the removal bar (R8). The answers, with their citations, are stored with
// each step, so the history shows why each step went where it went.

// ProceedingInput opens a proceeding.
type ProceedingInput struct {
	SubjectKind ktgs.SubjectKind `json:"subject_kind"`
	// The member subject (MemberID or CardNumber), or the organisation
	// subject (OrgID or OrgCode).
	MemberID   int64  `json:"member_id,omitempty"`
	CardNumber string `json:"card_number,omitempty"`
	OrgID      int64  `json:"org_id,omitempty"`
	OrgCode    string `json:"org_code,omitempty"`
	// The acting body: BodyID, or BodyOrgCode and BodyKind.
	BodyID      int64         `json:"body_id,omitempty"`
	BodyOrgCode string        `json:"body_org_code,omitempty"`
	BodyKind    ktgs.BodyKind `json:"body_kind,omitempty"`

	Origin    ktgs.ProceedingOrigin `json:"origin"`
	FindingID int64                 `json:"finding_id,omitempty"`
	// A state notification (R18): its reference, the state decision's
	// date and the day the notice was received.
	NoticeRef        string     `json:"notice_ref,omitempty"`
	NoticeDecisionOn civil.Date `json:"notice_decision_on,omitempty"`
	NoticeReceivedOn civil.Date `json:"notice_received_on,omitempty"`

	Category        string              `json:"category"`
	ViolationScope  string              `json:"violation_scope,omitempty"`
	Violation       string              `json:"violation"`
	ViolationOn     civil.Date          `json:"violation_on"`
	ContinuingUntil civil.Date          `json:"continuing_until,omitempty"`
	WarrantedForm   ktgs.DisciplineForm `json:"warranted_form"`
	OpenedOn        civil.Date          `json:"opened_on,omitempty"` // default today
	Mark            string              `json:"mark,omitempty"`      // default MAT
}

// stepRules is what a step stores of the rule decisions behind it.
type stepRules map[string]*rules.Decision

func (r stepRules) json() string {
	if len(r) == 0 {
		return ""
	}
	b, _ := json.Marshal(r)
	return string(b)
}

// askRule evaluates rule on req. A rule that refuses the request as
// invalid answers with its field errors, renamed by fields (rules field →
// our field; a prefix ending in "." renames a subtree) so that the form
// shows them next to the right input.
func (s *Service) askRule(rule string, req any, fields map[string]string) (*rules.Decision, error) {
	b, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	dec, err := s.Rules.Evaluate(rule, b)
	if err != nil {
		e := ktgs.AsError(err)
		if e == nil || e.Code != ktgs.EINVALID {
			return nil, err
		}
		out := &ktgs.Error{Code: e.Code, Message: e.Message, Args: e.Args, Rule: e.Rule, Fields: map[string]ktgs.FieldError{}}
		for k, fe := range e.Fields {
			name := k
			for from, to := range fields {
				if k == from || (strings.HasSuffix(from, ".") && strings.HasPrefix(k, from)) {
					name = to
					break
				}
			}
			out.Fields[name] = fe
		}
		return nil, out
	}
	return dec, nil
}

// OpenProceeding opens a discipline proceeding. It refuses, with the rule
// and its article, a form the subject cannot receive (R1), a body with no
// disciplinary role over the subject (R2), and a second proceeding for a
// violation already handled (one violation, one decision: QĐ 69 Art. 2).
func (s *Service) OpenProceeding(ctx context.Context, in ProceedingInput) (*ktgs.Proceeding, error) {
	var p *ktgs.Proceeding
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		p, err = s.openProceeding(ctx, tx, &in)
		return err
	})
	return p, err
}

func (s *Service) openProceeding(ctx context.Context, tx *store.Tx, in *ProceedingInput) (*ktgs.Proceeding, error) {
	var v ktgs.Validation
	in.Violation, in.NoticeRef = vn.CleanText(in.Violation), vn.Clean(in.NoticeRef)
	in.Category, in.ViolationScope = strings.ToUpper(vn.Clean(in.Category)), strings.ToUpper(vn.Clean(in.ViolationScope))
	if in.OpenedOn.IsZero() {
		in.OpenedOn = s.Today()
	}
	checkDate(&v, "opened_on", in.OpenedOn, true)
	if !in.Origin.Valid() {
		v.Add("origin", "err.proceeding.origin")
	}
	var finding *ktgs.Finding
	if in.Origin == ktgs.OriginFinding {
		f, err := s.findingForProceeding(ctx, tx, in)
		if err != nil {
			return nil, err
		}
		finding = f
	}
	if in.SubjectKind != ktgs.SubjectMember && in.SubjectKind != ktgs.SubjectOrg {
		v.Add("subject_kind", "err.required")
	}
	switch {
	case in.Violation == "":
		v.Add("violation", "err.required")
	case len([]rune(in.Violation)) > maxContent:
		v.Add("violation", "err.too_long", maxContent)
	}
	if in.Category == "" {
		in.Category = "KHAC"
	}
	checkDate(&v, "violation_on", in.ViolationOn, true)
	checkDate(&v, "continuing_until", in.ContinuingUntil, false)
	if !in.ViolationOn.IsZero() && in.OpenedOn.Before(in.ViolationOn) && !v.Has("violation_on") {
		v.Add("violation_on", "err.date_after", "opened_on")
	}
	if !in.ContinuingUntil.IsZero() && in.ContinuingUntil.Before(in.ViolationOn) && !v.Has("continuing_until") {
		v.Add("continuing_until", "err.date_not_before", "violation_on")
	}
	if !in.WarrantedForm.Valid() {
		v.Add("warranted_form", "err.proceeding.form")
	}
	if in.Origin.StateNotice() {
		checkDate(&v, "notice_decision_on", in.NoticeDecisionOn, true)
		checkDate(&v, "notice_received_on", in.NoticeReceivedOn, true)
		if !in.NoticeReceivedOn.IsZero() && in.NoticeReceivedOn.Before(in.NoticeDecisionOn) && !v.Has("notice_received_on") {
			v.Add("notice_received_on", "err.date_not_before", "notice_decision_on")
		}
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
	d := in.OpenedOn
	body, borg, err := s.resolveBody(ctx, tx, in.BodyID, in.BodyOrgCode, in.BodyKind, d)
	if err != nil {
		return nil, err
	}
	if in.Mark == "" {
		// A chi bộ considers discipline in its own meeting, before all
		// its official members: the file is ordinary (thường) there.
		// Above the chi bộ it is mật by default.
		mark = authz.Secret
		if body.Kind == ktgs.BodyBranch {
			mark = authz.Normal
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
	p := &ktgs.Proceeding{SubjectKind: in.SubjectKind, Origin: in.Origin, NoticeRef: in.NoticeRef, NoticeDecisionOn: in.NoticeDecisionOn,
		NoticeReceivedOn: in.NoticeReceivedOn, BodyID: body.ID, FirstBodyID: body.ID, Category: in.Category, ViolationScope: in.ViolationScope,
		Violation: in.Violation, ViolationOn: in.ViolationOn, ContinuingUntil: in.ContinuingUntil, WarrantedForm: in.WarrantedForm,
		Mark: mark, Status: ktgs.ProcOpen, OpenedOn: d}
	if finding != nil {
		p.CaseID, p.FindingID = finding.CaseID, finding.ID
	}
	if a := ActorFrom(ctx); a != nil {
		p.CreatedBy = a.UserID
	}
	if err := s.resolveProceedingSubject(ctx, tx, p, in, borg); err != nil {
		return nil, err
	}
	if p.SubjectKind == ktgs.SubjectMember {
		obj.Accused = []int64{p.MemberID}
		if err := s.Authorize(ctx, authz.CaseCreate, obj); err != nil {
			return nil, err
		}
	}
	today, err := tx.OrgLatest(ctx, borg.ID)
	if err != nil {
		return nil, err
	}
	p.ScopePath = today.Path
	if err := s.checkOneDecision(ctx, tx, p); err != nil {
		return nil, err
	}
	decisions := stepRules{}
	// R1: the form the violation warrants must be one the subject can
	// receive; R2: the body must have a disciplinary role over it.
	ladder, subject, err := s.disciplineSubject(ctx, tx, p, d)
	if err != nil {
		return nil, err
	}
	if decisions["R1"], err = s.askRule("R1", rules.FormsRequest{DecisionDate: d.String(), Subject: &ladder, Form: string(p.WarrantedForm)},
		map[string]string{"form": "warranted_form", "subject.": "subject_kind"}); err != nil {
		return nil, err
	}
	if decisions["R2"], err = s.authority(ctx, tx, p, body, borg, subject, p.WarrantedForm, d); err != nil {
		return nil, err
	}
	if decisions["R2"].Outcome == rules.OutcomeNone {
		return nil, ruleRefusal("body_id", "err.proceeding.no_authority", decisions["R2"])
	}
	if p.Origin.StateNotice() {
		dec, err := s.askRule("R18", rules.NotificationRequest{Kind: string(p.Origin), DecisionDate: p.NoticeDecisionOn.String(),
			NotifiedOn: p.NoticeReceivedOn.String()}, map[string]string{"decision_date": "notice_decision_on", "notified_on": "notice_received_on"})
		if err != nil {
			return nil, err
		}
		if r, ok := dec.Result.(*rules.NotificationResult); ok {
			p.NoticeDueOn = r.Deadline
		}
		p.NoticeLate = dec.Outcome == "LATE"
		decisions["R18"] = dec
	}
	if dec, err := s.limitation(p, p.WarrantedForm, d); err == nil {
		decisions["R6"] = dec
	}
	if err := tx.InsertProceeding(ctx, p); err != nil {
		return nil, err
	}
	if err := s.procEvent(ctx, tx, p, ktgs.StepOpen, "", d, string(p.Origin), decisions); err != nil {
		return nil, err
	}
	if err := s.warnRetaliation(ctx, tx, p.MemberID, "proceeding", p.Code, fmt.Sprintf("/proceedings/%d", p.ID)); err != nil {
		return nil, err
	}
	return p, s.audit(ctx, tx, auditEntry{Action: "proceeding.open", ObjectType: "proceeding", ObjectID: p.ID, OrgID: borg.ID, After: p})
}

// ruleRefusal turns a rule's negative answer into a field error carrying
// the rule's first reason and citation.
func ruleRefusal(field, key string, dec *rules.Decision) *ktgs.Error {
	fe := ktgs.FieldError{Key: key}
	if len(dec.Reasons) > 0 {
		fe.Args = []any{dec.Reasons[len(dec.Reasons)-1].VI}
	}
	if len(dec.Citations) > 0 {
		c := dec.Citations[len(dec.Citations)-1]
		fe.Rule = c.Regulation + ", " + c.Article
	}
	return &ktgs.Error{Code: ktgs.EINVALID, Message: "err.invalid_input", Fields: map[string]ktgs.FieldError{field: fe}}
}

// findingForProceeding loads the finding a proceeding opens from: a
// violation that warrants discipline, readable by the actor. The subject
// defaults to the finding's responsible member, or its organisation.
func (s *Service) findingForProceeding(ctx context.Context, tx *store.Tx, in *ProceedingInput) (*ktgs.Finding, error) {
	if in.FindingID == 0 {
		return nil, ktgs.Invalid("finding_id", "err.required")
	}
	f, err := tx.Finding(ctx, in.FindingID)
	if notFound(err) {
		return nil, ktgs.Invalid("finding_id", "err.not_found")
	} else if err != nil {
		return nil, err
	}
	c, err := s.loadCaseFor(ctx, tx, f.CaseID, authz.CaseRead)
	if notFound(err) {
		return nil, ktgs.Invalid("finding_id", "err.not_found")
	} else if err != nil {
		return nil, err
	}
	if f.Kind != ktgs.FindingViolation || !f.WarrantsDiscipline {
		return nil, ktgs.Invalid("finding_id", "err.proceeding.finding_not_discipline")
	}
	if in.SubjectKind == "" {
		switch {
		case f.ResponsibleMemberID != 0:
			in.SubjectKind, in.MemberID = ktgs.SubjectMember, f.ResponsibleMemberID
		default:
			for _, sb := range c.Subjects {
				if sb.Seq == f.SubjectSeq {
					in.SubjectKind, in.MemberID, in.OrgID = sb.Kind, sb.MemberID, sb.OrgID
					if sb.Kind == ktgs.SubjectMember {
						in.OrgID = 0
					}
				}
			}
		}
	}
	if in.Violation == "" {
		in.Violation = f.Text
	}
	if in.Category == "" {
		in.Category = f.Category
	}
	return f, nil
}

// resolveProceedingSubject finds the member or organisation on the
// opening day and checks it lies under the acting organisation.
func (s *Service) resolveProceedingSubject(ctx context.Context, tx *store.Tx, p *ktgs.Proceeding, in *ProceedingInput, borg *ktgs.Org) error {
	d := p.OpenedOn
	if p.SubjectKind == ktgs.SubjectMember {
		id := in.MemberID
		if id == 0 {
			card := NormaliseCard(in.CardNumber)
			if card == "" {
				return ktgs.Invalid("card_number", "err.required")
			}
			m, err := tx.MemberByCard(ctx, card, d)
			if notFound(err) {
				return ktgs.Invalid("card_number", "err.member_card_unknown", card)
			} else if err != nil {
				return err
			}
			id = m.ID
		}
		m, err := tx.Member(ctx, id, d)
		if notFound(err) {
			return ktgs.Invalid("member_id", "err.not_found")
		} else if err != nil {
			return err
		}
		if !m.Active(d) {
			return ktgs.Invalid("member_id", "err.member_not_active", m.FullName, d.VN())
		}
		home, err := tx.HomeOrgOn(ctx, m.ID, d)
		if err != nil {
			return err
		}
		if home == 0 {
			home = m.HomeOrgID
		}
		p.MemberID, p.OrgID, p.SubjectName = m.ID, home, m.FullName
	} else {
		id := in.OrgID
		if id == 0 {
			if in.OrgCode == "" {
				return ktgs.Invalid("org_code", "err.required")
			}
			var err error
			if id, err = tx.OrgIDByCode(ctx, NormaliseCode(in.OrgCode)); notFound(err) {
				return ktgs.Invalid("org_code", "err.auth.scope_code", in.OrgCode)
			} else if err != nil {
				return err
			}
		}
		o, err := tx.OrgAt(ctx, id, d)
		if notFound(err) {
			return ktgs.Invalid("org_code", "err.org_not_on_date", in.OrgCode, d.VN())
		} else if err != nil {
			return err
		}
		p.OrgID, p.SubjectName = o.ID, o.Name
	}
	o, err := tx.OrgAt(ctx, p.OrgID, d)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(o.Path, borg.Path) {
		field := "member_id"
		if p.SubjectKind == ktgs.SubjectOrg {
			field = "org_code"
		}
		return ktgs.Invalid(field, "err.proceeding.outside_body", p.SubjectName, borg.Name)
	}
	return nil
}

// checkOneDecision refuses a second proceeding for a violation already
// being handled or decided: the same finding, or the same subject with the
// same violation date and category (one violation, one decision, one form:
// QĐ 69-QĐ/TW Art. 2).
func (s *Service) checkOneDecision(ctx context.Context, tx *store.Tx, p *ktgs.Proceeding) error {
	var others []*ktgs.Proceeding
	var err error
	if p.SubjectKind == ktgs.SubjectMember {
		others, err = tx.MemberProceedings(ctx, p.MemberID)
	} else {
		others, err = tx.OrgProceedings(ctx, p.OrgID)
	}
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.Status == ktgs.ProcCancelled || o.Status == ktgs.ProcNoDiscipline {
			continue
		}
		same := p.FindingID != 0 && o.FindingID == p.FindingID
		same = same || (o.ViolationOn == p.ViolationOn && o.Category == p.Category)
		if same {
			return &ktgs.Error{Code: ktgs.EINVALID, Message: "err.invalid_input", Fields: map[string]ktgs.FieldError{
				"violation_on": {Key: "err.proceeding.duplicate", Args: []any{o.Code}, Rule: "Quy định 69-QĐ/TW, Điều 2"}}}
		}
	}
	return nil
}

// disciplineSubject builds the rules' views of the subject on day d: the
// ladder view (R1, R3–R5) and the authority view (R2).
func (s *Service) disciplineSubject(ctx context.Context, tx *store.Tx, p *ktgs.Proceeding, d civil.Date) (rules.SubjectIn, rules.AuthoritySubject, error) {
	if p.SubjectKind == ktgs.SubjectOrg {
		ref, err := orgRef(ctx, tx, p.OrgID, d)
		if err != nil {
			// A dissolved organisation is judged as it last stood.
			o, lerr := tx.OrgLatest(ctx, p.OrgID)
			if lerr != nil {
				return rules.SubjectIn{}, rules.AuthoritySubject{}, err
			}
			if ref, err = orgRef(ctx, tx, p.OrgID, o.ValidFrom); err != nil {
				return rules.SubjectIn{}, rules.AuthoritySubject{}, err
			}
		}
		return rules.SubjectIn{Kind: "ORG"}, rules.AuthoritySubject{Kind: "ORG", Org: ref}, nil
	}
	m, err := tx.Member(ctx, p.MemberID, d)
	if err != nil {
		return rules.SubjectIn{}, rules.AuthoritySubject{}, err
	}
	sub, err := memberSubject(ctx, tx, m, d)
	if err != nil {
		return rules.SubjectIn{}, rules.AuthoritySubject{}, err
	}
	return rules.SubjectIn{Kind: "MEMBER", Status: sub.Status, HoldsPost: sub.HoldsPost, CentralCommitteeMember: sub.CentralCommitteeMember}, sub, nil
}

// authority asks R2 whether body may decide form against the subject on
// day d.
func (s *Service) authority(ctx context.Context, tx *store.Tx, p *ktgs.Proceeding, body *ktgs.Body, borg *ktgs.Org,
	subject rules.AuthoritySubject, form ktgs.DisciplineForm, d civil.Date) (*rules.Decision, error) {
	bk, ok := rules.BodyKindOf(body.Kind, borg.Type)
	if !ok {
		return nil, ktgs.Invalid("body_id", "err.case.body_kind", string(body.Kind))
	}
	ref, err := orgRef(ctx, tx, borg.ID, d)
	if err != nil {
		return nil, err
	}
	scope := ""
	if p.SubjectKind == ktgs.SubjectMember {
		scope = orDefault(p.ViolationScope, "CORE")
	}
	return s.askRule("R2", rules.AuthorityRequest{DecisionDate: d.String(), Subject: &subject, Body: &rules.BodyIn{Kind: string(bk), Org: ref},
		Violation: &rules.ViolationIn{Category: p.Category, Scope: scope}, Form: string(form)},
		map[string]string{"form": "warranted_form", "violation.category": "category", "violation.scope": "violation_scope", "body.": "body_id",
			"subject.": "subject_kind"})
}

// limitation asks R6 whether the limitation for form had run by the
// conclusion on day d.
func (s *Service) limitation(p *ktgs.Proceeding, form ktgs.DisciplineForm, d civil.Date) (*rules.Decision, error) {
	req := rules.LimitationRequest{SubjectKind: string(p.SubjectKind), ViolationDate: p.ViolationOn.String(), WarrantedForm: string(form),
		Category: p.Category, ConclusionDate: d.String()}
	if !p.ContinuingUntil.IsZero() {
		req.ContinuingUntil = p.ContinuingUntil.String()
	}
	return s.askRule("R6", req, map[string]string{"violation_date": "violation_on", "conclusion_date": "held_on",
		"warranted_form": "warranted_form", "continuing_until": "continuing_until"})
}

func (s *Service) procEvent(ctx context.Context, tx *store.Tx, p *ktgs.Proceeding, step string, from ktgs.ProceedingStatus, d civil.Date,
	note string, decisions stepRules) error {
	e := &ktgs.ProceedingEvent{ProceedingID: p.ID, On: d, Actor: SystemActor, Step: step, From: from, To: p.Status, BodyID: p.BodyID,
		Note: note, Rules: decisions.json()}
	if a := ActorFrom(ctx); a != nil {
		e.ActorID, e.Actor = a.UserID, a.Name
	}
	return tx.InsertProceedingEvent(ctx, e)
}

// ProceedingObject is the authorisation object of a proceeding: in the
// scope of the organisation whose body opened it (a competent body it went
// to is above it, so its people see it too), with its mark; the member
// subject may never act on it, and the cadre who opened it is its team.
func (s *Service) ProceedingObject(ctx context.Context, tx *store.Tx, p *ktgs.Proceeding) (*authz.Object, error) {
	b, err := tx.Body(ctx, p.FirstBodyID)
	if err != nil {
		return nil, err
	}
	return s.disciplineObject(ctx, tx, b.OrgID, p.Mark, p.CreatedBy, p.MemberID)
}

// disciplineObject is the authorisation object of a discipline record
// (proceeding, complaint, suspension): in the scope of organisation org,
// with its mark; the cadre who recorded it (createdBy) is its team, and
// the member concerned (0 for an organisation) may never act on it.
func (s *Service) disciplineObject(ctx context.Context, tx *store.Tx, org int64, mark authz.Mark, createdBy, member int64) (*authz.Object, error) {
	obj, err := s.OrgObject(ctx, tx, org)
	if err != nil {
		return nil, err
	}
	obj.Mark = mark
	if createdBy != 0 {
		obj.Team = []int64{createdBy}
	}
	if member != 0 {
		obj.Accused = []int64{member}
	}
	return obj, nil
}

func (s *Service) loadProceedingFor(ctx context.Context, tx *store.Tx, id int64, act authz.Action) (*ktgs.Proceeding, error) {
	p, err := tx.Proceeding(ctx, id)
	if err != nil {
		return nil, err
	}
	obj, err := s.ProceedingObject(ctx, tx, p)
	if err != nil {
		return nil, err
	}
	if err := s.Authorize(ctx, act, obj); err != nil {
		return nil, err
	}
	return p, nil
}

// stepCheck refuses a step that the procedure does not allow from the
// proceeding's status, naming the status.
func stepCheck(p *ktgs.Proceeding, step string) error {
	st, ok := ktgs.ProceedingStepByName(step)
	if !ok || !st.Allows(p.Status) {
		return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.proceeding.step_order", Args: []any{step, string(p.Status)}}
	}
	return nil
}

// HearInput records the hearing (gặp, nghe trình bày) and the
// self-criticism (bản tự kiểm điểm).
type HearInput struct {
	HeardOn         civil.Date `json:"heard_on"`
	SelfCriticismOn civil.Date `json:"self_criticism_on"`
	Note            string     `json:"note,omitempty"`
}

// Hear records that the member (or the organisation's representative) was
// met and heard and handed in a self-criticism: the step before the vote
// (QĐ 296 Art. 12.1).
func (s *Service) Hear(ctx context.Context, id int64, in HearInput) (*ktgs.Proceeding, error) {
	var p *ktgs.Proceeding
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		if p, err = s.loadProceedingFor(ctx, tx, id, authz.CaseWrite); err != nil {
			return err
		}
		if err := stepCheck(p, ktgs.StepHear); err != nil {
			return err
		}
		var v ktgs.Validation
		in.Note = vn.CleanText(in.Note)
		checkDate(&v, "heard_on", in.HeardOn, true)
		checkDate(&v, "self_criticism_on", in.SelfCriticismOn, true)
		if !in.HeardOn.IsZero() && in.HeardOn.Before(p.OpenedOn) && !v.Has("heard_on") {
			v.Add("heard_on", "err.date_not_before", "opened_on")
		}
		if !in.SelfCriticismOn.IsZero() && in.SelfCriticismOn.Before(p.OpenedOn) && !v.Has("self_criticism_on") {
			v.Add("self_criticism_on", "err.date_not_before", "opened_on")
		}
		if len([]rune(in.Note)) > maxNote {
			v.Add("note", "err.too_long", maxNote)
		}
		if err := v.Err(); err != nil {
			return err
		}
		before := *p
		p.HeardOn, p.SelfCriticismOn, p.Status = in.HeardOn, in.SelfCriticismOn, ktgs.ProcHeard
		if err := tx.UpdateProceeding(ctx, p); err != nil {
			return err
		}
		if err := s.procEvent(ctx, tx, p, ktgs.StepHear, before.Status, laterOf(in.HeardOn, in.SelfCriticismOn), in.Note, nil); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "proceeding.hear", ObjectType: "proceeding", ObjectID: p.ID, OrgID: p.OrgID,
			Before: before, After: p})
	})
	return p, err
}

func laterOf(a, b civil.Date) civil.Date {
	if a.Before(b) {
		return b
	}
	return a
}

// VoteInput is the secret-ballot tally of the handling body's meeting.
type VoteInput struct {
	HeldOn       civil.Date     `json:"held_on"`
	Official     int            `json:"official"`
	Probationary int            `json:"probationary,omitempty"`
	AbsentTemp   int            `json:"absent_temporarily_attached,omitempty"`
	AbsentExempt int            `json:"absent_exempted,omitempty"`
	AbsentOther  int            `json:"absent_other,omitempty"`
	Votes        map[string]int `json:"votes"`
	Note         string         `json:"note,omitempty"`
}

// Vote records the handling body's secret ballot and lets the rules decide
// where the proceeding goes:
//   - R2 on the form the violation warrants says whether the body votes to
//     decide or to propose, which sets the thresholds;
//   - R4 adds the votes from the heaviest form down (cumulation) until a
//     form reaches its threshold of the denominator (R5); none: no
//     discipline;
//   - R2 again on the form adopted: a body that may decide it has voted the
//     discipline (subject to R6); one that may only propose forwards the
//     file, its tally attached, to the competent body R2 names, which
//     votes next;
//   - R6: if the limitation for the adopted form had run by the meeting,
//     the vote stands on record and discipline is not applied.
func (s *Service) Vote(ctx context.Context, id int64, in VoteInput) (*ktgs.Proceeding, error) {
	var p *ktgs.Proceeding
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		if p, err = s.loadProceedingFor(ctx, tx, id, authz.CaseWrite); err != nil {
			return err
		}
		return s.vote(ctx, tx, p, &in)
	})
	return p, err
}

func (s *Service) vote(ctx context.Context, tx *store.Tx, p *ktgs.Proceeding, in *VoteInput) error {
	if err := stepCheck(p, ktgs.StepVote); err != nil {
		return err
	}
	var v ktgs.Validation
	in.Note = vn.CleanText(in.Note)
	checkDate(&v, "held_on", in.HeldOn, true)
	last := laterOf(p.OpenedOn, laterOf(p.HeardOn, p.SelfCriticismOn))
	if !in.HeldOn.IsZero() && in.HeldOn.Before(last) && !v.Has("held_on") {
		v.Add("held_on", "err.date_not_before", "heard_on")
	}
	if len(in.Votes) == 0 {
		v.Add("votes", "err.required")
	}
	for k, n := range in.Votes {
		if k != "NONE" && !ktgs.DisciplineForm(k).Valid() {
			v.Add("votes", "err.proceeding.form")
		}
		if n < 0 {
			v.Add("votes", "err.range", 0, 100000)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	d := in.HeldOn
	body, err := tx.Body(ctx, p.BodyID)
	if err != nil {
		return err
	}
	borg, err := tx.OrgAt(ctx, body.OrgID, d)
	if notFound(err) {
		return ktgs.Invalid("held_on", "err.org_not_on_date", body.OrgID, d.VN())
	} else if err != nil {
		return err
	}
	ladder, subject, err := s.disciplineSubject(ctx, tx, p, d)
	if err != nil {
		return err
	}
	decisions := stepRules{}
	// The form on the table: what the violation warrants, or what the
	// lower body proposed.
	proposed := p.WarrantedForm
	if p.Status == ktgs.ProcForwarded && p.Form != "" {
		proposed = p.Form
	}
	auth, err := s.authority(ctx, tx, p, body, borg, subject, proposed, d)
	if err != nil {
		return err
	}
	if auth.Outcome == rules.OutcomeNone {
		return ruleRefusal("held_on", "err.proceeding.no_authority", auth)
	}
	decisions["R2"] = auth
	purpose := "DECIDE"
	if auth.Outcome == rules.OutcomePropose {
		purpose = "PROPOSE"
	}
	voters := "OFFICIAL_MEMBERS"
	if body.Kind != ktgs.BodyBranch {
		voters = "BODY_MEMBERS"
	}
	official := in.Official
	meeting := &rules.MeetingIn{Voters: voters, Official: &official, AbsentTemporarilyAttached: in.AbsentTemp,
		AbsentExempted: in.AbsentExempt, AbsentOther: in.AbsentOther}
	if voters == "OFFICIAL_MEMBERS" {
		meeting.Probationary = in.Probationary
	}
	votes := map[string]int{}
	for k, n := range in.Votes {
		if k != "NONE" && n > 0 {
			votes[k] = n
		}
	}
	secret := true
	ballot, err := s.askRule("R4", rules.BallotRequest{DecisionDate: d.String(), Subject: &ladder, Purpose: purpose, Meeting: meeting,
		Ballot: &rules.BallotIn{Secret: &secret, Votes: votes}},
		map[string]string{"meeting.official": "official", "meeting.probationary": "probationary",
			"meeting.absent_temporarily_attached": "absent_temporarily_attached", "meeting.absent_exempted": "absent_exempted",
			"meeting.absent_other": "absent_other", "ballot.": "votes", "decision_date": "held_on", "subject.": "votes"})
	if err != nil {
		return err
	}
	decisions["R4"] = ballot
	res, _ := ballot.Result.(*rules.BallotResult)
	// R4 counts the votes for the forms; the ballots for no discipline
	// count against those present too: all ballots together cannot
	// exceed the voters.
	if res != nil {
		total := 0
		for _, n := range in.Votes {
			total += n
		}
		if total > res.Present {
			fe := ktgs.FieldError{Key: "rules.err.votes_total", Args: []any{total, res.Present}}
			if len(ballot.Citations) > 0 {
				fe.Rule = ballot.Citations[0].Regulation + ", " + ballot.Citations[0].Article
			}
			return &ktgs.Error{Code: ktgs.EINVALID, Message: "err.invalid_input", Fields: map[string]ktgs.FieldError{"votes": fe}}
		}
	}
	vt := &ktgs.Vote{ProceedingID: p.ID, BodyID: body.ID, HeldOn: d, Purpose: purpose, Official: in.Official, Probationary: in.Probationary,
		AbsentTemp: in.AbsentTemp, AbsentExempt: in.AbsentExempt, AbsentOther: in.AbsentOther, Votes: in.Votes, Outcome: ballot.Outcome}
	if res != nil {
		vt.Denominator = res.Denominator
		vt.AdoptedForm = ktgs.DisciplineForm(res.AdoptedForm)
	}
	before := *p
	p.VotedOn = d
	step := ktgs.StepVote
	switch {
	case vt.AdoptedForm == "":
		p.Status = ktgs.ProcNoDiscipline
	default:
		p.Form = vt.AdoptedForm
		final := auth
		if vt.AdoptedForm != proposed {
			// A lighter form than the one on the table may be within the
			// body's own authority.
			if final, err = s.authority(ctx, tx, p, body, borg, subject, vt.AdoptedForm, d); err != nil {
				return err
			}
			decisions["R2"] = final
		}
		if final.Outcome == rules.OutcomePropose {
			res, _ := final.Result.(*rules.AuthorityResult)
			if res == nil || res.CompetentBody == nil {
				return ruleRefusal("held_on", "err.proceeding.no_authority", final)
			}
			to, err := s.bodyOf(ctx, tx, *res.CompetentBody)
			if err != nil {
				return err
			}
			p.Status, p.BodyID, step = ktgs.ProcForwarded, to.ID, ktgs.StepForward
			break
		}
		lim, err := s.limitation(p, vt.AdoptedForm, d)
		if err != nil {
			return err
		}
		decisions["R6"] = lim
		if lim.Outcome == "EXPIRED" {
			p.Status = ktgs.ProcNotApplied
		} else {
			p.Status = ktgs.ProcVoted
		}
	}
	if err := tx.InsertVote(ctx, vt); err != nil {
		return err
	}
	if err := tx.UpdateProceeding(ctx, p); err != nil {
		return err
	}
	// The event is written under the body that voted; a forward names the
	// body it went to in its note.
	voting := *p
	voting.BodyID = body.ID
	note := in.Note
	if step == ktgs.StepForward {
		if b, err := tx.Body(ctx, p.BodyID); err == nil {
			note = strings.TrimSpace(b.Name + ". " + note)
		}
	}
	if err := s.procEvent(ctx, tx, &voting, step, before.Status, d, note, decisions); err != nil {
		return err
	}
	return s.audit(ctx, tx, auditEntry{Action: "proceeding." + step, ObjectType: "proceeding", ObjectID: p.ID, OrgID: p.OrgID,
		Before: before, After: map[string]any{"proceeding": p, "vote": vt}})
}

// bodyOf returns the body of the register a rules BodyRef names.
func (s *Service) bodyOf(ctx context.Context, tx *store.Tx, ref rules.BodyRef) (*ktgs.Body, error) {
	k, ok := ref.Kind.Domain()
	if !ok {
		return nil, ktgs.Invalid("held_on", "err.case.no_body", string(ref.Kind))
	}
	b, err := tx.BodyByKind(ctx, ref.OrgID, k)
	if notFound(err) {
		return nil, ktgs.Invalid("held_on", "err.case.no_body", string(ref.Kind))
	}
	return b, err
}

// DecideInput issues the discipline decision.
type DecideInput struct {
	DecidedOn   civil.Date `json:"decided_on,omitempty"` // default today
	AnnouncedOn civil.Date `json:"announced_on,omitempty"`
	// RemovedPosts names, for a removal (cách chức), the posts ("post:ID")
	// and committee seats ("seat:ID") it ends; at least one.
	RemovedPosts []string `json:"removed_posts,omitempty"`
	// Number, if set, is a number given outside KTGS (R17 otherwise).
	Number int `json:"number,omitempty"`
	// TransferTo, for a dissolution (giải tán), is the code of the chi bộ
	// the organisation's members move to.
	TransferTo string `json:"transfer_to,omitempty"`
	// ReportBy is the day by which the reports the decision owes (R2's
	// duties: to the committees the member sits on, to the managing
	// committee's UBKT …) are due, when the rule set gives no time limit
	// for them. RULES.md gives none, so the deciding body sets it; the
	// decision form asks for it, and "my work" lists a duty without one
	// as undated until it is done.
	ReportBy civil.Date `json:"report_by,omitempty"`
}

// Decide issues the Quyết định kỷ luật of a voted proceeding: numbered by
// R17 in the issuer's sequence, rendered as DOCX and PDF with their hashes
// in the audit trail. Its effects reach the register in the same
// transaction: expulsion ends the membership; removal ends the named posts
// and seats; the duties R2 attaches to the decision become tasks with
// their due dates.
func (s *Service) Decide(ctx context.Context, id int64, in DecideInput) (*ktgs.Proceeding, error) {
	var p *ktgs.Proceeding
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		if p, err = s.loadProceedingFor(ctx, tx, id, authz.CaseWrite); err != nil {
			return err
		}
		return s.decide(ctx, tx, p, &in)
	})
	return p, err
}

func (s *Service) decide(ctx context.Context, tx *store.Tx, p *ktgs.Proceeding, in *DecideInput) error {
	if err := stepCheck(p, ktgs.StepDecide); err != nil {
		return err
	}
	if a := ActorFrom(ctx); !isSystem(ctx) && (a == nil || (a.Role != authz.RoleChair && a.Role != authz.RoleSecretary)) {
		return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.case.not_your_step", Args: []any{"HEAD"}}
	}
	var v ktgs.Validation
	if in.DecidedOn.IsZero() {
		in.DecidedOn = s.Today()
	}
	if in.AnnouncedOn.IsZero() {
		in.AnnouncedOn = in.DecidedOn
	}
	checkDate(&v, "decided_on", in.DecidedOn, true)
	checkDate(&v, "announced_on", in.AnnouncedOn, true)
	checkDate(&v, "report_by", in.ReportBy, false)
	if !in.ReportBy.IsZero() && in.ReportBy.Before(in.DecidedOn) && !v.Has("report_by") {
		v.Add("report_by", "err.date_not_before", "decided_on")
	}
	if !in.DecidedOn.IsZero() && in.DecidedOn.Before(p.VotedOn) && !v.Has("decided_on") {
		v.Add("decided_on", "err.date_not_before", "voted_on")
	}
	if !in.AnnouncedOn.IsZero() && in.AnnouncedOn.Before(in.DecidedOn) && !v.Has("announced_on") {
		v.Add("announced_on", "err.date_not_before", "decided_on")
	}
	if err := v.Err(); err != nil {
		return err
	}
	d := in.DecidedOn
	var posts []ktgs.Post
	var seats []ktgs.Seat
	if p.Form == ktgs.FormRemoval {
		var err error
		if posts, seats, err = s.removedPosts(ctx, tx, p, in.RemovedPosts, d); err != nil {
			return err
		}
	} else if len(in.RemovedPosts) > 0 {
		return ktgs.Invalid("removed_posts", "err.proceeding.removal_only")
	}
	if p.SubjectKind == ktgs.SubjectOrg {
		// Each responsible individual is assessed with the organisation,
		// the head above all (RULES.md §3.1).
		people, err := tx.Responsible(ctx, p.ID)
		if err != nil {
			return err
		}
		if len(people) == 0 || !people[0].IsHead {
			return &ktgs.Error{Code: ktgs.EINVALID, Message: "err.invalid_input", Fields: map[string]ktgs.FieldError{
				"persons": {Key: "err.proceeding.head_required", Rule: "Hướng dẫn 06-HD/UBKTTW (2018)"}}}
		}
	}
	var transferTo int64
	if p.Form == ktgs.FormDissolution {
		if in.TransferTo == "" {
			return ktgs.Invalid("transfer_to", "err.required")
		}
		id, err := tx.OrgIDByCode(ctx, NormaliseCode(in.TransferTo))
		if notFound(err) {
			return ktgs.Invalid("transfer_to", "err.auth.scope_code", in.TransferTo)
		} else if err != nil {
			return err
		}
		transferTo = id
	} else if in.TransferTo != "" {
		return ktgs.Invalid("transfer_to", "err.proceeding.dissolution_only")
	}
	body, err := tx.Body(ctx, p.BodyID)
	if err != nil {
		return err
	}
	borg, err := tx.OrgAt(ctx, body.OrgID, d)
	if notFound(err) {
		borg, err = tx.OrgLatest(ctx, body.OrgID)
	}
	if err != nil {
		return err
	}
	before := *p
	p.DecidedOn, p.AnnouncedOn, p.Status = d, in.AnnouncedOn, ktgs.ProcDecided
	for _, x := range posts {
		p.RemovedPosts = append(p.RemovedPosts, "post:"+strconv.FormatInt(x.ID, 10))
	}
	for _, x := range seats {
		p.RemovedPosts = append(p.RemovedPosts, "seat:"+strconv.FormatInt(x.ID, 10))
	}
	doc, err := s.issueProceedingDecision(ctx, tx, p, body, borg, posts, seats, IssueInput{Date: d, Number: in.Number})
	if err != nil {
		return err
	}
	p.DocumentID = doc.ID
	decisions := stepRules{}
	// The duties of the decision (R2 on the decision date).
	_, subject, err := s.disciplineSubject(ctx, tx, p, p.VotedOn)
	if err != nil {
		return err
	}
	if auth, err := s.authority(ctx, tx, p, body, borg, subject, p.Form, p.VotedOn); err == nil {
		decisions["R2"] = auth
		if res, ok := auth.Result.(*rules.AuthorityResult); ok {
			for _, duty := range res.Duties {
				t := &ktgs.DisciplineTask{ProceedingID: p.ID, Kind: "REPORT", Text: duty.Reason.VI,
					Citation: duty.Citation.Regulation + ", " + duty.Citation.Article}
				if b, err := s.bodyOf(ctx, tx, duty.To); err == nil {
					t.ToBodyID = b.ID
				}
				switch {
				case duty.DueIn != nil:
					t.DueOn = s.calendar().Add(d, duty.DueIn.N, duty.DueIn.Unit)
				case !in.ReportBy.IsZero():
					t.DueOn = in.ReportBy
				}
				if err := tx.InsertDisciplineTask(ctx, t); err != nil {
					return err
				}
			}
		}
	}
	// Effects on the register.
	switch p.Form {
	case ktgs.FormExpulsion:
		m, err := tx.Member(ctx, p.MemberID, d)
		if err != nil {
			return err
		}
		if m.Active(d) {
			mb := *m
			m.EndedOn, m.EndReason = in.AnnouncedOn, ktgs.EndExpelled
			if err := tx.UpdateMember(ctx, m); err != nil {
				return err
			}
			if _, err := tx.EndTempAttachment(ctx, m.ID, in.AnnouncedOn); err != nil {
				return err
			}
			if err := s.auditMember(ctx, tx, "member.end", mb, m); err != nil {
				return err
			}
		}
	case ktgs.FormDissolution:
		// The dissolution is a hierarchy event: the organisation ends on
		// the announcement, its members move to transferTo (each with a
		// transfer in their history), and its records follow. The body's
		// authority was decided by R2, so the event is applied as the
		// system on its behalf; the audit names the actor.
		ev, err := s.reorganize(AsSystem(ctx), tx, &ReorgInput{Kind: ktgs.ReorgDissolve, Date: in.AnnouncedOn, Sources: []int64{p.OrgID},
			TransferTo: transferTo, Decision: doc.NumberText, Note: "Giải tán theo quyết định kỷ luật " + doc.NumberText})
		if err != nil {
			if e := ktgs.AsError(err); e != nil && e.Code == ktgs.EINVALID {
				out := &ktgs.Error{Code: e.Code, Message: e.Message, Fields: map[string]ktgs.FieldError{}}
				for k, fe := range e.Fields {
					if k == "sources" || k == "date" {
						k = "transfer_to"
					}
					out.Fields[k] = fe
				}
				return out
			}
			return err
		}
		s.ancestry.clear()
		_ = ev
	case ktgs.FormRemoval:
		for _, x := range posts {
			if _, err := tx.EndPost(ctx, x.ID, in.AnnouncedOn); err != nil {
				return err
			}
		}
		for _, x := range seats {
			if _, err := tx.EndSeat(ctx, x.ID, in.AnnouncedOn); err != nil {
				return err
			}
		}
	}
	if err := tx.UpdateProceeding(ctx, p); err != nil {
		return err
	}
	if err := s.procEvent(ctx, tx, p, ktgs.StepDecide, before.Status, d, doc.NumberText, decisions); err != nil {
		return err
	}
	return s.audit(ctx, tx, auditEntry{Action: "proceeding.decide", ObjectType: "proceeding", ObjectID: p.ID, OrgID: p.OrgID,
		Before: before, After: p})
}

// removedPosts resolves the posts and seats a removal names: each must be
// held by the member on day d.
func (s *Service) removedPosts(ctx context.Context, tx *store.Tx, p *ktgs.Proceeding, refs []string, d civil.Date) ([]ktgs.Post, []ktgs.Seat, error) {
	if len(refs) == 0 {
		return nil, nil, ktgs.Invalid("removed_posts", "err.required")
	}
	allPosts, err := tx.Posts(ctx, p.MemberID)
	if err != nil {
		return nil, nil, err
	}
	allSeats, err := tx.MemberSeats(ctx, p.MemberID)
	if err != nil {
		return nil, nil, err
	}
	var posts []ktgs.Post
	var seats []ktgs.Seat
	for _, ref := range refs {
		kind, num, _ := strings.Cut(strings.TrimSpace(ref), ":")
		id, err := strconv.ParseInt(num, 10, 64)
		found := false
		switch {
		case err != nil:
		case kind == "post":
			for _, x := range allPosts {
				if x.ID == id && !d.Before(x.From) && d.Before(x.To) {
					posts, found = append(posts, x), true
				}
			}
		case kind == "seat":
			for _, x := range allSeats {
				if x.ID == id && !d.Before(x.Start) && !d.After(x.End) {
					seats, found = append(seats, x), true
				}
			}
		}
		if !found {
			return nil, nil, &ktgs.Error{Code: ktgs.EINVALID, Message: "err.invalid_input", Fields: map[string]ktgs.FieldError{
				"removed_posts": {Key: "err.proceeding.post_not_held", Args: []any{ref, d.VN()}, Rule: "Quy định 69-QĐ/TW, Điều 7"}}}
		}
	}
	return posts, seats, nil
}

// formLabel is the Vietnamese name of a form.
func formLabel(f ktgs.DisciplineForm) string {
	switch f {
	case ktgs.FormReprimand:
		return "Khiển trách"
	case ktgs.FormWarning:
		return "Cảnh cáo"
	case ktgs.FormRemoval:
		return "Cách chức"
	case ktgs.FormExpulsion:
		return "Khai trừ ra khỏi Đảng"
	case ktgs.FormDissolution:
		return "Giải tán"
	}
	return string(f)
}

// issueProceedingDecision drafts the Quyết định kỷ luật from the
// proceeding and issues it at once: the votes and the articles are
// recorded; the text follows HD 36.
func (s *Service) issueProceedingDecision(ctx context.Context, tx *store.Tx, p *ktgs.Proceeding, body *ktgs.Body, borg *ktgs.Org,
	posts []ktgs.Post, seats []ktgs.Seat, in IssueInput) (*store.Document, error) {
	votes, err := tx.Votes(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	f := issuerFields(ctx, tx, body, borg)
	f.Summary = "Về việc thi hành kỷ luật " + subjectPhrase(p)
	f.Body = append(f.Body, "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
		"- Căn cứ quy định của Bộ Chính trị về kỷ luật tổ chức đảng, đảng viên vi phạm;")
	for _, vt := range votes {
		n := vt.Votes[string(vt.AdoptedForm)]
		f.Body = append(f.Body, fmt.Sprintf("- Căn cứ kết quả biểu quyết bằng phiếu kín ngày %s: %s/%s phiếu tán thành hình thức %s;",
			vt.HeldOn.VN(), vn.Int(int64(n), "vi"), vn.Int(int64(vt.Denominator), "vi"), strings.ToLower(formLabel(vt.AdoptedForm))))
	}
	f.Body = append(f.Body, "> QUYẾT ĐỊNH:",
		fmt.Sprintf("Điều 1. Thi hành kỷ luật bằng hình thức %s đối với %s.", strings.ToUpper(formLabel(p.Form)), subjectPhrase(p)),
		"Nội dung vi phạm: "+p.Violation)
	for _, x := range posts {
		f.Body = append(f.Body, "- Cách chức: "+x.Title+orEmpty(", ", x.Agency)+".")
	}
	for _, x := range seats {
		f.Body = append(f.Body, "- Cách chức: "+x.BodyName+orEmpty(", nhiệm kỳ ", x.TermName)+".")
	}
	f.Body = append(f.Body, "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
		"Điều 3. Các tổ chức đảng có liên quan và "+subjectPhrase(p)+" chịu trách nhiệm thi hành Quyết định này.")
	f.Recipients = []string{"Như Điều 3,", "Lưu hồ sơ kỷ luật."}
	b, _ := json.Marshal(f)
	d := &store.Document{ProceedingID: p.ID, Type: DocDecision, BodyID: body.ID, Status: "DRAFT", Fields: string(b)}
	if err := tx.InsertDocument(ctx, d); err != nil {
		return nil, err
	}
	if err := s.issueDraft(ctx, tx, d, body, borg, p.Mark, in); err != nil {
		return nil, err
	}
	return d, nil
}

func subjectPhrase(p *ktgs.Proceeding) string {
	if p.SubjectKind == ktgs.SubjectOrg {
		return p.SubjectName
	}
	return "đồng chí " + p.SubjectName
}

func orEmpty(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// PostponeInput postpones or cancels a proceeding.
type PostponeInput struct {
	Ground ktgs.PostponeGround `json:"ground,omitempty"` // postpone only
	Reason string              `json:"reason"`
	Date   civil.Date          `json:"date,omitempty"`
}

// Postpone postpones consideration on one of the grounds of RULES.md §3.2
// (pregnancy, a child under 12 months, serious illness in hospital),
// [SECONDARY-QUIZ]; Resume takes it up where it stood; Cancel ends it with
// a reason.
func (s *Service) Postpone(ctx context.Context, id int64, in PostponeInput) (*ktgs.Proceeding, error) {
	return s.simpleStep(ctx, id, ktgs.StepPostpone, in)
}

// Resume takes up a postponed proceeding.
func (s *Service) Resume(ctx context.Context, id int64, in PostponeInput) (*ktgs.Proceeding, error) {
	return s.simpleStep(ctx, id, ktgs.StepResume, in)
}

// Exempt ends consideration without discipline on the exemption ground
// of RULES.md §3.2 (ExemptSuperiorDecision), with the facts as reason.
func (s *Service) Exempt(ctx context.Context, id int64, in PostponeInput) (*ktgs.Proceeding, error) {
	return s.simpleStep(ctx, id, ktgs.StepExempt, in)
}

// CancelProceeding ends a proceeding with a reason.
func (s *Service) CancelProceeding(ctx context.Context, id int64, in PostponeInput) (*ktgs.Proceeding, error) {
	return s.simpleStep(ctx, id, ktgs.StepCancel, in)
}

func (s *Service) simpleStep(ctx context.Context, id int64, step string, in PostponeInput) (*ktgs.Proceeding, error) {
	var p *ktgs.Proceeding
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		if p, err = s.loadProceedingFor(ctx, tx, id, authz.CaseWrite); err != nil {
			return err
		}
		if err := stepCheck(p, step); err != nil {
			return err
		}
		var v ktgs.Validation
		in.Reason = vn.CleanText(in.Reason)
		if in.Date.IsZero() {
			in.Date = s.Today()
		}
		checkDate(&v, "date", in.Date, true)
		if step != ktgs.StepResume && in.Reason == "" {
			v.Add("reason", "err.required")
		}
		if len([]rune(in.Reason)) > maxNote {
			v.Add("reason", "err.too_long", maxNote)
		}
		if step == ktgs.StepPostpone && !in.Ground.Valid() {
			v.AddRule("ground", "Quy định 296-QĐ/TW, Điều 8", "err.proceeding.postpone_ground")
		}
		if step == ktgs.StepExempt && in.Ground != ktgs.ExemptSuperiorDecision {
			v.AddRule("ground", "Hướng dẫn 02-HD/TW (2021)", "err.proceeding.exempt_ground")
		}
		if err := v.Err(); err != nil {
			return err
		}
		before := *p
		switch step {
		case ktgs.StepPostpone:
			p.PrevStatus, p.Status, p.Reason = p.Status, ktgs.ProcPostponed, string(in.Ground)+": "+in.Reason
		case ktgs.StepResume:
			p.Status, p.PrevStatus = p.PrevStatus, ""
		case ktgs.StepCancel:
			p.Status, p.Reason = ktgs.ProcCancelled, in.Reason
		case ktgs.StepExempt:
			p.Status, p.Reason = ktgs.ProcNoDiscipline, string(in.Ground)+": "+in.Reason
		}
		if err := tx.UpdateProceeding(ctx, p); err != nil {
			return err
		}
		if err := s.procEvent(ctx, tx, p, step, before.Status, in.Date, in.Reason, nil); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "proceeding." + step, ObjectType: "proceeding", ObjectID: p.ID, OrgID: p.OrgID,
			Before: before, After: p, Reason: in.Reason})
	})
	return p, err
}

// ProceedingDetail is a proceeding with what its page shows.
type ProceedingDetail struct {
	Proceeding *ktgs.Proceeding           `json:"proceeding"`
	Events     []ktgs.ProceedingEvent     `json:"events"`
	Votes      []ktgs.Vote                `json:"votes"`
	Tasks      []ktgs.DisciplineTask      `json:"tasks"`
	Documents  []store.Document           `json:"-"`
	Bodies     map[int64]string           `json:"bodies"`
	Next       []string                   `json:"next"`
	CanWrite   bool                       `json:"can_write"`
	Live       map[string]*rules.Decision `json:"rules"`
	// Posts and Seats are the member's current posts and committee seats
	// a removal (cách chức) may name, when the decision is to be issued.
	Posts []ktgs.Post `json:"posts,omitempty"`
	Seats []ktgs.Seat `json:"seats,omitempty"`
	// Persons are the individuals assessed with an organisation subject.
	Persons []ktgs.ResponsiblePerson `json:"persons,omitempty"`
	// Complaints are the complaints about its decision, level by level.
	Complaints []*ktgs.Complaint `json:"-"`
}

// ProceedingDetail returns proceeding id for a reader, with the live rule
// explanations: before the vote, the statute of limitations for the form
// the violation warrants and the body's authority today; after the
// decision, its automatic expiry (R7) and, for a removal, the bar on
// election and appointment (R8).
func (s *Service) ProceedingDetail(ctx context.Context, id int64) (*ProceedingDetail, error) {
	out := &ProceedingDetail{Bodies: map[int64]string{}, Live: map[string]*rules.Decision{}}
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		p, err := s.loadProceedingFor(ctx, tx, id, authz.CaseRead)
		if err != nil {
			return err
		}
		out.Proceeding = p
		if out.Events, err = tx.ProceedingEvents(ctx, id); err != nil {
			return err
		}
		if out.Votes, err = tx.Votes(ctx, id); err != nil {
			return err
		}
		if out.Tasks, err = tx.DisciplineTasks(ctx, id); err != nil {
			return err
		}
		if out.Documents, err = tx.ProceedingDocuments(ctx, id); err != nil {
			return err
		}
		if out.Persons, err = tx.Responsible(ctx, id); err != nil {
			return err
		}
		if out.Complaints, err = tx.ProceedingComplaints(ctx, id); err != nil {
			return err
		}
		ids := []int64{p.BodyID, p.FirstBodyID}
		for _, e := range out.Events {
			ids = append(ids, e.BodyID)
		}
		for _, t := range out.Tasks {
			ids = append(ids, t.ToBodyID)
		}
		for _, bid := range ids {
			if _, ok := out.Bodies[bid]; ok || bid == 0 {
				continue
			}
			out.Bodies[bid] = bodyLabel(ctx, tx, bid)
		}
		obj, err := s.ProceedingObject(ctx, tx, p)
		if err != nil {
			return err
		}
		out.CanWrite = s.Authorize(ctx, authz.CaseWrite, obj) == nil
		if out.CanWrite {
			for _, st := range ktgs.ProceedingStepsFrom(p.Status) {
				if st.Name == ktgs.StepDecide || st.Name == ktgs.StepWrongful {
					if a := ActorFrom(ctx); a == nil || (a.Role != authz.RoleChair && a.Role != authz.RoleSecretary) {
						continue
					}
				}
				out.Next = append(out.Next, st.Name)
			}
		}
		today := s.Today()
		if p.Status == ktgs.ProcVoted && p.Form == ktgs.FormRemoval && p.MemberID != 0 {
			posts, err := tx.Posts(ctx, p.MemberID)
			if err != nil {
				return err
			}
			for _, x := range posts {
				if !today.Before(x.From) && today.Before(x.To) {
					out.Posts = append(out.Posts, x)
				}
			}
			seats, err := tx.MemberSeats(ctx, p.MemberID)
			if err != nil {
				return err
			}
			for _, x := range seats {
				if !today.Before(x.Start) && !today.After(x.End) {
					out.Seats = append(out.Seats, x)
				}
			}
		}
		switch {
		case p.Status.Pending() && p.Status != ktgs.ProcVoted:
			form := p.WarrantedForm
			if p.Form != "" {
				form = p.Form
			}
			if dec, err := s.limitation(p, form, today); err == nil {
				out.Live["R6"] = dec
			}
			if body, err := tx.Body(ctx, p.BodyID); err == nil {
				if borg, err := tx.OrgAt(ctx, body.OrgID, today); err == nil {
					if _, subject, err := s.disciplineSubject(ctx, tx, p, today); err == nil {
						if dec, err := s.authority(ctx, tx, p, body, borg, subject, form, today); err == nil {
							out.Live["R2"] = dec
						}
					}
				}
			}
		case p.Status == ktgs.ProcDecided:
			req, err := s.expiryRequest(ctx, tx, p, today)
			if err != nil {
				return err
			}
			if dec, err := s.askRule("R7", req, nil); err == nil {
				out.Live["R7"] = dec
			}
			if p.Form == ktgs.FormRemoval {
				if dec, err := s.askRule("R8", rules.RemovalBarRequest{Form: string(p.Form), AnnouncedOn: p.AnnouncedOn.String(),
					Action: "ELECTION_TO_COMMITTEE", ActionDate: today.String()}, nil); err == nil {
					out.Live["R8"] = dec
				}
			}
		}
		return nil
	})
	return out, err
}

// ProceedingQuery filters the proceedings list.
type ProceedingQuery struct {
	SubtreeOrgID int64
	Status       ktgs.ProceedingStatus
	MemberID     int64
	SubjectOrgID int64 // proceedings against this organisation
	BeforeID     int64
	Limit        int
}

// ListProceedings returns the proceedings the actor may read, newest
// first.
func (s *Service) ListProceedings(ctx context.Context, q ProceedingQuery) ([]*ktgs.Proceeding, bool, error) {
	var out []*ktgs.Proceeding
	var more bool
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		paths, mark, err := s.readablePaths(ctx, tx, authz.CaseRead, q.SubtreeOrgID)
		if err != nil {
			return err
		}
		out, more, err = tx.Proceedings(ctx, store.ProceedingFilter{Paths: paths, Status: q.Status, MemberID: q.MemberID,
			SubjectOrgID: q.SubjectOrgID, MaxMark: mark, BeforeID: q.BeforeID, Limit: q.Limit})
		return err
	})
	return out, more, err
}

// checkFreeze applies R9 to an action on member m on day d: while the
// member is under consideration for discipline (a proceeding opened and
// not yet decided), the rule set's frozen actions (transfer, appointment,
// award …) are refused with the rule's article. An authorised person (one
// who may act on the proceeding) may override with a reason; the override
// is audited with the rule's decision. action is one of the rules' codes
// (TRANSFER, APPOINTMENT, AWARD …); field names the input the refusal is
// reported on.
//
// bar, when set, is the R8 action (ELECTION_TO_COMMITTEE,
// APPOINTMENT_EQUAL_OR_HIGHER) checked against every removal from post
// (cách chức) in force: for a year from its announcement the member may
// not be elected to a committee nor appointed to an equivalent or higher
// post (Điều lệ Đảng, Điều 40.3). It is refused, and overridden, the same
// way.
func (s *Service) checkFreeze(ctx context.Context, tx *store.Tx, m *ktgs.Member, action string, d civil.Date, override, field string, bar ...string) error {
	procs, err := tx.MemberProceedings(ctx, m.ID)
	if err != nil {
		return err
	}
	override = vn.CleanText(override)
	for _, p := range procs {
		var dec *rules.Decision
		var key string
		var args []any
		switch {
		case p.Status.Pending() && !d.Before(p.OpenedOn):
			dec, err = s.askRule("R9", rules.FreezeRequest{Action: action, ActionDate: d.String(), ConsiderationStartedOn: p.OpenedOn.String()},
				map[string]string{"action_date": field})
			key, args = "err.proceeding.frozen", []any{p.Code, p.OpenedOn.VN()}
		case len(bar) > 0 && p.Status == ktgs.ProcDecided && p.Form == ktgs.FormRemoval && !d.Before(p.AnnouncedOn):
			dec, err = s.askRule("R8", rules.RemovalBarRequest{Form: string(p.Form), AnnouncedOn: p.AnnouncedOn.String(), Action: bar[0],
				ActionDate: d.String()}, map[string]string{"action_date": field})
			key = "err.proceeding.removal_bar"
			if err == nil {
				allowed := civil.Date(0)
				if res, ok := dec.Result.(*rules.RemovalBarResult); ok {
					allowed = res.AllowedFrom
				}
				args = []any{p.Code, allowed.VN()}
			}
		default:
			continue
		}
		if err != nil {
			return err
		}
		if dec.Outcome != "BLOCKED" {
			continue
		}
		if override == "" {
			e := ruleRefusal(field, key, dec)
			fe := e.Fields[field]
			fe.Args = args
			e.Fields[field] = fe
			return e
		}
		obj, err := s.ProceedingObject(ctx, tx, p)
		if err != nil {
			return err
		}
		if err := s.Authorize(ctx, authz.CaseWrite, obj); err != nil {
			return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.proceeding.override_denied", Args: []any{p.Code}}
		}
		if err := s.audit(ctx, tx, auditEntry{Action: "member.freeze_override", ObjectType: "member", ObjectID: m.ID, OrgID: m.HomeOrgID,
			Reason: override, After: map[string]any{"proceeding": p.Code, "action": action, "date": d, "rule": dec.Rule, "decision": dec}}); err != nil {
			return err
		}
	}
	return nil
}

// DisciplineRecord is a proceeding as a member's or organisation's page
// shows it: the form and its current effect.
type DisciplineRecord struct {
	Proceeding *ktgs.Proceeding `json:"proceeding"`
	// Effect is ACTIVE (in force), EXPIRED (ceased automatically, R7),
	// ANNULLED (on a complaint or as wrongful), NOT_APPLIED (the
	// limitation had run), PENDING (under consideration) or NONE (no
	// discipline, cancelled).
	Effect string `json:"effect"`
	// Until is the last day in force of an expiring decision.
	Until civil.Date `json:"until,omitempty"`
}

// MemberDiscipline returns the discipline history of member id that the
// actor may read (case:read in the proceedings' scopes), oldest first,
// with each decision's effect today.
func (s *Service) MemberDiscipline(ctx context.Context, memberID int64) ([]DisciplineRecord, error) {
	return s.disciplineRecords(ctx, ProceedingQuery{MemberID: memberID, Limit: 200})
}

// OrgDiscipline returns the discipline history of organisation id as a
// subject, like MemberDiscipline.
func (s *Service) OrgDiscipline(ctx context.Context, orgID int64) ([]DisciplineRecord, error) {
	return s.disciplineRecords(ctx, ProceedingQuery{SubjectOrgID: orgID, Limit: 200})
}

func (s *Service) disciplineRecords(ctx context.Context, q ProceedingQuery) ([]DisciplineRecord, error) {
	var out []DisciplineRecord
	today := s.Today()
	// One read transaction for the list and every decision's expiry.
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		paths, mark, err := s.readablePaths(ctx, tx, authz.CaseRead, q.SubtreeOrgID)
		if err != nil {
			return err
		}
		list, _, err := tx.Proceedings(ctx, store.ProceedingFilter{Paths: paths, MemberID: q.MemberID, SubjectOrgID: q.SubjectOrgID,
			MaxMark: mark, Limit: q.Limit})
		if err != nil {
			return err
		}
		out = make([]DisciplineRecord, 0, len(list))
		for i := len(list) - 1; i >= 0; i-- {
			p := list[i]
			r := DisciplineRecord{Proceeding: p, Effect: "NONE"}
			switch {
			case p.Status.Pending():
				r.Effect = "PENDING"
			case p.Status == ktgs.ProcNotApplied:
				r.Effect = "NOT_APPLIED"
			case p.Status == ktgs.ProcAnnulled:
				r.Effect = "ANNULLED"
			case p.Status == ktgs.ProcDecided:
				r.Effect = "ACTIVE"
				req, err := s.expiryRequest(ctx, tx, p, today)
				if err != nil {
					return err
				}
				if dec, err := s.askRule("R7", req, nil); err == nil {
					if res, ok := dec.Result.(*rules.ExpiryResult); ok && !res.InactiveFrom.IsZero() {
						r.Until = res.InactiveFrom.AddDays(-1)
						if res.ActiveOnAsOf != nil && !*res.ActiveOnAsOf {
							r.Effect = "EXPIRED"
						}
					}
				}
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// PersonInput assesses one responsible individual of a proceeding against
// an organisation.
type PersonInput struct {
	MemberID   int64  `json:"member_id,omitempty"`
	CardNumber string `json:"card_number,omitempty"`
	IsHead     bool   `json:"is_head,omitempty"`
	Assessment string `json:"assessment"`
}

// AssessPerson records a responsible individual of an organisation under
// consideration and the assessment of their responsibility: a member of
// the organisation on the opening day; one head at most.
func (s *Service) AssessPerson(ctx context.Context, id int64, in PersonInput) (*ktgs.ResponsiblePerson, error) {
	var r *ktgs.ResponsiblePerson
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		p, err := s.loadProceedingFor(ctx, tx, id, authz.CaseWrite)
		if err != nil {
			return err
		}
		if p.SubjectKind != ktgs.SubjectOrg {
			return ktgs.Invalid("member_id", "err.proceeding.org_only")
		}
		if !p.Status.Pending() {
			return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.proceeding.step_order", Args: []any{"persons", string(p.Status)}}
		}
		in.Assessment = vn.CleanText(in.Assessment)
		var v ktgs.Validation
		switch {
		case in.Assessment == "":
			v.Add("assessment", "err.required")
		case len([]rune(in.Assessment)) > maxContent:
			v.Add("assessment", "err.too_long", maxContent)
		}
		if err := v.Err(); err != nil {
			return err
		}
		mid := in.MemberID
		if mid == 0 {
			card := NormaliseCard(in.CardNumber)
			m, err := tx.MemberByCard(ctx, card, p.OpenedOn)
			if card == "" || notFound(err) {
				return ktgs.Invalid("card_number", "err.member_card_unknown", card)
			} else if err != nil {
				return err
			}
			mid = m.ID
		}
		m, err := tx.Member(ctx, mid, p.OpenedOn)
		if notFound(err) {
			return ktgs.Invalid("card_number", "err.not_found")
		} else if err != nil {
			return err
		}
		home, err := tx.HomeOrgOn(ctx, m.ID, p.OpenedOn)
		if err != nil {
			return err
		}
		org, err := tx.OrgLatest(ctx, p.OrgID)
		if err != nil {
			return err
		}
		hOrg, err := tx.OrgLatest(ctx, home)
		if err != nil || !strings.HasPrefix(hOrg.Path, org.Path) {
			return ktgs.Invalid("card_number", "err.proceeding.outside_body", m.FullName, p.SubjectName)
		}
		people, err := tx.Responsible(ctx, p.ID)
		if err != nil {
			return err
		}
		if in.IsHead && len(people) > 0 && people[0].IsHead {
			return ktgs.Invalid("is_head", "err.proceeding.head_exists", people[0].Name)
		}
		r = &ktgs.ResponsiblePerson{ProceedingID: p.ID, MemberID: m.ID, Name: m.FullName, IsHead: in.IsHead, Assessment: in.Assessment}
		if err := tx.InsertResponsible(ctx, r); err != nil {
			if ktgs.ErrorCode(err) == ktgs.ECONFLICT {
				return ktgs.Invalid("card_number", "err.proceeding.person_twice", m.FullName)
			}
			return err
		}
		if err := s.procEvent(ctx, tx, p, "assess", p.Status, s.Today(), m.FullName, nil); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "proceeding.assess", ObjectType: "proceeding", ObjectID: p.ID, OrgID: p.OrgID, After: r})
	})
	return r, err
}

// WrongfulInput records a finding that a discipline was wrongful.
type WrongfulInput struct {
	// Ground is PARTY_CONCLUSION (a competent party organisation found it
	// wrongful) or LEGAL_AUTHORITY (a legal authority found the member
	// wrongly investigated, prosecuted or tried).
	Ground            string     `json:"ground"`
	FindingReceivedOn civil.Date `json:"finding_received_on"`
	Reference         string     `json:"reference"` // the conclusion, decision or judgment
}

// DeclareWrongful records that a decided discipline was wrongful (R19,
// Quy định 117-QĐ/TW): the decision is annulled (the record stays); the
// notice in writing, the apology, the reports one level up and the
// restoration measures R19 lists for the form become tasks due by the
// rule's deadline (60 days from receiving the finding), reminded like any
// dated duty; an expulsion's membership is restored at once.
func (s *Service) DeclareWrongful(ctx context.Context, id int64, in WrongfulInput) (*ktgs.Proceeding, error) {
	var p *ktgs.Proceeding
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		if p, err = s.loadProceedingFor(ctx, tx, id, authz.CaseWrite); err != nil {
			return err
		}
		if err := stepCheck(p, ktgs.StepWrongful); err != nil {
			return err
		}
		if a := ActorFrom(ctx); !isSystem(ctx) && (a == nil || (a.Role != authz.RoleChair && a.Role != authz.RoleSecretary)) {
			return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.case.not_your_step", Args: []any{"HEAD"}}
		}
		in.Reference = vn.Clean(in.Reference)
		var v ktgs.Validation
		checkDate(&v, "finding_received_on", in.FindingReceivedOn, true)
		if !in.FindingReceivedOn.IsZero() && in.FindingReceivedOn.Before(p.DecidedOn) && !v.Has("finding_received_on") {
			v.Add("finding_received_on", "err.date_not_before", "decided_on")
		}
		if in.Reference == "" {
			v.Add("reference", "err.required")
		} else if len([]rune(in.Reference)) > 300 {
			v.Add("reference", "err.too_long", 300)
		}
		if err := v.Err(); err != nil {
			return err
		}
		dec, err := s.askRule("R19", rules.WrongfulRequest{SubjectKind: string(p.SubjectKind), Form: string(p.Form), Ground: in.Ground,
			FindingReceivedOn: in.FindingReceivedOn.String()}, map[string]string{"ground": "ground", "finding_received_on": "finding_received_on"})
		if err != nil {
			return err
		}
		res, _ := dec.Result.(*rules.WrongfulResult)
		if res == nil {
			return fmt.Errorf("R19: unexpected result %T", dec.Result)
		}
		cite := ""
		if len(dec.Citations) > 0 {
			cite = dec.Citations[0].Regulation + ", " + dec.Citations[0].Article
		}
		tasks := []ktgs.DisciplineTask{
			{Kind: "NOTIFY", Text: "Thông báo bằng văn bản cho " + subjectPhrase(p) + " về việc kỷ luật oan."},
			{Kind: "APOLOGY", Text: "Tổ chức xin lỗi " + subjectPhrase(p) + " theo hình thức phù hợp."},
			{Kind: "REPORT", Text: "Báo cáo ban thường vụ và ủy ban kiểm tra cấp trên trực tiếp; xem xét trách nhiệm của tổ chức, cá nhân tham mưu, quyết định kỷ luật oan."},
		}
		for _, m := range res.Measures {
			tasks = append(tasks, ktgs.DisciplineTask{Kind: m.Code, Text: m.VI})
		}
		for i := range tasks {
			t := &tasks[i]
			t.ProceedingID, t.DueOn, t.Citation = p.ID, res.Deadline, cite
			if err := tx.InsertDisciplineTask(ctx, t); err != nil {
				return err
			}
		}
		if p.Form == ktgs.FormExpulsion && p.MemberID != 0 {
			m, err := tx.Member(ctx, p.MemberID, in.FindingReceivedOn)
			if err != nil {
				return err
			}
			if m.EndReason == ktgs.EndExpelled {
				before := *m
				m.EndedOn, m.EndReason = 0, ""
				if err := tx.UpdateMember(ctx, m); err != nil {
					return err
				}
				if err := s.auditMember(ctx, tx, "member.restore", before, m); err != nil {
					return err
				}
			}
		}
		before := *p
		p.Status, p.Reason = ktgs.ProcAnnulled, in.Ground+": "+in.Reference
		if err := tx.UpdateProceeding(ctx, p); err != nil {
			return err
		}
		if err := s.procEvent(ctx, tx, p, ktgs.StepWrongful, before.Status, in.FindingReceivedOn, in.Reference, stepRules{"R19": dec}); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "proceeding.wrongful", ObjectType: "proceeding", ObjectID: p.ID, OrgID: p.OrgID,
			Before: before, After: p, Reason: in.Reference})
	})
	return p, err
}

// expiryRequest builds R7's question for decided proceeding p on day
// today: the 12 months run from the announcement of the discipline
// decision or, after a complaint, of the latest complaint decision; a
// complaint still being resolved holds the expiry (Complained).
func (s *Service) expiryRequest(ctx context.Context, tx *store.Tx, p *ktgs.Proceeding, today civil.Date) (rules.ExpiryRequest, error) {
	from := p.AnnouncedOn
	complained := false
	cs, err := tx.ProceedingComplaints(ctx, p.ID)
	if err != nil {
		return rules.ExpiryRequest{}, err
	}
	for _, c := range cs {
		switch {
		case c.Status.Pending():
			complained = true
		case c.Status.Decided() && !c.ResultAnnouncedOn.IsZero() && from.Before(c.ResultAnnouncedOn):
			from = c.ResultAnnouncedOn
		}
	}
	req := rules.ExpiryRequest{SubjectKind: string(p.SubjectKind), Form: string(p.Form), AnnouncedOn: from.String(), Complained: complained}
	if !today.Before(from) {
		req.AsOf = today.String()
	}
	return req, nil
}

// bodyLabel names body id with its organisation, as people say it: "Ủy
// ban Kiểm tra — Đảng bộ xã Gia Tường" (a body's own name does not say
// which level it is).
func bodyLabel(ctx context.Context, tx *store.Tx, id int64) string {
	b, err := tx.Body(ctx, id)
	if err != nil {
		return ""
	}
	if o, err := tx.OrgLatest(ctx, b.OrgID); err == nil {
		return b.Name + " — " + o.Name
	}
	return b.Name
}
