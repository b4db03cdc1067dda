"""Spreadsheet intake: bounds on hostile files, and what programs put in cells."""
from __future__ import annotations

import datetime as dt
import io

import pytest
import xlwt

from lkk_integration.errors import UnreadableFile
from lkk_integration.spreadsheets.intake import IntakeLimits, Sheet, read_sheets, filled_rows
from tests.support.spreadsheets import F, HEADER, ROW, spreadsheet, xls, xlsx


def test_an_xlsx_that_inflates_past_the_limit_is_refused_before_parsing():
    limits = IntakeLimits(max_unzipped_bytes=1024 * 1024)
    bomb = xlsx([ROW], pad_bytes=2 * 1024 * 1024)
    assert len(bomb) < 64 * 1024
    with pytest.raises(UnreadableFile) as refused:
        read_sheets(bomb, limits)
    assert refused.value.message == ("Файл .xlsx после распаковки больше 1 МБ. Сохраните его "
                                     "заново или разделите на несколько файлов.")
    assert read_sheets(xlsx([ROW]), limits)  # an honest file under the same limit is read


@pytest.mark.parametrize("make", [xlsx, xls])
def test_rows_past_the_limit_are_refused_with_the_limit_named(make):
    limits = IntakeLimits(max_rows=10)
    read_sheets(make([ROW] * 9), limits)  # header + 9 rows
    with pytest.raises(UnreadableFile) as refused:
        read_sheets(make([ROW] * 10), limits)
    assert refused.value.message == "В файле больше 10 строк. Разделите его на несколько файлов."


def test_empty_rows_do_not_count_towards_the_row_limit():
    assert read_sheets(xlsx([ROW] + [[None] * 6] * 50), IntakeLimits(max_rows=5))


def test_too_many_sheets_are_refused():
    with pytest.raises(UnreadableFile) as refused:
        read_sheets(xlsx([ROW], sheets=4), IntakeLimits(max_sheets=3))
    assert "больше 3 листов" in refused.value.message


def test_a_boolean_cell_is_not_a_reading_and_a_float_typed_as_text_is_a_meter_number():
    rows = list(filled_rows(read_sheets(xls([["1", "217354.0", 5, None, None, None]],
                                              booleans=[(1, 3)]), IntakeLimits())))
    assert rows[0].meter_number == "217354"
    assert rows[0].raw_values == [5.0, True, None]


def html_table(rows, charset="utf-8", declare=True) -> bytes:
    """A web page with one table, as programs save it under an .xls name."""
    cells = "".join("<tr>" + "".join(f"<td>{'' if v is None else v}</td>" for v in row)
                    + "</tr>" for row in [HEADER] + rows)
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' \
        if declare else ""
    return (f"<html><head>{meta}</head><body><table border=1>{cells}</table></body></html>"
            .encode(charset))


@pytest.mark.parametrize("charset, declare", [("utf-8", True), ("windows-1251", True),
                                              ("windows-1251", False), ("utf-8", False)])
def test_an_html_table_named_xls_is_read_whatever_its_charset(charset, declare):
    data = html_table([["1", "00215090", "1 100,5", None, None, "18.03.2026"],
                       ["2 <b>", "066823", "520", "310", None, "18.03.2026"]], charset, declare)
    [first, second] = filled_rows(read_sheets(data, IntakeLimits()))
    assert (first.meter_number, first.raw_values, first.raw_date) == (
        "00215090", ["1 100,5", None, None], "18.03.2026")
    assert (second.apartment, second.meter_number) == ("2", "066823")


def test_a_csv_file_is_read_with_its_separator():
    text = "\n".join(";".join(v or "" for v in row) for row in [
        HEADER, ["1", "00215090", "1100,5", "", "", "18.03.2026"]])
    [row] = filled_rows(read_sheets(text.encode("cp1251"), IntakeLimits()))
    assert (row.meter_number, row.raw_values[0], row.raw_date) == ("00215090", "1100,5",
                                                                   "18.03.2026")
    tabbed = text.replace(";", "\t").encode("utf-8-sig")
    assert next(filled_rows(read_sheets(tabbed, IntakeLimits()))).meter_number == "00215090"


@pytest.mark.parametrize("data, message", [
    (b"just some words in a text file", "Файл не распознан как таблица Excel"),
    (b"<html><body><p>no table</p></body></html>", "Файл не распознан как таблица Excel"),
    (b"%PDF-1.4 binary\x00\x01", "Файл не распознан как таблица Excel"),
])
def test_text_that_is_no_table_is_not_a_spreadsheet(data, message):
    with pytest.raises(UnreadableFile, match=message):
        read_sheets(data, IntakeLimits())


