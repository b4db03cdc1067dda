"""Fault drills on PostgreSQL, against gunicorn with several workers (tests/support/rehearsal.py):
a worker killed with SIGKILL in the middle of «Отправить верные», the database restarted under
requests, a SOAP client retrying after its timeout. Each ends with every reading present exactly
once and every buffer sent whole or left intact. And the database server hung while
its host still answers: 503 within the bounds, and the service back after it.
"""
from __future__ import annotations

import contextlib
import html
import threading
import time
from collections import Counter
from dataclasses import dataclass

import pytest
import requests
import zeep
from sqlalchemy import func, select
from zeep.exceptions import Fault, TransportError
from zeep.transports import Transport

from lkk_integration import messages as msg
from lkk_integration.clock import FixedClock
from lkk_integration.config import Config, PasswordHashing
from lkk_integration.core import create_core
from lkk_integration.faults import arm
from lkk_integration.models import (AuditRecord, ExportEvent, Meter, Organization, Reading, Upload,
                                    UploadRow)
from lkk_integration.organizations.clients import create_client
from lkk_integration.schema import create_schema

from tests.support.parts import need
from tests.support.soap import soap_envelope
from tests.support.spreadsheets import fill_template
from tests.support.rehearsal import (
    Cabinet, Gunicorn, READING_DATE, START, Seeded, ThrowawayPostgres, new_values, postgres_bin,
    seed)

pytestmark = pytest.mark.postgres


@dataclass
class Drill:
    core: object
    server: Gunicorn
    faults: object        # the folder where fault points are armed
    client_id: int
    credentials: tuple[str, str]


@pytest.fixture
def drill(core, tmp_path):
    """gunicorn with two workers on the test database (PostgreSQL), its fault folder, and the
    billing's SOAP client."""
    need(core.engine.dialect.name == "postgresql", "PostgreSQL", "set LKK_TEST_DATABASE_URL")
    client_id, secret = create_client(core, "drill-billing")
    faults = tmp_path / "faults"
    faults.mkdir()
    with Gunicorn(core.config.database_url, tmp_path / "server", workers=2, fault_dir=faults,
                  secret_key=core.config.secret_key) as server:
        yield Drill(core, server, faults, client_id, ("drill-billing", secret))


@dataclass(frozen=True)
class BufferState:
    status: str
    rows: int
    valid: int
    readings: int      # readings saved from this buffer
    events: int        # export events announcing them


def buffer_state(core, upload_id: int) -> BufferState:
    with core.uow() as uow:
        s = uow.session
        reading_ids = select(Reading.id).where(Reading.upload_id == upload_id)
        return BufferState(
            s.scalar(select(Upload.status).where(Upload.id == upload_id)),
            s.scalar(select(func.count()).where(UploadRow.upload_id == upload_id)),
            s.scalar(select(func.count()).where(UploadRow.upload_id == upload_id,
                                                UploadRow.is_valid)),
            s.scalar(select(func.count()).select_from(Reading)
                     .where(Reading.upload_id == upload_id)),
            s.scalar(select(func.count()).select_from(ExportEvent)
                     .where(ExportEvent.reading_id.in_(reading_ids),
                            ExportEvent.kind == "submitted")))


def assert_every_reading_once(core) -> None:
    """Every meter has at most one current reading; every saved reading is announced to the
    export exactly once; every buffer is sent whole (all its valid rows became readings, once,
    and left it) or holds none."""
    with core.uow() as uow:
        s = uow.session
        current = Counter(s.scalars(select(Reading.meter_id).where(Reading.is_current,
                                                                    Reading.channel != "billing")))
        assert not [m for m, n in current.items() if n > 1]
        announced = Counter(s.scalars(select(ExportEvent.reading_id)
                                      .where(ExportEvent.kind == "submitted")))
        saved = set(s.scalars(select(Reading.id).where(Reading.channel != "billing")))
        assert set(announced) == saved and set(announced.values()) <= {1}
        for upload_id, status in s.execute(select(Upload.id, Upload.status)):
            state = buffer_state(core, upload_id)
            if status == "sent":
                assert state.valid == 0 and state.readings == state.events > 0, (upload_id,
                                                                                 state)
            else:
                assert state.readings == 0, (upload_id, state)


