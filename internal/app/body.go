package app

import (
	"context"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// TermInput describes a term (nhiệm kỳ) of a body.
type TermInput struct {
	Name         string     `json:"name"`
	Start        civil.Date `json:"start"`
	End          civil.Date `json:"end,omitempty"`
	CongressDate civil.Date `json:"congress_date,omitempty"`
}

// AddTerm adds a term to body bodyID. Terms of one body may not overlap.
func (s *Service) AddTerm(ctx context.Context, bodyID int64, in TermInput) (*ktgs.Term, error) {
	var t *ktgs.Term
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		in.Name = vn.Clean(in.Name)
		var v ktgs.Validation
		if in.Name == "" {
			v.Add("name", "err.required")
		}
		checkDate(&v, "start", in.Start, true)
		checkDate(&v, "end", in.End, false)
		checkDate(&v, "congress_date", in.CongressDate, false)
		if !in.End.IsZero() && in.End.Before(in.Start) && !v.Has("end") {
			v.Add("end", "err.date_not_before", "start")
		}
		if err := v.Err(); err != nil {
			return err
		}
		b, err := tx.Body(ctx, bodyID)
		if err != nil {
			return err
		}
		if err := s.authorizeOrg(ctx, tx, authz.OrgWrite, b.OrgID); err != nil {
			return err
		}
		if _, err := tx.OrgAt(ctx, b.OrgID, in.Start); notFound(err) {
			return ktgs.Invalid("start", "err.org_not_on_date", b.OrgID, in.Start.VN())
		} else if err != nil {
			return err
		}
		bodies, err := tx.Bodies(ctx, b.OrgID)
		if err != nil {
			return err
		}
		end := in.End
		if end.IsZero() {
			end = civil.Forever
		}
		for _, ob := range bodies {
			if ob.ID != bodyID {
				continue
			}
			for _, ot := range ob.Terms {
				if !in.Start.After(ot.End) && !end.Before(ot.Start) {
					return ktgs.Invalid("start", "err.term_overlap", ot.Name)
				}
			}
		}
		t = &ktgs.Term{BodyID: bodyID, Name: in.Name, Start: in.Start, End: in.End, CongressDate: in.CongressDate}
		if err := tx.InsertTerm(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "body.term", ObjectType: "term", ObjectID: t.ID, OrgID: b.OrgID, After: t})
	})
	return t, err
}

// SeatInput describes a member's seat on a body for a term.
type SeatInput struct {
	MemberID int64      `json:"member_id"`
	Role     ktgs.Role  `json:"role"`
	Start    civil.Date `json:"start,omitempty"` // default: the term's start
	End      civil.Date `json:"end,omitempty"`
	// Override is the reason for seating a member under consideration
	// for discipline (R9); audited.
	Override string `json:"override,omitempty"`
}

// AddSeat records that a member sits on the body of term termID.
func (s *Service) AddSeat(ctx context.Context, termID int64, in SeatInput) (*ktgs.Seat, error) {
	var seat *ktgs.Seat
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		t, err := tx.Term(ctx, termID)
		if err != nil {
			return err
		}
		b, err := tx.Body(ctx, t.BodyID)
		if err != nil {
			return err
		}
		if err := s.authorizeOrg(ctx, tx, authz.OrgWrite, b.OrgID); err != nil {
			return err
		}
		if in.Start.IsZero() {
			in.Start = t.Start
		}
		var v ktgs.Validation
		if !in.Role.Valid() {
			v.Add("role", "err.role")
		}
		checkDate(&v, "start", in.Start, true)
		checkDate(&v, "end", in.End, false)
		if in.Start.Before(t.Start) || in.Start.After(t.End) {
			v.Add("start", "err.outside_term", t.Name)
		}
		if !in.End.IsZero() && in.End.Before(in.Start) && !v.Has("end") {
			v.Add("end", "err.date_not_before", "start")
		}
		if err := v.Err(); err != nil {
			return err
		}
		m, err := activeMember(ctx, tx, in.MemberID, in.Start, "member_id")
		if err != nil {
			return err
		}
		if err := s.checkFreeze(ctx, tx, m, "APPOINTMENT", in.Start, in.Override, "start", "ELECTION_TO_COMMITTEE"); err != nil {
			return err
		}
		end := in.End
		if end.IsZero() {
			end = t.End
		}
		seat = &ktgs.Seat{TermID: termID, MemberID: in.MemberID, Role: in.Role, Start: in.Start, End: end}
		if err := tx.InsertSeat(ctx, seat); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "body.seat", ObjectType: "seat", ObjectID: seat.ID, OrgID: b.OrgID, After: seat})
	})
	return seat, err
}
