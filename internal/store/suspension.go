package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
)

// Suspensions of party activity (đình chỉ sinh hoạt đảng).

const suspCols = `s.id, s.code, s.member_id, s.org_id, s.subject_name, s.body_id, s.scope_path, COALESCE(s.proceeding_id, 0), s.reason,
	s.criminal_proceedings, s.mark, s.status, s.decided_on, s.start_on, s.unit, s.initial_length, s.total_length, s.max_total, s.ends_on,
	s.follows_law, s.extensions, s.dues_payable, s.rule_set, s.provisional, s.ended_on, s.end_reason, s.created_by, s.created_at,
	s.updated_at, b.kind, b.name`

const suspFrom = ` FROM suspensions s JOIN bodies b ON b.id = s.body_id`

func scanSuspension(sc interface{ Scan(...any) error }, s *ktgs.Suspension) error {
	var mark string
	if err := sc.Scan(&s.ID, &s.Code, &s.MemberID, &s.OrgID, &s.SubjectName, &s.BodyID, &s.ScopePath, &s.ProceedingID, &s.Reason,
		&s.CriminalProceedings, &mark, &s.Status, &s.DecidedOn, &s.StartOn, &s.Unit, &s.Initial, &s.Total, &s.MaxTotal, &s.EndsOn,
		&s.FollowsLaw, &s.Extensions, &s.DuesPayable, &s.RuleSet, &s.Provisional, &s.EndedOn, &s.EndReason, &s.CreatedBy, &s.CreatedAt,
		&s.UpdatedAt, &s.BodyKind, &s.BodyName); err != nil {
		return err
	}
	s.Mark, _ = authz.ParseMark(mark)
	return nil
}

