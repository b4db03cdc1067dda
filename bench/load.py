"""Load run: the last evening of the period, on loopback, against gunicorn on PostgreSQL
(docs/performance.md, "The load run").

The crowd: --persons contact persons, each of their own organization with --meters one-zone
individual meters, start together and each signs in, downloads the template, uploads it filled
with a reading for every meter, and sends the valid rows («Отправить верные» → «Да»). Meanwhile
the billing, over SOAP (zeep), exports the readings page by page (ExportReadings, Limit 500)
and registers --registrations new organizations (RegisterOrganization). The server is
`gunicorn -c gunicorn.conf.py lkk_web.wsgi:app` with --workers sync workers, configured by
the environment as docs/operations.md, "PostgreSQL and production", says
(tests/support/rehearsal.py starts it).

Baseline, measured in the same run on the same server and database just before the crowd:
one person alone doing the same actions on an idle server (a person of its own, with the same
number of meters). The ratio of each action is its median under the crowd over its time alone:
what the crowd costs each person. The capacity ratio is the crowd's wall time over the person's
time alone × persons ÷ CPU cores: 1.0 would be every core busy with the persons' work and
nothing lost to contention. Also printed: /health's median under the same number of clients
(the HTTP and WSGI floor).

Prints per action: count, p50, p95 and max in ms, the ratio; the run's requests/s and saved
readings/s; then the checks, and exits 1 when one fails:
  - no answer 5xx and no failed request;
  - every person's send saved exactly their meters' readings, once each, with the typed value;
  - the export delivered every saved reading exactly once;
  - every registration exists once.

Run: .venv/bin/python bench/load.py [--persons 40] [--meters 2000] [--workers 5]
     [--registrations 20] [--database-url URL]
Default database: postgresql+psycopg://postgres@127.0.0.1:5432/lkk_bench, reserved for benchmarks
(created when missing, its public schema dropped and re-created). tests/integration/test_load.py
runs it in CI at a small size.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import zeep  # noqa: E402
from sqlalchemy import select  # noqa: E402
from zeep.transports import Transport  # noqa: E402

from bench.spreadsheets import prepare_postgres  # noqa: E402 — refuses `test`, empties the schema
from lkk_integration import messages as msg  # noqa: E402
from lkk_integration.clock import FixedClock  # noqa: E402
from lkk_integration.config import Config  # noqa: E402
from lkk_integration.core import create_core  # noqa: E402
from lkk_integration.models import Meter, Organization, Reading  # noqa: E402
from lkk_integration.organizations.clients import create_client, set_client_quota  # noqa: E402
from lkk_integration.schema import create_schema  # noqa: E402
from tests.support.spreadsheets import fill_template  # noqa: E402
from tests.support.rehearsal import READING_DATE, START, Cabinet, Gunicorn, Seeded, new_values, seed  # noqa: E402

BENCH_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/lkk_bench"
ACTIONS = ["login page", "login", "file tab", "template", "upload", "send"]
CORES = os.cpu_count() or 1


@dataclass
class Timings:
    """Seconds and HTTP statuses per action, from many threads."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.seconds[kind].append(seconds)
            self.statuses[status] += 1


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def registration(index: int) -> dict:
    """A new organization as the billing sends it (zeep's dict form): one house, 10 meters."""
    code = f"N{index:04d}"
    return {
        "OrganizationId": f"ORG-{code}", "FullName": f"ТСЖ «Новое {index}»",
        "ShortName": f"ТСЖ «Новое {index}»", "Type": "ТСЖ", "Inn": "7700000023",
        "ContractNumber": f"Н-{index}",
        "ContactPerson": {"FullName": f"Новикова Анна {index}",
                          "Email": f"new{index}@rehearsal.example"},
        "Houses": {"House": [{
            "HouseId": f"H-{code}", "Settlement": "Тестовск г.", "Street": "Новая ул.",
            "HouseNumber": str(index), "Accounts": {"Account": [
                {"Number": f"{code}-{i}", "Apartment": str(i + 1), "Meters": {"Meter": [{
                    "MeterId": f"M-{code}-{i}", "Number": f"9{index:04d}{i:04d}", "Zones": 1,
                    "Capacity": 6}]}} for i in range(10)]}}]},
    }


def soap_client(base_url: str, credentials: tuple[str, str]) -> zeep.Client:
    session = requests.Session()
    session.auth = credentials
    return zeep.Client(f"{base_url}/soap?wsdl",
                       transport=Transport(session=session, operation_timeout=120))


def filled_file(base_url: str, seeded: Seeded) -> bytes:
    """The person's template as the server gives it, filled with new_values (done before the
    crowd: the filling is the person's spreadsheet program, not the server)."""
    cabinet = Cabinet(base_url, seeded.email)
    cabinet.sign_in()
    data = fill_template(cabinet.template(), new_values(seeded.meter_numbers))
    cabinet.close()
    return data


