// Package storetest runs a test on every database minesafe supports: a
// fresh SQLite file and a fresh PostgreSQL schema, both migrated.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"minesafe/internal/store"
)

// DefaultPG is used when MINESAFE_TEST_PG is not set.
const DefaultPG = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PGURL answers the PostgreSQL URL tests use.
func PGURL() string {
	if v := os.Getenv("MINESAFE_TEST_PG"); v != "" {
		return v
	}
	return DefaultPG
}

// Each runs fn once per database as subtests "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite answers a migrated database in a temporary file.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	return Open(t, "sqlite:"+filepath.Join(t.TempDir(), "test.db"))
}

// Open opens and migrates dbURL, closing it when the test ends.
func Open(t testing.TB, dbURL string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("open %s: %v", dbURL, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// Postgres answers a migrated database in a schema of its own, dropped when
// the test ends. Without a reachable PostgreSQL the test is skipped with a
// visible message, except under CI=true, where it fails.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	return Open(t, PostgresURL(t))
}

// PostgresURL creates an empty schema for the test and answers a URL whose
// search_path selects it.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := PGURL()
	admin, err := sql.Open("pgx", base)
	if err == nil {
		err = admin.PingContext(context.Background())
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s is required under CI: %v", base, err)
		}
		t.Skipf("SKIP postgres: no PostgreSQL at %s (%v); set MINESAFE_TEST_PG", base, err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + strings.ToLower(hex.EncodeToString(b[:]))
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("MINESAFE_TEST_PG: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
