package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"ktgs"
	"ktgs/internal/civil"
	"ktgs/internal/sealed"
	"ktgs/internal/seed"
	"ktgs/internal/store"
)

// openDB opens and migrates the configured database.
func openDB(ctx context.Context, e *env, c *Config) (*store.DB, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	log := c.logger(e.stderr)
	db, err := store.Open(ctx, c.dbURL(), store.Options{Logger: log, Readers: c.Readers})
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	var c Config
	fs := newFlags(e, "migrate")
	bindDB(e, fs, &c)
	status := fs.Bool("status", false, "list pending migrations without applying them")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	db, err := store.Open(ctx, c.dbURL(), store.Options{Logger: c.logger(e.stderr)})
	if err != nil {
		return err
	}
	defer db.Close()
	if *status {
		p, err := db.Pending(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%d pending migration(s)\n", len(p))
		for _, n := range p {
			fmt.Fprintln(e.stdout, " ", n)
		}
		return nil
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d migration(s) applied\n", db.Engine(), len(applied))
	for _, n := range applied {
		fmt.Fprintln(e.stdout, " ", n)
	}
	return nil
}

func cmdSeed(ctx context.Context, e *env, args []string) error {
	var c Config
	fs := newFlags(e, "seed")
	bindDB(e, fs, &c)
	scale := fs.String("scale", "demo", "demo, province or national")
	seedN := fs.Uint64("seed", 1, "random seed: the same seed gives the same data")
	prov := fs.String("province", "", "the detailed province at --scale province (default Ninh Bình)")
	activity := fs.Bool("activity", true, "add ten years of inspection and supervision activity (and letters, with an identity key) after the registers")
	bindKeys(e, fs, &c)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := openDB(ctx, e, &c)
	if err != nil {
		return err
	}
	defer db.Close()
	// A bulk load allocates many short-lived rows; collecting less often
	// trades a few hundred MB of heap for ~10% less CPU. Only this command
	// changes it, never the server.
	debug.SetGCPercent(400)
	start := time.Now()
	bar := newProgress(e.stderr, "seed "+*scale)
	st, err := seed.Generate(ctx, db, seed.Options{Scale: *scale, Seed: *seedN, Province: *prov, Progress: bar.update})
	bar.done()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d organisations (%d versions), %d members, %d bodies, %d terms, %d seats, %d reorganisation events in %s\n",
		db.Engine(), st.Orgs, st.Versions, st.Members, st.Bodies, st.Terms, st.Seats, st.Reorgs, time.Since(start).Round(time.Millisecond))
	if !*activity {
		return nil
	}
	// Letters seal their senders with the identity key ring serve uses;
	// without one they are left out (ktgs keys init creates it).
	keys, err := sealed.Load(c.keyPath(), e.getenv(sealed.EnvVar))
	if err != nil && !errors.Is(err, sealed.ErrNoKey) {
		return fmt.Errorf("identity keys: %w", err)
	}
	start = time.Now()
	bar = newProgress(e.stderr, "activity "+*scale)
	act, err := seed.GenerateActivity(ctx, db, seed.Options{Scale: *scale, Seed: *seedN, Province: *prov, Progress: bar.update, Keys: keys})
	bar.done()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d cadres, %d programmes (%d items), %d cases (%d subjects, %d team places, %d events), %d findings, %d remediation requests (%d reports) in %s\n",
		db.Engine(), act.Users, act.Programmes, act.Items, act.Cases, act.Subjects, act.Team, act.Events, act.Findings, act.Remediations, act.Reports,
		time.Since(start).Round(time.Millisecond))
	printLetterStats(e.stdout, db.Engine(), &act.Letters, keyFlag(&c))
	printDisciplineStats(e.stdout, db.Engine(), &act.Discipline)
	return nil
}

// printDisciplineStats prints what the activity seed wrote of discipline:
// proceedings by status, form and deciding body, complaints by outcome,
// the numbers per year and the sizing assumption.
func printDisciplineStats(w io.Writer, engine string, ds *seed.DisciplineStats) {
	years := make([]string, len(ds.DecidedByYear))
	for i := range years {
		years[i] = strconv.Itoa(2016 + i)
	}
	fmt.Fprintf(w, "%s: %d discipline proceedings (%d members, %d organisations; %d from case findings, %d from letters; %d events, %d ballots; "+
		"%d expelled), %d complaints\n", engine, ds.Proceedings, ds.Members, ds.Orgs, ds.FromFindings, ds.FromLetters, ds.Events, ds.Votes,
		ds.Expelled, ds.Complaints)
	fmt.Fprintf(w, "  by status: %s\n  in force by form: %s\n  in force by deciding body: %s\n  complaints resolved: %s\n",
		countsText(names(ktgs.ProceedingStatuses), ds.ByStatus[:]), countsText(names(ktgs.DisciplineForms), ds.ByForm[:]),
		countsText(names(ktgs.StatsBodyGroups), ds.ByGroup[:]), countsText(names(ktgs.ComplaintOutcomes), ds.ByOutcome[:]))
	fmt.Fprintf(w, "  decided by year: %s\n  complaints by year: %s\n  sizing: %s\n", countsText(years, ds.DecidedByYear[:]),
		countsText(years, ds.ComplaintsByYear[:]), ds.Sizing)
}

// printLetterStats prints what the activity seed wrote of letters, by
// kind and status, with the sizing assumption; or why it wrote none.
func printLetterStats(w io.Writer, engine string, ls *seed.LetterStats, keyFlag string) {
	if ls.Skipped != "" {
		fmt.Fprintf(w, "%s: no letters: %s; create the key ring with: ktgs keys init %s\n", engine, ls.Skipped, keyFlag)
		return
	}
	fmt.Fprintf(w, "%s: %d letters (%d allegations, %d events, %d notices; %d duplicates, %d transfers, %d extended, %d overdue)\n",
		engine, ls.Letters, ls.Allegations, ls.Events, ls.Notices, ls.Duplicates, ls.Transfers, ls.Extensions, ls.Overdue)
	fmt.Fprintf(w, "  by kind: %s\n  by status: %s\n  sizing: %s\n", countsText(names(ktgs.LetterKinds), ls.ByKind[:]),
		countsText(names(ktgs.LetterStatuses), ls.ByStatus[:]), ls.Sizing)
}

// countsText writes the non-zero counts as "NAME n, NAME n".
func countsText(names []string, counts []int64) string {
	var parts []string
	for i, n := range counts {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", names[i], n))
		}
	}
	return strings.Join(parts, ", ")
}

// names lists the domain constants of a kind as text.
func names[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = string(x)
	}
	return out
}

func cmdCheck(ctx context.Context, e *env, args []string) error {
	var c Config
	fs := newFlags(e, "check")
	bindDB(e, fs, &c)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := openDB(ctx, e, &c)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(ctx, func(tx *store.Tx) error {
		problems, err := tx.Integrity(ctx)
		if err != nil {
			return err
		}
		for _, p := range problems {
			fmt.Fprintln(e.stdout, p)
		}
		if len(problems) > 0 {
			return fmt.Errorf("%d invariant(s) broken", len(problems))
		}
		counts, err := tx.CountOrgs(ctx, civil.Today(time.Local))
		if err != nil {
			return err
		}
		n, _ := tx.CountAllMembers(ctx)
		total := 0
		for _, v := range counts {
			total += v
		}
		fmt.Fprintf(e.stdout, "ok: %d organisations today, %d members\n", total, n)
		return nil
	})
}

var _ = flag.ErrHelp
