"""Bad input is refused clearly and changes nothing: unreadable uploads, SOAP calls without
credentials or with a DTD; a registration made while the mail server is down still commits."""
from __future__ import annotations

import base64
import re

import pytest
from sqlalchemy import func, select

from lkk_integration.models import MailMessage, Organization, Upload, UploadRow
from lkk_integration.outbox import SmtpTransport, deliver_due

from tests.support.cabinet import csrf_token, page_text, upload
from tests.support.organizations import READING_DATE, story_organization
from tests.support.soap import post_soap, soap_envelope
from tests.support.spreadsheets import fill_template


def count(core, model):
    with core.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("data, name, message", [
    (b"", "pustoy.xls", "Файл пуст. Выберите заполненный файл шаблона."),
    # A CSV file is read, and its columns are not the template's.
    ("Квартира;Счетчик;Т1\n1;00215090;100\n".encode("cp1251"), "readings.xls",
     "В файле не найден лист шаблона: нет строки заголовков со столбцами «№ счетчика», «Т1», "
     "«Т2», «Т3», «Дата показания»."),
    (bytes(range(256)) * 4, "random.xls",
     "Файл не распознан как таблица Excel. Загрузите файл .xls, .xlsx или .ods, заполненный по "
     "шаблону."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "broken.xls",
     "Файл поврежден и не может быть прочитан. Сохраните его заново и повторите загрузку."),
    (b"PK\x03\x04garbage", "broken.xlsx",
     "Файл поврежден и не может быть прочитан. Сохраните его заново и повторите загрузку."),
])
def test_an_unreadable_upload_says_why_and_leaves_the_buffer(core, signed_in, data, name,
                                                             message):
    client = signed_in
    tab = client.get("/readings/file")
    house_id = re.search(r'name="house" value="(\d+)"', tab.text).group(1)
    template = client.post("/readings/template", data={"csrf_token": csrf_token(tab.text),
                                                       "house": house_id}).data
    good = fill_template(template, {"00300002": {"t1": 6, "t2": 11, "t3": 16,
                                                 "date": READING_DATE}})
    first = page_text(upload(client, good, "good.xls").text)
    assert "Индивидуальные ПУ: Верных – 1, ошибок – 4" in first
    rows_before = count(core, UploadRow)

    response = upload(client, data, name)
    text = page_text(response.text)
    assert message in text
    # The buffer shown is still the good file's, and nothing was written.
    assert "Файл «good.xls»" in text
    assert "Индивидуальные ПУ: Верных – 1, ошибок – 4" in text
    assert count(core, Upload) == 1
    assert count(core, UploadRow) == rows_before


REGISTER_MINIMAL = soap_envelope(
    "<v1:RegisterOrganization><v1:RequestId>r-1</v1:RequestId><v1:Organization>"
    "<v1:OrganizationId>ORG-9</v1:OrganizationId><v1:FullName>ООО «Вектор-Тест»</v1:FullName>"
    "<v1:ShortName>Вектор-Тест</v1:ShortName><v1:Type>ТСЖ</v1:Type><v1:Inn>7700000009</v1:Inn>"
    "<v1:ContactPerson><v1:FullName>Пробный Петр Петрович</v1:FullName>"
    "<v1:Email>probe@tsj-test.example</v1:Email></v1:ContactPerson>"
    "</v1:Organization></v1:RegisterOrganization>")


@pytest.mark.parametrize("authorization", [
    None,
    "Basic " + base64.b64encode(b"billing-test:wrong-secret").decode(),
    "Basic " + base64.b64encode(b"nobody:whatever").decode(),
    "Basic !!!not-base64",
    "Bearer abc",
])
def test_a_soap_call_without_valid_credentials_gets_401_and_writes_nothing(
        core, live_server, soap_credentials, authorization):
    headers = {"SOAPAction": "RegisterOrganization"}
    if authorization:
        headers["Authorization"] = authorization
    response = post_soap(live_server, REGISTER_MINIMAL, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic ")
    assert "Client.Authentication" in response.text
    assert count(core, Organization) == 0
    assert count(core, MailMessage) == 0


def test_the_same_call_with_credentials_registers(core, live_server, soap_credentials):
    response = post_soap(live_server, REGISTER_MINIMAL, auth=soap_credentials)
    assert response.status_code == 200, response.text
    assert count(core, Organization) == 1


@pytest.mark.parametrize("prefix", [
    '<!DOCTYPE x [<!ENTITY e "boom">]>',
    '<!DOCTYPE x SYSTEM "http://127.0.0.1:9/evil.dtd">',
])
def test_a_doctype_is_refused_before_parsing_and_writes_nothing(core, live_server,
                                                                soap_credentials, prefix):
    body = REGISTER_MINIMAL.replace(b"?>", b"?>" + prefix.encode(), 1)
    response = post_soap(live_server, body, auth=soap_credentials)
    assert response.status_code == 500
    assert "Client.DtdForbidden" in response.text
    assert count(core, Organization) == 0


@pytest.mark.parametrize("body, code", [
    (b"", "Client.MalformedXml"), (b"<not xml", "Client.MalformedXml"),
    # UTF-16's byte order mark under a header saying utf-8.
    (b"\xff\xfe garbage", "Client.CharsetMismatch")])
def test_a_body_that_is_not_xml_gets_a_client_fault(core, live_server, soap_credentials, body,
                                                    code):
    response = post_soap(live_server, body, auth=soap_credentials)
    assert response.status_code == 500
    assert f"<faultcode>soap11env:{code}</faultcode>" in response.text
    assert response.headers["Content-Type"].startswith("text/xml")


def test_registration_commits_while_the_mail_server_is_down_and_mails_later(
        core, zeep_client, start_smtp, clock):
    transport = SmtpTransport(core.config.mail, timeout=5)
    answer = zeep_client.service.RegisterOrganization(RequestId="reg-down",
                                                      Organization=story_organization())
    assert answer.ActivationSent is True
    assert count(core, Organization) == 1
    # Nobody listens on the SMTP port yet.
    assert deliver_due(core.session_factory, clock, transport, "lkk@example.org") == (0, 1)
    with core.uow() as uow:
        message = uow.session.scalars(select(MailMessage)).one()
        assert message.sent_at is None and message.attempts == 1 and message.last_error
    mailbox = start_smtp()
    # Not due yet: the retry waits for its back-off.
    assert deliver_due(core.session_factory, clock, transport, "lkk@example.org") == (0, 0)
    clock.advance(minutes=2)
    assert deliver_due(core.session_factory, clock, transport, "lkk@example.org") == (1, 0)
    assert [m["To"] for m in mailbox.messages] == ["contact@uk-test.example"]
    assert "/password/" in mailbox.messages[0].get_content()
    # Delivered once: a further round sends nothing again.
    assert deliver_due(core.session_factory, clock, transport, "lkk@example.org") == (0, 0)
