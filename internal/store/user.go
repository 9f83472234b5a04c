package store

import (
	"context"
	"database/sql"
	"time"

	"ktgs"
	"ktgs/internal/authz"
)

const userCols = `id, username, display_name, email, password_hash, role, clearance, COALESCE(member_id, 0),
	totp_secret, totp_enabled, totp_last_counter, demo, disabled_at, password_changed_at, created_at, updated_at`

func scanUser(sc interface{ Scan(...any) error }, u *ktgs.User) error {
	var clearance string
	var disabled, changed sql.NullTime
	if err := sc.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Email, &u.PasswordHash, &u.Role, &clearance, &u.MemberID,
		&u.TOTPSecret, &u.TOTPEnabled, &u.TOTPLastCounter, &u.Demo, &disabled, &changed, &u.CreatedAt, &u.UpdatedAt); err != nil {
		return err
	}
	u.Clearance, _ = authz.ParseMark(clearance)
	u.DisabledAt = timePtr(disabled)
	u.PasswordChangedAt = timePtr(changed)
	return nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

func nullTime(t *time.Time) sql.NullTime {
	if t == nil {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: t.UTC(), Valid: true}
}

// InsertUser stores a new user and its scope.
func (tx *Tx) InsertUser(ctx context.Context, u *ktgs.User) error {
	u.CreatedAt, u.UpdatedAt = tx.now, tx.now
	id, err := tx.insert(ctx, `INSERT INTO users (username, display_name, email, password_hash, role, clearance, member_id,
		totp_secret, totp_enabled, totp_last_counter, demo, disabled_at, password_changed_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Username, u.DisplayName, u.Email, u.PasswordHash, u.Role, u.Clearance.Code(), nullID(u.MemberID),
		u.TOTPSecret, u.TOTPEnabled, u.TOTPLastCounter, u.Demo, nullTime(u.DisabledAt), nullTime(u.PasswordChangedAt), tx.now, tx.now)
	if err != nil {
		return err
	}
	u.ID = id
	return tx.SetUserScope(ctx, u.ID, u.Scope)
}

// UpdateUser rewrites every column of u but its id, username and creation
// time, and its scope.
func (tx *Tx) UpdateUser(ctx context.Context, u *ktgs.User) error {
	u.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `UPDATE users SET display_name = ?, email = ?, password_hash = ?, role = ?, clearance = ?, member_id = ?,
		totp_secret = ?, totp_enabled = ?, totp_last_counter = ?, demo = ?, disabled_at = ?, password_changed_at = ?, updated_at = ?
		WHERE id = ?`,
		u.DisplayName, u.Email, u.PasswordHash, u.Role, u.Clearance.Code(), nullID(u.MemberID),
		u.TOTPSecret, u.TOTPEnabled, u.TOTPLastCounter, u.Demo, nullTime(u.DisabledAt), nullTime(u.PasswordChangedAt), tx.now, u.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "user")
	}
	return tx.SetUserScope(ctx, u.ID, u.Scope)
}

// SetUserScope replaces the scope of user id.
func (tx *Tx) SetUserScope(ctx context.Context, id int64, scope []int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM user_scopes WHERE user_id = ?`, id); err != nil {
		return err
	}
	for _, org := range scope {
		if _, err := tx.exec(ctx, `INSERT INTO user_scopes (user_id, org_id) VALUES (?, ?)`, id, org); err != nil {
			return err
		}
	}
	return nil
}

// AdvanceTOTPCounter records that TOTP time step counter was used by user
// id, if it is later than the last one used. It reports false when the step
// (or a later one) was already used: a replayed code. The compare-and-set
// is one statement, so two servers cannot both accept the same code.
func (tx *Tx) AdvanceTOTPCounter(ctx context.Context, id, counter int64) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE users SET totp_last_counter = ? WHERE id = ? AND totp_last_counter < ?`, counter, id, counter)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// User returns user id with its scope.
func (tx *Tx) User(ctx context.Context, id int64) (*ktgs.User, error) {
	return tx.userWhere(ctx, `id = ?`, id)
}

// UserByName returns the user with the given (normalised) username.
func (tx *Tx) UserByName(ctx context.Context, username string) (*ktgs.User, error) {
	return tx.userWhere(ctx, `username = ?`, username)
}

func (tx *Tx) userWhere(ctx context.Context, where string, arg any) (*ktgs.User, error) {
	u := new(ktgs.User)
	if err := scanUser(tx.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE `+where, arg), u); err == sql.ErrNoRows {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "user")
	} else if err != nil {
		return nil, tx.db.d.translate(err)
	}
	scope, err := tx.ids(ctx, `SELECT org_id FROM user_scopes WHERE user_id = ? ORDER BY org_id`, u.ID)
	if err != nil {
		return nil, err
	}
	u.Scope = scope
	return u, nil
}

