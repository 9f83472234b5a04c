package rules

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"ktgs"
	"ktgs/internal/civil"
)

// obj is a JSON object in a test request.
type obj = map[string]any

// Dates inside each party rule set.
const (
	dQD30  = "2019-05-15"
	dQD22  = "2024-05-15"
	dQD296 = "2025-09-15"
	dQD21  = "2026-06-15"
)

// tree is the organisation tree of the tests: a province with a district
// (before 1/7/2025) and communes (after), grassroots units and chi bộ.
var tree = map[int64]struct {
	typ, name string
	parent    int64
}{
	1:  {"TW", "Trung ương", 0},
	10: {"DANG_BO_TRUC_THUOC_TW", "Đảng bộ tỉnh Thái Nguyên", 1},
	11: {"DANG_BO_TRUC_THUOC_TW", "Đảng bộ tỉnh Tuyên Quang", 1},
	12: {"CHI_BO_CO_SO", "Chi bộ xã Lâm Bình", 11},
	20: {"DANG_BO_HUYEN", "Đảng bộ huyện Định Hóa", 10},
	30: {"CHI_BO_CO_SO", "Chi bộ xóm Bản Piềng", 20},
	31: {"CHI_BO_CO_SO", "Chi bộ cơ quan Huyện ủy Định Hóa", 20},
	40: {"DANG_BO_CO_SO", "Đảng bộ xã Bảo Linh", 20},
	41: {"CHI_BO_TRUC_THUOC", "Chi bộ thôn Nà Mòn", 40},
	50: {"DANG_BO_XA_PHUONG_DAC_KHU", "Đảng bộ xã Định Hóa", 10},
	60: {"CHI_BO_CO_SO", "Chi bộ thôn Bản Lải", 50},
	61: {"CHI_BO_CO_SO", "Chi bộ cơ quan Đảng ủy xã Định Hóa", 50},
	70: {"DANG_BO_CO_SO", "Đảng bộ Trường THPT Định Hóa", 50},
	71: {"CHI_BO_TRUC_THUOC", "Chi bộ Tổ Toán – Tin", 70},
	72: {"DANG_BO_BO_PHAN", "Đảng bộ bộ phận khối văn phòng", 70},
	73: {"CHI_BO_TRUC_THUOC", "Chi bộ Văn phòng", 72},
	80: {"DANG_UY_CAP_TREN_TRUC_TIEP_CO_SO", "Đảng bộ các cơ quan Đảng tỉnh Thái Nguyên", 10},
	81: {"CHI_BO_CO_SO", "Chi bộ Văn phòng Tỉnh ủy", 80},
	82: {"CHI_BO_CO_SO", "Chi bộ Sở Tài chính", 80},
	90: {"DANG_BO_XA_PHUONG_DAC_KHU", "Đảng bộ phường Phan Đình Phùng", 10},
	91: {"CHI_BO_CO_SO", "Chi bộ tổ dân phố số 5", 90},
}

// orgRef returns the request reference of organisation id with its path.
func orgRef(id int64) obj {
	var path []any
	for n := id; n != 0; n = tree[n].parent {
		path = append([]any{obj{"id": n, "type": tree[n].typ, "name": tree[n].name}}, path...)
	}
	return obj{"id": id, "type": tree[id].typ, "path": path}
}

// bodyAt returns a body reference.
func bodyAt(kind string, id int64) obj { return obj{"kind": kind, "org": orgRef(id)} }

// seatAt returns a committee membership.
func seatAt(kind string, id int64) obj { return obj{"body": kind, "org": orgRef(id)} }

// eval evaluates rule for req (marshalled to JSON).
func eval(t *testing.T, rule string, req any) (*Decision, error) {
	t.Helper()
	data, err := json.Marshal(req)
	if err != nil {
		t.Fatalf("marshal request: %v", err)
	}
	return Evaluate(rule, data)
}

// mustEval evaluates and fails the test on error; it checks the
// invariants every decision must satisfy.
func mustEval(t *testing.T, rule string, req any) *Decision {
	t.Helper()
	d, err := eval(t, rule, req)
	if err != nil {
		t.Fatalf("Evaluate(%s) error: %v", rule, err)
	}
	checkDecision(t, d)
	return d
}

