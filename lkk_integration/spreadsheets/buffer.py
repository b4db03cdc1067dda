"""The upload buffer between «Загрузить и обработать» and «Отправить верные» (docs/spec.md
§10–§11): counts, a summary per house, a house's rows paged, filters, the selection across
pages and houses, deleting rows, and what is known of
the same file uploaded before (the errors file: spreadsheets/wrong_rows.py).

The buffer lives in the database (upload, upload_row), so any server process serves any page.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import NamedTuple

from sqlalchemy import and_, case, delete, false, func, or_, select, true, update

from lkk_integration import messages as msg
from lkk_integration.core import Core
from lkk_integration.errors import BufferGone, NotFound
from lkk_integration.models import (COMMON_HOUSE, INDIVIDUAL, ContactPerson, House, Reading,
                                    Upload, UploadRow)
from lkk_integration.readings.consumption import MonthlyUse, monthly_use
from lkk_integration.readings.reasons import load_reasons
from lkk_integration.readings.period import OpenPeriod, require_open_period
from lkk_integration.text import natural_key

# Rows on one page of a house in the buffer: a house of thousands of rows stays quick to show.
PAGE_ROWS = 300
# «check»: the valid rows far from their meter's typical consumption (docs/spec.md §13.10).
FILTERS = ("all", "wrong", "valid", "check")
UNKNOWN_ADDRESS = msg.UNKNOWN_ADDRESS
# The group of the rows whose meter was not found, so have no house (house_id NULL).
NO_HOUSE = 0
# Ids a selection names one by one, at most: a form posts a page's rows, not a buffer's.
MAX_NAMED = 5000


class Counts(NamedTuple):
    """Rows of one meter kind (or one house): valid, wrong, and of the wrong ones those not
    filled (a meter not read: docs/spec.md §10)."""

    valid: int = 0
    wrong: int = 0
    unfilled: int = 0
    # Of the valid ones, those far from their meter's typical consumption (§13.10).
    to_check: int = 0


@dataclass(frozen=True)
class Selection:
    """The rows a person selected in the buffer (docs/spec.md §11), from the coarsest choice to
    the finest, a finer one overriding a coarser: «Выбрать все» (`everything`: every row that
    `row_filter` keeps, on all pages and in all houses), a whole house selected or reset
    (`houses_on`, `houses_off`: its rows that the filter keeps), a row ticked or unticked on
    screen (`rows_on`, `rows_off`). So «Выбрать все», then «Сбросить все» on one house, then
    one row of it ticked again names every row of the filter but that house's, plus that row.

    Houses are keys: a house id, NO_HOUSE for rows whose meter was not found. Ids not in the
    buffer match nothing."""

    row_filter: str = "all"
    everything: bool = False
    houses_on: frozenset[int] = frozenset()
    houses_off: frozenset[int] = frozenset()
    rows_on: frozenset[int] = frozenset()
    rows_off: frozenset[int] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.everything or self.houses_on or self.rows_on)

    def house_selected(self, house: int) -> bool:
        """Whether the house's rows of the filter are selected unless unticked one by one."""
        return house in self.houses_on or (self.everything and house not in self.houses_off)

    def ticks(self, row_id: int, house: int, is_valid: bool, to_check: bool = False) -> bool:
        """Whether the row is selected (its checkbox ticked on screen)."""
        if row_id in self.rows_on:
            return True
        if row_id in self.rows_off:
            return False
        return self.house_selected(house) and _kept(self.row_filter, is_valid, to_check)

    def changed_on_screen(self, shown: set[int], was: set[int], ticked: set[int]) -> Selection:
        """This selection after the person ticked and unticked rows on screen: `shown` the rows
        the page showed, `was` those it showed ticked, `ticked` those ticked when the form was
        sent. A row left as it was keeps whatever selected it."""
        on, off = set(self.rows_on), set(self.rows_off)
        for row_id in shown:
            now = row_id in ticked
            if now == (row_id in was):
                continue
            (on if now else off).add(row_id)
            (off if now else on).discard(row_id)
        return replace(self, rows_on=frozenset(on), rows_off=frozenset(off))

    def with_house(self, house: int, selected: bool, its_named_rows: set[int]) -> Selection:
        """This selection with a whole house selected or reset: its rows named one by one
        (`its_named_rows`) follow the house again."""
        on = set(self.houses_on) - {house}
        off = set(self.houses_off) - {house}
        if selected and not self.everything:
            on.add(house)
        if not selected and self.everything:
            off.add(house)
        return replace(self, houses_on=frozenset(on), houses_off=frozenset(off),
                       rows_on=self.rows_on - its_named_rows,
                       rows_off=self.rows_off - its_named_rows)


