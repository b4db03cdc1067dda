"""The readings rule set, the period and Russian numerals, as pure functions (no database)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lkk_integration import messages as msg
from lkk_integration.quantities import fraction_digits
from lkk_integration.readings.checks import MeterFacts, ValueUnreadable, check_submission, parse_kwh
from lkk_integration.readings.rules import ReadingRules, period_state

RULES = ReadingRules()
TODAY = dt.date(2026, 3, 20)
WINDOW = (dt.date(2026, 3, 15), dt.date(2026, 3, 26))
TWO_ZONE = MeterFacts(meter_id=1, kind="individual", number="066823", zones=2, capacity=5,
                      last_values=(Decimal(500), Decimal(300), None),
                      last_date=dt.date(2026, 2, 20))


def verdict(values, date=dt.date(2026, 3, 18), meter=TWO_ZONE):
    return check_submission(meter, date, values, RULES, TODAY, WINDOW)


@pytest.mark.parametrize("raw, expected", [
    ("12 345,6", Decimal("12345.6")), ("12\u00a0345.60", Decimal("12345.60")),
    (12345.67, Decimal("12345.67")), (215090.0, Decimal("215090.0")), (7, Decimal(7)),
    ("", None), (None, None), ("  ", None), (",5", Decimal("0.5")),
])
def test_parse_kwh_reads_what_people_and_programs_write(raw, expected):
    assert parse_kwh(raw) == expected


@pytest.mark.parametrize("raw", ["12a", "1.2.3", "1e5", "--1", float("nan"), True, "один",
                                 "٣٤٠٠", "３４００", "35\n00", "3\t500", "1,,2"])
def test_parse_kwh_refuses_what_is_not_a_number(raw):
    with pytest.raises(ValueUnreadable):
        parse_kwh(raw)


@pytest.mark.parametrize("values, errors", [
    (["520", "310", None], []),
    (["520", None, None], ["Не указаны показания Т2"]),
    (["520", "310", "1"], ["Лишние показания Т3: счетчик двухтарифный"]),
    (["abc", "310", None], ["Т1: не число"]),
    (["-1", "310", None], ["Т1: отрицательное значение"]),
    (["520,123", "310", None], ["Т1: больше 2 знаков после запятой"]),
    (["123456", "310", None], ["Т1: больше 5 разрядов до запятой (разрядность счетчика)"]),
    (["499,99", "310", None], ["Т1 меньше последних учтенных показаний (500)"]),
    ([None, None, None], ["Показания не указаны"]),
    # Every zone's fault at once.
    (["abc", "-1", None], ["Т1: не число", "Т2: отрицательное значение"]),
    (["abc", "", "x"], ["Т1: не число", "Не указаны показания Т2",
                        "Лишние показания Т3: счетчик двухтарифный"]),
    # Thousands of digits are a number too long for the meter, not a crash.
    (["1" * 5000, "9" * 4301 + ",5", None],
     ["Т1: больше 5 разрядов до запятой (разрядность счетчика)",
      "Т2: больше 5 разрядов до запятой (разрядность счетчика)"]),
    (["0," + "1" * 5000, "310", None], ["Т1: больше 2 знаков после запятой"]),
])
def test_each_rule_names_the_zone(values, errors):
    assert verdict(values).errors == errors


def test_whole_numbers_only_when_no_fraction_digit_is_allowed():
    import dataclasses as dc

    rules = dc.replace(RULES, fraction_digits=0)
    result = check_submission(TWO_ZONE, dt.date(2026, 3, 18), ["520,5", "310"], rules, TODAY,
                              WINDOW)
    assert result.errors == ["Т1: должно быть целым числом"]


@pytest.mark.parametrize("date, error", [
    (None, "Не указана дата показания"),
    ("32.03.2026", "Дата показания не распознана"),
    (dt.date(2026, 3, 21), "Дата показания в будущем"),
    (dt.date(2026, 2, 19), "Дата показания раньше даты последних учтенных показаний"),
    (dt.date(2026, 3, 14),
     "Дата показания вне периода передачи показаний (15.03.2026–26.03.2026)"),
])
def test_reading_date_rules(date, error):
    assert verdict(["520", "310", None], date=date).errors == [error]


@pytest.mark.parametrize("text", ["18.03.2026", "18.03.26", "2026-03-18", "18/03/2026",
                                  "2026/03/18", "18-03-2026", "2026.03.18", "18.03.2026г.",
                                  "18.03.2026 г.", "18.03.2026 0:00:00"])
def test_dates_in_the_forms_people_and_programs_write(text):
    from lkk_integration.readings.checks import parse_reading_date

    assert parse_reading_date(text) == dt.date(2026, 3, 18)


def test_text_and_datetime_dates_are_read():
    assert verdict(["520", "310", None], date="18.03.2026").reading_date == dt.date(2026, 3, 18)
    assert verdict(["520", "310", None], date=dt.datetime(2026, 3, 18, 0, 0)).ok


def test_an_expired_verification_is_a_reason():
    meter = MeterFacts(1, "individual", "1", 1, 6, verification_due=dt.date(2026, 3, 1))
    assert verdict(["1", None, None], meter=meter).errors == [
        "Истек срок поверки счетчика (01.03.2026)"]


@pytest.mark.parametrize("n, day, line", [
    (1, "день", "строка"), (2, "дня", "строки"), (5, "дней", "строк"), (11, "дней", "строк"),
    (21, "день", "строка"), (22, "дня", "строки"), (112, "дней", "строк"),
])
def test_russian_numerals_agree(n, day, line):
    assert msg.days(n) == f"{n} {day}"
    assert msg.rows(n) == f"{n} {line}"


def test_send_messages_agree_with_their_numbers():
    assert msg.sent_individual(1) == \
        "Успешно отправлены показания для 1 строки по индивидуальным приборам учета"
    assert msg.sent_common_house(5) == \
        "Успешно отправлены показания для 5 строк по общедомовым приборам учета"
    assert msg.send_confirmation(10, 25) == (
        "В загруженном файле 10 верных и 25 ошибочных строк. Показания будут сохранены только "
        "по верным строкам. Продолжить сохранение показаний?")
    assert "1 верная и 21 ошибочная строка." in msg.send_confirmation(1, 21)


def test_counts_of_a_large_file_keep_their_thousands_apart():
    nbsp = "\u00a0"
    assert msg.upload_counts("Индивидуальные ПУ", 19377, 1212, 146) == (
        f"Индивидуальные ПУ: Верных – 19{nbsp}377, ошибок – 1{nbsp}212, из них не заполнено – 146")
    assert msg.send_confirmation(19377, 1212).startswith(
        f"В загруженном файле 19{nbsp}377 верных и 1{nbsp}212 ошибочных строк.")
    assert msg.sent_individual(19377) == (f"Успешно отправлены показания для 19{nbsp}377 строк "
                                          "по индивидуальным приборам учета")


@pytest.mark.parametrize("today, is_open, days", [
    (dt.date(2026, 3, 14), False, 1),
    (dt.date(2026, 3, 15), True, 12),
    (dt.date(2026, 3, 26), True, 1),
    (dt.date(2026, 3, 27), False, 19),   # until 15 April
    (dt.date(2026, 2, 27), False, 16),   # February is short
])
def test_period_state_counts_days(today, is_open, days):
    state = period_state(RULES, today)
    assert (state.is_open, state.days) == (is_open, days)


def test_period_closed_message_is_the_manuals():
    assert msg.period_closed(15, 26) == "Передача показаний возможна с 15 по 26 число"


FIVE_DIGITS = MeterFacts(meter_id=2, kind="individual", number="1", zones=1, capacity=5,
                         last_values=(Decimal(99990), None, None),
                         last_date=dt.date(2026, 3, 8))


def test_a_rollover_past_the_capacity_within_the_ceiling_is_accepted_with_a_remark():
    result = verdict(["12", None, None], meter=FIVE_DIGITS)
    assert result.ok
    assert result.note == "Т1: переход счетчика через ноль (99990 → 12)"


def test_a_fall_too_big_to_be_a_rollover_is_lower_than_last():
    meter = dataclasses.replace(FIVE_DIGITS, last_values=(Decimal(50000), None, None))
    assert verdict(["12", None, None], meter=meter).errors == [
        "Т1 меньше последних учтенных показаний (50000)"]


def test_consumption_above_the_ceiling_is_refused_with_its_figures():
    # 10 days since 2026-03-08 at 100 kWh a day: 1000 kWh allowed.
    meter = dataclasses.replace(FIVE_DIGITS, last_values=(Decimal(1000), None, None))
    assert verdict(["2000", None, None], meter=meter).ok
    assert verdict(["2000,01", None, None], meter=meter).errors == [
        "Расход 1000,01 кВт·ч больше допустимого: 1000 кВт·ч за 10 дней"]


def test_a_common_house_meter_counts_its_register_difference_times_its_ratio():
    meter = MeterFacts(3, "common_house", "7700123", 1, 6, transformation_ratio=Decimal(40),
                       last_values=(Decimal(100), None, None), last_date=dt.date(2026, 3, 8))
    # 20,000 kWh a day × 10 days = 200,000 kWh = 5,000 register units × 40.
    assert verdict(["5100", None, None], meter=meter).ok
    assert "Расход 200040 кВт·ч" in verdict(["5101", None, None], meter=meter).errors[0]


values = st.one_of(st.none(), st.decimals(min_value=0, max_value=99999, places=2,
                                          allow_nan=False, allow_infinity=False))


@settings(max_examples=300, deadline=None)
@given(zones=st.integers(1, 3), capacity=st.integers(4, 6),
       last=st.tuples(*[st.decimals(0, 9999, places=2) for _ in range(3)]),
       new=st.tuples(values, values, values), days=st.integers(1, 40))
def test_no_reading_below_the_last_passes_but_a_rollover_within_the_ceiling(
        zones, capacity, last, new, days):
    meter = MeterFacts(9, "individual", "9", zones, capacity,
                       last_values=tuple(last[i] if i < zones else None for i in range(3)),
                       last_date=TODAY - dt.timedelta(days=days))
    result = check_submission(meter, TODAY, list(new), RULES, TODAY,
                              (TODAY - dt.timedelta(days=days), TODAY))
    if not result.ok:
        return
    for index in range(3):
        value = result.values[index]
        if index >= zones:
            assert value is None  # never a value for a zone the meter lacks
        elif value < meter.last_values[index]:
            wrapped = value + Decimal(10) ** capacity - meter.last_values[index]
            assert wrapped <= RULES.kwh_per_day_individual * days
            assert "переход счетчика через ноль" in result.note


# --- numbers as spreadsheets store them (docs/spec.md §13.2) -------------------------------

# A one-zone meter of 9 digits with no accounted reading: only the value's own checks apply.
NINE_DIGITS = MeterFacts(meter_id=2, kind="individual", number="9", zones=1, capacity=9)


def _as_text(x: float) -> str:
    """A float as a CSV or a person writes it: every digit, a decimal comma, no exponent."""
    return format(Decimal(repr(x)), "f").replace(".", ",")


def _first_value(raw, rules=RULES):
    result = check_submission(NINE_DIGITS, TODAY, [raw, None, None], rules, TODAY, WINDOW)
    return result.values[0], result.errors


@pytest.mark.parametrize("raw, expected", [
    (16431.87 + 0.01, Decimal("16431.88")),            # 16431.879999999997, a formula's sum
    ("16431,879999999997", Decimal("16431.88")),       # the same float written out as text
    (0.1 + 0.2, Decimal("0.3")),                       # 0.30000000000000004: noise upwards
    (1.1 * 3, Decimal("3.3")),                         # 3.3000000000000003
    (0.3 - 0.1, Decimal("0.2")),                       # 0.19999999999999998: noise downwards
    (0.1 + 0.2 - 0.3, Decimal(0)),                     # 5.551115123125783e-17
    (0.3 - 0.2 - 0.1, Decimal(0)),                     # -2.7755575615628914e-17: not negative
    ("12,3400001", Decimal("12.34")),                  # 1e-7 off
    ("12,340001", Decimal("12.34")),                   # 1e-6 off: still within
])
def test_a_value_within_a_millionth_of_two_decimals_is_that_number(raw, expected):
    value, errors = _first_value(raw)
    assert (value, errors) == (expected, [])
    assert fraction_digits(value) <= 2


@pytest.mark.parametrize("raw", ["12,3400011", "12,345", 16431.875, "0,000002", "-0,000002"])
def test_a_value_further_than_a_millionth_keeps_its_verdict(raw):
    value, errors = _first_value(raw)
    assert value == parse_kwh(raw)
    assert errors in (["Т1: больше 2 знаков после запятой"],
                      ["Т1: отрицательное значение"])


def test_the_noise_is_measured_against_the_allowed_fraction_digits():
    whole = dataclasses.replace(RULES, fraction_digits=0)
    assert _first_value(16430.000000000002, whole) == (Decimal(16430), [])
    assert _first_value(16431.879999999997, whole)[1] == ["Т1: должно быть целым числом"]
    four = dataclasses.replace(RULES, fraction_digits=4)
    assert _first_value(0.1234 + 0.0001, four) == (Decimal("0.1235"), [])


@settings(max_examples=500, deadline=None)
@given(v=st.floats(0, 1e7), e=st.floats(-0.999e-6, 0.999e-6), as_text=st.booleans())
def test_any_float_within_a_millionth_of_two_decimals_is_accepted_as_them(v, e, as_text):
    # Below 1e7 a float's own rounding (half an ulp, under 1e-9) cannot carry x past 1e-6.
    x = round(v, 2) + e
    value, errors = _first_value(_as_text(x) if as_text else x)
    assert errors == []
    assert value == Decimal(repr(round(v, 2))).quantize(Decimal("0.01"))
    assert fraction_digits(value) <= 2


@settings(max_examples=500, deadline=None)
@given(v=st.floats(1, 1e7), e=st.floats(2e-6, 0.0049), down=st.booleans(),
       as_text=st.booleans())
def test_any_float_clearly_off_two_decimals_is_refused_as_before(v, e, down, as_text):
    x = round(v, 2) + (-e if down else e)
    value, errors = _first_value(_as_text(x) if as_text else x)
    assert errors == ["Т1: больше 2 знаков после запятой"]
    assert value == Decimal(repr(x))


@pytest.mark.parametrize("name, text", [
    ("period_start_day", "+23"), ("period_start_day", "-0"), ("period_start_day", "2e1"),
    ("period_start_day", "٣"), ("period_start_day", "1_0"), ("common_house_end_day", "２６"),
    ("kwh_per_day_individual", "-0"), ("kwh_per_day_individual", "+100"),
    ("plausibility_factor", "1_5"), ("plausibility_margin_kwh", "")])
def test_a_setting_is_digits_and_nothing_else(name, text):
    from lkk_integration.errors import ValidationError
    from lkk_integration.readings.rules import validate_rules

    with pytest.raises(ValidationError, match="не число"):
        validate_rules({name: text}, RULES)
