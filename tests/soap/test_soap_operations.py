"""Every operation of the integration service through zeep over HTTP, with its effect seen
where people and the billing see it."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lkk_integration.errors import AuthenticationFailed
from lkk_integration.models import LoginSession, MailMessage, Meter, Reading
from lkk_integration.signin.contact_persons import sign_in

from tests.support.cabinet import PASSWORD, activate
from tests.support.organizations import meter, story_organization
from tests.support.soap import fault_of, send_file_rows


@pytest.fixture
def registered(core, zeep_client):
    zeep_client.service.RegisterOrganization(RequestId="reg", Organization=story_organization())
    activate(core, PASSWORD)
    return zeep_client.service


def live_sessions(core) -> int:
    with core.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(LoginSession)
                                  .where(LoginSession.ended_at.is_(None)))


def test_update_organization_changes_requisites_and_moves_the_login(core, registered):
    answer = registered.UpdateOrganization(
        RequestId="u1", OrganizationId="ORG-1", Requisites={"ShortName": "ТСЖ «Новое»",
                                                             "Kpp": "770001099"},
        ContactPerson={"FullName": "Тестова Ирина Олеговна", "Email": "new@uk-test.example"})
    assert (answer.OrganizationId, answer.Login) == ("ORG-1", "new@uk-test.example")
    back = registered.GetOrganization(OrganizationId="ORG-1")
    assert (back.ShortName, back.Kpp, back.Inn) == ("ТСЖ «Новое»", "770001099", "7700000023")
    assert live_sessions(core) == 0  # the session of the activation ended
    with pytest.raises(AuthenticationFailed):
        sign_in(core, "contact@uk-test.example", PASSWORD)
    sign_in(core, "NEW@uk-test.example", PASSWORD)
    with core.uow() as uow:
        told = sorted(m.to_address for m in uow.session.scalars(
            select(MailMessage)
            .where(MailMessage.subject == "Изменен адрес входа в Личный кабинет")))
    assert told == ["contact@uk-test.example", "new@uk-test.example"]


def test_a_login_taken_by_another_organization_is_a_conflict(registered):
    registered.RegisterOrganization(RequestId="reg2", Organization=story_organization(
        org_id="ORG-2", email="second@uk-test.example", contract="Д-2"))
    fault = fault_of(registered.UpdateOrganization, RequestId="u", OrganizationId="ORG-1",
                     ContactPerson={"FullName": "Тестова И. О.", "Email": "Second@UK-test.example"})
    assert fault.code.endswith("Client.Conflict")


def test_deactivation_ends_sessions_and_refuses_login_until_reactivated(core, registered):
    assert registered.DeactivateOrganization(RequestId="d", OrganizationId="ORG-1").Affected == 1
    assert live_sessions(core) == 0
    with pytest.raises(AuthenticationFailed) as refused:
        sign_in(core, "contact@uk-test.example", PASSWORD)
    assert refused.value.message == "Учетная запись отключена. Обратитесь в контакт-центр."
    assert registered.GetOrganization(OrganizationId="ORG-1").IsActive is False
    assert registered.ReactivateOrganization(RequestId="r", OrganizationId="ORG-1").Affected == 1
    sign_in(core, "contact@uk-test.example", PASSWORD)


def test_save_house_adds_and_edits_by_keys(core, registered):
    new_house = {"HouseId": "ORG-1-H2", "Settlement": "Климовск г.", "Street": "Заводская ул.",
                 "HouseNumber": "10", "Accounts": {"Account": [
                     {"Number": "200001", "Apartment": "7",
                      "Meters": {"Meter": [meter("M-N1", "0000777", 1, ["10"])]}}]}}
    added = registered.SaveHouse(RequestId="h1", OrganizationId="ORG-1", House=new_house)
    assert (added.HouseId, added.Accounts, added.Meters) == ("ORG-1-H2", 1, 1)
    new_house["HouseNumber"] = "10 корп.2"
    new_house["Accounts"]["Account"][0]["Apartment"] = "8"
    new_house["Accounts"]["Account"][0]["Meters"]["Meter"].append(
        meter("M-N2", "0000778", 2, ["1", "2"]))
    registered.SaveHouse(RequestId="h2", OrganizationId="ORG-1", House=new_house)
    house = [h for h in registered.GetOrganization(OrganizationId="ORG-1").Houses.House
             if h.HouseId == "ORG-1-H2"][0]
    assert house.HouseNumber == "10 корп.2"
    account = house.Accounts.Account[0]
    assert account.Apartment == "8"
    assert [m.Number for m in account.Meters.Meter] == ["0000777", "0000778"]


def test_a_house_or_meter_of_another_place_is_a_conflict(registered):
    registered.RegisterOrganization(RequestId="reg2", Organization=story_organization(
        org_id="ORG-2", email="second@uk-test.example", contract="Д-2"))
    foreign = {"HouseId": "ORG-2-H1", "Settlement": "Москва г.", "Street": "Вавилова ул.",
               "HouseNumber": "45"}
    fault = fault_of(registered.SaveHouse, RequestId="h", OrganizationId="ORG-1", House=foreign)
    assert fault.code.endswith("Client.Conflict") and "ORG-2-H1" in fault.message
    moved = {"HouseId": "ORG-1-H9", "Settlement": "Москва г.", "Street": "Тестовая ул.",
             "HouseNumber": "1",
             "CommonHouseMeters": {"Meter": [meter("ORG-2-M-E", "1", 1, ["1"])]}}
    fault = fault_of(registered.SaveHouse, RequestId="h2", OrganizationId="ORG-1", House=moved)
    assert fault.code.endswith("Client.Conflict") and "ORG-2-M-E" in fault.message
    # Refused whole: the new house was not kept either.
    assert "ORG-1-H9" not in [h.HouseId for h in
                              registered.GetOrganization(OrganizationId="ORG-1").Houses.House]


def test_remove_house_hides_it_and_keeps_its_readings(core, registered, zeep_client):
    # The organization is already registered by the fixture.
    with core.uow() as uow:
        readings_before = uow.session.scalar(select(func.count()).select_from(Reading))
    assert registered.RemoveHouse(RequestId="rm", HouseId="ORG-1-H1").Affected == 1
    assert registered.RemoveHouse(RequestId="rm2", HouseId="ORG-1-H1").Affected == 0
    assert registered.GetOrganization(OrganizationId="ORG-1").Houses is None
    with core.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Reading)) == readings_before
    fault = fault_of(registered.RemoveHouse, RequestId="rm3", HouseId="NO-SUCH")
    assert fault.code.endswith("Client.NotFound")


def test_replace_meter_archives_the_old_with_its_final_reading(core, registered):
    answer = registered.ReplaceMeter(
        RequestId="rep", OldMeterId="ORG-1-M-A",
        FinalReading={"ReadingDate": dt.date(2026, 3, 10), "T1": "1090",
                      "Source": "Контрольный обход"},
        NewMeter=meter("M-A2", "00999001", 2, ["0", "0"]))
    assert answer.Affected == 2
    with core.uow() as uow:
        old = uow.session.scalars(select(Meter).where(Meter.billing_id == "ORG-1-M-A")).one()
        new = uow.session.scalars(select(Meter).where(Meter.billing_id == "M-A2")).one()
        assert old.archived_at is not None
        assert old.last_accounted_reading.t1 == Decimal(1090)
        assert new.personal_account_id == old.personal_account_id
        assert (new.number, new.zones, new.last_accounted_reading.t2) == ("00999001", 2, 0)
    account = [a for a in registered.GetOrganization(OrganizationId="ORG-1").Houses.House[0]
               .Accounts.Account if a.Apartment == "1"][0]
    assert [m.MeterId for m in account.Meters.Meter] == ["M-A2"]
    fault = fault_of(registered.ReplaceMeter, RequestId="rep2", OldMeterId="ORG-1-M-A",
                     FinalReading={"ReadingDate": dt.date(2026, 3, 10), "T1": "1", "Source": "x"},
                     NewMeter=meter("M-A3", "1", 1, ["0"]))
    assert fault.code.endswith("Client.Conflict")  # already replaced


def test_a_final_reading_with_a_zone_the_meter_lacks_is_refused(registered):
    fault = fault_of(registered.ReplaceMeter, RequestId="rep", OldMeterId="ORG-1-M-A",
                     FinalReading={"ReadingDate": dt.date(2026, 3, 10), "T1": "1", "T2": "2",
                                   "Source": "x"},
                     NewMeter=meter("M-A2", "1", 1, ["0"]))
    assert fault.code.endswith("Client.Validation")
    assert fault.message == "FinalReading: Лишние показания Т2: счетчик однотарифный"


def test_remove_meter_archives_it_once(core, registered):
    assert registered.RemoveMeter(RequestId="rm", MeterId="ORG-1-M-F").Affected == 1
    # A second removal changes nothing, like a second RemoveHouse.
    assert registered.RemoveMeter(RequestId="rm2", MeterId="ORG-1-M-F").Affected == 0
    fault = fault_of(registered.RemoveMeter, RequestId="rm3", MeterId="NO-SUCH")
    assert fault.code.endswith("Client.NotFound")
    with core.uow() as uow:
        assert uow.session.scalars(select(Meter).where(Meter.billing_id == "ORG-1-M-F")).one() \
            .archived_at is not None


def test_update_accounted_readings_is_all_or_nothing_and_names_the_item(core, registered):
    readings = [{"MeterId": "ORG-1-M-A", "ReadingDate": dt.date(2026, 3, 1), "T1": "1050",
                 "Source": "Расчетное"},
                {"MeterId": "ORG-1-M-B", "ReadingDate": dt.date(2026, 3, 1), "T1": "510",
                 "T2": "310", "Source": "Расчетное"}]
    assert registered.UpdateAccountedReadings(
        RequestId="a1", Readings={"MeterReading": readings}).Affected == 2
    last = {m.MeterId: m.LastReading for a in registered.GetOrganization(
        OrganizationId="ORG-1").Houses.House[0].Accounts.Account for m in a.Meters.Meter}
    assert (last["ORG-1-M-A"].T1, last["ORG-1-M-A"].Source) == (Decimal(1050), "Расчетное")
    bad = [dict(readings[0], T1="1100"), dict(readings[1], T3="5")]
    fault = fault_of(registered.UpdateAccountedReadings, RequestId="a2",
                     Readings={"MeterReading": bad})
    assert fault.message == "Readings[2]: Лишние показания Т3: счетчик двухтарифный"
    unknown = fault_of(registered.UpdateAccountedReadings, RequestId="a3",
                       Readings={"MeterReading": [dict(readings[0], MeterId="NOPE")]})
    assert unknown.code.endswith("Client.NotFound") and "NOPE" in unknown.message
    last = {m.MeterId: m.LastReading for a in registered.GetOrganization(
        OrganizationId="ORG-1").Houses.House[0].Accounts.Account for m in a.Meters.Meter}
    assert last["ORG-1-M-A"].T1 == Decimal(1050)  # the refused call changed nothing


def test_verdicts_are_recorded_and_a_decline_needs_a_reason(core, zeep_client):
    send_file_rows(core, zeep_client, {"00215090": {"t1": 1200}, "00300003": {"t1": 150}})
    service = zeep_client.service
    ids = [r.ReadingId for r in service.ExportReadings(Cursor=0, Limit=10).Readings.ExportedReading]
    fault = fault_of(service.RecordReadingVerdicts, RequestId="v0", Verdicts={"ReadingVerdict": [
        {"ReadingId": ids[0], "Accepted": False}]})
    assert fault.message == "Поле Verdicts[1].Reason: для отклоненного показания нужна причина"
    answer = service.RecordReadingVerdicts(RequestId="v1", Verdicts={"ReadingVerdict": [
        {"ReadingId": ids[0], "Accepted": True},
        {"ReadingId": ids[1], "Accepted": False, "Reason": "Показания меньше предыдущих"}]})
    assert answer.Affected == 2
    with core.uow() as uow:
        got = {r.id: (r.billing_verdict, r.billing_reason)
               for r in uow.session.scalars(select(Reading).where(Reading.id.in_(ids)))}
    assert got == {ids[0]: ("accepted", None),
                   ids[1]: ("declined", "Показания меньше предыдущих")}
    fault = fault_of(service.RecordReadingVerdicts, RequestId="v2", Verdicts={"ReadingVerdict": [
        {"ReadingId": 999999, "Accepted": True}]})
    assert fault.code.endswith("Client.NotFound")
