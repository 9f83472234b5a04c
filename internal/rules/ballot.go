package rules

import (
	"maps"
	"slices"
	"strconv"

	"ktgs"
)

// BallotRequest is the request of R3 (ballot), R4 (ballot-cumulation) and
// R5 (ballot-denominator): a secret ballot on disciplinary forms at a
// meeting of a chi bộ or đảng bộ (voters OFFICIAL_MEMBERS) or of a body
// (BODY_MEMBERS).
type BallotRequest struct {
	DecisionDate string     `json:"decision_date"`
	Subject      *SubjectIn `json:"subject"`
	// Purpose is DECIDE or PROPOSE; expulsion needs >= 2/3 to propose and
	// > 1/2 to decide. Required for R3 and R4.
	Purpose string `json:"purpose,omitempty"`
	// Form is the form whose threshold R3 checks.
	Form    string     `json:"form,omitempty"`
	Meeting *MeetingIn `json:"meeting"`
	Ballot  *BallotIn  `json:"ballot,omitempty"`
}

// MeetingIn gives who may vote: either counts or a roll of members.
type MeetingIn struct {
	// Voters is OFFICIAL_MEMBERS (a chi bộ or đảng bộ meeting) or
	// BODY_MEMBERS (a committee, standing committee or UBKT).
	Voters string `json:"voters"`
	// Official is the number of official members convened (or of body
	// members).
	Official *int `json:"official,omitempty"`
	// Probationary members attend but never vote.
	Probationary int `json:"probationary,omitempty"`
	// AbsentTemporarilyAttached and AbsentExempted are absent official
	// members attached elsewhere or exempted from party work; they leave
	// the denominator. AbsentOther are other absent official members;
	// they still count.
	AbsentTemporarilyAttached int `json:"absent_temporarily_attached,omitempty"`
	AbsentExempted            int `json:"absent_exempted,omitempty"`
	AbsentOther               int `json:"absent_other,omitempty"`
	// Roll lists the members instead of the counts.
	Roll []RollEntry `json:"roll,omitempty"`
}

// RollEntry is one member on the roll of a meeting.
type RollEntry struct {
	Status                       string `json:"status"`
	Present                      *bool  `json:"present"`
	TemporarilyAttachedElsewhere bool   `json:"temporarily_attached_elsewhere,omitempty"`
	Exempted                     bool   `json:"exempted,omitempty"`
}

// BallotIn is the result of the ballot: votes per form (one ballot listing
// the forms, each voter choosing at most one).
type BallotIn struct {
	Secret *bool          `json:"secret,omitempty"`
	Votes  map[string]int `json:"votes"`
}

// TallyRow is one form of the tally, heaviest first.
type TallyRow struct {
	Form       Form  `json:"form"`
	Votes      int   `json:"votes"`
	Cumulative int   `json:"cumulative"`
	Threshold  Ratio `json:"threshold"`
	Required   int   `json:"required"`
	Reached    bool  `json:"reached"`
}

// BallotResult is the result of R3–R5.
type BallotResult struct {
	Voters string `json:"voters"`
	// Official is the number of official (or body) members convened.
	Official int `json:"official"`
	// ProbationaryExcluded, AbsentTemporarilyAttached and AbsentExempted
	// are left out of the denominator; AbsentCounted stay in it.
	ProbationaryExcluded      int `json:"probationary_excluded"`
	AbsentTemporarilyAttached int `json:"absent_temporarily_attached"`
	AbsentExempted            int `json:"absent_exempted"`
	AbsentCounted             int `json:"absent_counted"`
	// Denominator is the number of votes thresholds are counted against.
	Denominator int `json:"denominator"`
	// Present is the number of members who may vote at the meeting.
	Present int `json:"present"`
	// Tally lists the forms heaviest first with cumulative votes.
	Tally []TallyRow `json:"tally,omitempty"`
	// Form is the form R3 checked; AdoptedForm the form the cumulation
	// rule adopts, if any.
	Form        Form `json:"form,omitempty"`
	AdoptedForm Form `json:"adopted_form,omitempty"`
}

// ballotInput is a validated BallotRequest.
type ballotInput struct {
	res     BallotResult
	subject subject
	purpose string
	form    Form
	votes   map[Form]int
}

// evalBallotThreshold decides R3: does one form reach its threshold?
func evalBallotThreshold(r *Registry, data []byte) (*Decision, error) {
	return evalBallot(r, data, "R3")
}

// evalBallotCumulation decides R4: which form does the ballot adopt?
func evalBallotCumulation(r *Registry, data []byte) (*Decision, error) {
	return evalBallot(r, data, "R4")
}

