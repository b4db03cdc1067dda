"""A meter's consumption per month and zone for a year, the chart on the meter card, the house
page and the upload buffer (docs/spec.md §6.1): from its accounted readings and the readings
the organization submitted, so a wrong digit stands out."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from lkk_integration import messages as msg
from lkk_integration.db import raw_kwh, to_kwh
from lkk_integration.models import CHANNEL_BILLING, Meter, Reading
from lkk_integration.readings.checks import ZONES, MeterFacts, ceiling_kwh, zone_kwh
from lkk_integration.readings.rules import ReadingRules

# Months a chart covers, the current one the last.
MONTHS = 12

# What one month's reading is: its date and T1..T3 (None for a zone not given).
Values = tuple[Decimal | None, Decimal | None, Decimal | None]


@dataclass(frozen=True)
class MonthUse:
    """One month's bar: the kWh each of the meter's zones used between the two readings
    compared (the month before's and this month's), and whether this month's reading is the
    upload buffer's (this file's, not yet sent)."""

    month: dt.date
    zones: tuple[Decimal, ...]
    since: dt.date
    until: dt.date
    from_file: bool = False

    @property
    def kwh(self) -> Decimal:
        """All zones, kWh."""
        return sum(self.zones, Decimal(0))

    @property
    def title(self) -> str:
        """The bar's title: «фев 2026: 600 кВт·ч (Т1 400, Т2 200), 20.01–20.02.2026»."""
        return msg.month_use(self.month, self.kwh, self.zones, self.since, self.until,
                             self.from_file)


@dataclass(frozen=True)
class Segment:
    """A zone's part of a bar as shares of the chart's largest month (0..1): from `low` to
    `high`, zone `index` (0 for T1)."""

    index: int
    low: float
    high: float


