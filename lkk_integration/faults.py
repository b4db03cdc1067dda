"""Named fault points for the fault drills (tests/test_fault_drills.py); inert in production.

With LKK_FAULT_DIR set, the fault point `name` fires when the file <LKK_FAULT_DIR>/<name>
exists. The first process to take the file (an atomic rename: one process of many) runs the
action written in it, once:
  kill            the process kills itself with SIGKILL — a worker dying mid-request, with its
                  transaction open and no chance to clean up;
  sleep SECONDS   the process waits, holding the request — an answer that comes after the
                  client's timeout.
Without LKK_FAULT_DIR, or without the file, a fault point does nothing.
"""
from __future__ import annotations

import logging
import os
import signal
import time

log = logging.getLogger(__name__)

ENV = "LKK_FAULT_DIR"


def fault_point(name: str) -> None:
    """Run the drill's action armed for `name`, if any (see the module's docstring).

    Raises ValueError for an armed file whose action is neither `kill` nor `sleep SECONDS`.
    """
    folder = os.environ.get(ENV)
    if not folder:
        return
    armed = os.path.join(folder, name)
    taken = f"{armed}.taken-{os.getpid()}"
    try:
        os.rename(armed, taken)
    except FileNotFoundError:
        return
    with open(taken, encoding="utf-8") as file:
        action = file.read().split()
    os.unlink(taken)
    log.warning("fault point %s fires: %s", name, " ".join(action))
    if action == ["kill"]:
        os.kill(os.getpid(), signal.SIGKILL)
    elif len(action) == 2 and action[0] == "sleep":
        time.sleep(float(action[1]))
    else:
        raise ValueError(f"fault point {name}: unknown action {action!r}")


def arm(folder: os.PathLike | str, name: str, action: str) -> None:
    """Arm the fault point `name` in `folder` with `action` (`kill`, `sleep 3`): for drills."""
    path = os.path.join(folder, name)
    with open(path + ".arming", "w", encoding="utf-8") as file:
        file.write(action)
    os.replace(path + ".arming", path)
