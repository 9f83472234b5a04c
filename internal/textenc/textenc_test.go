package textenc

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// corpus is real Vietnamese text of the kind KTGS imports. Together the
// phrases use every vowel with every tone, and đ and Đ (TestCorpusCoverage
// checks this).
var corpus = []string{
	"Đảng bộ xã Thanh Sơn",
	"Nguyễn Thị Hường",
	"Ủy ban kiểm tra",
	"ĐẢNG CỘNG SẢN VIỆT NAM",
	"khiển trách, cảnh cáo, cách chức, khai trừ",
	"Chi bộ thôn Đông Hạ",
	"Trần Văn Bảy",
	"Lê Thị Ngọc Ánh",
	"Phạm Quốc Việt",
	"Hoàng Thị Mỹ Dung",
	"Huỳnh Tấn Phát",
	"Vũ Đức Thắng",
	"Đặng Thùy Trâm",
	"Bùi Xuân Phái",
	"Đỗ Mười",
	"Ngô Bảo Châu",
	"Dương Văn Minh",
	"Lý Thường Kiệt",
	"Kỷ luật đảng viên vi phạm",
	"Hội đồng nhân dân tỉnh Nghệ An",
	"thị trấn Mường Xén, huyện Kỳ Sơn",
	"Tổ chức cơ sở đảng",
	"kiểm tra khi có dấu hiệu vi phạm",
	"giữ gìn sự đoàn kết thống nhất",
	"Ban Thường vụ Huyện ủy",
	"lẵng hoa, ẵm con, chẳng hạn",
	"Mũi Né, Phú Quốc, Vũng Tàu",
	"giải quyết khiếu nại, tố cáo",
	"mẫu biểu, ẩn số, lẫn lộn",
	"vẽ tranh, bẻ cành, mẹ hiền, chè xanh",
	"kĩ thuật, chỉ thị, im lặng",
	"nhỏ nhẹ, rõ ràng, học tập",
	"rực rỡ, hợp tác, lớn lên, ở đâu, thời gian",
	"xử lý, tự do, những, từ chức, ứng cử",
	"ý kiến, kỳ họp, kỷ niệm, Mỹ Tho, quỵ lụy",
	"bằng khen, cằm, nặng nề, cắt giảm",
	"lần đầu, dẫn chứng, ổ bánh mì, chỗ ở",
	"Quyết định số 15-QĐ/UBKTTW ngày 01/7/2025",
	"ỦY BAN KIỂM TRA TRUNG ƯƠNG",
	"HỒ CHÍ MINH, ĐÀ NẴNG, HẢI PHÒNG, CẦN THƠ, HUẾ",
	"Ỷ LẠI, Ỵ, Ỹ, Ỳ, Ý",
}

// allLetters returns the 134 Vietnamese letters outside ASCII.
func allLetters() []rune {
	var out []rune
	for v := range vowels {
		for t := 0; t < numTones; t++ {
			for _, up := range []bool{false, true} {
				if r := letter(v, t, up); r >= utf8.RuneSelf {
					out = append(out, r)
				}
			}
		}
	}
	return append(out, 'đ', 'Đ')
}

// hasToneUpper reports whether s has an uppercase vowel with a tone mark,
// which TCVN3 cannot encode.
func hasToneUpper(s string) bool {
	for _, r := range s {
		if li, ok := letterInfo[unicode.ToLower(r)]; ok && unicode.IsUpper(r) && li.tone != toneNone {
			return true
		}
	}
	return false
}

func decodeAll(t *testing.T, r io.Reader, enc string) string {
	t.Helper()
	dr, err := NewReader(r, enc)
	if err != nil {
		t.Fatalf("NewReader(%s) err=%v", enc, err)
	}
	out, err := io.ReadAll(dr)
	if err != nil {
		t.Fatalf("decoding %s: err=%v", enc, err)
	}
	return string(out)
}

