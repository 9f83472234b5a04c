package app_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/audit"
	"ktgs/internal/auth"
	"ktgs/internal/authz"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// Accounts, sign-in, throttling, TOTP, sessions, API tokens, setup links,
// the audit trail and protected reads, at the use-case level, on both
// engines.

const (
	// authPW passes the password policy for every account made here (no
	// part of their usernames or display names).
	authPW    = "vững-bước-qua-đèo-1975"
	authWrong = "sai-mật-khẩu-rồi-nhé-42"
	authUA    = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
)

// anon is a context with neither an actor nor the system mark: what a
// request carries before sign-in. (ctx, in app_test.go, is the system.)
var anon = context.Background()

// authT0 is the pinned start time: Monday 16/3/2026 9:00 in Vietnam, on a
// TOTP step boundary.
var authT0 = time.Date(2026, 3, 16, 2, 0, 0, 0, time.UTC)

// authEnv is a service over a fresh database with the reform fixture
// (buildReform) and a clock the test moves.
type authEnv struct {
	s   *app.Service
	db  *store.DB
	url string
	eng string
	r   *reform

	mu  sync.Mutex
	now time.Time
	ips atomic.Int64
}

func (e *authEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *authEnv) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

// authRun runs fn on every engine of testdb.Engines, each with a fresh
// migrated database. It opens the database itself rather than through
// testdb.Run so that the store's clock (which stamps rows and judges the
// expiry of setup links) is the same pinned clock as Service.Clock.
func authRun(t *testing.T, fn func(t *testing.T, e *authEnv)) {
	t.Helper()
	for _, eng := range testdb.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			e := &authEnv{now: authT0, eng: eng.Name}
			e.url = eng.URL(t)
			db, err := store.Open(ctx, e.url, store.Options{Now: e.clock})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			e.db = db
			e.s = app.New(db, nil)
			e.s.Clock = e.clock
			e.s.Auth.Hasher = &auth.Hasher{Params: auth.Params{Memory: 64, Time: 1, Threads: 1}}
			e.r = buildReform(t, e.s)
			fn(t, e)
		})
	}
}

// ip returns a new client address, so that tests of the per-account
// policy do not trip the per-address one.
func (e *authEnv) ip() string {
	n := e.ips.Add(1)
	return fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255)
}

// user creates an account with password authPW as the system.
func (e *authEnv) user(t *testing.T, name string, role authz.Role, clearance string, scope []int64, member int64) *ktgs.User {
	t.Helper()
	u, link, err := e.s.CreateUser(ctx, app.UserInput{Username: name, DisplayName: "Cán bộ thử nghiệm", Role: role,
		Clearance: clearance, Scope: scope, MemberID: member, Password: authPW})
	if err != nil {
		t.Fatalf("CreateUser %s: %v", name, err)
	}
	if link != "" {
		t.Fatalf("CreateUser %s with a password returned a setup link", name)
	}
	return u
}

func (e *authEnv) login(name, password string) (*app.LoginResult, error) {
	return e.s.Login(anon, app.LoginInput{Username: name, Password: password, IP: e.ip(), UserAgent: authUA})
}

func (e *authEnv) mustLogin(t *testing.T, name string) *app.LoginResult {
	t.Helper()
	res, err := e.login(name, authPW)
	if err != nil {
		t.Fatalf("login %s: %v", name, err)
	}
	return res
}

func (e *authEnv) sessionUser(plain string) (*app.Authenticated, error) {
	return e.s.SessionUser(anon, plain, "10.200.0.1", authUA)
}

// actor returns a context carrying the actor of session plain.
func (e *authEnv) actor(t *testing.T, plain string) (context.Context, *app.Authenticated) {
	t.Helper()
	au, err := e.sessionUser(plain)
	if err != nil {
		t.Fatalf("SessionUser: %v", err)
	}
	return app.WithActor(anon, au.Actor), au
}

// enrol turns TOTP on for the user of session res and returns the secret
// and the recovery codes.
func (e *authEnv) enrol(t *testing.T, res *app.LoginResult) (string, []string) {
	t.Helper()
	actx, _ := e.actor(t, res.SessionID)
	en, err := e.s.StartTOTP(actx)
	if err != nil {
		t.Fatal(err)
	}
	code, err := auth.TOTPCode(en.Secret, e.clock())
	if err != nil {
		t.Fatal(err)
	}
	codes, err := e.s.ConfirmTOTP(actx, res.SessionID, en.Secret, code)
	if err != nil {
		t.Fatalf("ConfirmTOTP: %v", err)
	}
	return en.Secret, codes
}

// signIn2FA signs name in, enrols TOTP and returns a context whose actor
// passed the second factor.
func (e *authEnv) signIn2FA(t *testing.T, name string) (context.Context, *app.Authenticated, *app.LoginResult) {
	t.Helper()
	res := e.mustLogin(t, name)
	e.enrol(t, res)
	actx, au := e.actor(t, res.SessionID)
	if !au.Actor.TwoFactor {
		t.Fatalf("%s: actor has not passed the second factor after enrolment", name)
	}
	return actx, au, res
}

// authErr asserts that err is a *ktgs.Error with code and message key.
func authErr(t *testing.T, err error, code, key string) *ktgs.Error {
	t.Helper()
	e := ktgs.AsError(err)
	if e == nil || e.Code != code || e.Message != key {
		t.Fatalf("err = %v, want %s %s", err, code, key)
	}
	return e
}

// intArg returns the first argument of e as an int.
func intArg(t *testing.T, e *ktgs.Error) int {
	t.Helper()
	if len(e.Args) == 0 {
		t.Fatalf("%v has no argument", e)
	}
	n, ok := e.Args[0].(int)
	if !ok {
		t.Fatalf("%v: argument %T, want int", e, e.Args[0])
	}
	return n
}

