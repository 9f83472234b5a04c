package guard

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable time source for Forms.Now.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

var (
	secret  = []byte("0123456789abcdef0123456789abcdef")
	t0      = time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)
	testPow = 12 // cheap enough for -race, still meaningful
)

func newForms(c *clock, sec []byte) *Forms {
	return &Forms{Secret: sec, PowBits: testPow, Now: c.now}
}

func TestCheck(t *testing.T) {
	c := &clock{t: t0}
	f := newForms(c, secret)
	token := f.Issue()
	challenge, err := f.Challenge(token)
	if err != nil {
		t.Fatal(err)
	}
	good := SolvePow(challenge, testPow)
	if !VerifyPow(challenge, good, testPow) {
		t.Fatalf("SolvePow(%q) = %q does not verify", challenge, good)
	}
	// A nonce that does not solve the challenge.
	bad := "0"
	for i := 1; VerifyPow(challenge, bad, testPow); i++ {
		bad = fmt.Sprint(i)
	}
	// Another token of the same Forms, which good (almost surely) does
	// not solve.
	var token2 string
	for {
		token2 = f.Issue()
		if ch, _ := f.Challenge(token2); !VerifyPow(ch, good, testPow) {
			break
		}
	}

	other := newForms(c, []byte("another secret, just as long...."))
	foreign := other.Issue()

	raw, _ := base64.RawURLEncoding.DecodeString(token)
	flip := func(i int) string {
		b := append([]byte(nil), raw...)
		b[i] ^= 0x01
		return base64.RawURLEncoding.EncodeToString(b)
	}

	tests := []struct {
		name     string
		token    string
		honeypot string
		pow      string
		after    time.Duration
		want     error
	}{
		{"valid after MinAge", token, "", "", DefaultMinAge, nil},
		{"valid near MaxAge", token, "", "", DefaultMaxAge, nil},
		{"too fast without pow", token, "", "", DefaultMinAge - time.Second, ErrTooFast},
		{"at once without pow", token, "", "", 0, ErrTooFast},
		{"too fast with valid pow", token, "", good, time.Second, nil},
		{"at once with valid pow", token, "", good, 0, nil},
		{"too fast with wrong pow", token, "", bad, time.Second, ErrTooFast},
		{"too fast with garbage pow", token, "", "12a", time.Second, ErrTooFast},
		{"pow of another token", token2, "", good, time.Second, ErrTooFast},
		{"expired", token, "", "", DefaultMaxAge + time.Second, ErrExpired},
		{"expired despite pow", token, "", good, DefaultMaxAge + time.Second, ErrExpired},
		{"tampered timestamp", flip(7), "", "", DefaultMinAge, ErrBadToken},
		{"tampered challenge", flip(10), "", "", DefaultMinAge, ErrBadToken},
		{"tampered mac", flip(39), "", "", DefaultMinAge, ErrBadToken},
		{"tampered text", token[:20] + string(token[20]^1) + token[21:], "", "", DefaultMinAge, ErrBadToken},
		{"truncated", token[:len(token)-1], "", "", DefaultMinAge, ErrBadToken},
		{"empty", "", "", "", DefaultMinAge, ErrBadToken},
		{"not base64", strings.Repeat("!", len(token)), "", "", DefaultMinAge, ErrBadToken},
		{"honeypot", token, "http://spam.example", "", DefaultMinAge, ErrBot},
		{"honeypot with pow", token, "x", good, DefaultMinAge, ErrBot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.t = t0.Add(tt.after)
			defer func() { c.t = t0 }()
			if err := f.Check(tt.token, tt.honeypot, tt.pow); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("Check = %v, want %v", err, tt.want)
			}
		})
	}

	t.Run("token from another secret", func(t *testing.T) {
		c.t = t0.Add(DefaultMinAge)
		defer func() { c.t = t0 }()
		if err := f.Check(foreign, "", ""); !errors.Is(err, ErrBadToken) {
			t.Errorf("Check(foreign) = %v, want ErrBadToken", err)
		}
		if _, err := f.Challenge(foreign); !errors.Is(err, ErrBadToken) {
			t.Errorf("Challenge(foreign) = %v, want ErrBadToken", err)
		}
	})
}

// TestIssueRoundsUp: a token issued at 10.9 s must not pass MinAge at
// 13.0 s, which a rounded-down issue time would allow.
func TestIssueRoundsUp(t *testing.T) {
	c := &clock{t: t0.Add(900 * time.Millisecond)}
	f := newForms(c, secret)
	token := f.Issue()
	c.t = t0.Add(DefaultMinAge)
	if err := f.Check(token, "", ""); !errors.Is(err, ErrTooFast) {
		t.Errorf("Check 2.1 s after issue = %v, want ErrTooFast", err)
	}
	c.t = t0.Add(DefaultMinAge + time.Second)
	if err := f.Check(token, "", ""); err != nil {
		t.Errorf("Check 3.1 s after issue = %v", err)
	}
}

