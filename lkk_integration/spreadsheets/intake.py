"""Reading filled spreadsheets: the format from the bytes, columns by their titles
(docs/spec.md §14). Bytes in, rows out; an unusable file raises UnreadableFile with one clear
message, a doubtful row only gets a note later."""
from __future__ import annotations

import array
import csv
import dataclasses
import functools
import io
import re
import struct
import xml.parsers.expat
import zipfile
import zlib
from dataclasses import dataclass
from typing import Iterator

import xlrd

from lkk_integration import messages as msg
from lkk_integration.errors import UnreadableFile
from lkk_integration.models import COMMON_HOUSE, INDIVIDUAL
from lkk_integration.spreadsheets.layout import (COLUMNS, INDIVIDUAL_MARKERS, REQUIRED, SHEET_NAMES,
                                                 TITLE_KEYS, VERSION_SHEET, normalize_title)
from lkk_integration.text import visible, without_forbidden

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# A header is looked for in this many first rows of a sheet.
HEADER_SEARCH_ROWS = 20
_FLOAT_TEXT = re.compile(r"\d+\.0+")


@dataclass(frozen=True)
class IntakeLimits:
    """Bounds on a file, checked before and while it is parsed.

    max_bytes: the file; max_rows: rows holding a value, all sheets; max_sheets; max_cells:
    cells a reader would hold, counted from the cells actually present (an .xls row is as long
    as its last cell), never from the sizes a file declares; max_unzipped_bytes and
    max_ratio: an .xlsx's parts after decompression, in all and each against its compressed
    size; max_shared_strings_bytes: the one .xlsx part a reader keeps whole in memory.
    """

    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 70_000
    max_sheets: int = 12
    max_cells: int = 2_000_000
    max_unzipped_bytes: int = 150 * 1024 * 1024
    max_ratio: int = 100
    max_shared_strings_bytes: int = 30 * 1024 * 1024


# Columns read from a sheet: the template has 14; a header further right is not looked for.
MAX_COLUMNS = 64


