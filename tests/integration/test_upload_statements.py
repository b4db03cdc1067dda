"""An upload's work on the database is set-based (docs/spec.md §10): its statements do not grow
with the file's rows beyond the buffer's chunks, PostgreSQL takes the buffer by COPY, and rows
checked and stored a chunk at a time keep every verdict and note (the same meter on rows of
different chunks, docs/spec.md §13.8)."""
from __future__ import annotations

import datetime as dt
import io
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import event, func, select

from lkk_integration.models import Upload, UploadRow
from lkk_integration.spreadsheets import upload as upload_module

from tests.support.cabinet import csrf_token

DAY = dt.date(2026, 3, 19)
# The story organization's meters: one valid, one lower than its last, one with no date, one
# named twice, one the organization does not have.
ROWS = [["1", "00215090", 1100, None, None, DAY],
        ["3", "00300001", 1500, None, None, DAY],
        ["5", "00300003", 150, None, None, None],
        ["5", "00300003", 160, None, None, DAY],
        ["7", "99999999", 10, None, None, DAY]]


@contextmanager
def statements(core):
    """The SQL the database driver is given meanwhile, one entry per statement (an
    executemany or a COPY once), whoever issues it: SQLAlchemy or code on the driver's cursor."""
    seen: list[str] = []
    if core.engine.dialect.name == "sqlite":
        # pysqlite's cursor is C: its statements are seen by SQLAlchemy's events, and the
        # driver's own cursor (the meter query) through SQLite's trace, which names each
        # execution of an executemany too; those are told apart by their text.
        traced: list[str] = []

        def checkout(dbapi_connection, _record, _proxy):
            dbapi_connection.set_trace_callback(traced.append)

        def before(_conn, _cursor, statement, _parameters, _context, executemany):
            seen.append(statement)

        event.listen(core.engine, "checkout", checkout)
        event.listen(core.engine, "before_cursor_execute", before)
        try:
            yield seen
        finally:
            event.remove(core.engine, "checkout", checkout)
            event.remove(core.engine, "before_cursor_execute", before)
        seen.extend(t for t in traced if t.lstrip().upper().startswith("SELECT METER.ID"))
        return
    # The meters' query is streamed (Cursor.stream): one statement, its rows in batches.
    originals = {(psycopg.Cursor, name): getattr(psycopg.Cursor, name)
                 for name in ("execute", "executemany", "copy", "stream")}

    def spy(key):
        def call(self, query, *args, **kwargs):
            seen.append(query if isinstance(query, str) else str(query))
            return originals[key](self, query, *args, **kwargs)
        return call

    for cls, name in originals:
        setattr(cls, name, spy((cls, name)))
    try:
        yield seen
    finally:
        for (cls, name), original in originals.items():
            setattr(cls, name, original)


def upload(client, core, rows: list[list]) -> int:
    from tests.support.spreadsheets import spreadsheet

    client.post("/readings/upload", data={
        "csrf_token": csrf_token(client.get("/readings/file").text),
        "file": (io.BytesIO(spreadsheet("xls", rows)), "показания.xls")})
    with core.uow() as uow:
        return uow.session.scalar(select(func.max(Upload.id)))


def stored(core, upload_id: int) -> list[tuple]:
    with core.uow() as uow:
        return [tuple(r) for r in uow.session.execute(
            select(UploadRow.row_number, UploadRow.meter_id, UploadRow.meter_number,
                   UploadRow.reading_date, UploadRow.raw_date, UploadRow.raw_t1, UploadRow.t1,
                   UploadRow.is_valid, UploadRow.unfilled, UploadRow.note)
            .where(UploadRow.upload_id == upload_id).order_by(UploadRow.id)).all()]


def test_an_upload_of_many_rows_issues_no_more_statements_than_one_of_few(core, signed_in):
    from tests.support.spreadsheets import spreadsheet

    with core.uow() as uow:
        first = uow.session.get(Upload, upload(signed_in, core, ROWS))
        person, organization = first.person_id, first.organization_id
    counted = []
    for rows in (ROWS, ROWS * 40):
        data = spreadsheet("xls", rows)
        with statements(core) as seen:
            upload_module.upload_readings_file(core, person, organization, "f.xls", data)
        counted.append(seen)
    few, many = counted
    assert len(many) == len(few)
    # One query for the organization's meters, whatever the rows.
    assert sum("last_accounted_reading_id" in s for s in many) == 1


def test_rows_checked_and_stored_a_chunk_at_a_time_keep_their_verdicts(core, signed_in,
                                                                       monkeypatch):
    whole = stored(core, upload(signed_in, core, ROWS * 3))
    monkeypatch.setattr(upload_module, "_CHUNK_ROWS", 2)
    with statements(core) as seen:
        chunked = stored(core, upload(signed_in, core, ROWS * 3))
    assert chunked == whole
    assert [note for *_r, note in whole[2:4]] == [
        "Не указана дата показания; Счетчик указан в файле несколько раз: строки 4, 5, 9, 10, "
        "14, 15",
        "Счетчик указан в файле несколько раз: строки 4, 5, 9, 10, 14, 15"]
    assert whole[8][-1] == "Счетчик указан в файле повторно"
    # 15 rows in chunks of 2: eight statements storing them.
    stores = [s for s in seen if "upload_row" in s and ("INSERT" in s or "COPY" in s)]
    assert len(stores) == 8
    if core.engine.dialect.name == "postgresql":
        assert all(s.startswith("COPY upload_row (") for s in stores)


def test_an_error_on_the_drivers_own_cursor_is_raised_as_sqlalchemys(core):
    from sqlalchemy import exc as sa_exc

    from lkk_integration.db import driver_errors

    with core.engine.connect() as connection:
        with pytest.raises(sa_exc.DBAPIError) as raised, \
                driver_errors(connection, "SELECT 1 FROM nowhere"):
            connection.connection.driver_connection.cursor().execute("SELECT 1 FROM nowhere")
    # As SQLAlchemy's own statements raise it: database_unavailable and the pool read it.
    assert isinstance(raised.value.orig, connection.dialect.loaded_dbapi.Error)
