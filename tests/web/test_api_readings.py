"""Readings through the JSON API (docs/spec.md §21.2), over real HTTP on loopback: a batch
stored at once with per-item verdicts and machine codes, check_only, Idempotency-Key retries
(racing too), the 10,000 limit and the body's, GET what was submitted in a period by any
channel with the billing's verdicts, and DELETE by the cabinet's rules."""
from __future__ import annotations

import datetime as dt
import json
import re
import threading

import pytest
import requests
from sqlalchemy import func, select

from lkk_integration.models import ApiRequest, AuditRecord, ExportEvent, Reading
from tests.support.cabinet import house_id, meter_id, page_text, post_reading
from tests.web.test_api import PROBLEM, new_token

DAY = "2026-03-20"


def post(live_server, token, items, key=None, **params):
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return requests.post(f"{live_server}/api/v1/readings", json={"items": items},
                         headers=headers, params=params, timeout=60)


def current(core, meter_number: str):
    from lkk_integration.models import Meter

    with core.uow() as uow:
        return uow.session.execute(
            select(Reading.id, Reading.channel, Reading.t1, Reading.not_read_reason)
            .join(Meter, Meter.id == Reading.meter_id)
            .where(Meter.number == meter_number, Reading.is_current)).all()


def test_a_batch_stores_the_valid_items_and_answers_each_wrong_one_with_a_code(
        core, signed_in, live_server):
    token = new_token(signed_in)
    answer = post(live_server, token, [
        {"meter_number": "00215090", "reading_date": DAY, "t1": 1100},
        {"meter_number": "066823", "reading_date": DAY, "t1": "600"},
        {"meter_number": "99999999", "reading_date": DAY, "t1": 5},
        {"meter_number": "00300001", "reading_date": DAY, "not_read": "NO_ACCESS"},
        {"meter_number": "00215090", "reading_date": DAY, "t1": 1200},
        {"meter_number": "00300002", "reading_date": "20.03.2026", "t1": "6", "t2": "11,5",
         "t3": 16},
        {"reading_date": DAY, "t1": 1},
        {"meter_number": "00300003", "reading_date": "2026-03-21", "t1": "много"},
    ])
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["check_only"], body["period"]) == (False, "2026-03-01")
    assert (body["stored"], body["wrong"], body["valid"], body["unchanged"]) == (3, 5, 0, 0)
    items = body["items"]
    assert [i["status"] for i in items] == ["stored", "wrong", "wrong", "stored", "wrong",
                                            "stored", "wrong", "wrong"]
    assert items[0]["t1"] == "1100" and items[0]["reading_id"] and items[0]["errors"] == []
    # The cabinet's own notes, each with its machine code and field.
    assert items[1]["errors"] == [{"code": "zone_missing", "detail": "Не указаны показания Т2",
                                   "field": "t2"}]
    assert items[2]["errors"] == [{"code": "meter_unknown", "detail": "Счетчик не найден",
                                   "field": "meter_number"}]
    assert items[3]["not_read"] == "NO_ACCESS" and items[3]["t1"] is None
    assert items[4]["errors"] == [{
        "code": "meter_repeated", "field": "meter_number",
        "detail": "Счетчик уже указан в этом запросе: принят элемент items[0]"}]
    assert (items[5]["t1"], items[5]["t2"], items[5]["t3"]) == ("6", "11.5", "16")
    assert items[6]["errors"][0]["code"] == "meter_missing"
    assert [(e["code"], e["field"]) for e in items[7]["errors"]] == [
        ("date_in_future", "reading_date"), ("not_a_number", "t1")]
    assert [(r.channel, r.t1) for r in current(core, "00215090")] == [("api", 1100)]
    assert [r.not_read_reason for r in current(core, "00300001")] == ["NO_ACCESS"]
    with core.uow() as uow:
        [record] = uow.session.scalars(select(AuditRecord).where(
            AuditRecord.action == "api_readings_submitted")).all()
        events = uow.session.scalar(select(func.count()).select_from(ExportEvent))
    assert json.loads(record.details) == {"stored": 3, "unchanged": 0, "wrong": 5}
    assert events == 3


