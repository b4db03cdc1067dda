"""Files the cabinet gives to download: one way to name them in Content-Disposition."""
from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import quote

from flask import Response

XLS = "application/vnd.ms-excel"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TYPES = {".xls": XLS, ".xlsx": XLSX}


def attachment(data: bytes, filename: str, shown_name: str) -> Response:
    """`data` as a download of the type its extension names (.xls, .xlsx): saved as
    `shown_name` plus that extension (any script; RFC 6266's filename*, percent-encoded UTF-8
    as RFC 5987 says), or as `filename` (ASCII) by a client that reads only filename."""
    suffix = PurePosixPath(filename).suffix
    encoded = quote(shown_name + suffix, safe="")
    return Response(data, mimetype=_TYPES[suffix], headers={
        "Content-Disposition": f"attachment; filename=\"{filename}\"; "
                               f"filename*=UTF-8''{encoded}"})
