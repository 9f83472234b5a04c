package ktgs

import (
	"time"

	"ktgs/internal/authz"
	"ktgs/internal/civil"
)

// CaseKind is the kind of an inspection or supervision case (RULES.md §2.2).
type CaseKind string

// Case kinds.
const (
	CaseKindKTChapHanh      CaseKind = "KT_CHAP_HANH"         // kiểm tra việc chấp hành
	CaseKindKTDHVP          CaseKind = "KT_DHVP"              // kiểm tra khi có dấu hiệu vi phạm
	CaseKindKTThucHienKTGS  CaseKind = "KT_THUC_HIEN_NV_KTGS" // kiểm tra thực hiện nhiệm vụ kiểm tra, giám sát
	CaseKindKTThiHanhKyLuat CaseKind = "KT_THI_HANH_KY_LUAT"  // kiểm tra việc thi hành kỷ luật
	CaseKindKTTaiChinh      CaseKind = "KT_TAI_CHINH"         // kiểm tra tài chính đảng
	CaseKindGSThuongXuyen   CaseKind = "GS_THUONG_XUYEN"      // giám sát thường xuyên
	CaseKindGSChuyenDe      CaseKind = "GS_CHUYEN_DE"         // giám sát chuyên đề
)

// CaseKinds lists the kinds of case KTGS runs through the procedure.
var CaseKinds = []CaseKind{CaseKindKTChapHanh, CaseKindKTDHVP, CaseKindKTThucHienKTGS, CaseKindKTThiHanhKyLuat,
	CaseKindKTTaiChinh, CaseKindGSThuongXuyen, CaseKindGSChuyenDe}

// Valid reports whether k is a known kind.
func (k CaseKind) Valid() bool {
	for _, x := range CaseKinds {
		if x == k {
			return true
		}
	}
	return false
}

// IsSupervision reports whether k is a supervision (giám sát) rather than an
// inspection (kiểm tra).
func (k CaseKind) IsSupervision() bool { return k == CaseKindGSThuongXuyen || k == CaseKindGSChuyenDe }

// DefaultMark is the confidentiality mark a new case of kind k gets unless
// the decision says otherwise: inspections on signs of violation are
// "mật"; the rest are normal.
func (k CaseKind) DefaultMark() authz.Mark {
	if k == CaseKindKTDHVP {
		return authz.Secret
	}
	return authz.Normal
}

// CaseStatus is where a case stands in the procedure (RULES.md §2.3).
type CaseStatus string

// Case statuses, in procedure order, then the two side states.
const (
	CaseProposed     CaseStatus = "PROPOSED"      // 1 đề xuất
	CaseDecided      CaseStatus = "DECIDED"       // 2 quyết định và kế hoạch
	CaseTeamFormed   CaseStatus = "TEAM_FORMED"   // 3 đoàn (tổ) kiểm tra
	CaseAnnounced    CaseStatus = "ANNOUNCED"     // 4 triển khai
	CaseSelfReported CaseStatus = "SELF_REPORTED" // 5 báo cáo tự kiểm tra, giải trình
	CaseVerifying    CaseStatus = "VERIFYING"     // 6 thẩm tra, xác minh
	CaseDraftReport  CaseStatus = "DRAFT_REPORT"  // 7 dự thảo báo cáo, lấy ý kiến đối tượng
	CaseMeeting      CaseStatus = "MEETING"       // 8 hội nghị xem xét, kết luận
	CaseConcluded    CaseStatus = "CONCLUDED"     // 9 thông báo kết luận
	CaseFollowUp     CaseStatus = "FOLLOW_UP"     // 10 theo dõi, đôn đốc khắc phục
	CaseClosed       CaseStatus = "CLOSED"        // kết thúc
	CaseSuspended    CaseStatus = "SUSPENDED"     // tạm dừng
	CaseCancelled    CaseStatus = "CANCELLED"     // hủy
)

// CaseStatuses lists every status in display order.
var CaseStatuses = []CaseStatus{CaseProposed, CaseDecided, CaseTeamFormed, CaseAnnounced, CaseSelfReported, CaseVerifying,
	CaseDraftReport, CaseMeeting, CaseConcluded, CaseFollowUp, CaseClosed, CaseSuspended, CaseCancelled}

