"""Formats of values every channel checks the same way: e-mail addresses (docs/spec.md §15.3,
§16, §19)."""
from __future__ import annotations

import re

# ASCII only: a letter to an internationalized address needs SMTPUTF8, which few relays speak.
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
# The longest address a mail path carries (RFC 5321, 4.5.3.1.3 less the angle brackets).
EMAIL_MAX = 254


def is_email(text: str | None) -> bool:
    """Whether `text` is an e-mail address of EMAIL's form and at most EMAIL_MAX characters."""
    return bool(text) and len(text) <= EMAIL_MAX and EMAIL.fullmatch(text) is not None


def normalize_email(email: str) -> str:
    """The form e-mails are compared in: trimmed, lower case (docs/spec.md §19)."""
    return email.strip().lower()
