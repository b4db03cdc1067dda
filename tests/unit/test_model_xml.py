"""GetOrganization's answer written straight with lxml (soap/model_xml.py) is spyne's own answer:
the same envelope, byte for byte and in canonical form, for organizations with every optional
element present and absent, empty and missing lists, nil values and awkward texts; and a type
spyne would write otherwise is refused when its plan is made."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from lxml import etree
from spyne import Application, MethodContext, ServiceBase, Unicode, rpc
from spyne.protocol.soap import Soap11
from spyne.server import ServerBase

from lkk_integration.soap import model_xml
from lkk_integration.soap import types as t
from lkk_integration.soap.app import make_application


class SpyneAlone(ServiceBase):
    """The operation as spyne writes it by itself: the same signature and result type without
    the lxml writer."""

    @rpc(t.required(Unicode, max_len=64), _returns=t.Organization)
    def GetOrganization(ctx, OrganizationId):
        raise NotImplementedError  # only its answer is serialized here


def _spyne_alone() -> Application:
    # Another name: spyne keeps one application per (namespace, name) in its registry.
    return Application([SpyneAlone], tns=t.NS, name="SpyneAloneOrganization",
                       in_protocol=Soap11(validator=None), out_protocol=Soap11())


def _answer(application: Application, result) -> bytes:
    """The response document `application` writes for GetOrganization returning `result`."""
    ctx = MethodContext(ServerBase(application), MethodContext.SERVER)
    ctx.descriptor = application.interface.service_method_map[f"{{{t.NS}}}GetOrganization"][0]
    ctx.out_object = [result]
    application.out_protocol.serialize(ctx, application.out_protocol.RESPONSE)
    application.out_protocol.create_out_string(ctx)
    return b"".join(ctx.out_string)


def _reading(**changes) -> t.AccountedReading:
    values = dict(ReadingDate=dt.date(2026, 3, 18), T1=Decimal("1200.5"), T2=Decimal("350"),
                  T3=Decimal("0.0001"), Source="Обслуживающая организация")
    return t.AccountedReading(**{**values, **changes})


def _meter(meter_id: str, **changes) -> t.Meter:
    values = dict(MeterId=meter_id, Number="00215090", Zones=3, Capacity=6,
                  TransformationRatio=Decimal("40"), VerificationDue=dt.date(2030, 1, 31),
                  LastReading=_reading())
    return t.Meter(**{**values, **changes})


def _organization(**changes) -> t.Organization:
    """An organization with every element present; `changes` replaces some values."""
    values = dict(
        OrganizationId="ORG-1", FullName="Товарищество собственников жилья «Вавилова 45»",
        ShortName="ТСЖ «Вавилова 45»", Type="ТСЖ", Inn="7701234567", Kpp="770101001",
        Ogrn="1027700132195", ContractNumber="Д-17/2026", IsActive=True,
        ContactPerson=t.ContactPerson(FullName="Петрова А. В.", Email="contact@uk.example",
                                      MobilePhone="+79161234567"),
        Houses=[t.House(HouseId="H-1", Settlement="Москва г.", Street="Вавилова ул.",
                        HouseNumber="45",
                        Accounts=[t.Account(Number="0012345", Apartment="17",
                                            ConsumerName="Сидоров С. С.",
                                            MeteringType="Индивидуальный",
                                            Meters=[_meter("M-1"), _meter("M-2", Zones=1)])],
                        CommonHouseMeters=[_meter("M-ODPU")]),
                t.House(HouseId="H-2", Settlement="Тула г.", Street="Ленина пр.",
                        HouseNumber="1", Accounts=[], CommonHouseMeters=[])])
    return t.Organization(**{**values, **changes})


ORGANIZATIONS = {
    "every element": _organization(),
    "optional elements absent": _organization(
        Kpp=None, Ogrn=None, ContractNumber=None, IsActive=None, Houses=None,
        ContactPerson=t.ContactPerson(FullName="Петрова А. В.", Email="contact@uk.example")),
    "inactive, empty lists": _organization(IsActive=False, Houses=[t.House(
        HouseId="H-1", Settlement="Москва г.", Street="Вавилова ул.", HouseNumber="45",
        Accounts=[t.Account(Number="1", Apartment="2", Meters=[])], CommonHouseMeters=[])]),
    "a house's lists and a meter's optional elements absent": _organization(Houses=[
        t.House(HouseId="H-1", Settlement="Москва г.", Street="Вавилова ул.",
                HouseNumber="45", Accounts=[t.Account(Number="1", Apartment="2", Meters=[
                    _meter("M-1", TransformationRatio=None, VerificationDue=None,
                           LastReading=None),
                    _meter("M-2", LastReading=_reading(T2=None, T3=None))])])]),
    # Markup characters, a carriage return (lxml writes &#13;), the largest stored kWh and a
    # negative zero, the earliest date.
    "awkward values": _organization(
        FullName="«Б» & <В>,\r\n' \" \t", Houses=[t.House(
            HouseId="H-1", Settlement="&amp;", Street="]]>", HouseNumber="№ 5",
            CommonHouseMeters=[_meter("M-1", TransformationRatio=Decimal("-0"),
                                      VerificationDue=dt.date(1900, 1, 1), LastReading=_reading(
                                          T1=Decimal("99999999999999.9999"), T2=Decimal("0"),
                                          T3=Decimal("1E+3")))])]),
    # A required element without a value is xsi:nil, as spyne writes it; so is a missing item.
    "nil values": _organization(Inn=None, ContactPerson=None, Houses=[None, t.House(
        HouseId="H-1", Settlement=None, Street="Вавилова ул.", HouseNumber="45",
        Accounts=[None], CommonHouseMeters=[_meter("M-1", Number=None, LastReading=_reading(
            Source=None))])]),
    "no organization": None,
}


@pytest.mark.parametrize("organization", ORGANIZATIONS.values(), ids=ORGANIZATIONS.keys())
def test_the_lxml_answer_is_the_one_spyne_writes(organization):
    fast = _answer(make_application(), organization)
    alone = _answer(_spyne_alone(), organization)
    assert etree.tostring(etree.fromstring(fast), method="c14n") == \
        etree.tostring(etree.fromstring(alone), method="c14n")
    assert fast == alone


def test_the_answer_is_written_by_model_xml(monkeypatch):
    """The operation's result goes through the lxml writer, not spyne's generic walk."""
    written = []
    monkeypatch.setattr(model_xml, "_write_members",
                        lambda element, members, inst: written.append(inst))
    _answer(make_application(), ORGANIZATIONS["every element"])
    assert written == [ORGANIZATIONS["every element"]]


@pytest.mark.parametrize("field", [
    t.Unicode(sub_name="Other"), t.Unicode(default="x"), t.Kwh.customize(str_format="{0:e}"),
    t.Unicode(max_occurs=5), t.DateTime(timezone=False)])
def test_a_field_spyne_would_write_otherwise_stops_the_plan(field):
    class Odd(t.Base):
        _type_info = [("Value", field)]

    with pytest.raises(TypeError):
        model_xml.plan(Odd)
