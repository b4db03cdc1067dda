"""The file channel's quick path (readings/checks.quick_check, the upload's cells shown from
their repr) gives exactly what the full rule set gives, on the rows it takes (docs/spec.md
§13.1–§13.4)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from lkk_integration.quantities import without_float_noise
from lkk_integration.readings.checks import (MeterFacts, ValueUnreadable, check_submission,
                                             parse_kwh, quick_check)
from lkk_integration.readings.period import MeterRow
from lkk_integration.readings.rules import ReadingRules
from lkk_integration.spreadsheets.upload import _shown

TODAY = dt.date(2026, 3, 20)
WINDOW = (dt.date(2026, 3, 15), dt.date(2026, 3, 26))
DATES = st.dates(dt.date(2026, 2, 1), dt.date(2026, 4, 5))

# Cells as a spreadsheet gives them: floats of every kind (noise, negatives, exponents,
# -0.0, nan), now and then text, an integer or nothing.
CELLS = st.one_of(
    st.none(), st.floats(allow_nan=True, allow_infinity=True),
    st.integers(0, 10**7).map(lambda n: n / 4), st.integers(0, 10**9).map(lambda n: n / 100),
    st.decimals(0, 10**6, places=3).map(float), st.sampled_from([0.1 + 0.2, 16431.879999999997,
                                                                  -0.0, 1e30, 1e16, 99999.0]),
    st.integers(0, 10**6), st.just("1100,5"))


@st.composite
def meters(draw):
    zones = draw(st.integers(1, 3))
    last = [draw(st.one_of(st.none(), st.integers(0, 10**6).map(lambda n: Decimal(n) / 4)))
            if k < zones else None for k in range(3)]
    return MeterFacts(
        meter_id=1, kind=draw(st.sampled_from(["individual", "common_house"])), number="1",
        zones=zones, capacity=draw(st.integers(1, 12)),
        transformation_ratio=draw(st.sampled_from([Decimal(1), Decimal(40), Decimal("1.0000")])),
        verification_due=draw(st.one_of(st.none(), DATES)), last_values=tuple(last),
        last_date=draw(st.one_of(st.none(), DATES)))


@settings(max_examples=3000, deadline=None)
@given(meter=meters(), date=st.one_of(DATES, DATES.map(
    lambda d: dt.datetime.combine(d, dt.time())), st.none(), st.just("18.03.2026")),
       values=st.lists(CELLS, min_size=3, max_size=3), digits=st.integers(0, 5))
@example(meter=MeterFacts(1, "individual", "1", 2, 6, last_values=(Decimal(1000), Decimal(5),
                                                                     None),
                          last_date=dt.date(2026, 2, 20)),
         date=dt.datetime(2026, 3, 18), values=[1105.75, 9.5, None], digits=2)
def test_the_quick_check_takes_only_rows_the_full_check_finds_clean_and_reads_them_alike(
        meter, date, values, digits):
    rules = ReadingRules(fraction_digits=digits)
    quick = quick_check(meter, date, values, rules, TODAY, WINDOW, {})
    if quick is None:
        return
    full = check_submission(meter, date, values, rules, TODAY, WINDOW)
    assert full.errors == [] and full.remarks == []
    assert quick[0] == full.reading_date
    # The same Decimals, digit for digit (the buffer keeps their text on SQLite).
    assert [v if v is None else v.as_tuple() for v in quick[1]] \
        == [v if v is None else v.as_tuple() for v in full.values]


def test_a_meter_row_reads_as_its_facts_and_takes_the_quick_path():
    row = MeterRow(7, "individual", "0001", 2, 6, "1", None, 3, "A1", "12", "1000.25", "5",
                   None, "2026-02-20")
    assert row.facts() == MeterFacts(7, "individual", "0001", 2, 6, Decimal(1), None,
                                     (Decimal("1000.25"), Decimal(5), None),
                                     dt.date(2026, 2, 20))
    assert quick_check(row, dt.datetime(2026, 3, 18), [1105.75, 9.5, None], ReadingRules(),
                       TODAY, WINDOW, {}) \
        == (dt.date(2026, 3, 18), [Decimal("1105.75"), Decimal("9.5"), None])


def shown_the_long_way(value: object, fraction: int) -> str | None:
    """_shown's general path for a float cell (the Decimal one), as it was before the quick
    branch."""
    try:
        number = parse_kwh(value)
    except ValueUnreadable:
        number = None
    if number is not None and (rounded := without_float_noise(number, fraction)) != number:
        return format(rounded, "f").replace(".", ",")
    text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else \
        format(Decimal(repr(value)), "f")
    return (text if len(text) <= 50 else repr(value).upper()).replace(".", ",")


@settings(max_examples=3000, deadline=None)
@given(value=st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                       st.integers(0, 10**9).map(lambda n: n / 100),
                       st.sampled_from([0.1 + 0.2, 16431.879999999997, -0.0, 1e15, 1e16,
                                        999999999999999.9, 5.0])),
       fraction=st.integers(0, 4))
def test_a_float_cell_is_shown_as_the_long_way_shows_it(value, fraction):
    assert _shown(value, fraction) == shown_the_long_way(value, fraction)


class _Period:
    """The open period as upload's checks read it (readings/period.py's OpenPeriod): both kinds'
    readings dated within WINDOW."""

    def __init__(self, digits: int):
        self.rules, self.today, self.window = ReadingRules(fraction_digits=digits), TODAY, WINDOW
        self.dates = WINDOW
        self.kind_dates = {"individual": WINDOW, "common_house": WINDOW}


class _Shared:
    """What _checked_row keeps across rows (upload._BufferWriter's part it reads)."""

    def __init__(self):
        self.standing, self.ceilings, self.shown_dates = set(), {}, {}


@st.composite
def meter_rows(draw):
    """A meter as served_meter_rows gives it, as SQLite's driver does (kWh, ratio and dates as
    text) or PostgreSQL's (dates as dates, kWh as NUMERIC's text with its 4 digits)."""
    facts = draw(meters())
    sqlite = draw(st.booleans())

    def kwh(value):
        return None if value is None else (str(value) if sqlite else f"{value:.4f}")

    def date(value):
        return value.isoformat() if sqlite and value is not None else value

    return MeterRow(5, facts.kind, "42", facts.zones, facts.capacity,
                    kwh(facts.transformation_ratio), date(facts.verification_due), 3,
                    draw(st.sampled_from([None, "A1", "Ы" * 40])),
                    draw(st.sampled_from([None, "12", "7" * 25])),
                    *(kwh(v) for v in facts.last_values), date(facts.last_date),
                    draw(st.sampled_from([None, "f1"])))


@settings(max_examples=3000, deadline=None)
@given(meter=meter_rows(), date=st.one_of(DATES, DATES.map(
    lambda d: dt.datetime.combine(d, dt.time())), st.none(), st.just("18.03.2026")),
       values=st.lists(CELLS, min_size=3, max_size=3), digits=st.integers(0, 5),
       hidden=st.booleans(), texts=st.sampled_from([(None, None), ("A1", "12"),
                                                    ("Щ" * 60, "Ъ" * 30)]))
@example(meter=MeterRow(5, "individual", "42", 2, 6, "1", None, 3, None, None, "1000.25", "5",
                        None, "2026-02-20", "f1"),
         date=dt.datetime(2026, 3, 18), values=[1105.75, 9, None], digits=2, hidden=False,
         texts=(None, None))
def test_the_uploads_quick_row_is_stored_as_the_checked_row_is(meter, date, values, digits,
                                                               hidden, texts):
    """upload._quick_rows stores a row it takes exactly as _checked_row's row is stored."""
    from lkk_integration.spreadsheets.intake import IntakeRow
    from lkk_integration.spreadsheets.upload import _checked_row, _quick_rows, _stored

    account, apartment = texts
    row = IntakeRow("Лист" * 10, 7, meter.kind, "адрес", apartment, account, "0" * 60, date,
                    values, hidden=hidden)
    period, addresses = _Period(digits), {3: "ул. Ленина, 1"}
    quick = _quick_rows(11, period, {}, addresses)(row, meter)
    if quick is None:
        return
    full = _stored(11, _checked_row(row, meter, None, None, period, None, {}, addresses,
                                    _Shared()))
    assert quick == full
    assert [type(v) for v in quick] == [type(v) for v in full]
