"""Configuration from the environment: the shared secret production needs, and the rehearsal
clock (LKK_CLOCK_START) that load runs and fault drills start server processes with."""
from __future__ import annotations

import datetime as dt

import pytest

from lkk_integration.clock import MOSCOW, OffsetClock, SystemClock
from lkk_integration.config import Config
from lkk_integration.core import create_core


def test_an_https_deployment_without_a_shared_secret_key_refuses_to_start(tmp_path):
    env = {"LKK_VAR_DIR": str(tmp_path), "LKK_PUBLIC_URL": "https://lkk.example.org"}
    with pytest.raises(ValueError, match="LKK_SECRET_KEY is required"):
        Config.from_env(env)
    assert not (tmp_path / "secret_key").exists()
    assert Config.from_env({**env, "LKK_SECRET_KEY": "k" * 40}).secret_key == "k" * 40


def test_development_generates_one_key_and_keeps_it(tmp_path):
    env = {"LKK_VAR_DIR": str(tmp_path)}
    first = Config.from_env(env).secret_key
    assert len(first) >= 40 and Config.from_env(env).secret_key == first


def test_the_rehearsal_clock_starts_where_told_and_runs_on(tmp_path):
    env = {"LKK_VAR_DIR": str(tmp_path), "LKK_DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
           "LKK_CLOCK_START": "2026-03-20T12:00:00+03:00"}
    core = create_core(Config.from_env(env))
    assert isinstance(core.clock, OffsetClock)
    start = dt.datetime(2026, 3, 20, 12, 0, tzinfo=MOSCOW)
    first = core.clock.now()
    assert dt.timedelta(0) <= first - start < dt.timedelta(minutes=1)
    assert core.clock.now() >= first and first.tzinfo is not None
    core.engine.dispose()
    plain = create_core(Config.from_env({**env, "LKK_CLOCK_START": ""}))
    assert isinstance(plain.clock, SystemClock)
    plain.engine.dispose()
