"""Excel binary workbooks (.xlsb) made by code, record by record ([MS-XLSB] 2.1.4, 2.4): no
program on this machine writes .xlsb (LibreOffice 7.4 and Gnumeric read it, neither writes it).
Only what a reader needs is written: the workbook's sheet list, and per sheet its dimension, rows
and cells (inline text, numbers); no styles, so a date is its serial number, as in an
unformatted cell."""
from __future__ import annotations

import io
import struct
import zipfile


def record(kind: int, body: bytes = b"") -> bytes:
    """One record: its type and size in 7-bit groups, then its body."""
    head = bytes([kind]) if kind < 0x80 else bytes([kind & 0x7F | 0x80, kind >> 7])
    size, sized = len(body), bytearray()
    while True:
        byte = size & 0x7F
        size >>= 7
        sized.append(byte | (0x80 if size else 0))
        if not size:
            break
    return head + bytes(sized) + body


def wide(text: str) -> bytes:
    """An XLWideString: its count of UTF-16 code units, then them."""
    encoded = text.encode("utf-16-le")
    return struct.pack("<I", len(encoded) // 2) + encoded


def cell(column: int, value: object) -> bytes:
    """BrtCellSt (text) or BrtCellReal (a number) in `column` (0-based), style 0."""
    if isinstance(value, str):
        return record(0x06, struct.pack("<II", column, 0) + wide(value))
    return record(0x05, struct.pack("<IId", column, 0, float(value)))


def sheet(rows: list[list[object]], hidden: tuple[int, ...] = (),
          far: tuple[int, int] | None = None) -> bytes:
    """A worksheet part: `rows` from row 1 (None: no cell), the 1-based rows in `hidden` with
    BrtRowHdr's fDyZero; `far` = (row, column), 0-based, a cell "x" far away."""
    parts = [record(0x81), record(0x94, struct.pack("<IIII", 0, max(len(rows) - 1, 0), 0, 15)),
             record(0x91)]
    placed = [(r, row) for r, row in enumerate(rows)]
    if far is not None:
        placed.append((far[0], [None] * far[1] + ["x"]))
    for r, row in placed:
        flags = 0x1000 if r + 1 in hidden else 0
        parts.append(record(0x00, struct.pack("<IIHHBI", r, 0, 300, flags, 0, 0)))
        parts.extend(cell(c, v) for c, v in enumerate(row) if v is not None)
    parts += [record(0x92), record(0x82)]
    return b"".join(parts)


def workbook(sheets: dict[str, bytes], date1904: bool = False) -> bytes:
    """An .xlsb of the named worksheet parts (sheet()), in order."""
    book = [record(0x83), record(0x99, struct.pack("<II", 1 if date1904 else 0, 0) + wide("")),
            record(0x8F)]
    relations = []
    for n, name in enumerate(sheets, 1):
        book.append(record(0x9C, struct.pack("<II", 0, n) + wide(f"rId{n}") + wide(name)))
        relations.append(f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/'
                         f'officeDocument/2006/relationships/worksheet" '
                         f'Target="worksheets/sheet{n}.bin"/>')
    book += [record(0x90), record(0x9D, bytes(26)), record(0x84)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType='
            '"application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.bin"/></Relationships>'))
        archive.writestr("xl/workbook.bin", b"".join(book))
        archive.writestr("xl/_rels/workbook.bin.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships">' + "".join(relations)
            + "</Relationships>"))
        for n, part in enumerate(sheets.values(), 1):
            archive.writestr(f"xl/worksheets/sheet{n}.bin", part)
    return out.getvalue()
