"""Organizations, their contact persons, houses, accounts and meters: what the billing pushes in
over SOAP and what the cabinet shows (SPEC.md glossary, "SOAP integration service", item 2)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from . import messages as msg
from .accounts import issue_token, link_for, normalize_email
from .checks import MeterFacts, Verdict, check_values
from .core import Core
from .db import UnitOfWork, plain_decimal
from .errors import Conflict, NotFound, ValidationError
from .idempotency import run_once
from .models import (CHANNEL_BILLING, COMMON_HOUSE, INDIVIDUAL, ContactPerson, House, Meter,
                     Organization, PersonalAccount, Reading)
from .outbox import enqueue
from .rules import load_rules

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass
class AccountedReadingData:
    """Last accounted reading as the billing sends it."""

    reading_date: dt.date
    source: str
    t1: Decimal | None = None
    t2: Decimal | None = None
    t3: Decimal | None = None


@dataclass
class MeterData:
    billing_id: str
    number: str
    zones: int
    capacity: int
    transformation_ratio: Decimal | None = None
    verification_due: dt.date | None = None
    last_reading: AccountedReadingData | None = None


@dataclass
class AccountData:
    number: str
    apartment: str
    consumer_name: str | None = None
    metering_type: str | None = None
    meters: list[MeterData] = field(default_factory=list)


@dataclass
class HouseData:
    billing_id: str
    settlement: str
    street: str
    house_number: str
    accounts: list[AccountData] = field(default_factory=list)
    common_house_meters: list[MeterData] = field(default_factory=list)


@dataclass
class ContactPersonData:
    full_name: str
    email: str
    mobile_phone: str | None = None


@dataclass
class OrganizationData:
    billing_id: str
    full_name: str
    short_name: str
    org_type: str
    inn: str
    contact_person: ContactPersonData
    kpp: str | None = None
    ogrn: str | None = None
    contract_number: str | None = None
    is_active: bool = True
    houses: list[HouseData] = field(default_factory=list)


def _required(value: str | None, name: str) -> str:
    if value is None or not str(value).strip():
        raise ValidationError(msg.REQUIRED_FIELD.format(field=name), name)
    return str(value).strip()


def _digits(value: str | None, name: str, lengths: tuple[int, ...], required: bool) -> str | None:
    if value is None or not value.strip():
        if required:
            raise ValidationError(msg.REQUIRED_FIELD.format(field=name), name)
        return None
    value = value.strip()
    if not value.isdigit() or len(value) not in lengths:
        raise ValidationError(
            f"Поле {name}: ожидается {' или '.join(map(str, lengths))} цифр", name)
    return value


def validate_organization(data: OrganizationData) -> None:
    """Check requisites and the houses tree; raises ValidationError naming the field."""
    for attr, name in (("billing_id", "OrganizationId"), ("full_name", "FullName"),
                       ("short_name", "ShortName"), ("org_type", "Type")):
        setattr(data, attr, _required(getattr(data, attr), name))
    data.inn = _digits(data.inn, "Inn", (10, 12), required=True)
    data.kpp = _digits(data.kpp, "Kpp", (9,), required=False)
    data.ogrn = _digits(data.ogrn, "Ogrn", (13, 15), required=False)
    data.contract_number = (data.contract_number or "").strip() or None
    person = data.contact_person
    if person is None:
        raise ValidationError(msg.REQUIRED_FIELD.format(field="ContactPerson"), "ContactPerson")
    person.full_name = _required(person.full_name, "ContactPerson.FullName")
    person.email = _required(person.email, "ContactPerson.Email")
    if not EMAIL.fullmatch(person.email):
        raise ValidationError(msg.BAD_EMAIL.format(field="ContactPerson.Email"),
                              "ContactPerson.Email")
    for h, house in enumerate(data.houses, 1):
        where = f"Houses[{h}]"
        for attr, name in (("billing_id", "HouseId"), ("settlement", "Settlement"),
                           ("street", "Street"), ("house_number", "HouseNumber")):
            setattr(house, attr, _required(getattr(house, attr), f"{where}.{name}"))
        for a, account in enumerate(house.accounts, 1):
            at = f"{where}.Accounts[{a}]"
            account.number = _required(account.number, f"{at}.Number")
            account.apartment = _required(account.apartment, f"{at}.Apartment")
            for m, meter in enumerate(account.meters, 1):
                _validate_meter(meter, f"{at}.Meters[{m}]")
        for m, meter in enumerate(house.common_house_meters, 1):
            _validate_meter(meter, f"{where}.CommonHouseMeters[{m}]")


def _validate_meter(meter: MeterData, where: str) -> None:
    meter.billing_id = _required(meter.billing_id, f"{where}.MeterId")
    # Leading zeros are significant: the number is kept exactly as sent, only trimmed.
    meter.number = _required(meter.number, f"{where}.Number")
    if meter.zones not in (1, 2, 3):
        raise ValidationError(msg.BAD_ZONES.format(field=f"{where}.Zones"), f"{where}.Zones")
    if meter.capacity is None or not 1 <= meter.capacity <= 12:
        raise ValidationError(msg.BAD_CAPACITY.format(field=f"{where}.Capacity"),
                              f"{where}.Capacity")
    if meter.transformation_ratio is not None and meter.transformation_ratio <= 0:
        raise ValidationError(msg.BAD_RATIO.format(field=f"{where}.TransformationRatio"),
                              f"{where}.TransformationRatio")


def _check_accounted(meter: MeterData, kind: str, rules, where: str) -> None:
    """The billing's readings pass the format, zone and capacity checks (SPEC.md)."""
    reading = meter.last_reading
    if reading is None:
        return
    _required(reading.source, f"{where}.LastReading.Source")
    if reading.reading_date is None:
        raise ValidationError(msg.REQUIRED_FIELD.format(field=f"{where}.LastReading.ReadingDate"),
                              f"{where}.LastReading.ReadingDate")
    facts = MeterFacts(0, kind, meter.number, meter.zones, meter.capacity)
    verdict = Verdict(values=[None, None, None], reading_date=reading.reading_date)
    check_values(facts, [reading.t1, reading.t2, reading.t3], rules, verdict)
    if verdict.errors:
        raise ValidationError(f"{where}.LastReading: " + "; ".join(verdict.errors),
                              f"{where}.LastReading")


