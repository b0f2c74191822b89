-- MT/T 1201 exchange files: every file received (by content hash, so a
-- resend is recognised), the substations, and what the mines reported as
-- statistics (TJSJ) and abnormal alarms (YCBJ), kept as reported.

CREATE TABLE ingest_files (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	sha256 TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	type TEXT NOT NULL CHECK (type IN ('CDDY', 'CDSS', 'TJSJ', 'YCBJ', 'FZDY', 'FZSS')),
	file_time TIMESTAMP NOT NULL,
	size BIGINT NOT NULL,
	encoding TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL CHECK (source IN ('upload', 'folder')),
	received_at TIMESTAMP NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('done', 'rejected')),
	reason TEXT NOT NULL DEFAULT '',
	accepted INTEGER NOT NULL DEFAULT 0,
	rejected INTEGER NOT NULL DEFAULT 0,
	uploaded_by TEXT NOT NULL DEFAULT '',
	user_id BIGINT,
	token_id BIGINT,
	-- The answer given for the file (JSON), repeated to whoever resends it.
	result TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ingest_files_mine ON ingest_files (mine_id, id);

-- Substations (分站): defined by FZDY, their state set by FZSS. A station
-- whose run state is not 0 (通讯正常) is down: its points' data is interrupted.
CREATE TABLE stations (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	code TEXT NOT NULL,
	location TEXT NOT NULL DEFAULT '',
	x DOUBLE PRECISION,
	y DOUBLE PRECISION,
	z DOUBLE PRECISION,
	run_state INTEGER,
	power_state INTEGER,
	state_time TIMESTAMP,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	UNIQUE (mine_id, code)
);

-- TJSJ statistics as the mine reported them; a later report of the same
-- point and period replaces the earlier one.
CREATE TABLE mine_stats (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	file_id BIGINT NOT NULL REFERENCES ingest_files (id),
	point_code TEXT NOT NULL,
	point_id BIGINT,
	sensor_name TEXT NOT NULL DEFAULT '',
	location TEXT NOT NULL DEFAULT '',
	unit TEXT NOT NULL DEFAULT '',
	period_start TIMESTAMP NOT NULL,
	period_end TIMESTAMP NOT NULL,
	max_value DOUBLE PRECISION NOT NULL,
	max_at TIMESTAMP NOT NULL,
	min_value DOUBLE PRECISION NOT NULL,
	min_at TIMESTAMP NOT NULL,
	avg_value DOUBLE PRECISION NOT NULL,
	data_time TIMESTAMP NOT NULL,
	received_at TIMESTAMP NOT NULL,
	UNIQUE (mine_id, point_code, period_start, period_end)
);
CREATE INDEX mine_stats_mine ON mine_stats (mine_id, period_start);

-- YCBJ abnormal alarms as the mine reported them, one row per point, type
-- and start: a later report (end time, measures) updates the row.
CREATE TABLE mine_reported_alarms (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	file_id BIGINT NOT NULL REFERENCES ingest_files (id),
	point_code TEXT NOT NULL,
	point_id BIGINT,
	sensor_name TEXT NOT NULL DEFAULT '',
	location TEXT NOT NULL DEFAULT '',
	unit TEXT NOT NULL DEFAULT '',
	abnormal_type TEXT NOT NULL,
	start_at TIMESTAMP NOT NULL,
	end_at TIMESTAMP,
	max_value DOUBLE PRECISION,
	max_at TIMESTAMP,
	min_value DOUBLE PRECISION,
	min_at TIMESTAMP,
	avg_value DOUBLE PRECISION,
	cause TEXT NOT NULL DEFAULT '',
	measures TEXT NOT NULL DEFAULT '',
	entered_at TIMESTAMP,
	entered_by TEXT NOT NULL DEFAULT '',
	data_time TIMESTAMP NOT NULL,
	received_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	UNIQUE (mine_id, point_code, abnormal_type, start_at)
);
CREATE INDEX mine_reported_alarms_mine ON mine_reported_alarms (mine_id, start_at);
