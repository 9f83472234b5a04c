package store

import (
	"cmp"
	"context"
	"fmt"
	"ktgs/internal/audit"
	"slices"
	"time"

	"ktgs"
	"ktgs/internal/civil"
	"ktgs/internal/vn"
)

// Loader appends rows with ids chosen by the caller, as fast as each engine
// allows: multi-row INSERTs in one transaction on SQLite, COPY on
// PostgreSQL. It is for the synthetic-data generator and bulk imports into
// an empty database; it skips the use-case checks, so callers must produce
// consistent data. Rows become visible when BulkLoad returns without error.
type Loader struct {
	*RowBuilder
	tables []*bulkTable
	sink   bulkSink
	db     *DB
	// cards pairs each loaded member's card key with its id; member_cards
	// is written from it at the end, in key order.
	cards []cardPair
}

type cardPair struct{ card, id int64 }

// bulkTable buffers rows of one table.
type bulkTable struct {
	name string
	cols []string
	rows [][]any
}

// bulkSink writes buffered rows; one per engine.
type bulkSink interface {
	flush(ctx context.Context, t *bulkTable) error
	exec(ctx context.Context, query string, args ...any) (int64, error)
	scanRow(ctx context.Context, query string, args []any, dest ...any) error
	finish(ctx context.Context, tables []*bulkTable) error
	abort()
}

// flushRows is the buffer size per table.
const flushRows = 20000

// Table numbers of bulk rows, in foreign-key order: a table only refers to
// tables before it.
const (
	tOrgs = iota
	tVersions
	tReorgEvents
	tReorgLinks
	tBodies
	tTerms
	tMembers
	tAttachments
	tSeats
	tPosts
	tMemberEvents
	tMemberCards
	tUsers
	tUserScopes
	tProgrammes
	tProgrammeItems
	tCases
	tCaseSubjects
	tCaseTeam
	tCaseEvents
	tFindings
	tRemediations
	tRemediationReports
	tProceedings // bulk_discipline.go
	tProceedingPersons
	tProceedingEvents
	tProceedingVotes
	tComplaints
	tComplaintEvents
	tLetters // bulk_letters.go
	tLetterAllegations
	tLetterKeys
	tLetterTeam
	tLetterEvents
	tLetterNotices
)

