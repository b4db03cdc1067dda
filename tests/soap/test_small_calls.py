"""A small call is lean: one pooled connection for authentication, quota and the use case, the
fewest statements, and a pooled connection the server dropped costs the caller nothing."""
from __future__ import annotations

import logging

import psycopg
import pytest
from sqlalchemy import event, func, select

from lkk_integration.db import run_together
from lkk_integration.models import SoapQuota
from lkk_integration.organizations.clients import set_client_quota
from lkk_integration.organizations.registry import get_organization

from tests.support.organizations import story_organization
from tests.support.parts import need
from tests.support.soap import soap_envelope

GET = soap_envelope("<v1:GetOrganization><v1:OrganizationId>ORG-1</v1:OrganizationId>"
                    "</v1:GetOrganization>")


@pytest.fixture
def registered(zeep_client) -> None:
    """ORG-1 of the story, one house, registered through SOAP."""
    zeep_client.service.RegisterOrganization(RequestId="r-1", Organization=story_organization())


def _post(client, auth, body=GET):
    return client.post("/soap", data=body, auth=auth,
                       headers={"Content-Type": "text/xml; charset=utf-8"})


class _Counted:
    """The statements the engine sends and the connections its pool hands out, while open; on
    PostgreSQL also what the pooled connections send (libpq's protocol trace): the statements
    executed (Bind, or a simple Query) and the round trips (each Sync or simple Query waits for
    the server), the statements sent together in a pipeline among them (db.run_together), which
    SQLAlchemy's events do not see."""

    def __init__(self, engine, tmp_path):
        self.engine, self.statements, self.checkouts = engine, [], 0
        self.trace_path = tmp_path / "libpq-trace"
        self.executed = self.round_trips = 0

    def _statement(self, _conn, _cursor, statement, *_rest):
        self.statements.append(statement.split()[0].upper())

    def _checkout(self, *_args):
        self.checkouts += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._statement)
        event.listen(self.engine.pool, "checkout", self._checkout)
        if self.engine.dialect.name == "postgresql":
            self._trace = open(self.trace_path, "w")  # noqa: SIM115
            self._traced = [record.dbapi_connection.pgconn
                            for record in list(self.engine.pool._pool.queue)]
            for pgconn in self._traced:
                pgconn.trace(self._trace.fileno())
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine.pool, "checkout", self._checkout)
        if self.engine.dialect.name == "postgresql":
            for pgconn in self._traced:
                pgconn.untrace()
            self._trace.close()
            sent = [line.split("\t")[3] for line in self.trace_path.read_text().splitlines()
                    if line.split("\t")[1:2] == ["F"]]
            self.executed = sum(kind in ("Bind", "Query") for kind in sent)
            self.round_trips = sum(kind in ("Sync", "Query") for kind in sent)


def test_a_get_organization_runs_three_statements_on_one_connection(core, client,
                                                                     soap_credentials,
                                                                     registered, tmp_path):
    """One statement authenticates the call and counts it, two read the organization (with its
    houses and common-house meters; the accounts with their meters); a single checkout from the
    pool serves them all. On PostgreSQL the reads go with the admission: one round trip."""
    assert _post(client, soap_credentials).status_code == 200  # the minute's first call
    with _Counted(core.engine, tmp_path) as counted:
        response = _post(client, soap_credentials)
    assert response.status_code == 200 and "00215090" in response.text
    assert counted.checkouts == 1
    if core.engine.dialect.name == "postgresql":
        assert (counted.statements, counted.executed, counted.round_trips) == ([], 3, 1)
    else:
        assert counted.statements == ["INSERT", "SELECT", "SELECT"]


def test_a_large_request_is_admitted_before_its_body_is_read(core, client, soap_credentials,
                                                              registered, tmp_path):
    """A body longer than READ_AHEAD_BYTES is read only once the call is admitted: its reads
    then take a round trip of their own."""
    padded = GET.replace(b"<soapenv:Body>", b"<soapenv:Body>" + b" " * 5000)
    assert _post(client, soap_credentials).status_code == 200
    with _Counted(core.engine, tmp_path) as counted:
        response = _post(client, soap_credentials, padded)
    assert response.status_code == 200 and "00215090" in response.text
    if core.engine.dialect.name == "postgresql":
        assert (counted.statements, counted.executed, counted.round_trips) == (["INSERT"], 3, 2)
    else:
        assert counted.statements == ["INSERT", "SELECT", "SELECT"]


