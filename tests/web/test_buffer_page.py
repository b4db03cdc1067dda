"""The buffer's page at the size of an organization of many houses (docs/spec.md §10–§11): a
summary per house with wrong houses first, a house's rows paged within it, a selection whose
count stays true across pages and houses, «Нет» keeping it, labels that name what they act on,
and deleting without JavaScript."""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import event, func, select

from lkk_integration.models import UploadRow
from tests.support.bulk import bench_spreadsheets, bulk_buffer, bulk_login, bulk_organization
from tests.support.cabinet import csrf_token, log_in, page_text

PER_HOUSE = 2
HOUSE_ROW = re.compile(
    r'<th scope="row" data-label="Дом"><a href="[^"]*open=(\d+)[^"]*"[^>]*>([^<]*)</a></th>\s*'
    r'<td class="num" data-label="Верных">(\d+)</td>\s*'
    r'<td class="num" data-label="Ошибок">(\d+)</td>\s*'
    r'<td class="num" data-label="Не заполнено">(\d+)</td>\s*'
    r'<td class="num" data-label="Выбрано">(\d+)</td>')


def house_index(street: str, number: int) -> int:
    """The bulk organization's house (its insertion index) on `street` with `number`."""
    streets = bench_spreadsheets().STREETS
    return (number - 1) * len(streets) + streets.index(street)


# Wrong values in Садовая ул., д. 10 and Вавилова ул., д. 2; one meter not read in Лесная ул.,
# д. 1 (no mistake there, a row not filled: listed after the mistakes, before the rest).
WRONG_HOUSES = {house_index("Садовая ул.", 10), house_index("Вавилова ул.", 2)}
EMPTY_METER = house_index("Лесная ул.", 1) * PER_HOUSE


@pytest.fixture
def houses(core, client) -> list[int]:
    """79 houses of two meters, uploaded filled; the contact person signed in."""
    organization, person, houses = bulk_organization(core, houses=79, per_house=PER_HOUSE)
    bulk_buffer(core, organization, person, houses, 79 * PER_HOUSE,
                wrong=lambda i: i // PER_HOUSE in WRONG_HOUSES, empty=lambda i: i == EMPTY_METER)
    log_in(client, *bulk_login())
    return houses


def summary(page: str) -> list[tuple[int, str, int, int, int, int]]:
    """The summary's houses as listed: (key, address, valid, wrong, not filled, selected)."""
    return [(int(key), html.unescape(address), *map(int, numbers))
            for key, address, *numbers in HOUSE_ROW.findall(page)]


def row_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'name="row" value="(\d+)"', page)]


def ticked(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'name="row" value="(\d+)" checked', page)]


def selected_text(page: str) -> str:
    found = re.search(r'<span id="selected-count"[^>]*>([^<]*)</span>', page)
    return html.unescape(found.group(1)).replace("\u00a0", " ")


