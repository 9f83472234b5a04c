package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
)

// rulesPage is the "Tra cứu quy định" page: the facts of a discipline
// question and, once asked, the decisions with their citations.
type rulesPage struct {
	Q          map[string]string // the submitted values, to refill the form
	Asked      bool
	Answers    []app.RuleAnswer
	Fields     map[string]string // field errors by field name
	Message    string
	Forms      []rules.Form
	BodyKinds  []rules.BodyKind
	Categories []string
	Scopes     []rules.Scope
	VoteForms  []rules.Form
	List       []rules.RuleInfo
}

var ruleFields = []string{"subject_kind", "card_number", "subject_org_code", "body_kind", "body_org_code", "category", "scope", "form",
	"violation_date", "decision_date", "announced_on", "official", "probationary", "absent_temp", "absent_exempt", "absent_other"}

// handleRules shows the form and, when the facts are given, the decisions.
func (s *Server) handleRules(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	data := rulesPage{Q: map[string]string{}, Fields: map[string]string{}, Forms: rules.Forms, BodyKinds: rules.BodyKinds,
		Categories: rules.Categories, Scopes: rules.Scopes, VoteForms: rules.Forms, List: rules.Rules()}
	for _, k := range ruleFields {
		data.Q[k] = strings.TrimSpace(q.Get(k))
	}
	for _, f := range rules.Forms {
		data.Q["votes_"+string(f)] = strings.TrimSpace(q.Get("votes_" + string(f)))
	}
	if data.Q["subject_kind"] == "" {
		data.Q["subject_kind"] = "MEMBER"
	}
	p := s.page(r, "rules.title")
	lang := p.Lang
	status := http.StatusOK
	if q.Get("ask") != "" {
		data.Asked = true
		facts, verr := factsFromQuery(data.Q)
		var err error
		if verr == nil {
			data.Answers, err = s.App.CheckDiscipline(r.Context(), facts)
		} else {
			err = verr
		}
		if e := ktgs.AsError(err); e != nil && e.Code == ktgs.EINVALID {
			status = http.StatusBadRequest
			data.Message = s.I18n.T(lang, e.Message, e.Args...)
			for k, f := range e.Fields {
				data.Fields[k] = s.I18n.T(lang, f.Key, f.Args...)
			}
		} else if err != nil {
			return err
		}
	}
	p.Data = data
	s.render(w, r, status, "rules", p)
	return nil
}

// factsFromQuery reads the form; a malformed date or count is a field error.
func factsFromQuery(q map[string]string) (app.DisciplineFacts, error) {
	var v ktgs.Validation
	date := func(k string) civil.Date {
		if q[k] == "" {
			return 0
		}
		d, err := civil.Parse(q[k])
		switch {
		case err == civil.ErrRange:
			v.Add(k, "err.date_nonexistent")
		case err != nil:
			v.Add(k, "err.date_syntax")
		}
		return d
	}
	num := func(k string) int {
		if q[k] == "" {
			return 0
		}
		n, err := strconv.Atoi(q[k])
		if err != nil || n < 0 || n > 100000 {
			v.Add(k, "err.count")
		}
		return n
	}
	f := app.DisciplineFacts{SubjectKind: q["subject_kind"], Card: q["card_number"], SubjectOrgCode: q["subject_org_code"],
		BodyKind: q["body_kind"], BodyOrgCode: q["body_org_code"], Category: q["category"], Scope: q["scope"], Form: q["form"],
		ViolationDate: date("violation_date"), DecisionDate: date("decision_date"), AnnouncedOn: date("announced_on"),
		Official: num("official"), Probationary: num("probationary"), AbsentTemp: num("absent_temp"),
		AbsentExempt: num("absent_exempt"), AbsentOther: num("absent_other"), Votes: map[string]int{}}
	for _, form := range rules.Forms {
		k := "votes_" + string(form)
		if q[k] != "" {
			f.Votes[string(form)] = num(k)
		}
	}
	if len(f.Votes) == 0 {
		f.Votes = nil
	}
	return f, v.Err()
}

// RuleText returns the text of a reason in the page's language.
func (p *Page) RuleText(r rules.Reason) string {
	if p.Lang == "en" {
		return r.EN
	}
	return r.VI
}

// Outcome names a decision's outcome.
func (p *Page) Outcome(o string) string {
	if k := "rules.outcome." + o; p.cat.Has(p.Lang, k) {
		return p.T(k)
	}
	return o
}

// apiRules lists the rules.
func (s *Server) apiRules(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]any{"items": rules.Rules()})
	return nil
}

// apiEvaluate evaluates one rule on a JSON request: the same decision as
// "ktgs rules explain RULE" (docs/RULES-API.md).
func (s *Server) apiEvaluate(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		return ktgs.Invalid("request", "err.body_too_large", "1 MB")
	}
	dec, err := s.App.Rules.Evaluate(r.PathValue("rule"), body)
	if err != nil {
		if e := ktgs.AsError(err); e != nil {
			return e
		}
		return err
	}
	writeJSON(w, http.StatusOK, dec)
	return nil
}

func (d rulesPage) value(name string) string      { return d.Q[name] }
func (d rulesPage) fieldError(name string) string { return d.Fields[name] }
