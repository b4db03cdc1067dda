"""Plausibility from the meter's own history (docs/spec.md §13.10): what a meter learns from
sequences of accounted readings, and the thresholds of the note, over the space of
consumptions."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from lkk_integration.readings.checks import MeterFacts, check_submission
from lkk_integration.readings.plausibility import JUDGED_FROM, LEARNT_FROM, judge, learn
from lkk_integration.readings.rules import ReadingRules

FACTOR, MARGIN = Decimal(3), Decimal(50)
START = dt.date(2025, 1, 20)
kwh_per_day = st.decimals(Decimal("0.1"), Decimal(300), places=1)


def run(daily_uses: list[Decimal], gaps: list[int], ratio: Decimal = Decimal(1)):
    """The typical consumption (T1) and intervals a meter ends with after accounted readings
    `gaps` days apart, each interval used at its daily rate."""
    typical, intervals = (None, None, None), 0
    date, value = START, Decimal(1000)
    for daily, gap in zip(daily_uses, gaps, strict=True):
        new_date, new_value = date + dt.timedelta(days=gap), value + daily * gap
        learnt = learn(typical, intervals, date, (value, None, None), new_date,
                       (new_value, None, None), ratio)
        assert learnt is not None
        typical, intervals = learnt
        date, value = new_date, new_value
    return typical, intervals


@given(kwh_per_day, st.lists(st.integers(20, 40), min_size=1, max_size=14))
def test_a_steady_meter_learns_its_own_daily_use(daily, gaps):
    typical, intervals = run([daily] * len(gaps), gaps)
    assert intervals == len(gaps)
    assert abs(typical[0] - daily) <= Decimal("0.0005") * intervals
    assert typical[1] is None and typical[2] is None


@given(st.lists(kwh_per_day, min_size=LEARNT_FROM + 1, max_size=20),
       st.integers(20, 40))
def test_the_typical_use_stays_within_what_was_used_and_one_month_weighs_a_sixth(uses, gap):
    typical, _ = run(uses, [gap] * len(uses))
    assert min(uses) - Decimal("0.01") <= typical[0] <= max(uses) + Decimal("0.01")
    before, _ = run(uses[:-1], [gap] * (len(uses) - 1))
    assert abs(typical[0] - (before[0] + (uses[-1] - before[0]) / LEARNT_FROM)) <= \
        Decimal("0.0001")


def test_an_interval_teaches_nothing_when_it_cannot():
    typical, last = (Decimal(5), None, None), (Decimal(100), None, None)
    day = dt.date(2026, 3, 1)
    assert learn(typical, 3, None, last, day, (Decimal(200), None, None), Decimal(1)) is None
    assert learn(typical, 3, day, last, day, (Decimal(200), None, None), Decimal(1)) is None
    # Lower: a rollover, a correction or a new register.
    assert learn(typical, 3, day, last, day + dt.timedelta(days=30), (Decimal(99), None, None),
                 Decimal(1)) is None
    # The billing sending its history again: an interval ending no later than the last one
    # learnt teaches nothing twice.
    assert learn(typical, 3, day, last, day + dt.timedelta(days=30), (Decimal(200), None, None),
                 Decimal(1), learnt_to=day + dt.timedelta(days=30)) is None
    # A consumption no meter has (a register of 12 digits × a ratio of a million in a day)
    # would not fit the column: nothing learnt, nothing broken.
    assert learn(typical, 3, day, (Decimal(0), None, None), day + dt.timedelta(days=1),
                 (Decimal(10) ** 8, None, None), Decimal(10) ** 6) is None
    # A common-house meter learns in kWh after its ratio.
    assert learn((None,) * 3, 0, day, last, day + dt.timedelta(days=10),
                 (Decimal(110), None, None), Decimal(40)) == ((Decimal(40), None, None), 1)


@given(kwh_per_day, st.integers(1, 60), st.decimals(Decimal(0), Decimal(50000), places=2),
       st.integers(0, 10))
def test_a_reading_is_flagged_exactly_when_far_from_typical_and_beyond_the_margin(
        typical, days, used, intervals):
    last_date = dt.date(2026, 2, 20)
    note = judge((typical, None, None), intervals, last_date, (Decimal(1000), None, None),
                 last_date + dt.timedelta(days=days), (Decimal(1000) + used, None, None),
                 Decimal(1), FACTOR, MARGIN, 1)
    expected = typical * days
    far = (used > FACTOR * expected or used * FACTOR < expected) and \
        abs(used - expected) > MARGIN
    assert (note is not None) == (far and intervals >= JUDGED_FROM)
    if note is not None and used:
        times = used / expected if used > expected else expected / used
        shown = times.quantize(Decimal("0.1"), ROUND_HALF_UP)
        assert note.startswith("Проверьте: расход в ")
        assert ("выше" if used > expected else "ниже") in note
        assert str(shown).replace(".", ",").removesuffix(",0") in note


def test_the_notes_words():
    day = dt.date(2026, 2, 20)
    args = ((Decimal(10), Decimal(2), None), JUDGED_FROM, day, (Decimal(0), Decimal(0), None),
            day + dt.timedelta(days=30))
    assert judge(*args, (Decimal(1260), Decimal(60), None), Decimal(1), FACTOR, MARGIN, 2) == \
        "Проверьте: расход Т1 в 4,2 раза выше обычного для этого счетчика"
    assert judge(*args, (Decimal(300), Decimal(60), None), Decimal(1), FACTOR, MARGIN, 2) is None
    assert judge(*args, (Decimal(0), Decimal(60), None), Decimal(1), FACTOR, MARGIN, 2) == \
        "Проверьте: расхода по Т1 нет, обычно – 10 кВт·ч в сутки"
    assert judge(*args, (Decimal(60), Decimal(60), None), Decimal(1), FACTOR, MARGIN, 2) == \
        "Проверьте: расход Т1 в 5 раз ниже обычного для этого счетчика"


def test_a_rollover_is_judged_by_what_it_used():
    # 99060 → 500 on a 5-digit register is 1,440 kWh in 30 days, for a meter of 0.98 a day.
    day = dt.date(2026, 2, 20)
    note = judge((Decimal("0.98"), None, None), 4, day, (Decimal(99060), None, None),
                 day + dt.timedelta(days=30), (Decimal(500), None, None), Decimal(1), FACTOR,
                 MARGIN, 1, capacity=5)
    assert note == "Проверьте: расход в 49 раз выше обычного для этого счетчика"
    facts = MeterFacts(1, "individual", "1", 1, 5, Decimal(1), None,
                       (Decimal(99060), None, None), day, (Decimal("0.98"), None, None), 4)
    verdict = check_submission(facts, "2026-03-22", ["500"], ReadingRules(),
                               dt.date(2026, 3, 22), (dt.date(2026, 3, 15), dt.date(2026, 3, 26)))
    assert verdict.ok and verdict.check_note is not None
    assert verdict.remarks[0].startswith("Т1: переход счетчика через ноль")


def test_the_checks_flag_a_valid_reading_and_keep_the_ceiling_for_meters_without_history():
    rules = ReadingRules()
    day = dt.date(2026, 2, 20)
    facts = MeterFacts(1, "individual", "1", 1, 6, Decimal(1), None, (Decimal(1000), None, None),
                       day, (Decimal(10), None, None), 4)
    today, window = dt.date(2026, 3, 20), (dt.date(2026, 3, 15), dt.date(2026, 3, 26))
    verdict = check_submission(facts, "2026-03-20", ["2176"], rules, today, window)
    assert verdict.ok and verdict.check_note == \
        "Проверьте: расход в 4,2 раза выше обычного для этого счетчика"
    assert verdict.remarks == [verdict.check_note]
    # Without history only the ceiling (100 kWh a day) judges it.
    bare = MeterFacts(1, "individual", "1", 1, 6, Decimal(1), None, (Decimal(1000), None, None),
                      day)
    assert check_submission(bare, "2026-03-20", ["2176"], rules, today, window).check_note \
        is None
    assert not check_submission(facts, "2026-03-20", ["9000"], rules, today, window).ok
