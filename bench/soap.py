"""SOAP service benchmark: absolute figures and ratios against baselines measured in the same run.

1. Export: 100,000 submitted readings fetched page by page (Limit 1000) over HTTP from the real
   service (gateway, authentication, quota, schema validation, database) vs. the same spyne
   types and ExportReadings signature served from a Python list, no database, no gateway, by
   the same HTTP server. Target ratio ≤ 1.5.
2. A small read call (GetOrganization of a one-house organization) vs. a bare spyne Echo
   operation served by the same server process; median latency of N calls each. Target ≤ 2.0.

Run: .venv/bin/python bench/soap.py [--readings 100000] [--calls 300] [--database-url URL]
(default: a fresh SQLite file in a temporary folder).
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import re
import statistics
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

import requests
from spyne import Application, Long, ServiceBase, Unicode, rpc  # noqa: E402
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication
from sqlalchemy import insert, select, text
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import make_server

import lkk_integration  # noqa: F401  - first: spyne on Python 3.12+ (spyne_compat.py)
from lkk_integration.clock import FixedClock
from lkk_integration.config import Config, PasswordHashing
from lkk_integration.core import create_core
from lkk_integration.db import Base
from lkk_integration.models import ExportEvent, Meter, Reading
from lkk_integration.organizations.clients import create_client, set_client_quota
from lkk_integration.organizations.payloads import (AccountData, AccountedReadingData,
                                                    ContactPersonData, HouseData, MeterData,
                                                    OrganizationData)
from lkk_integration.organizations.registry import register_organization
from lkk_integration.readings.export import export_readings
from lkk_integration.schema import create_schema
from lkk_integration.soap import types as t
from lkk_web import create_app

NS = t.NS
ENVELOPE = ('<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap'
            '.org/soap/envelope/" xmlns:v="' + NS + '"><s:Body>{}</s:Body></s:Envelope>')
NEXT = re.compile(rb"NextCursor>(\d+)<")
MORE = re.compile(rb"HasMore>(true|false)<")


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


def baseline_app(readings: list) -> WsgiApplication:
    """The same ExportReadings signature and types, answered from a list: no DB, no gateway."""

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
    from lkk_integration.quantities import plain_decimal

    def kwh(v):
        return None if v is None else plain_decimal(v)

    return t.ExportedReading(
        Seq=e.seq, Event=e.event, ReadingId=e.reading_id, ReplacesReadingId=e.replaces_reading_id,
        OrganizationId=e.organization_id, HouseId=e.house_id, Address=e.address,
        AccountNumber=e.account_number, Apartment=e.apartment, MeterId=e.meter_id,
        MeterNumber=e.meter_number, MeterKind=e.meter_kind, ReadingDate=e.reading_date,
        T1=kwh(e.t1), T2=kwh(e.t2), T3=kwh(e.t3), Source=e.source, Channel=e.channel,
        SubmittedAt=e.submitted_at, SubmittedBy=e.submitted_by)


def export_all(session: requests.Session, url: str) -> tuple[float, int]:
    cursor, pages = 0, 0
    started = time.perf_counter()
    while True:
        body = ENVELOPE.format(f"<v:ExportReadings><v:Cursor>{cursor}</v:Cursor>"
                               f"<v:Limit>1000</v:Limit></v:ExportReadings>")
        response = session.post(url, data=body.encode(),
                                headers={"Content-Type": "text/xml; charset=utf-8"})
        assert response.status_code == 200, response.text[:500]
        cursor = int(NEXT.search(response.content).group(1))
        pages += 1
        if MORE.search(response.content).group(1) == b"false":
            return time.perf_counter() - started, pages


def latencies(session: requests.Session, url: str, body: str, calls: int) -> list[float]:
    out = []
    for _ in range(calls):
        started = time.perf_counter()
        response = session.post(url, data=body.encode(),
                                headers={"Content-Type": "text/xml; charset=utf-8"})
        out.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text[:500]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lkk-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    config = Config(database_url=url, public_url="http://127.0.0.1:8765",
                    secret_key="bench-secret", password_hashing=PasswordHashing(1, 8, 1))
    core = create_core(config, clock=FixedClock(dt.datetime(2026, 3, 20, 12, 0)))
    if args.database_url:
        Base.metadata.drop_all(core.engine)
    create_schema(core.engine, stamp=False)
    client_id, secret = create_client(core, "bench")
    set_client_quota(core, "bench", 1_000_000)
    register_organization(core, client_id, "bench", organization(500))
    started = time.perf_counter()
    fill_readings(core, args.readings)
    print(f"setup: {args.readings} readings written in {time.perf_counter() - started:.1f} s "
          f"on {core.engine.dialect.name}")

    listed = []
    cursor = 0
    while True:
        page = export_readings(core, cursor, 1000)
        listed += [as_soap(e) for e in page.events]
        cursor = page.next_cursor
        if not page.has_more:
            break
    app = DispatcherMiddleware(create_app(core=core), {"/baseline": baseline_app(listed)})
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 8765, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:8765"
    session = requests.Session()
    session.auth = ("bench", secret)

    export_all(session, f"{base}/baseline")  # warm up both paths once
    export_all(session, f"{base}/soap")
    real, pages = export_all(session, f"{base}/soap")
    plain, _ = export_all(session, f"{base}/baseline")
    print(f"export over HTTP, real service:  {args.readings} readings in {pages} pages, "
          f"{real:.2f} s ({args.readings / real:,.0f} readings/s)")
    print(f"export over HTTP, list baseline: {plain:.2f} s "
          f"({args.readings / plain:,.0f} readings/s)")
    print(f"export ratio (real / baseline): {real / plain:.2f}  (target ≤ 1.5)")

    get = ENVELOPE.format("<v:GetOrganization><v:OrganizationId>ORG-SMALL</v:OrganizationId>"
                          "</v:GetOrganization>")
    register_organization(core, client_id, "small", OrganizationData(
        billing_id="ORG-SMALL", full_name="ТСЖ «Малое»", short_name="Малое", org_type="ТСЖ",
        inn="7700000986", contact_person=ContactPersonData("Малов М. М.", "small@example.org"),
        houses=[HouseData(billing_id="H-S", settlement="Москва г.", street="Малая ул.",
                          house_number="2", accounts=organization(5).houses[0].accounts[:0])]))
    echo = ENVELOPE.format("<v:Echo><v:Text>ping</v:Text></v:Echo>")
    latencies(session, f"{base}/soap", get, 20)
    latencies(session, f"{base}/baseline", echo, 20)
    small = statistics.median(latencies(session, f"{base}/soap", get, args.calls))
    bare = statistics.median(latencies(session, f"{base}/baseline", echo, args.calls))
    print(f"GetOrganization median latency: {small * 1000:.2f} ms over {args.calls} calls")
    print(f"bare spyne Echo median latency: {bare * 1000:.2f} ms over {args.calls} calls")
    print(f"small read ratio (GetOrganization / Echo): {small / bare:.2f}  (target ≤ 2.0)")
    server.shutdown()
    session.close()


if __name__ == "__main__":
    main()
