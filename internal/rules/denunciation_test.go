package rules

import (
	"slices"
	"testing"

	"ktgs/internal/calendar"
	"ktgs/internal/civil"
)

func TestIntake(t *testing.T) {
	named := func(extra obj) obj {
		r := obj{"received_on": dQD296, "sender": "NAMED"}
		for k, v := range extra {
			r[k] = v
		}
		return r
	}
	tests := []struct {
		name        string
		req         obj
		want        string
		grounds     []string
		mayConclude bool
		mayFeed     bool
	}{
		{"a proper named letter", named(nil), "TO_BE_RESOLVED", nil, true, false},
		{"RULES §12: anonymous with clear target is information only", obj{"received_on": dQD296, "sender": "ANONYMOUS", "clear_target_and_content": true},
			"INFORMATION_ONLY", []string{"ANONYMOUS_OR_NO_ADDRESS"}, false, true},
		{"false name with clear target", obj{"received_on": dQD296, "sender": "FALSE_NAME", "clear_target_and_content": true},
			"INFORMATION_ONLY", []string{"ANONYMOUS_OR_NO_ADDRESS"}, false, true},
		{"anonymous and vague", obj{"received_on": dQD296, "sender": "ANONYMOUS"}, "NOT_RESOLVED", []string{"ANONYMOUS_OR_NO_ADDRESS"}, false, false},
		{"no clear address", named(obj{"address_unclear": true}), "NOT_RESOLVED", []string{"ANONYMOUS_OR_NO_ADDRESS"}, false, false},
		{"re-filed without new evidence", named(obj{"previously_concluded": true}), "NOT_RESOLVED", []string{"CONCLUDED_NO_NEW_EVIDENCE"}, false, false},
		{"re-filed with new evidence", named(obj{"previously_concluded": true, "new_evidence": true}), "TO_BE_RESOLVED", nil, true, false},
		{"not specific", named(obj{"content_unspecific": true}), "NOT_RESOLVED", []string{"NOT_SPECIFIC"}, false, false},
		{"no basis for verification", named(obj{"no_basis_for_verification": true}), "NOT_RESOLVED", []string{"NOT_SPECIFIC"}, false, false},
		{"no denunciation", named(obj{"no_denunciation_content": true}), "NOT_RESOLVED", []string{"NO_DENUNCIATION"}, false, false},
		{"a photocopied signature", named(obj{"not_personally_signed": true}), "NOT_RESOLVED", []string{"NOT_PERSONALLY_SIGNED"}, false, false},
		{"two signers", named(obj{"signers": 2}), "NOT_RESOLVED", []string{"MULTIPLE_SIGNERS"}, false, false},
		{"without full civil capacity", named(obj{"lacks_civil_capacity": true}), "NOT_RESOLVED", []string{"NO_CIVIL_CAPACITY"}, false, false},
		{"withdrawn", named(obj{"withdrawn": true}), "NOT_RESOLVED", []string{"WITHDRAWN"}, false, false},
		{"withdrawn under threat is still resolved", named(obj{"withdrawn": true, "withdrawal_coerced": true}), "TO_BE_RESOLVED", nil, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustEval(t, "R12", tc.req)
			res := result[IntakeResult](t, d)
			if d.Outcome != tc.want {
				t.Errorf("Outcome = %s, want %s", d.Outcome, tc.want)
			}
			if !slices.Equal(res.Grounds, tc.grounds) && !(len(res.Grounds) == 0 && len(tc.grounds) == 0) {
				t.Errorf("Grounds = %v, want %v", res.Grounds, tc.grounds)
			}
			if res.MayConclude != tc.mayConclude || res.MayFeedInspection != tc.mayFeed {
				t.Errorf("MayConclude, MayFeedInspection = %v, %v; want %v, %v", res.MayConclude, res.MayFeedInspection, tc.mayConclude, tc.mayFeed)
			}
		})
	}
}

func TestHandlerConflict(t *testing.T) {
	base := func(handler int64, role string) obj {
		return obj{"date": dQD296, "accused_ids": []int64{101}, "denouncer_ids": []int64{202}, "involved_ids": []int64{303},
			"handlers": []any{obj{"member_id": 404, "role": "TEAM_MEMBER"}, obj{"member_id": handler, "role": role}}}
	}
	tests := []struct {
		name    string
		handler int64
		role    string
		want    string
		as      string
	}{
		{"RULES §12: the accused presiding is blocked", 101, "PRESIDE", "BLOCKED", "ACCUSED"},
		{"the accused as a team member is blocked", 101, "TEAM_MEMBER", "BLOCKED", "ACCUSED"},
		{"the denouncer cannot resolve", 202, "RESOLVE", "BLOCKED", "DENOUNCER"},
		{"an involved person cannot resolve", 303, "RESOLVE", "BLOCKED", "INVOLVED"},
		{"an unrelated cadre may preside", 505, "PRESIDE", "ALLOWED", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustEval(t, "R13", base(tc.handler, tc.role))
			res := result[ConflictResult](t, d)
			if d.Outcome != tc.want {
				t.Errorf("Outcome = %s, want %s", d.Outcome, tc.want)
			}
			if tc.as == "" && len(res.Conflicts) != 0 || tc.as != "" && (len(res.Conflicts) != 1 || res.Conflicts[0].As != tc.as || res.Conflicts[0].MemberID != tc.handler) {
				t.Errorf("Conflicts = %+v, want one %s for %d", res.Conflicts, tc.as, tc.handler)
			}
			if !hasReason(d, "r13.identity") {
				t.Error("reasons do not state that the denouncer's identity is confidential")
			}
		})
	}
	mustInvalid(t, "R13", obj{"date": dQD296, "handlers": []any{obj{"member_id": 1, "role": "PRESIDE"}}}, "accused_ids", "rules.err.required")
}

