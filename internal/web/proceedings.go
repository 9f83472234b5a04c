package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/rules"
)

// Discipline proceedings: list, new, page and one form per step.

// proceedingQuery reads the list filters: status, org (a code: the
// subtree), member (an id), before (paging).
func (s *Server) proceedingQuery(r *http.Request) (app.ProceedingQuery, map[string]string, error) {
	var v ktgs.Validation
	lq := s.readListQuery(r, &v, "status", "member_id")
	pq := app.ProceedingQuery{Status: ktgs.ProceedingStatus(lq.Vals["status"]), SubtreeOrgID: lq.Subtree, BeforeID: lq.BeforeID, Limit: lq.Limit}
	if pq.Status != "" && !pq.Status.Valid() {
		v.Add("status", "err.proceeding.status")
	}
	if m := lq.Vals["member_id"]; m != "" {
		n, err := strconv.ParseInt(m, 10, 64)
		if err != nil || n <= 0 {
			v.Add("member_id", "err.number")
		}
		pq.MemberID = n
	}
	return pq, lq.Vals, v.Err()
}

type proceedingListPage struct {
	Proceedings []*ktgs.Proceeding
	Statuses    []ktgs.ProceedingStatus
	NextQ       template.URL
}

func (s *Server) handleProceedings(w http.ResponseWriter, r *http.Request) error {
	pq, vals, err := s.proceedingQuery(r)
	f := &form{Q: vals}
	data := proceedingListPage{Statuses: ktgs.ProceedingStatuses}
	if err == nil {
		var more bool
		data.Proceedings, more, err = s.App.ListProceedings(r.Context(), pq)
		if len(data.Proceedings) > 0 {
			data.NextQ = nextQuery(r, more, data.Proceedings[len(data.Proceedings)-1].ID)
		}
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
	}
	f.Extra = data
	p := s.page(r, "proc.list")
	p.Data = f
	s.render(w, r, formStatus(err), "proceedings", p)
	return nil
}

type proceedingNewExtra struct {
	Origins    []ktgs.ProceedingOrigin
	Forms      []ktgs.DisciplineForm
	BodyKinds  []ktgs.BodyKind
	Categories []string
	Scopes     []rules.Scope
}

var proceedingFields = []string{"subject_kind", "card_number", "org_code", "body_org_code", "body_kind", "origin", "finding_id", "notice_ref",
	"notice_decision_on", "notice_received_on", "category", "violation_scope", "violation", "violation_on", "continuing_until",
	"warranted_form", "opened_on"}

func (s *Server) proceedingNewPage(w http.ResponseWriter, r *http.Request, f *form, status int) error {
	f.Extra = proceedingNewExtra{Origins: ktgs.ProceedingOrigins, Forms: ktgs.DisciplineForms, BodyKinds: []ktgs.BodyKind{ktgs.BodyBranch,
		ktgs.BodyInspectionCommission, ktgs.BodyStandingCommittee, ktgs.BodyCommittee}, Categories: rules.Categories, Scopes: rules.Scopes}
	p := s.page(r, "proc.new")
	p.Data = f
	s.render(w, r, status, "proceeding_new", p)
	return nil
}

// handleProceedingNew shows the form; ?finding=ID opens from a violation
// finding (the subject, the text and the category come from it).
func (s *Server) handleProceedingNew(w http.ResponseWriter, r *http.Request) error {
	q := map[string]string{"subject_kind": "MEMBER", "body_kind": string(ktgs.BodyBranch), "origin": string(ktgs.OriginDirect),
		"warranted_form": string(ktgs.FormReprimand), "opened_on": s.App.Today().VN(), "category": "KHAC"}
	if f := strings.TrimSpace(r.URL.Query().Get("finding")); f != "" {
		if _, err := strconv.ParseInt(f, 10, 64); err == nil {
			q["origin"], q["finding_id"], q["subject_kind"] = string(ktgs.OriginFinding), f, ""
		}
	}
	return s.proceedingNewPage(w, r, &form{Q: q}, http.StatusOK)
}

