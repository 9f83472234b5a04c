package auth

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// rfcSecret is the SHA-1 key of RFC 4226 Appendix D and RFC 6238
// Appendix B, "12345678901234567890", in base32.
var rfcSecret = b32.EncodeToString([]byte("12345678901234567890"))

func TestHOTPRFC4226(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	key := []byte("12345678901234567890")
	for c, w := range want {
		if got := hotp(key, uint64(c), 6); got != w {
			t.Errorf("HOTP(counter %d) = %s, want %s", c, got, w)
		}
	}
}

func TestTOTPRFC6238(t *testing.T) {
	tests := []struct {
		unix int64
		want string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			now := time.Unix(tt.unix, 0)
			c, ok := verifyTOTP(rfcSecret, tt.want, now, 0, 8)
			if !ok {
				t.Fatalf("verifyTOTP(%s at %d, 8 digits) rejected", tt.want, tt.unix)
			}
			if want := tt.unix / 30; c != want {
				t.Errorf("counter = %d, want %d", c, want)
			}
			// The 6-digit code is the last six digits of the 8-digit one.
			got, err := TOTPCode(rfcSecret, now)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want[2:] {
				t.Errorf("TOTPCode = %s, want %s", got, tt.want[2:])
			}
		})
	}
}

func TestVerifyTOTPWindow(t *testing.T) {
	secret, err := NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 30, 15, 0, time.UTC)
	cur := now.Unix() / 30
	tests := []struct {
		name   string
		offset time.Duration
		ok     bool
	}{
		{"current", 0, true},
		{"previous step", -30 * time.Second, true},
		{"next step", 30 * time.Second, true},
		{"two steps back", -60 * time.Second, false},
		{"two steps ahead", 60 * time.Second, false},
		{"an hour back", -time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, err := TOTPCode(secret, now.Add(tt.offset))
			if err != nil {
				t.Fatal(err)
			}
			c, ok := VerifyTOTP(secret, code, now, 0)
			if ok != tt.ok {
				t.Fatalf("VerifyTOTP(code at %v) = %v, want %v", tt.offset, ok, tt.ok)
			}
			if ok && c != cur+int64(tt.offset/(30*time.Second)) {
				t.Errorf("counter = %d, want %d", c, cur+int64(tt.offset/(30*time.Second)))
			}
		})
	}
}

func TestVerifyTOTPReplay(t *testing.T) {
	secret, _ := NewTOTPSecret()
	now := time.Date(2026, 3, 2, 9, 30, 15, 0, time.UTC)
	code, _ := TOTPCode(secret, now)
	c, ok := VerifyTOTP(secret, code, now, 0)
	if !ok {
		t.Fatal("first use rejected")
	}
	if _, ok := VerifyTOTP(secret, code, now, c); ok {
		t.Error("same code accepted twice")
	}
	if _, ok := VerifyTOTP(secret, code, now.Add(20*time.Second), c); ok {
		t.Error("same code accepted twice a little later")
	}
	prev, _ := TOTPCode(secret, now.Add(-30*time.Second))
	if _, ok := VerifyTOTP(secret, prev, now, c); ok {
		t.Error("code of an earlier step accepted after a later one")
	}
	next, _ := TOTPCode(secret, now.Add(30*time.Second))
	if c2, ok := VerifyTOTP(secret, next, now.Add(30*time.Second), c); !ok || c2 != c+1 {
		t.Errorf("next step's code = %d, %v; want %d, true", c2, ok, c+1)
	}
}

