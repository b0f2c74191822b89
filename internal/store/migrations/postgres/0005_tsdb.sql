-- Time-series storage of monitoring samples (internal/telemetry/tsdb,
-- docs/storage.md). The samples table of 0002 stays for the row-per-sample
-- store; this store keeps its own tables.

-- The staging log: each row one batch of accepted samples (a compressed
-- block), written before the sender is answered. Compaction deletes a row
-- in the transaction that writes its last samples into chunks. Rows come
-- and go all the time: vacuum it eagerly so that pages are reused.
CREATE TABLE tsdb_staged (
	id BIGSERIAL PRIMARY KEY,
	shard INTEGER NOT NULL DEFAULT 0,
	n INTEGER NOT NULL,
	staged_at TIMESTAMPTZ NOT NULL,
	data BYTEA NOT NULL
) WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0);
-- Blocks are compressed already: no TOAST compression attempts.
ALTER TABLE tsdb_staged ALTER COLUMN data SET STORAGE EXTERNAL;

-- One row per point per chunk: t0 is the chunk's first minute (ms since
-- 1970 UTC); data holds its samples (delta-of-delta times, scaled-decimal
-- or XOR values, status runs), agg its minute statistics. Partitioned by
-- calendar month (UTC) of t0; the store creates the partitions ahead
-- (tsdb_chunks_pYYYYMM) and retention drops them whole.
CREATE TABLE tsdb_chunks (
	point_id BIGINT NOT NULL,
	t0 BIGINT NOT NULL,
	n INTEGER NOT NULL,
	data BYTEA NOT NULL,
	agg BYTEA NOT NULL,
	PRIMARY KEY (point_id, t0)
) PARTITION BY RANGE (t0);

-- Minute statistics of chunks whose raw samples retention removed.
CREATE TABLE tsdb_rollups (
	point_id BIGINT NOT NULL,
	t0 BIGINT NOT NULL,
	agg BYTEA NOT NULL,
	PRIMARY KEY (point_id, t0)
);

-- raw_horizon: raw samples before it (ms) are removed; minute_horizon:
-- likewise for minute statistics.
CREATE TABLE tsdb_meta (
	name TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);
