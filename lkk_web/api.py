"""/api/v1: the JSON API for the organization's own software (docs/spec.md §21) — one more thin
adapter beside the cabinet and SOAP over the same core.

Every call but the contract's two pages carries `Authorization: Bearer <token>` (a token made in
«Настройки», signin/api_tokens.py) and is in the audit trail. Errors are RFC 9457 problem
details (`application/problem+json`). The OpenAPI 3.1 document is generated from the views'
pydantic models by spectree (a maintained Flask extension that leaves the app a plain Flask app
and validates requests and answers against the same models it documents), served at
/api/v1/openapi.json and rendered at /api/v1/docs by our own page: no CDN.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Annotated, Literal

from flask import Blueprint, Response, g, render_template, request
from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, StrictFloat, StrictInt,
                      StrictStr)
from spectree import Response as Answers
from spectree import SpecTree

from lkk_integration import errors
from lkk_integration import messages as msg
from lkk_integration.errors import AuthenticationFailed, QuotaExceeded
from lkk_integration.quantities import plain_decimal
from lkk_integration.readings.checks import REFUSALS, REMARKS
from lkk_integration.readings.houses_view import MAX_HOUSES, houses_with_meters
from lkk_integration.readings.submissions import (ITEM_REFUSALS, MAX_ITEMS, MAX_PAGE, Caller,
                                                  ReadingItem, check_readings, store_readings,
                                                  submitted_in_period, withdraw_api_reading)
from lkk_integration.signin.api_tokens import (ApiCaller, authenticate_api_token,
                                               record_api_call, retry_after)

from . import core_of, csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

PROBLEM = "application/problem+json"
# The most a request's body may hold, bytes: 10,000 readings take about 1 MB.
MAX_BODY = 8 * 1024 * 1024
# The contract's own pages, open without a token.
OPEN = ("api.openapi", "api.docs")


def problem(status: int, code: str, detail: str, **extra) -> Response:
    """An RFC 9457 problem: `code` the stable machine code, `detail` the Russian text."""
    body = {"type": f"https://lkk-oo.example/problems/{code}", "title": msg.API_TITLES[code],
            "status": status, "detail": detail, "code": code, **extra}
    return Response(json.dumps(body, ensure_ascii=False, default=str), status, mimetype=PROBLEM)


def error_problem(status: int, code: str, detail: str, headers: dict | None = None) -> Response:
    """The problem of a request no view took (404, 405) or that failed (500, 503), audited as
    a call when a live token came with it (docs/spec.md §21.1)."""
    answer = problem(status, code, detail)
    answer.headers.update(headers or {})
    answer.headers["Cache-Control"] = "no-store"
    caller = g.get("caller")
    if caller is None and status in (404, 405):
        scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            try:
                caller = authenticate_api_token(core_of(), token.strip())
            except (AuthenticationFailed, QuotaExceeded):
                caller = None
    if caller is not None and status != 500 and status != 503:
        record_api_call(core_of(), caller, request.method, request.path, status)
    return answer


# The names pydantic gives a union's members in an error's location: «t1.constrained-str»,
# «t1.int», «meter_id.function-before[…]».
_UNION_MEMBER = re.compile(r"int|float|str|bool|list|dict|none|(constrained|function)-.*")
# A value's own reason, that a union's «ожидается число, строка или null» would hide.
_OWN_REASONS = ("string_too_long", "string_unicode")
# Fields whose pattern says more than «не в том виде».
_PATTERNS = {"Idempotency-Key": msg.API_IDEMPOTENCY_KEY_INVALID, "period": msg.API_PERIOD_FORMAT}


def _reason(field: str, error: dict) -> str:
    if error["type"] == "string_pattern_mismatch" and field in _PATTERNS:
        return _PATTERNS[field]
    return msg.api_field_error(error["type"], error.get("ctx") or {}, error["msg"])


def _invalid_request(req, resp, error, instance, *_adapter) -> None:
    """spectree's hook on a request its models refuse: the answer becomes a problem naming
    each field (RFC 9457 `errors`), one reason a field."""
    if error is None:
        return
    found: dict[str, list[dict]] = {}
    for e in error.errors(include_url=False):
        # A union's members are named in the location: the field is what the caller sent.
        parts = [str(part) for part in e["loc"]
                 if isinstance(part, int) or not _UNION_MEMBER.fullmatch(str(part))]
        found.setdefault(".".join(parts), []).append(e)
    errors = []
    for field, reasons in found.items():
        own = [e for e in reasons if e["type"] in _OWN_REASONS]
        detail = (_reason(field, own[0]) if own else msg.API_VALUE_TYPE) if len(reasons) > 1 \
            else _reason(field, reasons[0])
        errors.append({"field": field, "detail": detail})
    body = {"type": "https://lkk-oo.example/problems/validation",
            "title": msg.API_TITLES["validation"], "status": resp.status_code,
            "detail": msg.API_INVALID_REQUEST, "code": "validation", "errors": errors}
    resp.set_data(json.dumps(body, ensure_ascii=False, default=str))
    resp.mimetype = PROBLEM


# A refused field of a request and why.
class ProblemField(BaseModel):
    field: str = Field(description=msg.API_FIELDS["field"])
    detail: str = Field(description=msg.API_FIELDS["detail"])


# RFC 9457 problem details.
class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    code: str = Field(description=msg.API_FIELDS["code"])
    errors: list[ProblemField] | None = Field(None, description=msg.API_FIELDS["errors"])


spec = SpecTree("flask", title=msg.API_NAME, version="1", mode="strict", annotations=True,
                before=_invalid_request, validation_error_status=422,
                validation_error_model=Problem,
                # Schemas named as the models are (the hashed suffixes would only be noise).
                naming_strategy=lambda model: model.__name__,
                nested_naming_strategy=lambda _parent, child: child,
                description=msg.API_DESCRIPTION)


@bp.before_request
def authenticate():
    """g.caller: who the token speaks for; a problem 401 without a live token."""
    if request.endpoint in OPEN:
        return None
    # Bounded before anything reads it (docs/spec.md §21.2); a body without a length stops
    # at the bound as it is read.
    if (request.content_length or 0) > MAX_BODY:
        return problem(413, "too_large", msg.api_body_too_large(MAX_BODY))
    # A body without a length (chunked) is read here, one byte past the bound: werkzeug's
    # limit would cut it short silently, and the cut JSON be refused as broken.
    request.max_content_length = MAX_BODY + 1
    if request.content_length is None and len(request.get_data(cache=True)) > MAX_BODY:
        return problem(413, "too_large", msg.api_body_too_large(MAX_BODY))
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    try:
        g.caller = authenticate_api_token(core_of(), token.strip()
                                          if scheme.lower() == "bearer" else None)
    except QuotaExceeded as exc:
        answer = problem(429, "rate_limited", exc.message)
        answer.headers["Retry-After"] = str(retry_after(core_of()))
        return answer
    except AuthenticationFailed as exc:
        answer = problem(401, "authentication", exc.message)
        # RFC 6750 §3.1: a token sent and refused is named so.
        answer.headers["WWW-Authenticate"] = (
            'Bearer realm="lkk", error="invalid_token"'
            if scheme.lower() == "bearer" and token.strip() else 'Bearer realm="lkk"')
        return answer
    if request.method in ("POST", "PUT", "PATCH"):
        if not request.is_json:
            # A body is JSON (docs/spec.md §21.2); a form's would reach no model.
            return problem(415, "unsupported_media_type", msg.API_UNSUPPORTED_MEDIA_TYPE)
        return _read_json()
    return None


class _Refused(ValueError):
    """A body JSON's grammar takes but the API does not, with its Russian reason."""


