package main

import (
	"context"
	"encoding/json"
	"fmt"

	"ktgs/internal/app"
)

// cmdAudit checks or shows the audit trail.
//
//	ktgs audit verify   checks every entry; exit 1 naming the first broken link
//	ktgs audit head     prints the chain head as JSON, to anchor it elsewhere
func cmdAudit(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "head") {
		return errUsage
	}
	var c Config
	fs := newFlags(e, "audit "+args[0])
	bindDB(e, fs, &c)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	db, err := openDB(ctx, e, &c)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := app.New(db, c.logger(e.stderr))
	if args[0] == "head" {
		h, err := svc.AuditHead(ctx)
		if err != nil {
			return err
		}
		b, _ := json.MarshalIndent(h, "", "  ")
		fmt.Fprintln(e.stdout, string(b))
		return nil
	}
	res, err := svc.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if res.Broken != nil {
		fmt.Fprintf(e.stdout, "audit trail BROKEN at entry %d: %s\n  %s\n  %d entries verified before it\n",
			res.Broken.Seq, res.Broken.Reason, res.Broken.Detail, res.Entries)
		return errExit1
	}
	fmt.Fprintf(e.stdout, "audit trail intact: %d entries, head %d %s\n", res.Entries, res.HeadSeq, res.HeadHash)
	return nil
}

// cmdUser manages accounts from the server's console, for when nobody can
// sign in as an administrator.
//
//	ktgs user list
//	ktgs user setup-link USERNAME   prints a new one-time password link
func cmdUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "list" && args[0] != "setup-link") {
		return errUsage
	}
	var c Config
	fs := newFlags(e, "user "+args[0])
	bindDB(e, fs, &c)
	fs.StringVar(&c.BaseURL, "base-url", envDefault(e, "KTGS_BASE_URL", "http://127.0.0.1:8080"), "public URL of the server [KTGS_BASE_URL]")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	db, err := openDB(ctx, e, &c)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := app.New(db, c.logger(e.stderr))
	users, err := svc.Users(ctx)
	if err != nil {
		return err
	}
	if args[0] == "list" {
		for _, u := range users {
			state := "active"
			switch {
			case u.DisabledAt != nil:
				state = "disabled"
			case u.PasswordHash == "":
				state = "not set up"
			}
			demo := ""
			if u.Demo {
				demo = " demo"
			}
			fmt.Fprintf(e.stdout, "%-20s %-10s %-10s 2fa=%-5v%s\n", u.Username, u.Role, state, u.TOTPEnabled, demo)
		}
		return nil
	}
	if fs.NArg() != 1 {
		return errUsage
	}
	name := app.NormaliseUsername(fs.Arg(0))
	for _, u := range users {
		if u.Username == name {
			link, err := svc.IssueSetupLink(ctx, u.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s/setup/%s\n", c.BaseURL, link)
			return nil
		}
	}
	return fmt.Errorf("no account named %q", name)
}
