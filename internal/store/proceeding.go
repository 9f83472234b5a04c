package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
)

// Discipline proceedings.

const procCols = `p.id, p.code, p.subject_kind, COALESCE(p.member_id, 0), p.org_id, p.subject_name, p.origin, COALESCE(p.case_id, 0),
	COALESCE(p.finding_id, 0), p.notice_ref, p.notice_decision_on, p.notice_received_on, p.notice_due_on, p.notice_late, p.body_id,
	p.first_body_id, p.scope_path, p.category, p.violation_scope, p.violation, p.violation_on, p.continuing_until, p.warranted_form,
	p.mark, p.status, p.prev_status, p.opened_on, p.heard_on, p.self_criticism_on, p.form, p.voted_on, p.decided_on, p.announced_on,
	p.removed_posts, COALESCE(p.document_id, 0), p.reason, p.created_by, p.created_at, p.updated_at, b.kind`

func scanProceeding(sc interface{ Scan(...any) error }, p *ktgs.Proceeding) error {
	var mark, removed string
	if err := sc.Scan(&p.ID, &p.Code, &p.SubjectKind, &p.MemberID, &p.OrgID, &p.SubjectName, &p.Origin, &p.CaseID,
		&p.FindingID, &p.NoticeRef, &p.NoticeDecisionOn, &p.NoticeReceivedOn, &p.NoticeDueOn, &p.NoticeLate, &p.BodyID,
		&p.FirstBodyID, &p.ScopePath, &p.Category, &p.ViolationScope, &p.Violation, &p.ViolationOn, &p.ContinuingUntil, &p.WarrantedForm,
		&mark, &p.Status, &p.PrevStatus, &p.OpenedOn, &p.HeardOn, &p.SelfCriticismOn, &p.Form, &p.VotedOn, &p.DecidedOn, &p.AnnouncedOn,
		&removed, &p.DocumentID, &p.Reason, &p.CreatedBy, &p.CreatedAt, &p.UpdatedAt, &p.BodyKind); err != nil {
		return err
	}
	p.Mark, _ = authz.ParseMark(mark)
	if removed != "" {
		p.RemovedPosts = strings.Split(removed, ",")
	}
	return nil
}