def _not_json(constant: str):
    raise _Refused(msg.api_body_constant(constant))


def _object(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object; a key twice is refused (which one was meant?)."""
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _value in pairs if key in seen or seen.add(key))
        raise _Refused(msg.api_body_key_twice(twice))
    return found


def _read_json() -> Response | None:
    """Parse the body once, in the charset its Content-Type names (UTF-8 by default; 1C may
    send windows-1251), and keep it for the views' models; a 400 problem `json_invalid` naming
    why when it is no JSON (spectree reads the body silently: a broken one would look like an
    empty one, and a deeply nested one raised RecursionError, a 500)."""
    if request.headers.get("Content-Encoding", "identity").lower() != "identity":
        return problem(415, "unsupported_media_type", msg.API_BODY_ENCODED)
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    try:
        text = request.get_data(cache=True).decode("utf-8-sig" if charset in ("utf-8", "utf8")
                                                   else charset)
    except (LookupError, UnicodeDecodeError):
        return problem(400, "json_invalid", msg.api_body_charset(charset))
    try:
        parsed = json.loads(text, parse_constant=_not_json, object_pairs_hook=_object)
    except RecursionError:
        return problem(400, "json_invalid", msg.API_BODY_TOO_DEEP)
    except json.JSONDecodeError as exc:
        return problem(400, "json_invalid", msg.api_body_not_json(exc.lineno, exc.colno))
    except ValueError as exc:
        # Ours (NaN, a key twice) or Python's (a number of over 4300 digits).
        return problem(400, "json_invalid", exc.args[0] if isinstance(exc, _Refused)
                       else msg.API_BODY_NUMBER_TOO_LONG)
    # Flask's own cache of get_json, which spectree's validation reads.
    request._cached_json = (parsed, parsed)
    return None


@bp.after_request
def record_call(response: Response) -> Response:
    """Every token call in the audit trail (docs/spec.md §17, §21.1)."""
    caller: ApiCaller | None = g.get("caller")
    if caller is not None:
        record_api_call(core_of(), caller, request.method, request.path, response.status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


# --- GET /houses ---------------------------------------------------------------------------

class HousesQuery(BaseModel):
    page: int = Field(1, ge=1, le=100_000, description=msg.API_FIELDS["page"])
    per_page: int = Field(20, ge=1, le=MAX_HOUSES, description=msg.API_FIELDS["per_page"])


class LastReading(BaseModel):
    date: dt.date
    t1: Decimal | None = Field(None, description=msg.API_FIELDS["kwh"])
    t2: Decimal | None = Field(None, description=msg.API_FIELDS["kwh"])
    t3: Decimal | None = Field(None, description=msg.API_FIELDS["kwh"])


class Expected(BaseModel):
    zone: Literal["T1", "T2", "T3"]
    low: Decimal = Field(description=msg.API_FIELDS["low"])
    high: Decimal = Field(description=msg.API_FIELDS["high"])


class MeterOut(BaseModel):
    id: int = Field(description=msg.API_FIELDS["meter_id"])
    number: str = Field(description=msg.API_FIELDS["number"])
    kind: Literal["individual", "common_house"] = Field(description=msg.API_FIELDS["kind"])
    zones: int = Field(ge=1, le=3, description=msg.API_FIELDS["zones"])
    capacity: int = Field(description=msg.API_FIELDS["capacity"])
    transformation_ratio: Decimal = Field(description=msg.API_FIELDS["ratio"])
    apartment: str | None = Field(description=msg.API_FIELDS["apartment"])
    account: str | None = Field(description=msg.API_FIELDS["account"])
    verification_due: dt.date | None = Field(description=msg.API_FIELDS["verification_due"])
    last_reading: LastReading | None = Field(description=msg.API_FIELDS["last_reading"])
    expected: list[Expected] = Field(description=msg.API_FIELDS["expected"])


class HouseOut(BaseModel):
    id: int = Field(description=msg.API_FIELDS["house_id"])
    address: str = Field(description=msg.API_FIELDS["address"])
    meters: list[MeterOut] = Field(description=msg.API_FIELDS["meters"])


class ExpectedOn(BaseModel):
    individual: dt.date
    common_house: dt.date


class HousesOut(BaseModel):
    houses: list[HouseOut]
    page: int = Field(description=msg.API_FIELDS["page"])
    pages: int = Field(description=msg.API_FIELDS["pages"])
    total_houses: int = Field(description=msg.API_FIELDS["total_houses"])
    expected_on: ExpectedOn = Field(description=msg.API_FIELDS["expected_on"])


def _kwh(value: Decimal | None) -> Decimal | None:
    """A kWh value as written: «1140», not the column's «1140.0000» (PostgreSQL's scale)."""
    return None if value is None else plain_decimal(value)


@bp.get("/houses")
@spec.validate(resp=Answers(HTTP_200=HousesOut, HTTP_401=Problem, HTTP_429=Problem),
               tags=["houses"])
def houses(query: HousesQuery):
    """The organization's houses with their meters, paged.

    Each meter: number, kind, zones, capacity, last accounted reading and its date, and the
    expected range where the meter has history (docs/spec.md §13.10)."""
    found = houses_with_meters(core_of(), g.caller.organization_id, query.page, query.per_page)
    zones = ("T1", "T2", "T3")
    return HousesOut(
        houses=[HouseOut(id=h.house_id, address=h.address, meters=[MeterOut(
            id=m.meter_id, number=m.number, kind=m.kind, zones=m.zones, capacity=m.capacity,
            transformation_ratio=_kwh(m.transformation_ratio), apartment=m.apartment,
            account=m.account_number, verification_due=m.verification_due,
            last_reading=None if m.last_date is None else LastReading(
                date=m.last_date, **dict(zip(("t1", "t2", "t3"), map(_kwh, m.last_values),
                                             strict=False))),
            expected=[Expected(zone=zone, low=_kwh(r[0]), high=_kwh(r[1]))
                      for zone, r in zip(zones, m.expected, strict=False) if r is not None])
            for m in h.meters]) for h in found.houses],
        page=found.page, pages=found.pages, total_houses=found.total,
        expected_on=ExpectedOn(**found.expected_on))


# --- readings ------------------------------------------------------------------------------

def _whole(value):
    """JSON Schema's integer takes 5.0, a number with no fraction: so does the API."""
    return int(value) if type(value) is float and value.is_integer() else value


