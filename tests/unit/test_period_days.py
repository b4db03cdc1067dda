"""The period's days with each meter kind's own (docs/spec.md §5.1, §5.2), over every valid
setting of the days and every day of two years."""
from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from lkk_integration.models import KINDS
from lkk_integration.readings.rules import (ReadingRules, kind_dates, kind_window, period_state,
                                            period_window)

days = st.integers(1, 31)


@st.composite
def rules(draw) -> ReadingRules:
    start, end = sorted((draw(days), draw(days)))
    common_start, last_reading, common_end = sorted((draw(days), draw(days), draw(days)))
    return ReadingRules(period_start_day=start, period_end_day=end,
                        common_house_start_day=common_start, common_house_end_day=common_end,
                        common_house_last_reading_day=last_reading)


def accepting(r: ReadingRules, day: dt.date) -> bool:
    """Some kind's readings are accepted on `day`."""
    month = day.replace(day=1)
    return any(first <= day <= last for first, last in
               (kind_window(r, kind, month) for kind in KINDS))


@given(rules(), st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)))
def test_the_period_is_open_on_either_kinds_days_and_counts_to_the_next_change(r, today):
    state = period_state(r, today)
    assert state.is_open == accepting(r, today)
    if state.is_open:
        # Open to its last day: every day to it is open, the day after is not (or is the next
        # month's period: each month's readings are its own).
        assert state.last == today + dt.timedelta(days=state.days - 1)
        assert all(accepting(r, today + dt.timedelta(days=n)) for n in range(state.days))
        after = state.last + dt.timedelta(days=1)
        assert after.month != today.month or not accepting(r, after)
    else:
        # Closed until its first day: no day before it opens.
        assert state.first == today + dt.timedelta(days=state.days) and state.days >= 1
        assert not any(accepting(r, today + dt.timedelta(days=n)) for n in range(state.days))
        assert accepting(r, state.first)
    assert state.first <= state.last and (state.start_day, state.end_day) == (
        state.first.day, state.last.day)


@given(rules(), st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)))
def test_a_kinds_reading_dates_lie_within_its_days_and_the_period(r, day):
    month = day.replace(day=1)
    first, last = period_window(r, month)
    for kind in KINDS:
        accepted, dated = kind_window(r, kind, month), kind_dates(r, kind, month)
        assert accepted[0] == dated[0] <= dated[1] <= accepted[1]
        assert first <= accepted[0] and accepted[1] <= last


def test_the_defaults_are_the_rules_of_442():
    march = dt.date(2026, 3, 1)
    r = ReadingRules()
    assert kind_window(r, "individual", march) == (dt.date(2026, 3, 15), dt.date(2026, 3, 26))
    assert kind_window(r, "common_house", march) == (dt.date(2026, 3, 23), dt.date(2026, 3, 26))
    assert kind_dates(r, "common_house", march) == (dt.date(2026, 3, 23), dt.date(2026, 3, 25))
    # February has 28 days: a day past its end is its last day.
    r = ReadingRules(period_end_day=31, common_house_start_day=29, common_house_end_day=31,
                     common_house_last_reading_day=30)
    february = dt.date(2026, 2, 1)
    assert kind_dates(r, "common_house", february) == (dt.date(2026, 2, 28),
                                                       dt.date(2026, 2, 28))
