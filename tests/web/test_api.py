"""The JSON API for the organization's own software (docs/spec.md §21), through real HTTP on
loopback: tokens made, used, revoked and ended with the organization; GET /api/v1/houses; RFC
9457 problems; the OpenAPI document served equal to the committed one."""
from __future__ import annotations

import datetime as dt
import json
import re

import requests
from sqlalchemy import select

from lkk_integration.models import AuditRecord
from tests.support.cabinet import csrf_token, page_text
from tests.support.parts import ROOT, need
from tests.web.test_charts import account

PROBLEM = "application/problem+json"


def new_token(client, name: str = "1С:ЖКХ") -> str:
    """Create a token in «Настройки»; the token the page shows once."""
    page = client.post("/settings/api-tokens", data={
        "csrf_token": csrf_token(client.get("/settings/").text), "name": name})
    assert page.status_code == 200
    return re.search(r'value="(lkk_[^"]+)"', page.text).group(1)


def get(live_server, path: str, token: str | None, **params):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(f"{live_server}/api/v1{path}", headers=headers, params=params,
                        timeout=10)


def test_a_token_is_shown_once_used_listed_and_revoked(core, signed_in, live_server):
    token = new_token(signed_in)
    settings = signed_in.get("/settings/").text
    assert token not in settings  # shown on the answer to its creation only
    assert "1С:ЖКХ" in page_text(settings) and f"{token[:8]}…" in settings
    assert "Последний запрос" in page_text(settings) and "не было" in page_text(settings)
    answer = get(live_server, "/houses", token)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert "не было" not in page_text(signed_in.get("/settings/").text)
    with core.uow() as uow:
        [call] = uow.session.scalars(select(AuditRecord)
                                     .where(AuditRecord.action == "api_call")).all()
    assert json.loads(call.details) == {"key_name": "1С:ЖКХ", "method": "GET",
                                        "path": "/api/v1/houses", "status": 200}
    # A second token of the same name is refused; another name is fine.
    taken = signed_in.post("/settings/api-tokens", data={
        "csrf_token": csrf_token(settings), "name": " 1С:ЖКХ "})
    assert taken.status_code == 422 and "Токен с названием «1С:ЖКХ» уже есть" in \
        page_text(taken.text)
    other = new_token(signed_in, "Скрипт")
    token_id = re.findall(r'/settings/api-tokens/(\d+)/revoke', signed_in.get("/settings/").text)
    revoked = signed_in.post(f"/settings/api-tokens/{min(map(int, token_id))}/revoke",
                             data={"csrf_token": csrf_token(settings)}, follow_redirects=True)
    assert "Токен «1С:ЖКХ» отозван" in page_text(revoked.text)
    refused = get(live_server, "/houses", token)
    assert (refused.status_code, refused.headers["Content-Type"]) == (401, PROBLEM)
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert refused.json()["code"] == "authentication"
    assert get(live_server, "/houses", other).status_code == 200


def test_no_token_a_wrong_one_or_another_scheme_is_a_401_problem(core, signed_in,
                                                                 live_server):
    token = new_token(signed_in)
    for headers in ({}, {"Authorization": "Bearer lkk_wrong"},
                    {"Authorization": f"Basic {token}"}, {"Authorization": token},
                    {"Authorization": f"Bearer {token}x"}):
        answer = requests.get(f"{live_server}/api/v1/houses", headers=headers, timeout=10)
        assert answer.status_code == 401, headers
        assert answer.json() == {
            "type": "https://lkk-oo.example/problems/authentication",
            "title": "Нужен действующий токен", "status": 401,
            "detail": "Токен не указан, неизвестен или отозван", "code": "authentication"}


def test_the_organizations_deactivation_ends_its_tokens(core, signed_in, live_server,
                                                        zeep_client):
    token = new_token(signed_in)
    assert get(live_server, "/houses", token).status_code == 200
    zeep_client.service.DeactivateOrganization(RequestId="off", OrganizationId="ORG-1")
    assert get(live_server, "/houses", token).status_code == 401
    zeep_client.service.ReactivateOrganization(RequestId="on", OrganizationId="ORG-1")
    assert get(live_server, "/houses", token).status_code == 401  # ended, not paused


