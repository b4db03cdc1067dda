"""Regenerate the spreadsheet files of tests/web/test_real_files.py: files saved by real programs.

Run from the repository root (the repository's virtualenv, for the product and its libraries):

    .venv/bin/python tests/files/make_files.py            # every file
    .venv/bin/python tests/files/make_files.py quirks.xls  # only the files named

Needs (Debian 12 package names; the committed files were made with these versions):
  - LibreOffice Calc, `soffice` (libreoffice-calc-nogui 7.4.7);
  - Gnumeric's `ssconvert` (gnumeric 1.12.55);
  - the ru_RU.UTF-8 locale (locales: add «ru_RU.UTF-8 UTF-8» to /etc/locale.gen, run locale-gen).
    Gnumeric writes an Excel 95 file in the code page of the locale (1251 under ru_RU), and
    LibreOffice formats the HTML export's numbers and dates the Russian way.
No network and no database server: the template comes from the product itself (a throwaway
SQLite database, the story organization of tests/support/organizations.py registered in it, the
template built by lkk_integration.spreadsheets.template), a person's typing is done by code
(tests.support.spreadsheets.fill_template or openpyxl), and the programs above save the result.

The tests never run these programs: they read the committed files. The files' contents change
with each run (timestamps inside), their expected counts and notes do not; after regenerating,
run `.venv/bin/python -m pytest tests/web/test_real_files.py -q -p no:cacheprovider`.
Reading dates are 18.03.2026, inside the period of the tests' fixed clock (20.03.2026, 15–26).
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402 - after the sys.path line
import xlrd  # noqa: E402 - after the sys.path line

from tests.support.organizations import story_organization  # noqa: E402 - after the sys.path line
from tests.support.spreadsheets import fill_template  # noqa: E402 - after the sys.path line

D = dt.date(2026, 3, 18)  # the reading date typed everywhere
TODAY = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
RUSSIAN = {"LANG": "ru_RU.UTF-8", "LC_ALL": "ru_RU.UTF-8", "LANGUAGE": "ru"}


# --- the product's template for the story organization ---------------------------------------
def _organization_data():
    """story_organization()'s SOAP payload as the product's OrganizationData."""
    from lkk_integration.organizations import payloads as p

    def kwh(value):
        return None if value is None else Decimal(value)

    def meter(m):
        last = m["LastReading"]
        return p.MeterData(
            billing_id=m["MeterId"], number=m["Number"], zones=m["Zones"],
            capacity=m["Capacity"], transformation_ratio=kwh(m["TransformationRatio"]),
            verification_due=m["VerificationDue"],
            last_reading=p.AccountedReadingData(
                reading_date=last["ReadingDate"], source=last["Source"], t1=kwh(last.get("T1")),
                t2=kwh(last.get("T2")), t3=kwh(last.get("T3"))))

    o = story_organization()
    person = o["ContactPerson"]
    return p.OrganizationData(
        billing_id=o["OrganizationId"], full_name=o["FullName"], short_name=o["ShortName"],
        org_type=o["Type"], inn=o["Inn"], kpp=o["Kpp"], ogrn=o["Ogrn"],
        contract_number=o["ContractNumber"],
        contact_person=p.ContactPersonData(person["FullName"], person["Email"],
                                           person["MobilePhone"]),
        houses=[p.HouseData(
            billing_id=h["HouseId"], settlement=h["Settlement"], street=h["Street"],
            house_number=h["HouseNumber"],
            accounts=[p.AccountData(number=a["Number"], apartment=a["Apartment"],
                                    consumer_name=a["ConsumerName"],
                                    meters=[meter(m) for m in a["Meters"]["Meter"]])
                      for a in h["Accounts"]["Account"]],
            common_house_meters=[meter(m) for m in h["CommonHouseMeters"]["Meter"]])
            for h in o["Houses"]["House"]])


def product_template(work: Path) -> bytes:
    """The .xls the cabinet's «Скачать шаблон файла» gives for the story organization's house."""
    from sqlalchemy import select

    from lkk_integration.clock import FixedClock
    from lkk_integration.config import Config, MailConfig, PasswordHashing
    from lkk_integration.core import create_core
    from lkk_integration.models import House, Organization
    from lkk_integration.organizations.clients import create_client
    from lkk_integration.organizations.registry import register_organization
    from lkk_integration.schema import create_schema
    from lkk_integration.spreadsheets.template import build_xls, rows_for_template

    config = Config(database_url=f"sqlite:///{work / 'template.sqlite3'}",
                    secret_key="make-files-not-a-secret",
                    mail=MailConfig(mode="folder", folder=work / "mail"),
                    password_hashing=PasswordHashing(time_cost=1, memory_cost_kib=8,
                                                     parallelism=1))
    core = create_core(config, clock=FixedClock(TODAY))
    try:
        create_schema(core.engine, stamp=False)
        client_id, _secret = create_client(core, "make-files")
        register_organization(core, client_id, "make-files", _organization_data())
        with core.uow() as uow:
            organization = uow.session.scalar(select(Organization.id))
            houses = list(uow.session.scalars(select(House.id)))
        return build_xls(rows_for_template(core, organization, houses))
    finally:
        core.engine.dispose()


# --- the programs -------------------------------------------------------------------------
def run(command: list[str], env: dict[str, str] | None = None) -> None:
    subprocess.run(command, check=True, timeout=300, capture_output=True,
                   env={**os.environ, **(env or {})})


def libreoffice(source: Path, target: str, out_name: str, work: Path) -> bytes:
    """Open `source` in LibreOffice Calc (Russian locale) and save it with the filter `target`
    («xls:MS Excel 97», «xlsx:Calc MS Excel 2007 XML», «ods:calc8», «html:HTML (StarCalc)»).
    LibreOffice 7.4 reads .xlsb but has no filter to write it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) is needed: apt-get install libreoffice-calc-nogui")
    out = work / f"lo-{out_name}"
    run([soffice, f"-env:UserInstallation=file://{work / 'lo-profile'}", "--headless",
         "--norestore", "--convert-to", target, "--outdir", str(out), str(source)], RUSSIAN)
    [made] = list(out.iterdir())
    return made.read_bytes()


