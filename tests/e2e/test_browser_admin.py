"""Administration and coverage in a real browser (Playwright + Debian's Chromium; docs/spec.md
§12, §2.1, §2.2): an administrator edits the period and a text, the contact person sees them,
and walks the coverage view to the download of the meters still missing a reading."""
from __future__ import annotations

import pytest
import xlrd

from lkk_integration.signin.administrators import create_admin

from tests.support.browser import log_in, press
from tests.support.cabinet import PASSWORD, activate

pytestmark = pytest.mark.once
ADMIN, ADMIN_PASSWORD = "admin@retailer.example", "Admin2026pass"


def test_the_administrators_edit_reaches_the_contact_person(browser, live_server,
                                                            organization):
    create_admin(organization, ADMIN, ADMIN_PASSWORD, ADMIN_PASSWORD)
    admin_context = browser.new_context(base_url=live_server, locale="ru-RU")
    admin = admin_context.new_page()
    admin.goto("/admin/login")
    admin.fill("input[name=email]", ADMIN)
    admin.fill("input[name=password]", ADMIN_PASSWORD)
    press(admin, "Войти")
    admin.fill("textarea[name=main_text]", "Сдайте показания до 25 числа")
    press(admin, "Сохранить содержание")
    assert admin.locator(".flash.success").inner_text() == "Изменения сохранены"
    # Both kinds' days end on the 25th (docs/spec.md §5.2: else the period runs to the later).
    admin.fill("input[name=period_end_day]", "25")
    admin.fill("input[name=common_house_end_day]", "25")
    admin.fill("input[name=common_house_last_reading_day]", "25")
    press(admin, "Сохранить настройки")
    assert admin.locator(".flash.success").inner_text() == "Изменения сохранены"
    admin.click("text=Журнал изменений")
    assert "rules_changed" in admin.inner_text("table.audit")
    admin_context.close()

    person_context = browser.new_context(base_url=live_server, locale="ru-RU")
    page = person_context.new_page()
    activate(organization, PASSWORD)
    log_in(page)
    assert "Сдайте показания до 25 числа" in page.inner_text("main")
    assert "До его окончания: 6 дней" in page.inner_text("main")  # 20th to 25th inclusive
    page.goto("/admin/")
    assert page.url.endswith("/admin/login")
    page.goto("/")
    with page.expect_navigation():
        page.click("text=0 из 6 (0 %)")
    assert "Передано: 0 из 6 счетчиков (0 %)" in page.inner_text("main")
    with page.expect_navigation():
        page.click("text=Без показаний")
    assert page.locator("tbody tr").count() == 6
    with page.expect_download() as download:
        page.click("text=Скачать список счетчиков без показаний")
    book = xlrd.open_workbook(download.value.path())
    assert book.sheet_by_name("ИПУ").nrows == 6 and book.sheet_by_name("ОДПУ").nrows == 2
    person_context.close()
