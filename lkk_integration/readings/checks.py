"""The readings checks: one rule set for manual entry, file upload and SOAP (docs/spec.md §13.1).

Pure functions over plain values; no database. Each failing check gives a short Russian reason
naming the zone or field (texts in `messages`).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Protocol

from lkk_integration import messages as msg
from lkk_integration.quantities import fraction_digits, integer_digits, without_float_noise
from lkk_integration.readings.plausibility import JUDGED_FROM, judge
from lkk_integration.readings.reasons import Reasons
from lkk_integration.readings.rules import ReadingRules

ZONES = msg.ZONE_LABELS

# The stable machine codes of the checks' refusals and remarks, as programs read them
# (docs/spec.md §21.2); the texts are for people and may change.
REFUSALS = ("no_readings", "zone_extra", "zone_missing", "not_a_number", "negative",
            "fraction_digits", "integer_digits", "lower_than_last", "above_ceiling",
            "date_missing", "date_unreadable", "date_in_future", "date_before_last",
            "date_outside_period", "verification_expired", "not_read_unknown",
            "not_read_with_values")
REMARKS = ("check_note", "rollover")

# Group separators people and programs put inside numbers: space, no-break, narrow no-break,
# thin. Line breaks and tabs are not separators.
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]+")
# ASCII digits only: «٣٤٠٠» or «３４００» is not what a meter shows.
_NUMBER = re.compile(r"[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)")
# As people and programs write dates: 10.04.2014, 10.04.14, 2014-04-10, 10/04/2014,
# 2014/04/10 (Gnumeric's CSV), 10-04-2014, 2014.04.10; a trailing «г.» is dropped.
_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y",
                 "%Y.%m.%d")
_YEAR_MARK = re.compile(r"\s*г\.?$")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?"
                           r"(Z|[+-][0-9]{2}:?[0-9]{2})?")


class MeterRowFacts(Protocol):
    """MeterFacts' attributes that quick_check reads."""

    kind: str
    zones: int
    capacity: int
    transformation_ratio: Decimal
    verification_due: dt.date | None
    last_values: tuple[Decimal | None, Decimal | None, Decimal | None]
    last_date: dt.date | None
    typical: tuple[Decimal | None, Decimal | None, Decimal | None]
    typical_intervals: int


class ValueUnreadable(ValueError):
    """A reading value that is not a number."""


@dataclass(frozen=True)
class MeterFacts:
    """What the checks need to know of a meter and its last accounted reading."""

    meter_id: int
    kind: str
    number: str
    zones: int
    capacity: int
    transformation_ratio: Decimal = Decimal(1)
    verification_due: dt.date | None = None
    last_values: tuple[Decimal | None, Decimal | None, Decimal | None] = (None, None, None)
    last_date: dt.date | None = None
    # Its typical consumption per zone, kWh per day, and the intervals it was learnt from
    # (readings/plausibility.py, docs/spec.md §13.10).
    typical: tuple[Decimal | None, Decimal | None, Decimal | None] = (None, None, None)
    typical_intervals: int = 0


@dataclass
class Verdict:
    """The outcome of checking one reading: parsed values, errors (reasons) and remarks."""

    values: list[Decimal | None]
    reading_date: dt.date | None
    errors: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    # The input each error is about, as the contract names it (T1, ReadingDate; "" for the
    # reading as a whole): a SOAP fault names the field, not only the item.
    fields: list[str] = field(default_factory=list)
    # A valid reading far from the meter's typical consumption (docs/spec.md §13.10): also
    # among the remarks.
    check_note: str | None = None
    # The code of the reason given instead of values (docs/spec.md §13.11), None with values.
    not_read: str | None = None
    # Each error's and each remark's stable machine code (REFUSALS, REMARKS), for programs.
    codes: list[str] = field(default_factory=list)
    remark_codes: list[str] = field(default_factory=list)

    def refuse(self, code: str, reason: str, about: str = "") -> None:
        """Add an error: `code` one of REFUSALS, `reason` for people, `about` the input at
        fault."""
        self.codes.append(code)
        self.errors.append(reason)
        self.fields.append(about)

    def remark(self, code: str, text: str) -> None:
        """Add a remark: `code` one of REMARKS, `text` for people."""
        self.remark_codes.append(code)
        self.remarks.append(text)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def note(self) -> str | None:
        """The «Примечание» shown to people: the errors, else the remarks; '; '-joined."""
        return "; ".join(self.errors or self.remarks) or None


