"""SOAP clients (the billing systems) and their credentials (docs/spec.md §15.8: HTTP Basic
with per-client high-entropy secrets stored as keyed hashes)."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lkk_integration import messages as msg
from lkk_integration.core import Core
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


_LIVE_CLIENT = (select(SoapClient.id, SoapClient.secret_hash, SoapClient.requests_per_minute)
                .where(SoapClient.name == bindparam("name"), SoapClient.revoked_at.is_(None)))


@dataclass(frozen=True)
class AuthenticatedClient:
    id: int
    requests_per_minute: int


def authenticate_client(core: Core, name: str, secret: str,
                        connection=None) -> AuthenticatedClient:
    """The client whose name and secret match; raises AuthenticationFailed.

    Compared in constant time; a revoked client fails like an unknown one.
    """
    if connection is None:
        with core.engine.connect() as connection:
            return authenticate_client(core, name, secret, connection)
    row = connection.execute(_LIVE_CLIENT, {"name": name}).first()
    offered = keyed_hash(core.client_key, secret)
    if not same_bytes(row.secret_hash if row else _DUMMY, offered) or row is None:
        raise AuthenticationFailed(msg.AUTH_REQUIRED)
    return AuthenticatedClient(row.id, row.requests_per_minute)


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


@functools.cache
def _count_statement(dialect: str):
    """The quota upsert for a dialect, built once (it runs on every SOAP call)."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return (insert(SoapQuota)
            .values(client_id=bindparam("client_id"), window_start=bindparam("window"), calls=1)
            .on_conflict_do_update(index_elements=["client_id", "window_start"],
                                   set_={"calls": SoapQuota.calls + 1})
            .returning(SoapQuota.calls))


_FORGET_OLD_WINDOWS = delete(SoapQuota).where(SoapQuota.client_id == bindparam("client_id"),
                                              SoapQuota.window_start < bindparam("before"))


def count_call(core: Core, client: AuthenticatedClient, connection=None) -> None:
    """Count one call of the client in the current minute (UTC); raises QuotaExceeded past its
    quota. Counted in the database with one upsert, so every server process shares the count
    and racing calls are all counted. Runs on `connection` when given (its transaction)."""
    if connection is None:
        with core.engine.begin() as connection:
            return count_call(core, client, connection)
    window = core.clock.now().replace(second=0, microsecond=0)
    if connection.dialect.name == "postgresql":
        # A count lost in a crash costs nothing; not waiting for the WAL flush saves a disk
        # sync on every call.
        connection.exec_driver_sql("SET LOCAL synchronous_commit = off")
    calls = connection.execute(_count_statement(connection.dialect.name),
                               {"client_id": client.id, "window": window}).scalar_one()
    if calls == 1:  # a new minute: forget old ones
        connection.execute(_FORGET_OLD_WINDOWS, {
            "client_id": client.id, "before": window - dt.timedelta(minutes=10)})
    if calls > client.requests_per_minute:
        raise QuotaExceeded(msg.quota_exceeded(limit=client.requests_per_minute))


def admit_call(core: Core, name: str, secret: str) -> AuthenticatedClient:
    """Authenticate a SOAP call and count it against the quota, on one connection.

    Raises AuthenticationFailed (nothing counted) or QuotaExceeded (the call is counted).
    """
    with core.engine.begin() as connection:
        client = authenticate_client(core, name, secret, connection)
        try:
            count_call(core, client, connection)
        except QuotaExceeded:
            connection.commit()  # the refused call still counts
            raise
    return client
