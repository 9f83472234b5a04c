package sealed

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// newRing returns a ring with one fresh random key.
func newRing(t *testing.T) *Keyring {
	t.Helper()
	k, err := (&Keyring{}).Rotate()
	if err != nil {
		t.Fatalf("Rotate on empty ring: %v", err)
	}
	return k
}

// fixedKey returns the base64 text of a 32-byte key filled with b.
func fixedKey(b byte) string {
	return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{b}, KeySize))
}

func mustParse(t *testing.T, text string) *Keyring {
	t.Helper()
	k, err := Parse(text)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return k
}

func mustSeal(t *testing.T, k *Keyring, pt, aad string) string {
	t.Helper()
	s, err := k.Seal([]byte(pt), aad)
	if err != nil {
		t.Fatalf("Seal(%q, %q): %v", pt, aad, err)
	}
	return s
}

// writeKeyFile writes text to a new file in a temporary directory with the
// given mode (chmod after writing, so the umask does not interfere).
func writeKeyFile(t *testing.T, text string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "identity.keys")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSealOpenRoundTrip(t *testing.T) {
	k := newRing(t)
	tests := []struct {
		name, pt, aad string
	}{
		{"ascii", "Nguyen Van A", "petition.sender"},
		{"vietnamese", "Nguyễn Thị Ánh, thôn Đông, xã Hòa Bình", "petition.sender"},
		{"binary", "\x00\x01\xff\x00", "petition.sender_phone"},
		{"one byte", "x", ""},
		{"large", strings.Repeat("đảng viên ", 10000), "petition.body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSeal(t, k, tt.pt, tt.aad)
			if want := "v1." + k.Current() + "."; !strings.HasPrefix(s, want) {
				t.Errorf("sealed %q does not start with %q", s[:min(len(s), 40)], want)
			}
			if len(tt.pt) > 2 && strings.Contains(s, tt.pt) {
				t.Errorf("sealed value contains the plaintext")
			}
			got, err := k.Open(s, tt.aad)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if string(got) != tt.pt {
				t.Errorf("Open = %q, want %q", got, tt.pt)
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	k := newRing(t)
	for _, pt := range [][]byte{nil, {}} {
		s, err := k.Seal(pt, "petition.sender")
		if err != nil || s != "" {
			t.Errorf("Seal(%#v) = %q, %v; want \"\", nil", pt, s, err)
		}
	}
	got, err := k.Open("", "petition.sender")
	if err != nil || len(got) != 0 {
		t.Errorf("Open(\"\") = %q, %v; want empty, nil", got, err)
	}
	if _, err := (&Keyring{}).Seal([]byte("x"), "a"); !errors.Is(err, ErrNoKey) {
		t.Errorf("Seal on empty ring: err = %v, want ErrNoKey", err)
	}
	var nilRing *Keyring
	if _, err := nilRing.Seal([]byte("x"), "a"); !errors.Is(err, ErrNoKey) {
		t.Errorf("Seal on nil ring: err = %v, want ErrNoKey", err)
	}
}

// flip returns s with bit 0 of decoded payload byte i flipped, re-encoded.
func flip(t *testing.T, s string, i int) string {
	t.Helper()
	j := strings.LastIndexByte(s, '.')
	b, err := base64.RawURLEncoding.DecodeString(s[j+1:])
	if err != nil {
		t.Fatal(err)
	}
	if i < 0 {
		i += len(b)
	}
	b[i] ^= 1
	return s[:j+1] + base64.RawURLEncoding.EncodeToString(b)
}

// canonicalSibling returns a base64url character that differs from c only in
// its lowest bit, which a lenient decoder would ignore at the end of the text
// when the payload length leaves unused bits.
func canonicalSibling(c byte) byte {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	return alphabet[strings.IndexByte(alphabet, c)^1]
}

func TestOpenErrors(t *testing.T) {
	k := mustParse(t, "aaaa1111 "+fixedKey(1))
	const aad = "petition.sender"
	s := mustSeal(t, k, "Trần Văn B, đảng viên chi bộ 3", aad)
	payload := s[strings.LastIndexByte(s, '.')+1:]
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw)%3 == 0 {
		t.Fatal("plaintext length leaves no unused base64 bits; the trailing-bits case needs another length")
	}
	// A different key that claims the same id: GCM must reject it.
	impostor := mustParse(t, "aaaa1111 "+fixedKey(2))
	other := mustParse(t, "bbbb2222 "+fixedKey(3))

	tests := []struct {
		name    string
		ring    *Keyring
		sealed  string
		aad     string
		want    error
		mention string // must appear in the error text
	}{
		{"aad mismatch", k, s, "petition.accused", ErrTampered, ""},
		{"empty aad", k, s, "", ErrTampered, ""},
		{"flipped nonce byte", k, flip(t, s, 0), aad, ErrTampered, ""},
		{"flipped ciphertext byte", k, flip(t, s, 14), aad, ErrTampered, ""},
		{"flipped tag byte", k, flip(t, s, -1), aad, ErrTampered, ""},
		{"last byte dropped", k, s[:strings.LastIndexByte(s, '.')+1] + base64.RawURLEncoding.EncodeToString(raw[:len(raw)-1]), aad, ErrTampered, ""},
		{"non-canonical trailing bits", k, s[:len(s)-1] + string(canonicalSibling(s[len(s)-1])), aad, ErrMalformed, ""},
		{"same id, different key", impostor, s, aad, ErrTampered, ""},
		{"unknown key id", other, s, aad, ErrUnknownKey, "aaaa1111"},
		{"rewritten key id", k, "v1.cccc3333." + payload, aad, ErrUnknownKey, "cccc3333"},
		{"clear text", k, "Nguyen Van A", aad, ErrMalformed, ""},
		{"other version", k, "v2.aaaa1111." + payload, aad, ErrMalformed, ""},
		{"no payload separator", k, "v1.aaaa1111", aad, ErrMalformed, ""},
		{"empty id", k, "v1.." + payload, aad, ErrMalformed, ""},
		{"bad base64", k, "v1.aaaa1111.***", aad, ErrMalformed, ""},
		{"padded base64", k, s + "==", aad, ErrMalformed, ""},
		{"line break", k, "v1.aaaa1111." + payload[:10] + "\n" + payload[10:], aad, ErrMalformed, ""},
		{"too short", k, "v1.aaaa1111.AAAA", aad, ErrMalformed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.ring.Open(tt.sealed, tt.aad)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open: got %q, err %v; want error %v", got, err, tt.want)
			}
			if got != nil {
				t.Errorf("Open returned plaintext %q along with an error", got)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not mention %q", err, tt.mention)
			}
		})
	}
}

