"""Process configuration, read from the environment (12-factor), with development defaults.

Variables (docs/operations.md, "Configuration"):
  LKK_DATABASE_URL     SQLAlchemy URL; default a SQLite file under LKK_VAR_DIR.
  LKK_VAR_DIR          folder for the development database, mail folder and secret; default ./var
  LKK_PUBLIC_URL       the address people and clients use; links in mail and the WSDL's
                       soap:address come from it, never from a request's Host header.
  LKK_SECRET_KEY       signs cookies and keys the SOAP client-secret hashes. Required in
                       production; development generates one under LKK_VAR_DIR.
  LKK_MAIL_MODE        'folder' (development: .eml files under LKK_VAR_DIR/mail) or 'smtp'.
  LKK_SMTP_HOST, LKK_SMTP_PORT, LKK_SMTP_STARTTLS, LKK_SMTP_USER, LKK_SMTP_PASSWORD, LKK_MAIL_FROM
  LKK_CONTACT_PHONE    the contact-center phone shown on every page.
  LKK_UPLOAD_MAX_BYTES bound on an uploaded spreadsheet (bytes).
  LKK_DATABASE_CONNECT_TIMEOUT_SECONDS, LKK_DATABASE_STATEMENT_TIMEOUT_SECONDS
                       PostgreSQL: bounds on connecting and on each statement (seconds).
  LKK_SIGN_IN_ATTEMPT_RETENTION_HOURS
                       how long login and recovery attempts are kept (hours, at least 24).
  LKK_DEADLINE_WARNING_HOURS
                       how long before the period's close every cabinet page warns of a
                       checked file not yet sent (hours; 0: never; default 3; docs/spec.md §11).
  LKK_CLOCK_START      an ISO 8601 instant the process's clock starts at (then runs at the real
                       pace): load rehearsals and fault drills only, never production.
  LKK_REMINDER_DAYS    the days before the period's close a contact person is reminded of the
                       meters without a reading: «3,1» (default), or «none» (docs/spec.md §2.3).
  LKK_LOG_LEVEL        the `lkk` loggers' level (log_level): DEBUG, INFO, WARNING, ERROR or
                       CRITICAL, in any case; default INFO.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lkk_integration.db import CONNECT_TIMEOUT, STATEMENT_TIMEOUT

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Throttling looks back 24 hours at most (signin/throttle.py, ATTEMPTS_MEMORY): attempts kept
# for less would let an attacker's failures be forgotten early.
SIGN_IN_ATTEMPT_RETENTION_MIN_HOURS = 24


@dataclass(frozen=True)
class MailConfig:
    mode: str = "folder"
    folder: Path = Path("var/mail")
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_user: str | None = None
    smtp_password: str | None = None
    sender: str = "lkk-oo@example.org"


@dataclass(frozen=True)
class PasswordHashing:
    """argon2id cost. Defaults follow OWASP's cheat sheet (m=19 MiB, t=2, p=1)."""

    time_cost: int = 2
    memory_cost_kib: int = 19 * 1024
    parallelism: int = 1


