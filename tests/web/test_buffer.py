"""The upload buffer (docs/spec.md §10–§11): what sending checks again, filters, paging,
deleting rows, the errors file, a file uploaded again."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest
import xlrd
import xlwt
from sqlalchemy import func, select

from lkk_integration.models import Reading, Upload, UploadRow

from tests.support.cabinet import csrf_token, page_text, send, upload_filled
from tests.support.cabinet import upload as upload_file

DAY = dt.date(2026, 3, 19)


def notes(core, upload_id: int) -> dict[str, tuple[bool, str | None]]:
    with core.uow() as uow:
        return {r.meter_number: (r.is_valid, r.note) for r in uow.session.scalars(
            select(UploadRow).where(UploadRow.upload_id == upload_id))}


def test_sending_checks_the_rows_again_against_the_meters_as_they_are_now(
        core, signed_in, zeep_client):
    upload = upload_filled(signed_in, core, {
        "00215090": {"t1": 1100, "date": DAY}, "00300001": {"t1": 2100, "date": DAY},
        "00300003": {"t1": 150, "date": DAY}})
    # Between the upload and «Да» the billing removes one meter and accounts a newer reading
    # of another.
    zeep_client.service.RemoveMeter(RequestId="rm", MeterId="ORG-1-M-A")
    zeep_client.service.UpdateAccountedReadings(RequestId="acc", Readings={"MeterReading": [{
        "MeterId": "ORG-1-M-C", "ReadingDate": dt.date(2026, 3, 10), "Source": "Абонент",
        "T1": "2200"}]})
    page = page_text(send(signed_in, upload).text)
    assert ("После загрузки файла изменились данные счетчиков: 2 строки стали ошибочными (см. "
            "примечания). Показания не отправлены; проверьте файл и отправьте верные строки "
            "снова.") in page
    assert "Индивидуальные ПУ: Верных – 1, ошибок – 4" in page
    assert notes(core, upload)["00215090"] == (
        False, "Счетчик снят или больше не обслуживается организацией")
    assert notes(core, upload)["00300001"] == (
        False, "Т1 меньше последних учтенных показаний (2200)")
    with core.uow() as uow:
        assert uow.session.scalar(select(Reading.id).where(Reading.channel == "file")) is None
        assert uow.session.get(Upload, upload).status == "checked"
    page = page_text(send(signed_in, upload).text)
    assert "Успешно отправлены показания для 1 строки по индивидуальным приборам учета" in page
    with core.uow() as uow:
        assert uow.session.scalars(select(Reading.t1).where(Reading.channel == "file")).all() \
            == [150]


def test_a_row_whose_apartment_is_not_the_meters_is_wrong_even_with_the_right_account(
        core, signed_in):
    upload = upload_filled(signed_in, core, {"00215090": {"t1": 1100, "date": DAY}},
                           edits={"00215090": {"Квартира": "7"}})
    assert notes(core, upload)["00215090"] == (False, "Счетчик не относится к указанной квартире")
    page = page_text(signed_in.get("/readings/file").text)
    assert "7 00215090 19.03.2026 1100 Счетчик не относится к указанной квартире" in page


def test_long_texts_in_a_file_are_cut_to_fit_and_shown(core, signed_in):
    upload = upload_filled(signed_in, core, {"00215090": {"t1": 1100, "date": DAY}},
                           edits={"00215090": {"Квартира": "кв." * 40, "Лицевой счет": "9" * 80}},
                           extra_rows=[{"№ счетчика": "X" * 300, "Адрес": "А" * 900,
                                        "Т1": 5, "Дата показания": DAY}])
    with core.uow() as uow:
        rows = {r.meter_number[:3]: r for r in uow.session.scalars(
            select(UploadRow).where(UploadRow.upload_id == upload))}
    assert rows["002"].apartment == "кв." * 6 + "к…" and len(rows["002"].account_number) == 30
    assert rows["002"].note == "Счетчик не относится к указанному лицевому счету"
    assert len(rows["XXX"].meter_number) == 50 and len(rows["XXX"].address) == 500
    assert rows["XXX"].note == "Счетчик не найден"


def buffer_page(client, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return client.get(f"/readings/file?{query}").text


def row_ids(html: str) -> list[str]:
    return re.findall(r'name="row" value="(\d+)"', html)


def test_filters_and_pages_show_at_most_a_page_of_a_houses_rows(core, signed_in, monkeypatch):
    import lkk_integration.spreadsheets.buffer as buffer

    from tests.support.cabinet import house_id

    monkeypatch.setattr(buffer, "PAGE_ROWS", 2)
    upload_filled(signed_in, core, {"00215090": {"t1": 1100, "date": DAY},
                                    "00300001": {"t1": 2100, "date": DAY}})
    # More rows than a page: the summary only, houses collapsed until opened.
    summary = buffer_page(signed_in)
    assert row_ids(summary) == [] and "откройте дом" in page_text(summary)
    assert "Выбрать все (6)" in page_text(summary)
    house = house_id(core)
    everything = buffer_page(signed_in, open=house)
    assert len(row_ids(everything)) == 2 and "Страницы:" in everything
    pages = [row_ids(buffer_page(signed_in, open=house, page=p)) for p in (1, 2, 3)]
    assert sum(len(p) for p in pages) == 6 and len({i for p in pages for i in p}) == 6
    wrong = buffer_page(signed_in, filter="wrong", open=house)
    assert "Выбрать все (4)" in page_text(wrong)
    assert "Показания не указаны" in page_text(wrong) and "00215090" not in page_text(wrong)
    valid = page_text(buffer_page(signed_in, filter="valid", open=house))
    assert "00215090" in valid and "00300001" in valid and "Показания не указаны" not in valid
    # past the last: the last
    assert row_ids(buffer_page(signed_in, open=house, page=99)) == pages[2]


def test_selected_rows_are_deleted_after_the_question(core, signed_in):
    upload = upload_filled(signed_in, core, {"00215090": {"t1": 1100, "date": DAY}})
    html = buffer_page(signed_in)
    token = csrf_token(html)
    with core.uow() as uow:
        ids = dict(uow.session.execute(select(UploadRow.meter_number, UploadRow.id)).all())
    asked = signed_in.post(f"/readings/buffer/{upload}/delete", data={
        "csrf_token": token, "row": [ids["066823"], ids["00300002"]]})
    text = page_text(asked.text)
    assert "Выбрано: 2 строки Вы действительно хотите удалить выбранные строки файла?" in text
    no = signed_in.post(f"/readings/buffer/{upload}/delete", data={
        "csrf_token": token, "row": [ids["066823"], ids["00300002"]], "answer": "no"})
    assert no.status_code == 302 and len(notes(core, upload)) == 6
    yes = signed_in.post(f"/readings/buffer/{upload}/delete", follow_redirects=True, data={
        "csrf_token": token, "row": [ids["066823"], ids["00300002"]], "answer": "yes"})
    assert "Удалено 2 строки файла" in page_text(yes.text)
    assert "Индивидуальные ПУ: Верных – 1, ошибок – 2" in page_text(yes.text)
    assert set(notes(core, upload)) == {"00215090", "00300001", "00300003", "7700123"}
    nothing = signed_in.post(f"/readings/buffer/{upload}/delete", follow_redirects=True,
                             data={"csrf_token": token})
    assert "Выберите строки для удаления" in page_text(nothing.text)


def test_select_all_of_a_filter_deletes_every_wrong_row_on_every_page(core, signed_in,
                                                                       monkeypatch):
    import lkk_integration.spreadsheets.buffer as buffer

    monkeypatch.setattr(buffer, "PAGE_ROWS", 1)
    upload = upload_filled(signed_in, core, {"00215090": {"t1": 1100, "date": DAY}})
    token = csrf_token(buffer_page(signed_in, filter="wrong"))
    asked = signed_in.post(f"/readings/buffer/{upload}/delete", data={
        "csrf_token": token, "scope": "wrong", "filter": "wrong"})
    assert "Выбрано: 5 строк" in page_text(asked.text)
    signed_in.post(f"/readings/buffer/{upload}/delete", data={
        "csrf_token": token, "scope": "wrong", "answer": "yes"})
    assert notes(core, upload) == {"00215090": (True, None)}


def test_rows_of_another_buffer_or_a_sent_one_are_not_deleted(core, signed_in):
    first = upload_filled(signed_in, core, {"00215090": {"t1": 1100, "date": DAY}})
    with core.uow() as uow:
        old_ids = [str(i) for i in uow.session.scalars(select(UploadRow.id))]
    second = upload_filled(signed_in, core, {"00215090": {"t1": 1101, "date": DAY}})
    token = csrf_token(buffer_page(signed_in))
    # The replaced buffer's rows named under the open buffer's id match nothing.
    signed_in.post(f"/readings/buffer/{second}/delete", data={
        "csrf_token": token, "row": old_ids, "answer": "yes"})
    gone = signed_in.post(f"/readings/buffer/{first}/delete", follow_redirects=True, data={
        "csrf_token": token, "row": old_ids, "answer": "yes"})
    assert "Загруженный файл не найден или уже отправлен" in page_text(gone.text)
    with core.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(UploadRow)) == 12


def test_the_errors_file_lists_the_wrong_rows_with_reasons_and_no_formula(core, signed_in):
    upload = upload_filled(signed_in, core, {"00215090": {"t1": "=HYPERLINK(\"x\")",
                                                          "date": DAY},
                                             "00300001": {"t1": 2100, "date": DAY}},
                           extra_rows=[{"№ счетчика": "+79990000000", "Т1": "@SUM(A1)",
                                        "Дата показания": DAY}])
    response = signed_in.get(f"/readings/buffer/{upload}/errors.xls")
    assert response.headers["Content-Type"] == "application/vnd.ms-excel"
    book = xlrd.open_workbook(file_contents=response.data)
    assert book.sheet_names() == ["ИПУ — ошибки", "ОДПУ — ошибки"]
    sheet = book.sheet_by_index(0)
    rows = [sheet.row_values(r) for r in range(sheet.nrows)]
    assert rows[0] == ["Лист", "Строка", "Адрес", "Квартира", "Лицевой счет", "№ счетчика", "Т1",
                       "Т2", "Т3", "Дата показания", "Не снято, причина", "Примечание"]
    assert len(rows) == 1 + 5  # four template rows, the extra one; not the valid row
    formula = next(r for r in rows if r[5] == "00215090")
    assert formula[6] == '=HYPERLINK("x")' and formula[11] == "Т1: не число"
    assert sheet.cell(rows.index(formula), 6).ctype == xlrd.XL_CELL_TEXT
    extra = next(r for r in rows if r[5] == "+79990000000")
    assert extra[6] == "@SUM(A1)" and extra[11] == "Счетчик не найден"
    assert all(sheet.cell(r, c).ctype in (xlrd.XL_CELL_TEXT, xlrd.XL_CELL_EMPTY)
               for r in range(sheet.nrows) for c in range(sheet.ncols))


def test_a_file_uploaded_again_is_recognized_with_what_became_of_it(core, signed_in, clock):
    fills = {"00215090": {"t1": 1100, "date": DAY}}
    first = upload_filled(signed_in, core, fills)
    assert "Этот файл уже загружался" not in page_text(buffer_page(signed_in))
    clock.advance(minutes=5)
    upload_filled(signed_in, core, fills)
    assert "Этот файл уже загружался 20.03.2026 12:00 и не был отправлен." in page_text(
        buffer_page(signed_in))
    send(signed_in, first + 1)
    clock.advance(minutes=5)
    upload_filled(signed_in, core, fills)
    # Sent in this period: when and by whom (docs/spec.md §11); sending again asks more.
    assert "Этот файл уже отправлен 20.03.2026 в 12:05 (Тестова И. О.)" in page_text(
        buffer_page(signed_in))


def test_the_xlsx_template_round_trips(core, signed_in):
    from tests.support.cabinet import house_id

    response = signed_in.post("/readings/template", data={
        "csrf_token": csrf_token(signed_in.get("/readings/file").text),
        "house": str(house_id(core)), "format": "xlsx"})
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="template.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert [ws.title for ws in book.worksheets] == ["ИПУ", "ОДПУ", "Служебный"]
    assert book["Служебный"].sheet_state == "hidden"
    sheet = book["ИПУ"]
    titles = [c.value for c in sheet[1]]
    numbers = [r[titles.index("№ счетчика")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == ["00215090", "066823", "00300001", "00300002", "00300003"]
    assert sheet.cell(2, titles.index("№ счетчика") + 1).number_format == "@"
    sheet.cell(2, titles.index("Т1") + 1).value = 1100
    sheet.cell(2, titles.index("Дата показания") + 1).value = dt.datetime(2026, 3, 19)
    out = io.BytesIO()
    book.save(out)
    upload_file(signed_in, out.getvalue(), "шаблон.xlsx")
    assert "Индивидуальные ПУ: Верных – 1, ошибок – 4" in page_text(buffer_page(signed_in))


def test_an_upload_sent_by_the_pages_script_answers_where_to_go(core, signed_in):
    from tests.support.spreadsheets import fill_template
    from tests.support.cabinet import house_id

    template = signed_in.post("/readings/template", data={
        "csrf_token": csrf_token(signed_in.get("/readings/file").text),
        "house": str(house_id(core))}).data
    answer = signed_in.post("/readings/upload", headers={"X-Requested-With": "XMLHttpRequest"},
                            data={"csrf_token": csrf_token(signed_in.get("/readings/file").text),
                                  "file": (io.BytesIO(fill_template(template, {})), "f.xls")})
    with core.uow() as uow:
        checked = uow.session.scalar(select(func.max(Upload.id)))
    assert answer.status_code == 200 and answer.json == {
        "next": f"/readings/file?checked={checked}#buffer"}
    assert "Индивидуальные ПУ: Верных – 0, ошибок – 5" in page_text(buffer_page(signed_in))


def test_a_buffer_not_sent_expires_with_its_period(core, signed_in, clock):
    from tests.support.cabinet import log_in

    upload_filled(signed_in, core, {"00215090": {"t1": 1100, "date": DAY}})
    clock.set(dt.datetime(2026, 4, 15, 9, 0))  # the next month's period is open
    log_in(signed_in)
    page = page_text(buffer_page(signed_in))
    assert "Файл «filled.xls»" not in page and "Отправить верные" not in page


def test_a_delete_racing_a_send_finds_the_buffer_sent_and_deletes_nothing(core, signed_in):
    import threading
    import time

    from sqlalchemy import update

    from lkk_integration.spreadsheets.buffer import Selection, delete_rows

    upload = upload_filled(signed_in, core, {"00215090": {"t1": 1100, "date": DAY}})
    with core.uow() as uow:
        organization = uow.session.get(Upload, upload).organization_id
    outcome = []

    def delete_everything():
        try:
            outcome.append(delete_rows(core, organization, upload, Selection(everything=True)))
        except Exception as exc:  # the outcome is checked below
            outcome.append(exc)

    # A send takes the buffer and has not committed yet when the delete reads it.
    with core.engine.connect() as sending:
        transaction = sending.begin()
        sending.execute(update(Upload).where(Upload.id == upload).values(status="sent"))
        deleting = threading.Thread(target=delete_everything)
        deleting.start()
        time.sleep(0.5)  # the delete has read «checked» and waits for the send's lock
        transaction.commit()
    deleting.join(30)
    [result] = outcome
    assert getattr(result, "message", None) == ("Загруженный файл не найден или уже отправлен. "
                                                "Загрузите файл заново.")
    with core.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(UploadRow)) == 6


def test_the_same_file_sent_once_is_remembered_behind_later_uploads(core, signed_in, clock):
    fills = {"00215090": {"t1": 1100, "date": DAY}}
    first = upload_filled(signed_in, core, fills)
    send(signed_in, first)
    clock.advance(minutes=5)
    upload_filled(signed_in, core, {"00215090": {"t1": 1200, "date": DAY}})
    clock.advance(minutes=5)
    upload_filled(signed_in, core, fills)
    assert "Этот файл уже отправлен 20.03.2026 в 12:00 (Тестова И. О.)" in page_text(
        buffer_page(signed_in))


def test_an_upload_over_the_size_limit_tells_the_pages_script_where_the_message_waits(
        core, signed_in):
    core.config = dataclasses.replace(core.config, upload_max_bytes=1024)
    signed_in.application.config["MAX_CONTENT_LENGTH"] = 2048
    answer = signed_in.post("/readings/upload", headers={"X-Requested-With": "XMLHttpRequest"},
                            data={"csrf_token": csrf_token(signed_in.get("/readings/file").text),
                                  "file": (io.BytesIO(b"x" * 10_000), "big.xls")})
    assert answer.status_code == 413 and answer.json == {"next": "/readings/file"}
    assert "Файл больше 0 МБ. Разделите его на несколько файлов." in page_text(
        buffer_page(signed_in))


def test_zeros_are_restored_never_removed(core, signed_in):
    upload = upload_filled(signed_in, core, {}, extra_rows=[
        {"№ счетчика": "0066823", "Т1": 520, "Т2": 310, "Дата показания": DAY}])
    with core.uow() as uow:
        row = uow.session.scalar(select(UploadRow).where(UploadRow.upload_id == upload,
                                                         UploadRow.meter_number == "0066823"))
    assert (row.is_valid, row.note) == (False, "Счетчик не найден")


def test_the_errors_file_corrected_goes_back_in(core, signed_in):
    upload = upload_filled(signed_in, core, {"066823": {"t1": 520, "date": DAY},
                                             "7700123": {"t1": 110, "date": DAY}})
    errors = xlrd.open_workbook(file_contents=signed_in.get(
        f"/readings/buffer/{upload}/errors.xls").data)
    corrected = xlwt.Workbook(encoding="utf-8")
    for sheet in errors.sheets():
        out = corrected.add_sheet(sheet.name)
        titles = sheet.row_values(0)
        for r in range(sheet.nrows):
            values = sheet.row_values(r)
            if r and values[titles.index("№ счетчика")] in ("066823", "7700123"):
                number = values[titles.index("№ счетчика")]
                values[titles.index("Т2")] = "310" if number == "066823" else "55"
            for c, value in enumerate(values):
                out.write(r, c, value)
    data = io.BytesIO()
    corrected.save(data)
    upload_file(signed_in, data.getvalue(), "ошибки.xls")
    page = page_text(buffer_page(signed_in))
    assert "Индивидуальные ПУ: Верных – 1, ошибок – 4" in page
    assert "Общедомовые ПУ: Верных – 1, ошибок – 0" in page


def test_the_xlsx_template_keeps_the_billings_texts_as_text(core, signed_in, zeep_client):
    from tests.support.organizations import story_organization
    from tests.support.cabinet import house_id

    house = story_organization()["Houses"]["House"][0]
    house["Street"] = '=HYPERLINK("http://evil.example","Вавилова")'
    house["Accounts"]["Account"][0]["Apartment"] = "=1+1"
    zeep_client.service.SaveHouse(RequestId="eq", OrganizationId="ORG-1", House=house)
    response = signed_in.post("/readings/template", data={
        "csrf_token": csrf_token(signed_in.get("/readings/file").text),
        "house": str(house_id(core)), "format": "xlsx"})
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        sheets = b"".join(archive.read(n) for n in archive.namelist() if "worksheets" in n)
    assert b"<f>" not in sheets
    cells = [c for row in openpyxl.load_workbook(io.BytesIO(response.data))["ИПУ"].iter_rows()
             for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_an_xlsx_declaring_too_small_a_dimension_is_read_whole(core, signed_in):
    from tests.support.hostile import xlsx
    from tests.support.spreadsheets import HEADER

    rows = "".join(
        f'<row r="{r}">' + "".join(
            f'<c r="{col}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
            for col, v in zip("ABCDEF", values, strict=True) if v) + "</row>"
        for r, values in enumerate([HEADER, ["1", "00215090", "1100", "", "", "19.03.2026"],
                                    ["3", "00300001", "2100", "", "", "19.03.2026"]], 1))
    data = xlsx('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/><sheetData>'
                + rows + "</sheetData></worksheet>")
    upload_file(signed_in, data, "small-dimension.xlsx")
    assert "Индивидуальные ПУ: Верных – 2, ошибок – 0" in page_text(buffer_page(signed_in))


def test_sheets_left_unread_are_named_with_the_buffer(core, signed_in):
    from tests.support.spreadsheets import HEADER

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("ИПУ")
    for r, values in enumerate([HEADER, ["1", "00215090", 1100, None, None, "19.03.2026"]]):
        for c, value in enumerate(values):
            if value is not None:
                sheet.write(r, c, value)
    headless = book.add_sheet("Лист2")  # its header row deleted by the person
    headless.write(0, 1, "00300001")
    headless.write(0, 2, 2100)
    draft = book.add_sheet("Черновик")
    draft.write(0, 0, "№ счетчика")
    draft.visibility = 1
    book.add_sheet("Пустой")
    data = io.BytesIO()
    book.save(data)
    upload_file(signed_in, data.getvalue(), "листы.xls")
    page = page_text(buffer_page(signed_in))
    assert ("Лист «Лист2» не прочитан: в нем нет строки заголовков шаблона («№ счетчика», «Т1», "
            "«Т2», «Т3», «Дата показания»).") in page
    assert "Скрытый лист «Черновик» не прочитан. Сделайте его видимым, если в нем показания." \
        in page
    assert "«Пустой»" not in page and "Индивидуальные ПУ: Верных – 1, ошибок – 0" in page


def test_page_links_skip_with_one_ellipsis_per_gap(core, signed_in, monkeypatch):
    import lkk_integration.spreadsheets.buffer as buffer

    from tests.support.cabinet import house_id

    monkeypatch.setattr(buffer, "PAGE_ROWS", 1)
    upload_filled(signed_in, core, {})  # six rows of one house, six pages
    pages = r'<nav class="pages"[^>]*>(.*?)</nav>'
    nav = re.search(pages, buffer_page(signed_in, open=house_id(core), page=6), re.S)
    assert page_text(nav.group(1)) == "Страницы: 1 2 3 4 5 6"
    # Meters not found: the rows without a house, twenty pages of their own.
    upload_filled(signed_in, core, {}, extra_rows=[
        {"№ счетчика": f"X{i}", "Т1": 1, "Дата показания": DAY} for i in range(20)])
    nav = re.search(pages, buffer_page(signed_in, open=0, page=20), re.S)
    assert page_text(nav.group(1)) == "Страницы: 1 2 3 … 18 19 20"
    nav = re.search(pages, buffer_page(signed_in, open=0, page=10), re.S)
    assert page_text(nav.group(1)) == "Страницы: 1 2 3 … 8 9 10 11 12 … 18 19 20"


def upload_sheet(client, core, fmt: str, rows: list[list], hidden=()) -> int:
    """Upload a sheet of test_intake.HEADER and `rows` (test_intake.spreadsheet); its id."""
    from tests.support.spreadsheets import spreadsheet

    client.post("/readings/upload", data={
        "csrf_token": csrf_token(client.get("/readings/file").text),
        "file": (io.BytesIO(spreadsheet(fmt, rows, hidden)), f"показания.{fmt}")})
    with core.uow() as uow:
        return uow.session.scalar(select(func.max(Upload.id)))


def row_notes(core, upload_id: int) -> list[tuple[int, str | None, bool, str | None]]:
    """(row number, meter number, valid, note) of the buffer's rows in file order."""
    with core.uow() as uow:
        return uow.session.execute(
            select(UploadRow.row_number, UploadRow.meter_number, UploadRow.is_valid,
                   UploadRow.note).where(UploadRow.upload_id == upload_id)
            .order_by(UploadRow.id)).all()


