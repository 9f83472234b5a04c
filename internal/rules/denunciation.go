package rules

import (
	"slices"
	"strconv"

	"ktgs/internal/civil"
)

// IntakeRequest is the request of R12 (denunciation-intake): is a letter
// resolved as a denunciation? received_on chooses the rule set. The
// boolean facts are the not-resolved grounds of RULES.md §5, phrased so
// that false is the ordinary case.
type IntakeRequest struct {
	ReceivedOn string `json:"received_on"`
	// Sender is NAMED, ANONYMOUS (giấu tên) or FALSE_NAME (mạo tên).
	Sender                string `json:"sender"`
	AddressUnclear        bool   `json:"address_unclear,omitempty"`
	PreviouslyConcluded   bool   `json:"previously_concluded,omitempty"`
	NewEvidence           bool   `json:"new_evidence,omitempty"`
	ContentUnspecific     bool   `json:"content_unspecific,omitempty"`
	NoBasisVerification   bool   `json:"no_basis_for_verification,omitempty"`
	NoDenunciation        bool   `json:"no_denunciation_content,omitempty"`
	NotPersonallySigned   bool   `json:"not_personally_signed,omitempty"`
	Signers               int    `json:"signers,omitempty"`
	LacksCivilCapacity    bool   `json:"lacks_civil_capacity,omitempty"`
	ClearTargetAndContent bool   `json:"clear_target_and_content,omitempty"`
	Withdrawn             bool   `json:"withdrawn,omitempty"`
	WithdrawalCoerced     bool   `json:"withdrawal_coerced,omitempty"`
}

// IntakeResult is the result of R12.
type IntakeResult struct {
	// Grounds lists the not-resolved grounds that apply (and WITHDRAWN).
	Grounds []string `json:"grounds"`
	// MayConclude says whether the letter may lead to a resolution
	// conclusion (kết luận giải quyết tố cáo).
	MayConclude bool `json:"may_conclude"`
	// MayFeedInspection says whether the letter may be used as information
	// toward an inspection on signs of violation (KT_DHVP).
	MayFeedInspection bool `json:"may_feed_inspection"`
}

