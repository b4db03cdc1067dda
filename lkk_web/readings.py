"""«Передача показаний»: the file tab — template, upload, buffer, send (docs/spec.md §5, §9–§11)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for

from lkk_integration import messages as msg
from lkk_integration.errors import LkkError, NotFound, PeriodClosed
from lkk_integration.organizations.registry import require_served_houses, template_houses
from lkk_integration.readings.period import open_period_now, period_now
from lkk_integration.spreadsheets.buffer import (FILTERS, buffer_to_send, count_selected,
                                                 current_buffer, delete_rows, require_own_upload)
from lkk_integration.spreadsheets.template import build_xls, build_xlsx, rows_for_template
from lkk_integration.spreadsheets.upload import send_valid_rows, upload_readings_file
from lkk_integration.spreadsheets.wrong_rows import wrong_rows_xls

from . import core_of
from .attachments import attachment
from .auth import login_required
from .params import number, page_number

bp = Blueprint("readings", __name__, url_prefix="/readings")


@bp.get("/")
@login_required
def index():
    return redirect(url_for("manual.index"))


@bp.get("/file")
@login_required
def file_tab():
    core = core_of()
    buffer = current_buffer(core, g.person.organization_id, request.args.get("filter", "all"),
                            page_number())
    chosen = number(request.args.get("house"))  # the house page's «Скачать шаблон для этого дома»
    return render_template("readings_file.html", buffer=buffer, template_open=chosen is not None,
                           houses=template_houses(core, g.person.organization_id, chosen),
                           period=period_now(core))


def _selected() -> tuple[list[int], str | None]:
    """The rows a person ticked (ids, at most a page's worth) or «Выбрать все» (a filter)."""
    scope = request.form.get("scope")
    # Buffer rows have 64-bit ids.
    ids = [i for i in (number(v, 2**63 - 1) for v in request.form.getlist("row")[:1000])
           if i is not None]
    return ids, scope if scope in FILTERS else None


@bp.post("/buffer/<id:upload_id>/delete")
@login_required
def delete_buffer_rows(upload_id: int):
    """«Удалить»: the first POST asks docs/spec.md §11's question, «Да» deletes."""
    core = core_of()
    ids, scope = _selected()
    back = url_for("readings.file_tab", filter=request.form.get("filter") or None)
    require_own_upload(core, g.person.organization_id, upload_id)
    try:
        if request.form.get("answer") is None:
            count = count_selected(core, g.person.organization_id, upload_id, ids, scope)
            if not count:
                flash(msg.CHOOSE_ROWS, "error")
                return redirect(back)
            return render_template("readings_delete_rows.html", upload_id=upload_id, ids=ids,
                                   scope=scope, count=count, filter=request.form.get("filter"),
                                   question=msg.DELETE_ROWS_CONFIRMATION)
        if request.form.get("answer") == "yes":
            gone = delete_rows(core, g.person.organization_id, upload_id, ids, scope)
            flash(msg.rows_deleted(gone), "success")
    except NotFound as exc:
        flash(exc.message, "error")
    return redirect(back)


def _to_file_tab(refusal: str):
    """Back to the file tab, with the refusal on top of it."""
    flash(refusal, "error")
    return redirect(url_for("readings.file_tab"))


@bp.get("/buffer/<id:upload_id>/errors.xls")
@login_required
def wrong_rows(upload_id: int):
    """«Выгрузить ошибки в файл»."""
    core = core_of()
    require_own_upload(core, g.person.organization_id, upload_id)
    data = wrong_rows_xls(core, g.person.organization_id, upload_id)
    return attachment(data, "errors.xls", msg.ERRORS_FILE_NAME)


@bp.post("/template")
@login_required
def template():
    core = core_of()
    open_period_now(core)
    house_ids = [number(v) for v in request.form.getlist("house")]
    if None in house_ids:
        abort(404)
    require_served_houses(core, g.person.organization_id, house_ids)
    rows = rows_for_template(core, g.person.organization_id, house_ids)
    if not rows:
        flash(msg.CHOOSE_HOUSE, "error")
        return redirect(url_for("readings.file_tab", _anchor="template"))
    if request.form.get("format") == "xlsx":
        return attachment(build_xlsx(rows), "template.xlsx", msg.TEMPLATE_FILE_NAME)
    return attachment(build_xls(rows), "template.xls", msg.TEMPLATE_FILE_NAME)


@bp.post("/upload")
@login_required
def upload():
    file = request.files.get("file")
    if file is None or not file.filename:
        return _to_file_tab(msg.FILE_NOT_CHOSEN)
    data = file.read(core_of().config.upload_max_bytes + 1)
    try:
        upload_readings_file(core_of(), g.person.person_id, g.person.organization_id,
                             file.filename, data,
                             date_for_undated=request.form.get("undated_reading_date"))
    except PeriodClosed:
        raise  # the closed page (errors.py), not a message on the tab
    except LkkError as exc:
        flash(exc.message, "error")
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        # The page's script sent the file to show its progress; it goes where a form would.
        return jsonify(next=url_for("readings.file_tab"))
    return redirect(url_for("readings.file_tab"))


@bp.route("/send/<id:upload_id>", methods=["GET", "POST"])
@login_required
def send(upload_id: int):
    core = core_of()
    require_own_upload(core, g.person.organization_id, upload_id)
    buffer = buffer_to_send(core, g.person.organization_id, upload_id)
    if buffer.valid == 0:
        return _to_file_tab(msg.NOTHING_TO_SEND)
    if request.method == "GET":
        return render_template("readings_send.html", buffer=buffer,
                               question=msg.send_confirmation(buffer.valid, buffer.wrong))
    if request.form.get("answer") != "yes":
        return redirect(url_for("readings.file_tab"))
    try:
        result = send_valid_rows(core, g.person.person_id, g.person.organization_id, upload_id)
    except PeriodClosed:
        raise  # the closed page (errors.py), not a message on the tab
    except LkkError as exc:
        return _to_file_tab(exc.message)
    if result.individual:
        flash(msg.sent_individual(result.individual), "success")
    if result.common_house:
        flash(msg.sent_common_house(result.common_house), "success")
    return redirect(url_for("readings.file_tab"))
