package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"ktgs"
	"ktgs/internal/audit"
)

// AppendAudit seals e onto the chain and stores it, in the caller's
// transaction: the entry commits or rolls back with the change it records.
// It first bumps the single audit_head row, which serialises appenders on
// both engines (PostgreSQL holds the row lock until commit), then seals the
// entry on the previous head and stores it and the new head.
func (tx *Tx) AppendAudit(ctx context.Context, e *audit.Entry) error {
	return appendAudit(ctx, txAudit{tx}, e, tx.now)
}

// auditWriter is a transaction that can append audit entries: a Tx or a
// bulk Loader.
type auditWriter interface {
	scanRow(ctx context.Context, query string, args []any, dest ...any) error
	execAudit(ctx context.Context, query string, args ...any) error
}

type txAudit struct{ tx *Tx }

func (a txAudit) scanRow(ctx context.Context, q string, args []any, dest ...any) error {
	if err := a.tx.queryRow(ctx, q, args...).Scan(dest...); err != nil {
		return a.tx.db.d.translate(err)
	}
	return nil
}

func (a txAudit) execAudit(ctx context.Context, q string, args ...any) error {
	_, err := a.tx.exec(ctx, q, args...)
	return err
}

func appendAudit(ctx context.Context, w auditWriter, e *audit.Entry, now time.Time) error {
	var seq int64
	var prev string
	if err := w.scanRow(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`, nil, &seq, &prev); err != nil {
		return err
	}
	e.Seq = seq
	if e.At.IsZero() {
		e.At = now
	}
	if err := e.Validate(); err != nil {
		return ktgs.Errorf(ktgs.EINTERNAL, "err.internal", err.Error())
	}
	e.Seal(prev)
	if err := w.execAudit(ctx, `INSERT INTO audit_log (seq, at, actor_id, actor, action, object_type, object_id, org_id,
		before, after, reason, request_id, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At, e.ActorID, e.Actor, e.Action, e.ObjectType, e.ObjectID, e.OrgID,
		rawOrNull(e.Before), rawOrNull(e.After), e.Reason, e.RequestID, e.PrevHash, e.Hash); err != nil {
		return err
	}
	return w.execAudit(ctx, `UPDATE audit_head SET hash = ? WHERE id = 1`, e.Hash)
}

func rawOrNull(r json.RawMessage) sql.NullString {
	if len(r) == 0 {
		return sql.NullString{}
	}
	return sql.NullString{String: string(r), Valid: true}
}

// AuditHead returns the sequence number and hash of the last entry (0 and
// audit.Genesis for an empty trail) as recorded in audit_head.
func (tx *Tx) AuditHead(ctx context.Context) (int64, string, error) {
	var seq int64
	var hash string
	err := tx.one(tx.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`), "audit head", &seq, &hash)
	return seq, hash, err
}

const auditCols = `seq, at, actor_id, actor, action, object_type, object_id, org_id, before, after, reason, request_id, prev_hash, hash`

func scanAudit(sc interface{ Scan(...any) error }, e *audit.Entry) error {
	var before, after sql.NullString
	if err := sc.Scan(&e.Seq, &e.At, &e.ActorID, &e.Actor, &e.Action, &e.ObjectType, &e.ObjectID, &e.OrgID,
		&before, &after, &e.Reason, &e.RequestID, &e.PrevHash, &e.Hash); err != nil {
		return err
	}
	e.At = e.At.UTC()
	if before.Valid {
		e.Before = json.RawMessage(before.String)
	}
	if after.Valid {
		e.After = json.RawMessage(after.String)
	}
	return nil
}

// EachAudit calls fn for every entry in sequence order, streaming.
func (tx *Tx) EachAudit(ctx context.Context, fn func(*audit.Entry) error) error {
	rows, err := tx.query(ctx, `SELECT `+auditCols+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e audit.Entry
		if err := scanAudit(rows, &e); err != nil {
			return err
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	ActorID    int64
	ObjectType string
	ObjectID   string
	Action     string // prefix, e.g. "member."
	From, To   time.Time
	// Paths limits the entries to those of organisations in these
	// subtrees (org path prefixes); OrgIDs adds organisations outright.
	// Entries of no organisation (org_id 0) are included only with
	// System.
	Paths  []string
	System bool
	// Before is the sequence number to page from (exclusive), 0 for the
	// newest.
	Before int64
	Limit  int
}

// AuditEntries returns the entries matching f, newest first.
func (tx *Tx) AuditEntries(ctx context.Context, f AuditFilter) ([]audit.Entry, error) {
	var where []string
	var args []any
	if f.ActorID != 0 {
		where, args = append(where, `actor_id = ?`), append(args, f.ActorID)
	}
	if f.ObjectType != "" {
		where, args = append(where, `object_type = ?`), append(args, f.ObjectType)
	}
	if f.ObjectID != "" {
		where, args = append(where, `object_id = ?`), append(args, f.ObjectID)
	}
	if f.Action != "" {
		where, args = append(where, `action LIKE ?`), append(args, likePrefix(f.Action))
	}
	if !f.From.IsZero() {
		where, args = append(where, `at >= ?`), append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where, args = append(where, `at < ?`), append(args, f.To.UTC())
	}
	if f.Before > 0 {
		where, args = append(where, `seq < ?`), append(args, f.Before)
	}
	if !f.System {
		var or []string
		for _, p := range f.Paths {
			or = append(or, `v.path LIKE ?`)
			args = append(args, likePrefix(p))
		}
		if len(or) == 0 {
			return nil, nil
		}
		where = append(where, `org_id <> 0 AND EXISTS (SELECT 1 FROM org_versions v WHERE v.org_id = audit_log.org_id AND (`+strings.Join(or, " OR ")+`))`)
	}
	q := `SELECT ` + auditCols + ` FROM audit_log`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := tx.query(ctx, q+` ORDER BY seq DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var e audit.Entry
		if err := scanAudit(rows, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// likePrefix returns a LIKE pattern matching strings that start with p
// (p must not contain LIKE wildcards: paths, action names).
func likePrefix(p string) string { return p + "%" }
