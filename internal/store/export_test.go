package store

import (
	"context"
	"io/fs"
)

// Exec runs a statement in tx, for tests that write rows no store
// method writes by itself (stat_facts of a chosen shape).
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) error {
	_, err := tx.exec(ctx, query, args...)
	return err
}

// BaseCode is baseCode, for the same tests.
var BaseCode = baseCode

// Strings runs a query in tx that returns one text column, for tests
// that read the catalogue.
func (tx *Tx) Strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// MigrationStatements returns the statements of migration name of
// engine, as Migrate runs them.
func MigrationStatements(engine, name string) ([]string, error) {
	body, err := fs.ReadFile(migrationFS, "migrations/"+engine+"/"+name)
	if err != nil {
		return nil, err
	}
	return splitScript(string(body)), nil
}
