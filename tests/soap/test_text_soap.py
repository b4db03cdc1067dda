"""Forbidden characters over SOAP: every text field of every operation refuses them, naming the
field."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from spyne.model.complex import ComplexModelBase
from spyne.model.primitive import Unicode
from sqlalchemy import func, select

from lkk_integration import messages as msg
from lkk_integration.models import SoapRequest
from lkk_integration.organizations.clients import set_client_quota
from lkk_integration.soap.service import IntegrationService
from lkk_integration.soap.types import NS

from tests.support.characters import FORBIDDEN_CHARACTERS, xml_can_carry
from tests.support.soap import faultstring, post_soap, soap_envelope


def text_fields(model, path=()):
    """Paths of the Unicode fields of a spyne type, as the gateway names them."""
    for name, field in model._type_info.items():
        if issubclass(field, Unicode):
            # A field with a pattern (a reason's Code) refuses every character outside it by
            # the schema: test_a_patterned_field_refuses_a_forbidden_character_by_its_pattern.
            if field.Attributes.pattern is None:
                yield "/".join((*path, name))
        elif issubclass(field, ComplexModelBase):
            yield from text_fields(field, (*path, name))


TEXT_FIELDS = {name: list(text_fields(method.in_message))
               for name, method in IntegrationService.public_methods.items()}

LAST = {"ReadingDate": dt.date(2026, 3, 1), "T1": "1", "Source": "Абонент"}
METER = {"MeterId": "M-1", "Number": "0001", "Zones": 1, "Capacity": 6, "LastReading": LAST}
HOUSE = {"HouseId": "H-1", "Settlement": "Москва г.", "Street": "Вавилова ул.",
         "HouseNumber": "45", "Accounts": {"Account": [{
             "Number": "1", "Apartment": "1", "ConsumerName": "Абонент Тестовый",
             "MeteringType": "Однотарифный", "Meters": {"Meter": [METER]}}]},
         "CommonHouseMeters": {"Meter": [dict(METER, MeterId="M-2", Number="0002")]}}
REQUISITES = {"FullName": "ООО «УК «Тестовая»", "ShortName": "УК", "Type": "Управляющая компания",
              "Inn": "7700000023", "Kpp": "770001002", "Ogrn": "1027700000002",
              "ContractNumber": "Д-1"}
PERSON = {"FullName": "Тестова Ирина Олеговна", "Email": "contact@uk-test.example",
          "MobilePhone": "+7 900 000-00-02"}
# A valid call of each operation with every text field of it present once.
CALLS = {
    "RegisterOrganization": {"RequestId": "r", "Organization": {
        "OrganizationId": "O-1", **REQUISITES, "ContactPerson": PERSON,
        "Houses": {"House": [HOUSE]}}},
    "UpdateOrganization": {"RequestId": "r", "OrganizationId": "O-1", "Requisites": REQUISITES,
                           "ContactPerson": PERSON},
    "DeactivateOrganization": {"RequestId": "r", "OrganizationId": "O-1"},
    "ReactivateOrganization": {"RequestId": "r", "OrganizationId": "O-1"},
    "SaveHouse": {"RequestId": "r", "OrganizationId": "O-1", "House": HOUSE},
    "RemoveHouse": {"RequestId": "r", "HouseId": "H-1"},
    "ReplaceMeter": {"RequestId": "r", "OldMeterId": "M-1", "FinalReading": LAST,
                     "NewMeter": METER},
    "RemoveMeter": {"RequestId": "r", "MeterId": "M-1"},
    "UpdateAccountedReadings": {"RequestId": "r", "Readings": {"MeterReading": [
        {"MeterId": "M-1", **LAST}]}},
    "RecordReadingVerdicts": {"RequestId": "r", "Verdicts": {"ReadingVerdict": [
        {"ReadingId": 1, "Accepted": False, "Reason": "Показание больше возможного"}]}},
    "GetOrganization": {"OrganizationId": "O-1"},
    "ExportReadings": {"Cursor": 0, "Limit": 1, "OrganizationId": "O-1"},
    "ExportReadingsWithCheckNotes": {"Cursor": 0, "Limit": 1, "OrganizationId": "O-1"},
    "ExportReadingsWithNotRead": {"Cursor": 0, "Limit": 1, "OrganizationId": "O-1"},
    "GetNotReadReasons": {},
    "SetNotReadReasons": {"RequestId": "r", "Reasons": {"NotReadReason": [
        {"Code": "NO_ACCESS", "Name": "Нет доступа"}]}},
}


def call_with(zeep_client, operation: str, field: str, text: str) -> bytes:
    """The envelope zeep writes for CALLS[operation], with `text` in `field`."""
    envelope = zeep_client.create_message(zeep_client.service, operation, **CALLS[operation])
    element = envelope.find(f".//{{{NS}}}{operation}")
    for step in field.split("/"):
        element = element.find(f"{{{NS}}}{step}")
        assert element is not None, f"CALLS[{operation!r}] lacks {field}"
    element.text = text
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


def expected_refusal(field: str, c: str) -> tuple[str, str]:
    return ("soap11env:Client.Validation", msg.forbidden_characters(
        field=f"Поле {field}", codes=f"U+{ord(c):04X}"))


@pytest.fixture
def unlimited(core, soap_credentials):
    # Every example below is a call; the quota is not what is tested here.
    set_client_quota(core, soap_credentials[0], 100_000)
    return soap_credentials


SHOWN = st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn")), max_size=3)


def test_every_text_field_of_every_operation_refuses_a_direction_override_naming_it(
        core, live_server, zeep_client, unlimited):
    assert set(TEXT_FIELDS) == set(CALLS)
    for operation, fields in TEXT_FIELDS.items():
        for field in fields:
            response = post_soap(live_server, call_with(zeep_client, operation, field, "А\u202eБ"),
                                 auth=unlimited)
            assert response.status_code == 500
            assert faultstring(response) == expected_refusal(field, "\u202e"), operation
    with core.uow() as uow:  # refused before any operation ran: no write is recorded
        assert uow.session.scalar(select(func.count()).select_from(SoapRequest)) == 0


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), c=st.sampled_from([c for c in FORBIDDEN_CHARACTERS if xml_can_carry(c)]),
       before=SHOWN, after=SHOWN)
def test_any_text_with_a_forbidden_character_is_refused_by_soap_naming_the_field(
        live_server, zeep_client, unlimited, data, c, before, after):
    operation = data.draw(st.sampled_from(sorted(op for op, fields in TEXT_FIELDS.items()
                                                 if fields)))
    field = data.draw(st.sampled_from(TEXT_FIELDS[operation]))
    response = post_soap(live_server, call_with(zeep_client, operation, field,
                                                before + c + after), auth=unlimited)
    assert faultstring(response) == expected_refusal(field, c)


def test_a_patterned_field_refuses_a_forbidden_character_by_its_pattern(live_server,
                                                                      zeep_client, unlimited):
    response = post_soap(live_server, call_with(zeep_client, "SetNotReadReasons",
                                                "Reasons/NotReadReason/Code", "NO\u202eACCESS"),
                         auth=unlimited)
    assert faultstring(response) == (
        "soap11env:Client.SchemaValidationError",
        "Поле Reasons/NotReadReason/Code: значение «NO\u202eACCESS» не подходит, ожидается по "
        "образцу [A-Za-z0-9_\\-]{1,20}")


def test_the_path_counts_repeated_elements_and_a_c0_control_is_no_xml_at_all(
        live_server, unlimited):
    houses = soap_envelope(
        "<v1:RegisterOrganization><v1:RequestId>r</v1:RequestId><v1:Organization>"
        "<v1:OrganizationId>O-1</v1:OrganizationId><v1:FullName>ООО</v1:FullName>"
        "<v1:ShortName>УК</v1:ShortName><v1:Type>УК</v1:Type><v1:Inn>7700000023</v1:Inn>"
        "<v1:ContactPerson><v1:FullName>Тестова</v1:FullName>"
        "<v1:Email>contact@uk-test.example</v1:Email></v1:ContactPerson><v1:Houses>"
        + "".join(f"<v1:House><v1:HouseId>H-{i}</v1:HouseId><v1:Settlement>Москва г."
                  f"</v1:Settlement><v1:Street>{street}</v1:Street><v1:HouseNumber>1"
                  f"</v1:HouseNumber></v1:House>" for i, street in ((1, "Вавилова ул."),
                                                                    (2, "Вави\u200bлова ул.")))
        + "</v1:Houses></v1:Organization></v1:RegisterOrganization>")
    assert faultstring(post_soap(live_server, houses, auth=unlimited)) == expected_refusal(
        "Organization/Houses/House[2]/Street", "\u200b")
    control = soap_envelope("<v1:GetOrganization><v1:OrganizationId>O&#1;</v1:OrganizationId>"
                            "</v1:GetOrganization>")
    assert faultstring(post_soap(live_server, control, auth=unlimited))[0] == \
        "soap11env:Client.MalformedXml"
