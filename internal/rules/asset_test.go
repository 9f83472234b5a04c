package rules

import (
	"testing"

	"ktgs/internal/civil"
)

func TestAssetThreshold(t *testing.T) {
	tests := []struct {
		name      string
		date      string
		delta     int64
		want      string
		set       string
		threshold int64
		deadline  string
	}{
		{"RULES §12: 500 million in 2025 is needed", "2025-08-15", 500_000_000, "NEEDED", "LUAT_PCTN_2018", 300_000_000, "2025-12-31"},
		{"RULES §12: 500 million in 2026 is not needed", "2026-03-15", 500_000_000, "NOT_NEEDED", "LUAT_PCTN_2025", 1_000_000_000, "2026-12-31"},
		{"a decrease counts by its size", "2025-02-01", -400_000_000, "NEEDED", "LUAT_PCTN_2018", 300_000_000, "2025-12-31"},
		{"exactly the threshold is needed", "2026-09-01", 1_000_000_000, "NEEDED", "LUAT_PCTN_2025", 1_000_000_000, "2026-12-31"},
		{"just below the old threshold", "2024-06-01", 299_999_999, "NOT_NEEDED", "LUAT_PCTN_2018", 300_000_000, "2024-12-31"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustEval(t, "R16", obj{"change_date": tc.date, "asset_change_vnd": tc.delta})
			res := result[AssetResult](t, d)
			if d.Outcome != tc.want || d.RuleSet != tc.set {
				t.Errorf("Outcome, RuleSet = %s, %s; want %s, %s", d.Outcome, d.RuleSet, tc.want, tc.set)
			}
			if res.SupplementaryThreshold != tc.threshold || res.Deadline != civil.MustParse(tc.deadline) {
				t.Errorf("threshold, deadline = %d, %s; want %d, %s", res.SupplementaryThreshold, res.Deadline, tc.threshold, tc.deadline)
			}
			if !d.Provisional || !cited(d, keyAssetYearEnd) {
				t.Error("the 2026 transition reading must be cited and make the decision provisional")
			}
		})
	}
	t.Run("item thresholds 50 and 150 million", func(t *testing.T) {
		for _, tc := range []struct {
			date string
			want bool
		}{{"2025-05-01", true}, {"2026-05-01", false}} {
			d := mustEval(t, "R16", obj{"change_date": tc.date, "asset_change_vnd": 0,
				"items": []any{obj{"name": "Vàng miếng SJC", "value_vnd": 60_000_000}, obj{"name": "Sổ tiết kiệm", "value_vnd": 150_000_000}}})
			items := result[AssetResult](t, d).Items
			if items[0].MustDeclare != tc.want || !items[1].MustDeclare {
				t.Errorf("%s: MustDeclare = %v, %v; want %v, true", tc.date, items[0].MustDeclare, items[1].MustDeclare, tc.want)
			}
		}
	})
	mustInvalid(t, "R16", obj{"change_date": "2018-05-01", "asset_change_vnd": 1}, "change_date", "rules.err.no_rule_set")
	mustInvalid(t, "R16", obj{"change_date": "2025-05-01"}, "asset_change_vnd", "rules.err.required")
	mustInvalid(t, "R16", obj{"change_date": "2025-05-01", "asset_change_vnd": -9_000_000_000_000_000_000}, "asset_change_vnd", "rules.err.money_range")
}
