"""A template filled in as a person fills it, for the large demo and the benches (never for a
real organization's data): `lkk demo-large`'s var/large_readings.xlsx and bench/pages.py."""
from __future__ import annotations

import datetime as dt
import io

from lkk_integration.models import INDIVIDUAL
from lkk_integration.spreadsheets.layout import COLUMNS


def fill_template(template: bytes, typed: dict[str, list[float | None]],
                  reading_date: dt.date) -> bytes:
    """The .xlsx template (build_xlsx) with, on each individual meter's row whose number is in
    `typed`, its T1..T3 (None left empty) and `reading_date` typed in; the other rows as they
    were (docs/spec.md §9: the columns a person fills)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]  # individual meters' sheet, the first
    at = {cell.value: cell.column for cell in sheet[1]}
    titles = dict(COLUMNS[INDIVIDUAL])  # key → column title
    number_at, date_at = at[titles["meter_number"]], at[titles["reading_date"]]
    for row in sheet.iter_rows(min_row=2):
        values = typed.get(row[number_at - 1].value)
        if values is None:
            continue
        for key, value in zip(("t1", "t2", "t3"), values, strict=True):
            if value is not None:
                sheet.cell(row=row[0].row, column=at[titles[key]], value=value)
        date = sheet.cell(row=row[0].row, column=date_at, value=reading_date)
        date.number_format = "DD.MM.YYYY"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
