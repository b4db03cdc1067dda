"""Every Unicode character, the forbidden ones (lkk_integration.text.FORBIDDEN), and which of them
XML 1.0 can carry at all: the tables the forbidden-characters tests walk."""
from __future__ import annotations

import sys

from lxml import etree

from lkk_integration.text import FORBIDDEN

EVERY_CHARACTER = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
FORBIDDEN_CHARACTERS = [c for c in EVERY_CHARACTER if FORBIDDEN.match(c)]


def xml_can_carry(c: str) -> bool:
    """XML 1.0's Char production: C0 controls but tab and line breaks, and U+FFFE/U+FFFF,
    cannot be in a document at all, not even as a reference."""
    try:
        etree.Element("x").text = c
    except ValueError:
        return False
    return True
