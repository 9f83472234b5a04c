package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/store"
)

// Complaints about discipline (khiếu nại kỷ luật đảng): list, filing from
// a decided proceeding, the complaint page with resolve, escalate and
// withdraw; the JSON API beside them.

func (s *Server) complaintQuery(r *http.Request) (app.ComplaintQuery, map[string]string, error) {
	var v ktgs.Validation
	lq := s.readListQuery(r, &v, "status")
	cq := app.ComplaintQuery{Status: ktgs.ComplaintStatus(lq.Vals["status"]), SubtreeOrgID: lq.Subtree, BeforeID: lq.BeforeID, Limit: lq.Limit}
	if cq.Status != "" && !cq.Status.Valid() {
		v.Add("status", "err.proceeding.status")
	}
	return cq, lq.Vals, v.Err()
}

type complaintListPage struct {
	Complaints []*ktgs.Complaint
	Statuses   []ktgs.ComplaintStatus
	NextQ      template.URL
}

func (s *Server) handleComplaints(w http.ResponseWriter, r *http.Request) error {
	cq, vals, err := s.complaintQuery(r)
	f := &form{Q: vals}
	data := complaintListPage{Statuses: ktgs.ComplaintStatuses}
	if err == nil {
		var more bool
		data.Complaints, more, err = s.App.ListComplaints(r.Context(), cq)
		if len(data.Complaints) > 0 {
			data.NextQ = nextQuery(r, more, data.Complaints[len(data.Complaints)-1].ID)
		}
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
	}
	f.Extra = data
	p := s.page(r, "compl.list")
	p.Data = f
	s.render(w, r, formStatus(err), "complaints", p)
	return nil
}

// complaintNewPage is the filing form of a complaint about proceeding
// id; the complainant defaults to the disciplined member or organisation.
func (s *Server) complaintNewPage(w http.ResponseWriter, r *http.Request, procID int64, f *form, status int) error {
	d, err := s.App.ProceedingDetail(r.Context(), procID)
	if err != nil {
		return err
	}
	if f.Q == nil {
		f.Q = map[string]string{}
	}
	f.Extra = d.Proceeding
	p := s.page(r, "compl.new")
	p.Data = f
	s.render(w, r, status, "complaint_new", p)
	return nil
}

func (s *Server) handleComplaintNew(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.URL.Query().Get("proceeding"), 10, 64)
	if err != nil || id <= 0 {
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found")
	}
	return s.complaintNewPage(w, r, id, &form{Q: map[string]string{"filed_on": s.App.Today().VN()}}, http.StatusOK)
}

// complainantFrom resolves the form's complainant: a party card number
// for a member, an organisation code for an organisation.
func (s *Server) complainantFrom(r *http.Request, in *app.ComplaintInput, card, code string) error {
	card, code = strings.TrimSpace(card), strings.TrimSpace(code)
	if card == "" && code == "" {
		return nil
	}
	return s.DB.View(r.Context(), func(tx *store.Tx) error {
		if card != "" {
			m, err := tx.MemberByCard(r.Context(), app.NormaliseCard(card), s.App.Today())
			if ktgs.ErrorCode(err) == ktgs.ENOTFOUND {
				return ktgs.Invalid("complainant_card", "err.member_card_unknown", card)
			} else if err != nil {
				return err
			}
			in.ComplainantKind, in.ComplainantMemberID = ktgs.SubjectMember, m.ID
			return nil
		}
		id, err := tx.OrgIDByCode(r.Context(), app.NormaliseCode(code))
		if ktgs.ErrorCode(err) == ktgs.ENOTFOUND {
			return ktgs.Invalid("complainant_org", "err.auth.scope_code", code)
		} else if err != nil {
			return err
		}
		in.ComplainantKind, in.ComplainantOrgID = ktgs.SubjectOrg, id
		return nil
	})
}

func (s *Server) complaintInput(r *http.Request, f *form) (app.ComplaintInput, error) {
	var v ktgs.Validation
	in := app.ComplaintInput{Content: f.Q["content"], FiledOn: formDate(&v, "filed_on", f.Q["filed_on"]),
		ReceivedDecisionOn: formDate(&v, "received_decision_on", f.Q["received_decision_on"]), CourtSentence: f.Q["court_sentence"] != "",
		RefusedDecision: f.Q["refused_decision"] != "", MovedOut: f.Q["moved_out"] != ""}
	if err := v.Err(); err != nil {
		return in, err
	}
	return in, s.complainantFrom(r, &in, f.Q["complainant_card"], f.Q["complainant_org"])
}

var complaintFields = []string{"proceeding_id", "complainant_card", "complainant_org", "content", "filed_on", "received_decision_on",
	"court_sentence", "refused_decision", "moved_out"}

