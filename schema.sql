-- The DDL of record, generated from lkk_integration/models.py by `lkk schema-sql`.
-- Do not edit: change the models, add an Alembic migration, regenerate.

CREATE TABLE administrator (
	id SERIAL NOT NULL,
	email VARCHAR(254) NOT NULL,
	email_normalized VARCHAR(254) NOT NULL,
	password_hash TEXT NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	password_changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
	CONSTRAINT pk_administrator PRIMARY KEY (id),
	CONSTRAINT uq_administrator_email_normalized UNIQUE (email_normalized)
);

CREATE TABLE audit_record (
	id BIGSERIAL NOT NULL,
	at TIMESTAMP WITH TIME ZONE NOT NULL,
	actor_kind VARCHAR(10) NOT NULL,
	actor_id INTEGER,
	actor VARCHAR(254) NOT NULL,
	action VARCHAR(40) NOT NULL,
	organization_id INTEGER,
	meter_id INTEGER,
	person_id INTEGER,
	object_id BIGINT,
	address VARCHAR(64),
	details TEXT,
	CONSTRAINT pk_audit_record PRIMARY KEY (id),
	CONSTRAINT ck_audit_record_actor_kind CHECK (actor_kind IN ('person', 'client', 'admin', 'operator', 'anonymous'))
);

CREATE INDEX ix_audit_record_at ON audit_record (at);

CREATE INDEX ix_audit_record_meter_at ON audit_record (meter_id, at);

CREATE INDEX ix_audit_record_organization_at ON audit_record (organization_id, at);

CREATE INDEX ix_audit_record_person_at ON audit_record (person_id, at);

CREATE TABLE export_counter (
	id INTEGER NOT NULL,
	last_seq BIGINT NOT NULL,
	CONSTRAINT pk_export_counter PRIMARY KEY (id)
);

CREATE TABLE mail_message (
	id SERIAL NOT NULL,
	to_address VARCHAR(254) NOT NULL,
	subject VARCHAR(300) NOT NULL,
	body TEXT NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
	attempts INTEGER NOT NULL,
	sent_at TIMESTAMP WITH TIME ZONE,
	last_error TEXT,
	CONSTRAINT pk_mail_message PRIMARY KEY (id)
);

CREATE INDEX ix_mail_message_due ON mail_message (sent_at, next_attempt_at);

CREATE TABLE not_read_reason (
	code VARCHAR(20) NOT NULL,
	name VARCHAR(100) NOT NULL,
	is_active BOOLEAN NOT NULL,
	position INTEGER NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE,
	CONSTRAINT pk_not_read_reason PRIMARY KEY (code)
);

CREATE TABLE organization (
	id SERIAL NOT NULL,
	billing_id VARCHAR(64) NOT NULL,
	full_name VARCHAR(500) NOT NULL,
	short_name VARCHAR(200) NOT NULL,
	org_type VARCHAR(100) NOT NULL,
	inn VARCHAR(12) NOT NULL,
	kpp VARCHAR(9),
	ogrn VARCHAR(15),
	contract_number VARCHAR(50),
	is_active BOOLEAN NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	CONSTRAINT pk_organization PRIMARY KEY (id),
	CONSTRAINT uq_organization_billing_id UNIQUE (billing_id),
	CONSTRAINT uq_organization_contract_number UNIQUE (contract_number)
);

CREATE TABLE setting (
	key VARCHAR(100) NOT NULL,
	value TEXT NOT NULL,
	CONSTRAINT pk_setting PRIMARY KEY (key)
);

CREATE TABLE sign_in_attempt (
	id BIGSERIAL NOT NULL,
	kind VARCHAR(10) NOT NULL,
	account VARCHAR(254) NOT NULL,
	address VARCHAR(64) NOT NULL,
	attempted_at TIMESTAMP WITH TIME ZONE NOT NULL,
	succeeded BOOLEAN NOT NULL,
	CONSTRAINT pk_sign_in_attempt PRIMARY KEY (id),
	CONSTRAINT ck_sign_in_attempt_kind CHECK (kind IN ('login', 'recovery'))
);

CREATE INDEX ix_sign_in_attempt_account ON sign_in_attempt (kind, account, attempted_at);

