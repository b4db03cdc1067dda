"""Administrators (docs/spec.md §12): their own login and pages, content and settings reaching
every server process at once, organizations read-only, the audit search."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from lkk_integration.core import create_core
from lkk_integration.models import Administrator, AuditRecord
from lkk_integration.signin.administrators import create_admin
from lkk_web.cli import main

from tests.support.cabinet import csrf_token, log_in, meter_id, page_text, post_reading

ADMIN = "admin@retailer.example"
ADMIN_PASSWORD = "Admin2026pass"


def admin_log_in(browser) -> None:
    page = browser.get("/admin/login")
    answer = browser.post("/admin/login", data={"csrf_token": csrf_token(page.text),
                                                "email": ADMIN, "password": ADMIN_PASSWORD})
    assert answer.headers["Location"] == "/admin/"


@pytest.fixture
def admin(core, app):
    create_admin(core, ADMIN, ADMIN_PASSWORD, ADMIN_PASSWORD)
    browser = app.test_client()
    admin_log_in(browser)
    return browser


def records(core, action: str) -> list[AuditRecord]:
    with core.uow() as uow:
        return list(uow.session.scalars(select(AuditRecord).where(AuditRecord.action == action)))


def save_content(browser, **fields):
    page = browser.get("/admin/")
    data = {"csrf_token": csrf_token(page.text), "part": "content", "contact_phone":
            "8 800 000-00-00", "login_text": "", "main_text": "", "recovery_text": "",
            "announcement_text": [""], "announcement_from": [""], "announcement_to": [""]}
    data.update(fields)
    return browser.post("/admin/", data=data, follow_redirects=True)


def save_rules(browser, **fields):
    page = browser.get("/admin/")
    data = {"csrf_token": csrf_token(page.text), "part": "rules", "period_start_day": "15",
            "period_end_day": "26", "fraction_digits": "2", "kwh_per_day_individual": "100",
            "kwh_per_day_common_house": "20000"}
    data.update(fields)
    return browser.post("/admin/", data=data, follow_redirects=True)


def test_the_command_line_creates_an_administrator(tmp_path, monkeypatch, core):
    monkeypatch.setenv("LKK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("LKK_DATABASE_URL", core.config.database_url)
    runner = CliRunner()
    made = runner.invoke(main, ["create-admin", ADMIN], input="Admin2026pass\nAdmin2026pass\n")
    assert made.exit_code == 0 and "/admin/login" in made.output
    again = runner.invoke(main, ["create-admin", ADMIN.upper()],
                          input="Admin2026pass\nAdmin2026pass\n")
    assert again.exit_code != 0 and "уже" in again.output
    weak = runner.invoke(main, ["create-admin", "second@retailer.example"],
                         input="short\nshort\n")
    assert weak.exit_code != 0 and "Пароль не соответствует" in weak.output
    with core.uow() as uow:
        [stored] = uow.session.scalars(select(Administrator)).all()
    assert stored.password_hash.startswith("$argon2id$") and ADMIN_PASSWORD not in \
        stored.password_hash


def test_the_administrators_login_is_hardened_and_audited(core, app):
    create_admin(core, ADMIN, ADMIN_PASSWORD, ADMIN_PASSWORD)
    browser = app.test_client()
    for _ in range(5):
        page = browser.get("/admin/login")
        wrong = browser.post("/admin/login", data={"csrf_token": csrf_token(page.text),
                                                   "email": ADMIN, "password": "Wrong2026pass"})
        assert "Неверный логин или пароль" in page_text(wrong.text)
    page = browser.get("/admin/login")
    throttled = browser.post("/admin/login", data={"csrf_token": csrf_token(page.text),
                                                   "email": ADMIN, "password": ADMIN_PASSWORD})
    assert "Слишком много попыток входа" in page_text(throttled.text)
    assert [(r.actor_kind, r.actor) for r in records(core, "admin_login_failed")] == [
        ("anonymous", ADMIN)] * 5
    assert records(core, "admin_login") == []


def test_a_contact_person_opens_no_admin_page_and_an_administrator_no_cabinet_page(
        core, app, signed_in, admin):
    token = csrf_token(signed_in.get("/").text)
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin") or rule.endpoint == "admin.login":
            continue
        path = rule.build({name: "1" for name in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            answer = signed_in.open(path, method=method, data={
                "csrf_token": token, "part": "rules", "period_start_day": "1",
                "period_end_day": "2"})
            if rule.endpoint == "admin.logout":
                assert answer.headers["Location"] == "/admin/login"
                continue
            assert (answer.status_code, answer.headers.get("Location")) == (302, "/admin/login"), \
                (method, path)
    assert records(core, "rules_changed") == []
    for path in ("/", "/readings/manual/", "/readings/file", "/settings/"):
        assert admin.get(path).headers["Location"] in ("/login", f"/login?next={path}"), path


@pytest.fixture
def second_core(config, clock):
    """Another server process's core on the same database."""
    other = create_core(config, clock=clock)
    yield other
    other.engine.dispose()


