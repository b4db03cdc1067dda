"""The main page (SPEC.md item 2)."""
from __future__ import annotations

from flask import Blueprint, g, render_template

from lkk_integration import messages as msg
from lkk_integration.organizations import overview
from lkk_integration.readings import current_period

from . import core_of
from .auth import login_required

bp = Blueprint("cabinet", __name__)


@bp.get("/")
@login_required
def main():
    core = core_of()
    with core.uow() as uow:
        period = current_period(uow.session, core)
    state = period.state
    counter = (msg.days_until_close(state.days) if state.is_open
               else msg.days_until_open(state.days))
    return render_template("main.html", o=overview(core, g.person.person_id), counter=counter,
                           period=period)
