"""Manual entry, «Переданные показания на <today>» and deleting a reading (docs/spec.md §5–§8),
through the cabinet's forms on the real database."""
from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from lkk_integration.models import Meter, Reading, Upload
from lkk_integration.readings.export import export_readings

from tests.support.cabinet import (
    PASSWORD, TODAY, activate, csrf_token, house_id, log_in, meter_id, page_text, post_reading,
    readings_of, upload_filled)
from tests.support.organizations import story_organization
from tests.support.parts import ROOT


def current_of(core, number: str) -> list[Reading]:
    return [r for r in readings_of(core, number) if r.is_current]


def flashed(html: str) -> list[str]:
    """The texts of a page's flash messages."""
    return [page_text(m) for m in re.findall(r'<p class="flash[^"]*"[^>]*>(.*?)</p>', html)]


def apartments_offered(html: str) -> list[str]:
    """The apartments the type-ahead field «Квартира» offers (its datalist)."""
    listed = re.search(r'<datalist id="apartments">(.*?)</datalist>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)">', listed)


def autofocused(html: str) -> list[str]:
    """The ids of the elements the page focuses when it opens (its `autofocus`)."""
    return re.findall(r'<[^>]*\bid="([^"]+)"[^>]*\bautofocus\b', html)


def test_the_readings_menu_opens_manual_entry_and_the_main_page_leads_to_the_house(core,
                                                                                   signed_in):
    assert signed_in.get("/readings/").headers["Location"].endswith("/readings/manual/")
    main = signed_in.get("/").text
    link = re.search(r'href="(/readings/manual/\?house=\d+)"', main).group(1)
    html = signed_in.get(link).text
    page = page_text(html)
    # The house's settlement, street and house are chosen; its apartments are offered to type.
    assert "Квартира Выбрать квартиру" in page
    assert apartments_offered(html) == ["1", "2", "3", "4", "5"]
    assert autofocused(html) == ["apartment"]
    assert "Ручной ввод данных Загрузка данных из файла" in page


def test_a_two_zone_meter_shows_its_card_and_exactly_its_zones(core, signed_in):
    html = signed_in.get(f"/readings/manual/?house={house_id(core)}&apartment=2").text
    text = page_text(html)
    assert "Индивидуальный прибор учета № 066823" in text
    assert "Адрес Москва г., Вавилова ул., д. 45, кв. 2 Лицевой счет 100002 ФИО Абонент " \
           "Тестовый Тип учета Двухтарифный" in text
    assert "Т1 500 20.02.2026 Абонент Т2 300 20.02.2026 Абонент" in text
    assert re.findall(r'name="(t\d)"', html) == ["t1", "t2"]
    three = signed_in.get(f"/readings/manual/?house={house_id(core)}&apartment=4").text
    assert re.findall(r'name="(t\d)"', three) == ["t1", "t2", "t3"]


def test_typed_numbers_with_a_comma_and_spaces_are_saved_and_listed(core, signed_in):
    response = post_reading(signed_in, meter_id(core, "066823"), t1=" 1 000,5 ", t2="300,25")
    assert response.status_code == 302
    page = page_text(signed_in.get(response.headers["Location"]).text)
    assert "Показания по счетчику № 066823 успешно отправлены" in page
    assert ("Переданные показания на 20.03.2026 Всего: 1 Индивидуальные ПУ Выбор Адрес № счетчика "
            "Дата показания Т1, кВт·ч Т2, кВт·ч Т3, кВт·ч Москва г., Вавилова ул., "
            "д. 45, кв. 2 066823 20.03.2026 1000,5 300,25") in page
    [reading] = current_of(core, "066823")
    assert (reading.t1, reading.t2, reading.t3) == (Decimal("1000.5"), Decimal("300.25"), None)
    assert (reading.channel, reading.source) == ("manual", "Обслуживающая организация")


def test_a_refused_reading_keeps_what_was_typed_and_writes_nothing(core, signed_in):
    response = post_reading(signed_in, meter_id(core, "066823"), t1="450", t2="3O0")
    assert response.status_code == 422
    text = page_text(response.text)
    assert "Показания не приняты: Т2: не число" in text
    assert 'value="3O0"' in response.text and 'value="450"' in response.text
    assert readings_of(core, "066823") == []