// Users returns every user, by username, with their scopes.
func (tx *Tx) Users(ctx context.Context) ([]*ktgs.User, error) {
	rows, err := tx.query(ctx, `SELECT `+userCols+` FROM users ORDER BY username`)
	if err != nil {
		return nil, err
	}
	var out []*ktgs.User
	byID := map[int64]*ktgs.User{}
	for rows.Next() {
		u := new(ktgs.User)
		if err := scanUser(rows, u); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
		byID[u.ID] = u
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.query(ctx, `SELECT user_id, org_id FROM user_scopes ORDER BY user_id, org_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var uid, org int64
		if err := rows.Scan(&uid, &org); err != nil {
			return nil, err
		}
		if u := byID[uid]; u != nil {
			u.Scope = append(u.Scope, org)
		}
	}
	return out, rows.Err()
}

// CountUsers returns the number of users, and of demo users.
func (tx *Tx) CountUsers(ctx context.Context) (all, demo int, err error) {
	err = tx.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN demo THEN 1 ELSE 0 END), 0) FROM users`).Scan(&all, &demo)
	return all, demo, err
}

// ids runs a query returning one integer column.
func (tx *Tx) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Recovery codes.

// SetRecoveryCodes replaces the recovery codes of user id by hashes.
func (tx *Tx) SetRecoveryCodes(ctx context.Context, id int64, hashes []string) error {
	if _, err := tx.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, id); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := tx.exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, id, h); err != nil {
			return err
		}
	}
	return nil
}

// UseRecoveryCode marks the unused code with the given hash as used; it
// reports false if there is none.
func (tx *Tx) UseRecoveryCode(ctx context.Context, id int64, hash string) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`, tx.now, id, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RecoveryCodesLeft returns the number of unused recovery codes of user id.
func (tx *Tx) RecoveryCodesLeft(ctx context.Context, id int64) (int, error) {
	return tx.count(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, id)
}

// Sessions.

// InsertSession stores a new session.
func (tx *Tx) InsertSession(ctx context.Context, s *ktgs.Session) error {
	_, err := tx.exec(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, mfa_passed, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.IDHash, s.UserID, s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC(), s.MFAPassed, s.IP, s.UserAgent)
	return err
}

// Session returns the session whose id hashes to idHash.
func (tx *Tx) Session(ctx context.Context, idHash string) (*ktgs.Session, error) {
	s := new(ktgs.Session)
	err := tx.one(tx.queryRow(ctx, `SELECT id_hash, user_id, created_at, last_seen_at, expires_at, mfa_passed, ip, user_agent
		FROM sessions WHERE id_hash = ?`, idHash), "session",
		&s.IDHash, &s.UserID, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.MFAPassed, &s.IP, &s.UserAgent)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Sessions returns the sessions of user id (all users if id is 0), newest
// first.
func (tx *Tx) Sessions(ctx context.Context, id int64) ([]*ktgs.Session, error) {
	q := `SELECT id_hash, user_id, created_at, last_seen_at, expires_at, mfa_passed, ip, user_agent FROM sessions`
	var args []any
	if id != 0 {
		q += ` WHERE user_id = ?`
		args = append(args, id)
	}
	rows, err := tx.query(ctx, q+` ORDER BY last_seen_at DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ktgs.Session
	for rows.Next() {
		s := new(ktgs.Session)
		if err := rows.Scan(&s.IDHash, &s.UserID, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.MFAPassed, &s.IP, &s.UserAgent); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// TouchSession records activity on a session.
func (tx *Tx) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	_, err := tx.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`, at.UTC(), idHash)
	return err
}

// PassSessionMFA marks a session as having passed the second factor.
func (tx *Tx) PassSessionMFA(ctx context.Context, idHash string) error {
	_, err := tx.exec(ctx, `UPDATE sessions SET mfa_passed = ? WHERE id_hash = ?`, true, idHash)
	return err
}

// DeleteSession ends one session.
func (tx *Tx) DeleteSession(ctx context.Context, idHash string) error {
	_, err := tx.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash)
	return err
}

// DeleteUserSessions ends every session of user id and returns how many.
func (tx *Tx) DeleteUserSessions(ctx context.Context, id int64) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// DeleteExpiredSessions removes sessions past their absolute end or idle
// since before idleBefore.
func (tx *Tx) DeleteExpiredSessions(ctx context.Context, now, idleBefore time.Time) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?`, now.UTC(), idleBefore.UTC())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Login throttling.

