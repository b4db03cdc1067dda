"""The main page (docs/spec.md §2) and each house's coverage: what is passed this period and
what the billing said of it (§2.1, §2.2)."""
from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request

from lkk_integration import messages as msg
from lkk_integration.organizations.registry import overview
from lkk_integration.readings.coverage import coverage, house_meters, missing_meter_ids
from lkk_integration.readings.period import deadline_of, period_now
from lkk_integration.spreadsheets.template import build_xls, rows_for_template

from . import core_of
from .attachments import attachment
from .auth import login_required
from .params import page_number

bp = Blueprint("cabinet", __name__)


@bp.get("/")
@login_required
def main():
    core = core_of()
    period = period_now(core)
    counter = msg.period_counter(period.state, deadline_of(period))
    houses = coverage(core, g.person.organization_id)
    return render_template("main.html", o=overview(core, g.person.person_id), counter=counter,
                           common_house_counter=period.common_house_counter(), period=period,
                           coverage={h.house_id: h for h in houses},
                           total=(sum(h.covered for h in houses), sum(h.meters for h in houses)))


@bp.get("/houses/<id:house_id>")
@login_required
def house(house_id: int):
    shown = house_meters(core_of(), g.person.organization_id, house_id,
                         request.args.get("missing") == "1", page_number())
    return render_template("house.html", house=shown)


@bp.get("/houses/<id:house_id>/missing.xls")
@login_required
def missing(house_id: int):
    """The house's meters still missing a reading this period, as a template to fill."""
    core = core_of()
    if not coverage(core, g.person.organization_id, house_id):
        abort(404)
    only = missing_meter_ids(core, g.person.organization_id, [house_id])
    rows = rows_for_template(core, g.person.organization_id, [house_id], only_meters=only)
    return attachment(build_xls(rows), "missing.xls", msg.MISSING_FILE_NAME)


@bp.get("/missing.xls")
@login_required
def missing_all():
    """Every served house's meters still missing a reading this period, as a template to fill
    (the reminders' link, docs/spec.md §2.3)."""
    core = core_of()
    house_ids = [h.house_id for h in coverage(core, g.person.organization_id)]
    only = missing_meter_ids(core, g.person.organization_id, house_ids)
    rows = rows_for_template(core, g.person.organization_id, house_ids, only_meters=only)
    return attachment(build_xls(rows), "missing.xls", msg.MISSING_FILE_NAME)