def gnumeric(source: Path, exporter: str, suffix: str, work: Path,
             env: dict[str, str] | None = None) -> bytes:
    """Convert `source` with Gnumeric's ssconvert and the exporter named."""
    if shutil.which("ssconvert") is None:
        sys.exit("Gnumeric's ssconvert is needed: apt-get install gnumeric")
    target = work / f"{source.stem}-{exporter.split(':')[-1]}{suffix}"
    run(["ssconvert", "-T", exporter, str(source), str(target)], env)
    return target.read_bytes()


def need_russian_locale() -> None:
    found = subprocess.run(["locale", "-a"], check=False, capture_output=True,
                           text=True).stdout.lower()
    if "ru_ru.utf8" not in found and "ru_ru.utf-8" not in found:
        sys.exit("The ru_RU.UTF-8 locale is needed: add «ru_RU.UTF-8 UTF-8» to /etc/locale.gen "
                 "and run locale-gen")


def save(work: Path, name: str, data: bytes) -> Path:
    path = work / name
    path.write_bytes(data)
    return path


# --- what the person typed -----------------------------------------------------------------
# Meters of the story organization (tests/support/organizations.py): 00215090 (кв. 1, 1 zone,
# last 1000), 066823 (кв. 2, 2 zones, 500/300), 00300001 (кв. 3, 1 zone, 2000), 00300002 (кв. 4,
# 3 zones, 5/10/15), 00300003 (кв. 5, 1 zone, 100); common-house 7700123 (2 zones, 100/50,
# ratio 40); all accounted on 20.02.2026, capacity 6 digits.

def make_libreoffice_xls(template: bytes, work: Path) -> bytes:
    """The template filled and saved by LibreOffice Calc as Excel 97–2003 (BIFF8)."""
    filled = fill_template(template, {
        "00215090": {"t1": 1100.5, "date": D},
        "066823": {"t1": 520, "t2": 310, "date": D},
        "00300001": {"t1": 1500, "date": D},                              # lower than 2000
        "00300002": {"t1": 6, "t2": 11, "t3": "16,25", "date": "18.03.2026"},
        "7700123": {"t1": 110, "t2": 55, "date": D},
    })
    return libreoffice(save(work, "libreoffice.xls", filled), "xls:MS Excel 97", "xls", work)


