// Package sealed encrypts the identity of people who send denunciations
// (tố cáo) to the inspection commission, so that a copy of the database alone
// never reveals who denounced whom.
//
// Identity fields are sealed with AES-256-GCM under a key that lives outside
// the database: in a key file (mode 0600) or in the KTGS_IDENTITY_KEYS
// environment variable. A Keyring holds every key still needed to read old
// data; the last key is the current one and is the only one used to seal.
// Rotation (the operator command "ktgs keys rotate") appends a fresh key,
// re-seals every value under it with NeedsReseal/Open/Seal, recomputes every
// blind index with Tag, and finally writes the Pruned ring so the old key can
// be destroyed.
//
// A Keyring is immutable once built, so one value may be shared by any number
// of goroutines.
package sealed

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// EnvVar is the environment variable whose value callers pass to Load. It
// exists so deployments that cannot mount a secret file (containers, systemd
// credentials turned into variables) can still keep the key out of the
// database; it takes precedence over the key file.
const EnvVar = "KTGS_IDENTITY_KEYS"

// KeySize is the length in bytes of every key: AES-256.
const KeySize = 32

// version is the prefix of every sealed value. It lets a future format (a
// different cipher, a different layout) coexist with old data during a
// migration instead of being mistaken for it.
const version = "v1"

// tagInfo is the HKDF info string for the blind-index sub-key. Deriving a
// separate sub-key keeps the HMAC key distinct from the AES key, so the two
// uses of the same secret cannot interact.
const tagInfo = "ktgs blind index v1"

// adPrefix is prepended to the caller's aad before it reaches GCM, so a
// ciphertext from this format can never authenticate as some other
// protocol's ciphertext that happens to use the same key and aad.
const adPrefix = "ktgs sealed " + version + "\x00"

// maxKeyFile bounds how much of a key file Load reads. A real ring is a few
// hundred bytes; the bound stops a wrong path (a log, a device) from being
// slurped into memory.
const maxKeyFile = 1 << 20

// maxIDLen bounds a key id; ids are stored in every sealed value, so they
// should stay short.
const maxIDLen = 32

// header is written at the top of every key file. Whoever finds the file on
// a server (or in a backup) must understand what it is and why it must be
// neither shared nor deleted. It contains no ';' because Parse treats ';' as
// a line separator outside comment lines.
const header = `# ktgs identity key ring (AES-256).
# These keys encrypt the identity of people who send denunciations (tố cáo).
# Keep this file secret (chmod 600) and back it up somewhere other than the
# database server. If it is lost, every sealed identity becomes permanently
# unreadable. If it leaks together with a database dump, identities leak too.
# Format: one key per line, "<id> <base64 of 32 bytes>". The last key seals
# new data, every key opens old data. Replace keys with "ktgs keys rotate".
`

var (
	// ErrNoKey means no key ring is configured: the environment variable is
	// empty and the key file does not exist, or a ring has no keys. Callers
	// should refuse to start rather than store identities in clear text.
	ErrNoKey = errors.New("sealed: no identity key configured")

	// ErrUnknownKey means a value was sealed under a key id that is not in
	// the ring: a key was removed (pruned) too early or the wrong key file
	// is loaded. The error text names the missing id so the operator knows
	// which key to restore.
	ErrUnknownKey = errors.New("sealed: value was sealed with a key that is not in the key ring")

	// ErrTampered means the ciphertext failed authentication: it was
	// modified, copied to a different place (a different aad), or its key
	// id collides with a different key. The plaintext is never returned in
	// that case.
	ErrTampered = errors.New("sealed: sealed value failed authentication (tampered with, or moved to a different field)")

	// ErrMalformed means the text is not a sealed value at all (wrong
	// prefix, bad encoding, too short). It usually points at clear text
	// stored where a sealed value was expected.
	ErrMalformed = errors.New("sealed: malformed sealed value")
)

// secret holds raw key bytes. Its Format method makes every fmt verb print a
// placeholder, so an accidental log.Printf("%+v", ring) cannot leak a key.
type secret [KeySize]byte

