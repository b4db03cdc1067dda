"""Plausibility of a reading from the meter's own history (docs/spec.md §13.10).

Each meter learns its typical consumption per zone — kWh per day, after the transformation
ratio — from the intervals between its accounted readings, as each arrives (learn): a running
mean of the first LEARNT_FROM intervals, then a moving average in which each new interval weighs
1/LEARNT_FROM, so a meter's usage half a year ago fades and one odd month does not set it. A
reading submitted against it (judge) is valid either way; one far from it — more than `factor`
times the typical consumption over its days, or less than a `factor`-th, and off by more than
the margin in kWh, so that a small meter's noise is no alarm — carries a note asking to check
it. The fixed ceiling of §13.4 stays the check of meters without history.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from lkk_integration import messages as msg

# Intervals a typical consumption is the plain mean of; beyond, each new one weighs this share.
LEARNT_FROM = 6
# Intervals a meter needs before its readings are judged by its history.
JUDGED_FROM = 2
# No meter uses this many kWh a day; a typical consumption must fit the Kwh column (NUMERIC
# 18, 4): an interval past it teaches nothing.
_BEYOND_ANY_METER = Decimal(10) ** 12
_FOUR = Decimal("0.0001")
Values = tuple[Decimal | None, Decimal | None, Decimal | None]


def learn(typical: Values, intervals: int, last_date: dt.date | None, last: Values,
          new_date: dt.date, new: Values, ratio: Decimal,
          learnt_to: dt.date | None = None) -> tuple[Values, int] | None:
    """The meter's typical consumption per zone (kWh per day) and its number of intervals after
    its accounted reading `new` of `new_date` followed `last` of `last_date`; None when this
    interval teaches nothing: no earlier reading, not at least a day later, not after the end
    of the last interval learnt (`learnt_to`: the billing sending its history again teaches
    nothing twice), a zone without a value on either side or lower than before (a rollover, a
    correction, a replaced register), or a consumption no meter has. `ratio` is the meter's
    transformation ratio."""
    if last_date is None or (new_date - last_date).days < 1 or (
            learnt_to is not None and new_date <= learnt_to):
        return None
    days = Decimal((new_date - last_date).days)
    weight = Decimal(1) / min(intervals + 1, LEARNT_FROM)
    learnt: list[Decimal | None] = [None, None, None]
    for zone in range(3):
        before, after, known = last[zone], new[zone], typical[zone]
        if before is None and after is None:
            continue
        if before is None or after is None or after < before:
            return None
        daily = (after - before) * ratio / days
        if daily >= _BEYOND_ANY_METER:
            return None
        learnt[zone] = (daily if known is None or intervals == 0
                        else known + (daily - known) * weight).quantize(_FOUR, ROUND_HALF_UP)
    return (learnt[0], learnt[1], learnt[2]), intervals + 1


def expected_range(typical: Values, intervals: int, last_date: dt.date | None, last: Values,
                   on_date: dt.date, ratio: Decimal, factor: Decimal, margin_kwh: Decimal,
                   digits: int) -> tuple[tuple[Decimal, Decimal] | None, ...]:
    """Per zone, the registers a reading of `on_date` may show without judge's note — the
    range a typical month reaches (docs/spec.md §13.10): from the last accounted reading plus
    the least, to it plus the most consumption judge lets pass, in kWh over the transformation
    `ratio`; within it at `digits` decimals (the low end up, the high end down). None for a
    zone without history, and for every zone before JUDGED_FROM intervals or `on_date` is a
    day after the last accounted reading."""
    if intervals < JUDGED_FROM or last_date is None or (on_date - last_date).days < 1:
        return (None, None, None)
    days = (on_date - last_date).days
    step = Decimal(1).scaleb(-digits)
    ranges: list[tuple[Decimal, Decimal] | None] = []
    for zone in range(3):
        known, before = typical[zone], last[zone]
        if known is None or before is None:
            ranges.append(None)
            continue
        expected = known * days
        low = max(Decimal(0), min(expected / factor, expected - margin_kwh))
        high = max(expected * factor, expected + margin_kwh)
        ranges.append(((before + low / ratio).quantize(step, ROUND_CEILING),
                       (before + high / ratio).quantize(step, ROUND_FLOOR)))
    return tuple(ranges)


def judge(typical: Values, intervals: int, last_date: dt.date | None, last: Values,
          reading_date: dt.date, values: Values, ratio: Decimal, factor: Decimal,
          margin_kwh: Decimal, zones: int, capacity: int | None = None) -> str | None:
    """The note of a valid reading far from the meter's typical consumption, or None.

    Shapes: `typical` kWh per day per zone (learn's), `last`/`values` the registers of the last
    accounted and the submitted reading, `ratio` the transformation ratio, `factor` (3) and
    `margin_kwh` (50 kWh) the rules' (docs/spec.md §13.10). A zone is far when its consumption
    over the days since the last accounted reading is above `factor` × typical × days, or below
    that / `factor`, and differs from typical × days by more than `margin_kwh`; the zone
    farthest off is named (its name only for a meter of two or three zones). A zone lower
    than before is judged by its consumption past the rollover of a `capacity`-digit register
    (§13.3), and not at all without `capacity`."""
    if intervals < JUDGED_FROM or last_date is None or (reading_date - last_date).days < 1:
        return None
    days = (reading_date - last_date).days
    worst: tuple[Decimal, int, bool, Decimal, Decimal] | None = None
    for zone in range(3):
        known, before, value = typical[zone], last[zone], values[zone]
        if known is None or before is None or value is None:
            continue
        difference = value - before
        if difference < 0:
            if capacity is None:
                continue
            difference += Decimal(10) ** capacity  # a rollover (§13.3)
        used = difference * ratio
        expected = known * days
        if abs(used - expected) <= margin_kwh:
            continue
        if used > expected * factor:
            times = used / expected if expected else Decimal("Infinity")
            above = True
        elif used * factor < expected:
            times = expected / used if used else Decimal("Infinity")
            above = False
        else:
            continue
        if worst is None or times > worst[0]:
            worst = (times, zone, above, used, expected / days)
    if worst is None:
        return None
    times, zone, above, used, daily = worst
    return msg.implausible_use(msg.ZONE_LABELS[zone] if zones > 1 else None, times, above, daily)
