"""«Отправить верные» checks again only the buffer rows whose facts changed since the upload
(docs/spec.md §11.1): each fact a row's verdict depends on, changed between the upload and the
send, is caught; a buffer nothing changed for is sent without checking its rows in Python; and
the fingerprint the upload keeps agrees with the one the send renders in SQL."""
from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import aliased

from lkk_integration import messages as msg
from lkk_integration.errors import ValidationError
from lkk_integration.models import CHANNEL_BILLING, House, Meter, Reading, UploadRow
from lkk_integration.organizations import bulk
from lkk_integration.readings import checks
from lkk_integration.readings.checks import check_submission
from lkk_integration.readings.fingerprint import (current_fingerprint, rules_fingerprint,
                                                  verdict_fingerprint)
from lkk_integration.readings.period import current_period, served_meters
from lkk_integration.readings.rules import save_rules
from lkk_integration.spreadsheets import upload as upload_module
from lkk_integration.spreadsheets.template import build_xls, rows_for_template
from lkk_integration.spreadsheets.upload import send_valid_rows, upload_readings_file
from tests.support.organizations import READING_DATE
from tests.support.parts import need
from tests.support.spreadsheets import fill_template

METERS = 5  # zones 1, 2, 1, 3, 2 (bulk.zones_of); capacity 6, ratio 1, last read 20.02.2026


@pytest.fixture
def organization(core):
    return bulk.bulk_organization(core, METERS, METERS, email="recheck@example.org",
                                  password="Recheck2026pass", client="recheck", prefix="RC")


@pytest.fixture
def filled(core, organization) -> bytes:
    template = build_xls(rows_for_template(core, organization.organization_id,
                                           organization.house_ids))
    return fill_template(template, {bulk.meter_number(i): dict(
        zip(("t1", "t2", "t3"), bulk.new_values(i, bulk.zones_of(i)), strict=True),
        date=READING_DATE) for i in range(METERS)})


@pytest.fixture
def checked(monkeypatch) -> list[int]:
    """The meter ids of the rows check_submission looks at, from the moment it is reset."""
    seen: list[int] = []

    def spy(meter, *args, **kwargs):
        seen.append(meter.meter_id)
        return check_submission(meter, *args, **kwargs)

    monkeypatch.setattr(upload_module, "check_submission", spy)
    return seen


def upload(core, organization, filled) -> int:
    return upload_readings_file(core, organization.person_id, organization.organization_id,
                                "показания.xls", filled)


def send(core, organization, upload_id: int):
    return send_valid_rows(core, organization.person_id, organization.organization_id,
                           upload_id, again=True)


def meter_ids(core) -> list[int]:
    with core.uow() as uow:
        return list(uow.session.scalars(select(Meter.id).where(Meter.billing_id.like("RC-M%"))
                                        .order_by(Meter.id)))


def notes(core, upload_id: int) -> dict[int, tuple[bool, str | None]]:
    with core.uow() as uow:
        return {r.meter_id: (r.is_valid, r.note) for r in uow.session.scalars(
            select(UploadRow).where(UploadRow.upload_id == upload_id))}


def test_a_buffer_nothing_changed_for_is_sent_without_checking_its_rows_again(
        core, organization, filled, checked):
    upload_id = upload(core, organization, filled)
    # (the upload checks its clean rows with quick_check, the others with check_submission)
    checked.clear()
    assert send(core, organization, upload_id).individual == METERS
    assert checked == []


def test_a_buffer_uploaded_before_fingerprints_were_kept_is_checked_again_in_full(
        core, organization, filled, checked):
    upload_id = upload(core, organization, filled)
    with core.uow() as uow:
        uow.session.execute(update(UploadRow).values(fingerprint=None))
        uow.commit()
    checked.clear()
    assert send(core, organization, upload_id).individual == METERS
    assert sorted(checked) == meter_ids(core)


def _last_reading(session, meter_id: int):
    return select(Meter.last_accounted_reading_id).where(Meter.id == meter_id).scalar_subquery()


def _meter(**values):
    def change(session, meter_id, core):
        session.execute(update(Meter).where(Meter.id == meter_id).values(**values))
    return change


def _last(**values):
    def change(session, meter_id, core):
        session.execute(update(Reading).where(Reading.id == _last_reading(session, meter_id))
                        .values(**values))
    return change