func TestLookup(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"utf-8", UTF8}, {"UTF8", UTF8}, {"utf_8", UTF8}, {"utf-8-bom", UTF8}, {"UTF-8-SIG", UTF8},
		{"utf-16", UTF16LE}, {"UTF-16LE", UTF16LE}, {"utf16be", UTF16BE},
		{"windows-1258", Windows1258}, {"cp1258", Windows1258}, {"Win1258", Windows1258}, {"CP-1258", Windows1258},
		{"tcvn3", TCVN3}, {"TCVN", TCVN3}, {"abc", TCVN3}, {"ABC", TCVN3}, {"vn3", TCVN3}, {".VnTime", TCVN3},
		{"vni", VNI}, {"VNI-Windows", VNI}, {"vni win", VNI}, {"vni-win", VNI},
		{"windows-1252", Windows1252}, {"latin1", Windows1252}, {"Latin-1", Windows1252}, {"cp1252", Windows1252},
		{" tcvn3 ", TCVN3},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Lookup(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("Lookup(%q)=%q, %v; want %q, nil", tc.in, got, err, tc.want)
			}
		})
	}
	for _, bad := range []string{"", "koi8-r", "vps", "utf-32"} {
		t.Run("unknown/"+bad, func(t *testing.T) {
			_, err := Lookup(bad)
			if err == nil {
				t.Fatalf("Lookup(%q) err=nil, want error", bad)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "textenc: ") || !strings.Contains(msg, strings.Join(Names(), ", ")) {
				t.Fatalf("Lookup(%q) err=%q, want textenc: prefix and the list of names", bad, msg)
			}
		})
	}
	for _, n := range Names() {
		if got, err := Lookup(n); err != nil || got != n {
			t.Errorf("Lookup(%q)=%q, %v; want itself", n, got, err)
		}
	}
}

func TestAllLetters(t *testing.T) {
	letters := allLetters()
	seen := map[rune]bool{}
	for _, r := range letters {
		seen[r] = true
	}
	if len(seen) != 134 {
		t.Fatalf("got %d distinct letters, want 134", len(seen))
	}
	for _, enc := range []string{TCVN3, VNI, Windows1258} {
		t.Run(enc, func(t *testing.T) {
			encodable := 0
			for _, r := range letters {
				b, err := Encode(string(r), enc)
				if enc == TCVN3 && hasToneUpper(string(r)) {
					if err == nil {
						t.Errorf("Encode(%q, tcvn3)=% X, want error", r, b)
					}
					continue
				}
				if err != nil {
					t.Errorf("Encode(%q, %s) err=%v", r, enc, err)
					continue
				}
				encodable++
				if got := decodeAll(t, bytes.NewReader(b), enc); got != string(r) {
					t.Errorf("%s: % X decodes to %q, want %q", enc, b, got, r)
				}
			}
			want := 134
			if enc == TCVN3 {
				want = 74 // 67 lowercase + Ă Â Ê Ô Ơ Ư Đ
			}
			if encodable != want {
				t.Errorf("%s encodes %d letters, want %d", enc, encodable, want)
			}
		})
	}
}

func TestCorpusCoverage(t *testing.T) {
	used := map[rune]bool{}
	for _, p := range corpus {
		for _, r := range p {
			used[r] = true
			used[unicode.ToLower(r)] = true
		}
	}
	for v := range vowels {
		for tn := 0; tn < numTones; tn++ {
			if r := letter(v, tn, false); !used[r] {
				t.Errorf("corpus lacks %q", r)
			}
		}
	}
	for _, r := range []rune{'đ', 'Đ'} {
		if !used[r] {
			t.Errorf("corpus lacks %q", r)
		}
	}
	if len(corpus) < 30 {
		t.Errorf("corpus has %d phrases, want at least 30", len(corpus))
	}
}

func TestRoundTrip(t *testing.T) {
	for _, enc := range []string{TCVN3, VNI, Windows1258, UTF8, UTF8BOM, UTF16LE, UTF16BE} {
		for _, phrase := range corpus {
			t.Run(enc+"/"+phrase, func(t *testing.T) {
				want := norm.NFC.String(phrase)
				if enc == TCVN3 && hasToneUpper(phrase) {
					if b, err := Encode(phrase, enc); err == nil {
						t.Fatalf("Encode(%q, tcvn3)=% X, want error", phrase, b)
					}
					want = strings.ToLower(want) // what a .VnTimeH document holds
				}
				b, err := Encode(want, enc)
				if err != nil {
					t.Fatalf("Encode(%q, %s) err=%v", want, enc, err)
				}
				if got := decodeAll(t, bytes.NewReader(b), enc); got != want {
					t.Fatalf("round trip through %s: got %q, want %q", enc, got, want)
				}
			})
		}
	}
}

