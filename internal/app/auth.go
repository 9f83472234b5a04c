package app

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"time"

	"ktgs"
	"ktgs/internal/auth"
	"ktgs/internal/authz"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// AuthConfig holds the account and session policy.
type AuthConfig struct {
	// IdleTimeout ends a session after this long without a request.
	IdleTimeout time.Duration
	// AbsoluteTimeout ends a session this long after sign-in, whatever
	// the activity.
	AbsoluteTimeout time.Duration
	// Throttle and IPThrottle slow failed logins per account and per
	// client address.
	Throttle, IPThrottle auth.Throttle
	// Hasher hashes passwords (argon2id); tests use cheap parameters.
	Hasher *auth.Hasher
	// TokenMaxAge bounds the life of an API token.
	TokenMaxAge time.Duration
	// SetupLinkAge is how long a one-time setup link works.
	SetupLinkAge time.Duration
}

// DefaultAuthConfig is the production policy.
func DefaultAuthConfig() AuthConfig {
	return AuthConfig{
		IdleTimeout:     30 * time.Minute,
		AbsoluteTimeout: 12 * time.Hour,
		Throttle:        auth.DefaultThrottle(),
		IPThrottle:      auth.DefaultIPThrottle(),
		Hasher:          &auth.Hasher{},
		TokenMaxAge:     365 * 24 * time.Hour,
		SetupLinkAge:    24 * time.Hour,
	}
}

