"""Numbers from query strings and forms: ids and page numbers as people and pages send them."""
from __future__ import annotations

from flask import request

# The largest id a column holds (PostgreSQL integer).
MAX_ID = 2_147_483_647


def number(raw: str | None, maximum: int = MAX_ID) -> int | None:
    """ASCII digits up to `maximum` as an int, else None (empty, «٣», «-1», «1e3», 5000 digits
    — the length is checked before int() reads them)."""
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(maximum))):
        return None
    value = int(raw)
    return value if value <= maximum else None


def page_number() -> int:
    """The `page` of the query string; 1 when absent or not a page number."""
    return number(request.args.get("page"), 999_999) or 1
