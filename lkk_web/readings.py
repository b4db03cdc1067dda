"""«Передача показаний»: the file tab — template, upload, buffer, send (docs/spec.md §5, §9–§11)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for

from lkk_integration import messages as msg
from lkk_integration.errors import LkkError, NotFound, PeriodClosed, SendAgainNotConfirmed
from lkk_integration.organizations.registry import require_served_houses, template_houses
from lkk_integration.readings.period import open_period_now, period_now
from lkk_integration.spreadsheets.buffer import (FILTERS, MAX_NAMED, Selection, buffer_to_send,
                                                 count_selected, current_buffer, delete_rows,
                                                 require_own_upload, select_house)
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
                            page_number(), number(request.args.get("open")),
                            _carried(request.args))
    chosen = number(request.args.get("house"))  # the house page's «Скачать шаблон для этого дома»
    return render_template("readings_file.html", buffer=buffer, template_open=chosen is not None,
                           houses=template_houses(core, g.person.organization_id, chosen),
                           period=period_now(core),
                           selection_args=_selection_args(buffer.selection) if buffer else {})


def _ids(values, name: str) -> frozenset[int]:
    # Buffer rows have 64-bit ids; house keys are ids or 0.
    return frozenset(i for i in (number(v, 2**63 - 1) for v in values.getlist(name)[:MAX_NAMED])
                     if i is not None)


def _carried(values) -> Selection:
    """The selection a page or form carries (docs/spec.md §11): `scope` (the filter whose
    every row «Выбрать все» took), `house_on`/`house_off`, `on`/`off` (rows one by one)."""
    scope = values.get("scope")
    row_filter = scope if scope in FILTERS else values.get("filter")
    return Selection(row_filter if row_filter in FILTERS else "all", scope in FILTERS,
                     _ids(values, "house_on"), _ids(values, "house_off"),
                     _ids(values, "on"), _ids(values, "off"))


def _selection_args(selection: Selection) -> dict:
    """Selection as the query string and hidden fields carry it (_carried reads it back)."""
    args = {"scope": selection.row_filter} if selection.everything else {}
    for name, ids in (("house_on", selection.houses_on), ("house_off", selection.houses_off),
                      ("on", selection.rows_on), ("off", selection.rows_off)):
        if ids:
            args[name] = sorted(ids)
    return args


def _selected() -> Selection:
    """The selection the buffer's form sends: what the page carried, changed by the rows
    ticked (`row`) and unticked among those it showed (`shown`, ticked: `was`)."""
    ticked = _ids(request.form, "row")
    return _carried(request.form).changed_on_screen(
        _ids(request.form, "shown") | ticked, _ids(request.form, "was"), ticked)


def _back(selection: Selection | None = None) -> str:
    """The buffer's page the form came from (filter, open house, page), with `selection`; with
    `go_open`/`go_page` (the page's script following a link with rows ticked on screen) that
    house and page instead."""
    form = request.form
    going = "go_open" in form
    return url_for("readings.file_tab", filter=form.get("filter") or None,
                   open=number(form.get("go_open" if going else "open")),
                   page=number(form.get("go_page" if going else "page"), 999_999),
                   _anchor="rows" if form.get("go_open") else "buffer",
                   **(_selection_args(selection) if selection else {}))


@bp.post("/buffer/<id:upload_id>/select")
@login_required
def select_buffer_rows(upload_id: int):
    """«Выбрать все», «Сбросить все» and a house's «Выбрать»/«Сбросить» without JavaScript:
    back to the page with the selection changed (docs/spec.md §11)."""
    core = core_of()
    require_own_upload(core, g.person.organization_id, upload_id)
    selection = _selected()
    action = request.form.get("do")
    if action == "all":
        selection = Selection(selection.row_filter, everything=True)
    elif action == "none":
        selection = Selection(selection.row_filter)
    for name, selected in (("house_select", True), ("house_reset", False)):
        house = number(request.form.get(name))
        if house is not None:
            try:
                selection = select_house(core, g.person.organization_id, upload_id, selection,
                                         house, selected)
            except NotFound as exc:
                flash(exc.message, "error")
                return redirect(url_for("readings.file_tab"))
    return redirect(_back(selection))


@bp.post("/buffer/<id:upload_id>/delete")
@login_required
def delete_buffer_rows(upload_id: int):
    """«Удалить»: the first POST asks docs/spec.md §11's question with the true count, «Да»
    deletes, «Нет» goes back to the page with the same rows ticked."""
    core = core_of()
    selection = _selected()
    require_own_upload(core, g.person.organization_id, upload_id)
    try:
        if request.form.get("answer") is None:
            count = count_selected(core, g.person.organization_id, upload_id, selection)
            if not count:
                flash(msg.CHOOSE_ROWS, "error buffer")
                return redirect(_back(selection))
            return render_template("readings_delete_rows.html", upload_id=upload_id,
                                   count=count, question=msg.DELETE_ROWS_CONFIRMATION,
                                   hidden=dict(_selection_args(selection),
                                               filter=request.form.get("filter") or "",
                                               open=request.form.get("open") or "",
                                               page=request.form.get("page") or ""))
        if request.form.get("answer") != "yes":
            return redirect(_back(selection))
        gone = delete_rows(core, g.person.organization_id, upload_id, selection)
        flash(msg.rows_deleted(gone), "success buffer")
    except NotFound as exc:
        flash(exc.message, "error")
    return redirect(_back())


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
        upload_id = upload_readings_file(
            core_of(), g.person.person_id, g.person.organization_id, file.filename, data,
            date_for_undated=request.form.get("undated_reading_date"))
    except PeriodClosed:
        raise  # the closed page (errors.py), not a message on the tab
    except LkkError as exc:
        flash(exc.message, "error")
        target = url_for("readings.file_tab")  # the refusal, at the top of the tab
    else:
        # The verdict in view, not the upload form again (docs/spec.md §10); the file's id
        # makes it a new address, so the page's script loads it rather than only scrolling.
        target = url_for("readings.file_tab", checked=upload_id) + "#buffer"
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        # The page's script sent the file to show its progress; it goes where a form would.
        return jsonify(next=target)
    return redirect(target)


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
        result = send_valid_rows(core, g.person.person_id, g.person.organization_id, upload_id,
                                 again=request.form.get("again") == "yes")
    except PeriodClosed:
        raise  # the closed page (errors.py), not a message on the tab
    except SendAgainNotConfirmed as exc:
        flash(exc.message, "error")  # the question again, with what it lacked
        return redirect(url_for("readings.send", upload_id=upload_id))
    except LkkError as exc:
        return _to_file_tab(exc.message)
    if result.individual:
        flash(msg.sent_individual(result.individual), "success")
    if result.common_house:
        flash(msg.sent_common_house(result.common_house), "success")
    return redirect(url_for("readings.file_tab"))