def test_refusals_at_the_door_take_one_round_trip_read_nothing_and_a_wrong_secret_costs_no_quota(
        core, client, soap_credentials, clock, registered, monkeypatch, tmp_path):
    """A refused call (a wrong secret, the quota spent) is answered 401/429 after its one round
    trip; the reads sent with its admission find no rows (they carry the admission's verdict)
    and nothing of them reaches the operation."""
    name, secret = soap_credentials
    set_client_quota(core, name, 2)
    clock.advance(minutes=1)
    together = []

    def recorded(connection, reads):
        rows = run_together(connection, reads)
        together.append(rows)
        return rows

    monkeypatch.setattr("lkk_integration.organizations.clients.run_together", recorded)
    with _Counted(core.engine, tmp_path) as counted:
        for _ in range(3):
            assert _post(client, (name, secret + "x")).status_code == 401
    assert counted.checkouts == 3
    if core.engine.dialect.name == "postgresql":
        assert (counted.executed, counted.round_trips) == (9, 3)
        assert [rows[1:] for rows in together] == [[[], []]] * 3
    else:
        assert counted.statements == ["INSERT"] * 3 and together == []
    together.clear()
    assert [_post(client, soap_credentials).status_code for _ in range(3)] == [200, 200, 429]
    if core.engine.dialect.name == "postgresql":
        assert [bool(rows[1]) for rows in together] == [True, True, False]
        assert together[2][1:] == [[], []]
    with core.uow() as uow:
        assert uow.session.scalar(select(func.max(SoapQuota.calls))) == 3


def test_a_new_minute_forgets_the_counts_older_than_ten_minutes(core, client,
                                                                 soap_credentials, clock,
                                                                 registered):
    for _ in range(3):
        assert _post(client, soap_credentials).status_code == 200
        clock.advance(minutes=6)
    with core.uow() as uow:
        windows = uow.session.scalars(select(SoapQuota.window_start)).all()
    assert len(windows) == 2  # the first call's minute was 12 minutes before the last


# --- a pooled connection the server dropped ---------------------------------------------------
def _kill_pooled_backends(core) -> int:
    """Terminate, from outside, the server processes behind the connections pooled now, and
    wait until they are gone; how many there were."""
    pids = {record.dbapi_connection.info.backend_pid
            for record in list(core.engine.pool._pool.queue)}
    url = core.engine.url.set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as admin:
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
    return len(pids)


@pytest.mark.postgres
@pytest.mark.parametrize("noticed", ["at checkout", "by the first statement"])
def test_a_call_after_the_servers_end_of_its_pooled_connection_is_answered(
        core, client, soap_credentials, monkeypatch, caplog, noticed, registered):
    """A restart, a failover or an administrator's pg_terminate_backend ends the pooled
    connections while they wait; the billing's next call must not get a 500 or a 503 for a
    database that answers. The checkout sees the goodbye on the socket; should the connection
    die unseen, the gateway admits the call once more on a new one (nothing was done yet)."""
    need(core.engine.dialect.name == "postgresql", "PostgreSQL", "set LKK_TEST_DATABASE_URL")
    assert _post(client, soap_credentials).status_code == 200
    if noticed == "by the first statement":
        monkeypatch.setattr("lkk_integration.db._closed_by_server", lambda _connection: False)
    assert _kill_pooled_backends(core) >= 1
    caplog.set_level(logging.INFO, logger="lkk_integration.soap.app")
    response = _post(client, soap_credentials)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "00215090" in response.text
    retried = "a dead pooled connection" in caplog.text
    assert retried == (noticed == "by the first statement")
    assert _post(client, soap_credentials).status_code == 200


@pytest.mark.postgres
def test_a_use_case_outside_soap_gets_a_live_connection_after_the_server_ended_one(
        core, registered):
    """The cabinet's units of work have no retry: the checkout's look at the socket is what
    spares a person an error page after a restart."""
    need(core.engine.dialect.name == "postgresql", "PostgreSQL", "set LKK_TEST_DATABASE_URL")
    assert get_organization(core, "ORG-1").billing_id == "ORG-1"
    assert _kill_pooled_backends(core) >= 1
    assert get_organization(core, "ORG-1").billing_id == "ORG-1"
