"""Charts that tell the truth (docs/spec.md §6.1): a meter's consumption per month and zone from
its accounted and submitted readings, on the meter card, the house page and the upload buffer;
no chart without history, never a bar for a refused row, a rollover counted as the checks count
it."""
from __future__ import annotations

import datetime as dt
import html as html_module
import re

from sqlalchemy import event

from tests.support.cabinet import house_id, meter_id, post_reading, upload_filled

MANUAL = "/readings/manual/"


def account(zeep_client, request_id: str, meter: str, day: dt.date, **zones) -> None:
    """The billing records an accounted reading of meter `meter` (its billing id)."""
    zeep_client.service.UpdateAccountedReadings(RequestId=request_id, Readings={"MeterReading": [{
        "MeterId": meter, "ReadingDate": day, "Source": "Абонент",
        **{zone.upper(): value for zone, value in zones.items()}}]})


def charts(html: str) -> list[str]:
    """Every chart's SVG on a page (the legend's swatches are no charts)."""
    return re.findall(r'<svg\b[^>]*role="img".*?</svg>', html, re.S)


def bars(svg: str) -> list[tuple[str, str]]:
    """(month, kWh) of a chart's bars, oldest first."""
    return re.findall(r'<g class="bar[^"]*" data-month="([^"]+)" data-kwh="([^"]+)"', svg)


def label(svg: str) -> str:
    return html_module.unescape(re.search(r'aria-label="([^"]*)"', svg).group(1))


def row_of(html: str, number: str) -> str:
    """The table row of meter `number`."""
    return re.search(rf"<tr[^>]*>(?:(?!</tr>).)*>{number}<.*?</tr>", html, re.S).group(0)


def test_three_months_of_accounted_readings_chart_two_bars_times_the_ratio(core, signed_in,
                                                                         zeep_client):
    # The common-house meter 7700123: two zones, transformation ratio 40, accounted 100/50 on
    # 20 February (its registration). The billing sends December and January, then February
    # again: its last word is the meter's last reading (docs/spec.md §15.5).
    account(zeep_client, "dec", "ORG-1-M-E", dt.date(2025, 12, 20), t1="80", t2="40")
    account(zeep_client, "jan", "ORG-1-M-E", dt.date(2026, 1, 20), t1="88", t2="44")
    account(zeep_client, "feb", "ORG-1-M-E", dt.date(2026, 2, 20), t1="100", t2="50")
    card = signed_in.get(f"{MANUAL}?kind=common_house&house={house_id(core)}").text
    [svg] = charts(card)
    # January (8 + 4) × 40, February (12 + 6) × 40; March has no reading yet, so no bar.
    assert bars(svg) == [("2026-01", "480"), ("2026-02", "720")]
    assert 'role="img"' in svg
    assert label(svg) == ("Расход по месяцам, кВт·ч, янв 2026 – фев 2026: "
                          "янв 480 (Т1 320, Т2 160), фев 720 (Т1 480, Т2 240)")
    assert "фев 2026: 720 кВт·ч (Т1 480, Т2 240), 20.01–20.02.2026" in svg

    house = signed_in.get(f"/houses/{house_id(core)}").text
    [row_chart] = charts(row_of(house, "7700123"))
    assert bars(row_chart) == [("2026-01", "480"), ("2026-02", "720")]
    assert label(row_chart).startswith("Счетчик 7700123. Расход по месяцам, кВт·ч")


def test_a_submitted_reading_is_this_months_bar(core, signed_in, zeep_client):
    post_reading(signed_in, meter_id(core, "7700123"), t1="110", t2="55")
    [svg] = charts(signed_in.get(f"{MANUAL}?kind=common_house&house={house_id(core)}").text)
    assert bars(svg) == [("2026-03", "600")]  # (10 + 5) × 40 since 20 February


def test_a_meter_without_history_has_no_chart_at_all(core, signed_in):
    # Every meter has one accounted reading (20 February) and nothing to compare it with.
    house = signed_in.get(f"/houses/{house_id(core)}").text
    assert "<svg" not in house and 'class="chart' not in house
    card = signed_in.get(f"{MANUAL}?house={house_id(core)}&apartment=1").text
    assert "<svg" not in card and "Расход по месяцам" not in card


def test_a_row_refused_as_lower_than_the_last_reading_is_not_charted(core, signed_in):
    upload_filled(signed_in, core, {
        "00215090": {"t1": 900, "date": dt.date(2026, 3, 18)},       # last accounted 1000
        "066823": {"t1": 520, "t2": 310, "date": dt.date(2026, 3, 18)}})
    page = signed_in.get("/readings/file").text
    refused = row_of(page, "00215090")
    assert "меньше последних учтенных показаний (1000)" in refused
    assert "<svg" not in refused and "99900" not in page
    [svg] = charts(row_of(page, "066823"))
    # This file's reading is March's bar, red: (20 + 10) since 20 February.
    assert bars(svg) == [("2026-03", "30")]
    assert '<g class="bar file"' in svg
    assert label(svg).endswith("мар 30 (Т1 20, Т2 10, этот файл)")


