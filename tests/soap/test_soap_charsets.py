"""How a SOAP body's bytes become text: UTF-16 and UTF-32 are served in either byte order, with
or without a byte order mark; a header or declaration that contradicts the bytes is a
Client.CharsetMismatch; a Content-Length that is no number of bytes is a client error, on the
development server and under gunicorn alike."""
from __future__ import annotations

import codecs
import logging
import socket
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lkk_integration.organizations.clients import set_client_quota

from tests.support.organizations import story_organization
from tests.support.soap import faultstring, post_soap, soap_envelope

ORG = "ЖЭК-1"   # Cyrillic: a body decoded in the wrong encoding names another organization
GET = soap_envelope(f"<v1:GetOrganization><v1:OrganizationId>{ORG}</v1:OrganizationId>"
                    "</v1:GetOrganization>").decode()
ORDER = "le" if sys.byteorder == "little" else "be"   # Python's utf-16/utf-32 write this order

# name → (the bytes of a text, the encoding those bytes really are in)
ENCODINGS = {
    "utf-8": (lambda s: s.encode("utf-8"), "utf-8"),
    "utf-8 with a mark": (lambda s: s.encode("utf-8-sig"), "utf-8"),
    "windows-1251": (lambda s: s.encode("cp1251"), "cp1251"),
    "koi8-r": (lambda s: s.encode("koi8-r"), "koi8-r"),
    "utf-16 with a mark": (lambda s: s.encode("utf-16"), f"utf-16-{ORDER}"),
    "utf-16be with a mark": (lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"), "utf-16-be"),
    "utf-16le": (lambda s: s.encode("utf-16-le"), "utf-16-le"),
    "utf-16be": (lambda s: s.encode("utf-16-be"), "utf-16-be"),
    "utf-32 with a mark": (lambda s: s.encode("utf-32"), f"utf-32-{ORDER}"),
    "utf-32le": (lambda s: s.encode("utf-32-le"), "utf-32-le"),
    "utf-32be": (lambda s: s.encode("utf-32-be"), "utf-32-be"),
}
# Besides the usual: codecs Python knows that are no text encoding (base64), refuse any text
# (undefined) or know no error handling but their own (idna).
ODD = ["x-unknown", "base64", "undefined", "idna", "unicode_escape", "utf-7"]
HEADER_CHARSETS = [None, "utf-8", "UTF-8", "windows-1251", "koi8-r", "utf-16", "utf-16le",
                   "utf-16be", "utf-32", *ODD]
DECLARATIONS = [None, "utf-8", "windows-1251", "koi8-r", "utf-16", "utf-16le", "UTF-16BE",
                "utf-32", *ODD]


def envelope(encoding: str, declaration: str | None) -> bytes:
    """GET written in `encoding` (a name of ENCODINGS) with `declaration` in its XML
    declaration (None: no encoding named there)."""
    text = GET.replace(' encoding="utf-8"', f' encoding="{declaration}"' if declaration else "")
    return ENCODINGS[encoding][0](text)


def content_type(charset: str | None) -> str:
    return "text/xml" + (f"; charset={charset}" if charset else "")


def tells_the_truth(stated: str | None, real: str) -> bool:
    """A header or declaration that is absent, or names the bytes' encoding (utf-16 names
    either byte order)."""
    if stated is None:
        return True
    try:
        name = codecs.lookup(stated).name
    except LookupError:
        return False
    return name == real or (name in ("utf-16", "utf-32") and real.startswith(name))


@pytest.fixture
def registered(core, zeep_client, soap_credentials):
    zeep_client.service.RegisterOrganization(RequestId="reg", Organization=story_organization(
        org_id=ORG, email="zhek@uk-test.example", contract="Д-7"))
    # Every example below is a call; the quota is not what is tested here.
    set_client_quota(core, soap_credentials[0], 100_000)
    return soap_credentials


@pytest.mark.parametrize("encoding", [e for e in ENCODINGS if e.startswith("utf-")])
@pytest.mark.parametrize("declared", [True, False])
def test_a_unicode_body_is_served_in_either_byte_order_with_or_without_a_mark(
        live_server, registered, encoding, declared):
    declaration = ENCODINGS[encoding][1][:6] if declared else None
    response = post_soap(live_server, envelope(encoding, declaration), auth=registered,
                         headers={"Content-Type": "text/xml"})
    assert response.status_code == 200, response.text
    assert f"{ORG}-H1" in response.text


def test_a_utf16_body_whose_header_says_utf8_is_a_charset_mismatch_not_our_error(
        live_server, registered, caplog):
    """The two cases the integrator found: a UTF-16 body declared so, sent as charset=utf-8;
    and one with a byte order mark and no declaration, sent so."""
    caplog.set_level(logging.INFO)
    declared = post_soap(live_server, envelope("utf-16 with a mark", "utf-16"), auth=registered,
                         headers={"Content-Type": "text/xml; charset=utf-8"})
    assert declared.status_code == 500
    assert faultstring(declared) == (
        "soap11env:Client.CharsetMismatch",
        f"Кодировка тела запроса (utf-16-{ORDER}) не совпадает с кодировкой в заголовке (utf-8)")
    marked = post_soap(live_server, envelope("utf-16be with a mark", None), auth=registered,
                       headers={"Content-Type": "text/xml; charset=utf-8"})
    assert faultstring(marked)[0] == "soap11env:Client.CharsetMismatch"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_declaration_that_contradicts_the_bytes_or_bytes_not_in_the_header_are_refused(
        live_server, registered):
    utf16_said_utf8 = post_soap(live_server, envelope("utf-16le", "utf-8"), auth=registered,
                                headers={"Content-Type": "text/xml"})
    assert faultstring(utf16_said_utf8) == (
        "soap11env:Client.CharsetMismatch",
        "Кодировка тела запроса (utf-16-le) не совпадает с кодировкой в XML (utf-8)")
    utf8_said_utf16 = post_soap(live_server, envelope("utf-8", None), auth=registered,
                                headers={"Content-Type": "text/xml; charset=utf-16"})
    assert faultstring(utf8_said_utf16) == ("soap11env:Client.CharsetMismatch",
                                            "Тело запроса не в кодировке utf-16")
    big_said_little = post_soap(live_server, envelope("utf-16be", None), auth=registered,
                                headers={"Content-Type": "text/xml; charset=utf-16le"})
    assert faultstring(big_said_little)[0] == "soap11env:Client.CharsetMismatch"


@pytest.mark.parametrize("encoding", ["utf-7", "cp500", "iso-2022-jp", "hz"])
def test_an_encoding_that_reads_ascii_bytes_otherwise_is_refused_whoever_names_it(
        live_server, registered, encoding):
    """UTF-7 («+ADw-» is «<»), EBCDIC, ISO-2022 and HZ: markup that is not markup in the
    bytes. Named by the header, by the declaration, or both, the body is refused."""
    text = GET.replace(' encoding="utf-8"', f' encoding="{encoding}"')
    for header, declared in ((encoding, text), (None, text), (encoding, GET.replace(
            ' encoding="utf-8"', ""))):
        response = post_soap(live_server, declared.encode(encoding, "xmlcharrefreplace"),
                             auth=registered,
                             headers={"Content-Type": content_type(header)})
        code, message = faultstring(response)
        assert code == "soap11env:Client.CharsetMismatch", (header, message)
        if header or encoding != "cp500":  # EBCDIC hides its own declaration from a reader
            assert message.split(":")[0] == \
                f"Неизвестная или неподдерживаемая кодировка {encoding}", (header, message)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(encoding=st.sampled_from(sorted(ENCODINGS)), header=st.sampled_from(HEADER_CHARSETS),
       declaration=st.sampled_from(DECLARATIONS))
def test_any_encoding_header_and_declaration_is_served_right_or_a_client_fault(
        live_server, registered, encoding, header, declaration):
    """Never Server.InternalError: served with the right organization, or a Client.* fault;
    served whenever neither the header nor the declaration contradicts the bytes and
    something names an encoding that the bytes do not show (or it is UTF-8)."""
    response = post_soap(live_server, envelope(encoding, declaration), auth=registered,
                         headers={"Content-Type": content_type(header)})
    real = ENCODINGS[encoding][1]
    shown_by_bytes = real.startswith(("utf-16", "utf-32")) or "mark" in encoding
    truthful = tells_the_truth(header, real) and tells_the_truth(declaration, real)
    if response.status_code == 200:
        assert f"{ORG}-H1" in response.text
    else:
        code, message = faultstring(response)
        assert code.startswith("soap11env:Client."), message
    if truthful and (shown_by_bytes or header or declaration or real == "utf-8"):
        assert response.status_code == 200, (response.text, encoding, header, declaration)


def raw_post(base_url: str, path: str, length: str, body: bytes, auth=None) -> tuple[int, bytes]:
    """POST with the Content-Length header written as given; the status and the body of the
    answer, read until the server closes the connection."""
    import base64

    host, port = base_url.split("//")[1].split(":")
    head = [f"POST {path} HTTP/1.1", f"Host: {host}", "Content-Type: text/xml; charset=utf-8",
            f"Content-Length: {length}", "Connection: close"]
    if auth:
        head.append("Authorization: Basic " + base64.b64encode(":".join(auth).encode()).decode())
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall("\r\n".join(head).encode("utf-8") + b"\r\n\r\n" + body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


# Not a number of bytes (RFC 9110, 8.6: 1*DIGIT), though int() reads several of them.
BAD_LENGTHS = ["-5", "-1", "abc", "+5", "5_0", "٥", "1e3", "0x10", "5, 5"]


@pytest.mark.parametrize("length", BAD_LENGTHS)
def test_a_content_length_that_is_no_number_of_bytes_is_a_client_error(
        live_server, registered, length):
    status, body = raw_post(live_server, "/soap", length, GET.encode(), auth=registered)
    assert status == 400
    assert b"<faultcode>soap11env:Client.BadContentLength</faultcode>" in body


def test_a_content_length_that_is_no_number_of_bytes_is_a_client_error_under_gunicorn(
        core, registered, tmp_path):
    """gunicorn refuses such a header itself, before the application, with its own 400."""
    from tests.support.rehearsal import Gunicorn

    with Gunicorn(core.config.database_url, tmp_path / "server", workers=1,
                  secret_key=core.config.secret_key) as server:
        statuses = {length: raw_post(server.base_url, "/soap", length, GET.encode(),
                                     auth=registered)[0] for length in BAD_LENGTHS}
        good, body = raw_post(server.base_url, "/soap", str(len(GET.encode())), GET.encode(),
                              auth=registered)
    assert statuses == {length: 400 for length in BAD_LENGTHS}
    assert good == 200 and f"{ORG}-H1".encode() in body


def raw_chunked(base_url: str, path: str, chunks: bytes, auth=None) -> tuple[int, bytes]:
    """POST `path` with Transfer-Encoding: chunked and `chunks` as the framed body, on a raw
    socket; (status, body) of the answer. The client half-closes after sending."""
    import base64

    host, port = base_url.split("//")[1].split(":")
    # The cabinet reads a form's body, SOAP its XML.
    kind = "text/xml; charset=utf-8" if path == "/soap" else "application/x-www-form-urlencoded"
    head = [f"POST {path} HTTP/1.1", f"Host: {host}", f"Content-Type: {kind}",
            "Transfer-Encoding: chunked", "Connection: close"]
    if auth:
        head.append("Authorization: Basic " + base64.b64encode(":".join(auth).encode()).decode())
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall("\r\n".join(head).encode() + b"\r\n\r\n" + chunks)
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def broken_chunkings(body: bytes) -> dict[str, bytes]:
    return {"a chunk size that is no number": b"zz\r\n" + body + b"\r\n0\r\n\r\n",
            "a chunk without its line end": b"%x\r\n" % len(body) + body + b"XX0\r\n\r\n",
            "a body cut off mid-chunk": b"%x\r\n" % (len(body) + 100) + body,
            # werkzeug's development server trusted it and crashed (a segmentation fault).
            "a chunk size far past the body": b"ffffffffffffffffffff\r\n" + body
            + b"\r\n0\r\n\r\n"}


def test_a_broken_chunked_body_is_a_client_error_on_every_server_and_path(
        core, live_server, registered, tmp_path):
    """SOAP answers Client.UnreadableBody; the cabinet's forms (sign-in, upload, the
    administrators' sign-in) a plain 400 — under werkzeug and under gunicorn alike."""
    from tests.support.rehearsal import Gunicorn

    body = GET.encode()
    whole = b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
    with Gunicorn(core.config.database_url, tmp_path / "server", workers=1,
                  secret_key=core.config.secret_key) as server:
        for base in (live_server, server.base_url):
            answers = {(path, name): raw_chunked(base, path, chunks, registered)
                       for path in ("/soap", "/login", "/readings/upload", "/admin/login")
                       for name, chunks in broken_chunkings(body).items()}
            assert {key: (status, key[0] != "/soap" or b"Client.UnreadableBody" in answer)
                    for key, (status, answer) in answers.items()} == \
                {key: (400, True) for key in answers}, base
            status, answer = raw_chunked(base, "/soap", whole, registered)
            assert status == 200 and f"{ORG}-H1".encode() in answer
