"""The readings template (docs/spec.md §9): all meters of the chosen houses, prefilled, as .xls
or .xlsx."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import NamedTuple

import xlwt
from xlwt.Cell import BlankCell, NumberCell, StrCell
from sqlalchemy import select
from sqlalchemy.orm import aliased

from lkk_integration.clock import moscow_today
from lkk_integration.core import Core
from lkk_integration.db import raw_kwh, to_kwh
from lkk_integration.messages import ZONE_TYPES, house_address, verification_expired
from lkk_integration.models import COMMON_HOUSE, INDIVIDUAL, House, Meter, PersonalAccount, Reading
from lkk_integration.readings.period import current_period
from lkk_integration.readings.plausibility import JUDGED_FROM, expected_range
from lkk_integration.readings.rules import kind_dates, next_month
from lkk_integration.spreadsheets.layout import (COLUMNS, SHEET_NAMES, TEMPLATE_VERSION,
                                                 VERSION_SHEET, XLS_DATA_ROWS)
from lkk_integration.text import natural_key


class TemplateRow(NamedTuple):
    """One meter's row of the template (a tuple: 65,535 of them are built per template). The
    numbers are floats, as the spreadsheet's cells hold them (kWh; the ratio unitless)."""

    kind: str
    address: str
    apartment: str | None
    account: str | None
    meter_number: str
    metering_type: str
    ratio: float
    last: tuple[float | None, float | None, float | None]
    last_date: dt.date | None
    remark: str | None
    # The most a typical month's reading reaches by the period's end (docs/spec.md §13.10).
    expected: tuple[float | None, float | None, float | None] = (None, None, None)


def _float(value: object) -> float | None:
    """What raw_kwh selected (text on SQLite, Decimal on PostgreSQL) as a float: float() of
    either is the nearest float to the stored number, as float(Decimal) would be."""
    return None if value is None else float(value)


def rows_for_template(core: Core, organization_id: int, house_ids: list[int],
                      only_meters: set[int] | None = None) -> list[TemplateRow]:
    """The rows written into a template (build_xls, build_xlsx) for the chosen houses of the
    organization, in address order; with `only_meters`, just those meters (the ones still
    missing a reading, say).

    Houses not served by the organization are ignored, so a crafted id shows nothing foreign;
    an empty list means no served house (or no meter) was chosen.
    """
    last = aliased(Reading)
    today = moscow_today(core.clock)
    statement = (
        select(Meter.id, Meter.kind, Meter.number, Meter.zones,
               raw_kwh(Meter.transformation_ratio), Meter.verification_due, House.id,
               House.settlement, House.street, House.house_number, PersonalAccount.apartment,
               PersonalAccount.number, raw_kwh(last.t1), raw_kwh(last.t2), raw_kwh(last.t3),
               last.reading_date, raw_kwh(Meter.typical_t1), raw_kwh(Meter.typical_t2),
               raw_kwh(Meter.typical_t3), Meter.typical_intervals)
        .join(House, House.id == Meter.house_id)
        .outerjoin(PersonalAccount, PersonalAccount.id == Meter.personal_account_id)
        .outerjoin(last, last.id == Meter.last_accounted_reading_id)
        .where(House.organization_id == organization_id, House.id.in_(house_ids),
               House.removed_at.is_(None), Meter.archived_at.is_(None)))
    with core.uow() as uow:
        # Columns through the session's connection (Core): the ORM's result machinery costs
        # as much again for 65,535 rows of plain values.
        rows = uow.session.connection().execute(statement).all()
        period = current_period(uow.session, core)
    expected_on = {kind: _expected_on(period, kind) for kind in (INDIVIDUAL, COMMON_HOUSE)}
    rules = period.rules
    addresses: dict[int, tuple[str, tuple]] = {}  # per house: its address and sort key
    apartment_keys: dict[str | None, tuple] = {}  # «1»…«300» repeat in every house
    keyed = []
    for (meter_id, kind, number, zones, ratio, due, house_id, settlement, street, house_number,
         apartment, account, t1, t2, t3, last_date, typical1, typical2, typical3,
         intervals) in rows:
        if only_meters is not None and meter_id not in only_meters:
            continue
        if house_id not in addresses:
            address = house_address(settlement, street, house_number)
            addresses[house_id] = (address, natural_key(address))
        address, address_key = addresses[house_id]
        row = TemplateRow(
            kind, address, apartment, account, number, ZONE_TYPES[zones], float(ratio),
            (_float(t1), _float(t2), _float(t3)), last_date,
            verification_expired(due) if due is not None and due < today else None,
            _expected(intervals, (typical1, typical2, typical3), last_date, (t1, t2, t3),
                      expected_on[kind], ratio, rules))
        apartment_key = apartment_keys.get(apartment)
        if apartment_key is None:
            apartment_key = apartment_keys[apartment] = natural_key(apartment)
        keyed.append(((kind, address_key, apartment_key, account or "", number), row))
    keyed.sort(key=lambda pair: pair[0])
    return [row for _key, row in keyed]


