"""Characters no text of the product carries, the one set for every channel (docs/spec.md
§15.10: a fault names the field and the character; §14.2: spreadsheets and typed readings lose
them).

Control characters and Unicode's format characters make a text read otherwise than it is:
a right-to-left override shows the rest of a name backwards, a zero-width space makes
«00215090» another meter number than the one on the screen, tag characters hide a whole text.
The set is Unicode's categories Cc and Cf (Unicode 15.1, Python 3.13's; an older Python's
Unicode does not know some of them yet, and they are in the set all the same): C0 and C1
controls and DEL; the direction embeddings, overrides and isolates (U+202A–U+202E,
U+2066–U+2069) and marks (U+200E, U+200F, U+061C); zero-width spaces and joiners
(U+200B–U+200D, U+2060); the byte order mark (U+FEFF); the soft hyphen, invisible operators,
tag characters and the rest of Cf.
Tab, line feed and carriage return are text where text may span lines. A program's channel
(SOAP) refuses such text naming the field; where people's programs may have left them unseen
(a spreadsheet, a typed reading) they are removed; a form whose text comes back to its author
(the administrator's) refuses it with the reason.

Also here: natural_key, the one order of apartments, house numbers and addresses in lists.
"""
from __future__ import annotations

import re

# Cc and Cf without tab, LF and CR; tests/unit/test_text.py compares it with unicodedata.
# U+13439–U+1343F (Egyptian hieroglyph format controls) are Unicode 15.1's.
_CHARACTERS = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f"
               "\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
               "\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
               "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
FORBIDDEN = re.compile(f"[{_CHARACTERS}]")
# Where a text is one line (a file's name): tab and line breaks too.
FORBIDDEN_IN_A_LINE = re.compile(f"[\t\n\r{_CHARACTERS}]")


def forbidden_in(text: str) -> str | None:
    """The forbidden characters of `text` as code points («U+202E, U+200B»), or None."""
    found = dict.fromkeys(FORBIDDEN.findall(text))
    return ", ".join(f"U+{ord(c):04X}" for c in found) or None


def without_forbidden(text: str, one_line: bool = False) -> str:
    """`text` with the forbidden characters removed (with tab and line breaks when
    `one_line`)."""
    if text.isprintable():  # no Cc or Cf in it: the usual cell, at C speed
        return text
    return (FORBIDDEN_IN_A_LINE if one_line else FORBIDDEN).sub("", text)


def natural_key(text: str | None) -> tuple:
    """Sort key ordering the numbers inside a text by value, letters without regard to case:
    «кв. 2» before «кв. 10», «10» before «10А», «д. 5» before «д. 45». Apartments, house
    numbers and addresses are sorted by it wherever a list shows them.

    Shape: a tuple alternating text and int, text first, so that any two keys compare.
    """
    parts = re.split(r"(\d+)", (text or "").strip().casefold())
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))


def visible(value: object) -> object:
    """A text value without the forbidden characters; a number, a date or None as it is (a
    spreadsheet's cell, a form's field)."""
    return without_forbidden(value) if isinstance(value, str) else value
