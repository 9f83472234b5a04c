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

// TestStatsPlanSQLite guards the design of migration 0013_stats: SQLite
// reads a year of cases as a range of the date-first covering indexes,
// their subjects, findings and seats by covering indexes too, and every
// other base by its date index, so a national report never scans a table.
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
	want := map[ktgs.StatsBase][]string{
		ktgs.BaseCaseDecided: {"SEARCH c USING COVERING INDEX cases_stats_decided (decided_on>? AND decided_on<?)",
			"SEARCH s USING COVERING INDEX case_subjects_stats (case_id=?)", "SEARCH st USING COVERING INDEX seats_stats"},
		ktgs.BaseCaseConcluded: {"SEARCH c USING COVERING INDEX cases_stats_concluded (concluded_on>? AND concluded_on<?)",
			"SEARCH f USING COVERING INDEX findings_stats (case_id=? AND subject_seq=?)"},
		ktgs.BaseCaseDisciplined: {"SEARCH p USING INDEX proceedings_stats (decided_on>? AND decided_on<?)"},
		ktgs.BaseDiscipline:      {"SEARCH p USING INDEX proceedings_stats (decided_on>? AND decided_on<?)"},
		ktgs.BaseLetterReceived:  {"SEARCH l USING INDEX letters_stats_received (received_on>? AND received_on<?)"},
		ktgs.BaseLetterResolved:  {"SEARCH l USING INDEX letters_stats_concluded (concluded_on>? AND concluded_on<?)"},
		ktgs.BaseComplaintFiled:  {"SEARCH k USING INDEX complaints_stats_filed (filed_on>? AND filed_on<?)"},
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
		if strings.Contains(all, "SCAN ") {
			t.Errorf("%s: the plan scans a table:\n%s", base, all)
		}
	}
}