def person_run(base_url: str, seeded: Seeded, data: bytes, timings: Timings,
               outcomes: dict) -> None:
    """One contact person's evening: sign in, the template, upload, send; the flashes."""
    cabinet = Cabinet(base_url, seeded.email, record=timings.record)
    try:
        cabinet.sign_in()
        cabinet.template()
        cabinet.upload("показания.xls", data)
        upload_id = cabinet.buffer_id()
        outcomes[seeded.email] = cabinet.flashes(cabinet.send(upload_id)) if upload_id else [
            "no buffer"]
    except requests.RequestException as exc:
        outcomes[seeded.email] = [f"failed: {exc!r}"]
    finally:
        cabinet.close()


@dataclass
class Report:
    persons: int
    meters: int
    wall_seconds: float
    requests: int
    saved_readings: int
    server_errors: int
    failed_requests: int
    lost: int
    doubled: int
    wrong_values: int
    export_missing: int
    export_doubled: int
    registrations_missing: int
    bad_outcomes: list
    lines: list

    @property
    def ok(self) -> bool:
        return not (self.server_errors or self.failed_requests or self.lost or self.doubled
                    or self.wrong_values or self.export_missing or self.export_doubled
                    or self.registrations_missing or self.bad_outcomes)


def run(database_url: str, persons: int, meters: int, workers: int, registrations: int,
        folder: Path, fresh_schema: bool = True) -> Report:
    """Seed, start gunicorn, measure the solo baseline, then the crowd; check and report."""
    if fresh_schema:
        prepare_postgres(database_url)
    config = Config(database_url=database_url, secret_key="load-run-secret-key")
    core = create_core(config, clock=FixedClock(START))
    if fresh_schema:
        create_schema(core.engine)
    client_id, secret = create_client(core, "load-billing")
    set_client_quota(core, "load-billing", 100_000)
    # Person 0 is the baseline's, alone on an idle server; 1..N are the crowd.
    people = [seed(core, client_id, i, meters) for i in range(persons + 1)]
    lines: list[str] = []
    with Gunicorn(database_url, folder / "server", workers=workers,
                  secret_key=config.secret_key) as server:
        files = {p.email: filled_file(server.base_url, p) for p in people}
        solo = Timings()
        solo_outcome: dict = {}
        person_run(server.base_url, people[0], files[people[0].email], solo, solo_outcome)

        health = Timings()

        def hammer() -> None:
            with requests.Session() as s:
                for _ in range(20):
                    started = time.perf_counter()
                    status = s.get(f"{server.base_url}/health", timeout=30).status_code
                    health.record("health", time.perf_counter() - started, status)

        threads = [threading.Thread(target=hammer) for _ in range(persons)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        crowd = Timings()
        outcomes: dict = dict(solo_outcome)
        exported: list[int] = []
        crowd_done = threading.Event()
        billing_failures: list[str] = []
        billing = soap_client(server.base_url, ("load-billing", secret))

        def exporter() -> None:
            cursor = 0
            while True:
                finished = crowd_done.is_set()
                started = time.perf_counter()
                try:
                    page = billing.service.ExportReadings(Cursor=cursor, Limit=500)
                except Exception as exc:  # noqa: BLE001 — counted, and the run fails
                    crowd.record("ExportReadings", time.perf_counter() - started, 500)
                    billing_failures.append(repr(exc))
                    return
                crowd.record("ExportReadings", time.perf_counter() - started, 200)
                exported.extend((r.ReadingId, r.Event) for r in (
                    page.Readings.ExportedReading if page.Readings else []))
                cursor = page.NextCursor
                if not page.HasMore:
                    if finished:
                        return
                    time.sleep(0.5)

        def registrar() -> None:
            other = soap_client(server.base_url, ("load-billing", secret))
            for index in range(1, registrations + 1):
                started = time.perf_counter()
                try:
                    other.service.RegisterOrganization(RequestId=f"load-reg-{index}",
                                                       Organization=registration(index))
                    crowd.record("RegisterOrganization", time.perf_counter() - started, 200)
                except Exception as exc:  # noqa: BLE001
                    crowd.record("RegisterOrganization", time.perf_counter() - started, 500)
                    billing_failures.append(repr(exc))
                time.sleep(0.2)

        started = time.perf_counter()
        billing_threads = [threading.Thread(target=exporter), threading.Thread(target=registrar)]
        crowd_threads = [threading.Thread(target=person_run, args=(
            server.base_url, p, files[p.email], crowd, outcomes)) for p in people[1:]]
        for t in billing_threads + crowd_threads:
            t.start()
        for t in crowd_threads:
            t.join()
        crowd_seconds = time.perf_counter() - started
        crowd_done.set()
        for t in billing_threads:
            t.join()
        wall = time.perf_counter() - started

    # --- the checks, on the database ----------------------------------------------------------
    expected = {}
    for p in people:
        for number, fill in new_values(p.meter_numbers).items():
            expected[number] = fill["t1"]
    with core.uow() as uow:
        s = uow.session
        rows = s.execute(select(Meter.number, Reading.id, Reading.t1, Reading.is_current,
                                Reading.reading_date)
                         .join(Reading, Reading.meter_id == Meter.id)
                         .where(Reading.channel == "file")).all()
        registered = Counter(s.scalars(select(Organization.billing_id)
                                       .where(Organization.billing_id.like("ORG-N%"))))
    per_meter = Counter(number for number, *_ in rows)
    lost = sum(1 for number in expected if per_meter[number] == 0)
    doubled = sum(1 for n in per_meter.values() if n > 1)
    # A saved reading must hold what was typed, be the meter's current one, dated as typed.
    wrong_values = sum(1 for number, _id, t1, current, day in rows
                       if t1 != expected.get(number) or not current or day != READING_DATE)
    saved = {reading_id for _n, reading_id, *_ in rows}
    export_count = Counter(reading_id for reading_id, kind in exported if kind == "submitted")
    export_other = sum(1 for _id, kind in exported if kind != "submitted")
    sent_ok = msg.sent_individual(meters)
    report = Report(
        persons=persons, meters=meters, wall_seconds=wall,
        requests=sum(len(v) for v in crowd.seconds.values()), saved_readings=len(rows),
        server_errors=sum(n for status, n in (crowd.statuses + solo.statuses
                                              + health.statuses).items() if status >= 500),
        failed_requests=(crowd.statuses + solo.statuses + health.statuses)[0]
        + len(billing_failures),
        lost=lost, doubled=doubled, wrong_values=wrong_values,
        export_missing=len(saved - set(export_count)),
        # A reading announced twice, one that was never saved, or any event but «submitted»
        # (nothing here deletes or replaces).
        export_doubled=sum(1 for n in export_count.values() if n > 1)
        + len(set(export_count) - saved) + export_other,
        registrations_missing=registrations - sum(1 for n in registered.values() if n == 1),
        bad_outcomes=[(email, flashes) for email, flashes in outcomes.items()
                      if flashes != [sent_ok]] + billing_failures[:3],
        lines=lines)
    core.engine.dispose()

    health_p50 = statistics.median(health.seconds["health"])
    lines.append(f"gunicorn {workers} workers, PostgreSQL; {persons} persons × {meters} meters, "
                 f"{registrations} registrations meanwhile")
    lines.append(f"{'action':<22}{'count':>7}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}"
                 f"{'alone ms':>10}{'ratio':>8}")
    for kind in ACTIONS + ["ExportReadings", "RegisterOrganization"]:
        values = crowd.seconds.get(kind)
        if not values:
            continue
        alone = solo.seconds.get(kind)
        p50 = statistics.median(values)
        alone_ms = f"{statistics.median(alone) * 1000:10.0f}" if alone else f"{'—':>10}"
        ratio = f"{p50 / statistics.median(alone):8.2f}" if alone else f"{'—':>8}"
        lines.append(f"{kind:<22}{len(values):>7}{p50 * 1000:>10.0f}"
                     f"{percentile(values, 0.95) * 1000:>10.0f}{max(values) * 1000:>10.0f}"
                     f"{alone_ms}{ratio}")
    lines.append(f"/health under {persons} clients: p50 {health_p50 * 1000:.1f} ms")
    alone_total = sum(sum(solo.seconds[kind]) for kind in ACTIONS)
    ideal = alone_total * persons / CORES
    lines.append(f"capacity: the crowd took {crowd_seconds:.1f} s; the person alone "
                 f"{alone_total:.2f} s × {persons} persons ÷ {CORES} cores = {ideal:.1f} s; "
                 f"ratio {crowd_seconds / ideal:.2f}")
    lines.append(f"crowd: {crowd_seconds:.1f} s; {report.requests / wall:.1f} requests/s, "
                 f"{len(rows) / crowd_seconds:.0f} readings saved/s")
    lines.append(f"checks: 5xx {report.server_errors}, failed requests {report.failed_requests}, "
                 f"lost {lost}, doubled {doubled}, wrong values {wrong_values}, "
                 f"export missing {report.export_missing}, export doubled "
                 f"{report.export_doubled}, registrations missing "
                 f"{report.registrations_missing}, unexpected answers "
                 f"{len(report.bad_outcomes)}")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=40)
    parser.add_argument("--meters", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--registrations", type=int, default=20)
    parser.add_argument("--database-url", default=BENCH_URL)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lkk-load-") as folder:
        report = run(args.database_url, args.persons, args.meters, args.workers,
                     args.registrations, Path(folder))
    print("\n".join(report.lines))
    for bad in report.bad_outcomes[:5]:
        print("unexpected:", bad)
    print("OK" if report.ok else "FAILED")
    sys.exit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
