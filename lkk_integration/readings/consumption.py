"""A meter's consumption per month for the small chart beside manual entry (docs/spec.md
§6.1): from its accounted readings and the readings submitted for it, so a wrong digit stands
out."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lkk_integration import messages as msg
from lkk_integration.db import raw_kwh, to_kwh
from lkk_integration.models import CHANNEL_BILLING, Meter, Reading

MONTHS = 12


@dataclass(frozen=True)
class MonthUse:
    """One month of the chart: its first day and the kWh used since the month before (None
    when either reading is missing)."""

    month: dt.date
    kwh: Decimal | None


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months_back(last: dt.date, count: int) -> list[dt.date]:
    months, year, month = [], last.year, last.month
    for _ in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def monthly_use(session: Session, meter_id: int, today: dt.date) -> list[MonthUse]:
    """The last MONTHS months up to today's: each month's register total (all zones) is its
    latest accounted or current submitted reading; use is the difference from the month
    before × the transformation ratio, in kWh. A month without a reading, or after one, is
    None (a gap in the chart, not a zero)."""
    return monthly_use_many(session, [meter_id], today)[meter_id]


def monthly_use_many(session: Session, meter_ids: list[int], today: dt.date,
                     pending: dict[int, tuple] | None = None) -> dict[int, list[MonthUse]]:
    """monthly_use of several meters in two queries; `pending` gives a reading (T1..T3) not
    yet saved, such as an upload buffer's row, as the current month's reading.

    A zone that went down counts as a rollover past the register's capacity (99990 → 12 is
    22 kWh), as the readings checks accept it."""
    months = _months_back(_month(today), MONTHS + 1)
    meters = {mid: (to_kwh(ratio) or Decimal(1), capacity) for mid, ratio, capacity in
              session.execute(select(Meter.id, raw_kwh(Meter.transformation_ratio),
                                     Meter.capacity).where(Meter.id.in_(meter_ids)))}
    readings: dict[int, dict[dt.date, tuple]] = {mid: {} for mid in meter_ids}
    for mid, day, *values in session.execute(
            select(Reading.meter_id, Reading.reading_date, raw_kwh(Reading.t1),
                   raw_kwh(Reading.t2), raw_kwh(Reading.t3))
            .where(Reading.meter_id.in_(meter_ids), Reading.reading_date >= months[0],
                   Reading.deleted_at.is_(None),
                   or_(Reading.channel == CHANNEL_BILLING, Reading.is_current))
            .order_by(Reading.reading_date, Reading.id)):
        readings[mid][_month(day)] = tuple(to_kwh(v) for v in values)
    for mid, values in (pending or {}).items():
        if mid in readings:
            readings[mid][months[-1]] = tuple(values)
    uses = {}
    for mid in meter_ids:
        by_month = readings[mid]
        ratio, capacity = meters.get(mid, (Decimal(1), 12))
        uses[mid] = [MonthUse(month, _use(by_month.get(before), by_month.get(month), capacity,
                                          ratio))
                     for before, month in pairwise(months)]
    return uses


def _use(before: tuple | None, after: tuple | None, capacity: int,
         ratio: Decimal) -> Decimal | None:
    if before is None or after is None:
        return None
    total = Decimal(0)
    for old, new in zip(before, after, strict=False):
        if old is None or new is None:
            continue
        total += new - old if new >= old else new + Decimal(10) ** capacity - old
    return total * ratio


@dataclass(frozen=True)
class Bar:
    """One bar of the chart in SVG units, with its month label and its title."""

    x: int
    y: int
    height: int
    label: str
    title: str


def bar_chart(uses: list[MonthUse], height: int = 70, step: int = 30) -> list[Bar]:
    """Bars of a monthly consumption chart, scaled to the largest month."""
    top = max((u.kwh for u in uses if u.kwh is not None), default=None)
    bars = []
    for i, use in enumerate(uses):
        month = f"{use.month:%m.%Y}"
        if use.kwh is None or not top:
            bars.append(Bar(i * step, height, 0, f"{use.month:%m}", msg.month_use(month, None)))
            continue
        h = max(int(height * use.kwh / top), 1)
        bars.append(Bar(i * step, height - h, h, f"{use.month:%m}", msg.month_use(month, use.kwh)))
    return bars
