"""The organization's houses with their meters as its own software reads them (docs/spec.md
§21.2, GET /api/v1/houses): each meter's facts, its last accounted reading and the expected
range of a reading dated today (or its kind's last reading date), paged by house."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from lkk_integration.core import Core
from lkk_integration.readings.coverage import meter_order
from lkk_integration.readings.manual import house_choices
from lkk_integration.readings.period import current_period, served_meters
from lkk_integration.readings.plausibility import expected_range

# Houses on one page at most (a house has up to a few hundred meters).
MAX_HOUSES = 100


@dataclass(frozen=True)
class MeterView:
    """A current meter: kWh values as Decimals, None where there is none."""

    meter_id: int
    number: str
    kind: str
    zones: int
    capacity: int
    transformation_ratio: Decimal
    apartment: str | None
    account_number: str | None
    verification_due: dt.date | None
    last_date: dt.date | None
    last_values: tuple[Decimal | None, ...]
    # Per zone (zones of the meter), the lowest and highest register a reading may show
    # without a note (docs/spec.md §13.10), None without history.
    expected: tuple[tuple[Decimal, Decimal] | None, ...]


@dataclass(frozen=True)
class HouseView:
    house_id: int
    address: str
    meters: list[MeterView]


@dataclass(frozen=True)
class HousesPage:
    houses: list[HouseView]
    page: int
    pages: int
    total: int
    # The date the expected ranges are for, per kind.
    expected_on: dict[str, dt.date]


def houses_with_meters(core: Core, organization_id: int, page: int = 1,
                       per_page: int = 20) -> HousesPage:
    """Page `page` (from 1; past the last: empty) of the organization's served houses in the
    natural order of addresses, `per_page` (1..MAX_HOUSES) a page, each with its current meters
    (individual by apartment, then common-house). Raises ValueError for a bad page size."""
    if not 1 <= per_page <= MAX_HOUSES or page < 1:
        raise ValueError(per_page)
    with core.uow() as uow:
        session = uow.session
        period = current_period(session, core)
        houses = house_choices(session, organization_id)
        chosen = houses[(page - 1) * per_page:page * per_page]
        ids = {h.id for h in chosen}
        rules = period.rules
        on = {kind: min(period.today, period.dates_for(kind)[1]) for kind in period.kind_dates}
        by_house: dict[int, list[MeterView]] = {h.id: [] for h in chosen}
        # The page's houses only: a page costs its houses, not the organization.
        for served in served_meters(session, organization_id,
                                    house_ids=sorted(ids)) if ids else []:
            f = served.facts
            ranges = expected_range(f.typical, f.typical_intervals, f.last_date, f.last_values,
                                    on[f.kind], f.transformation_ratio or Decimal(1),
                                    rules.plausibility_factor, rules.plausibility_margin_kwh,
                                    rules.fraction_digits)
            by_house[served.house_id].append(MeterView(
                f.meter_id, f.number, f.kind, f.zones, f.capacity, f.transformation_ratio,
                served.apartment, served.account_number, f.verification_due, f.last_date,
                f.last_values[:f.zones], tuple(ranges[:f.zones])))
    for meters in by_house.values():
        meters.sort(key=lambda m: meter_order(m.kind, m.apartment, m.account_number,
                                              m.number))
    return HousesPage([HouseView(h.id, h.address, by_house[h.id]) for h in chosen], page,
                      max(1, -(-len(houses) // per_page)), len(houses), on)