class _NoValue:
    """The value of a formula cell whose file keeps no result (written by a program that does
    not calculate): empty to the checks, named in the row's note."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE = _NoValue()
# One empty set for every row that has nothing to name (each frozenset() is a new object).
_NONE: frozenset = frozenset()


class _RowCounter:
    """Counts rows that hold any value across the whole file; refuses past the limit."""

    def __init__(self, limit: int):
        self.limit = limit
        self.seen = 0

    def add(self, row: list[object]) -> bool:
        """Count the row; True when it holds a value (a formula with none holds none)."""
        if any(v is not None and v != "" and v is not NO_VALUE for v in row):
            self.seen += 1
            if self.seen > self.limit:
                raise UnreadableFile(msg.file_too_many_rows(limit=_spaced(self.limit)))
            return True
        return False


@dataclass(frozen=True)
class Sheet:
    """A sheet: its name and rows of cell values (str, float, int, datetime, None, NO_VALUE)."""

    name: str
    rows: list[list[object]]
    # Excel's date system: 0 from 1900, 1 from 1904 (Mac workbooks).
    datemode: int = 0
    # Hidden sheets are read (their cells count towards the limits) but give no rows.
    hidden: bool = False
    # Indexes into rows of the rows hidden in the file (read all the same).
    hidden_rows: frozenset[int] = _NONE


@dataclass(frozen=True, slots=True)  # slots: 65,535 of them are held at once
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
    # The row is hidden in the file (Format → Hide, a filter, a collapsed group).
    hidden: bool = False
    # Keys of NOTED_KEYS whose cell is a formula with no saved value (read as empty).
    no_value: frozenset[str] = _NONE


def detect_format(data: bytes) -> str:
    """The file's format from its bytes, never its name: 'xls' (an OLE2 compound document:
    BIFF8, or BIFF5/7 as Excel 95 and 1C write), 'xlsx' (zip), 'html' (a web page with a
    table, as some programs save «.xls»), 'csv' (text with ; , or tab between fields).

    Raises UnreadableFile for an empty file or anything else.
    """
    if not data.strip():
        raise UnreadableFile(msg.FILE_EMPTY)
    if data.startswith(OLE2_MAGIC):
        return "xls"
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and re.search(rb"<table", data[:1_000_000], re.IGNORECASE):
        return "html"
    if b"\x00" not in data[:65536] and re.search(rb"[;\t,]", data[:4096]):
        return "csv"
    raise UnreadableFile(msg.FILE_NOT_SPREADSHEET)


# BIFF records that put a value into a cell (xlrd ignores blanks without formatting_info):
# NUMBER, RK, LABELSST, LABEL, RSTRING, FORMULA (BIFF5+ and BIFF4), BOOLERR; MULRK spans cells.
_VALUE_RECORDS = frozenset({0x0203, 0x027E, 0x00FD, 0x0204, 0x00D6, 0x0006, 0x0406, 0x0205})
_MULRK, _BOF, _BOUNDSHEET, _ROW, _FORMULA = 0x00BD, 0x0809, 0x0085, 0x0208, 0x0006
_TEXT, _NUMBER = xlrd.XL_CELL_TEXT, xlrd.XL_CELL_NUMBER
_BIFF_ROWS = 65_536
# ROW record: the «row height zero» flag (fDyZero), a hidden row.
_ROW_HIDDEN = 0x20


class _XlsMarks:
    """What xlrd tells only with formatting_info (which costs the cell budget): the hidden
    rows of one worksheet, and its formula cells whose saved result is an empty text, per row
    a bit for each of the first 64 columns."""

    def __init__(self):
        self.hidden = bytearray(_BIFF_ROWS)
        self.blank_formulas = array.array("Q", bytes(8 * _BIFF_ROWS))

    def hidden_rows(self, nrows: int) -> frozenset[int]:
        return frozenset(r for r in range(min(nrows, _BIFF_ROWS)) if self.hidden[r])


def _xls_cells(data: bytes, limits: IntakeLimits) -> dict[int, _XlsMarks]:
    """Refuse an .xls whose sheets would make xlrd hold more than limits.max_cells cells;
    return the marks (_XlsMarks) of the first limits.max_sheets worksheets by their index.

    Walks the records of the workbook stream without building anything: a row read with
    ragged rows is as long as its last value cell, so one value in column IV of each of 65,536
    rows of a few sheets (a file of a few megabytes) would otherwise take gigabytes. Marks
    take 576 kB a worksheet that has any.
    """
    try:
        doc = xlrd.compdoc.CompDoc(data, logfile=io.StringIO())
        stream = doc.get_named_stream("Workbook") or doc.get_named_stream("Book")
    except (xlrd.compdoc.CompDocError, AssertionError, IndexError, ValueError,
            struct.error) as exc:
        raise UnreadableFile(msg.FILE_DAMAGED) from exc
    if stream is None:  # an OLE2 file of another program (.doc, .msg)
        raise UnreadableFile(msg.FILE_NOT_SPREADSHEET)
    widths = array.array("H", bytes(2 * _BIFF_ROWS))
    held, position, end = 0, 0, len(stream)
    unpack = struct.unpack_from
    # The stream offset of each worksheet's BOF (BOUNDSHEET), in xlrd's order of sheets.
    worksheet_at: dict[int, int] = {}
    marks: dict[int, _XlsMarks] = {}
    sheet: int | None = None
    while position + 4 <= end:
        record, length = unpack("<HH", stream, position)
        body = position + 4
        position = body + length
        if position > end:
            break
        if record == _BOF:
            widths = array.array("H", bytes(2 * _BIFF_ROWS))  # a new sheet
            sheet = worksheet_at.get(body - 4)
        elif record in _VALUE_RECORDS or record == _MULRK:
            if length < 4:
                continue
            row, column = unpack("<HH", stream, body)
            if record == _MULRK and length >= 6:
                column = unpack("<H", stream, position - 2)[0]
            row %= _BIFF_ROWS
            width = min(column, 65_534) + 1
            if width > widths[row]:
                held += width - widths[row]
                widths[row] = width
                if held > limits.max_cells:
                    raise UnreadableFile(msg.file_too_many_cells(
                        limit=_spaced(limits.max_cells)))
            # A formula whose result is an empty text (result type 3 under the 0xFFFF
            # marker): what xlwt and other writers that do not calculate store. Excel stores a
            # formula that gives "" the same way, so the note only ever replaces a check's
            # «not given» (spreadsheets/upload.py).
            if record == _FORMULA and sheet is not None and length >= 14 \
                    and column < MAX_COLUMNS and stream[body + 6] == 3 \
                    and stream[body + 12:body + 14] == b"\xff\xff":
                marks.setdefault(sheet, _XlsMarks()).blank_formulas[row] |= 1 << column
        elif record == _ROW and sheet is not None and length >= 16:
            if unpack("<H", stream, body + 12)[0] & _ROW_HIDDEN:
                marks.setdefault(sheet, _XlsMarks()).hidden[
                    unpack("<H", stream, body)[0]] = 1
        elif record == _BOUNDSHEET and length >= 6 and stream[body + 5] == 0:
            if len(worksheet_at) < limits.max_sheets:  # past it the file is refused
                worksheet_at[unpack("<i", stream, body)[0]] = len(worksheet_at)
    return marks


def _spaced(n: int) -> str:
    """70000 → «70 000», as Russian texts write numbers."""
    return f"{n:,}".replace(",", " ")


def _open_xls(data: bytes, encoding: str | None = None):
    try:
        return xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True,
                                  encoding_override=encoding, logfile=io.StringIO())
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, AssertionError, IndexError, ValueError,
            KeyError, UnicodeDecodeError, LookupError, OverflowError, EOFError,
            struct.error) as exc:
        raise UnreadableFile(msg.FILE_DAMAGED) from exc


def _xls_sheets(data: bytes, limits: IntakeLimits) -> list[Sheet]:
    marks = _xls_cells(data, limits)
    book = _open_xls(data)
    if book.biff_version < 80 and book.codepage is None:
        # Excel 95 files of Russian programs that name no code page are in Windows-1251, not
        # the Latin-1 xlrd would assume.
        book.release_resources()
        book = _open_xls(data, "cp1251")
    sheets = []
    rows_seen = _RowCounter(limits.max_rows)
    try:
        if book.nsheets > limits.max_sheets:
            raise UnreadableFile(msg.file_too_many_sheets(limit=limits.max_sheets))
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows = []
            row_types, row_values = sheet.row_types, sheet.row_values
            sheet_marks = marks.get(index)
            blank_formulas = sheet_marks.blank_formulas if sheet_marks else None
            for r in range(sheet.nrows):
                row = row_values(r, 0, MAX_COLUMNS)
                for c, ctype in enumerate(row_types(r, 0, MAX_COLUMNS)):
                    if ctype == _TEXT or ctype == _NUMBER:
                        continue
                    if ctype == xlrd.XL_CELL_DATE:
                        try:
                            row[c] = xlrd.xldate_as_datetime(row[c], book.datemode)
                        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
                            pass
                    elif ctype == xlrd.XL_CELL_BOOLEAN:
                        row[c] = bool(row[c])  # xlrd gives 1/0; TRUE is not a reading
                    else:  # empty, blank, error
                        row[c] = None
                if blank_formulas is not None and r < _BIFF_ROWS and blank_formulas[r]:
                    bits = blank_formulas[r]
                    for c in range(len(row)):
                        if bits >> c & 1 and row[c] == "":
                            row[c] = NO_VALUE
                rows_seen.add(row)
                rows.append(row)
            sheets.append(Sheet(sheet.name, rows, book.datemode, bool(sheet.visibility),
                                sheet_marks.hidden_rows(len(rows)) if sheet_marks
                                else _NONE))
            book.unload_sheet(index)
    except (xlrd.XLRDError, AssertionError, IndexError, ValueError, KeyError,
            UnicodeDecodeError, LookupError, OverflowError, struct.error) as exc:
        raise UnreadableFile(msg.FILE_DAMAGED) from exc
    finally:
        book.release_resources()
    return sheets


class _Doctype(Exception):
    """An XML part declares a document type."""


class _RootElement(Exception):
    """An XML part's prolog is over: no document type can follow."""


