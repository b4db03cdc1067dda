"""The password policy new passwords follow, contact persons' and administrators' alike
(docs/spec.md §16.1)."""
from __future__ import annotations

import functools
import re

from lkk_integration import messages as msg
from lkk_integration.errors import ValidationError

# The manual's password policy (docs/spec.md §16.1): 8–20 Latin letters and digits.
MANUAL_PASSWORD = re.compile(r"[A-Za-z0-9]{8,20}")


@functools.cache
def _common_passwords() -> frozenset[str]:
    """30,000 most common passwords of real leaks, from zxcvbn's frequency lists (a maintained
    list beats one typed here)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_new_password(password: str, repeat: str, policy: str = "manual") -> None:
    """Apply the password policy ('manual': docs/spec.md §16.1; 'asvs': OWASP ASVS v4.0.3
    2.1.1/2.1.2/2.1.9); raises ValidationError with the manual's messages."""
    if not password or not repeat:
        raise ValidationError(msg.LOGIN_REQUIRED_FIELDS, "password")
    if policy == "asvs":
        if not 12 <= len(password) <= 128:
            raise ValidationError(msg.PASSWORD_POLICY_ASVS, "password")
    elif not MANUAL_PASSWORD.fullmatch(password):
        raise ValidationError(msg.PASSWORD_POLICY, "password")
    if password != repeat:
        raise ValidationError(msg.PASSWORDS_DIFFER, "password")
    if password.lower() in _common_passwords():
        raise ValidationError(msg.PASSWORD_TOO_COMMON, "password")
