"""Cabinet sign-in to OWASP ASVS's bar: throttling, sessions, password and e-mail changes,
recovery links, CSRF and headers (docs/spec.md §16, §3, §4)."""
from __future__ import annotations

import dataclasses
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select


from tests.support.cabinet import (
    EMAIL, PASSWORD, csrf_token, link_in, log_in, log_out, mails, page_text)
from tests.support.threads import together


def post_form(client, path, form_page, **data):
    return client.post(path, data={"csrf_token": csrf_token(client.get(form_page).text), **data},
                       follow_redirects=True)


class CountingVerify:
    """Counts argon2 verifications (the work an attacker could time)."""

    def __init__(self, passwords):
        self.real = passwords.verify
        self.calls = 0

    def __call__(self, stored, password):
        self.calls += 1
        return self.real(stored, password)


def test_unknown_and_wrong_get_the_same_answer_after_the_same_work(core, signed_in, client,
                                                                   monkeypatch):
    log_out(signed_in)
    counter = CountingVerify(core.passwords)
    monkeypatch.setattr(core.passwords, "verify", counter)
    wrong = log_in(client, EMAIL, "Wrong2026pass")
    unknown = log_in(client, "nobody@uk-test.example", "Wrong2026pass")
    assert wrong.status_code == unknown.status_code == 200
    assert page_text(wrong.text).count("Неверный логин или пароль") == 1
    assert page_text(unknown.text).count("Неверный логин или пароль") == 1
    assert counter.calls == 2


def test_failures_make_the_account_wait_longer_each_time_and_never_for_good(
        core, signed_in, client, clock, monkeypatch):
    log_out(signed_in)
    for _ in range(5):
        log_in(client, EMAIL, "Wrong2026pass")
    counter = CountingVerify(core.passwords)
    monkeypatch.setattr(core.passwords, "verify", counter)
    refused = log_in(client)  # even the right password waits
    assert "Слишком много попыток входа. Повторите через 1 мин." in page_text(refused.text)
    assert counter.calls == 0  # refused before any password work
    clock.advance(minutes=1, seconds=1)
    log_in(client, EMAIL, "Wrong2026pass")
    assert "Повторите через 2 мин." in page_text(log_in(client).text)
    for _ in range(10):  # many more failures: the wait stops growing at an hour
        clock.advance(hours=1, seconds=1)
        log_in(client, EMAIL, "Wrong2026pass")
    assert "Повторите через 60 мин." in page_text(log_in(client).text)
    clock.advance(hours=1, seconds=1)
    assert "Всего: 1" in page_text(log_in(client).text)


def test_one_address_trying_many_accounts_is_throttled(core, client):
    for n in range(20):
        log_in(client, f"guess{n}@uk-test.example", "Wrong2026pass")
    assert "Слишком много попыток входа" in page_text(
        log_in(client, "guess99@uk-test.example", "Wrong2026pass").text)


def test_a_password_typed_into_the_email_field_is_not_kept_but_still_counted(core, client):
    from lkk_integration.models import SignInAttempt

    for _ in range(5):
        log_in(client, "Sekret2026pass", "Wrong2026pass")
    assert "Слишком много попыток входа" in page_text(
        log_in(client, "Sekret2026pass", "Wrong2026pass").text)
    with core.uow() as uow:
        kept = set(uow.session.scalars(select(SignInAttempt.account)))
    assert len(kept) == 1 and next(iter(kept)).startswith("hmac:")
    assert not any("Sekret" in account for account in kept)


def test_a_new_cookie_at_login_and_old_cookies_die(core, signed_in, client, clock):
    first = signed_in.get_cookie("session").value
    log_out(signed_in)
    assert signed_in.get("/").status_code == 302
    log_in(signed_in)
    assert signed_in.get_cookie("session").value != first
    stolen = signed_in.get_cookie("session").value
    log_out(signed_in)
    client.set_cookie("session", stolen)
    assert client.get("/").status_code == 302  # ended on the server, not just forgotten