def _newer_accounted(session, meter_id, core):
    last = session.get(Reading, session.scalar(select(_last_reading(session, meter_id))))
    new = session.execute(insert(Reading).values(
        meter_id=meter_id, reading_date=dt.date(2026, 3, 10), period=dt.date(2026, 3, 1),
        t1=last.t1 + 10_000, t2=last.t2, t3=last.t3, source="Абонент", channel=CHANNEL_BILLING,
        is_current=False, submitted_at=core.clock.now()).returning(Reading.id)).scalar_one()
    session.execute(update(Meter).where(Meter.id == meter_id)
                    .values(last_accounted_reading_id=new))


def _house(**values):
    def change(session, meter_id, core):
        house = select(Meter.house_id).where(Meter.id == meter_id).scalar_subquery()
        session.execute(update(House).where(House.id == house).values(**values))
    return change


def _rules(**values):
    def change(session, meter_id, core):
        save_rules(session, **values)
    return change


MOSCOW = dt.timezone(dt.timedelta(hours=3))

# Each fact of a row's verdict, changed so that the first meter's row (one zone, T1 typed) is
# no longer valid, and the note the row gets then.
FACTS = {
    "zones": (_meter(zones=2), msg.zone_missing("Т2")),
    "capacity": (_meter(capacity=3), msg.too_many_integer_digits("Т1", 3)),
    "transformation ratio": (_meter(transformation_ratio=Decimal(1000)), None),
    "verification due date": (_meter(verification_due=dt.date(2026, 3, 1)),
                              msg.verification_expired(dt.date(2026, 3, 1))),
    "last accounted values": (_last(t1=Decimal("99999")), None),
    "last accounted date": (_last(reading_date=dt.date(2026, 3, 19)), msg.DATE_BEFORE_LAST),
    "a newer accounted reading": (_newer_accounted, None),
    "meter archived": (_meter(archived_at=dt.datetime(2026, 3, 20, tzinfo=dt.timezone.utc)),
                       msg.METER_GONE),
    "house removed": (_house(removed_at=dt.datetime(2026, 3, 20, tzinfo=dt.timezone.utc)),
                      msg.METER_GONE),
    "fraction digits": (_rules(fraction_digits=0), None),
    "consumption ceiling": (_rules(kwh_per_day_individual=Decimal("0.01")), None),
    "period window": (_rules(period_start_day=19),
                      msg.date_outside_period(dt.date(2026, 3, 19), dt.date(2026, 3, 26))),
}


@pytest.mark.parametrize("fact", FACTS)
def test_each_fact_a_rows_verdict_depends_on_changed_after_the_upload_is_caught(
        core, organization, filled, checked, fact):
    upload_id = upload(core, organization, filled)
    first = meter_ids(core)[0]
    change, note = FACTS[fact]
    with core.uow() as uow:
        change(uow.session, first, core)
        uow.commit()
    checked.clear()
    with pytest.raises(ValidationError) as refused:
        send(core, organization, upload_id)
    assert first in checked or note == msg.METER_GONE  # a meter gone needs no checks
    rows = notes(core, upload_id)
    assert rows[first][0] is False
    if note is not None:
        assert rows[first][1] == note
    wrong = sum(not valid for valid, _note in rows.values())
    assert refused.value.message == msg.buffer_changed(wrong)
    with core.uow() as uow:
        assert uow.session.scalar(select(Reading.id).where(Reading.upload_id == upload_id)) \
            is None


def test_today_before_a_rows_date_is_caught(core, organization, filled, clock, checked):
    upload_id = upload(core, organization, filled)
    clock.set(dt.datetime(2026, 3, 17, 12, 0, tzinfo=MOSCOW))  # the clock set back a day
    with pytest.raises(ValidationError):
        send(core, organization, upload_id)
    assert {note for _valid, note in notes(core, upload_id).values()} == {msg.DATE_IN_FUTURE}


def test_a_changed_fact_that_keeps_the_row_valid_is_checked_again_and_sent(
        core, organization, filled, checked):
    upload_id = upload(core, organization, filled)
    first = meter_ids(core)[0]
    with core.uow() as uow:
        uow.session.execute(update(Meter).where(Meter.id == first).values(
            verification_due=dt.date(2030, 1, 1)))
        uow.commit()
    checked.clear()
    assert send(core, organization, upload_id).individual == METERS
    assert checked == [first]


# --- the property: the send refuses exactly what checking every row again would ---------------

