"""Administrators: accounts, sign-in with the contact persons' hardening, the audit search
(issue 7). Administrators and contact persons share no session: each has its own table and
cookie key, so neither reaches the other's pages."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lkk_integration import audit
from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.errors import AuthenticationFailed, Conflict, ValidationError
from lkk_integration.models import Administrator, AdminSession, AuditRecord
from lkk_integration.organizations.payloads import EMAIL
from lkk_integration.security import new_token, sha256_hex
from lkk_integration.signin.contact_persons import (
    _attempt_succeeded,
    _begin_attempt,
    _form_value,
    check_new_password,
    keep_alive,
    normalize_email,
    sign_out,
)

# Throttling counts administrators' attempts apart from contact persons' with this prefix.
ACCOUNT_PREFIX = "admin:"
AUDIT_PAGE = 100


def create_admin(core: Core, email: str, password: str, repeat: str) -> int:
    """Create an administrator (`lkk create-admin`); the password follows the configured
    policy. Raises ValidationError, or Conflict when the e-mail is taken. Returns the id."""
    email = (email or "").strip()
    if len(email) > 254 or not EMAIL.fullmatch(email):
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
    account = _form_value(normalize_email(email))
    attempt_id = _begin_attempt(core, "login", ACCOUNT_PREFIX + account, address)
    with core.uow() as uow:
        admin = uow.session.scalars(select(Administrator).where(
            Administrator.email_normalized == account)).first()
        if not core.passwords.verify(admin.password_hash if admin else None, password):
            audit.record(uow.session, core.clock,
                         audit.Actor("anonymous", None, audit.tried_account(account)),
                         "admin_login_failed", address=address)
            uow.commit()
            raise AuthenticationFailed(msg.LOGIN_FAILED)
        _attempt_succeeded(uow.session, attempt_id)
        now = core.clock.now()
        token = new_token()
        uow.session.add(AdminSession(token_sha256=sha256_hex(token), admin_id=admin.id,
                                     created_at=now, last_seen_at=now))
        audit.record(uow.session, core.clock, audit.Actor("admin", admin.id, admin.email),
                     "admin_login", address=address)
        uow.commit()
        return token


def resolve_admin(core: Core, token: str | None) -> CurrentAdmin | None:
    """The administrator of a live session token, or None (ended, idle or too old: the
    contact persons' timeouts apply)."""
    if not token:
        return None
    with core.uow() as uow:
        row = uow.session.execute(
            select(AdminSession, Administrator.email)
            .join(Administrator, Administrator.id == AdminSession.admin_id)
            .where(AdminSession.token_sha256 == sha256_hex(token),
                   AdminSession.ended_at.is_(None))).first()
        if row is None:
            return None
        admin_session, email = row
        alive = keep_alive(core, admin_session)
        uow.commit()
        return CurrentAdmin(admin_session.admin_id, email) if alive else None


def admin_sign_out(core: Core, token: str) -> None:
    """End an administrator's login session."""
    sign_out(core, token, AdminSession)


@dataclass(frozen=True)
class AuditPage:
    records: list[AuditRecord]
    total: int
    page: int
    pages: int


def search_audit(core: Core, organization_id: int | None = None,
                 meter_ids: list[int] | None = None, person_id: int | None = None,
                 date_from: dt.datetime | None = None, date_to: dt.datetime | None = None,
                 page: int = 1) -> AuditPage:
    """Audit records, newest first, AUDIT_PAGE per page, narrowed by organization, meters
    (ids; an empty list finds nothing), person (the person concerned, or the acting contact
    person) and instants [from, to)."""
    query = select(AuditRecord)
    if organization_id is not None:
        query = query.where(AuditRecord.organization_id == organization_id)
    if meter_ids is not None:
        query = query.where(AuditRecord.meter_id.in_(meter_ids or [-1]))
    if person_id is not None:
        query = query.where((AuditRecord.person_id == person_id)
                            | ((AuditRecord.actor_kind == "person")
                               & (AuditRecord.actor_id == person_id)))
    if date_from is not None:
        query = query.where(AuditRecord.at >= date_from)
    if date_to is not None:
        query = query.where(AuditRecord.at < date_to)
    with core.uow() as uow:
        total = uow.session.scalar(select(func.count()).select_from(query.subquery()))
        pages = max(1, -(-total // AUDIT_PAGE))
        page = min(max(page, 1), pages)
        records = list(uow.session.scalars(query.order_by(AuditRecord.id.desc())
                                           .offset((page - 1) * AUDIT_PAGE).limit(AUDIT_PAGE)))
    return AuditPage(records, total, page, pages)
