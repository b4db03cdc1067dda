"""The main job end to end, through the real interfaces: the billing registers an organization
over SOAP (zeep over HTTP on loopback), the contact person activates the account from the
e-mail (aiosmtpd on loopback), downloads the template, fills it, uploads it, sends the valid rows,
and the billing exports exactly those readings."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
import xlrd

from lkk_integration.outbox import SmtpTransport, deliver_due

from tests.support.cabinet import PASSWORD, csrf_token, log_in, page_text
from tests.support.organizations import READING_DATE, story_organization
from tests.support.parts import need
from tests.support.spreadsheets import fill_template, resave_with_libreoffice, soffice, xls_writer


def deliver(core):
    return deliver_due(core.session_factory, core.clock, SmtpTransport(core.config.mail),
                       core.config.mail.sender)


def activation_path(mailbox) -> str:
    body = mailbox.messages[-1].get_content()
    link = re.search(r"http://\S+/password/\S+", body).group(0)
    return link.split("/", 3)[3]


@pytest.mark.parametrize("saved_by", ["xlwt", "libreoffice"])
def test_registration_to_export(core, client, zeep_client, start_smtp, tmp_path, saved_by):
    if saved_by == "libreoffice":
        need(soffice() is not None, "LibreOffice (soffice)",
             "apt-get install libreoffice-calc-nogui")
    mailbox = start_smtp()

    answer = zeep_client.service.RegisterOrganization(RequestId="reg-1",
                                                      Organization=story_organization())
    assert (answer.OrganizationId, answer.Login, answer.ActivationSent) == \
        ("ORG-1", "contact@uk-test.example", True)
    assert deliver(core) == (1, 0)
    message = mailbox.messages[-1]
    assert message["To"] == "contact@uk-test.example"

    # The activation link opens «Добро пожаловать в Личный кабинет!» and sets the password.
    path = "/" + activation_path(mailbox)
    page = client.get(path)
    assert "Добро пожаловать в Личный кабинет!" in page.text
    response = client.post(path, data={"csrf_token": csrf_token(page.text),
                                       "password": PASSWORD, "repeat": PASSWORD})
    assert response.status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})

    response = log_in(client, "Contact@UK-test.example", PASSWORD)
    main_page = page_text(response.text)
    assert "ООО «УК «Тестовая»" in main_page
    assert "Всего: 1" in main_page
    assert "Москва г., Вавилова ул., д. 45 5 1" in main_page

    tab = client.get("/readings/file")
    house_id = re.search(r'name="house" value="(\d+)"', tab.text).group(1)
    template = client.post("/readings/template", data={"csrf_token": csrf_token(tab.text),
                                                       "house": house_id})
    assert template.status_code == 200
    assert template.mimetype == "application/vnd.ms-excel"
    book = xlrd.open_workbook(file_contents=template.data)
    numbers = [c.value for c in book.sheet_by_name("ИПУ").col(3)[1:]]
    assert numbers == ["00215090", "066823", "00300001", "00300002", "00300003"]

    filled = fill_template(
        template.data,
        fills={
            "00215090": {"t1": 1100.5, "date": READING_DATE},           # typed as a number
            "066823": {"t1": 520, "date": READING_DATE},                 # T2 missing
            "00300001": {"t1": 1500, "date": READING_DATE},              # lower than 2000
            "00300002": {"t1": 6, "t2": 11, "t3": "16,25", "date": "18.03.2026"},
            "7700123": {"t1": 110, "t2": 55, "date": READING_DATE},
        },
        numeric_numbers={"00215090"},
        extra_rows=[{"Квартира": "9", "№ счетчика": "99999999", "Т1": 5,
                     "Дата показания": READING_DATE}])
    if saved_by == "libreoffice":
        filled = resave_with_libreoffice(filled, tmp_path / "lo")
        assert xls_writer(filled) == "LibreOffice"
    response = client.post("/readings/upload", data={
        "csrf_token": csrf_token(tab.text), "file": (__import__("io").BytesIO(filled),
                                                      "показания.xls")},
        content_type="multipart/form-data", follow_redirects=True)
    buffer = page_text(response.text)
    assert "Индивидуальные ПУ: Верных – 2, ошибок – 4" in buffer
    assert "Общедомовые ПУ: Верных – 1, ошибок – 0" in buffer
    for row in ["2 066823 18.03.2026 520 Не указаны показания Т2",
                "3 00300001 18.03.2026 1500 Т1 меньше последних учтенных показаний (2000)",
                "5 00300003 Показания не указаны",
                "9 99999999 18.03.2026 5 Счетчик не найден",
                # The number as typed (the errors file gives it back so), the full one named.
                "1 215090 18.03.2026 1100,5 Номер счетчика восстановлен с ведущими нулями: "
                "00215090"]:
        assert row in buffer

    upload_id = re.search(r"/readings/send/(\d+)", response.text).group(1)
    confirm = client.get(f"/readings/send/{upload_id}")
    assert ("В загруженном файле 3 верных и 4 ошибочных строки. Показания будут сохранены "
            "только по верным строкам. Продолжить сохранение показаний?") in page_text(confirm.text)
    sent = client.post(f"/readings/send/{upload_id}", data={
        "csrf_token": csrf_token(confirm.text), "answer": "yes"}, follow_redirects=True)
    text = page_text(sent.text)
    assert "Успешно отправлены показания для 2 строк по индивидуальным приборам учета" in text
    assert "Успешно отправлены показания для 1 строки по общедомовым приборам учета" in text

    exported = zeep_client.service.ExportReadings(Cursor=0, Limit=100)
    assert exported.HasMore is False
    got = {(r.MeterNumber, r.MeterKind, r.ReadingDate, r.T1, r.T2, r.T3, r.Channel, r.Event,
            r.SubmittedBy) for r in exported.Readings.ExportedReading}
    assert got == {
        ("00215090", "individual", READING_DATE, Decimal("1100.5"), None, None, "file",
         "submitted", "contact@uk-test.example"),
        ("00300002", "individual", READING_DATE, Decimal("6"), Decimal("11"), Decimal("16.25"),
         "file", "submitted", "contact@uk-test.example"),
        ("7700123", "common_house", READING_DATE, Decimal("110"), Decimal("55"), None, "file",
         "submitted", "contact@uk-test.example"),
    }
    again = zeep_client.service.ExportReadings(Cursor=exported.NextCursor, Limit=100)
    assert again.Readings is None or not again.Readings.ExportedReading
    # The contact person gets a receipt of what was sent.
    assert deliver(core) == (1, 0)
    assert "по индивидуальным приборам учета: 2" in mailbox.messages[-1].get_content()
