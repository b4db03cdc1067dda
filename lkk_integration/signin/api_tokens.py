"""The organization's API tokens (docs/spec.md §21): a contact person names a token, sees it
once, sees when each was last used and revokes it. Only a keyed hash of the token is kept, as
the SOAP clients' secrets are (security.keyed_hash): a token is 256 random bits, so a slow hash
would cost every call and add nothing. A token opens nothing once revoked, nor while its
organization is deactivated (the person's access ends with it, §15.3)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from lkk_integration import audit
from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.errors import (AuthenticationFailed, Conflict, NotFound, QuotaExceeded,
                                   ValidationError)
from lkk_integration.models import ApiQuota, ApiToken, ContactPerson, Organization
from lkk_integration.security import derive_key, keyed_hash, new_token
from lkk_integration.text import forbidden_in

PREFIX = "lkk_"
NAME_LENGTH = 100
# A token's last use is written at most this often: a call is not always a write.
TOUCH_EVERY = dt.timedelta(minutes=1)


def _key(core: Core) -> bytes:
    return derive_key(core.config.secret_key, "api-token")


@dataclass(frozen=True)
class TokenLine:
    """A token as «Настройки» lists it: never the token itself."""

    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


def _line(token: ApiToken) -> TokenLine:
    return TokenLine(token.id, token.name, token.prefix, token.created_at, token.last_used_at)


def _person(session, person_id: int) -> ContactPerson:
    return session.get(ContactPerson, person_id)


def create_api_token(core: Core, person_id: int, name: str) -> tuple[TokenLine, str]:
    """A new token named `name` (1–100 visible characters, not a name of another live token of
    the person); returns it as listed and the token itself, shown once and never kept.

    Raises ValidationError for a bad name, Conflict for a name taken."""
    name = " ".join((name or "").split())
    if not name or len(name) > NAME_LENGTH:
        raise ValidationError(msg.API_TOKEN_NAME_INVALID, "name")
    codes = forbidden_in(name)
    if codes:
        raise ValidationError(msg.forbidden_characters(msg.API_TOKEN_NAME, codes), "name")
    secret = PREFIX + new_token(32)
    with core.uow() as uow:
        session = uow.session
        taken = session.scalar(select(ApiToken.id).where(
            ApiToken.person_id == person_id, ApiToken.revoked_at.is_(None),
            ApiToken.name == name))
        if taken:
            raise Conflict(msg.api_token_name_taken(name), "name")
        token = ApiToken(person_id=person_id, name=name, prefix=secret[:8],
                         token_hash=keyed_hash(_key(core), secret), created_at=core.clock.now())
        session.add(token)
        try:
            session.flush()
        except IntegrityError:
            # A twin of the same name committed first (two clicks at once).
            raise Conflict(msg.api_token_name_taken(name), "name") from None
        person = _person(session, person_id)
        audit.record(session, core.clock, audit.Actor("person", person.id, person.email),
                     "api_token_created", organization_id=person.organization_id,
                     person_id=person.id, object_id=token.id, name=name)
        line = _line(token)
        uow.commit()
    return line, secret


def api_tokens(core: Core, person_id: int) -> list[TokenLine]:
    """The person's live tokens, newest first."""
    with core.uow() as uow:
        return [_line(t) for t in uow.session.scalars(
            select(ApiToken).where(ApiToken.person_id == person_id,
                                   ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.id.desc()))]


def revoke_api_token(core: Core, person_id: int, token_id: int) -> TokenLine:
    """Revoke the person's live token `token_id`: it opens nothing from now on. Raises
    NotFound for any other id (another person's, revoked already, unknown)."""
    with core.uow() as uow:
        session = uow.session
        token = session.scalars(select(ApiToken).where(
            ApiToken.id == token_id, ApiToken.person_id == person_id,
            ApiToken.revoked_at.is_(None))).first()
        if token is None:
            raise NotFound(msg.API_TOKEN_UNKNOWN, "token")
        token.revoked_at = core.clock.now()
        person = _person(session, person_id)
        audit.record(session, core.clock, audit.Actor("person", person.id, person.email),
                     "api_token_revoked", organization_id=person.organization_id,
                     person_id=person.id, object_id=token.id, name=token.name)
        line = _line(token)
        uow.commit()
    return line


