"""The readings export journal and its cursor (docs/spec.md §15.6).

Every submitted reading, and every later deletion of one, becomes an event with a sequence
number. Numbers are taken from the single `export_counter` row with an UPDATE that holds its row
lock until the transaction commits, so a transaction can take numbers only after every earlier
taker has committed or rolled back: sequence order is commit order, and a cursor that has read
up to N can never later find a committed event below N.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import Select, bindparam, case, func, insert, literal, null, select, update
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


class ExportedReading(NamedTuple):
    """One event of the export, with everything the billing needs to apply it.

    A named tuple, not a dataclass: an export page makes a thousand at a time straight from the
    query's rows, and a tuple is made several times faster (the export's speed, docs/spec.md
    §15.6). kWh values come as the database type gives them: plain (db.Kwh)."""

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
    # A valid reading far from the meter's typical consumption, as the organization was asked
    # to check it (docs/spec.md §13.10); None otherwise.
    check_note: str | None = None
    # The code of the reason given instead of values (docs/spec.md §13.11), to a client that
    # asks (ExportReadingsWithNotRead); None otherwise.
    not_read_reason: str | None = None


_HORIZON = select(func.max(ExportEvent.seq))


@functools.cache
def _page_query(by_organization: bool, from_date: bool, to_date: bool,
                with_check_notes: bool = False, with_not_read: bool = False) -> Select:
    """The page's query for the filters given; values are bound at execution (cursor, rows,
    organization_id, date_from, date_to). Built once per kind of filter: building the select
    cost as much as running it on SQLite.

    Its rows are ExportedReading's fields (the address in three parts), then the reading's
    not-read reason; without `with_not_read`, then also the reason, date and T1..T3 of the
    reading it replaced (_as_before_not_read)."""
    account = aliased(PersonalAccount)
    replaced = aliased(Reading)
    # Plain columns, no ORM entity: a page is a thousand rows, and an ORM object per row (with
    # its identity map) cost more than the rest of the query. In ExportedReading's order, the
    # address's three parts in its place.
    query = (
        select(ExportEvent.seq, ExportEvent.kind, Reading.id, Reading.replaces_id,
               Organization.billing_id, House.billing_id, House.settlement, House.street,
               House.house_number, account.number, account.apartment, Meter.billing_id,
               Meter.number, Meter.kind, Reading.reading_date, Reading.t1, Reading.t2,
               Reading.t3, Reading.source, Reading.channel, Reading.submitted_at,
               func.coalesce(ContactPerson.email, SoapClient.name, ""),
               Reading.check_note if with_check_notes else null(), Reading.not_read_reason)
        .join(Reading, Reading.id == ExportEvent.reading_id)
        .join(Meter, Meter.id == Reading.meter_id)
        .join(House, House.id == Meter.house_id)
        .join(Organization, Organization.id == House.organization_id)
        .outerjoin(account, account.id == Meter.personal_account_id)
        .outerjoin(ContactPerson, ContactPerson.id == Reading.submitted_by_person_id)
        .outerjoin(SoapClient, SoapClient.id == Reading.submitted_by_client_id)
        .where(ExportEvent.seq > bindparam("cursor"))
        .order_by(ExportEvent.seq)
        .limit(bindparam("rows")))
    # The date the event shows, which the date filters go by: to the earlier operations a
    # not-read reading's event is the replaced reading's withdrawal, with its date.
    shown_date = Reading.reading_date
    if not with_not_read:
        query = query.add_columns(replaced.not_read_reason, replaced.reading_date,
                                  replaced.t1, replaced.t2, replaced.t3).outerjoin(
            replaced, replaced.id == Reading.replaces_id)
        shown_date = case((Reading.not_read_reason.is_not(None) & replaced.id.is_not(None),
                           replaced.reading_date), else_=Reading.reading_date)
    if by_organization:
        query = query.where(Organization.billing_id == bindparam("organization_id"))
    if from_date:
        query = query.where(shown_date >= bindparam("date_from"))
    if to_date:
        query = query.where(shown_date <= bindparam("date_to"))
    return query


def _as_before_not_read(rows) -> list[tuple]:
    """The page's rows as a client that does not know «Не снято» (docs/spec.md §13.11, §15.6)
    reads them, in ExportedReading's fields: a not-read reading that replaced a reading with
    values withdraws it (a `deleted` event of that reading, with its date and values), any
    other event of a not-read reading is left out, and a reading that replaced a not-read one
    names none. So such a client's copy holds exactly the readings with values."""
    out = []
    address = msg.house_address
    for row in rows:
        if row[23] is None:
            replaces = row[3] if row[24] is None else None
            out.append(ExportedReading(row[0], row[1], row[2], replaces, row[4], row[5],
                                       address(*row[6:9]), *row[9:23]))
        elif row[1] == "submitted" and row[3] is not None and row[24] is None:
            out.append(ExportedReading(row[0], "deleted", row[3], None, row[4], row[5],
                                       address(*row[6:9]), *row[9:14], *row[25:29],
                                       *row[18:22]))
    return out


