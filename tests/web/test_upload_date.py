"""The upload form's «Дата показаний для строк без даты» (docs/spec.md §10, §13.6): the date of
rows with readings and no date, each noting it; a date a reading may not have refuses the upload
and stores nothing."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from lkk_integration.models import Upload, UploadRow

from tests.support.cabinet import csrf_token, page_text, readings_of, send
from tests.support.spreadsheets import spreadsheet

# The tests' clock: 20.03.2026 in Moscow; the period runs from the 15th to the 26th.
ROWS = [
    ["1", "00215090", 1100, None, None, None],                    # readings, no date
    ["3", "00300001", 2100, None, None, dt.datetime(2026, 3, 17)],  # readings and a date
    ["5", "00300003", None, None, None, None],                    # no readings
]


def _upload(client, date: str | None, data: bytes | None = None):
    tab = client.get("/readings/file")
    form = {"csrf_token": csrf_token(tab.text),
            "file": (io.BytesIO(data or spreadsheet("xls", ROWS)), "показания.xls")}
    if date is not None:
        form["undated_reading_date"] = date
    return client.post("/readings/upload", data=form, content_type="multipart/form-data",
                       follow_redirects=True)


def _rows(core) -> tuple[int | None, dict[str, UploadRow]]:
    with core.uow() as uow:
        upload_id = uow.session.scalar(select(func.max(Upload.id)))
        return upload_id, {r.meter_number: r for r in uow.session.scalars(
            select(UploadRow).where(UploadRow.upload_id == upload_id))}


def test_the_upload_form_offers_a_date_inside_the_period(signed_in):
    page = signed_in.get("/readings/file").text
    assert "Дата показаний для строк без даты" in page
    assert ('<input type="date" name="undated_reading_date" min="2026-03-15" max="2026-03-20"'
            in page)


def test_rows_with_readings_and_no_date_take_the_forms_date_and_say_so(core, signed_in):
    page = page_text(_upload(signed_in, "2026-03-18").text)
    upload_id, rows = _rows(core)
    undated, dated, empty = rows["00215090"], rows["00300001"], rows["00300003"]
    assert (undated.is_valid, undated.reading_date, undated.raw_date, undated.note) == \
        (True, dt.date(2026, 3, 18), "18.03.2026", "Дата показаний взята из формы: 18.03.2026")
    # A row with its own date keeps it, and says nothing of the form.
    assert (dated.is_valid, dated.reading_date, dated.note) == (True, dt.date(2026, 3, 17), None)
    # A row with no readings stays as it was.
    assert (empty.is_valid, empty.reading_date, empty.raw_date, empty.note) == \
        (False, None, None, "Показания не указаны")
    assert "Дата показаний взята из формы: 18.03.2026" in page
    send(signed_in, upload_id)
    assert [r.reading_date for r in readings_of(core, "00215090")] == [dt.date(2026, 3, 18)]


def test_the_date_may_be_typed_as_people_write_it(core, signed_in):
    _upload(signed_in, "19.03.2026")
    assert _rows(core)[1]["00215090"].note == "Дата показаний взята из формы: 19.03.2026"


def test_without_the_forms_date_a_row_without_a_date_is_wrong_as_before(core, signed_in):
    _upload(signed_in, "")
    rows = _rows(core)[1]
    assert (rows["00215090"].is_valid, rows["00215090"].note) == \
        (False, "Не указана дата показания")


def test_the_forms_date_goes_with_the_rows_own_errors(core, signed_in):
    _upload(signed_in, "2026-03-18", spreadsheet("xls", [
        ["1", "00215090", "1100,123", None, None, None]]))
    assert _rows(core)[1]["00215090"].note == (
        "Т1: больше 2 знаков после запятой; Дата показаний взята из формы: 18.03.2026")


@pytest.mark.parametrize("date, message", [
    # Before the period, after today (inside the period still), after the period.
    ("2026-03-10", "Дата показаний для строк без даты (10.03.2026) должна быть в периоде "
                   "передачи показаний и не позже сегодняшнего дня: с 15.03.2026 по 20.03.2026. "
                   "Файл не загружен."),
    ("2026-03-21", "Дата показаний для строк без даты (21.03.2026) должна быть в периоде "
                   "передачи показаний и не позже сегодняшнего дня: с 15.03.2026 по 20.03.2026. "
                   "Файл не загружен."),
    ("2026-04-02", "Дата показаний для строк без даты (02.04.2026) должна быть в периоде "
                   "передачи показаний и не позже сегодняшнего дня: с 15.03.2026 по 20.03.2026. "
                   "Файл не загружен."),
    ("вчера", "Дата показаний для строк без даты не распознана: укажите ее в виде ДД.ММ.ГГГГ. "
              "Файл не загружен."),
])
def test_a_date_a_reading_may_not_have_refuses_the_upload_and_stores_nothing(
        core, signed_in, date, message):
    _upload(signed_in, None, spreadsheet("xls", [ROWS[1]]))
    before = _rows(core)
    page = page_text(_upload(signed_in, date).text)
    assert message in page
    after = _rows(core)
    # The buffer is the one before: the same upload, its one row.
    assert (after[0], list(after[1])) == (before[0], ["00300001"])
    with core.uow() as uow:
        assert uow.session.get(Upload, before[0]).status == "checked"


def test_rows_refused_for_their_date_alone_point_at_the_forms_date(core, signed_in):
    from tests.support.cabinet import upload_filled

    upload_filled(signed_in, core, {"00215090": {"t1": 1100}, "066823": {"t1": 520, "t2": 310},
                                    "00300001": {"t1": 5, "date": dt.date(2026, 3, 19)}})
    shown = page_text(signed_in.get("/readings/file").text)
    assert ("2 строки ошибочны только из-за даты показания: укажите дату в поле «Дата показаний "
            "для строк без даты» и загрузите файл снова.") in shown
