"""A meter's consumption per month for the small chart beside manual entry (issue 7): from its
accounted readings and the readings submitted for it, so a wrong digit stands out."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .db import raw_kwh, to_kwh
from .models import CHANNEL_BILLING, Meter, Reading

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
    months = _months_back(_month(today), MONTHS + 1)
    ratio = to_kwh(session.scalar(select(raw_kwh(Meter.transformation_ratio))
                                  .where(Meter.id == meter_id))) or Decimal(1)
    rows = session.execute(
        select(Reading.reading_date, raw_kwh(Reading.t1), raw_kwh(Reading.t2),
               raw_kwh(Reading.t3))
        .where(Reading.meter_id == meter_id, Reading.reading_date >= months[0],
               Reading.deleted_at.is_(None),
               or_(Reading.channel == CHANNEL_BILLING, Reading.is_current))
        .order_by(Reading.reading_date, Reading.id)).all()
    totals: dict[dt.date, Decimal] = {}
    for day, *values in rows:
        totals[_month(day)] = sum((to_kwh(v) for v in values if v is not None), Decimal(0))
    uses = []
    for before, month in zip(months, months[1:]):
        if before in totals and month in totals and totals[month] >= totals[before]:
            uses.append(MonthUse(month, (totals[month] - totals[before]) * ratio))
        else:
            uses.append(MonthUse(month, None))
    return uses
