"""One set of characters no text may carry (lkk_integration/text.py): SOAP refuses them naming
the field, in every text field of every operation; a spreadsheet and a typed reading lose
them; the administrator's texts are refused (tests/test_admin.py)."""
from __future__ import annotations

import datetime as dt
import io
import sys
import unicodedata

import pytest
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from spyne.model.complex import ComplexModelBase
from spyne.model.primitive import Unicode
from sqlalchemy import func, select

from lkk_integration import messages as msg
from lkk_integration.models import SoapRequest
from lkk_integration.organizations.clients import set_client_quota
from lkk_integration.soap.app import build_wsdl
from lkk_integration.soap.service import IntegrationService
from lkk_integration.soap.types import NS
from lkk_integration.soap.validation import RequestSchema
from lkk_integration.spreadsheets.intake import IntakeLimits, Sheet, read_sheets, template_rows
from lkk_integration.text import FORBIDDEN, forbidden_in, natural_key, visible, without_forbidden

from tests.support.soap import faultstring, post_soap, soap_envelope

EVERY_CHARACTER = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
FORBIDDEN_CHARACTERS = [c for c in EVERY_CHARACTER if FORBIDDEN.match(c)]


def xml_can_carry(c: str) -> bool:
    """XML 1.0's Char production: C0 controls but tab and line breaks, and U+FFFE/U+FFFF,
    cannot be in a document at all, not even as a reference."""
    try:
        etree.Element("x").text = c
    except ValueError:
        return False
    return True


def test_the_set_is_unicodes_control_and_format_characters_but_tab_and_line_breaks():
    expected = {c for c in EVERY_CHARACTER if unicodedata.category(c) in ("Cc", "Cf")} - \
        set("\t\n\r")
    # Exactly the running Python's set, and beyond it only what its Unicode has not assigned
    # yet (3.11 and 3.12 know Unicode 15.0; 3.13's 15.1 added U+13439–U+1343F).
    assert expected <= set(FORBIDDEN_CHARACTERS)
    assert {unicodedata.category(c) for c in set(FORBIDDEN_CHARACTERS) - expected} <= {"Cn"}
    named = ["\u202a", "\u202e", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\u200b",
             "\u200d", "\u2060", "\ufeff", "\x85", "\x7f", "\U000e0041"]
    assert all(c in expected for c in named)


@given(st.text())
def test_a_text_has_forbidden_characters_exactly_when_removing_them_changes_it(text):
    codes = forbidden_in(text)
    assert (codes is None) == (without_forbidden(text) == text) == (visible(text) == text)
    assert forbidden_in(without_forbidden(text)) is None
    if codes:
        assert codes.split(", ")[0] == f"U+{ord(FORBIDDEN.search(text).group()):04X}"


HEADER = ["Адрес", "Квартира", "№ счетчика", "Т1", "Т2", "Т3", "Дата показания"]


def file_reads_address(cell: str) -> str:
    """The address the file channel reads from a row whose «Адрес» cell holds `cell`."""
    sheet = Sheet("ИПУ", [HEADER, [cell, "1", "00215090", 1100.0, None, None, "18.03.2026"]])
    return next(template_rows([sheet])).address


SCHEMA = RequestSchema(build_wsdl("http://127.0.0.1/soap"))


def soap_refuses(text: str) -> bool:
    operation = etree.fromstring(
        f'<v1:SaveHouse xmlns:v1="{NS}"><v1:House><v1:Street/></v1:House></v1:SaveHouse>')
    operation[0][0].text = text
    return SCHEMA.forbidden_text(operation) is not None


@settings(max_examples=500)
@given(st.characters().filter(xml_can_carry))
def test_soap_refuses_a_character_exactly_when_a_file_loses_it(c):
    assert soap_refuses(f"ул{c}1") == (file_reads_address(f"ул{c}1") == "ул1") == \
        (c in FORBIDDEN_CHARACTERS)


def test_every_forbidden_character_is_refused_by_soap_and_lost_by_a_file():
    for c in FORBIDDEN_CHARACTERS:
        assert file_reads_address(f"ул{c}1") == "ул1", hex(ord(c))
        if xml_can_carry(c):
            assert soap_refuses(f"ул{c}1"), hex(ord(c))


def test_a_spreadsheet_loses_them_from_every_cell_and_sheet_name_it_reads():
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("ИПУ\u202e")
    for c, title in enumerate(["№ счетчика\u200b", "Т1", "Т2", "Т3", "Дата показания\u200f"]):
        sheet.write(0, c, title)
    for c, value in enumerate(["\u202e00215090\u200b", "1\u200d100,5", "\ufeff", None,
                               "18.03.2026\u2066"]):
        if value is not None:
            sheet.write(1, c, value)
    out = io.BytesIO()
    book.save(out)
    sheets = read_sheets(out.getvalue(), IntakeLimits())
    assert sheets[0].name == "ИПУ"
    row = next(template_rows(sheets))
    assert (row.meter_number, row.raw_values, row.raw_date) == (
        "00215090", ["1100,5", None, None], "18.03.2026")


def text_fields(model, path=()):
    """Paths of the Unicode fields of a spyne type, as the gateway names them."""
    for name, field in model._type_info.items():
        if issubclass(field, Unicode):
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


SHOWN = st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn")), max_size=3)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), c=st.sampled_from([c for c in FORBIDDEN_CHARACTERS if xml_can_carry(c)]),
       before=SHOWN, after=SHOWN)
def test_any_text_with_a_forbidden_character_is_refused_by_soap_naming_the_field(
        live_server, zeep_client, unlimited, data, c, before, after):
    operation = data.draw(st.sampled_from(sorted(TEXT_FIELDS)))
    field = data.draw(st.sampled_from(TEXT_FIELDS[operation]))
    response = post_soap(live_server, call_with(zeep_client, operation, field,
                                                before + c + after), auth=unlimited)
    assert faultstring(response) == expected_refusal(field, c)


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


def test_apartments_and_addresses_sort_with_their_numbers_by_value():
    assert sorted(["10", "2", "10Б", "10а", "А", " 3 ", "1"], key=natural_key) == \
        ["1", "2", " 3 ", "10", "10а", "10Б", "А"]
    assert sorted(["Москва г., Вавилова ул., д. 45", "Москва г., Вавилова ул., д. 5 стр.2",
                   None], key=natural_key) == \
        [None, "Москва г., Вавилова ул., д. 5 стр.2", "Москва г., Вавилова ул., д. 45"]
