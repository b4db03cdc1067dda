"""The pages the cabinet answers with when a request does not go through: each error of the
core, of the form and of the database mapped once, for every view."""
from __future__ import annotations

from flask import (Flask, current_app, flash, g, jsonify, redirect, render_template, request,
                   session, url_for)
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from lkk_integration import errors
from lkk_integration import messages as msg
from lkk_integration.db import UNAVAILABLE, database_unavailable
from lkk_integration.signin.administrators import resolve_admin
from lkk_integration.signin.contact_persons import resolve_session
from lkk_integration.spreadsheets.buffer import unsent_buffer

from . import core_of
from .observability import request_id
from .probes import RETRY_AFTER


def csrf_failed(_error):
    """A form without its token, or with another session's: ask to repeat, on a page of ours."""
    flash(msg.FORM_EXPIRED, "error")
    if request.path.startswith("/admin"):
        from .admin import COOKIE_KEY

        signed_in = resolve_admin(core_of(), session.get(COOKIE_KEY))
        return redirect(url_for("admin.home") if signed_in else url_for("admin.login"))
    # The token is checked before load_person runs: look at the session here.
    person = g.get("person") or resolve_session(core_of(), session.get("token"))
    # Never back to the Referer: it is the sender's to choose (an open redirect).
    return redirect(url_for("cabinet.main") if person else url_for("auth.login"))


def refused(error: errors.LkkError):
    """Any refusal of the core that a view did not catch: its Russian message, never a 500."""
    flash(error.message, "error")
    return redirect(url_for("cabinet.main") if g.get("person") else url_for("auth.login"))


def period_closed(error: errors.PeriodClosed):
    """docs/spec.md §5.1: outside the period every readings function shows this page, under
    a statement of the file that was checked and not sent before the close (§11)."""
    unsent = (unsent_buffer(core_of(), g.person.organization_id)
              if g.get("person") is not None else None)
    return render_template("readings_closed.html", message=error.message, unsent=unsent), 403


def _api(status: int, code: str, detail: str, headers: dict | None = None):
    """Under /api/ the same refusal as an RFC 9457 problem (docs/spec.md §21.2), else None."""
    if not request.path.startswith("/api/"):
        return None
    from .api import error_problem

    return error_problem(status, code, detail, headers)


def not_found(_error):
    """An unknown address, or an id that is not the caller's to see (the core's NotFound):
    one page, so ids reveal nothing."""
    return _api(404, "not_found", msg.API_NOT_FOUND) or (
        render_template("error.html", message=msg.PAGE_NOT_FOUND), 404)


def not_allowed(error):
    """A method the address does not take (a GET of a form's target): 405 naming those it does."""
    allowed = ", ".join(sorted(getattr(error, "valid_methods", None) or ()))
    headers = {"Allow": allowed} if allowed else {}
    api = _api(405, "method_not_allowed", msg.api_method_not_allowed(allowed), headers)
    if api is not None:
        return api
    return (render_template("error.html", message=msg.METHOD_NOT_ALLOWED), 405,
            {"Allow": allowed} if allowed else {})


def internal(error):
    """A fault of ours: logged with the request's id, which the page gives (never a traceback)."""
    code = request_id(request.environ)
    cause = getattr(error, "original_exception", None) or (
        None if isinstance(error, HTTPException) else error)
    current_app.logger.error("internal error %s", code, exc_info=cause)
    return _api(500, "internal", msg.internal_error(code=code)) or (
        render_template("error.html", message=msg.internal_error(code=code)), 500)


def unavailable(error):
    """The database out of reach or read-only: 503, repeat later (else a fault of ours)."""
    if not database_unavailable(error):
        return internal(error)
    # What was in flight rolled back (or, cut during its COMMIT, went through): repeating
    # is safe either way — a repeated send finds its buffer sent, a reading typed again
    # in the same session is kept once.
    code = request_id(request.environ)
    current_app.logger.warning("database unavailable, request %s: %s", code,
                               type(getattr(error, "orig", error)).__name__)
    g.database_unavailable = True
    # A statement that waited past the statement timeout (SQLSTATE 57014), most often for
    # meters locked by other submissions: the database is there, only busy (docs/spec.md §13.9).
    busy = getattr(getattr(error, "orig", None), "sqlstate", None) == "57014"
    text = msg.database_busy(code=code) if busy else msg.service_unavailable(code=code)
    return _api(503, "unavailable", text, RETRY_AFTER) or (
        render_template("error.html", message=text), 503, RETRY_AFTER)


def bad_request(error):
    """A request werkzeug could not read (a broken chunked body, a body cut short): under
    /api/ a problem (docs/spec.md §21.2), elsewhere werkzeug's own page."""
    return _api(400, "bad_request", msg.API_BAD_REQUEST) or error


def too_large(_error):
    """A file past the upload bound: back to the file tab with the limit in the message (under
    /api/, the API's bound as a problem, docs/spec.md §21.2)."""
    if request.path.startswith("/api/"):
        from .api import MAX_BODY

        return _api(413, "too_large", msg.api_body_too_large(MAX_BODY))
    flash(msg.file_too_large(
        limit_mb=core_of().config.upload_max_bytes // (1024 * 1024)), "error")
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        # The page's script follows this answer; a redirect would spend the message.
        return jsonify(next=url_for("readings.file_tab")), 413
    return redirect(url_for("readings.file_tab"))


def buffer_gone(error: errors.BufferGone):
    """The buffer was sent or replaced meanwhile: back to the file tab, saying which."""
    flash(error.message, "error")
    return redirect(url_for("readings.file_tab"))


def register(app: Flask) -> None:
    """Install the handlers on `app`. Flask picks the most specific class: PeriodClosed and
    NotFound before the LkkError they derive from."""
    app.register_error_handler(CSRFError, csrf_failed)
    app.register_error_handler(errors.LkkError, refused)
    app.register_error_handler(errors.PeriodClosed, period_closed)
    app.register_error_handler(errors.NotFound, not_found)
    app.register_error_handler(errors.BufferGone, buffer_gone)
    app.register_error_handler(404, not_found)
    app.register_error_handler(405, not_allowed)
    app.register_error_handler(400, bad_request)
    app.register_error_handler(413, too_large)
    app.register_error_handler(500, internal)
    for kind in UNAVAILABLE:
        app.register_error_handler(kind, unavailable)
