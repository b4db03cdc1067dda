"""Test helpers: a registration payload, a person filling the template, LibreOffice re-saving."""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import xlrd
import xlwt

LAST_DATE = dt.date(2026, 2, 20)


def meter(meter_id, number, zones, last, capacity=6, ratio=None, verification_due=None):
    values = {f"T{i + 1}": v for i, v in enumerate(last)}
    return {"MeterId": meter_id, "Number": number, "Zones": zones, "Capacity": capacity,
            "TransformationRatio": ratio, "VerificationDue": verification_due,
            "LastReading": {"ReadingDate": LAST_DATE, "Source": "Абонент", **values}}


def story_organization(org_id="ORG-1", email="contact@uk-test.example", contract="Д-1"):
    """An invented organization with one house: meters of 1, 2 and 3 zones and one common-house."""
    accounts = [
        ("100001", "1", meter("M-A", "00215090", 1, ["1000"])),
        ("100002", "2", meter("M-B", "066823", 2, ["500", "300"])),
        ("100003", "3", meter("M-C", "00300001", 1, ["2000"])),
        ("100004", "4", meter("M-D", "00300002", 3, ["5", "10", "15"])),
        ("100005", "5", meter("M-F", "00300003", 1, ["100"])),
    ]
    return {
        "OrganizationId": org_id,
        "FullName": "Общество с ограниченной ответственностью «Управляющая компания «Тестовая»",
        "ShortName": "ООО «УК «Тестовая»", "Type": "Управляющая компания",
        "Inn": "7700000023", "Kpp": "770001002", "Ogrn": "1027700000002",
        "ContractNumber": contract,
        "ContactPerson": {"FullName": "Тестова Ирина Олеговна", "Email": email,
                          "MobilePhone": "+7 900 000-00-02"},
        "Houses": {"House": [{
            "HouseId": f"{org_id}-H1", "Settlement": "Москва г.", "Street": "Вавилова ул.",
            "HouseNumber": "45",
            "Accounts": {"Account": [
                {"Number": f"{org_id}-{n}" if org_id != "ORG-1" else n, "Apartment": apt,
                 "ConsumerName": "Абонент Тестовый",
                 "Meters": {"Meter": [dict(m, MeterId=f"{org_id}-{m['MeterId']}")]}}
                for n, apt, m in accounts]},
            "CommonHouseMeters": {"Meter": [dict(meter("M-E", "7700123", 2, ["100", "50"],
                                                       ratio="40"), MeterId=f"{org_id}-M-E")]},
        }]},
    }


