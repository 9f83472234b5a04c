package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"ktgs"
)

// RuleInfo describes one rule for listings and help texts.
type RuleInfo struct {
	// ID is the rule id, "R1" to "R20": R1–R19 of RULES.md §12 and R20,
	// who may start which kind of inspection or supervision (RULES.md §2.2).
	ID string `json:"id"`
	// Alias is the readable name Evaluate also accepts.
	Alias string `json:"alias"`
	// Title is a one-line description by language ("vi", "en").
	Title map[string]string `json:"title"`
}

// ruleEntry binds a rule id and alias to its evaluator.
type ruleEntry struct {
	id, alias string
	eval      func(r *Registry, data []byte) (*Decision, error)
}

// ruleTable lists the rules in order.
func ruleTable() []ruleEntry {
	return []ruleEntry{
		{"R1", "allowed-forms", evalForms},
		{"R2", "authority", evalAuthority},
		{"R3", "ballot", evalBallotThreshold},
		{"R4", "ballot-cumulation", evalBallotCumulation},
		{"R5", "ballot-denominator", evalBallotDenominator},
		{"R6", "limitation", evalLimitation},
		{"R7", "expiry", evalExpiry},
		{"R8", "removal-bar", evalRemovalBar},
		{"R9", "freeze", evalFreeze},
		{"R10", "complaint-filing", evalComplaintFiling},
		{"R11", "complaint-final-level", evalComplaintLevel},
		{"R12", "denunciation-intake", evalIntake},
		{"R13", "handler-conflict", evalConflict},
		{"R14", "denunciation-clock", evalClock},
		{"R15", "suspension", evalSuspension},
		{"R16", "asset-threshold", evalAsset},
		{"R17", "document-number", evalNumbering},
		{"R18", "state-notification", evalNotification},
		{"R19", "wrongful-discipline", evalWrongful},
		{"R20", "case-initiation", evalInitiation},
	}
}

// Rules lists the rules R1–R20 with their aliases and one-line titles in
// Vietnamese and English.
func Rules() []RuleInfo {
	var out []RuleInfo
	for _, e := range ruleTable() {
		title := map[string]string{}
		for _, lang := range Languages {
			title[lang] = text(lang, "rules.rule."+e.id)
		}
		out = append(out, RuleInfo{ID: e.id, Alias: e.alias, Title: title})
	}
	return out
}

// lookupRule finds a rule by id or alias, ignoring case.
func lookupRule(name string) (ruleEntry, bool) {
	name = strings.TrimSpace(name)
	for _, e := range ruleTable() {
		if strings.EqualFold(name, e.id) || strings.EqualFold(name, e.alias) {
			return e, true
		}
	}
	return ruleEntry{}, false
}

// Evaluate decides rule (an id "R1".."R20" or an alias such as
// "authority") for the JSON request req with the default registry.
// See [Registry.Evaluate].
func Evaluate(rule string, req []byte) (*Decision, error) {
	return Default().Evaluate(rule, req)
}

// Evaluate decides rule for the JSON request req. It decodes req strictly
// (unknown members are rejected), validates it, chooses the rule set by
// the rule's event date and returns the decision. Every error is a
// *ktgs.Error with code EINVALID whose Fields are keyed by JSON field path
// ("subject.status", "ballot.votes.KHAI_TRU"), each with a message key of
// [Messages], its arguments and, where a regulation is behind it, the
// article; Error.Rule is the rule id.
func (r *Registry) Evaluate(rule string, req []byte) (*Decision, error) {
	e, ok := lookupRule(rule)
	if !ok {
		ids := make([]string, 0, len(ruleTable()))
		for _, x := range ruleTable() {
			ids = append(ids, x.id)
		}
		err := &ktgs.Error{Code: ktgs.EINVALID, Message: "err.invalid_input"}
		err.Add("rule", "rules.err.unknown_rule", truncate(rule, 40), strings.Join(ids, ", "))
		return nil, err
	}
	return e.eval(r, req)
}

// truncate cuts s to n bytes for echoing user input in messages.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// decodeRequest decodes data into a new T strictly and maps decoding
// failures to a field-level validation error.
func decodeRequest[T any](rule string, data []byte) (*T, error) {
	fail := func(field, key string, args ...any) (*T, error) {
		e := &ktgs.Error{Code: ktgs.EINVALID, Message: "err.invalid_input", Rule: rule}
		e.Add(field, key, args...)
		return nil, e
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fail("request", "rules.err.empty")
	}
	var generic any
	gd := json.NewDecoder(bytes.NewReader(data))
	gd.UseNumber()
	if err := gd.Decode(&generic); err != nil {
		return fail("request", "rules.err.json_syntax")
	}
	if _, err := gd.Token(); err != io.EOF {
		return fail("request", "rules.err.json_trailing")
	}
	if _, ok := generic.(map[string]any); !ok {
		return fail("request", "rules.err.json_object")
	}
	t := new(T)
	if err := strictDecode(data, t); err != nil {
		if path, key, ok := locate(reflect.TypeFor[T](), generic, ""); ok {
			return fail(path, key)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return fail(te.Field, "rules.err.json_type")
		}
		return fail("request", "rules.err.json_syntax")
	}
	return t, nil
}

// locate walks the generic JSON value v against type t and returns the
// path of the first member the strict decoder rejects: an unknown member
// (key rules.err.unknown_field) or a value of the wrong type
// (rules.err.json_type).
func locate(t reflect.Type, v any, path string) (string, string, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil {
		return "", "", false
	}
	join := func(name string) string {
		if path == "" {
			return name
		}
		return path + "." + name
	}
	where := path
	if where == "" {
		where = "request"
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return where, "rules.err.json_type", true
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			f, ok := fieldByJSONName(t, k)
			if !ok {
				return join(k), "rules.err.unknown_field", true
			}
			if p, key, ok := locate(f.Type, m[k], join(jsonName(f))); ok {
				return p, key, true
			}
		}
	case reflect.Slice:
		a, ok := v.([]any)
		if !ok {
			return where, "rules.err.json_type", true
		}
		for i, x := range a {
			if p, key, ok := locate(t.Elem(), x, where+"["+strconv.Itoa(i)+"]"); ok {
				return p, key, true
			}
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return where, "rules.err.json_type", true
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if p, key, ok := locate(t.Elem(), m[k], join(k)); ok {
				return p, key, true
			}
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			return where, "rules.err.json_type", true
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return where, "rules.err.json_type", true
		}
	case reflect.Int, reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			return where, "rules.err.json_type", true
		}
		if _, err := strconv.ParseInt(string(n), 10, t.Bits()); err != nil {
			return where, "rules.err.json_type", true
		}
	}
	return "", "", false
}

// fieldByJSONName finds the struct field decoded from member name, matching
// names case-insensitively as encoding/json does.
func fieldByJSONName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() && strings.EqualFold(jsonName(f), name) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// jsonName returns the JSON member name of f.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		return f.Name
	}
	return name
}
