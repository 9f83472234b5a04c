package web

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/guard"
	"ktgs/internal/store"
)

// Letters, staff intake: the form (a letter by post or by hand, an
// in-person statement, a phone report) with its attachments, and the
// receipt code handed to the sender once. The allegation rows and the
// field-error mapping are shared with the classify form (letter_page.go).

// letterFormRows is the number of allegation rows the forms offer; more
// go through the API or a later classification.
const letterFormRows = 4

// allegationRow is one allegation row of the intake and classify forms;
// its inputs are named a{N}_ref, a{N}_name, a{N}_unit, a{N}_kind and
// a{N}_content.
type allegationRow struct {
	N, Num                       int // the row's index and its number for people
	Errs                         map[string]string
	Ref, Name, Unit, Kind, Text  string
	MemberID, OrgID, SubjectName string // classify: the subject already matched
}

// allegationFields are the per-row inputs.
var allegationFields = []string{"ref", "name", "unit", "kind", "content", "member_id", "org_id", "subject"}

// readAllegationRows reads n allegation rows from r's form into f.Q and
// returns the non-empty ones as inputs with the row number of each (to
// map the use case's field errors back to their row).
func readAllegationRows(r *http.Request, f *form, n int, v *ktgs.Validation) ([]app.AllegationInput, []int) {
	var in []app.AllegationInput
	var idx []int
	for i := 0; i < n; i++ {
		get := func(k string) string {
			key := fmt.Sprintf("a%d_%s", i, k)
			f.Q[key] = r.PostFormValue(key)
			return strings.TrimSpace(f.Q[key])
		}
		vals := map[string]string{}
		for _, k := range allegationFields {
			vals[k] = get(k)
		}
		if vals["ref"] == "" && vals["name"] == "" && vals["unit"] == "" && vals["content"] == "" && vals["member_id"] == "" &&
			vals["org_id"] == "" {
			continue
		}
		a := app.AllegationInput{Kind: ktgs.LetterKind(vals["kind"]), AccusedName: vals["name"], AccusedUnit: vals["unit"], Content: vals["content"]}
		switch ref := vals["ref"]; {
		case ref != "" && isCard(ref):
			a.CardNumber = app.NormaliseCard(ref)
		case ref != "":
			a.OrgCode = ref
		case vals["member_id"] != "":
			id, err := strconv.ParseInt(vals["member_id"], 10, 64)
			if err != nil || id <= 0 {
				v.Add(fmt.Sprintf("a%d_ref", i), "err.number")
			}
			a.MemberID = id
		case vals["org_id"] != "":
			id, err := strconv.ParseInt(vals["org_id"], 10, 64)
			if err != nil || id <= 0 {
				v.Add(fmt.Sprintf("a%d_ref", i), "err.number")
			}
			a.OrgID = id
		}
		in = append(in, a)
		idx = append(idx, i)
	}
	return in, idx
}

// formRows returns the allegation rows of f for a form, with the field
// errors of each (after letterFormErrors renamed them).
func formRows(f *form, n int) []allegationRow {
	rows := make([]allegationRow, n)
	for i := range rows {
		g := func(k string) string { return f.Q[fmt.Sprintf("a%d_%s", i, k)] }
		errs := map[string]string{}
		for _, k := range []string{"ref", "name", "kind", "content"} {
			if e := f.Fields[fmt.Sprintf("a%d_%s", i, k)]; e != "" {
				errs[k] = e
			}
		}
		rows[i] = allegationRow{N: i, Num: i + 1, Errs: errs, Ref: g("ref"), Name: g("name"), Unit: g("unit"), Kind: g("kind"), Text: g("content"),
			MemberID: g("member_id"), OrgID: g("org_id"), SubjectName: g("subject")}
	}
	return rows
}

var allegationErrRE = regexp.MustCompile(`^allegations\[(\d+)\]\.(\w+)$`)

