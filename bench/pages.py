"""Cabinet pages benchmark: the server time of the pages a contact person of the 20,000-meter
organization opens on the period's last evening, against a baseline page of the same run.

The organization is lkk_integration/organizations/bulk.py's (20,224 individual meters in 79
houses, invented data, as `lkk demo-large` builds it); its template (.xlsx) is filled as a person
would (19,000 rows typed, about 1,200 of them wrong, the rest left empty) and uploaded with
upload_readings_file, so the buffer holds 20,224 rows. Then each page is requested in-process
through the Flask test client (no HTTP, no network: the server's own time, from the WSGI call to
the last byte of the body) by the signed-in contact person, --warm-up times, then --requests
times; the median counts:
- buffer: «Загрузка из файла» with the buffer, first page (/readings/file);
- buffer-wrong: the same filtered to the wrong rows (/readings/file?filter=wrong);
- buffer-house, buffer-house-wrong: the first house opened, its 256 rows (with their charts), then
  its wrong rows alone (/readings/file?open=<id>[&filter=wrong]);
- main: the main page (/);
- manual: «Ручной ввод данных» with a house and an apartment chosen (/readings/manual/?…);
- house: the first house's meters and their readings of the period (/houses/<id>).
Then later that evening: «Отправить верные» (send_valid_rows, 17,812 readings), and the meters
the file left out (wrong or not filled, 2,412; --typed) typed by hand one by one
(submit_reading), so «Переданные показания» lists them all; the buffer page, the main page, the
manual-entry page (the last typed meter's apartment chosen) and a house page are measured again.
Baseline: the sign-in page (/login) for a person not signed in, the same app and database.
Target: each page under 300 ms (docs/performance.md); not a timed test, the figures are printed.

On PostgreSQL the bench runs ANALYZE after each setup, as autovacuum would within a minute.
The clock stands at the period's last evening: Moscow 2026-03-26 20:30 (default period 15–26).

Run: .venv/bin/python bench/pages.py [--database sqlite|postgresql|both] [--postgresql-url URL]
     [--requests 15] [--warm-up 3] [--typed N] [--profile]
PostgreSQL: postgresql+psycopg://postgres@127.0.0.1:5432/lkk_bench by default, a database
reserved for benchmarks (created when missing, its public schema dropped and re-created, which
also drops the audit trail's function and trigger: a rerun on the same database starts clean).
--profile runs one more request of each page under cProfile and prints its top functions.
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import and_, select  # noqa: E402

from lkk_integration.clock import FixedClock  # noqa: E402
from lkk_integration.config import Config, PasswordHashing  # noqa: E402
from lkk_integration.core import create_core  # noqa: E402
from lkk_integration.models import INDIVIDUAL, House, Meter, PersonalAccount, Reading  # noqa: E402
from lkk_integration.organizations import bulk  # noqa: E402
from lkk_integration.readings.manual import Submitter, submit_reading  # noqa: E402
from lkk_integration.schema import create_schema  # noqa: E402
from lkk_integration.spreadsheets.buffer import current_buffer  # noqa: E402
from lkk_integration.spreadsheets.sample import fill_template  # noqa: E402
from lkk_integration.spreadsheets.template import build_xlsx, rows_for_template  # noqa: E402
from lkk_integration.spreadsheets.upload import send_valid_rows, upload_readings_file  # noqa: E402
from bench.spreadsheets import analyze, prepare_postgres  # noqa: E402 — refuses `test`, empties the schema
from lkk_web import create_app  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/lkk_bench"
NOW = dt.datetime(2026, 3, 26, 20, 30)  # Moscow: the last evening of the default period 15–26
READING_DATE = dt.date(2026, 3, 26)
PERIOD = dt.date(2026, 3, 1)
FILLED = 19_000
TARGET_MS = 300
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def sign_in(client) -> None:
    page = client.get("/login")
    answer = client.post("/login", data={
        "csrf_token": CSRF.search(page.get_data(as_text=True)).group(1),
        "email": bulk.LARGE_EMAIL, "password": bulk.LARGE_PASSWORD})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]


def timed(client, path: str, shows: str = "") -> float:
    """One request's server time in seconds (the WSGI call and its whole body); the page must
    answer 200 and contain `shows`."""
    started = time.perf_counter()
    answer = client.get(path)
    body = answer.get_data()
    elapsed = time.perf_counter() - started
    assert answer.status_code == 200, (path, answer.status_code, body[:300])
    assert shows.encode() in body, (path, shows)
    return elapsed


def top(profile: cProfile.Profile, title: str, count: int = 12) -> None:
    """The product's functions by cumulative time, then the top by own time."""
    root = str(Path(__file__).resolve().parent.parent) + "/"
    for order, restriction, heading in (
            ("cumulative", (r"lkk_(integration|web)",), "the product's functions, cumulative"),
            ("tottime", (), "top by own time")):
        print(f"  cProfile, {title}: {heading}")
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(*restriction, count)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        for line in lines[start:start + count + 1]:
            if line.strip():
                print("    " + line.replace(root, ""))


