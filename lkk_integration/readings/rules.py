"""Operator settings of the readings rules and the submission period (docs/spec.md §12.2).

Defaults here; overrides live in the `setting` table, so every server process sees a change at
once (docs/spec.md §12.2).
"""
from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.errors import ValidationError
from lkk_integration.models import COMMON_HOUSE, KINDS, Setting


@dataclass(frozen=True)
class ReadingRules:
    """Thresholds of the readings checks and the period days (all configurable)."""

    # Days of month, Moscow time, when readings of individual meters are accepted (docs/spec.md
    # §5.1: default 15–26).
    period_start_day: int = 15
    period_end_day: int = 26
    # Digits allowed after the decimal separator of a reading (docs/spec.md §13.2: default 2).
    fraction_digits: int = 2
    # Consumption ceilings, kWh per day since the last accounted reading.
    kwh_per_day_individual: Decimal = Decimal(100)
    kwh_per_day_common_house: Decimal = Decimal(20000)
    # Common-house meters' own days (docs/spec.md §5.2; Постановление Правительства РФ № 442,
    # пп. 157, 159): read from the 23rd to the 25th, passed by the end of the 26th.
    common_house_start_day: int = 23
    common_house_end_day: int = 26
    common_house_last_reading_day: int = 25
    # A valid reading far from its meter's typical consumption is flagged (docs/spec.md
    # §13.10): above `plausibility_factor` times it or under a `plausibility_factor`-th, and
    # off by more than `plausibility_margin_kwh` kWh.
    plausibility_factor: Decimal = Decimal(3)
    plausibility_margin_kwh: Decimal = Decimal(50)


# Field types as written in the annotations (strings, under `from __future__ import annotations`).
_CONVERTERS = {"int": int, "Decimal": Decimal}


def load_rules(session: Session) -> ReadingRules:
    """The rules in force: defaults overridden by `setting` rows named after the fields."""
    stored = dict(session.execute(select(Setting.key, Setting.value)).all())
    values = {}
    for f in dataclasses.fields(ReadingRules):
        if f.name in stored:
            values[f.name] = _CONVERTERS[f.type](stored[f.name])
    return ReadingRules(**values)


# Bounds of each setting: the period's days of month; fraction digits up to the 4 that the
# readings' columns keep (NUMERIC(18, 4)); ceilings in kWh per day.
_BOUNDS = {"period_start_day": (1, 31), "period_end_day": (1, 31), "fraction_digits": (0, 4),
           "kwh_per_day_individual": (Decimal("0.01"), Decimal(10) ** 9),
           "kwh_per_day_common_house": (Decimal("0.01"), Decimal(10) ** 9),
           "common_house_start_day": (1, 31), "common_house_end_day": (1, 31),
           "common_house_last_reading_day": (1, 31),
           "plausibility_factor": (Decimal("1.5"), Decimal(100)),
           "plausibility_margin_kwh": (Decimal(0), Decimal(10) ** 9)}


# How the settings are called on the administrator's page and in messages.
RULE_LABELS = msg.RULE_LABELS


def validate_rules(changes: dict[str, object], current: ReadingRules) -> dict[str, object]:
    """The changes converted to their types, or ValidationError naming the first bad one.

    Shapes: names as ReadingRules' fields, values as text or numbers. Rules: each within
    _BOUNDS, each kind's first day not after its last, and common-house meters' last reading
    day within their days (docs/spec.md §5.2).
    """
    fields = {f.name: f for f in dataclasses.fields(ReadingRules)}
    converted: dict[str, object] = {}
    for key, raw in changes.items():
        if key not in fields:
            raise ValidationError(msg.unknown_rule(key), key)
        low, high = _BOUNDS[key]
        name = RULE_LABELS[key]
        text = str(raw).strip().replace(",", ".")
        try:
            # Digits, a decimal point and (for a threshold) an exponent («1e9»): int() and
            # Decimal() also read «٣», «1_000», «+23» and «-0», which nobody types.
            if not re.fullmatch(r"[0-9]+" if fields[key].type == "int"
                                else r"[0-9]+(\.[0-9]+)?([eE][0-9]+)?", text):
                raise ValueError(text)
            value = _CONVERTERS[fields[key].type](text)
        except (ValueError, ArithmeticError):
            raise ValidationError(msg.rule_not_a_number(name, key), key) from None
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValidationError(msg.rule_not_a_number(name, key), key)
        if not low <= value <= high:
            raise ValidationError(msg.rule_out_of_bounds(name, key, low, high), key)
        converted[key] = value
    merged = dataclasses.replace(current, **converted)
    if merged.period_start_day > merged.period_end_day:
        raise ValidationError(msg.PERIOD_DAYS_REVERSED, "period_start_day")
    if merged.common_house_start_day > merged.common_house_end_day:
        raise ValidationError(msg.COMMON_HOUSE_DAYS_REVERSED, "common_house_start_day")
    if not (merged.common_house_start_day <= merged.common_house_last_reading_day
            <= merged.common_house_end_day):
        raise ValidationError(msg.COMMON_HOUSE_READING_DAY_OUTSIDE,
                              "common_house_last_reading_day")
    if max(merged.period_start_day, merged.common_house_start_day) > \
            min(merged.period_end_day, merged.common_house_end_day) + 1:
        # One stretch of days a month: a period, its counter, its reminders and its buffer's
        # close are one (docs/spec.md §5.2).
        raise ValidationError(msg.KINDS_DAYS_APART, "common_house_start_day")
    return converted


