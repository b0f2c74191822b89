package tsdb

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"minesafe/internal/events"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
	"minesafe/internal/telemetry"
)

// fakeNow is a settable clock for the store's idle rule.
type fakeNow struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeNow) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }
func (f *fakeNow) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

var t2026 = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func open(t testing.TB, db *store.DB, opt Options) *Store {
	t.Helper()
	s, err := Open(db, opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// smallOptions make chunks close often, so that tests cross every path.
func smallOptions(clk *fakeNow) Options {
	return Options{ChunkSamples: 8, MaxSpan: 10 * time.Minute, Settle: 5 * time.Minute, Now: clk.Now}
}

func ts(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// checkChunks verifies the invariants of every chunk row: sorted distinct
// times, t0 the first sample's minute, span within MaxSpan, a point's
// chunks disjoint, n and the minute statistics true to the samples.
func checkChunks(t *testing.T, s *Store) {
	t.Helper()
	rows, err := s.db.Query(context.Background(), `SELECT point_id, t0, n, data, agg FROM tsdb_chunks ORDER BY point_id, t0`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	prevPoint, prevLast := int64(-1), int64(0)
	for rows.Next() {
		var p, t0 int64
		var n int
		var data, agg []byte
		if err := rows.Scan(&p, &t0, &n, &data, &agg); err != nil {
			t.Fatal(err)
		}
		c, err := DecodeChunk(data)
		if err != nil || len(c) != n || n == 0 {
			t.Fatalf("chunk %d/%d: %d samples of %d: %v", p, t0, len(c), n, err)
		}
		for i := 1; i < len(c); i++ {
			if c[i].T <= c[i-1].T {
				t.Fatalf("chunk %d/%d: times not increasing at %d", p, t0, i)
			}
		}
		if floorMinute(c[0].T) != t0 || c[len(c)-1].T >= t0+s.opt.MaxSpan.Milliseconds() {
			t.Fatalf("chunk %d/%d spans %d..%d", p, t0, c[0].T, c[len(c)-1].T)
		}
		if p == prevPoint && c[0].T <= prevLast {
			t.Fatalf("chunks of point %d overlap at %d", p, t0)
		}
		prevPoint, prevLast = p, c[len(c)-1].T
		mins, err := decodeMinutes(nil, agg)
		want := naiveMinutes(c)
		if err != nil || len(mins) != len(want) {
			t.Fatalf("chunk %d/%d: minutes %v", p, t0, err)
		}
		for i := range want {
			if mins[i].T != want[i].T || mins[i].Count != want[i].Count || mins[i].Min != want[i].Min || mins[i].Max != want[i].Max {
				t.Fatalf("chunk %d/%d minute %d: %+v, want %+v", p, t0, i, mins[i], want[i])
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// TestSameAsSQLSamples drives the row-per-sample store and this one with
// the same random appends (in-order data, resends with other values,
// repeats within a batch, back-fills, late samples), compactions and
// restarts, and compares every answer.
func TestSameAsSQLSamples(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &fakeNow{t: t2026}
		ref := telemetry.NewSQLSamples(db)
		s := open(t, db, smallOptions(clk))
		r := rand.New(rand.NewPCG(42, uint64(len(db.Dialect))))
		points := []int64{11, 12, 13, 14}
		period := map[int64]int64{11: 1000, 12: 10_000, 13: 30_000, 14: 7_000}
		next := map[int64]int64{}
		base := t2026.Add(-2 * time.Hour).UnixMilli()
		for _, p := range points {
			next[p] = base
		}
		var sent []telemetry.Sample
		for round := 0; round < 160; round++ {
			var batch []telemetry.Sample
			for k := 0; k < 1+r.IntN(40); k++ {
				p := points[r.IntN(len(points))]
				var at int64
				switch c := r.IntN(20); {
				case c < 14 || len(sent) == 0: // in order
					next[p] += period[p]
					at = next[p]
				case c < 16: // resend of something sent, maybe another value
					old := sent[r.IntN(len(sent))]
					v := old.Value
					if r.IntN(2) == 0 {
						v += 1
					}
					batch = append(batch, telemetry.Sample{PointID: old.PointID, Time: old.Time, Value: v, Status: 1})
					continue
				case c < 18: // late: a gap in the past, off the grid
					at = base + r.Int64N(next[p]-base+1) + 1 + r.Int64N(999)
				default: // far back-fill
					at = base - r.Int64N(int64(24*time.Hour/time.Millisecond))
				}
				v := math.Round(r.Float64()*300) / 100
				batch = append(batch, telemetry.Sample{PointID: p, Time: ts(at), Value: v, Status: []int{0, 0, 0, 8}[r.IntN(4)]})
				if r.IntN(10) == 0 { // repeated within the batch
					batch = append(batch, telemetry.Sample{PointID: p, Time: ts(at), Value: v + 2})
				}
			}
			want, err := ref.Append(ctx, batch)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Append(ctx, batch)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("round %d: duplicates %v, want %v", round, got, want)
			}
			sent = append(sent, batch...)
			clk.Advance(time.Duration(r.IntN(90)) * time.Second)
			switch r.IntN(12) {
			case 0, 1, 2:
				if _, err := s.compact(ctx, false); err != nil {
					t.Fatal(err)
				}
			case 3:
				if _, err := s.Compact(ctx); err != nil {
					t.Fatal(err)
				}
			case 4: // restart
				s = open(t, db, smallOptions(clk))
			}
			if round%10 == 9 {
				compareQueries(t, ref, s, points, base-int64(25*time.Hour/time.Millisecond), next, r)
				checkChunks(t, s)
			}
		}
		if _, err := s.Compact(ctx); err != nil {
			t.Fatal(err)
		}
		compareQueries(t, ref, s, points, base-int64(25*time.Hour/time.Millisecond), next, r)
		checkChunks(t, s)
		var staged int
		db.QueryRow(ctx, `SELECT COUNT(*) FROM tsdb_staged`).Scan(&staged)
		if staged != 0 || s.live != 0 || s.dead != 0 {
			t.Fatalf("after Compact: %d staged rows, live %d, dead %d", staged, s.live, s.dead)
		}
	})
}

func compareQueries(t *testing.T, ref telemetry.SampleStore, s *Store, points []int64, lo int64, next map[int64]int64, r *rand.Rand) {
	t.Helper()
	ctx := context.Background()
	n1, err1 := ref.Count(ctx)
	n2, err2 := s.Count(ctx)
	if err1 != nil || err2 != nil || n1 != n2 {
		t.Fatalf("count %d, want %d (%v %v)", n2, n1, err2, err1)
	}
	l1, _ := ref.Latest(ctx, append(points, 999))
	l2, err := s.Latest(ctx, append(points, 999))
	if err != nil || len(l1) != len(l2) {
		t.Fatalf("latest %v, want %v (%v)", l2, l1, err)
	}
	for p, x := range l1 {
		if l2[p] != x {
			t.Fatalf("latest of %d: %+v, want %+v", p, l2[p], x)
		}
	}
	for _, p := range points {
		hi := next[p] + 1
		for k := 0; k < 4; k++ {
			from := lo + r.Int64N(hi-lo)
			to := from + r.Int64N(hi-from+1)
			if k == 0 {
				from, to = lo, hi
			}
			limit := []int{1, 7, 100, 100000}[r.IntN(4)]
			a, _ := ref.Range(ctx, p, ts(from), ts(to), limit)
			b, err := s.Range(ctx, p, ts(from), ts(to), limit)
			if err != nil || !slices.Equal(a, b) {
				t.Fatalf("range %d [%d,%d) limit %d: %d samples, want %d (%v)", p, from, to, limit, len(b), len(a), err)
			}
			step := []time.Duration{time.Second, 7 * time.Second, time.Minute, 10 * time.Minute, 5184 * time.Second, 24 * time.Hour}[r.IntN(6)]
			ba, _ := ref.Buckets(ctx, p, ts(from), ts(to), step)
			bb, err := s.Buckets(ctx, p, ts(from), ts(to), step)
			if err != nil || len(ba) != len(bb) {
				t.Fatalf("buckets %d step %v: %d, want %d (%v)", p, step, len(bb), len(ba), err)
			}
			for i := range ba {
				x, y := ba[i], bb[i]
				if !x.Time.Equal(y.Time) || x.Count != y.Count || x.Min != y.Min || x.Max != y.Max || math.Abs(x.Avg-y.Avg) > 1e-9*math.Max(1, math.Abs(x.Avg)) {
					t.Fatalf("bucket %d of %d step %v: %+v, want %+v", i, p, step, y, x)
				}
			}
		}
	}
}

// TestLateAndBackfill: samples older than the chunks merge into them (or
// make new chunks in the gaps), resends of compacted samples are reported,
// and restarts in between change nothing.
func TestLateAndBackfill(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &fakeNow{t: t2026}
		s := open(t, db, smallOptions(clk))
		base := t2026.Add(-time.Hour).UnixMilli()
		var in []telemetry.Sample
		for i := int64(0); i < 100; i += 2 { // every other 10 s
			in = append(in, telemetry.Sample{PointID: 1, Time: ts(base + i*10_000), Value: float64(i)})
		}
		if d, err := s.Append(ctx, in); err != nil || d != nil {
			t.Fatal(d, err)
		}
		if _, err := s.Compact(ctx); err != nil {
			t.Fatal(err)
		}
		// Fill the gaps, resend some, back-fill a day before.
		var fill []telemetry.Sample
		for i := int64(1); i < 100; i += 2 {
			fill = append(fill, telemetry.Sample{PointID: 1, Time: ts(base + i*10_000), Value: float64(i)})
		}
		fill = append(fill, telemetry.Sample{PointID: 1, Time: ts(base + 20_000), Value: 77})
		for i := int64(0); i < 30; i++ {
			fill = append(fill, telemetry.Sample{PointID: 1, Time: ts(base - 86_400_000 + i*60_000), Value: -float64(i)})
		}
		d, err := s.Append(ctx, fill)
		if err != nil || len(d) != 1 || d[0].Index != 50 || d[0].Existing != 2 {
			t.Fatalf("duplicates %v %v", d, err)
		}
		s = open(t, db, smallOptions(clk))
		if _, err := s.Compact(ctx); err != nil {
			t.Fatal(err)
		}
		checkChunks(t, s)
		got, err := s.Range(ctx, 1, ts(base-86_400_000), ts(base+1_000_000), 1000)
		if err != nil || len(got) != 130 {
			t.Fatalf("range: %d samples, %v", len(got), err)
		}
		for i := 0; i < 100; i++ {
			if x := got[30+i]; x.Value != float64(i) || x.Time.UnixMilli() != base+int64(i)*10_000 {
				t.Fatalf("sample %d: %+v", i, x)
			}
		}
		// A resend of everything is all duplicates.
		d, err = s.Append(ctx, append(in, fill...))
		if err != nil || len(d) != len(in)+len(fill) {
			t.Fatalf("resend: %d duplicates of %d, %v", len(d), len(in)+len(fill), err)
		}
		if n, _ := s.Count(ctx); n != 130 {
			t.Fatalf("count %d", n)
		}
	})
}

// TestIdleClose: an open chunk stays staged until the point has been
// silent for Settle, then moves; a later sample starts a new chunk.
func TestIdleClose(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &fakeNow{t: t2026}
		s := open(t, db, smallOptions(clk))
		at := t2026.UnixMilli()
		s.Append(ctx, []telemetry.Sample{{PointID: 5, Time: ts(at), Value: 1}, {PointID: 5, Time: ts(at + 1000), Value: 2}})
		if n, _ := s.compact(ctx, false); n != 0 {
			t.Fatalf("moved %d samples of an open chunk", n)
		}
		clk.Advance(6 * time.Minute)
		if n, _ := s.compact(ctx, false); n != 2 {
			t.Fatalf("moved %d samples of an idle chunk", n)
		}
		s.Append(ctx, []telemetry.Sample{{PointID: 5, Time: ts(at + 2000), Value: 3}})
		clk.Advance(6 * time.Minute)
		s.compact(ctx, false)
		checkChunks(t, s)
		var chunks int
		db.QueryRow(ctx, `SELECT COUNT(*) FROM tsdb_chunks`).Scan(&chunks)
		if chunks != 1 {
			// The third sample shares the minute of the first chunk: it is
			// late and merges into it.
			t.Fatalf("%d chunks", chunks)
		}
	})
}

// TestCheckpoint: points of different rates share staging rows, and a
// row stays until its slowest point's chunk closes; once the rows mostly
// hold samples already in chunks they are rewritten, and a restart
// recovers exactly the staged samples.
func TestCheckpoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &fakeNow{t: t2026}
		opt := smallOptions(clk)
		opt.ChunkSamples, opt.MaxSpan = 30, 3*time.Hour
		s := open(t, db, opt)
		s.checkpointMin = 10
		ref := telemetry.NewSQLSamples(db)
		base := t2026.Add(-time.Hour).UnixMilli()
		for sec := int64(0); sec < 25*60; sec += 10 {
			var batch []telemetry.Sample
			for i := int64(0); i < 10; i++ {
				for p := int64(1); p <= 20; p++ {
					batch = append(batch, telemetry.Sample{PointID: p, Time: ts(base + (sec+i)*1000), Value: float64((sec + i + p) % 7)})
				}
			}
			if sec%60 == 0 { // a slow point in every sixth row
				batch = append(batch, telemetry.Sample{PointID: 99, Time: ts(base + sec*1000), Value: 1})
			}
			ref.Append(ctx, batch)
			if _, err := s.Append(ctx, batch); err != nil {
				t.Fatal(err)
			}
			if _, err := s.compact(ctx, false); err != nil {
				t.Fatal(err)
			}
		}
		var rows int
		db.QueryRow(ctx, `SELECT COUNT(*) FROM tsdb_staged`).Scan(&rows)
		if st := s.Stats(); st.Checkpoints == 0 || s.dead > s.live {
			t.Fatalf("no checkpoint: %d rows, live %d, dead %d", rows, s.live, s.dead)
		}
		live := s.live
		s = open(t, db, opt)
		if s.live != live {
			t.Fatalf("recovered %d staged samples, want %d", s.live, live)
		}
		next := map[int64]int64{}
		for p := int64(1); p <= 20; p++ {
			next[p] = base + 1500_000
		}
		next[99] = next[1]
		compareQueries(t, ref, s, slices.Sorted(maps.Keys(next)), base, next, rand.New(rand.NewPCG(1, 1)))
	})
}

