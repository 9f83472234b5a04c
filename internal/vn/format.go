package vn

import (
	"strconv"
	"strings"

	"ktgs/internal/civil"
)

// Int formats n with the separator of lang: 1.234.567 in Vietnamese,
// 1,234,567 in English.
func Int(n int64, lang string) string {
	sep := "."
	if lang == "en" {
		sep = ","
	}
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 && !(neg && b.Len() == 1) {
			b.WriteString(sep)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// Date formats d as dd/mm/yyyy, the form used in both languages of the UI.
func Date(d civil.Date) string {
	if d.IsForever() {
		return ""
	}
	return d.VN()
}

// LongDate formats d as on a party document: "ngày 01 tháng 7 năm 2025".
func LongDate(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	y, m, dd := d.YMD()
	// Hướng dẫn 36-HD/VPTW pads day and month below 10 except months
	// above 2 ("tháng 02" but "tháng 7" is also common); KTGS pads day
	// always and month for January and February only, as the guidance's
	// examples do, so that the numbers cannot be altered by hand.
	ms := strconv.Itoa(int(m))
	if m <= 2 {
		ms = "0" + ms
	}
	return "ngày " + pad2(dd) + " tháng " + ms + " năm " + strconv.Itoa(y)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
