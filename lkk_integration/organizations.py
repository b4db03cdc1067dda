"""Organizations, their contact persons, houses, accounts and meters: what the billing pushes in
over SOAP and what the cabinet shows (SPEC.md glossary, "SOAP integration service", item 2)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from . import messages as msg
from .accounts import end_sessions, issue_token, link_for, normalize_email
from .core import Core
from .db import UnitOfWork, plain_decimal
from .errors import Conflict, NotFound
from .houses import find_organization, write_houses
from .idempotency import run_once
from .models import (COMMON_HOUSE, INDIVIDUAL, ContactPerson, House, Meter, Organization,
                     PersonalAccount)
from .outbox import enqueue
from .payloads import (AccountData, AccountedReadingData, ContactPersonData, HouseData, MeterData,
                       OrganizationData, RequisitesData, validate_contact, validate_organization,
                       validate_requisites)

def _ensure_unique(session: Session, data: OrganizationData) -> None:
    """A new organization's e-mail, contract number and identifiers must all be free."""
    email = normalize_email(data.contact_person.email)
    if session.scalar(select(ContactPerson.id).where(ContactPerson.email_normalized == email)):
        raise Conflict(msg.EMAIL_TAKEN.format(email=data.contact_person.email),
                       "ContactPerson.Email")
    if data.contract_number and session.scalar(select(Organization.id).where(
            Organization.contract_number == data.contract_number)):
        raise Conflict(msg.CONTRACT_TAKEN.format(number=data.contract_number), "ContractNumber")
    if session.scalar(select(Organization.id).where(Organization.billing_id == data.billing_id)):
        raise Conflict(msg.ID_TAKEN.format(field="OrganizationId", value=data.billing_id),
                       "OrganizationId")


def register_organization(core: Core, client_id: int, request_id: str,
                          data: OrganizationData) -> dict:
    """Register an organization with its contact person and houses; send the activation mail.

    Returns {'organization_id', 'login', 'activation_sent'}. Raises ValidationError (a field
    breaks a rule), Conflict (e-mail, contract number or an identifier taken, or a house,
    account or meter that is another organization's),
    IdempotencyConflict (request id reused with another body). The mail goes to the outbox in
    the same transaction, so registration commits even when the mail server is down.
    """
    validate_organization(data)

    def work(uow: UnitOfWork) -> dict:
        session = uow.session
        _ensure_unique(session, data)
        now = core.clock.now()
        organization = Organization(
            billing_id=data.billing_id, full_name=data.full_name, short_name=data.short_name,
            org_type=data.org_type, inn=data.inn, kpp=data.kpp, ogrn=data.ogrn,
            contract_number=data.contract_number, is_active=True, created_at=now)
        person = ContactPerson(
            organization=organization, full_name=data.contact_person.full_name,
            mobile_phone=data.contact_person.mobile_phone, email=data.contact_person.email,
            email_normalized=normalize_email(data.contact_person.email), created_at=now)
        session.add_all([organization, person])
        write_houses(session, core, organization, data.houses, client_id)
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


def update_organization(core: Core, client_id: int, request_id: str, organization_id: str,
                        requisites: RequisitesData | None,
                        contact: ContactPersonData | None) -> dict:
    """Change requisites (None fields stay) and the contact person's data.

    A new login e-mail takes effect at once: the person's sessions end and both the old and
    the new address are told. Raises NotFound, ValidationError, Conflict (e-mail or contract
    number taken), IdempotencyConflict. Returns {'organization_id', 'login'}.
    """
    if requisites is not None:
        validate_requisites(requisites, partial=True)
    if contact is not None:
        validate_contact(contact)

    def work(uow: UnitOfWork) -> dict:
        session = uow.session
        organization = find_organization(session, organization_id)
        person = organization.contact_person
        if requisites is not None:
            if requisites.contract_number and session.scalar(select(Organization.id).where(
                    Organization.contract_number == requisites.contract_number,
                    Organization.id != organization.id)):
                raise Conflict(msg.CONTRACT_TAKEN.format(number=requisites.contract_number),
                               "ContractNumber")
            for attr in ("full_name", "short_name", "org_type", "inn", "kpp", "ogrn",
                         "contract_number"):
                value = getattr(requisites, attr)
                if value is not None:
                    setattr(organization, attr, value)
        if contact is not None:
            person.full_name, person.mobile_phone = contact.full_name, contact.mobile_phone
            new_email = normalize_email(contact.email)
            if new_email != person.email_normalized:
                if session.scalar(select(ContactPerson.id).where(
                        ContactPerson.email_normalized == new_email)):
                    raise Conflict(msg.EMAIL_TAKEN.format(email=contact.email),
                                   "ContactPerson.Email")
                old = person.email
                person.email, person.email_normalized = contact.email, new_email
                end_sessions(session, core, person.id)
                names = dict(name=person.full_name, organization=organization.short_name,
                             old=old, new=contact.email)
                enqueue(session, core.clock, old, msg.EMAIL_CHANGED_SUBJECT,
                        msg.EMAIL_CHANGED_OLD_BODY.format(**names))
                enqueue(session, core.clock, contact.email, msg.EMAIL_CHANGED_SUBJECT,
                        msg.EMAIL_CHANGED_NEW_BODY.format(**names))
            else:
                person.email = contact.email
        return {"organization_id": organization.billing_id, "login": person.email}

    return run_once(core, client_id, request_id, "UpdateOrganization",
                    [organization_id, requisites, contact], work)


def set_organization_active(core: Core, client_id: int, request_id: str, organization_id: str,
                            active: bool) -> dict:
    """Deactivate (no login; sessions end; data stays) or reactivate an organization."""

    def work(uow: UnitOfWork) -> dict:
        organization = find_organization(uow.session, organization_id)
        changed = organization.is_active != active
        organization.is_active = active
        if not active:
            end_sessions(uow.session, core, organization.contact_person.id)
        return {"affected": int(changed)}

    operation = "ReactivateOrganization" if active else "DeactivateOrganization"
    return run_once(core, client_id, request_id, operation, organization_id, work)


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