// TwoFactorRequired reports whether accounts of role r must use TOTP: every
// role that can see case data, and the administrator, who creates accounts.
func TwoFactorRequired(r authz.Role) bool {
	return r == authz.RoleAdmin || authz.NeedsTwoFactor(r)
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

// NormaliseUsername returns the canonical form of a login name: trimmed,
// NFC, lower case.
func NormaliseUsername(s string) string { return strings.ToLower(vn.Clean(s)) }

// Errors of the sign-in flow. None says whether an account exists.
var (
	errBadCredentials = ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.auth.bad_credentials")
	errSessionExpired = ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.auth.session_expired")
)

// Login steps after the password.
const (
	NextNone  = ""      // signed in
	NextTOTP  = "totp"  // enter the code from the authenticator app
	NextEnrol = "enrol" // this role needs two-factor: enrol first
)

// LoginInput is a sign-in attempt.
type LoginInput struct {
	Username  string
	Password  string
	IP        string
	UserAgent string
}

// LoginResult is a new session. SessionID goes into the cookie and is not
// stored anywhere else.
type LoginResult struct {
	User      *ktgs.User
	Session   *ktgs.Session
	SessionID string
	Next      string
}

// dummyHash equalises the time of a login for an unknown user with that of
// a wrong password.
var dummyHash struct {
	once sync.Once
	phc  string
}

func (s *Service) dummyPHC(ctx context.Context) string {
	dummyHash.once.Do(func() {
		dummyHash.phc, _ = s.Auth.Hasher.Hash(ctx, "ktgs-dummy-password-for-timing")
	})
	return dummyHash.phc
}

// Login checks a username and password, slowing repeated failures per
// account and per client address, and opens a session. The session has
// passed the second factor only if the account needs none.
func (s *Service) Login(ctx context.Context, in LoginInput) (*LoginResult, error) {
	name := NormaliseUsername(in.Username)
	now := s.now()
	keys := []struct {
		key string
		pol auth.Throttle
	}{{"user:" + name, s.Auth.Throttle}, {"ip:" + in.IP, s.Auth.IPThrottle}}
	// Reserve the attempt: count it as a failure before checking the
	// password, so that parallel guesses are counted one after the other.
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		for _, k := range keys {
			t, err := tx.LockThrottle(ctx, k.key)
			if err != nil {
				return err
			}
			if wait, locked := k.pol.Next(t.Failures, t.LastFailure, now); wait > 0 {
				return throttled(wait, locked)
			}
		}
		for _, k := range keys {
			t, err := tx.LockThrottle(ctx, k.key)
			if err != nil {
				return err
			}
			t.Failures++
			t.LastFailure = now
			if _, locked := k.pol.Next(t.Failures+1, now, now); locked {
				until := now.Add(k.pol.LockFor)
				t.LockedUntil = &until
			}
			if err := tx.SaveThrottle(ctx, t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if ktgs.ErrorCode(err) == ktgs.ETOOMANY {
			s.Log.WarnContext(ctx, "login throttled", "user", name, "ip", in.IP)
			s.recordLogin(ctx, name, ktgs.LoginLocked, in)
		}
		return nil, err
	}

	var u *ktgs.User
	err = s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		u, err = tx.UserByName(ctx, name)
		return err
	})
	if notFound(err) || (err == nil && u.PasswordHash == "") {
		s.Auth.Hasher.Verify(ctx, s.dummyPHC(ctx), in.Password)
		s.Log.WarnContext(ctx, "login failed", "user", name, "ip", in.IP, "reason", "no such account or not set up")
		return nil, errBadCredentials
	} else if err != nil {
		return nil, err
	}
	ok, rehash, err := s.Auth.Hasher.Verify(ctx, u.PasswordHash, in.Password)
	if err != nil && !errors.Is(err, auth.ErrEmptyPassword) {
		return nil, err
	}
	if !ok {
		s.Log.WarnContext(ctx, "login failed", "user", name, "ip", in.IP, "reason", "wrong password")
		s.recordLogin(ctx, name, ktgs.LoginBadPassword, in)
		return nil, errBadCredentials
	}
	if u.DisabledAt != nil {
		s.Log.WarnContext(ctx, "login failed", "user", name, "ip", in.IP, "reason", "account disabled")
		s.recordLogin(ctx, name, ktgs.LoginDisabled, in)
		return nil, errBadCredentials
	}
	var newHash string
	if rehash {
		newHash, _ = s.Auth.Hasher.Hash(ctx, in.Password)
	}
	res := &LoginResult{User: u}
	switch {
	case u.TOTPEnabled:
		res.Next = NextTOTP
	case TwoFactorRequired(u.Role) && !u.Demo:
		res.Next = NextEnrol
	}
	plain, hash, err := auth.NewSessionID()
	if err != nil {
		return nil, err
	}
	res.SessionID = plain
	res.Session = &ktgs.Session{IDHash: hash, UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.Auth.AbsoluteTimeout), MFAPassed: res.Next == NextNone,
		IP: in.IP, UserAgent: truncate(in.UserAgent, 300)}
	err = s.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.ClearThrottle(ctx, keys[0].key); err != nil {
			return err
		}
		if err := tx.ClearThrottle(ctx, keys[1].key); err != nil {
			return err
		}
		if newHash != "" {
			u.PasswordHash = newHash
			if err := tx.UpdateUser(ctx, u); err != nil {
				return err
			}
		}
		if err := tx.InsertSession(ctx, res.Session); err != nil {
			return err
		}
		outcome := ktgs.LoginOK
		if res.Next != NextNone {
			outcome = "PASSWORD_OK"
		}
		return tx.InsertLoginEvent(ctx, u.ID, &ktgs.LoginEvent{At: now, Outcome: outcome, IP: in.IP, UserAgent: res.Session.UserAgent})
	})
	if err != nil {
		return nil, err
	}
	s.Log.InfoContext(ctx, "login", "user", name, "ip", in.IP, "next", res.Next)
	return res, nil
}

// reserveAttempt counts one attempt against key under policy pol, or
// refuses it (ETOOMANY) while the key must wait.
func (s *Service) reserveAttempt(ctx context.Context, key string, pol auth.Throttle) error {
	now := s.now()
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		t, err := tx.LockThrottle(ctx, key)
		if err != nil {
			return err
		}
		if wait, locked := pol.Next(t.Failures, t.LastFailure, now); wait > 0 {
			return throttled(wait, locked)
		}
		t.Failures++
		t.LastFailure = now
		return tx.SaveThrottle(ctx, t)
	})
}

func throttled(wait time.Duration, locked bool) error {
	secs := int((wait + time.Second - 1) / time.Second)
	if locked {
		return ktgs.Errorf(ktgs.ETOOMANY, "err.auth.locked", (secs+59)/60)
	}
	return ktgs.Errorf(ktgs.ETOOMANY, "err.auth.throttled", secs)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// recordLogin writes a login-history line for the account named name, if
// there is one (the history of unknown names goes only to the log).
func (s *Service) recordLogin(ctx context.Context, name, outcome string, in LoginInput) {
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByName(ctx, name)
		if notFound(err) {
			return nil
		} else if err != nil {
			return err
		}
		return tx.InsertLoginEvent(ctx, u.ID, &ktgs.LoginEvent{At: s.now(), Outcome: outcome, IP: in.IP, UserAgent: truncate(in.UserAgent, 300)})
	})
	if err != nil {
		s.Log.ErrorContext(ctx, "record login", "error", err)
	}
}

