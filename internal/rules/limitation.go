package rules

import (
	"slices"
	"strconv"

	"ktgs/internal/civil"
)

// LimitationRequest is the request of R6 (limitation): is the statute of
// limitations (thời hiệu) for a violation expired when the competent
// organisation concludes? The rule set is chosen by the violation date.
type LimitationRequest struct {
	SubjectKind   string `json:"subject_kind"`
	ViolationDate string `json:"violation_date"`
	// ContinuingUntil is the end of a continuing violation; the period
	// then runs from it.
	ContinuingUntil string `json:"continuing_until,omitempty"`
	// NewViolationDates are later violations; one inside the period
	// restarts it.
	NewViolationDates []string `json:"new_violation_dates,omitempty"`
	// WarrantedForm is the form the conclusion says the violation warrants.
	WarrantedForm string `json:"warranted_form"`
	// Category is the violation category (see Categories); some have no
	// limitation.
	Category       string `json:"category,omitempty"`
	ConclusionDate string `json:"conclusion_date"`
}

// LimitationResult is the result of R6.
type LimitationResult struct {
	// Start is the day the period runs from: the violation, the end of a
	// continuing violation, or the latest new violation that reset it.
	Start civil.Date `json:"start"`
	// Period is the limitation; nil when there is none.
	Period *Duration `json:"period,omitempty"`
	// ExpiresOn is the last day inside the period (Start plus Period).
	ExpiresOn civil.Date `json:"expires_on,omitempty"`
	// ResetBy lists the new violations that restarted the period.
	ResetBy []civil.Date `json:"reset_by"`
}

// evalLimitation decides R6.
func evalLimitation(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[LimitationRequest]("R6", data)
	if err != nil {
		return nil, err
	}
	v := &validator{rule: "R6"}
	kind, _ := v.subjectKind("subject_kind", req.SubjectKind)
	vd := v.date("violation_date", req.ViolationDate, true)
	cu := v.date("continuing_until", req.ContinuingUntil, false)
	cd := v.date("conclusion_date", req.ConclusionDate, true)
	v.order("violation_date", vd, "continuing_until", cu)
	v.order("violation_date", vd, "conclusion_date", cd)
	v.order("continuing_until", cu, "conclusion_date", cd)
	var news []civil.Date
	if v.list("new_violation_dates", len(req.NewViolationDates)) {
		for i, s := range req.NewViolationDates {
			f := "new_violation_dates[" + strconv.Itoa(i) + "]"
			d := v.date(f, s, true)
			v.order("violation_date", vd, f, d)
			v.order(f, d, "conclusion_date", cd)
			if d != 0 {
				news = append(news, d)
			}
		}
	}
	form, _ := v.form("warranted_form", req.WarrantedForm, true)
	v.enum("category", req.Category, Categories, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	b, err := r.newBuilder("R6", SeriesParty, vd, "violation_date")
	if err != nil {
		return nil, err
	}
	if !b.checkForm(v, "warranted_form", subject{kind: kind, holdsPost: true}, form) {
		return nil, v.err()
	}
	res := &LimitationResult{Start: vd, ResetBy: []civil.Date{}}
	b.reason("r6.must_vote", form)
	if slices.Contains(b.forms(keyLimitNoneForms), form) {
		b.reason("r6.no_limit_form", form)
		return b.finish("NO_LIMITATION", res)
	}
	if req.Category != "" && slices.Contains(b.codes(keyLimitNoneCats), req.Category) {
		b.reason("r6.no_limit_category", codeArg{"category", req.Category})
		return b.finish("NO_LIMITATION", res)
	}
	key := keyLimitWarning
	if form == FormReprimand {
		key = keyLimitReprimand
	}
	period := b.duration(key)
	res.Period = &period
	b.reason("r6.period", form, period)
	if cu != 0 && b.flag(keyLimitContinuing) {
		res.Start = cu
		b.reason("r6.continuing", cu)
	}
	if len(news) > 0 && b.flag(keyLimitReset) {
		slices.Sort(news)
		for _, d := range news {
			if d.After(res.Start) && !d.After(b.add(res.Start, period)) {
				res.Start = d
				res.ResetBy = append(res.ResetBy, d)
				b.reason("r6.reset", d)
			}
		}
	}
	res.ExpiresOn = b.add(res.Start, period)
	if cd.After(res.ExpiresOn) {
		b.reason("r6.expired", res.Start, res.ExpiresOn, cd)
		return b.finish("EXPIRED", res)
	}
	b.reason("r6.not_expired", res.Start, res.ExpiresOn, cd)
	return b.finish("NOT_EXPIRED", res)
}