func TestIssueUnique(t *testing.T) {
	f := newForms(&clock{t: t0}, secret)
	seen := map[string]bool{}
	for range 100 {
		tok := f.Issue()
		ch, err := f.Challenge(tok)
		if err != nil || len(ch) != 32 || seen[ch] {
			t.Fatalf("Challenge(%q) = %q, %v (seen %v)", tok, ch, err, seen[ch])
		}
		seen[ch] = true
	}
}

func TestFormsSettings(t *testing.T) {
	c := &clock{t: t0}
	f := &Forms{Secret: secret, MinAge: 10 * time.Second, MaxAge: time.Minute, PowBits: testPow, Now: c.now}
	tok := f.Issue()
	for _, tt := range []struct {
		after time.Duration
		want  error
	}{
		{5 * time.Second, ErrTooFast},
		{10 * time.Second, nil},
		{time.Minute, nil},
		{time.Minute + time.Second, ErrExpired},
	} {
		c.t = t0.Add(tt.after)
		if err := f.Check(tok, "", ""); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("after %v: Check = %v, want %v", tt.after, err, tt.want)
		}
	}
	if d := (&Forms{}).Difficulty(); d != DefaultPowBits {
		t.Errorf("default Difficulty = %d", d)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("Issue with a short secret did not panic")
			}
		}()
		(&Forms{Secret: []byte("short")}).Issue()
	}()
}

func TestPow(t *testing.T) {
	for _, bits := range []int{1, 4, 8, 9, 12, 16} {
		ch := fmt.Sprintf("%032x", bits*7919)
		n := SolvePow(ch, bits)
		if !VerifyPow(ch, n, bits) {
			t.Errorf("bits %d: SolvePow = %q does not verify", bits, n)
		}
		sum := sha256.Sum256([]byte(ch + ":" + n))
		if z := leadingZeros(sum[:]); z < bits {
			t.Errorf("bits %d: hash %x has only %d leading zero bits", bits, sum, z)
		}
	}
	// SolvePow returns the first solution, checked here by a bit count
	// independent of zeroBits: the same nonce pow.js finds.
	ch := "00112233445566778899aabbccddeeff"
	n := SolvePow(ch, 10)
	for i := 0; ; i++ {
		s := fmt.Sprint(i)
		sum := sha256.Sum256([]byte(ch + ":" + s))
		if leadingZeros(sum[:]) >= 10 {
			if s != n {
				t.Errorf("SolvePow = %q, first solution is %q", n, s)
			}
			break
		}
	}
	for _, tt := range []struct {
		name, challenge, nonce string
		bits                   int
	}{
		{"empty nonce", ch, "", 10},
		{"non-digit", ch, n + "x", 10},
		{"sign", ch, "+" + n, 10},
		{"too long", ch, strings.Repeat("9", 21), 10},
		{"zero bits", ch, n, 0},
		{"too many bits", ch, n, 257},
		{"other challenge", "ff" + ch[2:], n, 30},
		{"empty challenge", "", n, 10},
	} {
		if VerifyPow(tt.challenge, tt.nonce, tt.bits) {
			t.Errorf("%s: VerifyPow(%q, %q, %d) = true", tt.name, tt.challenge, tt.nonce, tt.bits)
		}
	}
	if SolvePow(ch, 0) != "" || SolvePow(ch, 65) != "" {
		t.Error("SolvePow accepts bits out of range")
	}
}

func leadingZeros(b []byte) int {
	n := 0
	for _, c := range b {
		for m := byte(0x80); m != 0; m >>= 1 {
			if c&m != 0 {
				return n
			}
			n++
		}
	}
	return n
}

func TestZeroBits(t *testing.T) {
	var s [32]byte
	s[0], s[1] = 0x00, 0x1F // 11 leading zero bits
	for n, want := range map[int]bool{0: true, 1: true, 8: true, 11: true, 12: false, 16: false, 256: false} {
		if got := zeroBits(s, n); got != want {
			t.Errorf("zeroBits(%x…, %d) = %v, want %v", s[:2], n, got, want)
		}
	}
	if !zeroBits([32]byte{}, 256) {
		t.Error("all-zero hash lacks 256 zero bits")
	}
}

