package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/i18n"
	"ktgs/internal/vn"
)

// Page is what every template receives. Page-specific data is in Data;
// the methods give templates translation and formatting in the request's
// language.
type Page struct {
	Lang      string
	OtherLang string
	Title     string
	Path      string // the request's path and query, for the language switch
	Demo      bool
	RequestID string
	// Date is the day the hierarchy is shown as of; Historical is true
	// when it is not today.
	Date       civil.Date
	Historical bool
	// Q is the organisation filter's text.
	Q    string
	Data any
	// User is the signed-in user, nil on public pages; CanAdmin and
	// CanAudit show the administration links.
	User      *ktgs.User
	FullyIn   bool // signed in and past the second factor
	CanAdmin  bool
	CanAudit  bool
	CanCases  bool
	CanStats  bool // stats:read: the dashboard and the statistics reports
	TwoFactor bool // the user must still give or enrol a second factor

	// browseOnly holds organisations shown in the tree that the user may
	// not open (the path down to their scope).
	browseOnly map[int64]bool

	cat   *i18n.Catalog
	srv   *Server
	query url.Values
}

// T translates key with args.
func (p *Page) T(key string, args ...any) string { return p.cat.T(p.Lang, key, args...) }

// TA translates key with an argument slice (an error's Args).
func (p *Page) TA(key string, args []any) string { return p.cat.T(p.Lang, key, args...) }

// Num formats an integer with the language's digit grouping.
func (p *Page) Num(n any) string {
	switch v := n.(type) {
	case int:
		return vn.Int(int64(v), p.Lang)
	case int64:
		return vn.Int(v, p.Lang)
	}
	return fmt.Sprint(n)
}

// Time formats an instant in Vietnam's time as dd/mm/yyyy hh:mm.
func (p *Page) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(app.Zone).Format("02/01/2006 15:04")
}

// D formats a date as dd/mm/yyyy ("" for open ends).
func (p *Page) D(d civil.Date) string { return vn.Date(d) }

// Role names a seat's role as the body calls it: "Chủ nhiệm" on a UBKT,
// "Bí thư" on a committee.
func (p *Page) Role(body ktgs.BodyKind, role ktgs.Role) string {
	if k := "role." + string(body) + "." + string(role); p.cat.Has(p.Lang, k) {
		return p.T(k)
	}
	return p.T("role." + string(role))
}

// DateQuery returns "?date=…" when the page is historical, for links that
// keep the date.
func (p *Page) DateQuery() string {
	if !p.Historical {
		return ""
	}
	return "?date=" + url.QueryEscape(p.Date.VN())
}

// FormField is one labelled input of a form, with its value and error.
type FormField struct {
	Name, Type, Label, Hint, Value, Error string
}

// Field describes the input name of the page's form: its label is
// "field.NAME" and its value and error come from the page data when it is
// a form page (Q and Fields maps).
func (p *Page) Field(name, typ, hintKey string) FormField {
	f := FormField{Name: name, Type: typ, Label: p.T("field." + name)}
	if hintKey != "" {
		f.Hint = p.T(hintKey)
	}
	if fp, ok := p.Data.(formData); ok {
		f.Value, f.Error = fp.value(name), fp.fieldError(name)
	}
	return f
}

// formData is page data that refills a form.
type formData interface {
	value(name string) string
	fieldError(name string) string
}

// Link reports whether the organisation id may be opened (linked).
func (p *Page) Link(id int64) bool { return !p.browseOnly[id] }

// With returns a copy of p carrying data, for partial templates.
func (p *Page) With(data any) *Page {
	c := *p
	c.Data = data
	return &c
}

// LangURL is the link that switches to the other language.
func (p *Page) LangURL() string {
	return "/lang?to=" + p.OtherLang + "&back=" + url.QueryEscape(p.Path)
}

