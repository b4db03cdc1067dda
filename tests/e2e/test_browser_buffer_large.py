"""The buffer's page in a real browser (Playwright + Debian's Chromium) for the issue-sized
organization, 20,224 meters in 79 houses, its whole template filled and uploaded (docs/spec.md
§10–§11): the toolbar stays in view, houses open one at a time, «Выбрать все» ticks what is on
screen and counts every page, a house's reset and a row unticked keep the count true, «Нет»
keeps the selection; at phone width the rows are cards whose reason needs no sideways scrolling.
Screenshots go to var/screenshots/buffer/ (not committed)."""
from __future__ import annotations

import pytest

from tests.support.browser import log_in, press
from tests.support.bulk import bulk_buffer, bulk_login, bulk_organization
from tests.support.parts import ROOT

pytestmark = pytest.mark.once
SCREENSHOTS = ROOT / "var" / "screenshots" / "buffer"
PER_HOUSE = 256  # bench's houses: 79 × 256 meters
METERS = 79 * PER_HOUSE


def wrong(i: int) -> bool:
    """Mistakes in every seventh house, one meter in four."""
    return (i // PER_HOUSE) % 7 == 3 and i % 4 == 1


def empty(i: int) -> bool:
    """Meters not read, here and there."""
    return i % 137 == 5


@pytest.fixture
def bulk(core):
    organization, person, houses = bulk_organization(core, houses=79, per_house=PER_HOUSE)
    bulk_buffer(core, organization, person, houses, METERS, wrong=wrong, empty=empty)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return houses


def in_view(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= size["height"] \
        and box["x"] + box["width"] <= size["width"]


def selected(page) -> str:
    return page.inner_text("#selected-count").replace("\u00a0", " ")


def test_a_20000_row_buffer_is_worked_from_a_toolbar_that_stays_in_view(page, bulk):
    log_in(page, *bulk_login())
    page.goto("/readings/file#buffer")
    assert page.locator("table.houses tbody tr").count() == 79
    assert page.locator("table.rows").count() == 0  # houses collapsed until opened
    first = page.locator("table.houses tbody tr").first
    assert int(first.locator("td[data-label='Ошибок']").inner_text()) > 0
    for action in ("Удалить", "Отправить верные", "Выгрузить ошибки в файл"):
        assert page.locator(f".toolbar :text-is('{action}')").is_visible()
    assert in_view(page, ".toolbar button:text-is('Удалить')")
    page.screenshot(path=str(SCREENSHOTS / "summary-1366.png"))
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert in_view(page, ".toolbar button:text-is('Удалить')")
    page.screenshot(path=str(SCREENSHOTS / "summary-1366-bottom.png"))

    address = first.locator("th a").inner_text()
    with page.expect_navigation():
        first.locator("th a").click()
    assert "open=" in page.url and page.locator("#rows h3").inner_text() == address
    assert page.locator("table.rows tbody tr").count() == PER_HOUSE
    row = page.locator("table.rows tbody tr").first
    number = row.locator("td[data-label='№ счетчика']").inner_text()
    apartment = row.locator("td[data-label='Квартира']").inner_text()
    assert page.get_by_label(f"Выбрать строку: счетчик {number}, кв. {apartment}").is_visible()

    assert page.inner_text(".toolbar button[value=all]").replace("\u00a0", " ") \
        == "Выбрать все (20 224)"
    with page.expect_navigation():
        page.click(".toolbar button[value=all]")
    boxes = page.locator("table.rows input[name=row]")
    assert page.locator("table.rows input[name=row]:checked").count() == boxes.count() == 256
    assert selected(page) == "Выбрано: 20 224 строки на всех страницах"
    with page.expect_navigation():
        page.click("#rows button:text-is('Сбросить все строки дома')")
    assert page.locator("table.rows input[name=row]:checked").count() == 0
    assert selected(page) == "Выбрано: 19 968 строк на всех страницах"
    boxes.nth(10).check()  # the live count, with JavaScript
    assert selected(page) == "Выбрано: 19 969 строк на всех страницах"

    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert in_view(page, ".toolbar button:text-is('Удалить')")
    page.screenshot(path=str(SCREENSHOTS / "house-1366-bottom.png"))
    press(page, "Удалить")
    assert "Выбрано: 19 969 строк" in page.inner_text("main").replace("\u00a0", " ")
    press(page, "Нет")
    assert selected(page) == "Выбрано: 19 969 строк на всех страницах"
    assert page.locator("table.rows input[name=row]:checked").count() == 1
    assert boxes.nth(10).is_checked()

    # Ticks on screen go along when a link is followed (with JavaScript).
    boxes.nth(11).check()
    with page.expect_navigation():
        page.click("#rows a:text-is('Все дома')")
    assert selected(page) == "Выбрано: 19 970 строк на всех страницах"
    with page.expect_navigation():
        page.locator("table.houses tbody tr").first.locator("th a").click()
    assert page.locator("table.rows input[name=row]:checked").count() == 2


def test_at_phone_width_the_rows_are_cards_with_their_reason_in_view(page, bulk):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, *bulk_login())
    page.goto("/readings/file?filter=wrong#buffer")
    page.screenshot(path=str(SCREENSHOTS / "summary-390.png"))
    with page.expect_navigation():
        page.locator("table.houses tbody tr th a").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    card = page.locator("table.rows tbody tr").first
    card.scroll_into_view_if_needed()
    note = card.locator("td.note")
    assert note.is_visible() and note.inner_text()
    box = note.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert in_view(page, ".toolbar button:text-is('Удалить')")
    page.screenshot(path=str(SCREENSHOTS / "house-390.png"))
    page.screenshot(path=str(SCREENSHOTS / "house-390-full.png"), full_page=True)
