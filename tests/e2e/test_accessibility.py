"""axe-core over every page of the cabinet, in Chromium at 1366×768 and 390×844 (docs/spec.md
§0): no violation on any page, in the states a contact person meets them (a buffer with wrong
rows and a house opened, a meter chosen for manual entry, an error shown, a send done, a file
sent twice, the deadline near, the period closed with a file not sent), and the
administrator's pages. At phone width no table scrolls sideways: its rows are cards. Screenshots
go to var/screenshots/axe/ (not committed)."""
from __future__ import annotations

import copy
import datetime as dt

import pytest
from sqlalchemy import select

from lkk_integration.models import ContactPerson, House, Organization
from lkk_integration.signin.administrators import create_admin
from lkk_integration.signin.contact_persons import issue_token

from tests.support.accessibility import axe_source, violations
from tests.support.browser import log_in, press
from tests.support.cabinet import PASSWORD, activate, meter_id
from tests.support.organizations import meter, story_organization
from tests.support.parts import ROOT
from tests.support.spreadsheets import spreadsheet

pytestmark = pytest.mark.once
SHOTS = ROOT / "var" / "screenshots" / "axe"
WIDTHS = {"1366": {"width": 1366, "height": 768}, "390": {"width": 390, "height": 844}}
DAY = dt.date(2026, 3, 19)
ADMIN, ADMIN_PASSWORD = "admin@retailer.example", "Admin2026pass"
# Rows of a filled file: a valid one, a wrong one (T2 below the last reading), one not filled.
ROWS = [["1", "00215090", 1100, None, None, DAY], ["2", "066823", 5, 310, None, DAY],
        ["3", "00300001", None, None, None, None]]


@pytest.fixture
def organization(core, zeep_client):
    """The story's organization with a second account in apartment 5 (two meters to choose
    from there, docs/spec.md §6); its core."""
    story = copy.deepcopy(story_organization())
    story["Houses"]["House"][0]["Accounts"]["Account"].append(
        {"Number": "100006", "Apartment": "5", "ConsumerName": "Абонент Второй",
         "Meters": {"Meter": [dict(meter("M-G", "00300004", 1, ["50"]), MeterId="ORG-1-M-G")]}})
    zeep_client.service.RegisterOrganization(RequestId="reg", Organization=story)
    return core


@pytest.fixture(params=sorted(WIDTHS))
def at_width(request, browser, live_server):
    # bypass_csp: the page's Content-Security-Policy forbids the injected axe script.
    context = browser.new_context(base_url=live_server, viewport=WIDTHS[request.param],
                                  locale="ru-RU", bypass_csp=True)
    yield request.param, context.new_page()
    context.close()


def sideways(page) -> int:
    """How far the page scrolls sideways, px (0: it fits its width)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


class Audit:
    """axe's violations of the pages shown, each line prefixed with the page's name; a
    screenshot of each page kept; a page that scrolls sideways is a violation too."""

    def __init__(self, page, width: str):
        self.page, self.width, self.source, self.found = page, width, axe_source(), []

    def __call__(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        # From the top: a toolbar that sticks while scrolled would cover rows in a full shot.
        self.page.evaluate("() => window.scrollTo(0, 0)")
        self.page.screenshot(path=str(SHOTS / f"{name}-{self.width}.png"), full_page=True)
        self.found += [f"{name}: {line}" for line in violations(self.page, self.source)]
        wider = sideways(self.page)
        if wider:
            self.found.append(f"{name}: the page scrolls sideways by {wider} px")

    def check(self) -> None:
        assert not self.found, "\n".join(self.found)


@pytest.fixture
def audit(at_width):
    width, page = at_width
    return page, Audit(page, width)


def signed_in_again(page) -> None:
    """Sign in again if the session expired while the clock jumped."""
    page.goto("/login")
    if page.locator("input[name=password]").count():
        log_in(page)


def choose(page, field: str) -> None:
    """Press «Выбрать» of the manual entry's step holding `field`, and wait for the page."""
    with page.expect_navigation():
        page.click(f"form.step:has({field}) button")


def upload_rows(page, tmp_path, rows=ROWS) -> None:
    """Upload `rows` as filled.xlsx; the same rows give the same file (the same content hash,
    docs/spec.md §11.1), written once."""
    filled = tmp_path / f"{abs(hash(repr(rows)))}" / "filled.xlsx"
    if not filled.exists():
        filled.parent.mkdir()
        filled.write_bytes(spreadsheet("xlsx", rows))
    page.goto("/readings/file")
    page.set_input_files("input[type=file]", str(filled))
    with page.expect_navigation(url="**/readings/file*"):
        page.click("button:has-text('Загрузить и обработать')")


