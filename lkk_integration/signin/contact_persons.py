"""Contact persons' sign-in: one-time links, passwords, login sessions (SPEC.md items 1, 3, 4)."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import math
import re
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lkk_integration import audit
from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidToken,
    Throttled,
    ValidationError,
)
from lkk_integration.models import (
    ActionToken,
    ContactPerson,
    LoginSession,
    Organization,
    SignInAttempt,
)
from lkk_integration.organizations.payloads import EMAIL
from lkk_integration.outbox import enqueue
from lkk_integration.security import derive_key, new_token, sha256_hex

# The manual's password policy (SPEC.md item 3): 8–20 Latin letters and digits.
MANUAL_PASSWORD = re.compile(r"[A-Za-z0-9]{8,20}")


@functools.cache
def _common_passwords() -> frozenset[str]:
    """30,000 most common passwords of real leaks, from zxcvbn's frequency lists (a maintained
    list beats one typed here)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _actor(person: ContactPerson) -> audit.Actor:
    return audit.Actor("person", person.id, person.email)


def normalize_email(email: str) -> str:
    """The form e-mails are compared in: trimmed, lower case (SPEC.md glossary)."""
    return email.strip().lower()


def check_new_password(password: str, repeat: str, policy: str = "manual") -> None:
    """Apply the password policy ('manual': SPEC.md item 3; 'asvs': OWASP ASVS v4.0.3
    2.1.1/2.1.2/2.1.9); raises ValidationError with the manual's messages."""
    if not password or not repeat:
        raise ValidationError(msg.LOGIN_REQUIRED_FIELDS, "password")
    if policy == "asvs":
        if not 12 <= len(password) <= 128:
            raise ValidationError(msg.PASSWORD_POLICY_ASVS, "password")
    elif not MANUAL_PASSWORD.fullmatch(password):
        raise ValidationError(msg.PASSWORD_POLICY, "password")
    if password != repeat:
        raise ValidationError(msg.PASSWORDS_DIFFER, "password")
    if password.lower() in _common_passwords():
        raise ValidationError(msg.PASSWORD_TOO_COMMON, "password")


# Links that set a password are one family; a newer one kills the older. Confirming a new
# e-mail is another, so a stranger's recovery request cannot cancel a pending change.
FAMILIES = {"activation": ("activation", "recovery"), "recovery": ("activation", "recovery"),
            "email_change": ("email_change",)}


