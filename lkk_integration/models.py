"""The data model of docs/spec.md's glossary (§19), as typed SQLAlchemy 2.x classes.

`schema.sql` is generated from these classes (`lkk schema-sql`) and is the DDL of record;
the schema changes by Alembic migration (alembic/versions).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer,
                        LargeBinary, SmallInteger, String, Text, UniqueConstraint, false,
                        text, true)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lkk_integration import messages as msg
from lkk_integration.db import Base, Kwh, UtcDateTime

# Channels a reading arrives by (docs/spec.md §19).
CHANNEL_MANUAL = "manual"
CHANNEL_FILE = "file"
CHANNEL_BILLING = "billing"
# The organization's own software through the JSON API (docs/spec.md §21.2).
CHANNEL_API = "api"

INDIVIDUAL = "individual"      # Индивидуальный ПУ (ИПУ)
COMMON_HOUSE = "common_house"  # Общедомовой ПУ (ОДПУ)
KINDS = (INDIVIDUAL, COMMON_HOUSE)

SOURCE_ORGANIZATION = msg.SOURCE_ORGANIZATION


class Organization(Base):
    """Обслуживающая организация: a legal entity serving houses."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The billing system's own identifier; every SOAP call names the organization by it.
    billing_id: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(500))
    short_name: Mapped[str] = mapped_column(String(200))
    org_type: Mapped[str] = mapped_column(String(100))
    inn: Mapped[str] = mapped_column(String(12))
    kpp: Mapped[str | None] = mapped_column(String(9))
    ogrn: Mapped[str | None] = mapped_column(String(15))
    contract_number: Mapped[str | None] = mapped_column(String(50), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    contact_person: Mapped["ContactPerson | None"] = relationship(back_populates="organization")
    houses: Mapped[list["House"]] = relationship(back_populates="organization",
                                                 order_by="House.id")


class ContactPerson(Base):
    """Контактное лицо: the one cabinet user of an organization."""

    __tablename__ = "contact_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), unique=True)
    full_name: Mapped[str] = mapped_column(String(300))
    mobile_phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str] = mapped_column(String(254))
    # Letter case is ignored for uniqueness and login (docs/spec.md §19).
    email_normalized: Mapped[str] = mapped_column(String(254), unique=True)
    # None until the account is activated through the e-mailed link.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # Whether the person is mailed the meters still without a reading before the period
    # closes (docs/spec.md §3.3).
    reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    organization: Mapped[Organization] = relationship(back_populates="contact_person")


class House(Base):
    """Обслуживаемый дом: an address served by an organization."""

    __tablename__ = "house"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    billing_id: Mapped[str] = mapped_column(String(64), unique=True)
    settlement: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(200))
    # House number with корп./стр. as people write it: «45 корп.2», «5/1 стр.1», «23А».
    house_number: Mapped[str] = mapped_column(String(50))
    # Set when the billing removes the house; its readings history stays.
    removed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    organization: Mapped[Organization] = relationship(back_populates="houses")
    accounts: Mapped[list["PersonalAccount"]] = relationship(back_populates="house",
                                                             order_by="PersonalAccount.id")
    meters: Mapped[list["Meter"]] = relationship(back_populates="house", order_by="Meter.id")

    @property
    def address(self) -> str:
        return msg.house_address(self.settlement, self.street, self.house_number)


class PersonalAccount(Base):
    """Лицевой счет: a consumer's account in one apartment."""

    __tablename__ = "personal_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id"), index=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    apartment: Mapped[str] = mapped_column(String(20))
    consumer_name: Mapped[str | None] = mapped_column(String(300))
    metering_type: Mapped[str | None] = mapped_column(String(100))
    removed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    house: Mapped[House] = relationship(back_populates="accounts")
    meters: Mapped[list["Meter"]] = relationship(back_populates="account", order_by="Meter.id")


