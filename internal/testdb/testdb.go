// Package testdb opens fresh, migrated databases of both engines for tests.
//
// SQLite always runs (a file in t.TempDir()). PostgreSQL runs when
// KTGS_TEST_DATABASE_URL names a server; each test gets its own schema,
// dropped at cleanup. Without the variable the PostgreSQL leg is skipped
// with a message saying how to enable it, unless KTGS_REQUIRE_POSTGRES=1
// (set by .ci/run), which turns the skip into a failure.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"ktgs/internal/store"
)

// EnvURL names the PostgreSQL server used by tests.
const EnvURL = "KTGS_TEST_DATABASE_URL"

// EnvRequire makes a missing PostgreSQL server a test failure.
const EnvRequire = "KTGS_REQUIRE_POSTGRES"

// Engine is one engine to run a test on.
type Engine struct {
	Name string
	// Open returns a new empty, migrated database, closed at cleanup.
	Open func(t testing.TB) *store.DB
	// URL returns the URL of a new empty database (not yet migrated), for
	// tests that start the whole program or several servers.
	URL func(t testing.TB) string
}

// Engines returns SQLite and, when configured, PostgreSQL.
func Engines(t testing.TB) []Engine {
	e := []Engine{{Name: store.SQLite, Open: OpenSQLite, URL: SQLiteURL}}
	if PostgresURL(t) != "" {
		e = append(e, Engine{Name: store.Postgres, Open: OpenPostgres, URL: PostgresSchemaURL})
	}
	return e
}

// Run runs fn as a subtest on every engine, each with a fresh database.
func Run(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, e := range Engines(t) {
		t.Run(e.Name, func(t *testing.T) { fn(t, e.Open(t)) })
	}
}

// PostgresURL returns the configured server URL, or "" after logging how to
// enable the PostgreSQL leg. With KTGS_REQUIRE_POSTGRES=1 it fails the test
// instead.
func PostgresURL(t testing.TB) string {
	u := os.Getenv(EnvURL)
	if u == "" {
		if os.Getenv(EnvRequire) == "1" {
			t.Fatalf("%s=1 but %s is not set: the PostgreSQL tests cannot be skipped", EnvRequire, EnvURL)
		}
		t.Logf("PostgreSQL leg skipped: set %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run it", EnvURL)
	}
	return u
}

// SQLiteURL returns a path for a new SQLite database in a temporary directory.
func SQLiteURL(t testing.TB) string { return filepath.Join(t.TempDir(), "ktgs.db") }

// OpenSQLite opens a fresh migrated SQLite database.
func OpenSQLite(t testing.TB) *store.DB { return open(t, SQLiteURL(t)) }

// OpenPostgres opens a fresh migrated PostgreSQL schema.
func OpenPostgres(t testing.TB) *store.DB { return open(t, PostgresSchemaURL(t)) }

// PostgresSchemaURL creates a new schema on the configured server, drops
// it at cleanup, and returns a URL whose search_path selects it.
func PostgresSchemaURL(t testing.TB) string {
	base := PostgresURL(t)
	if base == "" {
		t.Skip("PostgreSQL not configured")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t testing.TB, u string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, u, store.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}
