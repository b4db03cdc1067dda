"""UpdateOrganization's Requisites follow the contact person's rule: an element left out stays
as stored, an empty or nil one clears it; FullName, ShortName, Type and Inn, required, cannot be
cleared; every fault about a requisite names it Requisites.<Name>."""
from __future__ import annotations

import pytest
from lxml import etree
from zeep import xsd

from lkk_integration.soap.types import NS

from tests.support.organizations import story_organization
from tests.support.soap import (
    fault_of, faultstring, post_soap, soap_envelope, with_default_namespace)

XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
STORED = {name: story_organization()[name]
          for name in ("FullName", "ShortName", "Type", "Inn", "Kpp", "Ogrn", "ContractNumber")}
OPTIONAL = ["Kpp", "Ogrn", "ContractNumber"]
REQUIRED = ["FullName", "ShortName", "Type", "Inn"]
# What each sent element does: (the element as sent, given its name).
SENT = {
    "empty": lambda name: f"<v1:{name}></v1:{name}>",
    "self-closing": lambda name: f"<v1:{name}/>",
    "blank": lambda name: f"<v1:{name}>   </v1:{name}>",
    "nil": lambda name: f'<v1:{name} {XSI} xsi:nil="true"/>',
}


@pytest.fixture
def service(zeep_client):
    zeep_client.service.RegisterOrganization(RequestId="reg", Organization=story_organization())
    return zeep_client.service


def requisites(service) -> dict:
    back = service.GetOrganization(OrganizationId="ORG-1")
    return {name: getattr(back, name) for name in STORED}


def update_body(request_id: str, elements: str) -> str:
    return (f"<v1:UpdateOrganization><v1:RequestId>{request_id}</v1:RequestId>"
            f"<v1:OrganizationId>ORG-1</v1:OrganizationId><v1:Requisites>{elements}"
            f"</v1:Requisites></v1:UpdateOrganization>")


def post(live_server, soap_credentials, body: str):
    return post_soap(live_server, soap_envelope(body), auth=soap_credentials)


def lkk_field(response) -> str | None:
    return etree.fromstring(response.content).findtext(f".//{{{NS}}}Field")


@pytest.mark.parametrize("name", OPTIONAL + REQUIRED)
def test_a_requisite_left_out_stays_while_another_changes(service, live_server,
                                                          soap_credentials, name):
    other = "Ogrn" if name != "Ogrn" else "Kpp"
    value = {"Ogrn": "1027700000013", "Kpp": "770001099"}[other]
    response = post(live_server, soap_credentials,
                    update_body("u", f"<v1:{other}>{value}</v1:{other}>"))
    assert response.status_code == 200, response.text
    assert requisites(service) == dict(STORED, **{other: value})


@pytest.mark.parametrize("style", ["prefixed", "default namespace"])
@pytest.mark.parametrize("sent", list(SENT))
@pytest.mark.parametrize("name", OPTIONAL)
def test_an_optional_requisite_sent_empty_or_nil_is_cleared(service, live_server,
                                                            soap_credentials, name, sent, style):
    body = update_body("c", SENT[sent](name))
    if style == "default namespace":
        body = with_default_namespace(body)
    response = post(live_server, soap_credentials, body)
    assert response.status_code == 200, response.text
    assert requisites(service) == dict(STORED, **{name: None})


@pytest.mark.parametrize("style", ["prefixed", "default namespace"])
@pytest.mark.parametrize("sent", list(SENT))
@pytest.mark.parametrize("name", REQUIRED)
def test_a_required_requisite_cannot_be_cleared_and_the_fault_names_it_under_requisites(
        service, live_server, soap_credentials, name, sent, style):
    # Sent with a change the refusal must not let through either (Kpp comes after them all).
    body = update_body("r", f"{SENT[sent](name)}<v1:Kpp>770001099</v1:Kpp>")
    if style == "default namespace":
        body = with_default_namespace(body)
    response = post(live_server, soap_credentials, body)
    assert faultstring(response) == (
        "soap11env:Client.Validation", f"Не заполнено обязательное поле Requisites.{name}")
    assert lkk_field(response) == f"Requisites.{name}"
    assert requisites(service) == STORED


