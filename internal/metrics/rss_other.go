//go:build !linux

package metrics

import "runtime"

// residentBytes approximates the resident size by the memory obtained from
// the OS where /proc is not available.
func residentBytes() float64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.Sys)
}