# A meter's id: an integer (5 or 5.0), never true, «5» or 5.5; at most the largest the
# database's INTEGER holds (a larger one was PostgreSQL's «integer out of range», a 500).
_ID = Annotated[int, Field(strict=True, ge=1, le=2**31 - 1), BeforeValidator(_whole)]
# A zone's value as the cabinet takes it: a number, or text with a decimal comma and spaces.
_VALUE = Annotated[StrictStr, Field(max_length=200)] | StrictInt | StrictFloat | None


# One reading: the meter by meter_id or meter_number (both: one meter), the date, and T1–T3
# or a not-read reason instead (docs/spec.md §13.11).
class ReadingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    meter_id: _ID | None = Field(None, description=msg.API_FIELDS["meter_id"])
    meter_number: StrictStr | None = Field(None, max_length=100,
                                           description=msg.API_FIELDS["number"])
    reading_date: StrictStr | None = Field(None, max_length=100,
                                           description=msg.API_FIELDS["reading_date"])
    t1: _VALUE = Field(None, description=msg.API_FIELDS["value"])
    t2: _VALUE = Field(None, description=msg.API_FIELDS["value"])
    t3: _VALUE = Field(None, description=msg.API_FIELDS["value"])
    not_read: StrictStr | None = Field(None, max_length=200,
                                       description=msg.API_FIELDS["not_read"])


class ReadingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[ReadingIn] = Field(min_length=1, max_length=MAX_ITEMS,
                                   description=msg.API_FIELDS["items"])


class SubmitQuery(BaseModel):
    check_only: bool = Field(False, description=msg.API_FIELDS["check_only"])


class SubmitHeaders(BaseModel):
    idempotency_key: str | None = Field(None, alias="Idempotency-Key",
                                        pattern=r"^[\x21-\x7e]{1,255}$",
                                        description=msg.API_FIELDS["idempotency_key"])


class ItemNote(BaseModel):
    code: Literal[(*REFUSALS, *ITEM_REFUSALS, *REMARKS)] = Field(
        description=msg.API_FIELDS["item_code"])
    detail: str = Field(description=msg.API_FIELDS["detail"])
    field: str | None = Field(None, description=msg.API_FIELDS["item_field"])


class ItemVerdict(BaseModel):
    index: int = Field(description=msg.API_FIELDS["index"])
    status: Literal["valid", "stored", "unchanged", "wrong"] = Field(
        description=msg.API_FIELDS["status"])
    meter_id: int | None = Field(description=msg.API_FIELDS["item_meter"])
    reading_date: dt.date | None = Field(description=msg.API_FIELDS["item_date"])
    t1: Decimal | None = Field(None, description=msg.API_FIELDS["kwh"])
    t2: Decimal | None = Field(None, description=msg.API_FIELDS["kwh"])
    t3: Decimal | None = Field(None, description=msg.API_FIELDS["kwh"])
    not_read: str | None = Field(None, description=msg.API_FIELDS["not_read_code"])
    errors: list[ItemNote] = Field(description=msg.API_FIELDS["item_errors"])
    remarks: list[ItemNote] = Field(description=msg.API_FIELDS["remarks"])
    reading_id: int | None = Field(description=msg.API_FIELDS["reading_id"])
    replaced_reading_id: int | None = Field(description=msg.API_FIELDS["replaced_reading_id"])


