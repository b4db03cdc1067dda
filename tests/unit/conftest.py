"""The unit layer touches no database and no network: the database and server fixtures fail
here, and so does any engine connecting or socket connecting while a unit test runs."""
from __future__ import annotations

import socket

import pytest
from sqlalchemy.engine import Engine


def _refuse(what: str):
    def refuse(*args, **kwargs):
        pytest.fail(f"a unit test used {what}: move it to tests/integration, tests/web or "
                    "tests/soap", pytrace=False)
    return refuse


@pytest.fixture
def database_url():
    _refuse("the database (the database_url fixture)")()


@pytest.fixture
def live_server():
    _refuse("a live HTTP server")()


@pytest.fixture(autouse=True)
def no_database_or_network(monkeypatch):
    monkeypatch.setattr(Engine, "connect", _refuse("a database connection"))
    monkeypatch.setattr(Engine, "raw_connection", _refuse("a database connection"))
    monkeypatch.setattr(socket.socket, "connect", _refuse("a network connection"))
    monkeypatch.setattr(socket.socket, "connect_ex", _refuse("a network connection"))
