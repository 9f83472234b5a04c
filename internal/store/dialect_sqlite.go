package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"ktgs"
)

// sqliteDialect holds what is specific to SQLite.
type sqliteDialect struct{}

// sqlitePragmas are set on every pooled connection through the DSN.
// busy_timeout comes first so that a connection waits for a lock before it
// tries to switch the journal to WAL (the driver runs busy_timeout first and
// the rest in alphabetical order). foreign_keys is per connection.
// cache_size is per connection too (KiB when negative): 5 connections × 16
// MiB keeps the national dataset within the 300 MB RSS budget.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
	"&_pragma=foreign_keys(1)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-16000)&_time_format=sqlite"

func openSQLite(path string, opt Options) (*DB, error) {
	path = strings.TrimPrefix(path, "sqlite://")
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return nil, errors.New("store: empty SQLite path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create data directory: %w", err)
		}
	}
	file := "file:" + (&url.URL{Path: path}).EscapedPath()
	if err := createSQLite(path, file); err != nil {
		return nil, err
	}
	base := file + "?" + sqlitePragmas
	// One writer connection; BEGIN IMMEDIATE takes the write lock up front so
	// that read-then-write transactions cannot deadlock on lock upgrade.
	w, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	readers := opt.Readers
	if readers <= 0 {
		readers = 4
	}
	r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	return &DB{engine: SQLite, w: w, r: r, d: sqliteDialect{}}, nil
}

// sqlitePageSize is the page size of new database files. It can only be
// set before the file switches to WAL, which the DSN pragmas do first (the
// driver runs them in alphabetical order), so createSQLite sets it.
const sqlitePageSize = 16384

// createSQLite creates the database file with its page size if it does
// not exist yet.
func createSQLite(path, file string) error {
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		return nil
	}
	db, err := sql.Open("sqlite", file)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, p := range []string{fmt.Sprintf("PRAGMA page_size = %d", sqlitePageSize), "PRAGMA journal_mode = WAL"} {
		if _, err := db.Exec(p); err != nil {
			return fmt.Errorf("store: create %s: %w", path, err)
		}
	}
	return nil
}

func (sqliteDialect) rebind(q string) string { return q }

func (sqliteDialect) lockMigrations(ctx context.Context, tx *sql.Tx) error {
	// The writer pool has one connection and BEGIN IMMEDIATE holds the
	// database write lock for the whole transaction: other processes on
	// the same file wait on busy_timeout.
	return nil
}

func (sqliteDialect) translate(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.conflict", Args: []any{uniqueColumn(se.Error())}}
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return &ktgs.Error{Code: ktgs.EINVALID, Message: "err.reference"}
	case sqlite3.SQLITE_CONSTRAINT_CHECK:
		return &ktgs.Error{Code: ktgs.EINVALID, Message: "err.check", Args: []any{se.Error()}}
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return &ktgs.Error{Code: ktgs.EUNAVAILABLE, Message: "err.db_busy"}
	}
	return err
}

// uniqueColumn extracts "members.card_number" from SQLite's message
// "UNIQUE constraint failed: members.card_number (2067)".
func uniqueColumn(msg string) string {
	if i := strings.Index(msg, "failed: "); i >= 0 {
		s := msg[i+8:]
		if j := strings.IndexAny(s, " ,"); j >= 0 {
			s = s[:j]
		}
		return s
	}
	return ""
}
