package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"ktgs"
	"ktgs/internal/civil"
	"ktgs/internal/vn"
)

const memberCols = `m.id, m.card, m.full_name, m.gender, m.birth_date, m.admitted_on, m.official_on,
	m.home_org_id, m.home_since, COALESCE(m.managing_org_id, 0), m.managing_body, m.retired_on, m.ended_on, m.end_reason, m.hometown, m.occupation`

func scanMember(sc interface{ Scan(...any) error }, m *ktgs.Member, extra ...any) error {
	var card int64
	dest := []any{&m.ID, &card, &m.FullName, &m.Gender, &m.BirthDate, &m.AdmittedOn, &m.OfficialOn,
		&m.HomeOrgID, &m.HomeSince, &m.Managing.OrgID, &m.Managing.Kind, &m.RetiredOn, &m.EndedOn, &m.EndReason, &m.Hometown, &m.Occupation}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	m.CardNumber = CardString(card)
	m.Status = ktgs.MemberStatusProbationary
	if !m.OfficialOn.IsZero() {
		m.Status = ktgs.MemberStatusFull
	}
	return nil
}

// InsertMember stores a new member with its current home chi bộ
// (m.HomeOrgID since m.HomeSince) and sets m.ID.
func (tx *Tx) InsertMember(ctx context.Context, m *ktgs.Member) error {
	card, err := mustCard(m.CardNumber)
	if err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO members (card, full_name, gender, birth_date, admitted_on,
		official_on, home_org_id, home_since, managing_org_id, managing_body, retired_on, ended_on, end_reason, hometown, occupation)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		card, m.FullName, string(m.Gender), m.BirthDate, m.AdmittedOn,
		m.OfficialOn, m.HomeOrgID, m.HomeSince, nullID(m.Managing.OrgID), string(m.Managing.Kind), m.RetiredOn, m.EndedOn, string(m.EndReason),
		m.Hometown, m.Occupation)
	if err != nil {
		return err
	}
	m.ID = id
	_, err = tx.exec(ctx, `INSERT INTO member_cards (card, member_id) VALUES (?, ?)`, card, id)
	return err
}

// UpdateMember writes every field of m.
func (tx *Tx) UpdateMember(ctx context.Context, m *ktgs.Member) error {
	card, err := mustCard(m.CardNumber)
	if err != nil {
		return err
	}
	var old int64
	if err := tx.queryRow(ctx, `SELECT card FROM members WHERE id = ?`, m.ID).Scan(&old); err != nil {
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "member")
	}
	if old != card {
		if _, err := tx.exec(ctx, `UPDATE member_cards SET card = ? WHERE card = ?`, card, old); err != nil {
			return err
		}
	}
	res, err := tx.exec(ctx, `UPDATE members SET card = ?, full_name = ?, gender = ?, birth_date = ?,
		admitted_on = ?, official_on = ?, home_org_id = ?, home_since = ?, managing_org_id = ?, managing_body = ?, retired_on = ?, ended_on = ?,
		end_reason = ?, hometown = ?, occupation = ? WHERE id = ?`,
		card, m.FullName, string(m.Gender), m.BirthDate,
		m.AdmittedOn, m.OfficialOn, m.HomeOrgID, m.HomeSince, nullID(m.Managing.OrgID), string(m.Managing.Kind), m.RetiredOn, m.EndedOn,
		string(m.EndReason), m.Hometown, m.Occupation, m.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "member")
	}
	return nil
}

// Member returns member id with the names of the home chi bộ, the managing
// body's organisation and the current temporary attachment, as of day d.
func (tx *Tx) Member(ctx context.Context, id int64, d civil.Date) (*ktgs.Member, error) {
	return tx.memberWhere(ctx, "m.id = ?", d, id)
}

// MemberAsOf is Member for display as of day d: when d falls before the
// current home period, the home chi bộ is the one of day d (from the
// closed home periods). Use it to show a record; never write it back
// (HomeOrgID/HomeSince of the row are the current home).
func (tx *Tx) MemberAsOf(ctx context.Context, id int64, d civil.Date) (*ktgs.Member, error) {
	m, err := tx.Member(ctx, id, d)
	if err != nil || !d.Before(m.HomeSince) {
		return m, err
	}
	h, err := tx.HomeOrgOn(ctx, id, d)
	if err != nil || h == 0 || h == m.HomeOrgID {
		return m, err
	}
	o, err := tx.OrgAt(ctx, h, d)
	if err != nil {
		return m, nil
	}
	m.HomeOrgID, m.HomeOrgName, m.HomeOrgPath = h, o.Name, o.Path
	return m, nil
}

