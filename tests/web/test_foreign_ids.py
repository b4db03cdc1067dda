"""Every route that takes an object's id, walked with another organization's ids: each answers
403, 404 or 410 and changes nothing (docs/spec.md §18.2)."""
from __future__ import annotations

from sqlalchemy import func, select, text

from lkk_integration.models import ContactPerson, LoginSession, Meter, Reading, Upload
from lkk_integration.readings.manual import Submitter, submit_reading
from lkk_integration.spreadsheets.template import build_xls, rows_for_template
from lkk_integration.spreadsheets.upload import upload_readings_file

from tests.support.cabinet import csrf_token
from tests.support.organizations import READING_DATE, story_organization
from tests.support.spreadsheets import fill_template

REFUSED = {403, 404, 410}


def test_every_route_with_another_organizations_ids_is_refused(core, signed_in, zeep_client,
                                                               app):
    zeep_client.service.RegisterOrganization(RequestId="other", Organization=story_organization(
        org_id="ORG-2", email="other@uk-test.example", contract="Д-2"))
    with core.uow() as uow:
        other = uow.session.scalars(select(ContactPerson).where(
            ContactPerson.email_normalized == "other@uk-test.example")).one()
        other_ids = (other.id, other.organization_id)
        house_ids = [r[0] for r in uow.session.execute(text(
            "SELECT id FROM house WHERE organization_id = :o"), {"o": other.organization_id})]
    filled = fill_template(build_xls(rows_for_template(core, other_ids[1], house_ids)),
                           {"00215090": {"t1": 1200, "date": READING_DATE}})
    upload_id = upload_readings_file(core, other_ids[0], other_ids[1], "theirs.xls", filled)
    with core.uow() as uow:
        meter_id = uow.session.scalar(select(Meter.id).where(Meter.billing_id == "ORG-2-M-B"))
        login_session = uow.session.scalar(select(LoginSession.public_id))
    # A reading the other organization typed in (even in this very login session's id).
    reading_id = submit_reading(core, Submitter(other_ids[0], other_ids[1], login_session),
                                meter_id, "2026-03-18", ["520", "310", None]).reading_id
    assert reading_id is not None

    # Another organization's id for each kind of object id a route takes. (Links' tokens are
    # capabilities, not ids: tests/web/test_sign_in.py holds their rules.)
    from lkk_integration.signin.api_tokens import create_api_token
    their_token, _secret = create_api_token(core, other_ids[0], "Их программа")
    foreign = {"upload_id": str(upload_id), "meter_id": str(meter_id),
               "token_id": str(their_token.id),
               "reading_id": str(reading_id), "house_id": str(house_ids[0])}
    token = csrf_token(signed_in.get("/readings/file").text)
    # The API's routes are walked with a token of this organization (docs/spec.md §21).
    with core.uow() as uow:
        own_person = uow.session.scalar(select(ContactPerson.id).where(
            ContactPerson.email_normalized == "contact@uk-test.example"))
    _line, own_token = create_api_token(core, own_person, "Наша программа")
    walked = []
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.endpoint == "static" or "token" in rule.arguments:
            continue
        if rule.rule.startswith("/admin"):
            continue  # no contact person opens any of them: tests/web/test_admin.py
        assert rule.arguments <= set(foreign), f"no foreign id to try on {rule.rule}"
        path = rule.build({name: foreign[name] for name in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = signed_in.open(path, method=method,
                                      data={"csrf_token": token, "answer": "yes"},
                                      headers={"Authorization": f"Bearer {own_token}"}
                                      if path.startswith("/api/") else {})
            walked.append((rule.endpoint, method, response.status_code))
    # Ids that travel in a form rather than the path.
    response = signed_in.post("/readings/template", data={
        "csrf_token": token, "house": [str(i) for i in house_ids]})
    walked.append(("readings.template", "POST", response.status_code))
    for query in (f"house={house_ids[0]}", f"kind=common_house&house={house_ids[0]}",
                  f"kind=common_house&meter={meter_id}&house={house_ids[0]}"):
        response = signed_in.get(f"/readings/manual/?{query}")
        walked.append(("manual.index", query, response.status_code))
    # A foreign reading id in the query gets the page back with a refusal, never a confirmation.
    response = signed_in.get(f"/readings/manual/delete?reading={reading_id}")
    assert response.status_code == 302 and "Да" not in response.text

    assert {e for e, _m, _s in walked} >= {"readings.send", "readings.template",
                                           "manual.submit", "manual.delete", "manual.index",
                                           "settings.revoke_token", "api.withdraw"}
    assert [w for w in walked if w[2] not in REFUSED] == []
    with core.uow() as uow:
        assert uow.session.get(Upload, upload_id).status == "checked"
        assert uow.session.scalar(select(func.count()).select_from(Reading)
                                  .where(Reading.channel == "file")) == 0
        theirs = uow.session.get(Reading, reading_id)
        assert theirs.is_current and theirs.deleted_at is None
        assert uow.session.scalar(select(func.count()).select_from(Reading)
                                  .where(Reading.channel == "manual")) == 1
