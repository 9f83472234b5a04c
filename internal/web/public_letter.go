package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/guard"
	"ktgs/internal/store"
)

// The public channel: anyone, without an account, sends a denunciation,
// complaint or petition letter (GET/POST /public/letter) and later looks up
// its status with the receipt code shown once (GET/POST /public/status).
//
// Abuse resistance, in the order a POST meets it:
//
//  1. guard.SameOrigin: a forged cross-site POST is refused (403). There is
//     no session, hence no session CSRF token, for an anonymous sender;
//     http.CrossOriginProtection in the middleware refuses most of these
//     already, SameOrigin also refuses a POST that carries none of Origin,
//     Sec-Fetch-Site and Referer (a script, not a browser).
//  2. A rate limit per client address (an IPv6 address counts as its /64):
//     every POST counts, before the body is read, so a flood costs the
//     server no parsing. The counters live in the database (rate_counters),
//     so every app server counts together.
//  3. A body limit (MaxFiles × the file size limit + 1 MiB): larger is
//     refused with 413 and a clear message.
//  4. The form token (guard.Forms): an HMAC token from the GET, checked for
//     the honeypot, the minimum time to fill in the form (unless the
//     optional proof of work of static/js/pow.js is solved) and its age.
//  5. Single use: the token's challenge is recorded as spent in the same
//     counters (see spendToken).
//  6. The use case (app.SubmitPublicLetter) validates, sniffs every
//     attachment by content, and records the letter with the sender's
//     identity sealed.
//
// Nothing in a response names the letter's staff code, another letter, SQL
// or a stack: the sender gets the receipt code, once.

// Public channel limits.
const (
	publicMaxAccused = 3 // accused rows on the form
	publicMaxFiles   = 5 // attachments
	// The use case's content limits (app: minLetterContent,
	// maxLetterContent), for the form's hint and maxlength.
	publicMinContent = 20
	publicMaxContent = 20000
	// publicBodyMargin is what a letter may add to its files: the text
	// fields and the multipart framing.
	publicBodyMargin = 1 << 20
	// rateRetention is how long rate counters are kept: longer than twice
	// the longest window (the form token's two hours; see spendToken).
	rateRetention = 25 * time.Hour
)

// PublicOptions tunes the public channel. The zero value is the production
// policy; tests set the clock and the limits.
type PublicOptions struct {
	// Now is the clock of form tokens and rate-limit windows (default
	// time.Now).
	Now func() time.Time
	// MinAge is the least time between showing the form and accepting it
	// without a proof of work (default guard.DefaultMinAge, 3 s; negative:
	// none).
	MinAge time.Duration
	// PowBits is the proof-of-work difficulty (default
	// guard.DefaultPowBits).
	PowBits int
	// Submit limits the letters sent from one client address (default 5
	// per hour). Every POST counts, a refused one too.
	Submit guard.Limit
	// Lookup limits the status look-ups from one client address (default
	// 20 per 10 minutes), LookupCode those of one receipt code (default 10
	// per hour, counted under a hash of the code).
	Lookup, LookupCode guard.Limit
	// LookupFloor is the least time a status look-up takes, whatever its
	// outcome (default 250 ms), so that a known code cannot be told from an
	// unknown one by timing.
	LookupFloor time.Duration
	// Counter counts events for the limits and spent tokens (default: the
	// database's rate_counters, shared by every app server).
	Counter guard.Counter
}

func (o *PublicOptions) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func limitOr(l, def guard.Limit) guard.Limit {
	if l.Window <= 0 {
		return def
	}
	return l
}

// publicState is what the Server keeps for the public channel.
type publicState struct {
	once    sync.Once
	counter guard.Counter
}

func (s *Server) publicCounter() guard.Counter {
	if s.Public.Counter != nil {
		return s.Public.Counter
	}
	s.pub.once.Do(func() { s.pub.counter = &dbRateCounter{db: s.DB} })
	return s.pub.counter
}

// dbRateCounter is a guard.Counter over the database's rate_counters
// table, so that every app server counts together. It deletes ended windows at
// most once an hour (per server).
type dbRateCounter struct {
	db     *store.DB
	mu     sync.Mutex
	pruned time.Time
}