def _ensure_unique(session: Session, data: OrganizationData) -> None:
    email = normalize_email(data.contact_person.email)
    if session.scalar(select(ContactPerson.id).where(ContactPerson.email_normalized == email)):
        raise Conflict(msg.EMAIL_TAKEN.format(email=data.contact_person.email),
                       "ContactPerson.Email")
    if data.contract_number and session.scalar(select(Organization.id).where(
            Organization.contract_number == data.contract_number)):
        raise Conflict(msg.CONTRACT_TAKEN.format(number=data.contract_number), "ContractNumber")
    ids = [("OrganizationId", Organization.billing_id, [data.billing_id]),
           ("HouseId", House.billing_id, [h.billing_id for h in data.houses]),
           ("Account.Number", PersonalAccount.number,
            [a.number for h in data.houses for a in h.accounts]),
           ("MeterId", Meter.billing_id,
            [m.billing_id for h in data.houses
             for m in [*h.common_house_meters, *(m for a in h.accounts for m in a.meters)]])]
    for name, column, values in ids:
        seen: set[str] = set()
        for value in values:
            if value in seen:
                raise Conflict(msg.ID_TAKEN.format(field=name, value=value), name)
            seen.add(value)
        for chunk_start in range(0, len(values), 500):
            taken = session.scalars(select(column).where(
                column.in_(values[chunk_start:chunk_start + 500]))).first()
            if taken is not None:
                raise Conflict(msg.ID_TAKEN.format(field=name, value=taken), name)


