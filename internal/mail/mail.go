// Package mail sends e-mail reminders over SMTP.
//
// It is a thin layer over net/smtp that adds what a reminder sender needs:
// correctly encoded Vietnamese (UTF-8) headers and body, a stable
// Message-ID so a receiving system can de-duplicate retries, TLS by default,
// a per-message timeout that also honours the caller's context, and errors
// that name the SMTP step that failed together with the server's reply.
//
// A message is delivered to all of its recipients or to none: if the server
// rejects one recipient the transaction is abandoned before DATA.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Config is the SMTP configuration (KTGS_SMTP_* variables, read by the caller).
type Config struct {
	Addr     string // host:port, e.g. "smtp.example.vn:587"; empty disables sending
	From     string // "KTGS <ktgs@example.vn>"
	Username string // optional AUTH PLAIN (only over TLS or to localhost, as net/smtp enforces)
	Password string
	// TLS: "starttls" (default; refuse to send if the server does not offer
	// it unless Insecure), "tls" (implicit TLS, port 465), "none" (only
	// allowed for loopback addresses, or with Insecure).
	TLS string
	// Insecure allows plaintext to a non-loopback server (tests, closed networks); off by default.
	Insecure bool
	Timeout  time.Duration // per message, default 30 s
	// RootCAs, if set, verifies the server certificate (tests use a self-signed one); nil uses the system pool.
	RootCAs *x509.CertPool
}

// Message is one e-mail. Subject and Body are Vietnamese text (UTF-8).
type Message struct {
	To      []string // addresses, "Name <addr>" allowed
	Subject string
	Body    string // plain text
	// ID is a stable id for the message (e.g. "reminder-42-2026-11-28");
	// used as the Message-ID local part so a receiving system can
	// de-duplicate. It must consist of RFC 5322 atext characters and dots.
	// If empty, a random id is generated.
	ID string
}

// TLS modes accepted in Config.TLS.
const (
	tlsStartTLS = "starttls"
	tlsImplicit = "tls"
	tlsNone     = "none"
)

// defaultTimeout is used when Config.Timeout is zero.
const defaultTimeout = 30 * time.Second

// Header lines are folded to this length where possible (76 rather than
// the 78 of RFC 5322 2.1.1, as RFC 2047 requires for encoded-words).
const (
	foldLen    = 76
	maxLineLen = 998
)

// Sender sends messages. It is safe for concurrent use; every Send opens its
// own SMTP connection.
type Sender struct {
	cfg     Config
	host    string        // host part of Addr, used for TLS and AUTH
	tlsMode string        // normalised Config.TLS
	from    *mail.Address // parsed Config.From
	domain  string        // domain of From, right side of Message-ID
	helo    string        // name sent in EHLO
	now     func() time.Time
}

// New validates cfg and returns a Sender. An empty Addr yields a disabled
// Sender (Enabled reports false and Send fails) without further checks.
func New(cfg Config) (*Sender, error) {
	s := &Sender{cfg: cfg, now: time.Now, helo: heloName()}
	if cfg.Addr == "" {
		return s, nil
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("mail: Addr (KTGS_SMTP_ADDR) %q must be host:port: %v", cfg.Addr, err)
	}
	if host == "" {
		return nil, fmt.Errorf("mail: Addr (KTGS_SMTP_ADDR) %q has no host", cfg.Addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return nil, fmt.Errorf("mail: Addr (KTGS_SMTP_ADDR) %q has an invalid port %q", cfg.Addr, port)
	}
	if hasCtl(host) {
		return nil, fmt.Errorf("mail: Addr (KTGS_SMTP_ADDR) %q contains a control character", cfg.Addr)
	}
	s.host = host

	mode := strings.ToLower(strings.TrimSpace(cfg.TLS))
	switch mode {
	case "":
		mode = tlsStartTLS
	case tlsStartTLS, tlsImplicit:
	case tlsNone:
		if !isLoopback(host) && !cfg.Insecure {
			return nil, fmt.Errorf("mail: TLS (KTGS_SMTP_TLS) %q is only allowed for a loopback server, not %q (set Insecure to send in plaintext on a closed network)", cfg.TLS, host)
		}
	default:
		return nil, fmt.Errorf("mail: TLS (KTGS_SMTP_TLS) %q is not one of \"starttls\", \"tls\", \"none\"", cfg.TLS)
	}
	s.tlsMode = mode

	if strings.TrimSpace(cfg.From) == "" {
		return nil, errors.New("mail: From (KTGS_SMTP_FROM) is empty")
	}
	from, err := parseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail: From (KTGS_SMTP_FROM): %v", err)
	}
	s.from = from
	s.domain = from.Address[strings.LastIndexByte(from.Address, '@')+1:]

	switch {
	case cfg.Timeout == 0:
		s.cfg.Timeout = defaultTimeout
	case cfg.Timeout < 0:
		return nil, fmt.Errorf("mail: Timeout (KTGS_SMTP_TIMEOUT) %v is negative", cfg.Timeout)
	}
	if cfg.Password != "" && cfg.Username == "" {
		return nil, errors.New("mail: Password (KTGS_SMTP_PASSWORD) is set but Username (KTGS_SMTP_USERNAME) is empty")
	}
	return s, nil
}

