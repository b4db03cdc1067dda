"""SOAP types of the integration service, separate from the ORM models (README, Conventions 4)."""
from __future__ import annotations

import datetime as dt

from lxml import etree
from spyne import Array as SpyneArray
from spyne import Boolean, ComplexModel, DateTime, Integer32, Long, Unicode
from spyne import Date as SpyneDate
from spyne.model.primitive import Decimal as SpyneDecimal

NS = "http://lkk-oo.example/integration/v1"

# Plain xs:decimal: '12000', never '1.2E+4' or '0E-10' (docs/spec.md §15.10).
# (spyne 2.14 writes totalDigits as "18.000000", which lxml refuses; the core checks the
# digits.)
Kwh = SpyneDecimal(str_format="{0:f}")


# xs:int, not xs:integer: .NET's XmlSerializer maps xs:integer to a string.
Integer = Integer32
# Four-digit years only: spyne cannot read year 10000, and no reading is dated so.
Date = SpyneDate(ge=dt.date(1900, 1, 1), le=dt.date(2999, 12, 31))


def Array(item):  # noqa: N802 - reads like spyne's Array
    """An array whose items may not be xsi:nil (a nil item is a Client fault, not a crash)."""
    return SpyneArray(item.customize(nillable=False))


def required(model, **kwargs):
    """A field the caller must send: minOccurs=1, not nillable."""
    return model.customize(min_occurs=1, nillable=False, **kwargs)


class Base(ComplexModel):
    __namespace__ = NS


class AccountedReading(Base):
    """Last accounted reading of a meter as the billing has it."""

    _type_info = [
        ("ReadingDate", required(Date)),
        ("T1", Kwh),
        ("T2", Kwh),
        ("T3", Kwh),
        ("Source", required(Unicode, max_len=100)),
    ]


class Meter(Base):
    _type_info = [
        ("MeterId", required(Unicode, max_len=64)),
        ("Number", required(Unicode, max_len=50)),
        ("Zones", required(Integer, ge=1, le=3)),
        ("Capacity", required(Integer, ge=1, le=12)),
        ("TransformationRatio", Kwh),
        ("VerificationDue", Date),
        ("LastReading", AccountedReading),
    ]


class Account(Base):
    _type_info = [
        ("Number", required(Unicode, max_len=30)),
        ("Apartment", required(Unicode, max_len=20)),
        ("ConsumerName", Unicode(max_len=300)),
        ("MeteringType", Unicode(max_len=100)),
        ("Meters", Array(Meter)),
    ]


class House(Base):
    _type_info = [
        ("HouseId", required(Unicode, max_len=64)),
        ("Settlement", required(Unicode, max_len=200)),
        ("Street", required(Unicode, max_len=200)),
        ("HouseNumber", required(Unicode, max_len=50)),
        ("Accounts", Array(Account)),
        ("CommonHouseMeters", Array(Meter)),
    ]


class ContactPerson(Base):
    _type_info = [
        ("FullName", required(Unicode, max_len=300)),
        ("Email", required(Unicode, max_len=254)),
        ("MobilePhone", Unicode(max_len=30)),
    ]


class Organization(Base):
    _type_info = [
        ("OrganizationId", required(Unicode, max_len=64)),
        ("FullName", required(Unicode, max_len=500)),
        ("ShortName", required(Unicode, max_len=200)),
        ("Type", required(Unicode, max_len=100)),
        ("Inn", required(Unicode, max_len=12)),
        ("Kpp", Unicode(max_len=9)),
        ("Ogrn", Unicode(max_len=15)),
        ("ContractNumber", Unicode(max_len=50)),
        ("IsActive", Boolean),
        ("ContactPerson", required(ContactPerson)),
        ("Houses", Array(House)),
    ]


class RegisterOrganizationResult(Base):
    _type_info = [
        ("OrganizationId", required(Unicode)),
        ("Login", required(Unicode)),
        ("ActivationSent", required(Boolean)),
    ]


class ExportedReading(Base):
    """One export event: Event is 'submitted' (ReplacesReadingId names the reading it replaces)
    or 'deleted'. ReadingDate is the Moscow calendar date; SubmittedAt is UTC. CheckNote, added
    later, comes only from ExportReadingsWithCheckNotes (docs/spec.md §15.6): the note of a
    reading far from the meter's typical consumption (§13.10). NotReadReason and the Event
    'not_read', added later still, come only from ExportReadingsWithNotRead (§13.11, §15.6): a
    reading that gives the reason's code instead of T1..T3."""

    _type_info = [
        ("Seq", required(Long)),
        ("Event", required(Unicode)),
        ("ReadingId", required(Long)),
        ("ReplacesReadingId", Long),
        ("OrganizationId", required(Unicode)),
        ("HouseId", required(Unicode)),
        ("Address", required(Unicode)),
        ("AccountNumber", Unicode),
        ("Apartment", Unicode),
        ("MeterId", required(Unicode)),
        ("MeterNumber", required(Unicode)),
        ("MeterKind", required(Unicode)),
        ("ReadingDate", required(Date)),
        ("T1", Kwh),
        ("T2", Kwh),
        ("T3", Kwh),
        ("Source", required(Unicode)),
        ("Channel", required(Unicode)),
        ("SubmittedAt", required(DateTime)),
        ("SubmittedBy", Unicode),
        ("CheckNote", Unicode),
        ("NotReadReason", Unicode),
    ]


