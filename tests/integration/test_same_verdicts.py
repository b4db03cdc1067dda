"""One rule set, three channels: a table of readings driven through manual entry (a form POST),
through an .xls built from the product's own template and through the JSON API (POST
/api/v1/readings); each case gets the same verdict and the same message through each, and the
one the table expects (docs/spec.md §13.1, §21.2)."""
from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from sqlalchemy import select

from lkk_integration.models import Meter, UploadRow

from tests.support.cabinet import PASSWORD, activate, csrf_token, log_in
from tests.support.spreadsheets import fill_template

EMAIL = "table@uk-test.example"
LAST = dt.date(2026, 2, 20)       # 28 days before the reading date below
DAY = dt.date(2026, 3, 20)        # today (the fixed clock), inside the period 15–26
OK = re.compile(r"Показания по счетчику № (\d+) успешно отправлены(?:\. (.*))?")


def spec(zones=1, capacity=6, last=("1000",), ratio=None, due=None, last_date=LAST, kind="ИПУ"):
    return dict(zones=zones, capacity=capacity, last=last, ratio=ratio, due=due,
                last_date=last_date, kind=kind)


ONE, TWO, THREE = spec(), spec(2, last=("500", "300")), spec(3, last=("5", "10", "15"))
FIVE_DIGITS = spec(capacity=5, last=("99990",))
COMMON = spec(2, last=("100", "50"), ratio="40", kind="ОДПУ")

# (meter, reading date as given, T1, T2, T3 as given, expected messages; [] = accepted as is).
# A date or value given as text is typed as text in the form and written as text in the cell.
CASES = [
    (ONE, DAY, 1100, None, None, []),
    (ONE, DAY, "1 100,5", None, None, []),
    (ONE, DAY, "1100.25", None, None, []),
    (ONE, DAY, 1000, None, None, []),                                       # no consumption
    (TWO, DAY, 600, 350, None, []),
    (THREE, DAY, 6, 11, 16.25, []),
    (TWO, DAY, 600, None, None, ["Не указаны показания Т2"]),
    (ONE, DAY, 1100, 5, None, ["Лишние показания Т2: счетчик однотарифный"]),
    (TWO, DAY, 600, 350, 7, ["Лишние показания Т3: счетчик двухтарифный"]),
    (TWO, DAY, None, None, None, ["Показания не указаны"]),
    (ONE, DAY, "12а", None, None, ["Т1: не число"]),
    (ONE, DAY, -5, None, None, ["Т1: отрицательное значение"]),
    (ONE, DAY, "1100,123", None, None, ["Т1: больше 2 знаков после запятой"]),
    (spec(capacity=5), DAY, 123456, None, None,
     ["Т1: больше 5 разрядов до запятой (разрядность счетчика)"]),
    (spec(last=("2000",)), DAY, 1500, None, None,
     ["Т1 меньше последних учтенных показаний (2000)"]),
    (FIVE_DIGITS, DAY, 12, None, None, ["Т1: переход счетчика через ноль (99990 → 12)"]),
    (FIVE_DIGITS, DAY, 5000, None, None, ["Т1 меньше последних учтенных показаний (99990)"]),
    (ONE, DAY, 3801, None, None, ["Расход 2801 кВт·ч больше допустимого: 2800 кВт·ч за 28 дней"]),
    (ONE, DAY, 3800, None, None, []),                                       # at the ceiling
    (TWO, DAY, 2000, 1601, None,
     ["Расход 2801 кВт·ч больше допустимого: 2800 кВт·ч за 28 дней"]),
    (COMMON, DAY, 14099, 51, None, []),
    (COMMON, DAY, 14100, 51, None,
     ["Расход 560040 кВт·ч больше допустимого: 560000 кВт·ч за 28 дней"]),
    (ONE, "", 1100, None, None, ["Не указана дата показания"]),
    (ONE, "31.02.2026", 1100, None, None, ["Дата показания не распознана"]),
    (ONE, dt.date(2026, 3, 21), 1100, None, None, ["Дата показания в будущем"]),
    (spec(last_date=dt.date(2026, 3, 16)), dt.date(2026, 3, 15), 1010, None, None,
     ["Дата показания раньше даты последних учтенных показаний"]),
    (ONE, dt.date(2026, 3, 10), 1100, None, None,
     ["Дата показания вне периода передачи показаний (15.03.2026–26.03.2026)"]),
    (spec(due=dt.date(2026, 3, 1)), DAY, 1100, None, None,
     ["Истек срок поверки счетчика (01.03.2026)"]),
    (spec(due=dt.date(2026, 12, 1)), DAY, 1100, None, None, []),
    (ONE, "18.03.2026", 1100, None, None, []),
    (ONE, "2026-03-18T00:00:00", 1100, None, None, []),                   # 1C's instant
    # Invisible characters pasted with a value are lost by both channels (lkk_integration/text.py).
    (ONE, "\u200f18.03.2026", "1\u200b100", None, None, []),
    (TWO, DAY, "\u202e600", "3\ufeff50", None, []),
    (spec(last=None), DAY, 5, None, None, []),                              # nothing accounted
    (ONE, DAY, "1100,123", 5, None,
     ["Т1: больше 2 знаков после запятой", "Лишние показания Т2: счетчик однотарифный"]),
    (ONE, "вчера", "много", None, None, ["Дата показания не распознана", "Т1: не число"]),
]


def number(index: int) -> str:
    return f"00{index:03d}"