// Throttle is the failure record of one key ("user:…" or "ip:…").
type Throttle struct {
	Key         string
	Failures    int
	LastFailure time.Time
	LockedUntil *time.Time
}

// Throttles returns the records of keys that have one.
func (tx *Tx) Throttles(ctx context.Context, keys ...string) (map[string]*Throttle, error) {
	out := map[string]*Throttle{}
	for _, k := range keys {
		t := &Throttle{Key: k}
		var locked sql.NullTime
		err := tx.queryRow(ctx, `SELECT failures, last_failure, locked_until FROM login_throttle WHERE key = ?`, k).
			Scan(&t.Failures, &t.LastFailure, &locked)
		if err == sql.ErrNoRows {
			continue
		} else if err != nil {
			return nil, tx.db.d.translate(err)
		}
		t.LockedUntil = timePtr(locked)
		out[k] = t
	}
	return out, nil
}

// SaveThrottle writes a failure record.
func (tx *Tx) SaveThrottle(ctx context.Context, t *Throttle) error {
	res, err := tx.exec(ctx, `UPDATE login_throttle SET failures = ?, last_failure = ?, locked_until = ? WHERE key = ?`,
		t.Failures, t.LastFailure.UTC(), nullTime(t.LockedUntil), t.Key)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	_, err = tx.exec(ctx, `INSERT INTO login_throttle (key, failures, last_failure, locked_until) VALUES (?, ?, ?, ?)`,
		t.Key, t.Failures, t.LastFailure.UTC(), nullTime(t.LockedUntil))
	return err
}

// ClearThrottle forgets the failures of key.
func (tx *Tx) ClearThrottle(ctx context.Context, key string) error {
	_, err := tx.exec(ctx, `DELETE FROM login_throttle WHERE key = ?`, key)
	return err
}

// Login history.

// InsertLoginEvent records a login attempt of user id (0 when the name
// matched no account).
func (tx *Tx) InsertLoginEvent(ctx context.Context, id int64, e *ktgs.LoginEvent) error {
	_, err := tx.exec(ctx, `INSERT INTO login_history (user_id, at, outcome, ip, user_agent) VALUES (?, ?, ?, ?, ?)`,
		nullID(id), e.At.UTC(), e.Outcome, e.IP, e.UserAgent)
	return err
}

// LoginHistory returns the last limit login events of user id, newest
// first.
func (tx *Tx) LoginHistory(ctx context.Context, id int64, limit int) ([]ktgs.LoginEvent, error) {
	rows, err := tx.query(ctx, `SELECT at, outcome, ip, user_agent FROM login_history WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT ?`, id, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.LoginEvent
	for rows.Next() {
		var e ktgs.LoginEvent
		if err := rows.Scan(&e.At, &e.Outcome, &e.IP, &e.UserAgent); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// API tokens.

// InsertAPIToken stores a token (its hash) and its scope.
func (tx *Tx) InsertAPIToken(ctx context.Context, t *ktgs.APIToken) error {
	t.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		t.UserID, t.Name, t.Hash, t.Role, tx.now, t.ExpiresAt.UTC())
	if err != nil {
		return err
	}
	t.ID = id
	for _, org := range t.Scope {
		if _, err := tx.exec(ctx, `INSERT INTO api_token_scopes (token_id, org_id) VALUES (?, ?)`, id, org); err != nil {
			return err
		}
	}
	return nil
}

const tokenCols = `id, user_id, name, token_hash, role, created_at, expires_at, last_used_at, revoked_at`

func scanToken(sc interface{ Scan(...any) error }, t *ktgs.APIToken) error {
	var used, revoked sql.NullTime
	if err := sc.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &t.Role, &t.CreatedAt, &t.ExpiresAt, &used, &revoked); err != nil {
		return err
	}
	t.LastUsedAt, t.RevokedAt = timePtr(used), timePtr(revoked)
	return nil
}

// APITokenByHash returns the token with the given hash and its scope.
func (tx *Tx) APITokenByHash(ctx context.Context, hash string) (*ktgs.APIToken, error) {
	t := new(ktgs.APIToken)
	if err := scanToken(tx.queryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE token_hash = ?`, hash), t); err == sql.ErrNoRows {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "token")
	} else if err != nil {
		return nil, tx.db.d.translate(err)
	}
	var err error
	t.Scope, err = tx.ids(ctx, `SELECT org_id FROM api_token_scopes WHERE token_id = ? ORDER BY org_id`, t.ID)
	return t, err
}

// APITokens returns the tokens of user id, newest first.
func (tx *Tx) APITokens(ctx context.Context, userID int64) ([]*ktgs.APIToken, error) {
	rows, err := tx.query(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, err
	}
	var out []*ktgs.APIToken
	for rows.Next() {
		t := new(ktgs.APIToken)
		if err := scanToken(rows, t); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, t)
	}
	rows.Close()
	for _, t := range out {
		if t.Scope, err = tx.ids(ctx, `SELECT org_id FROM api_token_scopes WHERE token_id = ? ORDER BY org_id`, t.ID); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// TouchAPIToken records a use of token id.
func (tx *Tx) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	_, err := tx.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, at.UTC(), id)
	return err
}

// RevokeAPIToken revokes token id of user userID.
func (tx *Tx) RevokeAPIToken(ctx context.Context, userID, id int64) error {
	res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`, tx.now, id, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "token")
	}
	return nil
}

