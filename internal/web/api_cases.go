package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/civil"
	"ktgs/internal/store"
)

// decodeJSON reads a JSON request body (at most 1 MiB, unknown fields
// refused) into v.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return ktgs.Invalid("body", "err.json", err.Error())
	}
	return nil
}

type caseJSON struct {
	ID           int64         `json:"id"`
	Code         string        `json:"code"`
	Kind         ktgs.CaseKind `json:"kind"`
	BodyID       int64         `json:"body_id"`
	BodyKind     ktgs.BodyKind `json:"body_kind"`
	OrgID        int64         `json:"org_id"`
	OrgName      string        `json:"org_name,omitempty"`
	Title        string        `json:"title"`
	Content      string        `json:"content,omitempty"`
	Mark         string        `json:"mark"`
	Status       string        `json:"status"`
	Year         int           `json:"year"`
	ProposedOn   civil.Date    `json:"proposed_on"`
	DecidedOn    *civil.Date   `json:"decided_on,omitempty"`
	StartOn      *civil.Date   `json:"start_on,omitempty"`
	DurationDays int           `json:"duration_days,omitempty"`
	DurationUnit string        `json:"duration_unit,omitempty"`
	DueOn        *civil.Date   `json:"due_on,omitempty"`
	Overdue      bool          `json:"overdue"`
	ConcludedOn  *civil.Date   `json:"concluded_on,omitempty"`
	ClosedOn     *civil.Date   `json:"closed_on,omitempty"`
	Subjects     []subjectJSON `json:"subjects,omitempty"`
}

type subjectJSON struct {
	Seq          int         `json:"seq"`
	Kind         string      `json:"kind"`
	OrgID        int64       `json:"org_id"`
	MemberID     int64       `json:"member_id,omitempty"`
	Name         string      `json:"name"`
	SelfReportOn *civil.Date `json:"self_report_on,omitempty"`
	CommentsOn   *civil.Date `json:"comments_on,omitempty"`
}

func toCaseJSON(c *ktgs.Case, today civil.Date) caseJSON {
	out := caseJSON{ID: c.ID, Code: c.Code, Kind: c.Kind, BodyID: c.BodyID, BodyKind: c.BodyKind, OrgID: c.OrgID, OrgName: c.OrgName,
		Title: c.Title, Content: c.Content, Mark: c.Mark.Code(), Status: string(c.Status), Year: c.Year, ProposedOn: c.ProposedOn,
		DecidedOn: datePtr(c.DecidedOn), StartOn: datePtr(c.StartOn), DurationDays: c.DurationDays, DurationUnit: c.DurationUnit,
		DueOn: datePtr(c.DueOn), Overdue: c.Overdue(today), ConcludedOn: datePtr(c.ConcludedOn), ClosedOn: datePtr(c.ClosedOn)}
	for _, s := range c.Subjects {
		out.Subjects = append(out.Subjects, subjectJSON{Seq: s.Seq, Kind: string(s.Kind), OrgID: s.OrgID, MemberID: s.MemberID, Name: s.Name,
			SelfReportOn: datePtr(s.SelfReportOn), CommentsOn: datePtr(s.CommentsOn)})
	}
	return out
}

