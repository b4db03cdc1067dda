"""The template's columns, shared by the writer and the reader, and how titles are matched."""
from __future__ import annotations

import re

from lkk_integration import messages as msg
from lkk_integration.models import COMMON_HOUSE, INDIVIDUAL

TEMPLATE_VERSION = "LKK-OO template 1"
VERSION_SHEET = msg.VERSION_SHEET
SHEET_NAMES = {INDIVIDUAL: msg.SHEET_INDIVIDUAL, COMMON_HOUSE: msg.SHEET_COMMON_HOUSE}
# An .xls sheet holds 65,536 rows; one is the header.
XLS_DATA_ROWS = 65_535

# (key, title) in the template's order; the titles are messages.TEMPLATE_TITLES.
COLUMNS = {
    kind: [(key, msg.TEMPLATE_TITLES[key]) for key in keys]
    for kind, keys in {
        INDIVIDUAL: ("address", "apartment", "account", "meter_number", "metering_type",
                     "last_t1", "last_t2", "last_t3", "last_date",
                     "expected_t1", "expected_t2", "expected_t3",
                     "t1", "t2", "t3", "reading_date", "not_read", "remark"),
        COMMON_HOUSE: ("address", "meter_number", "ratio", "metering_type",
                       "last_t1", "last_t2", "last_t3", "last_date",
                       "expected_t1", "expected_t2", "expected_t3",
                       "t1", "t2", "t3", "reading_date", "not_read", "remark"),
    }.items()
}
# Without these a sheet cannot give readings.
REQUIRED = ("meter_number", "t1", "t2", "t3", "reading_date")
# Titles that tell an individual sheet from a common-house one.
INDIVIDUAL_MARKERS = ("account", "apartment")

_LATIN_TO_CYRILLIC = str.maketrans({"t": "т", "T": "т"})


def normalize_title(value: object) -> str:
    """A header cell as compared: lower case, ё→е, Latin T→Т, spaces folded, № glued."""
    text = str(value or "").replace("\u00a0", " ").strip().lower().replace("ё", "е")
    text = text.translate(_LATIN_TO_CYRILLIC)
    text = re.sub(r"\s+", " ", text)
    # «№ счетчика», «№счетчика», «No счетчика», «Номер счетчика» are one title.
    return re.sub(r"^(№|no\.?|n\.?|номер)\s*", "№", text)


TITLE_KEYS = {normalize_title(title): key for columns in COLUMNS.values()
              for key, title in columns}
