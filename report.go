package ktgs

import (
	"fmt"
	"slices"
	"time"

	"ktgs/internal/civil"
)

// Periodic reports (báo cáo định kỳ; issue "Statistics and periodic
// reports", item 3; RULES.md §8): each unit's inspection commission
// prepares a report for a period, with the statistics filled in from the
// engine (ktgs.StatsIndicators) and narrative sections, and submits it
// to the level above by a deadline. The level above returns it with
// comments or approves it. An approved report is never edited: a new
// version (version + 1, a DRAFT pointing at the one it revises) is
// prepared instead.
//
// Series. KTGS is the periodic statistical report on inspection,
// supervision and discipline. KL34 is the report on implementing Kết
// luận 34-KL/TW that the central commission (UBKTTW) sends periodically
// to the Politburo and Secretariat (RULES.md §8, §11): the same report,
// prepared by the root unit only, whose figures are the central
// commission's consolidated report.
//
// Deadlines. QĐ 885-QĐ/UBKTTW's submission deadlines were not retrieved
// (RULES.md §8). The level above enters the deadline for its lower units
// and a period (report_deadlines); without one, KTGS assumes
// DefaultReportDeadlineDays after the period's last day, an assumption
// shown as such on every page, never as the regulation's deadline.
//
// Late. A report is late when its first submission came after the
// deadline, or when it has not been submitted and the deadline has
// passed. A report returned for corrections after an on-time submission
// is not late: the unit met the deadline; the resubmission is the level
// above's request.

// ReportStatus is where a report stands.
type ReportStatus string

// The statuses. NOT_STARTED is never stored: it is the status of a unit
// without a report for the period.
const (
	ReportNotStarted ReportStatus = "NOT_STARTED"
	ReportDraft      ReportStatus = "DRAFT"
	ReportSubmitted  ReportStatus = "SUBMITTED"
	ReportReturned   ReportStatus = "RETURNED"
	ReportApproved   ReportStatus = "APPROVED"
)

// ReportStatuses lists the statuses in workflow order.
var ReportStatuses = []ReportStatus{ReportNotStarted, ReportDraft, ReportSubmitted, ReportReturned, ReportApproved}

// Editable reports whether the narrative of a report in status st may be
// changed: a draft, or a report returned for corrections.
func (st ReportStatus) Editable() bool { return st == ReportDraft || st == ReportReturned }

// ReportSeries says which report it is.
type ReportSeries string

// The series.
const (
	SeriesKTGS ReportSeries = "KTGS" // the periodic statistical report on KTGS work
	SeriesKL34 ReportSeries = "KL34" // the central commission's report on Kết luận 34 to the Politburo and Secretariat
)

// Valid reports whether s is a known series.
func (s ReportSeries) Valid() bool { return s == SeriesKTGS || s == SeriesKL34 }

// Narrative sections of a report, in document order.
const (
	SectionSituation  = "situation"  // I. Tình hình chung
	SectionResults    = "results"    // II. Kết quả thực hiện
	SectionLimits     = "limits"     // III. Hạn chế, nguyên nhân
	SectionDirections = "directions" // IV. Phương hướng, nhiệm vụ
)

// ReportSections lists the sections in document order.
var ReportSections = []string{SectionSituation, SectionResults, SectionLimits, SectionDirections}

// ReportSectionTitle is the heading of each section in the document.
var ReportSectionTitle = map[string]string{
	SectionSituation:  "I. TÌNH HÌNH CHUNG",
	SectionResults:    "II. KẾT QUẢ THỰC HIỆN",
	SectionLimits:     "III. HẠN CHẾ, NGUYÊN NHÂN",
	SectionDirections: "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ",
}

// ReportSectionMax is the longest section, in characters.
const ReportSectionMax = 20000

// ReportPeriodKinds are the kinds a periodic report covers (RULES.md §8:
// monthly, Q1, 6 months, 9 months, annual). Term reports are not
// handled yet; a custom range is not a reporting period.
var ReportPeriodKinds = []PeriodKind{PeriodMonth, PeriodQ1, PeriodH1, PeriodM9, PeriodYear}

// DefaultReportDeadlineDays is KTGS's assumption, per period kind, of the
// days after a period's last day by which a report is due when the level
// above has entered no deadline. [UNVERIFIED]: QĐ 885's deadlines were
// not retrieved (RULES.md §8).
var DefaultReportDeadlineDays = map[PeriodKind]int{PeriodMonth: 5, PeriodQ1: 10, PeriodH1: 10, PeriodM9: 10, PeriodYear: 15}

