"""The upload buffer between «Загрузить и обработать» and «Отправить верные» (docs/spec.md
§10–§11): counts, rows grouped by house and paged, filters, deleting rows, and what is known of
the same file uploaded before (the errors file: spreadsheets/wrong_rows.py).

The buffer lives in the database (upload, upload_row), so any server process serves any page.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import case, delete, func, select, update

from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.errors import BufferGone, NotFound
from lkk_integration.models import COMMON_HOUSE, INDIVIDUAL, Reading, Upload, UploadRow
from lkk_integration.readings.consumption import MonthlyUse, monthly_use
from lkk_integration.readings.period import OpenPeriod, require_open_period

# Rows on one page of the buffer: a 65,000-row file stays quick to show.
PAGE_ROWS = 300
FILTERS = ("all", "wrong", "valid")
UNKNOWN_ADDRESS = msg.UNKNOWN_ADDRESS


class Counts(NamedTuple):
    """Rows of one meter kind: valid, wrong, and of the wrong ones those not filled (a meter
    not read: docs/spec.md §10)."""

    valid: int = 0
    wrong: int = 0
    unfilled: int = 0


@dataclass(frozen=True)
class BufferRow:
    id: int
    apartment: str | None
    account_number: str | None
    meter_number: str | None
    reading_date: str | None
    t1: str | None
    t2: str | None
    t3: str | None
    note: str | None
    is_valid: bool
    # A valid row's meter's consumption per month for a year, this file's reading as its
    # month; None for a wrong row and a meter without history (docs/spec.md §6.1).
    chart: MonthlyUse | None = None


@dataclass(frozen=True)
class HouseGroup:
    """The rows of one house on the page shown (a house may continue on the next page)."""

    address: str
    rows: list[BufferRow]


@dataclass(frozen=True)
class EarlierUpload:
    """The same file (by content hash) uploaded before by the organization."""

    uploaded_at: dt.datetime
    sent_at: dt.datetime | None


@dataclass(frozen=True)
class BufferView:
    upload_id: int
    file_name: str
    uploaded_at: dt.datetime
    counts: dict[str, Counts]
    # kind → houses with their rows on this page
    groups: dict[str, list[HouseGroup]]
    filter: str = "all"
    page: int = 1
    pages: int = 1
    # Rows matching the filter, on all pages.
    matching: int = 0
    earlier: EarlierUpload | None = None
    # What the intake left unread (unread_sheets), one line each.
    unread: tuple[str, ...] = ()

    @property
    def valid(self) -> int:
        return sum(c.valid for c in self.counts.values())

    @property
    def wrong(self) -> int:
        return sum(c.wrong for c in self.counts.values())

    @property
    def unfilled(self) -> int:
        return sum(c.unfilled for c in self.counts.values())


def require_own_upload(core: Core, organization_id: int, upload_id: int) -> None:
    """Raise NotFound unless the upload exists and is the organization's (docs/spec.md §18.2:
    every id in a request is checked against the person's organization)."""
    with core.uow() as uow:
        owner = uow.session.scalar(select(Upload.organization_id).where(Upload.id == upload_id))
    if owner != organization_id:
        raise NotFound(msg.PAGE_NOT_FOUND, "upload")


def gone_buffer_message(session, organization_id: int, upload_id: int) -> str:
    """Why the organization's upload `upload_id` is no longer a buffer to send: when it was
    sent, the file, the time and how many readings went (a send repeated after its answer was
    lost — a retry, a second tab — must not invite an upload of the same file again);
    otherwise msg.BUFFER_GONE."""
    upload = session.scalars(select(Upload).where(Upload.id == upload_id,
                                                  Upload.organization_id == organization_id,
                                                  Upload.status == "sent")).first()
    if upload is None or upload.sent_at is None:
        return msg.BUFFER_GONE
    readings = session.scalar(select(func.count()).select_from(Reading)
                              .where(Reading.upload_id == upload_id))
    return msg.already_sent(upload.file_name, upload.sent_at, readings)


def _filtered(query, row_filter: str):
    if row_filter == "wrong":
        return query.where(UploadRow.is_valid.is_(False))
    if row_filter == "valid":
        return query.where(UploadRow.is_valid.is_(True))
    return query


def open_buffer(session, core: Core, organization_id: int,
                period: OpenPeriod | None = None) -> Upload | None:
    """The organization's upload checked and not sent in the open period (`period`, else read
    now), or None. Raises PeriodClosed outside the period."""
    period = period or require_open_period(session, core)
    # A buffer not sent by the end of its period expires with it.
    return session.scalars(select(Upload).where(
        Upload.organization_id == organization_id, Upload.status == "checked",
        Upload.period == period.state.period).order_by(Upload.id.desc())).first()


