package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// postgresSink streams rows with COPY inside one transaction on one
// connection taken from the pool.
type postgresSink struct {
	db   *DB
	conn *sql.Conn
	pc   *pgx.Conn
	tx   pgx.Tx
	ids  map[string]bool
}

func newPostgresSink(ctx context.Context, db *DB) (*postgresSink, error) {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	s := &postgresSink{db: db, conn: conn, ids: map[string]bool{}}
	err = conn.Raw(func(dc any) error {
		s.pc = dc.(*stdlib.Conn).Conn()
		tx, err := s.pc.Begin(ctx)
		s.tx = tx
		return err
	})
	if err != nil {
		conn.Close()
		return nil, err
	}
	return s, nil
}

func (s *postgresSink) flush(ctx context.Context, t *bulkTable) error {
	_, err := s.tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(t.rows))
	if err != nil {
		return s.db.d.translate(err)
	}
	if t.cols[0] == "id" {
		s.ids[t.name] = true
	}
	return nil
}

func (s *postgresSink) exec(ctx context.Context, query string, args ...any) (int64, error) {
	for i, a := range args {
		if d, ok := a.(driver.Valuer); ok {
			v, err := d.Value()
			if err != nil {
				return 0, err
			}
			args[i] = v
		}
	}
	tag, err := s.tx.Exec(ctx, s.db.q(query), args...)
	if err != nil {
		return 0, s.db.d.translate(err)
	}
	return tag.RowsAffected(), nil
}

func (s *postgresSink) scanRow(ctx context.Context, query string, args []any, dest ...any) error {
	if err := s.tx.QueryRow(ctx, s.db.q(query), args...).Scan(dest...); err != nil {
		return s.db.d.translate(err)
	}
	return nil
}

func (s *postgresSink) finish(ctx context.Context, tables []*bulkTable) error {
	for _, t := range tables {
		if err := s.flush(ctx, t); err != nil {
			return err
		}
		t.rows = nil
	}
	// Explicit ids bypass the identity sequences: move each past the
	// largest id so later INSERTs do not collide.
	for name := range s.ids {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM %s), 1))`, name, name)
		if _, err := s.tx.Exec(ctx, q); err != nil {
			return err
		}
	}
	if err := s.tx.Commit(ctx); err != nil {
		return err
	}
	for name := range s.ids {
		s.pc.Exec(ctx, "ANALYZE "+name)
	}
	return s.conn.Close()
}

func (s *postgresSink) abort() {
	if s.tx != nil {
		s.tx.Rollback(context.Background())
	}
	s.conn.Close()
}
