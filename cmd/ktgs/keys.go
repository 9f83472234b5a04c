package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"ktgs/internal/app"
	"ktgs/internal/sealed"
	"ktgs/internal/store"
)

// The identity key ring (internal/sealed) seals the identity of the people
// who send letters. It lives outside the database: in a 0600 file
// (--identity-keys, default <data dir>/identity.key) or, whole, in
// KTGS_IDENTITY_KEYS. Without it a letter's sender cannot be stored, so
// serve refuses to start (a demo server generates one and says where).

// demoPublicBody is the organisation whose UBKT receives the public form's
// letters in the demo: the demo commune.
const demoPublicBody = "P19-O1-D01-C01"

// serveKeys loads the identity key ring for serve. Without one a demo
// server generates it in the data directory and says so; any other server
// refuses to start rather than store identities in clear text.
func serveKeys(e *env, c *Config, log *slog.Logger) (*sealed.Keyring, error) {
	path, inEnv := c.keyPath(), e.getenv(sealed.EnvVar)
	ring, err := sealed.Load(path, inEnv)
	if err == nil {
		source := path
		if inEnv != "" {
			source = sealed.EnvVar
		}
		log.Info("identity keys loaded", "from", source, "keys", len(ring.IDs()), "current", ring.Current())
		return ring, nil
	}
	if !errors.Is(err, sealed.ErrNoKey) {
		return nil, fmt.Errorf("identity keys: %w", err)
	}
	if !c.Demo || inEnv != "" {
		return nil, fmt.Errorf("%w.\nKTGS seals the identity of people who send letters with a key kept outside the database, and will not start without it. Create the key ring with\n\n    ktgs keys init %s\n\nback the file up apart from the database (losing it makes every sealed identity unreadable), and start again. (The ring may also be given whole in %s.)",
			err, keyFlag(c), sealed.EnvVar)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("identity keys: %w", err)
	}
	if ring, err = sealed.Generate(path); err != nil {
		return nil, err
	}
	fmt.Fprintf(e.stderr, "\nKTGS demo: there was no identity key ring, so a new one was generated at\n\n    %s\n\nIt seals the identity of people who send letters. Keep it with the demo data: without it those identities cannot be read.\n\n", path)
	log.Warn("demo: generated a new identity key ring", "path", path, "key", ring.Current())
	return ring, nil
}

// keyFlag is the flag naming the key file for a command to repeat.
func keyFlag(c *Config) string {
	if c.IdentityKeys != "" {
		return "--identity-keys " + c.IdentityKeys
	}
	return "--data " + c.DataDir
}

// setPublicBody makes the UBKT of --public-body (default: the demo commune
// with --demo, else the root organisation) receive the public form's
// letters. An explicit --public-body that cannot be used stops the server;
// a default that cannot (no register imported yet) leaves the public form
// closed, with a warning.
func setPublicBody(ctx context.Context, svc *app.Service, c *Config) error {
	code, explicit := c.PublicBody, c.PublicBody != ""
	if !explicit {
		if c.Demo {
			code = demoPublicBody
		} else {
			var err error
			if code, err = rootCode(ctx, svc.DB); err != nil {
				return err
			}
		}
	}
	if code == "" {
		svc.Log.Warn("the public letter form is closed: no organisation to receive letters yet (import the register, or set --public-body, and restart)")
		return nil
	}
	if err := svc.SetPublicBody(ctx, code); err != nil {
		if explicit {
			return fmt.Errorf("--public-body: %w", err)
		}
		svc.Log.Warn("the public letter form is closed (set --public-body to an organisation with an inspection commission)", "error", err.Error())
		return nil
	}
	svc.Log.Info("public letter form", "path", "/public/letter", "organisation", code)
	return nil
}

// rootCode returns the code of the organisation at the root of the
// hierarchy, or "" when there is none or several.
func rootCode(ctx context.Context, db *store.DB) (string, error) {
	var code string
	err := db.View(ctx, func(tx *store.Tx) error {
		ids, err := tx.RootIDs(ctx)
		if err != nil || len(ids) != 1 {
			return err
		}
		o, err := tx.OrgLatest(ctx, ids[0])
		if err != nil {
			return err
		}
		code = o.Code
		return nil
	})
	return code, err
}

