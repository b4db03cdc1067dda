"""The drills' fault points (lkk_integration/faults.py): inert unless armed, fired once."""
from __future__ import annotations

import pytest

from lkk_integration import faults
from lkk_integration.faults import ENV, arm, fault_point


def test_a_fault_point_is_inert_without_the_folder_and_fires_once_when_armed(tmp_path,
                                                                             monkeypatch):
    slept = []
    monkeypatch.setattr(faults.time, "sleep", slept.append)
    arm(tmp_path, "send.committed", "sleep 2.5")
    monkeypatch.delenv(ENV, raising=False)
    fault_point("send.committed")
    assert slept == [] and (tmp_path / "send.committed").exists()
    monkeypatch.setenv(ENV, str(tmp_path))
    fault_point("send.other")  # another point: not armed
    fault_point("send.committed")
    assert slept == [2.5] and list(tmp_path.iterdir()) == []  # taken and removed
    fault_point("send.committed")
    assert slept == [2.5]


@pytest.mark.parametrize("content", ["explode", "sleep never", "sleep 99999", "kill now"])
def test_a_file_with_anything_else_is_ignored_and_its_content_not_logged(tmp_path, monkeypatch,
                                                                         caplog, content):
    monkeypatch.setenv(ENV, str(tmp_path))
    monkeypatch.setattr(faults.time, "sleep", lambda _s: pytest.fail("slept"))
    arm(tmp_path, "send.committed", content)
    fault_point("send.committed")
    assert list(tmp_path.iterdir()) == []
    assert "ignored" in caplog.text and content not in caplog.text


def test_a_symbolic_link_is_not_followed(tmp_path, monkeypatch, caplog):
    secret = tmp_path / "env"
    secret.write_text("kill")
    folder = tmp_path / "faults"
    folder.mkdir()
    (folder / "send.committed").symlink_to(secret)
    monkeypatch.setenv(ENV, str(folder))
    monkeypatch.setattr(faults.os, "kill", lambda *_a: pytest.fail("killed"))
    fault_point("send.committed")
    assert secret.read_text() == "kill" and "ignored" in caplog.text