def test_the_sign_in_pages_pass_axe(audit, organization):
    page, audited = audit
    page.goto("/login")
    audited("login")
    page.fill("input[name=email]", "nobody@example.org")
    page.fill("input[name=password]", "wrong-password-1")
    press(page, "Войти")
    audited("login-refused")
    page.goto("/password/forgot")
    audited("forgot")
    page.fill("input[name=email]", "nobody@example.org")
    press(page, "Продолжить")
    audited("forgot-sent")
    with organization.uow() as uow:
        person = uow.session.scalars(select(ContactPerson)).one()
        token = issue_token(uow.session, organization, person, "activation")
        uow.commit()
    page.goto(f"/password/{token}")
    audited("password")
    page.fill("input[name=password]", "Kabinet2026x")
    page.fill("input[name=repeat]", "Kabinet2026y")
    press(page, "Установить пароль")
    audited("password-mismatch")
    page.goto("/password/not-a-token")
    audited("password-link-invalid")
    page.goto("/no-such-page")
    audited("not-found")
    audited.check()


def test_the_cabinet_pages_pass_axe(audit, organization):
    page, audited = audit
    activate(organization, PASSWORD)
    log_in(page)
    audited("main")
    page.click("table a[href^='/houses/']")
    page.wait_for_load_state()
    audited("house")
    page.click("nav.filters a:has-text('Без показаний')")
    page.wait_for_load_state()
    audited("house-missing")
    page.goto("/settings/")
    audited("settings")
    page.fill("input[name=current]", "Wrong2026pass")
    page.fill("input[name=new]", "Kabinet2027x")
    page.fill("input[name=repeat]", "Kabinet2027x")
    press(page, "Сменить пароль")
    audited("settings-wrong-password")

    page.goto("/readings/manual/")
    audited("manual")
    page.goto("/readings/manual/?kind=individual&settlement=Москва г.")
    audited("manual-settlement")
    page.goto("/readings/manual/?kind=individual&settlement=Москва г.&street=Вавилова ул.")
    audited("manual-street")
    page.goto("/")
    page.click("table a[href*='/readings/manual/?house=']")
    page.wait_for_load_state()
    audited("manual-house")
    page.fill("#apartment", "99")
    choose(page, "#apartment")
    assert page.locator("#apartment-error").count() == 1
    audited("manual-apartment-unknown")
    page.fill("#apartment", "5")
    choose(page, "#apartment")
    assert page.locator("table.choose tbody tr").count() == 2
    audited("manual-apartment-two-meters")
    page.goto(f"/readings/manual/{meter_id(organization, '066823')}")
    audited("manual-meter")
    page.locator("form.entry input[type=text]").first.fill("1")
    press(page, "Отправить")
    audited("manual-refused")
    page.fill("#t1", "600")
    page.fill("#t2", "350")
    press(page, "Отправить")
    audited("manual-sent")
    page.locator("#submitted input[type=radio]").first.check()
    press(page, "Удалить")
    audited("manual-delete-question")
    press(page, "Да")
    audited("manual-deleted")
    page.goto("/readings/manual/?kind=common_house")
    audited("manual-common-house")
    page.locator("#house").select_option(index=1)
    choose(page, "#house")
    assert page.locator("#t1").count() == 1
    audited("manual-common-house-meter")
    audited.check()


def test_the_file_pages_pass_axe(audit, organization, clock, tmp_path):
    page, audited = audit
    activate(organization, PASSWORD)
    log_in(page)
    page.goto("/readings/file")
    audited("file")
    page.click("summary:has-text('Скачать шаблон файла')")
    audited("file-template-dialog")
    upload_rows(page, tmp_path)
    audited("buffer")
    page.locator("table.houses th a").first.click()
    page.wait_for_load_state()
    audited("buffer-house-open")
    page.click("nav.filters a:has-text('Ошибочные показания')")
    page.wait_for_load_state()
    audited("buffer-wrong-rows")
    page.locator("#buffer input[type=checkbox][name=row]").first.check()
    press(page, "Удалить")
    audited("buffer-delete-question")
    page.goto("/readings/file")
    page.click("a:has-text('Отправить верные')")
    page.wait_for_load_state()
    audited("send-question")
    press(page, "Да")
    audited("sent-wrong-rows-left")
    page.goto("/")
    page.click("table a[href^='/houses/']")
    page.wait_for_load_state()
    audited("house-with-readings")
    upload_rows(page, tmp_path)
    page.click("a:has-text('Отправить верные')")
    page.wait_for_load_state()
    assert page.locator("#sent-before").count() == 1
    audited("send-question-sent-before")
    press(page, "Да")  # without «Да, отправить повторно»: asked again, with what it lacked
    audited("send-question-again")

    upload_rows(page, tmp_path, ROWS[1:] + [["4", "00300002", 6, 11, 16, DAY]])
    clock.set(dt.datetime(2026, 3, 26, 22, 0))
    signed_in_again(page)
    page.goto("/")
    audited("deadline-banner")
    clock.set(dt.datetime(2026, 3, 27, 0, 5))
    signed_in_again(page)
    page.goto("/readings/file")
    audited("period-closed-unsent")
    page.goto("/readings/manual/")
    audited("period-closed")
    audited.check()