func TestNoncesDiffer(t *testing.T) {
	k := newRing(t)
	a := mustSeal(t, k, "Nguyen Van A", "petition.sender")
	b := mustSeal(t, k, "Nguyen Van A", "petition.sender")
	if a == b {
		t.Fatal("two seals of the same plaintext are identical")
	}
	decode := func(s string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(s[strings.LastIndexByte(s, '.')+1:])
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	na, nb := decode(a)[:12], decode(b)[:12]
	if bytes.Equal(na, nb) {
		t.Errorf("nonces are equal: %x", na)
	}
}

func TestRotate(t *testing.T) {
	const aad = "petition.sender"
	k1 := newRing(t)
	old := mustSeal(t, k1, "Lê Thị C", aad)

	k2, err := k1.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	if got := k1.IDs(); len(got) != 1 {
		t.Errorf("Rotate changed the original ring: %v", got)
	}
	if ids := k2.IDs(); len(ids) != 2 || ids[0] != k1.Current() || ids[1] != k2.Current() {
		t.Errorf("rotated ring ids = %v, want [%s, current]", ids, k1.Current())
	}
	if k2.Current() == k1.Current() {
		t.Fatalf("Rotate kept the current key %s", k1.Current())
	}

	got, err := k2.Open(old, aad)
	if err != nil || string(got) != "Lê Thị C" {
		t.Fatalf("rotated ring opens old data: %q, %v", got, err)
	}
	if !k2.NeedsReseal(old) {
		t.Error("NeedsReseal(old) = false after rotation")
	}
	if k1.NeedsReseal(old) {
		t.Error("NeedsReseal(old) = true under the ring that sealed it")
	}

	resealed := mustSeal(t, k2, string(got), aad)
	if !strings.HasPrefix(resealed, "v1."+k2.Current()+".") {
		t.Errorf("resealed value %q is not under the new key %s", resealed, k2.Current())
	}
	if k2.NeedsReseal(resealed) {
		t.Error("NeedsReseal(resealed) = true")
	}

	pruned := k2.Pruned()
	if ids := pruned.IDs(); !slices.Equal(ids, []string{k2.Current()}) {
		t.Errorf("Pruned ids = %v, want [%s]", ids, k2.Current())
	}
	if got, err := pruned.Open(resealed, aad); err != nil || string(got) != "Lê Thị C" {
		t.Errorf("pruned ring opens resealed data: %q, %v", got, err)
	}
	_, err = pruned.Open(old, aad)
	if !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("pruned ring opening old data: err = %v, want ErrUnknownKey", err)
	}
	if !strings.Contains(err.Error(), k1.Current()) {
		t.Errorf("error %q does not name the missing key %s", err, k1.Current())
	}
}

