// Package browsertest runs end-to-end tests in headless Chromium through
// chromedp.
//
// Chromium is found through KTGS_CHROMIUM or on PATH (chromium,
// chromium-browser, google-chrome). Without it the test is skipped with a
// message saying how to install it, unless KTGS_REQUIRE_BROWSER=1 (set by
// .ci/run), which makes the skip a failure. A failing test saves a
// screenshot into KTGS_ARTIFACTS (default: a temporary directory) and logs
// its path.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// EnvChromium names the Chromium binary.
const EnvChromium = "KTGS_CHROMIUM"

// EnvRequire makes a missing Chromium a test failure.
const EnvRequire = "KTGS_REQUIRE_BROWSER"

// Path returns the Chromium binary, or "" after skipping (or failing) t.
func Path(t testing.TB) string {
	if p := os.Getenv(EnvChromium); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv(EnvRequire) == "1" {
		t.Fatalf("%s=1 but no Chromium was found: install it (apt-get install -y chromium) or set %s", EnvRequire, EnvChromium)
	}
	t.Skipf("browser test skipped: no Chromium found; install it (apt-get install -y chromium) or set %s=/path/to/chromium", EnvChromium)
	return ""
}

// Browser is a headless Chromium tab for one test.
type Browser struct {
	Ctx context.Context
	t   testing.TB
}

// New starts headless Chromium with the flags a closed network needs and
// returns a tab whose context ends at cleanup (or after timeout).
func New(t testing.TB, timeout time.Duration) *Browser {
	t.Helper()
	path := Path(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("lang", "vi-VN"),
		chromedp.WindowSize(1280, 1000),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, timeout)
	b := &Browser{Ctx: ctx, t: t}
	t.Cleanup(func() {
		if t.Failed() {
			b.Screenshot("failure")
		}
		cancelT()
		cancelC()
		cancelA()
	})
	return b
}

// Screenshot saves a full-page PNG into the artifacts directory and logs
// its path.
func (b *Browser) Screenshot(label string) string {
	dir := os.Getenv("KTGS_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "ktgs-artifacts")
	}
	os.MkdirAll(dir, 0o755)
	name := strings.NewReplacer("/", "_", " ", "_").Replace(b.t.Name()) + "-" + label + ".png"
	// Cleanup runs before the tab's context is cancelled, so the tab is
	// still there unless the test ran out of time.
	shotCtx := b.Ctx
	png, err := chromedp.Run(shotCtx, chromedp.FullScreenshot(80))
	if err != nil {
		b.t.Logf("screenshot failed: %v", err)
		return ""
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Logf("screenshot not saved: %v", err)
		return ""
	}
	b.t.Logf("screenshot: %s", p)
	return p
}

// Do runs steps and fails the test on error, naming the step.
func (b *Browser) Do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.Ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
}

// Eval evaluates a JavaScript expression returning T.
func Eval[T any](b *Browser, step, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
	return v
}

// Until polls a JavaScript condition until it is true or the timeout ends.
func (b *Browser) Until(step, js string, timeout time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: condition %q not met after %v (last error %v)", step, js, timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// JSString quotes s for embedding in JavaScript.
func JSString(s string) string { return fmt.Sprintf("%q", s) }
