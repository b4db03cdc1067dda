"""The period's last evening (docs/spec.md §0, §2, §5.1, §11): every cabinet page says when the
period closes, a checked file not sent is pointed at before the close, an action begun before
the close completes, and a file not sent stays readable after it."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import xlrd
from sqlalchemy import select

from lkk_integration.clock import MOSCOW, FixedClock
from lkk_integration.models import ContactPerson, Organization, Reading, Upload
from lkk_integration.readings.manual import Submitter, submit_reading
from lkk_integration.spreadsheets.buffer import unsent_buffer
from lkk_integration.spreadsheets.upload import send_valid_rows

from tests.support.cabinet import (csrf_token, house_id, log_in, meter_id, page_text, send,
                                   upload_filled)

DAY = dt.date(2026, 3, 20)
FILLS = {"00215090": {"t1": 1100, "date": DAY}}
CLOSES = "Приём показаний до 24:00 26 марта (МСК)"
STATEMENT = ("Файл «filled.xls», загруженный 26.03 в 23:10, не был отправлен: период приёма "
             "закрылся в 24:00 26 марта (МСК). Показания из этого файла не переданы.")
CLOSED = "Передача показаний возможна с 15 по 26 число"


class Advancing(FixedClock):
    """A clock that moves a minute on every read: the close passes inside a request or a use
    case as soon as it reads the time again."""

    def now(self) -> dt.datetime:
        instant = super().now()
        self.advance(minutes=1)
        return instant



def moscow(*parts) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=MOSCOW)


def at(client, clock, *parts) -> None:
    """Move the clock to Moscow time `parts` and sign in again if the session expired over
    the jump (the login page then shows its form)."""
    clock.set(moscow(*parts))
    if client.get("/login").status_code == 200:
        log_in(client)


@pytest.mark.parametrize("when, line", [
    ((2026, 3, 20, 12, 0), CLOSES),
    ((2026, 3, 26, 0, 0), CLOSES),
    ((2026, 3, 26, 23, 58), CLOSES),
    ((2026, 3, 27, 0, 0), "Приём показаний с 00:00 15 апреля до 24:00 26 апреля (МСК)"),
    ((2026, 3, 14, 23, 59), "Приём показаний с 00:00 15 марта до 24:00 26 марта (МСК)"),
])
def test_every_cabinet_page_says_when_the_period_closes_in_moscow_time(
        core, signed_in, clock, in_utc, when, line):
    at(signed_in, clock, *when)
    for path in ("/", "/settings/", f"/houses/{house_id(core)}", "/readings/manual/",
                 "/readings/file"):
        page = signed_in.get(path, follow_redirects=True)
        assert line in page_text(page.text), path


def test_the_main_page_counts_the_last_minutes_with_the_server_in_utc(
        core, signed_in, clock, in_utc):
    at(signed_in, clock, 2026, 3, 26, 23, 58)
    assert "До его окончания: 0 ч 02 мин" in page_text(signed_in.get("/").text)
    at(signed_in, clock, 2026, 3, 27, 0, 1)
    assert "До начала периода передачи показаний: 19 дней" in page_text(signed_in.get("/").text)


def test_a_checked_file_not_sent_is_pointed_at_from_three_hours_before_the_close(
        core, signed_in, clock):
    at(signed_in, clock, 2026, 3, 26, 20, 30)
    assert "проверен, но не отправлен" not in signed_in.get("/").text  # no file yet
    upload = upload_filled(signed_in, core, FILLS)
    assert "проверен, но не отправлен" not in signed_in.get("/").text  # 3 h 30 min before
    at(signed_in, clock, 2026, 3, 26, 23, 10)
    for path in ("/", "/readings/manual/", "/settings/"):
        page = signed_in.get(path, follow_redirects=True).text
        assert ("Файл «filled.xls» проверен, но не отправлен: верных – 1, ошибок – 5, из них "
                "не заполнено – 5. До "
                "окончания приёма показаний: 0 ч 50 мин (в 24:00 МСК). Не отправленный до "
                "закрытия периода файл не будет передан.") in page_text(page), path
        assert 'href="/readings/file#buffer">Перейти к файлу</a>' in page
    send(signed_in, upload)
    assert "проверен, но не отправлен" not in signed_in.get("/").text  # sent: nothing to say
    upload_filled(signed_in, core, FILLS)  # the same file again: nothing of it would be lost
    assert "Этот файл уже отправлен" in page_text(signed_in.get("/readings/file").text)
    assert "проверен, но не отправлен" not in signed_in.get("/").text


def test_the_warning_time_is_configured(core, signed_in, clock):
    at(signed_in, clock, 2026, 3, 26, 18, 0)
    upload_filled(signed_in, core, FILLS)
    assert "проверен, но не отправлен" not in signed_in.get("/").text
    core.config = dataclasses.replace(core.config, deadline_warning_hours=8)
    assert "До окончания приёма показаний: 6 ч 00 мин" in page_text(signed_in.get("/").text)
    core.config = dataclasses.replace(core.config, deadline_warning_hours=0)
    assert "проверен, но не отправлен" not in signed_in.get("/").text


def test_a_send_begun_before_the_close_completes_though_the_close_passes_inside_it(
        core, signed_in, clock):
    at(signed_in, clock, 2026, 3, 26, 23, 10)
    upload = upload_filled(signed_in, core, FILLS)
    at(signed_in, clock, 2026, 3, 26, 23, 59)
    token = csrf_token(signed_in.get("/readings/file").text)
    # Every read of the clock after this one is a minute later: the request's own checks
    # (the session, the buffer, the send) would cross 24:00 if each read the time anew.
    core.clock = Advancing(moscow(2026, 3, 26, 23, 59, 30))
    page = signed_in.post(f"/readings/send/{upload}", data={"csrf_token": token,
                                                            "answer": "yes"})
    assert page.status_code == 302
    with core.uow() as uow:
        reading = uow.session.scalars(select(Reading).where(Reading.upload_id == upload)).one()
        assert reading.period == dt.date(2026, 3, 1)
        # Stamped with the instant the request began, inside the period.
        assert reading.submitted_at == moscow(2026, 3, 26, 23, 59, 30)
        assert uow.session.get(Upload, upload).status == "sent"


def test_the_send_use_case_decides_the_period_once_at_its_start(core, signed_in, clock):
    at(signed_in, clock, 2026, 3, 26, 23, 10)
    upload = upload_filled(signed_in, core, FILLS)
    with core.uow() as uow:
        person = uow.session.get(Upload, upload).person_id
        organization = uow.session.get(Upload, upload).organization_id
    core.clock = Advancing(moscow(2026, 3, 26, 23, 59, 59))
    result = send_valid_rows(core, person, organization, upload)
    assert result.individual == 1
    with core.uow() as uow:
        reading = uow.session.scalars(select(Reading).where(Reading.upload_id == upload)).one()
        assert (reading.period, reading.submitted_at) == (
            dt.date(2026, 3, 1), moscow(2026, 3, 26, 23, 59, 59))


def test_a_reading_typed_before_the_close_is_saved_though_the_close_passes_inside(
        core, signed_in, clock):
    meter = meter_id(core, "00215090")
    with core.uow() as uow:
        person = uow.session.scalars(select(ContactPerson)).one()
        submitter = Submitter(person.id, person.organization_id, "session-x")
    core.clock = Advancing(moscow(2026, 3, 26, 23, 59, 59))
    saved = submit_reading(core, submitter, meter, "26.03.2026", ["1100", None, None])
    assert saved.verdict.ok and saved.reading_id is not None
    with core.uow() as uow:
        reading = uow.session.get(Reading, saved.reading_id)
        assert (reading.period, reading.submitted_at) == (
            dt.date(2026, 3, 1), moscow(2026, 3, 26, 23, 59, 59))


def test_yes_pressed_after_the_close_is_refused_and_the_file_stays_readable(
        core, signed_in, clock):
    at(signed_in, clock, 2026, 3, 26, 23, 40)
    upload = upload_filled(signed_in, core, FILLS)
    token = csrf_token(signed_in.get(f"/readings/send/{upload}").text)  # the question, shown
    clock.set(moscow(2026, 3, 27, 0, 0))  # «Да» pressed at 24:00, in the same session
    page = signed_in.post(f"/readings/send/{upload}", data={"csrf_token": token,
                                                            "answer": "yes"})
    assert page.status_code == 403
    text = page_text(page.text)
    assert STATEMENT.replace("23:10", "23:40") in text and CLOSED in text
    assert "Индивидуальные ПУ: Верных – 1, ошибок – 4, из них не заполнено – 4" in text
    assert "Общедомовые ПУ: Верных – 0, ошибок – 1, из них не заполнено – 1" in text
    with core.uow() as uow:
        assert uow.session.get(Upload, upload).status == "checked"
        assert uow.session.scalar(select(Reading.id).where(Reading.upload_id == upload)) is None


def test_after_the_close_a_file_not_sent_is_stated_and_its_errors_still_export(
        core, signed_in, clock):
    at(signed_in, clock, 2026, 3, 26, 23, 10)
    upload = upload_filled(signed_in, core, FILLS)
    at(signed_in, clock, 2026, 3, 27, 0, 5)
    page = signed_in.get("/readings/file")
    assert page.status_code == 403
    assert STATEMENT in page_text(page.text) and CLOSED in page_text(page.text)
    assert f'href="/readings/buffer/{upload}/errors.xls"' in page.text
    errors = signed_in.get(f"/readings/buffer/{upload}/errors.xls")
    assert errors.status_code == 200
    book = xlrd.open_workbook(file_contents=errors.data)
    notes = [book.sheet_by_index(0).row_values(r)[-1] for r in range(1, 5)]
    assert notes == ["Показания не указаны"] * 4
    # Still there before the next period opens; gone once it has (a new period, new files).
    at(signed_in, clock, 2026, 4, 14, 12, 0)
    assert STATEMENT in page_text(signed_in.get("/readings/manual/").text)
    assert unsent_buffer(core, _organization(core)).file_name == "filled.xls"
    at(signed_in, clock, 2026, 4, 15, 0, 0)
    assert unsent_buffer(core, _organization(core)) is None
    assert "filled.xls" not in signed_in.get("/readings/file").text
    assert signed_in.get(f"/readings/buffer/{upload}/errors.xls").status_code == 302


def test_no_warning_nor_statement_when_the_file_was_sent_or_there_was_none(core, signed_in, clock):
    at(signed_in, clock, 2026, 3, 27, 0, 5)
    assert unsent_buffer(core, _organization(core)) is None
    assert "не был отправлен" not in signed_in.get("/readings/file").text
    at(signed_in, clock, 2026, 3, 26, 23, 10)
    assert "проверен, но не отправлен" not in signed_in.get("/").text  # the hour, but no file
    send(signed_in, upload_filled(signed_in, core, FILLS))
    at(signed_in, clock, 2026, 3, 27, 0, 5)
    assert unsent_buffer(core, _organization(core)) is None
    assert "не был отправлен" not in signed_in.get("/readings/file").text


def test_a_file_sent_then_uploaded_again_and_not_sent_says_only_its_repeat_was_not_sent(
        core, signed_in, clock):
    at(signed_in, clock, 2026, 3, 26, 23, 10)
    send(signed_in, upload_filled(signed_in, core, FILLS))
    at(signed_in, clock, 2026, 3, 26, 23, 20)
    upload_filled(signed_in, core, FILLS)  # the same bytes: the template is built the same
    at(signed_in, clock, 2026, 3, 27, 0, 5)
    shown = page_text(signed_in.get("/readings/file").text)
    assert ("Файл «filled.xls», загруженный 26.03 в 23:20, не был отправлен повторно: период "
            "приёма закрылся в 24:00 26 марта (МСК). Этот файл уже отправлен 26.03.2026 в "
            "23:10") in shown
    assert "Показания из этого файла не переданы" not in shown


def test_unsent_buffer_is_none_while_the_period_is_open(core, signed_in, clock):
    at(signed_in, clock, 2026, 3, 26, 23, 10)
    upload_filled(signed_in, core, FILLS)
    assert unsent_buffer(core, _organization(core)) is None


def _organization(core) -> int:
    with core.uow() as uow:
        return uow.session.scalar(select(Organization.id))
