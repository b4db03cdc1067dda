"""Plausibility from the meter's own history on every channel (docs/spec.md §13.10): the meter
learns from the billing's accounted readings; a reading far from its typical consumption is
confirmed on manual entry, kept apart in the buffer, and carried to the billing's export."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import xlrd
from sqlalchemy import select

from lkk_integration.models import Meter, UploadRow
from tests.support.cabinet import house_id as house_of
from tests.support.cabinet import (csrf_token, meter_id, page_text, post_reading, readings_of,
                                   send, upload_filled)
from tests.support.organizations import meter, story_organization
from tests.support.parts import ROOT
from tests.web.test_charts import account

FAR = "Проверьте: расход в 4,2 раза выше обычного для этого счетчика"


def teach(zeep_client) -> None:
    """Two weeks of 10 kWh a day after the story's last accounted reading (1000 on 20.02)."""
    account(zeep_client, "feb27", "ORG-1-M-A", dt.date(2026, 2, 27), t1="1070")
    account(zeep_client, "mar06", "ORG-1-M-A", dt.date(2026, 3, 6), t1="1140")


def typical(core, number: str):
    with core.uow() as uow:
        meter = uow.session.scalars(select(Meter).where(Meter.number == number)).one()
        return meter.typical_t1, meter.typical_intervals


def test_the_meter_learns_from_the_billings_accounted_readings(core, signed_in, zeep_client):
    assert typical(core, "00215090") == (None, 0)
    teach(zeep_client)
    assert typical(core, "00215090") == (Decimal(10), 2)
    # A correction dated before the last one teaches nothing.
    account(zeep_client, "fix", "ORG-1-M-A", dt.date(2026, 3, 5), t1="1130")
    assert typical(core, "00215090") == (Decimal(10), 2)
    # Nor does the billing sending its history again, however often.
    for again in range(3):
        account(zeep_client, f"feb27-{again}", "ORG-1-M-A", dt.date(2026, 2, 27), t1="1070")
        account(zeep_client, f"mar06-{again}", "ORG-1-M-A", dt.date(2026, 3, 6), t1="1140")
    assert typical(core, "00215090") == (Decimal(10), 2)



def test_manual_entry_asks_to_confirm_a_reading_far_from_the_usual(core, signed_in,
                                                                   zeep_client):
    teach(zeep_client)
    meter = meter_id(core, "00215090")
    # 14 days × 10 kWh × 4.2 = 588 kWh since 06.03.
    asked = post_reading(signed_in, meter, t1="1728")
    assert asked.status_code == 200
    assert f"{FAR}. Да, показание верное" in page_text(asked.text)
    assert 'name="t1" value="1728"' in asked.text  # the form keeps what was typed
    assert readings_of(core, "00215090") == []
    assert 'name="confirmed_for" value="2026-03-20|1728||"' in asked.text
    token = csrf_token(signed_in.get("/readings/manual/").text)

    def post(t1: str, **confirmation):
        return signed_in.post(f"/readings/manual/{meter}", data={
            "csrf_token": token, "reading_date": "2026-03-20", "t1": t1, **confirmation})

    # A confirmation names the reading it was asked about: of other values (a corrected one
    # still far), or of none, or not ticked, it confirms nothing — the page asks again.
    assert post("1800", confirmed="1", confirmed_for="2026-03-20|1728||").status_code == 200
    assert post("1728", confirmed="1").status_code == 200
    assert post("1728", confirmed_for="2026-03-20|1728||").status_code == 200
    assert readings_of(core, "00215090") == []
    # Confirmed: saved, with the note (1728,0 is the same reading).
    saved = post("1728,0", confirmed="1", confirmed_for="2026-03-20|1728||")
    assert saved.status_code == 302
    [reading] = readings_of(core, "00215090")
    assert (reading.t1, reading.check_note) == (Decimal(1728), FAR)
    # A usual one is saved at once, without a note.
    assert post_reading(signed_in, meter, t1="1290").status_code == 302
    assert readings_of(core, "00215090")[-1].check_note is None


def test_a_files_far_reading_is_valid_kept_apart_and_exported_with_its_note(core, signed_in,
                                                                            zeep_client):
    teach(zeep_client)
    day = dt.date(2026, 3, 20)
    upload = upload_filled(signed_in, core, {"00215090": {"t1": 1728, "date": day},
                                             "00300001": {"t1": 2100, "date": day}})
    with core.uow() as uow:
        rows = {r.meter_number: (r.is_valid, r.note, r.check_note) for r in uow.session.scalars(
            select(UploadRow).where(UploadRow.upload_id == upload))}
    assert rows["00215090"] == (True, FAR, FAR)
    assert rows["00300001"] == (True, None, None)
    page = signed_in.get("/readings/file?filter=check")
    text = page_text(page.text)
    assert "Требуют проверки (1)" in text and FAR in text and "00300001" not in text
    assert "Индивидуальные ПУ: Верных – 2 (требуют проверки – 1), ошибок – 3" in text
    send(signed_in, upload)
    [reading] = readings_of(core, "00215090")
    assert reading.check_note == FAR
    export = zeep_client.service.ExportReadingsWithCheckNotes
    events = export(Cursor=0, Limit=100).Readings.ExportedReading
    notes = {e.MeterNumber: e.CheckNote for e in events}
    assert notes == {"00215090": FAR, "00300001": None}
    # Not asked for, not sent: what an older client gets.
    events = zeep_client.service.ExportReadings(Cursor=0, Limit=100).Readings.ExportedReading
    assert {e.MeterNumber: e.CheckNote for e in events} == {"00215090": None,
                                                             "00300001": None}


