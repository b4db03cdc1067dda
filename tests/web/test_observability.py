"""Health and readiness, one request id per request (in the access log, the error page and the
SOAP fault), and no link token or query string in the access log (docs/spec.md §18.6, §18.7;
docs/operations.md, "Logs")."""
from __future__ import annotations

import json
import logging

import pytest

from lkk_integration.core import create_core

from tests.support.soap import post_soap, soap_envelope


def test_health_and_readiness(client):
    assert client.get("/health").json == {"status": "ok"}
    assert client.get("/ready").json == {"status": "ok", "database": "ok"}


def test_not_ready_while_the_database_does_not_answer(config, clock, tmp_path):
    from dataclasses import replace

    from lkk_web import create_app

    gone = create_core(replace(config, database_url=f"sqlite:///{tmp_path}/no/such/dir/x.db"),
                       clock=clock)
    answer = create_app(core=gone).test_client().get("/ready")
    assert answer.status_code == 503 and answer.json["database"] == "unreachable"
    gone.engine.dispose()


def test_a_database_out_of_reach_gets_503_with_the_code_on_pages_and_in_soap_faults(
        config, clock, tmp_path, monkeypatch):
    """No 500 and no traceback while the database is down: the page says to repeat in a minute
    and gives the request's code; SOAP answers Server.Unavailable, before authentication
    (the gateway) and inside an operation (spyne) alike."""
    from dataclasses import replace
    from types import SimpleNamespace

    from lkk_integration import messages as msg
    from lkk_web import create_app

    from tests.support.cabinet import csrf_token

    gone = create_core(replace(config, database_url=f"sqlite:///{tmp_path}/no/such/dir/x.db"),
                       clock=clock)
    client = create_app(core=gone).test_client()
    login = client.get("/login")
    assert login.status_code == 200 and config.contact_phone in login.text
    answer = client.post("/login", headers={"X-Request-Id": "outage-page-01"}, data={
        "csrf_token": csrf_token(login.text), "email": "a@example.org", "password": "x"})
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "30"
    assert msg.service_unavailable(code="outage-page-01") in answer.text

    envelope = soap_envelope("<v1:ExportReadings><v1:Cursor>0</v1:Cursor><v1:Limit>10</v1:Limit>"
                             "</v1:ExportReadings>")
    fault = client.post("/soap", data=envelope, auth=("billing", "secret"),
                        headers={"X-Request-Id": "outage-soap-01",
                                 "Content-Type": "text/xml; charset=utf-8"})
    assert fault.status_code == 503 and fault.headers["Retry-After"] == "30"
    assert "Server.Unavailable" in fault.text and "outage-soap-01" in fault.text
    monkeypatch.setattr("lkk_integration.soap.app.admit_call",
                        lambda *_args: SimpleNamespace(id=1))
    fault = client.post("/soap", data=envelope, auth=("billing", "secret"),
                        headers={"X-Request-Id": "outage-soap-02",
                                 "Content-Type": "text/xml; charset=utf-8"})
    assert fault.status_code == 503 and fault.headers["Retry-After"] == "30"
    assert "Server.Unavailable" in fault.text and "outage-soap-02" in fault.text
    gone.engine.dispose()


def test_each_request_has_an_id_and_one_access_line_without_tokens(client, caplog):
    caplog.set_level(logging.INFO, logger="lkk.access")
    given = client.get("/login?email=someone@example.org", headers={"X-Request-Id": "proxy-1234"})
    assert given.headers["X-Request-Id"] == "proxy-1234"
    made = client.get("/password/SeCrEtToKeN123?x=1", headers={"X-Request-Id": "<bad id>"})
    assert made.headers["X-Request-Id"] != "<bad id>" and len(made.headers["X-Request-Id"]) == 16
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "lkk.access"]
    assert [(line["request_id"], line["path"], line["status"]) for line in lines] == [
        ("proxy-1234", "/login", 200), (made.headers["X-Request-Id"], "/password/…", 410)]
    text = caplog.text
    assert "SeCrEtToKeN123" not in text and "someone@example.org" not in text


