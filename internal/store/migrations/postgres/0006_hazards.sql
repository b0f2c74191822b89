-- Attachments (internal/files), the risk register and the hidden-hazard
-- closed loop (internal/hazard, docs/hazards.md). Nothing here is deleted:
-- risks are archived, hazards are closed (销号), files stay.

-- An uploaded file: its bytes live in the blob store under their SHA-256;
-- the row says who uploaded it and, once attached, which record it belongs
-- to (owner_type, owner_id), which decides who may read it.
CREATE TABLE files (
	id BIGSERIAL PRIMARY KEY,
	sha256 TEXT NOT NULL,
	name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	uploaded_by BIGINT,
	uploader TEXT NOT NULL,
	uploader_enterprise_id BIGINT,
	uploaded_at TIMESTAMPTZ NOT NULL,
	owner_type TEXT NOT NULL DEFAULT '',
	owner_id BIGINT,
	attached_at TIMESTAMPTZ
);
CREATE INDEX files_owner ON files (owner_type, owner_id);
CREATE INDEX files_uploader ON files (uploaded_by, id);

-- The risk register (风险分级管控): one row per assessed risk of a mine.
-- Scores: method 'ls' uses score_l (likelihood) and score_s (severity);
-- 'lec' uses score_l, score_e, score_c. score is their product and level
-- the band it falls in under rules_version of the hazard_rules rule set.
CREATE TABLE risks (
	id BIGSERIAL PRIMARY KEY,
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	place TEXT NOT NULL,
	hazard_type TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	method TEXT NOT NULL CHECK (method IN ('ls', 'lec')),
	score_l DOUBLE PRECISION NOT NULL,
	score_s DOUBLE PRECISION,
	score_e DOUBLE PRECISION,
	score_c DOUBLE PRECISION,
	score DOUBLE PRECISION NOT NULL,
	level TEXT NOT NULL CHECK (level IN ('red', 'orange', 'yellow', 'blue')),
	rules_version INTEGER NOT NULL,
	measures TEXT NOT NULL,
	control_level TEXT NOT NULL CHECK (control_level IN ('mine', 'department', 'team', 'post')),
	responsible TEXT NOT NULL,
	review_date TEXT NOT NULL DEFAULT '',
	region_code TEXT NOT NULL,
	enterprise_id BIGINT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	created_by BIGINT,
	updated_at TIMESTAMPTZ NOT NULL,
	archived_at TIMESTAMPTZ,
	archive_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risks_mine ON risks (mine_id, id);
CREATE INDEX risks_region ON risks (region_code, level);

-- Hidden hazards (隐患排查治理) and their loop. deadline is a date
-- (YYYY-MM-DD) ending at 24:00 Asia/Shanghai; overdue is computed on read.
-- A major hazard keeps the catalogue entry it cited and the catalogue
-- version (criterion_version of the hazard_criteria rule set).
CREATE TABLE hazards (
	id BIGSERIAL PRIMARY KEY,
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	level TEXT NOT NULL CHECK (level IN ('general', 'major')),
	source TEXT NOT NULL CHECK (source IN ('self_inspection', 'inspection', 'monitoring', 'report', 'third_party')),
	alarm_id BIGINT REFERENCES alarms (id),
	place TEXT NOT NULL DEFAULT '',
	hazard_type TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL,
	criterion_code TEXT NOT NULL DEFAULT '',
	criterion_version INTEGER,
	criterion_text TEXT NOT NULL DEFAULT '',
	criterion_confidence TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL DEFAULT 'reported' CHECK (state IN ('reported', 'planned', 'rectifying', 'rectified', 'verified', 'closed')),
	deadline TEXT NOT NULL,
	reported_at TIMESTAMPTZ NOT NULL,
	reported_by TEXT NOT NULL,
	responsibility TEXT NOT NULL DEFAULT '',
	measures TEXT NOT NULL DEFAULT '',
	funds_yuan BIGINT,
	contingency TEXT NOT NULL DEFAULT '',
	planned_at TIMESTAMPTZ,
	planned_by TEXT NOT NULL DEFAULT '',
	started_at TIMESTAMPTZ,
	started_by TEXT NOT NULL DEFAULT '',
	evidence TEXT NOT NULL DEFAULT '',
	rectified_at TIMESTAMPTZ,
	rectified_by TEXT NOT NULL DEFAULT '',
	verified_at TIMESTAMPTZ,
	verified_by TEXT NOT NULL DEFAULT '',
	closed_at TIMESTAMPTZ,
	closed_by TEXT NOT NULL DEFAULT '',
	return_reason TEXT NOT NULL DEFAULT '',
	return_count INTEGER NOT NULL DEFAULT 0,
	escalated_to TEXT NOT NULL DEFAULT '' CHECK (escalated_to IN ('', 'county', 'city')),
	escalated_at TIMESTAMPTZ,
	supervised BOOLEAN NOT NULL DEFAULT FALSE,
	supervised_at TIMESTAMPTZ,
	supervision_reason TEXT NOT NULL DEFAULT '',
	region_code TEXT NOT NULL,
	enterprise_id BIGINT NOT NULL
);
-- One hazard per alarm: a second report of the same alarm is refused.
CREATE UNIQUE INDEX hazards_alarm ON hazards (alarm_id) WHERE alarm_id IS NOT NULL;
CREATE INDEX hazards_mine ON hazards (mine_id, id);
CREATE INDEX hazards_region ON hazards (region_code, id);
CREATE INDEX hazards_state ON hazards (state, deadline);
