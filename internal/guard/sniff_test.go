package guard

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"unicode/utf8"
)

// minimalPDF is a complete one-page PDF (header, objects, xref, trailer).
const minimalPDF = "%PDF-1.4\n" +
	"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" +
	"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n" +
	"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n" +
	"trailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"

func testImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{200, 30, 30, 255})
	return img
}

func pngBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, testImage()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, testImage(), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// hugePNG is a PNG signature and a valid IHDR declaring w×h pixels.
func hugePNG(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk := append([]byte("IHDR"), ihdr...)
	b := append([]byte("\x89PNG\r\n\x1a\n"), 0, 0, 0, 13)
	b = append(b, chunk...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(chunk))
}

type zipEntry struct {
	name, body string
	store      bool
}

func zipBytes(t *testing.T, entries ...zipEntry) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.store {
			h.Method = zip.Store
		}
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(e.body))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const docXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Đơn tố cáo</w:t></w:r></w:p></w:body></w:document>`

func docxBytes(t *testing.T, extra ...zipEntry) []byte {
	entries := []zipEntry{
		{name: "[Content_Types].xml", body: `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{name: "_rels/.rels", body: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{name: "word/document.xml", body: docXML},
	}
	return zipBytes(t, append(entries, extra...)...)
}

func odfBytes(t *testing.T, mime string) []byte {
	return zipBytes(t,
		zipEntry{name: "mimetype", body: mime, store: true},
		zipEntry{name: "META-INF/manifest.xml", body: `<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="` + mime + `"/></manifest:manifest>`},
		zipEntry{name: "content.xml", body: `<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"><office:body><office:text>Đơn kiến nghị</office:text></office:body></office:document-content>`},
	)
}

// bombBytes is a real zip bomb: entries of 8 MiB of zeros, deflated to
// almost nothing (one stream, compressed once, stored n/8 times), n MiB in
// all.
func bombBytes(t *testing.T, n int) []byte {
	zeros := make([]byte, 8<<20)
	var z bytes.Buffer
	fw, _ := flate.NewWriter(&z, flate.BestSpeed)
	fw.Write(zeros)
	fw.Close()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for i := range n / 8 {
		f, err := w.CreateRaw(&zip.FileHeader{Name: "word/media/z" + string(rune('a'+i)) + ".bin", Method: zip.Deflate,
			CompressedSize64: uint64(z.Len()), UncompressedSize64: uint64(len(zeros)), CRC32: crc32.ChecksumIEEE(zeros)})
		if err != nil {
			t.Fatal(err)
		}
		f.Write(z.Bytes())
	}
	f, _ := w.Create("word/document.xml")
	f.Write([]byte(docXML))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if b.Len() > 1<<20 {
		t.Fatalf("bomb of %d bytes is no bomb", b.Len())
	}
	return b.Bytes()
}

