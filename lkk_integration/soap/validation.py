"""Schema validation of requests with Russian messages that name the field.

lxml's XML Schema validator finds the error; this module says it in the integrator's terms:
the element's path from the operation («Organization/Houses/House[2]/Zones») and the rule.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from lxml import etree

from lkk_integration import messages as msg
from lkk_integration.soap.types import NS
from lkk_integration.text import forbidden_in

ATOMIC_TYPES = msg.ATOMIC_TYPES
_NAME = re.compile(r"Element '(?:\{[^}]*\})?([^']+)'")
_EXPECTED = re.compile(r"Expected is (?:one of )?\( ([^)]*) \)")
_VALUE = re.compile(r"'([^']*)' is not a valid value of the (?:local )?atomic type(?: '([^']*)')?")
_FACET_VALUE = re.compile(r"The value '([^']*)'")
_LIMIT = re.compile(r"allowed \('([^']*)'\)")
# xs:integer's lexical form (XML Schema 1.0 part 2, 3.3.13.1), whitespace collapsed.
_INTEGER = re.compile(r"\s*([+-]?\d+)\s*")
# The built-in integer types with a range (XML Schema 1.0 part 2, 3.3.16–3.3.19).
INTEGER_RANGES = {"long": (-2**63, 2**63 - 1), "int": (-2**31, 2**31 - 1),
                  "short": (-2**15, 2**15 - 1), "byte": (-2**7, 2**7 - 1)}


def _strip_ns(text: str) -> str:
    return re.sub(r"\{[^}]*\}", "", text)


_STEP = re.compile(r"(?:(?P<prefix>[^:\[\]]+):)?(?P<name>[^:\[\]]+)(?:\[(?P<n>\d+)\])?")


@dataclass(frozen=True)
class SchemaFault:
    """The first schema error of a request as its fault says it: the Russian message, the
    field's path from the operation (None when the operation itself is at fault) and, when the
    field is in an item of a list, that item's position from 1 in the outermost list."""

    message: str
    field: str | None
    item: int | None


def _elements(parent) -> list:
    return [child for child in parent if isinstance(child.tag, str)]


def _located(payload, libxml_path: str | None):
    """The element of `payload` that libxml2's node path names (as near as it can be found).

    The path is only an address here: libxml2 writes an element in a default namespace as
    «*[2]», its position among all element siblings, and a prefixed one as «v1:T1[2]», its
    position among siblings of that name and prefix; the first step is the operation itself.
    """
    element = payload
    for step in (libxml_path or "").split("/")[2:]:
        found = _STEP.fullmatch(step)
        if found is None:
            break
        prefix, name, n = found["prefix"], found["name"], int(found["n"] or 1)
        if name == "*":
            siblings = _elements(element)
        else:
            siblings = [c for c in _elements(element) if etree.QName(c).localname == name
                        and c.prefix == prefix
                        and (prefix is not None or etree.QName(c).namespace is None)]
        if len(siblings) < n:
            break  # a step to no element (an attribute, a text node): the field is this one
        element = siblings[n - 1]
    return element


def _position(element) -> int | None:
    """1-based position among element siblings of the same name, None when it has none."""
    parent = element.getparent()
    same = [c for c in _elements(parent) if c.tag == element.tag] if parent is not None else []
    return same.index(element) + 1 if len(same) > 1 else None


def _descent(element, payload) -> list:
    """The elements from the operation's child down to `element`."""
    chain = []
    while element is not None and element is not payload:
        chain.append(element)
        element = element.getparent()
    return chain[::-1]


def field_path(element, payload) -> str:
    """The element's path from the operation by local names, whatever the prefixes:
    «Readings/MeterReading[2]/T1» (an index where siblings share the name, as lxml writes it
    for a prefixed body); "" for the operation itself."""
    steps = []
    for node in _descent(element, payload):
        position = _position(node)
        steps.append(etree.QName(node).localname + (f"[{position}]" if position else ""))
    return "/".join(steps)


def _atomic(type_name: str | None, schema_types: dict[str, str]) -> str:
    if not type_name:
        return msg.OTHER_TYPE
    local = _strip_ns(type_name).split(":")[-1]
    base = schema_types.get(local, local)
    return ATOMIC_TYPES.get(base, base)


