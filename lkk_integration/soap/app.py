"""The SOAP service as a WSGI application: authentication, request bounds and the WSDL in front
of spyne."""
from __future__ import annotations

import base64
import binascii
import codecs
import io
import logging
import math
import re
import uuid

import spyne.const
from lxml import etree
from spyne import Application
from spyne.interface.wsdl import Wsdl11
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication
from sqlalchemy.exc import DBAPIError

from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.db import RequestConnection, database_unavailable
from lkk_integration.errors import AuthenticationFailed, QuotaExceeded
from lkk_integration.organizations import registry
from lkk_integration.organizations.clients import admit_call
from lkk_integration.soap.service import IntegrationService, detail_every_fault
from lkk_integration.soap.types import NS, fault_detail
from lkk_integration.soap.validation import RequestSchema

log = logging.getLogger(__name__)
# spyne logs every Client.* fault with a traceback at ERROR; a caller's mistake is not our error.
# The service logs its refusals itself, one line each (service.py).
logging.getLogger("spyne.application.client").setLevel(logging.CRITICAL)
# At DEBUG spyne's WSGI server logs every request header, the Basic credentials (the client's
# secret) among them: never below INFO, whatever LKK_LOG_LEVEL says.
logging.getLogger("spyne.server.wsgi").setLevel(logging.INFO)
# spyne's MethodContext.close runs a full gc.collect() after a request whenever the last one is
# more than MIN_GC_INTERVAL (1 s) ago, to close the files of its File type in time: a tenth of
# the export's time, and a pause of every generation's objects for whatever request comes then.
# The contract has no File (multipart is refused, SoapGateway), CPython frees a request's objects
# by reference counting, and its own collector still runs on its thresholds. The interval is the
# setting spyne gives (spyne.const, read at each close): never. The only gc.collect on the
# request path (spyne/context.py); tests/unit/test_export_xml.py proves it stays quiet.
spyne.const.MIN_GC_INTERVAL = math.inf

SERVICE_NAME = "LkkIntegration"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
XS = "http://www.w3.org/2001/XMLSchema"


def make_application() -> Application:
    """The spyne application: SOAP 1.1 document/literal, schema validation on."""
    # Validation runs in the gateway (RequestSchema), where its messages are made Russian.
    out_protocol = Soap11()
    out_protocol.event_manager.add_listener("before_serialize", detail_every_fault)
    application = Application([IntegrationService], tns=NS, name=SERVICE_NAME,
                              in_protocol=Soap11(validator=None), out_protocol=out_protocol)
    # Spyne's HTTP servers set this; the WSDL is built before any server exists.
    application.transport = "http://schemas.xmlsoap.org/soap/http"
    return application


def build_wsdl(soap_url: str) -> bytes:
    """The WSDL document with `soap_url` as the service's address (from configuration)."""
    wsdl = Wsdl11(make_application().interface)
    wsdl.build_interface_document(soap_url)
    # Pretty-printed, so the committed contract reads and diffs line by line.
    tree = etree.fromstring(wsdl.get_interface_document(), etree.XMLParser(remove_blank_text=True))
    # spyne leaves minOccurs out where it is 1; some generators (1C, older svcutil) read a
    # missing attribute as optional, so required elements say it.
    _canonical_order(tree)
    # The operations' docstrings as one line each: Python 3.13 strips their indentation when it
    # compiles them, 3.11 keeps it; the contract must not depend on the Python that serves it.
    for documentation in tree.iter("{*}documentation"):
        if documentation.text:
            documentation.text = " ".join(documentation.text.split())
    for element in tree.iterfind(f".//{{{XS}}}sequence/{{{XS}}}element"):
        if element.get("minOccurs") is None:
            element.set("minOccurs", "1")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sort_children(parent, tags: set[str]) -> None:
    """Sort the children of `parent` with a tag in `tags` by (tag, name), in their places."""
    chosen = [c for c in parent if c.tag in tags]
    slots = [parent.index(c) for c in chosen]
    ordered = sorted(chosen, key=lambda c: (c.tag, c.get("name") or ""))
    for slot, child in zip(slots, ordered, strict=True):
        parent.insert(slot, child)