// TestRetention: whole months go, their minutes stay for Buckets, the run
// is an event, and late samples for a removed month are dropped.
func TestRetention(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &fakeNow{t: t2026}
		opt := smallOptions(clk)
		opt.Retention = 30 * 24 * time.Hour
		s := open(t, db, opt)
		var in []telemetry.Sample
		for d := 0; d < 120; d++ { // a sample every 4 h for 120 days
			for h := 0; h < 24; h += 4 {
				at := t2026.AddDate(0, 0, -120+d).Add(time.Duration(h) * time.Hour)
				in = append(in, telemetry.Sample{PointID: 7, Time: at, Value: float64(d)})
			}
		}
		if _, err := s.Append(ctx, in); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Compact(ctx); err != nil {
			t.Fatal(err)
		}
		// A run that removes nothing (it still moves the horizon) writes
		// no event.
		if r, err := s.Retain(ctx, t2026.AddDate(0, -6, 0)); err != nil || r.Chunks != 0 {
			t.Fatalf("early run %+v %v", r, err)
		}
		before := t2026.AddDate(0, 0, -30) // 2026-05-02
		r, err := s.Retain(ctx, before)
		if err != nil {
			t.Fatal(err)
		}
		// Months ending before 2026-05-02 minus MaxSpan: Feb, Mar, Apr.
		if !r.Cutoff.Equal(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)) || r.Chunks == 0 {
			t.Fatalf("retention %+v", r)
		}
		var old int64
		for _, x := range in {
			if x.Time.Before(r.Cutoff) {
				old++
			}
		}
		if r.Samples != old {
			t.Fatalf("removed %d samples, want %d", r.Samples, old)
		}
		if db.Dialect == store.Postgres && len(r.Partitions) != 3 {
			t.Fatalf("partitions %v", r.Partitions)
		}
		if n, _ := s.Count(ctx); n != int64(len(in))-old {
			t.Fatalf("count %d", n)
		}
		raw, _ := s.Range(ctx, 7, t2026.AddDate(-1, 0, 0), t2026, 100000)
		if int64(len(raw)) != int64(len(in))-old || raw[0].Time.Before(r.Cutoff) {
			t.Fatalf("range after retention: %d", len(raw))
		}
		// Daily buckets over all 120 days: minutes beyond the cutoff.
		bs, err := s.Buckets(ctx, 7, t2026.AddDate(0, 0, -120), t2026, 24*time.Hour)
		if err != nil || len(bs) != 120 || bs[0].Count != 6 || bs[0].Avg != 0 || bs[119].Max != 119 {
			t.Fatalf("buckets %d %v %+v", len(bs), err, bs[0])
		}
		evs, _, err := events.List(ctx, db, events.Filter{RecordType: "retention"})
		if err != nil || len(evs) != 1 || evs[0].Action != "purge" {
			t.Fatalf("events %+v %v", evs, err)
		}
		// Again: nothing more to remove, no event.
		if r2, err := s.Retain(ctx, before); err != nil || r2.Chunks != 0 {
			t.Fatalf("second run %+v %v", r2, err)
		}
		// A late sample of a removed month is dropped by compaction.
		s.Append(ctx, []telemetry.Sample{{PointID: 7, Time: t2026.AddDate(0, -3, 0).Add(time.Minute), Value: 5}})
		s.Compact(ctx)
		if n, _ := s.Count(ctx); n != int64(len(in))-old {
			t.Fatalf("count after a late sample %d", n)
		}
		// A restart knows the horizon.
		s = open(t, db, opt)
		if s.horizon != r.Cutoff.UnixMilli() {
			t.Fatalf("horizon %d", s.horizon)
		}
		if _, err := s.RetainMinutes(ctx, t2026.AddDate(0, -2, 0)); err != nil {
			t.Fatal(err)
		}
		bs, _ = s.Buckets(ctx, 7, t2026.AddDate(0, 0, -120), t2026, 24*time.Hour)
		if len(bs) >= 120 || bs[0].Time.Before(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("minute retention left %d buckets from %v", len(bs), bs[0].Time)
		}
	})
}

