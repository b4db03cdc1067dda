"""Every SOAP fault carries the contract's typed detail, LkkFault: the faults the gateway writes
before spyne (authentication, quota, size, charset, XML, DTD, envelope, version, schema, 503)
and those of the operations (the core's refusals, our own errors, the database out of reach).
Its Item is the list item at fault, carried by the core as data (errors.in_item)."""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import itertools
from decimal import Decimal

import pytest
import zeep
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from spyne.model.fault import Fault
from sqlalchemy.exc import OperationalError

from lkk_integration.errors import LkkError, QuotaExceeded
from lkk_integration.organizations import billing
from lkk_integration.organizations.clients import create_client
from lkk_integration.organizations.payloads import MeterReadingData
from lkk_integration.soap.app import build_wsdl
from lkk_integration.soap.types import NS
from lkk_integration.soap.validation import RequestSchema

from tests.support.organizations import story_organization
from tests.support.soap import soap_envelope

SOAP_ENV = "{http://schemas.xmlsoap.org/soap/envelope/}"
GET = "<v1:GetOrganization><v1:OrganizationId>ORG-404</v1:OrganizationId></v1:GetOrganization>"
UNAVAILABLE = OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


@pytest.fixture(scope="module")
def schema() -> RequestSchema:
    return RequestSchema(build_wsdl("http://127.0.0.1:8000/soap"))


def typed_detail(response, schema: RequestSchema) -> tuple[str, dict[str, str]]:
    """(faultcode, the LkkFault's members); the detail must be one LkkFault the WSDL's schema
    accepts."""
    fault = etree.fromstring(response.data).find(f"{SOAP_ENV}Body/{SOAP_ENV}Fault")
    [detail] = fault.find("detail")
    assert detail.tag == f"{{{NS}}}LkkFault"
    assert schema.schema.validate(detail), schema.schema.error_log
    return fault.findtext("faultcode"), {etree.QName(m).localname: m.text for m in detail}


def readings(*meter_ids: str) -> str:
    items = "".join(f"<MeterReading><MeterId>{m}</MeterId><ReadingDate>2026-03-01</ReadingDate>"
                    f"<T1>1</T1><Source>Обход</Source></MeterReading>" for m in meter_ids)
    return (f'<UpdateAccountedReadings xmlns="{NS}"><RequestId>r</RequestId><Readings>{items}'
            "</Readings></UpdateAccountedReadings>")


def broken(exc):
    def raise_it(*_args, **_kwargs):
        raise exc
    return raise_it


def call(body: bytes | str, content_type="text/xml; charset=utf-8", credentials=True):
    """What the client sends: `body` (a payload is put in an envelope) to POST /soap."""
    data = soap_envelope(body) if isinstance(body, str) else body
    return lambda client, auth: client.post(
        "/soap", data=data, auth=auth if credentials else None,
        headers={"Content-Type": content_type, "X-Request-Id": "trace-0000042"})


SOAP12 = b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>'
HEADER = b'<soapenv:Header><t:Tx xmlns:t="urn:tx" soapenv:mustUnderstand="1"/></soapenv:Header>'
GATEWAY = "lkk_integration.soap.app"
OPERATION = "lkk_integration.organizations.registry.get_organization"

# name → (what breaks (monkeypatch target, replacement) or None, the request, HTTP status,
# faultcode, Field, Item)
FAULTS = {
    "no credentials": (None, call(GET, credentials=False), 401, "Client.Authentication",
                       None, None),
    "not POST": (None, lambda client, _auth: client.get(
        "/soap", headers={"X-Request-Id": "trace-0000042"}), 405, "Client.MethodNotAllowed",
                 None, None),
    "over the quota": ((f"{GATEWAY}.admit_call", broken(QuotaExceeded("Превышена квота"))),
                       call(GET), 429, "Client.QuotaExceeded", None, None),
    "too large": (None, call(GET + " " * 5000), 413, "Client.RequestTooLarge", None, None),
    "an attachment": (None, call(GET, 'multipart/related; boundary="b"'), 415,
                      "Client.UnsupportedMediaType", None, None),
    "an unknown charset": (None, call(GET, "text/xml; charset=x-bogus"), 500,
                           "Client.CharsetMismatch", None, None),
    "not XML": (None, call(b"<soapenv:Envelope"), 500, "Client.MalformedXml", None, None),
    "a DTD": (None, call(soap_envelope(GET).replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e "e">]>',
                                                    1)), 500, "Client.DtdForbidden", None, None),
    "not an envelope": (None, call(b"<x/>"), 500, "Client.MalformedEnvelope", None, None),
    "SOAP 1.2": (None, call(SOAP12), 500, "VersionMismatch", None, None),
    "a header to understand": (None, call(soap_envelope(GET).replace(
        b"<soapenv:Body>", HEADER + b"<soapenv:Body>")), 500, "MustUnderstand", None, None),
    "the schema, in an item": (None, call(readings("M-1", "M-2").replace(
        "<T1>1</T1><Source>Обход</Source></MeterReading></Readings>",
        "<T1>x</T1><Source>Обход</Source></MeterReading></Readings>")), 500,
                               "Client.SchemaValidationError", "Readings/MeterReading[2]/T1", "2"),
    "the database, before spyne": ((f"{GATEWAY}.admit_call", broken(UNAVAILABLE)), call(GET),
                                   503, "Server.Unavailable", None, None),
    "our error, before spyne": ((f"{GATEWAY}.SoapGateway._check_body",
                                 broken(RuntimeError("bug"))), call(GET), 500,
                                "Server.InternalError", None, None),
    "the core, a field": (None, call(GET), 500, "Client.NotFound", "OrganizationId", None),
    "the core, an item": (None, call(readings("M-1", " ")), 500, "Client.Validation",
                          "Readings[2].MeterId", "2"),
    "the database, in an operation": ((OPERATION, broken(UNAVAILABLE)), call(GET), 503,
                                      "Server.Unavailable", None, None),
    "our error, in an operation": ((OPERATION, broken(KeyError("x"))), call(GET), 500,
                                   "Server.InternalError", None, None),
    "spyne's own fault": ((OPERATION, broken(Fault("Client.SoapError", "spyne"))), call(GET),
                          500, "Client.SoapError", None, None),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_every_fault_carries_the_typed_detail_with_the_request_id(
        core, client, soap_credentials, monkeypatch, schema, name):
    patch, request, status, code, field, item = FAULTS[name]
    if patch:
        monkeypatch.setattr(*patch)
    core.config = dataclasses.replace(core.config, soap_max_request_bytes=4096)
    response = request(client, soap_credentials)
    assert response.status_code == status
    faultcode, detail = typed_detail(response, schema)
    assert faultcode == f"soap11env:{code}"
    assert detail == {"Code": code, **({"Field": field} if field else {}),
                      **({"Item": item} if item else {}), "CorrelationId": "trace-0000042"}
    assert response.headers["X-Request-Id"] == "trace-0000042"


