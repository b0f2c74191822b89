package tsdb

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"minesafe/internal/telemetry"
)

// Queries read the point's staged samples (copied from the head under mu)
// first and the database second. Compaction commits chunks before it takes
// their samples out of the head, so a sample is always in one of the two
// reads, at worst in both: merges keep one of equal times.

func toTelemetry(point int64, x Sample) telemetry.Sample {
	return telemetry.Sample{PointID: point, Time: time.UnixMilli(x.T).UTC(), Value: x.V, Status: int(x.Status)}
}

// Range answers raw samples in [from, to), oldest first, at most limit.
func (s *Store) Range(ctx context.Context, pointID int64, from, to time.Time, limit int) ([]telemetry.Sample, error) {
	lo, hi := from.UnixMilli(), to.UnixMilli()
	out := []telemetry.Sample{}
	if limit <= 0 || lo >= hi {
		return out, nil
	}
	head := s.headRange(pointID, lo, hi)
	rows, err := s.db.Query(ctx, `SELECT data`+chunksFromSQL+` ORDER BY t0`, s.chunksArgs(pointID, lo, hi-1)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var buf []Sample
	h := 0
	emit := func(x Sample) bool {
		out = append(out, toTelemetry(pointID, x))
		return len(out) < limit
	}
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		if buf, err = appendDecoded(buf[:0], data); err != nil {
			return nil, fmt.Errorf("tsdb: chunk of point %d: %w", pointID, err)
		}
		for _, x := range buf {
			if x.T < lo || x.T >= hi {
				continue
			}
			for h < len(head) && head[h].T < x.T {
				if !emit(head[h]) {
					return out, nil
				}
				h++
			}
			if h < len(head) && head[h].T == x.T {
				h++
			}
			if !emit(x) {
				return out, nil
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for ; h < len(head); h++ {
		if !emit(head[h]) {
			break
		}
	}
	return out, nil
}

// bucketAcc gathers one bucket.
type bucketAcc struct {
	count    int64
	min, max float64
	sum      float64
}

func (b *bucketAcc) add(count int64, lo, hi, sum float64) {
	if b.count == 0 || lo < b.min {
		b.min = lo
	}
	if b.count == 0 || hi > b.max {
		b.max = hi
	}
	b.count += count
	b.sum += sum
}

// Buckets answers min/max/avg/count per step in [from, to), empty steps
// left out. A chunk whose minutes all fall in one bucket counts through its
// minute aggregates without decoding its samples; the others are decoded.
// Beyond the raw retention only minutes are left: each counts whole in the
// bucket where it starts.
func (s *Store) Buckets(ctx context.Context, pointID int64, from, to time.Time, step time.Duration) ([]telemetry.Bucket, error) {
	stepMS := step.Milliseconds()
	if stepMS <= 0 {
		return nil, fmt.Errorf("step must be positive")
	}
	lo, hi := from.UnixMilli(), to.UnixMilli()
	out := []telemetry.Bucket{}
	if lo >= hi {
		return out, nil
	}
	head := s.headRange(pointID, lo, hi)
	inHead := func(a, b int64) bool { // a staged sample in [a, b)?
		i := sort.Search(len(head), func(i int) bool { return head[i].T >= a })
		return i < len(head) && head[i].T < b
	}
	bucket := func(t int64) int64 { return floorDiv(t-lo, stepMS) }
	acc := map[int64]*bucketAcc{}
	get := func(b int64) *bucketAcc {
		a := acc[b]
		if a == nil {
			a = &bucketAcc{}
			acc[b] = a
		}
		return a
	}
	args := s.chunksArgs(pointID, lo, hi-1)
	args = append(args, pointID, hi-1, satAdd(lo, -s.opt.MaxSpan.Milliseconds()))
	// One statement reads both tables, so a retention run moving minutes
	// from one to the other is seen before or after, never half-way.
	rows, err := s.db.Query(ctx, `SELECT t0, data, agg`+chunksFromSQL+`
		UNION ALL SELECT t0, NULL, agg FROM tsdb_rollups WHERE point_id = ? AND t0 <= ? AND t0 > ?
		ORDER BY 1`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var raw []Sample
	var mins []Minute
	for rows.Next() {
		var t0 int64
		var data, agg []byte
		if err := rows.Scan(&t0, &data, &agg); err != nil {
			return nil, err
		}
		if mins, err = decodeMinutes(mins[:0], agg); err != nil {
			return nil, fmt.Errorf("tsdb: minutes of point %d at %d: %w", pointID, t0, err)
		}
		if len(mins) == 0 {
			continue
		}
		first, end := mins[0].T, mins[len(mins)-1].T+minuteMS
		whole := first >= lo && end <= hi && bucket(first) == bucket(end-1) && !inHead(first, end)
		if data == nil || whole {
			for _, m := range mins {
				if data == nil && (m.T < lo || m.T >= hi) {
					continue
				}
				get(bucket(m.T)).add(m.Count, m.Min, m.Max, m.Sum)
			}
			continue
		}
		if raw, err = appendDecoded(raw[:0], data); err != nil {
			return nil, fmt.Errorf("tsdb: chunk of point %d at %d: %w", pointID, t0, err)
		}
		for _, x := range raw {
			if x.T >= lo && x.T < hi && !inHead(x.T, x.T+1) {
				get(bucket(x.T)).add(1, x.V, x.V, x.V)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, x := range head {
		get(bucket(x.T)).add(1, x.V, x.V, x.V)
	}
	keys := make([]int64, 0, len(acc))
	for b := range acc {
		keys = append(keys, b)
	}
	slices.Sort(keys)
	for _, b := range keys {
		a := acc[b]
		out = append(out, telemetry.Bucket{Time: time.UnixMilli(lo + b*stepMS).UTC(), Min: a.min, Max: a.max,
			Avg: a.sum / float64(a.count), Count: int(a.count)})
	}
	return out, nil
}

// Latest answers the newest sample of each point that has one.
func (s *Store) Latest(ctx context.Context, pointIDs []int64) (map[int64]telemetry.Sample, error) {
	if err := s.load(ctx, pointIDs); err != nil {
		return nil, err
	}
	out := make(map[int64]telemetry.Sample, len(pointIDs))
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range pointIDs {
		if se := s.series[id]; se != nil && se.hasLast {
			out[id] = toTelemetry(id, se.last)
		}
	}
	return out, nil
}

// Count answers how many raw samples are stored: those in chunks and those
// staged by this store (in a cluster, other owners' staged samples are
// theirs to count).
func (s *Store) Count(ctx context.Context) (int64, error) {
	// No compaction step may commit between the two reads.
	s.compactMu.Lock()
	defer s.compactMu.Unlock()
	var n int64
	if err := s.db.QueryRow(ctx, `SELECT COALESCE(SUM(n), 0) FROM tsdb_chunks`).Scan(&n); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return n + s.live, nil
}
