"""Creating the schema, and `schema.sql`, the DDL of record (PostgreSQL dialect)."""
from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import DDL, Engine, event
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import AddConstraint, CreateIndex, CreateTable

from lkk_integration.audit import APPEND_ONLY_DDL
from lkk_integration.db import Base
from lkk_integration.models import (DEFAULT_NOT_READ_REASONS, AuditRecord, ExportCounter,
                                    NotReadReason)

COUNTER_ROW = "INSERT INTO export_counter (id, last_seq) VALUES (1, 0)"
event.listen(ExportCounter.__table__, "after_create", DDL(COUNTER_ROW))
# The reasons a new installation starts with (docs/spec.md §13.11); the codes and names are
# plain letters, no quote to escape.
REASON_ROWS = ("INSERT INTO not_read_reason (code, name, is_active, position) VALUES "
               + ", ".join(f"('{code}', '{name}', TRUE, {i})"
                           for i, (code, name) in enumerate(DEFAULT_NOT_READ_REASONS)))
event.listen(NotReadReason.__table__, "after_create", DDL(REASON_ROWS))
for _statement in APPEND_ONLY_DDL:
    event.listen(AuditRecord.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="postgresql"))

ALEMBIC_DIR = Path(__file__).resolve().parent.parent / "alembic"


def schema_sql() -> str:
    """The DDL of every table, index and constraint, for PostgreSQL, in dependency order."""
    dialect = postgresql.dialect()
    parts = ["-- The DDL of record, generated from lkk_integration/models.py by "
             "`lkk schema-sql`.\n-- Do not edit: change the models, add an Alembic migration, "
             "regenerate.\n"]
    deferred = []
    for table in Base.metadata.sorted_tables:
        inline = [fk for fk in table.foreign_key_constraints if not fk.use_alter]
        deferred += [fk for fk in table.foreign_key_constraints if fk.use_alter]
        parts.append(str(CreateTable(table, include_foreign_key_constraints=inline)
                         .compile(dialect=dialect)).strip() + ";\n")
        for index in sorted(table.indexes, key=lambda i: i.name):
            parts.append(str(CreateIndex(index).compile(dialect=dialect)).strip() + ";\n")
    for fk in deferred:
        parts.append(str(AddConstraint(fk).compile(dialect=dialect)).strip() + ";\n")
    parts.append(COUNTER_ROW + ";\n")
    parts.append(REASON_ROWS + ";\n")
    parts.extend(statement + ";\n" for statement in APPEND_ONLY_DDL)
    return "\n".join("\n".join(line.rstrip() for line in part.splitlines()) + "\n"
                     for part in parts)


def alembic_config(database_url: str):
    """Alembic's configuration for the repository's alembic/ folder and `database_url`."""
    from alembic.config import Config as AlembicConfig

    if not ALEMBIC_DIR.is_dir():
        raise RuntimeError(f"migrations not found at {ALEMBIC_DIR}: install the project with "
                           "`pip install -e .` from its repository")
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(ALEMBIC_DIR))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def create_schema(engine: Engine, stamp: bool = True) -> None:
    """Create every table on an empty database and mark it as at the newest migration."""
    Base.metadata.create_all(engine)
    if stamp:
        # Stamping a new database has nothing to tell: alembic's INFO lines (its plugins as it
        # is imported, the migration context) came before the demo's banner. upgrade-db keeps
        # them.
        alembic_log = logging.getLogger("alembic")
        level = alembic_log.level
        alembic_log.setLevel(logging.WARNING)
        try:
            from alembic import command

            cfg = alembic_config(engine.url.render_as_string(hide_password=False))
            with engine.begin() as connection:
                cfg.attributes["connection"] = connection
                command.stamp(cfg, "head")
        finally:
            alembic_log.setLevel(level)


def upgrade_schema(engine: Engine) -> None:
    """Bring a database to the newest migration (creates it from the baseline when empty)."""
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
        return
    # SQLite: a batch migration rebuilds a table (copy, drop, rename); with foreign keys
    # enforced the drop fails once another row refers to the table (a meter's last accounted
    # reading). Alembic's "Dealing with Referencing Foreign Keys": the pragma is off during the
    # upgrade — set outside the transaction, where it takes effect — and the result is checked.
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        try:
            with connection.begin():
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, "head")
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the upgrade broke foreign keys: {broken[:5]}")
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def write_schema_sql(path: Path) -> None:
    path.write_text(schema_sql(), encoding="utf-8")
