// Package web serves the KTGS web interface (server-rendered HTML with
// htmx) and the JSON API under /api/v1, both over the same use cases.
package web

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"path"
	"strings"
	"sync"
	"time"

	"ktgs/internal/app"
	"ktgs/internal/auth"
	"ktgs/internal/i18n"
	"ktgs/internal/metrics"
	"ktgs/internal/rules"
	"ktgs/internal/store"
)

//go:embed templates static
var assets embed.FS

// Server is the HTTP server's handler and its dependencies.
type Server struct {
	App     *app.Service
	DB      *store.DB
	Log     *slog.Logger
	I18n    *i18n.Catalog
	Metrics *metrics.Registry
	// Demo marks demonstration data in every page's header and lists the
	// demo accounts on the login page.
	Demo bool
	// Production makes cookies Secure whatever the request says (the
	// server must be behind TLS).
	Production bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto headers are believed.
	TrustedProxies []netip.Prefix
	// Public tunes the public letter channel (public_letter.go); the zero
	// value is the production policy.
	Public PublicOptions

	mux      *http.ServeMux
	patterns []string
	policies map[string]policy
	handler  http.Handler
	pages    map[string]*template.Template
	static   map[string]staticFile // clean path → file
	hashed   map[string]string     // clean path → /static/{hash}/{path}
	requests *metrics.CounterVec
	latency  *metrics.HistogramVec
	counts   countCache
	pub      publicState
}

type staticFile struct {
	body  []byte
	etag  string
	ctype string
}

// New returns a Server with its routes registered and its templates and
// static files loaded. It fails fast on a template error.
func New(a *app.Service, log *slog.Logger, reg *metrics.Registry, demo bool) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if reg == nil {
		reg = metrics.NewRegistry()
	}
	s := &Server{App: a, DB: a.DB, Log: log, I18n: i18n.Default(), Metrics: reg, Demo: demo, mux: http.NewServeMux(), policies: map[string]policy{}}
	s.I18n.Add(rules.Messages()) // the rules' reasons, codes and field errors
	s.I18n.Add(auth.Messages())  // password policy and sign-in errors
	s.requests = reg.NewCounterVec("ktgs_http_requests_total", "HTTP requests by route pattern and status.", "route", "code")
	s.latency = reg.NewHistogramVec("ktgs_http_request_duration_seconds", "HTTP request latency by route pattern.", metrics.DefaultBuckets, "route")
	if err := s.loadStatic(); err != nil {
		return nil, err
	}
	if err := s.loadTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	s.handler = s.middleware(s.mux)
	return s, nil
}

// loadStatic reads the embedded static files and computes their hashed URLs.
func (s *Server) loadStatic() error {
	s.static, s.hashed = map[string]staticFile{}, map[string]string{}
	return fs.WalkDir(assets, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".md") {
			return err
		}
		b, err := assets.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		h := hex.EncodeToString(sum[:6])
		name := strings.TrimPrefix(p, "static/")
		ctype := "application/octet-stream"
		switch path.Ext(name) {
		case ".js":
			ctype = "text/javascript; charset=utf-8"
		case ".css":
			ctype = "text/css; charset=utf-8"
		case ".svg":
			ctype = "image/svg+xml"
		case ".png":
			ctype = "image/png"
		case ".ico":
			ctype = "image/x-icon"
		}
		s.static[name] = staticFile{body: b, etag: `"` + h + `"`, ctype: ctype}
		s.hashed[name] = "/static/" + h + "/" + name
		return nil
	})
}

// handleStatic serves /static/{hash}/{path...} with immutable caching.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := s.static[r.PathValue("path")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("ETag", f.etag)
	if strings.Trim(f.etag, `"`) == r.PathValue("hash") {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	http.ServeContent(w, r, "", time.Time{}, strings.NewReader(string(f.body)))
}

// ServeHTTP implements http.Handler: the routes behind the middleware.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// countCache keeps subtree member counts for a few minutes: counting a
// province's 150,000 members takes tens of milliseconds, the whole country
// seconds, and the figure changes slowly.
type countCache struct {
	mu sync.Mutex
	m  map[string]countEntry
}

type countEntry struct {
	c   store.MemberCounts
	exp time.Time
}

func (c *countCache) get(key string) (store.MemberCounts, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || time.Now().After(e.exp) {
		return store.MemberCounts{}, false
	}
	return e.c, true
}

func (c *countCache) put(key string, v store.MemberCounts) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 10000 {
		c.m = map[string]countEntry{}
	}
	c.m[key] = countEntry{v, time.Now().Add(5 * time.Minute)}
}

// Ready reports whether the database answers, for /readyz.
func (s *Server) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return s.DB.Ping(ctx)
}
