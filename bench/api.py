"""JSON API benchmark: a batch of readings through POST /api/v1/readings against a baseline
measured in the same run.

An organization of --meters individual meters (20,224 by default, the demo's large one) with
their last accounted readings; a batch of --items readings (10,000, the API's most) of as many
of its meters, by number, each valid. Printed after the machine line:
- api_batch: the batch POSTed in-process through the whole WSGI app (authentication, quota,
  body bound, spectree's validation of the request and of the answer, the checks under the
  meters' lock, the store, the export events, the audit), a fresh Idempotency-Key each time;
  over the baseline: json.loads of the same body plus one executemany INSERT of the same rows
  into a table of the readings' columns (key only) — what any service must do with the body.
- api_check_only: the same batch with check_only=true (nothing stored), over the same baseline.
Each side runs --repeat times alternately (values raised each time, so every pass stores);
the best of each counts.

Run: .venv/bin/python bench/api.py [--meters 20224] [--items 10000] [--repeat 3]
     [--database sqlite|postgresql|both] [--postgresql-url URL] [--profile]
PostgreSQL: the database lkk_bench by default (its public schema dropped and re-created).
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import MetaData, func, insert, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

import lkk_integration  # noqa: F401,E402 - first: spyne on Python 3.12+ (spyne_compat.py)
from bench.spreadsheets import (NOW, PERIOD, PG_URL, analyze, bulk_organization,  # noqa: E402
                                machine, on_each_database, readings_like, top)
from lkk_integration.clock import FixedClock  # noqa: E402
from lkk_integration.config import Config, PasswordHashing  # noqa: E402
from lkk_integration.core import create_core  # noqa: E402
from lkk_integration.models import (CHANNEL_API, SOURCE_ORGANIZATION, Meter,  # noqa: E402
                                    Reading)
from lkk_integration.readings.period import served_meters  # noqa: E402
from lkk_integration.schema import create_schema  # noqa: E402
from lkk_integration.signin.api_tokens import create_api_token  # noqa: E402
from lkk_web import create_app  # noqa: E402

DAY = "2026-03-20"


def post(app, body: bytes, token: str, query: str = "", key: str | None = None) -> dict:
    """POST `body` to /api/v1/readings of `app` as a WSGI server would; the answer's JSON."""
    status = []
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/readings", "SCRIPT_NAME": "",
               "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
               "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
               "HTTP_AUTHORIZATION": f"Bearer {token}", "wsgi.input": io.BytesIO(body),
               "wsgi.url_scheme": "http", "wsgi.errors": io.StringIO(),
               "wsgi.version": (1, 0), "wsgi.multithread": True, "wsgi.multiprocess": False,
               "wsgi.run_once": False}
    if key:
        environ["HTTP_IDEMPOTENCY_KEY"] = key
    chunks = app(environ, lambda s, h, exc_info=None: status.append(s))
    out = b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    assert status[0].startswith("200"), out[:600]
    return json.loads(out)


def run(url: str, args) -> None:
    clock = FixedClock(NOW)
    config = Config(database_url=url, public_url="http://127.0.0.1", secret_key="bench-secret",
                    password_hashing=PasswordHashing(1, 8, 1), api_requests_per_minute=10_000)
    core = create_core(config, clock=clock)
    print(f"== {core.engine.dialect.name} "
          f"({make_url(url).render_as_string(hide_password=True)}) ==")
    print(machine(core.engine))
    create_schema(core.engine, stamp=False)
    started = time.perf_counter()
    organization_id, person_id, house_ids = bulk_organization(core, args.meters)
    analyze(core)
    print(f"setup: organization with {args.meters:,} individual meters in {len(house_ids)} "
          f"houses written in {time.perf_counter() - started:.1f} s")
    _line, token = create_api_token(core, person_id, "bench")
    with core.uow() as uow:
        meters = [m.facts for m in served_meters(uow.session, organization_id)][:args.items]
    assert len(meters) == args.items, len(meters)
    app = create_app(core=core)
    metadata = MetaData()
    plain = readings_like(metadata)
    metadata.create_all(core.engine)

    def body(step: int) -> bytes:
        return json.dumps({"items": [
            {"meter_number": m.number, "reading_date": DAY,
             **{f"t{z + 1}": format(m.last_values[z] + 10 + step, "f") for z in range(m.zones)}}
            for m in meters]}).encode()

    def baseline(data: bytes) -> float:
        gc.collect()
        started = time.perf_counter()
        items = json.loads(data)["items"]
        ids = {m.number: m.meter_id for m in meters}
        now = clock.now()
        rows = [dict(meter_id=ids[i["meter_number"]], reading_date=dt.date.fromisoformat(
            i["reading_date"]), period=PERIOD, t1=i["t1"], t2=i.get("t2"), t3=i.get("t3"),
            source=SOURCE_ORGANIZATION, channel=CHANNEL_API, is_current=True,
            submitted_by_person_id=person_id, submitted_at=now) for i in items]
        with core.engine.begin() as c:
            c.execute(insert(plain), rows)
        spent = time.perf_counter() - started
        with core.engine.begin() as c:
            c.execute(plain.delete())
        return spent

    def product(data: bytes, query: str = "", profiler=None) -> float:
        gc.collect()
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        answer = post(app, data, token, query, None if query else str(uuid.uuid4()))
        if profiler:
            profiler.disable()
        spent = time.perf_counter() - started
        expected = "valid" if query else "stored"
        assert answer[expected] == args.items, [i["errors"] for i in answer["items"]
                                                if i["errors"]][:3]
        return spent

    batch_s = check_s = base_s = float("inf")
    for step in range(args.repeat):
        data = body(step)
        check_s = min(check_s, product(data, "check_only=true"))
        batch_s = min(batch_s, product(data))
        base_s = min(base_s, baseline(data))
    with core.uow() as uow:
        stored = uow.session.scalar(select(func.count()).select_from(Reading).where(
            Reading.channel == CHANNEL_API, Reading.is_current))
        numbers = uow.session.scalar(select(func.count(func.distinct(Meter.number))))
    assert stored == args.items, stored
    size = len(body(0))
    print(f"body: {args.items:,} readings by meter number, {size / 2**20:.2f} MB; "
          f"{numbers:,} meters")
    print(f"api batch, POST /api/v1/readings (stored, a fresh Idempotency-Key): {batch_s:.2f} s "
          f"({args.items / batch_s:,.0f} readings/s), best of {args.repeat}")
    print(f"api check_only, the same batch checked, nothing stored: {check_s:.2f} s "
          f"({args.items / check_s:,.0f} readings/s)")
    print(f"baseline, json.loads of the body + one executemany INSERT of the same rows into a "
          f"table of the readings' columns (key only): {base_s:.2f} s")
    print(f"ratio api_batch: {batch_s / base_s:.2f}")
    print(f"ratio api_check_only: {check_s / base_s:.2f}")
    if args.profile:
        profiler = cProfile.Profile()
        product(body(args.repeat), profiler=profiler)
        top(profiler, "POST /api/v1/readings", 25)
    metadata.drop_all(core.engine)
    core.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meters", type=int, default=20_224)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--postgresql-url", default=PG_URL)
    parser.add_argument("--profile", action="store_true",
                        help="one more batch under cProfile: its top functions")
    on_each_database(parser.parse_args(), run, "api")

if __name__ == "__main__":
    main()
