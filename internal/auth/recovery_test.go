package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"regexp"
	"strings"
	"testing"
)

var recoveryRE = regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$`)

func TestNewRecoveryCodes(t *testing.T) {
	if bits := float64(recoveryCodeChars) * math.Log2(float64(len(recoveryAlphabet))); bits < 60 {
		t.Errorf("recovery codes have %.0f bits, want at least 60", bits)
	}
	plain, hashes, err := NewRecoveryCodes(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(plain) != 10 || len(hashes) != 10 {
		t.Fatalf("got %d codes, %d hashes; want 10, 10", len(plain), len(hashes))
	}
	seen := map[string]bool{}
	for i, c := range plain {
		if !recoveryRE.MatchString(c) {
			t.Errorf("code %q does not look like k7m2-p9xq-4hfd", c)
		}
		if seen[c] {
			t.Errorf("code %q repeated", c)
		}
		seen[c] = true
		sum := sha256.Sum256([]byte(strings.ReplaceAll(c, "-", "")))
		if want := hex.EncodeToString(sum[:]); hashes[i] != want {
			t.Errorf("hash %d = %s, want SHA-256 of %q = %s", i, hashes[i], strings.ReplaceAll(c, "-", ""), want)
		}
	}
	for _, n := range []int{0, -1, MaxRecoveryCodes + 1} {
		if _, _, err := NewRecoveryCodes(n); err == nil {
			t.Errorf("NewRecoveryCodes(%d): no error", n)
		}
	}
}

func TestRecoveryCodesUnique(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		plain, _, err := NewRecoveryCodes(MaxRecoveryCodes)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range plain {
			if seen[c] {
				t.Fatalf("code %q repeated across sets", c)
			}
			seen[c] = true
		}
	}
}

func TestMatchRecoveryCode(t *testing.T) {
	plain, hashes, err := NewRecoveryCodes(8)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range plain {
		variants := []string{
			c,
			strings.ToUpper(c),
			strings.ReplaceAll(c, "-", ""),
			strings.ReplaceAll(c, "-", " "),
			" " + strings.ToUpper(strings.ReplaceAll(c, "-", " ")) + " ",
			strings.NewReplacer("0", "O", "1", "l").Replace(c),
		}
		for _, v := range variants {
			if got, ok := MatchRecoveryCode(v, hashes); !ok || got != i {
				t.Errorf("MatchRecoveryCode(%q) = %d, %v; want %d, true", v, got, ok, i)
			}
		}
	}
	other, _, _ := NewRecoveryCodes(1)
	for _, c := range []string{other[0], "", "k7m2-p9xq-4hf", "k7m2-p9xq-4hfdd", "not a code at all", plain[0] + "x"} {
		if got, ok := MatchRecoveryCode(c, hashes); ok || got != -1 {
			t.Errorf("MatchRecoveryCode(%q) = %d, %v; want -1, false", c, got, ok)
		}
	}
	if got, ok := MatchRecoveryCode(plain[0], nil); ok || got != -1 {
		t.Errorf("MatchRecoveryCode with no hashes = %d, %v; want -1, false", got, ok)
	}
	// A used code, deleted from the list, no longer matches.
	rest := append([]string(nil), hashes[1:]...)
	if _, ok := MatchRecoveryCode(plain[0], rest); ok {
		t.Error("deleted code still matches")
	}
}
