"""The core's composition root: configuration, clock, database and password hashing together."""
from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from lkk_integration.clock import Clock, OffsetClock, SystemClock
from lkk_integration.config import Config
from lkk_integration.db import (RequestConnection, UnitOfWork, make_engine, make_session_factory,
                               run_together)
from lkk_integration.security import Passwords, derive_key

log = logging.getLogger(__name__)


@dataclass
class Core:
    """What every use case needs: pass it first; adapters hold one per process."""

    config: Config
    clock: Clock
    engine: Engine
    session_factory: sessionmaker[Session]
    passwords: Passwords
    # The connection of the one request this core serves (on_request); None: each unit of
    # work and each read takes one from the pool.
    request: RequestConnection | None = None

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.request)

    def on_request(self, request: RequestConnection) -> "Core":
        """This core for one request: its units of work and reads run on `request`'s connection
        (the SOAP gateway's; one checkout per call)."""
        return dataclasses.replace(self, request=request)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for a read-only use case, in autocommit: each statement sees what was
        committed when it began, as under READ COMMITTED, without BEGIN/COMMIT round trips.
        The request's connection, or one from the pool."""
        if self.request is not None:
            yield self.request.autocommit()
            return
        with self.engine.connect() as connection:
            yield RequestConnection(connection).autocommit()

    def read_all(self, reads: list) -> list[list[tuple]]:
        """The rows of each (statement, parameters) of `reads`: those the SOAP gateway read
        with the call's admission when it did (RequestConnection.read_ahead), else read now in
        autocommit, in one round trip on PostgreSQL (db.run_together)."""
        if self.request is not None:
            rows = self.request.take_read_ahead(reads)
            if rows is not None:
                return rows
        with self.reading() as connection:
            return run_together(connection, reads)

    @property
    def client_key(self) -> bytes:
        """Key of the SOAP client-secret hashes."""
        return derive_key(self.config.secret_key, "soap-client-secret")


def create_core(config: Config, clock: Clock | None = None, engine: Engine | None = None) -> Core:
    """Wire a Core from `config`; tests pass a FixedClock and may share an engine. Without a
    clock given, the real one — or, with LKK_CLOCK_START, the real one moved to start there."""
    engine = engine or make_engine(config.database_url,
                                   connect_timeout=config.database_connect_timeout,
                                   statement_timeout=config.database_statement_timeout)
    if clock is None:
        clock = (OffsetClock(config.clock_start, config.clock_started_at) if config.clock_start
                 else SystemClock())
    return Core(config=config, clock=clock, engine=engine,
                session_factory=make_session_factory(engine),
                passwords=Passwords(config.password_hashing))


def database_state(core: Core) -> str:
    """Whether the core can serve, for a readiness check: 'ok'; 'unreachable' when the database
    does not answer; 'read-only' when it answers but is a standby during a failover
    (PostgreSQL), where every write would fail."""
    try:
        with core.engine.connect() as connection:
            read_only = connection.dialect.name == "postgresql" and connection.execute(
                text("SELECT current_setting('transaction_read_only')")).scalar() == "on"
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.warning("readiness: the database does not answer: %s",
                    type(getattr(exc, "orig", exc)).__name__)
        return "unreachable"
    if read_only:
        log.warning("readiness: the database is read-only")
        return "read-only"
    return "ok"
