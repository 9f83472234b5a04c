package rules

import (
	"slices"
	"testing"

	"ktgs/internal/calendar"
	"ktgs/internal/civil"
)

func TestComplaintFiling(t *testing.T) {
	tests := []struct {
		name     string
		req      obj
		want     string
		set      string
		deadline string
		grounds  []string
	}{
		{"QĐ 296: day 30 is in time", obj{"announced_on": "2025-09-01", "filed_on": "2025-10-01"}, "ACCEPTED", "QD296_2025", "2025-10-01", nil},
		{"RULES §12: day 31 is late", obj{"announced_on": "2025-09-01", "filed_on": "2025-10-02"}, "NOT_ACCEPTED", "QD296_2025", "2025-10-01", []string{"LATE"}},
		{"QĐ 21 copies 30 days", obj{"announced_on": "2026-05-04", "filed_on": "2026-06-04"}, "NOT_ACCEPTED", "QD21_2026", "2026-06-03", []string{"LATE"}},
		// 30 working days from Tuesday 2024-10-01 (no holiday in between)
		// end on Tuesday 2024-11-12, 42 calendar days later.
		{"QĐ 22: 30 working days, last day", obj{"announced_on": "2024-10-01", "filed_on": "2024-11-12"}, "ACCEPTED", "QD22_2021", "2024-11-12", nil},
		{"QĐ 22: one working day late", obj{"announced_on": "2024-10-01", "filed_on": "2024-11-13"}, "NOT_ACCEPTED", "QD22_2021", "2024-11-12", []string{"LATE"}},
		{"on behalf of someone else", obj{"announced_on": "2025-09-01", "filed_on": "2025-09-10", "on_behalf": true}, "NOT_ACCEPTED", "QD296_2025", "2025-10-01", []string{"ON_BEHALF"}},
		{"before receiving the written decision", obj{"announced_on": "2025-09-01", "received_decision_on": "2025-09-05", "filed_on": "2025-09-03"}, "NOT_ACCEPTED", "QD296_2025", "2025-10-01", []string{"BEFORE_RECEIVING_DECISION"}},
		{"all other grounds", obj{"announced_on": "2025-09-01", "filed_on": "2025-09-10", "being_resolved_by_higher": true, "concluded_by_highest": true,
			"court_sentence": true, "refused_decision": true, "moved_out": true}, "NOT_ACCEPTED", "QD296_2025", "2025-10-01",
			[]string{"BEING_RESOLVED_BY_HIGHER", "CONCLUDED_BY_HIGHEST", "COURT_SENTENCE", "REFUSED_DECISION", "MOVED_OUT"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustEval(t, "R10", tc.req)
			res := result[ComplaintFilingResult](t, d)
			if d.Outcome != tc.want || d.RuleSet != tc.set {
				t.Errorf("Outcome, RuleSet = %s, %s; want %s, %s", d.Outcome, d.RuleSet, tc.want, tc.set)
			}
			if res.Deadline != civil.MustParse(tc.deadline) {
				t.Errorf("Deadline = %s, want %s", res.Deadline, tc.deadline)
			}
			if !slices.Equal(res.Grounds, tc.grounds) && !(len(res.Grounds) == 0 && len(tc.grounds) == 0) {
				t.Errorf("Grounds = %v, want %v", res.Grounds, tc.grounds)
			}
		})
	}
}

