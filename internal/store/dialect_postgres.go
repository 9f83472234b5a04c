package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"ktgs"
)

// postgresDialect holds what is specific to PostgreSQL.
type postgresDialect struct{}

// migrationLockKey is the advisory lock that serialises migrations across
// app servers ("KTGS" in ASCII).
const migrationLockKey = 0x4B544753

func openPostgres(url string, opt Options) (*DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	n := opt.Readers
	if n <= 0 {
		n = 16
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	return &DB{engine: Postgres, w: db, r: db, d: postgresDialect{}}, nil
}

// rebind rewrites ? placeholders to $1, $2 … outside quoted text.
func (postgresDialect) rebind(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	inStr := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inStr = !inStr
		case c == '?' && !inStr:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func (postgresDialect) lockMigrations(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLockKey)
	return err
}

func (postgresDialect) translate(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case "23505":
		return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.conflict", Args: []any{pe.TableName + "." + strings.TrimPrefix(pe.ConstraintName, pe.TableName+"_")}}
	case "23503":
		return &ktgs.Error{Code: ktgs.EINVALID, Message: "err.reference"}
	case "23514":
		return &ktgs.Error{Code: ktgs.EINVALID, Message: "err.check", Args: []any{pe.Message}}
	case "40001", "40P01":
		return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.retry"}
	case "42501":
		return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.db_permission", Args: []any{pe.Message}}
	}
	if strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" {
		return &ktgs.Error{Code: ktgs.EUNAVAILABLE, Message: "err.db_unavailable", Args: []any{pe.Message}}
	}
	return err
}
