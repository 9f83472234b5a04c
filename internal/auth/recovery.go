package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"
)

// recoveryAlphabet is Crockford's base32 alphabet in lower case: digits and
// letters without i, l, o and u, so that no two symbols look alike.
const recoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// Recovery code layout: three groups of four symbols, 12 × 5 = 60 bits.
const (
	recoveryGroups    = 3
	recoveryGroupLen  = 4
	recoveryCodeChars = recoveryGroups * recoveryGroupLen
)

// MaxRecoveryCodes is the largest number of codes NewRecoveryCodes makes at
// once.
const MaxRecoveryCodes = 100

// NewRecoveryCodes returns n (1 to MaxRecoveryCodes) distinct one-time
// recovery codes such as "k7m2-p9xq-4hfd" (60 random bits each) to show the
// user once, and the hashes to store in the same order: the hex SHA-256 of
// each normalised code (see MatchRecoveryCode).
func NewRecoveryCodes(n int) (plain []string, hashes []string, err error) {
	if n < 1 || n > MaxRecoveryCodes {
		return nil, nil, fmt.Errorf("auth: recovery code count %d not in 1..%d", n, MaxRecoveryCodes)
	}
	seen := make(map[string]bool, n)
	buf := make([]byte, recoveryCodeChars)
	for len(plain) < n {
		if _, err := rand.Read(buf); err != nil {
			return nil, nil, fmt.Errorf("auth: reading random recovery code: %w", err)
		}
		var b strings.Builder
		for i, c := range buf {
			if i > 0 && i%recoveryGroupLen == 0 {
				b.WriteByte('-')
			}
			b.WriteByte(recoveryAlphabet[c&31]) // 256 is a multiple of 32: no bias
		}
		code := b.String()
		if seen[code] {
			continue
		}
		seen[code] = true
		plain = append(plain, code)
		hashes = append(hashes, hashRecoveryCode(code))
	}
	return plain, hashes, nil
}

// normalizeRecoveryCode lower-cases code, drops spaces and dashes and maps
// the letters Crockford's alphabet leaves out to the digits they resemble
// (o → 0, i and l → 1).
func normalizeRecoveryCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\t':
			return -1
		case 'o', 'O':
			return '0'
		case 'i', 'I', 'l', 'L':
			return '1'
		}
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, code)
}

// hashRecoveryCode returns the hex SHA-256 of the normalised code.
func hashRecoveryCode(code string) string {
	sum := sha256.Sum256([]byte(normalizeRecoveryCode(code)))
	return hex.EncodeToString(sum[:])
}

// MatchRecoveryCode returns the index in hashes of the hash of code, as the
// user typed it (any case, with or without dashes and spaces). It compares
// with every hash in constant time and does not stop at the first match, so
// the time taken does not tell which code matched. The caller must delete
// the matching hash: a recovery code works once.
func MatchRecoveryCode(code string, hashes []string) (index int, ok bool) {
	norm := normalizeRecoveryCode(code)
	if len(norm) != recoveryCodeChars {
		return -1, false
	}
	want := []byte(hashRecoveryCode(norm))
	index = -1
	for i, h := range hashes {
		eq := subtle.ConstantTimeCompare(want, []byte(h))
		index = subtle.ConstantTimeSelect(eq, i, index)
	}
	return index, index >= 0
}