// VerifySecondFactor completes a sign-in with a TOTP code or a recovery
// code. A code is accepted once: a replayed code is refused even within its
// 30 seconds, on any server. Failures are throttled like passwords.
func (s *Service) VerifySecondFactor(ctx context.Context, sessionHash, code string, in LoginInput) error {
	now := s.now()
	var u *ktgs.User
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		sess, err := tx.Session(ctx, sessionHash)
		if err != nil {
			return errSessionExpired
		}
		if u, err = tx.User(ctx, sess.UserID); err != nil {
			return err
		}
		t, err := tx.LockThrottle(ctx, "totp:"+u.Username)
		if err != nil {
			return err
		}
		if wait, locked := s.Auth.Throttle.Next(t.Failures, t.LastFailure, now); wait > 0 {
			return throttled(wait, locked)
		}
		t.Failures++
		t.LastFailure = now
		return tx.SaveThrottle(ctx, t)
	})
	if err != nil {
		return err
	}
	if !u.TOTPEnabled {
		return ktgs.Errorf(ktgs.EFORBIDDEN, "err.auth.totp_not_enrolled")
	}
	code = strings.TrimSpace(code)
	outcome := ""
	err = s.DB.Update(ctx, func(tx *store.Tx) error {
		if counter, ok := auth.VerifyTOTP(u.TOTPSecret, code, now, u.TOTPLastCounter); ok {
			fresh, err := tx.AdvanceTOTPCounter(ctx, u.ID, counter)
			if err != nil {
				return err
			}
			if !fresh {
				return ktgs.Invalid("code", "err.auth.totp_replayed")
			}
			outcome = ktgs.LoginOK
		} else if looksLikeTOTP(code) {
			// Distinguish a replay (a code of a step already used) from a
			// wrong code, for a clearer message.
			if _, ok := auth.VerifyTOTP(u.TOTPSecret, code, now, 0); ok {
				return ktgs.Invalid("code", "err.auth.totp_replayed")
			}
			return ktgs.Invalid("code", "err.auth.totp_wrong")
		} else {
			hashes, err := tx.UnusedRecoveryCodes(ctx, u.ID)
			if err != nil {
				return err
			}
			i, ok := auth.MatchRecoveryCode(code, hashes)
			if !ok {
				return ktgs.Invalid("code", "err.auth.totp_wrong")
			}
			if used, err := tx.UseRecoveryCode(ctx, u.ID, hashes[i]); err != nil || !used {
				return ktgs.Invalid("code", "err.auth.totp_wrong")
			}
			outcome = ktgs.LoginRecovery
		}
		if err := tx.PassSessionMFA(ctx, sessionHash); err != nil {
			return err
		}
		if err := tx.ClearThrottle(ctx, "totp:"+u.Username); err != nil {
			return err
		}
		return tx.InsertLoginEvent(ctx, u.ID, &ktgs.LoginEvent{At: now, Outcome: outcome, IP: in.IP, UserAgent: truncate(in.UserAgent, 300)})
	})
	if err != nil {
		s.Log.WarnContext(ctx, "second factor failed", "user", u.Username, "ip", in.IP, "error", err.Error())
		if ktgs.ErrorCode(err) == ktgs.EINVALID {
			s.recordLogin(ctx, u.Username, ktgs.LoginBadTOTP, in)
		}
		return err
	}
	s.Log.InfoContext(ctx, "second factor passed", "user", u.Username, "ip", in.IP, "with", outcome)
	return nil
}