class Meter(Base):
    """A meter: individual (of a personal account) or common-house (of a house)."""

    __tablename__ = "meter"
    __table_args__ = (
        CheckConstraint("zones BETWEEN 1 AND 3", name="zones"),
        CheckConstraint("capacity BETWEEN 1 AND 12", name="capacity"),
        CheckConstraint("kind IN ('individual', 'common_house')", name="kind"),
        CheckConstraint("(kind = 'individual') = (personal_account_id IS NOT NULL)",
                        name="account_of_individual"),
        Index("ix_meter_house_number", "house_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    billing_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id"))
    personal_account_id: Mapped[int | None] = mapped_column(ForeignKey("personal_account.id"),
                                                            index=True)
    # TEXT: leading zeros are significant («00215090»).
    number: Mapped[str] = mapped_column(String(50))
    zones: Mapped[int] = mapped_column(SmallInteger)
    # Разрядность: integer digits of the register.
    capacity: Mapped[int] = mapped_column(SmallInteger)
    transformation_ratio: Mapped[Decimal] = mapped_column(Kwh, default=Decimal(1))
    verification_due: Mapped[dt.date | None] = mapped_column(Date)
    last_accounted_reading_id: Mapped[int | None] = mapped_column(
        ForeignKey("reading.id", use_alter=True), nullable=True)
    # Set when the meter is replaced or removed; the readings history stays.
    archived_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Its typical consumption per zone, kWh per day after the transformation ratio, learnt from
    # the intervals between its accounted readings as they arrive (readings/plausibility.py,
    # docs/spec.md §13.10); None until it has one.
    typical_t1: Mapped[Decimal | None] = mapped_column(Kwh)
    typical_t2: Mapped[Decimal | None] = mapped_column(Kwh)
    typical_t3: Mapped[Decimal | None] = mapped_column(Kwh)
    # How many intervals the typical consumption was learnt from, and the date the last of
    # them ended: an interval ending no later teaches nothing (a resent history).
    typical_intervals: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    typical_until: Mapped[dt.date | None] = mapped_column(Date)

    house: Mapped[House] = relationship(back_populates="meters")
    account: Mapped[PersonalAccount | None] = relationship(back_populates="meters")
    last_accounted_reading: Mapped["Reading | None"] = relationship(
        foreign_keys=[last_accounted_reading_id], post_update=True)


class Reading(Base):
    """Показание: one reading of a meter, by any channel.

    Accounted readings from the billing have channel 'billing'. Among the submitted ones
    (manual, file) at most one per meter and period is current: a later one replaces it, the
    history stays.
    """

    __tablename__ = "reading"
    __table_args__ = (
        CheckConstraint("channel IN ('manual', 'file', 'billing', 'api')", name="channel"),
        CheckConstraint("billing_verdict IN ('accepted', 'declined')", name="billing_verdict"),
        Index("uq_reading_current", "meter_id", "period", unique=True,
              postgresql_where=text("is_current"), sqlite_where=text("is_current")),
        Index("ix_reading_meter_period", "meter_id", "period"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("meter.id"))
    reading_date: Mapped[dt.date] = mapped_column(Date)
    # First day of the month whose submission period the reading belongs to.
    period: Mapped[dt.date] = mapped_column(Date)
    t1: Mapped[Decimal | None] = mapped_column(Kwh)
    t2: Mapped[Decimal | None] = mapped_column(Kwh)
    t3: Mapped[Decimal | None] = mapped_column(Kwh)
    source: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(10))
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("contact_person.id"))
    submitted_by_client_id: Mapped[int | None] = mapped_column(ForeignKey("soap_client.id"))
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"), index=True)
    # The login session a manual reading was typed in; only that session may delete it.
    login_session_id: Mapped[str | None] = mapped_column(String(64))
    # The API token a reading of the api channel came with; only that token may delete it
    # (docs/spec.md §21.2).
    api_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_token.id"))
    replaces_id: Mapped[int | None] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), ForeignKey("reading.id"))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The billing's verdict on a submitted reading: 'accepted' or 'declined' with a reason.
    billing_verdict: Mapped[str | None] = mapped_column(String(10))
    billing_reason: Mapped[str | None] = mapped_column(String(500))
    verdict_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # A valid reading far from the meter's typical consumption, as the organization was told
    # («Проверьте: расход в 4,2 раза выше обычного для этого счетчика», docs/spec.md §13.10).
    check_note: Mapped[str | None] = mapped_column(String(200))
    # «Не снято»: the code of the reason the meter was not read this period, in place of
    # values (docs/spec.md §13.11); T1..T3 are NULL then.
    not_read_reason: Mapped[str | None] = mapped_column(String(20))

    meter: Mapped[Meter] = relationship(foreign_keys=[meter_id])

    @property
    def values(self) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        return (self.t1, self.t2, self.t3)


