"""Demo data: the manual's houses with invented people, meters and readings.

Everything here is invented: names, phones, e-mails, requisites, meter numbers.
"""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select

from lkk_integration.clock import moscow_today
from lkk_integration.core import Core
from lkk_integration.models import ContactPerson
from lkk_integration.organizations.clients import create_client
from lkk_integration.organizations.payloads import (
    AccountData,
    AccountedReadingData,
    ContactPersonData,
    HouseData,
    MeterData,
    OrganizationData,
)
from lkk_integration.organizations.registry import register_organization
from lkk_integration.readings.rules import save_rules
from lkk_integration.signin.contact_persons import issue_token, set_password_by_token

DEMO_EMAIL = "demo@example.org"
DEMO_PASSWORD = "Demo2026pass"
DEMO_ADMIN = "admin@example.org"
DEMO_ADMIN_PASSWORD = "Admin2026demo"
DEMO_CLIENT = "demo-billing"

# (house id, settlement, street, number, individual meters, common-house meters)
HOUSES = [
    ("H-VAV-45", "Москва г.", "Вавилова ул.", "45", 30, 0),
    ("H-LEN-5-2", "Москва г.", "Ленинградский просп.", "5 стр.2", 92, 0),
    ("H-PRF-46-1", "Москва г.", "Профсоюзная ул.", "46 корп.1", 57, 0),
    ("H-KLM-10", "Климовск г.", "Заводская ул.", "10", 24, 2),
]
SURNAMES = ["Березкин", "Ольховский", "Кленова", "Рябинин", "Тополева", "Вязов", "Ивушкина",
            "Дубравин", "Каштанова", "Липатов", "Сосновская", "Ясенев"]
INITIALS = ["А.А.", "Б.В.", "В.Г.", "Г.Д.", "Д.Е.", "Е.Ж.", "З.И.", "И.К."]


def demo_organization(today: dt.date, seed: int = 2014) -> OrganizationData:
    """The demo organization with the manual's four houses; deterministic for a seed."""
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
                                              source="Контрольный обход" if common else "Абонент",
                                              t1=values[0], t2=values[1], t3=values[2]))

    houses = []
    account_no = 5010000
    for house_id, settlement, street, number, individual, common in HOUSES:
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
                    consumer_name=f"{rng.choice(SURNAMES)} {rng.choice(INITIALS)}",
                    meters=[meter(house_id, zones)]))
                made += 1
        houses.append(HouseData(
            billing_id=house_id, settlement=settlement, street=street, house_number=number,
            accounts=accounts,
            common_house_meters=[meter(house_id, 2, common=True) for _ in range(common)]))
    return OrganizationData(
        billing_id="ORG-DEMO-1",
        full_name="Общество с ограниченной ответственностью «Управляющая компания «Демо-Сервис»",
        short_name="ООО «УК «Демо-Сервис»", org_type="Управляющая компания",
        inn="7700000016", kpp="770001001", ogrn="1027700000001", contract_number="ДЕМО-0001",
        contact_person=ContactPersonData(full_name="Демидова Алина Сергеевна",
                                         email=DEMO_EMAIL, mobile_phone="+7 900 000-00-01"),
        houses=houses)


def load_demo(core: Core) -> dict[str, str]:
    """Fill an empty database with the demo; returns the login, password, SOAP client, secret.

    The submission period is set around today so that the demo can take readings at once.
    """
    today = moscow_today(core.clock)
    with core.uow() as uow:
        save_rules(uow.session, period_start_day=max(1, today.day - 3),
                   period_end_day=min(31, today.day + 5))
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