def filled_buffer(cabinet: Cabinet, seeded: Seeded, shift: int = 0) -> int:
    """Sign in (when needed), fill the template with a reading for every meter, upload it;
    the buffer's id."""
    if not cabinet.token:
        assert cabinet.sign_in().status_code == 200
    values = new_values(seeded.meter_numbers)
    for fill in values.values():
        fill["t1"] += shift
    answer = cabinet.upload(f"показания-{shift}.xls", fill_template(cabinet.template(), values))
    assert answer.status_code == 200, answer.status_code
    upload_id = cabinet.buffer_id()
    assert upload_id is not None
    return upload_id


# --- a worker killed in the middle of «Отправить верные» --------------------------------------
@pytest.mark.parametrize("point, committed", [
    ("send.buffer_taken", False),       # the buffer marked sent, nothing saved yet
    ("send.readings_written", False),   # every reading and event written, not committed
    ("send.committed", True),           # committed; the answer never left the worker
])
def test_a_worker_killed_mid_send_leaves_the_buffer_sent_whole_or_intact(drill, point,
                                                                          committed):
    pg_core = drill.core
    seeded = seed(pg_core, drill.client_id, 1, meters=30)
    cabinet = Cabinet(drill.server.base_url, seeded.email)
    upload_id = filled_buffer(cabinet, seeded)
    intact = BufferState("checked", 30, 30, 0, 0)
    assert buffer_state(pg_core, upload_id) == intact
    arm(drill.faults, point, "kill")
    with pytest.raises(requests.ConnectionError):
        cabinet.send(upload_id)
    assert not (drill.faults / point).exists(), "the fault point did not fire"
    sent = BufferState("sent", 0, 0, 30, 30)  # the sent rows left the buffer
    assert buffer_state(pg_core, upload_id) == (sent if committed else intact)
    assert_every_reading_once(pg_core)

    # The login session is in the database: another worker (or the killed one's replacement)
    # takes the repeated click.
    retry = cabinet.send(upload_id)
    assert retry.status_code == 200 and retry.url.endswith("/readings/file")
    if committed:
        with pg_core.uow() as uow:
            sent_at = uow.session.get(Upload, upload_id).sent_at
        assert cabinet.flashes(retry) == [msg.already_sent("показания-0.xls", sent_at, 30)]
    else:
        assert cabinet.flashes(retry) == [msg.sent_individual(30)]
    assert buffer_state(pg_core, upload_id) == sent
    assert_every_reading_once(pg_core)
    assert requests.get(f"{drill.server.base_url}/ready", timeout=5).status_code == 200
    assert "SIGKILL" in drill.server.log()
    cabinet.close()


# --- a SOAP client retrying after its timeout ------------------------------------------------
def soap_client(base_url: str, credentials: tuple[str, str], timeout: float) -> zeep.Client:
    session = requests.Session()
    session.auth = credentials
    return zeep.Client(f"{base_url}/soap?wsdl",
                       transport=Transport(session=session, operation_timeout=timeout))


def test_a_soap_write_retried_after_a_timeout_takes_effect_once(drill):
    seed(drill.core, drill.client_id, 1, meters=3)
    billing = soap_client(drill.server.base_url, drill.credentials, timeout=2)
    reading = {"MeterId": "M-R0001-0", "ReadingDate": READING_DATE, "T1": "1111",
               "Source": "Абонент"}
    arm(drill.faults, "soap.write_committed", "sleep 5")
    with pytest.raises(requests.Timeout):
        billing.service.UpdateAccountedReadings(RequestId="acc-1",
                                                Readings={"MeterReading": [reading]})
    # The client does what the contract tells it: the same call with the same RequestId.
    answer = billing.service.UpdateAccountedReadings(RequestId="acc-1",
                                                     Readings={"MeterReading": [reading]})
    assert answer.Affected == 1
    with drill.core.uow() as uow:
        s = uow.session
        meter_id = s.scalar(select(Meter.id).where(Meter.billing_id == "M-R0001-0"))
        accounted = s.execute(select(Reading.reading_date, Reading.t1).where(
            Reading.meter_id == meter_id, Reading.channel == "billing")
            .order_by(Reading.id)).all()
        writes = s.scalar(select(func.count()).select_from(AuditRecord).where(
            AuditRecord.action == "soap_write"))
    assert accounted[-1] == (READING_DATE, 1111)
    assert [r for r in accounted if r[0] == READING_DATE] == [(READING_DATE, 1111)]
    assert writes == 2  # the seed's registration and this update, once