// MemberByCard returns the member with party card number card.
func (tx *Tx) MemberByCard(ctx context.Context, card string, d civil.Date) (*ktgs.Member, error) {
	return tx.memberWhere(ctx, "m.id = (SELECT member_id FROM member_cards WHERE card = ?)", d, cardArg(card))
}

func (tx *Tx) memberWhere(ctx context.Context, where string, d civil.Date, arg any) (*ktgs.Member, error) {
	m := new(ktgs.Member)
	var tempID int64
	row := tx.queryRow(ctx, `SELECT `+memberCols+`,
		COALESCE((SELECT v.name FROM org_versions v WHERE v.org_id = m.home_org_id AND v.valid_from <= ? ORDER BY v.valid_from DESC LIMIT 1), ''),
		COALESCE((SELECT v.path FROM org_versions v WHERE v.org_id = m.home_org_id AND v.valid_from <= ? ORDER BY v.valid_from DESC LIMIT 1), ''),
		COALESCE((SELECT v.name FROM org_versions v WHERE v.org_id = m.managing_org_id AND v.valid_from <= ? ORDER BY v.valid_from DESC LIMIT 1), ''),
		COALESCE((SELECT a.org_id FROM attachments a WHERE a.member_id = m.id AND a.kind = 'TEMP' AND a.valid_from <= ? AND a.valid_to > ? LIMIT 1), 0)
		FROM members m WHERE `+where, d, d, d, d, d, arg)
	var card int64
	if err := row.Scan(&m.ID, &card, &m.FullName, &m.Gender, &m.BirthDate, &m.AdmittedOn, &m.OfficialOn,
		&m.HomeOrgID, &m.HomeSince, &m.Managing.OrgID, &m.Managing.Kind, &m.RetiredOn, &m.EndedOn, &m.EndReason, &m.Hometown, &m.Occupation,
		&m.HomeOrgName, &m.HomeOrgPath, &m.Managing.OrgName, &tempID); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "member")
		}
		return nil, tx.db.d.translate(err)
	}
	m.CardNumber = CardString(card)
	m.Status = m.StatusOn(d)
	if m.Status == "" {
		m.Status = ktgs.MemberStatusProbationary
	}
	if tempID != 0 {
		m.TempOrgID = tempID
		if o, err := tx.OrgAt(ctx, tempID, d); err == nil {
			m.TempOrgName = o.Name
		}
	}
	return m, nil
}

// MemberPage is one page of a member list in collation order.
type MemberPage struct {
	Members []*ktgs.Member
	// Next is the cursor of the following page, empty on the last page.
	Next string
}

// MembersOfOrg lists the members whose current home chi bộ is orgID and who
// are still members, in Vietnamese name order (given name first), limit per
// page, starting after the cursor (empty for the first page). A chi bộ has
// tens or hundreds of members, so they are sorted here rather than by an
// index on a stored collation key.
func (tx *Tx) MembersOfOrg(ctx context.Context, orgID int64, cursor string, limit int) (*MemberPage, error) {
	rows, err := tx.query(ctx, `SELECT `+memberCols+` FROM members m WHERE m.home_org_id = ? AND m.ended_on IS NULL`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type keyed struct {
		m   *ktgs.Member
		key []byte
	}
	var all []keyed
	for rows.Next() {
		m := new(ktgs.Member)
		if err := scanMember(rows, m); err != nil {
			return nil, err
		}
		all = append(all, keyed{m, vn.NameSortKey(m.FullName)})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(all, func(i, j int) bool {
		if c := bytes.Compare(all[i].key, all[j].key); c != 0 {
			return c < 0
		}
		return all[i].m.ID < all[j].m.ID
	})
	start := 0
	if key, id, ok := decodeCursor(cursor); ok {
		start = sort.Search(len(all), func(i int) bool {
			c := bytes.Compare(all[i].key, key)
			return c > 0 || (c == 0 && all[i].m.ID > id)
		})
	}
	page := new(MemberPage)
	for i := start; i < len(all) && len(page.Members) < limit; i++ {
		page.Members = append(page.Members, all[i].m)
	}
	if end := start + len(page.Members); end < len(all) && len(page.Members) > 0 {
		last := all[end-1]
		page.Next = encodeCursor(last.key, last.m.ID)
	}
	return page, nil
}

// MemberCounts are the numbers of current members of a chi bộ or subtree.
type MemberCounts struct {
	Total        int
	Official     int
	Probationary int
}

// CountMembers counts the current members whose home chi bộ is orgID, with
// the status as of day d.
func (tx *Tx) CountMembers(ctx context.Context, orgID int64, d civil.Date) (MemberCounts, error) {
	var c MemberCounts
	err := tx.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN official_on IS NOT NULL AND official_on <= ? THEN 1 ELSE 0 END), 0)
		FROM members WHERE home_org_id = ? AND ended_on IS NULL`, d, orgID).Scan(&c.Total, &c.Official)
	c.Probationary = c.Total - c.Official
	return c, err
}

// CountMembersInSubtree counts the current members whose home chi bộ lies
// in the subtree at path on day d.
func (tx *Tx) CountMembersInSubtree(ctx context.Context, path string, d civil.Date) (MemberCounts, error) {
	var c MemberCounts
	err := tx.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN m.official_on IS NOT NULL AND m.official_on <= ? THEN 1 ELSE 0 END), 0)
		FROM org_versions v JOIN members m ON m.home_org_id = v.org_id
		WHERE v.path >= ? AND v.path < ? AND `+activeAt+` AND m.ended_on IS NULL`, d, path, pathUpper(path), d, d).Scan(&c.Total, &c.Official)
	c.Probationary = c.Total - c.Official
	return c, err
}