def parse_kwh(raw: object) -> Decimal | None:
    """A reading value from what a person or a spreadsheet gave: None when empty.

    Accepts numbers, and text with a decimal comma or point and spaces (also no-break) inside:
    «12 345,6» → Decimal('12345.6'). Floats go through their shortest repr, so a cell holding
    12345.67 gives exactly 12345.67. Raises ValueUnreadable for anything else.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueUnreadable(raw)
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueUnreadable(raw)
        return Decimal(repr(raw))
    text = _SPACES.sub("", str(raw).strip(" \t\r\n\u00a0")).replace(",", ".")
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise ValueUnreadable(raw)
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only valid text
        raise ValueUnreadable(raw) from exc


def parse_reading_date(raw: object) -> dt.date | None:
    """A reading date from a date, a datetime or text «10.04.2014» / «2014-04-10»; None when empty.

    Raises ValueError when the text is not a date. Spreadsheet serial numbers are converted by
    the intake, which knows the workbook's date system.
    """
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    if not text:
        return None
    if _ISO_DATETIME.fullmatch(text):
        # An instant as programs write it (1C: «2026-12-06T00:00:00»): its date, as
        # «10.04.2014 0:00:00» gives its own.
        text = text[:10]
    if _ISO_DATE.fullmatch(text):
        # ISO, as programs send it (the API): one parse, not three formats tried in turn.
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass  # «2014-4-1x»: the formats below decide
    text = _YEAR_MARK.sub("", text.split()[0])  # «10.04.2014 0:00:00», «10.04.2014г.»
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(raw)


def check_values(meter: MeterFacts, raw_values: list[object], rules: ReadingRules,
                 verdict: Verdict) -> None:
    """Format, zone and capacity checks of T1..T3 (also applied to the billing's readings).

    `raw_values` holds three items (T1, T2, T3), each as given. Fills verdict.values and
    appends reasons to verdict.errors. A value within 1e-6 of a number with the allowed
    fraction digits is that number (a spreadsheet's float noise, docs/spec.md §13.2).
    """
    parsed: list[Decimal | None] = []
    unreadable = []
    for zone, raw in zip(ZONES, raw_values, strict=False):
        try:
            value = parse_kwh(raw)
            parsed.append(None if value is None
                          else without_float_noise(value, rules.fraction_digits))
        except ValueUnreadable:
            parsed.append(None)
            unreadable.append(zone)
    verdict.values = parsed
    if not unreadable and all(v is None for v in parsed):
        verdict.refuse("no_readings", msg.NO_READINGS)
        return
    # Every zone is checked, so that one pass fixes them all.
    for index, (zone, value) in enumerate(zip(ZONES, parsed, strict=False)):
        about = f"T{index + 1}"
        if index >= meter.zones:
            if value is not None or zone in unreadable:
                verdict.refuse("zone_extra", msg.zone_extra(zone, meter.zones), about)
            continue
        if zone in unreadable:
            verdict.refuse("not_a_number", msg.not_a_number(zone), about)
            continue
        if value is None:
            verdict.refuse("zone_missing", msg.zone_missing(zone), about)
            continue
        if value < 0:
            verdict.refuse("negative", msg.negative(zone), about)
            continue
        if fraction_digits(value) > rules.fraction_digits:
            verdict.refuse("fraction_digits",
                           msg.too_many_fraction_digits(zone, rules.fraction_digits), about)
        if integer_digits(value) > meter.capacity:
            verdict.refuse("integer_digits", msg.too_many_integer_digits(zone, meter.capacity),
                           about)


def check_submission(meter: MeterFacts, raw_date: object, raw_values: list[object],
                     rules: ReadingRules, today: dt.date,
                     period_window: tuple[dt.date, dt.date],
                     not_read: str | None = None, reasons: Reasons | None = None) -> Verdict:
    """The whole rule set for a reading submitted by an organization (manual entry or file).

    `today` is the Moscow date; `period_window` the first and last date of the open period.
    `not_read` is a reason given instead of values (its name or code, found in `reasons`,
    docs/spec.md §13.11): then the values must be empty, the date is checked as a reading's,
    and the verdict's not_read is the reason's code. Returns a Verdict; never raises on bad
    input.
    """
    verdict = Verdict(values=[None, None, None], reading_date=None)
    given = not_read.strip() if isinstance(not_read, str) else ""
    empty = all(raw is None or (isinstance(raw, str) and not raw.strip())
                for raw in raw_values)
    if given:
        verdict.not_read = reasons.find(given) if reasons is not None else None
        if verdict.not_read is None:
            # A code from a form opened before the reason was taken off: named as people saw it.
            shown = reasons.names.get(given, given) if reasons is not None else given
            verdict.refuse("not_read_unknown", msg.not_read_unknown(
                shown, reasons.offered_names if reasons else []), "NotReadReason")
        if not empty:
            verdict.refuse("not_read_with_values", msg.NOT_READ_WITH_VALUES, "NotReadReason")
        _check_date(meter, raw_date, today, period_window, verdict)
        return verdict
    if empty:
        # A template row left as it was: one reason, not a list of consequences (docs/spec.md
        # §13.2).
        verdict.refuse("no_readings", msg.NO_READINGS)
        return verdict
    _check_date(meter, raw_date, today, period_window, verdict)
    check_values(meter, raw_values, rules, verdict)
    if verdict.errors:
        return verdict
    check_consumption(meter, verdict, rules)
    if not verdict.errors:
        check_plausibility(meter, verdict, rules)
    return verdict


def _check_date(meter: MeterFacts, raw_date: object, today: dt.date,
                period_window: tuple[dt.date, dt.date], verdict: Verdict) -> None:
    """The reading date's checks (docs/spec.md §13.5, §13.6): sets verdict.reading_date."""
    try:
        verdict.reading_date = parse_reading_date(raw_date)
    except ValueError:
        verdict.refuse("date_unreadable", msg.DATE_UNREADABLE, "ReadingDate")
        return
    reading_date = verdict.reading_date
    if reading_date is None:
        verdict.refuse("date_missing", msg.DATE_MISSING, "ReadingDate")
    elif reading_date > today:
        verdict.refuse("date_in_future", msg.DATE_IN_FUTURE, "ReadingDate")
    elif meter.last_date is not None and reading_date < meter.last_date:
        verdict.refuse("date_before_last", msg.DATE_BEFORE_LAST, "ReadingDate")
    elif not period_window[0] <= reading_date <= period_window[1]:
        verdict.refuse("date_outside_period", msg.date_outside_period(*period_window),
                       "ReadingDate")
    elif meter.verification_due is not None and reading_date > meter.verification_due:
        verdict.refuse("verification_expired", msg.verification_expired(meter.verification_due),
                       "ReadingDate")


def check_plausibility(meter: MeterFacts | MeterRowFacts, verdict: Verdict,
                       rules: ReadingRules) -> None:
    """A valid reading far from the meter's typical consumption gets the note asking to check
    it, as a remark and its check_note (docs/spec.md §13.10; readings/plausibility.py)."""
    note = judge_meter(meter, verdict.reading_date, (*verdict.values, None, None, None)[:3],
                       rules)
    if note is not None:
        verdict.check_note = note
        verdict.remark("check_note", note)


def judge_meter(meter: MeterFacts | MeterRowFacts, reading_date: dt.date,
                values: tuple[Decimal | None, Decimal | None, Decimal | None],
                rules: ReadingRules) -> str | None:
    """plausibility.judge of a reading of `meter` (its history, ratio, zones and capacity) by
    the rules' factor and margin: the «Проверьте: …» note, or None (docs/spec.md §13.10)."""
    if meter.typical_intervals < JUDGED_FROM:
        return None
    return judge(meter.typical, meter.typical_intervals, meter.last_date, meter.last_values,
                 reading_date, values, meter.transformation_ratio or Decimal(1),
                 rules.plausibility_factor, rules.plausibility_margin_kwh, meter.zones,
                 meter.capacity)


def ceiling_kwh(meter: MeterFacts, rules: ReadingRules, days: int) -> Decimal:
    """The most a meter may have consumed in `days` (at least one), in kWh."""
    per_day = (rules.kwh_per_day_common_house if meter.kind == "common_house"
               else rules.kwh_per_day_individual)
    return per_day * max(days, 1)


def zone_kwh(last: Decimal, value: Decimal, capacity: int, ratio: Decimal,
             ceiling: Decimal) -> Decimal | None:
    """The kWh one zone used from its reading `last` to `value`: the register difference ×
    the transformation `ratio`; None when the register went down and is no plausible rollover.

    A zone that went down rolled over past its `capacity` (integer digits) when its wrapped
    difference (value + 10^capacity − last) × ratio is within `ceiling` kWh (docs/spec.md
    §13.3): 99990 → 12 on a 5-digit register is 22. The checks and the consumption chart
    (readings/consumption.py) both count a zone so.
    """
    difference = value - last
    if difference < 0:
        difference += Decimal(10) ** capacity
        if difference * ratio > ceiling:
            return None
    return difference * ratio


def check_consumption(meter: MeterFacts, verdict: Verdict, rules: ReadingRules) -> None:
    """Against the last accounted reading: no zone lower (unless a plausible rollover past the
    register's capacity), and the consumption within the ceiling (docs/spec.md §13.3, §13.4).

    Consumption in kWh is the register difference × the transformation ratio (1 for an
    individual meter), summed over zones; the ceiling is kWh per day × days since the last
    accounted reading. A zone that went down is a rollover when its wrapped difference
    (value + 10^capacity − last) keeps the consumption within the ceiling; it is accepted with a
    remark.
    """
    if verdict.reading_date is None or meter.last_date is None:
        days = 1
    else:
        days = (verdict.reading_date - meter.last_date).days
    ceiling = ceiling_kwh(meter, rules, days)
    ratio = meter.transformation_ratio or Decimal(1)
    total = Decimal(0)
    rollovers = []
    for zone, value, last in zip(ZONES, verdict.values, meter.last_values, strict=False):
        if value is None or last is None:
            continue
        kwh = zone_kwh(last, value, meter.capacity, ratio, ceiling)
        if kwh is None:
            verdict.refuse("lower_than_last", msg.lower_than_last(zone, last),
                           f"T{ZONES.index(zone) + 1}")
            continue
        if value < last:
            rollovers.append(msg.rollover(zone, last, value))
        total += kwh
    if verdict.errors:
        return
    if total > ceiling:
        verdict.refuse("above_ceiling", msg.above_ceiling(total, ceiling, max(days, 1)))
        return
    for rollover in rollovers:
        verdict.remark("rollover", rollover)


def quick_check(meter: MeterFacts | MeterRowFacts, raw_date: object, raw_values: list[object],
                rules: ReadingRules, today: dt.date, period_window: tuple[dt.date, dt.date],
                ceilings: dict[tuple[str, int], Decimal],
                ) -> tuple[dt.date, list[Decimal | None]] | None:
    """(reading date, values) of a reading that passes every check of check_submission with no
    remark, found without building a Verdict; None when check_submission must decide (an
    error, a remark, a value that is neither a plain float nor a whole number, a date that is
    not a date cell).

    For the rows it accepts the values are exactly check_submission's (a float's shortest repr
    as a Decimal, docs/spec.md §13.2) and its verdict would have no error and no remark: the
    same date, zone, digit and consumption checks (docs/spec.md §13.1–§13.4), only the
    passing branch of each. `ceilings` caches ceiling_kwh by (meter kind, days) across rows.
    `meter` is a MeterFacts or anything with its attributes (readings/period.py's MeterRow,
    which spares a file's check one MeterFacts per row).
    """
    kind = type(raw_date)
    if kind is dt.datetime:
        reading_date = raw_date.date()
    elif kind is dt.date:
        reading_date = raw_date
    else:
        return None
    last_date, due = meter.last_date, meter.verification_due
    if reading_date > today or (last_date is not None and reading_date < last_date) \
            or not period_window[0] <= reading_date <= period_window[1] \
            or (due is not None and reading_date > due):
        return None
    # More than 4 digits would not be kept (NUMERIC(18, 4)): such a rule goes the long way.
    allowed = min(rules.fraction_digits, 4)
    capacity = min(meter.capacity, 14)
    zones = meter.zones
    values: list[Decimal | None] = [None, None, None]
    for index in range(3):
        raw = raw_values[index]
        if index >= zones:
            if raw is not None:
                return None
            continue
        cell = type(raw)
        if cell is int:
            # A whole number as a reader gives it (an .xls keeps 215090 so): its Decimal is
            # parse_kwh's, with no fraction to round.
            if raw < 0 or len(str(raw)) > capacity:
                return None
            values[index] = Decimal(raw)
            continue
        if cell is not float:
            return None
        # A plain float's digits, read from its shortest repr (no exponent, not negative, not
        # -0.0, nan or inf) as fraction_digits and integer_digits count those of its Decimal;
        # more fraction digits than allowed is float noise to round, or an error.
        text = repr(raw)
        if "e" in text or "n" in text or text[0] == "-":
            return None
        whole, _dot, fraction = text.partition(".")
        if len(fraction.rstrip("0")) > allowed or (len(whole.lstrip("0")) or 1) > capacity:
            return None
        values[index] = Decimal(text)
    days = 1 if last_date is None else (reading_date - last_date).days
    ceiling = ceilings.get((meter.kind, days))
    if ceiling is None:
        ceiling = ceilings[(meter.kind, days)] = ceiling_kwh(meter, rules, days)
    ratio = meter.transformation_ratio or Decimal(1)
    total = Decimal(0)
    for value, last in zip(values, meter.last_values, strict=False):
        if value is None or last is None:
            continue
        if value < last:  # lower, or a rollover (a remark): the long way
            return None
        total += (value - last) * ratio
    if total > ceiling:
        return None
    if judge_meter(meter, reading_date, tuple(values), rules) is not None:
        return None  # a remark: the long way
    return reading_date, values