// letterFormField names the form input of a use-case field error: the
// nested names of the JSON input (sender.name, allegations[1].member_id,
// files[0], results[0].conclusion …) become the form's flat ones.
func letterFormField(k string, rows []int) string {
	if m := allegationErrRE.FindStringSubmatch(k); m != nil {
		i, _ := strconv.Atoi(m[1])
		if i < len(rows) {
			i = rows[i]
		}
		switch m[2] {
		case "member_id", "card_number", "org_id", "org_code":
			return fmt.Sprintf("a%d_ref", i)
		case "accused_name", "accused_unit":
			return fmt.Sprintf("a%d_name", i)
		}
		return fmt.Sprintf("a%d_%s", i, m[2])
	}
	switch {
	case strings.HasPrefix(k, "sender."):
		return "sender_" + strings.TrimPrefix(k, "sender.")
	case strings.HasPrefix(k, "files["):
		return "files"
	case k == "body_id":
		return "org_code"
	}
	return k
}

// fieldMsg is one field error with its label, for the summary on top of
// a letter form.
type fieldMsg struct {
	Field, Label, Message string
}

// letterFormErrors renames f's field errors to the form's inputs and
// returns them labelled, in a stable order. Several errors on one input
// are joined.
func (s *Server) letterFormErrors(r *http.Request, f *form, rows []int) []fieldMsg {
	if len(f.Fields) == 0 {
		return nil
	}
	lang := langOf(r.Context())
	flat := map[string]string{}
	keys := make([]string, 0, len(f.Fields))
	for k := range f.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		name := letterFormField(k, rows)
		if prev, ok := flat[name]; ok && prev != f.Fields[k] {
			flat[name] = prev + " " + f.Fields[k]
		} else {
			flat[name] = f.Fields[k]
		}
	}
	f.Fields = flat
	out := make([]fieldMsg, 0, len(flat))
	names := make([]string, 0, len(flat))
	for k := range flat {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		out = append(out, fieldMsg{Field: k, Label: s.letterLabel(lang, k), Message: flat[k]})
	}
	return out
}

var (
	rowFieldRE      = regexp.MustCompile(`^a(\d+)_(\w+)$`)
	numberedFieldRE = regexp.MustCompile(`^(result|conclusion|team_user|team_role)_(\d+)$`)
)

// letterLabel is the label of a letter form's input.
func (s *Server) letterLabel(lang, name string) string {
	if m := rowFieldRE.FindStringSubmatch(name); m != nil {
		n, _ := strconv.Atoi(m[1])
		return s.I18n.T(lang, "letters.field.allegation_n", n+1) + " — " + s.I18n.T(lang, "letters.field.a_"+m[2])
	}
	if m := numberedFieldRE.FindStringSubmatch(name); m != nil {
		n, _ := strconv.Atoi(m[2])
		if strings.HasPrefix(m[1], "team_") {
			n++ // team rows are counted from 1 for people
		}
		return s.I18n.T(lang, "letters.field."+m[1]+"_n", n)
	}
	for _, k := range []string{"letters.field." + name, "field." + name} {
		if s.I18n.Has(lang, k) {
			return s.I18n.T(lang, k)
		}
	}
	return name
}

// letterNewPage is the intake form.
type letterNewPage struct {
	Channels  []ktgs.LetterChannel
	Modes     []ktgs.SenderMode
	BodyKinds []ktgs.BodyKind
	Kinds     []ktgs.LetterKind
	Rows      []allegationRow
	Errors    []fieldMsg
	Accept    string
	MaxFiles  int
	MaxSize   string
	// FilesLost says the form came back with errors after files were
	// chosen: the browser cannot keep them, they must be chosen again.
	FilesLost bool
}

// staffChannels are the channels of the intake form.
var staffChannels = []ktgs.LetterChannel{ktgs.ChannelPost, ktgs.ChannelInPerson, ktgs.ChannelPhone}

// allegationKinds are the kinds an allegation may have.
var allegationKinds = []ktgs.LetterKind{ktgs.LetterDenunciation, ktgs.LetterComplaint, ktgs.LetterPetition}

func (s *Server) maxFileSize() int64 {
	if s.App.MaxFileSize > 0 {
		return s.App.MaxFileSize
	}
	return app.DefaultMaxFileSize
}

