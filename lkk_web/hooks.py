"""What runs around every page: who is signed in, what every template sees, the security
headers."""
from __future__ import annotations

import dataclasses

from flask import Flask, g, request, session

from lkk_integration import messages as msg
from lkk_integration.clock import FixedClock
from lkk_integration.content import content_for_page, default_content
from lkk_integration.signin.contact_persons import resolve_session
from lkk_integration.spreadsheets.deadline import deadline_in_view

from . import core_of

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'")


def pin_request_clock() -> None:
    """g.core: the process's core with a clock standing at the instant this request began, so
    that the whole request is judged at one instant — a request begun before the period's
    close completes (docs/spec.md §5.1, §18.1)."""
    core = core_of()
    g.core = dataclasses.replace(core, clock=FixedClock(core.clock.now()))


def load_person() -> None:
    """g.person: the contact person the session's cookie names, or None."""
    if request.endpoint == "static" or request.blueprint == "probes":
        # Served without the database: a style sheet and liveness survive an outage.
        g.person = None
        return
    g.person = resolve_session(core_of(), session.get("token"))


def common() -> dict:
    """What every template sees: the administrators' content, the messages, the policy."""
    core = core_of()
    # Read per page: an administrator's edit shows on every process's next page. The error
    # page of a database outage still shows the phone to call, without asking the database
    # again (a hung server would hold the answer for another bound).
    content = (default_content(core.config) if g.get("database_unavailable")
               else content_for_page(core))
    # The contact person's pages show the period's close and, before it, a file not sent
    # (docs/spec.md §0, §11).
    in_view = (deadline_in_view(core, g.person.organization_id)
               if g.get("person") is not None and not g.get("database_unavailable") else None)
    return {"contact_phone": content.contact_phone, "content": content, "msg": msg,
            "config_policy": core.config.password_policy,
            "reception_url": content.reception_url, "in_view": in_view}


def security_headers(response):
    """The same protective headers on every answer; no caching of signed-in pages."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    if g.get("person") is not None or g.get("admin") is not None or \
            request.path.startswith(("/password/", "/email/", "/admin")):
        # Signed-in pages and pages whose URL carries a link's token.
        response.headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    """Install the hooks on `app`."""
    app.before_request(pin_request_clock)
    app.before_request(load_person)
    app.context_processor(common)
    app.after_request(security_headers)
