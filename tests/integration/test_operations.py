"""Operations: bounded waits for the database (a hung server answers 503 in seconds, not at
gunicorn's worker timeout), the sign-in attempts pruned once throttling no longer needs them,
and a refused mail logged without its address."""
from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, event, insert, select, text
from sqlalchemy.exc import OperationalError

from lkk_integration.config import Config
from lkk_integration.core import create_core
from lkk_integration.db import database_unavailable
from lkk_integration.errors import AuthenticationFailed
from lkk_integration.models import MailMessage, SignInAttempt
from lkk_integration.outbox import SmtpTransport, deliver_due, enqueue
from lkk_integration.signin import throttle
from lkk_integration.signin.contact_persons import sign_in
from lkk_integration.signin.throttle import ATTEMPTS_MEMORY, FREE_FAILURES, prune_sign_in_attempts

from tests.support.parts import need

ADDRESS = "198.51.100.7"


# --- configuration ----------------------------------------------------------------------------
@pytest.mark.parametrize("name, value, message", [
    ("LKK_DATABASE_STATEMENT_TIMEOUT_SECONDS", "15s",
     "LKK_DATABASE_STATEMENT_TIMEOUT_SECONDS must be a whole number, not '15s'"),
    ("LKK_DATABASE_STATEMENT_TIMEOUT_SECONDS", "0",
     "LKK_DATABASE_STATEMENT_TIMEOUT_SECONDS must be at least 1, not 0"),
    ("LKK_DATABASE_CONNECT_TIMEOUT_SECONDS", "1",
     "LKK_DATABASE_CONNECT_TIMEOUT_SECONDS must be at least 2, not 1"),
    ("LKK_SIGN_IN_ATTEMPT_RETENTION_HOURS", "12",
     "LKK_SIGN_IN_ATTEMPT_RETENTION_HOURS must be at least 24, not 12"),
])
def test_a_malformed_bound_or_retention_is_refused_by_name(tmp_path, name, value, message):
    with pytest.raises(ValueError) as refused:
        Config.from_env({"LKK_VAR_DIR": str(tmp_path), name: value})
    assert str(refused.value) == message


def test_the_bounds_and_the_retention_are_read_from_the_environment(tmp_path):
    config = Config.from_env({"LKK_VAR_DIR": str(tmp_path),
                              "LKK_DATABASE_CONNECT_TIMEOUT_SECONDS": "3",
                              "LKK_DATABASE_STATEMENT_TIMEOUT_SECONDS": " 7 ",
                              "LKK_SIGN_IN_ATTEMPT_RETENTION_HOURS": "48"})
    assert (config.database_connect_timeout, config.database_statement_timeout,
            config.sign_in_attempt_retention_hours) == (3, 7, 48)
    defaults = Config.from_env({"LKK_VAR_DIR": str(tmp_path)})
    assert (defaults.database_connect_timeout, defaults.database_statement_timeout,
            defaults.sign_in_attempt_retention_hours) == (5, 15, 24)


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

    from lkk_web.cli import main

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


# --- sign-in attempts pruned ------------------------------------------------------------------
def _attempts(core) -> list[dt.datetime]:
    with core.uow() as uow:
        return sorted(uow.session.scalars(select(SignInAttempt.attempted_at)))


def _fail_to_sign_in(core, email="pruned@example.org") -> None:
    with pytest.raises(AuthenticationFailed):
        sign_in(core, email, "Wrong2026pass", ADDRESS)


def test_pruning_deletes_only_the_attempts_throttling_no_longer_looks_at(core, clock):
    _fail_to_sign_in(core)
    clock.advance(hours=23)
    _fail_to_sign_in(core)
    kept = clock.now()
    clock.advance(hours=2)
    assert prune_sign_in_attempts(core) == 1
    assert _attempts(core) == [kept]
    assert prune_sign_in_attempts(core) == 0


def test_a_longer_retention_keeps_older_attempts(core, clock):
    _fail_to_sign_in(core)
    clock.advance(hours=30)
    assert prune_sign_in_attempts(replace(core, config=replace(
        core.config, sign_in_attempt_retention_hours=48))) == 0
    assert prune_sign_in_attempts(core) == 1


def test_a_backlog_is_pruned_whole_in_batches(core, clock, monkeypatch):
    monkeypatch.setattr(throttle, "PRUNE_BATCH", 2)
    statements = []
    event.listen(core.engine, "before_cursor_execute",
                 lambda _c, _cur, sql, *_a: statements.append(sql)
                 if sql.lstrip().upper().startswith("DELETE") else None)
    for _ in range(5):
        _fail_to_sign_in(core)
    clock.advance(days=30)
    _fail_to_sign_in(core)
    assert prune_sign_in_attempts(core) == 5
    assert len(_attempts(core)) == 1 and len(statements) == 3


# Minutes before now: mostly the last two hours (where waits are imposed), around the 24 hours
# throttling looks back, and anywhere in three days.
AGES = st.one_of(st.integers(0, 120), st.integers(24 * 60 - 10, 24 * 60 + 10),
                 st.integers(0, 72 * 60))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=st.lists(st.tuples(st.sampled_from(["login", "login", "recovery"]),
                                  st.sampled_from(["a@example.org", "b@example.org"]),
                                  st.sampled_from(["198.51.100.1", "198.51.100.2"]),
                                  st.sampled_from([False, False, False, True]), AGES),
                        min_size=30, max_size=120))