def _expected_on(period, kind: str) -> dt.date:
    """The date «Ожидается до» is for: the last date `kind`'s readings of the period may have —
    this month's, or the next one's once this month's is past (docs/spec.md §5.2, §13.10)."""
    last = period.dates_for(kind)[1]
    if period.today <= last:
        return last
    return kind_dates(period.rules, kind, next_month(period.state.period))[1]


def _expected(intervals, typical, last_date, last, on_date, ratio,
              rules) -> tuple[float | None, float | None, float | None]:
    """The template's «Ожидается до» per zone: the high end of plausibility.expected_range."""
    if not intervals or intervals < JUDGED_FROM:
        return (None, None, None)
    if isinstance(last_date, str):  # SQLite gives a date as its ISO text
        last_date = dt.date.fromisoformat(last_date)
    ranges = expected_range(tuple(map(to_kwh, typical)), intervals, last_date,
                            tuple(map(to_kwh, last)), on_date, to_kwh(ratio) or Decimal(1),
                            rules.plausibility_factor, rules.plausibility_margin_kwh,
                            rules.fraction_digits)
    return tuple(None if r is None else float(r[1]) for r in ranges)


def _sheet_names(kind: str, count: int) -> list[str]:
    base = SHEET_NAMES[kind]
    return [base if i == 0 else f"{base} ({i + 1})" for i in range(count)]


def _number(value: float | None) -> float | str:
    return value if value is not None else ""


def _individual_values(r: TemplateRow) -> list:
    last = r.last
    expected = r.expected
    return [r.address, r.apartment or "", r.account or "", r.meter_number, r.metering_type,
            _number(last[0]), _number(last[1]), _number(last[2]), r.last_date,
            _number(expected[0]), _number(expected[1]), _number(expected[2]),
            None, None, None, None, None, r.remark or ""]


def _common_house_values(r: TemplateRow) -> list:
    last = r.last
    expected = r.expected
    return [r.address, r.meter_number, r.ratio, r.metering_type,
            _number(last[0]), _number(last[1]), _number(last[2]), r.last_date,
            _number(expected[0]), _number(expected[1]), _number(expected[2]),
            None, None, None, None, None, r.remark or ""]


# A row's prefilled values in its sheet's column order (T1–T3 and the date are the person's);
# plain functions, as 65,535 rows × 17 cells make every call count.
_VALUES = {INDIVIDUAL: _individual_values, COMMON_HOUSE: _common_house_values}
_ORDER = {
    INDIVIDUAL: ["address", "apartment", "account", "meter_number", "metering_type", "last_t1",
                 "last_t2", "last_t3", "last_date", "expected_t1", "expected_t2",
                 "expected_t3", "t1", "t2", "t3", "reading_date", "not_read", "remark"],
    COMMON_HOUSE: ["address", "meter_number", "ratio", "metering_type", "last_t1", "last_t2",
                   "last_t3", "last_date", "expected_t1", "expected_t2", "expected_t3", "t1",
                   "t2", "t3", "reading_date", "not_read", "remark"]}
if any([key for key, _ in COLUMNS[kind]] != order for kind, order in _ORDER.items()):
    raise RuntimeError("the template's columns changed: change _individual_values and "
                       "_common_house_values too")


def _values(columns: list[tuple[str, str]]):
    kind = next(k for k, c in COLUMNS.items() if c == columns)
    return _VALUES[kind]


TEXT_KEYS = ("apartment", "account", "meter_number")
# The person's columns, yellow: the values, the date, or a reason instead (docs/spec.md §9).
ENTRY_KEYS = ("t1", "t2", "t3", "reading_date", "not_read")


def build_xlsx(rows: list[TemplateRow]) -> bytes:
    """The template as an .xlsx workbook (docs/spec.md §9): the same sheets and columns as the
    .xls; meter numbers, accounts and apartments are text cells formatted as text; a hidden
    sheet carries the template's version. Written in openpyxl's write-only mode.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor="D9D9D9")
    yellow = PatternFill("solid", fgColor="FFFFCC")
    wrap = Alignment(wrap_text=True, vertical="center")
    by_kind = {kind: [r for r in rows if r.kind == kind] for kind in (INDIVIDUAL, COMMON_HOUSE)}
    for kind, kind_rows in by_kind.items():
        columns = COLUMNS[kind]
        sheet = book.create_sheet(SHEET_NAMES[kind])
        for c, (key, _title) in enumerate(columns):
            sheet.column_dimensions[chr(ord("A") + c)].width = 40 if key == "address" else 14
        sheet.freeze_panes = "A2"
        header = []
        for _key, title in columns:
            cell = WriteOnlyCell(sheet, value=title)
            cell.data_type = "s"
            cell.font, cell.fill, cell.alignment = bold, grey, wrap
            header.append(cell)
        sheet.append(header)
        values_of = _values(columns)
        for row in kind_rows:
            out = []
            for (key, _title), value in zip(columns, values_of(row), strict=False):
                if key in ENTRY_KEYS:
                    cell = WriteOnlyCell(sheet, value=None)
                    cell.fill = yellow
                    if key == "reading_date":
                        cell.number_format = "DD.MM.YYYY"
                else:
                    cell = WriteOnlyCell(sheet, value=None if value == "" else value)
                    if isinstance(value, str):
                        # openpyxl would make «=…» from the billing's data a formula.
                        cell.data_type = "s"
                    if key in TEXT_KEYS:
                        cell.number_format = "@"
                    elif key == "last_date":
                        cell.number_format = "DD.MM.YYYY"
                    elif key == "ratio" or key.startswith(("last_t", "expected_t")):
                        cell.number_format = "0.####"
                out.append(cell)
            sheet.append(out)
    meta = book.create_sheet(VERSION_SHEET)
    meta.sheet_state = "hidden"
    meta.append(["template_version", TEMPLATE_VERSION])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# xlwt (BIFF8, 1900 date system) counts days from 31.12.1899 and, as Excel, has a 29.02.1900.
_XLS_EPOCH = dt.date(1899, 12, 31)


def _xls_date(value: dt.date) -> float:
    """A date as xlwt's Row.write stores it: its serial number in the 1900 date system."""
    serial = float((value - _XLS_EPOCH).days)
    return serial + 1 if serial > 59 else serial