def test_check_only_stores_nothing_and_a_later_batch_replaces_with_history(
        core, signed_in, live_server):
    token = new_token(signed_in)
    item = {"meter_number": "00215090", "reading_date": DAY, "t1": "1 100,5"}
    checked = post(live_server, token, [item], check_only="true").json()
    assert (checked["check_only"], checked["valid"], checked["stored"]) == (True, 1, 0)
    assert checked["items"][0]["status"] == "valid" and checked["items"][0]["t1"] == "1100.5"
    assert current(core, "00215090") == []
    first = post(live_server, token, [item]).json()["items"][0]
    # The same reading again from the same token: no twin (a retry without a key).
    again = post(live_server, token, [item]).json()["items"][0]
    assert (again["status"], again["reading_id"]) == ("unchanged", first["reading_id"])
    later = post(live_server, token, [dict(item, t1=1110)]).json()["items"][0]
    assert later["status"] == "stored" and later["replaced_reading_id"] == first["reading_id"]
    assert [r.t1 for r in current(core, "00215090")] == [1110]


def test_an_idempotency_key_returns_the_first_answer_and_another_body_is_refused(
        core, signed_in, live_server):
    token = new_token(signed_in)
    items = [{"meter_number": "00215090", "reading_date": DAY, "t1": 1100}]
    first = post(live_server, token, items, key="b6f2-0001")
    # Meanwhile the cabinet replaces it: the retry still gives the first answer, stores nothing.
    second_token = new_token(signed_in, "Другая программа")
    post(live_server, second_token, [dict(items[0], t1=1120)])
    retry = post(live_server, token, items, key="b6f2-0001")
    assert retry.status_code == 200 and retry.json() == first.json()
    assert [r.t1 for r in current(core, "00215090")] == [1120]
    other = post(live_server, token, [dict(items[0], t1=1130)], key="b6f2-0001")
    assert (other.status_code, other.headers["Content-Type"]) == (409, PROBLEM)
    assert other.json()["code"] == "idempotency_key_reused"
    assert "b6f2-0001" in other.json()["detail"]
    # A key is the token's own: another token's same key is a new request.
    assert post(live_server, second_token, items, key="b6f2-0001").json()["stored"] == 1
    for bad in ("", "ключ".encode(), "a" * 256, "a b"):
        refused = post(live_server, token, items, key=bad)
        assert refused.status_code == 422, bad
        assert refused.json()["errors"] == [{
            "field": "Idempotency-Key",
            "detail": "Idempotency-Key – от 1 до 255 видимых знаков ASCII, без пробелов"}]