class CountsByKind:
    """The totals over meter kinds of a view's `counts` (kind → Counts)."""

    counts: dict[str, Counts]

    @property
    def valid(self) -> int:
        return sum(c.valid for c in self.counts.values())

    @property
    def wrong(self) -> int:
        return sum(c.wrong for c in self.counts.values())

    @property
    def unfilled(self) -> int:
        return sum(c.unfilled for c in self.counts.values())


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
    row_number: int = 0
    # The address as typed: shown for rows whose meter (so house) was not found.
    address: str | None = None
    checked: bool = False
    # The reason given instead of values (docs/spec.md §13.11): its name on a valid row, as
    # written on a wrong one.
    not_read: str | None = None


def _reason_shown(row: UploadRow, reasons) -> str | None:
    """A row's reason as the buffer shows it: the listed name of its code, or of the name or
    code typed when it is one (a wrong row for another reason), else as typed (§13.11)."""
    if reasons is None or not row.raw_not_read:
        return row.raw_not_read
    code = row.not_read_reason or reasons.find(row.raw_not_read)
    return reasons.name_of(code) if code else row.raw_not_read


@dataclass(frozen=True)
class HouseGroup:
    """Rows of one house and meter kind on the page shown."""

    address: str
    rows: list[BufferRow]
    key: int = NO_HOUSE


@dataclass(frozen=True)
class HouseSummary:
    """One house of the buffer's summary (docs/spec.md §11): its rows valid, wrong, not
    filled, and how many of them are selected."""

    key: int
    address: str
    counts: Counts
    selected: int = 0

    @property
    def rows(self) -> int:
        return self.counts.valid + self.counts.wrong

    @property
    def mistakes(self) -> int:
        """Wrong rows that are not meters simply not read."""
        return self.counts.wrong - self.counts.unfilled


@dataclass(frozen=True)
class EarlierUpload:
    """The same file (by content hash) uploaded before by the organization: when, when it was
    sent and by whom (the contact person's full name), and whether that was in this period."""

    uploaded_at: dt.datetime
    sent_at: dt.datetime | None
    sent_by: str | None = None
    this_period: bool = False

    @property
    def sent_in_period(self) -> bool:
        """Sent in this period: sending the file again asks to confirm it (docs/spec.md §11.2)."""
        return self.sent_at is not None and self.this_period


@dataclass(frozen=True)
class BufferView(CountsByKind):
    upload_id: int
    file_name: str
    uploaded_at: dt.datetime
    counts: dict[str, Counts]
    # kind → houses with their rows on this page
    groups: dict[str, list[HouseGroup]]
    filter: str = "all"
    page: int = 1
    pages: int = 1
    # Rows the filter keeps where rows are shown (the open house, else the buffer).
    matching: int = 0
    earlier: EarlierUpload | None = None
    # What the intake left unread (unread_sheets), one line each.
    unread: tuple[str, ...] = ()
    # Every house with rows: those with mistakes first, then those with meters not read, then
    # the rest, each part by address.
    houses: tuple[HouseSummary, ...] = ()
    # The house opened (its key), None for the summary.
    house: int | None = None
    # False when the buffer is larger than a page and no house is open: rows are not shown.
    rows_shown: bool = True
    selection: Selection = Selection()
    # Rows selected, in all houses and on all pages.
    selected: int = 0
    # Rows the filter keeps in the whole buffer (what «Выбрать все» selects).
    filter_rows: int = 0
    # When this buffer's valid rows were sent; its wrong rows stay (docs/spec.md §11.1).
    sent_at: dt.datetime | None = None
    # Wrong rows whose only want is the date: the upload form's date for rows without one
    # would make them valid (docs/spec.md §10).
    undated: int = 0


    @property
    def open_house(self) -> HouseSummary | None:
        return next((h for h in self.houses if h.key == self.house), None)


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


