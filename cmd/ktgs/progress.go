package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"ktgs/internal/vn"
)

// progress draws a one-line progress bar on a terminal and nothing
// otherwise (logs and CI output stay clean).
type progress struct {
	w     io.Writer
	label string
	tty   bool
	start time.Time
	mu    sync.Mutex
	last  time.Time
	drawn bool
}

func newProgress(w io.Writer, label string) *progress {
	return &progress{w: w, label: label, tty: isTerminal(w), start: time.Now()}
}

// update redraws the bar at most ten times a second.
func (p *progress) update(done, total int64) {
	if !p.tty {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	frac := 0.0
	if total > 0 {
		frac = float64(done) / float64(total)
	}
	if frac > 1 {
		frac = 1
	}
	const width = 30
	n := int(frac * width)
	fmt.Fprintf(p.w, "\r%s [%s%s] %3.0f%% %s  %s", p.label, strings.Repeat("█", n), strings.Repeat("·", width-n), frac*100,
		vn.Int(done, "vi"), time.Since(p.start).Round(time.Second))
	p.drawn = true
}

// done ends the bar's line.
func (p *progress) done() {
	if p.tty && p.drawn {
		fmt.Fprintln(p.w)
	}
}
