"""Spreadsheet channel benchmark: absolute figures and ratios against baselines of the same run.

Prints, after the machine (date and time UTC, cores, Python, database version), one line per
target of docs/performance.md in the form `ratio NAME: VALUE (target ≤ T)`, and
`peak_upload_mb: VALUE (target ≤ 200)`, each after the absolute figures it is made of:
- upload_xls: a filled 65,535-row .xls template POSTed to /readings/upload (with the form's
  CSRF token, by a signed-in contact person) over HTTP to the product's WSGI app on a real
  loopback server, until the redirect arrives, i.e. every row's verdict is stored in the
  buffer; over xlrd.open_workbook of the same bytes plus reading every cell value of every
  sheet. Target ≤ 1.5.
- upload_xlsx, upload_ods: the same cells as .xlsx (written with openpyxl, dates as dates) and
  as .ods (LibreOffice: `soffice --headless --convert-to ods` of the .xls) uploaded the same
  way; over the .xls upload's time. Target ≤ 1.2 each. A format the product refuses prints
  `ratio upload_ods: n/a (refused: <the page's message>)`; without soffice, `n/a (no soffice)`.
- template: rows_for_template (the query) + build_xls of 65,535 meters; over xlwt writing the
  same cells with the same values and no styles (Workbook, sheets, cells, save). Target ≤ 1.2.
- send: «Отправить верные» of the 65,535 valid rows of the .xls's buffer (send_valid_rows);
  over one executemany INSERT of the same rows (SQLAlchemy Core, the same column types) into a
  table with the readings table's columns and no index but its key, same database. Target ≤ 1.5.
- peak_upload_mb: upload_readings_file of the .xls on the same database in a fresh subprocess
  importing only the core (no server, no HTTP): its peak resident set size (VmHWM), MiB; the
  peak before the call is printed beside it. Target ≤ 200.

The template and the uploads run product and baseline alternately --repeat times (default 3)
and keep the best of each side; the send changes the data and runs once, as does its baseline.
The organization (65,535 individual meters, invented data) is written with bulk Core inserts;
every part uses one FixedClock, Moscow 2026-03-20 12:00 (default period 15–26).

Run: .venv/bin/python bench/spreadsheets.py [--rows 65535] [--database sqlite|postgresql|both]
     [--postgresql-url URL] [--repeat 3] [--profile] [--parts template,upload,send,memory]
PostgreSQL: postgresql+psycopg://postgres@127.0.0.1:5432/lkk_bench by default, a database
reserved for benchmarks (created when missing, its public schema dropped and re-created, which
also drops the audit trail's function and trigger: a rerun on the same database starts clean).
--profile runs the product's side of each part once under cProfile and prints its top
functions (the product's figures are then inflated by the profiler).
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import html
import io
import json
import logging
import os
import platform
import pstats
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urljoin

# This checkout's product, not the one the virtualenv was installed from (an editable install
# of another checkout would otherwise win: `python bench/x.py` puts bench/ first, not the root).
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import xlrd  # noqa: E402
import xlwt  # noqa: E402
from sqlalchemy import Column, MetaData, Table, case, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

import lkk_integration  # noqa: E402
from lkk_integration.clock import FixedClock  # noqa: E402
from lkk_integration.config import Config, MailConfig, PasswordHashing  # noqa: E402
from lkk_integration.core import create_core  # noqa: E402
from lkk_integration.db import make_engine  # noqa: E402
from lkk_integration.models import CHANNEL_FILE, SOURCE_ORGANIZATION, Reading, UploadRow  # noqa: E402
from lkk_integration.organizations import bulk  # noqa: E402
from lkk_integration.schema import create_schema  # noqa: E402
from lkk_integration.spreadsheets.layout import (COLUMNS, SHEET_NAMES, TEMPLATE_VERSION,  # noqa: E402
                                                 VERSION_SHEET, XLS_DATA_ROWS)
from lkk_integration.spreadsheets.template import build_xls, rows_for_template  # noqa: E402
from lkk_integration.spreadsheets.upload import send_valid_rows  # noqa: E402
from lkk_web import create_app  # noqa: E402

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
PARTS_ORDER = ("template", "upload", "send", "memory")
PARTS = frozenset(PARTS_ORDER)


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


def on_each_database(args, run, name: str) -> None:
    """run(url, args) on a fresh SQLite file and/or the PostgreSQL database of --database and
    --postgresql-url (its public schema emptied first); then the whole run's time."""
    whole = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix=f"lkk-bench-{name}-"))
    if args.database in ("sqlite", "both"):
        run(f"sqlite:///{folder / 'bench.sqlite3'}", args)
    if args.database in ("postgresql", "both"):
        prepare_postgres(args.postgresql_url)
        run(args.postgresql_url, args)
    print(f"whole run: {time.perf_counter() - whole:.0f} s")