var bulkSchema = []struct {
	name string
	cols []string
}{
	tOrgs:        {"orgs", []string{"id", "code", "born", "ended", "created_at", "updated_at"}},
	tVersions:    {"org_versions", []string{"id", "org_id", "parent_id", "type", "name", "name_folded", "sort_key", "path", "depth", "valid_from", "valid_to"}},
	tReorgEvents: {"reorg_events", []string{"id", "kind", "date", "decision", "note", "created_at"}},
	tReorgLinks:  {"reorg_links", []string{"event_id", "from_org_id", "to_org_id", "is_primary"}},
	tBodies:      {"bodies", []string{"id", "org_id", "kind", "name"}},
	tTerms:       {"terms", []string{"id", "body_id", "name", "start_date", "end_date", "congress_date"}},
	tMembers: {"members", []string{"id", "card", "full_name", "gender", "birth_date", "admitted_on", "official_on",
		"home_org_id", "home_since", "managing_org_id", "managing_body", "retired_on", "ended_on", "end_reason", "hometown", "occupation"}},
	tAttachments:  {"attachments", []string{"id", "member_id", "org_id", "kind", "valid_from", "valid_to", "note"}},
	tSeats:        {"seats", []string{"id", "term_id", "member_id", "role", "start_date", "end_date"}},
	tPosts:        {"posts", []string{"id", "member_id", "title", "agency", "level", "org_id", "from_date", "to_date"}},
	tMemberEvents: {"member_events", []string{"id", "member_id", "kind", "date", "from_org_id", "to_org_id", "note", "created_at"}},
	tMemberCards:  {"member_cards", []string{"card", "member_id"}},
	tUsers: {"users", []string{"id", "username", "display_name", "email", "password_hash", "role", "clearance", "member_id",
		"totp_secret", "totp_enabled", "totp_last_counter", "demo", "disabled_at", "password_changed_at", "created_at", "updated_at"}},
	tUserScopes: {"user_scopes", []string{"user_id", "org_id"}},
	tProgrammes: {"programmes", []string{"id", "body_id", "org_id", "scope_path", "kind", "year", "term_id", "title", "adopted_on",
		"created_by", "created_at"}},
	tProgrammeItems: {"programme_items", []string{"id", "programme_id", "kind", "subject_kind", "subject_org", "subject_mem", "subject_name",
		"content", "window_from", "window_to", "lead_user_id", "case_id"}},
	tCases: {"cases", []string{"id", "code", "kind", "body_id", "org_id", "scope_path", "title", "content", "mark", "status", "prev_status",
		"year", "proposed_on", "decided_on", "start_on", "duration_days", "duration_unit", "due_on", "concluded_on", "closed_on",
		"programme_item_id", "created_by", "created_at", "updated_at"}},
	tCaseSubjects: {"case_subjects", []string{"case_id", "seq", "kind", "org_id", "member_id", "name", "self_report_on", "comments_on"}},
	tCaseTeam:     {"case_team", []string{"case_id", "user_id", "role", "added_on", "removed_on", "reason"}},
	tCaseEvents:   {"case_events", []string{"id", "case_id", "at", "actor_id", "actor", "transition", "from_status", "to_status", "note"}},
	tFindings: {"findings", []string{"id", "case_id", "subject_seq", "kind", "text", "text_folded", "responsible_member_id", "is_head",
		"spread", "category", "warrants_discipline", "created_at"}},
	tRemediations: {"remediations", []string{"id", "case_id", "finding_id", "subject_seq", "text", "due_on", "status", "reason",
		"escalated_on", "updated_at"}},
	tRemediationReports: {"remediation_reports", []string{"id", "remediation_id", "at", "user_id", "kind", "text"}},
	tProceedings:        {"proceedings", proceedingBulkCols},
	tProceedingPersons:  {"proceeding_persons", personBulkCols},
	tProceedingEvents:   {"proceeding_events", eventBulkCols("proceeding_id")},
	tProceedingVotes:    {"proceeding_votes", voteBulkCols},
	tComplaints:         {"complaints", complaintBulkCols},
	tComplaintEvents:    {"complaint_events", eventBulkCols("complaint_id")},
	tLetters:            {"letters", letterBulkCols},
	tLetterAllegations: {"letter_allegations", []string{"id", "letter_id", "seq", "kind", "subject", "member_id", "org_id", "accused_name",
		"accused_unit", "content", "result", "conclusion", "proceeding_id", "case_id"}},
	tLetterKeys:    {"letter_keys", []string{"key", "letter_id"}},
	tLetterTeam:    {"letter_team", []string{"letter_id", "user_id", "member_id", "role"}},
	tLetterEvents:  {"letter_events", []string{"id", "letter_id", "at", "on_date", "actor_id", "actor", "step", "from_status", "to_status", "body_id", "note", "rules"}},
	tLetterNotices: {"letter_notices", []string{"id", "letter_id", "kind", "on_date", "to_whom", "text", "delivered"}},
}

// Row is one row ready for a Loader, its values already in the form the
// engine takes (database/sql/driver values: int64, string, []byte, bool,
// time.Time or nil). Build rows with a RowBuilder (in any goroutine: building
// is where the CPU goes) and hand them to Loader.Add.
type Row struct {
	table int
	vals  []any
}

// RowBuilder turns domain values into Rows for one engine.
type RowBuilder struct {
	pg  bool
	now any
}

// RowBuilder returns a builder for db's engine.
func (db *DB) RowBuilder() *RowBuilder {
	b := &RowBuilder{pg: db.engine == Postgres}
	if b.pg {
		b.now = db.Now()
	} else {
		b.now = db.Now().Format("2006-01-02 15:04:05.999999999-07:00")
	}
	return b
}

// date converts a date: ISO text for SQLite, time.Time for PostgreSQL's
// binary COPY, NULL for the zero date.
func (b *RowBuilder) date(d civil.Date) any {
	switch {
	case d.IsZero():
		return nil
	case b.pg:
		return d.Time()
	}
	return d.String()
}

