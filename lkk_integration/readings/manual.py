"""Manual entry of readings, the list of readings typed in this period, and their deletion
(docs/spec.md §6–§8).

A saved reading replaces the meter's current one of the period (history kept); deleting a
reading typed in the current login session makes the one it had replaced current again. Every
save and delete first locks the meter's row, so two submissions at the same moment (two tabs,
manual entry and a file) queue up and leave exactly one current reading.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Select, insert, select, true, update
from sqlalchemy.orm import Session

from lkk_integration import audit
from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.errors import NotFound
from lkk_integration.models import (CHANNEL_MANUAL, COMMON_HOUSE, INDIVIDUAL, KINDS,
                                    SOURCE_ORGANIZATION, ContactPerson, House, Meter,
                                    PersonalAccount, Reading)
from lkk_integration.readings.checks import Verdict, check_submission
from lkk_integration.readings.consumption import MonthlyUse, monthly_use
from lkk_integration.readings.plausibility import expected_range
from lkk_integration.readings.reasons import Reason, Reasons, load_reasons
from lkk_integration.readings.export import record_events
from lkk_integration.readings.locks import lock_meters
from lkk_integration.readings.period import (current_period, require_open_for,
                                             require_open_period, served_meters)
from lkk_integration.text import natural_key, visible


@dataclass(frozen=True)
class Submitter:
    """Who submits: the contact person, the organization, and the login session's public id."""

    person_id: int
    organization_id: int
    login_session_id: str


def _actor(session: Session, submitter: Submitter) -> audit.Actor:
    email = session.scalar(select(ContactPerson.email)
                           .where(ContactPerson.id == submitter.person_id))
    return audit.Actor("person", submitter.person_id, email or "")


@dataclass(frozen=True)
class HouseChoice:
    """A served house as the address choice lists show it."""

    id: int
    settlement: str
    street: str
    house_number: str

    @property
    def address(self) -> str:
        return msg.house_address(self.settlement, self.street, self.house_number)


@dataclass(frozen=True)
class LastZone:
    """One zone of the last accounted reading: «Т1», its value (kWh) or None."""

    zone: str
    value: Decimal | None


@dataclass(frozen=True)
class MeterCard:
    """What manual entry shows of a meter before its inputs (docs/spec.md §6–§7)."""

    meter_id: int
    kind: str
    number: str
    zones: int
    capacity: int
    transformation_ratio: Decimal
    verification_due: dt.date | None
    house_id: int
    address: str
    apartment: str | None
    account_number: str | None
    consumer_name: str | None
    metering_type: str
    last: list[LastZone]
    last_date: dt.date | None
    last_source: str | None

    @property
    def zone_labels(self) -> tuple[str, ...]:
        return msg.ZONE_LABELS[:self.zones]


def house_choices(session: Session, organization_id: int) -> list[HouseChoice]:
    """The organization's served houses, in address order, house numbers in natural order
    (д. 2 before д. 10)."""
    found = [HouseChoice(*row) for row in session.execute(
        select(House.id, House.settlement, House.street, House.house_number)
        .where(House.organization_id == organization_id, House.removed_at.is_(None)))]
    return sorted(found, key=lambda h: (natural_key(h.settlement), natural_key(h.street),
                                        natural_key(h.house_number), h.id))


def _card_query(organization_id: int) -> Select:
    last = select(Reading).subquery()
    return (select(Meter, House, PersonalAccount, last.c.t1, last.c.t2, last.c.t3,
                   last.c.reading_date, last.c.source)
            .join(House, House.id == Meter.house_id)
            .outerjoin(PersonalAccount, PersonalAccount.id == Meter.personal_account_id)
            .outerjoin(last, last.c.id == Meter.last_accounted_reading_id)
            .where(House.organization_id == organization_id, House.removed_at.is_(None),
                   Meter.archived_at.is_(None)))


def _card(row) -> MeterCard:
    meter, house, account, t1, t2, t3, last_date, source = row
    return MeterCard(
        meter_id=meter.id, kind=meter.kind, number=meter.number, zones=meter.zones,
        capacity=meter.capacity, transformation_ratio=meter.transformation_ratio,
        verification_due=meter.verification_due, house_id=house.id, address=house.address,
        apartment=account.apartment if account else None,
        account_number=account.number if account else None,
        consumer_name=account.consumer_name if account else None,
        metering_type=(account.metering_type if account and account.metering_type
                       else msg.ZONE_TYPES[meter.zones]),
        last=[LastZone(zone, value) for zone, value
              in zip(msg.ZONE_LABELS[:meter.zones], (t1, t2, t3), strict=False)],
        last_date=last_date, last_source=source)


