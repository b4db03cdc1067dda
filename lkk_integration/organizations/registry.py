"""Organizations, their contact persons, houses, accounts and meters: what the billing pushes in
over SOAP and what the cabinet shows (docs/spec.md §19, §15.3, §2)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import Session, aliased

from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.db import UnitOfWork
from lkk_integration.errors import Conflict, NotFound
from lkk_integration.formats import normalize_email
from lkk_integration.models import (COMMON_HOUSE, INDIVIDUAL, ContactPerson, House, Meter,
                                    Organization, PersonalAccount, Reading)
from lkk_integration.organizations.houses import find_organization, write_houses
from lkk_integration.idempotency import run_once
from lkk_integration.organizations.payloads import (UNCHANGED, AccountData, AccountedReadingData,
                                                    ContactPersonData, HouseData, MeterData,
                                                    OrganizationData, RequisitesData, required,
                                                    validate_contact, validate_organization,
                                                    validate_requisites)
from lkk_integration.outbox import enqueue
from lkk_integration.quantities import plain_decimal
from lkk_integration.signin.contact_persons import issue_token, link_for, move_login
from lkk_integration.signin.api_tokens import revoke_tokens_of
from lkk_integration.signin.sessions import end_sessions
from lkk_integration.text import natural_key


def _ensure_unique(session: Session, data: OrganizationData) -> None:
    """A new organization's e-mail, contract number and identifiers must all be free."""
    email = normalize_email(data.contact_person.email)
    if session.scalar(select(ContactPerson.id).where(ContactPerson.email_normalized == email)):
        raise Conflict(msg.email_taken(email=data.contact_person.email),
                       "ContactPerson.Email")
    if data.contract_number and session.scalar(select(Organization.id).where(
            Organization.contract_number == data.contract_number)):
        raise Conflict(msg.contract_taken(number=data.contract_number), "ContractNumber")
    if session.scalar(select(Organization.id).where(Organization.billing_id == data.billing_id)):
        raise Conflict(msg.id_taken(field="OrganizationId", value=data.billing_id),
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
                msg.activation_body(name=person.full_name,
                                           organization=organization.short_name,
                                           email=person.email,
                                           hours=core.config.token_lifetime_hours,
                                           link=link_for(core, token)))
        uow.audit_subject = {"organization_id": organization.id}
        return {"organization_id": organization.billing_id, "login": person.email,
                "activation_sent": True}

    return run_once(core, client_id, request_id, "RegisterOrganization", data, work)


def update_organization(core: Core, client_id: int, request_id: str, organization_id: str,
                        requisites: RequisitesData | None,
                        contact: ContactPersonData | None) -> dict:
    """Change requisites and the contact person's data: a field of UNCHANGED stays, None clears
    it (refused for a required one).

    A new login e-mail takes effect at once: the person's sessions end and both the old and
    the new address are told. Raises NotFound, ValidationError, Conflict (e-mail or contract
    number taken), IdempotencyConflict. Returns {'organization_id', 'login'}.
    """
    if requisites is not None:
        validate_requisites(requisites, partial=True, where="Requisites.")
    if contact is not None:
        validate_contact(contact, partial=True)

    def work(uow: UnitOfWork) -> dict:
        session = uow.session
        organization = find_organization(session, organization_id)
        person = organization.contact_person
        if requisites is not None:
            number = requisites.contract_number
            if number not in (None, UNCHANGED) and session.scalar(select(Organization.id).where(
                    Organization.contract_number == number, Organization.id != organization.id)):
                raise Conflict(msg.contract_taken(number=number),
                               "Requisites.ContractNumber")
            for attr in ("full_name", "short_name", "org_type", "inn", "kpp", "ogrn",
                         "contract_number"):
                value = getattr(requisites, attr)
                if value is not UNCHANGED:
                    setattr(organization, attr, value)
        if contact is not None:
            person.full_name = contact.full_name
            if contact.mobile_phone is not UNCHANGED:
                person.mobile_phone = contact.mobile_phone
            new_email = normalize_email(contact.email)
            if new_email != person.email_normalized:
                if session.scalar(select(ContactPerson.id).where(
                        ContactPerson.email_normalized == new_email)):
                    raise Conflict(msg.email_taken(email=contact.email),
                                   "ContactPerson.Email")
                move_login(session, core, person, contact.email)
            else:
                person.email = contact.email
        uow.audit_subject = {"organization_id": organization.id, "person_id": person.id}
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
            revoke_tokens_of(uow.session, core, organization.contact_person.id)
        uow.audit_subject = {"organization_id": organization.id}
        return {"affected": int(changed)}

    operation = "ReactivateOrganization" if active else "DeactivateOrganization"
    return run_once(core, client_id, request_id, operation, organization_id, work)


