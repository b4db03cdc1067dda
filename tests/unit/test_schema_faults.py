"""Schema faults name the field by its elements' local names, whatever prefixes the request
uses: a prefixed body (zeep, suds, SoapUI) and a default-namespace body (JAX-WS, .NET) get the
same message, field path and list item."""
from __future__ import annotations


import pytest
from lxml import etree

from lkk_integration.soap.app import build_wsdl
from lkk_integration.soap.types import NS
from lkk_integration.soap.validation import RequestSchema
from tests.support.soap import XSI, soap_envelope, with_default_namespace


def test_the_default_namespace_body_is_the_same_request_without_prefixes():
    body = ('<v1:ExportReadings><v1:Cursor>0</v1:Cursor><Limit>1</Limit>'
            '<v1:X xsi:nil="true"/></v1:ExportReadings>')
    assert with_default_namespace(body) == (
        f'<ExportReadings xmlns="{NS}"><Cursor>0</Cursor><Limit xmlns="">1</Limit>'
        f'<X xmlns:xsi="{XSI}" xsi:nil="true"></X></ExportReadings>')


READING = ("<v1:MeterReading><v1:MeterId>M-1</v1:MeterId><v1:ReadingDate>2026-03-01"
           "</v1:ReadingDate><v1:T1>1</v1:T1><v1:Source>Обход</v1:Source></v1:MeterReading>")
VERDICT = "<v1:ReadingVerdict><v1:ReadingId>1</v1:ReadingId><v1:Accepted>true</v1:Accepted>" \
          "</v1:ReadingVerdict>"
ACCOUNT = "<v1:Account><v1:Number>1</v1:Number><v1:Apartment>1</v1:Apartment></v1:Account>"


def export(cursor="0", limit="<v1:Limit>5</v1:Limit>"):
    return f"<v1:ExportReadings><v1:Cursor>{cursor}</v1:Cursor>{limit}</v1:ExportReadings>"


def readings(*items):
    return (f"<v1:UpdateAccountedReadings><v1:RequestId>r</v1:RequestId><v1:Readings>"
            f"{''.join(items)}</v1:Readings></v1:UpdateAccountedReadings>")


def verdicts(*items):
    return (f"<v1:RecordReadingVerdicts><v1:RequestId>r</v1:RequestId><v1:Verdicts>"
            f"{''.join(items)}</v1:Verdicts></v1:RecordReadingVerdicts>")


def house(*accounts):
    return ("<v1:SaveHouse><v1:RequestId>r</v1:RequestId><v1:OrganizationId>ORG-1"
            "</v1:OrganizationId><v1:House><v1:HouseId>H-1</v1:HouseId><v1:Settlement>Москва г."
            "</v1:Settlement><v1:Street>Вавилова ул.</v1:Street><v1:HouseNumber>45"
            f"</v1:HouseNumber><v1:Accounts>{''.join(accounts)}</v1:Accounts></v1:House>"
            "</v1:SaveHouse>")


