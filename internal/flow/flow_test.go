package flow_test

import (
	"context"
	"testing"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/flow"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

var loop = flow.Machine{RecordType: "probe", Transitions: []flow.Transition{
	{From: []string{"open"}, Action: "acknowledge", To: "acknowledged", Roles: []string{auth.RoleEnterprise}},
	{From: []string{"acknowledged"}, Action: "close", To: "closed", Roles: []string{auth.RoleCounty, auth.RoleCity}},
}}

func TestStep(t *testing.T) {
	ent := &auth.Principal{Role: auth.RoleEnterprise}
	county := &auth.Principal{Role: auth.RoleCounty}
	if to, err := loop.Step("open", "acknowledge", ent); err != nil || to != "acknowledged" {
		t.Fatalf("%s %v", to, err)
	}
	if _, err := loop.Step("open", "close", ent); !fail.Is(err, fail.Forbidden) {
		t.Fatalf("enterprise closing: %v", err)
	}
	if _, err := loop.Step("open", "close", county); !fail.Is(err, fail.Conflict) {
		t.Fatalf("closing an open record: %v", err)
	}
	if _, err := loop.Step("open", "explode", county); !fail.Is(err, fail.BadRequest) {
		t.Fatalf("unknown action: %v", err)
	}
	if a := loop.Actions("acknowledged", county); len(a) != 1 || a[0] != "close" {
		t.Fatalf("actions %v", a)
	}
}

func TestMoveGuardsState(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.Exec(ctx, `CREATE TABLE probe (id INTEGER PRIMARY KEY, state TEXT NOT NULL, note TEXT NOT NULL DEFAULT '')`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, `INSERT INTO probe (id, state) VALUES (1, 'open')`); err != nil {
			t.Fatal(err)
		}
		p := &auth.Principal{UserID: 3, Username: "mine1", Role: auth.RoleEnterprise}
		move := func(from string) error {
			return db.InTx(ctx, func(tx *store.Tx) error {
				return flow.Move(ctx, tx, "probe", 1, from, "acknowledged", map[string]any{"note": "seen"},
					events.New(p, time.Now(), "probe", 1, "acknowledge"))
			})
		}
		if err := move("open"); err != nil {
			t.Fatal(err)
		}
		if err := move("open"); !fail.Is(err, fail.Conflict) {
			t.Fatalf("second move from a stale state: %v", err)
		}
		trail, _ := events.Trail(ctx, db, "probe", 1)
		if len(trail) != 1 || trail[0].FromState != "open" || trail[0].ToState != "acknowledged" || trail[0].Actor != "mine1" {
			t.Fatalf("trail %+v", trail)
		}
	})
}
