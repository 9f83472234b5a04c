package rules

import (
	"strconv"

	"ktgs/internal/calendar"
	"ktgs/internal/civil"
)

// SuspensionRequest is the request of R15 (suspension): how long may party
// activity be suspended, and are the requested extensions allowed?
// start_date chooses the rule set.
type SuspensionRequest struct {
	SubjectKind string `json:"subject_kind"`
	StartDate   string `json:"start_date"`
	// CriminalProceedings: the member is prosecuted or detained; the
	// suspension then follows the legal time limits.
	CriminalProceedings bool `json:"criminal_proceedings,omitempty"`
	// Initial is the initial length in the rule set's unit; it defaults to
	// the maximum.
	Initial    int           `json:"initial,omitempty"`
	Extensions []ExtensionIn `json:"extensions,omitempty"`
}

// SuspensionResult is the result of R15.
type SuspensionResult struct {
	Unit calendar.Unit `json:"unit,omitempty"`
	// Initial and Total are lengths in Unit; Total includes the accepted
	// extensions.
	Initial int `json:"initial"`
	Total   int `json:"total"`
	// MaxTotal is the longest suspension the rule set allows.
	MaxTotal *Duration `json:"max_total,omitempty"`
	// EndsOn is the last day of the suspension (start plus Total).
	EndsOn             civil.Date `json:"ends_on,omitempty"`
	AcceptedExtensions int        `json:"accepted_extensions"`
	RejectedExtension  *int       `json:"rejected_extension,omitempty"`
	// DuesPayable: a suspended member still pays party dues.
	DuesPayable bool `json:"dues_payable"`
}

// evalSuspension decides R15.
func evalSuspension(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[SuspensionRequest]("R15", data)
	if err != nil {
		return nil, err
	}
	v := &validator{rule: "R15"}
	kind, _ := v.subjectKind("subject_kind", req.SubjectKind)
	start := v.date("start_date", req.StartDate, true)
	v.count("initial", req.Initial, maxDays)
	if v.list("extensions", len(req.Extensions)) {
		for i, e := range req.Extensions {
			if e.N < 1 || e.N > maxDays {
				v.add("extensions["+strconv.Itoa(i)+"].n", "rules.err.range", e.N, 1, maxDays)
			}
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	b, err := r.newBuilder("R15", SeriesParty, start, "start_date")
	if err != nil {
		return nil, err
	}
	res := &SuspensionResult{}
	if kind == SubjectMember {
		res.DuesPayable = b.flag(keySuspDues)
	}
	if kind == SubjectMember && req.CriminalProceedings && b.flag(keySuspCriminal) {
		b.reason("r15.criminal")
		if res.DuesPayable {
			b.reason("r15.dues")
		}
		return b.finish("FOLLOWS_LEGAL_TIME_LIMITS", res)
	}
	var initial, total Duration
	var extMax *Duration
	maxExt := -1 // no limit on the number of extensions
	if kind == SubjectOrg {
		initial = b.duration(keySuspOrgMax)
		total = initial
		b.reason("r15.org", initial)
	} else {
		initial = b.duration(keySuspInitial)
		total = b.duration(keySuspTotal)
		b.reason("r15.member", initial, total)
		if b.peek(keySuspMaxExtensions) != nil {
			maxExt = b.count(keySuspMaxExtensions)
			b.reason("r15.extensions", maxExt)
		}
		if b.peek(keySuspExtensionMax) != nil {
			d := b.duration(keySuspExtensionMax)
			extMax = &d
			b.reason("r15.extension_max", d)
		}
	}
	res.Unit, res.MaxTotal = initial.Unit, &total
	res.Initial = initial.N
	if req.Initial > 0 {
		if req.Initial > initial.N {
			v.add("initial", "rules.err.range", req.Initial, 1, initial.N)
			return nil, v.err()
		}
		res.Initial = req.Initial
	}
	res.Total = res.Initial
	outcome := "ALLOWED"
	for i, e := range req.Extensions {
		switch {
		case maxExt >= 0 && i >= maxExt:
			b.reason("r15.too_many_extensions", i+1, maxExt)
		case extMax != nil && e.N > extMax.N:
			b.reason("r15.extension_too_long", i+1, Duration{e.N, initial.Unit}, *extMax)
		case res.Total+e.N > total.N:
			b.reason("r15.total_exceeded", i+1, Duration{res.Total + e.N, initial.Unit}, total)
		default:
			res.Total += e.N
			res.AcceptedExtensions++
			b.reason("r15.extension", i+1, Duration{e.N, initial.Unit})
			continue
		}
		idx := i
		res.RejectedExtension = &idx
		outcome = "EXTENSION_REJECTED"
		break
	}
	res.EndsOn = b.add(start, Duration{res.Total, initial.Unit})
	b.reason("r15.ends", Duration{res.Total, initial.Unit}, res.EndsOn)
	if res.DuesPayable {
		b.reason("r15.dues")
	}
	return b.finish(outcome, res)
}
