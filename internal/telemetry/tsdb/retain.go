package tsdb

import (
	"context"
	"fmt"
	"slices"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/store"
)

// The chunk table is partitioned by calendar month (UTC) of t0 on
// PostgreSQL; SQLite keeps one table and deletes by the same months, so a
// retention run removes the same samples on both.

// monthOf answers the month holding ms, counted as year·12 + month − 1.
func monthOf(ms int64) int64 {
	t := time.UnixMilli(ms).UTC()
	return int64(t.Year())*12 + int64(t.Month()) - 1
}

func monthStart(m int64) int64 {
	y := floorDiv(m, 12)
	return time.Date(int(y), time.Month(m-y*12+1), 1, 0, 0, 0, 0, time.UTC).UnixMilli()
}

func partitionName(m int64) string {
	y := floorDiv(m, 12)
	return fmt.Sprintf("tsdb_chunks_p%04d%02d", y, m-y*12+1)
}

// loadPartitions learns which monthly partitions exist.
func (s *Store) loadPartitions(ctx context.Context) error {
	names, err := s.partitionNames(ctx, s.db)
	if err != nil {
		return err
	}
	clear(s.months)
	for m := range names {
		s.months[m] = true
	}
	return nil
}

func (s *Store) partitionNames(ctx context.Context, q querier) (map[int64]string, error) {
	rows, err := q.Query(ctx, `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'tsdb_chunks'::regclass`)
	if err != nil {
		return nil, fmt.Errorf("tsdb: list partitions: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var name string
		var y, mo int64
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		if _, err := fmt.Sscanf(name, "tsdb_chunks_p%04d%02d", &y, &mo); err == nil {
			out[y*12+mo-1] = name
		}
	}
	return out, rows.Err()
}

// ensurePartitions creates the monthly partitions months need, each in a
// statement of its own before the compaction transaction: creating one
// locks the parent table, which should be brief.
func (s *Store) ensurePartitions(ctx context.Context, months []int64) error {
	if s.db.Dialect != store.Postgres {
		return nil
	}
	for _, m := range months {
		if s.months[m] {
			continue
		}
		q := fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s PARTITION OF tsdb_chunks FOR VALUES FROM (%d) TO (%d)`,
			partitionName(m), monthStart(m), monthStart(m+1))
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			// Another node may have created it at the same moment.
			if lerr := s.loadPartitions(ctx); lerr != nil || !s.months[m] {
				return fmt.Errorf("tsdb: create partition %s: %w", partitionName(m), err)
			}
		}
		s.months[m] = true
	}
	return nil
}

// ensureAhead creates this month's and next month's partitions.
func (s *Store) ensureAhead(ctx context.Context) error {
	m := monthOf(s.opt.Now().UnixMilli())
	return s.ensurePartitions(ctx, []int64{m, m + 1})
}

// Retention is what a retention run removed. Raw samples are removed by
// whole months (PostgreSQL partitions); their minute aggregates are kept.
type Retention struct {
	Before     time.Time `json:"before"`
	Cutoff     time.Time `json:"cutoff"` // raw samples before it are gone
	Chunks     int64     `json:"chunks"`
	Samples    int64     `json:"samples"`
	Partitions []string  `json:"partitions,omitempty"`
}

// Retain removes the raw samples older than before, by whole months: those
// of the months that end MaxSpan or more before it (a chunk reaches at most
// MaxSpan past its month). Their minute aggregates move to tsdb_rollups in
// the same transaction, with an event (record type "retention") that says
// what went. A run that removes nothing writes no event.
func (s *Store) Retain(ctx context.Context, before time.Time) (Retention, error) {
	s.compactMu.Lock()
	defer s.compactMu.Unlock()
	cut := monthStart(monthOf(satAdd(before.UnixMilli(), -s.opt.MaxSpan.Milliseconds())))
	r := Retention{Before: before.UTC(), Cutoff: time.UnixMilli(cut).UTC()}
	moved := false
	err := s.db.InTx(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		if s.db.Dialect == store.Postgres {
			// One run at a time across nodes.
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7007005)`); err != nil {
				return err
			}
		}
		horizon, err := getMeta(ctx, tx, "raw_horizon")
		if err != nil {
			return err
		}
		if cut <= horizon {
			return nil
		}
		if s.db.Dialect == store.Postgres {
			names, err := s.partitionNames(ctx, tx)
			if err != nil {
				return err
			}
			months := make([]int64, 0, len(names))
			for m := range names {
				if monthStart(m+1) <= cut {
					months = append(months, m)
				}
			}
			slices.Sort(months)
			for _, m := range months {
				if err := moveMinutes(ctx, tx, `"`+names[m]+`"`, `TRUE`, nil, &r); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `DROP TABLE "`+names[m]+`"`); err != nil {
					return err
				}
				r.Partitions = append(r.Partitions, names[m])
			}
		} else if err := moveMinutes(ctx, tx, `tsdb_chunks`, `t0 < ?`, []any{cut}, &r); err != nil {
			return err
		}
		if err := setMeta(ctx, tx, "raw_horizon", cut); err != nil {
			return err
		}
		moved = true
		if r.Chunks == 0 && len(r.Partitions) == 0 {
			return nil // the horizon moved over nothing: no event
		}
		ev := events.New(auth.System, s.opt.Now(), "retention", 0, "purge").WithDetail(r)
		ev.Reason = fmt.Sprintf("raw samples before %s removed (retention %s)", r.Cutoff.Format(time.RFC3339), s.opt.Retention)
		_, err = events.Append(ctx, tx, ev)
		return err
	})
	if err != nil {
		return Retention{}, fmt.Errorf("tsdb: retention: %w", err)
	}
	if moved {
		s.mu.Lock()
		s.horizon = max(s.horizon, cut)
		s.mu.Unlock()
		for m := range s.months {
			if monthStart(m+1) <= cut {
				delete(s.months, m)
			}
		}
		if r.Chunks > 0 || len(r.Partitions) > 0 {
			s.log.Info("raw samples removed by retention", "cutoff", r.Cutoff, "chunks", r.Chunks, "samples", r.Samples)
		}
	}
	return r, nil
}