func (s *Server) handleProceedingCreate(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{}}
	for _, k := range proceedingFields {
		f.Q[k] = r.PostFormValue(k)
	}
	var v ktgs.Validation
	in := app.ProceedingInput{SubjectKind: ktgs.SubjectKind(f.Q["subject_kind"]), BodyOrgCode: f.Q["body_org_code"],
		BodyKind: ktgs.BodyKind(f.Q["body_kind"]), Origin: ktgs.ProceedingOrigin(f.Q["origin"]), NoticeRef: f.Q["notice_ref"],
		NoticeDecisionOn: formDate(&v, "notice_decision_on", f.Q["notice_decision_on"]), NoticeReceivedOn: formDate(&v, "notice_received_on", f.Q["notice_received_on"]),
		Category: f.Q["category"], ViolationScope: f.Q["violation_scope"], Violation: f.Q["violation"],
		ViolationOn: formDate(&v, "violation_on", f.Q["violation_on"]), ContinuingUntil: formDate(&v, "continuing_until", f.Q["continuing_until"]),
		WarrantedForm: ktgs.DisciplineForm(f.Q["warranted_form"]), OpenedOn: formDate(&v, "opened_on", f.Q["opened_on"])}
	switch in.SubjectKind {
	case ktgs.SubjectMember:
		in.CardNumber = f.Q["card_number"]
	case ktgs.SubjectOrg:
		in.OrgCode = f.Q["org_code"]
	}
	if id := strings.TrimSpace(f.Q["finding_id"]); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			v.Add("finding_id", "err.number")
		}
		in.FindingID = n
	}
	err := v.Err()
	var p *ktgs.Proceeding
	if err == nil {
		p, err = s.App.OpenProceeding(r.Context(), in)
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		return s.proceedingNewPage(w, r, f, formStatus(err))
	}
	http.Redirect(w, r, fmt.Sprintf("/proceedings/%d", p.ID), http.StatusSeeOther)
	return nil
}

// proceedingPage is the proceeding page: the detail (with the posts and
// seats a removal may name, and the complaints), each event's rule
// decisions decoded, and what the step forms offer.
type proceedingPage struct {
	*app.ProceedingDetail
	EventRules map[int64][]ruleEntry
	LiveRules  []ruleEntry
	VoteForms  []ktgs.DisciplineForm
	Grounds    []ktgs.PostponeGround
}

// ruleEntry is one rule decision shown on the page.
type ruleEntry struct {
	Rule     string
	Decision *rules.Decision
}

func sortedRules(m map[string]*rules.Decision) []ruleEntry {
	var out []ruleEntry
	for _, k := range []string{"R1", "R18", "R2", "R4", "R6", "R7", "R8", "R19"} {
		if d, ok := m[k]; ok && d != nil {
			out = append(out, ruleEntry{Rule: k, Decision: d})
		}
	}
	return out
}

func (s *Server) proceedingPage(w http.ResponseWriter, r *http.Request, id int64, f *form, status int) error {
	d, err := s.App.ProceedingDetail(r.Context(), id)
	if err != nil {
		return err
	}
	if f == nil {
		f = &form{}
	}
	if f.Q == nil {
		f.Q = map[string]string{}
	}
	data := proceedingPage{ProceedingDetail: d, EventRules: map[int64][]ruleEntry{}, LiveRules: sortedRules(d.Live),
		Grounds: ktgs.PostponeGrounds, VoteForms: []ktgs.DisciplineForm{ktgs.FormReprimand, ktgs.FormWarning, ktgs.FormRemoval, ktgs.FormExpulsion}}
	for _, e := range d.Events {
		var m map[string]*rules.Decision
		if e.Rules != "" && json.Unmarshal([]byte(e.Rules), &m) == nil {
			data.EventRules[e.ID] = sortedRules(m)
		}
	}
	if d.Proceeding.SubjectKind == ktgs.SubjectOrg {
		data.VoteForms = []ktgs.DisciplineForm{ktgs.FormReprimand, ktgs.FormWarning, ktgs.FormDissolution}
	}
	p := s.page(r, "")
	p.Title = d.Proceeding.Code + " — " + d.Proceeding.SubjectName
	p.Data = f
	f.Extra = data
	s.render(w, r, status, "proceeding", p)
	return nil
}

