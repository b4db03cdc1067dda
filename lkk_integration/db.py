"""Engine, column types and the unit of work over SQLAlchemy 2.x.

SQLite is the embedded default (WAL, a busy timeout, foreign keys on); PostgreSQL is production.
"""
from __future__ import annotations

import datetime as dt
import select
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import psycopg
from sqlalchemy import (Connection, DateTime, Engine, MetaData, Numeric, String, create_engine,
                        event, make_url, type_coerce)
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from lkk_integration.quantities import fits_stored, plain_decimal

# Constraint names are fixed so that migrations can refer to them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UtcDateTime(TypeDecorator):
    """An instant: stored in UTC, always returned timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an instant is stored")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


class Kwh(TypeDecorator):
    """An exact decimal quantity (kWh, a ratio): NUMERIC(18, 4) on PostgreSQL.

    SQLite has no exact decimal, and SQLAlchemy would go through float; there it is kept as the
    decimal's text so that 00012.5 → 12.5 and 99999999.99 stay exact.
    """

    impl = Numeric(18, 4)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(18, 4))

    def process_bind_param(self, value: Decimal | None, dialect):
        if value is None:
            return None
        value = Decimal(value)
        if not fits_stored(value):
            # PostgreSQL would refuse it (NumericValueOutOfRange) or round it, SQLite keep it:
            # a value out of range must have become a verdict or a fault before it got here.
            raise ValueError("a kWh value outside NUMERIC(18, 4) reached the database")
        return format(value, "f") if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return plain_decimal(Decimal(value))


def raw_kwh(column):
    """A Kwh column selected as the driver gives it (text on SQLite, Decimal on PostgreSQL),
    skipping plain_decimal for reads of many rows; turn it into a Decimal with to_kwh."""
    return type_coerce(column, String)


def to_kwh(value: object) -> Decimal | None:
    """What raw_kwh selected, as a Decimal (not normalized: 1100.5000 on PostgreSQL)."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(value)


# Bounds on waiting for PostgreSQL (seconds; LKK_DATABASE_CONNECT_TIMEOUT_SECONDS and
# LKK_DATABASE_STATEMENT_TIMEOUT_SECONDS). A server that hangs while its host still answers
# (stopped, swapping, a stuck disk) acknowledges every packet, so no TCP timeout fires: only
# these free the worker, which then answers 503 (docs/operations.md, "When the database is away").
CONNECT_TIMEOUT = 5
# The longest legitimate wait for a reply is storing or sending the largest buffer, 65,535
# rows as one executemany: at most 1.6 s on PostgreSQL on 2 cores (bench/spreadsheets.py with
# every reply timed); an export page of 1000 readings takes milliseconds. 15 s keeps about a
# tenfold margin (a CPU shared with a crowd slows it a few times) and still frees the worker
# long before gunicorn's 120 s.
STATEMENT_TIMEOUT = 15
# The client waits this much longer than the server's statement_timeout, so that on a live
# server the server's own cancel arrives first (the connection stays usable); only a server
# that does not answer at all is cut by the client.
REPLY_GRACE = 2
# A pooled PostgreSQL connection older than this (seconds) is replaced at its next checkout, so
# that no connection outlives what a proxy or a server-side idle limit in between may allow;
# one new connection per pooled connection every half hour costs nothing.
POOL_RECYCLE = 1800


class _BoundedConnection(psycopg.Connection):
    """A psycopg connection that waits for each reply of the server at most `reply_timeout`
    seconds; past it the connection is closed (the pool then drops it) and OperationalError
    raised."""

    reply_timeout: float | None = None

    def wait(self, gen, *args, **kwargs):
        bound = kwargs.get("timeout")
        if bound is None and not args:
            bound = kwargs["timeout"] = self.reply_timeout
        try:
            return super().wait(gen, *args, **kwargs)
        except psycopg.OperationalError:
            if bound is None or (self.pgconn.transaction_status
                                 != psycopg.pq.TransactionStatus.ACTIVE):
                raise
            # We gave up with a statement in flight: its reply may still come and would be
            # read as the next statement's. The connection is of no further use.
            self.close()
            raise psycopg.OperationalError(f"no reply from the database server within "
                                           f"{bound:g} s: connection closed") from None


