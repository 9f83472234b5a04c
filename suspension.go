package ktgs

import (
	"time"

	"ktgs/internal/authz"
	"ktgs/internal/calendar"
	"ktgs/internal/civil"
)

// Suspension of party activity (đình chỉ sinh hoạt đảng, RULES.md §6). A
// competent body suspends a member's party activity, for example while a
// discipline proceeding examines a member who obstructs it, or while the
// member is prosecuted or detained. The member's committee seats are
// suspended with it. How long it lasts, and which extensions are allowed,
// is decided by the rules package (R15) from the start date's rule set;
// this file only says what is recorded.

// SuspensionStatus is the stored status of a suspension.
type SuspensionStatus string

// The statuses. A suspension that reaches its last day is not rewritten:
// it stays ACTIVE and its state on a day (StateOn) says it has lapsed.
const (
	// SuspensionActive: decided; in force from StartOn to its last day.
	SuspensionActive SuspensionStatus = "ACTIVE"
	// SuspensionEnded: ended early by a decision, from EndedOn.
	SuspensionEnded SuspensionStatus = "ENDED"
)

// SuspensionStatuses lists the statuses.
var SuspensionStatuses = []SuspensionStatus{SuspensionActive, SuspensionEnded}

// Valid reports whether s is a known status.
func (s SuspensionStatus) Valid() bool {
	for _, x := range SuspensionStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// SuspensionState is where a suspension stands on a given day.
type SuspensionState string

// The states.
const (
	SuspensionScheduled  SuspensionState = "SCHEDULED" // decided, not yet started
	SuspensionInForce    SuspensionState = "IN_FORCE"  // the member's party activity is suspended
	SuspensionLapsed     SuspensionState = "LAPSED"    // its last day has passed
	SuspensionEndedEarly SuspensionState = "ENDED"     // ended early by a decision
)

// Suspension steps, as written in its history.
const (
	SuspensionStepStart  = "suspend"
	SuspensionStepExtend = "extend"
	SuspensionStepEnd    = "end"
)

// Suspension is the suspension of one member's party activity.
type Suspension struct {
	ID   int64  `json:"id"`
	Code string `json:"code"` // "DC-2026-000042"

	MemberID int64 `json:"member_id"`
	// OrgID is the member's home chi bộ on the start day.
	OrgID       int64  `json:"org_id"`
	SubjectName string `json:"subject_name"`

	// BodyID is the body that decided it; its organisation's path (today)
	// is the suspension's scope.
	BodyID    int64  `json:"body_id"`
	ScopePath string `json:"-"`
	// ProceedingID is the discipline proceeding it belongs to, if any.
	ProceedingID int64 `json:"proceeding_id,omitempty"`

	Reason string `json:"reason"`
	// CriminalProceedings: the member is prosecuted or detained.
	CriminalProceedings bool `json:"criminal_proceedings"`

	Mark      authz.Mark       `json:"-"`
	Status    SuspensionStatus `json:"status"`
	DecidedOn civil.Date       `json:"decided_on"`
	StartOn   civil.Date       `json:"start_on"`

	// What R15 decided, in its rule set's unit: the initial length, the
	// total with the accepted extensions, the longest total allowed (0 when
	// none applies) and the last day. FollowsLaw: with criminal
	// proceedings the suspension follows the legal time limits, so it has
	// no last day of its own (EndsOn is zero).
	Unit        calendar.Unit `json:"unit,omitempty"`
	Initial     int           `json:"initial"`
	Total       int           `json:"total"`
	MaxTotal    int           `json:"max_total,omitempty"`
	EndsOn      civil.Date    `json:"ends_on,omitempty"`
	FollowsLaw  bool          `json:"follows_law"`
	Extensions  int           `json:"extensions"`
	DuesPayable bool          `json:"dues_payable"` // the member still pays party dues
	RuleSet     string        `json:"rule_set"`
	Provisional bool          `json:"provisional"`

	// EndedOn is the day an early end takes effect: the member's party
	// activity resumes that day.
	EndedOn   civil.Date `json:"ended_on,omitempty"`
	EndReason string     `json:"end_reason,omitempty"`

	CreatedBy int64     `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	// Filled by queries.
	BodyKind BodyKind `json:"body_kind,omitempty"`
	BodyName string   `json:"body_name,omitempty"`
}

// LastDay is the last day the suspension is in force: the day before an
// early end, else EndsOn (zero when it follows the legal time limits and
// has not ended).
func (s *Suspension) LastDay() civil.Date {
	if s.Status == SuspensionEnded && !s.EndedOn.IsZero() {
		return s.EndedOn.AddDays(-1)
	}
	return s.EndsOn
}

// InForce reports whether the member's party activity is suspended on day
// d.
func (s *Suspension) InForce(d civil.Date) bool { return s.StateOn(d) == SuspensionInForce }

// StateOn returns where the suspension stands on day d.
func (s *Suspension) StateOn(d civil.Date) SuspensionState {
	switch {
	case s.Status == SuspensionEnded && !d.Before(s.EndedOn):
		return SuspensionEndedEarly
	case d.Before(s.StartOn):
		return SuspensionScheduled
	case !s.EndsOn.IsZero() && d.After(s.EndsOn):
		return SuspensionLapsed
	}
	return SuspensionInForce
}

// SuspensionExtension is an accepted extension of a suspension.
type SuspensionExtension struct {
	ID           int64 `json:"id"`
	SuspensionID int64 `json:"suspension_id"`
	Seq          int   `json:"seq"` // 1 for the first extension
	// Length is in the suspension's unit.
	Length    int        `json:"length"`
	DecidedOn civil.Date `json:"decided_on"`
	Reason    string     `json:"reason"`
	// EndsOn is the suspension's last day after this extension.
	EndsOn    civil.Date `json:"ends_on"`
	CreatedBy int64      `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
}

// SuspendedSeat is a committee seat suspended with the member's party
// activity, for the suspension's period (Quy định 22-QĐ/TW, Điều 28: a
// committee member whose party activity is suspended is suspended from the
// committee). Seat carries the seat with its body, organisation and term.
type SuspendedSeat struct {
	SuspensionID int64 `json:"suspension_id"`
	Seat
}

// SuspensionEvent is a line of a suspension's history: a step and the rule
// decision behind it (JSON of the rules package, with its citations).
type SuspensionEvent struct {
	ID           int64      `json:"id"`
	SuspensionID int64      `json:"suspension_id"`
	At           time.Time  `json:"at"`
	On           civil.Date `json:"on"`
	ActorID      int64      `json:"actor_id"`
	Actor        string     `json:"actor"`
	Step         string     `json:"step"`
	Note         string     `json:"note,omitempty"`
	Rules        string     `json:"rules,omitempty"`
}
