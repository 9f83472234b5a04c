// Package store implements KTGS persistence on two engines behind one
// contract: embedded SQLite (modernc.org/sqlite, pure Go) for a single
// office, and PostgreSQL (pgx) for the national deployment with several
// stateless app servers.
//
// Queries are written once, in the SQL both engines accept, with "?"
// placeholders; the PostgreSQL dialect rewrites them to "$n" once per query
// text. Engine-specific SQL lives only in dialect_sqlite.go,
// dialect_postgres.go (connection set-up, migration locking, error codes)
// and bulk_*.go (bulk loading). The same conformance tests run on both
// engines (store_test.go).
//
// The store decides nothing: rules and validation belong to the domain
// package and internal/app. It translates driver errors into *ktgs.Error.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"ktgs"
)

// Engine names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

//go:embed migrations
var migrationFS embed.FS

// Options configure Open.
type Options struct {
	// Readers is the size of the SQLite read pool (default 4) or the
	// PostgreSQL pool (default 16).
	Readers int
	// Logger receives operator messages; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now. Tests pin it.
	Now func() time.Time
}

// DB is an open database of either engine.
type DB struct {
	engine  string
	w       *sql.DB // writes; on SQLite a single connection with BEGIN IMMEDIATE
	r       *sql.DB // reads; on PostgreSQL the same pool as w
	d       dialect
	log     *slog.Logger
	now     func() time.Time
	queries sync.Map // query text → rebound text
}

// dialect is what differs between engines.
type dialect interface {
	// rebind turns "?" placeholders into the engine's form.
	rebind(q string) string
	// lockMigrations serialises schema changes across processes within tx.
	lockMigrations(ctx context.Context, tx *sql.Tx) error
	// translate maps a driver error to a *ktgs.Error where it has a meaning.
	translate(err error) error
}

// Open connects to the database named by url: a "postgres://" or
// "postgresql://" URL selects PostgreSQL; anything else is a SQLite file
// path (created if missing). Open checks that the database answers but does
// not migrate; call Migrate.
func Open(ctx context.Context, url string, opt Options) (*DB, error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	var db *DB
	var err error
	if IsPostgresURL(url) {
		db, err = openPostgres(url, opt)
	} else {
		db, err = openSQLite(url, opt)
	}
	if err != nil {
		return nil, err
	}
	db.log, db.now = opt.Logger, opt.Now
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.Ping(pctx); err != nil {
		db.Close()
		return nil, &ktgs.Error{Code: ktgs.EUNAVAILABLE, Message: fmt.Sprintf("database does not answer (%s): %v", redact(url), err)}
	}
	return db, nil
}

// IsPostgresURL reports whether url names a PostgreSQL database.
func IsPostgresURL(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// redact hides a password in a URL for messages.
func redact(url string) string {
	if i := strings.Index(url, "://"); i >= 0 {
		if j := strings.Index(url[i+3:], "@"); j >= 0 {
			creds := url[i+3 : i+3+j]
			if k := strings.Index(creds, ":"); k >= 0 {
				return url[:i+3] + creds[:k] + ":***" + url[i+3+j:]
			}
		}
	}
	return url
}

// Engine returns SQLite or Postgres.
func (db *DB) Engine() string { return db.engine }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.r.PingContext(ctx); err != nil {
		return err
	}
	if db.w != db.r {
		return db.w.PingContext(ctx)
	}
	return nil
}

// Close closes the pools.
func (db *DB) Close() error {
	err := db.w.Close()
	if db.r != db.w {
		if e := db.r.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Now returns the store's clock reading.
func (db *DB) Now() time.Time { return db.now().UTC() }

// q returns the engine form of query text, cached.
func (db *DB) q(query string) string {
	if v, ok := db.queries.Load(query); ok {
		return v.(string)
	}
	r := db.d.rebind(query)
	db.queries.Store(query, r)
	return r
}

// Tx is a transaction. Its methods are the storage contract.
type Tx struct {
	tx  *sql.Tx
	db  *DB
	now time.Time
	rw  bool
}

// Now returns the time the transaction started, in UTC. Every row a
// transaction writes carries the same timestamp.
func (tx *Tx) Now() time.Time { return tx.now }

// Engine returns the engine of the transaction's database.
func (tx *Tx) Engine() string { return tx.db.engine }

// Update runs fn in a read-write transaction and commits if fn returns nil.
// On SQLite the transaction takes the write lock at BEGIN (IMMEDIATE), so
// concurrent writers queue instead of failing with SQLITE_BUSY.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.w, false, fn)
}

// View runs fn in a read-only transaction.
func (db *DB) View(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.r, true, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, ro bool, fn func(*Tx) error) (err error) {
	stx, err := pool.BeginTx(ctx, &sql.TxOptions{ReadOnly: ro && db.engine == Postgres})
	if err != nil {
		return db.unavailable(err)
	}
	tx := &Tx{tx: stx, db: db, now: db.Now(), rw: !ro}
	defer func() {
		if p := recover(); p != nil {
			stx.Rollback()
			panic(p)
		}
		if err != nil {
			stx.Rollback()
			return
		}
		if cerr := stx.Commit(); cerr != nil {
			err = db.d.translate(cerr)
		}
	}()
	return fn(tx)
}

func (db *DB) unavailable(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &ktgs.Error{Code: ktgs.EUNAVAILABLE, Message: "err.db_unavailable", Args: []any{err.Error()}}
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := tx.tx.ExecContext(ctx, tx.db.q(query), args...)
	if err != nil {
		return nil, tx.db.d.translate(err)
	}
	return res, nil
}

func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := tx.tx.QueryContext(ctx, tx.db.q(query), args...)
	if err != nil {
		return nil, tx.db.d.translate(err)
	}
	return rows, nil
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.db.q(query), args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (tx *Tx) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	if err := tx.queryRow(ctx, query+" RETURNING id", args...).Scan(&id); err != nil {
		return 0, tx.db.d.translate(err)
	}
	return id, nil
}

