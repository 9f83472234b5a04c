package web

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/store"
)

// caseListPage is the case list with its filters.
type caseListPage struct {
	Cases    []*ktgs.Case
	More     bool
	NextQ    template.URL
	Kinds    []ktgs.CaseKind
	Statuses []ktgs.CaseStatus
	Today    civil.Date
}

// caseQuery reads the list filters: kind, status, year, org (a code: the
// subtree), overdue, before (paging).
func (s *Server) caseQuery(r *http.Request) (app.CaseQuery, map[string]string, error) {
	var v ktgs.Validation
	lq := s.readListQuery(r, &v, "kind", "status", "year", "overdue")
	vals := lq.Vals
	cq := app.CaseQuery{Kind: ktgs.CaseKind(vals["kind"]), Status: ktgs.CaseStatus(vals["status"]), Overdue: vals["overdue"] != "",
		SubtreeOrgID: lq.Subtree, BeforeID: lq.BeforeID, Limit: lq.Limit}
	if cq.Kind != "" && !cq.Kind.Valid() {
		v.Add("kind", "err.case.kind")
	}
	if cq.Status != "" && !cq.Status.Valid() {
		v.Add("status", "err.case.status")
	}
	if y := vals["year"]; y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1930 || n > 2100 {
			v.Add("year", "err.range", "1930", "2100")
		}
		cq.Year = n
	}
	return cq, vals, v.Err()
}

func (s *Server) handleCases(w http.ResponseWriter, r *http.Request) error {
	cq, vals, err := s.caseQuery(r)
	f := &form{Q: vals}
	data := caseListPage{Kinds: ktgs.CaseKinds, Statuses: ktgs.CaseStatuses, Today: s.App.Today()}
	if err == nil {
		data.Cases, data.More, err = s.App.ListCases(r.Context(), cq)
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
	}
	if len(data.Cases) > 0 {
		data.NextQ = nextQuery(r, data.More, data.Cases[len(data.Cases)-1].ID)
	}
	f.Extra = data
	p := s.page(r, "case.list")
	p.Data = f
	s.render(w, r, formStatus(err), "cases", p)
	return nil
}

type caseNewExtra struct {
	Kinds      []ktgs.CaseKind
	BodyKinds  []ktgs.BodyKind
	Marks      []authz.Mark
	ItemID     int64
	ItemDetail string
}

func (s *Server) caseNewPage(w http.ResponseWriter, r *http.Request, f *form, status int) error {
	if f.Q == nil {
		f.Q = map[string]string{}
	}
	f.Extra = caseNewExtra{Kinds: ktgs.CaseKinds, BodyKinds: []ktgs.BodyKind{ktgs.BodyInspectionCommission, ktgs.BodyCommittee,
		ktgs.BodyStandingCommittee, ktgs.BodyBranch}, Marks: authz.Marks}
	p := s.page(r, "case.new")
	p.Data = f
	s.render(w, r, status, "case_new", p)
	return nil
}

func (s *Server) handleCaseNew(w http.ResponseWriter, r *http.Request) error {
	return s.caseNewPage(w, r, &form{Q: map[string]string{"body_kind": string(ktgs.BodyInspectionCommission), "proposed_on": s.App.Today().VN()}}, http.StatusOK)
}

// subjectLines reads the subjects textarea: one per line, an organisation
// code or a party card number (digits).
func subjectLines(text string) []app.SubjectInput {
	var out []app.SubjectInput
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if isCard(line) {
			out = append(out, app.SubjectInput{Kind: ktgs.SubjectMember, CardNumber: line})
		} else {
			out = append(out, app.SubjectInput{Kind: ktgs.SubjectOrg, OrgCode: line})
		}
	}
	return out
}

func isCard(s string) bool {
	s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), " ", "")
	if len(s) < 6 || len(s) > 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// formDate reads an optional dd/mm/yyyy field into v.
