package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
)

// form is the data of a form page: the submitted values (never passwords)
// and the field errors, translated.
type form struct {
	Q       map[string]string
	Fields  map[string]string
	Message string // an error about the whole form
	Notice  string // a success message
	Extra   any    // page-specific data
}

func (f *form) value(name string) string      { return f.Q[name] }
func (f *form) fieldError(name string) string { return f.Fields[name] }

// readForm parses a POSTed form (at most 64 KiB).
func readForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return ktgs.Invalid("form", "err.bad_request")
	}
	return nil
}

// formError fills f from err: field errors go next to their fields; any
// other error that is the user's (invalid, unauthorised, throttled) goes
// on top. Other errors are returned.
func (s *Server) formError(r *http.Request, f *form, err error) error {
	e := ktgs.AsError(err)
	if e == nil {
		return err
	}
	lang := langOf(r.Context())
	switch e.Code {
	case ktgs.EINVALID:
		if f.Fields == nil {
			f.Fields = map[string]string{}
		}
		for k, fe := range e.Fields {
			msg := s.I18n.T(lang, fe.Key, fe.Args...)
			if fe.Rule != "" {
				msg += " (" + fe.Rule + ")"
			}
			f.Fields[k] = msg
		}
		if len(e.Fields) == 0 {
			f.Message = s.I18n.T(lang, e.Message, e.Args...)
		}
		return nil
	case ktgs.EUNAUTHORIZED, ktgs.ETOOMANY, ktgs.EFORBIDDEN:
		f.Message = s.I18n.T(lang, e.Message, e.Args...)
		return nil
	}
	return err
}

// formStatus is the status of a form page shown again with errors.
func formStatus(err error) int {
	if s, ok := statusOf[ktgs.ErrorCode(err)]; ok && err != nil {
		return s
	}
	return http.StatusOK
}

// localNext returns next if it is a local path (no open redirect), else /.
func localNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.HasPrefix(next, "/login") || strings.HasPrefix(next, "/logout") {
		return "/"
	}
	return next
}

type loginExtra struct {
	Demo     []app.DemoAccount
	Password string
	Expired  bool
}

func (s *Server) loginPage(r *http.Request, f *form) *Page {
	p := s.page(r, "auth.login")
	f.Extra = loginExtra{Expired: r.URL.Query().Get("expired") == "1"}
	if s.Demo {
		f.Extra = loginExtra{Demo: app.DemoAccounts, Password: app.DemoPassword, Expired: r.URL.Query().Get("expired") == "1"}
	}
	p.Data = f
	return p
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) error {
	if au := authOf(r.Context()); au != nil && au.Session != nil && au.Session.MFAPassed {
		http.Redirect(w, r, localNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	f := &form{Q: map[string]string{"next": r.URL.Query().Get("next")}}
	s.render(w, r, http.StatusOK, "login", s.loginPage(r, f))
	return nil
}

// handleLogin checks the password and opens a session with a new id; the
// old session, if any, ends (no session fixation).
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{"username": r.PostFormValue("username"), "next": r.PostFormValue("next")}}
	if old := s.sessionCookie(r); old != "" {
		s.App.Logout(r.Context(), old)
	}
	ip := s.clientIP(r)
	res, err := s.App.Login(r.Context(), app.LoginInput{Username: r.PostFormValue("username"), Password: r.PostFormValue("password"),
		IP: ip, UserAgent: r.UserAgent()})
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		if ktgs.ErrorCode(err) == ktgs.ETOOMANY {
			w.Header().Set("Retry-After", retryAfter(err))
		}
		s.render(w, r, formStatus(err), "login", s.loginPage(r, f))
		return nil
	}
	s.setSession(w, r, res.SessionID)
	next := localNext(f.Q["next"])
	switch res.Next {
	case app.NextTOTP:
		next = "/login/totp?next=" + url.QueryEscape(next)
	case app.NextEnrol:
		next = "/account/2fa"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func retryAfter(err error) string {
	e := ktgs.AsError(err)
	if e != nil && len(e.Args) > 0 {
		if n, ok := e.Args[0].(int); ok {
			if e.Message == "err.auth.locked" {
				n *= 60
			}
			return strconv.Itoa(n)
		}
	}
	return "1"
}

func (s *Server) handleTOTPForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "auth.totp")
	p.Data = &form{Q: map[string]string{"next": r.URL.Query().Get("next")}}
	s.render(w, r, http.StatusOK, "totp", p)
	return nil
}

