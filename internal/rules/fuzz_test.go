package rules

import (
	"testing"
	"time"

	"ktgs"
)

// FuzzEvaluate feeds random rule names and request bodies to Evaluate:
// every call must end in a decision or an EINVALID *ktgs.Error, never a
// panic or another error type. The seeds are the document's examples,
// each also sent to every other rule.
func FuzzEvaluate(f *testing.F) {
	_, examples := docExamples(f)
	var bodies []string
	for _, ex := range examples {
		if ex.kind == "request" {
			f.Add(ex.rule, []byte(ex.body))
			bodies = append(bodies, ex.body)
		}
	}
	for _, r := range Rules() {
		f.Add(r.Alias, []byte(`{}`))
		for _, b := range bodies {
			f.Add(r.ID, []byte(b))
		}
	}
	f.Add("R2", []byte(`{"decision_date":"2025-09-15","subject":{"kind":"MEMBER","status":"CHINH_THUC","home_org":{"id":1,"type":"TW","path":[{"id":1,"type":"TW"}]}},"body":{"kind":"BCH_TW","org":{"id":1,"type":"TW","path":[{"id":1,"type":"TW"}]}},"form":"KHAI_TRU","violation":{"category":"KHAC","scope":"CORE"}}`))
	f.Add("nonsense", []byte(`null`))
	f.Fuzz(func(t *testing.T, rule string, req []byte) {
		start := time.Now()
		d, err := Evaluate(rule, req)
		if el := time.Since(start); el > 2*time.Second {
			t.Fatalf("Evaluate(%q, %q) took %s", rule, req, el)
		}
		if err == nil {
			if d == nil || d.Outcome == "" || d.RuleSet == "" || d.Result == nil {
				t.Fatalf("Evaluate(%q) = %+v with nil error", rule, d)
			}
			return
		}
		e, ok := err.(*ktgs.Error)
		if !ok || e.Code != ktgs.EINVALID || len(e.Fields) == 0 {
			t.Fatalf("Evaluate(%q) error %T %v, want an EINVALID *ktgs.Error with fields", rule, err, err)
		}
	})
}
