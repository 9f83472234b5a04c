package web

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
)

// The letters' JSON API: the inbox, intake for integrations (the national
// e-ID app gateway acts as a user with an API token), the detail, every
// step, and the audited reveal of the sender. No answer but the reveal's
// carries the identity, its sealed text or its blind-index tags.

// letterJSON is a letter in the API.
type letterJSON struct {
	ID                  int64              `json:"id"`
	Code                string             `json:"code"`
	Channel             ktgs.LetterChannel `json:"channel"`
	Kind                ktgs.LetterKind    `json:"kind,omitempty"`
	SenderMode          ktgs.SenderMode    `json:"sender_mode"`
	Title               string             `json:"title"`
	Content             string             `json:"content,omitempty"`
	ReceivedOn          civil.Date         `json:"received_on"`
	ReceivedOrgID       int64              `json:"received_org_id"`
	HolderBodyID        int64              `json:"holder_body_id"`
	HolderBodyName      string             `json:"holder_body_name"`
	HolderBodyKind      ktgs.BodyKind      `json:"holder_body_kind"`
	HolderOrgID         int64              `json:"holder_org_id"`
	CompetentBodyID     int64              `json:"competent_body_id,omitempty"`
	CompetentBodyName   string             `json:"competent_body_name,omitempty"`
	CompetentOn         *civil.Date        `json:"competent_on,omitempty"`
	DueOn               *civil.Date        `json:"due_on,omitempty"`
	Overdue             bool               `json:"overdue"`
	Extensions          int                `json:"extensions"`
	Status              ktgs.LetterStatus  `json:"status"`
	DuplicateOf         int64              `json:"duplicate_of,omitempty"`
	ResubmissionOf      int64              `json:"resubmission_of,omitempty"`
	Signers             int                `json:"signers"`
	NotPersonallySigned bool               `json:"not_personally_signed"`
	LacksCivilCapacity  bool               `json:"lacks_civil_capacity"`
	AddressUnclear      bool               `json:"address_unclear"`
	ReadBackSigned      bool               `json:"read_back_signed"`
	CongressRelated     bool               `json:"congress_related"`
	ConcludedOn         *civil.Date        `json:"concluded_on,omitempty"`
	NotifiedOn          *civil.Date        `json:"notified_on,omitempty"`
	WithdrawnOn         *civil.Date        `json:"withdrawn_on,omitempty"`
	Mark                string             `json:"mark"`
	CreatedAt           time.Time          `json:"created_at"`
	UpdatedAt           time.Time          `json:"updated_at"`
	Allegations         []allegationJSON   `json:"allegations"`
	Team                []letterTeamJSON   `json:"team,omitempty"`
}

type allegationJSON struct {
	Seq          int                    `json:"seq"`
	Kind         ktgs.LetterKind        `json:"kind"`
	Subject      ktgs.AllegationSubject `json:"subject"`
	MemberID     int64                  `json:"member_id,omitempty"`
	OrgID        int64                  `json:"org_id,omitempty"`
	SubjectName  string                 `json:"subject_name,omitempty"`
	AccusedName  string                 `json:"accused_name,omitempty"`
	AccusedUnit  string                 `json:"accused_unit,omitempty"`
	Content      string                 `json:"content,omitempty"`
	Result       ktgs.LetterResult      `json:"result,omitempty"`
	Conclusion   string                 `json:"conclusion,omitempty"`
	ProceedingID int64                  `json:"proceeding_id,omitempty"`
	CaseID       int64                  `json:"case_id,omitempty"`
}

type letterTeamJSON struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
	Role   string `json:"role"`
}

