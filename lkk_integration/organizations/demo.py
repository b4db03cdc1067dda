"""Demo data: the manual's houses with invented people, meters and readings.

Everything here is invented: names, phones, e-mails, requisites, meter numbers. The names,
addresses and requisites are data, not the product's texts: they are in demo.json next to this
module; the meters and readings are drawn from a seeded random generator.
"""
from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from importlib import resources

from sqlalchemy import select

from lkk_integration.clock import moscow_today
from lkk_integration.core import Core
from lkk_integration.models import ContactPerson
from lkk_integration.organizations.clients import create_client
from lkk_integration.organizations.payloads import (AccountData, AccountedReadingData,
                                                    ContactPersonData, HouseData, MeterData,
                                                    OrganizationData)
from lkk_integration.organizations.registry import register_organization
from lkk_integration.readings.rules import save_rules
from lkk_integration.signin.contact_persons import issue_token, set_password_by_token

DEMO_EMAIL = "demo@example.org"
DEMO_PASSWORD = "Demo2026pass"
DEMO_ADMIN = "admin@example.org"
DEMO_ADMIN_PASSWORD = "Admin2026demo"
DEMO_CLIENT = "demo-billing"


def _demo_data() -> dict:
    """demo.json: the organization's requisites and contact person, the houses (id, address,
    how many individual and common-house meters), the consumers' surnames and initials, and
    the sources of the last accounted readings."""
    text = resources.files(__package__).joinpath("demo.json").read_text(encoding="utf-8")
    return json.loads(text)


def demo_organization(today: dt.date, seed: int = 2014) -> OrganizationData:
    """The demo organization with the manual's four houses; deterministic for a seed."""
    data = _demo_data()
    surnames, initials = data["surnames"], data["initials"]
    sources = data["last_reading_source"]
    rng = random.Random(seed)
    last_date = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=20)
    serial = 215090

    def meter(prefix: str, zones: int, common: bool = False) -> MeterData:
        nonlocal serial
        serial += rng.randint(1, 97)
        number = f"{serial:08d}" if rng.random() < 0.6 else f"{serial}"
        capacity = 6 if common else rng.choice([5, 6])
        values = [Decimal(rng.randint(1000, 40000)) + Decimal(rng.randint(0, 99)) / 100
                  for _ in range(zones)] + [None] * (3 - zones)
        return MeterData(
            billing_id=f"{prefix}-M{serial}", number=number, zones=zones, capacity=capacity,
            transformation_ratio=Decimal(rng.choice([20, 40, 80])) if common else None,
            verification_due=dt.date(today.year + rng.randint(1, 8), rng.randint(1, 12), 1),
            last_reading=AccountedReadingData(reading_date=last_date,
                                              source=sources["common_house" if common
                                                             else "individual"],
                                              t1=values[0], t2=values[1], t3=values[2]))

    houses = []
    account_no = 5010000
    for house in data["houses"]:
        house_id, individual = house["billing_id"], house["individual_meters"]
        accounts = []
        apartment = 0
        made = 0
        while made < individual:
            apartment += 1
            # кв. 1 is a communal flat: two accounts (the manual's Рис. 24).
            for _ in range(2 if apartment == 1 else 1):
                if made >= individual:
                    break
                account_no += 1
                zones = rng.choice([1, 1, 2, 2, 3])
                accounts.append(AccountData(
                    number=str(account_no), apartment=str(apartment),
                    consumer_name=f"{rng.choice(surnames)} {rng.choice(initials)}",
                    meters=[meter(house_id, zones)]))
                made += 1
        houses.append(HouseData(
            billing_id=house_id, settlement=house["settlement"], street=house["street"],
            house_number=house["house_number"], accounts=accounts,
            common_house_meters=[meter(house_id, 2, common=True)
                                 for _ in range(house["common_house_meters"])]))
    organization = data["organization"]
    return OrganizationData(
        **{key: value for key, value in organization.items() if key != "contact_person"},
        contact_person=ContactPersonData(email=DEMO_EMAIL, **organization["contact_person"]),
        houses=houses)


def load_demo(core: Core) -> dict[str, str]:
    """Fill an empty database with the demo; returns the login, password, SOAP client, secret.

    The submission period is set around today so that the demo can take readings at once, the
    common-house meters' own days (docs/spec.md §5.2) too, a little shorter.
    """
    today = moscow_today(core.clock)
    with core.uow() as uow:
        save_rules(uow.session, period_start_day=max(1, today.day - 3),
                   period_end_day=min(31, today.day + 5),
                   common_house_start_day=max(1, today.day - 1),
                   common_house_end_day=min(31, today.day + 5),
                   common_house_last_reading_day=min(31, today.day + 4))
        uow.commit()
    client_id, secret = create_client(core, DEMO_CLIENT)
    register_organization(core, client_id, "demo-registration", demo_organization(today))
    with core.uow() as uow:
        person = uow.session.scalars(select(ContactPerson).where(
            ContactPerson.email_normalized == DEMO_EMAIL)).one()
        token = issue_token(uow.session, core, person, "activation")
        uow.commit()
    set_password_by_token(core, token, DEMO_PASSWORD, DEMO_PASSWORD)
    from lkk_integration.signin.administrators import create_admin

    create_admin(core, DEMO_ADMIN, DEMO_ADMIN_PASSWORD, DEMO_ADMIN_PASSWORD)
    return {"login": DEMO_EMAIL, "password": DEMO_PASSWORD, "client": DEMO_CLIENT,
            "secret": secret, "admin": DEMO_ADMIN, "admin_password": DEMO_ADMIN_PASSWORD}