@dataclass(frozen=True)
class MonthlyUse:
    """A meter's last MONTHS months, oldest first: months[i] is the first day of slot i, and
    uses[i] its MonthUse, or None where two readings do not compare (no bar, never a zero)."""

    meter_id: int
    zones: int
    months: tuple[dt.date, ...]
    uses: tuple[MonthUse | None, ...]

    @property
    def bars(self) -> list[tuple[int, MonthUse]]:
        """(slot, use) of the months with a bar."""
        return [(i, use) for i, use in enumerate(self.uses) if use is not None]

    @property
    def top(self) -> Decimal:
        """The largest month's kWh (the chart's scale), at least 1."""
        return max([use.kwh for _, use in self.bars] + [Decimal(1)])

    def segments(self, use: MonthUse) -> list[Segment]:
        """The zones of a bar stacked from T1 up, as shares of the largest month."""
        top, low, parts = self.top, Decimal(0), []
        for index, kwh in enumerate(use.zones):
            parts.append(Segment(index, float(low / top), float((low + kwh) / top)))
            low += kwh
        return parts

    @property
    def zone_labels(self) -> tuple[str, ...]:
        return ZONES[:self.zones]

    @property
    def label(self) -> str:
        """The figures said in words, for the chart's aria-label (docs/spec.md §6.1)."""
        return msg.monthly_use_label([(use.month, use.kwh, use.zones, use.from_file)
                                      for _, use in self.bars])


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months_back(last: dt.date, count: int) -> list[dt.date]:
    months, year, month = [], last.year, last.month
    for _ in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def monthly_use(session: Session, meter_ids: list[int], today: dt.date, rules: ReadingRules,
                pending: dict[int, tuple[dt.date, Values]] | None = None
                ) -> dict[int, MonthlyUse]:
    """The monthly consumption per zone of each meter that has a month to chart, in one query
    (meters without are absent: no chart where there is no history).

    Shapes: `meter_ids` any number of meters; `pending` meter id → (date, T1..T3) of a reading
    not yet saved (a valid row of the upload buffer), standing for its month's reading; kWh.
    Rules (docs/spec.md §6.1): a month's reading is the latest dated in it of the meter's
    accounted readings and its current submitted ones (not those the billing declined), an
    accounted reading corrected by one the billing sent later with an earlier date left out; a
    month's use is its reading less the month before's, per zone × the transformation ratio;
    a month where either reading is missing, or a zone of the meter is not in both, has no
    bar; a zone that went down rolled over past the register's capacity when the checks would
    accept it (zone_kwh, §13.3: within the consumption ceiling for the days between the two),
    and otherwise the month has no bar (a meter replaced, a correction).
    """
    months = _months_back(_month(today), MONTHS + 1)
    pending = pending or {}
    meters: dict[int, MeterFacts] = {}
    # meter → (date, id, T1..T3) of its accounted readings, in the order the billing sent them,
    # and of its current submitted ones
    accounted: dict[int, list[tuple[dt.date, int, Values]]] = {}
    submitted: dict[int, list[tuple[dt.date, int, Values]]] = {}
    for (mid, kind, zones, capacity, ratio, rid, channel, day, t1, t2, t3) in session.execute(
            select(Meter.id, Meter.kind, Meter.zones, Meter.capacity,
                   raw_kwh(Meter.transformation_ratio), Reading.id, Reading.channel,
                   Reading.reading_date, raw_kwh(Reading.t1), raw_kwh(Reading.t2),
                   raw_kwh(Reading.t3))
            .join(Reading, and_(
                Reading.meter_id == Meter.id, Reading.reading_date >= months[0],
                Reading.reading_date <= today, Reading.deleted_at.is_(None),
                # «Не снято» has no values to count (docs/spec.md §13.11).
                Reading.not_read_reason.is_(None),
                or_(Reading.channel == CHANNEL_BILLING,
                    and_(Reading.is_current, or_(Reading.billing_verdict.is_(None),
                                                 Reading.billing_verdict != "declined")))))
            .where(Meter.id.in_(meter_ids))
            .order_by(Meter.id, Reading.id)):
        if mid not in meters:
            # The ratio as the checks take it: the billing's (1 for an individual meter).
            meters[mid] = MeterFacts(mid, kind, "", zones, capacity, to_kwh(ratio) or Decimal(1))
            accounted[mid], submitted[mid] = [], []
        reading = (day, rid, (to_kwh(t1), to_kwh(t2), to_kwh(t3)))
        if channel != CHANNEL_BILLING:
            submitted[mid].append(reading)
            continue
        # The billing's word is the last (§15.5): an accounted reading corrects those it sent
        # before with its date or a later one.
        kept = accounted[mid]
        kept[:] = [earlier for earlier in kept if earlier[0] < day]
        kept.append(reading)
    readings: dict[int, dict[dt.date, tuple[dt.date, Values]]] = {}
    for mid in meters:
        # The month keeps its latest reading.
        by_month = readings[mid] = {}
        for day, _rid, values in sorted(accounted[mid] + submitted[mid]):
            by_month[_month(day)] = (day, values)
    uses = {}
    for mid, meter in meters.items():
        by_month = readings[mid]
        if mid in pending:
            day, values = pending[mid]
            by_month[_month(day)] = (day, tuple(values))
        slots = tuple(_use(meter, rules, month, by_month.get(before), by_month.get(month),
                           from_file=mid in pending and _month(pending[mid][0]) == month)
                      for before, month in zip(months, months[1:], strict=False))
        if any(slots):
            uses[mid] = MonthlyUse(mid, meter.zones, tuple(months[1:]), slots)
    return uses


def _use(meter: MeterFacts, rules: ReadingRules, month: dt.date,
         before: tuple[dt.date, Values] | None, after: tuple[dt.date, Values] | None,
         from_file: bool) -> MonthUse | None:
    if before is None or after is None:
        return None
    (since, old), (until, new) = before, after
    ceiling = ceiling_kwh(meter, rules, (until - since).days)
    zones = []
    for last, value in zip(old[:meter.zones], new[:meter.zones], strict=True):
        kwh = None if last is None or value is None \
            else zone_kwh(last, value, meter.capacity, meter.transformation_ratio, ceiling)
        if kwh is None:
            return None
        zones.append(kwh)
    return MonthUse(month, tuple(zones), since, until, from_file)