# The statements of get_organization, built once: it is the billing's hottest read, and
# building a select costs more than running it on a small organization. Two statements, each a
# tree read top down with outer joins (a row per leaf, a parent without leaves once): the
# organization with its served houses and their common-house meters, then the houses' accounts
# with their meters. Every statement is a round trip, the largest part of a small call.
_LAST = aliased(Reading)
_METER_COLUMNS = (Meter.billing_id, Meter.number, Meter.zones, Meter.capacity,
                  Meter.transformation_ratio, Meter.verification_due, _LAST.reading_date,
                  _LAST.source, _LAST.t1, _LAST.t2, _LAST.t3)
_ORGANIZATION = (
    select(Organization.id, Organization.billing_id, Organization.full_name,
           Organization.short_name, Organization.org_type, Organization.inn, Organization.kpp,
           Organization.ogrn, Organization.contract_number, Organization.is_active,
           ContactPerson.full_name, ContactPerson.email, ContactPerson.mobile_phone,
           House.id, House.billing_id, House.settlement, House.street, House.house_number,
           *_METER_COLUMNS)
    .join(ContactPerson, ContactPerson.organization_id == Organization.id)
    .outerjoin(House, and_(House.organization_id == Organization.id,
                           House.removed_at.is_(None)))
    .outerjoin(Meter, and_(Meter.house_id == House.id, Meter.kind == COMMON_HOUSE,
                           Meter.archived_at.is_(None)))
    .outerjoin(_LAST, _LAST.id == Meter.last_accounted_reading_id)
    .where(Organization.billing_id == bindparam("billing_id"))
    .order_by(House.id, Meter.id))
_SERVED = (select(House.id).join(Organization, Organization.id == House.organization_id)
           .where(Organization.billing_id == bindparam("billing_id"),
                  House.removed_at.is_(None)).scalar_subquery())
_ACCOUNTS = (
    select(PersonalAccount.id, PersonalAccount.house_id, PersonalAccount.number,
           PersonalAccount.apartment, PersonalAccount.consumer_name,
           PersonalAccount.metering_type, *_METER_COLUMNS)
    .outerjoin(Meter, and_(Meter.personal_account_id == PersonalAccount.id,
                           Meter.house_id == PersonalAccount.house_id,
                           Meter.archived_at.is_(None)))
    .outerjoin(_LAST, _LAST.id == Meter.last_accounted_reading_id)
    .where(PersonalAccount.house_id.in_(_SERVED), PersonalAccount.removed_at.is_(None))
    .order_by(PersonalAccount.id, Meter.id))


def _meter(row, at: int) -> MeterData | None:
    """The meter in `row`'s _METER_COLUMNS from index `at`; None where the outer join found
    none."""
    (meter_id, number, zones, capacity, ratio, due, reading_date, source, t1, t2,
     t3) = row[at:at + 11]
    if meter_id is None:
        return None
    return MeterData(
        billing_id=meter_id, number=number, zones=zones, capacity=capacity,
        transformation_ratio=plain_decimal(ratio), verification_due=due,
        last_reading=None if reading_date is None else AccountedReadingData(
            reading_date=reading_date, source=source, t1=t1, t2=t2, t3=t3))


def organization_reads(billing_id: str) -> list[tuple]:
    """The reads of get_organization, [(statement, parameters)]: the SOAP gateway sends them
    with the call's admission (one round trip on PostgreSQL)."""
    params = {"billing_id": billing_id}
    return [(_ORGANIZATION, params), (_ACCOUNTS, params)]


def get_organization(core: Core, billing_id: str) -> OrganizationData:
    """Read an organization back with its served houses, accounts and current meters.

    Two set-wise queries of plain columns whatever the size, in autocommit, sent together
    (Core.read_all: one round trip on PostgreSQL, none of its own when the gateway read them
    with the call's admission). Raises NotFound.
    """
    billing_id = required(billing_id, "OrganizationId")
    tree, accounts = core.read_all(organization_reads(billing_id))
    if not tree:
        raise NotFound(msg.organization_not_found(billing_id), "OrganizationId")
    accounts_of: dict[int, list[AccountData]] = {}
    last_account = None
    for row in accounts:
        if row[0] != last_account:
            last_account = row[0]
            account = AccountData(number=row[2], apartment=row[3], consumer_name=row[4],
                                  metering_type=row[5], meters=[])
            accounts_of.setdefault(row[1], []).append(account)
        meter = _meter(row, 6)
        if meter is not None:
            account.meters.append(meter)
    houses: list[HouseData] = []
    last_house = None
    for row in tree:
        if row[13] is None:  # no house served
            continue
        if row[13] != last_house:
            last_house = row[13]
            house = HouseData(billing_id=row[14], settlement=row[15], street=row[16],
                              house_number=row[17], accounts=accounts_of.get(row[13], []),
                              common_house_meters=[])
            houses.append(house)
        meter = _meter(row, 18)
        if meter is not None:
            house.common_house_meters.append(meter)
    (_id, org_id, full_name, short_name, org_type, inn, kpp, ogrn, contract, active,
     person_name, email, phone) = tree[0][:13]
    return OrganizationData(
        billing_id=org_id, full_name=full_name, short_name=short_name, org_type=org_type,
        inn=inn, kpp=kpp, ogrn=ogrn, contract_number=contract, is_active=active,
        contact_person=ContactPersonData(person_name, email, phone), houses=houses)


