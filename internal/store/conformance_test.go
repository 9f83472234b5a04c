package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"ktgs"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// The conformance suite: every test here runs on SQLite and on PostgreSQL
// through testdb.Run, so both engines honour one storage contract.

var ctx = context.Background()

func d(s string) civil.Date { return civil.MustParse(s) }

func TestMigrationNamesMatch(t *testing.T) {
	a, err := store.MigrationNames(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.MigrationNames(store.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Fatalf("migration names differ between engines:\nsqlite   %v\npostgres %v", a, b)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		applied, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Fatalf("second Migrate applied %v, want nothing", applied)
		}
		if p, _ := db.Pending(ctx); len(p) != 0 {
			t.Fatalf("Pending=%v after Migrate", p)
		}
	})
}

// TestConcurrentMigrate starts several "servers" on one empty database at
// once: each migration must be applied exactly once in all.
func TestConcurrentMigrate(t *testing.T) {
	for _, e := range testdb.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			url := e.URL(t)
			const servers = 6
			dbs := make([]*store.DB, servers)
			for i := range dbs {
				db, err := store.Open(ctx, url, store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				dbs[i] = db
			}
			var wg sync.WaitGroup
			results := make([][]string, servers)
			errs := make([]error, servers)
			for i, db := range dbs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					results[i], errs[i] = db.Migrate(ctx)
				}()
			}
			wg.Wait()
			count := map[string]int{}
			for i := range dbs {
				if errs[i] != nil {
					t.Fatalf("server %d: %v", i, errs[i])
				}
				for _, n := range results[i] {
					count[n]++
				}
			}
			names, _ := store.MigrationNames(e.Name)
			for _, n := range names {
				if count[n] != 1 {
					t.Errorf("migration %s applied %d times, want exactly 1", n, count[n])
				}
			}
		})
	}
}

func mustOrg(t *testing.T, tx *store.Tx, o *ktgs.Org) *ktgs.Org {
	t.Helper()
	if err := tx.InsertOrg(ctx, o); err != nil {
		t.Fatalf("InsertOrg %s: %v", o.Code, err)
	}
	return o
}

func TestOrgVersionsAndCollation(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		var root, a *ktgs.Org
		err := db.Update(ctx, func(tx *store.Tx) error {
			root = mustOrg(t, tx, &ktgs.Org{Code: "TW", Type: ktgs.OrgTypeCentral, Name: "Trung ương", ValidFrom: d("1930-02-03")})
			for i, n := range []string{"Đảng bộ tỉnh Điện Biên", "Đảng bộ tỉnh An Giang", "Đảng bộ tỉnh Bắc Ninh", "Đảng bộ Thành phố Đà Nẵng", "Đảng bộ tỉnh Hà Tĩnh"} {
				o := mustOrg(t, tx, &ktgs.Org{Code: "P" + strconv.Itoa(i), Type: ktgs.OrgTypeDirectlyUnderCC, Name: n, ParentID: root.ID, ValidFrom: d("1997-01-01")})
				if n == "Đảng bộ tỉnh An Giang" {
					a = o
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		db.View(ctx, func(tx *store.Tx) error {
			kids, err := tx.Children(ctx, root.ID, d("2026-01-01"))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, k := range kids {
				got = append(got, k.Name)
			}
			// "Đảng bộ Thành phố …" sorts before "Đảng bộ tỉnh …" (T < t is tertiary,
			// h < ỉ is primary), and within provinces Đ comes after D and before E.
			want := []string{"Đảng bộ Thành phố Đà Nẵng", "Đảng bộ tỉnh An Giang", "Đảng bộ tỉnh Bắc Ninh", "Đảng bộ tỉnh Điện Biên", "Đảng bộ tỉnh Hà Tĩnh"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Children order\n got %v\nwant %v", got, want)
			}
			roots, _ := tx.Roots(ctx, d("2026-01-01"))
			if len(roots) != 1 || roots[0].ChildCount != 5 {
				t.Errorf("Roots=%v, want one root with 5 children", roots)
			}
			if _, err := tx.OrgAt(ctx, a.ID, d("1996-12-31")); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
				t.Errorf("OrgAt before creation: err=%v, want ENOTFOUND", err)
			}
			found, _ := tx.SearchOrgs(ctx, "an giang", "", d("2026-01-01"), 10)
			if len(found) != 1 || found[0].ID != a.ID {
				t.Errorf("SearchOrgs(an giang)=%v", found)
			}
			found, _ = tx.SearchOrgs(ctx, "ĐIỆN BIÊN", "", d("2026-01-01"), 10)
			if len(found) != 1 {
				t.Errorf("SearchOrgs(ĐIỆN BIÊN)=%d results, want 1", len(found))
			}
			found, _ = tx.SearchOrgs(ctx, "dang bo %", "", d("2026-01-01"), 10)
			if len(found) != 0 {
				t.Errorf("LIKE metacharacters must be literal, got %d results", len(found))
			}
			return nil
		})
		// Unique code → ECONFLICT, and the failed transaction leaves nothing.
		err = db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.InsertOrg(ctx, &ktgs.Org{Code: "X1", Type: ktgs.OrgTypeDirectlyUnderCC, Name: "x", ParentID: root.ID, ValidFrom: d("2000-01-01")}); err != nil {
				return err
			}
			return tx.InsertOrg(ctx, &ktgs.Org{Code: "TW", Type: ktgs.OrgTypeDirectlyUnderCC, Name: "dup", ParentID: root.ID, ValidFrom: d("2000-01-01")})
		})
		if ktgs.ErrorCode(err) != ktgs.ECONFLICT {
			t.Fatalf("duplicate code: err=%v, want ECONFLICT", err)
		}
		db.View(ctx, func(tx *store.Tx) error {
			if _, err := tx.OrgIDByCode(ctx, "X1"); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
				t.Errorf("rolled-back insert is visible: %v", err)
			}
			return nil
		})
	})
}

