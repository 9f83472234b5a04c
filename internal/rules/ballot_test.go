package rules

import (
	"testing"
)

// ballotReq builds a ballot request with counts.
func ballotReq(purpose string, subject obj, official int, votes obj) obj {
	return obj{"decision_date": dQD296, "subject": subject, "purpose": purpose,
		"meeting": obj{"voters": "OFFICIAL_MEMBERS", "official": official}, "ballot": obj{"secret": true, "votes": votes}}
}

var (
	officialWithPost = obj{"kind": "MEMBER", "status": "CHINH_THUC", "holds_post": true}
	officialNoPost   = obj{"kind": "MEMBER", "status": "CHINH_THUC"}
)

// TestBallotThreshold is R3: > 1/2, and >= 2/3 to propose expulsion.
func TestBallotThreshold(t *testing.T) {
	tests := []struct {
		name     string
		purpose  string
		form     string
		official int
		votes    int
		want     string
		required int
	}{
		{"10 of 20 is not more than half", "DECIDE", "KHIEN_TRACH", 20, 10, "FAILED", 11},
		{"11 of 20 passes", "DECIDE", "KHIEN_TRACH", 20, 11, "PASSED", 11},
		{"expulsion proposal 13 of 20 fails", "PROPOSE", "KHAI_TRU", 20, 13, "FAILED", 14},
		{"expulsion proposal 14 of 20 passes", "PROPOSE", "KHAI_TRU", 20, 14, "PASSED", 14},
		{"T2: 10 of 15 is exactly two thirds", "PROPOSE", "KHAI_TRU", 15, 10, "PASSED", 10},
		{"9 of 15 misses two thirds", "PROPOSE", "KHAI_TRU", 15, 9, "FAILED", 10},
		{"expulsion decision needs only more than half", "DECIDE", "KHAI_TRU", 20, 11, "PASSED", 11},
		{"odd denominator", "DECIDE", "CANH_CAO", 7, 4, "PASSED", 4},
		{"odd denominator fails", "DECIDE", "CANH_CAO", 7, 3, "FAILED", 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := ballotReq(tc.purpose, officialNoPost, tc.official, obj{tc.form: tc.votes})
			req["form"] = tc.form
			d := mustEval(t, "R3", req)
			if d.Outcome != tc.want {
				t.Errorf("Outcome = %s, want %s", d.Outcome, tc.want)
			}
			res := result[BallotResult](t, d)
			for _, row := range res.Tally {
				if row.Form == Form(tc.form) && row.Required != tc.required {
					t.Errorf("Required = %d, want %d", row.Required, tc.required)
				}
			}
		})
	}
}

// TestBallotCumulation is R4 with the worked example of RULES.md §12.
func TestBallotCumulation(t *testing.T) {
	tests := []struct {
		name    string
		purpose string
		subject obj
		votes   obj
		total   int
		want    string
		adopted Form
	}{
		{"RULES §12 example decides a warning", "DECIDE", officialWithPost,
			obj{"KHAI_TRU": 5, "CACH_CHUC": 2, "CANH_CAO": 4, "KHIEN_TRACH": 9}, 20, "PASSED", FormWarning},
		{"a heavy form passing alone", "DECIDE", officialWithPost, obj{"CACH_CHUC": 12, "KHIEN_TRACH": 8}, 20, "PASSED", FormRemoval},
		{"Thanh Hóa example: expulsion proposal fails, warning adopted", "PROPOSE", officialNoPost,
			obj{"KHAI_TRU": 5, "CANH_CAO": 10}, 15, "PASSED", FormWarning},
		{"12 of 20 for expulsion cumulate into removal", "PROPOSE", officialWithPost, obj{"KHAI_TRU": 12}, 20, "PASSED", FormRemoval},
		{"no form reaches the threshold", "DECIDE", officialWithPost, obj{"KHAI_TRU": 2, "KHIEN_TRACH": 3}, 20, "FAILED", ""},
		{"organisation dissolution proposal", "PROPOSE", obj{"kind": "ORG"}, obj{"GIAI_TAN": 6, "CANH_CAO": 2}, 9, "PASSED", FormDissolution},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustEval(t, "R4", ballotReq(tc.purpose, tc.subject, tc.total, tc.votes))
			if d.Outcome != tc.want {
				t.Errorf("Outcome = %s, want %s", d.Outcome, tc.want)
			}
			if got := result[BallotResult](t, d).AdoptedForm; got != tc.adopted {
				t.Errorf("AdoptedForm = %q, want %q", got, tc.adopted)
			}
		})
	}
	t.Run("tally is heaviest first with cumulative votes", func(t *testing.T) {
		d := mustEval(t, "R4", ballotReq("DECIDE", officialWithPost, 20, obj{"KHAI_TRU": 5, "CACH_CHUC": 2, "CANH_CAO": 4, "KHIEN_TRACH": 9}))
		want := []struct {
			form Form
			cum  int
		}{{FormExpulsion, 5}, {FormRemoval, 7}, {FormWarning, 11}, {FormReprimand, 20}}
		tally := result[BallotResult](t, d).Tally
		if len(tally) != len(want) {
			t.Fatalf("len(Tally) = %d, want %d", len(tally), len(want))
		}
		for i, w := range want {
			if tally[i].Form != w.form || tally[i].Cumulative != w.cum {
				t.Errorf("Tally[%d] = %s/%d, want %s/%d", i, tally[i].Form, tally[i].Cumulative, w.form, w.cum)
			}
		}
	})
}

