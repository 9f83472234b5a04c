// Package guard protects the public, account-less parts of KTGS (the web
// form where anyone may send a denunciation or petition letter with
// attachments, and the page where a sender looks a letter up by its receipt
// code) against abuse, without any third-party service: no CAPTCHA, no
// external script, nothing that needs JavaScript.
//
// It is pure policy: no database, no HTML, no global mutable state. The web
// layer renders the form, stores what must be stored and maps the exported
// sentinel errors to Vietnamese messages; the errors carry no internals.
//
// # Form tokens
//
// Forms.Issue makes an opaque token to put in a hidden field of the form;
// Forms.Check verifies it when the form comes back. A token is
//
//	base64url( issued-at (8 bytes, big-endian unix seconds)
//	         ‖ 16 random bytes
//	         ‖ first 16 bytes of HMAC-SHA256(Secret, label ‖ the 24 bytes before) )
//
// so the server keeps no state to issue or check one. The token gives:
//
//   - timing: a form sent back sooner than MinAge (3 s by default: nobody
//     can read and fill in a letter form faster) is refused with
//     ErrTooFast, one older than MaxAge (2 h) with ErrExpired;
//   - a honeypot: a field that a person never sees and a naive bot fills;
//   - an optional proof of work: the random part of the token is a
//     challenge (Forms.Challenge) that static/js/pow.js solves in the
//     browser while the user types (SolvePow does the same in Go). A valid
//     solution lets a form through before MinAge, so a fast human with
//     JavaScript is never held up; without JavaScript the minimum time
//     simply applies. The proof never blocks the form.
//   - anti-forgery for a form that has no session: see SameOrigin.
//
// Check is stateless, so it cannot see a token used twice. The caller that
// wants single use records the token's challenge (unique per token) as
// spent, e.g. under a unique constraint, keeps the record for at least
// MaxAge and refuses the token a second time. (A fixed-window Limit of Max
// 1 does not do: a token's lifetime can straddle two windows.)
//
// # Rate limits
//
// Limit is a fixed-window policy (at most Max events per Window) and Allow
// applies it over any Counter: MemCounter for a single server, a
// database-backed counter for several. ClientIP gives the key for a
// client, reducing IPv6 addresses to their /64.
//
// # Attachments
//
// Sniff accepts only PDF, JPEG, PNG, UTF-8 plain text, DOCX and ODT, by
// content, and only under a matching file name extension; SafeName cleans
// a file name for storage and display. Serve stored files with Kind.MIME,
// "X-Content-Type-Options: nosniff" and "Content-Disposition: attachment".
package guard

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math/bits"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults for the zero fields of Forms.
const (
	// DefaultMinAge is the least time between showing the form and
	// accepting it without a proof of work: a person cannot read and fill
	// in a letter form in less than 3 seconds.
	DefaultMinAge = 3 * time.Second
	// DefaultMaxAge is how long a token stays valid: a letter may take a
	// while to write, but a token should not be harvested and kept.
	DefaultMaxAge = 2 * time.Hour
	// DefaultPowBits is the difficulty of the proof of work: 2^18 (about
	// 260,000) SHA-256 hashes on average, a few seconds in a phone's
	// browser while the user types, well under DefaultMinAge on a desktop.
	DefaultPowBits = 18
)

// Errors of Forms.Check and Forms.Challenge. They say what was wrong and
// nothing more; the web layer shows its own message for each.
var (
	// ErrBadToken: the token is missing, malformed, altered, or was made
	// with another secret. Ask the sender to reload the form.
	ErrBadToken = errors.New("guard: invalid form token")
	// ErrTooFast: the form came back sooner than MinAge after it was
	// issued and without a valid proof of work. A person can wait a moment
	// and send again; the same token becomes acceptable.
	ErrTooFast = errors.New("guard: form sent too fast")
	// ErrExpired: the token is older than MaxAge. Ask the sender to reload
	// the form (keeping what they typed).
	ErrExpired = errors.New("guard: form token expired")
	// ErrBot: the honeypot field was filled in, which no person sees.
	ErrBot = errors.New("guard: honeypot filled")
)

// Forms issues and checks form tokens. Its zero fields take the defaults
// above; Now defaults to time.Now. Secret must hold at least 16 (better 32)
// random bytes, kept on the server and the same on every application
// server; Issue and Check panic on a shorter one, which is a configuration
// error. Changing the secret invalidates the forms being filled in. A Forms
// is safe for concurrent use as long as its fields are not changed.
type Forms struct {
	Secret  []byte
	MinAge  time.Duration // default DefaultMinAge; a negative value means none
	MaxAge  time.Duration // default DefaultMaxAge
	PowBits int           // default DefaultPowBits
	Now     func() time.Time
}