def test_a_common_house_meter_shows_its_ratio_and_counts_kwh_through_it(core, signed_in):
    html = signed_in.get(f"/readings/manual/?kind=common_house&house={house_id(core)}").text
    text = page_text(html)
    assert "Общедомовой прибор учета № 7700123" in text
    assert "Коэффициент трансформации 40" in text
    # 28 days × 20 000 kWh = 560 000 kWh; the register growth of both zones × 40 must fit.
    too_much = post_reading(signed_in, meter_id(core, "7700123"), t1="14100", t2="51")
    assert too_much.status_code == 422
    assert ("Показания не приняты: Расход 560040 кВт·ч больше допустимого: 560000 кВт·ч за "
            "28 дней") in page_text(too_much.text)
    fine = post_reading(signed_in, meter_id(core, "7700123"), t1="14099", t2="51")
    assert fine.status_code == 302
    listed = page_text(signed_in.get("/readings/manual/").text)
    assert "Москва г., Вавилова ул., д. 45 7700123 40 20.03.2026 14099 51" in listed


def test_a_later_reading_replaces_the_earlier_and_delete_brings_it_back(core, signed_in):
    meter = meter_id(core, "00215090")
    post_reading(signed_in, meter, t1="1100")
    post_reading(signed_in, meter, t1="1150")
    first, second = readings_of(core, "00215090")
    assert (first.is_current, second.is_current, second.replaces_id) == (False, True, first.id)
    page = signed_in.get("/readings/manual/")
    assert "Всего: 1" in page_text(page.text)

    confirm = signed_in.get(f"/readings/manual/delete?reading={second.id}")
    assert "Вы действительно хотите удалить выбранное показание?" in page_text(confirm.text)
    assert "счетчик № 00215090, 20.03.2026: Т1 1150" in page_text(confirm.text)
    token = csrf_token(confirm.text)
    kept = signed_in.post(f"/readings/manual/delete/{second.id}",
                          data={"csrf_token": token, "answer": "no"})
    assert kept.status_code == 302 and current_of(core, "00215090")[0].id == second.id
    done = signed_in.post(f"/readings/manual/delete/{second.id}",
                          data={"csrf_token": token, "answer": "yes"})
    assert ("Показание удалено. Действующим снова стало показание от 20.03.2026: Т1 1100"
            in page_text(signed_in.get(done.headers["Location"]).text))
    first, second = readings_of(core, "00215090")
    assert first.is_current and not second.is_current and second.deleted_at is not None
    again = signed_in.post(f"/readings/manual/delete/{second.id}",
                           data={"csrf_token": token, "answer": "yes"})
    assert again.status_code == 404
    assert ("удалить можно только действующее показание, переданное вручную в текущем сеансе"
            in page_text(again.text))
    # The billing hears of each step, and that the first reading is current again.
    events = [(e.event, e.reading_id, e.replaces_reading_id, e.t1)
              for e in export_readings(core, 0, 100).events]
    assert events == [("submitted", first.id, None, Decimal(1100)),
                      ("submitted", second.id, first.id, Decimal(1150)),
                      ("deleted", second.id, first.id, Decimal(1150)),
                      ("submitted", first.id, None, Decimal(1100))]


