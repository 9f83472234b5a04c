package main

import (
	"context"
	"fmt"
	"time"
)

// cmdStats runs the statistics maintenance commands: "rebuild" rewrites
// the statistics facts (store.RebuildStatFacts) from the records, after
// records were changed outside KTGS (a restore, a manual fix in SQL).
// Migrations and bulk loads rebuild them by themselves.
func cmdStats(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "rebuild" {
		return fmt.Errorf("usage: ktgs stats rebuild")
	}
	var c Config
	fs := newFlags(e, "stats")
	bindDB(e, fs, &c)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	db, err := openDB(ctx, e, &c)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	n, err := db.RebuildStatFacts(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "statistics facts rebuilt: %d in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
