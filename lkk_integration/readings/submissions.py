"""Readings the organization's own software submits in a batch through the JSON API
(docs/spec.md §21.2): each item checked by the one rule set (§13.1), the valid ones stored at
once as the meters' current readings of the period (§13.9), the wrong ones answered with the
cabinet's notes and a machine code each; what the organization submitted in a period; and the
withdrawal of a reading the same token submitted (§8's rules).

Answers are plain JSON-able dicts (dates ISO, kWh as decimal strings): the same answer is kept
for an Idempotency-Key's retry (lkk_integration/idempotency.py) and returned as it was.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from lkk_integration import audit
from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.errors import NotFound, ValidationError
from lkk_integration.idempotency import Ledger, run_once_in
from lkk_integration.models import (CHANNEL_API, CHANNEL_BILLING, SOURCE_ORGANIZATION,
                                    ApiRequest, ContactPerson, House, Meter, Reading)
from lkk_integration.quantities import plain_decimal
from lkk_integration.readings.checks import Verdict, check_submission, parse_reading_date
from lkk_integration.readings.export import record_events
from lkk_integration.readings.locks import lock_meters
from lkk_integration.readings.manual import withdraw
from lkk_integration.readings.period import (current_period, require_open_period,
                                             served_meters)
from lkk_integration.readings.reasons import load_reasons
from lkk_integration.text import visible

# Items of one batch at most (docs/spec.md §21.2).
MAX_ITEMS = 10_000
# Readings on one page of GET /api/v1/readings at most.
MAX_PAGE = 1000
# The refusals of an item that the API itself makes, beside checks.REFUSALS.
ITEM_REFUSALS = ("meter_missing", "meter_unknown", "meter_ambiguous", "meter_mismatch",
                 "meter_repeated", "kind_closed")
# Past this many meters, every served meter is read at once rather than by id.
_BY_ID = 1000
# An Idempotency-Key: 1–255 visible ASCII characters (a UUID, a program's own request id).
_KEY = re.compile(r"[\x21-\x7e]{1,255}")
# The checks' names of the inputs, as the API's items name them.
_FIELDS = {"T1": "t1", "T2": "t2", "T3": "t3", "ReadingDate": "reading_date",
           "NotReadReason": "not_read", "": None}


@dataclass(frozen=True)
class Caller:
    """Who submits through the API: the token, its person (and e-mail) and organization."""

    token_id: int
    person_id: int
    email: str
    organization_id: int


@dataclass(frozen=True)
class ReadingItem:
    """One reading of a batch as sent: the meter by its id or number (or both, naming one
    meter), the date and T1..T3 as given (text, numbers), or a not-read reason's code or name
    instead of values (docs/spec.md §13.11)."""

    meter_id: int | None = None
    meter_number: str | None = None
    reading_date: object = None
    values: tuple[object, object, object] = (None, None, None)
    not_read: str | None = None


def _kwh(value: Decimal | None) -> str | None:
    return None if value is None else format(plain_decimal(value), "f")


def _note(code: str, detail: str, field: str | None = None) -> dict:
    return {"code": code, "detail": detail, "field": field}


def _item_answer(index: int, meter_id: int | None, verdict: Verdict | None,
                 errors: list[dict]) -> dict:
    """An item's answer before it is stored: `errors` the API's own, then the verdict's."""
    if verdict is not None:
        errors = errors + [_note(code, detail, _FIELDS.get(about, about))
                           for code, detail, about in zip(verdict.codes, verdict.errors,
                                                          verdict.fields, strict=True)]
    return {
        "index": index, "status": "wrong" if errors else "valid", "meter_id": meter_id,
        "reading_date": None if verdict is None or verdict.reading_date is None
        else verdict.reading_date.isoformat(),
        "t1": None, "t2": None, "t3": None, "not_read": None,
        **({} if verdict is None or errors else {
            "t1": _kwh(verdict.values[0]), "t2": _kwh(verdict.values[1]),
            "t3": _kwh(verdict.values[2]), "not_read": verdict.not_read}),
        "errors": errors,
        "remarks": [] if verdict is None else [
            _note(code, text) for code, text in zip(verdict.remark_codes, verdict.remarks,
                                                     strict=True)],
        "reading_id": None, "replaced_reading_id": None}


