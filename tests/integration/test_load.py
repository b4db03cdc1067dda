"""The load run (bench/load.py) at a small size, in CI: contact persons sign in, upload and send
at once while the billing exports and registers, against gunicorn with two workers on
PostgreSQL; nothing lost, nothing doubled, no 5xx (docs/performance.md, "The load run").
bench/load.py's defaults are the full size docs/performance.md reports."""
from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.support.parts import PG_URL, ROOT, need


pytestmark = pytest.mark.postgres


def _load_module():
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_load_run_at_a_small_size_loses_doubles_and_fails_nothing(database_url, tmp_path):
    need(bool(PG_URL), "PostgreSQL", "set LKK_TEST_DATABASE_URL")
    load = _load_module()
    report = load.run(database_url, persons=6, meters=150, workers=2, registrations=4,
                      folder=tmp_path, fresh_schema=False)
    print("\n".join(report.lines))
    assert report.saved_readings == 7 * 150  # the baseline's person and the crowd's six
    assert (report.server_errors, report.failed_requests) == (0, 0)
    assert (report.lost, report.doubled, report.wrong_values) == (0, 0, 0)
    assert (report.export_missing, report.export_doubled) == (0, 0)
    assert report.registrations_missing == 0 and report.bad_outcomes == []
    assert report.ok