def test_pruning_never_changes_a_throttling_verdict(core, history):
    """Whatever the history of attempts (three days of them, in time order), every wait that
    throttling would impose on any account and address is the same after pruning, and every
    attempt it looks at is kept."""
    now = core.clock.now()
    history = sorted(history, key=lambda attempt: -attempt[4])
    with core.uow() as uow:
        uow.session.execute(delete(SignInAttempt))
        if history:
            uow.session.execute(insert(SignInAttempt), [
                {"kind": kind, "account": account, "address": address, "succeeded": succeeded,
                 "attempted_at": now - dt.timedelta(minutes=age)}
                for kind, account, address, succeeded, age in history])
        uow.commit()

    def verdicts() -> dict:
        with core.uow() as uow:
            return {(kind, column.key, value): throttle._wait_minutes(
                uow.session, core, kind, 0, column, value, FREE_FAILURES[scope],
                since_success=scope == "account")
                for kind in ("login", "recovery")
                for scope, column, values in (
                    ("account", SignInAttempt.account, ["a@example.org", "b@example.org"]),
                    ("address", SignInAttempt.address, ["198.51.100.1", "198.51.100.2"]))
                for value in values}

    before, moments = verdicts(), _attempts(core)
    prune_sign_in_attempts(core)
    assert verdicts() == before
    # What throttling may still look at is all there; only the rest went.
    assert _attempts(core) == [moment for moment in moments if moment >= now - ATTEMPTS_MEMORY]


def test_the_serve_thread_prunes_hourly_by_the_clock(core, clock):
    from lkk_web.cli import background_thread

    thread = background_thread(core)
    _fail_to_sign_in(core)
    clock.advance(hours=1, minutes=15)
    _fail_to_sign_in(core)
    later = clock.now()
    clock.advance(hours=23, minutes=45)
    thread.run_round()
    assert _attempts(core) == [later]
    clock.advance(minutes=30)  # 24 h 15 min old, but within the hour of the last pruning
    thread.run_round()
    assert _attempts(core) == [later]
    clock.advance(minutes=30)
    thread.run_round()
    assert _attempts(core) == []


def test_the_prune_command_for_a_timer(core, clock, tmp_path):
    from click.testing import CliRunner

    from lkk_web.cli import main

    _fail_to_sign_in(core)
    clock.advance(hours=20)
    _fail_to_sign_in(core)
    clock.advance(hours=5)
    env = {"LKK_DATABASE_URL": core.config.database_url, "LKK_VAR_DIR": str(tmp_path),
           "LKK_SECRET_KEY": core.config.secret_key,
           "LKK_CLOCK_START": clock.now().isoformat()}
    result = CliRunner().invoke(main, ["prune-sign-in-attempts"], env=env)
    assert result.exit_code == 0, result.output
    assert result.output == "deleted 1 sign-in attempts older than 24 h\n"
    assert len(_attempts(core)) == 1


# --- a refused mail in the log ----------------------------------------------------------------
class _Refusing:
    """An SMTP server's handler that refuses every recipient, quoting the address back."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return f"550 5.1.1 <{address}>: Recipient address rejected: user unknown"


def test_a_refused_recipient_is_logged_by_the_message_id_only(core, clock, smtp_port, caplog):
    from aiosmtpd.controller import Controller

    refused = "ivanova.refused@uk-test.example"
    with core.uow() as uow:
        message = enqueue(uow.session, clock, refused, "Тема", "Текст")
        uow.commit()
    controller = Controller(_Refusing(), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    caplog.set_level(logging.DEBUG)
    try:
        assert deliver_due(core.session_factory, clock, SmtpTransport(core.config.mail),
                           "lkk@example.org") == (0, 1)
    finally:
        controller.stop()
    # The product's loggers (aiosmtpd's own, the test server's, do show the address).
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("lkk"))
    assert f"mail {message.id} not delivered (attempt 1): SMTPRecipientsRefused (550)" in logged
    assert "ivanova" not in logged.lower() and "uk-test" not in logged
    with core.uow() as uow:  # the reason stays with the message, for the operator
        assert refused in uow.session.get(MailMessage, message.id).last_error


class _Raising:
    def __init__(self, error: BaseException):
        self.error = error

    def send(self, _message) -> None:
        raise self.error


def _refusals(address: str) -> st.SearchStrategy[BaseException]:
    quoted = f"5.1.1 <{address}> rejected".encode()
    return st.sampled_from([
        smtplib.SMTPRecipientsRefused({address: (550, quoted)}),
        smtplib.SMTPDataError(554, quoted),
        smtplib.SMTPSenderRefused(553, quoted, address),
        smtplib.SMTPResponseException(451, quoted),
        smtplib.SMTPServerDisconnected(f"closed while sending to {address}"),
        smtplib.SMTPNotSupportedError(f"SMTPUTF8 needed for {address}"),
        ConnectionResetError(104, f"reset while sending to {address}"),
        OSError(f"cannot send to {address}"),
    ])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), local=st.from_regex(r"[a-z][a-z0-9._-]{2,20}", fullmatch=True))
def test_no_delivery_failure_puts_the_address_in_the_log(core, data, local):
    address = f"{local}@refused-{len(local)}.example"
    error = data.draw(_refusals(address))
    with core.uow() as uow:
        message = enqueue(uow.session, core.clock, address, "Тема", "Текст")
        uow.commit()
    logger = logging.getLogger("lkk_integration.outbox")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        assert deliver_due(core.session_factory, core.clock, _Raising(error),
                           "lkk@example.org") == (0, 1)
    finally:
        logger.removeHandler(handler)
    logged = "\n".join(record.getMessage() for record in records)
    assert f"mail {message.id} not delivered (attempt 1): {type(error).__name__}" in logged
    assert address not in logged and f"refused-{len(local)}.example" not in logged
