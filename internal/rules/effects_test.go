package rules

import (
	"testing"

	"ktgs/internal/civil"
)

func TestExpiry(t *testing.T) {
	tests := []struct {
		name     string
		req      obj
		want     string
		inactive string
		active   *bool
	}{
		{"RULES §12: warning of 2025-05-10 inactive from 2026-05-10",
			obj{"subject_kind": "MEMBER", "form": "CANH_CAO", "announced_on": "2025-05-10"}, "EXPIRES", "2026-05-10", nil},
		{"still active the day before", obj{"subject_kind": "MEMBER", "form": "CANH_CAO", "announced_on": "2025-05-10", "as_of": "2026-05-09"}, "EXPIRES", "2026-05-10", yes},
		{"inactive on the day", obj{"subject_kind": "MEMBER", "form": "CANH_CAO", "announced_on": "2025-05-10", "as_of": "2026-05-10"}, "EXPIRES", "2026-05-10", no},
		{"month-end clamps", obj{"subject_kind": "ORG", "form": "KHIEN_TRACH", "announced_on": "2024-02-29"}, "EXPIRES", "2025-02-28", nil},
		{"expulsion never expires", obj{"subject_kind": "MEMBER", "form": "KHAI_TRU", "announced_on": "2025-05-10", "as_of": "2027-01-01"}, "NO_AUTOMATIC_EXPIRY", "", yes},
		{"dissolution never expires", obj{"subject_kind": "ORG", "form": "GIAI_TAN", "announced_on": "2025-05-10"}, "NO_AUTOMATIC_EXPIRY", "", nil},
		{"a complaint blocks the expiry", obj{"subject_kind": "MEMBER", "form": "CANH_CAO", "announced_on": "2025-05-10", "complained": true}, "NO_AUTOMATIC_EXPIRY", "", nil},
		{"reoffending blocks the expiry", obj{"subject_kind": "MEMBER", "form": "KHIEN_TRACH", "announced_on": "2025-05-10", "reoffended": true}, "NO_AUTOMATIC_EXPIRY", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustEval(t, "R7", tc.req)
			res := result[ExpiryResult](t, d)
			if d.Outcome != tc.want {
				t.Errorf("Outcome = %s, want %s", d.Outcome, tc.want)
			}
			if tc.inactive != "" && res.InactiveFrom != civil.MustParse(tc.inactive) {
				t.Errorf("InactiveFrom = %s, want %s", res.InactiveFrom, tc.inactive)
			}
			if tc.active != nil && (res.ActiveOnAsOf == nil || *res.ActiveOnAsOf != *tc.active) {
				t.Errorf("ActiveOnAsOf = %v, want %v", res.ActiveOnAsOf, *tc.active)
			}
		})
	}
	t.Run("no QĐ 69 value before 2022-07-06", func(t *testing.T) {
		mustInvalid(t, "R7", obj{"subject_kind": "MEMBER", "form": "CANH_CAO", "announced_on": "2022-01-10"}, "announced_on", "rules.err.no_value")
	})
}

func TestRemovalBar(t *testing.T) {
	tests := []struct {
		name, form, action, date string
		want                     string
		day                      int
	}{
		{"RULES §12: day 364 is blocked", "CACH_CHUC", "ELECTION_TO_COMMITTEE", "2026-01-09", "BLOCKED", 364},
		{"day 365 is the anniversary", "CACH_CHUC", "ELECTION_TO_COMMITTEE", "2026-01-10", "NOT_BLOCKED", 365},
		{"RULES §12: day 366 is not blocked", "CACH_CHUC", "APPOINTMENT_EQUAL_OR_HIGHER", "2026-01-11", "NOT_BLOCKED", 366},
		{"appointment to an equal post on day 100", "CACH_CHUC", "APPOINTMENT_EQUAL_OR_HIGHER", "2025-04-20", "BLOCKED", 100},
		{"a lower post is not barred", "CACH_CHUC", "APPOINTMENT_LOWER", "2025-04-20", "NOT_BLOCKED", 100},
		{"a reprimand bars nothing", "KHIEN_TRACH", "ELECTION_TO_COMMITTEE", "2025-04-20", "NOT_BLOCKED", 100},
		{"a warning bars nothing", "CANH_CAO", "ELECTION_TO_COMMITTEE", "2025-04-20", "NOT_BLOCKED", 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustEval(t, "R8", obj{"form": tc.form, "announced_on": "2025-01-10", "action": tc.action, "action_date": tc.date})
			if d.Outcome != tc.want {
				t.Errorf("Outcome = %s, want %s", d.Outcome, tc.want)
			}
			if got := result[RemovalBarResult](t, d).Day; got != tc.day {
				t.Errorf("Day = %d, want %d", got, tc.day)
			}
		})
	}
	mustInvalid(t, "R8", obj{"form": "CACH_CHUC", "announced_on": "2025-01-10", "action": "ELECTION_TO_COMMITTEE", "action_date": "2024-12-01"},
		"action_date", "rules.err.date_order")
}

func TestFreeze(t *testing.T) {
	tests := []struct {
		name string
		req  obj
		want string
	}{
		{"appointment while under consideration", obj{"action": "APPOINTMENT", "action_date": "2025-10-01", "consideration_started_on": "2025-09-01"}, "BLOCKED"},
		{"transfer while under consideration", obj{"action": "TRANSFER", "action_date": "2025-10-01", "consideration_started_on": "2025-09-01", "consideration_ended_on": "2025-10-15"}, "BLOCKED"},
		{"award while under consideration", obj{"action": "AWARD", "action_date": "2026-05-01", "consideration_started_on": "2026-04-01"}, "BLOCKED"},
		{"after the consideration ended", obj{"action": "APPOINTMENT", "action_date": "2025-10-15", "consideration_started_on": "2025-09-01", "consideration_ended_on": "2025-10-15"}, "ALLOWED"},
		{"before it began", obj{"action": "ROTATION", "action_date": "2025-08-31", "consideration_started_on": "2025-09-01"}, "ALLOWED"},
		{"an action that is not frozen", obj{"action": "OTHER", "action_date": "2025-10-01", "consideration_started_on": "2025-09-01"}, "ALLOWED"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := mustEval(t, "R9", tc.req); d.Outcome != tc.want {
				t.Errorf("Outcome = %s, want %s", d.Outcome, tc.want)
			}
		})
	}
	mustInvalid(t, "R9", obj{"action": "PROMOTION", "action_date": "2025-10-01", "consideration_started_on": "2025-09-01"}, "action", "rules.err.unknown_value")
}
