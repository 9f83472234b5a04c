package ktgs

import (
	"time"

	"ktgs/internal/authz"
	"ktgs/internal/civil"
)

// Discipline proceedings (thi hành kỷ luật, RULES.md §3). The rules
// package decides every question a proceeding asks (allowed forms,
// authority, the ballot, limitation, expiry, the removal bar, the state
// notification deadline); this file only says which steps exist, in which
// order and who may take them.

// DisciplineForm is a form of discipline (RULES.md §3.1), the codes of
// the rules package.
type DisciplineForm string

// The forms, lightest first.
const (
	FormReprimand   DisciplineForm = "KHIEN_TRACH" // khiển trách
	FormWarning     DisciplineForm = "CANH_CAO"    // cảnh cáo
	FormRemoval     DisciplineForm = "CACH_CHUC"   // cách chức
	FormExpulsion   DisciplineForm = "KHAI_TRU"    // khai trừ
	FormDissolution DisciplineForm = "GIAI_TAN"    // giải tán
)

// DisciplineForms lists every form, lightest first.
var DisciplineForms = []DisciplineForm{FormReprimand, FormWarning, FormRemoval, FormExpulsion, FormDissolution}

// Valid reports whether f is a known form.
func (f DisciplineForm) Valid() bool {
	for _, x := range DisciplineForms {
		if f == x {
			return true
		}
	}
	return false
}

// ProceedingOrigin is how a proceeding opened (issue "Discipline" 1).
type ProceedingOrigin string

// The origins.
const (
	// OriginFinding: a violation finding of an inspection that warrants
	// discipline.
	OriginFinding ProceedingOrigin = "FINDING"
	// OriginDenunciation: the conclusion of a denunciation.
	OriginDenunciation ProceedingOrigin = "DENUNCIATION"
	// OriginStateDiscipline: a state body, the Fatherland Front or a
	// socio-political organisation disciplined or suspended the member
	// and must notify within 5 days (R18).
	OriginStateDiscipline ProceedingOrigin = "STATE_DISCIPLINE"
	// OriginLawEnforcement: prosecution, detention, indictment or trial,
	// notified within 3 days (R18).
	OriginLawEnforcement ProceedingOrigin = "LAW_ENFORCEMENT"
	// OriginDirect: opened directly by a competent body.
	OriginDirect ProceedingOrigin = "DIRECT"
)

// ProceedingOrigins lists the origins.
var ProceedingOrigins = []ProceedingOrigin{OriginFinding, OriginDenunciation, OriginStateDiscipline, OriginLawEnforcement, OriginDirect}

// Valid reports whether o is a known origin.
func (o ProceedingOrigin) Valid() bool {
	for _, x := range ProceedingOrigins {
		if o == x {
			return true
		}
	}
	return false
}

// StateNotice reports whether the origin is a notification under R18.
func (o ProceedingOrigin) StateNotice() bool {
	return o == OriginStateDiscipline || o == OriginLawEnforcement
}

// ProceedingStatus is where a proceeding stands.
type ProceedingStatus string

// The statuses.
const (
	ProcOpen ProceedingStatus = "OPEN" // opened: the member is to be heard
	// ProcHeard: the member was heard and wrote a self-criticism; the
	// body may meet and vote.
	ProcHeard ProceedingStatus = "HEARD"
	// ProcForwarded: the acting body could only propose; the proposal
	// and its tally are before the competent body, which votes next.
	ProcForwarded ProceedingStatus = "FORWARDED"
	// ProcVoted: the competent body voted a form that applies; the
	// decision is to be issued.
	ProcVoted ProceedingStatus = "VOTED"
	// ProcDecided: the decision was issued and announced; its effects
	// are applied to the register.
	ProcDecided ProceedingStatus = "DECIDED"
	// ProcNotApplied: the body voted a form, but the statute of
	// limitations for that form had run (R6): discipline is not applied.
	// Both facts stay on record.
	ProcNotApplied ProceedingStatus = "NOT_APPLIED"
	// ProcNoDiscipline: no form reached its threshold, even with the
	// votes cumulated (R4).
	ProcNoDiscipline ProceedingStatus = "NO_DISCIPLINE"
	// ProcPostponed: consideration postponed (RULES.md §3.2).
	ProcPostponed ProceedingStatus = "POSTPONED"
	ProcCancelled ProceedingStatus = "CANCELLED"
	// ProcAnnulled: a decided discipline annulled on a complaint (or found
	// wrongful, R19); the decision and the history stay on record.
	ProcAnnulled ProceedingStatus = "ANNULLED"
)

