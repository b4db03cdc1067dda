"""The consumption charts in a real browser (Playwright + Debian's Chromium; docs/spec.md §6.1):
a year of accounted readings drawn on the house page, the meter card and the upload buffer.
Screenshots go to var/screenshots/charts/ (not committed) to be looked at."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.support.browser import log_in
from tests.support.cabinet import PASSWORD, activate, house_id
from tests.support.parts import ROOT
from tests.support.spreadsheets import spreadsheet

pytestmark = pytest.mark.once
SHOTS = ROOT / "var" / "screenshots" / "charts"
DAY = dt.date(2026, 3, 19)

# Invented kWh per month and zone, April 2025 … February 2026; the registration's reading of
# 20 February 2026 (LAST) ends them.
YEAR = {"ORG-1-M-A": ([110, 100, 80, 70, 60, 50, 55, 70, 90, 115, 125],),
        "ORG-1-M-B": ([50, 45, 35, 30, 25, 24, 25, 35, 45, 55, 60],
                      [25, 22, 18, 15, 12, 12, 12, 17, 22, 28, 30]),
        "ORG-1-M-E": ([9, 8, 6, 5, 5, 4, 5, 6, 8, 10, 11], [4, 4, 3, 2, 2, 2, 2, 3, 4, 5, 5])}
LAST = {"ORG-1-M-A": (1000,), "ORG-1-M-B": (500, 300), "ORG-1-M-E": (100, 50)}


def a_year_of_readings(zeep_client) -> None:
    """The billing's accounted readings of the 20th, March 2025 … February 2026, so that each
    month from April 2025 to February 2026 used the YEAR figures."""
    items = []
    for meter, zones in YEAR.items():
        values, sent = list(LAST[meter]), []
        for back in range(0, 12):  # February 2026, January 2026, … March 2025
            months = 2026 * 12 + 1 - back  # February 2026 is 2026 * 12 + 1
            sent.append({"MeterId": meter, "Source": "Абонент",
                         "ReadingDate": dt.date(months // 12, months % 12 + 1, 20),
                         **{f"T{i + 1}": str(v) for i, v in enumerate(values)}})
            values = [v - uses[-back - 1] for v, uses in zip(values, zones, strict=True)
                      ] if back < 11 else values
        # Oldest first, February again the last: the billing's last word is the meter's last
        # reading (docs/spec.md §15.5).
        items += sent[::-1]
    zeep_client.service.UpdateAccountedReadings(RequestId="year",
                                                Readings={"MeterReading": items})


def test_the_charts_of_a_year(page, organization, zeep_client):
    a_year_of_readings(zeep_client)
    activate(organization, PASSWORD)
    log_in(page)
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"/houses/{house_id(organization)}")
    charts = page.locator("table.grid svg[role=img]")
    assert charts.count() == 3  # the meters with history; the others have none
    assert page.locator("tbody tr", has_text="00300001").locator("svg").count() == 0
    assert charts.first.get_attribute("aria-label").startswith(
        "Счетчик 00215090. Расход по месяцам, кВт·ч, апр 2025 – фев 2026: апр 110, май 100")
    page.screenshot(path=str(SHOTS / "house-1366.png"), full_page=True)

    page.goto(f"/readings/manual/?kind=common_house&house={house_id(organization)}")
    card = page.locator("figure.chart")
    assert card.locator("g.bar").count() == 11
    card.screenshot(path=str(SHOTS / "card-common-house.png"))

    page.goto("/readings/file")
    filled = SHOTS / "charts.xlsx"
    filled.write_bytes(spreadsheet("xlsx", [
        ["1", "00215090", 1145, None, None, DAY],      # valid: 145 kWh in March
        ["2", "066823", 450, 310, None, DAY],          # T1 lower than the last: refused
        ["3", "00300001", 2100, None, None, DAY]]))    # valid: 100 since 20 February
    page.set_input_files("input[type=file]", str(filled))
    with page.expect_navigation(url="**/readings/file?checked=*#buffer"):
        page.click("button:has-text('Загрузить и обработать')")
    page.screenshot(path=str(SHOTS / "buffer-1366.png"), full_page=True)
    rows = page.locator("#buffer tbody tr")
    assert rows.filter(has_text="00215090").locator("g.bar.file").count() == 1
    assert rows.filter(has_text="066823").locator("svg").count() == 0
    assert rows.filter(has_text="00300001").locator("g.bar").count() == 1

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/houses/{house_id(organization)}")
    page.screenshot(path=str(SHOTS / "house-390.png"), full_page=True)
