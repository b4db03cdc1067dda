"""The gateway in front of spyne: Russian schema faults, charsets, attachments, request size,
quotas, client secrets, and requests that race."""
from __future__ import annotations

import dataclasses
import threading

import pytest
import requests
import zeep
from sqlalchemy import func, select
from werkzeug.serving import make_server

from lkk_integration.models import Organization, SoapRequest
from lkk_integration.organizations.clients import (create_client, revoke_client,
                                                   rotate_client_secret, set_client_quota)

from tests.support.organizations import story_organization
from tests.support.soap import faultstring, post_soap, soap_envelope


@pytest.mark.parametrize("body, message", [
    ("<v1:ExportReadings><v1:Cursor>0</v1:Cursor><v1:Limit>0</v1:Limit></v1:ExportReadings>",
     "Поле Limit: значение «0» меньше минимума 1"),
    ("<v1:ExportReadings><v1:Cursor>x</v1:Cursor><v1:Limit>5</v1:Limit></v1:ExportReadings>",
     "Поле Cursor: значение «x» не подходит, ожидается целое число"),
    ("<v1:ExportReadings><v1:Cursor>0</v1:Cursor><v1:Limit>99999999999999999999999999"
     "</v1:Limit></v1:ExportReadings>", "Поле Limit: значение «99999999999999999999999999» "
     "вне допустимого диапазона: от 1 до 1000"),
    ("<v1:RegisterOrganization><v1:RequestId>r</v1:RequestId></v1:RegisterOrganization>",
     "Не заполнено обязательное поле Organization"),
    ("<v1:RemoveMeter><v1:RequestId>" + "я" * 101 + "</v1:RequestId><v1:MeterId>1</v1:MeterId>"
     "</v1:RemoveMeter>", "Поле RequestId: длина больше 100 символов"),
    ("<v1:RecordReadingVerdicts><v1:RequestId>r</v1:RequestId><v1:Verdicts><v1:ReadingVerdict>"
     "<v1:ReadingId>1</v1:ReadingId><v1:Accepted>да</v1:Accepted></v1:ReadingVerdict>"
     "</v1:Verdicts></v1:RecordReadingVerdicts>",
     "Поле Verdicts/ReadingVerdict/Accepted: значение «да» не подходит, ожидается true или false"),
    ("<v1:DropDatabase/>", "Неизвестная операция DropDatabase"),
])
def test_a_request_against_the_schema_gets_a_russian_fault_naming_the_field(
        core, live_server, soap_credentials, body, message):
    response = post_soap(live_server, soap_envelope(body), auth=soap_credentials)
    assert response.status_code == 500
    assert faultstring(response) == ("soap11env:Client.SchemaValidationError", message)


def test_a_charset_that_contradicts_the_xml_declaration_is_refused(core, live_server,
                                                                    soap_credentials):
    body = soap_envelope("<v1:GetOrganization><v1:OrganizationId>Ж</v1:OrganizationId>"
                         "</v1:GetOrganization>").replace(b'encoding="utf-8"',
                                                          b'encoding="windows-1251"')
    response = post_soap(live_server, body, auth=soap_credentials)
    code, message = faultstring(response)
    assert code.endswith("Client.CharsetMismatch")
    assert "utf-8" in message and "windows-1251" in message


def test_a_body_in_the_charset_its_header_names_is_read(core, live_server, soap_credentials,
                                                        zeep_client):
    zeep_client.service.RegisterOrganization(RequestId="r", Organization=story_organization())
    body = soap_envelope("<v1:GetOrganization><v1:OrganizationId>ORG-1</v1:OrganizationId>"
                         "</v1:GetOrganization>").replace(b' encoding="utf-8"', b"")
    response = post_soap(live_server, body.decode().encode("cp1251"), auth=soap_credentials,
                         headers={"Content-Type": "text/xml; charset=windows-1251"})
    assert response.status_code == 200, response.text
    assert "00215090" in response.text
    wrong = post_soap(live_server, "<Ж>".encode("utf-8") * 3, auth=soap_credentials,
                      headers={"Content-Type": "text/xml; charset=us-ascii"})
    assert faultstring(wrong)[0].endswith("Client.CharsetMismatch")


