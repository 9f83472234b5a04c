package rules

import (
	"ktgs"
	"ktgs/internal/calendar"
	"ktgs/internal/civil"
	"ktgs/internal/vn"
)

// Decision is the answer to one rule question, with its explanation.
type Decision struct {
	// Rule is the rule id, "R1" to "R20" (R1–R19 of RULES.md §12; R20
	// of RULES.md §2.2).
	Rule string `json:"rule"`
	// Outcome is the rule-specific answer, e.g. DECIDE, PROPOSE or NONE
	// for R2; every rule's outcomes are listed in docs/RULES-API.md.
	Outcome string `json:"outcome"`
	// Reasons explain the outcome step by step, Vietnamese first.
	Reasons []Reason `json:"reasons"`
	// Citations name the rule values used, in order of first use.
	Citations []Citation `json:"citations"`
	// RuleSet is the id of the rule set applied, e.g. "QD296_2025".
	RuleSet string `json:"rule_set"`
	// Provisional is true if the rule set is provisional, if any value
	// used is not verified, or if a working-day count reaches a year
	// without an official holiday schedule.
	Provisional bool `json:"provisional"`
	// Result holds the rule-specific fields: *FormsResult for R1,
	// *AuthorityResult for R2, and so on (see each rule's file).
	Result any `json:"result"`
}

// Reason is one step of an explanation. Code identifies it for programs;
// VI and EN are the texts for people.
type Reason struct {
	Code string `json:"code"`
	VI   string `json:"vi"`
	EN   string `json:"en"`
}

// Citation names the regulation and article behind a rule value, how sure
// we are of it, and the key of the value in the rule set.
type Citation struct {
	Regulation string     `json:"regulation"`
	Article    string     `json:"article"`
	Confidence Confidence `json:"confidence"`
	SourceURL  string     `json:"source_url,omitempty"`
	ValueKey   string     `json:"value_key"`
}

// BodyRef names a body of an organisation in a result.
type BodyRef struct {
	Kind    BodyKind     `json:"kind"`
	OrgID   int64        `json:"org_id"`
	OrgType ktgs.OrgType `json:"org_type"`
	OrgName string       `json:"org_name,omitempty"`
}

// Duty is an obligation a decision creates, such as reporting a discipline
// decision to a body. DueIn is set when a rule fixes a time limit.
type Duty struct {
	To       BodyRef   `json:"to"`
	Reason   Reason    `json:"reason"`
	Citation Citation  `json:"citation"`
	DueIn    *Duration `json:"due_in,omitempty"`
}

// builder accumulates one decision: the values it used, its reasons and
// any value that is not in force on the event date.
type builder struct {
	reg       *Registry
	rule      string
	set       *RuleSet
	date      civil.Date // the event date that chose the set
	dateField string     // the request field holding date
	dec       Decision
	cited     map[string]bool
	missing   []string
}

// newBuilder starts a decision of rule under the set of series in force on
// date (read from request field dateField). It returns a validation error
// when no set is in force.
func (r *Registry) newBuilder(rule, series string, date civil.Date, dateField string) (*builder, error) {
	s := r.find(series, date)
	if s == nil {
		e := &ktgs.Error{Code: ktgs.EINVALID, Message: "err.invalid_input", Rule: rule}
		e.Add(dateField, "rules.err.no_rule_set", vn.Date(date), series)
		return nil, e
	}
	return &builder{reg: r, rule: rule, set: s, date: date, dateField: dateField,
		dec:   Decision{Rule: rule, RuleSet: s.ID, Provisional: s.Provisional, Reasons: []Reason{}, Citations: []Citation{}},
		cited: map[string]bool{}}, nil
}

// value returns the value of key in force on the event date and cites it,
// or nil (recording the gap) when there is none.
func (b *builder) value(key string) *Value {
	v := b.peek(key)
	if v == nil {
		b.missing = append(b.missing, key)
		return nil
	}
	b.cite(v)
	return v
}