// BranchesBelowMinimum returns the chi bộ in the subtree at path (on day d)
// with fewer than min official members: a state to fix (Điều lệ Đảng,
// Điều 24.1), listed so that the upper committee can act.
func (tx *Tx) BranchesBelowMinimum(ctx context.Context, path string, d civil.Date, min int) ([]*ktgs.Org, error) {
	list, err := tx.orgs(ctx, `SELECT `+orgCols+` FROM org_versions v JOIN orgs o ON o.id = v.org_id
		WHERE v.path >= ? AND v.path < ? AND `+activeAt+` AND v.type IN ('CHI_BO_CO_SO', 'CHI_BO_TRUC_THUOC')
		AND (SELECT COUNT(*) FROM members m WHERE m.home_org_id = v.org_id AND m.ended_on IS NULL
		     AND m.official_on IS NOT NULL AND m.official_on <= ?) < ?
		ORDER BY v.path`, path, pathUpper(path), d, d, d, min)
	return list, err
}

// InsertAttachment records a closed home period or a temporary attachment
// of member a.MemberID to chi bộ a.OrgID; it sets a.ID. The current home
// chi bộ is on the member row, not here.
func (tx *Tx) InsertAttachment(ctx context.Context, a *ktgs.Attachment) error {
	if a.To.IsZero() {
		a.To = civil.Forever
	}
	id, err := tx.insert(ctx, `INSERT INTO attachments (member_id, org_id, kind, valid_from, valid_to, note) VALUES (?, ?, ?, ?, ?, ?)`,
		a.MemberID, a.OrgID, string(a.Kind), a.From, a.To, a.Note)
	a.ID = id
	return err
}

// EndTempAttachment ends the member's open temporary attachment on day d
// (the first day it no longer applies) and returns its chi bộ, or 0 if
// there was none.
func (tx *Tx) EndTempAttachment(ctx context.Context, memberID int64, d civil.Date) (int64, error) {
	var orgID int64
	err := tx.queryRow(ctx, `SELECT org_id FROM attachments WHERE member_id = ? AND kind = 'TEMP' AND valid_from <= ? AND valid_to > ?`,
		memberID, d, d).Scan(&orgID)
	if err != nil {
		return 0, nil
	}
	_, err = tx.exec(ctx, `UPDATE attachments SET valid_to = ? WHERE member_id = ? AND kind = 'TEMP' AND valid_from <= ? AND valid_to > ?`,
		d, memberID, d, d)
	return orgID, err
}