def _date_as_sent(raw: object) -> str | None:
    """The item's date as the checks read it, ISO; None when it is none."""
    try:
        date = parse_reading_date(visible(raw))
    except ValueError:
        return None
    return None if date is None else date.isoformat()


def _served_numbers(session: Session, organization_id: int) -> dict[str, list[int]]:
    """The organization's current meters by number: ids (several where numbers repeat)."""
    found: dict[str, list[int]] = {}
    for meter_id, number in session.execute(
            select(Meter.id, Meter.number).join(House, House.id == Meter.house_id)
            .where(House.organization_id == organization_id, House.removed_at.is_(None),
                   Meter.archived_at.is_(None))):
        found.setdefault(number, []).append(meter_id)
    return found


def _meter_of(item: ReadingItem, numbers: dict[str, list[int]] | None,
              served_ids: set[int] | None) -> tuple[int | None, list[dict]]:
    """The meter id an item names and the API's refusals of it (docs/spec.md §13.7, §21.2).
    `numbers` the organization's meters by number (when an item gives one), `served_ids` the
    ids it serves (None: checked later, with the facts)."""
    number = visible(item.meter_number).strip() if item.meter_number is not None else ""
    if item.meter_id is None and not number:
        return None, [_note("meter_missing", msg.API_METER_MISSING, "meter_id")]
    by_number = None
    if number:
        ids = (numbers or {}).get(number, [])
        if not ids:
            return None, [_note("meter_unknown", msg.METER_UNKNOWN, "meter_number")]
        if item.meter_id is None and len(ids) > 1:
            return None, [_note("meter_ambiguous", msg.API_METER_AMBIGUOUS, "meter_number")]
        by_number = ids
    if item.meter_id is not None:
        if by_number is not None and item.meter_id not in by_number:
            return None, [_note("meter_mismatch", msg.API_METER_MISMATCH, "meter_number")]
        if served_ids is not None and item.meter_id not in served_ids:
            return None, [_note("meter_unknown", msg.METER_UNKNOWN, "meter_id")]
        return item.meter_id, []
    return by_number[0], []


def _named(session: Session, caller: Caller,
           items: list[ReadingItem]) -> list[tuple[int | None, list[dict]]]:
    """_meter_of each item: the organization's meters by number are read when one gives one."""
    numbers = _served_numbers(session, caller.organization_id) \
        if any(item.meter_number is not None for item in items) else None
    return [_meter_of(item, numbers, None) for item in items]


def _checked(session: Session, caller: Caller, items: list[ReadingItem],
             named: list[tuple[int | None, list[dict]]],
             period) -> tuple[list[dict], dict[int, Verdict]]:
    """Every item's answer (status valid or wrong) and the verdicts of the valid ones by
    index, the meters `named` (_named) read as they are now."""
    meter_ids = sorted({meter_id for meter_id, _errors in named if meter_id is not None})
    facts = {m.facts.meter_id: m.facts for m in served_meters(
        session, caller.organization_id, meter_ids if len(meter_ids) <= _BY_ID else None)} \
        if meter_ids else {}
    reasons = load_reasons(session)
    closed = period.closed_kinds()
    answers: list[dict] = []
    verdicts: dict[int, Verdict] = {}
    first_of: dict[int, int] = {}  # a meter's first valid item (docs/spec.md §13.8)
    for index, (item, (meter_id, errors)) in enumerate(zip(items, named, strict=True)):
        meter = facts.get(meter_id) if meter_id is not None else None
        if meter_id is not None and meter is None:
            errors = [_note("meter_unknown", msg.METER_UNKNOWN,
                            "meter_id" if item.meter_id is not None else "meter_number")]
        if errors:
            answers.append(_item_answer(index, None, None, errors))
            continue
        if meter.kind in closed:
            answer = _item_answer(index, meter_id, None,
                                  [_note("kind_closed", closed[meter.kind])])
            answer["reading_date"] = _date_as_sent(item.reading_date)
            answers.append(answer)
            continue
        verdict = check_submission(
            meter, visible(item.reading_date), [visible(v) for v in item.values],
            period.rules, period.today, period.dates_for(meter.kind),
            visible(item.not_read), reasons)
        repeated = []
        if verdict.ok and meter_id in first_of:
            repeated = [_note("meter_repeated", msg.api_meter_repeated(first_of[meter_id]),
                              "meter_id" if item.meter_id is not None else "meter_number")]
        answer = _item_answer(index, meter_id, verdict, repeated)
        answers.append(answer)
        if answer["status"] == "valid":
            first_of[meter_id] = index
            verdicts[index] = verdict
    return answers, verdicts


