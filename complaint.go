package ktgs

import (
	"time"

	"ktgs/internal/authz"
	"ktgs/internal/civil"
)

// Complaints about discipline (khiếu nại kỷ luật đảng, RULES.md §4). The
// rules package decides every question a complaint asks: whether it is
// accepted (R10: the filing deadline and the not-accepted grounds), who
// resolves it first, which level is final and whether it may go up (R11),
// the resolver's authority for a heavier form (R2). This file only says
// which statuses and steps exist and in which order.
//
// A complaint is one filing before one level. The disciplined member or
// organisation who disagrees with the level's decision complains to the
// next level: a new complaint, one level up, linked to the one before
// (PrevID). While a complaint is pending the discipline stays in force
// (Charter Art. 39.9): nothing changes on the proceeding until a level
// resolves it.

// ComplaintStatus is where a complaint stands.
type ComplaintStatus string

// The statuses.
const (
	// ComplaintPending: accepted (R10) and before its resolver (R11).
	ComplaintPending ComplaintStatus = "PENDING"
	// ComplaintForwarded: the resolver found a heavier form warranted but
	// may only propose it (R2); the complaint is before the competent
	// body R2 names, which resolves it.
	ComplaintForwarded ComplaintStatus = "FORWARDED"
	// ComplaintResolved: the level decided (uphold, change the form or
	// annul); its decision applies to the proceeding.
	ComplaintResolved ComplaintStatus = "RESOLVED"
	// ComplaintEscalated: resolved, and the complainant complained about
	// the decision to the next level (a new complaint).
	ComplaintEscalated ComplaintStatus = "ESCALATED"
	// ComplaintWithdrawn: withdrawn by the complainant before resolution.
	ComplaintWithdrawn ComplaintStatus = "WITHDRAWN"
)

// ComplaintStatuses lists the statuses in procedure order.
var ComplaintStatuses = []ComplaintStatus{ComplaintPending, ComplaintForwarded, ComplaintResolved, ComplaintEscalated, ComplaintWithdrawn}

