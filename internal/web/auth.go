package web

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/store"
)

// policy says who may call a route. Every route is registered with one
// (Server.handle), and guard enforces it before the handler runs: this is
// the one place where HTTP access is checked. The decision itself is
// authz.Decide, the same for every path.
type policy struct {
	// public routes need no sign-in (login, static files, health).
	public bool
	// preMFA routes are open to a session that has not yet given its
	// second factor (the code page, enrolment, logout).
	preMFA bool
	// action, if set, is checked on the object named by object/param.
	action authz.Action
	object objectKind
	param  string
}

type objectKind int

const (
	objNone   objectKind = iota // signed in is enough (own account pages)
	objOrg                      // path parameter param is an organisation id
	objMember                   // path parameter param is a member id
	objSystem                   // the system as a whole (audit log, users list)
	objAny                      // the role must allow action somewhere in its scope; the handler filters
	objCase                     // path parameter param is a case id
)

var (
	public      = policy{public: true}
	signedIn    = policy{}
	preMFA      = policy{preMFA: true}
	anyScope    = func(a authz.Action) policy { return policy{action: a, object: objAny} }
	onOrg       = func(a authz.Action) policy { return policy{action: a, object: objOrg, param: "id"} }
	onMember    = func(a authz.Action) policy { return policy{action: a, object: objMember, param: "id"} }
	onSystem    = func(a authz.Action) policy { return policy{action: a, object: objSystem} }
	onCase      = func(a authz.Action) policy { return policy{action: a, object: objCase, param: "id"} }
	sessionName = "ktgs_session"
	// securePrefix marks a cookie the browser only accepts over HTTPS, for
	// this host only, on path /.
	securePrefix = "__Host-"
)

const ctxAuth ctxKey = 200

// authOf returns the signed-in user of the request, or nil.
func authOf(ctx context.Context) *app.Authenticated {
	a, _ := ctx.Value(ctxAuth).(*app.Authenticated)
	return a
}

// guard authenticates the request (session cookie, or a bearer token
// under /api/), enforces p, and passes the actor on to the use cases.
func (s *Server) guard(p policy, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := s.clientIP(r)
		ctx := app.WithRequest(r.Context(), app.RequestInfo{ID: requestID(r.Context()), IP: ip})
		au, err := s.authenticate(r.WithContext(ctx), ip)
		if err != nil && ktgs.ErrorCode(err) != ktgs.EUNAUTHORIZED {
			s.renderError(w, r, err)
			return
		}
		if err != nil && p.public {
			// A stale cookie on a public page: forget it quietly.
			s.clearSession(w, r)
		}
		if au != nil {
			ctx = context.WithValue(ctx, ctxAuth, au)
			ctx = app.WithActor(ctx, au.Actor)
		}
		r = r.WithContext(ctx)
		if p.public {
			h.ServeHTTP(w, r)
			return
		}
		if au == nil {
			if err == nil {
				err = ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.unauthorized")
			}
			s.unauthenticated(w, r, err)
			return
		}
		if au.Session != nil && !au.Session.MFAPassed && !p.preMFA {
			next := "/login/totp"
			if !au.User.TOTPEnabled {
				next = "/account/2fa"
			}
			if isAPI(r) {
				s.renderError(w, r, ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.auth.second_factor"))
				return
			}
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		}
		if err := s.check(r, p); err != nil {
			s.Log.WarnContext(ctx, "access denied", "user", au.User.Username, "role", au.Actor.Role, "method", r.Method,
				"path", r.URL.Path, "code", ktgs.ErrorCode(err), "reason", ktgs.AsError(err).Message, "request_id", requestID(ctx))
			s.renderError(w, r, err)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// check enforces p's action on its object.
func (s *Server) check(r *http.Request, p policy) error {
	if p.action == "" {
		return nil
	}
	ctx := r.Context()
	return s.DB.View(ctx, func(tx *store.Tx) error {
		var obj *authz.Object
		var err error
		switch p.object {
		case objOrg, objMember:
			id, err := pathID(r, p.param)
			if err != nil {
				return err
			}
			if p.object == objOrg {
				obj, err = s.App.OrgObject(ctx, tx, id)
			} else {
				obj, err = s.App.MemberObject(ctx, tx, id)
			}
			if err != nil {
				return err
			}
		case objSystem:
			if obj, err = s.App.SystemObject(ctx, tx); err != nil {
				return err
			}
		case objCase:
			id, err := pathID(r, p.param)
			if err != nil {
				return err
			}
			c, err := tx.Case(ctx, id)
			if err != nil {
				return err
			}
			if obj, err = s.App.CaseObject(ctx, tx, c); err != nil {
				return err
			}
		case objAny:
			a := app.ActorFrom(ctx)
			for _, id := range a.Scope {
				o, err := s.App.OrgObject(ctx, tx, id)
				if err != nil {
					continue
				}
				if authz.Allowed(a, p.action, o) {
					return nil
				}
			}
			return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: authz.ReasonRole}
		}
		return s.App.Authorize(ctx, p.action, obj)
	})
}

// authenticate finds the user of a bearer token (API only) or of the
// session cookie. No credentials is (nil, nil).
func (s *Server) authenticate(r *http.Request, ip string) (*app.Authenticated, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			return nil, ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.auth.token_html")
		}
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || strings.TrimSpace(tok) == "" {
			return nil, ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.auth.token_invalid")
		}
		au, err := s.App.TokenUser(ctx, strings.TrimSpace(tok))
		if err != nil {
			s.Log.WarnContext(ctx, "api token refused", "ip", ip, "path", r.URL.Path, "request_id", requestID(ctx))
		}
		return au, err
	}
	c := s.sessionCookie(r)
	if c == "" {
		return nil, nil
	}
	return s.App.SessionUser(ctx, c, ip, r.UserAgent())
}