def _add_meter(session: Session, core: Core, house: House, account: PersonalAccount | None,
               data: MeterData, kind: str) -> Meter:
    meter = Meter(billing_id=data.billing_id, kind=kind, house=house, account=account,
                  number=data.number, zones=data.zones, capacity=data.capacity,
                  transformation_ratio=data.transformation_ratio or Decimal(1),
                  verification_due=data.verification_due)
    session.add(meter)
    if data.last_reading is not None:
        r = data.last_reading
        reading = Reading(meter=meter, reading_date=r.reading_date,
                          period=r.reading_date.replace(day=1), t1=r.t1, t2=r.t2, t3=r.t3,
                          source=r.source.strip(), channel=CHANNEL_BILLING, is_current=False,
                          submitted_at=core.clock.now())
        session.add(reading)
        meter.last_accounted_reading = reading
    return meter


def register_organization(core: Core, client_id: int, request_id: str,
                          data: OrganizationData) -> dict:
    """Register an organization with its contact person and houses; send the activation mail.

    Returns {'organization_id', 'login', 'activation_sent'}. Raises ValidationError (a field
    breaks a rule), Conflict (e-mail, contract number or an identifier taken),
    IdempotencyConflict (request id reused with another body). The mail goes to the outbox in
    the same transaction, so registration commits even when the mail server is down.
    """
    validate_organization(data)

    def work(uow: UnitOfWork) -> dict:
        session = uow.session
        rules = load_rules(session)
        for h, house in enumerate(data.houses, 1):
            for a, account in enumerate(house.accounts, 1):
                for m, meter in enumerate(account.meters, 1):
                    _check_accounted(meter, INDIVIDUAL, rules,
                                     f"Houses[{h}].Accounts[{a}].Meters[{m}]")
            for m, meter in enumerate(house.common_house_meters, 1):
                _check_accounted(meter, COMMON_HOUSE, rules, f"Houses[{h}].CommonHouseMeters[{m}]")
        _ensure_unique(session, data)
        now = core.clock.now()
        organization = Organization(
            billing_id=data.billing_id, full_name=data.full_name, short_name=data.short_name,
            org_type=data.org_type, inn=data.inn, kpp=data.kpp, ogrn=data.ogrn,
            contract_number=data.contract_number, is_active=True, created_at=now)
        person = ContactPerson(
            organization=organization, full_name=data.contact_person.full_name,
            mobile_phone=(data.contact_person.mobile_phone or "").strip() or None,
            email=data.contact_person.email,
            email_normalized=normalize_email(data.contact_person.email), created_at=now)
        session.add_all([organization, person])
        for house_data in data.houses:
            house = House(organization=organization, billing_id=house_data.billing_id,
                          settlement=house_data.settlement, street=house_data.street,
                          house_number=house_data.house_number)
            session.add(house)
            for account_data in house_data.accounts:
                account = PersonalAccount(
                    house=house, number=account_data.number, apartment=account_data.apartment,
                    consumer_name=account_data.consumer_name,
                    metering_type=account_data.metering_type)
                session.add(account)
                for meter_data in account_data.meters:
                    _add_meter(session, core, house, account, meter_data, INDIVIDUAL)
            for meter_data in house_data.common_house_meters:
                _add_meter(session, core, house, None, meter_data, COMMON_HOUSE)
        session.flush()
        token = issue_token(session, core, person, "activation")
        enqueue(session, core.clock, person.email, msg.ACTIVATION_SUBJECT,
                msg.ACTIVATION_BODY.format(name=person.full_name,
                                           organization=organization.short_name,
                                           email=person.email,
                                           hours=core.config.token_lifetime_hours,
                                           link=link_for(core, token)))
        return {"organization_id": organization.billing_id, "login": person.email,
                "activation_sent": True}

    return run_once(core, client_id, request_id, "RegisterOrganization", data, work)


