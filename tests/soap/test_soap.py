"""The SOAP service through zeep over HTTP: idempotent writes, faults naming the field,
reading back, the export cursor and plain decimals."""
from __future__ import annotations

from decimal import Decimal

import pytest
import zeep
from sqlalchemy import func, select

from lkk_integration.models import Organization
from lkk_integration.spreadsheets.upload import send_valid_rows, upload_readings_file

from tests.support.organizations import story_organization
from tests.support.soap import post_soap, send_file_rows, soap_envelope


def organizations(core) -> int:
    with core.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(Organization))


def test_repeating_a_request_id_returns_the_first_answer_and_changes_nothing(core, zeep_client):
    first = zeep_client.service.RegisterOrganization(RequestId="same",
                                                     Organization=story_organization())
    again = zeep_client.service.RegisterOrganization(RequestId="same",
                                                     Organization=story_organization())
    assert zeep.helpers.serialize_object(first) == zeep.helpers.serialize_object(again)
    assert organizations(core) == 1


def test_the_same_request_id_with_another_body_is_refused(core, zeep_client):
    zeep_client.service.RegisterOrganization(RequestId="same", Organization=story_organization())
    changed = story_organization()
    changed["ShortName"] = "Другое имя"
    with pytest.raises(zeep.exceptions.Fault) as fault:
        zeep_client.service.RegisterOrganization(RequestId="same", Organization=changed)
    assert fault.value.code.endswith("Client.RequestIdReused")
    assert "RequestId=same" in fault.value.message
    assert organizations(core) == 1


@pytest.mark.parametrize("change, code, words", [
    (lambda o: o.update(Inn="12345"), "Client.Validation", "Inn"),
    # 7700000023 in Arabic-Indic digits: a valid INN to isdigit() and int(), to nobody else.
    (lambda o: o.update(Inn="٧٧٠٠٠٠٠٠٢٣"), "Client.Validation", "Inn"),
    (lambda o: o.update(Kpp="７７０００１００２"), "Client.Validation", "Kpp"),
    (lambda o: o["ContactPerson"].update(Email="not-an-email"), "Client.Validation",
     "ContactPerson.Email"),
    (lambda o: o["Houses"]["House"][0]["Accounts"]["Account"][1]["Meters"]["Meter"][0]
     ["LastReading"].update(T3="5"), "Client.Validation",
     "Houses[1].Accounts[2].Meters[1].LastReading: Лишние показания Т3"),
    (lambda o: o["Houses"]["House"][0]["Accounts"]["Account"][0]["Meters"]["Meter"][0]
     ["LastReading"].update(T1="1234567"), "Client.Validation", "больше 6 разрядов"),
])
def test_a_bad_field_gets_a_client_fault_naming_it_and_nothing_is_written(
        core, zeep_client, change, code, words):
    organization = story_organization()
    change(organization)
    with pytest.raises(zeep.exceptions.Fault) as fault:
        zeep_client.service.RegisterOrganization(RequestId="bad", Organization=organization)
    assert fault.value.code.endswith(code)
    assert words in fault.value.message
    assert organizations(core) == 0


def test_a_taken_email_is_a_conflict_whatever_its_letter_case(core, zeep_client):
    zeep_client.service.RegisterOrganization(RequestId="one", Organization=story_organization())
    other = story_organization(org_id="ORG-2", email="CONTACT@uk-test.example", contract="Д-2")
    with pytest.raises(zeep.exceptions.Fault) as fault:
        zeep_client.service.RegisterOrganization(RequestId="two", Organization=other)
    assert fault.value.code.endswith("Client.Conflict")
    assert "CONTACT@uk-test.example" in fault.value.message
    assert organizations(core) == 1


def test_a_missing_required_element_is_refused_by_the_schema(core, live_server,
                                                             soap_credentials):
    response = post_soap(live_server, soap_envelope(
        "<v1:RegisterOrganization><v1:RequestId>x</v1:RequestId></v1:RegisterOrganization>"),
        auth=soap_credentials)
    assert response.status_code == 500
    assert "Client.SchemaValidationError" in response.text
    assert organizations(core) == 0


def test_an_organization_reads_back_as_registered(zeep_client):
    zeep_client.service.RegisterOrganization(RequestId="r", Organization=story_organization())
    back = zeep_client.service.GetOrganization(OrganizationId="ORG-1")
    house = back.Houses.House[0]
    meters = {a.Apartment: a.Meters.Meter[0] for a in house.Accounts.Account}
    assert meters["1"].Number == "00215090"
    assert meters["2"].Number == "066823"
    assert meters["4"].LastReading.T3 == Decimal("15")
    common = house.CommonHouseMeters.Meter[0]
    assert (common.Number, common.TransformationRatio, common.Zones) == ("7700123", Decimal(40), 2)
    assert back.ContactPerson.Email == "contact@uk-test.example"
    with pytest.raises(zeep.exceptions.Fault) as fault:
        zeep_client.service.GetOrganization(OrganizationId="ORG-404")
    assert fault.value.code.endswith("Client.NotFound")


