package store

import (
	"context"
	"database/sql"

	"ktgs"
)

// InsertProgramme stores a programme and its items.
func (tx *Tx) InsertProgramme(ctx context.Context, p *ktgs.Programme) error {
	id, err := tx.insert(ctx, `INSERT INTO programmes (body_id, org_id, scope_path, kind, year, term_id, title, adopted_on, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.BodyID, p.OrgID, p.ScopePath, string(p.Kind), p.Year, nullID(p.TermID), p.Title, p.AdoptedOn, tx.now)
	if err != nil {
		return err
	}
	p.ID = id
	for i := range p.Items {
		it := &p.Items[i]
		it.ProgrammeID = id
		if err := tx.InsertProgrammeItem(ctx, it); err != nil {
			return err
		}
	}
	return nil
}

// InsertProgrammeItem adds an item to a programme.
func (tx *Tx) InsertProgrammeItem(ctx context.Context, it *ktgs.ProgrammeItem) error {
	id, err := tx.insert(ctx, `INSERT INTO programme_items (programme_id, kind, subject_kind, subject_org, subject_mem, subject_name, content,
		window_from, window_to, lead_user_id, case_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		it.ProgrammeID, string(it.Kind), string(it.SubjectKind), nullID(it.SubjectOrg), nullID(it.SubjectMem), it.SubjectName, it.Content,
		it.From, it.To, nullID(it.LeadUserID), nullID(it.CaseID))
	it.ID = id
	return err
}

// SetItemCase records the case an item turned into.
func (tx *Tx) SetItemCase(ctx context.Context, itemID, caseID int64) error {
	res, err := tx.exec(ctx, `UPDATE programme_items SET case_id = ? WHERE id = ? AND case_id IS NULL`, caseID, itemID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ktgs.Errorf(ktgs.ECONFLICT, "err.item_started")
	}
	return nil
}

const progCols = `p.id, p.body_id, p.org_id, p.scope_path, p.kind, p.year, COALESCE(p.term_id, 0), p.title, p.adopted_on, b.kind`

func scanProg(sc interface{ Scan(...any) error }, p *ktgs.Programme) error {
	return sc.Scan(&p.ID, &p.BodyID, &p.OrgID, &p.ScopePath, &p.Kind, &p.Year, &p.TermID, &p.Title, &p.AdoptedOn, &p.BodyKind)
}

// Programme returns programme id with its items and their cases' status.
func (tx *Tx) Programme(ctx context.Context, id int64) (*ktgs.Programme, error) {
	p := new(ktgs.Programme)
	if err := scanProg(tx.queryRow(ctx, `SELECT `+progCols+` FROM programmes p JOIN bodies b ON b.id = p.body_id WHERE p.id = ?`, id), p); err == sql.ErrNoRows {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "programme")
	} else if err != nil {
		return nil, tx.db.d.translate(err)
	}
	var err error
	p.Items, err = tx.programmeItems(ctx, `WHERE i.programme_id = ?`, id)
	return p, err
}

// ProgrammeItem returns item id.
func (tx *Tx) ProgrammeItem(ctx context.Context, id int64) (*ktgs.ProgrammeItem, error) {
	items, err := tx.programmeItems(ctx, `WHERE i.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "programme item")
	}
	return &items[0], nil
}

func (tx *Tx) programmeItems(ctx context.Context, where string, arg any) ([]ktgs.ProgrammeItem, error) {
	rows, err := tx.query(ctx, `SELECT i.id, i.programme_id, i.kind, i.subject_kind, COALESCE(i.subject_org, 0), COALESCE(i.subject_mem, 0),
		i.subject_name, i.content, i.window_from, i.window_to, COALESCE(i.lead_user_id, 0), COALESCE(i.case_id, 0),
		COALESCE(c.status, ''), COALESCE(u.display_name, '')
		FROM programme_items i LEFT JOIN cases c ON c.id = i.case_id LEFT JOIN users u ON u.id = i.lead_user_id `+where+` ORDER BY i.window_from, i.id`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.ProgrammeItem
	for rows.Next() {
		var it ktgs.ProgrammeItem
		if err := rows.Scan(&it.ID, &it.ProgrammeID, &it.Kind, &it.SubjectKind, &it.SubjectOrg, &it.SubjectMem, &it.SubjectName, &it.Content,
			&it.From, &it.To, &it.LeadUserID, &it.CaseID, &it.CaseStatus, &it.LeadName); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// Programmes returns the programmes of bodies in the subtrees at paths
// (optionally of one year), newest first.
func (tx *Tx) Programmes(ctx context.Context, paths []string, year int, limit int) ([]*ktgs.Programme, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	var or []string
	var args []any
	for _, p := range paths {
		or = append(or, `(p.scope_path >= ? AND p.scope_path < ?)`)
		args = append(args, p, pathUpper(p))
	}
	q := `SELECT ` + progCols + ` FROM programmes p JOIN bodies b ON b.id = p.body_id WHERE (` + joinOr(or) + `)`
	if year != 0 {
		q += ` AND (p.year = ? OR p.kind = 'TERM')`
		args = append(args, year)
	}
	rows, err := tx.query(ctx, q+` ORDER BY p.adopted_on DESC, p.id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ktgs.Programme
	for rows.Next() {
		p := new(ktgs.Programme)
		if err := scanProg(rows, p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ProgressRow counts programme items by progress for one organisation
// path prefix (a roll-up row).
type ProgressRow struct {
	Planned, Started, Concluded, Overdue int
}

func joinOr(parts []string) string {
	s := ""
	for i, p := range parts {
		if i > 0 {
			s += " OR "
		}
		s += p
	}
	return s
}

// ItemsLedBy returns the programme items user id leads that have not
// turned into a case yet.
func (tx *Tx) ItemsLedBy(ctx context.Context, userID int64) ([]ktgs.ProgrammeItem, error) {
	return tx.programmeItems(ctx, `WHERE i.lead_user_id = ? AND i.case_id IS NULL`, userID)
}

// ItemState is what a progress roll-up needs of a programme item.
type ItemState struct {
	ScopePath  string
	Item       ktgs.ProgrammeItem
	CaseStatus ktgs.CaseStatus
}

// EachItemUnder calls fn for every item of the programmes of bodies in the
// subtree at path (of year, or term programmes too), streaming.
func (tx *Tx) EachItemUnder(ctx context.Context, path string, year int, fn func(*ItemState) error) error {
	rows, err := tx.query(ctx, `SELECT p.scope_path, i.window_from, i.window_to, COALESCE(i.case_id, 0), COALESCE(c.status, '')
		FROM programme_items i JOIN programmes p ON p.id = i.programme_id LEFT JOIN cases c ON c.id = i.case_id
		WHERE p.scope_path >= ? AND p.scope_path < ? AND (p.year = ? OR p.kind = 'TERM')`, path, pathUpper(path), year)
	if err != nil {
		return err
	}
	defer rows.Close()
	var st ItemState
	for rows.Next() {
		if err := rows.Scan(&st.ScopePath, &st.Item.From, &st.Item.To, &st.Item.CaseID, &st.CaseStatus); err != nil {
			return err
		}
		st.Item.CaseStatus = st.CaseStatus
		if err := fn(&st); err != nil {
			return err
		}
	}
	return rows.Err()
}
