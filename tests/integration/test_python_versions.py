"""The project runs on the Python it is installed with, 3.11 to 3.13: spyne 2.14 imports through
lkk_integration/spyne_compat.py on 3.12+, the SOAP service answers, and the contract it serves
is the committed one byte for byte (CI runs this on 3.11 and on 3.13)."""
from __future__ import annotations

import base64
import sys

from lkk_integration.spyne_compat import _SixMovesFinder

from tests.support.parts import ROOT
from tests.support.soap import soap_envelope

COMMITTED = ROOT / "wsdl" / "lkk.wsdl"


def test_the_running_python_is_one_the_project_supports():
    assert (3, 11) <= sys.version_info[:2] < (3, 14)


def test_the_spyne_finder_is_in_place_exactly_where_python_needs_it():
    installed = [f for f in sys.meta_path if isinstance(f, _SixMovesFinder)]
    assert len(installed) == (1 if sys.version_info >= (3, 12) else 0)


def test_the_soap_service_answers_a_call_and_serves_the_committed_contract(
        core, client, soap_credentials):
    auth = base64.b64encode(":".join(soap_credentials).encode()).decode()
    answer = client.post("/soap", data=soap_envelope(
        "<v1:ExportReadings><v1:Cursor>0</v1:Cursor><v1:Limit>10</v1:Limit></v1:ExportReadings>"),
        headers={"Content-Type": "text/xml; charset=utf-8", "Authorization": f"Basic {auth}"})
    assert answer.status_code == 200
    assert b"ExportReadingsResponse" in answer.data and b"<tns:HasMore>false" in answer.data
    served = client.get("/soap?wsdl").data.replace(core.config.soap_url.encode(),
                                                   b"http://127.0.0.1:8000/soap")
    assert served == COMMITTED.read_bytes()


def test_a_new_database_is_stamped_without_alembic_chatter(tmp_path, caplog):
    """`make demo` prints its banner first: creating the schema logs nothing below WARNING."""
    import logging

    from lkk_integration.db import make_engine
    from lkk_integration.schema import create_schema

    caplog.set_level(logging.INFO)
    engine = make_engine(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    try:
        create_schema(engine)
    finally:
        engine.dispose()
    assert [r.getMessage() for r in caplog.records
            if r.name.startswith("alembic") and r.levelno < logging.WARNING] == []
    assert logging.getLogger("alembic").level == logging.NOTSET