def _totals(answers: list[dict], period: dt.date, check_only: bool) -> dict:
    count = {status: sum(1 for a in answers if a["status"] == status)
             for status in ("valid", "stored", "unchanged", "wrong")}
    return {"check_only": check_only, "period": period.isoformat(), **count, "items": answers}


def check_readings(core: Core, caller: Caller, items: list[ReadingItem]) -> dict:
    """The verdict on each item of a batch, nothing stored (docs/spec.md §21.2,
    `check_only=true`): per item its status (`valid`, `wrong`), its values as they would be
    kept, its errors and remarks (code, Russian detail, field).

    Raises PeriodClosed outside the period, ValidationError past MAX_ITEMS items."""
    _require_size(items)
    with core.uow() as uow:
        period = require_open_period(uow.session, core)
        answers, _verdicts = _checked(uow.session, caller, items,
                                      _named(uow.session, caller, items), period)
    return _totals(answers, period.state.period, True)


def _require_size(items: list[ReadingItem]) -> None:
    if not 1 <= len(items) <= MAX_ITEMS:
        raise ValidationError(msg.api_items_count(MAX_ITEMS), "items")


def submit_readings(session: Session, core: Core, caller: Caller,
                    items: list[ReadingItem]) -> dict:
    """Check a batch and store its valid items at once, in the caller's transaction (not
    committed here), as the meters' current readings of the period, channel `api`
    (docs/spec.md §13.9, §21.2). Per item: `stored` with its reading id and the one it
    replaced; `unchanged` when the meter's current reading is this very one from the same
    token (a retry without an Idempotency-Key stores no twin); `wrong` with its errors. A
    meter's later valid items are wrong (`meter_repeated`, §13.8).

    Raises PeriodClosed outside the period, ValidationError past MAX_ITEMS items."""
    _require_size(items)
    # Decided once, at the instant the batch began; its readings are stamped with it
    # (docs/spec.md §5.1).
    now = core.clock.now()
    period = require_open_period(session, core, now)
    named = _named(session, caller, items)
    to_lock = sorted({meter_id for meter_id, _errors in named if meter_id is not None})
    if to_lock:
        # Queue behind any submission for the same meters; the checks read what they wrote.
        lock_meters(session, to_lock)
    answers, verdicts = _checked(session, caller, items, named, period)
    month = period.state.period
    current = {row.meter_id: row for row in session.execute(
        select(Reading.id, Reading.meter_id, Reading.channel, Reading.api_token_id,
               Reading.reading_date, Reading.t1, Reading.t2, Reading.t3,
               Reading.not_read_reason, Reading.replaces_id)
        .where(Reading.meter_id.in_([answers[i]["meter_id"] for i in verdicts]),
               Reading.is_current, Reading.period == month))} if verdicts else {}
    new: list[tuple[int, dict]] = []
    for index, verdict in verdicts.items():
        answer = answers[index]
        was = current.get(answer["meter_id"])
        if (was is not None and was.channel == CHANNEL_API and was.api_token_id == caller.token_id
                and was.reading_date == verdict.reading_date
                and (was.t1, was.t2, was.t3) == tuple(verdict.values)
                and was.not_read_reason == verdict.not_read):
            answer.update(status="unchanged", reading_id=was.id,
                          replaced_reading_id=was.replaces_id)
            continue
        t1, t2, t3 = verdict.values
        new.append((index, {
            "meter_id": answer["meter_id"], "reading_date": verdict.reading_date,
            "period": month, "t1": t1, "t2": t2, "t3": t3, "source": SOURCE_ORGANIZATION,
            "channel": CHANNEL_API, "is_current": True,
            "submitted_by_person_id": caller.person_id, "submitted_at": now,
            "api_token_id": caller.token_id,
            "replaces_id": was.id if was is not None else None,
            "check_note": verdict.check_note, "not_read_reason": verdict.not_read}))
    if new:
        replaced = [row["replaces_id"] for _i, row in new if row["replaces_id"] is not None]
        if replaced:
            session.execute(update(Reading).where(Reading.id.in_(replaced))
                            .values(is_current=False))
        # One executemany of the table's INSERT (the ORM's bulk path with RETURNING went a
        # statement a row); then each meter's one current reading of the period is the new one.
        session.execute(insert(Reading.__table__), [row for _i, row in new])
        stored_meters = [row["meter_id"] for _i, row in new]
        ids = dict(session.execute(select(Reading.meter_id, Reading.id).where(
            Reading.meter_id.in_(stored_meters), Reading.is_current,
            Reading.period == month)).all())
        for index, row in new:
            answers[index].update(status="stored", reading_id=ids[row["meter_id"]],
                                  replaced_reading_id=row["replaces_id"])
        record_events(session, now, "submitted", select(Reading.id).where(
            Reading.id.in_([ids[meter] for meter in stored_meters])))
    result = _totals(answers, month, False)
    audit.record(session, core.clock, audit.Actor("person", caller.person_id, caller.email),
                 "api_readings_submitted", organization_id=caller.organization_id,
                 person_id=caller.person_id, object_id=caller.token_id,
                 stored=result["stored"], unchanged=result["unchanged"], wrong=result["wrong"])
    return result