HIDDEN = "Строка скрыта в файле, показания из нее прочитаны"


@pytest.mark.parametrize("fmt", ["xls", "xlsx"])
def test_a_hidden_row_holding_a_reading_is_checked_and_says_it_is_hidden(core, signed_in, fmt):
    upload = upload_sheet(signed_in, core, fmt, [
        ["1", "00215090", 1100, None, None, DAY],
        ["3", "00300001", 1500, None, None, DAY],
        ["2", "066823", None, None, None, None],  # a template row left empty, hidden
        ["5", "00300003", 150, None, None, DAY]], hidden=(2, 3, 4))
    assert row_notes(core, upload) == [
        (2, "00215090", True, HIDDEN),
        (3, "00300001", False, f"Т1 меньше последних учтенных показаний (2000); {HIDDEN}"),
        (4, "066823", False, "Показания не указаны"),
        (5, "00300003", True, None)]
    assert HIDDEN in page_text(buffer_page(signed_in))


NO_VALUE = ("в ячейке формула без сохраненного значения. Откройте файл в Excel или LibreOffice "
            "Calc и сохраните его (или вставьте вместо формул значения)")


@pytest.mark.parametrize("fmt", ["xls", "xlsx"])
def test_a_formula_with_no_saved_value_says_so_and_how_to_fix_it(core, signed_in, fmt):
    from tests.support.spreadsheets import F

    upload = upload_sheet(signed_in, core, fmt, [
        ["1", "00215090", F("1000+100"), None, None, DAY],
        ["2", "066823", 520, F("300+10"), None, DAY],
        ["3", "00300001", 2100, None, None, F("DATE(2026,3,19)")],
        ["4", "00300002", F("6"), F("11"), F("16"), DAY],
        ["5", F('"00300003"'), 150, None, None, DAY],
        ["5", "00300003", F("150"), None, None, F("DATE(2026,3,19)")]])
    assert row_notes(core, upload) == [
        (2, "00215090", False, f"Т1: {NO_VALUE}"),
        (3, "066823", False, f"Т2: {NO_VALUE}"),
        (4, "00300001", False, f"Дата показания: {NO_VALUE}"),
        (5, "00300002", False, "Т1, Т2, Т3: в ячейках формулы без сохраненных значений. Откройте "
                               "файл в Excel или LibreOffice Calc и сохраните его (или вставьте "
                               "вместо формул значения)"),
        (6, None, False, f"№ счетчика: {NO_VALUE}"),
        (7, "00300003", False, "Т1, Дата показания: в ячейках формулы без сохраненных значений. "
                               "Откройте файл в Excel или LibreOffice Calc и сохраните его (или "
                               "вставьте вместо формул значения)")]
    # A formula in a cell no check needs (T3 of a one-zone meter) is no reason for a note.
    upload = upload_sheet(signed_in, core, fmt, [["5", "00300003", 150, None, F("0"), DAY]])
    assert row_notes(core, upload) == [(2, "00300003", True, None)]


