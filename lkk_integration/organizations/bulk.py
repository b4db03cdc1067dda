"""The large demo organization: 20,000 meters in 79 houses, as the period's last evening has them.

Invented houses on eight streets, numbered 1, 2, … 10 on each; one individual meter per account,
METERS_PER_HOUSE a house; each meter's last accounted reading on the 20th of the month before
today. Everything is written set-based (Core inserts), so 20,224 meters take seconds. Used by
`lkk demo-large`, bench/spreadsheets.py, bench/pages.py and tests/support/bulk.py. Every name,
number and e-mail is invented; the names and addresses are data, in large.json next to this
module (as the demo's are in demo.json).
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from importlib import resources
from typing import NamedTuple

from sqlalchemy import func, insert, select, update

from lkk_integration.clock import moscow_today
from lkk_integration.core import Core
from lkk_integration.models import (CHANNEL_BILLING, INDIVIDUAL, ContactPerson, House, Meter,
                                    PersonalAccount, Reading)
from lkk_integration.organizations.clients import create_client
from lkk_integration.organizations.payloads import ContactPersonData, OrganizationData
from lkk_integration.organizations.registry import register_organization
from lkk_integration.signin.contact_persons import issue_token, set_password_by_token

METERS_PER_HOUSE = 256
LARGE_HOUSES = 79                          # 79 × 256 = 20,224 meters
LARGE_EMAIL, LARGE_PASSWORD = "large@example.org", "Large2026pass"
_DATA = json.loads(resources.files(__package__).joinpath("large.json").read_text(encoding="utf-8"))
STREETS: list[str] = _DATA["streets"]


class BulkOrganization(NamedTuple):
    organization_id: int
    person_id: int
    house_ids: list[int]


def zones_of(i: int) -> int:
    """Meter i's zones: one-, two- and three-zone meters mixed, as in a real house."""
    return (1, 2, 1, 3, 2)[i % 5]


def meter_number(i: int) -> str:
    """Meter i's number (0-based): 00000001, 00000002, …"""
    return f"{i + 1:08d}"


def last_values(i: int, zones: int) -> list[Decimal | None]:
    """The last accounted T1..T3 of meter i (kWh): quarters, so at most two fraction digits."""
    return [Decimal(4000 + (i * 7 + k * 131) % 360_000) / 4 if k < zones else None
            for k in range(3)]


def new_values(i: int, zones: int) -> list[float | None]:
    """What a person types for meter i (kWh): a little more than the last, well under the
    ceiling of docs/spec.md §10's checks."""
    return [float(v + Decimal(5 + (i + k) % 150) + Decimal("0.5")) if v is not None else None
            for k, v in enumerate(last_values(i, zones))]


def bulk_organization(core: Core, meters: int, per_house: int = METERS_PER_HOUSE, *,
                      email: str = LARGE_EMAIL, password: str = LARGE_PASSWORD,
                      client: str = "large-billing", prefix: str = "BL",
                      inn: str = "7700000993") -> BulkOrganization:
    """An organization with `meters` individual meters (one account each, `per_house` a house,
    apartments 1…per_house) and their last accounted readings, written set-based; its contact
    person signs in with (email, password). `prefix` starts every billing id (unique per
    database), `client` is the SOAP client that registers it (created here).
    """
    client_id, _secret = create_client(core, client)
    names = _DATA["organization"]
    register_organization(core, client_id, f"{client}-registration", OrganizationData(
        billing_id=f"ORG-{prefix}", full_name=names["full_name"],
        short_name=names["short_name"], org_type=names["org_type"], inn=inn,
        contact_person=ContactPersonData(names["contact_person"], email), houses=[]))
    with core.uow() as uow:
        person = uow.session.scalars(select(ContactPerson).where(
            ContactPerson.email_normalized == email.lower())).one()
        organization_id, person_id = person.organization_id, person.id
        token = issue_token(uow.session, core, person, "activation")
        uow.commit()
    set_password_by_token(core, token, password, password)
    now = core.clock.now()
    last_date = (moscow_today(core.clock).replace(day=1) - dt.timedelta(days=1)).replace(day=20)
    houses = (meters + per_house - 1) // per_house
    with core.engine.begin() as c:
        c.execute(insert(House), [dict(
            organization_id=organization_id, billing_id=f"{prefix}-H{h}",
            settlement=_DATA["settlement"], street=STREETS[h % len(STREETS)],
            house_number=str(h // len(STREETS) + 1))
            for h in range(houses)])
        house_ids = dict(c.execute(select(House.billing_id, House.id).where(
            House.organization_id == organization_id)).all())
        c.execute(insert(PersonalAccount), [dict(
            house_id=house_ids[f"{prefix}-H{i // per_house}"], number=f"{70_000_000 + i}",
            apartment=str(i % per_house + 1), consumer_name=_DATA["consumer_name"])
            for i in range(meters)])
        account_ids = dict(c.execute(select(PersonalAccount.number, PersonalAccount.id).join(
            House).where(House.organization_id == organization_id)).all())
        c.execute(insert(Meter), [dict(
            billing_id=f"{prefix}-M{i}", kind=INDIVIDUAL,
            house_id=house_ids[f"{prefix}-H{i // per_house}"],
            personal_account_id=account_ids[f"{70_000_000 + i}"], number=meter_number(i),
            zones=zones_of(i), capacity=6, transformation_ratio=Decimal(1))
            for i in range(meters)])
        meter_ids = dict(c.execute(select(Meter.billing_id, Meter.id).where(
            Meter.billing_id.like(f"{prefix}-M%"))).all())
        readings = []
        for i in range(meters):
            t1, t2, t3 = last_values(i, zones_of(i))
            readings.append(dict(meter_id=meter_ids[f"{prefix}-M{i}"], reading_date=last_date,
                                 period=last_date.replace(day=1), t1=t1, t2=t2, t3=t3,
                                 source=_DATA["last_reading_source"],
                                 channel=CHANNEL_BILLING, is_current=False,
                                 submitted_by_client_id=client_id, submitted_at=now))
        c.execute(insert(Reading), readings)
        last = (select(func.max(Reading.id)).where(Reading.meter_id == Meter.id,
                                                   Reading.channel == CHANNEL_BILLING)
                .scalar_subquery())
        c.execute(update(Meter).where(Meter.billing_id.like(f"{prefix}-M%"))
                  .values(last_accounted_reading_id=last))
    return BulkOrganization(organization_id, person_id, list(house_ids.values()))


def typed_values(meters: int, filled: int,
                 wrong_every: int = 16) -> dict[str, list[float | None]]:
    """What a person types into the large organization's template on the last evening: meter
    number → T1..T3 (kWh) for `filled` of its `meters` meters (the others left out, spread over
    every house); every `wrong_every`-th typed meter, in number order, has a mistake the checks
    refuse (docs/spec.md §10): alternately a value under the last one and three decimals.
    For spreadsheets.sample.fill_template."""
    typed: dict[str, list[float | None]] = {}
    for i in range(meters):
        # A permutation of 0…meters-1 when 7919 and `meters` are coprime (20,224 = 2⁸·79): the
        # lowest (meters − filled) of it are the meters nobody read this month.
        if (i * 7919) % meters < meters - filled:
            continue
        values = new_values(i, zones_of(i))
        if len(typed) % wrong_every == 3:
            values[0] = (float(last_values(i, 1)[0] - 100) if len(typed) // wrong_every % 2
                         else values[0] + 0.125)
        typed[meter_number(i)] = values
    return typed
