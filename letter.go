package ktgs

import (
	"time"

	"ktgs/internal/authz"
	"ktgs/internal/civil"
)

// Letters (đơn thư, RULES.md §5): denunciations, complaints, petitions and
// anonymous letters that reach a party organisation from staff intake, the
// public form or an integration. The rules package decides the intake
// filter (R12), who may handle (R13) and the clock (R14); this file says
// which kinds, statuses and steps exist.
//
// A letter is one writing from one sender (or from nobody known). It may
// carry several allegations, each against its own subject (a member, an
// organisation, or a name staff have still to match), each with its own
// conclusion. The sender's identity is sealed (internal/sealed) with a key
// kept outside the database; the letter row holds only the sealed text
// and blind-index tags.

// LetterKind is the classification of a letter (RULES.md §5 encoding:
// Petition.kind).
type LetterKind string

// The kinds.
const (
	LetterDenunciation LetterKind = "TO_CAO"             // tố cáo
	LetterComplaint    LetterKind = "KHIEU_NAI"          // khiếu nại
	LetterPetition     LetterKind = "PHAN_ANH_KIEN_NGHI" // phản ánh, kiến nghị
	LetterAnonymous    LetterKind = "DON_NAC_DANH"       // nặc danh, mạo danh
)

// LetterKinds lists the kinds.
var LetterKinds = []LetterKind{LetterDenunciation, LetterComplaint, LetterPetition, LetterAnonymous}

// Valid reports whether k is a known kind.
func (k LetterKind) Valid() bool {
	for _, x := range LetterKinds {
		if x == k {
			return true
		}
	}
	return false
}

// LetterChannel is how a letter arrived.
type LetterChannel string

// The channels.
const (
	ChannelPublicForm LetterChannel = "PUBLIC_FORM" // the public web form
	ChannelPost       LetterChannel = "LETTER"      // a letter by post or by hand
	ChannelInPerson   LetterChannel = "IN_PERSON"   // in person: written down, read back, signed
	ChannelPhone      LetterChannel = "PHONE"       // a phone report, written down
	ChannelAPI        LetterChannel = "API"         // an integration (e.g. the national e-ID app gateway)
)

// LetterChannels lists the channels.
var LetterChannels = []LetterChannel{ChannelPublicForm, ChannelPost, ChannelInPerson, ChannelPhone, ChannelAPI}

// Valid reports whether c is a known channel.
func (c LetterChannel) Valid() bool {
	for _, x := range LetterChannels {
		if x == c {
			return true
		}
	}
	return false
}

// SenderMode says who the sender claims to be (R12's "sender" fact).
type SenderMode string

// The modes.
const (
	SenderNamed     SenderMode = "NAMED"      // a real, named sender
	SenderAnonymous SenderMode = "ANONYMOUS"  // giấu tên
	SenderFalseName SenderMode = "FALSE_NAME" // mạo tên
)

// Valid reports whether m is a known mode.
func (m SenderMode) Valid() bool {
	return m == SenderNamed || m == SenderAnonymous || m == SenderFalseName
}

// LetterStatus is where a letter stands.
type LetterStatus string

// The statuses.
const (
	// LetterReceived: recorded, not yet classified by the holding body.
	LetterReceived LetterStatus = "RECEIVED"
	// LetterTransferred: sent on to the competent body, which has not yet
	// recorded its receipt (the clock has not started: R14).
	LetterTransferred LetterStatus = "TRANSFERRED"
	// LetterDuplicate: the same letter as an earlier one, linked to it
	// and not handled twice.
	LetterDuplicate LetterStatus = "DUPLICATE"
	// LetterNotResolved: R12 says it is not resolved as a denunciation;
	// the grounds and reasons are recorded.
	LetterNotResolved LetterStatus = "NOT_RESOLVED"
	// LetterInformation: anonymous or false-name, with a clear target and
	// content: kept as information (nắm tình hình); it may feed an
	// inspection on signs of violation but never gets a conclusion (R12).
	LetterInformation LetterStatus = "INFORMATION"
	// LetterHeld: a congress-related denunciation received in the
	// pre-congress window (R14), handed to the new-term committee.
	LetterHeld LetterStatus = "HELD"
	// LetterAccepted: accepted for resolution (thụ lý); the clock runs.
	LetterAccepted LetterStatus = "ACCEPTED"
	// LetterVerifying: the team is formed and verifies (thẩm tra, xác minh).
	LetterVerifying LetterStatus = "VERIFYING"
	// LetterConcluded: every allegation has its conclusion.
	LetterConcluded LetterStatus = "CONCLUDED"
	// LetterClosed: the result was notified to the sender (or there is
	// no sender to notify); nothing more to do.
	LetterClosed LetterStatus = "CLOSED"
	// LetterWithdrawn: withdrawn by the denouncer, not under coercion.
	LetterWithdrawn LetterStatus = "WITHDRAWN"
)