func TestNeedsReseal(t *testing.T) {
	k1 := newRing(t)
	k2, err := k1.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		sealed string
		want   bool
	}{
		{"empty", "", false},
		{"clear text", "Nguyen Van A", false},
		{"other version", "v2." + k1.Current() + ".AAAA", false},
		{"current key", mustSeal(t, k2, "x", "a"), false},
		{"old key", mustSeal(t, k1, "x", "a"), true},
		{"key missing from ring", "v1.zzzz9999.AAAA", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := k2.NeedsReseal(tt.sealed); got != tt.want {
				t.Errorf("NeedsReseal(%q) = %v, want %v", tt.sealed, got, tt.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	k1, k2 := fixedKey(1), fixedKey(2)
	tests := []struct {
		name string
		text string
		ids  []string
	}{
		{"one line", "a1 " + k1, []string{"a1"}},
		{"file with comments", "# header\n\n  # indented comment\na1 " + k1 + "\n\nb2\t" + k2 + "\n", []string{"a1", "b2"}},
		{"crlf", "a1 " + k1 + "\r\nb2 " + k2 + "\r\n", []string{"a1", "b2"}},
		{"semicolons", "a1 " + k1 + ";b2 " + k2, []string{"a1", "b2"}},
		{"semicolons with spaces and empties", " ; a1 " + k1 + " ;; b2 " + k2 + " ; ", []string{"a1", "b2"}},
		{"comment item", "a1 " + k1 + ";#old key removed;b2 " + k2, []string{"a1", "b2"}},
		{"comment line swallows semicolons", "#env ring;a1 " + k1 + "\nb2 " + k2, []string{"b2"}},
		{"comment line with semicolon", "# backup; keep safe\na1 " + k1, []string{"a1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := mustParse(t, tt.text)
			if got := k.IDs(); !slices.Equal(got, tt.ids) {
				t.Errorf("IDs = %v, want %v", got, tt.ids)
			}
			if got, want := k.Current(), tt.ids[len(tt.ids)-1]; got != want {
				t.Errorf("Current = %q, want %q", got, want)
			}
		})
	}

	// Two parses of the same text are the same keys: one opens the other's data.
	a, b := mustParse(t, "a1 "+k1), mustParse(t, "a1 "+k1)
	if got, err := b.Open(mustSeal(t, a, "x", "f"), "f"); err != nil || string(got) != "x" {
		t.Errorf("reparsed ring: Open = %q, %v", got, err)
	}
}

func TestParseErrors(t *testing.T) {
	short := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 16))
	badB64 := "bm90IGJhc2U2NC*!@#vbm90IGJhc2U2NCB0ZXh0IQ=="
	long := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{8}, 33))
	urlKey := base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, 32))
	k1 := fixedKey(1)
	tests := []struct {
		name    string
		text    string
		secret  string // key text that must not appear in the error
		mention string // must appear in the error
		noKey   bool   // error must wrap ErrNoKey
	}{
		{"bad base64", "a1 " + badB64, badB64, "base64", false},
		{"url base64", "a1 " + urlKey, urlKey, "base64", false},
		{"16-byte key", "a1 " + short, short, "16 bytes", false},
		{"33-byte key", "a1 " + long, long, "33 bytes", false},
		{"duplicate id", "a1 " + k1 + "\na1 " + fixedKey(2), fixedKey(2), "duplicate key id a1", false},
		{"same key twice", "a1 " + k1 + "\nb2 " + k1, k1, "same key", false},
		{"key without id", k1, k1, "1 field", false},
		{"three fields", "a1 " + k1 + " extra", k1, "3 field", false},
		{"swapped columns", k1 + " a1", k1, "key id", false},
		{"id with dot", "a.1 " + k1, k1, "key id", false},
		{"error on second line", "a1 " + k1 + "\nb2 " + short, short, "line 2", false},
		{"error in second item", "a1 " + k1 + ";b2 " + short, short, "item 2", false},
		{"empty", "", "", "no keys", true},
		{"blank", " \n\t\n;;", "", "no keys", true},
		{"only comments", "# nothing here\n# still nothing", "", "no keys", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := Parse(tt.text)
			if err == nil {
				t.Fatalf("Parse succeeded with ids %v", k.IDs())
			}
			msg := err.Error()
			if tt.secret != "" && strings.Contains(msg, tt.secret) {
				t.Errorf("error %q echoes key material", msg)
			}
			if tt.secret != "" && strings.Contains(msg, tt.secret[:12]) {
				t.Errorf("error %q echoes part of the key material", msg)
			}
			if !strings.Contains(msg, tt.mention) {
				t.Errorf("error %q does not mention %q", msg, tt.mention)
			}
			if got := errors.Is(err, ErrNoKey); got != tt.noKey {
				t.Errorf("errors.Is(err, ErrNoKey) = %v, want %v (err %v)", got, tt.noKey, err)
			}
		})
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	k1 := newRing(t)
	k, err := k1.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	text := k.Marshal()
	if !bytes.HasPrefix(text, []byte("# ")) {
		t.Errorf("Marshal does not start with a comment header:\n%s", text)
	}
	if !bytes.Contains(text, []byte("unreadable")) {
		t.Errorf("header does not warn that losing the file makes identities unreadable:\n%s", text)
	}
	back := mustParse(t, string(text))
	if !slices.Equal(back.IDs(), k.IDs()) {
		t.Errorf("ids after round trip = %v, want %v", back.IDs(), k.IDs())
	}
	old := mustSeal(t, k1, "old", "f")
	cur := mustSeal(t, k, "cur", "f")
	for s, want := range map[string]string{old: "old", cur: "cur"} {
		if got, err := back.Open(s, "f"); err != nil || string(got) != want {
			t.Errorf("reparsed ring: Open = %q, %v; want %q", got, err, want)
		}
	}
	if back.Tag("p", "v") != k.Tag("p", "v") {
		t.Error("tags differ after Marshal/Parse")
	}
	// The ring also works as one environment variable line.
	var lines []string
	for l := range strings.SplitSeq(string(text), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	env := mustParse(t, strings.Join(lines, ";"))
	if !slices.Equal(env.IDs(), k.IDs()) {
		t.Errorf("ids from ';' form = %v, want %v", env.IDs(), k.IDs())
	}
}