def test_the_administrators_pages_pass_axe(audit, organization):
    page, audited = audit
    create_admin(organization, ADMIN, ADMIN_PASSWORD, ADMIN_PASSWORD)
    with organization.uow() as uow:
        organization_id = uow.session.scalar(select(Organization.id))
        house = uow.session.scalar(select(House.id))
    page.goto("/admin/login")
    audited("admin-login")
    page.fill("input[name=email]", ADMIN)
    page.fill("input[name=password]", "Wrong2026pass")
    press(page, "Войти")
    audited("admin-login-refused")
    page.fill("input[name=email]", ADMIN)
    page.fill("input[name=password]", ADMIN_PASSWORD)
    press(page, "Войти")
    audited("admin-home")
    page.fill("input[name=period_end_day]", "40")
    press(page, "Сохранить настройки")
    audited("admin-home-refused")
    page.goto("/admin/organizations")
    audited("admin-organizations")
    page.goto(f"/admin/organizations/{organization_id}")
    audited("admin-organization")
    page.goto(f"/admin/organizations/{organization_id}/houses/{house}")
    audited("admin-house")
    page.goto("/admin/audit")
    audited("admin-audit")
    audited.check()


@pytest.mark.parametrize("width", [620, 768, 1024])
def test_no_page_scrolls_sideways_at_a_tablets_width(browser, live_server, organization,
                                                     tmp_path, width):
    """Between the phone and the desktop the widest tables (a house's meters, the buffer's
    rows, the audit) are cards or fit: nothing scrolls sideways (docs/spec.md §0)."""
    context = browser.new_context(base_url=live_server, locale="ru-RU",
                                  viewport={"width": width, "height": 900})
    page = context.new_page()
    activate(organization, PASSWORD)
    log_in(page)
    upload_rows(page, tmp_path)
    page.locator("table.houses th a").first.click()
    page.wait_for_load_state()
    wide = [page.url] if sideways(page) else []
    page.click("a:has-text('Отправить верные')")
    page.wait_for_load_state()
    press(page, "Да")
    page.goto("/")
    page.click("table a[href^='/houses/']")
    page.wait_for_load_state()
    wide += [page.url] if sideways(page) else []
    create_admin(organization, ADMIN, ADMIN_PASSWORD, ADMIN_PASSWORD)
    page.goto("/admin/login")
    page.fill("input[name=email]", ADMIN)
    page.fill("input[name=password]", ADMIN_PASSWORD)
    press(page, "Войти")
    page.goto("/admin/audit")
    wide += [page.url] if sideways(page) else []
    context.close()
    assert not wide


def test_an_opened_house_and_a_focused_row_are_not_under_the_buffers_toolbar(
        at_width, organization, tmp_path):
    """The buffer's toolbar stays at the top while the page scrolls (docs/spec.md §11): the
    house a link opens (…#rows) and a row reached by Tab show below it, not hidden under it
    (WCAG 2.2 2.4.11, focus not obscured)."""
    _, page = at_width
    activate(organization, PASSWORD)
    log_in(page)
    upload_rows(page, tmp_path, ROWS * 12)
    page.locator("table.houses th a").first.click()
    page.wait_for_load_state()
    below = "(selector) => document.querySelector(selector).getBoundingClientRect().top"
    toolbar = "() => document.querySelector('#buffer .toolbar').getBoundingClientRect().bottom"
    assert page.evaluate(below, "#rows h3") >= page.evaluate(toolbar)
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.locator("#buffer input[name=row]").nth(3).focus()
    assert page.evaluate(below, "#buffer input[name=row]:focus") >= page.evaluate(toolbar)
