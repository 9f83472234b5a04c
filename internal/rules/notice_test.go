package rules

import (
	"testing"

	"ktgs/internal/civil"
)

func TestStateNotification(t *testing.T) {
	tests := []struct {
		name     string
		req      obj
		want     string
		deadline string
	}{
		{"state discipline: 5 days", obj{"kind": "STATE_DISCIPLINE", "decision_date": "2025-09-01"}, "DUE", "2025-09-06"},
		{"state discipline on the last day", obj{"kind": "STATE_DISCIPLINE", "decision_date": "2025-09-01", "notified_on": "2025-09-06"}, "ON_TIME", "2025-09-06"},
		{"state discipline a day late", obj{"kind": "STATE_DISCIPLINE", "decision_date": "2025-09-01", "notified_on": "2025-09-07"}, "LATE", "2025-09-06"},
		{"no such duty before QĐ 296", obj{"kind": "STATE_DISCIPLINE", "decision_date": "2024-09-01"}, "NO_DUTY", ""},
		{"law enforcement: 3 days", obj{"kind": "LAW_ENFORCEMENT", "decision_date": "2024-06-03"}, "DUE", "2024-06-06"},
		{"law enforcement late", obj{"kind": "LAW_ENFORCEMENT", "decision_date": "2024-06-03", "notified_on": "2024-06-07"}, "LATE", "2024-06-06"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustEval(t, "R18", tc.req)
			res := result[NotificationResult](t, d)
			if d.Outcome != tc.want {
				t.Errorf("Outcome = %s, want %s", d.Outcome, tc.want)
			}
			if tc.deadline != "" && res.Deadline != civil.MustParse(tc.deadline) {
				t.Errorf("Deadline = %s, want %s", res.Deadline, tc.deadline)
			}
		})
	}
}

func TestWrongfulDiscipline(t *testing.T) {
	tests := []struct {
		name     string
		req      obj
		want     string
		deadline string
		measure  string
	}{
		{"removal: restore the post", obj{"subject_kind": "MEMBER", "form": "CACH_CHUC", "ground": "PARTY_CONCLUSION", "finding_received_on": "2025-03-01"}, "DUE", "2025-04-30", "RESTORE_POST"},
		{"expulsion: restore membership", obj{"subject_kind": "MEMBER", "form": "KHAI_TRU", "ground": "LEGAL_AUTHORITY", "finding_received_on": "2025-09-10"}, "DUE", "2025-11-09", "RESTORE_MEMBERSHIP"},
		{"reprimand: restore benefits, notified in time", obj{"subject_kind": "MEMBER", "form": "KHIEN_TRACH", "ground": "PARTY_CONCLUSION", "finding_received_on": "2025-09-10", "notified_on": "2025-11-09"}, "ON_TIME", "2025-11-09", "RESTORE_BENEFITS"},
		{"warning notified late", obj{"subject_kind": "ORG", "form": "CANH_CAO", "ground": "PARTY_CONCLUSION", "finding_received_on": "2025-09-10", "notified_on": "2025-11-10"}, "LATE", "2025-11-09", "RESTORE_BENEFITS"},
		{"dissolution: no encoded measure", obj{"subject_kind": "ORG", "form": "GIAI_TAN", "ground": "PARTY_CONCLUSION", "finding_received_on": "2025-09-10"}, "DUE", "2025-11-09", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustEval(t, "R19", tc.req)
			res := result[WrongfulResult](t, d)
			if d.Outcome != tc.want || res.Deadline != civil.MustParse(tc.deadline) {
				t.Errorf("Outcome, Deadline = %s, %s; want %s, %s", d.Outcome, res.Deadline, tc.want, tc.deadline)
			}
			got := ""
			if len(res.Measures) == 1 {
				got = res.Measures[0].Code
			}
			if got != tc.measure || (tc.measure == "") != (len(res.Measures) == 0) {
				t.Errorf("Measures = %+v, want %s", res.Measures, tc.measure)
			}
		})
	}
	mustInvalid(t, "R19", obj{"subject_kind": "MEMBER", "form": "CANH_CAO", "ground": "PARTY_CONCLUSION", "finding_received_on": "2023-01-10"},
		"finding_received_on", "rules.err.no_value")
}