// page returns the common page data for r, with a translated title.
func (s *Server) page(r *http.Request, titleKey string, args ...any) *Page {
	lang := langOf(r.Context())
	other := "en"
	if lang == "en" {
		other = "vi"
	}
	today := s.App.Today()
	p := &Page{Lang: lang, OtherLang: other, Path: r.URL.RequestURI(), Demo: s.Demo, RequestID: requestID(r.Context()),
		Date: today, cat: s.I18n, srv: s, query: r.URL.Query(), browseOnly: map[int64]bool{}}
	if d, ok := r.Context().Value(ctxDate).(civil.Date); ok && d != today {
		p.Date, p.Historical = d, true
	}
	if titleKey != "" {
		p.Title = s.I18n.T(lang, titleKey, args...)
	}
	if au := authOf(r.Context()); au != nil {
		p.User = au.User
		p.FullyIn = au.Session == nil || au.Session.MFAPassed
		role := au.Actor.Role
		p.CanAdmin = p.FullyIn && slices.Contains(authz.Matrix[role], authz.UserAdmin)
		p.CanAudit = p.FullyIn && slices.Contains(authz.Matrix[role], authz.AuditRead)
		p.CanCases = p.FullyIn && slices.Contains(authz.Matrix[role], authz.CaseRead)
		p.CanStats = p.FullyIn && slices.Contains(authz.Matrix[role], authz.StatsRead)
	}
	return p
}

// loadTemplates parses each page with the layout and the partials. A
// broken template stops the server at start, not at the first request.
func (s *Server) loadTemplates() error {
	funcs := template.FuncMap{
		"static": func(name string) (string, error) {
			if u, ok := s.hashed[name]; ok {
				return u, nil
			}
			return "", fmt.Errorf("no static file %q", name)
		},
		"orgURL":    func(id int64) string { return fmt.Sprintf("/orgs/%d", id) },
		"memberURL": func(id int64) string { return fmt.Sprintf("/members/%d", id) },
		"forever":   func(d civil.Date) bool { return d.IsForever() || d.IsZero() },
		"lastDay":   func(d civil.Date) civil.Date { return d.AddDays(-1) },
		"join":      strings.Join,
		"hasPrefix": strings.HasPrefix,
		"list":      func(v ...string) []string { return v },
		"stripDate": func(u string) string {
			pu, err := url.Parse(u)
			if err != nil {
				return "/"
			}
			q := pu.Query()
			q.Del("date")
			pu.RawQuery = q.Encode()
			return pu.RequestURI()
		},
	}
	partials, err := fs.Glob(assets, "templates/partials/*.html")
	if err != nil {
		return err
	}
	pages, err := fs.Glob(assets, "templates/pages/*.html")
	if err != nil {
		return err
	}
	s.pages = map[string]*template.Template{}
	for _, pg := range pages {
		name := strings.TrimSuffix(strings.TrimPrefix(pg, "templates/pages/"), ".html")
		files := append([]string{"templates/layout.html", pg}, partials...)
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, files...)
		if err != nil {
			return fmt.Errorf("web: template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	// Fragments (htmx responses) are the partials on their own.
	frag, err := template.New("fragments").Funcs(funcs).ParseFS(assets, partials...)
	if err != nil {
		return fmt.Errorf("web: partials: %w", err)
	}
	s.pages["_fragments"] = frag
	return nil
}

// render writes page name with the layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	t, ok := s.pages[name]
	if !ok {
		s.Log.Error("unknown template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.Log.ErrorContext(r.Context(), "template failed", "name", name, "error", err.Error(), "request_id", p.RequestID)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "Cookie, Accept-Language, HX-Request")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fragment writes one partial template (an htmx swap target).
func (s *Server) fragment(w http.ResponseWriter, r *http.Request, name string, p *Page) {
	var buf bytes.Buffer
	if err := s.pages["_fragments"].ExecuteTemplate(&buf, name, p); err != nil {
		s.Log.ErrorContext(r.Context(), "fragment failed", "name", name, "error", err.Error())
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "Cookie, Accept-Language, HX-Request")
	w.Write(buf.Bytes())
}
