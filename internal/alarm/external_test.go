package alarm_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"minesafe/internal/alarm"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

func TestExternalAlarm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		alarms := w.env.App.Alarms
		at := w.env.Clock.Now()
		if _, err := alarms.RaiseExternal(ctx, w.mineA.ID, w.ch4.ID, "seal", "seal.event", "purple", "x", at); err == nil {
			t.Fatal("a bad level was accepted")
		}
		id, err := alarms.RaiseExternal(ctx, w.mineA.ID, w.ch4.ID, "seal", "seal.event", "red", "疑似非法生产", at)
		if err != nil || id == 0 {
			t.Fatalf("raise: %d %v", id, err)
		}
		again, err := alarms.RaiseExternal(ctx, w.mineA.ID, w.ch4.ID, "seal", "seal.event", "red", "again", at)
		if err != nil || again != id {
			t.Fatalf("the same condition opened %d (first %d): %v", again, id, err)
		}
		var a alarm.Alarm
		w.admin.JSON("GET", fmt.Sprintf("/api/v1/alarms/%d", id), nil, http.StatusOK, &a)
		if a.Kind != "seal" || a.Rule != "seal.event" || a.Level != "red" || a.State != "open" || a.Message != "疑似非法生产" || a.ClearedAt != nil {
			t.Fatalf("alarm %+v", a)
		}
		if l := alarms.MineLevel(w.mineA.ID); l != "red" {
			t.Fatalf("mine level %q while open", l)
		}
		cleared, err := alarms.ClearExternal(ctx, w.mineA.ID, w.ch4.ID, "seal", "seal.event", "quiet", at)
		if err != nil || cleared != id {
			t.Fatalf("clear: %d %v", cleared, err)
		}
		if l := alarms.MineLevel(w.mineA.ID); l != "" {
			t.Fatalf("mine level %q after clearing", l)
		}
		if n, err := alarms.ClearExternal(ctx, w.mineA.ID, w.ch4.ID, "seal", "seal.event", "quiet", at); err != nil || n != 0 {
			t.Fatalf("clearing nothing: %d %v", n, err)
		}
		next, err := alarms.RaiseExternal(ctx, w.mineA.ID, w.ch4.ID, "seal", "seal.event", "red", "later", at)
		if err != nil || next == id {
			t.Fatalf("a new episode reused %d: %v", next, err)
		}
		// Cleared, the first alarm can go through the loop to closed.
		if len(w.alarms(t, w.admin, "kind=seal&cleared=true")) != 1 || len(w.alarms(t, w.admin, "kind=seal&cleared=false")) != 1 {
			t.Fatal("expected one cleared and one open seal alarm")
		}
	})
}
