package metrics

import (
	"strings"
	"testing"
)

func TestExposition(t *testing.T) {
	r := NewRegistry()
	c := r.NewCounterVec("http_requests_total", "Requests.", "route", "code")
	h := r.NewHistogramVec("http_request_duration_seconds", "Latency.", []float64{0.01, 0.1}, "route")
	c.Inc("GET /orgs/{id}", "200")
	c.Inc("GET /orgs/{id}", "200")
	c.Inc(`GET /x"y`, "404")
	h.Observe(0.005, "GET /orgs/{id}")
	h.Observe(0.05, "GET /orgs/{id}")
	h.Observe(5, "GET /orgs/{id}")
	var b strings.Builder
	r.Write(&b)
	out := b.String()
	for _, want := range []string{
		`http_requests_total{route="GET /orgs/{id}",code="200"} 2`,
		`http_requests_total{route="GET /x\"y",code="404"} 1`,
		`http_request_duration_seconds_bucket{route="GET /orgs/{id}",le="0.01"} 1`,
		`http_request_duration_seconds_bucket{route="GET /orgs/{id}",le="0.1"} 2`,
		`http_request_duration_seconds_bucket{route="GET /orgs/{id}",le="+Inf"} 3`,
		`http_request_duration_seconds_count{route="GET /orgs/{id}"} 3`,
		"# TYPE go_goroutines gauge",
		"process_resident_memory_bytes ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}