// InsertSuspension stores a new suspension and gives it its code
// (DC-2026-000042: year of the start, id).
func (tx *Tx) InsertSuspension(ctx context.Context, s *ktgs.Suspension) error {
	s.CreatedAt, s.UpdatedAt = tx.now, tx.now
	id, err := tx.insert(ctx, `INSERT INTO suspensions (code, member_id, org_id, subject_name, body_id, scope_path, proceeding_id, reason,
		criminal_proceedings, mark, status, decided_on, start_on, unit, initial_length, total_length, max_total, ends_on, follows_law,
		extensions, dues_payable, rule_set, provisional, ended_on, end_reason, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"new-"+fmt.Sprint(tx.now.UnixNano()), s.MemberID, s.OrgID, s.SubjectName, s.BodyID, s.ScopePath, nullID(s.ProceedingID), s.Reason,
		s.CriminalProceedings, s.Mark.Code(), string(s.Status), s.DecidedOn, s.StartOn, string(s.Unit), s.Initial, s.Total, s.MaxTotal,
		s.EndsOn, s.FollowsLaw, s.Extensions, s.DuesPayable, s.RuleSet, s.Provisional, s.EndedOn, s.EndReason, s.CreatedBy, tx.now, tx.now)
	if err != nil {
		return err
	}
	s.ID = id
	s.Code = fmt.Sprintf("DC-%d-%06d", s.StartOn.Year(), id)
	_, err = tx.exec(ctx, `UPDATE suspensions SET code = ? WHERE id = ?`, s.Code, id)
	return err
}

// UpdateSuspension writes the mutable columns of s: what R15 decided on an
// extension, and an early end.
func (tx *Tx) UpdateSuspension(ctx context.Context, s *ktgs.Suspension) error {
	s.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `UPDATE suspensions SET status = ?, total_length = ?, max_total = ?, ends_on = ?, follows_law = ?,
		extensions = ?, dues_payable = ?, rule_set = ?, provisional = ?, ended_on = ?, end_reason = ?, updated_at = ? WHERE id = ?`,
		string(s.Status), s.Total, s.MaxTotal, s.EndsOn, s.FollowsLaw, s.Extensions, s.DuesPayable, s.RuleSet, s.Provisional, s.EndedOn,
		s.EndReason, tx.now, s.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "suspension")
	}
	return nil
}

// Suspension returns suspension id.
func (tx *Tx) Suspension(ctx context.Context, id int64) (*ktgs.Suspension, error) {
	s := new(ktgs.Suspension)
	err := scanSuspension(tx.queryRow(ctx, `SELECT `+suspCols+suspFrom+` WHERE s.id = ?`, id), s)
	if err == sql.ErrNoRows {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "suspension")
	} else if err != nil {
		return nil, tx.db.d.translate(err)
	}
	return s, nil
}

// SuspensionFilter selects suspensions for a list.
type SuspensionFilter struct {
	Paths    []string // scope prefixes, as CaseFilter.Paths
	MemberID int64
	Status   ktgs.SuspensionStatus
	// EndingBy keeps the ACTIVE suspensions whose last day (R15) is on or
	// before it, soonest first; without it the newest come first.
	EndingBy civil.Date
	MaxMark  authz.Mark
	BeforeID int64 // paging of the newest-first order
	Limit    int
}

// Suspensions returns the suspensions matching f and whether more follow.
func (tx *Tx) Suspensions(ctx context.Context, f SuspensionFilter) ([]*ktgs.Suspension, bool, error) {
	if len(f.Paths) == 0 {
		return nil, false, nil
	}
	limit := pageLimit(f.Limit)
	where, args := scopeFilter("s", f.Paths, f.MaxMark)
	if f.MemberID != 0 {
		where, args = append(where, `s.member_id = ?`), append(args, f.MemberID)
	}
	if f.Status != "" {
		where, args = append(where, `s.status = ?`), append(args, string(f.Status))
	}
	order := ` ORDER BY s.id DESC`
	if !f.EndingBy.IsZero() {
		where, args = append(where, `s.status = 'ACTIVE' AND s.ends_on IS NOT NULL AND s.ends_on <= ?`), append(args, f.EndingBy)
		order = ` ORDER BY s.ends_on, s.id`
	} else if f.BeforeID > 0 {
		where, args = append(where, `s.id < ?`), append(args, f.BeforeID)
	}
	out, err := tx.suspensions(ctx, `SELECT `+suspCols+suspFrom+` WHERE `+strings.Join(where, " AND ")+order+` LIMIT ?`,
		append(args, limit+1)...)
	if err != nil {
		return nil, false, err
	}
	out, more := page(out, limit)
	return out, more, nil
}

// SuspensionsEndingBy returns, across every scope, the ACTIVE suspensions
// whose last day (R15) is on or before d, soonest first, at most limit:
// the reminders that a suspension is ending. Suspensions that follow the
// legal time limits have no last day and are not listed.
func (tx *Tx) SuspensionsEndingBy(ctx context.Context, d civil.Date, limit int) ([]*ktgs.Suspension, error) {
	return tx.suspensions(ctx, `SELECT `+suspCols+suspFrom+`
		WHERE s.status = 'ACTIVE' AND s.ends_on IS NOT NULL AND s.ends_on <= ? ORDER BY s.ends_on, s.id LIMIT ?`, d, limit)
}

// MemberSuspensions returns every suspension of member id, oldest first.
func (tx *Tx) MemberSuspensions(ctx context.Context, memberID int64) ([]*ktgs.Suspension, error) {
	return tx.suspensions(ctx, `SELECT `+suspCols+suspFrom+` WHERE s.member_id = ? ORDER BY s.start_on, s.id`, memberID)
}

// inForce is the condition that suspension s is in force on a day (three
// placeholders, each the day): started, not past its last day (R15) and
// not ended early by then. A suspension that follows the legal time limits
// has no last day.
const inForce = `s.start_on <= ? AND (s.ends_on IS NULL OR s.ends_on >= ?) AND (s.status = 'ACTIVE' OR s.ended_on > ?)`

// MemberSuspendedOn reports whether the party activity of member id is
// suspended on day d.
func (tx *Tx) MemberSuspendedOn(ctx context.Context, memberID int64, d civil.Date) (bool, error) {
	n, err := tx.count(ctx, `SELECT COUNT(*) FROM suspensions s WHERE s.member_id = ? AND `+inForce, memberID, d, d, d)
	return n > 0, err
}

func (tx *Tx) suspensions(ctx context.Context, q string, args ...any) ([]*ktgs.Suspension, error) {
	return collect(ctx, tx, scanSuspension, q, args...)
}

// InsertSuspensionExtension stores an accepted extension; a second
// extension with the same sequence number (a concurrent request) is a
// conflict.
func (tx *Tx) InsertSuspensionExtension(ctx context.Context, e *ktgs.SuspensionExtension) error {
	e.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO suspension_extensions (suspension_id, seq, length, decided_on, reason, ends_on, created_by,
		created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.SuspensionID, e.Seq, e.Length, e.DecidedOn, e.Reason, e.EndsOn, e.CreatedBy, tx.now)
	e.ID = id
	return err
}

// SuspensionExtensions returns the accepted extensions of suspension id,
// in order.
func (tx *Tx) SuspensionExtensions(ctx context.Context, id int64) ([]ktgs.SuspensionExtension, error) {
	rows, err := tx.query(ctx, `SELECT id, suspension_id, seq, length, decided_on, reason, ends_on, created_by, created_at
		FROM suspension_extensions WHERE suspension_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.SuspensionExtension
	for rows.Next() {
		var e ktgs.SuspensionExtension
		if err := rows.Scan(&e.ID, &e.SuspensionID, &e.Seq, &e.Length, &e.DecidedOn, &e.Reason, &e.EndsOn, &e.CreatedBy,
			&e.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// InsertSuspensionSeat records that committee seat seatID is suspended
// with suspension id, for the suspension's period.
func (tx *Tx) InsertSuspensionSeat(ctx context.Context, id, seatID int64) error {
	_, err := tx.exec(ctx, `INSERT INTO suspension_seats (suspension_id, seat_id) VALUES (?, ?)`, id, seatID)
	return err
}

// SuspensionSeats returns the seats suspended with suspension id, with
// their body, organisation and term.
func (tx *Tx) SuspensionSeats(ctx context.Context, id int64) ([]ktgs.SuspendedSeat, error) {
	rows, err := tx.query(ctx, `SELECT ss.suspension_id, st.id, st.term_id, st.member_id, st.role, st.start_date, st.end_date, b.kind, b.name,
		b.org_id, t.name,
		COALESCE((SELECT v.name FROM org_versions v WHERE v.org_id = b.org_id AND v.valid_from <= st.start_date ORDER BY v.valid_from DESC LIMIT 1), ''),
		COALESCE((SELECT v.type FROM org_versions v WHERE v.org_id = b.org_id AND v.valid_from <= st.start_date ORDER BY v.valid_from DESC LIMIT 1), '')
		FROM suspension_seats ss JOIN seats st ON st.id = ss.seat_id JOIN terms t ON t.id = st.term_id JOIN bodies b ON b.id = t.body_id
		WHERE ss.suspension_id = ? ORDER BY st.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.SuspendedSeat
	for rows.Next() {
		var x ktgs.SuspendedSeat
		if err := rows.Scan(&x.SuspensionID, &x.ID, &x.TermID, &x.MemberID, &x.Role, &x.Start, &x.End, &x.BodyKind, &x.BodyName, &x.OrgID,
			&x.TermName, &x.OrgName, &x.OrgType); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// SeatSuspendedOn reports whether committee seat seatID is suspended on
// day d: the seat is held that day and a suspension it was suspended with
// is in force.
func (tx *Tx) SeatSuspendedOn(ctx context.Context, seatID int64, d civil.Date) (bool, error) {
	n, err := tx.count(ctx, `SELECT COUNT(*) FROM suspension_seats ss JOIN suspensions s ON s.id = ss.suspension_id
		JOIN seats st ON st.id = ss.seat_id
		WHERE ss.seat_id = ? AND st.start_date <= ? AND st.end_date >= ? AND `+inForce, seatID, d, d, d, d, d)
	return n > 0, err
}

// SuspendedSeatIDs returns the ids of member memberID's seats suspended on
// day d, for the consumers that list a member's committee seats on a day
// (a suspended seat does not count as a seat held then).
func (tx *Tx) SuspendedSeatIDs(ctx context.Context, memberID int64, d civil.Date) ([]int64, error) {
	rows, err := tx.query(ctx, `SELECT DISTINCT ss.seat_id FROM suspension_seats ss JOIN suspensions s ON s.id = ss.suspension_id
		JOIN seats st ON st.id = ss.seat_id
		WHERE st.member_id = ? AND st.start_date <= ? AND st.end_date >= ? AND `+inForce+` ORDER BY ss.seat_id`,
		memberID, d, d, d, d, d)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// InsertSuspensionEvent appends a line to a suspension's history.
func (tx *Tx) InsertSuspensionEvent(ctx context.Context, e *ktgs.SuspensionEvent) error {
	if e.At.IsZero() {
		e.At = tx.now
	}
	id, err := tx.insert(ctx, `INSERT INTO suspension_events (suspension_id, at, on_date, actor_id, actor, step, note, rules)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.SuspensionID, e.At, e.On, e.ActorID, e.Actor, e.Step, e.Note, e.Rules)
	e.ID = id
	return err
}

// SuspensionEvents returns the history of suspension id, oldest first.
func (tx *Tx) SuspensionEvents(ctx context.Context, id int64) ([]ktgs.SuspensionEvent, error) {
	rows, err := tx.query(ctx, `SELECT id, suspension_id, at, on_date, actor_id, actor, step, note, rules
		FROM suspension_events WHERE suspension_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.SuspensionEvent
	for rows.Next() {
		var e ktgs.SuspensionEvent
		if err := rows.Scan(&e.ID, &e.SuspensionID, &e.At, &e.On, &e.ActorID, &e.Actor, &e.Step, &e.Note, &e.Rules); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
