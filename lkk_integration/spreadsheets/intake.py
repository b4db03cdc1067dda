"""Reading filled spreadsheets: the format from the bytes, columns by their titles (SPEC.md,
"Spreadsheet intake"). Bytes in, rows out; an unusable file raises UnreadableFile with one clear
message, a doubtful row only gets a note later."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Iterator

import xlrd

from .. import messages as msg
from ..errors import UnreadableFile
from ..models import COMMON_HOUSE, INDIVIDUAL
from .layout import (COLUMNS, INDIVIDUAL_MARKERS, REQUIRED, SHEET_NAMES, TITLE_KEYS,
                     normalize_title)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# A header is looked for in this many first rows of a sheet.
HEADER_SEARCH_ROWS = 20
_FLOAT_TEXT = re.compile(r"\d+\.0+")


@dataclass(frozen=True)
class IntakeLimits:
    """Bounds on a file, checked before and while it is parsed (bytes, rows, sheets)."""

    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 70_000
    max_sheets: int = 12
    max_unzipped_bytes: int = 150 * 1024 * 1024


class _RowCounter:
    """Counts rows that hold any value across the whole file; refuses past the limit."""

    def __init__(self, limit: int):
        self.limit = limit
        self.seen = 0

    def add(self, row: list[object]) -> None:
        if any(v is not None and v != "" for v in row):
            self.seen += 1
            if self.seen > self.limit:
                raise UnreadableFile(msg.FILE_TOO_MANY_ROWS.format(limit=f"{self.limit:,}"
                                                                   .replace(",", " ")))


@dataclass(frozen=True)
class Sheet:
    """A visible sheet: its name and rows of cell values (str, float, int, datetime, None)."""

    name: str
    rows: list[list[object]]
    # Excel's date system: 0 from 1900, 1 from 1904 (Mac workbooks).
    datemode: int = 0


@dataclass(frozen=True)
class IntakeRow:
    """One row of a template sheet with a meter number or any reading in it."""

    sheet: str
    row_number: int  # 1-based, as the spreadsheet program shows it
    kind: str
    address: str | None
    apartment: str | None
    account: str | None
    meter_number: str | None
    raw_date: object
    raw_values: list[object]


def detect_format(data: bytes) -> str:
    """'xls' (OLE2 compound document) or 'xlsx' (zip), from the bytes, never the file name.

    Raises UnreadableFile for an empty file or anything else.
    """
    if not data:
        raise UnreadableFile(msg.FILE_EMPTY)
    if data.startswith(OLE2_MAGIC):
        return "xls"
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    raise UnreadableFile(msg.FILE_NOT_SPREADSHEET)


def _xls_sheets(data: bytes, limits: IntakeLimits) -> list[Sheet]:
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, AssertionError, IndexError, ValueError,
            KeyError, UnicodeDecodeError, OverflowError, EOFError) as exc:
        raise UnreadableFile(msg.FILE_DAMAGED) from exc
    sheets = []
    rows_seen = _RowCounter(limits.max_rows)
    try:
        if book.nsheets > limits.max_sheets:
            raise UnreadableFile(msg.FILE_TOO_MANY_SHEETS.format(limit=limits.max_sheets))
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.visibility:
                continue
            rows = []
            for r in range(sheet.nrows):
                row = []
                for cell in sheet.row(r):
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        try:
                            row.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
                            row.append(cell.value)
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK,
                                        xlrd.XL_CELL_ERROR):
                        row.append(None)
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        row.append(bool(cell.value))  # xlrd gives 1/0; TRUE is not a reading
                    else:
                        row.append(cell.value)
                rows_seen.add(row)
                rows.append(row)
            sheets.append(Sheet(sheet.name, rows, book.datemode))
            book.unload_sheet(index)
    except (xlrd.XLRDError, AssertionError, IndexError, ValueError, KeyError,
            UnicodeDecodeError, OverflowError) as exc:
        raise UnreadableFile(msg.FILE_DAMAGED) from exc
    finally:
        book.release_resources()
    return sheets


def _check_zip(data: bytes, limits: IntakeLimits) -> None:
    """Refuse an .xlsx whose parts would decompress past the limit, before any XML is parsed.

    zipfile reads a member only up to its declared size, so the declared sizes bound the work.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableFile(msg.FILE_DAMAGED) from exc
    if total > limits.max_unzipped_bytes:
        raise UnreadableFile(msg.FILE_UNZIPPED_TOO_LARGE.format(
            limit_mb=limits.max_unzipped_bytes // (1024 * 1024)))


def _xlsx_sheets(data: bytes, limits: IntakeLimits) -> list[Sheet]:
    # openpyxl reads the XML with defusedxml (a dependency), so no entity is expanded.
    import openpyxl

    _check_zip(data, limits)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise UnreadableFile(msg.FILE_DAMAGED) from exc
    except Exception as exc:  # defusedxml and openpyxl raise many kinds on hostile XML
        raise UnreadableFile(msg.FILE_DAMAGED) from exc
    rows_seen = _RowCounter(limits.max_rows)
    try:
        if len(book.worksheets) > limits.max_sheets:
            raise UnreadableFile(msg.FILE_TOO_MANY_SHEETS.format(limit=limits.max_sheets))
        datemode = 1 if book.epoch.year == 1904 else 0
        sheets = []
        for ws in book.worksheets:
            if ws.sheet_state != "visible":
                continue
            rows = []
            for values in ws.iter_rows(values_only=True):
                row = list(values)
                rows_seen.add(row)
                rows.append(row)
            sheets.append(Sheet(ws.title, rows, datemode))
        return sheets
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile(msg.FILE_DAMAGED) from exc
    finally:
        book.close()


def read_sheets(data: bytes, limits: IntakeLimits) -> list[Sheet]:
    """The visible sheets of an .xls or .xlsx file given as bytes.

    Raises UnreadableFile: empty, over a limit of `limits`, not a spreadsheet, or damaged.
    """
    if len(data) > limits.max_bytes:
        raise UnreadableFile(msg.FILE_TOO_LARGE.format(
            limit_mb=limits.max_bytes // (1024 * 1024)))
    kind = detect_format(data)
    return _xls_sheets(data, limits) if kind == "xls" else _xlsx_sheets(data, limits)


def _as_text(value: object) -> str | None:
    """A cell meant as text: a float 215090.0 → '215090'; spaces trimmed; empty → None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\u00a0", " ").strip()
    # A number pasted as text keeps the float's tail: «217354.0».
    if _FLOAT_TEXT.fullmatch(text):
        text = text.split(".")[0]
    return text or None


def _serial_date(value: float, datemode: int) -> object:
    """A date typed into an unformatted cell arrives as its serial number (45000 = 15.03.2023)."""
    try:
        return xlrd.xldate_as_datetime(value, datemode)
    except (xlrd.xldate.XLDateError, OverflowError, ValueError):
        return value


def _header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for c, value in enumerate(row):
            key = TITLE_KEYS.get(normalize_title(value))
            if key and key not in found:
                found[key] = c
        if all(k in found for k in REQUIRED):
            return r, found
    return None


def template_rows(sheets: list[Sheet]) -> Iterator[IntakeRow]:
    """Rows of every sheet that has the template's header, found by column titles.

    Raises UnreadableFile naming the required columns when no sheet has them.
    """
    headers = [(sheet, _header(sheet)) for sheet in sheets]
    if not any(h for _s, h in headers):
        titles = dict(COLUMNS[INDIVIDUAL])
        raise UnreadableFile(msg.FILE_NO_TEMPLATE_SHEETS.format(
            columns=", ".join(f"«{titles[k]}»" for k in REQUIRED)))
    for sheet, header in headers:
        if header is None:
            continue
        header_row, columns = header
        if any(k in columns for k in INDIVIDUAL_MARKERS):
            kind = INDIVIDUAL
        elif "ratio" in columns or sheet.name.startswith(SHEET_NAMES[COMMON_HOUSE]):
            kind = COMMON_HOUSE
        else:
            kind = INDIVIDUAL

        def cell(row: list[object], key: str) -> object:
            c = columns.get(key)
            return row[c] if c is not None and c < len(row) else None

        for r in range(header_row + 1, len(sheet.rows)):
            row = sheet.rows[r]
            values = [cell(row, k) for k in ("t1", "t2", "t3")]
            values = [None if isinstance(v, str) and not v.strip() else v for v in values]
            meter_number = _as_text(cell(row, "meter_number"))
            raw_date = cell(row, "reading_date")
            if isinstance(raw_date, str) and not raw_date.strip():
                raw_date = None
            elif isinstance(raw_date, (int, float)) and not isinstance(raw_date, bool):
                raw_date = _serial_date(raw_date, sheet.datemode)
            if meter_number is None and raw_date is None and all(v is None for v in values):
                continue  # an empty row
            yield IntakeRow(sheet=sheet.name, row_number=r + 1, kind=kind,
                            address=_as_text(cell(row, "address")),
                            apartment=_as_text(cell(row, "apartment")),
                            account=_as_text(cell(row, "account")),
                            meter_number=meter_number, raw_date=raw_date, raw_values=values)
