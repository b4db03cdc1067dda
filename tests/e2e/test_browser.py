"""The sign-in pages in a real browser: Playwright driving Debian's Chromium, headless, against
the app on a real HTTP server on loopback (docs/spec.md §1, §3, §4, §16)."""
from __future__ import annotations

import pytest

from tests.support.browser import log_in
from tests.support.cabinet import EMAIL, PASSWORD, activate, link_in, mails

pytestmark = pytest.mark.once


def test_activation_of_a_new_organizations_account(page, organization):
    link = link_in(mails(organization, EMAIL)[-1], "password")
    page.goto(link)
    assert page.locator("h1").inner_text() == "Добро пожаловать в Личный кабинет!"
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=repeat]", PASSWORD)
    page.click("button:has-text('Установить пароль')")
    assert "Всего: 1" in page.inner_text("main")
    assert "ООО «УК «Тестовая»" in page.inner_text("header")


def test_login_wrong_password_and_logout(page, organization):
    activate(organization, PASSWORD)
    log_in(page, password="Wrong2026pass")
    assert page.locator(".flash.error").inner_text() == "Неверный логин или пароль"
    log_in(page)
    assert "Всего: 1" in page.inner_text("main")
    page.click("button:has-text('Выход')")
    assert page.url.endswith("/login")
    page.goto("/")
    assert page.url.endswith("/login")


def test_recovery_from_the_email_to_the_main_page_and_its_link_dies(page, organization, clock):
    activate(organization, PASSWORD)
    page.goto("/login")
    page.click("text=Забыли пароль?")
    page.fill("input[name=email]", EMAIL)
    page.click("button:has-text('Продолжить')")
    assert "в течение 60 часов" in page.inner_text("main")
    link = link_in(mails(organization, EMAIL)[-1], "password")
    page.goto(link)
    assert page.locator("h1").inner_text() == "Ввод нового пароля"
    page.fill("input[name=password]", "Fresh2026pw")
    page.fill("input[name=repeat]", "Fresh2026pw")
    page.click("button:has-text('Установить пароль')")
    assert "Всего: 1" in page.inner_text("main")
    page.goto(link)  # used once
    assert "Ссылка недействительна" in page.inner_text("main")


def test_an_expired_link(page, organization, clock):
    link = link_in(mails(organization, EMAIL)[-1], "password")
    clock.advance(hours=60, seconds=1)
    page.goto(link)
    assert "Ссылка недействительна" in page.inner_text("main")


def test_settings_say_each_of_the_manuals_messages(page, organization):
    activate(organization, PASSWORD)
    log_in(page)
    page.click("header >> text=Мои настройки")
    cases = [
        ("", "Newpass2026", "Newpass2026", "Не заполнены обязательные поля!"),
        (PASSWORD, "short", "short", "Пароль не соответствует установленным ограничениям! "
         "Пароль должен содержать от 8 до 20 цифр (0-9) и/или букв латинского алфавита (A-Z)!"),
        (PASSWORD, "Newpass2026", "Newpass2027", "Введённые пароли не совпадают!"),
        (PASSWORD, "password1", "password1", "Этот пароль слишком распространён, выберите другой"),
        ("Wrong2026pass", "Newpass2026", "Newpass2026", "Текущий пароль указан неверно"),
        (PASSWORD, "Newpass2026", "Newpass2026", "Пароль изменен"),
    ]
    for current, new, repeat, message in cases:
        form = page.locator("form[action$='/settings/password']")
        form.locator("input[name=current]").fill(current)
        form.locator("input[name=new]").fill(new)
        form.locator("input[name=repeat]").fill(repeat)
        form.locator("button").click()
        assert page.locator(".flash").first.inner_text() == message


def test_pages_fit_a_phone_screen(browser, live_server, organization):
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    phone = context.new_page()
    activate(organization, PASSWORD)
    log_in(phone)
    width = phone.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 390