def test_an_export_page_retried_after_a_timeout_loses_and_doubles_nothing(drill):
    seeded = seed(drill.core, drill.client_id, 1, meters=25)
    cabinet = Cabinet(drill.server.base_url, seeded.email)
    upload_id = filled_buffer(cabinet, seeded)
    assert cabinet.flashes(cabinet.send(upload_id)) == [msg.sent_individual(25)]
    billing = soap_client(drill.server.base_url, drill.credentials, timeout=2)
    cursor, seen, timeouts = 0, [], 0
    while True:
        if timeouts < 2:
            arm(drill.faults, "soap.export_read", "sleep 5")
        try:
            page = billing.service.ExportReadings(Cursor=cursor, Limit=10)
        except requests.Timeout:
            timeouts += 1
            continue  # the same cursor again
        seen += [r.ReadingId for r in (page.Readings.ExportedReading if page.Readings else [])]
        cursor = page.NextCursor
        if not page.HasMore:
            break
    (drill.faults / "soap.export_read").unlink(missing_ok=True)
    with drill.core.uow() as uow:
        saved = uow.session.scalars(select(Reading.id).where(Reading.upload_id == upload_id))
        assert sorted(seen) == sorted(saved)
    assert timeouts == 2 and len(seen) == len(set(seen)) == 25


# --- the database restarted under requests ---------------------------------------------------
@contextlib.contextmanager
def own_cluster():
    """A PostgreSQL cluster of the drill's own, which it may stop (never the shared server),
    with the schema and the billing's SOAP client: (cluster, core, client id, secret)."""
    need(postgres_bin() is not None, "PostgreSQL's server programs (initdb, pg_ctl)",
         "apt-get install postgresql")
    with ThrowawayPostgres() as database:
        config = Config(database_url=database.url, secret_key="drill-secret-key",
                        password_hashing=PasswordHashing(time_cost=1, memory_cost_kib=8,
                                                         parallelism=1))
        core = create_core(config, clock=FixedClock(START))
        create_schema(core.engine)
        client_id, secret = create_client(core, "drill-billing")
        try:
            yield database, core, client_id, secret
        finally:
            core.engine.dispose()


def test_a_database_restart_under_load_loses_and_doubles_nothing(tmp_path):
    with own_cluster() as (database, core, client_id, secret):
        people = [seed(core, client_id, i, meters=40) for i in range(1, 4)]
        core.engine.dispose()
        with Gunicorn(database.url, tmp_path / "server", workers=3,
                      secret_key=core.config.secret_key) as server:
            outcome = _restart_under_load(database, server, people, ("drill-billing", secret))
        assert outcome.server_errors == [], outcome.server_errors
        assert outcome.unavailable > 0, "no request met the restart"
        # Every answer of the outage said what to do, with the request's code; no worker died.
        assert outcome.undescribed == [] and outcome.connection_errors == 0
        assert min(outcome.rounds_after) >= 2
        # Each send, repeated until it went through, ended saying so.
        assert all(outcome.last_flashes), outcome.last_flashes
        assert_every_reading_once(core)
        with core.uow() as uow:
            for seeded in people:
                last = uow.session.scalar(
                    select(Upload.id)
                    .join(Organization, Organization.id == Upload.organization_id)
                    .where(Organization.billing_id == seeded.billing_id)
                    .order_by(Upload.id.desc()).limit(1))
                # The last round, after the restart, went through whole.
                assert buffer_state(core, last) == BufferState("sent", 0, 0, 40, 40)
        with core.uow() as uow:
            saved = set(uow.session.scalars(select(Reading.id)
                                            .where(Reading.channel != "billing")))
        exported = Counter(outcome.exported)
        assert set(exported) == saved and set(exported.values()) == {1}
        core.engine.dispose()


