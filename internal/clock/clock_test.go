package clock

import (
	"testing"
	"time"
)

func TestEndOfDayIsMidnightShanghai(t *testing.T) {
	got, err := EndOfDay("2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC)
	if !got.Equal(want) {
		t.Fatalf("got %v want %v", got, want)
	}
	if _, err := EndOfDay("2026-13-01"); err == nil {
		t.Fatal("bad date accepted")
	}
}

func TestTodayCountsInShanghai(t *testing.T) {
	// 17:00 UTC on 31 Dec is already 1 Jan in Shanghai.
	if got := Today(time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC)); got != "2027-01-01" {
		t.Fatalf("got %s", got)
	}
}

func TestFakeAdvances(t *testing.T) {
	f := NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	f.Advance(90 * time.Second)
	if f.Now().Minute() != 1 || f.Now().Second() != 30 {
		t.Fatalf("got %v", f.Now())
	}
}