@dataclass(frozen=True)
class HouseLine:
    """A row of the main page's houses table (docs/spec.md §2)."""

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


def require_served_houses(core: Core, organization_id: int, house_ids: list[int]) -> None:
    """Raise NotFound unless every id names a house the organization serves."""
    with core.uow() as uow:
        served = {h.id for h in served_houses(uow.session, organization_id)}
    if not set(house_ids) <= served:
        raise NotFound(msg.PAGE_NOT_FOUND, "house")


def served_houses(session: Session, organization_id: int) -> list[House]:
    """The organization's houses not removed by the billing, in natural address order
    (settlement, street, house number: «д. 2» before «д. 10», text.natural_key)."""
    houses = list(session.scalars(
        select(House).where(House.organization_id == organization_id, House.removed_at.is_(None))))
    houses.sort(key=lambda h: (natural_key(h.settlement), natural_key(h.street),
                               natural_key(h.house_number), h.id))
    return houses


@dataclass(frozen=True)
class HouseChoice:
    """A served house as the template's dialog lists it (docs/spec.md §9)."""

    id: int
    address: str
    meters: int  # its meters not archived, individual and common-house: the template's rows
    ticked: bool  # ticked when the dialog opens


def template_houses(core: Core, organization_id: int,
                    chosen: int | None = None) -> list[HouseChoice]:
    """The organization's served houses with their meter counts, for the template's dialog:
    one query (a GROUP BY over the meters), in natural order of settlement, street and house
    number («д. 2» before «д. 10», text.natural_key). A house without meters counts 0.

    Ticked (docs/spec.md §9): the `chosen` house when it is one of them (the house page's
    link), else the only house of an organization serving one, else none; an unknown or
    foreign `chosen` id ticks nothing."""
    with core.uow() as uow:
        found = uow.session.execute(
            select(House.id, House.settlement, House.street, House.house_number,
                   func.count(Meter.id))
            .outerjoin(Meter, (Meter.house_id == House.id) & Meter.archived_at.is_(None))
            .where(House.organization_id == organization_id, House.removed_at.is_(None))
            .group_by(House.id, House.settlement, House.street, House.house_number)).all()
    found.sort(key=lambda h: (natural_key(h[1]), natural_key(h[2]), natural_key(h[3]), h[0]))
    if not any(h[0] == chosen for h in found):
        chosen = found[0][0] if len(found) == 1 else None
    return [HouseChoice(id=house_id, meters=meters, ticked=house_id == chosen,
                        address=msg.house_address(settlement, street, number))
            for house_id, settlement, street, number, meters in found]


def organizations_with_logins(core: Core) -> list[tuple[Organization, str | None]]:
    """Every organization with its contact person's login e-mail (None without one), by short
    name: the administrators' list. The objects are detached, for reading only."""
    with core.uow() as uow:
        return [tuple(row) for row in uow.session.execute(
            select(Organization, ContactPerson.email)
            .outerjoin(ContactPerson, ContactPerson.organization_id == Organization.id)
            .order_by(Organization.short_name))]


def organization_and_person(core: Core,
                            organization_id: int) -> tuple[Organization, ContactPerson | None]:
    """An organization by its id in this service, with its contact person (None without one):
    the administrators' card. Raises NotFound for an unknown id. The objects are detached, for
    reading only."""
    with core.uow() as uow:
        found = uow.session.get(Organization, organization_id)
        if found is None:
            raise NotFound(msg.PAGE_NOT_FOUND, "organization")
        person = uow.session.scalars(select(ContactPerson).where(
            ContactPerson.organization_id == organization_id)).first()
    return found, person


def meter_ids_numbered(core: Core, number: str) -> list[int]:
    """The ids of the meters with this number (as people see it, «00215090»), in any
    organization, archived ones too; at most the column's 50 characters are compared."""
    with core.uow() as uow:
        return list(uow.session.scalars(select(Meter.id).where(Meter.number == number[:50])))


def overview(core: Core, person_id: int) -> Overview:
    """The main page's data for the signed-in contact person (docs/spec.md §2)."""
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
