package seed_test

import (
	"context"
	"reflect"
	"testing"

	"ktgs"
	"ktgs/internal/civil"
	"ktgs/internal/seed"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

var ctx = context.Background()

func TestDemoSeed(t *testing.T) {
	var first seed.Stats
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		st, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if first == (seed.Stats{}) {
			first = st
		} else if st != first {
			t.Errorf("the same seed gave different data on another engine: %+v vs %+v", st, first)
		}
		if st.Members < 1000 || st.Members > 5000 {
			t.Errorf("demo members=%d, want a few thousand", st.Members)
		}
		checkIntegrity(t, db)
		db.View(ctx, func(tx *store.Tx) error {
			today, before := civil.MustParse("2026-01-01"), civil.MustParse("2024-06-01")
			now, _ := tx.CountOrgs(ctx, today)
			then, _ := tx.CountOrgs(ctx, before)
			if now[ktgs.OrgTypeDirectlyUnderCC] != 40 {
				t.Errorf("bodies under the CC today = %d, want 40", now[ktgs.OrgTypeDirectlyUnderCC])
			}
			if then[ktgs.OrgTypeDirectlyUnderCC] != 69 {
				t.Errorf("bodies under the CC in 2024 = %d, want 63 provinces + 6", then[ktgs.OrgTypeDirectlyUnderCC])
			}
			if now[ktgs.OrgTypeDistrict] != 0 || then[ktgs.OrgTypeDistrict] == 0 {
				t.Errorf("districts: today %d, 2024 %d", now[ktgs.OrgTypeDistrict], then[ktgs.OrgTypeDistrict])
			}
			if now[ktgs.OrgTypeCommune] == 0 || then[ktgs.OrgTypeCommune] != 0 {
				t.Errorf("commune đảng bộ: today %d, 2024 %d", now[ktgs.OrgTypeCommune], then[ktgs.OrgTypeCommune])
			}
			return nil
		})
		if _, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1}); err != seed.ErrNotEmpty {
			t.Errorf("second seed: err=%v, want ErrNotEmpty", err)
		}
	})
}

func TestSeedIsDeterministic(t *testing.T) {
	digest := func(seedN uint64) []string {
		db := testdb.OpenSQLite(t)
		if _, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: seedN}); err != nil {
			t.Fatal(err)
		}
		var out []string
		db.View(ctx, func(tx *store.Tx) error {
			for _, code := range []string{"P19", "P01-D01-C01-X1-V1"} {
				id, _ := tx.OrgIDByCode(ctx, code)
				kids, _ := tx.Children(ctx, id, civil.MustParse("2026-01-01"))
				for _, k := range kids {
					out = append(out, k.Code+" "+k.Name)
				}
			}
			m, err := tx.Member(ctx, 100, civil.MustParse("2026-01-01"))
			if err == nil {
				out = append(out, m.CardNumber+" "+m.FullName+" "+m.BirthDate.String())
			}
			return nil
		})
		return out
	}
	a, b, c := digest(7), digest(7), digest(8)
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed, different data:\n%v\n%v", a, b)
	}
	if reflect.DeepEqual(a, c) {
		t.Fatalf("different seeds gave identical data")
	}
}
