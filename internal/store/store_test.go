package store_test

import (
	"context"
	"testing"

	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

func TestRebind(t *testing.T) {
	got := store.Rebind(`SELECT '?' , a FROM t WHERE a = ? AND b IN (?, ?)`)
	want := `SELECT '?' , a FROM t WHERE a = $1 AND b IN ($2, $3)`
	if got != want {
		t.Fatalf("got %q want %q", got, want)
	}
}

func TestMigrationsMatchAcrossDialects(t *testing.T) {
	lite, err := store.Migrations(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := store.Migrations(store.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].Name != pg[i].Name {
			t.Errorf("migration %d: sqlite %q, postgres %q", i+1, lite[i].Name, pg[i].Name)
		}
	}
}

func TestMigrateFromEmptyAndIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != db.LatestVersion() || v == 0 {
			t.Fatalf("schema version %d, latest %d", v, db.LatestVersion())
		}
		n, err := db.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second migrate applied %d (err %v), want 0", n, err)
		}
	})
}

func TestInTxRollsBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.Exec(ctx, `CREATE TABLE tx_probe (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		boom := context.Canceled
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO tx_probe (id, v) VALUES (?, ?)`, 1, "x"); err != nil {
				return err
			}
			return boom
		})
		if err != boom {
			t.Fatalf("InTx error %v", err)
		}
		var n int
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM tx_probe`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("rows after rollback %d (%v)", n, err)
		}
		_, err = db.Exec(ctx, `INSERT INTO tx_probe (id, v) VALUES (?, ?)`, 1, "x")
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.Exec(ctx, `INSERT INTO tx_probe (id, v) VALUES (?, ?)`, 1, "y")
		if !store.IsUniqueViolation(err) {
			t.Fatalf("want unique violation, got %v", err)
		}
	})
}
