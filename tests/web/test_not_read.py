"""«Не снято»: a reason instead of values on every channel (docs/spec.md §13.11) — manual entry,
a file's row, the billing's list over SOAP, the coverage and reminders counting it done, and the
export: `not_read` events to a client that asks, the values' story to one that does not."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import xlrd
from sqlalchemy import select
from zeep.exceptions import Fault

from lkk_integration import messages as msg
from lkk_integration.models import Reading, UploadRow
from lkk_integration.readings.coverage import coverage, missing_meter_ids
from tests.support.cabinet import (csrf_token, house_id, meter_id, page_text, post_reading,
                                   readings_of, send, upload_filled)
from tests.web.test_admin import admin, records  # noqa: F401 - the fixture
from tests.web.test_charts import account

NO_ACCESS = "Не снято: Нет доступа"
LIST = "«Нет доступа», «ПУ неисправен», «ПУ демонтирован»"


def not_read(client, meter: int, reason: str, **values):
    return post_reading(client, meter, not_read=reason, **values)


def organization_id(core) -> int:
    from lkk_integration.models import House
    with core.uow() as uow:
        return uow.session.get(House, house_id(core)).organization_id


def test_manual_entry_takes_a_reason_instead_of_values(core, signed_in):
    meter = meter_id(core, "00215090")
    card = signed_in.get(f"/readings/manual/{meter}", follow_redirects=True)
    assert 'name="not_read"' in card.text
    assert "Не снято, причина — показания сняты — Нет доступа ПУ неисправен ПУ демонтирован" \
        in page_text(card.text)
    # Both, or a reason not on the list: refused, nothing written.
    both = not_read(signed_in, meter, "NO_ACCESS", t1="1100")
    assert both.status_code == 422 and msg.NOT_READ_WITH_VALUES in page_text(both.text)
    unknown = not_read(signed_in, meter, "LOST_KEY")
    assert unknown.status_code == 422
    assert f"Причина «LOST_KEY» не из списка причин непередачи показаний: {LIST}" \
        in page_text(unknown.text)
    assert readings_of(core, "00215090") == []
    saved = not_read(signed_in, meter, "NO_ACCESS")
    assert saved.status_code == 302
    [reading] = readings_of(core, "00215090")
    assert (reading.not_read_reason, reading.values, reading.is_current) == \
        ("NO_ACCESS", (None, None, None), True)
    page = page_text(signed_in.get(saved.location).text)
    assert "По счетчику № 00215090 передано: показания не сняты (Нет доступа)" in page
    assert f"от 20.03.2026 (вручную): {NO_ACCESS}. Новые показания заменят их." in page
    assert f"00215090 20.03.2026 {NO_ACCESS}" in page  # «Переданные показания»
    # Values later replace it, as any reading (§13.9); deleting them brings it back.
    assert post_reading(signed_in, meter, t1="1100").status_code == 302
    first, second = readings_of(core, "00215090")
    assert (first.is_current, second.is_current, second.replaces_id) == (False, True, first.id)
    token = csrf_token(signed_in.get("/readings/manual/").text)
    deleted = signed_in.post(f"/readings/manual/delete/{second.id}", follow_redirects=True,
                             data={"csrf_token": token, "answer": "yes"})
    assert f"Действующим снова стало показание от 20.03.2026: {NO_ACCESS}" \
        in page_text(deleted.text)


def test_a_not_read_meter_counts_as_done_for_the_house_and_its_chart_stays(core, signed_in,
                                                                           zeep_client):
    account(zeep_client, "feb27", "ORG-1-M-A", dt.date(2026, 2, 27), t1="1070")
    organization = organization_id(core)
    house = house_id(core)
    before = coverage(core, organization, house)[0]
    meter = meter_id(core, "00215090")
    assert meter in missing_meter_ids(core, organization, [house])
    assert not_read(signed_in, meter, "FAULTY").status_code == 302
    after = coverage(core, organization, house)[0]
    assert after.covered == before.covered + 1
    assert meter not in missing_meter_ids(core, organization, [house])
    page = signed_in.get(f"/houses/{house}")
    assert page.status_code == 200
    assert "Не снято: ПУ неисправен" in page_text(page.text)
    # The missing meters' template leaves it out.
    book = xlrd.open_workbook(file_contents=signed_in.get("/missing.xls").data)
    sheet = book.sheet_by_name("ИПУ")
    numbers = sheet.col_values(sheet.row_values(0).index("№ счетчика"))
    assert "00215090" not in numbers and "00300001" in numbers


def test_a_files_row_may_give_a_reason_and_the_buffer_sends_it(core, signed_in):
    day = dt.date(2026, 3, 20)
    title = "Не снято, причина"
    upload = upload_filled(
        signed_in, core,
        {"00215090": {"date": day}, "066823": {"date": day},
         "00300001": {"t1": 2100, "date": day}, "00300003": {"t1": 150, "date": day}},
        edits={"00215090": {title: "  нет   ДОСТУПА "}, "066823": {title: "Потерян ключ"},
               "00300001": {title: "FAULTY"}, "00300003": {title: ""}})
    with core.uow() as uow:
        rows = {r.meter_number: r for r in uow.session.scalars(
            select(UploadRow).where(UploadRow.upload_id == upload))}
    assert (rows["00215090"].is_valid, rows["00215090"].not_read_reason,
            rows["00215090"].note) == (True, "NO_ACCESS", None)
    assert (rows["066823"].is_valid, rows["066823"].note) == (
        False, f"Причина «Потерян ключ» не из списка причин непередачи показаний: {LIST}")
    assert (rows["00300001"].is_valid, rows["00300001"].note) == (False,
                                                                  msg.NOT_READ_WITH_VALUES)
    assert (rows["00300003"].is_valid, rows["00300003"].not_read_reason) == (True, None)
    buffer = page_text(signed_in.get("/readings/file").text)
    assert f"00215090 20.03.2026 {NO_ACCESS}" in buffer
    assert "Не снято: Потерян ключ" in buffer
    # The wrong rows' file gives the reason back as written, to correct and upload again.
    errors = xlrd.open_workbook(file_contents=signed_in.get(
        f"/readings/buffer/{upload}/errors.xls").data).sheet_by_index(0)
    titles = errors.row_values(0)
    assert title in titles
    written = {errors.cell_value(r, titles.index("№ счетчика")):
               errors.cell_value(r, titles.index(title)) for r in range(1, errors.nrows)}
    assert written["066823"] == "Потерян ключ" and written["00300001"] == "FAULTY"
    send(signed_in, upload)
    [reading] = readings_of(core, "00215090")
    assert (reading.not_read_reason, reading.values, reading.channel) == \
        ("NO_ACCESS", (None, None, None), "file")


def test_the_billing_keeps_the_list_and_a_reason_taken_off_is_no_longer_given(
        core, signed_in, zeep_client):
    service = zeep_client.service
    listed = service.GetNotReadReasons().NotReadReasonState
    assert [(r.Code, r.Name, r.IsActive) for r in listed] == [
        ("NO_ACCESS", "Нет доступа", True), ("FAULTY", "ПУ неисправен", True),
        ("REMOVED", "ПУ демонтирован", True)]
    new = [{"Code": "NO_ACCESS", "Name": "Нет доступа в квартиру"},
           {"Code": "OWNER_REFUSED", "Name": "Отказ собственника"}]
    answer = service.SetNotReadReasons(RequestId="r-1", Reasons={"NotReadReason": new})
    assert (answer.Affected, answer.Retired) == (2, 2)
    # The same request again: the same answer, nothing done twice.
    again = service.SetNotReadReasons(RequestId="r-1", Reasons={"NotReadReason": new})
    assert (again.Affected, again.Retired) == (2, 2)
    listed = service.GetNotReadReasons().NotReadReasonState
    assert [(r.Code, r.Name, r.IsActive) for r in listed] == [
        ("NO_ACCESS", "Нет доступа в квартиру", True), ("OWNER_REFUSED", "Отказ собственника",
                                                         True),
        ("FAULTY", "ПУ неисправен", False), ("REMOVED", "ПУ демонтирован", False)]
    meter = meter_id(core, "00215090")
    refused = not_read(signed_in, meter, "FAULTY")
    assert refused.status_code == 422
    # A form opened before: the reason named as the person saw it, not by its code.
    assert ("Причина «ПУ неисправен» не из списка причин непередачи показаний: «Нет доступа в "
            "квартиру», «Отказ собственника»") in page_text(refused.text)
    assert not_read(signed_in, meter, "OWNER_REFUSED").status_code == 302


@pytest.mark.parametrize(("reasons", "code", "field", "text"), [
    ([{"Code": "BAD CODE", "Name": "Нет доступа"}], "SchemaValidationError",
     "Reasons/NotReadReason/Code", "«BAD CODE» не подходит, ожидается по образцу"),
    ([{"Code": "КОД", "Name": "Нет доступа"}], "SchemaValidationError",
     "Reasons/NotReadReason/Code", "«КОД» не подходит"),
    ([{"Code": "A" * 21, "Name": "Нет доступа"}], "SchemaValidationError",
     "Reasons/NotReadReason/Code", "длина больше 20 символов"),
    ([{"Code": "A", "Name": "   "}], "Validation", "Reasons[1].Name", "от 1 до 100 знаков"),
    ([{"Code": "A", "Name": "Нет доступа"}, {"Code": "a", "Name": "Другое"}], "Validation",
     "Reasons[2].Code", "«a» уже есть в этом списке"),
    ([{"Code": "A", "Name": "Нет доступа"}, {"Code": "B", "Name": " нет  доступа"}],
     "Validation", "Reasons[2].Name", "уже есть в этом списке"),
    # One mistaken call must not take the choice from every organization.
    ([], "Validation", "", "Список причин непередачи показаний не может быть пустым"),
    ([{"Code": f"R{i}", "Name": f"Причина {i}"} for i in range(101)], "Validation", "",
     "может быть не больше 100 причин"),
])
def test_a_bad_list_is_refused_naming_the_item_and_the_list_stays(core, zeep_client, reasons,
                                                                  code, field, text):
    with pytest.raises(Fault) as refused:
        zeep_client.service.SetNotReadReasons(RequestId="bad",
                                              Reasons={"NotReadReason": reasons})
    assert refused.value.code == f"soap11env:Client.{code}"
    assert (not field or f"Поле {field}" in refused.value.message) \
        and text in refused.value.message
    listed = zeep_client.service.GetNotReadReasons().NotReadReasonState
    assert [r.Code for r in listed if r.IsActive] == ["NO_ACCESS", "FAULTY", "REMOVED"]


def events(zeep_client, operation: str) -> list[tuple]:
    found = getattr(zeep_client.service, operation)(Cursor=0, Limit=100).Readings
    return [(e.Event, e.MeterNumber, e.ReadingId, e.ReplacesReadingId, e.T1,
             e.NotReadReason) for e in (found.ExportedReading if found else [])]


def test_the_export_carries_not_read_to_a_client_that_asks_and_values_to_the_others(
        core, signed_in, zeep_client):
    a, c = meter_id(core, "00215090"), meter_id(core, "00300001")
    assert not_read(signed_in, c, "REMOVED").status_code == 302          # alone
    assert post_reading(signed_in, a, t1="1100").status_code == 302       # values …
    assert not_read(signed_in, a, "NO_ACCESS").status_code == 302        # … then a reason
    assert post_reading(signed_in, a, t1="1105").status_code == 302       # … values again
    [c1] = readings_of(core, "00300001")
    a1, a2, a3 = readings_of(core, "00215090")
    assert events(zeep_client, "ExportReadingsWithNotRead") == [
        ("not_read", "00300001", c1.id, None, None, "REMOVED"),
        ("submitted", "00215090", a1.id, None, Decimal(1100), None),
        ("not_read", "00215090", a2.id, a1.id, None, "NO_ACCESS"),
        ("submitted", "00215090", a3.id, a2.id, Decimal(1105), None)]
    # A client of the earlier operations: the values withdrawn, then new values naming none.
    for operation in ("ExportReadings", "ExportReadingsWithCheckNotes"):
        assert events(zeep_client, operation) == [
            ("submitted", "00215090", a1.id, None, Decimal(1100), None),
            ("deleted", "00215090", a1.id, None, Decimal(1100), None),
            ("submitted", "00215090", a3.id, None, Decimal(1105), None)], operation
    # Its cursor still moves past the events left out.
    page = zeep_client.service.ExportReadings(Cursor=0, Limit=1)
    assert page.Readings is None and page.NextCursor == 1 and page.HasMore


def test_a_not_read_reading_may_be_declined_by_the_billing(core, signed_in, zeep_client):
    assert not_read(signed_in, meter_id(core, "00215090"), "NO_ACCESS").status_code == 302
    [reading] = readings_of(core, "00215090")
    zeep_client.service.RecordReadingVerdicts(RequestId="v", Verdicts={"ReadingVerdict": [
        {"ReadingId": reading.id, "Accepted": False, "Reason": "Доступ был 19.03"}]})
    with core.uow() as uow:
        assert uow.session.get(Reading, reading.id).billing_verdict == "declined"


def test_the_administrator_keeps_the_list_on_the_settings_page(core, signed_in, admin):  # noqa: F811
    page = admin.get("/admin/")
    assert "Причины непередачи показаний" in page_text(page.text)
    token = csrf_token(page.text)

    def save(rows):
        data = {"csrf_token": token, "part": "reasons",
                "reason_code": [code for code, _n, _o in rows],
                "reason_name": [name for _c, name, _o in rows],
                "reason_offered": [str(i) for i, (_c, _n, offered) in enumerate(rows)
                                   if offered]}
        return admin.post("/admin/", data=data)

    # FAULTY unticked, NO_ACCESS renamed, a new one in the last row.
    saved = save([("NO_ACCESS", "Нет доступа в квартиру", True), ("FAULTY", "ПУ неисправен",
                                                                 False),
                  ("REMOVED", "ПУ демонтирован", True), ("SEALED", "Опломбирован", True)])
    assert saved.status_code == 302
    assert [(r.Code, r.IsActive) for r in
            zeep_client_reasons(core)] == [("NO_ACCESS", True), ("REMOVED", True),
                                           ("SEALED", True), ("FAULTY", False)]
    [record] = records(core, "not_read_reasons_changed")
    assert "SEALED" in record.details
    # A bad row is refused naming its row on the page, and the list stays.
    assert save([("NO_ACCESS", "Нет доступа", False)]).status_code == 422  # none offered
    refused = save([("NO_ACCESS", "Нет доступа", False), ("BAD CODE", "Другое", True)])
    assert refused.status_code == 422
    assert ("Строка 2, код: код причины – от 1 до 20 латинских букв, цифр, «_» и «-»"
            in page_text(refused.text))
    assert 'value="BAD CODE"' in refused.text  # as typed
    assert [r.Code for r in zeep_client_reasons(core) if r.IsActive] == \
        ["NO_ACCESS", "REMOVED", "SEALED"]
    card = signed_in.get(f"/readings/manual/{meter_id(core, '00215090')}",
                         follow_redirects=True)
    assert "— показания сняты — Нет доступа в квартиру ПУ демонтирован Опломбирован" \
        in page_text(card.text)


def zeep_client_reasons(core):
    """The list as GetNotReadReasons answers it, read through the core."""
    from types import SimpleNamespace

    from lkk_integration.readings.reasons import reasons_in_force
    return [SimpleNamespace(Code=code, Name=name, IsActive=active)
            for code, name, active in reasons_in_force(core)]


def test_no_reminder_when_the_meters_left_are_not_read_with_a_reason(core, clock, signed_in):
    from lkk_integration.readings.reminders import send_reminders
    from tests.web.test_reminders import at, reminders

    for number, values in (("00215090", {"t1": "1100"}), ("066823", {"t1": "520", "t2": "310"}),
                           ("00300001", {"t1": "2100"}),
                           ("00300002", {"t1": "6", "t2": "11", "t3": "16"})):
        assert post_reading(signed_in, meter_id(core, number), **values).status_code == 302
    assert not_read(signed_in, meter_id(core, "00300003"), "REMOVED").status_code == 302
    clock.set(at(24, 9))
    # The common-house meter is still missing: one reminder, counting it alone.
    assert send_reminders(core).mailed == 1
    assert reminders(core) == [(3, 0, 1, True)]
    from tests.support.cabinet import log_in
    log_in(signed_in)
    assert not_read(signed_in, meter_id(core, "7700123"), "NO_ACCESS", date="2026-03-24") \
        .status_code == 302
    clock.set(at(26, 9))
    done = send_reminders(core)
    assert (done.decided, done.mailed) == (1, 0)
    assert reminders(core)[-1] == (1, 0, 0, False)


def test_a_reason_taken_off_after_the_upload_keeps_its_rows_back_at_the_send(core, signed_in,
                                                                            zeep_client):
    day = dt.date(2026, 3, 20)
    title = "Не снято, причина"
    upload = upload_filled(signed_in, core, {"00215090": {"date": day},
                                             "00300001": {"t1": 2100, "date": day}},
                           edits={"00215090": {title: "ПУ демонтирован"}})
    zeep_client.service.SetNotReadReasons(RequestId="off", Reasons={"NotReadReason": [
        {"Code": "NO_ACCESS", "Name": "Нет доступа"}]})
    sent = page_text(send(signed_in, upload).text)
    assert readings_of(core, "00215090") == [] and readings_of(core, "00300001") == []
    with core.uow() as uow:
        row = uow.session.scalars(select(UploadRow).where(
            UploadRow.upload_id == upload, UploadRow.meter_number == "00215090")).one()
    assert (row.is_valid, row.note) == (False, "Причина «ПУ демонтирован» не из списка причин "
                                               "непередачи показаний: «Нет доступа»")
    # The list changed, not the meters: the message says so.
    assert msg.buffer_changed(1, reasons_only=True) in sent
    assert "изменился список причин непередачи показаний: 1 строка стала ошибочной" in sent


def test_values_and_a_reason_both_show_in_the_buffer_and_a_code_by_its_name(core, signed_in):
    upload_filled(signed_in, core, {"00300001": {"t1": 2100, "date": dt.date(2026, 3, 20)}},
                  edits={"00300001": {"Не снято, причина": "Нет доступа"},
                         "00215090": {"Не снято, причина": "REMOVED"}})
    buffer = page_text(signed_in.get("/readings/file?filter=wrong").text)
    assert f"00300001 20.03.2026 2100 {NO_ACCESS}" in buffer
    # Wrong for its date alone: the code is shown by its name all the same.
    assert "00215090 Не снято: ПУ демонтирован Не указана дата показания" in buffer


def test_a_long_list_is_named_in_part_and_the_errors_file_is_written(core, signed_in,
                                                                     zeep_client):
    names = [f"Не снято по причине номер {i:03}, см. акт обхода" for i in range(100)]
    zeep_client.service.SetNotReadReasons(RequestId="long", Reasons={"NotReadReason": [
        {"Code": f"R{i}", "Name": name} for i, name in enumerate(names)]})
    upload = upload_filled(signed_in, core, {"00215090": {"date": dt.date(2026, 3, 20)}},
                           edits={"00215090": {"Не снято, причина": "Потерян ключ"}})
    with core.uow() as uow:
        note = uow.session.scalars(select(UploadRow.note).where(
            UploadRow.upload_id == upload, UploadRow.meter_number == "00215090")).one()
    assert note.endswith(f"«{names[9]}» и еще 90") and names[10] not in note
    errors = signed_in.get(f"/readings/buffer/{upload}/errors.xls")
    assert errors.status_code == 200


def test_the_earlier_operations_date_filters_go_by_the_date_an_event_shows(core, signed_in,
                                                                          zeep_client):
    meter = meter_id(core, "00215090")
    assert post_reading(signed_in, meter, date="2026-03-18", t1="1080").status_code == 302
    assert not_read(signed_in, meter, "NO_ACCESS").status_code == 302  # dated 20.03
    a1, a2 = readings_of(core, "00215090")

    def window(operation, day):
        found = getattr(zeep_client.service, operation)(Cursor=0, Limit=100, DateFrom=day,
                                                        DateTo=day).Readings
        return [(e.Event, e.ReadingId, e.ReadingDate) for e in
                (found.ExportedReading if found else [])]

    march18, march20 = dt.date(2026, 3, 18), dt.date(2026, 3, 20)
    for operation in ("ExportReadings", "ExportReadingsWithCheckNotes"):
        # The withdrawal carries the withdrawn reading's date, and is found by it.
        assert window(operation, march18) == [("submitted", a1.id, march18),
                                              ("deleted", a1.id, march18)], operation
        assert window(operation, march20) == [], operation
    assert window("ExportReadingsWithNotRead", march20) == [("not_read", a2.id, march20)]
    assert window("ExportReadingsWithNotRead", march18) == [("submitted", a1.id, march18)]