CREATE INDEX ix_sign_in_attempt_address ON sign_in_attempt (kind, address, attempted_at);

CREATE TABLE soap_client (
	id SERIAL NOT NULL,
	name VARCHAR(100) NOT NULL,
	secret_hash BYTEA NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	revoked_at TIMESTAMP WITH TIME ZONE,
	requests_per_minute INTEGER NOT NULL,
	CONSTRAINT pk_soap_client PRIMARY KEY (id),
	CONSTRAINT uq_soap_client_name UNIQUE (name)
);

CREATE TABLE upload_row (
	id BIGSERIAL NOT NULL,
	upload_id INTEGER NOT NULL,
	sheet_name VARCHAR(31) NOT NULL,
	row_number INTEGER NOT NULL,
	kind VARCHAR(20) NOT NULL,
	house_id INTEGER,
	meter_id INTEGER,
	address VARCHAR(500),
	apartment VARCHAR(20),
	account_number VARCHAR(30),
	meter_number VARCHAR(50),
	reading_date DATE,
	raw_date VARCHAR(50),
	raw_t1 VARCHAR(50),
	raw_t2 VARCHAR(50),
	raw_t3 VARCHAR(50),
	t1 NUMERIC(18, 4),
	t2 NUMERIC(18, 4),
	t3 NUMERIC(18, 4),
	is_valid BOOLEAN NOT NULL,
	unfilled BOOLEAN DEFAULT false NOT NULL,
	note TEXT,
	fingerprint TEXT,
	check_note VARCHAR(200),
	raw_not_read VARCHAR(100),
	not_read_reason VARCHAR(20),
	CONSTRAINT pk_upload_row PRIMARY KEY (id),
	CONSTRAINT ck_upload_row_kind CHECK (kind IN ('individual', 'common_house'))
);

CREATE INDEX ix_upload_row_upload_house ON upload_row (upload_id, house_id);

CREATE TABLE admin_session (
	id SERIAL NOT NULL,
	token_sha256 VARCHAR(64) NOT NULL,
	admin_id INTEGER NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
	ended_at TIMESTAMP WITH TIME ZONE,
	CONSTRAINT pk_admin_session PRIMARY KEY (id),
	CONSTRAINT uq_admin_session_token_sha256 UNIQUE (token_sha256),
	CONSTRAINT fk_admin_session_admin_id_administrator FOREIGN KEY(admin_id) REFERENCES administrator (id)
);

CREATE INDEX ix_admin_session_admin_id ON admin_session (admin_id);

CREATE TABLE contact_person (
	id SERIAL NOT NULL,
	organization_id INTEGER NOT NULL,
	full_name VARCHAR(300) NOT NULL,
	mobile_phone VARCHAR(30),
	email VARCHAR(254) NOT NULL,
	email_normalized VARCHAR(254) NOT NULL,
	password_hash VARCHAR(200),
	password_changed_at TIMESTAMP WITH TIME ZONE,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	reminders BOOLEAN DEFAULT true NOT NULL,
	CONSTRAINT pk_contact_person PRIMARY KEY (id),
	CONSTRAINT uq_contact_person_organization_id UNIQUE (organization_id),
	CONSTRAINT fk_contact_person_organization_id_organization FOREIGN KEY(organization_id) REFERENCES organization (id),
	CONSTRAINT uq_contact_person_email_normalized UNIQUE (email_normalized)
);

CREATE TABLE house (
	id SERIAL NOT NULL,
	organization_id INTEGER NOT NULL,
	billing_id VARCHAR(64) NOT NULL,
	settlement VARCHAR(200) NOT NULL,
	street VARCHAR(200) NOT NULL,
	house_number VARCHAR(50) NOT NULL,
	removed_at TIMESTAMP WITH TIME ZONE,
	CONSTRAINT pk_house PRIMARY KEY (id),
	CONSTRAINT fk_house_organization_id_organization FOREIGN KEY(organization_id) REFERENCES organization (id),
	CONSTRAINT uq_house_billing_id UNIQUE (billing_id)
);

CREATE INDEX ix_house_organization_id ON house (organization_id);

