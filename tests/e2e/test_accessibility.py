"""axe-core over every page of the cabinet, in Chromium at 1366×768 and 390×844 (docs/spec.md
§0): no violation on any page, in the states a contact person meets them (a buffer with wrong
rows, a meter chosen for manual entry, an error shown, the period closed). Screenshots go to
var/screenshots/axe/ (not committed)."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.support.accessibility import axe_source, violations
from tests.support.browser import log_in, press
from tests.support.cabinet import PASSWORD, activate, meter_id
from tests.support.parts import ROOT
from tests.support.spreadsheets import spreadsheet

pytestmark = pytest.mark.once
SHOTS = ROOT / "var" / "screenshots" / "axe"
WIDTHS = {"1366": {"width": 1366, "height": 768}, "390": {"width": 390, "height": 844}}
DAY = dt.date(2026, 3, 19)


@pytest.fixture(params=sorted(WIDTHS))
def at_width(request, browser, live_server):
    # bypass_csp: the page's Content-Security-Policy forbids the injected axe script.
    context = browser.new_context(base_url=live_server, viewport=WIDTHS[request.param],
                                  locale="ru-RU", bypass_csp=True)
    yield request.param, context.new_page()
    context.close()


def audited(page, width: str, name: str, source: str) -> list[str]:
    """The page's violations, each prefixed with the page's name; a screenshot kept."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    return [f"{name}: {line}" for line in violations(page, source)]


def test_every_cabinet_page_passes_axe_at_both_widths(at_width, organization, clock, tmp_path):
    width, page = at_width
    source = axe_source()
    found = []
    page.goto("/login")
    found += audited(page, width, "login", source)
    page.fill("input[name=email]", "nobody@example.org")
    page.fill("input[name=password]", "wrong-password-1")
    press(page, "Войти")
    found += audited(page, width, "login-refused", source)
    page.goto("/password/forgot")
    found += audited(page, width, "forgot", source)

    activate(organization, PASSWORD)
    log_in(page)
    found += audited(page, width, "main", source)
    page.click("table a[href^='/houses/']")
    page.wait_for_load_state()
    found += audited(page, width, "house", source)
    page.goto("/settings/")
    found += audited(page, width, "settings", source)
    page.goto("/readings/manual/")
    found += audited(page, width, "manual", source)
    meter = meter_id(organization, "066823")
    page.goto(f"/readings/manual/{meter}")
    found += audited(page, width, "manual-meter", source)
    page.locator("form.entry input[type=text]").first.fill("1")
    press(page, "Отправить")
    found += audited(page, width, "manual-refused", source)

    page.goto("/readings/file")
    found += audited(page, width, "file", source)
    page.click("summary:has-text('Скачать шаблон файла')")
    found += audited(page, width, "file-template-dialog", source)
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(spreadsheet("xlsx", [
        ["1", "00215090", 1100, None, None, DAY], ["2", "066823", 5, 310, None, DAY],
        ["3", "00300001", None, None, None, None]]))
    page.goto("/readings/file")
    page.set_input_files("input[type=file]", str(filled))
    with page.expect_navigation(url="**/readings/file*"):
        page.click("button:has-text('Загрузить и обработать')")
    found += audited(page, width, "buffer", source)
    page.locator("#buffer input[type=checkbox][name=row]").first.check()
    press(page, "Удалить")
    found += audited(page, width, "buffer-delete-question", source)
    page.goto("/readings/file")
    page.click("a:has-text('Отправить верные')")
    page.wait_for_load_state()
    found += audited(page, width, "send-question", source)

    clock.set(dt.datetime(2026, 3, 27, 12, 0))
    page.goto("/readings/manual/")
    found += audited(page, width, "period-closed", source)
    page.goto("/readings/file")
    found += audited(page, width, "period-closed-file", source)
    assert not found, "\n".join(found)