def test_content_and_settings_reach_a_second_server_process_at_once(core, second_core, clock,
                                                                     signed_in, admin):
    from lkk_web import create_app

    second = create_app(core=second_core).test_client()
    log_in(second)
    saved = save_content(admin, contact_phone="8 800 111-22-33",
                         login_text="Кабинет работает <script>alert(1)</script> круглосуточно",
                         main_text="Сдайте показания до 26 числа",
                         recovery_text="Нет доступа к почте? Напишите в виртуальную приемную.",
                         reception_url="https://reception.retailer.example/form",
                         announcement_text=["Плановые работы 21.03", ""],
                         announcement_from=["19.03.2026", ""], announcement_to=["21.03.2026", ""])
    assert "Изменения сохранены" in page_text(saved.text)
    main = second.get("/")
    assert "Контакт-центр: 8 800 111-22-33" in page_text(main.text)
    assert "Сдайте показания до 26 числа" in page_text(main.text)
    assert "Плановые работы 21.03" in page_text(main.text)
    login_page = create_app(core=second_core).test_client().get("/login")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in login_page.text
    assert "<script>alert(1)" not in login_page.text
    forgot = create_app(core=second_core).test_client().get("/password/forgot")
    assert "Нет доступа к почте? Напишите в виртуальную приемную." in page_text(forgot.text)
    assert 'href="https://reception.retailer.example/form"' in forgot.text
    clock.set(dt.datetime(2026, 3, 22, 12, 0))  # after the announcement's last day
    log_in(second)
    admin_log_in(admin)
    assert "Плановые работы" not in page_text(second.get("/").text)

    assert "Изменения сохранены" in page_text(save_rules(
        admin, period_start_day="23", common_house_start_day="23").text)
    closed = second.get("/readings/manual/")
    assert closed.status_code == 403
    assert "Передача показаний возможна с 23 по 26 число" in page_text(closed.text)
    refused = save_rules(admin, period_start_day="27")
    assert "Первый день периода передачи показаний позже последнего" in page_text(refused.text)
    [content] = records(core, "content_changed")
    assert (content.actor_kind, content.actor) == ("admin", ADMIN)
    assert json.loads(content.details)["fields"] == [
        "contact_phone", "login_text", "main_text", "recovery_text", "reception_url",
        "announcements"]
    [rules] = records(core, "rules_changed")
    assert (rules.actor, json.loads(rules.details)) == (
        ADMIN, {"period_start_day": "23", "common_house_start_day": "23"})


def test_organizations_are_read_only_and_the_trail_is_searched(core, signed_in, admin):
    post_reading(signed_in, meter_id(core, "00215090"), t1="1100")
    organizations = page_text(admin.get("/admin/organizations").text)
    assert "ООО «УК «Тестовая» 7700000023 Д-1 contact@uk-test.example да" in organizations
    with core.uow() as uow:
        [submitted] = uow.session.scalars(select(AuditRecord).where(
            AuditRecord.action == "reading_submitted")).all()
    organization = page_text(admin.get(f"/admin/organizations/{submitted.organization_id}").text)
    assert "Москва г., Вавилова ул., д. 45 6 1 (16 %)" in organization
    by_meter = page_text(admin.get("/admin/audit?meter=00215090").text)
    assert "Найдено: 1" in by_meter and "reading_submitted" in by_meter
    by_person = page_text(admin.get(f"/admin/audit?person={submitted.person_id}").text)
    assert "login" in by_person and "reading_submitted" in by_person
    assert "Найдено: 0" in page_text(admin.get("/admin/audit?from=2026-03-21").text)
    assert "Найдено: 0" in page_text(admin.get("/admin/audit?to=2026-03-19").text)
    today = page_text(admin.get("/admin/audit?from=2026-03-20&to=2026-03-20").text)
    assert "reading_submitted" in today and "20.03.2026 12:00:00" in today
    assert admin.get("/admin/organizations/999999").status_code == 404
    assert admin.post(f"/admin/organizations/{submitted.organization_id}").status_code == 405


