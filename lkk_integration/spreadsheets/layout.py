"""The template's columns, shared by the writer and the reader, and how titles are matched."""
from __future__ import annotations

import re

from lkk_integration.models import COMMON_HOUSE, INDIVIDUAL

TEMPLATE_VERSION = "LKK-OO template 1"
VERSION_SHEET = "Служебный"
SHEET_NAMES = {INDIVIDUAL: "ИПУ", COMMON_HOUSE: "ОДПУ"}
# An .xls sheet holds 65,536 rows; one is the header.
XLS_DATA_ROWS = 65_535

# (key, title) in the template's order.
COLUMNS = {
    INDIVIDUAL: [
        ("address", "Адрес"), ("apartment", "Квартира"), ("account", "Лицевой счет"),
        ("meter_number", "№ счетчика"), ("metering_type", "Тип учета"),
        ("last_t1", "Последние учтенные Т1"), ("last_t2", "Последние учтенные Т2"),
        ("last_t3", "Последние учтенные Т3"), ("last_date", "Дата последних учтенных показаний"),
        ("t1", "Т1"), ("t2", "Т2"), ("t3", "Т3"), ("reading_date", "Дата показания"),
        ("remark", "Примечание"),
    ],
    COMMON_HOUSE: [
        ("address", "Адрес"), ("meter_number", "№ счетчика"),
        ("ratio", "Коэффициент трансформации"), ("metering_type", "Тип учета"),
        ("last_t1", "Последние учтенные Т1"), ("last_t2", "Последние учтенные Т2"),
        ("last_t3", "Последние учтенные Т3"), ("last_date", "Дата последних учтенных показаний"),
        ("t1", "Т1"), ("t2", "Т2"), ("t3", "Т3"), ("reading_date", "Дата показания"),
        ("remark", "Примечание"),
    ],
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
