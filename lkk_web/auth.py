"""Sign-in pages: login, logout, the activation / new-password link (docs/spec.md §1, §4)."""
from __future__ import annotations

import functools
from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for

from lkk_integration import messages as msg
from lkk_integration.errors import (AuthenticationFailed, Conflict, InvalidToken, Throttled,
                                    ValidationError)
from lkk_integration.signin.contact_persons import (confirm_email_change, request_recovery,
                                                    set_password_by_token, sign_in, token_purpose)
from lkk_integration.signin.sessions import sign_out

from . import core_of

bp = Blueprint("auth", __name__)


def login_required(view):
    """Send people who are not signed in to the login page, which returns them to the page they
    asked for (a GET's: a mailed link such as the reminder's /missing.xls; docs/spec.md §1)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.person is None:
            asked = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for("auth.login", next=asked) if asked and asked != "/"
                            else url_for("auth.login"))
        return view(*args, **kwargs)

    return wrapped


def return_path(target: str | None) -> str | None:
    """`target` if it is a path of this site to return to after sign-in («/missing.xls»), else
    None: never another host («//evil.example», «/\\evil.example», «https://…»), never a
    control character, never the login page itself."""
    if not target or len(target) > 2000 or not target.startswith("/"):
        return None
    if target.startswith(("//", "/\\")) or any(ord(c) < 32 or c == "\x7f" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path == url_for("auth.login"):
        return None
    return target


def _start(signed_in) -> None:
    # A new cookie at every sign-in (no session fixation); a session this browser had ends.
    if session.get("token"):
        sign_out(core_of(), session["token"])
    if session.get("admin_token"):  # the cookie goes with session.clear(): end it too
        from lkk_integration.signin.administrators import admin_sign_out

        admin_sign_out(core_of(), session["admin_token"])
    session.clear()
    session["token"] = signed_in.token


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        try:
            signed_in = sign_in(core_of(), request.form.get("email", ""),
                                request.form.get("password", ""), request.remote_addr or "")
        except (AuthenticationFailed, ValidationError, Throttled) as exc:
            flash(exc.message, "error")
            return render_template("login.html", email=request.form.get("email", ""),
                                   next=return_path(request.form.get("next"))), 200
        _start(signed_in)
        return redirect(return_path(request.form.get("next")) or url_for("cabinet.main"))
    if g.person is not None:
        return redirect(return_path(request.args.get("next")) or url_for("cabinet.main"))
    return render_template("login.html", email="", next=return_path(request.args.get("next")))


@bp.post("/logout")
def logout():
    token = session.get("token")
    if token:
        sign_out(core_of(), token)
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """The link of an activation or recovery e-mail (docs/spec.md §4)."""
    try:
        purpose = token_purpose(core_of(), token)
    except InvalidToken as exc:
        return render_template("password.html", invalid=exc.message,
                               title=msg.NEW_PASSWORD_TITLE), 410
    if purpose == "email_change":
        return render_template("password.html", invalid=msg.TOKEN_INVALID,
                               title=msg.NEW_PASSWORD_TITLE), 410
    title = msg.WELCOME_TITLE if purpose == "activation" else msg.NEW_PASSWORD_TITLE
    if request.method == "POST":
        try:
            signed_in = set_password_by_token(core_of(), token, request.form.get("password", ""),
                                              request.form.get("repeat", ""),
                                              request.remote_addr or "")
        except ValidationError as exc:
            flash(exc.message, "error")
            return render_template("password.html", title=title, invalid=None), 200
        except InvalidToken as exc:
            return render_template("password.html", invalid=exc.message, title=title), 410
        _start(signed_in)
        return redirect(url_for("cabinet.main"))
    return render_template("password.html", title=title, invalid=None)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    """docs/spec.md §4: the same answer whether or not the address is known."""
    if request.method == "POST":
        try:
            request_recovery(core_of(), request.form.get("email", ""), request.remote_addr or "")
        except (ValidationError, Throttled) as exc:
            flash(exc.message, "error")
            return render_template("forgot.html", sent=False), 200
        return render_template("forgot.html", sent=True)
    return render_template("forgot.html", sent=False)


@bp.route("/email/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """The link sent to a new login address; the change is made by the POST, never a GET."""
    try:
        purpose = token_purpose(core_of(), token)
    except InvalidToken as exc:
        return render_template("confirm_email.html", invalid=exc.message), 410
    if purpose != "email_change":
        return render_template("confirm_email.html", invalid=msg.TOKEN_INVALID), 410
    if request.method == "POST":
        try:
            confirm_email_change(core_of(), token)
        except (InvalidToken, Conflict) as exc:
            return render_template("confirm_email.html", invalid=exc.message), 410
        session.clear()
        flash(msg.EMAIL_CHANGED, "success")
        return redirect(url_for("auth.login"))
    return render_template("confirm_email.html", invalid=None)