func TestVerifyTOTPInput(t *testing.T) {
	now := time.Unix(59, 0)
	tests := []struct {
		name, secret, code string
		ok                 bool
	}{
		{"plain", rfcSecret, "287082", true},
		{"spaces", rfcSecret, "287 082", true},
		{"spaces around", rfcSecret, " 28 70 82 ", true},
		{"tab and nbsp", rfcSecret, "287\t0\u00a082", true},
		{"lower-case secret with spaces", strings.ToLower(rfcSecret[:8] + " " + rfcSecret[8:]), "287082", true},
		{"padded secret", rfcSecret + "====", "287082", true},
		{"wrong", rfcSecret, "287083", false},
		{"five digits", rfcSecret, "28708", false},
		{"seven digits", rfcSecret, "2870820", false},
		{"letters", rfcSecret, "28708a", false},
		{"full-width digits", rfcSecret, "２８７０８２", false},
		{"sign", rfcSecret, "+87082", false},
		{"empty", rfcSecret, "", false},
		{"bad secret", "not base32!", "287082", false},
		{"short secret", "JBSWY3DPEHPK3PXP", "287082", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := VerifyTOTP(tt.secret, tt.code, now, 0); ok != tt.ok {
				t.Errorf("VerifyTOTP(%q, %q) = %v, want %v", tt.secret, tt.code, ok, tt.ok)
			}
		})
	}
	if _, err := TOTPCode(rfcSecret, time.Unix(-1, 0)); err == nil {
		t.Error("TOTPCode before 1970: no error")
	}
	if _, err := TOTPCode("!!", time.Unix(59, 0)); err == nil {
		t.Error("TOTPCode with a bad secret: no error")
	}
}

func TestNewTOTPSecret(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		s, err := NewTOTPSecret()
		if err != nil {
			t.Fatal(err)
		}
		if len(s) != 32 || strings.ToUpper(s) != s || strings.Contains(s, "=") {
			t.Fatalf("secret %q: want 32 upper-case base32 characters without padding", s)
		}
		if key, err := decodeTOTPSecret(s); err != nil || len(key) != 20 {
			t.Fatalf("secret %q decodes to %d bytes, %v; want 20", s, len(key), err)
		}
		if seen[s] {
			t.Fatalf("secret %q repeated", s)
		}
		seen[s] = true
	}
}

func TestTOTPURI(t *testing.T) {
	if got, want := TOTPURI("KTGS", "admin", "JBSWY3DPEHPK3PXP"),
		"otpauth://totp/KTGS:admin?secret=JBSWY3DPEHPK3PXP&issuer=KTGS&algorithm=SHA1&digits=6&period=30"; got != want {
		t.Errorf("TOTPURI = %q, want %q", got, want)
	}
	tests := []struct{ issuer, account string }{
		{"Ủy ban Kiểm tra KTGS", "nguyễn.văn.an@ktgs.vn"},
		{"UBKT Tỉnh ủy Thái Nguyên", "Trần Thị Bích Ngọc"},
		{"A&B=C?D#E+F", "x/y:z%w"},
	}
	for _, tt := range tests {
		t.Run(tt.issuer, func(t *testing.T) {
			s := TOTPURI(tt.issuer, tt.account, "JBSWY3DPEHPK3PXP")
			if strings.ContainsAny(s, " +") {
				t.Errorf("URI %q has a space or a plus", s)
			}
			u, err := url.Parse(s)
			if err != nil {
				t.Fatal(err)
			}
			if u.Scheme != "otpauth" || u.Host != "totp" {
				t.Errorf("scheme, host = %q, %q", u.Scheme, u.Host)
			}
			label := strings.TrimPrefix(u.EscapedPath(), "/")
			iss, acc, ok := strings.Cut(label, ":")
			if !ok {
				t.Fatalf("label %q has no colon", label)
			}
			if got, _ := url.PathUnescape(iss); got != tt.issuer {
				t.Errorf("label issuer = %q, want %q", got, tt.issuer)
			}
			if got, _ := url.PathUnescape(acc); got != tt.account {
				t.Errorf("label account = %q, want %q", got, tt.account)
			}
			q := u.Query()
			want := url.Values{"secret": {"JBSWY3DPEHPK3PXP"}, "issuer": {tt.issuer},
				"algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
			for k, v := range want {
				if q.Get(k) != v[0] || len(q[k]) != 1 {
					t.Errorf("query %s = %q, want %q", k, q[k], v)
				}
			}
		})
	}
}
