package auth

import (
	"bufio"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"ktgs"
)

func TestCheckPasswordPolicy(t *testing.T) {
	tests := []struct {
		name     string
		password string
		personal []string
		key      string // "" for no error
		args     []any
	}{
		// Good passwords.
		{"vietnamese passphrase", "Trời xanh mây trắng 2026", nil, "", nil},
		{"english passphrase", "correct horse battery staple", nil, "", nil},
		{"proverb", "Cây đa, bến nước, sân đình", []string{"tranthib", "Trần Thị B"}, "", nil},
		{"exactly 12 runes", "Đời đẹp lắm!", nil, "", nil},
		{"exactly 12 runes given as NFD", norm.NFD.String("Đời đẹp lắm!"), nil, "", nil},
		{"exactly 256 runes", strings.Repeat("Trời xanh ", 25) + "mây 26", nil, "", nil},
		{"short name parts ignored", "Trời xanh mây trắng 2026", []string{"An"}, "", nil},

		// Length.
		{"empty", "", nil, KeyPasswordShort, []any{12}},
		{"short", "abc", nil, KeyPasswordShort, []any{12}},
		{"11 runes", "Đời đẹp lắm", nil, KeyPasswordShort, []any{12}},
		{"11 runes as NFD", norm.NFD.String("Đời đẹp lắm"), nil, KeyPasswordShort, []any{12}},
		{"long", strings.Repeat("Trời xanh ", 26), nil, KeyPasswordLong, []any{256}},

		// Invalid text.
		{"invalid utf-8", "Trời xanh \xff mây trắng", nil, KeyPasswordInvalid, nil},
		{"control character", "Trời xanh\x00mây trắng", nil, KeyPasswordInvalid, nil},

		// Common passwords, folded.
		{"common vietnamese", "matkhau123456", nil, KeyPasswordCommon, nil},
		{"common with diacritics and case", "MậtKhẩu123456", nil, KeyPasswordCommon, nil},
		{"common with spaces", "Mật khẩu 123456", nil, KeyPasswordCommon, nil},
		{"common NFD", norm.NFD.String("MậtKhẩu123456"), nil, KeyPasswordCommon, nil},
		{"common love", "Anh Yêu Em Nhiều Lắm", nil, KeyPasswordCommon, nil},
		{"common party", "Đảng Cộng Sản Việt Nam", nil, KeyPasswordCommon, nil},
		{"common from SecLists", "qwerty123456", nil, KeyPasswordCommon, nil},
		{"common from SecLists upper", "1QAZ2WSX3EDC", nil, KeyPasswordCommon, nil},
		{"common app name", "KTGS12345678", nil, KeyPasswordCommon, nil},

		// Personal strings.
		{"full name", "nguyenvanan2026!", []string{"annv", "Nguyễn Văn An"}, KeyPasswordPersonal, nil},
		{"name part", "Trời xanh Thịnh 2026", []string{"Lê Văn Thịnh"}, KeyPasswordPersonal, nil},
		{"name part with diacritics folded", "troi xanh THINH 2026", []string{"Lê Văn Thịnh"}, KeyPasswordPersonal, nil},
		{"username", "Bí mật của an.nguyen", []string{"an.nguyen"}, KeyPasswordPersonal, nil},
		{"username part", "Mây trắng nguyen 2026", []string{"an.nguyen85"}, KeyPasswordPersonal, nil},
		{"e-mail local part", "Ngày mai hoanglan trở về", []string{"hoanglan@ktgs.vn"}, KeyPasswordPersonal, nil},

		// Patterns.
		{"repeated char", "aaaaaaaaaaaa", nil, KeyPasswordPattern, nil},
		{"repeated Đ", "ĐĐĐĐĐĐĐĐĐĐĐĐ", nil, KeyPasswordPattern, nil},
		{"repeated block", "abcabcabcabc", nil, KeyPasswordPattern, nil},
		{"repeated block of 4", "Pass Pass Pass Pass", nil, KeyPasswordPattern, nil},
		{"digits up with wrap", "123456789012", nil, KeyPasswordPattern, nil},
		{"digits down with wrap", "210987654321", nil, KeyPasswordPattern, nil},
		{"letters", "abcdefghijkl", nil, KeyPasswordPattern, nil},
		{"letters down", "LKJIHGFEDCBA", nil, KeyPasswordPattern, nil},
		{"keyboard row", "qwertyuiopqw", nil, KeyPasswordPattern, nil},
		{"spaced digits", "1 2 3 4 5 6 7 8 9 0 1 2", nil, KeyPasswordPattern, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPasswordPolicy(tt.password, tt.personal...)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("CheckPasswordPolicy(%q) = %v, want nil", tt.password, err)
				}
				return
			}
			e := ktgs.AsError(err)
			if e == nil {
				t.Fatalf("CheckPasswordPolicy(%q) = %v, want *ktgs.Error %s", tt.password, err, tt.key)
			}
			if e.Code != ktgs.EINVALID {
				t.Errorf("code = %q, want %q", e.Code, ktgs.EINVALID)
			}
			f, ok := e.Fields["password"]
			if !ok || len(e.Fields) != 1 {
				t.Fatalf("fields = %v, want only password", e.Fields)
			}
			if f.Key != tt.key {
				t.Errorf("key = %q, want %q", f.Key, tt.key)
			}
			if !reflect.DeepEqual(f.Args, tt.args) {
				t.Errorf("args = %v, want %v", f.Args, tt.args)
			}
		})
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"MậtKhẩu123456", "matkhau123456"},
		{norm.NFD.String("MậtKhẩu123456"), "matkhau123456"},
		{"Đảng Cộng Sản", "dangcongsan"},
		{"Ủy ban Kiểm tra", "uybankiemtra"},
		{"Trời xanh\tmây\u00a0trắng", "troixanhmaytrang"},
		{"ƯƠ ươ", "uouo"},
		{"P@ss-Word_1", "p@ss-word_1"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := fold(tt.in); got != tt.want {
				t.Errorf("fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCommonPasswordList(t *testing.T) {
	var entries, vietnamese int
	part := 0
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsTxt))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "# Part ") {
			part++
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !utf8.ValidString(line) || strings.TrimSpace(line) != line {
			t.Errorf("bad entry %q", line)
		}
		entries++
		if part == 2 {
			vietnamese++
			if fold(line) != line {
				t.Errorf("Vietnamese entry %q is not folded (%q)", line, fold(line))
			}
		}
	}
	if entries < 10000 {
		t.Errorf("list has %d entries, want at least 10000", entries)
	}
	if vietnamese < 100 {
		t.Errorf("list has %d Vietnamese entries, want at least 100", vietnamese)
	}
	if n := len(commonPasswords()); n < 9000 {
		t.Errorf("folded set has %d entries", n)
	}
	for _, pw := range []string{"matkhau", "anhyeuem", "emyeuanh", "vietnam", "vietnam123", "hanoi", "saigon", "123456789", "dangcongsan", "ktgs"} {
		if _, ok := commonPasswords()[pw]; !ok {
			t.Errorf("%q is not in the list", pw)
		}
	}
	t.Logf("%d entries, %d Vietnamese, %d after folding", entries, vietnamese, len(commonPasswords()))
}

func TestIsPattern(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"aaaaaaaaaaaa", true},
		{"abababababab", true},
		{"123412341234", true},
		{"123451234512", false}, // period 5 and not a run of a sequence
		{"0123456789012345", true},
		{"zyxwvutsrqpo", true},
		{"mnbvcxzmnbvc", true},
		{"lkjhgfdsalkj", true},
		{"troixanhmaytrang2026", false},
		{"abcdefghijkm", false},
	}
	for _, tt := range tests {
		t.Run(tt.s, func(t *testing.T) {
			if got := isPattern(tt.s); got != tt.want {
				t.Errorf("isPattern(%q) = %v, want %v", tt.s, got, tt.want)
			}
		})
	}
}