const (
	tsLen    = 8
	randLen  = 16
	macLen   = 16
	tokenLen = tsLen + randLen + macLen
	// macLabel separates these MACs from any other use of the secret.
	macLabel = "ktgs guard form token v1\x00"
)

var tokenEnc = base64.RawURLEncoding.Strict()

func (f *Forms) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func (f *Forms) minAge() time.Duration {
	switch {
	case f.MinAge == 0:
		return DefaultMinAge
	case f.MinAge < 0:
		return 0
	}
	return f.MinAge
}

func (f *Forms) maxAge() time.Duration {
	if f.MaxAge <= 0 {
		return DefaultMaxAge
	}
	return f.MaxAge
}

func (f *Forms) powBits() int {
	if f.PowBits <= 0 {
		return DefaultPowBits
	}
	return f.PowBits
}

func (f *Forms) checkSecret() {
	if len(f.Secret) < 16 {
		panic("guard: Forms.Secret must be at least 16 bytes")
	}
}

func (f *Forms) mac(b []byte) []byte {
	f.checkSecret()
	m := hmac.New(sha256.New, f.Secret)
	m.Write([]byte(macLabel))
	m.Write(b)
	return m.Sum(nil)[:macLen]
}

// Issue returns a new token for a form shown now. The issue time is
// rounded up to the next second, so MinAge is never shortened by the
// rounding (and MaxAge shortened by less than a second).
func (f *Forms) Issue() string {
	now := f.now()
	sec := now.Unix()
	if now.Nanosecond() != 0 {
		sec++
	}
	b := make([]byte, tokenLen)
	binary.BigEndian.PutUint64(b, uint64(sec))
	rand.Read(b[tsLen : tsLen+randLen]) // never fails (crypto/rand)
	copy(b[tsLen+randLen:], f.mac(b[:tsLen+randLen]))
	return tokenEnc.EncodeToString(b)
}

// parse decodes and authenticates token, returning its issue time and
// random part.
func (f *Forms) parse(token string) (time.Time, []byte, error) {
	f.checkSecret() // the same panic on a bad secret, whatever the input
	if len(token) != tokenEnc.EncodedLen(tokenLen) {
		return time.Time{}, nil, ErrBadToken
	}
	b, err := tokenEnc.DecodeString(token)
	if err != nil || len(b) != tokenLen {
		return time.Time{}, nil, ErrBadToken
	}
	if subtle.ConstantTimeCompare(f.mac(b[:tsLen+randLen]), b[tsLen+randLen:]) != 1 {
		return time.Time{}, nil, ErrBadToken
	}
	sec := int64(binary.BigEndian.Uint64(b))
	return time.Unix(sec, 0), b[tsLen : tsLen+randLen], nil
}

// Check verifies a form sent back with token, the value of the honeypot
// field and the value of the proof-of-work field ("" when the browser ran
// no JavaScript or had not finished). In order, it returns ErrBadToken for
// a token that is not one of ours, ErrBot for a filled honeypot, ErrExpired
// for a token older than MaxAge, and ErrTooFast for one younger than
// MinAge whose proof of work is missing or wrong; nil otherwise.
//
// The honeypot is a text field hidden from people (visually and from
// screen readers: off-screen, aria-hidden, tabindex="-1",
// autocomplete="off") under a plausible name that browsers do not
// autofill; any non-empty value is a bot.
func (f *Forms) Check(token, honeypot, pow string) error {
	issued, challenge, err := f.parse(token)
	if err != nil {
		return err
	}
	if honeypot != "" {
		return ErrBot
	}
	age := f.now().Sub(issued)
	if age > f.maxAge() {
		return ErrExpired
	}
	if age < f.minAge() && !VerifyPow(hex.EncodeToString(challenge), pow, f.powBits()) {
		return ErrTooFast
	}
	return nil
}

// Challenge returns the proof-of-work challenge of token, in lower-case
// hex, for the form's data-pow-challenge attribute; its error is
// ErrBadToken. The challenge is unique to the token, so it is also the key
// under which to record a token as used.
func (f *Forms) Challenge(token string) (string, error) {
	_, challenge, err := f.parse(token)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(challenge), nil
}

// Difficulty returns the proof-of-work difficulty in force (PowBits or its
// default), for the form's data-pow-bits attribute.
func (f *Forms) Difficulty() int { return f.powBits() }

