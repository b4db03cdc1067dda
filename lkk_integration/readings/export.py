"""The readings export journal and its cursor (docs/spec.md §15.6).

Every submitted reading, and every later deletion of one, becomes an event with a sequence
number. Numbers are taken from the single `export_counter` row with an UPDATE that holds its row
lock until the transaction commits, so a transaction can take numbers only after every earlier
taker has committed or rolled back: sequence order is commit order, and a cursor that has read
up to N can never later find a committed event below N.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, func, insert, literal, select, update
from sqlalchemy.orm import Session, aliased

from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.errors import NotFound, ValidationError
from lkk_integration.faults import fault_point
from lkk_integration.models import (ContactPerson, ExportCounter, ExportEvent, House, Meter,
                                    Organization, PersonalAccount, Reading, SoapClient)

MAX_PAGE = 1000


def allocate(session: Session, count: int) -> int:
    """Reserve `count` sequence numbers; returns the first. Holds the counter's lock to commit."""
    last = session.execute(update(ExportCounter).where(ExportCounter.id == 1)
                           .values(last_seq=ExportCounter.last_seq + count)
                           .returning(ExportCounter.last_seq)).scalar_one_or_none()
    if last is None:
        # First use on this database (the row is normally created with the schema).
        session.add(ExportCounter(id=1, last_seq=0))
        session.flush()
        return allocate(session, count)
    return last - count + 1


def record_events(session: Session, now: dt.datetime, kind: str, reading_ids: Select) -> int:
    """Append one event of `kind` per reading id that `reading_ids` (a one-column SELECT of
    reading ids) yields, numbered in reading-id order. Set-based; returns the count."""
    ids = reading_ids.subquery()
    count = session.scalar(select(func.count()).select_from(ids))
    if not count:
        return 0
    first = allocate(session, count)
    numbered = select(
        (literal(first - 1) + func.row_number().over(order_by=ids.c[0])).label("seq"),
        ids.c[0], literal(kind), literal(now, ExportEvent.created_at.type))
    session.execute(insert(ExportEvent).from_select(
        ["seq", "reading_id", "kind", "created_at"], numbered))
    return count


@dataclass(frozen=True)
class ExportedReading:
    """One event of the export, with everything the billing needs to apply it."""

    seq: int
    event: str
    reading_id: int
    replaces_reading_id: int | None
    organization_id: str
    house_id: str
    address: str
    account_number: str | None
    apartment: str | None
    meter_id: str
    meter_number: str
    meter_kind: str
    reading_date: dt.date
    t1: Decimal | None
    t2: Decimal | None
    t3: Decimal | None
    source: str
    channel: str
    submitted_at: dt.datetime
    submitted_by: str


@dataclass(frozen=True)
class ExportPage:
    events: list[ExportedReading]
    next_cursor: int
    has_more: bool


def export_readings(core: Core, cursor: int, limit: int, organization_id: str | None = None,
                    date_from: dt.date | None = None,
                    date_to: dt.date | None = None) -> ExportPage:
    """Events after `cursor` in sequence order, at most `limit` (1..MAX_PAGE).

    Filters: the organization's billing id, reading dates (inclusive). The returned next_cursor
    is what to pass next time; with filters it still advances over the events that did not match.
    Raises ValidationError for a bad limit or cursor.
    """
    if limit is None or not 1 <= limit <= MAX_PAGE:
        raise ValidationError(msg.bad_limit(MAX_PAGE), "Limit")
    if cursor is None or cursor < 0:
        raise ValidationError(msg.CURSOR_NEGATIVE, "Cursor")
    if date_from and date_to and date_from > date_to:
        raise ValidationError(msg.EXPORT_DATES_REVERSED, "DateFrom")
    account = aliased(PersonalAccount)
    query = (
        select(ExportEvent.seq, ExportEvent.kind, Reading, Organization.billing_id,
               House.billing_id, House.settlement, House.street, House.house_number,
               account.number, account.apartment, Meter.billing_id, Meter.number, Meter.kind,
               ContactPerson.email, SoapClient.name)
        .join(Reading, Reading.id == ExportEvent.reading_id)
        .join(Meter, Meter.id == Reading.meter_id)
        .join(House, House.id == Meter.house_id)
        .join(Organization, Organization.id == House.organization_id)
        .outerjoin(account, account.id == Meter.personal_account_id)
        .outerjoin(ContactPerson, ContactPerson.id == Reading.submitted_by_person_id)
        .outerjoin(SoapClient, SoapClient.id == Reading.submitted_by_client_id)
        .where(ExportEvent.seq > cursor)
        .order_by(ExportEvent.seq))
    if organization_id:
        query = query.where(Organization.billing_id == organization_id)
    if date_from:
        query = query.where(Reading.reading_date >= date_from)
    if date_to:
        query = query.where(Reading.reading_date <= date_to)
    with core.uow() as uow:
        if organization_id is not None and not uow.session.scalar(select(Organization.id).where(
                Organization.billing_id == organization_id)):
            # A mistyped filter would otherwise move the cursor past this organization's
            # readings for good.
            raise NotFound(msg.organization_not_found(organization_id),
                           "OrganizationId")
        # Read before the page: every event up to `horizon` has committed by now, so the page
        # query (a later snapshot) sees all of them; filtered-out ones may then be skipped.
        horizon = uow.session.scalar(select(func.max(ExportEvent.seq))) or 0
        if cursor > horizon:
            # No client can have seen a number above the committed ones: passing it back
            # would skip every reading until the journal catches up.
            raise ValidationError(msg.cursor_ahead(cursor=cursor, last=horizon), "Cursor")
        rows = uow.session.execute(query.limit(limit + 1)).all()
        has_more = len(rows) > limit
        rows = rows[:limit]
        events = [ExportedReading(
            seq=seq, event=kind, reading_id=r.id, replaces_reading_id=r.replaces_id,
            organization_id=org_id, house_id=house_id,
            address=msg.house_address(settlement, street, number), account_number=account_number,
            apartment=apartment, meter_id=meter_id, meter_number=meter_number,
            meter_kind=meter_kind, reading_date=r.reading_date, t1=r.t1, t2=r.t2, t3=r.t3,
            source=r.source, channel=r.channel, submitted_at=r.submitted_at,
            submitted_by=person_email or client_name or "")
            for (seq, kind, r, org_id, house_id, settlement, street, number, account_number,
                 apartment, meter_id, meter_number, meter_kind, person_email, client_name)
            in rows]
        next_cursor = events[-1].seq if events else cursor
        if not has_more:
            next_cursor = max(next_cursor, horizon)
    fault_point("soap.export_read")
    return ExportPage(events, next_cursor, has_more)