class ReadingsVerdicts(BaseModel):
    check_only: bool = Field(description=msg.API_FIELDS["check_only"])
    period: dt.date = Field(description=msg.API_FIELDS["period_of"])
    valid: int = Field(description=msg.API_FIELDS["count_valid"])
    stored: int = Field(description=msg.API_FIELDS["count_stored"])
    unchanged: int = Field(description=msg.API_FIELDS["count_unchanged"])
    wrong: int = Field(description=msg.API_FIELDS["count_wrong"])
    items: list[ItemVerdict] = Field(description=msg.API_FIELDS["verdicts"])


class ReadingsQuery(BaseModel):
    period: str | None = Field(None, pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])(-01)?$",
                               description=msg.API_FIELDS["period"])
    page: int = Field(1, ge=1, le=100_000, description=msg.API_FIELDS["page"])
    per_page: int = Field(100, ge=1, le=MAX_PAGE, description=msg.API_FIELDS["per_page_readings"])


class ReadingOut(BaseModel):
    id: int = Field(description=msg.API_FIELDS["reading_id"])
    meter_id: int = Field(description=msg.API_FIELDS["meter_id"])
    meter_number: str = Field(description=msg.API_FIELDS["number"])
    reading_date: dt.date = Field(description=msg.API_FIELDS["date_of_reading"])
    t1: Decimal | None = Field(description=msg.API_FIELDS["kwh"])
    t2: Decimal | None = Field(description=msg.API_FIELDS["kwh"])
    t3: Decimal | None = Field(description=msg.API_FIELDS["kwh"])
    not_read: str | None = Field(description=msg.API_FIELDS["not_read_code"])
    not_read_name: str | None = Field(description=msg.API_FIELDS["not_read_name"])
    channel: Literal["manual", "file", "api"] = Field(description=msg.API_FIELDS["channel"])
    submitted_at: dt.datetime = Field(description=msg.API_FIELDS["submitted_at"])
    check_note: str | None = Field(description=msg.API_FIELDS["check_note"])
    billing_verdict: Literal["accepted", "declined"] | None = Field(
        description=msg.API_FIELDS["billing_verdict"])
    billing_reason: str | None = Field(description=msg.API_FIELDS["billing_reason"])


class ReadingsPage(BaseModel):
    period: dt.date = Field(description=msg.API_FIELDS["period_of"])
    page: int = Field(description=msg.API_FIELDS["page"])
    pages: int = Field(description=msg.API_FIELDS["pages"])
    total: int = Field(description=msg.API_FIELDS["total_readings"])
    readings: list[ReadingOut] = Field(description=msg.API_FIELDS["readings"])


class Withdrawn(BaseModel):
    deleted: int = Field(description=msg.API_FIELDS["deleted"])
    current_again: ReadingOut | None = Field(description=msg.API_FIELDS["current_again"])


def _caller() -> Caller:
    c = g.caller
    return Caller(c.token_id, c.person_id, c.email, c.organization_id)


@bp.post("/readings")
@spec.validate(resp=Answers(HTTP_200=ReadingsVerdicts, HTTP_400=Problem, HTTP_401=Problem,
                            HTTP_409=Problem,
                            HTTP_413=Problem, HTTP_415=Problem, HTTP_422=Problem,
                            HTTP_429=Problem),
               tags=["readings"])
def submit(json: ReadingsIn, query: SubmitQuery, headers: SubmitHeaders):
    """Up to MAX_ITEMS readings checked by the cabinet's rule set (docs/spec.md §13, §21.2);
    stored at once unless check_only, once per Idempotency-Key."""
    items = [ReadingItem(i.meter_id, i.meter_number, i.reading_date, (i.t1, i.t2, i.t3),
                         i.not_read) for i in json.items]
    if query.check_only:
        return ReadingsVerdicts(**check_readings(core_of(), _caller(), items))
    return ReadingsVerdicts(**store_readings(core_of(), _caller(), items,
                                             headers.idempotency_key))


