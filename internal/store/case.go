package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
)

const caseCols = `c.id, c.code, c.kind, c.body_id, c.org_id, c.scope_path, c.title, c.content, c.mark, c.status, c.prev_status,
	c.year, c.proposed_on, c.decided_on, c.start_on, c.duration_days, c.duration_unit, c.due_on, c.concluded_on, c.closed_on,
	COALESCE(c.programme_item_id, 0), c.created_by, c.created_at, c.updated_at, b.kind`

func scanCase(sc interface{ Scan(...any) error }, c *ktgs.Case) error {
	var mark string
	if err := sc.Scan(&c.ID, &c.Code, &c.Kind, &c.BodyID, &c.OrgID, &c.ScopePath, &c.Title, &c.Content, &mark, &c.Status, &c.PrevStatus,
		&c.Year, &c.ProposedOn, &c.DecidedOn, &c.StartOn, &c.DurationDays, &c.DurationUnit, &c.DueOn, &c.ConcludedOn, &c.ClosedOn,
		&c.ProgrammeItemID, &c.CreatedBy, &c.CreatedAt, &c.UpdatedAt, &c.BodyKind); err != nil {
		return err
	}
	c.Mark, _ = authz.ParseMark(mark)
	return nil
}

func durationUnit(u string) string {
	if u == "" {
		return "working_days"
	}
	return u
}

// CasePrefix is the first part of a case code: KT for inspections, GS for
// supervision.
func CasePrefix(k ktgs.CaseKind) string {
	if k.IsSupervision() {
		return "GS"
	}
	return "KT"
}

// InsertCase stores a new case with its subjects and gives it its code
// (KT-2026-000123: prefix, year, id).
func (tx *Tx) InsertCase(ctx context.Context, c *ktgs.Case) error {
	c.CreatedAt, c.UpdatedAt = tx.now, tx.now
	id, err := tx.insert(ctx, `INSERT INTO cases (code, kind, body_id, org_id, scope_path, title, content, mark, status, prev_status,
		year, proposed_on, decided_on, start_on, duration_days, duration_unit, due_on, concluded_on, closed_on, programme_item_id, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"new-"+fmt.Sprint(tx.now.UnixNano()), string(c.Kind), c.BodyID, c.OrgID, c.ScopePath, c.Title, c.Content, c.Mark.Code(), string(c.Status), string(c.PrevStatus),
		c.Year, c.ProposedOn, c.DecidedOn, c.StartOn, c.DurationDays, durationUnit(c.DurationUnit), c.DueOn, c.ConcludedOn, c.ClosedOn, nullID(c.ProgrammeItemID), c.CreatedBy, tx.now, tx.now)
	if err != nil {
		return err
	}
	c.ID = id
	c.Code = fmt.Sprintf("%s-%d-%06d", CasePrefix(c.Kind), c.Year, id)
	if _, err := tx.exec(ctx, `UPDATE cases SET code = ? WHERE id = ?`, c.Code, id); err != nil {
		return err
	}
	for i := range c.Subjects {
		s := &c.Subjects[i]
		s.Seq = i + 1
		if _, err := tx.exec(ctx, `INSERT INTO case_subjects (case_id, seq, kind, org_id, member_id, name, self_report_on, comments_on)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, s.Seq, string(s.Kind), s.OrgID, nullID(s.MemberID), s.Name, s.SelfReportOn, s.CommentsOn); err != nil {
			return err
		}
	}
	return tx.statsCase(ctx, id)
}

// UpdateCase writes the mutable columns of c (status, dates, plan, texts).
func (tx *Tx) UpdateCase(ctx context.Context, c *ktgs.Case) error {
	c.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `UPDATE cases SET title = ?, content = ?, mark = ?, status = ?, prev_status = ?, decided_on = ?, start_on = ?,
		duration_days = ?, duration_unit = ?, due_on = ?, concluded_on = ?, closed_on = ?, updated_at = ? WHERE id = ?`,
		c.Title, c.Content, c.Mark.Code(), string(c.Status), string(c.PrevStatus), c.DecidedOn, c.StartOn,
		c.DurationDays, durationUnit(c.DurationUnit), c.DueOn, c.ConcludedOn, c.ClosedOn, tx.now, c.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "case")
	}
	return tx.statsCase(ctx, c.ID)
}