def save_rules(session: Session, **changes: object) -> ReadingRules:
    """Store overrides of ReadingRules fields (names as in the dataclass) after
    validate_rules; returns the rules now in force. Raises ValidationError."""
    changes = validate_rules(changes, load_rules(session))
    for key, value in changes.items():
        # A threshold as plain digits («1e1» is kept as «10»).
        text = format(value, "f") if isinstance(value, Decimal) else str(value)
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=text))
        else:
            row.value = text
    session.flush()
    return load_rules(session)


def change_rules(session: Session, clock, actor, **changes: object) -> ReadingRules:
    """save_rules on behalf of `actor` (an audit.Actor: an administrator, the operator's CLI):
    one `rules_changed` audit record naming the values that actually changed, none when
    nothing did. Returns the rules now in force; raises ValidationError."""
    from lkk_integration import audit

    before = load_rules(session)
    after = save_rules(session, **changes)
    changed = {name: format(value, "f") if isinstance(value, Decimal) else str(value)
               for name, value in dataclasses.asdict(after).items()
               if getattr(before, name) != value}
    if changed:
        audit.record(session, clock, actor, "rules_changed", **changed)
    return after


def rules_in_force(core: Core) -> ReadingRules:
    """load_rules, read in a transaction of its own."""
    with core.uow() as uow:
        return load_rules(uow.session)


def update_rules(core: Core, actor, **changes: object) -> tuple[ReadingRules, bool]:
    """change_rules in a transaction of its own, committed: the rules now in force and whether
    any value changed. Raises ValidationError (nothing is saved then)."""
    with core.uow() as uow:
        before = load_rules(uow.session)
        after = change_rules(uow.session, core.clock, actor, **changes)
        uow.commit()
    return after, after != before


@dataclass(frozen=True)
class PeriodState:
    """Where a Moscow date stands against the submission period: the days some meters'
    readings are accepted on (docs/spec.md §5.1, §5.2), the kinds' days merged where they meet."""

    is_open: bool
    # Days of month of the days open now (open), or of the next ones (closed).
    start_day: int
    end_day: int
    # Inside the period: days left including today; outside: days until it opens.
    days: int
    # The month the readings belong to (first day), when open.
    period: dt.date
    # Moscow dates of the days open now (open) or opening next (closed).
    first: dt.date | None = None
    last: dt.date | None = None


def next_month(month: dt.date) -> dt.date:
    """The first day of the month after the one `month` is in."""
    return (month.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _day(year: int, month: int, day: int) -> dt.date:
    """Day `day` of the month; a day past its end (30, 31) is its last day."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def kind_window(rules: ReadingRules, kind: str, month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last Moscow date `kind`'s readings are accepted on in `month`'s period
    (docs/spec.md §5.1 individual, §5.2 common-house meters)."""
    if kind == COMMON_HOUSE:
        start, end = rules.common_house_start_day, rules.common_house_end_day
    else:
        start, end = rules.period_start_day, rules.period_end_day
    return _day(month.year, month.month, start), _day(month.year, month.month, end)


def kind_dates(rules: ReadingRules, kind: str, month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last date a reading of `kind` may have in `month`'s period: its days, but
    a common-house meter's reading is dated by common_house_last_reading_day (docs/spec.md
    §5.2, §13.6)."""
    first, last = kind_window(rules, kind, month)
    if kind == COMMON_HOUSE:
        last = _day(month.year, month.month, rules.common_house_last_reading_day)
    return first, last


def _spans(rules: ReadingRules, month: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The month's days some readings are accepted on: the kinds' windows, merged where they
    overlap or meet, in date order."""
    spans: list[tuple[dt.date, dt.date]] = []
    for first, last in sorted(kind_window(rules, kind, month)
                              for kind in KINDS):
        if spans and first <= spans[-1][1] + dt.timedelta(days=1):
            spans[-1] = (spans[-1][0], max(spans[-1][1], last))
        else:
            spans.append((first, last))
    return spans


def period_state(rules: ReadingRules, today: dt.date) -> PeriodState:
    """Is the period open on Moscow date `today` for any meter's kind, and how many days to the
    close of the days open now, or to the opening of the next ones (docs/spec.md §5.1, §5.2).

    A period day past the month's end (30, 31) means the month's last day.
    """
    month_start = today.replace(day=1)
    spans = _spans(rules, month_start)
    for first, last in spans:
        if first <= today <= last:
            return PeriodState(True, first.day, last.day, (last - today).days + 1, month_start,
                               first, last)
    coming = [span for span in spans if span[0] > today]
    if not coming:
        coming = _spans(rules, next_month(month_start))
    first, last = coming[0]
    return PeriodState(False, first.day, last.day, (first - today).days, month_start,
                       first, last)


def period_window(rules: ReadingRules, period: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last Moscow date any reading of month `period` is accepted on (the kinds'
    days together)."""
    spans = _spans(rules, period)
    return spans[0][0], spans[-1][1]