func formDate(v *ktgs.Validation, field, s string) civil.Date {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	d, err := civil.Parse(s)
	if err == civil.ErrRange {
		v.Add(field, "err.date_nonexistent")
	} else if err != nil {
		v.Add(field, "err.date_syntax")
	}
	return d
}

func (s *Server) handleCaseCreate(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{}}
	for _, k := range []string{"kind", "org_code", "body_kind", "title", "content", "mark", "subjects", "proposed_on"} {
		f.Q[k] = r.PostFormValue(k)
	}
	var v ktgs.Validation
	in := app.CaseInput{Kind: ktgs.CaseKind(f.Q["kind"]), OrgCode: f.Q["org_code"], BodyKind: ktgs.BodyKind(f.Q["body_kind"]),
		Title: f.Q["title"], Content: f.Q["content"], Mark: f.Q["mark"], Subjects: subjectLines(f.Q["subjects"]),
		ProposedOn: formDate(&v, "proposed_on", f.Q["proposed_on"])}
	err := v.Err()
	var c *ktgs.Case
	if err == nil {
		c, err = s.App.ProposeCase(r.Context(), in)
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		return s.caseNewPage(w, r, f, formStatus(err))
	}
	http.Redirect(w, r, fmt.Sprintf("/cases/%d", c.ID), http.StatusSeeOther)
	return nil
}

// casePage is the case page.
type casePage struct {
	*app.CaseDetail
	Today      civil.Date
	Form       *form
	Kinds      []ktgs.FindingKind
	Subjects   map[int]ktgs.CaseSubject
	ReportsFor map[int64][]store.RemediationReport
	DocTypes   []string
}

// Subject returns subject seq of the case.
func (c casePage) Subject(seq int) ktgs.CaseSubject { return c.Subjects[seq] }

func (s *Server) casePage(w http.ResponseWriter, r *http.Request, id int64, f *form, status int) error {
	d, err := s.App.CaseDetail(r.Context(), id)
	if err != nil {
		return err
	}
	if f == nil {
		f = &form{}
	}
	if f.Q == nil {
		f.Q = map[string]string{}
	}
	data := casePage{CaseDetail: d, Today: s.App.Today(), Form: f, Kinds: []ktgs.FindingKind{ktgs.FindingStrength, ktgs.FindingShortcoming, ktgs.FindingViolation},
		Subjects: map[int]ktgs.CaseSubject{}, ReportsFor: map[int64][]store.RemediationReport{}, DocTypes: app.DocTypes}
	for _, sb := range d.Case.Subjects {
		data.Subjects[sb.Seq] = sb
	}
	for _, rep := range d.Reports {
		data.ReportsFor[rep.RemediationID] = append(data.ReportsFor[rep.RemediationID], rep)
	}
	p := s.page(r, "")
	p.Title = d.Case.Code + " — " + d.Case.Title
	p.Data = f
	f.Extra = data
	s.render(w, r, status, "case", p)
	return nil
}

func (s *Server) handleCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.casePage(w, r, id, nil, http.StatusOK)
}

// afterCaseForm shows the case page again with the form's errors, or
// redirects to it (anchor) on success.
func (s *Server) afterCaseForm(w http.ResponseWriter, r *http.Request, id int64, f *form, err error, anchor string) error {
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		return s.casePage(w, r, id, f, formStatus(err))
	}
	http.Redirect(w, r, fmt.Sprintf("/cases/%d#%s", id, anchor), http.StatusSeeOther)
	return nil
}