def test_a_reading_of_another_session_or_organization_cannot_be_deleted(core, signed_in, app,
                                                                        zeep_client):
    post_reading(signed_in, meter_id(core, "00215090"), t1="1100")
    [mine] = readings_of(core, "00215090")
    # The same person in another browser: a new login session sees the row, without a choice.
    other_browser = app.test_client()
    log_in(other_browser)
    page = other_browser.get("/readings/manual/")
    assert "Всего: 1" in page_text(page.text) and 'name="reading"' not in page.text
    token = csrf_token(page.text)
    refused = other_browser.get(f"/readings/manual/delete?reading={mine.id}")
    assert "удалить можно только действующее показание, переданное вручную в текущем сеансе" in \
        page_text(other_browser.get(refused.headers["Location"]).text)
    other_browser.post(f"/readings/manual/delete/{mine.id}",
                       data={"csrf_token": token, "answer": "yes"})
    # Another organization's contact person, with a crafted request.
    zeep_client.service.RegisterOrganization(RequestId="other", Organization=story_organization(
        org_id="ORG-2", email="other@uk-test.example", contract="Д-2"))
    activate(core, PASSWORD, "other@uk-test.example")
    stranger = app.test_client()
    log_in(stranger, "other@uk-test.example")
    stranger.post(f"/readings/manual/delete/{mine.id}",
                  data={"csrf_token": csrf_token(stranger.get("/readings/manual/").text),
                        "answer": "yes"})
    assert "Всего: 0" in page_text(stranger.get("/readings/manual/").text)
    # After logout and a new login, the reading belongs to an earlier session.
    signed_in.post("/logout", data={"csrf_token": csrf_token(signed_in.get("/").text)})
    log_in(signed_in)
    assert 'name="reading"' not in signed_in.get("/readings/manual/").text
    signed_in.post(f"/readings/manual/delete/{mine.id}",
                   data={"csrf_token": csrf_token(signed_in.get("/").text), "answer": "yes"})
    [still] = readings_of(core, "00215090")
    assert still.is_current and still.deleted_at is None


def test_another_organizations_or_an_archived_meter_is_not_found(core, signed_in, zeep_client):
    zeep_client.service.RegisterOrganization(RequestId="other", Organization=story_organization(
        org_id="ORG-2", email="other@uk-test.example", contract="Д-2"))
    with core.uow() as uow:
        theirs = uow.session.scalar(select(Meter.id).where(Meter.billing_id == "ORG-2-M-A"))
    assert post_reading(signed_in, theirs, t1="1100").status_code == 404
    assert signed_in.get(f"/readings/manual/?kind=common_house&meter={theirs}").status_code == 200
    zeep_client.service.RemoveMeter(RequestId="rm", MeterId="ORG-1-M-A")
    assert post_reading(signed_in, meter_id(core, "00300001"), t1="2100").status_code == 302
    with core.uow() as uow:
        archived = uow.session.scalar(select(Meter.id).where(Meter.billing_id == "ORG-1-M-A"))
    assert post_reading(signed_in, archived, t1="1100").status_code == 404
    for path in ("/readings/manual/?house=999999", "/readings/manual/?house=abc",
                 "/readings/manual/?kind=other", "/readings/manual/?meter=99999999999"):
        assert signed_in.get(path).status_code == 404, path
    with core.uow() as uow:
        assert uow.session.scalar(select(Reading.id).where(Reading.meter_id.in_(
            [theirs, archived]), Reading.channel == "manual")) is None


def test_an_apartment_with_two_accounts_offers_a_choice(core, signed_in, zeep_client):
    house = story_organization()["Houses"]["House"][0]
    house["Accounts"]["Account"].append({
        "Number": "100099", "Apartment": "2", "ConsumerName": "Соседов Пётр",
        "Meters": {"Meter": [{"MeterId": "M-X", "Number": "0909", "Zones": 1, "Capacity": 6}]}})
    zeep_client.service.SaveHouse(RequestId="save", OrganizationId="ORG-1", House=house)
    page = signed_in.get(f"/readings/manual/?house={house_id(core)}&apartment=2")
    text = page_text(page.text)
    assert "В квартире несколько лицевых счетов или счетчиков. Выберите счетчик:" in text
    assert "100002 Абонент Тестовый 066823 Двухтарифный Выбрать" in text
    assert "100099 Соседов Пётр 0909 Однотарифный Выбрать" in text
    link = re.findall(r'href="(/readings/manual/\?[^"]*meter=\d+)"', page.text)[1]
    chosen = page_text(signed_in.get(link.replace("&amp;", "&")).text)
    assert "Индивидуальный прибор учета № 0909" in chosen and "Нет учтенных показаний" in chosen


