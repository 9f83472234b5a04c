package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/app"
)

// Suspension of party activity (đình chỉ sinh hoạt đảng): list, new, page
// and the extend and end steps; the JSON API beside them.

func (s *Server) suspensionQuery(r *http.Request) (app.SuspensionQuery, map[string]string, error) {
	var v ktgs.Validation
	lq := s.readListQuery(r, &v, "status", "member_id", "ending_by")
	sq := app.SuspensionQuery{Status: ktgs.SuspensionStatus(lq.Vals["status"]), SubtreeOrgID: lq.Subtree, BeforeID: lq.BeforeID, Limit: lq.Limit}
	if sq.Status != "" && !sq.Status.Valid() {
		v.Add("status", "err.proceeding.status")
	}
	if m := lq.Vals["member_id"]; m != "" {
		n, err := strconv.ParseInt(m, 10, 64)
		if err != nil || n <= 0 {
			v.Add("member_id", "err.number")
		}
		sq.MemberID = n
	}
	sq.EndingBy = formDate(&v, "ending_by", lq.Vals["ending_by"])
	return sq, lq.Vals, v.Err()
}

type suspensionListPage struct {
	Suspensions []*ktgs.Suspension
	NextQ       template.URL
}

func (s *Server) handleSuspensions(w http.ResponseWriter, r *http.Request) error {
	sq, vals, err := s.suspensionQuery(r)
	f := &form{Q: vals}
	var data suspensionListPage
	if err == nil {
		var more bool
		data.Suspensions, more, err = s.App.ListSuspensions(r.Context(), sq)
		if len(data.Suspensions) > 0 {
			data.NextQ = nextQuery(r, more, data.Suspensions[len(data.Suspensions)-1].ID)
		}
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
	}
	f.Extra = data
	p := s.page(r, "susp.list")
	p.Data = f
	s.render(w, r, formStatus(err), "suspensions", p)
	return nil
}

var suspensionFields = []string{"card_number", "body_org_code", "body_kind", "proceeding_id", "decided_on", "start_on", "initial", "reason",
	"criminal_proceedings"}

func (s *Server) suspensionNewPage(w http.ResponseWriter, r *http.Request, f *form, status int) error {
	f.Extra = []ktgs.BodyKind{ktgs.BodyBranch, ktgs.BodyInspectionCommission, ktgs.BodyStandingCommittee, ktgs.BodyCommittee}
	p := s.page(r, "susp.new")
	p.Data = f
	s.render(w, r, status, "suspension_new", p)
	return nil
}

// handleSuspensionNew shows the form; ?proceeding=ID links a proceeding
// (its member by default).
func (s *Server) handleSuspensionNew(w http.ResponseWriter, r *http.Request) error {
	q := map[string]string{"body_kind": string(ktgs.BodyInspectionCommission), "decided_on": s.App.Today().VN()}
	if p := strings.TrimSpace(r.URL.Query().Get("proceeding")); p != "" {
		if _, err := strconv.ParseInt(p, 10, 64); err == nil {
			q["proceeding_id"] = p
		}
	}
	return s.suspensionNewPage(w, r, &form{Q: q}, http.StatusOK)
}