// moveMinutes counts the chunks of table (a partition or the whole table)
// matching where, keeps their minute aggregates and deletes them.
func moveMinutes(ctx context.Context, tx *store.Tx, table, where string, args []any, r *Retention) error {
	var chunks, samples int64
	if err := tx.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(n), 0) FROM `+table+` WHERE `+where, args...).Scan(&chunks, &samples); err != nil {
		return err
	}
	r.Chunks += chunks
	r.Samples += samples
	if chunks == 0 {
		return nil
	}
	// A late chunk re-created in a removed month may meet kept minutes; the
	// kept ones stay.
	if _, err := tx.Exec(ctx, `INSERT INTO tsdb_rollups (point_id, t0, agg) SELECT point_id, t0, agg FROM `+table+` WHERE `+where+
		` ON CONFLICT (point_id, t0) DO NOTHING`, args...); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE `+where, args...)
	return err
}

// getMeta answers a tsdb_meta value, noTime when unset.
func getMeta(ctx context.Context, q querier, name string) (int64, error) {
	var v int64
	err := q.QueryRow(ctx, `SELECT COALESCE(MAX(value), ?) FROM tsdb_meta WHERE name = ?`, int64(noTime), name).Scan(&v)
	return v, err
}

func setMeta(ctx context.Context, tx *store.Tx, name string, v int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO tsdb_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, v)
	return err
}

// RetainMinutes removes the minute aggregates of months that end before
// before, with an event like Retain's.
func (s *Store) RetainMinutes(ctx context.Context, before time.Time) (int64, error) {
	s.compactMu.Lock()
	defer s.compactMu.Unlock()
	cut := monthStart(monthOf(before.UnixMilli()))
	var removed int64
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		horizon, err := getMeta(ctx, tx, "minute_horizon")
		if err != nil {
			return err
		}
		if cut <= horizon {
			return nil
		}
		res, err := tx.Exec(ctx, `DELETE FROM tsdb_rollups WHERE t0 < ?`, cut)
		if err != nil {
			return err
		}
		removed, _ = res.RowsAffected()
		if err := setMeta(ctx, tx, "minute_horizon", cut); err != nil {
			return err
		}
		if removed == 0 {
			return nil
		}
		ev := events.New(auth.System, s.opt.Now(), "retention", 0, "purge_minutes").
			WithDetail(map[string]any{"before": before.UTC(), "cutoff": time.UnixMilli(cut).UTC(), "rows": removed})
		ev.Reason = fmt.Sprintf("minute aggregates before %s removed", time.UnixMilli(cut).UTC().Format(time.RFC3339))
		_, err = events.Append(ctx, tx, ev)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("tsdb: minute retention: %w", err)
	}
	return removed, nil
}
