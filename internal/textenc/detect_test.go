package textenc

import (
	"bytes"
	"strings"
	"testing"
)

// csvSample returns a CSV file like the ones `ktgs import` reads, written
// so that enc can hold it (TCVN3 has no uppercase vowels with tones).
func csvSample(enc string) string {
	rows := []string{
		"ma_to_chuc,ten,loai",
		"TC001,Đảng bộ xã Thanh Sơn,dang_bo",
		"TC002,Chi bộ thôn Đông Hạ,chi_bo",
		"TC003,Chi bộ trường tiểu học Nghĩa Đàn,chi_bo",
		"DV001,Nguyễn Thị Hường,dang_vien",
		"DV002,Trần Văn Bảy,dang_vien",
		"DV003,Lê Quang Thịnh,dang_vien",
		"KL001,khiển trách,ky_luat",
	}
	if enc != TCVN3 {
		rows = append(rows, "TC004,ỦY BAN KIỂM TRA HUYỆN ỦY,uy_ban")
	}
	return strings.Join(rows, "\r\n") + "\r\n"
}

func TestDetect(t *testing.T) {
	encode := func(s, enc string) []byte {
		b, err := Encode(s, enc)
		if err != nil {
			t.Fatalf("Encode(%s) err=%v", enc, err)
		}
		return b
	}
	short := func(enc string) []byte { // one row only
		return encode("ma_to_chuc,ten,loai\nTC001,Nguyễn Văn An,dang_vien\n", enc)
	}
	tests := []struct {
		name       string
		sample     []byte
		want       string
		wantReason string
	}{
		{"utf-8", []byte(csvSample(UTF8)), UTF8, "valid UTF-8"},
		{"ascii", []byte("ma_to_chuc,ten,loai\nTC001,Chi bo,chi_bo\n"), UTF8, "ASCII"},
		{"empty", nil, UTF8, "ASCII"},
		{"utf-8 NFD", []byte("Nguye\u0302\u0303n"), UTF8, "valid UTF-8"},
		{"utf-8 cut mid-character", []byte("Nguyễn Thị Hư\xc6"), UTF8, "valid UTF-8"},
		{"utf-8 BOM", encode(csvSample(UTF8), UTF8BOM), UTF8BOM, "byte order mark"},
		{"utf-16le BOM", append([]byte{0xFF, 0xFE}, encode(csvSample(UTF16LE), UTF16LE)...), UTF16LE, "byte order mark"},
		{"utf-16be BOM", append([]byte{0xFE, 0xFF}, encode(csvSample(UTF16BE), UTF16BE)...), UTF16BE, "byte order mark"},
		{"utf-16le no BOM", encode(csvSample(UTF16LE), UTF16LE), UTF16LE, "NUL"},
		{"utf-16be no BOM", encode(csvSample(UTF16BE), UTF16BE), UTF16BE, "NUL"},
		{"tcvn3", encode(csvSample(TCVN3), TCVN3), TCVN3, "typical of TCVN3"},
		{"vni", encode(csvSample(VNI), VNI), VNI, "typical of VNI"},
		{"windows-1258", encode(csvSample(Windows1258), Windows1258), Windows1258, "typical of Windows-1258"},
		{"tcvn3 short", short(TCVN3), TCVN3, "Nguyễn"},
		{"vni short", short(VNI), VNI, "Nguyễn"},
		{"windows-1258 short", short(Windows1258), Windows1258, "Nguyễn"},
		{"tcvn3 .VnTimeH", encode("ma,ten\n1,đảng bộ huyện\n", TCVN3), TCVN3, "đảng"},
		{"vni uppercase", encode("ĐẢNG CỘNG SẢN VIỆT NAM\n", VNI), VNI, "ĐẢNG"},
		{"damaged utf-8", damaged(csvSample(UTF8)), UTF8, "damaged UTF-8"},
		{"windows-1252 French", encode("nom,ville\nFrançois Müller,Zürich\nJosé,Málaga\n", Windows1252), Windows1252, "no Vietnamese words"},
		{"windows-1252 symbols", []byte("gia,don_vi\n100\xb0C,5\x80\n"), Windows1252, "assuming Windows-1252"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, reason := Detect(tc.sample)
			if got != tc.want || !strings.Contains(reason, tc.wantReason) {
				t.Fatalf("Detect()=%q, %q; want %q with reason containing %q", got, reason, tc.want, tc.wantReason)
			}
		})
	}
}

// damaged returns s with one byte of its last multi-byte character
// replaced by 0xFF.
func damaged(s string) []byte {
	b := []byte(s)
	b[strings.LastIndex(s, "ỦY")] = 0xFF
	return b
}

func TestDetectReason(t *testing.T) {
	b, err := Encode(csvSample(TCVN3), TCVN3)
	if err != nil {
		t.Fatal(err)
	}
	enc, reason := Detect(b)
	want := "invalid UTF-8 at byte 27; bytes "
	if enc != TCVN3 || !strings.HasPrefix(reason, want) || !strings.Contains(reason, `"Đảng"`) {
		t.Fatalf("Detect()=%q, %q; want tcvn3 with a reason starting %q and quoting \"Đảng\"", enc, reason, want)
	}
}

// TestDetectEveryPhrase checks Detect on each corpus phrase alone, a much
// smaller sample than a real file. Phrases with no letters outside ASCII
// in some encoding, or that read as Vietnamese in more than one, are
// skipped only if Detect still returns one of the Vietnamese encodings.
func TestDetectEveryPhrase(t *testing.T) {
	for _, enc := range []string{TCVN3, VNI, Windows1258} {
		right, total := 0, 0
		for _, p := range corpus {
			if enc == TCVN3 {
				p = strings.ToLower(p)
			}
			b, err := Encode(p, enc)
			if err != nil {
				t.Fatal(err)
			}
			if isASCII(b) || bytes.Equal(b, []byte(p)) {
				continue
			}
			total++
			if got, _ := Detect(b); got == enc {
				right++
			} else {
				t.Logf("%s: Detect(%q)=%s", enc, p, got)
			}
		}
		// Single phrases are short; demand a high but not perfect rate.
		if right*10 < total*9 {
			t.Errorf("%s: Detect right on %d of %d phrases, want at least 90%%", enc, right, total)
		}
	}
}

func TestIsSyllable(t *testing.T) {
	tests := []struct {
		w    string
		want bool
	}{
		{"đảng", true}, {"nguyễn", true}, {"thị", true}, {"văn", true}, {"xã", true},
		{"hường", true}, {"quốc", true}, {"giữa", true}, {"gì", true}, {"khuya", true},
		{"người", true}, {"việt", true}, {"trách", true}, {"ủy", true}, {"oái", true},
		{"nguyeón", false}, {"thiũ", false}, {"ờị", false}, {"müller", false}, {"café", false},
		{"viet", false}, {"việc", true}, {"viềt", false}, {"ñaûng", false}, {"ă", true},
	}
	for _, tc := range tests {
		t.Run(tc.w, func(t *testing.T) {
			if got := isSyllable(tc.w); got != tc.want {
				t.Fatalf("isSyllable(%q)=%v, want %v", tc.w, got, tc.want)
			}
		})
	}
}