def make_libreoffice_xlsx(template: bytes, work: Path) -> bytes:
    """The template filled and saved by LibreOffice Calc as Excel 2007–365 (.xlsx)."""
    filled = fill_template(template, {
        "00215090": {"t1": 1100, "date": D},                              # number lost zeros
        "066823": {"t1": 520.25, "t2": "310,75", "date": D},
        "00300001": {"t1": 2100, "date": dt.date(2026, 3, 25)},           # in the future
        "00300002": {"t1": 6, "t2": 11, "t3": 16, "date": D},
        "00300003": {"t1": 5000, "date": D},                              # above the ceiling
        "7700123": {"t1": 110, "t2": 55.5, "date": D},
    }, numeric_numbers={"00215090"})
    return libreoffice(save(work, "libreoffice-xlsx.xls", filled),
                       "xlsx:Calc MS Excel 2007 XML", "xlsx", work)


EXCEL95_FILLS = {
    "00215090": {"t1": 1100.5, "date": D},
    "066823": {"t1": 520, "t2": 310, "date": D},
    "00300001": {"t1": 2100.125, "date": D},                              # 3 fraction digits
    "00300002": {"t1": 6, "t2": 11, "t3": 16, "date": D},
    "7700123": {"t1": 110, "t2": 55, "date": D},
}
# A row typed under the template's rows: the meter of кв. 5 given for кв. 7.
EXCEL95_EXTRA = [{"Квартира": "7", "№ счетчика": "00300003", "Т1": 150, "Дата показания": D}]


def make_excel95_gnumeric(template: bytes, work: Path) -> bytes:
    """Excel 5.0/95 (BIFF5/7) with Cyrillic text in code page 1251, as 1C and old Excel write:
    Gnumeric under ru_RU.UTF-8. The source is a .gnumeric file, since Gnumeric keeps the code
    page of an .xls it opened (1200, see make_excel95_gnumeric_utf16) and uses the locale's only
    for a workbook that came from elsewhere."""
    need_russian_locale()
    filled = save(work, "excel95.xls", fill_template(template, EXCEL95_FILLS,
                                                     extra_rows=EXCEL95_EXTRA))
    native = work / "excel95.gnumeric"
    run(["ssconvert", "-T", "Gnumeric_XmlIO:sax", str(filled), str(native)], RUSSIAN)
    return gnumeric(native, "Gnumeric_Excel:excel_biff7", ".xls", work, RUSSIAN)


def make_excel95_gnumeric_utf16(template: bytes, work: Path) -> bytes:
    """The filled .xls template opened in Gnumeric and saved as Excel 5.0/95: Gnumeric keeps the
    source's code page 1200 (UTF-16), which BIFF5/7 cannot carry, and writes a file whose Cyrillic
    text neither LibreOffice nor Gnumeric itself reads back; the cabinet calls it damaged."""
    need_russian_locale()
    filled = save(work, "excel95-utf16.xls", fill_template(template, EXCEL95_FILLS))
    return gnumeric(filled, "Gnumeric_Excel:excel_biff7", ".xls", work, RUSSIAN)


def make_xlsx_renamed(template: bytes, work: Path) -> bytes:
    """An .xlsx (Gnumeric's ISO/IEC 29500 writer) whose name says .xls."""
    filled = fill_template(template, {
        "00215090": {"t1": 1100, "t2": 5, "date": D},                     # T2 on a 1-zone meter
        "066823": {"t1": 520, "t2": 310, "date": D},
        "00300001": {"t1": 2100, "date": dt.date(2026, 3, 10)},           # before the period
        "00300002": {"t1": 6, "t2": 11, "date": D},                       # T3 missing
        "00300003": {"t1": 150, "date": D},
        "7700123": {"t1": 110, "t2": 55, "date": D},
    })
    return gnumeric(save(work, "renamed.xls", filled), "Gnumeric_Excel:xlsx2", ".xlsx", work)


def make_html_table(template: bytes, work: Path) -> bytes:
    """The template filled and saved by LibreOffice Calc as a web page (HTML), named .xls, as
    programs that «export to Excel» do; the cells are the text LibreOffice shows in Russian."""
    filled = fill_template(template, {
        "00215090": {"t1": 1100.5, "date": D},
        "00300001": {"t1": 2100, "date": D},
        "00300002": {"t1": "шесть", "t2": 11, "t3": 16, "date": D},      # not a number
        "00300003": {"t1": 150, "date": D},
        "7700123": {"t1": 110, "t2": 55, "date": D},
    }, extra_rows=[{"Квартира": "2", "Лицевой счет": "100009", "№ счетчика": "066823",
                    "Т1": 520, "Т2": 310, "Дата показания": D}])      # another account
    return libreoffice(save(work, "html_table.xls", filled), "html:HTML (StarCalc)", "html",
                       work)


