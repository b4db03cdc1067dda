"""The issue-sized organization of lkk_integration/organizations/bulk.py (invented houses on
eight streets, numbered 1, 2, … 10 on each, with individual meters and their last accounted
readings, written set-based) for tests: 79 houses of any number of meters each."""
from __future__ import annotations

import importlib.util
import sys
from functools import cache

from lkk_integration.organizations import bulk

from .parts import ROOT

EMAIL, PASSWORD = "bench-files@example.org", "Bench2026files"


@cache
def bench_spreadsheets():
    """bench/spreadsheets.py as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_spreadsheets",
                                                  ROOT / "bench" / "spreadsheets.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def bulk_organization(core, houses: int = 79, per_house: int = 4) -> tuple[int, int, list[int]]:
    """An organization of `houses` houses with `per_house` individual meters each (one account
    each, apartments 1…per_house); its contact person has bulk_login()'s password. Returns
    (organization id, contact person id, house ids in insertion order). 79 × 256 is the issue's
    20,000-meter organization (20,224 meters)."""
    return tuple(bulk.bulk_organization(core, houses * per_house, per_house, email=EMAIL,
                                        password=PASSWORD, client="bench-files", prefix="BF"))


def bulk_login() -> tuple[str, str]:
    """The bulk organization's contact person: (e-mail, password)."""
    return EMAIL, PASSWORD


def bulk_meter_number(i: int) -> str:
    """The number of the bulk organization's meter i (0-based, house i // per_house)."""
    return bulk.meter_number(i)


def bulk_buffer(core, organization_id: int, person_id: int, house_ids: list[int], meters: int,
                wrong=lambda i: False, empty=lambda i: False) -> int:
    """Upload the bulk organization's template of `house_ids` filled as bench/spreadsheets.py
    types it (meters 0…meters-1), except meter i left without values when empty(i) and given
    values under its last accounted ones when wrong(i). Returns the upload's id."""
    from lkk_integration.spreadsheets.template import build_xls, rows_for_template
    from lkk_integration.spreadsheets.upload import upload_readings_file

    bench = bench_spreadsheets()
    typed = bench.new_values

    def values(i: int, zones: int) -> list[float | None]:
        if empty(i):
            return [None, None, None]
        if wrong(i):
            return [float(v) - 100 if v is not None else None
                    for v in bench.last_values(i, zones)]
        return typed(i, zones)

    template = build_xls(rows_for_template(core, organization_id, house_ids))
    bench.new_values = values
    try:
        data = bench.fill(template, meters)
    finally:
        bench.new_values = typed
    return upload_readings_file(core, person_id, organization_id, "показания.xls", data)
