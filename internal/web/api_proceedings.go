package web

import (
	"net/http"
	"strconv"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
)

// proceedingJSON is a proceeding in the API: the domain fields and its
// mark.
type proceedingJSON struct {
	*ktgs.Proceeding
	Mark string `json:"mark"`
}

func toProceedingJSON(p *ktgs.Proceeding) proceedingJSON {
	return proceedingJSON{Proceeding: p, Mark: p.Mark.Code()}
}

func (s *Server) apiProceedings(w http.ResponseWriter, r *http.Request) error {
	pq, _, err := s.proceedingQuery(r)
	if err != nil {
		return err
	}
	list, more, err := s.App.ListProceedings(r.Context(), pq)
	if err != nil {
		return err
	}
	out := listJSON[proceedingJSON]{Date: s.App.Today(), Items: []proceedingJSON{}}
	for _, p := range list {
		out.Items = append(out.Items, toProceedingJSON(p))
	}
	if more && len(list) > 0 {
		out.Next = strconv.FormatInt(list[len(list)-1].ID, 10)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiOpenProceeding(w http.ResponseWriter, r *http.Request) error {
	var in app.ProceedingInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	p, err := s.App.OpenProceeding(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toProceedingJSON(p))
	return nil
}

// proceedingDetailJSON is a proceeding with its history (each step with
// the rule decisions behind it), tallies, duties, documents, the steps the
// caller may take, and the live rule explanations.
type proceedingDetailJSON struct {
	proceedingJSON
	Events    []proceedingEventJSON      `json:"events"`
	Votes     []ktgs.Vote                `json:"votes"`
	Tasks     []ktgs.DisciplineTask      `json:"tasks"`
	Documents []documentJSON             `json:"documents"`
	Bodies    map[int64]string           `json:"bodies"`
	Next      []string                   `json:"next"`
	Rules     map[string]*rules.Decision `json:"rules"`
	Persons   []ktgs.ResponsiblePerson   `json:"persons"`
	Posts     []ktgs.Post                `json:"removable_posts,omitempty"`
	Seats     []seatRefJSON              `json:"removable_seats,omitempty"`
}

type proceedingEventJSON struct {
	ktgs.ProceedingEvent
	Rules rawJSON `json:"rules,omitempty"`
}

type seatRefJSON struct {
	ID       int64      `json:"id"`
	Ref      string     `json:"ref"` // "seat:ID", for removed_posts
	BodyName string     `json:"body_name"`
	TermName string     `json:"term_name"`
	Role     ktgs.Role  `json:"role"`
	Start    civil.Date `json:"start"`
}

// rawJSON embeds stored JSON as is.
type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) {
	if r == "" {
		return []byte("null"), nil
	}
	return []byte(r), nil
}

func (s *Server) apiProceeding(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.App.ProceedingDetail(r.Context(), id)
	if err != nil {
		return err
	}
	out := proceedingDetailJSON{proceedingJSON: toProceedingJSON(d.Proceeding), Votes: d.Votes, Tasks: d.Tasks, Bodies: d.Bodies,
		Next: d.Next, Rules: d.Live, Posts: d.Posts, Events: []proceedingEventJSON{}, Documents: []documentJSON{}, Persons: d.Persons}
	if out.Persons == nil {
		out.Persons = []ktgs.ResponsiblePerson{}
	}
	if out.Next == nil {
		out.Next = []string{}
	}
	for _, e := range d.Events {
		out.Events = append(out.Events, proceedingEventJSON{ProceedingEvent: e, Rules: rawJSON(e.Rules)})
	}
	for i := range d.Documents {
		out.Documents = append(out.Documents, toDocumentJSON(&d.Documents[i]))
	}
	for _, st := range d.Seats {
		out.Seats = append(out.Seats, seatRefJSON{ID: st.ID, Ref: "seat:" + strconv.FormatInt(st.ID, 10), BodyName: st.BodyName,
			TermName: st.TermName, Role: st.Role, Start: st.Start})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiProceedingStep takes one step: hear, vote, decide, postpone,
// resume or cancel, each with its own JSON body.
func (s *Server) apiProceedingStep(step string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var p *ktgs.Proceeding
		ctx := r.Context()
		switch step {
		case ktgs.StepHear:
			var in app.HearInput
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			p, err = s.App.Hear(ctx, id, in)
		case ktgs.StepVote:
			var in app.VoteInput
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			p, err = s.App.Vote(ctx, id, in)
		case ktgs.StepDecide:
			var in app.DecideInput
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			p, err = s.App.Decide(ctx, id, in)
		case ktgs.StepWrongful:
			var in app.WrongfulInput
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			p, err = s.App.DeclareWrongful(ctx, id, in)
		default:
			var in app.PostponeInput
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			switch step {
			case ktgs.StepPostpone:
				p, err = s.App.Postpone(ctx, id, in)
			case ktgs.StepResume:
				p, err = s.App.Resume(ctx, id, in)
			case ktgs.StepExempt:
				p, err = s.App.Exempt(ctx, id, in)
			default:
				p, err = s.App.CancelProceeding(ctx, id, in)
			}
		}
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, toProceedingJSON(p))
		return nil
	}
}

// apiAssessPerson records a responsible individual of an organisation
// under consideration.
func (s *Server) apiAssessPerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in app.PersonInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	p, err := s.App.AssessPerson(r.Context(), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}