@dataclass(frozen=True)
class ExportPage:
    events: list[ExportedReading]
    next_cursor: int
    has_more: bool


def export_readings(core: Core, cursor: int, limit: int, organization_id: str | None = None,
                    date_from: dt.date | None = None, date_to: dt.date | None = None,
                    with_check_notes: bool = False, with_not_read: bool = False) -> ExportPage:
    """Events after `cursor` in sequence order, at most `limit` (1..MAX_PAGE).

    Filters: the organization's billing id, reading dates (inclusive). The events carry their
    readings' check notes only `with_check_notes` (docs/spec.md §15.6: only the operation added
    for them sends them, so no client built from an older WSDL gets an element it does not
    know). Readings that give a reason instead of values (docs/spec.md §13.11) come as
    Event 'not_read' with their reason's code only `with_not_read`; otherwise as
    _as_before_not_read says. The returned next_cursor
    is what to pass next time; with filters it still advances over the events that did not match.
    Raises ValidationError for a bad limit or cursor.
    """
    if limit is None or not 1 <= limit <= MAX_PAGE:
        raise ValidationError(msg.bad_limit(MAX_PAGE), "Limit")
    if cursor is None or cursor < 0:
        raise ValidationError(msg.CURSOR_NEGATIVE, "Cursor")
    if date_from and date_to and date_from > date_to:
        raise ValidationError(msg.EXPORT_DATES_REVERSED, "DateFrom")
    with core.uow() as uow:
        if organization_id is not None and not uow.session.scalar(select(Organization.id).where(
                Organization.billing_id == organization_id)):
            # A mistyped filter would otherwise move the cursor past this organization's
            # readings for good.
            raise NotFound(msg.organization_not_found(organization_id),
                           "OrganizationId")
        # Read before the page: every event up to `horizon` has committed by now, so the page
        # query (a later snapshot) sees all of them; filtered-out ones may then be skipped.
        horizon = uow.session.scalar(_HORIZON) or 0
        if cursor > horizon:
            # No client can have seen a number above the committed ones: passing it back
            # would skip every reading until the journal catches up.
            raise ValidationError(msg.cursor_ahead(cursor=cursor, last=horizon), "Cursor")
        # On the connection: the ORM would wrap each row again (its loading layer).
        rows = uow.session.connection().execute(
            _page_query(bool(organization_id), bool(date_from), bool(date_to),
                        with_check_notes, with_not_read),
            {"cursor": cursor, "rows": limit + 1, "organization_id": organization_id,
             "date_from": date_from, "date_to": date_to}).all()
        has_more = len(rows) > limit
        rows = rows[:limit]
        address = msg.house_address
        if with_not_read:
            events = [ExportedReading(row[0], "not_read" if row[23] is not None
                                      and row[1] == "submitted" else row[1], *row[2:6],
                                      address(*row[6:9]), *row[9:])
                      for row in rows]
        else:
            events = _as_before_not_read(rows)
        # Past the page's last event, shown or left out.
        next_cursor = rows[-1][0] if rows else cursor
        if not has_more:
            next_cursor = max(next_cursor, horizon)
    fault_point("soap.export_read")
    return ExportPage(events, next_cursor, has_more)