func looksLikeTOTP(code string) bool {
	code = strings.ReplaceAll(code, " ", "")
	if len(code) != auth.TOTPDigits {
		return false
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Authenticated is a signed-in user with the session or token it used.
type Authenticated struct {
	User    *ktgs.User
	Session *ktgs.Session  // nil for an API token
	Token   *ktgs.APIToken // nil for a session
	Actor   *authz.Actor
}

// SessionUser returns the user of the session whose cookie value is plain.
// It ends sessions that are idle too long, past their absolute end, whose
// account was disabled, or that come from a different browser than the one
// that signed in (a stolen cookie): each with a log line.
func (s *Service) SessionUser(ctx context.Context, plain, ip, userAgent string) (*Authenticated, error) {
	if plain == "" {
		return nil, ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.unauthorized")
	}
	hash := auth.HashToken(plain)
	now := s.now()
	var res *Authenticated
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		sess, err := tx.Session(ctx, hash)
		if err != nil {
			return errSessionExpired
		}
		u, err := tx.User(ctx, sess.UserID)
		if err != nil {
			return err
		}
		res = &Authenticated{User: u, Session: sess}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sess, u := res.Session, res.User
	reason := ""
	switch {
	case !now.Before(sess.ExpiresAt):
		reason = "absolute timeout"
	case now.Sub(sess.LastSeenAt) > s.Auth.IdleTimeout:
		reason = "idle timeout"
	case u.DisabledAt != nil:
		reason = "account disabled"
	case sess.UserAgent != truncate(userAgent, 300):
		reason = "browser changed"
	}
	if reason != "" {
		s.Log.WarnContext(ctx, "session ended", "user", u.Username, "ip", ip, "reason", reason)
		if err := s.DB.Update(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, hash) }); err != nil {
			return nil, err
		}
		return nil, errSessionExpired
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := s.DB.Update(ctx, func(tx *store.Tx) error { return tx.TouchSession(ctx, hash, now) }); err != nil {
			return nil, err
		}
	}
	res.Actor, err = s.actorOf(ctx, u, u.Role, u.Scope, u.Demo || (u.TOTPEnabled && sess.MFAPassed))
	return res, err
}

// actorOf builds the authorisation actor of u acting with role and scope.
func (s *Service) actorOf(ctx context.Context, u *ktgs.User, role authz.Role, scope []int64, twoFactor bool) (*authz.Actor, error) {
	a := &authz.Actor{UserID: u.ID, Name: u.Username, Role: role, Scope: scope, Clearance: u.Clearance, MemberID: u.MemberID, TwoFactor: twoFactor}
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		a.ScopeAncestry, err = s.ScopeAncestry(ctx, tx, scope)
		return err
	})
	return a, err
}

// Logout ends one session.
func (s *Service) Logout(ctx context.Context, plain string) error {
	return s.DB.Update(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, auth.HashToken(plain)) })
}

// LogoutEverywhere ends every session of user id and returns how many.
func (s *Service) LogoutEverywhere(ctx context.Context, id int64) (int64, error) {
	return s.RevokeSessions(ctx, id)
}

// TokenUser returns the user and actor of a bearer API token. The actor has
// the token's role and scope.
func (s *Service) TokenUser(ctx context.Context, plain string) (*Authenticated, error) {
	hash := auth.HashToken(plain)
	now := s.now()
	var res *Authenticated
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		t, err := tx.APITokenByHash(ctx, hash)
		if err != nil {
			return ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.auth.token_invalid")
		}
		u, err := tx.User(ctx, t.UserID)
		if err != nil {
			return err
		}
		res = &Authenticated{User: u, Token: t}
		return nil
	})
	if err != nil {
		return nil, err
	}
	t, u := res.Token, res.User
	switch {
	case t.RevokedAt != nil, !now.Before(t.ExpiresAt), u.DisabledAt != nil:
		s.Log.WarnContext(ctx, "api token refused", "user", u.Username, "token", t.ID, "revoked", t.RevokedAt != nil, "expired", !now.Before(t.ExpiresAt))
		return nil, ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.auth.token_invalid")
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if err := s.DB.Update(ctx, func(tx *store.Tx) error { return tx.TouchAPIToken(ctx, t.ID, now) }); err != nil {
			return nil, err
		}
	}
	res.Actor, err = s.actorOf(ctx, u, t.Role, t.Scope, u.Demo || u.TOTPEnabled)
	return res, err
}

// ExpireSessions deletes sessions past their absolute end or idle too long.
func (s *Service) ExpireSessions(ctx context.Context) (int64, error) {
	var n int64
	now := s.now()
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.DeleteExpiredSessions(ctx, now, now.Add(-s.Auth.IdleTimeout))
		return err
	})
	return n, err
}
