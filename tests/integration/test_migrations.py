"""The schema of record three ways — models, schema.sql, Alembic — is one schema."""
from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from lkk_integration.db import Base, make_engine
from lkk_integration.schema import upgrade_schema
from tests.support.parts import PG_URL, ROOT, need


def _differences(engine):
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def test_alembic_baseline_on_sqlite_builds_the_models_schema(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    upgrade_schema(engine)
    assert _differences(engine) == []
    with engine.connect() as c:
        assert c.execute(text("SELECT last_seq FROM export_counter WHERE id = 1")).scalar() == 0
    engine.dispose()


@pytest.fixture
def pg_scratch_schema():
    """A throwaway PostgreSQL schema on the test server, dropped afterwards."""
    need(bool(PG_URL), "PostgreSQL", "set LKK_TEST_DATABASE_URL")
    name = f"scratch_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_URL)
    with admin.begin() as c:
        c.execute(text(f"CREATE SCHEMA {name}"))
    sep = "&" if "?" in PG_URL else "?"
    engine = make_engine(f"{PG_URL}{sep}options=-csearch_path%3D{name}")
    yield engine
    engine.dispose()
    with admin.begin() as c:
        c.execute(text(f"DROP SCHEMA {name} CASCADE"))
    admin.dispose()


@pytest.mark.postgres
def test_schema_sql_applied_to_postgresql_equals_the_models(pg_scratch_schema):
    with pg_scratch_schema.begin() as c:
        c.exec_driver_sql((ROOT / "schema.sql").read_text(encoding="utf-8"))
    assert _differences(pg_scratch_schema) == []


@pytest.mark.postgres
def test_alembic_baseline_on_postgresql_equals_the_models(pg_scratch_schema):
    upgrade_schema(pg_scratch_schema)
    assert _differences(pg_scratch_schema) == []


# A database as the baseline (0001) left it, with one of each thing people care about.
_BASELINE_ROWS = [
    "INSERT INTO organization (id, billing_id, full_name, short_name, org_type, inn, is_active, "
    "created_at) VALUES (1, 'ORG-OLD', 'ТСЖ «Старое»', 'ТСЖ «Старое»', 'ТСЖ', '7700000023', "
    "true, '2026-01-10 09:00:00+00:00')",
    "INSERT INTO contact_person (id, organization_id, full_name, email, email_normalized, "
    "password_hash, created_at) VALUES (1, 1, 'Старова Анна', 'old@example.org', "
    "'old@example.org', '$argon2id$old', '2026-01-10 09:00:00+00:00')",
    "INSERT INTO house (id, organization_id, billing_id, settlement, street, house_number) "
    "VALUES (1, 1, 'H-OLD', 'Тестовск г.', 'Старая ул.', '1')",
    "INSERT INTO personal_account (id, house_id, number, apartment) VALUES (1, 1, '500', '5')",
    "INSERT INTO meter (id, billing_id, kind, house_id, personal_account_id, number, zones, "
    "capacity, transformation_ratio) VALUES (1, 'M-OLD', 'individual', 1, 1, '00012345', 1, 6, "
    "'1')",
    "INSERT INTO reading (id, meter_id, reading_date, period, t1, source, channel, is_current, "
    "submitted_by_person_id, submitted_at) VALUES (1, 1, '2026-01-18', '2026-01-01', '1234.5', "
    "'Обслуживающая организация', 'manual', true, 1, '2026-01-18 10:00:00+00:00')",
    "INSERT INTO action_token (id, person_id, purpose, token_sha256, created_at, expires_at) "
    "VALUES (1, 1, 'recovery', 'ab', '2026-01-10 09:00:00+00:00', '2026-01-12 21:00:00+00:00')",
    "INSERT INTO upload (id, organization_id, person_id, file_name, size_bytes, content_sha256, "
    "uploaded_at, period, status) VALUES (1, 1, 1, 'январь.xls', 100, 'cd', "
    "'2026-01-18 10:00:00+00:00', '2026-01-01', 'sent')",
    "INSERT INTO setting (key, value) VALUES ('period_end_day', '25')",
    # Rows referring to the tables that later migrations rebuild on SQLite (batch mode): a
    # table's drop and re-creation must not trip over them (the demo's meters did).
    "UPDATE meter SET last_accounted_reading_id = 1",
    "INSERT INTO export_event (seq, reading_id, kind, created_at) VALUES (1, 1, 'submitted', "
    "'2026-01-18 10:00:00+00:00')",
    "INSERT INTO soap_client (id, name, secret_hash, created_at) VALUES (1, 'billing-old', "
    "'0123456789abcdef0123456789abcdef', '2026-01-10 09:00:00+00:00')",
    "INSERT INTO soap_request (id, client_id, request_id, operation, body_sha256, "
    "response_json, created_at) VALUES (1, 1, 'req-old', 'RegisterOrganization', 'ef', '{}', "
    "'2026-01-10 09:00:00+00:00')",
    "INSERT INTO upload_row (id, upload_id, sheet_name, row_number, kind, is_valid) "
    "VALUES (1, 1, 'ИПУ', 2, 'individual', true)",
]


def _upgrade_populated(engine) -> dict:
    from alembic import command
    from lkk_integration.schema import alembic_config

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0001")
    with engine.begin() as connection:
        for statement in _BASELINE_ROWS:
            connection.execute(text(statement))
    upgrade_schema(engine)  # what `lkk upgrade-db` runs
    with engine.connect() as c:
        return {
            "person": c.execute(text("SELECT email, password_hash FROM contact_person")).one(),
            "reading": c.execute(text("SELECT t1, is_current, channel FROM reading")).one(),
            "meter": c.execute(text("SELECT number FROM meter")).scalar_one(),
            "token": c.execute(text("SELECT purpose, new_email FROM action_token")).one(),
            "upload": c.execute(text("SELECT file_name, status, notes FROM upload")).one(),
            "setting": c.execute(text("SELECT value FROM setting")).scalar_one(),
            "audit": c.execute(text("SELECT count(*) FROM audit_record")).scalar_one(),
            "references": c.execute(text(
                "SELECT m.last_accounted_reading_id, e.reading_id, q.client_id, r.upload_id "
                "FROM meter m, export_event e, soap_request q, upload_row r")).one(),
        }


EXPECTED_AFTER_UPGRADE = {
    "person": ("old@example.org", "$argon2id$old"), "meter": "00012345",
    "token": ("recovery", None), "upload": ("январь.xls", "sent", None), "setting": "25",
    "audit": 0, "references": (1, 1, 1, 1),
}


def test_a_populated_baseline_database_upgrades_on_sqlite_losing_nothing(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    found = _upgrade_populated(engine)
    assert _differences(engine) == []
    engine.dispose()
    reading = found.pop("reading")
    assert (str(reading[0]), bool(reading[1]), reading[2]) == ("1234.5", True, "manual")
    assert found == EXPECTED_AFTER_UPGRADE


@pytest.mark.postgres
def test_a_populated_baseline_database_upgrades_on_postgresql_losing_nothing(pg_scratch_schema):
    from decimal import Decimal

    found = _upgrade_populated(pg_scratch_schema)
    assert _differences(pg_scratch_schema) == []
    reading = found.pop("reading")
    assert tuple(reading) == (Decimal("1234.5000"), True, "manual")
    assert found == EXPECTED_AFTER_UPGRADE
