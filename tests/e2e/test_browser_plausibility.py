"""A reading far from the meter's typical consumption in a real browser (docs/spec.md §13.10):
manual entry asks to confirm it, asks again until «Да, показание верное» is ticked, and saves
it when confirmed; then the buffer's «Требуют
проверки» keeps a file's such row. Screenshots go to var/screenshots/plausibility/ (not
committed)."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.support.browser import log_in, press
from tests.support.cabinet import PASSWORD, activate, readings_of, upload_filled
from tests.support.parts import ROOT
from tests.web.test_charts import account

pytestmark = pytest.mark.once

SHOTS = ROOT / "var" / "screenshots" / "plausibility"
FAR = "Проверьте: расход в 4,2 раза выше обычного для этого счетчика"


def open_apartment_1(page) -> None:
    """Signed in, manual entry at apartment 1 (its one meter, 00215090)."""
    log_in(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/readings/manual/")
    page.get_by_label("Квартира").fill("1")
    with page.expect_navigation():
        page.click("button:has-text('Выбрать квартиру')")


def test_a_far_reading_is_confirmed_before_it_is_saved(page, organization, zeep_client):
    account(zeep_client, "feb27", "ORG-1-M-A", dt.date(2026, 2, 27), t1="1070")
    account(zeep_client, "mar06", "ORG-1-M-A", dt.date(2026, 3, 6), t1="1140")
    activate(organization, PASSWORD)
    open_apartment_1(page)
    # The range a typical month reaches is in view before anything is typed (§13.10).
    last = " ".join(page.locator("table.last").inner_text().split())
    assert "Ожидается на 20.03" in last and "1186,67 – 1560" in last
    page.get_by_label("Т1, кВт·ч").fill("1 728")
    press(page, "Отправить")
    warning = page.locator("#to-confirm")
    assert warning.inner_text().startswith(FAR)
    assert page.evaluate("document.activeElement.id") == "to-confirm"
    assert page.get_by_label("Т1, кВт·ч").input_value() == "1 728"
    page.screenshot(path=str(SHOTS / "manual-confirm.png"), full_page=True)
    # Not ticked: asked again, nothing saved.
    press(page, "Отправить")
    assert page.locator("#to-confirm").is_visible() and readings_of(organization, "00215090") == []
    page.get_by_label("Да, показание верное").check()
    press(page, "Отправить")
    assert page.locator(".flash.success").inner_text().startswith(
        "Показания по счетчику № 00215090 успешно отправлены")
    [reading] = readings_of(organization, "00215090")
    assert reading.check_note == FAR


def test_the_buffer_keeps_far_rows_under_their_own_filter(page, organization, zeep_client,
                                                           app):
    account(zeep_client, "feb27", "ORG-1-M-A", dt.date(2026, 2, 27), t1="1070")
    account(zeep_client, "mar06", "ORG-1-M-A", dt.date(2026, 3, 6), t1="1140")
    activate(organization, PASSWORD)
    from tests.support.cabinet import log_in as client_log_in

    client = app.test_client()
    client_log_in(client)
    day = dt.date(2026, 3, 20)
    upload_filled(client, organization, {"00215090": {"t1": 1728, "date": day},
                                         "00300001": {"t1": 2100, "date": day}})
    log_in(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/readings/file")
    with page.expect_navigation():
        page.click("nav.filters >> text=Требуют проверки (1)")
    shown = page.locator("#buffer").inner_text()
    assert FAR in shown and "00300001" not in shown
    page.screenshot(path=str(SHOTS / "buffer-check.png"), full_page=True)


def test_from_the_reminders_link_to_the_sent_readings(page, organization, zeep_client, clock,
                                                      tmp_path):
    """A reminder's link opened signed out → the login → the template of the meters still
    missing → filled, one reading far from its meter's usual and one meter not read («Нет
    доступа») → uploaded, checked under «Требуют проверки» → sent, the note and the reason kept
    for the billing (docs/spec.md §1, §2.3, §13.10, §13.11)."""
    import re

    from lkk_integration.readings.reminders import send_reminders
    from tests.support.cabinet import EMAIL, mails
    from tests.support.spreadsheets import fill_template

    account(zeep_client, "feb27", "ORG-1-M-A", dt.date(2026, 2, 27), t1="1070")
    account(zeep_client, "mar06", "ORG-1-M-A", dt.date(2026, 3, 6), t1="1140")
    activate(organization, PASSWORD)
    clock.set(dt.datetime(2026, 3, 24, 9, 0))  # Moscow: 3 days left
    assert send_reminders(organization).mailed == 1
    link = re.search(r"шаблон для заполнения: (\S+)", mails(organization, EMAIL)[-1]).group(1)
    page.goto(link.replace(organization.config.public_url, ""))
    assert page.url.endswith("/login?next=/missing.xls")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_download() as download:
        page.click("button:has-text('Войти')")
    template = tmp_path / "missing.xls"
    download.value.save_as(template)
    day = dt.date(2026, 3, 24)
    filled = tmp_path / "показания.xls"
    filled.write_bytes(fill_template(template.read_bytes(), {
        "00215090": {"t1": 1900, "date": day}, "00300001": {"t1": 2100, "date": day},
        "066823": {"date": day}}, edits={"066823": {"Не снято, причина": "нет доступа"}}))
    page.goto("/readings/file")
    page.set_input_files("input[type=file]", str(filled))
    with page.expect_navigation(url="**/readings/file?checked=*#buffer"):
        page.click("button:has-text('Загрузить и обработать')")
    assert page.locator(".counts").first.inner_text().startswith(
        "Индивидуальные ПУ: Верных – 3 (требуют проверки – 1)")
    with page.expect_navigation():
        page.click("nav.filters >> text=Верные")
    assert "066823 24.03.2026 Не снято: Нет доступа" in " ".join(
        page.inner_text("#buffer").split())
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "walk-buffer-not-read.png"), full_page=True)
    with page.expect_navigation():
        page.click("nav.filters >> text=Требуют проверки (1)")
    assert "Проверьте: расход в 4,2 раза выше обычного" in page.inner_text("#buffer")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "walk-buffer.png"), full_page=True)
    page.click("text=Отправить верные")
    press(page, "Да")
    assert "Успешно отправлены показания для 3 строк по индивидуальным приборам учета" in \
        page.locator(".flash.success").all_inner_texts()
    export = zeep_client.service.ExportReadingsWithNotRead
    events = export(Cursor=0, Limit=100).Readings.ExportedReading
    assert {e.MeterNumber: (e.Event, e.CheckNote, e.NotReadReason) for e in events} == {
        "00215090": ("submitted", "Проверьте: расход в 4,2 раза выше обычного для этого "
                                  "счетчика", None),
        "00300001": ("submitted", None, None), "066823": ("not_read", None, "NO_ACCESS")}


def test_a_meter_not_read_is_sent_with_its_reason_from_manual_entry(page, organization):
    """«Не снято, причина» instead of values (docs/spec.md §13.11): both refused, the reason
    alone saved and listed."""
    activate(organization, PASSWORD)
    open_apartment_1(page)
    page.get_by_label("Т1, кВт·ч").fill("1100")
    page.get_by_label("Не снято, причина").select_option(label="ПУ неисправен")
    press(page, "Отправить")
    assert "Укажите либо показания, либо причину" in page.locator("#entry-errors").inner_text()
    page.get_by_label("Т1, кВт·ч").fill("")
    page.get_by_label("Не снято, причина").select_option(label="ПУ неисправен")
    press(page, "Отправить")
    assert page.locator(".flash.success").inner_text().startswith(
        "По счетчику № 00215090 передано: показания не сняты (ПУ неисправен)")
    assert "Не снято: ПУ неисправен" in page.locator("#submitted").inner_text()
    page.screenshot(path=str(SHOTS / "manual-not-read.png"), full_page=True)
    [reading] = readings_of(organization, "00215090")
    assert (reading.not_read_reason, reading.t1) == ("FAULTY", None)


def test_a_meter_card_with_its_expected_range_fits_a_phone_of_320_px(browser, live_server,
                                                                     organization, zeep_client):
    """docs/spec.md §0: the last readings' table with «Ожидается на» stays a table and nothing
    scrolls sideways at the narrowest phone."""
    account(zeep_client, "feb27", "ORG-1-M-A", dt.date(2026, 2, 27), t1="1070")
    account(zeep_client, "mar06", "ORG-1-M-A", dt.date(2026, 3, 6), t1="1140")
    context = browser.new_context(base_url=live_server, locale="ru-RU",
                                  viewport={"width": 320, "height": 800})
    page = context.new_page()
    activate(organization, PASSWORD)
    log_in(page)
    from tests.support.cabinet import meter_id
    wide = {}
    for number in ("00215090", "066823", "00300002", "7700123"):
        page.goto(f"/readings/manual/{meter_id(organization, number)}")
        wide[number] = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert "Ожидается на" in page.goto(
        f"/readings/manual/{meter_id(organization, '00215090')}").text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "card-320.png"), full_page=True)
    context.close()
    assert wide == {"00215090": 0, "066823": 0, "00300002": 0, "7700123": 0}
