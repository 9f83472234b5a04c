package rules

import (
	"slices"
	"strings"
	"testing"
)

func TestAllowedForms(t *testing.T) {
	tests := []struct {
		name     string
		subject  obj
		form     string
		want     string
		wantForm []Form
	}{
		{"organisation", obj{"kind": "ORG"}, "", "LISTED", []Form{FormReprimand, FormWarning, FormDissolution}},
		{"official member holding a post", obj{"kind": "MEMBER", "status": "CHINH_THUC", "holds_post": true}, "", "LISTED",
			[]Form{FormReprimand, FormWarning, FormRemoval, FormExpulsion}},
		{"official member without a post", obj{"kind": "MEMBER", "status": "CHINH_THUC"}, "", "LISTED",
			[]Form{FormReprimand, FormWarning, FormExpulsion}},
		{"probationary member", obj{"kind": "MEMBER", "status": "DU_BI"}, "", "LISTED", []Form{FormReprimand, FormWarning}},
		{"probationary warning allowed", obj{"kind": "MEMBER", "status": "DU_BI"}, "CANH_CAO", "ALLOWED", []Form{FormReprimand, FormWarning}},
		{"organisation dissolution allowed", obj{"kind": "ORG"}, "GIAI_TAN", "ALLOWED", []Form{FormReprimand, FormWarning, FormDissolution}},
	}
	for _, set := range []string{dQD30, dQD22, dQD296, dQD21} {
		for _, tc := range tests {
			t.Run(set+"/"+tc.name, func(t *testing.T) {
				req := obj{"decision_date": set, "subject": tc.subject}
				if tc.form != "" {
					req["form"] = tc.form
				}
				d := mustEval(t, "R1", req)
				if d.Outcome != tc.want {
					t.Errorf("Outcome = %s, want %s", d.Outcome, tc.want)
				}
				if got := result[FormsResult](t, d).AllowedForms; !slices.Equal(got, tc.wantForm) {
					t.Errorf("AllowedForms = %v, want %v", got, tc.wantForm)
				}
			})
		}
	}
}

func TestAllowedFormsErrors(t *testing.T) {
	t.Run("probationary expulsion suggests xóa tên", func(t *testing.T) {
		e := mustInvalid(t, "R1", obj{"decision_date": dQD296, "subject": obj{"kind": "MEMBER", "status": "DU_BI"}, "form": "KHAI_TRU"},
			"form", "rules.err.expel_probationary")
		if got := e.Fields["form"].Rule; got != "Điều lệ Đảng (2011), Điều 35.2" {
			t.Errorf("Rule = %q, want Điều lệ Đảng (2011), Điều 35.2", got)
		}
		if e.Rule != "R1" {
			t.Errorf("Error.Rule = %q, want R1", e.Rule)
		}
		if msg := Messages()["vi"][e.Fields["form"].Key]; !strings.Contains(msg, "xóa tên") {
			t.Errorf("message %q does not suggest xóa tên", msg)
		}
	})
	t.Run("removal without a post", func(t *testing.T) {
		mustInvalid(t, "R1", obj{"decision_date": dQD296, "subject": obj{"kind": "MEMBER", "status": "CHINH_THUC", "holds_post": false}, "form": "CACH_CHUC"},
			"form", "rules.err.removal_no_post")
	})
	t.Run("member form for an organisation", func(t *testing.T) {
		mustInvalid(t, "R1", obj{"decision_date": dQD296, "subject": obj{"kind": "ORG"}, "form": "KHAI_TRU"}, "form", "rules.err.form_subject")
	})
	t.Run("unknown form", func(t *testing.T) {
		mustInvalid(t, "R1", obj{"decision_date": dQD296, "subject": obj{"kind": "ORG"}, "form": "XOA_TEN"}, "form", "rules.err.unknown_value")
	})
	t.Run("probationary Central Committee member", func(t *testing.T) {
		mustInvalid(t, "R1", obj{"decision_date": dQD296, "subject": obj{"kind": "MEMBER", "status": "DU_BI", "central_committee_member": true}},
			"subject.central_committee_member", "rules.err.probationary_cc")
	})
	t.Run("status for an organisation", func(t *testing.T) {
		mustInvalid(t, "R1", obj{"decision_date": dQD296, "subject": obj{"kind": "ORG", "status": "DU_BI"}}, "subject.status", "rules.err.member_only")
	})
	t.Run("missing status", func(t *testing.T) {
		mustInvalid(t, "R1", obj{"decision_date": dQD296, "subject": obj{"kind": "MEMBER"}}, "subject.status", "rules.err.required")
	})
	t.Run("date before 1930", func(t *testing.T) {
		mustInvalid(t, "R1", obj{"decision_date": "1929-06-01", "subject": obj{"kind": "ORG"}}, "decision_date", "rules.err.date_range")
	})
	t.Run("date after 2100", func(t *testing.T) {
		mustInvalid(t, "R1", obj{"decision_date": "2101-01-01", "subject": obj{"kind": "ORG"}}, "decision_date", "rules.err.date_range")
	})
	t.Run("not a date", func(t *testing.T) {
		mustInvalid(t, "R1", obj{"decision_date": "31/02/2025", "subject": obj{"kind": "ORG"}}, "decision_date", "rules.err.date")
	})
	t.Run("Vietnamese date form accepted", func(t *testing.T) {
		d := mustEval(t, "R1", obj{"decision_date": "15/09/2025", "subject": obj{"kind": "ORG"}})
		if d.RuleSet != "QD296_2025" {
			t.Errorf("RuleSet = %s, want QD296_2025", d.RuleSet)
		}
	})
}