def test_idle_and_absolute_timeouts(core, signed_in, clock):
    clock.advance(minutes=29)
    assert signed_in.get("/").status_code == 200
    clock.advance(minutes=31)
    assert signed_in.get("/").status_code == 302
    log_in(signed_in)
    for _ in range(25):  # busy all day: still ends after 12 hours
        clock.advance(minutes=29)
        signed_in.get("/")
    assert signed_in.get("/").status_code == 302


@pytest.mark.parametrize("current, new, repeat, message", [
    ("", "Newpass2026", "Newpass2026", "Не заполнены обязательные поля!"),
    (PASSWORD, "short1", "short1",
     "Пароль не соответствует установленным ограничениям! Пароль должен содержать от 8 до 20 "
     "цифр (0-9) и/или букв латинского алфавита (A-Z)!"),
    (PASSWORD, "Пароль2026новый", "Пароль2026новый", "Пароль не соответствует установленным"),
    (PASSWORD, "Newpass2026", "Newpass2027", "Введённые пароли не совпадают!"),
    (PASSWORD, "password1", "password1", "Этот пароль слишком распространён, выберите другой"),
    ("Wrong2026pass", "Newpass2026", "Newpass2026", "Текущий пароль указан неверно"),
])
def test_password_change_refusals_say_the_manuals_words(signed_in, current, new, repeat,
                                                        message):
    response = post_form(signed_in, "/settings/password", "/settings/", current=current,
                         new=new, repeat=repeat)
    assert message in page_text(response.text)


def test_after_a_password_change_only_the_new_one_works_and_other_sessions_end(
        core, signed_in, app):
    other = app.test_client()
    log_in(other)
    response = post_form(signed_in, "/settings/password", "/settings/", current=PASSWORD,
                         new="Newpass2026", repeat="Newpass2026")
    assert "Пароль изменен" in page_text(response.text)
    assert signed_in.get("/").status_code == 200  # this session goes on
    assert other.get("/").status_code == 302      # the other one ended
    fresh = app.test_client()
    assert "Неверный логин или пароль" in page_text(log_in(fresh).text)
    assert "Всего: 1" in page_text(log_in(fresh, password="Newpass2026").text)


def test_an_asvs_policy_by_configuration(core, signed_in):
    core.config = dataclasses.replace(core.config, password_policy="asvs")
    short = post_form(signed_in, "/settings/password", "/settings/", current=PASSWORD,
                      new="Short2026", repeat="Short2026")
    assert "от 12 до 128 символов" in page_text(short.text)
    long = post_form(signed_in, "/settings/password", "/settings/", current=PASSWORD,
                     new="длинная фраза 2026!", repeat="длинная фраза 2026!")
    assert "Пароль изменен" in page_text(long.text)


def test_recovery_answers_alike_and_its_link_signs_in_once(core, signed_in, client, clock):
    log_out(signed_in)
    known = post_form(client, "/password/forgot", "/password/forgot", email=EMAIL.upper())
    unknown = post_form(client, "/password/forgot", "/password/forgot",
                        email="nobody@uk-test.example")
    assert page_text(known.text) == page_text(unknown.text)
    assert "в течение 60 часов" in page_text(known.text)
    assert mails(core, "nobody@uk-test.example") == []
    link = link_in(mails(core, EMAIL)[-1], "password")
    page = client.get(link)
    assert "Ввод нового пароля" in page.text
    done = client.post(link, data={"csrf_token": csrf_token(page.text), "password": "Fresh2026pw",
                                   "repeat": "Fresh2026pw"}, follow_redirects=True)
    assert "Всего: 1" in page_text(done.text)  # signed in, on the main page
    assert client.get(link).status_code == 410  # used once


