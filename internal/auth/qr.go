package auth

import (
	"fmt"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// qrQuietZone is the light border around a QR symbol, in modules (ISO/IEC
// 18004 requires 4).
const qrQuietZone = 4

// QRCodeSVG returns text as a QR code (error correction level M) in SVG:
// a viewBox of one unit per module including a 4-module quiet zone, a white
// background rectangle and one black <path> made of unit squares (each
// horizontal run of dark modules drawn as one rectangle), with
// shape-rendering="crispEdges". It uses presentation attributes only, no
// style attribute, so it passes a Content-Security-Policy that forbids
// inline styles. The SVG has no width or height: size it with CSS.
func QRCodeSVG(text string) (string, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("auth: encoding QR code: %w", err)
	}
	q.DisableBorder = true
	bm := q.Bitmap()
	n := len(bm) + 2*qrQuietZone
	size := strconv.Itoa(n)
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + size + " " + size +
		`" shape-rendering="crispEdges"><rect width="` + size + `" height="` + size +
		`" fill="#ffffff"/><path fill="#000000" d="`)
	for y, row := range bm {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			w := 1
			for x+w < len(row) && row[x+w] {
				w++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+qrQuietZone, y+qrQuietZone, w, w)
			x += w
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}