def current_buffer(core: Core, organization_id: int, row_filter: str = "all",
                   page: int = 1) -> BufferView | None:
    """The organization's buffer not yet sent in this period, or None: counts per meter kind,
    and page `page` (of PAGE_ROWS rows, ordered by kind, address and file order) of the rows
    that `row_filter` ('all', 'wrong', 'valid') keeps, grouped by house.

    Raises PeriodClosed outside the period; a page past the last shows the last.
    """
    row_filter = row_filter if row_filter in FILTERS else "all"
    with core.uow() as uow:
        session = uow.session
        period = require_open_period(session, core)
        upload = open_buffer(session, core, organization_id, period)
        if upload is None:
            return None
        counts = {INDIVIDUAL: Counts(), COMMON_HOUSE: Counts()}
        for kind, valid, wrong, unfilled in session.execute(
                select(UploadRow.kind,
                       func.sum(case((UploadRow.is_valid, 1), else_=0)),
                       func.sum(case((UploadRow.is_valid, 0), else_=1)),
                       func.sum(case((UploadRow.unfilled, 1), else_=0)))
                .where(UploadRow.upload_id == upload.id).group_by(UploadRow.kind)):
            counts[kind] = Counts(int(valid), int(wrong), int(unfilled))
        matching = sum(c.valid + c.wrong if row_filter == "all"
                       else (c.wrong if row_filter == "wrong" else c.valid)
                       for c in counts.values())
        pages = max(1, -(-matching // PAGE_ROWS))
        page = min(max(page, 1), pages)
        rows = session.scalars(_filtered(
            select(UploadRow).where(UploadRow.upload_id == upload.id), row_filter)
            .order_by(UploadRow.kind, UploadRow.address, UploadRow.id)
            .offset((page - 1) * PAGE_ROWS).limit(PAGE_ROWS))
        rows = list(rows)
        # A wrong row is never charted: its reading is not one (docs/spec.md §6.1).
        pending = {r.meter_id: (r.reading_date, (r.t1, r.t2, r.t3))
                   for r in rows if r.is_valid and r.meter_id is not None}
        uses = monthly_use(session, list(pending), period.today, period.rules, pending)
        groups: dict[str, dict[str, list[BufferRow]]] = {INDIVIDUAL: {}, COMMON_HOUSE: {}}
        for r in rows:
            chart = uses.get(r.meter_id) if r.is_valid else None
            groups[r.kind].setdefault(r.address or UNKNOWN_ADDRESS, []).append(BufferRow(
                r.id, r.apartment, r.account_number, r.meter_number, r.raw_date, r.raw_t1,
                r.raw_t2, r.raw_t3, r.note, r.is_valid, chart))
        # The last time it was sent, else the last time it was uploaded: a warning against
        # sending the same file twice must not forget a send behind later uploads.
        earlier = session.execute(
            select(Upload.uploaded_at, Upload.sent_at)
            .where(Upload.organization_id == organization_id, Upload.id < upload.id,
                   Upload.content_sha256 == upload.content_sha256)
            .order_by(Upload.sent_at.is_(None), Upload.id.desc()).limit(1)).first()
        return BufferView(upload.id, upload.file_name, upload.uploaded_at, counts,
                          {kind: [HouseGroup(a, rs) for a, rs in houses.items()]
                           for kind, houses in groups.items()},
                          row_filter, page, pages, matching,
                          EarlierUpload(*earlier) if earlier else None,
                          tuple((upload.notes or "").splitlines()))


def buffer_to_send(core: Core, organization_id: int, upload_id: int) -> BufferView:
    """The organization's buffer not yet sent in this period when it is upload `upload_id`, for
    the send's confirmation; raises BufferGone with gone_buffer_message otherwise, PeriodClosed
    outside the period."""
    buffer = current_buffer(core, organization_id)
    if buffer is None or buffer.upload_id != upload_id:
        with core.uow() as uow:
            raise BufferGone(gone_buffer_message(uow.session, organization_id, upload_id),
                           "upload")
    return buffer


def _selection(upload_id: int, row_ids: list[int], scope: str | None):
    """The WHERE of the rows a person selected: ids on the page, or every row of a filter."""
    where = [UploadRow.upload_id == upload_id]
    if scope in FILTERS:
        return _filtered(select(UploadRow.id).where(*where), scope)
    return select(UploadRow.id).where(*where, UploadRow.id.in_(row_ids or [-1]))


def count_selected(core: Core, organization_id: int, upload_id: int, row_ids: list[int],
                   scope: str | None) -> int:
    """How many rows of the open buffer the selection names (for the confirmation)."""
    with core.uow() as uow:
        upload = open_buffer(uow.session, core, organization_id)
        if upload is None or upload.id != upload_id:
            raise BufferGone(msg.BUFFER_GONE, "upload")
        return uow.session.scalar(select(func.count()).select_from(
            _selection(upload_id, row_ids, scope).subquery()))


def delete_rows(core: Core, organization_id: int, upload_id: int, row_ids: list[int],
                scope: str | None) -> int:
    """Remove rows from the organization's open buffer: the ids given (others' ids match
    nothing), or with `scope` every row of that filter ('all', 'wrong', 'valid'). Returns how
    many went (docs/spec.md §11). Raises BufferGone when the buffer is not open (sent, replaced,
    another organization's), PeriodClosed outside the period.
    """
    with core.uow() as uow:
        session = uow.session
        upload = open_buffer(session, core, organization_id)
        if upload is None or upload.id != upload_id:
            raise BufferGone(msg.BUFFER_GONE, "upload")
        # Take the buffer's row with a write that checks its state again: on PostgreSQL a send
        # running now holds the row until it commits, on SQLite this write waits for the
        # send's whole transaction; either way a sent buffer is found sent here.
        taken = session.execute(update(Upload).where(Upload.id == upload_id,
                                                     Upload.status == "checked")
                                .values(status="checked")).rowcount
        if taken != 1:
            raise BufferGone(msg.BUFFER_GONE, "upload")
        gone = session.execute(delete(UploadRow).where(
            UploadRow.id.in_(_selection(upload_id, row_ids, scope).scalar_subquery()))
            .execution_options(synchronize_session=False)).rowcount
        uow.commit()
        return gone


# --- A buffer past its period's close (docs/spec.md §11) --------------------------------------


@dataclass(frozen=True)
class UnsentBuffer:
    """A checked upload not sent: its file, when it came, its verdict's counts, and the last
    day of its period (Moscow date; the period closed, or closes, at 24:00 of it)."""

    upload_id: int
    file_name: str
    uploaded_at: dt.datetime
    # kind → its Counts
    counts: dict[str, Counts]
    last_day: dt.date

    @property
    def valid(self) -> int:
        return sum(c.valid for c in self.counts.values())

    @property
    def wrong(self) -> int:
        return sum(c.wrong for c in self.counts.values())

    @property
    def unfilled(self) -> int:
        return sum(c.unfilled for c in self.counts.values())


def unsent_view(session, upload: Upload, last_day: dt.date) -> UnsentBuffer:
    """An UnsentBuffer of `upload`, its rows counted per meter kind in one query."""
    counts = {INDIVIDUAL: Counts(), COMMON_HOUSE: Counts()}
    for kind, valid, wrong, unfilled in session.execute(
            select(UploadRow.kind, func.sum(case((UploadRow.is_valid, 1), else_=0)),
                   func.sum(case((UploadRow.is_valid, 0), else_=1)),
                   func.sum(case((UploadRow.unfilled, 1), else_=0)))
            .where(UploadRow.upload_id == upload.id).group_by(UploadRow.kind)):
        counts[kind] = Counts(int(valid), int(wrong), int(unfilled))
    return UnsentBuffer(upload.id, upload.file_name, upload.uploaded_at, counts, last_day)


def unsent_upload(session, organization_id: int,
                  period: OpenPeriod) -> tuple[Upload, dt.date] | None:
    """Outside the period (`period`, decided by current_period): the organization's last
    checked upload of the period that closed last, with that period's last day; None inside
    the period or when there is none (docs/spec.md §11: a buffer not sent stays readable
    after the close, until a new upload replaces it)."""
    from lkk_integration.readings.rules import period_window

    if period.state.is_open:
        return None
    month = period.state.period
    if period.today < period.window[0]:  # before this month's period: last month's closed
        month = (month - dt.timedelta(days=1)).replace(day=1)
    upload = session.scalars(select(Upload).where(
        Upload.organization_id == organization_id, Upload.status == "checked",
        Upload.period == month).order_by(Upload.id.desc())).first()
    if upload is None:
        return None
    return upload, period_window(period.rules, month)[1]


def unsent_buffer(core: Core, organization_id: int) -> UnsentBuffer | None:
    """After the close: the organization's checked upload of the period that closed last and
    was not sent — file name, when uploaded, counts valid/wrong — for the closed readings
    page's statement (docs/spec.md §11); None while the period is open or when every file was
    sent or replaced."""
    from lkk_integration.readings.period import current_period

    with core.uow() as uow:
        found = unsent_upload(uow.session, organization_id, current_period(uow.session, core))
        return unsent_view(uow.session, *found) if found else None