// InsertProceeding stores a new proceeding and gives it its code
// (KL-2026-000042: year opened, id).
func (tx *Tx) InsertProceeding(ctx context.Context, p *ktgs.Proceeding) error {
	p.CreatedAt, p.UpdatedAt = tx.now, tx.now
	id, err := tx.insert(ctx, `INSERT INTO proceedings (code, subject_kind, member_id, org_id, subject_name, origin, case_id, finding_id,
		notice_ref, notice_decision_on, notice_received_on, notice_due_on, notice_late, body_id, first_body_id, scope_path, category,
		violation_scope, violation, violation_on, continuing_until, warranted_form, mark, status, prev_status, opened_on, created_by,
		created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"new-"+fmt.Sprint(tx.now.UnixNano()), string(p.SubjectKind), nullID(p.MemberID), p.OrgID, p.SubjectName, string(p.Origin),
		nullID(p.CaseID), nullID(p.FindingID), p.NoticeRef, p.NoticeDecisionOn, p.NoticeReceivedOn, p.NoticeDueOn, p.NoticeLate,
		p.BodyID, p.FirstBodyID, p.ScopePath, p.Category, p.ViolationScope, p.Violation, p.ViolationOn, p.ContinuingUntil,
		string(p.WarrantedForm), p.Mark.Code(), string(p.Status), string(p.PrevStatus), p.OpenedOn, p.CreatedBy, tx.now, tx.now)
	if err != nil {
		return err
	}
	p.ID = id
	p.Code = fmt.Sprintf("KL-%d-%06d", p.OpenedOn.Year(), id)
	if _, err = tx.exec(ctx, `UPDATE proceedings SET code = ? WHERE id = ?`, p.Code, id); err != nil {
		return err
	}
	return tx.statsProceeding(ctx, id)
}

// UpdateProceeding writes the mutable columns of p.
func (tx *Tx) UpdateProceeding(ctx context.Context, p *ktgs.Proceeding) error {
	p.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `UPDATE proceedings SET body_id = ?, status = ?, prev_status = ?, heard_on = ?, self_criticism_on = ?,
		form = ?, voted_on = ?, decided_on = ?, announced_on = ?, removed_posts = ?, document_id = ?, reason = ?, updated_at = ? WHERE id = ?`,
		p.BodyID, string(p.Status), string(p.PrevStatus), p.HeardOn, p.SelfCriticismOn, string(p.Form), p.VotedOn, p.DecidedOn,
		p.AnnouncedOn, strings.Join(p.RemovedPosts, ","), nullID(p.DocumentID), p.Reason, tx.now, p.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "proceeding")
	}
	return tx.statsProceeding(ctx, p.ID)
}

// Proceeding returns proceeding id.
func (tx *Tx) Proceeding(ctx context.Context, id int64) (*ktgs.Proceeding, error) {
	p := new(ktgs.Proceeding)
	err := scanProceeding(tx.queryRow(ctx, `SELECT `+procCols+` FROM proceedings p JOIN bodies b ON b.id = p.body_id WHERE p.id = ?`, id), p)
	if err == sql.ErrNoRows {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "proceeding")
	} else if err != nil {
		return nil, tx.db.d.translate(err)
	}
	if b, err := tx.Body(ctx, p.BodyID); err == nil {
		if o, err := tx.OrgLatest(ctx, b.OrgID); err == nil {
			p.BodyOrg = o.Name
		}
	}
	return p, nil
}

// ProceedingFilter selects proceedings for a list.
type ProceedingFilter struct {
	Paths    []string // scope prefixes, as CaseFilter.Paths
	Status   ktgs.ProceedingStatus
	MemberID int64
	// SubjectOrgID keeps the proceedings against that organisation.
	SubjectOrgID int64
	MaxMark      authz.Mark
	BeforeID     int64
	Limit        int
}

// Proceedings returns the proceedings matching f, newest first, and
// whether more follow.
func (tx *Tx) Proceedings(ctx context.Context, f ProceedingFilter) ([]*ktgs.Proceeding, bool, error) {
	if len(f.Paths) == 0 {
		return nil, false, nil
	}
	limit := pageLimit(f.Limit)
	where, args := scopeFilter("p", f.Paths, f.MaxMark)
	if f.Status != "" {
		where, args = append(where, `p.status = ?`), append(args, string(f.Status))
	}
	if f.MemberID != 0 {
		where, args = append(where, `p.member_id = ?`), append(args, f.MemberID)
	}
	if f.SubjectOrgID != 0 {
		where, args = append(where, `p.subject_kind = 'ORG' AND p.org_id = ?`), append(args, f.SubjectOrgID)
	}
	if f.BeforeID > 0 {
		where, args = append(where, `p.id < ?`), append(args, f.BeforeID)
	}
	out, err := tx.proceedings(ctx, `SELECT `+procCols+` FROM proceedings p JOIN bodies b ON b.id = p.body_id WHERE `+
		strings.Join(where, " AND ")+` ORDER BY p.id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, false, err
	}
	out, more := page(out, limit)
	return out, more, nil
}

// MemberProceedings returns every proceeding against member id, oldest
// first (the discipline history, R9 and the one-violation check).
func (tx *Tx) MemberProceedings(ctx context.Context, memberID int64) ([]*ktgs.Proceeding, error) {
	return tx.proceedings(ctx, `SELECT `+procCols+` FROM proceedings p JOIN bodies b ON b.id = p.body_id WHERE p.member_id = ? ORDER BY p.id`, memberID)
}

// OrgProceedings returns every proceeding against organisation id as a
// subject, oldest first.
func (tx *Tx) OrgProceedings(ctx context.Context, orgID int64) ([]*ktgs.Proceeding, error) {
	return tx.proceedings(ctx, `SELECT `+procCols+` FROM proceedings p JOIN bodies b ON b.id = p.body_id
		WHERE p.subject_kind = 'ORG' AND p.org_id = ? ORDER BY p.id`, orgID)
}

// FindingProceedings returns the proceedings opened from finding id.
func (tx *Tx) FindingProceedings(ctx context.Context, findingID int64) ([]*ktgs.Proceeding, error) {
	return tx.proceedings(ctx, `SELECT `+procCols+` FROM proceedings p JOIN bodies b ON b.id = p.body_id WHERE p.finding_id = ? ORDER BY p.id`, findingID)
}

func (tx *Tx) proceedings(ctx context.Context, q string, args ...any) ([]*ktgs.Proceeding, error) {
	return collect(ctx, tx, scanProceeding, q, args...)
}

