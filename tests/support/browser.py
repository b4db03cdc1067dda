"""The cabinet in a real browser (Playwright driving Debian's Chromium): signing in and pressing
a button that submits its form."""
from __future__ import annotations

from .cabinet import EMAIL, PASSWORD


def log_in(page, email: str = EMAIL, password: str = PASSWORD) -> None:
    """Sign in through the login page and wait for the page it leads to."""
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():  # the next page, loaded with its stylesheet
        page.click("button:has-text('Войти')")


def press(page, button: str) -> None:
    """Click a button that submits its form, and wait for the next page."""
    with page.expect_navigation():
        page.click(f"button:has-text('{button}')")
