"""Every decimal from every channel is bounded before arithmetic or storage: an oversized, tiny
or odd number typed by hand, written in a file or sent by the billing is a verdict (a refused
form, a row note) or a Client fault naming the field — never a 500, never a page broken for the
whole organization (docs/spec.md §13.2; the database keeps NUMERIC(18, 4))."""
from __future__ import annotations

import base64
import datetime as dt
import io
import uuid
from decimal import Decimal

import pytest
import zeep
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from sqlalchemy import select

from lkk_integration.errors import ValidationError
from lkk_integration.models import Meter, Reading, UploadRow
from lkk_integration.organizations import billing
from lkk_integration.organizations.payloads import MeterReadingData
from lkk_integration.quantities import fits_stored, fraction_digits, integer_digits, plain_decimal
from lkk_integration.soap.types import NS

from tests.support.cabinet import csrf_token, house_id, meter_id, page_text
from tests.support.soap import soap_envelope
from tests.support.spreadsheets import fill_template

DAY = dt.date(2026, 3, 19)
TWENTY_NINE_DIGITS = "1" + "0" * 28
CAPACITY_6 = "Т1: больше 6 разрядов до запятой (разрядность счетчика)"

# Numbers as people, spreadsheets and foreign programs write them, the extremes included.
NUMERIC_TEXT = st.one_of(
    st.from_regex(r"\A[+-]?[0-9]{0,40}([.,][0-9]{0,40})?([eE][+-]?[0-9]{1,4})?\Z"),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-10 ** 40, max_value=10 ** 40).map(str),
    st.integers(min_value=10 ** 12, max_value=10 ** 45).map(str),  # past every meter
    st.sampled_from(["1E+30", TWENTY_NINE_DIGITS, "9" * 200, "0." + "0" * 60 + "1",
                     "99999999999999.9999", "100000000000000", "-0", "1e-400", "NaN",
                     "Infinity", "1" * 40 + ".5"]),
)
FLOATS = st.one_of(st.floats(), st.floats(min_value=1e12))  # NaN, the infinities, 1e300
# What a SOAP client may put in an xs:decimal (and what it may wrongly put there).
SOAP_DECIMALS = st.one_of(
    st.from_regex(r"\A[+-]?[0-9]{1,40}(\.[0-9]{0,40})?\Z"),
    NUMERIC_TEXT,
    FLOATS.map(repr),
)
EXAMPLES = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


# --- the exact arithmetic underneath ------------------------------------------------------

@pytest.mark.parametrize("text, plain, integer, fraction, stored", [
    ("12000.0000", "12000", 5, 0, True),
    ("1100.5000", "1100.5", 4, 1, True),
    ("0.0001", "0.0001", 1, 4, True),
    ("99999999999999.9999", "99999999999999.9999", 14, 4, True),
    ("100000000000000", "100000000000000", 15, 0, False),
    ("0.00001", "0.00001", 1, 5, False),
    ("1E+30", "1" + "0" * 30, 31, 0, False),
    (TWENTY_NINE_DIGITS, TWENTY_NINE_DIGITS, 29, 0, False),
    ("1" * 29 + ".5", "1" * 29 + ".5", 29, 1, False),
])
def test_a_number_is_measured_exactly_whatever_its_size(text, plain, integer, fraction, stored):
    value = Decimal(text)
    assert format(plain_decimal(value), "f") == plain
    assert (integer_digits(value), fraction_digits(value), fits_stored(value)) == \
        (integer, fraction, stored)


def test_the_database_refuses_a_kwh_value_it_could_not_keep(core, organization):
    with core.uow() as uow:
        meter = uow.session.scalars(select(Meter)).first()
        uow.session.add(Reading(meter=meter, reading_date=DAY, period=DAY.replace(day=1),
                                t1=Decimal("1E+30"), source="x", channel="billing",
                                is_current=False, submitted_at=core.clock.now()))
        with pytest.raises(Exception, match="NUMERIC"):
            uow.session.flush()


# --- the file channel ---------------------------------------------------------------------

def _template(client, core) -> bytes:
    return client.post("/readings/template", data={
        "csrf_token": csrf_token(client.get("/readings/file").text),
        "house": str(house_id(core))}).data


def _upload(client, data: bytes) -> None:
    client.post("/readings/upload", data={
        "csrf_token": csrf_token(client.get("/readings/file").text),
        "file": (io.BytesIO(data), "filled.xls")})


