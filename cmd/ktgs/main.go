// Command ktgs is the KTGS server and operator tool.
//
// Run "ktgs help" for the commands. Configuration comes from flags, which
// fall back to KTGS_* environment variables; see config.go.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/i18n"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// command is one subcommand.
type command struct {
	name  string
	usage string
	help  string
	run   func(ctx context.Context, env *env, args []string) error
}

// env is what a command reads and writes; tests pass their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// ready, if set, receives the listening address once serve accepts
	// connections (used by tests that start the real server).
	ready func(addr string)
}

func commands() []command {
	return []command{
		{"serve", "serve [--addr 127.0.0.1:8080] [--data DIR] [--demo] [--production]", "run the web server and JSON API", cmdServe},
		{"migrate", "migrate [--status]", "apply database migrations (forward only) and exit", cmdMigrate},
		{"seed", "seed --scale demo|province|national [--seed N] [--province NAME]", "fill an empty database with synthetic data", cmdSeed},
		{"import", "import orgs|members FILE [--encoding NAME] [--skip-invalid] [--rejects FILE]", "import UTF-8 CSV or XLSX files", cmdImport},
		{"export", "export orgs|members FILE [--date DD/MM/YYYY] [--under CODE]", "export organisations or members to CSV or XLSX", cmdExport},
		{"rules", "rules list | lint [DIR] | explain RULE < request.json", "list, check and ask the rules (docs/RULES-API.md)", cmdRules},
		{"check", "check", "verify the integrity of the organisation and membership data", cmdCheck},
		{"audit", "audit verify | head", "check the audit trail's hash chain, or print its head to anchor it elsewhere", cmdAudit},
		{"user", "user list | setup-link USERNAME", "list accounts, or print a one-time password link (console recovery)", cmdUser},
		{"keys", "keys init | rotate [--prune] | list   [--identity-keys FILE]", "create, rotate or list the identity keys that seal letter senders", cmdKeys},
		{"stats", "stats rebuild", "rebuild the statistics facts from the records", cmdStats},
		{"bench", "bench [--url URL] [--requests N] [--concurrency C]", "measure a running server's latency and memory on sampled data", cmdBench},
		{"version", "version", "print the version", cmdVersion},
		{"help", "help [COMMAND]", "show this help", nil},
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	return runEnv(ctx, e, args)
}

func runEnv(ctx context.Context, e *env, args []string) int {
	// KTGS_CPUPROFILE=FILE profiles a command, for performance work.
	if path := e.getenv("KTGS_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			defer func() { pprof.StopCPUProfile(); f.Close() }()
		}
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		help(e.stdout, args)
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] || c.run == nil {
			continue
		}
		cctx := ctx
		if c.name != "serve" {
			// The command line acts as KTGS itself: whoever runs it holds
			// the database credentials. The server never does: its
			// requests carry the signed-in user.
			cctx = app.AsSystem(ctx)
		}
		err := c.run(cctx, e, args[1:])
		if err == nil {
			return 0
		}
		if errors.Is(err, errExit1) {
			return 1
		}
		if errors.Is(err, errUsage) {
			fmt.Fprintf(e.stderr, "usage: ktgs %s\n", c.usage)
			return 2
		}
		fmt.Fprintf(e.stderr, "ktgs %s: %s\n", c.name, describe(err, cliLang(e)))
		return exitCode(err)
	}
	fmt.Fprintf(e.stderr, "ktgs: unknown command %q; run \"ktgs help\"\n", args[0])
	return 2
}

// errUsage makes a command print its usage line.
var errUsage = errors.New("usage")

// describe renders an error for an operator in Vietnamese (or English
// with KTGS_LANG=en): the context it was wrapped in, the message, then one
// line per field error with the rule it breaks.
func describe(err error, lang string) string {
	e := ktgs.AsError(err)
	if e == nil || e.Code == ktgs.EINTERNAL {
		return err.Error()
	}
	cat := i18n.Default()
	msg := err.Error()
	prefix := ""
	if i := strings.Index(msg, e.Error()); i > 0 {
		prefix = msg[:i]
	}
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteString(cat.T(lang, e.Message, e.Args...))
	if e.Rule != "" {
		b.WriteString(" (" + e.Rule + ")")
	}
	names := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		f := e.Fields[k]
		label := k
		if cat.Has(lang, "field."+k) {
			label = cat.T(lang, "field."+k) + " (" + k + ")"
		}
		b.WriteString("\n  " + label + ": " + cat.T(lang, f.Key, f.Args...))
		if f.Rule != "" {
			b.WriteString(" [" + f.Rule + "]")
		}
	}
	return b.String()
}

// cliLang is the language of operator messages.
func cliLang(e *env) string {
	if l := e.getenv("KTGS_LANG"); i18n.Supported(l) {
		return l
	}
	return "vi"
}

// exitCode maps error codes to exit statuses: 1 for bad input or state,
// 3 when the database is unavailable, 4 for internal errors.
func exitCode(err error) int {
	switch ktgs.ErrorCode(err) {
	case ktgs.EUNAVAILABLE:
		return 3
	case ktgs.EINTERNAL:
		if errors.Is(err, context.Canceled) {
			return 130
		}
		return 1
	}
	return 1
}

func help(w io.Writer, args []string) {
	if len(args) > 1 {
		for _, c := range commands() {
			if c.name == args[1] {
				fmt.Fprintf(w, "usage: ktgs %s\n\n%s\n", c.usage, c.help)
				return
			}
		}
	}
	fmt.Fprintln(w, "KTGS — hệ thống thông tin công tác kiểm tra, giám sát và kỷ luật của Đảng")
	fmt.Fprintln(w, "\nusage: ktgs COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.help)
	}
	fmt.Fprintln(w, "\nFlags fall back to KTGS_* environment variables; run \"ktgs help COMMAND\" or \"ktgs COMMAND -h\".")
}

func cmdVersion(ctx context.Context, e *env, args []string) error {
	fmt.Fprintln(e.stdout, "ktgs", version)
	return nil
}