// toLetterJSON converts l; withContent adds the texts (the detail, not
// the lists).
func toLetterJSON(l *ktgs.Letter, today civil.Date, withContent bool) letterJSON {
	out := letterJSON{ID: l.ID, Code: l.Code, Channel: l.Channel, Kind: l.Kind, SenderMode: l.Mode, Title: l.Title, ReceivedOn: l.ReceivedOn,
		ReceivedOrgID: l.ReceivedOrgID, HolderBodyID: l.HolderBodyID, HolderBodyName: l.HolderBodyName, HolderBodyKind: l.HolderBodyKind,
		HolderOrgID: l.HolderOrgID, CompetentBodyID: l.CompetentBodyID, CompetentBodyName: l.CompetentBodyName, CompetentOn: datePtr(l.CompetentOn),
		DueOn: datePtr(l.DueOn), Overdue: l.Overdue(today), Extensions: l.Extensions, Status: l.Status, DuplicateOf: l.DuplicateOf,
		ResubmissionOf: l.ResubmissionOf, Signers: l.Signers, NotPersonallySigned: l.NotPersonallySigned, LacksCivilCapacity: l.LacksCivilCapacity,
		AddressUnclear: l.AddressUnclear, ReadBackSigned: l.ReadBackSigned, CongressRelated: l.CongressRelated, ConcludedOn: datePtr(l.ConcludedOn),
		NotifiedOn: datePtr(l.NotifiedOn), WithdrawnOn: datePtr(l.WithdrawnOn), Mark: l.Mark.Code(), CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt,
		Allegations: []allegationJSON{}}
	if withContent {
		out.Content = l.Content
	}
	for _, a := range l.Allegations {
		aj := allegationJSON{Seq: a.Seq, Kind: a.Kind, Subject: a.Subject, MemberID: a.MemberID, OrgID: a.OrgID, SubjectName: a.SubjectName,
			AccusedName: a.AccusedName, AccusedUnit: a.AccusedUnit, Result: a.Result, Conclusion: a.Conclusion, ProceedingID: a.ProceedingID,
			CaseID: a.CaseID}
		if withContent {
			aj.Content = a.Content
		}
		out.Allegations = append(out.Allegations, aj)
	}
	for _, m := range l.Team {
		out.Team = append(out.Team, letterTeamJSON{UserID: m.UserID, Name: m.Name, Role: m.Role})
	}
	return out
}

func (s *Server) apiLetters(w http.ResponseWriter, r *http.Request) error {
	q, _, err := s.letterQuery(r)
	if err != nil {
		return err
	}
	list, more, err := s.App.ListLetters(r.Context(), q)
	if err != nil {
		return err
	}
	today := s.App.Today()
	out := listJSON[letterJSON]{Date: today, Items: []letterJSON{}}
	for _, l := range list {
		out.Items = append(out.Items, toLetterJSON(l, today, false))
	}
	if more && len(list) > 0 {
		out.Next = strconv.FormatInt(list[len(list)-1].ID, 10)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// letterFileJSON is an attachment in the intake request.
type letterFileJSON struct {
	Name       string `json:"name"`
	DataBase64 string `json:"data_base64"`
}

// letterIntakeJSON is the intake request: the use case's input and the
// attachments, base64-encoded.
type letterIntakeJSON struct {
	app.LetterInput
	Files []letterFileJSON `json:"files,omitempty"`
}

// decodeLetterJSON reads an intake request: attachments make it larger
// than other requests, so the bound is the files' (base64 adds a third)
// plus 1 MiB.
func (s *Server) decodeLetterJSON(w http.ResponseWriter, r *http.Request, v any) error {
	limit := s.maxFileSize()
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxLetterFiles*(limit/3*4+4)+1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if _, ok := err.(*http.MaxBytesError); ok {
			return ktgs.Invalid("files", "err.file.too_large", app.SizeLabel(limit))
		}
		return ktgs.Invalid("body", "err.json", err.Error())
	}
	return nil
}

// letterReceiptJSON is the answer to an intake: the letter and the
// receipt code, given this once.
type letterReceiptJSON struct {
	Letter  letterJSON   `json:"letter"`
	Receipt *app.Receipt `json:"receipt"`
}

func (s *Server) apiReceiveLetter(w http.ResponseWriter, r *http.Request) error {
	var in letterIntakeJSON
	if err := s.decodeLetterJSON(w, r, &in); err != nil {
		return err
	}
	var v ktgs.Validation
	if len(in.Files) > maxLetterFiles {
		v.Add("files", "err.too_many", maxLetterFiles)
	}
	limit := s.maxFileSize()
	for i, f := range in.Files {
		data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(f.DataBase64))
		if err != nil {
			if data, err = base64.RawStdEncoding.DecodeString(strings.TrimSpace(f.DataBase64)); err != nil {
				v.Add(fmt.Sprintf("files[%d]", i), "letters.err.file_base64")
				continue
			}
		}
		if int64(len(data)) > limit {
			v.Add(fmt.Sprintf("files[%d]", i), "err.file.too_large", app.SizeLabel(limit))
			continue
		}
		in.LetterInput.Files = append(in.LetterInput.Files, app.LetterFileInput{Name: f.Name, Data: data})
	}
	if err := v.Err(); err != nil {
		return err
	}
	if in.Channel == "" {
		in.Channel = ktgs.ChannelAPI
	}
	for i := range in.Allegations {
		if c := in.Allegations[i].CardNumber; c != "" {
			in.Allegations[i].CardNumber = app.NormaliseCard(c)
		}
	}
	l, receipt, err := s.App.ReceiveLetter(r.Context(), in.LetterInput)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, letterReceiptJSON{Letter: toLetterJSON(l, s.App.Today(), true), Receipt: receipt})
	return nil
}

