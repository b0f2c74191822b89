-- Inspections and enforcement (监管执法): annual plans and their random draws
-- (双随机), inspection records with their findings and re-checks, decisions
-- (rectify, halt, fine), the blacklist, and the power baselines that the
-- electronic-seal watch compares sealed mines with. Dates that are days
-- are YYYY-MM-DD text; lists kept whole with their record (inspectors,
-- checklist answers, draw candidates) are JSON text.

CREATE TABLE inspection_plans (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	region_code TEXT NOT NULL REFERENCES regions (code),
	year INTEGER NOT NULL,
	name TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	frequency_version INTEGER NOT NULL,
	created_at TIMESTAMP NOT NULL,
	created_by BIGINT,
	creator TEXT NOT NULL
);
CREATE INDEX inspection_plans_region ON inspection_plans (region_code, year);

-- One mine of a plan: its risk class (given, or the documented default)
-- and the inspections a year that class asks for (一矿一策).
CREATE TABLE inspection_plan_items (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	plan_id BIGINT NOT NULL REFERENCES inspection_plans (id),
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	risk_class TEXT NOT NULL CHECK (risk_class IN ('major', 'high', 'medium', 'low')),
	risk_source TEXT NOT NULL,
	per_year INTEGER NOT NULL,
	UNIQUE (plan_id, mine_id)
);

-- A random draw keeps everything needed to draw again and compare: the
-- seed, the algorithm, the candidates as they were and their hash.
CREATE TABLE inspection_draws (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	plan_id BIGINT NOT NULL REFERENCES inspection_plans (id),
	draw_count INTEGER NOT NULL,
	seed TEXT NOT NULL,
	algorithm TEXT NOT NULL,
	candidates TEXT NOT NULL,
	candidate_hash TEXT NOT NULL,
	inspector_pool TEXT NOT NULL DEFAULT '[]',
	per_mine INTEGER NOT NULL DEFAULT 0,
	selected TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	created_by BIGINT,
	creator TEXT NOT NULL
);
CREATE INDEX inspection_draws_plan ON inspection_draws (plan_id, id);

CREATE TABLE inspections (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	region_code TEXT NOT NULL,
	enterprise_id BIGINT NOT NULL,
	plan_id BIGINT REFERENCES inspection_plans (id),
	inspected_on TEXT NOT NULL,
	place TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'decided', 'rechecked', 'closed')),
	inspectors TEXT NOT NULL,
	checklist TEXT NOT NULL DEFAULT '[]',
	checklist_version INTEGER NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	created_by BIGINT,
	creator TEXT NOT NULL,
	submitted_at TIMESTAMP,
	closed_at TIMESTAMP,
	closed_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inspections_mine ON inspections (mine_id, id);
CREATE INDEX inspections_region ON inspections (region_code, id);

-- A finding becomes a hazard (hazard_id, from the hazard register) and/or
-- a violation with its legal basis.
CREATE TABLE inspection_findings (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	inspection_id BIGINT NOT NULL REFERENCES inspections (id),
	seq INTEGER NOT NULL,
	description TEXT NOT NULL,
	legal_basis TEXT NOT NULL DEFAULT '',
	becomes_hazard BOOLEAN NOT NULL DEFAULT FALSE,
	hazard_level TEXT NOT NULL DEFAULT '',
	criterion_code TEXT NOT NULL DEFAULT '',
	deadline TEXT NOT NULL DEFAULT '',
	violation_type TEXT NOT NULL DEFAULT '',
	hazard_id BIGINT,
	UNIQUE (inspection_id, seq)
);

CREATE TABLE inspection_rechecks (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	inspection_id BIGINT NOT NULL REFERENCES inspections (id),
	rechecked_on TEXT NOT NULL,
	result TEXT NOT NULL CHECK (result IN ('pass', 'fail')),
	note TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	created_by BIGINT,
	creator TEXT NOT NULL
);
CREATE INDEX inspection_rechecks_inspection ON inspection_rechecks (inspection_id, id);

