package rules

import (
	"testing"

	"ktgs/internal/civil"
)

func TestLimitation(t *testing.T) {
	tests := []struct {
		name      string
		req       obj
		want      string
		wantSet   string
		wantStart string
		expiresOn string
	}{
		{"RULES §12: reprimand of 2019 concluded 2024-03-02 is expired",
			obj{"subject_kind": "MEMBER", "violation_date": "2019-03-01", "warranted_form": "KHIEN_TRACH", "conclusion_date": "2024-03-02"},
			"EXPIRED", "QD30_2016", "2019-03-01", "2024-03-01"},
		{"last day of the five years is inside",
			obj{"subject_kind": "MEMBER", "violation_date": "2019-03-01", "warranted_form": "KHIEN_TRACH", "conclusion_date": "2024-03-01"},
			"NOT_EXPIRED", "QD30_2016", "2019-03-01", "2024-03-01"},
		{"RULES §12: a new violation in 2022 restarts the period",
			obj{"subject_kind": "MEMBER", "violation_date": "2019-03-01", "new_violation_dates": []string{"2022-06-10"}, "warranted_form": "KHIEN_TRACH", "conclusion_date": "2024-03-02"},
			"NOT_EXPIRED", "QD30_2016", "2022-06-10", "2027-06-10"},
		{"a new violation after the period does not restart it",
			obj{"subject_kind": "MEMBER", "violation_date": "2010-01-15", "new_violation_dates": []string{"2016-02-01"}, "warranted_form": "KHIEN_TRACH", "conclusion_date": "2017-01-01"},
			"EXPIRED", "QD30_2016", "2010-01-15", "2015-01-15"},
		{"chained new violations",
			obj{"subject_kind": "MEMBER", "violation_date": "2012-01-01", "new_violation_dates": []string{"2020-01-01", "2016-06-01"}, "warranted_form": "KHIEN_TRACH", "conclusion_date": "2024-12-31"},
			"NOT_EXPIRED", "QD30_2016", "2020-01-01", "2025-01-01"},
		{"warning: ten years",
			obj{"subject_kind": "MEMBER", "violation_date": "2019-03-01", "warranted_form": "CANH_CAO", "conclusion_date": "2024-03-02"},
			"NOT_EXPIRED", "QD30_2016", "2019-03-01", "2029-03-01"},
		{"removal expired after ten years",
			obj{"subject_kind": "MEMBER", "violation_date": "2012-05-20", "warranted_form": "CACH_CHUC", "conclusion_date": "2022-05-21"},
			"EXPIRED", "QD30_2016", "2012-05-20", "2022-05-20"},
		{"organisation warning under QĐ 22",
			obj{"subject_kind": "ORG", "violation_date": "2022-01-10", "warranted_form": "CANH_CAO", "conclusion_date": "2025-01-01"},
			"NOT_EXPIRED", "QD22_2021", "2022-01-10", "2032-01-10"},
		{"continuing violation counts from its end",
			obj{"subject_kind": "ORG", "violation_date": "2015-01-01", "continuing_until": "2021-12-31", "warranted_form": "KHIEN_TRACH", "conclusion_date": "2025-06-01"},
			"NOT_EXPIRED", "QD30_2016", "2021-12-31", "2026-12-31"},
		{"expulsion has no limitation",
			obj{"subject_kind": "MEMBER", "violation_date": "1995-01-01", "warranted_form": "KHAI_TRU", "conclusion_date": "2025-06-01"},
			"NO_LIMITATION", "QD30_2016", "1995-01-01", ""},
		{"dissolution has no limitation",
			obj{"subject_kind": "ORG", "violation_date": "2000-01-01", "warranted_form": "GIAI_TAN", "conclusion_date": "2025-06-01"},
			"NO_LIMITATION", "QD30_2016", "2000-01-01", ""},
		{"internal political protection has no limitation",
			obj{"subject_kind": "MEMBER", "violation_date": "2001-01-01", "warranted_form": "KHIEN_TRACH", "category": "CHINH_TRI_NOI_BO", "conclusion_date": "2025-06-01"},
			"NO_LIMITATION", "QD30_2016", "2001-01-01", ""},
		{"illegal diplomas have no limitation",
			obj{"subject_kind": "MEMBER", "violation_date": "2001-01-01", "warranted_form": "CANH_CAO", "category": "SU_DUNG_VAN_BANG_BAT_HOP_PHAP", "conclusion_date": "2025-06-01"},
			"NO_LIMITATION", "QD30_2016", "2001-01-01", ""},
		{"set chosen by violation date, not conclusion date",
			obj{"subject_kind": "MEMBER", "violation_date": "2025-06-01", "warranted_form": "KHIEN_TRACH", "conclusion_date": "2026-06-01"},
			"NOT_EXPIRED", "QD296_2025", "2025-06-01", "2030-06-01"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustEval(t, "R6", tc.req)
			res := result[LimitationResult](t, d)
			if d.Outcome != tc.want || d.RuleSet != tc.wantSet {
				t.Errorf("Outcome, RuleSet = %s, %s; want %s, %s", d.Outcome, d.RuleSet, tc.want, tc.wantSet)
			}
			if res.Start != civil.MustParse(tc.wantStart) {
				t.Errorf("Start = %s, want %s", res.Start, tc.wantStart)
			}
			if tc.expiresOn != "" && res.ExpiresOn != civil.MustParse(tc.expiresOn) {
				t.Errorf("ExpiresOn = %s, want %s", res.ExpiresOn, tc.expiresOn)
			}
		})
	}
}

func TestLimitationErrors(t *testing.T) {
	mustInvalid(t, "R6", obj{"subject_kind": "MEMBER", "violation_date": "2024-03-01", "warranted_form": "KHIEN_TRACH", "conclusion_date": "2023-01-01"},
		"conclusion_date", "rules.err.date_order")
	mustInvalid(t, "R6", obj{"subject_kind": "MEMBER", "violation_date": "2024-03-01", "new_violation_dates": []string{"2020-01-01"}, "warranted_form": "KHIEN_TRACH", "conclusion_date": "2025-01-01"},
		"new_violation_dates[0]", "rules.err.date_order")
	mustInvalid(t, "R6", obj{"subject_kind": "ORG", "violation_date": "2024-03-01", "warranted_form": "KHAI_TRU", "conclusion_date": "2025-01-01"},
		"warranted_form", "rules.err.form_subject")
	mustInvalid(t, "R6", obj{"subject_kind": "MEMBER", "violation_date": "1925-03-01", "warranted_form": "KHIEN_TRACH", "conclusion_date": "2025-01-01"},
		"violation_date", "rules.err.date_range")
}