@pytest.mark.parametrize("inner", ['<!DOCTYPE x [<!ENTITY e "boom">]>', ""])
def test_attachments_are_refused_so_no_doctype_can_ride_in_one(core, live_server,
                                                                soap_credentials, inner):
    boundary = "MIMEBoundary"
    xml = soap_envelope("<v1:GetOrganization><v1:OrganizationId>&e;</v1:OrganizationId>"
                        "</v1:GetOrganization>").replace(b"?>", b"?>" + inner.encode(), 1)
    body = (f"--{boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; "
            f'type="text/xml"\r\nContent-ID: <root>\r\n\r\n').encode() + xml + \
        f"\r\n--{boundary}--\r\n".encode()
    response = requests.post(f"{live_server}/soap", data=body, auth=soap_credentials, timeout=10,
                             headers={"Content-Type": f'multipart/related; type="application/'
                                      f'xop+xml"; boundary="{boundary}"; start="<root>"'})
    assert response.status_code == 415
    assert faultstring(response)[0].endswith("Client.UnsupportedMediaType")


def test_a_request_over_the_size_limit_is_refused_with_the_limit(core, live_server,
                                                                 soap_credentials):
    core.config = dataclasses.replace(core.config, soap_max_request_bytes=2048)
    response = post_soap(live_server, soap_envelope(
        "<v1:GetOrganization><v1:OrganizationId>" + "x" * 3000 +
        "</v1:OrganizationId></v1:GetOrganization>"), auth=soap_credentials)
    assert response.status_code == 413
    assert faultstring(response) == ("soap11env:Client.RequestTooLarge",
                                     "Запрос больше 2048 байт")


def test_a_client_past_its_quota_gets_429_until_the_next_minute(core, live_server,
                                                                soap_credentials, clock):
    set_client_quota(core, soap_credentials[0], 3)
    call = soap_envelope("<v1:ExportReadings><v1:Cursor>0</v1:Cursor><v1:Limit>1</v1:Limit>"
                         "</v1:ExportReadings>")
    statuses = [post_soap(live_server, call, auth=soap_credentials).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = post_soap(live_server, call, auth=soap_credentials)
    assert faultstring(refused) == ("soap11env:Client.QuotaExceeded",
                                    "Превышена квота: не более 3 вызовов в минуту. Повторите позже")
    assert refused.headers["Retry-After"] == "60"
    clock.advance(minutes=1)
    assert post_soap(live_server, call, auth=soap_credentials).status_code == 200


def test_a_rotated_secret_replaces_the_old_and_a_revoked_client_is_shut_out(core, live_server):
    _id, old = create_client(core, "billing-java")
    call = soap_envelope("<v1:ExportReadings><v1:Cursor>0</v1:Cursor><v1:Limit>1</v1:Limit>"
                         "</v1:ExportReadings>")
    assert post_soap(live_server, call, auth=("billing-java", old)).status_code == 200
    new = rotate_client_secret(core, "billing-java")
    assert post_soap(live_server, call, auth=("billing-java", old)).status_code == 401
    assert post_soap(live_server, call, auth=("billing-java", new)).status_code == 200
    revoke_client(core, "billing-java")
    assert post_soap(live_server, call, auth=("billing-java", new)).status_code == 401


def test_an_unexpected_error_is_a_server_fault_with_a_correlation_id(core, live_server,
                                                                     soap_credentials,
                                                                     monkeypatch, caplog):
    from lkk_integration.organizations import registry

    def broken(*_args):
        raise RuntimeError("a bug of ours with a secret detail")

    monkeypatch.setattr(registry, "get_organization", broken)
    response = post_soap(live_server, soap_envelope(
        "<v1:GetOrganization><v1:OrganizationId>ORG-1</v1:OrganizationId></v1:GetOrganization>"),
        auth=soap_credentials)
    code, message = faultstring(response)
    assert code.endswith("Server.InternalError")
    correlation = message.rsplit(" ", 1)[-1]
    # The request's id: the X-Request-Id header and the access log line carry it too.
    assert correlation == response.headers["X-Request-Id"] and len(correlation) == 16
    assert "secret detail" not in response.text and "Traceback" not in response.text
    assert correlation in caplog.text


def test_racing_duplicates_of_one_request_make_one_organization(core, app, soap_credentials,
                                                                port):
    """Eight threads released together send the same RegisterOrganization to a real
    multi-threaded server; every one gets the same answer and one organization exists."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    barrier = threading.Barrier(8)
    answers, errors = [], []

    def register():
        session = requests.Session()
        session.auth = soap_credentials
        client = zeep.Client(f"{url}/soap?wsdl",
                             transport=zeep.transports.Transport(session=session))
        barrier.wait()
        try:
            answer = client.service.RegisterOrganization(RequestId="race",
                                                         Organization=story_organization())
            answers.append(zeep.helpers.serialize_object(answer))
        except Exception as exc:  # noqa: BLE001 - recorded and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=register) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    server.shutdown()
    assert errors == []
    assert len(answers) == 8 and all(a == answers[0] for a in answers)
    with core.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Organization)) == 1
        assert uow.session.scalar(select(func.count()).select_from(SoapRequest)) == 1