func (c *dbRateCounter) Incr(ctx context.Context, key string, windowStart time.Time) (int, error) {
	prune := false
	c.mu.Lock()
	if windowStart.Sub(c.pruned) > time.Hour || windowStart.Before(c.pruned) {
		c.pruned, prune = windowStart, true
	}
	c.mu.Unlock()
	var n int
	err := c.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if n, err = tx.IncrRate(ctx, key, windowStart); err != nil {
			return err
		}
		if prune {
			return tx.PruneRates(ctx, windowStart.Add(-rateRetention))
		}
		return nil
	})
	return n, err
}

// publicForms returns the form-token policy. Its secret is derived from the
// identity keyring (the same on every app server, kept outside the
// database); nil when there is no keyring.
func (s *Server) publicForms() *guard.Forms {
	if s.App.Keys == nil {
		return nil
	}
	return &guard.Forms{Secret: []byte(s.App.Keys.Tag("form-secret", "v1")), MinAge: s.Public.MinAge, PowBits: s.Public.PowBits,
		Now: s.Public.now}
}

// publicOpen reports whether the public channel can take letters: an
// identity keyring and a receiving body are configured.
func (s *Server) publicOpen() bool { return s.App.Keys != nil && s.App.PublicBodyID != 0 }

// publicRateKey is the rate-limiting key of the request's client: its
// address, an IPv6 address reduced to its /64 (one subscriber commonly
// holds a whole /64). Behind a trusted proxy it is the forwarded address.
func (s *Server) publicRateKey(r *http.Request) string {
	ip := s.clientIP(r)
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// publicAllow counts one event of key under l; when refused it writes the
// 429 page with Retry-After and returns false.
func (s *Server) publicAllow(w http.ResponseWriter, r *http.Request, key string, l guard.Limit, msg string) (bool, error) {
	ok, wait, err := guard.Allow(r.Context(), s.publicCounter(), key, l, s.Public.now())
	if err != nil || ok {
		return ok, err
	}
	secs := int((wait + time.Second - 1) / time.Second)
	minutes := (secs + 59) / 60
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.Log.InfoContext(r.Context(), "public channel rate limit", "limit", strings.SplitN(key, ":", 2)[0], "request_id", requestID(r.Context()))
	s.renderError(w, r, ktgs.Errorf(ktgs.ETOOMANY, msg, minutes))
	return false, nil
}

// spendToken records the form token with challenge ch as used and reports
// whether it was unused. Check has already refused a token older than
// MaxAge, so two uses of one token are less than MaxAge apart. Counting
// each use in the MaxAge-long window holding now AND in the window before
// it makes any second use land in a window the first use counted in,
// wherever the window boundary falls (a single window would let a token
// issued before a boundary be used once on each side of it). The counters
// are kept rateRetention (25 h), well past the two windows.
func (s *Server) spendToken(ctx context.Context, ch string) (bool, error) {
	l := guard.Limit{Max: 1, Window: guard.DefaultMaxAge}
	start := l.WindowStart(s.Public.now())
	c := s.publicCounter()
	unused := true
	for _, w := range []time.Time{start, start.Add(-l.Window)} {
		n, err := c.Incr(ctx, "form:"+ch, w)
		if err != nil {
			return false, err
		}
		unused = unused && n <= l.Max
	}
	return unused, nil
}

// publicField is one input of a public form: its label (with the
// required marker in words), hint, value and error.
type publicField struct {
	ID, Label, Required, Hint, Value, Error string
	// Summary names the field in the error summary (an accused row's
	// inputs with their row).
	Summary string
	// ErrWord prefixes the error for screen readers ("Lỗi").
	ErrWord string
	// The input's attributes.
	Type, Autocomplete, InputMode string
	MaxLength                     int
	HTMLRequired                  bool
}

// publicInputs are the attributes of the form's text inputs.
var publicInputs = map[string]publicField{
	"sender_name":      {Type: "text", Autocomplete: "name", MaxLength: 300},
	"sender_address":   {Type: "text", Autocomplete: "street-address", MaxLength: 300},
	"sender_phone":     {Type: "tel", Autocomplete: "tel", InputMode: "tel", MaxLength: 300},
	"sender_email":     {Type: "email", Autocomplete: "email", MaxLength: 200},
	"sender_id_number": {Type: "text", Autocomplete: "off", InputMode: "numeric", MaxLength: 300},
	"subject":          {Type: "text", Autocomplete: "off", MaxLength: 300, HTMLRequired: true},
}

// Describedby lists the ids of the hint and the error, for
// aria-describedby.
func (f publicField) Describedby() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-err")
	}
	return strings.Join(ids, " ")
}