CREATE TABLE reminder (
	id SERIAL NOT NULL,
	organization_id INTEGER NOT NULL,
	period DATE NOT NULL,
	days_before INTEGER NOT NULL,
	decided_at TIMESTAMP WITH TIME ZONE NOT NULL,
	houses INTEGER NOT NULL,
	individual INTEGER NOT NULL,
	common_house INTEGER NOT NULL,
	mail_id INTEGER,
	CONSTRAINT pk_reminder PRIMARY KEY (id),
	CONSTRAINT uq_reminder_organization_id UNIQUE (organization_id, period, days_before),
	CONSTRAINT fk_reminder_organization_id_organization FOREIGN KEY(organization_id) REFERENCES organization (id),
	CONSTRAINT fk_reminder_mail_id_mail_message FOREIGN KEY(mail_id) REFERENCES mail_message (id)
);

CREATE INDEX ix_reminder_decided_at ON reminder (decided_at);

CREATE TABLE soap_quota (
	client_id INTEGER NOT NULL,
	window_start TIMESTAMP WITH TIME ZONE NOT NULL,
	calls INTEGER NOT NULL,
	CONSTRAINT pk_soap_quota PRIMARY KEY (client_id, window_start),
	CONSTRAINT fk_soap_quota_client_id_soap_client FOREIGN KEY(client_id) REFERENCES soap_client (id)
);

CREATE TABLE soap_request (
	id SERIAL NOT NULL,
	client_id INTEGER NOT NULL,
	request_id VARCHAR(100) NOT NULL,
	operation VARCHAR(100) NOT NULL,
	body_sha256 VARCHAR(64) NOT NULL,
	response_json TEXT NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	CONSTRAINT pk_soap_request PRIMARY KEY (id),
	CONSTRAINT uq_soap_request_id UNIQUE (client_id, request_id),
	CONSTRAINT fk_soap_request_client_id_soap_client FOREIGN KEY(client_id) REFERENCES soap_client (id)
);

CREATE TABLE action_token (
	id SERIAL NOT NULL,
	person_id INTEGER NOT NULL,
	purpose VARCHAR(20) NOT NULL,
	token_sha256 VARCHAR(64) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
	used_at TIMESTAMP WITH TIME ZONE,
	revoked_at TIMESTAMP WITH TIME ZONE,
	new_email VARCHAR(254),
	CONSTRAINT pk_action_token PRIMARY KEY (id),
	CONSTRAINT ck_action_token_purpose CHECK (purpose IN ('activation', 'recovery', 'email_change')),
	CONSTRAINT fk_action_token_person_id_contact_person FOREIGN KEY(person_id) REFERENCES contact_person (id),
	CONSTRAINT uq_action_token_token_sha256 UNIQUE (token_sha256)
);

CREATE INDEX ix_action_token_person_id ON action_token (person_id);

CREATE TABLE api_token (
	id SERIAL NOT NULL,
	person_id INTEGER NOT NULL,
	name VARCHAR(100) NOT NULL,
	token_hash BYTEA NOT NULL,
	prefix VARCHAR(12) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	last_used_at TIMESTAMP WITH TIME ZONE,
	revoked_at TIMESTAMP WITH TIME ZONE,
	CONSTRAINT pk_api_token PRIMARY KEY (id),
	CONSTRAINT fk_api_token_person_id_contact_person FOREIGN KEY(person_id) REFERENCES contact_person (id),
	CONSTRAINT uq_api_token_token_hash UNIQUE (token_hash)
);

CREATE INDEX ix_api_token_person_id ON api_token (person_id);

CREATE UNIQUE INDEX uq_api_token_live_name ON api_token (person_id, name) WHERE revoked_at IS NULL;

CREATE TABLE login_session (
	id SERIAL NOT NULL,
	token_sha256 VARCHAR(64) NOT NULL,
	public_id VARCHAR(64) NOT NULL,
	person_id INTEGER NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
	ended_at TIMESTAMP WITH TIME ZONE,
	CONSTRAINT pk_login_session PRIMARY KEY (id),
	CONSTRAINT uq_login_session_token_sha256 UNIQUE (token_sha256),
	CONSTRAINT uq_login_session_public_id UNIQUE (public_id),
	CONSTRAINT fk_login_session_person_id_contact_person FOREIGN KEY(person_id) REFERENCES contact_person (id)
);