@dataclass(frozen=True)
class ApiCaller:
    """Who a token speaks for: the token, its person and organization."""

    token_id: int
    token_name: str
    person_id: int
    email: str
    organization_id: int


def authenticate_api_token(core: Core, secret: str | None) -> ApiCaller:
    """The caller a live token speaks for; notes its use (at most once a minute).

    Raises AuthenticationFailed for no token, an unknown or revoked one, or one whose
    organization is deactivated — one message for all; QuotaExceeded past
    config.api_requests_per_minute calls in the minute (counted all the same)."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 200:
        raise AuthenticationFailed(msg.API_TOKEN_REFUSED)
    with core.uow() as uow:
        row = uow.session.execute(
            select(ApiToken, ContactPerson.email, ContactPerson.organization_id)
            .join(ContactPerson, ContactPerson.id == ApiToken.person_id)
            .join(Organization, Organization.id == ContactPerson.organization_id)
            .where(ApiToken.token_hash == keyed_hash(_key(core), secret),
                   ApiToken.revoked_at.is_(None), Organization.is_active)).first()
        if row is None:
            raise AuthenticationFailed(msg.API_TOKEN_REFUSED)
        token, email, organization_id = row
        now = core.clock.now()
        if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
            token.last_used_at = now
        calls = _count_call(uow.session, token.id, now)
        uow.commit()
        limit = core.config.api_requests_per_minute
        if calls > limit:
            raise QuotaExceeded(msg.api_quota_exceeded(limit))
        return ApiCaller(token.id, token.name, token.person_id, email, organization_id)


def _count_call(session, token_id: int, now: dt.datetime) -> int:
    """Count a call in the token's minute (one upsert, every process sharing the count); the
    count with it. Older minutes are forgotten at a minute's first call."""
    window = now.replace(second=0, microsecond=0)
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(ApiQuota).values(token_id=token_id, window_start=window, calls=1)
    calls = session.execute(statement.on_conflict_do_update(
        index_elements=[ApiQuota.token_id, ApiQuota.window_start],
        set_={"calls": ApiQuota.calls + 1}).returning(ApiQuota.calls)).scalar_one()
    if calls == 1:
        session.execute(delete(ApiQuota).where(ApiQuota.token_id == token_id,
                                               ApiQuota.window_start < window))
    return calls


def retry_after(core: Core) -> int:
    """Seconds until the next minute, when a token's count starts again (Retry-After)."""
    return 60 - core.clock.now().second


def revoke_tokens_of(session, core: Core, person_id: int) -> int:
    """Revoke every live token of the person in the caller's transaction (the organization's
    deactivation ends them, docs/spec.md §15.3, §21.1: a reactivation does not bring them
    back). Returns how many."""
    return session.execute(update(ApiToken).where(ApiToken.person_id == person_id,
                                                  ApiToken.revoked_at.is_(None))
                           .values(revoked_at=core.clock.now())).rowcount


def record_api_call(core: Core, caller: ApiCaller, method: str, path: str, status: int) -> None:
    """One `api_call` audit record of a token's call (docs/spec.md §17, §21.1): the token's
    name, the method, the path and the answer's status."""
    with core.uow() as uow:
        audit.record(uow.session, core.clock, audit.Actor("person", caller.person_id,
                                                          caller.email),
                     "api_call", organization_id=caller.organization_id,
                     person_id=caller.person_id, object_id=caller.token_id,
                     key_name=caller.token_name, method=method, path=path[:200],
                     status=status)
        uow.commit()
