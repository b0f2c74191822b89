-- Graded warnings and the closed alarm loop.

CREATE TABLE alarms (
	id BIGSERIAL PRIMARY KEY,
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	point_id BIGINT,
	kind TEXT NOT NULL,
	rule TEXT NOT NULL,
	item TEXT NOT NULL DEFAULT '',
	level TEXT NOT NULL CHECK (level IN ('blue', 'yellow', 'orange', 'red')),
	current_level TEXT NOT NULL CHECK (current_level IN ('blue', 'yellow', 'orange', 'red')),
	state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'disposed', 'verified', 'closed')),
	planned BOOLEAN NOT NULL DEFAULT FALSE,
	late BOOLEAN NOT NULL DEFAULT FALSE,
	message TEXT NOT NULL DEFAULT '',
	rule_version INTEGER NOT NULL,
	started_at TIMESTAMPTZ NOT NULL,
	opened_at TIMESTAMPTZ NOT NULL,
	peak_value DOUBLE PRECISION,
	peak_at TIMESTAMPTZ,
	last_value DOUBLE PRECISION,
	cleared_at TIMESTAMPTZ,
	acknowledged_at TIMESTAMPTZ,
	acknowledged_by TEXT NOT NULL DEFAULT '',
	disposed_at TIMESTAMPTZ,
	disposed_by TEXT NOT NULL DEFAULT '',
	cause TEXT NOT NULL DEFAULT '',
	measures TEXT NOT NULL DEFAULT '',
	verified_at TIMESTAMPTZ,
	verified_by TEXT NOT NULL DEFAULT '',
	closed_at TIMESTAMPTZ,
	closed_by TEXT NOT NULL DEFAULT '',
	return_reason TEXT NOT NULL DEFAULT '',
	escalated_to TEXT NOT NULL DEFAULT '',
	escalated_at TIMESTAMPTZ,
	reminded_at TIMESTAMPTZ,
	region_code TEXT NOT NULL,
	enterprise_id BIGINT NOT NULL
);
-- At most one uncleared alarm per condition, whatever the evaluator does.
CREATE UNIQUE INDEX alarms_active ON alarms (mine_id, COALESCE(point_id, 0), kind, rule, item) WHERE cleared_at IS NULL;
CREATE INDEX alarms_mine ON alarms (mine_id, id);
CREATE INDEX alarms_state ON alarms (state, opened_at);
CREATE INDEX alarms_region ON alarms (region_code, id);

CREATE TABLE maintenance_windows (
	id BIGSERIAL PRIMARY KEY,
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	point_ids TEXT NOT NULL DEFAULT '[]',
	from_at TIMESTAMPTZ NOT NULL,
	to_at TIMESTAMPTZ NOT NULL,
	reason TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	created_by BIGINT,
	archived_at TIMESTAMPTZ,
	archive_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX maintenance_mine ON maintenance_windows (mine_id, to_at);

CREATE TABLE webhooks (
	id BIGSERIAL PRIMARY KEY,
	name TEXT NOT NULL,
	url TEXT NOT NULL,
	secret TEXT NOT NULL,
	roles TEXT NOT NULL DEFAULT '[]',
	region_codes TEXT NOT NULL DEFAULT '[]',
	min_level TEXT NOT NULL DEFAULT 'blue',
	active BOOLEAN NOT NULL DEFAULT TRUE,
	created_at TIMESTAMPTZ NOT NULL,
	created_by BIGINT,
	archived_at TIMESTAMPTZ,
	archive_reason TEXT NOT NULL DEFAULT ''
);

CREATE TABLE webhook_deliveries (
	id BIGSERIAL PRIMARY KEY,
	webhook_id BIGINT NOT NULL REFERENCES webhooks (id),
	alarm_id BIGINT NOT NULL,
	event TEXT NOT NULL,
	body TEXT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
	next_attempt_at TIMESTAMPTZ NOT NULL,
	last_status INTEGER,
	last_error TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	delivered_at TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);

-- Who was told of an alarm, when and how: the accountability record of
-- pushes and escalations.
CREATE TABLE alarm_notifications (
	id BIGSERIAL PRIMARY KEY,
	alarm_id BIGINT NOT NULL REFERENCES alarms (id),
	at TIMESTAMPTZ NOT NULL,
	kind TEXT NOT NULL,
	audience TEXT NOT NULL,
	region_code TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alarm_notifications_alarm ON alarm_notifications (alarm_id);
