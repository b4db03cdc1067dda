"""The cabinet around the file channel: the demo, the period, another organization's ids, the
command line."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from lkk_integration.models import Reading, Upload
from lkk_integration.organizations.demo import DEMO_EMAIL, DEMO_PASSWORD, load_demo
from lkk_web.cli import main

from tests.support.cabinet import PASSWORD, csrf_token, log_in, page_text, upload
from tests.support.organizations import READING_DATE


def test_the_demo_has_the_manuals_houses_and_an_open_period(core, client):
    load_demo(core)
    text_ = page_text(log_in(client, DEMO_EMAIL, DEMO_PASSWORD).text)
    assert "Всего: 4" in text_
    for line in ["Москва г., Вавилова ул., д. 45 30 0",
                 "Москва г., Ленинградский просп., д. 5 стр.2 92 0",
                 "Москва г., Профсоюзная ул., д. 46 корп.1 57 0",
                 "Климовск г., Заводская ул., д. 10 24 2"]:
        assert line in text_
    assert "Идет период передачи показаний. До его окончания:" in text_
    assert "Передача показаний возможна" not in page_text(client.get("/readings/file").text)


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(core, client):
    load_demo(core)
    wrong = log_in(client, DEMO_EMAIL, "Wrong2026pass")
    unknown = log_in(client, "nobody@example.org", DEMO_PASSWORD)
    assert wrong.status_code == unknown.status_code == 200
    assert "Неверный логин или пароль" in wrong.text and "Неверный логин или пароль" in unknown.text
    assert "Не заполнены обязательные поля!" in log_in(client, "", "").text


def test_outside_the_period_the_readings_page_is_closed(core, signed_in, clock):
    clock.set(dt.datetime(2026, 3, 27, 0, 0, 1))  # Moscow, the day after the period
    log_in(signed_in, "contact@uk-test.example", PASSWORD)  # the old session expired
    page = signed_in.get("/readings/file")
    assert page.status_code == 403
    assert "Передача показаний возможна с 15 по 26 число" in page_text(page.text)
    main = page_text(signed_in.get("/").text)
    assert "До начала периода передачи показаний: 19 дней" in main


def test_another_organizations_buffer_cannot_be_sent(core, signed_in, zeep_client):
    from tests.support.organizations import story_organization

    zeep_client.service.RegisterOrganization(
        RequestId="other", Organization=story_organization(org_id="ORG-2",
                                                           email="other@uk-test.example",
                                                           contract="Д-2"))
    with core.uow() as uow:
        other_org = uow.session.execute(text(
            "SELECT id FROM organization WHERE billing_id = 'ORG-2'")).scalar_one()
        other_person = uow.session.execute(text(
            "SELECT id FROM contact_person WHERE organization_id = :o"), {"o": other_org}
        ).scalar_one()
    from lkk_integration.spreadsheets.template import build_xls, rows_for_template
    from lkk_integration.spreadsheets.upload import upload_readings_file

    from tests.support.spreadsheets import fill_template

    with core.uow() as uow:
        house_ids = [r[0] for r in uow.session.execute(text(
            "SELECT id FROM house WHERE organization_id = :o"), {"o": other_org})]
    filled = fill_template(build_xls(rows_for_template(core, other_org, house_ids)),
                           {"00215090": {"t1": 1200, "date": READING_DATE}})
    foreign = upload_readings_file(core, other_person, other_org, "theirs.xls", filled)

    tab = signed_in.get("/readings/file")
    assert signed_in.get(f"/readings/send/{foreign}").status_code == 404
    response = signed_in.post(f"/readings/send/{foreign}", data={
        "csrf_token": csrf_token(tab.text), "answer": "yes"})
    assert response.status_code == 404
    assert "Страница не найдена" in page_text(response.text)
    with core.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Reading)
                                  .where(Reading.channel == "file")) == 0
        assert uow.session.get(Upload, foreign).status == "checked"
    # A template asked for with the other organization's house ids is not found.
    response = signed_in.post("/readings/template", data={
        "csrf_token": csrf_token(tab.text), "house": [str(i) for i in house_ids]})
    assert response.status_code == 404


def test_a_buffer_is_sent_once_whatever_the_clicks(core, signed_in):
    client = signed_in
    tab = client.get("/readings/file")
    house_id = re.search(r'name="house" value="(\d+)"', tab.text).group(1)
    from tests.support.spreadsheets import fill_template

    template = client.post("/readings/template", data={"csrf_token": csrf_token(tab.text),
                                                       "house": house_id}).data
    upload(client, fill_template(template, {"00300003": {"t1": 150, "date": READING_DATE}}),
           "f.xls")
    upload_id = re.search(r"/readings/send/(\d+)", client.get("/readings/file").text).group(1)
    form = {"csrf_token": csrf_token(tab.text), "answer": "yes"}
    first = page_text(client.post(f"/readings/send/{upload_id}", data=form,
                                  follow_redirects=True).text)
    second = page_text(client.post(f"/readings/send/{upload_id}", data=form,
                                   follow_redirects=True).text)
    assert "Успешно отправлены показания для 1 строки по индивидуальным приборам учета" in first
    assert "Файл «f.xls» уже отправлен 20.03.2026 12:00: передано 1 показание." in second, second
    with core.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Reading)
                                  .where(Reading.channel == "file")) == 1


def test_the_command_line_creates_a_database_and_a_client(tmp_path, monkeypatch):
    monkeypatch.setenv("LKK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("LKK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    runner = CliRunner()
    assert runner.invoke(main, ["init-db"]).exit_code == 0
    created = runner.invoke(main, ["create-client", "billing-1c"])
    assert created.exit_code == 0
    secret = re.search(r"Secret: (\S+)", created.output).group(1)
    assert len(secret) >= 43  # 256 bits, URL-safe base64
    again = runner.invoke(main, ["create-client", "billing-1c"])
    assert again.exit_code != 0 and "уже существует" in again.output
    rotated = runner.invoke(main, ["rotate-client", "billing-1c"])
    assert rotated.exit_code == 0
    new_secret = re.search(r"Secret: (\S+)", rotated.output).group(1)
    assert new_secret != secret
    assert runner.invoke(main, ["set-client-quota", "billing-1c", "30"]).exit_code == 0
    assert runner.invoke(main, ["revoke-client", "billing-1c"]).exit_code == 0
    gone = runner.invoke(main, ["rotate-client", "billing-1c"])
    assert gone.exit_code != 0 and "не найден" in gone.output
    from lkk_integration.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    with engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        stored, quota = c.execute(
            text("SELECT secret_hash, requests_per_minute FROM soap_client")).one()
        assert secret.encode() not in stored and new_secret.encode() not in stored
        assert len(stored) == 32 and quota == 30
        from alembic.script import ScriptDirectory

        from lkk_integration.schema import ALEMBIC_DIR

        head = ScriptDirectory(str(ALEMBIC_DIR)).get_current_head()
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    engine.dispose()


def test_the_operator_sets_the_period_and_thresholds_from_the_command_line(
        tmp_path, monkeypatch):
    monkeypatch.setenv("LKK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("LKK_DATABASE_URL", f"sqlite:///{tmp_path / 'rules.sqlite3'}")
    runner = CliRunner()
    missing = runner.invoke(main, ["rules"])
    assert missing.exit_code != 0 and "run lkk init-db" in missing.output
    assert runner.invoke(main, ["init-db"]).exit_code == 0
    assert "kwh_per_day_common_house=1000000000\n" in runner.invoke(
        main, ["rules", "kwh_per_day_common_house=1e9"]).output
    shown = runner.invoke(main, ["rules", "kwh_per_day_common_house=20000"])
    assert "period_start_day=15\nperiod_end_day=26\nfraction_digits=2\n" in shown.output
    changed = runner.invoke(main, ["rules", "period_end_day=25", "kwh_per_day_individual=сто"])
    assert changed.exit_code != 0 and "(kwh_per_day_individual): не число" in changed.output
    for nan in ("NaN", "sNaN", "-Infinity"):
        refused = runner.invoke(main, ["rules", f"kwh_per_day_individual={nan}"])
        assert refused.exit_code != 0 and "не число" in refused.output, nan
    changed = runner.invoke(main, ["rules", "period_end_day=25", "kwh_per_day_individual=150,5"])
    assert changed.exit_code == 0
    assert "period_end_day=25" in changed.output
    assert "kwh_per_day_individual=150.5" in changed.output
    for bad, message in (("period_start_day=26", "Первый день периода передачи показаний позже"),
                         ("fraction_digits=5", "(fraction_digits): допустимо от 0 до 4"),
                         ("period_end_day=0", "(period_end_day): допустимо от 1 до 31"),
                         ("kwh_per_day_common_house=0", "допустимо от 0.01"),
                         ("color=red", "Неизвестная настройка color"),
                         ("period_end_day", "expected NAME=VALUE")):
        refused = runner.invoke(main, ["rules", bad])
        assert refused.exit_code != 0 and message in refused.output, bad
    assert "period_start_day=15\nperiod_end_day=25\n" in runner.invoke(main, ["rules"]).output


@pytest.mark.parametrize("method, path, status, words", [
    ("get", "/no-such-page", 404, "Страница не найдена"),
    ("get", "/readings/send/abc", 404, "Страница не найдена"),
    ("get", "/logout", 405, "Это действие так выполнить нельзя"),
    ("get", "/readings/upload", 405, "Это действие так выполнить нельзя"),
])
def test_error_pages_speak_russian(signed_in, method, path, status, words):
    response = getattr(signed_in, method)(path)
    assert response.status_code == status
    assert words in page_text(response.text)
    assert "Not Found" not in response.text and "Method Not Allowed" not in response.text


def test_a_template_with_no_house_chosen_asks_for_one(signed_in):
    tab = signed_in.get("/readings/file")
    response = signed_in.post("/readings/template", data={
        "csrf_token": csrf_token(tab.text)}, follow_redirects=True)
    assert response.status_code == 200
    assert "Выберите хотя бы один дом" in page_text(response.text)


@pytest.mark.parametrize("houses", [["abc"], ["999999"]])
def test_a_template_of_houses_not_served_is_not_found(signed_in, houses):
    tab = signed_in.get("/readings/file")
    response = signed_in.post("/readings/template", data={
        "csrf_token": csrf_token(tab.text), "house": houses})
    assert response.status_code == 404


def test_a_buffer_without_valid_rows_offers_no_send(signed_in):
    tab = signed_in.get("/readings/file")
    house_id = re.search(r'name="house" value="(\d+)"', tab.text).group(1)
    template = signed_in.post("/readings/template", data={"csrf_token": csrf_token(tab.text),
                                                          "house": house_id}).data
    page = upload(signed_in, template, "untouched.xls")
    assert "В файле нет верных строк: отправлять нечего." in page_text(page.text)
    assert "Отправить верные" not in page.text
    upload_id = re.search(r"Файл «untouched.xls»", page.text) and \
        re.search(r'/readings/send/(\d+)', page.text)
    assert upload_id is None


@pytest.mark.parametrize("moscow, line, period", [(*case, (15, 26)) if len(case) == 2 else case
                                                  for case in [
    ((2026, 3, 14, 23, 59, 59), "До начала периода передачи показаний: 1 день"),
    ((2026, 3, 15, 0, 0, 0), "Идет период передачи показаний. До его окончания: 12 дней"),
    ((2026, 3, 25, 0, 0, 0), "Идет период передачи показаний. До его окончания: 2 дня"),
    ((2026, 3, 25, 23, 58, 0), "Идет период передачи показаний. До его окончания: 2 дня"),
    # The last day counts hours and minutes, cut down (docs/spec.md §2).
    ((2026, 3, 26, 0, 0, 0), "Идет период передачи показаний. До его окончания: 24 ч 00 мин"),
    ((2026, 3, 26, 20, 30, 0), "Идет период передачи показаний. До его окончания: 3 ч 30 мин"),
    ((2026, 3, 26, 23, 58, 0), "Идет период передачи показаний. До его окончания: 0 ч 02 мин"),
    ((2026, 3, 26, 23, 59, 59), "Идет период передачи показаний. До его окончания: 0 ч 00 мин"),
    ((2026, 3, 27, 0, 0, 0), "До начала периода передачи показаний: 19 дней"),
    ((2026, 3, 27, 0, 1, 0), "До начала периода передачи показаний: 19 дней"),
    ((2026, 3, 13, 12, 0, 0), "До начала периода передачи показаний: 2 дня"),
    ((2026, 3, 10, 12, 0, 0), "До начала периода передачи показаний: 5 дней"),
    ((2026, 3, 4, 12, 0, 0), "До начала периода передачи показаний: 11 дней"),
    ((2026, 3, 4, 12, 0, 0), "До начала периода передачи показаний: 21 день", (25, 28)),
    ((2026, 3, 3, 12, 0, 0), "До начала периода передачи показаний: 22 дня", (25, 28)),
]])
def test_the_days_counter_follows_moscow_days_with_the_process_in_utc(
        core, signed_in, app, clock, monkeypatch, moscow, line, period):
    import time

    from lkk_integration.readings.rules import save_rules

    with core.uow() as uow:
        save_rules(uow.session, period_start_day=period[0], period_end_day=period[1],
                   common_house_start_day=period[0], common_house_end_day=period[1],
                   common_house_last_reading_day=period[1])
        uow.commit()
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        clock.set(dt.datetime(*moscow))  # a naive instant is read as Moscow time
        main = page_text(log_in(app.test_client(), "contact@uk-test.example",
                                 PASSWORD).text)
        assert line in main
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_main_page_lists_the_houses_in_natural_order_and_spaces_large_counts(core, client):
    from tests.support.bulk import bulk_login, bulk_organization

    bulk_organization(core, houses=79, per_house=256)
    log_in(client, *bulk_login())
    page = client.get("/").text
    addresses = re.findall(r'<th scope="row"><a href="[^"]*">([^<]*)</a></th>', page)
    assert len(addresses) == 79
    assert addresses.index("Москва г., Березовая ул., д. 2") + 1 \
        == addresses.index("Москва г., Березовая ул., д. 3")
    assert addresses.index("Москва г., Березовая ул., д. 9") + 1 \
        == addresses.index("Москва г., Березовая ул., д. 10")
    assert "Передано: 0 из 20\u00a0224 счетчиков (0 %)" in page