def make_engine(url: str, connect_timeout: int = CONNECT_TIMEOUT,
                statement_timeout: int | None = STATEMENT_TIMEOUT, **kwargs) -> Engine:
    """Create the engine for `url`; on SQLite turn on WAL (synchronous=NORMAL), a 30 s busy
    timeout and foreign keys; on PostgreSQL bound connecting (`connect_timeout`, seconds) and
    each statement (`statement_timeout`, seconds, None for none: migrations), on the server and
    in the client, plus TCP timeouts. Statement parameters (e-mails, what people typed) never
    appear in error messages or logs. A statement cut by a bound raises OperationalError, which
    database_unavailable takes for an outage (503)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True,
                               **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # pysqlite's own transaction handling would defer BEGIN; we want BEGIN IMMEDIATE-like
            # behaviour only where we ask, so leave autocommit off and set pragmas here.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL never corrupts the database and skips an fsync per commit; a power
            # loss may forget the last commits. PostgreSQL is the production database.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    # A database host that stops answering (a network cut, packets dropped) fails a new
    # connection in connect_timeout and a connection in use once its data stays unacknowledged
    # for 15 s, instead of the kernel's minutes: the request answers 503 and the worker is free.
    connect_args = {"connect_timeout": connect_timeout, "keepalives": 1, "keepalives_idle": 30,
                    "keepalives_interval": 5, "keepalives_count": 3, "tcp_user_timeout": 15000}
    if statement_timeout is not None:
        # No lock_timeout of its own: waiting for a lock is part of the statement, so
        # statement_timeout bounds it, and a shorter bound would fail submissions that queue on
        # a meter's row behind a long send instead of letting them through (docs/spec.md
        # §13.9).
        given = make_url(url).query.get("options", "")
        connect_args["options"] = " ".join(filter(None, [
            *(given if isinstance(given, tuple) else [given]),
            f"-c statement_timeout={statement_timeout * 1000}"]))
    # No pool_pre_ping: its SELECT 1 is a round trip on every checkout, a sixth of a small SOAP
    # call. A connection the server closed while it lay in the pool (a restart, a killed
    # backend, an idle limit) has said so on its socket, and _closed_by_server reads that
    # without asking; one that dies later fails its first statement, which the SOAP gateway
    # repeats once on a new connection (soap/app.py), and SQLAlchemy then invalidates every
    # connection pooled before it.
    engine = create_engine(url, pool_recycle=POOL_RECYCLE, hide_parameters=True,
                           connect_args=connect_args, **kwargs)
    reply_timeout = None if statement_timeout is None else statement_timeout + REPLY_GRACE

    @event.listens_for(engine, "checkout")
    def _alive(dbapi_connection, _record, _proxy):
        if _closed_by_server(dbapi_connection):
            # The pool drops the connection and checks out another (SQLAlchemy's documented
            # pessimistic disconnect handling, without the round trip).
            raise sa_exc.DisconnectionError("the server closed the pooled connection")

    @event.listens_for(engine, "do_connect")
    def _bounded_connection(_dialect, _record, cargs, cparams):
        connection = _BoundedConnection.connect(*cargs, **cparams)
        connection.reply_timeout = reply_timeout
        return connection

    return engine


def _closed_by_server(connection: psycopg.Connection) -> bool:
    """Whether an idle psycopg connection is known dead without a round trip: closed or broken,
    or its socket readable — an idle PostgreSQL server sends nothing unasked except a goodbye
    (an ErrorResponse of a terminated backend, a shutdown) and the end of the stream. Costs one
    poll(2) of the socket. A false alarm only costs a new connection."""
    if connection.closed or connection.broken:
        return True
    if not hasattr(select, "poll"):  # Windows: the first statement finds out
        return False
    try:
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN)
    except (psycopg.Error, ValueError):  # no socket any more
        return True
    return bool(poller.poll(0))


# What a statement the database refuses raises (a missing table, a lost connection), for an
# adapter that names it to its user (`lkk rules` before `lkk init-db`).
DATABASE_ERRORS = (sa_exc.DBAPIError,)

# The kinds of error database_unavailable looks at (for handlers registered by class).
UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.InternalError)


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` means the database is out of reach or cannot write for now, so that the
    request may simply be repeated later: a refused or dropped connection, a server restarting
    (OperationalError), a connection the pool found dead (InterfaceError), a SQLite file locked
    beyond the busy timeout, a server in read-only mode — a standby during a failover
    (SQLSTATE 25006). Any other error is a fault of ours."""
    if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError)):
        return True
    return (isinstance(exc, sa_exc.InternalError)
            and getattr(getattr(exc, "orig", None), "sqlstate", None) == "25006")


