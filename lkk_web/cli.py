"""The `lkk` command: database, contract files, clients, demo and server."""
from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path

import click

from lkk_integration.config import Config, log_level
from lkk_integration.core import create_core

log = logging.getLogger("lkk")


def _operator_name() -> str:
    """Who runs the command, for the audit trail: the operating-system user."""
    import getpass

    try:
        return f"lkk CLI ({getpass.getuser()})"
    except (KeyError, OSError):
        return "lkk CLI"


@contextlib.contextmanager
def _disposing(core):
    """Close the command's database connections when it ends (a pool left to the garbage
    collector warns, and holds PostgreSQL connections open)."""
    try:
        yield core
    finally:
        core.engine.dispose()


def _config(env: dict[str, str] | None = None) -> Config:
    """The configuration from the environment; a malformed variable ends the command with its
    message, not a traceback."""
    try:
        return Config.from_env(env)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


def _closed_with_the_command(core):
    """Dispose the core's engine when the running command ends, whichever command it is
    (Python 3.13 warns of every SQLite connection left to the garbage collector)."""
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(core.engine.dispose)
    return core


def _core():
    return _closed_with_the_command(create_core(_config()))


def _schema_core():
    """The core of the schema commands, without a statement timeout: a migration may rightly
    rebuild a large table for minutes, and an operator watches it."""
    import dataclasses

    return _closed_with_the_command(
        create_core(dataclasses.replace(_config(), database_statement_timeout=None)))


@click.group()
def main() -> None:
    """LKK OO: the servicing organizations' cabinet and the billing's SOAP service."""
    try:
        level = log_level()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@main.command("init-db")
def init_db() -> None:
    """Create the tables on an empty database (LKK_DATABASE_URL)."""
    from lkk_integration.schema import create_schema

    core = _schema_core()
    create_schema(core.engine)
    click.echo(f"Database ready: {core.engine.url.render_as_string(hide_password=True)}")


@main.command("upgrade-db")
def upgrade_db() -> None:
    """Apply the pending Alembic migrations."""
    from lkk_integration.schema import upgrade_schema

    upgrade_schema(_schema_core().engine)
    click.echo("Database upgraded")


@main.command("schema-sql")
@click.option("--output", type=click.Path(path_type=Path), default=Path("schema.sql"),
              show_default=True)
def schema_sql(output: Path) -> None:
    """Regenerate schema.sql, the DDL of record, from the models."""
    from lkk_integration.schema import write_schema_sql

    write_schema_sql(output)
    click.echo(f"Written {output}")


@main.command("wsdl")
@click.option("--output", type=click.Path(path_type=Path), default=Path("wsdl/lkk.wsdl"),
              show_default=True)
@click.option("--url", default="http://127.0.0.1:8000/soap", show_default=True,
              help="soap:address written into the committed contract")
def wsdl(output: Path, url: str) -> None:
    """Regenerate the committed WSDL."""
    from lkk_integration.soap.app import build_wsdl

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(build_wsdl(url))
    click.echo(f"Written {output}")


@main.command("openapi")
@click.option("--output", type=click.Path(path_type=Path), default=Path("docs/openapi.json"),
              show_default=True)
def openapi(output: Path) -> None:
    """Regenerate the committed OpenAPI document of /api/v1 (docs/spec.md §21.3)."""
    from lkk_web.api import openapi_text

    output.write_text(openapi_text(), encoding="utf-8")
    click.echo(f"Written {output}")


def _client_call(call, *args):
    from lkk_integration.errors import LkkError

    try:
        return call(_core(), *args)
    except LkkError as exc:
        raise click.ClickException(exc.message) from exc


def _show_secret(name: str, secret: str) -> None:
    click.echo(f"Client: {name}\nSecret: {secret}\nKeep the secret: it is not stored and cannot "
               "be shown again.")


@main.command("create-admin")
@click.argument("email")
@click.password_option(help="the administrator's password (asked twice when not given)")
def create_admin_command(email: str, password: str) -> None:
    """Create a content administrator who signs in at /admin/login."""
    from lkk_integration.errors import LkkError
    from lkk_integration.signin.administrators import create_admin

    core = _core()
    with _disposing(core):
        try:
            create_admin(core, email, password, password)
        except LkkError as exc:
            raise click.ClickException(exc.message) from None
    click.echo(f"Administrator {email} created; sign in at {core.config.public_url}/admin/login")


@main.command("create-client")
@click.argument("name")
@click.option("--per-minute", default=600, show_default=True, help="call quota")
def create_client_command(name: str, per_minute: int) -> None:
    """Create a SOAP client; prints its secret once."""
    from lkk_integration.organizations.clients import create_client

    _client_id, secret = _client_call(create_client, name, per_minute)
    _show_secret(name, secret)