def test_without_javascript_each_choice_narrows_the_next(core, signed_in, zeep_client):
    house = story_organization()["Houses"]["House"][0]
    other = dict(house, HouseId="H-2", Settlement="Тестовск г.", Street="Лесная ул.",
                 HouseNumber="5/1 стр.1", CommonHouseMeters=None,
                 Accounts={"Account": [{"Number": "200001", "Apartment": "10",
                                        "Meters": {"Meter": [{"MeterId": "M-T", "Number": "77",
                                                              "Zones": 1, "Capacity": 5}]}}]})
    zeep_client.service.SaveHouse(RequestId="save", OrganizationId="ORG-1", House=other)
    start = page_text(signed_in.get("/readings/manual/").text)
    assert "Населенный пункт — выберите — Москва г. Тестовск г. Выбрать" in start
    step = page_text(signed_in.get("/readings/manual/?settlement=Тестовск г.").text)
    # One street, one house, one apartment, one meter: each is taken without asking.
    assert "Индивидуальный прибор учета № 77" in step
    assert "Адрес Тестовск г., Лесная ул., д. 5/1 стр.1, кв. 10" in step
    # A street of another settlement left from an earlier choice is dropped.
    mixed = page_text(signed_in.get(
        "/readings/manual/?settlement=Москва г.&street=Лесная ул.").text)
    assert "Квартира" in mixed and "Лесная" not in mixed
    closed = page_text(signed_in.get("/readings/manual/?kind=common_house&house=").text)
    assert "Дом — выберите — Москва г., Вавилова ул., д. 45 Тестовск г., Лесная ул., д. 5/1 " \
           "стр.1 Выбрать" in closed


def test_a_manual_reading_and_a_file_replace_each_other(core, signed_in):
    post_reading(signed_in, meter_id(core, "00215090"), t1="1100")
    upload = upload_filled(signed_in, core,
                           {"00215090": {"t1": 1120, "date": dt.date(2026, 3, 19)}})
    signed_in.post(f"/readings/send/{upload}", data={
        "csrf_token": csrf_token(signed_in.get("/readings/file").text), "answer": "yes"})
    manual, file = readings_of(core, "00215090")
    assert (manual.is_current, file.is_current, file.replaces_id) == (False, True, manual.id)
    assert "Всего: 0" in page_text(signed_in.get("/readings/manual/").text)


@pytest.mark.parametrize("method, path", [
    ("GET", "/readings/manual/"), ("GET", "/readings/manual/?kind=common_house"),
    ("POST", "/readings/manual/{meter}"), ("GET", "/readings/manual/delete?reading={reading}"),
    ("POST", "/readings/manual/delete/{reading}"), ("GET", "/readings/file"),
    ("POST", "/readings/template"), ("POST", "/readings/upload"),
    ("GET", "/readings/send/{upload}"), ("POST", "/readings/send/{upload}"),
])
def test_outside_the_period_every_readings_function_is_closed(core, signed_in, clock, method,
                                                                path):
    clock.set(dt.datetime(2026, 3, 26, 23, 50))  # the period's last minutes, Moscow
    log_in(signed_in)
    meter = meter_id(core, "00215090")
    post_reading(signed_in, meter, date="2026-03-26", t1="1100")
    [reading] = readings_of(core, "00215090")
    filled = {"00300001": {"t1": 2100, "date": dt.date(2026, 3, 26)}}
    upload = upload_filled(signed_in, core, filled)
    token = csrf_token(signed_in.get("/readings/file").text)
    clock.set(dt.datetime(2026, 3, 26, 23, 59, 59))
    assert signed_in.get("/readings/manual/").status_code == 200
    clock.set(dt.datetime(2026, 3, 27, 0, 0, 0))  # the period is over (session still alive)
    url = path.format(meter=meter, reading=reading.id, upload=upload)
    data = {"csrf_token": token, "answer": "yes", "reading_date": "2026-03-26", "t1": "1200",
            "house": str(house_id(core))}
    if path == "/readings/upload":
        data["file"] = (io.BytesIO(b"not read"), "f.xls")
    response = signed_in.open(url, method=method, data=data if method == "POST" else None)
    assert response.status_code == 403
    assert "Передача показаний возможна с 15 по 26 число" in page_text(response.text)
    assert [(r.id, r.is_current) for r in readings_of(core, "00215090")] == [(reading.id, True)]
    assert readings_of(core, "00300001") == []
    with core.uow() as uow:
        assert uow.session.get(Upload, upload).status == "checked"


