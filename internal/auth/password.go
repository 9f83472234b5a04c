package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Params are the argon2id cost parameters of a password hash.
type Params struct {
	Memory  uint32 // memory in KiB
	Time    uint32 // number of passes
	Threads uint8  // degree of parallelism
	SaltLen uint32 // salt length in bytes
	KeyLen  uint32 // derived key length in bytes
}

// defaultParams are the parameters of new hashes: 64 MiB, 2 passes, 2 lanes,
// a 16-byte salt and a 32-byte key. Read it only through DefaultParams.
var defaultParams = Params{Memory: 64 * 1024, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32}

// DefaultMaxConcurrent is the number of hashes a Hasher computes at once
// when its MaxConcurrent is zero. Each hash holds Params.Memory KiB while it
// runs, so with the default parameters four hashes need 256 MiB.
const DefaultMaxConcurrent = 4

// Limits on the parameters accepted from a stored hash. A PHC string from a
// tampered or corrupted database must not make Verify allocate gigabytes or
// run for minutes.
const (
	maxMemory  = 1 << 20 // KiB, 1 GiB
	maxTime    = 32
	maxThreads = 64
	minSalt    = 8
	maxSalt    = 64
	minKey     = 16
	maxKey     = 64
)

// Errors returned by Hash and Verify.
var (
	// ErrMalformedHash reports a stored hash that is not a PHC string of the
	// form Hash produces.
	ErrMalformedHash = errors.New("auth: malformed password hash")
	// ErrUnsupportedHash reports a well-formed PHC string with an algorithm,
	// version or parameters that this package refuses to compute.
	ErrUnsupportedHash = errors.New("auth: unsupported password hash")
	// ErrEmptyPassword reports an attempt to hash an empty password.
	ErrEmptyPassword = errors.New("auth: empty password")
)

// DefaultParams returns the parameters of new password hashes:
// m=65536 KiB, t=2, p=2, 16-byte salt, 32-byte key.
func DefaultParams() Params { return defaultParams }

// withDefaults returns p with each zero field replaced by its default.
func (p Params) withDefaults() Params {
	d := defaultParams
	if p.Memory == 0 {
		p.Memory = d.Memory
	}
	if p.Time == 0 {
		p.Time = d.Time
	}
	if p.Threads == 0 {
		p.Threads = d.Threads
	}
	if p.SaltLen == 0 {
		p.SaltLen = d.SaltLen
	}
	if p.KeyLen == 0 {
		p.KeyLen = d.KeyLen
	}
	return p
}

// check reports whether p is within the limits this package computes.
func (p Params) check() error {
	if p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory ||
		p.Time < 1 || p.Time > maxTime ||
		p.Threads < 1 || p.Threads > maxThreads ||
		p.SaltLen < minSalt || p.SaltLen > maxSalt ||
		p.KeyLen < minKey || p.KeyLen > maxKey {
		return fmt.Errorf("%w: parameters m=%d,t=%d,p=%d salt=%d key=%d out of range",
			ErrUnsupportedHash, p.Memory, p.Time, p.Threads, p.SaltLen, p.KeyLen)
	}
	return nil
}

// Hasher hashes and verifies passwords with argon2id. The zero value uses
// DefaultParams and DefaultMaxConcurrent; a zero field of Params takes its
// default value. Tests use cheaper parameters:
//
//	h := &auth.Hasher{Params: auth.Params{Memory: 64, Time: 1, Threads: 1}}
//
// A Hasher is safe for concurrent use. It must not be copied after first use,
// and its fields must not change after first use.
type Hasher struct {
	// Params are the parameters of new hashes; stored hashes with other
	// parameters still verify but report needsRehash.
	Params Params
	// MaxConcurrent caps the hashes computed at once (Hash and Verify
	// together); callers beyond it wait for a slot or for their context.
	MaxConcurrent int

	once sync.Once
	sem  chan struct{}
}

// defaultHasher serves the package-level functions. Its fields never change;
// only its semaphore is used.
var defaultHasher = &Hasher{}

// HashPassword hashes password with the default Hasher; see Hasher.Hash.
func HashPassword(ctx context.Context, password string) (string, error) {
	return defaultHasher.Hash(ctx, password)
}

