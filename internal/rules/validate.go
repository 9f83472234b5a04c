package rules

import (
	"slices"
	"strings"

	"ktgs"
	"ktgs/internal/civil"
	"ktgs/internal/vn"
)

// Dates outside [minDate, maxDate] are rejected as input errors.
var (
	minDate = civil.New(1930, 1, 1)
	maxDate = civil.New(2100, 12, 31)
)

// Limits on sizes and counts in requests, so that a request cannot make a
// decision loop for long.
const (
	maxCount   = 10_000_000            // members, votes
	maxRoll    = 100_000               // members on a meeting roll
	maxList    = 100                   // list members
	maxPath    = 16                    // organisation path length
	maxDays    = 3660                  // durations given in requests
	maxMoney   = 1_000_000_000_000_000 // 10^18 đồng
	maxNumber  = 999_999               // document numbers
	maxTextLen = 200                   // free text such as names and codes
)

// validator collects field errors of one request.
type validator struct {
	v    ktgs.Validation
	rule string
}

// add records that field breaks the rule described by key.
func (v *validator) add(field, key string, args ...any) { v.v.Add(field, key, args...) }

// addRule records that field breaks the cited rule.
func (v *validator) addRule(field, citation, key string, args ...any) {
	v.v.AddRule(field, citation, key, args...)
}

// has reports whether field already has an error.
func (v *validator) has(field string) bool { return v.v.Has(field) }

// err returns the collected error with Rule set to the rule id, or nil.
func (v *validator) err() error {
	err := v.v.Err()
	if e := ktgs.AsError(err); e != nil {
		e.Rule = v.rule
		return e
	}
	return nil
}

// date parses the ISO or dd/mm/yyyy date s of field. An empty s is an
// error only when required. Dates before 1930 or after 2100 are rejected.
func (v *validator) date(field, s string, required bool) civil.Date {
	if strings.TrimSpace(s) == "" {
		if required {
			v.add(field, "rules.err.required")
		}
		return 0
	}
	d, err := civil.Parse(s)
	if err != nil {
		v.add(field, "rules.err.date", truncate(s, 40))
		return 0
	}
	if d.Before(minDate) || d.After(maxDate) {
		v.add(field, "rules.err.date_range", vn.Date(d), vn.Date(minDate), vn.Date(maxDate))
		return 0
	}
	return d
}

// order records an error on field later when both dates are set and later
// is before earlier.
func (v *validator) order(earlierField string, earlier civil.Date, laterField string, later civil.Date) {
	if earlier != 0 && later != 0 && later.Before(earlier) && !v.has(laterField) {
		v.add(laterField, "rules.err.date_order", vn.Date(later), earlierField, vn.Date(earlier))
	}
}

// enum checks that s is one of allowed; an empty s is an error only when
// required. It reports whether s is a valid non-empty value.
func (v *validator) enum(field, s string, allowed []string, required bool) bool {
	if s == "" {
		if required {
			v.add(field, "rules.err.required")
		}
		return false
	}
	if !slices.Contains(allowed, s) {
		v.add(field, "rules.err.unknown_value", truncate(s, 40), strings.Join(allowed, ", "))
		return false
	}
	return true
}

// count checks 0 <= n <= max.
func (v *validator) count(field string, n, max int) bool {
	if n < 0 || n > max {
		v.add(field, "rules.err.range", n, 0, max)
		return false
	}
	return true
}

// list checks that a list has at most maxList members.
func (v *validator) list(field string, n int) bool {
	if n > maxList {
		v.add(field, "rules.err.too_many", n, maxList)
		return false
	}
	return true
}

// form checks a disciplinary form code.
func (v *validator) form(field, s string, required bool) (Form, bool) {
	if !v.enum(field, s, strs(Forms), required) {
		return "", false
	}
	return Form(s), true
}

// strs converts a list of string-kinded values.
func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// subjectKind checks a subject kind.
func (v *validator) subjectKind(field, s string) (SubjectKind, bool) {
	if !v.enum(field, s, []string{string(SubjectMember), string(SubjectOrg)}, true) {
		return "", false
	}
	return SubjectKind(s), true
}
