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

// Letters (đơn thư, RULES.md §5). The store never sees a sender's identity
// in clear text: the app seals it before InsertLetter.

const letterCols = `l.id, l.code, l.channel, l.kind, l.sender_mode, l.sender_sealed, l.sender_tag, l.denouncer_tag, l.signers,
	l.not_personally_signed, l.lacks_civil_capacity, l.address_unclear, l.read_back_signed, l.congress_related, l.title, l.content,
	l.fingerprint, l.received_on, l.received_org_id, l.holder_body_id, l.holder_org_id, l.scope_path, COALESCE(l.competent_body_id, 0),
	l.competent_on, l.due_on, l.extensions, l.status, COALESCE(l.duplicate_of, 0), COALESCE(l.resubmission_of, 0), l.intake, l.clock,
	l.concluded_on, l.notified_on, l.withdrawn_on, l.mark, l.created_by, l.created_at, l.updated_at, hb.name, hb.kind, COALESCE(cb.name, '')`

const letterFrom = ` FROM letters l JOIN bodies hb ON hb.id = l.holder_body_id LEFT JOIN bodies cb ON cb.id = l.competent_body_id`

func scanLetter(sc interface{ Scan(...any) error }, l *ktgs.Letter) error {
	var mark string
	if err := sc.Scan(&l.ID, &l.Code, &l.Channel, &l.Kind, &l.Mode, &l.SenderSealed, &l.SenderTag, &l.DenouncerTag, &l.Signers,
		&l.NotPersonallySigned, &l.LacksCivilCapacity, &l.AddressUnclear, &l.ReadBackSigned, &l.CongressRelated, &l.Title, &l.Content,
		&l.Fingerprint, &l.ReceivedOn, &l.ReceivedOrgID, &l.HolderBodyID, &l.HolderOrgID, &l.ScopePath, &l.CompetentBodyID,
		&l.CompetentOn, &l.DueOn, &l.Extensions, &l.Status, &l.DuplicateOf, &l.ResubmissionOf, &l.Intake, &l.Clock,
		&l.ConcludedOn, &l.NotifiedOn, &l.WithdrawnOn, &mark, &l.CreatedBy, &l.CreatedAt, &l.UpdatedAt, &l.HolderBodyName,
		&l.HolderBodyKind, &l.CompetentBodyName); err != nil {
		return err
	}
	l.Mark, _ = authz.ParseMark(mark)
	return nil
}

// InsertLetter stores a new letter with its allegations and duplicate
// keys, and gives it its staff code (ĐT-2026-000042: year received, id).
// receiptHash is the SHA-256 of the public receipt code; the code itself
// is never stored.
func (tx *Tx) InsertLetter(ctx context.Context, l *ktgs.Letter, receiptHash string, keys []string) error {
	l.CreatedAt, l.UpdatedAt = tx.now, tx.now
	id, err := tx.insert(ctx, `INSERT INTO letters (code, receipt_hash, channel, kind, sender_mode, sender_sealed, sender_tag, denouncer_tag,
		signers, not_personally_signed, lacks_civil_capacity, address_unclear, read_back_signed, congress_related, title, content,
		fingerprint, received_on, received_org_id, holder_body_id, holder_org_id, scope_path, competent_body_id, competent_on, due_on,
		status, duplicate_of, resubmission_of, intake, mark, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"new-"+fmt.Sprint(tx.now.UnixNano()), receiptHash, string(l.Channel), string(l.Kind), string(l.Mode), l.SenderSealed,
		l.SenderTag, l.DenouncerTag, l.Signers, l.NotPersonallySigned, l.LacksCivilCapacity, l.AddressUnclear, l.ReadBackSigned,
		l.CongressRelated, l.Title, l.Content, l.Fingerprint, l.ReceivedOn, l.ReceivedOrgID, l.HolderBodyID, l.HolderOrgID,
		l.ScopePath, nullID(l.CompetentBodyID), l.CompetentOn, l.DueOn, string(l.Status), nullID(l.DuplicateOf),
		nullID(l.ResubmissionOf), l.Intake, l.Mark.Code(), l.CreatedBy, tx.now, tx.now)
	if err != nil {
		return err
	}
	l.ID = id
	l.Code = fmt.Sprintf("ĐT-%d-%06d", l.ReceivedOn.Year(), id)
	if _, err := tx.exec(ctx, `UPDATE letters SET code = ? WHERE id = ?`, l.Code, id); err != nil {
		return err
	}
	if err := tx.ReplaceAllegations(ctx, l); err != nil {
		return err
	}
	if err := tx.AddLetterKeys(ctx, l.ID, keys); err != nil {
		return err
	}
	return tx.statsLetter(ctx, l.ID)
}

// AddLetterKeys records the duplicate-finding keys of a letter.
func (tx *Tx) AddLetterKeys(ctx context.Context, id int64, keys []string) error {
	for _, k := range keys {
		if _, err := tx.exec(ctx, `INSERT INTO letter_keys (key, letter_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, k, id); err != nil {
			return err
		}
	}
	return nil
}

