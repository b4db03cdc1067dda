"""«Передача показаний» → «Ручной ввод данных»: choosing a meter, typing its readings, the list
of readings typed in this period and deleting one (SPEC.md items 5–8).

Every page works without JavaScript: each choice is a GET form with «Выбрать»; with JavaScript
a choice submits itself (static/manual.js).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from lkk_integration import messages as msg
from lkk_integration.errors import NotFound, PeriodClosed
from lkk_integration.models import COMMON_HOUSE, INDIVIDUAL
from lkk_integration.readings.consumption import bar_chart, monthly_use
from lkk_integration.readings.manual import (
    HouseChoice,
    MeterCard,
    Submitter,
    apartment_meters,
    apartments,
    common_house_meters,
    current_submission,
    deletable_reading,
    delete_reading,
    house_choices,
    meter_card,
    submit_reading,
    submitted_readings,
)
from lkk_integration.readings.period import current_period

from . import core_of
from .auth import login_required
from .params import number
from .readings import closed_page

bp = Blueprint("manual", __name__, url_prefix="/readings/manual")

KINDS = (INDIVIDUAL, COMMON_HOUSE)


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


def _only(values: list):
    return values[0] if len(values) == 1 else None


@dataclass
class Choice:
    """Where the person stands in the choice of a meter, and the lists for the next step."""

    kind: str
    houses: list[HouseChoice]
    settlement: str = ""
    street: str = ""
    house: HouseChoice | None = None
    apartment: str = ""
    settlements: list[str] = field(default_factory=list)
    streets: list[str] = field(default_factory=list)
    house_numbers: list[HouseChoice] = field(default_factory=list)
    apartments: list[str] = field(default_factory=list)
    meters: list[MeterCard] = field(default_factory=list)
    card: MeterCard | None = None


def _choose(session, organization_id: int, kind: str, settlement: str, street: str,
            house_id: int | None, apartment: str, meter_id: int | None) -> Choice:
    """Resolve the chosen settlement → street → house → apartment → meter, dropping a later
    choice that does not fit an earlier one, and taking the only option when there is one."""
    houses = house_choices(session, organization_id)
    choice = Choice(kind, houses)
    house = next((h for h in houses if h.id == house_id), None) if house_id else None
    if house_id and house is None:
        abort(404)
    if kind == COMMON_HOUSE:
        choice.house = house or _only(houses)
        if choice.house:
            choice.meters = common_house_meters(session, organization_id, choice.house.id)
            choice.card = next((m for m in choice.meters if m.meter_id == meter_id),
                               _only(choice.meters))
        return choice
    if house is not None:
        settlement, street = house.settlement, house.street
    choice.settlements = sorted({h.settlement for h in houses})
    choice.settlement = settlement if settlement in choice.settlements else (
        _only(choice.settlements) or "")
    if not choice.settlement:
        return choice
    choice.streets = sorted({h.street for h in houses if h.settlement == choice.settlement})
    choice.street = street if street in choice.streets else (_only(choice.streets) or "")
    if not choice.street:
        return choice
    choice.house_numbers = [h for h in houses
                            if h.settlement == choice.settlement and h.street == choice.street]
    choice.house = house if house in choice.house_numbers else _only(choice.house_numbers)
    if choice.house is None:
        return choice
    choice.apartments = apartments(session, organization_id, choice.house.id)
    choice.apartment = apartment if apartment in choice.apartments else (
        _only(choice.apartments) or "")
    if not choice.apartment:
        return choice
    choice.meters = apartment_meters(session, organization_id, choice.house.id,
                                     choice.apartment)
    choice.card = next((m for m in choice.meters if m.meter_id == meter_id),
                       _only(choice.meters))
    return choice


def _render(choice: Choice, form: dict | None = None, errors: list[str] | None = None,
            status: int = 200):
    core = core_of()
    with core.uow() as uow:
        period = current_period(uow.session, core)
        current = (current_submission(uow.session, choice.card.meter_id, period.state.period)
                   if choice.card else None)
        uses = monthly_use(uow.session, choice.card.meter_id, period.today) \
            if choice.card else []
    lines = submitted_readings(core, g.person.organization_id, g.person.login_session_public_id)
    if form is None:
        form = {"reading_date": period.today.isoformat()}
    return render_template("readings_manual.html", choice=choice, form=form, errors=errors or [],
                           lines=lines, today=period.today, current=current,
                           chart=bar_chart(uses),
                           deletable=any(line.deletable for line in lines)), status


@bp.get("/")
@login_required
def index():
    kind = request.args.get("kind", INDIVIDUAL)
    if kind not in KINDS:
        abort(404)
    core = core_of()
    try:
        with core.uow() as uow:
            choice = _choose(uow.session, g.person.organization_id, kind,
                             _text_arg("settlement"), _text_arg("street"), _id_arg("house"),
                             _text_arg("apartment"), _id_arg("meter"))
        return _render(choice)
    except PeriodClosed:
        return closed_page()


@bp.route("/<int(max=2147483647):meter_id>", methods=["GET", "POST"])
@login_required
def submit(meter_id: int):
    core = core_of()
    if request.method == "GET":
        # The address a refused reading's page shows, opened again: the meter's card.
        try:
            with core.uow() as uow:
                card = meter_card(uow.session, g.person.organization_id, meter_id)
        except NotFound:
            abort(404)
        return redirect(url_for("manual.index", kind=card.kind, house=card.house_id,
                                apartment=card.apartment, meter=card.meter_id) + "#entry")
    form = {key: request.form.get(key, "")[:100] for key in ("reading_date", "t1", "t2", "t3")}
    try:
        submitted = submit_reading(core, _submitter(), meter_id, form["reading_date"],
                                   [request.form.get(f"t{i}") for i in (1, 2, 3)])
        with core.uow() as uow:
            card = meter_card(uow.session, g.person.organization_id, meter_id)
            if not submitted.verdict.ok:
                choice = _choose(uow.session, g.person.organization_id, card.kind, "", "",
                                 card.house_id, card.apartment or "", card.meter_id)
        if not submitted.verdict.ok:
            return _render(choice, form, submitted.verdict.errors, 422)
    except PeriodClosed:
        return closed_page()
    except NotFound as exc:
        # Another organization's or unknown id, or a meter the billing removed since the form
        # was opened.
        return render_template("error.html", message=exc.message,
                               back=url_for("manual.index")), 404
    flash(msg.manual_sent(card.number, submitted.replaced, submitted.verdict.note), "success")
    return redirect(url_for("manual.index", kind=card.kind, house=card.house_id) + "#submitted")


@bp.get("/delete")
@login_required
def confirm_delete():
    reading_id = _id_arg("reading")
    if reading_id is None:
        flash(msg.CHOOSE_READING, "error")
        return redirect(url_for("manual.index") + "#submitted")
    try:
        line = deletable_reading(core_of(), _submitter(), reading_id)
    except PeriodClosed:
        return closed_page()
    except NotFound as exc:
        flash(exc.message, "error")
        return redirect(url_for("manual.index") + "#submitted")
    return render_template("readings_delete.html", line=line,
                           question=msg.DELETE_CONFIRMATION)


@bp.post("/delete/<int(max=2147483647):reading_id>")
@login_required
def delete(reading_id: int):
    if request.form.get("answer") != "yes":
        kind = request.form.get("kind")
        return redirect(url_for("manual.index", kind=kind if kind in KINDS else None)
                        + "#submitted")
    try:
        deleted = delete_reading(core_of(), _submitter(), reading_id)
    except PeriodClosed:
        return closed_page()
    except NotFound as exc:
        # Deleted already (a second click), replaced since, or never this session's to delete.
        return render_template("error.html", message=exc.message,
                               back=url_for("manual.index") + "#submitted"), 404
    flash(msg.reading_deleted(deleted.restored), "success")
    return redirect(url_for("manual.index", kind=deleted.kind) + "#submitted")