// Enabled reports whether sending is configured (Config.Addr is not empty).
func (s *Sender) Enabled() bool { return s != nil && s.cfg.Addr != "" }

// Send delivers m. The whole exchange is bounded by Config.Timeout and by
// ctx. The message is validated before connecting. On failure the error
// names the SMTP step that failed ("dial", "tls handshake", "greeting",
// "ehlo", "starttls", "auth", "mail from", "rcpt to <addr>", "data") and
// includes the server's reply; it wraps the *textproto.Error of the reply
// and, on timeout or cancellation, context.DeadlineExceeded or ctx.Err().
func (s *Sender) Send(ctx context.Context, m Message) error {
	if !s.Enabled() {
		return errors.New("mail: sending is disabled (Addr, KTGS_SMTP_ADDR, is empty)")
	}
	rcpts, raw, err := s.build(m)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mail: smtp %s: dial: %w", s.cfg.Addr, err)
	}
	tctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	step, err := s.deliver(tctx, rcpts, raw)
	if err == nil {
		return nil
	}
	// The connection deadline may fire a moment before the context notices
	// its own deadline, so an I/O timeout counts as the context's too.
	timedOut := tctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded)
	pdl, hasPDL := ctx.Deadline()
	tdl, _ := tctx.Deadline()
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("mail: smtp %s: %s: %w (%w)", s.cfg.Addr, step, ctx.Err(), err)
	case timedOut && hasPDL && !pdl.After(tdl):
		return fmt.Errorf("mail: smtp %s: %s: %w (%w)", s.cfg.Addr, step, context.DeadlineExceeded, err)
	case timedOut:
		return fmt.Errorf("mail: smtp %s: %s: timed out after %v: %w (%w)", s.cfg.Addr, step, s.cfg.Timeout, context.DeadlineExceeded, err)
	}
	return fmt.Errorf("mail: smtp %s: %s: %w", s.cfg.Addr, step, err)
}