// cmdKeys manages the identity key ring: init creates it, rotate replaces
// the current key and re-seals every letter under the new one, list shows
// the key ids.
func cmdKeys(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "init" && args[0] != "rotate" && args[0] != "list") {
		return errUsage
	}
	sub := args[0]
	var c Config
	flags := newFlags(e, "keys "+sub)
	bindDB(e, flags, &c)
	bindKeys(e, flags, &c)
	prune := false
	if sub == "rotate" {
		flags.BoolVar(&prune, "prune", false, "after re-sealing every letter, drop the old keys from the file (stop every app server first)")
	}
	if err := parse(flags, args[1:]); err != nil {
		return err
	}
	if flags.NArg() != 0 {
		return errUsage
	}
	if err := c.Validate(); err != nil {
		return err
	}
	path, inEnv := c.keyPath(), e.getenv(sealed.EnvVar)
	switch sub {
	case "init":
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return err
		}
		ring, err := sealed.Generate(path)
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("the key file %s already exists: it may hold the only key to the sealed identities, so it is left as it is (ktgs keys rotate replaces the current key)", path)
		} else if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "identity key ring created: %s (key %s, mode 0600)\n", path, ring.Current())
		fmt.Fprintln(e.stdout, "Back it up somewhere other than the database server: if it is lost, every sealed identity becomes unreadable.")
		if inEnv != "" {
			fmt.Fprintf(e.stdout, "Note: %s is set and takes precedence over this file.\n", sealed.EnvVar)
		}
		return nil
	case "list":
		ring, err := sealed.Load(path, inEnv)
		if err != nil {
			return keysLoadErr(err, &c)
		}
		ids := ring.IDs()
		for i, id := range ids {
			if i == len(ids)-1 {
				fmt.Fprintf(e.stdout, "%s current\n", id)
			} else {
				fmt.Fprintf(e.stdout, "%s\n", id)
			}
		}
		return nil
	}
	// rotate
	if inEnv != "" {
		return fmt.Errorf("%s is set: keys rotate works on a key file. Unset it and point --identity-keys at a file holding the same ring, or rotate by hand", sealed.EnvVar)
	}
	ring, err := sealed.Load(path, "")
	if err != nil {
		return keysLoadErr(err, &c)
	}
	next, err := ring.Rotate()
	if err != nil {
		return err
	}
	db, err := openDB(ctx, e, &c)
	if err != nil {
		return err
	}
	defer db.Close()
	// The file gets the new key before anything is sealed under it, and
	// keeps the old ones: whatever happens below, every letter stays
	// readable with the file.
	if err := sealed.WriteFile(path, next); err != nil {
		return err
	}
	svc := app.New(db, c.logger(e.stderr))
	svc.Keys = ring
	n, err := svc.RotateKeys(ctx, next)
	if err != nil {
		return fmt.Errorf("re-sealing stopped after %d letter(s): %w\nThe key file %s holds the old keys and the new one %s, so every letter is still readable; run ktgs keys rotate again", n, err, path, next.Current())
	}
	final := next
	if prune {
		final = next.Pruned()
		if err := sealed.WriteFile(path, final); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "%d letter(s) re-sealed under the new key %s.\n", n, next.Current())
	fmt.Fprintf(e.stdout, "The key file %s now holds: %s.\n", path, strings.Join(final.IDs(), ", "))
	if prune {
		fmt.Fprintln(e.stdout, "The old keys were dropped. Database backups taken before this rotation still need them: keep the old key file with those backups.")
	}
	fmt.Fprintln(e.stdout, "Restart every app server so that they seal with the new key.")
	return nil
}

// keysLoadErr explains a missing key ring.
func keysLoadErr(err error, c *Config) error {
	if errors.Is(err, sealed.ErrNoKey) {
		return fmt.Errorf("%w; create it with: ktgs keys init %s", err, keyFlag(c))
	}
	return err
}
