"""`lkk demo-large`: the demo plus the 20,000-meter organization, and its filled template
(lkk_integration/organizations/bulk.py)."""
from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from lkk_integration.models import House, Meter
from lkk_integration.organizations import bulk
from lkk_integration.spreadsheets.buffer import current_buffer
from lkk_integration.spreadsheets.sample import fill_template
from lkk_integration.spreadsheets.template import build_xlsx, rows_for_template
from lkk_integration.spreadsheets.upload import upload_readings_file
from lkk_web.cli import main

from tests.support.cabinet import log_in, page_text


def test_demo_large_builds_the_20000_meter_organization_and_prints_its_login(
        tmp_path, monkeypatch):
    monkeypatch.setenv("LKK_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("LKK_DATABASE_URL", raising=False)
    result = CliRunner().invoke(main, ["demo-large", "--no-serve", "--no-file"])
    assert result.exit_code == 0, result.output
    assert "Login:        demo@example.org" in result.output
    assert "Large organization (20,224 meters in 79 houses)" in result.output
    assert f"Login:      {bulk.LARGE_EMAIL}" in result.output
    assert f"Password:   {bulk.LARGE_PASSWORD}" in result.output
    assert not (tmp_path / "large_readings.xlsx").exists()
    from lkk_integration.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    with engine.connect() as c:
        houses = c.scalar(select(func.count()).select_from(House).where(
            House.billing_id.like("BL-H%")))
        meters = c.scalar(select(func.count()).select_from(Meter).where(
            Meter.billing_id.like("BL-M%")))
    engine.dispose()
    assert (houses, meters) == (79, 20_224)


def test_the_filled_template_leaves_rows_empty_and_some_wrong(core, client):
    large = bulk.bulk_organization(core, 64, per_house=16)
    template = build_xlsx(rows_for_template(core, large.organization_id, large.house_ids))
    filled = fill_template(template, bulk.typed_values(64, 50), dt.date(2026, 3, 18))
    upload_readings_file(core, large.person_id, large.organization_id, "large.xlsx", filled)
    buffer = current_buffer(core, large.organization_id)
    # 14 meters not read; of the 50 typed, the 4th, 20th and 36th carry a mistake.
    assert (buffer.valid, buffer.wrong, buffer.unfilled) == (47, 17, 14)
    shown = page_text(log_in(client, bulk.LARGE_EMAIL, bulk.LARGE_PASSWORD).text)
    assert "Всего: 4" in shown


@pytest.mark.parametrize("command", ["demo", "demo-large"])
def test_a_demo_not_served_leaves_no_database_connection_open(tmp_path, monkeypatch, command):
    # An SQLite connection left to the garbage collector is a ResourceWarning on Python 3.13.
    import lkk_web.cli as cli

    made = []

    def create_core(*args, **kwargs):
        made.append(cli_create_core(*args, **kwargs))
        return made[-1]

    cli_create_core = cli.create_core
    monkeypatch.setattr(cli, "create_core", create_core)
    monkeypatch.setenv("LKK_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("LKK_DATABASE_URL", raising=False)
    result = CliRunner().invoke(main, [command, "--no-serve"] + (
        ["--no-file"] if command == "demo-large" else []))
    assert result.exit_code == 0, result.output
    assert [core.engine.pool.checkedin() for core in made] == [0]