// mustInvalid evaluates, expects an EINVALID *ktgs.Error with an error on
// field with message key, and returns it.
func mustInvalid(t *testing.T, rule string, req any, field, key string) *ktgs.Error {
	t.Helper()
	d, err := eval(t, rule, req)
	if err == nil {
		t.Fatalf("Evaluate(%s) = outcome %s, want an error on %s", rule, d.Outcome, field)
	}
	e, ok := err.(*ktgs.Error)
	if !ok || e.Code != ktgs.EINVALID {
		t.Fatalf("error = %T %v, want *ktgs.Error with code %s", err, err, ktgs.EINVALID)
	}
	f, ok := e.Fields[field]
	if !ok {
		t.Fatalf("error fields = %v, want field %q", e.Fields, field)
	}
	if f.Key != key {
		t.Errorf("field %s key = %q, want %q", field, f.Key, key)
	}
	if _, ok := catalog()["vi"][f.Key]; !ok {
		t.Errorf("message key %q missing from messages.json", f.Key)
	}
	return e
}

// checkDecision checks what every decision must satisfy: a known rule set,
// rendered reasons without leftover placeholders, complete citations, and
// Provisional consistent with the citations.
func checkDecision(t *testing.T, d *Decision) {
	t.Helper()
	if d.Outcome == "" || d.RuleSet == "" || d.Result == nil {
		t.Errorf("decision missing outcome, rule set or result: %+v", d)
	}
	for _, r := range d.Reasons {
		for _, s := range []string{r.VI, r.EN} {
			if s == "" || strings.HasPrefix(s, "rules.") || strings.Contains(s, "{0}") || strings.Contains(s, "rules.code.") || strings.Contains(s, "%!") {
				t.Errorf("reason %s badly rendered: %q", r.Code, s)
			}
		}
	}
	provisional := false
	for _, c := range d.Citations {
		if c.Regulation == "" || c.Article == "" || c.ValueKey == "" || !c.Confidence.Valid() {
			t.Errorf("incomplete citation %+v", c)
		}
		if c.Confidence != Verified {
			provisional = true
		}
	}
	set, ok := Default().RuleSet(seriesOf(d.Rule), civilDateOfSet(t, d.RuleSet))
	if ok && set.Provisional {
		provisional = true
	}
	if provisional && !d.Provisional {
		t.Errorf("Provisional = false, want true (a citation is not verified or the set is provisional)")
	}
	if !provisional && d.Provisional && !hasReason(d, "calendar_not_covered") {
		t.Errorf("Provisional = true without an unverified citation, a provisional set or an uncovered calendar year")
	}
}

// seriesOf returns the series of rule.
func seriesOf(rule string) string {
	if rule == "R16" {
		return SeriesAntiCorruption
	}
	return SeriesParty
}

// civilDateOfSet returns the first day of the rule set id.
func civilDateOfSet(t *testing.T, id string) (d civil.Date) {
	t.Helper()
	for _, s := range Default().RuleSets() {
		if s.ID == id {
			return s.EffectiveFrom
		}
	}
	t.Fatalf("unknown rule set %q", id)
	return 0
}

// result returns the typed result of d.
func result[T any](t *testing.T, d *Decision) *T {
	t.Helper()
	r, ok := d.Result.(*T)
	if !ok {
		t.Fatalf("Result is %T, want *%T", d.Result, *new(T))
	}
	return r
}

// hasReason reports whether d has a reason with code.
func hasReason(d *Decision, code string) bool {
	for _, r := range d.Reasons {
		if r.Code == code {
			return true
		}
	}
	return false
}

// cited reports whether d cites value key.
func cited(d *Decision, key string) bool {
	for _, c := range d.Citations {
		if c.ValueKey == key {
			return true
		}
	}
	return false
}

// refString prints a body ref as KIND@org.
func refString(r *BodyRef) string {
	if r == nil {
		return ""
	}
	return fmt.Sprintf("%s@%d", r.Kind, r.OrgID)
}