// ReplaceLetterKeys sets the keys of a letter (after a reclassification
// or a key rotation).
func (tx *Tx) ReplaceLetterKeys(ctx context.Context, id int64, keys []string) error {
	if _, err := tx.exec(ctx, `DELETE FROM letter_keys WHERE letter_id = ?`, id); err != nil {
		return err
	}
	return tx.AddLetterKeys(ctx, id, keys)
}

// LettersByKeys returns the ids of earlier letters (id < before) sharing
// any of keys, oldest first, at most limit.
func (tx *Tx) LettersByKeys(ctx context.Context, keys []string, before int64, limit int) ([]*ktgs.Letter, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	ph := strings.TrimSuffix(strings.Repeat("?, ", len(keys)), ", ")
	args := make([]any, 0, len(keys)+2)
	for _, k := range keys {
		args = append(args, k)
	}
	args = append(args, before, limit)
	ls, err := tx.letters(ctx, `SELECT `+letterCols+letterFrom+` WHERE l.id IN (SELECT letter_id FROM letter_keys WHERE key IN (`+ph+`))
		AND l.id < ? ORDER BY l.id LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	return ls, tx.fillAllegations(ctx, ls)
}

// UpdateLetter writes the mutable columns of l.
func (tx *Tx) UpdateLetter(ctx context.Context, l *ktgs.Letter) error {
	l.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `UPDATE letters SET kind = ?, sender_mode = ?, sender_sealed = ?, sender_tag = ?, denouncer_tag = ?,
		signers = ?, not_personally_signed = ?, lacks_civil_capacity = ?, address_unclear = ?, congress_related = ?, holder_body_id = ?,
		holder_org_id = ?, scope_path = ?, competent_body_id = ?, competent_on = ?, due_on = ?, extensions = ?, status = ?,
		duplicate_of = ?, resubmission_of = ?, intake = ?, clock = ?, concluded_on = ?, notified_on = ?, withdrawn_on = ?, mark = ?,
		updated_at = ? WHERE id = ?`,
		string(l.Kind), string(l.Mode), l.SenderSealed, l.SenderTag, l.DenouncerTag, l.Signers, l.NotPersonallySigned,
		l.LacksCivilCapacity, l.AddressUnclear, l.CongressRelated, l.HolderBodyID, l.HolderOrgID, l.ScopePath,
		nullID(l.CompetentBodyID), l.CompetentOn, l.DueOn, l.Extensions, string(l.Status), nullID(l.DuplicateOf),
		nullID(l.ResubmissionOf), l.Intake, l.Clock, l.ConcludedOn, l.NotifiedOn, l.WithdrawnOn, l.Mark.Code(), tx.now, l.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "letter")
	}
	return tx.statsLetter(ctx, l.ID)
}

// Letter returns letter id with its allegations and team.
func (tx *Tx) Letter(ctx context.Context, id int64) (*ktgs.Letter, error) {
	l := new(ktgs.Letter)
	err := scanLetter(tx.queryRow(ctx, `SELECT `+letterCols+letterFrom+` WHERE l.id = ?`, id), l)
	if err == sql.ErrNoRows {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "letter")
	} else if err != nil {
		return nil, tx.db.d.translate(err)
	}
	if err := tx.fillAllegations(ctx, []*ktgs.Letter{l}); err != nil {
		return nil, err
	}
	l.Team, err = tx.LetterTeam(ctx, id)
	return l, err
}

// LetterByReceipt returns the letter whose receipt code hashes to h.
func (tx *Tx) LetterByReceipt(ctx context.Context, h string) (*ktgs.Letter, error) {
	l := new(ktgs.Letter)
	err := scanLetter(tx.queryRow(ctx, `SELECT `+letterCols+letterFrom+` WHERE l.receipt_hash = ?`, h), l)
	if err == sql.ErrNoRows {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "letter")
	} else if err != nil {
		return nil, tx.db.d.translate(err)
	}
	return l, nil
}

// LetterFilter selects letters for an inbox.
type LetterFilter struct {
	Paths        []string // scope prefixes, as CaseFilter.Paths
	MaxMark      authz.Mark
	HolderBodyID int64
	Kind         ktgs.LetterKind
	Status       ktgs.LetterStatus
	Open         bool       // only letters that still need work
	DueBy        civil.Date // clocked letters due on or before this day
	Overdue      civil.Date // clocked letters due before this day
	Duplicates   bool       // only letters linked as duplicates
	BeforeID     int64
	Limit        int
}

// Letters returns the letters matching f, newest first, and whether more
// follow.
func (tx *Tx) Letters(ctx context.Context, f LetterFilter) ([]*ktgs.Letter, bool, error) {
	if len(f.Paths) == 0 {
		return nil, false, nil
	}
	limit := pageLimit(f.Limit)
	where, args := scopeFilter("l", f.Paths, f.MaxMark)
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if f.HolderBodyID != 0 {
		add(`l.holder_body_id = ?`, f.HolderBodyID)
	}
	if f.Kind != "" {
		add(`l.kind = ?`, string(f.Kind))
	}
	if f.Status != "" {
		add(`l.status = ?`, string(f.Status))
	}
	if f.Open {
		add(`l.status IN ('RECEIVED', 'TRANSFERRED', 'ACCEPTED', 'VERIFYING', 'CONCLUDED')`)
	}
	if !f.DueBy.IsZero() {
		add(`l.status IN ('ACCEPTED', 'VERIFYING') AND l.due_on <= ?`, f.DueBy)
	}
	if !f.Overdue.IsZero() {
		add(`l.status IN ('ACCEPTED', 'VERIFYING') AND l.due_on < ?`, f.Overdue)
	}
	if f.Duplicates {
		add(`l.duplicate_of IS NOT NULL`)
	}
	if f.BeforeID > 0 {
		add(`l.id < ?`, f.BeforeID)
	}
	out, err := tx.letters(ctx, `SELECT `+letterCols+letterFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY l.id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, false, err
	}
	out, more := page(out, limit)
	return out, more, tx.fillAllegations(ctx, out)
}

// LettersDueBy returns the clocked letters due on or before d, earliest
// first, for reminders.
func (tx *Tx) LettersDueBy(ctx context.Context, d civil.Date, limit int) ([]*ktgs.Letter, error) {
	ls, err := tx.letters(ctx, `SELECT `+letterCols+letterFrom+` WHERE l.status IN ('ACCEPTED', 'VERIFYING') AND l.due_on IS NOT NULL
		AND l.due_on <= ? ORDER BY l.due_on, l.id LIMIT ?`, d, limit)
	if err != nil {
		return nil, err
	}
	return ls, tx.fillTeams(ctx, ls)
}

// LettersByDenouncer returns the letters whose denouncer tag is tag.
func (tx *Tx) LettersByDenouncer(ctx context.Context, tag string) ([]*ktgs.Letter, error) {
	if tag == "" {
		return nil, nil
	}
	return tx.letters(ctx, `SELECT `+letterCols+letterFrom+` WHERE l.denouncer_tag = ? ORDER BY l.id`, tag)
}

// LetterIDsAfter returns the ids of letters after id (a batch for key
// rotation), at most limit.
func (tx *Tx) LetterIDsAfter(ctx context.Context, after int64, limit int) ([]int64, error) {
	return collectValues(ctx, tx, func(sc interface{ Scan(...any) error }, id *int64) error { return sc.Scan(id) },
		`SELECT id FROM letters WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
}

func (tx *Tx) letters(ctx context.Context, q string, args ...any) ([]*ktgs.Letter, error) {
	return collect(ctx, tx, scanLetter, q, args...)
}

// fillAllegations loads the allegations of ls in one query.
func (tx *Tx) fillAllegations(ctx context.Context, ls []*ktgs.Letter) error {
	if len(ls) == 0 {
		return nil
	}
	byID := make(map[int64]*ktgs.Letter, len(ls))
	ph := make([]string, 0, len(ls))
	args := make([]any, 0, len(ls))
	for _, l := range ls {
		byID[l.ID] = l
		l.Allegations = nil
		ph = append(ph, "?")
		args = append(args, l.ID)
	}
	rows, err := tx.query(ctx, `SELECT a.id, a.letter_id, a.seq, a.kind, a.subject, COALESCE(a.member_id, 0), COALESCE(a.org_id, 0),
		a.accused_name, a.accused_unit, a.content, a.result, a.conclusion, COALESCE(a.proceeding_id, 0), COALESCE(a.case_id, 0),
		COALESCE(m.full_name, (SELECT v.name FROM org_versions v WHERE v.org_id = a.org_id ORDER BY v.valid_from DESC LIMIT 1), a.accused_name)
		FROM letter_allegations a LEFT JOIN members m ON m.id = a.member_id
		WHERE a.letter_id IN (`+strings.Join(ph, ", ")+`) ORDER BY a.letter_id, a.seq`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a ktgs.Allegation
		if err := rows.Scan(&a.ID, &a.LetterID, &a.Seq, &a.Kind, &a.Subject, &a.MemberID, &a.OrgID, &a.AccusedName, &a.AccusedUnit,
			&a.Content, &a.Result, &a.Conclusion, &a.ProceedingID, &a.CaseID, &a.SubjectName); err != nil {
			return err
		}
		if l := byID[a.LetterID]; l != nil {
			l.Allegations = append(l.Allegations, a)
		}
	}
	return rows.Err()
}

// ReplaceAllegations writes the allegations of l (classification may
// split a letter differently than intake did); ids are reassigned.
func (tx *Tx) ReplaceAllegations(ctx context.Context, l *ktgs.Letter) error {
	if _, err := tx.exec(ctx, `DELETE FROM letter_allegations WHERE letter_id = ?`, l.ID); err != nil {
		return err
	}
	for i := range l.Allegations {
		a := &l.Allegations[i]
		a.LetterID, a.Seq = l.ID, i+1
		id, err := tx.insert(ctx, `INSERT INTO letter_allegations (letter_id, seq, kind, subject, member_id, org_id, accused_name,
			accused_unit, content, result, conclusion, proceeding_id, case_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			l.ID, a.Seq, string(a.Kind), string(a.Subject), nullID(a.MemberID), nullID(a.OrgID), a.AccusedName, a.AccusedUnit,
			a.Content, string(a.Result), a.Conclusion, nullID(a.ProceedingID), nullID(a.CaseID))
		if err != nil {
			return err
		}
		a.ID = id
	}
	return nil
}

// UpdateAllegation writes an allegation's conclusion and what it led to.
func (tx *Tx) UpdateAllegation(ctx context.Context, a *ktgs.Allegation) error {
	_, err := tx.exec(ctx, `UPDATE letter_allegations SET result = ?, conclusion = ?, proceeding_id = ?, case_id = ? WHERE id = ?`,
		string(a.Result), a.Conclusion, nullID(a.ProceedingID), nullID(a.CaseID), a.ID)
	return err
}

// SetLetterTeam replaces the team of letter id.
func (tx *Tx) SetLetterTeam(ctx context.Context, id int64, team []ktgs.LetterTeamMember) error {
	if _, err := tx.exec(ctx, `DELETE FROM letter_team WHERE letter_id = ?`, id); err != nil {
		return err
	}
	for _, m := range team {
		if _, err := tx.exec(ctx, `INSERT INTO letter_team (letter_id, user_id, member_id, role) VALUES (?, ?, ?, ?)`,
			id, m.UserID, nullID(m.MemberID), m.Role); err != nil {
			return err
		}
	}
	return nil
}

// LetterTeam returns the team of letter id.
func (tx *Tx) LetterTeam(ctx context.Context, id int64) ([]ktgs.LetterTeamMember, error) {
	l := &ktgs.Letter{ID: id}
	err := tx.fillTeams(ctx, []*ktgs.Letter{l})
	return l.Team, err
}

// fillTeams loads the teams of ls in one query (the reminders read
// thousands of letters at once).
func (tx *Tx) fillTeams(ctx context.Context, ls []*ktgs.Letter) error {
	if len(ls) == 0 {
		return nil
	}
	byID := make(map[int64]*ktgs.Letter, len(ls))
	args := make([]any, 0, len(ls))
	for _, l := range ls {
		byID[l.ID], l.Team = l, nil
		args = append(args, l.ID)
	}
	type row struct {
		letter int64
		m      ktgs.LetterTeamMember
	}
	rows, err := collectValues(ctx, tx, func(sc interface{ Scan(...any) error }, r *row) error {
		return sc.Scan(&r.letter, &r.m.UserID, &r.m.MemberID, &r.m.Role, &r.m.Name)
	}, `SELECT t.letter_id, t.user_id, COALESCE(t.member_id, 0), t.role, COALESCE(NULLIF(u.display_name, ''), u.username)
		FROM letter_team t JOIN users u ON u.id = t.user_id WHERE t.letter_id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(ls)), ", ")+`)
		ORDER BY t.letter_id, t.role, t.user_id`, args...)
	for _, r := range rows {
		byID[r.letter].Team = append(byID[r.letter].Team, r.m)
	}
	return err
}

