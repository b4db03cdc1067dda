"""«Не снято»: the reasons a meter was not read, given instead of values (docs/spec.md §13.11).

The list is the billing's (SetNotReadReasons over SOAP) or the administrator's (§12.2): the
reasons given become the offered list in their order; a reason left out is kept, not offered,
because readings name it. A reason is matched by its name, letter case, «ё» and spaces aside,
or by its code: a spreadsheet's cell «нет  доступа» or «NO_ACCESS» is «Нет доступа».
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lkk_integration import messages as msg
from lkk_integration.errors import ValidationError
from lkk_integration.models import NotReadReason
from lkk_integration.text import forbidden_in

CODE = re.compile(r"[A-Za-z0-9_-]{1,20}")
NAME_LENGTH = 100
# The most reasons one list may offer: a select people choose from, not a catalogue.
MAX_REASONS = 100


def folded(text: str) -> str:
    """A reason's name or code as compared: lower case, ё→е, spaces folded."""
    return " ".join(text.replace("\u00a0", " ").split()).casefold().replace("ё", "е")


@dataclass(frozen=True)
class Reason:
    """One reason: its code (the billing's) and its name (what people read)."""

    code: str
    name: str


@dataclass(frozen=True)
class Reasons:
    """The offered reasons in order, and every reason's name by code (retired ones too)."""

    offered: tuple[Reason, ...]
    names: dict[str, str]
    # Folded name or code → code of each offered reason: a file's 65,535 rows look theirs up
    # in one step each, not by folding every name again.
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup = {r.code.casefold(): r.code for r in self.offered}
        lookup.update({folded(r.name): r.code for r in self.offered})
        object.__setattr__(self, "_lookup", lookup)

    def find(self, given: str) -> str | None:
        """The code of the offered reason `given` names (by name or code, folded), or None."""
        return self._lookup.get(folded(given))

    def name_of(self, code: str | None) -> str | None:
        return None if code is None else self.names.get(code, code)

    @property
    def offered_names(self) -> list[str]:
        return [r.name for r in self.offered]


def load_reasons(session: Session) -> Reasons:
    """The reasons' list as it stands (reason_list's one query)."""
    rows = reason_list(session)
    return Reasons(tuple(Reason(code, name) for code, name, active in rows if active),
                   {code: name for code, name, _active in rows})


def reason_list(session: Session) -> list[tuple[str, str, bool]]:
    """Every reason as (code, name, offered), the offered ones first in their order."""
    rows = session.execute(select(NotReadReason.code, NotReadReason.name,
                                  NotReadReason.is_active)
                           .order_by(NotReadReason.is_active.desc(), NotReadReason.position,
                                     NotReadReason.code)).all()
    return [tuple(row) for row in rows]


def checked_reasons(given: list[tuple[str | None, str | None]],
                    admin_rows: list[int] | None = None) -> list[Reason]:
    """The reasons `given` as (code, name) pairs, trimmed and checked: a code of CODE's
    letters, a name of 1–100 visible characters, neither twice (folded).

    Raises ValidationError naming the item: its field («Reasons[2].Code») and position for
    SOAP, its row on the administrator's form («Строка 2, код»; `admin_rows`: each item's);
    for an empty list or one of more than MAX_REASONS."""
    if not given:
        # One mistaken call would take the choice from every organization (§13.11).
        raise ValidationError(msg.REASONS_EMPTY, "Reasons")
    if len(given) > MAX_REASONS:
        raise ValidationError(msg.too_many_reasons(MAX_REASONS), "Reasons")
    seen_codes: set[str] = set()
    seen_names: set[str] = set()
    checked = []
    for i, (code, name) in enumerate(given, 1):
        code_field, name_field = f"Reasons[{i}].Code", f"Reasons[{i}].Name"
        if admin_rows is not None:
            row = admin_rows[i - 1]
            code_where, name_where = msg.reason_row(row, "Code"), msg.reason_row(row, "Name")
        else:
            code_where, name_where = msg.field_named(code_field), msg.field_named(name_field)
        code = (code or "").strip()
        if not CODE.fullmatch(code):
            raise ValidationError(msg.reason_code_bad(code_where), code_field, item=i)
        name = " ".join((name or "").split())
        if not name or len(name) > NAME_LENGTH:
            raise ValidationError(msg.reason_name_bad(name_where), name_field, item=i)
        codes = forbidden_in(name)
        if codes:
            raise ValidationError(msg.forbidden_characters(name_where, codes), name_field,
                                  item=i)
        if code.casefold() in seen_codes:
            raise ValidationError(msg.reason_repeated(code_where, code), code_field, item=i)
        if folded(name) in seen_names:
            raise ValidationError(msg.reason_repeated(name_where, name), name_field, item=i)
        seen_codes.add(code.casefold())
        seen_names.add(folded(name))
        checked.append(Reason(code, name))
    return checked


def set_reasons(session: Session, now: dt.datetime, reasons: list[Reason]) -> tuple[int, int]:
    """Make `reasons` (checked_reasons') the offered list in their order: a known code gets
    the name given and is offered again, a new one is added, the others are kept but no longer
    offered (docs/spec.md §13.11). Returns (offered, retired) counts."""
    known = {r.code.casefold(): r for r in session.scalars(select(NotReadReason))}
    for position, reason in enumerate(reasons):
        row = known.pop(reason.code.casefold(), None)
        if row is None:
            session.add(NotReadReason(code=reason.code, name=reason.name, is_active=True,
                                      position=position, updated_at=now))
        elif (row.name, row.is_active, row.position) != (reason.name, True, position):
            row.name, row.is_active, row.position, row.updated_at = \
                reason.name, True, position, now
    retired = [row.code for row in known.values() if row.is_active]
    if retired:
        session.execute(update(NotReadReason).where(NotReadReason.code.in_(retired))
                        .values(is_active=False, updated_at=now))
    session.flush()
    return len(reasons), len(retired)


def reasons_in_force(core) -> list[tuple[str, str, bool]]:
    """reason_list in a transaction of its own (GetNotReadReasons, the administrator's page)."""
    with core.uow() as uow:
        return reason_list(uow.session)


def update_reasons(core, actor, given: list[tuple[int, str | None, str | None]]) -> bool:
    """The administrator's list (docs/spec.md §12.2, §13.11): `given` as (row on the form,
    code, name) in order becomes the offered list, in a transaction of its own, with one
    `not_read_reasons_changed` audit record when anything changed. Returns whether anything
    did. Raises ValidationError (checked_reasons; nothing is saved then)."""
    from lkk_integration import audit

    reasons = checked_reasons([(code, name) for _row, code, name in given],
                              [row for row, _code, _name in given])
    with core.uow() as uow:
        before = reason_list(uow.session)
        set_reasons(uow.session, core.clock.now(), reasons)
        after = reason_list(uow.session)
        if after != before:
            audit.record(uow.session, core.clock, actor, "not_read_reasons_changed",
                         offered=[r.code for r in reasons])
        uow.commit()
    return after != before
