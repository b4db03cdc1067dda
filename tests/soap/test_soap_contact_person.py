"""UpdateOrganization's ContactPerson: an element left out stays as stored, an empty or nil one
clears it; FullName and Email, required, cannot be cleared."""
from __future__ import annotations

import pytest
from zeep import xsd

from tests.support.organizations import story_organization
from tests.support.soap import fault_of, faultstring, post_soap, soap_envelope

STORED_PHONE = "+7 900 000-00-02"   # story_organization's
XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'


@pytest.fixture
def service(zeep_client):
    zeep_client.service.RegisterOrganization(RequestId="reg", Organization=story_organization())
    return zeep_client.service


def person(service):
    return service.GetOrganization(OrganizationId="ORG-1").ContactPerson


def update_envelope(request_id: str, phone_element: str, full_name="Тестова Ирина Олеговна",
                    email="contact@uk-test.example") -> bytes:
    return soap_envelope(
        f"<v1:UpdateOrganization><v1:RequestId>{request_id}</v1:RequestId>"
        f"<v1:OrganizationId>ORG-1</v1:OrganizationId><v1:ContactPerson>"
        f"<v1:FullName>{full_name}</v1:FullName><v1:Email>{email}</v1:Email>{phone_element}"
        f"</v1:ContactPerson></v1:UpdateOrganization>")


def test_zeep_leaving_the_phone_out_keeps_it_and_an_empty_or_nil_phone_clears_it(service):
    service.UpdateOrganization(RequestId="u1", OrganizationId="ORG-1", ContactPerson={
        "FullName": "Тестова Ирина Петровна", "Email": "contact@uk-test.example"})
    assert (person(service).FullName, person(service).MobilePhone) == (
        "Тестова Ирина Петровна", STORED_PHONE)
    service.UpdateOrganization(RequestId="u2", OrganizationId="ORG-1", ContactPerson={
        "FullName": "Тестова Ирина Петровна", "Email": "contact@uk-test.example",
        "MobilePhone": ""})
    assert person(service).MobilePhone is None
    service.UpdateOrganization(RequestId="u3", OrganizationId="ORG-1", ContactPerson={
        "FullName": "Тестова Ирина Петровна", "Email": "contact@uk-test.example",
        "MobilePhone": "+7 900 000-00-05"})
    assert person(service).MobilePhone == "+7 900 000-00-05"
    service.UpdateOrganization(RequestId="u4", OrganizationId="ORG-1", ContactPerson={
        "FullName": "Тестова Ирина Петровна", "Email": "contact@uk-test.example",
        "MobilePhone": xsd.Nil})
    assert person(service).MobilePhone is None


@pytest.mark.parametrize("phone_element, stored", [
    ("", STORED_PHONE),
    ("<v1:MobilePhone>+7 900 000-00-07</v1:MobilePhone>", "+7 900 000-00-07"),
    ("<v1:MobilePhone/>", None),
    ("<v1:MobilePhone>  </v1:MobilePhone>", None),
    (f'<v1:MobilePhone {XSI} xsi:nil="true"/>', None),
])
def test_a_raw_envelope_leaves_out_sets_or_clears_the_phone(
        service, live_server, soap_credentials, phone_element, stored):
    response = post_soap(live_server, update_envelope("u", phone_element), auth=soap_credentials)
    assert response.status_code == 200, response.text
    assert person(service).MobilePhone == stored


@pytest.mark.parametrize("field, value, code, message", [
    ("full_name", "", "Client.Validation",
     "Не заполнено обязательное поле ContactPerson.FullName"),
    ("email", " ", "Client.Validation", "Не заполнено обязательное поле ContactPerson.Email"),
])
def test_full_name_and_email_cannot_be_cleared(service, live_server, soap_credentials, field,
                                               value, code, message):
    response = post_soap(live_server, update_envelope("c", "", **{field: value}),
                         auth=soap_credentials)
    assert faultstring(response) == (f"soap11env:{code}", message)
    assert (person(service).FullName, person(service).Email) == (
        "Тестова Ирина Олеговна", "contact@uk-test.example")


def test_a_nil_full_name_is_refused_by_the_schema_which_does_not_let_it_be_nil(
        service, live_server, soap_credentials):
    response = post_soap(live_server, update_envelope(
        "n", "", full_name="").replace(b"<v1:FullName></v1:FullName>",
                                       f'<v1:FullName {XSI} xsi:nil="true"/>'.encode()),
        auth=soap_credentials)
    assert faultstring(response) == ("soap11env:Client.SchemaValidationError",
                                     "Поле ContactPerson/FullName не может быть пустым (nil)")
    assert person(service).FullName == "Тестова Ирина Олеговна"


def test_leaving_the_phone_out_and_clearing_it_are_two_bodies_for_one_request_id(
        service, live_server, soap_credentials):
    assert post_soap(live_server, update_envelope("same", ""),
                     auth=soap_credentials).status_code == 200
    again = post_soap(live_server, update_envelope("same", "<v1:MobilePhone/>"),
                      auth=soap_credentials)
    assert faultstring(again)[0] == "soap11env:Client.RequestIdReused"
    assert person(service).MobilePhone == STORED_PHONE
    fault = fault_of(service.UpdateOrganization, RequestId="same", OrganizationId="ORG-1",
                     ContactPerson={"FullName": "Тестова Ирина Олеговна",
                                    "Email": "contact@uk-test.example", "MobilePhone": ""})
    assert fault.code.endswith("Client.RequestIdReused")