func (s *Server) handleCaseTransition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{}}
	for _, k := range []string{"name", "date", "note", "reason", "start_on", "duration_days", "duration_unit", "remediations"} {
		f.Q[k] = r.PostFormValue(k)
	}
	var v ktgs.Validation
	in := app.TransitionInput{Name: f.Q["name"], Date: formDate(&v, "date", f.Q["date"]), Note: f.Q["note"], Reason: f.Q["reason"],
		StartOn: formDate(&v, "start_on", f.Q["start_on"]), DurationUnit: f.Q["duration_unit"]}
	if d := strings.TrimSpace(f.Q["duration_days"]); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			v.Add("duration_days", "err.number")
		}
		in.DurationDays = n
	}
	in.Remediations = remediationLines(&v, f.Q["remediations"])
	err = v.Err()
	if err == nil {
		_, err = s.App.Transition(r.Context(), id, in)
	}
	return s.afterCaseForm(w, r, id, f, err, "actions")
}

// remediationLines reads the conclusion's requests: one per line,
// "subject number | due date dd/mm/yyyy | text".
func remediationLines(v *ktgs.Validation, text string) []app.RemediationInput {
	var out []app.RemediationInput
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.SplitN(line, "|", 3)
		if len(parts) != 3 {
			v.Add("remediations", "err.case.remediation_line", i+1)
			continue
		}
		seq, err := strconv.Atoi(strings.TrimSpace(parts[0]))
		if err != nil {
			v.Add("remediations", "err.case.remediation_line", i+1)
			continue
		}
		d := formDate(v, "remediations", parts[1])
		out = append(out, app.RemediationInput{SubjectSeq: seq, DueOn: d, Text: strings.TrimSpace(parts[2])})
	}
	return out
}

func (s *Server) handleCaseTeam(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{"username": r.PostFormValue("username"), "role": r.PostFormValue("role")}}
	var u *ktgs.User
	err = s.DB.View(r.Context(), func(tx *store.Tx) error {
		var err error
		u, err = tx.UserByName(r.Context(), app.NormaliseUsername(f.Q["username"]))
		if ktgs.ErrorCode(err) == ktgs.ENOTFOUND {
			return ktgs.Invalid("username", "err.not_found")
		}
		return err
	})
	if err == nil {
		err = s.App.AddTeamMember(r.Context(), id, u.ID, ktgs.TeamRole(f.Q["role"]))
	}
	if e := ktgs.AsError(err); e != nil && e.Fields["user_id"].Key != "" {
		// The form's field is the username.
		e.Fields["username"] = e.Fields["user_id"]
		delete(e.Fields, "user_id")
	}
	return s.afterCaseForm(w, r, id, f, err, "team")
}

func (s *Server) handleCaseRecuse(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	uid, err := pathID(r, "user")
	if err != nil {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{"recuse_reason": r.PostFormValue("reason")}}
	err = s.App.Recuse(r.Context(), id, uid, r.PostFormValue("reason"))
	if e := ktgs.AsError(err); e != nil && e.Fields["reason"].Key != "" {
		e.Fields["recuse_reason"] = e.Fields["reason"]
		delete(e.Fields, "reason")
	}
	return s.afterCaseForm(w, r, id, f, err, "team")
}

// readUpload parses a multipart form and returns the file in field
// "file", if any (nil when none was chosen).
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request) (*app.FileInput, error) {
	limit := s.App.MaxFileSize
	if limit <= 0 {
		limit = app.DefaultMaxFileSize
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if strings.Contains(err.Error(), "too large") {
			return nil, ktgs.Invalid("file", "err.file.too_large", app.SizeLabel(limit))
		}
		if err == http.ErrNotMultipart {
			return nil, r.ParseForm()
		}
		return nil, ktgs.Invalid("file", "err.bad_request")
	}
	fh, hdr, err := r.FormFile("file")
	if err == http.ErrMissingFile {
		return nil, nil
	} else if err != nil {
		return nil, ktgs.Invalid("file", "err.bad_request")
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, limit+1))
	if err != nil {
		return nil, ktgs.Invalid("file", "err.bad_request")
	}
	if int64(len(data)) > limit {
		return nil, ktgs.Invalid("file", "err.file.too_large", app.SizeLabel(limit))
	}
	return &app.FileInput{Name: hdr.Filename, Data: data}, nil
}