// one scans a single row, mapping sql.ErrNoRows to ENOTFOUND with what.
func (tx *Tx) one(row *sql.Row, what string, dest ...any) error {
	if err := row.Scan(dest...); errors.Is(err, sql.ErrNoRows) {
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", what)
	} else if err != nil {
		return tx.db.d.translate(err)
	}
	return nil
}

// count runs a query returning one integer.
func (tx *Tx) count(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	if err := tx.queryRow(ctx, query, args...).Scan(&n); err != nil {
		return 0, tx.db.d.translate(err)
	}
	return n, nil
}

// Migrate applies the embedded migrations that have not run yet, in name
// order, each recorded in schema_migrations, and returns the names applied.
// Migrations are forward-only. All pending migrations run in one
// transaction that first takes an engine lock (a PostgreSQL advisory lock;
// SQLite's single writer), so several servers starting together apply each
// migration exactly once.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	names, err := db.migrationNames()
	if err != nil {
		return nil, err
	}
	var applied []string
	stx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, db.unavailable(err)
	}
	defer stx.Rollback()
	if err := db.d.lockMigrations(ctx, stx); err != nil {
		return nil, fmt.Errorf("store: lock migrations: %w", err)
	}
	if _, err := stx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return nil, fmt.Errorf("store: create schema_migrations: %w", err)
	}
	done := map[string]bool{}
	rows, err := stx.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("store: read schema_migrations: %w", err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		done[n] = true
	}
	rows.Close()
	for _, name := range names {
		if done[name] {
			continue
		}
		body, err := fs.ReadFile(migrationFS, "migrations/"+db.engine+"/"+name)
		if err != nil {
			return nil, err
		}
		if err := execScript(ctx, stx, string(body)); err != nil {
			return nil, fmt.Errorf("store: migration %s: %w", name, err)
		}
		if _, err := stx.ExecContext(ctx, db.q(`INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`), name, db.Now().Format(time.RFC3339)); err != nil {
			return nil, fmt.Errorf("store: record migration %s: %w", name, err)
		}
		applied = append(applied, name)
		db.log.Info("migration applied", "name", name, "engine", db.engine)
	}
	if err := stx.Commit(); err != nil {
		return nil, db.d.translate(err)
	}
	if slices.Contains(applied, "0015_stats_summary.sql") {
		// The statistics facts of the records already there.
		start := time.Now()
		n, err := db.RebuildStatFacts(ctx)
		if err != nil {
			return applied, fmt.Errorf("store: statistics facts: %w", err)
		}
		db.log.Info("statistics facts built", "facts", n, "took", time.Since(start).Round(time.Millisecond))
	}
	return applied, nil
}

// MigrationNames returns the embedded migration names of engine, sorted.
func MigrationNames(engine string) ([]string, error) {
	ents, err := fs.ReadDir(migrationFS, "migrations/"+engine)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

func (db *DB) migrationNames() ([]string, error) { return MigrationNames(db.engine) }

// execScript runs a migration script statement by statement. Statements are
// separated by ";" at the end of a line; a block between "-- +begin" and
// "-- +end" lines is one statement (for trigger and function bodies).
func execScript(ctx context.Context, tx *sql.Tx, script string) error {
	for _, stmt := range splitScript(script) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%w\n%s", err, stmt)
		}
	}
	return nil
}

func splitScript(script string) []string {
	var out []string
	var cur strings.Builder
	block := false
	for _, line := range strings.Split(script, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "-- +begin":
			block = true
			continue
		case t == "-- +end":
			block = false
			if s := strings.TrimSpace(cur.String()); s != "" {
				out = append(out, s)
			}
			cur.Reset()
			continue
		case strings.HasPrefix(t, "--") && !block:
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if !block && strings.HasSuffix(t, ";") {
			if s := strings.TrimSpace(cur.String()); s != ";" && s != "" {
				out = append(out, s)
			}
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// Pending returns the migrations not yet applied (for `ktgs migrate --status`).
func (db *DB) Pending(ctx context.Context) ([]string, error) {
	names, err := db.migrationNames()
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	rows, err := db.r.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err == nil {
		for rows.Next() {
			var n string
			rows.Scan(&n)
			done[n] = true
		}
		rows.Close()
	}
	var out []string
	for _, n := range names {
		if !done[n] {
			out = append(out, n)
		}
	}
	return out, nil
}

// likeEscape escapes LIKE metacharacters; queries use ESCAPE '\'.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// pathUpper returns the exclusive upper bound of the paths under prefix
// ("/1/4/" → "/1/40"): '0' is the byte after '/', and paths hold only
// digits and slashes, so [prefix, upper) is exactly the subtree.
func pathUpper(prefix string) string {
	return prefix[:len(prefix)-1] + "0"
}

// Stats returns the writer pool's statistics (the only pool on PostgreSQL).
func (db *DB) Stats() sql.DBStats { return db.w.Stats() }
