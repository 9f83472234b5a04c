package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"ktgs"
	"ktgs/internal/civil"
)

// Bulk rows of discipline (0005_discipline.sql, 0007_complaints.sql,
// 0008_proceeding_persons.sql) for the synthetic-data generator: the
// proceeding, the individuals assessed with an organisation subject, its
// history and ballots, the complaints about its decision and their
// history. The columns are those InsertProceeding, UpdateProceeding,
// InsertComplaint and UpdateComplaint write; the caller sets every id and
// the codes (KL-<year opened>-<id>, KN-<year filed>-<id>).

var proceedingBulkCols = []string{"id", "code", "subject_kind", "member_id", "org_id", "subject_name", "origin", "case_id", "finding_id",
	"notice_ref", "notice_decision_on", "notice_received_on", "notice_due_on", "notice_late", "body_id", "first_body_id", "scope_path",
	"category", "violation_scope", "violation", "violation_on", "continuing_until", "warranted_form", "mark", "status", "prev_status",
	"opened_on", "heard_on", "self_criticism_on", "form", "voted_on", "decided_on", "announced_on", "removed_posts", "document_id",
	"reason", "created_by", "created_at", "updated_at"}

var personBulkCols = []string{"id", "proceeding_id", "member_id", "name", "is_head", "assessment", "created_at"}

var voteBulkCols = []string{"id", "proceeding_id", "body_id", "held_on", "purpose", "official", "probationary", "absent_temp",
	"absent_exempt", "absent_other", "votes", "denominator", "adopted_form", "outcome"}

var complaintBulkCols = []string{"id", "code", "proceeding_id", "level", "prev_id", "complainant_kind", "complainant_member_id",
	"complainant_org_id", "complainant_name", "content", "filed_on", "received_decision_on", "decision_announced_on", "deadline_on",
	"resolver_body_id", "final_level", "scope_path", "mark", "status", "form_before", "outcome", "new_form", "resolved_on",
	"result_announced_on", "resolution", "withdrawn_on", "withdrawal_reason", "created_by", "created_at", "updated_at", "resolve_by"}

// eventBulkCols are the columns of a history table whose owner column is
// owner (proceeding_events, complaint_events).
func eventBulkCols(owner string) []string {
	return []string{"id", owner, "at", "on_date", "actor_id", "actor", "step", "from_status", "to_status", "body_id", "note", "rules"}
}

// Proceeding builds a proceeding row; p.ID and p.Code must be set.
func (b *RowBuilder) Proceeding(p *ktgs.Proceeding) Row {
	return Row{tProceedings, []any{p.ID, p.Code, string(p.SubjectKind), id(p.MemberID), p.OrgID, p.SubjectName, string(p.Origin),
		id(p.CaseID), id(p.FindingID), p.NoticeRef, b.date(p.NoticeDecisionOn), b.date(p.NoticeReceivedOn), b.date(p.NoticeDueOn),
		p.NoticeLate, p.BodyID, p.FirstBodyID, p.ScopePath, p.Category, p.ViolationScope, p.Violation, b.date(p.ViolationOn),
		b.date(p.ContinuingUntil), string(p.WarrantedForm), p.Mark.Code(), string(p.Status), string(p.PrevStatus), b.date(p.OpenedOn),
		b.date(p.HeardOn), b.date(p.SelfCriticismOn), string(p.Form), b.date(p.VotedOn), b.date(p.DecidedOn), b.date(p.AnnouncedOn),
		strings.Join(p.RemovedPosts, ","), id(p.DocumentID), p.Reason, p.CreatedBy, b.ts(p.CreatedAt), b.ts(p.UpdatedAt)}}
}

// ResponsiblePerson builds the row of an individual assessed in a
// proceeding against an organisation (r.ID set by the caller).
func (b *RowBuilder) ResponsiblePerson(r *ktgs.ResponsiblePerson) Row {
	return Row{tProceedingPersons, []any{r.ID, r.ProceedingID, r.MemberID, r.Name, r.IsHead, r.Assessment, b.ts(r.CreatedAt)}}
}

// ProceedingEvent builds a history row of a proceeding (e.ID set by the
// caller).
func (b *RowBuilder) ProceedingEvent(e *ktgs.ProceedingEvent) Row {
	return Row{tProceedingEvents, []any{e.ID, e.ProceedingID, b.ts(e.At), b.date(e.On), e.ActorID, e.Actor, e.Step, string(e.From),
		string(e.To), e.BodyID, e.Note, e.Rules}}
}