// TestConcurrent runs appends, queries and compaction at once (go test
// -race finds what this misses).
func TestConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &fakeNow{t: t2026}
		s := open(t, db, smallOptions(clk))
		w := telemetry.NewWriter(s, 0)
		base := t2026.Add(-time.Hour).UnixMilli()
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := int64(0); i < 200; i++ {
					batch := []telemetry.Sample{}
					for p := int64(0); p < 5; p++ {
						batch = append(batch, telemetry.Sample{PointID: int64(g)*10 + p, Time: ts(base + i*1000), Value: float64(i)})
					}
					if i%20 == 0 { // a resend
						batch = append(batch, telemetry.Sample{PointID: int64(g) * 10, Time: ts(base + i*500), Value: 1})
					}
					if _, err := w.Append(ctx, batch); err != nil {
						t.Error(err)
						return
					}
				}
			}(g)
		}
		var bg sync.WaitGroup
		bg.Add(2)
		go func() {
			defer bg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.compact(ctx, false); err != nil {
					t.Error(err)
				}
				clk.Advance(time.Second)
			}
		}()
		go func() {
			defer bg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				for g := int64(0); g < 4; g++ {
					got, err := s.Range(ctx, g*10+1, ts(base), ts(base+300_000), 1000)
					if err != nil {
						t.Error(err)
					}
					for i := 1; i < len(got); i++ {
						if !got[i].Time.After(got[i-1].Time) {
							t.Errorf("range not increasing at %d", i)
						}
					}
				}
			}
		}()
		wg.Wait()
		w.Close()
		close(stop)
		bg.Wait()
		if _, err := s.Compact(ctx); err != nil {
			t.Fatal(err)
		}
		checkChunks(t, s)
		if n, _ := s.Count(ctx); n != 4*5*200 { // the resends were all duplicates
			t.Fatalf("count %d", n)
		}
	})
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestLostCommit: a compaction whose commit succeeded but whose answer was
// lost (the head not updated) is replayed harmlessly by the next one.
func TestLostCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &fakeNow{t: t2026}
		s := open(t, db, smallOptions(clk))
		ref := telemetry.NewSQLSamples(db)
		base := t2026.Add(-time.Hour).UnixMilli()
		add := func(from, to, step int64) {
			var b []telemetry.Sample
			for at := from; at < to; at += step {
				b = append(b, telemetry.Sample{PointID: 3, Time: ts(base + at), Value: float64(at%9000) / 100})
			}
			ref.Append(ctx, b)
			if _, err := s.Append(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		add(0, 600_000, 2000)
		s.Compact(ctx)
		add(1000, 600_000, 4000) // late, into the chunks
		add(600_000, 900_000, 1000)
		// Snapshot the head, compact, put the head back.
		type saved struct {
			head     []headSample
			sealedTo int64
		}
		snap := map[*series]saved{}
		for _, se := range s.series {
			snap[se] = saved{slices.Clone(se.head), se.sealedTo}
		}
		slots, free, live, dead, active := slices.Clone(s.slots), slices.Clone(s.free), s.live, s.dead, slices.Clone(s.active)
		if _, err := s.Compact(ctx); err != nil {
			t.Fatal(err)
		}
		for se, v := range snap {
			se.head, se.sealedTo, se.active = v.head, v.sealedTo, false
		}
		for _, se := range active {
			se.active = true
		}
		s.slots, s.free, s.live, s.dead, s.active = slots, free, live, dead, active
		if _, err := s.Compact(ctx); err != nil {
			t.Fatalf("replayed compaction: %v", err)
		}
		checkChunks(t, s)
		compareQueries(t, ref, s, []int64{3}, base, map[int64]int64{3: base + 900_000}, rand.New(rand.NewPCG(2, 2)))
	})
}