// Format implements fmt.Formatter and never prints the key.
func (secret) Format(f fmt.State, _ rune) { io.WriteString(f, "[redacted]") }

// entry is one key of a ring. Entries are immutable and shared between rings
// produced by Rotate and Pruned.
type entry struct {
	id     string
	raw    secret
	aead   cipher.AEAD // AES-256-GCM with random 96-bit nonces prepended
	tagKey secret      // HKDF sub-key for Tag
}

// Keyring is an ordered list of AES-256 keys. The last key is the current
// key: Seal and Tag use it. Every key can Open, so data sealed before a
// rotation stays readable until it is re-sealed. The zero Keyring has no keys
// and refuses to seal.
type Keyring struct {
	keys []*entry
}

// Format implements fmt.Formatter so that printing a Keyring with any verb
// shows only its key ids: key material must never reach a log.
func (k Keyring) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "sealed.Keyring%v", k.IDs())
}

func newEntry(id string, raw []byte) (*entry, error) {
	e := &entry{id: id}
	copy(e.raw[:], raw)
	block, err := aes.NewCipher(e.raw[:])
	if err != nil {
		return nil, fmt.Errorf("sealed: key %s: %w", id, err)
	}
	if e.aead, err = cipher.NewGCMWithRandomNonce(block); err != nil {
		return nil, fmt.Errorf("sealed: key %s: %w", id, err)
	}
	tk, err := hkdf.Key(sha256.New, e.raw[:], nil, tagInfo, KeySize)
	if err != nil {
		return nil, fmt.Errorf("sealed: key %s: deriving blind-index key: %w", id, err)
	}
	copy(e.tagKey[:], tk)
	return e, nil
}

// deriveID names a key by the first 4 bytes of its SHA-256, in hex. The id
// is stored in every sealed value; 32 bits of a hash of a 256-bit random key
// reveal nothing about the key, yet let an operator match a file to the data.
func deriveID(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:4])
}

