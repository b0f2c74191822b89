package events_test

import (
	"context"
	"testing"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

func TestAppendListTrail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.FixedZone("x", 3600))
		p := &auth.Principal{UserID: 0, Username: "system"}
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for i, action := range []string{"create", "update", "archive"} {
				e := events.New(p, at.Add(time.Duration(i)*time.Minute), "mine", 42, action).WithDetail(map[string]any{"i": i})
				e.Reason = "because"
				if _, err := events.Append(ctx, tx, e); err != nil {
					return err
				}
			}
			_, err := events.Append(ctx, tx, events.New(p, at, "enterprise", 1, "create"))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		trail, err := events.Trail(ctx, db, "mine", 42)
		if err != nil {
			t.Fatal(err)
		}
		if len(trail) != 3 || trail[0].Action != "create" || trail[2].Action != "archive" {
			t.Fatalf("trail %+v", trail)
		}
		if !trail[0].At.Equal(at) || trail[0].At.Location() != time.UTC {
			t.Fatalf("time %v, want %v in UTC", trail[0].At, at)
		}
		if string(trail[1].Detail) != `{"i":1}` {
			t.Fatalf("detail %s", trail[1].Detail)
		}
		list, total, err := events.List(ctx, db, events.Filter{RecordType: "mine", Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if total != 3 || len(list) != 2 || list[0].Action != "archive" {
			t.Fatalf("list %d %+v", total, list)
		}
	})
}
