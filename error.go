package ktgs

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. Each maps to one HTTP status in internal/web and to one exit
// status in cmd/ktgs. Only EINTERNAL details are logged and hidden from users.
const (
	ECONFLICT     = "conflict"     // unique key taken, concurrent change
	EINTERNAL     = "internal"     // bug or infrastructure failure
	EINVALID      = "invalid"      // input breaks a rule; Fields says which
	ENOTFOUND     = "not_found"    // no such object (or not visible to the actor)
	EUNAUTHORIZED = "unauthorized" // not signed in
	EFORBIDDEN    = "forbidden"    // signed in but not allowed
	EUNAVAILABLE  = "unavailable"  // database down, shutting down
	ETOOMANY      = "too_many"     // too many attempts; wait (login throttling)
)

// Error is the one error type that crosses layers. Message is a message key
// of the i18n catalogue (or a plain English sentence for operator errors);
// Args fill its placeholders. Fields maps an input field name to the message
// key of the rule it breaks, so forms can show the error next to the field.
// Rule optionally names the regulation article behind the refusal.
type Error struct {
	Code    string
	Message string
	Args    []any
	Fields  map[string]FieldError
	Rule    string
}

// FieldError describes why one input field was rejected.
type FieldError struct {
	Key  string // i18n key, e.g. "err.date_order"
	Args []any  // placeholder values
	Rule string // optional citation, e.g. "Điều lệ Đảng, Điều 24.1"
}

// Error returns a one-line English summary for logs and CLI output.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	b.WriteString(": ")
	b.WriteString(e.Message)
	if len(e.Args) > 0 {
		fmt.Fprintf(&b, " %v", e.Args)
	}
	if len(e.Fields) > 0 {
		names := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, n := range names {
			f := e.Fields[n]
			fmt.Fprintf(&b, "; %s: %s", n, f.Key)
			if len(f.Args) > 0 {
				fmt.Fprintf(&b, " %v", f.Args)
			}
		}
	}
	if e.Rule != "" {
		fmt.Fprintf(&b, " (%s)", e.Rule)
	}
	return b.String()
}

// Errorf returns an *Error with the given code and message key.
func Errorf(code, message string, args ...any) *Error {
	return &Error{Code: code, Message: message, Args: args}
}

// Invalid returns an EINVALID error for one field.
func Invalid(field, key string, args ...any) *Error {
	return &Error{Code: EINVALID, Message: "err.invalid_input", Fields: map[string]FieldError{field: {Key: key, Args: args}}}
}

// Add records a problem with field and returns e, creating Fields on demand.
// Use it to collect every field error of a form before returning.
func (e *Error) Add(field, key string, args ...any) *Error {
	if e.Fields == nil {
		e.Fields = make(map[string]FieldError)
	}
	if _, dup := e.Fields[field]; !dup {
		e.Fields[field] = FieldError{Key: key, Args: args}
	}
	return e
}

// AddRule is Add with a citation of the rule that the field breaks.
func (e *Error) AddRule(field, rule, key string, args ...any) *Error {
	if e.Fields == nil {
		e.Fields = make(map[string]FieldError)
	}
	if _, dup := e.Fields[field]; !dup {
		e.Fields[field] = FieldError{Key: key, Args: args, Rule: rule}
	}
	return e
}

// Validation collects field errors; Err returns nil when none were added.
type Validation struct{ e *Error }

// Add records that field breaks the rule described by key.
func (v *Validation) Add(field, key string, args ...any) {
	if v.e == nil {
		v.e = &Error{Code: EINVALID, Message: "err.invalid_input"}
	}
	v.e.Add(field, key, args...)
}

// AddRule records that field breaks a cited rule.
func (v *Validation) AddRule(field, rule, key string, args ...any) {
	if v.e == nil {
		v.e = &Error{Code: EINVALID, Message: "err.invalid_input"}
	}
	v.e.AddRule(field, rule, key, args...)
}

// Has reports whether field already has an error.
func (v *Validation) Has(field string) bool {
	if v.e == nil {
		return false
	}
	_, ok := v.e.Fields[field]
	return ok
}

// Err returns the collected *Error, or nil.
func (v *Validation) Err() error {
	if v.e == nil {
		return nil
	}
	return v.e
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, and
// EINTERNAL for any other non-nil error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// AsError returns err as *Error, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
