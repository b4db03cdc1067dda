"""The spreadsheet channel in a real browser (Playwright + Debian's Chromium): download the
template, fill it, upload it, filter, delete, export the errors, send (docs/spec.md §9–§11)."""
from __future__ import annotations

import datetime as dt

import pytest
import xlrd

from tests.support.browser import log_in, press
from tests.support.cabinet import PASSWORD, activate
from tests.support.parts import ROOT
from tests.support.spreadsheets import fill_template

pytestmark = pytest.mark.once
DAY = dt.date(2026, 3, 19)


def test_download_fill_upload_filter_delete_export_send(page, organization, tmp_path):
    activate(organization, PASSWORD)
    log_in(page)
    page.goto("/readings/file")
    page.click("summary:has-text('Скачать шаблон файла')")
    with page.expect_download() as download:
        page.click("button:has-text('Выгрузить')")
    template = tmp_path / "template.xls"
    download.value.save_as(template)
    filled = tmp_path / "показания.xls"
    filled.write_bytes(fill_template(template.read_bytes(), {
        "00215090": {"t1": 1100, "date": DAY}, "066823": {"t1": 520, "date": DAY},
        "7700123": {"t1": 110, "t2": 55, "date": DAY}}))
    page.set_input_files("input[type=file]", str(filled))
    with page.expect_navigation(url="**/readings/file?checked=*#buffer"):
        page.click("button:has-text('Загрузить и обработать')")
    counts = page.locator(".counts").all_inner_texts()
    assert counts == ["Индивидуальные ПУ: Верных – 1, ошибок – 4, из них не заполнено – 3",
                      "Общедомовые ПУ: Верных – 1, ошибок – 0"]

    with page.expect_navigation():
        page.click("text=Ошибочные показания")
    assert page.locator("table.rows tbody tr").count() == 4
    assert "Не указаны показания Т2" in page.inner_text("#buffer")
    # Per house, with JavaScript: the house's wrong rows that say «Показания не указаны».
    page.click("button[data-select=all]")
    page.get_by_label("Выбрать строку: счетчик 066823, кв. 2").uncheck()
    press(page, "Удалить")
    assert page.locator(".question").inner_text() == \
        "Вы действительно хотите удалить выбранные строки файла?"
    assert "Выбрано: 3 строки" in page.inner_text("main")
    press(page, "Да")
    assert page.locator(".flash.success").inner_text() == "Удалено 3 строки файла"
    assert page.locator(".counts").first.inner_text() == \
        "Индивидуальные ПУ: Верных – 1, ошибок – 1"

    with page.expect_download() as download:
        page.click("text=Выгрузить ошибки в файл")
    errors = xlrd.open_workbook(download.value.path()).sheet_by_index(0)
    assert errors.nrows == 2 and errors.row_values(1)[5:7] == ["066823", "520"]
    assert errors.row_values(1)[11] == "Не указаны показания Т2"

    page.click("text=Отправить верные")
    assert page.locator(".question").inner_text() == (
        "В загруженном файле 2 верных и 1 ошибочная строка. Показания будут сохранены только "
        "по верным строкам. Продолжить сохранение показаний?")
    assert "Показания не будут переданы по 1 счетчику." in page.inner_text("main")
    press(page, "Да")
    assert page.locator(".flash.success").all_inner_texts() == [
        "Успешно отправлены показания для 1 строки по индивидуальным приборам учета",
        "Успешно отправлены показания для 1 строки по общедомовым приборам учета"]
    # The wrong row stays, to be exported, corrected and uploaded again (docs/spec.md §11.1).
    assert "Остались ошибочные строки: 1" in page.inner_text("#buffer-status")
    with page.expect_download() as download:
        page.locator("#buffer-status").locator("text=Выгрузить ошибки в файл").click()
    errors = xlrd.open_workbook(download.value.path()).sheet_by_index(0)
    assert errors.nrows == 2 and errors.row_values(1)[5:7] == ["066823", "520"]


def test_the_upload_shows_its_progress(page, organization, tmp_path):
    activate(organization, PASSWORD)
    log_in(page)
    page.goto("/readings/file")
    big = tmp_path / "big.xls"
    big.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(3 * 1024 * 1024))
    page.set_input_files("input[type=file]", str(big))
    seen = []
    page.on("request", lambda r: seen.append(r.headers.get("x-requested-with")))
    with page.expect_navigation(url="**/readings/file"):
        page.click("button:has-text('Загрузить и обработать')")
    assert "XMLHttpRequest" in seen
    assert page.locator(".flash.error").inner_text().startswith("Файл поврежден")
    # The message has the focus: a keyboard or screen-reader user starts at it (spec §0).
    assert page.evaluate("document.activeElement.className") == "flash error"


SCREENSHOTS = ROOT / "var" / "screenshots"


def test_a_doubtful_files_notes_are_shown_row_by_row(page, organization):
    """What the person sees of a file a program half-filled: lost zeros, a formula with no
    saved value, a number no meter shows, a hidden row, a direction override, a repeat.
    The page is saved to var/screenshots/ (not committed) to be looked at."""
    from tests.support.spreadsheets import F, spreadsheet

    activate(organization, PASSWORD)
    log_in(page)
    page.goto("/readings/file")
    filled = SCREENSHOTS.parent / "doubtful.xlsx"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    filled.write_bytes(spreadsheet("xlsx", [
        ["1", 215090, 1100, None, None, DAY],
        ["2", "066823", F("B3*2"), 310, None, DAY],
        ["3", "00300001", 1e30, None, None, DAY],
        ["4", "00300002", 6, 11, 16, DAY],
        ["5", "00300003", "15\u202e0", None, None, DAY],
        ["5", "00300003", 160, None, None, DAY]], hidden=(5,)))
    page.set_input_files("input[type=file]", str(filled))
    with page.expect_navigation(url="**/readings/file?checked=*#buffer"):
        page.click("button:has-text('Загрузить и обработать')")
    shown = page.inner_text("#buffer")
    page.screenshot(path=str(SCREENSHOTS / "buffer-doubtful-file.png"), full_page=True)
    for note in ("Номер счетчика восстановлен с ведущими нулями: 00215090",
                 "формула без сохраненного значения",
                 "Т1: больше 6 разрядов до запятой (разрядность счетчика)",
                 "Строка скрыта в файле, показания из нее прочитаны",
                 "Счетчик указан в файле повторно"):
        assert note in shown, note
    assert "\u202e" not in page.content()
