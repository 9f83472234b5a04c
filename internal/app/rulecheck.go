package app

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// DisciplineFacts are the facts a cadre gives to look up the discipline
// rules for one case: who is concerned, which body acts, the violation, the
// form and the dates, and optionally the ballot. The subject and the body
// are named by card number and organisation codes; their status, seats,
// posts, managing body and places in the hierarchy come from the register
// as they stood on the decision date.
type DisciplineFacts struct {
	SubjectKind    string     // MEMBER or ORG
	Card           string     // the member's party card number
	SubjectOrgCode string     // the organisation subject's code
	BodyKind       string     // rules.BodyKind: CHI_BO, CAP_UY, BTV, UBKT …
	BodyOrgCode    string     // the acting body's organisation
	Category       string     // violation category (rules.Categories)
	Scope          string     // CORE, HIGHER_ASSIGNED_TASK …
	Form           string     // KHIEN_TRACH, CANH_CAO, CACH_CHUC, KHAI_TRU, GIAI_TAN
	ViolationDate  civil.Date // for the statute of limitations
	DecisionDate   civil.Date // chooses the rule set for authority and votes
	AnnouncedOn    civil.Date // for the 12-month expiry and the removal bar
	// The ballot (optional): who may vote and the votes per form.
	Official, Probationary, AbsentTemp, AbsentExempt, AbsentOther int
	Votes                                                         map[string]int
}

// RuleAnswer is the decision of one rule, or why it could not be asked.
type RuleAnswer struct {
	Rule     string
	Decision *rules.Decision
	Err      *ktgs.Error
}

