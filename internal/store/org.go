package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/civil"
	"ktgs/internal/vn"
)

// orgCols selects an organisation version joined with its identity row.
const orgCols = `v.org_id, o.code, v.type, v.name, COALESCE(v.parent_id, 0), v.path, v.depth, v.valid_from, v.valid_to, o.born, o.ended`

// activeAt is the predicate "version v covers day ?": bind the date twice.
const activeAt = `v.valid_from <= ? AND v.valid_to > ?`

func scanOrg(sc interface{ Scan(...any) error }, o *ktgs.Org) error {
	return sc.Scan(&o.ID, &o.Code, &o.Type, &o.Name, &o.ParentID, &o.Path, &o.Depth, &o.ValidFrom, &o.ValidTo, &o.Born, &o.Ended)
}

func (tx *Tx) orgs(ctx context.Context, query string, args ...any) ([]*ktgs.Org, error) {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ktgs.Org
	for rows.Next() {
		o := new(ktgs.Org)
		if err := scanOrg(rows, o); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// InsertOrg creates an organisation and its first version, valid from
// o.ValidFrom (and o.Born) until o.ValidTo (civil.Forever if zero). It
// computes o.Path and o.Depth from the parent's version on o.ValidFrom and
// sets o.ID.
func (tx *Tx) InsertOrg(ctx context.Context, o *ktgs.Org) error {
	if o.Born.IsZero() {
		o.Born = o.ValidFrom
	}
	if o.ValidTo.IsZero() {
		o.ValidTo = civil.Forever
	}
	if o.Ended.IsZero() {
		o.Ended = civil.Forever
	}
	id, err := tx.insert(ctx, `INSERT INTO orgs (code, born, ended, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
		o.Code, o.Born, o.Ended, tx.now, tx.now)
	if err != nil {
		return err
	}
	o.ID = id
	return tx.InsertOrgVersion(ctx, o)
}

// InsertOrgVersion adds a version of organisation o.ID valid over
// [o.ValidFrom, o.ValidTo), computing its path from the parent's version
// on o.ValidFrom. The caller ends any overlapping version first.
func (tx *Tx) InsertOrgVersion(ctx context.Context, o *ktgs.Org) error {
	if o.ValidTo.IsZero() {
		o.ValidTo = civil.Forever
	}
	o.Path, o.Depth = "/"+strconv.FormatInt(o.ID, 10)+"/", 0
	if o.ParentID != 0 {
		p, err := tx.OrgAt(ctx, o.ParentID, o.ValidFrom)
		if err != nil {
			return err
		}
		o.Path, o.Depth = p.Path+strconv.FormatInt(o.ID, 10)+"/", p.Depth+1
	}
	_, err := tx.exec(ctx, `INSERT INTO org_versions (org_id, parent_id, type, name, name_folded, sort_key, path, depth, valid_from, valid_to)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.ID, nullID(o.ParentID), string(o.Type), o.Name, vn.Fold(o.Name), vn.SortKey(o.Name), o.Path, o.Depth, o.ValidFrom, o.ValidTo)
	if err != nil {
		return err
	}
	return tx.statsHolder(ctx, o.ID) // a letter's level follows its holder's latest type
}

// OrgAt returns organisation id as it stood on day d. ENOTFOUND if it did
// not exist then.
func (tx *Tx) OrgAt(ctx context.Context, id int64, d civil.Date) (*ktgs.Org, error) {
	o := new(ktgs.Org)
	row := tx.queryRow(ctx, `SELECT `+orgCols+` FROM org_versions v JOIN orgs o ON o.id = v.org_id
		WHERE v.org_id = ? AND `+activeAt, id, d, d)
	if err := tx.one(row, "org", &o.ID, &o.Code, &o.Type, &o.Name, &o.ParentID, &o.Path, &o.Depth, &o.ValidFrom, &o.ValidTo, &o.Born, &o.Ended); err != nil {
		return nil, err
	}
	return o, nil
}

// OrgLatest returns the last version of organisation id: the current one,
// or for an organisation that has ended, the one in force when it ended.
func (tx *Tx) OrgLatest(ctx context.Context, id int64) (*ktgs.Org, error) {
	o := new(ktgs.Org)
	row := tx.queryRow(ctx, `SELECT `+orgCols+` FROM org_versions v JOIN orgs o ON o.id = v.org_id
		WHERE v.org_id = ? ORDER BY v.valid_from DESC LIMIT 1`, id)
	if err := tx.one(row, "org", &o.ID, &o.Code, &o.Type, &o.Name, &o.ParentID, &o.Path, &o.Depth, &o.ValidFrom, &o.ValidTo, &o.Born, &o.Ended); err != nil {
		return nil, err
	}
	return o, nil
}

// OrgIDByCode returns the id of the organisation with the natural key code.
func (tx *Tx) OrgIDByCode(ctx context.Context, code string) (int64, error) {
	var id int64
	err := tx.one(tx.queryRow(ctx, `SELECT id FROM orgs WHERE code = ?`, code), "org", &id)
	return id, err
}

// OrgHistory returns every version of organisation id, oldest first.
func (tx *Tx) OrgHistory(ctx context.Context, id int64) ([]*ktgs.Org, error) {
	return tx.orgs(ctx, `SELECT `+orgCols+` FROM org_versions v JOIN orgs o ON o.id = v.org_id
		WHERE v.org_id = ? ORDER BY v.valid_from`, id)
}

// Roots returns the organisations without a parent on day d.
func (tx *Tx) Roots(ctx context.Context, d civil.Date) ([]*ktgs.Org, error) {
	return tx.withChildCounts(ctx, d, `SELECT `+orgCols+` FROM org_versions v JOIN orgs o ON o.id = v.org_id
		WHERE v.parent_id IS NULL AND `+activeAt+` ORDER BY v.sort_key`, d, d)
}

// Children returns the direct children of organisation id on day d in
// Vietnamese collation order, each with its own number of children.
func (tx *Tx) Children(ctx context.Context, id int64, d civil.Date) ([]*ktgs.Org, error) {
	return tx.withChildCounts(ctx, d, `SELECT `+orgCols+` FROM org_versions v JOIN orgs o ON o.id = v.org_id
		WHERE v.parent_id = ? AND `+activeAt+` ORDER BY v.sort_key`, id, d, d)
}

func (tx *Tx) withChildCounts(ctx context.Context, d civil.Date, query string, args ...any) ([]*ktgs.Org, error) {
	list, err := tx.orgs(ctx, query, args...)
	if err != nil || len(list) == 0 {
		return list, err
	}
	// One grouped query for all the children's child counts, not one per row.
	idx := make(map[int64]*ktgs.Org, len(list))
	ph := make([]string, 0, len(list))
	cargs := make([]any, 0, len(list)+2)
	for _, o := range list {
		idx[o.ID] = o
		ph = append(ph, "?")
		cargs = append(cargs, o.ID)
	}
	cargs = append(cargs, d, d)
	rows, err := tx.query(ctx, `SELECT v.parent_id, COUNT(*) FROM org_versions v
		WHERE v.parent_id IN (`+strings.Join(ph, ",")+`) AND `+activeAt+` GROUP BY v.parent_id`, cargs...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var pid int64
		var n int
		if err := rows.Scan(&pid, &n); err != nil {
			return nil, err
		}
		idx[pid].ChildCount = n
	}
	return list, rows.Err()
}

// Subtree returns organisation id and everything under it as the hierarchy
// stood on day d, in path order (each parent before its children).
func (tx *Tx) Subtree(ctx context.Context, id int64, d civil.Date) ([]*ktgs.Org, error) {
	root, err := tx.OrgAt(ctx, id, d)
	if err != nil {
		return nil, err
	}
	return tx.orgs(ctx, `SELECT `+orgCols+` FROM org_versions v JOIN orgs o ON o.id = v.org_id
		WHERE v.path >= ? AND v.path < ? AND `+activeAt+` ORDER BY v.path`, root.Path, pathUpper(root.Path), d, d)
}

// SubtreeSize counts the organisations in the subtree of id on day d.
func (tx *Tx) SubtreeSize(ctx context.Context, id int64, d civil.Date) (int, error) {
	root, err := tx.OrgAt(ctx, id, d)
	if err != nil {
		return 0, err
	}
	return tx.count(ctx, `SELECT COUNT(*) FROM org_versions v WHERE v.path >= ? AND v.path < ? AND `+activeAt,
		root.Path, pathUpper(root.Path), d, d)
}

// Ancestors returns the ancestors of o (root first, o excluded) as they
// stood on day d, read from o's path.
func (tx *Tx) Ancestors(ctx context.Context, o *ktgs.Org, d civil.Date) ([]*ktgs.Org, error) {
	ids := PathIDs(o.Path)
	if len(ids) <= 1 {
		return nil, nil
	}
	ids = ids[:len(ids)-1]
	ph := strings.Repeat("?,", len(ids))
	args := make([]any, 0, len(ids)+2)
	for _, id := range ids {
		args = append(args, id)
	}
	args = append(args, d, d)
	return tx.orgs(ctx, `SELECT `+orgCols+` FROM org_versions v JOIN orgs o ON o.id = v.org_id
		WHERE v.org_id IN (`+ph[:len(ph)-1]+`) AND `+activeAt+` ORDER BY v.depth`, args...)
}

// PathIDs returns the organisation ids in a path, root first.
func PathIDs(path string) []int64 {
	var ids []int64
	for _, s := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// SearchOrgs returns up to limit organisations existing on day d whose
// folded name contains every word of the folded query, optionally only
// under the path within (all if empty), shallowest first.
func (tx *Tx) SearchOrgs(ctx context.Context, query string, within string, d civil.Date, limit int) ([]*ktgs.Org, error) {
	words := strings.Fields(vn.Fold(query))
	if len(words) == 0 {
		return nil, nil
	}
	where := []string{activeAt}
	args := []any{d, d}
	for _, w := range words {
		where = append(where, `v.name_folded LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscape(w)+"%")
	}
	if within != "" {
		where = append(where, "v.path >= ? AND v.path < ?")
		args = append(args, within, pathUpper(within))
	}
	args = append(args, limit)
	return tx.orgs(ctx, `SELECT `+orgCols+` FROM org_versions v JOIN orgs o ON o.id = v.org_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY v.depth, v.sort_key LIMIT ?`, args...)
}

// EndOrgVersion ends the version of organisation id that covers day d, so
// that it is valid until the day before d. If that version starts on d it
// is deleted instead (it never took effect).
func (tx *Tx) EndOrgVersion(ctx context.Context, id int64, d civil.Date) error {
	res, err := tx.exec(ctx, `DELETE FROM org_versions WHERE org_id = ? AND valid_from = ?`, id, d)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		// A version that never took effect: where the unit lay changes.
		if err := tx.statsUnitTops(ctx, `u_org = ?`, id); err != nil {
			return err
		}
	}
	if _, err := tx.exec(ctx, `UPDATE org_versions SET valid_to = ? WHERE org_id = ? AND valid_from < ? AND valid_to > ?`, d, id, d, d); err != nil {
		return err
	}
	return tx.statsHolder(ctx, id)
}

// EndOrg records that organisation id ceased to exist on day d (its last
// day is d-1) and ends its current version.
func (tx *Tx) EndOrg(ctx context.Context, id int64, d civil.Date) error {
	if _, err := tx.exec(ctx, `UPDATE orgs SET ended = ?, updated_at = ? WHERE id = ?`, d, tx.now, id); err != nil {
		return err
	}
	return tx.EndOrgVersion(ctx, id, d)
}

// HasFutureVersions reports whether any version in the subtree at path
// starts after day d (a reorganisation already scheduled).
func (tx *Tx) HasFutureVersions(ctx context.Context, path string, d civil.Date) (bool, error) {
	n, err := tx.count(ctx, `SELECT COUNT(*) FROM org_versions v WHERE v.path >= ? AND v.path < ? AND v.valid_from > ?`,
		path, pathUpper(path), d)
	return n > 0, err
}

// Repath gives organisation o (its version covering day d) a new version
// from d with the parent, name and type in o, and gives every descendant a
// new version from d with its path rewritten under o's new path. It is the
// set-based core of the move and rename events: two statements, whatever
// the size of the subtree.
func (tx *Tx) Repath(ctx context.Context, o *ktgs.Org, d civil.Date) error {
	cur, err := tx.OrgAt(ctx, o.ID, d)
	if err != nil {
		return err
	}
	if err := tx.EndOrgVersion(ctx, o.ID, d); err != nil {
		return err
	}
	o.ValidFrom, o.ValidTo = d, cur.ValidTo
	if err := tx.InsertOrgVersion(ctx, o); err != nil {
		return err
	}
	if o.Path == cur.Path {
		return nil // renamed in place: descendants' paths are unchanged
	}
	// Descendants' versions that start on d (an earlier change the same
	// day) are rewritten in place; those that started before d are copied
	// from d with the new prefix and then ended. The copies and the
	// rewritten rows have left the old prefix, so the last UPDATE only
	// ends the old ones.
	lo, hi := cur.Path, pathUpper(cur.Path)
	if _, err := tx.exec(ctx, `UPDATE org_versions SET path = CAST(? AS TEXT) || substr(path, ?), depth = depth + ?
		WHERE path > ? AND path < ? AND valid_from = ?`,
		o.Path, len(cur.Path)+1, o.Depth-cur.Depth, lo, hi, d); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO org_versions (org_id, parent_id, type, name, name_folded, sort_key, path, depth, valid_from, valid_to)
		SELECT org_id, parent_id, type, name, name_folded, sort_key, CAST(? AS TEXT) || substr(path, ?), depth + ?, ?, valid_to
		FROM org_versions v WHERE v.path > ? AND v.path < ? AND v.valid_from < ? AND v.valid_to > ?`,
		o.Path, len(cur.Path)+1, o.Depth-cur.Depth, d, lo, hi, d, d); err != nil {
		return err
	}
	if _, err = tx.exec(ctx, `UPDATE org_versions SET valid_to = ? WHERE path > ? AND path < ? AND valid_from < ? AND valid_to > ?`,
		d, lo, hi, d, d); err != nil {
		return err
	}
	if topOf(cur.Path) != topOf(o.Path) {
		// The statistics of units that lay in two units under the root.
		if err := tx.statsMoved(ctx, o.Path); err != nil {
			return err
		}
	}
	// Records filed under the moved subtree follow it in today's tree.
	return tx.rehome(ctx, cur.Path, o.Path, true)
}

// scopedTables are the tables whose rows carry a scope_path: the path of
// their organisation in today's tree, for subtree filters.
var scopedTables = []string{"cases", "programmes", "proceedings", "suspensions", "complaints", "letters"}

// rehome rewrites scope paths from path from to path to: the whole
// subtree when subtree is set (a move), or exactly from (an organisation
// that ended, re-homed onto its successor).
func (tx *Tx) rehome(ctx context.Context, from, to string, subtree bool) error {
	for _, t := range scopedTables {
		var err error
		if subtree {
			_, err = tx.exec(ctx, `UPDATE `+t+` SET scope_path = CAST(? AS TEXT) || substr(scope_path, ?) WHERE scope_path >= ? AND scope_path < ?`,
				to, len(from)+1, from, pathUpper(from))
		} else {
			_, err = tx.exec(ctx, `UPDATE `+t+` SET scope_path = ? WHERE scope_path = ?`, to, from)
		}
		if err != nil {
			return err
		}
	}
	return tx.statsRehome(ctx, from, to, subtree)
}

// RehomeEnded moves the records of an organisation that ended (path
// from) onto its successor (path to).
func (tx *Tx) RehomeEnded(ctx context.Context, from, to string) error {
	return tx.rehome(ctx, from, to, false)
}

// InsertReorgEvent records a reorganisation and its links; it sets e.ID.
func (tx *Tx) InsertReorgEvent(ctx context.Context, e *ktgs.ReorgEvent) error {
	id, err := tx.insert(ctx, `INSERT INTO reorg_events (kind, date, decision, note, created_at) VALUES (?, ?, ?, ?, ?)`,
		string(e.Kind), e.Date, e.Decision, e.Note, tx.now)
	if err != nil {
		return err
	}
	e.ID = id
	for _, l := range e.Links {
		if _, err := tx.exec(ctx, `INSERT INTO reorg_links (event_id, from_org_id, to_org_id, is_primary) VALUES (?, ?, ?, ?)`,
			id, nullID(l.FromID), nullID(l.ToID), l.Primary); err != nil {
			return err
		}
	}
	return nil
}

// ReorgEvents returns the reorganisation events that involve organisation
// id, oldest first, with the names of the units on each side.
func (tx *Tx) ReorgEvents(ctx context.Context, id int64) ([]*ktgs.ReorgEvent, error) {
	rows, err := tx.query(ctx, `SELECT e.id, e.kind, e.date, e.decision, e.note FROM reorg_events e
		WHERE e.id IN (SELECT event_id FROM reorg_links WHERE from_org_id = ? OR to_org_id = ?) ORDER BY e.date, e.id`, id, id)
	if err != nil {
		return nil, err
	}
	var out []*ktgs.ReorgEvent
	byID := map[int64]*ktgs.ReorgEvent{}
	for rows.Next() {
		e := new(ktgs.ReorgEvent)
		if err := rows.Scan(&e.ID, &e.Kind, &e.Date, &e.Decision, &e.Note); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
		byID[e.ID] = e
	}
	rows.Close()
	for _, e := range out {
		links, err := tx.reorgLinks(ctx, e.ID, e.Date)
		if err != nil {
			return nil, err
		}
		e.Links = links
	}
	return out, nil
}

// reorgLinks returns the links of event id with the unit names as they
// stood just before (from) and on (to) the event date.
func (tx *Tx) reorgLinks(ctx context.Context, eventID int64, d civil.Date) ([]ktgs.ReorgLink, error) {
	rows, err := tx.query(ctx, `SELECT COALESCE(l.from_org_id, 0), COALESCE(l.to_org_id, 0), l.is_primary,
		COALESCE((SELECT v.name FROM org_versions v WHERE v.org_id = l.from_org_id AND v.valid_from < ? ORDER BY v.valid_from DESC LIMIT 1), ''),
		COALESCE((SELECT v.name FROM org_versions v WHERE v.org_id = l.to_org_id AND v.valid_from <= ? ORDER BY v.valid_from DESC LIMIT 1), '')
		FROM reorg_links l WHERE l.event_id = ? ORDER BY l.from_org_id, l.to_org_id`, d, d, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.ReorgLink
	for rows.Next() {
		var l ktgs.ReorgLink
		if err := rows.Scan(&l.FromID, &l.ToID, &l.Primary, &l.FromName, &l.ToName); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Successors returns the direct successors of organisation id through
// reorganisation links (merge, split), with the primary flag.
func (tx *Tx) Successors(ctx context.Context, id int64) ([]ktgs.ReorgLink, error) {
	rows, err := tx.query(ctx, `SELECT from_org_id, to_org_id, is_primary FROM reorg_links
		WHERE from_org_id = ? AND to_org_id IS NOT NULL AND to_org_id <> from_org_id ORDER BY to_org_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.ReorgLink
	for rows.Next() {
		var l ktgs.ReorgLink
		if err := rows.Scan(&l.FromID, &l.ToID, &l.Primary); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// AllSuccessorLinks returns every merge and split link: the input of the
// mapping of historical units onto today's tree.
func (tx *Tx) AllSuccessorLinks(ctx context.Context) ([]ktgs.ReorgLink, error) {
	rows, err := tx.query(ctx, `SELECT from_org_id, to_org_id, is_primary FROM reorg_links
		WHERE from_org_id IS NOT NULL AND to_org_id IS NOT NULL AND to_org_id <> from_org_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ktgs.ReorgLink
	for rows.Next() {
		var l ktgs.ReorgLink
		if err := rows.Scan(&l.FromID, &l.ToID, &l.Primary); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// CountOrgs returns the number of organisations existing on day d by type.
func (tx *Tx) CountOrgs(ctx context.Context, d civil.Date) (map[ktgs.OrgType]int, error) {
	rows, err := tx.query(ctx, `SELECT v.type, COUNT(*) FROM org_versions v WHERE `+activeAt+` GROUP BY v.type`, d, d)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[ktgs.OrgType]int{}
	for rows.Next() {
		var t ktgs.OrgType
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, rows.Err()
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// OrgsAt returns the organisations with the given ids as they stood on day
// d, by id; ids that did not exist then are absent.
func (tx *Tx) OrgsAt(ctx context.Context, ids []int64, d civil.Date) (map[int64]*ktgs.Org, error) {
	out := make(map[int64]*ktgs.Org, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, 0, n+2)
		for _, id := range ids[:n] {
			args = append(args, id)
		}
		args = append(args, d, d)
		list, err := tx.orgs(ctx, `SELECT `+orgCols+` FROM org_versions v JOIN orgs o ON o.id = v.org_id
			WHERE v.org_id IN (`+strings.TrimSuffix(strings.Repeat("?,", n), ",")+`) AND `+activeAt, args...)
		if err != nil {
			return nil, err
		}
		for _, o := range list {
			out[o.ID] = o
		}
		ids = ids[n:]
	}
	return out, nil
}

// RootIDs returns the ids of every organisation that had no parent in any
// version: the tops of the trees, for system-wide authorisation.
func (tx *Tx) RootIDs(ctx context.Context) ([]int64, error) {
	rows, err := tx.query(ctx, `SELECT DISTINCT org_id FROM org_versions WHERE parent_id IS NULL ORDER BY org_id`)
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
