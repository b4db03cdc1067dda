"""Every route that takes an object's id, walked with another organization's ids: each answers
403, 404 or 410 and changes nothing (SPEC.md, Cross-cutting)."""
from __future__ import annotations

from sqlalchemy import func, select, text

from lkk_integration.models import ContactPerson, Reading, Upload
from lkk_integration.spreadsheets.template import build_xls, template_rows
from lkk_integration.uploads import upload_readings_file

from .helpers import csrf_token, fill_template, story_organization
from .test_story import READING_DATE

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
    filled = fill_template(build_xls(template_rows(core, other_ids[1], house_ids)),
                           {"00215090": {"t1": 1200, "date": READING_DATE}})
    upload_id = upload_readings_file(core, other_ids[0], other_ids[1], "theirs.xls", filled)

    # Another organization's id for each kind of object id a route takes. (Links' tokens are
    # capabilities, not ids: tests/test_sign_in.py holds their rules.)
    foreign = {"upload_id": str(upload_id)}
    token = csrf_token(signed_in.get("/readings/file").text)
    walked = []
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.endpoint == "static" or "token" in rule.arguments:
            continue
        assert rule.arguments <= set(foreign), f"no foreign id to try on {rule.rule}"
        path = rule.build({name: foreign[name] for name in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = signed_in.open(path, method=method,
                                      data={"csrf_token": token, "answer": "yes"})
            walked.append((rule.endpoint, method, response.status_code))
    # Ids that travel in a form rather than the path.
    response = signed_in.post("/readings/template", data={
        "csrf_token": token, "house": [str(i) for i in house_ids]})
    walked.append(("readings.template", "POST", response.status_code))

    assert {e for e, _m, _s in walked} >= {"readings.send", "readings.template"}
    assert [w for w in walked if w[2] not in REFUSED] == []
    with core.uow() as uow:
        assert uow.session.get(Upload, upload_id).status == "checked"
        assert uow.session.scalar(select(func.count()).select_from(Reading)
                                  .where(Reading.channel == "file")) == 0