// evalBallotDenominator decides R5: how many votes count?
func evalBallotDenominator(r *Registry, data []byte) (*Decision, error) {
	return evalBallot(r, data, "R5")
}

// evalBallot validates the request for rule and decides it.
func evalBallot(r *Registry, data []byte, rule string) (*Decision, error) {
	req, err := decodeRequest[BallotRequest](rule, data)
	if err != nil {
		return nil, err
	}
	v := &validator{rule: rule}
	date := v.date("decision_date", req.DecisionDate, true)
	in := &ballotInput{votes: map[Form]int{}}
	if req.Subject != nil || rule != "R5" || req.Ballot != nil {
		in.subject = req.Subject.parse(v, "subject")
	}
	if v.enum("purpose", req.Purpose, []string{OutcomeDecide, OutcomePropose}, rule != "R5") {
		in.purpose = req.Purpose
	}
	if f, ok := v.form("form", req.Form, rule == "R3"); ok {
		in.form = f
	}
	if req.Ballot == nil && rule != "R5" {
		v.add("ballot", "rules.err.required")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	b, err := r.newBuilder(rule, SeriesParty, date, "decision_date")
	if err != nil {
		return nil, err
	}
	b.meeting(v, req.Meeting, &in.res)
	if in.form != "" {
		b.checkForm(v, "form", in.subject, in.form)
	}
	if req.Ballot != nil {
		b.checkBallot(v, req.Ballot, in)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return b.decideBallot(in)
}

// meeting validates the meeting and computes the denominator (R5).
func (b *builder) meeting(v *validator, m *MeetingIn, res *BallotResult) {
	if m == nil {
		v.add("meeting", "rules.err.required")
		return
	}
	if !v.enum("meeting.voters", m.Voters, []string{"OFFICIAL_MEMBERS", "BODY_MEMBERS"}, true) {
		return
	}
	res.Voters = m.Voters
	if m.Roll != nil {
		if m.Official != nil || m.Probationary != 0 || m.AbsentTemporarilyAttached != 0 || m.AbsentExempted != 0 || m.AbsentOther != 0 {
			v.add("meeting.roll", "rules.err.roll_or_counts")
			return
		}
		if len(m.Roll) > maxRoll {
			v.add("meeting.roll", "rules.err.too_many", len(m.Roll), maxRoll)
			return
		}
		c := MeetingIn{Voters: m.Voters}
		c.Official = new(int)
		for i, e := range m.Roll {
			f := "meeting.roll[" + strconv.Itoa(i) + "]"
			if !v.enum(f+".status", e.Status, strs([]ktgs.MemberStatus{ktgs.MemberStatusFull, ktgs.MemberStatusProbationary}), true) {
				continue
			}
			if e.Present == nil {
				v.add(f+".present", "rules.err.required")
				continue
			}
			if ktgs.MemberStatus(e.Status) == ktgs.MemberStatusProbationary {
				c.Probationary++
				continue
			}
			*c.Official++
			switch {
			case *e.Present:
			case e.TemporarilyAttachedElsewhere:
				c.AbsentTemporarilyAttached++
			case e.Exempted:
				c.AbsentExempted++
			default:
				c.AbsentOther++
			}
		}
		m = &c
	}
	if m.Official == nil {
		v.add("meeting.official", "rules.err.required")
		return
	}
	ok := v.count("meeting.official", *m.Official, maxCount) &&
		v.count("meeting.probationary", m.Probationary, maxCount) &&
		v.count("meeting.absent_temporarily_attached", m.AbsentTemporarilyAttached, maxCount) &&
		v.count("meeting.absent_exempted", m.AbsentExempted, maxCount) &&
		v.count("meeting.absent_other", m.AbsentOther, maxCount)
	if !ok {
		return
	}
	if *m.Official < 1 {
		v.add("meeting.official", "rules.err.range", *m.Official, 1, maxCount)
		return
	}
	if m.Voters == "BODY_MEMBERS" {
		for name, n := range map[string]int{"meeting.probationary": m.Probationary,
			"meeting.absent_temporarily_attached": m.AbsentTemporarilyAttached, "meeting.absent_exempted": m.AbsentExempted} {
			if n != 0 {
				v.add(name, "rules.err.body_members_only")
			}
		}
	}
	if absent := m.AbsentTemporarilyAttached + m.AbsentExempted + m.AbsentOther; absent > *m.Official {
		v.add("meeting.absent_other", "rules.err.absent_exceeds", absent, *m.Official)
	}
	if v.err() != nil {
		return
	}
	res.Official = *m.Official
	res.ProbationaryExcluded = m.Probationary
	res.AbsentCounted = m.AbsentOther
	res.Denominator = *m.Official
	if m.Voters == "OFFICIAL_MEMBERS" {
		if b.flag(keyBallotProbationary) {
			b.reason("r5.probationary", m.Probationary)
		}
		if b.flag(keyBallotExclusions) {
			res.AbsentTemporarilyAttached = m.AbsentTemporarilyAttached
			res.AbsentExempted = m.AbsentExempted
			res.Denominator -= m.AbsentTemporarilyAttached + m.AbsentExempted
			b.reason("r5.exclusions", m.AbsentTemporarilyAttached, m.AbsentExempted, m.AbsentOther)
		}
	} else {
		b.reason("r5.body_members", *m.Official)
	}
	res.Present = res.Denominator - m.AbsentOther
	b.reason("r5.denominator", res.Denominator, res.Official)
}

// checkBallot validates the votes against the subject's ladder and the
// denominator.
func (b *builder) checkBallot(v *validator, bl *BallotIn, in *ballotInput) {
	if bl.Secret != nil && !*bl.Secret {
		v.addRule("ballot.secret", b.citeText(keyBallotSecret), "rules.err.not_secret")
		return
	}
	if len(bl.Votes) == 0 {
		v.add("ballot.votes", "rules.err.required")
		return
	}
	total := 0
	for _, k := range slices.Sorted(maps.Keys(bl.Votes)) {
		field := "ballot.votes." + k
		f, ok := v.form(field, k, true)
		if !ok || !b.checkForm(v, field, in.subject, f) {
			continue
		}
		n := bl.Votes[k]
		if !v.count(field, n, maxCount) {
			continue
		}
		if in.res.Denominator > 0 && n > in.res.Denominator {
			v.add(field, "rules.err.votes_exceed", n, in.res.Denominator)
			continue
		}
		in.votes[f] = n
		total += n
	}
	if !v.has("meeting") && in.res.Denominator > 0 && total > in.res.Present {
		v.add("ballot.votes", "rules.err.votes_total", total, in.res.Present)
	}
}

// thresholdFor returns the threshold of form f for the purpose.
func (b *builder) thresholdFor(f Form, purpose string) Ratio {
	switch {
	case f == FormExpulsion && purpose == OutcomePropose:
		return b.ratio(keyBallotExpelPropose)
	case f == FormExpulsion:
		return b.ratio(keyBallotExpelDecide)
	case f == FormDissolution && purpose == OutcomePropose:
		return b.ratio(keyBallotDissolvPropose)
	}
	return b.ratio(keyBallotMajority)
}

// decideBallot tallies the ballot for R3, R4 or R5.
func (b *builder) decideBallot(in *ballotInput) (*Decision, error) {
	res := &in.res
	if b.rule == "R5" && len(in.votes) == 0 {
		return b.finish("COMPUTED", res)
	}
	b.flag(keyBallotSecret)
	ladder := b.ladder(in.subject)
	cumulate := b.rule != "R3" && b.flag(keyBallotCumulation)
	total := 0
	for i := len(ladder) - 1; i >= 0; i-- {
		f := ladder[i]
		th := b.thresholdFor(f, in.purpose)
		n := in.votes[f]
		total += n
		row := TallyRow{Form: f, Votes: n, Cumulative: n, Threshold: th, Required: th.Required(res.Denominator)}
		if cumulate {
			row.Cumulative = total
		}
		row.Reached = row.Cumulative >= row.Required
		if row.Reached && res.AdoptedForm == "" {
			res.AdoptedForm = f
		}
		res.Tally = append(res.Tally, row)
	}
	switch b.rule {
	case "R3":
		res.Form = in.form
		for _, row := range res.Tally {
			if row.Form != in.form {
				continue
			}
			if row.Reached {
				b.reason("r3.passed", in.form, row.Votes, res.Denominator, row.Threshold, row.Required)
				return b.finish("PASSED", res)
			}
			b.reason("r3.failed", in.form, row.Votes, res.Denominator, row.Threshold, row.Required)
			return b.finish("FAILED", res)
		}
	case "R4", "R5":
		if cumulate {
			b.reason("r4.cumulation")
		}
		for _, row := range res.Tally {
			b.reason("r4.row", row.Form, row.Votes, row.Cumulative, row.Required)
			if row.Reached {
				break
			}
		}
		if res.AdoptedForm != "" {
			b.reason("r4.adopted", res.AdoptedForm)
			if b.rule == "R5" {
				return b.finish("COMPUTED", res)
			}
			return b.finish("PASSED", res)
		}
		b.reason("r4.none_adopted")
		if b.rule == "R5" {
			return b.finish("COMPUTED", res)
		}
	}
	return b.finish("FAILED", res)
}
