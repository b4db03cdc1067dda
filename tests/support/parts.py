"""The real parts a test may need (PostgreSQL, LibreOffice, Chromium, …) and where the tests run:
a missing part skips on a newcomer's machine and fails in CI (LKK_REQUIRE_ALL=1)."""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

REQUIRE_ALL = os.environ.get("LKK_REQUIRE_ALL") == "1"
# The PostgreSQL database of the tests; empty: each test has a SQLite file of its own.
PG_URL = os.environ.get("LKK_TEST_DATABASE_URL", "")
# The project's folder, tests/, and what tests open by path: the spreadsheets real programs
# saved (tests/files/), an old database (tests/databases/), the outside SOAP clients' sources.
ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
FILES = TESTS / "files"
DATABASES = TESTS / "databases"
CLIENTS = TESTS / "support" / "clients"


def need(available: bool, part: str, how: str) -> None:
    """Skip (newcomer's machine) or fail (CI, LKK_REQUIRE_ALL=1) when a real part is missing."""
    if available:
        return
    message = f"{part} is not available: {how}"
    if REQUIRE_ALL:
        pytest.fail(message + " (LKK_REQUIRE_ALL=1 turns this skip into a failure)")
    pytest.skip(message)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