// UpdateSubjectDates records when a subject's self-report and comments
// were received.
func (tx *Tx) UpdateSubjectDates(ctx context.Context, caseID int64, s *ktgs.CaseSubject) error {
	_, err := tx.exec(ctx, `UPDATE case_subjects SET self_report_on = ?, comments_on = ? WHERE case_id = ? AND seq = ?`,
		s.SelfReportOn, s.CommentsOn, caseID, s.Seq)
	return err
}

// Case returns case id with its subjects and the acting organisation's
// latest name.
func (tx *Tx) Case(ctx context.Context, id int64) (*ktgs.Case, error) {
	c := new(ktgs.Case)
	err := scanCase(tx.queryRow(ctx, `SELECT `+caseCols+` FROM cases c JOIN bodies b ON b.id = c.body_id WHERE c.id = ?`, id), c)
	if err == sql.ErrNoRows {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "case")
	} else if err != nil {
		return nil, tx.db.d.translate(err)
	}
	if o, err := tx.OrgLatest(ctx, c.OrgID); err == nil {
		c.OrgName = o.Name
	}
	c.Subjects, err = tx.CaseSubjects(ctx, id)
	return c, err
}

// CaseSubjects returns the subjects of case id in order.
func (tx *Tx) CaseSubjects(ctx context.Context, id int64) ([]ktgs.CaseSubject, error) {
	rows, err := tx.query(ctx, `SELECT seq, kind, org_id, COALESCE(member_id, 0), name, self_report_on, comments_on
		FROM case_subjects WHERE case_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.CaseSubject
	for rows.Next() {
		var s ktgs.CaseSubject
		if err := rows.Scan(&s.Seq, &s.Kind, &s.OrgID, &s.MemberID, &s.Name, &s.SelfReportOn, &s.CommentsOn); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// CaseFilter selects cases for a list.
type CaseFilter struct {
	// Paths limits to cases whose scope path lies under one of these
	// prefixes (the subtree filter and the actor's scope, intersected by
	// the caller). Empty means none: lists are always scoped.
	Paths    []string
	Kind     ktgs.CaseKind
	Status   ktgs.CaseStatus
	Year     int
	Overdue  bool
	Today    civil.Date
	MaxMark  authz.Mark // only cases marked at most this
	BeforeID int64      // keyset paging: cases with a smaller id
	Limit    int
}

// Cases returns the cases matching f, newest first, and whether more
// follow.
func (tx *Tx) Cases(ctx context.Context, f CaseFilter) ([]*ktgs.Case, bool, error) {
	if len(f.Paths) == 0 {
		return nil, false, nil
	}
	limit := pageLimit(f.Limit)
	where, args := scopeFilter("c", f.Paths, f.MaxMark)
	if f.Kind != "" {
		where, args = append(where, `c.kind = ?`), append(args, string(f.Kind))
	}
	if f.Status != "" {
		where, args = append(where, `c.status = ?`), append(args, string(f.Status))
	}
	if f.Year != 0 {
		where, args = append(where, `c.year = ?`), append(args, f.Year)
	}
	if f.Overdue {
		where = append(where, `c.due_on < ? AND c.status NOT IN ('CONCLUDED', 'FOLLOW_UP', 'CLOSED', 'CANCELLED', 'SUSPENDED')`)
		args = append(args, f.Today)
	}
	if f.BeforeID > 0 {
		where, args = append(where, `c.id < ?`), append(args, f.BeforeID)
	}
	rows, err := tx.query(ctx, `SELECT `+caseCols+` FROM cases c JOIN bodies b ON b.id = c.body_id WHERE `+strings.Join(where, " AND ")+
		` ORDER BY c.id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []*ktgs.Case
	for rows.Next() {
		c := new(ktgs.Case)
		if err := scanCase(rows, c); err != nil {
			return nil, false, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	out, more := page(out, limit)
	return out, more, nil
}

// CaseIDsByOrg returns the ids of cases whose acting organisation is id.
func (tx *Tx) CaseIDsByOrg(ctx context.Context, id int64) ([]int64, error) {
	return tx.ids(ctx, `SELECT id FROM cases WHERE org_id = ? ORDER BY id`, id)
}

// Team.

// AddTeamMember adds user to the team of case id.
func (tx *Tx) AddTeamMember(ctx context.Context, m *ktgs.TeamMember) error {
	_, err := tx.exec(ctx, `INSERT INTO case_team (case_id, user_id, role, added_on) VALUES (?, ?, ?, ?)`,
		m.CaseID, m.UserID, string(m.Role), m.AddedOn)
	return err
}

// RemoveTeamMember ends user's membership of the team of case id on day d
// with a reason (a recusal).
func (tx *Tx) RemoveTeamMember(ctx context.Context, caseID, userID int64, d civil.Date, reason string) error {
	res, err := tx.exec(ctx, `UPDATE case_team SET removed_on = ?, reason = ? WHERE case_id = ? AND user_id = ? AND removed_on IS NULL`,
		d, reason, caseID, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "team member")
	}
	return nil
}

// Team returns the team of case id, current members first, with names.
func (tx *Tx) Team(ctx context.Context, caseID int64) ([]ktgs.TeamMember, error) {
	rows, err := tx.query(ctx, `SELECT t.case_id, t.user_id, t.role, t.added_on, t.removed_on, t.reason, u.display_name
		FROM case_team t JOIN users u ON u.id = t.user_id WHERE t.case_id = ?
		ORDER BY CASE WHEN t.removed_on IS NULL THEN 0 ELSE 1 END, CASE WHEN t.role = 'LEAD' THEN 0 ELSE 1 END, t.added_on, u.display_name`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.TeamMember
	for rows.Next() {
		var m ktgs.TeamMember
		if err := rows.Scan(&m.CaseID, &m.UserID, &m.Role, &m.AddedOn, &m.RemovedOn, &m.Reason, &m.DisplayName); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// CasesOfUser returns the ids of the open cases on whose team user id
// currently is.
func (tx *Tx) CasesOfUser(ctx context.Context, userID int64) ([]int64, error) {
	return tx.ids(ctx, `SELECT t.case_id FROM case_team t JOIN cases c ON c.id = t.case_id
		WHERE t.user_id = ? AND t.removed_on IS NULL AND c.status NOT IN ('CLOSED', 'CANCELLED') ORDER BY t.case_id`, userID)
}

// Conflicts.

// InsertConflict registers a conflict of interest.
func (tx *Tx) InsertConflict(ctx context.Context, c *ktgs.Conflict) error {
	id, err := tx.insert(ctx, `INSERT INTO conflicts (user_id, kind, member_id, org_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		c.UserID, string(c.Kind), nullID(c.MemberID), nullID(c.OrgID), c.Note, tx.now)
	c.ID = id
	return err
}

// Conflicts returns the registered conflicts of user id.
func (tx *Tx) Conflicts(ctx context.Context, userID int64) ([]ktgs.Conflict, error) {
	rows, err := tx.query(ctx, `SELECT id, user_id, kind, COALESCE(member_id, 0), COALESCE(org_id, 0), note FROM conflicts WHERE user_id = ? ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.Conflict
	for rows.Next() {
		var c ktgs.Conflict
		if err := rows.Scan(&c.ID, &c.UserID, &c.Kind, &c.MemberID, &c.OrgID, &c.Note); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Events.

// InsertCaseEvent appends a line to a case's timeline.
func (tx *Tx) InsertCaseEvent(ctx context.Context, e *ktgs.CaseEvent) error {
	if e.At.IsZero() {
		e.At = tx.now
	}
	id, err := tx.insert(ctx, `INSERT INTO case_events (case_id, at, actor_id, actor, transition, from_status, to_status, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.CaseID, e.At, e.ActorID, e.Actor, e.Transition, string(e.From), string(e.To), e.Note)
	e.ID = id
	return err
}

// CaseEvents returns the timeline of case id, oldest first.
func (tx *Tx) CaseEvents(ctx context.Context, id int64) ([]ktgs.CaseEvent, error) {
	rows, err := tx.query(ctx, `SELECT id, case_id, at, actor_id, actor, transition, from_status, to_status, note
		FROM case_events WHERE case_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.CaseEvent
	for rows.Next() {
		var e ktgs.CaseEvent
		if err := rows.Scan(&e.ID, &e.CaseID, &e.At, &e.ActorID, &e.Actor, &e.Transition, &e.From, &e.To, &e.Note); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Findings.

// InsertFinding stores a finding; textFolded is its search key.
func (tx *Tx) InsertFinding(ctx context.Context, f *ktgs.Finding, textFolded string) error {
	f.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO findings (case_id, subject_seq, kind, text, text_folded, responsible_member_id, is_head, spread,
		category, warrants_discipline, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.CaseID, f.SubjectSeq, string(f.Kind), f.Text, textFolded, nullID(f.ResponsibleMemberID), f.IsHead, f.Spread,
		f.Category, f.WarrantsDiscipline, tx.now)
	f.ID = id
	if err != nil {
		return err
	}
	return tx.statsCase(ctx, f.CaseID)
}

const findingCols = `id, case_id, subject_seq, kind, text, COALESCE(responsible_member_id, 0), is_head, spread, category, warrants_discipline, created_at`

func scanFinding(sc interface{ Scan(...any) error }, f *ktgs.Finding) error {
	return sc.Scan(&f.ID, &f.CaseID, &f.SubjectSeq, &f.Kind, &f.Text, &f.ResponsibleMemberID, &f.IsHead, &f.Spread, &f.Category,
		&f.WarrantsDiscipline, &f.CreatedAt)
}

// Findings returns the findings of case id.
func (tx *Tx) Findings(ctx context.Context, caseID int64) ([]ktgs.Finding, error) {
	rows, err := tx.query(ctx, `SELECT `+findingCols+` FROM findings WHERE case_id = ? ORDER BY subject_seq, id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.Finding
	for rows.Next() {
		var f ktgs.Finding
		if err := scanFinding(rows, &f); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// GoodPractice is a strength marked to spread, with its case.
type GoodPractice struct {
	ktgs.Finding
	CaseCode  string `json:"case_code"`
	CaseTitle string `json:"case_title"`
	OrgID     int64  `json:"org_id"`
	Year      int    `json:"year"`
}

// GoodPractices searches the strengths marked to spread in the subtrees
// at paths (folded words must all appear), newest first.
func (tx *Tx) GoodPractices(ctx context.Context, paths []string, words []string, limit int) ([]GoodPractice, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	var or []string
	var args []any
	for _, p := range paths {
		or = append(or, `(c.scope_path >= ? AND c.scope_path < ?)`)
		args = append(args, p, pathUpper(p))
	}
	where := []string{`f.spread = ?`, `(` + strings.Join(or, " OR ") + `)`}
	args = append([]any{true}, args...)
	for _, w := range words {
		where = append(where, `f.text_folded LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscape(w)+"%")
	}
	rows, err := tx.query(ctx, `SELECT f.id, f.case_id, f.subject_seq, f.kind, f.text, COALESCE(f.responsible_member_id, 0), f.is_head, f.spread,
		f.category, f.warrants_discipline, f.created_at, c.code, c.title, c.org_id, c.year
		FROM findings f JOIN cases c ON c.id = f.case_id WHERE `+strings.Join(where, " AND ")+` ORDER BY f.id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []GoodPractice
	for rows.Next() {
		var g GoodPractice
		if err := rows.Scan(&g.ID, &g.CaseID, &g.SubjectSeq, &g.Kind, &g.Text, &g.ResponsibleMemberID, &g.IsHead, &g.Spread, &g.Category,
			&g.WarrantsDiscipline, &g.CreatedAt, &g.CaseCode, &g.CaseTitle, &g.OrgID, &g.Year); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Remediation.

// InsertRemediation stores a remediation request.
func (tx *Tx) InsertRemediation(ctx context.Context, r *ktgs.Remediation) error {
	r.UpdatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO remediations (case_id, finding_id, subject_seq, text, due_on, status, reason, escalated_on, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.CaseID, nullID(r.FindingID), r.SubjectSeq, r.Text, r.DueOn, string(r.Status), r.Reason, r.EscalatedOn, tx.now)
	r.ID = id
	return err
}

// MarkEscalated records that remediation id was escalated on day d and
// reports whether this call did it (false: already escalated, here or by
// another server).
func (tx *Tx) MarkEscalated(ctx context.Context, id int64, d civil.Date) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE remediations SET escalated_on = ?, updated_at = ? WHERE id = ? AND escalated_on IS NULL`, d, tx.now, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UpdateRemediation writes a request's status, reason and escalation.
func (tx *Tx) UpdateRemediation(ctx context.Context, r *ktgs.Remediation) error {
	r.UpdatedAt = tx.now
	_, err := tx.exec(ctx, `UPDATE remediations SET status = ?, reason = ?, escalated_on = ?, due_on = ?, updated_at = ? WHERE id = ?`,
		string(r.Status), r.Reason, r.EscalatedOn, r.DueOn, tx.now, r.ID)
	return err
}

const remCols = `id, case_id, COALESCE(finding_id, 0), subject_seq, text, due_on, status, reason, escalated_on, updated_at`

func scanRem(sc interface{ Scan(...any) error }, r *ktgs.Remediation) error {
	return sc.Scan(&r.ID, &r.CaseID, &r.FindingID, &r.SubjectSeq, &r.Text, &r.DueOn, &r.Status, &r.Reason, &r.EscalatedOn, &r.UpdatedAt)
}

// Remediations returns the remediation requests of case id.
func (tx *Tx) Remediations(ctx context.Context, caseID int64) ([]ktgs.Remediation, error) {
	return tx.remediations(ctx, `SELECT `+remCols+` FROM remediations WHERE case_id = ? ORDER BY due_on, id`, caseID)
}

// Remediation returns remediation request id.
func (tx *Tx) Remediation(ctx context.Context, id int64) (*ktgs.Remediation, error) {
	r := new(ktgs.Remediation)
	if err := scanRem(tx.queryRow(ctx, `SELECT `+remCols+` FROM remediations WHERE id = ?`, id), r); err == sql.ErrNoRows {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "remediation")
	} else if err != nil {
		return nil, tx.db.d.translate(err)
	}
	return r, nil
}

// OverdueRemediations returns open requests due before day d that have
// not been escalated yet.
func (tx *Tx) OverdueRemediations(ctx context.Context, d civil.Date, limit int) ([]ktgs.Remediation, error) {
	return tx.remediations(ctx, `SELECT `+remCols+` FROM remediations WHERE status IN ('OPEN', 'REPORTED') AND due_on < ? AND escalated_on IS NULL
		ORDER BY due_on, id LIMIT ?`, d, limit)
}

func (tx *Tx) remediations(ctx context.Context, q string, args ...any) ([]ktgs.Remediation, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.Remediation
	for rows.Next() {
		var r ktgs.Remediation
		if err := scanRem(rows, &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RemediationReport is a progress report, a verification or a waiver of a
// remediation request.
type RemediationReport struct {
	ID            int64     `json:"id"`
	RemediationID int64     `json:"remediation_id"`
	At            time.Time `json:"at"`
	UserID        int64     `json:"user_id"`
	Kind          string    `json:"kind"` // REPORT, VERIFY, WAIVE, ESCALATE
	Text          string    `json:"text"`
}

// InsertRemediationReport stores a report line.
func (tx *Tx) InsertRemediationReport(ctx context.Context, r *RemediationReport) error {
	r.At = tx.now
	id, err := tx.insert(ctx, `INSERT INTO remediation_reports (remediation_id, at, user_id, kind, text) VALUES (?, ?, ?, ?, ?)`,
		r.RemediationID, tx.now, r.UserID, r.Kind, r.Text)
	r.ID = id
	return err
}

// RemediationReports returns the report lines of the requests of case id.
func (tx *Tx) RemediationReports(ctx context.Context, caseID int64) ([]RemediationReport, error) {
	rows, err := tx.query(ctx, `SELECT r.id, r.remediation_id, r.at, r.user_id, r.kind, r.text FROM remediation_reports r
		JOIN remediations m ON m.id = r.remediation_id WHERE m.case_id = ? ORDER BY r.id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RemediationReport
	for rows.Next() {
		var r RemediationReport
		if err := rows.Scan(&r.ID, &r.RemediationID, &r.At, &r.UserID, &r.Kind, &r.Text); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CasesDueBy returns the open, not suspended cases whose plan ends on or
// before day d.
func (tx *Tx) CasesDueBy(ctx context.Context, d civil.Date, limit int) ([]*ktgs.Case, error) {
	rows, err := tx.query(ctx, `SELECT `+caseCols+` FROM cases c JOIN bodies b ON b.id = c.body_id
		WHERE c.due_on <= ? AND c.status NOT IN ('CONCLUDED', 'FOLLOW_UP', 'CLOSED', 'CANCELLED', 'SUSPENDED') ORDER BY c.due_on, c.id LIMIT ?`, d, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ktgs.Case
	for rows.Next() {
		c := new(ktgs.Case)
		if err := scanCase(rows, c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
