-- Accidents, monthly production, the plan's indicators (专栏1 and the other
-- targets), supervision staff, standardisation records, the facts the plan's
-- tasks need beside the registry record, and the plan's task ledger.
--
-- Accidents and production keep the division, enterprise and kind their mine
-- had when they were entered: scope and statistics read them from the row,
-- and a past year's figures do not move when the registry changes later.
-- Days are YYYY-MM-DD and months YYYY-MM, counted in Asia/Shanghai.

CREATE TABLE accidents (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	region_code TEXT NOT NULL,
	enterprise_id BIGINT NOT NULL,
	mine_kind TEXT NOT NULL,
	occurred_at TIMESTAMP NOT NULL,
	occurred_on TEXT NOT NULL,
	type TEXT NOT NULL CHECK (type IN ('roof', 'gas_explosion', 'gas_outburst', 'water', 'fire', 'transport', 'hoisting',
		'electrical', 'blasting', 'slope_slide', 'dump_slide', 'tailings_failure', 'poisoning', 'other')),
	deaths INTEGER NOT NULL CHECK (deaths >= 0),
	serious_injuries INTEGER NOT NULL CHECK (serious_injuries >= 0),
	direct_loss_yuan BIGINT NOT NULL CHECK (direct_loss_yuan >= 0),
	contractor_involved BOOLEAN NOT NULL DEFAULT FALSE,
	narrative TEXT NOT NULL DEFAULT '',
	grade TEXT NOT NULL CHECK (grade IN ('general', 'larger', 'major', 'especially_major')),
	grade_rule_version INTEGER NOT NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	archived_at TIMESTAMP,
	archive_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX accidents_on ON accidents (occurred_on);
CREATE INDEX accidents_mine ON accidents (mine_id, occurred_on);

-- One row per mine and month; posting a month again replaces the figure
-- (the event keeps the old one).
CREATE TABLE production (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	region_code TEXT NOT NULL,
	enterprise_id BIGINT NOT NULL,
	mine_kind TEXT NOT NULL,
	month TEXT NOT NULL,
	tonnes DOUBLE PRECISION NOT NULL CHECK (tonnes >= 0),
	source TEXT NOT NULL DEFAULT 'entry' CHECK (source IN ('entry', 'import')),
	note TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	UNIQUE (mine_id, month)
);
CREATE INDEX production_month ON production (month);

-- Base-year figures entered per division (or for the city as a whole), used
-- where the base year has no records. NULL: not entered.
CREATE TABLE indicator_base (
	region_code TEXT NOT NULL REFERENCES regions (code),
	year INTEGER NOT NULL,
	accidents INTEGER,
	deaths INTEGER,
	larger_accidents INTEGER,
	major_or_worse_accidents INTEGER,
	coal_deaths INTEGER,
	coal_output_tonnes DOUBLE PRECISION,
	note TEXT NOT NULL DEFAULT '',
	updated_at TIMESTAMP NOT NULL,
	PRIMARY KEY (region_code, year)
);

-- The figures that only exist as current state (insurance, certificates,
-- monitoring), frozen per division at the turn of each year.
CREATE TABLE indicator_snapshots (
	year INTEGER NOT NULL,
	region_code TEXT NOT NULL,
	body TEXT NOT NULL,
	taken_at TIMESTAMP NOT NULL,
	PRIMARY KEY (year, region_code)
);

-- Regulators' supervision staff (监管人员) and their professional background.
CREATE TABLE supervision_staff (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	region_code TEXT NOT NULL REFERENCES regions (code),
	name TEXT NOT NULL,
	unit TEXT NOT NULL DEFAULT '',
	position TEXT NOT NULL DEFAULT '',
	background TEXT NOT NULL CHECK (background IN ('mining', 'electromechanical', 'ventilation', 'geology', 'surveying',
		'safety_engineering', 'hydrogeology', 'mineral_processing', 'other_professional', 'none')),
	background_note TEXT NOT NULL DEFAULT '',
	education TEXT NOT NULL DEFAULT '',
	hired_on TEXT NOT NULL DEFAULT '',
	left_on TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	archived_at TIMESTAMP,
	archive_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX supervision_staff_region ON supervision_staff (region_code);

-- Facts the plan's tasks bind by, extending the registry's mine record
-- (which another capability owns). NULL or '': not known yet.
CREATE TABLE mine_plan_facts (
	mine_id BIGINT PRIMARY KEY REFERENCES mines (id),
	hoist_type TEXT NOT NULL DEFAULT '' CHECK (hoist_type IN ('', 'none', 'single_rope', 'multi_rope', 'other')),
	size_class TEXT NOT NULL DEFAULT '' CHECK (size_class IN ('', 'large', 'medium', 'small')),
	high_risk BOOLEAN,
	remote BOOLEAN,
	power_circuits INTEGER CHECK (power_circuits >= 0),
	backup_power_hours DOUBLE PRECISION CHECK (backup_power_hours >= 0),
	note TEXT NOT NULL DEFAULT '',
	updated_at TIMESTAMP NOT NULL
);

-- Standardisation (安全生产标准化) grades as awarded by the authority, with
-- the scores by part; flags are the rule's findings, never an overruling.
CREATE TABLE std_records (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	grade TEXT NOT NULL CHECK (grade IN ('grade1', 'grade2', 'grade3')),
	total_score DOUBLE PRECISION,
	part_scores TEXT NOT NULL DEFAULT '{}',
	awarded_on TEXT NOT NULL,
	expires_on TEXT NOT NULL,
	revoked_on TEXT NOT NULL DEFAULT '',
	authority TEXT NOT NULL DEFAULT '',
	certificate_no TEXT NOT NULL DEFAULT '',
	flags TEXT NOT NULL DEFAULT '[]',
	rule_version INTEGER NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	archived_at TIMESTAMP,
	archive_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX std_records_mine ON std_records (mine_id, awarded_on);

CREATE TABLE std_spot_checks (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	record_id BIGINT NOT NULL REFERENCES std_records (id),
	checked_on TEXT NOT NULL,
	result TEXT NOT NULL CHECK (result IN ('pass', 'rectify', 'revoke')),
	note TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL
);
CREATE INDEX std_spot_checks_record ON std_spot_checks (record_id, checked_on);

-- The plan's dated tasks. binding is JSON: which mines (or divisions, or the
-- city) a task binds.
CREATE TABLE ledger_tasks (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	code TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	plan_text TEXT NOT NULL DEFAULT '',
	plan_ref TEXT NOT NULL DEFAULT '',
	level TEXT NOT NULL CHECK (level IN ('mine', 'division', 'city')),
	recurrence TEXT NOT NULL DEFAULT 'once' CHECK (recurrence IN ('once', 'yearly')),
	first_year INTEGER NOT NULL DEFAULT 0,
	deadline TEXT NOT NULL,
	binding TEXT NOT NULL DEFAULT '{}',
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	archived_at TIMESTAMP,
	archive_reason TEXT NOT NULL DEFAULT ''
);

-- What one mine (subject 'mine:<id>'), division ('region:<code>') or the
-- city owes for a task, per year for yearly tasks (period 0 otherwise).
CREATE TABLE ledger_items (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	task_id BIGINT NOT NULL REFERENCES ledger_tasks (id),
	subject TEXT NOT NULL,
	mine_id BIGINT REFERENCES mines (id),
	region_code TEXT NOT NULL DEFAULT '',
	period INTEGER NOT NULL DEFAULT 0,
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'verified')),
	evidence TEXT NOT NULL DEFAULT '',
	done_at TIMESTAMP,
	done_by TEXT NOT NULL DEFAULT '',
	verified_at TIMESTAMP,
	verified_by TEXT NOT NULL DEFAULT '',
	return_reason TEXT NOT NULL DEFAULT '',
	hazard_id BIGINT,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	UNIQUE (task_id, subject, period)
);
CREATE INDEX ledger_items_mine ON ledger_items (mine_id);