// ProceedingVote builds a ballot row (v.ID set by the caller); the votes
// per form are stored as JSON, as InsertVote stores them.
func (b *RowBuilder) ProceedingVote(v *ktgs.Vote) Row {
	votes, _ := json.Marshal(v.Votes)
	return Row{tProceedingVotes, []any{v.ID, v.ProceedingID, v.BodyID, b.date(v.HeldOn), v.Purpose, int64(v.Official), int64(v.Probationary),
		int64(v.AbsentTemp), int64(v.AbsentExempt), int64(v.AbsentOther), string(votes), int64(v.Denominator), string(v.AdoptedForm), v.Outcome}}
}

// Complaint builds a complaint row; c.ID and c.Code must be set.
func (b *RowBuilder) Complaint(c *ktgs.Complaint) Row {
	return Row{tComplaints, []any{c.ID, c.Code, c.ProceedingID, int64(c.Level), id(c.PrevID), string(c.ComplainantKind),
		id(c.ComplainantMemberID), id(c.ComplainantOrgID), c.ComplainantName, c.Content, b.date(c.FiledOn), b.date(c.ReceivedDecisionOn),
		b.date(c.DecisionAnnouncedOn), b.date(c.DeadlineOn), c.ResolverBodyID, c.FinalLevel, c.ScopePath, c.Mark.Code(), string(c.Status),
		string(c.FormBefore), string(c.Outcome), string(c.NewForm), b.date(c.ResolvedOn), b.date(c.ResultAnnouncedOn), c.Resolution,
		b.date(c.WithdrawnOn), c.WithdrawalReason, c.CreatedBy, b.ts(c.CreatedAt), b.ts(c.UpdatedAt), b.date(c.ResolveBy)}}
}

// ComplaintEvent builds a history row of a complaint (e.ID set by the
// caller).
func (b *RowBuilder) ComplaintEvent(e *ktgs.ComplaintEvent) Row {
	return Row{tComplaintEvents, []any{e.ID, e.ComplaintID, b.ts(e.At), b.date(e.On), e.ActorID, e.Actor, e.Step, string(e.From),
		string(e.To), e.BodyID, e.Note, e.Rules}}
}

// MemberEnd is the end of a loaded member's membership by a bulk
// proceeding: an expulsion announced on On.
type MemberEnd struct {
	MemberID int64
	On       civil.Date
	Reason   ktgs.EndReason
}

// EndMembers applies the effect a decided expulsion has on the register
// (app.Service.Decide): each membership ends on its day with its reason,
// and an open temporary attachment ends with it. It returns the number of
// members ended.
func (l *Loader) EndMembers(ctx context.Context, ends []MemberEnd) (int64, error) {
	var n int64
	for _, e := range ends {
		k, err := l.ExecCount(ctx, `UPDATE members SET ended_on = ?, end_reason = ? WHERE id = ? AND ended_on IS NULL`,
			e.On, string(e.Reason), e.MemberID)
		if err != nil {
			return n, err
		}
		n += k
		if _, err := l.sink.exec(ctx, `UPDATE attachments SET valid_to = ? WHERE member_id = ? AND kind = 'TEMP' AND valid_from <= ? AND valid_to > ?`,
			e.On, e.MemberID, e.On, e.On); err != nil {
			return n, err
		}
	}
	return n, nil
}

// MemberRow returns member id as its row stands, without the names and
// the temporary attachment Member adds: a cheap read for the generator,
// which asks it of every subject it draws.
func (tx *Tx) MemberRow(ctx context.Context, id int64) (*ktgs.Member, error) {
	m := new(ktgs.Member)
	if err := scanMember(tx.queryRow(ctx, `SELECT `+memberCols+` FROM members m WHERE m.id = ?`, id), m); err == sql.ErrNoRows {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "member")
	} else if err != nil {
		return nil, tx.db.d.translate(err)
	}
	return m, nil
}

// EachSeat calls fn with every committee seat and its body's kind and
// organisation (OrgID; not its names nor its type), by member, each
// member's seats newest first as MemberSeats orders them.
func (tx *Tx) EachSeat(ctx context.Context, fn func(s *ktgs.Seat) error) error {
	rows, err := tx.query(ctx, `SELECT s.id, s.term_id, s.member_id, s.role, s.start_date, s.end_date, b.kind, b.org_id
		FROM seats s JOIN terms t ON t.id = s.term_id JOIN bodies b ON b.id = t.body_id
		ORDER BY s.member_id, s.end_date DESC, s.start_date DESC, s.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s ktgs.Seat
		if err := rows.Scan(&s.ID, &s.TermID, &s.MemberID, &s.Role, &s.Start, &s.End, &s.BodyKind, &s.OrgID); err != nil {
			return err
		}
		if err := fn(&s); err != nil {
			return err
		}
	}
	return rows.Err()
}