CREATE INDEX ix_login_session_person_id ON login_session (person_id);

CREATE TABLE personal_account (
	id SERIAL NOT NULL,
	house_id INTEGER NOT NULL,
	number VARCHAR(30) NOT NULL,
	apartment VARCHAR(20) NOT NULL,
	consumer_name VARCHAR(300),
	metering_type VARCHAR(100),
	removed_at TIMESTAMP WITH TIME ZONE,
	CONSTRAINT pk_personal_account PRIMARY KEY (id),
	CONSTRAINT fk_personal_account_house_id_house FOREIGN KEY(house_id) REFERENCES house (id),
	CONSTRAINT uq_personal_account_number UNIQUE (number)
);

CREATE INDEX ix_personal_account_house_id ON personal_account (house_id);

CREATE TABLE upload (
	id SERIAL NOT NULL,
	organization_id INTEGER NOT NULL,
	person_id INTEGER NOT NULL,
	file_name VARCHAR(255) NOT NULL,
	size_bytes INTEGER NOT NULL,
	content_sha256 VARCHAR(64) NOT NULL,
	uploaded_at TIMESTAMP WITH TIME ZONE NOT NULL,
	period DATE NOT NULL,
	status VARCHAR(10) NOT NULL,
	sent_at TIMESTAMP WITH TIME ZONE,
	notes TEXT,
	CONSTRAINT pk_upload PRIMARY KEY (id),
	CONSTRAINT ck_upload_status CHECK (status IN ('checked', 'sent', 'discarded')),
	CONSTRAINT fk_upload_organization_id_organization FOREIGN KEY(organization_id) REFERENCES organization (id),
	CONSTRAINT fk_upload_person_id_contact_person FOREIGN KEY(person_id) REFERENCES contact_person (id)
);

CREATE INDEX ix_upload_organization_hash ON upload (organization_id, content_sha256);

CREATE TABLE api_quota (
	token_id INTEGER NOT NULL,
	window_start TIMESTAMP WITH TIME ZONE NOT NULL,
	calls INTEGER NOT NULL,
	CONSTRAINT pk_api_quota PRIMARY KEY (token_id, window_start),
	CONSTRAINT fk_api_quota_token_id_api_token FOREIGN KEY(token_id) REFERENCES api_token (id)
);

CREATE TABLE api_request (
	id SERIAL NOT NULL,
	token_id INTEGER NOT NULL,
	request_id VARCHAR(255) NOT NULL,
	operation VARCHAR(100) NOT NULL,
	body_sha256 VARCHAR(64) NOT NULL,
	response_json TEXT NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	CONSTRAINT pk_api_request PRIMARY KEY (id),
	CONSTRAINT uq_api_request_id UNIQUE (token_id, request_id),
	CONSTRAINT fk_api_request_token_id_api_token FOREIGN KEY(token_id) REFERENCES api_token (id)
);

CREATE TABLE meter (
	id SERIAL NOT NULL,
	billing_id VARCHAR(64) NOT NULL,
	kind VARCHAR(20) NOT NULL,
	house_id INTEGER NOT NULL,
	personal_account_id INTEGER,
	number VARCHAR(50) NOT NULL,
	zones SMALLINT NOT NULL,
	capacity SMALLINT NOT NULL,
	transformation_ratio NUMERIC(18, 4) NOT NULL,
	verification_due DATE,
	last_accounted_reading_id BIGINT,
	archived_at TIMESTAMP WITH TIME ZONE,
	typical_t1 NUMERIC(18, 4),
	typical_t2 NUMERIC(18, 4),
	typical_t3 NUMERIC(18, 4),
	typical_intervals INTEGER DEFAULT '0' NOT NULL,
	typical_until DATE,
	CONSTRAINT pk_meter PRIMARY KEY (id),
	CONSTRAINT ck_meter_zones CHECK (zones BETWEEN 1 AND 3),
	CONSTRAINT ck_meter_capacity CHECK (capacity BETWEEN 1 AND 12),
	CONSTRAINT ck_meter_kind CHECK (kind IN ('individual', 'common_house')),
	CONSTRAINT ck_meter_account_of_individual CHECK ((kind = 'individual') = (personal_account_id IS NOT NULL)),
	CONSTRAINT uq_meter_billing_id UNIQUE (billing_id),
	CONSTRAINT fk_meter_house_id_house FOREIGN KEY(house_id) REFERENCES house (id),
	CONSTRAINT fk_meter_personal_account_id_personal_account FOREIGN KEY(personal_account_id) REFERENCES personal_account (id)
);

