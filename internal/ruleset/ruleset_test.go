package ruleset_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"minesafe/internal/ruleset"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

func TestVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now()
		if _, err := ruleset.Current(ctx, db, db, "k"); !errors.Is(err, ruleset.ErrNone) {
			t.Fatalf("want ErrNone, got %v", err)
		}
		s1, err := ruleset.Ensure(ctx, db, "k", map[string]int{"a": 1}, "defaults", now)
		if err != nil || s1.Version != 1 {
			t.Fatalf("%v %+v", err, s1)
		}
		again, err := ruleset.Ensure(ctx, db, "k", map[string]int{"a": 9}, "ignored", now)
		if err != nil || again.Version != 1 || string(again.Body) != `{"a":1}` {
			t.Fatalf("ensure twice: %v %+v", err, again)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := ruleset.Add(ctx, tx, "k", map[string]int{"a": 2}, "edit", nil, now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		cur, err := ruleset.Current(ctx, db, db, "k")
		if err != nil || cur.Version != 2 || string(cur.Body) != `{"a":2}` {
			t.Fatalf("current %v %+v", err, cur)
		}
		old, err := ruleset.Get(ctx, db, "k", 1)
		if err != nil || string(old.Body) != `{"a":1}` {
			t.Fatalf("v1 %v %+v", err, old)
		}
		h, _ := ruleset.History(ctx, db, "k")
		if len(h) != 2 {
			t.Fatalf("history %d", len(h))
		}
	})
}