def apartments(session: Session, organization_id: int, house_id: int) -> list[str]:
    """Apartments of a served house that have a current individual meter, in natural order."""
    found = session.scalars(
        select(PersonalAccount.apartment).distinct()
        .join(Meter, Meter.personal_account_id == PersonalAccount.id)
        .join(House, House.id == PersonalAccount.house_id)
        .where(House.id == house_id, House.organization_id == organization_id,
               House.removed_at.is_(None), PersonalAccount.removed_at.is_(None),
               Meter.archived_at.is_(None), Meter.kind == INDIVIDUAL))
    return sorted(found, key=natural_key)


def apartment_meters(session: Session, organization_id: int, house_id: int,
                     apartment: str) -> list[MeterCard]:
    """The individual meters of an apartment (of all its accounts), by account then meter."""
    rows = session.execute(_card_query(organization_id).where(
        House.id == house_id, Meter.kind == INDIVIDUAL, PersonalAccount.apartment == apartment,
        PersonalAccount.removed_at.is_(None))
        .order_by(PersonalAccount.number, Meter.number, Meter.id))
    return [_card(row) for row in rows]


def common_house_meters(session: Session, organization_id: int,
                        house_id: int) -> list[MeterCard]:
    """The common-house meters of a served house, by number."""
    rows = session.execute(_card_query(organization_id).where(
        House.id == house_id, Meter.kind == COMMON_HOUSE).order_by(Meter.number, Meter.id))
    return [_card(row) for row in rows]


def meter_card(session: Session, organization_id: int, meter_id: int) -> MeterCard:
    """A current meter of the organization; raises NotFound for any other id (another
    organization's, archived, unknown) with one message, so ids reveal nothing."""
    row = session.execute(_card_query(organization_id).where(
        Meter.id == meter_id,
        PersonalAccount.removed_at.is_(None) | (Meter.kind == COMMON_HOUSE))).first()
    if row is None:
        raise NotFound(msg.METER_UNKNOWN, "meter")
    return _card(row)


def chosen_meter(core: Core, organization_id: int, meter_id: int) -> MeterCard:
    """meter_card, read in a transaction of its own (raises NotFound the same way)."""
    with core.uow() as uow:
        return meter_card(uow.session, organization_id, meter_id)


def _only(values: list):
    return values[0] if len(values) == 1 else None


@dataclass
class Choice:
    """Where the person stands in the choice of a meter, and the lists for the next step."""

    kind: str
    houses: list[HouseChoice]
    settlement: str = ""
    street: str = ""
    house: HouseChoice | None = None
    apartment: str = ""
    settlements: list[str] = field(default_factory=list)
    streets: list[str] = field(default_factory=list)
    house_numbers: list[HouseChoice] = field(default_factory=list)
    apartments: list[str] = field(default_factory=list)
    meters: list[MeterCard] = field(default_factory=list)
    card: MeterCard | None = None
    # An apartment typed that the house does not have (the page says so, naming the field).
    unknown_apartment: str = ""
    # Asked for the meter after the last one of the house (docs/spec.md §6): none is left.
    house_done: bool = False


def _typed_apartment(typed: str, known: list[str]) -> str:
    """The apartment of `known` that `typed` names: as typed, else ignoring letter case and
    spaces («12 а» is 12А); "" when none."""
    if typed in known:
        return typed
    folded = "".join(typed.split()).casefold()
    return next((a for a in known if "".join(a.split()).casefold() == folded), "")


def _next_meter(session: Session, organization_id: int, choice: Choice,
                after: int) -> None:
    """Move `choice` from the meter `after` of its apartment to the next meter of the house:
    the apartment's next one, else the first of the next apartment in natural order
    (docs/spec.md §6, «Отправить и следующая квартира»); house_done when none is left."""
    ids = [m.meter_id for m in choice.meters]
    if after in ids and ids.index(after) + 1 < len(ids):
        choice.card = choice.meters[ids.index(after) + 1]
        return
    later = choice.apartments[choice.apartments.index(choice.apartment) + 1:]
    if not later:
        choice.apartment, choice.meters, choice.card = "", [], None
        choice.house_done = True
        return
    choice.apartment = later[0]
    choice.meters = apartment_meters(session, organization_id, choice.house.id, later[0])
    choice.card = choice.meters[0] if choice.meters else None


