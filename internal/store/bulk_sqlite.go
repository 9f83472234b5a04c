package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"
)

// sqliteSink writes multi-row INSERTs on the writer connection inside one
// transaction. SQLite allows 32766 host parameters per statement; batches
// of rowsPerStmt rows stay well inside that for every table.
type sqliteSink struct {
	db      *DB
	conn    *sql.Conn
	tx      *sql.Tx
	stmts   map[string]driver.Stmt // full-size multi-row INSERTs, prepared on the driver
	args    []driver.NamedValue
	indexes []string // CREATE INDEX statements to run after the load
}

const rowsPerStmt = 200

func newSQLiteSink(ctx context.Context, db *DB) (*sqliteSink, error) {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	// The load is one transaction: a crash leaves the database as before.
	// A larger page cache and no per-transaction sync only speed it up.
	for _, p := range []string{"PRAGMA cache_size = -400000", "PRAGMA synchronous = OFF", "PRAGMA threads = 2"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			conn.Close()
			return nil, err
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	s := &sqliteSink{db: db, conn: conn, tx: tx, stmts: map[string]driver.Stmt{}}
	if err := s.dropIndexesIfEmpty(ctx); err != nil {
		s.abort()
		return nil, err
	}
	return s, nil
}

// dropIndexesIfEmpty drops the secondary indexes of every bulk table that
// holds no rows, to build them once at the end: sorting millions of keys
// once is several times faster than inserting them one by one into a
// B-tree (the card-number index is in random order). The drop and the
// rebuild are inside the load's transaction, so a failed load leaves the
// schema as it was. Tables that already hold rows keep their indexes.
func (s *sqliteSink) dropIndexesIfEmpty(ctx context.Context) error {
	for _, t := range bulkSchema {
		var any int
		err := s.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+t.name+`)`).Scan(&any)
		if err != nil {
			return err
		}
		if any == 1 {
			continue
		}
		rows, err := s.tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = ?`, t.name)
		if err != nil {
			return err
		}
		var drop []string
		for rows.Next() {
			var name, stmt string
			if err := rows.Scan(&name, &stmt); err != nil {
				rows.Close()
				return err
			}
			drop = append(drop, name)
			s.indexes = append(s.indexes, stmt)
		}
		rows.Close()
		for _, name := range drop {
			if _, err := s.tx.ExecContext(ctx, `DROP INDEX `+name); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *sqliteSink) exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := s.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, s.db.d.translate(err)
	}
	return res.RowsAffected()
}

func insertSQL(t *bulkTable, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(t.name)
	b.WriteString(" (")
	b.WriteString(strings.Join(t.cols, ", "))
	b.WriteString(") VALUES ")
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(t.cols)), ", ") + ")"
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

// flush inserts t's rows. Full batches go through a statement prepared on
// the driver connection, inside the load's transaction: the rows already
// hold driver values (int64, string, []byte, nil), so database/sql's
// per-argument conversion, a quarter of the cost of a bulk insert, is
// skipped.
func (s *sqliteSink) scanRow(ctx context.Context, query string, args []any, dest ...any) error {
	if err := s.tx.QueryRowContext(ctx, query, args...).Scan(dest...); err != nil {
		return s.db.d.translate(err)
	}
	return nil
}

func (s *sqliteSink) flush(ctx context.Context, t *bulkTable) error {
	rows := t.rows
	for len(rows) >= rowsPerStmt {
		err := s.conn.Raw(func(dc any) error {
			st, ok := s.stmts[t.name]
			if !ok {
				var err error
				if st, err = dc.(driver.ConnPrepareContext).PrepareContext(ctx, insertSQL(t, rowsPerStmt)); err != nil {
					return err
				}
				s.stmts[t.name] = st
			}
			s.args = s.args[:0]
			for _, r := range rows[:rowsPerStmt] {
				for _, v := range r {
					s.args = append(s.args, driver.NamedValue{Ordinal: len(s.args) + 1, Value: v})
				}
			}
			_, err := st.(driver.StmtExecContext).ExecContext(ctx, s.args)
			return err
		})
		if err != nil {
			return s.db.d.translate(err)
		}
		rows = rows[rowsPerStmt:]
	}
	if len(rows) > 0 {
		args := make([]any, 0, len(rows)*len(t.cols))
		for _, r := range rows {
			args = append(args, r...)
		}
		if _, err := s.tx.ExecContext(ctx, insertSQL(t, len(rows)), args...); err != nil {
			return s.db.d.translate(err)
		}
	}
	return nil
}

func (s *sqliteSink) finish(ctx context.Context, tables []*bulkTable) error {
	for _, t := range tables {
		if err := s.flush(ctx, t); err != nil {
			return err
		}
		t.rows = nil
	}
	s.closeStmts()
	for _, stmt := range s.indexes {
		if _, err := s.tx.ExecContext(ctx, stmt); err != nil {
			return s.db.d.translate(err)
		}
	}
	if err := s.tx.Commit(); err != nil {
		return err
	}
	defer s.conn.Close()
	for _, p := range []string{"PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -16000", "PRAGMA threads = 0",
		"PRAGMA analysis_limit = 1000", "ANALYZE", "PRAGMA wal_checkpoint(TRUNCATE)"} {
		if _, err := s.conn.ExecContext(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

func (s *sqliteSink) closeStmts() {
	s.conn.Raw(func(any) error {
		for _, st := range s.stmts {
			st.Close()
		}
		return nil
	})
	s.stmts = map[string]driver.Stmt{}
}

func (s *sqliteSink) abort() {
	s.closeStmts()
	if s.tx != nil {
		s.tx.Rollback()
	}
	s.conn.ExecContext(context.Background(), "PRAGMA synchronous = NORMAL")
	s.conn.ExecContext(context.Background(), "PRAGMA cache_size = -16000")
	s.conn.Close()
}