// publicError is one line of the error summary, linking to its field.
type publicError struct {
	ID, Label, Message string
}

// publicLetterPage is the data of the public form.
type publicLetterPage struct {
	F           map[string]publicField
	Errors      []publicError
	ErrorsTitle string
	Message     string
	Token       string
	Challenge   string
	PowBits     int
	Mode, Kind  string
	Declared    bool
	Accused     []int
	Kinds       []ktgs.LetterKind
	Modes       []ktgs.SenderMode
	Accept      string
	MaxFiles    int
	MaxFile     string
	MaxContent  int
	FilesAgain  bool
}

// publicFieldOrder is the form's order, for the error summary.
var publicFieldOrder = func() []string {
	ids := []string{"sender_mode", "sender_name", "sender_address", "sender_phone", "sender_email", "sender_id_number"}
	for i := 1; i <= publicMaxAccused; i++ {
		ids = append(ids, fmt.Sprintf("accused_name_%d", i), fmt.Sprintf("accused_unit_%d", i))
	}
	return append(ids, "kind", "subject", "content", "files", "declaration")
}()

// publicLabel returns the message key of a field's label and, for an
// accused row's inputs, the row number (else 0).
func publicLabel(id string) (key string, row int) {
	if strings.HasPrefix(id, "accused_") {
		i := strings.LastIndexByte(id, '_')
		row, _ = strconv.Atoi(id[i+1:])
		return "public." + id[:i], row
	}
	if id == "sender_mode" || id == "kind" {
		return "public." + id + ".legend", 0
	}
	return "public." + id, 0
}

// publicMaxFile is the attachment limit in force.
func (s *Server) publicMaxFile() int64 {
	if s.App.MaxFileSize > 0 {
		return s.App.MaxFileSize
	}
	return app.DefaultMaxFileSize
}

// publicFormPage builds the form page from the typed values q and the
// field errors fields (by field id), with a fresh form token.
func (s *Server) publicFormPage(r *http.Request, q map[string]string, fields map[string]string, msg string) *Page {
	p := s.page(r, "public.title")
	lang := p.Lang
	d := &publicLetterPage{F: map[string]publicField{}, Message: msg, Mode: q["sender_mode"], Kind: q["kind"], Declared: q["declaration"] == "1",
		Kinds: []ktgs.LetterKind{ktgs.LetterDenunciation, ktgs.LetterComplaint, ktgs.LetterPetition},
		Modes: []ktgs.SenderMode{ktgs.SenderNamed, ktgs.SenderAnonymous}, Accept: guard.Accept(), MaxFiles: publicMaxFiles,
		MaxFile: app.SizeLabel(s.publicMaxFile()), MaxContent: publicMaxContent, ErrorsTitle: s.I18n.T(lang, "public.errors_title")}
	for i := 1; i <= publicMaxAccused; i++ {
		d.Accused = append(d.Accused, i)
	}
	required := map[string]string{"sender_mode": "public.required", "sender_name": "public.required_named", "accused_name_1": "public.required",
		"kind": "public.required", "subject": "public.required", "content": "public.required", "declaration": "public.required_named"}
	hints := map[string]string{"sender_email": "public.sender_email_hint", "sender_phone": "public.sender_phone_hint",
		"content": "public.content_hint", "files": "public.files_hint"}
	for _, id := range publicFieldOrder {
		key, row := publicLabel(id)
		f := publicInputs[id]
		if row > 0 {
			f = publicField{Type: "text", Autocomplete: "off", MaxLength: 300, HTMLRequired: id == "accused_name_1"}
			if strings.HasPrefix(id, "accused_name_") {
				f.MaxLength = 200
			}
		}
		f.ID, f.Label, f.Value, f.Error, f.ErrWord = id, s.I18n.T(lang, key), q[id], fields[id], s.I18n.T(lang, "public.error")
		f.Summary = f.Label
		if row > 0 {
			f.Summary = s.I18n.T(lang, "public.accused_row", row) + ": " + f.Label
		}
		if k, ok := required[id]; ok {
			f.Required = s.I18n.T(lang, k)
		} else if id != "files" {
			f.Required = s.I18n.T(lang, "public.optional")
		}
		hint := hints[id]
		if strings.HasPrefix(id, "accused_unit_") {
			hint = "public.accused_unit_hint"
		}
		switch hint {
		case "":
		case "public.content_hint":
			f.Hint = s.I18n.T(lang, "public.content_hint", publicMinContent, publicMaxContent)
		case "public.files_hint":
			f.Hint = s.I18n.T(lang, "public.files_hint", publicMaxFiles, d.MaxFile)
		default:
			f.Hint = s.I18n.T(lang, hint)
		}
		d.F[id] = f
		if f.Error != "" {
			d.Errors = append(d.Errors, publicError{ID: id, Label: f.Summary, Message: f.Error})
		}
	}
	if forms := s.publicForms(); forms != nil {
		d.Token = forms.Issue()
		d.Challenge, _ = forms.Challenge(d.Token)
		d.PowBits = forms.Difficulty()
	}
	p.Data = d
	return p
}