@dataclass(frozen=True)
class Config:
    database_url: str
    public_url: str = "http://127.0.0.1:8000"
    secret_key: str = field(default="", repr=False)
    mail: MailConfig = MailConfig()
    password_hashing: PasswordHashing = PasswordHashing()
    contact_phone: str = "8 800 000-00-00"
    # Proxies in front that set X-Forwarded-For/-Proto (a TLS proxy: 1). Throttling by client
    # address needs the real address; 0 trusts no header.
    trusted_proxies: int = 0
    # The retailer's virtual reception, for people who lost their mailbox (docs/spec.md §4).
    virtual_reception_url: str = "https://retailer.example/reception"
    upload_max_bytes: int = 20 * 1024 * 1024
    # Bounds checked before and while a spreadsheet is parsed (hostile files, docs/spec.md §14.3):
    # rows with any value, visible and hidden sheets, and an .xlsx's decompressed size (bytes).
    upload_max_rows: int = 70_000
    upload_max_sheets: int = 12
    upload_max_unzipped_bytes: int = 150 * 1024 * 1024
    # A SOAP request body larger than this is refused before parsing (bytes).
    soap_max_request_bytes: int = 10 * 1024 * 1024
    token_lifetime_hours: int = 60
    # Login sessions end after this long without a request, and this long after login
    # (OWASP ASVS v4.0.3 3.3.2 / 3.3.1).
    # 'manual' (8–20 Latin letters and digits, docs/spec.md §16.1) or 'asvs' (12–128 characters
    # of any kind, OWASP ASVS v4.0.3 2.1.1/2.1.2/2.1.9).
    password_policy: str = "manual"
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    # PostgreSQL: bounds on connecting and on each statement, seconds (lkk_integration/db.py
    # says why these defaults); None: no statement bound (migrations, run by an operator).
    database_connect_timeout: int = CONNECT_TIMEOUT
    database_statement_timeout: int | None = STATEMENT_TIMEOUT
    # Login and recovery attempts older than this are deleted
    # (signin/throttle.py, prune_sign_in_attempts).
    sign_in_attempt_retention_hours: int = SIGN_IN_ATTEMPT_RETENTION_MIN_HOURS
    # From this long before the period's close the cabinet warns of a checked file not yet
    # sent (hours; 0: never; docs/spec.md §11).
    deadline_warning_hours: int = 3
    # Days before the period's close when a contact person is mailed the meters still without
    # a reading (docs/spec.md §2.3; LKK_REMINDER_DAYS="3,1"; «none»: no reminders).
    reminder_days: tuple[int, ...] = (3, 1)
    # Calls a minute one API token may make (docs/spec.md §21.1; LKK_API_REQUESTS_PER_MINUTE).
    api_requests_per_minute: int = 120
    # Rehearsals only (LKK_CLOCK_START): where the process's clock starts; None is the real time.
    clock_start: dt.datetime | None = None
    # The real instant clock_start corresponds to (LKK_CLOCK_STARTED_AT, Unix seconds; set by
    # gunicorn.conf.py in the master, so that workers started later share its clock).
    clock_started_at: dt.datetime | None = None

    @property
    def soap_url(self) -> str:
        return self.public_url.rstrip("/") + "/soap"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Config":
        """Build from `env` (default os.environ); creates LKK_VAR_DIR for development defaults.

        Raises ValueError naming the variable when one is malformed (a number that is not one,
        an unknown mail mode or password policy, a public URL without http:// or https://, an
        unreadable LKK_CLOCK_START), and when LKK_PUBLIC_URL is https:// while LKK_SECRET_KEY is
        unset or shorter than 32 characters (every host needs the same strong key;
        docs/operations.md, "Secrets")."""
        env = dict(os.environ if env is None else env)
        var_dir = Path(env.get("LKK_VAR_DIR", "var")).resolve()
        database_url = env.get("LKK_DATABASE_URL") or f"sqlite:///{var_dir / 'lkk.sqlite3'}"
        public_url = env.get("LKK_PUBLIC_URL", "http://127.0.0.1:8000").strip()
        scheme, sep, rest = public_url.partition("://")
        if scheme.lower() not in ("http", "https") or not sep or not rest:
            raise ValueError(f"LKK_PUBLIC_URL must start with https:// (or http:// in "
                             f"development), not {public_url!r}")
        public_url = f"{scheme.lower()}://{rest}"
        given_key = env.get("LKK_SECRET_KEY", "").strip()
        if public_url.startswith("https://") and len(given_key) < 32:
            # A key generated per host would sign people out whenever the proxy picked another
            # host, and no host could check the others' SOAP client secrets.
            raise ValueError("LKK_SECRET_KEY of at least 32 characters is required when "
                             "LKK_PUBLIC_URL is https://…: every process on every host needs "
                             "the same key (docs/operations.md, \"Secrets\")")
        secret_key = given_key or _development_secret(var_dir)
        mail_mode = _choice(env, "LKK_MAIL_MODE", "folder", ("folder", "smtp"))
        mail = MailConfig(
            mode=mail_mode,
            folder=Path(env.get("LKK_MAIL_FOLDER", var_dir / "mail")),
            smtp_host=env.get("LKK_SMTP_HOST", "127.0.0.1"),
            smtp_port=whole_number(env, "LKK_SMTP_PORT", 25, 1),
            smtp_starttls=env.get("LKK_SMTP_STARTTLS", "0").strip().lower() in (
                "1", "true", "yes", "on"),
            smtp_user=env.get("LKK_SMTP_USER") or None,
            smtp_password=env.get("LKK_SMTP_PASSWORD") or None,
            sender=env.get("LKK_MAIL_FROM", "lkk-oo@example.org"),
        )
        try:
            clock_start = (dt.datetime.fromisoformat(env["LKK_CLOCK_START"].strip())
                           if env.get("LKK_CLOCK_START", "").strip() else None)
            clock_started_at = (dt.datetime.fromtimestamp(float(env["LKK_CLOCK_STARTED_AT"]),
                                                          dt.timezone.utc)
                                if env.get("LKK_CLOCK_STARTED_AT") else None)
        except ValueError:
            raise ValueError("LKK_CLOCK_START must be an ISO 8601 instant such as "
                             "2026-03-20T12:00:00+03:00") from None
        return cls(
            database_url=database_url,
            public_url=public_url,
            secret_key=secret_key,
            mail=mail,
            contact_phone=env.get("LKK_CONTACT_PHONE", "8 800 000-00-00"),
            virtual_reception_url=env.get("LKK_VIRTUAL_RECEPTION_URL",
                                          "https://retailer.example/reception"),
            upload_max_bytes=whole_number(env, "LKK_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, 1024),
            password_policy=_choice(env, "LKK_PASSWORD_POLICY", "manual", ("manual", "asvs")),
            trusted_proxies=whole_number(env, "LKK_TRUSTED_PROXIES", 0, 0),
            session_idle_minutes=whole_number(env, "LKK_SESSION_IDLE_MINUTES", 30, 1),
            session_absolute_hours=whole_number(env, "LKK_SESSION_ABSOLUTE_HOURS", 12, 1),
            # libpq takes a connect_timeout of 1 for 2.
            database_connect_timeout=whole_number(env, "LKK_DATABASE_CONNECT_TIMEOUT_SECONDS",
                                             CONNECT_TIMEOUT, 2),
            database_statement_timeout=whole_number(env, "LKK_DATABASE_STATEMENT_TIMEOUT_SECONDS",
                                               STATEMENT_TIMEOUT, 1),
            sign_in_attempt_retention_hours=whole_number(
                env, "LKK_SIGN_IN_ATTEMPT_RETENTION_HOURS", SIGN_IN_ATTEMPT_RETENTION_MIN_HOURS,
                SIGN_IN_ATTEMPT_RETENTION_MIN_HOURS),
            deadline_warning_hours=whole_number(env, "LKK_DEADLINE_WARNING_HOURS", 3, 0),
            reminder_days=_days(env, "LKK_REMINDER_DAYS", (3, 1)),
            api_requests_per_minute=whole_number(env, "LKK_API_REQUESTS_PER_MINUTE", 120, 1),
            clock_start=clock_start,
            clock_started_at=clock_started_at,
        )


def log_level(env: Mapping[str, str] | None = None) -> str:
    """The logging level LKK_LOG_LEVEL names, upper-cased («debug» → «DEBUG»), INFO when unset.

    `env` is the environment (os.environ by default). Raises ValueError naming the variable and
    the LOG_LEVELS for any other value. Read by the `lkk` command and gunicorn.conf.py, which set
    logging up before a Config exists.
    """
    env = os.environ if env is None else env
    level = env.get("LKK_LOG_LEVEL", "").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ValueError(f"LKK_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not "
                         f"{env['LKK_LOG_LEVEL']!r}")
    return level


def whole_number(env: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    """The whole number in env[name] (default when unset or empty), at least `minimum`, in ASCII
    digits (_whole); ValueError naming the variable otherwise. Also gunicorn.conf.py's."""
    text = env.get(name, "").strip()
    if not text:
        return default
    value = _whole(text)
    if value is None:
        raise ValueError(f"{name} must be a whole number, not {text!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    return value


def _whole(text: str) -> int | None:
    """The whole number `text` writes in ASCII digits with an optional minus («-2», «30»), or
    None: int() would also take «3_1» as 31, «+3», and other scripts' digits («٣», «３»), which
    no administrator means in a setting."""
    return int(text) if re.fullmatch(r"-?[0-9]+", text) else None


def _days(env: dict[str, str], name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    """The days in env[name], comma-separated whole numbers from 1 to 31 («3,1»), largest first
    and each once; `default` when unset, none when it is «none»; ValueError naming the
    variable otherwise."""
    text = env.get(name)
    if text is None or not text.strip():
        return default
    if text.strip().lower() == "none":
        return ()
    days = {_whole(part.strip()) for part in text.split(",")}
    if None in days:
        raise ValueError(f"{name} must be whole numbers of days separated by commas, such as "
                         f"3,1 (or none), not {text!r}")
    if not all(1 <= day <= 31 for day in days):
        raise ValueError(f"{name}: each number of days must be from 1 to 31, not {text!r}")
    return tuple(sorted(days, reverse=True))


def _choice(env: dict[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    """env[name] in lower case if it is one of `allowed` (default when unset); ValueError
    naming the variable and the allowed values otherwise."""
    value = env.get(name, "").strip().lower() or default
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {env[name]!r}")
    return value


def _development_secret(var_dir: Path) -> str:
    """A per-installation random key kept under var/, so a restart keeps sessions valid."""
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
