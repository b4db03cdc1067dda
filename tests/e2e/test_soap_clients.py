"""Every operation called by three independent clients built from the served WSDL — zeep,
suds and PHP's SoapClient — over real HTTP on loopback; each must understand the same answer.

The table below is operation × client: one test per cell, none skipped under LKK_REQUIRE_ALL=1.
"""
from __future__ import annotations

import re

import pytest

from tests.support.clients.callers import CALLERS, CallFault, PhpCaller
from tests.support.organizations import meter, story_organization
from tests.support.parts import need
from tests.support.soap import send_file_rows

# The clients' part is the same on every database: CI runs this table once (on PostgreSQL).
pytestmark = pytest.mark.once

FINAL = {"ReadingDate": "2026-03-10", "T1": "1090", "Source": "Контрольный обход"}
HOUSE = {"HouseId": "ORG-1-H2", "Settlement": "Климовск г.", "Street": "Заводская ул.",
         "HouseNumber": "10", "Accounts": {"Account": [
             {"Number": "200001", "Apartment": "7",
              "Meters": {"Meter": [meter("M-N1", "0000777", 1, ["10"])]}}]}}


def clean(value):
    """Arguments without empty members, dates as text: the same bytes for every client."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [clean(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def accounts(answer):
    return [(a["Apartment"], m["Number"], m["LastReading"]["T1"])
            for a in answer["Houses"]["House"][0]["Accounts"]["Account"]
            for m in a["Meters"]["Meter"]]


def exported(answer):
    return [(r["Seq"], r["Event"], r["MeterNumber"], r["ReadingDate"], r["T1"], r["Channel"])
            for r in answer["Readings"]["ExportedReading"]]


# name → (operation, arguments (may use the reading ids), what the answer must say)
TABLE = {
    "RegisterOrganization": (
        "RegisterOrganization",
        lambda ids: {"RequestId": "m", "Organization": story_organization(
            "ORG-2", "two@uk-test.example", "Д-2")},
        lambda a: a == {"OrganizationId": "ORG-2", "Login": "two@uk-test.example",
                        "ActivationSent": "true"}),
    "GetOrganization": (
        "GetOrganization", lambda ids: {"OrganizationId": "ORG-1"},
        lambda a: a["IsActive"] == "true" and accounts(a) == [
            ("1", "00215090", "1000"), ("2", "066823", "500"), ("3", "00300001", "2000"),
            ("4", "00300002", "5"), ("5", "00300003", "100")]
        and a["Houses"]["House"][0]["CommonHouseMeters"]["Meter"][0]["TransformationRatio"]
        == "40"),
    "UpdateOrganization": (
        "UpdateOrganization",
        lambda ids: {"RequestId": "m", "OrganizationId": "ORG-1",
                     "Requisites": {"ShortName": "ТСЖ «Тест»"}},
        lambda a: a == {"OrganizationId": "ORG-1", "Login": "contact@uk-test.example"}),
    "DeactivateOrganization": (
        "DeactivateOrganization", lambda ids: {"RequestId": "m", "OrganizationId": "ORG-1"},
        lambda a: a == {"RequestId": "m", "Affected": "1"}),
    "ReactivateOrganization": (
        "ReactivateOrganization", lambda ids: {"RequestId": "m", "OrganizationId": "ORG-1"},
        lambda a: a == {"RequestId": "m", "Affected": "0"}),
    "SaveHouse": (
        "SaveHouse", lambda ids: {"RequestId": "m", "OrganizationId": "ORG-1", "House": HOUSE},
        lambda a: a == {"HouseId": "ORG-1-H2", "Accounts": "1", "Meters": "1"}),
    "RemoveHouse": (
        "RemoveHouse", lambda ids: {"RequestId": "m", "HouseId": "ORG-1-H1"},
        lambda a: a == {"RequestId": "m", "Affected": "1"}),
    "ReplaceMeter": (
        "ReplaceMeter",
        lambda ids: {"RequestId": "m", "OldMeterId": "ORG-1-M-C", "FinalReading": FINAL,
                     "NewMeter": meter("M-C2", "00999001", 1, ["0"])},
        lambda a: a == {"RequestId": "m", "Affected": "2"}),
    "RemoveMeter": (
        "RemoveMeter", lambda ids: {"RequestId": "m", "MeterId": "ORG-1-M-F"},
        lambda a: a == {"RequestId": "m", "Affected": "1"}),
    "UpdateAccountedReadings": (
        "UpdateAccountedReadings",
        lambda ids: {"RequestId": "m", "Readings": {"MeterReading": [
            dict(FINAL, MeterId="ORG-1-M-C", T1="2100.25")]}},
        lambda a: a == {"RequestId": "m", "Affected": "1"}),
    "RecordReadingVerdicts": (
        "RecordReadingVerdicts",
        lambda ids: {"RequestId": "m", "Verdicts": {"ReadingVerdict": [
            {"ReadingId": ids[0], "Accepted": True},
            {"ReadingId": ids[1], "Accepted": False, "Reason": "Нужна фотография счетчика"}]}},
        lambda a: a == {"RequestId": "m", "Affected": "2"}),
    "ExportReadings": (
        "ExportReadings", lambda ids: {"Cursor": 0, "Limit": 10},
        lambda a: a["HasMore"] == "false" and a["NextCursor"] == "2" and exported(a) == [
            ("1", "submitted", "00215090", "2026-03-18", "1100.5", "file"),
            ("2", "submitted", "00300003", "2026-03-18", "150", "file")]),
    # A fault: (code, message, the typed detail's members but its CorrelationId).
    "fault: unknown organization": (
        "GetOrganization", lambda ids: {"OrganizationId": "ORG-404"},
        ("Client.NotFound", "Организация ORG-404 не найдена",
         {"Code": "Client.NotFound", "Field": "OrganizationId"})),
    "fault: schema": (
        "ExportReadings", lambda ids: {"Cursor": 0, "Limit": 0},
        ("Client.SchemaValidationError", "Поле Limit: значение «0» меньше минимума 1",
         {"Code": "Client.SchemaValidationError", "Field": "Limit"})),
    "fault: RequestId reused": (
        "RegisterOrganization",
        lambda ids: {"RequestId": "world", "Organization": story_organization(
            "ORG-3", "three@uk-test.example", "Д-3")},
        ("Client.RequestIdReused", "Запрос с RequestId=world уже выполнен с другим содержимым",
         {"Code": "Client.RequestIdReused", "Field": "RequestId"})),
    "fault: an item of a list": (
        "UpdateAccountedReadings",
        lambda ids: {"RequestId": "m", "Readings": {"MeterReading": [
            dict(FINAL, MeterId="ORG-1-M-C"), dict(FINAL, MeterId="ORG-1-M-C", T3="1")]}},
        ("Client.Validation", "Readings[2]: Лишние показания Т3: счетчик однотарифный",
         {"Code": "Client.Validation", "Field": "Readings[2].T3", "Item": "2"})),
}


@pytest.mark.parametrize("client_name", sorted(CALLERS))
@pytest.mark.parametrize("row", list(TABLE))
def test_each_client_gets_the_same_answer(core, zeep_client, live_server, soap_credentials,
                                          row, client_name):
    if client_name == "php":
        need(PhpCaller.available(), "PHP SoapClient", "apt-get install php-cli php-soap")
    # The world every cell starts from: ORG-1 registered (RequestId «world»), two readings sent.
    zeep_client.service.RegisterOrganization  # noqa: B018 - the WSDL is loaded
    send_file_rows(core, zeep_client, {"00215090": {"t1": 1100.5}, "00300003": {"t1": 150}},
                    request_id="world")
    ids = [r.ReadingId for r in
           zeep_client.service.ExportReadings(Cursor=0, Limit=10).Readings.ExportedReading]
    operation, arguments, expected = TABLE[row]
    caller = CALLERS[client_name](live_server, soap_credentials)
    try:
        if callable(expected):
            answer = caller.call(operation, clean(arguments(ids)))
            assert expected(answer), answer
        else:
            with pytest.raises(CallFault) as fault:
                caller.call(operation, clean(arguments(ids)))
            detail = dict(fault.value.detail)
            # The HTTP request's id, as the server log has it.
            assert re.fullmatch(r"[0-9a-f]{16}", detail.pop("CorrelationId"))
            assert (fault.value.code, fault.value.message, detail) == expected
    finally:
        caller.close()
