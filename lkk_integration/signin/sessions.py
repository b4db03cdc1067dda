"""Login sessions, contact persons' (LoginSession) and administrators' (AdminSession) alike:
a random token in the cookie, only its SHA-256 kept; idle and absolute timeouts; a keep-alive
at most once a minute; ended on the server at sign-out (docs/spec.md §16.3). Each kind has its
own table and cookie key, so neither reaches the other's pages."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Row, Select, update
from sqlalchemy.orm import Session

from lkk_integration.core import Core
from lkk_integration.models import LoginSession
from lkk_integration.security import new_token, sha256_hex


def start_session(session: Session, core: Core, table, **owner) -> str:
    """Add a session row to `table` (LoginSession or AdminSession) for `owner` (its columns:
    person_id and public_id, or admin_id) in the caller's transaction; returns its token."""
    now = core.clock.now()
    token = new_token()
    session.add(table(token_sha256=sha256_hex(token), created_at=now, last_seen_at=now,
                      **owner))
    return token


def resolve(core: Core, token: str | None, query: Select) -> Row | None:
    """The row `query` finds for a live session token, or None (no token, unknown, ended, idle
    or too old). `query` selects the session row first (LoginSession or AdminSession), then
    whatever its caller joins to it; the token and "not ended" are added here. Commits the
    keep-alive (keep_alive)."""
    if not token:
        return None
    table = query.column_descriptions[0]["entity"]
    with core.uow() as uow:
        row = uow.session.execute(query.where(table.token_sha256 == sha256_hex(token),
                                              table.ended_at.is_(None))).first()
        if row is None:
            return None
        alive = keep_alive(core, row[0])
        uow.commit()
        return row if alive else None


def keep_alive(core: Core, held) -> bool:
    """Whether a login session (a contact person's or an administrator's: `created_at`,
    `last_seen_at`, `ended_at`) is alive now; ends it when idle or too old, else touches it at
    most once a minute (a page view should not always be a write). The caller commits.

    Timeouts: config.session_idle_minutes, config.session_absolute_hours."""
    now = core.clock.now()
    idle = dt.timedelta(minutes=core.config.session_idle_minutes)
    absolute = dt.timedelta(hours=core.config.session_absolute_hours)
    if now - held.last_seen_at > idle or now - held.created_at > absolute:
        held.ended_at = now
        return False
    if now - held.last_seen_at > dt.timedelta(minutes=1):
        held.last_seen_at = now
    return True


def end_sessions(session: Session, core: Core, person_id: int,
                 keep_public_id: str | None = None) -> None:
    """End every live login session of the contact person (password or login change,
    deactivation), but the one of `keep_public_id` when given. The caller commits."""
    query = update(LoginSession).where(LoginSession.person_id == person_id,
                                       LoginSession.ended_at.is_(None))
    if keep_public_id is not None:
        query = query.where(LoginSession.public_id != keep_public_id)
    session.execute(query.values(ended_at=core.clock.now()))


def sign_out(core: Core, token: str, table=LoginSession) -> None:
    """End the login session of `token` on the server (`table`: LoginSession, or
    AdminSession for an administrator's)."""
    with core.uow() as uow:
        uow.session.execute(update(table)
                            .where(table.token_sha256 == sha256_hex(token),
                                   table.ended_at.is_(None))
                            .values(ended_at=core.clock.now()))
        uow.commit()