def choose_meter(session: Session, organization_id: int, kind: str, settlement: str,
                 street: str, house_id: int | None, apartment: str,
                 meter_id: int | None, after: int | None = None) -> Choice:
    """Resolve the chosen settlement → street → house → apartment → meter, dropping a later
    choice that does not fit an earlier one, and taking the only option when there is one
    (docs/spec.md §6). The apartment is typed: letter case and spaces aside it must be one of
    the house's (else `unknown_apartment`). With `after` (a meter of the chosen apartment just
    sent) the choice moves on to the next meter of the house. Raises NotFound when `house_id`
    is not a house the organization serves."""
    houses = house_choices(session, organization_id)
    choice = Choice(kind, houses)
    house = next((h for h in houses if h.id == house_id), None) if house_id else None
    if house_id and house is None:
        raise NotFound(msg.PAGE_NOT_FOUND, "house")
    if kind == COMMON_HOUSE:
        choice.house = house or _only(houses)
        if choice.house:
            choice.meters = common_house_meters(session, organization_id, choice.house.id)
            choice.card = next((m for m in choice.meters if m.meter_id == meter_id),
                               _only(choice.meters))
        return choice
    if house is not None:
        settlement, street = house.settlement, house.street
    choice.settlements = sorted({h.settlement for h in houses}, key=natural_key)
    choice.settlement = settlement if settlement in choice.settlements else (
        _only(choice.settlements) or "")
    if not choice.settlement:
        return choice
    choice.streets = sorted({h.street for h in houses if h.settlement == choice.settlement},
                            key=natural_key)
    choice.street = street if street in choice.streets else (_only(choice.streets) or "")
    if not choice.street:
        return choice
    choice.house_numbers = [h for h in houses
                            if h.settlement == choice.settlement and h.street == choice.street]
    choice.house = house if house in choice.house_numbers else _only(choice.house_numbers)
    if choice.house is None:
        return choice
    choice.apartments = apartments(session, organization_id, choice.house.id)
    apartment = apartment.strip()
    if apartment:
        choice.apartment = _typed_apartment(apartment, choice.apartments)
        choice.unknown_apartment = "" if choice.apartment else apartment
    else:
        choice.apartment = _only(choice.apartments) or ""
    if not choice.apartment:
        return choice
    choice.meters = apartment_meters(session, organization_id, choice.house.id,
                                     choice.apartment)
    if after is not None:
        _next_meter(session, organization_id, choice, after)
        return choice
    choice.card = next((m for m in choice.meters if m.meter_id == meter_id),
                       _only(choice.meters))
    return choice


@dataclass(frozen=True)
class Submitted:
    """The outcome of a manual submission: the verdict; when valid, the saved reading's id and
    whether it replaced a reading submitted earlier in the period; the meter's card."""

    verdict: Verdict
    reading_id: int | None
    replaced: bool = False
    # The meter as manual entry shows it, read in the same transaction.
    card: MeterCard | None = None
    # The name of the reason saved instead of values (docs/spec.md §13.11).
    not_read: str | None = None

    @property
    def to_confirm(self) -> bool:
        """Valid but far from the meter's typical consumption, and not saved: the person is
        asked to confirm it (docs/spec.md §13.10)."""
        return self.verdict.ok and self.reading_id is None

    @property
    def confirmation(self) -> str:
        """What a confirmation names: this reading's date and values (confirmation_of)."""
        return confirmation_of(self.verdict)


def confirmation_of(verdict: Verdict) -> str:
    """The reading a confirmation of docs/spec.md §13.10 is for — its date and values as
    checked («2026-03-20|1728||»): a confirmation of other values confirms nothing."""
    values = "|".join("" if v is None else format(v.normalize(), "f") for v in verdict.values)
    return f"{verdict.reading_date}|{values}"


@dataclass(frozen=True)
class CurrentSubmission:
    """The reading of a meter current in the open period, as the meter's card shows it."""

    reading_date: dt.date
    values: tuple[Decimal | None, Decimal | None, Decimal | None]
    channel: str
    submitted_at: dt.datetime
    # The name of the reason given instead of values (docs/spec.md §13.11).
    not_read: str | None = None


