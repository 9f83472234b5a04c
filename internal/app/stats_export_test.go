package app

// SetStatsInListMax changes the largest set of unit organisations an
// AS_THEN drill-down sends to the database, so tests reach both ways of
// filtering; it returns a function that restores the old value.
func SetStatsInListMax(n int) (restore func()) {
	old := statsInListMax
	statsInListMax = n
	return func() { statsInListMax = old }
}

// StatsNationalCounts returns how many bases the national fast path
// (stat_sums) has counted so far.
func StatsNationalCounts() int64 { return statsNationalCounts.Load() }

// StatsUnitTopScopes returns how many AS_THEN reports and lists of a unit
// under the root have been read by the unit-top indexes so far.
func StatsUnitTopScopes() int64 { return statsUnitTopScopes.Load() }
