package rules

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"ktgs"
)

var updateDoc = flag.Bool("update-doc", false, "rewrite the response examples of docs/RULES-API.md from the code")

const docPath = "../../docs/RULES-API.md"

// docBlock matches a marker comment and the fenced JSON block after it.
var docBlock = regexp.MustCompile("(?s)<!-- (request|response|error): (R\\d+) -->\n```json\n(.*?)```")

// docExample is one example of the API document.
type docExample struct {
	kind, rule, body string
}

// docExamples returns the examples of the API document in order.
func docExamples(t testing.TB) (string, []docExample) {
	t.Helper()
	data, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatalf("read %s: %v", docPath, err)
	}
	var out []docExample
	for _, m := range docBlock.FindAllStringSubmatch(string(data), -1) {
		out = append(out, docExample{m[1], m[2], m[3]})
	}
	return string(data), out
}

// encode prints v as the document shows JSON: two-space indent, no HTML
// escaping.
func encode(t testing.TB, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// errorView is how the document shows a validation error: the
// *ktgs.Error with lower-case member names and the texts of each field.
type errorView struct {
	Code    string               `json:"code"`
	Message string               `json:"message"`
	Rule    string               `json:"rule,omitempty"`
	Fields  map[string]fieldView `json:"fields"`
}

// fieldView is one ktgs.FieldError with its rendered texts.
type fieldView struct {
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
	Rule string `json:"rule,omitempty"`
	VI   string `json:"vi"`
	EN   string `json:"en"`
}

// viewError converts e for the document.
func viewError(e *ktgs.Error) errorView {
	v := errorView{Code: e.Code, Message: e.Message, Rule: e.Rule, Fields: map[string]fieldView{}}
	for k, f := range e.Fields {
		v.Fields[k] = fieldView{Key: f.Key, Args: f.Args, Rule: f.Rule,
			VI: RenderMessage("vi", f.Key, f.Args...), EN: RenderMessage("en", f.Key, f.Args...)}
	}
	return v
}

// TestDocExamples evaluates every example request of docs/RULES-API.md
// and checks that the response (or error) shown after it is what the code
// returns. Run with -update-doc to rewrite the responses.
func TestDocExamples(t *testing.T) {
	doc, examples := docExamples(t)
	seen := map[string]bool{}
	var last *docExample
	var got []string // the actual output for each response/error block, in order
	for i := range examples {
		ex := &examples[i]
		switch ex.kind {
		case "request":
			last = ex
			seen[ex.rule] = true
			if !json.Valid([]byte(ex.body)) {
				t.Errorf("%s request is not valid JSON", ex.rule)
			}
		case "response", "error":
			if last == nil || last.rule != ex.rule {
				t.Fatalf("%s %s block without its request", ex.rule, ex.kind)
			}
			d, err := Evaluate(last.rule, []byte(last.body))
			var out string
			switch {
			case ex.kind == "response" && err != nil:
				t.Errorf("%s example request failed: %v", ex.rule, err)
				continue
			case ex.kind == "response":
				checkDecision(t, d)
				out = encode(t, d)
			case err == nil:
				t.Errorf("%s example request should fail, got %s", ex.rule, d.Outcome)
				continue
			default:
				out = encode(t, viewError(ktgs.AsError(err)))
			}
			got = append(got, out)
			if !*updateDoc && !sameJSON(out, ex.body) {
				t.Errorf("%s %s in the document differs from the code; run go test -run TestDocExamples -update-doc\ngot:\n%s", ex.rule, ex.kind, out)
			}
		}
	}
	for _, r := range Rules() {
		if !seen[r.ID] {
			t.Errorf("docs/RULES-API.md has no example request for %s", r.ID)
		}
	}
	if *updateDoc {
		i := 0
		doc = docBlock.ReplaceAllStringFunc(doc, func(s string) string {
			m := docBlock.FindStringSubmatch(s)
			if m[1] == "request" {
				return s
			}
			out := got[i]
			i++
			return "<!-- " + m[1] + ": " + m[2] + " -->\n```json\n" + out + "```"
		})
		if err := os.WriteFile(docPath, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// sameJSON reports whether a and b hold the same JSON value.
func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(strings.TrimSpace(b)), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