def _kept(row_filter: str, is_valid: bool, to_check: bool = False) -> bool:
    if row_filter == "check":
        return is_valid and to_check
    return row_filter == "all" or (row_filter == "valid") == is_valid


def _filter_condition(row_filter: str):
    if row_filter == "wrong":
        return UploadRow.is_valid.is_(False)
    if row_filter == "valid":
        return UploadRow.is_valid.is_(True)
    if row_filter == "check":
        return and_(UploadRow.is_valid.is_(True), UploadRow.check_note.is_not(None))
    return true()


def _filtered(query, row_filter: str):
    return query.where(_filter_condition(row_filter))


# The house key of a row: rows whose meter was not found make one group (docs/spec.md §11).
_HOUSE_KEY = func.coalesce(UploadRow.house_id, NO_HOUSE)


def _selected_condition(selection: Selection):
    """The rows `selection` names, as a condition on upload_row (Selection's rules)."""
    by_house = []
    if selection.houses_on:
        by_house.append(_HOUSE_KEY.in_(sorted(selection.houses_on)))
    if selection.everything:
        by_house.append(_HOUSE_KEY.not_in(sorted(selection.houses_off))
                        if selection.houses_off else true())
    chosen = and_(or_(*by_house), _filter_condition(selection.row_filter)) if by_house \
        else false()
    if selection.rows_off:
        chosen = and_(chosen, UploadRow.id.not_in(sorted(selection.rows_off)))
    if selection.rows_on:
        chosen = or_(chosen, UploadRow.id.in_(sorted(selection.rows_on)))
    return chosen


def open_buffer(session, core: Core, organization_id: int,
                period: OpenPeriod | None = None) -> Upload | None:
    """The organization's buffer in the open period (`period`, else read now), or None: its
    newest upload of the period, checked and not sent, or sent with wrong rows left (sending
    removes only the sent rows: docs/spec.md §11.1). Raises PeriodClosed outside the period."""
    period = period or require_open_period(session, core)
    # A buffer not sent by the end of its period expires with it; a newer upload replaces it.
    upload = session.scalars(select(Upload).where(
        Upload.organization_id == organization_id, Upload.status.in_(("checked", "sent")),
        Upload.period == period.state.period).order_by(Upload.id.desc()).limit(1)).first()
    if upload is not None and upload.status == "sent" and session.scalar(
            select(UploadRow.id).where(UploadRow.upload_id == upload.id).limit(1)) is None:
        return None  # sent whole, or its wrong rows deleted: nothing left to show
    return upload


def earlier_upload(session, upload: Upload) -> EarlierUpload | None:
    """The same file (by content hash) uploaded before `upload` by its organization, or None
    (docs/spec.md §11): the last time it was sent in the upload's period, else the last time it
    was sent, else the last time it was uploaded; a warning against sending the same file twice
    must not forget a send behind later uploads. The sender is the person whose readings the
    send saved."""
    earlier = session.execute(
        select(Upload.id, Upload.uploaded_at, Upload.sent_at, Upload.period)
        .where(Upload.organization_id == upload.organization_id, Upload.id < upload.id,
               Upload.content_sha256 == upload.content_sha256)
        .order_by(Upload.sent_at.is_(None), Upload.period != upload.period, Upload.id.desc())
        .limit(1)).first()
    if earlier is None:
        return None
    sent_by = session.scalar(
        select(ContactPerson.full_name)
        .join(Reading, Reading.submitted_by_person_id == ContactPerson.id)
        .where(Reading.upload_id == earlier.id).limit(1)) if earlier.sent_at else None
    return EarlierUpload(earlier.uploaded_at, earlier.sent_at, sent_by,
                         earlier.period == upload.period)