CHANGES = st.one_of(
    st.tuples(st.just("zones"), st.sampled_from([1, 2, 3])),
    st.tuples(st.just("capacity"), st.sampled_from([3, 4, 5, 6, 7])),
    st.tuples(st.just("transformation_ratio"),
              st.sampled_from([Decimal("1"), Decimal("1.0"), Decimal("1.0000"), Decimal("2"),
                               Decimal("0.5")])),
    st.tuples(st.just("verification_due"),
              st.sampled_from([None, dt.date(2026, 3, 1), dt.date(2026, 3, 18),
                               dt.date(2030, 1, 1)])),
    st.tuples(st.just("last_t1"), st.sampled_from([Decimal("0"), Decimal("1000.5"),
                                                   Decimal("99999"), Decimal("1000.50")])),
    st.tuples(st.just("last_date"), st.sampled_from([dt.date(2026, 1, 1), dt.date(2026, 2, 20),
                                                     dt.date(2026, 3, 18),
                                                     dt.date(2026, 3, 19)])),
    st.tuples(st.just("archived"), st.booleans()),
    st.tuples(st.just("kwh_per_day_individual"), st.sampled_from(["100", "1", "5000"])),
    st.tuples(st.just("fraction_digits"), st.sampled_from([0, 1, 2])),
)


def _apply(session, meter_id: int, fact: str, value) -> None:
    if fact in ("zones", "capacity", "transformation_ratio", "verification_due"):
        session.execute(update(Meter).where(Meter.id == meter_id).values({fact: value}))
    elif fact == "archived":
        session.execute(update(Meter).where(Meter.id == meter_id).values(
            archived_at=dt.datetime(2026, 3, 20, tzinfo=dt.timezone.utc) if value else None))
    elif fact in ("last_t1", "last_date"):
        column = "t1" if fact == "last_t1" else "reading_date"
        session.execute(update(Reading).where(Reading.id == _last_reading(session, meter_id))
                        .values({column: value}))
    else:
        save_rules(session, **{fact: value})


def _expected(core, organization, upload_id: int) -> dict[int, str]:
    """What checking every valid row again gives now: row id → note of the rows refused."""
    with core.uow() as uow:
        session = uow.session
        period = current_period(session, core)
        facts = {m.facts.meter_id: m.facts
                 for m in served_meters(session, organization.organization_id)}
        refused = {}
        for row in session.scalars(select(UploadRow).where(UploadRow.upload_id == upload_id,
                                                           UploadRow.is_valid)):
            meter = facts.get(row.meter_id)
            if meter is None:
                refused[row.id] = msg.METER_GONE
                continue
            verdict = check_submission(meter, row.reading_date, [row.t1, row.t2, row.t3],
                                       period.rules, period.today, period.window)
            if not verdict.ok:
                refused[row.id] = verdict.note
        return refused


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.integers(0, METERS - 1), CHANGES), max_size=3))
def test_the_send_refuses_exactly_the_rows_that_checking_all_again_refuses(
        core, organization, filled, changes):
    ids = meter_ids(core)
    upload_id = upload(core, organization, filled)
    with core.uow() as uow:
        for index, (fact, value) in changes:
            _apply(uow.session, ids[index], fact, value)
        uow.commit()
    expected = _expected(core, organization, upload_id)
    valid = {r: v for r, v in notes(core, upload_id).items() if v[0]}
    if expected:
        with pytest.raises(ValidationError) as refused:
            send(core, organization, upload_id)
        assert refused.value.message == msg.buffer_changed(len(expected))
        with core.uow() as uow:
            now = {r.id: r.note for r in uow.session.scalars(
                select(UploadRow).where(UploadRow.upload_id == upload_id,
                                        UploadRow.is_valid.is_(False)))}
        assert {row: now[row] for row in expected} == expected
    else:
        assert send(core, organization, upload_id).individual == len(valid)
    # Back to the meters as the upload found them, for the next example.
    with core.uow() as uow:
        session = uow.session
        for i, meter_id in enumerate(ids):
            session.execute(update(Meter).where(Meter.id == meter_id).values(
                zones=bulk.zones_of(i), capacity=6, transformation_ratio=Decimal(1),
                verification_due=None, archived_at=None))
            t1, _t2, _t3 = bulk.last_values(i, bulk.zones_of(i))
            session.execute(update(Reading).where(Reading.id == _last_reading(session, meter_id))
                            .values(t1=t1, reading_date=dt.date(2026, 2, 20)))
        save_rules(session, kwh_per_day_individual="100", fraction_digits=2)
        uow.commit()


# --- the fingerprint: Python at the upload, SQL at the send, the same text -------------------

KWH = st.builds(lambda n, places, pad: (Decimal(n).scaleb(-places)).quantize(
    Decimal(1).scaleb(-min(4, places + pad))),
    st.integers(-10**17 + 1, 10**17 - 1), st.integers(0, 4), st.integers(0, 4)).filter(
    lambda d: len(d.as_tuple().digits) + min(0, d.as_tuple().exponent) <= 18
    and abs(d) < Decimal(10) ** 14)
