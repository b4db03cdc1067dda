"""Numbers from paths, query strings and forms: ids and page numbers as people and pages send
them."""
from __future__ import annotations

from flask import request
from werkzeug.routing import IntegerConverter, Map

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


class IdConverter(IntegerConverter):
    """`<id:name>` in a route: an id as number() reads one — ASCII digits (werkzeug's int takes
    «٣» for 3), at most MAX_ID; anything else is a 404."""

    regex = r"[0-9]+"

    def __init__(self, map: Map) -> None:
        super().__init__(map, max=MAX_ID)