// VerifyPassword checks password against a stored hash with the default
// Hasher; see Hasher.Verify.
func VerifyPassword(ctx context.Context, phc, password string) (ok, needsRehash bool, err error) {
	return defaultHasher.Verify(ctx, phc, password)
}

// params returns the effective parameters of h.
func (h *Hasher) params() Params { return h.Params.withDefaults() }

// acquire takes a hashing slot, or returns the context's error.
func (h *Hasher) acquire(ctx context.Context) error {
	h.once.Do(func() {
		n := h.MaxConcurrent
		if n <= 0 {
			n = DefaultMaxConcurrent
		}
		h.sem = make(chan struct{}, n)
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// release returns a hashing slot.
func (h *Hasher) release() { <-h.sem }

// Hash returns the PHC string of password:
//
//	$argon2id$v=19$m=65536,t=2,p=2$<salt>$<key>
//
// with salt and key in unpadded standard base64. The password is normalised
// to Unicode NFC first, so that the same Vietnamese password typed with a
// composing or a decomposing keyboard hashes alike. Hash waits for a free
// slot (see MaxConcurrent) and returns ctx.Err() if ctx ends first.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if password == "" {
		return "", ErrEmptyPassword
	}
	p := h.params()
	if err := p.check(); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: reading random salt: %w", err)
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(norm.NFC.String(password)), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	h.release()
	return encodePHC(p, salt, key), nil
}

// Verify reports whether password matches the stored PHC string phc, comparing
// the keys in constant time. needsRehash is true when the password matches
// but phc was made with parameters other than h's: the caller should then
// store a fresh Hash. A malformed or unsupported phc returns an error wrapping
// ErrMalformedHash or ErrUnsupportedHash, never a panic. Like Hash, Verify
// normalises password to NFC and waits for a slot or for ctx.
func (h *Hasher) Verify(ctx context.Context, phc, password string) (ok, needsRehash bool, err error) {
	p, salt, key, err := parsePHC(phc)
	if err != nil {
		return false, false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(norm.NFC.String(password)), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	h.release()
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return false, false, nil
	}
	return true, p != h.params(), nil
}

var b64 = base64.RawStdEncoding.Strict()

// encodePHC formats a PHC string.
func encodePHC(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// parsePHC splits a PHC string made by encodePHC into its parameters, salt
// and key. It accepts exactly that form: algorithm argon2id, v=19, the
// parameters m, t, p in that order as plain decimals, and unpadded base64.
func parsePHC(s string) (p Params, salt, key []byte, err error) {
	bad := func(what string) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("%w: %s", ErrMalformedHash, what)
	}
	if len(s) > 512 {
		return bad("too long")
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return bad("want 5 fields separated by $")
	}
	if parts[1] != "argon2id" {
		return Params{}, nil, nil, fmt.Errorf("%w: algorithm %q", ErrUnsupportedHash, parts[1])
	}
	v, ok := strings.CutPrefix(parts[2], "v=")
	if !ok {
		return bad("no version")
	}
	if ver, ok := decimal(v, 32); !ok {
		return bad("version")
	} else if ver != argon2.Version {
		return Params{}, nil, nil, fmt.Errorf("%w: version %d", ErrUnsupportedHash, ver)
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return bad("want parameters m,t,p")
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		d, ok := strings.CutPrefix(kv[i], name)
		if !ok {
			return bad("want parameters m,t,p")
		}
		bits := 32
		if i == 2 {
			bits = 8
		}
		if vals[i], ok = decimal(d, bits); !ok {
			return bad("parameter " + name[:1])
		}
	}
	salt, err = b64.DecodeString(parts[4])
	if err != nil {
		return bad("salt encoding")
	}
	key, err = b64.DecodeString(parts[5])
	if err != nil {
		return bad("key encoding")
	}
	p = Params{Memory: uint32(vals[0]), Time: uint32(vals[1]), Threads: uint8(vals[2]),
		SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	if err := p.check(); err != nil {
		return Params{}, nil, nil, err
	}
	return p, salt, key, nil
}

// decimal parses a plain unsigned decimal without sign or leading zeros.
func decimal(s string, bits int) (uint64, bool) {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, bits)
	return n, err == nil
}