// deliver runs one SMTP transaction. On failure it returns the name of the
// step that failed.
func (s *Sender) deliver(ctx context.Context, rcpts []string, raw []byte) (string, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return "dial", err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(dl); err != nil {
			return "dial", err
		}
	}
	// Cancellation (or the timeout) interrupts any blocked read or write.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	tcfg := &tls.Config{ServerName: s.host, RootCAs: s.cfg.RootCAs, MinVersion: tls.VersionTLS12}
	var smtpConn net.Conn = conn
	if s.tlsMode == tlsImplicit {
		tc := tls.Client(conn, tcfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return "tls handshake", err
		}
		smtpConn = tc // net/smtp recognises *tls.Conn as encrypted
	}

	c, err := smtp.NewClient(smtpConn, s.host)
	if err != nil {
		return "greeting", err
	}
	defer c.Close()
	// Protocol-level failures end politely with QUIT; I/O errors just close.
	fail := func(step string, err error) (string, error) {
		var te *textproto.Error
		if errors.As(err, &te) {
			_ = c.Quit()
		}
		return step, err
	}
	if err := c.Hello(s.helo); err != nil {
		return "ehlo", err
	}
	// net/smtp sends EHLO lazily and Extension hides its error: NOOP forces
	// the EHLO (or HELO) and reports its failure.
	if err := c.Noop(); err != nil {
		return fail("ehlo", err)
	}

	if s.tlsMode == tlsStartTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tcfg); err != nil {
				return fail("starttls", err)
			}
		} else if !s.cfg.Insecure {
			return fail("starttls", errors.New("server does not offer STARTTLS; refusing to send in plaintext (TLS=starttls, Insecure is off)"))
		}
	}

	if s.cfg.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return fail("auth", errors.New("server does not offer AUTH but a Username is configured"))
		}
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.host)); err != nil {
			return fail("auth", err)
		}
	}

	if err := c.Mail(s.from.Address); err != nil {
		return fail("mail from", err)
	}
	for _, r := range rcpts {
		if err := c.Rcpt(r); err != nil {
			return fail("rcpt to <"+r+">", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fail("data", err)
	}
	if _, err := w.Write(raw); err != nil {
		return "data", err
	}
	if err := w.Close(); err != nil {
		return fail("data", err)
	}
	// The server has accepted the message; a failing QUIT must not make the
	// caller retry (and duplicate) it.
	_ = c.Quit()
	return "", nil
}

// build validates m and returns the envelope recipients and the encoded
// message (CRLF line endings, 7-bit).
func (s *Sender) build(m Message) ([]string, []byte, error) {
	if len(m.To) == 0 {
		return nil, nil, errors.New("mail: message has no recipient (To is empty)")
	}
	var rcpts []string
	var to []*mail.Address
	seen := make(map[string]bool)
	for i, t := range m.To {
		a, err := parseAddress(t)
		if err != nil {
			return nil, nil, fmt.Errorf("mail: To[%d]: %v", i, err)
		}
		to = append(to, a)
		if k := strings.ToLower(a.Address); !seen[k] {
			seen[k] = true
			rcpts = append(rcpts, a.Address)
		}
	}

	if strings.ContainsAny(m.Subject, "\r\n") {
		return nil, nil, errors.New("mail: Subject contains a line break (header injection refused)")
	}
	if !utf8.ValidString(m.Subject) {
		return nil, nil, errors.New("mail: Subject is not valid UTF-8")
	}
	if hasCtl(strings.ReplaceAll(m.Subject, "\t", " ")) {
		return nil, nil, errors.New("mail: Subject contains a control character")
	}
	if !utf8.ValidString(m.Body) {
		return nil, nil, errors.New("mail: Body is not valid UTF-8")
	}

	id := m.ID
	if id == "" {
		var b [16]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	} else if err := checkID(id); err != nil {
		return nil, nil, err
	}

	var toToks []string
	for i, a := range to {
		toks := addressTokens(a)
		if i < len(to)-1 {
			toks[len(toks)-1] += ","
		}
		toToks = append(toToks, toks...)
	}
	headers := []struct {
		name string
		toks []string
	}{
		{"Date", splitFold(s.now().Format(time.RFC1123Z))},
		{"From", addressTokens(s.from)},
		{"To", toToks},
		{"Subject", subjectTokens(norm.NFC.String(m.Subject))},
		{"Message-ID", []string{"<" + id + "@" + s.domain + ">"}},
		{"MIME-Version", []string{"1.0"}},
		{"Content-Type", []string{"text/plain;", "charset=UTF-8"}},
		{"Content-Transfer-Encoding", []string{"quoted-printable"}},
		{"Auto-Submitted", []string{"auto-generated"}},
	}
	var buf bytes.Buffer
	for _, h := range headers {
		lines, err := headerLines(h.name, h.toks)
		if err != nil {
			return nil, nil, err
		}
		buf.WriteString(lines)
	}
	buf.WriteString("\r\n")

	body := norm.NFC.String(m.Body)
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	if body != "" && !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	qp := quotedprintable.NewWriter(&buf) // turns every \n into CRLF
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, nil, err
	}
	return rcpts, buf.Bytes(), nil
}

// parseAddress parses one RFC 5322 address ("Name <addr>" or "addr"),
// refusing line breaks (header injection), control characters and
// non-ASCII addresses (SMTPUTF8 is not used). The display name is
// normalised to NFC.
func parseAddress(s string) (*mail.Address, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, fmt.Errorf("address %q contains a line break (header injection refused)", s)
	}
	if hasCtl(s) {
		return nil, fmt.Errorf("address %q contains a control character", s)
	}
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("address %q is not valid UTF-8", s)
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("invalid address %q: %v", s, err)
	}
	for i := 0; i < len(a.Address); i++ {
		if c := a.Address[i]; c <= ' ' || c >= 0x7f {
			return nil, fmt.Errorf("address %q: only ASCII addresses are supported (write the domain in punycode)", s)
		}
	}
	at := strings.LastIndexByte(a.Address, '@')
	if at <= 0 || at == len(a.Address)-1 {
		return nil, fmt.Errorf("invalid address %q: missing local part or domain", s)
	}
	a.Name = norm.NFC.String(a.Name)
	return a, nil
}

