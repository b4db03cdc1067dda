"""Secrets, tokens and hashes. The primitives come from the standard library and argon2-cffi."""
from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from lkk_integration.config import PasswordHashing


def new_token(nbytes: int = 32) -> str:
    """A random URL-safe token of `nbytes` random bytes (default 256 bits)."""
    return secrets.token_urlsafe(nbytes)


def sha256_hex(text: str) -> str:
    """SHA-256 of a high-entropy token; enough for tokens, never for passwords."""
    return hashlib.sha256(text.encode()).hexdigest()


def derive_key(secret_key: str, purpose: str) -> bytes:
    """A sub-key of the installation secret for one purpose (HMAC-SHA-256 as a KDF)."""
    return hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).digest()


def keyed_hash(key: bytes, secret: str) -> bytes:
    """HMAC-SHA-256 of a client secret: 32 bytes. Secrets are 256-bit random, so a slow hash
    would add cost to every SOAP call without adding strength."""
    return hmac.new(key, secret.encode(), hashlib.sha256).digest()


def same_bytes(a: bytes, b: bytes) -> bool:
    """Constant-time comparison."""
    return hmac.compare_digest(a, b)


class Passwords:
    """argon2id hashing of contact persons' passwords (OWASP ASVS v4.0.3 2.4.1)."""

    def __init__(self, cost: PasswordHashing):
        self._hasher = PasswordHasher(time_cost=cost.time_cost, memory_cost=cost.memory_cost_kib,
                                      parallelism=cost.parallelism, type=Type.ID)
        # Checked against when the e-mail is unknown, so that both answers cost the same.
        self._dummy_hash = self._hasher.hash(new_token())

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """True when `password` matches; a None hash is checked against a dummy, then False."""
        try:
            return self._hasher.verify(stored_hash or self._dummy_hash, password) and \
                stored_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)
