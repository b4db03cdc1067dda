"""The API's token in a real browser (docs/spec.md §3.4, §21): made in «Настройки», shown
once, used by a program, listed with its last call, revoked; the API's description page.
Screenshots go to var/screenshots/api/ (not committed)."""
from __future__ import annotations

import pytest
import requests

from tests.support.browser import log_in, press
from tests.support.cabinet import PASSWORD, activate
from tests.support.parts import ROOT

pytestmark = pytest.mark.once

SHOTS = ROOT / "var" / "screenshots" / "api"


def test_a_token_is_made_used_and_revoked_in_the_settings(page, organization, live_server):
    activate(organization, PASSWORD)
    log_in(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/settings/")
    page.get_by_label("Название нового токена").fill("1С:ЖКХ")
    press(page, "Создать токен")
    token = page.get_by_label("Токен", exact=True).input_value()
    assert token.startswith("lkk_")
    assert page.evaluate("document.activeElement.id") == "new-token"
    page.screenshot(path=str(SHOTS / "settings-new-token.png"), full_page=True)
    answer = requests.get(f"{live_server}/api/v1/houses",
                          headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert answer.status_code == 200
    page.goto("/settings/")
    listed = " ".join(page.locator("table.tokens").inner_text().split())
    assert "1С:ЖКХ" in listed and token[:8] in listed and "не было" not in listed
    assert token not in page.content()
    press(page, "Отозвать токен 1С:ЖКХ")
    assert "Токен «1С:ЖКХ» отозван" in page.locator(".flash.success").inner_text()
    page.screenshot(path=str(SHOTS / "settings-revoked.png"), full_page=True)
    assert requests.get(f"{live_server}/api/v1/houses",
                        headers={"Authorization": f"Bearer {token}"},
                        timeout=10).status_code == 401
    page.goto("/api/v1/docs")
    shown = page.inner_text("main")
    for operation in ("GET /api/v1/houses", "POST /api/v1/readings", "GET /api/v1/readings",
                      "DELETE /api/v1/readings/{reading_id}"):
        assert operation in shown, operation
    assert "Idempotency-Key" in shown and "meter_repeated" in shown
    page.screenshot(path=str(SHOTS / "docs.png"), full_page=True)
