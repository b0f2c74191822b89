-- Foundation: key-value facts, rule sets, the event log, regions,
-- enterprises, mines, tailings ponds, people on duty, users and credentials.

CREATE TABLE app_meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Rules as data: every regulatory table (grading thresholds, alarm levels,
-- discretion ranges…) is a versioned JSON body; the newest version of a kind
-- is in force and every judgement records the version it used.
CREATE TABLE rule_sets (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL,
	version INTEGER NOT NULL,
	body TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	created_by BIGINT,
	UNIQUE (kind, version)
);

-- One append-only log of who did what to which record: the audit trail and
-- the history of every loop.
CREATE TABLE events (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	at TIMESTAMP NOT NULL,
	actor_id BIGINT,
	actor TEXT NOT NULL,
	record_type TEXT NOT NULL,
	record_id BIGINT NOT NULL,
	action TEXT NOT NULL,
	from_state TEXT NOT NULL DEFAULT '',
	to_state TEXT NOT NULL DEFAULT '',
	reason TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT '',
	region_code TEXT NOT NULL DEFAULT '',
	enterprise_id BIGINT,
	mine_id BIGINT
);
CREATE INDEX events_record ON events (record_type, record_id, id);
CREATE INDEX events_at ON events (at);

CREATE TABLE regions (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	parent_code TEXT REFERENCES regions (code),
	level TEXT NOT NULL CHECK (level IN ('province', 'city', 'county')),
	seat_lon DOUBLE PRECISION,
	seat_lat DOUBLE PRECISION,
	sort INTEGER NOT NULL DEFAULT 0
);

INSERT INTO regions (code, name, parent_code, level, seat_lon, seat_lat, sort) VALUES
	('150700', '呼伦贝尔市', NULL, 'city', 119.77, 49.22, 0),
	('150702', '海拉尔区', '150700', 'county', 119.77, 49.22, 1),
	('150703', '扎赉诺尔区', '150700', 'county', 117.70, 49.49, 2),
	('150721', '阿荣旗', '150700', 'county', 123.47, 48.13, 3),
	('150722', '莫力达瓦达斡尔族自治旗', '150700', 'county', 124.51, 48.48, 4),
	('150723', '鄂伦春自治旗', '150700', 'county', 123.72, 50.58, 5),
	('150724', '鄂温克族自治旗', '150700', 'county', 119.75, 49.13, 6),
	('150725', '陈巴尔虎旗', '150700', 'county', 119.43, 49.32, 7),
	('150726', '新巴尔虎左旗', '150700', 'county', 118.27, 48.22, 8),
	('150727', '新巴尔虎右旗', '150700', 'county', 116.82, 48.67, 9),
	('150781', '满洲里市', '150700', 'county', 117.45, 49.58, 10),
	('150782', '牙克石市', '150700', 'county', 120.73, 49.28, 11),
	('150783', '扎兰屯市', '150700', 'county', 122.75, 47.98, 12),
	('150784', '额尔古纳市', '150700', 'county', 120.18, 50.23, 13),
	('150785', '根河市', '150700', 'county', 121.52, 50.78, 14);

CREATE TABLE enterprises (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	name TEXT NOT NULL,
	uscc TEXT NOT NULL UNIQUE,
	parent_group TEXT NOT NULL DEFAULT '',
	ownership TEXT NOT NULL CHECK (ownership IN ('central_soe', 'local_soe', 'private', 'other')),
	region_code TEXT REFERENCES regions (code),
	address TEXT NOT NULL DEFAULT '',
	contact_name TEXT NOT NULL DEFAULT '',
	contact_phone TEXT NOT NULL DEFAULT '',
	demo BOOLEAN NOT NULL DEFAULT FALSE,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	archived_at TIMESTAMP,
	archive_reason TEXT NOT NULL DEFAULT ''
);