def test_recovery_links_die_of_age_of_a_newer_link_and_of_a_password_change(core, signed_in,
                                                                           client, clock):
    log_out(signed_in)
    post_form(client, "/password/forgot", "/password/forgot", email=EMAIL)
    first = link_in(mails(core, EMAIL)[-1], "password")
    post_form(client, "/password/forgot", "/password/forgot", email=EMAIL)
    second = link_in(mails(core, EMAIL)[-1], "password")
    assert client.get(first).status_code == 410
    clock.advance(hours=59, minutes=59)
    assert client.get(second).status_code == 200
    clock.advance(minutes=2)
    assert client.get(second).status_code == 410
    post_form(client, "/password/forgot", "/password/forgot", email=EMAIL)
    third = link_in(mails(core, EMAIL)[-1], "password")
    log_in(signed_in)
    post_form(signed_in, "/settings/password", "/settings/", current=PASSWORD,
              new="Other2026pw", repeat="Other2026pw")
    assert client.get(third).status_code == 410


def test_recovery_requests_are_throttled(core, client):
    for _ in range(5):
        post_form(client, "/password/forgot", "/password/forgot", email=EMAIL)
    again = post_form(client, "/password/forgot", "/password/forgot", email=EMAIL)
    assert "Слишком много попыток входа. Повторите через 1 мин." in page_text(again.text)


def test_the_links_host_comes_from_configuration_not_the_request(core, signed_in, client):
    log_out(signed_in)
    page = client.get("/password/forgot")
    client.post("/password/forgot", data={"csrf_token": csrf_token(page.text), "email": EMAIL},
                headers={"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"})
    body = mails(core, EMAIL)[-1]
    assert "attacker.example" not in body
    assert core.config.public_url + "/password/" in body


def test_an_email_change_needs_the_password_and_takes_effect_when_confirmed(core, signed_in,
                                                                            app):
    wrong = post_form(signed_in, "/settings/email", "/settings/", email="new@uk-test.example",
                      password="Wrong2026pass")
    assert "Текущий пароль указан неверно" in page_text(wrong.text)
    asked = post_form(signed_in, "/settings/email", "/settings/", email="New@UK-test.example",
                      password=PASSWORD)
    assert "Адрес входа изменится, когда вы откроете ссылку" in page_text(asked.text)
    assert "Запрошена смена адреса входа" in mails(core, EMAIL)[-1]  # the old address is told
    link = link_in(mails(core, "New@UK-test.example")[-1], "email")
    visitor = app.test_client()
    page = visitor.get(link)
    assert "Всего: 1" in page_text(log_in(app.test_client()).text)  # a GET changed nothing
    visitor.post(link, data={"csrf_token": csrf_token(page.text)})
    assert signed_in.get("/").status_code == 302  # sessions ended
    assert "Неверный логин или пароль" in page_text(log_in(app.test_client()).text)
    assert "Всего: 1" in page_text(log_in(app.test_client(), "new@uk-test.example").text)
    assert visitor.get(link).status_code == 410


def test_an_email_taken_in_any_letter_case_is_refused(core, signed_in, zeep_client):
    from tests.support.organizations import story_organization

    zeep_client.service.RegisterOrganization(RequestId="two", Organization=story_organization(
        org_id="ORG-2", email="two@uk-test.example", contract="Д-2"))
    response = post_form(signed_in, "/settings/email", "/settings/",
                         email="TWO@uk-test.example", password=PASSWORD)
    assert "уже используется другой учетной записью" in page_text(response.text)


