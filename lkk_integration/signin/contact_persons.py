"""Contact persons' sign-in: one-time links, passwords, login sessions, the login's e-mail
(docs/spec.md §1, §3, §4, §16). Throttling and sessions are shared with administrators
(signin/throttle.py, signin/sessions.py)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lkk_integration import audit
from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.errors import AuthenticationFailed, Conflict, InvalidToken, ValidationError
from lkk_integration.formats import is_email, normalize_email
from lkk_integration.models import ActionToken, ContactPerson, LoginSession, Organization
from lkk_integration.outbox import enqueue
from lkk_integration.security import new_token, sha256_hex
from lkk_integration.signin import sessions
from lkk_integration.signin.passwords import check_new_password
from lkk_integration.signin.sessions import end_sessions
from lkk_integration.signin.throttle import account_of, attempt_succeeded, begin_attempt


def _actor(person: ContactPerson) -> audit.Actor:
    return audit.Actor("person", person.id, person.email)


# Links that set a password are one family; a newer one kills the older. Confirming a new
# e-mail is another, so a stranger's recovery request cannot cancel a pending change.
FAMILIES = {"activation": ("activation", "recovery"), "recovery": ("activation", "recovery"),
            "email_change": ("email_change",)}


def issue_token(session: Session, core: Core, person: ContactPerson, purpose: str) -> str:
    """A new one-time link token for `person`; older unused ones of the same family die.

    Lifetime: config.token_lifetime_hours (docs/spec.md §16.4: 60 hours). Only the SHA-256 is kept.
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
    public_id = new_token(16)
    token = sessions.start_session(session, core, LoginSession, person_id=person_id,
                                   public_id=public_id)
    return SignedIn(token, public_id, person_id)


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
    account = account_of(email)
    attempt_id = begin_attempt(core, "login", account, address)
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
        attempt_succeeded(uow.session, attempt_id)
        signed_in = _start_session(uow.session, core, person.id)
        audit.record(uow.session, core.clock, _actor(person), "login", address=address,
                     organization_id=person.organization_id, person_id=person.id)
        uow.commit()
        return signed_in


def request_recovery(core: Core, email: str, address: str = "") -> None:
    """Send a recovery link if the e-mail belongs to an active account; say nothing either way.

    Throttled like login (raises Throttled for known and unknown addresses alike). The link
    works once, for config.token_lifetime_hours, and dies when a newer one is sent or the
    password changes (docs/spec.md §4).
    """
    account = account_of(email or "")
    if not account:
        raise ValidationError(msg.LOGIN_REQUIRED_FIELDS)
    # Every request stays counted as a failure: a flood of mail is the risk.
    begin_attempt(core, "recovery", account, address)
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
    """Change the password (docs/spec.md §3.2): only the new one works afterwards, the person's
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
        end_sessions(uow.session, core, person.id, keep_public_id=current_session_id)
        audit.record(uow.session, core.clock, _actor(person), "password_changed",
                     organization_id=person.organization_id, person_id=person.id)
        uow.commit()


def _check_current_password(core: Core, person: ContactPerson, password: str) -> None:
    """The current password, throttled like login: a stolen session must not become a way to
    guess it. Raises Throttled or ValidationError."""
    attempt_id = begin_attempt(core, "login", person.email_normalized, "")
    if not core.passwords.verify(person.password_hash, password):
        raise ValidationError(msg.CURRENT_PASSWORD_WRONG, "current")
    with core.uow() as uow:
        attempt_succeeded(uow.session, attempt_id)
        uow.commit()


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
    if not is_email(new_email):
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
    """The link that confirms a new e-mail; its host comes from configuration."""
    return f"{core.config.public_url.rstrip('/')}/email/{token}"


def move_login(session: Session, core: Core, person: ContactPerson, new_email: str) -> str:
    """Make `new_email` the person's login, end every session of the person and tell both
    addresses (a letter to the old one, a letter to the new one); returns the old address.

    The caller has checked the address is free and commits; the unique index still refuses
    one taken meanwhile (IntegrityError at flush). Used by the confirmation link and by the
    billing's UpdateOrganization (docs/spec.md §3.1, §15.3)."""
    old_email = person.email
    person.email, person.email_normalized = new_email, normalize_email(new_email)
    end_sessions(session, core, person.id)
    names = dict(name=person.full_name, organization=person.organization.short_name,
                 new=new_email)
    enqueue(session, core.clock, old_email, msg.EMAIL_CHANGED_SUBJECT,
            msg.email_changed_old_body(old=old_email, **names))
    enqueue(session, core.clock, new_email, msg.EMAIL_CHANGED_SUBJECT,
            msg.email_changed_new_body(**names))
    return old_email


def confirm_email_change(core: Core, token: str) -> str:
    """Make the confirmed address the login; every session of the person ends. Returns it.

    Raises InvalidToken, or Conflict when the address was taken meanwhile (the unique index
    decides between two racing changes)."""
    with core.uow() as uow:
        if _live_token(uow.session, core, token).purpose != "email_change":
            raise InvalidToken(msg.TOKEN_INVALID)
        row = _consume(uow.session, core, token)
        person = uow.session.get(ContactPerson, row.person_id)
        new_email = row.new_email
        try:
            old_email = move_login(uow.session, core, person, new_email)
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
    """The person of a live session token, or None (unknown, ended, idle or too old,
    organization inactive); keeps the session alive (signin/sessions.py)."""
    row = sessions.resolve(core, token, select(
        LoginSession, ContactPerson.organization_id, Organization.short_name)
        .join(ContactPerson, ContactPerson.id == LoginSession.person_id)
        .join(Organization, Organization.id == ContactPerson.organization_id)
        .where(Organization.is_active))
    if row is None:
        return None
    login_session, organization_id, organization_name = row
    return CurrentPerson(login_session.person_id, organization_id, organization_name,
                         login_session.public_id)


def reminders_on(core: Core, person_id: int) -> bool:
    """Whether the person is mailed the meters without a reading before the close
    (docs/spec.md §3.3)."""
    with core.uow() as uow:
        return bool(uow.session.scalar(select(ContactPerson.reminders)
                                       .where(ContactPerson.id == person_id)))


def set_reminders(core: Core, person_id: int, on: bool) -> None:
    """Turn the person's reminders (docs/spec.md §2.3, §3.3) on or off; audited when it
    changes."""
    with core.uow() as uow:
        person = uow.session.get(ContactPerson, person_id)
        if person.reminders != on:
            person.reminders = on
            audit.record(uow.session, core.clock, _actor(person), "reminders_set",
                         organization_id=person.organization_id, person_id=person.id, on=on)
        uow.commit()
