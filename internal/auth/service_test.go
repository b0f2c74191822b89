package auth_test

import (
	"context"
	"testing"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

func TestPasswordHash(t *testing.T) {
	h, err := auth.HashPassword("Secret#2026")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := auth.CheckPassword(h, "Secret#2026"); !ok || err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if ok, _ := auth.CheckPassword(h, "Secret#2027"); ok {
		t.Fatal("wrong password accepted")
	}
	h2, _ := auth.HashPassword("Secret#2026")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
	for _, weak := range []string{"short1", "alllowercaseletters", "12345678901"} {
		if auth.CheckPasswordPolicy(weak) == nil {
			t.Errorf("weak password %q accepted", weak)
		}
	}
}

func TestUsersSessionsTokensLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
		svc := auth.NewService(db, clk, auth.Options{})

		// Validation: each bad field is named, nothing is written.
		_, err := svc.AddUser(ctx, auth.System, auth.UserInput{Username: "x", Role: "boss", Password: "short"})
		e, ok := fail.As(err)
		if !ok || e.Fields["username"] == "" || e.Fields["role"] == "" || e.Fields["password"] == "" {
			t.Fatalf("want three field errors, got %v", err)
		}
		_, err = svc.AddUser(ctx, auth.System, auth.UserInput{Username: "cb", Role: auth.RoleCounty, Password: "County#2026"})
		if e, _ := fail.As(err); e == nil || e.Fields["regions"] == "" {
			t.Fatalf("county without divisions: %v", err)
		}
		_, err = svc.AddUser(ctx, auth.System, auth.UserInput{Username: "cb", Role: auth.RoleCounty, Regions: []string{"999999"}, Password: "County#2026"})
		if e, _ := fail.As(err); e == nil || e.Fields["regions"] == "" {
			t.Fatalf("unknown division: %v", err)
		}
		_, err = svc.AddUser(ctx, auth.System, auth.UserInput{Username: "ent", Role: auth.RoleEnterprise, Password: "Enterprise#2026"})
		if e, _ := fail.As(err); e == nil || e.Fields["enterprise_id"] == "" {
			t.Fatalf("enterprise user without enterprise: %v", err)
		}
		if users, _ := svc.ListUsers(ctx); len(users) != 0 {
			t.Fatalf("refused input wrote %d users", len(users))
		}
		// Only admins add users.
		_, err = svc.AddUser(ctx, &auth.Principal{UserID: 9, Role: auth.RoleCity}, auth.UserInput{Username: "y", Role: auth.RoleCity, Password: "City#20260"})
		if !fail.Is(err, fail.Forbidden) {
			t.Fatalf("city adding a user: %v", err)
		}

		u, err := svc.AddUser(ctx, auth.System, auth.UserInput{Username: "cb", DisplayName: "陈旗", Role: auth.RoleCounty, Regions: []string{"150725", "150725"}, Password: "County#2026"})
		if err != nil {
			t.Fatal(err)
		}
		if len(u.Regions) != 1 || u.Regions[0] != "150725" {
			t.Fatalf("regions %v", u.Regions)
		}
		if _, err := svc.AddUser(ctx, auth.System, auth.UserInput{Username: "cb", Role: auth.RoleCity, Password: "County#2026"}); !fail.Is(err, fail.Invalid) {
			t.Fatalf("duplicate username: %v", err)
		}

		// Login and session.
		secret, p, err := svc.Login(ctx, "cb", "County#2026", "127.0.0.1")
		if err != nil || p.Role != auth.RoleCounty {
			t.Fatalf("login: %v %+v", err, p)
		}
		got, err := svc.FromSession(ctx, secret)
		if err != nil || got.UserID != u.ID || got.Regions[0] != "150725" {
			t.Fatalf("session: %v %+v", err, got)
		}
		clk.Advance(13 * time.Hour)
		if _, err := svc.FromSession(ctx, secret); !fail.Is(err, fail.Unauthenticated) {
			t.Fatalf("idle session after 13 h: %v", err)
		}

		// Lockout: five failures within 15 minutes lock for 15 minutes,
		// even against the right password.
		for i := 0; i < 5; i++ {
			if _, _, err := svc.Login(ctx, "cb", "wrong-Password1", "127.0.0.1"); !fail.Is(err, fail.Unauthenticated) {
				t.Fatalf("failure %d: %v", i, err)
			}
			clk.Advance(time.Minute)
		}
		_, _, err = svc.Login(ctx, "cb", "County#2026", "127.0.0.1")
		if e, _ := fail.As(err); e == nil || e.Code != "account_locked" {
			t.Fatalf("locked login: %v", err)
		}
		clk.Advance(16 * time.Minute)
		if _, _, err := svc.Login(ctx, "cb", "County#2026", "127.0.0.1"); err != nil {
			t.Fatalf("login after the lock: %v", err)
		}
		// Failures spread beyond the window do not lock.
		for i := 0; i < 6; i++ {
			_, _, _ = svc.Login(ctx, "cb", "wrong-Password1", "127.0.0.1")
			clk.Advance(4 * time.Minute)
		}
		if _, _, err := svc.Login(ctx, "cb", "County#2026", "127.0.0.1"); err != nil {
			t.Fatalf("slow failures locked the account: %v", err)
		}

		// Tokens: scoped like the user, revocable.
		tok, tsecret, err := svc.CreateToken(ctx, auth.System, u.ID, "script")
		if err != nil {
			t.Fatal(err)
		}
		tp, err := svc.FromToken(ctx, tsecret)
		if err != nil || tp.UserID != u.ID || tp.TokenID != tok.ID || tp.Role != auth.RoleCounty {
			t.Fatalf("token principal %v %+v", err, tp)
		}
		other := &auth.Principal{UserID: 999, Role: auth.RoleCity}
		if err := svc.RevokeToken(ctx, other, tok.ID); !fail.Is(err, fail.NotFound) {
			t.Fatalf("revoking another user's token: %v", err)
		}
		if err := svc.RevokeToken(ctx, auth.System, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.FromToken(ctx, tsecret); !fail.Is(err, fail.Unauthenticated) {
			t.Fatalf("revoked token: %v", err)
		}
		if err := svc.RevokeToken(ctx, auth.System, tok.ID); !fail.Is(err, fail.Conflict) {
			t.Fatalf("revoking twice: %v", err)
		}

		// Disabling ends sessions and tokens.
		_, tsecret2, _ := svc.CreateToken(ctx, auth.System, u.ID, "second")
		secret2, _, _ := svc.Login(ctx, "cb", "County#2026", "")
		off := true
		if _, err := svc.UpdateUser(ctx, auth.System, u.ID, auth.UserPatch{Disabled: &off}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.FromSession(ctx, secret2); err == nil {
			t.Fatal("session of a disabled user still works")
		}
		if _, err := svc.FromToken(ctx, tsecret2); err == nil {
			t.Fatal("token of a disabled user still works")
		}
		if _, _, err := svc.Login(ctx, "cb", "County#2026", ""); err == nil {
			t.Fatal("disabled user logged in")
		}

		// Every write is an event.
		evs, _, err := events.List(ctx, db, events.Filter{RecordType: "user", RecordID: u.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, e := range evs {
			actions[e.Action]++
		}
		if actions["create"] != 1 || actions["lock"] != 1 || actions["update"] != 1 || actions["login"] < 3 {
			t.Fatalf("user events %v", actions)
		}
	})
}