func id(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// Org builds an organisation identity row. Versions are added with Version.
func (b *RowBuilder) Org(orgID int64, code string, born, ended civil.Date) Row {
	if ended.IsZero() {
		ended = civil.Forever
	}
	return Row{tOrgs, []any{orgID, code, b.date(born), b.date(ended), b.now, b.now}}
}

// Version builds a version row for o (o.ID, o.Path and o.Depth must be set;
// versionID is the row id).
func (b *RowBuilder) Version(versionID int64, o *ktgs.Org) Row {
	return Row{tVersions, []any{versionID, o.ID, id(o.ParentID), string(o.Type), o.Name, vn.Fold(o.Name), vn.SortKey(o.Name),
		o.Path, int64(o.Depth), b.date(o.ValidFrom), b.date(o.ValidTo)}}
}

// Reorg builds a reorganisation event and its links.
func (b *RowBuilder) Reorg(e *ktgs.ReorgEvent) []Row {
	out := []Row{{tReorgEvents, []any{e.ID, string(e.Kind), b.date(e.Date), e.Decision, e.Note, b.now}}}
	for _, k := range e.Links {
		out = append(out, Row{tReorgLinks, []any{e.ID, id(k.FromID), id(k.ToID), k.Primary}})
	}
	return out
}

// Body builds a body row.
func (b *RowBuilder) Body(x *ktgs.Body) Row {
	return Row{tBodies, []any{x.ID, x.OrgID, string(x.Kind), x.Name}}
}

// Term builds a term row.
func (b *RowBuilder) Term(t *ktgs.Term) Row {
	return Row{tTerms, []any{t.ID, t.BodyID, t.Name, b.date(t.Start), b.date(t.End), b.date(t.CongressDate)}}
}

// Seat builds a seat row.
func (b *RowBuilder) Seat(s *ktgs.Seat) Row {
	return Row{tSeats, []any{s.ID, s.TermID, s.MemberID, string(s.Role), b.date(s.Start), b.date(s.End)}}
}

// Member builds a member row. The card number must be valid (CardKey);
// an invalid one stores -1, which the unique index makes visible.
func (b *RowBuilder) Member(m *ktgs.Member) Row {
	return Row{tMembers, []any{m.ID, cardArg(m.CardNumber), m.FullName, string(m.Gender), b.date(m.BirthDate), b.date(m.AdmittedOn),
		b.date(m.OfficialOn), m.HomeOrgID, b.date(m.HomeSince), id(m.Managing.OrgID), string(m.Managing.Kind), b.date(m.RetiredOn), b.date(m.EndedOn), string(m.EndReason),
		m.Hometown, m.Occupation}}
}

// Attachment builds an attachment row.
func (b *RowBuilder) Attachment(a *ktgs.Attachment) Row {
	if a.To.IsZero() {
		a.To = civil.Forever
	}
	return Row{tAttachments, []any{a.ID, a.MemberID, a.OrgID, string(a.Kind), b.date(a.From), b.date(a.To), a.Note}}
}

// Post builds a post row.
func (b *RowBuilder) Post(p *ktgs.Post) Row {
	if p.To.IsZero() {
		p.To = civil.Forever
	}
	return Row{tPosts, []any{p.ID, p.MemberID, p.Title, p.Agency, string(p.Level), id(p.OrgID), b.date(p.From), b.date(p.To)}}
}

// Event builds a member event row.
func (b *RowBuilder) Event(e *ktgs.MemberEvent) Row {
	return Row{tMemberEvents, []any{e.ID, e.MemberID, string(e.Kind), b.date(e.Date), id(e.FromOrg), id(e.ToOrg), e.Note, b.now}}
}

// ts converts a timestamp: the engine's text form on SQLite (as Now), a
// UTC time.Time for PostgreSQL's COPY, NULL for the zero time.
func (b *RowBuilder) ts(t time.Time) any {
	switch {
	case t.IsZero():
		return nil
	case b.pg:
		return t.UTC()
	}
	return t.UTC().Format("2006-01-02 15:04:05.999999999-07:00")
}

func tsPtr(b *RowBuilder, t *time.Time) any {
	if t == nil {
		return nil
	}
	return b.ts(*t)
}

// User builds an account row (u.ID set by the caller); its scope rows are
// built with UserScope.
func (b *RowBuilder) User(u *ktgs.User) Row {
	return Row{tUsers, []any{u.ID, u.Username, u.DisplayName, u.Email, u.PasswordHash, string(u.Role), u.Clearance.Code(), id(u.MemberID),
		u.TOTPSecret, u.TOTPEnabled, u.TOTPLastCounter, u.Demo, tsPtr(b, u.DisabledAt), tsPtr(b, u.PasswordChangedAt),
		b.ts(u.CreatedAt), b.ts(u.UpdatedAt)}}
}

// UserScope builds one scope row of an account.
func (b *RowBuilder) UserScope(userID, orgID int64) Row {
	return Row{tUserScopes, []any{userID, orgID}}
}

// Programme builds a programme row without its items (add them with
// ProgrammeItem); createdBy and at are who adopted it and when.
func (b *RowBuilder) Programme(p *ktgs.Programme, createdBy int64, at time.Time) Row {
	return Row{tProgrammes, []any{p.ID, p.BodyID, p.OrgID, p.ScopePath, string(p.Kind), int64(p.Year), id(p.TermID), p.Title,
		b.date(p.AdoptedOn), createdBy, b.ts(at)}}
}

// ProgrammeItem builds a programme item row.
func (b *RowBuilder) ProgrammeItem(it *ktgs.ProgrammeItem) Row {
	return Row{tProgrammeItems, []any{it.ID, it.ProgrammeID, string(it.Kind), string(it.SubjectKind), id(it.SubjectOrg), id(it.SubjectMem),
		it.SubjectName, it.Content, b.date(it.From), b.date(it.To), id(it.LeadUserID), id(it.CaseID)}}
}

// Case builds a case row; c.ID and c.Code (CasePrefix, year, id) must be
// set. Its subjects are built with CaseSubject.
func (b *RowBuilder) Case(c *ktgs.Case) Row {
	return Row{tCases, []any{c.ID, c.Code, string(c.Kind), c.BodyID, c.OrgID, c.ScopePath, c.Title, c.Content, c.Mark.Code(), string(c.Status),
		string(c.PrevStatus), int64(c.Year), b.date(c.ProposedOn), b.date(c.DecidedOn), b.date(c.StartOn), int64(c.DurationDays),
		durationUnit(c.DurationUnit), b.date(c.DueOn), b.date(c.ConcludedOn), b.date(c.ClosedOn), id(c.ProgrammeItemID), c.CreatedBy,
		b.ts(c.CreatedAt), b.ts(c.UpdatedAt)}}
}

// CaseSubject builds a subject row of case caseID.
func (b *RowBuilder) CaseSubject(caseID int64, s *ktgs.CaseSubject) Row {
	return Row{tCaseSubjects, []any{caseID, int64(s.Seq), string(s.Kind), s.OrgID, id(s.MemberID), s.Name, b.date(s.SelfReportOn),
		b.date(s.CommentsOn)}}
}

// TeamMember builds a team row.
func (b *RowBuilder) TeamMember(m *ktgs.TeamMember) Row {
	return Row{tCaseTeam, []any{m.CaseID, m.UserID, string(m.Role), b.date(m.AddedOn), b.date(m.RemovedOn), m.Reason}}
}

// CaseEvent builds a timeline row (e.ID set by the caller).
func (b *RowBuilder) CaseEvent(e *ktgs.CaseEvent) Row {
	return Row{tCaseEvents, []any{e.ID, e.CaseID, b.ts(e.At), e.ActorID, e.Actor, e.Transition, string(e.From), string(e.To), e.Note}}
}

// Finding builds a finding row with its search key (vn.Fold of the text).
func (b *RowBuilder) Finding(f *ktgs.Finding) Row {
	return Row{tFindings, []any{f.ID, f.CaseID, int64(f.SubjectSeq), string(f.Kind), f.Text, vn.Fold(f.Text), id(f.ResponsibleMemberID),
		f.IsHead, f.Spread, f.Category, f.WarrantsDiscipline, b.ts(f.CreatedAt)}}
}

// Remediation builds a remediation request row.
func (b *RowBuilder) Remediation(r *ktgs.Remediation) Row {
	return Row{tRemediations, []any{r.ID, r.CaseID, id(r.FindingID), int64(r.SubjectSeq), r.Text, b.date(r.DueOn), string(r.Status), r.Reason,
		b.date(r.EscalatedOn), b.ts(r.UpdatedAt)}}
}

// RemediationReport builds a report line of a remediation request.
func (b *RowBuilder) RemediationReport(r *RemediationReport) Row {
	return Row{tRemediationReports, []any{r.ID, r.RemediationID, b.ts(r.At), r.UserID, r.Kind, r.Text}}
}

// BulkLoad runs fn with a Loader and commits everything it added, or
// nothing if fn or a write fails.
func (db *DB) BulkLoad(ctx context.Context, fn func(*Loader) error) error {
	sink, err := db.newBulkSink(ctx)
	if err != nil {
		return err
	}
	l := &Loader{RowBuilder: db.RowBuilder(), sink: sink, db: db}
	for _, s := range bulkSchema {
		l.tables = append(l.tables, &bulkTable{name: s.name, cols: s.cols})
	}
	if err := fn(l); err != nil {
		sink.abort()
		return err
	}
	if err := l.writeCards(ctx); err != nil {
		sink.abort()
		return err
	}
	if err := sink.finish(ctx, l.tables); err != nil {
		sink.abort()
		return err
	}
	// Bulk rows bypass the writers that keep stat_facts.
	_, err = db.RebuildStatFacts(ctx)
	return err
}

func (db *DB) newBulkSink(ctx context.Context) (bulkSink, error) {
	if db.engine == Postgres {
		return newPostgresSink(ctx, db)
	}
	return newSQLiteSink(ctx, db)
}

// WithID returns r with its id column (the first) set.
func (r Row) WithID(id int64) Row {
	r.vals[0] = id
	return r
}

// Add appends rows.
func (l *Loader) Add(ctx context.Context, rows ...Row) error {
	for _, r := range rows {
		if r.table == tMembers {
			l.cards = append(l.cards, cardPair{r.vals[1].(int64), r.vals[0].(int64)})
		}
		t := l.tables[r.table]
		t.rows = append(t.rows, r.vals)
		if len(t.rows) >= flushRows {
			// Parents before children: flush every table that precedes this
			// one so foreign keys hold at each flush.
			for _, p := range l.tables[:r.table+1] {
				if err := l.flushTable(ctx, p); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Exec runs a statement ("?" placeholders) inside the load's transaction,
// after flushing every buffered row so that it sees them. Use it for the
// few updates of a mostly-insert load.
func (l *Loader) Exec(ctx context.Context, query string, args ...any) error {
	for _, t := range l.tables {
		if err := l.flushTable(ctx, t); err != nil {
			return err
		}
	}
	_, err := l.sink.exec(ctx, query, args...)
	return err
}

// Audit appends e to the audit trail inside the load's transaction: the
// record of a bulk job commits with the job.
func (l *Loader) Audit(ctx context.Context, e *audit.Entry) error {
	for _, t := range l.tables {
		if err := l.flushTable(ctx, t); err != nil {
			return err
		}
	}
	return appendAudit(ctx, loaderAudit{l.sink}, e, l.db.Now())
}

type loaderAudit struct{ s bulkSink }

func (a loaderAudit) scanRow(ctx context.Context, q string, args []any, dest ...any) error {
	return a.s.scanRow(ctx, q, args, dest...)
}

func (a loaderAudit) execAudit(ctx context.Context, q string, args ...any) error {
	_, err := a.s.exec(ctx, q, args...)
	return err
}

// ExecCount is Exec that returns the number of rows the statement changed.
func (l *Loader) ExecCount(ctx context.Context, query string, args ...any) (int64, error) {
	for _, t := range l.tables {
		if err := l.flushTable(ctx, t); err != nil {
			return 0, err
		}
	}
	return l.sink.exec(ctx, query, args...)
}

// Now is the timestamp of rows written by this load, in the engine's form.
func (b *RowBuilder) Now() any { return b.now }

// writeCards adds the member_cards rows of the loaded members, sorted by
// card so that they append to the table's B-tree in order. A repeated card
// fails on the primary key like any insert.
func (l *Loader) writeCards(ctx context.Context) error {
	slices.SortFunc(l.cards, func(a, b cardPair) int { return cmp.Compare(a.card, b.card) })
	for i, p := range l.cards {
		if i > 0 && l.cards[i-1].card == p.card {
			return ktgs.Invalid("card_number", "err.card_taken", CardString(p.card))
		}
	}
	t := l.tables[tMemberCards]
	for _, p := range l.cards {
		t.rows = append(t.rows, []any{p.card, p.id})
		if len(t.rows) >= flushRows {
			for _, x := range l.tables {
				if err := l.flushTable(ctx, x); err != nil {
					return err
				}
			}
		}
	}
	l.cards = nil
	return nil
}

func (l *Loader) flushTable(ctx context.Context, t *bulkTable) error {
	if len(t.rows) == 0 {
		return nil
	}
	if err := l.sink.flush(ctx, t); err != nil {
		return fmt.Errorf("store: bulk %s: %w", t.name, err)
	}
	t.rows = t.rows[:0]
	return nil
}

// MaxIDs returns the largest id in each table with an id column, so that a
// generator can continue numbering after existing rows.
func (db *DB) MaxIDs(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	for _, s := range bulkSchema {
		if s.cols[0] != "id" {
			continue
		}
		var n int64
		if err := db.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+s.name).Scan(&n); err != nil {
			return nil, err
		}
		out[s.name] = n
	}
	return out, nil
}