func (s *Server) apiCases(w http.ResponseWriter, r *http.Request) error {
	cq, _, err := s.caseQuery(r)
	if err != nil {
		return err
	}
	list, more, err := s.App.ListCases(r.Context(), cq)
	if err != nil {
		return err
	}
	today := s.App.Today()
	out := listJSON[caseJSON]{Date: today, Items: []caseJSON{}}
	for _, c := range list {
		out.Items = append(out.Items, toCaseJSON(c, today))
	}
	if more && len(list) > 0 {
		out.Next = strconv.FormatInt(list[len(list)-1].ID, 10)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiCreateCase(w http.ResponseWriter, r *http.Request) error {
	var in app.CaseInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := s.App.ProposeCase(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toCaseJSON(c, s.App.Today()))
	return nil
}

type caseDetailJSON struct {
	caseJSON
	Team         []teamJSON                `json:"team"`
	Events       []eventJSON               `json:"events"`
	Findings     []ktgs.Finding            `json:"findings"`
	Remediations []ktgs.Remediation        `json:"remediations"`
	Reports      []store.RemediationReport `json:"remediation_reports"`
	Files        []fileJSON                `json:"files"`
	Documents    []documentJSON            `json:"documents"`
	Next         []string                  `json:"next"`
}

type teamJSON struct {
	UserID      int64       `json:"user_id"`
	DisplayName string      `json:"display_name"`
	Role        string      `json:"role"`
	AddedOn     civil.Date  `json:"added_on"`
	RemovedOn   *civil.Date `json:"removed_on,omitempty"`
	Reason      string      `json:"reason,omitempty"`
}

type eventJSON struct {
	At         string `json:"at"`
	Actor      string `json:"actor"`
	Transition string `json:"transition"`
	From       string `json:"from,omitempty"`
	To         string `json:"to,omitempty"`
	Note       string `json:"note,omitempty"`
}

type fileJSON struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Mime   string `json:"mime"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

type documentJSON struct {
	ID       int64       `json:"id"`
	Type     string      `json:"type"`
	Status   string      `json:"status"`
	Number   string      `json:"number,omitempty"`
	Term     string      `json:"term,omitempty"`
	IssuedOn *civil.Date `json:"issued_on,omitempty"`
	DocxHash string      `json:"docx_sha256,omitempty"`
	PDFHash  string      `json:"pdf_sha256,omitempty"`
}

func toDocumentJSON(d *store.Document) documentJSON {
	return documentJSON{ID: d.ID, Type: d.Type, Status: d.Status, Number: d.NumberText, Term: d.TermName, IssuedOn: datePtr(d.IssuedOn),
		DocxHash: d.DocxHash, PDFHash: d.PDFHash}
}

func (s *Server) apiCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.App.CaseDetail(r.Context(), id)
	if err != nil {
		return err
	}
	out := caseDetailJSON{caseJSON: toCaseJSON(d.Case, s.App.Today()), Team: []teamJSON{}, Events: []eventJSON{}, Findings: d.Findings,
		Remediations: d.Remediations, Reports: d.Reports, Files: []fileJSON{}, Documents: []documentJSON{}, Next: []string{}}
	for _, m := range d.Team {
		out.Team = append(out.Team, teamJSON{UserID: m.UserID, DisplayName: m.DisplayName, Role: string(m.Role), AddedOn: m.AddedOn,
			RemovedOn: datePtr(m.RemovedOn), Reason: m.Reason})
	}
	for _, e := range d.Events {
		out.Events = append(out.Events, eventJSON{At: e.At.UTC().Format("2006-01-02T15:04:05Z"), Actor: e.Actor, Transition: e.Transition,
			From: string(e.From), To: string(e.To), Note: e.Note})
	}
	for _, f := range d.Files {
		out.Files = append(out.Files, fileJSON{ID: f.ID, Name: f.Name, Kind: f.Kind, Mime: f.Mime, Size: f.Size, SHA256: f.Hash})
	}
	for i := range d.Documents {
		out.Documents = append(out.Documents, toDocumentJSON(&d.Documents[i]))
	}
	for _, t := range d.Next {
		out.Next = append(out.Next, t.Name)
	}
	if out.Findings == nil {
		out.Findings = []ktgs.Finding{}
	}
	if out.Remediations == nil {
		out.Remediations = []ktgs.Remediation{}
	}
	if out.Reports == nil {
		out.Reports = []store.RemediationReport{}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiTransition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in app.TransitionInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := s.App.Transition(r.Context(), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toCaseJSON(c, s.App.Today()))
	return nil
}

func (s *Server) apiTeam(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		UserID   int64         `json:"user_id"`
		Username string        `json:"username"`
		Role     ktgs.TeamRole `json:"role"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.UserID == 0 && in.Username != "" {
		err := s.DB.View(r.Context(), func(tx *store.Tx) error {
			u, err := tx.UserByName(r.Context(), app.NormaliseUsername(in.Username))
			if ktgs.ErrorCode(err) == ktgs.ENOTFOUND {
				return ktgs.Invalid("username", "err.not_found")
			} else if err != nil {
				return err
			}
			in.UserID = u.ID
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := s.App.AddTeamMember(r.Context(), id, in.UserID, in.Role); err != nil {
		return err
	}
	return s.apiCase(w, r)
}

func (s *Server) apiRecuse(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	uid, err := pathID(r, "user")
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.App.Recuse(r.Context(), id, uid, in.Reason); err != nil {
		return err
	}
	return s.apiCase(w, r)
}

func (s *Server) apiSubjectDoc(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	seq, err := strconv.Atoi(r.PathValue("seq"))
	if err != nil {
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found")
	}
	var in struct {
		Date civil.Date `json:"date"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.App.RecordSubjectDoc(r.Context(), id, seq, r.PathValue("what"), in.Date, nil); err != nil {
		return err
	}
	return s.apiCase(w, r)
}

func (s *Server) apiFinding(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in app.FindingInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	f, err := s.App.AddFinding(r.Context(), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, f)
	return nil
}

// apiUpload takes a file as the raw request body, its name in ?name=.
func (s *Server) apiUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	limit := s.App.MaxFileSize
	if limit <= 0 {
		limit = app.DefaultMaxFileSize
	}
	data, err := readAllLimited(w, r, limit)
	if err != nil {
		return err
	}
	cf, err := s.App.AddCaseFile(r.Context(), id, &app.FileInput{Name: r.URL.Query().Get("name"), Data: data})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, fileJSON{ID: cf.ID, Name: cf.Name, Kind: cf.Kind, Mime: cf.Mime, Size: cf.Size, SHA256: cf.Hash})
	return nil
}

func readAllLimited(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body := http.MaxBytesReader(w, r.Body, limit)
	var buf []byte
	chunk := make([]byte, 32<<10)
	for {
		n, err := body.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if err != nil {
			if err.Error() == "EOF" {
				return buf, nil
			}
			if _, ok := err.(*http.MaxBytesError); ok {
				return nil, ktgs.Invalid("file", "err.file.too_large", app.SizeLabel(limit))
			}
			return nil, ktgs.Invalid("file", "err.bad_request")
		}
	}
}

func (s *Server) apiRemediation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in app.RemediationAction
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	rem, err := s.App.ActOnRemediation(r.Context(), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rem)
	return nil
}

func (s *Server) apiCreateDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Type string `json:"type"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := s.App.CreateDocument(r.Context(), id, in.Type)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toDocumentJSON(d))
	return nil
}

func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, f, _, err := s.App.Document(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"document": toDocumentJSON(d), "fields": f})
	return nil
}

func (s *Server) apiUpdateDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var f app.DocFields
	if err := decodeJSON(w, r, &f); err != nil {
		return err
	}
	d, err := s.App.UpdateDocument(r.Context(), id, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toDocumentJSON(d))
	return nil
}

func (s *Server) apiIssueDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in app.IssueInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := s.App.IssueDocument(r.Context(), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toDocumentJSON(d))
	return nil
}

