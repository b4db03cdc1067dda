"""Configuration from the environment: the shared secret production needs, and the rehearsal
clock (LKK_CLOCK_START) that load runs and fault drills start server processes with."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lkk_integration.clock import MOSCOW, FixedClock, OffsetClock, SystemClock
from lkk_integration.config import Config, whole_number
from lkk_integration.core import create_core


def test_an_https_deployment_without_a_shared_secret_key_refuses_to_start(tmp_path):
    env = {"LKK_VAR_DIR": str(tmp_path), "LKK_PUBLIC_URL": "https://lkk.example.org"}
    with pytest.raises(ValueError, match="LKK_SECRET_KEY of at least 32 characters is required"):
        Config.from_env(env)
    with pytest.raises(ValueError, match="LKK_SECRET_KEY of at least 32"):
        Config.from_env({**env, "LKK_SECRET_KEY": "short", "LKK_PUBLIC_URL": " HTTPS://x.org"})
    assert not (tmp_path / "secret_key").exists()
    assert Config.from_env({**env, "LKK_SECRET_KEY": "k" * 40}).secret_key == "k" * 40


@pytest.mark.parametrize("name, value, message", [
    ("LKK_PUBLIC_URL", "lkk.example.org", "LKK_PUBLIC_URL must start with https://"),
    ("LKK_MAIL_MODE", "smtps", "LKK_MAIL_MODE must be one of folder, smtp, not 'smtps'"),
    ("LKK_PASSWORD_POLICY", "strong", "LKK_PASSWORD_POLICY must be one of manual, asvs"),
    ("LKK_UPLOAD_MAX_BYTES", "20M", "LKK_UPLOAD_MAX_BYTES must be a whole number, not '20M'"),
    ("LKK_TRUSTED_PROXIES", "yes", "LKK_TRUSTED_PROXIES must be a whole number"),
    ("LKK_SESSION_IDLE_MINUTES", "-5", "LKK_SESSION_IDLE_MINUTES must be at least 1, not -5"),
    ("LKK_SMTP_PORT", "", None),
    ("LKK_CLOCK_START", "garbage", "LKK_CLOCK_START must be an ISO 8601 instant"),
    ("LKK_DEADLINE_WARNING_HOURS", "-1", "LKK_DEADLINE_WARNING_HOURS must be at least 0"),
])
def test_a_malformed_variable_is_refused_by_name(tmp_path, name, value, message):
    env = {"LKK_VAR_DIR": str(tmp_path), name: value}
    if message is None:
        assert Config.from_env(env).mail.smtp_port == 25  # empty: the default
        return
    with pytest.raises(ValueError) as refused:
        Config.from_env(env)
    assert str(refused.value).startswith(message)


def test_values_are_read_the_way_people_type_them(tmp_path):
    config = Config.from_env({"LKK_VAR_DIR": str(tmp_path), "LKK_MAIL_MODE": "SMTP",
                              "LKK_PASSWORD_POLICY": " ASVS ", "LKK_SMTP_STARTTLS": "On",
                              "LKK_PUBLIC_URL": " HTTP://lkk.test "})
    assert (config.mail.mode, config.password_policy, config.mail.smtp_starttls) == (
        "smtp", "asvs", True)
    assert config.public_url == "http://lkk.test"


def test_the_cli_names_a_malformed_variable_without_a_traceback(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from lkk_web.cli import main

    monkeypatch.setenv("LKK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("LKK_MAIL_MODE", "smtps")
    result = CliRunner().invoke(main, ["upgrade-db"])
    assert result.exit_code == 1 and "LKK_MAIL_MODE must be one of" in result.output
    assert "Traceback" not in result.output


def test_development_generates_one_key_and_keeps_it(tmp_path):
    env = {"LKK_VAR_DIR": str(tmp_path)}
    first = Config.from_env(env).secret_key
    assert len(first) >= 40 and Config.from_env(env).secret_key == first


def test_processes_given_the_same_start_share_one_rehearsal_clock(tmp_path):
    env = {"LKK_VAR_DIR": str(tmp_path), "LKK_CLOCK_START": "2026-03-20T12:00:00+03:00",
           "LKK_CLOCK_STARTED_AT": "1700000000"}
    config = Config.from_env(env)
    anchor = dt.datetime.fromtimestamp(1700000000, dt.timezone.utc)
    assert config.clock_started_at == anchor
    start = dt.datetime(2026, 3, 20, 12, 0, tzinfo=MOSCOW)
    # A worker started 90 s after the master reads the start plus those 90 s, as the master.
    late = FixedClock(anchor + dt.timedelta(seconds=90))
    worker = OffsetClock(config.clock_start, config.clock_started_at, real=late)
    assert worker.now() == start + dt.timedelta(seconds=90)


def test_the_rehearsal_clock_starts_where_told_and_runs_on(tmp_path):
    real = FixedClock(dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))
    start = dt.datetime(2026, 3, 20, 12, 0, tzinfo=MOSCOW)
    clock = OffsetClock(start, real=real)
    assert clock.now() == start
    real.advance(minutes=5)
    assert clock.now() == start + dt.timedelta(minutes=5)
    env = {"LKK_VAR_DIR": str(tmp_path), "LKK_DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
           "LKK_CLOCK_START": "2026-03-20T12:00:00+03:00"}
    core = create_core(Config.from_env(env))
    assert isinstance(core.clock, OffsetClock) and Config.from_env(env).clock_start == start
    core.engine.dispose()
    plain = create_core(Config.from_env({**env, "LKK_CLOCK_START": ""}))
    assert isinstance(plain.clock, SystemClock)
    plain.engine.dispose()


def test_the_warning_before_the_close_starts_3_hours_before_unless_configured(tmp_path):
    env = {"LKK_VAR_DIR": str(tmp_path)}
    assert Config.from_env(env).deadline_warning_hours == 3
    assert Config.from_env({**env, "LKK_DEADLINE_WARNING_HOURS": "6"}).deadline_warning_hours == 6
    assert Config.from_env({**env, "LKK_DEADLINE_WARNING_HOURS": "0"}).deadline_warning_hours == 0


@given(st.text(max_size=6))
def test_a_whole_number_is_ascii_digits_and_nothing_else(text):
    # int() would take «3_1» as 31, «+3», «٣» and «３»: none is a number an administrator types.
    env = {"LKK_SMTP_PORT": text}
    written = text.strip()
    if not written:
        assert whole_number(env, "LKK_SMTP_PORT", 25, 1) == 25
    elif re.fullmatch(r"[0-9]+", written) and int(written) >= 1:
        assert whole_number(env, "LKK_SMTP_PORT", 25, 1) == int(written)
    else:
        with pytest.raises(ValueError, match="LKK_SMTP_PORT must be"):
            whole_number(env, "LKK_SMTP_PORT", 25, 1)


@pytest.mark.parametrize("text", ["3_1", "+3", "٣", "３", "3,1_0", "0x3"])
def test_lenient_spellings_of_numbers_are_refused(tmp_path, text):
    for name in ("LKK_REMINDER_DAYS", "LKK_SESSION_IDLE_MINUTES"):
        with pytest.raises(ValueError, match=name):
            Config.from_env({"LKK_VAR_DIR": str(tmp_path), name: text})