// maxNonceLen bounds the nonce VerifyPow hashes: 20 decimal digits hold
// any uint64.
const maxNonceLen = 20

// SolvePow returns the smallest decimal nonce (0, 1, 2, …) such that
// SHA-256(challenge + ":" + nonce) starts with at least bits zero bits:
// exactly what static/js/pow.js computes in the browser. It takes about
// 2^bits hashes; bits must be between 1 and 64 (else it returns "").
func SolvePow(challenge string, bits int) string {
	if bits < 1 || bits > 64 {
		return ""
	}
	buf := make([]byte, 0, len(challenge)+1+maxNonceLen)
	buf = append(buf, challenge...)
	buf = append(buf, ':')
	n := len(buf)
	for i := uint64(0); ; i++ {
		buf = strconv.AppendUint(buf[:n], i, 10)
		if zeroBits(sha256.Sum256(buf), bits) {
			return string(buf[n:])
		}
	}
}

// VerifyPow reports whether nonce, a decimal number of at most 20 digits,
// solves challenge at difficulty bits (1 to 256): SHA-256(challenge + ":"
// + nonce) starts with at least bits zero bits.
func VerifyPow(challenge, nonce string, bits int) bool {
	if bits < 1 || bits > 256 || challenge == "" || nonce == "" || len(nonce) > maxNonceLen {
		return false
	}
	for i := 0; i < len(nonce); i++ {
		if nonce[i] < '0' || nonce[i] > '9' {
			return false
		}
	}
	return zeroBits(sha256.Sum256([]byte(challenge+":"+nonce)), bits)
}

// zeroBits reports whether sum starts with at least n zero bits.
func zeroBits(sum [sha256.Size]byte, n int) bool {
	for _, b := range sum {
		if n <= 0 {
			return true
		}
		if b != 0 {
			return bits.LeadingZeros8(b) >= n
		}
		n -= 8
	}
	return n <= 0
}

// Limit is a fixed-window rate limit: at most Max events per Window, the
// windows being consecutive intervals of length Window aligned on the zero
// time (for a divisor of a day, on UTC midnight). A burst of up to 2×Max
// can straddle a window boundary; that is the price of needing one counter
// per key. Max <= 0 allows nothing.
type Limit struct {
	Max    int
	Window time.Duration
}

// WindowStart returns the start of the window holding now. (The brief
// asked for a method named Window, which Go forbids next to the field of
// the same name.) A Window <= 0 has no windows: it returns now.
func (l Limit) WindowStart(now time.Time) time.Time {
	if l.Window <= 0 {
		return now
	}
	return now.Truncate(l.Window)
}

// Counter counts events per key and window. Incr adds one event to key in
// the window starting at windowStart and returns the number of events in
// that window so far, including this one. An implementation may forget
// windows that have ended. Keys of different limits must not collide:
// prefix them (e.g. "letter/ip:" + ClientIP(r)).
type Counter interface {
	Incr(ctx context.Context, key string, windowStart time.Time) (int, error)
}

// errWindow is returned by Allow for a Limit without a positive Window.
var errWindow = errors.New("guard: Limit.Window must be positive")

// Allow counts one event for key at time now and reports whether it is
// within l. When it is not, retryAfter is the time left until the window
// ends (for a Retry-After header; always positive). The refused event is
// counted too, so hammering does not help. An error from c is returned
// with ok false: whether to fail open or closed is the caller's choice.
func Allow(ctx context.Context, c Counter, key string, l Limit, now time.Time) (ok bool, retryAfter time.Duration, err error) {
	if l.Window <= 0 {
		return false, 0, errWindow
	}
	start := l.WindowStart(now)
	n, err := c.Incr(ctx, key, start)
	if err != nil {
		return false, 0, err
	}
	if n <= l.Max {
		return true, 0, nil
	}
	return false, start.Add(l.Window).Sub(now), nil
}

// MemCounter is an in-memory Counter for a single application server (or
// tests). Its zero value is ready to use and it is safe for concurrent use.
// It keeps one window per key and forgets windows that started more than
// Retain (default 24 h) before the latest window it has seen; Retain must
// be at least the longest Limit.Window counted with it.
type MemCounter struct {
	Retain time.Duration

	mu     sync.Mutex
	m      map[string]memEntry
	latest time.Time // the latest window start seen
	sweep  int       // sweep when the map reaches this size
}

type memEntry struct {
	start time.Time
	n     int
}

const memSweepMin = 1024

