package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/audit"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
)

// userRow is an account in the admin list, with its scope as codes.
type userRow struct {
	*ktgs.User
	ScopeCodes string
}

func (s *Server) userRows(r *http.Request, users []*ktgs.User) ([]userRow, error) {
	out := make([]userRow, 0, len(users))
	for _, u := range users {
		codes, err := s.App.OrgCodes(r.Context(), u.Scope)
		if err != nil {
			return nil, err
		}
		out = append(out, userRow{User: u, ScopeCodes: strings.Join(codes, ", ")})
	}
	return out, nil
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.App.Users(r.Context())
	if err != nil {
		return err
	}
	rows, err := s.userRows(r, users)
	if err != nil {
		return err
	}
	p := s.page(r, "admin.users")
	p.Data = rows
	s.render(w, r, http.StatusOK, "users", p)
	return nil
}

type userFormExtra struct {
	User       *app.UserDetail // nil for a new account
	Roles      []authz.Role
	Marks      []authz.Mark
	SetupLink  string // shown once
	Revoked    int64
	IsSelf     bool
	ScopeCodes string
}

func (s *Server) userForm(w http.ResponseWriter, r *http.Request, f *form, ex *userFormExtra, status int) error {
	ex.Roles, ex.Marks = authz.Roles, authz.Marks
	if f.Q == nil {
		f.Q = map[string]string{}
	}
	if ex.User != nil {
		u := ex.User.User
		au := authOf(r.Context())
		ex.IsSelf = au != nil && au.User.ID == u.ID
		codes, err := s.App.OrgCodes(r.Context(), u.Scope)
		if err != nil {
			return err
		}
		ex.ScopeCodes = strings.Join(codes, ", ")
		for k, v := range map[string]string{"display_name": u.DisplayName, "role": string(u.Role), "clearance": u.Clearance.Code(),
			"scope": ex.ScopeCodes} {
			if _, ok := f.Q[k]; !ok {
				f.Q[k] = v
			}
		}
		if u.MemberID != 0 {
			if _, ok := f.Q["member_id"]; !ok {
				f.Q["member_id"] = strconv.FormatInt(u.MemberID, 10)
			}
		}
		if _, ok := f.Q["disabled"]; !ok && u.DisabledAt != nil {
			f.Q["disabled"] = "1"
		}
	}
	f.Extra = ex
	title := "admin.user_new"
	if ex.User != nil {
		title = "admin.user_edit"
	}
	p := s.page(r, title)
	p.Data = f
	s.render(w, r, status, "user", p)
	return nil
}

func (s *Server) handleUserNew(w http.ResponseWriter, r *http.Request) error {
	return s.userForm(w, r, &form{Q: map[string]string{"clearance": "THUONG"}}, &userFormExtra{}, http.StatusOK)
}

// userInput reads the account form.
func (s *Server) userInput(r *http.Request) (app.UserInput, *form, error) {
	f := &form{Q: map[string]string{}}
	for _, k := range []string{"username", "display_name", "role", "clearance", "member_id", "scope", "disabled"} {
		f.Q[k] = r.PostFormValue(k)
	}
	in := app.UserInput{Username: f.Q["username"], DisplayName: f.Q["display_name"], Role: authz.Role(f.Q["role"]),
		Clearance: f.Q["clearance"], Password: r.PostFormValue("password"), Disabled: f.Q["disabled"] != ""}
	if v := strings.TrimSpace(f.Q["member_id"]); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return in, f, ktgs.Invalid("member_id", "err.number")
		}
		in.MemberID = id
	}
	ids, err := s.App.OrgIDsByCodes(r.Context(), f.Q["scope"])
	in.Scope = ids
	return in, f, err
}

func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	in, f, err := s.userInput(r)
	var u *ktgs.User
	var link string
	if err == nil {
		u, link, err = s.App.CreateUser(r.Context(), in)
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		return s.userForm(w, r, f, &userFormExtra{}, formStatus(err))
	}
	d, err := s.App.User(r.Context(), u.ID)
	if err != nil {
		return err
	}
	f = &form{Notice: s.I18n.T(langOf(r.Context()), "admin.user_created")}
	ex := &userFormExtra{User: d}
	if link != "" {
		ex.SetupLink = s.setupURL(r, link)
	}
	return s.userForm(w, r, f, ex, http.StatusCreated)
}