func (s *Server) handleSubjectDoc(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	seq, err := strconv.Atoi(r.PathValue("seq"))
	if err != nil {
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found")
	}
	file, err := s.readUpload(w, r)
	f := &form{Q: map[string]string{"doc_date": r.PostFormValue("date")}}
	if err == nil {
		var v ktgs.Validation
		d := formDate(&v, "doc_date", f.Q["doc_date"])
		if err = v.Err(); err == nil {
			err = s.App.RecordSubjectDoc(r.Context(), id, seq, r.PathValue("what"), d, file)
		}
	}
	return s.afterCaseForm(w, r, id, f, err, "subjects")
}

func (s *Server) handleFinding(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{}}
	for _, k := range []string{"subject_seq", "kind", "text", "responsible_card", "head", "spread", "category", "warrants_discipline"} {
		f.Q[k] = r.PostFormValue(k)
	}
	seq, _ := strconv.Atoi(f.Q["subject_seq"])
	_, err = s.App.AddFinding(r.Context(), id, app.FindingInput{SubjectSeq: seq, Kind: ktgs.FindingKind(f.Q["kind"]), Text: f.Q["text"],
		ResponsibleCard: f.Q["responsible_card"], Head: f.Q["head"] != "", Spread: f.Q["spread"] != "", Category: f.Q["category"],
		WarrantsDiscipline: f.Q["warrants_discipline"] != ""})
	return s.afterCaseForm(w, r, id, f, err, "findings")
}

func (s *Server) handleCaseFileUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	file, err := s.readUpload(w, r)
	f := &form{Q: map[string]string{}}
	if err == nil && file == nil {
		err = ktgs.Invalid("file", "err.required")
	}
	if err == nil {
		_, err = s.App.AddCaseFile(r.Context(), id, file)
	}
	return s.afterCaseForm(w, r, id, f, err, "files")
}

func (s *Server) handleRemediation(w http.ResponseWriter, r *http.Request) error {
	rid, err := pathID(r, "id")
	if err != nil {
		return err
	}
	file, err := s.readUpload(w, r)
	f := &form{Q: map[string]string{"rem_text": r.PostFormValue("text")}}
	var rem *ktgs.Remediation
	if err == nil {
		rem, err = s.App.ActOnRemediation(r.Context(), rid, app.RemediationAction{Kind: r.PostFormValue("kind"), Text: r.PostFormValue("text"), File: file})
	}
	caseID := int64(0)
	if rem != nil {
		caseID = rem.CaseID
	} else if c, cerr := s.remediationCase(r, rid); cerr == nil {
		caseID = c
	} else {
		return err
	}
	if e := ktgs.AsError(err); e != nil && e.Fields["text"].Key != "" {
		e.Fields["rem_text"] = e.Fields["text"]
		delete(e.Fields, "text")
	}
	return s.afterCaseForm(w, r, caseID, f, err, "remediation")
}

// remediationCase returns the case of remediation id (after the actor's
// read access to it is checked by CaseDetail when the page renders).
func (s *Server) remediationCase(r *http.Request, id int64) (int64, error) {
	var caseID int64
	err := s.DB.View(r.Context(), func(tx *store.Tx) error {
		rem, err := tx.Remediation(r.Context(), id)
		if err != nil {
			return err
		}
		caseID = rem.CaseID
		return nil
	})
	return caseID, err
}

// handleFile sends an attached file: the stored (sniffed) type, a safe
// name, as an attachment, never rendered inline.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cf, data, err := s.App.CaseFile(r.Context(), id)
	if err != nil {
		return err
	}
	sendAttachment(w, cf.Name, cf.Mime, data)
	return nil
}

// Programmes.

type programmesPage struct {
	Programmes []*ktgs.Programme
	Kinds      []ktgs.CaseKind
	Year       int
}

