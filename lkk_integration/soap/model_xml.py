"""A spyne ComplexModel's instance written straight with lxml from its declared fields, the
bytes spyne itself writes (docs/spec.md §15: the contract is the WSDL's).

spyne writes an object by walking its type for every value (XmlDocument.to_parent, get_cls_attrs,
a logging.debug call each): most of a small call's serialization. ModelXml is the sub-protocol
hook spyne gives a type (`prot`, read by spyne.protocol.xml.XmlDocument.to_parent): the
operation stays in the spyne service, spyne still writes the envelope, the faults and every
other answer, and this writes the result element into spyne's own tree, which spyne serializes.

What spyne does, and so what this does (spyne/protocol/xml.py, _get_members_etree): the
elements of the type in its declared order, each in its owner's namespace; an optional one
left out when it has no value, a required one without a value xsi:nil; a complex one by its
own fields; an Array as its element holding one element per item, named by the item's type
(an empty list an empty element); values as spyne writes them (text_kind). The plan is read
from the spyne types once per type, so the types and this stay one contract; a field this
module cannot write exactly as spyne does (another name or namespace, attributes, a default, a
format, polymorphism) stops at the plan's making. tests/unit/test_model_xml.py and
tests/unit/test_export_xml.py compare both serializations, in canonical form and byte for byte.
"""
from __future__ import annotations

import datetime as dt
from operator import methodcaller

from lxml import etree
from spyne import Boolean, ComplexModel, Date, DateTime, Decimal, Integer, Unicode
from spyne.model.complex import Array
from spyne.protocol.xml import SubXmlBase

XSI_NIL = {"{http://www.w3.org/2001/XMLSchema-instance}nil": "true"}

# What would make spyne write a value, or its element, otherwise than this module does.
_OTHERWISE = ("format", "string_format", "interp_format", "date_format", "datetime_format",
              "dt_format", "out_format", "as_timezone", "serialize_as", "encoding", "sub_name",
              "sub_ns", "default", "prot", "polymap")


def _plain(owner: str, name: str, model) -> None:
    """Raise TypeError when spyne would write the field `name` of `owner` otherwise than the
    plain way this module writes it."""
    attrs = model.Attributes
    if any(getattr(attrs, a, None) for a in _OTHERWISE) or attrs.exc or \
            getattr(attrs, "timezone", True) is not True:
        raise TypeError(f"{owner}.{name}: spyne would write it otherwise than model_xml")


def text_kind(owner: str, name: str, model) -> str:
    """How spyne writes a value of the simple type `model` as the element's text (spyne/
    protocol/_outbase.py): 'text' as it is, 'int' str(), 'kwh' format 'f' (types.Kwh), 'date'
    and 'datetime' isoformat() (no format attributes: spyne's default), 'bool' true/false.
    Raises TypeError for a type or an attribute written otherwise."""
    _plain(owner, name, model)
    if model.Attributes.max_occurs != 1:
        raise TypeError(f"{owner}.{name}: a repeated element is not written here")
    str_format = getattr(model.Attributes, "str_format", None)
    if issubclass(model, Decimal) and str_format == "{0:f}":
        return "kwh"
    if str_format is not None:
        raise TypeError(f"{owner}.{name}: str_format {str_format!r} is not written here")
    # Date first: spyne's Date is a kind of its DateTime.
    for kind, base in (("date", Date), ("datetime", DateTime), ("bool", Boolean),
                       ("int", Integer), ("text", Unicode)):
        if issubclass(model, base):
            return kind
    raise TypeError(f"{owner}.{name}: {model.__name__} is not written here")


def converters(dates: dict) -> dict:
    """Value → text per kind of text_kind; 'text' needs none. Dates and instants go through
    `dates`, a cache the caller keeps as long as it likes (an export page: its readings share
    both). Instants are keyed with their zone: equal instants in two zones are written
    differently."""

    def datetime_text(value) -> str:
        key = (value, value.tzinfo)
        text = dates.get(key)
        if text is None:
            text = dates[key] = value.isoformat()
        return text

    def date_text(value) -> str:
        text = dates.get(value)
        if text is None:
            # spyne writes a datetime given for a Date by its date
            text = dates[value] = (value.date() if isinstance(value, dt.datetime)
                                   else value).isoformat()
        return text

    return {"text": None, "int": str, "kwh": methodcaller("__format__", "f"),
            "bool": lambda value: "true" if value else "false",
            "datetime": datetime_text, "date": date_text}