def test_two_racing_confirmations_of_one_address_leave_one_owner(core, signed_in,
                                                                 zeep_client, app):
    from lkk_integration.errors import Conflict
    from lkk_integration.models import ContactPerson
    from lkk_integration.signin.contact_persons import confirm_email_change, request_email_change

    from tests.support.cabinet import activate
    from tests.support.organizations import story_organization

    zeep_client.service.RegisterOrganization(RequestId="two", Organization=story_organization(
        org_id="ORG-2", email="two@uk-test.example", contract="Д-2"))
    activate(core, PASSWORD, "two@uk-test.example")
    with core.uow() as uow:
        ids = {p.email: p.id for p in uow.session.scalars(select(ContactPerson))}
    request_email_change(core, ids[EMAIL], "shared@uk-test.example", PASSWORD)
    first = link_in(mails(core, "shared@uk-test.example")[-1], "email").split("/")[-1]
    request_email_change(core, ids["two@uk-test.example"], "SHARED@uk-test.example", PASSWORD)
    second = link_in(mails(core, "SHARED@uk-test.example")[-1], "email").split("/")[-1]
    confirm_email_change(core, first)
    with pytest.raises(Conflict):
        confirm_email_change(core, second)
    with core.uow() as uow:
        owners = [p.email for p in uow.session.scalars(select(ContactPerson))
                  if p.email_normalized == "shared@uk-test.example"]
    assert owners == ["shared@uk-test.example"]


def test_a_form_without_its_csrf_token_changes_nothing(core, signed_in, app):
    response = signed_in.post("/settings/password", data={
        "current": PASSWORD, "new": "Newpass2026", "repeat": "Newpass2026"})
    # A signed-in person stays in the cabinet, with the message.
    assert response.headers["Location"] == "/"
    assert "Форма устарела" in page_text(signed_in.get("/").text)
    assert "Всего: 1" in page_text(log_in(app.test_client()).text)  # the old password works


def test_security_headers_and_cookie_flags(core, client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    login_post = client.post("/login", data={"csrf_token": csrf_token(response.text),
                                             "email": EMAIL, "password": "x"})
    cookie = login_post.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_password_is_rehashed_when_the_cost_changes(core, signed_in, app):
    from lkk_integration.config import PasswordHashing
    from lkk_integration.models import ContactPerson
    from lkk_integration.security import Passwords

    def stored():
        with core.uow() as uow:
            return uow.session.scalars(select(ContactPerson)).one().password_hash

    before = stored()
    assert "$argon2id$" in before and ",t=1," in before
    core.passwords = Passwords(PasswordHashing(time_cost=2, memory_cost_kib=16, parallelism=1))
    assert "Всего: 1" in page_text(log_in(app.test_client()).text)
    after = stored()
    assert after != before and ",t=2," in after
    assert "Всего: 1" in page_text(log_in(app.test_client()).text)  # the new hash works


def test_the_recovery_page_says_whom_to_ask_when_the_mailbox_is_lost(core, client):
    page = client.get("/password/forgot")
    assert "Нет доступа к почтовому ящику?" in page_text(page.text)
    assert f'href="{core.config.virtual_reception_url}"' in page.text


# --- found by an attacker's walk of the sign-in pages -------------------------------------

def test_racing_wrong_logins_get_no_more_password_checks_than_allowed(core, signed_in,
                                                                      monkeypatch):
    import threading

    from lkk_integration.signin.contact_persons import sign_in

    lock = threading.Lock()
    checks = []
    real = core.passwords.verify

    def counted(stored, password):
        with lock:
            checks.append(1)
        return real(stored, password)

    monkeypatch.setattr(core.passwords, "verify", counted)
    together(12 * [lambda: sign_in(core, EMAIL, "Wrong2026pass", "127.0.0.9")])
    assert len(checks) <= 5


def test_ones_own_success_does_not_reset_an_address_spraying_others(core, signed_in, client):
    log_out(signed_in)
    for n in range(19):
        log_in(client, f"victim{n}@uk-test.example", "Wrong2026pass")
    log_in(client)  # the attacker's own account
    log_out(client)
    refused = log_in(client, "victim99@uk-test.example", "Wrong2026pass")
    refused = log_in(client, "victim98@uk-test.example", "Wrong2026pass")
    assert "Слишком много попыток входа" in page_text(refused.text)


def test_guessing_the_current_password_in_settings_is_throttled(signed_in):
    for _ in range(5):
        post_form(signed_in, "/settings/password", "/settings/", current="Guess2026pw",
                  new="Newpass2026", repeat="Newpass2026")
    response = post_form(signed_in, "/settings/password", "/settings/", current=PASSWORD,
                         new="Newpass2026", repeat="Newpass2026")
    assert "Слишком много попыток входа. Повторите через 1 мин." in page_text(response.text)


@pytest.mark.parametrize("common", ["password123", "qwerty1234", "letmein1", "Welcome1"])
def test_common_passwords_from_real_leaks_are_refused(signed_in, common):
    response = post_form(signed_in, "/settings/password", "/settings/", current=PASSWORD,
                         new=common, repeat=common)
    assert "Этот пароль слишком распространён, выберите другой" in page_text(response.text)


def test_one_link_used_by_racing_requests_works_once(core, signed_in):
    from lkk_integration.errors import InvalidToken
    from lkk_integration.signin.contact_persons import request_recovery, set_password_by_token

    request_recovery(core, EMAIL)
    token = link_in(mails(core, EMAIL)[-1], "password").rsplit("/", 1)[1]
    results = together(8 * [lambda: set_password_by_token(core, token, "Race2026pw",
                                                            "Race2026pw")])
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(isinstance(r, InvalidToken) for r in results if isinstance(r, Exception))


@pytest.mark.parametrize("email", ["contact\x00@uk-test.example", "a" * 300 + "@uk-test.example"])
def test_odd_emails_are_answered_not_crashed_on(core, signed_in, client, email):
    log_out(signed_in)
    assert log_in(client, email, "Wrong2026pass").status_code == 200
    assert post_form(client, "/password/forgot", "/password/forgot",
                     email=email).status_code == 200


def test_a_too_long_new_email_is_refused(signed_in):
    response = post_form(signed_in, "/settings/email", "/settings/",
                         email="a" * 250 + "@uk-test.example", password=PASSWORD)
    assert "Неверный адрес электронной почты" in page_text(response.text)


def test_a_csrf_failure_never_redirects_where_the_referer_says(signed_in):
    response = signed_in.post("/settings/password", data={"current": "x"},
                              headers={"Referer": "http://127.0.0.1@evil.example/"})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "/login")


