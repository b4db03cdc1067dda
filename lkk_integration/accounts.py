"""Contact persons' sign-in: one-time links, passwords, login sessions (SPEC.md items 1, 3, 4)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import messages as msg
from .core import Core
from .errors import AuthenticationFailed, InvalidToken, ValidationError
from .models import ActionToken, ContactPerson, LoginSession, Organization
from .security import new_token, sha256_hex

# The manual's password policy (SPEC.md item 3): 8–20 Latin letters and digits.
MANUAL_PASSWORD = re.compile(r"[A-Za-z0-9]{8,20}")
# A few of the most common passwords that fit the manual's policy; issue 4 widens the list.
COMMON_PASSWORDS = frozenset({
    "12345678", "123456789", "1234567890", "password", "password1", "qwerty123", "qwertyuiop",
    "11111111", "00000000", "iloveyou", "1q2w3e4r", "1qaz2wsx", "abc12345", "qwerty12",
    "87654321", "asdfghjk", "zxcvbnm1", "Passw0rd", "Password1", "admin123",
})


def normalize_email(email: str) -> str:
    """The form e-mails are compared in: trimmed, lower case (SPEC.md glossary)."""
    return email.strip().lower()


def check_new_password(password: str, repeat: str) -> None:
    """Apply the password policy; raises ValidationError with the manual's message."""
    if not password or not repeat:
        raise ValidationError(msg.LOGIN_REQUIRED_FIELDS, "password")
    if not MANUAL_PASSWORD.fullmatch(password):
        raise ValidationError(msg.PASSWORD_POLICY, "password")
    if password != repeat:
        raise ValidationError(msg.PASSWORDS_DIFFER, "password")
    if password.lower() in {p.lower() for p in COMMON_PASSWORDS}:
        raise ValidationError(msg.PASSWORD_TOO_COMMON, "password")


def issue_token(session: Session, core: Core, person: ContactPerson, purpose: str) -> str:
    """A new one-time link token for `person`; older unused ones of any purpose die.

    Lifetime: config.token_lifetime_hours (SPEC.md item 4: 60 hours). Only the SHA-256 is kept.
    """
    now = core.clock.now()
    session.execute(update(ActionToken)
                    .where(ActionToken.person_id == person.id, ActionToken.used_at.is_(None),
                           ActionToken.revoked_at.is_(None))
                    .values(revoked_at=now))
    token = new_token()
    session.add(ActionToken(person_id=person.id, purpose=purpose, token_sha256=sha256_hex(token),
                            created_at=now,
                            expires_at=now + dt.timedelta(hours=core.config.token_lifetime_hours)))
    return token


def link_for(core: Core, token: str) -> str:
    """The link people open; its host comes from configuration, never from a request."""
    return f"{core.config.public_url.rstrip('/')}/password/{token}"


def _live_token(session: Session, core: Core, token: str) -> ActionToken:
    row = session.scalars(select(ActionToken).where(
        ActionToken.token_sha256 == sha256_hex(token))).first()
    if (row is None or row.used_at is not None or row.revoked_at is not None
            or row.expires_at <= core.clock.now()):
        raise InvalidToken(msg.TOKEN_INVALID)
    return row


def token_purpose(core: Core, token: str) -> str:
    """'activation' or 'recovery' for a live token; raises InvalidToken otherwise."""
    with core.uow() as uow:
        return _live_token(uow.session, core, token).purpose


@dataclass(frozen=True)
class SignedIn:
    """A started login session: the cookie's token and the session's stable public id."""

    token: str
    public_id: str
    person_id: int


def _start_session(session: Session, core: Core, person_id: int) -> SignedIn:
    now = core.clock.now()
    token, public_id = new_token(), new_token(16)
    session.add(LoginSession(token_sha256=sha256_hex(token), public_id=public_id,
                             person_id=person_id, created_at=now, last_seen_at=now))
    return SignedIn(token, public_id, person_id)


def end_sessions(session: Session, core: Core, person_id: int) -> None:
    """End every live login session of the person (password or login change, deactivation)."""
    session.execute(update(LoginSession)
                    .where(LoginSession.person_id == person_id, LoginSession.ended_at.is_(None))
                    .values(ended_at=core.clock.now()))


def set_password_by_token(core: Core, token: str, password: str, repeat: str) -> SignedIn:
    """Redeem an activation or recovery link: set the password, end other sessions, sign in.

    Raises InvalidToken (used, superseded, expired or unknown link) or ValidationError (policy).
    """
    check_new_password(password, repeat)
    with core.uow() as uow:
        row = _live_token(uow.session, core, token)
        now = core.clock.now()
        row.used_at = now
        person = uow.session.get(ContactPerson, row.person_id)
        person.password_hash = core.passwords.hash(password)
        person.password_changed_at = now
        end_sessions(uow.session, core, person.id)
        signed_in = _start_session(uow.session, core, person.id)
        uow.commit()
        return signed_in


def sign_in(core: Core, email: str, password: str) -> SignedIn:
    """Check an e-mail and password and start a login session.

    Unknown e-mail and wrong password get the same AuthenticationFailed after the same argon2
    work (OWASP ASVS v4.0.3 2.2.x). An inactive organization gets AuthenticationFailed with its
    own message once the password is right.
    """
    if not email.strip() or not password:
        raise ValidationError(msg.LOGIN_REQUIRED_FIELDS)
    with core.uow() as uow:
        person = uow.session.scalars(select(ContactPerson).where(
            ContactPerson.email_normalized == normalize_email(email))).first()
        if not core.passwords.verify(person.password_hash if person else None, password):
            raise AuthenticationFailed(msg.LOGIN_FAILED)
        if not person.organization.is_active:
            raise AuthenticationFailed(msg.ACCOUNT_INACTIVE)
        if core.passwords.needs_rehash(person.password_hash):
            person.password_hash = core.passwords.hash(password)
        signed_in = _start_session(uow.session, core, person.id)
        uow.commit()
        return signed_in


@dataclass(frozen=True)
class CurrentPerson:
    """Who a live login session belongs to."""

    person_id: int
    organization_id: int
    organization_name: str
    login_session_public_id: str


def resolve_session(core: Core, token: str | None) -> CurrentPerson | None:
    """The person of a live session token, or None (unknown, ended, organization inactive)."""
    if not token:
        return None
    with core.uow() as uow:
        row = uow.session.execute(
            select(LoginSession, ContactPerson.organization_id, Organization.short_name)
            .join(ContactPerson, ContactPerson.id == LoginSession.person_id)
            .join(Organization, Organization.id == ContactPerson.organization_id)
            .where(LoginSession.token_sha256 == sha256_hex(token),
                   LoginSession.ended_at.is_(None), Organization.is_active)).first()
        if row is None:
            return None
        login_session, organization_id, organization_name = row
        now = core.clock.now()
        # Touch at most once a minute: a page view should not always be a write.
        if now - login_session.last_seen_at > dt.timedelta(minutes=1):
            login_session.last_seen_at = now
            uow.commit()
        return CurrentPerson(login_session.person_id, organization_id, organization_name,
                             login_session.public_id)


def sign_out(core: Core, token: str) -> None:
    """End the login session of `token` on the server."""
    with core.uow() as uow:
        uow.session.execute(update(LoginSession)
                            .where(LoginSession.token_sha256 == sha256_hex(token),
                                   LoginSession.ended_at.is_(None))
                            .values(ended_at=core.clock.now()))
        uow.commit()
