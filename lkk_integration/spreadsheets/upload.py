"""The file channel: upload a filled template into the buffer, look at it, send its valid rows
(docs/spec.md §10–§11)."""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import re
import threading
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import (Integer, case, delete, false, func, insert, literal, not_, or_,
                        select, update)
from sqlalchemy.orm import aliased

from lkk_integration import audit
from lkk_integration import messages as msg
from lkk_integration.clock import MOSCOW
from lkk_integration.core import Core
from lkk_integration.db import driver_errors, raw_kwh, to_kwh
from lkk_integration.errors import (BufferGone, SendAgainNotConfirmed, UnreadableFile,
                                   ValidationError)
from lkk_integration.faults import fault_point
from lkk_integration.models import (CHANNEL_BILLING, CHANNEL_FILE, COMMON_HOUSE, INDIVIDUAL,
                                    SOURCE_ORGANIZATION, ContactPerson, House, Meter, Reading,
                                    Upload, UploadRow)
from lkk_integration.outbox import enqueue
from lkk_integration.quantities import fits_stored, without_float_noise
from lkk_integration.readings.checks import (ValueUnreadable, ceiling_kwh, check_submission,
                                             judge_meter, parse_kwh, parse_reading_date,
                                             quick_check)
from lkk_integration.readings.export import record_events
from lkk_integration.readings.fingerprint import current_fingerprint, rules_fingerprint
from lkk_integration.readings.reasons import load_reasons
from lkk_integration.readings.period import (MeterRow, house_addresses, require_open_period,
                                             served_meter_rows, served_meters)
from lkk_integration.spreadsheets.buffer import earlier_upload, gone_buffer_message
from lkk_integration.spreadsheets.intake import (NOTED_KEYS, IntakeLimits, IntakeRow, filled_rows,
                                                 read_sheets, unread_sheets)
from lkk_integration.spreadsheets.layout import COLUMNS
from lkk_integration.text import without_forbidden


def _same(a: str | None, b: str | None) -> bool:
    return a == b or (a or "").strip().lower() == (b or "").strip().lower()


class MeterIndex:
    """Finds the organization's meter a row names, forgiving lost leading zeros when unambiguous.

    Built from served_meter_rows (plain rows, one query): a dict per meter kind from number to
    the row, or to a list of rows when numbers repeat (meters of different accounts); the
    index of numbers without their leading zeros is built only when a row needs it."""

    def __init__(self, meters: list[MeterRow]):
        self.exact: dict[str, dict[str, MeterRow | list[MeterRow]]] = {}
        self._meters = meters
        self._unpadded: dict[tuple[str, str], list[MeterRow]] | None = None
        for meter in meters:
            numbers = self.exact.get(meter.kind)
            if numbers is None:
                numbers = self.exact[meter.kind] = {}
            found = numbers.setdefault(meter.number, meter)
            if found is not meter:
                if type(found) is list:
                    found.append(meter)
                else:
                    numbers[meter.number] = [found, meter]

    @property
    def unpadded(self) -> dict[tuple[str, str], list[MeterRow]]:
        if self._unpadded is None:
            self._unpadded = defaultdict(list)
            for meter in self._meters:
                self._unpadded[(meter.kind, meter.number.lstrip("0"))].append(meter)
        return self._unpadded

    def find(self, row: IntakeRow) -> tuple[MeterRow | None, str | None, str | None]:
        """(meter, error, remark) for the row's meter number, account and apartment; the
        remark (leading zeros restored) comes with an error too."""
        number = row.meter_number or ""
        found = self.exact.get(row.kind, {}).get(number)
        if found is not None and type(found) is not list:
            # The common case, one meter of that number: no list, no narrowing.
            meter = found
            if row.account and not _same(meter.account_number, row.account):
                return meter, msg.METER_NOT_OF_ACCOUNT, None
            if row.apartment and not _same(meter.apartment, row.apartment):
                return meter, msg.METER_NOT_OF_APARTMENT, None
            return meter, None, None
        remark = None
        candidates = found or []
        if not candidates and number.isdigit():
            # Only zeros the spreadsheet dropped are restored: the meter's number is longer.
            candidates = [m for m in self.unpadded.get((row.kind, number.lstrip("0")), [])
                          if len(m.number) > len(number)]
            if candidates:
                remark = msg.meter_leading_zeros_restored(number=candidates[0].number)
        if not candidates:
            return None, msg.METER_UNKNOWN, None
        if len(candidates) > 1:
            narrowed = [m for m in candidates
                        if (not row.account or _same(m.account_number, row.account))
                        and (not row.apartment or _same(m.apartment, row.apartment))]
            if len(narrowed) != 1:
                return None, msg.METER_AMBIGUOUS, None
            candidates = narrowed
            if remark:
                remark = msg.meter_leading_zeros_restored(number=candidates[0].number)
        meter = candidates[0]
        if row.account and not _same(meter.account_number, row.account):
            return meter, msg.METER_NOT_OF_ACCOUNT, remark
        if row.apartment and not _same(meter.apartment, row.apartment):
            return meter, msg.METER_NOT_OF_APARTMENT, remark
        return meter, None, remark


