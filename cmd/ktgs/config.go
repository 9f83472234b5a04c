package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"ktgs/internal/mail"
)

// Config is the server and tool configuration. Every field has a flag and
// a KTGS_* environment variable; the flag wins.
type Config struct {
	Addr         string        // --addr, KTGS_ADDR (default 127.0.0.1:8080)
	DataDir      string        // --data, KTGS_DATA_DIR (default ./data)
	DatabaseURL  string        // --database-url, KTGS_DATABASE_URL: postgres://… selects PostgreSQL; empty means SQLite in DataDir
	Demo         bool          // --demo, KTGS_DEMO: seed demo data into an empty database
	Production   bool          // --production, KTGS_PRODUCTION
	LogFormat    string        // --log-format, KTGS_LOG_FORMAT: text|json
	LogLevel     string        // --log-level, KTGS_LOG_LEVEL: debug|info|warn|error
	Readers      int           // --db-readers, KTGS_DB_READERS
	ShutdownWait time.Duration // --shutdown-wait, KTGS_SHUTDOWN_WAIT (default 20s)
	RulesDir     string        // --rules-dir, KTGS_RULES_DIR: extra or corrected rule sets
	TLSCert      string        // --tls-cert, KTGS_TLS_CERT: serve HTTPS with this certificate (PEM)
	TLSKey       string        // --tls-key, KTGS_TLS_KEY: and this key
	Proxies      string        // --trusted-proxies, KTGS_TRUSTED_PROXIES: addresses/CIDRs of reverse proxies
	BaseURL      string        // --base-url, KTGS_BASE_URL: the public URL, for the setup link printed on first start and links in e-mails
	SMTP         mail.Config   // --smtp-addr, --smtp-from, --smtp-tls, KTGS_SMTP_USERNAME, KTGS_SMTP_PASSWORD: e-mail reminders
	MaxFileMB    int           // --max-file-mb, KTGS_MAX_FILE_MB: the largest evidence file (default 20)
	RemindEvery  time.Duration // --remind-every, KTGS_REMIND_EVERY: how often reminders are looked for (default 1h; 0 disables)
	IdentityKeys string        // --identity-keys, KTGS_IDENTITY_KEYS_FILE: the identity key ring file (default <data dir>/identity.key); KTGS_IDENTITY_KEYS holds the ring itself
	PublicBody   string        // --public-body, KTGS_PUBLIC_BODY: the organisation whose UBKT receives the public form's letters
}

// envDefault returns the environment value of key or def.
func envDefault(e *env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

func envBool(e *env, key string) bool {
	b, _ := strconv.ParseBool(e.getenv(key))
	return b
}

// newFlags returns a flag set that prints to e.stderr.
func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("ktgs "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// bindDB adds the flags every database command takes.
func bindDB(e *env, fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.DataDir, "data", envDefault(e, "KTGS_DATA_DIR", "data"), "data directory (SQLite database, keys) [KTGS_DATA_DIR]")
	fs.StringVar(&c.DatabaseURL, "database-url", e.getenv("KTGS_DATABASE_URL"), "postgres://… URL; empty means SQLite in the data directory [KTGS_DATABASE_URL]")
	readers, _ := strconv.Atoi(e.getenv("KTGS_DB_READERS"))
	fs.IntVar(&c.Readers, "db-readers", readers, "database read connections (0: engine default) [KTGS_DB_READERS]")
	fs.StringVar(&c.LogFormat, "log-format", envDefault(e, "KTGS_LOG_FORMAT", "text"), "log format: text or json [KTGS_LOG_FORMAT]")
	fs.StringVar(&c.LogLevel, "log-level", envDefault(e, "KTGS_LOG_LEVEL", "info"), "log level: debug, info, warn, error [KTGS_LOG_LEVEL]")
}

// parse parses args, mapping -h to a clean exit.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return errUsage
		}
		return errUsage
	}
	return nil
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return fmt.Errorf("KTGS_DATABASE_URL must be a postgres:// URL (SQLite needs no URL: it lives in the data directory)")
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		return err
	}
	return nil
}

// bindKeys adds the identity key flag (after bindDB: its default is in
// the data directory).
func bindKeys(e *env, fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.IdentityKeys, "identity-keys", e.getenv("KTGS_IDENTITY_KEYS_FILE"),
		"identity key ring file that seals letter senders' identities (default <data dir>/identity.key); KTGS_IDENTITY_KEYS, if set, holds the ring itself and wins [KTGS_IDENTITY_KEYS_FILE]")
}

// keyPath returns the identity key ring file.
func (c *Config) keyPath() string {
	if c.IdentityKeys != "" {
		return c.IdentityKeys
	}
	return filepath.Join(c.DataDir, "identity.key")
}

// dbURL returns the database URL: the PostgreSQL URL, or the SQLite file.
func (c *Config) dbURL() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return filepath.Join(c.DataDir, "ktgs.db")
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("--log-level must be debug, info, warn or error, not %q", s)
	}
	return l, nil
}

// logger builds the process logger.
func (c *Config) logger(w io.Writer) *slog.Logger {
	lvl, _ := parseLevel(c.LogLevel)
	opts := &slog.HandlerOptions{Level: lvl}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// isTerminal reports whether w is an interactive terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