func TestComplaintFinalLevel(t *testing.T) {
	tests := []struct {
		name      string
		req       obj
		want      string
		final     string
		first     string
		wantCites []string
	}{
		{"warning by a provincial UBKT: UBKTTW is final", obj{"decision_date": dQD296, "form": "CANH_CAO", "deciding_body": bodyAt("UBKT", 10)},
			"OPEN", "UBKT@1", "BTV@10", []string{keyFinalUBKTTW}},
		{"expulsion by a commune UBKT: the Secretariat is final", obj{"decision_date": dQD296, "form": "KHAI_TRU", "deciding_body": bodyAt("UBKT", 50)},
			"OPEN", "BBT@1", "BTV@50", []string{keyFinalSecretariat}},
		{"a chi bộ's reprimand is first heard by the UBKT above", obj{"decision_date": dQD22, "form": "KHIEN_TRACH", "deciding_body": bodyAt("CHI_BO", 30)},
			"OPEN", "UBKT@1", "UBKT@20", nil},
		{"a Politburo decision: the Central Committee is final", obj{"decision_date": dQD296, "form": "CANH_CAO", "deciding_body": bodyAt("BCT", 1)},
			"OPEN", "BCH_TW@1", "BCH_TW@1", []string{keyFinalCentral}},
		{"escalation to the final level is allowed", obj{"decision_date": dQD296, "form": "CANH_CAO", "deciding_body": bodyAt("UBKT", 10),
			"resolved_by": []any{bodyAt("BTV", 10)}, "escalate_to": bodyAt("UBKT", 1)}, "ESCALATION_ALLOWED", "UBKT@1", "BTV@10", nil},
		{"escalation beyond the final level is refused", obj{"decision_date": dQD296, "form": "CANH_CAO", "deciding_body": bodyAt("UBKT", 10),
			"resolved_by": []any{bodyAt("BTV", 10)}, "escalate_to": bodyAt("BBT", 1)}, "ESCALATION_REFUSED", "UBKT@1", "BTV@10", nil},
		{"after the final level nothing more", obj{"decision_date": dQD296, "form": "CACH_CHUC", "deciding_body": bodyAt("UBKT", 10),
			"resolved_by": []any{bodyAt("BTV", 10), bodyAt("UBKT", 1)}, "escalate_to": bodyAt("BCH_TW", 1)}, "ESCALATION_REFUSED", "UBKT@1", "BTV@10", nil},
		{"final level reached", obj{"decision_date": dQD296, "form": "KHAI_TRU", "deciding_body": bodyAt("BTV", 10),
			"resolved_by": []any{bodyAt("UBKT", 1), bodyAt("BBT", 1)}}, "FINAL_LEVEL_REACHED", "BBT@1", "UBKT@1", nil},
		{"expulsion may pass through UBKTTW to the Secretariat", obj{"decision_date": dQD296, "form": "KHAI_TRU", "deciding_body": bodyAt("BTV", 10),
			"resolved_by": []any{bodyAt("UBKT", 1)}, "escalate_to": bodyAt("BBT", 1)}, "ESCALATION_ALLOWED", "BBT@1", "UBKT@1", nil},
		{"escalation downwards is refused", obj{"decision_date": dQD296, "form": "CANH_CAO", "deciding_body": bodyAt("BTV", 10),
			"escalate_to": bodyAt("UBKT", 50)}, "ESCALATION_REFUSED", "UBKT@1", "UBKT@1", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustEval(t, "R11", tc.req)
			res := result[ComplaintLevelResult](t, d)
			if d.Outcome != tc.want {
				t.Errorf("Outcome = %s, want %s", d.Outcome, tc.want)
			}
			if got := refString(&res.FinalLevel); got != tc.final {
				t.Errorf("FinalLevel = %s, want %s", got, tc.final)
			}
			if got := refString(res.FirstResolver); got != tc.first {
				t.Errorf("FirstResolver = %s, want %s", got, tc.first)
			}
			for _, k := range tc.wantCites {
				if !cited(d, k) {
					t.Errorf("citations lack %s", k)
				}
			}
		})
	}
	t.Run("QĐ 22 final levels are verified", func(t *testing.T) {
		d := mustEval(t, "R11", obj{"decision_date": dQD22, "form": "CANH_CAO", "deciding_body": bodyAt("UBKT", 10)})
		for _, c := range d.Citations {
			if c.ValueKey == keyFinalUBKTTW && c.Confidence != Verified {
				t.Errorf("QĐ 22 final-level confidence = %s, want verified", c.Confidence)
			}
		}
	})
	// The time limit to resolve (QĐ 30: 90 working days below the centre,
	// 180 at the centre; carried into QĐ 296 as unverified), from the
	// day the resolver received the complaint.
	t.Run("resolution limit below the centre", func(t *testing.T) {
		d := mustEval(t, "R11", obj{"decision_date": dQD296, "form": "CANH_CAO", "deciding_body": bodyAt("UBKT", 10), "received_on": "2025-10-01"})
		res := result[ComplaintLevelResult](t, d)
		want := calendar.Default().Add(civil.MustParse("2025-10-01"), 90, calendar.WorkingDays)
		if res.ResolveWithin == nil || res.ResolveWithin.N != 90 || res.ResolveBy != want || !cited(d, keyComplaintLimitLocal) {
			t.Errorf("resolve within %+v by %s, want 90 working days by %s, cited", res.ResolveWithin, res.ResolveBy, want)
		}
		for _, c := range d.Citations {
			if c.ValueKey == keyComplaintLimitLocal && c.Confidence != Unverified {
				t.Errorf("the QĐ 296 limit is %s, want unverified (QĐ 30 value carried over)", c.Confidence)
			}
		}
	})
	t.Run("resolution limit at the centre", func(t *testing.T) {
		d := mustEval(t, "R11", obj{"decision_date": dQD296, "form": "CANH_CAO", "deciding_body": bodyAt("UBKT", 10),
			"resolved_by": []any{bodyAt("BTV", 10)}, "escalate_to": bodyAt("UBKT", 1), "received_on": "2025-10-01"})
		res := result[ComplaintLevelResult](t, d)
		if res.ResolveWithin == nil || res.ResolveWithin.N != 180 || !cited(d, keyComplaintLimitTW) {
			t.Errorf("resolve within %+v, want 180 working days at the centre", res.ResolveWithin)
		}
	})
	t.Run("no limit asked without received_on", func(t *testing.T) {
		d := mustEval(t, "R11", obj{"decision_date": dQD296, "form": "CANH_CAO", "deciding_body": bodyAt("UBKT", 10)})
		if res := result[ComplaintLevelResult](t, d); res.ResolveWithin != nil || !res.ResolveBy.IsZero() {
			t.Errorf("a limit without a receipt date: %+v", res)
		}
	})
	mustInvalid(t, "R11", obj{"decision_date": dQD296, "form": "CANH_CAO", "deciding_body": bodyAt("UBKT", 10), "received_on": "2025-09-01"},
		"received_on", "rules.err.date_order")
	mustInvalid(t, "R11", obj{"decision_date": dQD296, "form": "CANH_CAO", "deciding_body": bodyAt("UBKT", 10),
		"resolved_by": []any{bodyAt("UBKT", 50)}}, "resolved_by[0]", "rules.err.not_higher")
	mustInvalid(t, "R11", obj{"decision_date": dQD296, "form": "CANH_CAO", "deciding_body": bodyAt("CHI_UY", 60)}, "deciding_body.kind", "rules.err.unknown_value")
}