// Attachments returns a member's party attachments, oldest first: the
// closed home periods, the temporary attachments and the current home chi
// bộ, with chi bộ names as they stood at the start of each period.
func (tx *Tx) Attachments(ctx context.Context, memberID int64) ([]ktgs.Attachment, error) {
	const name = `COALESCE((SELECT v.name FROM org_versions v WHERE v.org_id = %s AND v.valid_from <= %s ORDER BY v.valid_from DESC LIMIT 1), '')`
	rows, err := tx.query(ctx, `SELECT a.id, a.member_id, a.org_id, a.kind, a.valid_from, a.valid_to, a.note, `+fmt.Sprintf(name, "a.org_id", "a.valid_from")+`
		FROM attachments a WHERE a.member_id = ?
		UNION ALL
		SELECT 0, m.id, m.home_org_id, 'HOME', m.home_since, COALESCE(m.ended_on, '9999-12-31'), '', `+fmt.Sprintf(name, "m.home_org_id", "m.home_since")+`
		FROM members m WHERE m.id = ?
		ORDER BY 5, 4`, memberID, memberID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.Attachment
	for rows.Next() {
		var a ktgs.Attachment
		if err := rows.Scan(&a.ID, &a.MemberID, &a.OrgID, &a.Kind, &a.From, &a.To, &a.Note, &a.OrgName); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// HomeOrgOn returns the member's home chi bộ on day d, or 0 if none.
func (tx *Tx) HomeOrgOn(ctx context.Context, memberID int64, d civil.Date) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT home_org_id FROM members WHERE id = ? AND home_since <= ? AND (ended_on IS NULL OR ended_on > ?)
		UNION ALL SELECT org_id FROM attachments WHERE member_id = ? AND kind = 'HOME' AND valid_from <= ? AND valid_to > ?`,
		memberID, d, d, memberID, d, d).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// InsertPost stores a post; it sets p.ID.
func (tx *Tx) InsertPost(ctx context.Context, p *ktgs.Post) error {
	if p.To.IsZero() {
		p.To = civil.Forever
	}
	id, err := tx.insert(ctx, `INSERT INTO posts (member_id, title, agency, level, org_id, from_date, to_date) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		p.MemberID, p.Title, p.Agency, string(p.Level), nullID(p.OrgID), p.From, p.To)
	p.ID = id
	return err
}

// Posts returns a member's posts, current ones first, then by start date.
func (tx *Tx) Posts(ctx context.Context, memberID int64) ([]ktgs.Post, error) {
	rows, err := tx.query(ctx, `SELECT id, member_id, title, agency, level, COALESCE(org_id, 0), from_date, to_date
		FROM posts WHERE member_id = ? ORDER BY to_date DESC, from_date DESC`, memberID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.Post
	for rows.Next() {
		var p ktgs.Post
		if err := rows.Scan(&p.ID, &p.MemberID, &p.Title, &p.Agency, &p.Level, &p.OrgID, &p.From, &p.To); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// InsertMemberEvent appends an event to a member's history; it sets e.ID.
func (tx *Tx) InsertMemberEvent(ctx context.Context, e *ktgs.MemberEvent) error {
	id, err := tx.insert(ctx, `INSERT INTO member_events (member_id, kind, date, from_org_id, to_org_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		e.MemberID, string(e.Kind), e.Date, nullID(e.FromOrg), nullID(e.ToOrg), e.Note, tx.now)
	e.ID = id
	return err
}

// MemberEvents returns a member's history, oldest first, with unit names as
// they stood on each event's date.
func (tx *Tx) MemberEvents(ctx context.Context, memberID int64) ([]ktgs.MemberEvent, error) {
	rows, err := tx.query(ctx, `SELECT e.id, e.member_id, e.kind, e.date, COALESCE(e.from_org_id, 0), COALESCE(e.to_org_id, 0), e.note,
		COALESCE((SELECT v.name FROM org_versions v WHERE v.org_id = e.from_org_id AND v.valid_from < e.date ORDER BY v.valid_from DESC LIMIT 1), ''),
		COALESCE((SELECT v.name FROM org_versions v WHERE v.org_id = e.to_org_id AND v.valid_from <= e.date ORDER BY v.valid_from DESC LIMIT 1), '')
		FROM member_events e WHERE e.member_id = ? ORDER BY e.date, e.id`, memberID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.MemberEvent
	for rows.Next() {
		var e ktgs.MemberEvent
		if err := rows.Scan(&e.ID, &e.MemberID, &e.Kind, &e.Date, &e.FromOrg, &e.ToOrg, &e.Note, &e.FromName, &e.ToName); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CountAllMembers counts current members (not ended) in the database.
func (tx *Tx) CountAllMembers(ctx context.Context) (int, error) {
	return tx.count(ctx, `SELECT COUNT(*) FROM members WHERE ended_on IS NULL`)
}