// evalIntake decides R12.
func evalIntake(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[IntakeRequest]("R12", data)
	if err != nil {
		return nil, err
	}
	v := &validator{rule: "R12"}
	date := v.date("received_on", req.ReceivedOn, true)
	v.enum("sender", req.Sender, []string{"NAMED", "ANONYMOUS", "FALSE_NAME"}, true)
	v.count("signers", req.Signers, maxCount)
	if req.WithdrawalCoerced && !req.Withdrawn {
		v.add("withdrawal_coerced", "rules.err.coerced_without_withdrawal")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	b, err := r.newBuilder("R12", SeriesParty, date, "received_on")
	if err != nil {
		return nil, err
	}
	hidden := req.Sender != "NAMED"
	facts := map[string]bool{
		"ANONYMOUS_OR_NO_ADDRESS":   hidden || req.AddressUnclear,
		"CONCLUDED_NO_NEW_EVIDENCE": req.PreviouslyConcluded && !req.NewEvidence,
		"NOT_SPECIFIC":              req.ContentUnspecific || req.NoBasisVerification,
		"NO_DENUNCIATION":           req.NoDenunciation,
		"NOT_PERSONALLY_SIGNED":     req.NotPersonallySigned,
		"MULTIPLE_SIGNERS":          req.Signers >= 2,
		"NO_CIVIL_CAPACITY":         req.LacksCivilCapacity,
	}
	res := &IntakeResult{Grounds: []string{}}
	listed := b.codes(keyDenGrounds)
	for _, g := range denunciationGrounds {
		if facts[g] && slices.Contains(listed, g) {
			res.Grounds = append(res.Grounds, g)
			b.reason("r12.ground", codeArg{"denunciation_ground", g})
		}
	}
	if req.Withdrawn {
		if b.flag(keyDenWithdrawal) && !req.WithdrawalCoerced {
			res.Grounds = append(res.Grounds, "WITHDRAWN")
			b.reason("r12.withdrawn")
		} else {
			b.reason("r12.withdrawal_coerced")
		}
	}
	if hidden {
		b.flag(keyDenAnonymous)
		if req.ClearTargetAndContent {
			res.MayFeedInspection = true
			b.reason("r12.information_only")
			return b.finish("INFORMATION_ONLY", res)
		}
		b.reason("r12.anonymous_unclear")
	}
	if len(res.Grounds) > 0 {
		return b.finish("NOT_RESOLVED", res)
	}
	res.MayConclude = true
	b.reason("r12.resolve")
	return b.finish("TO_BE_RESOLVED", res)
}

// ConflictRequest is the request of R13 (handler-conflict): may these
// people handle a denunciation? Ids are member ids; date chooses the rule
// set.
type ConflictRequest struct {
	Date         string      `json:"date"`
	AccusedIDs   []int64     `json:"accused_ids"`
	DenouncerIDs []int64     `json:"denouncer_ids,omitempty"`
	InvolvedIDs  []int64     `json:"involved_ids,omitempty"`
	Handlers     []HandlerIn `json:"handlers"`
}

// HandlerIn is a person proposed to handle the case: role PRESIDE (chủ
// trì), RESOLVE (giải quyết) or TEAM_MEMBER.
type HandlerIn struct {
	MemberID int64  `json:"member_id"`
	Role     string `json:"role"`
}

// Conflict is one handler who may not handle the case, and why: ACCUSED,
// DENOUNCER or INVOLVED.
type Conflict struct {
	MemberID int64  `json:"member_id"`
	Role     string `json:"role"`
	As       string `json:"as"`
}

// ConflictResult is the result of R13.
type ConflictResult struct {
	Conflicts []Conflict `json:"conflicts"`
}

// evalConflict decides R13.
func evalConflict(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[ConflictRequest]("R13", data)
	if err != nil {
		return nil, err
	}
	v := &validator{rule: "R13"}
	date := v.date("date", req.Date, true)
	ids := func(field string, xs []int64) {
		if v.list(field, len(xs)) {
			for i, x := range xs {
				if x <= 0 {
					v.add(field+"["+strconv.Itoa(i)+"]", "rules.err.required")
				}
			}
		}
	}
	if len(req.AccusedIDs) == 0 {
		v.add("accused_ids", "rules.err.required")
	}
	ids("accused_ids", req.AccusedIDs)
	ids("denouncer_ids", req.DenouncerIDs)
	ids("involved_ids", req.InvolvedIDs)
	if len(req.Handlers) == 0 {
		v.add("handlers", "rules.err.required")
	}
	if v.list("handlers", len(req.Handlers)) {
		for i, h := range req.Handlers {
			f := "handlers[" + strconv.Itoa(i) + "]"
			if h.MemberID <= 0 {
				v.add(f+".member_id", "rules.err.required")
			}
			v.enum(f+".role", h.Role, []string{"PRESIDE", "RESOLVE", "TEAM_MEMBER"}, true)
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	b, err := r.newBuilder("R13", SeriesParty, date, "date")
	if err != nil {
		return nil, err
	}
	b.flag(keyDenConflicts)
	res := &ConflictResult{Conflicts: []Conflict{}}
	for _, h := range req.Handlers {
		for _, c := range []struct {
			as  string
			ids []int64
		}{{"ACCUSED", req.AccusedIDs}, {"DENOUNCER", req.DenouncerIDs}, {"INVOLVED", req.InvolvedIDs}} {
			if slices.Contains(c.ids, h.MemberID) {
				res.Conflicts = append(res.Conflicts, Conflict{MemberID: h.MemberID, Role: h.Role, As: c.as})
				b.reason("r13.conflict_"+lower(c.as), h.MemberID, codeArg{"handler_role", h.Role})
				break
			}
		}
	}
	b.reason("r13.identity")
	if len(res.Conflicts) > 0 {
		return b.finish("BLOCKED", res)
	}
	b.reason("r13.allowed")
	return b.finish("ALLOWED", res)
}

// lower returns the lower-case ASCII form of s.
func lower(s string) string {
	out := []byte(s)
	for i, c := range out {
		if c >= 'A' && c <= 'Z' {
			out[i] = c + 'a' - 'A'
		}
	}
	return string(out)
}

// ClockRequest is the request of R14 (denunciation-clock): when must a
// denunciation be resolved? The clock and the rule set start on the day
// the competent organisation receives it.
type ClockRequest struct {
	ReceivedByCompetentOn string `json:"received_by_competent_on"`
	// FirstReceivedOn is an earlier receipt elsewhere; it does not start
	// the clock.
	FirstReceivedOn string `json:"first_received_on,omitempty"`
	// Level is CENTRAL or PROVINCIAL_OR_BELOW: the level of the competent
	// organisation.
	Level string `json:"level"`
	// Extensions are the extensions requested, in the rule set's unit.
	Extensions []ExtensionIn `json:"extensions,omitempty"`
	Congress   *CongressIn   `json:"congress,omitempty"`
}

// ExtensionIn is one requested extension of N units.
type ExtensionIn struct {
	N int `json:"n"`
}

// CongressIn describes an upcoming party congress for the pre-congress
// hold: its opening date, its level (GRASSROOTS or ABOVE_GRASSROOTS) and
// whether the denunciation relates to it.
type CongressIn struct {
	OpeningDate string `json:"opening_date"`
	Level       string `json:"level"`
	Related     bool   `json:"related"`
}

// ClockResult is the result of R14.
type ClockResult struct {
	ClockStart civil.Date `json:"clock_start"`
	Limit      Duration   `json:"limit"`
	// Deadline includes the accepted extensions; zero when the
	// denunciation is held for the congress.
	Deadline civil.Date `json:"deadline,omitempty"`
	// AcceptedExtensions counts the extensions within the rules;
	// RejectedExtension is the index of the first one outside them.
	AcceptedExtensions int  `json:"accepted_extensions"`
	RejectedExtension  *int `json:"rejected_extension,omitempty"`
	// HoldWindow is the number of working days before the congress in
	// which related denunciations are held.
	HoldWindow *Duration `json:"hold_window,omitempty"`
}

// evalClock decides R14.
func evalClock(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[ClockRequest]("R14", data)
	if err != nil {
		return nil, err
	}
	v := &validator{rule: "R14"}
	recv := v.date("received_by_competent_on", req.ReceivedByCompetentOn, true)
	first := v.date("first_received_on", req.FirstReceivedOn, false)
	v.order("first_received_on", first, "received_by_competent_on", recv)
	v.enum("level", req.Level, []string{"CENTRAL", "PROVINCIAL_OR_BELOW"}, true)
	if v.list("extensions", len(req.Extensions)) {
		for i, e := range req.Extensions {
			if e.N < 1 || e.N > maxDays {
				v.add("extensions["+strconv.Itoa(i)+"].n", "rules.err.range", e.N, 1, maxDays)
			}
		}
	}
	var opening civil.Date
	if c := req.Congress; c != nil {
		opening = v.date("congress.opening_date", c.OpeningDate, true)
		v.enum("congress.level", c.Level, []string{"GRASSROOTS", "ABOVE_GRASSROOTS"}, true)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	b, err := r.newBuilder("R14", SeriesParty, recv, "received_by_competent_on")
	if err != nil {
		return nil, err
	}
	res := &ClockResult{ClockStart: recv}
	if b.flag(keyDenClockStart) {
		if first != 0 && first != recv {
			b.reason("r14.clock_competent_first", first, recv)
		} else {
			b.reason("r14.clock_competent", recv)
		}
	}
	if c := req.Congress; c != nil && c.Related {
		key := keyDenCongressGrass
		if c.Level == "ABOVE_GRASSROOTS" {
			key = keyDenCongressUpper
		}
		w := b.duration(key)
		res.HoldWindow = &w
		// Working days from the receipt (inclusive) to the opening
		// (exclusive).
		if recv.Before(opening) && b.workingDaysBetween(recv.AddDays(-1), opening.AddDays(-1)) <= w.N {
			b.reason("r14.held", w, opening)
			res.Limit = Duration{N: 0, Unit: w.Unit}
			return b.finish("HELD_FOR_CONGRESS", res)
		}
		b.reason("r14.not_held", w, opening)
	}
	key := keyDenLimitProvincial
	if req.Level == "CENTRAL" {
		key = keyDenLimitCentral
	}
	res.Limit = b.duration(key)
	res.Deadline = b.add(recv, res.Limit)
	b.reason("r14.limit", codeArg{"level", req.Level}, res.Limit, res.Deadline)
	outcome := "DUE"
	if len(req.Extensions) > 0 {
		maxExt := b.duration(keyDenExtensionMax)
		maxN := b.count(keyDenMaxExtensions)
		for i, e := range req.Extensions {
			if i >= maxN || e.N > maxExt.N {
				idx := i
				res.RejectedExtension = &idx
				b.reason("r14.extension_rejected", i+1, maxN, maxExt)
				outcome = "EXTENSION_REJECTED"
				break
			}
			ext := Duration{N: e.N, Unit: maxExt.Unit}
			res.Deadline = b.add(res.Deadline, ext)
			res.AcceptedExtensions++
			b.reason("r14.extension", ext, res.Deadline)
		}
	}
	return b.finish(outcome, res)
}
