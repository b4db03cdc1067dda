"""Manual entry from the keyboard alone in a real browser (Playwright + Debian's Chromium), for an
organization of 256 apartments a house (docs/spec.md §6): no list submits itself, each step has
its «Выбрать», the apartment is typed, the focus goes to the next step, to T1, to the message of
a send and to the reasons of a refusal; «Отправить и следующая квартира» walks the house; the
message stays in view; without JavaScript the same steps and walk work as plain forms.
Screenshots at 1366×768 and 390×844 go to var/screenshots/manual/ (not committed)."""
from __future__ import annotations

import pytest
from sqlalchemy import insert

from lkk_integration.models import INDIVIDUAL, House, Meter, PersonalAccount

from tests.support.browser import log_in
from tests.support.bulk import bench_spreadsheets, bulk_login, bulk_organization
from tests.support.parts import ROOT

pytestmark = pytest.mark.once
SCREENSHOTS = ROOT / "var" / "screenshots" / "manual"
PER_HOUSE = 256


@pytest.fixture
def bulk(core):
    """Bench's organization, 16 houses of 256 apartments in Москва г. on eight streets, and one
    more house in another settlement, so that every step of the choice is a real one."""
    organization_id, _person, houses = bulk_organization(core, houses=16, per_house=PER_HOUSE)
    with core.engine.begin() as c:
        house = c.execute(insert(House).values(
            organization_id=organization_id, billing_id="BF-Z", settlement="Зеленоград г.",
            street="Панфиловский просп.", house_number="1").returning(House.id)).scalar_one()
        account = c.execute(insert(PersonalAccount).values(
            house_id=house, number="79000001", apartment="1", consumer_name="Абонент Иной")
            .returning(PersonalAccount.id)).scalar_one()
        c.execute(insert(Meter).values(billing_id="BF-Z-M", kind=INDIVIDUAL, house_id=house,
                                       personal_account_id=account, number="79000001",
                                       zones=1, capacity=6))
    return houses


def meter_index(street: str, house_number: int, apartment: int) -> int:
    """Bench's meter i of the house on `street` with `house_number`, apartment `apartment`."""
    streets = bench_spreadsheets().STREETS
    return ((house_number - 1) * len(streets) + streets.index(street)) * PER_HOUSE + apartment - 1


def typed_values(i: int, more: int = 0) -> list[str]:
    """What a person types for bench's meter i: T1..Tn a little above the last (and `more`
    kWh), with a decimal comma."""
    bench = bench_spreadsheets()
    return [f"{v + more:.1f}".replace(".", ",") for v in bench.new_values(i, bench.zones_of(i))
            if v is not None]


def focused(page) -> dict:
    """What has the focus: its id, tag, role, text (spaces folded), name, and whether it is
    wholly in the viewport."""
    return page.evaluate(r"""() => {
        const e = document.activeElement, r = e.getBoundingClientRect();
        return {id: e.id, tag: e.tagName.toLowerCase(), role: e.getAttribute('role'),
                text: e.textContent.replace(/\s+/g, ' ').trim(), name: e.getAttribute('name'),
                visible: r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0};
    }""")


def in_view(page, selector: str) -> bool:
    return page.evaluate("""(s) => { const r = document.querySelector(s).getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }""", selector)


def mark_page(page) -> None:
    """Mark the page in the browser's memory: a reload forgets the mark (still_there)."""
    page.evaluate("() => { window.notReloaded = true; }")


def still_there(page) -> bool:
    return page.evaluate("() => window.notReloaded === true")


