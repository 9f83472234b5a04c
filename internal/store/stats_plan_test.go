package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
)

// TestStatsPlanSQLite guards the design of migration 0015_stats_summary:
// SQLite reads a period of every base as one range of stat_facts' key
// (base, date), with no join and no probe per record, so a national
// report never scans a table.
func TestStatsPlanSQLite(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[ktgs.StatsBase][]string{}
	for _, b := range statBases {
		want[b] = []string{"SEARCH x USING PRIMARY KEY (base=? AND d>? AND d<?)"}
	}
	for base, lines := range want {
		f := StatsFilter{Base: base, From: civil.New(2024, 1, 1), To: civil.New(2024, 12, 31), Access: []StatsAccess{{"/1/", authz.TopSecret}},
			Within: "/1/", Columns: []string{"/1/2/", "/1/3/", "/1/4/"}, Central: []int64{1}}
		var q sqlBuf
		q.s(`EXPLAIN QUERY PLAN `)
		if err := f.groups(&q); err != nil {
			t.Fatal(err)
		}
		var plan []string
		err := db.View(ctx, func(tx *Tx) error {
			rows, err := tx.query(ctx, q.b.String(), q.args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					return err
				}
				plan = append(plan, detail)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(plan, "\n")
		for _, l := range lines {
			if !strings.Contains(all, l) {
				t.Errorf("%s: plan lacks %q:\n%s", base, l, all)
			}
		}
		if strings.Contains(all, "SCAN ") || strings.Contains(all, "SEARCH c ") || strings.Contains(all, "SEARCH st ") {
			t.Errorf("%s: the plan scans a table:\n%s", base, all)
		}
	}
}