func (s *Server) apiProgrammes(w http.ResponseWriter, r *http.Request) error {
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	list, err := s.App.Programmes(r.Context(), year)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*ktgs.Programme{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}

func (s *Server) apiCreateProgramme(w http.ResponseWriter, r *http.Request) error {
	var in app.ProgrammeInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	p, err := s.App.AdoptProgramme(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (s *Server) apiProgramme(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.App.Programme(r.Context(), id)
	if err != nil {
		return err
	}
	var prog app.Progress
	today := s.App.Today()
	for i := range p.Items {
		prog.Add(&p.Items[i], today)
	}
	writeJSON(w, http.StatusOK, map[string]any{"programme": p, "progress": prog})
	return nil
}

func (s *Server) apiProgrammeItem(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in app.ProgrammeItemInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	it, err := s.App.AddProgrammeItem(r.Context(), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, it)
	return nil
}

func (s *Server) apiItemCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.App.CaseFromItem(r.Context(), id, "")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toCaseJSON(c, s.App.Today()))
	return nil
}

func (s *Server) apiWork(w http.ResponseWriter, r *http.Request) error {
	items, err := s.App.MyWork(r.Context())
	if err != nil {
		return err
	}
	type itemJSON struct {
		Kind    string      `json:"kind"`
		CaseID  int64       `json:"case_id,omitempty"`
		Code    string      `json:"code,omitempty"`
		Title   string      `json:"title"`
		Due     *civil.Date `json:"due,omitempty"`
		Overdue bool        `json:"overdue"`
		Link    string      `json:"link"`
		Detail  string      `json:"detail,omitempty"`
	}
	out := []itemJSON{}
	for _, it := range items {
		out = append(out, itemJSON{Kind: it.Kind, CaseID: it.CaseID, Code: it.Code, Title: it.Title, Due: datePtr(it.Due), Overdue: it.Overdue,
			Link: it.Link, Detail: it.Detail})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) apiConflict(w http.ResponseWriter, r *http.Request) error {
	var in app.ConflictInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := s.App.RegisterConflict(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) apiPractices(w http.ResponseWriter, r *http.Request) error {
	res, err := s.App.GoodPractices(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	if res == nil {
		res = []store.GoodPractice{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": res})
	return nil
}
