"""SOAP clients (the billing systems) and their credentials (SPEC.md: HTTP Basic with per-client
high-entropy secrets stored as keyed hashes)."""
from __future__ import annotations

from sqlalchemy import select

from . import messages as msg
from .core import Core
from .errors import AuthenticationFailed, Conflict, ValidationError
from .models import SoapClient
from .security import keyed_hash, new_token, same_bytes

# Checked against when the client name is unknown, so both failures cost the same.
_DUMMY = b"\0" * 32


def create_client(core: Core, name: str) -> tuple[int, str]:
    """Register a SOAP client; returns its id and secret (256 random bits, shown once, never kept).

    Raises ValidationError for an empty name, Conflict when the name is taken.
    """
    name = (name or "").strip()
    if not name or ":" in name:
        raise ValidationError("Имя клиента не может быть пустым или содержать «:»", "name")
    secret = new_token(32)
    with core.uow() as uow:
        if uow.session.scalar(select(SoapClient.id).where(SoapClient.name == name)):
            raise Conflict(f"Клиент {name} уже существует", "name")
        client = SoapClient(name=name, secret_hash=keyed_hash(core.client_key, secret),
                            created_at=core.clock.now())
        uow.session.add(client)
        uow.commit()
        return client.id, secret


def authenticate_client(core: Core, name: str, secret: str) -> int:
    """The id of the client whose name and secret match; raises AuthenticationFailed.

    Compared in constant time; a revoked client fails like an unknown one.
    """
    with core.uow() as uow:
        client = uow.session.scalars(select(SoapClient).where(
            SoapClient.name == name, SoapClient.revoked_at.is_(None))).first()
    offered = keyed_hash(core.client_key, secret)
    if not same_bytes(client.secret_hash if client else _DUMMY, offered) or client is None:
        raise AuthenticationFailed(msg.AUTH_REQUIRED)
    return client.id