# Every schema fault of docs/soap.md's faults table and of validation.py's messages:
# (payload with the prefix v1, message, field path, list item).
CASES = {
    "below a minimum": (export(limit="<v1:Limit>0</v1:Limit>"),
                        "Поле Limit: значение «0» меньше минимума 1", "Limit", None),
    "above a maximum": (export(limit="<v1:Limit>1001</v1:Limit>"),
                        "Поле Limit: значение «1001» больше максимума 1000", "Limit", None),
    "not of the type": (export(cursor="x"),
                        "Поле Cursor: значение «x» не подходит, ожидается целое число",
                        "Cursor", None),
    "a required element left out": (
        "<v1:RegisterOrganization><v1:RequestId>r</v1:RequestId></v1:RegisterOrganization>",
        "Не заполнено обязательное поле Organization", "Organization", None),
    "a required element of an item left out": (
        readings(READING, READING.replace("<v1:Source>Обход</v1:Source>", "")),
        "Не заполнено обязательное поле Readings/MeterReading[2]/Source",
        "Readings/MeterReading[2]/Source", 2),
    "too long": (
        f"<v1:RemoveMeter><v1:RequestId>{'я' * 101}</v1:RequestId><v1:MeterId>1</v1:MeterId>"
        "</v1:RemoveMeter>", "Поле RequestId: длина больше 100 символов", "RequestId", None),
    "too long in the third item": (
        verdicts(VERDICT, VERDICT, VERDICT.replace(
            "</v1:ReadingVerdict>", f"<v1:Reason>{'ж' * 501}</v1:Reason></v1:ReadingVerdict>")),
        "Поле Verdicts/ReadingVerdict[3]/Reason: длина больше 500 символов",
        "Verdicts/ReadingVerdict[3]/Reason", 3),
    "not of the type in the second item": (
        verdicts(VERDICT, VERDICT.replace(">true<", ">да<")),
        "Поле Verdicts/ReadingVerdict[2]/Accepted: значение «да» не подходит, ожидается true "
        "или false", "Verdicts/ReadingVerdict[2]/Accepted", 2),
    "deep in a nested list": (
        house(ACCOUNT, ACCOUNT.replace(
            "</v1:Account>", "<v1:Meters><v1:Meter><v1:MeterId>M</v1:MeterId><v1:Number>1"
                             "</v1:Number><v1:Zones>4</v1:Zones><v1:Capacity>5</v1:Capacity>"
                             "</v1:Meter></v1:Meters></v1:Account>")),
        "Поле House/Accounts/Account[2]/Meters/Meter/Zones: значение «4» больше максимума 3",
        "House/Accounts/Account[2]/Meters/Meter/Zones", 2),
    "an element not expected": (
        readings(READING.replace("<v1:T1>", "<v1:Foo/><v1:T1>")),
        "Поле Readings/MeterReading/Foo здесь не ожидается; ожидается T1, T2, T3, Source",
        "Readings/MeterReading/Foo", 1),
    "an element outside the namespace": (
        export(limit="<Limit>5</Limit>"),
        f"Поле Limit здесь не ожидается; ожидается Limit в пространстве имен {NS}",
        "Limit", None),
    "elements where a value goes": (
        export(limit="<v1:Limit><v1:Value>5</v1:Value></v1:Limit>"),
        "Поле Limit: ожидается значение, а не вложенные элементы", "Limit", None),
    "a nil item": (
        verdicts(VERDICT, f'<v1:ReadingVerdict xmlns:xsi="{XSI}" xsi:nil="true"/>'),
        "Поле Verdicts/ReadingVerdict[2] не может быть пустым (nil)",
        "Verdicts/ReadingVerdict[2]", 2),
    "an attribute the schema lacks": (
        export(limit='<v1:Limit unit="шт">5</v1:Limit>'),
        "Поле Limit: значение не соответствует схеме (WSDL)", "Limit", None),
    "an unknown operation": ("<v1:DropDatabase/>", "Неизвестная операция DropDatabase", None,
                             None),
    "an operation in another namespace": (
        '<o:GetOrganization xmlns:o="urn:other"><o:OrganizationId>ORG-1</o:OrganizationId>'
        "</o:GetOrganization>",
        f"Операция GetOrganization должна быть в пространстве имен {NS}", None, None),
}


@pytest.fixture(scope="module")
def schema() -> RequestSchema:
    return RequestSchema(build_wsdl("http://127.0.0.1:8000/soap"))


def operation(envelope: bytes):
    return etree.fromstring(envelope).find(
        "{http://schemas.xmlsoap.org/soap/envelope/}Body")[0]


@pytest.mark.parametrize("style", ["prefixed", "default namespace"])
@pytest.mark.parametrize("case", list(CASES))
def test_every_schema_fault_names_the_field_by_local_names_whatever_the_prefixes(
        schema, case, style):
    body, message, field, item = CASES[case]
    if style == "default namespace":
        body = with_default_namespace(body)
        assert "v1:" not in body
    fault = schema.first_error(operation(soap_envelope(body)))
    assert (fault.message, fault.field, fault.item) == (message, field, item)


# Out-of-range integers: every integer field a request can carry, found in the WSDL's schema.
XS = "{http://www.w3.org/2001/XMLSchema}"
WSDL_NS = "{http://schemas.xmlsoap.org/wsdl/}"
INT = (-2147483648, 2147483647)
LONG = (-9223372036854775808, 9223372036854775807)
SAMPLES = {"string": "x", "int": "1", "long": "1", "decimal": "1", "boolean": "true",
           "date": "2026-03-01", "dateTime": "2026-03-01T00:00:00"}
METER_RANGES = {"Zones": (1, 3), "Capacity": (1, 12)}
# The field's path from the operation → the range its fault names: the facets', or the type's.
INTEGER_FIELDS = {
    **{f"{export}/{name}": field for export in ("ExportReadings", "ExportReadingsWithCheckNotes",
                                                "ExportReadingsWithNotRead")
       for name, field in (("Cursor", ("long", (0, LONG[1]))), ("Limit", ("int", (1, 1000))))},
    "RecordReadingVerdicts/Verdicts/ReadingVerdict/ReadingId": ("long", LONG),
    **{f"{meter}/{name}": ("int", limits) for name, limits in METER_RANGES.items()
       for meter in ("RegisterOrganization/Organization/Houses/House/Accounts/Account/Meters/Meter",
                     "RegisterOrganization/Organization/Houses/House/CommonHouseMeters/Meter",
                     "SaveHouse/House/Accounts/Account/Meters/Meter",
                     "SaveHouse/House/CommonHouseMeters/Meter", "ReplaceMeter/NewMeter")},
}