def test_the_error_page_and_the_soap_fault_carry_the_request_id(app, monkeypatch, live_server):
    from lkk_integration.soap.app import SoapGateway

    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken(self, environ, start_response):
        raise RuntimeError("a bug")

    monkeypatch.setattr(SoapGateway, "_handle", broken)
    answer = post_soap(live_server, soap_envelope("<v1:GetOrganization/>"),
                       headers={"X-Request-Id": "trace-soap-0001"})
    assert answer.status_code == 500 and "trace-soap-0001" in answer.text
    page = app.test_client().get("/login", headers={"X-Request-Id": "trace-page-0001"})
    assert page.status_code == 200
    monkeypatch.setattr("lkk_web.auth.render_template", lambda *_a, **_k: 1 / 0)
    broken_page = app.test_client().get("/login", headers={"X-Request-Id": "trace-page-0002"})
    assert broken_page.status_code == 500 and "trace-page-0002" in broken_page.text


def test_gunicorn_with_the_repository_settings_logs_requests_as_json_without_tokens(tmp_path):
    """gunicorn.conf.py as production starts it (two workers): it boots, and its log has the
    application's JSON line per request and none of gunicorn's own request lines, which would
    carry query strings and link tokens."""
    import json

    import requests

    from lkk_integration.db import make_engine
    from lkk_integration.schema import create_schema

    from tests.support.rehearsal import Gunicorn

    url = f"sqlite:///{tmp_path / 'lkk.sqlite3'}"
    engine = make_engine(url)
    create_schema(engine)
    engine.dispose()
    with Gunicorn(url, tmp_path / "server", workers=2, log_level="INFO") as server:
        assert requests.get(f"{server.base_url}/login?email=someone@example.org",
                            timeout=10).status_code == 200
        # An unknown link: the page says it is not valid (410).
        assert requests.get(f"{server.base_url}/password/SeCrEtToKeN123",
                            timeout=10).status_code == 410
    log = server.log()
    assert "Booting worker" in log
    lines = [json.loads(line[line.index("{"):]) for line in log.splitlines()
             if "lkk.access" in line]
    assert {(line["method"], line["path"], line["status"]) for line in lines} >= {
        ("GET", "/login", 200), ("GET", "/password/…", 410)}
    assert "SeCrEtToKeN123" not in log and "someone@example.org" not in log
    assert "GET /login" not in log  # no request line of gunicorn's own


def test_the_story_leaves_no_name_phone_password_token_or_secret_in_the_log(
        core, live_server, zeep_client, soap_credentials, caplog):
    """The whole job as tests/e2e/test_story.py walks it, with every logger captured as
    `lkk serve` configures them."""
    from lkk_web.cli import quiet_request_log

    caplog.set_level(logging.DEBUG)
    werkzeug = logging.getLogger("werkzeug")
    before = werkzeug.level
    quiet_request_log()
    try:
        token = _walk_the_story(core, live_server, zeep_client)
    finally:
        werkzeug.setLevel(before)
    # The server's side only: zeep and urllib3 are this test's SOAP and HTTP clients.
    log = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records
                    if not r.name.startswith(("zeep", "urllib3")))
    assert '"path": "/password/…"' in log  # the log did capture the requests
    for secret in ("Тестова Ирина Олеговна", "+7 900 000-00-02", "Kabinet2026x", token,
                   soap_credentials[1]):
        assert secret not in log, secret


def _walk_the_story(core, live_server, zeep_client) -> str:
    """Register, activate, sign in, upload, send, export; returns the activation token."""
    import datetime as dt
    import io
    import re

    import requests

    from tests.support.cabinet import csrf_token
    from tests.support.spreadsheets import fill_template
    from tests.support.organizations import story_organization
    from tests.support.cabinet import mails

    zeep_client.service.RegisterOrganization(RequestId="reg", Organization=story_organization())
    link = re.search(r"http://\S+/password/(\S+)", mails(core, "contact@uk-test.example")[-1])
    token = link.group(1)
    browser = requests.Session()
    page = browser.get(f"{live_server}/password/{token}", timeout=30)
    browser.post(f"{live_server}/password/{token}", timeout=30, data={
        "csrf_token": csrf_token(page.text), "password": "Kabinet2026x",
        "repeat": "Kabinet2026x"})
    page = browser.get(f"{live_server}/readings/file", timeout=30)
    house = re.search(r'name="house" value="(\d+)"', page.text).group(1)
    template = browser.post(f"{live_server}/readings/template", timeout=30, data={
        "csrf_token": csrf_token(page.text), "house": house}).content
    filled = fill_template(template, {"00215090": {"t1": 1100, "date": dt.date(2026, 3, 19)}})
    browser.post(f"{live_server}/readings/upload", timeout=30, files={
        "file": ("f.xls", io.BytesIO(filled))}, data={"csrf_token": csrf_token(page.text)})
    upload = re.search(r"/readings/send/(\d+)", browser.get(f"{live_server}/readings/file",
                                                            timeout=30).text).group(1)
    browser.post(f"{live_server}/readings/send/{upload}", timeout=30,
                 data={"csrf_token": csrf_token(page.text), "answer": "yes"})
    assert zeep_client.service.ExportReadings(Cursor=0, Limit=10).Readings
    return token


