"""Readings shared by every channel: the open period and what the checks know of meters."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property, lru_cache
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import String, cast, select, true
from sqlalchemy.orm import Session, aliased

from lkk_integration import messages as msg
from lkk_integration.clock import MOSCOW
from lkk_integration.core import Core
from lkk_integration.db import driver_errors, raw_kwh, to_kwh
from lkk_integration.errors import PeriodClosed
from lkk_integration.models import COMMON_HOUSE, KINDS, House, Meter, PersonalAccount, Reading
from lkk_integration.readings.checks import MeterFacts
from lkk_integration.readings.fingerprint import current_fingerprint
from lkk_integration.readings.rules import (PeriodState, ReadingRules, kind_dates, kind_window,
                                            load_rules, period_state, period_window)


@dataclass(frozen=True)
class OpenPeriod:
    """The submission period in force now: rules, Moscow date, month and the first/last date
    any reading of it is accepted on (both kinds' days, docs/spec.md §5.1, §5.2)."""

    rules: ReadingRules
    today: dt.date
    state: PeriodState
    window: tuple[dt.date, dt.date]
    # The instant the period was decided at (aware, UTC): a use case stamps what it writes
    # with it (docs/spec.md §5.1: an action begun before the close completes).
    at: dt.datetime

    def window_for(self, kind: str) -> tuple[dt.date, dt.date]:
        """The first and last date `kind`'s readings are accepted on (docs/spec.md §5.2)."""
        return kind_window(self.rules, kind, self.state.period)

    def accepts(self, kind: str) -> bool:
        """Today is one of `kind`'s days of the month's period (docs/spec.md §5.2)."""
        first, last = self.window_for(kind)
        return first <= self.today <= last

    def dates_for(self, kind: str) -> tuple[dt.date, dt.date]:
        """The first and last date a reading of `kind` may have in this period (§13.6)."""
        return self.kind_dates[kind]

    @cached_property
    def kind_dates(self) -> dict[str, tuple[dt.date, dt.date]]:
        """dates_for of each kind (a file's rows look theirs up)."""
        return {kind: kind_dates(self.rules, kind, self.state.period) for kind in KINDS}

    @property
    def dates(self) -> tuple[dt.date, dt.date]:
        """The first and last date any reading of this period may have (both kinds)."""
        spans = self.kind_dates.values()
        return min(first for first, _ in spans), max(last for _, last in spans)

    def kind_countdown(self, kind: str) -> tuple[bool, int] | None:
        """How far `kind`'s days are from today (docs/spec.md §2, §5.2): (True, days left
        including today) while they are on, (False, days until they begin) before them, None
        after them."""
        if self.accepts(kind):
            return True, (self.window_for(kind)[1] - self.today).days + 1
        first = self.dates_for(kind)[0]
        if self.today < first:
            return False, (first - self.today).days
        return None

    def common_house_counter(self) -> str | None:
        """The main page's line on common-house meters' own days and how far they are
        (messages.common_house_counter; docs/spec.md §2, §5.2)."""
        return msg.common_house_counter(self.rules, self.dates_for(COMMON_HOUSE),
                                        self.kind_countdown(COMMON_HOUSE))

    def closed_kinds(self) -> dict[str, str]:
        """The kinds whose days today is not, while the period is open for the other: each
        with the message a reading of it is refused with (docs/spec.md §5.2)."""
        if not self.state.is_open:
            return {}
        return {kind: msg.kind_period_closed(kind, self.rules) for kind in KINDS
                if not self.accepts(kind)}


def current_period(session: Session, core: Core, at: dt.datetime | None = None) -> OpenPeriod:
    """Where the Moscow date of instant `at` (default: the clock's now, read once) stands
    against the period, open or not (docs/spec.md §5.1, §18.1)."""
    rules = load_rules(session)
    at = at or core.clock.now()
    today = at.astimezone(MOSCOW).date()
    state = period_state(rules, today)
    return OpenPeriod(rules, today, state, period_window(rules, state.period), at)


def require_open_period(session: Session, core: Core,
                        at: dt.datetime | None = None) -> OpenPeriod:
    """The period open at instant `at` (default: now); raises PeriodClosed with docs/spec.md
    §5.1's message outside it."""
    period = current_period(session, core, at)
    if not period.state.is_open:
        raise PeriodClosed(msg.kinds_period_closed(period.rules))
    return period


def require_open_for(period: OpenPeriod, kind: str) -> None:
    """Raises PeriodClosed with docs/spec.md §5.2's message unless today is one of `kind`'s
    days (`period` as require_open_period gave it)."""
    if not period.accepts(kind):
        raise PeriodClosed(msg.kind_period_closed(kind, period.rules))


def period_now(core: Core) -> OpenPeriod:
    """Where today (Moscow) stands against the period, read in a transaction of its own."""
    with core.uow() as uow:
        return current_period(uow.session, core)


def open_period_now(core: Core) -> OpenPeriod:
    """The open period, read in a transaction of its own; raises PeriodClosed outside it."""
    with core.uow() as uow:
        return require_open_period(uow.session, core)


@dataclass(frozen=True)
class Deadline:
    """The submission period's bounds as every cabinet page shows them (docs/spec.md §0, §2,
    §5.1): open or not at `now`, and the days of the period open now or opening next."""

    is_open: bool
    # Moscow dates: the open period's first and last day, or the next period's when closed.
    first_day: dt.date
    last_day: dt.date
    # The instant it was decided at, on the Moscow wall clock.
    now: dt.datetime

    @property
    def opens_at(self) -> dt.datetime:
        """00:00 Moscow time of the first day (aware)."""
        return dt.datetime.combine(self.first_day, dt.time(), MOSCOW)

    @property
    def closes_at(self) -> dt.datetime:
        """24:00 Moscow time of the last day, i.e. 00:00 of the day after (aware)."""
        return dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time(), MOSCOW)

    @property
    def remaining(self) -> dt.timedelta:
        """Until the close (open) or the opening (closed); never negative."""
        return max(dt.timedelta(0), (self.closes_at if self.is_open else self.opens_at)
                   - self.now)

    @property
    def is_last_day(self) -> bool:
        """Open, and the close is at the end of today (Moscow): the counter gives hours."""
        return self.is_open and self.now.date() == self.last_day


