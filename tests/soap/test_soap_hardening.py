"""What an integrator attacking the service found, each held by a test of the right answer."""
from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
import zeep

from tests.support.organizations import meter, story_organization
from tests.support.soap import fault_of, faultstring, post_soap, soap_envelope


@pytest.fixture
def service(zeep_client):
    zeep_client.service.RegisterOrganization(RequestId="reg", Organization=story_organization())
    return zeep_client.service


def common_meter(ratio):
    return {"HouseId": "ORG-1-H1", "Settlement": "Москва г.", "Street": "Вавилова ул.",
            "HouseNumber": "45", "CommonHouseMeters": {"Meter": [
                meter("ORG-1-M-E", "7700123", 2, ["100", "50"], ratio=ratio)]}}


@pytest.mark.parametrize("ratio", ["9" * 29, "1000001", "0.00001", "0", "-40"])
def test_a_transformation_ratio_out_of_bounds_is_refused_and_the_organization_stays_readable(
        service, ratio):
    fault = fault_of(service.SaveHouse, RequestId="h", OrganizationId="ORG-1",
                     House=common_meter(ratio))
    assert fault.code.endswith("Client.Validation")
    assert "House.CommonHouseMeters[1].TransformationRatio" in fault.message
    common = service.GetOrganization(OrganizationId="ORG-1").Houses.House[0].CommonHouseMeters
    assert common.Meter[0].TransformationRatio == Decimal(40)


def test_an_accounted_reading_from_the_future_is_refused_and_a_correction_wins(core, service):
    tomorrow = {"MeterId": "ORG-1-M-A", "ReadingDate": dt.date(2026, 3, 21), "T1": "1500",
                "Source": "Расчетное"}
    fault = fault_of(service.UpdateAccountedReadings, RequestId="f",
                     Readings={"MeterReading": [tomorrow]})
    assert fault.message == "Readings[1]: Дата показания в будущем"
    fault = fault_of(service.ReplaceMeter, RequestId="r", OldMeterId="ORG-1-M-A",
                     FinalReading={k: v for k, v in tomorrow.items() if k != "MeterId"},
                     NewMeter=meter("N", "1", 1, ["0"]))
    assert fault.message == "FinalReading: Дата показания в будущем"
    service.UpdateAccountedReadings(RequestId="a", Readings={"MeterReading": [
        dict(tomorrow, ReadingDate=dt.date(2026, 3, 15))]})
    service.UpdateAccountedReadings(RequestId="b", Readings={"MeterReading": [
        dict(tomorrow, ReadingDate=dt.date(2026, 3, 1), T1="1200")]})
    account = service.GetOrganization(OrganizationId="ORG-1").Houses.House[0].Accounts.Account[0]
    last = account.Meters.Meter[0].LastReading
    assert (last.ReadingDate, last.T1) == (dt.date(2026, 3, 1), Decimal(1200))


@pytest.mark.parametrize("body, code, words", [
    ("<v1:RecordReadingVerdicts><v1:RequestId>r</v1:RequestId><v1:Verdicts>"
     '<v1:ReadingVerdict xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
     "</v1:Verdicts></v1:RecordReadingVerdicts>",
     "Client.SchemaValidationError", "Verdicts/ReadingVerdict"),
    ("<v1:GetOrganization><?foo bar?><v1:OrganizationId>ORG-1</v1:OrganizationId>"
     "</v1:GetOrganization>", "Client.MalformedEnvelope", "Инструкции обработки"),
    ("<v1:GetOrganization><v1:OrganizationId>ORG-1</v1:OrganizationId></v1:GetOrganization>"
     "<v1:RemoveHouse><v1:RequestId>x</v1:RequestId><v1:HouseId>ORG-1-H1</v1:HouseId>"
     "</v1:RemoveHouse>", "Client.MalformedEnvelope", "ровно одна операция"),
    ("<v1:UpdateAccountedReadings><v1:RequestId>r</v1:RequestId><v1:Readings><v1:MeterReading>"
     "<v1:MeterId>ORG-1-M-A</v1:MeterId><v1:ReadingDate>10000-01-01</v1:ReadingDate>"
     "<v1:T1>1</v1:T1><v1:Source>x</v1:Source></v1:MeterReading></v1:Readings>"
     "</v1:UpdateAccountedReadings>", "Client.SchemaValidationError", "ReadingDate"),
    ('<GetOrganization xmlns="urn:other"><OrganizationId>ORG-1</OrganizationId>'
     "</GetOrganization>", "Client.SchemaValidationError", "в пространстве имен"),
    ("<v1:GetOrganization><v1:OrganizationId> </v1:OrganizationId></v1:GetOrganization>",
     "Client.Validation", "Не заполнено обязательное поле OrganizationId"),
])
def test_careless_envelopes_get_client_faults(service, live_server, soap_credentials, body,
                                              code, words):
    response = post_soap(live_server, soap_envelope(body), auth=soap_credentials)
    got_code, message = faultstring(response)
    assert got_code.endswith(code), message
    assert words in message