def test_a_recovery_request_does_not_cancel_a_pending_email_change(core, signed_in, client):
    post_form(signed_in, "/settings/email", "/settings/", email="new@uk-test.example",
              password=PASSWORD)
    link = link_in(mails(core, "new@uk-test.example")[-1], "email")
    post_form(client, "/password/forgot", "/password/forgot", email=EMAIL)
    assert client.get(link).status_code == 200
    client.post(link, data={"csrf_token": csrf_token(client.get(link).text)})
    assert "Адрес входа в Личный кабинет организации" in mails(core, EMAIL)[-1]
    assert "Теперь вы входите" in mails(core, "new@uk-test.example")[-1]


def test_ids_no_integer_column_can_hold_are_not_found(signed_in):
    assert signed_in.get("/readings/send/99999999999999999999").status_code == 404
    token = csrf_token(signed_in.get("/readings/file").text)
    assert signed_in.post("/readings/template", data={"csrf_token": token,
                                                      "house": "²"}).status_code == 404


def test_logging_in_as_someone_else_ends_the_session_this_browser_had(core, signed_in,
                                                                      zeep_client, app):
    from tests.support.cabinet import activate
    from tests.support.organizations import story_organization

    zeep_client.service.RegisterOrganization(RequestId="two", Organization=story_organization(
        org_id="ORG-2", email="two@uk-test.example", contract="Д-2"))
    activate(core, PASSWORD, "two@uk-test.example")
    old = signed_in.get_cookie("session").value
    page = signed_in.get("/")  # signed in: /login would redirect, so post the form directly
    signed_in.post("/login", data={"csrf_token": csrf_token(page.text),
                                   "email": "two@uk-test.example", "password": PASSWORD})
    stale = app.test_client()
    stale.set_cookie("session", old)
    assert stale.get("/").status_code == 302