CREATE INDEX ix_meter_house_number ON meter (house_id, number);

CREATE INDEX ix_meter_personal_account_id ON meter (personal_account_id);

CREATE TABLE reading (
	id BIGSERIAL NOT NULL,
	meter_id INTEGER NOT NULL,
	reading_date DATE NOT NULL,
	period DATE NOT NULL,
	t1 NUMERIC(18, 4),
	t2 NUMERIC(18, 4),
	t3 NUMERIC(18, 4),
	source VARCHAR(100) NOT NULL,
	channel VARCHAR(10) NOT NULL,
	is_current BOOLEAN NOT NULL,
	submitted_by_person_id INTEGER,
	submitted_by_client_id INTEGER,
	submitted_at TIMESTAMP WITH TIME ZONE NOT NULL,
	upload_id INTEGER,
	login_session_id VARCHAR(64),
	api_token_id INTEGER,
	replaces_id BIGINT,
	deleted_at TIMESTAMP WITH TIME ZONE,
	billing_verdict VARCHAR(10),
	billing_reason VARCHAR(500),
	verdict_at TIMESTAMP WITH TIME ZONE,
	check_note VARCHAR(200),
	not_read_reason VARCHAR(20),
	CONSTRAINT pk_reading PRIMARY KEY (id),
	CONSTRAINT ck_reading_channel CHECK (channel IN ('manual', 'file', 'billing', 'api')),
	CONSTRAINT ck_reading_billing_verdict CHECK (billing_verdict IN ('accepted', 'declined')),
	CONSTRAINT fk_reading_meter_id_meter FOREIGN KEY(meter_id) REFERENCES meter (id),
	CONSTRAINT fk_reading_submitted_by_person_id_contact_person FOREIGN KEY(submitted_by_person_id) REFERENCES contact_person (id),
	CONSTRAINT fk_reading_submitted_by_client_id_soap_client FOREIGN KEY(submitted_by_client_id) REFERENCES soap_client (id),
	CONSTRAINT fk_reading_upload_id_upload FOREIGN KEY(upload_id) REFERENCES upload (id),
	CONSTRAINT fk_reading_api_token_id_api_token FOREIGN KEY(api_token_id) REFERENCES api_token (id),
	CONSTRAINT fk_reading_replaces_id_reading FOREIGN KEY(replaces_id) REFERENCES reading (id)
);

CREATE INDEX ix_reading_meter_period ON reading (meter_id, period);

CREATE INDEX ix_reading_upload_id ON reading (upload_id);

CREATE UNIQUE INDEX uq_reading_current ON reading (meter_id, period) WHERE is_current;

CREATE TABLE export_event (
	seq BIGINT NOT NULL,
	reading_id BIGINT NOT NULL,
	kind VARCHAR(10) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	CONSTRAINT pk_export_event PRIMARY KEY (seq),
	CONSTRAINT ck_export_event_kind CHECK (kind IN ('submitted', 'deleted')),
	CONSTRAINT fk_export_event_reading_id_reading FOREIGN KEY(reading_id) REFERENCES reading (id)
);

CREATE INDEX ix_export_event_reading_id ON export_event (reading_id);

ALTER TABLE meter ADD CONSTRAINT fk_meter_last_accounted_reading_id_reading FOREIGN KEY(last_accounted_reading_id) REFERENCES reading (id);

INSERT INTO export_counter (id, last_seq) VALUES (1, 0);

INSERT INTO not_read_reason (code, name, is_active, position) VALUES ('NO_ACCESS', 'Нет доступа', TRUE, 0), ('FAULTY', 'ПУ неисправен', TRUE, 1), ('REMOVED', 'ПУ демонтирован', TRUE, 2);

CREATE FUNCTION audit_record_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_record is append-only'; END; $$;

CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_record FOR EACH ROW EXECUTE FUNCTION audit_record_append_only();