// Valid reports whether s is a known status.
func (s CaseStatus) Valid() bool {
	for _, x := range CaseStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// Open reports whether a case in status s is still being worked on
// (neither closed nor cancelled).
func (s CaseStatus) Open() bool { return s != CaseClosed && s != CaseCancelled }

// Started reports whether the case has gone past its decision.
func (s CaseStatus) Started() bool { return s != CaseProposed && s != CaseCancelled }

// CaseActor is who, in relation to a case, may make a transition.
type CaseActor string

// Case actors.
const (
	// ActorHead is the head of the acting body: the commission chair, or
	// for a chi bộ its secretary (authz roles CHAIR and SECRETARY).
	ActorHead CaseActor = "HEAD"
	// ActorLead is the team leader (trưởng đoàn).
	ActorLead CaseActor = "LEAD"
	// ActorTeam is any member of the team.
	ActorTeam CaseActor = "TEAM"
)

// CaseRequirement is a condition a transition checks on the case.
type CaseRequirement string

// Requirements.
const (
	NeedPlan             CaseRequirement = "PLAN"              // start date and duration set
	NeedTeamLead         CaseRequirement = "TEAM_LEAD"         // a team with a leader
	NeedSelfReport       CaseRequirement = "SELF_REPORT"       // every subject's report or explanation recorded
	NeedSubjectComments  CaseRequirement = "SUBJECT_COMMENTS"  // the subjects' comments on the draft report recorded
	NeedFindings         CaseRequirement = "FINDINGS"          // at least one finding per subject
	NeedRemediationsDone CaseRequirement = "REMEDIATIONS_DONE" // every remediation verified or waived
	NeedReason           CaseRequirement = "REASON"            // a stated reason
)

// Transition is one step of the procedure: from which statuses, to which,
// who may take it and what it needs. The table below is the procedure;
// app.Service.Transition enforces it and writes the audit trail.
type Transition struct {
	Name  string // "decide", "form_team" …; also the message key suffix
	From  []CaseStatus
	To    CaseStatus // empty for "resume": back to the status before suspension
	Who   []CaseActor
	Needs []CaseRequirement
}

// Transition names.
const (
	TransDecide      = "decide"
	TransFormTeam    = "form_team"
	TransAnnounce    = "announce"
	TransSelfReport  = "self_report"
	TransVerify      = "verify"
	TransDraftReport = "draft_report"
	TransMeet        = "meet"
	TransConclude    = "conclude"
	TransFollowUp    = "follow_up"
	TransClose       = "close"
	TransSuspend     = "suspend"
	TransResume      = "resume"
	TransCancel      = "cancel"
)

// activeStatuses are the statuses a case may be suspended or cancelled from.
var activeStatuses = []CaseStatus{CaseProposed, CaseDecided, CaseTeamFormed, CaseAnnounced, CaseSelfReported,
	CaseVerifying, CaseDraftReport, CaseMeeting, CaseConcluded, CaseFollowUp}

// CaseTransitions is the procedure of RULES.md §2.3 as a table.
var CaseTransitions = []Transition{
	{Name: TransDecide, From: []CaseStatus{CaseProposed}, To: CaseDecided, Who: []CaseActor{ActorHead}, Needs: []CaseRequirement{NeedPlan}},
	{Name: TransFormTeam, From: []CaseStatus{CaseDecided}, To: CaseTeamFormed, Who: []CaseActor{ActorHead}, Needs: []CaseRequirement{NeedTeamLead}},
	{Name: TransAnnounce, From: []CaseStatus{CaseTeamFormed}, To: CaseAnnounced, Who: []CaseActor{ActorHead, ActorLead}},
	{Name: TransSelfReport, From: []CaseStatus{CaseAnnounced}, To: CaseSelfReported, Who: []CaseActor{ActorLead, ActorTeam}, Needs: []CaseRequirement{NeedSelfReport}},
	{Name: TransVerify, From: []CaseStatus{CaseSelfReported}, To: CaseVerifying, Who: []CaseActor{ActorLead}},
	{Name: TransDraftReport, From: []CaseStatus{CaseVerifying}, To: CaseDraftReport, Who: []CaseActor{ActorLead}},
	{Name: TransMeet, From: []CaseStatus{CaseDraftReport}, To: CaseMeeting, Who: []CaseActor{ActorHead, ActorLead}, Needs: []CaseRequirement{NeedSubjectComments}},
	{Name: TransConclude, From: []CaseStatus{CaseMeeting}, To: CaseConcluded, Who: []CaseActor{ActorHead}, Needs: []CaseRequirement{NeedFindings}},
	{Name: TransFollowUp, From: []CaseStatus{CaseConcluded}, To: CaseFollowUp, Who: []CaseActor{ActorHead, ActorLead}},
	{Name: TransClose, From: []CaseStatus{CaseConcluded, CaseFollowUp}, To: CaseClosed, Who: []CaseActor{ActorHead}, Needs: []CaseRequirement{NeedRemediationsDone}},
	{Name: TransSuspend, From: activeStatuses, To: CaseSuspended, Who: []CaseActor{ActorHead}, Needs: []CaseRequirement{NeedReason}},
	{Name: TransResume, From: []CaseStatus{CaseSuspended}, To: "", Who: []CaseActor{ActorHead}},
	{Name: TransCancel, From: append(append([]CaseStatus{}, activeStatuses...), CaseSuspended), To: CaseCancelled, Who: []CaseActor{ActorHead}, Needs: []CaseRequirement{NeedReason}},
}

// TransitionByName returns the transition called name.
func TransitionByName(name string) (Transition, bool) {
	for _, t := range CaseTransitions {
		if t.Name == name {
			return t, true
		}
	}
	return Transition{}, false
}

// TransitionsFrom returns the transitions possible from status s.
func TransitionsFrom(s CaseStatus) []Transition {
	var out []Transition
	for _, t := range CaseTransitions {
		for _, f := range t.From {
			if f == s {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

// SubjectKind says whether a subject is an organisation or a member.
type SubjectKind string

// Subject kinds.
const (
	SubjectOrg    SubjectKind = "ORG"
	SubjectMember SubjectKind = "MEMBER"
)

// CaseSubject is one subject (đối tượng) of a case.
type CaseSubject struct {
	Seq      int // 1, 2 … within the case
	Kind     SubjectKind
	OrgID    int64 // the organisation (ORG), or the member's home chi bộ when added (MEMBER)
	MemberID int64
	Name     string // the organisation's or member's name when added
	// SelfReportOn is when the subject's self-report or explanation was
	// received; CommentsOn when its comments on the draft report were.
	SelfReportOn civil.Date
	CommentsOn   civil.Date
}

// Case is an inspection or supervision case (cuộc kiểm tra, giám sát).
type Case struct {
	ID     int64
	Code   string // "KT-2026-00042": readable, unique
	Kind   CaseKind
	BodyID int64 // the acting body
	// OrgID is the acting body's organisation; ScopePath its current path
	// in today's tree (re-homed on reorganisation), for subtree filters.
	OrgID     int64
	ScopePath string
	Title     string
	Content   string
	Mark      authz.Mark
	Status    CaseStatus
	// PrevStatus is the status before a suspension.
	PrevStatus CaseStatus
	Year       int
	ProposedOn civil.Date
	DecidedOn  civil.Date
	// StartOn and DurationDays are the plan; DueOn is computed from them
	// in working days by the calendar.
	StartOn      civil.Date
	DurationDays int
	DurationUnit string // calendar.WorkingDays (default) or calendar.CalendarDays
	DueOn        civil.Date
	ConcludedOn  civil.Date
	ClosedOn     civil.Date
	// ProgrammeItemID is the programme item the case came from, if any.
	ProgrammeItemID int64
	CreatedBy       int64
	CreatedAt       time.Time
	UpdatedAt       time.Time

	Subjects []CaseSubject
	// Filled by queries.
	BodyKind BodyKind
	OrgName  string
}

// Overdue reports whether the case's plan ran past its due date on day d
// without a conclusion. The plan's due date covers the work up to the
// conclusion; after it, follow-up runs on the remediation requests' own
// due dates. A suspended case is not overdue.
func (c *Case) Overdue(d civil.Date) bool {
	return c.Status.Open() && !c.DueOn.IsZero() && c.DueOn.Before(d) && c.Status.BeforeConclusion()
}

// BeforeConclusion reports whether a case in status s is still working
// towards its conclusion (not concluded, closed, cancelled or suspended).
func (s CaseStatus) BeforeConclusion() bool {
	switch s {
	case CaseConcluded, CaseFollowUp, CaseClosed, CaseCancelled, CaseSuspended:
		return false
	}
	return true
}

// TeamRole is a role in a case's team.
type TeamRole string

// Team roles.
const (
	TeamRoleLead   TeamRole = "LEAD"   // trưởng đoàn
	TeamRoleMember TeamRole = "MEMBER" // thành viên
)

// TeamMember is a cadre on a case's team.
type TeamMember struct {
	CaseID      int64
	UserID      int64
	Role        TeamRole
	AddedOn     civil.Date
	RemovedOn   civil.Date // a recusal or a change of team
	Reason      string     // why removed (recusal)
	DisplayName string     // filled by queries
}

// ConflictKind is a kind of conflict of interest.
type ConflictKind string

// Conflict kinds.
const (
	ConflictRelative  ConflictKind = "RELATIVE"  // a relative of a subject
	ConflictSameUnit  ConflictKind = "SAME_UNIT" // works in the same unit as a subject
	ConflictSubject   ConflictKind = "SUBJECT"   // is a subject
	ConflictDenouncer ConflictKind = "DENOUNCER" // denounced a subject
	ConflictAccused   ConflictKind = "ACCUSED"   // is accused in the matter
)

// Conflict is a registered conflict of interest of a cadre (user) with a
// member or an organisation.
type Conflict struct {
	ID       int64        `json:"id"`
	UserID   int64        `json:"user_id,omitempty"`
	Kind     ConflictKind `json:"kind"`
	MemberID int64        `json:"member_id,omitempty"`
	OrgID    int64        `json:"org_id,omitempty"`
	Note     string       `json:"note,omitempty"`
}

// FindingKind is the kind of a finding.
type FindingKind string

// Finding kinds.
const (
	FindingStrength    FindingKind = "STRENGTH"    // ưu điểm
	FindingShortcoming FindingKind = "SHORTCOMING" // khuyết điểm
	FindingViolation   FindingKind = "VIOLATION"   // vi phạm
)

// Finding is what a case found about a subject.
type Finding struct {
	ID         int64       `json:"id"`
	CaseID     int64       `json:"case_id,omitempty"`
	SubjectSeq int         `json:"subject_seq,omitempty"`
	Kind       FindingKind `json:"kind"`
	Text       string      `json:"text"`
	// ResponsibleMemberID is the person responsible, and IsHead whether
	// that person is the head (người đứng đầu) of the subject organisation.
	ResponsibleMemberID int64 `json:"responsible_member_id,omitempty"`
	IsHead              bool  `json:"is_head,omitempty"`
	// Spread marks a strength to spread (nhân rộng): it enters the
	// library of good practices.
	Spread bool `json:"spread,omitempty"`
	// Category is the violation's category (rules' codes), and
	// WarrantsDiscipline whether it warrants discipline.
	Category           string    `json:"category,omitempty"`
	WarrantsDiscipline bool      `json:"warrants_discipline,omitempty"`
	CreatedAt          time.Time `json:"created_at"`
}

// RemediationStatus is where a remediation request stands.
type RemediationStatus string

// Remediation statuses.
const (
	RemediationOpen     RemediationStatus = "OPEN"
	RemediationReported RemediationStatus = "REPORTED" // the subject reported progress
	RemediationVerified RemediationStatus = "VERIFIED" // the team verified it
	RemediationWaived   RemediationStatus = "WAIVED"   // waived with a reason
)

// Done reports whether the request no longer holds a case open.
func (s RemediationStatus) Done() bool { return s == RemediationVerified || s == RemediationWaived }

// Remediation is a request the conclusion makes of a subject (yêu cầu
// khắc phục).
type Remediation struct {
	ID          int64             `json:"id"`
	CaseID      int64             `json:"case_id,omitempty"`
	FindingID   int64             `json:"finding_id,omitempty"`
	SubjectSeq  int               `json:"subject_seq,omitempty"`
	Text        string            `json:"text"`
	DueOn       civil.Date        `json:"due_on,omitempty"`
	Status      RemediationStatus `json:"status"`
	Reason      string            `json:"reason,omitempty"` // why waived
	EscalatedOn civil.Date        `json:"escalated_on,omitempty"`
	UpdatedAt   time.Time         `json:"updated_at"`
}

// Overdue reports whether the request is past due and not done on day d.
func (r *Remediation) Overdue(d civil.Date) bool { return !r.Status.Done() && r.DueOn.Before(d) }

// CaseEvent is a line of a case's timeline.
type CaseEvent struct {
	ID         int64
	CaseID     int64
	At         time.Time
	ActorID    int64
	Actor      string
	Transition string // a transition name, or "finding", "team", "file" …
	From, To   CaseStatus
	Note       string
}
