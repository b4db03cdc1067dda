"""Hostile and broken spreadsheet files, made by code (tests/integration/test_hostile_files.py
uses them). Each is small on disk and would be large or endless to read."""
from __future__ import annotations

import functools
import io
import os
import zipfile

import xlwt

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
         '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
         'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         'Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats'
             '.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
             'officeDocument/2006/relationships"><sheets><sheet name="ИПУ" sheetId="1" '
             'r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>')
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
_SHEET_OPEN = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<sheetData>')
_SHEET_HEAD = _DECLARATION + _SHEET_OPEN
_SHEET_TAIL = '</sheetData></worksheet>'


def xlsx_parts(sheet_xml: str | bytes = _SHEET_HEAD + _SHEET_TAIL,
               shared_strings: str | bytes = "<sst/>") -> dict[str, str | bytes]:
    """The parts of a minimal .xlsx (name → XML) around the given sheet and shared strings."""
    return {"[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": _RELS,
            "xl/workbook.xml": _WORKBOOK, "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
            "xl/worksheets/sheet1.xml": sheet_xml, "xl/sharedStrings.xml": shared_strings}


def zipped(parts: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def xlsx(sheet_xml: str | bytes, shared_strings: str | bytes = "<sst/>") -> bytes:
    """A minimal .xlsx around the given sheet and shared-strings XML."""
    return zipped(xlsx_parts(sheet_xml, shared_strings))


@functools.cache
def zip_bomb() -> bytes:
    """An .xlsx whose sheet unpacks to 200 MB of one repeated row (about 200 kB packed)."""
    row = '<row><c t="inlineStr"><is><t>0</t></is></c></row>'
    body = row * (200 * 1024 * 1024 // len(row))
    return xlsx(_SHEET_HEAD + body + _SHEET_TAIL)


@functools.cache
def shared_strings_bomb() -> bytes:
    """An .xlsx with 40 MB of shared strings (compressible, under the total limit)."""
    item = "<si><t>Москва г., Вавилова ул., д. 45</t></si>"
    strings = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + \
        item * (40 * 1024 * 1024 // len(item.encode())) + "</sst>"
    return xlsx(_SHEET_HEAD + _SHEET_TAIL, strings)


# The "billion laughs": &lol9; is 10⁹ times «lol».
_LAUGHS = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))


@functools.cache
def entity_bomb() -> bytes:
    """An .xlsx whose shared strings define the "billion laughs" entities."""
    strings = (f'<?xml version="1.0"?><!DOCTYPE sst [{_LAUGHS}]><sst xmlns="http://schemas.'
               f'openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>')
    sheet = (_SHEET_HEAD + '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + _SHEET_TAIL)
    return xlsx(sheet, strings)


@functools.cache
def entity_bomb_in_sheet() -> bytes:
    """An .xlsx whose sheet defines the "billion laughs" and uses them in a cell."""
    return xlsx(f'{_DECLARATION}<!DOCTYPE worksheet [{_LAUGHS}]>{_SHEET_OPEN}<row r="1"><c r="A1" '
                f't="inlineStr"><is><t>&lol9;</t></is></c></row>{_SHEET_TAIL}')


def external_entity(url: str = "file:///etc/passwd") -> bytes:
    """An .xlsx whose sheet puts what `url` holds into a cell (XXE)."""
    return xlsx(f'{_DECLARATION}<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "{url}">]>'
                f'{_SHEET_OPEN}<row r="1"><c r="A1" t="inlineStr"><is><t>&secret;</t></is></c>'
                f'</row>{_SHEET_TAIL}')


@functools.cache
def wide_declared_xlsx() -> bytes:
    """An .xlsx declaring A1:XFD1048576 and holding two cells at its far corners."""
    sheet = (_SHEET_HEAD.replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>')
             + '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
             + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row>'
             + _SHEET_TAIL)
    return xlsx(sheet)


@functools.cache
def sparse_xls(sheets: int = 20, rows: int = 12000) -> bytes:
    """An .xls of `sheets` sheets, each with a value in the last column (IV) of `rows` rows:
    about 5 MB that a reader padding rows to their last cell would hold as 61 million cells."""
    book = xlwt.Workbook()
    for s in range(sheets):
        sheet = book.add_sheet(f"Лист{s + 1}")
        for r in range(rows):
            sheet.write(r, 255, r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def truncated(data: bytes) -> bytes:
    return data[:len(data) // 2]


def random_bytes(size: int = 64 * 1024) -> bytes:
    return os.urandom(size)


# --- OpenDocument spreadsheets (.ods) -----------------------------------------------------------
_ODS_CONTENT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="ИПУ">')
_ODS_CONTENT_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
    'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
    'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '</manifest:manifest>')


def ods(rows_xml: str, head: str = _ODS_CONTENT_HEAD) -> bytes:
    """A minimal .ods whose one table holds `rows_xml` (table:table-row elements)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"),
                         "application/vnd.oasis.opendocument.spreadsheet")  # stored, first
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        archive.writestr("content.xml", head + rows_xml + _ODS_CONTENT_TAIL)
    return out.getvalue()


def _ods_cell(text: str) -> str:
    return (f'<table:table-cell office:value-type="string"><text:p>{text}</text:p>'
            '</table:table-cell>')


@functools.cache
def ods_zip_bomb() -> bytes:
    """An .ods whose content.xml unpacks to 200 MB of one repeated row."""
    row = f"<table:table-row>{_ods_cell('0')}</table:table-row>"
    return ods(row * (200 * 1024 * 1024 // len(row)))


@functools.cache
def ods_entity_bomb() -> bytes:
    """An .ods whose content.xml defines the "billion laughs" and uses them in a cell."""
    head = _ODS_CONTENT_HEAD.replace("?>", f"?><!DOCTYPE office:document-content [{_LAUGHS}]>",
                                     1)
    return ods(f"<table:table-row>{_ods_cell('&lol9;')}</table:table-row>", head)


@functools.cache
def ods_repeated_cells(rows: int = 1_000_000, columns: int = 1000) -> bytes:
    """An .ods of a few hundred bytes whose one row, repeated `rows` times, holds a value
    repeated over `columns` columns: a billion cells to a reader that expands repeats."""
    return ods(f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
               f'table:number-columns-repeated="{columns}" office:value-type="float" '
               'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>')


@functools.cache
def ods_far_corners() -> bytes:
    """An .ods with a value in its first cell and another 60,000 rows down and 1,000 columns
    right, the rows and columns between empty and repeated: 60 million cells as a rectangle."""
    return ods(f"<table:table-row>{_ods_cell('x')}</table:table-row>"
               '<table:table-row table:number-rows-repeated="60000"><table:table-cell/>'
               '</table:table-row><table:table-row><table:table-cell '
               f'table:number-columns-repeated="1000"/>{_ods_cell("y")}</table:table-row>')


@functools.cache
def xlsb_far_corners() -> bytes:
    """An .xlsb of a few hundred bytes with a value in its first cell and another a million
    rows down and 16,000 columns right: 16 billion cells as a rectangle."""
    from tests.support import xlsb

    return xlsb.workbook({"ИПУ": xlsb.sheet([["x"]], far=(1_000_000, 16_000))})