def test_the_summary_counts_each_house_mistakes_first_then_not_read_then_natural_order(
        core, client, houses, monkeypatch):
    import lkk_integration.spreadsheets.buffer as buffer

    monkeypatch.setattr(buffer, "PAGE_ROWS", 100)
    statements = []

    def seen(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    event.listen(core.engine, "before_cursor_execute", seen)
    try:
        page = client.get("/readings/file").text
    finally:
        event.remove(core.engine, "before_cursor_execute", seen)
    assert len([s for s in statements if "GROUP BY" in s.upper() and "upload_row" in s]) == 1
    found = summary(page)
    assert len(found) == 79
    assert [(address, valid, wrong, unfilled) for _k, address, valid, wrong, unfilled, _s
            in found[:3]] == [("Москва г., Вавилова ул., д. 2", 0, 2, 0),
                              ("Москва г., Садовая ул., д. 10", 0, 2, 0),
                              ("Москва г., Лесная ул., д. 1", 1, 1, 1)]
    rest = [address for _k, address, *_n in found[3:]]
    assert rest[:3] == ["Москва г., Березовая ул., д. 1", "Москва г., Березовая ул., д. 2",
                        "Москва г., Березовая ул., д. 3"]
    assert rest.index("Москва г., Кленовая ул., д. 9") + 1 \
        == rest.index("Москва г., Кленовая ул., д. 10")
    assert all((valid, wrong) == (2, 0) for _k, _a, valid, wrong, *_r in found[3:])
    text = page_text(page)
    assert "Индивидуальные ПУ: Верных – 153, ошибок – 5, из них не заполнено – 1" in text
    # 158 rows, more than a page: the houses are collapsed until opened.
    assert row_ids(page) == [] and "откройте дом" in text


def test_a_house_opened_by_its_link_shows_its_rows_paged_within_it_and_filtered(
        core, client, houses, monkeypatch):
    import lkk_integration.spreadsheets.buffer as buffer

    monkeypatch.setattr(buffer, "PAGE_ROWS", 1)
    house = houses[house_index("Лесная ул.", 1)]
    with core.uow() as uow:
        own = set(uow.session.scalars(select(UploadRow.id).where(UploadRow.house_id == house)))
    first = client.get(f"/readings/file?open={house}").text
    second = client.get(f"/readings/file?open={house}&page=2").text
    assert len(own) == 2 and set(row_ids(first) + row_ids(second)) == own
    assert "<h3>Москва г., Лесная ул., д. 1</h3>" in first
    assert page_text(re.search(r'<nav class="pages"[^>]*>(.*?)</nav>', first, re.S).group(1)) \
        == "Страницы: 1 2"
    wrong = client.get(f"/readings/file?open={house}&filter=wrong").text
    assert len(row_ids(wrong)) == 1 and "Показания не указаны" in page_text(wrong)
    assert 'class="pages"' not in wrong
    # An unknown house: the summary.
    assert row_ids(client.get("/readings/file?open=999999").text) == []


def post_form(client, action: str, page: str, **fields):
    """Send the buffer's form as a browser would: its hidden fields, the rows ticked on the
    page (`fields['row']` when given, else those shown ticked) and the button pressed."""
    form = re.search(r'<form method="post" action="[^"]*/delete" class="buffer-rows".*?</form>',
                     page, re.S).group(0)
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form):
        data.setdefault(name, []).append(html.unescape(value))
    data["row"] = [str(i) for i in fields.pop("row", ticked(form))]
    data.update({k: [str(v)] for k, v in fields.items()})
    upload = re.search(r'/readings/buffer/(\d+)/delete', form).group(1)
    return client.post(f"/readings/buffer/{upload}/{action}", data=data)


def test_select_all_ticks_the_rows_on_screen_and_a_house_reset_keeps_the_count_true(
        core, client, houses):
    house = houses[house_index("Вавилова ул.", 2)]
    page = client.get(f"/readings/file?open={house}").text
    assert "Выбрать все (158)" in page_text(page) and selected_text(page) == ""
    chosen = client.get(post_form(client, "select", page, do="all").headers["Location"]).text
    assert sorted(ticked(chosen)) == sorted(row_ids(chosen)) and len(ticked(chosen)) == 2
    assert selected_text(chosen) == "Выбрано: 158 строк на всех страницах"
    # «Сбросить все» of another house, then one row on screen unticked.
    other = houses[house_index("Садовая ул.", 10)]
    reset = client.get(post_form(client, "select", chosen,
                                 house_reset=other).headers["Location"]).text
    assert selected_text(reset) == "Выбрано: 156 строк на всех страницах"
    assert dict((k, s) for k, *_r, s in summary(reset))[other] == 0
    kept, dropped = row_ids(reset)
    asked = post_form(client, "delete", reset, row=[kept])
    assert "Выбрано: 155 строк" in page_text(asked.text)
    # «Да»: exactly those go.
    yes = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', asked.text)
    data: dict[str, list[str]] = {}
    for name, value in yes:
        data.setdefault(name, []).append(value)
    upload = re.search(r'/readings/buffer/(\d+)/delete', asked.text).group(1)
    client.post(f"/readings/buffer/{upload}/delete", data={**data, "answer": "yes"})
    with core.uow() as uow:
        left = set(uow.session.scalars(select(UploadRow.id)))
        assert uow.session.scalar(select(func.count()).select_from(UploadRow)) == 3
        assert set(uow.session.scalars(select(UploadRow.id).where(
            UploadRow.house_id == other))) | {dropped} == left