def test_retries_racing_with_one_key_store_once_and_answer_alike(core, signed_in, live_server):
    token = new_token(signed_in)
    items = [{"meter_number": n, "reading_date": DAY, "t1": v}
             for n, v in (("00215090", 1100), ("00300001", 2100), ("00300003", 150))]
    answers: list = []
    start = threading.Barrier(6)

    def retry():
        start.wait()
        answers.append(post(live_server, token, items, key="race-1"))

    threads = [threading.Thread(target=retry) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert [a.status_code for a in answers] == [200] * 6
    assert len({a.text for a in answers}) == 1
    with core.uow() as uow:
        stored = uow.session.scalar(select(func.count()).select_from(Reading)
                                    .where(Reading.channel == "api"))
        kept = uow.session.scalar(select(func.count()).select_from(ApiRequest))
    assert (stored, kept) == (3, 1)


def test_the_limits_ten_thousand_items_and_the_body(core, signed_in, live_server):
    token = new_token(signed_in)
    item = {"meter_number": "99999999", "reading_date": DAY, "t1": 1}
    too_many = post(live_server, token, [item] * 10_001)
    assert too_many.status_code == 422
    assert too_many.json()["errors"] == [{"field": "items", "detail": "не длиннее 10000"}]
    at_most = post(live_server, token, [item] * 10_000, check_only="true")
    assert at_most.status_code == 200 and at_most.json()["wrong"] == 10_000
    assert post(live_server, token, []).json()["errors"][0]["field"] == "items"
    big = requests.post(f"{live_server}/api/v1/readings", data=b"{" + b" " * (9 << 20) + b"}",
                        headers={"Authorization": f"Bearer {token}",
                                 "Content-Type": "application/json"}, timeout=60)
    assert (big.status_code, big.headers["Content-Type"]) == (413, PROBLEM)
    assert big.json()["code"] == "too_large" and "8 МБ" in big.json()["detail"]
    for body in (b"[]", b'{"items": [{"t4": 1}]}', b'{"items": [{"t1": true}]}'):
        bad = requests.post(f"{live_server}/api/v1/readings", data=body,
                            headers={"Authorization": f"Bearer {token}",
                                     "Content-Type": "application/json"}, timeout=10)
        assert (bad.status_code, bad.headers["Content-Type"]) == (422, PROBLEM), body
    assert current(core, "00215090") == []


def test_outside_the_period_a_batch_is_a_409_problem(core, clock, signed_in, live_server):
    token = new_token(signed_in)
    clock.set(dt.datetime(2026, 3, 27, 9, 0, tzinfo=dt.timezone.utc))
    answer = post(live_server, token, [{"meter_number": "00215090", "reading_date": DAY,
                                        "t1": 1100}])
    assert (answer.status_code, answer.headers["Content-Type"]) == (409, PROBLEM)
    assert answer.json()["code"] == "period_closed"
    assert answer.json()["detail"] == "Передача показаний возможна с 15 по 26 число"


def test_get_lists_the_periods_readings_of_every_channel_with_the_billings_verdicts(
        core, signed_in, live_server, zeep_client):
    token = new_token(signed_in)
    # A reading typed in the cabinet, one through the API.
    assert post_reading(signed_in, meter_id(core, "00300001"), t1="2100").status_code == 302
    stored = post(live_server, token, [{"meter_number": "00215090", "reading_date": DAY,
                                        "t1": 1100}]).json()["items"][0]["reading_id"]
    zeep_client.service.RecordReadingVerdicts(RequestId="v1", Verdicts={"ReadingVerdict": [{
        "ReadingId": stored, "Accepted": False, "Reason": "Счетчик на замене"}]})
    page = requests.get(f"{live_server}/api/v1/readings", params={"period": "2026-03"},
                        headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
    assert (page["period"], page["total"], page["pages"]) == ("2026-03-01", 2, 1)
    by_number = {r["meter_number"]: r for r in page["readings"]}
    assert by_number["00300001"]["channel"] == "manual"
    assert by_number["00215090"] | {"submitted_at": None} == {
        "id": stored, "meter_id": by_number["00215090"]["meter_id"],
        "meter_number": "00215090", "reading_date": DAY, "t1": "1100", "t2": None,
        "t3": None, "not_read": None, "not_read_name": None, "channel": "api",
        "submitted_at": None, "check_note": None, "billing_verdict": "declined",
        "billing_reason": "Счетчик на замене"}
    other = requests.get(f"{live_server}/api/v1/readings", params={"period": "2026-02"},
                         headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
    assert other["readings"] == [] and other["total"] == 0
    bad = requests.get(f"{live_server}/api/v1/readings", params={"period": "2026-13"},
                       headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert bad.json()["errors"] == [{"field": "period",
                                     "detail": "период в виде ГГГГ-ММ, например 2026-03"}]
    # The answer's own form of the period is taken back.
    same = requests.get(f"{live_server}/api/v1/readings", params={"period": page["period"]},
                        headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
    assert same["total"] == 2


def test_delete_withdraws_the_tokens_own_reading_and_brings_the_replaced_one_back(
        core, signed_in, live_server):
    token, other = new_token(signed_in), new_token(signed_in, "Другая")
    item = {"meter_number": "00215090", "reading_date": DAY, "t1": 1100}
    first = post(live_server, token, [item]).json()["items"][0]["reading_id"]
    second = post(live_server, token, [dict(item, t1=1110)]).json()["items"][0]["reading_id"]

    def delete(reading_id, as_token=token):
        return requests.delete(f"{live_server}/api/v1/readings/{reading_id}",
                               headers={"Authorization": f"Bearer {as_token}"}, timeout=10)

    # Another token's, a replaced one, an unknown id: one answer, so ids reveal nothing.
    for reading_id, as_token in ((second, other), (first, token), (10**9, token),
                                (2**63 - 1, token)):
        refused = delete(reading_id, as_token)
        assert (refused.status_code, refused.headers["Content-Type"]) == (404, PROBLEM)
        assert refused.json()["code"] == "not_found"
        assert "переданное с этим же токеном" in refused.json()["detail"]
    assert delete(2**63).json()["code"] == "not_found"  # past any id: no such address
    for reading_id in (0, -1, -2**70):
        assert delete(reading_id).json()["detail"].startswith("Показание не найдено")
    gone = delete(second)
    assert gone.status_code == 200
    assert gone.json()["deleted"] == second
    assert gone.json()["current_again"]["id"] == first
    assert [r.t1 for r in current(core, "00215090")] == [1100]
    assert delete(second).status_code == 404  # the second call finds it gone
    with core.uow() as uow:
        kinds = uow.session.scalars(select(ExportEvent.kind).order_by(ExportEvent.seq)).all()
    assert kinds == ["submitted", "submitted", "deleted", "submitted"]


def test_the_cabinet_shows_a_reading_the_api_stored_and_replaces_it(core, signed_in,
                                                                   live_server):
    token = new_token(signed_in)
    post(live_server, token, [{"meter_number": "00215090", "reading_date": DAY, "t1": 1100}])
    meter = meter_id(core, "00215090")
    card = page_text(signed_in.get(f"/readings/manual/?house={house_id(core)}&apartment=1").text)
    assert "В этом периоде уже переданы показания от 20.03.2026 (через API): Т1 1100" in card
    assert post_reading(signed_in, meter, t1="1105").status_code == 302
    assert [(r.channel, r.t1) for r in current(core, "00215090")] == [("manual", 1105)]


@pytest.mark.parametrize("items", [
    [{"meter_id": 0, "reading_date": DAY, "t1": 1}],
    [{"meter_id": 2**31, "reading_date": DAY, "t1": 1}],
    [{"meter_id": "1", "reading_date": DAY, "t1": 1}],
    [{"meter_id": True, "reading_date": DAY, "t1": 1}],
    [{"meter_id": 1.5, "reading_date": DAY, "t1": 1}],
    [{"meter_number": "1" * 101, "reading_date": DAY, "t1": 1}],
    [{"meter_number": "00215090", "reading_date": DAY, "t1": [1]}],
])
def test_a_malformed_item_is_a_422_naming_its_field(core, signed_in, live_server, items):
    token = new_token(signed_in)
    # The largest id the contract takes is an unknown meter, not a fault.
    largest = post(live_server, token, [{"meter_id": 2**31 - 1, "reading_date": DAY, "t1": 1}])
    assert largest.json()["items"][0]["errors"][0]["code"] == "meter_unknown"
    answer = post(live_server, token, items)
    assert (answer.status_code, answer.headers["Content-Type"]) == (422, PROBLEM)
    assert answer.json()["errors"][0]["field"].startswith("items.0.")


def test_a_body_without_a_length_stops_at_the_bound(core, signed_in, live_server):
    token = new_token(signed_in)

    def chunks():
        yield b'{"items": ['
        for _ in range(9 << 10):
            yield b" " * 1024
        yield b"]}"

    answer = requests.post(f"{live_server}/api/v1/readings", data=chunks(), timeout=60,
                           headers={"Authorization": f"Bearer {token}",
                                    "Content-Type": "application/json"})
    assert (answer.status_code, answer.headers["Content-Type"]) == (413, PROBLEM)
    assert answer.json()["code"] == "too_large"


@pytest.mark.kind_days
def test_a_common_house_meter_outside_its_days_is_wrong_and_the_rest_stored(
        core, signed_in, live_server):
    token = new_token(signed_in)
    body = post(live_server, token, [
        {"meter_number": "7700123", "reading_date": DAY, "t1": 110, "t2": 55},
        {"meter_number": "00215090", "reading_date": DAY, "t1": 1100}]).json()
    assert [i["status"] for i in body["items"]] == ["wrong", "stored"]
    [error] = body["items"][0]["errors"]
    assert error["code"] == "kind_closed" and body["items"][0]["reading_date"] == DAY
    assert error["detail"].startswith("Показания общедомовых приборов учета принимаются с 23")


def test_a_body_that_is_not_json_is_a_415_problem(core, signed_in, live_server):
    token = new_token(signed_in)
    answer = requests.post(f"{live_server}/api/v1/readings", timeout=10,
                           data={"items": "1"}, headers={"Authorization": f"Bearer {token}"})
    assert (answer.status_code, answer.headers["Content-Type"]) == (415, PROBLEM)
    assert answer.json()["code"] == "unsupported_media_type"
    # Without a token the answer is the token's 401, whatever the body.
    assert requests.post(f"{live_server}/api/v1/readings", data={"items": "1"},
                         timeout=10).status_code == 401


def raw_post(live_server, token, body: bytes, content_type="application/json"):
    return requests.post(f"{live_server}/api/v1/readings", data=body, timeout=30,
                         headers={"Authorization": f"Bearer {token}",
                                  "Content-Type": content_type})


@pytest.mark.parametrize("body", [
    b"{", b'{"items": [}', b'{"items": []} x', b"", b"\xff\xfe{", b'{"items": [1,]}',
    b'{"items": [{"t1": ' + b"[" * 100_000 + b"]" * 100_000 + b"}]}",
    # As deep as no Python's parser takes (3.13's takes 5,000, 3.11's not).
    b'{"x": ' + b"[" * 100_000 + b"]" * 100_000 + b', "items": []}',
    b'{"items": [{"t1": ' + b"9" * 5000 + b"}]}",
    b'{"items": [{"t1": NaN}]}', b'{"items": [{"t1": 1, "t1": 2}]}',
])
def test_a_body_that_is_no_json_is_a_400_saying_so(core, signed_in, live_server, body):
    token = new_token(signed_in)
    answer = raw_post(live_server, token, body)
    assert (answer.status_code, answer.headers["Content-Type"]) == (400, PROBLEM), answer.text
    assert answer.json()["code"] == "json_invalid"
    detail = answer.json()["detail"]
    assert detail.startswith("Тело запроса")
    # Russian, never the parser's English or Python's advice.
    assert not re.search(r"Expecting|Extra data|Invalid|Unterminated|delimiter|line \d|char \d|"
                         r"sys\.|digits", detail), detail


def test_a_body_in_the_charset_its_content_type_names_is_read(core, signed_in, live_server):
    token = new_token(signed_in)
    body = json.dumps({"items": [{"meter_number": "00300001", "reading_date": DAY,
                                  "not_read": "Нет доступа"}]}, ensure_ascii=False)
    answer = raw_post(live_server, token, body.encode("cp1251"),
                      "application/json; charset=windows-1251")
    assert answer.status_code == 200, answer.text
    assert answer.json()["items"][0]["not_read"] == "NO_ACCESS"
    unnamed = raw_post(live_server, token, body.encode("cp1251"))
    assert (unnamed.status_code, unnamed.json()["code"]) == (400, "json_invalid")
    assert "UTF-8" in unnamed.json()["detail"]


def test_a_wrong_typed_value_is_one_russian_reason_for_its_field(core, signed_in,
                                                                 live_server):
    token = new_token(signed_in)
    for value in (True, [1], {"a": 1}):
        answer = post(live_server, token, [{"meter_number": "00215090", "t1": value}])
        assert answer.status_code == 422
        assert answer.json()["errors"] == [{"field": "items.0.t1",
                                            "detail": "ожидается число, строка или null"}]
    for field in ("meter_number", "t1"):
        lone = raw_post(live_server, token, b'{"items": [{"%s": "\\ud800"}]}' % field.encode())
        assert lone.status_code == 422
        assert lone.json()["errors"] == [{
            "field": f"items.0.{field}",
            "detail": "строка с недопустимыми символами (одиночный суррогат UTF-16)"}]
    long = post(live_server, token, [{"meter_number": "00215090", "t1": "1" * 201}])
    assert long.json()["errors"] == [{"field": "items.0.t1", "detail": "не длиннее 200"}]


def test_a_long_value_is_the_items_own_verdict_as_in_the_cabinet(core, signed_in, live_server):
    token = new_token(signed_in)
    body = post(live_server, token, [
        {"meter_number": "00215090", "reading_date": DAY, "t1": "9" * 45},
        {"meter_number": "00300001", "reading_date": DAY, "t1": 2100}]).json()
    assert [i["status"] for i in body["items"]] == ["wrong", "stored"]
    assert body["items"][0]["errors"][0]["detail"] == \
        "Т1: больше 6 разрядов до запятой (разрядность счетчика)"


def test_a_broken_chunked_body_is_a_problem_not_a_page(core, signed_in, live_server):
    import socket

    token = new_token(signed_in)
    host, port = live_server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /api/v1/readings HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                     b"Authorization: Bearer " + token.encode() + b"\r\n"
                     b"Connection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _blank, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400"), head
    assert b"application/problem+json" in head
    assert json.loads(body)["code"] == "bad_request"


def test_numbers_are_compared_as_values_under_one_key(core, signed_in, live_server):
    token = new_token(signed_in)
    item = {"meter_number": "00215090", "reading_date": DAY, "t1": 1100}
    first = post(live_server, token, [item], key="same-value")
    again = post(live_server, token, [dict(item, t1=1100.0)], key="same-value")
    assert again.status_code == 200 and again.json() == first.json()


def test_a_1c_instant_is_its_date(core, signed_in, live_server):
    token = new_token(signed_in)
    item = post(live_server, token, [{"meter_number": "00215090",
                                      "reading_date": "2026-03-20T00:00:00",
                                      "t1": 1100}]).json()["items"][0]
    assert (item["status"], item["reading_date"]) == ("stored", DAY)


def test_a_statement_that_waited_too_long_is_a_busy_503_to_repeat(core, signed_in,
                                                                  live_server, monkeypatch):
    from sqlalchemy.exc import OperationalError

    import lkk_web.api

    class QueryCanceled(Exception):
        sqlstate = "57014"

    def waited(*_args, **_kwargs):
        raise OperationalError("SELECT … FOR UPDATE", {}, QueryCanceled())

    token = new_token(signed_in)
    monkeypatch.setattr(lkk_web.api, "store_readings", waited)
    answer = post(live_server, token, [{"meter_number": "00215090", "reading_date": DAY,
                                        "t1": 1100}], key="busy-1")
    assert (answer.status_code, answer.headers["Content-Type"]) == (503, PROBLEM)
    assert answer.headers["Retry-After"]
    assert answer.json()["detail"].startswith("База данных занята")


def test_basic_credentials_are_not_called_an_invalid_bearer_token(core, signed_in,
                                                                   live_server):
    answer = requests.get(f"{live_server}/api/v1/houses", timeout=10,
                          headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="lkk"'


def test_a_compressed_body_is_a_415_saying_so(core, signed_in, live_server):
    import gzip

    token = new_token(signed_in)
    answer = requests.post(f"{live_server}/api/v1/readings", timeout=10,
                           data=gzip.compress(b'{"items": []}'),
                           headers={"Authorization": f"Bearer {token}",
                                    "Content-Type": "application/json",
                                    "Content-Encoding": "gzip"})
    assert (answer.status_code, answer.json()["code"]) == (415, "unsupported_media_type")
    assert answer.json()["detail"].startswith("Сжатое тело запроса")
