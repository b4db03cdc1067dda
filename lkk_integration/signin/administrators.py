"""Administrators: accounts and sign-in with the contact persons' hardening (docs/spec.md
§12.1): the same throttle (signin/throttle.py) and the same sessions (signin/sessions.py), in a
table and under a cookie key of their own, so neither kind reaches the other's pages."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lkk_integration import audit
from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.errors import AuthenticationFailed, Conflict, ValidationError
from lkk_integration.formats import is_email, normalize_email
from lkk_integration.models import Administrator, AdminSession
from lkk_integration.signin import sessions
from lkk_integration.signin.passwords import check_new_password
from lkk_integration.signin.throttle import account_of, attempt_succeeded, begin_attempt

# Throttling counts administrators' attempts apart from contact persons' with this prefix.
ACCOUNT_PREFIX = "admin:"


def create_admin(core: Core, email: str, password: str, repeat: str) -> int:
    """Create an administrator (`lkk create-admin`); the password follows the configured
    policy. Raises ValidationError, or Conflict when the e-mail is taken. Returns the id."""
    email = (email or "").strip()
    if not is_email(email):
        raise ValidationError(msg.EMAIL_INVALID, "email")
    check_new_password(password, repeat, core.config.password_policy)
    now = core.clock.now()
    with core.uow() as uow:
        admin = Administrator(email=email, email_normalized=normalize_email(email),
                              password_hash=core.passwords.hash(password), created_at=now,
                              password_changed_at=now)
        uow.session.add(admin)
        try:
            uow.session.flush()
        except IntegrityError:
            raise Conflict(msg.email_taken(email=email), "email") from None
        audit.record(uow.session, core.clock, audit.Actor("operator", None, "lkk CLI"),
                     "admin_created", admin_id=admin.id, email=email)
        uow.commit()
        return admin.id


@dataclass(frozen=True)
class CurrentAdmin:
    """Who a live administrator's session belongs to."""

    admin_id: int
    email: str


def admin_sign_in(core: Core, email: str, password: str, address: str = "") -> str:
    """Check an administrator's e-mail and password; returns a new session token.

    The same hardening as contact persons: throttled per account and address before any
    password work, the same answer for an unknown e-mail and a wrong password, each attempt
    audited. Raises ValidationError, Throttled, AuthenticationFailed.
    """
    if not (email or "").strip() or not password:
        raise ValidationError(msg.LOGIN_REQUIRED_FIELDS)
    account = account_of(email)
    attempt_id = begin_attempt(core, "login", ACCOUNT_PREFIX + account, address)
    with core.uow() as uow:
        admin = uow.session.scalars(select(Administrator).where(
            Administrator.email_normalized == account)).first()
        if not core.passwords.verify(admin.password_hash if admin else None, password):
            audit.record(uow.session, core.clock,
                         audit.Actor("anonymous", None, audit.tried_account(account)),
                         "admin_login_failed", address=address)
            uow.commit()
            raise AuthenticationFailed(msg.LOGIN_FAILED)
        attempt_succeeded(uow.session, attempt_id)
        token = sessions.start_session(uow.session, core, AdminSession, admin_id=admin.id)
        audit.record(uow.session, core.clock, audit.Actor("admin", admin.id, admin.email),
                     "admin_login", address=address)
        uow.commit()
        return token


def resolve_admin(core: Core, token: str | None) -> CurrentAdmin | None:
    """The administrator of a live session token, or None (ended, idle or too old: the
    contact persons' timeouts apply)."""
    row = sessions.resolve(core, token, select(AdminSession, Administrator.email)
                           .join(Administrator, Administrator.id == AdminSession.admin_id))
    if row is None:
        return None
    admin_session, email = row
    return CurrentAdmin(admin_session.admin_id, email)


def admin_sign_out(core: Core, token: str) -> None:
    """End an administrator's login session."""
    sessions.sign_out(core, token, AdminSession)
