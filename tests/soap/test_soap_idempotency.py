"""Every write carries a RequestId: the same id and body again returns the first answer and
changes nothing; the same id with another body is refused."""
from __future__ import annotations

import datetime as dt

import pytest
import zeep
from sqlalchemy import func, select

from lkk_integration.models import MailMessage, Meter, Reading

from tests.support.organizations import meter, story_organization
from tests.support.soap import send_file_rows


def state(core) -> tuple:
    """A fingerprint of what a write could change."""
    with core.uow() as uow:
        s = uow.session
        return (s.scalar(select(func.count()).select_from(Reading)),
                s.scalar(select(func.count()).select_from(MailMessage)),
                s.scalar(select(func.count()).select_from(Meter)),
                tuple(s.execute(select(Meter.billing_id, Meter.archived_at.is_(None))
                                .order_by(Meter.billing_id)).all()))


def reading_ids(service):
    exported = service.ExportReadings(Cursor=0, Limit=10).Readings.ExportedReading
    return [r.ReadingId for r in exported]


HOUSE = {"HouseId": "ORG-1-H2", "Settlement": "Климовск г.", "Street": "Заводская ул.",
         "HouseNumber": "10"}
FINAL = {"ReadingDate": dt.date(2026, 3, 10), "T1": "1090", "Source": "Контрольный обход"}

# operation → (arguments, the same arguments with another body)
WRITES = {
    "UpdateOrganization": (dict(OrganizationId="ORG-1", Requisites={"ShortName": "А"}),
                           dict(OrganizationId="ORG-1", Requisites={"ShortName": "Б"})),
    "DeactivateOrganization": (dict(OrganizationId="ORG-1"), dict(OrganizationId="ORG-X")),
    "ReactivateOrganization": (dict(OrganizationId="ORG-1"), dict(OrganizationId="ORG-X")),
    "SaveHouse": (dict(OrganizationId="ORG-1", House=HOUSE),
                  dict(OrganizationId="ORG-1", House=dict(HOUSE, HouseNumber="11"))),
    "RemoveHouse": (dict(HouseId="ORG-1-H1"), dict(HouseId="ORG-1-H2")),
    "ReplaceMeter": (dict(OldMeterId="ORG-1-M-A", FinalReading=FINAL,
                          NewMeter=meter("M-A2", "00999001", 1, ["0"])),
                     dict(OldMeterId="ORG-1-M-A", FinalReading=FINAL,
                          NewMeter=meter("M-A3", "00999002", 1, ["0"]))),
    "RemoveMeter": (dict(MeterId="ORG-1-M-F"), dict(MeterId="ORG-1-M-C")),
    "UpdateAccountedReadings": (
        dict(Readings={"MeterReading": [dict(FINAL, MeterId="ORG-1-M-A")]}),
        dict(Readings={"MeterReading": [dict(FINAL, MeterId="ORG-1-M-A", T1="1091")]})),
    "RecordReadingVerdicts": (None, None),  # built from the export below
}


@pytest.mark.parametrize("operation", sorted(WRITES))
def test_a_repeated_write_returns_the_first_answer_and_changes_nothing(core, zeep_client,
                                                                       operation):
    service = zeep_client.service
    send_file_rows(core, zeep_client, {"00300003": {"t1": 150}})  # registers ORG-1 too
    first_args, other_args = WRITES[operation]
    if operation == "RecordReadingVerdicts":
        rid = reading_ids(service)[0]
        first_args = dict(Verdicts={"ReadingVerdict": [{"ReadingId": rid, "Accepted": True}]})
        other_args = dict(Verdicts={"ReadingVerdict": [{"ReadingId": rid, "Accepted": False,
                                                        "Reason": "Нет"}]})
    call = getattr(service, operation)
    first = zeep.helpers.serialize_object(call(RequestId="once", **first_args))
    after_first = state(core)
    again = zeep.helpers.serialize_object(call(RequestId="once", **first_args))
    assert again == first
    assert state(core) == after_first
    with pytest.raises(zeep.exceptions.Fault) as fault:
        call(RequestId="once", **other_args)
    assert fault.value.code.endswith("Client.RequestIdReused")
    assert state(core) == after_first


def test_request_ids_are_per_client(core, zeep_client, live_server):
    """Two billing systems may pick the same RequestId without colliding."""
    import requests

    from lkk_integration.organizations.clients import create_client

    _id, secret = create_client(core, "billing-second")
    session = requests.Session()
    session.auth = ("billing-second", secret)
    second = zeep.Client(f"{live_server}/soap?wsdl",
                         transport=zeep.transports.Transport(session=session))
    zeep_client.service.RegisterOrganization(RequestId="1", Organization=story_organization())
    answer = second.service.RegisterOrganization(RequestId="1", Organization=story_organization(
        org_id="ORG-2", email="second@uk-test.example", contract="Д-2"))
    assert answer.OrganizationId == "ORG-2"
