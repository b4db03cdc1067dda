"""A fresh clone upgrades an old demo database with one command, `lkk upgrade-db`.

tests/databases/old_demo_0001.sql is the demo database an early release (commit 6ec21f6, Alembic
revision 0001 only) made with `lkk demo --no-serve`, dumped by sqlite3's iterdump(); its header
says how to regenerate it. SQLite only: it needs no PostgreSQL.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from lkk_integration.clock import FixedClock
from lkk_integration.config import Config, MailConfig, PasswordHashing
from lkk_integration.core import create_core
from lkk_integration.db import Base, make_engine
from lkk_integration.schema import alembic_config
from tests.support.cabinet import log_in, page_text
from tests.support.parts import DATABASES


OLD_DEMO_SQL = DATABASES / "old_demo_0001.sql"
# What the old `lkk demo` printed.
DEMO_LOGIN = "demo@example.org"
DEMO_PASSWORD = "Demo2026pass"
MOSCOW_NOON_MARCH_20 = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
# The rows whose identity matters most, read the same way before and after the upgrade.
KEYS = {
    "organization": "SELECT id, billing_id, inn, short_name, full_name FROM organization "
                    "ORDER BY id",
    "meter": "SELECT id, billing_id, house_id, personal_account_id, number, zones FROM meter "
             "ORDER BY id",
    "reading": "SELECT id, meter_id, reading_date, period, t1, t2, t3, is_current FROM reading "
               "ORDER BY id",
}


def _load_old_demo(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executescript(OLD_DEMO_SQL.read_text(encoding="utf-8"))


def _counts(path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        tables = [name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _keys(path: Path) -> dict[str, list[tuple]]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return {table: db.execute(query).fetchall() for table, query in KEYS.items()}


def _upgrade_db(path: Path, var_dir: Path) -> subprocess.CompletedProcess:
    """`lkk upgrade-db` as a user types it, in its own process, on the database at `path`.

    The console script, not `python -m lkk_web.cli`: that module has no __main__ guard,
    so `-m` would exit 0 having done nothing.
    """
    lkk = Path(sys.executable).parent / "lkk"
    assert lkk.exists(), f"the console script {lkk} is missing: pip install -e ."
    env = {k: v for k, v in os.environ.items() if not k.startswith("LKK_")}
    env.update(LKK_DATABASE_URL=f"sqlite:///{path}", LKK_VAR_DIR=str(var_dir))
    return subprocess.run([str(lkk), "upgrade-db"], env=env, cwd=var_dir, capture_output=True,
                          text=True, timeout=120, check=False)


def _revision_and_differences(url: str) -> tuple[str | None, list]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            return context.get_current_revision(), compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def _organization_names(path: Path) -> tuple[str, str]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT short_name, full_name FROM organization").fetchone()


def test_the_old_demo_upgrades_with_one_command_keeping_its_rows_and_signs_in(tmp_path):
    """The 0001-era demo database reaches the head with `lkk upgrade-db`, loses nothing, serves."""
    path = tmp_path / "old_demo.sqlite3"
    url = f"sqlite:///{path}"
    _load_old_demo(path)
    assert _revision_and_differences(url)[0] == "0001"
    counts_before, keys_before = _counts(path), _keys(path)
    assert counts_before["reading"] > 0 and counts_before["organization"] == 1

    done = _upgrade_db(path, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Database upgraded" in done.stdout

    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    revision, differences = _revision_and_differences(url)
    assert revision == head != "0001"
    assert differences == []
    counts_after = _counts(path)
    assert {t: counts_after[t] for t in counts_before} == counts_before
    assert _keys(path) == keys_before

    short_name, full_name = _organization_names(path)
    core = create_core(Config(
        database_url=url, public_url="http://127.0.0.1:8000",
        secret_key="test-secret-key-not-for-production",
        mail=MailConfig(mode="folder", folder=tmp_path / "mail"),
        password_hashing=PasswordHashing(time_cost=1, memory_cost_kib=8, parallelism=1)),
        clock=FixedClock(MOSCOW_NOON_MARCH_20))
    try:
        from lkk_web import create_app

        app = create_app(core=core)
        app.config["TESTING"] = True
        client = app.test_client()
        main = log_in(client, DEMO_LOGIN, DEMO_PASSWORD)
        assert main.status_code == 200
        assert main.request.path == "/"  # signed in: the old argon2 hash still verifies
        shown = page_text(main.text)
        assert short_name in shown and full_name in shown
    finally:
        core.engine.dispose()


def test_upgrading_the_upgraded_old_demo_again_changes_nothing(tmp_path):
    """A second `lkk upgrade-db` on the upgraded old demo exits 0 and leaves every count as is."""
    path = tmp_path / "old_demo.sqlite3"
    url = f"sqlite:///{path}"
    _load_old_demo(path)
    first = _upgrade_db(path, tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    counts, keys = _counts(path), _keys(path)

    again = _upgrade_db(path, tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert _counts(path) == counts
    assert _keys(path) == keys
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert _revision_and_differences(url) == (head, [])