func (e *authEnv) userCount(t *testing.T) int {
	t.Helper()
	var n int
	if err := e.db.View(ctx, func(tx *store.Tx) error {
		var err error
		n, _, err = tx.CountUsers(ctx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *authEnv) sessions(t *testing.T, userID int64) []*ktgs.Session {
	t.Helper()
	var out []*ktgs.Session
	if err := e.db.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.Sessions(ctx, userID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func (e *authEnv) sessionExists(t *testing.T, plain string) bool {
	t.Helper()
	var found bool
	e.db.View(ctx, func(tx *store.Tx) error {
		_, err := tx.Session(ctx, auth.HashToken(plain))
		found = err == nil
		return nil
	})
	return found
}

func (e *authEnv) auditHead(t *testing.T) (int64, string) {
	t.Helper()
	var seq int64
	var hash string
	if err := e.db.View(ctx, func(tx *store.Tx) error {
		var err error
		seq, hash, err = tx.AuditHead(ctx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return seq, hash
}

// auditAfter returns the entries after seq, in order.
func (e *authEnv) auditAfter(t *testing.T, seq int64) []audit.Entry {
	t.Helper()
	var out []audit.Entry
	if err := e.db.View(ctx, func(tx *store.Tx) error {
		return tx.EachAudit(ctx, func(en *audit.Entry) error {
			if en.Seq > seq {
				out = append(out, *en)
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// demoOrgs creates the organisations the demo accounts are scoped to.
func (e *authEnv) demoOrgs(t *testing.T) {
	t.Helper()
	D := ktgs.ReformDate
	mustCreate(t, e.s, app.OrgInput{Code: "P19", Type: ktgs.OrgTypeDirectlyUnderCC, Name: "Đảng bộ tỉnh Ninh Bình", ParentID: e.r.root.ID, ValidFrom: D})
	mustCreate(t, e.s, app.OrgInput{Code: "P08", Type: ktgs.OrgTypeDirectlyUnderCC, Name: "Đảng bộ tỉnh Thanh Hóa", ParentID: e.r.root.ID, ValidFrom: D})
	mustCreate(t, e.s, app.OrgInput{Code: "P19-O1-D01-C01", Type: ktgs.OrgTypeCommune, Name: "Đảng bộ xã Gia Tường", ParentCode: "P19", ValidFrom: D})
	mustCreate(t, e.s, app.OrgInput{Code: "P19-O1-D01-C01-VM1", Type: ktgs.OrgTypeGrassrootsBranch, Name: "Chi bộ thôn Đoàn Kết", ParentCode: "P19-O1-D01-C01", ValidFrom: D})
}

// wrongTOTP returns a six-digit code that is not the code of secret for
// any step within two steps of at.
func wrongTOTP(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	near := map[string]bool{}
	for k := -2; k <= 2; k++ {
		c, err := auth.TOTPCode(secret, at.Add(time.Duration(k)*auth.TOTPPeriod))
		if err != nil {
			t.Fatal(err)
		}
		near[c] = true
	}
	for i := 0; ; i++ {
		c := fmt.Sprintf("%06d", (i*7919+123457)%1000000)
		if !near[c] {
			return c
		}
	}
}

// TestAuthPasswordPolicy: the policy applies to CreateUser and to
// CompleteSetup, names the field and the rule, and saves nothing on
// refusal.
func TestAuthPasswordPolicy(t *testing.T) {
	authRun(t, func(t *testing.T, e *authEnv) {
		users := e.userCount(t)
		seq, hash := e.auditHead(t)
		base := app.UserInput{Username: "hoang.long", DisplayName: "Hoàng Long", Role: authz.RoleViewer, Scope: []int64{e.r.provA.ID}}
		tests := []struct {
			name, password, key string
		}{
			{"short", "Ngắn-7x", auth.KeyPasswordShort},
			{"common", "Mailcreated5240", auth.KeyPasswordCommon},
			{"contains the username", "hoang.long-tháng-ba-2026", auth.KeyPasswordPersonal},
			{"contains the display name", "trời-xanh-HoàngLong-88", auth.KeyPasswordPersonal},
			{"repeated block", "abcabcabcabc", auth.KeyPasswordPattern},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				in := base
				in.Password = tc.password
				_, _, err := e.s.CreateUser(ctx, in)
				fieldErr(t, err, "password", tc.key)
				if tc.key == auth.KeyPasswordShort {
					if f := ktgs.AsError(err).Fields["password"]; len(f.Args) != 1 || f.Args[0] != auth.MinPasswordLen {
						t.Errorf("short password args = %v, want [%d]", f.Args, auth.MinPasswordLen)
					}
				}
			})
		}
		if n := e.userCount(t); n != users {
			t.Fatalf("refused passwords saved accounts: %d users, want %d", n, users)
		}
		if s, h := e.auditHead(t); s != seq || h != hash {
			t.Fatalf("refused passwords moved the audit head from %d to %d", seq, s)
		}

		// Without a password the account gets a setup link; the same
		// policy applies when the user chooses one.
		u, link, err := e.s.CreateUser(ctx, base)
		if err != nil || link == "" {
			t.Fatalf("CreateUser without password: link %q, %v", link, err)
		}
		if u.PasswordHash != "" {
			t.Fatalf("account without a password has a hash")
		}
		_, err = e.s.CompleteSetup(anon, link, authPW, authPW+"x")
		fieldErr(t, err, "confirm", "err.auth.password_mismatch")
		for _, tc := range tests {
			_, err := e.s.CompleteSetup(anon, link, tc.password, tc.password)
			fieldErr(t, err, "password", tc.key)
		}
		if _, err := e.login("hoang.long", authPW); ktgs.ErrorCode(err) != ktgs.EUNAUTHORIZED {
			t.Fatalf("login before setup: %v, want bad credentials", err)
		}
		// The refusals did not use the link up.
		if _, err := e.s.CompleteSetup(anon, link, authPW, authPW); err != nil {
			t.Fatalf("CompleteSetup with a good password after refusals: %v", err)
		}
		if _, err := e.login("hoang.long", authPW); err != nil {
			t.Fatalf("login after setup: %v", err)
		}
	})
}

// TestAuthLoginNextStep: what follows the password depends on the role;
// two-factor authentication is mandatory for the roles that see case data
// and for the administrator, and demo accounts are exempt.
func TestAuthLoginNextStep(t *testing.T) {
	authRun(t, func(t *testing.T, e *authEnv) {
		tests := []struct {
			user string
			role authz.Role
			next string
		}{
			{"vien.xem", authz.RoleViewer, app.NextNone},
			{"kiem.toan", authz.RoleAuditor, app.NextNone},
			{"chu.nhiem", authz.RoleChair, app.NextEnrol},
			{"can.bo.kt", authz.RoleInspector, app.NextEnrol},
			{"thuong.vu", authz.RoleStanding, app.NextEnrol},
			{"bi.thu", authz.RoleSecretary, app.NextEnrol},
			{"quan.tri", authz.RoleAdmin, app.NextEnrol},
		}
		for _, tc := range tests {
			t.Run(tc.user, func(t *testing.T) {
				if got := app.TwoFactorRequired(tc.role); got != (tc.next == app.NextEnrol) {
					t.Errorf("TwoFactorRequired(%s) = %v", tc.role, got)
				}
				e.user(t, tc.user, tc.role, "TOI_MAT", []int64{e.r.provA.ID}, 0)
				res := e.mustLogin(t, tc.user)
				if res.Next != tc.next {
					t.Errorf("Next = %q, want %q", res.Next, tc.next)
				}
				if res.SessionID == "" || res.Session.IDHash != auth.HashToken(res.SessionID) {
					t.Errorf("session id %q, stored hash %q", res.SessionID, res.Session.IDHash)
				}
				if res.Session.MFAPassed != (tc.next == app.NextNone) {
					t.Errorf("MFAPassed = %v with Next %q", res.Session.MFAPassed, res.Next)
				}
				_, au := e.actor(t, res.SessionID)
				if au.Actor.TwoFactor || au.Actor.Role != tc.role || au.Actor.Name != tc.user {
					t.Errorf("actor = %+v", au.Actor)
				}
			})
		}
		// The username is normalised.
		if res, err := e.login("  VIEN.XEM ", authPW); err != nil || res.User.Username != "vien.xem" {
			t.Errorf("login with spaces and capitals: %v", err)
		}

		e.demoOrgs(t)
		if err := e.s.CreateDemoAccounts(ctx); err != nil {
			t.Fatal(err)
		}
		for _, d := range app.DemoAccounts {
			res, err := e.login(d.Username, app.DemoPassword)
			if err != nil {
				t.Fatalf("demo %s: %v", d.Username, err)
			}
			if res.Next != app.NextNone || !res.Session.MFAPassed {
				t.Errorf("demo %s (%s): Next %q, MFAPassed %v; demo accounts are exempt", d.Username, d.Role, res.Next, res.Session.MFAPassed)
			}
			if _, au := e.actor(t, res.SessionID); !au.Actor.TwoFactor || au.Actor.Role != d.Role {
				t.Errorf("demo %s actor = %+v", d.Username, au.Actor)
			}
		}
	})
}

// TestAuthBadCredentialsNoEnumeration: a wrong password, an unknown
// username, a disabled account and an account not yet set up all give the
// same error, and no session.
func TestAuthBadCredentialsNoEnumeration(t *testing.T) {
	authRun(t, func(t *testing.T, e *authEnv) {
		e.user(t, "vien.xem", authz.RoleViewer, "", []int64{e.r.provA.ID}, 0)
		off := e.user(t, "da.nghi", authz.RoleViewer, "", []int64{e.r.provA.ID}, 0)
		if _, err := e.s.UpdateUser(ctx, off.ID, app.UserInput{DisplayName: off.DisplayName, Role: off.Role, Scope: off.Scope, Disabled: true}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.s.CreateUser(ctx, app.UserInput{Username: "chua.dat", DisplayName: "Chưa đặt", Role: authz.RoleViewer, Scope: []int64{e.r.provA.ID}}); err != nil {
			t.Fatal(err)
		}
		tests := []struct{ name, user, password string }{
			{"wrong password", "vien.xem", authWrong},
			{"empty password", "vien.xem", ""},
			{"unknown username", "khong.ton.tai", authWrong},
			{"unknown username with a real password", "khong.ton.tai", authPW},
			{"disabled account with the right password", "da.nghi", authPW},
			{"account not set up, empty password", "chua.dat", ""},
			{"account not set up", "chua.dat", authWrong},
		}
		want := ""
		for _, tc := range tests {
			res, err := e.login(tc.user, tc.password)
			if res != nil {
				t.Fatalf("%s: signed in", tc.name)
			}
			authErr(t, err, ktgs.EUNAUTHORIZED, "err.auth.bad_credentials")
			if want == "" {
				want = err.Error()
			} else if err.Error() != want {
				t.Errorf("%s: error %q differs from %q", tc.name, err, want)
			}
		}
		if s := e.sessions(t, 0); len(s) != 0 {
			t.Errorf("failed logins left %d sessions", len(s))
		}
	})
}

// TestAuthBruteForceAccount: the per-account throttle, step by step.
func TestAuthBruteForceAccount(t *testing.T) {
	authRun(t, func(t *testing.T, e *authEnv) {
		u := e.user(t, "vien.xem", authz.RoleViewer, "", []int64{e.r.provA.ID}, 0)
		th := e.s.Auth.Throttle
		if th != auth.DefaultThrottle() {
			t.Fatalf("service throttle %+v is not the default", th)
		}
		try := func(password string) error {
			_, err := e.login("vien.xem", password) // a new address each time
			return err
		}
		bad := func(step string, err error) {
			t.Helper()
			if ktgs.AsError(err) == nil || ktgs.AsError(err).Message != "err.auth.bad_credentials" {
				t.Fatalf("%s: %v, want the password checked (bad credentials)", step, err)
			}
		}
		waitErr := func(step string, err error, key string, n int) {
			t.Helper()
			e := ktgs.AsError(err)
			if e == nil || e.Code != ktgs.ETOOMANY || e.Message != key || len(e.Args) != 1 || e.Args[0] != n {
				t.Fatalf("%s: %v, want %s %s [%d]", step, err, ktgs.ETOOMANY, key, n)
			}
		}

		// Throttle.Next lets an attempt through while the count of
		// failures is at most FreeAttempts: FreeAttempts+1 attempts are
		// evaluated at once, and the wait starts after that many failures.
		for i := 1; i <= th.FreeAttempts+1; i++ {
			bad(fmt.Sprintf("free attempt %d", i), try(authWrong))
		}
		// The next attempt is refused before the password is looked at,
		// even the right one, and opens no session.
		waitErr("right password while throttled", try(authPW), "err.auth.throttled", 1)
		if len(e.sessions(t, u.ID)) != 0 {
			t.Fatal("a throttled attempt opened a session")
		}
		// The waits double up to MaxDelay. Refused attempts do not count:
		// the wait ends when it said.
		for _, wait := range []int{1, 2, 4, 8, 16, 30} {
			w := time.Duration(wait) * time.Second
			waitErr(fmt.Sprintf("after %v", w), try(authWrong), "err.auth.throttled", wait)
			e.advance(w - 100*time.Millisecond)
			waitErr(fmt.Sprintf("%v into a wait of %v", w-100*time.Millisecond, w), try(authPW), "err.auth.throttled", 1)
			e.advance(100 * time.Millisecond)
			bad(fmt.Sprintf("after waiting %v", w), try(authWrong))
		}
		// Ten consecutive failures lock the account for 15 minutes.
		waitErr("after 10 failures", try(authPW), "err.auth.locked", 15)
		e.advance(15*time.Minute - time.Second)
		waitErr("a second before the lock ends", try(authPW), "err.auth.locked", 1)
		e.advance(time.Second)
		// One attempt once the lock is over; failing locks again at once.
		bad("after the lock", try(authWrong))
		waitErr("failure after the lock", try(authPW), "err.auth.locked", 15)
		e.advance(15 * time.Minute)

		// Success clears the count: the free attempts are back.
		if res, err := e.login("vien.xem", authPW); err != nil || res.Next != app.NextNone {
			t.Fatalf("right password after the lock: %v", err)
		}
		e.db.View(ctx, func(tx *store.Tx) error {
			m, err := tx.Throttles(ctx, "user:vien.xem")
			if err != nil || len(m) != 0 {
				t.Errorf("throttle record after success: %v %v", m, err)
			}
			hist, _ := tx.LoginHistory(ctx, u.ID, 100)
			outcomes := map[string]int{}
			for _, h := range hist {
				outcomes[h.Outcome]++
			}
			if outcomes[ktgs.LoginBadPassword] != 11 || outcomes[ktgs.LoginLocked] == 0 || outcomes[ktgs.LoginOK] == 0 {
				t.Errorf("login history outcomes %v", outcomes)
			}
			return nil
		})
		for i := 1; i <= th.FreeAttempts+1; i++ {
			bad(fmt.Sprintf("free attempt %d after success", i), try(authWrong))
		}
		waitErr("throttled again", try(authWrong), "err.auth.throttled", 1)
	})
}

// TestAuthBruteForceCost: an attacker who guesses as soon as the service
// lets them, from a new address each time, needs more than a day of
// virtual time for 100 guesses against one account.
func TestAuthBruteForceCost(t *testing.T) {
	authRun(t, func(t *testing.T, e *authEnv) {
		e.user(t, "vien.xem", authz.RoleViewer, "", []int64{e.r.provA.ID}, 0)
		start := e.clock()
		guesses, refusals := 0, 0
		for guesses < 100 {
			if refusals > 500 {
				t.Fatal("no progress")
			}
			_, err := e.login("vien.xem", authWrong)
			ke := ktgs.AsError(err)
			switch {
			case ke == nil:
				t.Fatalf("guess %d: %v", guesses, err)
			case ke.Message == "err.auth.bad_credentials":
				guesses++
			case ke.Message == "err.auth.throttled":
				refusals++
				e.advance(time.Duration(intArg(t, ke)) * time.Second)
			case ke.Message == "err.auth.locked":
				refusals++
				e.advance(time.Duration(intArg(t, ke)) * time.Minute)
			default:
				t.Fatalf("guess %d: %v", guesses, err)
			}
		}
		elapsed := e.clock().Sub(start)
		// The policy's own arithmetic: 4 free, waits of 1+2+4+8+16+30 s,
		// then one guess per 15-minute lock.
		want := 61*time.Second + 90*15*time.Minute
		t.Logf("100 guesses took %v of virtual time (%d refusals)", elapsed, refusals)
		if elapsed < time.Hour {
			t.Errorf("100 guesses in %v: not measurably slowed", elapsed)
		}
		if elapsed != want {
			t.Errorf("100 guesses took %v, the policy says %v", elapsed, want)
		}
	})
}

// TestAuthBruteForceAddress: failures across many usernames from one
// address throttle that address, and only it.
func TestAuthBruteForceAddress(t *testing.T) {
	authRun(t, func(t *testing.T, e *authEnv) {
		e.user(t, "vien.xem", authz.RoleViewer, "", []int64{e.r.provA.ID}, 0)
		ip := "203.0.113.7"
		from := func(user, password, addr string) error {
			_, err := e.s.Login(anon, app.LoginInput{Username: user, Password: password, IP: addr, UserAgent: authUA})
			return err
		}
		ipt := e.s.Auth.IPThrottle
		for i := 1; i <= ipt.FreeAttempts+1; i++ {
			user := fmt.Sprintf("nguoi.thu.%d", i)
			if i%7 == 0 {
				user = "vien.xem" // a real account, within its own free attempts
			}
			authErr(t, from(user, authWrong, ip), ktgs.EUNAUTHORIZED, "err.auth.bad_credentials")
		}
		authErr(t, from("nguoi.moi", authWrong, ip), ktgs.ETOOMANY, "err.auth.throttled")
		authErr(t, from("vien.xem", authPW, ip), ktgs.ETOOMANY, "err.auth.throttled")
		// Another address is not affected.
		if err := from("vien.xem", authPW, "203.0.113.8"); err != nil {
			t.Fatalf("login from another address: %v", err)
		}
		// The address waits like an account: one more evaluation after
		// the wait, then a longer wait.
		e.advance(time.Second)
		authErr(t, from("nguoi.khac", authWrong, ip), ktgs.EUNAUTHORIZED, "err.auth.bad_credentials")
		ke := authErr(t, from("nguoi.khac", authWrong, ip), ktgs.ETOOMANY, "err.auth.throttled")
		if n := intArg(t, ke); n != 2 {
			t.Errorf("second wait of the address = %d s, want 2", n)
		}
	})
}

// TestAuthBruteForceConcurrent: parallel guesses against one account are
// counted one after the other: at most FreeAttempts+1 are evaluated.
func TestAuthBruteForceConcurrent(t *testing.T) {
	authRun(t, func(t *testing.T, e *authEnv) {
		u := e.user(t, "vien.xem", authz.RoleViewer, "", []int64{e.r.provA.ID}, 0)
		const n = 20
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = e.s.Login(anon, app.LoginInput{Username: "vien.xem", Password: authWrong,
					IP: fmt.Sprintf("198.51.100.%d", i+1), UserAgent: authUA})
			}()
		}
		close(start)
		wg.Wait()
		evaluated, throttled := 0, 0
		for i, err := range errs {
			switch ke := ktgs.AsError(err); {
			case ke != nil && ke.Message == "err.auth.bad_credentials":
				evaluated++
			case ke != nil && ke.Code == ktgs.ETOOMANY:
				throttled++
			default:
				t.Errorf("goroutine %d: %v", i, err)
			}
		}
		free := e.s.Auth.Throttle.FreeAttempts + 1
		t.Logf("%d evaluated, %d throttled", evaluated, throttled)
		if evaluated > free || evaluated+throttled != n {
			t.Fatalf("%d of %d parallel guesses evaluated, want at most %d", evaluated, n, free)
		}
		e.db.View(ctx, func(tx *store.Tx) error {
			m, _ := tx.Throttles(ctx, "user:vien.xem")
			if r := m["user:vien.xem"]; r == nil || r.Failures != evaluated {
				t.Errorf("throttle record %+v, want %d failures", r, evaluated)
			}
			return nil
		})
		if len(e.sessions(t, u.ID)) != 0 {
			t.Error("sessions after wrong passwords")
		}
	})
}

// TestAuthTOTP: enrolment, the second step of sign-in, replay, wrong and
// stale codes, and recovery codes.
func TestAuthTOTP(t *testing.T) {
	authRun(t, func(t *testing.T, e *authEnv) {
		u := e.user(t, "chu.nhiem", authz.RoleChair, "TOI_MAT", []int64{e.r.provA.ID}, 0)
		res := e.mustLogin(t, "chu.nhiem")
		if res.Next != app.NextEnrol {
			t.Fatalf("Next = %q, want enrol", res.Next)
		}
		actx, au := e.actor(t, res.SessionID)
		if au.Actor.TwoFactor {
			t.Fatal("two-factor passed before enrolment")
		}
		en, err := e.s.StartTOTP(actx)
		if err != nil {
			t.Fatal(err)
		}
		if en.Secret == "" || !strings.HasPrefix(en.URI, "otpauth://totp/KTGS:chu.nhiem?") || !strings.Contains(en.QRSVG, "<svg") {
			t.Fatalf("enrolment %+v", en)
		}
		if _, err := e.s.StartTOTP(anon); ktgs.ErrorCode(err) != ktgs.EUNAUTHORIZED {
			t.Errorf("StartTOTP without actor: %v", err)
		}
		_, err = e.s.ConfirmTOTP(actx, res.SessionID, en.Secret, wrongTOTP(t, en.Secret, e.clock()))
		fieldErr(t, err, "code", "err.auth.totp_wrong")
		if _, au := e.actor(t, res.SessionID); au.User.TOTPEnabled || au.Actor.TwoFactor {
			t.Fatal("a wrong confirmation code enabled TOTP")
		}
		code, _ := auth.TOTPCode(en.Secret, e.clock())
		codes, err := e.s.ConfirmTOTP(actx, res.SessionID, en.Secret, code)
		if err != nil {
			t.Fatal(err)
		}
		if len(codes) != 10 || len(slices.Compact(slices.Sorted(slices.Values(codes)))) != 10 {
			t.Fatalf("recovery codes %v, want 10 distinct", codes)
		}
		if _, au := e.actor(t, res.SessionID); !au.User.TOTPEnabled || !au.Actor.TwoFactor {
			t.Fatal("the enrolling session has not passed the second factor")
		}

		// A later sign-in asks for the code.
		e.advance(auth.TOTPPeriod)
		res2 := e.mustLogin(t, "chu.nhiem")
		if res2.Next != app.NextTOTP || res2.Session.MFAPassed {
			t.Fatalf("Next %q, MFAPassed %v; want totp, false", res2.Next, res2.Session.MFAPassed)
		}
		if _, au := e.actor(t, res2.SessionID); au.Actor.TwoFactor {
			t.Fatal("two-factor passed before the code")
		}
		code2, _ := auth.TOTPCode(en.Secret, e.clock())
		if code2 == code {
			t.Skip("two consecutive steps have the same code")
		}
		in := app.LoginInput{IP: e.ip(), UserAgent: authUA}
		if err := e.s.VerifySecondFactor(anon, res2.Session.IDHash, code2, in); err != nil {
			t.Fatalf("current code: %v", err)
		}
		if _, au := e.actor(t, res2.SessionID); !au.Actor.TwoFactor {
			t.Fatal("the second factor did not pass the session")
		}

		// The same code on another session, within its 30 seconds.
		res3 := e.mustLogin(t, "chu.nhiem")
		err = e.s.VerifySecondFactor(anon, res3.Session.IDHash, code2, in)
		fieldErr(t, err, "code", "err.auth.totp_replayed")
		e.advance(10 * time.Second) // still the same step
		err = e.s.VerifySecondFactor(anon, res3.Session.IDHash, " "+code2[:3]+" "+code2[3:], in)
		fieldErr(t, err, "code", "err.auth.totp_replayed")
		err = e.s.VerifySecondFactor(anon, res3.Session.IDHash, wrongTOTP(t, en.Secret, e.clock()), in)
		fieldErr(t, err, "code", "err.auth.totp_wrong")
		old, _ := auth.TOTPCode(en.Secret, e.clock().Add(-2*time.Minute))
		for k := -1; k <= 1; k++ {
			if c, _ := auth.TOTPCode(en.Secret, e.clock().Add(time.Duration(k)*auth.TOTPPeriod)); c == old {
				t.Skip("the code of two minutes ago equals a current one")
			}
		}
		err = e.s.VerifySecondFactor(anon, res3.Session.IDHash, old, in)
		fieldErr(t, err, "code", "err.auth.totp_wrong")
		// Codes are throttled like passwords: after these four failures
		// even a good recovery code must wait.
		authErr(t, e.s.VerifySecondFactor(anon, res3.Session.IDHash, codes[0], in), ktgs.ETOOMANY, "err.auth.throttled")
		if _, au := e.actor(t, res3.SessionID); au.Actor.TwoFactor {
			t.Fatal("refused codes passed the session")
		}

		// A recovery code works once.
		e.advance(2 * time.Second)
		if err := e.s.VerifySecondFactor(anon, res3.Session.IDHash, strings.ToUpper(codes[0]), in); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		if _, au := e.actor(t, res3.SessionID); !au.Actor.TwoFactor {
			t.Fatal("the recovery code did not pass the session")
		}
		res4 := e.mustLogin(t, "chu.nhiem")
		err = e.s.VerifySecondFactor(anon, res4.Session.IDHash, codes[0], in)
		fieldErr(t, err, "code", "err.auth.totp_wrong")
		if err := e.s.VerifySecondFactor(anon, res4.Session.IDHash, codes[1], in); err != nil {
			t.Fatalf("another recovery code: %v", err)
		}
		actx4, _ := e.actor(t, res4.SessionID)
		acc, err := e.s.MyAccount(actx4)
		if err != nil || acc.RecoveryLeft != 8 || acc.User.ID != u.ID {
			t.Fatalf("recovery codes left %d, want 8 (%v)", acc.RecoveryLeft, err)
		}
		// A session that was ended cannot be completed.
		if err := e.s.Logout(anon, res4.SessionID); err != nil {
			t.Fatal(err)
		}
		e.advance(auth.TOTPPeriod)
		code5, _ := auth.TOTPCode(en.Secret, e.clock())
		authErr(t, e.s.VerifySecondFactor(anon, res4.Session.IDHash, code5, in), ktgs.EUNAUTHORIZED, "err.auth.session_expired")
	})
}

// TestAuthTOTPReplayConcurrent: one code presented at once on several
// sessions (several servers) passes exactly one of them.
func TestAuthTOTPReplayConcurrent(t *testing.T) {
	authRun(t, func(t *testing.T, e *authEnv) {
		e.user(t, "chu.nhiem", authz.RoleChair, "TOI_MAT", []int64{e.r.provA.ID}, 0)
		secret, _ := e.enrol(t, e.mustLogin(t, "chu.nhiem"))
		e.advance(auth.TOTPPeriod)
		code, _ := auth.TOTPCode(secret, e.clock())
		const n = 8
		var sessions [n]*app.LoginResult
		for i := range sessions {
			sessions[i] = e.mustLogin(t, "chu.nhiem")
		}
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = e.s.VerifySecondFactor(anon, sessions[i].Session.IDHash, code, app.LoginInput{IP: e.ip(), UserAgent: authUA})
			}()
		}
		close(start)
		wg.Wait()
		passed := 0
		for i, err := range errs {
			ke := ktgs.AsError(err)
			switch {
			case err == nil:
				passed++
			case ke != nil && ke.Code == ktgs.ETOOMANY:
			case ke != nil && ke.Fields["code"].Key == "err.auth.totp_replayed":
			default:
				t.Errorf("session %d: %v", i, err)
			}
			if _, au := e.actor(t, sessions[i].SessionID); au.Actor.TwoFactor != (err == nil) {
				t.Errorf("session %d: passed %v after %v", i, au.Actor.TwoFactor, err)
			}
		}
		if passed != 1 {
			t.Fatalf("one code passed %d sessions, want 1 (%v)", passed, errs)
		}
	})
}

// TestAuthSessions: idle and absolute timeouts, a stolen cookie, logout,
// logout everywhere, new ids at each login, disabled accounts.
func TestAuthSessions(t *testing.T) {
	authRun(t, func(t *testing.T, e *authEnv) {
		u := e.user(t, "vien.xem", authz.RoleViewer, "", []int64{e.r.provA.ID}, 0)
		cfg := e.s.Auth
		expired := func(step, plain string) {
			t.Helper()
			_, err := e.sessionUser(plain)
			authErr(t, err, ktgs.EUNAUTHORIZED, "err.auth.session_expired")
			if e.sessionExists(t, plain) {
				t.Errorf("%s: the session row is still there", step)
			}
		}
		ok := func(step, plain string) {
			t.Helper()
			if _, err := e.sessionUser(plain); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
		}

		// Idle timeout, counted from the last request.
		a := e.mustLogin(t, "vien.xem")
		e.advance(cfg.IdleTimeout - time.Second)
		ok("just before the idle timeout", a.SessionID)
		e.advance(cfg.IdleTimeout + time.Second)
		expired("idle", a.SessionID)
		expired("idle, asked again", a.SessionID)

		// Absolute timeout, whatever the activity.
		b := e.mustLogin(t, "vien.xem")
		if want := e.clock().Add(cfg.AbsoluteTimeout); !b.Session.ExpiresAt.Equal(want) {
			t.Errorf("ExpiresAt %v, want %v", b.Session.ExpiresAt, want)
		}
		end := e.clock().Add(cfg.AbsoluteTimeout)
		for e.clock().Add(10 * time.Minute).Before(end) {
			e.advance(10 * time.Minute)
			ok("active session "+e.clock().Sub(authT0).String(), b.SessionID)
		}
		e.advance(end.Sub(e.clock()))
		expired("absolute", b.SessionID)

		// A cookie presented by another browser is a stolen one.
		c := e.mustLogin(t, "vien.xem")
		ok("same browser", c.SessionID)
		if _, err := e.s.SessionUser(anon, c.SessionID, "10.200.0.1", "curl/8.5.0"); ktgs.AsError(err) == nil || ktgs.AsError(err).Message != "err.auth.session_expired" {
			t.Fatalf("other browser: %v", err)
		}
		expired("original browser after theft", c.SessionID)

		// Each login has its own id; logout ends one, logout everywhere all.
		d1, d2 := e.mustLogin(t, "vien.xem"), e.mustLogin(t, "vien.xem")
		if d1.SessionID == d2.SessionID || d1.Session.IDHash == d2.Session.IDHash {
			t.Fatal("two logins share a session id")
		}
		ok("first of two", d1.SessionID)
		ok("second of two", d2.SessionID)
		if err := e.s.Logout(anon, d1.SessionID); err != nil {
			t.Fatal(err)
		}
		expired("logged out", d1.SessionID)
		ok("other session after logout", d2.SessionID)
		d3 := e.mustLogin(t, "vien.xem")
		n, err := e.s.LogoutEverywhere(app.WithActor(anon, &authz.Actor{UserID: u.ID, Name: u.Username}), u.ID)
		if err != nil || n != 2 {
			t.Fatalf("LogoutEverywhere = %d, %v; want 2", n, err)
		}
		expired("after logout everywhere", d2.SessionID)
		expired("after logout everywhere", d3.SessionID)

		// Disabling an account ends its sessions and its sign-in.
		f := e.mustLogin(t, "vien.xem")
		if _, err := e.s.UpdateUser(ctx, u.ID, app.UserInput{DisplayName: u.DisplayName, Role: u.Role, Scope: u.Scope, Disabled: true}); err != nil {
			t.Fatal(err)
		}
		if s := e.sessions(t, u.ID); len(s) != 0 {
			t.Errorf("disabled account has %d sessions", len(s))
		}
		expired("disabled", f.SessionID)
		authErr(t, func() error { _, err := e.login("vien.xem", authPW); return err }(), ktgs.EUNAUTHORIZED, "err.auth.bad_credentials")

		// ExpireSessions sweeps what is past its end.
		if _, err := e.s.UpdateUser(ctx, u.ID, app.UserInput{DisplayName: u.DisplayName, Role: u.Role, Scope: u.Scope}); err != nil {
			t.Fatal(err)
		}
		g1, g2 := e.mustLogin(t, "vien.xem"), e.mustLogin(t, "vien.xem")
		e.advance(cfg.IdleTimeout / 2)
		g3 := e.mustLogin(t, "vien.xem")
		e.advance(cfg.IdleTimeout/2 + time.Second)
		if n, err := e.s.ExpireSessions(ctx); err != nil || n != 2 {
			t.Errorf("ExpireSessions = %d, %v; want 2", n, err)
		}
		if e.sessionExists(t, g1.SessionID) || e.sessionExists(t, g2.SessionID) || !e.sessionExists(t, g3.SessionID) {
			t.Error("ExpireSessions removed the wrong sessions")
		}
		// No cookie at all.
		authErr(t, func() error { _, err := e.sessionUser(""); return err }(), ktgs.EUNAUTHORIZED, "err.unauthorized")
		authErr(t, func() error { _, err := e.sessionUser("made-up"); return err }(), ktgs.EUNAUTHORIZED, "err.auth.session_expired")
	})
}

// TestAuthAPITokens: a token is no wider than its user, carries its own
// role and scope, expires, can be revoked and is stored only as a hash.
func TestAuthAPITokens(t *testing.T) {
	authRun(t, func(t *testing.T, e *authEnv) {
		admin := e.user(t, "quan.tri", authz.RoleAdmin, "", []int64{e.r.provA.ID}, 0)
		res := e.mustLogin(t, "quan.tri")
		actx, _ := e.actor(t, res.SessionID)
		in := app.TokenInput{Name: "Đồng bộ báo cáo", Role: authz.RoleAuditor, Scope: []int64{e.r.dist.ID}, Days: 1}

		for _, tc := range []struct {
			name       string
			edit       func(*app.TokenInput)
			field, key string
		}{
			{"wider role", func(in *app.TokenInput) { in.Role = authz.RoleChair }, "role", "err.auth.token_role"},
			{"unknown role", func(in *app.TokenInput) { in.Role = "ROOT" }, "role", "err.auth.role"},
			{"scope outside the user's", func(in *app.TokenInput) { in.Scope = []int64{e.r.provB.ID} }, "scope", "err.auth.scope_outside"},
			{"scope above the user's", func(in *app.TokenInput) { in.Scope = []int64{e.r.root.ID} }, "scope", "err.auth.scope_outside"},
			{"no such org", func(in *app.TokenInput) { in.Scope = []int64{99999999} }, "scope", "err.auth.scope_outside"},
			{"no name", func(in *app.TokenInput) { in.Name = " " }, "name", "err.required"},
			{"too long", func(in *app.TokenInput) { in.Days = 366 }, "days", "err.range"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				bad := in
				tc.edit(&bad)
				_, plain, err := e.s.CreateToken(actx, bad)
				fieldErr(t, err, tc.field, tc.key)
				if plain != "" {
					t.Error("a refused token was returned")
				}
			})
		}
		if _, _, err := e.s.CreateToken(anon, in); ktgs.ErrorCode(err) != ktgs.EUNAUTHORIZED {
			t.Errorf("CreateToken without actor: %v", err)
		}

		tok, plain, err := e.s.CreateToken(actx, in)
		if err != nil {
			t.Fatal(err)
		}
		au, err := e.s.TokenUser(anon, plain)
		if err != nil {
			t.Fatal(err)
		}
		if a := au.Actor; a.Role != authz.RoleAuditor || !slices.Equal(a.Scope, []int64{e.r.dist.ID}) || a.UserID != admin.ID || a.Name != "quan.tri" || au.Session != nil || au.Token.ID != tok.ID {
			t.Fatalf("token actor %+v", a)
		}
		// The token acts with its own role and scope, not the user's.
		tctx := app.WithActor(anon, au.Actor)
		e.db.View(ctx, func(tx *store.Tx) error {
			for _, tc := range []struct {
				act  authz.Action
				org  int64
				code string
			}{
				{authz.OrgRead, e.r.c1.ID, ""},
				{authz.AuditRead, e.r.c1.ID, ""},
				{authz.OrgRead, e.r.agency.ID, ktgs.ENOTFOUND}, // in the user's scope, not the token's
				{authz.UserAdmin, e.r.c1.ID, ktgs.EFORBIDDEN},  // the user's role, not the token's
			} {
				obj, err := e.s.OrgObject(ctx, tx, tc.org)
				if err != nil {
					t.Fatal(err)
				}
				if got := ktgs.ErrorCode(e.s.Authorize(tctx, tc.act, obj)); got != tc.code {
					t.Errorf("token %s on %d: %q, want %q", tc.act, tc.org, got, tc.code)
				}
			}
			// Only the hash is stored.
			list, err := tx.APITokens(ctx, admin.ID)
			if err != nil || len(list) != 1 {
				t.Fatalf("tokens %v %v", list, err)
			}
			if !strings.HasPrefix(plain, "ktgs_") || list[0].Hash == plain || list[0].Hash != auth.HashToken(plain) {
				t.Errorf("stored token_hash %q for token %q", list[0].Hash, plain)
			}
			if _, err := tx.APITokenByHash(ctx, plain); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
				t.Errorf("the plain token is a stored hash: %v", err)
			}
			return nil
		})

		// Expiry.
		e.advance(24*time.Hour - time.Second)
		if _, err := e.s.TokenUser(anon, plain); err != nil {
			t.Fatalf("token a second before expiry: %v", err)
		}
		e.advance(time.Second)
		authErr(t, func() error { _, err := e.s.TokenUser(anon, plain); return err }(), ktgs.EUNAUTHORIZED, "err.auth.token_invalid")

		// Revocation, only by its owner.
		in.Days = 30
		tok2, plain2, err := e.s.CreateToken(actx, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.TokenUser(anon, plain2); err != nil {
			t.Fatal(err)
		}
		other := e.user(t, "nguoi.khac", authz.RoleViewer, "", []int64{e.r.provA.ID}, 0)
		if err := e.s.RevokeToken(app.WithActor(anon, &authz.Actor{UserID: other.ID, Name: other.Username}), tok2.ID); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
			t.Errorf("another user revoked the token: %v", err)
		}
		if err := e.s.RevokeToken(actx, tok2.ID); err != nil {
			t.Fatal(err)
		}
		authErr(t, func() error { _, err := e.s.TokenUser(anon, plain2); return err }(), ktgs.EUNAUTHORIZED, "err.auth.token_invalid")

		// A disabled user's tokens stop working; garbage never works.
		_, plain3, err := e.s.CreateToken(actx, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.UpdateUser(ctx, admin.ID, app.UserInput{DisplayName: admin.DisplayName, Role: admin.Role, Scope: admin.Scope, Disabled: true}); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{plain3, "ktgs_garbage", ""} {
			authErr(t, func() error { _, err := e.s.TokenUser(anon, p); return err }(), ktgs.EUNAUTHORIZED, "err.auth.token_invalid")
		}
	})
}

// TestAuthSetupLinks: the first administrator gets a one-time link and no
// password; links expire and work once; production refuses demo accounts.
func TestAuthSetupLinks(t *testing.T) {
	authRun(t, func(t *testing.T, e *authEnv) {
		link, err := e.s.FirstStart(ctx)
		if err != nil || link == "" {
			t.Fatalf("FirstStart on an empty database: %q, %v", link, err)
		}
		again, err := e.s.FirstStart(ctx)
		if err != nil || again == "" || again == link {
			t.Fatalf("second FirstStart before setup: %q, %v; want a fresh link", again, err)
		}
		// Only the newest link works: the first one was voided.
		if _, err := e.s.SetupUser(anon, link); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
			t.Errorf("SetupUser of a superseded link: %v, want not found", err)
		}
		link = again
		admin, err := e.s.SetupUser(anon, link)
		if err != nil || admin.Username != app.FirstAdmin || admin.Role != authz.RoleAdmin || admin.PasswordHash != "" {
			t.Fatalf("SetupUser = %+v, %v", admin, err)
		}
		if !slices.Equal(admin.Scope, []int64{e.r.root.ID}) {
			t.Errorf("first administrator's scope %v, want the root", admin.Scope)
		}
		// There is no default password.
		for _, pw := range []string{"", "admin", "password", app.DemoPassword} {
			authErr(t, func() error { _, err := e.login(app.FirstAdmin, pw); return err }(), ktgs.EUNAUTHORIZED, "err.auth.bad_credentials")
		}
		e.advance(time.Minute) // past the throttle those four failures started
		seq, _ := e.auditHead(t)
		if _, err := e.s.CompleteSetup(anon, link, authPW, authPW); err != nil {
			t.Fatalf("CompleteSetup: %v", err)
		}
		if ents := e.auditAfter(t, seq); len(ents) != 1 || ents[0].Action != "user.setup" || ents[0].Actor != app.FirstAdmin || ents[0].ActorID != admin.ID {
			t.Errorf("setup audit entries %+v", ents)
		}
		res, err := e.login(app.FirstAdmin, authPW)
		if err != nil || res.Next != app.NextEnrol {
			t.Fatalf("admin login after setup: %v (Next %q)", err, res.Next)
		}
		// A link works once.
		_, err = e.s.CompleteSetup(anon, link, authPW+"-2", authPW+"-2")
		authErr(t, err, ktgs.ENOTFOUND, "err.auth.setup_invalid")
		if _, err := e.s.SetupUser(anon, link); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
			t.Errorf("SetupUser of a used link: %v", err)
		}
		if l, err := e.s.FirstStart(ctx); err != nil || l != "" {
			t.Errorf("FirstStart after setup: %q, %v; want none", l, err)
		}

		// Expiry.
		l2, err := e.s.IssueSetupLink(ctx, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.advance(e.s.Auth.SetupLinkAge - time.Second)
		if _, err := e.s.SetupUser(anon, l2); err != nil {
			t.Fatalf("link a second before expiry: %v", err)
		}
		e.advance(time.Second)
		if _, err := e.s.SetupUser(anon, l2); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
			t.Errorf("SetupUser of an expired link: %v", err)
		}
		_, err = e.s.CompleteSetup(anon, l2, authPW+"-3", authPW+"-3")
		authErr(t, err, ktgs.ENOTFOUND, "err.auth.setup_invalid")
		_, err = e.s.CompleteSetup(anon, "made-up", authPW, authPW)
		authErr(t, err, ktgs.ENOTFOUND, "err.auth.setup_invalid")
		if _, err := e.login(app.FirstAdmin, authPW); err != nil {
			t.Errorf("refused links changed the password: %v", err)
		}

		// Production refuses to run while demo accounts exist.
		if err := e.s.CheckProduction(ctx); err != nil {
			t.Fatalf("CheckProduction without demo accounts: %v", err)
		}
		e.demoOrgs(t)
		if err := e.s.CreateDemoAccounts(ctx); err != nil {
			t.Fatal(err)
		}
		ke := authErr(t, e.s.CheckProduction(ctx), ktgs.EFORBIDDEN, "err.auth.demo_in_production")
		if n := intArg(t, ke); n != len(app.DemoAccounts) {
			t.Errorf("CheckProduction counts %d demo accounts, want %d", n, len(app.DemoAccounts))
		}
	})
}

// TestAuthAuditTrail: the use cases record who did what, with before and
// after but never a secret, on a chain that verifies; a refused change
// records nothing.
func TestAuthAuditTrail(t *testing.T) {
	authRun(t, func(t *testing.T, e *authEnv) {
		type step struct {
			name    string
			actions []string
			actor   string
			run     func() error
		}
		var (
			actx                 context.Context
			adminRes, viewerRes  *app.LoginResult
			viewer               *ktgs.User
			admin                *ktgs.User
			secrets              []string
			tokenPlain, totpCode string
		)
		check := func(st step) {
			t.Helper()
			seq, _ := e.auditHead(t)
			if err := st.run(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			ents := e.auditAfter(t, seq)
			var got []string
			for _, en := range ents {
				got = append(got, en.Action)
				if en.Actor != st.actor {
					t.Errorf("%s: %s by %q, want %q", st.name, en.Action, en.Actor, st.actor)
				}
				wantID := int64(0)
				if st.actor != app.SystemActor {
					wantID = admin.ID
				}
				if en.ActorID != wantID {
					t.Errorf("%s: %s actor id %d, want %d", st.name, en.Action, en.ActorID, wantID)
				}
				if !en.At.Equal(e.clock().Truncate(time.Microsecond)) {
					t.Errorf("%s: entry at %v, want %v", st.name, en.At, e.clock())
				}
			}
			if !slices.Equal(got, st.actions) {
				t.Errorf("%s: entries %v, want %v", st.name, got, st.actions)
			}
		}
		check(step{"system creates the administrator", []string{"user.create"}, app.SystemActor, func() error {
			admin = e.user(t, "quan.tri", authz.RoleAdmin, "", []int64{e.r.provA.ID}, 0)
			return nil
		}})
		adminRes = e.mustLogin(t, "quan.tri")
		actx, _ = e.actor(t, adminRes.SessionID)
		var secret string
		check(step{"ConfirmTOTP", []string{"user.totp_enrol"}, "quan.tri", func() error {
			en, err := e.s.StartTOTP(actx)
			if err != nil {
				return err
			}
			secret = en.Secret
			totpCode, _ = auth.TOTPCode(secret, e.clock())
			codes, err := e.s.ConfirmTOTP(actx, adminRes.SessionID, secret, totpCode)
			secrets = append(secrets, codes...)
			return err
		}})
		actx, _ = e.actor(t, adminRes.SessionID)
		e.advance(time.Minute)
		check(step{"CreateUser", []string{"user.create"}, "quan.tri", func() error {
			var err error
			viewer, _, err = e.s.CreateUser(actx, app.UserInput{Username: "vien.xem", DisplayName: "Người xem", Role: authz.RoleViewer,
				Scope: []int64{e.r.dist.ID}, Password: authPW})
			return err
		}})
		check(step{"UpdateUser", []string{"user.update"}, "quan.tri", func() error {
			_, err := e.s.UpdateUser(actx, viewer.ID, app.UserInput{DisplayName: "Người xem huyện", Role: authz.RoleViewer,
				Clearance: "MAT", Scope: []int64{e.r.dist.ID}})
			return err
		}})
		check(step{"CreateOrg", []string{"org.create"}, "quan.tri", func() error {
			_, err := e.s.CreateOrg(actx, app.OrgInput{Code: "HNA-SXD", Type: ktgs.OrgTypeGrassrootsBranch, Name: "Chi bộ Sở Xây dựng",
				ParentCode: "HNA", ValidFrom: d("2010-01-01")})
			return err
		}})
		check(step{"Transfer", []string{"member.transfer"}, "quan.tri", func() error {
			return e.s.Transfer(actx, e.r.mx.ID, e.r.y.ID, d("2020-01-01"), "chuyển sinh hoạt")
		}})
		check(step{"CreateToken", []string{"token.create"}, "quan.tri", func() error {
			tok, plain, err := e.s.CreateToken(actx, app.TokenInput{Name: "Báo cáo", Role: authz.RoleViewer, Days: 30})
			if err == nil {
				tokenPlain = plain
				secrets = append(secrets, plain, tok.Hash)
			}
			return err
		}})
		viewerRes = e.mustLogin(t, "vien.xem")
		viewer2 := e.mustLogin(t, "vien.xem")
		secrets = append(secrets, viewerRes.SessionID, viewerRes.Session.IDHash, viewer2.SessionID, adminRes.SessionID)
		check(step{"RevokeSessions", []string{"session.revoke_all"}, "quan.tri", func() error {
			n, err := e.s.RevokeSessions(actx, viewer.ID)
			if err == nil && n != 2 {
				return fmt.Errorf("revoked %d sessions, want 2", n)
			}
			return err
		}})
		check(step{"system update", []string{"user.update"}, app.SystemActor, func() error {
			_, err := e.s.UpdateUser(ctx, viewer.ID, app.UserInput{DisplayName: "Người xem", Role: authz.RoleViewer, Scope: []int64{e.r.dist.ID}})
			return err
		}})

		// The details: before and after of the update, the org, the
		// member's move.
		all := e.auditAfter(t, 0)
		byAction := map[string][]audit.Entry{}
		for _, en := range all {
			byAction[en.Action] = append(byAction[en.Action], en)
		}
		upd := byAction["user.update"][0]
		if !strings.Contains(string(upd.Before), `"display_name":"Người xem"`) || !strings.Contains(string(upd.After), `"display_name":"Người xem huyện"`) ||
			!strings.Contains(string(upd.After), `"clearance":"MAT"`) || upd.ObjectType != "user" || upd.ObjectID != fmt.Sprint(viewer.ID) {
			t.Errorf("user.update entry %+v\nbefore %s\nafter %s", upd, upd.Before, upd.After)
		}
		mv := byAction["member.transfer"][0]
		if mv.ObjectID != fmt.Sprint(e.r.mx.ID) || len(mv.Before) == 0 || len(mv.After) == 0 || string(mv.Before) == string(mv.After) {
			t.Errorf("member.transfer entry %+v", mv)
		}
		if tc := byAction["token.create"][0]; !strings.Contains(string(tc.After), `"role":"VIEWER"`) {
			t.Errorf("token.create after %s", tc.After)
		}
		if rv := byAction["session.revoke_all"][0]; string(rv.After) != `{"sessions":2}` || rv.ObjectID != fmt.Sprint(viewer.ID) {
			t.Errorf("session.revoke_all entry %+v after %s", rv, rv.After)
		}

		// Never a secret.
		e.db.View(ctx, func(tx *store.Tx) error {
			users, _ := tx.Users(ctx)
			for _, u := range users {
				if u.PasswordHash != "" {
					secrets = append(secrets, u.PasswordHash)
				}
				if u.TOTPSecret != "" {
					secrets = append(secrets, u.TOTPSecret)
				}
			}
			return nil
		})
		secrets = append(secrets, secret, authPW, "$argon2id$", tokenPlain)
		for _, en := range all {
			text := string(en.Before) + string(en.After) + en.Reason + en.ObjectID
			for _, s := range secrets {
				if s != "" && strings.Contains(text, s) {
					t.Errorf("entry %d (%s) contains a secret %.12q…", en.Seq, en.Action, s)
				}
			}
		}

		res, err := e.s.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		headSeq, headHash := e.auditHead(t)
		if res.Broken != nil || res.Entries != int64(len(all)) || res.HeadSeq != headSeq || res.RecordedSeq != headSeq ||
			res.HeadHash != headHash || res.RecordedHash != headHash || res.Entries == 0 {
			t.Errorf("VerifyAudit = %+v, want intact with %d entries", res, len(all))
		}

		// A refused or failed change records nothing.
		outside := e.user(t, "ngoai.tinh", authz.RoleViewer, "", []int64{e.r.provB.ID}, 0)
		e.mustLogin(t, "ngoai.tinh")
		for _, tc := range []struct {
			name string
			run  func() error
		}{
			{"taken username", func() error {
				_, _, err := e.s.CreateUser(actx, app.UserInput{Username: "vien.xem", DisplayName: "X", Role: authz.RoleViewer, Scope: []int64{e.r.dist.ID}})
				return err
			}},
			{"self demotion", func() error {
				_, err := e.s.UpdateUser(actx, admin.ID, app.UserInput{DisplayName: "Y", Role: authz.RoleViewer, Scope: admin.Scope})
				return err
			}},
			{"scope outside the administrator's", func() error {
				_, _, err := e.s.CreateUser(actx, app.UserInput{Username: "ngoai.pham.vi", DisplayName: "Z", Role: authz.RoleViewer, Scope: []int64{e.r.provB.ID}})
				return err
			}},
			{"wider token", func() error {
				_, _, err := e.s.CreateToken(actx, app.TokenInput{Name: "x", Role: authz.RoleChair, Days: 1})
				return err
			}},
			{"transfer to the same branch", func() error { return e.s.Transfer(actx, e.r.mx.ID, e.r.y.ID, d("2021-01-01"), "") }},
			{"org outside scope", func() error {
				_, err := e.s.CreateOrg(actx, app.OrgInput{Code: "NDI-X", Type: ktgs.OrgTypeGrassrootsBranch, Name: "Chi bộ X", ParentCode: "NDI", ValidFrom: d("2010-01-01")})
				return err
			}},
			{"confirm TOTP with a wrong code", func() error {
				_, err := e.s.ConfirmTOTP(actx, adminRes.SessionID, secret, wrongTOTP(t, secret, e.clock()))
				return err
			}},
			{"revoke sessions of an account outside scope", func() error {
				_, err := e.s.RevokeSessions(actx, outside.ID)
				return err
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				seq, hash := e.auditHead(t)
				if err := tc.run(); err == nil {
					t.Fatal("the change was not refused")
				}
				if s, h := e.auditHead(t); s != seq || h != hash {
					t.Errorf("a refused change moved the audit head from %d to %d", seq, s)
				}
				if ents := e.auditAfter(t, seq); len(ents) != 0 {
					t.Errorf("a refused change left entries %+v", ents)
				}
			})
		}
	})
}

// rawDB opens a second database/sql handle on the database of e, outside
// the store, as an owner of the schema would.
func rawDB(t *testing.T, e *authEnv) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if e.eng == store.Postgres {
		db, err = sql.Open("pgx", e.url)
	} else {
		db, err = sql.Open("sqlite", "file:"+e.url+"?_pragma=busy_timeout(10000)")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestAuditVerifyTamper: app.VerifyAudit names the first broken link of
// an edited trail and notices entries removed from its end (the owner of
// the schema can drop the append-only triggers; the check does not rely on
// them).
func TestAuditVerifyTamper(t *testing.T) {
	authRun(t, func(t *testing.T, e *authEnv) {
		for i := range 5 {
			if _, err := e.s.CreateOrg(ctx, app.OrgInput{Code: fmt.Sprintf("HNA-CB%d", i), Type: ktgs.OrgTypeGrassrootsBranch,
				Name: fmt.Sprintf("Chi bộ số %d", i), ParentCode: "HNA", ValidFrom: d("2010-01-01")}); err != nil {
				t.Fatal(err)
			}
		}
		res, err := e.s.VerifyAudit(ctx)
		if err != nil || res.Broken != nil || res.Entries < 10 {
			t.Fatalf("VerifyAudit before tampering: %+v, %v", res, err)
		}
		n := res.Entries
		raw := rawDB(t, e)
		drop := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
		if e.eng == store.Postgres {
			drop = []string{"DROP TRIGGER audit_log_no_update ON audit_log"}
		}
		for _, q := range drop {
			if _, err := raw.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		// Remove the last entry: every remaining link holds, but the
		// chain no longer reaches the recorded head.
		if _, err := raw.Exec("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)"); err != nil {
			t.Fatal(err)
		}
		res, err = e.s.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Broken == nil || res.Broken.Reason != "head_mismatch" || res.HeadSeq != n-1 || res.RecordedSeq != n || res.Broken.Seq != n {
			t.Fatalf("after removing the last entry: %+v (broken %+v)", res, res.Broken)
		}
		// Edit an entry in the middle: the first broken link is named.
		if _, err := raw.Exec("UPDATE audit_log SET actor = 'quan.tri' WHERE seq = 4"); err != nil {
			t.Fatal(err)
		}
		res, err = e.s.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Broken == nil || res.Broken.Seq != 4 || res.Broken.Reason != audit.ReasonContentHash || res.Entries != 3 {
			t.Fatalf("after editing entry 4: %+v (broken %+v)", res, res.Broken)
		}
	})
}

// TestAuditWriteFailureRollsBack: a change whose audit entry cannot be
// written does not happen: the entry and the change share a transaction.
func TestAuditWriteFailureRollsBack(t *testing.T) {
	authRun(t, func(t *testing.T, e *authEnv) {
		raw := rawDB(t, e)
		seq, hash := e.auditHead(t)
		users := e.userCount(t)
		// Without its head row the trail cannot be appended to.
		if _, err := raw.Exec("DELETE FROM audit_head"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.s.CreateUser(ctx, app.UserInput{Username: "vien.xem", DisplayName: "Người xem", Role: authz.RoleViewer,
			Scope: []int64{e.r.provA.ID}, Password: authPW}); err == nil {
			t.Fatal("CreateUser succeeded without an audit entry")
		}
		if _, err := e.s.CreateOrg(ctx, app.OrgInput{Code: "HNA-SXD", Type: ktgs.OrgTypeGrassrootsBranch, Name: "Chi bộ Sở Xây dựng",
			ParentCode: "HNA", ValidFrom: d("2010-01-01")}); err == nil {
			t.Fatal("CreateOrg succeeded without an audit entry")
		}
		if err := e.s.Transfer(ctx, e.r.mx.ID, e.r.y.ID, d("2020-01-01"), ""); err == nil {
			t.Fatal("Transfer succeeded without an audit entry")
		}
		if n := e.userCount(t); n != users {
			t.Errorf("%d users, want %d: the account was created without its entry", n, users)
		}
		e.db.View(ctx, func(tx *store.Tx) error {
			if _, err := tx.OrgIDByCode(ctx, "HNA-SXD"); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
				t.Errorf("the organisation was created without its entry: %v", err)
			}
			if m, err := tx.Member(ctx, e.r.mx.ID, d("2020-06-01")); err != nil || m.HomeOrgID != e.r.x.ID {
				t.Errorf("the member moved without an entry: %+v %v", m, err)
			}
			return nil
		})
		// Put the head back: the same change now goes through, on an
		// unbroken chain.
		if _, err := raw.Exec(fmt.Sprintf("INSERT INTO audit_head (id, seq, hash) VALUES (1, %d, '%s')", seq, hash)); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.s.CreateUser(ctx, app.UserInput{Username: "vien.xem", DisplayName: "Người xem", Role: authz.RoleViewer,
			Scope: []int64{e.r.provA.ID}, Password: authPW}); err != nil {
			t.Fatal(err)
		}
		if res, err := e.s.VerifyAudit(ctx); err != nil || res.Broken != nil || res.Entries != seq+1 {
			t.Fatalf("VerifyAudit = %+v, %v", res, err)
		}
	})
}

// TestProtectedRead: a protected field is revealed only to the handling
// team with the second factor and the clearance, never to the accused,
// with a stated reason, and the read is recorded without the value.
func TestProtectedRead(t *testing.T) {
	authRun(t, func(t *testing.T, e *authEnv) {
		insp := e.user(t, "can.bo.kt", authz.RoleInspector, "MAT", []int64{e.r.provA.ID}, e.r.mx.ID)
		other := e.user(t, "kt.vien.hai", authz.RoleInspector, "TOI_MAT", []int64{e.r.provA.ID}, 0)
		actx, _, _ := e.signIn2FA(t, "can.bo.kt")
		noMFA, _ := e.actor(t, e.mustLogin(t, "kt.vien.hai").SessionID)

		var inScope, outScope *authz.Object
		e.db.View(ctx, func(tx *store.Tx) error {
			var err error
			if inScope, err = e.s.OrgObject(ctx, tx, e.r.y.ID); err != nil {
				t.Fatal(err)
			}
			if outScope, err = e.s.OrgObject(ctx, tx, e.r.provB.ID); err != nil {
				t.Fatal(err)
			}
			return nil
		})
		obj := func(base *authz.Object, mark authz.Mark, team, accused []int64) *authz.Object {
			o := *base
			o.Mark, o.Team, o.Accused = mark, team, accused
			return &o
		}
		field := app.ProtectedField{ObjectType: "petition", ObjectID: 77, OrgID: e.r.y.ID, Field: "denouncer"}
		const value = "Nguyễn Thị Tố Giác, thôn Tân Lang"
		const reason = "Xác minh nội dung đơn tố cáo số 12/2026"
		calls := 0
		read := func(tx *store.Tx) (string, error) { calls++; return value, nil }

		seq, _ := e.auditHead(t)
		got, err := e.s.ReadProtected(actx, obj(inScope, authz.Secret, []int64{insp.ID}, []int64{e.r.my.ID}), field, reason, read)
		if err != nil || got != value || calls != 1 {
			t.Fatalf("ReadProtected = %q, %v (%d reads)", got, err, calls)
		}
		ents := e.auditAfter(t, seq)
		if len(ents) != 1 {
			t.Fatalf("%d entries for one read, want 1", len(ents))
		}
		en := ents[0]
		if en.Action != "petition.read_protected" || en.ObjectType != "petition" || en.ObjectID != "77" || en.OrgID != e.r.y.ID ||
			en.Reason != reason || en.Actor != "can.bo.kt" || en.ActorID != insp.ID || !strings.Contains(string(en.After), `"denouncer"`) {
			t.Errorf("entry %+v after %s", en, en.After)
		}
		if strings.Contains(string(en.Before)+string(en.After)+en.Reason, "Tố Giác") {
			t.Error("the audit entry contains the protected value")
		}

		for _, tc := range []struct {
			name   string
			ctx    context.Context
			obj    *authz.Object
			reason string
			code   string
			key    string // message key, or field key for EINVALID
		}{
			{"no reason", actx, obj(inScope, authz.Secret, []int64{insp.ID}, nil), "", ktgs.EINVALID, "err.protected_reason"},
			{"short reason", actx, obj(inScope, authz.Secret, []int64{insp.ID}, nil), "xem thử", ktgs.EINVALID, "err.protected_reason"},
			{"reason padded with spaces", actx, obj(inScope, authz.Secret, []int64{insp.ID}, nil), "   kiểm tra       ", ktgs.EINVALID, "err.protected_reason"},
			{"not on the team", actx, obj(inScope, authz.Normal, []int64{other.ID}, nil), reason, ktgs.EFORBIDDEN, authz.ReasonTeam},
			{"the accused, on the team", actx, obj(inScope, authz.Normal, []int64{insp.ID}, []int64{e.r.mx.ID}), reason, ktgs.EFORBIDDEN, authz.ReasonAccused},
			{"clearance below the mark", actx, obj(inScope, authz.TopSecret, []int64{insp.ID}, nil), reason, ktgs.EFORBIDDEN, authz.ReasonClearance},
			{"outside scope", actx, obj(outScope, authz.Normal, []int64{insp.ID}, nil), reason, ktgs.ENOTFOUND, "err.not_found"},
			{"without the second factor", noMFA, obj(inScope, authz.Normal, []int64{other.ID}, nil), reason, ktgs.EFORBIDDEN, authz.ReasonTwoFactor},
			{"signed out", anon, obj(inScope, authz.Normal, []int64{insp.ID}, nil), reason, ktgs.EUNAUTHORIZED, "err.unauthorized"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				seq, hash := e.auditHead(t)
				calls = 0
				v, err := e.s.ReadProtected(tc.ctx, tc.obj, field, tc.reason, read)
				if tc.code == ktgs.EINVALID {
					fieldErr(t, err, "reason", tc.key)
				} else {
					authErr(t, err, tc.code, tc.key)
				}
				if v != "" || calls != 0 {
					t.Errorf("refused read returned %q after %d reads", v, calls)
				}
				if s, h := e.auditHead(t); s != seq || h != hash {
					t.Error("a refused read was recorded")
				}
			})
		}

		// A read that fails records nothing.
		seq, hash := e.auditHead(t)
		_, err = e.s.ReadProtected(actx, obj(inScope, authz.Secret, []int64{insp.ID}, nil), field, reason,
			func(tx *store.Tx) (string, error) { return "", errors.New("disk on fire") })
		if err == nil {
			t.Fatal("a failed read succeeded")
		}
		if s, h := e.auditHead(t); s != seq || h != hash {
			t.Error("a failed read was recorded")
		}
	})
}