@bp.get("/readings")
@spec.validate(resp=Answers(HTTP_200=ReadingsPage, HTTP_401=Problem, HTTP_422=Problem,
                            HTTP_429=Problem), tags=["readings"])
def readings(query: ReadingsQuery):
    """What the organization submitted in a period by any channel, with the billing's
    verdicts (docs/spec.md §15.5, §21.2)."""
    month = dt.date.fromisoformat(query.period[:7] + "-01") if query.period else None
    return ReadingsPage(**submitted_in_period(core_of(), g.caller.organization_id, month,
                                              query.page, query.per_page))


@bp.delete(f"/readings/<int(signed=True, max={2**63 - 1}):reading_id>")
@spec.validate(resp=Answers(HTTP_200=Withdrawn, HTTP_401=Problem, HTTP_404=Problem,
                            HTTP_409=Problem, HTTP_429=Problem), tags=["readings"])
def withdraw(reading_id: int):
    """Withdraw a reading this token submitted, by the cabinet's rules (docs/spec.md §8,
    §21.2); the one it replaced is current again."""
    if reading_id < 1:
        # No reading has such an id: the same answer as for any other's (ids reveal nothing).
        raise errors.NotFound(msg.API_READING_NOT_DELETABLE, "reading")
    return Withdrawn(**withdraw_api_reading(core_of(), _caller(), reading_id))


@bp.errorhandler(errors.LkkError)
def refused(error: errors.LkkError):
    """The core's refusal as a problem (docs/spec.md §21.2): the period closed 409, an id not
    the caller's 404, a key reused 409 (a conflict with the request first made with it), any
    other 422."""
    if isinstance(error, errors.PeriodClosed):
        return problem(409, "period_closed", error.message)
    if isinstance(error, errors.NotFound):
        return problem(404, "not_found", error.message)
    if isinstance(error, errors.IdempotencyConflict):
        return problem(409, "idempotency_key_reused", error.message)
    return problem(422, "validation", error.message,
                   errors=[{"field": error.field or "", "detail": error.message}])


# --- the contract --------------------------------------------------------------------------

def openapi_document() -> dict:
    """The OpenAPI 3.1 document of /api/v1 (inside an app context), with the bearer scheme."""
    document = json.loads(json.dumps(spec.spec, default=str))
    document["servers"] = [{"url": "/"}]
    document.setdefault("components", {})["securitySchemes"] = {
        "token": {"type": "http", "scheme": "bearer",
                  "description": msg.API_TOKEN_SCHEME}}
    for operations in document["paths"].values():
        for operation in operations.values():
            operation["security"] = [{"token": []}]
            # What people read: the Russian summary and description (the docstring is the
            # code's, with its spec sections).
            summary = msg.API_OPERATIONS.get(operation["operationId"])
            if summary:
                operation["summary"], operation["description"] = summary
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    # spectree calls Flask's int converter int32 whatever its bound.
                    parameter["schema"]["format"] = "int64"
                    parameter["description"] = msg.API_FIELDS[parameter["name"]]
            for status in ("500", "503"):
                # Any call may meet a fault of ours or a database out of reach.
                operation["responses"][status] = {
                    "description": "", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Problem"}}}}
            for status, answer in operation["responses"].items():
                answer["description"] = msg.API_ANSWERS.get(status, answer["description"])
                content = answer.get("content", {})
                if int(status) >= 400 and "application/json" in content:
                    # Problems go as RFC 9457's own media type.
                    answer["content"] = {PROBLEM: content["application/json"]}
    return document


def openapi_text() -> str:
    """The document as served and committed (docs/openapi.json): made in an app of its own,
    so that the command needs no database."""
    from flask import Flask, has_app_context

    if has_app_context():
        document = openapi_document()
    else:
        app = Flask(__name__)
        app.register_blueprint(bp)
        with app.app_context():
            document = openapi_document()
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@bp.get("/openapi.json")
def openapi():
    return Response(openapi_text(), mimetype="application/json")


@bp.get("/docs")
def docs():
    return render_template("api_docs.html", document=openapi_document())
