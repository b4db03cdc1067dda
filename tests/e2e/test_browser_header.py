"""The header of every cabinet page in a real browser (Playwright + Debian's Chromium): at phone
width (390×844) it leaves the page its room, at 1366×768 it stays one row; both say when the
period closes (docs/spec.md §0). Screenshots go to var/screenshots/ (not committed)."""
from __future__ import annotations

import pytest

from tests.support.browser import log_in
from tests.support.cabinet import PASSWORD, activate
from tests.support.parts import ROOT

pytestmark = pytest.mark.once
SCREENSHOTS = ROOT / "var" / "screenshots"
CLOSES = "Приём показаний до 24:00 26 марта (МСК)"


def above_main(page) -> float:
    """Pixels from the top of the page to the top of its content (header and menu)."""
    return page.evaluate("document.querySelector('main').getBoundingClientRect().top")


@pytest.mark.parametrize("width, height, most", [(390, 844, 100), (1366, 768, 90)])
def test_the_header_is_compact_and_says_when_the_period_closes(
        browser, live_server, organization, width, height, most):
    activate(organization, PASSWORD)
    context = browser.new_context(base_url=live_server, locale="ru-RU",
                                  viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        log_in(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"header-{width}.png"))
        for path in ("/", "/readings/manual/", "/readings/file"):
            page.goto(path)
            assert CLOSES in page.inner_text("nav.menu")
            assert above_main(page) <= most, (path, above_main(page))
            # Nothing of the header is cut off sideways or wider than the screen.
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            for name in ("Выход", "Главная", "Передача показаний", "Настройки"):
                assert page.get_by_role("link", name=name).or_(
                    page.get_by_role("button", name=name)).first.is_visible(), name
        assert "ООО «УК «Тестовая»" in page.inner_text("header")
        assert "8 800 000-00-00" in page.inner_text("header")
    finally:
        context.close()
