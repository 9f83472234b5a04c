package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/docgen"
	"ktgs/internal/store"
)

func (s *Server) handleDocumentCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	d, err := s.App.CreateDocument(r.Context(), id, r.PostFormValue("type"))
	if err != nil {
		return s.afterCaseForm(w, r, id, &form{Q: map[string]string{}}, err, "documents")
	}
	http.Redirect(w, r, fmt.Sprintf("/documents/%d", d.ID), http.StatusSeeOther)
	return nil
}

type documentPage struct {
	Doc   *store.Document
	Owner *app.DocOwner
	Text  string
}

func (s *Server) documentPage(w http.ResponseWriter, r *http.Request, id int64, f *form, status int) error {
	d, fields, c, err := s.App.Document(r.Context(), id)
	if err != nil {
		return err
	}
	if f == nil {
		f = &form{}
	}
	if f.Q == nil {
		f.Q = map[string]string{"superior_body": fields.SuperiorBody, "issuing_body": fields.IssuingBody, "place": fields.Place,
			"summary": fields.Summary, "body": strings.Join(fields.Body, "\n"), "capacity": fields.Capacity, "signer_title": fields.SignerTitle,
			"signer_name": fields.SignerName, "recipients": strings.Join(fields.Recipients, "\n")}
	}
	data := documentPage{Doc: d, Owner: c}
	if d.Status == "ISSUED" {
		data.Text = docgen.Text(&docgen.Document{SuperiorBody: fields.SuperiorBody, IssuingBody: fields.IssuingBody, Number: d.NumberText,
			Place: fields.Place, Date: d.IssuedOn, Summary: fields.Summary, Signature: docgen.Signature{Capacity: fields.Capacity,
				Title: fields.SignerTitle, Name: fields.SignerName}, Recipients: fields.Recipients, Body: blocks(fields.Body)})
	}
	f.Extra = data
	p := s.page(r, "")
	p.Title = c.Code + " — " + s.I18n.T(langOf(r.Context()), "doctype."+d.Type)
	p.Data = f
	s.render(w, r, status, "document", p)
	return nil
}

func blocks(lines []string) []docgen.Block {
	out := make([]docgen.Block, 0, len(lines))
	for _, l := range lines {
		out = append(out, docgen.Block{Text: l})
	}
	return out
}

func (s *Server) handleDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.documentPage(w, r, id, nil, http.StatusOK)
}

func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (s *Server) handleDocumentUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{}}
	for _, k := range []string{"superior_body", "issuing_body", "place", "summary", "body", "capacity", "signer_title", "signer_name", "recipients"} {
		f.Q[k] = r.PostFormValue(k)
	}
	_, err = s.App.UpdateDocument(r.Context(), id, app.DocFields{SuperiorBody: f.Q["superior_body"], IssuingBody: f.Q["issuing_body"],
		Place: f.Q["place"], Summary: f.Q["summary"], Body: splitLines(f.Q["body"]), Capacity: f.Q["capacity"], SignerTitle: f.Q["signer_title"],
		SignerName: f.Q["signer_name"], Recipients: splitLines(f.Q["recipients"])})
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			if ktgs.ErrorCode(err) != ktgs.ECONFLICT {
				return ferr
			}
			f.Message = s.I18n.T(langOf(r.Context()), ktgs.AsError(err).Message)
		}
		return s.documentPage(w, r, id, f, formStatus(err))
	}
	f.Notice = s.I18n.T(langOf(r.Context()), "doc.saved")
	return s.documentPage(w, r, id, f, http.StatusOK)
}

func (s *Server) handleDocumentIssue(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{"issue_date": r.PostFormValue("issue_date"), "number": r.PostFormValue("number")}}
	var v ktgs.Validation
	in := app.IssueInput{Date: formDate(&v, "issue_date", f.Q["issue_date"])}
	if n := strings.TrimSpace(f.Q["number"]); n != "" {
		num, err := strconv.Atoi(n)
		if err != nil {
			v.Add("number", "err.number")
		}
		in.Number = num
	}
	err = v.Err()
	if err == nil {
		_, err = s.App.IssueDocument(r.Context(), id, in)
	}
	if e := ktgs.AsError(err); e != nil && e.Fields["date"].Key != "" {
		e.Fields["issue_date"] = e.Fields["date"]
		delete(e.Fields, "date")
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			if ktgs.ErrorCode(err) != ktgs.ECONFLICT {
				return ferr
			}
			f.Message = s.I18n.T(langOf(r.Context()), ktgs.AsError(err).Message)
		}
		f.Q = nil // refill the draft's fields
		pf := f
		return s.documentPage(w, r, id, pf, formStatus(err))
	}
	http.Redirect(w, r, fmt.Sprintf("/documents/%d", id), http.StatusSeeOther)
	return nil
}

func (s *Server) handleDocumentFile(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		name, ctype, data, err := s.App.DocumentFile(r.Context(), id, format)
		if err != nil {
			return err
		}
		sendAttachment(w, name, ctype, data)
		return nil
	}
}
