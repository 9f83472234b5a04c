package app

import (
	"context"
	"strings"
	"time"

	"ktgs"
	"ktgs/internal/auth"
	"ktgs/internal/authz"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// UserInput creates or changes an account.
type UserInput struct {
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Role        authz.Role `json:"role"`
	Clearance   string     `json:"clearance"` // THUONG, MAT, TOI_MAT
	MemberID    int64      `json:"member_id,omitempty"`
	Scope       []int64    `json:"scope"`
	// Password is optional on creation: without it the account gets a
	// one-time setup link.
	Password string `json:"password,omitempty"`
	Disabled bool   `json:"disabled,omitempty"`
}

// userView is what the audit trail records of an account (never the
// password hash or TOTP secret).
type userView struct {
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Role        authz.Role `json:"role"`
	Clearance   string     `json:"clearance"`
	MemberID    int64      `json:"member_id,omitempty"`
	Scope       []int64    `json:"scope"`
	TOTP        bool       `json:"totp"`
	Disabled    bool       `json:"disabled"`
	Demo        bool       `json:"demo,omitempty"`
}

func viewOf(u *ktgs.User) userView {
	return userView{Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, Clearance: u.Clearance.Code(),
		MemberID: u.MemberID, Scope: u.Scope, TOTP: u.TOTPEnabled, Disabled: u.DisabledAt != nil, Demo: u.Demo}
}

func (s *Service) checkUserInput(ctx context.Context, tx *store.Tx, in *UserInput, creating bool) (authz.Mark, error) {
	var v ktgs.Validation
	in.Username = NormaliseUsername(in.Username)
	in.DisplayName = vn.Clean(in.DisplayName)
	if creating && !usernamePattern.MatchString(in.Username) {
		v.Add("username", "err.auth.username")
	}
	if in.DisplayName == "" {
		v.Add("display_name", "err.required")
	} else if len([]rune(in.DisplayName)) > 120 {
		v.Add("display_name", "err.too_long", 120)
	}
	if !in.Role.Valid() {
		v.Add("role", "err.auth.role")
	}
	mark, ok := authz.ParseMark(in.Clearance)
	if in.Clearance == "" {
		mark, ok = authz.Normal, true
	}
	if !ok {
		v.Add("clearance", "err.auth.clearance")
	}
	if len(in.Scope) == 0 {
		v.Add("scope", "err.required")
	}
	for _, id := range in.Scope {
		if _, err := tx.OrgLatest(ctx, id); notFound(err) {
			v.Add("scope", "err.auth.scope_org", id)
		} else if err != nil {
			return 0, err
		}
	}
	if in.MemberID != 0 {
		if _, err := tx.Member(ctx, in.MemberID, s.Today()); notFound(err) {
			v.Add("member_id", "err.not_found")
		} else if err != nil {
			return 0, err
		}
	}
	if in.Password != "" {
		if err := auth.CheckPasswordPolicy(in.Password, in.Username, in.DisplayName); err != nil {
			if e := ktgs.AsError(err); e != nil {
				for f, fe := range e.Fields {
					v.Add(f, fe.Key, fe.Args...)
				}
			} else {
				return 0, err
			}
		}
	}
	if !v.Has("scope") {
		// The administrator may only hand out scope within their own.
		for _, id := range in.Scope {
			if err := s.authorizeOrg(ctx, tx, authz.UserAdmin, id); err != nil {
				if ktgs.ErrorCode(err) == ktgs.ENOTFOUND || ktgs.ErrorCode(err) == ktgs.EFORBIDDEN {
					v.Add("scope", "err.auth.scope_outside", id)
					continue
				}
				return 0, err
			}
		}
	}
	return mark, v.Err()
}

// authorizeOrg authorises act on organisation id.
func (s *Service) authorizeOrg(ctx context.Context, tx *store.Tx, act authz.Action, id int64) error {
	if isSystem(ctx) {
		return nil
	}
	obj, err := s.OrgObject(ctx, tx, id)
	if err != nil {
		return err
	}
	return s.Authorize(ctx, act, obj)
}

// authorizeUser authorises managing account u: its whole scope must be
// within the administrator's.
func (s *Service) authorizeUser(ctx context.Context, tx *store.Tx, u *ktgs.User) error {
	if isSystem(ctx) {
		return nil
	}
	if len(u.Scope) == 0 {
		obj, err := s.SystemObject(ctx, tx)
		if err != nil {
			return err
		}
		return s.Authorize(ctx, authz.UserAdmin, obj)
	}
	for _, id := range u.Scope {
		if err := s.authorizeOrg(ctx, tx, authz.UserAdmin, id); err != nil {
			return err
		}
	}
	return nil
}

// CreateUser creates an account. Without a password it returns a one-time
// setup link token (shown once) for the new user to choose one.
func (s *Service) CreateUser(ctx context.Context, in UserInput) (*ktgs.User, string, error) {
	var u *ktgs.User
	var link string
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		if err := s.authorizeAny(ctx, tx, authz.UserAdmin); err != nil {
			return err
		}
		mark, err := s.checkUserInput(ctx, tx, &in, true)
		if err != nil {
			return err
		}
		if _, err := tx.UserByName(ctx, in.Username); err == nil {
			return ktgs.Invalid("username", "err.auth.username_taken")
		} else if !notFound(err) {
			return err
		}
		u = &ktgs.User{Username: in.Username, DisplayName: in.DisplayName, Role: in.Role, Clearance: mark,
			MemberID: in.MemberID, Scope: in.Scope}
		if in.Password != "" {
			if u.PasswordHash, err = s.Auth.Hasher.Hash(ctx, in.Password); err != nil {
				return err
			}
			now := s.now()
			u.PasswordChangedAt = &now
		}
		if err := tx.InsertUser(ctx, u); err != nil {
			return err
		}
		if in.Password == "" {
			if link, err = s.newSetupLink(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, auditEntry{Action: "user.create", ObjectType: "user", ObjectID: u.ID, After: viewOf(u)})
	})
	return u, link, err
}

