"""The cabinet as a contact person uses it through Flask's test client: sign in, type a reading,
upload a filled template, send a buffer; and what the tests read back (pages, mails, rows)."""
from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from lkk_integration.models import ContactPerson, MailMessage, Meter, Reading, Upload
from lkk_integration.signin.contact_persons import issue_token, set_password_by_token

from .spreadsheets import fill_template

# The story organization's contact person (organizations.story_organization) and the password
# the `signed_in` fixture gives them.
EMAIL = "contact@uk-test.example"
PASSWORD = "Kabinet2026x"
# The tests' today (the fixed clock), as the manual entry form sends it.
TODAY = "2026-03-20"


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def page_text(html: str) -> str:
    """The visible text of a page with tags removed and entities decoded, spaces folded."""
    import html as html_module

    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html_module.unescape(text)).strip()


def activate(core, password: str, email: str | None = None) -> None:
    """Set the password of a registered contact person (the only one, or the one with
    `email`) as if they had opened their activation link."""
    with core.uow() as uow:
        query = select(ContactPerson)
        if email:
            query = query.where(ContactPerson.email_normalized == email.lower())
        person = uow.session.scalars(query).one()
        token = issue_token(uow.session, core, person, "activation")
        uow.commit()
    set_password_by_token(core, token, password, password)


def log_in(client, email: str = EMAIL, password: str = PASSWORD):
    """Sign in through the login form; the page it leads to (redirects followed)."""
    form = client.get("/login")
    return client.post("/login", data={"csrf_token": csrf_token(form.text), "email": email,
                                       "password": password}, follow_redirects=True)


def log_out(client) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})


def mails(core, to: str) -> list[str]:
    """The bodies of the mails queued to `to`, oldest first."""
    with core.uow() as uow:
        return [m.body for m in uow.session.scalars(
            select(MailMessage).where(MailMessage.to_address == to).order_by(MailMessage.id))]


def link_in(body: str, kind: str) -> str:
    """The path of the `kind` link (activate, recover…) in a mail's body."""
    return "/" + re.search(rf"http://\S+/({kind}/\S+)", body).group(1)


def meter_id(core, number: str) -> int:
    with core.uow() as uow:
        return uow.session.scalar(select(Meter.id).where(Meter.number == number,
                                                         Meter.archived_at.is_(None)))


def house_id(core) -> int:
    """The id of the story organization's house."""
    with core.uow() as uow:
        return uow.session.scalar(select(Meter.house_id).where(Meter.number == "00215090"))


def post_reading(client, meter: int, date: str = TODAY, **values):
    """Type a reading into the manual entry form of `meter` (t1=…, t2=…, t3=…) and save it."""
    token = csrf_token(client.get("/readings/manual/").text)
    return client.post(f"/readings/manual/{meter}",
                       data={"csrf_token": token, "reading_date": date, **values})


def readings_of(core, number: str) -> list[Reading]:
    """The readings of meter `number` the cabinet took (not the billing's), oldest first."""
    with core.uow() as uow:
        return list(uow.session.scalars(select(Reading).join(Meter, Meter.id == Reading.meter_id)
                                        .where(Meter.number == number,
                                               Reading.channel != "billing")
                                        .order_by(Reading.id)))


def upload(client, data: bytes, name: str):
    """Upload a file through the file tab; the page it leads to (redirects followed)."""
    tab = client.get("/readings/file")
    return client.post("/readings/upload", data={"csrf_token": csrf_token(tab.text),
                                                 "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def upload_filled(client, core, fills: dict, **changes) -> int:
    """Download the template of the house, fill it (spreadsheets.fill_template's `changes`),
    upload it; the upload's id."""
    template = client.post("/readings/template", data={
        "csrf_token": csrf_token(client.get("/readings/file").text),
        "house": str(house_id(core))}).data
    client.post("/readings/upload", data={
        "csrf_token": csrf_token(client.get("/readings/file").text),
        "file": (io.BytesIO(fill_template(template, fills, **changes)), "filled.xls")})
    with core.uow() as uow:
        return uow.session.scalar(select(func.max(Upload.id)))


def send(client, upload_id: int):
    """Answer «yes» to sending the buffer `upload_id`; the page it leads to."""
    token = csrf_token(client.get("/readings/file").text)
    return client.post(f"/readings/send/{upload_id}", follow_redirects=True,
                       data={"csrf_token": token, "answer": "yes"})