def issue_token(session: Session, core: Core, person: ContactPerson, purpose: str) -> str:
    """A new one-time link token for `person`; older unused ones of the same family die.

    Lifetime: config.token_lifetime_hours (SPEC.md item 4: 60 hours). Only the SHA-256 is kept.
    """
    now = core.clock.now()
    session.execute(update(ActionToken)
                    .where(ActionToken.person_id == person.id, ActionToken.used_at.is_(None),
                           ActionToken.revoked_at.is_(None),
                           ActionToken.purpose.in_(FAMILIES[purpose]))
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


def _consume(session: Session, core: Core, token: str) -> ActionToken:
    """Take a live link for use, atomically: of two requests racing with one link, one wins."""
    row = _live_token(session, core, token)
    taken = session.execute(update(ActionToken)
                            .where(ActionToken.id == row.id, ActionToken.used_at.is_(None),
                                   ActionToken.revoked_at.is_(None))
                            .values(used_at=core.clock.now())).rowcount
    if taken != 1:
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


def set_password_by_token(core: Core, token: str, password: str, repeat: str,
                          address: str = "") -> SignedIn:
    """Redeem an activation or recovery link: set the password, end other sessions, sign in.

    Raises InvalidToken (used, superseded, expired or unknown link) or ValidationError (policy).
    """
    check_new_password(password, repeat, core.config.password_policy)
    with core.uow() as uow:
        if _live_token(uow.session, core, token).purpose == "email_change":
            raise InvalidToken(msg.TOKEN_INVALID)
        row = _consume(uow.session, core, token)
        now = core.clock.now()
        person = uow.session.get(ContactPerson, row.person_id)
        person.password_hash = core.passwords.hash(password)
        person.password_changed_at = now
        end_sessions(uow.session, core, person.id)
        signed_in = _start_session(uow.session, core, person.id)
        audit.record(uow.session, core.clock, _actor(person), "password_set",
                     organization_id=person.organization_id, person_id=person.id,
                     address=address, link=row.purpose)
        uow.commit()
        return signed_in


# Failures allowed before waiting (per account, per client address), and the longest wait.
FREE_FAILURES = {"account": 5, "address": 20}
MAX_WAIT_MINUTES = 60
ATTEMPTS_MEMORY = dt.timedelta(hours=24)


def _wait_minutes(session: Session, core: Core, kind: str, attempt_id: int, column, value: str,
                  free: int, since_success: bool) -> int:
    """Minutes to wait: 0 under `free` other failures; then 1, 2, 4 … minutes
    after the last of them, at most MAX_WAIT_MINUTES (never permanent).

    An account's failures count since its last success; an address's count for the last hour
    whatever succeeded (a success of one's own must not reset a spray over others' accounts).
    """
    now = core.clock.now()
    memory = ATTEMPTS_MEMORY if since_success else dt.timedelta(hours=1)
    # Every other attempt, earlier or racing: ids are handed out before commit, so "id below
    # mine" would miss a racer that committed late. Each attempt is committed before its check,
    # so of racing attempts the last to check sees all the others.
    scope = (SignInAttempt.kind == kind, column == value, SignInAttempt.id != attempt_id,
             SignInAttempt.attempted_at >= now - memory)
    last_success = 0
    if since_success:
        last_success = session.scalar(select(func.max(SignInAttempt.id))
                                      .where(*scope, SignInAttempt.succeeded)) or 0
    failures, last_failure = session.execute(
        select(func.count(), func.max(SignInAttempt.attempted_at))
        .where(*scope, ~SignInAttempt.succeeded, SignInAttempt.id > last_success)).one()
    if failures < free:
        return 0
    wait = dt.timedelta(minutes=min(2 ** (failures - free), MAX_WAIT_MINUTES))
    remaining = (last_failure + wait - now).total_seconds()
    return min(math.ceil(remaining / 60), MAX_WAIT_MINUTES) if remaining > 0 else 0


# The sender thread of `lkk serve` prunes this often; a timer running
# `lkk prune-sign-in-attempts` may do it as often or daily.
PRUNE_EVERY = dt.timedelta(hours=1)
# Rows per DELETE: a backlog of months goes in short statements, each well inside the statement
# timeout, and sign-ins meanwhile never wait behind one long delete.
PRUNE_BATCH = 10_000


def prune_sign_in_attempts(core: Core) -> int:
    """Delete the login and recovery attempts that throttling no longer looks at: older than
    config.sign_in_attempt_retention_hours, never less than ATTEMPTS_MEMORY (an account's
    failures count for 24 hours, an address's for one). Returns how many were deleted.

    Set-based, PRUNE_BATCH rows per statement, each batch its own transaction."""
    keep = max(dt.timedelta(hours=core.config.sign_in_attempt_retention_hours), ATTEMPTS_MEMORY)
    cutoff = core.clock.now() - keep
    deleted = 0
    while True:
        with core.uow() as uow:
            batch = (select(SignInAttempt.id).where(SignInAttempt.attempted_at < cutoff)
                     .limit(PRUNE_BATCH))
            count = uow.session.execute(
                delete(SignInAttempt).where(SignInAttempt.id.in_(batch))
                .execution_options(synchronize_session=False)).rowcount
            uow.commit()
        deleted += count
        if count < PRUNE_BATCH:
            return deleted


def _kept_account(core: Core, typed: str) -> str:
    """What the attempts table keeps of the account typed: an e-mail as it is; anything else —
    a password typed into the wrong field, perhaps — only as a keyed hash, which still counts
    repeated tries of the same text."""
    if EMAIL.fullmatch(typed or "") and len(typed) <= 254:
        return typed
    digest = hmac.new(derive_key(core.config.secret_key, "sign-in-account"),
                      (typed or "").encode("utf-8", "surrogatepass"), hashlib.sha256)
    return "hmac:" + digest.hexdigest()[:40]


def _begin_attempt(core: Core, kind: str, account: str, address: str) -> int:
    """Record the attempt as failed before any check, so that racing attempts see each other;
    raise Throttled (and forget the attempt) while the account or address must wait."""
    account = _kept_account(core, account)
    with core.uow() as uow:
        attempt = SignInAttempt(kind=kind, account=account[:254], address=address[:64],
                                attempted_at=core.clock.now(), succeeded=False)
        uow.session.add(attempt)
        uow.commit()
        attempt_id = attempt.id
    with core.uow() as uow:
        wait = _wait_minutes(uow.session, core, kind, attempt_id, SignInAttempt.account,
                             account, FREE_FAILURES["account"], since_success=True)
        if address:
            wait = max(wait, _wait_minutes(uow.session, core, kind, attempt_id,
                                           SignInAttempt.address, address,
                                           FREE_FAILURES["address"], since_success=False))
        if wait:
            # A refused attempt does not count: hammering must not lengthen the wait forever.
            uow.session.execute(delete(SignInAttempt).where(SignInAttempt.id == attempt_id))
            uow.commit()
            raise Throttled(msg.too_many_attempts(wait))
    return attempt_id


def _attempt_succeeded(session: Session, attempt_id: int) -> None:
    session.execute(update(SignInAttempt).where(SignInAttempt.id == attempt_id)
                    .values(succeeded=True))


def sign_in(core: Core, email: str, password: str, address: str = "") -> SignedIn:
    """Check an e-mail and password and start a login session.

    Throttled per account and per client address, counted in the database and checked before
    the password (raises Throttled). Unknown e-mail and wrong password get the same
    AuthenticationFailed after the same argon2 work (OWASP ASVS v4.0.3 2.2.1, 2.2.x). An
    inactive organization gets AuthenticationFailed with its own message once the password is
    right.
    """
    if not email.strip() or not password:
        raise ValidationError(msg.LOGIN_REQUIRED_FIELDS)
    account = _form_value(normalize_email(email))
    attempt_id = _begin_attempt(core, "login", account, address)
    with core.uow() as uow:
        person = uow.session.scalars(select(ContactPerson).where(
            ContactPerson.email_normalized == account)).first()
        refusal = None
        if not core.passwords.verify(person.password_hash if person else None, password):
            refusal = msg.LOGIN_FAILED
        elif not person.organization.is_active:
            refusal = msg.ACCOUNT_INACTIVE
        if refusal is not None:
            # Whoever typed it: the trail names the account tried, not who tried.
            audit.record(uow.session, core.clock,
                         audit.Actor("anonymous", None, audit.tried_account(account)),
                         "login_failed", address=address,
                         organization_id=person.organization_id if person else None,
                         person_id=person.id if person else None)
            uow.commit()
            raise AuthenticationFailed(refusal)
        if core.passwords.needs_rehash(person.password_hash):
            person.password_hash = core.passwords.hash(password)
        _attempt_succeeded(uow.session, attempt_id)
        signed_in = _start_session(uow.session, core, person.id)
        audit.record(uow.session, core.clock, _actor(person), "login", address=address,
                     organization_id=person.organization_id, person_id=person.id)
        uow.commit()
        return signed_in


def request_recovery(core: Core, email: str, address: str = "") -> None:
    """Send a recovery link if the e-mail belongs to an active account; say nothing either way.

    Throttled like login (raises Throttled for known and unknown addresses alike). The link
    works once, for config.token_lifetime_hours, and dies when a newer one is sent or the
    password changes (SPEC.md item 4).
    """
    account = _form_value(normalize_email(email or ""))
    if not account:
        raise ValidationError(msg.LOGIN_REQUIRED_FIELDS)
    # Every request stays counted as a failure: a flood of mail is the risk.
    _begin_attempt(core, "recovery", account, address)
    with core.uow() as uow:
        person = uow.session.scalars(select(ContactPerson).where(
            ContactPerson.email_normalized == account)).first()
        if person is not None and person.organization.is_active:
            token = issue_token(uow.session, core, person, "recovery")
            enqueue(uow.session, core.clock, person.email, msg.RECOVERY_SUBJECT,
                    msg.recovery_body(name=person.full_name,
                                             organization=person.organization.short_name,
                                             hours=core.config.token_lifetime_hours,
                                             link=link_for(core, token)))
        uow.commit()


def change_password(core: Core, person_id: int, current_session_id: str, current: str,
                    new: str, repeat: str) -> None:
    """Change the password (SPEC.md item 3): only the new one works afterwards, the person's
    other sessions end and unused links die. Raises ValidationError with the manual's messages
    or CURRENT_PASSWORD_WRONG."""
    if not current or not new or not repeat:
        raise ValidationError(msg.LOGIN_REQUIRED_FIELDS)
    check_new_password(new, repeat, core.config.password_policy)
    with core.uow() as uow:
        person = uow.session.get(ContactPerson, person_id)
        _check_current_password(core, person, current)
        now = core.clock.now()
        person.password_hash = core.passwords.hash(new)
        person.password_changed_at = now
        _revoke_links(uow.session, now, person.id)
        uow.session.execute(update(LoginSession)
                            .where(LoginSession.person_id == person.id,
                                   LoginSession.ended_at.is_(None),
                                   LoginSession.public_id != current_session_id)
                            .values(ended_at=now))
        audit.record(uow.session, core.clock, _actor(person), "password_changed",
                     organization_id=person.organization_id, person_id=person.id)
        uow.commit()


def _check_current_password(core: Core, person: ContactPerson, password: str) -> None:
    """The current password, throttled like login: a stolen session must not become a way to
    guess it. Raises Throttled or ValidationError."""
    attempt_id = _begin_attempt(core, "login", person.email_normalized, "")
    if not core.passwords.verify(person.password_hash, password):
        raise ValidationError(msg.CURRENT_PASSWORD_WRONG, "current")
    with core.uow() as uow:
        _attempt_succeeded(uow.session, attempt_id)
        uow.commit()


def _form_value(value: str) -> str:
    """Refuse what no database stores in text (NUL) before it reaches a query."""
    if "\x00" in value:
        raise ValidationError(msg.LOGIN_FAILED)
    return value


def _revoke_links(session: Session, now: dt.datetime, person_id: int) -> None:
    session.execute(update(ActionToken)
                    .where(ActionToken.person_id == person_id, ActionToken.used_at.is_(None),
                           ActionToken.revoked_at.is_(None))
                    .values(revoked_at=now))


def request_email_change(core: Core, person_id: int, new_email: str, password: str) -> None:
    """Ask to move the login to a new e-mail: the current password is required, the address
    must be free (letter case ignored); a link goes to the new address and a notice to the old.
    The change takes effect when the link is opened (confirm_email_change)."""
    new_email = (new_email or "").strip()
    if not new_email or not password:
        raise ValidationError(msg.LOGIN_REQUIRED_FIELDS)
    if len(new_email) > 254 or not EMAIL.fullmatch(new_email):
        raise ValidationError(msg.EMAIL_INVALID, "email")
    with core.uow() as uow:
        person = uow.session.get(ContactPerson, person_id)
        _check_current_password(core, person, password)
        normalized = normalize_email(new_email)
        if normalized == person.email_normalized:
            raise ValidationError(msg.EMAIL_SAME, "email")
        if uow.session.scalar(select(ContactPerson.id).where(
                ContactPerson.email_normalized == normalized)):
            raise Conflict(msg.email_taken(email=new_email), "email")
        token = issue_token(uow.session, core, person, "email_change")
        uow.session.scalars(select(ActionToken).where(
            ActionToken.token_sha256 == sha256_hex(token))).one().new_email = new_email
        names = dict(name=person.full_name, organization=person.organization.short_name,
                     new=new_email)
        enqueue(uow.session, core.clock, new_email, msg.EMAIL_CONFIRM_SUBJECT,
                msg.email_confirm_body(hours=core.config.token_lifetime_hours,
                                       link=email_link_for(core, token), **names))
        enqueue(uow.session, core.clock, person.email, msg.EMAIL_CHANGED_SUBJECT,
                msg.email_change_requested_body(**names))
        audit.record(uow.session, core.clock, _actor(person), "email_change_requested",
                     organization_id=person.organization_id, person_id=person.id,
                     new_email=new_email)
        uow.commit()


def email_link_for(core: Core, token: str) -> str:
    return f"{core.config.public_url.rstrip('/')}/email/{token}"


def confirm_email_change(core: Core, token: str) -> str:
    """Make the confirmed address the login; every session of the person ends. Returns it.

    Raises InvalidToken, or Conflict when the address was taken meanwhile (the unique index
    decides between two racing changes)."""
    with core.uow() as uow:
        if _live_token(uow.session, core, token).purpose != "email_change":
            raise InvalidToken(msg.TOKEN_INVALID)
        row = _consume(uow.session, core, token)
        person = uow.session.get(ContactPerson, row.person_id)
        new_email, old_email = row.new_email, person.email
        try:
            person.email, person.email_normalized = new_email, normalize_email(new_email)
            end_sessions(uow.session, core, person.id)
            names = dict(name=person.full_name, organization=person.organization.short_name,
                         new=new_email)
            enqueue(uow.session, core.clock, old_email, msg.EMAIL_CHANGED_SUBJECT,
                    msg.email_changed_old_body(old=old_email, **names))
            enqueue(uow.session, core.clock, new_email, msg.EMAIL_CHANGED_SUBJECT,
                    msg.email_changed_new_body(**names))
            audit.record(uow.session, core.clock, audit.Actor("person", person.id, new_email),
                         "email_changed", organization_id=person.organization_id,
                         person_id=person.id, old_email=old_email, new_email=new_email)
            uow.commit()
        except IntegrityError:
            raise Conflict(msg.email_taken(email=new_email), "email") from None
        return new_email


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
        if not keep_alive(core, login_session):
            uow.commit()
            return None
        uow.commit()
        return CurrentPerson(login_session.person_id, organization_id, organization_name,
                             login_session.public_id)


def keep_alive(core: Core, held) -> bool:
    """Whether a login session (a contact person's or an administrator's: `created_at`,
    `last_seen_at`, `ended_at`) is alive now; ends it when idle or too old, else touches it at
    most once a minute (a page view should not always be a write). The caller commits."""
    now = core.clock.now()
    idle = dt.timedelta(minutes=core.config.session_idle_minutes)
    absolute = dt.timedelta(hours=core.config.session_absolute_hours)
    if now - held.last_seen_at > idle or now - held.created_at > absolute:
        held.ended_at = now
        return False
    if now - held.last_seen_at > dt.timedelta(minutes=1):
        held.last_seen_at = now
    return True


def sign_out(core: Core, token: str, table=LoginSession) -> None:
    """End the login session of `token` on the server (`table`: LoginSession, or
    AdminSession for an administrator's)."""
    with core.uow() as uow:
        uow.session.execute(update(table)
                            .where(table.token_sha256 == sha256_hex(token),
                                   table.ended_at.is_(None))
                            .values(ended_at=core.clock.now()))
        uow.commit()
