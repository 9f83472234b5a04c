package rules

import (
	"slices"

	"ktgs"
	"ktgs/internal/civil"
)

// Outcomes of R2.
const (
	OutcomeDecide  = "DECIDE"
	OutcomePropose = "PROPOSE"
	OutcomeNone    = "NONE"
)

// judge evaluates one body's authority without touching the decision, so
// that the competent-body search can try candidates; commit copies what
// the chosen evaluation used into the decision.
type judge struct {
	set     *RuleSet
	date    civil.Date
	keys    []string
	steps   []step
	missing bool
	// designated is the body a rule names as the one that decides (QĐ 296
	// Art. 13; the Central Committee for its members), when it does.
	designated *actor
}

// step is one reason with its arguments.
type step struct {
	code string
	args []any
}

// newJudge returns a judge for the decision's rule set and date.
func (b *builder) newJudge() *judge { return &judge{set: b.set, date: b.date} }

// get returns the value of key in force and records its use.
func (j *judge) get(key string) *Value {
	v := j.set.values[key]
	if v == nil || !v.covers(j.date) {
		j.missing = true
		j.keys = append(j.keys, key) // reported by commit
		return nil
	}
	if !slices.Contains(j.keys, key) {
		j.keys = append(j.keys, key)
	}
	return v
}

// flag returns the flag of key.
func (j *judge) flag(key string) bool {
	v := j.get(key)
	return v != nil && v.Flag != nil && *v.Flag
}

// peekFlag returns the flag of key without recording its use.
func (j *judge) peekFlag(key string) bool {
	v := j.set.values[key]
	return v != nil && v.covers(j.date) && v.Flag != nil && *v.Flag
}

// forms returns the forms of key.
func (j *judge) forms(key string) []Form {
	if v := j.get(key); v != nil {
		return v.Forms
	}
	return nil
}

// say records a reason.
func (j *judge) say(code string, args ...any) { j.steps = append(j.steps, step{code, args}) }

// out records the reason and the key behind outcome and returns outcome.
func (j *judge) out(outcome, key, code string, args ...any) string {
	if key != "" {
		j.get(key)
	}
	j.say(code, args...)
	return outcome
}

// decide, propose and none are out with a fixed outcome.
func (j *judge) decide(key, code string, args ...any) string {
	return j.out(OutcomeDecide, key, code, args...)
}
func (j *judge) propose(key, code string, args ...any) string {
	return j.out(OutcomePropose, key, code, args...)
}
func (j *judge) none(key, code string, args ...any) string {
	return j.out(OutcomeNone, key, code, args...)
}

// commit cites the values the judge used and appends its reasons.
func (b *builder) commit(j *judge) {
	for _, k := range j.keys {
		b.value(k)
	}
	for _, s := range j.steps {
		b.reason(s.code, s.args...)
	}
}

// tier is the level of an organisation for authority purposes.
type tier int

// Tiers, bottom up.
const (
	tierBranch     tier = iota // chi bộ
	tierSub                    // đảng bộ bộ phận
	tierGrassroots             // đảng bộ cơ sở (and what the data treats as one)
	tierUpper                  // district level and equivalent (upper-grassroots)
	tierProvincial             // directly under the Central Committee
	tierCentral                // TW
)

// tierOf classifies n. The district-and-equivalent types come from the
// rule set (authority.upper_level_types): after 2025 the commune đảng ủy
// stands where the district committee stood (RULES.md §3.4); a type of
// that group missing from the list counts as a đảng ủy cơ sở.
func (j *judge) tierOf(n *node) tier {
	switch n.typ {
	case ktgs.OrgTypeCentral:
		return tierCentral
	case ktgs.OrgTypeDirectlyUnderCC:
		return tierProvincial
	case ktgs.OrgTypeGrassrootsCommittee:
		return tierGrassroots
	case ktgs.OrgTypeSubCommittee:
		return tierSub
	case ktgs.OrgTypeGrassrootsBranch, ktgs.OrgTypeBranch, ktgs.OrgTypePartyGroup:
		return tierBranch
	}
	v := j.get(keyUpperLevelTypes)
	if v != nil && slices.Contains(v.OrgTypes, n.typ) {
		j.say("r2.upper_level_type", orgTypeArg(n.typ))
		return tierUpper
	}
	j.say("r2.grassroots_level_type", orgTypeArg(n.typ))
	return tierGrassroots
}

// orgTypeArg prints an organisation type with its label.
func orgTypeArg(t ktgs.OrgType) codeArg { return codeArg{"org_type", string(t)} }

// scopeArg prints a violation scope with its label.
func scopeArg(s Scope) codeArg { return codeArg{"scope", string(s)} }