// peek returns the value of key in force on the event date without citing
// it, or nil.
func (b *builder) peek(key string) *Value {
	v := b.set.values[key]
	if v == nil || !v.covers(b.date) {
		return nil
	}
	return v
}

// cite records v among the citations.
func (b *builder) cite(v *Value) {
	if b.cited[v.Key] {
		return
	}
	b.cited[v.Key] = true
	b.dec.Citations = append(b.dec.Citations, v.citation())
	if v.Confidence != Verified {
		b.dec.Provisional = true
	}
}

// citation cites key and returns its citation (for duties).
func (b *builder) citation(key string) Citation {
	if v := b.value(key); v != nil {
		return v.citation()
	}
	return Citation{ValueKey: key}
}

// flag returns the flag value of key (false when missing).
func (b *builder) flag(key string) bool {
	v := b.value(key)
	return v != nil && v.Flag != nil && *v.Flag
}

// forms returns the forms of key.
func (b *builder) forms(key string) []Form {
	if v := b.value(key); v != nil {
		return v.Forms
	}
	return nil
}

// codes returns the codes of key.
func (b *builder) codes(key string) []string {
	if v := b.value(key); v != nil {
		return v.Codes
	}
	return nil
}

// duration returns the duration of key; a missing value gives one
// calendar day so that arithmetic stays safe until finish reports it.
func (b *builder) duration(key string) Duration {
	if v := b.value(key); v != nil && v.Duration != nil {
		return *v.Duration
	}
	return Duration{N: 1, Unit: calendar.CalendarDays}
}

// ratio returns the ratio of key (> 1/2 when missing).
func (b *builder) ratio(key string) Ratio {
	if v := b.value(key); v != nil && v.Ratio != nil {
		return *v.Ratio
	}
	return Ratio{Num: 1, Den: 2, Op: "gt"}
}

// count returns the count of key (0 when missing).
func (b *builder) count(key string) int {
	if v := b.value(key); v != nil && v.Count != nil {
		return *v.Count
	}
	return 0
}

// amount returns the amount of key (0 when missing).
func (b *builder) amount(key string) int64 {
	if v := b.value(key); v != nil && v.Amount != nil {
		return *v.Amount
	}
	return 0
}

// add returns the date n units after d with the registry's calendar; a
// working-day count into a year without an official schedule makes the
// decision provisional and says so.
func (b *builder) add(d civil.Date, dur Duration) civil.Date {
	end := b.reg.cal.Add(d, dur.N, dur.Unit)
	if dur.Unit == calendar.WorkingDays {
		b.checkCovered(d, end)
	}
	return end
}

// workingDaysBetween counts working days in (a, b] and checks coverage.
func (b *builder) workingDaysBetween(a, c civil.Date) int {
	b.checkCovered(a, c)
	return b.reg.cal.WorkingDaysBetween(a, c)
}

// checkCovered marks the decision provisional when a working-day count
// spans a year without an official holiday schedule.
func (b *builder) checkCovered(a, c civil.Date) {
	if c.Before(a) {
		a, c = c, a
	}
	for y := a.Year(); y <= c.Year(); y++ {
		if !b.reg.cal.Covered(y) {
			b.dec.Provisional = true
			b.reason("calendar_not_covered", y)
			return
		}
	}
}

// reason appends the reason code with its arguments.
func (b *builder) reason(code string, args ...any) {
	for _, r := range b.dec.Reasons {
		if r.Code == code && code == "calendar_not_covered" {
			return
		}
	}
	b.dec.Reasons = append(b.dec.Reasons, newReason(code, args...))
}

// finish returns the decision, or a validation error naming the event date
// when a value the rule needed is not in force on it.
func (b *builder) finish(outcome string, result any) (*Decision, error) {
	if len(b.missing) > 0 {
		e := &ktgs.Error{Code: ktgs.EINVALID, Message: "err.invalid_input", Rule: b.rule}
		e.Add(b.dateField, "rules.err.no_value", b.missing[0], vn.Date(b.date), b.set.ID)
		return nil, e
	}
	b.dec.Outcome = outcome
	b.dec.Result = result
	return &b.dec, nil
}
