package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"ktgs"
)

// listQuery is what every register list reads the same way: the filter
// values to echo in the form, the subtree named by an organisation code,
// and keyset paging (before, limit 1–200).
type listQuery struct {
	Vals     map[string]string // trimmed values of the named filters, for the form
	Subtree  int64             // the org filter's organisation, 0 for the caller's whole scope
	BeforeID int64
	Limit    int
}

// readListQuery reads the query parameters names (plus org, before and
// limit) of r into a listQuery, adding any field error to v. The
// list-specific filters are the caller's to check.
func (s *Server) readListQuery(r *http.Request, v *ktgs.Validation, names ...string) listQuery {
	q := r.URL.Query()
	lq := listQuery{Vals: map[string]string{}}
	for _, k := range append(names, "org") {
		lq.Vals[k] = strings.TrimSpace(q.Get(k))
	}
	if code := lq.Vals["org"]; code != "" {
		ids, err := s.App.OrgIDsByCodes(r.Context(), code)
		if err != nil || len(ids) != 1 {
			v.Add("org", "err.auth.scope_code", code)
		} else {
			lq.Subtree = ids[0]
		}
	}
	if b := q.Get("before"); b != "" {
		lq.BeforeID, _ = strconv.ParseInt(b, 10, 64)
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 200 {
			v.Add("limit", "err.range", 1, 200)
		}
		lq.Limit = n
	}
	return lq
}

// nextQuery is the URL of the page after the one that ended with id,
// when more follow: the request's path with its filters and the keyset.
// It is a template.URL because html/template would otherwise query-escape
// the "=" and "&" of an already encoded query placed after "?", and the
// next page would lose its filters.
func nextQuery(r *http.Request, more bool, lastID int64) template.URL {
	if !more {
		return ""
	}
	q := r.URL.Query()
	q.Set("before", strconv.FormatInt(lastID, 10))
	return template.URL(r.URL.Path + "?" + q.Encode())
}
