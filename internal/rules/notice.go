package rules

import "ktgs/internal/civil"

// NotificationRequest is the request of R18 (state-notification): by when
// must a state body notify the managing party organisation?
// decision_date (of the state decision) chooses the rule set.
type NotificationRequest struct {
	// Kind is STATE_DISCIPLINE (a state body, the Fatherland Front or a
	// socio-political organisation suspends or disciplines a party
	// member) or LAW_ENFORCEMENT (prosecution, detention, indictment or
	// trial decisions).
	Kind         string `json:"kind"`
	DecisionDate string `json:"decision_date"`
	NotifiedOn   string `json:"notified_on,omitempty"`
}

// NotificationResult is the result of R18.
type NotificationResult struct {
	Period   *Duration  `json:"period,omitempty"`
	Deadline civil.Date `json:"deadline,omitempty"`
}

// evalNotification decides R18.
func evalNotification(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[NotificationRequest]("R18", data)
	if err != nil {
		return nil, err
	}
	v := &validator{rule: "R18"}
	v.enum("kind", req.Kind, []string{"STATE_DISCIPLINE", "LAW_ENFORCEMENT"}, true)
	dd := v.date("decision_date", req.DecisionDate, true)
	nd := v.date("notified_on", req.NotifiedOn, false)
	v.order("decision_date", dd, "notified_on", nd)
	if err := v.err(); err != nil {
		return nil, err
	}
	b, err := r.newBuilder("R18", SeriesParty, dd, "decision_date")
	if err != nil {
		return nil, err
	}
	key := keyNotifyEnforcement
	if req.Kind == "STATE_DISCIPLINE" {
		key = keyNotifyState
		if b.peek(key) == nil {
			b.reason("r18.no_duty", b.set.ID)
			return b.finish("NO_DUTY", &NotificationResult{})
		}
	}
	p := b.duration(key)
	res := &NotificationResult{Period: &p, Deadline: b.add(dd, p)}
	b.reason("r18."+lower(req.Kind), p, dd, res.Deadline)
	switch {
	case nd == 0:
		return b.finish("DUE", res)
	case nd.After(res.Deadline):
		b.reason("r18.late", nd)
		return b.finish("LATE", res)
	}
	b.reason("r18.on_time", nd)
	return b.finish("ON_TIME", res)
}

// WrongfulRequest is the request of R19 (wrongful-discipline): what must
// the organisation that imposed a wrongful discipline do, and by when?
// finding_received_on chooses the rule set.
type WrongfulRequest struct {
	SubjectKind string `json:"subject_kind"`
	Form        string `json:"form"`
	// Ground is PARTY_CONCLUSION (a competent party organisation found the
	// discipline wrongful) or LEGAL_AUTHORITY (a legal authority found
	// the member wrongly investigated, prosecuted or tried).
	Ground            string `json:"ground"`
	FindingReceivedOn string `json:"finding_received_on"`
	NotifiedOn        string `json:"notified_on,omitempty"`
}

// Measure is one restoration measure with its texts.
type Measure struct {
	Code string `json:"code"`
	VI   string `json:"vi"`
	EN   string `json:"en"`
}

// WrongfulResult is the result of R19.
type WrongfulResult struct {
	Deadline civil.Date `json:"deadline"`
	Measures []Measure  `json:"measures"`
}

// evalWrongful decides R19.
func evalWrongful(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[WrongfulRequest]("R19", data)
	if err != nil {
		return nil, err
	}
	v := &validator{rule: "R19"}
	kind, _ := v.subjectKind("subject_kind", req.SubjectKind)
	form, _ := v.form("form", req.Form, true)
	v.enum("ground", req.Ground, []string{"PARTY_CONCLUSION", "LEGAL_AUTHORITY"}, true)
	fd := v.date("finding_received_on", req.FindingReceivedOn, true)
	nd := v.date("notified_on", req.NotifiedOn, false)
	v.order("finding_received_on", fd, "notified_on", nd)
	if err := v.err(); err != nil {
		return nil, err
	}
	b, err := r.newBuilder("R19", SeriesParty, fd, "finding_received_on")
	if err != nil {
		return nil, err
	}
	if !b.checkForm(v, "form", subject{kind: kind, holdsPost: true}, form) {
		return nil, v.err()
	}
	p := b.duration(keyWrongfulDeadline)
	res := &WrongfulResult{Deadline: b.add(fd, p), Measures: []Measure{}}
	b.reason("r19.ground", codeArg{"wrongful_ground", req.Ground})
	b.reason("r19.notice", p, fd, res.Deadline)
	b.reason("r19.duties")
	if mv := b.value(keyWrongfulRestoration); mv != nil {
		for _, m := range mv.Measures[form] {
			key := "rules.code.measure." + m
			res.Measures = append(res.Measures, Measure{Code: m, VI: text("vi", key), EN: text("en", key)})
		}
		if len(mv.Measures[form]) == 0 {
			b.reason("r19.no_measure", form)
		} else {
			b.reason("r19.measures", form)
		}
	}
	switch {
	case nd == 0:
		return b.finish("DUE", res)
	case nd.After(res.Deadline):
		b.reason("r19.late", nd)
		return b.finish("LATE", res)
	}
	b.reason("r19.on_time", nd)
	return b.finish("ON_TIME", res)
}