func TestRepathSubtree(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		var root, p1, p2, c, b *ktgs.Org
		db.Update(ctx, func(tx *store.Tx) error {
			root = mustOrg(t, tx, &ktgs.Org{Code: "TW", Type: ktgs.OrgTypeCentral, Name: "Trung ương", ValidFrom: d("1930-02-03")})
			p1 = mustOrg(t, tx, &ktgs.Org{Code: "P1", Type: ktgs.OrgTypeDirectlyUnderCC, Name: "Tỉnh 1", ParentID: root.ID, ValidFrom: d("2000-01-01")})
			p2 = mustOrg(t, tx, &ktgs.Org{Code: "P2", Type: ktgs.OrgTypeDirectlyUnderCC, Name: "Tỉnh 2", ParentID: root.ID, ValidFrom: d("2000-01-01")})
			c = mustOrg(t, tx, &ktgs.Org{Code: "C", Type: ktgs.OrgTypeGrassrootsCommittee, Name: "Cơ sở", ParentID: p1.ID, ValidFrom: d("2001-01-01")})
			b = mustOrg(t, tx, &ktgs.Org{Code: "B", Type: ktgs.OrgTypeBranch, Name: "Chi bộ", ParentID: c.ID, ValidFrom: d("2002-01-01")})
			moved := *c
			moved.ParentID = p2.ID
			if err := tx.Repath(ctx, &moved, d("2025-07-01")); err != nil {
				t.Fatal(err)
			}
			return nil
		})
		db.View(ctx, func(tx *store.Tx) error {
			before, _ := tx.Subtree(ctx, p1.ID, d("2025-06-30"))
			after, _ := tx.Subtree(ctx, p1.ID, d("2025-07-01"))
			if len(before) != 3 || len(after) != 1 {
				t.Errorf("Subtree(P1): before=%d after=%d, want 3 and 1", len(before), len(after))
			}
			now, _ := tx.Subtree(ctx, p2.ID, d("2025-07-01"))
			if len(now) != 3 {
				t.Fatalf("Subtree(P2) after move = %d, want 3", len(now))
			}
			ob, _ := tx.OrgAt(ctx, b.ID, d("2025-07-01"))
			want := "/" + itoa(root.ID) + "/" + itoa(p2.ID) + "/" + itoa(c.ID) + "/" + itoa(b.ID) + "/"
			if ob.Path != want || ob.Depth != 3 {
				t.Errorf("descendant path=%s depth=%d, want %s 3", ob.Path, ob.Depth, want)
			}
			old, _ := tx.OrgAt(ctx, b.ID, d("2024-01-01"))
			if old.Path == ob.Path {
				t.Errorf("old version was rewritten: %s", old.Path)
			}
			hist, _ := tx.OrgHistory(ctx, b.ID)
			if len(hist) != 2 || hist[0].ValidTo != d("2025-07-01") || !hist[1].ValidTo.IsForever() {
				t.Errorf("history=%+v", hist)
			}
			return nil
		})
	})
}

func itoa(i int64) string {
	return func() string {
		b := []byte{}
		for i > 0 {
			b = append([]byte{byte('0' + i%10)}, b...)
			i /= 10
		}
		return string(b)
	}()
}