# --- workbooks with the quirks, written with openpyxl and saved by LibreOffice --------------
DATE_FORMAT = "DD.MM.YYYY"


def template_workbook(template: bytes, epoch=None) -> openpyxl.Workbook:
    """The template as an openpyxl workbook: its sheets (the hidden one hidden), text, numbers
    and date cells as they are."""
    source = xlrd.open_workbook(file_contents=template)
    book = openpyxl.Workbook()
    book.remove(book.active)
    if epoch is not None:
        book.epoch = epoch
    for sheet in source.sheets():
        ws = book.create_sheet(sheet.name)
        if sheet.visibility:
            ws.sheet_state = "hidden"
        for r in range(sheet.nrows):
            for c, cell in enumerate(sheet.row(r)):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    target = ws.cell(r + 1, c + 1, xlrd.xldate_as_datetime(cell.value,
                                                                           source.datemode))
                    target.number_format = DATE_FORMAT
                elif cell.ctype not in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) \
                        and cell.value != "":
                    ws.cell(r + 1, c + 1, cell.value)
        for c in range(sheet.ncols):
            ws.column_dimensions[openpyxl.utils.get_column_letter(c + 1)].width = \
                40 if c == 0 else 14
    return book


def columns(ws) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[1] if cell.value}


def meter_row(ws, number: str) -> int:
    col = columns(ws)["№ счетчика"]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value == number)


def put(ws, row: int, values: dict[str, object]) -> None:
    """Type into a row by column title: {"Т1": …, "Дата показания": …}."""
    titles = columns(ws)
    for title, value in values.items():
        cell = ws.cell(row, titles[title], value)
        if isinstance(value, (dt.date, dt.datetime)):
            cell.number_format = DATE_FORMAT


def quirks_source(template: bytes, work: Path) -> Path:
    """The template as a person leaves it after copying, pasting and typing in a hurry."""
    book = template_workbook(template)
    ws = book["ИПУ"]
    when = dt.datetime.combine(D, dt.time())
    rows = {number: meter_row(ws, number)
            for number in ("00215090", "066823", "00300001", "00300002", "00300003")}
    # кв. 1: the meter number became a number (leading zeros lost); a no-break space between
    # thousands and a decimal comma, typed as text; a date cell.
    r = rows["00215090"]
    put(ws, r, {"№ счетчика": 215090, "Т1": "1\u00a0100,5", "Дата показания": when})
    # кв. 2: the row is hidden by the person (still read); a no-break space after the number;
    # the date a bare serial number (46099 = 18.03.2026) in an unformatted cell.
    r = rows["066823"]
    put(ws, r, {"№ счетчика": "066823\u00a0", "Т1": 520, "Т2": 310,
                  "Дата показания": 46099})
    ws.row_dimensions[r].hidden = True
    # кв. 3: a formula whose cached value is the reading; a text date.
    r = rows["00300001"]
    put(ws, r, {"Т1": "=2000+150", "Дата показания": "18.03.2026"})
    # кв. 4: a decimal comma in text, a formula with a fraction, a date cell.
    r = rows["00300002"]
    put(ws, r, {"Т1": 6, "Т2": "11,5", "Т3": "=15+1.25", "Дата показания": when})
    # кв. 5: a number pasted as text keeps the float's tail «300003.0»; spaces around T1.
    r = rows["00300003"]
    put(ws, r, {"№ счетчика": "300003.0", "Т1": " 150 ", "Дата показания": "18.03.2026"})
    # The address merged down the house's rows: only the first cell keeps it.
    first, last = rows["00215090"], rows["00300003"]
    ws.merge_cells(start_row=first, start_column=1, end_row=last, end_column=1)
    # Two empty rows, then rows typed below: an unknown meter, and кв. 1's meter again.
    below = last + 3
    put(ws, below, {"Квартира": "9", "№ счетчика": "99999999", "Т1": 5,
                      "Дата показания": when})
    put(ws, below + 1, {"Квартира": "1", "№ счетчика": "00215090", "Т1": 1200,
                          "Дата показания": when})
    # A hidden sheet with the template's columns and a reading: hidden sheets are not read.
    draft = book.create_sheet("ИПУ (черновик)", index=1)
    for c, cell in enumerate(ws[1], 1):
        draft.cell(1, c, cell.value)
    put(draft, 2, {"Квартира": "3", "№ счетчика": "00300001", "Т1": 2100,
                     "Дата показания": when})
    draft.sheet_state = "hidden"
    # The common-house meter: a formula, a decimal comma, a text date with a two-digit year.
    common = book["ОДПУ"]
    put(common, meter_row(common, "7700123"),
        {"Т1": "=100+10", "Т2": "55,5", "Дата показания": "18.03.26"})
    path = work / "quirks-source.xlsx"
    book.save(path)
    return path


