//go:build linux

package metrics

import (
	"os"
	"strconv"
	"strings"
)

// residentBytes reads the resident set size from /proc/self/statm.
func residentBytes() float64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseFloat(f[1], 64)
	return pages * float64(os.Getpagesize())
}