func TestLoad(t *testing.T) {
	fileText := "f1 " + fixedKey(1) + "\n"
	envText := "e1 " + fixedKey(2)
	goodFile := writeKeyFile(t, fileText, 0o600)
	missing := filepath.Join(t.TempDir(), "absent.keys")

	tests := []struct {
		name    string
		path    string
		env     string
		current string // expected current id when no error
		noKey   bool   // expected error wrapping ErrNoKey
	}{
		{"file", goodFile, "", "f1", false},
		{"env takes precedence over file", goodFile, envText, "e1", false},
		{"env with missing file", missing, envText, "e1", false},
		{"env with no path", "", envText, "e1", false},
		{"missing file", missing, "", "", true},
		{"no file configured", "", "", "", true},
		{"empty file", writeKeyFile(t, "# empty\n", 0o600), "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := Load(tt.path, tt.env)
			if tt.noKey {
				if !errors.Is(err, ErrNoKey) {
					t.Fatalf("Load: err = %v, want ErrNoKey", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if k.Current() != tt.current {
				t.Errorf("Current = %q, want %q", k.Current(), tt.current)
			}
		})
	}

	t.Run("bad env names the variable", func(t *testing.T) {
		_, err := Load(goodFile, "e1 "+fixedKey(2)[:20])
		if err == nil || !strings.Contains(err.Error(), EnvVar) {
			t.Errorf("err = %v, want an error naming %s", err, EnvVar)
		}
	})
	t.Run("bad file names the path", func(t *testing.T) {
		path := writeKeyFile(t, "f1 nonsense\n", 0o600)
		_, err := Load(path, "")
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("err = %v, want an error naming %s line 1", err, path)
		}
	})
	t.Run("directory", func(t *testing.T) {
		if _, err := Load(t.TempDir(), ""); err == nil {
			t.Error("Load of a directory succeeded")
		}
	})
}

func TestLoadRefusesOpenPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix permission bits")
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
		t.Run(fmt.Sprintf("%04o", mode), func(t *testing.T) {
			path := writeKeyFile(t, "f1 "+fixedKey(1)+"\n", mode)
			_, err := Load(path, "")
			if err == nil {
				t.Fatal("Load accepted a key file readable by others")
			}
			if !strings.Contains(err.Error(), "chmod 600") {
				t.Errorf("error %q does not say to chmod 600", err)
			}
			if strings.Contains(err.Error(), fixedKey(1)) {
				t.Errorf("error %q echoes the key", err)
			}
		})
	}
	for _, mode := range []os.FileMode{0o600, 0o400} {
		t.Run(fmt.Sprintf("%04o accepted", mode), func(t *testing.T) {
			if _, err := Load(writeKeyFile(t, "f1 "+fixedKey(1)+"\n", mode), ""); err != nil {
				t.Errorf("Load: %v", err)
			}
		})
	}
}

