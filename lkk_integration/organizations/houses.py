"""Served houses, personal accounts and meters as the billing keeps them current (docs/spec.md
§15.4: add, edit and remove houses; replace and remove a meter)."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lkk_integration import messages as msg
from lkk_integration.clock import moscow_today
from lkk_integration.core import Core
from lkk_integration.db import UnitOfWork
from lkk_integration.errors import Conflict, NotFound, ValidationError, in_item
from lkk_integration.models import (CHANNEL_BILLING, COMMON_HOUSE, INDIVIDUAL, House, Meter,
                                    Organization, PersonalAccount, Reading)
from lkk_integration.idempotency import run_once
from lkk_integration.organizations.payloads import (AccountedReadingData, HouseData, MeterData,
                                                    all_meters, refuse_repeats, required,
                                                    validate_house, validate_meter)
from lkk_integration.readings.plausibility import learn
from lkk_integration.readings.checks import MeterFacts, Verdict, check_values
from lkk_integration.readings.rules import ReadingRules, load_rules

CHUNK = 500


def check_accounted(core: Core, reading: AccountedReadingData, zones: int, capacity: int,
                    rules: ReadingRules, where: str) -> None:
    """The billing's readings pass the format, zone and capacity checks, and are not dated after
    today in Moscow (docs/spec.md §15.5); raises ValidationError naming `where`. The
    reading's values become the checked ones (float noise removed, §13.2)."""
    facts = MeterFacts(0, INDIVIDUAL, "", zones, capacity)
    verdict = Verdict(values=[None, None, None], reading_date=reading.reading_date)
    if reading.reading_date > moscow_today(core.clock):
        verdict.refuse("date_in_future", msg.DATE_IN_FUTURE, "ReadingDate")
    check_values(facts, reading.values, rules, verdict)
    if verdict.errors:
        # The field of the first error: Readings[1].T1.
        at = f"{where}.{verdict.fields[0]}" if verdict.fields[0] else where
        raise ValidationError(f"{where}: " + "; ".join(verdict.errors), at)
    # The values as checked: float noise (16431.879999999997) is the number it stands for
    # (docs/spec.md §13.2), and that number is what is kept.
    reading.t1, reading.t2, reading.t3 = verdict.values


def add_accounted(session: Session, core: Core, meter: Meter, reading: AccountedReadingData,
                  client_id: int | None) -> Reading:
    """Record an accounted reading; it becomes the meter's last one. The billing's word is the
    last: a correction with an earlier date replaces a wrong later one. The meter's typical
    consumption learns from the interval since its last accounted reading (docs/spec.md
    §13.10; readings/plausibility.py's learn)."""
    last = meter.last_accounted_reading
    if last is not None:
        learnt = learn((meter.typical_t1, meter.typical_t2, meter.typical_t3),
                       meter.typical_intervals or 0, last.reading_date, last.values,
                       reading.reading_date, (reading.t1, reading.t2, reading.t3),
                       meter.transformation_ratio or Decimal(1), meter.typical_until)
        if learnt is not None:
            (meter.typical_t1, meter.typical_t2, meter.typical_t3), \
                meter.typical_intervals = learnt
            meter.typical_until = reading.reading_date
    row = Reading(meter=meter, reading_date=reading.reading_date,
                  period=reading.reading_date.replace(day=1), t1=reading.t1, t2=reading.t2,
                  t3=reading.t3, source=reading.source, channel=CHANNEL_BILLING,
                  is_current=False, submitted_by_client_id=client_id,
                  submitted_at=core.clock.now())
    session.add(row)
    meter.last_accounted_reading = row
    return row


def _by_key(session: Session, column, keys: list[str]) -> dict:
    found = {}
    for start in range(0, len(keys), CHUNK):
        for row in session.scalars(select(column.class_).where(
                column.in_(keys[start:start + CHUNK]))):
            found[getattr(row, column.key)] = row
    return found


def _same_reading(last: Reading | None, new: AccountedReadingData) -> bool:
    return last is not None and (last.reading_date, last.t1, last.t2, last.t3, last.source) == \
        (new.reading_date, new.t1, new.t2, new.t3, new.source)


