"""Spreadsheet intake's limits come from the configuration the core was made with."""
from __future__ import annotations

import dataclasses

import pytest

from lkk_integration.errors import UnreadableFile
from tests.support.spreadsheets import ROW, xlsx


def test_limits_follow_the_configuration(core):
    from lkk_integration.spreadsheets.upload import upload_readings_file

    core.config = dataclasses.replace(core.config, upload_max_rows=3)
    with pytest.raises(UnreadableFile):
        upload_readings_file(core, 1, 1, "big.xlsx", xlsx([ROW] * 5))