func (s *Server) handleProgrammes(w http.ResponseWriter, r *http.Request) error {
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	list, err := s.App.Programmes(r.Context(), year)
	if err != nil {
		return err
	}
	f := &form{Q: map[string]string{"kind": string(ktgs.ProgrammeAnnual), "body_kind": string(ktgs.BodyInspectionCommission),
		"year": strconv.Itoa(s.App.Today().Year()), "adopted_on": s.App.Today().VN()}, Extra: programmesPage{Programmes: list, Kinds: ktgs.CaseKinds, Year: year}}
	p := s.page(r, "programme.list")
	p.Data = f
	s.render(w, r, http.StatusOK, "programmes", p)
	return nil
}

func (s *Server) handleProgrammeCreate(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{}}
	for _, k := range []string{"kind", "org_code", "body_kind", "year", "title", "adopted_on"} {
		f.Q[k] = r.PostFormValue(k)
	}
	var v ktgs.Validation
	year, _ := strconv.Atoi(strings.TrimSpace(f.Q["year"]))
	in := app.ProgrammeInput{Kind: ktgs.ProgrammeKind(f.Q["kind"]), OrgCode: f.Q["org_code"], BodyKind: ktgs.BodyKind(f.Q["body_kind"]),
		Year: year, Title: f.Q["title"], AdoptedOn: formDate(&v, "adopted_on", f.Q["adopted_on"])}
	err := v.Err()
	var prog *ktgs.Programme
	if err == nil {
		prog, err = s.App.AdoptProgramme(r.Context(), in)
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		list, lerr := s.App.Programmes(r.Context(), 0)
		if lerr != nil {
			return lerr
		}
		f.Extra = programmesPage{Programmes: list, Kinds: ktgs.CaseKinds}
		p := s.page(r, "programme.list")
		p.Data = f
		s.render(w, r, formStatus(err), "programmes", p)
		return nil
	}
	http.Redirect(w, r, fmt.Sprintf("/programmes/%d", prog.ID), http.StatusSeeOther)
	return nil
}

type programmePage struct {
	Programme *ktgs.Programme
	Progress  app.Progress
	Today     civil.Date
	Kinds     []ktgs.CaseKind
}

func (s *Server) programmePage(w http.ResponseWriter, r *http.Request, id int64, f *form, status int) error {
	prog, err := s.App.Programme(r.Context(), id)
	if err != nil {
		return err
	}
	data := programmePage{Programme: prog, Today: s.App.Today(), Kinds: ktgs.CaseKinds}
	for i := range prog.Items {
		data.Progress.Add(&prog.Items[i], data.Today)
	}
	if f == nil {
		f = &form{}
	}
	if f.Q == nil {
		f.Q = map[string]string{}
	}
	f.Extra = data
	p := s.page(r, "")
	p.Title = prog.Title
	p.Data = f
	s.render(w, r, status, "programme", p)
	return nil
}

func (s *Server) handleProgramme(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.programmePage(w, r, id, nil, http.StatusOK)
}

func (s *Server) handleProgrammeItem(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{}}
	for _, k := range []string{"kind", "subject", "content", "from", "to", "lead"} {
		f.Q[k] = r.PostFormValue(k)
	}
	var v ktgs.Validation
	subj := subjectLines(f.Q["subject"])
	in := app.ProgrammeItemInput{Kind: ktgs.CaseKind(f.Q["kind"]), Content: f.Q["content"], From: formDate(&v, "from", f.Q["from"]),
		To: formDate(&v, "to", f.Q["to"]), Lead: f.Q["lead"]}
	if len(subj) != 1 {
		v.Add("subject", "err.required")
	} else {
		in.Subject = subj[0]
	}
	err = v.Err()
	if err == nil {
		_, err = s.App.AddProgrammeItem(r.Context(), id, in)
	}
	if e := ktgs.AsError(err); e != nil {
		for k, fe := range e.Fields {
			if nk := strings.TrimPrefix(k, "item."); nk != k {
				e.Fields[nk] = fe
				delete(e.Fields, k)
			}
		}
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		return s.programmePage(w, r, id, f, formStatus(err))
	}
	http.Redirect(w, r, fmt.Sprintf("/programmes/%d#items", id), http.StatusSeeOther)
	return nil
}