// publicUnavailable answers when the channel has no keyring or body.
func (s *Server) publicUnavailable(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "public.title")
	p.Data = errorPage{Status: http.StatusServiceUnavailable, Message: s.I18n.T(p.Lang, "public.unavailable")}
	s.render(w, r, http.StatusServiceUnavailable, "error", p)
}

func (s *Server) handlePublicLetterForm(w http.ResponseWriter, r *http.Request) error {
	if !s.publicOpen() {
		s.publicUnavailable(w, r)
		return nil
	}
	s.render(w, r, http.StatusOK, "public_letter", s.publicFormPage(r, map[string]string{}, nil, ""))
	return nil
}

// publicTextFields are the form's text inputs, kept when the form is
// shown again.
var publicTextFields = func() []string {
	ids := []string{"sender_mode", "sender_name", "sender_address", "sender_phone", "sender_email", "sender_id_number"}
	for i := 1; i <= publicMaxAccused; i++ {
		ids = append(ids, fmt.Sprintf("accused_name_%d", i), fmt.Sprintf("accused_unit_%d", i))
	}
	return append(ids, "kind", "subject", "content", "declaration")
}()

func (s *Server) handlePublicLetter(w http.ResponseWriter, r *http.Request) error {
	if !guard.SameOrigin(r) {
		s.Log.WarnContext(r.Context(), "public letter: cross-origin POST refused", "origin", r.Header.Get("Origin"),
			"sec_fetch_site", r.Header.Get("Sec-Fetch-Site"), "request_id", requestID(r.Context()))
		return ktgs.Errorf(ktgs.EFORBIDDEN, "public.err.cross_origin")
	}
	if !s.publicOpen() {
		s.publicUnavailable(w, r)
		return nil
	}
	if ok, err := s.publicAllow(w, r, "letter/ip:"+s.publicRateKey(r), limitOr(s.Public.Submit, guard.Limit{Max: 5, Window: time.Hour}),
		"public.err.too_many"); !ok {
		return err
	}
	lang := langOf(r.Context())
	maxBody := publicMaxFiles*s.publicMaxFile() + publicBodyMargin
	tooLarge := func() error {
		s.render(w, r, http.StatusRequestEntityTooLarge, "public_letter", s.publicFormPage(r, map[string]string{}, nil,
			s.I18n.T(lang, "public.err.too_large", publicMaxFiles, app.SizeLabel(s.publicMaxFile()))))
		return nil
	}
	if r.ContentLength > maxBody {
		return tooLarge()
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	// All in memory (the use case holds the files in memory anyway): an
	// attachment, which may name its sender, is never written in clear to
	// a temporary file.
	err := r.ParseMultipartForm(maxBody)
	if errors.Is(err, http.ErrNotMultipart) {
		err = r.ParseForm()
	}
	if mbe := new(http.MaxBytesError); errors.As(err, &mbe) {
		return tooLarge()
	} else if err != nil {
		return ktgs.Invalid("form", "err.bad_request")
	}
	q := map[string]string{}
	for _, id := range publicTextFields {
		q[id] = r.PostFormValue(id)
	}
	var parts []*multipart.FileHeader
	if r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["files"] {
			if fh.Filename == "" && fh.Size == 0 {
				continue // an empty file input
			}
			parts = append(parts, fh)
		}
	}
	// Shown again: with the message msg on top and the field errors.
	again := func(status int, fields map[string]string, msg string) error {
		p := s.publicFormPage(r, q, fields, msg)
		p.Data.(*publicLetterPage).FilesAgain = len(parts) > 0
		s.render(w, r, status, "public_letter", p)
		return nil
	}

	forms := s.publicForms()
	token := r.PostFormValue("token")
	switch err := forms.Check(token, r.PostFormValue("homepage"), r.PostFormValue("pow")); {
	case errors.Is(err, guard.ErrBot):
		s.Log.InfoContext(r.Context(), "public letter refused", "reason", "honeypot", "request_id", requestID(r.Context()))
		return ktgs.Errorf(ktgs.EINVALID, "public.err.refused")
	case errors.Is(err, guard.ErrTooFast):
		return again(http.StatusBadRequest, nil, s.I18n.T(lang, "public.err.too_fast"))
	case err != nil:
		return again(http.StatusBadRequest, nil, s.I18n.T(lang, "public.err.expired"))
	}
	ch, err := forms.Challenge(token)
	if err != nil {
		return again(http.StatusBadRequest, nil, s.I18n.T(lang, "public.err.expired"))
	}
	if unused, err := s.spendToken(r.Context(), ch); err != nil {
		return err
	} else if !unused {
		s.Log.InfoContext(r.Context(), "public letter refused", "reason", "form token used twice", "request_id", requestID(r.Context()))
		return again(http.StatusConflict, nil, s.I18n.T(lang, "public.err.used"))
	}

	// What the use case does not check: the choices of this form.
	fields := map[string]string{}
	mode := ktgs.SenderMode(q["sender_mode"])
	if mode != ktgs.SenderNamed && mode != ktgs.SenderAnonymous {
		fields["sender_mode"] = s.I18n.T(lang, "public.err.sender_mode")
	}
	kind := ktgs.LetterKind(q["kind"])
	if kind != ktgs.LetterDenunciation && kind != ktgs.LetterComplaint && kind != ktgs.LetterPetition {
		fields["kind"] = s.I18n.T(lang, "public.err.kind")
	}
	if mode == ktgs.SenderNamed && q["declaration"] != "1" {
		fields["declaration"] = s.I18n.T(lang, "public.err.declaration")
	}
	if len(parts) > publicMaxFiles {
		fields["files"] = s.I18n.T(lang, "err.too_many", publicMaxFiles)
	}
	in := app.LetterInput{Mode: mode, Title: q["subject"], Content: q["content"],
		Sender: ktgs.Sender{Name: q["sender_name"], Address: q["sender_address"], Phone: q["sender_phone"], Email: q["sender_email"],
			IDNumber: q["sender_id_number"]}}
	var rows []int // allegation index → form row
	for i := 1; i <= publicMaxAccused; i++ {
		name, unit := q[fmt.Sprintf("accused_name_%d", i)], q[fmt.Sprintf("accused_unit_%d", i)]
		if strings.TrimSpace(name) == "" && strings.TrimSpace(unit) == "" {
			continue
		}
		rows = append(rows, i)
		in.Allegations = append(in.Allegations, app.AllegationInput{Kind: kind, AccusedName: name, AccusedUnit: unit})
	}
	if len(fields) > 0 {
		// The use case is not asked (it would record the letter). So that
		// the sender sees every missing answer at once, the answers it
		// requires are looked for here too, with its messages.
		need := func(id, key string, args ...any) {
			if _, ok := fields[id]; !ok {
				fields[id] = s.I18n.T(lang, key, args...)
			}
		}
		if mode == ktgs.SenderNamed && strings.TrimSpace(in.Sender.Name) == "" {
			need("sender_name", "err.letter.sender_name")
		}
		if len(rows) == 0 {
			need("accused_name_1", "err.letter.no_accused")
		}
		if strings.TrimSpace(in.Title) == "" {
			need("subject", "err.required")
		}
		if len([]rune(strings.TrimSpace(in.Content))) < publicMinContent {
			need("content", "err.letter.content_short", publicMinContent)
		}
		return again(http.StatusBadRequest, fields, "")
	}
	var names []string
	for _, fh := range parts {
		data, err := readPublicFile(fh)
		if err != nil {
			return err
		}
		in.Files = append(in.Files, app.LetterFileInput{Name: fh.Filename, Data: data})
		names = append(names, fh.Filename)
	}
	// The sender is nobody the system knows: no actor (a signed-in user
	// sending here must not be named on the letter) and no address.
	ctx := app.WithActor(app.WithRequest(r.Context(), app.RequestInfo{ID: requestID(r.Context())}), nil)
	rc, err := s.App.SubmitPublicLetter(ctx, in)
	if err != nil {
		e := ktgs.AsError(err)
		if e == nil || e.Code != ktgs.EINVALID {
			return err
		}
		fields, msg := s.publicFieldErrors(lang, e, rows, names)
		s.Log.InfoContext(r.Context(), "public letter invalid", "fields", len(fields), "request_id", requestID(r.Context()))
		return again(http.StatusBadRequest, fields, msg)
	}
	s.Log.InfoContext(r.Context(), "public letter received", "request_id", requestID(r.Context()))
	p := s.page(r, "public.receipt.title")
	p.Data = publicReceipt{Code: rc.Code, ReceivedOn: p.D(rc.ReceivedOn), Anonymous: mode == ktgs.SenderAnonymous}
	s.render(w, r, http.StatusOK, "public_receipt", p)
	return nil
}