def mac1904_source(template: bytes, work: Path) -> Path:
    """The template in a workbook dated from 1904 (Excel for Mac's date system): date cells and
    a bare serial (44637 = 18.03.2026 from 1904, 16.03.2022 if read from 1900)."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = template_workbook(template, epoch=CALENDAR_MAC_1904)
    when = dt.datetime.combine(D, dt.time())
    ws = book["ИПУ"]
    put(ws, meter_row(ws, "00215090"), {"Т1": 1100, "Дата показания": when})
    put(ws, meter_row(ws, "066823"), {"Т1": 520, "Т2": 310, "Дата показания": 44637})
    common = book["ОДПУ"]
    put(common, meter_row(common, "7700123"), {"Т1": 110, "Т2": 55, "Дата показания": when})
    path = work / "mac1904-source.xlsx"
    book.save(path)
    return path


def resaved(source_of, target: str, out_name: str):
    """A maker of the workbook `source_of(template, work)` builds, saved by LibreOffice as
    `target` (its filter, e.g. "xls:MS Excel 97")."""
    def make(template: bytes, work: Path) -> bytes:
        return libreoffice(source_of(template, work), target, out_name, work)
    return make


CALC_XLSX, CALC_XLS, CALC_ODS = "xlsx:Calc MS Excel 2007 XML", "xls:MS Excel 97", "ods:calc8"


def make_libreoffice_ods(template: bytes, work: Path) -> bytes:
    """The template filled as for libreoffice.xlsx, saved by LibreOffice Calc in its own format
    (OpenDocument, .ods)."""
    xlsx = make_libreoffice_xlsx(template, work)
    return libreoffice(save(work, "libreoffice-ods.xlsx", xlsx), CALC_ODS, "ods", work)
FILES = {
    "libreoffice.xls": make_libreoffice_xls,
    "libreoffice.xlsx": make_libreoffice_xlsx,
    "excel95_gnumeric.xls": make_excel95_gnumeric,
    "excel95_gnumeric_utf16.xls": make_excel95_gnumeric_utf16,
    "xlsx_renamed.xls": make_xlsx_renamed,
    "html_table.xls": make_html_table,
    "quirks.xlsx": resaved(quirks_source, CALC_XLSX, "quirks-xlsx"),
    "quirks.xls": resaved(quirks_source, CALC_XLS, "quirks-xls"),
    "mac1904.xlsx": resaved(mac1904_source, CALC_XLSX, "mac1904-xlsx"),
    "mac1904.xls": resaved(mac1904_source, CALC_XLS, "mac1904-xls"),
    "libreoffice.ods": make_libreoffice_ods,
    "quirks.ods": resaved(quirks_source, CALC_ODS, "quirks-ods"),
    "mac1904.ods": resaved(mac1904_source, CALC_ODS, "mac1904-ods"),
}
MAX_BYTES = 100 * 1024


def main(names: list[str]) -> None:
    unknown = set(names) - set(FILES)
    if unknown:
        sys.exit(f"unknown file(s): {', '.join(sorted(unknown))}; known: {', '.join(FILES)}")
    with tempfile.TemporaryDirectory(prefix="lkk-files-") as tmp:
        work = Path(tmp)
        template = product_template(work)
        for name in names or FILES:
            step = work / name.replace(".", "-")
            step.mkdir()
            data = FILES[name](template, step)
            if len(data) > MAX_BYTES:
                sys.exit(f"{name}: {len(data)} bytes, more than {MAX_BYTES}")
            (HERE / name).write_bytes(data)
            print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