@main.command("rotate-client")
@click.argument("name")
def rotate_client_command(name: str) -> None:
    """Give a SOAP client a new secret; the old one stops working at once."""
    from lkk_integration.organizations.clients import rotate_client_secret

    _show_secret(name, _client_call(rotate_client_secret, name))


@main.command("revoke-client")
@click.argument("name")
def revoke_client_command(name: str) -> None:
    """Revoke a SOAP client: its calls get HTTP 401 from now on."""
    from lkk_integration.organizations.clients import revoke_client

    _client_call(revoke_client, name)
    click.echo(f"Client {name} revoked")


@main.command("set-client-quota")
@click.argument("name")
@click.argument("per_minute", type=int)
def set_client_quota_command(name: str, per_minute: int) -> None:
    """Set a SOAP client's quota of calls per minute."""
    from lkk_integration.organizations.clients import set_client_quota

    _client_call(set_client_quota, name, per_minute)
    click.echo(f"Client {name}: {per_minute} calls a minute")


@main.command("rules")
@click.argument("changes", nargs=-1, metavar="[NAME=VALUE]...")
def rules_command(changes: tuple[str, ...]) -> None:
    """Show the readings checks' settings and the submission period; NAME=VALUE changes one
    for every server process at once (e.g. period_end_day=25 kwh_per_day_individual=150)."""
    import dataclasses

    from lkk_integration import audit
    from lkk_integration.db import DATABASE_ERRORS
    from lkk_integration.errors import ValidationError
    from lkk_integration.readings.rules import update_rules

    parsed = {}
    for change in changes:
        name, sep, value = change.partition("=")
        if not sep:
            raise click.UsageError(f"expected NAME=VALUE, got {change!r}")
        parsed[name.strip()] = value
    from decimal import Decimal

    core = _core()
    with _disposing(core):
        try:
            rules, _changed = update_rules(
                core, audit.Actor("operator", None, _operator_name()), **parsed)
        except ValidationError as exc:
            raise click.ClickException(exc.message) from None
        except DATABASE_ERRORS:
            raise click.ClickException("No LKK OO schema in LKK_DATABASE_URL: run lkk init-db "
                                       "or lkk upgrade-db first") from None
    for name, value in dataclasses.asdict(rules).items():
        click.echo(f"{name}={format(value, 'f') if isinstance(value, Decimal) else value}")


@main.command("send-mail")
def send_mail() -> None:
    """Deliver the mail outbox once (for a timer; `serve` also delivers in the background)."""
    from lkk_integration.outbox import deliver_mail

    sent, failed = deliver_mail(_core())
    click.echo(f"sent {sent}, failed {failed}")


@main.command("send-reminders")
def send_reminders_command() -> None:
    """Mail the reminders of meters without a reading that are due (for a timer; `serve`
    also decides them in the background). Safe to run from several hosts at once."""
    from lkk_integration.readings.reminders import send_reminders

    core = _core()
    with _disposing(core):
        done = send_reminders(core)
    click.echo(str(done))


@main.command("prune-sign-in-attempts")
def prune_sign_in_attempts_command() -> None:
    """Delete the sign-in attempts throttling no longer needs (for a timer; `serve` also
    prunes in the background), older than LKK_SIGN_IN_ATTEMPT_RETENTION_HOURS."""
    from lkk_integration.signin.throttle import prune_sign_in_attempts

    core = _core()
    with _disposing(core):
        deleted = prune_sign_in_attempts(core)
    click.echo(f"deleted {deleted} sign-in attempts older than "
               f"{core.config.sign_in_attempt_retention_hours} h")


def background_thread(core):
    """The thread `serve` and `demo` run beside the server: it delivers the mail outbox every
    few seconds, decides the reminders due every few minutes and prunes the sign-in attempts
    hourly."""
    from lkk_integration.outbox import Chore, mail_sender
    from lkk_integration.readings.reminders import REMIND_EVERY, send_reminders
    from lkk_integration.signin.throttle import PRUNE_EVERY, prune_sign_in_attempts

    prune = Chore("prune-sign-in-attempts", PRUNE_EVERY,
                  lambda: f"{prune_sign_in_attempts(core)} deleted")
    remind = Chore("send-reminders", REMIND_EVERY, lambda: str(send_reminders(core)))
    return mail_sender(core, chores=[remind, prune])


