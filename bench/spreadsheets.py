"""Spreadsheet channel benchmark: absolute figures and ratios against baselines of the same run.

1. Upload to verdict: a filled 65,535-row .xls template POSTed to /readings/upload (with the
   form's CSRF token, by a signed-in contact person) over HTTP to the product's WSGI app on a
   real loopback server, until the redirect arrives, i.e. every row's verdict is stored in the
   buffer; vs. xlrd.open_workbook of the same bytes plus reading every cell value of every
   sheet. Target ratio ≤ 2.0.
2. Building the 65,535-meter template: rows_for_template (the query) + build_xls, vs. xlwt writing
   the same cells with the same values and no styles (Workbook, sheets, cells, save). Target
   ratio ≤ 1.3.
3. Sending the 65,535 valid rows of the buffer (send_valid_rows) vs. one executemany INSERT of
   the same rows (SQLAlchemy Core, the same column types) into a table with the readings
   table's columns and no index but its key, on the same database. Target ratio ≤ 2.0.
4. Peak memory of the upload: upload_readings_file on the same file and database in a fresh
   subprocess importing only the core (no server, no HTTP): its peak resident set size
   (VmHWM), and the peak it had before the call. Target: peak under 300 MB.

Parts 1 and 2 run product and baseline alternately --repeat times (default 3) and keep the
best of each side; the send changes the data and runs once, as does its baseline.
The organization (65,535 individual meters, invented data) is written with bulk Core inserts;
every part uses one FixedClock, Moscow 2026-03-20 12:00 (default period 15–26).

Run: .venv/bin/python bench/spreadsheets.py [--rows 65535] [--database sqlite|postgresql|both]
     [--postgresql-url URL] [--repeat 3] [--profile]
PostgreSQL: postgresql+psycopg://postgres@127.0.0.1:5432/lkk_bench by default, a database
reserved for benchmarks (created when missing, its public schema dropped and re-created).
--profile runs the product's side of each part once under cProfile and prints its top
functions (the product's figures are then inflated by the profiler).
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import logging
import pstats
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
import xlrd
import xlwt
from sqlalchemy import Column, MetaData, Table, case, func, insert, select, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from lkk_integration.clock import FixedClock
from lkk_integration.config import Config, MailConfig, PasswordHashing
from lkk_integration.core import create_core
from lkk_integration.db import make_engine
from lkk_integration.models import CHANNEL_FILE, SOURCE_ORGANIZATION, Reading, Upload, UploadRow
from lkk_integration.organizations import bulk
from lkk_integration.schema import create_schema
from lkk_integration.spreadsheets.layout import (COLUMNS, SHEET_NAMES, TEMPLATE_VERSION,
                                                 VERSION_SHEET, XLS_DATA_ROWS)
from lkk_integration.spreadsheets.template import build_xls, rows_for_template
from lkk_integration.spreadsheets.upload import send_valid_rows
from lkk_web import create_app

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/lkk_bench"
NOW = dt.datetime(2026, 3, 20, 12, 0)  # Moscow; the default period is the 15th to the 26th
LAST_DATE = dt.date(2026, 2, 20)       # the meters' last accounted readings (bulk.py: the 20th)
READING_DATE = dt.date(2026, 3, 18)    # typed into the file: inside the period, not after today
PERIOD = dt.date(2026, 3, 1)
EMAIL, PASSWORD = "bench-files@example.org", "Bench2026files"
METERS_PER_HOUSE, STREETS = bulk.METERS_PER_HOUSE, bulk.STREETS
last_values, new_values = bulk.last_values, bulk.new_values
zones_of, meter_number = bulk.zones_of, bulk.meter_number
XLS = "application/vnd.ms-excel"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def mb(kib: float) -> float:
    return kib / 1024


# --- setup -----------------------------------------------------------------------------------

def prepare_postgres(url: str) -> None:
    """Create the benchmark database when missing; empty its public schema."""
    name = make_url(url).database
    if name in ("test", "postgres", None):
        raise SystemExit(f"refusing to use the database {name!r}: the benchmark empties it")
    admin = make_engine(make_url(url).set(database="postgres").render_as_string(
        hide_password=False), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            if not c.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
                c.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    engine = make_engine(url)
    try:
        with engine.begin() as c:
            c.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            c.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def bulk_organization(core, meters: int,
                      per_house: int = METERS_PER_HOUSE) -> tuple[int, int, list[int]]:
    """The core's large organization (lkk_integration/organizations/bulk.py) with `meters`
    individual meters, signed in with EMAIL and PASSWORD. Returns (organization id, contact
    person id, house ids)."""
    return tuple(bulk.bulk_organization(core, meters, per_house, email=EMAIL, password=PASSWORD,
                                        client="bench-files", prefix="BF"))


def fill(template: bytes, meters: int) -> bytes:
    """The template as a person fills it: every meter's readings and the reading date typed in.

    Every cell of the template is copied (dates as dates); T1..T3 are typed as numbers.
    """
    numbers = {meter_number(i): new_values(i, zones_of(i)) for i in range(meters)}
    source = xlrd.open_workbook(file_contents=template)
    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    for sheet in source.sheets():
        out = book.add_sheet(sheet.name)
        if sheet.visibility:
            out.visibility = 1
        titles = sheet.row_values(0) if sheet.nrows else []
        at = {title: c for c, title in enumerate(titles)}
        for r in range(sheet.nrows):
            row = out.row(r)
            types, values = sheet.row_types(r), sheet.row_values(r)
            for c, (kind, value) in enumerate(zip(types, values, strict=True)):
                if kind == xlrd.XL_CELL_DATE:
                    row.write(c, xlrd.xldate_as_datetime(value, source.datemode), date_style)
                elif kind not in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    row.write(c, value)
            typed = numbers.get(values[at["№ счетчика"]]) if r and "№ счетчика" in at else None
            if typed:
                for title, value in zip(("Т1", "Т2", "Т3"), typed, strict=False):
                    if value is not None:
                        row.write(at[title], value)
                row.write(at["Дата показания"], READING_DATE, date_style)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- baselines -------------------------------------------------------------------------------

def xlrd_every_cell(data: bytes) -> int:
    """Baseline 1: open the workbook with xlrd and read every cell value of every sheet."""
    book = xlrd.open_workbook(file_contents=data)
    cells = 0
    for sheet in book.sheets():
        for r in range(sheet.nrows):
            for _value in sheet.row_values(r):
                cells += 1
    return cells


def template_cells(rows) -> list[tuple[str, list[list[object]]]]:
    """The sheets and cell values build_xls writes for `rows` (the baseline's input)."""
    sheets = []
    for kind, columns in COLUMNS.items():
        kind_rows = [r for r in rows if r.kind == kind]
        chunks = [kind_rows[i:i + XLS_DATA_ROWS]
                  for i in range(0, len(kind_rows), XLS_DATA_ROWS)] or [[]]
        for n, chunk in enumerate(chunks):
            name = SHEET_NAMES[kind] + (f" ({n + 1})" if n else "")
            table = [[title for _key, title in columns]]
            for row in chunk:
                values = {"address": row.address, "apartment": row.apartment or "",
                          "account": row.account or "", "meter_number": row.meter_number,
                          "metering_type": row.metering_type, "ratio": float(row.ratio),
                          "last_date": row.last_date if row.last_date is not None else "",
                          "remark": row.remark or "", "t1": "", "t2": "", "t3": "",
                          "reading_date": ""}
                for i, value in enumerate(row.last):
                    values[f"last_t{i + 1}"] = float(value) if value is not None else ""
                table.append([values[key] for key, _title in columns])
            sheets.append((name, table))
    return sheets


def xlwt_plain(sheets: list[tuple[str, list[list[object]]]]) -> bytes:
    """Baseline 2: xlwt writes the same cells with the same values, no styles."""
    book = xlwt.Workbook(encoding="utf-8")
    for name, table in sheets:
        sheet = book.add_sheet(name)
        for r, values in enumerate(table):
            row = sheet.row(r)
            for c, value in enumerate(values):
                row.write(c, value)
    meta = book.add_sheet(VERSION_SHEET)
    meta.write(0, 0, "template_version")
    meta.write(0, 1, TEMPLATE_VERSION)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def readings_like(metadata: MetaData) -> Table:
    """A table with the readings table's columns and types, its key and nothing else."""
    return Table("bench_reading_plain", metadata, *[
        Column(c.name, c.type, primary_key=c.primary_key) for c in Reading.__table__.columns])


# --- the HTTP side ---------------------------------------------------------------------------

class Profiled:
    """WSGI middleware: while `profile` is set, each request runs under it (in its thread)."""

    def __init__(self, app):
        self.app, self.profile = app, None

    def __call__(self, environ, start_response):
        if self.profile is None:
            return self.app(environ, start_response)
        return self.profile.runcall(lambda: list(self.app(environ, start_response)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sign_in(base: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    page = session.get(f"{base}/login")
    answer = session.post(f"{base}/login", data={
        "csrf_token": CSRF.search(page.text).group(1), "email": EMAIL, "password": PASSWORD},
        allow_redirects=False)
    assert answer.status_code == 302, answer.text[:500]
    page = session.get(f"{base}/readings/file")
    assert page.status_code == 200, page.text[:500]
    return session, CSRF.search(page.text).group(1)


def top(profile: cProfile.Profile, title: str, count: int = 15) -> None:
    """The profile's top functions by own time, then the product's own by cumulative time."""
    for order, restriction, heading in (
            ("tottime", (), f"top {count} by own time"),
            ("cumulative", (r"lkk_(integration|web)",), "the product's functions by cumulative "
                                                          "time")):
        print(f"  cProfile, {title}: {heading}")
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(*restriction, count)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        for line in lines[start:start + count + 1]:
            if line.strip():
                print("    " + line.replace(str(Path(__file__).resolve().parent.parent) + "/",
                                            ""))


# --- memory (a subprocess) -------------------------------------------------------------------

# Run with `python -c` so that the process imports only what an upload needs (no Flask, no
# spyne, no benchmark): its RSS before the call is the interpreter, the core and the file.
MEMORY_CHILD = """
import datetime as dt, json, sys, time
from pathlib import Path
from sqlalchemy import text
from lkk_integration.clock import FixedClock
from lkk_integration.config import Config, PasswordHashing
from lkk_integration.core import create_core
from lkk_integration.spreadsheets.upload import upload_readings_file

url, path, person_id, organization_id, now = sys.argv[1:6]
core = create_core(Config(database_url=url, secret_key="bench-secret",
                          password_hashing=PasswordHashing(1, 8, 1)),
                   clock=FixedClock(dt.datetime.fromisoformat(now)))
data = Path(path).read_bytes()
with core.uow() as uow:  # connected: the driver's own memory counts as before
    uow.session.execute(text("SELECT 1"))
def peak_rss():
    # VmHWM, the peak RSS of this process image: getrusage's ru_maxrss survives exec, so a
    # child would report its large parent's size.
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


before = peak_rss()
started = time.perf_counter()
upload_id = upload_readings_file(core, int(person_id), int(organization_id), "filled.xls", data)
seconds = time.perf_counter() - started
peak = peak_rss()
print(json.dumps({"before_kib": before, "peak_kib": peak, "seconds": seconds,
                  "upload_id": upload_id}))
"""


def measure_memory(url: str, path: Path, person_id: int, organization_id: int) -> dict:
    answer = subprocess.run(
        [sys.executable, "-c", MEMORY_CHILD, url, str(path), str(person_id),
         str(organization_id), NOW.isoformat()], capture_output=True, text=True, check=False,
        cwd=Path(__file__).resolve().parent.parent)
    if answer.returncode:
        raise RuntimeError(answer.stderr[-3000:])
    return json.loads(answer.stdout.strip().splitlines()[-1])


# --- one database ----------------------------------------------------------------------------

def run(url: str, rows: int, repeat: int, folder: Path, profile: bool) -> None:
    clock = FixedClock(NOW)
    port = free_port()
    config = Config(database_url=url, public_url=f"http://127.0.0.1:{port}",
                    secret_key="bench-secret", password_hashing=PasswordHashing(1, 8, 1),
                    mail=MailConfig(mode="folder", folder=folder / "mail"))
    core = create_core(config, clock=clock)
    dialect = core.engine.dialect.name
    print(f"== {dialect} ({make_url(url).render_as_string(hide_password=True)}) ==")
    create_schema(core.engine, stamp=False)
    started = time.perf_counter()
    organization_id, person_id, house_ids = bulk_organization(core, rows)
    print(f"setup: organization with {rows:,} individual meters in {len(house_ids)} houses "
          f"written in {time.perf_counter() - started:.1f} s")

    # 2. The template: product and baseline alternately, the best of `repeat` each.
    profiler = cProfile.Profile() if profile else None
    query_s = build_s = total_s = plain_s = float("inf")
    cells = None
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        found = rows_for_template(core, organization_id, house_ids)
        queried = time.perf_counter()
        template = build_xls(found)
        built = time.perf_counter()
        if profiler:
            profiler.disable()
            profiler, profiled = None, profiler  # one run profiled
        query_s, build_s = min(query_s, queried - started), min(build_s, built - queried)
        total_s = min(total_s, built - started)
        assert len(found) == rows, len(found)
        cells = cells or template_cells(found)
        del found
        gc.collect()
        started = time.perf_counter()
        plain = xlwt_plain(cells)
        plain_s = min(plain_s, time.perf_counter() - started)
    del cells
    print(f"template, rows_for_template (query):  {query_s:.2f} s for {rows:,} meters")
    print(f"template, build_xls:              {build_s:.2f} s, {len(template) / 2**20:.1f} MB "
          f"({rows / build_s:,.0f} rows/s)")
    print(f"template, both:                   {total_s:.2f} s ({rows / total_s:,.0f} rows/s)")
    print(f"baseline, xlwt writing the same cells with no styles (workbook, sheets, save): "
          f"{plain_s:.2f} s, {len(plain) / 2**20:.1f} MB ({rows / plain_s:,.0f} rows/s)")
    print(f"template ratio ((rows_for_template + build_xls) / xlwt baseline): "
          f"{total_s / plain_s:.2f}  (target ≤ 1.3)")
    print(f"template ratio, build_xls alone / xlwt baseline (for reference): "
          f"{build_s / plain_s:.2f}")
    if profile:
        top(profiled, "rows_for_template + build_xls")

    started = time.perf_counter()
    filled = fill(template, rows)
    path = folder / f"filled-{dialect}.xls"
    path.write_bytes(filled)
    print(f"setup: template filled with {rows:,} readings dated {READING_DATE:%d.%m.%Y} in "
          f"{time.perf_counter() - started:.1f} s, {len(filled) / 2**20:.1f} MB")

    # 1. Upload to verdict over HTTP.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = Profiled(create_app(core=core))
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    upload_s = xlrd_s = float("inf")
    upload_profile = None
    try:
        session, token = sign_in(base)
        for attempt in range(repeat):
            # Each upload replaces the buffer of the one before; the last one's is sent below.
            if profile and attempt == 0:
                app.profile = cProfile.Profile()
            gc.collect()
            started = time.perf_counter()
            answer = session.post(f"{base}/readings/upload", data={"csrf_token": token},
                                  files={"file": ("показания.xls", filled, XLS)},
                                  allow_redirects=False)
            upload_s = min(upload_s, time.perf_counter() - started)
            upload_profile, app.profile = upload_profile or app.profile, None
            # The verdict in view: /readings/file?checked=<id>#buffer.
            assert answer.status_code == 302 and answer.headers["Location"].split("?")[0] \
                .endswith("/readings/file"), (answer.status_code, answer.text[:500])
            gc.collect()
            started = time.perf_counter()
            read = xlrd_every_cell(filled)
            xlrd_s = min(xlrd_s, time.perf_counter() - started)
        session.close()
    finally:
        server.shutdown()
        thread.join(5)
    with core.uow() as uow:
        upload_id = uow.session.scalar(select(func.max(Upload.id)).where(
            Upload.organization_id == organization_id, Upload.status == "checked"))
        stored, valid = uow.session.execute(
            select(func.count(), func.sum(case((UploadRow.is_valid, 1), else_=0)))
            .where(UploadRow.upload_id == upload_id)).one()
        notes = uow.session.execute(select(UploadRow.note, func.count()).where(
            UploadRow.upload_id == upload_id, UploadRow.is_valid.is_(False))
            .group_by(UploadRow.note).limit(3)).all()
    assert upload_id is not None, "no buffer stored: the upload was refused (see its flash)"
    assert stored == rows and valid == rows, (stored, valid, notes)
    print(f"upload to verdict over HTTP (POST /readings/upload to the redirect, "
          f"{len(filled) / 2**20:.1f} MB, {stored:,} rows stored, {valid:,} valid): "
          f"{upload_s:.2f} s ({rows / upload_s:,.0f} rows/s)")
    print(f"baseline, xlrd.open_workbook + every cell value ({read:,} cells): {xlrd_s:.2f} s "
          f"({rows / xlrd_s:,.0f} rows/s)")
    print(f"upload ratio (upload over HTTP / xlrd baseline): {upload_s / xlrd_s:.2f}  "
          f"(target ≤ 2.0)")
    if upload_profile:
        top(upload_profile, "the upload request in the server thread")

    # 3. Sending the valid rows.
    with core.uow() as uow:
        buffer_rows = uow.session.execute(
            select(UploadRow.meter_id, UploadRow.reading_date, UploadRow.t1, UploadRow.t2,
                   UploadRow.t3).where(UploadRow.upload_id == upload_id, UploadRow.is_valid)
            .order_by(UploadRow.id)).all()
    now = clock.now()
    same_rows = [dict(meter_id=m, reading_date=d, period=PERIOD, t1=t1, t2=t2, t3=t3,
                      source=SOURCE_ORGANIZATION, channel=CHANNEL_FILE, is_current=True,
                      submitted_by_person_id=person_id, submitted_at=now, upload_id=upload_id,
                      replaces_id=None) for m, d, t1, t2, t3 in buffer_rows]
    metadata = MetaData()
    plain_table = readings_like(metadata)
    metadata.create_all(core.engine)
    profiler = cProfile.Profile() if profile else None
    gc.collect()
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    result = send_valid_rows(core, person_id, organization_id, upload_id)
    if profiler:
        profiler.disable()
    send_s = time.perf_counter() - started
    assert result.individual == rows, result
    gc.collect()
    started = time.perf_counter()
    with core.engine.begin() as c:
        c.execute(insert(plain_table), same_rows)
    insert_s = time.perf_counter() - started
    with core.engine.connect() as c:
        inserted = c.scalar(select(func.count()).select_from(plain_table))
        saved = c.scalar(select(func.count()).select_from(Reading.__table__).where(
            Reading.upload_id == upload_id))
    assert inserted == saved == rows, (inserted, saved)
    print(f"send_valid_rows: {rows:,} readings saved in {send_s:.2f} s "
          f"({rows / send_s:,.0f} rows/s)")
    print(f"baseline, one executemany INSERT of the same rows into a table of the same columns "
          f"(key only): {insert_s:.2f} s ({rows / insert_s:,.0f} rows/s)")
    print(f"send ratio (send_valid_rows / executemany INSERT): {send_s / insert_s:.2f}  "
          f"(target ≤ 2.0)")
    print(f"ratio send: {send_s / insert_s:.2f} (target ≤ 1.5)")
    if profiler:
        top(profiler, "send_valid_rows")
    metadata.drop_all(core.engine)

    # 4. Peak memory of the upload, in a fresh process.
    core.engine.dispose()
    memory = measure_memory(url, path, person_id, organization_id)
    print(f"upload peak memory (upload_readings_file alone in a fresh process, peak RSS = "
          f"VmHWM of /proc/self/status): {mb(memory['peak_kib']):.0f} MB; RSS before the call "
          f"(interpreter, imports, the {len(filled) / 2**20:.1f} MB file, a connection) "
          f"{mb(memory['before_kib']):.0f} MB, so the upload adds "
          f"{mb(memory['peak_kib'] - memory['before_kib']):.0f} MB  (target: peak under 300 MB; "
          f"the call took {memory['seconds']:.2f} s there)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=65_535,
                        help="meters of the organization = filled rows of the file (≤ 65,535: "
                             "one .xls sheet)")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--postgresql-url", default=PG_URL)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of the template and upload pairs; the best of each side "
                             "counts (the send changes the data: it runs once)")
    parser.add_argument("--profile", action="store_true",
                        help="run the product's side under cProfile and print its top functions")
    args = parser.parse_args()
    if not 1 <= args.rows <= 65_535:
        parser.error("--rows must be between 1 and 65535")
    whole = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="lkk-bench-files-"))
    if args.database in ("sqlite", "both"):
        run(f"sqlite:///{folder / 'bench.sqlite3'}", args.rows, args.repeat, folder, args.profile)
    if args.database in ("postgresql", "both"):
        prepare_postgres(args.postgresql_url)
        run(args.postgresql_url, args.rows, args.repeat, folder, args.profile)
    print(f"whole run: {time.perf_counter() - whole:.0f} s")


if __name__ == "__main__":
    main()
