package ktgs

import "ktgs/internal/civil"

// ProgrammeKind is the span of an inspection and supervision programme.
type ProgrammeKind string

// Programme kinds.
const (
	ProgrammeTerm   ProgrammeKind = "TERM"   // toàn khóa (the committee's term)
	ProgrammeAnnual ProgrammeKind = "ANNUAL" // hằng năm
)

// Programme is an inspection and supervision programme a body adopts
// (chương trình kiểm tra, giám sát).
type Programme struct {
	ID        int64           `json:"id"`
	BodyID    int64           `json:"body_id,omitempty"`
	OrgID     int64           `json:"org_id,omitempty"`
	ScopePath string          `json:"scope_path,omitempty"`
	Kind      ProgrammeKind   `json:"kind"`
	Year      int             `json:"year,omitempty"`    // annual programmes
	TermID    int64           `json:"term_id,omitempty"` // term programmes
	Title     string          `json:"title,omitempty"`
	AdoptedOn civil.Date      `json:"adopted_on,omitempty"`
	Items     []ProgrammeItem `json:"items"`
	// Filled by queries.
	BodyKind BodyKind `json:"body_kind"`
	OrgName  string   `json:"org_name,omitempty"`
}

// ProgrammeItem is one planned activity of a programme.
type ProgrammeItem struct {
	ID          int64       `json:"id"`
	ProgrammeID int64       `json:"programme_id,omitempty"`
	Kind        CaseKind    `json:"kind"`
	SubjectKind SubjectKind `json:"subject_kind"`
	SubjectOrg  int64       `json:"subject_org,omitempty"`
	SubjectMem  int64       `json:"subject_mem,omitempty"`
	SubjectName string      `json:"subject_name,omitempty"`
	Content     string      `json:"content,omitempty"`
	From        civil.Date  `json:"from"` // the time window
	To          civil.Date  `json:"to"`
	LeadUserID  int64       `json:"lead_user_id,omitempty"`
	// CaseID is the case the item turned into, 0 while only planned.
	CaseID int64 `json:"case_id,omitempty"`
	// Filled by queries.
	CaseStatus CaseStatus `json:"case_status"`
	LeadName   string     `json:"lead_name,omitempty"`
}

// ItemProgress is where a programme item stands on a day.
type ItemProgress string

// Item progress values.
const (
	ItemPlanned   ItemProgress = "PLANNED"
	ItemStarted   ItemProgress = "STARTED"
	ItemConcluded ItemProgress = "CONCLUDED"
	ItemOverdue   ItemProgress = "OVERDUE"
)

// Progress returns the item's progress on day d.
func (it *ProgrammeItem) Progress(d civil.Date) ItemProgress {
	switch {
	case it.CaseID != 0 && (it.CaseStatus == CaseConcluded || it.CaseStatus == CaseFollowUp || it.CaseStatus == CaseClosed):
		return ItemConcluded
	case !it.To.IsZero() && it.To.Before(d):
		return ItemOverdue
	case it.CaseID != 0 && it.CaseStatus != CaseCancelled:
		return ItemStarted
	}
	return ItemPlanned
}
