"""An .xlsb (Excel's binary workbook) is uploaded like an .xls: the template filled, written
as .xlsb (tests/support/xlsb.py: no program here writes one), gets the verdicts of the same
template uploaded as .xls (docs/spec.md §14.1)."""
from __future__ import annotations

import xlrd

from tests.support import xlsb
from tests.support.cabinet import csrf_token, house_id, page_text, upload
from tests.support.organizations import READING_DATE
from tests.support.spreadsheets import fill_template


def as_xlsb(xls: bytes) -> bytes:
    """The sheets of an .xls, every cell as its value (a date cell as its serial number)."""
    book = xlrd.open_workbook(file_contents=xls)
    return xlsb.workbook({sheet.name: xlsb.sheet([
        [None if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) else value
         for kind, value in zip(sheet.row_types(r), sheet.row_values(r), strict=True)]
        for r in range(sheet.nrows)]) for sheet in book.sheets()})


def test_an_xlsb_gets_the_verdicts_of_the_same_xls(core, signed_in):
    template = signed_in.post("/readings/template", data={
        "csrf_token": csrf_token(signed_in.get("/readings/file").text),
        "house": str(house_id(core))}).data
    filled = fill_template(template, {"00300002": {"t1": 6, "t2": 11, "t3": 16,
                                                   "date": READING_DATE},
                                      "00215090": {"t1": 900, "date": READING_DATE}})
    as_xls = page_text(upload(signed_in, filled, "filled.xls").text)
    as_binary = page_text(upload(signed_in, as_xlsb(filled), "filled.xlsb").text)
    assert "Индивидуальные ПУ: Верных – 1, ошибок – 4" in as_xls
    assert "Индивидуальные ПУ: Верных – 1, ошибок – 4" in as_binary
    assert "Т1 меньше последних учтенных показаний (1000)" in as_binary
