"""Files saved by real programs (tests/files/, made by tests/files/make_files.py from the
product's template for the story organization): which program wrote each one, told from its
bytes, and what the cabinet makes of it — the counts the page shows and the note of every row.

The files are committed; these tests need neither LibreOffice nor Gnumeric.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass

import pytest
import xlrd
from sqlalchemy import func, select
from xlrd.compdoc import CompDoc

from lkk_integration.models import Upload, UploadRow

from tests.support.cabinet import csrf_token, page_text
from tests.support.parts import FILES
from tests.support.spreadsheets import xls_writer

D = "18.03.2026"
RESTORED = "Номер счетчика восстановлен с ведущими нулями: {}"
NO_READINGS = "Показания не указаны"
HIDDEN = "Строка скрыта в файле, показания из нее прочитаны"
SEVERAL = "Счетчик указан в файле несколько раз: строки {}, {}"


def data(name: str) -> bytes:
    return (FILES / name).read_bytes()


# --- who wrote each file ----------------------------------------------------------------------
def ole_streams(content: bytes) -> list[str]:
    return [entry.name for entry in CompDoc(content, logfile=io.StringIO()).dirlist]


def biff_records(content: bytes, stream: str) -> list[tuple[int, bytes]]:
    """(record type, body) of an .xls workbook stream, read without xlrd."""
    body = CompDoc(content, logfile=io.StringIO()).get_named_stream(stream)
    records, position = [], 0
    while position + 4 <= len(body):
        kind, length = struct.unpack_from("<HH", body, position)
        records.append((kind, body[position + 4:position + 4 + length]))
        position += 4 + length
    return records


def xlsx_part(content: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(part).decode("utf-8")


def xlsx_application(content: bytes) -> str:
    return re.search(r"<Application>([^<]*)</Application>",
                     xlsx_part(content, "docProps/app.xml")).group(1)


@pytest.mark.parametrize("name", ["libreoffice.xls", "quirks.xls", "mac1904.xls"])
def test_libreoffice_xls_files_are_biff8_written_by_libreoffice(name):
    content = data(name)
    # StarOffice's filter names the CompObj format «Microsoft Excel 97-Tabelle»
    # (tests/support/spreadsheets.py).
    assert xls_writer(content) == "LibreOffice"
    book = xlrd.open_workbook(file_contents=content, on_demand=True, logfile=io.StringIO())
    assert (book.biff_version, book.codepage) == (80, 1200)
    assert book.datemode == (1 if name == "mac1904.xls" else 0)


@pytest.mark.parametrize("name", ["libreoffice.xlsx", "quirks.xlsx", "mac1904.xlsx"])
def test_libreoffice_xlsx_files_name_libreoffice_as_their_application(name):
    content = data(name)
    assert content.startswith(b"PK\x03\x04")
    assert xlsx_application(content).startswith("LibreOffice/")
    workbook = xlsx_part(content, "xl/workbook.xml")
    assert ('date1904="true"' in workbook) == (name == "mac1904.xlsx")


@pytest.mark.parametrize("name", ["libreoffice.ods", "quirks.ods", "mac1904.ods"])
def test_libreoffice_ods_files_are_opendocument_spreadsheets_written_by_libreoffice(name):
    content = data(name)
    assert xlsx_part(content, "mimetype") == "application/vnd.oasis.opendocument.spreadsheet"
    assert re.search(r"<meta:generator>LibreOffice/", xlsx_part(content, "meta.xml"))
    body = xlsx_part(content, "content.xml")
    assert ('table:date-value="1904-01-01"' in body) == (name == "mac1904.ods")
    if name == "quirks.ods":  # a hidden row, a hidden sheet's style, formulas with values
        assert 'table:visibility="collapse"' in body
        assert 'table:formula="of:=2000+150"' in body and 'office:value="2150"' in body


def test_quirks_files_carry_their_quirks():
    """What make_files.py asked of LibreOffice survived its saving: a hidden sheet, a hidden
    row, merged address cells and formulas with their cached values."""
    workbook = xlsx_part(data("quirks.xlsx"), "xl/workbook.xml")
    assert re.search(r'<sheet name="ИПУ \(черновик\)"[^>]* state="hidden"', workbook)
    sheet = xlsx_part(data("quirks.xlsx"), "xl/worksheets/sheet1.xml")
    assert re.search(r'<row r="3"[^>]* hidden="true"', sheet)
    assert '<mergeCell ref="A2:A6"/>' in sheet
    assert re.search(r"<f[^>]*>2000\+150</f><v>2150</v>", sheet)
    book = xlrd.open_workbook(file_contents=data("quirks.xls"), formatting_info=True,
                              logfile=io.StringIO())
    assert [(s.name, s.visibility) for s in book.sheets()] == [
        ("ИПУ", 0), ("ИПУ (черновик)", 1), ("ОДПУ", 0), ("Служебный", 1)]
    individual = book.sheet_by_name("ИПУ")
    assert individual.rowinfo_map[2].hidden
    assert (1, 6, 0, 1) in individual.merged_cells
    # BIFF FORMULA records (type 6) hold the cached results xlrd reads.
    formulas = [body for kind, body in biff_records(data("quirks.xls"), "Workbook")
                if kind == 0x0006]
    assert [struct.unpack_from("<d", body, 6)[0] for body in formulas] == [2150.0, 16.25, 110.0]


def test_excel95_file_is_biff5_in_code_page_1251_written_by_gnumeric():
    content = data("excel95_gnumeric.xls")
    # Excel 5.0/95 keep the workbook in a stream named «Book» (97 and later: «Workbook»).
    streams = ole_streams(content)
    assert "Book" in streams and "Workbook" not in streams and "\x01CompObj" not in streams
    records = biff_records(content, "Book")
    kind, bof = records[0]
    # BOF of BIFF5/7 with the build and year Gnumeric's writer puts there (2412, 1993:
    # ms-excel-write.c, biff_bof_write), which is why xlrd calls the file BIFF 5.0, not 7.0.
    assert kind == 0x0809 and struct.unpack_from("<HHHH", bof) == (0x0500, 0x0005, 2412, 1993)
    book = xlrd.open_workbook(file_contents=content, logfile=io.StringIO())
    assert (book.biff_version, book.codepage, book.encoding) == (50, 1251, "cp1251")
    assert [(s.name, s.visibility) for s in book.sheets()] == [
        ("ИПУ", 0), ("ОДПУ", 0), ("Служебный", 1)]
    # The addresses are Cyrillic text in code page 1251, one byte a letter.
    assert book.sheet_by_name("ИПУ").cell_value(1, 0) == "Москва г., Вавилова ул., д. 45"
    assert "Москва г., Вавилова ул., д. 45".encode("cp1251") in \
        b"".join(body for kind, body in records if kind == 0x0204)  # LABEL


def test_excel95_file_from_an_xls_is_biff5_claiming_utf16_written_by_gnumeric():
    content = data("excel95_gnumeric_utf16.xls")
    assert "Book" in ole_streams(content)
    records = biff_records(content, "Book")
    assert struct.unpack_from("<HHHH", records[0][1]) == (0x0500, 0x0005, 2412, 1993)
    # CODEPAGE 1200 (UTF-16), kept from the BIFF8 source, which BIFF5 strings cannot be.
    [codepage] = [body for kind, body in records if kind == 0x0042]
    assert struct.unpack("<H", codepage) == (1200,)
    with pytest.raises(UnicodeDecodeError):
        xlrd.open_workbook(file_contents=content, logfile=io.StringIO())


def test_xlsx_renamed_xls_is_an_xlsx_written_by_gnumeric():
    content = data("xlsx_renamed.xls")
    assert content.startswith(b"PK\x03\x04")
    assert xlsx_application(content) == "gnumeric"


def test_html_table_xls_is_a_web_page_written_by_libreoffice():
    content = data("html_table.xls")
    assert not content.startswith((b"PK", b"\xd0\xcf\x11\xe0"))
    text = content.decode("utf-8")
    assert re.search(r'<meta name="generator" content="LibreOffice [^"]+"', text)
    # LibreOffice's markup: a heading per sheet, a table under each; the hidden sheet left out.
    assert re.findall(r"<h1>Sheet \d+: <em>([^<]+)</em></h1>", text) == ["ИПУ", "ОДПУ"]
    assert text.count("<table") == 2
    # Numbers and dates as the Russian locale shows them.
    assert ">1100,5<" in text and ">18.03.2026<" in text


# --- what the cabinet makes of each file -----------------------------------------------------
@dataclass(frozen=True)
class Expected:
    individual: tuple[int, int]   # (valid, wrong)
    common_house: tuple[int, int]
    # (sheet, row, meter number, reading date, T1, T2, T3, valid, note) as kept in the buffer
    rows: list[tuple]


EXPECTED = {
    # The template filled by a person and saved by LibreOffice Calc as Excel 97–2003.
    "libreoffice.xls": Expected((3, 2), (1, 0), [
        ("ИПУ", 2, "00215090", D, "1100,5", None, None, True, None),
        ("ИПУ", 3, "066823", D, "520", "310", None, True, None),
        ("ИПУ", 4, "00300001", D, "1500", None, None, False,
         "Т1 меньше последних учтенных показаний (2000)"),
        # A text date and a decimal comma typed as text.
        ("ИПУ", 5, "00300002", D, "6", "11", "16,25", True, None),
        ("ИПУ", 6, "00300003", None, None, None, None, False, NO_READINGS),
        ("ОДПУ", 2, "7700123", D, "110", "55", None, True, None),
    ]),
    # Saved by LibreOffice Calc as .xlsx; кв. 1's meter number typed as a number (kept as
    # typed, the remark names the number it stands for).
    "libreoffice.xlsx": Expected((3, 2), (1, 0), [
        ("ИПУ", 2, "215090", D, "1100", None, None, True, RESTORED.format("00215090")),
        ("ИПУ", 3, "066823", D, "520,25", "310,75", None, True, None),
        ("ИПУ", 4, "00300001", "25.03.2026", "2100", None, None, False,
         "Дата показания в будущем"),
        ("ИПУ", 5, "00300002", D, "6", "11", "16", True, None),
        ("ИПУ", 6, "00300003", D, "5000", None, None, False,
         "Расход 4900 кВт·ч больше допустимого: 2600 кВт·ч за 26 дней"),
        ("ОДПУ", 2, "7700123", D, "110", "55,5", None, True, None),
    ]),
    # Excel 95 (BIFF5/7), Cyrillic in code page 1251, by Gnumeric under ru_RU.UTF-8.
    "excel95_gnumeric.xls": Expected((3, 3), (1, 0), [
        ("ИПУ", 2, "00215090", D, "1100,5", None, None, True, None),
        ("ИПУ", 3, "066823", D, "520", "310", None, True, None),
        ("ИПУ", 4, "00300001", D, "2100,125", None, None, False,
         "Т1: больше 2 знаков после запятой"),
        ("ИПУ", 5, "00300002", D, "6", "11", "16", True, None),
        # The same meter on two wrong rows: each says both why and where the other is.
        ("ИПУ", 6, "00300003", None, None, None, None, False,
         f"{NO_READINGS}; {SEVERAL.format(6, 7)}"),
        ("ИПУ", 7, "00300003", D, "150", None, None, False,
         f"Счетчик не относится к указанной квартире; {SEVERAL.format(6, 7)}"),
        ("ОДПУ", 2, "7700123", D, "110", "55", None, True, None),
    ]),
    # An .xlsx (Gnumeric) named .xls: found from the bytes. Gnumeric's .xlsx writer leaves out
    # sheet states, so the template's «Служебный» sheet comes out visible; it has no header
    # row of the template, so nothing is read from it.
    "xlsx_renamed.xls": Expected((2, 3), (1, 0), [
        ("ИПУ", 2, "00215090", D, "1100", "5", None, False,
         "Лишние показания Т2: счетчик однотарифный"),
        ("ИПУ", 3, "066823", D, "520", "310", None, True, None),
        ("ИПУ", 4, "00300001", "10.03.2026", "2100", None, None, False,
         "Дата показания вне периода передачи показаний (15.03.2026–26.03.2026)"),
        ("ИПУ", 5, "00300002", D, "6", "11", None, False, "Не указаны показания Т3"),
        ("ИПУ", 6, "00300003", D, "150", None, None, True, None),
        ("ОДПУ", 2, "7700123", D, "110", "55", None, True, None),
    ]),
    # A web page (LibreOffice's HTML export, Russian locale) named .xls: every cell is text
    # («1100,5», «18.03.2026»); each table is a sheet.
    "html_table.xls": Expected((3, 3), (1, 0), [
        ("Таблица 1", 2, "00215090", D, "1100,5", None, None, True, None),
        ("Таблица 1", 3, "066823", None, None, None, None, False,
         f"{NO_READINGS}; {SEVERAL.format(3, 7)}"),
        ("Таблица 1", 4, "00300001", D, "2100", None, None, True, None),
        ("Таблица 1", 5, "00300002", D, "шесть", "11", "16", False, "Т1: не число"),
        ("Таблица 1", 6, "00300003", D, "150", None, None, True, None),
        ("Таблица 1", 7, "066823", D, "520", "310", None, False,
         f"Счетчик не относится к указанному лицевому счету; {SEVERAL.format(3, 7)}"),
        ("Таблица 2", 2, "7700123", D, "110", "55", None, True, None),
    ]),
    # 1904-dated workbooks (Excel for Mac's date system): date cells and a bare serial 44637
    # are 18.03.2026; read from 1900, the serial would be 16.03.2022.
    "mac1904.xlsx": Expected((2, 3), (1, 0), [
        ("ИПУ", 2, "00215090", D, "1100", None, None, True, None),
        ("ИПУ", 3, "066823", D, "520", "310", None, True, None),
        ("ИПУ", 4, "00300001", None, None, None, None, False, NO_READINGS),
        ("ИПУ", 5, "00300002", None, None, None, None, False, NO_READINGS),
        ("ИПУ", 6, "00300003", None, None, None, None, False, NO_READINGS),
        ("ОДПУ", 2, "7700123", D, "110", "55", None, True, None),
    ]),
}
EXPECTED["mac1904.xls"] = EXPECTED["mac1904.xlsx"]
# The template after a hurried person (make_files.py, quirks_source), saved by LibreOffice:
QUIRKS = Expected((5, 2), (1, 0), [
    # A number that lost its leading zeros (215090, or 215090.0 in an .xls); a no-break
    # space and a decimal comma in text; a date cell. The meter is on row 10 again.
    ("ИПУ", 2, "215090", D, "1\u00a0100,5", None, None, True,
     f"{RESTORED.format('00215090')}; {SEVERAL.format(2, 10)}"),
    # A row the person hid (read all the same, and said so); a no-break space after the meter
    # number; the date a bare serial 46099 in an unformatted cell.
    ("ИПУ", 3, "066823", D, "520", "310", None, True, HIDDEN),
    # A formula: its cached value 2150 is the reading; a text date.
    ("ИПУ", 4, "00300001", D, "2150", None, None, True, None),
    ("ИПУ", 5, "00300002", D, "6", "11,5", "16,25", True, None),
    # «300003.0»: a number pasted as text; spaces around the reading.
    ("ИПУ", 6, "300003", D, "150", None, None, True, RESTORED.format("00300003")),
    # After two empty rows: an unknown meter, and кв. 1's meter a second time. Nothing comes
    # from the hidden sheet «ИПУ (черновик)» whose header and reading are the template's.
    ("ИПУ", 9, "99999999", D, "5", None, None, False, "Счетчик не найден"),
    ("ИПУ", 10, "00215090", D, "1200", None, None, False, "Счетчик указан в файле повторно"),
    # A formula, a decimal comma, a text date with a two-digit year (shown as typed).
    ("ОДПУ", 2, "7700123", "18.03.26", "110", "55,5", None, True, None),
])
EXPECTED["quirks.xlsx"] = EXPECTED["quirks.xls"] = QUIRKS
# The same workbooks saved by LibreOffice in its own format (.ods): the same verdicts.
EXPECTED["libreoffice.ods"] = EXPECTED["libreoffice.xlsx"]
EXPECTED["quirks.ods"] = QUIRKS
EXPECTED["mac1904.ods"] = EXPECTED["mac1904.xlsx"]


def test_every_file_has_its_expectations_and_is_small():
    names = {p.name for p in FILES.iterdir() if p.is_file() and p.suffix != ".py"}
    assert names == set(EXPECTED) | {"excel95_gnumeric_utf16.xls"}
    for name in names:
        assert len(data(name)) < 100 * 1024, name


def upload(client, name: str):
    token = csrf_token(client.get("/readings/file").text)
    return client.post("/readings/upload", data={
        "csrf_token": token, "file": (io.BytesIO(data(name)), name)},
        content_type="multipart/form-data", follow_redirects=True)


def buffer_rows(core) -> list[tuple]:
    with core.uow() as uow:
        return [(r.sheet_name, r.row_number, r.meter_number, r.raw_date, r.raw_t1, r.raw_t2,
                 r.raw_t3, r.is_valid, r.note)
                for r in uow.session.scalars(select(UploadRow).order_by(UploadRow.id))]


# openpyxl warns that Gnumeric's .xlsx has no default cell style and reads it all the same;
# the suite's «filterwarnings = error» would turn that remark into a refused file, which in
# production (warnings only printed) it is not.
GNUMERIC_XLSX_STYLE = pytest.mark.filterwarnings(
    "ignore:Workbook contains no default style:UserWarning")


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=GNUMERIC_XLSX_STYLE) if name == "xlsx_renamed.xls" else name
    for name in sorted(EXPECTED)])
def test_a_real_file_is_read_with_its_counts_and_notes(core, signed_in, name):
    expected = EXPECTED[name]
    page = page_text(upload(signed_in, name).text)
    assert f"Файл «{name}»" in page
    assert "Индивидуальные ПУ: Верных – {}, ошибок – {}".format(*expected.individual) in page
    assert "Общедомовые ПУ: Верных – {}, ошибок – {}".format(*expected.common_house) in page
    assert buffer_rows(core) == expected.rows
    for row in expected.rows:
        if row[-1]:
            assert row[-1] in page


def test_gnumeric_excel95_with_utf16_text_is_refused_as_damaged(core, signed_in):
    """Neither LibreOffice nor Gnumeric reads this file's Cyrillic back; the cabinet says it is
    damaged and asks for it saved again, and keeps no buffer."""
    page = page_text(upload(signed_in, "excel95_gnumeric_utf16.xls").text)
    assert ("Файл поврежден и не может быть прочитан. Сохраните его заново и повторите "
            "загрузку.") in page
    with core.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Upload)) == 0
