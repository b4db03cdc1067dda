"""«Отправить верные» (docs/spec.md §11.1, §11.2): the question with what stays unsent and the
errors file offered; the wrong rows left in the buffer after the send; a second send of the same
buffer refused; a file sent in this period marked with when and by whom, and sent again only on
an explicit second confirmation."""
from __future__ import annotations

import datetime as dt

import xlrd
from sqlalchemy import func, select, update

from lkk_integration import messages as msg
from lkk_integration.models import AuditRecord, Reading, Upload, UploadRow

from tests.support.cabinet import csrf_token, page_text, send, upload_filled

DAY = dt.date(2026, 3, 19)
# Two valid rows, one mistake («Т1: не число»), and three meters not read («Показания не
# указаны»: 066823, 00300002, 7700123).
FILLS = {"00215090": {"t1": 1100, "date": DAY}, "00300001": {"t1": 2100, "date": DAY},
         "00300003": {"t1": "сто", "date": DAY}}
WRONG = {"00300003", "066823", "00300002", "7700123"}


def file_readings(core) -> int:
    with core.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(Reading)
                                  .where(Reading.channel == "file"))


def errors_file(client, upload_id: int) -> dict[str, str]:
    """The errors file's rows, every sheet: meter number → note."""
    response = client.get(f"/readings/buffer/{upload_id}/errors.xls")
    assert response.status_code == 200
    rows = {}
    for sheet in xlrd.open_workbook(file_contents=response.data).sheets():
        titles = sheet.row_values(0)
        number, note = titles.index("№ счетчика"), titles.index("Примечание")
        rows.update({sheet.cell_value(r, number): sheet.cell_value(r, note)
                     for r in range(1, sheet.nrows)})
    return rows


def answer(client, upload_id: int, **form):
    token = csrf_token(client.get(f"/readings/send/{upload_id}").text)
    return client.post(f"/readings/send/{upload_id}", follow_redirects=True,
                       data={"csrf_token": token, "answer": "yes", **form})


def test_the_question_says_how_many_meters_stay_without_a_reading_and_offers_the_errors_file(
        core, signed_in):
    upload = upload_filled(signed_in, core, FILLS)
    question = signed_in.get(f"/readings/send/{upload}").text
    assert ("В загруженном файле 2 верных и 4 ошибочных строки. Показания будут сохранены "
            "только по верным строкам. Продолжить сохранение показаний? Показания не будут "
            "переданы по 4 счетчикам (из них не заполнено – 3). Выгрузить ошибки в файл"
            ) in page_text(question)
    assert f'href="/readings/buffer/{upload}/errors.xls"' in question
    assert "повторно" not in page_text(question)  # never sent: the plain question


def test_without_wrong_rows_the_question_is_the_manuals_alone(core, signed_in):
    upload = upload_filled(signed_in, core, FILLS)
    signed_in.post(f"/readings/buffer/{upload}/delete", data={
        "csrf_token": csrf_token(signed_in.get("/readings/file").text), "scope": "wrong",
        "answer": "yes"})
    question = signed_in.get(f"/readings/send/{upload}").text
    assert "В загруженном файле 2 верных и 0 ошибочных строк." in page_text(question)
    assert "не будут переданы" not in question and "errors.xls" not in question


def test_the_wrong_rows_stay_after_the_send_to_be_exported_and_uploaded_again(
        core, signed_in, clock):
    upload = upload_filled(signed_in, core, FILLS)
    before = errors_file(signed_in, upload)
    assert set(before) == WRONG and before["00300003"] == "Т1: не число"
    page = page_text(send(signed_in, upload).text)
    assert ("Успешно отправлены показания для 2 строк по индивидуальным приборам учета"
            in page)
    assert ("Верные строки файла отправлены 20.03.2026 в 12:00. Остались ошибочные строки: 4 — "
            "выгрузите их в файл, исправьте и загрузите снова. Выгрузить ошибки в файл") in page
    assert "Индивидуальные ПУ: Верных – 0, ошибок – 3, из них не заполнено – 2" in page
    assert "Общедомовые ПУ: Верных – 0, ошибок – 1, из них не заполнено – 1" in page
    assert msg.NOTHING_TO_SEND not in page  # sent: the statement above says what is left
    assert file_readings(core) == 2
    # The sent rows are readings now; the wrong ones, and only they, are the buffer.
    with core.uow() as uow:
        left = set(uow.session.scalars(select(UploadRow.meter_number)
                                       .where(UploadRow.upload_id == upload)))
        assert uow.session.get(Upload, upload).status == "sent"
    assert left == WRONG
    assert errors_file(signed_in, upload) == before
    tab = signed_in.get("/readings/file").text
    assert f"/readings/send/{upload}" not in tab  # nothing left to send
    assert msg.buffer_replaces("filled.xls", sent=True) in page_text(tab)
    # Filtered and deleted as any buffer's rows.
    wrong = page_text(signed_in.get("/readings/file?filter=wrong").text)
    assert "Т1: не число" in wrong and "00215090" not in wrong
    with core.uow() as uow:
        mistake = uow.session.scalar(select(UploadRow.id).where(
            UploadRow.upload_id == upload, UploadRow.meter_number == "00300003"))
    deleted = signed_in.post(f"/readings/buffer/{upload}/delete", follow_redirects=True, data={
        "csrf_token": csrf_token(tab), "row": [mistake], "answer": "yes"})
    assert "Удалено 1 строка файла" in page_text(deleted.text)
    assert set(errors_file(signed_in, upload)) == WRONG - {"00300003"}
    # The corrected file replaces what was left.
    clock.advance(minutes=10)
    corrected = upload_filled(signed_in, core, {"00300003": {"t1": 150, "date": DAY}})
    assert corrected != upload
    page = page_text(signed_in.get("/readings/file").text)
    assert "Остались ошибочные строки" not in page
    assert "Индивидуальные ПУ: Верных – 1, ошибок – 4, из них не заполнено – 4" in page