// authorizeAny checks that the actor's role allows act somewhere (its
// scope is checked on each object later).
func (s *Service) authorizeAny(ctx context.Context, tx *store.Tx, act authz.Action) error {
	if isSystem(ctx) {
		return nil
	}
	a := ActorFrom(ctx)
	if a == nil {
		return ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.unauthorized")
	}
	for _, id := range a.Scope {
		if err := s.authorizeOrg(ctx, tx, act, id); err == nil {
			return nil
		}
	}
	return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: authz.ReasonRole}
}

func (s *Service) newSetupLink(ctx context.Context, tx *store.Tx, userID int64) (string, error) {
	plain, hash, err := auth.NewSetupToken()
	if err != nil {
		return "", err
	}
	// Only the newest link works: issuing one voids the older ones.
	if err := tx.RetireSetupTokens(ctx, userID, s.now()); err != nil {
		return "", err
	}
	if err := tx.InsertSetupToken(ctx, hash, userID, s.now().Add(s.Auth.SetupLinkAge)); err != nil {
		return "", err
	}
	return plain, nil
}

// UpdateUser changes an account's name, role, clearance, member, scope and
// whether it is disabled. Disabling ends its sessions.
func (s *Service) UpdateUser(ctx context.Context, id int64, in UserInput) (*ktgs.User, error) {
	var u *ktgs.User
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		if u, err = tx.User(ctx, id); err != nil {
			return err
		}
		if err := s.authorizeUser(ctx, tx, u); err != nil {
			return err
		}
		in.Username, in.Password = u.Username, ""
		mark, err := s.checkUserInput(ctx, tx, &in, false)
		if err != nil {
			return err
		}
		if a := ActorFrom(ctx); a != nil && a.UserID == u.ID && (in.Role != u.Role || in.Disabled) {
			return ktgs.Invalid("role", "err.auth.self_demote")
		}
		before := viewOf(u)
		u.DisplayName, u.Role, u.Clearance, u.MemberID, u.Scope = in.DisplayName, in.Role, mark, in.MemberID, in.Scope
		switch {
		case in.Disabled && u.DisabledAt == nil:
			now := s.now()
			u.DisabledAt = &now
			if _, err := tx.DeleteUserSessions(ctx, u.ID); err != nil {
				return err
			}
		case !in.Disabled:
			u.DisabledAt = nil
		}
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "user.update", ObjectType: "user", ObjectID: u.ID, Before: before, After: viewOf(u)})
	})
	return u, err
}

// IssueSetupLink gives an account a new one-time link to set its password
// (a forgotten password, a new account); it ends the account's sessions.
func (s *Service) IssueSetupLink(ctx context.Context, id int64) (string, error) {
	var link string
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		if err := s.authorizeUser(ctx, tx, u); err != nil {
			return err
		}
		if link, err = s.newSetupLink(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.DeleteUserSessions(ctx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "user.setup_link", ObjectType: "user", ObjectID: id})
	})
	return link, err
}

