package ktgs

import "ktgs/internal/civil"

// MemberStatus is a party member's standing.
type MemberStatus string

// Member statuses.
const (
	MemberStatusProbationary MemberStatus = "DU_BI"      // đảng viên dự bị
	MemberStatusFull         MemberStatus = "CHINH_THUC" // đảng viên chính thức
)

// Valid reports whether s is a known status.
func (s MemberStatus) Valid() bool { return s == MemberStatusProbationary || s == MemberStatusFull }

// EndReason says why a membership ended.
type EndReason string

// Reasons a membership ends. Retirement does not end membership.
const (
	EndDeath     EndReason = "DEATH"      // từ trần
	EndExpelled  EndReason = "EXPELLED"   // khai trừ
	EndStruckOff EndReason = "STRUCK_OFF" // xóa tên
	EndLeft      EndReason = "LEFT"       // ra khỏi Đảng
)

// Valid reports whether r is a known reason (or empty).
func (r EndReason) Valid() bool {
	switch r {
	case "", EndDeath, EndExpelled, EndStruckOff, EndLeft:
		return true
	}
	return false
}

// ManagingBody is the body whose cadre-management list a member is on
// (cấp ủy quản lý; RULES.md §1.4): the committee or the standing committee
// of an organisation. It decides discipline authority, asset control and
// who resolves denunciations.
type ManagingBody struct {
	OrgID   int64
	Kind    BodyKind // BodyCommittee or BodyStandingCommittee; BodyBranch for a chi bộ cơ sở
	OrgName string   // filled by queries
}

// Gender of a member.
type Gender string

// Genders.
const (
	GenderMale   Gender = "NAM"
	GenderFemale Gender = "NU"
)

// Member is a party member (đảng viên).
type Member struct {
	ID         int64
	CardNumber string // số thẻ đảng viên: natural key
	FullName   string
	Gender     Gender
	BirthDate  civil.Date
	AdmittedOn civil.Date // ngày vào Đảng: start of probation
	OfficialOn civil.Date // ngày chính thức; zero while probationary
	Status     MemberStatus
	HomeOrgID  int64      // current home chi bộ (sinh hoạt chính thức)
	HomeSince  civil.Date // since when HomeOrgID is the home chi bộ
	Managing   ManagingBody
	RetiredOn  civil.Date // nghỉ hưu; membership continues
	EndedOn    civil.Date // zero while a member
	EndReason  EndReason
	Hometown   string
	Occupation string

	// Filled by queries.
	HomeOrgName string
	HomeOrgPath string
	TempOrgID   int64 // current temporary attachment, 0 if none
	TempOrgName string
}

// Active reports whether m is a party member on day d.
func (m *Member) Active(d civil.Date) bool {
	return !d.Before(m.AdmittedOn) && (m.EndedOn.IsZero() || d.Before(m.EndedOn))
}

// StatusOn returns the member's status on day d ("" before admission).
func (m *Member) StatusOn(d civil.Date) MemberStatus {
	switch {
	case d.Before(m.AdmittedOn):
		return ""
	case !m.OfficialOn.IsZero() && !d.Before(m.OfficialOn):
		return MemberStatusFull
	}
	return MemberStatusProbationary
}

// AttachmentKind is home or temporary attachment to a chi bộ.
type AttachmentKind string

// Attachment kinds.
const (
	AttachHome AttachmentKind = "HOME" // sinh hoạt chính thức
	AttachTemp AttachmentKind = "TEMP" // sinh hoạt tạm thời
)

// Attachment is a period during which a member belonged to a chi bộ.
type Attachment struct {
	ID       int64
	MemberID int64
	OrgID    int64
	Kind     AttachmentKind
	From     civil.Date
	To       civil.Date // first day after; civil.Forever while current
	Note     string
	OrgName  string // filled by queries
}

// PostLevel is the level of a post (chức vụ) in the political system.
type PostLevel string

// Post levels.
const (
	LevelCentral    PostLevel = "TRUNG_UONG"
	LevelProvince   PostLevel = "TINH"
	LevelDistrict   PostLevel = "HUYEN" // until 1/7/2025
	LevelCommune    PostLevel = "XA"
	LevelGrassroots PostLevel = "CO_SO"
)

// PostLevels lists the levels top down.
var PostLevels = []PostLevel{LevelCentral, LevelProvince, LevelDistrict, LevelCommune, LevelGrassroots}

// Valid reports whether l is a known level.
func (l PostLevel) Valid() bool {
	for _, x := range PostLevels {
		if x == l {
			return true
		}
	}
	return false
}

// Post is a position a member holds (chức vụ), in a party, state or other
// agency.
type Post struct {
	ID       int64      `json:"id"`
	MemberID int64      `json:"member_id"`
	Title    string     `json:"title"`  // "Chủ tịch Ủy ban nhân dân xã"
	Agency   string     `json:"agency"` // where the post is held
	Level    PostLevel  `json:"level"`
	OrgID    int64      `json:"org_id,omitempty"` // party organisation concerned, if any
	From     civil.Date `json:"from"`
	To       civil.Date `json:"to"` // civil.Forever while held
}

// MemberEventKind is a kind of event in a member's history.
type MemberEventKind string

// Member event kinds.
const (
	EventAdmitted     MemberEventKind = "ADMITTED"      // kết nạp
	EventOfficial     MemberEventKind = "OFFICIAL"      // công nhận chính thức
	EventTransfer     MemberEventKind = "TRANSFER"      // chuyển sinh hoạt chính thức
	EventTempAttach   MemberEventKind = "TEMP_ATTACH"   // sinh hoạt tạm thời
	EventTempEnd      MemberEventKind = "TEMP_END"      // kết thúc sinh hoạt tạm thời
	EventRetired      MemberEventKind = "RETIRED"       // nghỉ hưu
	EventDied         MemberEventKind = "DIED"          // từ trần
	EventEnded        MemberEventKind = "ENDED"         // membership ended (expelled, struck off, left)
	EventManagingBody MemberEventKind = "MANAGING_BODY" // managing body changed
)

// MemberEvent is one dated entry in a member's history.
type MemberEvent struct {
	ID       int64
	MemberID int64
	Kind     MemberEventKind
	Date     civil.Date
	FromOrg  int64
	ToOrg    int64
	Note     string
	FromName string
	ToName   string
}