func (s *Server) handleItemCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.App.CaseFromItem(r.Context(), id, "")
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/cases/%d", c.ID), http.StatusSeeOther)
	return nil
}

// My work and the library.

type workPage struct {
	Items         []app.WorkItem
	Notifications []store.Notification
}

func (s *Server) handleWork(w http.ResponseWriter, r *http.Request) error {
	items, err := s.App.MyWork(r.Context())
	if err != nil {
		return err
	}
	notes, err := s.App.Notifications(r.Context())
	if err != nil {
		return err
	}
	p := s.page(r, "work.title")
	p.Data = workPage{Items: items, Notifications: notes}
	s.render(w, r, http.StatusOK, "work", p)
	return nil
}

type practicesPage struct {
	Query   string
	Results []store.GoodPractice
}

func (s *Server) handlePractices(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len([]rune(q)) > 100 {
		return ktgs.Invalid("q", "err.too_long", 100)
	}
	res, err := s.App.GoodPractices(r.Context(), q)
	if err != nil {
		return err
	}
	p := s.page(r, "practice.title")
	p.Q = q
	p.Data = practicesPage{Query: q, Results: res}
	s.render(w, r, http.StatusOK, "practices", p)
	return nil
}

var _ = url.QueryEscape

type progressPage struct {
	Rows []app.ProgressRow
	Year int
	Org  string
}

// progressQuery reads ?org=CODE&year=YYYY (default: the first organisation
// of the actor's scope, this year).
func (s *Server) progressQuery(r *http.Request) (int64, int, error) {
	year := s.App.Today().Year()
	if y := strings.TrimSpace(r.URL.Query().Get("year")); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1930 || n > 2100 {
			return 0, 0, ktgs.Invalid("year", "err.range", "1930", "2100")
		}
		year = n
	}
	if code := strings.TrimSpace(r.URL.Query().Get("org")); code != "" {
		ids, err := s.App.OrgIDsByCodes(r.Context(), code)
		if err != nil || len(ids) != 1 {
			return 0, 0, ktgs.Invalid("org", "err.auth.scope_code", code)
		}
		return ids[0], year, nil
	}
	a := app.ActorFrom(r.Context())
	if a == nil || len(a.Scope) == 0 {
		return 0, 0, ktgs.Invalid("org", "err.required")
	}
	return a.Scope[0], year, nil
}

func (s *Server) handleProgress(w http.ResponseWriter, r *http.Request) error {
	id, year, err := s.progressQuery(r)
	if err != nil {
		return err
	}
	rows, err := s.App.ProgressRollup(r.Context(), id, year)
	if err != nil {
		return err
	}
	p := s.page(r, "progress.title")
	p.Data = progressPage{Rows: rows, Year: year, Org: r.URL.Query().Get("org")}
	s.render(w, r, http.StatusOK, "progress", p)
	return nil
}

func (s *Server) apiProgress(w http.ResponseWriter, r *http.Request) error {
	id, year, err := s.progressQuery(r)
	if err != nil {
		return err
	}
	rows, err := s.App.ProgressRollup(r.Context(), id, year)
	if err != nil {
		return err
	}
	type rowJSON struct {
		OrgID int64  `json:"org_id"`
		Code  string `json:"code"`
		Name  string `json:"name"`
		Own   bool   `json:"own"`
		app.Progress
	}
	out := []rowJSON{}
	for _, row := range rows {
		out = append(out, rowJSON{OrgID: row.Org.ID, Code: row.Org.Code, Name: row.Org.Name, Own: row.Own, Progress: row.Progress})
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": year, "rows": out})
	return nil
}
