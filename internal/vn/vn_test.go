package vn

import (
	"bytes"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"ktgs/internal/civil"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Đảng viên", "dang vien"},
		{"ĐẢNG VIÊN", "dang vien"},
		{norm.NFD.String("Đảng viên"), "dang vien"},
		{"kỷ luật", "ky luat"},
		{"KỶ LUẬT", "ky luat"},
		{"ky luat", "ky luat"},
		{"hoà", "hoa"}, // old-style tone placement
		{"hòa", "hoa"}, // new-style
		{"qủa", "qua"},
		{"quả", "qua"},
		{"  Nguyễn   Thị\tHường ", "nguyen thi huong"},
		{"Ủy ban kiểm tra", "uy ban kiem tra"},
		{"Ưu điểm, ơn", "uu diem, on"},
		{"Đà Nẵng", "da nang"},
		{"Điện Biên", "dien bien"},
		{"đất đai", "dat dai"},
		{"ĂÂÊÔƠƯăâêôơư", "aaeoouaaeoou"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := Fold(tc.in); got != tc.want {
				t.Fatalf("Fold(%q)=%q, want %q", tc.in, got, tc.want)
			}
			if got := Fold(Fold(tc.in)); got != tc.want {
				t.Fatalf("Fold is not idempotent: %q", got)
			}
		})
	}
}

func TestClean(t *testing.T) {
	nfd := norm.NFD.String("Nguyễn Văn Đức")
	if nfd == "Nguyễn Văn Đức" {
		t.Fatal("test input should be decomposed")
	}
	tests := []struct{ in, want string }{
		{nfd, "Nguyễn Văn Đức"},
		{"  Trần\u00a0\u00a0Thị   Mai\t", "Trần Thị Mai"},
		{"a\u200bb\x00c", "abc"},
		{"bad \xff byte", "bad \uFFFD byte"},
	}
	for _, tc := range tests {
		if got := Clean(tc.in); got != tc.want {
			t.Errorf("Clean(%q)=%q, want %q", tc.in, got, tc.want)
		}
	}
	if got := CleanText("dòng 1  \r\ndòng 2\r\n\r\n"); got != "dòng 1\ndòng 2" {
		t.Errorf("CleanText=%q", got)
	}
}

func TestSortOrder(t *testing.T) {
	want := []string{"An Giang", "Bắc Ninh", "Cà Mau", "Đà Nẵng", "Điện Biên", "Hà Nội", "Ông", "Ơn", "Quảng Trị", "Ưng"}
	got := append([]string(nil), want...)
	sort.Sort(sort.Reverse(sort.StringSlice(got)))
	Sort(got)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("Sort=%v, want %v", got, want)
	}
	// The byte order of SortKey agrees with Compare.
	byKey := append([]string(nil), want...)
	sort.Sort(sort.Reverse(sort.StringSlice(byKey)))
	sort.Slice(byKey, func(i, j int) bool { return bytes.Compare(SortKey(byKey[i]), SortKey(byKey[j])) < 0 })
	if strings.Join(byKey, "|") != strings.Join(want, "|") {
		t.Fatalf("by SortKey=%v, want %v", byKey, want)
	}
	// NFD and NFC inputs get the same key.
	if !bytes.Equal(SortKey("Đà Nẵng"), SortKey(norm.NFD.String("Đà Nẵng"))) {
		t.Fatal("SortKey differs between NFC and NFD")
	}
}