// TestReaderView: a second Store opened beside the owner, without Run or
// Compact, sees the staged and compacted samples and writes nothing.
func TestReaderView(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &fakeNow{t: t2026}
		owner := open(t, db, smallOptions(clk))
		base := t2026.Add(-time.Hour).UnixMilli()
		var b []telemetry.Sample
		for i := int64(0); i < 500; i++ {
			b = append(b, telemetry.Sample{PointID: 1 + i%3, Time: ts(base + i*1000), Value: float64(i)})
		}
		owner.Append(ctx, b[:300])
		owner.compact(ctx, false) // rows partly in chunks stay
		owner.Append(ctx, b[300:])
		var rowsBefore int
		db.QueryRow(ctx, `SELECT COUNT(*) FROM tsdb_staged`).Scan(&rowsBefore)
		reader := open(t, db, smallOptions(clk))
		var rowsAfter int
		db.QueryRow(ctx, `SELECT COUNT(*) FROM tsdb_staged`).Scan(&rowsAfter)
		if rowsAfter != rowsBefore {
			t.Fatalf("Open changed the staging rows: %d, then %d", rowsBefore, rowsAfter)
		}
		for p := int64(1); p <= 3; p++ {
			a, _ := owner.Range(ctx, p, ts(base), ts(base+600_000), 1000)
			r, err := reader.Range(ctx, p, ts(base), ts(base+600_000), 1000)
			if err != nil || !slices.Equal(a, r) || len(a) < 166 {
				t.Fatalf("point %d: reader %d samples, owner %d (%v)", p, len(r), len(a), err)
			}
		}
		n1, _ := owner.Count(ctx)
		n2, _ := reader.Count(ctx)
		if n1 != 500 || n2 != 500 {
			t.Fatalf("count owner %d reader %d", n1, n2)
		}
	})
}

