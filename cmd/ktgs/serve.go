package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ktgs/internal/app"
	"ktgs/internal/mail"
	"ktgs/internal/metrics"
	"ktgs/internal/seed"
	"ktgs/internal/store"
	"ktgs/internal/web"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	var c Config
	fs := newFlags(e, "serve")
	bindDB(e, fs, &c)
	fs.StringVar(&c.Addr, "addr", envDefault(e, "KTGS_ADDR", "127.0.0.1:8080"), "listen address [KTGS_ADDR]")
	fs.BoolVar(&c.Demo, "demo", envBool(e, "KTGS_DEMO"), "seed demonstration data into an empty database [KTGS_DEMO]")
	fs.BoolVar(&c.Production, "production", envBool(e, "KTGS_PRODUCTION"), "production mode [KTGS_PRODUCTION]")
	fs.StringVar(&c.RulesDir, "rules-dir", e.getenv("KTGS_RULES_DIR"), "directory of extra or corrected rule sets (*.json) [KTGS_RULES_DIR]")
	fs.StringVar(&c.TLSCert, "tls-cert", e.getenv("KTGS_TLS_CERT"), "serve HTTPS with this certificate file (PEM) [KTGS_TLS_CERT]")
	fs.StringVar(&c.TLSKey, "tls-key", e.getenv("KTGS_TLS_KEY"), "the certificate's private key file (PEM) [KTGS_TLS_KEY]")
	fs.StringVar(&c.Proxies, "trusted-proxies", e.getenv("KTGS_TRUSTED_PROXIES"), "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For/-Proto are believed [KTGS_TRUSTED_PROXIES]")
	fs.StringVar(&c.BaseURL, "base-url", e.getenv("KTGS_BASE_URL"), "public URL of the server, e.g. https://ktgs.example.vn, for the first-start setup link [KTGS_BASE_URL]")
	fs.StringVar(&c.SMTP.Addr, "smtp-addr", e.getenv("KTGS_SMTP_ADDR"), "SMTP server host:port for e-mail reminders; empty: reminders in the app only [KTGS_SMTP_ADDR]")
	fs.StringVar(&c.SMTP.From, "smtp-from", envDefault(e, "KTGS_SMTP_FROM", "KTGS <ktgs@localhost>"), "sender of reminder e-mails [KTGS_SMTP_FROM]")
	fs.StringVar(&c.SMTP.TLS, "smtp-tls", envDefault(e, "KTGS_SMTP_TLS", "starttls"), "starttls, tls (port 465) or none (loopback only) [KTGS_SMTP_TLS]")
	c.SMTP.Username, c.SMTP.Password = e.getenv("KTGS_SMTP_USERNAME"), e.getenv("KTGS_SMTP_PASSWORD")
	maxMB := envDefault(e, "KTGS_MAX_FILE_MB", "20")
	fs.Func("max-file-mb", "largest evidence file accepted, in MiB (default 20) [KTGS_MAX_FILE_MB]", func(s string) error { maxMB = s; return nil })
	every := envDefault(e, "KTGS_REMIND_EVERY", "1h")
	fs.Func("remind-every", "how often due and overdue work is looked for and reminded (default 1h; 0 disables) [KTGS_REMIND_EVERY]", func(s string) error { every = s; return nil })
	bindKeys(e, fs, &c)
	fs.StringVar(&c.PublicBody, "public-body", e.getenv("KTGS_PUBLIC_BODY"),
		"code of the organisation whose inspection commission receives the public form's letters (default: P19-O1-D01-C01 with --demo, else the root organisation) [KTGS_PUBLIC_BODY]")
	wait := envDefault(e, "KTGS_SHUTDOWN_WAIT", "20s")
	fs.Func("shutdown-wait", "how long to let requests finish on SIGTERM (default 20s) [KTGS_SHUTDOWN_WAIT]", func(s string) error { wait = s; return nil })
	if err := parse(fs, args); err != nil {
		return err
	}
	d, err := time.ParseDuration(wait)
	if err != nil || d < 0 {
		return fmt.Errorf("--shutdown-wait must be a duration such as 20s, not %q", wait)
	}
	c.ShutdownWait = d
	if c.MaxFileMB, err = strconv.Atoi(maxMB); err != nil || c.MaxFileMB < 1 || c.MaxFileMB > 1024 {
		return fmt.Errorf("--max-file-mb must be a whole number of MiB from 1 to 1024, not %q", maxMB)
	}
	if c.RemindEvery, err = time.ParseDuration(every); err != nil || c.RemindEvery < 0 || (c.RemindEvery > 0 && c.RemindEvery < time.Minute) {
		return fmt.Errorf("--remind-every must be a duration of at least 1m such as 1h, or 0 to disable, not %q", every)
	}
	mailer, err := mail.New(c.SMTP)
	if err != nil {
		return err
	}
	if c.Demo && c.Production {
		return errors.New("--demo and --production exclude each other: demo data must never reach a production database")
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	proxies, err := web.ParseProxies(c.Proxies)
	if err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	log := c.logger(e.stderr)
	reg, err := app.LoadRules(c.RulesDir)
	if err != nil {
		return fmt.Errorf("rule sets: %w", err)
	}
	if err := c.Validate(); err != nil {
		return err
	}
	keys, err := serveKeys(e, &c, log)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, e, &c)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := app.New(db, log)
	svc.Rules = reg
	svc.Keys = keys
	svc.MaxFileSize = int64(c.MaxFileMB) << 20
	svc.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	if mailer.Enabled() {
		svc.Mailer = mailer
	}
	if c.Demo {
		if err := seedDemo(ctx, db, svc); err != nil {
			return err
		}
		if err := svc.CreateDemoAccounts(ctx); err != nil {
			return fmt.Errorf("demo accounts: %w", err)
		}
	}
	if c.Production {
		if err := svc.CheckProduction(ctx); err != nil {
			return errors.New(describe(err, cliLang(e)))
		}
	}
	if err := setPublicBody(ctx, svc, &c); err != nil {
		return err
	}
	link, err := svc.FirstStart(ctx)
	if err != nil {
		return fmt.Errorf("first start: %w", err)
	}
	mreg := metrics.NewRegistry()
	mreg.GaugeFunc("ktgs_db_open_connections", "Open database connections.", func() float64 { return float64(db.Stats().OpenConnections) })
	srv, err := web.New(svc, log, mreg, c.Demo)
	if err != nil {
		return err
	}
	srv.Production, srv.TrustedProxies = c.Production, proxies
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second}
	scheme := "http"
	if c.TLSCert != "" {
		scheme = "https"
	}
	log.Info("KTGS listening", "url", scheme+"://"+ln.Addr().String(), "engine", db.Engine(), "demo", c.Demo, "production", c.Production)
	if link != "" {
		base := strings.TrimSuffix(c.BaseURL, "/")
		if base == "" {
			base = scheme + "://" + ln.Addr().String()
		}
		// The one-time link goes to the operator's terminal, not the log
		// file: it is a credential.
		fmt.Fprintf(e.stderr, "\nKTGS has no administrator yet. Open this one-time link within %s to set the password of %q:\n\n    %s/setup/%s\n\n",
			svc.Auth.SetupLinkAge, app.FirstAdmin, base, link)
		log.Warn("first start: a one-time setup link for the administrator was printed on the terminal")
	}
	if e.ready != nil {
		e.ready(ln.Addr().String())
	}
	go expireSessions(ctx, svc)
	if c.RemindEvery > 0 {
		go remindLoop(ctx, svc, c.RemindEvery)
	}
	errc := make(chan error, 1)
	go func() {
		if c.TLSCert != "" {
			errc <- hs.ServeTLS(ln, c.TLSCert, c.TLSKey)
			return
		}
		errc <- hs.Serve(ln)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "wait", c.ShutdownWait)
	sctx, cancel := context.WithTimeout(context.Background(), c.ShutdownWait)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// expireSessions deletes ended sessions every ten minutes (any server may
