"""ExportReadings' answer written straight with lxml (soap/export_xml.py) is spyne's own answer:
the same envelope, byte for byte and in canonical form, for pages with every element present
and every optional one absent, each kind of event; and no request runs a full collection."""
from __future__ import annotations

import datetime as dt
import gc
from decimal import Decimal

import pytest
import spyne.context
from lxml import etree
from spyne import Application, Long, MethodContext, ServiceBase, Unicode, rpc
from spyne.protocol.soap import Soap11
from spyne.server import ServerBase

from lkk_integration.readings.export import ExportedReading, ExportPage
from lkk_integration.soap import types as t
from lkk_integration.soap.app import make_application

UTC = dt.timezone.utc
MOSCOW = dt.timezone(dt.timedelta(hours=3))


class SpyneAlone(ServiceBase):
    """The operation as spyne writes it by itself: the same signature and result type without
    the lxml writer, answered with spyne objects."""

    @rpc(t.required(Long, ge=0), t.required(t.Integer, ge=1, le=1000), Unicode(max_len=64),
         t.Date, t.Date, _returns=t.ExportReadingsResult)
    def ExportReadings(ctx, Cursor, Limit, OrganizationId, DateFrom, DateTo):
        raise NotImplementedError  # only its answer is serialized here


def _spyne_alone() -> Application:
    # Another name: spyne keeps one application per (namespace, name) in its registry.
    return Application([SpyneAlone], tns=t.NS, name="SpyneAlone",
                       in_protocol=Soap11(validator=None), out_protocol=Soap11())


def _answer(application: Application, result) -> bytes:
    """The response document `application` writes for ExportReadings returning `result`."""
    ctx = MethodContext(ServerBase(application), MethodContext.SERVER)
    ctx.descriptor = application.interface.service_method_map[f"{{{t.NS}}}ExportReadings"][0]
    ctx.out_object = [result]
    application.out_protocol.serialize(ctx, application.out_protocol.RESPONSE)
    application.out_protocol.create_out_string(ctx)
    return b"".join(ctx.out_string)


def _as_spyne(page: ExportPage) -> t.ExportReadingsResult:
    """The page as spyne objects, mapped as the operation mapped it before the lxml writer."""
    return t.ExportReadingsResult(
        NextCursor=page.next_cursor, HasMore=page.has_more,
        Readings=None if page.events is None else [t.ExportedReading(
            Seq=e.seq, Event=e.event, ReadingId=e.reading_id,
            ReplacesReadingId=e.replaces_reading_id, OrganizationId=e.organization_id,
            HouseId=e.house_id, Address=e.address, AccountNumber=e.account_number,
            Apartment=e.apartment, MeterId=e.meter_id, MeterNumber=e.meter_number,
            MeterKind=e.meter_kind, ReadingDate=e.reading_date, T1=e.t1, T2=e.t2, T3=e.t3,
            Source=e.source, Channel=e.channel, SubmittedAt=e.submitted_at,
            SubmittedBy=e.submitted_by) for e in page.events])


def _event(seq: int, **changes) -> ExportedReading:
    """An event with every element present; `changes` replaces some values."""
    values = dict(
        seq=seq, event="submitted", reading_id=1000 + seq, replaces_reading_id=990 + seq,
        organization_id="ORG-1", house_id="H-1", address="Москва г., Вавилова ул., д. 45",
        account_number="0012345", apartment="17", meter_id="M-1", meter_number="00215090",
        meter_kind="individual", reading_date=dt.date(2026, 3, 18), t1=Decimal("1200.5"),
        t2=Decimal("350"), t3=Decimal("0.0001"), source="Обслуживающая организация",
        channel="file", submitted_at=dt.datetime(2026, 3, 20, 9, 15, 0, tzinfo=UTC),
        submitted_by="contact@uk-test.example")
    return ExportedReading(**{**values, **changes})


EVERY_ELEMENT = [_event(1)]
# Each optional element absent, one per event, and each kind of event and channel.
EACH_ABSENT = [
    _event(2, replaces_reading_id=None),
    _event(3, t2=None, t3=None),
    _event(4, t1=None, t2=Decimal("7"), t3=None),
    _event(5, account_number=None, apartment=None, meter_kind="common_house"),
    _event(6, submitted_by=None),
    _event(7, submitted_by=""),
    _event(8, event="deleted", replaces_reading_id=None),
    _event(9, event="deleted", channel="manual", submitted_by="Иванова И. И."),
    _event(10, channel="manual", source="Абонент"),
]
# What a value may hold: markup characters, a carriage return (lxml writes &#13;), letters
# outside Latin-1, the largest stored kWh (NUMERIC(18, 4)) and zero, microseconds, an instant in
# another zone (equal to a UTC one: written by its own zone), a date the same as a datetime's.
AWKWARD_VALUES = [
    _event(11, address="Тула г., «Б» & <В> ул.,\r\nд. 1", meter_number="№ 5 ' \" \t",
           t1=Decimal("99999999999999.9999"), t2=Decimal("0"), t3=Decimal("-0")),
    _event(12, submitted_at=dt.datetime(2026, 3, 20, 9, 15, 0, 7, tzinfo=UTC)),
    _event(13, submitted_at=dt.datetime(2026, 3, 20, 12, 15, 0, tzinfo=MOSCOW)),
    _event(2**62, reading_date=dt.date(1900, 1, 1), reading_id=2**62 + 1),
    # A required element without a value is xsi:nil, as spyne writes it.
    _event(15, address=None, source=None),
    _event(16, address=None, source=None, meter_id="M-2"),
]

PAGES = {
    "every element": ExportPage(EVERY_ELEMENT, 1, True),
    "optional elements absent": ExportPage(EACH_ABSENT, 10, True),
    "awkward values": ExportPage(AWKWARD_VALUES, 2**62, False),
    "all together": ExportPage(EVERY_ELEMENT + EACH_ABSENT + AWKWARD_VALUES, 15, False),
    "no readings": ExportPage([], 0, False),
    "no Readings element": ExportPage(None, 0, False),
}


@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_the_lxml_answer_is_the_one_spyne_writes(page):
    fast = _answer(make_application(), page)
    alone = _answer(_spyne_alone(), _as_spyne(page))
    assert etree.tostring(etree.fromstring(fast), method="c14n") == \
        etree.tostring(etree.fromstring(alone), method="c14n")
    assert fast == alone


def test_spyne_objects_given_for_the_result_are_written_by_spyne():
    page = PAGES["all together"]
    assert _answer(make_application(), _as_spyne(page)) == _answer(make_application(), page)


def test_the_answer_declares_xsi_only_when_an_element_is_nil():
    assert b"XMLSchema-instance" not in _answer(make_application(), PAGES["every element"])
    assert b'xsi:nil="true"' in _answer(make_application(), PAGES["awkward values"])


def test_a_request_ends_without_a_full_collection(monkeypatch):
    """spyne's MethodContext.close would run gc.collect() once a second (spyne.const.
    MIN_GC_INTERVAL); soap/app.py turns it off."""
    collections = []
    monkeypatch.setattr(gc, "collect", lambda *args: collections.append(args))
    monkeypatch.setattr(spyne.context, "_LAST_GC_RUN", 0.0)  # the last one long ago
    application = make_application()
    MethodContext(ServerBase(application), MethodContext.SERVER).close()
    assert collections == []
