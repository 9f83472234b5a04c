package rules

import (
	"maps"
	"slices"
	"strconv"

	"ktgs"
	"ktgs/internal/civil"
)

// AuthorityRequest is the request of R2 (authority): may body decide form
// against subject for this violation on decision_date?
type AuthorityRequest struct {
	DecisionDate string            `json:"decision_date"`
	Subject      *AuthoritySubject `json:"subject"`
	// Body is the acting body: kind CHI_BO, CHI_UY, DANG_UY_BO_PHAN,
	// CAP_UY, BTV, UBKT, BCT, BBT, BCH_TW, BAN_CAN_SU_DANG_DOAN or
	// BAN_THAM_MUU, and its organisation.
	Body      *BodyIn      `json:"body"`
	Violation *ViolationIn `json:"violation"`
	Form      string       `json:"form"`
	// RemovalFromOrgID names the committee seat a removal (CACH_CHUC)
	// concerns, by the organisation id of one of the member's committee
	// memberships. Without it a removal concerns the highest seat.
	RemovalFromOrgID int64 `json:"removal_from_org_id,omitempty"`
}

// AuthoritySubject is the member or organisation an authority question is
// about. For a member: status, home chi bộ, posts, committee memberships
// and the managing body; for an organisation: org.
type AuthoritySubject struct {
	Kind                   string   `json:"kind"`
	Status                 string   `json:"status,omitempty"`
	HoldsPost              *bool    `json:"holds_post,omitempty"`
	CentralCommitteeMember *bool    `json:"central_committee_member,omitempty"`
	HomeOrg                *OrgRef  `json:"home_org,omitempty"`
	Posts                  []PostIn `json:"posts,omitempty"`
	CommitteeMemberships   []SeatIn `json:"committee_memberships,omitempty"`
	ManagingBody           *BodyIn  `json:"managing_body,omitempty"`
	Org                    *OrgRef  `json:"org,omitempty"`
}

// PostIn is a post (chức vụ) the member holds.
type PostIn struct {
	Title string  `json:"title"`
	Level string  `json:"level,omitempty"` // ktgs.PostLevel
	Org   *OrgRef `json:"org,omitempty"`
}

// SeatIn is a seat on a committee: body CAP_UY (or BTV, BCT, BBT, which
// imply it) of a đảng bộ, or CHI_UY of a chi bộ.
type SeatIn struct {
	Body string  `json:"body"`
	Org  *OrgRef `json:"org"`
	Role string  `json:"role,omitempty"` // ktgs.Role
}

// ViolationIn describes the violation: its category (see Categories), its
// scope (CORE, HIGHER_ASSIGNED_TASK, COMMITTEE_ASSIGNED_TASK,
// PROFESSIONAL_TASK; members only) and, optionally, its date.
type ViolationIn struct {
	Category string `json:"category"`
	Scope    string `json:"scope,omitempty"`
	Date     string `json:"date,omitempty"`
}

// VoteThreshold is the ballot threshold a decision or proposal needs, of
// the official members of the chi bộ (OFFICIAL_MEMBERS) or of the members
// of the body (BODY_MEMBERS).
type VoteThreshold struct {
	Ratio Ratio  `json:"ratio"`
	Of    string `json:"of"`
}

// AuthorityResult is the result of R2.
type AuthorityResult struct {
	// Body is the acting body, normalised (CAP_UY of TW is BCH_TW).
	Body BodyRef `json:"body"`
	Form Form    `json:"form"`
	// Relations lists how the subject stands to the acting body, e.g.
	// MEMBER_OF_ACTING_CHI_BO, HIGHER_MANAGED_CADRE,
	// DIRECT_LOWER_COMMITTEE_MEMBER (see docs/RULES-API.md).
	Relations []string `json:"relations"`
	// LevelsBetween is, for an organisation subject, how many levels it
	// lies below the acting body's organisation.
	LevelsBetween *int `json:"levels_between,omitempty"`
	// CompetentBody is, for PROPOSE, the first body up the acting
	// organisation's path that may decide.
	CompetentBody *BodyRef `json:"competent_body,omitempty"`
	// Duties are the reports a DECIDE outcome creates.
	Duties []Duty `json:"duties"`
	// VoteThreshold is the ballot threshold of the decision or proposal.
	VoteThreshold *VoteThreshold `json:"vote_threshold,omitempty"`
}

// seat is a validated committee membership: the organisation whose
// committee (or chi ủy) the member sits on.
type seat struct {
	org *node
}

