"""One small SOAP call in-process: GetOrganization of a one-house organization through the whole
WSGI app (request ids, the gateway, spyne, the database) against a bare spyne Echo called the
same way; the statements, connection checkouts and (on PostgreSQL) protocol round trips of one
call; with --profile, where its time goes (cProfile, cumulative).

Run: .venv/bin/python bench/small_call.py [--calls 2000] [--database-url URL] [--profile]
(default: a fresh SQLite file in a temporary folder; on PostgreSQL the database's public schema
is dropped and made again).
"""
from __future__ import annotations

import argparse
import base64
import cProfile
import datetime as dt
import io
import pstats
import statistics
import tempfile
import time
from pathlib import Path

from spyne import Application, ServiceBase, Unicode, rpc
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication
from sqlalchemy import event, text

import lkk_integration  # noqa: F401  - first: spyne on Python 3.12+ (spyne_compat.py)
from lkk_integration.clock import FixedClock
from lkk_integration.config import Config, PasswordHashing
from lkk_integration.core import create_core
from lkk_integration.organizations.clients import create_client, set_client_quota
from lkk_integration.organizations.payloads import ContactPersonData, HouseData, OrganizationData
from lkk_integration.organizations.registry import register_organization
from lkk_integration.schema import create_schema
from lkk_integration.soap import types as t
from lkk_web import create_app

ENVELOPE = ('<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap'
            '.org/soap/envelope/" xmlns:v="' + t.NS + '"><s:Body>{}</s:Body></s:Envelope>')
GET = ENVELOPE.format("<v:GetOrganization><v:OrganizationId>ORG-SMALL</v:OrganizationId>"
                      "</v:GetOrganization>").encode()
ECHO = ENVELOPE.format("<v:Echo><v:Text>ping</v:Text></v:Echo>").encode()


def echo_app() -> WsgiApplication:
    class Bare(ServiceBase):
        @rpc(Unicode, _returns=Unicode)
        def Echo(ctx, Text):
            return Text

    return WsgiApplication(Application([Bare], tns=t.NS, name="Baseline",
                                       in_protocol=Soap11(validator=None),
                                       out_protocol=Soap11()))


def call(app, body: bytes, path: str, auth: str) -> bytes:
    """POST `body` to `app` as a WSGI server would; the response's bytes (200 asserted)."""
    status = []
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "",
               "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
               "CONTENT_TYPE": "text/xml; charset=utf-8", "CONTENT_LENGTH": str(len(body)),
               "HTTP_AUTHORIZATION": auth, "wsgi.input": io.BytesIO(body),
               "wsgi.url_scheme": "http", "wsgi.errors": io.StringIO(),
               "wsgi.version": (1, 0), "wsgi.multithread": True, "wsgi.multiprocess": False,
               "wsgi.run_once": False}
    chunks = app(environ, lambda s, h, exc_info=None: status.append(s))
    out = b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    assert status[0].startswith("200"), out[:400]
    return out


def timed(app, body, path, auth, calls) -> float:
    out = []
    for _ in range(calls):
        started = time.perf_counter()
        call(app, body, path, auth)
        out.append(time.perf_counter() - started)
    return statistics.median(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--database-url")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    url = args.database_url or \
        f"sqlite:///{Path(tempfile.mkdtemp(prefix='lkk-small-')) / 'small.sqlite3'}"
    config = Config(database_url=url, public_url="http://127.0.0.1:8765",
                    secret_key="bench-secret", password_hashing=PasswordHashing(1, 8, 1))
    core = create_core(config, clock=FixedClock(dt.datetime(2026, 3, 20, 12, 0)))
    if args.database_url:
        with core.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    create_schema(core.engine, stamp=False)
    client_id, secret = create_client(core, "bench")
    set_client_quota(core, "bench", 10_000_000)
    register_organization(core, client_id, "small", OrganizationData(
        billing_id="ORG-SMALL", full_name="ТСЖ «Малое»", short_name="Малое", org_type="ТСЖ",
        inn="7700000986", contact_person=ContactPersonData("Малов М. М.", "small@example.org"),
        houses=[HouseData(billing_id="H-S", settlement="Москва г.", street="Малая ул.",
                          house_number="2", accounts=[])]))
    app = create_app(core=core).wsgi_app
    bare = echo_app()
    auth = "Basic " + base64.b64encode(f"bench:{secret}".encode()).decode()
    for _ in range(50):
        call(app, GET, "/soap", auth)
        call(bare, ECHO, "/", auth)

    statements, checkouts, round_trips = [], [], []
    trace = None
    if core.engine.dialect.name == "postgresql":
        # libpq's protocol trace of every pooled connection: each query message sent ('Q'
        # simple, 'P'/'B'/'E' extended, closed by 'S' Sync) is one round trip.
        traced = Path(tempfile.mkdtemp(prefix="lkk-trace-")) / "trace"
        trace = open(traced, "w")  # noqa: SIM115
        with core.engine.connect() as connection:
            pass
        for record in list(core.engine.pool._pool.queue):
            record.dbapi_connection.pgconn.trace(trace.fileno())
    def statement(*args):
        statements.append(args[2].split()[0])

    def checkout(*_args):
        checkouts.append(1)

    event.listen(core.engine, "before_cursor_execute", statement)
    event.listen(core.engine.pool, "checkout", checkout)
    call(app, GET, "/soap", auth)
    event.remove(core.engine, "before_cursor_execute", statement)
    event.remove(core.engine.pool, "checkout", checkout)
    if trace is not None:
        trace.flush()
        lines = traced.read_text().splitlines()
        round_trips = [line for line in lines if "\tF\t" in line and
                       ("\tQuery\t" in line or "\tSync" in line)]
        for record in list(core.engine.pool._pool.queue):
            record.dbapi_connection.pgconn.untrace()
    print(f"one GetOrganization on {core.engine.dialect.name}: {len(statements)} statements "
          f"({' '.join(statements)}), {len(checkouts)} connection checkout(s)"
          + (f", {len(round_trips)} round trips" if trace is not None else ""))

    small = timed(app, GET, "/soap", auth, args.calls)
    echo = timed(bare, ECHO, "/", auth, args.calls)
    print(f"in-process GetOrganization median: {small * 1e3:.3f} ms; bare Echo median: "
          f"{echo * 1e3:.3f} ms; ratio {small / echo:.2f}")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.calls):
            call(app, GET, "/soap", auth)
        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
    core.engine.dispose()


if __name__ == "__main__":
    main()