def _canonical_order(tree) -> None:
    """Spyne lists types and operations in set order, which changes with the hash seed; sort
    them so the same code always gives the same bytes (the committed contract is compared)."""
    wsdl = "http://schemas.xmlsoap.org/wsdl/"
    for schema in tree.iter(f"{{{XS}}}schema"):
        _sort_children(schema, {f"{{{XS}}}simpleType", f"{{{XS}}}complexType",
                                f"{{{XS}}}element"})
    _sort_children(tree, {f"{{{wsdl}}}message"})
    for parent in [*tree.iter(f"{{{wsdl}}}portType"), *tree.iter(f"{{{wsdl}}}binding")]:
        _sort_children(parent, {f"{{{wsdl}}}operation"})


def fault_envelope(code: str, message: str, correlation_id: str, field: str | None = None,
                   item: int | None = None) -> bytes:
    """A SOAP 1.1 Fault envelope, for refusals made before spyne sees the request; its detail
    is the contract's LkkFault, as spyne's faults carry it."""
    env = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap11env": SOAP_ENV})
    body = etree.SubElement(env, f"{{{SOAP_ENV}}}Body")
    fault = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = f"soap11env:{code}"
    etree.SubElement(fault, "faultstring").text = message
    etree.SubElement(fault, "detail").append(fault_detail(code, correlation_id, field, item))
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


# No DTD is loaded, no entity resolved, nothing fetched (docs/spec.md §15.10: no DTD or entity
# accepted).
_GUARD_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                                huge_tree=False, remove_comments=True, remove_pis=False)