// SetupUser returns the account a setup link is for, without using it.
func (s *Service) SetupUser(ctx context.Context, token string) (*ktgs.User, error) {
	var u *ktgs.User
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		ok, err := tx.SetupTokenValid(ctx, auth.HashToken(token), s.now())
		if err != nil {
			return err
		}
		if !ok {
			return ktgs.Errorf(ktgs.ENOTFOUND, "err.auth.setup_invalid")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.DB.View(ctx, func(tx *store.Tx) error {
		uid, err := tx.SetupTokenUser(ctx, auth.HashToken(token))
		if err != nil {
			return err
		}
		u, err = tx.User(ctx, uid)
		return err
	})
	return u, err
}

// CompleteSetup sets the password of the account of a one-time setup link
// and uses the link up. Old TOTP enrolment and recovery codes are kept.
func (s *Service) CompleteSetup(ctx context.Context, token, password, confirm string) (*ktgs.User, error) {
	u, err := s.SetupUser(ctx, token)
	if err != nil {
		return nil, err
	}
	if password != confirm {
		return nil, ktgs.Invalid("confirm", "err.auth.password_mismatch")
	}
	if err := auth.CheckPasswordPolicy(password, u.Username, u.DisplayName); err != nil {
		return nil, err
	}
	hash, err := s.Auth.Hasher.Hash(ctx, password)
	if err != nil {
		return nil, err
	}
	err = s.DB.Update(ctx, func(tx *store.Tx) error {
		uid, err := tx.UseSetupToken(ctx, auth.HashToken(token), s.now())
		if err != nil {
			return ktgs.Errorf(ktgs.ENOTFOUND, "err.auth.setup_invalid")
		}
		if err := tx.RetireSetupTokens(ctx, uid, s.now()); err != nil {
			return err
		}
		if u, err = tx.User(ctx, uid); err != nil {
			return err
		}
		now := s.now()
		u.PasswordHash, u.PasswordChangedAt = hash, &now
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		return s.audit(WithActor(ctx, &authz.Actor{UserID: u.ID, Name: u.Username}), tx,
			auditEntry{Action: "user.setup", ObjectType: "user", ObjectID: u.ID})
	})
	return u, err
}

// ChangePassword changes the signed-in user's password; it needs the
// current one and ends the user's other sessions.
func (s *Service) ChangePassword(ctx context.Context, keepSession, current, password, confirm string) error {
	a := ActorFrom(ctx)
	if a == nil {
		return ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.unauthorized")
	}
	var u *ktgs.User
	if err := s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		u, err = tx.User(ctx, a.UserID)
		return err
	}); err != nil {
		return err
	}
	// A wrong current password counts against the account like a failed
	// sign-in: a stolen session cannot be used to guess the password.
	key := "user:" + u.Username
	if err := s.reserveAttempt(ctx, key, s.Auth.Throttle); err != nil {
		return err
	}
	if ok, _, _ := s.Auth.Hasher.Verify(ctx, u.PasswordHash, current); !ok {
		s.Log.WarnContext(ctx, "password change: wrong current password", "user", u.Username)
		return ktgs.Invalid("current", "err.auth.current_wrong")
	}
	if err := s.DB.Update(ctx, func(tx *store.Tx) error { return tx.ClearThrottle(ctx, key) }); err != nil {
		return err
	}
	if password != confirm {
		return ktgs.Invalid("confirm", "err.auth.password_mismatch")
	}
	if err := auth.CheckPasswordPolicy(password, u.Username, u.DisplayName); err != nil {
		return err
	}
	hash, err := s.Auth.Hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		now := s.now()
		u.PasswordHash, u.PasswordChangedAt = hash, &now
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		sessions, err := tx.Sessions(ctx, u.ID)
		if err != nil {
			return err
		}
		keep := auth.HashToken(keepSession)
		for _, se := range sessions {
			if se.IDHash != keep {
				if err := tx.DeleteSession(ctx, se.IDHash); err != nil {
					return err
				}
			}
		}
		return s.audit(ctx, tx, auditEntry{Action: "user.password", ObjectType: "user", ObjectID: u.ID})
	})
}

// TOTPEnrolment is what the enrolment page shows: the secret as text and as
// a QR code.
type TOTPEnrolment struct {
	Secret string
	URI    string
	QRSVG  string
}