// Incr implements Counter. A call for a window older than the key's
// current one (a late request) counts against the current window.
func (c *MemCounter) Incr(_ context.Context, key string, windowStart time.Time) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]memEntry)
		c.sweep = memSweepMin
	}
	if windowStart.After(c.latest) {
		c.latest = windowStart
	}
	e, ok := c.m[key]
	if !ok || windowStart.After(e.start) {
		e = memEntry{start: windowStart}
	}
	e.n++
	c.m[key] = e
	if len(c.m) >= c.sweep {
		c.evict()
	}
	return e.n, nil
}

// evict forgets windows older than Retain before the latest window, then
// sets the next sweep at twice the remaining size, so sweeps cost O(1)
// amortised per Incr and the map stays within twice the live keys.
func (c *MemCounter) evict() {
	retain := c.Retain
	if retain <= 0 {
		retain = 24 * time.Hour
	}
	cutoff := c.latest.Add(-retain)
	for k, e := range c.m {
		if e.start.Before(cutoff) {
			delete(c.m, k)
		}
	}
	c.sweep = max(memSweepMin, 2*len(c.m))
}

// Len returns the number of keys the counter holds.
func (c *MemCounter) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// ClientIP returns the rate-limiting key of the client of r: its IP
// address, with an IPv6 address reduced to its /64 prefix (written
// "2001:db8:1:2::/64"), because one subscriber (one home, one phone)
// commonly holds a whole /64 and could otherwise rotate through 2^64
// addresses. IPv4-mapped IPv6 addresses count as IPv4.
//
// The address is r.RemoteAddr's, or, when trustProxy, the LAST address in
// X-Forwarded-For. Pass trustProxy true only when the request comes from
// your own reverse proxy (e.g. the peer is in the trusted-proxy list).
// The last address is the one that proxy appended: the peer it saw. Every
// earlier entry came from the client and may be anything, so taking the
// first would let a sender choose their key and escape the limits. (With
// several proxies in a chain, the last address is the outermost proxy's
// peer only if that proxy is the one adding the header.) A missing or
// unparsable last entry falls back to RemoteAddr.
func ClientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if v := r.Header.Values("X-Forwarded-For"); len(v) > 0 {
			last := v[len(v)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if a, ok := parseIP(strings.TrimSpace(last)); ok {
				return ipKey(a)
			}
		}
	}
	host := r.RemoteAddr
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if a, ok := parseIP(host); ok {
		return ipKey(a)
	}
	return host
}

// parseIP parses an address, with or without a port or brackets.
func parseIP(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a, true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr(), true
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if a, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil {
			return a, true
		}
	}
	return netip.Addr{}, false
}

func ipKey(a netip.Addr) string {
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// SameOrigin reports whether a state-changing request (a POST) comes from
// a page of this site: true when Sec-Fetch-Site is "same-origin" or "none"
// (typed in the address bar, a bookmark), false for any other value
// ("same-site", "cross-site"); without Sec-Fetch-Site (older browsers),
// true when the Origin header's host, or without Origin the Referer's,
// equals r.Host; false otherwise, including for Origin "null" and for a
// request carrying none of these headers. Safe methods (GET, HEAD,
// OPTIONS) are always true: a link from another site to the form is fine.
//
// The signed-in part of KTGS ties its forms to the session's CSRF token,
// but the public letter form has no session: its sender has no account
// and no cookie. So a forged cross-site POST is refused by this check,
// and a scripted one (which can forge these headers, but does not run in
// a victim's browser) by the HMAC form token of Forms, which it must first
// fetch and then wait for, plus the rate limits.
func SameOrigin(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	if sfs := r.Header.Get("Sec-Fetch-Site"); sfs != "" {
		return sfs == "same-origin" || sfs == "none"
	}
	if o := r.Header.Get("Origin"); o != "" {
		return sameHost(o, r.Host)
	}
	if ref := r.Header.Get("Referer"); ref != "" {
		return sameHost(ref, r.Host)
	}
	return false
}

// sameHost reports whether the URL u names host (ignoring case and a
// default port on either side).
func sameHost(u, host string) bool {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || host == "" {
		return false
	}
	return strings.EqualFold(stripDefaultPort(p.Host, p.Scheme), stripDefaultPort(host, p.Scheme))
}

func stripDefaultPort(host, scheme string) string {
	switch {
	case scheme == "https" && strings.HasSuffix(host, ":443"):
		return strings.TrimSuffix(host, ":443")
	case scheme == "http" && strings.HasSuffix(host, ":80"):
		return strings.TrimSuffix(host, ":80")
	}
	return host
}
