"""Client request ids: a repeated write returns the first answer and changes nothing (SPEC.md,
SOAP integration service)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import hashlib
import json
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from . import messages as msg
from .core import Core
from .db import UnitOfWork
from .errors import IdempotencyConflict, ValidationError
from .models import SoapRequest


def _default(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, (dt.date, dt.datetime, decimal.Decimal)):
        return str(value)
    raise TypeError(type(value))


def body_digest(operation: str, payload: Any) -> str:
    """SHA-256 of the request's meaning: operation and payload as canonical JSON."""
    canonical = json.dumps([operation, payload], sort_keys=True, ensure_ascii=False,
                           default=_default)
    return hashlib.sha256(canonical.encode()).hexdigest()


def run_once(core: Core, client_id: int, request_id: str, operation: str, payload: Any,
             work: Callable[[UnitOfWork], dict]) -> dict:
    """Run `work(uow)` once per (client, request id), returning its JSON-able answer.

    The same id with the same payload returns the stored answer; with another payload raises
    IdempotencyConflict. `work` must not commit; it runs in the transaction that records the
    request, so the effect and the record commit together. A racing duplicate waits on the
    unique key, then reads the winner's answer.
    """
    if not request_id or not request_id.strip():
        raise ValidationError(msg.REQUIRED_FIELD.format(field="RequestId"), "RequestId")
    digest = body_digest(operation, payload)
    for _attempt in range(2):
        with core.uow() as uow:
            stored = uow.session.scalars(select(SoapRequest).where(
                SoapRequest.client_id == client_id,
                SoapRequest.request_id == request_id)).first()
            if stored is not None:
                if stored.body_sha256 != digest or stored.operation != operation:
                    raise IdempotencyConflict(msg.REQUEST_ID_REUSED.format(request_id=request_id),
                                              "RequestId")
                return json.loads(stored.response_json)
            record = SoapRequest(client_id=client_id, request_id=request_id, operation=operation,
                                 body_sha256=digest, response_json="{}",
                                 created_at=core.clock.now())
            uow.session.add(record)
            try:
                uow.session.flush()
            except IntegrityError:
                continue  # a twin committed first: read its answer
            answer = work(uow)
            record.response_json = json.dumps(answer, ensure_ascii=False, default=_default)
            try:
                uow.commit()
            except IntegrityError:
                continue
            return answer
    raise IdempotencyConflict(msg.REQUEST_ID_REUSED.format(request_id=request_id), "RequestId")