// StartTOTP gives the signed-in user a new TOTP secret to enrol (not yet
// active). Re-enrolling replaces the old secret only once confirmed.
func (s *Service) StartTOTP(ctx context.Context) (*TOTPEnrolment, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.unauthorized")
	}
	secret, err := auth.NewTOTPSecret()
	if err != nil {
		return nil, err
	}
	uri := auth.TOTPURI("KTGS", a.Name, secret)
	svg, err := auth.QRCodeSVG(uri)
	if err != nil {
		return nil, err
	}
	return &TOTPEnrolment{Secret: secret, URI: uri, QRSVG: svg}, nil
}

// ConfirmTOTP turns two-factor authentication on with secret once the user
// proves, with a code, that their app has it; it returns ten recovery
// codes, shown once, and marks the session as having passed the second
// factor.
func (s *Service) ConfirmTOTP(ctx context.Context, sessionID, secret, code string) ([]string, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.unauthorized")
	}
	counter, ok := auth.VerifyTOTP(secret, code, s.now(), 0)
	if !ok {
		return nil, ktgs.Invalid("code", "err.auth.totp_wrong")
	}
	plain, hashes, err := auth.NewRecoveryCodes(10)
	if err != nil {
		return nil, err
	}
	err = s.DB.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, a.UserID)
		if err != nil {
			return err
		}
		u.TOTPSecret, u.TOTPEnabled, u.TOTPLastCounter = secret, true, counter
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.SetRecoveryCodes(ctx, u.ID, hashes); err != nil {
			return err
		}
		if sessionID != "" {
			if err := tx.PassSessionMFA(ctx, auth.HashToken(sessionID)); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, auditEntry{Action: "user.totp_enrol", ObjectType: "user", ObjectID: u.ID})
	})
	return plain, err
}

// TokenInput creates an API token.
type TokenInput struct {
	Name string     `json:"name"`
	Role authz.Role `json:"role"`
	// Scope defaults to the user's.
	Scope []int64 `json:"scope"`
	// Days is the token's life, 1 to 365.
	Days int `json:"days"`
}

// CreateToken creates an API token for the signed-in user, with a role and
// scope no wider than the user's own, and returns it once.
func (s *Service) CreateToken(ctx context.Context, in TokenInput) (*ktgs.APIToken, string, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, "", ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.unauthorized")
	}
	var v ktgs.Validation
	in.Name = vn.Clean(in.Name)
	if in.Name == "" {
		v.Add("name", "err.required")
	}
	if !in.Role.Valid() {
		v.Add("role", "err.auth.role")
	} else if !roleWithin(in.Role, a.Role) {
		v.Add("role", "err.auth.token_role")
	}
	maxDays := int(s.Auth.TokenMaxAge / (24 * time.Hour))
	if in.Days < 1 || in.Days > maxDays {
		v.Add("days", "err.range", 1, maxDays)
	}
	if len(in.Scope) == 0 {
		in.Scope = a.Scope
	}
	plain, hash, err := auth.NewToken("ktgs")
	if err != nil {
		return nil, "", err
	}
	t := &ktgs.APIToken{UserID: a.UserID, Name: in.Name, Hash: hash, Role: in.Role, Scope: in.Scope,
		ExpiresAt: s.now().Add(time.Duration(in.Days) * 24 * time.Hour)}
	err = s.DB.Update(ctx, func(tx *store.Tx) error {
		for _, id := range in.Scope {
			// Each scope organisation must be inside the user's own scope.
			obj, err := s.OrgObject(ctx, tx, id)
			if err != nil || !authz.Allowed(&authz.Actor{UserID: a.UserID, Role: authz.RoleViewer, Scope: a.Scope}, authz.OrgRead, obj) {
				v.Add("scope", "err.auth.scope_outside", id)
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := tx.InsertAPIToken(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "token.create", ObjectType: "token", ObjectID: t.ID,
			After: map[string]any{"name": t.Name, "role": t.Role, "scope": t.Scope, "expires_at": t.ExpiresAt}})
	})
	if err != nil {
		return nil, "", err
	}
	return t, plain, nil
}