// CheckDiscipline evaluates the discipline rules the facts allow: allowed
// forms (R1), authority (R2), the ballot (R3–R5) when votes are given, the
// statute of limitations (R6) when the violation date is given, and the
// 12-month expiry (R7) and removal bar (R8) when the announcement date is
// given. A rule that cannot be asked answers with its validation error;
// facts that cannot be resolved in the register are a field error.
func (s *Service) CheckDiscipline(ctx context.Context, f DisciplineFacts) ([]RuleAnswer, error) {
	var v ktgs.Validation
	f.Card = NormaliseCard(f.Card)
	f.SubjectOrgCode = strings.ToUpper(vn.Clean(f.SubjectOrgCode))
	f.BodyOrgCode = strings.ToUpper(vn.Clean(f.BodyOrgCode))
	if f.DecisionDate.IsZero() {
		f.DecisionDate = s.Today()
	}
	checkDate(&v, "decision_date", f.DecisionDate, true)
	checkDate(&v, "violation_date", f.ViolationDate, false)
	checkDate(&v, "announced_on", f.AnnouncedOn, false)
	if f.SubjectKind != "MEMBER" && f.SubjectKind != "ORG" {
		v.Add("subject_kind", "err.required")
	}
	if f.SubjectKind == "MEMBER" && f.Card == "" {
		v.Add("card_number", "err.required")
	}
	if f.SubjectKind == "ORG" && f.SubjectOrgCode == "" {
		v.Add("subject_org_code", "err.required")
	}
	if f.BodyOrgCode == "" {
		v.Add("body_org_code", "err.required")
	}
	if f.BodyKind == "" {
		v.Add("body_kind", "err.required")
	}
	if f.Form == "" {
		v.Add("form", "err.required")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	d := f.DecisionDate
	var subject rules.AuthoritySubject
	var ladder rules.SubjectIn
	var body *rules.OrgRef
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if body, err = orgRefByCode(ctx, tx, f.BodyOrgCode, d); err != nil {
			v.Add("body_org_code", "err.org_not_on_date", f.BodyOrgCode, d.VN())
			return nil
		}
		if f.SubjectKind == "ORG" {
			ref, err := orgRefByCode(ctx, tx, f.SubjectOrgCode, d)
			if err != nil {
				v.Add("subject_org_code", "err.org_not_on_date", f.SubjectOrgCode, d.VN())
				return nil
			}
			subject = rules.AuthoritySubject{Kind: "ORG", Org: ref}
			ladder = rules.SubjectIn{Kind: "ORG"}
			return nil
		}
		m, err := tx.MemberByCard(ctx, f.Card, d)
		if err == nil && !isSystem(ctx) {
			// A member outside the asker's scope is reported as unknown:
			// the rules page must not tell who holds a card.
			obj, oerr := s.MemberObject(ctx, tx, m.ID)
			if oerr != nil {
				return oerr
			}
			if s.Authorize(ctx, authz.MemberRead, obj) != nil {
				err = ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found")
			}
		}
		if ktgs.ErrorCode(err) == ktgs.ENOTFOUND {
			v.Add("card_number", "err.member_card_unknown", f.Card)
			return nil
		} else if err != nil {
			return err
		}
		if !m.Active(d) {
			v.Add("card_number", "err.member_not_active", m.FullName, d.VN())
			return nil
		}
		subject, err = memberSubject(ctx, tx, m, d)
		ladder = rules.SubjectIn{Kind: "MEMBER", Status: subject.Status, HoldsPost: subject.HoldsPost, CentralCommitteeMember: subject.CentralCommitteeMember}
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out []RuleAnswer
	ask := func(rule string, req any) {
		b, err := json.Marshal(req)
		if err != nil {
			out = append(out, RuleAnswer{Rule: rule, Err: ktgs.Errorf(ktgs.EINTERNAL, err.Error())})
			return
		}
		dec, err := s.Rules.Evaluate(rule, b)
		a := RuleAnswer{Rule: rule, Decision: dec}
		if err != nil {
			a.Err = ktgs.AsError(err)
			if a.Err == nil {
				a.Err = ktgs.Errorf(ktgs.EINTERNAL, err.Error())
			}
		}
		out = append(out, a)
	}
	ask("R1", rules.FormsRequest{DecisionDate: d.String(), Subject: &ladder, Form: f.Form})
	ask("R2", rules.AuthorityRequest{DecisionDate: d.String(), Subject: &subject, Body: &rules.BodyIn{Kind: f.BodyKind, Org: body},
		Violation: &rules.ViolationIn{Category: orDefault(f.Category, "KHAC"), Scope: scopeFor(f)}, Form: f.Form})
	if len(f.Votes) > 0 {
		voters := "OFFICIAL_MEMBERS"
		if f.BodyKind != "CHI_BO" {
			voters = "BODY_MEMBERS"
		}
		official := f.Official
		meeting := &rules.MeetingIn{Voters: voters, Official: &official, Probationary: f.Probationary,
			AbsentTemporarilyAttached: f.AbsentTemp, AbsentExempted: f.AbsentExempt, AbsentOther: f.AbsentOther}
		purpose := "DECIDE"
		if len(out) > 1 && out[1].Decision != nil && out[1].Decision.Outcome == rules.OutcomePropose {
			purpose = "PROPOSE"
		}
		secret := true
		ask("R4", rules.BallotRequest{DecisionDate: d.String(), Subject: &ladder, Purpose: purpose, Meeting: meeting,
			Ballot: &rules.BallotIn{Secret: &secret, Votes: f.Votes}})
		ask("R5", rules.BallotRequest{DecisionDate: d.String(), Subject: &ladder, Meeting: meeting})
	}
	if !f.ViolationDate.IsZero() {
		ask("R6", rules.LimitationRequest{SubjectKind: f.SubjectKind, ViolationDate: f.ViolationDate.String(), WarrantedForm: f.Form,
			Category: f.Category, ConclusionDate: d.String()})
	}
	if !f.AnnouncedOn.IsZero() {
		ask("R7", rules.ExpiryRequest{SubjectKind: f.SubjectKind, Form: f.Form, AnnouncedOn: f.AnnouncedOn.String(), AsOf: s.Today().String()})
		if f.Form == "CACH_CHUC" {
			ask("R8", rules.RemovalBarRequest{Form: f.Form, AnnouncedOn: f.AnnouncedOn.String(), Action: "ELECTION_TO_COMMITTEE", ActionDate: s.Today().String()})
		}
	}
	return out, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// scopeFor gives members a violation scope (CORE by default); organisations
// have none.
func scopeFor(f DisciplineFacts) string {
	if f.SubjectKind == "ORG" {
		return ""
	}
	return orDefault(f.Scope, "CORE")
}

// orgRefByCode builds the rules' view of an organisation: its id, type and
// path of ancestors as it stood on day d.
func orgRefByCode(ctx context.Context, tx *store.Tx, code string, d civil.Date) (*rules.OrgRef, error) {
	id, err := tx.OrgIDByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	return orgRef(ctx, tx, id, d)
}

func orgRef(ctx context.Context, tx *store.Tx, id int64, d civil.Date) (*rules.OrgRef, error) {
	o, err := tx.OrgAt(ctx, id, d)
	if err != nil {
		return nil, err
	}
	anc, err := tx.Ancestors(ctx, o, d)
	if err != nil {
		return nil, err
	}
	ref := &rules.OrgRef{ID: o.ID, Type: string(o.Type)}
	for _, a := range anc {
		ref.Path = append(ref.Path, rules.PathNode{ID: a.ID, Type: string(a.Type), Name: a.Name})
	}
	ref.Path = append(ref.Path, rules.PathNode{ID: o.ID, Type: string(o.Type), Name: o.Name})
	return ref, nil
}

// memberSubject builds the rules' view of a member on day d from the
// register: status, home chi bộ, the posts and committee seats held that
// day, and the managing body.
func memberSubject(ctx context.Context, tx *store.Tx, m *ktgs.Member, d civil.Date) (rules.AuthoritySubject, error) {
	sub := rules.AuthoritySubject{Kind: "MEMBER", Status: string(m.StatusOn(d))}
	home, err := tx.HomeOrgOn(ctx, m.ID, d)
	if err != nil {
		return sub, err
	}
	if home != 0 {
		if sub.HomeOrg, err = orgRef(ctx, tx, home, d); err != nil {
			return sub, err
		}
	}
	holds, cc := false, false
	posts, err := tx.Posts(ctx, m.ID)
	if err != nil {
		return sub, err
	}
	for _, p := range posts {
		if d.Before(p.From) || !d.Before(p.To) {
			continue
		}
		holds = true
		in := rules.PostIn{Title: p.Title, Level: string(p.Level)}
		if p.OrgID != 0 {
			if ref, err := orgRef(ctx, tx, p.OrgID, d); err == nil {
				in.Org = ref
			}
		}
		sub.Posts = append(sub.Posts, in)
	}
	seats, err := tx.MemberSeats(ctx, m.ID)
	if err != nil {
		return sub, err
	}
	// A seat suspended with the member's party activity (Quy định
	// 22-QĐ/TW, Điều 28) is not held that day.
	suspended, err := tx.SuspendedSeatIDs(ctx, m.ID, d)
	if err != nil {
		return sub, err
	}
	for _, st := range seats {
		if d.Before(st.Start) || d.After(st.End) || slices.Contains(suspended, st.ID) {
			continue
		}
		body := string(st.BodyKind)
		switch st.BodyKind {
		case ktgs.BodyBranch:
			// A chi bộ's secretary and deputy are its committee (chi ủy).
			body = "CHI_UY"
		case ktgs.BodyInspectionCommission:
			// A UBKT seat is not a committee seat (Điều lệ Đảng, Điều 30).
			holds = true
			continue
		}
		ref, err := orgRef(ctx, tx, st.OrgID, d)
		if err != nil {
			continue
		}
		holds = true
		if st.OrgType == ktgs.OrgTypeCentral && st.BodyKind == ktgs.BodyCommittee {
			cc = true
		}
		sub.CommitteeMemberships = append(sub.CommitteeMemberships, rules.SeatIn{Body: body, Org: ref, Role: string(st.Role)})
	}
	sub.HoldsPost, sub.CentralCommitteeMember = &holds, &cc
	// The managing body matters to the rules as a committee's cadre list
	// (RULES.md §1.4). A member managed by their own chi bộ cơ sở is on no
	// such list, so the request leaves it out.
	if m.Managing.OrgID != 0 && m.Managing.Kind != ktgs.BodyBranch {
		if ref, err := orgRef(ctx, tx, m.Managing.OrgID, d); err == nil {
			if kind, ok := rules.BodyKindOf(m.Managing.Kind, ktgs.OrgType(ref.Type)); ok {
				sub.ManagingBody = &rules.BodyIn{Kind: string(kind), Org: ref}
			}
		}
	}
	return sub, nil
}
