package store_test

import (
	"cmp"
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
// the filter's dimensions let it in.
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
			return tx.Exec(ctx, `INSERT INTO stat_sums (base, ym, top, u_top, u_chg, u_top2, mark, acc_mark, dims, n)
				SELECT base, ym, top, u_top, u_chg, u_top2, mark, acc_mark, dims, COUNT(*) FROM stat_facts GROUP BY base, ym, top, u_top, u_chg, u_top2, mark, acc_mark, dims`)
		})
		if err != nil {
			t.Fatal(err)
		}
		f := store.StatsFilter{Base: ktgs.BaseCaseDecided, From: civil.New(2024, 1, 1), To: civil.New(2024, 12, 31), AsOf: civil.New(2024, 12, 31),
			Access: []store.StatsAccess{{Path: "/1/", Max: authz.TopSecret}}}
		// Newest first: by date, then by key.
		var under []int
		for i, fc := range facts {
			if fc.wantUnder {
				under = append(under, i)
			}
		}
		slices.SortFunc(under, func(a, b int) int {
			if c := strings.Compare(facts[b].d, facts[a].d); c != 0 {
				return c
			}
			return cmp.Compare(facts[b].k1, facts[a].k1)
		})
		var want []int64
		for _, i := range under {
			want = append(want, facts[i].k1)
		}
		err = db.View(ctx, func(tx *store.Tx) error {
			for _, limit := range []int{2, 50} {
				var got []int64
				sel := store.StatsSelect{Unit: -1, UTop: []int64{10}, Limit: limit}
				for {
					recs, more, err := tx.StatsRecords(ctx, f, sel)
					if err != nil {
						return err
					}
					for _, r := range recs {
						got = append(got, r.ID)
					}
					if !more {
						break
					}
					last := recs[len(recs)-1]
					sel.After = store.StatsCursor{Date: last.Date, ID: last.ID, Seq: last.Seq}
				}
				if !slices.Equal(got, want) {
					t.Errorf("pages of %d: listed %v, want %v (newest first)", limit, got, want)
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