def tab_until(page, wanted, limit: int = 8) -> int:
    """Press Tab until `wanted(focused(page))`; the number of presses (fails after `limit`)."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if wanted(focused(page)):
            return presses
    raise AssertionError(f"not reached in {limit} Tab presses: now {focused(page)}")


def arrow_to(page, select_id: str, label: str, limit: int = 12) -> None:
    """ArrowDown in the focused list until `label` is chosen; the page must not reload."""
    assert focused(page)["id"] == select_id
    for _ in range(limit):
        if page.evaluate("(id) => { const s = document.getElementById(id); "
                         "return s.options[s.selectedIndex].text; }", select_id) == label:
            return
        page.keyboard.press("ArrowDown")
        assert still_there(page), "a change of the list reloaded the page"
    raise AssertionError(f"{label!r} not reached in {select_id}")


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def choose_by_keyboard(page, street: str, house: str, apartment: str) -> None:
    """Settlement → street → house → apartment with the keyboard alone, from a fresh page."""
    page.goto("/readings/manual/")
    mark_page(page)
    arrow_to(page, "settlement", "Москва г.")
    assert page.url.endswith("/readings/manual/")  # the arrows submitted nothing
    assert tab_until(page, lambda f: f["tag"] == "button") == 1
    assert focused(page)["text"] == "Выбрать населенный пункт"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    mark_page(page)
    arrow_to(page, "street", street)
    with page.expect_navigation():  # Enter in a list presses its «Выбрать»
        page.keyboard.press("Enter")
    mark_page(page)
    arrow_to(page, "house", house)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    mark_page(page)
    assert focused(page)["id"] == "apartment"
    page.keyboard.type(apartment)
    page.keyboard.press("ArrowDown")  # into the suggestions: no reload
    page.keyboard.press("Escape")
    assert still_there(page)
    assert page.input_value("#apartment") == apartment
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_reading_typed_from_the_keyboard_alone(page, bulk):
    log_in(page, *bulk_login())
    page.goto("/readings/manual/")
    assert focused(page)["id"] == "settlement"
    assert page.locator("#settlement option").all_inner_texts() == [
        "— выберите —", "Зеленоград г.", "Москва г."]
    shot(page, "1-settlement-1366")
    choose_by_keyboard(page, "Заводская ул.", "2", "12")
    # The apartment is chosen: its meter's card, with T1 focused.
    i = meter_index("Заводская ул.", 2, 12)
    number = bench_spreadsheets().meter_number(i)
    assert f"Индивидуальный прибор учета № {number}" in page.inner_text(".meter-card")
    assert "Москва г., Заводская ул., д. 2, кв. 12" in page.inner_text(".meter-card")
    assert focused(page)["id"] == "t1"
    shot(page, "2-card-1366")

    # From the page's first focus point T1 is at most three Tab stops away: «К показаниям».
    page.evaluate("() => { document.body.tabIndex = -1; document.body.focus(); "
                  "document.body.removeAttribute('tabindex'); }")
    assert focused(page)["tag"] == "body"
    assert tab_until(page, lambda f: f["text"] == "К показаниям", limit=3) == 1
    shot(page, "3-skip-link-1366")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "t1"

    # A refusal: the focus goes to its reasons, which name the field.
    page.keyboard.type("1")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    errors = focused(page)
    assert errors["id"] == "entry-errors" and errors["role"] == "alert" and errors["visible"]
    assert errors["text"].startswith("Показания не приняты: Т1 меньше последних учтенных")
    assert page.get_attribute("#t1", "aria-invalid") == "true"
    shot(page, "4-refused-1366")

    # Typed again and sent with Enter («Отправить»): the focus is on the message, in view.
    page.click("#entry-errors a")  # the reason leads to its field
    assert focused(page)["id"] == "t1"
    page.fill("#t1", "")
    values = typed_values(i)
    for k, value in enumerate(values):
        if k:
            page.keyboard.press("Tab")
        page.keyboard.type(value)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    shot(page, "5-sent-1366")
    message = focused(page)
    assert message == {"id": "entry-message", "tag": "p", "role": "status", "name": None,
                       "text": f"Показания по счетчику № {number} успешно отправлены",
                       "visible": True}
    shot(page, "5-sent-1366")

    # «Отправить и следующая квартира»: apartment 13 next, T1 focused, the message in view.
    tab_until(page, lambda f: f["id"] == "t1")  # past «Дата показания»
    for k, value in enumerate(typed_values(i, more=5)):  # a little more than before
        if k:
            page.keyboard.press("Tab")
        page.keyboard.type(value)
    tab_until(page, lambda f: f["text"] == "Отправить и следующая квартира")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert focused(page)["id"] == "t1"
    assert "Москва г., Заводская ул., д. 2, кв. 13" in page.inner_text(".meter-card")
    assert page.inner_text("#entry-message") == (
        f"Показания по счетчику № {number} успешно отправлены. Они заменили показания, "
        "переданные ранее в этом периоде")
    assert in_view(page, "#entry-message")
    shot(page, "6-next-apartment-1366")

    # A dozen sends on, the message is still beside the form and in view.
    for apartment in range(13, 25):
        j = meter_index("Заводская ул.", 2, apartment)
        for k, value in enumerate(typed_values(j)):
            page.fill(f"#t{k + 1}", value)
        with page.expect_navigation():
            page.click("button:has-text('Отправить и следующая квартира')")
        assert focused(page)["id"] == "t1"
        assert page.inner_text("#entry-message") == (
            f"Показания по счетчику № {bench_spreadsheets().meter_number(j)} успешно отправлены")
        assert in_view(page, "#entry-message")
    assert "кв. 25" in page.inner_text(".meter-card")
    assert page.inner_text("#submitted p") == "Всего: 13"
    shot(page, "7-dozen-sends-1366")


def test_the_keyboard_walk_at_phone_width(page, bulk):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, *bulk_login())
    choose_by_keyboard(page, "Лесная ул.", "1", "255")
    assert focused(page)["id"] == "t1"
    shot(page, "8-card-390")
    i = meter_index("Лесная ул.", 1, 255)
    for k, value in enumerate(typed_values(i)):
        page.fill(f"#t{k + 1}", value)
    page.focus("#t1")
    tab_until(page, lambda f: f["text"] == "Отправить и следующая квартира")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert focused(page)["id"] == "t1" and focused(page)["visible"]
    assert "кв. 256" in page.inner_text(".meter-card")
    assert in_view(page, "#entry-message")
    shot(page, "9-next-apartment-390")
    # The house's last apartment: the walk ends with the house, the message focused.
    for k, value in enumerate(typed_values(i + 1)):
        page.fill(f"#t{k + 1}", value)
    with page.expect_navigation():
        page.click("button:has-text('Отправить и следующая квартира')")
    message = focused(page)
    assert message["id"] == "entry-message" and message["visible"]
    assert page.inner_text(".flash.info") == "Это была последняя квартира дома"
    assert focused(page)["text"].startswith("Показания по счетчику № ")
    shot(page, "10-house-done-390")
    # An apartment the house does not have: the focus goes to the error, naming the field.
    page.focus("#apartment")
    page.keyboard.press("Control+A")
    page.keyboard.type("300")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    error = focused(page)
    assert error["id"] == "apartment-error" and error["role"] == "alert" and error["visible"]
    assert error["text"] == "Квартира: «300» нет среди квартир этого дома. Введите номер из списка"
    assert page.get_attribute("#apartment", "aria-invalid") == "true"
    shot(page, "11-unknown-apartment-390")


def test_without_javascript_each_step_and_the_walk_work_the_same(browser, live_server, bulk):
    context = browser.new_context(base_url=live_server, viewport={"width": 1366, "height": 768},
                                  locale="ru-RU", java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, *bulk_login())
        page.goto("/readings/manual/")
        page.select_option("#settlement", label="Москва г.")
        with page.expect_navigation():
            page.click("button:has-text('Выбрать населенный пункт')")
        page.select_option("#street", label="Кленовая ул.")
        with page.expect_navigation():
            page.click("button:has-text('Выбрать улицу')")
        page.select_option("#house", label="2")
        with page.expect_navigation():
            page.click("button:has-text('Выбрать дом')")
        page.fill("#apartment", "7")
        with page.expect_navigation():
            page.press("#apartment", "Enter")
        assert "Москва г., Кленовая ул., д. 2, кв. 7" in page.inner_text(".meter-card")
        page.wait_for_function("document.activeElement.id === 't1'")  # the browser's autofocus
        i = meter_index("Кленовая ул.", 2, 7)
        for k, value in enumerate(typed_values(i)):
            page.fill(f"#t{k + 1}", value)
        with page.expect_navigation():
            page.click("button:has-text('Отправить и следующая квартира')")
        assert "Москва г., Кленовая ул., д. 2, кв. 8" in page.inner_text(".meter-card")
        assert page.inner_text("#entry-message") == (
            f"Показания по счетчику № {bench_spreadsheets().meter_number(i)} успешно отправлены")
        page.wait_for_function("document.activeElement.id === 't1'")
        assert in_view(page, "#entry-message")
    finally:
        context.close()