// letterEventJSON is one history entry with the rule decisions behind it.
type letterEventJSON struct {
	ID     int64             `json:"id"`
	At     time.Time         `json:"at"`
	On     civil.Date        `json:"on"`
	Actor  string            `json:"actor"`
	Step   string            `json:"step"`
	From   ktgs.LetterStatus `json:"from,omitempty"`
	To     ktgs.LetterStatus `json:"to"`
	BodyID int64             `json:"body_id"`
	Note   string            `json:"note,omitempty"`
	Rules  rawJSON           `json:"rules,omitempty"`
}

type letterNoticeJSON struct {
	ID        int64           `json:"id"`
	Kind      ktgs.NoticeKind `json:"kind"`
	On        civil.Date      `json:"on"`
	To        string          `json:"to"`
	Text      string          `json:"text"`
	Delivered string          `json:"delivered,omitempty"`
}

type letterFileInfoJSON struct {
	ID        int64     `json:"id"`
	Mime      string    `json:"mime"`
	Size      int64     `json:"size"`
	CreatedAt time.Time `json:"created_at"`
}

// letterRefJSON names another letter.
type letterRefJSON struct {
	ID         int64             `json:"id"`
	Code       string            `json:"code"`
	ReceivedOn civil.Date        `json:"received_on"`
	Status     ktgs.LetterStatus `json:"status"`
}

// letterDetailJSON is a letter with its history, notices, attachments
// (never their names), duplicates, its R12 and R14 decisions, and what
// the caller may do.
type letterDetailJSON struct {
	letterJSON
	Events        []letterEventJSON    `json:"events"`
	Notices       []letterNoticeJSON   `json:"notices"`
	Files         []letterFileInfoJSON `json:"files"`
	Duplicates    []letterRefJSON      `json:"duplicates"`
	First         *letterRefJSON       `json:"first,omitempty"`
	Intake        *rules.Decision      `json:"intake,omitempty"`
	Clock         *rules.Decision      `json:"clock,omitempty"`
	CanWrite      bool                 `json:"can_write"`
	CanReadSender bool                 `json:"can_read_sender"`
	Next          []string             `json:"next"`
}