// Setup tokens.

// InsertSetupToken stores a one-time setup link for user id.
func (tx *Tx) InsertSetupToken(ctx context.Context, hash string, userID int64, expires time.Time) error {
	_, err := tx.exec(ctx, `INSERT INTO setup_tokens (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		hash, userID, tx.now, expires.UTC())
	return err
}

// UseSetupToken consumes the unused, unexpired setup token with the given
// hash and returns its user id.
func (tx *Tx) UseSetupToken(ctx context.Context, hash string, now time.Time) (int64, error) {
	var uid int64
	var expires time.Time
	var used sql.NullTime
	if err := tx.one(tx.queryRow(ctx, `SELECT user_id, expires_at, used_at FROM setup_tokens WHERE token_hash = ?`, hash),
		"setup", &uid, &expires, &used); err != nil {
		return 0, err
	}
	if used.Valid || !now.Before(expires) {
		return 0, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "setup")
	}
	res, err := tx.exec(ctx, `UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`, now.UTC(), hash)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "setup")
	}
	return uid, nil
}

// SetupTokenValid reports whether an unused, unexpired setup token has the
// given hash (without using it).
func (tx *Tx) SetupTokenValid(ctx context.Context, hash string, now time.Time) (bool, error) {
	n, err := tx.count(ctx, `SELECT COUNT(*) FROM setup_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, hash, now.UTC())
	return n == 1, err
}

// RetireSetupTokens marks every unused setup token of user id as used: a
// new link, or a password set through one, voids the others.
func (tx *Tx) RetireSetupTokens(ctx context.Context, userID int64, now time.Time) error {
	_, err := tx.exec(ctx, `UPDATE setup_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, now.UTC(), userID)
	return err
}

// UnusedRecoveryCodes returns the hashes of the unused recovery codes of
// user id.
func (tx *Tx) UnusedRecoveryCodes(ctx context.Context, id int64) ([]string, error) {
	rows, err := tx.query(ctx, `SELECT code_hash FROM recovery_codes WHERE user_id = ? AND used_at IS NULL ORDER BY code_hash`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// LockThrottle returns the failure record of key, creating an empty one,
// and holds its row lock (PostgreSQL) or the writer lock (SQLite) until the
// transaction ends, so that concurrent login attempts on one key are
// counted one after the other.
func (tx *Tx) LockThrottle(ctx context.Context, key string) (*Throttle, error) {
	// One upsert that takes the row lock and returns the row: a separate
	// insert, update and select could find the row deleted in between by
	// a concurrent success (ClearThrottle) on PostgreSQL, which ON
	// CONFLICT DO UPDATE retries internally.
	t := &Throttle{Key: key}
	var locked sql.NullTime
	if err := tx.one(tx.queryRow(ctx, `INSERT INTO login_throttle (key, failures, last_failure) VALUES (?, 0, ?)
		ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures
		RETURNING failures, last_failure, locked_until`, key, tx.now),
		"throttle", &t.Failures, &t.LastFailure, &locked); err != nil {
		return nil, err
	}
	t.LockedUntil = timePtr(locked)
	return t, nil
}

// SetupTokenUser returns the user of the setup token with the given hash.
func (tx *Tx) SetupTokenUser(ctx context.Context, hash string) (int64, error) {
	var uid int64
	err := tx.one(tx.queryRow(ctx, `SELECT user_id FROM setup_tokens WHERE token_hash = ?`, hash), "setup", &uid)
	return uid, err
}

// UsersByRoles returns the users having one of roles, with their scopes.
func (tx *Tx) UsersByRoles(ctx context.Context, roles []authz.Role) ([]*ktgs.User, error) {
	all, err := tx.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []*ktgs.User
	for _, u := range all {
		for _, r := range roles {
			if u.Role == r {
				out = append(out, u)
				break
			}
		}
	}
	return out, nil
}