def test_the_same_reading_twice_from_one_session_is_saved_once(core, signed_in):
    meter = meter_id(core, "00215090")
    first = post_reading(signed_in, meter, t1="1100")
    again = post_reading(signed_in, meter, t1="1100,0")  # a double click, a reloaded POST
    assert first.status_code == again.status_code == 302
    [reading] = readings_of(core, "00215090")
    assert len(export_readings(core, 0, 100).events) == 1
    confirm = signed_in.get(f"/readings/manual/delete?reading={reading.id}")
    done = signed_in.post(f"/readings/manual/delete/{reading.id}", data={
        "csrf_token": csrf_token(confirm.text), "answer": "yes"})
    assert flashed(signed_in.get(done.headers["Location"]).text) == ["Показание удалено"]
    assert current_of(core, "00215090") == []


def test_the_card_says_what_was_already_sent_and_the_message_that_it_was_replaced(
        core, signed_in):
    meter = meter_id(core, "066823")
    post_reading(signed_in, meter, date="2026-03-19", t1="600", t2="350,5")
    card = page_text(signed_in.get(f"/readings/manual/?house={house_id(core)}&apartment=2").text)
    assert ("В этом периоде уже переданы показания от 19.03.2026 (вручную): Т1 600; Т2 350,5. "
            "Новые показания заменят их.") in card
    second = post_reading(signed_in, meter, t1="610", t2="360")
    assert ("Показания по счетчику № 066823 успешно отправлены. Они заменили показания, "
            "переданные ранее в этом периоде") in page_text(
                signed_in.get(second.headers["Location"]).text)


def test_a_rollover_is_accepted_with_its_note_in_the_message(core, signed_in, zeep_client):
    zeep_client.service.UpdateAccountedReadings(RequestId="acc", Readings={"MeterReading": [{
        "MeterId": "ORG-1-M-A", "ReadingDate": dt.date(2026, 3, 10), "Source": "Абонент",
        "T1": "999990"}]})
    response = post_reading(signed_in, meter_id(core, "00215090"), t1="12")
    assert ("Показания по счетчику № 00215090 успешно отправлены. Т1: переход счетчика через "
            "ноль (999990 → 12)") in page_text(signed_in.get(response.headers["Location"]).text)


def test_readings_of_meters_and_houses_no_longer_served_leave_the_list(core, signed_in,
                                                                      zeep_client, app):
    post_reading(signed_in, meter_id(core, "00215090"), t1="1100")
    post_reading(signed_in, meter_id(core, "00300001"), t1="2100")
    form = signed_in.get(f"/readings/manual/?house={house_id(core)}&apartment=3")
    third = meter_id(core, "00300001")
    zeep_client.service.RemoveMeter(RequestId="rm", MeterId="ORG-1-M-A")
    page = page_text(signed_in.get("/readings/manual/").text)
    assert "Всего: 1" in page and "00215090" not in page
    late = signed_in.post(f"/readings/manual/{third}", data={
        "csrf_token": csrf_token(form.text), "reading_date": TODAY, "t1": "2150"})
    assert late.status_code == 302
    # The form was opened before the billing removed the meter: the answer says so.
    zeep_client.service.RemoveMeter(RequestId="rm-2", MeterId="ORG-1-M-C")
    gone = signed_in.post(f"/readings/manual/{third}", data={
        "csrf_token": csrf_token(form.text), "reading_date": TODAY, "t1": "2200"})
    assert gone.status_code == 404 and "Счетчик не найден" in page_text(gone.text)


