// Package textenc detects and converts the text encodings of the CSV files
// that Vietnamese offices hand to `ktgs import`. KTGS stores only UTF-8 in
// Unicode normalisation form NFC; many offices still produce files from old
// Excel and FoxPro tools in legacy Vietnamese encodings.
//
// Detect names the encoding a sample most likely is in, NewReader decodes a
// stream to UTF-8 NFC (validating when the input should already be UTF-8)
// and Encode writes text in an encoding, for tests and exports. Everything
// streams: decoders are golang.org/x/text/transform Transformers chained
// with norm.NFC, so a file of any size is read a few kilobytes at a time.
//
// # Encodings
//
// UTF-8 (UTF8, UTF8BOM) is the target. A leading byte order mark is
// stripped. Decomposed UTF-8 ("Unicode tổ hợp", as macOS and some
// Vietnamese keyboards write it) is composed to NFC.
//
// UTF-16 (UTF16LE, UTF16BE) is what Excel saves as "Unicode Text". A byte
// order mark, if present, decides the byte order.
//
// Windows-1258 (Windows1258) is Microsoft's Vietnamese code page. It has
// the letters ă â ê ô ơ ư đ and a few precomposed toned vowels; the other
// tones are combining marks after the letter (0xCC grave, 0xEC acute, 0xD2
// hook above, 0xDE tilde, 0xF2 dot below), so "Nguyễn" is "Nguy" 0xEA 0xDE
// "n". The byte table is golang.org/x/text/encoding/charmap.Windows1258;
// decoded text is normalised to NFC.
//
// TCVN3 (TCVN3), also called ABC or VN3, is the third form of the national
// standard TCVN 5712:1993 and the encoding of the .VnTime fonts. It is
// ASCII plus 75 characters in 0xA0-0xFF: the 67 lowercase Vietnamese
// letters outside ASCII (for example 0xB8 á, 0xD5 ế, 0xAE đ), the
// uppercase Ă Â Ê Ô Ơ Ư Đ (0xA1-0xA7) and the no-break space. It has no
// uppercase vowels with tone marks: documents get them by switching to the
// all-capitals .VnTimeH font, which draws the lowercase codes as capitals.
// Such text therefore decodes to lowercase, and Encode refuses "Ả". The 16
// uppercase toned vowels that VN2, the standard's superset of VN3, adds in
// 0xA0-0xFF (0xC4 Ấ, 0xDA Ế, 0xFF Ố, ...) are decoded, since TCVN3 uses
// those bytes for nothing else, but never written. All other bytes that
// TCVN3 leaves free decode as in Windows-1252, the code page the .VnTime
// fonts were used under (Unikey's converter does the same): 0x80-0x9F,
// where VN1 would put more capitals, are Windows-1252 punctuation such as
// “ ” – —, and 0xB0-0xB4, VN2's combining tone marks, are ° ± ² ³ ´.
//
// VNI (VNI), VNI-Windows, is the encoding of the VNI-Times fonts. A
// Vietnamese vowel is an ASCII base letter followed by one byte in
// 0xC0-0xFF that carries its marks: 0xF9 acute, 0xF8 grave, 0xFB hook,
// 0xF5 tilde, 0xEF dot below; 0xE2 circumflex and 0xE1 0xE0 0xE5 0xE3 0xE4
// circumflex with a tone; 0xEA breve and 0xE9 0xE8 0xFA 0xFC 0xEB breve
// with a tone. Uppercase text uses the same marks 0x20 lower (0xD9, 0xC3,
// ...). Some letters are single bytes: đ 0xF1, ơ 0xF4, ư 0xF6 (which then
// take tone bytes), í 0xED, ì 0xEC, ỉ 0xE6, ĩ 0xF3, ị 0xF2, ỵ 0xEE, and
// their capitals 0x20 lower (Đ 0xD1, Ơ 0xD4, Ư 0xD6, ...). So "Nguyễn" is
// "Nguye" 0xE3 "n" and "Đảng" is 0xD1 "a" 0xFB "ng". The decoder maps each
// mark byte to combining characters and lets NFC compose them with the
// letter before, which also joins a letter and its mark that arrive in
// different reads. Free bytes decode as in Windows-1252.
//
// Windows-1252 (Windows1252) is the Western European code page. It is no
// Vietnamese encoding, but it is what Detect reports when a file is not
// UTF-8 and nothing in it reads as Vietnamese.
//
// # Sources of the tables
//
// The TCVN3 and VNI tables were built from and checked against these
// independent sources, which agree on every letter:
//
//   - glibc's charmap of TCVN 5712:1993 VN1, whose 0xA0-0xFF lowercase part
//     is VN3: https://sourceware.org/git/?p=glibc.git;a=blob;f=localedata/charmaps/TCVN5712-1
//   - Unikey's converter tables (VnConv, data.cpp, TCVN3 and VNI-WIN):
//     https://github.com/fcitx/fcitx5-unikey/blob/master/unikey/data.cpp
//   - xvnkb's tables: https://github.com/lamdao/xvnkb/blob/master/tcvn.h
//     and https://github.com/lamdao/xvnkb/blob/master/vni.h
//   - the comparison table "Unicode & Vietnamese Legacy Character
//     Encodings" (VNI, VPS, VISCII, TCVN3, VIQR), as reproduced at
//     https://dothanhlong.org/unicode-va-ma-hoa-ky-tu-cu-cua-viet-nam/
//   - the description of VSCII-3 (TCVN3) in
//     https://en.wikipedia.org/wiki/VSCII
//
// Windows-1258 and Windows-1252 come from golang.org/x/text, which follows
// https://encoding.spec.whatwg.org/index-windows-1258.txt; its tone mark
// bytes agree with Unikey's WinCP1258 table.
package textenc