_TITLES = dict(COLUMNS[INDIVIDUAL])
# A check's «not given» and the cells it is about.
_NOT_GIVEN = {msg.NO_READINGS: ("t1", "t2", "t3"), msg.DATE_MISSING: ("reading_date",),
              msg.METER_UNKNOWN: ("meter_number",),
              **{msg.zone_missing(_TITLES[k]): (k,) for k in ("t1", "t2", "t3")}}


def _formulas_explained(errors: list[str], row: IntakeRow) -> list[str]:
    """The errors, where a «not given» is about a cell holding a formula with no saved value,
    with one note instead naming every such cell of the row (docs/spec.md §14.2: a doubtful
    row says so). A formula cell nobody needs (T3 of a one-zone meter) gives no note."""
    if not row.no_value:
        return errors
    kept = [e for e in errors if not row.no_value.intersection(_NOT_GIVEN.get(e, ()))]
    if len(kept) == len(errors):
        return errors
    at = next(i for i, e in enumerate(errors) if e not in kept)
    kept.insert(at, msg.formula_without_value(
        [_TITLES[k] for k in NOTED_KEYS if k in row.no_value]))
    return kept


def shown_file_name(name: str | None) -> str:
    """The name of an uploaded file as the buffer and the receipt show it: the last part of a
    path a browser sent («C:\\Users\\…\\показания.xls» → «показания.xls»), without control
    or invisible characters (lkk_integration/text.py) or line breaks, at most 255 characters
    keeping the extension."""
    name = without_forbidden(re.split(r"[\\/]", name or "")[-1], one_line=True).strip() \
        or msg.UNNAMED_FILE
    if len(name) > 255:
        stem, dot, extension = name.rpartition(".")
        name = (stem[:250 - len(extension)] + "…" + dot + extension) if dot and \
            len(extension) <= 10 else name[:254] + "…"
    return name


def _fit(text: str | None, length: int) -> str | None:
    """A file's text cut to its column's length (with … when cut): a file says what it likes."""
    if text is None or len(text) <= length:
        return text
    return text[:length - 1] + "…"


def _shown(value: object, fraction: int | None = None) -> str | None:
    """A cell as it is shown back in the buffer: 215090.0 → '215090', a date → 10.04.2014.

    A reading value (`fraction`: the digits allowed after the point) within 1e-6 of a number
    with those digits is shown as that number, as the checks read it: 16431.879999999997 →
    '16431,88' (docs/spec.md §13.2)."""
    if value is None:
        return None
    if fraction is not None and type(value) is float:
        # The common cell, a plain float (no exponent, not negative) with no float noise to
        # take away: shown as the float branch below shows it, read from its repr without a
        # Decimal (as readings/checks.py's quick_check reads it).
        text = repr(value)
        if "e" not in text and "n" not in text and text[0] != "-":
            whole, _dot, digits = text.partition(".")
            if len(digits.rstrip("0")) <= fraction:
                return whole if digits == "0" and value < 1e15 else text.replace(".", ",")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    if fraction is not None and isinstance(value, (float, str)):
        try:
            number = parse_kwh(value)
        except ValueUnreadable:
            number = None
        if number is not None and (rounded := without_float_noise(number, fraction)) != number:
            return format(rounded, "f").replace(".", ",")
    if isinstance(value, float):
        # The number itself, never exponent notation: 215090.0 is 215090, and 1e+30 is its 31
        # digits, so that the errors file read back gets the same verdict (exponent text is
        # no reading: a CSV's «1,23457E+11» is a rounded one).
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else \
            format(Decimal(repr(value)), "f")
        # Past the column's 50 characters (1e+300) the notation is all that can be shown.
        return (text if len(text) <= 50 else repr(value).upper()).replace(".", ",")
    return str(value).strip()[:50]


def _date_for_undated(raw: object, period) -> dt.date | None:
    """The upload form's «Дата показаний для строк без даты» as typed (a date, «2026-03-18»,
    «18.03.2026»; empty: None): a date a reading may have today, inside the open period and
    not after today (docs/spec.md §10, §13.6); raises ValidationError otherwise."""
    try:
        date = parse_reading_date(raw)
    except ValueError:
        raise ValidationError(msg.FORM_DATE_UNREADABLE, "reading_date") from None
    first, last = period.dates
    last = min(last, period.today)
    if date is not None and not first <= date <= last:
        raise ValidationError(msg.form_date_outside(date, first, last), "reading_date")
    return date


# Uploads under way in this process while the cyclic garbage collector is paused for them, and
# whether it was on before the first of them.
_collector = {"uploads": 0, "was_enabled": False}
_collector_lock = threading.Lock()


@contextmanager
def _collector_paused():
    """The cyclic garbage collector off for the block (back on when the last upload under way
    ends): a 65,535-row file makes about a million objects, none of them in a cycle, and the
    collector's passes over them cost a sixth of the upload (bench/spreadsheets.py)."""
    with _collector_lock:
        _collector["uploads"] += 1
        if _collector["uploads"] == 1:
            _collector["was_enabled"] = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _collector_lock:
            _collector["uploads"] -= 1
            if _collector["uploads"] == 0 and _collector["was_enabled"]:
                gc.enable()


