package store

import (
	"bytes"
	"context"
	"sort"
	"strings"

	"ktgs"
	"ktgs/internal/civil"
	"ktgs/internal/vn"
)

// InsertBody stores a body of an organisation; it sets b.ID.
func (tx *Tx) InsertBody(ctx context.Context, b *ktgs.Body) error {
	id, err := tx.insert(ctx, `INSERT INTO bodies (org_id, kind, name) VALUES (?, ?, ?)`, b.OrgID, string(b.Kind), b.Name)
	b.ID = id
	return err
}

// InsertTerm stores a term of a body; it sets t.ID.
func (tx *Tx) InsertTerm(ctx context.Context, t *ktgs.Term) error {
	if t.End.IsZero() {
		t.End = civil.Forever
	}
	id, err := tx.insert(ctx, `INSERT INTO terms (body_id, name, start_date, end_date, congress_date) VALUES (?, ?, ?, ?, ?)`,
		t.BodyID, t.Name, t.Start, t.End, t.CongressDate)
	t.ID = id
	return err
}

// InsertSeat stores a member's seat on a body for a term; it sets s.ID.
func (tx *Tx) InsertSeat(ctx context.Context, s *ktgs.Seat) error {
	if s.End.IsZero() {
		s.End = civil.Forever
	}
	id, err := tx.insert(ctx, `INSERT INTO seats (term_id, member_id, role, start_date, end_date) VALUES (?, ?, ?, ?, ?)`,
		s.TermID, s.MemberID, string(s.Role), s.Start, s.End)
	s.ID = id
	if err != nil {
		return err
	}
	return tx.statsMember(ctx, s.MemberID)
}

// Term returns term id.
func (tx *Tx) Term(ctx context.Context, id int64) (*ktgs.Term, error) {
	t := new(ktgs.Term)
	err := tx.one(tx.queryRow(ctx, `SELECT id, body_id, name, start_date, end_date, congress_date FROM terms WHERE id = ?`, id),
		"term", &t.ID, &t.BodyID, &t.Name, &t.Start, &t.End, &t.CongressDate)
	return t, err
}

// Body returns body id without its terms.
func (tx *Tx) Body(ctx context.Context, id int64) (*ktgs.Body, error) {
	b := new(ktgs.Body)
	err := tx.one(tx.queryRow(ctx, `SELECT id, org_id, kind, name FROM bodies WHERE id = ?`, id), "body", &b.ID, &b.OrgID, &b.Kind, &b.Name)
	return b, err
}