def _range(type_name: str | None, ranges: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
    """The (lowest, highest) value of an integer type with a range, None for any other."""
    local = _strip_ns(type_name or "").split(":")[-1]
    return ranges.get(local) or INTEGER_RANGES.get(local)


def russian_message(error, path: str, schema_types: dict[str, str],
                    ranges: dict[str, tuple[int, int]] | None = None) -> tuple[str, str | None]:
    """A Russian message for one lxml schema error, naming the field by `path` (the element's
    path from the operation, see field_path); returns (message, the field's path or None).

    `ranges` holds the (lowest, highest) value of each restricted integer type by name
    (RequestSchema.ranges): an integer too big or too small for its type says the range, not
    that an integer is expected."""
    message, kind = error.message, error.type_name
    name = (_NAME.search(message) or [None, ""])[1]
    field = path or name
    expected = _EXPECTED.search(message)
    expected_names = ", ".join(_strip_ns(e).strip() for e in expected.group(1).split(",")) \
        if expected else ""
    if kind == "SCHEMAV_CVC_ELT_1":
        namespace = re.search(r"Element '\{([^}]*)\}", message)
        if namespace and namespace.group(1) != NS:
            return msg.operation_namespace(name, NS), None
        return msg.unknown_operation(name), None
    if kind == "SCHEMAV_ELEMENT_CONTENT" and "Missing child" in message:
        # The expected are the optional elements that may come next and the required one
        # that must: the last.
        required = expected_names.split(", ")[-1]
        missing = f"{path}/{required}" if path else required
        return msg.required_field(missing), missing
    if kind == "SCHEMAV_ELEMENT_CONTENT":
        in_other_namespace = bool(name) and name in expected_names.split(", ")
        return msg.field_not_expected(field, expected_names,
                                      NS if in_other_namespace else None), field
    if kind.startswith("SCHEMAV_CVC_DATATYPE_VALID"):
        found = _VALUE.search(message)
        value = found.group(1) if found else ""
        type_name = found.group(2) if found else None
        bounds = _range(type_name, ranges or {})
        literal = _INTEGER.fullmatch(value)
        if bounds and literal and not bounds[0] <= int(literal.group(1)) <= bounds[1]:
            return msg.out_of_range(field, value, bounds[0], bounds[1]), field
        return msg.value_not_of_type(field, value, _atomic(type_name, schema_types)), field
    if kind in ("SCHEMAV_CVC_MININCLUSIVE_VALID", "SCHEMAV_CVC_MAXINCLUSIVE_VALID"):
        value = (_FACET_VALUE.search(message) or [None, ""])[1]
        limit = (_LIMIT.search(message) or [None, ""])[1]
        return msg.value_beyond(field, value, "MIN" in kind, limit), field
    if kind in ("SCHEMAV_CVC_MAXLENGTH_VALID", "SCHEMAV_CVC_LENGTH_VALID"):
        limit = re.search(r"maximum length of '(\d+)'", message)
        return msg.value_too_long(field, limit.group(1) if limit else None), field
    if kind == "SCHEMAV_CVC_MINLENGTH_VALID":
        return msg.value_too_short(field), field
    if kind == "SCHEMAV_CVC_PATTERN_VALID":
        found = re.search(r"pattern '([^']*)'", message)
        value = (_FACET_VALUE.search(message) or [None, ""])[1]
        return msg.value_not_matching(field, value, found.group(1) if found else ""), field
    if kind == "SCHEMAV_CVC_TYPE_3_1_2":
        return msg.value_not_elements(field), field
    if kind.startswith("SCHEMAV_CVC_ELT_3"):
        return msg.value_not_nillable(field), field
    return msg.value_against_schema(field), field


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
        # The range of every restricted integer type (ExportReadings_LimitType → (1, 1000)):
        # its inclusive facets where it has them, its base type's limits where not.
        self.ranges = {}
        for st in schema.iter(f"{xs}simpleType"):
            base = self.types.get(st.get("name"))
            if base in INTEGER_RANGES:
                restriction = st.find(f"{xs}restriction")
                self.ranges[st.get("name")] = tuple(
                    int(facet.get("value")) if facet is not None else limit
                    for facet, limit in zip((restriction.find(f"{xs}minInclusive"),
                                             restriction.find(f"{xs}maxInclusive")),
                                            INTEGER_RANGES[base], strict=True))
        # (list element, item element) of every array, as («Readings», «MeterReading»): an
        # array type is a sequence of one unbounded element.
        items = {}
        for complex_type in schema.iter(f"{xs}complexType"):
            children = complex_type.findall(f"{xs}sequence/{xs}element")
            if len(children) == 1 and children[0].get("maxOccurs") == "unbounded":
                items[f"tns:{complex_type.get('name')}"] = children[0].get("name")
        self.lists = {(e.get("name"), items[e.get("type")]) for e in schema.iter(f"{xs}element")
                      if e.get("type") in items}

    def _item(self, element, payload) -> int | None:
        """The position from 1 of the outermost list item on the element's path, if any."""
        for node in _descent(element, payload):
            if (etree.QName(node.getparent()).localname, etree.QName(node).localname) \
                    in self.lists:
                return _position(node) or 1
        return None

    def first_error(self, payload) -> SchemaFault | None:
        """None when `payload` (the operation's element) is valid, else its first error as
        the fault says it."""
        if self.schema.validate(payload):
            return None
        error = self.schema.error_log[0]
        element = _located(payload, error.path)
        message, field = russian_message(error, field_path(element, payload), self.types,
                                         self.ranges)
        return SchemaFault(message, field, self._item(element, payload))

    def forbidden_text(self, payload) -> SchemaFault | None:
        """The first text of `payload` holding a forbidden character (a control, format or
        direction character, lkk_integration/text.py) as a fault about that field, or None.

        Every text field of every operation, ids and RequestId included: the billing's texts
        are kept and shown to people, so they must read as they are (docs/spec.md §15.10).
        """
        for element in payload.iter():
            if isinstance(element.tag, str) and element.text:
                codes = forbidden_in(element.text)
                if codes:
                    field = field_path(element, payload)
                    return SchemaFault(msg.forbidden_in_field(field, codes), field,
                                       self._item(element, payload))
        return None