def _buffer(core) -> dict[str, UploadRow]:
    with core.uow() as uow:
        newest = uow.session.scalar(select(UploadRow.upload_id).order_by(
            UploadRow.upload_id.desc()).limit(1))
        return {r.meter_number: r for r in uow.session.scalars(
            select(UploadRow).where(UploadRow.upload_id == newest))}


def test_an_oversized_number_in_a_file_is_a_row_note_and_the_pages_still_open(core, signed_in):
    filled = fill_template(_template(signed_in, core), {
        "00215090": {"t1": 1e30, "date": DAY},                     # a number cell
        "00300001": {"t1": TWENTY_NINE_DIGITS, "date": DAY},       # text
        "00300003": {"t1": 150, "date": DAY},
    })
    _upload(signed_in, filled)
    rows = _buffer(core)
    assert (rows["00215090"].is_valid, rows["00215090"].note) == (False, CAPACITY_6)
    assert (rows["00300001"].is_valid, rows["00300001"].note) == (False, CAPACITY_6)
    assert (rows["00215090"].raw_t1, rows["00300001"].raw_t1) == ("1" + "0" * 30,
                                                                  TWENTY_NINE_DIGITS)
    assert rows["00300003"].is_valid
    page = signed_in.get("/readings/file")
    assert page.status_code == 200 and TWENTY_NINE_DIGITS in page_text(page.text)
    upload_id = rows["00300003"].upload_id
    assert signed_in.get(f"/readings/send/{upload_id}").status_code == 200
    sent = signed_in.post(f"/readings/send/{upload_id}", follow_redirects=True, data={
        "csrf_token": csrf_token(signed_in.get("/readings/file").text), "answer": "yes"})
    assert sent.status_code == 200
    with core.uow() as uow:
        assert uow.session.scalar(select(Reading.t1).where(
            Reading.channel == "file", Reading.is_current)) == Decimal(150)


@pytest.mark.parametrize("value", [1e30, 1e-30, 123456789.5, -1e20])
def test_a_numbers_verdict_survives_the_errors_file_read_back(core, signed_in, value):
    """The errors file gives a number back as its digits (never 1E+30, which is no reading as
    text), so the corrected file — or the same one — gets the same note."""
    _upload(signed_in, fill_template(_template(signed_in, core),
                                     {"00215090": {"t1": value, "date": DAY}}))
    first = _buffer(core)["00215090"]
    errors = signed_in.get(f"/readings/buffer/{first.upload_id}/errors.xls").data
    _upload(signed_in, errors)
    again = _buffer(core)["00215090"]
    assert again.upload_id != first.upload_id
    assert (again.is_valid, again.note, again.raw_t1) == (False, first.note, first.raw_t1)


@EXAMPLES
@given(value=st.one_of(NUMERIC_TEXT, FLOATS))
def test_any_number_in_a_file_gets_a_verdict_and_the_buffer_pages_open(core, signed_in, value):
    filled = fill_template(_template(signed_in, core), {"00215090": {"t1": value, "date": DAY}})
    _upload(signed_in, filled)
    row = _buffer(core)["00215090"]
    assert row.is_valid or row.note
    assert signed_in.get("/readings/file").status_code == 200
    # Nothing valid to send answers with the file page and a message.
    assert signed_in.get(f"/readings/send/{row.upload_id}",
                         follow_redirects=True).status_code == 200
    if not row.is_valid:
        assert signed_in.get(f"/readings/buffer/{row.upload_id}/errors.xls").status_code == 200


# --- manual entry -------------------------------------------------------------------------

@EXAMPLES
@given(value=st.one_of(NUMERIC_TEXT, FLOATS.map(repr)))
def test_any_number_typed_by_hand_is_accepted_or_refused_with_reasons(core, signed_in, value):
    meter = meter_id(core, "00215090")
    answer = signed_in.post(f"/readings/manual/{meter}", data={
        "csrf_token": csrf_token(signed_in.get("/readings/manual/").text),
        "reading_date": DAY.isoformat(), "t1": value})
    assert answer.status_code in (302, 422), answer.status_code
    if answer.status_code == 422:
        assert "<li>" in answer.text


# --- the billing over SOAP ----------------------------------------------------------------

