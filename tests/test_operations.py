"""Operations: bounded waits for the database (a hung server answers 503 in seconds, not at
gunicorn's worker timeout)."""
from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from lkk_integration.config import Config
from lkk_integration.core import create_core
from lkk_integration.db import database_unavailable

from .conftest import need


# --- configuration ----------------------------------------------------------------------------
@pytest.mark.parametrize("name, value, message", [
    ("LKK_DATABASE_STATEMENT_TIMEOUT_SECONDS", "15s",
     "LKK_DATABASE_STATEMENT_TIMEOUT_SECONDS must be a whole number, not '15s'"),
    ("LKK_DATABASE_STATEMENT_TIMEOUT_SECONDS", "0",
     "LKK_DATABASE_STATEMENT_TIMEOUT_SECONDS must be at least 1, not 0"),
    ("LKK_DATABASE_CONNECT_TIMEOUT_SECONDS", "1",
     "LKK_DATABASE_CONNECT_TIMEOUT_SECONDS must be at least 2, not 1"),
])
def test_a_malformed_bound_is_refused_by_name(tmp_path, name, value, message):
    with pytest.raises(ValueError) as refused:
        Config.from_env({"LKK_VAR_DIR": str(tmp_path), name: value})
    assert str(refused.value) == message


def test_the_bounds_are_read_from_the_environment(tmp_path):
    config = Config.from_env({"LKK_VAR_DIR": str(tmp_path),
                              "LKK_DATABASE_CONNECT_TIMEOUT_SECONDS": "3",
                              "LKK_DATABASE_STATEMENT_TIMEOUT_SECONDS": " 7 "})
    assert (config.database_connect_timeout, config.database_statement_timeout) == (3, 7)
    defaults = Config.from_env({"LKK_VAR_DIR": str(tmp_path)})
    assert (defaults.database_connect_timeout, defaults.database_statement_timeout) == (5, 15)


# --- bounded waits for PostgreSQL -------------------------------------------------------------
def _postgres(core) -> None:
    need(core.engine.dialect.name == "postgresql", "PostgreSQL", "set LKK_TEST_DATABASE_URL")


@pytest.mark.postgres
def test_the_configured_statement_timeout_is_the_servers_and_keeps_the_urls_options(core,
                                                                                    clock):
    _postgres(core)
    url = core.config.database_url
    sep = "&" if "?" in url else "?"
    config = replace(core.config, database_url=f"{url}{sep}options=-capplication_name%3Dlkk-ops",
                     database_statement_timeout=7)
    bounded = create_core(config, clock=clock)
    with bounded.engine.connect() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar() == "7s"
        assert connection.execute(text("SHOW application_name")).scalar() == "lkk-ops"
    bounded.engine.dispose()


@pytest.mark.postgres
def test_a_statement_past_the_timeout_is_an_outage_and_the_connection_serves_on(core, clock):
    _postgres(core)
    bounded = create_core(replace(core.config, database_statement_timeout=1), clock=clock)
    with bounded.engine.connect() as connection:
        with pytest.raises(OperationalError) as cut:
            connection.execute(text("SELECT pg_sleep(3)"))
        assert database_unavailable(cut.value)
        connection.rollback()
        assert connection.execute(text("SELECT 1")).scalar() == 1
    bounded.engine.dispose()


@pytest.mark.postgres
def test_a_server_that_never_replies_is_cut_by_the_client_and_the_pool_recovers(core, clock):
    """A stopped server cannot enforce its own statement_timeout: here the session lifts it,
    as a hung server would, and the client gives up by itself."""
    _postgres(core)
    bounded = create_core(replace(core.config, database_statement_timeout=1), clock=clock)
    with bounded.engine.connect() as connection:
        connection.execute(text("SET statement_timeout = 0"))
        with pytest.raises(OperationalError) as cut:
            connection.execute(text("SELECT pg_sleep(6)"))
        assert database_unavailable(cut.value) and "no reply" in str(cut.value)
        assert connection.invalidated
    with bounded.engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1
    bounded.engine.dispose()


@pytest.mark.postgres
def test_the_schema_commands_run_without_the_statement_timeout(core, tmp_path, monkeypatch):
    """A migration may rightly rebuild a large table for minutes; an operator watches it."""
    from click.testing import CliRunner

    from lkk_integration.cli import main

    _postgres(core)
    seen = []

    def upgrade(engine):
        with engine.connect() as connection:
            seen.append(connection.execute(text("SHOW statement_timeout")).scalar())
        engine.dispose()

    monkeypatch.setattr("lkk_integration.schema.upgrade_schema", upgrade)
    result = CliRunner().invoke(main, ["upgrade-db"], env={
        "LKK_DATABASE_URL": core.config.database_url, "LKK_VAR_DIR": str(tmp_path),
        "LKK_DATABASE_STATEMENT_TIMEOUT_SECONDS": "7"})
    assert result.exit_code == 0, result.output
    assert seen == ["0"]


# --- the answers while the database is away ---------------------------------------------------
def _gone(config, clock, tmp_path):
    return create_core(replace(config, database_url=f"sqlite:///{tmp_path}/no/such/dir/x.db"),
                       clock=clock)


def test_not_ready_says_when_to_ask_again(config, clock, tmp_path):
    from lkk_web import create_app

    gone = _gone(config, clock, tmp_path)
    answer = create_app(core=gone).test_client().get("/ready")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "30"
    gone.engine.dispose()


def test_the_outage_page_asks_the_database_once(config, clock, tmp_path):
    """Each question to a hung database waits out a bound: the 503 page itself (its contact
    phone, its texts) does not ask again."""
    from lkk_web import create_app

    gone = _gone(config, clock, tmp_path)
    attempts = []
    event.listen(gone.engine, "do_connect", lambda *_args: attempts.append(1))
    client = create_app(core=gone).test_client()
    with client.session_transaction() as cookie:
        cookie["token"] = "a-signed-in-persons-token"
    answer = client.get("/")
    assert answer.status_code == 503 and config.contact_phone in answer.text
    assert len(attempts) == 1
    gone.engine.dispose()