class NotReadReason(Base):
    """A reason a meter was not read (docs/spec.md §13.11): Code (1–20 of A–Z, a–z, 0–9, _,
    -) and Name (what people read, 1–100 characters)."""

    _type_info = [
        ("Code", required(Unicode(max_len=20, pattern="[A-Za-z0-9_\\-]{1,20}"))),
        ("Name", required(Unicode(min_len=1, max_len=100))),
    ]


class NotReadReasonState(Base):
    """A reason as kept: IsActive false for one taken off the list (readings name it)."""

    _type_info = [
        ("Code", required(Unicode)),
        ("Name", required(Unicode)),
        ("IsActive", required(Boolean)),
    ]


class NotReadReasonsResult(Base):
    _type_info = [
        ("Reasons", Array(NotReadReasonState)),
    ]


class SetNotReadReasonsResult(Base):
    """Affected: the reasons now offered; Retired: those taken off the list by this call."""

    _type_info = [
        ("RequestId", required(Unicode)),
        ("Affected", required(Integer)),
        ("Retired", required(Integer)),
    ]


class ExportReadingsResult(Base):
    _type_info = [
        ("Readings", Array(ExportedReading)),
        ("NextCursor", required(Long)),
        ("HasMore", required(Boolean)),
    ]


class Requisites(Base):
    """Requisites to change: an element left out stays as it is; an empty or nil one is
    cleared (Kpp, Ogrn, ContractNumber) or refused (FullName, ShortName, Type, Inn)."""

    _type_info = [
        ("FullName", Unicode(max_len=500)),
        ("ShortName", Unicode(max_len=200)),
        ("Type", Unicode(max_len=100)),
        ("Inn", Unicode(max_len=12)),
        ("Kpp", Unicode(max_len=9)),
        ("Ogrn", Unicode(max_len=15)),
        ("ContractNumber", Unicode(max_len=50)),
    ]


class MeterReading(Base):
    """An accounted reading of a meter named by its MeterId."""

    _type_info = [
        ("MeterId", required(Unicode, max_len=64)),
        ("ReadingDate", required(Date)),
        ("T1", Kwh),
        ("T2", Kwh),
        ("T3", Kwh),
        ("Source", required(Unicode, max_len=100)),
    ]


class ReadingVerdict(Base):
    """The billing's verdict on a submitted reading (ReadingId from ExportReadings)."""

    _type_info = [
        ("ReadingId", required(Long)),
        ("Accepted", required(Boolean)),
        ("Reason", Unicode(max_len=500)),
    ]


class UpdateOrganizationResult(Base):
    _type_info = [
        ("OrganizationId", required(Unicode)),
        ("Login", required(Unicode)),
    ]


class SaveHouseResult(Base):
    _type_info = [
        ("HouseId", required(Unicode)),
        ("Accounts", required(Integer)),
        ("Meters", required(Integer)),
    ]


class OperationResult(Base):
    """Affected: how many objects the call changed (0 when they already were so); RequestId
    echoes the call's id."""

    _type_info = [
        ("RequestId", required(Unicode)),
        ("Affected", required(Integer)),
    ]


class LkkFault(Base):
    """The detail of every fault, declared as the wsdl:fault of every operation, so a client
    generated from the WSDL catches it typed (docs/spec.md §15.9: a
    machine-readable code and the field). Code is the faultcode («Client.NotFound»); Field the
    input at fault as the message names it; Item, where that input is in an item of a list, the
    item's position from 1 in the outermost list (Readings[3] → 3); CorrelationId the HTTP
    request's id (its X-Request-Id header, the server log's)."""

    # Field and Item are left out when there is none, never nil: generated clients then read
    # plain values (JAX-WS: String getField(), not JAXBElement<String>).
    _type_info = [
        ("Code", required(Unicode)),
        ("Field", Unicode(nillable=False)),
        ("Item", Integer(nillable=False)),
        ("CorrelationId", required(Unicode)),
    ]


def fault_detail(code: str, correlation_id: str, field: str | None = None,
                 item: int | None = None) -> etree._Element:
    """The <LkkFault> element for a fault's <detail>: members in the type's order, the empty
    ones left out. One builder for the faults spyne writes and those the gateway writes."""
    values = {"Code": code, "Field": field, "Item": item, "CorrelationId": correlation_id}
    element = etree.Element(f"{{{NS}}}LkkFault", nsmap={"tns": NS})
    for name in LkkFault._type_info:
        if values[name] is not None:
            etree.SubElement(element, f"{{{NS}}}{name}").text = str(values[name])
    return element
