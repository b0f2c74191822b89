package simulate_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/demo"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/simulate"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
	"minesafe/internal/telemetry"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func countSamples(bs []telemetry.Batch) int {
	n := 0
	for _, b := range bs {
		n += len(b.Samples)
	}
	return n
}

// The in-process runner feeds the real ingest path: every sample of nine
// simulated minutes of the mine with the over-range episode is stored, none
// is refused, and the over-range reading is kept with its flag.
func TestRunFeedsTheService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewFake(ref)
		reg := registry.NewService(db, clk)
		if _, err := demo.Load(ctx, db, reg, auth.NewService(db, clk, auth.Options{}), ref); err != nil {
			t.Fatal(err)
		}
		tel := telemetry.NewService(db, clk, reg, telemetry.Options{})
		defer tel.Close()
		var over simulate.Episode
		for _, e := range simulate.New(demoSpecs(), 7, ref).Episodes() {
			if e.Kind == simulate.EpisodeOverRange {
				over = e
			}
		}
		m, err := reg.MineByCode(ctx, over.Mine)
		if err != nil {
			t.Fatal(err)
		}
		spec := simulate.SpecOf(m)
		if _, _, err := tel.UpsertPoints(ctx, auth.System, m.ID, simulate.PointsFor(spec), "simulator"); err != nil {
			t.Fatal(err)
		}

		var mu sync.Mutex
		var errs []error
		var latest time.Time
		sink := simulate.IngestSink(tel, reg, "simulator")
		watched := func(ctx context.Context, code string, b telemetry.Batch) error {
			err := sink(ctx, code, b)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			}
			if last, _ := time.Parse(time.RFC3339, b.Samples[len(b.Samples)-1].Time); last.After(latest) {
				latest = last
			}
			return err
		}
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() {
			done <- simulate.Run(runCtx, watched, simulate.Options{Mines: []simulate.MineSpec{spec}, Seed: 7, Start: ref, Clock: clk, Period: time.Millisecond, Log: quiet})
		}()
		// Move the clock a report at a time once the runner has sent up to it.
		end := ref.Add(over.Offset + time.Minute)
		for {
			deadline := time.Now().Add(10 * time.Second)
			for {
				mu.Lock()
				caught := !latest.Before(clk.Now())
				mu.Unlock()
				if caught {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the runner did not send up to %s", clk.Now())
				}
				time.Sleep(time.Millisecond)
			}
			if !clk.Now().Before(end) {
				break
			}
			clk.Advance(10 * time.Second)
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not stop when its context ended")
		}
		if len(errs) > 0 {
			t.Fatalf("%d batches failed, first: %v", len(errs), errs[0])
		}

		sim := simulate.New([]simulate.MineSpec{spec}, 7, ref)
		want := countSamples(sim.Snapshot(ref)) + countSamples(sim.Batches(ref, end))
		got, err := tel.Samples().Count(ctx)
		if err != nil || got != int64(want) {
			t.Fatalf("stored %d samples (%v), want %d", got, err, want)
		}
		var refused int
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM rejected_samples`).Scan(&refused); err != nil || refused != 0 {
			t.Fatalf("%d samples refused (%v)", refused, err)
		}
		pts, _, err := tel.ListPoints(ctx, auth.System, m.ID, httpx.ListParams{Limit: 100}, "methane")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pts {
			if p.Code != over.Point {
				continue
			}
			at := ref.Add(over.Offset)
			ss, err := tel.Samples().Range(ctx, p.ID, at, at.Add(over.Duration), 10)
			if err != nil || len(ss) != 1 || ss[0].Value != over.Peak || ss[0].Status&telemetry.StatusOverRange == 0 {
				t.Fatalf("over-range reading stored as %+v (%v)", ss, err)
			}
			return
		}
		t.Fatalf("no point %s", over.Point)
	})
}

func TestRunRefusesNothingToDo(t *testing.T) {
	if err := simulate.Run(context.Background(), nil, simulate.Options{}); err == nil {
		t.Fatal("Run without mines did not fail")
	}
}
