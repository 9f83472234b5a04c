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
	ID        int64
	BodyID    int64
	OrgID     int64
	ScopePath string
	Kind      ProgrammeKind
	Year      int   // annual programmes
	TermID    int64 // term programmes
	Title     string
	AdoptedOn civil.Date
	Items     []ProgrammeItem
	// Filled by queries.
	BodyKind BodyKind
	OrgName  string
}

// ProgrammeItem is one planned activity of a programme.
type ProgrammeItem struct {
	ID          int64
	ProgrammeID int64
	Kind        CaseKind
	SubjectKind SubjectKind
	SubjectOrg  int64
	SubjectMem  int64
	SubjectName string
	Content     string
	From, To    civil.Date // the time window
	LeadUserID  int64
	// CaseID is the case the item turned into, 0 while only planned.
	CaseID int64
	// Filled by queries.
	CaseStatus CaseStatus
	LeadName   string
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