func TestNameSortKey(t *testing.T) {
	names := []string{"Lê Thị Bình", "Trần Văn An", "Nguyễn Văn Ân", "Phạm Đức Anh", "Nguyễn Thị An", "Hoàng Văn Đạt", "Vũ Văn Dũng"}
	sort.Slice(names, func(i, j int) bool {
		return bytes.Compare(NameSortKey(names[i]), NameSortKey(names[j])) < 0
	})
	want := []string{"Nguyễn Thị An", "Trần Văn An", "Phạm Đức Anh", "Nguyễn Văn Ân", "Lê Thị Bình", "Vũ Văn Dũng", "Hoàng Văn Đạt"}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Fatalf("got  %v\nwant %v", names, want)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		n      int64
		vi, en string
	}{
		{0, "0", "0"}, {999, "999", "999"}, {1000, "1.000", "1,000"},
		{1234567, "1.234.567", "1,234,567"}, {-1234567, "-1.234.567", "-1,234,567"},
		{5600000, "5.600.000", "5,600,000"}, {-12, "-12", "-12"},
	}
	for _, tc := range tests {
		if got := Int(tc.n, "vi"); got != tc.vi {
			t.Errorf("Int(%d, vi)=%q, want %q", tc.n, got, tc.vi)
		}
		if got := Int(tc.n, "en"); got != tc.en {
			t.Errorf("Int(%d, en)=%q, want %q", tc.n, got, tc.en)
		}
	}
	d := civil.MustParse("2025-07-01")
	if got := Date(d); got != "01/07/2025" {
		t.Errorf("Date=%q", got)
	}
	if got := LongDate(civil.MustParse("2018-02-20")); got != "ngày 20 tháng 02 năm 2018" {
		t.Errorf("LongDate=%q", got)
	}
	if Date(civil.Forever) != "" {
		t.Errorf("Forever should format empty")
	}
}

// foldRef is the definition Fold must agree with: NFD, drop nonspacing
// marks, đ→d, lower case, white space collapsed.
func foldRef(s string) string {
	s = norm.NFD.String(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func TestFoldMatchesReference(t *testing.T) {
	// Every letter of the Vietnamese alphabet with every tone, both cases,
	// precomposed and decomposed.
	for _, base := range []string{"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"} {
		for _, tone := range []string{"", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"} {
			for _, s := range []string{base + tone, strings.ToUpper(base) + tone} {
				for _, in := range []string{norm.NFC.String(s), norm.NFD.String(s)} {
					if got, want := Fold(in), foldRef(in); got != want {
						t.Errorf("Fold(%q)=%q, reference %q", in, got, want)
					}
				}
			}
		}
	}
}

func BenchmarkFold(b *testing.B) {
	for b.Loop() {
		Fold("Nguyễn Thị Thu Hường")
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Đảng viên", "qủa", norm.NFD.String("Hường"), "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a := Fold(s)
		if Fold(a) != a {
			t.Fatalf("not idempotent: %q → %q → %q", s, a, Fold(a))
		}
		if strings.ContainsAny(a, "đĐ") {
			t.Fatalf("đ survived: %q", a)
		}
		if Fold(norm.NFD.String(s)) != Fold(norm.NFC.String(s)) {
			t.Fatalf("NFD and NFC fold differently: %q", s)
		}
		if got, want := a, foldRef(s); got != want && utf8.ValidString(s) {
			t.Fatalf("Fold(%q)=%q, reference %q", s, got, want)
		}
	})
}

func TestCleanFastPath(t *testing.T) {
	for _, s := range []string{"", "a", "Nguyễn Văn An", " a", "a ", "a  b", "a\tb", "a\u00a0b"} {
		slow := norm.NFC.String(s)
		_ = slow
		got := Clean(s)
		if isClean(got) != true && got != "" {
			t.Errorf("Clean(%q)=%q is not clean", s, got)
		}
	}
	if !isClean("Nguyễn Văn An") || isClean(" a") || isClean("a  b") || isClean("a\tb") {
		t.Error("isClean misjudges")
	}
}

func BenchmarkNameSortKey(b *testing.B) {
	for b.Loop() {
		NameSortKey("Nguyễn Thị Thu Hường")
	}
}

func BenchmarkClean(b *testing.B) {
	for b.Loop() {
		Clean("Nguyễn Thị Thu Hường")
		Clean("P19-O1-D01-C01-X1-V1")
	}
}