@dataclass
class RestartOutcome:
    server_errors: list
    unavailable: int
    connection_errors: int
    undescribed: list       # 503 pages without the message and their request's code
    rounds_after: list
    last_flashes: list      # per person: did the last send end with «sent» or «already sent»
    exported: list


def _restart_under_load(database, server, people, credentials) -> RestartOutcome:
    """Three contact persons upload and send in a loop and the billing exports, while the
    database stops (immediate: connections cut mid-transaction) and comes back 3 s later;
    each action is repeated, as a person would, until it goes through."""
    statuses: list[tuple[str, int]] = []
    lock = threading.Lock()
    restarted = threading.Event()
    finished = threading.Event()
    rounds_after = [0] * len(people)
    last_flashes = [False] * len(people)
    undescribed: list[str] = []
    failures: list[BaseException] = []

    def record(kind, _seconds, status):
        with lock:
            statuses.append((kind, status))

    def until_done(action, *args):
        deadline = time.monotonic() + 120
        while True:
            try:
                answer = action(*args)
                if answer is None or answer.status_code != 503:
                    return answer
                code = answer.headers.get("X-Request-Id", "")
                if msg.service_unavailable(code=code) not in html.unescape(answer.text):
                    undescribed.append(answer.text[:200])
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"{action.__name__} never went through")
            time.sleep(0.3)

    def person(index: int, seeded: Seeded) -> None:
        cabinet = Cabinet(server.base_url, seeded.email, record=record)
        try:
            until_done(cabinet.sign_in)
            shift = 0
            while rounds_after[index] < 2:
                shift += 1
                values = new_values(seeded.meter_numbers)
                for fill in values.values():
                    fill["t1"] += shift
                template = None
                while template is None:
                    try:
                        template = cabinet.template()
                    except (requests.HTTPError, requests.ConnectionError):
                        time.sleep(0.3)
                data = fill_template(template, values)
                until_done(cabinet.upload, f"f{shift}.xls", data)
                upload_id = None
                while upload_id is None:
                    try:
                        upload_id = cabinet.buffer_id()
                    except requests.ConnectionError:
                        time.sleep(0.3)
                flashes = cabinet.flashes(until_done(cabinet.send, upload_id))
                last_flashes[index] = flashes == [msg.sent_individual(40)] or (
                    len(flashes) == 1 and flashes[0].startswith(f"Файл «f{shift}.xls» уже "
                                                                f"отправлен"))
                if restarted.is_set():
                    rounds_after[index] += 1
        except BaseException as exc:  # noqa: BLE001 — reported by the main thread
            failures.append(exc)
        finally:
            cabinet.close()

    exported: list[int] = []
    unexpected: list[str] = []

    def exporter() -> None:
        billing = soap_client(server.base_url, credentials, timeout=30)
        cursor = 0
        try:
            while True:
                done = finished.is_set()
                try:
                    page = billing.service.ExportReadings(Cursor=cursor, Limit=200)
                except requests.ConnectionError:
                    record("export", 0, 0)
                    time.sleep(0.3)
                    continue
                except (Fault, TransportError) as exc:
                    unavailable = (isinstance(exc, Fault) and "Server.Unavailable" in exc.code
                                   or getattr(exc, "status_code", None) == 503)
                    record("export", 0, 503 if unavailable else 500)
                    if not unavailable:
                        unexpected.append(repr(exc))
                    time.sleep(0.3)
                    continue
                record("export", 0, 200)
                exported.extend(r.ReadingId for r in (page.Readings.ExportedReading
                                                      if page.Readings else []))
                cursor = page.NextCursor
                if not page.HasMore:
                    if done:
                        return
                    time.sleep(0.2)
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)

    threads = [threading.Thread(target=person, args=(i, p)) for i, p in enumerate(people)]
    threads.append(threading.Thread(target=exporter))
    for thread in threads:
        thread.start()
    time.sleep(2)
    database.stop("immediate")
    time.sleep(3)
    database.start()
    restarted.set()
    for thread in threads[:-1]:
        thread.join(300)
    finished.set()
    threads[-1].join(120)
    assert not failures, failures
    assert not unexpected, unexpected[:3]
    return RestartOutcome(
        server_errors=[(k, s) for k, s in statuses if s >= 500 and s != 503],
        unavailable=sum(1 for _k, s in statuses if s == 503),
        connection_errors=sum(1 for _k, s in statuses if s == 0),
        undescribed=undescribed, rounds_after=rounds_after, last_flashes=last_flashes,
        exported=exported)


