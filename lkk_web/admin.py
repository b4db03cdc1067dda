"""The administrators' pages under /admin (issue 7, SPEC.md item 12): content and settings,
organizations read-only, the audit search. Administrators sign in here with their own cookie
key; a contact person's session opens none of these pages, and an administrator's session opens
no cabinet page."""
from __future__ import annotations

import datetime as dt
import functools

from flask import (Blueprint, abort, flash, g, redirect, render_template, request, session,
                   url_for)
from sqlalchemy import select

from lkk_integration import audit
from lkk_integration import messages as msg
from lkk_integration.admins import admin_sign_in, admin_sign_out, resolve_admin, search_audit
from lkk_integration.clock import MOSCOW
from lkk_integration.content import load_content, save_content
from lkk_integration.coverage import coverage, house_meters
from lkk_integration.errors import AuthenticationFailed, NotFound, Throttled, ValidationError
from lkk_integration.models import ContactPerson, Organization
from lkk_integration.rules import load_rules, save_rules

from . import core_of

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
            with core.uow() as uow:
                if request.form.get("part") == "rules":
                    fields = ("period_start_day", "period_end_day", "fraction_digits",
                              "kwh_per_day_individual", "kwh_per_day_common_house")
                    changes = {f: request.form.get(f, "") for f in fields}
                    before = load_rules(uow.session)
                    after = save_rules(uow.session, **changes)
                    changed = {f: str(getattr(after, f)) for f in fields
                               if getattr(before, f) != getattr(after, f)}
                    if changed:
                        audit.record(uow.session, core.clock, _actor(), "rules_changed",
                                     **changed)
                else:
                    texts = {name: request.form.get(name, "") for name in (
                        "contact_phone", "login_text", "main_text", "recovery_text")}
                    announcements = list(zip(request.form.getlist("announcement_text"),
                                             request.form.getlist("announcement_from"),
                                             request.form.getlist("announcement_to")))
                    changed = save_content(uow.session, texts, announcements)
                    if changed:
                        audit.record(uow.session, core.clock, _actor(), "content_changed",
                                     fields=changed)
                uow.commit()
        except ValidationError as exc:
            flash(exc.message, "error")
            return redirect(url_for("admin.home"))
        flash(msg.SAVED if changed else msg.NOTHING_CHANGED, "success")
        return redirect(url_for("admin.home"))
    with core.uow() as uow:
        content = load_content(uow.session, core.config)
        rules = load_rules(uow.session)
    return render_template("admin/home.html", content=content, rules=rules)


@bp.get("/organizations")
@admin_required
def organizations():
    core = core_of()
    with core.uow() as uow:
        rows = uow.session.execute(select(Organization, ContactPerson.email)
                                   .outerjoin(ContactPerson,
                                              ContactPerson.organization_id == Organization.id)
                                   .order_by(Organization.short_name)).all()
    return render_template("admin/organizations.html", rows=rows)


@bp.get("/organizations/<int(max=2147483647):organization_id>")
@admin_required
def organization(organization_id: int):
    core = core_of()
    with core.uow() as uow:
        found = uow.session.get(Organization, organization_id)
        if found is None:
            abort(404)
        person = uow.session.scalars(select(ContactPerson).where(
            ContactPerson.organization_id == organization_id)).first()
    return render_template("admin/organization.html", o=found, person=person,
                           houses=coverage(core, organization_id),
                           audit=search_audit(core, organization_id=organization_id))


@bp.get("/organizations/<int(max=2147483647):organization_id>/houses/"
        "<int(max=2147483647):house_id>")
@admin_required
def house(organization_id: int, house_id: int):
    """A house's meters and this period's readings with the billing's verdicts, read-only."""
    raw = request.args.get("page", "1")
    try:
        shown = house_meters(core_of(), organization_id, house_id,
                             request.args.get("missing") == "1",
                             int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else 1)
    except NotFound:
        abort(404)
    return render_template("admin/house.html", house=shown, organization_id=organization_id)


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name, "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 10 else None


def _day_arg(name: str) -> dt.date | None:
    raw = request.args.get(name, "").strip()
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@bp.get("/audit")
@admin_required
def audit_search():
    """Search by organization, meter, person (ids as the organizations' pages show them) and
    Moscow dates, both inclusive."""
    day_from, day_to = _day_arg("from"), _day_arg("to")
    start = dt.datetime.combine(day_from, dt.time(), MOSCOW) if day_from else None
    end = dt.datetime.combine(day_to + dt.timedelta(days=1), dt.time(), MOSCOW) \
        if day_to else None
    found = search_audit(core_of(), _int_arg("organization"), _int_arg("meter"),
                         _int_arg("person"), start, end, _int_arg("page") or 1)
    following = dict(request.args.items(), page=found.page + 1)
    next_url = url_for("admin.audit_search", **following) if found.page < found.pages else None
    return render_template("admin/audit.html", found=found, args=request.args, moscow=MOSCOW,
                           next_url=next_url)
