"""The integration service: one @rpc method per WSDL operation (names are the operations')."""
from __future__ import annotations

import logging
import uuid

import spyne
from spyne import Long, ServiceBase, Unicode
from spyne.model.fault import Fault

from lkk_integration import messages as msg
from lkk_integration.db import database_unavailable
from lkk_integration.errors import LkkError
from lkk_integration.organizations import billing, houses, payloads, registry
from lkk_integration.quantities import plain_decimal
from lkk_integration.readings import export, reasons
from lkk_integration.soap import types as t
from lkk_integration.soap.export_xml import ExportResultXml
from lkk_integration.soap.model_xml import ModelXml

log = logging.getLogger(__name__)


def _core(ctx):
    return ctx.transport.req_env["lkk.core"]


def _request_id(ctx) -> str:
    """The HTTP request's id (X-Request-Id, the access log's), for a fault's correlation code."""
    environ = getattr(ctx.transport, "req_env", None)
    if environ is None:
        return uuid.uuid4().hex[:16]
    return environ.setdefault("lkk.request_id", uuid.uuid4().hex[:16])


def rpc(*params, **kwargs):
    """spyne's @rpc declaring the one fault every operation has (types.LkkFault)."""
    return spyne.rpc(*params, _faults=[t.LkkFault], **kwargs)


def _fault(ctx, code: str, message: str, field: str | None = None,
           item: int | None = None) -> Fault:
    return Fault(faultcode=code, faultstring=message,
                 detail=t.fault_detail(code, _request_id(ctx), field, item))


def detail_every_fault(ctx) -> None:
    """(spyne's before_serialize event) A fault spyne makes itself, not through call_wrapper,
    gets its LkkFault detail too: the contract declares it on every fault."""
    fault = ctx.out_error
    if isinstance(fault, Fault) and fault.detail is None:
        fault.detail = t.fault_detail(fault.faultcode, _request_id(ctx))


def _client_id(ctx) -> int:
    return ctx.transport.req_env["lkk.client_id"]


def _as_sent(ctx, value, *path: str):
    """`value` when the request holds the element at `path` under the operation, empty or nil
    too; UNCHANGED when it left it out. spyne reads a left-out, an empty and a nil element
    alike as None, so the request document tells."""
    found = ctx.in_body_doc.find("/".join(f"{{{t.NS}}}{step}" for step in path))
    return payloads.UNCHANGED if found is None else value


def _meter_in(m: t.Meter) -> payloads.MeterData:
    return payloads.MeterData(
        billing_id=m.MeterId, number=m.Number, zones=m.Zones, capacity=m.Capacity,
        transformation_ratio=m.TransformationRatio, verification_due=m.VerificationDue,
        last_reading=_reading_in(m.LastReading))


def _organization_in(o: t.Organization) -> payloads.OrganizationData:
    p = o.ContactPerson
    return payloads.OrganizationData(
        billing_id=o.OrganizationId, full_name=o.FullName, short_name=o.ShortName,
        org_type=o.Type, inn=o.Inn, kpp=o.Kpp, ogrn=o.Ogrn, contract_number=o.ContractNumber,
        contact_person=payloads.ContactPersonData(p.FullName, p.Email, p.MobilePhone),
        houses=[_house_in(h) for h in o.Houses or []])


def _house_in(h: t.House) -> payloads.HouseData:
    return payloads.HouseData(
        billing_id=h.HouseId, settlement=h.Settlement, street=h.Street,
        house_number=h.HouseNumber,
        accounts=[payloads.AccountData(
            number=a.Number, apartment=a.Apartment, consumer_name=a.ConsumerName,
            metering_type=a.MeteringType, meters=[_meter_in(m) for m in a.Meters or []])
            for a in h.Accounts or []],
        common_house_meters=[_meter_in(m) for m in h.CommonHouseMeters or []])


def _reading_in(r: t.AccountedReading | None) -> payloads.AccountedReadingData | None:
    return None if r is None else payloads.AccountedReadingData(
        reading_date=r.ReadingDate, source=r.Source, t1=r.T1, t2=r.T2, t3=r.T3)


def _kwh(value):
    return None if value is None else plain_decimal(value)