def analyze(core) -> None:
    """On PostgreSQL, the statistics autovacuum gathers within a minute of a bulk write: without
    them, right after writing 20,000 meters and their readings, the planner takes each table
    for a row or two and picks nested loops (the house page's chart query took 460 ms instead
    of 10). Every bench measures a database as it is in service."""
    if core.engine.dialect.name == "postgresql":
        with core.engine.begin() as c:
            c.execute(text("ANALYZE"))


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


def to_xlsx(data: bytes) -> bytes:
    """The same sheets and cells as the .xls `data` as .xlsx (openpyxl, write-only): dates as
    dates formatted DD.MM.YYYY, a hidden sheet hidden."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    source = xlrd.open_workbook(file_contents=data)
    book = Workbook(write_only=True)
    for sheet in source.sheets():
        out = book.create_sheet(sheet.name)
        if sheet.visibility:
            out.sheet_state = "hidden"
        for r in range(sheet.nrows):
            row = []
            for kind, value in zip(sheet.row_types(r), sheet.row_values(r), strict=True):
                if kind == xlrd.XL_CELL_DATE:
                    cell = WriteOnlyCell(out, xlrd.xldate_as_datetime(value, source.datemode))
                    cell.number_format = "DD.MM.YYYY"
                    row.append(cell)
                elif kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    row.append(None)
                else:
                    row.append(value)
            out.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_ods(path: Path) -> bytes | str:
    """The .xls at `path` converted by LibreOffice (`soffice --headless --convert-to ods`), or
    why not (a text)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return "no soffice"
    # A profile of its own: another soffice running (a person's, another bench) would otherwise
    # take the conversion over and return at once.
    profile = path.parent / "soffice-profile"
    answer = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "ods", "--outdir", str(path.parent), str(path)],
        capture_output=True, text=True, check=False, timeout=600)
    converted = path.with_suffix(".ods")
    if answer.returncode or not converted.exists():
        return f"soffice failed: {(answer.stderr or answer.stdout).strip()[-300:]}"
    return converted.read_bytes()


def machine(engine) -> str:
    """The run's date and time (UTC), the machine and the database, for the figures' record."""
    with engine.connect() as c:
        version = (c.scalar(text("SHOW server_version")) if engine.dialect.name == "postgresql"
                   else c.scalar(text("SELECT sqlite_version()")))
    return (f"machine: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} "
            f"cores ({cpu_model()}), load average {os.getloadavg()[0]:.1f}, Python "
            f"{platform.python_version()}, {engine.dialect.name} {version}; the product "
            f"measured: {Path(lkk_integration.__file__).resolve().parent.parent}")


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            return next(line.split(":", 1)[1].strip() for line in info
                        if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or "unknown CPU"


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
                          "reading_date": "", "not_read": ""}
                for i, value in enumerate(row.last):
                    values[f"last_t{i + 1}"] = float(value) if value is not None else ""
                for i, value in enumerate(row.expected):
                    values[f"expected_t{i + 1}"] = float(value) if value is not None else ""
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