def test_the_export_pages_by_cursor_and_never_repeats(core, zeep_client):
    send_file_rows(core, zeep_client, {"00215090": {"t1": 1200}, "00300001": {"t1": 2000.5},
                                        "00300003": {"t1": 100}})
    first = zeep_client.service.ExportReadings(Cursor=0, Limit=2)
    assert first.HasMore is True and len(first.Readings.ExportedReading) == 2
    second = zeep_client.service.ExportReadings(Cursor=first.NextCursor, Limit=2)
    assert second.HasMore is False and len(second.Readings.ExportedReading) == 1
    seqs = [r.Seq for r in first.Readings.ExportedReading + second.Readings.ExportedReading]
    assert seqs == sorted(set(seqs))
    zeep_client.service.RegisterOrganization(RequestId="r2", Organization=story_organization(
        org_id="ORG-2", email="two@uk-test.example", contract="Д-2"))
    by_org = zeep_client.service.ExportReadings(Cursor=0, Limit=10, OrganizationId="ORG-2")
    assert by_org.Readings is None and by_org.NextCursor == seqs[-1]
    # A mistyped organization is refused, never skipped over.
    with pytest.raises(zeep.exceptions.Fault) as unknown:
        zeep_client.service.ExportReadings(Cursor=0, Limit=10, OrganizationId="org-1")
    assert unknown.value.code.endswith("Client.NotFound")
    with pytest.raises(zeep.exceptions.Fault) as backwards:
        zeep_client.service.ExportReadings(Cursor=0, Limit=10, DateFrom="2026-03-20",
                                           DateTo="2026-03-01")
    assert backwards.value.message == "Поле DateFrom: дата позже DateTo"
    with pytest.raises(zeep.exceptions.Fault):
        zeep_client.service.ExportReadings(Cursor=0, Limit=5000)


def test_decimals_are_plain_on_the_wire(core, zeep_client, live_server, soap_credentials):
    send_file_rows(core, zeep_client, {"00215090": {"t1": 1100}})
    response = post_soap(live_server, soap_envelope(
        "<v1:ExportReadings><v1:Cursor>0</v1:Cursor><v1:Limit>10</v1:Limit></v1:ExportReadings>"),
        auth=soap_credentials)
    assert response.status_code == 200
    assert ":T1>1100</" in response.text  # Decimal('1.1E+3') once normalized
    assert "E+" not in response.text and "E-" not in response.text
    assert ":MeterNumber>00215090</" in response.text


def test_a_later_file_replaces_the_current_reading_and_the_export_says_so(core, zeep_client):
    from lkk_integration.models import ContactPerson, Reading
    from lkk_integration.spreadsheets.template import build_xls, rows_for_template

    from tests.support.spreadsheets import fill_template
    from tests.support.organizations import READING_DATE

    send_file_rows(core, zeep_client, {"00215090": {"t1": 1100}})
    with core.uow() as uow:
        person = uow.session.scalars(select(ContactPerson)).one()
        ids = (person.id, person.organization_id, [h.id for h in person.organization.houses])
    again = fill_template(build_xls(rows_for_template(core, ids[1], ids[2])),
                          {"00215090": {"t1": 1200, "date": READING_DATE}})
    send_valid_rows(core, ids[0], ids[1], upload_readings_file(core, ids[0], ids[1], "2.xls",
                                                               again))
    with core.uow() as uow:
        readings = uow.session.scalars(select(Reading).where(Reading.channel == "file")
                                       .order_by(Reading.id)).all()
    assert [(r.t1, r.is_current) for r in readings] == [(Decimal(1100), False),
                                                        (Decimal(1200), True)]
    events = zeep_client.service.ExportReadings(Cursor=0, Limit=10).Readings.ExportedReading
    assert [(e.T1, e.ReplacesReadingId) for e in events] == [
        (Decimal(1100), None), (Decimal(1200), readings[0].id)]


def test_a_cursor_ahead_of_the_journal_is_refused(core, zeep_client):
    send_file_rows(core, zeep_client, {"00215090": {"t1": 1200}})
    with pytest.raises(zeep.exceptions.Fault) as fault:
        zeep_client.service.ExportReadings(Cursor=100000, Limit=10)
    assert fault.value.code.endswith("Client.Validation")
    assert "Cursor" in fault.value.message and "больше последнего выданного номера 1" in \
        fault.value.message