def _meter_out(m: payloads.MeterData) -> t.Meter:
    r = m.last_reading
    return t.Meter(
        MeterId=m.billing_id, Number=m.number, Zones=m.zones, Capacity=m.capacity,
        TransformationRatio=_kwh(m.transformation_ratio), VerificationDue=m.verification_due,
        LastReading=None if r is None else t.AccountedReading(
            ReadingDate=r.reading_date, T1=_kwh(r.t1), T2=_kwh(r.t2), T3=_kwh(r.t3),
            Source=r.source))


def _organization_out(o: payloads.OrganizationData) -> t.Organization:
    p = o.contact_person
    return t.Organization(
        OrganizationId=o.billing_id, FullName=o.full_name, ShortName=o.short_name,
        Type=o.org_type, Inn=o.inn, Kpp=o.kpp, Ogrn=o.ogrn, ContractNumber=o.contract_number,
        IsActive=o.is_active,
        ContactPerson=t.ContactPerson(FullName=p.full_name, Email=p.email,
                                      MobilePhone=p.mobile_phone),
        Houses=[t.House(HouseId=h.billing_id, Settlement=h.settlement, Street=h.street,
                        HouseNumber=h.house_number,
                        Accounts=[t.Account(Number=a.number, Apartment=a.apartment,
                                            ConsumerName=a.consumer_name,
                                            MeteringType=a.metering_type,
                                            Meters=[_meter_out(m) for m in a.meters])
                                  for a in h.accounts],
                        CommonHouseMeters=[_meter_out(m) for m in h.common_house_meters])
                for h in o.houses])