def _soap(client, credentials, body: str) -> str | None:
    """The fault code of the answer (None when it succeeded)."""
    auth = base64.b64encode(":".join(credentials).encode()).decode()
    answer = client.post("/soap", data=soap_envelope(body), headers={
        "Content-Type": "text/xml; charset=utf-8", "Authorization": f"Basic {auth}"})
    code = etree.fromstring(answer.data).findtext(".//faultcode")
    assert (answer.status_code == 200) == (code is None), answer.data[:500]
    return None if code is None else code.split(":")[-1]


def _accounted(value: str) -> str:
    return (f"<v1:UpdateAccountedReadings><v1:RequestId>{uuid.uuid4()}</v1:RequestId>"
            f"<v1:Readings><v1:MeterReading><v1:MeterId>ORG-1-M-A</v1:MeterId>"
            f"<v1:ReadingDate>2026-03-01</v1:ReadingDate><v1:T1>{value}</v1:T1>"
            f"<v1:Source>Биллинг</v1:Source></v1:MeterReading></v1:Readings>"
            f"</v1:UpdateAccountedReadings>")


def _house(t1: str = "100", ratio: str = "40") -> str:
    return (f"<v1:SaveHouse><v1:RequestId>{uuid.uuid4()}</v1:RequestId>"
            f"<v1:OrganizationId>ORG-1</v1:OrganizationId><v1:House>"
            f"<v1:HouseId>ORG-1-H1</v1:HouseId><v1:Settlement>Москва г.</v1:Settlement>"
            f"<v1:Street>Вавилова ул.</v1:Street><v1:HouseNumber>45</v1:HouseNumber>"
            f"<v1:CommonHouseMeters><v1:Meter><v1:MeterId>ORG-1-M-E</v1:MeterId>"
            f"<v1:Number>7700123</v1:Number><v1:Zones>2</v1:Zones><v1:Capacity>6</v1:Capacity>"
            f"<v1:TransformationRatio>{ratio}</v1:TransformationRatio><v1:LastReading>"
            f"<v1:ReadingDate>2026-03-01</v1:ReadingDate><v1:T1>{t1}</v1:T1><v1:T2>50</v1:T2>"
            f"<v1:Source>Биллинг</v1:Source></v1:LastReading></v1:Meter>"
            f"</v1:CommonHouseMeters></v1:House></v1:SaveHouse>")


def test_a_29_digit_accounted_reading_is_a_validation_fault_naming_its_field(
        core, organization, zeep_client):
    with pytest.raises(zeep.exceptions.Fault) as fault:
        zeep_client.service.UpdateAccountedReadings(RequestId="big-1", Readings={
            "MeterReading": [{"MeterId": "ORG-1-M-A", "ReadingDate": dt.date(2026, 3, 1),
                              "T1": Decimal(TWENTY_NINE_DIGITS), "Source": "Биллинг"}]})
    assert (fault.value.code.split(":")[-1], fault.value.message) == \
        ("Client.Validation", f"Readings[1]: {CAPACITY_6}")
    detail = fault.value.detail[0]
    assert (detail.findtext(f"{{{NS}}}Field"), detail.findtext(f"{{{NS}}}Item")) == \
        ("Readings[1].T1", "1")
    with pytest.raises(ValidationError) as refused:
        billing.update_accounted_readings(core, 1, "big-2", [MeterReadingData(
            reading_date=dt.date(2026, 3, 1), source="Биллинг",
            t1=Decimal(TWENTY_NINE_DIGITS), meter_id="ORG-1-M-A")])
    assert refused.value.field == "Readings[1].T1"


def test_a_ratio_finer_than_the_database_keeps_is_refused_not_rounded(
        core, organization, client, soap_credentials):
    assert _soap(client, soap_credentials, _house(ratio="1." + "0" * 28 + "1")) == \
        "Client.Validation"
    with core.uow() as uow:
        assert uow.session.scalar(select(Meter.transformation_ratio).where(
            Meter.billing_id == "ORG-1-M-E")) == Decimal(40)


@EXAMPLES
@given(where=st.sampled_from(["Readings.T1", "LastReading.T1", "TransformationRatio"]),
       value=SOAP_DECIMALS)
def test_any_decimal_from_the_billing_is_served_or_a_client_fault(
        core, organization, client, soap_credentials, where, value):
    body = {"Readings.T1": lambda: _accounted(value), "LastReading.T1": lambda: _house(t1=value),
            "TransformationRatio": lambda: _house(ratio=value)}[where]()
    code = _soap(client, soap_credentials, body)
    assert code is None or code.startswith("Client."), code
