"""Eight submissions for one meter at the same moment — tabs of manual entry and a file's
«Отправить верные» — against the app on a real threaded HTTP server: exactly one current
reading, the whole history, no error page (docs/spec.md §13.9)."""
from __future__ import annotations

import datetime as dt
import functools

import requests
from sqlalchemy import func, select

from lkk_integration.models import Meter, Reading, Upload
from lkk_integration.readings.export import export_readings

from tests.support.cabinet import EMAIL, PASSWORD, activate, csrf_token
from tests.support.organizations import story_organization
from tests.support.spreadsheets import fill_template
from tests.support.threads import together

SUBMITTERS = 8
ROUNDS = 2


def logged_in(base: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{base}/login", timeout=30)
    response = browser.post(f"{base}/login", timeout=30, allow_redirects=False, data={
        "csrf_token": csrf_token(page.text), "email": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def race_one_round(core, base: str, meter: Meter, round_number: int) -> list[int]:
    """One file buffer holding a reading of the meter, sent while SUBMITTERS - 1 tabs type one
    in at the same moment; the status of each answer."""
    sender = logged_in(base)
    template = sender.post(f"{base}/readings/template", timeout=30, data={
        "csrf_token": csrf_token(sender.get(f"{base}/readings/file").text),
        "house": str(meter.house_id)}).content
    filled = fill_template(template, {"00215090": {"t1": 1500 + round_number,
                                                   "date": dt.date(2026, 3, 19)}})
    sender.post(f"{base}/readings/upload", timeout=30, files={
        "file": ("round.xls", filled)}, data={
        "csrf_token": csrf_token(sender.get(f"{base}/readings/file").text)})
    with core.uow() as uow:
        upload = uow.session.scalar(select(Upload.id).where(Upload.status == "checked"))
    send_token = csrf_token(sender.get(f"{base}/readings/send/{upload}").text)

    # Typists: two tabs share a login session, the others have their own.
    sessions = [logged_in(base) for _ in range(SUBMITTERS - 2)]
    tabs = sessions + [sessions[0]]
    tokens = [csrf_token(tab.get(f"{base}/readings/manual/").text) for tab in tabs]

    def type_in(index: int) -> int:
        return tabs[index].post(
            f"{base}/readings/manual/{meter.id}", allow_redirects=False, timeout=60,
            data={"csrf_token": tokens[index], "reading_date": "2026-03-20",
                  "t1": str(1100 + 10 * round_number + index)}).status_code

    def send_file() -> int:
        return sender.post(f"{base}/readings/send/{upload}", allow_redirects=False, timeout=60,
                           data={"csrf_token": send_token, "answer": "yes"}).status_code

    return together([functools.partial(type_in, i) for i in range(len(tabs))] + [send_file],
                    timeout=120)


def test_eight_submitters_on_one_meter_leave_one_current_reading(core, live_server,
                                                                  zeep_client):
    zeep_client.service.RegisterOrganization(RequestId="reg", Organization=story_organization())
    activate(core, PASSWORD)
    with core.uow() as uow:
        meter = uow.session.scalar(select(Meter).where(Meter.number == "00215090"))
    statuses: list[int] = []
    for round_number in range(ROUNDS):
        statuses += race_one_round(core, live_server, meter, round_number)

    assert statuses == [302] * (SUBMITTERS * ROUNDS)
    with core.uow() as uow:
        readings = list(uow.session.scalars(select(Reading).where(
            Reading.meter_id == meter.id, Reading.channel != "billing").order_by(Reading.id)))
    assert len(readings) == SUBMITTERS * ROUNDS
    assert [r.id for r in readings if r.is_current] == [readings[-1].id]
    # Each reading replaced the one current when it was saved: one unbroken chain.
    assert [r.replaces_id for r in readings] == [None] + [r.id for r in readings[:-1]]
    assert sorted(r.channel for r in readings).count("file") == ROUNDS
    events = export_readings(core, 0, 100).events
    assert [(e.event, e.reading_id) for e in events] == [("submitted", r.id) for r in readings]


def test_a_double_click_at_the_same_moment_saves_one_reading(core, live_server, zeep_client):
    zeep_client.service.RegisterOrganization(RequestId="reg", Organization=story_organization())
    activate(core, PASSWORD)
    with core.uow() as uow:
        meter = uow.session.scalar(select(Meter.id).where(Meter.number == "00215090"))
    tab = logged_in(live_server)
    token = csrf_token(tab.get(f"{live_server}/readings/manual/").text)
    def click() -> int:
        return tab.post(f"{live_server}/readings/manual/{meter}", allow_redirects=False,
                        timeout=60, data={"csrf_token": token, "reading_date": "2026-03-20",
                                          "t1": "1100"}).status_code

    statuses = together(6 * [click])
    assert statuses == [302] * 6
    with core.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Reading)
                                  .where(Reading.meter_id == meter,
                                         Reading.channel == "manual")) == 1
