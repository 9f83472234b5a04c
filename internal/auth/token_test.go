package auth

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	re := regexp.MustCompile(`^ktgs_[a-z2-7]{52}$`)
	seen := map[string]bool{}
	for range 1000 {
		plain, hash, err := NewToken("ktgs")
		if err != nil {
			t.Fatal(err)
		}
		if !re.MatchString(plain) {
			t.Fatalf("token %q does not match %s", plain, re)
		}
		if raw, err := b32.DecodeString(strings.ToUpper(plain[5:])); err != nil || len(raw) != 32 {
			t.Fatalf("token body decodes to %d bytes, %v; want 32", len(raw), err)
		}
		if hash != HashToken(plain) {
			t.Fatalf("hash %s != HashToken(plain) %s", hash, HashToken(plain))
		}
		if seen[plain] || seen[hash] {
			t.Fatalf("token repeated")
		}
		seen[plain], seen[hash] = true, true
	}
	for _, p := range []string{"", "KTGS", "a_b", "kt gs", "ktgs-api", strings.Repeat("a", 17), "đ"} {
		if _, _, err := NewToken(p); err == nil {
			t.Errorf("NewToken(%q): no error", p)
		}
	}
}

func TestHashToken(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := HashToken(tt.in); got != tt.want {
				t.Errorf("HashToken(%q) = %s, want %s", tt.in, got, tt.want)
			}
			if HashToken(tt.in) != HashToken(tt.in) {
				t.Error("HashToken is not stable")
			}
		})
	}
}

func TestNewSessionIDAndSetupToken(t *testing.T) {
	for name, f := range map[string]func() (string, string, error){"session": NewSessionID, "setup": NewSetupToken} {
		t.Run(name, func(t *testing.T) {
			seen := map[string]bool{}
			for range 1000 {
				plain, hash, err := f()
				if err != nil {
					t.Fatal(err)
				}
				raw, err := base64.RawURLEncoding.DecodeString(plain)
				if err != nil || len(raw) != 32 || len(plain) != 43 {
					t.Fatalf("%q: %d bytes, %v; want 43 base64url characters of 32 bytes", plain, len(raw), err)
				}
				if hash != HashToken(plain) || len(hash) != 64 {
					t.Fatalf("hash %q is not HashToken(plain)", hash)
				}
				if seen[plain] {
					t.Fatal("value repeated")
				}
				seen[plain] = true
			}
		})
	}
}