CREATE TABLE mines (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
	region_code TEXT NOT NULL REFERENCES regions (code),
	kind TEXT NOT NULL CHECK (kind IN ('coal_underground', 'coal_openpit', 'metal_underground', 'metal_openpit', 'tailings_pond')),
	status TEXT NOT NULL CHECK (status IN ('producing', 'constructing', 'suspended', 'halted', 'closed')),
	capacity DOUBLE PRECISION,
	mining_depth_m DOUBLE PRECISION,
	lon DOUBLE PRECISION NOT NULL,
	lat DOUBLE PRECISION NOT NULL,
	mining_licence_no TEXT NOT NULL DEFAULT '',
	mining_licence_expiry TEXT NOT NULL DEFAULT '',
	safety_licence_no TEXT NOT NULL DEFAULT '',
	safety_licence_expiry TEXT NOT NULL DEFAULT '',
	gas_class TEXT NOT NULL DEFAULT '',
	hydro_type TEXT NOT NULL DEFAULT '',
	rock_burst TEXT NOT NULL DEFAULT '',
	spontaneous_combustion TEXT NOT NULL DEFAULT '',
	std_grade TEXT NOT NULL DEFAULT '',
	std_grade_date TEXT NOT NULL DEFAULT '',
	supervisor TEXT NOT NULL DEFAULT '',
	insurance_expiry TEXT NOT NULL DEFAULT '',
	outsourced BOOLEAN NOT NULL DEFAULT FALSE,
	demo BOOLEAN NOT NULL DEFAULT FALSE,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	archived_at TIMESTAMP,
	archive_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mines_region ON mines (region_code);
CREATE INDEX mines_enterprise ON mines (enterprise_id);

CREATE TABLE tailings_ponds (
	mine_id BIGINT PRIMARY KEY REFERENCES mines (id),
	capacity_10k_m3 DOUBLE PRECISION NOT NULL,
	final_capacity_10k_m3 DOUBLE PRECISION NOT NULL,
	dam_height_m DOUBLE PRECISION NOT NULL,
	final_dam_height_m DOUBLE PRECISION NOT NULL,
	method TEXT NOT NULL CHECK (method IN ('upstream', 'downstream', 'centreline')),
	wet BOOLEAN NOT NULL DEFAULT TRUE,
	head_top BOOLEAN NOT NULL DEFAULT FALSE,
	downstream_distance_m DOUBLE PRECISION,
	state TEXT NOT NULL DEFAULT 'operating' CHECK (state IN ('operating', 'idle', 'closed', 'cancelled')),
	design_min_dry_beach_m DOUBLE PRECISION,
	design_freeboard_m DOUBLE PRECISION,
	design_phreatic_depth_m DOUBLE PRECISION,
	computed_grade INTEGER NOT NULL,
	grade INTEGER NOT NULL,
	design_grade INTEGER NOT NULL,
	grade_raised BOOLEAN NOT NULL DEFAULT FALSE,
	grade_raise_reason TEXT NOT NULL DEFAULT '',
	grade_rule_version INTEGER NOT NULL
);

CREATE TABLE mine_people (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	role TEXT NOT NULL CHECK (role IN ('mine_manager', 'chief_engineer', 'safety_deputy', 'production_deputy', 'electromechanical_deputy', 'safety_engineer')),
	name TEXT NOT NULL,
	certificate_no TEXT NOT NULL DEFAULT '',
	certificate_expiry TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	archived_at TIMESTAMP,
	archive_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mine_people_mine ON mine_people (mine_id);

CREATE TABLE users (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL CHECK (role IN ('admin', 'city', 'county', 'inspector', 'enterprise', 'rescue', 'observer')),
	enterprise_id BIGINT REFERENCES enterprises (id),
	password_hash TEXT NOT NULL DEFAULT '',
	disabled BOOLEAN NOT NULL DEFAULT FALSE,
	locked_until TIMESTAMP,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);

CREATE TABLE user_regions (
	user_id BIGINT NOT NULL REFERENCES users (id),
	region_code TEXT NOT NULL REFERENCES regions (code),
	PRIMARY KEY (user_id, region_code)
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users (id),
	created_at TIMESTAMP NOT NULL,
	expires_at TIMESTAMP NOT NULL,
	last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id BIGINT NOT NULL REFERENCES users (id),
	name TEXT NOT NULL DEFAULT '',
	token_hash TEXT NOT NULL UNIQUE,
	created_at TIMESTAMP NOT NULL,
	last_used_at TIMESTAMP,
	revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_failures (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	username TEXT NOT NULL,
	at TIMESTAMP NOT NULL,
	remote_addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX login_failures_user ON login_failures (username, at);