func (s *Server) sessionCookie(r *http.Request) string {
	for _, name := range []string{securePrefix + sessionName, sessionName} {
		if c, err := r.Cookie(name); err == nil && c.Value != "" {
			return c.Value
		}
	}
	return ""
}

// unauthenticated sends a browser to the login page (back to where it was
// going afterwards) and an API client a 401.
func (s *Server) unauthenticated(w http.ResponseWriter, r *http.Request, err error) {
	s.clearSession(w, r)
	if isAPI(r) || r.Method != http.MethodGet {
		s.renderError(w, r, err)
		return
	}
	q := url.Values{}
	q.Set("next", r.URL.RequestURI())
	if ktgs.AsError(err) != nil && ktgs.AsError(err).Message == "err.auth.session_expired" {
		q.Set("expired", "1")
	}
	http.Redirect(w, r, "/login?"+q.Encode(), http.StatusSeeOther)
}

// secure reports whether the client reached us over HTTPS, directly or
// through a trusted proxy. Production always counts as secure: it must run
// behind TLS.
func (s *Server) secure(r *http.Request) bool {
	if r.TLS != nil || s.Production {
		return true
	}
	return s.fromTrustedProxy(r) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// setSession stores the session id in an HttpOnly, SameSite=Lax cookie,
// Secure (and __Host- prefixed) over HTTPS. It has no Max-Age: the server
// ends sessions by idle and absolute timeouts.
func (s *Server) setSession(w http.ResponseWriter, r *http.Request, id string) {
	name := sessionName
	if s.secure(r) {
		name = securePrefix + sessionName
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: id, Path: "/", HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSession(w http.ResponseWriter, r *http.Request) {
	for _, name := range []string{securePrefix + sessionName, sessionName} {
		if _, err := r.Cookie(name); err == nil {
			http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
				Secure: strings.HasPrefix(name, securePrefix) || s.secure(r), SameSite: http.SameSiteLaxMode})
		}
	}
}

// clientIP is the client's address: the peer, or, when the peer is a
// trusted proxy, the last address in X-Forwarded-For that is not one.
func (s *Server) clientIP(r *http.Request) string {
	peer := peerAddr(r)
	if !s.trusted(peer) {
		return peer.String()
	}
	xff := r.Header.Values("X-Forwarded-For")
	parts := strings.Split(strings.Join(xff, ","), ",")
	for i := len(parts) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(parts[i]))
		if err != nil {
			break
		}
		if !s.trusted(a) {
			return a.String()
		}
	}
	return peer.String()
}

func peerAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

func (s *Server) fromTrustedProxy(r *http.Request) bool { return s.trusted(peerAddr(r)) }

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.TrustedProxies {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// ParseProxies reads a comma-separated list of addresses and CIDR
// prefixes (KTGS_TRUSTED_PROXIES).
func ParseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// can reports whether the request's actor may do act on organisation id.
func (s *Server) can(ctx context.Context, tx *store.Tx, act authz.Action, id int64) bool {
	obj, err := s.App.OrgObject(ctx, tx, id)
	if err != nil {
		return false
	}
	return authz.Allowed(app.ActorFrom(ctx), act, obj)
}

// visibleOrgs keeps the organisations of list the actor may browse. When
// the parent is readable every child is (its ancestry contains the
// parent's), so only children of a browse-only parent are checked.
// browseOnly, if not nil, receives the ids the actor may browse but not
// read (shown without a link).
func (s *Server) visibleOrgs(ctx context.Context, tx *store.Tx, parentReadable bool, list []*ktgs.Org, browseOnly map[int64]bool) []*ktgs.Org {
	if parentReadable {
		return list
	}
	a := app.ActorFrom(ctx)
	out := list[:0:0]
	for _, o := range list {
		obj, err := s.App.OrgObject(ctx, tx, o.ID)
		if err != nil || !authz.Allowed(a, authz.OrgBrowse, obj) {
			continue
		}
		out = append(out, o)
		if browseOnly != nil && !authz.Allowed(a, authz.OrgRead, obj) {
			browseOnly[o.ID] = true
		}
	}
	return out
}
