package rules

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"ktgs"
)

var placeholder = regexp.MustCompile(`\{\d+\}`)

func TestMessages(t *testing.T) {
	m := Messages()
	vi, en := m["vi"], m["en"]
	if len(vi) == 0 || len(vi) != len(en) {
		t.Fatalf("catalogue sizes vi %d, en %d", len(vi), len(en))
	}
	for k, v := range vi {
		e, ok := en[k]
		if !ok {
			t.Errorf("%s has no English text", k)
			continue
		}
		if a, b := placeholder.FindAllString(v, -1), placeholder.FindAllString(e, -1); strings.Join(sortedCopy(a), ",") != strings.Join(sortedCopy(b), ",") {
			t.Errorf("%s placeholders differ: vi %v, en %v", k, a, b)
		}
		if !norm.NFC.IsNormalString(v) {
			t.Errorf("%s Vietnamese text is not NFC", k)
		}
		if strings.TrimSpace(v) != v || v == "" {
			t.Errorf("%s has empty or untrimmed text", k)
		}
	}
	// Messages returns a copy.
	m["vi"]["rules.err.required"] = "x"
	if Messages()["vi"]["rules.err.required"] == "x" {
		t.Error("Messages exposes the shared catalogue")
	}
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	for i := range c {
		for j := i + 1; j < len(c); j++ {
			if c[j] < c[i] {
				c[i], c[j] = c[j], c[i]
			}
		}
	}
	return c
}

// TestMessageKeysUsed finds every message key and reason code written in
// the package source and checks the catalogue has it.
func TestMessageKeysUsed(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	cat := Messages()["vi"]
	reason := regexp.MustCompile(`^r\d+\.[a-z_.]+[a-z]$|^calendar_not_covered$`)
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, _ := strconv.Unquote(lit.Value)
			switch {
			case strings.HasPrefix(s, "rules.err.") || strings.HasPrefix(s, "rules.word."):
				seen++
				if _, ok := cat[s]; !ok {
					t.Errorf("%s: key %q missing", fset.Position(lit.Pos()), s)
				}
			case reason.MatchString(s) && !strings.HasSuffix(s, "_"):
				seen++
				if _, ok := cat["rules.reason."+s]; !ok && !dynamicPrefix(s) {
					t.Errorf("%s: reason %q missing", fset.Position(lit.Pos()), s)
				}
			}
			return true
		})
	}
	if seen < 100 {
		t.Errorf("found only %d keys; is the scan broken?", seen)
	}
	// Keys built at run time.
	dynamic := []string{"r13.conflict_accused", "r13.conflict_denouncer", "r13.conflict_involved",
		"r18.state_discipline", "r18.law_enforcement", "r2.several_highest_decide", "r2.several_highest_propose",
		"r2.several_lower_seat_decide", "r2.several_lower_seat_propose"}
	for _, k := range dynamic {
		if _, ok := cat["rules.reason."+k]; !ok {
			t.Errorf("reason %q missing", k)
		}
	}
	labels := []string{"err.invalid_input"}
	for _, f := range Forms {
		labels = append(labels, "rules.form."+string(f))
	}
	for _, b := range BodyKinds {
		labels = append(labels, "rules.body."+string(b))
		if b != BodyPolitburo && b != BodySecretariat && b != BodyCentralCommittee {
			labels = append(labels, "rules.bodyof."+string(b))
		}
	}
	for _, b := range bodiesOf(ktgs.OrgTypeCentral) {
		labels = append(labels, "rules.bodyof.TW."+string(b))
	}
	for _, o := range ktgs.OrgTypes {
		labels = append(labels, "rules.code.org_type."+string(o))
	}
	for _, c := range Categories {
		labels = append(labels, "rules.code.category."+c)
	}
	for _, s := range Scopes {
		labels = append(labels, "rules.code.scope."+string(s))
	}
	for _, lists := range []struct {
		list  string
		codes []string
	}{{"complaint_ground", complaintGrounds}, {"denunciation_ground", denunciationGrounds}, {"action", freezeActions}, {"measure", restorationMeasures},
		{"case_kind", strs(InitiationKinds)}, {"initiation_scope", initiationScopes}, {"chi_bo_exclusion", chiBoExclusions}} {
		for _, c := range lists.codes {
			labels = append(labels, "rules.code."+lists.list+"."+c)
		}
	}
	for _, r := range Rules() {
		labels = append(labels, "rules.rule."+r.ID)
	}
	for _, k := range labels {
		if _, ok := cat[k]; !ok {
			t.Errorf("label %q missing", k)
		}
	}
}

// dynamicPrefix reports whether s is a prefix completed at run time.
func dynamicPrefix(s string) bool {
	return s == "r2.several_highest" || s == "r2.several_lower_seat"
}

func TestRulesList(t *testing.T) {
	rules := Rules()
	if len(rules) != 20 {
		t.Fatalf("len(Rules()) = %d, want 20", len(rules))
	}
	for i, r := range rules {
		if r.ID != "R"+strconv.Itoa(i+1) || r.Alias == "" || r.Title["vi"] == "" || r.Title["en"] == "" {
			t.Errorf("Rules()[%d] = %+v", i, r)
		}
		if _, ok := lookupRule(strings.ToLower(r.Alias)); !ok {
			t.Errorf("alias %q not found", r.Alias)
		}
	}
	if r := rules[19]; r.ID != "R20" || r.Alias != "case-initiation" {
		t.Errorf("Rules()[19] = %+v, want R20 case-initiation", r)
	}
	e := mustInvalidRule(t, "R21")
	if e.Fields["rule"].Key != "rules.err.unknown_rule" {
		t.Errorf("unknown rule key = %q", e.Fields["rule"].Key)
	}
}

func mustInvalidRule(t *testing.T, rule string) *ktgs.Error {
	t.Helper()
	_, err := Evaluate(rule, []byte(`{}`))
	e, ok := err.(*ktgs.Error)
	if !ok || e.Code != ktgs.EINVALID {
		t.Fatalf("Evaluate(%q) error = %v, want EINVALID", rule, err)
	}
	return e
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, body, field, key string
	}{
		{"empty", "  ", "request", "rules.err.empty"},
		{"not JSON", "{decision_date:", "request", "rules.err.json_syntax"},
		{"trailing data", `{"decision_date": "2025-01-01", "subject": {"kind": "ORG"}} {}`, "request", "rules.err.json_trailing"},
		{"not an object", `[1, 2]`, "request", "rules.err.json_object"},
		{"unknown top-level member", `{"decision_date": "2025-01-01", "subject": {"kind": "ORG"}, "force": true}`, "force", "rules.err.unknown_field"},
		{"wrong type", `{"decision_date": 20250101, "subject": {"kind": "ORG"}}`, "decision_date", "rules.err.json_type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Evaluate("R1", []byte(tc.body))
			e, ok := err.(*ktgs.Error)
			if !ok || e.Code != ktgs.EINVALID || e.Fields[tc.field].Key != tc.key {
				t.Errorf("error = %v, want %s on %s", err, tc.key, tc.field)
			}
		})
	}
}
