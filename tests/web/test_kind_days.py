"""Common-house meters' own days (docs/spec.md §5.2): with the defaults — individual meters
15–26, common-house meters 23–26 dated 23–25 — each kind's edges in Moscow time with the server
in UTC, on manual entry, a file, a buffer's send, the main page and the reminders."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from lkk_integration.clock import MOSCOW
from lkk_integration.models import UploadRow
from lkk_integration.readings.reminders import send_reminders
from lkk_integration.readings.rules import save_rules
from tests.support.cabinet import (EMAIL, log_in, mails, meter_id, page_text,
                                   post_reading, readings_of, send, upload_filled)
from tests.web.test_admin import admin  # noqa: F401 - the fixture
from tests.web.test_admin import save_rules as post_rules

pytestmark = [pytest.mark.kind_days, pytest.mark.usefixtures("in_utc")]

COMMON = "7700123"  # the story house's common-house meter (T1, T2)
CLOSED_FOR_COMMON = "Показания общедомовых приборов учета принимаются с 23 по 26 число"


def at(day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    """An instant of March 2026 on the Moscow wall clock, as UTC (the server's own zone)."""
    return dt.datetime(2026, 3, day, hour, minute, second,
                       tzinfo=MOSCOW).astimezone(dt.timezone.utc)


def row_notes(core, upload_id: int) -> dict[str, tuple[bool, str | None]]:
    with core.uow() as uow:
        return {r.meter_number: (r.is_valid, r.note) for r in uow.session.scalars(
            select(UploadRow).where(UploadRow.upload_id == upload_id))}


def common_card(client, core):
    return client.get(f"/readings/manual/?kind=common_house&meter={meter_id(core, COMMON)}")


def test_manual_entry_takes_a_common_house_reading_on_its_own_days_only(core, clock,
                                                                         signed_in):
    clock.set(at(22, 23, 59, 59))
    log_in(signed_in)  # two days on: the session ended
    card = page_text(common_card(signed_in, core).text)
    assert CLOSED_FOR_COMMON in card and "Отправить" not in card
    refused = post_reading(signed_in, meter_id(core, COMMON), "2026-03-22", t1="110", t2="55")
    assert refused.status_code == 403 and CLOSED_FOR_COMMON in page_text(refused.text)
    assert readings_of(core, COMMON) == []
    # Individual meters' days are on.
    assert post_reading(signed_in, meter_id(core, "00215090"), "2026-03-22",
                        t1="1100").status_code == 302

    clock.set(at(23))  # 21:00 UTC of the 22nd
    assert clock.now() == dt.datetime(2026, 3, 22, 21, 0, tzinfo=dt.timezone.utc)
    assert CLOSED_FOR_COMMON not in page_text(common_card(signed_in, core).text)
    # The 22nd is not one of its reading dates.
    early = post_reading(signed_in, meter_id(core, COMMON), "2026-03-22", t1="110", t2="55")
    assert ("Дата показания вне периода передачи показаний (23.03.2026–25.03.2026)"
            in page_text(early.text))
    assert post_reading(signed_in, meter_id(core, COMMON), "2026-03-23", t1="110",
                        t2="55").status_code == 302

    clock.set(at(26, 23, 59, 59))
    log_in(signed_in)
    # The form offers the last reading date, the 25th, not today.
    assert 'name="reading_date" value="2026-03-25" max="2026-03-25"' in \
        common_card(signed_in, core).text
    late = post_reading(signed_in, meter_id(core, COMMON), "2026-03-26", t1="120", t2="60")
    assert ("Дата показания вне периода передачи показаний (23.03.2026–25.03.2026)"
            in page_text(late.text))
    assert post_reading(signed_in, meter_id(core, COMMON), "2026-03-25", t1="120",
                        t2="60").status_code == 302
    assert [r.reading_date for r in readings_of(core, COMMON) if r.is_current] == [
        dt.date(2026, 3, 25)]

    clock.set(at(27))
    closed = signed_in.get("/readings/manual/")
    assert closed.status_code == 403
    assert ("Передача показаний возможна с 15 по 26 число, по общедомовым приборам учета – с 23 "
            "по 26 число") in page_text(closed.text)


def test_a_files_common_house_rows_wait_for_their_days(core, clock, signed_in):
    fills = {"00215090": {"t1": 1100, "date": dt.date(2026, 3, 22)},
             COMMON: {"t1": 110, "t2": 55, "date": dt.date(2026, 3, 22)}}
    clock.set(at(22, 23, 59))
    log_in(signed_in)
    notes = row_notes(core, upload_filled(signed_in, core, fills))
    assert notes["00215090"] == (True, None)
    assert notes[COMMON] == (False, CLOSED_FOR_COMMON)

    clock.set(at(23, 0, 0))
    notes = row_notes(core, upload_filled(signed_in, core, fills))
    assert notes[COMMON] == (False, "Дата показания вне периода передачи показаний "
                                    "(23.03.2026–25.03.2026)")
    fills[COMMON]["date"] = dt.date(2026, 3, 23)
    upload = upload_filled(signed_in, core, fills)
    assert row_notes(core, upload)[COMMON] == (True, None)
    send(signed_in, upload)
    assert [r.reading_date for r in readings_of(core, COMMON)] == [dt.date(2026, 3, 23)]


def test_a_buffer_sent_after_its_common_house_days_keeps_those_rows_back(core, clock,
                                                                         signed_in):
    with core.uow() as uow:  # common-house meters: 23–24, dated 23–24
        save_rules(uow.session, common_house_end_day=24, common_house_last_reading_day=24)
        uow.commit()
    clock.set(at(24, 23, 50))
    log_in(signed_in)
    upload = upload_filled(signed_in, core, {
        "00215090": {"t1": 1100, "date": dt.date(2026, 3, 24)},
        COMMON: {"t1": 110, "t2": 55, "date": dt.date(2026, 3, 24)}})
    assert row_notes(core, upload)[COMMON] == (True, None)
    clock.set(at(25, 0, 0))
    refused = page_text(send(signed_in, upload).text)
    assert ("Показания общедомовых приборов учета принимаются с 23 по 24 число: 1 строка файла "
            "стала ошибочной (см. примечания). Показания не отправлены; отправьте остальные "
            "верные строки снова.") in refused
    assert readings_of(core, COMMON) == []
    assert row_notes(core, upload)[COMMON] == (
        False, "Показания общедомовых приборов учета принимаются с 23 по 24 число")
    # What is left of the buffer goes: the individual meter's reading.
    send(signed_in, upload)
    assert [r.reading_date for r in readings_of(core, "00215090")] == [dt.date(2026, 3, 24)]
    assert readings_of(core, COMMON) == []


@pytest.mark.parametrize(("moscow", "line"), [
    (at(20, 12), "Показания общедомовых приборов учета принимаются с 23 по 26 число, с датой "
                 "показания с 23 по 25 число. До начала их приема: 3 дня"),
    (at(22, 23, 59), "До начала их приема: 1 день"),
    (at(23, 0, 0), "До окончания их приема: 4 дня"),
    (at(26, 12), "До окончания их приема: 1 день"),
])
def test_the_main_page_counts_the_common_house_days_apart(core, clock, signed_in, app,
                                                           moscow, line):
    clock.set(moscow)
    page = page_text(log_in(app.test_client()).text)
    assert line in page
    # The period's own counter counts both kinds' days together: 15–26.
    assert "Идет период передачи показаний" in page


def test_a_reminder_counts_common_house_meters_only_until_their_days_end(core, clock,
                                                                        signed_in):
    with core.uow() as uow:  # common-house meters: 23–24, dated 23–24
        save_rules(uow.session, common_house_end_day=24, common_house_last_reading_day=24)
        uow.commit()
    clock.set(at(24, 9))  # 3 days left: common-house meters' days still on
    assert send_reminders(core).mailed == 1
    assert "(индивидуальных – 5, общедомовых – 1)" in mails(core, EMAIL)[-1]
    clock.set(at(26, 9))  # 1 day left: theirs are over
    assert send_reminders(core).mailed == 1
    assert "по 5 счетчикам (индивидуальных – 5, общедомовых – 0)" in mails(core, EMAIL)[-1]


def test_the_administrator_sets_the_common_house_days(core, admin):  # noqa: F811
    reversed_days = post_rules(admin, common_house_start_day="25", common_house_end_day="24")
    assert ("Первый день периода передачи показаний общедомовых приборов учета позже "
            "последнего") in page_text(reversed_days.text)
    outside = post_rules(admin, common_house_last_reading_day="27")
    assert ("Последний день даты показаний общедомовых приборов учета должен быть в периоде их "
            "передачи") in page_text(outside.text)
    # Days apart would make two periods a month: refused.
    apart = post_rules(admin, period_start_day="1", period_end_day="10")
    assert ("Дни передачи показаний общедомовых приборов учета должны пересекаться с днями "
            "индивидуальных или примыкать к ним") in page_text(apart.text)
    assert "Изменения сохранены" in page_text(post_rules(  # days that meet are one period
        admin, period_start_day="1", period_end_day="22").text)
    assert "Изменения сохранены" in page_text(post_rules(
        admin, common_house_start_day="20", common_house_last_reading_day="24").text)
    page = admin.get("/admin/").text
    assert 'name="common_house_start_day" value="20"' in page
    assert 'name="common_house_last_reading_day" value="24"' in page