def test_columns_past_the_64th_are_not_read_and_the_header_is_found_among_the_first():
    book = xlwt.Workbook()
    sheet = book.add_sheet("ИПУ")
    for c, title in enumerate(HEADER):
        sheet.write(0, c, title)
    sheet.write(1, 1, "00215090")
    sheet.write(1, 2, 1100)
    sheet.write(1, 200, "far away")
    out = io.BytesIO()
    book.save(out)
    [sheet_read] = read_sheets(out.getvalue(), IntakeLimits())
    assert len(sheet_read.rows[1]) == 64 and "far away" not in sheet_read.rows[1]
    assert next(filled_rows([sheet_read])).raw_values == [1100.0, None, None]


def test_an_older_layout_is_read_by_its_titles_and_refused_naming_what_is_missing():
    older = [["Адрес", "Дата показания", "Т3", "Т2", "Т1", "Номер счетчика", "Лишний столбец"],
             ["Москва г.", "18.03.2026", None, None, "1100", "00215090", "x"]]
    [row] = filled_rows([Sheet("Лист1", older)])
    assert (row.meter_number, row.raw_values, row.raw_date) == ("00215090", ["1100", None, None],
                                                                "18.03.2026")
    no_zones = [["заголовок отчета"], ["№ счетчика", "Т1", "Дата показания"], ["1", "2", "3"]]
    with pytest.raises(UnreadableFile) as refused:
        list(filled_rows([Sheet("Показания", no_zones)]))
    assert refused.value.message == ("В файле нет столбцов «Т2», «Т3» (лист «Показания», строка "
                                     "заголовков 2). Скачайте новый шаблон или добавьте эти "
                                     "столбцы.")


def test_continuation_sheet_names_are_legal_and_unique():
    from lkk_integration.spreadsheets.template import _sheet_names

    names = _sheet_names("individual", 40) + _sheet_names("common_house", 40)
    assert len(set(names)) == 80 and names[:2] == ["ИПУ", "ИПУ (2)"]
    assert all(len(n) <= 31 and not set(n) & set("/\\?*[]:") for n in names)


@pytest.mark.parametrize("sent, shown", [
    ("C:\\Users\\Иван\\Desktop\\показания.xlsx", "показания.xlsx"),
    ("/home/ivan/показания.xls", "показания.xls"),
    ("\u202egnp.xlsx", "gnp.xlsx"),
    ("строка\r\nвторая.xls", "строкавторая.xls"),
    ("", "файл"),
    ("а" * 300 + ".xlsx", "а" * 246 + "….xlsx"),
])
def test_the_file_name_is_shown_as_the_file_is_called(sent, shown):
    from lkk_integration.spreadsheets.upload import shown_file_name

    assert shown_file_name(sent) == shown and len(shown) <= 255


@pytest.mark.parametrize("fmt", ["xls", "xlsx"])
def test_hidden_rows_are_read_and_marked_hidden(fmt):
    data = spreadsheet(fmt, [ROW, ["2", "066823", 520, 310, None, None],
                             ["3", "00300001", None, None, None, None]], hidden=(3, 4))
    rows = list(filled_rows(read_sheets(data, IntakeLimits())))
    assert [(r.row_number, r.meter_number, r.hidden) for r in rows] == [
        (2, "00215090", False), (3, "066823", True), (4, "00300001", True)]
    assert rows[1].raw_values == [520, 310, None]


@pytest.mark.parametrize("fmt", ["xls", "xlsx"])
def test_a_formula_with_no_saved_value_is_read_as_empty_and_named(fmt):
    data = spreadsheet(fmt, [["1", "00215090", F("1000+100"), None, None, F("DATE(2026,3,18)")],
                             ["2", F("TEXT(66823,\"000000\")"), 520, F("300+10"), None, None],
                             ["3", "00300001", 2100, None, None, dt.datetime(2026, 3, 18)]])
    rows = list(filled_rows(read_sheets(data, IntakeLimits())))
    assert [(r.meter_number, r.raw_values, r.raw_date, r.no_value) for r in rows] == [
        ("00215090", [None, None, None], None, {"t1", "reading_date"}),
        (None, [520, None, None], None, {"meter_number", "t2"}),
        ("00300001", [2100, None, None], dt.datetime(2026, 3, 18), set())]