DAY = st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["individual", "common_house"]), zones=st.integers(1, 3),
       capacity=st.integers(1, 12), ratio=KWH, due=st.none() | DAY,
       last=st.tuples(st.none() | KWH, st.none() | KWH, st.none() | KWH), last_date=DAY)
def test_the_fingerprint_rendered_in_sql_is_the_one_computed_from_the_meters_facts(
        core, organization, kind, zones, capacity, ratio, due, last, last_date):
    meter_id = meter_ids(core)[0]
    with core.uow() as uow:
        session = uow.session
        account = session.scalar(select(Meter.personal_account_id).where(Meter.id == meter_id))
        session.execute(update(Meter).where(Meter.id == meter_id).values(
            kind=kind, zones=zones, capacity=capacity, transformation_ratio=ratio,
            verification_due=due,  # a common-house meter has no account
            personal_account_id=account if kind == "individual" else None))
        session.execute(update(Reading).where(Reading.id == _last_reading(session, meter_id))
                        .values(t1=last[0], t2=last[1], t3=last[2], reading_date=last_date))
        period = current_period(session, core)
        tag = rules_fingerprint(period.rules, period.window)
        facts = served_meters(session, organization.organization_id, [meter_id])[0].facts
        reading = aliased(Reading)
        rendered = session.scalar(
            select(current_fingerprint(session.get_bind().dialect.name, tag, Meter, reading))
            .outerjoin(reading, reading.id == Meter.last_accounted_reading_id)
            .where(Meter.id == meter_id))
        assert rendered == verdict_fingerprint(facts, tag)
        # And the same facts as plain values (normalized, as the ORM gives them).
        plain = checks.MeterFacts(meter_id, kind, "", zones, capacity, ratio, due, last,
                                  last_date)
        assert verdict_fingerprint(plain, tag) == rendered


def test_a_valid_row_without_a_meter_is_refused_as_gone(core, organization, filled):
    upload_id = upload(core, organization, filled)
    first = meter_ids(core)[0]
    with core.uow() as uow:
        uow.session.execute(update(UploadRow).where(UploadRow.meter_id == first)
                            .values(meter_id=None))
        uow.commit()
    with pytest.raises(ValidationError) as refused:
        send(core, organization, upload_id)
    assert refused.value.message == msg.buffer_changed(1)
    rows = notes(core, upload_id)
    assert rows.pop(None) == (False, msg.METER_GONE)
    assert all(valid for valid, _note in rows.values())


@pytest.mark.postgres
def test_a_first_accounted_reading_committed_while_the_send_waits_for_the_meter_is_caught(
        core, organization, filled):
    """PostgreSQL: the send waits for the meter's row lock held by the billing's transaction,
    then reads the meter again as committed; the reading it now has makes the row wrong."""
    need(core.engine.dialect.name == "postgresql", "PostgreSQL", "set LKK_TEST_DATABASE_URL")
    first = meter_ids(core)[0]
    with core.uow() as uow:  # a meter the billing has not read yet
        uow.session.execute(update(Meter).where(Meter.id == first)
                            .values(last_accounted_reading_id=None))
        uow.commit()
    upload_id = upload(core, organization, filled)
    billing = core.engine.connect()
    transaction = billing.begin()
    new = billing.execute(insert(Reading).values(
        meter_id=first, reading_date=dt.date(2026, 3, 19), period=dt.date(2026, 3, 1),
        t1=Decimal(1), source="Абонент", channel=CHANNEL_BILLING, is_current=False,
        submitted_at=core.clock.now()).returning(Reading.id)).scalar_one()
    billing.execute(update(Meter).where(Meter.id == first)
                    .values(last_accounted_reading_id=new))
    outcome: list = []
    sender = threading.Thread(target=lambda: outcome.append(
        _outcome(lambda: send(core, organization, upload_id))))
    sender.start()
    with core.engine.connect() as watcher:
        for _ in range(600):  # until the send waits for the lock (at most a minute)
            if watcher.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the send never waited for the meter's lock")
    transaction.commit()
    billing.close()
    sender.join(60)
    assert isinstance(outcome[0], ValidationError), outcome
    assert outcome[0].message == msg.buffer_changed(1)
    assert notes(core, upload_id)[first] == (False, msg.DATE_BEFORE_LAST)


def _outcome(call):
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 - the test asserts on it
        return exc
