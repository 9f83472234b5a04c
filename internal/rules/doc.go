// Package rules decides the party rules of RULES.md §12 (R1–R19) and
// who may start which kind of inspection or supervision (R20, §2.2), and
// explains every decision: which rule, which article, which rule set, and
// how sure we are of the value it used.
//
// # Rule sets
//
// Every threshold, deadline and authority switch lives in a versioned rule
// set, a JSON file under data/ embedded in the binary. A rule set belongs
// to a series ("PARTY" for the party regulations, "LUAT_PCTN" for the
// anti-corruption law's asset thresholds) and covers an interval of dates;
// the sets of one series tile the calendar without gaps or overlaps. Every
// value carries its regulation, article, confidence (verified, secondary
// or unverified, exactly as RULES.md tags it) and, when narrower than its
// set, its own effective dates. [LoadFS] reads any directory in the same
// format and [Lint] checks one, so an operator can add a rule set without
// a code change.
//
// The rule set is chosen by the event date that matters for the rule: the
// violation date for the statute of limitations (R6); the decision date for
// authority and votes (R2–R5); the filing or receipt date for deadlines
// (R10, R14); see docs/RULES-API.md for every rule.
//
// # Decisions
//
// [Evaluate] takes a rule id ("R2") or alias ("authority") and a JSON
// request, decodes it strictly, validates it and returns a [Decision]: an
// outcome, ordered reasons in Vietnamese and English, the citations of
// every value used, the rule set, whether the answer is provisional, and a
// typed rule-specific result. Invalid input gives a *ktgs.Error with code
// EINVALID whose Fields are keyed by JSON field path; message texts are in
// [Messages].
//
// The package is pure: no I/O except the embedded data, no clock, no
// global mutable state. Working days come from internal/calendar.
package rules