def test_behind_a_trusted_proxy_each_client_is_counted_by_its_own_address(core, signed_in,
                                                                          app):
    from lkk_web import create_app

    core.config = dataclasses.replace(core.config, trusted_proxies=1)
    proxied = create_app(core=core)
    proxied.config["TESTING"] = True
    attacker, victim = proxied.test_client(), proxied.test_client()
    for n in range(21):
        page = attacker.get("/login")
        attacker.post("/login", data={"csrf_token": csrf_token(page.text),
                                      "email": f"x{n}@uk-test.example", "password": "Wrong1x"},
                      headers={"X-Forwarded-For": "127.0.0.66"})
    page = victim.get("/login")
    response = victim.post("/login", data={"csrf_token": csrf_token(page.text), "email": EMAIL,
                                           "password": PASSWORD},
                           headers={"X-Forwarded-For": "127.0.0.77"}, follow_redirects=True)
    assert "Всего: 1" in page_text(response.text)


def test_pages_with_a_token_in_their_url_are_not_cached(core, signed_in, client):
    log_out(signed_in)
    post_form(client, "/password/forgot", "/password/forgot", email=EMAIL)
    link = link_in(mails(core, EMAIL)[-1], "password")
    assert client.get(link).headers["Cache-Control"] == "no-store"


def test_the_login_returns_to_the_page_asked_for(core, signed_in, app):
    # A mailed link (the reminder's template) opened signed out leads there after the login.
    client = app.test_client()
    asked = client.get("/missing.xls")
    assert asked.status_code == 302
    assert asked.headers["Location"] == "/login?next=/missing.xls"
    form = client.get("/login?next=/missing.xls")
    assert '<input type="hidden" name="next" value="/missing.xls">' in form.text
    wrong = client.post("/login", data={"csrf_token": csrf_token(form.text), "email": EMAIL,
                                        "password": "Wrong2026pass", "next": "/missing.xls"})
    assert 'name="next" value="/missing.xls"' in wrong.text  # kept for the second try
    done = client.post("/login", data={"csrf_token": csrf_token(form.text), "email": EMAIL,
                                       "password": PASSWORD, "next": "/missing.xls"})
    assert (done.status_code, done.headers["Location"]) == (302, "/missing.xls")
    assert client.get("/missing.xls").mimetype == "application/vnd.ms-excel"
    # A query is kept; a form's POST is not replayed (the main page instead).
    log_out(client)
    asked = client.get("/readings/manual/?house=1&apartment=2").headers["Location"]
    assert asked == "/login?next=/readings/manual/?house%3D1%26apartment%3D2"
    form = client.get(asked)
    assert 'name="next" value="/readings/manual/?house=1&amp;apartment=2"' in form.text
    assert client.post("/settings/reminders").headers["Location"] == "/login"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="/\\:@.?#%a\t\n ", max_size=12))
def test_the_return_path_never_leads_to_another_host(target):
    from flask import Flask

    from lkk_web.auth import bp, return_path

    app = Flask(__name__)  # url_for("auth.login") needs the blueprint's routes
    app.register_blueprint(bp)
    with app.test_request_context():
        path = return_path(target)
    if path is None:
        return
    # What a browser does with a Location (WHATWG URL: tabs and newlines dropped, «\\» is «/»).
    seen = path.replace("\t", "").replace("\n", "").replace("\\", "/")
    assert urlsplit(urljoin("https://lkk.example/readings/", seen)).netloc == "lkk.example"
    assert path.startswith("/") and not path.startswith("/login")


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example", "https://evil.example/",
                                    "/\t/evil.example", "missing.xls", "/login?next=/x"])
def test_a_return_path_elsewhere_is_dropped_for_the_main_page(core, signed_in, app, target):
    client = app.test_client()
    form = client.get("/login", query_string={"next": target})
    assert 'name="next"' not in form.text
    done = client.post("/login", data={"csrf_token": csrf_token(form.text), "email": EMAIL,
                                       "password": PASSWORD, "next": target})
    assert done.headers["Location"] == "/"
