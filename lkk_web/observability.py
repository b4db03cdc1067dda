"""One request id per request, for logs, error pages and SOAP faults; one structured access log
line per request, with link tokens taken out of paths (docs/operations.md, "Logs")."""
from __future__ import annotations

import json
import logging
import re
import time
import uuid

from werkzeug.exceptions import ClientDisconnected
from werkzeug.serving import DechunkedInput

log = logging.getLogger("lkk.access")

ENVIRON_KEY = "lkk.request_id"
# A caller's X-Request-Id (a proxy's, say) is kept when it looks like one.
_GIVEN = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Paths that carry a capability: /password/<token>, /email/<token>.
_TOKEN_PATH = re.compile(r"^/+(password|email)/+[^/?]+")


def request_id(environ: dict) -> str:
    """The request's id (set by RequestIds; a new one for a request that bypassed it)."""
    return environ.setdefault(ENVIRON_KEY, uuid.uuid4().hex[:16])


def shown_path(path: str) -> str:
    """A path as logs may keep it: a link's token is replaced by «…»."""
    return _TOKEN_PATH.sub(lambda m: f"/{m.group(1)}/…", path)


class RequestIds:
    """WSGI middleware: gives each request an id (X-Request-Id in and out) and writes one JSON
    access line when the response starts: id, method, path without query or tokens, status,
    milliseconds. Query strings are never logged (they may carry personal data)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        given = environ.get("HTTP_X_REQUEST_ID", "")
        environ[ENVIRON_KEY] = given if _GIVEN.fullmatch(given) else uuid.uuid4().hex[:16]
        started = time.perf_counter()

        def start(status, headers, exc_info=None):
            headers = [h for h in headers if h[0].lower() != "x-request-id"]
            headers.append(("X-Request-Id", environ[ENVIRON_KEY]))
            log.info(json.dumps({
                "request_id": environ[ENVIRON_KEY], "method": environ.get("REQUEST_METHOD"),
                "path": shown_path(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")),
                "status": int(status.split()[0]),
                "ms": round((time.perf_counter() - started) * 1000, 1)}, ensure_ascii=False))
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


class _ClientStream:
    """A request body stream whose read errors are the client's (werkzeug's
    ClientDisconnected, a 400), whatever server delivers it."""

    def __init__(self, stream):
        self._stream = stream

    def _call(self, method: str, *args):
        try:
            return getattr(self._stream, method)(*args)
        except ClientDisconnected:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever the server's reader raises
            raise ClientDisconnected() from exc

    def read(self, size: int = -1):
        if isinstance(self._stream, DechunkedInput):
            return self._dechunked(size)
        return self._call("read", size)

    def _dechunked(self, size: int) -> bytes:
        """Read werkzeug's development server's chunked input through readinto into our own
        buffers. Its readinto trusts the chunk size: when the client's bytes end before a chunk
        as long as it said (ffffffffffffffffffff), it reports bytes it never wrote, and
        io.RawIOBase.read copies them from past its buffer: a segmentation fault. A buffer
        that came back shorter than filled is a body cut off."""
        parts, wanted = [], (size if size is not None and size >= 0 else None)
        while wanted is None or wanted > 0:
            buffer = bytearray(min(wanted, 65536) if wanted is not None else 65536)
            count = self._call("readinto", buffer)
            if not count:
                break
            if count > len(buffer):
                raise ClientDisconnected()
            parts.append(bytes(buffer[:count]))
            if wanted is not None:
                wanted -= count
        return b"".join(parts)

    def readline(self, *args):
        return self._call("readline", *args)

    def readlines(self, *args):
        return self._call("readlines", *args)

    def __iter__(self):
        return iter(self.readline, b"")


class UnreadableBodies:
    """WSGI middleware: a request body the server cannot deliver — a chunk size that is no
    number or a chunk without its line end (gunicorn raises its ParseException kinds from the
    read, werkzeug's server an OSError), a body cut off — answers 400 on every page and form,
    never 500: the bytes are the client's."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if "wsgi.input" in environ:
            environ["wsgi.input"] = _ClientStream(environ["wsgi.input"])
        return self.app(environ, start_response)
