"""«Передача показаний» → «Ручной ввод данных»: choosing a meter, typing its readings, the list
of readings typed in this period and deleting one (docs/spec.md §5–§8).

Every page works without JavaScript: each step of the choice is a GET form of its own with
«Выбрать», carrying the earlier choices; nothing submits itself on a change (docs/spec.md §6).
«Отправить и следующая квартира» leads to the house's next meter (`after`).
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from lkk_integration import messages as msg
from lkk_integration.errors import NotFound
from lkk_integration.readings.manual import (KINDS, ManualEntry, Submitter, chosen_meter,
                                             deletable_reading, delete_reading, manual_entry,
                                             submit_reading)

from . import core_of
from .auth import login_required
from .params import number, page_number

bp = Blueprint("manual", __name__, url_prefix="/readings/manual")


def _submitter() -> Submitter:
    return Submitter(g.person.person_id, g.person.organization_id,
                     g.person.login_session_public_id)


def _id_arg(name: str) -> int | None:
    """An id from the query string: None when absent or empty; 404 when not an id."""
    raw = request.args.get(name, "")
    if not raw:
        return None
    found = number(raw)
    if found is None:
        abort(404)
    return found


def _text_arg(name: str) -> str:
    return request.args.get(name, "")[:300]


# The input a refusal is about (checks.Verdict.fields) → the id of its field on the page; a
# refusal of the reading as a whole points at T1.
FIELD_IDS = {"T1": "t1", "T2": "t2", "T3": "t3", "ReadingDate": "reading-date",
             "NotReadReason": "not-read", "": "t1"}


def _render(entry: ManualEntry, form: dict | None = None,
            errors: list[tuple[str, str]] | None = None, status: int = 200,
            walked: bool = False, to_confirm: str | None = None,
            confirmation: str | None = None):
    """The page; `errors` are (reason, field id) pairs; `walked` when it came by «Отправить и
    следующая квартира» (focus on T1, not on the message)."""
    # The dates the kind's readings may have, today at the latest (docs/spec.md §5.2: a
    # common-house meter's reading on the 26th is dated the 25th).
    last = min(entry.dates[1], entry.today) if entry.dates else entry.today
    if form is None:
        form = {"reading_date": last.isoformat()}
    return render_template("readings_manual.html", choice=entry.choice, form=form,
                           errors=errors or [], lines=entry.lines, today=entry.today,
                           last_date=last, closed=entry.closed, to_confirm=to_confirm,
                           confirmation=confirmation,
                           expected=entry.expected if any(entry.expected) else None,
                           reasons=entry.reasons,
                           submitted=entry.submitted,
                           current=entry.current, chart=entry.chart, walked=walked,
                           deletable=any(line.deletable for line in entry.lines)), status


@bp.get("/")
@login_required
def index():
    after = _id_arg("after")
    return _render(manual_entry(core_of(), _submitter(), request.args.get("kind"),
                                _text_arg("settlement"), _text_arg("street"), _id_arg("house"),
                                _text_arg("apartment"), _id_arg("meter"), after,
                                page_number()),
                   walked=after is not None)


@bp.route("/<id:meter_id>", methods=["GET", "POST"])
@login_required
def submit(meter_id: int):
    core = core_of()
    if request.method == "GET":
        # The address a refused reading's page shows, opened again: the meter's card.
        card = chosen_meter(core, g.person.organization_id, meter_id)
        return redirect(url_for("manual.index", kind=card.kind, house=card.house_id,
                                apartment=card.apartment, meter=card.meter_id) + "#entry")
    form = {key: request.form.get(key, "")[:100]
            for key in ("reading_date", "t1", "t2", "t3", "not_read")}
    try:
        submitted = submit_reading(core, _submitter(), meter_id, form["reading_date"],
                                   [request.form.get(f"t{i}") for i in (1, 2, 3)],
                                   confirmed=request.form.get("confirmed_for")
                                   if request.form.get("confirmed") == "1" else None,
                                   not_read=form["not_read"] or None)
    except NotFound as exc:
        # Another organization's or unknown id, or a meter the billing removed since the form
        # was opened.
        return render_template("error.html", message=exc.message,
                               back=url_for("manual.index")), 404
    card = submitted.card
    if submitted.to_confirm:
        # Far from the meter's typical consumption: the same form again, asking to confirm
        # the value or correct it (docs/spec.md §13.10).
        entry = manual_entry(core, _submitter(), card.kind, "", "", card.house_id,
                             card.apartment or "", card.meter_id)
        return _render(entry, form, to_confirm=submitted.verdict.check_note,
                       confirmation=submitted.confirmation)
    if not submitted.verdict.ok:
        entry = manual_entry(core, _submitter(), card.kind, "", "", card.house_id,
                             card.apartment or "", card.meter_id)
        verdict = submitted.verdict
        return _render(entry, form, [(reason, FIELD_IDS.get(about, "t1")) for reason, about
                                     in zip(verdict.errors, verdict.fields, strict=True)], 422)
    flash(msg.manual_sent(card.number, submitted.replaced, submitted.verdict.note,
                          submitted.not_read), "success")
    # Back to the meter's card with the message above its form, or on to the house's next meter
    # (docs/spec.md §6); never to the list at the page's end, where the message is out of view.
    if request.form.get("then") == "next" and card.apartment is not None:
        return redirect(url_for("manual.index", kind=card.kind, house=card.house_id,
                                apartment=card.apartment, after=card.meter_id))
    return redirect(url_for("manual.index", kind=card.kind, house=card.house_id,
                            apartment=card.apartment, meter=card.meter_id))


@bp.get("/delete")
@login_required
def confirm_delete():
    reading_id = _id_arg("reading")
    if reading_id is None:
        flash(msg.CHOOSE_READING, "error list")
        return redirect(url_for("manual.index") + "#submitted")
    try:
        line = deletable_reading(core_of(), _submitter(), reading_id)
    except NotFound as exc:
        flash(exc.message, "error list")
        return redirect(url_for("manual.index") + "#submitted")
    return render_template("readings_delete.html", line=line,
                           question=msg.DELETE_CONFIRMATION)


@bp.post("/delete/<id:reading_id>")
@login_required
def delete(reading_id: int):
    if request.form.get("answer") != "yes":
        kind = request.form.get("kind")
        return redirect(url_for("manual.index", kind=kind if kind in KINDS else None)
                        + "#submitted")
    try:
        deleted = delete_reading(core_of(), _submitter(), reading_id)
    except NotFound as exc:
        # Deleted already (a second click), replaced since, or never this session's to delete.
        return render_template("error.html", message=exc.message,
                               back=url_for("manual.index") + "#submitted"), 404
    flash(msg.reading_deleted(deleted.restored), "success list")
    return redirect(url_for("manual.index", kind=deleted.kind) + "#submitted")
