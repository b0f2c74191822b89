-- Monitoring data network: points, samples, ingest tokens, the rejected
-- sample log and the log of conflicting resends.

CREATE TABLE points (
	id BIGSERIAL PRIMARY KEY,
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	code TEXT NOT NULL,
	sensor_type TEXT NOT NULL,
	value_type TEXT NOT NULL CHECK (value_type IN ('analog', 'switch')),
	unit TEXT NOT NULL DEFAULT '',
	range_min DOUBLE PRECISION,
	range_max DOUBLE PRECISION,
	period_s INTEGER NOT NULL DEFAULT 30,
	location TEXT NOT NULL DEFAULT '',
	location_class TEXT NOT NULL DEFAULT 'general',
	station_code TEXT NOT NULL DEFAULT '',
	alarm_high DOUBLE PRECISION,
	reset_high DOUBLE PRECISION,
	alarm_low DOUBLE PRECISION,
	reset_low DOUBLE PRECISION,
	cut_high DOUBLE PRECISION,
	restore_high DOUBLE PRECISION,
	cut_low DOUBLE PRECISION,
	restore_low DOUBLE PRECISION,
	open_text TEXT NOT NULL DEFAULT '',
	stop_text TEXT NOT NULL DEFAULT '',
	x DOUBLE PRECISION,
	y DOUBLE PRECISION,
	z DOUBLE PRECISION,
	relation TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL DEFAULT 'api',
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	archived_at TIMESTAMPTZ,
	archive_reason TEXT NOT NULL DEFAULT '',
	UNIQUE (mine_id, code)
);

-- One row per sample, keyed (point, time in ms since 1970 UTC). The storage
-- engine issue replaces this layout behind the same interface.
CREATE TABLE samples (
	point_id BIGINT NOT NULL,
	t BIGINT NOT NULL,
	value DOUBLE PRECISION NOT NULL,
	status INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (point_id, t)
);

CREATE TABLE ingest_tokens (
	id BIGSERIAL PRIMARY KEY,
	name TEXT NOT NULL DEFAULT '',
	token_hash TEXT NOT NULL UNIQUE,
	created_at TIMESTAMPTZ NOT NULL,
	created_by BIGINT,
	last_used_at TIMESTAMPTZ,
	revoked_at TIMESTAMPTZ
);

CREATE TABLE ingest_token_mines (
	token_id BIGINT NOT NULL REFERENCES ingest_tokens (id),
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	PRIMARY KEY (token_id, mine_id)
);
CREATE INDEX ingest_token_mines_mine ON ingest_token_mines (mine_id);

CREATE TABLE rejected_samples (
	id BIGSERIAL PRIMARY KEY,
	mine_id BIGINT NOT NULL,
	at TIMESTAMPTZ NOT NULL,
	source TEXT NOT NULL,
	point TEXT NOT NULL DEFAULT '',
	sample_time TEXT NOT NULL DEFAULT '',
	value DOUBLE PRECISION,
	reason_code TEXT NOT NULL,
	reason TEXT NOT NULL
);
CREATE INDEX rejected_samples_mine ON rejected_samples (mine_id, id);

CREATE TABLE sample_conflicts (
	id BIGSERIAL PRIMARY KEY,
	point_id BIGINT NOT NULL,
	t BIGINT NOT NULL,
	kept DOUBLE PRECISION NOT NULL,
	sent DOUBLE PRECISION NOT NULL,
	at TIMESTAMPTZ NOT NULL,
	source TEXT NOT NULL
);
CREATE INDEX sample_conflicts_point ON sample_conflicts (point_id, t);
