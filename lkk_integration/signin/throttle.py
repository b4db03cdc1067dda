"""Throttling of sign-in and recovery attempts, contact persons' and administrators' alike:
failures counted in the database per account and per client address, waits that double and
never become permanent, and the pruning of attempts nobody looks at any more (docs/spec.md
§16.2)."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.errors import Throttled, ValidationError
from lkk_integration.formats import is_email, normalize_email
from lkk_integration.models import SignInAttempt
from lkk_integration.security import derive_key

# Failures allowed before waiting (per account, per client address), and the longest wait.
FREE_FAILURES = {"account": 5, "address": 20}
MAX_WAIT_MINUTES = 60
ATTEMPTS_MEMORY = dt.timedelta(hours=24)


def account_of(email: str) -> str:
    """The account a sign-in form names, as attempts are counted and accounts looked up: the
    e-mail normalized. Raises ValidationError(LOGIN_FAILED) for what no database stores in text
    (NUL), before it reaches a query."""
    account = normalize_email(email)
    if "\x00" in account:
        raise ValidationError(msg.LOGIN_FAILED)
    return account


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
    if is_email(typed):
        return typed
    digest = hmac.new(derive_key(core.config.secret_key, "sign-in-account"),
                      (typed or "").encode("utf-8", "surrogatepass"), hashlib.sha256)
    return "hmac:" + digest.hexdigest()[:40]


def begin_attempt(core: Core, kind: str, account: str, address: str) -> int:
    """Record an attempt ('login' or 'recovery') as failed before any check, so that racing
    attempts see each other; returns its id for attempt_succeeded. Raises Throttled (and
    forgets the attempt) while the account or the address must wait.

    Commits its own transactions. An administrator's account carries a prefix, so that its
    failures count apart from a contact person's of the same e-mail."""
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


def attempt_succeeded(session: Session, attempt_id: int) -> None:
    """Mark the attempt a success in the caller's transaction: an account's failures count
    from its last success."""
    session.execute(update(SignInAttempt).where(SignInAttempt.id == attempt_id)
                    .values(succeeded=True))
