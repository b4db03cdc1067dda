"""«Переданные показания» in pages (docs/spec.md §8): thousands typed by hand on the period's
last evening must not make the manual entry page one of thousands of rows."""
from __future__ import annotations

from lkk_integration.readings import manual

from tests.support.cabinet import house_id, meter_id, page_text, post_reading


def test_the_typed_readings_are_listed_a_page_at_a_time(core, signed_in, monkeypatch):
    monkeypatch.setattr(manual, "PAGE_LINES", 2)
    for number, values in (("00300001", {"t1": "2010"}), ("00215090", {"t1": "1010"}),
                           ("066823", {"t1": "510", "t2": "310"})):
        assert post_reading(signed_in, meter_id(core, number), **values).status_code == 302
    chosen = f"/readings/manual/?house={house_id(core)}&apartment=2"
    first = signed_in.get(chosen)
    text = page_text(first.text)
    # The whole list's count; the first page in address order: кв. 1, кв. 2; then кв. 3.
    assert "Всего: 3" in text
    assert "д. 45, кв. 1 00215090" in text and "д. 45, кв. 2 066823" in text
    assert "00300001" not in text.split("Всего: 3")[1]
    assert "Страницы: 1 2" in text
    # The page link keeps the meter chosen above the list.
    assert f'href="/readings/manual/?house={house_id(core)}&amp;apartment=2&amp;page=2#submitted"' \
        in first.text
    second = page_text(signed_in.get(chosen + "&page=2").text)
    assert "Всего: 3" in second and "д. 45, кв. 3 00300001" in second
    assert "066823 20.03.2026" not in second.split("Всего: 3")[1]
    # A page past the last shows the last; the chosen meter's card stays.
    past = page_text(signed_in.get(chosen + "&page=9").text)
    assert "д. 45, кв. 3 00300001" in past.split("Всего: 3")[1]
    assert "Индивидуальный прибор учета № 066823" in past