def current_submission(session: Session, meter_id: int,
                       period: dt.date) -> CurrentSubmission | None:
    """What was already submitted for the meter in the period (any channel), or None."""
    reading = session.scalars(select(Reading).where(
        Reading.meter_id == meter_id, Reading.is_current, Reading.period == period)).first()
    if reading is None:
        return None
    return CurrentSubmission(reading.reading_date, reading.values, reading.channel,
                             reading.submitted_at,
                             load_reasons(session).name_of(reading.not_read_reason)
                             if reading.not_read_reason else None)


def submit_reading(core: Core, submitter: Submitter, meter_id: int, raw_date: object,
                   raw_values: list[object], confirmed: str | None = None,
                   not_read: str | None = None) -> Submitted:
    """Check a typed-in reading by the one rule set and, when valid, save it as the meter's
    current reading of the period (docs/spec.md §6–§7, §13, §13.9).

    `raw_values` holds T1..T3 as typed (text with a decimal comma and spaces is fine). A
    refusal is returned as the verdict's errors; nothing is written then. A valid reading far
    from the meter's typical consumption (the verdict's check_note, docs/spec.md §13.10) is
    saved only when `confirmed` names this very reading (confirmation_of: the page asked about
    these values, not others), and keeps the note; else nothing is written and the result is
    to_confirm. `not_read` is a reason's code (or name) given instead of values (docs/spec.md
    §13.11): the values must be empty then, and the reading saved names the reason. Raises
    PeriodClosed
    outside the period and NotFound when the meter is not a current one of the organization.
    Invisible characters pasted with a value are removed, as a file's are
    (lkk_integration/text.py), so both channels give one verdict.
    """
    raw_date, raw_values = visible(raw_date), [visible(v) for v in raw_values]
    with core.uow() as uow:
        session = uow.session
        # Decided once, at the instant the save began; the reading is stamped with it: a save
        # begun before the close completes, even after waiting for the meter's lock
        # (docs/spec.md §5.1).
        now = core.clock.now()
        period = require_open_period(session, core, now)
        lock_meters(session, [meter_id])
        card = meter_card(session, submitter.organization_id, meter_id)
        require_open_for(period, card.kind)
        served = served_meters(session, submitter.organization_id, [meter_id])
        reasons = load_reasons(session)
        verdict = check_submission(served[0].facts, raw_date, raw_values, period.rules,
                                   period.today, period.dates_for(card.kind),
                                   visible(not_read), reasons)
        if not verdict.ok or (verdict.check_note is not None
                              and confirmed != confirmation_of(verdict)):
            return Submitted(verdict, None, card=card)
        current = session.scalars(select(Reading).where(
            Reading.meter_id == meter_id, Reading.is_current,
            Reading.period == period.state.period)).first()
        if (current is not None and current.channel == CHANNEL_MANUAL
                and current.login_session_id == submitter.login_session_id
                and current.reading_date == verdict.reading_date
                and current.values == tuple(verdict.values)
                and current.not_read_reason == verdict.not_read):
            # The same reading again from the same session (a double click, a reload of the
            # POST): nothing new to save, and a later delete must not bring back a twin.
            return Submitted(verdict, current.id, current.replaces_id is not None, card,
                             reasons.name_of(verdict.not_read))
        replaced = session.execute(
            update(Reading).where(Reading.meter_id == meter_id, Reading.is_current,
                                  Reading.period == period.state.period)
            .values(is_current=False).returning(Reading.id)).scalar_one_or_none()
        t1, t2, t3 = verdict.values
        reading_id = session.execute(insert(Reading).values(
            meter_id=meter_id, reading_date=verdict.reading_date, period=period.state.period,
            t1=t1, t2=t2, t3=t3, source=SOURCE_ORGANIZATION, channel=CHANNEL_MANUAL,
            is_current=True, submitted_by_person_id=submitter.person_id, submitted_at=now,
            login_session_id=submitter.login_session_id, replaces_id=replaced,
            check_note=verdict.check_note, not_read_reason=verdict.not_read,
        ).returning(Reading.id)).scalar_one()
        record_events(session, now, "submitted", select(Reading.id).where(Reading.id == reading_id))
        audit.record(session, core.clock, _actor(session, submitter), "reading_submitted",
                     organization_id=submitter.organization_id, meter_id=meter_id,
                     person_id=submitter.person_id, object_id=reading_id, channel="manual",
                     replaced_reading_id=replaced)
        uow.commit()
        return Submitted(verdict, reading_id, replaced is not None, card,
                         reasons.name_of(verdict.not_read))