// validID reports whether id may name a key. The alphabet excludes '.',
// which separates the parts of a sealed value, and white space and ';',
// which separate fields and lines of the key file.
func validID(id string) bool {
	if id == "" || len(id) > maxIDLen {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// Parse reads a key ring from text: one key per line, "<id> <key>", where
// key is 32 bytes in standard base64. Blank lines and lines starting with
// '#' are ignored. ';' also separates lines, so a whole ring fits in one
// environment variable ("id1 KEY1;id2 KEY2"); a line whose first non-blank
// character is '#' is a comment in full, ';' included. Keys are in order of
// age: the last one is current.
//
// Error messages give the line and, when it is well formed, the key id, but
// never any part of the key text: they end up in logs.
func Parse(text string) (*Keyring, error) {
	return parse(text, "")
}

// parse is Parse with a source name (file path or variable) for errors.
func parse(text, source string) (*Keyring, error) {
	where := "sealed: "
	if source != "" {
		where += source + ": "
	}
	k := &Keyring{}
	seen := make(map[string]bool)
	byKey := make(map[secret]string)
	for ln, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		items := strings.Split(line, ";")
		for in, item := range items {
			item = strings.TrimSpace(item)
			if item == "" || strings.HasPrefix(item, "#") {
				continue
			}
			pos := fmt.Sprintf("line %d", ln+1)
			if len(items) > 1 {
				pos += fmt.Sprintf(" item %d", in+1)
			}
			fields := strings.Fields(item)
			if len(fields) != 2 {
				return nil, fmt.Errorf(`%s%s: want "<id> <base64 key>", found %d field(s)`, where, pos, len(fields))
			}
			id, enc := fields[0], fields[1]
			if !validID(id) {
				// The bad id is not echoed: it may be a key pasted in the
				// wrong column.
				return nil, fmt.Errorf("%s%s: key id must be 1-%d letters, digits, '-' or '_'", where, pos, maxIDLen)
			}
			if seen[id] {
				return nil, fmt.Errorf("%s%s: duplicate key id %s", where, pos, id)
			}
			raw, err := base64.StdEncoding.DecodeString(enc)
			if err != nil {
				// The decoder's error is dropped: the message needs nothing
				// from the secret text, not even an offset into it.
				return nil, fmt.Errorf("%s%s: key %s is not valid standard base64", where, pos, id)
			}
			if len(raw) != KeySize {
				return nil, fmt.Errorf("%s%s: key %s is %d bytes, want %d (AES-256)", where, pos, id, len(raw), KeySize)
			}
			var s secret
			copy(s[:], raw)
			if other, dup := byKey[s]; dup {
				return nil, fmt.Errorf("%s%s: key %s is the same key as %s", where, pos, id, other)
			}
			e, err := newEntry(id, raw)
			if err != nil {
				return nil, err
			}
			seen[id] = true
			byKey[s] = id
			k.keys = append(k.keys, e)
		}
	}
	if len(k.keys) == 0 {
		return nil, fmt.Errorf("%w: %sno keys found", ErrNoKey, strings.TrimPrefix(where, "sealed: "))
	}
	return k, nil
}

// Load returns the key ring from env, the value of KTGS_IDENTITY_KEYS, when
// it is non-empty, and otherwise from the file at path. The variable wins so
// that an operator can override a file without touching it.
//
// A missing file (or an empty path) gives an error wrapping ErrNoKey, so the
// caller can refuse to start with a clear message instead of storing
// identities unprotected. On unix a file readable or writable by group or
// others is refused: the key is the only thing standing between a database
// dump and the senders' identities.
func Load(path, env string) (*Keyring, error) {
	if env != "" {
		return parse(env, EnvVar)
	}
	if path == "" {
		return nil, fmt.Errorf("%w: %s is empty and no key file is configured", ErrNoKey, EnvVar)
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: key file %s does not exist and %s is empty", ErrNoKey, path, EnvVar)
	}
	if err != nil {
		return nil, fmt.Errorf("sealed: opening key file: %w", err)
	}
	defer f.Close()
	// Stat the open file, not the path, so the mode checked is the mode of
	// the file actually read.
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("sealed: key file %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("sealed: key file %s is not a regular file", path)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("sealed: key file %s is accessible to group or others (mode %04o); run: chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("sealed: reading key file %s: %w", path, err)
	}
	if len(b) > maxKeyFile {
		return nil, fmt.Errorf("sealed: key file %s is larger than %d bytes; is the path right?", path, maxKeyFile)
	}
	return parse(string(b), "key file "+path)
}

// Generate creates a key file at path holding one fresh random key, with
// mode 0600, and returns the ring. It fails if the file already exists: an
// existing file may hold the only key to existing data, and overwriting it
// would make those identities unreadable forever.
func Generate(path string) (*Keyring, error) {
	k, err := (&Keyring{}).Rotate()
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sealed: creating key file: %w", err)
	}
	if err := writeSync(f, k.Marshal()); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("sealed: writing key file %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return k, nil
}

// WriteFile replaces the key file at path with k atomically: it writes a
// temporary 0600 file in the same directory, syncs it and renames it over
// path. A crash therefore leaves either the old ring or the new one, never a
// truncated file that would lock every identity away.
func WriteFile(path string, k *Keyring) error {
	if len(k.entries()) == 0 {
		return fmt.Errorf("%w: refusing to write an empty key ring to %s", ErrNoKey, path)
	}
	dir := filepath.Dir(path)
	// os.CreateTemp creates the file with mode 0600.
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("sealed: creating temporary key file: %w", err)
	}
	tmp := f.Name()
	if err := writeSync(f, k.Marshal()); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("sealed: writing temporary key file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("sealed: replacing key file: %w", err)
	}
	syncDir(dir)
	return nil
}

