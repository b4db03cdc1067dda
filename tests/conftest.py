"""Fixtures: a real database per test (SQLite file, or PostgreSQL when LKK_TEST_DATABASE_URL is
set), the fixed clock, the app, a live HTTP server on loopback and an SMTP server (aiosmtpd).

Optional real parts (PostgreSQL, LibreOffice, …) skip loudly when missing; with
LKK_REQUIRE_ALL=1 (CI) a missing part fails the test instead.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import threading
import time

import pytest
from sqlalchemy import text

from lkk_integration.clock import FixedClock
from lkk_integration.config import Config, MailConfig, PasswordHashing
from lkk_integration.core import create_core
from lkk_integration.db import Base, make_engine
from lkk_integration.schema import COUNTER_ROW, REASON_ROWS, create_schema
from tests.support.cabinet import PASSWORD, activate, log_in
from tests.support.organizations import story_organization
from tests.support.parts import PG_URL, REQUIRE_ALL, free_port, need

# Inside the default submission period (15–26), Moscow time.
MOSCOW_NOON_MARCH_20 = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))


def pytest_configure(config):
    if sys.version_info < (3, 12):
        # spyne 2.14's vendored six has an importer without find_spec: Python 3.11 warns when
        # an import reaches it and falls back; 3.12+ no longer asks it (spyne_compat.py).
        config.addinivalue_line("filterwarnings", "ignore:_SixMetaPathImporter:ImportWarning")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "core" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


def pytest_report_header(config):
    where = (PG_URL.split("@")[-1] if PG_URL
             else "SQLite files (set LKK_TEST_DATABASE_URL for PostgreSQL)")
    return [f"LKK database tests on: {where}", f"LKK_REQUIRE_ALL={int(REQUIRE_ALL)}"]


_pg_ready = False


def _reset_postgres(url: str) -> None:
    """Empty every table of the test database (schema created once per run)."""
    global _pg_ready
    engine = make_engine(url)
    try:
        if not _pg_ready:
            with engine.begin() as c:
                c.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                c.execute(text("CREATE SCHEMA public"))
            create_schema(engine, stamp=False)
            _pg_ready = True
        else:
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            with engine.begin() as c:
                c.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                c.execute(text(COUNTER_ROW))
                c.execute(text(REASON_ROWS))
    finally:
        engine.dispose()


@pytest.fixture
def database_url(tmp_path) -> str:
    if PG_URL:
        _reset_postgres(PG_URL)
        return PG_URL
    return f"sqlite:///{tmp_path / 'lkk.sqlite3'}"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MOSCOW_NOON_MARCH_20)


@pytest.fixture
def in_utc(monkeypatch):
    """The server process's own time zone is UTC (as on most servers)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def config(database_url, tmp_path, port, smtp_port) -> Config:
    return Config(
        database_url=database_url, public_url=f"http://127.0.0.1:{port}",
        secret_key="test-secret-key-not-for-production",
        mail=MailConfig(mode="smtp", folder=tmp_path / "mail", smtp_host="127.0.0.1",
                        smtp_port=smtp_port, sender="lkk-oo@example.org"),
        # A cheap argon2id: the tests check the mechanism, not the cost.
        password_hashing=PasswordHashing(time_cost=1, memory_cost_kib=8, parallelism=1))


@pytest.fixture
def core(config, clock, request):
    core = create_core(config, clock=clock)
    if not PG_URL:
        create_schema(core.engine, stamp=False)
    if request.node.get_closest_marker("kind_days") is None:
        # The story's installation takes common-house meters' readings on individual meters'
        # days, so that a test of any other rule dates its readings freely; tests marked
        # kind_days have the defaults, common-house meters' own days (docs/spec.md §5.2).
        from lkk_integration.readings.rules import save_rules

        with core.uow() as uow:
            save_rules(uow.session, common_house_start_day=15, common_house_end_day=26,
                       common_house_last_reading_day=26)
            uow.commit()
    yield core
    # A live server's request threads are not joined at its shutdown: one still running holds
    # a connection that dispose() would leave to the garbage collector (a ResourceWarning in a
    # later test). Let them finish, briefly.
    deadline = time.monotonic() + 10
    while core.engine.pool.checkedout() and time.monotonic() < deadline:
        time.sleep(0.02)
    core.engine.dispose()


@pytest.fixture
def app(core):
    from lkk_web import create_app

    app = create_app(core=core)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def live_server(app, port):
    """The whole WSGI app (cabinet and /soap) on a real HTTP server on loopback."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(5)


class Mailbox:
    """Messages an aiosmtpd server on loopback received."""

    def __init__(self):
        self.messages = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        with self.arrived:
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
            self.arrived.notify_all()
        return "250 OK"


@pytest.fixture
def start_smtp(smtp_port):
    """Start (and at teardown stop) a real SMTP server on the configured loopback port."""
    from aiosmtpd.controller import Controller

    controllers = []

    def start() -> Mailbox:
        mailbox = Mailbox()
        controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return mailbox

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def soap_credentials(core) -> tuple[str, str]:
    from lkk_integration.organizations.clients import create_client

    _id, secret = create_client(core, "billing-test")
    return "billing-test", secret


@pytest.fixture
def zeep_client(live_server, soap_credentials):
    """A zeep client built from the served WSDL, with HTTP Basic credentials."""
    import requests
    import zeep
    from zeep.transports import Transport

    session = requests.Session()
    session.auth = soap_credentials
    yield zeep.Client(f"{live_server}/soap?wsdl", transport=Transport(session=session))
    session.close()


@pytest.fixture
def signed_in(core, client, zeep_client):
    """The story's organization registered over SOAP and its contact person signed in."""
    zeep_client.service.RegisterOrganization(RequestId="reg-1", Organization=story_organization())
    activate(core, PASSWORD)
    log_in(client)
    return client


# --- the browser (Playwright + Debian's Chromium); tests/e2e/test_browser*.py -------------------
CHROMIUM = os.environ.get("LKK_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    import shutil

    need(shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM), "Chromium",
         "apt-get install chromium (and pip install playwright)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright", "pip install playwright")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1366, "height": 768},
                                  locale="ru-RU")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def organization(core, zeep_client):
    """The story's organization, registered over SOAP; its core."""
    zeep_client.service.RegisterOrganization(RequestId="reg", Organization=story_organization())
    return core