// Valid reports whether s is a known status.
func (s ComplaintStatus) Valid() bool {
	for _, x := range ComplaintStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// Pending reports whether the complaint awaits a resolution (the
// discipline stays in force meanwhile).
func (s ComplaintStatus) Pending() bool {
	return s == ComplaintPending || s == ComplaintForwarded
}

// Decided reports whether a level resolved the complaint.
func (s ComplaintStatus) Decided() bool {
	return s == ComplaintResolved || s == ComplaintEscalated
}

// ComplaintOutcome is a resolver's decision (RULES.md §4).
type ComplaintOutcome string

// The outcomes.
const (
	OutcomeUphold     ComplaintOutcome = "UPHOLD"      // giữ nguyên
	OutcomeChangeForm ComplaintOutcome = "CHANGE_FORM" // thay đổi hình thức kỷ luật
	OutcomeAnnul      ComplaintOutcome = "ANNUL"       // xóa (hủy) quyết định kỷ luật
)

// ComplaintOutcomes lists the outcomes.
var ComplaintOutcomes = []ComplaintOutcome{OutcomeUphold, OutcomeChangeForm, OutcomeAnnul}

// Valid reports whether o is a known outcome.
func (o ComplaintOutcome) Valid() bool {
	for _, x := range ComplaintOutcomes {
		if o == x {
			return true
		}
	}
	return false
}

// Complaint steps.
const (
	StepComplaintFile     = "file"
	StepComplaintResolve  = "resolve"
	StepComplaintForward  = "forward" // written by a resolution whose resolver may only propose
	StepComplaintEscalate = "escalate"
	StepComplaintWithdraw = "withdraw"
)

// ProcStepComplaint is the step a complaint decision (an annulment or a
// change of form) writes into the history of the proceeding it changes.
const ProcStepComplaint = "complaint"

// ComplaintStep is one step of the procedure: from which statuses, to
// which (a resolution leads to RESOLVED, or FORWARDED when R2 says the
// resolver may only propose the heavier form).
type ComplaintStep struct {
	Name string
	From []ComplaintStatus
	To   []ComplaintStatus
}

// ComplaintSteps is the procedure as a table. Filing creates a PENDING
// complaint (From is empty); escalating a RESOLVED complaint marks it
// ESCALATED and files a new complaint one level up.
var ComplaintSteps = []ComplaintStep{
	{Name: StepComplaintFile, To: []ComplaintStatus{ComplaintPending}},
	{Name: StepComplaintResolve, From: []ComplaintStatus{ComplaintPending, ComplaintForwarded},
		To: []ComplaintStatus{ComplaintResolved, ComplaintForwarded}},
	{Name: StepComplaintEscalate, From: []ComplaintStatus{ComplaintResolved}, To: []ComplaintStatus{ComplaintEscalated}},
	{Name: StepComplaintWithdraw, From: []ComplaintStatus{ComplaintPending, ComplaintForwarded}, To: []ComplaintStatus{ComplaintWithdrawn}},
}

// ComplaintStepByName returns the step called name.
func ComplaintStepByName(name string) (ComplaintStep, bool) {
	for _, s := range ComplaintSteps {
		if s.Name == name {
			return s, true
		}
	}
	return ComplaintStep{}, false
}

// Allows reports whether the step may be taken from status s.
func (st ComplaintStep) Allows(s ComplaintStatus) bool {
	for _, f := range st.From {
		if f == s {
			return true
		}
	}
	return false
}

// ComplaintStepsFrom returns the steps possible from status s.
func ComplaintStepsFrom(s ComplaintStatus) []ComplaintStep {
	var out []ComplaintStep
	for _, st := range ComplaintSteps {
		if st.Allows(s) {
			out = append(out, st)
		}
	}
	return out
}

// Complaint is one complaint about a discipline decision (or about the
// decision of the level below on an earlier complaint), before one level.
type Complaint struct {
	ID   int64  `json:"id"`
	Code string `json:"code"` // "KN-2026-000042"

	// ProceedingID is the decided proceeding complained about. Level is
	// 1 for a complaint about the discipline decision, n+1 for one about
	// the decision of level n (PrevID).
	ProceedingID int64 `json:"proceeding_id"`
	Level        int   `json:"level"`
	PrevID       int64 `json:"prev_id,omitempty"`

	// The complainant: the disciplined member or organisation (anyone
	// else is refused, R10 ON_BEHALF).
	ComplainantKind     SubjectKind `json:"complainant_kind"`
	ComplainantMemberID int64       `json:"complainant_member_id,omitempty"`
	ComplainantOrgID    int64       `json:"complainant_org_id,omitempty"`
	ComplainantName     string      `json:"complainant_name"`
	Content             string      `json:"content"`

	// FiledOn is the postmark or the day of direct filing;
	// ReceivedDecisionOn when the written decision complained about was
	// received; DecisionAnnouncedOn when it was announced (the deadline
	// runs from it) and DeadlineOn the last day to file (R10).
	FiledOn             civil.Date `json:"filed_on"`
	ReceivedDecisionOn  civil.Date `json:"received_decision_on,omitempty"`
	DecisionAnnouncedOn civil.Date `json:"decision_announced_on"`
	DeadlineOn          civil.Date `json:"deadline_on"`
	// ResolveBy is the last day to resolve the complaint before its
	// resolver (R11, from the rule set's time limit), when there is one.
	ResolveBy civil.Date `json:"resolve_by,omitempty"`

	// ResolverBodyID is the body before which the complaint is: the
	// level R11 names, or the competent body a heavier form was
	// forwarded to. FinalLevel says whether the level is the final one
	// (R11). No rule set gives a time limit to resolve, so there is no
	// due date.
	ResolverBodyID int64 `json:"resolver_body_id"`
	FinalLevel     bool  `json:"final_level"`
	// ScopePath is the proceeding's scope (its readers read the
	// complaints about it).
	ScopePath string `json:"-"`

	Mark   authz.Mark      `json:"-"`
	Status ComplaintStatus `json:"status"`

	// FormBefore is the proceeding's form when the complaint was filed.
	// The resolution: its outcome, the new form (of a CHANGE_FORM, or the
	// heavier form proposed while FORWARDED), when it was decided and
	// announced, and why.
	FormBefore        DisciplineForm   `json:"form_before"`
	Outcome           ComplaintOutcome `json:"outcome,omitempty"`
	NewForm           DisciplineForm   `json:"new_form,omitempty"`
	ResolvedOn        civil.Date       `json:"resolved_on,omitempty"`
	ResultAnnouncedOn civil.Date       `json:"result_announced_on,omitempty"`
	Resolution        string           `json:"resolution,omitempty"`
	WithdrawnOn       civil.Date       `json:"withdrawn_on,omitempty"`
	WithdrawalReason  string           `json:"withdrawal_reason,omitempty"`

	CreatedBy int64     `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	// Filled by queries.
	ProceedingCode   string   `json:"proceeding_code,omitempty"`
	ResolverBodyKind BodyKind `json:"resolver_body_kind,omitempty"`
	ResolverBodyName string   `json:"resolver_body_name,omitempty"`
	ResolverOrgID    int64    `json:"resolver_org_id,omitempty"`
}

// ComplaintEvent is a line of a complaint's history: a step, the body
// that took it, and the rule decisions behind it (JSON of the rules
// package, with their citations).
type ComplaintEvent struct {
	ID          int64           `json:"id"`
	ComplaintID int64           `json:"complaint_id"`
	At          time.Time       `json:"at"`
	On          civil.Date      `json:"on"`
	ActorID     int64           `json:"actor_id"`
	Actor       string          `json:"actor"`
	Step        string          `json:"step"`
	From        ComplaintStatus `json:"from,omitempty"`
	To          ComplaintStatus `json:"to"`
	BodyID      int64           `json:"body_id"`
	Note        string          `json:"note,omitempty"`
	Rules       string          `json:"rules,omitempty"` // JSON: the rule decisions of the step
}
