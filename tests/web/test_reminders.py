"""Reminders of the meters without a reading before the period closes (docs/spec.md §2.3, §3.3,
§12.3): their days at the Moscow edges with the server in UTC, once per organization, period and
day whatever the number of senders, none when everything is read or the person said no."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import xlrd
from click.testing import CliRunner
from sqlalchemy import func, select

from lkk_integration.clock import MOSCOW
from lkk_integration.config import Config
from lkk_integration.core import create_core
from lkk_integration.messages import reminder_body
from lkk_integration.models import MailMessage, Reminder
from lkk_integration.readings.reminders import due_days_before, send_reminders
from tests.support.organizations import story_organization
from tests.support.cabinet import (EMAIL, csrf_token, log_in, mails, meter_id, page_text,
                                   post_reading)
from tests.support.threads import together
from tests.web.test_admin import admin, admin_log_in  # noqa: F401 - the fixture

SUBJECT = "Показания принимаются до 26.03.2026: переданы не по всем счетчикам"


def at(day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An instant of March 2026 on the Moscow wall clock, as UTC (the server's own zone)."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=MOSCOW).astimezone(dt.timezone.utc)


def reminders(core) -> list[tuple[int, int, int, bool]]:
    with core.uow() as uow:
        return [(r.days_before, r.individual, r.common_house, r.mail_id is not None)
                for r in uow.session.scalars(select(Reminder).order_by(Reminder.id))]


def subjects(core) -> list[str]:
    """The subjects of the reminders mailed to the contact person (the activation's aside)."""
    with core.uow() as uow:
        return list(uow.session.scalars(select(MailMessage.subject)
                                         .where(MailMessage.to_address == EMAIL,
                                                MailMessage.subject.startswith("Показания "))
                                         .order_by(MailMessage.id)))


@pytest.mark.parametrize(("days_left", "due"), [
    (12, None), (4, None), (3, 3), (2, 3), (1, 1), (0, 1)])
def test_the_reminder_due_is_the_nearest_day_reached(days_left, due):
    assert due_days_before(days_left, (3, 1)) == due
    assert due_days_before(days_left, ()) is None


def test_the_reminders_come_on_their_days_once_each_and_list_what_is_missing(core, clock,
                                                                             signed_in):
    clock.set(at(23, 23, 59))  # 4 days left, today included
    assert send_reminders(core).decided == 0
    clock.set(at(24))  # 3 days left: 21:00 UTC of the 23rd
    assert clock.now() == dt.datetime(2026, 3, 23, 21, 0, tzinfo=dt.timezone.utc)
    done = send_reminders(core)
    assert (done.decided, done.mailed) == (1, 1)
    assert subjects(core) == [SUBJECT]
    body = mails(core, EMAIL)[-1]
    assert "Здравствуйте, Тестова Ирина Олеговна!" in body
    assert "До окончания периода передачи показаний: 3 дня (по 26.03.2026 включительно" in body
    assert ("Еще нет показаний по 6 счетчикам (индивидуальных – 5, общедомовых – 1) в 1 доме:\n"
            "- Москва г., Вавилова ул., д. 45: индивидуальных – 5, общедомовых – 1\n") in body
    assert f"шаблон для заполнения: {core.config.public_url}/missing.xls" in body
    assert f"«Настройки»: {core.config.public_url}/settings/" in body

    # The link gives the meters still missing, all houses, as a template (four days on, the
    # person signs in again).
    log_in(signed_in)
    assert post_reading(signed_in, meter_id(core, "00215090"), t1="1100").status_code == 302
    book = xlrd.open_workbook(file_contents=signed_in.get("/missing.xls").data)
    individual = book.sheet_by_name("ИПУ")
    assert [individual.cell_value(r, 3) for r in range(1, individual.nrows)] == [
        "066823", "00300001", "00300002", "00300003"]
    assert book.sheet_by_name("ОДПУ").cell_value(1, 1) == "7700123"

    clock.set(at(25, 18))
    assert send_reminders(core).decided == 0  # the 3-day one is sent; the 1-day one not due
    clock.set(at(26, 0, 1))
    assert (send_reminders(core).mailed, send_reminders(core).decided) == (1, 0)
    assert subjects(core) == [SUBJECT, SUBJECT]
    body = mails(core, EMAIL)[-1]
    assert "До окончания периода передачи показаний: 1 день (по 26.03.2026" in body
    assert "по 5 счетчикам (индивидуальных – 4, общедомовых – 1) в 1 доме" in body
    assert reminders(core) == [(3, 5, 1, True), (1, 4, 1, True)]

    clock.set(at(27, 9))  # closed: nothing, whatever is missing
    assert send_reminders(core).decided == 0


def test_no_mail_when_every_meter_has_its_reading_and_the_administrator_sees_it(
        core, clock, signed_in, admin):  # noqa: F811 - the fixture
    for number, values in (("00215090", {"t1": "1100"}), ("066823", {"t1": "520", "t2": "310"}),
                           ("00300001", {"t1": "2100"}),
                           ("00300002", {"t1": "6", "t2": "11", "t3": "16"}),
                           ("00300003", {"t1": "150"}), ("7700123", {"t1": "110", "t2": "55"})):
        assert post_reading(signed_in, meter_id(core, number), **values).status_code == 302
    clock.set(at(24, 9))
    done = send_reminders(core)
    assert (done.decided, done.mailed) == (1, 0)
    assert subjects(core) == []
    assert reminders(core) == [(3, 0, 0, False)]
    with core.uow() as uow:
        organization_id = uow.session.scalar(select(Reminder.organization_id))
    admin_log_in(admin)  # four days on
    page = page_text(admin.get(f"/admin/organizations/{organization_id}").text)
    assert ("Напоминания о счетчиках без показаний Период За сколько дней до окончания "
            "Решено (МСК) Без показаний Письмо 03.2026 3 24.03.2026 09:00 нет не нужно: "
            "показания переданы по всем счетчикам") in page


def test_the_administrator_sees_a_reminder_waiting_and_then_sent(core, clock, signed_in,
                                                                 admin):  # noqa: F811
    from lkk_integration.outbox import FolderTransport, deliver_due

    clock.set(at(24, 9, 30))
    send_reminders(core)
    with core.uow() as uow:
        organization_id = uow.session.scalar(select(Reminder.organization_id))
    admin_log_in(admin)  # four days on
    path = f"/admin/organizations/{organization_id}"
    assert "6 (домов: 1; ИПУ – 5, ОДПУ – 1) ожидает отправки" in page_text(admin.get(path).text)
    clock.set(at(24, 9, 31))
    # The outbox delivers it with the activation mail before it.
    assert deliver_due(core.session_factory, clock, FolderTransport(core.config.mail.folder),
                       "lkk@example.org") == (2, 0)
    assert "отправлено 24.03.2026 09:31" in page_text(admin.get(path).text)


def test_the_houses_come_in_the_natural_order_of_addresses(core, clock, signed_in, zeep_client):
    # docs/spec.md §9: «д. 2» before «д. 10», as every list of the cabinet.
    house = story_organization()["Houses"]["House"][0]
    for n, number in enumerate(("10", "2", "1")):
        meters = {"Meter": [{"MeterId": f"M-{number}", "Number": f"9{number}", "Zones": 1,
                             "Capacity": 5}]}
        zeep_client.service.SaveHouse(RequestId=f"save-{n}", OrganizationId="ORG-1", House=dict(
            house, HouseId=f"H-{number}", HouseNumber=number, CommonHouseMeters=None,
            Accounts={"Account": [{"Number": f"30000{n}", "Apartment": "1", "Meters": meters}]}))
    clock.set(at(24, 9))
    assert send_reminders(core).mailed == 1
    addresses = re.findall(r"^- (.*?):", mails(core, EMAIL)[-1], re.MULTILINE)
    assert addresses == ["Москва г., Вавилова ул., д. 1", "Москва г., Вавилова ул., д. 2",
                         "Москва г., Вавилова ул., д. 10", "Москва г., Вавилова ул., д. 45"]


def test_counts_are_written_with_their_thousands_apart():
    body = reminder_body("Тестова И. О.", 3, dt.date(2026, 3, 26),
                         [("Москва г., Вавилова ул., д. 1", 2412, 1005)], "u", "r", "s")
    assert ("по 3\u00a0417 счетчикам (индивидуальных – 2\u00a0412, общедомовых – 1\u00a0005) "
            "в 1 доме") in body
    assert "д. 1: индивидуальных – 2\u00a0412, общедомовых – 1\u00a0005" in body


def test_a_deactivated_organization_gets_no_reminder(core, clock, signed_in, zeep_client):
    assert zeep_client.service.DeactivateOrganization(
        RequestId="d", OrganizationId="ORG-1").Affected == 1
    clock.set(at(24, 9))
    assert send_reminders(core).decided == 0
    assert subjects(core) == [] and reminders(core) == []
    # Active again before the 1-day reminder: that one comes.
    zeep_client.service.ReactivateOrganization(RequestId="a", OrganizationId="ORG-1")
    clock.set(at(26, 9))
    assert send_reminders(core).mailed == 1
    assert reminders(core) == [(1, 5, 1, True)]


def test_a_person_who_turns_reminders_off_gets_none(core, clock, signed_in):
    page = signed_in.get("/settings/")
    assert 'name="reminders" value="1" checked' in page.text
    assert ("Напоминания Письмо приходит за 3 дня и за 1 день до окончания периода, если "
            "показания переданы не по всем счетчикам.") in page_text(page.text)
    answer = signed_in.post("/settings/reminders", data={"csrf_token": csrf_token(page.text)},
                            follow_redirects=True)
    assert "Напоминания о счетчиках без показаний отключены" in page_text(answer.text)
    assert 'name="reminders" value="1">' in answer.text  # not checked
    clock.set(at(24, 9))
    assert send_reminders(core).decided == 0
    log_in(signed_in)
    answer = signed_in.post("/settings/reminders", data={
        "csrf_token": csrf_token(signed_in.get("/settings/").text), "reminders": "1"},
        follow_redirects=True)
    assert "Напоминания о счетчиках без показаний включены" in page_text(answer.text)
    assert send_reminders(core).mailed == 1
    # A form without its CSRF token changes nothing (the page says the form expired).
    signed_in.post("/settings/reminders", data={})
    assert 'name="reminders" value="1" checked' in signed_in.get("/settings/").text


def test_two_senders_at_once_decide_one_reminder_and_queue_one_mail(core, config, clock,
                                                                    signed_in):
    clock.set(at(24, 9))
    # Two processes: each its own core, engine and connections.
    others = [create_core(config, clock=clock) for _ in range(2)]
    try:
        results = [r for _ in range(3)
                   for r in together([lambda c=c: send_reminders(c) for c in others])]
        assert not [r for r in results if isinstance(r, Exception)], results
        assert (sum(r.decided for r in results), sum(r.mailed for r in results)) == (1, 1)
    finally:
        for other in others:
            other.engine.dispose()
    assert reminders(core) == [(3, 5, 1, True)]
    with core.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(MailMessage)
                                  .where(MailMessage.subject == SUBJECT)) == 1


def test_lkk_send_reminders_runs_one_round(core, config, clock, signed_in, monkeypatch):
    from lkk_web import cli

    clock.set(at(26, 12))
    monkeypatch.setattr(cli, "_core", lambda: create_core(config, clock=clock))
    result = CliRunner().invoke(cli.main, ["send-reminders"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "reminders decided 1, mailed 1"
    assert reminders(core) == [(1, 5, 1, True)]


@pytest.mark.parametrize(("text", "days"), [
    (None, (3, 1)), ("", (3, 1)), ("5, 2,2", (5, 2)), ("1", (1,)), ("none", ())])
def test_the_reminder_days_are_read_from_the_environment(text, days):
    env = {} if text is None else {"LKK_REMINDER_DAYS": text}
    assert Config.from_env({"LKK_VAR_DIR": "var", **env}).reminder_days == days


@pytest.mark.parametrize("text", ["3;1", "0", "32", "три"])
def test_malformed_reminder_days_are_refused_naming_the_variable(text):
    with pytest.raises(ValueError, match="LKK_REMINDER_DAYS"):
        Config.from_env({"LKK_VAR_DIR": "var", "LKK_REMINDER_DAYS": text})
