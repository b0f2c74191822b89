-- Time-series storage of monitoring samples (internal/telemetry/tsdb,
-- docs/storage.md). The samples table of 0002 stays for the row-per-sample
-- store; this store keeps its own tables.

-- The staging log: each row one batch of accepted samples (a compressed
-- block), written before the sender is answered. Compaction deletes a row
-- in the transaction that writes its last samples into chunks.
CREATE TABLE tsdb_staged (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	shard INTEGER NOT NULL DEFAULT 0,
	n INTEGER NOT NULL,
	staged_at TIMESTAMP NOT NULL,
	data BLOB NOT NULL
);

-- One row per point per chunk: t0 is the chunk's first minute (ms since
-- 1970 UTC); data holds its samples (delta-of-delta times, scaled-decimal
-- or XOR values, status runs), agg its minute statistics.
CREATE TABLE tsdb_chunks (
	point_id BIGINT NOT NULL,
	t0 BIGINT NOT NULL,
	n INTEGER NOT NULL,
	data BLOB NOT NULL,
	agg BLOB NOT NULL,
	PRIMARY KEY (point_id, t0)
) WITHOUT ROWID;

-- Minute statistics of chunks whose raw samples retention removed.
CREATE TABLE tsdb_rollups (
	point_id BIGINT NOT NULL,
	t0 BIGINT NOT NULL,
	agg BLOB NOT NULL,
	PRIMARY KEY (point_id, t0)
) WITHOUT ROWID;

-- raw_horizon: raw samples before it (ms) are removed; minute_horizon:
-- likewise for minute statistics.
CREATE TABLE tsdb_meta (
	name TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);