// TestMonthCrossing: a late merge cuts a chunk anew so that a part starts
// in the next month, whose partition nothing created before.
func TestMonthCrossing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &fakeNow{t: t2026}
		s := open(t, db, Options{Now: clk.Now})
		start := time.Date(2025, 1, 31, 23, 50, 0, 0, time.UTC).UnixMilli()
		var b []telemetry.Sample
		for i := int64(0); i <= 40; i++ { // a sample a minute across midnight
			b = append(b, telemetry.Sample{PointID: 1, Time: ts(start + i*60_000), Value: float64(i)})
		}
		s.Append(ctx, b)
		s.Compact(ctx)
		// Then 240 late samples in its last two January minutes: cut anew,
		// the chunk's third part starts at midnight.
		var late []telemetry.Sample
		for i := int64(0); i < 240; i++ {
			late = append(late, telemetry.Sample{PointID: 1, Time: ts(start + 8*60_000 + 1 + i*500), Value: 1})
		}
		if _, err := s.Append(ctx, late); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Compact(ctx); err != nil {
			t.Fatal(err)
		}
		checkChunks(t, s)
		got, _ := s.Range(ctx, 1, ts(start), ts(start+3_600_000), 1000)
		if len(got) != 281 {
			t.Fatalf("%d samples", len(got))
		}
		var feb int
		db.QueryRow(ctx, `SELECT COUNT(*) FROM tsdb_chunks WHERE t0 = ?`, time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC).UnixMilli()).Scan(&feb)
		if feb != 1 {
			t.Fatalf("no chunk starts at midnight")
		}
	})
}

func TestTimeRange(t *testing.T) {
	db := storetest.SQLite(t)
	s := open(t, db, Options{})
	_, err := s.Append(context.Background(), []telemetry.Sample{{PointID: 1, Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}})
	if !errors.Is(err, ErrTimeRange) {
		t.Fatalf("year 10000: %v", err)
	}
	if _, err := s.Append(context.Background(), []telemetry.Sample{{PointID: 1, Time: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)}}); err != nil {
		t.Fatalf("year 0: %v", err)
	}
}