func (s *Server) letterNewPage(w http.ResponseWriter, r *http.Request, f *form, errs []fieldMsg, filesLost bool, status int) error {
	f.Extra = letterNewPage{
		Channels:  staffChannels,
		Modes:     []ktgs.SenderMode{ktgs.SenderNamed, ktgs.SenderAnonymous, ktgs.SenderFalseName},
		BodyKinds: []ktgs.BodyKind{ktgs.BodyInspectionCommission, ktgs.BodyStandingCommittee, ktgs.BodyCommittee, ktgs.BodyBranch},
		Kinds:     allegationKinds,
		Rows:      formRows(f, letterFormRows),
		Errors:    errs,
		Accept:    guard.Accept(),
		MaxFiles:  maxLetterFiles,
		MaxSize:   app.SizeLabel(s.maxFileSize()),
		FilesLost: filesLost,
	}
	p := s.page(r, "letters.new")
	p.Data = f
	s.render(w, r, status, "letters_new", p)
	return nil
}

// handleLetterNew shows the intake form: received today, at the
// inspection commission of the first organisation of the user's scope.
func (s *Server) handleLetterNew(w http.ResponseWriter, r *http.Request) error {
	q := map[string]string{"channel": string(ktgs.ChannelPost), "sender_mode": string(ktgs.SenderNamed), "received_on": s.App.Today().VN(),
		"body_kind": string(ktgs.BodyInspectionCommission), "signers": "1"}
	if a := app.ActorFrom(r.Context()); a != nil && len(a.Scope) > 0 {
		s.DB.View(r.Context(), func(tx *store.Tx) error {
			if o, err := tx.OrgLatest(r.Context(), a.Scope[0]); err == nil {
				q["org_code"] = o.Code
			}
			return nil
		})
	}
	for i := 0; i < letterFormRows; i++ {
		q[fmt.Sprintf("a%d_kind", i)] = string(ktgs.LetterDenunciation)
	}
	return s.letterNewPage(w, r, &form{Q: q}, nil, false, http.StatusOK)
}

// maxLetterFiles is the number of attachments a letter may carry (the
// use case refuses more).
const maxLetterFiles = 5

// readLetterForm parses a letter form, multipart (with attachments) or
// not, bounded by the attachments' limit.
func (s *Server) readLetterForm(w http.ResponseWriter, r *http.Request) error {
	limit := s.maxFileSize()
	r.Body = http.MaxBytesReader(w, r.Body, maxLetterFiles*limit+2<<20)
	err := r.ParseMultipartForm(2 << 20)
	if err == http.ErrNotMultipart {
		err = r.ParseForm()
	}
	if err != nil {
		if _, ok := err.(*http.MaxBytesError); ok || strings.Contains(err.Error(), "too large") {
			return ktgs.Invalid("files", "err.file.too_large", app.SizeLabel(limit))
		}
		return ktgs.Invalid("form", "err.bad_request")
	}
	return nil
}

// readLetterFiles reads the attachments of a multipart letter form (input
// "files"), each bounded by the size limit.
func (s *Server) readLetterFiles(r *http.Request, v *ktgs.Validation) []app.LetterFileInput {
	if r.MultipartForm == nil {
		return nil
	}
	limit := s.maxFileSize()
	var out []app.LetterFileInput
	for _, fh := range r.MultipartForm.File["files"] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		if fh.Size > limit {
			v.Add("files", "err.file.too_large", app.SizeLabel(limit))
			continue
		}
		fl, err := fh.Open()
		if err != nil {
			v.Add("files", "err.bad_request")
			continue
		}
		data, err := io.ReadAll(io.LimitReader(fl, limit+1))
		fl.Close()
		if err != nil {
			v.Add("files", "err.bad_request")
			continue
		}
		out = append(out, app.LetterFileInput{Name: fh.Filename, Data: data})
	}
	return out
}

var letterIntakeFields = []string{"channel", "sender_mode", "sender_name", "sender_address", "sender_phone", "sender_email", "sender_id_number",
	"sender_card", "title", "content", "received_on", "org_code", "body_kind", "signers", "not_personally_signed", "lacks_civil_capacity",
	"address_unclear", "read_back_signed", "congress_related"}

// letterSenderMember resolves the sender's party card number, when staff
// know the sender is a member (R13 and the retaliation warning use it).
func (s *Server) letterSenderMember(r *http.Request, card string) (int64, error) {
	card = strings.TrimSpace(card)
	if card == "" {
		return 0, nil
	}
	var id int64
	err := s.DB.View(r.Context(), func(tx *store.Tx) error {
		m, err := tx.MemberByCard(r.Context(), app.NormaliseCard(card), s.App.Today())
		if ktgs.ErrorCode(err) == ktgs.ENOTFOUND {
			return ktgs.Invalid("sender_card", "err.member_card_unknown", card)
		} else if err != nil {
			return err
		}
		id = m.ID
		return nil
	})
	return id, err
}

