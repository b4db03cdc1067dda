"""The audit trail: one append-only record per audited action (docs/spec.md §17), and the
administrators' search of it (docs/spec.md §12.4).

Records are written in the transaction of the action they describe, so an action and its
record commit together (a refused login, which changes nothing else, commits its own). On
PostgreSQL a trigger refuses UPDATE and DELETE of the table (schema.sql, Alembic 0005).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lkk_integration import messages as msg
from lkk_integration.clock import Clock
from lkk_integration.core import Core
from lkk_integration.formats import is_email
from lkk_integration.models import AuditRecord

# Words that must never reach `details` (a test also searches the whole trail for secrets).
_FORBIDDEN_KEYS = ("password", "token", "secret", "hash")
# Records on one page of the administrators' search.
AUDIT_PAGE = 100

# PostgreSQL refuses UPDATE and DELETE of audit records (TRUNCATE, an owner's act, stays).
APPEND_ONLY_DDL = (
    "CREATE FUNCTION audit_record_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_record is append-only'; END; $$",
    "CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_record "
    "FOR EACH ROW EXECUTE FUNCTION audit_record_append_only()",
)


def tried_account(typed: str) -> str:
    """The account a failed login named, for the trail: the e-mail as typed when it is one;
    anything else might be a password typed into the wrong field and is not kept."""
    return typed if is_email(typed) else msg.NOT_AN_EMAIL


@dataclass(frozen=True)
class Actor:
    """Who acts: kind ('person', 'client', 'admin', 'operator', 'anonymous'), id, a name."""

    kind: str
    id: int | None
    name: str


def record(session: Session, clock: Clock, actor: Actor, action: str, *,
           organization_id: int | None = None, meter_id: int | None = None,
           person_id: int | None = None, object_id: int | None = None,
           address: str | None = None, **details: object) -> None:
    """Add one audit record to the session's transaction.

    `action` is a short code ('login', 'reading_submitted', 'soap_write', …); `details` are
    JSON-able facts (ids, counts, names). Raises ValueError for a detail named like a secret.
    """
    for key in details:
        if any(word in key.lower() for word in _FORBIDDEN_KEYS):
            raise ValueError(f"audit details may not carry {key!r}")
    session.add(AuditRecord(
        at=clock.now(), actor_kind=actor.kind, actor_id=actor.id, actor=actor.name[:254],
        action=action, organization_id=organization_id, meter_id=meter_id,
        person_id=person_id, object_id=object_id, address=(address or None) and address[:64],
        details=json.dumps(details, ensure_ascii=False, default=str, sort_keys=True)
        if details else None))


@dataclass(frozen=True)
class AuditPage:
    """One page of a search: its records, how many match in all, the page and the page count."""

    records: list[AuditRecord]
    total: int
    page: int
    pages: int


def search_audit(core: Core, organization_id: int | None = None,
                 meter_ids: list[int] | None = None, person_id: int | None = None,
                 date_from: dt.datetime | None = None, date_to: dt.datetime | None = None,
                 page: int = 1) -> AuditPage:
    """Audit records, newest first, AUDIT_PAGE per page, narrowed by organization, meters
    (ids; an empty list finds nothing), person (the person concerned, or the acting contact
    person) and instants [from, to) (docs/spec.md §12.4). A page out of range is clamped."""
    query = select(AuditRecord)
    if organization_id is not None:
        query = query.where(AuditRecord.organization_id == organization_id)
    if meter_ids is not None:
        query = query.where(AuditRecord.meter_id.in_(meter_ids or [-1]))
    if person_id is not None:
        query = query.where((AuditRecord.person_id == person_id)
                            | ((AuditRecord.actor_kind == "person")
                               & (AuditRecord.actor_id == person_id)))
    if date_from is not None:
        query = query.where(AuditRecord.at >= date_from)
    if date_to is not None:
        query = query.where(AuditRecord.at < date_to)
    with core.uow() as uow:
        total = uow.session.scalar(select(func.count()).select_from(query.subquery()))
        pages = max(1, -(-total // AUDIT_PAGE))
        page = min(max(page, 1), pages)
        records = list(uow.session.scalars(query.order_by(AuditRecord.id.desc())
                                           .offset((page - 1) * AUDIT_PAGE).limit(AUDIT_PAGE)))
    return AuditPage(records, total, page, pages)