def _summary_order(house: tuple[int, list]) -> tuple:
    """Houses with mistakes first, most wrong rows first (the «Ошибок» column read downwards),
    then those whose only wrong rows are meters not read, then the rest; ties by address
    (docs/spec.md §11)."""
    _key, (address_order, _address, _valid, wrong, unfilled, _selected, _to_check) = house
    return (0 if wrong > unfilled else 1 if unfilled else 2, -wrong, address_order)


def current_buffer(core: Core, organization_id: int, row_filter: str = "all", page: int = 1,
                   house: int | None = None,
                   selection: Selection | None = None) -> BufferView | None:
    """The organization's buffer not yet sent in this period, or None (docs/spec.md §10–§11).

    Shapes: counts per meter kind and a summary per house (valid, wrong, not filled, selected:
    one GROUP BY), houses with mistakes first, then those whose wrong rows are only meters not
    read, then the rest, each part in natural order of settlement, street and house number
    (text.natural_key); the rows that `row_filter` ('all', 'wrong', 'valid')
    keeps of the open `house` (a house id, NO_HOUSE for rows whose meter was not found), page
    `page` of PAGE_ROWS, by meter kind and file order. Without a house the rows are shown only
    when they fit on one page; houses are collapsed otherwise. Each row says whether
    `selection` (by default none) ticks it, and the view how many rows it names in all.

    Raises PeriodClosed outside the period; a page past the last shows the last; an unknown
    house shows the summary.
    """
    row_filter = row_filter if row_filter in FILTERS else "all"
    selection = selection or Selection(row_filter)
    with core.uow() as uow:
        session = uow.session
        period = require_open_period(session, core)
        upload = open_buffer(session, core, organization_id, period)
        if upload is None:
            return None
        counts = {INDIVIDUAL: Counts(), COMMON_HOUSE: Counts()}
        houses: dict[int, list] = {}
        # Counted first, joined to the houses after: 79 groups to join, not 20,000 rows.
        grouped = (select(UploadRow.house_id, UploadRow.kind, func.count().label("rows"),
                          func.count().filter(UploadRow.is_valid).label("valid"),
                          func.count().filter(UploadRow.unfilled).label("unfilled"),
                          func.count().filter(_selected_condition(selection)).label("chosen"),
                          func.count().filter(UploadRow.check_note.is_not(None))
                          .label("to_check"))
                   .where(UploadRow.upload_id == upload.id)
                   .group_by(UploadRow.house_id, UploadRow.kind).subquery())
        for house_id, kind, settlement, street, number, rows, valid, unfilled, chosen, \
                to_check in session.execute(
                    select(grouped.c.house_id, grouped.c.kind, House.settlement, House.street,
                           House.house_number, grouped.c.rows, grouped.c.valid,
                           grouped.c.unfilled, grouped.c.chosen, grouped.c.to_check)
                    .outerjoin(House, House.id == grouped.c.house_id)):
            wrong = rows - valid
            c = counts[kind]
            counts[kind] = Counts(c.valid + int(valid), c.wrong + int(wrong),
                                  c.unfilled + int(unfilled), c.to_check + int(to_check))
            key = house_id if house_id is not None else NO_HOUSE
            found = houses.setdefault(key, [(natural_key(settlement), natural_key(street),
                                             natural_key(number), key),
                                            msg.house_address(settlement, street, number)
                                            if house_id is not None else UNKNOWN_ADDRESS,
                                            0, 0, 0, 0, 0])
            for i, value in enumerate((valid, wrong, unfilled, chosen, to_check), start=2):
                found[i] += int(value)
        summary = tuple(HouseSummary(key, address, Counts(valid, wrong, unfilled, to_check),
                                     chosen)
                        for key, (_order, address, valid, wrong, unfilled, chosen, to_check)
                        in sorted(houses.items(), key=_summary_order))

        def kept(c: Counts) -> int:
            return {"all": c.valid + c.wrong, "wrong": c.wrong, "valid": c.valid,
                    "check": c.to_check}[row_filter]

        filter_rows = sum(kept(h.counts) for h in summary)
        house = house if house in houses else None
        matching = filter_rows if house is None \
            else next(kept(h.counts) for h in summary if h.key == house)
        rows_shown = house is not None or matching <= PAGE_ROWS
        pages = max(1, -(-matching // PAGE_ROWS)) if rows_shown else 1
        page = min(max(page, 1), pages)
        rows: list[UploadRow] = []
        if rows_shown:
            query = _filtered(select(UploadRow).where(UploadRow.upload_id == upload.id),
                              row_filter)
            if house is not None:
                query = query.where(UploadRow.house_id.is_(None) if house == NO_HOUSE
                                    else UploadRow.house_id == house)
            rows = list(session.scalars(query.order_by(UploadRow.kind, UploadRow.id)
                                        .offset((page - 1) * PAGE_ROWS).limit(PAGE_ROWS)))
        place = {h.key: i for i, h in enumerate(summary)}
        rows.sort(key=lambda r: (r.kind, place[r.house_id or NO_HOUSE], r.id))
        # A wrong row is never charted: its reading is not one (docs/spec.md §6.1).
        pending = {r.meter_id: (r.reading_date, (r.t1, r.t2, r.t3)) for r in rows
                   if r.is_valid and r.meter_id is not None and r.not_read_reason is None}
        reasons = load_reasons(session) if any(r.raw_not_read for r in rows) else None
        uses = monthly_use(session, list(pending), period.today, period.rules, pending)
        groups: dict[str, dict[int, list[BufferRow]]] = {INDIVIDUAL: {}, COMMON_HOUSE: {}}
        for r in rows:
            chart = uses.get(r.meter_id) if r.is_valid else None
            key = r.house_id or NO_HOUSE
            groups[r.kind].setdefault(key, []).append(BufferRow(
                r.id, r.apartment, r.account_number, r.meter_number, r.raw_date, r.raw_t1,
                r.raw_t2, r.raw_t3, r.note, r.is_valid, chart, r.row_number, r.address,
                selection.ticks(r.id, key, r.is_valid, r.check_note is not None),
                _reason_shown(r, reasons)))
        earlier = earlier_upload(session, upload)
        address = {h.key: h.address for h in summary}
        return BufferView(upload.id, upload.file_name, upload.uploaded_at, counts,
                          {kind: [HouseGroup(address[key], rs, key) for key, rs in found.items()]
                           for kind, found in groups.items()},
                          row_filter, page, pages, matching,
                          earlier, tuple((upload.notes or "").splitlines()),
                          summary, house, rows_shown, selection,
                          sum(h.selected for h in summary), filter_rows, upload.sent_at,
                          session.scalar(select(func.count()).where(
                              UploadRow.upload_id == upload.id,
                              UploadRow.note == msg.DATE_MISSING)))


def buffer_to_send(core: Core, organization_id: int, upload_id: int) -> BufferView:
    """The organization's buffer not yet sent in this period when it is upload `upload_id`, for
    the send's confirmation; raises BufferGone with gone_buffer_message otherwise (a buffer
    sent, its wrong rows left, says when it was sent), PeriodClosed outside the period."""
    buffer = current_buffer(core, organization_id)
    if buffer is None or buffer.upload_id != upload_id or buffer.sent_at is not None:
        with core.uow() as uow:
            raise BufferGone(gone_buffer_message(uow.session, organization_id, upload_id),
                           "upload")
    return buffer


def _selection(upload_id: int, selection: Selection):
    """The ids of upload `upload_id`'s rows that `selection` names."""
    return select(UploadRow.id).where(UploadRow.upload_id == upload_id,
                                      _selected_condition(selection))


def _require_open(session, core: Core, organization_id: int, upload_id: int) -> Upload:
    upload = open_buffer(session, core, organization_id)
    if upload is None or upload.id != upload_id:
        raise BufferGone(msg.BUFFER_GONE, "upload")
    return upload


def count_selected(core: Core, organization_id: int, upload_id: int,
                   selection: Selection) -> int:
    """How many rows of the open buffer `selection` names, on all pages and in all houses
    (the delete question's «Выбрано: N строк», docs/spec.md §11). Raises BufferGone when the
    buffer is not open, PeriodClosed outside the period."""
    with core.uow() as uow:
        _require_open(uow.session, core, organization_id, upload_id)
        return uow.session.scalar(select(func.count()).select_from(
            _selection(upload_id, selection).subquery()))


def select_house(core: Core, organization_id: int, upload_id: int, selection: Selection,
                 house: int, selected: bool) -> Selection:
    """`selection` with every row of `house` (a house id, NO_HOUSE) that its filter keeps
    selected, or none of them («Выбрать все» / «Сбросить все» of a house, docs/spec.md §11);
    its rows ticked or unticked one by one follow the house again. Raises BufferGone when the
    buffer is not open, PeriodClosed outside the period."""
    named = selection.rows_on | selection.rows_off
    with core.uow() as uow:
        _require_open(uow.session, core, organization_id, upload_id)
        its = set(uow.session.scalars(select(UploadRow.id).where(
            UploadRow.upload_id == upload_id, _HOUSE_KEY == house,
            UploadRow.id.in_(sorted(named))))) if named else set()
    return selection.with_house(house, selected, its)


def delete_rows(core: Core, organization_id: int, upload_id: int,
                selection: Selection) -> int:
    """Remove the rows `selection` names from the organization's open buffer (others' ids
    match nothing). Returns how many went (docs/spec.md §11). Raises BufferGone when the
    buffer is not open (sent, replaced, another organization's), PeriodClosed outside the
    period.
    """
    with core.uow() as uow:
        session = uow.session
        upload = _require_open(session, core, organization_id, upload_id)
        # Take the buffer's row with a write that checks its state again: on PostgreSQL a send
        # running now holds the row until it commits, on SQLite this write waits for the
        # send's whole transaction; either way a buffer sent since it was read is found sent
        # here (the wrong rows a send left are deleted as any others).
        taken = session.execute(update(Upload).where(Upload.id == upload_id,
                                                     Upload.status == upload.status)
                                .values(status=upload.status)).rowcount
        if taken != 1:
            raise BufferGone(msg.BUFFER_GONE, "upload")
        gone = session.execute(delete(UploadRow).where(
            UploadRow.id.in_(_selection(upload_id, selection).scalar_subquery()))
            .execution_options(synchronize_session=False)).rowcount
        uow.commit()
        return gone


# --- A buffer past its period's close (docs/spec.md §11) --------------------------------------


@dataclass(frozen=True)
class UnsentBuffer(CountsByKind):
    """A checked upload not sent: its file, when it came, its verdict's counts, and the last
    day of its period (Moscow date; the period closed, or closes, at 24:00 of it)."""

    upload_id: int
    file_name: str
    uploaded_at: dt.datetime
    # kind → its Counts
    counts: dict[str, Counts]
    last_day: dt.date
    # The same file sent earlier in that period: then what was not sent is only its repeat.
    sent_before: EarlierUpload | None = None


def unsent_view(session, upload: Upload, last_day: dt.date) -> UnsentBuffer:
    """An UnsentBuffer of `upload`, its rows counted per meter kind in one query, and the
    same file's send earlier in its period if there was one."""
    counts = {INDIVIDUAL: Counts(), COMMON_HOUSE: Counts()}
    for kind, valid, wrong, unfilled in session.execute(
            select(UploadRow.kind, func.sum(case((UploadRow.is_valid, 1), else_=0)),
                   func.sum(case((UploadRow.is_valid, 0), else_=1)),
                   func.sum(case((UploadRow.unfilled, 1), else_=0)))
            .where(UploadRow.upload_id == upload.id).group_by(UploadRow.kind)):
        counts[kind] = Counts(int(valid), int(wrong), int(unfilled))
    earlier = earlier_upload(session, upload)
    return UnsentBuffer(upload.id, upload.file_name, upload.uploaded_at, counts, last_day,
                        earlier if earlier is not None and earlier.sent_in_period else None)


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
