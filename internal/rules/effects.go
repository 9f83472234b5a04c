package rules

import (
	"slices"

	"ktgs/internal/civil"
)

// ExpiryRequest is the request of R7 (expiry): when does a discipline
// decision cease to have effect automatically?
type ExpiryRequest struct {
	SubjectKind string `json:"subject_kind"`
	Form        string `json:"form"`
	// AnnouncedOn is the announcement of the discipline decision or, after
	// a complaint, of the complaint decision; it chooses the rule set.
	AnnouncedOn string `json:"announced_on"`
	// Complained and Reoffended block the automatic expiry (reoffended:
	// a repeat or new violation warranting discipline).
	Complained bool `json:"complained,omitempty"`
	Reoffended bool `json:"reoffended,omitempty"`
	// AsOf, when given, asks whether the decision is in effect that day.
	AsOf string `json:"as_of,omitempty"`
}

// ExpiryResult is the result of R7.
type ExpiryResult struct {
	// InactiveFrom is the first day without effect, when the decision
	// expires automatically.
	InactiveFrom civil.Date `json:"inactive_from,omitempty"`
	// ActiveOnAsOf says whether the decision is in effect on as_of.
	ActiveOnAsOf *bool `json:"active_on_as_of,omitempty"`
}

// evalExpiry decides R7.
func evalExpiry(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[ExpiryRequest]("R7", data)
	if err != nil {
		return nil, err
	}
	v := &validator{rule: "R7"}
	kind, _ := v.subjectKind("subject_kind", req.SubjectKind)
	form, _ := v.form("form", req.Form, true)
	ann := v.date("announced_on", req.AnnouncedOn, true)
	asOf := v.date("as_of", req.AsOf, false)
	v.order("announced_on", ann, "as_of", asOf)
	if err := v.err(); err != nil {
		return nil, err
	}
	b, err := r.newBuilder("R7", SeriesParty, ann, "announced_on")
	if err != nil {
		return nil, err
	}
	if !b.checkForm(v, "form", subject{kind: kind, holdsPost: true}, form) {
		return nil, v.err()
	}
	res := &ExpiryResult{}
	active := true
	outcome := "NO_AUTOMATIC_EXPIRY"
	switch {
	case slices.Contains(b.forms(keyExpiryExcluded), form):
		b.reason("r7.excluded", form)
	case req.Complained:
		b.value(keyExpiryPeriod)
		b.reason("r7.complained")
	case req.Reoffended:
		b.value(keyExpiryPeriod)
		b.reason("r7.reoffended")
	default:
		p := b.duration(keyExpiryPeriod)
		res.InactiveFrom = b.add(ann, p)
		b.reason("r7.expires", p, ann, res.InactiveFrom)
		outcome = "EXPIRES"
		active = asOf.Before(res.InactiveFrom)
	}
	if asOf != 0 {
		res.ActiveOnAsOf = &active
		if active {
			b.reason("r7.active", asOf)
		} else {
			b.reason("r7.inactive", asOf)
		}
	}
	return b.finish(outcome, res)
}

// RemovalBarRequest is the request of R8 (removal-bar): may a member
// removed from post be elected or appointed on action_date?
type RemovalBarRequest struct {
	Form        string `json:"form"`
	AnnouncedOn string `json:"announced_on"`
	// Action is ELECTION_TO_COMMITTEE, APPOINTMENT_EQUAL_OR_HIGHER or
	// APPOINTMENT_LOWER.
	Action     string `json:"action"`
	ActionDate string `json:"action_date"`
}

// RemovalBarResult is the result of R8.
type RemovalBarResult struct {
	// AllowedFrom is the first day the bar no longer applies.
	AllowedFrom civil.Date `json:"allowed_from,omitempty"`
	// Day is the number of days from the announcement to the action.
	Day int `json:"day"`
}

