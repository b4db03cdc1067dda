"""What an organization still has to pass, and the billing's verdicts on what it passed
(docs/spec.md §2.1, §2.2): coverage on the main page and per house, the missing meters as a
template."""
from __future__ import annotations

import datetime as dt
import re

import xlrd

from tests.support.cabinet import (
    house_id, meter_id, page_text, post_reading, readings_of, send, upload_filled)


def test_the_main_page_and_the_house_page_show_what_is_passed(core, signed_in, zeep_client):
    main = page_text(signed_in.get("/").text)
    assert "Передано: 0 из 6 счетчиков (0 %)" in main and "0 из 6 (0 %)" in main
    post_reading(signed_in, meter_id(core, "00215090"), t1="1100")
    send(signed_in, upload_filled(signed_in, core, {
        "066823": {"t1": 520, "t2": 310, "date": dt.date(2026, 3, 19)},
        "7700123": {"t1": 110, "t2": 55, "date": dt.date(2026, 3, 19)}}))
    assert "Передано: 3 из 6 счетчиков (50 %)" in page_text(signed_in.get("/").text)

    manual = readings_of(core, "00215090")[0]
    file = readings_of(core, "066823")[0]
    zeep_client.service.RecordReadingVerdicts(RequestId="v", Verdicts={"ReadingVerdict": [
        {"ReadingId": manual.id, "Accepted": True},
        {"ReadingId": file.id, "Accepted": False, "Reason": "Показания меньше контрольных"}]})
    page = page_text(signed_in.get(f"/houses/{house_id(core)}").text)
    assert "Москва г., Вавилова ул., д. 45 Передано: 3 из 6 счетчиков (50 %)" in page
    assert "1 100001 00215090 20.03.2026 1100 вручную Принято биллингом" in page
    assert ("2 100002 066823 19.03.2026 520 310 из файла Отклонено биллингом: Показания меньше "
            "контрольных") in page
    assert "3 100003 00300001 Показания не переданы" in page
    assert "ОДПУ 7700123 19.03.2026 110 55 из файла Ожидает проверки биллингом" in page

    missing = page_text(signed_in.get(f"/houses/{house_id(core)}?missing=1").text)
    assert "00300001" in missing and "00215090" not in missing and "7700123" not in missing
    listed = signed_in.get(f"/houses/{house_id(core)}/missing.xls")
    book = xlrd.open_workbook(file_contents=listed.data)
    numbers = [book.sheet_by_name("ИПУ").cell_value(r, 3)
               for r in range(1, book.sheet_by_name("ИПУ").nrows)]
    assert numbers == ["00300001", "00300002", "00300003"]
    assert book.sheet_by_name("ОДПУ").nrows == 1  # the header: the common-house meter is in


def test_a_complete_house_says_so_and_offers_no_list(core, signed_in):
    for number, values in (("00215090", {"t1": "1100"}), ("066823", {"t1": "520", "t2": "310"}),
                           ("00300001", {"t1": "2100"}), ("00300002", {"t1": "6", "t2": "11",
                                                                       "t3": "16"}),
                           ("00300003", {"t1": "150"}), ("7700123", {"t1": "110", "t2": "55"})):
        assert post_reading(signed_in, meter_id(core, number), **values).status_code == 302
    page = page_text(signed_in.get(f"/houses/{house_id(core)}?missing=1").text)
    assert "Передано: 6 из 6 счетчиков (100 %)" in page
    assert "Показания переданы по всем счетчикам" in page
    assert "Скачать список счетчиков без показаний" not in page


def test_another_organizations_house_is_not_found(core, signed_in):
    for path in ("/houses/999999", "/houses/999999/missing.xls"):
        assert signed_in.get(path).status_code == 404
    assert signed_in.get(f"/houses/{house_id(core)}?page=abc").status_code == 200


def test_a_long_house_list_is_paged_with_links_that_keep_the_filter(core, signed_in, monkeypatch):
    from lkk_integration.readings import coverage

    monkeypatch.setattr(coverage, "PAGE_METERS", 2)
    house = house_id(core)
    html = signed_in.get(f"/houses/{house}?missing=1&page=2").text
    nav = re.search(r'<nav class="pages">(.*?)</nav>', html, re.S).group(1)
    assert page_text(nav) == "Страницы: 1 2 3"  # six meters, none passed yet
    assert re.findall(r'href="([^"]+)"', nav) == [f"/houses/{house}?missing=1&amp;page={p}"
                                                   for p in (1, 3)]
    assert "<strong>2</strong>" in nav
