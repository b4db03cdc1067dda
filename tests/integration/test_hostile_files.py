"""Hostile and broken files: each gets one clear message, the buffer stays as it was, and the
intake of each runs in a subprocess under a 300 MB address-space limit (docs/spec.md §14.3:
files are hostile input)."""
from __future__ import annotations

import datetime as dt
import http.server
import io
import json
import subprocess
import sys
import textwrap
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from lkk_integration import messages as msg
from lkk_integration.errors import UnreadableFile
from lkk_integration.models import Upload, UploadRow
from lkk_integration.spreadsheets.intake import IntakeLimits, read_sheets

from tests.support import hostile

ADDRESS_SPACE = 300 * 1024 * 1024

# Runs the intake on the file named by argv[1] under an address-space limit; prints the result.
_INTAKE = textwrap.dedent("""
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
    from lkk_integration.errors import UnreadableFile
    from lkk_integration.spreadsheets.intake import IntakeLimits, read_sheets, filled_rows
    data = open(sys.argv[1], "rb").read()
    try:
        rows = list(filled_rows(read_sheets(data, IntakeLimits())))
    except UnreadableFile as exc:
        print(json.dumps({"refused": exc.message}))
    else:
        print(json.dumps({"rows": len(rows)}))
""")


def intake_in_subprocess(path) -> dict:
    done = subprocess.run([sys.executable, "-c", _INTAKE, str(path), str(ADDRESS_SPACE)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


CASES = {
    "empty": (lambda: b"", msg.FILE_EMPTY),
    "spaces only": (lambda: b" \r\n\t ", msg.FILE_EMPTY),
    "random bytes": (hostile.random_bytes, msg.FILE_NOT_SPREADSHEET),
    "truncated xls": (lambda: hostile.truncated(hostile.sparse_xls(1, 2000)), msg.FILE_DAMAGED),
    "truncated xlsx": (lambda: hostile.truncated(hostile.zip_bomb()), msg.FILE_DAMAGED),
    "zip bomb": (hostile.zip_bomb, msg.file_unzipped_too_large(limit_mb=150)),
    "shared-strings bomb": (hostile.shared_strings_bomb, msg.FILE_PACKED_SUSPICIOUSLY),
    "entity bomb": (hostile.entity_bomb, msg.FILE_FORBIDDEN_XML),
    "entity bomb in a sheet": (hostile.entity_bomb_in_sheet, msg.FILE_FORBIDDEN_XML),
    "external entity": (hostile.external_entity, msg.FILE_FORBIDDEN_XML),
    "sparse 20-sheet xls": (hostile.sparse_xls,
                            msg.file_too_many_cells(limit="2 000 000")),
    "ods zip bomb": (hostile.ods_zip_bomb, msg.file_unzipped_too_large(limit_mb=150,
                                                                       extension=".ods")),
    "ods entity bomb": (hostile.ods_entity_bomb, msg.FILE_FORBIDDEN_XML),
    "ods repeated cells": (hostile.ods_repeated_cells, msg.file_too_many_rows(limit="70 000")),
    "ods repeated cells under the row limit": (lambda: hostile.ods_repeated_cells(2000, 1500),
                                               msg.file_too_many_cells(limit="2 000 000")),
    "ods far corners": (hostile.ods_far_corners, msg.file_too_many_cells(limit="2 000 000")),
    "xlsb far corners": (hostile.xlsb_far_corners, msg.file_too_many_cells(limit="2 000 000")),
    "declared A1:XFD1048576": (hostile.wide_declared_xlsx,
                               msg.file_no_template_sheets(columns="«№ счетчика», «Т1», "
                                                                  "«Т2», «Т3», «Дата показания»")),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_file_is_refused_within_300_mb(name, tmp_path):
    build, message = CASES[name]
    path = tmp_path / "file.xls"
    path.write_bytes(build())
    assert intake_in_subprocess(path) == {"refused": message}


def test_the_memory_limit_of_the_subprocess_bites(tmp_path):
    """The harness can fail: a reader that pads rows (xlrd without ragged rows) does not fit."""
    path = tmp_path / "sparse.xls"
    path.write_bytes(hostile.sparse_xls())
    script = textwrap.dedent("""
        import resource, sys, xlrd
        resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
        book = xlrd.open_workbook(sys.argv[1])
        print(sum(book.sheet_by_index(i).ncols for i in range(book.nsheets)))
    """)
    done = subprocess.run([sys.executable, "-c", script, str(path), str(ADDRESS_SPACE)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "MemoryError" in done.stderr


def test_a_refused_file_leaves_the_buffer_as_it_was(core, signed_in):
    from tests.support.cabinet import csrf_token
    from tests.support.spreadsheets import fill_template
    from tests.support.cabinet import house_id

    template = signed_in.post("/readings/template", data={
        "csrf_token": csrf_token(signed_in.get("/readings/file").text),
        "house": str(house_id(core))}).data
    good = fill_template(template, {"00215090": {"t1": 1100, "date": dt.date(2026, 3, 19)}})
    token = csrf_token(signed_in.get("/readings/file").text)
    signed_in.post("/readings/upload", data={"csrf_token": token,
                                             "file": (io.BytesIO(good), "good.xls")})
    with core.uow() as uow:
        before = uow.session.execute(select(UploadRow.id, UploadRow.note)
                                     .order_by(UploadRow.id)).all()
    assert len(before) == 6
    for name, (build, message) in CASES.items():
        page = signed_in.post("/readings/upload", follow_redirects=True, data={
            "csrf_token": token, "file": (io.BytesIO(build()), "bad.xls")})
        assert message in page.text.replace("&#34;", '"'), name
    with core.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Upload)) == 1
        assert uow.session.scalar(select(Upload.status)) == "checked"
        assert uow.session.execute(select(UploadRow.id, UploadRow.note)
                                   .order_by(UploadRow.id)).all() == before


@pytest.fixture(scope="module")
def listener():
    """An HTTP server on loopback that records every request made to it."""
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server name)
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"1100")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


DOCTYPES = {
    "a bare DTD": "<!DOCTYPE {root}>",
    "an internal entity": '<!DOCTYPE {root} [<!ENTITY reading "1100">]>',
    "an external entity": '<!DOCTYPE {root} [<!ENTITY reading SYSTEM "{url}/entity">]>',
    "a parameter entity": '<!DOCTYPE {root} [<!ENTITY % dtd SYSTEM "{url}/parameter"> %dtd;]>',
    "an external DTD": '<!DOCTYPE {root} SYSTEM "{url}/dtd">',
}
PARTS = list(hostile.xlsx_parts())


def with_doctype(xml: str, doctype: str, url: str, comment: int, encoding: str) -> bytes:
    """The part's XML with `doctype` (naming `url`) after its declaration, a comment `comment`
    characters long before it, encoded in `encoding`."""
    declaration, _, body = xml.rpartition("?>")
    declaration = declaration + "?>" if declaration else '<?xml version="1.0"?>'
    declaration = declaration.replace('"UTF-8"', f'"{encoding.upper()}"')
    if 'encoding="' not in declaration:
        declaration = declaration.replace("?>", f' encoding="{encoding.upper()}"?>')
    root = body.lstrip("<").split(" ", 1)[0].split(">", 1)[0].split("/", 1)[0]
    filler = f"<!--{'x' * comment}-->" if comment else ""
    return (declaration + filler + doctype.format(root=root, url=url) + body).encode(encoding)


@settings(max_examples=60, deadline=None)
@given(part=st.sampled_from(PARTS), doctype=st.sampled_from(sorted(DOCTYPES)),
       comment=st.sampled_from([0, 40_000]), encoding=st.sampled_from(["utf-8", "utf-16"]))
def test_a_doctype_in_any_part_of_an_xlsx_is_refused_and_nothing_is_fetched(
        listener, part, doctype, comment, encoding):
    url, requests = listener
    parts = hostile.xlsx_parts()
    parts[part] = with_doctype(parts[part], DOCTYPES[doctype], url, comment, encoding)
    with pytest.raises(UnreadableFile) as refused:
        read_sheets(hostile.zipped(parts), IntakeLimits())
    assert refused.value.message == msg.FILE_FORBIDDEN_XML
    assert requests == []
    # The same part without the DOCTYPE, in the same encoding, is read.
    parts[part] = with_doctype(hostile.xlsx_parts()[part], "", url, comment, encoding)
    assert [sheet.name for sheet in read_sheets(hostile.zipped(parts), IntakeLimits())] == ["ИПУ"]