class NotReadReason(Base):
    """Причина непередачи показаний: why a meter was not read («Нет доступа»), the billing's
    list (docs/spec.md §13.11). A reason taken off the list is kept, not offered: readings
    name it."""

    __tablename__ = "not_read_reason"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The list's order, as the billing or the administrator gave it.
    position: Mapped[int] = mapped_column(Integer, default=0)
    # When the billing or an administrator last changed it; NULL: as installed.
    updated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


# The list a new installation starts with (docs/spec.md §13.11): (code, name).
DEFAULT_NOT_READ_REASONS = msg.DEFAULT_NOT_READ_REASONS


class ExportEvent(Base):
    """One entry of the readings export journal, read by the billing through a cursor.

    `seq` is handed out under a lock on `export_counter` held to commit, so sequence order is
    commit order and a cursor never passes over a reading that commits later.
    """

    __tablename__ = "export_event"
    __table_args__ = (
        CheckConstraint("kind IN ('submitted', 'deleted')", name="kind"),
    )

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                     primary_key=True, autoincrement=False)
    reading_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                            ForeignKey("reading.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ExportCounter(Base):
    """The single row whose lock orders export events (see ExportEvent)."""

    __tablename__ = "export_counter"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class Upload(Base):
    """An uploaded readings file and its buffer (буфер загрузки): 'checked' until sent or
    discarded. Sending deletes the sent rows (reading.upload_id names the file) and sets
    'sent' and sent_at; the wrong rows left stay the buffer while this is the organization's
    newest upload of the period (docs/spec.md §11.1)."""

    __tablename__ = "upload"
    __table_args__ = (
        CheckConstraint("status IN ('checked', 'sent', 'discarded')", name="status"),
        Index("ix_upload_organization_hash", "organization_id", "content_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("contact_person.id"))
    file_name: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(Integer)
    content_sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    period: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="checked")
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # What the intake left unread (sheets without the template's header, hidden sheets with
    # values), one line each, shown with the buffer.
    notes: Mapped[str | None] = mapped_column(Text)

    rows: Mapped[list["UploadRow"]] = relationship(
        back_populates="upload", order_by="UploadRow.id",
        primaryjoin="Upload.id == foreign(UploadRow.upload_id)")


class UploadRow(Base):
    """One checked row of an uploaded file: valid, or with the reasons it is not.

    Its upload, house and meter are named without declared foreign keys (docs/spec.md §18.9):
    the rows are written only by their upload's transaction, with the ids it has just read,
    and uploads, houses and meters are never deleted. A declared key costs a check per row
    (on PostgreSQL a trigger's query each: three quarters of a 65,535-row file's COPY)."""

    __tablename__ = "upload_row"
    __table_args__ = (
        CheckConstraint("kind IN ('individual', 'common_house')", name="kind"),
        Index("ix_upload_row_upload_house", "upload_id", "house_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    upload_id: Mapped[int] = mapped_column(Integer)
    sheet_name: Mapped[str] = mapped_column(String(31))
    row_number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    house_id: Mapped[int | None] = mapped_column(Integer)
    meter_id: Mapped[int | None] = mapped_column(Integer)
    address: Mapped[str | None] = mapped_column(String(500))
    apartment: Mapped[str | None] = mapped_column(String(20))
    account_number: Mapped[str | None] = mapped_column(String(30))
    meter_number: Mapped[str | None] = mapped_column(String(50))
    reading_date: Mapped[dt.date | None] = mapped_column(Date)
    # As typed, for showing back; the parsed values are t1..t3.
    raw_date: Mapped[str | None] = mapped_column(String(50))
    raw_t1: Mapped[str | None] = mapped_column(String(50))
    raw_t2: Mapped[str | None] = mapped_column(String(50))
    raw_t3: Mapped[str | None] = mapped_column(String(50))
    t1: Mapped[Decimal | None] = mapped_column(Kwh)
    t2: Mapped[Decimal | None] = mapped_column(Kwh)
    t3: Mapped[Decimal | None] = mapped_column(Kwh)
    is_valid: Mapped[bool] = mapped_column(Boolean)
    # A wrong row whose meter was simply not read: found, and no value given (docs/spec.md §10:
    # counted apart from the mistakes).
    unfilled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Reasons joined by '; ' (errors), or a remark on a valid row.
    note: Mapped[str | None] = mapped_column(Text)
    # A valid row's readings/fingerprint.py verdict_fingerprint: the meter's facts and the
    # rules it was checked against, so that the send checks again only rows whose facts
    # changed (docs/spec.md §11.1); NULL (a buffer from before it was kept): checked again.
    fingerprint: Mapped[str | None] = mapped_column(Text)
    # A valid row far from its meter's typical consumption (docs/spec.md §13.10): «требуют
    # проверки»; the reading sent from it keeps it.
    check_note: Mapped[str | None] = mapped_column(String(200))
    # A row that gives a reason the meter was not read instead of values (docs/spec.md
    # §13.11): as written, and on a valid row the reason's code.
    raw_not_read: Mapped[str | None] = mapped_column(String(100))
    not_read_reason: Mapped[str | None] = mapped_column(String(20))

    upload: Mapped[Upload] = relationship(
        back_populates="rows", primaryjoin="Upload.id == foreign(UploadRow.upload_id)")


class SoapClient(Base):
    """A billing system (or other caller) of the SOAP service, with its own secret."""

    __tablename__ = "soap_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # HMAC-SHA-256 of the secret under the installation key; the secret itself is never kept.
    secret_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Calls allowed per minute; past it the call is refused with Client.QuotaExceeded.
    requests_per_minute: Mapped[int] = mapped_column(Integer, default=600)


class SoapQuota(Base):
    """Calls of a client counted per minute, in the database so that every process agrees."""

    __tablename__ = "soap_quota"

    client_id: Mapped[int] = mapped_column(ForeignKey("soap_client.id"), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(UtcDateTime, primary_key=True)
    calls: Mapped[int] = mapped_column(Integer, default=0)


class SoapRequest(Base):
    """A write request already carried out, kept so that a retry returns the same answer."""

    __tablename__ = "soap_request"
    __table_args__ = (UniqueConstraint("client_id", "request_id", name="uq_soap_request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("soap_client.id"))
    request_id: Mapped[str] = mapped_column(String(100))
    operation: Mapped[str] = mapped_column(String(100))
    body_sha256: Mapped[str] = mapped_column(String(64))
    response_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class MailMessage(Base):
    """The mail outbox: a message is written with the change that causes it, sent later."""

    __tablename__ = "mail_message"
    __table_args__ = (Index("ix_mail_message_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class Reminder(Base):
    """A reminder of the meters without a reading (docs/spec.md §2.3): one per organization,
    period and number of days before the close, whatever the number of processes deciding it
    (the unique key); a mail only when a meter was missing."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("organization_id", "period", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    # The month the period's readings belong to (first day).
    period: Mapped[dt.date] = mapped_column(Date)
    days_before: Mapped[int] = mapped_column(Integer)
    decided_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    # What was missing then: houses, and meters of each kind.
    houses: Mapped[int] = mapped_column(Integer)
    individual: Mapped[int] = mapped_column(Integer)
    common_house: Mapped[int] = mapped_column(Integer)
    # The mail (none when every meter had its reading).
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mail_message.id"))


class ActionToken(Base):
    """A one-time link token (activation, password recovery, confirming a new e-mail), stored
    only as its SHA-256."""

    __tablename__ = "action_token"
    __table_args__ = (CheckConstraint("purpose IN ('activation', 'recovery', 'email_change')",
                                      name="purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("contact_person.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # For 'email_change': the address that becomes the login when the link is opened.
    new_email: Mapped[str | None] = mapped_column(String(254))


class SignInAttempt(Base):
    """A login or recovery attempt, counted for throttling by account and by client address."""

    __tablename__ = "sign_in_attempt"
    __table_args__ = (
        CheckConstraint("kind IN ('login', 'recovery')", name="kind"),
        Index("ix_sign_in_attempt_account", "kind", "account", "attempted_at"),
        Index("ix_sign_in_attempt_address", "kind", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    # The normalized e-mail typed, known or not.
    account: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    succeeded: Mapped[bool] = mapped_column(Boolean)


class LoginSession(Base):
    """A login session held on the server; the cookie carries only its random id."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the cookie's token; the stable id that survives cookie rotation is `public_id`.
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    public_id: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("contact_person.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class ApiToken(Base):
    """A contact person's named token for the organization's own software (docs/spec.md §21):
    only its keyed hash is kept; revoked, or with the organization deactivated, it opens
    nothing."""

    __tablename__ = "api_token"
    __table_args__ = (
        # One live token of a name per person, whatever the number of clicks at once (§3.4).
        Index("uq_api_token_live_name", "person_id", "name", unique=True,
              postgresql_where=text("revoked_at IS NULL"),
              sqlite_where=text("revoked_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("contact_person.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    # The token's first characters, to tell tokens apart in the list («lkk_Ab3x…»).
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class ApiQuota(Base):
    """Calls of an API token counted per minute, in the database so that every process agrees
    (docs/spec.md §21.1)."""

    __tablename__ = "api_quota"

    token_id: Mapped[int] = mapped_column(ForeignKey("api_token.id"), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(UtcDateTime, primary_key=True)
    calls: Mapped[int] = mapped_column(Integer, default=0)


class ApiRequest(Base):
    """A write through the JSON API that came with an Idempotency-Key, kept so that a retry
    returns the first answer (docs/spec.md §21.2), as SoapRequest is for the billing's."""

    __tablename__ = "api_request"
    __table_args__ = (UniqueConstraint("token_id", "request_id", name="uq_api_request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_token.id"))
    # The Idempotency-Key as sent.
    request_id: Mapped[str] = mapped_column(String(255))
    operation: Mapped[str] = mapped_column(String(100))
    body_sha256: Mapped[str] = mapped_column(String(64))
    response_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Setting(Base):
    """An operator setting (submission period days, check thresholds), shared by all processes."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


AUDIT_ACTORS = ("person", "client", "admin", "operator", "anonymous")


class AuditRecord(Base):
    """One entry of the append-only audit trail: who did what, when, to what (docs/spec.md §17).

    Never UPDATEd or DELETEd (on PostgreSQL a trigger refuses both). It never holds a password,
    a token or a secret: `details` carries ids, counts and names only.
    """

    __tablename__ = "audit_record"
    __table_args__ = (
        CheckConstraint("actor_kind IN ('person', 'client', 'admin', 'operator', 'anonymous')",
                        name="actor_kind"),
        Index("ix_audit_record_at", "at"),
        Index("ix_audit_record_organization_at", "organization_id", "at"),
        Index("ix_audit_record_meter_at", "meter_id", "at"),
        Index("ix_audit_record_person_at", "person_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor_kind: Mapped[str] = mapped_column(String(10))
    # The contact person's, client's or administrator's id, and a name to read: their e-mail or
    # the client's name; for a failed login, the e-mail as typed (normalized).
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    # What the action concerned, for searching; none is a foreign key, so the trail outlives
    # nothing and blocks nothing.
    organization_id: Mapped[int | None] = mapped_column(Integer)
    meter_id: Mapped[int | None] = mapped_column(Integer)
    person_id: Mapped[int | None] = mapped_column(Integer)
    object_id: Mapped[int | None] = mapped_column(BigInteger)
    address: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[str | None] = mapped_column(Text)


class Administrator(Base):
    """A content administrator of the retailer (docs/spec.md §12.1): own login, own pages."""

    __tablename__ = "administrator"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    email_normalized: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    password_changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class AdminSession(Base):
    """An administrator's login session; the cookie carries only its random token."""

    __tablename__ = "admin_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    admin_id: Mapped[int] = mapped_column(ForeignKey("administrator.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