func TestGenerate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "identity.keys")
	k, err := Generate(path)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %04o, want 0600", fi.Mode().Perm())
	}
	if ids := k.IDs(); len(ids) != 1 {
		t.Errorf("generated ring has ids %v, want one", ids)
	}
	if id := k.Current(); len(id) != 8 || strings.Trim(id, "0123456789abcdef") != "" {
		t.Errorf("key id %q is not 8 lowercase hex digits", id)
	}
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(content, []byte("#")) {
		t.Errorf("key file has no header comment:\n%s", content)
	}

	loaded, err := Load(path, "")
	if err != nil {
		t.Fatalf("Load of generated file: %v", err)
	}
	if got, err := loaded.Open(mustSeal(t, k, "x", "f"), "f"); err != nil || string(got) != "x" {
		t.Errorf("loaded ring: Open = %q, %v", got, err)
	}

	_, err = Generate(path)
	if !errors.Is(err, fs.ErrExist) {
		t.Errorf("second Generate: err = %v, want fs.ErrExist", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(after, content) {
		t.Error("second Generate changed the existing key file")
	}

	// Two generated keys differ.
	k2, err := Generate(filepath.Join(t.TempDir(), "other.keys"))
	if err != nil {
		t.Fatal(err)
	}
	if k2.Current() == k.Current() {
		t.Error("two generated keys have the same id")
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "identity.keys")
	k1, err := Generate(path)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := k1.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, k2); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	loaded, err := Load(path, "")
	if err != nil {
		t.Fatalf("Load after WriteFile: %v", err)
	}
	if !slices.Equal(loaded.IDs(), k2.IDs()) {
		t.Errorf("ids = %v, want %v", loaded.IDs(), k2.IDs())
	}
	if err := WriteFile(path, k2.Pruned()); err != nil {
		t.Fatalf("WriteFile pruned: %v", err)
	}
	if loaded, err = Load(path, ""); err != nil || !slices.Equal(loaded.IDs(), []string{k2.Current()}) {
		t.Errorf("Load after pruning: %v, %v", loaded, err)
	}
	if runtime.GOOS != "windows" {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("mode after WriteFile = %v, %v; want 0600", fi.Mode().Perm(), err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only the key file (temporary file left behind?)", names)
	}

	if err := WriteFile(path, &Keyring{}); !errors.Is(err, ErrNoKey) {
		t.Errorf("WriteFile of empty ring: err = %v, want ErrNoKey", err)
	}
	if _, err := Load(path, ""); err != nil {
		t.Errorf("key file damaged by refused write: %v", err)
	}
}

func TestTag(t *testing.T) {
	k := mustParse(t, "a1 "+fixedKey(1))
	base := k.Tag("sender.name", "Nguyễn Văn A")
	if len(base) != 32 {
		t.Errorf("tag %q has length %d, want 32 hex digits", base, len(base))
	}
	if _, err := hex.DecodeString(base); err != nil {
		t.Errorf("tag %q is not hex: %v", base, err)
	}
	if again := mustParse(t, "a1 "+fixedKey(1)).Tag("sender.name", "Nguyễn Văn A"); again != base {
		t.Errorf("tag not deterministic across rings with the same key: %q vs %q", again, base)
	}

	rotated, err := k.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	differ := []struct {
		name string
		got  string
	}{
		{"other value", k.Tag("sender.name", "Nguyễn Văn B")},
		{"other purpose", k.Tag("sender.member", "Nguyễn Văn A")},
		{"purpose/value boundary", k.Tag("sender.nameNguy", "ễn Văn A")},
		{"other key", mustParse(t, "a1 "+fixedKey(2)).Tag("sender.name", "Nguyễn Văn A")},
		{"after rotate", rotated.Tag("sender.name", "Nguyễn Văn A")},
		{"case", k.Tag("sender.name", "nguyễn văn a")},
	}
	for _, tt := range differ {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got == base || tt.got == "" {
				t.Errorf("tag %q, want a tag different from %q", tt.got, base)
			}
		})
	}
	if got := k.Tag("sender.name", "Nguyễn Văn A"); got != base {
		t.Errorf("same input gave %q then %q", base, got)
	}
	if rotated.Pruned().Tag("sender.name", "Nguyễn Văn A") != rotated.Tag("sender.name", "Nguyễn Văn A") {
		t.Error("Pruned changed the tag of the current key")
	}
	if got := k.Tag("sender.name", ""); got != "" {
		t.Errorf("Tag of empty value = %q, want \"\"", got)
	}

	t.Run("panics", func(t *testing.T) {
		for name, f := range map[string]func(){
			"NUL in purpose": func() { k.Tag("a\x00b", "c") },
			"empty ring":     func() { (&Keyring{}).Tag("p", "v") },
		} {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%s: Tag did not panic", name)
					}
				}()
				f()
			}()
		}
	})
}