// roleWithin reports whether every action of role r is also an action of
// role of.
func roleWithin(r, of authz.Role) bool {
	for _, act := range authz.Matrix[r] {
		found := false
		for _, b := range authz.Matrix[of] {
			if act == b {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// RevokeToken revokes one of the signed-in user's tokens.
func (s *Service) RevokeToken(ctx context.Context, id int64) error {
	a := ActorFrom(ctx)
	if a == nil {
		return ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.unauthorized")
	}
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.RevokeAPIToken(ctx, a.UserID, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "token.revoke", ObjectType: "token", ObjectID: id})
	})
}

// Account is what the signed-in user sees of their own account.
type Account struct {
	User          *ktgs.User
	Sessions      []*ktgs.Session
	Logins        []ktgs.LoginEvent
	Tokens        []*ktgs.APIToken
	RecoveryLeft  int
	TwoFactorNeed bool
}

// MyAccount returns the signed-in user's account, sessions, tokens and
// login history.
func (s *Service) MyAccount(ctx context.Context) (*Account, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.unauthorized")
	}
	acc := &Account{}
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if acc.User, err = tx.User(ctx, a.UserID); err != nil {
			return err
		}
		if acc.Sessions, err = tx.Sessions(ctx, a.UserID); err != nil {
			return err
		}
		if acc.Logins, err = tx.LoginHistory(ctx, a.UserID, 50); err != nil {
			return err
		}
		if acc.Tokens, err = tx.APITokens(ctx, a.UserID); err != nil {
			return err
		}
		acc.RecoveryLeft, err = tx.RecoveryCodesLeft(ctx, a.UserID)
		return err
	})
	acc.TwoFactorNeed = acc.User != nil && TwoFactorRequired(acc.User.Role) && !acc.User.Demo
	return acc, err
}

// UserDetail is an account as an administrator sees it.
type UserDetail struct {
	User     *ktgs.User
	Sessions []*ktgs.Session
	Logins   []ktgs.LoginEvent
}

// Users returns the accounts the administrator manages: those whose whole
// scope is inside the administrator's.
func (s *Service) Users(ctx context.Context) ([]*ktgs.User, error) {
	var out []*ktgs.User
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		if err := s.authorizeAny(ctx, tx, authz.UserAdmin); err != nil {
			return err
		}
		all, err := tx.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range all {
			if s.authorizeUser(ctx, tx, u) == nil {
				out = append(out, u)
			}
		}
		return nil
	})
	return out, err
}

// User returns one account with its sessions and login history.
func (s *Service) User(ctx context.Context, id int64) (*UserDetail, error) {
	d := &UserDetail{}
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if d.User, err = tx.User(ctx, id); err != nil {
			return err
		}
		if err := s.authorizeUser(ctx, tx, d.User); err != nil {
			return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found")
		}
		if d.Sessions, err = tx.Sessions(ctx, id); err != nil {
			return err
		}
		d.Logins, err = tx.LoginHistory(ctx, id, 50)
		return err
	})
	return d, err
}

// RevokeSessions ends every session of account id (an administrator's
// "log out everywhere" for someone else).
func (s *Service) RevokeSessions(ctx context.Context, id int64) (int64, error) {
	var n int64
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		if a := ActorFrom(ctx); a == nil || a.UserID != id {
			if err := s.authorizeUser(ctx, tx, u); err != nil {
				return err
			}
		}
		if n, err = tx.DeleteUserSessions(ctx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "session.revoke_all", ObjectType: "user", ObjectID: id, After: map[string]any{"sessions": n}})
	})
	return n, err
}

// TOTPEnrolmentFor rebuilds the enrolment display of a secret the user
// already has on screen (after a wrong confirmation code).
func (s *Service) TOTPEnrolmentFor(ctx context.Context, secret string) (*TOTPEnrolment, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.unauthorized")
	}
	if _, err := auth.TOTPCode(secret, s.now()); err != nil {
		return nil, ktgs.Invalid("secret", "err.bad_request")
	}
	uri := auth.TOTPURI("KTGS", a.Name, secret)
	svg, err := auth.QRCodeSVG(uri)
	if err != nil {
		return nil, err
	}
	return &TOTPEnrolment{Secret: secret, URI: uri, QRSVG: svg}, nil
}

// OrgIDsByCodes resolves a list of organisation codes separated by commas,
// semicolons or spaces (a scope typed in a form). An empty list is nil.
func (s *Service) OrgIDsByCodes(ctx context.Context, list string) ([]int64, error) {
	codes := strings.FieldsFunc(NormaliseCode(list), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' })
	var ids []int64
	var v ktgs.Validation
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		for _, c := range codes {
			id, err := tx.OrgIDByCode(ctx, c)
			if notFound(err) {
				v.Add("scope", "err.auth.scope_code", c)
				continue
			} else if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, v.Err()
}

// OrgCodes returns the codes of organisations ids, for showing a scope.
func (s *Service) OrgCodes(ctx context.Context, ids []int64) ([]string, error) {
	var out []string
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		for _, id := range ids {
			o, err := tx.OrgLatest(ctx, id)
			if err != nil {
				return err
			}
			out = append(out, o.Code)
		}
		return nil
	})
	return out, err
}