def test_a_house_passed_to_another_organization_takes_no_typed_reading_along(
        core, signed_in, zeep_client, app):
    post_reading(signed_in, meter_id(core, "00215090"), t1="1100")
    zeep_client.service.RegisterOrganization(RequestId="other", Organization=story_organization(
        org_id="ORG-2", email="other@uk-test.example", contract="Д-2"))
    house = story_organization()["Houses"]["House"][0]
    zeep_client.service.RemoveHouse(RequestId="rh", HouseId=house["HouseId"])
    zeep_client.service.SaveHouse(RequestId="move", OrganizationId="ORG-2", House=house)
    activate(core, PASSWORD, "other@uk-test.example")
    newcomer = app.test_client()
    log_in(newcomer, "other@uk-test.example")
    assert "Всего: 0" in page_text(newcomer.get("/readings/manual/").text)


def test_crafted_values_and_ids_are_refused_without_an_error_page(core, signed_in):
    meter = meter_id(core, "00215090")
    huge = post_reading(signed_in, meter, t1="1" * 5000)
    assert huge.status_code == 422
    assert "Т1: больше 6 разрядов до запятой (разрядность счетчика)" in page_text(huge.text)
    for path in (f"/readings/manual/?house={'9' * 5000}", f"/readings/manual/?meter={'1' * 20}",
                 "/readings/manual/delete?reading=" + "7" * 4500):
        assert signed_in.get(path).status_code == 404, path
    not_allowed = signed_in.get(f"/readings/manual/delete/{meter}")
    assert not_allowed.status_code == 405 and not_allowed.headers["Allow"] == "OPTIONS, POST"
    assert readings_of(core, "00215090") == []


def test_the_delete_button_is_offered_only_with_something_to_delete(core, signed_in, app):
    post_reading(signed_in, meter_id(core, "00215090"), t1="1100")
    assert ">Удалить</button>" in signed_in.get("/readings/manual/").text
    other_browser = app.test_client()
    log_in(other_browser)
    assert ">Удалить</button>" not in other_browser.get("/readings/manual/").text


def test_outside_the_period_an_unknown_meter_also_gets_the_closed_page(core, signed_in, clock):
    token = csrf_token(signed_in.get("/readings/manual/").text)
    clock.set(dt.datetime(2026, 3, 20, 12, 5))
    with core.uow() as uow:
        from lkk_integration.readings.rules import save_rules

        save_rules(uow.session, period_start_day=21, period_end_day=26, common_house_start_day=21)
        uow.commit()
    response = signed_in.post("/readings/manual/999999", data={
        "csrf_token": token, "reading_date": TODAY, "t1": "1"})
    assert response.status_code == 403
    assert "Передача показаний возможна с 21 по 26 число" in page_text(response.text)


def test_a_reading_the_billing_accepted_can_no_longer_be_deleted(core, signed_in, zeep_client):
    post_reading(signed_in, meter_id(core, "00215090"), t1="1100")
    [reading] = readings_of(core, "00215090")
    zeep_client.service.RecordReadingVerdicts(RequestId="v", Verdicts={"ReadingVerdict": [
        {"ReadingId": reading.id, "Accepted": True}]})
    page = signed_in.get("/readings/manual/")
    assert "Всего: 1" in page_text(page.text) and 'name="reading"' not in page.text
    refused = signed_in.post(f"/readings/manual/delete/{reading.id}", data={
        "csrf_token": csrf_token(page.text), "answer": "yes"})
    assert refused.status_code == 404 and "еще не принятое биллингом" in page_text(refused.text)
    assert current_of(core, "00215090")[0].id == reading.id


def test_the_address_of_a_refused_reading_opened_again_shows_the_meter(core, signed_in):
    meter = meter_id(core, "066823")
    again = signed_in.get(f"/readings/manual/{meter}")
    assert again.status_code == 302
    assert "Индивидуальный прибор учета № 066823" in page_text(
        signed_in.get(again.headers["Location"]).text)
    assert signed_in.get("/readings/manual/999999").status_code == 404