def write_houses(session: Session, core: Core, organization: Organization,
                 houses: list[HouseData], client_id: int | None, where: str = "Houses") -> dict:
    """Create or update houses with their accounts and meters, set-wise lookups by key.

    A house, account or meter that exists elsewhere (another organization, house or account)
    is a Conflict; a house removed earlier is served again. Returns counts. `where` names the
    houses in errors: «Houses», registration's list (Houses[2].Accounts[1]…, item 2), or
    «House», SaveHouse's one house, no list (House.Accounts[1]…, item 1).
    """
    rules = load_rules(session)
    houses_by_id = _by_key(session, House.billing_id, [h.billing_id for h in houses])
    accounts_by_no = _by_key(session, PersonalAccount.number,
                             [a.number for h in houses for a in h.accounts])
    meters_by_id = _by_key(session, Meter.billing_id,
                           [m.billing_id for h in houses for m in all_meters(h)])
    counts = {"houses": 0, "accounts": 0, "meters": 0}
    for h, data in enumerate(houses, 1):
        # The item an error names is the house's in a list, else the account's or meter's.
        house_item = h if where == "Houses" else None
        at_house = f"{where}[{h}]" if house_item else where
        house = houses_by_id.get(data.billing_id)
        if house is None:
            house = House(organization=organization, billing_id=data.billing_id)
            session.add(house)
        elif house.organization_id != organization.id:
            if house.removed_at is None:
                raise Conflict(msg.house_of_other(data.billing_id),
                               f"{at_house}.HouseId", item=house_item)
            # No longer served by the other organization: it passes to this one.
            house.organization = organization
        house.settlement, house.street = data.settlement, data.street
        house.house_number, house.removed_at = data.house_number, None
        counts["houses"] += 1
        for a, account_data in enumerate(data.accounts, 1):
            at = f"{at_house}.Accounts[{a}]"
            account = accounts_by_no.get(account_data.number)
            if account is None:
                account = PersonalAccount(house=house, number=account_data.number)
                session.add(account)
            elif account.house_id != house.id:
                raise Conflict(msg.account_of_other(number=account_data.number),
                               f"{at}.Number", item=house_item or a)
            account.apartment = account_data.apartment
            account.consumer_name = account_data.consumer_name
            account.metering_type = account_data.metering_type
            account.removed_at = None
            counts["accounts"] += 1
            for m, meter_data in enumerate(account_data.meters, 1):
                with in_item(house_item or a):
                    _write_meter(session, core, house, account, meter_data, INDIVIDUAL, rules,
                                 meters_by_id, client_id, f"{at}.Meters[{m}]")
                counts["meters"] += 1
        for m, meter_data in enumerate(data.common_house_meters, 1):
            with in_item(house_item or m):
                _write_meter(session, core, house, None, meter_data, COMMON_HOUSE, rules,
                             meters_by_id, client_id, f"{at_house}.CommonHouseMeters[{m}]")
            counts["meters"] += 1
    return counts


def _write_meter(session: Session, core: Core, house: House, account: PersonalAccount | None,
                 data: MeterData, kind: str, rules: ReadingRules, meters_by_id: dict,
                 client_id: int | None, where: str) -> Meter:
    if data.last_reading is not None:
        check_accounted(core, data.last_reading, data.zones, data.capacity, rules,
                        f"{where}.LastReading")
    meter = meters_by_id.get(data.billing_id)
    if meter is None:
        meter = Meter(billing_id=data.billing_id, kind=kind, house=house, account=account)
        session.add(meter)
    else:
        if meter.archived_at is not None:
            raise Conflict(msg.meter_archived(data.billing_id), f"{where}.MeterId")
        if meter.kind != kind:
            raise Conflict(msg.meter_kind_changed(data.billing_id), f"{where}.MeterId")
        if meter.house is not house or meter.account is not account:
            raise Conflict(msg.meter_elsewhere(data.billing_id), f"{where}.MeterId")
    meter.number, meter.zones, meter.capacity = data.number, data.zones, data.capacity
    meter.transformation_ratio = data.transformation_ratio or Decimal(1)
    meter.verification_due = data.verification_due
    if data.last_reading is not None and not _same_reading(meter.last_accounted_reading,
                                                           data.last_reading):
        add_accounted(session, core, meter, data.last_reading, client_id)
    return meter


def find_organization(session: Session, organization_id: str) -> Organization:
    """The organization with that billing id; raises ValidationError (empty) or NotFound."""
    organization_id = required(organization_id, "OrganizationId")
    organization = session.scalars(select(Organization).where(
        Organization.billing_id == organization_id)).first()
    if organization is None:
        raise NotFound(msg.organization_not_found(organization_id), "OrganizationId")
    return organization