class IntegrationService(ServiceBase):
    """Operations of the billing system → LKK OO integration (docs/spec.md §15)."""

    @classmethod
    def call_wrapper(cls, ctx, args=None):
        """Map the core's errors to Client.<code> faults, anything else to Server.InternalError
        with a correlation id that the log also carries (never a traceback)."""
        try:
            return super().call_wrapper(ctx, args)
        except LkkError as exc:
            log.info("SOAP %s refused: Client.%s %s", ctx.method_request_string, exc.code,
                     exc.field or "")
            raise _fault(ctx, f"Client.{exc.code}", exc.message, exc.field, exc.item) from None
        except Fault:
            raise
        except Exception as exc:
            correlation = _request_id(ctx)
            if not database_unavailable(exc):
                log.exception("SOAP operation %s failed, correlation id %s",
                              ctx.method_request_string, correlation)
                raise _fault(ctx, "Server.InternalError",
                             msg.soap_internal_error(correlation)) from None
            log.warning("SOAP %s: database unavailable, correlation id %s: %s",
                        ctx.method_request_string, correlation,
                        type(getattr(exc, "orig", exc)).__name__)
            # HTTP 503 with Retry-After, as the gateway answers when it cannot authenticate.
            ctx.transport.resp_code = "503 Service Unavailable"
            ctx.transport.resp_headers["Retry-After"] = "30"
            raise _fault(ctx, "Server.Unavailable",
                         msg.soap_unavailable(code=correlation)) from None

    @rpc(t.required(Unicode, max_len=100), t.required(t.Organization),
         _returns=t.RegisterOrganizationResult)
    def RegisterOrganization(ctx, RequestId, Organization):
        """Register an organization with its contact person and houses; e-mails the activation
        link. Repeating a RequestId with the same body returns the first answer."""
        answer = registry.register_organization(_core(ctx), _client_id(ctx), RequestId,
                                                     _organization_in(Organization))
        return t.RegisterOrganizationResult(OrganizationId=answer["organization_id"],
                                            Login=answer["login"],
                                            ActivationSent=answer["activation_sent"])

    @rpc(t.required(Unicode, max_len=64), _returns=t.Organization.customize(prot=ModelXml()))
    def GetOrganization(ctx, OrganizationId):
        """Read an organization back with its houses, accounts and meters."""
        # Written straight with lxml (model_xml.py): the billing's most frequent call.
        return _organization_out(registry.get_organization(_core(ctx), OrganizationId))

    @rpc(t.required(Long, ge=0), t.required(t.Integer, ge=1, le=export.MAX_PAGE),
         Unicode(max_len=64), t.Date, t.Date,
         _returns=t.ExportReadingsResult.customize(prot=ExportResultXml()))
    def ExportReadings(ctx, Cursor, Limit, OrganizationId, DateFrom, DateTo):
        """Submitted readings after Cursor, in order, at most Limit; pass NextCursor next time."""
        # The core's page as it is: ExportResultXml writes it as an ExportReadingsResult
        # straight with lxml (a page is a thousand readings; export_xml.py says why).
        return export.export_readings(_core(ctx), Cursor, Limit, OrganizationId, DateFrom,
                                      DateTo)

    @rpc(t.required(Long, ge=0), t.required(t.Integer, ge=1, le=export.MAX_PAGE),
         Unicode(max_len=64), t.Date, t.Date,
         _returns=t.ExportReadingsResult.customize(prot=ExportResultXml()))
    def ExportReadingsWithCheckNotes(ctx, Cursor, Limit, OrganizationId, DateFrom, DateTo):
        """ExportReadings whose readings carry their CheckNote (added later: a new operation,
        so that no earlier client's signature or answer changes)."""
        return export.export_readings(_core(ctx), Cursor, Limit, OrganizationId, DateFrom,
                                      DateTo, with_check_notes=True)

    @rpc(t.required(Long, ge=0), t.required(t.Integer, ge=1, le=export.MAX_PAGE),
         Unicode(max_len=64), t.Date, t.Date,
         _returns=t.ExportReadingsResult.customize(prot=ExportResultXml()))
    def ExportReadingsWithNotRead(ctx, Cursor, Limit, OrganizationId, DateFrom, DateTo):
        """ExportReadingsWithCheckNotes with the readings that give a reason instead of values
        as Event 'not_read' with NotReadReason (added later: a new operation, docs/spec.md
        §15.6)."""
        return export.export_readings(_core(ctx), Cursor, Limit, OrganizationId, DateFrom,
                                      DateTo, with_check_notes=True, with_not_read=True)

    @rpc(_returns=t.NotReadReasonsResult)
    def GetNotReadReasons(ctx):
        """The reasons a meter may be not read for: the offered ones in order, then those
        taken off the list (IsActive false)."""
        return t.NotReadReasonsResult(Reasons=[
            t.NotReadReasonState(Code=code, Name=name, IsActive=active)
            for code, name, active in reasons.reasons_in_force(_core(ctx))])

    @rpc(t.required(Unicode, max_len=100), t.required(t.Array(t.NotReadReason)),
         _returns=t.SetNotReadReasonsResult)
    def SetNotReadReasons(ctx, RequestId, Reasons):
        """Make the list given the reasons offered, in its order: a known Code takes the Name
        given, a new one is added, the others are kept but no longer offered."""
        answer = billing.set_reasons_by_billing(
            _core(ctx), _client_id(ctx), RequestId,
            [(r.Code, r.Name) for r in Reasons or []])
        return t.SetNotReadReasonsResult(RequestId=RequestId, Affected=answer["affected"],
                                         Retired=answer["retired"])

    @rpc(t.required(Unicode, max_len=100), t.required(Unicode, max_len=64), t.Requisites,
         t.ContactPerson, _returns=t.UpdateOrganizationResult)
    def UpdateOrganization(ctx, RequestId, OrganizationId, Requisites, ContactPerson):
        """Change requisites and the contact person: an element left out stays, an empty or
        nil one is cleared (Kpp, Ogrn, ContractNumber, MobilePhone; the others cannot be). A new
        e-mail is the new login at once: the person's sessions end and both addresses are
        told."""
        r = Requisites
        answer = registry.update_organization(
            _core(ctx), _client_id(ctx), RequestId, OrganizationId,
            None if r is None else payloads.RequisitesData(**{
                attr: _as_sent(ctx, getattr(r, name), "Requisites", name)
                for attr, name in (("full_name", "FullName"), ("short_name", "ShortName"),
                                   ("org_type", "Type"), ("inn", "Inn"), ("kpp", "Kpp"),
                                   ("ogrn", "Ogrn"), ("contract_number", "ContractNumber"))}),
            None if ContactPerson is None else payloads.ContactPersonData(
                ContactPerson.FullName, ContactPerson.Email,
                _as_sent(ctx, ContactPerson.MobilePhone, "ContactPerson", "MobilePhone")))
        return t.UpdateOrganizationResult(OrganizationId=answer["organization_id"],
                                          Login=answer["login"])

    @rpc(t.required(Unicode, max_len=100), t.required(Unicode, max_len=64),
         _returns=t.OperationResult)
    def DeactivateOrganization(ctx, RequestId, OrganizationId):
        """The organization's person can no longer log in; its data stays."""
        return t.OperationResult(RequestId=RequestId, Affected=registry.set_organization_active(
            _core(ctx), _client_id(ctx), RequestId, OrganizationId, False)["affected"])

    @rpc(t.required(Unicode, max_len=100), t.required(Unicode, max_len=64),
         _returns=t.OperationResult)
    def ReactivateOrganization(ctx, RequestId, OrganizationId):
        """Let a deactivated organization's person log in again."""
        return t.OperationResult(RequestId=RequestId, Affected=registry.set_organization_active(
            _core(ctx), _client_id(ctx), RequestId, OrganizationId, True)["affected"])

    @rpc(t.required(Unicode, max_len=100), t.required(Unicode, max_len=64),
         t.required(t.House), _returns=t.SaveHouseResult)
    def SaveHouse(ctx, RequestId, OrganizationId, House):
        """Add a served house, or edit it (by HouseId) with its accounts (by Number) and meters
        (by MeterId); accounts and meters not named stay as they are."""
        answer = houses.save_house(_core(ctx), _client_id(ctx), RequestId, OrganizationId,
                                   _house_in(House))
        return t.SaveHouseResult(HouseId=answer["house_id"], Accounts=answer["accounts"],
                                 Meters=answer["meters"])

    @rpc(t.required(Unicode, max_len=100), t.required(Unicode, max_len=64),
         _returns=t.OperationResult)
    def RemoveHouse(ctx, RequestId, HouseId):
        """Stop serving a house; its readings history stays."""
        return t.OperationResult(RequestId=RequestId, Affected=houses.remove_house(
            _core(ctx), _client_id(ctx), RequestId, HouseId)["affected"])

    @rpc(t.required(Unicode, max_len=100), t.required(Unicode, max_len=64),
         t.required(t.AccountedReading), t.required(t.Meter), _returns=t.OperationResult)
    def ReplaceMeter(ctx, RequestId, OldMeterId, FinalReading, NewMeter):
        """Archive a meter with its final reading; put NewMeter (with its initial reading as
        LastReading) in its place."""
        return t.OperationResult(RequestId=RequestId, Affected=houses.replace_meter(
            _core(ctx), _client_id(ctx), RequestId, OldMeterId, _reading_in(FinalReading),
            _meter_in(NewMeter))["affected"])

    @rpc(t.required(Unicode, max_len=100), t.required(Unicode, max_len=64),
         _returns=t.OperationResult)
    def RemoveMeter(ctx, RequestId, MeterId):
        """Take a single meter out of service; its readings history stays."""
        return t.OperationResult(RequestId=RequestId, Affected=houses.remove_meter(
            _core(ctx), _client_id(ctx), RequestId, MeterId)["affected"])

    @rpc(t.required(Unicode, max_len=100), t.required(t.Array(t.MeterReading)),
         _returns=t.OperationResult)
    def UpdateAccountedReadings(ctx, RequestId, Readings):
        """Set meters' last accounted readings (format, zone and capacity checks apply)."""
        return t.OperationResult(RequestId=RequestId, Affected=billing.update_accounted_readings(
            _core(ctx), _client_id(ctx), RequestId,
            [payloads.MeterReadingData(reading_date=r.ReadingDate, source=r.Source, t1=r.T1,
                                       t2=r.T2, t3=r.T3, meter_id=r.MeterId)
             for r in Readings or []])["affected"])

    @rpc(t.required(Unicode, max_len=100), t.required(t.Array(t.ReadingVerdict)),
         _returns=t.OperationResult)
    def RecordReadingVerdicts(ctx, RequestId, Verdicts):
        """Accept submitted readings, or decline them with a reason the organization sees."""
        return t.OperationResult(RequestId=RequestId, Affected=billing.record_verdicts(
            _core(ctx), _client_id(ctx), RequestId,
            [payloads.VerdictData(v.ReadingId, v.Accepted, v.Reason) for v in Verdicts or []]
        )["affected"])