class RequestShapes:
    """The request elements of the WSDL's operations, as the schema declares them."""

    def __init__(self, wsdl: bytes):
        tree = etree.fromstring(wsdl)
        schema = tree.find(f".//{XS}schema")
        self.complex = {c.get("name"): c for c in schema.iter(f"{XS}complexType")}
        self.simple = {s.get("name"): s.find(f"{XS}restriction")
                       for s in schema.iter(f"{XS}simpleType")}
        parts = {m.get("name"): m.find(f"{WSDL_NS}part").get("element")
                 for m in tree.iter(f"{WSDL_NS}message")}
        elements = {e.get("name"): e.get("type") for e in schema.findall(f"{XS}element")}
        self.operations = {
            o.get("name"): elements[parts[o.find(f"{WSDL_NS}input").get("message").split(":")[1]]
                                    .split(":")[1]].split(":")[1]
            for o in tree.find(f"{WSDL_NS}portType").iter(f"{WSDL_NS}operation")}

    def base(self, type_name: str) -> str:
        """The built-in type a simple type restricts («xs:int» for Meter_ZonesType)."""
        local = type_name.split(":")[1]
        restriction = self.simple.get(local)
        return local if restriction is None else restriction.get("base").split(":")[1]

    def fields(self, complex_name: str, path: str):
        """(path, base type) of every leaf under a complex type."""
        for element in self.complex[complex_name].iter(f"{XS}element"):
            inner, at = element.get("type").split(":")[1], f"{path}/{element.get('name')}"
            if inner in self.complex:
                yield from self.fields(inner, at)
            else:
                yield at, self.base(element.get("type"))

    def instance(self, complex_name: str, path: list[str], value: str) -> str:
        """The complex type's required elements with sample values, and the elements along
        `path` down to its leaf, which holds `value`."""
        out = ""
        for element in self.complex[complex_name].iter(f"{XS}element"):
            name, type_name = element.get("name"), element.get("type")
            on_path = bool(path) and path[0] == name
            if not on_path and element.get("minOccurs") == "0":
                continue
            inner = type_name.split(":")[1]
            if inner in self.complex:
                text = self.instance(inner, path[1:] if on_path else [], value)
            elif on_path and len(path) == 1:
                text = value
            else:
                restriction = self.simple.get(inner)
                low = restriction.find(f"{XS}minInclusive") if restriction is not None else None
                text = low.get("value") if low is not None else SAMPLES[self.base(type_name)]
            out += f"<v1:{name}>{text}</v1:{name}>"
        return out

    def request(self, field: str, value: str) -> str:
        operation, *path = field.split("/")
        return f"<v1:{operation}>{self.instance(self.operations[operation], path, value)}" \
               f"</v1:{operation}>"


@pytest.fixture(scope="module")
def shapes() -> RequestShapes:
    return RequestShapes(build_wsdl("http://127.0.0.1:8000/soap"))


def test_the_integer_fields_tested_are_every_integer_field_of_every_request(shapes):
    found = {path: base for operation, complex_name in shapes.operations.items()
             for path, base in shapes.fields(complex_name, operation)
             if base in ("int", "long", "integer", "short", "byte")}
    assert found == {path: base for path, (base, _limits) in INTEGER_FIELDS.items()}


@pytest.mark.parametrize("style", ["prefixed", "default namespace"])
@pytest.mark.parametrize("side", ["above", "below"])
@pytest.mark.parametrize("field", list(INTEGER_FIELDS))
def test_an_integer_outside_its_type_says_the_range_it_must_be_in(schema, shapes, field, side,
                                                                  style):
    base, (low, high) = INTEGER_FIELDS[field]
    value = str(LONG[1] + 1 if side == "above" else LONG[0] - 1) if base == "long" else \
        str(INT[1] + 1 if side == "above" else INT[0] - 1)
    body = shapes.request(field, value)
    if style == "default namespace":
        body = with_default_namespace(body)
    # The request is valid but for the value: its fault is about the value alone.
    assert schema.first_error(operation(soap_envelope(shapes.request(field, str(low))))) is None
    fault = schema.first_error(operation(soap_envelope(body)))
    path = field.split("/", 1)[1]
    assert (fault.message, fault.field) == (
        f"Поле {path}: значение «{value}» вне допустимого диапазона: от {low} до {high}", path)


@pytest.mark.parametrize("value, message", [
    ("99999999999999999999999999",
     "Поле Limit: значение «99999999999999999999999999» вне допустимого диапазона: от 1 до 1000"),
    ("+02147483648", "Поле Limit: значение «+02147483648» вне допустимого диапазона: от 1 до 1000"),
    ("1.0", "Поле Limit: значение «1.0» не подходит, ожидается целое число"),
])
def test_only_an_integer_literal_is_out_of_range_anything_else_is_not_an_integer(
        schema, value, message):
    body = export(limit=f"<v1:Limit>{value}</v1:Limit>")
    fault = schema.first_error(operation(soap_envelope(body)))
    assert fault.message == message


@pytest.mark.parametrize("cursor", ["9" * 29, "9223372036854775808"])
def test_a_cursor_beyond_a_long_says_the_range(schema, cursor):
    fault = schema.first_error(operation(soap_envelope(export(cursor=cursor))))
    assert fault.message == (f"Поле Cursor: значение «{cursor}» вне допустимого диапазона: "
                             "от 0 до 9223372036854775807")
