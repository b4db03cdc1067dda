"""The template dialog («Скачать шаблон файла», docs/spec.md §9) for an organization of 79
houses: natural order of the house numbers, the meters per house, nothing ticked unless one
house is the only one or comes from its page, and the refusal when no house is ticked."""
from __future__ import annotations

import html
import re

import xlrd
from sqlalchemy import event, update

from lkk_integration.models import Meter
from lkk_integration.organizations.registry import template_houses
from tests.support.bulk import bulk_login, bulk_organization
from tests.support.cabinet import csrf_token, house_id, log_in, meter_id, page_text

HOUSE = re.compile(r'<input type="checkbox" name="house" value="(\d+)" data-meters="(\d+)"'
                   r'( checked)?> <span><span class="address">([^<]*)</span> '
                   r'<span class="meters">— ([^<]*)</span>')


def dialog(page: str) -> list[tuple[int, str, str, bool]]:
    """The dialog's houses as listed: (id, address, meters as shown, ticked)."""
    return [(int(i), html.unescape(address), shown, bool(ticked))
            for i, _meters, ticked, address, shown in HOUSE.findall(page)]


def signed_in_bulk(core, client, per_house=4) -> list[int]:
    _org, _person, houses = bulk_organization(core, houses=79, per_house=per_house)
    email, password = bulk_login()
    log_in(client, email, password)
    return houses


def test_79_houses_are_listed_in_natural_order_with_their_meters_and_none_ticked(core, client):
    signed_in_bulk(core, client)
    page = client.get("/readings/file").text
    houses = dialog(page)
    assert len(houses) == 79
    assert not any(ticked for *_, ticked in houses)
    assert '<details class="template-dialog" id="template">' in page  # closed until asked
    on_vavilova = [address for _, address, _, _ in houses if "Вавилова" in address]
    assert on_vavilova == [f"Москва г., Вавилова ул., д. {n}" for n in range(1, 11)]
    streets = [address.split(", ")[1] for _, address, _, _ in houses]
    assert streets == sorted(streets)  # street by street, each street's houses together
    assert {shown for _, _, shown, _ in houses} == {"4 счетчика"}


def test_the_counts_are_of_the_meters_not_archived_of_both_kinds(core, signed_in):
    assert [(a, m) for _, a, m, _ in dialog(signed_in.get("/readings/file").text)] == \
        [("Москва г., Вавилова ул., д. 45", "6 счетчиков")]  # five individual, one common-house
    with core.uow() as uow:
        uow.session.execute(update(Meter).where(Meter.id == meter_id(core, "00215090"))
                            .values(archived_at=core.clock.now()))
        uow.commit()
    assert [m for _, _, m, _ in dialog(signed_in.get("/readings/file").text)] == ["5 счетчиков"]


def test_the_houses_and_their_counts_come_from_one_query(core):
    organization_id, _person, _houses = bulk_organization(core, houses=79, per_house=3)
    statements = []

    def seen(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    event.listen(core.engine, "before_cursor_execute", seen)
    try:
        houses = template_houses(core, organization_id)
    finally:
        event.remove(core.engine, "before_cursor_execute", seen)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    assert len(houses) == 79 and {h.meters for h in houses} == {3}
    assert [h.address for h in houses[:3]] == ["Москва г., Березовая ул., д. 1",
                                               "Москва г., Березовая ул., д. 2",
                                               "Москва г., Березовая ул., д. 3"]


def test_a_house_from_its_page_is_the_one_ticked_and_the_dialog_open(core, client):
    houses = signed_in_bulk(core, client)
    chosen = houses[17]
    assert (f'href="/readings/file?house={chosen}#template">Скачать шаблон для этого дома'
            in client.get(f"/houses/{chosen}").text)
    page = client.get(f"/readings/file?house={chosen}").text
    assert [i for i, *_, ticked in dialog(page) if ticked] == [chosen]
    assert '<details class="template-dialog" id="template" open>' in page


def test_a_foreign_or_unknown_house_in_the_link_ticks_nothing(core, client, zeep_client):
    from tests.support.organizations import story_organization

    zeep_client.service.RegisterOrganization(RequestId="reg", Organization=story_organization())
    signed_in_bulk(core, client)
    for asked in (house_id(core), 999_999, "abc"):
        page = client.get(f"/readings/file?house={asked}").text
        assert len(dialog(page)) == 79 and not any(t for *_, t in dialog(page))
        assert str(house_id(core)) not in [str(i) for i, *_ in dialog(page)]


def test_the_only_house_of_an_organization_is_ticked(signed_in):
    assert [ticked for *_, ticked in dialog(signed_in.get("/readings/file").text)] == [True]


def test_no_house_ticked_is_refused_with_the_dialog_asked_again(core, client):
    signed_in_bulk(core, client)
    tab = client.get("/readings/file")
    refused = client.post("/readings/template", data={"csrf_token": csrf_token(tab.text),
                                                      "format": "xls"})
    assert refused.status_code == 302 and refused.headers["Location"].endswith(
        "/readings/file#template")
    assert "Выберите хотя бы один дом" in page_text(client.get("/readings/file").text)


def test_the_ticked_houses_are_the_templates_rows(core, client):
    houses = signed_in_bulk(core, client, per_house=3)
    tab = client.get("/readings/file")
    listed = {i: address for i, address, _, _ in dialog(tab.text)}
    chosen = [houses[0], houses[9], houses[78]]
    template = client.post("/readings/template", data={
        "csrf_token": csrf_token(tab.text), "house": chosen, "format": "xls"})
    assert template.status_code == 200
    sheet = xlrd.open_workbook(file_contents=template.data).sheet_by_name("ИПУ")
    addresses = [sheet.cell_value(r, 0) for r in range(1, sheet.nrows)]
    assert sorted(set(addresses)) == sorted(listed[i] for i in chosen)
    assert len(addresses) == 9
