package telemetry

import (
	"context"
	"fmt"
	"strings"
	"time"

	"minesafe/internal/store"
)

// SampleStore keeps samples. Append is durable when it returns: the
// samples are committed. A sample with the point and time of a stored one is
// not stored again (the first value wins); Append reports it as a duplicate.
// The storage-engine issue replaces the insides; this interface stays.
type SampleStore interface {
	Append(ctx context.Context, samples []Sample) ([]Duplicate, error)
	Range(ctx context.Context, pointID int64, from, to time.Time, limit int) ([]Sample, error)
	Buckets(ctx context.Context, pointID int64, from, to time.Time, step time.Duration) ([]Bucket, error)
	Latest(ctx context.Context, pointIDs []int64) (map[int64]Sample, error)
	Count(ctx context.Context) (int64, error)
}

// Duplicate is a sample whose point and time were already stored.
type Duplicate struct {
	Index    int     // index in the appended slice
	Existing float64 // the value that stays
}

// Bucket is the statistics of one time step of a series.
type Bucket struct {
	Time  time.Time `json:"time"`
	Min   float64   `json:"min"`
	Max   float64   `json:"max"`
	Avg   float64   `json:"avg"`
	Count int       `json:"count"`
}

// SQLSamples is the first SampleStore: one row per sample keyed (point,
// time in ms), on SQLite or PostgreSQL.
type SQLSamples struct {
	db *store.DB
}

// NewSQLSamples answers the row-per-sample store.
func NewSQLSamples(db *store.DB) *SQLSamples { return &SQLSamples{db: db} }

type sampleKey struct {
	point int64
	ms    int64
}

// rowsPerInsert keeps a multi-row INSERT under both databases' parameter limits.
const rowsPerInsert = 500

// Append inserts the samples in one transaction.
func (s *SQLSamples) Append(ctx context.Context, samples []Sample) ([]Duplicate, error) {
	if len(samples) == 0 {
		return nil, nil
	}
	inserted := make(map[sampleKey]bool, len(samples))
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		for start := 0; start < len(samples); start += rowsPerInsert {
			end := min(start+rowsPerInsert, len(samples))
			chunk := samples[start:end]
			var b strings.Builder
			b.WriteString(`INSERT INTO samples (point_id, t, value, status) VALUES `)
			args := make([]any, 0, 4*len(chunk))
			for i, sm := range chunk {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString("(?,?,?,?)")
				args = append(args, sm.PointID, sm.Time.UnixMilli(), sm.Value, sm.Status)
			}
			b.WriteString(` ON CONFLICT (point_id, t) DO NOTHING RETURNING point_id, t`)
			rows, err := tx.Query(ctx, b.String(), args...)
			if err != nil {
				return fmt.Errorf("insert samples: %w", err)
			}
			for rows.Next() {
				var k sampleKey
				if err := rows.Scan(&k.point, &k.ms); err != nil {
					rows.Close()
					return err
				}
				inserted[k] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(inserted) == len(samples) {
		return nil, nil
	}
	// Rare path: some were there already (a resend), or repeated in the batch.
	var dups []Duplicate
	claimed := make(map[sampleKey]bool, len(samples))
	for i, sm := range samples {
		k := sampleKey{sm.PointID, sm.Time.UnixMilli()}
		if inserted[k] && !claimed[k] {
			claimed[k] = true
			continue
		}
		var v float64
		if err := s.db.QueryRow(ctx, `SELECT value FROM samples WHERE point_id = ? AND t = ?`, k.point, k.ms).Scan(&v); err != nil {
			return nil, err
		}
		dups = append(dups, Duplicate{Index: i, Existing: v})
	}
	return dups, nil
}

// Range answers raw samples in [from, to), oldest first, at most limit.
func (s *SQLSamples) Range(ctx context.Context, pointID int64, from, to time.Time, limit int) ([]Sample, error) {
	rows, err := s.db.Query(ctx, `SELECT t, value, status FROM samples WHERE point_id = ? AND t >= ? AND t < ? ORDER BY t LIMIT ?`,
		pointID, from.UnixMilli(), to.UnixMilli(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Sample{}
	for rows.Next() {
		var ms int64
		sm := Sample{PointID: pointID}
		if err := rows.Scan(&ms, &sm.Value, &sm.Status); err != nil {
			return nil, err
		}
		sm.Time = time.UnixMilli(ms).UTC()
		out = append(out, sm)
	}
	return out, rows.Err()
}

// Buckets answers min/max/avg/count per step in [from, to), empty steps left out.
func (s *SQLSamples) Buckets(ctx context.Context, pointID int64, from, to time.Time, step time.Duration) ([]Bucket, error) {
	stepMS := step.Milliseconds()
	if stepMS <= 0 {
		return nil, fmt.Errorf("step must be positive")
	}
	f := from.UnixMilli()
	rows, err := s.db.Query(ctx, `SELECT (t - ?) / ? AS b, MIN(value), MAX(value), AVG(value), COUNT(*)
		FROM samples WHERE point_id = ? AND t >= ? AND t < ? GROUP BY b ORDER BY b`,
		f, stepMS, pointID, f, to.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Bucket{}
	for rows.Next() {
		var b int64
		var bk Bucket
		if err := rows.Scan(&b, &bk.Min, &bk.Max, &bk.Avg, &bk.Count); err != nil {
			return nil, err
		}
		bk.Time = time.UnixMilli(f + b*stepMS).UTC()
		out = append(out, bk)
	}
	return out, rows.Err()
}

// Latest answers the newest sample of each point that has one.
func (s *SQLSamples) Latest(ctx context.Context, pointIDs []int64) (map[int64]Sample, error) {
	out := make(map[int64]Sample, len(pointIDs))
	for start := 0; start < len(pointIDs); start += rowsPerInsert {
		ids := pointIDs[start:min(start+rowsPerInsert, len(pointIDs))]
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		rows, err := s.db.Query(ctx, `SELECT s.point_id, s.t, s.value, s.status FROM samples s
			JOIN (SELECT point_id, MAX(t) AS t FROM samples WHERE point_id IN (`+store.Placeholders(len(ids))+`) GROUP BY point_id) m
			ON s.point_id = m.point_id AND s.t = m.t`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var sm Sample
			var ms int64
			if err := rows.Scan(&sm.PointID, &ms, &sm.Value, &sm.Status); err != nil {
				rows.Close()
				return nil, err
			}
			sm.Time = time.UnixMilli(ms).UTC()
			out[sm.PointID] = sm
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Count answers how many samples are stored.
func (s *SQLSamples) Count(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM samples`).Scan(&n)
	return n, err
}
