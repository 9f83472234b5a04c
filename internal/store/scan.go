package store

import (
	"context"

	"ktgs"
	"ktgs/internal/civil"
)

// EachOrgVersion calls fn for every version of every organisation, with
// the organisation's code, in path order (parents before children) if
// ordered is true, else in storage order (faster: no sort of half a million
// rows). It streams: memory stays flat whatever the size of the hierarchy.
func (tx *Tx) EachOrgVersion(ctx context.Context, ordered bool, fn func(*ktgs.Org) error) error {
	q := `SELECT ` + orgCols + ` FROM org_versions v JOIN orgs o ON o.id = v.org_id`
	if ordered {
		q += ` ORDER BY v.path, v.valid_from`
	}
	rows, err := tx.query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		o := new(ktgs.Org)
		if err := scanOrg(rows, o); err != nil {
			return err
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachMember calls fn for every member (ended ones included), in id order,
// streaming. The member's name fields are filled; HomeOrgName is not.
func (tx *Tx) EachMember(ctx context.Context, fn func(*ktgs.Member) error) error {
	rows, err := tx.query(ctx, `SELECT `+memberCols+` FROM members m ORDER BY m.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		m := new(ktgs.Member)
		if err := scanMember(rows, m); err != nil {
			return err
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachMemberUnder calls fn for the current members whose home chi bộ lies
// in the subtree at path on day d, in chi bộ then name order, streaming.
func (tx *Tx) EachMemberUnder(ctx context.Context, path string, d civil.Date, fn func(m *ktgs.Member, homeCode string) error) error {
	rows, err := tx.query(ctx, `SELECT `+memberCols+`, o.code FROM org_versions v JOIN orgs o ON o.id = v.org_id
		JOIN members m ON m.home_org_id = v.org_id
		WHERE v.path >= ? AND v.path < ? AND `+activeAt+` AND m.ended_on IS NULL ORDER BY v.path, m.id`,
		path, pathUpper(path), d, d)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		m := new(ktgs.Member)
		var code string
		if err := scanMember(rows, m, &code); err != nil {
			return err
		}
		if err := fn(m, code); err != nil {
			return err
		}
	}
	return rows.Err()
}
