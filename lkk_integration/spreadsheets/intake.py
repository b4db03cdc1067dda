"""Reading filled spreadsheets: the format from the bytes, columns by their titles
(docs/spec.md §14). Bytes in, rows out; an unusable file raises UnreadableFile with one clear
message, a doubtful row only gets a note later."""
from __future__ import annotations

import array
import csv
import ctypes
import dataclasses
import datetime as dt
import functools
import io
import operator
import re
import struct
import tempfile
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

    def holding(self, holds: bool) -> None:
        """Count a row its reader found holding a value (`holds`) or not."""
        if holds:
            self.seen += 1
            if self.seen > self.limit:
                raise UnreadableFile(msg.file_too_many_rows(limit=_spaced(self.limit)))

    def add(self, row: list[object]) -> bool:
        """Count the row; True when it holds a value (a formula with none holds none)."""
        # list.count compares in C: "" and None are empty, NO_VALUE only equals itself.
        if len(row) > row.count("") + row.count(None) + row.count(NO_VALUE):
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
    # «Не снято, причина»: a reason instead of values, as written (docs/spec.md §13.11).
    not_read: str | None = None


def _zip_format(data: bytes) -> str:
    """'ods' for an OpenDocument spreadsheet (its «mimetype» member), 'xlsb' for a zip with
    xl/workbook.bin, else 'xlsx' (a damaged zip too: the reader says so)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.NameToInfo
            if "mimetype" in names:
                with archive.open("mimetype") as part:
                    mimetype = part.read(100)
                if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                    return "ods"
                if mimetype.startswith(b"application/vnd.oasis.opendocument"):
                    raise UnreadableFile(msg.FILE_NOT_SPREADSHEET)  # a text, a drawing
            if "xl/workbook.bin" in names:
                return "xlsb"
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError,
            NotImplementedError, zlib.error):
        pass
    return "xlsx"


def detect_format(data: bytes) -> str:
    """The file's format from its bytes, never its name: 'xls' (an OLE2 compound document:
    BIFF8, or BIFF5/7 as Excel 95 and 1C write), 'xlsx', 'xlsb' and 'ods' (zip: by their
    parts), 'html' (a web page with a table, as some programs save «.xls»), 'csv' (text with
    ; , or tab between fields).

    Raises UnreadableFile for an empty file or anything else.
    """
    if not data.strip():
        raise UnreadableFile(msg.FILE_EMPTY)
    if data.startswith(OLE2_MAGIC):
        return "xls"
    if data.startswith(ZIP_MAGIC):
        return _zip_format(data)
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
_CODEPAGE, _DATEMODE = 0x0042, 0x0022
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

    def formula_bits(self, row: int) -> int:
        return self.blank_formulas[row] if row < _BIFF_ROWS else 0

    def has_formulas(self) -> bool:
        return self.blank_formulas.tobytes().count(0) < 8 * _BIFF_ROWS


@dataclass
class _XlsScan:
    """What the walk of an .xls workbook stream found (_xls_cells)."""

    # The marks of the first max_sheets worksheets by their index.
    marks: dict[int, _XlsMarks]
    # Cells of the rectangles from each sheet's first value cell to its last (what a reader
    # that holds a sheet as a rectangle, calamine, allocates), all sheets together.
    rectangles: int
    biff: int           # the first BOF's version: 0x0600 BIFF8, 0x0500 BIFF5/7
    codepage: int | None
    datemode: int       # 1 when the DATEMODE record says the 1904 date system


def _xls_cells(data: bytes, limits: IntakeLimits) -> _XlsScan:
    """Refuse an .xls whose sheets would make xlrd hold more than limits.max_cells cells;
    return the marks (_XlsMarks) of the first limits.max_sheets worksheets by their index, the
    cells of the sheets' rectangles, the BIFF version, the code page and the date system.

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
    rectangles = 0
    unpack = struct.unpack_from
    header = struct.Struct("<HH").unpack_from
    value_records = _VALUE_RECORDS | {_MULRK}
    # The stream offset of each worksheet's BOF (BOUNDSHEET), in xlrd's order of sheets.
    worksheet_at: dict[int, int] = {}
    marks: dict[int, _XlsMarks] = {}
    sheet: int | None = None
    biff, codepage, datemode = 0, None, 0
    # Whether the substream read now has a value cell (its rectangle is counted at its end).
    filled = False
    # The header and a cell record's row and column in one unpack (a stream ends with EOF's
    # header, so the 4 bytes more are there but for a damaged stream: see the last loop).
    header_and_cell = struct.Struct("<HHHH").unpack_from
    last_full = end - 8
    while position + 4 <= end:
        if position <= last_full:
            record, length, row, column = header_and_cell(stream, position)
        else:
            record, length = header(stream, position)
            row = column = 0
        body = position + 4
        position = body + length
        if position > end:
            break
        if record in value_records:
            if length < 4:
                continue
            if record == _MULRK and length >= 6:
                column = unpack("<H", stream, position - 2)[0]
            # row and column are 16-bit: a row is below 65,536; a width fits the array's 16 bits
            width = column + 1 if column < 65_535 else 65_535
            filled = True
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
        elif record == _ROW:
            if sheet is not None and length >= 16 and \
                    unpack("<H", stream, body + 12)[0] & _ROW_HIDDEN:
                marks.setdefault(sheet, _XlsMarks()).hidden[
                    unpack("<H", stream, body)[0]] = 1
        elif record == _BOF:
            if filled:
                rectangles += _rectangle(widths)
            filled = False
            widths = array.array("H", bytes(2 * _BIFF_ROWS))  # a new sheet
            sheet = worksheet_at.get(body - 4)
            if not biff and length >= 2:
                biff = unpack("<H", stream, body)[0]
        elif record == _BOUNDSHEET and length >= 6 and stream[body + 5] == 0:
            if len(worksheet_at) < limits.max_sheets:  # past it the file is refused
                worksheet_at[unpack("<i", stream, body)[0]] = len(worksheet_at)
        elif record == _CODEPAGE and length >= 2:
            codepage = unpack("<H", stream, body)[0]
        elif record == _DATEMODE and length >= 2:
            datemode = 1 if unpack("<H", stream, body)[0] else 0
    if filled:
        rectangles += _rectangle(widths)
    return _XlsScan(marks, rectangles, biff, codepage, datemode)