// evalRemovalBar decides R8.
func evalRemovalBar(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[RemovalBarRequest]("R8", data)
	if err != nil {
		return nil, err
	}
	v := &validator{rule: "R8"}
	form, _ := v.form("form", req.Form, true)
	ann := v.date("announced_on", req.AnnouncedOn, true)
	act := v.date("action_date", req.ActionDate, true)
	v.enum("action", req.Action, []string{"ELECTION_TO_COMMITTEE", "APPOINTMENT_EQUAL_OR_HIGHER", "APPOINTMENT_LOWER"}, true)
	v.order("announced_on", ann, "action_date", act)
	if err := v.err(); err != nil {
		return nil, err
	}
	b, err := r.newBuilder("R8", SeriesParty, ann, "announced_on")
	if err != nil {
		return nil, err
	}
	if !b.checkForm(v, "form", subject{kind: SubjectMember, holdsPost: true}, form) {
		return nil, v.err()
	}
	res := &RemovalBarResult{Day: act.Sub(ann)}
	p := b.duration(keyRemovalBar)
	if form != FormRemoval {
		b.reason("r8.form_no_bar", form)
		return b.finish("NOT_BLOCKED", res)
	}
	res.AllowedFrom = b.add(ann, p)
	if req.Action == "APPOINTMENT_LOWER" {
		b.reason("r8.lower_post")
		return b.finish("NOT_BLOCKED", res)
	}
	if act.Before(res.AllowedFrom) {
		b.reason("r8.blocked", p, ann, res.Day, res.AllowedFrom, codeArg{"action", req.Action})
		return b.finish("BLOCKED", res)
	}
	b.reason("r8.not_blocked", p, ann, res.Day, res.AllowedFrom)
	return b.finish("NOT_BLOCKED", res)
}

// FreezeRequest is the request of R9 (freeze): is an HR action on a member
// frozen because the member is under consideration for discipline?
type FreezeRequest struct {
	// Action is TRANSFER, ROTATION, APPOINTMENT, MILITARY_PROMOTION, AWARD
	// or OTHER; action_date chooses the rule set.
	Action     string `json:"action"`
	ActionDate string `json:"action_date"`
	// ConsiderationStartedOn is when the consideration for discipline
	// began; ConsiderationEndedOn, if it has ended, the day it ended.
	ConsiderationStartedOn string `json:"consideration_started_on"`
	ConsiderationEndedOn   string `json:"consideration_ended_on,omitempty"`
}

// FreezeResult is the result of R9.
type FreezeResult struct {
	UnderConsideration bool `json:"under_consideration"`
	FrozenAction       bool `json:"frozen_action"`
}

// evalFreeze decides R9.
func evalFreeze(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[FreezeRequest]("R9", data)
	if err != nil {
		return nil, err
	}
	v := &validator{rule: "R9"}
	v.enum("action", req.Action, append(slices.Clone(freezeActions), "OTHER"), true)
	act := v.date("action_date", req.ActionDate, true)
	start := v.date("consideration_started_on", req.ConsiderationStartedOn, true)
	end := v.date("consideration_ended_on", req.ConsiderationEndedOn, false)
	v.order("consideration_started_on", start, "consideration_ended_on", end)
	if err := v.err(); err != nil {
		return nil, err
	}
	b, err := r.newBuilder("R9", SeriesParty, act, "action_date")
	if err != nil {
		return nil, err
	}
	res := &FreezeResult{
		UnderConsideration: !act.Before(start) && (end == 0 || act.Before(end)),
		FrozenAction:       slices.Contains(b.codes(keyFreezeActions), req.Action),
	}
	action := codeArg{"action", req.Action}
	switch {
	case !res.UnderConsideration:
		b.reason("r9.not_under_consideration", act)
		return b.finish("ALLOWED", res)
	case !res.FrozenAction:
		b.reason("r9.action_not_frozen", action)
		return b.finish("ALLOWED", res)
	}
	b.reason("r9.blocked", action, start)
	return b.finish("BLOCKED", res)
}
