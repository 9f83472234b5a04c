package web

import (
	"net/http"

	"ktgs"
	"ktgs/internal/store"
)

type memberPage struct {
	Member      *ktgs.Member
	Posts       []ktgs.Post
	Seats       []ktgs.Seat
	Attachments []ktgs.Attachment
	Events      []ktgs.MemberEvent
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
		if data.Member, err = tx.Member(ctx, id, s.dateOf(r)); err != nil {
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
		data.Events, err = tx.MemberEvents(ctx, id)
		return err
	})
	if err != nil {
		return err
	}
	p := s.page(r, "")
	p.Title = data.Member.FullName
	p.Data = data
	s.render(w, r, http.StatusOK, "member", p)
	return nil
}