// ProceedingStatuses lists the statuses in procedure order.
var ProceedingStatuses = []ProceedingStatus{ProcOpen, ProcHeard, ProcForwarded, ProcVoted, ProcDecided, ProcNotApplied,
	ProcNoDiscipline, ProcPostponed, ProcCancelled, ProcAnnulled}

// Valid reports whether s is a known status.
func (s ProceedingStatus) Valid() bool {
	for _, x := range ProceedingStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// Pending reports whether the member is still under consideration (R9:
// no transfer, appointment or award meanwhile).
func (s ProceedingStatus) Pending() bool {
	switch s {
	case ProcOpen, ProcHeard, ProcForwarded, ProcVoted, ProcPostponed:
		return true
	}
	return false
}

// Proceeding steps.
const (
	StepOpen     = "open"
	StepHear     = "hear"
	StepVote     = "vote"
	StepForward  = "forward" // written by a vote whose body may only propose
	StepDecide   = "decide"
	StepPostpone = "postpone"
	StepResume   = "resume"
	StepCancel   = "cancel"
	// StepWrongful records a finding that the discipline was wrongful
	// (kỷ luật oan, R19): the decision is annulled and the apology and
	// restoration become tasks.
	StepWrongful = "wrongful"
	// StepExempt ends consideration without discipline on an exemption
	// ground of RULES.md §3.2 (the member carried out a superior's
	// decision after reporting in writing or reserving their opinion).
	StepExempt = "exempt"
)

// ProceedingStep is one step of the procedure: from which statuses. The
// vote's outcome (VOTED, FORWARDED, NOT_APPLIED, NO_DISCIPLINE) is decided
// by the rules, so To lists what it may lead to.
type ProceedingStep struct {
	Name string
	From []ProceedingStatus
	To   []ProceedingStatus // empty for resume: back to the status before
}

// ProceedingSteps is the procedure as a table (RULES.md §3.5): hear the
// member, vote by secret ballot at the acting body, forward a proposal to
// the competent body (which votes in turn), issue the decision.
var ProceedingSteps = []ProceedingStep{
	{Name: StepHear, From: []ProceedingStatus{ProcOpen}, To: []ProceedingStatus{ProcHeard}},
	{Name: StepVote, From: []ProceedingStatus{ProcHeard, ProcForwarded},
		To: []ProceedingStatus{ProcVoted, ProcForwarded, ProcNotApplied, ProcNoDiscipline}},
	{Name: StepDecide, From: []ProceedingStatus{ProcVoted}, To: []ProceedingStatus{ProcDecided}},
	{Name: StepPostpone, From: []ProceedingStatus{ProcOpen, ProcHeard, ProcForwarded}, To: []ProceedingStatus{ProcPostponed}},
	{Name: StepResume, From: []ProceedingStatus{ProcPostponed}},
	{Name: StepCancel, From: []ProceedingStatus{ProcOpen, ProcHeard, ProcForwarded, ProcVoted, ProcPostponed},
		To: []ProceedingStatus{ProcCancelled}},
	{Name: StepWrongful, From: []ProceedingStatus{ProcDecided}, To: []ProceedingStatus{ProcAnnulled}},
	{Name: StepExempt, From: []ProceedingStatus{ProcOpen, ProcHeard, ProcForwarded}, To: []ProceedingStatus{ProcNoDiscipline}},
}

// ProceedingStepByName returns the step called name.
func ProceedingStepByName(name string) (ProceedingStep, bool) {
	for _, s := range ProceedingSteps {
		if s.Name == name {
			return s, true
		}
	}
	return ProceedingStep{}, false
}

// Allows reports whether the step may be taken from status s.
func (st ProceedingStep) Allows(s ProceedingStatus) bool {
	for _, f := range st.From {
		if f == s {
			return true
		}
	}
	return false
}

// ProceedingStepsFrom returns the steps possible from status s.
func ProceedingStepsFrom(s ProceedingStatus) []ProceedingStep {
	var out []ProceedingStep
	for _, st := range ProceedingSteps {
		if st.Allows(s) {
			out = append(out, st)
		}
	}
	return out
}

// PostponeGround is why consideration is postponed (RULES.md §3.2, QĐ 296
// Art. 8 item 7 [SECONDARY-QUIZ]).
type PostponeGround string

// The grounds.
const (
	PostponePregnant      PostponeGround = "PREGNANT"       // đang mang thai
	PostponeNursingInfant PostponeGround = "NURSING_INFANT" // nuôi con dưới 12 tháng tuổi
	PostponeSeriouslyIll  PostponeGround = "SERIOUSLY_ILL"  // ốm nặng đang điều trị nội trú
)

// ExemptSuperiorDecision: the member carried out a superior's decision
// that later proved a violation, having reported in writing or formally
// reserved their opinion (RULES.md §3.2, HD 02-HD/TW 2021) — an
// exemption, not a postponement.
const ExemptSuperiorDecision PostponeGround = "SUPERIOR_DECISION_RESERVED"

// PostponeGrounds lists the grounds.
var PostponeGrounds = []PostponeGround{PostponePregnant, PostponeNursingInfant, PostponeSeriouslyIll}

// Valid reports whether g is a known ground.
func (g PostponeGround) Valid() bool {
	for _, x := range PostponeGrounds {
		if g == x {
			return true
		}
	}
	return false
}

// Proceeding is a discipline proceeding against one member or one
// organisation.
type Proceeding struct {
	ID   int64  `json:"id"`
	Code string `json:"code"` // "KL-2026-000042"

	SubjectKind SubjectKind `json:"subject_kind"`
	MemberID    int64       `json:"member_id,omitempty"`
	// OrgID is the organisation subject, or the member's home chi bộ when
	// the proceeding opened.
	OrgID       int64  `json:"org_id"`
	SubjectName string `json:"subject_name"`

	Origin ProceedingOrigin `json:"origin"`
	// CaseID and FindingID name the inspection finding it came from.
	CaseID    int64 `json:"case_id,omitempty"`
	FindingID int64 `json:"finding_id,omitempty"`
	// For a state notification (R18): the state decision's date, when
	// the notice was received and when it was due.
	NoticeRef        string     `json:"notice_ref,omitempty"`
	NoticeDecisionOn civil.Date `json:"notice_decision_on,omitempty"`
	NoticeReceivedOn civil.Date `json:"notice_received_on,omitempty"`
	NoticeDueOn      civil.Date `json:"notice_due_on,omitempty"`
	NoticeLate       bool       `json:"notice_late,omitempty"`

	// BodyID is the body now handling it: the opening body, then the
	// competent body a proposal went to. FirstBodyID opened it; its
	// organisation's path (today) is the proceeding's scope.
	BodyID      int64  `json:"body_id"`
	FirstBodyID int64  `json:"first_body_id"`
	ScopePath   string `json:"-"`

	// The violation.
	Category        string         `json:"category"`
	ViolationScope  string         `json:"violation_scope,omitempty"` // CORE, HIGHER_ASSIGNED_TASK …
	Violation       string         `json:"violation"`
	ViolationOn     civil.Date     `json:"violation_on"`
	ContinuingUntil civil.Date     `json:"continuing_until,omitempty"`
	WarrantedForm   DisciplineForm `json:"warranted_form"`

	Mark       authz.Mark       `json:"-"`
	Status     ProceedingStatus `json:"status"`
	PrevStatus ProceedingStatus `json:"prev_status,omitempty"`
	OpenedOn   civil.Date       `json:"opened_on"`
	// HeardOn: the member was met and heard; SelfCriticismOn: the
	// self-criticism (bản tự kiểm điểm) was received.
	HeardOn         civil.Date `json:"heard_on,omitempty"`
	SelfCriticismOn civil.Date `json:"self_criticism_on,omitempty"`

	// The outcome: the form voted, whether it applies (the limitation),
	// the decision and its announcement.
	Form        DisciplineForm `json:"form,omitempty"`
	VotedOn     civil.Date     `json:"voted_on,omitempty"`
	DecidedOn   civil.Date     `json:"decided_on,omitempty"`
	AnnouncedOn civil.Date     `json:"announced_on,omitempty"`
	// RemovedPosts are the posts and seats a removal (cách chức) ends,
	// as "post:ID" or "seat:ID".
	RemovedPosts []string `json:"removed_posts,omitempty"`
	DocumentID   int64    `json:"document_id,omitempty"`
	Reason       string   `json:"reason,omitempty"` // of a postponement or cancellation

	CreatedBy int64     `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	// Filled by queries.
	BodyKind BodyKind `json:"body_kind,omitempty"`
	BodyOrg  string   `json:"body_org,omitempty"`
}

// ProceedingEvent is a line of a proceeding's history: a step, the body
// that took it, and the rule decisions behind it (JSON of the rules
// package, with their citations).
type ProceedingEvent struct {
	ID           int64            `json:"id"`
	ProceedingID int64            `json:"proceeding_id"`
	At           time.Time        `json:"at"`
	On           civil.Date       `json:"on"`
	ActorID      int64            `json:"actor_id"`
	Actor        string           `json:"actor"`
	Step         string           `json:"step"`
	From         ProceedingStatus `json:"from,omitempty"`
	To           ProceedingStatus `json:"to"`
	BodyID       int64            `json:"body_id"`
	Note         string           `json:"note,omitempty"`
	Rules        string           `json:"rules,omitempty"` // JSON: the rule decisions of the step
}

// Vote is a secret-ballot tally of one body's meeting on a proceeding.
type Vote struct {
	ID           int64      `json:"id"`
	ProceedingID int64      `json:"proceeding_id"`
	BodyID       int64      `json:"body_id"`
	HeldOn       civil.Date `json:"held_on"`
	// Purpose is DECIDE or PROPOSE (R2 for the acting body).
	Purpose string `json:"purpose"`
	// Who could vote: the official members (or members of the body),
	// the probationary members present (who do not vote), and the
	// absent, by why.
	Official     int `json:"official"`
	Probationary int `json:"probationary"`
	AbsentTemp   int `json:"absent_temporarily_attached"`
	AbsentExempt int `json:"absent_exempted"`
	AbsentOther  int `json:"absent_other"`
	// Votes per form (the ballot lists the forms), and for no discipline
	// under the key "NONE".
	Votes       map[string]int `json:"votes"`
	Denominator int            `json:"denominator"`
	AdoptedForm DisciplineForm `json:"adopted_form,omitempty"`
	// Outcome is the rules' answer to the ballot: PASSED or FAILED.
	Outcome string `json:"outcome"`
}

// DisciplineTask is a duty a decision creates, with its due date: a
// report to a higher body (R2), the state notification deadline (R18).
type DisciplineTask struct {
	ID           int64      `json:"id"`
	ProceedingID int64      `json:"proceeding_id"`
	Kind         string     `json:"kind"` // REPORT, …
	ToBodyID     int64      `json:"to_body_id,omitempty"`
	Text         string     `json:"text"`
	Citation     string     `json:"citation"`
	DueOn        civil.Date `json:"due_on,omitempty"`
	DoneOn       civil.Date `json:"done_on,omitempty"`
}

// ResponsiblePerson is an individual assessed in a proceeding against an
// organisation: disciplining an organisation also determines each
// individual's responsibility, the head's (người đứng đầu) above all
// (RULES.md §3.1, HD 06-HD/UBKTTW).
type ResponsiblePerson struct {
	ID           int64     `json:"id"`
	ProceedingID int64     `json:"proceeding_id"`
	MemberID     int64     `json:"member_id"`
	Name         string    `json:"name"`
	IsHead       bool      `json:"is_head"`
	Assessment   string    `json:"assessment"`
	CreatedAt    time.Time `json:"created_at"`
}
