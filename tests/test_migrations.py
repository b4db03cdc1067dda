"""The schema of record three ways — models, schema.sql, Alembic — is one schema."""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from lkk_integration.db import Base, make_engine
from lkk_integration.schema import upgrade_schema

from .conftest import PG_URL, need

ROOT = Path(__file__).resolve().parent.parent


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
