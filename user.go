package ktgs

import (
	"time"

	"ktgs/internal/authz"
)

// User is an account (tài khoản) of a person who works in KTGS.
type User struct {
	ID          int64
	Username    string // lower-case NFC, unique
	DisplayName string
	Email       string // where reminders go; optional
	// PasswordHash is an argon2id PHC string, "" until the account is set
	// up through a one-time link.
	PasswordHash string
	Role         authz.Role
	Clearance    authz.Mark
	// MemberID is the party member the user is, 0 if not recorded.
	MemberID int64
	// Scope is the organisations whose subtrees the user works in.
	Scope []int64

	TOTPSecret      string // base32; "" until enrolment starts
	TOTPEnabled     bool
	TOTPLastCounter int64

	// Demo marks a demonstration account with a published password.
	Demo              bool
	DisabledAt        *time.Time
	PasswordChangedAt *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Session is a signed-in browser session. The id itself is only in the
// user's cookie; the database keeps its hash.
type Session struct {
	IDHash     string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute end
	MFAPassed  bool
	IP         string
	UserAgent  string
}

// APIToken is a bearer token for /api/v1, scoped to a role and org
// subtrees, never wider than its owner's.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Hash       string
	Role       authz.Role
	Scope      []int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// LoginEvent is a line of a user's login history.
type LoginEvent struct {
	At        time.Time
	Outcome   string // LoginOK, LoginBadPassword …
	IP        string
	UserAgent string
}

// Login outcomes.
const (
	LoginOK          = "OK"
	LoginBadPassword = "BAD_PASSWORD"
	LoginBadTOTP     = "BAD_TOTP"
	LoginLocked      = "LOCKED"
	LoginDisabled    = "DISABLED"
	LoginRecovery    = "RECOVERY_CODE"
	LoginLogout      = "LOGOUT"
)