// receiptCookie carries a new letter's receipt code to the letter page
// once, sealed with the identity key and bound to the letter and the
// user, on the letter's path only.
const receiptCookie = "ktgs_receipt"

func receiptAAD(letterID, userID int64) string {
	return fmt.Sprintf("web.receipt:%d:%d", letterID, userID)
}

func (s *Server) handleLetterCreate(w http.ResponseWriter, r *http.Request) error {
	err := s.readLetterForm(w, r)
	f := &form{Q: map[string]string{}}
	for _, k := range letterIntakeFields {
		f.Q[k] = r.PostFormValue(k)
	}
	var v ktgs.Validation
	allegations, rows := readAllegationRows(r, f, letterFormRows, &v)
	files := s.readLetterFiles(r, &v)
	in := app.LetterInput{Channel: ktgs.LetterChannel(f.Q["channel"]), Mode: ktgs.SenderMode(f.Q["sender_mode"]),
		Sender: ktgs.Sender{Name: f.Q["sender_name"], Address: f.Q["sender_address"], Phone: f.Q["sender_phone"], Email: f.Q["sender_email"],
			IDNumber: f.Q["sender_id_number"]},
		Title: f.Q["title"], Content: f.Q["content"], ReceivedOn: formDate(&v, "received_on", f.Q["received_on"]), OrgCode: f.Q["org_code"],
		BodyKind: ktgs.BodyKind(f.Q["body_kind"]), Allegations: allegations, NotPersonallySigned: f.Q["not_personally_signed"] != "",
		LacksCivilCapacity: f.Q["lacks_civil_capacity"] != "", AddressUnclear: f.Q["address_unclear"] != "",
		ReadBackSigned: f.Q["read_back_signed"] != "", CongressRelated: f.Q["congress_related"] != "", Files: files}
	if n := strings.TrimSpace(f.Q["signers"]); n != "" {
		var perr error
		if in.Signers, perr = strconv.Atoi(n); perr != nil {
			v.Add("signers", "err.number")
		}
	}
	if err == nil {
		err = v.Err()
	}
	if err == nil {
		in.Sender.MemberID, err = s.letterSenderMember(r, f.Q["sender_card"])
	}
	var l *ktgs.Letter
	var receipt *app.Receipt
	if err == nil {
		l, receipt, err = s.App.ReceiveLetter(r.Context(), in)
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		errs := s.letterFormErrors(r, f, rows)
		if f.Message == "" {
			f.Message = s.I18n.T(langOf(r.Context()), "letters.form_invalid")
		}
		return s.letterNewPage(w, r, f, errs, len(files) > 0, formStatus(err))
	}
	if a := app.ActorFrom(r.Context()); a != nil && s.App.Keys != nil {
		if sealed, err := s.App.Keys.Seal([]byte(receipt.Code), receiptAAD(l.ID, a.UserID)); err == nil {
			http.SetCookie(w, &http.Cookie{Name: receiptCookie, Value: sealed, Path: fmt.Sprintf("/letters/%d", l.ID), MaxAge: 600,
				HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteStrictMode})
		}
	}
	http.Redirect(w, r, fmt.Sprintf("/letters/%d", l.ID), http.StatusSeeOther)
	return nil
}

// takeReceipt returns the receipt code flashed for letter id, once: the
// cookie is cleared whatever it held.
func (s *Server) takeReceipt(w http.ResponseWriter, r *http.Request, id int64) string {
	c, err := r.Cookie(receiptCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: receiptCookie, Value: "", Path: fmt.Sprintf("/letters/%d", id), MaxAge: -1, HttpOnly: true,
		Secure: s.secure(r), SameSite: http.SameSiteStrictMode})
	a := app.ActorFrom(r.Context())
	if a == nil || s.App.Keys == nil {
		return ""
	}
	code, err := s.App.Keys.Open(c.Value, receiptAAD(id, a.UserID))
	if err != nil {
		return ""
	}
	return string(code)
}