// TestBallotDenominator is R5.
func TestBallotDenominator(t *testing.T) {
	present, absent := true, false
	roll := func(status string, present bool, temp, exempt bool) obj {
		return obj{"status": status, "present": present, "temporarily_attached_elsewhere": temp, "exempted": exempt}
	}
	var rollRULES []any
	for i := 0; i < 17; i++ {
		rollRULES = append(rollRULES, roll("CHINH_THUC", present, false, false))
	}
	for i := 0; i < 3; i++ {
		rollRULES = append(rollRULES, roll("CHINH_THUC", absent, false, false))
	}
	rollRULES = append(rollRULES, roll("DU_BI", present, false, false), roll("DU_BI", present, false, false))
	tests := []struct {
		name    string
		meeting obj
		want    int
		present int
	}{
		{"RULES §12: 20 official, 2 probationary, 3 absent on business", obj{"voters": "OFFICIAL_MEMBERS", "official": 20, "probationary": 2, "absent_other": 3}, 20, 17},
		{"the same as a roll", obj{"voters": "OFFICIAL_MEMBERS", "roll": rollRULES}, 20, 17},
		{"absent attached elsewhere and exempted leave", obj{"voters": "OFFICIAL_MEMBERS", "official": 20, "absent_temporarily_attached": 2, "absent_exempted": 1, "absent_other": 1}, 17, 16},
		{"present exempted members count", obj{"voters": "OFFICIAL_MEMBERS", "roll": []any{roll("CHINH_THUC", present, false, true), roll("CHINH_THUC", present, true, false), roll("CHINH_THUC", absent, false, true)}}, 2, 2},
		{"a body counts all its members", obj{"voters": "BODY_MEMBERS", "official": 9, "absent_other": 2}, 9, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustEval(t, "R5", obj{"decision_date": dQD296, "meeting": tc.meeting})
			res := result[BallotResult](t, d)
			if d.Outcome != "COMPUTED" || res.Denominator != tc.want || res.Present != tc.present {
				t.Errorf("Outcome, Denominator, Present = %s, %d, %d; want COMPUTED, %d, %d", d.Outcome, res.Denominator, res.Present, tc.want, tc.present)
			}
		})
	}
	t.Run("probationary votes never count toward the threshold", func(t *testing.T) {
		d := mustEval(t, "R3", obj{"decision_date": dQD296, "subject": officialNoPost, "purpose": "DECIDE", "form": "KHIEN_TRACH",
			"meeting": obj{"voters": "OFFICIAL_MEMBERS", "official": 20, "probationary": 2}, "ballot": obj{"votes": obj{"KHIEN_TRACH": 11}}})
		if res := result[BallotResult](t, d); res.Denominator != 20 || d.Outcome != "PASSED" {
			t.Errorf("Denominator, Outcome = %d, %s; want 20, PASSED", res.Denominator, d.Outcome)
		}
	})
}

func TestBallotErrors(t *testing.T) {
	t.Run("votes above the members", func(t *testing.T) {
		mustInvalid(t, "R4", ballotReq("DECIDE", officialWithPost, 20, obj{"KHAI_TRU": 21}), "ballot.votes.KHAI_TRU", "rules.err.votes_exceed")
	})
	t.Run("votes above those present", func(t *testing.T) {
		r := ballotReq("DECIDE", officialWithPost, 20, obj{"KHAI_TRU": 10, "CANH_CAO": 10})
		r["meeting"].(obj)["absent_other"] = 1
		mustInvalid(t, "R4", r, "ballot.votes", "rules.err.votes_total")
	})
	t.Run("expulsion of a probationary member", func(t *testing.T) {
		mustInvalid(t, "R4", ballotReq("PROPOSE", obj{"kind": "MEMBER", "status": "DU_BI"}, 20, obj{"KHAI_TRU": 15}), "ballot.votes.KHAI_TRU", "rules.err.expel_probationary")
	})
	t.Run("unknown form in the ballot", func(t *testing.T) {
		mustInvalid(t, "R4", ballotReq("DECIDE", officialWithPost, 20, obj{"PHE_BINH": 15}), "ballot.votes.PHE_BINH", "rules.err.unknown_value")
	})
	t.Run("open ballot", func(t *testing.T) {
		r := ballotReq("DECIDE", officialWithPost, 20, obj{"CANH_CAO": 15})
		r["ballot"].(obj)["secret"] = false
		e := mustInvalid(t, "R4", r, "ballot.secret", "rules.err.not_secret")
		if e.Fields["ballot.secret"].Rule == "" {
			t.Error("open-ballot error lacks its rule")
		}
	})
	t.Run("absent above official", func(t *testing.T) {
		mustInvalid(t, "R5", obj{"decision_date": dQD296, "meeting": obj{"voters": "OFFICIAL_MEMBERS", "official": 3, "absent_other": 4}},
			"meeting.absent_other", "rules.err.absent_exceeds")
	})
	t.Run("roll and counts", func(t *testing.T) {
		mustInvalid(t, "R5", obj{"decision_date": dQD296, "meeting": obj{"voters": "OFFICIAL_MEMBERS", "official": 3, "roll": []any{}}},
			"meeting.roll", "rules.err.roll_or_counts")
	})
	t.Run("wrong type", func(t *testing.T) {
		mustInvalid(t, "R5", obj{"decision_date": dQD296, "meeting": obj{"voters": "OFFICIAL_MEMBERS", "official": "hai mươi"}},
			"meeting.official", "rules.err.json_type")
	})
	t.Run("R3 needs a form", func(t *testing.T) {
		mustInvalid(t, "R3", ballotReq("DECIDE", officialWithPost, 20, obj{"CANH_CAO": 15}), "form", "rules.err.required")
	})
}
