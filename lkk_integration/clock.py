"""One clock for the whole product, injectable in tests.

Stored times are UTC; every period rule is decided on the Moscow calendar (docs/spec.md §18.1).
"""
from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """Current instant, timezone-aware, in UTC."""


class SystemClock:
    """The real clock."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)


class FixedClock:
    """A clock that stands still until moved; tests set it to the instant they need, and each
    cabinet request stands on the instant it began (lkk_web/hooks.py, pin_request_clock)."""

    def __init__(self, instant: dt.datetime):
        self.set(instant)

    def set(self, instant: dt.datetime) -> None:
        """Move to `instant` (aware; a naive one is read as Moscow time)."""
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=MOSCOW)
        self._now = instant.astimezone(dt.timezone.utc)

    def advance(self, **delta: float) -> None:
        """Move forward by a `datetime.timedelta(**delta)`."""
        self._now += dt.timedelta(**delta)

    def now(self) -> dt.datetime:
        return self._now


class OffsetClock:
    """The real clock moved to start at a given instant and then run at the real pace: a
    server process rehearsing a day of the period (LKK_CLOCK_START; load runs and fault drills,
    never production)."""

    def __init__(self, start: dt.datetime, started_at: dt.datetime | None = None,
                 real: Clock | None = None):
        """`start` is the rehearsal's instant at the real instant `started_at` (default: the
        real clock's now): every process given the same pair shares one clock, however late
        it starts. `real` is the clock it runs on (tests pass a FixedClock)."""
        self._real = real or SystemClock()
        if start.tzinfo is None:
            start = start.replace(tzinfo=MOSCOW)
        self._offset = start - (started_at or self._real.now())

    def now(self) -> dt.datetime:
        return self._real.now() + self._offset


def moscow_now(clock: Clock) -> dt.datetime:
    """The clock's instant on the Moscow wall clock."""
    return clock.now().astimezone(MOSCOW)


def moscow_today(clock: Clock) -> dt.date:
    """The Moscow calendar date of the clock's instant; period rules use it (docs/spec.md §18.1,
    §5.1)."""
    return moscow_now(clock).date()
