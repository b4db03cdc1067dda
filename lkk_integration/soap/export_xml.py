"""ExportReadings' answer written straight with lxml from the core's page (docs/spec.md §15.6).

spyne writes a ComplexModel by walking its type for every value of every object (get_cls_attrs,
to_parent, a logging.debug call each): for a page of 1000 readings that is 100,000 calls per
page, and the objects have to be built first. The billing's nightly export of a month reads
millions of readings, so this one answer is written here instead, by the sub-protocol hook spyne
gives a type (`prot`, read by spyne.protocol.xml.XmlDocument.to_parent): the operation stays in
the spyne service, spyne still writes the envelope, the faults and every other answer, and this
writes the ExportReadingsResult element into spyne's own tree, which spyne serializes.

The bytes are spyne's: the elements of types.ExportedReading in its order and with its
namespace, an optional one left out when it has no value, a required one without a value
xsi:nil, values as spyne writes them (model_xml, which writes any other type's objects the same
way; this is its fast path for pages of a thousand). The elements, their order and their kinds
are read from the spyne types at import, so the types and this stay one contract; a kind
model_xml cannot write exactly as spyne does stops the import. tests/unit/test_export_xml.py
compares both serializations of pages with every element present and absent.
"""
from __future__ import annotations

import re
from operator import is_, itemgetter

from lxml import etree

from lkk_integration.readings.export import ExportedReading, ExportPage
from lkk_integration.soap import types as t
from lkk_integration.soap.model_xml import XSI_NIL, ModelXml, converters, text_kind


def _attribute(element_name: str) -> int:
    """The index in ExportedReading of the element's value: ReadingId → reading_id, T1 → t1."""
    return ExportedReading._fields.index(re.sub(r"(?<!^)(?=[A-Z])", "_", element_name).lower())


# (tag, index in ExportedReading, writer, required) per element, in the type's order.
_FIELDS = tuple(
    (f"{{{t.NS}}}{name}", _attribute(name), text_kind("ExportedReading", name, model),
     model.Attributes.min_occurs > 0)
    for name, model in t.ExportedReading._type_info.items())
if len(_FIELDS) != len(ExportedReading._fields) or \
        list(t.ExportReadingsResult._type_info) != ["Readings", "NextCursor", "HasMore"]:
    raise TypeError("the core's ExportedReading and types' ExportReadingsResult differ")


_NONES = (None,) * len(_FIELDS)
if sum(required for *_, required in _FIELDS) < 2:
    raise TypeError("write_result's itemgetter needs two or more required elements")


def write_result(parent: etree._Element, tag: str, page: ExportPage) -> None:
    """Append the <ExportReadingsResult> element `tag` (Clark notation) of `page` to `parent`,
    as spyne would write types.ExportReadingsResult of the same values. O(readings); each
    distinct date and instant is formatted once per page."""
    sub = etree.SubElement
    result = sub(parent, tag)
    ns = f"{{{t.NS}}}"
    if page.events is not None:  # an empty list is an empty <Readings/>, as spyne writes it
        readings = sub(result, ns + "Readings")
        item_tag = ns + "ExportedReading"
        convert = converters({})
        # An <ExportedReading> is a copy of the first one of the same shape (which elements
        # are left out), its texts replaced: lxml copies a subtree in C at a third of the
        # cost of making its elements one by one (each SubElement parses its tag and looks
        # its namespace up the tree). The first ones are made in place, so the copies carry
        # the document's own prefixes. Per shape: that first element, the getter of the
        # values its elements hold (None for a nil one), and which of them to convert.
        shapes: dict[tuple, tuple] = {}
        for event in page.events:
            shape = tuple(map(is_, event, _NONES))
            known = shapes.get(shape)
            if known is None:
                item = sub(readings, item_tag)
                held, to_text = [], []
                for (field_tag, index, kind, required), absent in zip(_FIELDS, shape,
                                                                      strict=True):
                    if absent and not required:
                        continue
                    if absent:
                        sub(item, field_tag, XSI_NIL)
                    else:
                        sub(item, field_tag)
                        if kind != "text":
                            to_text.append((len(held), convert[kind]))
                    held.append(index)
                # (never fewer than two indexes, which itemgetter gives as a tuple: checked
                # at import)
                known = shapes[shape] = (item, itemgetter(*held), tuple(to_text))
            else:
                item = known[0].__copy__()  # the whole subtree, in C (deepcopy's own step)
                readings.append(item)
            texts = list(known[1](event))
            for position, to_text in known[2]:
                texts[position] = to_text(texts[position])
            for element, text in zip(item, texts, strict=True):
                element.text = text
    sub(result, ns + "NextCursor").text = str(page.next_cursor)
    sub(result, ns + "HasMore").text = "true" if page.has_more else "false"


class ExportResultXml(ModelXml):
    """The sub-protocol of types.ExportReadingsResult: writes the core's ExportPage with
    write_result; anything else (the type's own objects) as model_xml writes any type."""

    def subserialize(self, ctx, cls, inst, parent, ns=None, name=None, **kwargs):
        if isinstance(inst, ExportPage):
            # As spyne names a member: its namespace and name in the containing type.
            name = name or cls.get_type_name()
            return write_result(parent, name if ns is None else f"{{{ns}}}{name}", inst)
        return super().subserialize(ctx, cls, inst, parent, ns, name, **kwargs)
