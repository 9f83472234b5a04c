package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// tokenBytes is the entropy of tokens, session ids and setup tokens.
const tokenBytes = 32

// maxTokenPrefix is the longest prefix NewToken accepts.
const maxTokenPrefix = 16

// randomBytes returns n bytes from crypto/rand.
func randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("auth: reading random bytes: %w", err)
	}
	return b, nil
}

// NewToken returns a new API token and its hash. The token is prefix, an
// underscore and 32 random bytes in lower-case base32 without padding
// (52 characters), e.g. "ktgs_mfrggzdfmztwq2lk…"; the prefix (1 to 16 of
// a–z and 0–9) tells people and secret scanners what the token is. Show
// plain to the user once and store only hash (HashToken of plain).
func NewToken(prefix string) (plain, hash string, err error) {
	if prefix == "" || len(prefix) > maxTokenPrefix || strings.Trim(prefix, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
		return "", "", fmt.Errorf("auth: token prefix %q is not 1 to %d of a-z, 0-9", prefix, maxTokenPrefix)
	}
	b, err := randomBytes(tokenBytes)
	if err != nil {
		return "", "", err
	}
	plain = prefix + "_" + strings.ToLower(b32.EncodeToString(b))
	return plain, HashToken(plain), nil
}

// HashToken returns the hex SHA-256 of a token, session id or setup token
// exactly as given: the value to store and to look up. A plain hash is
// enough because the input has 256 random bits; a stolen database does not
// yield usable tokens or cookies.
func HashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// NewSessionID returns a new session id for the session cookie (32 random
// bytes, unpadded base64url, 43 characters) and its hash, HashToken of the
// id, which is what the database stores.
func NewSessionID() (plain, hash string, err error) { return newOpaque() }

// NewSetupToken returns a new token for the one-time administrator setup
// link (32 random bytes, unpadded base64url, safe in a URL) and its hash,
// HashToken of the token, which is what the database stores.
func NewSetupToken() (plain, hash string, err error) { return newOpaque() }

// newOpaque returns 32 random bytes in base64url and their HashToken.
func newOpaque() (plain, hash string, err error) {
	b, err := randomBytes(tokenBytes)
	if err != nil {
		return "", "", err
	}
	plain = base64.RawURLEncoding.EncodeToString(b)
	return plain, HashToken(plain), nil
}