// setupURL is the absolute one-time setup link for token.
func (s *Server) setupURL(r *http.Request, token string) string {
	scheme := "http"
	if s.secure(r) {
		scheme = "https"
	}
	return fmt.Sprintf("%s://%s/setup/%s", scheme, r.Host, token)
}

func (s *Server) handleUserEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.App.User(r.Context(), id)
	if err != nil {
		return err
	}
	return s.userForm(w, r, &form{}, &userFormExtra{User: d}, http.StatusOK)
}

func (s *Server) handleUserUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	d, err := s.App.User(r.Context(), id)
	if err != nil {
		return err
	}
	in, f, err := s.userInput(r)
	if err == nil {
		_, err = s.App.UpdateUser(r.Context(), id, in)
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		return s.userForm(w, r, f, &userFormExtra{User: d}, formStatus(err))
	}
	if d, err = s.App.User(r.Context(), id); err != nil {
		return err
	}
	return s.userForm(w, r, &form{Notice: s.I18n.T(langOf(r.Context()), "admin.user_saved")}, &userFormExtra{User: d}, http.StatusOK)
}

func (s *Server) handleUserSetupLink(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	link, err := s.App.IssueSetupLink(r.Context(), id)
	if err != nil {
		return err
	}
	d, err := s.App.User(r.Context(), id)
	if err != nil {
		return err
	}
	return s.userForm(w, r, &form{}, &userFormExtra{User: d, SetupLink: s.setupURL(r, link)}, http.StatusOK)
}

func (s *Server) handleUserRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.App.RevokeSessions(r.Context(), id)
	if err != nil {
		return err
	}
	d, err := s.App.User(r.Context(), id)
	if err != nil {
		return err
	}
	f := &form{Notice: s.I18n.T(langOf(r.Context()), "admin.sessions_revoked", n)}
	return s.userForm(w, r, f, &userFormExtra{User: d}, http.StatusOK)
}

type auditPage struct {
	Entries []audit.Entry
	Head    *app.AuditHead
	Next    int64 // sequence number for the next page, 0 at the end
	Query   string
}

// auditQuery reads the audit log filters: actor (user id), object type,
// object id, action prefix, from and to (dd/mm/yyyy), before (paging).
func auditQuery(r *http.Request) (app.AuditQuery, map[string]string, error) {
	q := r.URL.Query()
	vals := map[string]string{}
	for _, k := range []string{"actor", "object_type", "object_id", "action", "from", "to"} {
		vals[k] = strings.TrimSpace(q.Get(k))
	}
	var v ktgs.Validation
	aq := app.AuditQuery{ObjectType: vals["object_type"], ObjectID: vals["object_id"], Action: vals["action"], Limit: 100}
	if vals["actor"] != "" {
		id, err := strconv.ParseInt(vals["actor"], 10, 64)
		if err != nil || id < 0 {
			v.Add("actor", "err.number")
		}
		aq.ActorID = id
	}
	for _, k := range []string{"from", "to"} {
		if vals[k] == "" {
			continue
		}
		d, err := civil.Parse(vals[k])
		if err != nil {
			v.Add(k, "err.date_syntax")
			continue
		}
		if k == "from" {
			aq.From = d
		} else {
			aq.To = d
		}
	}
	if b := q.Get("before"); b != "" {
		aq.Before, _ = strconv.ParseInt(b, 10, 64)
	}
	return aq, vals, v.Err()
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) error {
	aq, vals, err := auditQuery(r)
	f := &form{Q: vals}
	data := auditPage{}
	if err == nil {
		data.Entries, err = s.App.AuditLog(r.Context(), aq)
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
	}
	if data.Head, err = s.App.AuditHead(r.Context()); err != nil {
		return err
	}
	if n := len(data.Entries); n == aq.Limit {
		data.Next = data.Entries[n-1].Seq
		q := r.URL.Query()
		q.Set("before", strconv.FormatInt(data.Next, 10))
		data.Query = q.Encode()
	}
	f.Extra = data
	p := s.page(r, "admin.audit")
	p.Data = f
	s.render(w, r, http.StatusOK, "audit", p)
	return nil
}