// do it; the delete is idempotent).
func expireSessions(ctx context.Context, svc *app.Service) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := svc.ExpireSessions(ctx); err != nil {
				svc.Log.Warn("expire sessions", "error", err)
			} else if n > 0 {
				svc.Log.Info("sessions expired", "count", n)
			}
		}
	}
}

// remindLoop sends the reminders that are due, a minute after start and
// then every interval. Every server may run it: each reminder is claimed
// in the database before it is sent, so it goes out once.
func remindLoop(ctx context.Context, svc *app.Service, every time.Duration) {
	t := time.NewTimer(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := svc.RunReminders(ctx, svc.Today()); err != nil {
				svc.Log.Warn("reminders", "error", err)
			} else if n > 0 {
				svc.Log.Info("reminders sent", "notifications", n, "email", svc.Mailer != nil)
			}
			t.Reset(every)
		}
	}
}

// seedDemo fills an empty database with the demonstration dataset and its
// stories (transfers, a merger of two chi bộ, a death …); it leaves a
// database that already has data alone.
func seedDemo(ctx context.Context, db *store.DB, svc *app.Service) error {
	st, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1})
	if errors.Is(err, seed.ErrNotEmpty) {
		return nil
	}
	if err != nil {
		return err
	}
	// The letters are sealed with the server's identity keys and clocked
	// by its rule sets.
	if _, err := seed.GenerateActivity(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1, Keys: svc.Keys, Rules: svc.Rules}); err != nil {
		return fmt.Errorf("demo activity: %w", err)
	}
	if err := seed.DemoStories(ctx, svc); err != nil {
		return fmt.Errorf("demo stories: %w", err)
	}
	svc.Log.Info("demo data seeded", "organisations", st.Orgs, "members", st.Members)
	return nil
}
