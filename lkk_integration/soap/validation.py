"""Schema validation of requests with Russian messages that name the field.

lxml's XML Schema validator finds the error; this module says it in the integrator's terms:
the element's path from the operation («Organization/Houses/House[2]/Zones») and the rule.
"""
from __future__ import annotations

import copy
import re

from lxml import etree

from .types import NS

ATOMIC_TYPES = {
    "integer": "целое число", "long": "целое число", "int": "целое число",
    "decimal": "число с точкой, например 12345.67", "date": "дата в виде ГГГГ-ММ-ДД",
    "dateTime": "дата и время в виде ГГГГ-ММ-ДДTчч:мм:сс", "boolean": "true или false",
    "string": "строка",
}
_NAME = re.compile(r"Element '(?:\{[^}]*\})?([^']+)'")
_EXPECTED = re.compile(r"Expected is (?:one of )?\( ([^)]*) \)")
_VALUE = re.compile(r"'([^']*)' is not a valid value of the (?:local )?atomic type(?: '([^']*)')?")
_FACET_VALUE = re.compile(r"The value '([^']*)'")
_LIMIT = re.compile(r"allowed \('([^']*)'\)")


def _strip_ns(text: str) -> str:
    return re.sub(r"\{[^}]*\}", "", text)


def _path(error) -> str:
    """'/v1:RegisterOrganization/v1:Organization/v1:Inn' → 'Organization/Inn'."""
    steps = [re.sub(r"^[\w.-]+:", "", step) for step in (error.path or "").split("/") if step]
    return "/".join(steps[1:])


def _atomic(type_name: str | None, schema_types: dict[str, str]) -> str:
    if not type_name:
        return "значение другого типа"
    local = _strip_ns(type_name).split(":")[-1]
    base = schema_types.get(local, local)
    return ATOMIC_TYPES.get(base, base)


def russian_message(error, schema_types: dict[str, str]) -> str:
    """A Russian message for one lxml schema error, naming the field by its path."""
    message, kind = error.message, error.type_name
    name = (_NAME.search(message) or [None, ""])[1]
    path = _path(error) or name
    expected = _EXPECTED.search(message)
    expected_names = ", ".join(_strip_ns(e).strip() for e in expected.group(1).split(",")) \
        if expected else ""
    if kind == "SCHEMAV_CVC_ELT_1":
        namespace = re.search(r"Element '\{([^}]*)\}", message)
        if namespace and namespace.group(1) != NS:
            return f"Операция {name} должна быть в пространстве имен {NS}"
        return f"Неизвестная операция {name}"
    if kind == "SCHEMAV_ELEMENT_CONTENT" and "Missing child" in message:
        where = f"{_path(error)}/" if _path(error) else ""
        return f"Не заполнено обязательное поле {where}{expected_names}"
    if kind == "SCHEMAV_ELEMENT_CONTENT":
        tail = f"; ожидается {expected_names}" if expected_names else ""
        if name and name in expected_names.split(", "):
            tail += f" в пространстве имен {NS}"
        return f"Поле {path} здесь не ожидается{tail}"
    if kind.startswith("SCHEMAV_CVC_DATATYPE_VALID"):
        found = _VALUE.search(message)
        value = found.group(1) if found else ""
        type_name = found.group(2) if found else None
        return f"Поле {path}: значение «{value}» не подходит, ожидается " \
               f"{_atomic(type_name, schema_types)}"
    if kind in ("SCHEMAV_CVC_MININCLUSIVE_VALID", "SCHEMAV_CVC_MAXINCLUSIVE_VALID"):
        value = (_FACET_VALUE.search(message) or [None, ""])[1]
        limit = (_LIMIT.search(message) or [None, ""])[1]
        side = "меньше минимума" if "MIN" in kind else "больше максимума"
        return f"Поле {path}: значение «{value}» {side} {limit}"
    if kind in ("SCHEMAV_CVC_MAXLENGTH_VALID", "SCHEMAV_CVC_LENGTH_VALID"):
        limit = re.search(r"maximum length of '(\d+)'", message)
        return f"Поле {path}: длина больше {limit.group(1) if limit else 'допустимой'} символов"
    if kind == "SCHEMAV_CVC_MINLENGTH_VALID":
        return f"Поле {path}: значение слишком короткое"
    if kind == "SCHEMAV_CVC_TYPE_3_1_2":
        return f"Поле {path}: ожидается значение, а не вложенные элементы"
    if kind.startswith("SCHEMAV_CVC_ELT_3"):
        return f"Поле {path} не может быть пустым (nil)"
    return f"Поле {path}: значение не соответствует схеме (WSDL)"


class RequestSchema:
    """The WSDL's XML Schema, compiled once; validates an operation's payload element."""

    def __init__(self, wsdl: bytes):
        tree = etree.fromstring(wsdl)
        embedded = tree.find(".//{http://www.w3.org/2001/XMLSchema}schema")
        # The types name each other as tns:…, declared on wsdl:definitions: lift the schema out
        # with every namespace of the WSDL in scope.
        schema = etree.Element(embedded.tag, attrib=dict(embedded.attrib),
                               nsmap={**tree.nsmap, **embedded.nsmap})
        schema.extend(copy.deepcopy(child) for child in embedded)
        self.schema = etree.XMLSchema(schema)
        xs = "{http://www.w3.org/2001/XMLSchema}"
        # Restricted simple types (Meter_ZonesType → integer) for naming the expected kind.
        self.types = {st.get("name"): _strip_ns(st.find(f"{xs}restriction").get("base"))
                      .split(":")[-1]
                      for st in schema.iter(f"{xs}simpleType")
                      if st.find(f"{xs}restriction") is not None}

    def first_error(self, payload) -> str | None:
        """None when `payload` is valid, else a Russian message for its first error."""
        if self.schema.validate(payload):
            return None
        return russian_message(self.schema.error_log[0], self.types)
