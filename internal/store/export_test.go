package store

import "context"

// Exec runs a statement in tx, for tests that write rows no store
// method writes by itself (stat_facts of a chosen shape).
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) error {
	_, err := tx.exec(ctx, query, args...)
	return err
}

// BaseCode is baseCode, for the same tests.
var BaseCode = baseCode