def deadline_of(period: OpenPeriod) -> Deadline:
    """The Deadline of a period decided by current_period: the days open now, or the next ones
    (this month's when today is before them, next month's when after)."""
    return Deadline(period.state.is_open, period.state.first, period.state.last,
                    period.at.astimezone(MOSCOW))


@dataclass(frozen=True)
class ServedMeter:
    """A current meter of the organization, with where it stands and what the checks need."""

    facts: MeterFacts
    house_id: int
    address: str
    account_number: str | None
    apartment: str | None


def served_meters(session: Session, organization_id: int,
                  meter_ids: list[int] | None = None,
                  house_ids: list[int] | None = None) -> list[ServedMeter]:
    """Every current meter of the organization's served houses (or those of `meter_ids`, or
    of the houses `house_ids`, among them), in one query."""
    last = aliased(Reading)
    rows = session.execute(
        select(Meter.id, Meter.kind, Meter.number, Meter.zones, Meter.capacity,
               raw_kwh(Meter.transformation_ratio), Meter.verification_due, House.id,
               House.settlement, House.street, House.house_number, PersonalAccount.number,
               PersonalAccount.apartment, raw_kwh(last.t1), raw_kwh(last.t2), raw_kwh(last.t3),
               last.reading_date, raw_kwh(Meter.typical_t1), raw_kwh(Meter.typical_t2),
               raw_kwh(Meter.typical_t3), Meter.typical_intervals)
        .join(House, House.id == Meter.house_id)
        .outerjoin(PersonalAccount, PersonalAccount.id == Meter.personal_account_id)
        .outerjoin(last, last.id == Meter.last_accounted_reading_id)
        .where(House.organization_id == organization_id, House.removed_at.is_(None),
               Meter.archived_at.is_(None))
        .where(Meter.id.in_(meter_ids) if meter_ids is not None else true())
        .where(House.id.in_(house_ids) if house_ids is not None else true())).all()
    addresses: dict[int, str] = {}  # one string per house, shared by its meters
    served = []
    for (mid, kind, number, zones, capacity, ratio, due, house_id, settlement, street,
         house_number, account_number, apartment, t1, t2, t3, last_date, typical1, typical2,
         typical3, intervals) in rows:
        address = addresses.get(house_id)
        if address is None:
            address = addresses[house_id] = msg.house_address(settlement, street, house_number)
        served.append(ServedMeter(
            facts=MeterFacts(mid, kind, number, zones, capacity, to_kwh(ratio), due,
                             (to_kwh(t1), to_kwh(t2), to_kwh(t3)), last_date,
                             (to_kwh(typical1), to_kwh(typical2), to_kwh(typical3)),
                             intervals or 0),
            house_id=house_id, address=address, account_number=account_number,
            apartment=apartment))
    return served


@lru_cache(maxsize=4096)
def _iso_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@lru_cache(maxsize=8192)
def _kwh(value: object) -> Decimal | None:
    """A kWh value as the driver gave it (text), as a Decimal: typical consumptions repeat."""
    return None if value is None else to_kwh(value)


@lru_cache(maxsize=1024)
def _ratio(value: object) -> Decimal:
    """A transformation ratio as the driver gave it, as a Decimal: meters share a few."""
    return to_kwh(value)


