"""What the billing sends, as plain values, and the checks of its form (docs/spec.md §15).

Adapters build these from their own types; use cases take them. Every check names the field
the way the WSDL does (Houses[2].Accounts[1].Meters[1].Zones) in a Russian message.
"""
from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field
from decimal import Decimal

from lkk_integration import messages as msg
from lkk_integration.errors import Conflict, ValidationError, in_item
from lkk_integration.formats import EMAIL
from lkk_integration.quantities import STORED_FRACTION_DIGITS, fraction_digits
from lkk_integration.text import forbidden_in

MAX_RATIO = Decimal(1_000_000)
PHONE = re.compile(r"\+?[\d\s()\-]{5,30}")


@dataclass
class AccountedReadingData:
    """An accounted reading as the billing sends it (T1..T3 in kWh)."""

    reading_date: dt.date
    source: str
    t1: Decimal | None = None
    t2: Decimal | None = None
    t3: Decimal | None = None

    @property
    def values(self) -> list[Decimal | None]:
        return [self.t1, self.t2, self.t3]


@dataclass
class MeterReadingData(AccountedReadingData):
    """An accounted reading of a named meter (UpdateAccountedReadings)."""

    meter_id: str = ""


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


class Unchanged(enum.Enum):
    """In an update, a field the caller left out: the stored value stays (an explicit empty
    value clears it)."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


@dataclass
class ContactPersonData:
    full_name: str
    email: str
    # UNCHANGED in an update that left MobilePhone out.
    mobile_phone: str | None | Unchanged = None


@dataclass
class RequisitesData:
    """An organization's requisites in an update: UNCHANGED for an element left out; None
    (or empty) for one sent empty or nil, which clears an optional one and is refused for a
    required one (docs/spec.md §15.3)."""

    full_name: str | None | Unchanged = UNCHANGED
    short_name: str | None | Unchanged = UNCHANGED
    org_type: str | None | Unchanged = UNCHANGED
    inn: str | None | Unchanged = UNCHANGED
    kpp: str | None | Unchanged = UNCHANGED
    ogrn: str | None | Unchanged = UNCHANGED
    contract_number: str | None | Unchanged = UNCHANGED


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


@dataclass
class VerdictData:
    """The billing's verdict on a submitted reading."""

    reading_id: int
    accepted: bool
    reason: str | None = None


def _clean(value: str, name: str) -> str:
    codes = forbidden_in(value)
    if codes:
        raise ValidationError(msg.forbidden_in_field(name, codes), name)
    return value


def required(value: object, name: str) -> str:
    """The value trimmed; raises ValidationError «Не заполнено обязательное поле NAME», or for
    control, invisible and direction characters (lkk_integration/text.py)."""
    if value is None or not str(value).strip():
        raise ValidationError(msg.required_field(field=name), name)
    return _clean(str(value).strip(), name)


def optional(value: str | None, name: str = "") -> str | None:
    """The value trimmed, None when empty; refuses the characters `required` refuses."""
    return _clean((value or "").strip(), name) or None


