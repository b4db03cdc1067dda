"""Numbers as spreadsheets store them (docs/spec.md §13.2, §14.2): a cell holding a formula's
16431.88 as the binary float 16431.879999999997 is 16431.88 by every channel — an .xls, an
.xlsx, a CSV, a web page, manual entry and the billing's accounted readings."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
import xlrd
from sqlalchemy import func, select

from lkk_integration.models import Meter, Reading, Upload, UploadRow

from tests.support.cabinet import meter_id, page_text, post_reading, readings_of, send, upload
from tests.support.spreadsheets import HEADER, spreadsheet

DAY = dt.date(2026, 3, 18)
# What a spreadsheet keeps for the formula =16431,87+0,01.
NOISY = 16431.87 + 0.01


@pytest.fixture
def accounted_16000(signed_in, zeep_client):
    """The billing accounts 16000 kWh on meter 00215090 on 10.03.2026: 16431.88 is then a
    plausible reading (431.88 kWh in 8 days)."""
    zeep_client.service.UpdateAccountedReadings(RequestId="acc-16000", Readings={
        "MeterReading": [{"MeterId": "ORG-1-M-A", "ReadingDate": dt.date(2026, 3, 10),
                          "Source": "Абонент", "T1": "16000"}]})
    return signed_in


def _as_excel_saves_it(data: bytes) -> bytes:
    """The .xlsx with C2 as Excel saves «=16431,87+0,01»: the formula and its result in 17
    significant digits (openpyxl would write a float as 16431.88)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                cell = b'<c r="C2" t="n"><v>16431.88</v></c>'
                assert cell in part
                part = part.replace(cell, b'<c r="C2"><f>16431.87+0.01</f>'
                                          b'<v>16431.879999999997</v></c>')
            target.writestr(item, part)
    return out.getvalue()


def _file(fmt: str) -> bytes:
    row = ["1", "00215090", NOISY, None, None, dt.datetime(2026, 3, 18)]
    if fmt == "xls":
        return spreadsheet(fmt, [row])  # xlwt keeps the float's 8 bytes as they are
    if fmt == "xlsx":
        return _as_excel_saves_it(spreadsheet(fmt, [row]))
    text = repr(NOISY).replace(".", ",")
    if fmt == "csv":
        lines = [HEADER, ["1", "00215090", text, "", "", "18.03.2026"]]
        return "\n".join(";".join(line) for line in lines).encode("utf-8")
    cells = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in line) + "</tr>"
                    for line in [HEADER, ["1", "00215090", text, "", "", "18.03.2026"]])
    return f"<html><body><table>{cells}</table></body></html>".encode()


def test_the_files_really_hold_the_noise():
    assert repr(NOISY) == "16431.879999999997"
    sheet = xlrd.open_workbook(file_contents=_file("xls")).sheet_by_index(0)
    assert sheet.cell_value(1, 2) == NOISY
    book = openpyxl.load_workbook(io.BytesIO(_file("xlsx")), data_only=True)
    assert book.active.cell(2, 3).value == NOISY


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "csv", "html"])
def test_a_cell_holding_16431_879999999997_is_uploaded_and_sent_as_16431_88(
        core, accounted_16000, fmt):
    client = accounted_16000
    page = page_text(upload(client, _file(fmt), f"показания.{fmt}").text)
    with core.uow() as uow:
        upload_id = uow.session.scalar(select(func.max(Upload.id)))
        row = uow.session.scalars(select(UploadRow).where(UploadRow.upload_id == upload_id)
                                  ).one()
        assert (row.is_valid, row.note, row.t1, row.raw_t1) == \
            (True, None, Decimal("16431.88"), "16431,88")
    assert "Индивидуальные ПУ: Верных – 1, ошибок – 0" in page
    assert "16431,88" in page and "879999" not in page
    assert "Успешно отправлены показания для 1 строки" in page_text(send(client, upload_id).text)
    assert [r.t1 for r in readings_of(core, "00215090")] == [Decimal("16431.88")]


def test_a_value_clearly_off_two_decimals_is_still_refused_with_its_digits(core, accounted_16000):
    page = page_text(upload(accounted_16000, spreadsheet("xlsx", [
        ["1", "00215090", 16431.8799, None, None, dt.datetime(2026, 3, 18)]]),
        "показания.xlsx").text)
    assert "16431,8799 Т1: больше 2 знаков после запятой" in page


def test_the_same_noise_typed_by_hand_is_saved_as_16431_88(core, accounted_16000):
    answer = post_reading(accounted_16000, meter_id(core, "00215090"),
                          t1="16431,879999999997")
    assert answer.status_code == 302
    assert [r.t1 for r in readings_of(core, "00215090")] == [Decimal("16431.88")]


def test_the_billings_accounted_reading_with_the_noise_is_kept_as_16431_88(
        core, organization, zeep_client):
    zeep_client.service.UpdateAccountedReadings(RequestId="acc-noise", Readings={
        "MeterReading": [{"MeterId": "ORG-1-M-A", "ReadingDate": dt.date(2026, 3, 10),
                          "Source": "Абонент", "T1": "16431.879999999997"}]})
    with core.uow() as uow:
        meter = uow.session.scalars(select(Meter).where(Meter.billing_id == "ORG-1-M-A")).one()
        assert meter.last_accounted_reading.t1 == Decimal("16431.88")
        assert uow.session.scalar(select(Reading.t1).where(
            Reading.id == meter.last_accounted_reading.id)) == Decimal("16431.88")
