"""The audit trail (docs/spec.md §17): each audited action leaves exactly one record with the
right actor; the trail is append-only on PostgreSQL and never holds a password, token or secret."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from lkk_integration.models import AuditRecord, ContactPerson
from lkk_web.cli import main

from tests.support.cabinet import (
    EMAIL, PASSWORD, csrf_token, link_in, log_in, mails, meter_id, post_reading, readings_of, send,
    upload_filled)
from tests.support.parts import PG_URL, need


def trail(core) -> list[AuditRecord]:
    with core.uow() as uow:
        return list(uow.session.scalars(select(AuditRecord).order_by(AuditRecord.id)))


class Since:
    """The records an action added."""

    def __init__(self, core):
        self.core = core
        self.start = len(trail(core))

    def new(self) -> list[AuditRecord]:
        return trail(self.core)[self.start:]


def person(core) -> ContactPerson:
    with core.uow() as uow:
        return uow.session.scalars(select(ContactPerson).where(
            ContactPerson.email_normalized == EMAIL)).one()


def test_each_action_leaves_exactly_one_record_with_its_actor(core, signed_in, app,
                                                               zeep_client, soap_credentials):
    me = person(core)
    # The fixture registered the organization over SOAP and signed in.
    [registered] = [r for r in trail(core) if r.action == "soap_write"]
    assert (registered.actor_kind, registered.actor, registered.organization_id) == (
        "client", soap_credentials[0], me.organization_id)
    assert json.loads(registered.details)["operation"] == "RegisterOrganization"
    assert [(r.action, r.actor, r.person_id) for r in trail(core) if r.action == "login"] == [
        ("login", EMAIL, me.id)]

    steps = []

    def step(name, action, check):
        since = Since(core)
        action()
        added = since.new()
        assert len(added) == 1, (name, [(r.action, r.details) for r in added])
        [record] = added
        steps.append(name)
        assert check(record), (name, record.__dict__)

    stranger = app.test_client()
    step("failed login",
         lambda: log_in(stranger, "Contact@UK-test.example", "Wrong2026pass"),
         lambda r: (r.action, r.actor_kind, r.actor, r.person_id, r.address) == (
             "login_failed", "anonymous", EMAIL, me.id, "127.0.0.1"))
    step("unknown login", lambda: log_in(stranger, "nobody@example.org", "Wrong2026pass"),
         lambda r: (r.action, r.actor, r.person_id) == ("login_failed", "nobody@example.org",
                                                        None))
    meter = meter_id(core, "00215090")

    def check_reading(r):
        reading = readings_of(core, "00215090")[-1]
        return (r.action, r.actor_kind, r.actor_id, r.meter_id, r.object_id,
                r.organization_id) == ("reading_submitted", "person", me.id, meter, reading.id,
                                       me.organization_id)

    step("manual reading", lambda: post_reading(signed_in, meter, t1="1100"), check_reading)
    step("replacement", lambda: post_reading(signed_in, meter, t1="1110"),
         lambda r: json.loads(r.details)["replaced_reading_id"] == readings_of(
             core, "00215090")[0].id)

    def delete():
        reading = readings_of(core, "00215090")[-1]
        page = signed_in.get(f"/readings/manual/delete?reading={reading.id}")
        signed_in.post(f"/readings/manual/delete/{reading.id}",
                       data={"csrf_token": csrf_token(page.text), "answer": "yes"})

    step("delete", delete, lambda r: (r.action, r.actor_id, json.loads(r.details)) == (
        "reading_deleted", me.id, {"current_again_reading_id": readings_of(
            core, "00215090")[0].id}))
    upload = upload_filled(signed_in, core, {"00300001": {"t1": 2100, "date": dt.date(2026, 3,
                                                                                       19)}})
    step("send", lambda: send(signed_in, upload), lambda r: (
        r.action, r.object_id, json.loads(r.details)) == (
        "buffer_sent", upload, {"common_house": 0, "individual": 1}))
    removed = meter_id(core, "00300003")  # ORG-1-M-F
    step("soap write", lambda: zeep_client.service.RemoveMeter(RequestId="rm",
                                                               MeterId="ORG-1-M-F"),
         lambda r: (r.action, r.actor, r.organization_id, r.meter_id, json.loads(r.details)) == (
             "soap_write", soap_credentials[0], me.organization_id, removed,
             {"affected": 1, "operation": "RemoveMeter", "request_id": "rm"}))
    step("soap repeat is no new write",
         lambda: (zeep_client.service.RemoveMeter(RequestId="rm", MeterId="ORG-1-M-F"),
                  zeep_client.service.GetOrganization(OrganizationId="ORG-1"),
                  zeep_client.service.ReactivateOrganization(RequestId="on",
                                                             OrganizationId="ORG-1")),
         lambda r: json.loads(r.details)["operation"] == "ReactivateOrganization")

    def change_password():
        page = signed_in.get("/settings/")
        signed_in.post("/settings/password", data={
            "csrf_token": csrf_token(page.text), "current": PASSWORD,
            "new": "Newpass2026", "repeat": "Newpass2026"})

    step("password", change_password, lambda r: (r.action, r.actor_id) == (
        "password_changed", me.id))

    def change_email():
        page = signed_in.get("/settings/")
        signed_in.post("/settings/email", data={
            "csrf_token": csrf_token(page.text), "email": "new@uk-test.example",
            "password": "Newpass2026"})

    step("e-mail requested", change_email, lambda r: (r.action, json.loads(r.details)) == (
        "email_change_requested", {"new_email": "new@uk-test.example"}))
    def confirm():
        link = link_in(mails(core, "new@uk-test.example")[-1], "email")
        page = signed_in.get(link)  # a GET changes nothing; the page's button does
        signed_in.post(link, data={"csrf_token": csrf_token(page.text)})

    step("e-mail confirmed", confirm,
         lambda r: (r.action, r.actor, json.loads(r.details)) == (
             "email_changed", "new@uk-test.example",
             {"new_email": "new@uk-test.example", "old_email": EMAIL}))
    assert len(steps) == 11


def test_the_operator_changing_the_rules_is_recorded(tmp_path, monkeypatch, core):
    monkeypatch.setenv("LKK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("LKK_DATABASE_URL", core.config.database_url)
    since = Since(core)
    assert CliRunner().invoke(main, ["rules", "period_end_day=25"]).exit_code == 0
    [record] = since.new()
    assert (record.action, record.actor_kind, json.loads(record.details)) == (
        "rules_changed", "operator", {"period_end_day": "25"})
    assert record.actor.startswith("lkk CLI")
    CliRunner().invoke(main, ["rules"])  # reading is no change
    assert len(since.new()) == 1


def test_the_trail_holds_no_password_token_or_secret(core, signed_in, soap_credentials, app):
    activation = link_in(mails(core, EMAIL)[0], "password").rsplit("/", 1)[1]
    post_reading(signed_in, meter_id(core, "00215090"), t1="1100")
    log_in(app.test_client(), EMAIL, "Wrong2026pass")
    with core.uow() as uow:
        dump = "\n".join(str(row) for row in uow.session.execute(text(
            "SELECT * FROM audit_record")).all())
    assert len(trail(core)) >= 4
    for secret in (PASSWORD, "Wrong2026pass", activation, soap_credentials[1]):
        assert secret not in dump
    with pytest.raises(ValueError):
        from lkk_integration import audit

        with core.uow() as uow:
            audit.record(uow.session, core.clock, audit.Actor("operator", None, "x"), "x",
                         new_password="nope")


@pytest.mark.postgres
def test_on_postgresql_the_trail_refuses_update_and_delete(core, signed_in):
    need(bool(PG_URL), "PostgreSQL", "set LKK_TEST_DATABASE_URL")
    count = len(trail(core))
    assert count >= 2
    for statement in ("UPDATE audit_record SET actor = 'someone else'",
                      "DELETE FROM audit_record"):
        with pytest.raises(DBAPIError, match="append-only"):
            with core.engine.begin() as c:
                c.execute(text(statement))
    assert len(trail(core)) == count
    assert {r.actor for r in trail(core) if r.action == "login"} == {EMAIL}
