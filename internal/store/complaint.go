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

// Complaints about discipline (RULES.md §4).

const complaintCols = `c.id, c.code, c.proceeding_id, c.level, COALESCE(c.prev_id, 0), c.complainant_kind,
	COALESCE(c.complainant_member_id, 0), COALESCE(c.complainant_org_id, 0), c.complainant_name, c.content, c.filed_on,
	c.received_decision_on, c.decision_announced_on, c.deadline_on, c.resolver_body_id, c.final_level, c.scope_path, c.mark,
	c.status, c.form_before, c.outcome, c.new_form, c.resolved_on, c.result_announced_on, c.resolution, c.withdrawn_on,
	c.withdrawal_reason, c.created_by, c.created_at, c.updated_at, c.resolve_by, p.code, b.kind, b.name, b.org_id`

const complaintFrom = ` FROM complaints c JOIN proceedings p ON p.id = c.proceeding_id JOIN bodies b ON b.id = c.resolver_body_id`

func scanComplaint(sc interface{ Scan(...any) error }, c *ktgs.Complaint) error {
	var mark string
	if err := sc.Scan(&c.ID, &c.Code, &c.ProceedingID, &c.Level, &c.PrevID, &c.ComplainantKind,
		&c.ComplainantMemberID, &c.ComplainantOrgID, &c.ComplainantName, &c.Content, &c.FiledOn,
		&c.ReceivedDecisionOn, &c.DecisionAnnouncedOn, &c.DeadlineOn, &c.ResolverBodyID, &c.FinalLevel, &c.ScopePath, &mark,
		&c.Status, &c.FormBefore, &c.Outcome, &c.NewForm, &c.ResolvedOn, &c.ResultAnnouncedOn, &c.Resolution, &c.WithdrawnOn,
		&c.WithdrawalReason, &c.CreatedBy, &c.CreatedAt, &c.UpdatedAt, &c.ResolveBy, &c.ProceedingCode, &c.ResolverBodyKind, &c.ResolverBodyName,
		&c.ResolverOrgID); err != nil {
		return err
	}
	c.Mark, _ = authz.ParseMark(mark)
	return nil
}

// InsertComplaint stores a new complaint and gives it its code
// (KN-2026-000042: year filed, id).
func (tx *Tx) InsertComplaint(ctx context.Context, c *ktgs.Complaint) error {
	c.CreatedAt, c.UpdatedAt = tx.now, tx.now
	id, err := tx.insert(ctx, `INSERT INTO complaints (code, proceeding_id, level, prev_id, complainant_kind, complainant_member_id,
		complainant_org_id, complainant_name, content, filed_on, received_decision_on, decision_announced_on, deadline_on,
		resolver_body_id, final_level, scope_path, mark, status, form_before, created_by, created_at, updated_at, resolve_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"new-"+fmt.Sprint(tx.now.UnixNano()), c.ProceedingID, c.Level, nullID(c.PrevID), string(c.ComplainantKind),
		nullID(c.ComplainantMemberID), nullID(c.ComplainantOrgID), c.ComplainantName, c.Content, c.FiledOn, c.ReceivedDecisionOn,
		c.DecisionAnnouncedOn, c.DeadlineOn, c.ResolverBodyID, c.FinalLevel, c.ScopePath, c.Mark.Code(), string(c.Status),
		string(c.FormBefore), c.CreatedBy, tx.now, tx.now, c.ResolveBy)
	if err != nil {
		return err
	}
	c.ID = id
	c.Code = fmt.Sprintf("KN-%d-%06d", c.FiledOn.Year(), id)
	if _, err = tx.exec(ctx, `UPDATE complaints SET code = ? WHERE id = ?`, c.Code, id); err != nil {
		return err
	}
	return tx.statsComplaint(ctx, id)
}

// UpdateComplaint writes the mutable columns of c: where it stands, its
// resolver and its resolution or withdrawal.
func (tx *Tx) UpdateComplaint(ctx context.Context, c *ktgs.Complaint) error {
	c.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `UPDATE complaints SET resolver_body_id = ?, final_level = ?, status = ?, outcome = ?, new_form = ?,
		resolved_on = ?, result_announced_on = ?, resolution = ?, withdrawn_on = ?, withdrawal_reason = ?, resolve_by = ?, updated_at = ? WHERE id = ?`,
		c.ResolverBodyID, c.FinalLevel, string(c.Status), string(c.Outcome), string(c.NewForm), c.ResolvedOn, c.ResultAnnouncedOn,
		c.Resolution, c.WithdrawnOn, c.WithdrawalReason, c.ResolveBy, tx.now, c.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "complaint")
	}
	return tx.statsComplaint(ctx, c.ID)
}

// Complaint returns complaint id.
func (tx *Tx) Complaint(ctx context.Context, id int64) (*ktgs.Complaint, error) {
	c := new(ktgs.Complaint)
	err := scanComplaint(tx.queryRow(ctx, `SELECT `+complaintCols+complaintFrom+` WHERE c.id = ?`, id), c)
	if err == sql.ErrNoRows {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "complaint")
	} else if err != nil {
		return nil, tx.db.d.translate(err)
	}
	return c, nil
}

// ProceedingComplaints returns every complaint about proceeding id, level
// by level, oldest first.
func (tx *Tx) ProceedingComplaints(ctx context.Context, procID int64) ([]*ktgs.Complaint, error) {
	return tx.complaints(ctx, `SELECT `+complaintCols+complaintFrom+` WHERE c.proceeding_id = ? ORDER BY c.level, c.id`, procID)
}

// ComplaintFilter selects complaints for a list.
type ComplaintFilter struct {
	Paths          []string // scope prefixes of the proceedings, as CaseFilter.Paths
	Status         ktgs.ComplaintStatus
	ResolverBodyID int64
	MaxMark        authz.Mark
	BeforeID       int64
	Limit          int
}

// Complaints returns the complaints matching f, newest first, and whether
// more follow.
func (tx *Tx) Complaints(ctx context.Context, f ComplaintFilter) ([]*ktgs.Complaint, bool, error) {
	if len(f.Paths) == 0 {
		return nil, false, nil
	}
	limit := pageLimit(f.Limit)
	where, args := scopeFilter("c", f.Paths, f.MaxMark)
	if f.Status != "" {
		where, args = append(where, `c.status = ?`), append(args, string(f.Status))
	}
	if f.ResolverBodyID != 0 {
		where, args = append(where, `c.resolver_body_id = ?`), append(args, f.ResolverBodyID)
	}
	if f.BeforeID > 0 {
		where, args = append(where, `c.id < ?`), append(args, f.BeforeID)
	}
	out, err := tx.complaints(ctx, `SELECT `+complaintCols+complaintFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY c.id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, false, err
	}
	out, more := page(out, limit)
	return out, more, nil
}

func (tx *Tx) complaints(ctx context.Context, q string, args ...any) ([]*ktgs.Complaint, error) {
	return collect(ctx, tx, scanComplaint, q, args...)
}

// InsertComplaintEvent appends a line to a complaint's history.
func (tx *Tx) InsertComplaintEvent(ctx context.Context, e *ktgs.ComplaintEvent) error {
	if e.At.IsZero() {
		e.At = tx.now
	}
	id, err := tx.insert(ctx, `INSERT INTO complaint_events (complaint_id, at, on_date, actor_id, actor, step, from_status, to_status,
		body_id, note, rules) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ComplaintID, e.At, e.On, e.ActorID, e.Actor, e.Step,
		string(e.From), string(e.To), e.BodyID, e.Note, e.Rules)
	e.ID = id
	return err
}