def test_soap_envelope_rules(service, live_server, soap_credentials):
    must = soap_envelope("<v1:GetOrganization><v1:OrganizationId>ORG-1</v1:OrganizationId>"
                         "</v1:GetOrganization>").replace(
        b"<soapenv:Body>", b'<soapenv:Header><t:Tx xmlns:t="urn:tx" soapenv:mustUnderstand="1"'
                           b'>1</t:Tx></soapenv:Header><soapenv:Body>')
    assert faultstring(post_soap(live_server, must, auth=soap_credentials))[0] == \
        "soap11env:MustUnderstand"
    soap12 = (b'<?xml version="1.0"?><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope">'
              b"<e:Body/></e:Envelope>")
    assert faultstring(post_soap(live_server, soap12, auth=soap_credentials))[0] == \
        "soap11env:VersionMismatch"


_GET_ORG = "<v1:GetOrganization><v1:OrganizationId>ORG-1</v1:OrganizationId></v1:GetOrganization>"
_TX = '<t:Tx xmlns:t="urn:tx" soapenv:mustUnderstand="{flag}">1</t:Tx>'


def _envelope(inside: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv='
            f'"http://schemas.xmlsoap.org/soap/envelope/" xmlns:v1='
            f'"http://lkk-oo.example/integration/v1">{inside}</soapenv:Envelope>').encode()


@pytest.mark.parametrize("inside, code", [
    (f"<soapenv:Body>{_GET_ORG}</soapenv:Body><soapenv:Body>{_GET_ORG}</soapenv:Body>",
     "Client.MalformedEnvelope"),                                   # a second Body
    (f"<soapenv:Header/><soapenv:Header>{_TX.format(flag=1)}</soapenv:Header>"
     f"<soapenv:Body>{_GET_ORG}</soapenv:Body>", "Client.MalformedEnvelope"),  # a second Header
    (f"<soapenv:Body>{_GET_ORG}</soapenv:Body><soapenv:Header/>", "Client.MalformedEnvelope"),
    (f"<soapenv:Body>text{_GET_ORG}more</soapenv:Body>", "Client.MalformedEnvelope"),
    (f"text<soapenv:Body>{_GET_ORG}</soapenv:Body>", "Client.MalformedEnvelope"),
    (f"<soapenv:Body>{_GET_ORG}</soapenv:Body><v1:Extra/>", "Client.MalformedEnvelope"),
    (f"<soapenv:Header>{_TX.format(flag='maybe')}</soapenv:Header>"
     f"<soapenv:Body>{_GET_ORG}</soapenv:Body>", "Client.MalformedEnvelope"),
    (f"<soapenv:Header>{_TX.format(flag='true')}</soapenv:Header>"
     f"<soapenv:Body>{_GET_ORG}</soapenv:Body>", "MustUnderstand"),
    (f"<soapenv:Header>{_TX.format(flag='0')}</soapenv:Header>"
     f"<soapenv:Body>{_GET_ORG}</soapenv:Body>", None),               # served
    (f"\n  <soapenv:Header/>\n  <soapenv:Body>\n {_GET_ORG}\n </soapenv:Body>\n",
     None),                                                          # white space is fine
])
def test_only_one_header_then_one_body_is_an_envelope(service, live_server, soap_credentials,
                                                      inside, code):
    """SOAP 1.1, 4: a part of the request no one would read (a second Body, a second Header,
    text beside the operation) or a mustUnderstand that is neither 0 nor 1 is refused."""
    response = post_soap(live_server, _envelope(inside), auth=soap_credentials)
    if code is None:
        assert response.status_code == 200 and b"ORG-1" in response.content
    else:
        assert faultstring(response)[0] == f"soap11env:{code}"


