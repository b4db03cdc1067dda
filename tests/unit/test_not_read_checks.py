"""«Не снято» in the one rule set (docs/spec.md §13.11): a reading is values or a reason on the
list, never both; the reason is found by its name however it is typed, or by its code."""
from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from lkk_integration import messages as msg
from lkk_integration.readings.checks import check_submission
from lkk_integration.readings.reasons import Reason, Reasons, checked_reasons, folded
from tests.unit.test_checks import RULES, TODAY, TWO_ZONE, WINDOW

REASONS = Reasons((Reason("NO_ACCESS", "Нет доступа"), Reason("FAULTY", "ПУ неисправен"),
                   Reason("REMOVED", "ПУ демонтирован")),
                  {"NO_ACCESS": "Нет доступа", "FAULTY": "ПУ неисправен",
                   "REMOVED": "ПУ демонтирован", "OLD": "Снят с учета"})
EMPTY = st.sampled_from([None, "", "  ", "\u00a0"])
VALUE = st.one_of(EMPTY, st.sampled_from(["510", "320,5", 515.0, 700, "x"]))
# The offered names and codes as people type them: letter case, ё, spaces around and inside.
TYPED = st.sampled_from(["Нет доступа", "нет  доступа", " НЕТ ДОСТУПА ", "NO_ACCESS",
                         "no_access", "пу неисправен", "ПУ  НЕИСПРАВЕН", "FAULTY",
                         "ПУ демонтирован", "REMOVED"])
# Not offered: a retired code, other words, a part of a name.
OTHER = st.one_of(st.sampled_from(["OLD", "Снят с учета", "Нет", "доступа нет", "-"]),
                  st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1,
                          max_size=12))


def check(values, reason, date=dt.date(2026, 3, 18)):
    return check_submission(TWO_ZONE, date, values, RULES, TODAY, WINDOW, reason, REASONS)


@given(values=st.lists(EMPTY, min_size=3, max_size=3), typed=TYPED)
def test_a_reason_on_the_list_alone_is_a_valid_reading_without_values(values, typed):
    verdict = check(values, typed)
    assert verdict.ok and verdict.values == [None, None, None]
    assert verdict.not_read == REASONS.find(typed) is not None
    assert folded(typed) in {folded(r.name) for r in REASONS.offered} | \
        {r.code.casefold() for r in REASONS.offered}


@given(values=st.lists(VALUE, min_size=3, max_size=3), typed=st.one_of(TYPED, OTHER))
def test_values_with_a_reason_are_refused_whatever_they_are(values, typed):
    if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
        values[0] = "510"
    verdict = check(values, typed)
    assert not verdict.ok and msg.NOT_READ_WITH_VALUES in verdict.errors


@given(typed=OTHER)
def test_a_reason_off_the_list_is_refused_naming_the_list(typed):
    if REASONS.find(typed) is not None:
        return
    verdict = check([None, None, None], typed)
    # A retired reason's code is named by its name, as people saw it.
    shown = REASONS.names.get(typed.strip(), typed.strip())
    assert verdict.errors == [msg.not_read_unknown(shown, REASONS.offered_names)]
    assert verdict.fields == ["NotReadReason"]


def test_the_date_is_checked_as_a_readings():
    assert check([None, None, None], "FAULTY", None).errors == [msg.DATE_MISSING]
    assert check([None, None, None], "FAULTY", dt.date(2026, 3, 21)).errors == \
        [msg.DATE_IN_FUTURE]
    assert check([None, None, None], "FAULTY", dt.date(2026, 3, 14)).errors == \
        [msg.date_outside_period(*WINDOW)]


def test_without_a_reason_an_empty_reading_is_still_no_reading():
    assert check([None, "", None], None).errors == [msg.NO_READINGS]
    assert check([None, "", None], "   ").errors == [msg.NO_READINGS]


@given(st.lists(st.tuples(st.sampled_from(["A", "a", "B", "b_1", "C-2"]),
                          st.sampled_from(["Нет доступа", "нет доступа", "Ключ", "ключ ",
                                           "Отказ"])), min_size=1, max_size=5))
def test_a_list_with_a_code_or_name_twice_is_refused_else_kept_in_order(given_list):
    codes = [c.casefold() for c, _n in given_list]
    names = [folded(n) for _c, n in given_list]
    repeated = len(set(codes)) < len(codes) or len(set(names)) < len(names)
    try:
        kept = checked_reasons(given_list)
    except Exception as error:  # noqa: BLE001 - what was raised is asserted
        assert repeated and "уже есть в этом списке" in error.message
        return
    assert not repeated
    assert [(r.code, r.name) for r in kept] == [(c, n.strip()) for c, n in given_list]


def test_a_note_names_ten_reasons_then_how_many_more():
    many = Reasons(tuple(Reason(f"R{i}", f"Причина {i}") for i in range(25)), {})
    errors = check_submission(TWO_ZONE, dt.date(2026, 3, 18), [None] * 3, RULES, TODAY, WINDOW,
                              "Потерян ключ", many).errors
    assert errors == ["Причина «Потерян ключ» не из списка причин непередачи показаний: "
                      + ", ".join(f"«Причина {i}»" for i in range(10)) + " и еще 15"]