func TestDenunciationClock(t *testing.T) {
	cal := calendar.Default()
	t.Run("clock starts at receipt by the competent organisation", func(t *testing.T) {
		d := mustEval(t, "R14", obj{"received_by_competent_on": "2025-09-03", "first_received_on": "2025-08-20", "level": "PROVINCIAL_OR_BELOW"})
		res := result[ClockResult](t, d)
		start := civil.MustParse("2025-09-03")
		if res.ClockStart != start {
			t.Errorf("ClockStart = %s, want 2025-09-03", res.ClockStart)
		}
		if n := cal.WorkingDaysBetween(start, res.Deadline); n != 90 || !cal.IsWorkingDay(res.Deadline) {
			t.Errorf("deadline %s is %d working days after the start, want the 90th", res.Deadline, n)
		}
		if d.Outcome != "DUE" || !d.Provisional {
			t.Errorf("Outcome, Provisional = %s, %v; want DUE, true (QĐ 30 values carried into QĐ 296)", d.Outcome, d.Provisional)
		}
	})
	t.Run("central level: 180 working days", func(t *testing.T) {
		res := result[ClockResult](t, mustEval(t, "R14", obj{"received_by_competent_on": "2024-03-04", "level": "CENTRAL"}))
		if n := cal.WorkingDaysBetween(civil.MustParse("2024-03-04"), res.Deadline); n != 180 {
			t.Errorf("deadline is %d working days after the start, want 180", n)
		}
	})
	t.Run("one extension of 30 working days", func(t *testing.T) {
		plain := result[ClockResult](t, mustEval(t, "R14", obj{"received_by_competent_on": "2025-09-03", "level": "PROVINCIAL_OR_BELOW"}))
		d := mustEval(t, "R14", obj{"received_by_competent_on": "2025-09-03", "level": "PROVINCIAL_OR_BELOW", "extensions": []any{obj{"n": 30}}})
		res := result[ClockResult](t, d)
		if n := cal.WorkingDaysBetween(plain.Deadline, res.Deadline); n != 30 || d.Outcome != "DUE" {
			t.Errorf("extension adds %d working days (outcome %s), want 30 (DUE)", n, d.Outcome)
		}
	})
	t.Run("a second extension is rejected", func(t *testing.T) {
		d := mustEval(t, "R14", obj{"received_by_competent_on": "2025-09-03", "level": "PROVINCIAL_OR_BELOW", "extensions": []any{obj{"n": 10}, obj{"n": 10}}})
		res := result[ClockResult](t, d)
		if d.Outcome != "EXTENSION_REJECTED" || res.RejectedExtension == nil || *res.RejectedExtension != 1 || res.AcceptedExtensions != 1 {
			t.Errorf("Outcome %s, rejected %v, accepted %d; want EXTENSION_REJECTED, 1, 1", d.Outcome, res.RejectedExtension, res.AcceptedExtensions)
		}
	})
	t.Run("an extension over 30 working days is rejected", func(t *testing.T) {
		d := mustEval(t, "R14", obj{"received_by_competent_on": "2025-09-03", "level": "PROVINCIAL_OR_BELOW", "extensions": []any{obj{"n": 31}}})
		if res := result[ClockResult](t, d); d.Outcome != "EXTENSION_REJECTED" || *res.RejectedExtension != 0 {
			t.Errorf("Outcome = %s, want EXTENSION_REJECTED at 0", d.Outcome)
		}
	})
	// Congress opening Friday 2025-10-10. Working days from the receipt
	// (inclusive) to the opening (exclusive), 2/9 and 1/9 being holidays:
	// from 2025-09-05: 25; from 2025-09-04: 26; from 2025-08-29: 28.
	congress := func(recv, level string) obj {
		return obj{"received_by_competent_on": recv, "level": "PROVINCIAL_OR_BELOW",
			"congress": obj{"opening_date": "2025-10-10", "level": level, "related": true}}
	}
	for _, tc := range []struct {
		name, recv, level, want string
	}{
		{"grassroots: 25th working day before is held", "2025-09-05", "GRASSROOTS", "HELD_FOR_CONGRESS"},
		{"grassroots: 26th working day before is not held", "2025-09-04", "GRASSROOTS", "DUE"},
		{"above grassroots: 28 working days before is held", "2025-08-29", "ABOVE_GRASSROOTS", "HELD_FOR_CONGRESS"},
		{"above grassroots: 26 working days before is held", "2025-09-04", "ABOVE_GRASSROOTS", "HELD_FOR_CONGRESS"},
		{"after the opening the hold ends", "2025-10-10", "GRASSROOTS", "DUE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := mustEval(t, "R14", congress(tc.recv, tc.level)); d.Outcome != tc.want {
				t.Errorf("Outcome = %s, want %s", d.Outcome, tc.want)
			}
		})
	}
	t.Run("unrelated denunciations are not held", func(t *testing.T) {
		r := congress("2025-09-05", "GRASSROOTS")
		r["congress"].(obj)["related"] = false
		if d := mustEval(t, "R14", r); d.Outcome != "DUE" {
			t.Errorf("Outcome = %s, want DUE", d.Outcome)
		}
	})
	mustInvalid(t, "R14", obj{"received_by_competent_on": "2025-09-03", "first_received_on": "2025-09-10", "level": "CENTRAL"},
		"received_by_competent_on", "rules.err.date_order")
}