def test_charsets_named_wrong_or_not_at_all(service, live_server, soap_credentials):
    get = soap_envelope("<v1:GetOrganization><v1:OrganizationId>ORG-1</v1:OrganizationId>"
                        "</v1:GetOrganization>")
    bogus = post_soap(live_server, get, auth=soap_credentials,
                      headers={"Content-Type": "text/xml; charset=x-bogus"})
    assert faultstring(bogus) == (
        "soap11env:Client.CharsetMismatch",
        "Неизвестная или неподдерживаемая кодировка x-bogus: запрос принимается в UTF-8, UTF-16, "
        "UTF-32 или в кодировке, совместимой с ASCII (windows-1251, koi8-r)")
    import requests

    bare = requests.post(f"{live_server}/soap", data=get, auth=soap_credentials, timeout=10,
                         headers={"Content-Type": ""})
    assert bare.status_code == 200 and "00215090" in bare.text
    utf16 = get.replace(b'encoding="utf-8"', b'encoding="utf-16"').decode().encode("utf-16")
    response = post_soap(live_server, utf16, auth=soap_credentials,
                         headers={"Content-Type": "text/xml; charset=utf-16"})
    assert response.status_code == 200, response.text


def test_a_house_no_longer_served_passes_to_another_organization(service):
    service.RegisterOrganization(RequestId="reg2", Organization=story_organization(
        org_id="ORG-2", email="two@uk-test.example", contract="Д-2"))
    house = {"HouseId": "ORG-1-H1", "Settlement": "Москва г.", "Street": "Вавилова ул.",
             "HouseNumber": "45"}
    assert fault_of(service.SaveHouse, RequestId="s1", OrganizationId="ORG-2",
                    House=house).code.endswith("Client.Conflict")
    service.RemoveHouse(RequestId="rm", HouseId="ORG-1-H1")
    service.SaveHouse(RequestId="s2", OrganizationId="ORG-2", House=house)
    moved = service.GetOrganization(OrganizationId="ORG-2").Houses.House
    assert "ORG-1-H1" in [h.HouseId for h in moved]


def test_one_reading_twice_in_one_verdicts_call_is_refused(service):
    fault = fault_of(service.RecordReadingVerdicts, RequestId="v", Verdicts={"ReadingVerdict": [
        {"ReadingId": 1, "Accepted": True}, {"ReadingId": 1, "Accepted": False, "Reason": "x"}]})
    assert fault.code.endswith("Client.Conflict") and "Verdicts[2].ReadingId" in fault.message


def test_a_refused_request_is_refused_again_when_repeated(service):
    first = fault_of(service.DeactivateOrganization, RequestId="late", OrganizationId="LATE-1")
    assert first.code.endswith("Client.NotFound")
    service.RegisterOrganization(RequestId="reg-late", Organization=story_organization(
        org_id="LATE-1", email="late@uk-test.example", contract="Д-9"))
    again = fault_of(service.DeactivateOrganization, RequestId="late", OrganizationId="LATE-1")
    assert (again.code, again.message) == (first.code, first.message)
    assert service.GetOrganization(OrganizationId="LATE-1").IsActive is True


def test_the_same_decimal_written_differently_is_the_same_body(service):
    reading = {"MeterId": "ORG-1-M-A", "ReadingDate": dt.date(2026, 3, 15), "Source": "x"}
    service.UpdateAccountedReadings(RequestId="d", Readings={"MeterReading": [
        dict(reading, T1="12300")]})
    answer = service.UpdateAccountedReadings(RequestId="d", Readings={"MeterReading": [
        dict(reading, T1="12300.0")]})
    assert answer.Affected == 1


@pytest.mark.parametrize("change, words", [
    (lambda o: o.update(Inn="7700000001"), "Inn: неверное контрольное число"),
    (lambda o: o["ContactPerson"].update(Email="почта@пример.рф"), "ContactPerson.Email"),
    (lambda o: o.update(ShortName="УК\x7fТест"), "ShortName: управляющие символы"),
    (lambda o: o["Houses"]["House"][0]["Accounts"]["Account"][0]["Meters"]["Meter"].append(
        meter("ORG-X-M", "00215090", 1, ["1"])), "уже есть счетчик № 00215090"),
])
def test_bad_organization_data_is_refused_with_its_field(core, zeep_client, change, words):
    organization = copy.deepcopy(story_organization(org_id="ORG-9", email="nine@uk-test.example",
                                                    contract="Д-9"))
    change(organization)
    with pytest.raises(zeep.exceptions.Fault) as fault:
        zeep_client.service.RegisterOrganization(RequestId="bad", Organization=organization)
    assert words in fault.value.message