// DefaultReportDeadline is the assumed deadline of a period.
func DefaultReportDeadline(p Period) civil.Date {
	return p.To.AddDays(DefaultReportDeadlineDays[p.Kind])
}

// ReportLate reports whether a report with this deadline is late today:
// first submitted after the deadline, or not yet submitted with the
// deadline passed (firstSubmitted zero).
func ReportLate(deadline, firstSubmitted, today civil.Date) bool {
	if deadline.IsZero() {
		return false
	}
	if firstSubmitted.IsZero() {
		return today.After(deadline)
	}
	return firstSubmitted.After(deadline)
}

// PeriodKey names a reporting period in URLs and forms: "YEAR-2025",
// "H1-2026", "MONTH-2026-03".
func (p Period) Key() string {
	if p.Kind == PeriodMonth {
		return fmt.Sprintf("%s-%d-%02d", p.Kind, p.Year, p.Month)
	}
	return fmt.Sprintf("%s-%d", p.Kind, p.Year)
}

// ReportPeriodValid reports whether kind k may be a report's period.
func ReportPeriodValid(k PeriodKind) bool { return slices.Contains(ReportPeriodKinds, k) }

// PeriodicReport is one version of a unit's report for a period.
type PeriodicReport struct {
	ID     int64        `json:"id"`
	OrgID  int64        `json:"org_id"`  // the reporting unit
	BodyID int64        `json:"body_id"` // its inspection commission (or committee), the issuer
	Series ReportSeries `json:"series"`
	Period Period       `json:"period"`
	// Version counts from 1; ParentID is the version it revises.
	Version   int          `json:"version"`
	ParentID  int64        `json:"parent_id,omitempty"`
	Status    ReportStatus `json:"status"`
	ScopePath string       `json:"-"`
	// Sections holds the narrative by section key (ReportSections).
	Sections map[string]string `json:"sections"`
	// Figures is the statistics snapshot taken at the last submission
	// (nil before).
	Figures *ReportFigures `json:"figures,omitempty"`
	// Deadline and Late are computed when the report is read.
	Deadline        civil.Date `json:"deadline"`
	DeadlineAssumed bool       `json:"deadline_assumed,omitempty"`
	Late            bool       `json:"late"`
	// The document's number (R17, BC per issuer and committee term; empty
	// when the issuer has no term on record), and the stored files of
	// the last submission (SHA-256 of the content).
	Number     int    `json:"number,omitempty"`
	NumberText string `json:"number_text,omitempty"`
	TermName   string `json:"term_name,omitempty"`
	DocxHash   string `json:"docx_sha256,omitempty"`
	PDFHash    string `json:"pdf_sha256,omitempty"`
	// AuditSeq and AuditHash are the audit chain head printed in the
	// footer of the submitted document.
	AuditSeq  int64  `json:"audit_seq,omitempty"`
	AuditHash string `json:"audit_hash,omitempty"`

	FirstSubmittedOn civil.Date `json:"first_submitted_on,omitempty"`
	SubmittedOn      civil.Date `json:"submitted_on,omitempty"`
	SubmittedBy      int64      `json:"submitted_by,omitempty"`
	SubmittedByName  string     `json:"submitted_by_name,omitempty"`
	ReturnComment    string     `json:"return_comment,omitempty"`
	ReturnedOn       civil.Date `json:"returned_on,omitempty"`
	ReturnedByName   string     `json:"returned_by_name,omitempty"`
	ApprovedOn       civil.Date `json:"approved_on,omitempty"`
	ApprovedBy       int64      `json:"approved_by,omitempty"`
	ApprovedByName   string     `json:"approved_by_name,omitempty"`
	CreatedBy        int64      `json:"created_by"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

// ReportFigures is a statistics snapshot: for each row of the standard
// indicators (StatsRow.Key), the unit's total (its subtree) and its own
// records (acting at the unit itself).
type ReportFigures struct {
	Rows map[string]ReportCell `json:"rows"`
	// Marked is true when records above THUONG were counted (the preparer
	// could read them); a reader who may count only unmarked records is
	// not shown the figures.
	Marked bool `json:"marked"`
	// Unavailable lists the indicators KTGS holds no records for.
	Unavailable []string  `json:"unavailable,omitempty"`
	TakenAt     time.Time `json:"taken_at"`
}

// ReportCell is one row of a snapshot.
type ReportCell struct {
	Total int `json:"total"`
	Own   int `json:"own"`
}