CONTENT_TYPES = {"xls": XLS, "ods": "application/vnd.oasis.opendocument.spreadsheet",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
CHECKED = re.compile(r"[?&]checked=(\d+)")
ERROR_FLASH = re.compile(r'<p class="flash error[^"]*"[^>]*>(.*?)</p>', re.DOTALL)


def post_file(session: requests.Session, base: str, token: str, name: str,
              data: bytes) -> tuple[float, int | None, str | None]:
    """POST the file as the upload form does, until the redirect. Returns (seconds, the checked
    upload's id or None, the page's error message when the file was refused or None)."""
    started = time.perf_counter()
    answer = session.post(f"{base}/readings/upload", data={"csrf_token": token},
                          files={"file": (f"показания.{name}", data, CONTENT_TYPES[name])},
                          allow_redirects=False)
    seconds = time.perf_counter() - started
    assert answer.status_code == 302, (answer.status_code, answer.text[:500])
    location = answer.headers["Location"]
    checked = CHECKED.search(location)
    if checked:
        return seconds, int(checked.group(1)), None
    page = session.get(urljoin(base + "/", location))
    found = ERROR_FLASH.search(page.text)
    return seconds, None, html.unescape(found.group(1)).strip() if found else "no message"


def buffer_counts(core, upload_id: int) -> tuple[int, int, list]:
    """The upload's stored rows, its valid rows, and up to 3 of its wrong rows' notes."""
    with core.uow() as uow:
        stored, valid = uow.session.execute(
            select(func.count(), func.sum(case((UploadRow.is_valid, 1), else_=0)))
            .where(UploadRow.upload_id == upload_id)).one()
        notes = uow.session.execute(select(UploadRow.note, func.count()).where(
            UploadRow.upload_id == upload_id, UploadRow.is_valid.is_(False))
            .group_by(UploadRow.note).limit(3)).all()
    return stored, valid or 0, notes


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

def run(url: str, rows: int, repeat: int, folder: Path, profile: bool,
        parts: frozenset[str] = PARTS) -> None:
    clock = FixedClock(NOW)
    port = free_port()
    config = Config(database_url=url, public_url=f"http://127.0.0.1:{port}",
                    secret_key="bench-secret", password_hashing=PasswordHashing(1, 8, 1),
                    mail=MailConfig(mode="folder", folder=folder / "mail"))
    core = create_core(config, clock=clock)
    dialect = core.engine.dialect.name
    print(f"== {dialect} ({make_url(url).render_as_string(hide_password=True)}) ==")
    print(machine(core.engine))
    create_schema(core.engine, stamp=False)
    started = time.perf_counter()
    organization_id, person_id, house_ids = bulk_organization(core, rows)
    analyze(core)
    print(f"setup: organization with {rows:,} individual meters in {len(house_ids)} houses "
          f"written in {time.perf_counter() - started:.1f} s")

    # 2. The template: product and baseline alternately, the best of `repeat` each.
    profiler = cProfile.Profile() if profile else None
    query_s = build_s = total_s = plain_s = total_cpu = plain_cpu = float("inf")
    cells = None
    for _ in range(repeat):
        gc.collect()
        started, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        found = rows_for_template(core, organization_id, house_ids)
        queried = time.perf_counter()
        template = build_xls(found)
        built, total_cpu = time.perf_counter(), min(total_cpu, time.process_time() - cpu)
        if profiler:
            profiler.disable()
            profiler, profiled = None, profiler  # one run profiled
        query_s, build_s = min(query_s, queried - started), min(build_s, built - queried)
        total_s = min(total_s, built - started)
        assert len(found) == rows, len(found)
        cells = cells or template_cells(found)
        del found
        gc.collect()
        started, cpu = time.perf_counter(), time.process_time()
        plain = xlwt_plain(cells)
        plain_s = min(plain_s, time.perf_counter() - started)
        plain_cpu = min(plain_cpu, time.process_time() - cpu)
    del cells
    print(f"template, rows_for_template (query):  {query_s:.2f} s for {rows:,} meters")
    print(f"template, build_xls:              {build_s:.2f} s, {len(template) / 2**20:.1f} MB "
          f"({rows / build_s:,.0f} rows/s)")
    print(f"template, both:                   {total_s:.2f} s ({rows / total_s:,.0f} rows/s)")
    print(f"baseline, xlwt writing the same cells with no styles (workbook, sheets, save): "
          f"{plain_s:.2f} s, {len(plain) / 2**20:.1f} MB ({rows / plain_s:,.0f} rows/s)")
    print(f"template, build_xls alone / xlwt baseline (for reference): {build_s / plain_s:.2f}")
    # The CPU time of this process moves less than the wall clock on a shared machine (it
    # leaves out PostgreSQL's own time, a small part of the query): a check on a noisy ratio.
    print(f"template, CPU time of this process (for reference): {total_cpu:.2f} s, baseline "
          f"{plain_cpu:.2f} s, {total_cpu / plain_cpu:.2f}")
    print(f"ratio template: {total_s / plain_s:.2f} (target ≤ 1.2)")
    if profile:
        top(profiled, "rows_for_template + build_xls")

    if parts == {"template"}:
        return
    started = time.perf_counter()
    filled = fill(template, rows)
    path = folder / f"filled-{dialect}.xls"
    path.write_bytes(filled)
    print(f"setup: template filled with {rows:,} readings dated {READING_DATE:%d.%m.%Y} in "
          f"{time.perf_counter() - started:.1f} s, {len(filled) / 2**20:.1f} MB")

    if "upload" in parts:
        # 1. Upload to verdict over HTTP: .xlsx, .ods, .xls in turn (the .xls's buffer, the last,
        # is the one sent below), then the xlrd baseline.
        started = time.perf_counter()
        files = {"xls": filled, "xlsx": to_xlsx(filled)}
        print(f"setup: the same cells as .xlsx (openpyxl) in "
              f"{time.perf_counter() - started:.1f} s, {len(files['xlsx']) / 2**20:.1f} MB")
        started = time.perf_counter()
        ods = to_ods(path)
        if isinstance(ods, bytes):
            files["ods"] = ods
            print(f"setup: the same cells as .ods (soffice --convert-to ods) in "
                  f"{time.perf_counter() - started:.1f} s, {len(ods) / 2**20:.1f} MB")
        refused = {} if isinstance(ods, bytes) else {"ods": ods}
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        app = Profiled(create_app(core=core))
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                  daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{port}"
        best = {name: float("inf") for name in files}
        xlrd_s = float("inf")
        profiles: dict[str, cProfile.Profile] = {}
        upload_id = None
        try:
            session, token = sign_in(base)
            for attempt in range(repeat):
                for name in ("xlsx", "ods", "xls"):
                    if name not in files or name in refused:
                        continue
                    if profile and attempt == 0:
                        app.profile = profiles[name] = cProfile.Profile()
                    gc.collect()
                    seconds, checked, refusal = post_file(session, base, token, name, files[name])
                    app.profile = None
                    if refusal is not None:
                        refused[name] = refusal
                        continue
                    best[name] = min(best[name], seconds)
                    stored, valid, notes = buffer_counts(core, checked)
                    assert stored == rows and valid == rows, (name, stored, valid, notes)
                    if name == "xls":
                        upload_id = checked
                gc.collect()
                started = time.perf_counter()
                read = xlrd_every_cell(filled)
                xlrd_s = min(xlrd_s, time.perf_counter() - started)
            session.close()
        finally:
            server.shutdown()
            thread.join(5)
        assert upload_id is not None, f"the .xls was refused: {refused.get('xls')}"
        for name, data in files.items():
            if name not in refused:
                print(f"upload to verdict over HTTP, .{name} (POST /readings/upload to the "
                      f"redirect, {len(data) / 2**20:.1f} MB, {rows:,} rows stored, all valid): "
                      f"{best[name]:.2f} s ({rows / best[name]:,.0f} rows/s)")
        print(f"baseline, xlrd.open_workbook of the .xls + every cell value ({read:,} cells): "
              f"{xlrd_s:.2f} s ({rows / xlrd_s:,.0f} rows/s)")
        print(f"ratio upload_xls: {best['xls'] / xlrd_s:.2f} (target ≤ 1.5)")
        for name in ("xlsx", "ods"):
            if name in refused:
                print(f"ratio upload_{name}: n/a (refused: {refused[name]})")
            else:
                print(f"ratio upload_{name}: {best[name] / best['xls']:.2f} (target ≤ 1.2)")
        for name, profiled in profiles.items():
            if name not in refused:
                top(profiled, f"the .{name} upload request in the server thread")

    if "send" in parts:
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
        print(f"ratio send: {send_s / insert_s:.2f} (target ≤ 1.5)")
        if profiler:
            top(profiler, "send_valid_rows")
        metadata.drop_all(core.engine)

    if "memory" in parts:
        # 4. Peak memory of the upload, in a fresh process.
        core.engine.dispose()
        memory = measure_memory(url, path, person_id, organization_id)
        print(f"upload peak memory (upload_readings_file of the .xls alone in a fresh process, "
              f"peak RSS = VmHWM of /proc/self/status, MiB): RSS before the call (interpreter, "
              f"imports, the {len(filled) / 2**20:.1f} MB file, a connection) "
              f"{mb(memory['before_kib']):.0f} MB, so the upload adds "
              f"{mb(memory['peak_kib'] - memory['before_kib']):.0f} MB; the call took "
              f"{memory['seconds']:.2f} s there")
        print(f"peak_upload_mb: {mb(memory['peak_kib']):.0f} (target ≤ 200)")


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
    parser.add_argument("--parts", default=",".join(PARTS_ORDER),
                        help="comma-separated, among " + ", ".join(PARTS_ORDER) + " (default "
                             "all); the template always runs (the upload fills it), the send "
                             "needs the upload")
    args = parser.parse_args()
    parts = frozenset(args.parts.split(","))
    if not parts <= PARTS or ("send" in parts and "upload" not in parts):
        parser.error(f"--parts: among {', '.join(PARTS_ORDER)}; send needs upload")
    parts |= {"template"}
    if not 1 <= args.rows <= 65_535:
        parser.error("--rows must be between 1 and 65535")
    whole = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="lkk-bench-files-"))
    if args.database in ("sqlite", "both"):
        run(f"sqlite:///{folder / 'bench.sqlite3'}", args.rows, args.repeat, folder, args.profile,
            parts)
    if args.database in ("postgresql", "both"):
        prepare_postgres(args.postgresql_url)
        run(args.postgresql_url, args.rows, args.repeat, folder, args.profile, parts)
    print(f"whole run: {time.perf_counter() - whole:.0f} s")


if __name__ == "__main__":
    main()