func (s *Server) apiLetter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.App.LetterDetail(r.Context(), id)
	if err != nil {
		return err
	}
	out := letterDetailJSON{letterJSON: toLetterJSON(d.Letter, s.App.Today(), true), Events: []letterEventJSON{}, Notices: []letterNoticeJSON{},
		Files: []letterFileInfoJSON{}, Duplicates: []letterRefJSON{}, Intake: d.Intake, Clock: d.Clock, CanWrite: d.CanWrite,
		CanReadSender: d.CanReadSender, Next: letterNextSteps(d)}
	for _, e := range d.Events {
		out.Events = append(out.Events, letterEventJSON{ID: e.ID, At: e.At, On: e.On, Actor: e.Actor, Step: e.Step, From: e.From, To: e.To,
			BodyID: e.BodyID, Note: e.Note, Rules: rawJSON(e.Rules)})
	}
	for _, n := range d.Notices {
		out.Notices = append(out.Notices, letterNoticeJSON{ID: n.ID, Kind: n.Kind, On: n.On, To: n.To, Text: n.Text, Delivered: n.Delivered})
	}
	for _, f := range d.Files {
		out.Files = append(out.Files, letterFileInfoJSON{ID: f.ID, Mime: f.Mime, Size: f.Size, CreatedAt: f.CreatedAt})
	}
	for _, l := range d.Duplicates {
		out.Duplicates = append(out.Duplicates, letterRefJSON{ID: l.ID, Code: l.Code, ReceivedOn: l.ReceivedOn, Status: l.Status})
	}
	if f := d.First; f != nil {
		out.First = &letterRefJSON{ID: f.ID, Code: f.Code, ReceivedOn: f.ReceivedOn, Status: f.Status}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// letterAPISteps are the steps of POST /api/v1/letters/{id}/{step}.
var letterAPISteps = []string{ktgs.StepLetterClassify, ktgs.StepLetterTransfer, ktgs.StepLetterArrive, ktgs.StepLetterRelease,
	ktgs.StepLetterTeam, ktgs.StepLetterVerify, ktgs.StepLetterExtend, ktgs.StepLetterConclude, ktgs.StepLetterNotify,
	ktgs.StepLetterWithdraw, stepLetterCase, stepLetterProceeding}

// The step requests besides the use cases' own inputs.
type (
	letterOnJSON struct {
		On civil.Date `json:"on,omitempty"`
	}
	letterTeamInJSON struct {
		Team []app.TeamMemberInput `json:"team"`
		On   civil.Date            `json:"on,omitempty"`
	}
	letterNoteJSON struct {
		Note string     `json:"note"`
		On   civil.Date `json:"on,omitempty"`
	}
	letterExtendJSON struct {
		Days   int        `json:"days"`
		Reason string     `json:"reason"`
		On     civil.Date `json:"on,omitempty"`
	}
	letterConcludeJSON struct {
		Results []app.ResultInput `json:"results"`
		On      civil.Date        `json:"on,omitempty"`
	}
	letterCaseJSON struct {
		Seq int `json:"seq,omitempty"`
		app.CaseInput
	}
	letterProceedingJSON struct {
		Seq int `json:"seq"`
		app.ProceedingInput
	}
)

// apiLetterStep takes one step; it answers the letter, or the case or
// proceeding a link step opened (201).
func (s *Server) apiLetterStep(step string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		ctx := r.Context()
		var l *ktgs.Letter
		switch step {
		case ktgs.StepLetterClassify:
			var in app.ClassifyInput
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			for i := range in.Allegations {
				if c := in.Allegations[i].CardNumber; c != "" {
					in.Allegations[i].CardNumber = app.NormaliseCard(c)
				}
			}
			l, err = s.App.ClassifyLetter(ctx, id, in)
		case ktgs.StepLetterTransfer:
			var in app.TransferInput
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			l, err = s.App.TransferLetter(ctx, id, in)
		case ktgs.StepLetterArrive, ktgs.StepLetterRelease, ktgs.StepLetterNotify:
			var in letterOnJSON
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			switch step {
			case ktgs.StepLetterArrive:
				l, err = s.App.ArriveLetter(ctx, id, in.On)
			case ktgs.StepLetterRelease:
				l, err = s.App.ReleaseLetter(ctx, id, in.On)
			default:
				l, err = s.App.NotifyLetter(ctx, id, in.On)
			}
		case ktgs.StepLetterTeam:
			var in letterTeamInJSON
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			l, err = s.App.SetLetterTeam(ctx, id, in.Team, in.On)
		case ktgs.StepLetterVerify:
			var in letterNoteJSON
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			l, err = s.App.RecordVerification(ctx, id, in.Note, in.On)
		case ktgs.StepLetterExtend:
			var in letterExtendJSON
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			l, err = s.App.ExtendLetter(ctx, id, in.Days, in.Reason, in.On)
		case ktgs.StepLetterConclude:
			var in letterConcludeJSON
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			l, err = s.App.ConcludeLetter(ctx, id, in.Results, in.On)
		case ktgs.StepLetterWithdraw:
			var in app.WithdrawInput
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			l, err = s.App.WithdrawLetter(ctx, id, in)
		case stepLetterCase:
			var in letterCaseJSON
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			c, err := s.App.LetterCase(ctx, id, in.Seq, in.CaseInput)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusCreated, toCaseJSON(c, s.App.Today()))
			return nil
		case stepLetterProceeding:
			var in letterProceedingJSON
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			p, err := s.App.LetterProceeding(ctx, id, in.Seq, in.ProceedingInput)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusCreated, toProceedingJSON(p))
			return nil
		default:
			return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found")
		}
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, toLetterJSON(l, s.App.Today(), true))
		return nil
	}
}

// reasonJSON is the stated reason of a protected read.
type reasonJSON struct {
	Reason string `json:"reason"`
}

// apiLetterSender reveals the sender to a member of the handling team
// (audited by the use case with the reason).
func (s *Server) apiLetterSender(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in reasonJSON
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	snd, err := s.App.ReadLetterSender(r.Context(), id, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Sender *ktgs.Sender `json:"sender"`
	}{snd})
	return nil
}

// apiLetterFile sends an attachment to a member of the handling team
// (audited like the sender).
func (s *Server) apiLetterFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fid, err := pathID(r, "fid")
	if err != nil {
		return err
	}
	var in reasonJSON
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	name, typ, data, err := s.App.LetterFileContent(r.Context(), id, fid, in.Reason)
	if err != nil {
		return err
	}
	sendAttachment(w, name, typ, data)
	return nil
}
