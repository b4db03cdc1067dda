"""Reminders of the meters still without a reading before the period closes (docs/spec.md §2.3):
the contact person is mailed, a few days before the close, the houses whose meters have no
reading this period, once per organization, period and number of days, whatever the number of
processes deciding it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.models import (COMMON_HOUSE, KINDS, ContactPerson, House, MailMessage, Meter,
                                    Organization, Reading, Reminder)
from lkk_integration.outbox import enqueue
from lkk_integration.readings.period import current_period, deadline_of
from lkk_integration.text import natural_key


# How often `serve`'s background thread decides the reminders due.
REMIND_EVERY = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class ReminderRound:
    """What one round of send_reminders did: reminders decided, mails among them."""

    decided: int = 0
    mailed: int = 0

    def __str__(self) -> str:
        """«reminders decided 1, mailed 1»: a log line's, and `lkk send-reminders`'s output."""
        return f"reminders decided {self.decided}, mailed {self.mailed}"


def due_days_before(days_left: int, reminder_days: tuple[int, ...]) -> int | None:
    """The reminder due when the open period has `days_left` days (today included, as the main
    page counts them, docs/spec.md §2): the smallest of `reminder_days` (days before the
    close) not below it, or None before the first. A reminder whose day passed with no process
    running is due until a nearer one is: that one then stands for both."""
    due = [days for days in reminder_days if days >= days_left]
    return min(due) if due else None


def send_reminders(core: Core) -> ReminderRound:
    """Decide the reminders due now (docs/spec.md §2.3) and put their mails into the outbox.

    Each active organization whose contact person is activated and has reminders on gets, once per
    period and number of days before the close (core.config.reminder_days), a reminder
    recorded with what was missing then; the mail goes only when a meter had no reading.
    Each organization is decided in its own transaction: the reminder's unique key makes a
    second process's decision (or a second round's) do nothing. Nothing outside the period.
    """
    with core.uow() as uow:
        period = current_period(uow.session, core)
        if not period.state.is_open:
            return ReminderRound()
        days_before = due_days_before(period.state.days, core.config.reminder_days)
        if days_before is None:
            return ReminderRound()
        month = period.state.period
        waiting = uow.session.execute(
            select(ContactPerson.organization_id, ContactPerson.full_name, ContactPerson.email)
            .join(Organization, Organization.id == ContactPerson.organization_id)
            .where(Organization.is_active, ContactPerson.reminders,
                   ContactPerson.password_hash.is_not(None),
                   ~select(Reminder.id).where(Reminder.organization_id
                                              == ContactPerson.organization_id,
                                              Reminder.period == month,
                                              Reminder.days_before == days_before).exists())
            .order_by(ContactPerson.organization_id)).all()
    deadline = deadline_of(period)
    # A kind whose days are over for this period is no longer missing (docs/spec.md §5.2).
    counted = {kind for kind in KINDS if period.today <= period.window_for(kind)[1]}
    decided = mailed = 0
    for organization_id, name, email in waiting:
        with core.uow() as uow:
            session = uow.session
            houses = _missing_by_house(session, organization_id, month, counted)
            individual = sum(i for _a, i, _c in houses)
            common = sum(c for _a, _i, c in houses)
            values = {"organization_id": organization_id, "period": month,
                      "days_before": days_before, "decided_at": period.at,
                      "houses": len(houses), "individual": individual, "common_house": common}
            upsert = pg_insert if session.get_bind().dialect.name == "postgresql" \
                else sqlite_insert
            reminder_id = session.execute(upsert(Reminder).values(values)
                                          .on_conflict_do_nothing()
                                          .returning(Reminder.id)).scalar()
            if reminder_id is None:
                continue  # decided by another process (or round) meanwhile
            decided += 1
            if houses:
                base = core.config.public_url.rstrip("/")
                message = enqueue(session, core.clock, email,
                                  msg.reminder_subject(deadline.last_day),
                                  msg.reminder_body(name, period.state.days, deadline.last_day,
                                                    houses, f"{base}/missing.xls",
                                                    f"{base}/readings/", f"{base}/settings/"))
                session.flush()
                session.execute(update(Reminder).where(Reminder.id == reminder_id)
                                .values(mail_id=message.id))
                mailed += 1
            uow.commit()
    return ReminderRound(decided, mailed)


def _missing_by_house(session, organization_id: int, month: dt.date,
                      kinds: set[str]) -> list[tuple[str, int, int]]:
    """The served houses with current meters of `kinds` without a reading current in `month`'s
    period, in the natural order of addresses (docs/spec.md §9: «д. 2» before «д. 10»):
    (address, individual meters missing, common-house meters missing)."""
    common = case((Meter.kind == COMMON_HOUSE, 1), else_=0)
    rows = session.execute(
        select(House.id, House.settlement, House.street, House.house_number,
               func.count(Meter.id) - func.sum(common), func.sum(common))
        .join(Meter, and_(Meter.house_id == House.id, Meter.archived_at.is_(None)))
        .outerjoin(Reading, and_(Reading.meter_id == Meter.id, Reading.is_current,
                                 Reading.period == month))
        .where(House.organization_id == organization_id, House.removed_at.is_(None),
               Reading.id.is_(None), Meter.kind.in_(sorted(kinds)))
        .group_by(House.id, House.settlement, House.street, House.house_number)).all()
    rows = sorted(rows, key=lambda r: (natural_key(r.settlement), natural_key(r.street),
                                       natural_key(r.house_number), r.id))
    return [(msg.house_address(settlement, street, number), int(individual), int(common_house))
            for _id, settlement, street, number, individual, common_house in rows]


@dataclass(frozen=True)
class ReminderShown:
    """A reminder as an administrator's page lists it (docs/spec.md §12.3)."""

    period: dt.date
    days_before: int
    decided_at: dt.datetime
    houses: int
    individual: int
    common_house: int
    # The mail's delivery: None while in the outbox (or when none was due: mailed False).
    mailed: bool
    sent_at: dt.datetime | None


def organization_reminders(core: Core, organization_id: int,
                           limit: int = 24) -> list[ReminderShown]:
    """The organization's latest `limit` reminders, newest first, with their mails' delivery."""
    with core.uow() as uow:
        rows = uow.session.execute(
            select(Reminder.period, Reminder.days_before, Reminder.decided_at, Reminder.houses,
                   Reminder.individual, Reminder.common_house, Reminder.mail_id.is_not(None),
                   MailMessage.sent_at)
            .outerjoin(MailMessage, MailMessage.id == Reminder.mail_id)
            .where(Reminder.organization_id == organization_id)
            .order_by(Reminder.decided_at.desc(), Reminder.id.desc()).limit(limit)).all()
    return [ReminderShown(*row) for row in rows]
