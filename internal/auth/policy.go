package auth

import (
	"bufio"
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"ktgs"
)

// Password length limits, in Unicode code points after NFC normalisation.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// Message keys of the password policy errors; their texts are in Messages.
const (
	KeyPasswordShort    = "err.auth.password_short"    // {0}: minimum length
	KeyPasswordLong     = "err.auth.password_long"     // {0}: maximum length
	KeyPasswordInvalid  = "err.auth.password_invalid"  // not valid UTF-8 or has control characters
	KeyPasswordCommon   = "err.auth.password_common"   // in the common password list
	KeyPasswordPersonal = "err.auth.password_personal" // contains the username or a name
	KeyPasswordPattern  = "err.auth.password_pattern"  // repeated block or simple sequence
)

// minPersonalLen is the shortest personal string or name part that a
// password may not contain.
const minPersonalLen = 3

//go:embed common-passwords.txt
var commonPasswordsTxt string

// commonPasswords is the folded common password list.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, 10500)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsTxt))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m[fold(line)] = struct{}{}
	}
	return m
})

// CheckPasswordPolicy returns nil if password may be chosen, or a
// *ktgs.Error with code EINVALID on field "password" naming the first rule
// it breaks, checked in this order:
//
//   - KeyPasswordInvalid: not valid UTF-8, or contains control characters;
//   - KeyPasswordShort / KeyPasswordLong: fewer than MinPasswordLen or more
//     than MaxPasswordLen code points after NFC normalisation;
//   - KeyPasswordPattern: one character or a block of up to four characters
//     repeated ("aaaaaaaaaaaa", "abcabcabcabc"), or a run of a simple
//     sequence in either direction ("123456789012", "abcdefghijkl",
//     "qwertyuiopqw");
//   - KeyPasswordCommon: in the embedded list of common passwords;
//   - KeyPasswordPersonal: contains one of the personal strings (username,
//     full name, e-mail …) or one of their runs of letters or of digits, of
//     at least three characters.
//
// All comparisons fold both sides first: NFC, lower case, Vietnamese
// diacritics removed, đ → d and white space removed, so "MậtKhẩu 123456"
// counts as "matkhau123456".
func CheckPasswordPolicy(password string, personal ...string) error {
	if !utf8.ValidString(password) || strings.IndexFunc(password, unicode.IsControl) >= 0 {
		return ktgs.Invalid("password", KeyPasswordInvalid)
	}
	n := utf8.RuneCountInString(norm.NFC.String(password))
	if n < MinPasswordLen {
		return ktgs.Invalid("password", KeyPasswordShort, MinPasswordLen)
	}
	if n > MaxPasswordLen {
		return ktgs.Invalid("password", KeyPasswordLong, MaxPasswordLen)
	}
	f := fold(password)
	if isPattern(f) {
		return ktgs.Invalid("password", KeyPasswordPattern)
	}
	if _, ok := commonPasswords()[f]; ok {
		return ktgs.Invalid("password", KeyPasswordCommon)
	}
	for _, p := range personal {
		for _, part := range personalParts(p) {
			if strings.Contains(f, part) {
				return ktgs.Invalid("password", KeyPasswordPersonal)
			}
		}
	}
	return nil
}

// fold returns s in NFD with combining marks and white space removed, lower
// case, and đ mapped to d: "Mật Khẩu" → "matkhau".
func fold(s string) string { return foldKeep(s, false) }

// foldKeep is fold, keeping white space if keepSpace.
func foldKeep(s string, keepSpace bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r), unicode.IsSpace(r) && !keepSpace:
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// personalParts returns the folded forms of p that a password may not
// contain: p itself and each of its runs of letters and of digits
// ("an.nguyen85" → "an.nguyen85", "nguyen", "85" is too short), when at
// least minPersonalLen code points long.
func personalParts(p string) []string {
	var parts []string
	add := func(s string) {
		if utf8.RuneCountInString(s) >= minPersonalLen {
			parts = append(parts, s)
		}
	}
	whole := fold(p)
	add(whole)
	f := foldKeep(p, true)
	class := func(r rune) int {
		switch {
		case unicode.IsLetter(r):
			return 1
		case unicode.IsNumber(r):
			return 2
		}
		return 0
	}
	start, prev := 0, 0
	for i, r := range f + " " {
		c := class(r)
		if c != prev {
			if prev != 0 && f[start:i] != whole {
				add(f[start:i])
			}
			start, prev = i, c
		}
	}
	return parts
}

// sequences are the runs that isPattern rejects, read cyclically in either
// direction: digits (…7890 1…), the alphabet and the keyboard rows.
var sequences = []string{
	"0123456789",
	"abcdefghijklmnopqrstuvwxyz",
	"qwertyuiop",
	"asdfghjkl",
	"zxcvbnm",
}

// isPattern reports whether the folded password s is a block of at most four
// code points repeated, or a run of one of the sequences.
func isPattern(s string) bool {
	r := []rune(s)
	for p := 1; p <= 4 && 2*p <= len(r); p++ {
		periodic := true
		for i := p; i < len(r); i++ {
			if r[i] != r[i-p] {
				periodic = false
				break
			}
		}
		if periodic {
			return true
		}
	}
	for _, seq := range sequences {
		reps := len(s)/len(seq) + 2
		fwd := strings.Repeat(seq, reps)
		if strings.Contains(fwd, s) || strings.Contains(fwd, reverse(s)) {
			return true
		}
	}
	return false
}

// reverse returns s with its code points in reverse order.
func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}
