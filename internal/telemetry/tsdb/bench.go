package tsdb

import (
	"context"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"minesafe/internal/store"
	"minesafe/internal/telemetry"
)

// Report is what Bench measured.
type Report struct {
	Dialect        string        `json:"dialect"`
	Samples        int64         `json:"samples"`         // stored, the 30-day series included
	Points         int           `json:"points"`          // 1 Hz points of the main load
	Batch          int           `json:"batch"`           // samples per Append (one mine's points at one second)
	Senders        int           `json:"senders"`         // concurrent senders through one telemetry.Writer
	AppendSeconds  float64       `json:"append_seconds"`  // the main load, compaction running beside it
	SamplesPerSec  float64       `json:"samples_per_sec"` // of the main load
	Deciles        []float64     `json:"deciles"`         // samples/s of each tenth of the main load
	CompactSeconds float64       `json:"compact_seconds"` // the final Compact (closing every open chunk)
	Bytes          int64         `json:"bytes"`           // growth of the database after compaction and checkpoint
	BytesPerSample float64       `json:"bytes_per_sample"`
	Query30d       time.Duration `json:"query_30d"` // median: 30 days of a 10 s point in ~500 buckets
	Query30dItems  int           `json:"query_30d_buckets"`
}

func (r Report) String() string {
	dec := make([]string, len(r.Deciles))
	for i, d := range r.Deciles {
		dec[i] = fmt.Sprintf("%.0fk", d/1000)
	}
	return fmt.Sprintf("%s: %d samples (%d points at 1 Hz in batches of %d from %d senders): %.0f samples/s (tenths: %s); final compaction %.1fs; %d bytes = %.2f bytes/sample; 30-day chart of a 10 s point: %v for %d buckets",
		r.Dialect, r.Samples, r.Points, r.Batch, r.Senders, r.SamplesPerSec, strings.Join(dec, " "), r.CompactSeconds, r.Bytes, r.BytesPerSample, r.Query30d.Round(10*time.Microsecond), r.Query30dItems)
}