@dataclass(frozen=True)
class SubmittedLine:
    """A row of «Переданные показания на <today>» (docs/spec.md §8)."""

    reading_id: int
    kind: str
    address: str
    apartment: str | None
    meter_number: str
    transformation_ratio: Decimal
    reading_date: dt.date
    t1: Decimal | None
    t2: Decimal | None
    t3: Decimal | None
    # Typed in the current login session: only such a reading may be deleted.
    deletable: bool
    # The name of the reason given instead of values (docs/spec.md §13.11).
    not_read: str | None = None


# Readings on one page of «Переданные показания» (docs/spec.md §8).
PAGE_LINES = 300


def _submitted(query, organization_id: int, period: dt.date):
    """`query` over the organization's manually entered readings current in `period`: typed in
    by this organization, for a meter it still serves (a house passed to another organization
    takes neither way)."""
    return (query.join(Meter, Meter.id == Reading.meter_id)
            .join(House, House.id == Meter.house_id)
            .join(ContactPerson, ContactPerson.id == Reading.submitted_by_person_id)
            .outerjoin(PersonalAccount, PersonalAccount.id == Meter.personal_account_id)
            .where(House.organization_id == organization_id,
                   ContactPerson.organization_id == organization_id,
                   House.removed_at.is_(None), Meter.archived_at.is_(None), Reading.is_current,
                   Reading.channel == CHANNEL_MANUAL, Reading.period == period))


def _line_order(address: str, kind: str, apartment: str | None, number: str) -> tuple:
    """The list's order: by address, individual meters first, apartments in natural order."""
    return (address, kind != INDIVIDUAL, natural_key(apartment), number)


_LINE_COLUMNS = (Reading.id, Reading.reading_date, Reading.t1, Reading.t2, Reading.t3,
                 Reading.login_session_id, Reading.billing_verdict, Meter.kind, Meter.number,
                 Meter.transformation_ratio, House.settlement, House.street, House.house_number,
                 PersonalAccount.apartment, Reading.not_read_reason)


def _lines(rows, login_session_id: str, reasons: Reasons) -> list[SubmittedLine]:
    """SubmittedLines of rows of _LINE_COLUMNS, in the list's order. Columns, not entities:
    building an ORM object per reading and house cost more than the query once the list held
    thousands."""
    lines = [SubmittedLine(r.id, r.kind, msg.house_address(r.settlement, r.street,
                                                           r.house_number),
                           r.apartment, r.number, r.transformation_ratio, r.reading_date,
                           r.t1, r.t2, r.t3, r.login_session_id == login_session_id
                           and r.billing_verdict != "accepted",
                           reasons.name_of(r.not_read_reason))
             for r in rows]
    return sorted(lines, key=lambda line: _line_order(line.address, line.kind, line.apartment,
                                                      line.meter_number))


def submitted_readings(core: Core, organization_id: int, login_session_id: str,
                       reading_id: int | None = None) -> list[SubmittedLine]:
    """The organization's manually entered readings current in the open period, by address
    (or only `reading_id`, when it is one of them).

    Raises PeriodClosed outside the period.
    """
    with core.uow() as uow:
        period = require_open_period(uow.session, core).state.period
        rows = uow.session.execute(
            _submitted(select(*_LINE_COLUMNS), organization_id, period)
            .where(Reading.id == reading_id if reading_id is not None else true())).all()
        reasons = load_reasons(uow.session)
    return _lines(rows, login_session_id, reasons)


@dataclass(frozen=True)
class SubmittedPage:
    """One page of «Переданные показания» (docs/spec.md §8): its lines, how many readings the
    whole list holds, the page and the number of pages."""

    lines: list[SubmittedLine]
    total: int
    page: int = 1
    pages: int = 1