def _raise(kind: type[Exception]):
    def handler(*_args):
        raise kind

    return handler


def _declares_doctype(part) -> bool:
    """True when the XML read from the file object `part` declares a DOCTYPE before its root
    element; False when it does not, or is no XML (the reader then judges it).

    Expat reads the prolog only: it is stopped at the DOCTYPE or the root element's start, so
    no entity is declared, expanded or fetched, and a part costs its first kilobytes.
    """
    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _raise(_Doctype)
    parser.StartElementHandler = _raise(_RootElement)
    try:
        while chunk := part.read(16 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Doctype:
        return True
    except (_RootElement, xml.parsers.expat.ExpatError):
        return False
    return False


def _check_zip(data: bytes, limits: IntakeLimits) -> None:
    """Refuse an .xlsx whose parts would decompress past the limits, before any XML is parsed:
    in all, any part against its compressed size (a zip bomb), and the shared strings, which a
    reader keeps whole in memory; then one whose any part declares a DOCTYPE (an entity bomb,
    an external entity: docs/spec.md §14.4; no spreadsheet program writes one).

    zipfile reads a member only up to its declared size, so the declared sizes bound the work.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableFile(msg.FILE_DAMAGED) from exc
    too_large = UnreadableFile(msg.file_unzipped_too_large(
        limit_mb=limits.max_unzipped_bytes // (1024 * 1024)))
    if sum(info.file_size for info in members) > limits.max_unzipped_bytes:
        raise too_large
    for info in members:
        if info.file_size > 1024 * 1024 and \
                info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise UnreadableFile(msg.FILE_PACKED_SUSPICIOUSLY)
        if info.filename.lower().endswith("sharedstrings.xml") and \
                info.file_size > limits.max_shared_strings_bytes:
            raise too_large
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in members:
                if not info.is_dir():
                    with archive.open(info) as part:
                        if _declares_doctype(part):
                            raise UnreadableFile(msg.FILE_FORBIDDEN_XML)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError,
            NotImplementedError, zlib.error) as exc:
        # A damaged member, one packed by a method zipfile lacks, or an encrypted one.
        raise UnreadableFile(msg.FILE_DAMAGED) from exc


@functools.cache
def _sheet_parser():
    """openpyxl's parser of a sheet's XML, which also tells what its read-only rows leave out:
    whether a row is hidden, and formula cells with no saved result (NO_VALUE)."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class SheetParser(WorkSheetParser):
        # Whether the row parse() yielded last is hidden.
        hidden = False

        def parse_row(self, row):
            number, cells = super().parse_row(row)
            for cell, element in zip(cells, row, strict=False):  # a cell per <c>, in order
                # Excel keeps a formula's result in <v> (t="str" and an empty <v> for "");
                # openpyxl and others that do not calculate write <f> with an empty or no <v>.
                if cell["value"] is None and element.find(FORMULA_TAG) is not None and (
                        element.find(VALUE_TAG) is None or element.get("t") != "str"):
                    cell["value"] = NO_VALUE
            self.hidden = row.get("hidden") in ("1", "true")
            return number, cells

    return SheetParser


def _xlsx_sheets(data: bytes, limits: IntakeLimits) -> list[Sheet]:
    # openpyxl reads the XML with defusedxml (a dependency), so no entity is expanded; a
    # DOCTYPE is refused before that (_check_zip).
    import openpyxl
    from defusedxml import DefusedXmlException

    _check_zip(data, limits)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except DefusedXmlException as exc:
        raise UnreadableFile(msg.FILE_FORBIDDEN_XML) from exc
    except Exception as exc:  # openpyxl raises many kinds on broken and hostile XML
        raise UnreadableFile(msg.FILE_DAMAGED) from exc
    rows_seen = _RowCounter(limits.max_rows)
    parser_class = _sheet_parser()
    try:
        if len(book.worksheets) > limits.max_sheets:
            raise UnreadableFile(msg.file_too_many_sheets(limit=limits.max_sheets))
        datemode = 1 if book.epoch.year == 1904 else 0
        sheets = []
        for ws in book.worksheets:
            # The read-only sheet's own row loop (ReadOnlyWorksheet._cells_by_row) with the
            # parser above; every row is read, whatever <dimension> a program wrote.
            rows: list[list[object]] = []
            hidden_rows: set[int] = set()
            last = empty_run = 0
            with ws._get_source() as source:
                parser = parser_class(source, ws._shared_strings, data_only=True,
                                      epoch=book.epoch, date_formats=book._date_formats,
                                      timedelta_formats=book._timedelta_formats)
                for number, cells in parser.parse():
                    if number <= last:
                        continue  # a row number again or going back: openpyxl drops it too
                    empty_run += number - last - 1
                    last = number
                    row: list[object] = [None] * MAX_COLUMNS
                    for cell in cells:
                        if 1 <= cell["column"] <= MAX_COLUMNS:
                            row[cell["column"] - 1] = cell["value"]
                    if rows_seen.add(row):
                        rows.extend([] for _ in range(empty_run))
                        empty_run = 0
                        if parser.hidden:
                            hidden_rows.add(len(rows))
                        rows.append(row)
                    else:
                        # Rows a file only declares are not kept: a dimension of A1:XFD1048576
                        # costs a loop, not memory.
                        empty_run += 1
            sheets.append(Sheet(ws.title, rows, datemode, ws.sheet_state != "visible",
                                frozenset(hidden_rows)))
        return sheets
    except UnreadableFile:
        raise
    except DefusedXmlException as exc:
        raise UnreadableFile(msg.FILE_FORBIDDEN_XML) from exc
    except Exception as exc:
        raise UnreadableFile(msg.FILE_DAMAGED) from exc
    finally:
        book.close()


def _decode_text(data: bytes, declared: str | None = None) -> str:
    """Text of an HTML or CSV file: its declared charset, else UTF-8, else Windows-1251."""
    for encoding in filter(None, (declared, "utf-8-sig", "cp1251")):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise UnreadableFile(msg.FILE_NOT_SPREADSHEET)


def _limited_rows(name: str, rows: Iterator[list[object]], limits: IntakeLimits,
                  counter: _RowCounter) -> Sheet:
    kept: list[list[object]] = []
    cells = 0
    for row in rows:
        row = [None if v is None or (isinstance(v, str) and not v.strip()) else v
               for v in row[:MAX_COLUMNS]]
        counter.add(row)
        cells += len(row)
        if cells > limits.max_cells:
            raise UnreadableFile(msg.file_too_many_cells(limit=_spaced(limits.max_cells)))
        kept.append(row)
    return Sheet(name, kept)


def _html_sheets(data: bytes, limits: IntakeLimits) -> list[Sheet]:
    """Each <table> of a web page saved with an .xls name is a sheet; cells are its text."""
    import lxml.etree
    import lxml.html

    declared = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]{1,40})""", data[:8192],
                         re.IGNORECASE)
    text = _decode_text(data, declared.group(1).decode("ascii") if declared else None)
    # Declarations inside the text would contradict the decoding done above.
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    parser = lxml.html.HTMLParser(no_network=True, huge_tree=False, remove_comments=True,
                                  remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise UnreadableFile(msg.FILE_DAMAGED) from exc
    counter = _RowCounter(limits.max_rows)

    def rows_of(table) -> Iterator[list[object]]:
        for tr in table.iter("tr"):
            row: list[object] = []
            for td in tr:
                if td.tag not in ("td", "th"):
                    continue
                row.append(" ".join(td.text_content().split()) or None)
                span = td.get("colspan", "1")
                extra = int(span) - 1 if span.isdigit() and len(span) < 4 else 0
                row.extend([None] * min(extra, MAX_COLUMNS))
            yield row

    tables = root.findall(".//table")
    if len(tables) > limits.max_sheets:
        raise UnreadableFile(msg.file_too_many_sheets(limit=limits.max_sheets))
    return [_limited_rows(msg.html_table(i), rows_of(t), limits, counter)
            for i, t in enumerate(tables, 1)]


def _csv_sheets(data: bytes, limits: IntakeLimits) -> list[Sheet]:
    """A CSV file (as saved by spreadsheet programs, ; or tab or , between fields) is one sheet."""
    text = _decode_text(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";\t,", key=first.count)
    if first.count(delimiter) < 2:
        raise UnreadableFile(msg.FILE_NOT_SPREADSHEET)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [_limited_rows("CSV", reader, limits, _RowCounter(limits.max_rows))]
    except csv.Error as exc:
        raise UnreadableFile(msg.FILE_DAMAGED) from exc


_READERS = {"xls": _xls_sheets, "xlsx": _xlsx_sheets, "html": _html_sheets, "csv": _csv_sheets}


def read_sheets(data: bytes, limits: IntakeLimits) -> list[Sheet]:
    """The visible sheets of a spreadsheet file given as bytes (formats as detect_format).

    Raises UnreadableFile: empty, over a limit of `limits`, not a spreadsheet, or damaged.
    """
    if len(data) > limits.max_bytes:
        raise UnreadableFile(msg.file_too_large(
            limit_mb=limits.max_bytes // (1024 * 1024)))
    # A sheet's name is shown in notes and messages: as a text cell is.
    return [dataclasses.replace(sheet, name=without_forbidden(sheet.name, one_line=True))
            for sheet in _READERS[detect_format(data)](data, limits)]


def _as_text(value: object) -> str | None:
    """A cell meant as text: a float 215090.0 → '215090'; spaces trimmed; empty → None;
    without control, invisible and direction characters (lkk_integration/text.py): people's
    programs leave them unseen, and a row must read as it is."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = without_forbidden(str(value)).replace("\u00a0", " ").strip()
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


