"""What an organization still has to pass this period, and what the billing said of what it
passed (docs/spec.md §2.1, §2.2): the share of meters with a current reading, per house; each
meter's current reading with the billing's verdict; the meters still missing one.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, func, select, true
from sqlalchemy.orm import aliased

from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.errors import NotFound
from lkk_integration.readings.reasons import load_reasons
from lkk_integration.models import COMMON_HOUSE, House, Meter, PersonalAccount, Reading
from lkk_integration.readings.consumption import MonthlyUse, monthly_use
from lkk_integration.readings.period import current_period
from lkk_integration.text import natural_key

# Meters on one page of a house's list.
PAGE_METERS = 300


@dataclass(frozen=True)
class HouseCoverage:
    """One served house: its meters, and how many have a current reading this period."""

    house_id: int
    address: str
    meters: int
    covered: int

    @property
    def percent(self) -> int:
        """Whole percent, rounded down (99 % until the last meter is in)."""
        return self.covered * 100 // self.meters if self.meters else 100


def _current_in(period: dt.date):
    """The join condition of a meter and its reading current in `period`."""
    return and_(Reading.meter_id == Meter.id, Reading.is_current, Reading.period == period)


def coverage(core: Core, organization_id: int,
             house_id: int | None = None) -> list[HouseCoverage]:
    """Per served house (or only `house_id`, when it is one), in address order: current meters
    and those with a reading current in this month's period (submitted by hand or by file).
    Outside the period, the month's period still counts (what was passed by its end)."""
    with core.uow() as uow:
        period = current_period(uow.session, core).state.period
        rows = uow.session.execute(
            select(House.id, House.settlement, House.street, House.house_number,
                   func.count(Meter.id), func.count(Reading.id))
            .join(Meter, and_(Meter.house_id == House.id, Meter.archived_at.is_(None)),
                  isouter=True)
            .join(Reading, _current_in(period), isouter=True)
            .where(House.organization_id == organization_id, House.removed_at.is_(None),
                   House.id == house_id if house_id is not None else true())
            .group_by(House.id, House.settlement, House.street, House.house_number)
            .order_by(House.settlement, House.street, House.house_number, House.id)).all()
    return [HouseCoverage(house_id, msg.house_address(settlement, street, number), meters,
                          covered)
            for house_id, settlement, street, number, meters, covered in rows]


@dataclass(frozen=True)
class MeterState:
    """A meter of a house as its coverage page shows it."""

    meter_id: int
    kind: str
    number: str
    apartment: str | None
    account_number: str | None
    reading_id: int | None
    reading_date: dt.date | None
    values: tuple[Decimal | None, Decimal | None, Decimal | None]
    channel: str | None
    verdict: str | None
    reason: str | None
    # The name of the reason given instead of values (docs/spec.md §13.11).
    not_read: str | None = None

    @property
    def verdict_text(self) -> str:
        """«Принято биллингом», «Отклонено биллингом: <reason>», «Ожидает проверки» or ''."""
        if self.reading_id is None:
            return ""
        if self.verdict == "accepted":
            return msg.VERDICT_ACCEPTED
        if self.verdict == "declined":
            return msg.verdict_declined(self.reason)
        return msg.VERDICT_PENDING


@dataclass(frozen=True)
class HousePage:
    coverage: HouseCoverage
    meters: list[MeterState]
    missing_only: bool
    page: int
    pages: int
    # meter id → its consumption chart, for the meters of this page that have one (§6.1).
    charts: dict[int, MonthlyUse] = field(default_factory=dict)


def meter_order(kind: str, apartment: str | None, account_number: str | None,
                number: str) -> tuple:
    """A house's meters as its pages list them: individual ones by apartment (natural order),
    account and number, then the common-house ones by number (docs/spec.md §2.2)."""
    return (kind == COMMON_HOUSE, natural_key(apartment), account_number or "", number)


def house_meters(core: Core, organization_id: int, house_id: int, missing_only: bool = False,
                 page: int = 1) -> HousePage:
    """A served house's current meters (individual by apartment, then common-house), each with
    its reading current this period and the billing's verdict on it; `missing_only` keeps the
    meters without one. PAGE_METERS per page; a page past the last shows the last. Each meter
    of the page with history has its monthly consumption chart (docs/spec.md §2.2, §6.1).

    Raises NotFound for a house the organization does not serve.
    """
    found = coverage(core, organization_id, house_id)
    if not found:
        raise NotFound(msg.PAGE_NOT_FOUND, "house")
    with core.uow() as uow:
        now = current_period(uow.session, core)
        period = now.state.period
        account = aliased(PersonalAccount)
        query = (select(Meter.id, Meter.kind, Meter.number, account.apartment, account.number,
                        Reading.id, Reading.reading_date, Reading.t1, Reading.t2, Reading.t3,
                        Reading.channel, Reading.billing_verdict, Reading.billing_reason,
                        Reading.not_read_reason)
                 .outerjoin(account, account.id == Meter.personal_account_id)
                 .outerjoin(Reading, _current_in(period))
                 .where(Meter.house_id == house_id, Meter.archived_at.is_(None)))
        if missing_only:
            query = query.where(Reading.id.is_(None))
        rows = uow.session.execute(query).all()
        reasons = load_reasons(uow.session)
        states = [MeterState(mid, kind, number, apartment, account_number, rid, date,
                             (t1, t2, t3), channel, verdict, reason, reasons.name_of(not_read))
                  for (mid, kind, number, apartment, account_number, rid, date, t1, t2, t3,
                       channel, verdict, reason, not_read) in rows]
        states.sort(key=lambda m: meter_order(m.kind, m.apartment, m.account_number,
                                              m.number))
        pages = max(1, -(-len(states) // PAGE_METERS))
        page = min(max(page, 1), pages)
        shown = states[(page - 1) * PAGE_METERS:page * PAGE_METERS]
        charts = monthly_use(uow.session, [m.meter_id for m in shown], now.today, now.rules)
    return HousePage(found[0], shown, missing_only, page, pages, charts)


def missing_meter_ids(core: Core, organization_id: int, house_ids: list[int]) -> set[int]:
    """Ids of the current meters of the given served houses without a reading current this
    period (for «Скачать список счетчиков без показаний», a template of just those)."""
    with core.uow() as uow:
        period = current_period(uow.session, core).state.period
        return set(uow.session.scalars(
            select(Meter.id)
            .join(House, House.id == Meter.house_id)
            .outerjoin(Reading, _current_in(period))
            .where(House.organization_id == organization_id, House.id.in_(house_ids),
                   House.removed_at.is_(None), Meter.archived_at.is_(None),
                   Reading.id.is_(None))))

