"""What a buffer row's verdict depends on, as one short text: «Отправить верные» checks again
only the rows whose facts changed since the upload (docs/spec.md §11.1).

A valid row's verdict (readings/checks.py, check_submission) depends on its own values and date,
which the buffer keeps, and on facts that may change between the upload and the send: the
meter's kind, zones, capacity, transformation ratio and verification due date, its last
accounted reading's values and date, whether the organization still serves it (the meter not
archived, its house the organization's and not removed), the rules of the checks and the
period's window, and today's date. The upload stores `verdict_fingerprint` of the first
five groups in upload_row.fingerprint; the send renders the same text in SQL from the meters
as they are now (`current_fingerprint`), and only rows where the two differ, the meter is
no longer served, or the reading date is after today are checked again in Python.

The two renderings must agree character for character, or every row is checked again (slower,
never wrong): numbers with the four fraction digits every stored kWh and ratio has
(NUMERIC(18, 4)), dates as YYYY-MM-DD, the kind by its first letter.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from decimal import Decimal

from sqlalchemy import Date, String, Text, case, cast, func, literal, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from lkk_integration.readings.checks import MeterFacts
from lkk_integration.readings.rules import ReadingRules

# NUMERIC(18, 4): every kWh value and ratio the database keeps has at most 4 fraction digits,
# and PostgreSQL renders it with exactly 4.
_FOUR = Decimal("0.0001")
_ZEROS = "0000"


def rules_fingerprint(rules: ReadingRules, window: tuple[dt.date, dt.date]) -> str:
    """12 hex digits naming the rules of the checks (every field of ReadingRules) and the
    period's first and last date: any change makes every row's fingerprint differ."""
    text = repr((dataclasses.astuple(rules), window[0].isoformat(), window[1].isoformat()))
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def _kwh(value: Decimal | None) -> str:
    return "" if value is None else str(value.quantize(_FOUR))


def _day(value: dt.date | None) -> str:
    return "" if value is None else value.isoformat()


def verdict_fingerprint(facts: MeterFacts, rules_tag: str) -> str:
    """The fingerprint of a row checked against `facts` under the rules named by `rules_tag`
    (rules_fingerprint): text of at most 140 characters, for upload_row.fingerprint."""
    t1, t2, t3 = facts.last_values
    return (f"{rules_tag}|{facts.kind[:1]}|{facts.zones}|{facts.capacity}|"
            f"{_kwh(facts.transformation_ratio)}|{_day(facts.verification_due)}|"
            f"{_kwh(t1)}|{_kwh(t2)}|{_kwh(t3)}|{_day(facts.last_date)}")


def _sql_kwh(column, dialect: str) -> ColumnElement:
    """A Kwh column as _kwh renders it: PostgreSQL's numeric text has 4 fraction digits; SQLite
    keeps the decimal's own text (db.Kwh), padded or cut to 4 fraction digits here."""
    if dialect == "postgresql":
        text = cast(column, Text)
    else:
        raw = type_coerce(column, String)
        point = func.instr(raw, ".")
        text = case((point == 0, raw + "." + _ZEROS),
                    else_=func.substr(raw + _ZEROS, 1, point + 4))
    return func.coalesce(text, "")


def _sql_day(column, dialect: str) -> ColumnElement:
    """A date column as _day renders it (SQLite keeps dates as YYYY-MM-DD text)."""
    text = func.to_char(type_coerce(column, Date), "YYYY-MM-DD") if dialect == "postgresql" \
        else type_coerce(column, String)
    return func.coalesce(text, "")


def current_fingerprint(dialect: str, rules_tag: str, meter, last) -> ColumnElement:
    """verdict_fingerprint rendered in SQL from a meter's columns as they are now: `meter` the
    Meter entity (or an alias), `last` an alias of Reading joined on the meter's
    last_accounted_reading_id (outer), `dialect` 'sqlite' or 'postgresql'."""
    parts = [func.substr(meter.kind, 1, 1), cast(meter.zones, Text), cast(meter.capacity, Text),
             _sql_kwh(meter.transformation_ratio, dialect),
             _sql_day(meter.verification_due, dialect), _sql_kwh(last.t1, dialect),
             _sql_kwh(last.t2, dialect), _sql_kwh(last.t3, dialect),
             _sql_day(last.reading_date, dialect)]
    text = literal(rules_tag, String)
    for part in parts:
        text = text + "|" + type_coerce(part, String)
    return text