def upload_readings_file(core: Core, person_id: int, organization_id: int, file_name: str,
                         data: bytes, date_for_undated: object = None) -> int:
    """Read and check an uploaded file; its rows become the organization's buffer. Returns the
    upload's id.

    `date_for_undated` (the form's «Дата показаний для строк без даты», docs/spec.md §10) is
    the reading date of rows with readings and no date, each noting it. Raises PeriodClosed
    outside the period, ValidationError for a form date a reading may not have, and
    UnreadableFile when the file cannot be used (then nothing is written and the previous
    buffer stays).
    """
    # Decided at the instant the upload began (docs/spec.md §5.1): a large file read across
    # the close still becomes the buffer of the period it came in.
    began = core.clock.now()
    with core.uow() as uow:
        undated = _date_for_undated(date_for_undated,
                                    require_open_period(uow.session, core, began))
    config = core.config
    limits = IntakeLimits(max_bytes=config.upload_max_bytes, max_rows=config.upload_max_rows,
                          max_sheets=config.upload_max_sheets,
                          max_unzipped_bytes=config.upload_max_unzipped_bytes)
    sheets = read_sheets(data, limits)
    # The rows are made, checked and stored with the cyclic collector paused (they make about
    # a million objects, none in a cycle; the collector's passes over them cost a fifth of
    # the upload); the file's reading is not, so that what the reader leaves in cycles is
    # freed before.
    with _collector_paused():
        intake = list(filled_rows(sheets))
        if not intake:
            raise UnreadableFile(msg.FILE_NO_ROWS)
        unread = unread_sheets(sheets)
        del sheets
        return _checked_upload(core, person_id, organization_id, file_name, data, began,
                               undated, intake, unread)


def _checked_upload(core: Core, person_id: int, organization_id: int, file_name: str,
                    data: bytes, began: dt.datetime, undated: dt.date | None,
                    intake: list[IntakeRow], unread: list[str]) -> int:
    """upload_readings_file's checks and storage of the rows read (`intake`), in one
    transaction: the new buffer's id."""
    with core.uow() as uow:
        session = uow.session
        period = require_open_period(session, core, began)
        # Each meter's fingerprint of the facts its rows' verdicts depend on comes with it,
        # rendered by the database as the send renders it (docs/spec.md §11.1).
        index = MeterIndex(served_meter_rows(
            session, organization_id, rules_fingerprint(period.rules, period.window)))
        addresses = {house_id: _fit(address, 500) for house_id, address
                     in house_addresses(session, organization_id).items()}
        found = [index.find(row) for row in intake]
        # Where each meter named on several rows is (docs/spec.md §13.8: the same meter
        # twice in one file); the first valid row stands, the later ones are «повторно».
        first_at: dict[int, int] = {}
        places: dict[int, list[tuple[str, int]]] = {}
        for at, (meter, _error, _remark) in enumerate(found):
            if meter is None:
                continue
            first = first_at.setdefault(meter.meter_id, at)
            if first != at:
                where = places.get(meter.meter_id)
                if where is None:
                    where = places[meter.meter_id] = [(intake[first].sheet,
                                                       intake[first].row_number)]
                where.append((intake[at].sheet, intake[at].row_number))
        del first_at
        upload = Upload(organization_id=organization_id, person_id=person_id,
                        file_name=shown_file_name(file_name), size_bytes=len(data),
                        content_sha256=hashlib.sha256(data).hexdigest(), uploaded_at=began,
                        period=period.state.period, status="checked",
                        notes="\n".join(unread) or None)
        session.add(upload)
        session.flush()
        # One buffer per organization: a new upload replaces the one not sent.
        session.execute(update(Upload).where(Upload.organization_id == organization_id,
                                             Upload.status == "checked", Upload.id != upload.id)
                        .values(status="discarded"))
        # Checked and stored a chunk at a time: a 65,535-row file's rows never all wait in
        # memory at once (its peak memory).
        with _BufferWriter(session, upload.id) as writer:
            quick = _quick_rows(upload.id, period, places, addresses)
            # A kind whose days today is not: each of its rows says so (docs/spec.md §5.2).
            closed = period.closed_kinds()
            chunk = []
            for row, (meter, error, remark) in zip(intake, found, strict=True):
                if closed and meter is not None and error is None and meter.kind in closed:
                    error = closed[meter.kind]
                stored = quick(row, meter) if meter is not None and error is None \
                    and remark is None else None
                chunk.append(stored or _stored(upload.id, _checked_row(
                    row, meter, error, remark, period, undated, places, addresses, writer)))
                if len(chunk) == _CHUNK_ROWS:
                    writer.write(chunk)
                    chunk = []
            writer.write(chunk)
        uow.commit()
        return upload.id


_DATE_TYPES = (dt.date, dt.datetime)
# upload_row's columns as _checked_row names them, in the order a stored row gives them (after
# upload_id).
_COLUMNS = ("sheet_name", "row_number", "kind", "house_id", "meter_id", "address", "apartment",
            "account_number", "meter_number", "reading_date", "raw_date", "raw_t1", "raw_t2",
            "raw_t3", "t1", "t2", "t3", "is_valid", "unfilled", "note", "fingerprint",
            "check_note", "raw_not_read", "not_read_reason")