def _titles(row: list[object]) -> dict[str, int]:
    found: dict[str, int] = {}
    for c, value in enumerate(row):
        key = TITLE_KEYS.get(normalize_title(visible(value)))
        if key and key not in found:
            found[key] = c
    return found


def _header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        found = _titles(row)
        if all(k in found for k in REQUIRED):
            return r, found
    return None


def _missing_columns(sheets: list[Sheet]) -> UnreadableFile:
    """The refusal of a file with no complete header: the columns missing from the row that
    looks most like one (an older template, a renamed column), else all required ones."""
    titles = dict(COLUMNS[INDIVIDUAL])
    best: tuple[int, str, int, dict[str, int]] | None = None
    for sheet in sheets:
        for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            found = {k: c for k, c in _titles(row).items() if k in REQUIRED}
            if len(found) >= 2 and (best is None or len(found) > best[0]):
                best = (len(found), sheet.name, r + 1, found)
    if best is None:
        return UnreadableFile(msg.file_no_template_sheets(
            columns=", ".join(f"«{titles[k]}»" for k in REQUIRED)))
    _count, sheet_name, row_number, found = best
    missing = [f"«{titles[k]}»" for k in REQUIRED if k not in found]
    return UnreadableFile(msg.file_missing_columns(
        columns=", ".join(missing), sheet=sheet_name, row=row_number))