def build_xls(rows: list[TemplateRow]) -> bytes:
    """The template as an .xls (BIFF8) workbook: one sheet per meter kind, continued on
    «ИПУ (2)»… past 65,535 rows, and a hidden sheet with the template's version.

    Meter numbers and accounts are text cells (leading zeros stay); nothing is a formula.
    """
    book = xlwt.Workbook(encoding="utf-8")
    header = xlwt.easyxf("font: bold on; align: wrap on, vert centre; "
                         "pattern: pattern solid, fore_colour gray25")
    text = xlwt.easyxf(num_format_str="@")
    date = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    entry = xlwt.easyxf("pattern: pattern solid, fore_colour light_yellow")
    entry_date = xlwt.easyxf("pattern: pattern solid, fore_colour light_yellow",
                             num_format_str="DD.MM.YYYY")
    number = xlwt.easyxf(num_format_str="0.####")
    # Every text cell goes through add_str, as Row.write does: the file records how many
    # there are (the SST's total), so the bytes stay those of writing cell by cell.
    add_str = book.add_str
    serials: dict[dt.date, float] = {}  # a few distinct last dates among 65,535 rows
    by_kind = {kind: [r for r in rows if r.kind == kind] for kind in (INDIVIDUAL, COMMON_HOUSE)}
    for kind, kind_rows in by_kind.items():
        columns = COLUMNS[kind]
        chunks = [kind_rows[i:i + XLS_DATA_ROWS]
                  for i in range(0, len(kind_rows), XLS_DATA_ROWS)] or [[]]
        for name, chunk in zip(_sheet_names(kind, len(chunks)), chunks, strict=True):
            sheet = book.add_sheet(name)
            for c, (key, title) in enumerate(columns):
                sheet.write(0, c, title, header)
                sheet.col(c).width = 256 * (40 if key == "address" else 14)
            sheet.set_panes_frozen(True)
            sheet.set_horz_split_pos(1)
            if not chunk:
                continue
            styles = {key: text if key in TEXT_KEYS else date if key == "last_date" else
                      number if key == "ratio" or key.startswith(("last_t", "expected_t")) else
                      xlwt.Style.default_style for key, _title in columns}
            plan = [entry_date if key == "reading_date" else
                    entry if key in ENTRY_KEYS else styles[key] for key, _title in columns]
            # The styles' XF indexes, taken in column order as the first row's writes would take
            # them (the order numbers the XF records in the file); then each inner cell is made
            # and inserted directly: Row.write's per-cell work (style lookup, type dispatch,
            # height and bounds) is 65,535 × 15 calls that change nothing after the first.
            xfs = [book.add_style(style) for style in plan]
            values_of = _values(columns)
            last = len(columns) - 1
            inner = range(1, last)
            for r, row in enumerate(chunk, 1):
                line = sheet.row(r)
                values = values_of(row)
                # The first and last cells through Row.write: they set the row's height and
                # its first and last columns, as writing every cell would.
                line.write(0, "" if values[0] is None else values[0], plan[0])
                insert = line.insert_cell
                for c in inner:
                    value = values[c]
                    kind_of = value.__class__
                    if kind_of is str:
                        insert(c, StrCell(r, c, xfs[c], add_str(value)) if value
                               else BlankCell(r, c, xfs[c]))
                    elif value is None:
                        insert(c, BlankCell(r, c, xfs[c]))
                    elif kind_of is float:
                        insert(c, NumberCell(r, c, xfs[c], value))
                    elif kind_of is dt.date:
                        serial = serials.get(value)
                        if serial is None:
                            serial = serials[value] = _xls_date(value)
                        insert(c, NumberCell(r, c, xfs[c], serial))
                    else:
                        line.write(c, value, plan[c])
                line.write(last, "" if values[last] is None else values[last], plan[last])
    meta = book.add_sheet(VERSION_SHEET)
    meta.write(0, 0, "template_version")
    meta.write(0, 1, TEMPLATE_VERSION)
    meta.visibility = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
