"""The .xls template: build_xls inserts its inner cells past xlwt's Row.write, and the file
must stay the one writing every cell with Row.write gives (docs/spec.md §9)."""
from __future__ import annotations

import datetime as dt
import io
import random

import xlrd
import xlwt

from lkk_integration.models import COMMON_HOUSE, INDIVIDUAL
from lkk_integration.spreadsheets import template
from lkk_integration.spreadsheets.layout import (COLUMNS, TEMPLATE_VERSION, VERSION_SHEET,
                                                 XLS_DATA_ROWS)
from lkk_integration.spreadsheets.template import TemplateRow, build_xls


def written_cell_by_cell(rows: list[TemplateRow]) -> bytes:
    """The template as build_xls wrote it before: every cell through Row.write."""
    book = xlwt.Workbook(encoding="utf-8")
    header = xlwt.easyxf("font: bold on; align: wrap on, vert centre; "
                         "pattern: pattern solid, fore_colour gray25")
    text = xlwt.easyxf(num_format_str="@")
    date = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    entry = xlwt.easyxf("pattern: pattern solid, fore_colour light_yellow")
    entry_date = xlwt.easyxf("pattern: pattern solid, fore_colour light_yellow",
                             num_format_str="DD.MM.YYYY")
    number = xlwt.easyxf(num_format_str="0.####")
    for kind in (INDIVIDUAL, COMMON_HOUSE):
        kind_rows = [r for r in rows if r.kind == kind]
        columns = COLUMNS[kind]
        chunks = [kind_rows[i:i + XLS_DATA_ROWS]
                  for i in range(0, len(kind_rows), XLS_DATA_ROWS)] or [[]]
        for name, chunk in zip(template._sheet_names(kind, len(chunks)), chunks, strict=True):
            sheet = book.add_sheet(name)
            for c, (key, title) in enumerate(columns):
                sheet.write(0, c, title, header)
                sheet.col(c).width = 256 * (40 if key == "address" else 14)
            sheet.set_panes_frozen(True)
            sheet.set_horz_split_pos(1)
            plan = [entry_date if key == "reading_date" else
                    entry if key in ("t1", "t2", "t3", "not_read") else
                    text if key in template.TEXT_KEYS else date if key == "last_date" else
                    number if key == "ratio" or key.startswith(("last_t", "expected_t")) else
                    xlwt.Style.default_style for key, _title in columns]
            for r, row in enumerate(chunk, 1):
                for c, (style, value) in enumerate(
                        zip(plan, template._values(columns)(row), strict=False)):
                    sheet.row(r).write(c, "" if value is None else value, style)
    meta = book.add_sheet(VERSION_SHEET)
    meta.write(0, 0, "template_version")
    meta.write(0, 1, TEMPLATE_VERSION)
    meta.visibility = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def mixed_rows(count: int) -> list[TemplateRow]:
    """Rows of both kinds with every kind of value a cell gets: texts (a formula-like one, a
    long one), empty texts and None, numbers, dates on both sides of Excel's 29.02.1900."""
    pick = random.Random(17).choice
    return [TemplateRow(
        kind=COMMON_HOUSE if i % 7 == 0 else INDIVIDUAL,
        address=pick([f"Москва г., Липовая ул., д. {i % 5}", "=A1+1", "д" * 300]),
        apartment=pick([None, "", str(i), "12А"]), account=pick([None, "", f"{i:08d}"]),
        meter_number=pick([f"{i:08d}", "", "№ 1"]),
        metering_type=pick(["Однотарифный", "Двухтарифный"]), ratio=pick([1.0, 1.5, 30.0]),
        last=(pick([None, 123.45, 0.0, -1.0]), pick([None, 99999999.999]), None),
        last_date=pick([None, dt.date(2026, 2, 20), dt.date(1900, 2, 28), dt.date(1900, 3, 1),
                        dt.date(1899, 12, 31)]),
        remark=pick([None, "", "Истек срок поверки счетчика (01.01.2025)"]),
        expected=(None if i % 3 else 1260.5, None if i % 4 else 99999999.0, None))
        for i in range(count)]


def test_the_xls_template_is_byte_for_byte_the_one_written_cell_by_cell():
    for rows in ([], mixed_rows(1), mixed_rows(2000), [r for r in mixed_rows(300)
                                                       if r.kind == COMMON_HOUSE]):
        assert build_xls(rows) == written_cell_by_cell(rows)


def test_the_xls_template_keeps_dates_numbers_and_texts_as_their_cells():
    individual = [r for r in mixed_rows(50) if r.kind == INDIVIDUAL]
    sheet = xlrd.open_workbook(file_contents=build_xls(individual)).sheet_by_index(0)
    at, row = next((i, r) for i, r in enumerate(individual, 1) if r.last_date is not None
                   and r.last_date.year > 1900 and r.last[0] and r.account)
    assert sheet.cell_value(at, 0) == row.address
    assert (sheet.cell_type(at, 2), sheet.cell_value(at, 2)) == (xlrd.XL_CELL_TEXT, row.account)
    assert (sheet.cell_type(at, 5), sheet.cell_value(at, 5)) == (xlrd.XL_CELL_NUMBER, row.last[0])
    assert sheet.cell_type(at, 8) == xlrd.XL_CELL_DATE
    assert xlrd.xldate_as_datetime(sheet.cell_value(at, 8), 0).date() == row.last_date
    t1 = [key for key, _title in COLUMNS[INDIVIDUAL]].index("t1")
    assert sheet.cell_type(at, t1) == xlrd.XL_CELL_BLANK or sheet.cell_value(at, t1) == ""
