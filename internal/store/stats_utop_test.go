package store_test

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// TestStatsUnitTopList checks the national AS_THEN list of one unit under
// the root (StatsSelect.UTop, read by the two indexes of migration 0016)
// and StatsHasMovers on facts of a chosen shape: a record stays with
// u_top before u_chg and goes to u_top2 from u_chg on (the day itself
// included); a record whose organisation changed again later (u_top2
// −1) is not listed by UTop, and makes StatsHasMovers true only when
// the filter's dimensions let it in. A province's report and list
// (StatsFilter.UTop) take that record too, for the caller to place.
func TestStatsUnitTopList(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		bc, err := store.BaseCode(ktgs.BaseCaseDecided)
		if err != nil {
			t.Fatal(err)
		}
		forever := "9999-12-31"
		facts := []struct {
			d         string
			k1        int64
			uTop      int64
			uChg      string
			uTop2     int64
			dims      int64
			wantUnder bool // under unit 10 as of 31/12/2024
		}{
			{"2024-03-01", 1, 10, forever, 10, 0, true},
			{"2024-04-01", 2, 11, "2024-06-01", 10, 0, true},   // moved into 10
			{"2024-05-01", 3, 12, "2024-12-31", 10, 0, true},   // moved in on the last day
			{"2024-05-01", 10, 10, "2024-12-31", 12, 0, false}, // moved out on the last day
			{"2024-05-02", 4, 10, "2025-01-01", 12, 0, true},   // moved out the day after
			{"2024-05-03", 5, 10, "2024-09-01", -1, 1, false},  // moved twice: record by record
			{"2023-12-31", 6, 10, forever, 10, 0, false},       // before the period
			{"2024-07-01", 7, 13, forever, 13, 0, false},       // another unit
			{"2024-08-01", 8, 10, forever, 10, 0, true},        // same day order: k1
			{"2024-08-01", 9, 10, forever, 10, 0, true},
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			for _, f := range facts {
				d := civil.MustParse(f.d)
				ym := d.Year()*12 + int(d.Month()) - 1
				if err := tx.Exec(ctx, `INSERT INTO stat_facts (base, d, k1, k2, scope_path, u_org, mark, acc_path, acc_mark, dims, ym, top, u_top, u_chg, u_top2)
					VALUES (`+bc+`, ?, ?, 1, '/1/9/', 100, 'THUONG', '/1/9/', 'THUONG', ?, ?, 9, ?, ?, ?)`,
					d, f.k1, f.dims, ym, f.uTop, civil.MustParse(f.uChg), f.uTop2); err != nil {
					return err
				}
			}
			if err := tx.Exec(ctx, `INSERT INTO stat_sums (base, ym, top, u_top, u_chg, u_top2, mark, acc_mark, dims, n)
				SELECT base, ym, top, u_top, u_chg, u_top2, mark, acc_mark, dims, COUNT(*) FROM stat_facts GROUP BY base, ym, top, u_top, u_chg, u_top2, mark, acc_mark, dims`); err != nil {
				return err
			}
			return tx.Exec(ctx, `INSERT INTO stat_sums_y (base, y, top, u_top, u_chg, u_top2, mark, acc_mark, dims, n)
				SELECT base, ym / 12, top, u_top, u_chg, u_top2, mark, acc_mark, dims, COUNT(*) FROM stat_facts GROUP BY base, ym / 12, top, u_top, u_chg, u_top2, mark, acc_mark, dims`)
		})
		if err != nil {
			t.Fatal(err)
		}
		f := store.StatsFilter{Base: ktgs.BaseCaseDecided, From: civil.New(2024, 1, 1), To: civil.New(2024, 12, 31), AsOf: civil.New(2024, 12, 31),
			Access: []store.StatsAccess{{Path: "/1/", Max: authz.TopSecret}}}
		// Newest first: by date, then by key.
		dateOf := map[int64]string{}
		for _, fc := range facts {
			dateOf[fc.k1] = fc.d
		}
		newestFirst := func(ids []int64) []int64 {
			slices.SortFunc(ids, func(a, b int64) int {
				if c := strings.Compare(dateOf[b], dateOf[a]); c != 0 {
					return c
				}
				return cmp.Compare(b, a)
			})
			return ids
		}
		var want []int64
		for _, fc := range facts {
			if fc.wantUnder {
				want = append(want, fc.k1)
			}
		}
		newestFirst(want)
		err = db.View(ctx, func(tx *store.Tx) error {
			for _, limit := range []int{2, 50} {
				got, err := statsPages(tx, f, store.StatsSelect{Unit: -1, UTop: []int64{10}, Limit: limit})
				if err != nil {
					return err
				}
				if !slices.Equal(got, want) {
					t.Errorf("pages of %d: listed %v, want %v (newest first)", limit, got, want)
				}
			}
			// A province's report and list (StatsFilter.UTop) read the
			// same two ways and the organisations that moved twice,
			// which the caller places by path: record 5 as well.
			pf := f
			pf.UTop = []int64{10}
			groups, err := tx.StatsGroups(ctx, pf)
			if err != nil {
				return err
			}
			if n := len(groups); n != 2 || groups[0].OrgID != 100 || groups[1].OrgID != 100 || groups[0].N+groups[1].N != len(want)+1 {
				t.Errorf("StatsGroups by UTop: %+v, want organisation 100 with %d records in two dimension sets", groups, len(want)+1)
			}
			wantAll := newestFirst(append(slices.Clone(want), 5))
			for _, limit := range []int{2, 50} {
				got, err := statsPages(tx, pf, store.StatsSelect{Unit: -1, OrgIn: []int64{100}, Limit: limit})
				if err != nil {
					return err
				}
				if !slices.Equal(got, wantAll) {
					t.Errorf("UTop pages of %d: listed %v, want %v (newest first)", limit, got, wantAll)
				}
			}
			movers, err := tx.StatsHasMovers(ctx, f)
			if err != nil {
				return err
			}
			if !movers {
				t.Error("StatsHasMovers: false, but record 5 changed units twice")
			}
			// The mover's packed dimensions (1) are the first outcome: a
			// row of that outcome holds it, a row of another does not.
			for i, want := range []bool{true, false} {
				g := f
				g.Match = store.StatsMatch{Outcome: ktgs.ComplaintOutcomes[i]}
				if movers, err = tx.StatsHasMovers(ctx, g); err != nil {
					return err
				} else if movers != want {
					t.Errorf("StatsHasMovers for outcome %s: %v, want %v", ktgs.ComplaintOutcomes[i], movers, want)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// statsPages lists every page of f's records that sel selects and
// returns their keys in order.
func statsPages(tx *store.Tx, f store.StatsFilter, sel store.StatsSelect) ([]int64, error) {
	var got []int64
	for {
		recs, more, err := tx.StatsRecords(ctx, f, sel)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			got = append(got, r.ID)
		}
		if !more {
			return got, nil
		}
		last := recs[len(recs)-1]
		sel.After = store.StatsCursor{Date: last.Date, ID: last.ID, Seq: last.Seq}
	}
}

// TestStatsRebuildIndexes checks that a rebuild of the statistics facts
// (which drops stat_facts' secondary indexes to load faster and makes
// them again from a list kept in stats.go) leaves the indexes the
// migrations make: a list that missed a change would leave a large
// database without an index after `ktgs stats rebuild` or a seed.
func TestStatsRebuildIndexes(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		// PostgreSQL tests run each in a schema of one database, side by
		// side: pg_indexes is read in this test's schema only.
		catalogue := func(tx *store.Tx) ([]string, error) {
			query := `SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'stat_facts' AND sql IS NOT NULL`
			if tx.Engine() == store.Postgres {
				query = `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'stat_facts' AND indexname <> 'stat_facts_pkey'`
			}
			out, err := tx.Strings(ctx, query)
			for i, s := range out {
				out[i] = strings.Join(strings.Fields(s), " ")
			}
			slices.Sort(out)
			return out, err
		}
		// Migrate has already rebuilt the facts (0015): replay the
		// migrations' own index statements on stat_facts instead.
		var migrated []string
		err := db.Update(ctx, func(tx *store.Tx) error {
			names, err := store.MigrationNames(db.Engine())
			if err != nil {
				return err
			}
			var ddl []string
			for _, name := range names {
				stmts, err := store.MigrationStatements(db.Engine(), name)
				if err != nil {
					return err
				}
				for _, s := range stmts {
					f := strings.Fields(s)
					if len(f) >= 5 && f[0] == "CREATE" && f[1] == "INDEX" && f[3] == "ON" && f[4] == "stat_facts" ||
						len(f) >= 3 && f[0] == "DROP" && f[1] == "INDEX" && strings.HasPrefix(f[2], "stat_facts_") {
						ddl = append(ddl, s)
					}
				}
			}
			query := `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'stat_facts' AND sql IS NOT NULL`
			if tx.Engine() == store.Postgres {
				query = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'stat_facts' AND indexname <> 'stat_facts_pkey'`
			}
			current, err := tx.Strings(ctx, query)
			if err != nil {
				return err
			}
			for _, name := range current {
				ddl = append([]string{"DROP INDEX " + name}, ddl...)
			}
			for _, s := range ddl {
				if err := tx.Exec(ctx, s); err != nil {
					return fmt.Errorf("%s: %w", s, err)
				}
			}
			migrated, err = catalogue(tx)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(migrated) < 7 {
			t.Fatalf("the migrations make %d secondary indexes of stat_facts: %v", len(migrated), migrated)
		}
		if _, err := db.RebuildStatFacts(ctx); err != nil {
			t.Fatal(err)
		}
		var rebuilt []string
		if err := db.View(ctx, func(tx *store.Tx) error { rebuilt, err = catalogue(tx); return err }); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(migrated, rebuilt) {
			t.Errorf("indexes after a rebuild:\n%s\nas the migrations make them:\n%s", strings.Join(rebuilt, "\n"), strings.Join(migrated, "\n"))
		}
	})
}
