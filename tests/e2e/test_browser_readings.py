"""Manual entry in a real browser (Playwright + Debian's Chromium): a two-zone individual meter
chosen through the address lists, a common-house meter, the period-closed page, and a delete with
its confirmation (docs/spec.md §6–§8)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from lkk_integration.models import Reading

from tests.support.browser import log_in, press
from tests.support.cabinet import PASSWORD, activate

pytestmark = pytest.mark.once


@pytest.fixture
def signed_in_page(page, organization):
    activate(organization, PASSWORD)
    log_in(page)
    return page


def choose_apartment(page, apartment: str) -> None:
    """Type the apartment and press its «Выбрать»; the page reloads with the meter's card."""
    page.get_by_label("Квартира").fill(apartment)
    with page.expect_navigation():
        page.click("button:has-text('Выбрать квартиру')")


def test_a_two_zone_meter_from_the_address_lists(signed_in_page, organization):
    page = signed_in_page
    with page.expect_navigation():
        page.click("nav.menu >> text=Передача показаний")
    assert page.locator(".tab.active").inner_text() == "Ручной ввод данных"
    # The organization serves one house: settlement, street and house are taken for it.
    assert page.get_by_label("Населенный пункт").input_value() == "Москва г."
    assert page.locator("#apartments option").evaluate_all(
        "options => options.map(o => o.value)") == ["1", "2", "3", "4", "5"]
    choose_apartment(page, "2")
    card = page.locator(".meter-card")
    assert "Индивидуальный прибор учета № 066823" in card.inner_text()
    assert "Двухтарифный" in card.inner_text()
    assert card.locator("table.last tbody tr").all_inner_texts() == [
        "Т1\t500\t20.02.2026\tАбонент", "Т2\t300\t20.02.2026\tАбонент"]
    assert card.locator("form.entry input[type=text]").count() == 2
    page.get_by_label("Т1, кВт·ч").fill("1 000,5")
    page.get_by_label("Т2, кВт·ч").fill("250")
    press(page, "Отправить")
    assert page.locator("ul.errors li").all_inner_texts() == [
        "Т2 меньше последних учтенных показаний (300)"]
    assert page.evaluate("document.activeElement.id") == "entry-errors"
    assert page.get_by_label("Т1, кВт·ч").input_value() == "1 000,5"
    page.get_by_label("Т2, кВт·ч").fill("350")
    press(page, "Отправить")
    assert page.locator(".flash.success").inner_text() == \
        "Показания по счетчику № 066823 успешно отправлены"
    # Back on the meter's card, the message above its form has the focus.
    assert page.evaluate("document.activeElement.id") == "entry-message"
    assert "Индивидуальный прибор учета № 066823" in page.inner_text(".meter-card")
    assert "Переданные показания на 20.03.2026" in page.inner_text("#submitted")
    assert page.locator("#submitted tbody tr").all_inner_texts() == [
        "\tМосква г., Вавилова ул., д. 45, кв. 2\t066823\t20.03.2026\t1000,5\t350\t"]


def test_a_common_house_meter_with_its_ratio(signed_in_page, organization):
    page = signed_in_page
    page.goto("/readings/manual/")
    page.click("text=Общедомовые ПУ")
    meter = page.get_by_label("Общедомовой прибор учета")
    assert meter.locator("option:checked").inner_text() == \
        "№ 7700123, коэффициент трансформации 40"
    page.get_by_label("Т1, кВт·ч").fill("14100")
    page.get_by_label("Т2, кВт·ч").fill("51")
    press(page, "Отправить")
    assert page.locator("ul.errors li").all_inner_texts() == [
        "Расход 560040 кВт·ч больше допустимого: 560000 кВт·ч за 28 дней"]
    page.get_by_label("Т1, кВт·ч").fill("14099")
    press(page, "Отправить")
    assert page.locator(".flash.success").inner_text() == \
        "Показания по счетчику № 7700123 успешно отправлены"
    assert page.locator("#submitted tbody tr td").nth(3).inner_text() == "40"


def test_delete_asks_first_and_brings_back_the_replaced_reading(signed_in_page, organization):
    page = signed_in_page
    page.goto("/readings/manual/?apartment=1")
    for value in ("1100", "1150"):
        page.get_by_label("Т1, кВт·ч").fill(value)
        press(page, "Отправить")
        page.goto("/readings/manual/?apartment=1")
    assert "Всего: 1" in page.inner_text("#submitted")
    press(page, "Удалить")
    assert page.locator(".flash.error").inner_text() == "Выберите показание для удаления"
    page.check("#submitted input[type=radio]")
    press(page, "Удалить")
    assert page.locator(".question").inner_text() == \
        "Вы действительно хотите удалить выбранное показание?"
    press(page, "Нет")
    assert "1150" in page.inner_text("#submitted")
    page.check("#submitted input[type=radio]")
    press(page, "Удалить")
    press(page, "Да")
    assert page.locator(".flash.success").inner_text() == (
        "Показание удалено. Действующим снова стало показание от 20.03.2026: Т1 1100")
    # The earlier reading of this session is current again, and may be deleted in turn.
    assert "1100" in page.inner_text("#submitted") and "1150" not in page.inner_text("#submitted")
    with organization.uow() as uow:
        current = uow.session.scalars(select(Reading.t1).where(Reading.is_current)).all()
    assert [str(v) for v in current] == ["1100"]


def test_outside_the_period_the_page_says_when_it_opens(signed_in_page, clock):
    page = signed_in_page
    clock.set(dt.datetime(2026, 3, 27, 0, 0))  # Moscow: the first minute after the period
    log_in(page)  # the earlier session has expired meanwhile
    with page.expect_navigation():
        page.click("nav.menu >> text=Передача показаний")
    assert page.locator(".flash.info").inner_text() == \
        "Передача показаний возможна с 15 по 26 число"
    assert page.locator("form").count() == 1  # only «Выход»
    page.goto("/readings/file")
    assert page.locator(".flash.info").inner_text() == \
        "Передача показаний возможна с 15 по 26 число"
