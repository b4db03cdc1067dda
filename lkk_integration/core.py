"""The core's composition root: configuration, clock, database and password hashing together."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from lkk_integration.clock import Clock, OffsetClock, SystemClock
from lkk_integration.config import Config
from lkk_integration.db import UnitOfWork, make_engine, make_session_factory
from lkk_integration.security import Passwords, derive_key


@dataclass
class Core:
    """What every use case needs: pass it first; adapters hold one per process."""

    config: Config
    clock: Clock
    engine: Engine
    session_factory: sessionmaker[Session]
    passwords: Passwords

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)

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