// InsertLetterEvent appends a line to a letter's history.
func (tx *Tx) InsertLetterEvent(ctx context.Context, e *ktgs.LetterEvent) error {
	if e.At.IsZero() {
		e.At = tx.now
	}
	id, err := tx.insert(ctx, `INSERT INTO letter_events (letter_id, at, on_date, actor_id, actor, step, from_status, to_status,
		body_id, note, rules) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.LetterID, e.At, e.On, e.ActorID, e.Actor, e.Step,
		string(e.From), string(e.To), e.BodyID, e.Note, e.Rules)
	e.ID = id
	return err
}

// LetterEvents returns the history of letter id, oldest first.
func (tx *Tx) LetterEvents(ctx context.Context, id int64) ([]ktgs.LetterEvent, error) {
	return collectValues(ctx, tx, func(sc interface{ Scan(...any) error }, e *ktgs.LetterEvent) error {
		return sc.Scan(&e.ID, &e.LetterID, &e.At, &e.On, &e.ActorID, &e.Actor, &e.Step, &e.From, &e.To, &e.BodyID, &e.Note, &e.Rules)
	}, `SELECT id, letter_id, at, on_date, actor_id, actor, step, from_status, to_status, body_id, note, rules
		FROM letter_events WHERE letter_id = ? ORDER BY id`, id)
}

// LetterFile is a sealed attachment.
type LetterFile struct {
	ID         int64
	LetterID   int64
	NameSealed string
	Mime       string
	Size       int64
	DataSealed string
	CreatedAt  time.Time
}

// InsertLetterFile stores a sealed attachment.
func (tx *Tx) InsertLetterFile(ctx context.Context, f *LetterFile) error {
	f.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO letter_files (letter_id, name_sealed, mime, size, data_sealed, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		f.LetterID, f.NameSealed, f.Mime, f.Size, f.DataSealed, tx.now)
	f.ID = id
	return err
}

// LetterFiles returns the attachments of letter id; with data false the
// sealed content is left out.
func (tx *Tx) LetterFiles(ctx context.Context, id int64, data bool) ([]LetterFile, error) {
	col := `''`
	if data {
		col = `data_sealed`
	}
	return collectValues(ctx, tx, func(sc interface{ Scan(...any) error }, f *LetterFile) error {
		return sc.Scan(&f.ID, &f.LetterID, &f.NameSealed, &f.Mime, &f.Size, &f.DataSealed, &f.CreatedAt)
	}, `SELECT id, letter_id, name_sealed, mime, size, `+col+`, created_at FROM letter_files WHERE letter_id = ? ORDER BY id`, id)
}

// ResealLetterFile rewrites a file's sealed name and content (key rotation).
func (tx *Tx) ResealLetterFile(ctx context.Context, f *LetterFile) error {
	_, err := tx.exec(ctx, `UPDATE letter_files SET name_sealed = ?, data_sealed = ? WHERE id = ?`, f.NameSealed, f.DataSealed, f.ID)
	return err
}

// InsertLetterNotice records a notice.
func (tx *Tx) InsertLetterNotice(ctx context.Context, n *ktgs.LetterNotice) error {
	id, err := tx.insert(ctx, `INSERT INTO letter_notices (letter_id, kind, on_date, to_whom, text, delivered) VALUES (?, ?, ?, ?, ?, ?)`,
		n.LetterID, string(n.Kind), n.On, n.To, n.Text, n.Delivered)
	n.ID = id
	return err
}

// LetterNotices returns the notices of letter id, oldest first.
func (tx *Tx) LetterNotices(ctx context.Context, id int64) ([]ktgs.LetterNotice, error) {
	return collectValues(ctx, tx, func(sc interface{ Scan(...any) error }, n *ktgs.LetterNotice) error {
		return sc.Scan(&n.ID, &n.LetterID, &n.Kind, &n.On, &n.To, &n.Text, &n.Delivered)
	}, `SELECT id, letter_id, kind, on_date, to_whom, text, delivered FROM letter_notices WHERE letter_id = ? ORDER BY id`, id)
}

// IncrRate adds one to the counter of key in the window starting at
// start and returns the new count: one statement, so concurrent servers
// count every request.
func (tx *Tx) IncrRate(ctx context.Context, key string, start time.Time) (int, error) {
	var n int
	err := tx.queryRow(ctx, `INSERT INTO rate_counters (key, window_start, count) VALUES (?, ?, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counters.count + 1 RETURNING count`, key, start.UTC()).Scan(&n)
	if err != nil {
		return 0, tx.db.d.translate(err)
	}
	return n, nil
}

// PruneRates deletes the counters of windows that started before t.
func (tx *Tx) PruneRates(ctx context.Context, t time.Time) error {
	_, err := tx.exec(ctx, `DELETE FROM rate_counters WHERE window_start < ?`, t.UTC())
	return err
}

// LettersDuplicating returns the letters linked to letter id as its
// duplicates or resubmissions, oldest first.
func (tx *Tx) LettersDuplicating(ctx context.Context, id int64) ([]*ktgs.Letter, error) {
	return tx.letters(ctx, `SELECT `+letterCols+letterFrom+` WHERE l.duplicate_of = ? OR l.resubmission_of = ? ORDER BY l.id LIMIT 200`, id, id)
}