// publicReceipt is the data of the page shown after sending. It holds the
// receipt code only: never the staff code, and nothing that says whether
// the letter repeated another (Receipt.Duplicate).
type publicReceipt struct {
	Code       string
	ReceivedOn string
	Anonymous  bool
}

// readPublicFile reads one uploaded file (the body limit bounds it).
func readPublicFile(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

var publicAllegationRE = regexp.MustCompile(`^allegations\[(\d+)\]\.(\w+)$`)
var publicFileRE = regexp.MustCompile(`^files\[(\d+)\]$`)

// publicFieldErrors maps the use case's field errors onto the form's
// fields: sender.name → sender_name, allegations[i].… → the row the i-th
// allegation came from, files[i] → files (with the file's name). An error
// without a field of the form goes on top.
func (s *Server) publicFieldErrors(lang string, e *ktgs.Error, rows []int, names []string) (map[string]string, string) {
	out := map[string]string{}
	var top []string
	add := func(id, msg string) {
		if old, ok := out[id]; ok {
			out[id] = old + " " + msg
			return
		}
		out[id] = msg
	}
	for k, fe := range e.Fields {
		msg := s.I18n.T(lang, fe.Key, fe.Args...)
		switch {
		case k == "sender_mode" || k == "title" || k == "content" || k == "files":
			id := k
			if k == "title" {
				id = "subject"
			}
			add(id, msg)
		case strings.HasPrefix(k, "sender."):
			add("sender_"+strings.TrimPrefix(k, "sender."), msg)
		case k == "allegations":
			add("accused_name_1", msg)
		case publicAllegationRE.MatchString(k):
			m := publicAllegationRE.FindStringSubmatch(k)
			i, _ := strconv.Atoi(m[1])
			row := 1
			if i < len(rows) {
				row = rows[i]
			}
			if m[2] == "kind" {
				add("kind", msg)
			} else if m[2] == "accused_unit" {
				add(fmt.Sprintf("accused_unit_%d", row), msg)
			} else {
				add(fmt.Sprintf("accused_name_%d", row), msg)
			}
		case publicFileRE.MatchString(k):
			i, _ := strconv.Atoi(publicFileRE.FindStringSubmatch(k)[1])
			name := ""
			if i < len(names) {
				name = guard.SafeName(names[i])
			}
			add("files", s.I18n.T(lang, "public.err.file", name)+" "+msg)
		default:
			top = append(top, msg)
		}
	}
	for id := range out {
		if _, ok := publicKnownField[id]; !ok {
			top = append(top, out[id])
			delete(out, id)
		}
	}
	msg := strings.Join(top, " ")
	if len(e.Fields) == 0 {
		msg = s.I18n.T(lang, e.Message, e.Args...)
	}
	return out, msg
}

var publicKnownField = func() map[string]bool {
	m := map[string]bool{}
	for _, id := range publicFieldOrder {
		m[id] = true
	}
	return m
}()

// Status look-up.

// publicStatusPage is the data of the status page.
type publicStatusPage struct {
	Code        publicField
	Errors      []publicError
	ErrorsTitle string
	Message     string
	Result      *publicStatusResult
}

type publicStatusResult struct {
	Status     string
	ReceivedOn string
	UpdatedOn  string
}

func (s *Server) publicStatusForm(r *http.Request, code, fieldErr, msg string) *Page {
	p := s.page(r, "public.status.title")
	f := publicField{ID: "receipt_code", Label: s.I18n.T(p.Lang, "public.status.code"), Required: s.I18n.T(p.Lang, "public.required"),
		Hint: s.I18n.T(p.Lang, "public.status.code_hint"), Value: code, Error: fieldErr, ErrWord: s.I18n.T(p.Lang, "public.error"),
		Type: "text", Autocomplete: "off", MaxLength: 64, HTMLRequired: true}
	d := &publicStatusPage{Code: f, Message: msg, ErrorsTitle: s.I18n.T(p.Lang, "public.status.errors_title")}
	if fieldErr != "" {
		d.Errors = []publicError{{ID: f.ID, Label: f.Label, Message: fieldErr}}
	}
	p.Data = d
	return p
}

func (s *Server) handlePublicStatusForm(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "public_status", s.publicStatusForm(r, "", "", ""))
	return nil
}