// TestKnownBytes checks words against byte values read from the sources:
//   - TCVN3: glibc localedata/charmaps/TCVN5712-1
//     (https://sourceware.org/git/?p=glibc.git;a=blob;f=localedata/charmaps/TCVN5712-1)
//     and Unikey's TCVN3 table
//     (https://github.com/fcitx/fcitx5-unikey/blob/master/unikey/data.cpp).
//   - VNI: Unikey's VNI-WIN table (same data.cpp) and xvnkb
//     (https://github.com/lamdao/xvnkb/blob/master/vni.h).
//   - Windows-1258: Unikey's WinCP1258Pre table (same data.cpp) and
//     https://encoding.spec.whatwg.org/index-windows-1258.txt.
func TestKnownBytes(t *testing.T) {
	tests := []struct {
		enc  string
		text string
		want []byte
	}{
		{TCVN3, "Đảng", []byte{0xA7, 0xB6, 'n', 'g'}},
		{TCVN3, "Nguyễn", []byte{'N', 'g', 'u', 'y', 0xD4, 'n'}},
		{TCVN3, "Thị", []byte{'T', 'h', 0xDE}},
		{TCVN3, "Văn", []byte{'V', 0xA8, 'n'}},
		{TCVN3, "xã", []byte{'x', 0xB7}},
		{TCVN3, "Hường", []byte{'H', 0xAD, 0xEA, 'n', 'g'}},
		{TCVN3, "Bảo Thắng", []byte{'B', 0xB6, 'o', ' ', 'T', 'h', 0xBE, 'n', 'g'}},
		{TCVN3, "Ơn", []byte{0xA5, 'n'}},
		{TCVN3, "ỹ ữ ộ ự", []byte{0xFC, ' ', 0xF7, ' ', 0xE9, ' ', 0xF9}},
		{VNI, "Đảng", []byte{0xD1, 'a', 0xFB, 'n', 'g'}},
		{VNI, "Nguyễn", []byte{'N', 'g', 'u', 'y', 'e', 0xE3, 'n'}},
		{VNI, "NGUYỄN", []byte{'N', 'G', 'U', 'Y', 'E', 0xC3, 'N'}},
		{VNI, "Thị", []byte{'T', 'h', 0xF2}},
		{VNI, "Văn", []byte{'V', 'a', 0xEA, 'n'}},
		{VNI, "Hường", []byte{'H', 0xF6, 0xF4, 0xF8, 'n', 'g'}},
		{VNI, "xã", []byte{'x', 'a', 0xF5}},
		{VNI, "chào các bạn", []byte{'c', 'h', 'a', 0xF8, 'o', ' ', 'c', 'a', 0xF9, 'c', ' ', 'b', 'a', 0xEF, 'n'}},
		{VNI, "Ủy", []byte{'U', 0xDB, 'y'}},
		{VNI, "ỵ Ỵ ý", []byte{0xEE, ' ', 0xCE, ' ', 'y', 0xF9}},
		{Windows1258, "Nguyễn", []byte{'N', 'g', 'u', 'y', 0xEA, 0xDE, 'n'}},
		{Windows1258, "Đảng", []byte{0xD0, 'a', 0xD2, 'n', 'g'}},
		{Windows1258, "Thị", []byte{'T', 'h', 'i', 0xF2}},
		{Windows1258, "Văn", []byte{'V', 0xE3, 'n'}},
		{Windows1258, "Hường", []byte{'H', 0xFD, 0xF5, 0xCC, 'n', 'g'}},
		{Windows1258, "cà phê", []byte{'c', 0xE0, ' ', 'p', 'h', 0xEA}},
		{Windows1258, "xã", []byte{'x', 'a', 0xDE}},
	}
	for _, tc := range tests {
		t.Run(tc.enc+"/"+tc.text, func(t *testing.T) {
			got, err := Encode(tc.text, tc.enc)
			if err != nil || !bytes.Equal(got, tc.want) {
				t.Fatalf("Encode(%q, %s)=% X, %v; want % X", tc.text, tc.enc, got, err, tc.want)
			}
			if dec := decodeAll(t, bytes.NewReader(tc.want), tc.enc); dec != tc.text {
				t.Fatalf("decode(% X, %s)=%q, want %q", tc.want, tc.enc, dec, tc.text)
			}
		})
	}
}

