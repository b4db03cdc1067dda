"""Spreadsheets as people make them: the template filled in, LibreOffice re-saving, which program
wrote an .xls, and small sheets built row by row."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import xlrd
import xlwt


def fill_template(template: bytes, fills: dict[str, dict], numeric_numbers=(),
                  extra_rows=(), edits: dict[str, dict] | None = None) -> bytes:
    """What a person does with the template: type readings and dates into its rows.

    `fills` maps a meter number to {'t1':…, 't2':…, 't3':…, 'date': date}; a number in
    `numeric_numbers` is typed as a number, so its leading zeros are lost; `extra_rows` are
    appended to the individual sheet as dicts keyed by column title; `edits` maps a meter
    number to {column title: value} overwriting prefilled cells of its row.
    """
    source = xlrd.open_workbook(file_contents=template)
    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    for sheet in source.sheets():
        out = book.add_sheet(sheet.name, cell_overwrite_ok=True)
        if sheet.visibility:
            out.visibility = 1
        titles = [c.value for c in sheet.row(0)] if sheet.nrows else []
        for r in range(sheet.nrows):
            number = None
            for c, cell in enumerate(sheet.row(r)):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    out.write(r, c, xlrd.xldate_as_datetime(cell.value, source.datemode),
                              date_style)
                elif cell.ctype not in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    out.write(r, c, cell.value)
                if r and titles[c] == "№ счетчика":
                    number = cell.value
            if r and number in fills:
                fill = fills[number]
                for key, title in (("t1", "Т1"), ("t2", "Т2"), ("t3", "Т3")):
                    if fill.get(key) is not None:
                        out.write(r, titles.index(title), fill[key])
                if fill.get("date") is not None:
                    out.write(r, titles.index("Дата показания"), fill["date"], date_style)
                if number in numeric_numbers:
                    out.write(r, titles.index("№ счетчика"), float(number))
            if r and number in (edits or {}):
                for title, value in edits[number].items():
                    out.write(r, titles.index(title), value)
        if sheet.name == "ИПУ":
            for i, extra in enumerate(extra_rows, sheet.nrows):
                for title, value in extra.items():
                    if isinstance(value, dt.date):
                        out.write(i, titles.index(title), value, date_style)
                    else:
                        out.write(i, titles.index(title), value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def resave_with_libreoffice(data: bytes, work: Path, name: str = "filled.xls") -> bytes:
    """Open and save the file in LibreOffice Calc as Excel 97–2003, the way a user's program
    would."""
    work.mkdir(parents=True, exist_ok=True)
    source = work / name
    source.write_bytes(data)
    out = work / "libreoffice-out"
    subprocess.run([soffice(), f"-env:UserInstallation=file://{work / 'lo-profile'}",
                    "--headless", "--norestore", "--convert-to", "xls:MS Excel 97",
                    "--outdir", str(out), str(source)],
                   check=True, timeout=240, capture_output=True)
    return (out / name).read_bytes()


def xls_writer(data: bytes) -> str:
    """Which program saved an .xls file, from its OLE streams.

    LibreOffice (and OpenOffice before it) name the CompObj stream's format in German,
    «Microsoft Excel 97-Tabelle», a trait of StarOffice's filter no other writer shares; Excel
    names itself in SummaryInformation; xlwt writes no CompObj stream at all.
    """
    from xlrd.compdoc import CompDoc

    doc = CompDoc(data, logfile=io.StringIO())
    comp_obj = doc.get_named_stream("\x01CompObj") or b""
    if b"Excel 97-Tabelle" in comp_obj:
        return "LibreOffice"
    summary = doc.get_named_stream("\x05SummaryInformation") or b""
    found = re.search(rb"(Microsoft Excel|Gnumeric)[^\x00]*", summary)
    if found:
        return found.group(0).decode("latin-1")
    return "" if comp_obj else "no CompObj stream (a library such as xlwt)"


# The columns of the individual sheet as the template writes them.
HEADER = ["Квартира", "№ счетчика", "Т1", "Т2", "Т3", "Дата показания"]


@dataclasses.dataclass(frozen=True)
class F:
    """A formula cell, written as a program that does not calculate writes it: no saved value."""

    text: str


def spreadsheet(fmt: str, rows: list[list], hidden: tuple[int, ...] = ()) -> bytes:
    """An .xls (xlwt) or .xlsx (openpyxl) sheet «ИПУ» of HEADER and `rows`; the rows numbered
    `hidden` (as the program shows them, the header is 1) are hidden; F cells are formulas."""
    if fmt == "xlsx":
        book = openpyxl.Workbook()
        ws = book.active
        ws.title = "ИПУ"
        for row in [HEADER] + rows:
            ws.append(["=" + v.text if isinstance(v, F) else v for v in row])
        for number in hidden:
            ws.row_dimensions[number].hidden = True
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("ИПУ")
    for r, row in enumerate([HEADER] + rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, xlwt.Formula(value.text) if isinstance(value, F) else value)
    for number in hidden:
        sheet.row(number - 1).hidden = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# A row of one reading of the story's meter 00215090.
ROW = ["1", "00215090", 12.5, None, None, dt.datetime(2026, 3, 18)]


def xlsx(rows, sheets=1, pad_bytes=0) -> bytes:
    """An .xlsx (openpyxl) of `sheets` sheets, each HEADER and `rows`; with `pad_bytes`, its
    first sheet inflates by that many bytes of spaces from a few kilobytes packed."""
    book = openpyxl.Workbook()
    for i in range(sheets):
        ws = book.active if i == 0 else book.create_sheet(f"Лист{i + 1}")
        ws.title = "ИПУ" if i == 0 else ws.title
        ws.append(HEADER)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    if not pad_bytes:
        return out.getvalue()
    # A part that inflates to pad_bytes from a few kilobytes: the shape of a zip bomb.
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    padded = io.BytesIO()
    with zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * pad_bytes, 1)
            target.writestr(item, data)
    return padded.getvalue()


def xls(rows, booleans=()) -> bytes:
    """An .xls (xlwt) sheet «ИПУ» of HEADER and `rows`; the cells (row, column) in `booleans`
    hold TRUE."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("ИПУ")
    for c, title in enumerate(HEADER):
        sheet.write(0, c, title)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    for r, c in booleans:
        sheet.write(r, c, True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