func (s *Server) handleSuspensionCreate(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{}}
	for _, k := range suspensionFields {
		f.Q[k] = r.PostFormValue(k)
	}
	var v ktgs.Validation
	in := app.SuspensionInput{CardNumber: f.Q["card_number"], BodyOrgCode: f.Q["body_org_code"], BodyKind: ktgs.BodyKind(f.Q["body_kind"]),
		DecidedOn: formDate(&v, "decided_on", f.Q["decided_on"]), StartOn: formDate(&v, "start_on", f.Q["start_on"]), Reason: f.Q["reason"],
		CriminalProceedings: f.Q["criminal_proceedings"] != ""}
	if n := strings.TrimSpace(f.Q["initial"]); n != "" {
		x, err := strconv.Atoi(n)
		if err != nil || x < 0 {
			v.Add("initial", "err.count")
		}
		in.Initial = x
	}
	if n := strings.TrimSpace(f.Q["proceeding_id"]); n != "" {
		x, err := strconv.ParseInt(n, 10, 64)
		if err != nil {
			v.Add("proceeding_id", "err.number")
		}
		in.ProceedingID = x
	}
	err := v.Err()
	var sp *ktgs.Suspension
	if err == nil {
		sp, err = s.App.Suspend(r.Context(), in)
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		return s.suspensionNewPage(w, r, f, formStatus(err))
	}
	http.Redirect(w, r, fmt.Sprintf("/suspensions/%d", sp.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) suspensionPage(w http.ResponseWriter, r *http.Request, id int64, f *form, status int) error {
	d, err := s.App.SuspensionDetail(r.Context(), id)
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
	p.Title = d.Suspension.Code + " — " + d.Suspension.SubjectName
	p.Data = f
	s.render(w, r, status, "suspension", p)
	return nil
}

func (s *Server) handleSuspension(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.suspensionPage(w, r, id, nil, http.StatusOK)
}

func (s *Server) handleSuspensionStep(w http.ResponseWriter, r *http.Request) error {
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
	switch r.PathValue("step") {
	case ktgs.SuspensionStepExtend:
		in := app.SuspensionExtendInput{DecidedOn: formDate(&v, "decided_on", f.Q["decided_on"]), Reason: f.Q["reason"]}
		n, perr := strconv.Atoi(strings.TrimSpace(f.Q["length"]))
		if perr != nil || n < 1 {
			v.Add("length", "err.count")
		}
		in.Length = n
		if err = v.Err(); err == nil {
			_, err = s.App.ExtendSuspension(r.Context(), id, in)
		}
	case ktgs.SuspensionStepEnd:
		in := app.SuspensionEndInput{EndedOn: formDate(&v, "ended_on", f.Q["ended_on"]), Reason: f.Q["reason"]}
		if err = v.Err(); err == nil {
			_, err = s.App.EndSuspension(r.Context(), id, in)
		}
	default:
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found")
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		return s.suspensionPage(w, r, id, f, formStatus(err))
	}
	http.Redirect(w, r, fmt.Sprintf("/suspensions/%d#history", id), http.StatusSeeOther)
	return nil
}

// The JSON API.

type suspensionJSON struct {
	*ktgs.Suspension
	Mark string `json:"mark"`
}

func (s *Server) apiSuspensions(w http.ResponseWriter, r *http.Request) error {
	sq, _, err := s.suspensionQuery(r)
	if err != nil {
		return err
	}
	list, more, err := s.App.ListSuspensions(r.Context(), sq)
	if err != nil {
		return err
	}
	out := listJSON[suspensionJSON]{Date: s.App.Today(), Items: []suspensionJSON{}}
	for _, sp := range list {
		out.Items = append(out.Items, suspensionJSON{Suspension: sp, Mark: sp.Mark.Code()})
	}
	if more && len(list) > 0 {
		out.Next = strconv.FormatInt(list[len(list)-1].ID, 10)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiSuspend(w http.ResponseWriter, r *http.Request) error {
	var in app.SuspensionInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	sp, err := s.App.Suspend(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, suspensionJSON{Suspension: sp, Mark: sp.Mark.Code()})
	return nil
}

func (s *Server) apiSuspension(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.App.SuspensionDetail(r.Context(), id)
	if err != nil {
		return err
	}
	if d.Next == nil {
		d.Next = []string{}
	}
	out := struct {
		*app.SuspensionDetail
		Documents []documentJSON `json:"documents"`
	}{SuspensionDetail: d, Documents: []documentJSON{}}
	for i := range d.Documents {
		out.Documents = append(out.Documents, toDocumentJSON(&d.Documents[i]))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiSuspensionStep(step string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var sp *ktgs.Suspension
		if step == ktgs.SuspensionStepExtend {
			var in app.SuspensionExtendInput
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			sp, err = s.App.ExtendSuspension(r.Context(), id, in)
		} else {
			var in app.SuspensionEndInput
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			sp, err = s.App.EndSuspension(r.Context(), id, in)
		}
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, suspensionJSON{Suspension: sp, Mark: sp.Mark.Code()})
		return nil
	}
}