def test_houses_give_every_meter_with_its_last_reading_and_expected_range(core, signed_in,
                                                                         live_server,
                                                                         zeep_client):
    account(zeep_client, "feb27", "ORG-1-M-A", dt.date(2026, 2, 27), t1="1070")
    account(zeep_client, "mar06", "ORG-1-M-A", dt.date(2026, 3, 6), t1="1140")
    token = new_token(signed_in)
    answer = get(live_server, "/houses", token)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["page"], body["pages"], body["total_houses"]) == (1, 1, 1)
    [house] = body["houses"]
    assert house["address"] == "Москва г., Вавилова ул., д. 45"
    meters = {m["number"]: m for m in house["meters"]}
    assert [m["number"] for m in house["meters"]][-1] == "7700123"  # common-house last
    a = meters["00215090"]
    assert {k: a[k] for k in ("kind", "zones", "capacity", "apartment", "account",
                              "last_reading", "expected")} == {
        "kind": "individual", "zones": 1, "capacity": 6, "apartment": "1", "account": "100001",
        "last_reading": {"date": "2026-03-06", "t1": "1140", "t2": None, "t3": None},
        "expected": [{"zone": "T1", "low": "1186.67", "high": "1560"}]}
    b = meters["066823"]
    assert b["last_reading"] == {"date": "2026-02-20", "t1": "500", "t2": "300", "t3": None}
    assert b["expected"] == []
    assert meters["7700123"]["kind"] == "common_house"
    assert meters["7700123"]["transformation_ratio"] == "40"
    # Paged: past the last page, an empty page.
    assert get(live_server, "/houses", token, page=2).json()["houses"] == []


def test_a_bad_query_is_a_problem_naming_the_field_in_russian(core, signed_in, live_server):
    token = new_token(signed_in)
    for params, field, detail in (({"per_page": 0}, "per_page", "не меньше 1"),
                                  ({"per_page": 101}, "per_page", "не больше 100"),
                                  ({"page": "x"}, "page", "ожидается целое число")):
        answer = get(live_server, "/houses", token, **params)
        assert (answer.status_code, answer.headers["Content-Type"]) == (422, PROBLEM)
        body = answer.json()
        assert (body["code"], body["status"]) == ("validation", 422)
        assert body["errors"] == [{"field": field, "detail": detail}]