// ComplaintEvents returns the history of complaint id, oldest first.
func (tx *Tx) ComplaintEvents(ctx context.Context, id int64) ([]ktgs.ComplaintEvent, error) {
	rows, err := tx.query(ctx, `SELECT id, complaint_id, at, on_date, actor_id, actor, step, from_status, to_status, body_id, note, rules
		FROM complaint_events WHERE complaint_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.ComplaintEvent
	for rows.Next() {
		var e ktgs.ComplaintEvent
		if err := rows.Scan(&e.ID, &e.ComplaintID, &e.At, &e.On, &e.ActorID, &e.Actor, &e.Step, &e.From, &e.To, &e.BodyID, &e.Note,
			&e.Rules); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ApplyComplaintDecision writes a complaint decision onto the proceeding
// it concerns: the new form of a CHANGE_FORM, or the ANNULLED status of an
// annulment. Nothing else of the proceeding changes (its history and
// decision stay on record). It refuses (ECONFLICT) a proceeding that is
// no longer DECIDED, so two resolutions cannot both apply.
func (tx *Tx) ApplyComplaintDecision(ctx context.Context, procID int64, status ktgs.ProceedingStatus, form ktgs.DisciplineForm) error {
	res, err := tx.exec(ctx, `UPDATE proceedings SET status = ?, form = ?, updated_at = ? WHERE id = ? AND status = ?`,
		string(status), string(form), tx.now, procID, string(ktgs.ProcDecided))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ktgs.Errorf(ktgs.ECONFLICT, "err.conflict", "proceedings.status")
	}
	return tx.statsProceeding(ctx, procID)
}

// ComplaintsDueBy returns the complaints being resolved whose last day to
// resolve is on or before d, earliest first.
func (tx *Tx) ComplaintsDueBy(ctx context.Context, d civil.Date, limit int) ([]*ktgs.Complaint, error) {
	return tx.complaints(ctx, `SELECT `+complaintCols+complaintFrom+` WHERE c.status IN ('PENDING', 'FORWARDED') AND c.resolve_by IS NOT NULL
		AND c.resolve_by <= ? ORDER BY c.resolve_by, c.id LIMIT ?`, d, limit)
}
