"""The mail outbox: messages are written in the transaction of the change that causes them and
delivered later with retries, so no request fails or rolls back because the mail server is down
(docs/spec.md §18.4)."""
from __future__ import annotations

import datetime as dt
import errno
import logging
import smtplib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from lkk_integration.clock import Clock
from lkk_integration.config import MailConfig
from lkk_integration.core import Core
from lkk_integration.models import MailMessage

log = logging.getLogger(__name__)

# Retry back-off: 1, 2, 4 … minutes, at most an hour between attempts.
MAX_BACKOFF = dt.timedelta(hours=1)


def enqueue(session: Session, clock: Clock, to: str, subject: str, body: str) -> MailMessage:
    """Add a message to the outbox within the caller's transaction."""
    now = clock.now()
    message = MailMessage(to_address=to, subject=subject, body=body, created_at=now,
                          next_attempt_at=now, attempts=0)
    session.add(message)
    return message


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Deliver or raise."""


class SmtpTransport:
    """Delivery through an SMTP server (production; aiosmtpd on loopback in tests)."""

    def __init__(self, config: MailConfig, timeout: float = 30):
        self.config = config
        self.timeout = timeout

    def send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.config.smtp_host, self.config.smtp_port,
                          timeout=self.timeout) as smtp:
            if self.config.smtp_starttls:
                smtp.starttls()
            if self.config.smtp_user:
                smtp.login(self.config.smtp_user, self.config.smtp_password or "")
            smtp.send_message(message)


class FolderTransport:
    """Development delivery: each message becomes an .eml file in a folder, and is logged."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_").replace("/", "_")
        path = self.folder / f"{name}.eml"
        path.write_bytes(bytes(message))
        # The file, not the address: logs carry no personal data.
        log.info("mail written to %s", path)


def transport_for(config: MailConfig) -> Transport:
    """The transport `config.mode` names ('smtp' or 'folder')."""
    return SmtpTransport(config) if config.mode == "smtp" else FolderTransport(config.folder)


def _as_email(row: MailMessage, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = make_msgid(idstring=f"outbox-{row.id}", domain="lkk-oo.local")
    message.set_content(row.body)
    return message


def deliver_due(session_factory, clock: Clock, transport: Transport, sender: str,
                limit: int = 100) -> tuple[int, int]:
    """Send the messages whose time has come; returns (sent, failed).

    A failed message is retried later with growing back-off. Each message is marked in its own
    transaction, so a crash never re-sends what was marked sent. On PostgreSQL, rows are taken
    with SKIP LOCKED so that several senders never send one message twice.
    """
    sent = failed = 0
    with session_factory() as session:
        ids = session.scalars(
            select(MailMessage.id)
            .where(MailMessage.sent_at.is_(None), MailMessage.next_attempt_at <= clock.now())
            .order_by(MailMessage.id).limit(limit)).all()
    for message_id in ids:
        with session_factory() as session:
            row = session.scalars(
                select(MailMessage).where(MailMessage.id == message_id,
                                          MailMessage.sent_at.is_(None))
                .with_for_update(skip_locked=True)).first()
            if row is None:
                continue
            try:
                transport.send(_as_email(row, sender))
            except (OSError, smtplib.SMTPException) as exc:
                row.attempts += 1
                backoff = min(dt.timedelta(minutes=2 ** (row.attempts - 1)), MAX_BACKOFF)
                row.next_attempt_at = clock.now() + backoff
                # The whole reply stays with the message (where its address is anyway); the
                # log gets only what names no one.
                row.last_error = f"{type(exc).__name__}: {exc}"[:1000]
                failed += 1
                log.warning("mail %s not delivered (attempt %s): %s", row.id, row.attempts,
                            delivery_failure(exc))
            else:
                row.sent_at = clock.now()
                sent += 1
            session.commit()
    return sent, failed


def delivery_failure(exc: BaseException) -> str:
    """What the log says of a failed delivery: the error's kind and its SMTP reply codes (or
    errno), never its text — a refusal names the refused recipient, and a server's reply may
    quote the address in any message: «SMTPRecipientsRefused (550)»."""
    codes: list[object] = []
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _reply in exc.recipients.values()})
    elif isinstance(exc, smtplib.SMTPResponseException):
        codes = [exc.smtp_code]
    elif isinstance(exc, OSError) and isinstance(exc.errno, int):
        codes = [errno.errorcode.get(exc.errno, exc.errno)]
    return type(exc).__name__ + (f" ({', '.join(map(str, codes))})" if codes else "")


@dataclass
class Chore:
    """Housekeeping the sender thread runs besides delivery, at most once per `every` of the
    clock (the first round runs it)."""

    name: str
    every: dt.timedelta
    job: Callable[[], object]
    due_at: dt.datetime | None = None


class OutboxSender(threading.Thread):
    """A background thread that delivers the outbox every `interval` seconds and runs its
    chores (serve, demo).

    Production may instead run `lkk send-mail` (and each chore's command) from a timer; both
    are safe together.
    """

    def __init__(self, session_factory, clock: Clock, transport: Transport, sender: str,
                 interval: float = 5.0, chores: Sequence[Chore] = ()):
        super().__init__(name="outbox-sender", daemon=True)
        self.args_ = (session_factory, clock, transport, sender)
        self.clock = clock
        self.interval = interval
        self.chores = list(chores)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.run_round()

    def run_round(self) -> None:
        """Deliver what is due, then run the chores whose time has come. A failure is logged
        and keeps the thread alive: the next round (a failed chore: its next time) retries."""
        try:
            deliver_due(*self.args_)
        except Exception:
            log.exception("outbox delivery round failed")
        now = self.clock.now()
        for chore in self.chores:
            if chore.due_at is not None and chore.due_at > now:
                continue
            chore.due_at = now + chore.every
            try:
                log.info("%s: %s", chore.name, chore.job())
            except Exception:
                log.exception("%s failed", chore.name)

    def stop(self) -> None:
        self.stopped.set()


def deliver_mail(core: Core) -> tuple[int, int]:
    """deliver_due once through the configured transport (`lkk send-mail`): (sent, failed)."""
    return deliver_due(core.session_factory, core.clock, transport_for(core.config.mail),
                       core.config.mail.sender)


def mail_sender(core: Core, chores: Sequence[Chore] = ()) -> OutboxSender:
    """An OutboxSender through the configured transport, with `chores` (serve, demo); not
    started."""
    return OutboxSender(core.session_factory, core.clock, transport_for(core.config.mail),
                        core.config.mail.sender, chores=chores)