func TestDecodeCombining(t *testing.T) {
	tests := []struct {
		name string
		enc  string
		in   []byte
		want string
	}{
		// Windows-1258 with every tone combining, as Unikey's plain
		// CP1258 table writes it: a + 0xEC (acute).
		{"cp1258 combining acute", Windows1258, []byte{'c', 'a', 0xEC, 'c'}, "các"},
		{"cp1258 ê + tilde", Windows1258, []byte{'N', 'g', 'u', 'y', 0xEA, 0xDE, 'n'}, "Nguyễn"},
		{"cp1258 ă + dot", Windows1258, []byte{'m', 0xE3, 0xF2, 't'}, "mặt"},
		// Decomposed UTF-8 ("Unicode tổ hợp") becomes NFC.
		{"utf-8 NFD", UTF8, []byte("Nguye\u0302\u0303n"), "Nguyễn"},
		{"utf-8 BOM stripped", UTF8, []byte("\ufeffĐảng"), "Đảng"},
		{"utf-8-bom name", UTF8BOM, []byte("\ufeffĐảng"), "Đảng"},
		{"utf-8 BOM only once", UTF8, []byte("\ufeff\ufeffx"), "\ufeffx"},
		{"utf-16le BOM", UTF16LE, []byte{0xFF, 0xFE, 0x10, 0x01, 0xA3, 0x1E, 'n', 0, 'g', 0}, "Đảng"},
		{"utf-16be BOM", UTF16BE, []byte{0xFE, 0xFF, 0x01, 0x10, 0x1E, 0xA3, 0, 'n', 0, 'g'}, "Đảng"},
		{"utf-16 BOM overrides", UTF16LE, []byte{0xFE, 0xFF, 0x01, 0x10, 0x1E, 0xA3, 0, 'n', 0, 'g'}, "Đảng"},
		{"utf-16le decomposed", UTF16LE, []byte{'e', 0, 0x02, 0x03, 0x01, 0x03}, "ế"},
		// TCVN3 uppercase toned letters come out lowercase (.VnTimeH).
		{"tcvn3 .VnTimeH", TCVN3, []byte{0xA7, 0xB6, 'N', 'G'}, "ĐảNG"},
		// Bytes TCVN3 does not assign decode as Windows-1252.
		{"tcvn3 free bytes", TCVN3, []byte{0x93, 'x', 0x94, ' ', 0xB0, ' ', 0x80}, "“x” ° €"},
		// The uppercase toned letters of VN2 decode as such.
		{"tcvn3 VN2 capitals", TCVN3, []byte{0xC4, 'p', ' ', 0xA3, 'D', 0xD9, 'N', 0xC5, 0xFF}, "Ấp ÊDỄNỀỐ"},
		{"vni free bytes", VNI, []byte{0x93, 'x', 0x94, ' ', 0xA9}, "“x” ©"},
		{"windows-1252", Windows1252, []byte{'c', 'a', 'f', 0xE9, ' ', 0x80}, "café €"},
		// A VNI mark on a consonant stays a combining mark.
		{"vni stray mark", VNI, []byte{'b', 0xF9}, "b\u0301"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := decodeAll(t, bytes.NewReader(tc.in), tc.enc); got != tc.want {
				t.Fatalf("decode(% X, %s)=%q, want %q", tc.in, tc.enc, got, tc.want)
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		enc, text, wantMsg string
	}{
		{TCVN3, "ĐẢNG", "TCVN3 has no uppercase vowels with tone marks"},
		{TCVN3, "日本", "cannot encode '日'"},
		{VNI, "Müller", "cannot encode 'ü'"}, // 0xFC is a VNI mark byte
		{VNI, "Ñ", "cannot encode 'Ñ'"},      // 0xD1 is VNI's Đ
		{Windows1258, "日", "cannot encode '日'"},
		{Windows1252, "Đảng", "cannot encode 'Đ'"},
		{TCVN3, "x\u0301", "cannot encode"},
		{"koi8-r", "x", "unknown encoding"},
	}
	for _, tc := range tests {
		t.Run(tc.enc+"/"+tc.text, func(t *testing.T) {
			b, err := Encode(tc.text, tc.enc)
			if err == nil {
				t.Fatalf("Encode(%q, %s)=% X, want error", tc.text, tc.enc, b)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "textenc: ") || !strings.Contains(msg, tc.wantMsg) {
				t.Fatalf("Encode(%q, %s) err=%q, want it to contain %q", tc.text, tc.enc, msg, tc.wantMsg)
			}
		})
	}
	if _, err := Encode("\xff", UTF8); err == nil {
		t.Errorf("Encode(invalid UTF-8) err=nil, want error")
	}
}

func TestStreaming(t *testing.T) {
	readers := map[string]func(io.Reader) io.Reader{
		"one-byte":  iotest.OneByteReader,
		"half":      iotest.HalfReader,
		"data-err":  iotest.DataErrReader,
		"unchanged": func(r io.Reader) io.Reader { return r },
	}
	for _, enc := range []string{TCVN3, VNI, Windows1258, UTF8, UTF8BOM, UTF16LE, UTF16BE, Windows1252} {
		var text string
		if enc == Windows1252 {
			text = strings.Repeat("Ça coûte 5 € – déjà vu\n", 400)
		} else {
			var lines []string
			for _, p := range corpus {
				if enc == TCVN3 {
					p = strings.ToLower(p)
				}
				lines = append(lines, p)
			}
			// Long enough to cross many internal buffers.
			text = strings.Repeat(strings.Join(lines, "\n")+"\n", 20)
		}
		in, err := Encode(text, enc)
		if err != nil {
			t.Fatalf("Encode(%s) err=%v", enc, err)
		}
		for name, wrap := range readers {
			t.Run(enc+"/"+name, func(t *testing.T) {
				if got := decodeAll(t, wrap(bytes.NewReader(in)), enc); got != text {
					t.Fatalf("decoded %d bytes differ from the %d-byte original; first difference at byte %d",
						len(got), len(text), firstDiff(got, text))
				}
			})
		}
	}
}

func firstDiff(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestInvalidUTF8(t *testing.T) {
	header := "ma_to_chuc,ten,loai\n"
	row1 := "TC001,Chi bộ 1,chi_bo\n" // valid UTF-8
	tcvn, err := Encode("TC002,Đảng bộ xã Thanh Sơn,dang_bo\nTC003,Chi bộ thôn Đông Hạ,chi_bo\n", TCVN3)
	if err != nil {
		t.Fatal(err)
	}
	in := append([]byte(header+row1), tcvn...)
	wantOffset := int64(len(header+row1) + len("TC002,")) // 0xA7 (Đ)
	deepLine := "TC000,Chi bộ,chi_bo\n"
	tests := []struct {
		name string
		wrap func(io.Reader) io.Reader
		in   []byte
		off  int64
	}{
		{"bulk", func(r io.Reader) io.Reader { return r }, in, wantOffset},
		{"one-byte", iotest.OneByteReader, in, wantOffset},
		{"with BOM", func(r io.Reader) io.Reader { return r }, append(append([]byte(nil), utf8BOM...), in...), wantOffset + 3},
		{"deep", func(r io.Reader) io.Reader { return r },
			append([]byte(header+strings.Repeat(deepLine, 998)), tcvn...), int64(len(header) + 998*len(deepLine) + len("TC002,"))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(tc.wrap(bytes.NewReader(tc.in)), UTF8)
			if err != nil {
				t.Fatal(err)
			}
			out, err := io.ReadAll(r)
			var ee *EncodingError
			if !errors.As(err, &ee) {
				t.Fatalf("err=%v (%T), want *EncodingError", err, err)
			}
			wantLine := 3
			if tc.name == "deep" {
				wantLine = 1000
			}
			if ee.Line != wantLine || ee.Offset != tc.off || ee.Guess != TCVN3 {
				t.Fatalf("got line %d offset %d guess %q, want line %d offset %d guess %q",
					ee.Line, ee.Offset, ee.Guess, wantLine, tc.off, TCVN3)
			}
			if !utf8.Valid(out) {
				t.Errorf("output before the error is not valid UTF-8: %q", out)
			}
			if !strings.HasPrefix(string(out), header[:10]) {
				t.Errorf("output before the error = %q, want it to start with the header", out)
			}
			msg := ee.Error()
			for _, want := range []string{"textenc: ", "line ", "0xA7", "tcvn3"} {
				if !strings.Contains(msg, want) {
					t.Errorf("Error()=%q, want it to contain %q", msg, want)
				}
			}
		})
	}
	// Other legacy encodings are guessed too.
	for _, enc := range []string{VNI, Windows1258} {
		t.Run("guess "+enc, func(t *testing.T) {
			b, err := Encode(csvSample(enc), enc)
			if err != nil {
				t.Fatal(err)
			}
			r, _ := NewReader(bytes.NewReader(b), UTF8)
			_, err = io.ReadAll(r)
			var ee *EncodingError
			if !errors.As(err, &ee) || ee.Guess != enc || ee.Line != 2 {
				t.Fatalf("err=%v, want *EncodingError on line 2 guessing %s", err, enc)
			}
		})
	}
	// Damaged UTF-8 is called that.
	t.Run("damaged", func(t *testing.T) {
		r, _ := NewReader(iotest.OneByteReader(bytes.NewReader(damaged(csvSample(UTF8)))), UTF8)
		_, err := io.ReadAll(r)
		var ee *EncodingError
		if !errors.As(err, &ee) || ee.Guess != UTF8 || ee.Line != 9 || !strings.Contains(ee.Reason, "damaged UTF-8") {
			t.Fatalf("err=%v, want *EncodingError on line 9 guessing damaged UTF-8", err)
		}
	})
	// A multi-byte character cut at the end of the input is invalid.
	t.Run("truncated", func(t *testing.T) {
		r, _ := NewReader(bytes.NewReader([]byte("ab\n\xe1\xba")), UTF8)
		_, err := io.ReadAll(r)
		var ee *EncodingError
		if !errors.As(err, &ee) || ee.Offset != 3 || ee.Line != 2 {
			t.Fatalf("err=%v, want *EncodingError at offset 3 line 2", err)
		}
	})
}

func TestNewReaderUnknown(t *testing.T) {
	if _, err := NewReader(strings.NewReader(""), "ebcdic"); err == nil || !strings.HasPrefix(err.Error(), "textenc: ") {
		t.Fatalf("NewReader(ebcdic) err=%v, want textenc: error", err)
	}
	// Aliases work.
	got := decodeAll(t, bytes.NewReader([]byte{0xA7, 0xB6, 'n', 'g'}), "ABC")
	if got != "Đảng" {
		t.Fatalf("NewReader(ABC) decodes to %q, want %q", got, "Đảng")
	}
}

func TestNFCWithoutNormaliser(t *testing.T) {
	// The TCVN3 and Windows-1252 decoders skip norm.NFC because every byte
	// decodes to a character that cannot combine; VNI needs it.
	if tcvn3Dec.needNFC || cp1252Dec.needNFC {
		t.Errorf("needNFC tcvn3=%v cp1252=%v, want false", tcvn3Dec.needNFC, cp1252Dec.needNFC)
	}
	if !vniDec.needNFC {
		t.Errorf("needNFC vni=false, want true")
	}
}

// TestTableDecoderSmallBuffers drives tableDecoder by hand with the
// smallest buffers that allow progress (src grows one byte at a time, dst
// holds one character), which exercises ErrShortSrc and ErrShortDst.
func TestTableDecoderSmallBuffers(t *testing.T) {
	tables := map[string]*byteTable{TCVN3: &tcvn3Dec, VNI: &vniDec, Windows1258: &cp1258Dec, Windows1252: &cp1252Dec}
	for enc, tab := range tables {
		t.Run(enc, func(t *testing.T) {
			text := strings.ToLower(strings.Join(corpus, "\n"))
			if enc == Windows1252 {
				text = "Ça coûte 5 € – déjà vu"
			}
			in, err := Encode(text, enc)
			if err != nil {
				t.Fatal(err)
			}
			d := tableDecoder{tab}
			var out []byte
			dst := make([]byte, 4)
			src, end := 0, 0
			for src < len(in) {
				if end < len(in) {
					end++
				}
				nDst, nSrc, err := d.Transform(dst, in[src:end], end == len(in))
				out = append(out, dst[:nDst]...)
				src += nSrc
				if err != nil && !errors.Is(err, transform.ErrShortSrc) && !errors.Is(err, transform.ErrShortDst) {
					t.Fatalf("Transform err=%v", err)
				}
			}
			if got := norm.NFC.String(string(out)); got != text {
				t.Fatalf("decoded %q, want %q", got, text)
			}
		})
	}
}
