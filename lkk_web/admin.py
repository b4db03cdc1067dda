"""The administrators' pages under /admin (docs/spec.md §12): content and settings,
organizations read-only, the audit search. Administrators sign in here with their own cookie
key; a contact person's session opens none of these pages, and an administrator's session opens
no cabinet page."""
from __future__ import annotations

import datetime as dt
import functools

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for

from lkk_integration import audit
from lkk_integration import messages as msg
from lkk_integration.audit import search_audit
from lkk_integration.clock import MOSCOW
from lkk_integration.content import TEXT_FIELDS, content_in_force, update_content
from lkk_integration.errors import AuthenticationFailed, Throttled, ValidationError
from lkk_integration.organizations.registry import (meter_ids_numbered, organization_and_person,
                                                    organizations_with_logins)
from lkk_integration.readings.coverage import coverage, house_meters
from lkk_integration.readings.reasons import reasons_in_force, update_reasons
from lkk_integration.readings.reminders import organization_reminders
from lkk_integration.readings.rules import RULE_LABELS, rules_in_force, update_rules
from lkk_integration.signin.administrators import admin_sign_in, admin_sign_out, resolve_admin

from . import core_of
from .params import number, page_number

bp = Blueprint("admin", __name__, url_prefix="/admin")
COOKIE_KEY = "admin_token"


@bp.before_request
def load_admin() -> None:
    g.admin = resolve_admin(core_of(), session.get(COOKIE_KEY))


def admin_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.admin is None:
            return redirect(url_for("admin.login"))
        return view(*args, **kwargs)
    return wrapped


def _actor() -> audit.Actor:
    return audit.Actor("admin", g.admin.admin_id, g.admin.email)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        try:
            token = admin_sign_in(core_of(), request.form.get("email", ""),
                                  request.form.get("password", ""), request.remote_addr or "")
        except (AuthenticationFailed, ValidationError, Throttled) as exc:
            flash(exc.message, "error")
            return render_template("admin/login.html", email=request.form.get("email", ""))
        old = session.get(COOKIE_KEY)
        if old:
            admin_sign_out(core_of(), old)
        session.pop("csrf_token", None)  # a new form token after signing in
        session[COOKIE_KEY] = token
        return redirect(url_for("admin.home"))
    return render_template("admin/login.html", email="")


@bp.post("/logout")
def logout():
    token = session.pop(COOKIE_KEY, None)
    if token:
        admin_sign_out(core_of(), token)
    return redirect(url_for("admin.login"))


@bp.route("/", methods=["GET", "POST"])
@admin_required
def home():
    """Content and the readings settings, on one page; each form saves its part."""
    core = core_of()
    if request.method == "POST":
        try:
            if request.form.get("part") == "reasons":
                changed = update_reasons(core, _actor(), _typed_reasons())
            elif request.form.get("part") == "rules":
                # A field the form does not carry (a page opened before an upgrade added
                # it) stays as it is.
                _rules, changed = update_rules(core, _actor(), **{
                    name: request.form[name] for name in RULE_LABELS if name in request.form})
            else:
                changed = bool(update_content(
                    core, _actor(), {name: request.form.get(name, "") for name in TEXT_FIELDS},
                    _typed_announcements()))
        except ValidationError as exc:
            # Shown again as typed: a refusal must not cost the administrator the text.
            flash(exc.message, "error")
            return render_template("admin/home.html", content=content_in_force(core),
                                   rules=rules_in_force(core), typed=request.form,
                                   typed_announcements=_typed_announcements(),
                                   reasons=reasons_in_force(core), typed_reasons=_typed_rows()), 422
        flash(msg.SAVED if changed else msg.NOTHING_CHANGED, "success")
        return redirect(url_for("admin.home"))
    return render_template("admin/home.html", content=content_in_force(core),
                           rules=rules_in_force(core), reasons=reasons_in_force(core))