// LetterStatuses lists the statuses in procedure order.
var LetterStatuses = []LetterStatus{LetterReceived, LetterTransferred, LetterDuplicate, LetterNotResolved, LetterInformation,
	LetterHeld, LetterAccepted, LetterVerifying, LetterConcluded, LetterClosed, LetterWithdrawn}

// Valid reports whether s is a known status.
func (s LetterStatus) Valid() bool {
	for _, x := range LetterStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// Open reports whether the letter still needs work from its holder.
func (s LetterStatus) Open() bool {
	switch s {
	case LetterReceived, LetterTransferred, LetterAccepted, LetterVerifying, LetterConcluded:
		return true
	}
	return false
}

// Clocked reports whether the resolution clock runs in status s.
func (s LetterStatus) Clocked() bool {
	return s == LetterAccepted || s == LetterVerifying
}

// Letter steps.
const (
	StepLetterReceive  = "receive"
	StepLetterClassify = "classify"
	StepLetterTransfer = "transfer"
	StepLetterArrive   = "arrive" // the competent body records its receipt: the clock starts (R14)
	StepLetterAccept   = "accept"
	StepLetterTeam     = "team"
	StepLetterVerify   = "verify"
	StepLetterExtend   = "extend"
	StepLetterConclude = "conclude"
	StepLetterNotify   = "notify"
	StepLetterWithdraw = "withdraw"
	StepLetterRelease  = "release" // a held letter is handed to the new-term committee
	StepLetterLink     = "link"    // linked to an inspection case or a proceeding
)

// LetterStep is one step of the procedure: from which statuses it may be
// taken. The status it leads to depends on the rules (classify may end in
// several), so the service says it; the table keeps the order honest.
type LetterStep struct {
	Name string
	From []LetterStatus
}

// LetterSteps is the procedure as a table.
var LetterSteps = []LetterStep{
	{Name: StepLetterClassify, From: []LetterStatus{LetterReceived}},
	{Name: StepLetterTransfer, From: []LetterStatus{LetterReceived}},
	{Name: StepLetterArrive, From: []LetterStatus{LetterTransferred}},
	{Name: StepLetterAccept, From: []LetterStatus{LetterReceived}},
	{Name: StepLetterTeam, From: []LetterStatus{LetterAccepted, LetterVerifying}},
	{Name: StepLetterVerify, From: []LetterStatus{LetterVerifying}},
	{Name: StepLetterExtend, From: []LetterStatus{LetterAccepted, LetterVerifying}},
	{Name: StepLetterConclude, From: []LetterStatus{LetterVerifying}},
	{Name: StepLetterNotify, From: []LetterStatus{LetterConcluded}},
	{Name: StepLetterWithdraw, From: []LetterStatus{LetterReceived, LetterTransferred, LetterAccepted, LetterVerifying}},
	{Name: StepLetterRelease, From: []LetterStatus{LetterHeld}},
	{Name: StepLetterLink, From: []LetterStatus{LetterInformation, LetterConcluded, LetterClosed}},
}

// LetterStepAllowed reports whether step may be taken from status s.
func LetterStepAllowed(step string, s LetterStatus) bool {
	for _, st := range LetterSteps {
		if st.Name == step {
			for _, f := range st.From {
				if f == s {
					return true
				}
			}
			return false
		}
	}
	return false
}

// LetterResult is the conclusion on one allegation (kết luận giải quyết
// tố cáo).
type LetterResult string

// The results.
const (
	ResultFounded       LetterResult = "FOUNDED"        // tố cáo đúng
	ResultPartlyFounded LetterResult = "PARTLY_FOUNDED" // đúng một phần
	ResultUnfounded     LetterResult = "UNFOUNDED"      // tố cáo sai
)

// Valid reports whether r is a known result.
func (r LetterResult) Valid() bool {
	return r == ResultFounded || r == ResultPartlyFounded || r == ResultUnfounded
}

// Sender is the identity of whoever sent a letter. It is only ever
// stored sealed; reading it is an audited, team-only act.
type Sender struct {
	Name     string `json:"name,omitempty"`
	Address  string `json:"address,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Email    string `json:"email,omitempty"`
	IDNumber string `json:"id_number,omitempty"` // căn cước
	// MemberID is the sender as a party member, when staff know it; it
	// drives the R13 conflict check and the retaliation warning.
	MemberID int64 `json:"member_id,omitempty"`
}

// Empty reports whether nothing identifies the sender.
func (s Sender) Empty() bool {
	return s.Name == "" && s.Address == "" && s.Phone == "" && s.Email == "" && s.IDNumber == "" && s.MemberID == 0
}

// Letter is one letter.
type Letter struct {
	ID      int64
	Code    string // ĐT-2026-000042: the staff reference
	Channel LetterChannel
	Kind    LetterKind // "" until classified
	Mode    SenderMode
	// SenderSealed is the sealed Sender (never the clear text).
	SenderSealed string
	// SenderTag and DenouncerTag are blind indexes: the same sender, and
	// "the sender is member N", found without opening the seal.
	SenderTag    string
	DenouncerTag string
	// R12 facts recorded at intake.
	Signers             int
	NotPersonallySigned bool
	LacksCivilCapacity  bool
	AddressUnclear      bool
	ReadBackSigned      bool // in person: written down, read back and signed
	CongressRelated     bool
	Title               string
	Content             string
	Fingerprint         string // internal/dedup
	ReceivedOn          civil.Date
	ReceivedOrgID       int64 // where it first arrived
	HolderBodyID        int64 // the body holding it now
	HolderOrgID         int64
	ScopePath           string
	// CompetentBodyID is the body the routing names; CompetentOn the day
	// it received the letter (R14: the clock starts there).
	CompetentBodyID int64
	CompetentOn     civil.Date
	DueOn           civil.Date
	Extensions      int
	Status          LetterStatus
	DuplicateOf     int64
	ResubmissionOf  int64
	Intake          string // the R12 decision (JSON)
	Clock           string // the R14 decision (JSON)
	ConcludedOn     civil.Date
	NotifiedOn      civil.Date
	WithdrawnOn     civil.Date
	Mark            authz.Mark
	CreatedBy       int64
	CreatedAt       time.Time
	UpdatedAt       time.Time

	// Filled by queries.
	HolderBodyName    string
	HolderBodyKind    BodyKind
	CompetentBodyName string
	Allegations       []Allegation
	Team              []LetterTeamMember
}

// Overdue reports whether the letter is past its due date on day d.
func (l *Letter) Overdue(d civil.Date) bool {
	return l.Status.Clocked() && !l.DueOn.IsZero() && l.DueOn.Before(d)
}

// AllegationSubject says what an allegation is against.
type AllegationSubject string

// The subjects.
const (
	AllegedMember  AllegationSubject = "MEMBER"
	AllegedOrg     AllegationSubject = "ORG"
	AllegedUnknown AllegationSubject = "UNKNOWN" // named in the letter, not yet matched by staff
)

// Allegation is one content of a letter against one subject.
type Allegation struct {
	ID          int64
	LetterID    int64
	Seq         int
	Kind        LetterKind
	Subject     AllegationSubject
	MemberID    int64
	OrgID       int64
	AccusedName string // as written in the letter
	AccusedUnit string // as written in the letter
	Content     string
	Result      LetterResult
	Conclusion  string
	// What it led to: a discipline proceeding or an inspection case.
	ProceedingID int64
	CaseID       int64

	// Filled by queries.
	SubjectName string
}

// LetterTeamMember is one person handling a letter.
type LetterTeamMember struct {
	UserID   int64
	MemberID int64
	Role     string // PRESIDE, RESOLVE, TEAM_MEMBER (R13)
	Name     string // filled by queries
}

// LetterEvent is one entry of a letter's history.
type LetterEvent struct {
	ID       int64
	LetterID int64
	At       time.Time
	On       civil.Date
	ActorID  int64
	Actor    string
	Step     string
	From, To LetterStatus
	BodyID   int64
	Note     string
	Rules    string // the rule decisions of the step (JSON)
}

// NoticeKind is a notice the procedure sends.
type NoticeKind string

// The notices.
const (
	NoticeTransfer  NoticeKind = "TRANSFER"  // to the sender: the letter went to the competent body
	NoticeExtension NoticeKind = "EXTENSION" // to the denouncer: the time limit was extended
	NoticeResult    NoticeKind = "RESULT"    // to the denouncer: the result
	NoticeAccused   NoticeKind = "ACCUSED"   // to the accused: the conclusion, never who denounced
	NoticeNotHeld   NoticeKind = "NOT_RESOLVED"
)

// LetterNotice is a notice the procedure produced, with its text.
type LetterNotice struct {
	ID       int64
	LetterID int64
	Kind     NoticeKind
	On       civil.Date
	To       string // "người gửi", or the accused's name for NoticeAccused
	Text     string
	// Delivered says how: "email", "post", "" when staff deliver it.
	Delivered string
}