def send(client, meter: int, then: str = "", **values):
    """Post a reading with «Отправить» (then="") or «Отправить и следующая квартира» ("next")."""
    token = csrf_token(client.get("/readings/manual/").text)
    return client.post(f"/readings/manual/{meter}", data={
        "csrf_token": token, "reading_date": TODAY, "then": then, **values})


def test_each_step_is_a_form_of_its_own_with_its_choose_button(core, signed_in, zeep_client):
    """No list submits itself (docs/spec.md §6): each step's form carries the earlier choices
    and has its own «Выбрать»; the script binds no change of a list to a submit."""
    house = story_organization()["Houses"]["House"][0]
    for number in ("10", "2"):
        other = dict(house, HouseId=f"H-{number}", HouseNumber=number, CommonHouseMeters=None,
                     Accounts={"Account": [{"Number": f"3000{number}", "Apartment": "1",
                                            "Meters": {"Meter": [{
                                                "MeterId": f"M-H{number}", "Number": f"H{number}",
                                                "Zones": 1, "Capacity": 6}]}}]})
        zeep_client.service.SaveHouse(RequestId=f"save-{number}", OrganizationId="ORG-1",
                                      House=other)
    html = signed_in.get("/readings/manual/?settlement=Москва г.&street=Вавилова ул.").text
    forms = re.findall(r'<form method="get"[^>]*class="step">(.*?)</form>', html, re.S)
    assert [re.findall(r'name="(\w+)"', form) for form in forms] == [
        ["kind", "settlement"], ["kind", "settlement", "street"],
        ["kind", "settlement", "street", "house"]]
    assert all(">Выбрать<" in form for form in forms)
    # House numbers in natural order: д. 2 before д. 10 and д. 45.
    assert page_text(forms[2]).endswith("Дом — выберите — 2 10 45 Выбрать дом")
    assert autofocused(html) == ["house"]
    script = (ROOT / "lkk_web" / "static" / "manual.js").read_text(encoding="utf-8")
    assert '"change"' not in script and "'change'" not in script


def test_the_apartment_is_typed_and_an_unknown_one_is_named(core, signed_in, zeep_client):
    house = story_organization()["Houses"]["House"][0]
    house["Accounts"]["Account"].append({
        "Number": "100012", "Apartment": "12А", "ConsumerName": "Буквин Олег",
        "Meters": {"Meter": [{"MeterId": "M-12A", "Number": "1212", "Zones": 1,
                              "Capacity": 6}]}})
    zeep_client.service.SaveHouse(RequestId="save", OrganizationId="ORG-1", House=house)
    base = f"/readings/manual/?house={house_id(core)}"
    # Letter case and spaces aside, as typed.
    typed = signed_in.get(base + "&apartment= 12 а").text
    assert "Индивидуальный прибор учета № 1212" in page_text(typed)
    assert 'id="apartment" name="apartment" list="apartments" value="12А"' in typed
    assert autofocused(typed) == ["t1"]
    assert apartments_offered(typed) == ["1", "2", "3", "4", "5", "12А"]
    unknown = signed_in.get(base + "&apartment=300").text
    assert ("Квартира: «300» нет среди квартир этого дома. Введите номер из списка"
            in page_text(unknown))
    assert autofocused(unknown) == ["apartment-error"]
    assert 'value="300" autocomplete="off" maxlength="40" size="8" aria-invalid="true" ' \
           'aria-describedby="apartment-error"' in unknown
    assert "meter-card" not in unknown


def test_a_send_returns_to_the_card_with_the_message_above_the_form_and_focused(core,
                                                                               signed_in):
    meter = meter_id(core, "066823")
    sent = send(signed_in, meter, t1="600", t2="350")
    assert sent.status_code == 302 and "#" not in sent.headers["Location"]
    html = signed_in.get(sent.headers["Location"]).text
    assert autofocused(html) == ["entry-message"]
    card = html[html.index('class="meter-card"'):html.index('id="submitted"')]
    assert ('<p class="flash success" role="status" id="entry-message" tabindex="-1" '
            'autofocus>Показания по счетчику № 066823 успешно отправлены</p>') in card
    assert card.index("entry-message") < card.index('<form method="post"')
    assert '<a class="skip" href="#t1">К показаниям</a>' in html