// Bench measures the bare store on db (migrated, preferably empty) with n
// samples: points at 1 Hz, each batch one mine's 300 points at one second
// (the order a server receives them), sent by 8 senders through a
// telemetry.Writer with the store's background compaction running; then a
// final Compact, a checkpoint of the database and the size growth; then
// the 30-day chart of a 10 s point. Point ids start at 1<<40 so as not to
// meet real points; run it on a scratch database.
func Bench(ctx context.Context, db *store.DB, n int) (Report, error) {
	const (
		batch   = 300
		senders = 8
		pointID = int64(1) << 40
	)
	rep := Report{Dialect: string(db.Dialect), Batch: batch, Senders: senders}
	mines := max(1, min(40, n/(batch*600))) // at least 10 minutes of data
	rep.Points = mines * batch
	seconds := n / rep.Points
	if seconds < 1 {
		return rep, fmt.Errorf("tsdb: bench: n must be at least %d", rep.Points)
	}
	before, err := dbSize(ctx, db)
	if err != nil {
		return rep, err
	}
	// A shard of its own: never the staging rows of a server on the same
	// database (use a scratch database all the same: the data stays).
	s, err := Open(db, Options{Retention: -1, RetainEvery: -1, Shard: benchShard})
	if err != nil {
		return rep, err
	}
	now := time.Now().Truncate(time.Second)

	// The 30-day series, in one-day batches.
	const chartPoint = pointID - 1
	day := 8640
	for d := 0; d < 30; d++ {
		b := make([]telemetry.Sample, day)
		for i := range b {
			at := now.Add(-30*24*time.Hour + time.Duration(d*day+i)*10*time.Second)
			b[i] = telemetry.Sample{PointID: chartPoint, Time: at, Value: benchValue(chartPoint, at.Unix())}
		}
		if _, err := s.Append(ctx, b); err != nil {
			return rep, err
		}
	}

	runCtx, stop := context.WithCancel(ctx)
	s.Start(runCtx)
	w := telemetry.NewWriter(s, 0)
	start := now.Add(-time.Duration(seconds) * time.Second)
	var done sync.WaitGroup
	var errMu sync.Mutex
	var firstErr error
	progress := make([]int64, senders)
	stamps := make([]time.Time, 0, 11)
	began := time.Now()
	for g := 0; g < senders; g++ {
		done.Add(1)
		go func(g int) {
			defer done.Done()
			buf := make([]telemetry.Sample, batch)
			for sec := 0; sec < seconds; sec++ {
				at := start.Add(time.Duration(sec) * time.Second)
				for m := g; m < mines; m += senders {
					for i := range buf {
						p := pointID + int64(m*batch+i)
						buf[i] = telemetry.Sample{PointID: p, Time: at, Value: benchValue(p, at.Unix())}
					}
					if _, err := w.Append(ctx, buf); err != nil {
						errMu.Lock()
						firstErr = err
						errMu.Unlock()
						return
					}
				}
				errMu.Lock()
				progress[g] = int64(sec + 1)
				errMu.Unlock()
			}
		}(g)
	}
	// Time each tenth of the load by the slowest sender's progress.
	finished := make(chan struct{})
	go func() { done.Wait(); close(finished) }()
	tick := time.NewTicker(20 * time.Millisecond)
	next := 1
	stamps = append(stamps, began)
watch:
	for {
		select {
		case <-finished:
			break watch
		case <-tick.C:
			errMu.Lock()
			low := progress[0]
			for _, p := range progress {
				low = min(low, p)
			}
			errMu.Unlock()
			for next <= 10 && low*10 >= int64(seconds*next) {
				stamps = append(stamps, time.Now())
				next++
			}
		}
	}
	tick.Stop()
	end := time.Now()
	for len(stamps) < 11 {
		stamps = append(stamps, end)
	}
	w.Close()
	stop()
	s.Close()
	if firstErr != nil {
		return rep, firstErr
	}
	main := int64(seconds) * int64(rep.Points)
	rep.AppendSeconds = end.Sub(began).Seconds()
	rep.SamplesPerSec = float64(main) / rep.AppendSeconds
	for i := 1; i <= 10; i++ {
		if d := stamps[i].Sub(stamps[i-1]).Seconds(); d > 0 {
			rep.Deciles = append(rep.Deciles, float64(main)/10/d)
		}
	}
	t0 := time.Now()
	if _, err := s.Compact(ctx); err != nil {
		return rep, err
	}
	rep.CompactSeconds = time.Since(t0).Seconds()
	rep.Samples = main + 30*int64(day)
	after, err := dbSize(ctx, db)
	if err != nil {
		return rep, err
	}
	rep.Bytes = after - before
	rep.BytesPerSample = float64(rep.Bytes) / float64(rep.Samples)

	var lat []time.Duration
	for i := 0; i < 7; i++ {
		q := time.Now()
		bs, err := s.Buckets(ctx, chartPoint, now.Add(-30*24*time.Hour), now, (30 * 24 * time.Hour / 500).Truncate(time.Second))
		if err != nil {
			return rep, err
		}
		lat = append(lat, time.Since(q))
		rep.Query30dItems = len(bs)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	rep.Query30d = lat[len(lat)/2]
	return rep, nil
}

const benchShard = -7007

// benchValue is a methane-like reading: a level per point, a slow wave and
// noise, rounded to two decimals, as sensors send.
func benchValue(p, sec int64) float64 {
	h := uint64(p)*0x9E3779B97F4A7C15 ^ uint64(sec)*0xBF58476D1CE4E5B9
	h ^= h >> 31
	h *= 0x94D049BB133111EB
	h ^= h >> 29
	noise := (float64(h>>11)/(1<<53) - 0.5) * 0.04
	level := 0.2 + float64(p%50)/20 + 0.05*math.Sin(float64(sec)/600+float64(p))
	return math.Round((level+noise)*100) / 100
}

// dbSize is what the store's data takes: on SQLite the database file after
// a WAL checkpoint (everything in it counts), on PostgreSQL the tsdb
// tables of the current schema with their indexes and TOAST, after a
// vacuum of the staging table.
func dbSize(ctx context.Context, db *store.DB) (int64, error) {
	if db.Dialect == store.SQLite {
		if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			return 0, err
		}
		var file string
		if err := db.QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&file); err != nil {
			return 0, err
		}
		fi, err := os.Stat(file)
		if err != nil {
			return 0, err
		}
		return fi.Size(), nil
	}
	if _, err := db.ExecContext(ctx, `VACUUM tsdb_staged`); err != nil {
		return 0, err
	}
	var n int64
	err := db.QueryRowContext(ctx, `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c
		JOIN pg_namespace ns ON ns.oid = c.relnamespace
		WHERE ns.nspname = current_schema() AND c.relkind = 'r' AND c.relname LIKE 'tsdb%'`).Scan(&n)
	return n, err
}