func TestMembersAndAttachments(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		var cb *ktgs.Org
		var ids []int64
		names := []string{"Lê Thị Bình", "Trần Văn An", "Nguyễn Văn Ân", "Phạm Đức Anh", "Nguyễn Thị An", "Hoàng Văn Đạt", "Vũ Văn Dũng"}
		db.Update(ctx, func(tx *store.Tx) error {
			root := mustOrg(t, tx, &ktgs.Org{Code: "TW", Type: ktgs.OrgTypeCentral, Name: "Trung ương", ValidFrom: d("1930-02-03")})
			p := mustOrg(t, tx, &ktgs.Org{Code: "P", Type: ktgs.OrgTypeDirectlyUnderCC, Name: "Tỉnh", ParentID: root.ID, ValidFrom: d("2000-01-01")})
			cb = mustOrg(t, tx, &ktgs.Org{Code: "CB", Type: ktgs.OrgTypeGrassrootsBranch, Name: "Chi bộ", ParentID: p.ID, ValidFrom: d("2000-01-01")})
			for i, n := range names {
				m := &ktgs.Member{CardNumber: "1000000" + string(rune('0'+i)), FullName: n, AdmittedOn: d("2010-01-01"), HomeOrgID: cb.ID, HomeSince: d("2010-01-01")}
				if i%2 == 0 {
					m.OfficialOn = d("2011-01-01")
				}
				if err := tx.InsertMember(ctx, m); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, m.ID)
			}
			return nil
		})
		// A second open temporary attachment violates "at most one".
		err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.InsertAttachment(ctx, &ktgs.Attachment{MemberID: ids[0], OrgID: cb.ID, Kind: ktgs.AttachTemp, From: d("2020-01-01")}); err != nil {
				return err
			}
			return tx.InsertAttachment(ctx, &ktgs.Attachment{MemberID: ids[0], OrgID: cb.ID, Kind: ktgs.AttachTemp, From: d("2021-01-01")})
		})
		if ktgs.ErrorCode(err) != ktgs.ECONFLICT {
			t.Fatalf("second open temporary attachment: err=%v, want ECONFLICT", err)
		}
		// Duplicate card number.
		err = db.Update(ctx, func(tx *store.Tx) error {
			return tx.InsertMember(ctx, &ktgs.Member{CardNumber: "10000000", FullName: "X", AdmittedOn: d("2010-01-01"), HomeOrgID: cb.ID, HomeSince: d("2010-01-01")})
		})
		if ktgs.ErrorCode(err) != ktgs.ECONFLICT {
			t.Fatalf("duplicate card: err=%v, want ECONFLICT", err)
		}
		db.View(ctx, func(tx *store.Tx) error {
			var got []string
			cursor := ""
			for pages := 0; ; pages++ {
				page, err := tx.MembersOfOrg(ctx, cb.ID, cursor, 3)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range page.Members {
					got = append(got, m.FullName)
				}
				if page.Next == "" {
					if pages != 2 {
						t.Errorf("pages=%d, want 3 pages of 3", pages+1)
					}
					break
				}
				cursor = page.Next
			}
			want := []string{"Nguyễn Thị An", "Trần Văn An", "Phạm Đức Anh", "Nguyễn Văn Ân", "Lê Thị Bình", "Vũ Văn Dũng", "Hoàng Văn Đạt"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("member order\n got %v\nwant %v", got, want)
			}
			c, _ := tx.CountMembers(ctx, cb.ID, d("2026-01-01"))
			if c.Total != 7 || c.Official != 4 || c.Probationary != 3 {
				t.Errorf("CountMembers=%+v", c)
			}
			c, _ = tx.CountMembers(ctx, cb.ID, d("2010-06-01"))
			if c.Official != 0 {
				t.Errorf("official members in 2010 = %d, want 0", c.Official)
			}
			m, err := tx.Member(ctx, ids[1], d("2026-01-01"))
			if err != nil || m.FullName != "Trần Văn An" || m.HomeOrgName != "Chi bộ" || m.Status != ktgs.MemberStatusProbationary {
				t.Errorf("Member=%+v, %v", m, err)
			}
			if _, err := tx.Member(ctx, 999999, d("2026-01-01")); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
				t.Errorf("missing member: %v", err)
			}
			return nil
		})
	})
}

func TestRollbackOnError(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		boom := errors.New("boom")
		err := db.Update(ctx, func(tx *store.Tx) error {
			mustOrg(t, tx, &ktgs.Org{Code: "TW", Type: ktgs.OrgTypeCentral, Name: "Trung ương", ValidFrom: d("1930-02-03")})
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err=%v", err)
		}
		db.View(ctx, func(tx *store.Tx) error {
			roots, _ := tx.Roots(ctx, d("2026-01-01"))
			if len(roots) != 0 {
				t.Errorf("rolled back org is visible")
			}
			return nil
		})
	})
}

// TestRateCounterConcurrent: the public form's rate counters are shared by
// every server; concurrent increments of one key and window each count
// once and return distinct totals, on both engines.
func TestRateCounterConcurrent(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		start := time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)
		const n = 12
		got := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := db.Update(ctx, func(tx *store.Tx) error {
					var err error
					got[i], err = tx.IncrRate(ctx, "ip:203.0.113.7", start)
					return err
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		slices.Sort(got)
		for i, c := range got {
			if c != i+1 {
				t.Fatalf("counts %v, want 1..%d", got, n)
			}
		}
		// Another window and another key start from one; pruning drops
		// only older windows.
		err := db.Update(ctx, func(tx *store.Tx) error {
			if c, err := tx.IncrRate(ctx, "ip:203.0.113.7", start.Add(time.Hour)); err != nil || c != 1 {
				return fmt.Errorf("next window: %d %v", c, err)
			}
			if c, err := tx.IncrRate(ctx, "ip:198.51.100.1", start); err != nil || c != 1 {
				return fmt.Errorf("other key: %d %v", c, err)
			}
			if err := tx.PruneRates(ctx, start.Add(time.Minute)); err != nil {
				return err
			}
			if c, err := tx.IncrRate(ctx, "ip:203.0.113.7", start); err != nil || c != 1 {
				return fmt.Errorf("after prune: %d %v", c, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
