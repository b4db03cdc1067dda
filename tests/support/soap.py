"""SOAP as the billing's programs speak it: hand-written envelopes posted over HTTP, the fault a
zeep call raised or a response carried, a body rewritten the way JAX-WS writes it, and readings
put in through the file channel for the billing to export."""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

import pytest
import requests
import zeep
from lxml import etree
from sqlalchemy import select

from lkk_integration.models import ContactPerson
from lkk_integration.soap.types import NS
from lkk_integration.spreadsheets.template import build_xls, rows_for_template
from lkk_integration.spreadsheets.upload import send_valid_rows, upload_readings_file

from .organizations import READING_DATE, story_organization
from .spreadsheets import fill_template

XSI = "http://www.w3.org/2001/XMLSchema-instance"


def soap_envelope(body: str) -> bytes:
    """A SOAP 1.1 envelope around `body`, written by hand as a foreign client would; the prefix
    `v1` is bound to the service's namespace."""
    return (f'<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv='
            f'"http://schemas.xmlsoap.org/soap/envelope/" xmlns:v1='
            f'"http://lkk-oo.example/integration/v1"><soapenv:Body>{body}</soapenv:Body>'
            f'</soapenv:Envelope>').encode()


def post_soap(base_url: str, data: bytes, auth=None, headers=None):
    """POST raw bytes to /soap, as text/xml."""
    return requests.post(f"{base_url}/soap", data=data, auth=auth, timeout=10,
                         headers={"Content-Type": "text/xml; charset=utf-8", **(headers or {})})


def faultstring(response) -> tuple[str, str]:
    """The faultcode and faultstring of a SOAP fault response."""
    root = etree.fromstring(response.content)
    return root.findtext(".//faultcode"), root.findtext(".//faultstring")


def fault_of(call, **kwargs) -> zeep.exceptions.Fault:
    """The zeep Fault that `call(**kwargs)` raises (the test fails when it raises none)."""
    with pytest.raises(zeep.exceptions.Fault) as fault:
        call(**kwargs)
    return fault.value


def with_default_namespace(body: str) -> str:
    """The same payload as JAX-WS writes it: no prefix anywhere, each element's namespace
    declared as the default where it changes (xmlns="" for an unqualified element)."""
    def write(element, inherited: str) -> str:
        namespace = etree.QName(element).namespace or ""
        declare = f" xmlns={quoteattr(namespace)}" if namespace != inherited else ""
        attributes = "".join(
            f' xmlns:xsi="{XSI}" xsi:{etree.QName(name).localname}={quoteattr(value)}'
            if etree.QName(name).namespace == XSI else f" {name}={quoteattr(value)}"
            for name, value in element.attrib.items())
        inner = escape(element.text or "") + "".join(
            write(child, namespace) + escape(child.tail or "") for child in element)
        name = etree.QName(element).localname
        return f"<{name}{declare}{attributes}>{inner}</{name}>"

    wrapped = etree.fromstring(f'<w xmlns:v1="{NS}" xmlns:xsi="{XSI}">{body}</w>')
    return "".join(write(element, "") for element in wrapped)


def send_file_rows(core, zeep_client, fills, request_id="r"):
    """Register, then put readings in through the file channel's use cases."""
    zeep_client.service.RegisterOrganization(RequestId=request_id,
                                             Organization=story_organization())
    with core.uow() as uow:
        person = uow.session.scalars(select(ContactPerson)).one()
        house_ids = [h.id for h in person.organization.houses]
        ids = (person.id, person.organization_id)
    filled = fill_template(build_xls(rows_for_template(core, ids[1], house_ids)),
                           {n: dict(v, date=READING_DATE) for n, v in fills.items()})
    upload_id = upload_readings_file(core, ids[0], ids[1], "f.xls", filled)
    return send_valid_rows(core, ids[0], ids[1], upload_id)