func (s *Server) handleTOTP(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	au := authOf(r.Context())
	f := &form{Q: map[string]string{"next": r.PostFormValue("next")}}
	err := s.App.VerifySecondFactor(r.Context(), au.Session.IDHash, r.PostFormValue("code"),
		app.LoginInput{IP: s.clientIP(r), UserAgent: r.UserAgent()})
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		if ktgs.ErrorCode(err) == ktgs.ETOOMANY {
			w.Header().Set("Retry-After", retryAfter(err))
		}
		p := s.page(r, "auth.totp")
		p.Data = f
		s.render(w, r, formStatus(err), "totp", p)
		return nil
	}
	http.Redirect(w, r, localNext(f.Q["next"]), http.StatusSeeOther)
	return nil
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if c := s.sessionCookie(r); c != "" {
		if err := s.App.Logout(r.Context(), c); err != nil {
			return err
		}
	}
	s.clearSession(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

type setupExtra struct {
	User *ktgs.User
}

func (s *Server) handleSetupForm(w http.ResponseWriter, r *http.Request) error {
	u, err := s.App.SetupUser(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	p := s.page(r, "auth.setup")
	p.Data = &form{Q: map[string]string{}, Extra: setupExtra{User: u}}
	s.render(w, r, http.StatusOK, "setup", p)
	return nil
}

func (s *Server) handleSetup(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	token := r.PathValue("token")
	u, err := s.App.CompleteSetup(r.Context(), token, r.PostFormValue("password"), r.PostFormValue("confirm"))
	if err != nil {
		f := &form{Q: map[string]string{}}
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		su, serr := s.App.SetupUser(r.Context(), token)
		if serr != nil {
			return serr
		}
		f.Extra = setupExtra{User: su}
		p := s.page(r, "auth.setup")
		p.Data = f
		s.render(w, r, formStatus(err), "setup", p)
		return nil
	}
	s.Log.InfoContext(r.Context(), "account set up", "user", u.Username)
	http.Redirect(w, r, "/login?next=%2Faccount", http.StatusSeeOther)
	return nil
}

type accountExtra struct {
	*app.Account
	Current  string // hash of this session
	NewToken string // shown once
	Codes    []string
	Roles    []authz.Role
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, f *form, status int) error {
	acc, err := s.App.MyAccount(r.Context())
	if err != nil {
		return err
	}
	ex, _ := f.Extra.(*accountExtra)
	if ex == nil {
		ex = &accountExtra{}
	}
	ex.Account = acc
	if au := authOf(r.Context()); au.Session != nil {
		ex.Current = au.Session.IDHash
	}
	for _, role := range authz.Roles {
		if roleAllowedForToken(role, acc.User.Role) {
			ex.Roles = append(ex.Roles, role)
		}
	}
	f.Extra = ex
	if f.Q == nil {
		f.Q = map[string]string{}
	}
	p := s.page(r, "account.title")
	p.Data = f
	s.render(w, r, status, "account", p)
	return nil
}

// roleAllowedForToken reports whether a token of role r may be made by a
// user of role of (the app checks again).
func roleAllowedForToken(r, of authz.Role) bool {
	for _, a := range authz.Matrix[r] {
		found := false
		for _, b := range authz.Matrix[of] {
			found = found || a == b
		}
		if !found {
			return false
		}
	}
	return true
}

func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) error {
	return s.accountPage(w, r, &form{}, http.StatusOK)
}

func (s *Server) handlePassword(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{}
	err := s.App.ChangePassword(r.Context(), s.sessionCookie(r), r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("confirm"))
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		return s.accountPage(w, r, f, formStatus(err))
	}
	f.Notice = s.I18n.T(langOf(r.Context()), "account.password_changed")
	return s.accountPage(w, r, f, http.StatusOK)
}