def _stored(upload_id: int, row: dict[str, object]) -> tuple:
    """A buffer row of _checked_row as it is stored: upload_id and _COLUMNS' values, a date as
    its ISO text and a kWh as its decimal's text (how SQLite keeps them, db.Kwh; PostgreSQL
    reads the same text)."""
    values = [upload_id, *map(row.__getitem__, _COLUMNS)]
    if values[10] is not None:
        values[10] = values[10].isoformat()
    for i in (15, 16, 17):
        if values[i] is not None:
            values[i] = format(values[i], "f")
    return tuple(values)


def _quick_rows(upload_id: int, period, places: dict[int, list[tuple[str, int]]],
                addresses: dict[int, str]):
    """A function (row, meter) → the stored row (as _stored gives it) of a row of the file
    whose meter was found with no error and no remark, when the row is the common one: valid
    with no remark (checks.quick_check's checks, read once per distinct reading date and
    meter facts), its meter named once, the row not hidden, its date a date cell, its values
    plain floats or whole numbers; else None, and _checked_row decides. The same stored row
    as _checked_row's, byte for byte (tests/unit/test_quick_check.py), without its dict,
    Decimals for storage or per-row date parsing: a 65,535-row file is mostly such rows."""
    rules = period.rules
    today, (first_day, last_day) = period.today, period.dates
    kind_dates = period.kind_dates
    allowed = min(rules.fraction_digits, 4)
    date_types = _DATE_TYPES
    # raw date cell → (reading date, its ISO text, the cell shown) or None (the long way).
    dates: dict[object, tuple[dt.date, str, str] | None] = {}
    # (reading date, kind, the meter's last date and verification date as the driver gave
    # them) → the ceiling in kWh, or None (an error: the long way).
    ceilings: dict[tuple, Decimal | None] = {}
    kind_ceilings: dict[tuple[str, int], Decimal] = {}
    ratios: dict[object, Decimal] = {}
    one = Decimal(1)

    def dated(raw_date):
        reading_date = raw_date.date() if type(raw_date) is dt.datetime else raw_date
        if reading_date > today or not first_day <= reading_date <= last_day:
            dates[raw_date] = None
        else:
            dates[raw_date] = (reading_date, reading_date.isoformat(), _shown(raw_date))
        return dates[raw_date]

    def ceiling_of(key, meter):
        reading_date = key[0]
        last_date, due = meter.last_date, meter.verification_due
        if (last_date is not None and reading_date < last_date) \
                or (due is not None and reading_date > due):
            ceilings[key] = None
            return None
        days = 1 if last_date is None else (reading_date - last_date).days
        ceiling = kind_ceilings.get((meter.kind, days))
        if ceiling is None:
            ceiling = kind_ceilings[(meter.kind, days)] = ceiling_kwh(meter, rules, days)
        ceilings[key] = ceiling
        return ceiling

    def quick(row: IntakeRow, meter: MeterRow) -> tuple | None:
        raw_date = row.raw_date
        if row.hidden or row.not_read is not None or type(raw_date) not in date_types \
                or meter.meter_id in places:
            return None
        date = dates.get(raw_date, False)
        if date is False:
            date = dated(raw_date)
        if date is None:
            return None
        reading_date, iso_date, shown_date = date
        kind_first, kind_last = kind_dates[meter.kind]
        if not kind_first <= reading_date <= kind_last:
            return None
        key = (reading_date, meter.kind, meter.last, meter.due)
        ceiling = ceilings.get(key, False)
        if ceiling is False:
            ceiling = ceiling_of(key, meter)
        if ceiling is None:
            return None
        zones = meter.zones
        capacity = meter.capacity if meter.capacity < 14 else 14
        raws = row.raw_values
        cells = [None, None, None, None, None, None]  # shown T1..T3, stored T1..T3
        total = None
        for index, last in ((0, meter.t1), (1, meter.t2), (2, meter.t3)):
            raw = raws[index]
            if index >= zones:
                if raw is not None:
                    return None
                continue
            cell = type(raw)
            if cell is float:
                text = repr(raw)
                if "e" in text or "n" in text or text[0] == "-":
                    return None
                whole, _dot, fraction = text.partition(".")
                if len(fraction.rstrip("0")) > allowed or (len(whole.lstrip("0")) or 1) > capacity:
                    return None
                # _shown's quick branch (its fraction digits are within `digits`)
                cells[index] = whole if fraction == "0" and raw < 1e15 else \
                    text.replace(".", ",")
            elif cell is int:
                if raw < 0:
                    return None
                text = str(raw)
                if len(text) > capacity:
                    return None
                cells[index] = text
            else:
                return None
            cells[index + 3] = text
            if last is not None:
                value = Decimal(text)
                last = Decimal(last) if type(last) is str else last
                if value < last:  # lower, or a rollover (a remark): the long way
                    return None
                if total is None:
                    total = Decimal(0)
                    ratio = ratios.get(meter.ratio)
                    if ratio is None:
                        ratio = ratios[meter.ratio] = meter.transformation_ratio or one
                total += (value - last) * ratio
        if total is not None and total > ceiling:
            return None
        if meter.typical_intervals and judge_meter(
                meter, reading_date, tuple(None if text is None else Decimal(text)
                                           for text in cells[3:]), rules) is not None:
            return None  # far from its typical consumption: a remark, the long way
        apartment = row.apartment or meter.apartment
        account = row.account or meter.account_number
        number = row.meter_number
        return (upload_id, row.sheet[:31], row.row_number, row.kind, meter.house_id,
                meter.meter_id, addresses[meter.house_id],
                apartment if apartment is None or len(apartment) <= 20 else _fit(apartment, 20),
                account if account is None or len(account) <= 30 else _fit(account, 30),
                number if number is None or len(number) <= 50 else _fit(number, 50),
                iso_date, shown_date, *cells, True, False, None, meter.fingerprint,
                None, None, None)

    return quick
