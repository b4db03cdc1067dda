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


def test_an_unknown_action_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV, str(tmp_path))
    arm(tmp_path, "send.committed", "explode")
    with pytest.raises(ValueError, match="unknown action"):
        fault_point("send.committed")
