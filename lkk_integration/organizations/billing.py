"""What the billing tells us about readings: accounted readings of meters, and its verdict on
the readings organizations submitted (docs/spec.md §15.5)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.db import UnitOfWork
from lkk_integration.errors import Conflict, NotFound, ValidationError, in_item
from lkk_integration.models import CHANNEL_BILLING, Meter, Reading
from lkk_integration.organizations.houses import add_accounted, check_accounted
from lkk_integration.idempotency import run_once
from lkk_integration.organizations.payloads import MeterReadingData, VerdictData, optional, required
from lkk_integration.readings.reasons import checked_reasons, set_reasons
from lkk_integration.readings.rules import load_rules

MAX_ITEMS = 10_000


def _bounded(items: list, name: str) -> None:
    if not items:
        raise ValidationError(msg.required_field(field=name), name)
    if len(items) > MAX_ITEMS:
        raise ValidationError(msg.too_many_items(name, MAX_ITEMS), name)


def update_accounted_readings(core: Core, client_id: int, request_id: str,
                              readings: list[MeterReadingData]) -> dict:
    """Record the billing's accounted readings; each becomes its meter's last accounted one
    (the billing's latest word wins; a date after today is refused). All or nothing: one bad item
    refuses the call, naming it (Readings[3]). Format, zone and capacity checks apply
    (docs/spec.md §15.5, §13.1)."""
    _bounded(readings, "Readings")
    for i, reading in enumerate(readings, 1):
        with in_item(i):
            reading.meter_id = required(reading.meter_id, f"Readings[{i}].MeterId")
            reading.source = required(reading.source, f"Readings[{i}].Source")
        if reading.reading_date is None:
            raise ValidationError(msg.required_field(field=f"Readings[{i}].ReadingDate"),
                                  f"Readings[{i}].ReadingDate", item=i)

    def work(uow: UnitOfWork) -> dict:
        session = uow.session
        rules = load_rules(session)
        ids = list({r.meter_id for r in readings})
        meters = {}
        for start in range(0, len(ids), 500):
            # With the last accounted readings, which each new one's interval is learnt from
            # (houses.add_accounted): one query for 500 meters, not one a meter.
            for meter in session.scalars(select(Meter).options(
                    selectinload(Meter.last_accounted_reading)).where(
                    Meter.billing_id.in_(ids[start:start + 500]))):
                meters[meter.billing_id] = meter
        for i, reading in enumerate(readings, 1):
            meter = meters.get(reading.meter_id)
            if meter is None or meter.archived_at is not None:
                raise NotFound(msg.meter_not_found(reading.meter_id),
                               f"Readings[{i}].MeterId", item=i)
            with in_item(i):
                check_accounted(core, reading, meter.zones, meter.capacity, rules,
                                f"Readings[{i}]")
            add_accounted(session, core, meter, reading, client_id)
        if len(meters) == 1:
            [meter] = meters.values()
            uow.audit_subject = {"organization_id": meter.house.organization_id,
                                 "meter_id": meter.id}
        return {"affected": len(readings)}

    return run_once(core, client_id, request_id, "UpdateAccountedReadings", readings, work)


def record_verdicts(core: Core, client_id: int, request_id: str,
                    verdicts: list[VerdictData]) -> dict:
    """Record the billing's verdict on submitted readings: accepted, or declined with a reason
    the organization will see. A later verdict on the same reading replaces the earlier one."""
    _bounded(verdicts, "Verdicts")
    seen: set[int] = set()
    for i, verdict in enumerate(verdicts, 1):
        if verdict.reading_id in seen:
            raise Conflict(msg.reading_repeated(f"Verdicts[{i}].ReadingId", verdict.reading_id),
                           f"Verdicts[{i}].ReadingId", item=i)
        seen.add(verdict.reading_id)
        verdict.reason = optional(verdict.reason, f"Verdicts[{i}].Reason")
        if not verdict.accepted and not verdict.reason:
            raise ValidationError(msg.reason_required(field=f"Verdicts[{i}].Reason"),
                                  f"Verdicts[{i}].Reason", item=i)

    def work(uow: UnitOfWork) -> dict:
        session = uow.session
        ids = list({v.reading_id for v in verdicts})
        found = {}
        for start in range(0, len(ids), 500):
            for reading in session.scalars(select(Reading).where(
                    Reading.id.in_(ids[start:start + 500]), Reading.channel != CHANNEL_BILLING)):
                found[reading.id] = reading
        now = core.clock.now()
        for i, verdict in enumerate(verdicts, 1):
            reading = found.get(verdict.reading_id)
            if reading is None:
                raise NotFound(msg.reading_not_found(verdict.reading_id),
                               f"Verdicts[{i}].ReadingId", item=i)
            reading.billing_verdict = "accepted" if verdict.accepted else "declined"
            reading.billing_reason = None if verdict.accepted else verdict.reason
        if len(found) == 1:
            [reading] = found.values()
            uow.audit_subject = {"organization_id": reading.meter.house.organization_id,
                                 "meter_id": reading.meter_id}
            reading.verdict_at = now
        return {"affected": len(verdicts)}

    return run_once(core, client_id, request_id, "RecordReadingVerdicts", verdicts, work)


def set_reasons_by_billing(core: Core, client_id: int, request_id: str,
                           given: list[tuple[str | None, str | None]]) -> dict:
    """SetNotReadReasons (docs/spec.md §13.11, §15.2): the billing's list becomes the offered
    one, once per request id (§15.7). Returns {"affected": reasons given, "retired": taken
    off}. Raises ValidationError for a bad or repeated code or name (checked_reasons)."""
    reasons = checked_reasons(given)

    def work(uow: UnitOfWork) -> dict:
        offered, retired = set_reasons(uow.session, core.clock.now(), reasons)
        return {"affected": offered, "retired": retired}

    return run_once(core, client_id, request_id, "SetNotReadReasons",
                    [[r.code, r.name] for r in reasons], work)