def _meter_data(meter: Meter) -> MeterData:
    last = meter.last_accounted_reading
    return MeterData(
        billing_id=meter.billing_id, number=meter.number, zones=meter.zones,
        capacity=meter.capacity, transformation_ratio=plain_decimal(meter.transformation_ratio),
        verification_due=meter.verification_due,
        last_reading=None if last is None else AccountedReadingData(
            reading_date=last.reading_date, source=last.source, t1=last.t1, t2=last.t2,
            t3=last.t3))


def get_organization(core: Core, billing_id: str) -> OrganizationData:
    """Read an organization back with its served houses, accounts and current meters.

    Raises NotFound.
    """
    with core.uow() as uow:
        organization = uow.session.scalars(
            select(Organization).where(Organization.billing_id == billing_id)
            .options(selectinload(Organization.houses).selectinload(House.accounts)
                     .selectinload(PersonalAccount.meters)
                     .selectinload(Meter.last_accounted_reading),
                     selectinload(Organization.houses).selectinload(House.meters)
                     .selectinload(Meter.last_accounted_reading),
                     selectinload(Organization.contact_person))).first()
        if organization is None:
            raise NotFound(msg.ORGANIZATION_NOT_FOUND.format(id=billing_id), "OrganizationId")
        person = organization.contact_person
        return OrganizationData(
            billing_id=organization.billing_id, full_name=organization.full_name,
            short_name=organization.short_name, org_type=organization.org_type,
            inn=organization.inn, kpp=organization.kpp, ogrn=organization.ogrn,
            contract_number=organization.contract_number, is_active=organization.is_active,
            contact_person=ContactPersonData(person.full_name, person.email, person.mobile_phone),
            houses=[HouseData(
                billing_id=h.billing_id, settlement=h.settlement, street=h.street,
                house_number=h.house_number,
                accounts=[AccountData(
                    number=a.number, apartment=a.apartment, consumer_name=a.consumer_name,
                    metering_type=a.metering_type,
                    meters=[_meter_data(m) for m in a.meters if m.archived_at is None])
                    for a in h.accounts if a.removed_at is None],
                common_house_meters=[_meter_data(m) for m in h.meters
                                     if m.kind == COMMON_HOUSE and m.archived_at is None])
                for h in organization.houses if h.removed_at is None])


@dataclass(frozen=True)
class HouseLine:
    """A row of the main page's houses table (SPEC.md item 2)."""

    house_id: int
    address: str
    individual_meters: int
    common_house_meters: int


@dataclass(frozen=True)
class Overview:
    """What the main page shows of the organization and its contact person."""

    full_name: str
    short_name: str
    org_type: str
    inn: str
    kpp: str | None
    ogrn: str | None
    contract_number: str | None
    person_name: str
    person_phone: str | None
    person_email: str
    houses: list[HouseLine]


def served_houses(session: Session, organization_id: int) -> list[House]:
    """The organization's houses not removed by the billing, in address order."""
    return list(session.scalars(
        select(House).where(House.organization_id == organization_id, House.removed_at.is_(None))
        .order_by(House.settlement, House.street, House.house_number, House.id)))


def overview(core: Core, person_id: int) -> Overview:
    """The main page's data for the signed-in contact person (SPEC.md item 2)."""
    with core.uow() as uow:
        session = uow.session
        person = session.get(ContactPerson, person_id)
        organization = person.organization
        houses = served_houses(session, organization.id)
        counts = {(house_id, kind): n for house_id, kind, n in session.execute(
            select(Meter.house_id, Meter.kind, func.count())
            .where(Meter.house_id.in_([h.id for h in houses]), Meter.archived_at.is_(None))
            .group_by(Meter.house_id, Meter.kind))}
        return Overview(
            full_name=organization.full_name, short_name=organization.short_name,
            org_type=organization.org_type, inn=organization.inn, kpp=organization.kpp,
            ogrn=organization.ogrn, contract_number=organization.contract_number,
            person_name=person.full_name, person_phone=person.mobile_phone,
            person_email=person.email,
            houses=[HouseLine(h.id, h.address, counts.get((h.id, INDIVIDUAL), 0),
                              counts.get((h.id, COMMON_HOUSE), 0)) for h in houses])