def test_an_administrator_reads_a_houses_meters_and_readings(core, signed_in, admin):
    post_reading(signed_in, meter_id(core, "00215090"), t1="1100")
    with core.uow() as uow:
        [submitted] = uow.session.scalars(select(AuditRecord).where(
            AuditRecord.action == "reading_submitted")).all()
        from lkk_integration.models import Meter

        house = uow.session.get(Meter, submitted.meter_id).house_id
    page = page_text(admin.get(
        f"/admin/organizations/{submitted.organization_id}/houses/{house}").text)
    assert "1 100001 00215090 20.03.2026 1100 вручную Ожидает проверки биллингом" in page
    assert "3 100003 00300001 Показания не переданы" in page
    assert admin.get(f"/admin/organizations/999/houses/{house}").status_code == 404
    assert signed_in.get(f"/admin/organizations/{submitted.organization_id}/houses/{house}") \
        .headers["Location"] == "/admin/login"


def test_a_refused_form_keeps_what_was_typed_and_hostile_values_are_refused(core, admin):
    long_text = "Очень важный текст. " * 50
    refused = save_content(admin, main_text=long_text, announcement_text=["Работы", ""],
                           announcement_from=["99.12.2026", ""], announcement_to=["", ""])
    assert refused.status_code == 422
    assert "Объявление 1: даты в виде ДД.ММ.ГГГГ" in page_text(refused.text)
    assert long_text.strip() in page_text(refused.text) and 'value="99.12.2026"' in refused.text
    for fields, message in (
            ({"main_text": "а\x00б"}, "Текст на главной странице: управляющие символы не "
                                       "допускаются, в том числе невидимые и меняющие "
                                       "направление текста (U+0000)"),
            ({"contact_phone": "8\x07800"}, "Телефон контакт-центра: управляющие символы"),
            ({"login_text": "Вход \u202eдля УК"}, "Текст на странице входа: управляющие символы"),
            ({"announcement_text": ["Работы\u200b", ""], "announcement_from": ["20.03.2026", ""],
              "announcement_to": ["21.03.2026", ""]},
             "Объявление 1: управляющие символы не допускаются, в том числе невидимые и "
             "меняющие направление текста (U+200B)"),
            ({"contact_phone": ""}, "Укажите телефон контакт-центра"),
            ({"reception_url": "javascript:alert(1)"},
             "Ссылка на виртуальную приемную: адрес вида https://…"),
            ({"login_text": "я" * 2001}, "Текст на странице входа: не более 2000 символов")):
        assert message in page_text(save_content(admin, **fields).text), fields
    for fields, message in (
            ({"kwh_per_day_individual": "NaN"}, "Предельный расход ИПУ (kwh_per_day_individual): "
                                                "не число"),
            ({"period_start_day": "٣"}, "Первый день периода (period_start_day): не число")):
        assert message in page_text(save_rules(admin, **fields).text), fields
    assert records(core, "content_changed") == [] and records(core, "rules_changed") == []
    # An announcement whose text is cleared is deleted, whatever its dates.
    assert "Изменения сохранены" in page_text(save_content(
        admin, announcement_text=["Пусть будет", ""], announcement_from=["20.03.2026", ""],
        announcement_to=["21.03.2026", ""]).text)
    cleared = save_content(admin, announcement_text=["", ""],
                           announcement_from=["20.03.2026", ""],
                           announcement_to=["21.03.2026", ""])
    assert "Изменения сохранены" in page_text(cleared.text)


def test_the_audit_search_names_the_filters_it_cannot_use(core, admin):
    for query, message in (
            ("from=0001-01-01", "«С»"), ("to=9999-12-31", "«По»"),
            ("organization=2147483648", "«Организация №»"), ("person=abc", "«Контактное лицо №»"),
            ("from=01.12.2026", "«С»")):
        page = admin.get(f"/admin/audit?{query}")
        assert page.status_code == 200 and "Не распознаны условия поиска: " + message in \
            page_text(page.text), query
    reversed_dates = admin.get("/admin/audit?from=2026-03-21&to=2026-03-20")
    assert "Дата «С» позже даты «По»" in page_text(reversed_dates.text)


def test_a_password_typed_as_the_login_never_reaches_the_trail(core, app):
    browser = app.test_client()
    log_in(browser, "Secret2026pass", "whatever")
    page = browser.get("/admin/login")
    browser.post("/admin/login", data={"csrf_token": csrf_token(page.text),
                                       "email": "Admin2026pass", "password": "x"})
    actors = [r.actor for r in records(core, "login_failed") + records(core,
                                                                        "admin_login_failed")]
    assert actors == ["(не адрес e-mail)", "(не адрес e-mail)"]


def test_a_stale_admin_form_returns_to_the_admin_pages(core, admin):
    answer = admin.post("/admin/", data={"csrf_token": "stale", "part": "content"})
    assert answer.headers["Location"] == "/admin/"
