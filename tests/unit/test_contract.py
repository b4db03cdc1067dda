"""The committed contract files match the code: schema.sql, the WSDL; the core stays free of
the adapters' frameworks."""
from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

from lxml import etree

from lkk_integration.schema import schema_sql
from lkk_integration.soap.app import build_wsdl
from tests.support.parts import ROOT

XS = "{http://www.w3.org/2001/XMLSchema}"
WSDL = "{http://schemas.xmlsoap.org/wsdl/}"


def test_schema_sql_is_regenerated_byte_for_byte():
    assert (ROOT / "schema.sql").read_text(encoding="utf-8") == schema_sql(), \
        "schema.sql is stale: run `lkk schema-sql`"


def test_committed_wsdl_is_what_the_service_serves():
    assert (ROOT / "wsdl" / "lkk.wsdl").read_bytes() == build_wsdl("http://127.0.0.1:8000/soap"), \
        "wsdl/lkk.wsdl is stale: run `lkk wsdl`"


def _complex_type(tree, name):
    return tree.find(f".//{XS}complexType[@name='{name}']")


def test_required_elements_say_min_occurs_1_and_optional_ones_0():
    tree = etree.fromstring((ROOT / "wsdl" / "lkk.wsdl").read_bytes())
    elements = {e.get("name"): e.get("minOccurs")
                for e in _complex_type(tree, "Organization").iter(f"{XS}element")}
    assert elements["OrganizationId"] == "1"
    assert elements["Inn"] == "1"
    assert elements["ContactPerson"] == "1"
    assert elements["Kpp"] == "0"
    assert elements["Houses"] == "0"
    request = {e.get("name"): e.get("minOccurs")
               for e in _complex_type(tree, "RegisterOrganization").iter(f"{XS}element")}
    assert request == {"RequestId": "1", "Organization": "1"}
    for element in tree.iter(f"{XS}element"):
        if element.getparent().tag == f"{XS}sequence":
            assert element.get("minOccurs") in ("0", "1"), element.get("name")


def test_target_namespace_carries_a_version():
    tree = etree.fromstring((ROOT / "wsdl" / "lkk.wsdl").read_bytes())
    assert tree.get("targetNamespace").endswith("/v1")


def _core_modules(path: Path, prefix: str) -> list[str]:
    """Every module and package under `path` (found by pkgutil, without importing them) but
    soap/, the SOAP adapter."""
    found = []
    for module in pkgutil.iter_modules([str(path)], prefix):
        if module.name == "lkk_integration.soap":
            continue
        found.append(module.name)
        if module.ispkg:
            found += _core_modules(path / module.name.rsplit(".", 1)[1], module.name + ".")
    return found


def test_core_imports_neither_flask_nor_spyne():
    modules = _core_modules(ROOT / "lkk_integration", "lkk_integration.")
    assert any(m.startswith("lkk_integration.readings.") for m in modules), modules
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules)
            + "bad = [m for m in ('flask', 'spyne', 'werkzeug') if m in sys.modules]\n"
            + "print(','.join(bad))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "", f"the core imported {result.stdout.strip()}"


def test_every_operation_declares_the_one_typed_fault():
    """So that generated clients (JAX-WS, .NET, 1C) catch a typed exception whose detail holds
    the code, the field and the list item, instead of parsing the message."""
    tree = etree.fromstring((ROOT / "wsdl" / "lkk.wsdl").read_bytes())
    soap = "{http://schemas.xmlsoap.org/wsdl/soap/}"
    [message] = tree.findall(f"{WSDL}message[@name='LkkFault']")
    assert message.find(f"{WSDL}part").get("element") == "tns:LkkFault"
    assert [e.get("name") for e in _complex_type(tree, "LkkFault").iter(f"{XS}element")] == \
        ["Code", "Field", "Item", "CorrelationId"]
    port_type = tree.find(f"{WSDL}portType").findall(f"{WSDL}operation")
    binding = tree.find(f"{WSDL}binding").findall(f"{WSDL}operation")
    assert len(port_type) == len(binding) == 16
    for operation in port_type:
        assert [(f.get("name"), f.get("message")) for f in operation.findall(f"{WSDL}fault")] \
            == [("LkkFault", "tns:LkkFault")], operation.get("name")
    for operation in binding:
        assert [(f.get("name"), f.find(f"{soap}fault").get("use"))
                for f in operation.findall(f"{WSDL}fault")] == [("LkkFault", "literal")], \
            operation.get("name")