def test_a_rollover_charts_as_its_wrapped_consumption(core, signed_in, zeep_client):
    account(zeep_client, "acc", "ORG-1-M-A", dt.date(2026, 2, 25), t1="999990")
    assert post_reading(signed_in, meter_id(core, "00215090"), t1="12").status_code == 302
    [svg] = charts(signed_in.get(f"{MANUAL}?house={house_id(core)}&apartment=1").text)
    # February's reading is its latest (25th); on a 6-digit register 999990 → 12 is 22 kWh.
    assert bars(svg) == [("2026-03", "22")]
    assert label(svg) == "Расход по месяцам, кВт·ч, мар 2026: мар 22"


def test_a_fall_the_checks_would_refuse_is_no_bar(core, signed_in, zeep_client):
    # 5000 in January, 1000 in February: wrapped it would be 996,000 kWh in 31 days, far above
    # the ceiling (100 kWh a day) — a replaced meter or a correction, not consumption.
    account(zeep_client, "jan", "ORG-1-M-A", dt.date(2026, 1, 20), t1="5000")
    account(zeep_client, "feb", "ORG-1-M-A", dt.date(2026, 2, 20), t1="1000")
    account(zeep_client, "mar", "ORG-1-M-A", dt.date(2026, 3, 5), t1="1300")
    [svg] = charts(signed_in.get(f"{MANUAL}?house={house_id(core)}&apartment=1").text)
    assert bars(svg) == [("2026-03", "300")]


def test_a_reading_the_billing_corrected_is_not_charted(core, signed_in, zeep_client):
    account(zeep_client, "jan", "ORG-1-M-A", dt.date(2026, 1, 20), t1="900")
    account(zeep_client, "feb", "ORG-1-M-A", dt.date(2026, 2, 20), t1="1000")
    account(zeep_client, "wrong", "ORG-1-M-A", dt.date(2026, 2, 22), t1="5000")
    # Sent later with an earlier date: the 22nd's 5000 was wrong (docs/spec.md §15.5).
    account(zeep_client, "fix", "ORG-1-M-A", dt.date(2026, 2, 21), t1="1010")
    [svg] = charts(signed_in.get(f"{MANUAL}?house={house_id(core)}&apartment=1").text)
    assert bars(svg) == [("2026-02", "110")]


def test_a_reading_the_billing_declined_is_not_charted(core, signed_in, zeep_client):
    from tests.support.cabinet import readings_of

    post_reading(signed_in, meter_id(core, "00215090"), t1="1100")
    zeep_client.service.RecordReadingVerdicts(RequestId="v", Verdicts={"ReadingVerdict": [
        {"ReadingId": readings_of(core, "00215090")[0].id, "Accepted": False,
         "Reason": "Показания меньше контрольных"}]})
    card = signed_in.get(f"{MANUAL}?house={house_id(core)}&apartment=1").text
    assert "<svg" not in card


def test_the_months_of_the_chart_cross_the_year():
    from lkk_integration.readings.consumption import _months_back

    assert _months_back(dt.date(2026, 2, 1), 3) == [dt.date(2025, 12, 1), dt.date(2026, 1, 1),
                                                    dt.date(2026, 2, 1)]


def test_the_charts_of_a_page_come_from_one_query(core, signed_in, zeep_client):
    from lkk_integration.models import Meter
    from lkk_integration.readings.consumption import monthly_use
    from lkk_integration.readings.rules import ReadingRules

    account(zeep_client, "jan", "ORG-1-M-A", dt.date(2026, 1, 20), t1="900")
    account(zeep_client, "jan2", "ORG-1-M-B", dt.date(2026, 1, 20), t1="450", t2="280")
    account(zeep_client, "feb", "ORG-1-M-A", dt.date(2026, 2, 20), t1="1000")
    account(zeep_client, "feb2", "ORG-1-M-B", dt.date(2026, 2, 20), t1="500", t2="300")
    statements = []
    with core.uow() as uow:
        ids = list(uow.session.scalars(Meter.__table__.select().with_only_columns(Meter.id)))
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(uow.session.connection(), "before_cursor_execute", listen)
        uses = monthly_use(uow.session, ids, dt.date(2026, 3, 20), ReadingRules())
        event.remove(uow.session.connection(), "before_cursor_execute", listen)
    assert len(statements) == 1
    assert {meter_id(core, "00215090"), meter_id(core, "066823")} == set(uses)
