"""The adapters are thin (README, Conventions): a view, an @rpc method or a command of `lkk` parses
input, calls a use case of the core that owns its transaction, and maps errors. Queries live in
the core; files go out under one naming helper; ids in paths are read one way."""
from __future__ import annotations

import re
from pathlib import Path


from lkk_integration import messages as msg
from tests.support.parts import ROOT

WEB = sorted((ROOT / "lkk_web").glob("*.py"))
SOAP_SERVICE = ROOT / "lkk_integration" / "soap" / "service.py"

# What only the core may write: a unit of work, a query, a session, SQLAlchemy, the models.
CORE_ONLY = {
    "a unit of work": re.compile(r"\buow\("),
    "a query": re.compile(r"\bselect\("),
    "a session of the database": re.compile(r"\.session\b|\bsession_factory\b"),
    "SQLAlchemy": re.compile(r"^\s*(from|import) sqlalchemy\b", re.MULTILINE),
    "the models": re.compile(r"\blkk_integration\.models\b"),
}


def _found(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    return [f"{path.relative_to(ROOT)}:{source.count(chr(10), 0, m.start()) + 1}: {what}"
            for what, pattern in CORE_ONLY.items() for m in pattern.finditer(source)]


def test_the_cabinet_and_the_command_call_the_core_and_never_the_database():
    assert WEB, "lkk_web has no modules?"
    assert [line for path in WEB for line in _found(path)] == []


def test_the_soap_methods_call_the_core_and_never_the_database():
    assert _found(SOAP_SERVICE) == []


def test_every_file_the_cabinet_gives_is_named_by_one_helper():
    """RFC 6266: an ASCII filename for old clients, filename* (RFC 5987, UTF-8 percent-encoded)
    for the name people read."""
    from lkk_web.attachments import attachment

    hand_made = [path.name for path in WEB if "Content-Disposition" in path.read_text("utf-8")]
    assert hand_made == ["attachments.py"]
    response = attachment(b"data", "template.xlsx", msg.TEMPLATE_FILE_NAME)
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"template.xlsx\"; "
        "filename*=UTF-8''%D1%88%D0%B0%D0%B1%D0%BB%D0%BE%D0%BD.xlsx")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert attachment(b"", "errors.xls", msg.ERRORS_FILE_NAME).mimetype == \
        "application/vnd.ms-excel"