func TestLimitWindowStart(t *testing.T) {
	l := Limit{Max: 3, Window: time.Hour}
	now := time.Date(2026, 3, 2, 8, 42, 17, 5, time.UTC)
	if got, want := l.WindowStart(now), time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("WindowStart = %v, want %v", got, want)
	}
}

func TestAllow(t *testing.T) {
	ctx := context.Background()
	l := Limit{Max: 3, Window: time.Hour}
	base := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	var c MemCounter
	type step struct {
		key   string
		at    time.Duration // after base
		ok    bool
		retry time.Duration
	}
	steps := []step{
		{"ip:a", 0, true, 0},
		{"ip:a", 10 * time.Minute, true, 0},
		{"ip:b", 11 * time.Minute, true, 0}, // other key, own count
		{"ip:a", 20 * time.Minute, true, 0},
		{"ip:a", 45 * time.Minute, false, 15 * time.Minute}, // 4th in the window
		{"ip:a", 50 * time.Minute, false, 10 * time.Minute}, // still refused
		{"ip:b", 51 * time.Minute, true, 0},                 // b unaffected
		{"ip:a", 60 * time.Minute, true, 0},                 // new window
		{"ip:a", 61 * time.Minute, true, 0},
		{"ip:a", 62 * time.Minute, true, 0},
		{"ip:a", 119 * time.Minute, false, time.Minute},
	}
	for i, s := range steps {
		ok, retry, err := Allow(ctx, &c, s.key, l, base.Add(s.at))
		if err != nil || ok != s.ok || retry != s.retry {
			t.Errorf("step %d (%s at %v): Allow = %v, %v, %v; want %v, %v", i, s.key, s.at, ok, retry, err, s.ok, s.retry)
		}
	}
	if ok, _, err := Allow(ctx, &c, "k", Limit{Max: 1}, base); ok || err == nil {
		t.Errorf("Allow with no window = %v, %v; want refusal and an error", ok, err)
	}
	if ok, retry, _ := Allow(ctx, &c, "none", Limit{Max: 0, Window: time.Minute}, base.Add(90*time.Second)); ok || retry != 30*time.Second {
		t.Errorf("Allow with Max 0 = %v, %v", ok, retry)
	}
}

type failCounter struct{}

func (failCounter) Incr(context.Context, string, time.Time) (int, error) {
	return 0, errors.New("db down")
}

func TestAllowCounterError(t *testing.T) {
	ok, _, err := Allow(context.Background(), failCounter{}, "k", Limit{Max: 5, Window: time.Minute}, t0)
	if ok || err == nil {
		t.Errorf("Allow over a failing counter = %v, %v", ok, err)
	}
}

func TestMemCounterConcurrent(t *testing.T) {
	var c MemCounter
	ctx := context.Background()
	const workers, each = 16, 200
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				if _, err := c.Incr(ctx, "shared", t0); err != nil {
					t.Error(err)
				}
				c.Incr(ctx, fmt.Sprintf("own-%d-%d", w, i%10), t0)
			}
		})
	}
	wg.Wait()
	n, _ := c.Incr(ctx, "shared", t0)
	if n != workers*each+1 {
		t.Errorf("shared count = %d, want %d", n, workers*each+1)
	}
	if got := c.Len(); got != 1+workers*10 {
		t.Errorf("Len = %d, want %d", got, 1+workers*10)
	}
}

func TestMemCounterEvicts(t *testing.T) {
	c := MemCounter{Retain: time.Hour}
	ctx := context.Background()
	for i := range memSweepMin - 1 {
		c.Incr(ctx, fmt.Sprint("old", i), t0)
	}
	// Still within Retain: nothing evicted, counts kept.
	later := t0.Add(time.Hour)
	if n, _ := c.Incr(ctx, "old0", later.Add(-time.Minute)); n != 1 {
		t.Errorf("old0 in a new window = %d, want 1", n)
	}
	c.Incr(ctx, "new", later.Add(time.Minute)) // triggers a sweep, old windows out of Retain
	if got := c.Len(); got != 2 {
		t.Errorf("Len after sweep = %d, want 2 (old0 and new)", got)
	}
	// A late request for an older window counts against the current one.
	if n, _ := c.Incr(ctx, "new", t0); n != 2 {
		t.Errorf("late Incr = %d, want 2", n)
	}
}