# Per type: [(attribute, tag, required, kind, what)] in declared order; kind 'simple' (what: the
# converter, None for text as it is), 'complex' (what: the type), 'array' (what: (item tag,
# item kind, item what)).
_PLANS: dict[type, list] = {}
# Converters without a cache of dates: an answer of a small call has few.
_CONVERT = {kind: convert for kind, convert in converters({}).items()}
_CONVERT["date"] = lambda value: (value.date() if isinstance(value, dt.datetime)
                                  else value).isoformat()
_CONVERT["datetime"] = methodcaller("isoformat")


def _member(owner, name: str, model) -> tuple[str, object]:
    """(kind, what) of a member of `owner`: simple, complex or array (see _PLANS)."""
    if issubclass(model, Array):
        _plain(owner.__name__, name, model)
        ((item_name, item),) = model._type_info.items()
        if model.Attributes.max_occurs != 1 or item.Attributes.max_occurs <= 1:
            raise TypeError(f"{owner.__name__}.{name}: not an array spyne writes as such")
        _plain(model.__name__, item_name, item)
        kind, what = _member(model, item_name, item.customize(max_occurs=1))
        return "array", (f"{{{model.get_namespace()}}}{item_name}", kind, what)
    if issubclass(model, ComplexModel):
        _plain(owner.__name__, name, model)
        if model.Attributes.max_occurs != 1:
            raise TypeError(f"{owner.__name__}.{name}: a repeated element is not written here")
        return "complex", _base(model)
    return "simple", _CONVERT[text_kind(owner.__name__, name, model)]


def _base(model) -> type:
    """The declared type behind a customized one (spyne's customize makes a subclass)."""
    return getattr(model, "__orig__", None) or model


def plan(model) -> list:
    """How an instance of the ComplexModel `model` is written (see _PLANS), made once per type.
    Raises TypeError where spyne would write it otherwise (module docstring)."""
    model = _base(model)
    known = _PLANS.get(model)
    if known is None:
        if getattr(model, "__extends__", None) is not None:
            raise TypeError(f"{model.__name__}: an extended type is not written here")
        ns = model.get_namespace()
        known = []
        for name, member in model._type_info.items():
            kind, what = _member(model, name, member)
            known.append((name, f"{{{ns}}}{name}", member.Attributes.min_occurs > 0, kind,
                          what))
        _PLANS[model] = known
    return known


def write(parent: etree._Element, tag: str, model, inst) -> None:
    """Append the element `tag` (Clark notation) holding `inst`, an instance of the ComplexModel
    `model` (or any object with its fields as attributes), to `parent`, as spyne writes it.
    O(elements)."""
    _write_members(etree.SubElement(parent, tag), plan(model), inst)


def _write_members(element: etree._Element, members: list, inst) -> None:
    sub = etree.SubElement
    for name, tag, required, kind, what in members:
        value = getattr(inst, name, None)
        if value is None:
            if required:
                sub(element, tag, XSI_NIL)
        elif kind == "simple":
            sub(element, tag).text = value if what is None else what(value)
        elif kind == "complex":
            _write_members(sub(element, tag), plan(what), value)
        else:
            holder = sub(element, tag)
            item_tag, item_kind, item_what = what
            for item in value:
                if item is None:
                    sub(holder, item_tag, XSI_NIL)
                elif item_kind == "simple":
                    sub(holder, item_tag).text = item if item_what is None else item_what(item)
                elif item_kind == "complex":
                    _write_members(sub(holder, item_tag), plan(item_what), item)
                else:
                    raise TypeError("an array of arrays is not written here")


class ModelXml(SubXmlBase):
    """The sub-protocol of a ComplexModel type (`Type.customize(prot=ModelXml())`): writes its
    instance with `write`; a missing one (None) the way spyne always has."""

    def subserialize(self, ctx, cls, inst, parent, ns=None, name=None, **kwargs):
        if inst is None:
            return ctx.out_protocol.null_to_parent(ctx, cls, inst, parent, ns, name, **kwargs)
        # As spyne names a member: its namespace and name in the containing type.
        name = name or cls.get_type_name()
        return write(parent, name if ns is None else f"{{{ns}}}{name}", cls, inst)