def _typed_rows() -> list[tuple[str, str, bool]]:
    """The reasons' form as typed: (code, name, offered) per row (docs/spec.md §12.2)."""
    offered = set(request.form.getlist("reason_offered"))
    return [(code, name, str(i) in offered) for i, (code, name) in enumerate(zip(
        request.form.getlist("reason_code"), request.form.getlist("reason_name"),
        strict=False))]


def _typed_reasons() -> list[tuple[int, str, str]]:
    """The reasons to offer, in the form's order, with their rows: the rows ticked (a new row
    when filled)."""
    return [(row, code, name) for row, (code, name, offered) in enumerate(_typed_rows(), 1)
            if offered and (code.strip() or name.strip())]


def _typed_announcements() -> list[tuple[str, str, str]]:
    """The announcements of the form as typed: (text, from, to)."""
    return list(zip(request.form.getlist("announcement_text"),
                    request.form.getlist("announcement_from"),
                    request.form.getlist("announcement_to"), strict=False))


@bp.get("/organizations")
@admin_required
def organizations():
    return render_template("admin/organizations.html", rows=organizations_with_logins(core_of()))


@bp.get("/organizations/<id:organization_id>")
@admin_required
def organization(organization_id: int):
    core = core_of()
    found, person = organization_and_person(core, organization_id)
    return render_template("admin/organization.html", o=found, person=person,
                           houses=coverage(core, organization_id),
                           reminders=organization_reminders(core, organization_id), moscow=MOSCOW,
                           audit=search_audit(core, organization_id=organization_id))


@bp.get("/organizations/<id:organization_id>/houses/<id:house_id>")
@admin_required
def house(organization_id: int, house_id: int):
    """A house's meters and this period's readings with the billing's verdicts, read-only."""
    shown = house_meters(core_of(), organization_id, house_id,
                         request.args.get("missing") == "1", page_number())
    return render_template("admin/house.html", house=shown, organization_id=organization_id)


FILTER_LABELS = msg.FILTER_LABELS


class _Filters:
    """The audit search's filters as typed; each one not understood is named, not dropped."""

    def __init__(self, args):
        self.args, self.wrong = args, []

    def number(self, name: str) -> int | None:
        raw = self.args.get(name, "").strip()
        found = number(raw)
        if raw and found is None:
            self.wrong.append(FILTER_LABELS[name])
        return found

    def day(self, name: str) -> dt.date | None:
        raw = self.args.get(name, "").strip()
        if not raw:
            return None
        try:
            day = dt.date.fromisoformat(raw) if raw.isascii() else None
        except ValueError:
            day = None
        if day is None or not 2000 <= day.year <= 2100:
            self.wrong.append(FILTER_LABELS[name])
            return None
        return day

    def meter_ids(self) -> list[int] | None:
        """Meters of the number typed (as people see it, «00215090»), in any organization."""
        raw = self.args.get("meter", "").strip()
        if not raw:
            return None
        return meter_ids_numbered(core_of(), raw)


@bp.get("/audit")
@admin_required
def audit_search():
    """Search by organization, meter, person (ids as the organizations' pages show them) and
    Moscow dates, both inclusive."""
    filters = _Filters(request.args)
    day_from, day_to = filters.day("from"), filters.day("to")
    start = dt.datetime.combine(day_from, dt.time(), MOSCOW) if day_from else None
    end = dt.datetime.combine(day_to + dt.timedelta(days=1), dt.time(), MOSCOW) \
        if day_to else None
    organization, person = filters.number("organization"), filters.number("person")
    page = page_number()
    if filters.wrong:
        flash(msg.filters_not_understood(filters.wrong), "error")
    elif day_from and day_to and day_from > day_to:
        flash(msg.DATES_REVERSED, "error")
    found = search_audit(core_of(), organization, filters.meter_ids(), person, start, end, page)

    def page_url(number: int) -> str:
        return url_for("admin.audit_search", **dict(request.args.items(), page=number))

    return render_template("admin/audit.html", found=found, args=request.args, moscow=MOSCOW,
                           next_url=page_url(found.page + 1) if found.page < found.pages
                           else None,
                           previous_url=page_url(found.page - 1) if found.page > 1 else None)
