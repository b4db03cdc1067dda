"""What the cabinet shows that an administrator edits (docs/spec.md §12.2): the contact-center
phone, the login, main and recovery pages' texts, announcements with dates. Stored in the
`setting` table, so every server process shows a change with its next page.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from lkk_integration import messages as msg
from lkk_integration.config import Config
from lkk_integration.core import Core
from lkk_integration.errors import ValidationError
from lkk_integration.models import Setting
from lkk_integration.text import forbidden_in

PREFIX = "content."
TEXT_FIELDS = {"contact_phone": 50, "login_text": 2000, "main_text": 2000,
               "recovery_text": 2000, "reception_url": 500}
LABELS = msg.CONTENT_LABELS
_URL = re.compile(r"https?://[^\s<>\"']+")
MAX_ANNOUNCEMENTS = 20
ANNOUNCEMENT_MAX_CHARS = 1000


@dataclass(frozen=True)
class Announcement:
    """A notice on the main page between two Moscow dates (inclusive)."""

    text: str
    date_from: dt.date
    date_to: dt.date

    def shown_on(self, day: dt.date) -> bool:
        return self.date_from <= day <= self.date_to


@dataclass(frozen=True)
class Content:
    contact_phone: str
    login_text: str = ""
    main_text: str = ""
    recovery_text: str = ""
    reception_url: str = ""
    announcements: tuple[Announcement, ...] = field(default_factory=tuple)


def load_content(session: Session, config: Config) -> Content:
    """The content in force: defaults (the phone from LKK_CONTACT_PHONE) overridden by what an
    administrator saved."""
    stored = dict(session.execute(select(Setting.key, Setting.value)
                                  .where(Setting.key.like(PREFIX + "%"))).all())
    texts = {name: stored.get(PREFIX + name, "") for name in TEXT_FIELDS}
    texts["contact_phone"] = texts["contact_phone"] or config.contact_phone
    texts["reception_url"] = texts["reception_url"] or config.virtual_reception_url
    announcements = tuple(
        Announcement(a["text"], dt.date.fromisoformat(a["from"]), dt.date.fromisoformat(a["to"]))
        for a in json.loads(stored.get(PREFIX + "announcements", "[]")))
    return Content(announcements=announcements, **texts)


def default_content(config: Config) -> Content:
    """The content before any administrator's edit: the phone and the reception's link from the
    configuration (LKK_CONTACT_PHONE, LKK_VIRTUAL_RECEPTION_URL), no texts."""
    return Content(contact_phone=config.contact_phone, reception_url=config.virtual_reception_url)


def content_in_force(core: Core) -> Content:
    """load_content, read in a transaction of its own."""
    with core.uow() as uow:
        return load_content(uow.session, core.config)


def content_for_page(core: Core) -> Content:
    """The content every page shows: content_in_force, or default_content when the database
    fails to give it, so that an error page still shows the phone to call."""
    try:
        return content_in_force(core)
    except SQLAlchemyError:
        return default_content(core.config)


def update_content(core: Core, actor, texts: dict[str, str],
                   announcements: list[tuple[str, str, str]]) -> list[str]:
    """save_content in a transaction of its own, committed; returns the names of what changed.
    Raises ValidationError (nothing is saved then)."""
    with core.uow() as uow:
        changed = save_content(uow.session, core.clock, actor, texts, announcements)
        uow.commit()
    return changed


def save_content(session: Session, clock, actor, texts: dict[str, str],
                 announcements: list[tuple[str, str, str]]) -> list[str]:
    """Store the texts and announcements (text, from, to as dd.mm.yyyy or yyyy-mm-dd) on behalf
    of `actor` (an audit.Actor); returns the names of what changed, which one
    `content_changed` audit record names (none when nothing changed). Raises ValidationError
    naming the field (Russian message). Texts are stored as typed; the pages escape them."""
    changed = []
    for name, limit in TEXT_FIELDS.items():
        value = (texts.get(name) or "").strip()
        if len(value) > limit:
            raise ValidationError(msg.content_too_long(LABELS[name], limit), name)
        _refuse_forbidden(value, LABELS[name], name)
        if name == "contact_phone" and not value:
            raise ValidationError(msg.CONTACT_PHONE_REQUIRED, name)
        if name == "reception_url" and value and not _URL.fullmatch(value):
            raise ValidationError(msg.content_not_a_url(LABELS[name]), name)
        if _put(session, PREFIX + name, value):
            changed.append(name)
    kept = []
    for i, (text, start, end) in enumerate(announcements, 1):
        text = (text or "").strip()
        if not text:
            continue  # an announcement without text is deleted, whatever its dates
        if len(text) > ANNOUNCEMENT_MAX_CHARS:
            raise ValidationError(msg.announcement_too_long(i, ANNOUNCEMENT_MAX_CHARS),
                                  "announcement")
        _refuse_forbidden(text, msg.announcement(i), "announcement")
        try:
            first, last = _date(start), _date(end)
        except ValueError:
            raise ValidationError(msg.announcement_dates_unreadable(i), "announcement") from None
        if first > last:
            raise ValidationError(msg.announcement_dates_reversed(i), "announcement")
        kept.append({"text": text, "from": first.isoformat(), "to": last.isoformat()})
    if len(kept) > MAX_ANNOUNCEMENTS:
        raise ValidationError(msg.too_many_announcements(MAX_ANNOUNCEMENTS), "announcement")
    if _put(session, PREFIX + "announcements", json.dumps(kept, ensure_ascii=False)):
        changed.append("announcements")
    session.flush()
    if changed:
        from lkk_integration import audit

        audit.record(session, clock, actor, "content_changed", fields=changed)
    return changed


def _refuse_forbidden(text: str, label: str, name: str) -> None:
    """Control, invisible and direction characters (lkk_integration/text.py) are refused, not
    removed: the administrator sees the text they typed come back with the reason. Pages
    would show them as they are (and PostgreSQL refuses NUL in text)."""
    codes = forbidden_in(text)
    if codes:
        raise ValidationError(msg.forbidden_characters(label, codes), name)


def _date(text: str) -> dt.date:
    text = (text or "").strip()
    if not text.isascii():
        raise ValueError(text)
    for fmt in ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 2000 <= day.year <= 2100:
            return day
    raise ValueError(text)


def _put(session: Session, key: str, value: str) -> bool:
    row = session.get(Setting, key)
    if row is None:
        if not value or value == "[]":
            return False
        session.add(Setting(key=key, value=value))
        return True
    if row.value == value:
        return False
    row.value = value
    return True