def _as_date(value: dt.date | str | None) -> dt.date | None:
    """A date column as the driver gave it (SQLite: ISO text) as a date."""
    return value if value is None or type(value) is dt.date else _iso_date(value)


class MeterRow(NamedTuple):
    """A current meter of the organization as one row of served_meter_rows, as the driver
    gave it (kWh as text; dates as ISO text on SQLite): its
    facts for the checks (converted when read, readings/checks.py's MeterRowFacts), its
    house, account and apartment."""

    meter_id: int
    kind: str
    number: str
    zones: int
    capacity: int
    ratio: object
    due: object
    house_id: int
    account_number: str | None
    apartment: str | None
    t1: object
    t2: object
    t3: object
    last: object
    # readings/fingerprint.py: what a row's verdict depends on, rendered by the database.
    fingerprint: str | None = None
    # The typical consumption per zone (kWh per day, as text) and its intervals
    # (readings/plausibility.py).
    typical1: object = None
    typical2: object = None
    typical3: object = None
    typical_intervals: int = 0

    @property
    def transformation_ratio(self) -> Decimal:
        return _ratio(self.ratio)

    @property
    def last_values(self) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        return to_kwh(self.t1), to_kwh(self.t2), to_kwh(self.t3)

    @property
    def typical(self) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        return _kwh(self.typical1), _kwh(self.typical2), _kwh(self.typical3)

    @property
    def verification_due(self) -> dt.date | None:
        return _as_date(self.due)

    @property
    def last_date(self) -> dt.date | None:
        return _as_date(self.last)

    def facts(self) -> MeterFacts:
        """What the checks need of this meter (kWh as Decimals)."""
        return MeterFacts(self.meter_id, self.kind, self.number, self.zones, self.capacity,
                          self.transformation_ratio, self.verification_due, self.last_values,
                          self.last_date, self.typical, self.typical_intervals or 0)


def served_meter_rows(session: Session, organization_id: int,
                      rules_tag: str) -> list[MeterRow]:
    """Every current meter of the organization's served houses, in one query of plain columns
    read straight from the driver's cursor (no ORM objects, no SQLAlchemy rows, no Decimal
    or date until a row's check needs it): a file of 65,535 rows looks its meters up in
    them. Each carries its verdict fingerprint under the rules named by `rules_tag`
    (readings/fingerprint.py, rules_fingerprint)."""
    last = aliased(Reading)

    def text(column):
        # kWh as their text on every database: a Decimal per value is twice the memory, for
        # 65,535 meters × 4 values (converted when a row's check reads them).
        return cast(column, String)

    statement = (
        select(Meter.id, Meter.kind, Meter.number, Meter.zones, Meter.capacity,
               text(Meter.transformation_ratio), Meter.verification_due, Meter.house_id,
               PersonalAccount.number, PersonalAccount.apartment, text(last.t1),
               text(last.t2), text(last.t3), last.reading_date,
               current_fingerprint(session.get_bind().dialect.name, rules_tag, Meter, last),
               text(Meter.typical_t1), text(Meter.typical_t2), text(Meter.typical_t3),
               Meter.typical_intervals)
        .join(House, House.id == Meter.house_id)
        .outerjoin(PersonalAccount, PersonalAccount.id == Meter.personal_account_id)
        .outerjoin(last, last.id == Meter.last_accounted_reading_id)
        .where(House.organization_id == int(organization_id), House.removed_at.is_(None),
               Meter.archived_at.is_(None)))
    connection = session.connection()
    # The only parameter is an integer, so it is written into the statement.
    sql = str(statement.compile(connection, compile_kwargs={"literal_binds": True}))
    driver = connection.connection.driver_connection
    with driver_errors(connection, sql):
        cursor = driver.cursor()
        try:
            if connection.dialect.name == "postgresql":
                # The answer streamed _METER_BATCH rows at a time (libpq's chunked rows), so
                # that the driver never holds all of it beside the rows made of it (25 MB at
                # the peak of a 65,535-row upload).
                cursor.row_factory = lambda _cursor: MeterRow._make
                return list(cursor.stream(sql, size=_METER_BATCH))
            cursor.execute(sql)
            return list(map(MeterRow._make, cursor))
        finally:
            cursor.close()


# Rows of served_meter_rows' answer fetched at a time.
_METER_BATCH = 5000


def house_addresses(session: Session, organization_id: int) -> dict[int, str]:
    """The address of each served house of the organization, by house id."""
    return {house_id: msg.house_address(settlement, street, number)
            for house_id, settlement, street, number in session.execute(
                select(House.id, House.settlement, House.street, House.house_number)
                .where(House.organization_id == organization_id, House.removed_at.is_(None)))}