@contextmanager
def driver_errors(connection: Connection, statement: str) -> Iterator[None]:
    """Errors of work done on the driver's own connection (a COPY, a cursor of the driver)
    raised as SQLAlchemy raises them for its statements (sqlalchemy.exc.OperationalError…),
    the connection invalidated when the driver says it is gone: database_unavailable (503)
    and the pool take them alike."""
    dialect = connection.dialect
    try:
        yield
    except dialect.loaded_dbapi.Error as exc:
        gone = dialect.is_disconnect(exc, connection.connection.dbapi_connection, None)
        if gone:
            connection.invalidate(exc)
        raise sa_exc.DBAPIError.instance(statement, None, exc, dialect.loaded_dbapi.Error,
                                         hide_parameters=True, connection_invalidated=gone,
                                         dialect=dialect) from exc


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


# (statement, its parameters): a read run by run_together.
Read = tuple  # tuple[Executable, dict]


def run_together(connection: Connection, reads: list[Read]) -> list[list[tuple]]:
    """The rows of each (statement, parameters) of `reads`, in order, as SQLAlchemy gives them
    (its result processing of the columns applied). On PostgreSQL in one round trip: psycopg's
    pipeline mode, every statement sent before one Sync, so they run one after another in one
    implicit transaction (the connection must be in autocommit, RequestConnection.autocommit)
    and each sees what those before it wrote; a statement that fails rolls them all back.
    Elsewhere one statement after another. Errors are SQLAlchemy's (driver_errors)."""
    if connection.dialect.name != "postgresql":
        return [connection.execute(statement, params).all() for statement, params in reads]
    dialect = connection.dialect
    driver = connection.connection.driver_connection
    with driver_errors(connection, "a pipeline of statements"):
        cursors = []
        with driver.pipeline():
            for statement, params in reads:
                compiled, binds = _driver_statement(statement, dialect)
                values = compiled.construct_params(params)  # with the statement's constants
                for name, processor in binds.items():
                    values[name] = processor(values[name])
                cursor = driver.cursor()
                cursor.execute(compiled.string, values, prepare=True)
                cursors.append(cursor)
        # The pipeline's end sent the Sync and read every result.
        out = []
        for (statement, _params), cursor in zip(reads, cursors, strict=True):
            rows = cursor.fetchall()
            processors = _result_processors(statement, cursor.pgresult, dialect)
            if processors:
                rows = [tuple(value if p is None or value is None else p(value)
                              for p, value in zip(processors, row, strict=True))
                        for row in rows]
            out.append(rows)
            cursor.close()
        return out


_DRIVER_STATEMENTS: dict[int, tuple] = {}


def _driver_statement(statement, dialect) -> tuple:
    """A constant statement compiled once for the driver (its SQL with %(name)s parameters),
    and the bind processor of each parameter that has one (UtcDateTime's)."""
    known = _DRIVER_STATEMENTS.get(id(statement))
    if known is None or known[0] is not statement:
        compiled = statement.compile(dialect=dialect)
        binds = {name: processor for name, processor in compiled._bind_processors.items()
                 if processor is not None}
        known = _DRIVER_STATEMENTS[id(statement)] = (statement, compiled, binds)
    return known[1], known[2]


_PROCESSORS: dict[tuple, tuple] = {}


def _result_processors(statement, result, dialect) -> list | None:
    """Per column of a select, SQLAlchemy's result processor for the type the driver reports
    (Kwh's plain_decimal, UtcDateTime's zone), None where it has none; None for no processor
    at all. A text statement's columns are given as the driver gives them, as SQLAlchemy gives
    them too. Made once per statement and column types."""
    columns = getattr(statement, "selected_columns", None)
    if columns is None or result is None:
        return None
    types = tuple(result.ftype(i) for i in range(result.nfields))
    key = (id(statement), types)
    known = _PROCESSORS.get(key)
    if known is None or known[0] is not statement:
        processors = [column.type._cached_result_processor(dialect, type_code)
                      for column, type_code in zip(columns, types, strict=True)]
        known = _PROCESSORS[key] = (statement, processors if any(processors) else None)
    return known[1]