func (s *Server) handleProceeding(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.proceedingPage(w, r, id, nil, http.StatusOK)
}

// handleProceedingStep takes one step from the page's forms.
func (s *Server) handleProceedingStep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	step := r.PathValue("step")
	f := &form{Q: map[string]string{}}
	for k := range r.PostForm {
		f.Q[k] = r.PostFormValue(k)
	}
	var v ktgs.Validation
	num := func(k string) int {
		s := strings.TrimSpace(f.Q[k])
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			v.Add(k, "err.count")
		}
		return n
	}
	switch step {
	case ktgs.StepHear:
		in := app.HearInput{HeardOn: formDate(&v, "heard_on", f.Q["heard_on"]), SelfCriticismOn: formDate(&v, "self_criticism_on", f.Q["self_criticism_on"]),
			Note: f.Q["note"]}
		if err = v.Err(); err == nil {
			_, err = s.App.Hear(r.Context(), id, in)
		}
	case ktgs.StepVote:
		in := app.VoteInput{HeldOn: formDate(&v, "held_on", f.Q["held_on"]), Official: num("official"), Probationary: num("probationary"),
			AbsentTemp: num("absent_temp"), AbsentExempt: num("absent_exempt"), AbsentOther: num("absent_other"), Votes: map[string]int{},
			Note: f.Q["note"]}
		for _, form := range ktgs.DisciplineForms {
			if k := "votes_" + string(form); strings.TrimSpace(f.Q[k]) != "" {
				in.Votes[string(form)] = num(k)
			}
		}
		if strings.TrimSpace(f.Q["votes_NONE"]) != "" {
			in.Votes["NONE"] = num("votes_NONE")
		}
		if err = v.Err(); err == nil {
			_, err = s.App.Vote(r.Context(), id, in)
		}
	case ktgs.StepDecide:
		in := app.DecideInput{DecidedOn: formDate(&v, "decided_on", f.Q["decided_on"]), AnnouncedOn: formDate(&v, "announced_on", f.Q["announced_on"]),
			RemovedPosts: r.PostForm["removed_posts"], TransferTo: strings.TrimSpace(f.Q["transfer_to"])}
		if strings.TrimSpace(f.Q["report_by"]) != "" {
			in.ReportBy = formDate(&v, "report_by", f.Q["report_by"])
		}
		if n := strings.TrimSpace(f.Q["number"]); n != "" {
			in.Number = num("number")
		}
		if err = v.Err(); err == nil {
			_, err = s.App.Decide(r.Context(), id, in)
		}
	case ktgs.StepWrongful:
		in := app.WrongfulInput{Ground: f.Q["ground"], FindingReceivedOn: formDate(&v, "finding_received_on", f.Q["finding_received_on"]),
			Reference: f.Q["reference"]}
		if err = v.Err(); err == nil {
			_, err = s.App.DeclareWrongful(r.Context(), id, in)
		}
	case "persons":
		in := app.PersonInput{CardNumber: f.Q["card_number"], IsHead: f.Q["is_head"] != "", Assessment: f.Q["assessment"]}
		_, err = s.App.AssessPerson(r.Context(), id, in)
	case ktgs.StepPostpone, ktgs.StepResume, ktgs.StepCancel, ktgs.StepExempt:
		in := app.PostponeInput{Ground: ktgs.PostponeGround(f.Q["ground"]), Reason: f.Q["reason"], Date: formDate(&v, "date", f.Q["date"])}
		if err = v.Err(); err == nil {
			switch step {
			case ktgs.StepPostpone:
				_, err = s.App.Postpone(r.Context(), id, in)
			case ktgs.StepResume:
				_, err = s.App.Resume(r.Context(), id, in)
			case ktgs.StepExempt:
				_, err = s.App.Exempt(r.Context(), id, in)
			default:
				_, err = s.App.CancelProceeding(r.Context(), id, in)
			}
		}
	default:
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found")
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		return s.proceedingPage(w, r, id, f, formStatus(err))
	}
	http.Redirect(w, r, fmt.Sprintf("/proceedings/%d#history", id), http.StatusSeeOther)
	return nil
}
