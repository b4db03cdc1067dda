"""Client request ids: a repeated write returns the first answer and changes nothing — the
billing's RequestId (docs/spec.md §15.7) and the API's Idempotency-Key (§21.2)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lkk_integration import audit
from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.db import UnitOfWork
from lkk_integration.errors import IdempotencyConflict, LkkError, ValidationError
from lkk_integration.faults import fault_point
from lkk_integration.models import SoapClient, SoapRequest
from lkk_integration.quantities import plain_decimal


def _default(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, decimal.Decimal):
        # 12300 and 12300.0 are one value, so one body.
        return format(plain_decimal(value), "f") if value.is_finite() else str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return str(value)
    if isinstance(value, enum.Enum):
        # An object, so that no string sent for the field has the same digest.
        return {type(value).__name__: value.value}
    raise TypeError(type(value))


def body_digest(operation: str, payload: Any) -> str:
    """SHA-256 of the request's meaning: operation and payload as canonical JSON."""
    canonical = json.dumps([operation, payload], sort_keys=True, ensure_ascii=False,
                           default=_default)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Ledger:
    """Where a caller's writes are kept by their request id: the table (SoapRequest for the
    billing's clients, ApiRequest for API tokens, same columns but the owner's), the owner
    column and id, the request id's name as the caller sent it, and the audit record a write
    makes (`audit_write(session, record, answer, subject)`)."""

    model: type
    owner: str
    owner_id: int
    field: str
    audit_write: Callable[..., None]
    # The refusal of an id reused with another body, for the id.
    reused: Callable[[str], str] = msg.request_id_reused

    def find(self, session, request_id: str):
        return session.scalars(select(self.model).where(
            getattr(self.model, self.owner) == self.owner_id,
            self.model.request_id == request_id)).first()

    def new(self, core: Core, request_id: str, operation: str, digest: str, answer: str):
        return self.model(**{self.owner: self.owner_id}, request_id=request_id,
                          operation=operation, body_sha256=digest, response_json=answer,
                          created_at=core.clock.now())


def run_once(core: Core, client_id: int, request_id: str, operation: str, payload: Any,
             work: Callable[[UnitOfWork], dict]) -> dict:
    """Run `work(uow)` once per (SOAP client, request id), returning its JSON-able answer
    (docs/spec.md §15.7): run_once_in with the client's ledger."""
    if not request_id or not request_id.strip():
        raise ValidationError(msg.required_field(field="RequestId"), "RequestId")

    def audit_write(session, record, answer: dict, subject: dict) -> None:
        client = session.get(SoapClient, client_id)
        # What the write concerned, where `work` said (uow.audit_subject).
        audit.record(session, core.clock,
                     audit.Actor("client", client_id, client.name if client else ""),
                     "soap_write", object_id=record.id, operation=operation, **subject,
                     request_id=request_id,
                     **({"affected": answer["affected"]} if "affected" in answer else {}))

    ledger = Ledger(SoapRequest, "client_id", client_id, "RequestId", audit_write)
    return run_once_in(core, ledger, request_id, operation, payload, work)


def run_once_in(core: Core, ledger: Ledger, request_id: str, operation: str, payload: Any,
                work: Callable[[UnitOfWork], dict]) -> dict:
    """Run `work(uow)` once per (owner, request id) of `ledger`, returning its JSON-able answer.

    The same id with the same payload returns the stored answer — a refusal (LkkError) too,
    raised again even if the world has changed since; with another payload raises
    IdempotencyConflict. `work` must not commit; it runs in the transaction that records the
    request, so the effect and the record commit together. A racing duplicate waits on the
    unique key, then reads the winner's answer.
    """
    digest = body_digest(operation, payload)
    for _attempt in range(2):
        with core.uow() as uow:
            stored = ledger.find(uow.session, request_id)
            if stored is not None:
                if stored.body_sha256 != digest or stored.operation != operation:
                    raise IdempotencyConflict(ledger.reused(request_id), ledger.field)
                answer = json.loads(stored.response_json)
                if "refused" in answer:
                    raise _refusal(answer["refused"])
                return answer
            record = ledger.new(core, request_id, operation, digest, "{}")
            uow.session.add(record)
            try:
                uow.session.flush()
            except IntegrityError:
                continue  # a twin committed first: read its answer
            try:
                answer = work(uow)
            except LkkError as exc:
                uow.session.rollback()
                _remember_refusal(core, ledger, request_id, operation, digest, exc)
                raise
            record.response_json = json.dumps(answer, ensure_ascii=False, default=_default)
            ledger.audit_write(uow.session, record, answer, uow.audit_subject)
            try:
                uow.commit()
            except IntegrityError:
                continue
            fault_point("soap.write_committed")
            return answer
    raise IdempotencyConflict(ledger.reused(request_id), ledger.field)


def _remember_refusal(core: Core, ledger: Ledger, request_id: str, operation: str,
                      digest: str, exc: LkkError) -> None:
    """Keep a refused request's answer, so that its repeat is refused the same way."""
    refused = {"code": exc.code, "message": exc.message, "field": exc.field, "item": exc.item}
    with core.uow() as uow:
        uow.session.add(ledger.new(core, request_id, operation, digest,
                                   json.dumps({"refused": refused}, ensure_ascii=False)))
        try:
            uow.commit()
        except IntegrityError:
            pass  # a racing twin recorded it first


def _refusal(refused: dict) -> LkkError:
    kinds = {cls.code: cls for cls in _error_classes(LkkError)}
    error = kinds.get(refused["code"], LkkError)(refused["message"], refused.get("field"),
                                                 refused.get("item"))
    return error


def _error_classes(base: type) -> list[type]:
    return [base, *(c for sub in base.__subclasses__() for c in _error_classes(sub))]
