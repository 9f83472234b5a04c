package rules

import (
	"slices"

	"ktgs"
)

// SubjectIn is the subject of a discipline question when only its ladder
// of forms matters (R1, R3–R5): an organisation, or a member with a status.
type SubjectIn struct {
	// Kind is MEMBER or ORG.
	Kind string `json:"kind"`
	// Status is DU_BI or CHINH_THUC (members only).
	Status string `json:"status,omitempty"`
	// HoldsPost says whether the member holds a post (chức vụ); removal
	// from post needs one.
	HoldsPost *bool `json:"holds_post,omitempty"`
	// CentralCommitteeMember, when true, says the member sits on the
	// Central Committee; a probationary member cannot.
	CentralCommitteeMember *bool `json:"central_committee_member,omitempty"`
}

// subject is a validated SubjectIn.
type subject struct {
	kind         SubjectKind
	probationary bool
	holdsPost    bool
	cc           bool
}

// parse validates s at field; membership facts are checked for
// contradictions.
func (s *SubjectIn) parse(v *validator, field string) subject {
	var out subject
	if s == nil {
		v.add(field, "rules.err.required")
		return out
	}
	k, ok := v.subjectKind(field+".kind", s.Kind)
	if !ok {
		return out
	}
	out.kind = k
	if k == SubjectOrg {
		for name, set := range map[string]bool{"status": s.Status != "", "holds_post": s.HoldsPost != nil,
			"central_committee_member": s.CentralCommitteeMember != nil} {
			if set {
				v.add(field+"."+name, "rules.err.member_only")
			}
		}
		return out
	}
	if !v.enum(field+".status", s.Status, strs([]ktgs.MemberStatus{ktgs.MemberStatusFull, ktgs.MemberStatusProbationary}), true) {
		return out
	}
	out.probationary = ktgs.MemberStatus(s.Status) == ktgs.MemberStatusProbationary
	out.holdsPost = s.HoldsPost != nil && *s.HoldsPost
	out.cc = s.CentralCommitteeMember != nil && *s.CentralCommitteeMember
	if out.probationary && out.cc {
		v.addRule(field+".central_committee_member", "Điều lệ Đảng, Điều 3.4", "rules.err.probationary_cc")
	}
	return out
}

// ladder returns the forms allowed for the subject, lightest first, and
// cites the data value it comes from.
func (b *builder) ladder(s subject) []Form {
	var key string
	switch {
	case s.kind == SubjectOrg:
		key = keyFormsOrg
	case s.probationary:
		key = keyFormsProbationary
	default:
		key = keyFormsOfficial
	}
	forms := slices.Clone(b.forms(key))
	slices.SortFunc(forms, func(a, c Form) int { return a.severity() - c.severity() })
	if s.kind == SubjectMember && !s.probationary && !s.holdsPost {
		forms = slices.DeleteFunc(forms, func(f Form) bool { return f == FormRemoval })
	}
	return forms
}

// citeText returns "Regulation, Article" of key for error citations.
func (b *builder) citeText(key string) string {
	if v := b.peek(key); v != nil {
		return v.Regulation + ", " + v.Article
	}
	return ""
}

// checkForm records a field error when form f is not in the subject's
// ladder: expulsion of a probationary member suggests xóa tên; removal
// needs a post.
func (b *builder) checkForm(v *validator, field string, s subject, f Form) bool {
	if slices.Contains(b.ladder(s), f) {
		return true
	}
	switch {
	case s.kind == SubjectMember && s.probationary && f == FormExpulsion:
		v.addRule(field, b.citeText(keyFormsProbationary), "rules.err.expel_probationary")
	case s.kind == SubjectMember && !s.probationary && f == FormRemoval:
		v.addRule(field, b.citeText(keyFormsOfficial), "rules.err.removal_no_post")
	case s.kind == SubjectOrg:
		v.addRule(field, b.citeText(keyFormsOrg), "rules.err.form_subject", string(f), string(s.kind))
	case s.probationary:
		v.addRule(field, b.citeText(keyFormsProbationary), "rules.err.form_subject", string(f), string(s.kind))
	default:
		v.addRule(field, b.citeText(keyFormsOfficial), "rules.err.form_subject", string(f), string(s.kind))
	}
	return false
}

// FormsRequest is the request of R1 (allowed-forms).
type FormsRequest struct {
	// DecisionDate chooses the rule set.
	DecisionDate string     `json:"decision_date"`
	Subject      *SubjectIn `json:"subject"`
	// Form, when given, is checked against the subject's ladder.
	Form string `json:"form,omitempty"`
}

// FormsResult is the result of R1.
type FormsResult struct {
	// AllowedForms is the subject's ladder, lightest first.
	AllowedForms []Form `json:"allowed_forms"`
	// Form echoes the form checked, if any.
	Form Form `json:"form,omitempty"`
	// StrikeFromRoll is true for a probationary member: if no longer
	// qualified, the member is struck from the roll (xóa tên), which is
	// not a disciplinary form.
	StrikeFromRoll bool `json:"strike_from_roll"`
}

// evalForms decides R1: the forms allowed for a subject. A form outside the
// ladder is a validation error on "form".
func evalForms(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[FormsRequest]("R1", data)
	if err != nil {
		return nil, err
	}
	v := &validator{rule: "R1"}
	date := v.date("decision_date", req.DecisionDate, true)
	s := req.Subject.parse(v, "subject")
	f, hasForm := v.form("form", req.Form, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	b, err := r.newBuilder("R1", SeriesParty, date, "decision_date")
	if err != nil {
		return nil, err
	}
	return b.decideForms(v, s, f, hasForm)
}

// decideForms builds the R1 decision.
func (b *builder) decideForms(v *validator, s subject, f Form, hasForm bool) (*Decision, error) {
	ladder := b.ladder(s)
	if hasForm && !b.checkForm(v, "form", s, f) {
		return nil, v.err()
	}
	res := &FormsResult{AllowedForms: ladder, Form: f, StrikeFromRoll: s.kind == SubjectMember && s.probationary}
	switch {
	case s.kind == SubjectOrg:
		b.reason("r1.org", formList(ladder))
	case s.probationary:
		b.reason("r1.probationary", formList(ladder))
		b.reason("r1.strike_from_roll")
	case s.holdsPost:
		b.reason("r1.official_with_post", formList(ladder))
	default:
		b.reason("r1.official_no_post", formList(ladder))
	}
	if !hasForm {
		return b.finish("LISTED", res)
	}
	b.reason("r1.form_allowed", f)
	return b.finish("ALLOWED", res)
}
