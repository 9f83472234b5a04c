package seed_test

import (
	"testing"

	"ktgs/internal/seed"
	"ktgs/internal/testdb"
)

// BenchmarkSeedProvince loads the province scale (one detailed province,
// about 130,000 members) into a fresh SQLite database per iteration.
func BenchmarkSeedProvince(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		db := testdb.OpenSQLite(b)
		b.StartTimer()
		st, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleProvince, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Members), "members")
	}
}
