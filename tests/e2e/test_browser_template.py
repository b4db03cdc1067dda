"""The template dialog in a real browser (Playwright + Debian's Chromium) for the issue-sized
organization, 20,224 meters in 79 houses (docs/spec.md §9): find houses by their address, tick
three, download with «Файл готовится…» shown, and the file's rows are those houses' meters.
Screenshots of the dialog at 1366 and 390 pixels go to var/screenshots/ (not committed)."""
from __future__ import annotations

import pytest
import xlrd

from tests.support.browser import log_in
from tests.support.bulk import bench_spreadsheets, bulk_login, bulk_organization
from tests.support.parts import ROOT

pytestmark = pytest.mark.once
SCREENSHOTS = ROOT / "var" / "screenshots"
PER_HOUSE = 256  # bench's houses: 79 × 256 meters


def house_index(street: str, number: int) -> int:
    """The bulk organization's house (its insertion index) on `street` with `number`."""
    streets = bench_spreadsheets().STREETS
    return (number - 1) * len(streets) + streets.index(street)


def meters_of(index: int) -> set[str]:
    bench = bench_spreadsheets()
    return {bench.meter_number(i) for i in range(index * PER_HOUSE, (index + 1) * PER_HOUSE)}


@pytest.fixture
def bulk(core):
    _org, _person, houses = bulk_organization(core, houses=79, per_house=PER_HOUSE)
    return houses


def shown_addresses(page) -> list[str]:
    return page.locator("#house-list li:visible .address").all_inner_texts()


def test_three_houses_found_by_search_give_a_template_of_their_meters(page, bulk, tmp_path):
    log_in(page, *bulk_login())
    page.goto("/readings/file")
    page.click("summary:has-text('Скачать шаблон файла')")
    dialog = page.locator("#template")
    assert page.locator("#house-list input:checked").count() == 0
    assert page.inner_text("#house-chosen") == "Не выбрано ни одного дома"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    dialog.screenshot(path=str(SCREENSHOTS / "template-dialog-1366.png"))

    page.fill("#house-search", "заводская")
    assert shown_addresses(page) == [f"Москва г., Заводская ул., д. {n}" for n in range(1, 11)]
    assert page.inner_text("#house-found") == "Найдено домов: 10 из 79"
    page.get_by_label("Москва г., Заводская ул., д. 2 —").check()
    page.get_by_label("Москва г., Заводская ул., д. 10 —").check()
    page.fill("#house-search", "Кленовая 5")  # a number is a whole house number: not д. 50
    assert shown_addresses(page) == ["Москва г., Кленовая ул., д. 5"]
    page.click("button:has-text('Выбрать найденные (1)')")
    assert page.inner_text("#house-chosen") == "Выбрано: 3 дома, 768 счетчиков"
    page.fill("#house-search", "нет такой улицы")
    assert page.inner_text("#house-found") == "Нет домов с таким адресом"
    page.fill("#house-search", "")
    assert len(shown_addresses(page)) == 79
    assert page.locator("#house-list input:checked").count() == 3

    # While the file is built: the status says so and «Выгрузить» waits. The request is held
    # here until that is seen, so nothing depends on how long the building takes.
    held = []
    page.route("**/readings/template", lambda route: held.append(route))
    page.click("#template-submit")
    while not held:
        page.wait_for_timeout(20)
    assert page.inner_text("#template-status") == "Файл готовится…"
    assert page.locator("#template-submit").is_disabled()
    assert page.get_attribute("#template-form", "aria-busy") == "true"
    assert 'name="csrf_token"' in (held[0].request.post_data or "")  # the form's token goes
    with page.expect_download() as download:
        held[0].continue_()
    page.unroute("**/readings/template")
    assert download.value.suggested_filename == "шаблон.xls"
    page.wait_for_function("!document.getElementById('template-submit').disabled")
    assert page.inner_text("#template-status") == "Файл «шаблон.xls» сохранен."
    assert page.evaluate("document.activeElement.id") == "template-submit"
    assert page.url.endswith("/readings/file")  # the page stayed
    dialog.screenshot(path=str(SCREENSHOTS / "template-dialog-1366-saved.png"))

    saved = tmp_path / "template.xls"
    download.value.save_as(saved)
    sheet = xlrd.open_workbook(str(saved)).sheet_by_name("ИПУ")
    numbers = [sheet.cell_value(r, 3) for r in range(1, sheet.nrows)]
    expected = (meters_of(house_index("Заводская ул.", 2))
                | meters_of(house_index("Заводская ул.", 10))
                | meters_of(house_index("Кленовая ул.", 5)))
    assert len(numbers) == 768 and set(numbers) == expected
    addresses = {sheet.cell_value(r, 0) for r in range(1, sheet.nrows)}
    assert addresses == {"Москва г., Заводская ул., д. 2", "Москва г., Заводская ул., д. 10",
                         "Москва г., Кленовая ул., д. 5"}

    page.click("button:has-text('Снять все')")
    assert page.locator("#house-list input:checked").count() == 0
    page.click("button:has-text('Выбрать все')")
    assert page.locator("#house-list input:checked").count() == 79
    assert page.inner_text("#house-chosen") == "Выбрано: 79 домов, 20224 счетчика"


def test_at_phone_width_the_dialog_fits(page, bulk):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, *bulk_login())
    page.goto("/readings/file")
    page.click("summary:has-text('Скачать шаблон файла')")
    page.fill("#house-search", "Вавилова")
    page.screenshot(path=str(SCREENSHOTS / "template-dialog-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator("#template-submit").bounding_box()
    assert box["x"] + box["width"] <= 390


def test_from_a_house_page_the_dialog_opens_with_that_house(page, bulk):
    log_in(page, *bulk_login())
    house = bulk[house_index("Садовая ул.", 7)]
    page.goto(f"/houses/{house}")
    with page.expect_navigation():
        page.click("text=Скачать шаблон для этого дома")
    assert page.locator("#template").get_attribute("open") is not None
    assert page.locator("#house-list input:checked").count() == 1
    focused = page.evaluate("document.activeElement.closest('label').textContent")
    assert " ".join(focused.split()) == "Москва г., Садовая ул., д. 7 — 256 счетчиков"


def test_no_house_ticked_is_refused_and_the_dialog_is_shown_again(page, bulk):
    log_in(page, *bulk_login())
    page.goto("/readings/file")
    page.click("summary:has-text('Скачать шаблон файла')")
    with page.expect_navigation(url="**/readings/file#template"):
        page.click("#template-submit")
    assert page.inner_text(".flash.error") == "Выберите хотя бы один дом"
    assert page.locator("#template").get_attribute("open") is not None


def test_without_javascript_the_whole_list_shows_and_the_form_downloads(browser, live_server,
                                                                         bulk):
    context = browser.new_context(base_url=live_server, java_script_enabled=False,
                                  viewport={"width": 1366, "height": 768}, locale="ru-RU")
    page = context.new_page()
    try:
        log_in(page, *bulk_login())
        page.goto("/readings/file")
        page.click("summary:has-text('Скачать шаблон файла')")
        assert not page.locator("#house-search").is_visible()  # the search needs the script
        assert page.locator("#house-list li:visible").count() == 79
        page.get_by_label("Москва г., Лесная ул., д. 3 —").check()
        with page.expect_download() as download:
            page.click("#template-submit")
        sheet = xlrd.open_workbook(download.value.path()).sheet_by_name("ИПУ")
        assert {sheet.cell_value(r, 3) for r in range(1, sheet.nrows)} == \
            meters_of(house_index("Лесная ул.", 3))
    finally:
        context.close()
