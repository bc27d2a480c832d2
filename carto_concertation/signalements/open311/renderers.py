# SPDX-License-Identifier: AGPL-3.0-or-later
"""Open311's two formats. JSON is the spec's bare array (or object), not FixMyStreet's
wrapped one: the clients (georeport) read ``response.json()[0]``. XML is the spec's
elements without a namespace, in UTF-8 with its declaration, built with ElementTree so
that every text is escaped once, here."""

import re
from typing import Any
from xml.etree import ElementTree

from rest_framework.renderers import BaseRenderer, JSONRenderer

# What XML 1.0 cannot hold, even escaped (a control character typed into a description).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A list under one of these keys is written as that element holding one child per item.
_ITEM_OF = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


class Open311JSONRenderer(JSONRenderer):
    format = "json"
    charset = "utf-8"


class Open311XMLRenderer(BaseRenderer):
    """The view names the root element and the element of each item in the renderer
    context (``xml_root``, ``xml_item``); an object is written under ``xml_root`` alone."""

    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type=None, renderer_context=None) -> bytes:
        context = renderer_context or {}
        root = ElementTree.Element(context.get("xml_root", "response"))
        if isinstance(data, list):
            for item in data:
                _fill(ElementTree.SubElement(root, context.get("xml_item", "item")), item)
        else:
            _fill(root, data)
        body = ElementTree.tostring(root, encoding="unicode")
        return f'<?xml version="1.0" encoding="utf-8"?>\n{body}'.encode()


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            if isinstance(child, list):
                holder = ElementTree.SubElement(element, key)
                for item in child:
                    _fill(ElementTree.SubElement(holder, _ITEM_OF.get(key, "item")), item)
            else:
                _fill(ElementTree.SubElement(element, key), child)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_XML.sub("", str(value))
