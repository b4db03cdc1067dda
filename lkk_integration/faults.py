"""Named fault points for the fault drills (tests/integration/test_fault_drills.py); inert in
production.

With LKK_FAULT_DIR set, the fault point `name` fires when the file <LKK_FAULT_DIR>/<name>
exists. The first process to take the file (an atomic rename: one process of many) runs the
action written in it, once:
  kill            the process kills itself with SIGKILL — a worker dying mid-request, with its
                  transaction open and no chance to clean up;
  sleep SECONDS   the process waits (at most 600 s), holding the request — an answer that
                  comes after the client's timeout.
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

    An armed file that is a symbolic link, or holds anything but `kill` or `sleep SECONDS`, is
    removed and ignored with a warning; what it holds is never logged.
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
    try:
        descriptor = os.open(taken, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(descriptor, encoding="utf-8") as file:
            action = file.read(64).split()
    except (OSError, UnicodeDecodeError):
        action = []
    finally:
        os.unlink(taken)
    if action == ["kill"]:
        log.warning("fault point %s fires: kill", name)
        os.kill(os.getpid(), signal.SIGKILL)
    elif (len(action) == 2 and action[0] == "sleep"
          and (seconds := _seconds(action[1])) is not None):
        log.warning("fault point %s fires: sleep %s s", name, seconds)
        time.sleep(seconds)
    else:
        log.warning("fault point %s: the armed file is not `kill` or `sleep SECONDS`; ignored",
                    name)


def _seconds(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 <= value <= 600 else None


def warn_if_enabled() -> None:
    """Log a warning when LKK_FAULT_DIR is set: drills only, never production."""
    if os.environ.get(ENV):
        log.warning("%s is set: fault points can be armed from %s (fault drills only, never "
                    "production)", ENV, os.environ[ENV])


def arm(folder: os.PathLike | str, name: str, action: str) -> None:
    """Arm the fault point `name` in `folder` with `action` (`kill`, `sleep 3`): for drills."""
    path = os.path.join(folder, name)
    with open(path + ".arming", "w", encoding="utf-8") as file:
        file.write(action)
    os.replace(path + ".arming", path)