// lyingZip declares sizes in its central directory (with CreateRaw) far
// beyond its content.
func lyingZip(t *testing.T, sizes ...uint64) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for i, size := range sizes {
		f, err := w.CreateRaw(&zip.FileHeader{Name: "word/x" + string(rune('a'+i)), Method: zip.Store,
			CompressedSize64: 1, UncompressedSize64: size, CRC32: crc32.ChecksumIEEE([]byte("x"))})
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("x"))
	}
	f, _ := w.Create("word/document.xml")
	f.Write([]byte(docXML))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSniff(t *testing.T) {
	pdf := []byte(minimalPDF)
	pngB, jpgB := pngBytes(t), jpegBytes(t)
	docx, odt := docxBytes(t), odfBytes(t, odtMime)
	text := []byte("Kính gửi Ủy ban Kiểm tra Tỉnh ủy,\r\n\tTôi xin tố cáo việc sau đây…\n")
	pe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), make([]byte, 64)...)
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 56)...)
	html := []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>`)

	ok := []struct {
		name string
		data []byte
		want Kind
	}{
		{"to-cao.pdf", pdf, kindPDF},
		{"ĐƠN TỐ CÁO.PDF", pdf, kindPDF},
		{`C:\Users\An\Desktop\đơn.pdf`, pdf, kindPDF},
		{"anh.png", pngB, kindPNG},
		{"anh.jpg", jpgB, kindJPEG},
		{"anh.JPEG", jpgB, kindJPEG},
		{"noi-dung.txt", text, kindText},
		{"bom.txt", append([]byte("\xEF\xBB\xBF"), text...), kindText},
		{"don.docx", docx, kindDOCX},
		{"don.odt", odt, kindODT},
		{"anh-lon.docx", bombBytes(t, 48), kindDOCX}, // under MaxUnzipped: the control for the bomb below
	}
	for _, tt := range ok {
		t.Run("ok "+tt.name, func(t *testing.T) {
			got, err := Sniff(tt.name, tt.data)
			if err != nil || got != tt.want {
				t.Errorf("Sniff = %v, %v; want %v", got, err, tt.want)
			}
		})
	}

	bad := []struct {
		desc, name string
		data       []byte
	}{
		{"exe named .pdf", "hoa-don.pdf", pe},
		{"ELF named .pdf", "hoa-don.pdf", elf},
		{"HTML named .pdf", "hoa-don.pdf", html},
		{"zip named .pdf", "hoa-don.pdf", docx},
		{"PDF named .exe", "don.pdf.exe", pdf},
		{"PDF without extension", "don", pdf},
		{"PDF named .docx", "don.docx", pdf},
		{"PDF header without version", "a.pdf", []byte("%PDF-")},
		{"HTML named .txt", "thu.txt", html},
		{"HTML after BOM and spaces", "thu.txt", append([]byte("\xEF\xBB\xBF \r\n\t"), html...)},
		{"HTML named .html", "thu.html", html},
		{"SVG named .svg", "anh.svg", svg},
		{"SVG named .txt", "anh.txt", svg},
		{"SVG named .png", "anh.png", svg},
		{"XML named .txt", "a.txt", []byte(`<?xml version="1.0"?><a/>`)},
		{"PNG named .jpg", "anh.jpg", pngB},
		{"JPEG named .png", "anh.png", jpgB},
		{"PNG magic then garbage", "anh.png", append([]byte("\x89PNG\r\n\x1a\n"), "garbage garbage garbage"...)},
		{"JPEG magic then garbage", "anh.jpg", []byte("\xFF\xD8\xFF garbage garbage")},
		{"PNG of 100000×100000 pixels", "anh.png", hugePNG(100000, 100000)},
		{"zip without word/document.xml", "don.docx", zipBytes(t, zipEntry{name: "readme.txt", body: "hi"})},
		{"zip named .zip", "don.zip", docx},
		{"DOCX named .odt", "don.odt", docx},
		{"ODT named .docx", "don.docx", odt},
		{"spreadsheet named .odt", "bang.odt", odfBytes(t, "application/vnd.oasis.opendocument.spreadsheet")},
		{"DOCX with macros", "don.docx", docxBytes(t, zipEntry{name: "word/vbaProject.bin", body: "\x00macro"})},
		{"both DOCX and ODT", "don.docx", docxBytes(t, zipEntry{name: "mimetype", body: odtMime})},
		{"zip bomb (real, 56 MiB of zeros)", "don.docx", bombBytes(t, 56)},
		{"zip bomb declaration", "don.docx", lyingZip(t, 60<<20)},
		{"zip declarations adding up", "don.docx", lyingZip(t, 20<<20, 20<<20, 20<<20)},
		{"zip declarations overflowing uint64", "don.docx", lyingZip(t, 1<<63, 1<<63, 1<<63)},
		{"truncated zip", "don.docx", docx[:len(docx)/2]},
		{"NUL bytes in .txt", "thu.txt", []byte("Kính gửi\x00\x00 Ủy ban")},
		{"other control bytes in .txt", "thu.txt", []byte("Kính gửi\x1b[31m Ủy ban")},
		{"Windows-1258 text", "thu.txt", []byte("K\xedn g\xf7i")},
		{"UTF-16 text", "thu.txt", []byte("\xFF\xFEK\x00i\x00")},
		{"empty .txt", "thu.txt", nil},
		{"empty .pdf", "a.pdf", []byte{}},
	}
	for _, tt := range bad {
		t.Run("bad "+tt.desc, func(t *testing.T) {
			got, err := Sniff(tt.name, tt.data)
			if !errors.Is(err, ErrFileType) {
				t.Errorf("Sniff(%q) = %v, %v; want ErrFileType", tt.name, got, err)
			}
			t.Log(err)
		})
	}
}

func TestAccept(t *testing.T) {
	if got := Accept(); got != ".pdf,.jpg,.jpeg,.png,.txt,.docx,.odt" {
		t.Errorf("Accept = %q", got)
	}
}

func TestSafeName(t *testing.T) {
	long := strings.Repeat("Đơn tố cáo ", 20) + ".pdf"
	tests := []struct{ in, want string }{
		{"Đơn tố cáo.pdf", "Đơn tố cáo.pdf"},
		{"Biên bản họp chi bộ (lần 2).docx", "Biên bản họp chi bộ (lần 2).docx"},
		{"../../etc/passwd", "passwd"},
		{`C:\Users\An\Đơn.pdf`, "Đơn.pdf"},
		{"a/b\\c.txt", "c.txt"},
		{"tố\x00cáo\r\n.txt", "tốcáo .txt"},
		{"  many   \t spaces  .pdf ", "many spaces .pdf"},
		{"hoá-đơn\u202Efdp.exe", "hoá-đơnfdp.exe"}, // right-to-left override removed
		{"zero\u200Bwidth.txt", "zerowidth.txt"},
		{"what?<x>:\"y\"|*.txt", "what__x___y___.txt"},
		{".htaccess", "tep.htaccess"},
		{".pdf", "tep.pdf"},
		{"..", "tep"},
		{"...report.pdf", "report.pdf"},
		{"trailing dots...", "trailing dots"},
		{"", "tep"},
		{"/", "tep"},
		{"\x00\x01\x7f", "tep"},
		{"\xff\xfebad utf8.txt", "bad utf8.txt"},
		{"CON.txt", "_CON.txt"},
		{"nul", "_nul"},
		{"console.txt", "console.txt"},
		{long, strings.TrimRight(string([]rune(long)[:116]), " ") + ".pdf"},
		{strings.Repeat("ạ", 200), strings.Repeat("ạ", 120)},
		{"x." + strings.Repeat("e", 30), ("x." + strings.Repeat("e", 30))},
		{strings.Repeat("a", 130) + "." + strings.Repeat("e", 30), strings.Repeat("a", 120)},
	}
	for _, tt := range tests {
		got := SafeName(tt.in)
		if got != tt.want {
			t.Errorf("SafeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if n := utf8.RuneCountInString(got); n == 0 || n > 120 || !utf8.ValidString(got) {
			t.Errorf("SafeName(%q) = %q: %d runes", tt.in, got, n)
		}
		if again := SafeName(got); again != got {
			t.Errorf("SafeName not idempotent: %q → %q → %q", tt.in, got, again)
		}
	}
}