_READING_COLUMNS = (Reading.id, Reading.meter_id, Meter.number, Reading.reading_date, Reading.t1,
                    Reading.t2, Reading.t3, Reading.not_read_reason, Reading.channel,
                    Reading.submitted_at, Reading.check_note, Reading.billing_verdict,
                    Reading.billing_reason)


def _readings(session: Session, ids: list[int]) -> list[dict]:
    """The answers of readings `ids`, by id."""
    if not ids:
        return []
    reasons = load_reasons(session)
    return [_reading_answer(row, reasons) for row in session.execute(
        select(*_READING_COLUMNS).join(Meter, Meter.id == Reading.meter_id)
        .where(Reading.id.in_(ids)).order_by(Reading.id))]


def store_readings(core: Core, caller: Caller, items: list[ReadingItem],
                   idempotency_key: str | None = None) -> dict:
    """submit_readings in a transaction of its own; with `idempotency_key`, once per (token,
    key): a retry with the same items returns the first answer and stores nothing, also when
    the retries race (docs/spec.md §21.2, lkk_integration/idempotency.py).

    Raises ValidationError for a key that is not 1–255 visible ASCII characters,
    IdempotencyConflict for a key used with other items, and submit_readings' errors (a
    refusal is kept for the key, as an answer is)."""
    if idempotency_key is None:
        with core.uow() as uow:
            answer = submit_readings(uow.session, core, caller, items)
            uow.commit()
        return answer
    if not _KEY.fullmatch(idempotency_key):
        raise ValidationError(msg.API_IDEMPOTENCY_KEY_INVALID, "Idempotency-Key")
    # The batch writes its own audit record; the key's record is the api_request row.
    ledger = Ledger(ApiRequest, "token_id", caller.token_id, "Idempotency-Key",
                    lambda *_args: None, msg.api_idempotency_key_reused)
    return run_once_in(core, ledger, idempotency_key, "POST /api/v1/readings",
                       # The items as sent, field by field (dataclasses.asdict, which copies
                       # deeply, took 0.5 s for 10,000).
                       # Numbers as values: 3000 and 3000.0 are one reading (as §15.7).
                       [(i.meter_id, i.meter_number, i.reading_date,
                         tuple(_as_number(v) for v in i.values), i.not_read) for i in items],
                       lambda uow: submit_readings(uow.session, core, caller, items))