# Rows checked and stored at a time: the memory they hold, and one statement for each.
_CHUNK_ROWS = 5000


def _checked_row(row: IntakeRow, meter: MeterRow | None, error: str | None,
                 remark: str | None, period, undated: dt.date | None,
                 places: dict[int, list[tuple[str, int]]], addresses: dict[int, str],
                 writer: _BufferWriter) -> dict[str, object]:
    """The buffer row of one row of the file, checked: its columns of upload_row by name (a
    new column is one more key). `writer` keeps what rows share across them: the meters
    standing so far (docs/spec.md §13.8), the ceilings and the dates shown."""
    raw_date, raw_values, not_read = row.raw_date, row.raw_values, row.not_read
    if undated and raw_date is None and (not_read or any(v is not None for v in raw_values)):
        raw_date = undated
    verdict = quick = None
    if meter is not None and not error:
        dates = period.kind_dates[meter.kind]
        if not_read is None:
            quick = quick_check(meter, raw_date, raw_values, period.rules, period.today,
                                dates, writer.ceilings)
        if quick is None:
            verdict = check_submission(meter.facts(), raw_date, raw_values, period.rules,
                                       period.today, dates, not_read, writer.reasons)
    if quick is not None:  # valid, no remark of the checks (checks.quick_check)
        errors = []
        reading_date, values = quick
    else:
        errors = _formulas_explained([error] if error else list(verdict.errors), row)
        reading_date = verdict.reading_date if verdict else None
        # A value the database cannot keep (1E+30, 29 digits) already has its verdict; the
        # row keeps it as typed (raw_t1…) and its number only when it fits.
        values = [v if v is not None and fits_stored(v) else None
                  for v in (verdict.values if verdict else (None, None, None))]
    several = places.get(meter.meter_id) if meter is not None and places else None
    if several and not error and meter.meter_id in writer.standing:
        errors = [msg.METER_REPEATED]
    elif several and errors:
        # A row's own error must not hide that its meter is named again elsewhere.
        errors.append(msg.meter_in_rows(several))
    if meter is not None and not errors:
        writer.standing.add(meter.meter_id)
    # Remarks go with errors too: a person correcting the row needs them as much.
    remarks = [remark]
    if raw_date is not row.raw_date:
        remarks.append(msg.reading_date_from_form(raw_date))
    if row.hidden and (row.raw_date is not None or any(v is not None for v in row.raw_values)):
        remarks.append(msg.ROW_HIDDEN)
    if not errors:
        if verdict is not None:
            remarks += verdict.remarks
        if several:  # the row that stands says where the others are
            remarks.append(msg.meter_in_rows(several))
    note = "; ".join(errors + [r for r in remarks if r]) or None \
        if errors or remark or len(remarks) > 1 else None
    digits = period.rules.fraction_digits
    # A file has a few dates (cells of a date type): each shown once.
    shown_date = writer.shown_dates.get(raw_date) if type(raw_date) in _DATE_TYPES else None
    if shown_date is None:
        shown_date = _shown(raw_date)
        if type(raw_date) in _DATE_TYPES:
            writer.shown_dates[raw_date] = shown_date
    return {
        "sheet_name": row.sheet[:31], "row_number": row.row_number, "kind": row.kind,
        "house_id": meter.house_id if meter else None,
        "meter_id": meter.meter_id if meter else None,
        # (addresses: cut to the column already)
        "address": addresses[meter.house_id] if meter else _fit(row.address, 500),
        # What the file says, where it says it: a mismatch must show in the buffer.
        "apartment": _fit(row.apartment or (meter.apartment if meter else None), 20),
        "account_number": _fit(row.account or (meter.account_number if meter else None), 30),
        # As typed: the errors file gives it back so (a remark names restored zeros).
        "meter_number": _fit(row.meter_number, 50),
        "reading_date": reading_date, "raw_date": shown_date,
        "raw_t1": None if raw_values[0] is None else _shown(raw_values[0], digits),
        "raw_t2": None if raw_values[1] is None else _shown(raw_values[1], digits),
        "raw_t3": None if raw_values[2] is None else _shown(raw_values[2], digits),
        "t1": values[0], "t2": values[1], "t3": values[2], "is_valid": not errors,
        "unfilled": meter is not None and errors == [msg.NO_READINGS], "note": note,
        "fingerprint": meter.fingerprint if meter is not None and not errors else None,
        "check_note": verdict.check_note if verdict is not None and not errors else None,
        "raw_not_read": _fit(not_read, 100),
        "not_read_reason": verdict.not_read if verdict is not None and not errors else None}