_request_ids = itertools.count()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.integers(0, 6), after=st.integers(0, 3),
       fault=st.sampled_from(["blank meter", "unknown meter", "extra zone", "future date",
                              "too many digits"]))
def test_the_item_at_fault_is_carried_as_data_wherever_it_is_in_the_readings(
        organization, before, after, fault):
    """UpdateAccountedReadings: whichever item is wrong and however, the refusal's item is its
    position and its field starts there."""
    good = MeterReadingData(reading_date=dt.date(2026, 3, 1), source="Обход", t1=Decimal(1100),
                            meter_id="ORG-1-M-A")
    bad = dataclasses.replace(good, **{
        "blank meter": {"meter_id": " "}, "unknown meter": {"meter_id": "ORG-404-M"},
        "extra zone": {"t3": Decimal(1)}, "future date": {"reading_date": dt.date(2026, 3, 21)},
        "too many digits": {"t1": Decimal(1234567)}}[fault])
    items = [dataclasses.replace(good) for _ in range(before)] + [bad] + \
        [dataclasses.replace(good) for _ in range(after)]
    client_id = create_client(organization, f"prop-{next(_request_ids)}")[0]
    with pytest.raises(LkkError) as refused:
        billing.update_accounted_readings(organization, client_id, "p", items)
    assert refused.value.item == before + 1
    assert refused.value.field.startswith(f"Readings[{before + 1}]")


def test_a_repeated_refusal_names_the_same_item(organization):
    reading = MeterReadingData(reading_date=dt.date(2026, 3, 1), source="Обход",
                               t1=Decimal(1100), meter_id="ORG-1-M-A")
    client_id = create_client(organization, "again")[0]
    refusals = []
    for _ in range(2):
        with pytest.raises(LkkError) as refused:
            billing.update_accounted_readings(organization, client_id, "same", [
                dataclasses.replace(reading), dataclasses.replace(reading, t3=Decimal(1))])
        refusals.append((refused.value.code, refused.value.field, refused.value.item))
    assert refusals == [("Validation", "Readings[2].T3", 2)] * 2


def lkk_fault(zeep_client, fault) -> dict:
    """The LkkFault of a zeep Fault, as zeep reads it with the WSDL's type."""
    element = zeep_client.get_element(f"{{{NS}}}LkkFault")
    return zeep.helpers.serialize_object(element.parse(fault.detail[0], zeep_client.wsdl.types),
                                         dict)


@pytest.mark.parametrize("change, field, item", [
    (lambda houses: houses[1]["Accounts"]["Account"][2]["Meters"]["Meter"][0]["LastReading"]
     .update(T3="5"), "Houses[2].Accounts[3].Meters[1].LastReading.T3", 2),
    (lambda houses: houses[0]["CommonHouseMeters"]["Meter"][0].update(MeterId=" "),
     "Houses[1].CommonHouseMeters[1].MeterId", 1),
])
def test_a_refused_registration_names_its_house_as_the_item(zeep_client, change, field, item):
    organization = copy.deepcopy(story_organization())
    houses = organization["Houses"]["House"]
    houses.append(copy.deepcopy(houses[0]))
    houses[1]["HouseId"] = "ORG-1-H2"
    for account in houses[1]["Accounts"]["Account"]:
        account["Number"] += "-2"
        account["Meters"]["Meter"][0]["MeterId"] += "-2"
    houses[1]["CommonHouseMeters"]["Meter"][0]["MeterId"] += "-2"
    change(houses)
    with pytest.raises(zeep.exceptions.Fault) as fault:
        zeep_client.service.RegisterOrganization(RequestId="reg", Organization=organization)
    detail = lkk_fault(zeep_client, fault.value)
    assert (detail["Code"], detail["Field"], detail["Item"]) == ("Client.Validation", field,
                                                                 item)
