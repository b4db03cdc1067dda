"""The one error hierarchy of the core. Each adapter maps it once.

Every error carries `code` (the SOAP fault's reason, `Client.<code>`) and a Russian `message`
for people; `field` names the input at fault where there is one, and `item`, where that input
is in an item of a list the caller sent, the item's position (see in_item).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class LkkError(Exception):
    """Base of the errors a caller can act on; never a bug of ours."""

    code = "Error"

    def __init__(self, message: str, field: str | None = None, item: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.item = item


@contextmanager
def in_item(position: int) -> Iterator[None]:
    """An LkkError raised inside concerns item `position` (from 1) of a list: it carries the
    position as `item`, so a client finds the item without reading the message. In nested
    lists the outermost position wins (Houses[2].Accounts[3] → 2): the item the caller sent."""
    try:
        yield
    except LkkError as error:
        error.item = position
        raise


class ValidationError(LkkError):
    """Input breaks a rule: a required field is empty, a value has the wrong form."""

    code = "Validation"


class NotFound(LkkError):
    """The object is unknown, or not visible to the caller."""

    code = "NotFound"


class BufferGone(NotFound):
    """The upload's buffer was sent or replaced meanwhile; the message says which
    (docs/spec.md §11)."""


class SendAgainNotConfirmed(ValidationError):
    """The same file was sent in this period already and the person did not confirm sending
    it again (docs/spec.md §11.2)."""


class Conflict(LkkError):
    """The input clashes with what exists: a taken e-mail, contract number or identifier."""

    code = "Conflict"


class IdempotencyConflict(LkkError):
    """The same request id came again with a different body."""

    code = "RequestIdReused"


class AuthenticationFailed(LkkError):
    """Credentials are missing or wrong."""

    code = "Authentication"


class PeriodClosed(LkkError):
    """Readings are accepted only inside the submission period."""

    code = "PeriodClosed"


class UnreadableFile(LkkError):
    """An uploaded spreadsheet cannot be used at all; the buffer stays as it was."""

    code = "UnreadableFile"


class InvalidToken(LkkError):
    """An activation or recovery link is unknown, used, superseded or expired."""

    code = "InvalidToken"


class QuotaExceeded(LkkError):
    """A client called more often than its quota allows."""

    code = "QuotaExceeded"


class Throttled(LkkError):
    """Too many failed sign-in or recovery attempts; the message says how long to wait."""

    code = "Throttled"