class _BufferWriter:
    """Stores an upload's checked rows in the upload's own transaction, a chunk at a time:
    PostgreSQL's COPY (psycopg 3, one statement per chunk), elsewhere one executemany per
    chunk of plain values, past SQLAlchemy's per-value type processing. Also keeps what the
    rows' checks share across chunks.

    A chunk is stored by a thread of its own while the next one is checked: the database's
    part (SQLite's inserts, which release the GIL; PostgreSQL's reply) overlaps the checks.
    One chunk at most is in flight, and nothing else uses the connection meanwhile (the
    upload only checks rows in between)."""

    def __init__(self, session, upload_id: int):
        self.connection = session.connection()
        # The reasons a row may give instead of values (docs/spec.md §13.11).
        self.reasons = load_reasons(session)
        self.upload_id = upload_id
        self.standing: set[int] = set()
        self.ceilings: dict[tuple[str, int], Decimal] = {}
        self.shown_dates: dict[dt.date, str | None] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lkk-buffer")
        self._pending: Future | None = None

    def __enter__(self) -> _BufferWriter:
        return self

    def __exit__(self, exc_type, *exc_info) -> None:
        try:
            if exc_type is None:
                self._wait()
            elif self._pending is not None:
                # The connection must be idle before the transaction is rolled back.
                wait([self._pending])
        finally:
            self._pool.shutdown(wait=True)
            self.standing.clear()

    def _wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()  # a failure to store raises here, in the upload's thread

    def write(self, rows: list[tuple]) -> None:
        """Insert `rows` (upload_id and upload_row's _COLUMNS, as _stored gives them) into the
        buffer (after the chunk before it, which may still be stored)."""
        self._wait()
        if rows:
            self._pending = self._pool.submit(self._store, rows)

    def _store(self, rows: list[tuple]) -> None:
        names = ", ".join(("upload_id",) + _COLUMNS)
        if self.connection.dialect.name == "postgresql":
            statement = f"COPY upload_row ({names}) FROM STDIN"
            driver = self.connection.connection.driver_connection
            with driver_errors(self.connection, statement), driver.cursor() as cursor, \
                    cursor.copy(statement) as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
            return
        marks = ", ".join("?" * (len(_COLUMNS) + 1))
        self.connection.exec_driver_sql(
            f"INSERT INTO upload_row ({names}) VALUES ({marks})", rows)


@dataclass(frozen=True)
class SendResult:
    individual: int
    common_house: int


class _RowsChanged(Exception):
    """Rows of a buffer that the checks refuse at send time: (row id, note)."""

    def __init__(self, rows: list[tuple[int, str]], closed: str | None = None,
                 reasons_only: bool = False):
        super().__init__(len(rows))
        self.rows = rows
        # The reason when every row is of a kind whose days ended (docs/spec.md §5.2).
        self.closed = closed
        # Every row refused for a reason taken off the list (docs/spec.md §13.11).
        self.reasons_only = reasons_only


# Past this many rows to check again, every served meter is read at once (one query without a
# list of ids) rather than the changed ones by id.
_RECHECK_BY_ID = 1000