func TestJSON(t *testing.T) {
	type sender struct {
		Name     string `json:"name"`
		MemberID int    `json:"member_id"`
		Address  string `json:"address"`
	}
	k := newRing(t)
	in := sender{"Phạm Văn D", 123, "Hà Nội"}
	s, err := k.SealJSON(in, "petition.sender")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s, "Phạm") || strings.Contains(s, "member_id") {
		t.Errorf("sealed JSON leaks content: %s", s)
	}
	var out sender
	if err := k.OpenJSON(s, "petition.sender", &out); err != nil {
		t.Fatalf("OpenJSON: %v", err)
	}
	if out != in {
		t.Errorf("OpenJSON = %+v, want %+v", out, in)
	}
	if err := k.OpenJSON(s, "petition.accused", &out); !errors.Is(err, ErrTampered) {
		t.Errorf("OpenJSON with wrong aad: err = %v, want ErrTampered", err)
	}
	keep := sender{Name: "unchanged"}
	if err := k.OpenJSON("", "petition.sender", &keep); err != nil || keep.Name != "unchanged" {
		t.Errorf("OpenJSON(\"\") = %v, value %+v; want nil and untouched", err, keep)
	}
	if _, err := k.SealJSON(func() {}, "x"); err == nil {
		t.Error("SealJSON of a func succeeded")
	}
	notJSON := mustSeal(t, k, "not json", "x")
	if err := k.OpenJSON(notJSON, "x", &out); err == nil {
		t.Error("OpenJSON of non-JSON plaintext succeeded")
	}
}

func TestFormatRedactsKeys(t *testing.T) {
	k := mustParse(t, "a1 "+fixedKey(0xab))
	rawHex := strings.Repeat("ab", 8)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%d", "%q"} {
		for name, v := range map[string]any{"pointer": k, "value": *k} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, fixedKey(0xab)[:12]) ||
				strings.Contains(strings.ToLower(out), rawHex) ||
				strings.Contains(out, "171 171") {
				t.Errorf("%s %s prints key material: %s", verb, name, out)
			}
			if !strings.Contains(out, "a1") {
				t.Errorf("%s %s does not show the key id: %s", verb, name, out)
			}
		}
	}
}