func (s *Server) handleLogoutAll(w http.ResponseWriter, r *http.Request) error {
	au := authOf(r.Context())
	if _, err := s.App.LogoutEverywhere(r.Context(), au.User.ID); err != nil {
		return err
	}
	s.clearSession(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

type enrolExtra struct {
	Enrolment *app.TOTPEnrolment
	QR        template.HTML // generated SVG, no user input
	Required  bool
	Codes     []string
}

func (s *Server) enrolPage(w http.ResponseWriter, r *http.Request, f *form, status int) error {
	en, err := s.App.StartTOTP(r.Context())
	if err != nil {
		return err
	}
	if sec := f.Q["secret"]; sec != "" {
		// Keep the secret the user already scanned when the code was wrong.
		if again, err := s.App.TOTPEnrolmentFor(r.Context(), sec); err == nil {
			en = again
		}
	}
	au := authOf(r.Context())
	p := s.page(r, "account.enrol")
	f.Q["secret"] = en.Secret
	f.Extra = enrolExtra{Enrolment: en, QR: template.HTML(en.QRSVG), Required: app.TwoFactorRequired(au.User.Role) && !au.User.Demo}
	p.Data = f
	s.render(w, r, status, "enrol", p)
	return nil
}

func (s *Server) handleEnrolForm(w http.ResponseWriter, r *http.Request) error {
	return s.enrolPage(w, r, &form{Q: map[string]string{}}, http.StatusOK)
}

func (s *Server) handleEnrol(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	au := authOf(r.Context())
	if au.Session != nil && !au.Session.MFAPassed && au.User.TOTPEnabled {
		// Re-enrolling needs the current second factor first.
		http.Redirect(w, r, "/login/totp", http.StatusSeeOther)
		return nil
	}
	f := &form{Q: map[string]string{"secret": r.PostFormValue("secret")}}
	codes, err := s.App.ConfirmTOTP(r.Context(), s.sessionCookie(r), r.PostFormValue("secret"), r.PostFormValue("code"))
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		return s.enrolPage(w, r, f, formStatus(err))
	}
	p := s.page(r, "account.enrol")
	p.Data = &form{Q: map[string]string{}, Extra: enrolExtra{Codes: codes}}
	s.render(w, r, http.StatusOK, "enrol", p)
	return nil
}

func (s *Server) handleCreateToken(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{"name": r.PostFormValue("name"), "role": r.PostFormValue("role"), "days": r.PostFormValue("days"),
		"scope": r.PostFormValue("scope")}}
	days, _ := strconv.Atoi(strings.TrimSpace(f.Q["days"]))
	in := app.TokenInput{Name: f.Q["name"], Role: authz.Role(f.Q["role"]), Days: days}
	var err error
	if in.Scope, err = s.App.OrgIDsByCodes(r.Context(), f.Q["scope"]); err == nil {
		var plain string
		_, plain, err = s.App.CreateToken(r.Context(), in)
		if err == nil {
			f = &form{Notice: s.I18n.T(langOf(r.Context()), "account.token_created"), Extra: &accountExtra{NewToken: plain}}
			return s.accountPage(w, r, f, http.StatusOK)
		}
	}
	if ferr := s.formError(r, f, err); ferr != nil {
		return ferr
	}
	return s.accountPage(w, r, f, formStatus(err))
}

func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.App.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/account#tokens", http.StatusSeeOther)
	return nil
}