def _lock_and_recheck(session, organization_id: int, upload_id: int, period,
                      valid_rows: int) -> None:
    """Lock the meters of the buffer's valid rows, as lock_meters does (readings/locks.py: FOR
    UPDATE in meter id order; SQLite's write lock is held already), and check those rows again
    against the meters as they are now (the billing may have removed or replaced a meter, or
    sent a newer accounted reading, since the upload); raises _RowsChanged with the rows that
    are no longer valid.

    One pass over the rows does both. Only doubtful rows are checked in Python: those whose
    fingerprint of the facts their verdict depends on (readings/fingerprint.py) differs from
    the one rendered in SQL now, or is unknown; whose meter the organization no longer serves;
    or dated after today. A row the pass does not return (a valid row without a meter) makes
    every row doubtful."""
    last = aliased(Reading)
    dialect = session.get_bind().dialect.name
    current = current_fingerprint(dialect, rules_fingerprint(period.rules, period.window),
                                  Meter, last)
    served_houses = select(House.id).where(House.organization_id == organization_id,
                                           House.removed_at.is_(None))
    closed = period.closed_kinds()
    # A reason taken off the list since the upload is no longer given (docs/spec.md §13.11).
    reasons = load_reasons(session)
    offered = [r.code for r in reasons.offered]
    doubtful = or_(UploadRow.fingerprint.is_(None), Meter.archived_at.is_not(None),
                   UploadRow.not_read_reason.is_not(None)
                   & UploadRow.not_read_reason.not_in(offered),
                   Meter.house_id.not_in(served_houses), UploadRow.reading_date > period.today,
                   # A kind whose days ended since the upload (docs/spec.md §5.2).
                   Meter.kind.in_(list(closed)) if closed else false(),
                   UploadRow.fingerprint != current,
                   # A meter updated while its lock waited is read again as it is now, with
                   # the last reading joined before (PostgreSQL's EvalPlanQual): if that is
                   # no longer its last one, the row is doubtful.
                   Meter.last_accounted_reading_id.is_distinct_from(last.id))
    # Doubtful unless surely not: a comparison with NULL in it (no meter) is doubtful too.
    flag = case((not_(doubtful), False), else_=True)
    rows = select(UploadRow.id.label("id"), flag.label("doubtful")).where(
        UploadRow.upload_id == upload_id, UploadRow.is_valid)
    # Joined on keys only, the houses as a list: a plan without estimates for the buffer just
    # written (PostgreSQL) stays a few index lookups a row.
    if dialect == "sqlite":
        # Its write lock is held since the status flip: only the doubtful rows are read.
        ids = list(session.scalars(
            rows.outerjoin(Meter, Meter.id == UploadRow.meter_id)
            .outerjoin(last, last.id == Meter.last_accounted_reading_id)
            .where(flag).order_by(UploadRow.id)))
    else:
        # The lock, then one row back: how many rows were locked, and the doubtful ones.
        taken = (rows.join(Meter, Meter.id == UploadRow.meter_id)
                 .outerjoin(last, last.id == Meter.last_accounted_reading_id)
                 .order_by(Meter.id).with_for_update(of=Meter).subquery())
        locked, ids = session.execute(select(
            func.count(), func.array_agg(taken.c.id).filter(taken.c.doubtful))).one()
        # A valid row without a meter is not among them: every row is doubtful then.
        ids = (ids or []) if locked == valid_rows else None
    if ids == []:
        return
    where = UploadRow.id.in_(ids) if ids is not None and len(ids) <= _RECHECK_BY_ID \
        else UploadRow.is_valid
    again = session.execute(
        select(UploadRow.id, UploadRow.meter_id, UploadRow.reading_date,
               raw_kwh(UploadRow.t1), raw_kwh(UploadRow.t2), raw_kwh(UploadRow.t3),
               UploadRow.not_read_reason)
        .where(UploadRow.upload_id == upload_id, where).order_by(UploadRow.id)).all()
    if ids is not None:
        chosen = set(ids)
        again = [row for row in again if row[0] in chosen]
    meter_ids = sorted({meter_id for _id, meter_id, *_rest in again if meter_id is not None})
    served = served_meters(session, organization_id,
                           meter_ids if len(meter_ids) <= _RECHECK_BY_ID else None)
    facts = {m.facts.meter_id: m.facts for m in served}
    changed = []
    not_reasons = False  # a row refused for anything but a reason taken off the list
    for row_id, meter_id, reading_date, t1, t2, t3, not_read in again:
        meter = facts.get(meter_id)
        if meter is None:
            changed.append((row_id, msg.METER_GONE))
            not_reasons = True
            continue
        if meter.kind in closed:
            changed.append((row_id, closed[meter.kind]))
            not_reasons = True
            continue
        verdict = check_submission(meter, reading_date, [to_kwh(t1), to_kwh(t2), to_kwh(t3)],
                                   period.rules, period.today, period.dates_for(meter.kind),
                                   not_read, reasons)
        if not verdict.ok:
            changed.append((row_id, verdict.note))
            if verdict.fields != ["NotReadReason"]:
                not_reasons = True
    if changed:
        notes = {note for _row, note in changed}
        only_days = len(notes) == 1 and notes <= set(closed.values())
        raise _RowsChanged(changed, next(iter(notes)) if only_days else None,
                           reasons_only=not not_reasons)


def send_valid_rows(core: Core, person_id: int, organization_id: int, upload_id: int,
                    again: bool = False) -> SendResult:
    """Save exactly the valid rows of the buffer as readings, atomically; mail a receipt. The
    sent rows leave the buffer; its wrong rows stay in it, to be exported, corrected and
    uploaded again (docs/spec.md §11.1).

    The valid rows are checked again first: when a meter changed since the upload so that a
    row is no longer valid, nothing is sent, those rows get their new notes, and
    ValidationError says how many. A later reading of a meter in the same period replaces the
    current one (history kept, the export carries the replacement). A second send of the same
    buffer finds it sent and raises BufferGone. The same file (by content hash) sent in this
    period already is sent again only with `again` (the person's explicit second
    confirmation), else SendAgainNotConfirmed names the earlier send (docs/spec.md §11.2).
    Raises PeriodClosed outside the period, ValidationError when no row is valid.
    """
    try:
        return _send(core, person_id, organization_id, upload_id, again)
    except _RowsChanged as changed:
        with core.uow() as uow:
            uow.session.execute(update(UploadRow), [
                {"id": row_id, "is_valid": False, "note": note} for row_id, note in changed.rows])
            uow.commit()
        raise ValidationError(
            msg.buffer_kind_closed(len(changed.rows), changed.closed) if changed.closed
            else msg.buffer_changed(len(changed.rows), changed.reasons_only)) from None


