"""«Передача показаний»: the file tab — template, upload, buffer, send (SPEC.md items 5, 9–11)."""
from __future__ import annotations

from flask import (Blueprint, Response, abort, flash, g, redirect, render_template, request,
                   url_for)

from lkk_integration import messages as msg
from lkk_integration.errors import LkkError, NotFound, PeriodClosed
from lkk_integration.organizations import require_served_houses, served_houses
from lkk_integration.readings import current_period, require_open_period
from lkk_integration.spreadsheets.template import build_xls, template_rows
from lkk_integration.uploads import (current_buffer, require_own_upload, send_valid_rows,
                                    upload_readings_file)

from . import core_of
from .auth import login_required

bp = Blueprint("readings", __name__, url_prefix="/readings")

XLS = "application/vnd.ms-excel"


def closed_page():
    """SPEC.md item 5: outside the period every readings function shows this page."""
    core = core_of()
    with core.uow() as uow:
        period = current_period(uow.session, core)
    return render_template("readings_closed.html",
                           message=msg.period_closed(period.rules.period_start_day,
                                                     period.rules.period_end_day)), 403


@bp.get("/")
@login_required
def index():
    return redirect(url_for("manual.index"))


@bp.get("/file")
@login_required
def file_tab():
    core = core_of()
    try:
        buffer = current_buffer(core, g.person.organization_id)
    except PeriodClosed:
        return closed_page()
    with core.uow() as uow:
        houses = [(h.id, h.address) for h in served_houses(uow.session, g.person.organization_id)]
    return render_template("readings_file.html", houses=houses, buffer=buffer)


@bp.post("/template")
@login_required
def template():
    core = core_of()
    try:
        with core.uow() as uow:
            require_open_period(uow.session, core)
    except PeriodClosed:
        return closed_page()
    chosen = request.form.getlist("house")
    if not all(v.isascii() and v.isdigit() and len(v) < 10 for v in chosen):
        abort(404)
    house_ids = [int(v) for v in chosen]
    try:
        require_served_houses(core, g.person.organization_id, house_ids)
    except NotFound:
        abort(404)
    rows = template_rows(core, g.person.organization_id, house_ids)
    if not rows:
        flash(msg.CHOOSE_HOUSE, "error")
        return redirect(url_for("readings.file_tab"))
    return Response(build_xls(rows), mimetype=XLS, headers={
        "Content-Disposition": "attachment; filename=\"template.xls\"; "
                               "filename*=UTF-8''%D1%88%D0%B0%D0%B1%D0%BB%D0%BE%D0%BD.xls"})


@bp.post("/upload")
@login_required
def upload():
    file = request.files.get("file")
    if file is None or not file.filename:
        flash(msg.FILE_NOT_CHOSEN, "error")
        return redirect(url_for("readings.file_tab"))
    data = file.read(core_of().config.upload_max_bytes + 1)
    try:
        upload_readings_file(core_of(), g.person.person_id, g.person.organization_id,
                             file.filename, data)
    except PeriodClosed:
        return closed_page()
    except LkkError as exc:
        flash(exc.message, "error")
    return redirect(url_for("readings.file_tab"))


@bp.route("/send/<int(max=2147483647):upload_id>", methods=["GET", "POST"])
@login_required
def send(upload_id: int):
    core = core_of()
    try:
        require_own_upload(core, g.person.organization_id, upload_id)
    except NotFound:
        abort(404)
    try:
        buffer = current_buffer(core, g.person.organization_id)
    except PeriodClosed:
        return closed_page()
    if buffer is None or buffer.upload_id != upload_id:
        flash(msg.BUFFER_GONE, "error")
        return redirect(url_for("readings.file_tab"))
    if buffer.valid == 0:
        flash(msg.NOTHING_TO_SEND, "error")
        return redirect(url_for("readings.file_tab"))
    if request.method == "GET":
        return render_template("readings_send.html", buffer=buffer,
                               question=msg.send_confirmation(buffer.valid, buffer.wrong))
    if request.form.get("answer") != "yes":
        return redirect(url_for("readings.file_tab"))
    try:
        result = send_valid_rows(core, g.person.person_id, g.person.organization_id, upload_id)
    except PeriodClosed:
        return closed_page()
    except LkkError as exc:
        flash(exc.message, "error")
        return redirect(url_for("readings.file_tab"))
    if result.individual:
        flash(msg.sent_individual(result.individual), "success")
    if result.common_house:
        flash(msg.sent_common_house(result.common_house), "success")
    return redirect(url_for("readings.file_tab"))