def quiet_request_log() -> None:
    """Silence werkzeug's request lines: they print whole paths, link tokens and query strings
    included. The application's lkk.access logger writes each request without them."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def _serve(core, host: str, port: int) -> None:
    from werkzeug.serving import run_simple

    from lkk_web import create_app

    background_thread(core).start()
    quiet_request_log()
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C stops)")
    run_simple(host, port, create_app(core=core), threaded=True, use_reloader=False)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
def serve(host: str, port: int) -> None:
    """Serve the cabinet and /soap with the development server (production: gunicorn)."""
    _serve(_core(), host, port)


def _demo_core(host: str, port: int):
    """The demo's core: a fresh SQLite file var/demo.sqlite3 (LKK_VAR_DIR) unless
    LKK_DATABASE_URL names a database, with the schema created."""
    from lkk_integration.schema import create_schema

    env = dict(os.environ)
    var_dir = Path(env.get("LKK_VAR_DIR", "var")).resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    demo_db = var_dir / "demo.sqlite3"
    if "LKK_DATABASE_URL" not in env:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{demo_db}{suffix}").unlink(missing_ok=True)
        env["LKK_DATABASE_URL"] = f"sqlite:///{demo_db}"
    env.setdefault("LKK_PUBLIC_URL", f"http://{host}:{port}")
    core = create_core(_config(env))
    create_schema(core.engine)
    return core, var_dir


def _show_demo(core, creds: dict[str, str]) -> None:
    url = core.config.public_url
    click.echo(f"""
LKK OO demo
  Cabinet:      {url}/
  Login:        {creds['login']}
  Password:     {creds['password']}
  SOAP WSDL:    {url}/soap?wsdl
  SOAP client:  {creds['client']}
  SOAP secret:  {creds['secret']}
  Admin:        {url}/admin/login  {creds['admin']} / {creds['admin_password']}
  Mail folder:  {core.config.mail.folder}""")


def _serve_or_close(core, host: str, port: int, no_serve: bool) -> None:
    """Serve the demo, or with --no-serve close its database connections (an SQLite connection
    left to the garbage collector is a ResourceWarning on Python 3.13)."""
    if no_serve:
        core.engine.dispose()
    else:
        _serve(core, host, port)


@main.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--no-serve", is_flag=True, help="only create the demo database")
def demo(host: str, port: int, no_serve: bool) -> None:
    """Create a fresh demo database (SQLite under var/) and serve it."""
    from lkk_integration.organizations.demo import load_demo

    core, _var_dir = _demo_core(host, port)
    _show_demo(core, load_demo(core))
    click.echo("")
    sys.stdout.flush()
    _serve_or_close(core, host, port, no_serve)


@main.command("demo-large")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--no-serve", is_flag=True, help="only create the demo database")
@click.option("--no-file", is_flag=True, help="do not write the filled template")
def demo_large(host: str, port: int, no_serve: bool, no_file: bool) -> None:
    """The demo plus an organization of 20,224 meters in 79 houses (the period's last evening at
    full size), and var/large_readings.xlsx: its template with 19,000 rows filled, about 1,200
    of them wrong, the rest empty; then serve it."""
    import time

    from lkk_integration.clock import moscow_today
    from lkk_integration.organizations import bulk
    from lkk_integration.organizations.demo import load_demo

    core, var_dir = _demo_core(host, port)
    creds = load_demo(core)
    started = time.perf_counter()
    large = bulk.bulk_organization(core, bulk.LARGE_HOUSES * bulk.METERS_PER_HOUSE)
    meters = bulk.LARGE_HOUSES * bulk.METERS_PER_HOUSE
    click.echo(f"Large organization: {meters:,} meters in {len(large.house_ids)} houses "
               f"({time.perf_counter() - started:.0f} s)")
    written = None
    if not no_file:
        from lkk_integration.spreadsheets.sample import fill_template
        from lkk_integration.spreadsheets.template import build_xlsx, rows_for_template

        template = build_xlsx(rows_for_template(core, large.organization_id, large.house_ids))
        written = var_dir / "large_readings.xlsx"
        written.write_bytes(fill_template(template, bulk.typed_values(meters, 19_000),
                                          moscow_today(core.clock)))
    _show_demo(core, creds)
    click.echo(f"""  Large organization ({meters:,} meters in {len(large.house_ids)} houses):
    Login:      {bulk.LARGE_EMAIL}
    Password:   {bulk.LARGE_PASSWORD}""")
    if written:
        click.echo(f"    Filled file: {written} (19,000 rows filled, ~1,200 of them wrong, "
                   "the rest empty): sign in as the large organization and upload it at "
                   f"{core.config.public_url}/readings/file")
    click.echo("")
    sys.stdout.flush()
    _serve_or_close(core, host, port, no_serve)


if __name__ == "__main__":
    main()
