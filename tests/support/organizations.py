"""The invented organizations the tests register: the story's one house with meters of 1, 2 and 3
zones and a common-house meter, as the billing's RegisterOrganization payload."""
from __future__ import annotations

import datetime as dt

# The meters' last accounted readings.
LAST_DATE = dt.date(2026, 2, 20)
# The date typed into the files: inside the default period, not after the tests' today.
READING_DATE = dt.date(2026, 3, 18)


def meter(meter_id, number, zones, last, capacity=6, ratio=None, verification_due=None):
    values = {f"T{i + 1}": v for i, v in enumerate(last)}
    return {"MeterId": meter_id, "Number": number, "Zones": zones, "Capacity": capacity,
            "TransformationRatio": ratio, "VerificationDue": verification_due,
            "LastReading": {"ReadingDate": LAST_DATE, "Source": "Абонент", **values}}


def story_organization(org_id="ORG-1", email="contact@uk-test.example", contract="Д-1"):
    """An invented organization with one house: meters of 1, 2 and 3 zones and one common-house."""
    accounts = [
        ("100001", "1", meter("M-A", "00215090", 1, ["1000"])),
        ("100002", "2", meter("M-B", "066823", 2, ["500", "300"])),
        ("100003", "3", meter("M-C", "00300001", 1, ["2000"])),
        ("100004", "4", meter("M-D", "00300002", 3, ["5", "10", "15"])),
        ("100005", "5", meter("M-F", "00300003", 1, ["100"])),
    ]
    return {
        "OrganizationId": org_id,
        "FullName": "Общество с ограниченной ответственностью «Управляющая компания «Тестовая»",
        "ShortName": "ООО «УК «Тестовая»", "Type": "Управляющая компания",
        "Inn": "7700000023", "Kpp": "770001002", "Ogrn": "1027700000002",
        "ContractNumber": contract,
        "ContactPerson": {"FullName": "Тестова Ирина Олеговна", "Email": email,
                          "MobilePhone": "+7 900 000-00-02"},
        "Houses": {"House": [{
            "HouseId": f"{org_id}-H1", "Settlement": "Москва г.", "Street": "Вавилова ул.",
            "HouseNumber": "45",
            "Accounts": {"Account": [
                {"Number": f"{org_id}-{n}" if org_id != "ORG-1" else n, "Apartment": apt,
                 "ConsumerName": "Абонент Тестовый",
                 "Meters": {"Meter": [dict(m, MeterId=f"{org_id}-{m['MeterId']}")]}}
                for n, apt, m in accounts]},
            "CommonHouseMeters": {"Meter": [dict(meter("M-E", "7700123", 2, ["100", "50"],
                                                       ratio="40"), MeterId=f"{org_id}-M-E")]},
        }]},
    }