-- Decisions of an inspection: rectify by a deadline, halt (停产整顿, the
-- mine's status before it is kept to restore on lifting), fine (within
-- the discretion range of its version, or outside it with a reason).
CREATE TABLE enforcement_decisions (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	inspection_id BIGINT NOT NULL REFERENCES inspections (id),
	mine_id BIGINT NOT NULL REFERENCES mines (id),
	region_code TEXT NOT NULL,
	enterprise_id BIGINT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('rectify', 'halt', 'fine')),
	state TEXT NOT NULL CHECK (state IN ('issued', 'in_force', 'lifted', 'proposed', 'payment_reported', 'paid', 'transferred', 'withdrawn')),
	doc_no TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	deadline TEXT NOT NULL DEFAULT '',
	finding_ids TEXT NOT NULL DEFAULT '[]',
	previous_status TEXT NOT NULL DEFAULT '',
	lifted_at TIMESTAMP,
	lifted_by TEXT NOT NULL DEFAULT '',
	lift_reason TEXT NOT NULL DEFAULT '',
	violation_type TEXT NOT NULL DEFAULT '',
	violation_name TEXT NOT NULL DEFAULT '',
	legal_basis TEXT NOT NULL DEFAULT '',
	circumstance TEXT NOT NULL DEFAULT '',
	amount_yuan BIGINT,
	range_min_yuan BIGINT,
	range_max_yuan BIGINT,
	outside_range BOOLEAN NOT NULL DEFAULT FALSE,
	reason TEXT NOT NULL DEFAULT '',
	discretion_version INTEGER,
	issued_at TIMESTAMP,
	received_at TIMESTAMP,
	received_by TEXT NOT NULL DEFAULT '',
	paid_on TEXT NOT NULL DEFAULT '',
	payment_evidence TEXT NOT NULL DEFAULT '',
	payment_reported_at TIMESTAMP,
	payment_confirmed_at TIMESTAMP,
	payment_confirmed_by TEXT NOT NULL DEFAULT '',
	transfer_department TEXT NOT NULL DEFAULT '',
	transferred_on TEXT NOT NULL DEFAULT '',
	transfer_receipt_no TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	created_by BIGINT,
	creator TEXT NOT NULL
);
CREATE INDEX enforcement_decisions_inspection ON enforcement_decisions (inspection_id, id);
CREATE INDEX enforcement_decisions_region ON enforcement_decisions (region_code, kind, id);
-- A mine is halted by at most one decision at a time.
CREATE UNIQUE INDEX enforcement_decisions_halt ON enforcement_decisions (mine_id) WHERE kind = 'halt' AND state = 'in_force';

-- 黑名单: an enterprise enters with a reason and leaves with one; at most
-- one open entry per enterprise, every entry kept.
CREATE TABLE blacklist_entries (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
	region_code TEXT NOT NULL DEFAULT '',
	reason TEXT NOT NULL,
	decision_id BIGINT REFERENCES enforcement_decisions (id),
	entered_at TIMESTAMP NOT NULL,
	entered_by BIGINT,
	enterer TEXT NOT NULL,
	exited_at TIMESTAMP,
	exited_by BIGINT,
	exiter TEXT NOT NULL DEFAULT '',
	exit_reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX blacklist_open ON blacklist_entries (enterprise_id) WHERE exited_at IS NULL;

-- The standby load a sealed mine may draw (ventilation, drainage); above it
-- by more than the tolerance, illegal production is suspected.
CREATE TABLE mine_power_baselines (
	mine_id BIGINT PRIMARY KEY REFERENCES mines (id),
	kw DOUBLE PRECISION NOT NULL,
	tolerance_pct DOUBLE PRECISION NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	set_at TIMESTAMP NOT NULL,
	set_by BIGINT,
	setter TEXT NOT NULL
);