// writeSync writes b to f, syncs it to disk and closes it.
func writeSync(f *os.File, b []byte) error {
	_, err := f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes a create or rename in dir durable. It is best effort: some
// systems cannot sync a directory, and the file itself is already synced.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Marshal returns the ring in the key file format read by Parse, preceded by
// a comment header explaining what the file is. The result holds key
// material: write it only to a 0600 file.
func (k *Keyring) Marshal() []byte {
	var b strings.Builder
	b.WriteString(header)
	for _, e := range k.entries() {
		b.WriteString(e.id)
		b.WriteByte(' ')
		b.WriteString(base64.StdEncoding.EncodeToString(e.raw[:]))
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// Rotate returns a new ring with a fresh random key appended as the current
// key. Old keys stay so that data sealed under them still opens until it has
// been re-sealed; k itself is unchanged.
func (k *Keyring) Rotate() (*Keyring, error) {
	old := k.entries()
	n := &Keyring{keys: make([]*entry, 0, len(old)+1)}
	n.keys = append(n.keys, old...)
	for {
		var raw [KeySize]byte
		rand.Read(raw[:]) // never fails; crashes the program instead
		id := deriveID(raw[:])
		if k.has(id) {
			continue // a 1 in 2^32 id collision: draw another key
		}
		e, err := newEntry(id, raw[:])
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, e)
		return n, nil
	}
}

// Pruned returns a ring holding only the current key. Write it only after
// every value has been re-sealed and every tag recomputed: anything still
// sealed under a dropped key becomes unreadable (ErrUnknownKey).
func (k *Keyring) Pruned() *Keyring {
	e := k.current()
	if e == nil {
		return &Keyring{}
	}
	return &Keyring{keys: []*entry{e}}
}

// Current returns the id of the current key, the one Seal uses, or "" for an
// empty ring.
func (k *Keyring) Current() string {
	if e := k.current(); e != nil {
		return e.id
	}
	return ""
}

// IDs returns the key ids in order, oldest first; the last is Current. Ids
// are not secret and are safe to show to an operator.
func (k *Keyring) IDs() []string {
	ids := make([]string, len(k.entries()))
	for i, e := range k.entries() {
		ids[i] = e.id
	}
	return ids
}

// entries returns the keys, treating a nil ring as empty.
func (k *Keyring) entries() []*entry {
	if k == nil {
		return nil
	}
	return k.keys
}

func (k *Keyring) current() *entry {
	keys := k.entries()
	if len(keys) == 0 {
		return nil
	}
	return keys[len(keys)-1]
}

func (k *Keyring) has(id string) bool {
	return k.lookup(id) != nil
}

func (k *Keyring) lookup(id string) *entry {
	for _, e := range k.entries() {
		if e.id == id {
			return e
		}
	}
	return nil
}

// Seal encrypts plaintext under the current key with AES-256-GCM and a
// random 96-bit nonce, and returns "v1.<key id>.<base64url(nonce||ciphertext)>"
// (no padding), which fits in a text column.
//
// aad names the place the value is stored, e.g. "petition.sender": it is
// authenticated but not stored, so a sealed value copied into another field
// (with another aad) fails to open instead of silently changing meaning.
//
// Empty plaintext seals to "": there is nothing to protect, and an empty
// column keeps meaning "not given". Random nonces limit a key to about 2^32
// seals, far beyond the number of denunciations a key will ever see before
// rotation.
func (k *Keyring) Seal(plaintext []byte, aad string) (string, error) {
	if len(plaintext) == 0 {
		return "", nil
	}
	e := k.current()
	if e == nil {
		return "", fmt.Errorf("%w: cannot seal with an empty key ring", ErrNoKey)
	}
	ct := e.aead.Seal(nil, nil, plaintext, []byte(adPrefix+aad))
	return version + "." + e.id + "." + base64.RawURLEncoding.EncodeToString(ct), nil
}

// split checks the framing of a sealed value and returns its key id and
// encoded payload.
func split(sealed string) (id, payload string, err error) {
	v, rest, ok := strings.Cut(sealed, ".")
	if !ok {
		return "", "", fmt.Errorf("%w: no %q prefix (clear text where a sealed value was expected?)", ErrMalformed, version+".")
	}
	if v != version {
		return "", "", fmt.Errorf("%w: unsupported version %q, want %q", ErrMalformed, v, version)
	}
	id, payload, ok = strings.Cut(rest, ".")
	if !ok || !validID(id) {
		return "", "", fmt.Errorf("%w: bad key id", ErrMalformed)
	}
	return id, payload, nil
}

// rawURL is strict so that each sealed value has exactly one text form.
var rawURL = base64.RawURLEncoding.Strict()

// Open decrypts a value produced by Seal with the same aad. It finds the key
// by the id in the value, so values sealed before a rotation still open.
// Open("") returns an empty result, mirroring Seal.
//
// Errors wrap ErrUnknownKey (the key id is named, so the operator knows which
// key is missing from the ring), ErrMalformed, or ErrTampered.
func (k *Keyring) Open(sealed string, aad string) ([]byte, error) {
	if sealed == "" {
		return nil, nil
	}
	id, payload, err := split(sealed)
	if err != nil {
		return nil, err
	}
	e := k.lookup(id)
	if e == nil {
		return nil, fmt.Errorf("%w: key id %s is missing (ring holds %v); restore that key to the ring", ErrUnknownKey, id, k.IDs())
	}
	// The base64 decoder skips CR and LF even in strict mode; refuse them
	// so that only the canonical text opens.
	if strings.ContainsAny(payload, "\r\n") {
		return nil, fmt.Errorf("%w: line break in payload", ErrMalformed)
	}
	ct, err := rawURL.DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("%w: payload is not base64url", ErrMalformed)
	}
	if len(ct) < e.aead.Overhead() {
		return nil, fmt.Errorf("%w: payload too short", ErrMalformed)
	}
	pt, err := e.aead.Open(nil, nil, ct, []byte(adPrefix+aad))
	if err != nil {
		return nil, fmt.Errorf("%w (key %s, aad %q)", ErrTampered, id, aad)
	}
	return pt, nil
}

// NeedsReseal reports whether sealed is a well-formed value sealed under a
// key other than the current one, i.e. whether rotation still has to
// re-seal it. "" and malformed text report false: re-sealing cannot fix
// them. A value under an id missing from the ring reports true, so the
// rotate command reaches Open and fails loudly with ErrUnknownKey.
func (k *Keyring) NeedsReseal(sealed string) bool {
	if sealed == "" {
		return false
	}
	id, _, err := split(sealed)
	return err == nil && id != k.Current()
}

// Tag returns a blind index of value: the first 16 bytes of
// HMAC-SHA256(purpose || 0x00 || value), hex encoded (32 characters), keyed
// with a sub-key derived by HKDF from the current key. Equal tags mean equal
// values, which lets queries such as "other denunciations by the same
// sender" or "denouncer is member 123" run without decrypting anything,
// while a database dump alone cannot test guesses against the tags.
//
// purpose separates the indexes of different fields (e.g. "sender.name",
// "sender.member"), so equal values in different fields get unrelated tags;
// it must not contain a NUL byte (Tag panics, as for any programming error).
// value is compared byte for byte: normalise it first (trim, case, Unicode
// form) if "the same" should be looser than that. Empty value gives "", so
// unrelated anonymous denunciations never share a tag.
//
// Tags depend on the current key, so they change on rotation: the rotate
// command must recompute every stored tag under the new ring before the old
// key is pruned. Tag panics on an empty ring, because a silently empty tag
// would match unrelated rows.
func (k *Keyring) Tag(purpose, value string) string {
	if strings.IndexByte(purpose, 0) >= 0 {
		panic("sealed: Tag purpose contains a NUL byte")
	}
	if value == "" {
		return ""
	}
	e := k.current()
	if e == nil {
		panic("sealed: Tag on an empty key ring")
	}
	m := hmac.New(sha256.New, e.tagKey[:])
	io.WriteString(m, purpose)
	m.Write([]byte{0})
	io.WriteString(m, value)
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// SealJSON seals the JSON encoding of v, for identity records with several
// fields (name, address, party member number) sealed as one value.
func (k *Keyring) SealJSON(v any, aad string) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("sealed: encoding JSON: %w", err)
	}
	return k.Seal(b, aad)
}

// OpenJSON opens s with Open and decodes the JSON into v. An empty s leaves
// v untouched and returns nil: nothing was sealed.
func (k *Keyring) OpenJSON(s, aad string, v any) error {
	b, err := k.Open(s, aad)
	if err != nil || len(b) == 0 {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("sealed: decoding JSON: %w", err)
	}
	return nil
}