def inn_is_valid(inn: str) -> bool:
    """The check digits of an INN (10 digits: legal entity, 12: individual), by the Federal Tax
    Service's algorithm."""
    def check(digits: str, weights: tuple[int, ...]) -> int:
        return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10

    if len(inn) == 10:
        return check(inn, (2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(inn[9])
    if len(inn) == 12:
        return (check(inn, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(inn[10]) and
                check(inn, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(inn[11]))
    return False


def digits(value: str | None, name: str, lengths: tuple[int, ...], is_required: bool) -> str | None:
    """A requisite of digits of one of `lengths` (INN 10/12, KPP 9, OGRN 13/15)."""
    if value is None or not value.strip():
        if is_required:
            raise ValidationError(msg.required_field(field=name), name)
        return None
    value = value.strip()
    # ASCII digits: «٧٧٠٠…» passes isdigit() and int(), but no register or bill reads it.
    if not (value.isascii() and value.isdigit()) or len(value) not in lengths:
        raise ValidationError(msg.digits_expected(name, lengths), name)
    return value


def validate_requisites(data, partial: bool = False, where: str = "") -> None:
    """Trim and check requisites in place (OrganizationData or RequisitesData); in an update
    (`partial`) a field of UNCHANGED stays so. Fields are named `where` + their WSDL name
    («Requisites.Inn»). Raises ValidationError naming the field."""
    def given(attr: str) -> bool:
        return not (partial and getattr(data, attr) is UNCHANGED)

    for attr, name in (("full_name", "FullName"), ("short_name", "ShortName"),
                       ("org_type", "Type")):
        if given(attr):
            setattr(data, attr, required(getattr(data, attr), f"{where}{name}"))
    if given("inn"):
        data.inn = digits(data.inn, f"{where}Inn", (10, 12), is_required=True)
        if not inn_is_valid(data.inn):
            raise ValidationError(msg.inn_check_digits(f"{where}Inn"), f"{where}Inn")
    if given("kpp"):
        data.kpp = digits(data.kpp, f"{where}Kpp", (9,), is_required=False)
    if given("ogrn"):
        data.ogrn = digits(data.ogrn, f"{where}Ogrn", (13, 15), is_required=False)
    if given("contract_number"):
        data.contract_number = optional(data.contract_number, f"{where}ContractNumber")


def validate_contact(person: ContactPersonData | None, where: str = "ContactPerson",
                     partial: bool = False) -> None:
    """Trim and check a contact person in place; in an update (`partial`) a MobilePhone of
    UNCHANGED stays so. Raises ValidationError naming the field."""
    if person is None:
        raise ValidationError(msg.required_field(field=where), where)
    person.full_name = required(person.full_name, f"{where}.FullName")
    person.email = required(person.email, f"{where}.Email")
    if not EMAIL.fullmatch(person.email):
        raise ValidationError(msg.bad_email(field=f"{where}.Email"), f"{where}.Email")
    if partial and person.mobile_phone is UNCHANGED:
        return
    person.mobile_phone = optional(person.mobile_phone, f"{where}.MobilePhone")
    if person.mobile_phone and not PHONE.fullmatch(person.mobile_phone):
        raise ValidationError(msg.bad_phone(f"{where}.MobilePhone"), f"{where}.MobilePhone")


def validate_meter(meter: MeterData, where: str) -> None:
    meter.billing_id = required(meter.billing_id, f"{where}.MeterId")
    # Leading zeros are significant: the number is kept exactly as sent, only trimmed.
    meter.number = required(meter.number, f"{where}.Number")
    if meter.zones not in (1, 2, 3):
        raise ValidationError(msg.bad_zones(field=f"{where}.Zones"), f"{where}.Zones")
    if meter.capacity is None or not 1 <= meter.capacity <= 12:
        raise ValidationError(msg.bad_capacity(field=f"{where}.Capacity"),
                              f"{where}.Capacity")
    ratio = meter.transformation_ratio
    if ratio is not None and (not ratio.is_finite() or not 0 < ratio <= MAX_RATIO
                              or fraction_digits(ratio) > STORED_FRACTION_DIGITS):
        raise ValidationError(msg.bad_ratio(field=f"{where}.TransformationRatio"),
                              f"{where}.TransformationRatio")
    if meter.last_reading is not None:
        meter.last_reading.source = required(meter.last_reading.source,
                                             f"{where}.LastReading.Source")
        if meter.last_reading.reading_date is None:
            raise ValidationError(
                msg.required_field(field=f"{where}.LastReading.ReadingDate"),
                f"{where}.LastReading.ReadingDate")


def validate_house(house: HouseData, where: str) -> None:
    """Check a house with its accounts and meters; also that no id repeats inside it."""
    for attr, name in (("billing_id", "HouseId"), ("settlement", "Settlement"),
                       ("street", "Street"), ("house_number", "HouseNumber")):
        setattr(house, attr, required(getattr(house, attr), f"{where}.{name}"))
    for a, account in enumerate(house.accounts, 1):
        with in_item(a):
            at = f"{where}.Accounts[{a}]"
            account.number = required(account.number, f"{at}.Number")
            account.apartment = required(account.apartment, f"{at}.Apartment")
            account.consumer_name = optional(account.consumer_name, f"{at}.ConsumerName")
            account.metering_type = optional(account.metering_type, f"{at}.MeteringType")
            numbers: set[str] = set()
            for m, meter in enumerate(account.meters, 1):
                validate_meter(meter, f"{at}.Meters[{m}]")
                if meter.number in numbers:
                    raise Conflict(msg.meter_number_taken(f"{at}.Meters[{m}].Number", meter.number),
                                   f"{at}.Meters[{m}].Number")
                numbers.add(meter.number)
    for m, meter in enumerate(house.common_house_meters, 1):
        with in_item(m):
            validate_meter(meter, f"{where}.CommonHouseMeters[{m}]")


def all_meters(house: HouseData) -> list[MeterData]:
    return [*(m for a in house.accounts for m in a.meters), *house.common_house_meters]


def refuse_repeats(houses: list[HouseData]) -> None:
    """The same HouseId, account Number or MeterId twice in one request is a Conflict."""
    for name, values in (("HouseId", [h.billing_id for h in houses]),
                         ("Account.Number", [a.number for h in houses for a in h.accounts]),
                         ("MeterId", [m.billing_id for h in houses for m in all_meters(h)])):
        seen: set[str] = set()
        for value in values:
            if value in seen:
                raise Conflict(msg.id_taken(field=name, value=value), name)
            seen.add(value)


def validate_organization(data: OrganizationData) -> None:
    """Check requisites, the contact person and the houses tree; raises ValidationError or
    Conflict naming the field."""
    data.billing_id = required(data.billing_id, "OrganizationId")
    validate_requisites(data)
    validate_contact(data.contact_person)
    for h, house in enumerate(data.houses, 1):
        with in_item(h):
            validate_house(house, f"Houses[{h}]")
    refuse_repeats(data.houses)
