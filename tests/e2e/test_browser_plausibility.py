"""A reading far from the meter's typical consumption in a real browser (docs/spec.md §13.10):
manual entry asks to confirm it — the browser itself will not send the form until «Да,
показание верное» is ticked — and saves it when confirmed; then the buffer's «Требуют
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


def test_a_far_reading_is_confirmed_before_it_is_saved(page, organization, zeep_client):
    account(zeep_client, "feb27", "ORG-1-M-A", dt.date(2026, 2, 27), t1="1070")
    account(zeep_client, "mar06", "ORG-1-M-A", dt.date(2026, 3, 6), t1="1140")
    activate(organization, PASSWORD)
    log_in(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/readings/manual/")
    page.get_by_label("Квартира").fill("1")
    with page.expect_navigation():
        page.click("button:has-text('Выбрать квартиру')")
    page.get_by_label("Т1, кВт·ч").fill("1 728")
    press(page, "Отправить")
    warning = page.locator("#to-confirm")
    assert warning.inner_text().startswith(FAR)
    assert page.evaluate("document.activeElement.id") == "to-confirm"
    assert page.get_by_label("Т1, кВт·ч").input_value() == "1 728"
    page.screenshot(path=str(SHOTS / "manual-confirm.png"), full_page=True)
    # Not ticked: the browser keeps the form (the box is required).
    page.click("button:has-text('Отправить') >> nth=0")
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