def _as_number(value: object) -> object:
    """A JSON number as a Decimal (idempotency's digest writes 3000 and 3000.0 alike); any
    other value as it is."""
    if type(value) is int:
        return Decimal(value)
    if type(value) is float and value == value and value not in (float("inf"), float("-inf")):
        return Decimal(repr(value))
    return value


def _reading_answer(row, reasons) -> dict:
    return {"id": row.id, "meter_id": row.meter_id, "meter_number": row.number,
            "reading_date": row.reading_date.isoformat(), "t1": _kwh(row.t1),
            "t2": _kwh(row.t2), "t3": _kwh(row.t3), "not_read": row.not_read_reason,
            "not_read_name": reasons.name_of(row.not_read_reason)
            if row.not_read_reason else None,
            "channel": row.channel, "submitted_at": row.submitted_at.isoformat(),
            "check_note": row.check_note, "billing_verdict": row.billing_verdict,
            "billing_reason": row.billing_reason}


def submitted_in_period(core: Core, organization_id: int, month: dt.date | None, page: int,
                        per_page: int) -> dict:
    """Page `page` (from 1; past the last: empty) of the readings the organization submitted
    for period `month` (its first day; None: the period in force) by any channel — the current
    ones, withdrawn and replaced ones aside — by id, with the billing's verdicts
    (docs/spec.md §15.5, §21.2): {"period", "page", "pages", "total", "readings"}."""
    if not 1 <= per_page <= MAX_PAGE or page < 1:
        raise ValueError(per_page)
    with core.uow() as uow:
        session = uow.session
        month = month.replace(day=1) if month else current_period(session, core).state.period
        query = (select(Reading.id).join(Meter, Meter.id == Reading.meter_id)
                 .join(House, House.id == Meter.house_id)
                 .join(ContactPerson, ContactPerson.id == Reading.submitted_by_person_id)
                 .where(House.organization_id == organization_id,
                        ContactPerson.organization_id == organization_id,
                        Reading.channel != CHANNEL_BILLING, Reading.is_current,
                        Reading.period == month))
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        ids = list(session.scalars(query.order_by(Reading.id)
                                   .offset((page - 1) * per_page).limit(per_page)))
        readings = _readings(session, ids)
    return {"period": month.isoformat(), "page": page, "pages": max(1, -(-total // per_page)),
            "total": total, "readings": readings}


def withdraw_api_reading(core: Core, caller: Caller, reading_id: int) -> dict:
    """Delete a reading this token submitted (docs/spec.md §8's rules, §21.2): current, of the
    period in force, not yet accepted by the billing; the reading it had replaced is current
    again. Returns {"deleted": id, "current_again": reading or None}.

    Raises NotFound for any other reading (another token's or organization's, replaced,
    withdrawn, of an earlier period, accepted), PeriodClosed outside the period."""
    with core.uow() as uow:
        session = uow.session
        now = core.clock.now()
        period = require_open_period(session, core, now)
        reading = session.execute(
            select(Reading).join(Meter, Meter.id == Reading.meter_id)
            .join(House, House.id == Meter.house_id)
            .where(Reading.id == reading_id, House.organization_id == caller.organization_id,
                   House.removed_at.is_(None), Meter.archived_at.is_(None),
                   Reading.channel == CHANNEL_API, Reading.api_token_id == caller.token_id,
                   Reading.is_current, Reading.period == period.state.period,
                   Reading.billing_verdict.is_distinct_from("accepted"))
        ).scalar_one_or_none()
        if reading is None:
            raise NotFound(msg.API_READING_NOT_DELETABLE, "reading")
        restored = withdraw(session, now, period.state.period, reading)
        audit.record(session, core.clock, audit.Actor("person", caller.person_id, caller.email),
                     "reading_deleted", organization_id=caller.organization_id,
                     meter_id=reading.meter_id, person_id=caller.person_id, object_id=reading_id,
                     current_again_reading_id=reading.replaces_id if restored else None,
                     channel=CHANNEL_API)
        back = _readings(session, [reading.replaces_id]) if restored else []
        uow.commit()
    return {"deleted": reading_id, "current_again": back[0] if back else None}