// handleAuditHeadFile downloads the chain head as a small JSON file, to
// anchor the audit trail outside the system (print it, sign it, mail it).
func (s *Server) handleAuditHeadFile(w http.ResponseWriter, r *http.Request) error {
	h, err := s.App.AuditHead(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="ktgs-audit-head-%d.json"`, h.Seq))
	writeJSON(w, http.StatusOK, h)
	return nil
}

// API.

type meJSON struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Role        authz.Role `json:"role"`
	Clearance   string     `json:"clearance"`
	Scope       []int64    `json:"scope"`
	TwoFactor   bool       `json:"two_factor"`
	Demo        bool       `json:"demo"`
	Via         string     `json:"via"` // "session" or "token"
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	au := authOf(r.Context())
	me := meJSON{ID: au.User.ID, Username: au.User.Username, DisplayName: au.User.DisplayName, Role: au.Actor.Role,
		Clearance: au.User.Clearance.Code(), Scope: au.Actor.Scope, TwoFactor: au.User.TOTPEnabled, Demo: au.User.Demo, Via: "session"}
	if au.Token != nil {
		me.Via = "token"
	}
	writeJSON(w, http.StatusOK, me)
	return nil
}

type userJSON struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Role        authz.Role `json:"role"`
	Clearance   string     `json:"clearance"`
	MemberID    int64      `json:"member_id,omitempty"`
	Scope       []int64    `json:"scope"`
	TwoFactor   bool       `json:"two_factor"`
	Demo        bool       `json:"demo"`
	Disabled    bool       `json:"disabled"`
	CreatedAt   time.Time  `json:"created_at"`
}

func toUserJSON(u *ktgs.User) userJSON {
	return userJSON{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, Clearance: u.Clearance.Code(),
		MemberID: u.MemberID, Scope: u.Scope, TwoFactor: u.TOTPEnabled, Demo: u.Demo, Disabled: u.DisabledAt != nil, CreatedAt: u.CreatedAt}
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.App.Users(r.Context())
	if err != nil {
		return err
	}
	out := make([]userJSON, 0, len(users))
	for _, u := range users {
		out = append(out, toUserJSON(u))
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out})
	return nil
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) error {
	var in app.UserInput
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return ktgs.Invalid("body", "err.json", err.Error())
	}
	u, link, err := s.App.CreateUser(r.Context(), in)
	if err != nil {
		return err
	}
	out := map[string]any{"user": toUserJSON(u)}
	if link != "" {
		out["setup_url"] = s.setupURL(r, link)
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

type auditJSON struct {
	Seq        int64           `json:"seq"`
	At         time.Time       `json:"at"`
	ActorID    int64           `json:"actor_id"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	OrgID      int64           `json:"org_id,omitempty"`
	Before     json.RawMessage `json:"before,omitempty"`
	After      json.RawMessage `json:"after,omitempty"`
	Reason     string          `json:"reason,omitempty"`
	RequestID  string          `json:"request_id,omitempty"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	aq, _, err := auditQuery(r)
	if err != nil {
		return err
	}
	entries, err := s.App.AuditLog(r.Context(), aq)
	if err != nil {
		return err
	}
	out := make([]auditJSON, 0, len(entries))
	for _, e := range entries {
		out = append(out, auditJSON{e.Seq, e.At, e.ActorID, e.Actor, e.Action, e.ObjectType, e.ObjectID, e.OrgID,
			e.Before, e.After, e.Reason, e.RequestID, e.PrevHash, e.Hash})
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": out})
	return nil
}

func (s *Server) apiAuditHead(w http.ResponseWriter, r *http.Request) error {
	h, err := s.App.AuditHead(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}