// checkID verifies that id can be the left side of a Message-ID
// (RFC 5322 dot-atom-text).
func checkID(id string) error {
	if strings.ContainsAny(id, "\r\n") {
		return fmt.Errorf("mail: ID %q contains a line break (header injection refused)", id)
	}
	if len(id) > 200 {
		return fmt.Errorf("mail: ID %q is longer than 200 characters", id)
	}
	if id[0] == '.' || id[len(id)-1] == '.' || strings.Contains(id, "..") {
		return fmt.Errorf("mail: ID %q must not start or end with a dot or contain two dots in a row", id)
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c != '.' && !isAtext(c) {
			return fmt.Errorf("mail: ID %q contains %q; only letters, digits, dots and !#$%%&'*+-/=?^_`{|}~ are allowed", id, c)
		}
	}
	return nil
}

func isAtext(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// maxWordLen is the length of the RFC 2047 encoded-words we produce. It is
// below the 75-character limit so that a word fits on a header line together
// with the field name and lines containing encoded-words stay within 76
// characters (RFC 2047 section 2).
const maxWordLen = 60

// subjectTokens returns the Subject as tokens to be joined by single
// spaces. Text that is not plain printable ASCII (or that could be mistaken
// for an encoded-word, has leading or trailing blanks, or a word too long to
// fold) is encoded as UTF-8 B encoded-words.
func subjectTokens(s string) []string {
	toks := splitFold(s)
	encode := strings.TrimSpace(s) != s || strings.Contains(s, "=?")
	for i := 0; i < len(s) && !encode; i++ {
		encode = s[i] < ' ' || s[i] >= 0x7f
	}
	for _, t := range toks {
		encode = encode || len(t) > maxWordLen
	}
	if encode {
		return encodeWords(s)
	}
	return toks
}

// addressTokens returns a formatted address as tokens to be joined by
// single spaces: the display name (a quoted-string if printable ASCII,
// else encoded-words) followed by "<addr>".
func addressTokens(a *mail.Address) []string {
	angle := (&mail.Address{Address: a.Address}).String()
	if a.Name == "" {
		return []string{angle}
	}
	for i := 0; i < len(a.Name); i++ {
		if c := a.Name[i]; c < ' ' || c >= 0x7f {
			return append(encodeWords(a.Name), angle)
		}
	}
	// mail.Address quotes an ASCII name as needed.
	return splitFold((&mail.Address{Name: a.Name, Address: a.Address}).String())
}

// encodeWords encodes s as UTF-8 B encoded-words of at most maxWordLen
// characters, split on character boundaries. A decoder ignores the
// white space between adjacent encoded-words.
func encodeWords(s string) []string {
	const overhead = len("=?utf-8?b??=")
	maxRaw := (maxWordLen - overhead) / 4 * 3
	var words []string
	for start := 0; start < len(s) || len(words) == 0; {
		end := start
		for end < len(s) {
			_, n := utf8.DecodeRuneInString(s[end:])
			if end+n-start > maxRaw {
				break
			}
			end += n
		}
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[start:end]))+"?=")
		start = end
	}
	return words
}

// splitFold splits s at its fold points, the single spaces between two
// non-blank characters, so that joining the result with " " gives s back.
func splitFold(s string) []string {
	var toks []string
	start := 0
	for i := 1; i < len(s)-1; i++ {
		if s[i] == ' ' && !isBlank(s[i-1]) && !isBlank(s[i+1]) {
			toks = append(toks, s[start:i])
			start = i + 1
		}
	}
	return append(toks, s[start:])
}

// headerLines formats "Name: tok1 tok2 ...\r\n", folding between tokens so
// that lines stay within foldLen characters where possible. Unfolding
// (removing the CRLFs) gives "Name: " followed by the tokens joined by
// single spaces.
func headerLines(name string, toks []string) (string, error) {
	var b strings.Builder
	line := name + ":"
	for i, t := range toks {
		if i > 0 && len(line)+1+len(t) > foldLen {
			b.WriteString(line)
			b.WriteString("\r\n")
			line = ""
		}
		line += " " + t
		if len(line) > maxLineLen {
			return "", fmt.Errorf("mail: %s header is too long (a line exceeds %d characters)", name, maxLineLen)
		}
	}
	b.WriteString(line)
	b.WriteString("\r\n")
	return b.String(), nil
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// hasCtl reports whether s contains an ASCII control character.
func hasCtl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c == 0x7f {
			return true
		}
	}
	return false
}

// isLoopback reports whether host is "localhost" or a loopback IP literal.
// Names are not resolved.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// heloName returns the name to send in EHLO: the host name if it looks
// like a valid one, else "localhost".
func heloName() string {
	h, err := os.Hostname()
	if err != nil || h == "" || len(h) > 253 {
		return "localhost"
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return "localhost"
		}
	}
	return h
}