@pytest.mark.parametrize("element, message", [
    ("<v1:Inn>7700000001</v1:Inn>", "Поле Requisites.Inn: неверное контрольное число ИНН"),
    ("<v1:Inn>77000000</v1:Inn>", "Поле Requisites.Inn: ожидается 10 или 12 цифр"),
    ("<v1:Kpp>77000100</v1:Kpp>", "Поле Requisites.Kpp: ожидается 9 цифр"),
    ("<v1:Ogrn>102770000000</v1:Ogrn>", "Поле Requisites.Ogrn: ожидается 13 или 15 цифр"),
])
def test_a_requisite_that_breaks_its_rule_is_named_under_requisites(
        service, live_server, soap_credentials, element, message):
    response = post(live_server, soap_credentials, update_body("b", element))
    assert faultstring(response) == ("soap11env:Client.Validation", message)
    assert lkk_field(response) == message.split(":")[0].removeprefix("Поле ")


def test_a_contract_number_taken_is_a_conflict_named_under_requisites(service):
    service.RegisterOrganization(RequestId="reg2", Organization=story_organization(
        org_id="ORG-2", email="second@uk-test.example", contract="Д-2"))
    fault = fault_of(service.UpdateOrganization, RequestId="t", OrganizationId="ORG-1",
                     Requisites={"ContractNumber": "Д-2"})
    assert (fault.code, fault.message) == (
        "soap11env:Client.Conflict", "Номер договора Д-2 уже присвоен другой организации")
    assert fault.detail.findtext(f".//{{{NS}}}Field") == "Requisites.ContractNumber"


def test_zeep_leaves_out_clears_and_cannot_clear_requisites(service):
    service.UpdateOrganization(RequestId="z1", OrganizationId="ORG-1",
                               Requisites={"ShortName": "ТСЖ «Новое»"})
    assert requisites(service) == dict(STORED, ShortName="ТСЖ «Новое»")
    service.UpdateOrganization(RequestId="z2", OrganizationId="ORG-1",
                               Requisites={"Kpp": "", "Ogrn": xsd.Nil,
                                           "ContractNumber": xsd.Nil})
    assert requisites(service) == dict(STORED, ShortName="ТСЖ «Новое»", Kpp=None, Ogrn=None,
                                       ContractNumber=None)
    for request_id, value in (("z3", ""), ("z4", xsd.Nil)):
        fault = fault_of(service.UpdateOrganization, RequestId=request_id,
                         OrganizationId="ORG-1", Requisites={"Inn": value})
        assert (fault.code, fault.message) == (
            "soap11env:Client.Validation", "Не заполнено обязательное поле Requisites.Inn")
        assert fault.detail.findtext(f".//{{{NS}}}Field") == "Requisites.Inn"
    fault = fault_of(service.UpdateOrganization, RequestId="z5", OrganizationId="ORG-1",
                     Requisites={"FullName": xsd.Nil})
    assert fault.detail.findtext(f".//{{{NS}}}Field") == "Requisites.FullName"
    assert requisites(service)["Inn"] == STORED["Inn"]


def test_leaving_a_requisite_out_and_clearing_it_are_two_bodies_for_one_request_id(
        service, live_server, soap_credentials):
    assert post(live_server, soap_credentials, update_body("same", "")).status_code == 200
    again = post(live_server, soap_credentials, update_body("same", "<v1:Kpp/>"))
    assert faultstring(again)[0] == "soap11env:Client.RequestIdReused"
    assert requisites(service) == STORED
    fault = fault_of(service.UpdateOrganization, RequestId="same", OrganizationId="ORG-1",
                     Requisites={"Ogrn": ""})
    assert fault.code.endswith("Client.RequestIdReused")