def test_a_client_built_from_the_wsdl_before_check_notes_reads_the_export(
        core, signed_in, zeep_client, live_server, soap_credentials):
    # docs/spec.md §15.6: zeep is strict by default (an unknown element is an error), as
    # suds is; the committed WSDL of 2026-12-05 is the contract such a client was built from.
    import requests
    import zeep
    from zeep.transports import Transport

    teach(zeep_client)
    assert post_reading(signed_in, meter_id(core, "00215090"), t1="1728", confirmed="1",
                        confirmed_for="2026-03-20|1728||").status_code == 302
    session = requests.Session()
    session.auth = soap_credentials
    old = zeep.Client(str(ROOT / "tests" / "contracts" / "lkk-2026-12-05.wsdl"),
                      transport=Transport(session=session))
    service = old.create_service(next(iter(old.wsdl.bindings)), f"{live_server}/soap")
    try:
        [event] = service.ExportReadings(Cursor=0, Limit=100).Readings.ExportedReading
        assert (event.MeterNumber, event.T1) == ("00215090", Decimal(1728))
        assert "CheckNote" not in event
    finally:
        session.close()


def test_manual_entry_and_the_template_show_the_expected_range(core, signed_in, zeep_client):
    meter = meter_id(core, "00215090")
    card = page_text(signed_in.get(f"/readings/manual/{meter}", follow_redirects=True).text)
    assert "Ожидается" not in card  # no history yet
    teach(zeep_client)
    # 14 days from 06.03 at 10 kWh a day: 140 kWh; the band 140/3 … 140×3 around 1140.
    card = page_text(signed_in.get(f"/readings/manual/{meter}", follow_redirects=True).text)
    assert "Т1 1140 06.03.2026 Абонент 1186,67 – 1560" in card
    assert "Ожидается на 20.03" in card and "их попросят проверить" in card
    # The ends of the range are the last values that pass without a note.
    assert post_reading(signed_in, meter, t1="1560").status_code == 302
    assert readings_of(core, "00215090")[-1].check_note is None
    assert post_reading(signed_in, meter, t1="1560,01").status_code == 200  # asks
    assert post_reading(signed_in, meter, t1="1186,67").status_code == 302
    assert post_reading(signed_in, meter, t1="1186,66").status_code == 200  # asks
    # The template's «Ожидается до Т1»: by the period's last day, 26.03 (20 days: 600 kWh).
    book = xlrd.open_workbook(file_contents=signed_in.get("/missing.xls").data)
    sheet = book.sheet_by_name("ИПУ")
    titles = sheet.row_values(0)
    rows = {sheet.cell_value(r, titles.index("№ счетчика")): sheet.row_values(r)
            for r in range(1, sheet.nrows)}
    assert rows["00300001"][titles.index("Ожидается до Т1")] == ""
    assert "00215090" not in rows  # has its reading now
    template = xlrd.open_workbook(file_contents=signed_in.post("/readings/template", data={
        "csrf_token": csrf_token(signed_in.get("/readings/file").text),
        "house": str(house_of(core))}).data).sheet_by_name("ИПУ")
    at = [template.cell_value(r, titles.index("№ счетчика")) for r in range(template.nrows)]
    assert template.cell_value(at.index("00215090"), titles.index("Ожидается до Т1")) == 1740


def test_a_meter_of_twelve_digits_and_a_ratio_of_a_million_is_accounted(core, signed_in,
                                                                        zeep_client):
    # Its kWh a day would not fit a Kwh column: the reading is recorded, nothing is learnt,
    # and the call is answered (it was a Server.InternalError).
    house = story_organization()["Houses"]["House"][0]
    house["CommonHouseMeters"]["Meter"].append(
        meter("ORG-1-M-BIG", "9000001", 1, ["0"], capacity=12, ratio="1000000"))
    zeep_client.service.SaveHouse(RequestId="big", OrganizationId="ORG-1", House=house)
    account(zeep_client, "big-1", "ORG-1-M-BIG", dt.date(2026, 2, 21), t1="100000000")
    assert typical(core, "9000001") == (None, 0)