func (s *Server) handleComplaintCreate(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{}}
	for _, k := range complaintFields {
		f.Q[k] = r.PostFormValue(k)
	}
	procID, err := strconv.ParseInt(strings.TrimSpace(f.Q["proceeding_id"]), 10, 64)
	if err != nil || procID <= 0 {
		return ktgs.Invalid("proceeding_id", "err.number")
	}
	in, err := s.complaintInput(r, f)
	in.ProceedingID = procID
	var c *ktgs.Complaint
	if err == nil {
		c, err = s.App.FileComplaint(r.Context(), in)
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		return s.complaintNewPage(w, r, procID, f, formStatus(err))
	}
	http.Redirect(w, r, fmt.Sprintf("/complaints/%d", c.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) complaintPage(w http.ResponseWriter, r *http.Request, id int64, f *form, status int) error {
	d, err := s.App.ComplaintDetail(r.Context(), id)
	if err != nil {
		return err
	}
	if f == nil {
		f = &form{}
	}
	if f.Q == nil {
		f.Q = map[string]string{}
	}
	f.Extra = d
	p := s.page(r, "")
	p.Title = d.Complaint.Code + " — " + d.Complaint.ComplainantName
	p.Data = f
	s.render(w, r, status, "complaint", p)
	return nil
}

func (s *Server) handleComplaint(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.complaintPage(w, r, id, nil, http.StatusOK)
}

func (s *Server) handleComplaintStep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{}}
	for k := range r.PostForm {
		f.Q[k] = r.PostFormValue(k)
	}
	var v ktgs.Validation
	var c *ktgs.Complaint
	switch r.PathValue("step") {
	case ktgs.StepComplaintResolve:
		in := app.ResolveComplaintInput{Outcome: ktgs.ComplaintOutcome(f.Q["outcome"]), NewForm: ktgs.DisciplineForm(f.Q["new_form"]),
			ResolvedOn: formDate(&v, "resolved_on", f.Q["resolved_on"]), AnnouncedOn: formDate(&v, "announced_on", f.Q["announced_on"]),
			Resolution: f.Q["resolution"]}
		if err = v.Err(); err == nil {
			c, err = s.App.ResolveComplaint(r.Context(), id, in)
		}
	case ktgs.StepComplaintWithdraw:
		in := app.WithdrawComplaintInput{Date: formDate(&v, "date", f.Q["date"]), Reason: f.Q["reason"]}
		if err = v.Err(); err == nil {
			c, err = s.App.WithdrawComplaint(r.Context(), id, in)
		}
	case ktgs.StepComplaintEscalate:
		var in app.ComplaintInput
		if in, err = s.complaintInput(r, f); err == nil {
			c, err = s.App.EscalateComplaint(r.Context(), id, in)
		}
	default:
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found")
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		return s.complaintPage(w, r, id, f, formStatus(err))
	}
	http.Redirect(w, r, fmt.Sprintf("/complaints/%d", c.ID), http.StatusSeeOther)
	return nil
}

// The JSON API.

type complaintJSON struct {
	*ktgs.Complaint
	Mark string `json:"mark"`
}

func (s *Server) apiComplaints(w http.ResponseWriter, r *http.Request) error {
	cq, _, err := s.complaintQuery(r)
	if err != nil {
		return err
	}
	list, more, err := s.App.ListComplaints(r.Context(), cq)
	if err != nil {
		return err
	}
	out := listJSON[complaintJSON]{Date: s.App.Today(), Items: []complaintJSON{}}
	for _, c := range list {
		out.Items = append(out.Items, complaintJSON{Complaint: c, Mark: c.Mark.Code()})
	}
	if more && len(list) > 0 {
		out.Next = strconv.FormatInt(list[len(list)-1].ID, 10)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiFileComplaint(w http.ResponseWriter, r *http.Request) error {
	var in app.ComplaintInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := s.App.FileComplaint(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, complaintJSON{Complaint: c, Mark: c.Mark.Code()})
	return nil
}

func (s *Server) apiComplaint(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.App.ComplaintDetail(r.Context(), id)
	if err != nil {
		return err
	}
	if d.Next == nil {
		d.Next = []string{}
	}
	out := struct {
		*app.ComplaintDetail
		Documents []documentJSON `json:"documents"`
	}{ComplaintDetail: d, Documents: []documentJSON{}}
	for i := range d.Documents {
		out.Documents = append(out.Documents, toDocumentJSON(&d.Documents[i]))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiComplaintStep(step string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var c *ktgs.Complaint
		status := http.StatusOK
		switch step {
		case ktgs.StepComplaintResolve:
			var in app.ResolveComplaintInput
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			c, err = s.App.ResolveComplaint(r.Context(), id, in)
		case ktgs.StepComplaintWithdraw:
			var in app.WithdrawComplaintInput
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			c, err = s.App.WithdrawComplaint(r.Context(), id, in)
		default:
			var in app.ComplaintInput
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			c, err = s.App.EscalateComplaint(r.Context(), id, in)
			status = http.StatusCreated
		}
		if err != nil {
			return err
		}
		writeJSON(w, status, complaintJSON{Complaint: c, Mark: c.Mark.Code()})
		return nil
	}
}
