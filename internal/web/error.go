package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"ktgs"
)

// statusOf is the one table from error codes to HTTP status.
var statusOf = map[string]int{
	ktgs.EINVALID:      http.StatusBadRequest,
	ktgs.ENOTFOUND:     http.StatusNotFound,
	ktgs.ECONFLICT:     http.StatusConflict,
	ktgs.EUNAUTHORIZED: http.StatusUnauthorized,
	ktgs.EFORBIDDEN:    http.StatusForbidden,
	ktgs.EUNAVAILABLE:  http.StatusServiceUnavailable,
	ktgs.ETOOMANY:      http.StatusTooManyRequests,
	ktgs.EINTERNAL:     http.StatusInternalServerError,
}

var errForbiddenCrossOrigin = &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.forbidden"}

// apiError is the JSON error body.
type apiError struct {
	Error struct {
		Code      string                `json:"code"`
		Message   string                `json:"message"`
		Fields    map[string]fieldError `json:"fields,omitempty"`
		Rule      string                `json:"rule,omitempty"`
		RequestID string                `json:"request_id"`
	} `json:"error"`
}

type fieldError struct {
	Key     string `json:"key"`
	Message string `json:"message"`
	Rule    string `json:"rule,omitempty"`
}

// isAPI reports whether r expects JSON.
func isAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "application/json")
}

// renderError writes err as JSON for the API and as a page otherwise.
// Internal errors are logged with the request id and shown only as a
// reference, never with their details.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	e := ktgs.AsError(err)
	if e == nil || e.Code == ktgs.EINTERNAL {
		if !errors.Is(err, r.Context().Err()) || r.Context().Err() == nil {
			s.Log.ErrorContext(r.Context(), "internal error", "error", err.Error(), "method", r.Method, "path", r.URL.Path, "request_id", requestID(r.Context()))
		}
		e = &ktgs.Error{Code: ktgs.EINTERNAL, Message: "err.internal"}
	}
	if e.Code == ktgs.EUNAVAILABLE {
		s.Log.WarnContext(r.Context(), "unavailable", "error", err.Error(), "request_id", requestID(r.Context()))
		e = &ktgs.Error{Code: ktgs.EUNAVAILABLE, Message: "err.db_unavailable"}
	}
	status := statusOf[e.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	lang := langOf(r.Context())
	if isAPI(r) {
		var body apiError
		body.Error.Code = e.Code
		body.Error.Message = s.I18n.T(lang, e.Message, e.Args...)
		body.Error.Rule = e.Rule
		body.Error.RequestID = requestID(r.Context())
		if len(e.Fields) > 0 {
			body.Error.Fields = map[string]fieldError{}
			for k, f := range e.Fields {
				body.Error.Fields[k] = fieldError{Key: f.Key, Message: s.I18n.T(lang, f.Key, f.Args...), Rule: f.Rule}
			}
		}
		writeJSON(w, status, body)
		return
	}
	p := s.page(r, "page.error")
	if status == http.StatusNotFound {
		p.Title = s.I18n.T(lang, "page.not_found")
	}
	p.Data = errorPage{Status: status, Message: s.I18n.T(lang, e.Message, e.Args...), Fields: s.fieldMessages(lang, e), Rule: e.Rule}
	s.render(w, r, status, "error", p)
}

type errorPage struct {
	Status  int
	Message string
	Fields  map[string]string
	Rule    string
}

// fieldMessages renders the field errors of e as label: message.
func (s *Server) fieldMessages(lang string, e *ktgs.Error) map[string]string {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	out := map[string]string{}
	for k, f := range e.Fields {
		label := k
		if s.I18n.Has(lang, "field."+k) {
			label = s.I18n.T(lang, "field."+k)
		}
		msg := s.I18n.T(lang, f.Key, f.Args...)
		if f.Rule != "" {
			msg += " (" + f.Rule + ")"
		}
		out[label] = msg
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}
