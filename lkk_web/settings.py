"""«Настройки»: change the login e-mail and the password, turn the reminders on or off
(docs/spec.md §3), and the API tokens of the organization's own software (§3.4, §21.1)."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from lkk_integration import messages as msg
from lkk_integration.errors import Conflict, NotFound, ValidationError
from lkk_integration.signin.api_tokens import api_tokens, create_api_token, revoke_api_token
from lkk_integration.signin.contact_persons import (change_password, reminders_on,
                                                    request_email_change, set_reminders)

from . import core_of
from .auth import login_required

bp = Blueprint("settings", __name__, url_prefix="/settings")


def _page(new_token: str | None = None, token_name: str = ""):
    core = core_of()
    return render_template("settings.html", reminders=reminders_on(core, g.person.person_id),
                           reminder_days=core.config.reminder_days,
                           tokens=api_tokens(core, g.person.person_id), new_token=new_token,
                           token_name=token_name)


@bp.get("/")
@login_required
def index():
    return _page()


@bp.post("/reminders")
@login_required
def reminders():
    """docs/spec.md §3.3: the reminders of meters without a reading, on or off."""
    on = request.form.get("reminders") == "1"
    set_reminders(core_of(), g.person.person_id, on)
    flash(msg.REMINDERS_SAVED_ON if on else msg.REMINDERS_SAVED_OFF, "success")
    return redirect(url_for("settings.index"))


@bp.post("/password")
@login_required
def password():
    try:
        change_password(core_of(), g.person.person_id, g.person.login_session_public_id,
                        request.form.get("current", ""), request.form.get("new", ""),
                        request.form.get("repeat", ""))
    except ValidationError as exc:
        flash(exc.message, "error")
        return _page(), 200
    flash(msg.PASSWORD_CHANGED, "success")
    return redirect(url_for("settings.index"))


@bp.post("/email")
@login_required
def email():
    try:
        request_email_change(core_of(), g.person.person_id, request.form.get("email", ""),
                             request.form.get("password", ""))
    except (ValidationError, Conflict) as exc:
        flash(exc.message, "error")
        return _page(), 200
    flash(msg.EMAIL_CONFIRM_SENT, "success")
    return redirect(url_for("settings.index"))


@bp.post("/api-tokens")
@login_required
def create_token():
    """docs/spec.md §3.4: a new token, shown on this answer only (never redirected to, never
    kept)."""
    name = request.form.get("name", "")[:200]
    try:
        _line, secret = create_api_token(core_of(), g.person.person_id, name)
    except (ValidationError, Conflict) as exc:
        flash(exc.message, "error")
        return _page(token_name=name), 422
    return _page(new_token=secret)


@bp.post("/api-tokens/<id:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    try:
        line = revoke_api_token(core_of(), g.person.person_id, token_id)
    except NotFound as exc:
        # Revoked already (a second click), or not this person's: one answer for both.
        flash(exc.message, "error")
        return _page(), 404
    flash(msg.api_token_revoked(line.name), "success")
    return redirect(url_for("settings.index") + "#api")