def test_send_and_next_apartment_walks_the_house_in_natural_order(core, signed_in,
                                                                  zeep_client):
    house = story_organization()["Houses"]["House"][0]
    house["Accounts"]["Account"] += [
        {"Number": "100099", "Apartment": "2", "ConsumerName": "Соседов Пётр",
         "Meters": {"Meter": [{"MeterId": "M-X", "Number": "0909", "Zones": 1, "Capacity": 6}]}},
        {"Number": "100010", "Apartment": "10", "ConsumerName": "Десятов Иван",
         "Meters": {"Meter": [{"MeterId": "M-10", "Number": "1010", "Zones": 1, "Capacity": 6}]}}]
    zeep_client.service.SaveHouse(RequestId="save", OrganizationId="ORG-1", House=house)

    def next_after(number: str, **values) -> str:
        sent = send(signed_in, meter_id(core, number), "next", **values)
        assert sent.status_code == 302
        return signed_in.get(sent.headers["Location"]).text

    # Apartment 2's other meter first, then apartment 3; T1 has the focus, the message is shown.
    html = next_after("066823", t1="600", t2="350")
    assert "Индивидуальный прибор учета № 0909" in page_text(html)
    assert autofocused(html) == ["t1"]
    assert "Показания по счетчику № 066823 успешно отправлены" in page_text(html)
    html = next_after("0909", t1="10")
    assert "Индивидуальный прибор учета № 00300001" in page_text(html)
    assert "кв. 3" in page_text(html)
    html = next_after("00300003", t1="110")  # 5, then 10 (not 10 before 2)
    assert "Индивидуальный прибор учета № 1010" in page_text(html)
    # After the house's last apartment: the message has the focus and says the house is done.
    html = next_after("1010", t1="5")
    assert "meter-card" not in html and autofocused(html) == ["entry-message"]
    assert flashed(html) == ["Показания по счетчику № 1010 успешно отправлены",
                             "Это была последняя квартира дома"]
    # A refusal stays on the meter, whichever button sent it.
    refused = send(signed_in, meter_id(core, "00300002"), "next", t1="1", t2="2", t3="3")
    assert refused.status_code == 422 and "Индивидуальный прибор учета № 00300002" in \
        page_text(refused.text)


def test_a_refusal_takes_the_focus_and_each_reason_leads_to_its_field(core, signed_in):
    refused = post_reading(signed_in, meter_id(core, "066823"), date="2026-03-21", t1="450",
                           t2="3O0")
    html = refused.text
    assert autofocused(html) == ["entry-errors"]
    assert re.findall(r'<li><a href="#([\w-]+)">([^<]*)</a></li>', html) == [
        ("reading-date", "Дата показания в будущем"), ("t2", "Т2: не число")]
    for field in ("t2", "reading-date"):
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true" '
                         r'aria-describedby="entry-errors"', html), field
    assert not re.search(r'id="t1"[^>]*aria-invalid', html)


def test_a_deletes_message_stands_beside_the_list_and_takes_the_focus(core, signed_in):
    post_reading(signed_in, meter_id(core, "00215090"), t1="1100")
    [reading] = readings_of(core, "00215090")
    confirm = signed_in.get(f"/readings/manual/delete?reading={reading.id}")
    done = signed_in.post(f"/readings/manual/delete/{reading.id}", data={
        "csrf_token": csrf_token(confirm.text), "answer": "yes"})
    html = signed_in.get(done.headers["Location"]).text
    listed = html[html.index('id="submitted"'):]
    assert 'id="list-message" tabindex="-1" autofocus>Показание удалено</p>' in listed
    assert autofocused(html) == ["list-message"]


def test_each_row_of_the_list_is_labelled_by_its_meter_and_apartment(core, signed_in):
    post_reading(signed_in, meter_id(core, "066823"), t1="600", t2="350")
    html = signed_in.get("/readings/manual/").text
    assert 'aria-label="Выбрать показание: счетчик 066823, кв. 2"' in html
    assert "<th></th>" not in html