def fill_template(template: bytes, fills: dict[str, dict], numeric_numbers=(),
                  extra_rows=(), edits: dict[str, dict] | None = None) -> bytes:
    """What a person does with the template: type readings and dates into its rows.

    `fills` maps a meter number to {'t1':…, 't2':…, 't3':…, 'date': date}; a number in
    `numeric_numbers` is typed as a number, so its leading zeros are lost; `extra_rows` are
    appended to the individual sheet as dicts keyed by column title; `edits` maps a meter
    number to {column title: value} overwriting prefilled cells of its row.
    """
    source = xlrd.open_workbook(file_contents=template)
    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    for sheet in source.sheets():
        out = book.add_sheet(sheet.name, cell_overwrite_ok=True)
        if sheet.visibility:
            out.visibility = 1
        titles = [c.value for c in sheet.row(0)] if sheet.nrows else []
        for r in range(sheet.nrows):
            number = None
            for c, cell in enumerate(sheet.row(r)):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    out.write(r, c, xlrd.xldate_as_datetime(cell.value, source.datemode),
                              date_style)
                elif cell.ctype not in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    out.write(r, c, cell.value)
                if r and titles[c] == "№ счетчика":
                    number = cell.value
            if r and number in fills:
                fill = fills[number]
                for key, title in (("t1", "Т1"), ("t2", "Т2"), ("t3", "Т3")):
                    if fill.get(key) is not None:
                        out.write(r, titles.index(title), fill[key])
                if fill.get("date") is not None:
                    out.write(r, titles.index("Дата показания"), fill["date"], date_style)
                if number in numeric_numbers:
                    out.write(r, titles.index("№ счетчика"), float(number))
            if r and number in (edits or {}):
                for title, value in edits[number].items():
                    out.write(r, titles.index(title), value)
        if sheet.name == "ИПУ":
            for i, extra in enumerate(extra_rows, sheet.nrows):
                for title, value in extra.items():
                    if isinstance(value, dt.date):
                        out.write(i, titles.index(title), value, date_style)
                    else:
                        out.write(i, titles.index(title), value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def resave_with_libreoffice(data: bytes, work: Path, name: str = "filled.xls") -> bytes:
    """Open and save the file in LibreOffice Calc as Excel 97–2003, the way a user's program would."""
    work.mkdir(parents=True, exist_ok=True)
    source = work / name
    source.write_bytes(data)
    out = work / "libreoffice-out"
    subprocess.run([soffice(), f"-env:UserInstallation=file://{work / 'lo-profile'}",
                    "--headless", "--norestore", "--convert-to", "xls:MS Excel 97",
                    "--outdir", str(out), str(source)],
                   check=True, timeout=240, capture_output=True)
    return (out / name).read_bytes()


def xls_writer(data: bytes) -> str:
    """Which program saved an .xls file, from its OLE streams.

    LibreOffice (and OpenOffice before it) name the CompObj stream's format in German,
    «Microsoft Excel 97-Tabelle», a trait of StarOffice's filter no other writer shares; Excel
    names itself in SummaryInformation; xlwt writes no CompObj stream at all.
    """
    from xlrd.compdoc import CompDoc

    doc = CompDoc(data, logfile=io.StringIO())
    comp_obj = doc.get_named_stream("\x01CompObj") or b""
    if b"Excel 97-Tabelle" in comp_obj:
        return "LibreOffice"
    summary = doc.get_named_stream("\x05SummaryInformation") or b""
    found = re.search(rb"(Microsoft Excel|Gnumeric)[^\x00]*", summary)
    if found:
        return found.group(0).decode("latin-1")
    return "" if comp_obj else "no CompObj stream (a library such as xlwt)"


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def page_text(html: str) -> str:
    """The visible text of a page with tags removed and entities decoded, spaces folded."""
    import html as html_module

    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html_module.unescape(text)).strip()


def soap_envelope(body: str) -> bytes:
    """A SOAP 1.1 envelope around `body`, written by hand as a foreign client would; the prefix
    `v1` is bound to the service's namespace."""
    return (f'<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv='
            f'"http://schemas.xmlsoap.org/soap/envelope/" xmlns:v1='
            f'"http://lkk-oo.example/integration/v1"><soapenv:Body>{body}</soapenv:Body>'
            f'</soapenv:Envelope>').encode()


def post_soap(base_url: str, data: bytes, auth=None, headers=None):
    """POST raw bytes to /soap, as text/xml."""
    import requests

    return requests.post(f"{base_url}/soap", data=data, auth=auth, timeout=10,
                         headers={"Content-Type": "text/xml; charset=utf-8", **(headers or {})})


def activate(core, password: str, email: str | None = None) -> None:
    """Set the password of a registered contact person (the only one, or the one with
    `email`) as if they had opened their activation link."""
    from sqlalchemy import select

    from lkk_integration.models import ContactPerson
    from lkk_integration.signin.contact_persons import issue_token, set_password_by_token

    with core.uow() as uow:
        query = select(ContactPerson)
        if email:
            query = query.where(ContactPerson.email_normalized == email.lower())
        person = uow.session.scalars(query).one()
        token = issue_token(uow.session, core, person, "activation")
        uow.commit()
    set_password_by_token(core, token, password, password)
