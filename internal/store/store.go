// Package store opens the database (SQLite or PostgreSQL), applies the
// migrations of its dialect and offers the few helpers every capability's
// SQL needs: placeholder rebinding and transactions.
//
// Capabilities write their SQL once, with '?' placeholders, in the subset of
// SQL that both databases accept (RETURNING, ON CONFLICT, TRUE/FALSE). The
// store rewrites placeholders for PostgreSQL.
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
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Dialect names the SQL flavour of a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the one handle every capability uses.
type DB struct {
	*sql.DB
	Dialect Dialect
	// URL is the --db value it was opened from, secrets included; never log it.
	URL string

	rebound sync.Map // query text -> rebound text (PostgreSQL only)
}

// ErrNotFound is returned by capability stores when a record does not exist
// or lies outside the caller's scope (the two are deliberately the same).
var ErrNotFound = errors.New("not found")

// Open opens a database by URL: "sqlite:<path>" (or a bare path ending in
// .db) selects SQLite, "postgres://…" or "postgresql://…" PostgreSQL.
func Open(ctx context.Context, dbURL string) (*DB, error) {
	switch {
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		sdb, err := sql.Open("pgx", dbURL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sdb.SetMaxOpenConns(16)
		sdb.SetMaxIdleConns(8)
		sdb.SetConnMaxIdleTime(5 * time.Minute)
		db := &DB{DB: sdb, Dialect: Postgres, URL: dbURL}
		if err := pingRetry(ctx, sdb); err != nil {
			sdb.Close()
			return nil, fmt.Errorf("connect postgres: %w", err)
		}
		return db, nil
	case strings.HasPrefix(dbURL, "sqlite:"), strings.HasSuffix(dbURL, ".db"):
		path := strings.TrimPrefix(strings.TrimPrefix(dbURL, "sqlite:"), "//")
		if path == "" {
			return nil, errors.New("sqlite: empty path")
		}
		if path != ":memory:" {
			if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
				return nil, fmt.Errorf("sqlite: create folder: %w", err)
			}
		}
		sdb, err := sql.Open("sqlite", sqliteDSN(path))
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		// WAL lets readers run beside the one writer; writes serialise on
		// the database lock (busy_timeout waits for it).
		sdb.SetMaxOpenConns(8)
		sdb.SetMaxIdleConns(8)
		db := &DB{DB: sdb, Dialect: SQLite, URL: dbURL}
		if err := sdb.PingContext(ctx); err != nil {
			sdb.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
		return db, nil
	default:
		return nil, fmt.Errorf("unsupported --db %q: use sqlite:<path> or postgres://…", redact(dbURL))
	}
}

func sqliteDSN(path string) string {
	q := url.Values{}
	// synchronous(FULL): a committed sample survives a power cut, not only a kill -9.
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(FULL)"} {
		q.Add("_pragma", p)
	}
	// Write transactions take the lock at BEGIN, so two writers never
	// deadlock upgrading a read lock.
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	return "file:" + path + "?" + q.Encode()
}

func pingRetry(ctx context.Context, sdb *sql.DB) error {
	var err error
	for i := 0; i < 5; i++ {
		if err = sdb.PingContext(ctx); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(i+1) * 200 * time.Millisecond):
		}
	}
	return err
}

// redact hides the password of a database URL for messages.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Redacted is the URL with any password hidden, for logs.
func (db *DB) Redacted() string { return redact(db.URL) }

// Q rewrites '?' placeholders to $n for PostgreSQL. Question marks inside
// single-quoted literals are left alone.
func (db *DB) Q(query string) string {
	if db.Dialect != Postgres {
		return query
	}
	if v, ok := db.rebound.Load(query); ok {
		return v.(string)
	}
	out := Rebind(query)
	db.rebound.Store(query, out)
	return out
}

// Rebind turns '?' into $1, $2, … outside string literals.
func Rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	inQuote := false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Querier is what both *sql.DB and *sql.Tx offer; store functions take it so
// they run inside or outside a transaction alike.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is a transaction that knows its dialect.
type Tx struct {
	*sql.Tx
	db *DB
}

// Q rebinds like DB.Q.
func (tx *Tx) Q(query string) string { return tx.db.Q(query) }

// Dialect of the transaction's database.
func (tx *Tx) Dialect() Dialect { return tx.db.Dialect }

// InTx runs fn in a transaction, committing when fn returns nil and rolling
// back otherwise (also on panic).
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	stx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{Tx: stx, db: db}
	defer func() {
		if p := recover(); p != nil {
			_ = stx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = stx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Exec runs a statement with '?' placeholders.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.ExecContext(ctx, db.Q(query), args...)
}

// Query runs a query with '?' placeholders.
func (db *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.QueryContext(ctx, db.Q(query), args...)
}

// QueryRow runs a single-row query with '?' placeholders.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.QueryRowContext(ctx, db.Q(query), args...)
}

// Exec runs a statement with '?' placeholders inside the transaction.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.ExecContext(ctx, tx.Q(query), args...)
}

// Query runs a query with '?' placeholders inside the transaction.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.QueryContext(ctx, tx.Q(query), args...)
}

// QueryRow runs a single-row query with '?' placeholders inside the transaction.
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.QueryRowContext(ctx, tx.Q(query), args...)
}

// Insert runs an INSERT … RETURNING id and answers the new id.
func (tx *Tx) Insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// IsUniqueViolation tells whether err is a unique-constraint failure on
// either database.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// IsForeignKeyViolation tells whether err is a foreign-key failure.
func IsForeignKeyViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "FOREIGN KEY constraint failed") || strings.Contains(s, "SQLSTATE 23503")
}

// Placeholders answers "?,?,?" for n values.
func Placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?,", n-1) + "?"
}
