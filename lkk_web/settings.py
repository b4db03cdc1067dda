"""«Настройки»: change the login e-mail and the password, turn the reminders on or off
(docs/spec.md §3)."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from lkk_integration import messages as msg
from lkk_integration.errors import Conflict, ValidationError
from lkk_integration.signin.contact_persons import (change_password, reminders_on,
                                                    request_email_change, set_reminders)

from . import core_of
from .auth import login_required

bp = Blueprint("settings", __name__, url_prefix="/settings")


def _page():
    core = core_of()
    return render_template("settings.html", reminders=reminders_on(core, g.person.person_id),
                           reminder_days=core.config.reminder_days)


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