def test_an_xlsx_formula_with_a_saved_result_is_read_and_only_a_missing_one_is_named():
    from tests.support.hostile import xlsx as raw_xlsx

    def cell(column: str, inner: str, kind: str = "") -> str:
        return f'<c r="{column}2"{kind}>{inner}</c>'

    titles = "".join(f'<c r="{col}1" t="inlineStr"><is><t>{title}</t></is></c>'
                     for col, title in zip("ABCDEF", HEADER, strict=True))
    row = "".join([
        cell("B", "<is><t>00215090</t></is>", ' t="inlineStr"'),
        cell("C", "<f>1000+100</f><v>1100</v>"),             # Excel: the result saved
        cell("D", '<f>""</f><v></v>', ' t="str"'),           # Excel: a formula giving ""
        cell("E", "<f>1+1</f>"),                             # no result at all
        cell("F", "<f>DATE(2026,3,18)</f><v></v>")])         # openpyxl: an empty result
    data = raw_xlsx('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                    'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                    f'<row r="1">{titles}</row><row r="2">{row}</row></sheetData></worksheet>')
    [read] = filled_rows(read_sheets(data, IntakeLimits()))
    assert (read.raw_values, read.no_value) == ([1100, None, None], {"t3", "reading_date"})


def test_an_ods_is_told_from_its_mimetype_and_an_xlsb_from_its_workbook_part():
    from lkk_integration.spreadsheets.intake import detect_format
    from tests.support import hostile

    assert detect_format(hostile.ods("")) == "ods"
    assert detect_format(xlsx([ROW])) == "xlsx"
    binary = io.BytesIO()
    import zipfile
    with zipfile.ZipFile(binary, "w") as archive:
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    assert detect_format(binary.getvalue()) == "xlsb"


def test_an_ods_row_hidden_repeated_or_with_a_formula_without_a_value_is_read_and_marked():
    from tests.support import hostile

    def cell(inner: str) -> str:
        return inner if inner.startswith("<") else (
            f'<table:table-cell office:value-type="string"><text:p>{inner}</text:p>'
            "</table:table-cell>")

    def row(*cells: str, attributes: str = "") -> str:
        return f"<table:table-row{attributes}>{''.join(map(cell, cells))}</table:table-row>"

    number = '<table:table-cell office:value-type="float" office:value="{0}"><text:p>{0}' \
        "</text:p></table:table-cell>"
    no_value = '<table:table-cell table:formula="of:=1+1"/>'
    data = hostile.ods(
        row(*HEADER)
        + row("1", "00215090", number.format(1100), no_value, "<table:table-cell/>",
              "18.03.2026")
        + row("2", "066823", number.format(520), number.format(310),
              '<table:table-cell table:number-columns-repeated="2"/>',
              attributes=' table:visibility="collapse" table:number-rows-repeated="2"'))
    rows = list(filled_rows(read_sheets(data, IntakeLimits())))
    assert [(r.row_number, r.meter_number, r.raw_values, r.hidden, r.no_value) for r in rows] == [
        (2, "00215090", [1100, None, None], False, {"t2"}),
        (3, "066823", [520, 310, None], True, set()),
        (4, "066823", [520, 310, None], True, set())]


def test_an_xlsb_is_read_with_its_hidden_rows_and_its_date_system():
    from tests.support import xlsb

    rows = [HEADER, ["1", "00215090", 1100.5, None, None, 44637],
            ["2", "066823", 520, 310, None, "18.03.2026"]]
    for date1904, date in ((True, dt.datetime(2026, 3, 18)), (False, dt.datetime(2022, 3, 17))):
        data = xlsb.workbook({"ИПУ": xlsb.sheet(rows, hidden=(3,))}, date1904=date1904)
        first, second = filled_rows(read_sheets(data, IntakeLimits()))
        assert (first.meter_number, first.raw_values, first.raw_date, first.hidden) == (
            "00215090", [1100.5, None, None], date, False)
        assert (second.raw_values, second.raw_date, second.hidden) == (
            [520, 310, None], "18.03.2026", True)


def test_an_xlsx_row_is_hidden_whatever_the_order_of_its_attributes():
    from tests.support import hostile

    titles = "".join(f'<c r="{col}1" t="inlineStr"><is><t>{title}</t></is></c>'
                     for col, title in zip("ABCDEF", HEADER, strict=True))
    data = hostile.xlsx(hostile._SHEET_HEAD + f'<row r="1">{titles}</row>'
                        '<row hidden="1" spans="1:6" r="2"><c r="B2" t="inlineStr"><is><t>00215090'
                        '</t></is></c><c r="C2"><v>5</v></c></row>' + hostile._SHEET_TAIL)
    [row] = filled_rows(read_sheets(data, IntakeLimits()))
    assert (row.row_number, row.raw_values, row.hidden) == (2, [5, None, None], True)