# --- the database server hung while its host still answers -----------------------------------
def test_a_hung_database_server_gets_503_in_seconds_and_the_service_recovers(tmp_path):
    """SIGSTOP of the postmaster and its backends: every packet is acknowledged, no reply
    comes. Pages, /ready and SOAP answer 503 with Retry-After once the bounds pass (set short
    here), far inside gunicorn's 120 s worker timeout and the clients' 60 s; /health answers
    meanwhile; after SIGCONT everything works again without a restart."""
    with own_cluster() as (database, core, client_id, secret):
        seeded = seed(core, client_id, 1, meters=3)
        core.engine.dispose()
        server = Gunicorn(database.url, tmp_path / "server", workers=2,
                          secret_key=core.config.secret_key)
        server.env.update(LKK_DATABASE_CONNECT_TIMEOUT_SECONDS="2",
                          LKK_DATABASE_STATEMENT_TIMEOUT_SECONDS="3")
        with server:
            cabinet = Cabinet(server.base_url, seeded.email, timeout=60)
            assert cabinet.sign_in().status_code == 200
            export = soap_envelope("<v1:ExportReadings><v1:Cursor>0</v1:Cursor>"
                                   "<v1:Limit>10</v1:Limit></v1:ExportReadings>")

            def ask() -> dict[str, object]:  # a response, or the error it met
                calls = {
                    "page": lambda: cabinet.session.get(f"{server.base_url}/readings/file",
                                                        timeout=60),
                    "ready": lambda: requests.get(f"{server.base_url}/ready", timeout=60),
                    "soap": lambda: requests.post(
                        f"{server.base_url}/soap", data=export, timeout=60,
                        auth=("drill-billing", secret),
                        headers={"Content-Type": "text/xml; charset=utf-8"}),
                    "health": lambda: requests.get(f"{server.base_url}/health", timeout=60),
                }
                answers: dict[str, object] = {}
                threads = [threading.Thread(target=lambda k=k, c=c: answers.update(
                    {k: _answer_or_error(c)})) for k, c in calls.items()]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(90)
                return answers

            for name, answer in ask().items():  # every worker's pool holds connections now
                assert getattr(answer, "status_code", answer) == 200, (name, answer)
            database.hang()
            try:
                hung = ask()
            finally:
                database.resume()
            assert {name: getattr(answer, "status_code", answer)
                    for name, answer in hung.items()} == {
                "page": 503, "ready": 503, "soap": 503, "health": 200}, hung
            for name in ("page", "ready", "soap"):
                assert hung[name].headers["Retry-After"] == "30", name
            code = hung["page"].headers["X-Request-Id"]
            assert msg.service_unavailable(code=code) in html.unescape(hung["page"].text)
            assert "Server.Unavailable" in hung["soap"].text

            deadline = time.monotonic() + 60
            while requests.get(f"{server.base_url}/ready", timeout=60).status_code != 200:
                assert time.monotonic() < deadline, "the service did not recover"
                time.sleep(0.3)
            for name, answer in ask().items():
                assert getattr(answer, "status_code", answer) == 200, (name, answer)
            assert "WORKER TIMEOUT" not in server.log()


def _answer_or_error(call):
    """The call's response, or the error it met (a timeout, a connection refused), shown."""
    try:
        return call()
    except requests.RequestException as exc:
        return repr(exc)
