package textenc

import (
	"fmt"
	"strings"
)

// Encoding names accepted by Lookup and NewReader and returned by Detect.
const (
	// UTF8 is UTF-8, the only encoding KTGS stores.
	UTF8 = "utf-8"
	// UTF8BOM is UTF-8 that starts with a byte order mark. Detect returns it;
	// NewReader treats it like UTF8 and strips the mark.
	UTF8BOM = "utf-8-bom"
	// UTF16LE is little-endian UTF-16, what Excel writes as "Unicode Text".
	UTF16LE = "utf-16le"
	// UTF16BE is big-endian UTF-16.
	UTF16BE = "utf-16be"
	// Windows1258 is the Microsoft Vietnamese code page, with combining tone
	// marks.
	Windows1258 = "windows-1258"
	// TCVN3 is TCVN 5712:1993 VN3, also called ABC, the encoding of the
	// .VnTime fonts.
	TCVN3 = "tcvn3"
	// VNI is VNI-Windows, the encoding of the VNI-Times fonts: a base letter
	// followed by one byte carrying its marks.
	VNI = "vni"
	// Windows1252 is the Western European code page (a superset of the
	// printable Latin-1 range). It is not Vietnamese; Detect returns it when
	// nothing in the sample looks Vietnamese.
	Windows1252 = "windows-1252"
)

// names is the order of Names, most common first.
var names = []string{UTF8, UTF16LE, UTF16BE, Windows1258, TCVN3, VNI, Windows1252}

// aliases maps a compacted name (see compactName) to its canonical name.
var aliases = map[string]string{
	"utf8":        UTF8,
	"utf8bom":     UTF8,
	"utf8sig":     UTF8,
	"utf16":       UTF16LE,
	"utf16le":     UTF16LE,
	"ucs2le":      UTF16LE,
	"utf16be":     UTF16BE,
	"ucs2be":      UTF16BE,
	"windows1258": Windows1258,
	"cp1258":      Windows1258,
	"win1258":     Windows1258,
	"1258":        Windows1258,
	"tcvn3":       TCVN3,
	"tcvn":        TCVN3,
	"abc":         TCVN3,
	"vn3":         TCVN3,
	"vscii3":      TCVN3,
	"tcvn5712":    TCVN3,
	"tcvn57123":   TCVN3,
	"vntime":      TCVN3,
	"vni":         VNI,
	"vniwindows":  VNI,
	"vniwin":      VNI,
	"vnitimes":    VNI,
	"windows1252": Windows1252,
	"cp1252":      Windows1252,
	"win1252":     Windows1252,
	"1252":        Windows1252,
	"latin1":      Windows1252,
	"iso88591":    Windows1252,
	"ansi":        Windows1252,
}

// compactName lowercases name and drops the separators people put in
// encoding names, so that "UTF_8", "utf 8" and "Utf-8" compare equal.
func compactName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		switch r {
		case '-', '_', ' ', '.', ':':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Names lists the canonical encoding names that Lookup accepts, for help
// texts. The order is stable: UTF-8 first, then the other Unicode forms,
// then the legacy Vietnamese encodings and Windows-1252.
func Names() []string {
	return append([]string(nil), names...)
}

// Lookup normalises a user-supplied encoding name and returns its canonical
// name. Matching ignores case, spaces, '-', '_' and '.', and accepts common
// aliases: "cp1258" and "win1258" for Windows-1258; "abc", "tcvn" and "vn3"
// for TCVN3; "vni-windows" for VNI; "utf8" and "utf-8-bom" for UTF-8;
// "utf-16" (with or without a byte order mark, little-endian by default) for
// UTF-16LE; "latin1" and "cp1252" for Windows-1252. An unknown name yields
// an error that lists Names.
func Lookup(name string) (string, error) {
	if enc, ok := aliases[compactName(name)]; ok {
		return enc, nil
	}
	return "", fmt.Errorf("textenc: unknown encoding %q (known: %s)", name, strings.Join(names, ", "))
}

// label is the human name of an encoding, used in reasons and errors.
func label(enc string) string {
	switch enc {
	case UTF8:
		return "UTF-8"
	case UTF8BOM:
		return "UTF-8 with BOM"
	case UTF16LE:
		return "UTF-16LE"
	case UTF16BE:
		return "UTF-16BE"
	case Windows1258:
		return "Windows-1258"
	case TCVN3:
		return "TCVN3 (ABC)"
	case VNI:
		return "VNI-Windows"
	case Windows1252:
		return "Windows-1252"
	}
	return enc
}
