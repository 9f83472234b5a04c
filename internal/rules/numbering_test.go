package rules

import "testing"

func TestDocumentNumber(t *testing.T) {
	terms := []any{
		obj{"name": "2020–2025", "start": "2020-08-20", "end": "2025-10-15"},
		obj{"name": "2025–2030", "start": "2025-10-16"},
	}
	tests := []struct {
		name      string
		date      string
		last      obj
		secret    bool
		want      int
		formatted string
		term      string
	}{
		{"RULES §12: a new term restarts at 01", "2025-10-20", obj{"term": "2020–2025", "number": 57}, false, 1, "Số 01-QĐ/UBKTĐU", "2025–2030"},
		{"same term continues", "2025-09-01", obj{"term": "2020–2025", "number": 57}, false, 58, "Số 58-QĐ/UBKTĐU", "2020–2025"},
		{"the last day of a term stays in it", "2025-10-15", obj{"term": "2020–2025", "number": 9}, false, 10, "Số 10-QĐ/UBKTĐU", "2020–2025"},
		{"first document of a term", "2025-11-01", nil, false, 1, "Số 01-QĐ/UBKTĐU", "2025–2030"},
		{"numbers go past two digits", "2026-03-02", obj{"term": "2025–2030", "number": 99}, false, 100, "Số 100-QĐ/UBKTĐU", "2025–2030"},
		{"secret documents share the sequence", "2026-03-02", obj{"term": "2025–2030", "number": 4}, true, 5, "Số 05-QĐ/UBKTĐU", "2025–2030"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := obj{"date": tc.date, "issuer": "UBKTĐU", "doc_type": "QĐ", "secret": tc.secret, "terms": terms}
			if tc.last != nil {
				req["last_used"] = tc.last
			}
			d := mustEval(t, "R17", req)
			res := result[NumberingResult](t, d)
			if res.Number != tc.want || res.Formatted != tc.formatted || res.Term != tc.term {
				t.Errorf("got %d %q %q, want %d %q %q", res.Number, res.Formatted, res.Term, tc.want, tc.formatted, tc.term)
			}
			if tc.secret && !cited(d, keyNumSecret) {
				t.Error("secret numbering does not cite the shared-sequence rule")
			}
		})
	}
	base := obj{"date": "2025-10-20", "issuer": "UBKTĐU", "doc_type": "QĐ", "terms": terms}
	with := func(k string, v any) obj {
		r := obj{}
		for kk, vv := range base {
			r[kk] = vv
		}
		r[k] = v
		return r
	}
	mustInvalid(t, "R17", with("date", "2019-01-01"), "date", "rules.err.no_term")
	mustInvalid(t, "R17", with("last_used", obj{"term": "2030–2035", "number": 1}), "last_used.term", "rules.err.unknown_term")
	mustInvalid(t, "R17", with("issuer", "UBKT/ĐU"), "issuer", "rules.err.symbol")
	mustInvalid(t, "R17", with("terms", []any{obj{"name": "A", "start": "2020-01-01", "end": "2025-12-31"}, obj{"name": "B", "start": "2025-06-01"}}),
		"terms[1].start", "rules.err.terms_overlap")
	r := with("date", "2024-01-01")
	r["last_used"] = obj{"term": "2025–2030", "number": 3}
	mustInvalid(t, "R17", r, "last_used.term", "rules.err.last_after")
}
