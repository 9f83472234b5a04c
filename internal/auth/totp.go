package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// TOTP parameters of the public API (RFC 6238 defaults, which every
// authenticator app supports).
const (
	TOTPDigits = 6
	TOTPPeriod = 30 * time.Second
	// TOTPSkew is the number of time steps accepted before and after the
	// current one, to allow for clock drift and typing time.
	TOTPSkew = 1
)

// totpSecretLen is the length of a new secret in bytes (160 bits, as RFC 4226
// recommends); minTOTPSecretLen is the shortest secret accepted (128 bits,
// RFC 4226 requirement R6).
const (
	totpSecretLen    = 20
	minTOTPSecretLen = 16
)

// ErrTOTPSecret reports a TOTP secret that is not base32 or is too short.
var ErrTOTPSecret = errors.New("auth: invalid TOTP secret")

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a new random TOTP secret: 20 bytes in upper-case
// base32 without padding (32 characters).
func NewTOTPSecret() (string, error) {
	b := make([]byte, totpSecretLen)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: reading random TOTP secret: %w", err)
	}
	return b32.EncodeToString(b), nil
}

// decodeTOTPSecret decodes a base32 secret, ignoring case, spaces, dashes and
// padding.
func decodeTOTPSecret(secret string) ([]byte, error) {
	s := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '=' {
			return -1
		}
		return unicode.ToUpper(r)
	}, secret)
	key, err := b32.DecodeString(s)
	if err != nil || len(key) < minTOTPSecretLen {
		return nil, ErrTOTPSecret
	}
	return key, nil
}

// TOTPURI returns the otpauth URI that authenticator apps read from a QR
// code:
//
//	otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
//
// Issuer and account are normalised to NFC and percent-encoded as UTF-8
// (every byte except A–Z a–z 0–9 - . _ ~), so Vietnamese names survive and a
// colon in them cannot split the label.
func TOTPURI(issuer, account, secret string) string {
	iss := uriEscape(norm.NFC.String(issuer))
	return "otpauth://totp/" + iss + ":" + uriEscape(norm.NFC.String(account)) +
		"?secret=" + uriEscape(secret) + "&issuer=" + iss +
		"&algorithm=SHA1&digits=6&period=30"
}

// uriEscape percent-encodes every byte of s but the RFC 3986 unreserved
// characters.
func uriEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// TOTPCode returns the 6-digit code of secret at time t.
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return "", err
	}
	c, err := totpCounter(t)
	if err != nil {
		return "", err
	}
	return hotp(key, uint64(c), TOTPDigits), nil
}

// totpCounter returns the RFC 6238 time step of t.
func totpCounter(t time.Time) (int64, error) {
	u := t.Unix()
	if u < 0 {
		return 0, errors.New("auth: TOTP time before 1970")
	}
	return u / int64(TOTPPeriod/time.Second), nil
}

// hotp returns the RFC 4226 code of key and counter with the given number of
// digits (6 to 9).
func hotp(key []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// VerifyTOTP checks a code typed by the user against secret at time now. It
// accepts the codes of the current 30-second step and of TOTPSkew steps
// either side, but never of a step at or before lastCounter, the step of the
// last code accepted for this secret (0 if none): a code works once. Spaces
// in code are ignored ("123 456"); the comparison is constant-time. On
// success it returns the step of the matching code, which the caller must
// store as the new lastCounter before acting on the login.
func VerifyTOTP(secret, code string, now time.Time, lastCounter int64) (counter int64, ok bool) {
	return verifyTOTP(secret, code, now, lastCounter, TOTPDigits)
}

// verifyTOTP is VerifyTOTP with a number of digits, for the RFC test vectors.
func verifyTOTP(secret, code string, now time.Time, lastCounter int64, digits int) (int64, bool) {
	code = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, code)
	if len(code) != digits || strings.IndexFunc(code, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return 0, false
	}
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return 0, false
	}
	cur, err := totpCounter(now)
	if err != nil {
		return 0, false
	}
	var match int64 = -1
	for c := cur - TOTPSkew; c <= cur+TOTPSkew; c++ {
		if c < 0 || c <= lastCounter {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(hotp(key, uint64(c), digits)), []byte(code)) == 1 {
			match = c // keep the latest step that matches
		}
	}
	if match < 0 {
		return 0, false
	}
	return match, true
}
