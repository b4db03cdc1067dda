"""The readings rule set, the period and Russian numerals, as pure functions (no database)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lkk_integration import messages as msg
from lkk_integration.checks import MeterFacts, ValueUnreadable, check_submission, parse_kwh
from lkk_integration.rules import ReadingRules, period_state

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


@pytest.mark.parametrize("raw", ["12a", "1.2.3", "1e5", "--1", float("nan"), True, "один"])
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
])
def test_each_rule_names_the_zone(values, errors):
    assert verdict(values).errors == errors


@pytest.mark.parametrize("date, error", [
    (None, "Не указана дата показания"),
    ("32.03.2026", "Дата показания не распознана"),
    (dt.date(2026, 3, 21), "Дата показания в будущем"),
    (dt.date(2026, 2, 19), "Дата показания раньше даты последних учтенных показаний"),
    (dt.date(2026, 3, 14), "Дата показания вне периода передачи показаний"),
])
def test_reading_date_rules(date, error):
    assert verdict(["520", "310", None], date=date).errors == [error]


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