def test_the_served_openapi_document_is_the_committed_one_and_its_page_needs_no_cdn(
        live_server):
    served = requests.get(f"{live_server}/api/v1/openapi.json", timeout=10)
    assert served.status_code == 200
    committed = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert served.text == committed, "docs/openapi.json is stale: run `lkk openapi`"
    document = served.json()
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    assert document["paths"]["/api/v1/houses"]["get"]["responses"]["401"]["content"] == {
        PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    page = requests.get(f"{live_server}/api/v1/docs", timeout=10)
    assert page.status_code == 200
    assert "GET /api/v1/houses" in page_text(page.text)
    assert not re.search(r'(src|href)="(https?:)?//', page.text)  # nothing from elsewhere


def test_the_docs_python_and_curl_examples_run_as_written(core, signed_in, live_server,
                                                          capsys):
    import shutil
    import subprocess

    token = new_token(signed_in)
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    # The blocks run in order, in one namespace: the readings' block uses the houses' session.
    namespace: dict = {}
    for code in re.findall(r"```python\n(.*?)```", text, re.S):
        code = code.replace("https://lkk.example.org/api/v1", f"{live_server}/api/v1") \
            .replace("lkk_…", token)
        exec(compile(code, "docs/api.md", "exec"), namespace)  # noqa: S102 - the example
    out = capsys.readouterr().out
    assert "Москва г., Вавилова ул., д. 45 1 00215090 2026-02-20 1000 []" in out
    assert out.count("Москва г.") == 6  # every meter of the house
    # What the docs say the readings' block prints, and the two readings it lists.
    printed = re.search(r"it prints:\n\n```\n(.*?)```", text, re.S).group(1)
    assert printed in out
    assert out.count(" api ") == 3
    need(shutil.which("curl") is not None, "curl", "apt-get install curl")
    answers = []
    for curl in re.findall(r"```sh\nTOKEN='lkk_…'.*?\n(curl .*?)\n```", text, re.S):
        command = curl.replace("\\\n", " ").replace("https://lkk.example.org", live_server) \
            .replace("$TOKEN", token)
        answers.append(json.loads(subprocess.run(
            command, shell=True, capture_output=True, text=True,  # noqa: S602
            timeout=30, check=True).stdout))
    assert answers[0]["total_houses"] == 1
    assert (answers[1]["check_only"], answers[1]["valid"]) == (True, 1)


def test_any_other_address_or_method_under_the_api_is_a_problem_and_audited(core, signed_in,
                                                                           live_server):
    token = new_token(signed_in)
    auth = {"Authorization": f"Bearer {token}"}
    for method, path, status in (("POST", "/houses", 405), ("DELETE", "/houses", 405),
                                 ("GET", "/houses/1", 404), ("GET", "/nope", 404)):
        answer = requests.request(method, f"{live_server}/api/v1{path}", headers=auth,
                                  timeout=10)
        assert (answer.status_code, answer.headers["Content-Type"]) == (status, PROBLEM)
        assert answer.headers["Cache-Control"] == "no-store"
        assert answer.json()["code"] == ("method_not_allowed" if status == 405
                                         else "not_found")
        if status == 405:
            assert "GET" in answer.headers["Allow"]
    with core.uow() as uow:
        calls = [json.loads(r.details) for r in uow.session.scalars(
            select(AuditRecord).where(AuditRecord.action == "api_call")
            .order_by(AuditRecord.id))]
    assert [(c["method"], c["path"], c["status"]) for c in calls] == [
        ("POST", "/api/v1/houses", 405), ("DELETE", "/api/v1/houses", 405),
        ("GET", "/api/v1/houses/1", 404), ("GET", "/api/v1/nope", 404)]
    # A token sent and refused is named so (RFC 6750 §3.1); none sent, not.
    assert 'error="invalid_token"' in get(live_server, "/houses", "lkk_x").headers[
        "WWW-Authenticate"]
    assert "error" not in get(live_server, "/houses", None).headers["WWW-Authenticate"]


def test_two_tokens_of_one_name_made_at_once_leave_one(core, signed_in):
    from lkk_integration.errors import Conflict
    from lkk_integration.models import ContactPerson
    from lkk_integration.signin.api_tokens import api_tokens, create_api_token
    from tests.support.threads import together

    with core.uow() as uow:
        person = uow.session.scalar(select(ContactPerson.id))

    def make():
        try:
            return create_api_token(core, person, "Гонка")[1]
        except Conflict:
            return None

    results = together([make, make, make, make])
    assert not [r for r in results if isinstance(r, Exception)], results
    made = [secret for secret in results if secret]
    assert len(made) == 1
    assert [t.name for t in api_tokens(core, person)] == ["Гонка"]


def test_the_answer_says_the_date_its_expected_ranges_are_for(core, signed_in, live_server):
    body = get(live_server, "/houses", new_token(signed_in)).json()
    # The story's clock: 20.03.2026, inside both kinds' days (tests: common-house 15–26).
    assert body["expected_on"] == {"individual": "2026-03-20", "common_house": "2026-03-20"}


def test_a_token_past_its_calls_a_minute_gets_429_until_the_next_minute(core, clock,
                                                                       signed_in,
                                                                       live_server,
                                                                       monkeypatch):
    import dataclasses

    monkeypatch.setattr(core, "config", dataclasses.replace(core.config,
                                                            api_requests_per_minute=3))
    token, other = new_token(signed_in), new_token(signed_in, "Другой")
    clock.set(dt.datetime(2026, 3, 20, 9, 0, 15, tzinfo=dt.timezone.utc))
    assert [get(live_server, "/houses", token).status_code for _ in range(3)] == [200] * 3
    refused = get(live_server, "/houses", token)
    assert (refused.status_code, refused.headers["Content-Type"]) == (429, PROBLEM)
    assert refused.headers["Retry-After"] == "45"
    assert refused.json()["code"] == "rate_limited"
    assert "не больше 3 в минуту" in refused.json()["detail"]
    assert get(live_server, "/houses", other).status_code == 200  # per token
    clock.set(dt.datetime(2026, 3, 20, 9, 1, 0, tzinfo=dt.timezone.utc))
    assert get(live_server, "/houses", token).status_code == 200