// memberFacts is a validated member subject.
type memberFacts struct {
	subject
	home         *node
	seats        []seat // one per organisation
	managing     *node
	managingKind BodyKind
}

// highest returns the member's highest committee seat, or nil.
func (m *memberFacts) highest() *seat {
	var h *seat
	for i := range m.seats {
		if h == nil || m.seats[i].org.depth < h.org.depth {
			h = &m.seats[i]
		}
	}
	return h
}

// authorityInput is a validated AuthorityRequest.
type authorityInput struct {
	date     civil.Date
	act      actor
	member   *memberFacts
	org      *node
	form     Form
	category string
	scope    Scope
	removal  *node // the seat organisation a removal concerns
}

// actor is an acting (or candidate) body.
type actor struct {
	kind BodyKind
	org  *node
}

// ref returns the actor as a BodyRef.
func (a actor) ref() BodyRef { return a.org.ref(a.kind) }

// parseAuthority validates req.
func parseAuthority(req *AuthorityRequest) (*authorityInput, *validator) {
	v := &validator{rule: "R2"}
	in := &authorityInput{}
	in.date = v.date("decision_date", req.DecisionDate, true)
	idx := newOrgIndex(in.date)
	in.act.kind, in.act.org = idx.body(v, "body", req.Body, BodyKinds)
	f, _ := v.form("form", req.Form, true)
	in.form = f
	if req.Violation == nil {
		v.add("violation", "rules.err.required")
	} else {
		in.category = req.Violation.Category
		v.enum("violation.category", req.Violation.Category, Categories, true)
		vd := v.date("violation.date", req.Violation.Date, false)
		v.order("violation.date", vd, "decision_date", in.date)
	}
	s := req.Subject
	if s == nil {
		v.add("subject", "rules.err.required")
		return in, v
	}
	kind, ok := v.subjectKind("subject.kind", s.Kind)
	if !ok {
		return in, v
	}
	if kind == SubjectOrg {
		parseOrgSubject(v, idx, s, in)
	} else {
		in.member = parseMemberSubject(v, idx, s)
		if req.Violation != nil && v.enum("violation.scope", req.Violation.Scope, strs(Scopes), true) {
			in.scope = Scope(req.Violation.Scope)
		}
		if req.RemovalFromOrgID != 0 {
			if in.form != FormRemoval {
				v.add("removal_from_org_id", "rules.err.removal_only")
			} else if in.member != nil {
				for _, st := range in.member.seats {
					if st.org.id == req.RemovalFromOrgID {
						in.removal = st.org
					}
				}
				if in.removal == nil {
					v.add("removal_from_org_id", "rules.err.removal_seat", req.RemovalFromOrgID)
				}
			}
		}
		if in.member != nil && in.removal == nil && in.form == FormRemoval {
			if h := in.member.highest(); h != nil {
				in.removal = h.org
			}
		}
	}
	return in, v
}

// parseOrgSubject validates an organisation subject.
func parseOrgSubject(v *validator, idx *orgIndex, s *AuthoritySubject, in *authorityInput) {
	member := map[string]bool{"status": s.Status != "", "holds_post": s.HoldsPost != nil,
		"central_committee_member": s.CentralCommitteeMember != nil, "home_org": s.HomeOrg != nil,
		"posts": len(s.Posts) > 0, "committee_memberships": len(s.CommitteeMemberships) > 0,
		"managing_body": s.ManagingBody != nil}
	for _, name := range slices.Sorted(maps.Keys(member)) {
		if member[name] {
			v.add("subject."+name, "rules.err.member_only")
		}
	}
	n := idx.add(v, "subject.org", s.Org)
	if n == nil {
		return
	}
	if n.typ == ktgs.OrgTypeCentral || n.typ == ktgs.OrgTypePartyGroup {
		v.add("subject.org.type", "rules.err.not_disciplinable", string(n.typ))
		return
	}
	in.org = n
}

