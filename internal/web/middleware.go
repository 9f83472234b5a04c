package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"ktgs/internal/i18n"
)

type ctxKey int

const (
	ctxRequestID ctxKey = iota + 1
	ctxLang
)

// requestID returns the request's id ("" outside a request).
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxRequestID).(string)
	return id
}

// langOf returns the request's language.
func langOf(ctx context.Context) string {
	if l, ok := ctx.Value(ctxLang).(string); ok {
		return l
	}
	return i18n.Languages[0]
}

// csp allows only the server's own scripts and styles: no inline script,
// no eval, nothing from another origin, no framing.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// middleware wraps h, outermost first: security headers, request id,
// language, recovery, logging and metrics, cross-origin protection.
func (s *Server) middleware(h http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Log.WarnContext(r.Context(), "cross-origin request refused", "method", r.Method, "path", r.URL.Path,
			"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
		s.renderError(w, r, errForbiddenCrossOrigin)
	}))
	inner := cop.Handler(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if r.TLS != nil || (s.fromTrustedProxy(r) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")) {
			hd.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		id := r.Header.Get("X-Request-ID")
		if !validRequestID(id) {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		hd.Set("X-Request-ID", id)
		ctx := context.WithValue(r.Context(), ctxRequestID, id)
		ctx = context.WithValue(ctx, ctxLang, chooseLang(r))
		r = r.WithContext(ctx)

		rw := &recorder{ResponseWriter: w, code: http.StatusOK}
		start := time.Now()
		defer func() {
			if p := recover(); p != nil {
				s.Log.ErrorContext(ctx, "panic", "error", fmt.Sprint(p), "stack", string(debug.Stack()), "request_id", id)
				if !rw.wrote {
					s.renderError(rw, r, fmt.Errorf("panic: %v", p))
				}
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			d := time.Since(start)
			s.requests.Inc(route, strconv.Itoa(rw.code))
			s.latency.Observe(d.Seconds(), route)
			lvl := slog.LevelInfo
			if rw.code >= 500 {
				lvl = slog.LevelError
			} else if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" || r.URL.Path == "/metrics" {
				lvl = slog.LevelDebug
			}
			s.Log.Log(ctx, lvl, "request", "method", r.Method, "route", route, "path", r.URL.Path, "status", rw.code,
				"bytes", rw.bytes, "duration_ms", float64(d.Microseconds())/1000, "request_id", id)
		}()
		inner.ServeHTTP(rw, r)
	})
}

// validRequestID accepts a caller's id if it is short and plain.
func validRequestID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// chooseLang picks the language. The web interface is Vietnamese unless
// the user chose English (the "lang" cookie): cadres often use browsers set
// to English. API clients choose with Accept-Language.
func chooseLang(r *http.Request) string {
	if c, err := r.Cookie("lang"); err == nil && i18n.Supported(c.Value) {
		return c.Value
	}
	if al := r.Header.Get("Accept-Language"); al != "" && strings.HasPrefix(r.URL.Path, "/api/") {
		return i18n.Match(al)
	}
	return i18n.Languages[0]
}

// recorder captures the status and size of a response.
type recorder struct {
	http.ResponseWriter
	code  int
	bytes int
	wrote bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.code, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