// Bodies returns the bodies of organisation orgID with their terms, newest
// term first, and the seats of each term with member names, in three
// queries whatever the number of terms.
func (tx *Tx) Bodies(ctx context.Context, orgID int64) ([]*ktgs.Body, error) {
	rows, err := tx.query(ctx, `SELECT id, org_id, kind, name FROM bodies WHERE org_id = ? ORDER BY id`, orgID)
	if err != nil {
		return nil, err
	}
	var bodies []*ktgs.Body
	byID := map[int64]*ktgs.Body{}
	for rows.Next() {
		b := new(ktgs.Body)
		if err := rows.Scan(&b.ID, &b.OrgID, &b.Kind, &b.Name); err != nil {
			rows.Close()
			return nil, err
		}
		bodies = append(bodies, b)
		byID[b.ID] = b
	}
	rows.Close()
	if len(bodies) == 0 {
		return nil, nil
	}
	rows, err = tx.query(ctx, `SELECT t.id, t.body_id, t.name, t.start_date, t.end_date, t.congress_date
		FROM terms t JOIN bodies b ON b.id = t.body_id WHERE b.org_id = ? ORDER BY t.start_date DESC`, orgID)
	if err != nil {
		return nil, err
	}
	terms := map[int64]*ktgs.Term{}
	var order []int64
	for rows.Next() {
		t := new(ktgs.Term)
		if err := rows.Scan(&t.ID, &t.BodyID, &t.Name, &t.Start, &t.End, &t.CongressDate); err != nil {
			rows.Close()
			return nil, err
		}
		terms[t.ID] = t
		order = append(order, t.ID)
	}
	rows.Close()
	rows, err = tx.query(ctx, `SELECT s.id, s.term_id, s.member_id, s.role, s.start_date, s.end_date, m.full_name
		FROM seats s JOIN terms t ON t.id = s.term_id JOIN bodies b ON b.id = t.body_id JOIN members m ON m.id = s.member_id
		WHERE b.org_id = ? ORDER BY s.term_id, CASE s.role WHEN 'SECRETARY' THEN 0 WHEN 'DEPUTY_SECRETARY' THEN 1
		WHEN 'STANDING_MEMBER' THEN 2 ELSE 3 END, s.id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var s ktgs.Seat
		if err := rows.Scan(&s.ID, &s.TermID, &s.MemberID, &s.Role, &s.Start, &s.End, &s.MemberName); err != nil {
			return nil, err
		}
		terms[s.TermID].Seats = append(terms[s.TermID].Seats, s)
	}
	for _, id := range order {
		t := terms[id]
		sortSeats(t.Seats)
		byID[t.BodyID].Terms = append(byID[t.BodyID].Terms, *t)
	}
	return bodies, rows.Err()
}

// MemberSeats returns a member's committee memberships with the body,
// organisation and term, newest first.
func (tx *Tx) MemberSeats(ctx context.Context, memberID int64) ([]ktgs.Seat, error) {
	rows, err := tx.query(ctx, `SELECT s.id, s.term_id, s.member_id, s.role, s.start_date, s.end_date, b.kind, b.name, b.org_id, t.name,
		COALESCE((SELECT v.name FROM org_versions v WHERE v.org_id = b.org_id AND v.valid_from <= s.start_date ORDER BY v.valid_from DESC LIMIT 1), ''),
		COALESCE((SELECT v.type FROM org_versions v WHERE v.org_id = b.org_id AND v.valid_from <= s.start_date ORDER BY v.valid_from DESC LIMIT 1), '')
		FROM seats s JOIN terms t ON t.id = s.term_id JOIN bodies b ON b.id = t.body_id
		WHERE s.member_id = ? ORDER BY s.end_date DESC, s.start_date DESC`, memberID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.Seat
	for rows.Next() {
		var s ktgs.Seat
		if err := rows.Scan(&s.ID, &s.TermID, &s.MemberID, &s.Role, &s.Start, &s.End, &s.BodyKind, &s.BodyName, &s.OrgID, &s.TermName, &s.OrgName, &s.OrgType); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// BodyByKind returns the body of kind of organisation orgID.
func (tx *Tx) BodyByKind(ctx context.Context, orgID int64, kind ktgs.BodyKind) (*ktgs.Body, error) {
	b := new(ktgs.Body)
	err := tx.one(tx.queryRow(ctx, `SELECT id, org_id, kind, name FROM bodies WHERE org_id = ? AND kind = ?`, orgID, string(kind)),
		"body", &b.ID, &b.OrgID, &b.Kind, &b.Name)
	return b, err
}

// BodiesOfKinds returns the bodies of the given kinds of the
// organisations orgIDs (without terms), in one query.
func (tx *Tx) BodiesOfKinds(ctx context.Context, orgIDs []int64, kinds ...ktgs.BodyKind) ([]*ktgs.Body, error) {
	if len(orgIDs) == 0 || len(kinds) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(orgIDs)+len(kinds))
	for _, id := range orgIDs {
		args = append(args, id)
	}
	for _, k := range kinds {
		args = append(args, string(k))
	}
	ph := func(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }
	return collect(ctx, tx, func(sc interface{ Scan(...any) error }, b *ktgs.Body) error {
		return sc.Scan(&b.ID, &b.OrgID, &b.Kind, &b.Name)
	}, `SELECT id, org_id, kind, name FROM bodies WHERE org_id IN (`+ph(len(orgIDs))+`) AND kind IN (`+ph(len(kinds))+`) ORDER BY id`, args...)
}

// TermOn returns the term of body bodyID that covers day d.
func (tx *Tx) TermOn(ctx context.Context, bodyID int64, d civil.Date) (*ktgs.Term, error) {
	t := new(ktgs.Term)
	err := tx.one(tx.queryRow(ctx, `SELECT id, body_id, name, start_date, end_date, congress_date FROM terms
		WHERE body_id = ? AND start_date <= ? AND end_date >= ? ORDER BY start_date DESC LIMIT 1`, bodyID, d, d),
		"term", &t.ID, &t.BodyID, &t.Name, &t.Start, &t.End, &t.CongressDate)
	return t, err
}

// roleRank orders seats: secretary, deputies, standing members, members.
var roleRank = map[ktgs.Role]int{ktgs.RoleSecretary: 0, ktgs.RoleDeputySecretary: 1, ktgs.RoleStandingMember: 2, ktgs.RoleMember: 3}

// sortSeats orders seats by role, then by Vietnamese name order.
func sortSeats(seats []ktgs.Seat) {
	keys := make(map[int64][]byte, len(seats))
	for _, s := range seats {
		keys[s.ID] = vn.NameSortKey(s.MemberName)
	}
	sort.SliceStable(seats, func(i, j int) bool {
		if a, b := roleRank[seats[i].Role], roleRank[seats[j].Role]; a != b {
			return a < b
		}
		return bytes.Compare(keys[seats[i].ID], keys[seats[j].ID]) < 0
	})
}
