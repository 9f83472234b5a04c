package guard

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is an accepted attachment type: its canonical extension (with the
// dot) and the MIME type to serve it with.
type Kind struct {
	Ext, MIME string
}

// ErrFileType: the attachment is not one of the accepted types, its
// extension does not match its content, or it is a damaged or oversized
// (zip bomb) document. Errors from Sniff wrap it with a short reason for
// the log; test with errors.Is.
var ErrFileType = errors.New("guard: file type not allowed")

// Limits of Sniff.
const (
	// MaxUnzipped caps the total uncompressed size that the central
	// directory of a DOCX or ODT declares for its entries. A letter with
	// photos stays far below; a zip bomb does not.
	MaxUnzipped = 50 << 20
	// MaxZipEntries caps the number of entries of a DOCX or ODT.
	MaxZipEntries = 10000
	// MaxImagePixels caps width × height of a PNG or JPEG (16384²; a
	// 200-megapixel phone photo fits), so decoding one for a thumbnail
	// cannot exhaust memory.
	MaxImagePixels = 1 << 28
)

var (
	kindPDF  = Kind{".pdf", "application/pdf"}
	kindJPEG = Kind{".jpg", "image/jpeg"}
	kindPNG  = Kind{".png", "image/png"}
	kindText = Kind{".txt", "text/plain; charset=utf-8"}
	kindDOCX = Kind{".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
	kindODT  = Kind{".odt", "application/vnd.oasis.opendocument.text"}
)

// exts lists the accepted extensions in the order Accept gives them.
var exts = []struct {
	ext  string
	kind Kind
}{
	{".pdf", kindPDF}, {".jpg", kindJPEG}, {".jpeg", kindJPEG}, {".png", kindPNG},
	{".txt", kindText}, {".docx", kindDOCX}, {".odt", kindODT},
}

// Accept returns the accepted extensions for the accept attribute of the
// form's file input: ".pdf,.jpg,.jpeg,.png,.txt,.docx,.odt". It is a hint
// to the browser's file picker only; Sniff decides.
func Accept() string {
	s := make([]string, len(exts))
	for i, e := range exts {
		s[i] = e.ext
	}
	return strings.Join(s, ",")
}

func fileTypeErr(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrFileType}, a...)...)
}

// Sniff returns the kind of the attachment called name whose whole content
// is data, or an error wrapping ErrFileType. It accepts only:
//
//   - PDF: starts with "%PDF-" and a version digit;
//   - JPEG, PNG: the signature and a readable header, at most
//     MaxImagePixels;
//   - plain text: non-empty valid UTF-8 (an optional BOM), no NUL or other
//     control characters but tab, line feed, vertical tab, form feed and
//     carriage return, and not markup (HTML, SVG, XML: nothing starting
//     with "<");
//   - DOCX: a zip whose central directory holds word/document.xml and no
//     macros (vbaProject.bin);
//   - ODT: a zip whose "mimetype" entry is
//     application/vnd.oasis.opendocument.text;
//
// and only when the extension of name (case-insensitive: .pdf, .jpg or
// .jpeg, .png, .txt, .docx, .odt) names the same kind. A zip is refused
// when it is damaged, encrypted, has more than MaxZipEntries entries or
// declares more than MaxUnzipped bytes in all. Everything else is refused:
// executables, HTML, SVG, scripts, legacy .doc, spreadsheets, archives.
func Sniff(name string, data []byte) (Kind, error) {
	ext := strings.ToLower(extOf(baseName(name)))
	var want Kind
	for _, e := range exts {
		if e.ext == ext {
			want = e.kind
		}
	}
	if want == (Kind{}) {
		return Kind{}, fileTypeErr("extension %q not accepted", ext)
	}
	got, err := detect(data)
	if err != nil {
		return Kind{}, err
	}
	if got != want {
		return Kind{}, fileTypeErr("%s file is really %s", ext, got.Ext)
	}
	return got, nil
}

var (
	magicPDF  = []byte("%PDF-")
	magicJPEG = []byte{0xFF, 0xD8, 0xFF}
	magicPNG  = []byte("\x89PNG\r\n\x1a\n")
	magicZip  = []byte("PK\x03\x04")
	utf8BOM   = []byte("\xEF\xBB\xBF")
)

// detect returns the kind of data, whatever its name.
func detect(data []byte) (Kind, error) {
	switch {
	case len(data) == 0:
		return Kind{}, fileTypeErr("empty file")
	case bytes.HasPrefix(data, magicPDF):
		if len(data) <= len(magicPDF) || data[len(magicPDF)] < '0' || data[len(magicPDF)] > '9' {
			return Kind{}, fileTypeErr("damaged PDF header")
		}
		return kindPDF, nil
	case bytes.HasPrefix(data, magicPNG):
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return Kind{}, fileTypeErr("damaged PNG")
		}
		return kindPNG, checkPixels(cfg.Width, cfg.Height)
	case bytes.HasPrefix(data, magicJPEG):
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		var unsupported jpeg.UnsupportedError
		switch {
		case errors.As(err, &unsupported):
			// A valid JPEG using a feature Go cannot decode (e.g.
			// arithmetic coding): still a JPEG.
			return kindJPEG, nil
		case err != nil:
			return Kind{}, fileTypeErr("damaged JPEG")
		}
		return kindJPEG, checkPixels(cfg.Width, cfg.Height)
	case bytes.HasPrefix(data, magicZip):
		return detectZip(data)
	}
	return detectText(data)
}