def _send(core: Core, person_id: int, organization_id: int, upload_id: int,
          again: bool) -> SendResult:
    with core.uow() as uow:
        session = uow.session
        # The period is decided once, at the instant the send began, and the readings are
        # stamped with it: a send begun before the close completes, however long its lock
        # waits and its rows take (docs/spec.md §5.1, §11.2).
        now = core.clock.now()
        period = require_open_period(session, core, now)
        # Taking the buffer flips its status in one statement: a double click sends once.
        taken = session.execute(
            update(Upload).where(Upload.id == upload_id, Upload.organization_id == organization_id,
                                 Upload.status == "checked", Upload.period == period.state.period)
            .values(status="sent", sent_at=now)).rowcount
        if taken != 1:
            raise BufferGone(gone_buffer_message(session, organization_id, upload_id), "upload")
        fault_point("send.buffer_taken")
        counts = dict(session.execute(
            select(UploadRow.kind, func.count()).where(UploadRow.upload_id == upload_id,
                                                       UploadRow.is_valid)
            .group_by(UploadRow.kind)).all())
        if not counts:
            raise ValidationError(msg.NOTHING_TO_SEND)
        upload = session.get(Upload, upload_id)
        sent_before = earlier_upload(session, upload)
        repeated = sent_before is not None and sent_before.sent_in_period
        if repeated and not again:
            raise SendAgainNotConfirmed(msg.send_again_not_confirmed(sent_before.sent_at,
                                                                     sent_before.sent_by))
        # Queue behind any submission for the same meters (manual entry in another tab), and
        # check the rows again under that lock.
        _lock_and_recheck(session, organization_id, upload_id, period, sum(counts.values()))
        valid_meters = select(UploadRow.meter_id).where(UploadRow.upload_id == upload_id,
                                                        UploadRow.is_valid)
        session.execute(update(Reading).where(Reading.is_current,
                                              Reading.period == period.state.period,
                                              Reading.meter_id.in_(valid_meters))
                        .values(is_current=False))
        # The reading each new one replaces: the meter's latest submitted one of the period,
        # deleted ones aside. One probe of ix_reading_meter_period a row, about 1 µs on
        # PostgreSQL (EXPLAIN ANALYZE, 65,535 rows: 65 ms); a grouped join over the buffer's
        # meters took 200 ms. The statement's time is the table's indexes and its foreign
        # keys' checks, one per key and row.
        earlier = aliased(Reading)
        replaced = (select(func.max(earlier.id))
                    .where(earlier.meter_id == UploadRow.meter_id,
                           earlier.period == period.state.period,
                           earlier.channel != CHANNEL_BILLING, earlier.deleted_at.is_(None))
                    .scalar_subquery())
        session.execute(insert(Reading).from_select(
            ["meter_id", "reading_date", "period", "t1", "t2", "t3", "source", "channel",
             "is_current", "submitted_by_person_id", "submitted_at", "upload_id", "replaces_id",
             "check_note", "not_read_reason"],
            select(UploadRow.meter_id, UploadRow.reading_date,
                   literal(period.state.period, Reading.period.type), UploadRow.t1, UploadRow.t2,
                   UploadRow.t3, literal(SOURCE_ORGANIZATION), literal(CHANNEL_FILE),
                   literal(True), literal(person_id, Integer),
                   literal(now, Reading.submitted_at.type), literal(upload_id, Integer), replaced,
                   UploadRow.check_note, UploadRow.not_read_reason)
            .where(UploadRow.upload_id == upload_id, UploadRow.is_valid)
            .order_by(UploadRow.id)))
        # Counted, not taken from the INSERT: SQLAlchemy with psycopg gives -1 for INSERT … SELECT.
        record_events(session, now, "submitted",
                      select(Reading.id).where(Reading.upload_id == upload_id))
        # The sent rows are readings now (upload_id keeps the file); the wrong ones stay the
        # organization's buffer until a new upload replaces it or the period closes.
        session.execute(delete(UploadRow).where(UploadRow.upload_id == upload_id,
                                                UploadRow.is_valid)
                        .execution_options(synchronize_session=False))
        result = SendResult(counts.get(INDIVIDUAL, 0), counts.get(COMMON_HOUSE, 0))
        person = session.get(ContactPerson, person_id)
        audit.record(session, core.clock, audit.Actor("person", person.id, person.email),
                     "buffer_sent", organization_id=organization_id, person_id=person.id,
                     object_id=upload_id, individual=result.individual,
                     common_house=result.common_house, **({"sent_again": True} if repeated else {}))
        enqueue(session, core.clock, person.email, msg.RECEIPT_SUBJECT, msg.receipt_body(
            name=person.full_name, file_name=upload.file_name, individual=result.individual,
            common_house=result.common_house,
            sent_at=f"{now.astimezone(MOSCOW):%d.%m.%Y %H:%M}"))
        fault_point("send.readings_written")
        uow.commit()
        fault_point("send.committed")
        return result