def _meter(session: Session, meter_id: str, field: str = "MeterId",
           archived_ok: bool = False) -> Meter:
    meter_id = required(meter_id, field)
    meter = session.scalars(select(Meter).where(Meter.billing_id == meter_id)).first()
    if meter is None:
        raise NotFound(msg.meter_not_found(meter_id), field)
    if meter.archived_at is not None and not archived_ok:
        raise Conflict(msg.meter_archived(meter_id), field)
    return meter


def save_house(core: Core, client_id: int, request_id: str, organization_id: str,
               house: HouseData) -> dict:
    """Add a house to an organization, or edit it with its accounts and meters (by HouseId,
    account Number, MeterId). Accounts and meters not named stay as they are.

    Returns {'house_id', 'accounts', 'meters'}. Raises NotFound, ValidationError, Conflict,
    IdempotencyConflict.
    """
    validate_house(house, "House")
    refuse_repeats([house])

    def work(uow: UnitOfWork) -> dict:
        organization = find_organization(uow.session, organization_id)
        counts = write_houses(uow.session, core, organization, [house], client_id, "House")
        uow.audit_subject = {"organization_id": organization.id}
        return {"house_id": house.billing_id, "accounts": counts["accounts"],
                "meters": counts["meters"]}

    return run_once(core, client_id, request_id, "SaveHouse", [organization_id, house], work)


def remove_house(core: Core, client_id: int, request_id: str, house_id: str) -> dict:
    """Stop serving a house: it leaves the cabinet; its accounts, meters and readings stay."""
    required_id = required(house_id, "HouseId")

    def work(uow: UnitOfWork) -> dict:
        house = uow.session.scalars(select(House).where(House.billing_id == required_id)).first()
        if house is None:
            raise NotFound(msg.house_not_found(required_id), "HouseId")
        changed = house.removed_at is None
        house.removed_at = house.removed_at or core.clock.now()
        uow.audit_subject = {"organization_id": house.organization_id}
        return {"affected": int(changed)}

    return run_once(core, client_id, request_id, "RemoveHouse", required_id, work)


def remove_meter(core: Core, client_id: int, request_id: str, meter_id: str) -> dict:
    """Take a meter out of service; its readings history stays."""

    def work(uow: UnitOfWork) -> dict:
        meter = _meter(uow.session, meter_id, archived_ok=True)
        uow.audit_subject = {"organization_id": meter.house.organization_id,
                             "meter_id": meter.id}
        if meter.archived_at is not None:
            return {"affected": 0}  # already out of service, like a second RemoveHouse
        meter.archived_at = core.clock.now()
        return {"affected": 1}

    return run_once(core, client_id, request_id, "RemoveMeter", meter_id, work)


def replace_meter(core: Core, client_id: int, request_id: str, old_meter_id: str,
                  final_reading: AccountedReadingData, new_meter: MeterData) -> dict:
    """Replace a meter: the old one gets its final reading and is archived; the new one takes
    its place (same house and account) with its initial reading (new_meter.last_reading).

    Raises NotFound, Conflict (archived, or the new MeterId taken), ValidationError.
    """
    validate_meter(new_meter, "NewMeter")
    if new_meter.last_reading is None:
        raise ValidationError(msg.required_field(field="NewMeter.LastReading"),
                              "NewMeter.LastReading")

    def work(uow: UnitOfWork) -> dict:
        session = uow.session
        rules = load_rules(session)
        old = _meter(session, old_meter_id, "OldMeterId")
        check_accounted(core, final_reading, old.zones, old.capacity, rules, "FinalReading")
        if session.scalar(select(Meter.id).where(Meter.billing_id == new_meter.billing_id)):
            raise Conflict(msg.id_taken(field="NewMeter.MeterId",
                                               value=new_meter.billing_id), "NewMeter.MeterId")
        add_accounted(session, core, old, final_reading, client_id)
        old.archived_at = core.clock.now()
        uow.audit_subject = {"organization_id": old.house.organization_id, "meter_id": old.id}
        _write_meter(session, core, old.house, old.account, new_meter, old.kind, rules, {},
                     client_id, "NewMeter")
        return {"affected": 2}

    return run_once(core, client_id, request_id, "ReplaceMeter",
                    [old_meter_id, final_reading, new_meter], work)