def _rectangle(widths: array.array) -> int:
    """Cells of the rectangle around a sheet's value cells, from the widths of its rows (the
    first column is taken as A: a rectangle starting further right is smaller)."""
    used = widths.tobytes()
    first = len(used) - len(used.lstrip(b"\0"))
    last = len(used.rstrip(b"\0"))
    return ((last - 1) // 2 - first // 2 + 1) * max(widths) if last else 0


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


class _CalamineFailed(Exception):
    """calamine could not read the file (its own error or a panic of its Rust code)."""


def _calamine_call(function, *args):
    """function(*args), calamine's failures (CalamineError, a Rust panic, which pyo3 raises
    as a BaseException) raised as _CalamineFailed."""
    try:
        return function(*args)
    except (UnreadableFile, KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as exc:  # noqa: B036 - pyo3's PanicException derives from it
        raise _CalamineFailed(repr(exc)) from exc


def _calamine_sheets(data: bytes, limits: IntakeLimits, datemode: int, marks_of,
                     extension: str) -> list[Sheet]:
    """The worksheets of an .xls, .xlsx, .xlsb or .ods read with calamine; `marks_of(n, name)`
    gives the n-th worksheet's marks (hidden rows, formulas with no saved value) or None.

    calamine holds a whole sheet as the rectangle from its first value cell to its last, so
    the caller has bounded those rectangles by the cells actually present before this is
    called. Rows are converted one at a time (iter_rows) and cut at MAX_COLUMNS; an empty
    cell is "" (as an empty text cell is). Raises _CalamineFailed, UnreadableFile for the
    limits on rows and sheets.
    """
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    # calamine reads a file by its path (the format from `extension`) as it needs it; handed
    # the bytes it keeps two more copies of them while it opens the book (26 MB more at the
    # peak of a 65,535-row .xls).
    with tempfile.NamedTemporaryFile(prefix="lkk-intake-", suffix=extension) as file:
        file.write(data)
        file.flush()
        book = _calamine_call(CalamineWorkbook.from_path, file.name)
    try:
        worksheets = [(index, meta) for index, meta in
                      enumerate(_calamine_call(getattr, book, "sheets_metadata"))
                      if meta.typ == SheetTypeEnum.WorkSheet]
        if len(worksheets) > limits.max_sheets:
            raise UnreadableFile(msg.file_too_many_sheets(limit=limits.max_sheets))
        # Each sheet comes as its own copy; the book (which keeps every sheet of an .xls or
        # .ods read at its opening) is closed before the rows are made, so that a sheet is held
        # once, not twice, beside its rows.
        ranges = [_calamine_call(book.get_sheet_by_index, index) for index, _meta in worksheets]
    finally:
        book.close()
    counter = _RowCounter(limits.max_rows)
    sheets = []
    for n, (_index, meta) in enumerate(worksheets):
        marks = marks_of(n, meta.name)
        rows = _calamine_call(_calamine_rows, ranges[n], counter, marks)
        ranges[n] = None  # its rows made, calamine's copy goes
        sheets.append(Sheet(meta.name, rows, datemode, meta.visible != SheetVisibleEnum.Visible,
                            marks.hidden_rows(len(rows)) if marks is not None else _NONE))
    _give_back_freed_memory()
    return sheets


def _give_back_freed_memory() -> None:
    """Return to the system the C heap calamine freed (glibc's malloc_trim; elsewhere nothing).

    calamine's large buffers, once freed, raise glibc's mmap threshold and stay in the heap,
    while Python's own objects come from arenas of their own: without this the memory of the
    book opened stays resident beside everything the upload makes afterwards (24 MB at the
    peak of a 65,535-row .xls upload, measured in bench/spreadsheets.py's subprocess)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc; Windows has no CDLL(None)
        return
    trim(0)


# The row before a sheet's first value row: one list for them all (nothing changes a row).
_NO_CELLS: list[object] = []


def _calamine_rows(sheet, counter: _RowCounter, marks) -> list[list[object]]:
    """The rows of a calamine sheet from row 0 (none before its first value row is made),
    each cut at MAX_COLUMNS, NO_VALUE put where `marks` say; counted by `counter`."""
    start = sheet.start
    if start is None:
        return []
    first_row, first_column = start
    rows: list[list[object]] = [_NO_CELLS] * first_row
    append, holding = rows.append, counter.holding
    pad = [""] * first_column
    bits_of = marks.formula_bits if marks is not None and marks.has_formulas() else None
    for r, row in enumerate(sheet.iter_rows(), first_row):
        if first_column:
            row = pad + row
        if len(row) > MAX_COLUMNS:
            del row[MAX_COLUMNS:]
        # calamine gives "" for an empty cell, never None; NO_VALUE only where marked.
        if bits_of is not None and (bits := bits_of(r)):
            _mark_no_value(row, bits)
            holding(len(row) > row.count("") + row.count(NO_VALUE))
        else:
            holding(len(row) > row.count(""))
        append(row)
    return rows


def _mark_no_value(row: list[object], bits: int) -> None:
    """Put NO_VALUE into the empty cells of `row` whose bit is set in `bits` (bit c: column c)."""
    for c in range(min(bits.bit_length(), MAX_COLUMNS)):
        if bits >> c & 1:
            if c >= len(row):
                row.extend([""] * (c + 1 - len(row)))
            if row[c] == "":
                row[c] = NO_VALUE


def _xls_sheets(data: bytes, limits: IntakeLimits) -> list[Sheet]:
    """An .xls read with calamine; with xlrd (as before calamine came) where calamine would
    read it otherwise or hold too much: BIFF5/7 naming no code page (Russian programs mean
    Windows-1251) or UTF-16, which BIFF5 strings cannot be (xlrd calls the file damaged); a
    sheet whose rectangle is far larger than its cells (a value in A1 and another in IV65536);
    and a file calamine cannot read at all, so that every file read before is read as before.
    """
    scan = _xls_cells(data, limits)
    if scan.rectangles <= limits.max_cells and (
            scan.biff == 0x0600 or (scan.biff == 0x0500 and scan.codepage not in (None, 1200))):
        try:
            return _calamine_sheets(data, limits, scan.datemode,
                                    lambda n, _name: scan.marks.get(n), ".xls")
        except _CalamineFailed:
            pass
    return _xls_sheets_xlrd(data, limits, scan.marks)


def _xls_sheets_xlrd(data: bytes, limits: IntakeLimits,
                     marks: dict[int, _XlsMarks]) -> list[Sheet]:
    """An .xls read with xlrd (ragged rows, a sheet at a time), as before calamine came; `marks`
    from _xls_cells."""
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


def _check_zip(data: bytes, limits: IntakeLimits, extension: str = ".xlsx") -> None:
    """Refuse an .xlsx, .xlsb or .ods (`extension`, named in the messages) whose parts would
    decompress past the limits, before any XML is parsed: in all, any part against its
    compressed size (a zip bomb), and the shared strings, which a reader keeps whole in
    memory; then one whose any part declares a DOCTYPE (an entity bomb, an external entity:
    docs/spec.md §14.4; no spreadsheet program writes one).

    zipfile reads a member only up to its declared size, so the declared sizes bound the work.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableFile(msg.FILE_DAMAGED) from exc
    too_large = UnreadableFile(msg.file_unzipped_too_large(
        limit_mb=limits.max_unzipped_bytes // (1024 * 1024), extension=extension))
    if sum(info.file_size for info in members) > limits.max_unzipped_bytes:
        raise too_large
    for info in members:
        if info.file_size > 1024 * 1024 and \
                info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise UnreadableFile(msg.file_packed_suspiciously(extension))
        if info.filename.lower().endswith(("sharedstrings.xml", "sharedstrings.bin")) and \
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


def _xlsx_sheets_openpyxl(data: bytes, limits: IntakeLimits) -> list[Sheet]:
    # openpyxl reads the XML with defusedxml (a dependency), so no entity is expanded; a
    # DOCTYPE is refused before that (_check_zip).
    import openpyxl
    from defusedxml import DefusedXmlException

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


class _RowMarks:
    """A sheet's marks found by scanning its XML: rows hidden in the file and cells holding a
    formula with no saved value (NO_VALUE), by 0-based row, a bit a column."""

    __slots__ = ("hidden", "blanks")

    def __init__(self):
        self.hidden: set[int] = set()
        self.blanks: dict[int, int] = {}

    def hidden_rows(self, nrows: int) -> frozenset[int]:
        return frozenset(r for r in self.hidden if r < nrows)

    def formula_bits(self, row: int) -> int:
        return self.blanks.get(row, 0)

    def has_formulas(self) -> bool:
        return bool(self.blanks)


@dataclass
class _ZipScan:
    """What scanning a zipped workbook's sheets found: each worksheet's marks (by name for
    .xlsx, by position for .ods), the cells of their rectangles, the date system."""

    marks: dict[object, _RowMarks]
    rectangles: int
    datemode: int


# Chunks a sheet's XML is scanned in; a row longer than _LONGEST_ROW sends the file to the
# streaming reader.
_CHUNK = 1024 * 1024
_LONGEST_ROW = 16 * 1024 * 1024


def _whole_rows(part, end_tag: bytes) -> Iterator[bytes]:
    """The XML read from `part` in pieces that end after an `end_tag` (the last piece: at the
    end); raises _Unscannable past _LONGEST_ROW without one."""
    carry = b""
    while chunk := part.read(_CHUNK):
        buffer = carry + chunk if carry else chunk
        cut = buffer.rfind(end_tag)
        if cut < 0:
            if len(buffer) > _LONGEST_ROW:
                raise _Unscannable
            carry = buffer
            continue
        cut += len(end_tag)
        carry = buffer[cut:]
        yield buffer[:cut]
    if carry:
        yield carry


class _Unscannable(Exception):
    """A sheet's XML is not laid out as the scan expects; the streaming reader reads it."""


_XLSX_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_XLSX_HIDDEN_ROW = re.compile(rb'<row\s[^>]*?\bhidden="(?:1|true)"[^>]*>')
_XLSX_ROW_NUMBER = re.compile(rb'\sr="([0-9]{1,7})"')
_XLSX_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:(?:c|row|sheetData)[\s>/]")
# What a prefixed name ends with: a search that starts at a byte few pieces hold (":").
_XLSX_PREFIX_TAIL = re.compile(rb":(?:c|row|sheetData)[\s>/]")
# A cell's reference as calamine and the scan read it: 1–3 capitals, a row without a leading 0.
_XLSX_REFERENCE = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
_XLSX_FORMULA = re.compile(rb"<f[\s>/]")
_XLSX_VALUE = re.compile(rb"<v(?:\s[^>]*)?>[^<]|<is>")


def _column_number(letters: bytes) -> int:
    """b"A" → 0, b"AB" → 27."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1


def _number_outside(low: int, high: int) -> bytes:
    """A regular expression (bytes) matching a whole decimal number below `low` or above
    `high` (low ≤ high, no leading zeros), to find one cell that breaks the order of rows."""
    def above(n: str) -> list[str]:
        ways = [f"[1-9][0-9]{{{len(n)},}}"]
        for i, digit in enumerate(n):
            if digit != "9":
                ways.append(f"{n[:i]}[{int(digit) + 1}-9][0-9]{{{len(n) - i - 1}}}")
        return ways

    def below(n: str) -> list[str]:
        ways = [f"[1-9][0-9]{{0,{len(n) - 2}}}"] if len(n) > 1 else []
        for i, digit in enumerate(n):
            smallest = 1 if i == 0 else 0
            if int(digit) > smallest:
                ways.append(f"{n[:i]}[{smallest}-{int(digit) - 1}][0-9]{{{len(n) - i - 1}}}")
        return ways

    return "|".join(below(str(low)) + above(str(high))).encode()


def _xlsx_rare(columns: set[bytes], top: int, bottom: int, formulas: bool) -> re.Pattern:
    """One regular expression finding, in a piece of a worksheet's XML whose referenced cells
    run from row `top` to `bottom`, what the common cell does not have: a cell whose reference
    is not its first attribute (or has none), a reference whose column is not among `columns`
    (or is no plain one: a leading zero, lower case), a row outside top..bottom, and (when
    `formulas`) a formula."""
    known = b"(?!(?:" + b"|".join(sorted(columns)) + b")[1-9])" if columns else b""
    return re.compile(rb'<(?:c(?:(?! r=")[\s>/]| r="(?:' + known + rb"|[A-Z]{1,3}(?:"
                      + _number_outside(top, bottom) + rb')"))'
                      + (rb"|f[\s>/]" if formulas else b"") + b")")


def _xlsx_sheet_scan(part) -> tuple[int, _RowMarks]:
    """The cells of the rectangle around a worksheet's cells (from their references, as
    calamine places them) and its marks; raises _Unscannable for a layout calamine places
    otherwise (cells without a reference first, prefixed element names), for a reference that
    is no plain one and for rows out of order (then the streaming reader reads the file).

    Per piece only a few searches run over the bytes (no object per cell): its first and last
    cell give the rows, one regular expression (_xlsx_rare) finds any cell outside them, any
    column not yet seen and any formula; a hidden row and a prefixed name are looked for by
    a byte that only they need."""
    marks = _RowMarks()
    columns: set[bytes] = set()
    low = high = None
    for piece in _whole_rows(part, b"</row>"):
        if _XLSX_PREFIX_TAIL.search(piece) and _XLSX_PREFIXED.search(piece):
            raise _Unscannable
        first = _XLSX_REFERENCE.search(piece)
        if first is None:
            top, bottom = 1, 0  # no row is inside: any referenced cell is found as outside
        else:
            last = _XLSX_REFERENCE.match(piece, piece.rfind(b'<c r="'))
            if last is None:
                raise _Unscannable
            top, bottom = int(first[2]), int(last[2])
            if top > bottom:
                raise _Unscannable
            low = top if low is None else min(low, top)
            high = bottom if high is None else max(high, bottom)
        rare = _xlsx_rare(columns, top, bottom, True)
        position = 0
        while found := rare.search(piece, position):
            if piece[found.start() + 1] == 0x66:  # b"f": the piece's formulas, all at once
                _xlsx_formulas(piece, marks)
                rare = _xlsx_rare(columns, top, bottom, False)
                position = found.end()
                continue
            reference = _XLSX_REFERENCE.match(piece, found.start())
            if reference is None or reference[1] in columns or \
                    not top <= int(reference[2]) <= bottom:
                raise _Unscannable
            columns.add(reference[1])
            rare = _xlsx_rare(columns, top, bottom, rare.pattern.endswith(rb"|f[\s>/])"))
            position = found.start()
        if b'hidden="' in piece:
            for hidden in _XLSX_HIDDEN_ROW.finditer(piece):
                if number := _XLSX_ROW_NUMBER.search(hidden[0]):
                    marks.hidden.add(int(number[1]) - 1)
    if low is None:
        return 0, marks
    numbers = [_column_number(letters) for letters in columns]
    return (high - low + 1) * (max(numbers) - min(numbers) + 1), marks


def _xlsx_formulas(piece: bytes, marks: _RowMarks) -> None:
    """Mark the formula cells of `piece` that keep no result: Excel keeps a formula's result in
    <v> (t="str" and an empty <v> for ""); openpyxl and others that do not calculate write <f>
    with an empty or no <v>."""
    for found in _XLSX_FORMULA.finditer(piece):
        start = piece.rfind(b"<c ", 0, found.start())
        end = piece.find(b"</c>", found.start())
        cell = piece[start:end] if start >= 0 and end >= 0 else b""
        reference = _XLSX_CELL.match(cell)
        if reference is None or _XLSX_VALUE.search(cell):
            continue
        tag = cell[:cell.find(b">")]
        if b"<v" in cell and b' t="str"' in tag:
            continue  # a formula giving "", as Excel saves it
        column = _column_number(reference[1])
        if column < MAX_COLUMNS:
            row = int(reference[2]) - 1
            marks.blanks[row] = marks.blanks.get(row, 0) | 1 << column


_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _xlsx_scan(archive: zipfile.ZipFile) -> _ZipScan | None:
    """Scan an .xlsx's worksheets (_xlsx_sheet_scan) and read its date system; None when the
    layout is one the scan does not know (the streaming reader then reads the file)."""
    import xml.etree.ElementTree as ElementTree  # the parts have no DOCTYPE (_check_zip)

    try:
        workbook = archive.read("xl/workbook.xml")
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in relations}
        scan = _ZipScan({}, 0, 1 if re.search(rb'date1904="(?:1|true)"', workbook) else 0)
        for element in ElementTree.fromstring(workbook).iter():
            if not element.tag.endswith("}sheet"):
                continue
            target = targets.get(element.get(_RELATIONSHIP_ID), "")
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            if not path.endswith(".xml") or path not in archive.NameToInfo:
                continue  # a chart sheet, or none: calamine says what it makes of it
            with archive.open(path) as part:
                cells, marks = _xlsx_sheet_scan(part)
            scan.rectangles += cells
            scan.marks[element.get("name")] = marks
        return scan
    except (_Unscannable, KeyError, ElementTree.ParseError):
        return None


def _xlsx_sheets(data: bytes, limits: IntakeLimits) -> list[Sheet]:
    """An .xlsx read with calamine after its sheets' XML is scanned for the rectangles calamine
    would hold and the marks it does not give (hidden rows, formulas with no saved value);
    with openpyxl's streaming parser (as before calamine came) when the rectangles are far
    larger than the cells actually present, the scan does not know the layout, or calamine
    cannot read the file."""
    _check_zip(data, limits)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        scan = _xlsx_scan(archive)
    if scan is not None and scan.rectangles <= limits.max_cells:
        try:
            return _calamine_sheets(data, limits, scan.datemode,
                                    lambda _n, name: scan.marks.get(name), ".xlsx")
        except _CalamineFailed:
            pass
    return _xlsx_sheets_openpyxl(data, limits)


_ODS_TOKEN = re.compile(rb"<table:table(-row)?(?=[\s>/])([^>]*)>")
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s>/])([^>]*)>")
_ODS_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="([0-9]{1,9})"')
_ODS_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="([0-9]{1,9})"')
_ODS_1904 = re.compile(rb'<table:null-date[^>]*table:date-value="1904-01-01"')
_ROW_END = b"</table:table-row>"


def _ods_scan(archive: zipfile.ZipFile, limits: IntakeLimits) -> _ZipScan:
    """Scan an .ods's content.xml: the cells of each table's rectangle from its first row
    holding a value to its last (repeated rows and cells counted as calamine expands them),
    hidden rows (table:visibility collapse or filter), formula cells with no value, and the
    1904 date system (table:null-date). Raises UnreadableFile past limits.max_cells."""
    scan = _ZipScan({}, 0, 0)
    table = -1
    marks = _RowMarks()
    row = 0
    first = last = None
    width = 0

    def table_done():
        if first is not None:
            scan.rectangles += (last - first + 1) * width
            if scan.rectangles > limits.max_cells:
                raise UnreadableFile(msg.file_too_many_cells(limit=_spaced(limits.max_cells)))

    try:
        with archive.open("content.xml") as part:
            for piece in _whole_rows(part, _ROW_END):
                if table < 0 and _ODS_1904.search(piece):
                    scan.datemode = 1
                # What few rows have, looked for once a piece: then most rows cost a search
                # for a value and a count of their cells.
                formulas = b"table:formula" in piece
                texts = b"<text:" in piece
                covered = b"<table:covered-table-cell" in piece
                repeated = b"columns-repeated" in piece
                find, count = piece.find, piece.count
                for token in _ODS_TOKEN.finditer(piece):
                    attributes = token[2]
                    if token[1] is None:  # a table
                        table_done()
                        table += 1
                        marks = scan.marks[table] = _RowMarks()
                        row, first, last, width = 0, None, None, 0
                        continue
                    repeat = 1
                    if b"rows-repeated" in attributes:
                        found = _ODS_ROWS_REPEATED.search(attributes)
                        repeat = max(int(found[1]), 1) if found else 1
                    if attributes.endswith(b"/"):
                        row += repeat
                        continue
                    start = token.end()
                    end = find(_ROW_END, start)
                    if end < 0:
                        end = len(piece)
                    # Bounds, not a slice: a row's bytes are searched where they lie.
                    formula = formulas and find(b"table:formula", start, end) >= 0
                    if not formula and find(b"office:value-type", start, end) < 0 and not (
                            texts and find(b"<text:", start, end) >= 0):
                        row += repeat
                        continue
                    if repeat > limits.max_rows:
                        raise UnreadableFile(msg.file_too_many_rows(
                            limit=_spaced(limits.max_rows)))
                    if formula:
                        cells = _ods_row_width(piece[start:end], row, repeat, marks)
                    elif repeated and find(b"columns-repeated", start, end) >= 0:
                        cells = _ods_width(piece, start, end)
                    else:  # no cell repeated: as many columns as cells, at most
                        cells = count(b"<table:table-cell", start, end)
                        if covered:
                            cells += count(b"<table:covered-table-cell", start, end)
                    if cells:
                        first = row if first is None else first
                        last = row + repeat - 1
                        width = max(width, cells)
                        if b"table:visibility=" in attributes and \
                                b'table:visibility="visible"' not in attributes:
                            marks.hidden.update(range(row, row + repeat))
                    row += repeat
        table_done()
    except KeyError as exc:  # no content.xml
        raise UnreadableFile(msg.FILE_DAMAGED) from exc
    except _Unscannable as exc:
        raise UnreadableFile(msg.file_too_many_cells(limit=_spaced(limits.max_cells))) from exc
    return scan


def _ods_width(piece: bytes, start: int, end: int) -> int:
    """Columns of the .ods row lying in piece[start:end] up to its last cell holding a value
    (repeated cells counted), found from that cell backwards: no work per cell."""
    value = max(piece.rfind(b"office:value-type", start, end), piece.rfind(b"<text:", start, end))
    cell = max(piece.rfind(b"<table:table-cell", start, value),
               piece.rfind(b"<table:covered-table-cell", start, value))
    if cell < 0:
        return 0
    width = piece.count(b"<table:table-cell", start, cell) + \
        piece.count(b"<table:covered-table-cell", start, cell) + 1
    if piece.find(b"columns-repeated", start, end) >= 0:
        tag_end = piece.find(b">", cell, end)
        for found in _ODS_COLUMNS_REPEATED.finditer(piece, start, tag_end if tag_end >= 0 else end):
            width += max(int(found[1]), 1) - 1
    return width


def _ods_row_width(body: bytes, row: int, repeat: int, marks: _RowMarks) -> int:
    """Columns of an .ods row up to its last cell holding a value (repeated cells counted);
    marks its formula cells with no value (a program that does not calculate wrote them)."""
    column = width = 0
    for cell in _ODS_CELL.finditer(body):
        attributes = cell[1]
        count = 1
        if b"columns-repeated" in attributes:
            found = _ODS_COLUMNS_REPEATED.search(attributes)
            count = max(int(found[1]), 1) if found else 1
        valued = b"office:value-type" in attributes
        if not valued and not attributes.endswith(b"/"):
            end = body.find(b"</table:table-", cell.end())
            valued = b"<text:" in body[cell.end():end if end >= 0 else len(body)]
        if b"table:formula" in attributes and b"office:value-type" not in attributes:
            for c in range(column, min(column + count, MAX_COLUMNS)):
                for r in range(row, row + repeat):
                    marks.blanks[r] = marks.blanks.get(r, 0) | 1 << c
            valued = True
        column += count
        if valued:
            width = column
    return width


def _ods_sheets(data: bytes, limits: IntakeLimits) -> list[Sheet]:
    """An .ods (LibreOffice's own format) read with calamine after its content.xml is scanned
    (_ods_scan): calamine gives no hidden rows, no formulas and no date system."""
    _check_zip(data, limits, ".ods")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        scan = _ods_scan(archive, limits)
    try:
        return _calamine_sheets(data, limits, scan.datemode,
                                lambda n, _name: scan.marks.get(n), ".ods")
    except _CalamineFailed as exc:
        raise UnreadableFile(msg.FILE_DAMAGED) from exc


def _xlsb_records(data: bytes) -> Iterator[tuple[int, int, int]]:
    """(record type, body start, body end) of an .xlsb part: a type of 1–2 and a size of 1–4
    bytes, 7 bits each ([MS-XLSB] 2.1.4)."""
    position, end = 0, len(data)
    while position < end:
        kind = data[position]
        position += 1
        if kind & 0x80:
            if position >= end:
                return
            kind = (kind & 0x7F) | (data[position] & 0x7F) << 7
            position += 1
        size = shift = 0
        for _ in range(4):
            if position >= end:
                return
            byte = data[position]
            position += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        yield kind, position, position + size
        position += size


# BrtRowHdr; the records of cells with a value (BrtCellRk … BrtFmlaError, BrtCellRString: a
# BrtCellBlank is no cell to calamine); BrtBundleSh.
_XLSB_ROW, _XLSB_CELLS, _XLSB_SHEET = 0, frozenset({2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 62}), 156


def _xlsb_sheet_scan(data: bytes) -> tuple[int, _RowMarks]:
    """The cells of the rectangle around an .xlsb worksheet's cells and its hidden rows
    (BrtRowHdr's fDyZero); an .xlsb formula always keeps its result."""
    marks = _RowMarks()
    row = 0
    low = high = left = right = None
    unpack = struct.unpack_from
    for kind, body, end in _xlsb_records(data):
        if kind in _XLSB_CELLS and end - body >= 4:
            column = unpack("<I", data, body)[0]
            if low is None:
                low = high = row
                left = right = column
            else:
                low, high = min(low, row), max(high, row)
                left, right = min(left, column), max(right, column)
        elif kind == _XLSB_ROW and end - body >= 12:
            row = unpack("<I", data, body)[0]
            if data[body + 11] & 0x10:
                marks.hidden.add(row)
    if low is None:
        return 0, marks
    return (high - low + 1) * (right - left + 1), marks


def _xlsb_scan(archive: zipfile.ZipFile, limits: IntakeLimits) -> _ZipScan:
    """Scan an .xlsb's worksheets (_xlsb_sheet_scan) named in xl/workbook.bin (BrtBundleSh);
    raises UnreadableFile past limits.max_cells (no other reader of .xlsb is at hand)."""
    import xml.etree.ElementTree as ElementTree  # the parts have no DOCTYPE (_check_zip)

    scan = _ZipScan({}, 0, 0)
    try:
        workbook = archive.read("xl/workbook.bin")
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.bin.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in relations}
        for kind, body, end in _xlsb_records(workbook):
            if kind == 153 and end - body >= 1:  # BrtWbProp: f1904 is its first bit
                scan.datemode = workbook[body] & 1
            if kind != _XLSB_SHEET or end - body < 12:
                continue
            length = struct.unpack_from("<I", workbook, body + 8)[0]
            relation = workbook[body + 12:body + 12 + 2 * length].decode("utf-16-le")
            at = body + 12 + 2 * length
            length = struct.unpack_from("<I", workbook, at)[0]
            name = workbook[at + 4:at + 4 + 2 * length].decode("utf-16-le")
            target = targets.get(relation, "")
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            if path in archive.NameToInfo:
                cells, marks = _xlsb_sheet_scan(archive.read(path))
                scan.rectangles += cells
                scan.marks[name] = marks
    except (KeyError, ElementTree.ParseError, struct.error, UnicodeDecodeError) as exc:
        raise UnreadableFile(msg.FILE_DAMAGED) from exc
    if scan.rectangles > limits.max_cells:
        raise UnreadableFile(msg.file_too_many_cells(limit=_spaced(limits.max_cells)))
    return scan


def _xlsb_sheets(data: bytes, limits: IntakeLimits) -> list[Sheet]:
    """An .xlsb (Excel's binary workbook) read with calamine after its sheets' records are
    scanned (_xlsb_scan)."""
    _check_zip(data, limits, ".xlsb")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        scan = _xlsb_scan(archive, limits)
    try:
        return _calamine_sheets(data, limits, scan.datemode,
                                lambda _n, name: scan.marks.get(name), ".xlsb")
    except _CalamineFailed as exc:
        raise UnreadableFile(msg.FILE_DAMAGED) from exc


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


_READERS = {"xls": _xls_sheets, "xlsx": _xlsx_sheets, "ods": _ods_sheets, "xlsb": _xlsb_sheets,
            "html": _html_sheets, "csv": _csv_sheets}


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
    if type(value) is str:  # the usual cell: no conversion, the regular expressions skipped
        if not value:
            return None
        text = value if value.isprintable() else without_forbidden(value)
    elif value is None:
        return None
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = without_forbidden(str(value))
    if "\u00a0" in text:
        text = text.replace("\u00a0", " ")
    text = text.strip()
    # A number pasted as text keeps the float's tail: «217354.0».
    if ".0" in text and _FLOAT_TEXT.fullmatch(text):
        text = text.split(".")[0]
    return text or None


def _reading(value: object) -> object:
    """A T1..T3 cell as the checks take it: a number (or a date, a boolean) as it is, a text
    without the forbidden characters, an empty or blank text None."""
    if type(value) is not str:
        return value
    if not value.isprintable():
        value = without_forbidden(value)
    return value if value and not value.isspace() else None


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
# Columns a sheet may lack (an older template has no «Не снято, причина»), in this order.
_OPTIONAL_KEYS = ("address", "apartment", "account", "not_read")


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
        if header is not None:
            yield from _sheet_rows(sheet, *header)


def _sheet_rows(sheet: Sheet, header_row: int, columns: dict[str, int]) -> Iterator[IntakeRow]:
    """The rows below `header_row` of a sheet whose header has `columns` (key → column)."""
    if any(k in columns for k in INDIVIDUAL_MARKERS):
        kind = INDIVIDUAL
    elif "ratio" in columns or sheet.name.startswith(SHEET_NAMES[COMMON_HOUSE]):
        kind = COMMON_HOUSE
    else:
        kind = INDIVIDUAL
    name, datemode, hidden_rows = sheet.name, sheet.datemode, sheet.hidden_rows
    # The required columns are always there (_header); a missing optional one reads as None.
    required = [columns[k] for k in REQUIRED]
    present = [k for k in _OPTIONAL_KEYS if k in columns]
    optional = [columns[k] for k in present]
    width = max(columns.values()) + 1
    padding = [None] * width
    # The cells of a row in one C call: REQUIRED's order, then the optional ones present, each
    # optional one's place among them (None: the column is missing).
    cells_of = operator.itemgetter(*required, *optional)
    address_at, apartment_at, account_at, not_read_at = (
        len(required) + present.index(key) if key in columns else None
        for key in _OPTIONAL_KEYS)
    noted = tuple(zip(NOTED_KEYS, range(len(NOTED_KEYS)), strict=True))
    # A file's dates repeat: each serial number is converted once.
    dates: dict[float, object] = {}
    as_text, reading = _as_text, _reading
    rows = sheet.rows
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        if len(row) < width:
            row = row + padding[len(row):]
        cells = cells_of(row)
        no_value: frozenset[str] = _NONE
        if NO_VALUE in cells:
            no_value = frozenset(k for k, i in noted if cells[i] is NO_VALUE)
            cells = tuple(None if v is NO_VALUE else v for v in cells)
        meter_number = as_text(cells[0])
        values = [reading(cells[1]), reading(cells[2]), reading(cells[3])]
        raw_date = cells[4]
        kind_of_date = type(raw_date)
        if kind_of_date is float or kind_of_date is int:
            known = dates.get(raw_date)
            if known is None:
                known = _serial_date(raw_date, datemode)
                if known is not raw_date:  # a number that is no date stays as it is
                    dates[raw_date] = known
            raw_date = known
        elif kind_of_date is str:
            raw_date = reading(raw_date)
        elif kind_of_date is dt.date:  # calamine's date cell; xlrd's was a datetime
            raw_date = dt.datetime.combine(raw_date, dt.time())
        elif kind_of_date is not dt.datetime and isinstance(raw_date, (int, float)) \
                and not isinstance(raw_date, bool):
            raw_date = _serial_date(raw_date, datemode)
        not_read = None if not_read_at is None else as_text(cells[not_read_at])
        if meter_number is None and raw_date is None and values[0] is None \
                and values[1] is None and values[2] is None and not_read is None:
            continue  # an empty row
        yield IntakeRow(name, r + 1, kind,
                        None if address_at is None else as_text(cells[address_at]),
                        None if apartment_at is None else as_text(cells[apartment_at]),
                        None if account_at is None else as_text(cells[account_at]),
                        meter_number, raw_date, values, r in hidden_rows, no_value, not_read)