def test_behind_the_tls_proxy_forms_work_without_a_referer(core, clock):
    """Every request is https behind the proxy; the pages ask browsers for no Referer, so the
    CSRF check must not demand one (it did: every form answered «Форма устарела»)."""
    from dataclasses import replace

    from lkk_web import create_app

    from tests.support.cabinet import csrf_token

    proxied = create_core(replace(core.config, trusted_proxies=1), clock=clock,
                          engine=core.engine)
    client = create_app(core=proxied).test_client()
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    login = client.get("/login", headers=https)
    answer = client.post("/login", headers=https, follow_redirects=True, data={
        "csrf_token": csrf_token(login.text), "email": "nobody@example.org",
        "password": "Wrong2026pass"})
    assert answer.status_code == 200
    assert "Форма устарела" not in answer.text and "Неверный" in answer.text


def test_a_style_sheet_and_liveness_need_no_database(config, clock, tmp_path):
    from dataclasses import replace

    from lkk_web import create_app

    gone = create_core(replace(config, database_url=f"sqlite:///{tmp_path}/no/such/dir/x.db"),
                       clock=clock)
    client = create_app(core=gone).test_client()
    with client.session_transaction() as cookie:
        cookie["token"] = "a-signed-in-persons-token"
    style = client.get("/static/style.css")
    assert style.status_code == 200
    style.close()
    assert client.get("/health").status_code == 200
    assert client.get("/").status_code == 503  # a page that needs the person does wait
    gone.engine.dispose()


def test_a_read_only_database_is_unavailable_and_other_internal_errors_are_ours(app,
                                                                               monkeypatch):
    """A standby in read-only mode (SQLSTATE 25006) during a failover: 503, repeat later. Any
    other InternalError of the database is a fault of ours: 500."""
    from sqlalchemy.exc import InternalError

    class ReadOnly(Exception):
        sqlstate = "25006"

    class Broken(Exception):
        sqlstate = "XX000"

    app.config["PROPAGATE_EXCEPTIONS"] = False
    for orig, status in ((ReadOnly(), 503), (Broken(), 500)):
        def fail(*_args, _orig=orig, **_kwargs):
            raise InternalError("INSERT …", {}, _orig)

        monkeypatch.setattr("lkk_web.auth.render_template", fail)
        assert app.test_client().get("/login").status_code == status


def test_debug_logging_keeps_the_soap_credentials_and_statement_values_out(
        core, zeep_client, soap_credentials, caplog):
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    caplog.set_level(logging.DEBUG)
    zeep_client.service.ExportReadings(Cursor=0, Limit=10)
    _name, secret = soap_credentials
    assert secret not in caplog.text and "Basic " not in caplog.text
    assert "authorization" not in caplog.text.lower()
    with core.engine.connect() as connection:
        try:
            connection.execute(text("SELECT * FROM no_such_table WHERE email = :e"),
                               {"e": "typed-secret@example.org"})
        except SQLAlchemyError as exc:
            assert "typed-secret@example.org" not in str(exc)
        else:
            raise AssertionError("the statement should fail")


def test_a_link_token_is_hidden_however_many_slashes():
    from lkk_web.observability import shown_path

    assert shown_path("//password/SeCrEt") == "/password/…"
    assert shown_path("/email//SeCrEt/x") == "/email/…/x"


@pytest.mark.postgres
def test_a_read_only_standby_is_not_ready(core, clock):
    """During a failover to a standby still read-only, /ready says so: the balancer takes the
    host out instead of letting every write answer 503."""
    from lkk_integration.db import make_engine
    from lkk_web import create_app

    from tests.support.parts import need

    need(core.engine.dialect.name == "postgresql", "PostgreSQL", "set LKK_TEST_DATABASE_URL")
    url = core.config.database_url
    sep = "&" if "?" in url else "?"
    standby = make_engine(f"{url}{sep}options=-cdefault_transaction_read_only%3Don")
    answer = create_app(core=create_core(core.config, clock=clock, engine=standby)) \
        .test_client().get("/ready")
    assert answer.status_code == 503 and answer.json["database"] == "read-only"
    standby.dispose()
    assert create_app(core=core).test_client().get("/ready").status_code == 200