def organization_payload() -> dict:
    """An invented organization with one meter per case, numbered 00000, 00001, …"""
    accounts, common = [], []
    for index, (meter, *_rest) in enumerate(CASES):
        item = {"MeterId": f"TBL-{index}", "Number": number(index), "Zones": meter["zones"],
                "Capacity": meter["capacity"], "TransformationRatio": meter["ratio"],
                "VerificationDue": meter["due"]}
        if meter["last"]:
            item["LastReading"] = {"ReadingDate": meter["last_date"], "Source": "Абонент",
                                   **{f"T{i + 1}": v for i, v in enumerate(meter["last"])}}
        if meter["kind"] == "ОДПУ":
            common.append(item)
        else:
            accounts.append({"Number": f"T-{index}", "Apartment": str(index + 1),
                             "ConsumerName": "Абонент Таблицын", "Meters": {"Meter": [item]}})
    return {
        "OrganizationId": "TBL", "FullName": "ТСЖ «Табличное»", "ShortName": "ТСЖ «Табличное»",
        "Type": "ТСЖ", "Inn": "7700000023", "ContactPerson": {
            "FullName": "Таблицына Анна Петровна", "Email": EMAIL,
            "MobilePhone": "+7 900 000-00-03"},
        "Houses": {"House": [{"HouseId": "TBL-H", "Settlement": "Тестовск г.",
                              "Street": "Табличная ул.", "HouseNumber": "1",
                              "Accounts": {"Account": accounts},
                              "CommonHouseMeters": {"Meter": common}}]},
    }


def typed(value) -> str:
    """What a person types into the form for a value or date of the table."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()  # what a browser's date input sends
    return str(value)


def manual_verdict(client, meter_id: int, case) -> tuple[bool, list[str]]:
    _meter, date, *values, _expected = case
    token = csrf_token(client.get("/readings/manual/").text)
    response = client.post(f"/readings/manual/{meter_id}", data={
        "csrf_token": token, "reading_date": typed(date),
        **{f"t{i}": typed(v) for i, v in enumerate(values, 1) if v is not None}})
    if response.status_code == 422:
        # Each reason leads to its field (docs/spec.md §6).
        return False, [html.unescape(e) for e in re.findall(
            r'<li><a href="#[\w-]+">([^<]*)</a></li>', response.text)]
    assert response.status_code == 302, response.status_code
    flashed = re.search(r'class="flash success"[^>]*>([^<]*)<',
                        client.get(response.headers["Location"]).text).group(1)
    said = OK.fullmatch(html.unescape(flashed))
    assert said, flashed
    return True, [said.group(2)] if said.group(2) else []


@pytest.fixture
def table_client(core, app, zeep_client):
    zeep_client.service.RegisterOrganization(RequestId="tbl", Organization=organization_payload())
    activate(core, PASSWORD, EMAIL)
    client = app.test_client()
    log_in(client, EMAIL)
    return client


def test_the_table_has_enough_cases():
    assert len(CASES) >= 30
    assert sum(1 for case in CASES if not case[-1]) >= 8  # accepted ones too


def test_each_case_gets_the_same_verdict_by_hand_and_by_file(core, table_client):
    with core.uow() as uow:
        ids = dict(uow.session.execute(select(Meter.number, Meter.id)).all())
    by_hand = [manual_verdict(table_client, ids[number(i)], case)
               for i, case in enumerate(CASES)]

    house = re.search(r'name="house" value="(\d+)"',
                      table_client.get("/readings/file").text).group(1)
    template = table_client.post("/readings/template", data={
        "csrf_token": csrf_token(table_client.get("/readings/file").text), "house": house}).data
    fills = {}
    for index, (_meter, date, t1, t2, t3, _expected) in enumerate(CASES):
        fills[number(index)] = {"t1": t1, "t2": t2, "t3": t3, "date": date or None}
    filled = fill_template(template, fills)
    table_client.post("/readings/upload", data={
        "csrf_token": csrf_token(table_client.get("/readings/file").text),
        "file": (io.BytesIO(filled), "table.xls")})
    with core.uow() as uow:
        rows = {r.meter_number: r for r in uow.session.scalars(select(UploadRow))}
    by_file = [(rows[number(i)].is_valid, rows[number(i)].note.split("; ")
                if rows[number(i)].note else []) for i in range(len(CASES))]

    by_api = api_verdicts(table_client, [number(i) for i in range(len(CASES))])

    expected = [(not case[-1] or "переход" in case[-1][0], case[-1]) for case in CASES]
    for index, case in enumerate(CASES):
        assert by_hand[index] == by_file[index] == by_api[index] == expected[index], (index,
                                                                                    case)


def api_value(value):
    """A value or date of the table as a program sends it in JSON: numbers as numbers."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def api_verdicts(client, numbers: list[str]) -> list[tuple[bool, list[str]]]:
    """The table sent in one batch through the API with a token made in «Настройки»."""
    made = client.post("/settings/api-tokens", data={
        "csrf_token": csrf_token(client.get("/settings/").text), "name": "Таблица"})
    token = re.search(r'value="(lkk_[^"]+)"', made.text).group(1)
    items = [{"meter_number": meter, "reading_date": api_value(date) if date != "" else "",
              "t1": api_value(t1), "t2": api_value(t2), "t3": api_value(t3)}
             for meter, (_m, date, t1, t2, t3, _e) in zip(numbers, CASES, strict=True)]
    answer = client.post("/api/v1/readings", json={"items": items},
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    return [(item["status"] == "stored",
             [note["detail"] for note in item["errors"] or item["remarks"]])
            for item in answer.json["items"]]
