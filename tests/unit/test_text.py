"""One set of characters no text may carry (lkk_integration/text.py): SOAP refuses them naming
the field, in every text field of every operation; a spreadsheet and a typed reading lose
them; the administrator's texts are refused (tests/web/test_admin.py)."""
from __future__ import annotations

import io
import unicodedata

import xlwt
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from lkk_integration.soap.app import build_wsdl
from lkk_integration.soap.types import NS
from lkk_integration.soap.validation import RequestSchema
from lkk_integration.spreadsheets.intake import IntakeLimits, Sheet, read_sheets, filled_rows
from lkk_integration.text import FORBIDDEN, forbidden_in, natural_key, visible, without_forbidden

from tests.support.characters import EVERY_CHARACTER, FORBIDDEN_CHARACTERS, xml_can_carry


def test_the_set_is_unicodes_control_and_format_characters_but_tab_and_line_breaks():
    expected = {c for c in EVERY_CHARACTER if unicodedata.category(c) in ("Cc", "Cf")} - \
        set("\t\n\r")
    # Exactly the running Python's set, and beyond it only what its Unicode has not assigned
    # yet (3.11 and 3.12 know Unicode 15.0; 3.13's 15.1 added U+13439–U+1343F).
    assert expected <= set(FORBIDDEN_CHARACTERS)
    assert {unicodedata.category(c) for c in set(FORBIDDEN_CHARACTERS) - expected} <= {"Cn"}
    named = ["\u202a", "\u202e", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\u200b",
             "\u200d", "\u2060", "\ufeff", "\x85", "\x7f", "\U000e0041"]
    assert all(c in expected for c in named)


@given(st.text())
def test_a_text_has_forbidden_characters_exactly_when_removing_them_changes_it(text):
    codes = forbidden_in(text)
    assert (codes is None) == (without_forbidden(text) == text) == (visible(text) == text)
    assert forbidden_in(without_forbidden(text)) is None
    if codes:
        assert codes.split(", ")[0] == f"U+{ord(FORBIDDEN.search(text).group()):04X}"


HEADER = ["Адрес", "Квартира", "№ счетчика", "Т1", "Т2", "Т3", "Дата показания"]


def file_reads_address(cell: str) -> str:
    """The address the file channel reads from a row whose «Адрес» cell holds `cell`."""
    sheet = Sheet("ИПУ", [HEADER, [cell, "1", "00215090", 1100.0, None, None, "18.03.2026"]])
    return next(filled_rows([sheet])).address


SCHEMA = RequestSchema(build_wsdl("http://127.0.0.1/soap"))


def soap_refuses(text: str) -> bool:
    operation = etree.fromstring(
        f'<v1:SaveHouse xmlns:v1="{NS}"><v1:House><v1:Street/></v1:House></v1:SaveHouse>')
    operation[0][0].text = text
    return SCHEMA.forbidden_text(operation) is not None


@settings(max_examples=500)
@given(st.characters().filter(xml_can_carry))
def test_soap_refuses_a_character_exactly_when_a_file_loses_it(c):
    assert soap_refuses(f"ул{c}1") == (file_reads_address(f"ул{c}1") == "ул1") == \
        (c in FORBIDDEN_CHARACTERS)


def test_every_forbidden_character_is_refused_by_soap_and_lost_by_a_file():
    for c in FORBIDDEN_CHARACTERS:
        assert file_reads_address(f"ул{c}1") == "ул1", hex(ord(c))
        if xml_can_carry(c):
            assert soap_refuses(f"ул{c}1"), hex(ord(c))


def test_a_spreadsheet_loses_them_from_every_cell_and_sheet_name_it_reads():
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("ИПУ\u202e")
    for c, title in enumerate(["№ счетчика\u200b", "Т1", "Т2", "Т3", "Дата показания\u200f"]):
        sheet.write(0, c, title)
    for c, value in enumerate(["\u202e00215090\u200b", "1\u200d100,5", "\ufeff", None,
                               "18.03.2026\u2066"]):
        if value is not None:
            sheet.write(1, c, value)
    out = io.BytesIO()
    book.save(out)
    sheets = read_sheets(out.getvalue(), IntakeLimits())
    assert sheets[0].name == "ИПУ"
    row = next(filled_rows(sheets))
    assert (row.meter_number, row.raw_values, row.raw_date) == (
        "00215090", ["1100,5", None, None], "18.03.2026")


def test_apartments_and_addresses_sort_with_their_numbers_by_value():
    assert sorted(["10", "2", "10Б", "10а", "А", " 3 ", "1"], key=natural_key) == \
        ["1", "2", " 3 ", "10", "10а", "10Б", "А"]
    assert sorted(["Москва г., Вавилова ул., д. 45", "Москва г., Вавилова ул., д. 5 стр.2",
                   None], key=natural_key) == \
        [None, "Москва г., Вавилова ул., д. 5 стр.2", "Москва г., Вавилова ул., д. 45"]
