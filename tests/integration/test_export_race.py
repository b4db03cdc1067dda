"""The export cursor never skips a reading that commits while an export is running."""
from __future__ import annotations

import threading
import time

from sqlalchemy import select

from lkk_integration.models import Organization, Reading
from lkk_integration.readings.export import export_readings
from lkk_integration.spreadsheets import upload
from lkk_integration.spreadsheets.template import build_xls, rows_for_template

from tests.support.organizations import READING_DATE, story_organization
from tests.support.spreadsheets import fill_template

SENDS_EACH = 6


def test_an_export_racing_two_committers_exports_every_reading_exactly_once(
        core, zeep_client, monkeypatch):
    for org_id, email, contract in (("ORG-1", "one@uk-test.example", "Д-1"),
                                    ("ORG-2", "two@uk-test.example", "Д-2")):
        zeep_client.service.RegisterOrganization(
            RequestId=org_id, Organization=story_organization(org_id, email, contract))
    with core.uow() as uow:
        people = {o.billing_id: (o.contact_person.id, o.id, [h.id for h in o.houses])
                  for o in uow.session.scalars(select(Organization))}

    # Hold each send's transaction open a little after its events are numbered, so that the
    # exporter runs while numbers are taken but not yet committed.
    real_record = upload.record_events

    def slow_record(*args, **kwargs):
        count = real_record(*args, **kwargs)
        time.sleep(0.03)
        return count

    monkeypatch.setattr(upload, "record_events", slow_record)
    errors = []

    def committer(org_id: str) -> None:
        person_id, organization_id, house_ids = people[org_id]
        template = build_xls(rows_for_template(core, organization_id, house_ids))
        try:
            for k in range(1, SENDS_EACH + 1):
                filled = fill_template(template, {
                    "00215090": {"t1": 1000 + k, "date": READING_DATE},
                    "00300003": {"t1": 100 + k, "date": READING_DATE}})
                upload_id = upload.upload_readings_file(core, person_id, organization_id,
                                                         f"{k}.xls", filled)
                upload.send_valid_rows(core, person_id, organization_id, upload_id)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    seen: list[int] = []
    done = threading.Event()

    def exporter() -> None:
        cursor = 0
        while True:
            finished = done.is_set()
            page = export_readings(core, cursor, 3)
            seen.extend(e.reading_id for e in page.events)
            cursor = page.next_cursor
            if finished and not page.events and not page.has_more:
                return

    threads = [threading.Thread(target=committer, args=(o,)) for o in ("ORG-1", "ORG-2")]
    export_thread = threading.Thread(target=exporter)
    export_thread.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    done.set()
    export_thread.join(120)

    assert errors == []
    with core.uow() as uow:
        submitted = uow.session.scalars(select(Reading.id).where(Reading.channel == "file")).all()
    assert len(submitted) == 2 * SENDS_EACH * 2
    assert sorted(seen) == sorted(submitted)  # every one, and none twice