// InsertProceedingEvent appends a line to a proceeding's history.
func (tx *Tx) InsertProceedingEvent(ctx context.Context, e *ktgs.ProceedingEvent) error {
	if e.At.IsZero() {
		e.At = tx.now
	}
	id, err := tx.insert(ctx, `INSERT INTO proceeding_events (proceeding_id, at, on_date, actor_id, actor, step, from_status, to_status,
		body_id, note, rules) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ProceedingID, e.At, e.On, e.ActorID, e.Actor, e.Step,
		string(e.From), string(e.To), e.BodyID, e.Note, e.Rules)
	e.ID = id
	return err
}

// ProceedingEvents returns the history of proceeding id, oldest first.
func (tx *Tx) ProceedingEvents(ctx context.Context, id int64) ([]ktgs.ProceedingEvent, error) {
	rows, err := tx.query(ctx, `SELECT id, proceeding_id, at, on_date, actor_id, actor, step, from_status, to_status, body_id, note, rules
		FROM proceeding_events WHERE proceeding_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.ProceedingEvent
	for rows.Next() {
		var e ktgs.ProceedingEvent
		if err := rows.Scan(&e.ID, &e.ProceedingID, &e.At, &e.On, &e.ActorID, &e.Actor, &e.Step, &e.From, &e.To, &e.BodyID, &e.Note,
			&e.Rules); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// InsertVote stores a ballot tally.
func (tx *Tx) InsertVote(ctx context.Context, v *ktgs.Vote) error {
	votes, err := json.Marshal(v.Votes)
	if err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO proceeding_votes (proceeding_id, body_id, held_on, purpose, official, probationary, absent_temp,
		absent_exempt, absent_other, votes, denominator, adopted_form, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.ProceedingID, v.BodyID, v.HeldOn, v.Purpose, v.Official, v.Probationary, v.AbsentTemp, v.AbsentExempt, v.AbsentOther,
		string(votes), v.Denominator, string(v.AdoptedForm), v.Outcome)
	v.ID = id
	return err
}

// Votes returns the tallies of proceeding id, oldest first.
func (tx *Tx) Votes(ctx context.Context, id int64) ([]ktgs.Vote, error) {
	rows, err := tx.query(ctx, `SELECT id, proceeding_id, body_id, held_on, purpose, official, probationary, absent_temp, absent_exempt,
		absent_other, votes, denominator, adopted_form, outcome FROM proceeding_votes WHERE proceeding_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.Vote
	for rows.Next() {
		var v ktgs.Vote
		var votes string
		if err := rows.Scan(&v.ID, &v.ProceedingID, &v.BodyID, &v.HeldOn, &v.Purpose, &v.Official, &v.Probationary, &v.AbsentTemp,
			&v.AbsentExempt, &v.AbsentOther, &votes, &v.Denominator, &v.AdoptedForm, &v.Outcome); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(votes), &v.Votes); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// InsertDisciplineTask stores a duty of a proceeding.
func (tx *Tx) InsertDisciplineTask(ctx context.Context, t *ktgs.DisciplineTask) error {
	id, err := tx.insert(ctx, `INSERT INTO discipline_tasks (proceeding_id, kind, to_body_id, text, citation, due_on, done_on)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, t.ProceedingID, t.Kind, nullID(t.ToBodyID), t.Text, t.Citation, t.DueOn, t.DoneOn)
	t.ID = id
	return err
}

// CompleteDisciplineTask marks task id of proceeding procID done on d; it
// reports whether it was open.
func (tx *Tx) CompleteDisciplineTask(ctx context.Context, procID, id int64, d civil.Date) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE discipline_tasks SET done_on = ? WHERE id = ? AND proceeding_id = ? AND done_on IS NULL`, d, id, procID)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// DisciplineTasks returns the duties of proceeding id.
func (tx *Tx) DisciplineTasks(ctx context.Context, id int64) ([]ktgs.DisciplineTask, error) {
	rows, err := tx.query(ctx, `SELECT id, proceeding_id, kind, COALESCE(to_body_id, 0), text, citation, due_on, done_on
		FROM discipline_tasks WHERE proceeding_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.DisciplineTask
	for rows.Next() {
		var t ktgs.DisciplineTask
		if err := rows.Scan(&t.ID, &t.ProceedingID, &t.Kind, &t.ToBodyID, &t.Text, &t.Citation, &t.DueOn, &t.DoneOn); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ProceedingDocuments returns the documents of proceeding id.
func (tx *Tx) ProceedingDocuments(ctx context.Context, id int64) ([]Document, error) {
	rows, err := tx.query(ctx, `SELECT `+docCols+` FROM documents WHERE proceeding_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		var d Document
		if err := scanDoc(rows, &d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Finding returns finding id.
func (tx *Tx) Finding(ctx context.Context, id int64) (*ktgs.Finding, error) {
	f := new(ktgs.Finding)
	if err := scanFinding(tx.queryRow(ctx, `SELECT `+findingCols+` FROM findings WHERE id = ?`, id), f); err == sql.ErrNoRows {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "finding")
	} else if err != nil {
		return nil, tx.db.d.translate(err)
	}
	return f, nil
}

// EndPost ends post id on day d (the first day it is no longer held); a
// post not held on d is left alone and reported false.
func (tx *Tx) EndPost(ctx context.Context, id int64, d civil.Date) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE posts SET to_date = ? WHERE id = ? AND from_date <= ? AND to_date > ?`, d, id, d, d)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// EndSeat ends committee seat id so that it is no longer held on day d
// (seats end inclusively, on the day before); a seat not held on d is left
// alone and reported false.
func (tx *Tx) EndSeat(ctx context.Context, id int64, d civil.Date) (bool, error) {
	last := d.AddDays(-1)
	res, err := tx.exec(ctx, `UPDATE seats SET end_date = CASE WHEN start_date > ? THEN start_date ELSE ? END
		WHERE id = ? AND start_date <= ? AND end_date >= ?`, last, last, id, d, d)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	if n == 1 {
		var member int64
		if err := tx.queryRow(ctx, `SELECT member_id FROM seats WHERE id = ?`, id).Scan(&member); err != nil {
			return false, err
		}
		if err := tx.statsMember(ctx, member); err != nil {
			return false, err
		}
	}
	return n == 1, nil
}

// InsertResponsible stores an assessed individual of a proceeding; the
// same member twice is refused (ECONFLICT).
func (tx *Tx) InsertResponsible(ctx context.Context, r *ktgs.ResponsiblePerson) error {
	r.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO proceeding_persons (proceeding_id, member_id, name, is_head, assessment, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, r.ProceedingID, r.MemberID, r.Name, r.IsHead, r.Assessment, tx.now)
	r.ID = id
	return err
}

// Responsible returns the individuals assessed in proceeding id, the
// head first.
func (tx *Tx) Responsible(ctx context.Context, id int64) ([]ktgs.ResponsiblePerson, error) {
	rows, err := tx.query(ctx, `SELECT id, proceeding_id, member_id, name, is_head, assessment, created_at FROM proceeding_persons
		WHERE proceeding_id = ? ORDER BY is_head DESC, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.ResponsiblePerson
	for rows.Next() {
		var r ktgs.ResponsiblePerson
		if err := rows.Scan(&r.ID, &r.ProceedingID, &r.MemberID, &r.Name, &r.IsHead, &r.Assessment, &r.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ProceedingsCreatedBy returns the proceedings user id opened that are
// still under consideration or have duties not done, oldest first
// ("Việc của tôi").
func (tx *Tx) ProceedingsCreatedBy(ctx context.Context, userID int64) ([]*ktgs.Proceeding, error) {
	return tx.proceedings(ctx, `SELECT `+procCols+` FROM proceedings p JOIN bodies b ON b.id = p.body_id
		WHERE p.created_by = ? AND (p.status IN ('OPEN', 'HEARD', 'FORWARDED', 'VOTED', 'POSTPONED')
		OR EXISTS (SELECT 1 FROM discipline_tasks t WHERE t.proceeding_id = p.id AND t.done_on IS NULL)) ORDER BY p.id`, userID)
}

// DueTask is an open duty of a proceeding with who opened the proceeding.
type DueTask struct {
	ktgs.DisciplineTask
	Code      string
	CreatedBy int64
}

// DisciplineTasksDueBy returns the open duties due on or before d, with
// their proceeding's code and opener, earliest first.
func (tx *Tx) DisciplineTasksDueBy(ctx context.Context, d civil.Date, limit int) ([]DueTask, error) {
	rows, err := tx.query(ctx, `SELECT t.id, t.proceeding_id, t.kind, COALESCE(t.to_body_id, 0), t.text, t.citation, t.due_on, t.done_on,
		p.code, p.created_by FROM discipline_tasks t JOIN proceedings p ON p.id = t.proceeding_id
		WHERE t.done_on IS NULL AND t.due_on IS NOT NULL AND t.due_on <= ? ORDER BY t.due_on, t.id LIMIT ?`, d, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DueTask
	for rows.Next() {
		var t DueTask
		if err := rows.Scan(&t.ID, &t.ProceedingID, &t.Kind, &t.ToBodyID, &t.Text, &t.Citation, &t.DueOn, &t.DoneOn, &t.Code, &t.CreatedBy); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
