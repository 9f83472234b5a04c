package rules

import (
	"testing"

	"ktgs/internal/calendar"
	"ktgs/internal/civil"
)

func TestSuspension(t *testing.T) {
	ext := func(ns ...int) []any {
		var out []any
		for _, n := range ns {
			out = append(out, obj{"n": n})
		}
		return out
	}
	tests := []struct {
		name     string
		req      obj
		want     string
		set      string
		total    int
		endsOn   string
		rejected int        // -1 for none
		conf     Confidence // of the total-duration value
	}{
		{"QĐ 21: 90 days plus one extension of 30", obj{"subject_kind": "MEMBER", "start_date": "2026-05-04", "extensions": ext(30)},
			"ALLOWED", "QD21_2026", 120, "2026-09-01", -1, Secondary},
		{"RULES §12: a second extension under QĐ 21 is rejected", obj{"subject_kind": "MEMBER", "start_date": "2026-05-04", "extensions": ext(20, 10)},
			"EXTENSION_REJECTED", "QD21_2026", 110, "2026-08-22", 1, Secondary},
		{"QĐ 21: an extension over 30 days is rejected", obj{"subject_kind": "MEMBER", "start_date": "2026-05-04", "extensions": ext(31)},
			"EXTENSION_REJECTED", "QD21_2026", 90, "2026-08-02", 0, Secondary},
		{"QĐ 22: 90 days", obj{"subject_kind": "MEMBER", "start_date": "2024-03-01"},
			"ALLOWED", "QD22_2021", 90, "2024-05-30", -1, Verified},
		{"QĐ 22: extended to 180 days in total", obj{"subject_kind": "MEMBER", "start_date": "2024-03-01", "extensions": ext(90)},
			"ALLOWED", "QD22_2021", 180, "2024-08-28", -1, Verified},
		{"QĐ 22: three extensions within 180 days", obj{"subject_kind": "MEMBER", "start_date": "2024-03-01", "extensions": ext(30, 30, 30)},
			"ALLOWED", "QD22_2021", 180, "2024-08-28", -1, Verified},
		{"QĐ 22: over 180 days in total is rejected", obj{"subject_kind": "MEMBER", "start_date": "2024-03-01", "extensions": ext(30, 30, 31)},
			"EXTENSION_REJECTED", "QD22_2021", 150, "2024-07-29", 2, Verified},
		{"QĐ 22: organisations at most 90 days", obj{"subject_kind": "ORG", "start_date": "2024-03-01", "extensions": ext(1)},
			"EXTENSION_REJECTED", "QD22_2021", 90, "2024-05-30", 0, Verified},
		{"QĐ 296 copies QĐ 21, unverified", obj{"subject_kind": "MEMBER", "start_date": "2025-09-01", "extensions": ext(30, 30)},
			"EXTENSION_REJECTED", "QD296_2025", 120, "2025-12-30", 1, Unverified},
		{"a shorter initial period", obj{"subject_kind": "MEMBER", "start_date": "2024-03-01", "initial": 60},
			"ALLOWED", "QD22_2021", 60, "2024-04-30", -1, Verified},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustEval(t, "R15", tc.req)
			res := result[SuspensionResult](t, d)
			if d.Outcome != tc.want || d.RuleSet != tc.set {
				t.Errorf("Outcome, RuleSet = %s, %s; want %s, %s", d.Outcome, d.RuleSet, tc.want, tc.set)
			}
			key := keySuspTotal
			if tc.req["subject_kind"] == "ORG" {
				key = keySuspOrgMax
			}
			for _, c := range d.Citations {
				if c.ValueKey == key && c.Confidence != tc.conf {
					t.Errorf("%s confidence = %s, want %s", key, c.Confidence, tc.conf)
				}
			}
			if !cited(d, key) {
				t.Errorf("decision does not cite %s", key)
			}
			if res.Total != tc.total || res.EndsOn != civil.MustParse(tc.endsOn) {
				t.Errorf("Total, EndsOn = %d, %s; want %d, %s", res.Total, res.EndsOn, tc.total, tc.endsOn)
			}
			got := -1
			if res.RejectedExtension != nil {
				got = *res.RejectedExtension
			}
			if got != tc.rejected {
				t.Errorf("RejectedExtension = %d, want %d", got, tc.rejected)
			}
		})
	}
	t.Run("QĐ 30 counts working days", func(t *testing.T) {
		res := result[SuspensionResult](t, mustEval(t, "R15", obj{"subject_kind": "MEMBER", "start_date": "2019-03-01"}))
		if res.Unit != calendar.WorkingDays || calendar.Default().WorkingDaysBetween(civil.MustParse("2019-03-01"), res.EndsOn) != 90 {
			t.Errorf("Unit %s, EndsOn %s; want 90 working days", res.Unit, res.EndsOn)
		}
	})
	t.Run("criminal proceedings follow the law; dues still payable", func(t *testing.T) {
		d := mustEval(t, "R15", obj{"subject_kind": "MEMBER", "start_date": "2024-03-01", "criminal_proceedings": true})
		res := result[SuspensionResult](t, d)
		if d.Outcome != "FOLLOWS_LEGAL_TIME_LIMITS" || !res.DuesPayable || !hasReason(d, "r15.dues") {
			t.Errorf("Outcome %s, DuesPayable %v; want FOLLOWS_LEGAL_TIME_LIMITS, true", d.Outcome, res.DuesPayable)
		}
	})
	mustInvalid(t, "R15", obj{"subject_kind": "MEMBER", "start_date": "2024-03-01", "initial": 120}, "initial", "rules.err.range")
	mustInvalid(t, "R15", obj{"subject_kind": "MEMBER", "start_date": "2024-03-01", "extensions": ext(0)}, "extensions[0].n", "rules.err.range")
}
