package store

import (
	"context"
	"strings"

	"ktgs/internal/authz"
)

// Lists of scoped records (cases, proceedings, complaints, suspensions)
// share their access filter: the record's scope path lies under one of the
// caller's subtrees, and its mark is at most the caller's clearance.

// scopeFilter returns the WHERE conditions and arguments that keep the rows
// of table alias a under one of paths and marked at most max.
func scopeFilter(a string, paths []string, max authz.Mark) ([]string, []any) {
	var or []string
	var args []any
	for _, p := range paths {
		or = append(or, `(`+a+`.scope_path >= ? AND `+a+`.scope_path < ?)`)
		args = append(args, p, pathUpper(p))
	}
	marks := []string{"'THUONG'"}
	if max >= authz.Secret {
		marks = append(marks, "'MAT'")
	}
	if max >= authz.TopSecret {
		marks = append(marks, "'TOI_MAT'")
	}
	return []string{"(" + strings.Join(or, " OR ") + ")", a + `.mark IN (` + strings.Join(marks, ", ") + `)`}, args
}

// pageLimit is a list's page size: n within 1–200, 50 by default.
func pageLimit(n int) int {
	if n <= 0 || n > 200 {
		return 50
	}
	return n
}

// collect runs q and scans every row into a new T with scan.
func collect[T any](ctx context.Context, tx *Tx, scan func(interface{ Scan(...any) error }, *T) error, q string, args ...any) ([]*T, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		x := new(T)
		if err := scan(rows, x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// collectValues runs q and scans every row into a T with scan: for the
// small child lists (events, notices, teams) read by value.
func collectValues[T any](ctx context.Context, tx *Tx, scan func(interface{ Scan(...any) error }, *T) error, q string, args ...any) ([]T, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var x T
		if err := scan(rows, &x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// page cuts a list fetched with limit+1 rows to limit and says whether more
// follow.
func page[T any](out []*T, limit int) ([]*T, bool) {
	if len(out) > limit {
		return out[:limit], true
	}
	return out, false
}