def unread_sheets(sheets: list[Sheet]) -> list[str]:
    """What filled_rows leaves unread though it holds values, one Russian line per sheet:
    hidden sheets, and visible ones without the template's header (the template's own hidden
    version sheet is not mentioned)."""
    lines = []
    for sheet in sheets:
        if sheet.name == VERSION_SHEET or not any(
                any(v is not None and v != "" and v is not NO_VALUE for v in row)
                for row in sheet.rows):
            continue
        if sheet.hidden:
            lines.append(msg.sheet_hidden(sheet=sheet.name))
        elif _header(sheet) is None:
            lines.append(msg.sheet_without_header(sheet=sheet.name))
    return lines


# Cells whose formula with no saved value an IntakeRow names (they are what the checks need).
NOTED_KEYS = ("meter_number", "t1", "t2", "t3", "reading_date")
_READ_KEYS = NOTED_KEYS + ("address", "apartment", "account")


def filled_rows(sheets: list[Sheet]) -> Iterator[IntakeRow]:
    """The rows read from a filled file: those of every visible sheet that has the template's
    header, found by column titles (unread_sheets says what is left out). A row with nothing
    but empty cells and formulas with no saved value is left out like an empty one.

    Raises UnreadableFile naming the missing columns when no visible sheet has them.
    """
    sheets = [sheet for sheet in sheets if not sheet.hidden]
    headers = [(sheet, _header(sheet)) for sheet in sheets]
    if not any(h for _s, h in headers):
        raise _missing_columns(sheets)
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

        # Column of each key, or the index of a None cell appended to every row.
        width = max(columns.values()) + 2
        at = {key: columns.get(key, width - 1) for key in _READ_KEYS}
        t1_at, t2_at, t3_at = at["t1"], at["t2"], at["t3"]
        padding = [None] * width
        hidden_rows = sheet.hidden_rows

        for r in range(header_row + 1, len(sheet.rows)):
            row = sheet.rows[r]
            if len(row) < width:
                row = row + padding[:width - len(row)]
            else:
                row = row[:width - 1] + [None]
            no_value: frozenset[str] = _NONE
            if NO_VALUE in row:
                no_value = frozenset(k for k in NOTED_KEYS if row[at[k]] is NO_VALUE)
                row = [None if v is NO_VALUE else v for v in row]
            values = [None if isinstance(v, str) and not v.strip() else v
                      for v in map(visible, (row[t1_at], row[t2_at], row[t3_at]))]
            meter_number = _as_text(row[at["meter_number"]])
            raw_date = visible(row[at["reading_date"]])
            if isinstance(raw_date, str) and not raw_date.strip():
                raw_date = None
            elif isinstance(raw_date, (int, float)) and not isinstance(raw_date, bool):
                raw_date = _serial_date(raw_date, sheet.datemode)
            if meter_number is None and raw_date is None and all(v is None for v in values):
                continue  # an empty row
            yield IntakeRow(sheet=sheet.name, row_number=r + 1, kind=kind,
                            address=_as_text(row[at["address"]]),
                            apartment=_as_text(row[at["apartment"]]),
                            account=_as_text(row[at["account"]]),
                            meter_number=meter_number, raw_date=raw_date, raw_values=values,
                            hidden=r in hidden_rows, no_value=no_value)