// handlePublicStatus answers a look-up by receipt code. The code comes in
// a POST body, never a URL, so that it stays out of logs, history and
// Referer headers. Found or not, the answer takes at least LookupFloor.
func (s *Server) handlePublicStatus(w http.ResponseWriter, r *http.Request) error {
	floor := s.Public.LookupFloor
	if floor <= 0 {
		floor = 250 * time.Millisecond
	}
	deadline := time.Now().Add(floor)
	defer func() {
		if d := time.Until(deadline); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
			}
		}
	}()
	if !guard.SameOrigin(r) {
		return ktgs.Errorf(ktgs.EFORBIDDEN, "public.err.cross_origin")
	}
	if ok, err := s.publicAllow(w, r, "lookup/ip:"+s.publicRateKey(r), limitOr(s.Public.Lookup, guard.Limit{Max: 20, Window: 10 * time.Minute}),
		"public.err.lookup_too_many"); !ok {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	lang := langOf(r.Context())
	typed := r.PostFormValue("receipt_code")
	if len(typed) > 200 {
		typed = typed[:200]
	}
	raw, ok := app.NormaliseReceipt(typed)
	if ok {
		sum := sha256.Sum256([]byte("ktgs-lookup:" + raw))
		if ok, err := s.publicAllow(w, r, "lookup/code:"+hex.EncodeToString(sum[:16]), limitOr(s.Public.LookupCode,
			guard.Limit{Max: 10, Window: time.Hour}), "public.err.lookup_too_many"); !ok {
			return err
		}
	}
	st, err := s.App.LetterStatusByReceipt(r.Context(), typed)
	switch ktgs.ErrorCode(err) {
	case "":
	case ktgs.EINVALID:
		e := ktgs.AsError(err)
		msg := s.I18n.T(lang, "err.letter.receipt_format")
		if fe, ok := e.Fields["receipt_code"]; ok {
			msg = s.I18n.T(lang, fe.Key, fe.Args...)
		}
		s.render(w, r, http.StatusBadRequest, "public_status", s.publicStatusForm(r, typed, msg, ""))
		return nil
	case ktgs.ENOTFOUND:
		s.render(w, r, http.StatusNotFound, "public_status", s.publicStatusForm(r, typed, "", s.I18n.T(lang, "public.err.not_found")))
		return nil
	default:
		return err
	}
	p := s.publicStatusForm(r, "", "", "")
	p.Data.(*publicStatusPage).Result = &publicStatusResult{Status: s.I18n.T(lang, "public.status."+string(st.Status)),
		ReceivedOn: p.D(st.ReceivedOn), UpdatedOn: p.D(st.UpdatedOn)}
	s.render(w, r, http.StatusOK, "public_status", p)
	return nil
}
