"""«Выгрузить ошибки в файл»: the open buffer's wrong rows with their reasons as an .xls that can
be corrected and uploaded again (docs/spec.md §11)."""
from __future__ import annotations

import io

import xlwt
from sqlalchemy import select

from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.errors import BufferGone
from lkk_integration.models import COMMON_HOUSE, INDIVIDUAL, UploadRow
from lkk_integration.readings.period import current_period
from lkk_integration.spreadsheets.buffer import open_buffer, unsent_upload

# Columns of «Выгрузить ошибки в файл»: the row as the file had it, and why it is wrong. Titles
# are the template's, so the file can be corrected and uploaded again; a common-house sheet has
# no apartment and account (its name tells its kind).
_TITLES = {"sheet_name": msg.ERRORS_SHEET_TITLE, "row_number": msg.ERRORS_ROW_TITLE,
           **{row_key: msg.TEMPLATE_TITLES[template_key] for row_key, template_key in (
               ("address", "address"), ("apartment", "apartment"),
               ("account_number", "account"), ("meter_number", "meter_number"),
               ("raw_t1", "t1"), ("raw_t2", "t2"), ("raw_t3", "t3"),
               ("raw_date", "reading_date"), ("raw_not_read", "not_read"),
               ("note", "remark"))}}
ERROR_COLUMNS = {kind: [(key, _TITLES[key]) for key in keys] for kind, keys in {
    INDIVIDUAL: ("sheet_name", "row_number", "address", "apartment", "account_number",
                 "meter_number", "raw_t1", "raw_t2", "raw_t3", "raw_date", "raw_not_read",
                 "note"),
    COMMON_HOUSE: ("sheet_name", "row_number", "address", "meter_number", "raw_t1", "raw_t2",
                   "raw_t3", "raw_date", "raw_not_read", "note"),
}.items()}
ERROR_SHEETS = {INDIVIDUAL: msg.errors_sheet(msg.SHEET_INDIVIDUAL),
                COMMON_HOUSE: msg.errors_sheet(msg.SHEET_COMMON_HOUSE)}


def wrong_rows_xls(core: Core, organization_id: int, upload_id: int) -> bytes:
    """The open buffer's wrong rows with their reasons as an .xls (docs/spec.md §11): a sheet
    per meter kind with the template's titles, so that the corrected file can be uploaded.

    Every value is written as a text cell, so «=HYPERLINK(…)» typed into the uploaded file
    stays text and is never a formula. After the close the buffer not sent stays readable:
    its wrong rows are given then too (docs/spec.md §11). Raises BufferGone when the upload is
    neither the open buffer nor, outside the period, the one not sent.
    """
    with core.uow() as uow:
        period = current_period(uow.session, core)
        if period.state.is_open:
            upload = open_buffer(uow.session, core, organization_id, period)
        else:
            unsent = unsent_upload(uow.session, organization_id, period)
            upload = unsent[0] if unsent else None
        if upload is None or upload.id != upload_id:
            raise BufferGone(msg.BUFFER_GONE, "upload")
        by_kind = {kind: uow.session.execute(
            select(*[getattr(UploadRow, key) for key, _ in ERROR_COLUMNS[kind]])
            .where(UploadRow.upload_id == upload_id, UploadRow.is_valid.is_(False),
                   UploadRow.kind == kind)
            .order_by(UploadRow.id)).all() for kind in (INDIVIDUAL, COMMON_HOUSE)}
    book = xlwt.Workbook(encoding="utf-8")
    header = xlwt.easyxf("font: bold on; pattern: pattern solid, fore_colour gray25")
    text = xlwt.easyxf(num_format_str="@")
    for kind, rows in by_kind.items():
        if not rows and kind == COMMON_HOUSE:
            continue
        chunks = [rows[i:i + 65_535] for i in range(0, len(rows), 65_535)] or [[]]
        for number, chunk in enumerate(chunks, 1):
            name = ERROR_SHEETS[kind] + ("" if number == 1 else f" ({number})")
            sheet = book.add_sheet(name)
            for c, (key, title) in enumerate(ERROR_COLUMNS[kind]):
                sheet.write(0, c, title, header)
                sheet.col(c).width = 256 * (40 if key in ("address", "note") else 14)
            for r, row in enumerate(chunk, 1):
                for c, value in enumerate(row):
                    if value is not None:
                        # xlwt writes a str as a label (text) cell, never as a formula.
                        sheet.write(r, c, str(value), text)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