// parseMemberSubject validates a member subject and checks its facts for
// contradictions.
func parseMemberSubject(v *validator, idx *orgIndex, s *AuthoritySubject) *memberFacts {
	if s.Org != nil {
		v.add("subject.org", "rules.err.org_only")
	}
	basic := (&SubjectIn{Kind: s.Kind, Status: s.Status, HoldsPost: s.HoldsPost,
		CentralCommitteeMember: s.CentralCommitteeMember}).parse(v, "subject")
	m := &memberFacts{subject: basic}
	m.home = idx.add(v, "subject.home_org", s.HomeOrg)
	if m.home != nil && !m.home.typ.IsBranch() {
		v.add("subject.home_org.type", "rules.err.home_branch", string(m.home.typ))
		m.home = nil
	}
	if v.list("subject.committee_memberships", len(s.CommitteeMemberships)) {
		for i, st := range s.CommitteeMemberships {
			f := "subject.committee_memberships[" + strconv.Itoa(i) + "]"
			ok := v.enum(f+".body", st.Body, strs([]BodyKind{BodyCommittee, BodyBranchCommittee,
				BodyStandingCommittee, BodyPolitburo, BodySecretariat}), true)
			if st.Role != "" && !ktgs.Role(st.Role).Valid() {
				v.enum(f+".role", st.Role, strs(ktgs.Roles), false)
			}
			n := idx.add(v, f+".org", st.Org)
			if !ok || n == nil {
				continue
			}
			k := BodyKind(st.Body)
			if !k.ValidFor(n.typ) {
				v.add(f+".body", "rules.err.body_org", st.Body, string(n.typ))
				continue
			}
			if m.home != nil && !ancestorOrSelf(n, m.home) {
				v.add(f+".org", "rules.err.seat_not_ancestor", n.id, m.home.id)
				continue
			}
			if !slices.ContainsFunc(m.seats, func(x seat) bool { return x.org == n }) {
				m.seats = append(m.seats, seat{org: n})
			}
		}
	}
	if v.list("subject.posts", len(s.Posts)) {
		for i, p := range s.Posts {
			f := "subject.posts[" + strconv.Itoa(i) + "]"
			if p.Title == "" {
				v.add(f+".title", "rules.err.required")
			}
			if p.Level != "" {
				v.enum(f+".level", p.Level, strs(ktgs.PostLevels), false)
			}
			if p.Org != nil {
				idx.add(v, f+".org", p.Org)
			}
		}
	}
	if s.ManagingBody != nil {
		k, n := idx.body(v, "subject.managing_body", s.ManagingBody,
			[]BodyKind{BodyCommittee, BodyStandingCommittee, BodyPolitburo, BodySecretariat})
		switch {
		case n == nil:
		case k == BodySubCommittee:
			v.add("subject.managing_body.kind", "rules.err.body_org", s.ManagingBody.Kind, string(n.typ))
		case m.home != nil && !ancestorOrSelf(n, m.home):
			v.add("subject.managing_body.org", "rules.err.managing_not_ancestor", n.id, m.home.id)
		default:
			m.managing, m.managingKind = n, k
		}
	}
	tw := slices.ContainsFunc(m.seats, func(x seat) bool { return x.org.parent == nil })
	switch {
	case s.CentralCommitteeMember != nil && !*s.CentralCommitteeMember && tw:
		v.add("subject.central_committee_member", "rules.err.cc_contradiction")
	case tw:
		m.cc = true
	case m.cc && idx.root != nil && !m.probationary:
		m.seats = append(m.seats, seat{org: idx.root})
	}
	if m.probationary && len(s.CommitteeMemberships) > 0 {
		v.addRule("subject.committee_memberships", "Điều lệ Đảng, Điều 3.4", "rules.err.probationary_seat")
	}
	hasPost := len(s.Posts) > 0 || len(m.seats) > 0
	if s.HoldsPost != nil && !*s.HoldsPost && hasPost {
		v.add("subject.holds_post", "rules.err.post_contradiction")
	}
	m.holdsPost = m.holdsPost || hasPost
	return m
}

// evalAuthority decides R2.
func evalAuthority(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[AuthorityRequest]("R2", data)
	if err != nil {
		return nil, err
	}
	in, v := parseAuthority(req)
	if err := v.err(); err != nil {
		return nil, err
	}
	if in.member == nil && in.org == nil {
		v.add("subject", "rules.err.required")
		return nil, v.err()
	}
	b, err := r.newBuilder("R2", SeriesParty, in.date, "decision_date")
	if err != nil {
		return nil, err
	}
	sub := subject{kind: SubjectOrg}
	if in.member != nil {
		sub = in.member.subject
	}
	probExpel := sub.kind == SubjectMember && sub.probationary && in.form == FormExpulsion
	if !probExpel && !b.checkForm(v, "form", sub, in.form) {
		return nil, v.err()
	}
	return b.decideAuthority(in)
}