func checkPixels(w, h int) error {
	if w <= 0 || h <= 0 || int64(w)*int64(h) > MaxImagePixels {
		return fileTypeErr("image of %d×%d pixels", w, h)
	}
	return nil
}

const (
	docxMain = "word/document.xml"
	odtMime  = "application/vnd.oasis.opendocument.text"
)

// detectZip tells a DOCX from an ODT by the central directory, refusing
// anything else and zip bombs.
func detectZip(data []byte) (Kind, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Kind{}, fileTypeErr("damaged zip")
	}
	if len(zr.File) > MaxZipEntries {
		return Kind{}, fileTypeErr("zip of %d entries", len(zr.File))
	}
	var (
		total    uint64
		mimetype *zip.File
		docx     bool
	)
	for _, f := range zr.File {
		if f.UncompressedSize64 > MaxUnzipped-total {
			return Kind{}, fileTypeErr("zip declares more than %d bytes", MaxUnzipped)
		}
		total += f.UncompressedSize64
		if f.Flags&0x1 != 0 {
			return Kind{}, fileTypeErr("encrypted zip")
		}
		switch {
		case f.Name == "mimetype":
			mimetype = f
		case f.Name == docxMain:
			docx = true
		case strings.HasSuffix(strings.ToLower(f.Name), "vbaproject.bin"):
			return Kind{}, fileTypeErr("document with macros")
		}
	}
	switch {
	case mimetype != nil && docx:
		return Kind{}, fileTypeErr("ambiguous document")
	case mimetype != nil:
		if mimetype.UncompressedSize64 != uint64(len(odtMime)) {
			return Kind{}, fileTypeErr("OpenDocument that is not a text")
		}
		rc, err := mimetype.Open()
		if err != nil {
			return Kind{}, fileTypeErr("damaged zip")
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, int64(len(odtMime))+1))
		if err != nil {
			return Kind{}, fileTypeErr("damaged zip")
		}
		if string(b) != odtMime {
			return Kind{}, fileTypeErr("OpenDocument that is not a text")
		}
		return kindODT, nil
	case docx:
		return kindDOCX, nil
	}
	return Kind{}, fileTypeErr("zip that is not a document")
}

// detectText accepts UTF-8 plain text that is not markup.
func detectText(data []byte) (Kind, error) {
	if !utf8.Valid(data) {
		return Kind{}, fileTypeErr("binary or non-UTF-8 content")
	}
	for _, c := range data {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r') || c == 0x7F {
			return Kind{}, fileTypeErr("binary content")
		}
	}
	body := bytes.TrimLeftFunc(bytes.TrimPrefix(data, utf8BOM), unicode.IsSpace)
	if len(body) > 0 && body[0] == '<' {
		return Kind{}, fileTypeErr("markup")
	}
	if ct := http.DetectContentType(data); !strings.HasPrefix(ct, "text/plain") {
		return Kind{}, fileTypeErr("content sniffed as %s", ct)
	}
	return kindText, nil
}

// baseName strips everything up to the last slash or backslash.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}

// extOf returns the extension of name from its last dot ("" when none).
func extOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

// Limits of SafeName.
const (
	maxNameRunes = 120
	maxExtRunes  = 16
	defaultName  = "tep" // "tệp" (file) without diacritics
)

// windowsReserved are device names Windows will not use as file names,
// whatever the extension.
var windowsReserved = map[string]bool{
	"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true,
}

// SafeName returns name cleaned for storage and for a download's file
// name: the part after the last slash or backslash; without invalid UTF-8,
// control and format characters (including the bidirectional overrides
// that disguise "fdp.exe" as "exe.pdf") and private-use characters; with
// runs of white space made one space, the characters Windows forbids
// (< > : " | ? *) made "_", leading and trailing dots and spaces removed
// (an extension-only name such as ".pdf" becomes "tep.pdf"), a Windows
// device name (CON, NUL, COM1…) prefixed with "_", and at most 120 runes,
// shortened before the extension. Letters of every script, Vietnamese
// included, are kept as they are. It never returns "": a name with nothing
// left becomes "tep".
func SafeName(name string) string {
	name = baseName(strings.ToValidUTF8(name, ""))
	var b strings.Builder
	space := false
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case !unicode.IsGraphic(r) || r == utf8.RuneError:
			continue
		case strings.ContainsRune(`<>:"|?*`, r):
			r = '_'
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	s := strings.TrimRight(b.String(), ". ")
	if t := strings.TrimLeft(s, ". "); t != s {
		s = t
		if s != "" && !strings.Contains(s, ".") {
			s = defaultName + "." + s
		}
	}
	if s == "" {
		return defaultName
	}
	stem, _, _ := strings.Cut(s, ".")
	if windowsReserved[strings.ToUpper(strings.TrimSpace(stem))] {
		s = "_" + s
	}
	if utf8.RuneCountInString(s) <= maxNameRunes {
		return s
	}
	ext := extOf(s)
	n := utf8.RuneCountInString(ext)
	if n > maxExtRunes || n == utf8.RuneCountInString(s) {
		ext, n = "", 0
	}
	stem = strings.TrimRight(truncRunes(strings.TrimSuffix(s, ext), maxNameRunes-n), ". ")
	if stem == "" {
		stem = defaultName
	}
	return stem + ext
}

// truncRunes returns the first n runes of s.
func truncRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