func TestClientIP(t *testing.T) {
	tests := []struct {
		name   string
		remote string
		xff    []string
		trust  bool
		want   string
	}{
		{"v4", "203.0.113.7:51234", nil, false, "203.0.113.7"},
		{"v6 reduced to /64", "[2001:db8:1:2:3:4:5:6]:443", nil, false, "2001:db8:1:2::/64"},
		{"v6 same /64 same key", "[2001:db8:1:2:ffff::1]:443", nil, false, "2001:db8:1:2::/64"},
		{"v6 zone dropped", "[fe80::1%eth0]:80", nil, false, "fe80::/64"},
		{"v4-mapped v6", "[::ffff:198.51.100.9]:80", nil, false, "198.51.100.9"},
		{"no port", "198.51.100.9", nil, false, "198.51.100.9"},
		{"xff ignored when untrusted", "10.0.0.2:80", []string{"198.51.100.1"}, false, "10.0.0.2"},
		{"proxy: single", "10.0.0.2:80", []string{"198.51.100.1"}, true, "198.51.100.1"},
		{"proxy: last of list", "10.0.0.2:80", []string{"1.2.3.4, 198.51.100.1"}, true, "198.51.100.1"},
		{"proxy: last of several headers", "10.0.0.2:80", []string{"1.2.3.4", "5.6.7.8,198.51.100.2"}, true, "198.51.100.2"},
		{"proxy: v6", "10.0.0.2:80", []string{"2001:db8:aa:bb::99"}, true, "2001:db8:aa:bb::/64"},
		{"proxy: with port", "10.0.0.2:80", []string{"198.51.100.3:6000"}, true, "198.51.100.3"},
		{"proxy: bracketed v6", "10.0.0.2:80", []string{"[2001:db8::1]"}, true, "2001:db8::/64"},
		{"proxy: garbage falls back", "10.0.0.2:80", []string{"1.2.3.4, unknown"}, true, "10.0.0.2"},
		{"proxy: no header", "10.0.0.2:80", nil, true, "10.0.0.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/thu", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := ClientIP(r, tt.trust); got != tt.want {
				t.Errorf("ClientIP = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSameOrigin(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		host    string
		headers map[string]string
		want    bool
	}{
		{"same-origin", "POST", "ktgs.example.vn", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "https://evil.example"}, true},
		{"none (typed URL)", "POST", "ktgs.example.vn", map[string]string{"Sec-Fetch-Site": "none"}, true},
		{"cross-site", "POST", "ktgs.example.vn", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://ktgs.example.vn"}, false},
		{"same-site", "POST", "ktgs.example.vn", map[string]string{"Sec-Fetch-Site": "same-site"}, false},
		{"no fetch metadata, matching Origin", "POST", "ktgs.example.vn", map[string]string{"Origin": "https://ktgs.example.vn"}, true},
		{"matching Origin, other case", "POST", "KTGS.example.vn", map[string]string{"Origin": "https://ktgs.EXAMPLE.vn"}, true},
		{"matching Origin, default port", "POST", "ktgs.example.vn:443", map[string]string{"Origin": "https://ktgs.example.vn"}, true},
		{"matching Origin with port", "POST", "localhost:8080", map[string]string{"Origin": "http://localhost:8080"}, true},
		{"other port", "POST", "localhost:8080", map[string]string{"Origin": "http://localhost:9090"}, false},
		{"mismatching Origin", "POST", "ktgs.example.vn", map[string]string{"Origin": "https://evil.example"}, false},
		{"lookalike Origin", "POST", "ktgs.example.vn", map[string]string{"Origin": "https://ktgs.example.vn.evil.example"}, false},
		{"null Origin", "POST", "ktgs.example.vn", map[string]string{"Origin": "null", "Referer": "https://ktgs.example.vn/thu"}, false},
		{"Referer fallback", "POST", "ktgs.example.vn", map[string]string{"Referer": "https://ktgs.example.vn/gui-thu?x=1"}, true},
		{"mismatching Referer", "POST", "ktgs.example.vn", map[string]string{"Referer": "https://evil.example/ktgs.example.vn"}, false},
		{"no headers", "POST", "ktgs.example.vn", nil, false},
		{"GET from anywhere", "GET", "ktgs.example.vn", map[string]string{"Sec-Fetch-Site": "cross-site"}, true},
		{"PUT cross-site", "PUT", "ktgs.example.vn", map[string]string{"Sec-Fetch-Site": "cross-site"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, "/gui-thu", nil)
			r.Host = tt.host
			for k, v := range tt.headers {
				r.Header.Set(k, v)
			}
			if got := SameOrigin(r); got != tt.want {
				t.Errorf("SameOrigin = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestChallengeHex(t *testing.T) {
	f := newForms(&clock{t: t0}, secret)
	tok := f.Issue()
	ch, err := f.Challenge(tok)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(tok)
	if want := hex.EncodeToString(raw[8:24]); ch != want {
		t.Errorf("Challenge = %q, want the random part %q", ch, want)
	}
}
