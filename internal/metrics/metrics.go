// Package metrics exposes counters, gauges and histograms in the Prometheus
// text format.
//
// It is a deliberately small alternative to prometheus/client_golang: KTGS
// needs request counters and latency histograms labelled by route pattern,
// a few runtime gauges and database pool gauges. That is about 200 lines
// here against a dependency tree of 15 modules (protobuf among them), and
// the exposition format (text 0.0.4) is stable.
package metrics

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Registry holds metrics and writes them.
type Registry struct {
	mu      sync.Mutex
	metrics []metric
	gauges  []gaugeFunc
}

type metric interface {
	write(w io.Writer)
}

type gaugeFunc struct {
	name, help string
	fn         func() float64
}

// NewRegistry returns a registry with Go runtime gauges.
func NewRegistry() *Registry {
	r := &Registry{}
	r.GaugeFunc("go_goroutines", "Number of goroutines.", func() float64 { return float64(runtime.NumGoroutine()) })
	r.GaugeFunc("go_memstats_heap_inuse_bytes", "Heap bytes in use.", func() float64 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return float64(m.HeapInuse)
	})
	r.GaugeFunc("process_resident_memory_bytes", "Resident memory size in bytes.", residentBytes)
	return r
}

// GaugeFunc registers a gauge whose value fn reads at scrape time.
func (r *Registry) GaugeFunc(name, help string, fn func() float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gauges = append(r.gauges, gaugeFunc{name, help, fn})
}

// CounterVec is a counter with labels.
type CounterVec struct {
	name, help string
	labels     []string
	mu         sync.Mutex
	values     map[string]*atomic.Uint64
}

// NewCounterVec registers a counter with the given label names.
func (r *Registry) NewCounterVec(name, help string, labels ...string) *CounterVec {
	c := &CounterVec{name: name, help: help, labels: labels, values: map[string]*atomic.Uint64{}}
	r.mu.Lock()
	r.metrics = append(r.metrics, c)
	r.mu.Unlock()
	return c
}

// Inc adds one to the counter with these label values.
func (c *CounterVec) Inc(values ...string) {
	key := labelKey(c.labels, values)
	c.mu.Lock()
	v, ok := c.values[key]
	if !ok {
		v = new(atomic.Uint64)
		c.values[key] = v
	}
	c.mu.Unlock()
	v.Add(1)
}

func (c *CounterVec) write(w io.Writer) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", c.name, c.help, c.name)
	c.mu.Lock()
	keys := sortedKeys(c.values)
	for _, k := range keys {
		fmt.Fprintf(w, "%s%s %d\n", c.name, k, c.values[k].Load())
	}
	c.mu.Unlock()
}

// HistogramVec is a histogram with labels.
type HistogramVec struct {
	name, help string
	labels     []string
	buckets    []float64
	mu         sync.Mutex
	values     map[string]*hist
}

type hist struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	count  uint64
}

// DefaultBuckets suit HTTP latencies in seconds.
var DefaultBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// NewHistogramVec registers a histogram with the given buckets and labels.
func (r *Registry) NewHistogramVec(name, help string, buckets []float64, labels ...string) *HistogramVec {
	h := &HistogramVec{name: name, help: help, labels: labels, buckets: buckets, values: map[string]*hist{}}
	r.mu.Lock()
	r.metrics = append(r.metrics, h)
	r.mu.Unlock()
	return h
}

// Observe records v for these label values.
func (h *HistogramVec) Observe(v float64, values ...string) {
	key := labelKey(h.labels, values)
	h.mu.Lock()
	defer h.mu.Unlock()
	x, ok := h.values[key]
	if !ok {
		x = &hist{counts: make([]uint64, len(h.buckets)+1)}
		h.values[key] = x
	}
	i := sort.SearchFloat64s(h.buckets, v)
	x.counts[i]++
	x.sum += v
	x.count++
}

func (h *HistogramVec) write(w io.Writer) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s histogram\n", h.name, h.help, h.name)
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, k := range sortedKeys(h.values) {
		x := h.values[k]
		inner := strings.TrimSuffix(strings.TrimPrefix(k, "{"), "}")
		sep := ""
		if inner != "" {
			sep = ","
		}
		var cum uint64
		for i, b := range h.buckets {
			cum += x.counts[i]
			fmt.Fprintf(w, "%s_bucket{%s%sle=%q} %d\n", h.name, inner, sep, formatFloat(b), cum)
		}
		cum += x.counts[len(h.buckets)]
		fmt.Fprintf(w, "%s_bucket{%s%sle=\"+Inf\"} %d\n", h.name, inner, sep, cum)
		fmt.Fprintf(w, "%s_sum%s %s\n%s_count%s %d\n", h.name, k, formatFloat(x.sum), h.name, k, x.count)
	}
}

// Write writes every metric in the Prometheus text format.
func (r *Registry) Write(w io.Writer) {
	r.mu.Lock()
	metrics := append([]metric(nil), r.metrics...)
	gauges := append([]gaugeFunc(nil), r.gauges...)
	r.mu.Unlock()
	for _, m := range metrics {
		m.write(w)
	}
	for _, g := range gauges {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %s\n", g.name, g.help, g.name, g.name, formatFloat(g.fn()))
	}
}

// ContentType is the exposition format's media type.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

func labelKey(names, values []string) string {
	if len(names) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		v := ""
		if i < len(values) {
			v = values[i]
		}
		b.WriteString(n)
		b.WriteString(`="`)
		b.WriteString(escape(v))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsNaN(f):
		return "NaN"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