def submitted_page(core: Core, organization_id: int, login_session_id: str,
                   page: int = 1) -> SubmittedPage:
    """Page `page` (PAGE_LINES lines; a page past the last shows the last) of the
    organization's manually entered readings current in the open period, by address
    (docs/spec.md §8). The order is taken from the readings' keys alone (no values), then only
    the page's lines are read: thousands typed by hand on the last evening stay one page.

    Raises PeriodClosed outside the period.
    """
    with core.uow() as uow:
        session = uow.session
        period = require_open_period(session, core).state.period
        keys = session.execute(_submitted(
            select(Reading.id, Meter.kind, Meter.number, House.settlement, House.street,
                   House.house_number, PersonalAccount.apartment),
            organization_id, period)).all()
        keys.sort(key=lambda k: _line_order(
            msg.house_address(k.settlement, k.street, k.house_number), k.kind, k.apartment,
            k.number))
        pages = max(1, -(-len(keys) // PAGE_LINES))
        page = min(max(page, 1), pages)
        ids = [k.id for k in keys[(page - 1) * PAGE_LINES:page * PAGE_LINES]]
        # By id alone: these are the organization's, read in this transaction. With the
        # organization's conditions again SQLite probed every meter for each id (seconds).
        rows = session.execute(
            select(*_LINE_COLUMNS).join(Meter, Meter.id == Reading.meter_id)
            .join(House, House.id == Meter.house_id)
            .outerjoin(PersonalAccount, PersonalAccount.id == Meter.personal_account_id)
            .where(Reading.id.in_(ids))).all() if ids else []
        reasons = load_reasons(session)
    lines = _lines(rows, login_session_id, reasons)
    return SubmittedPage(lines, len(keys), page, pages)


@dataclass(frozen=True)
class ManualEntry:
    """The manual entry page: the choice of a meter; today (Moscow); the chosen meter's reading
    of the period and its monthly consumption chart; the readings typed in this period."""

    choice: Choice
    today: dt.date
    current: CurrentSubmission | None
    # None when the meter has no month to chart (docs/spec.md §6.1).
    chart: MonthlyUse | None
    # The page of «Переданные показания» shown (docs/spec.md §8).
    submitted: SubmittedPage
    # The dates a reading of the chosen kind may have (docs/spec.md §5.2, §13.6), and why
    # none is taken today while the other kind's are (None when it is).
    dates: tuple[dt.date, dt.date] | None = None
    closed: str | None = None
    # Per zone of the chosen meter, the registers a reading of today may show without asking
    # for a check (docs/spec.md §13.10), None without history.
    expected: tuple[tuple[Decimal, Decimal] | None, ...] = (None, None, None)
    # The reasons offered instead of values (docs/spec.md §13.11).
    reasons: tuple[Reason, ...] = ()

    @property
    def lines(self) -> list[SubmittedLine]:
        return self.submitted.lines


def manual_entry(core: Core, submitter: Submitter, kind: str | None = None,
                 settlement: str = "", street: str = "", house_id: int | None = None,
                 apartment: str = "", meter_id: int | None = None,
                 after: int | None = None, page: int = 1) -> ManualEntry:
    """What manual entry shows for the choice given (choose_meter; `kind` one of KINDS, None
    for individual meters; `after` moves on from a meter just sent) and page `page` of the
    readings typed in (docs/spec.md §6–§8).

    Raises NotFound for another kind or a house not served, PeriodClosed outside the period.
    """
    kind = INDIVIDUAL if kind is None else kind
    if kind not in KINDS:
        raise NotFound(msg.PAGE_NOT_FOUND, "kind")
    with core.uow() as uow:
        session = uow.session
        choice = choose_meter(session, submitter.organization_id, kind, settlement, street,
                              house_id, apartment, meter_id,
                              after if kind == INDIVIDUAL else None)
        period = current_period(session, core)
        card = choice.card
        current = current_submission(session, card.meter_id, period.state.period) \
            if card else None
        uses = monthly_use(session, [card.meter_id], period.today, period.rules) if card else {}
        expected = _expected(session, submitter.organization_id, card.meter_id, period) \
            if card else (None, None, None)
        reasons = load_reasons(session).offered
    submitted = submitted_page(core, submitter.organization_id, submitter.login_session_id, page)
    return ManualEntry(choice, period.today, current, uses.get(card.meter_id) if card else None,
                       submitted, period.dates_for(kind), period.closed_kinds().get(kind),
                       expected, reasons)


def _expected(session: Session, organization_id: int, meter_id: int,
              period) -> tuple[tuple[Decimal, Decimal] | None, ...]:
    """plausibility.expected_range of the meter for a reading dated today, or its kind's last
    reading date when that is earlier (docs/spec.md §5.2, §13.10)."""
    [served] = served_meters(session, organization_id, [meter_id])
    facts, rules = served.facts, period.rules
    on_date = min(period.today, period.dates_for(facts.kind)[1])
    return expected_range(facts.typical, facts.typical_intervals, facts.last_date,
                          facts.last_values, on_date, facts.transformation_ratio or Decimal(1),
                          rules.plausibility_factor, rules.plausibility_margin_kwh,
                          rules.fraction_digits)


def _deletable(session: Session, submitter: Submitter, period: dt.date,
               reading_id: int) -> Reading:
    row = session.execute(
        select(Reading).join(Meter, Meter.id == Reading.meter_id)
        .join(House, House.id == Meter.house_id)
        .where(Reading.id == reading_id, House.organization_id == submitter.organization_id,
               House.removed_at.is_(None), Meter.archived_at.is_(None),
               Reading.channel == CHANNEL_MANUAL, Reading.is_current, Reading.period == period,
               Reading.login_session_id == submitter.login_session_id,
               # What the billing has accepted is no longer the organization's to withdraw.
               Reading.billing_verdict.is_distinct_from("accepted"))).scalar_one_or_none()
    if row is None:
        # One message for another organization's, another session's, an old or a gone reading.
        raise NotFound(msg.READING_NOT_DELETABLE, "reading")
    return row


def deletable_reading(core: Core, submitter: Submitter, reading_id: int) -> SubmittedLine:
    """The reading the person asks to delete, for the confirmation; raises NotFound unless it
    is a current manual reading typed in this login session (PeriodClosed outside the period)."""
    lines = submitted_readings(core, submitter.organization_id, submitter.login_session_id,
                               reading_id)
    if not lines or not lines[0].deletable:
        raise NotFound(msg.READING_NOT_DELETABLE, "reading")
    return lines[0]


def withdraw(session: Session, now: dt.datetime, period: dt.date, reading: Reading) -> bool:
    """Withdraw `reading`, a current submitted reading of `period` its submitter may delete
    (docs/spec.md §8, §21.2), under its meter's lock: it stops being current, the export gets
    its `deleted` event and, when it had replaced another, that one is current again with a new
    `submitted` event. Returns whether one was made current again.

    Raises NotFound when it is no longer current (a second click or call got there first)."""
    lock_meters(session, [reading.meter_id])
    # Checked again under the lock: a second click (or tab) finds it deleted.
    gone = session.execute(
        update(Reading).where(Reading.id == reading.id, Reading.is_current,
                              Reading.deleted_at.is_(None))
        .values(is_current=False, deleted_at=now)).rowcount
    if gone != 1:
        raise NotFound(msg.READING_NOT_DELETABLE, "reading")
    record_events(session, now, "deleted", select(Reading.id).where(Reading.id == reading.id))
    if reading.replaces_id is None:
        return False
    restored = session.execute(
        update(Reading).where(Reading.id == reading.replaces_id,
                              Reading.meter_id == reading.meter_id, Reading.period == period,
                              Reading.deleted_at.is_(None))
        .values(is_current=True)).rowcount
    if restored:
        record_events(session, now, "submitted",
                      select(Reading.id).where(Reading.id == reading.replaces_id))
    return bool(restored)


@dataclass(frozen=True)
class Deleted:
    """What a delete did: the meter's kind, and the reading current again (date, T1..T3), if
    the deleted one had replaced another."""

    kind: str
    restored: CurrentSubmission | None


def delete_reading(core: Core, submitter: Submitter, reading_id: int) -> Deleted:
    """Delete a reading typed in the current login session; the reading it had replaced becomes
    current again (docs/spec.md §8, §13.9). The export gets a `deleted` event for it and, for the
    one made current again, a new `submitted` event.

    Raises NotFound for any other reading (another organization's or session's, not current,
    already deleted), PeriodClosed outside the period.
    """
    with core.uow() as uow:
        session = uow.session
        now = core.clock.now()  # one instant for the period and the stamps, as a save's
        period = require_open_period(session, core, now)
        reading = _deletable(session, submitter, period.state.period, reading_id)
        restored = withdraw(session, now, period.state.period, reading)
        kind = session.scalar(select(Meter.kind).where(Meter.id == reading.meter_id))
        audit.record(session, core.clock, _actor(session, submitter), "reading_deleted",
                     organization_id=submitter.organization_id, meter_id=reading.meter_id,
                     person_id=submitter.person_id, object_id=reading_id,
                     current_again_reading_id=reading.replaces_id if restored else None)
        back = current_submission(session, reading.meter_id, period.state.period) \
            if restored else None
        uow.commit()
        return Deleted(kind, back)
