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
from decimal import Decimal
from typing import Literal

from flask import Blueprint, Response, g, render_template, request
from pydantic import BaseModel, Field
from spectree import Response as Answers
from spectree import SpecTree

from lkk_integration import messages as msg
from lkk_integration.errors import AuthenticationFailed, QuotaExceeded
from lkk_integration.quantities import plain_decimal
from lkk_integration.readings.houses_view import MAX_HOUSES, houses_with_meters
from lkk_integration.signin.api_tokens import (ApiCaller, authenticate_api_token,
                                               record_api_call, retry_after)

from . import core_of, csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

PROBLEM = "application/problem+json"
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


def _invalid_request(req, resp, error, instance, *_adapter) -> None:
    """spectree's hook on a request its models refuse: the answer becomes a problem naming
    each field (RFC 9457 `errors`)."""
    if error is None:
        return
    errors = [{"field": ".".join(str(part) for part in e["loc"]),
               "detail": msg.api_field_error(e["type"], e.get("ctx") or {}, e["msg"])}
              for e in error.errors(include_url=False)]
    body = {"type": "https://lkk-oo.example/problems/validation",
            "title": msg.API_TITLES["validation"], "status": resp.status_code,
            "detail": msg.API_INVALID_REQUEST, "code": "validation", "errors": errors}
    resp.set_data(json.dumps(body, ensure_ascii=False, default=str))
    resp.mimetype = PROBLEM


class ProblemField(BaseModel):
    """A refused field of a request and why."""

    field: str = Field(description=msg.API_FIELDS["field"])
    detail: str = Field(description=msg.API_FIELDS["detail"])


class Problem(BaseModel):
    """RFC 9457 problem details."""

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
        answer.headers["WWW-Authenticate"] = ('Bearer realm="lkk", error="invalid_token"'
                                              if token.strip() else 'Bearer realm="lkk"')
        return answer
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