def restored(number: str) -> str:
    return f"Номер счетчика восстановлен с ведущими нулями: {number}"


def test_restored_zeros_are_remarked_on_wrong_rows_and_the_errors_file_keeps_the_number(
        core, signed_in):
    upload = upload_sheet(signed_in, core, "xls", [
        ["1", 215090.0, 900, None, None, DAY],       # lower than the last accounted 1000
        ["9", "300001.0", 2100, None, None, DAY],    # not the meter of кв. 9
        ["5", 300003.0, 150, None, None, DAY]])
    assert row_notes(core, upload) == [
        (2, "215090", False, "Т1 меньше последних учтенных показаний (1000); "
                             + restored("00215090")),
        (3, "300001", False, "Счетчик не относится к указанной квартире; " + restored("00300001")),
        (4, "300003", True, restored("00300003"))]
    errors = xlrd.open_workbook(file_contents=signed_in.get(
        f"/readings/buffer/{upload}/errors.xls").data).sheet_by_index(0)
    titles = errors.row_values(0)
    assert [errors.row_values(r)[titles.index("№ счетчика")] for r in range(1, errors.nrows)] \
        == ["215090", "300001"]


def test_a_meter_named_on_several_rows_says_so_whatever_the_first_rows_verdict(core, signed_in):
    several = "Счетчик указан в файле несколько раз: строки {}, {}".format
    upload = upload_sheet(signed_in, core, "xls", [
        ["1", "00215090", 900, None, None, DAY],     # wrong, then a valid one that stands
        ["1", "00215090", 1100, None, None, DAY],
        ["3", "00300001", 1500, None, None, DAY],    # wrong twice
        ["3", "00300001", 2100, None, None, None],
        ["5", "00300003", 150, None, None, DAY],     # valid, then repeated
        ["5", "00300003", 160, None, None, DAY]])
    assert row_notes(core, upload) == [
        (2, "00215090", False, "Т1 меньше последних учтенных показаний (1000); " + several(2, 3)),
        (3, "00215090", True, several(2, 3)),
        (4, "00300001", False, "Т1 меньше последних учтенных показаний (2000); " + several(4, 5)),
        (5, "00300001", False, "Не указана дата показания; " + several(4, 5)),
        (6, "00300003", True, several(6, 7)),
        (7, "00300003", False, "Счетчик указан в файле повторно")]


def test_meters_not_read_are_counted_apart_from_the_mistakes(core, signed_in):
    upload = upload_filled(signed_in, core, {
        "00215090": {"t1": 1100, "date": DAY}, "00300001": {"t1": 5, "date": DAY},
        "00300003": {"date": DAY}})
    with core.uow() as uow:
        rows = uow.session.scalars(select(UploadRow).where(
            UploadRow.upload_id == upload, UploadRow.kind == "individual")).all()
    wrong = [r for r in rows if not r.is_valid]
    unfilled = [r for r in wrong if r.note == "Показания не указаны"]
    # A date alone is no reading; a value lower than the last one is a mistake.
    assert {r.meter_number for r in rows if r.unfilled} == {r.meter_number for r in unfilled}
    assert "00300003" in {r.meter_number for r in unfilled}
    assert "00300001" not in {r.meter_number for r in unfilled}
    page = page_text(signed_in.get("/readings/file").text)
    assert (f"Индивидуальные ПУ: Верных – 1, ошибок – {len(wrong)}, из них не заполнено – "
            f"{len(unfilled)}") in page
