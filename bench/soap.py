"""SOAP service benchmark: absolute figures and ratios against baselines measured in the same run.

Prints, after the machine (date and time UTC, cores, Python, database version), one line per
target of docs/performance.md in the form `ratio NAME: VALUE (target ≤ T)`, each after the
absolute figures it is made of:
- export: 100,000 submitted readings fetched page by page (Limit 1000) over loopback HTTP from
  the real service (gateway, authentication, quota, schema validation, database, spyne); over
  the bare lxml serialization of the same pages in this process: each page's SOAP envelope
  built with lxml.etree (SubElement, the same elements and values as the service answers) from
  the same events already in memory (export_readings' pages, read once before), and
  serialized with tostring. Target ≤ 1.5.
- small_call: a small read call (GetOrganization of a one-house organization) over a bare spyne
  Echo operation served by the same server process, the median latency of --calls calls each
  over loopback HTTP. Target ≤ 1.5.
The export and its baseline run alternately --repeat times after one untimed pass of each; the
best of each side counts. --spyne-list adds, for reference, the same pages served over HTTP by
the same spyne types from a Python list (no database, no gateway): what spyne alone costs.

Run: .venv/bin/python bench/soap.py [--readings 100000] [--calls 300] [--repeat 2]
     [--database sqlite|postgresql|both] [--postgresql-url URL] [--spyne-list] [--profile]
PostgreSQL: postgresql+psycopg://postgres@127.0.0.1:5432/lkk_bench by default, a database
reserved for benchmarks (created when missing, its public schema dropped and re-created, which
also drops the audit trail's function and trigger: a rerun on the same database starts clean).
--profile runs one more export and --calls more GetOrganization calls under cProfile in the
server thread and prints their top functions.
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import logging
import re
import statistics
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from lxml import etree  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from werkzeug.middleware.dispatcher import DispatcherMiddleware  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

import lkk_integration  # noqa: F401,E402 - first: spyne on Python 3.12+ (spyne_compat.py)
from spyne import Application, Long, ServiceBase, Unicode, rpc  # noqa: E402
from spyne.protocol.soap import Soap11  # noqa: E402
from spyne.server.wsgi import WsgiApplication  # noqa: E402

from bench.spreadsheets import (PG_URL, Profiled, analyze, free_port, machine,  # noqa: E402
                                on_each_database, top)
from lkk_integration.clock import FixedClock  # noqa: E402
from lkk_integration.config import Config, PasswordHashing  # noqa: E402
from lkk_integration.core import create_core  # noqa: E402
from lkk_integration.models import ExportEvent, Meter, Reading  # noqa: E402
from lkk_integration.organizations.clients import create_client, set_client_quota  # noqa: E402
from lkk_integration.organizations.payloads import (AccountData,  # noqa: E402
                                                    AccountedReadingData, ContactPersonData,
                                                    HouseData, MeterData, OrganizationData)
from lkk_integration.organizations.registry import register_organization  # noqa: E402
from lkk_integration.quantities import plain_decimal  # noqa: E402
from lkk_integration.readings.export import export_readings  # noqa: E402
from lkk_integration.schema import create_schema  # noqa: E402
from lkk_integration.soap import types as t  # noqa: E402
from lkk_web import create_app  # noqa: E402

NS = t.NS
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
ENVELOPE = ('<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap'
            '.org/soap/envelope/" xmlns:v="' + NS + '"><s:Body>{}</s:Body></s:Envelope>')
NEXT = re.compile(rb"NextCursor>(\d+)<")
MORE = re.compile(rb"HasMore>(true|false)<")
PAGE = 1000


def organization(meters: int) -> OrganizationData:
    return OrganizationData(
        billing_id="ORG-B", full_name="ООО «Бенч»", short_name="Бенч", org_type="ТСЖ",
        inn="7700000993", contact_person=ContactPersonData("Бенчев Б. Б.", "bench@example.org"),
        houses=[HouseData(
            billing_id="H-B", settlement="Москва г.", street="Тестовая ул.", house_number="1",
            accounts=[AccountData(number=f"9{i:06d}", apartment=str(i + 1), meters=[MeterData(
                billing_id=f"M-B{i}", number=f"{i:08d}", zones=2, capacity=6,
                last_reading=AccountedReadingData(dt.date(2026, 2, 20), "Абонент",
                                                  Decimal(100), Decimal(50)))])
                for i in range(meters)])])


def fill_readings(core, count: int) -> None:
    """`count` submitted readings and their export events, set-based."""
    with core.uow() as uow:
        meter_ids = uow.session.scalars(select(Meter.id)).all()
        now = core.clock.now()
        rows = [dict(meter_id=meter_ids[i % len(meter_ids)], reading_date=dt.date(2026, 3, 18),
                     period=dt.date(2026, 3, 1), t1=Decimal(1000 + i) / 10, t2=Decimal(i % 977),
                     source="Обслуживающая организация", channel="file", is_current=False,
                     submitted_at=now) for i in range(count)]
        for start in range(0, count, 10_000):
            uow.session.execute(insert(Reading), rows[start:start + 10_000])
        ids = uow.session.scalars(select(Reading.id).where(Reading.channel == "file")
                                  .order_by(Reading.id)).all()
        events = [dict(seq=n, reading_id=rid, kind="submitted", created_at=now)
                  for n, rid in enumerate(ids, 1)]
        for start in range(0, len(events), 10_000):
            uow.session.execute(insert(ExportEvent), events[start:start + 10_000])
        uow.session.execute(text("UPDATE export_counter SET last_seq = :n"), {"n": len(ids)})
        uow.commit()


# --- baselines -------------------------------------------------------------------------------

# ExportedReading's elements in the WSDL's order, and the event's attribute each is made of.
FIELDS = [(name, re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower())
          for name in t.ExportedReading._type_info]


def text_of(value) -> str:
    """A value as the service writes it: decimals plainly (kWh, no exponent, no trailing
    zeros), booleans in lower case, dates and datetimes in ISO 8601."""
    if isinstance(value, Decimal):
        return format(plain_decimal(value), "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def lxml_page(page) -> bytes:
    """Baseline: one ExportReadings answer built with lxml.etree from an export page in memory
    (the same elements, in the same order, as the service's answer; absent values left out)."""
    q = f"{{{NS}}}"
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap11env": SOAP_ENV, "tns": NS})
    body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
    response = etree.SubElement(body, q + "ExportReadingsResponse")
    result = etree.SubElement(response, q + "ExportReadingsResult")
    readings = etree.SubElement(result, q + "Readings")
    sub = etree.SubElement
    for event in page.events:
        item = sub(readings, q + "ExportedReading")
        for name, attribute in FIELDS:
            value = getattr(event, attribute)
            if value is not None:
                sub(item, q + name).text = text_of(value)
    sub(result, q + "NextCursor").text = str(page.next_cursor)
    sub(result, q + "HasMore").text = text_of(page.has_more)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def spyne_list_app(readings: list) -> WsgiApplication:
    """The same ExportReadings signature and types answered from a list (no DB, no gateway),
    and a bare Echo: the small call's baseline."""

    class ListExport(ServiceBase):
        @rpc(t.required(Long, ge=0), t.required(t.Integer, ge=1, le=1000), Unicode(max_len=64),
             t.Date, t.Date, _returns=t.ExportReadingsResult, _operation_name="ExportReadings")
        def export(ctx, Cursor, Limit, OrganizationId, DateFrom, DateTo):
            page = readings[Cursor:Cursor + Limit]
            return t.ExportReadingsResult(Readings=page, NextCursor=Cursor + len(page),
                                          HasMore=Cursor + len(page) < len(readings))

        @rpc(Unicode, _returns=Unicode)
        def Echo(ctx, Text):
            return Text

    application = Application([ListExport], tns=NS, name="Baseline",
                              in_protocol=Soap11(validator=None), out_protocol=Soap11())
    return WsgiApplication(application)


def as_soap(e) -> t.ExportedReading:
    return t.ExportedReading(**{name: (plain_decimal(getattr(e, attribute))
                                       if isinstance(getattr(e, attribute), Decimal)
                                       else getattr(e, attribute))
                                for name, attribute in FIELDS})


# --- over HTTP -------------------------------------------------------------------------------

def export_all(session: requests.Session, url: str) -> tuple[float, int, int]:
    """Every page from cursor 0 until HasMore is false. Returns (seconds, pages, bytes)."""
    cursor, pages, size = 0, 0, 0
    started = time.perf_counter()
    while True:
        body = ENVELOPE.format(f"<v:ExportReadings><v:Cursor>{cursor}</v:Cursor>"
                               f"<v:Limit>{PAGE}</v:Limit></v:ExportReadings>")
        response = session.post(url, data=body.encode(),
                                headers={"Content-Type": "text/xml; charset=utf-8"})
        assert response.status_code == 200, response.text[:500]
        cursor = int(NEXT.search(response.content).group(1))
        pages += 1
        size += len(response.content)
        if MORE.search(response.content).group(1) == b"false":
            return time.perf_counter() - started, pages, size


def latencies(session: requests.Session, url: str, body: str, calls: int) -> list[float]:
    out = []
    for _ in range(calls):
        started = time.perf_counter()
        response = session.post(url, data=body.encode(),
                                headers={"Content-Type": "text/xml; charset=utf-8"})
        out.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text[:500]
    return out


# --- one database ----------------------------------------------------------------------------

def run(url: str, args: argparse.Namespace) -> None:
    port = free_port()
    config = Config(database_url=url, public_url=f"http://127.0.0.1:{port}",
                    secret_key="bench-secret", password_hashing=PasswordHashing(1, 8, 1))
    core = create_core(config, clock=FixedClock(dt.datetime(2026, 3, 20, 12, 0)))
    print(f"== {core.engine.dialect.name} "
          f"({make_url(url).render_as_string(hide_password=True)}) ==")
    print(machine(core.engine))
    create_schema(core.engine, stamp=False)
    client_id, secret = create_client(core, "bench")
    set_client_quota(core, "bench", 1_000_000)
    register_organization(core, client_id, "bench", organization(500))
    started = time.perf_counter()
    fill_readings(core, args.readings)
    analyze(core)
    print(f"setup: {args.readings:,} readings and their export events written in "
          f"{time.perf_counter() - started:.1f} s")

    pages = []
    cursor = 0
    while True:
        page = export_readings(core, cursor, PAGE)
        pages.append(page)
        cursor = page.next_cursor
        if not page.has_more:
            break
    listed = [as_soap(e) for page in pages for e in page.events] if args.spyne_list else []
    soap = Profiled(create_app(core=core))
    app = DispatcherMiddleware(soap, {"/baseline": spyne_list_app(listed)})
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    session = requests.Session()
    session.auth = ("bench", secret)
    try:
        # 1. The export, after one untimed pass of each side.
        export_all(session, f"{base}/soap")
        for page in pages:
            lxml_page(page)
        first = session.post(f"{base}/soap", headers={"Content-Type": "text/xml; charset=utf-8"},
                             data=ENVELOPE.format(
                                 f"<v:ExportReadings><v:Cursor>0</v:Cursor><v:Limit>{PAGE}"
                                 f"</v:Limit></v:ExportReadings>").encode()).content
        same = "the same bytes" if first == lxml_page(pages[0]) else "NOT the same bytes"
        print(f"check: the baseline's first page and the service's are {same}")
        real = plain = float("inf")
        for _ in range(args.repeat):
            seconds, count, size = export_all(session, f"{base}/soap")
            real = min(real, seconds)
            started = time.perf_counter()
            built = sum(len(lxml_page(page)) for page in pages)
            plain = min(plain, time.perf_counter() - started)
        n = args.readings
        print(f"export over HTTP, the real service: {n:,} readings in {count} pages of {PAGE}, "
              f"{size / 2**20:.1f} MB, {real:.2f} s ({n / real:,.0f} readings/s)")
        print(f"baseline, lxml building and serializing the same pages in this process "
              f"({built / 2**20:.1f} MB): {plain:.2f} s ({n / plain:,.0f} readings/s)")
        if args.spyne_list:
            export_all(session, f"{base}/baseline")
            listed_s, _, _ = export_all(session, f"{base}/baseline")
            print(f"reference, the same pages over HTTP from a Python list through the same "
                  f"spyne types: {listed_s:.2f} s ({n / listed_s:,.0f} readings/s)")
        print(f"ratio export: {real / plain:.2f} (target ≤ 1.5)")
        if args.profile:
            soap.profile = cProfile.Profile()
            export_all(session, f"{base}/soap")
            profiled, soap.profile = soap.profile, None
            top(profiled, "the export's requests in the server thread")

        # 2. A small call against a bare Echo of the same server.
        get = ENVELOPE.format("<v:GetOrganization><v:OrganizationId>ORG-SMALL</v:OrganizationId>"
                              "</v:GetOrganization>")
        register_organization(core, client_id, "small", OrganizationData(
            billing_id="ORG-SMALL", full_name="ТСЖ «Малое»", short_name="Малое", org_type="ТСЖ",
            inn="7700000986",
            contact_person=ContactPersonData("Малов М. М.", "small@example.org"),
            houses=[HouseData(billing_id="H-S", settlement="Москва г.", street="Малая ул.",
                              house_number="2", accounts=[])]))
        echo = ENVELOPE.format("<v:Echo><v:Text>ping</v:Text></v:Echo>")
        latencies(session, f"{base}/soap", get, 20)
        latencies(session, f"{base}/baseline", echo, 20)
        small = statistics.median(latencies(session, f"{base}/soap", get, args.calls))
        bare = statistics.median(latencies(session, f"{base}/baseline", echo, args.calls))
        print(f"GetOrganization median latency over HTTP: {small * 1000:.2f} ms over "
              f"{args.calls} calls")
        print(f"baseline, bare spyne Echo in the same server, median latency: "
              f"{bare * 1000:.2f} ms over {args.calls} calls")
        print(f"ratio small_call: {small / bare:.2f} (target ≤ 1.5)")
        if args.profile:
            soap.profile = cProfile.Profile()
            latencies(session, f"{base}/soap", get, args.calls)
            profiled, soap.profile = soap.profile, None
            top(profiled, f"{args.calls} GetOrganization requests in the server thread")
    finally:
        session.close()
        server.shutdown()
        thread.join(5)
        core.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2,
                        help="timed passes of the export and its baseline; the best counts")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--postgresql-url", default=PG_URL)
    parser.add_argument("--spyne-list", action="store_true",
                        help="also serve the pages from a list through spyne (reference)")
    parser.add_argument("--profile", action="store_true",
                        help="one more export and --calls more small calls under cProfile")
    on_each_database(parser.parse_args(), run, "soap")

if __name__ == "__main__":
    main()