def test_no_to_the_delete_question_returns_to_the_page_with_the_same_selection(client, houses):
    house = houses[house_index("Вавилова ул.", 2)]
    page = client.get(f"/readings/file?open={house}&filter=wrong").text
    chosen = client.get(post_form(client, "select", page, do="all").headers["Location"]).text
    one = row_ids(chosen)[0]
    asked = post_form(client, "delete", chosen, row=[one])
    assert "Выбрано: 4 строки" in page_text(asked.text)  # five wrong rows, one unticked
    token = csrf_token(asked.text)
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                                  asked.text):
        data.setdefault(name, []).append(value)
    data["csrf_token"] = [token]
    no = client.post(re.search(r'action="([^"]*/delete)"', asked.text).group(1),
                     data={**data, "answer": "no"})
    back = urlsplit(no.headers["Location"])
    assert back.path == "/readings/file" and parse_qs(back.query)["open"] == [str(house)]
    again = client.get(no.headers["Location"]).text
    assert ticked(again) == [one] and selected_text(again) == \
        "Выбрано: 4 строки на всех страницах"
    assert 'class="active" aria-current="page" href="/readings/file?filter=wrong' in again


def test_rows_ticked_without_javascript_are_deleted_after_the_question(core, client, houses):
    house = houses[house_index("Садовая ул.", 10)]
    page = client.get(f"/readings/file?open={house}").text
    first, second = row_ids(page)
    asked = post_form(client, "delete", page, row=[second])
    assert "Выбрано: 1 строка" in page_text(asked.text)
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                                  asked.text):
        data.setdefault(name, []).append(value)
    done = client.post(re.search(r'action="([^"]*/delete)"', asked.text).group(1),
                       data={**data, "answer": "yes"}, follow_redirects=True)
    assert "Удалено 1 строка файла" in page_text(done.text)
    with core.uow() as uow:
        assert set(uow.session.scalars(select(UploadRow.id).where(
            UploadRow.house_id == house))) == {first}
    # Nothing ticked: asked to choose, the page as it was.
    nothing = post_form(client, "delete", client.get(f"/readings/file?open={house}").text,
                        row=[])
    assert "Выберите строки для удаления" in page_text(client.get(
        nothing.headers["Location"]).text)


def test_each_control_is_labelled_by_what_it_acts_on(client, houses):
    house = houses[house_index("Вавилова ул.", 2)]
    page = client.get(f"/readings/file?open={house}").text
    first = house_index("Вавилова ул.", 2) * PER_HOUSE
    number = bench_spreadsheets().meter_number(first)
    assert f'aria-label="Выбрать строку: счетчик {number}, кв. 1"' in page
    assert 'aria-label="Выбрать строку"' not in page
    assert not re.search(r"<th[^>]*>\s*</th>", page)
    labels = [re.search(r'aria-label="([^"]*)"', attributes)
              for attributes in re.findall(r"<nav\b([^>]*)>", page)]
    labels = [found.group(1) if found else "" for found in labels]
    assert all(labels) and len(labels) == len(set(labels))
    assert 'aria-label="Сбросить все: Москва г., Вавилова ул., д. 2"' not in page
    assert 'aria-label="Выбрать все: Москва г., Вавилова ул., д. 2"' in page


def test_a_link_followed_by_the_pages_script_keeps_the_rows_ticked_on_screen(client, houses):
    house = houses[house_index("Вавилова ул.", 2)]
    other = houses[house_index("Садовая ул.", 10)]
    page = client.get(f"/readings/file?open={house}").text
    one = row_ids(page)[0]
    going = post_form(client, "select", page, row=[one], go_open=other, go_page="")
    there = client.get(going.headers["Location"]).text
    assert "<h3>Москва г., Садовая ул., д. 10</h3>" in there and ticked(there) == []
    assert selected_text(there) == "Выбрано: 1 строка на всех страницах"
    back = client.get(f"/readings/file?open={house}&on={one}").text
    assert ticked(back) == [one]


def test_the_house_with_most_mistakes_comes_first(core, client):
    organization, person, houses = bulk_organization(core, houses=79, per_house=PER_HOUSE)
    few, most = house_index("Березовая ул.", 1), house_index("Садовая ул.", 10)
    bulk_buffer(core, organization, person, houses, 79 * PER_HOUSE,
                wrong=lambda i: i // PER_HOUSE == most or i == few * PER_HOUSE)
    log_in(client, *bulk_login())
    found = summary(client.get("/readings/file").text)
    assert [(address, wrong) for _k, address, _v, wrong, _u, _s in found[:2]] == [
        ("Москва г., Садовая ул., д. 10", PER_HOUSE), ("Москва г., Березовая ул., д. 1", 1)]
