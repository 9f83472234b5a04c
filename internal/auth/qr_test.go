package auth

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

// svgDoc is the part of QRCodeSVG's output that the test reads.
type svgDoc struct {
	XMLName        xml.Name   `xml:"http://www.w3.org/2000/svg svg"`
	ViewBox        string     `xml:"viewBox,attr"`
	ShapeRendering string     `xml:"shape-rendering,attr"`
	Rects          []svgShape `xml:"rect"`
	Paths          []svgShape `xml:"path"`
}

type svgShape struct {
	Fill   string `xml:"fill,attr"`
	D      string `xml:"d,attr"`
	Width  string `xml:"width,attr"`
	Height string `xml:"height,attr"`
}

// paintPath draws a path made of "Mx yhwv1h-wz" rectangles on an n×n grid.
func paintPath(t *testing.T, d string, n int) [][]bool {
	t.Helper()
	grid := make([][]bool, n)
	for i := range grid {
		grid[i] = make([]bool, n)
	}
	for _, seg := range strings.Split(strings.TrimSuffix(d, "z"), "z") {
		var x, y, w, w2 int
		if _, err := fmt.Sscanf(seg, "M%d %dh%dv1h-%d", &x, &y, &w, &w2); err != nil || w != w2 || w < 1 {
			t.Fatalf("path segment %q is not a unit-height rectangle", seg)
		}
		for i := x; i < x+w; i++ {
			if y < 0 || y >= n || i < 0 || i >= n || grid[y][i] {
				t.Fatalf("segment %q outside the grid or overlapping", seg)
			}
			grid[y][i] = true
		}
	}
	return grid
}

func TestQRCodeSVG(t *testing.T) {
	uri := TOTPURI("Ủy ban Kiểm tra KTGS", "nguyễn.văn.an@ktgs.vn", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
	tests := []struct {
		name, text string
		modules    int // symbol size without quiet zone; 0: only check consistency
	}{
		{"version 1", "KTGS", 21},
		{"version 2", "https://ktgs.vn/setup", 25},
		{"totp uri", uri, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svg, err := QRCodeSVG(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(svg, "style") {
				t.Errorf("SVG has a style attribute or element: %s", svg[:min(len(svg), 200)])
			}
			// Well-formed XML throughout.
			dec := xml.NewDecoder(strings.NewReader(svg))
			for {
				if _, err := dec.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("SVG is not well-formed XML: %v", err)
				}
			}
			var doc svgDoc
			if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
				t.Fatalf("unmarshal: %v", err)
			}
			q, _ := qrcode.New(tt.text, qrcode.Medium)
			q.DisableBorder = true
			bm := q.Bitmap()
			if tt.modules != 0 && len(bm) != tt.modules {
				t.Fatalf("test assumption: %q has %d modules, want %d", tt.text, len(bm), tt.modules)
			}
			n := len(bm) + 8
			if want := fmt.Sprintf("0 0 %d %d", n, n); doc.ViewBox != want {
				t.Errorf("viewBox = %q, want %q", doc.ViewBox, want)
			}
			if doc.ShapeRendering != "crispEdges" {
				t.Errorf("shape-rendering = %q, want crispEdges", doc.ShapeRendering)
			}
			if len(doc.Paths) != 1 {
				t.Fatalf("%d paths, want 1", len(doc.Paths))
			}
			if len(doc.Rects) != 1 || doc.Rects[0].Fill != "#ffffff" || doc.Rects[0].Width != fmt.Sprint(n) {
				t.Errorf("background rect = %+v, want one white %d×%d rect", doc.Rects, n, n)
			}
			if doc.Paths[0].Fill != "#000000" {
				t.Errorf("path fill = %q, want #000000", doc.Paths[0].Fill)
			}
			grid := paintPath(t, doc.Paths[0].D, n)
			for y := range n {
				for x := range n {
					in := x >= 4 && y >= 4 && x < n-4 && y < n-4
					want := in && bm[y-4][x-4]
					if grid[y][x] != want {
						t.Fatalf("module (%d, %d) = %v, want %v", x, y, grid[y][x], want)
					}
				}
			}
		})
	}
}

func TestQRCodeSVGTooLong(t *testing.T) {
	if _, err := QRCodeSVG(strings.Repeat("x", 5000)); err == nil {
		t.Error("QRCodeSVG of 5000 bytes: no error")
	}
}