def run(url: str, requests: int, warm_up: int, profile: bool, typed: int) -> None:
    config = Config(database_url=url, public_url="http://127.0.0.1:8765",
                    secret_key="bench-secret", password_hashing=PasswordHashing(1, 8, 1))
    core = create_core(config, clock=FixedClock(NOW))
    dialect = core.engine.dialect.name
    create_schema(core.engine, stamp=False)
    started = time.perf_counter()
    meters = bulk.LARGE_HOUSES * bulk.METERS_PER_HOUSE
    large = bulk.bulk_organization(core, meters)
    built = time.perf_counter()
    template = build_xlsx(rows_for_template(core, large.organization_id, large.house_ids))
    filled = fill_template(template, bulk.typed_values(meters, FILLED), READING_DATE)
    upload_readings_file(core, large.person_id, large.organization_id, "large_readings.xlsx",
                         filled)
    buffer = current_buffer(core, large.organization_id)
    print(f"[{dialect}] setup: {meters:,} meters in {len(large.house_ids)} houses written in "
          f"{built - started:.1f} s; a file of {FILLED:,} filled rows uploaded, the buffer holds "
          f"{buffer.valid + buffer.wrong:,} rows: valid {buffer.valid:,}, wrong {buffer.wrong:,}, "
          f"of them not filled {buffer.unfilled:,} ({time.perf_counter() - built:.1f} s)")

    analyze(core)
    app = create_app(core=core)
    guest = app.test_client()
    person = app.test_client()
    sign_in(person)

    def manual_path(house_id: int, street: str, apartment: str) -> str:
        return (f"/readings/manual/?kind={INDIVIDUAL}&settlement=Москва+г.&street={street}"
                f"&house={house_id}&apartment={apartment}")

    def measure(state: str, pages: list[tuple[str, str, str]]) -> None:
        """Each page's median server time; `pages` holds (name, path, what the page must
        show). The pages alternate request by request, so each sees the same machine load."""
        baseline_path = "/login"
        for _ in range(warm_up):
            timed(guest, baseline_path)
            for _name, path, shows in pages:
                timed(person, path, shows)
        times: dict[str, list[float]] = {name: [] for name, *_rest in pages}
        times["baseline"] = []
        for _ in range(requests):
            times["baseline"].append(timed(guest, baseline_path))
            for name, path, shows in pages:
                times[name].append(timed(person, path, shows))
        base = statistics.median(times["baseline"])
        print(f"[{dialect}] {state}")
        print(f"[{dialect}] baseline (sign-in page {baseline_path}, not signed in): median "
              f"{base * 1000:.1f} ms over {requests} requests")
        for name, path, _shows in pages:
            median = statistics.median(times[name])
            verdict = "ok" if median * 1000 <= TARGET_MS else "OVER"
            size = len(person.get(path).get_data()) / 1024
            print(f"[{dialect}] page {name}: median {median * 1000:.1f} ms (target ≤ "
                  f"{TARGET_MS} ms), ratio to baseline {median / base:.1f}  [{verdict}] "
                  f"{path.split('?')[0]}, {size:,.0f} KB of HTML")
        if profile:
            for name, path, shows in pages:
                profiler = cProfile.Profile()
                profiler.runcall(timed, person, path, shows)
                top(profiler, f"{dialect} {name}")

    first = large.house_ids[0]   # the first house written: «Вавилова ул., д. 1»
    measure("the file uploaded, nothing sent yet this period:", [
        ("buffer", "/readings/file", "large_readings.xlsx"),
        ("buffer-wrong", "/readings/file?filter=wrong", "large_readings.xlsx"),
        ("buffer-house", f"/readings/file?open={first}", bulk.meter_number(0)),
        ("buffer-house-wrong", f"/readings/file?filter=wrong&open={first}",
         "large_readings.xlsx"),
        ("main", "/", "Большой квартал"),
        ("manual", manual_path(first, bulk.STREETS[0], "12"),
         bulk.meter_number(11)),   # кв. 12 of the first house has meter 11
        ("house", f"/houses/{first}", bulk.meter_number(0)),
    ])

    # Later that evening: «Отправить верные», then the meters the file left out typed by hand.
    started = time.perf_counter()
    send_valid_rows(core, large.person_id, large.organization_id, buffer.upload_id)
    with core.uow() as uow:
        missing = uow.session.execute(
            select(Meter.id, Meter.billing_id, House.id, House.street, PersonalAccount.apartment)
            .join(House, House.id == Meter.house_id)
            .join(PersonalAccount, PersonalAccount.id == Meter.personal_account_id)
            .outerjoin(Reading, and_(Reading.meter_id == Meter.id, Reading.is_current,
                                     Reading.period == PERIOD))
            .where(House.organization_id == large.organization_id, Reading.id.is_(None))
            .order_by(Meter.id).limit(typed)).all()  # None: all
    by_hand = Submitter(large.person_id, large.organization_id, "bench-by-hand")
    for meter_id, billing_id, *_rest in missing:
        i = int(billing_id.rsplit("M", 1)[1])
        values = [format(v, ".2f") if v is not None else ""
                  for v in bulk.new_values(i, bulk.zones_of(i))]
        answer = submit_reading(core, by_hand, meter_id, READING_DATE.strftime("%d.%m.%Y"),
                                values)
        assert answer.verdict.ok, (billing_id, answer.verdict)
    print(f"[{dialect}] setup: the {buffer.valid:,} valid rows sent and {len(missing):,} "
          f"meters typed by hand in {time.perf_counter() - started:.1f} s")
    analyze(core)
    _id, billing_id, house_id, street, apartment = missing[-1]
    measure(f"the valid rows sent, {len(missing):,} readings typed by hand:", [
        ("buffer-after-send", "/readings/file", ""),
        ("main-after-send", "/", "Большой квартал"),
        ("manual-after-send", manual_path(house_id, street, apartment),
         bulk.meter_number(int(billing_id.rsplit("M", 1)[1]))),
        ("house-after-send", f"/houses/{house_id}", bulk.meter_number(0)
         if house_id == first else ""),
    ])
    core.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--postgresql-url", default=PG_URL)
    parser.add_argument("--requests", type=int, default=15, help="timed requests per page")
    parser.add_argument("--warm-up", type=int, default=3, help="untimed requests per page first")
    parser.add_argument("--typed", type=int, default=None,
                        help="meters typed by hand after the send, of those the file left out "
                             "(default: all of them, 2,412)")
    parser.add_argument("--profile", action="store_true",
                        help="one more request of each page under cProfile, its top functions")
    args = parser.parse_args()
    whole = time.perf_counter()
    if args.database in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="lkk-bench-pages-"))
        run(f"sqlite:///{folder / 'bench.sqlite3'}", args.requests, args.warm_up, args.profile,
            args.typed)
    if args.database in ("postgresql", "both"):
        prepare_postgres(args.postgresql_url)
        run(args.postgresql_url, args.requests, args.warm_up, args.profile,
            args.typed)
    print(f"whole run: {time.perf_counter() - whole:.0f} s")


if __name__ == "__main__":
    main()
