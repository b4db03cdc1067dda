"""The lkk command reads LKK_LOG_LEVEL in any case and names an unknown one; upgrade-db runs on a
SQLite file."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("level, refused", [("debug", False), (" Warning ", False),
                                            ("verbose", True)])
def test_the_log_level_is_read_in_any_case_and_an_unknown_one_named(tmp_path, monkeypatch,
                                                                   level, refused):
    from click.testing import CliRunner

    from lkk_web.cli import main

    monkeypatch.setenv("LKK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("LKK_DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    monkeypatch.setenv("LKK_LOG_LEVEL", level)
    result = CliRunner().invoke(main, ["upgrade-db"])
    if refused:
        assert result.exit_code == 1 and "LKK_LOG_LEVEL must be one of" in result.output
    else:
        assert result.exit_code == 0 and "Database upgraded" in result.output