# The XML declaration's encoding, read from the document's head once its bytes are text.
_DECLARED = re.compile(r"""<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
# Byte order marks, longest first (UTF-32LE's begins with UTF-16LE's).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


# Every ASCII byte, and the escapes of the encodings that give ASCII bytes other meanings
# (UTF-7's «+ADw-» is «<», ISO-2022's ESC sequences and HZ's «~{» switch to other characters,
# «\u0041» is «A» to the escape codecs): an encoding other than UTF-16/32 must read and write
# them all as ASCII does.
_ASCII = bytes(range(128)) + b"+ADw- \x1b$B \x1b(B ~{ ~} \\u0041"


def _codec(name: str) -> str | None:
    """Python's name of an encoding a request may come in, or None for a name that is none
    («base64» is a codec of bytes to bytes) or one we do not take: UTF-8, UTF-16 and UTF-32,
    else only an encoding that reads ASCII bytes as ASCII (windows-1251, koi8-r), so that
    markup is markup in the bytes as well as in the text (XML 1.0, appendix F)."""
    try:
        codec = codecs.lookup(name).name
        if _family(codec) in ("utf-16", "utf-32"):
            return codec
        text = _ASCII.decode("ascii")
        # Writing first: the escape codecs then never get to warn about what they read.
        return codec if text.encode(codec) == _ASCII and _ASCII.decode(codec) == text else None
    except (LookupError, ValueError):  # ValueError: a codec that refuses such bytes
        return None


def _family(codec: str) -> str:
    """'utf-16-le' → 'utf-16': the name a declaration or a header may give without the order."""
    return codec[:6] if codec.startswith(("utf-16", "utf-32")) else codec


def _sniff(body: bytes) -> tuple[str | None, int]:
    """The encoding the bytes themselves show, and the length of its byte order mark.

    A document starts with «<» or a space, ASCII in every encoding: zero bytes around it tell
    UTF-16 and UTF-32 and their byte order even without a mark (XML 1.0, appendix F). None: an
    ASCII-compatible encoding, which only the header or the declaration can name.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return codec, len(bom)
    head = body[:4]
    if len(head) == 4:
        zeros = tuple(b == 0 for b in head)
        for pattern, codec in (((True, True, True, False), "utf-32-be"),
                               ((False, True, True, True), "utf-32-le"),
                               ((True, False, True, False), "utf-16-be"),
                               ((False, True, False, True), "utf-16-le")):
            if zeros == pattern:
                return codec, 0
    return None, 0


def as_utf8(body: bytes, content_type: str) -> tuple[bytes, tuple[str, str] | None]:
    """The request body re-encoded as UTF-8, and a Client.CharsetMismatch (code, message) or None.

    The encoding comes from the bytes (a byte order mark, or UTF-16/32's zero bytes), the
    header's charset and the XML declaration; those present must agree (utf-16 agrees with
    either byte order), else the request is refused rather than guessed at. Without any,
    UTF-8 (XML 1.0, 4.3.3 and appendix F). Bytes that are not in the encoding are refused too.
    The declaration, kept for the parser to judge, then names UTF-8.
    """
    named = _CHARSET.search(content_type)
    header = _codec(named.group(1)) if named else None
    if named and header is None:
        return body, ("Client.CharsetMismatch", msg.soap_charset_unknown(
            charset=named.group(1)))
    sniffed, bom = _sniff(body)
    try:
        head = body[bom:bom + 512].decode(sniffed or header or "latin-1", errors="ignore")
    except ValueError:  # a codec that knows no error handling but its own (idna)
        return body, ("Client.CharsetMismatch", msg.soap_not_in_charset(
            charset=sniffed or header))
    found = _DECLARED.match(head)
    declared = _codec(found.group(2)) if found else None
    if found and declared is None:
        return body, ("Client.CharsetMismatch", msg.soap_charset_unknown(
            charset=found.group(2)))
    # (where, codec, the name as it was given)
    sources = [source for source in (
        (msg.SOAP_CHARSET_FROM_BYTES, sniffed, sniffed),
        (msg.SOAP_CHARSET_FROM_HEADER, header, named and named.group(1)),
        (msg.SOAP_CHARSET_FROM_DECLARATION, declared, found and found.group(2))) if source[1]]
    for i, (first, a, a_name) in enumerate(sources):
        for second, b, b_name in sources[i + 1:]:
            if _family(a) != _family(b) or (a != b and a != _family(a) and b != _family(b)):
                return body, ("Client.CharsetMismatch", msg.soap_charsets_disagree(
                    first=first, a=a_name, second=second, b=b_name))
    encoding = sniffed or header or declared or "utf-8"
    if _family(encoding) in ("utf-16", "utf-32") and not sniffed:
        return body, ("Client.CharsetMismatch", msg.soap_not_in_charset(charset=encoding))
    try:
        text = body[bom:].decode(encoding)
    except ValueError:
        return body, ("Client.CharsetMismatch", msg.soap_not_in_charset(charset=encoding))
    found = _DECLARED.match(text)
    if found:
        start, end = found.span(2)
        text = text[:start] + "utf-8" + text[end:]
    return text.encode("utf-8"), None


def _stray_text(element) -> bool:
    """Whether `element` holds text beside its child elements (only white space may stand
    between the parts of an envelope)."""
    return bool((element.text or "").strip()) or any((child.tail or "").strip()
                                                     for child in element)


class SoapGateway:
    """WSGI callable at /soap: GET ?wsdl serves the contract; POST is authenticated, bounded,
    checked for DTDs, then handed to spyne."""

    def __init__(self, core: Core):
        self.core = core
        self.wsdl = build_wsdl(core.config.soap_url)
        self.schema = RequestSchema(self.wsdl)
        self.spyne = WsgiApplication(make_application(),
                                     max_content_length=core.config.soap_max_request_bytes)

    def _respond(self, start_response, status: str, body: bytes,
                 extra: list[tuple[str, str]] = ()) -> list[bytes]:
        start_response(status, [("Content-Type", "text/xml; charset=utf-8"),
                                ("Content-Length", str(len(body))), *extra])
        return [body]

    def _fault(self, environ, start_response, status: str, code: str, message: str,
               field: str | None = None, item: int | None = None,
               extra: list[tuple[str, str]] = ()) -> list[bytes]:
        log.info("SOAP request refused: %s", code)
        return self._respond(start_response, status, fault_envelope(
            code, message, environ["lkk.request_id"], field, item), extra)

    def _check_body(self, body: bytes) -> tuple[tuple | None, etree._Element | None]:
        """((code, message) of the first thing wrong with the body (UTF-8, as_utf8 made it so),
        or None; a fault about one field adds its path and the list item (SchemaFault); the
        operation's element when nothing is wrong, else None).

        Checks, in order: well-formed XML, no DOCTYPE (so no entity), a SOAP envelope with a
        body, the schema, and the characters of its texts.
        """
        try:
            root = etree.fromstring(body, _GUARD_PARSER)
        except etree.XMLSyntaxError:
            return ("Client.MalformedXml", msg.SOAP_MALFORMED_XML), None
        info = root.getroottree().docinfo
        if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
            return ("Client.DtdForbidden", msg.SOAP_DTD_FORBIDDEN), None
        if root.tag == f"{{{SOAP12_ENV}}}Envelope":
            return ("VersionMismatch", msg.SOAP_VERSION_12), None
        parts = [child for child in root if isinstance(child.tag, str)]
        if root.tag != f"{{{SOAP_ENV}}}Envelope" or not parts or \
                parts[-1].tag != f"{{{SOAP_ENV}}}Body" or not len(parts[-1]):
            return ("Client.MalformedEnvelope", msg.SOAP_NOT_AN_ENVELOPE), None
        # SOAP 1.1, 4.1–4.3: an optional Header first, then one Body; a second Body or Header
        # would be a part of the request that no one reads (spyne runs the first Body only).
        header = parts[0] if len(parts) == 2 else None
        if len(parts) > 2 or (header is not None and header.tag != f"{{{SOAP_ENV}}}Header") \
                or any(_stray_text(part) for part in (root, *parts)):
            return ("Client.MalformedEnvelope", msg.SOAP_ENVELOPE_PARTS), None
        if any(isinstance(node, etree._ProcessingInstruction) for node in root.iter()):
            return ("Client.MalformedEnvelope", msg.SOAP_PROCESSING_INSTRUCTIONS), None
        operations = [child for child in parts[-1] if isinstance(child.tag, str)]
        if len(operations) != 1:
            return ("Client.MalformedEnvelope", msg.SOAP_ONE_OPERATION), None
        for block in (header if header is not None else []):
            flag = block.get(f"{{{SOAP_ENV}}}mustUnderstand") if isinstance(block.tag, str) \
                else None
            name = etree.QName(block).localname if isinstance(block.tag, str) else ""
            if flag in ("1", "true"):
                return ("MustUnderstand", msg.soap_must_understand(name)), None
            if flag not in (None, "0", "false"):
                return ("Client.MalformedEnvelope",
                        msg.soap_must_understand_value(header=name)), None
        error = self.schema.first_error(operations[0])
        if error:
            return ("Client.SchemaValidationError", error.message, error.field,
                    error.item), None
        found = self.schema.forbidden_text(operations[0])
        if found:
            return ("Client.Validation", found.message, found.field, found.item), None
        return None, operations[0]

    @staticmethod
    def _credentials(environ) -> tuple[str, str] | None:
        header = environ.get("HTTP_AUTHORIZATION", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            name, sep, secret = base64.b64decode(value.strip(), validate=True) \
                .decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return (name, secret) if sep else None

    def __call__(self, environ, start_response):
        # The request's id, in every fault's detail: the cabinet's middleware gives one (its
        # access log line, X-Request-Id); spyne's faults read it from here too.
        correlation = environ.setdefault("lkk.request_id", uuid.uuid4().hex[:16])
        try:
            return self._handle(environ, start_response)
        except Exception as exc:
            # Never an HTML error page or a traceback to a SOAP client.
            if database_unavailable(exc):
                # Authentication and quotas read the database before spyne runs.
                log.warning("SOAP request: database unavailable, correlation id %s: %s",
                            correlation, type(getattr(exc, "orig", exc)).__name__)
                return self._respond(start_response, "503 Service Unavailable", fault_envelope(
                    "Server.Unavailable", msg.soap_unavailable(code=correlation),
                    correlation), [("Retry-After", "30")])
            log.exception("SOAP request failed, correlation id %s", correlation)
            return self._respond(start_response, "500 Internal Server Error", fault_envelope(
                "Server.InternalError", msg.soap_internal_error(correlation), correlation))

    def _handle(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        query = environ.get("QUERY_STRING", "").lower()
        if method == "GET" and query in ("wsdl", "wsdl="):
            return self._respond(start_response, "200 OK", self.wsdl)
        if method != "POST":
            return self._respond(start_response, "405 Method Not Allowed",
                                 fault_envelope("Client.MethodNotAllowed", msg.SOAP_USE_POST,
                                                environ["lkk.request_id"]),
                                 [("Allow", "GET, POST")])
        credentials = self._credentials(environ)
        if credentials is None:
            return self._unauthorized(environ, start_response)
        taken, reads = None, ()
        if self.reads_ahead and _small(environ):
            # Read and checked before its admission, so that the operation's reads go with the
            # admission (one round trip); what is wrong with it is still said only once the
            # call is admitted, as for any other call.
            taken = self._take_body(environ)
            operation = taken[2]
            if operation is not None and operation.tag in _READS_AHEAD:
                reads = _READS_AHEAD[operation.tag](operation)
        for attempt in (1, 2):
            # One pooled connection for the whole call: authentication, quota and the use
            # case (RequestConnection); one checkout instead of one for each.
            with self.core.engine.connect() as connection:
                core = self.core.on_request(RequestConnection(connection))
                try:
                    client = admit_call(core, *credentials, reads)
                except DBAPIError as exc:
                    if attempt == 2 or not exc.connection_invalidated:
                        raise
                    # The pooled connection had died unseen (a server restart, a killed
                    # backend): SQLAlchemy dropped it and every connection pooled before it.
                    # Nothing was done yet, so once more on a new one; an outage fails again
                    # and is answered 503.
                    log.info("SOAP request: a dead pooled connection, admitting again")
                    continue
                except AuthenticationFailed:
                    return self._unauthorized(environ, start_response)
                except QuotaExceeded as exc:
                    return self._fault(environ, start_response, "429 Too Many Requests",
                                       "Client.QuotaExceeded", exc.message,
                                       extra=[("Retry-After", "60")])
                return self._admitted(environ, start_response, core, client, taken)
        raise AssertionError("unreachable")  # pragma: no cover

    def _unauthorized(self, environ, start_response) -> list[bytes]:
        # .NET and 1C clients send credentials only after this challenge.
        return self._respond(start_response, "401 Unauthorized",
                             fault_envelope("Client.Authentication", msg.AUTH_REQUIRED,
                                            environ["lkk.request_id"]),
                             [("WWW-Authenticate", 'Basic realm="LKK OO", charset="UTF-8"')])

    def _admitted(self, environ, start_response, core: Core, client,
                  taken: tuple | None = None) -> list[bytes]:
        """An authenticated, counted POST: bounded, checked (or `taken` already, _take_body),
        then handed to spyne with `core` (on the request's connection) for the operation."""
        body, problem, _operation = taken or self._take_body(environ)
        if problem:
            return self._fault(environ, start_response, *problem)
        # spyne reads the body as UTF-8, which it now is whatever it came in; a body without a
        # Content-Type is still SOAP 1.1 here.
        environ = dict(environ, **{"CONTENT_TYPE": "text/xml; charset=utf-8",
                                   "wsgi.input": io.BytesIO(body),
                                   "CONTENT_LENGTH": str(len(body)),
                                   "lkk.core": core, "lkk.client_id": client.id})
        return self.spyne(environ, start_response)

    def _take_body(self, environ) -> tuple:
        """(the body as UTF-8, None, the operation's element) when it may go to spyne, else
        (None, the refusal as _fault takes it: status, code, message[, field, item], None):
        bounded, read, re-encoded and checked (_check_body)."""
        content_type = environ.get("CONTENT_TYPE", "")
        if content_type.split(";")[0].strip().lower().startswith("multipart/"):
            # The contract has no attachments; refusing SwA/MTOM keeps one parsing path.
            return None, ("415 Unsupported Media Type", "Client.UnsupportedMediaType",
                          msg.SOAP_NO_ATTACHMENTS), None
        limit = self.core.config.soap_max_request_bytes
        too_large = ("413 Request Entity Too Large", "Client.RequestTooLarge",
                     msg.soap_request_too_large(limit))
        declared_length = environ.get("CONTENT_LENGTH", "").strip()
        # RFC 9110, 8.6: digits only. int() would take «-5», «+5», «5_0» and «٥», and a server
        # that passes such a header on (werkzeug's does) would have us read to the end of the
        # stream or fail inside the read.
        if declared_length and not (declared_length.isascii() and declared_length.isdigit()):
            return None, ("400 Bad Request", "Client.BadContentLength",
                          msg.SOAP_BAD_CONTENT_LENGTH), None
        length = int(declared_length or 0)
        if length > limit:
            return None, too_large, None
        try:
            if length:
                body = environ["wsgi.input"].read(length)
            elif environ.get("wsgi.input_terminated"):  # chunked: the server marks the end
                body = environ["wsgi.input"].read(limit + 1)
            else:
                body = b""
        except Exception as exc:  # noqa: BLE001 - whatever the server's input stream raises
            # A chunk size that is no number, a chunk without its line end, a connection cut
            # mid-body: werkzeug raises OSError, gunicorn its ParseException kinds or
            # NoMoreData. Only the body's bytes are read here, so it is the client's doing.
            log.info("SOAP request body unreadable: %s", type(exc).__name__)
            return None, ("400 Bad Request", "Client.UnreadableBody",
                          msg.SOAP_UNREADABLE_BODY), None
        if len(body) > limit:
            return None, too_large, None
        body, problem = as_utf8(body, content_type)
        operation = None
        if not problem:
            problem, operation = self._check_body(body)
        if problem:
            return None, ("500 Internal Server Error", *problem), None
        return body, None, operation

    @property
    def reads_ahead(self) -> bool:
        """Whether an operation's reads may go with the admission: on PostgreSQL, where they
        then share its round trip (clients.admit_call)."""
        return self.core.engine.dialect.name == "postgresql"


# A body read before its call is admitted is at most this long (bytes), so that a caller
# without the secret makes the gateway parse no more than a small call's request: a
# GetOrganization is some 400 bytes. A longer one is read after its admission.
READ_AHEAD_BYTES = 4096


def _small(environ) -> bool:
    """Whether the POST declares a body of at most READ_AHEAD_BYTES, not multipart."""
    length = environ.get("CONTENT_LENGTH", "").strip()
    return (length.isascii() and length.isdigit() and int(length) <= READ_AHEAD_BYTES
            and not environ.get("CONTENT_TYPE", "").lower().lstrip().startswith("multipart/"))


def _get_organization_reads(operation: etree._Element) -> list:
    found = operation.find(f"{{{NS}}}OrganizationId")
    billing_id = (found.text or "").strip() if found is not None else ""
    return registry.organization_reads(billing_id) if billing_id else []


# The operations whose reads the gateway sends with the admission, by the element of their
# request (schema-valid): its reads, [(select, parameters)], as the use case makes them.
_READS_AHEAD = {f"{{{NS}}}GetOrganization": _get_organization_reads}
