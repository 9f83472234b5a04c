package web

import (
	"ktgs/internal/app"
	"net/http"
	"sort"

	"ktgs"
	"ktgs/internal/store"
)

type memberPage struct {
	Member      *ktgs.Member
	Posts       []ktgs.Post
	Seats       []ktgs.Seat
	Attachments []ktgs.Attachment
	Events      []ktgs.MemberEvent
	// Discipline is the member's discipline history, for readers of case
	// data (nil for others: the section is not shown).
	Discipline []app.DisciplineRecord
	CanCases   bool
	// Suspended is the suspension of party activity in force today, if
	// any.
	Suspended *ktgs.Suspension
}

// handleMember shows a member's record.
func (s *Server) handleMember(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var data memberPage
	err = s.DB.View(r.Context(), func(tx *store.Tx) error {
		ctx := r.Context()
		var err error
		if data.Member, err = tx.MemberAsOf(ctx, id, s.dateOf(r)); err != nil {
			return err
		}
		if data.Posts, err = tx.Posts(ctx, id); err != nil {
			return err
		}
		if data.Seats, err = tx.MemberSeats(ctx, id); err != nil {
			return err
		}
		if data.Attachments, err = tx.Attachments(ctx, id); err != nil {
			return err
		}
		events, err := tx.MemberEvents(ctx, id)
		data.Events = timeline(data.Member, events)
		return err
	})
	if err != nil {
		return err
	}
	// The discipline history is case data: shown to those who may read
	// it, in the proceedings' own scopes (ListProceedings filters).
	if recs, err := s.App.MemberDiscipline(r.Context(), id); err == nil {
		data.Discipline, data.CanCases = recs, true
		if sps, err := s.App.MemberSuspensions(r.Context(), id); err == nil {
			for _, sp := range sps {
				if sp.InForce(s.App.Today()) {
					data.Suspended = sp
				}
			}
		}
	}
	p := s.page(r, "")
	p.Title = data.Member.FullName
	p.Data = data
	s.render(w, r, http.StatusOK, "member", p)
	return nil
}

// timeline merges the stored events (transfers, temporary attachments)
// with those recorded as dates on the member (admission, recognition,
// retirement, end of membership), oldest first.
func timeline(m *ktgs.Member, stored []ktgs.MemberEvent) []ktgs.MemberEvent {
	out := []ktgs.MemberEvent{{Kind: ktgs.EventAdmitted, Date: m.AdmittedOn}}
	if !m.OfficialOn.IsZero() {
		out = append(out, ktgs.MemberEvent{Kind: ktgs.EventOfficial, Date: m.OfficialOn})
	}
	if !m.RetiredOn.IsZero() {
		out = append(out, ktgs.MemberEvent{Kind: ktgs.EventRetired, Date: m.RetiredOn})
	}
	if !m.EndedOn.IsZero() {
		k := ktgs.EventEnded
		if m.EndReason == ktgs.EndDeath {
			k = ktgs.EventDied
		}
		out = append(out, ktgs.MemberEvent{Kind: k, Date: m.EndedOn})
	}
	out = append(out, stored...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}