class RequestConnection:
    """The one pooled connection all of a request's work runs on — authentication, quota and
    the use case — checked out once instead of once for each.

    It serves in two modes. Single statements and read-only use cases run in autocommit: each
    statement commits by itself, so PostgreSQL is spared BEGIN and COMMIT round trips, and a
    statement sees what was committed when it started — what READ COMMITTED gives each
    statement of a transaction too. A unit of work switches it to transactions and runs in one
    of its own. On PostgreSQL switching is a flag of the driver's connection, no round trip.
    SQLite keeps the driver's own mode, which begins a transaction only before a write (so
    reads are per statement already) and needs commit() after one: there SQLAlchemy's switch
    would run a PRAGMA, which makes SQLite prepare every statement anew.
    """

    def __init__(self, connection: Connection):
        self.connection = connection
        self._switches = connection.dialect.name != "sqlite"
        self._autocommit = False
        # A unit of work holds a transaction on the connection; another one opened inside it
        # takes a connection of its own, as it always did (UnitOfWork).
        self.unit_open = False
        # Reads the gateway ran with the call's admission (clients.admit_call), for the use
        # case to take (Core.read_all): [(reads, their rows)].
        self.read_ahead: list[tuple[list[Read], list[list[tuple]]]] = []

    def take_read_ahead(self, reads: list[Read]) -> list[list[tuple]] | None:
        """The rows of `reads` (the same statement objects, equal parameters) when they were
        read ahead with the admission, once; else None."""
        for at, (known, rows) in enumerate(self.read_ahead):
            if len(known) == len(reads) and all(
                    s is s2 and p == p2 for (s, p), (s2, p2) in zip(known, reads, strict=True)):
                del self.read_ahead[at]
                return rows
        return None

    def autocommit(self) -> Connection:
        """The connection for single statements and reads, each committed by itself; after a
        write call its commit(), which costs nothing where the mode did it already."""
        if self._switches and not self._autocommit:
            self._switch("AUTOCOMMIT")
        return self.connection

    def transactional(self) -> Connection:
        """The connection outside any transaction, ready for a unit of work to begin one."""
        if self._autocommit:
            self._switch(self.connection.default_isolation_level)
        elif self.connection.in_transaction():
            self.connection.rollback()  # SQLite: a read's, nothing pending
        return self.connection

    def _switch(self, level: str) -> None:
        assert not self.unit_open
        # SQLAlchemy begins its own (empty, in autocommit) transaction object with each
        # statement; it must end before the mode may change. Nothing is pending.
        if self.connection.in_transaction():
            self.connection.rollback()
        self.connection.execution_options(isolation_level=level)
        self._autocommit = level == "AUTOCOMMIT"


class UnitOfWork:
    """One business transaction: `with uow: ...; uow.commit()`; leaving without commit rolls
    back. On a request's connection (RequestConnection) when given, else on one of the pool's."""

    def __init__(self, session_factory: sessionmaker[Session],
                 request: RequestConnection | None = None):
        self.session_factory = session_factory
        self.request = request
        self._on_request = False
        self.session: Session | None = None
        # What an audited write concerned ({'organization_id': …, 'meter_id': …}), for the
        # audit record the caller writes after it (idempotency.py, run_once).
        self.audit_subject: dict[str, int] = {}

    def __enter__(self) -> "UnitOfWork":
        if self.request is not None and not self.request.unit_open:
            # The Session begins, commits and rolls back its own transaction on the request's
            # connection, and leaves the connection open when it closes.
            self.session = self.session_factory(bind=self.request.transactional())
            self.request.unit_open = self._on_request = True
        else:
            self.session = self.session_factory()
        return self

    def __exit__(self, *exc_info) -> None:
        assert self.session is not None
        # close() rolls back what was not committed and detaches objects without expiring
        # them, so values read inside the block stay readable after it.
        try:
            self.session.close()
        finally:
            self.session = None
            if self._on_request:
                self.request.unit_open = self._on_request = False

    def commit(self) -> None:
        assert self.session is not None
        self.session.commit()
