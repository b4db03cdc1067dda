"""SOAP clients (the billing systems) and their credentials (docs/spec.md §15.8: HTTP Basic
with per-client high-entropy secrets stored as keyed hashes)."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, exists, select, text

from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.db import RequestConnection, UtcDateTime, run_together
from lkk_integration.errors import (AuthenticationFailed, Conflict, NotFound, QuotaExceeded,
                                    ValidationError)
from lkk_integration.models import SoapClient, SoapQuota
from lkk_integration.security import keyed_hash, new_token, same_bytes

# Checked against when the client name is unknown, so both failures cost the same.
_DUMMY = b"\0" * 32


def create_client(core: Core, name: str, requests_per_minute: int = 600) -> tuple[int, str]:
    """Register a SOAP client; returns its id and secret (256 random bits, shown once, never kept).

    Raises ValidationError for an empty name, Conflict when the name is taken.
    """
    name = (name or "").strip()
    if not name or ":" in name:
        raise ValidationError(msg.CLIENT_NAME_INVALID, "name")
    secret = new_token(32)
    with core.uow() as uow:
        if uow.session.scalar(select(SoapClient.id).where(SoapClient.name == name)):
            raise Conflict(msg.client_exists(name), "name")
        client = SoapClient(name=name, secret_hash=keyed_hash(core.client_key, secret),
                            created_at=core.clock.now(), requests_per_minute=requests_per_minute)
        uow.session.add(client)
        uow.commit()
        return client.id, secret


@dataclass(frozen=True)
class AuthenticatedClient:
    id: int
    requests_per_minute: int


def _live_client(session, name: str) -> SoapClient:
    client = session.scalars(select(SoapClient).where(SoapClient.name == name,
                                                      SoapClient.revoked_at.is_(None))).first()
    if client is None:
        raise NotFound(msg.client_not_found(name), "name")
    return client


def rotate_client_secret(core: Core, name: str) -> str:
    """Give a client a new secret; the old one stops working at once. Returns the new secret."""
    secret = new_token(32)
    with core.uow() as uow:
        _live_client(uow.session, name).secret_hash = keyed_hash(core.client_key, secret)
        uow.commit()
    return secret


def revoke_client(core: Core, name: str) -> None:
    """Revoke a client: its calls get 401 from now on; its past writes stay attributed to it."""
    with core.uow() as uow:
        _live_client(uow.session, name).revoked_at = core.clock.now()
        uow.commit()


def set_client_quota(core: Core, name: str, requests_per_minute: int) -> None:
    """Set how many calls a minute the client may make (at least 1)."""
    if requests_per_minute < 1:
        raise ValidationError(msg.CLIENT_QUOTA_TOO_LOW, "requests_per_minute")
    with core.uow() as uow:
        _live_client(uow.session, name).requests_per_minute = requests_per_minute
        uow.commit()


# The one statement that authenticates a call and counts it (it runs on every SOAP call): an
# upsert of the minute's count whose row comes from the live client with the name and the
# secret's keyed hash; no row, nothing written, when there is none. It returns the count, the
# client's quota and the hash. PostgreSQL also lets the statement's own transaction skip waiting
# for the WAL flush: a count lost in a crash costs nothing, a disk sync on every call costs.
_ADMIT = """
INSERT INTO soap_quota (client_id, window_start, calls)
SELECT id, :window, 1 FROM soap_client
WHERE name = :name AND revoked_at IS NULL AND secret_hash = :offered
ON CONFLICT (client_id, window_start) DO UPDATE SET calls = soap_quota.calls + 1
RETURNING soap_quota.client_id, soap_quota.calls,
  (SELECT c.requests_per_minute FROM soap_client AS c WHERE c.id = soap_quota.client_id),
  (SELECT c.secret_hash FROM soap_client AS c WHERE c.id = soap_quota.client_id){}"""


@functools.cache
def _admit_statement(dialect: str):
    """_ADMIT for a dialect, built once."""
    extra = ", set_config('synchronous_commit', 'off', true)" if dialect == "postgresql" else ""
    return text(_ADMIT.format(extra)).bindparams(bindparam("window", type_=UtcDateTime))


_FORGET_OLD_WINDOWS = delete(SoapQuota).where(SoapQuota.client_id == bindparam("client_id"),
                                              SoapQuota.window_start < bindparam("before"))


# Whether the call the admission statement just counted is admitted: its live client with the
# name and the secret's hash, within its quota this minute. A read sent with the admission
# (admit_call's reads) carries it, so that a refused call's reads find no rows and cost nothing;
# they run after the admission in its transaction, which holds the count's row until its end.
_ADMITTED = exists().where(
    SoapQuota.client_id == SoapClient.id, SoapClient.name == bindparam("admitted_name"),
    SoapClient.revoked_at.is_(None), SoapClient.secret_hash == bindparam("admitted_offered"),
    SoapQuota.window_start == bindparam("admitted_window"),
    SoapQuota.calls <= SoapClient.requests_per_minute)
_GUARDED: dict[int, tuple] = {}


def _guarded(statement):
    """`statement` (a select) returning its rows only for an admitted call (_ADMITTED)."""
    known = _GUARDED.get(id(statement))
    if known is None or known[0] is not statement:
        known = _GUARDED[id(statement)] = (statement, statement.where(_ADMITTED))
    return known[1]


def admit_call(core: Core, name: str, secret: str, reads: list = ()) -> AuthenticatedClient:
    """Authenticate a SOAP call and count it against its client's quota (docs/spec.md §15.8):
    one statement, committed at once, on the request's connection when the core has one.

    `reads`, [(select, parameters)], are the operation's reads when the gateway knows them
    already: on PostgreSQL they go with the admission in one round trip (db.run_together),
    each returning rows only if the call is admitted, and an admitted call's use case takes
    their rows (Core.read_all); a refused call's are dropped. Elsewhere they are left to the
    use case.

    Raises AuthenticationFailed (nothing counted; a revoked client fails like an unknown one)
    or QuotaExceeded (the call is counted: every process shares the count, and racing calls
    are all counted).
    """
    if core.request is None:
        with core.engine.connect() as connection:
            return admit_call(core.on_request(RequestConnection(connection)), name, secret,
                              reads)
    connection = core.request.autocommit()
    offered = keyed_hash(core.client_key, secret)
    window = core.clock.now().replace(second=0, microsecond=0)
    params = {"name": name, "offered": offered, "window": window}
    statement = _admit_statement(connection.dialect.name)
    ahead = None
    if reads and connection.dialect.name == "postgresql":
        admitted = {"admitted_name": name, "admitted_offered": offered,
                    "admitted_window": window}
        rows = run_together(connection, [(statement, params), *[
            (_guarded(read), {**read_params, **admitted}) for read, read_params in reads]])
        row, ahead = (rows[0][0] if rows[0] else None), rows[1:]
    else:
        row = connection.execute(statement, params).first()
    if row is not None and row[1] == 1:  # a new minute: forget old ones
        connection.execute(_FORGET_OLD_WINDOWS, {
            "client_id": row[0], "before": window - dt.timedelta(minutes=10)})
    connection.commit()  # SQLite's; PostgreSQL's statements committed themselves
    # The database picked the row by the secret's keyed hash, so that only the client's own
    # calls count against its quota; the decision is still the constant-time comparison here.
    # (A timing of the database's comparison could only tell how far two HMAC-SHA-256 values
    # under the installation key agree, which says nothing of the secret.) Without a row, the
    # same comparison against a dummy, so that an unknown name and a wrong secret cost alike.
    if not same_bytes(row[3] if row else _DUMMY, offered) or row is None:
        raise AuthenticationFailed(msg.AUTH_REQUIRED)
    client = AuthenticatedClient(row[0], row[2])
    if row[1] > client.requests_per_minute:
        raise QuotaExceeded(msg.quota_exceeded(limit=client.requests_per_minute))
    if ahead is not None:
        core.request.read_ahead.append((list(reads), ahead))
    return client