def test_a_buffer_sent_whole_leaves_no_buffer(core, signed_in):
    upload = upload_filled(signed_in, core, FILLS)
    signed_in.post(f"/readings/buffer/{upload}/delete", data={
        "csrf_token": csrf_token(signed_in.get("/readings/file").text), "scope": "wrong",
        "answer": "yes"})
    page = send(signed_in, upload).text
    assert "Успешно отправлены показания для 2 строк" in page_text(page)
    assert "Остались ошибочные строки" not in page_text(page) and 'id="buffer"' not in page
    gone = signed_in.get(f"/readings/buffer/{upload}/errors.xls", follow_redirects=True)
    assert msg.BUFFER_GONE in page_text(gone.text)


def test_a_second_send_of_the_same_buffer_sends_nothing_and_says_it_was_sent(core, signed_in):
    upload = upload_filled(signed_in, core, FILLS)
    send(signed_in, upload)
    again = page_text(send(signed_in, upload).text)
    assert "Файл «filled.xls» уже отправлен 20.03.2026 12:00: передано 2 показания." in again
    assert "Успешно отправлены" not in again
    asked = signed_in.get(f"/readings/send/{upload}", follow_redirects=True)
    assert "Файл «filled.xls» уже отправлен" in page_text(asked.text)
    assert file_readings(core) == 2


def test_a_file_sent_in_this_period_is_marked_and_sent_again_only_when_confirmed_again(
        core, signed_in, clock):
    first = upload_filled(signed_in, core, FILLS)
    send(signed_in, first)
    clock.advance(minutes=15)
    second = upload_filled(signed_in, core, FILLS)
    mark = "Этот файл уже отправлен 20.03.2026 в 12:00 (Тестова И. О.)"
    assert mark in page_text(signed_in.get("/readings/file").text)
    question = signed_in.get(f"/readings/send/{second}").text
    assert mark in page_text(question) and 'name="again"' in question
    assert "Да, отправить повторно" in page_text(question)
    # A plain «Да» is refused and says what it lacks; nothing is sent.
    plain = answer(signed_in, second)
    assert plain.request.path == f"/readings/send/{second}"
    assert (f"{mark}. Чтобы отправить его повторно, отметьте «Да, отправить повторно»."
            in page_text(plain.text))
    assert file_readings(core) == 2
    with core.uow() as uow:
        assert uow.session.get(Upload, second).status == "checked"
    # «Нет» goes back, still nothing sent.
    no = answer(signed_in, second, answer="no")
    assert no.request.path == "/readings/file" and file_readings(core) == 2
    confirmed = page_text(answer(signed_in, second, again="yes").text)
    assert "Успешно отправлены показания для 2 строк по индивидуальным приборам учета" \
        in confirmed
    assert file_readings(core) == 4
    with core.uow() as uow:
        assert uow.session.get(Upload, second).sent_at == clock.now()
        details = uow.session.scalars(select(AuditRecord.details).where(
            AuditRecord.action == "buffer_sent").order_by(AuditRecord.id)).all()
    assert ['"sent_again": true' in (d or "") for d in details] == [False, True]


def test_a_file_sent_in_an_earlier_period_needs_no_second_confirmation(core, signed_in, clock):
    first = upload_filled(signed_in, core, FILLS)
    send(signed_in, first)
    with core.uow() as uow:  # as if sent last month
        uow.session.execute(update(Upload).where(Upload.id == first)
                            .values(period=dt.date(2026, 2, 1)))
        uow.commit()
    clock.advance(minutes=5)
    second = upload_filled(signed_in, core, FILLS)
    page = page_text(signed_in.get("/readings/file").text)
    assert "Этот файл уже отправлен" not in page
    assert ("Этот файл уже загружался 20.03.2026 12:00; показания из него были отправлены "
            "20.03.2026 12:00.") in page
    assert "Успешно отправлены показания для 2 строк" in page_text(send(signed_in, second).text)


def test_a_contact_persons_name_is_shortened_to_surname_and_initials():
    assert msg.short_name("Сидорова Анна Викторовна") == "Сидорова А. В."
    assert msg.short_name("Сидорова") == "Сидорова" and msg.short_name("") == ""
    sent_at = dt.datetime(2026, 12, 26, 20, 10, tzinfo=dt.timezone.utc)
    assert msg.file_sent_before(sent_at, "Сидорова Анна Викторовна") == \
        "Этот файл уже отправлен 26.12.2026 в 23:10 (Сидорова А. В.)"
