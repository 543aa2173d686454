"""Hardened XML parsing and XPath naming for package files.

Why: packages come from outside (another agency's system), so every XML file is hostile until parsed
safely. The parser never loads a DTD, never resolves entities, never touches the network and keeps
libxml2's own limits (no ``huge_tree``); a document that declares a DTD or an entity is refused before
parsing (billion laughs, XXE), and size and nesting depth are capped. Findings name elements by an
XPath with the conventional prefixes (``mets:``, ``xlink:``, ``csip:``, ``premis:``) and ``@ID`` predicates
so that an archivist can find the element in the file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from lxml import etree

__all__ = [
    "CSIP_NS",
    "METS_NS",
    "PREFIXES",
    "PREMIS_NS",
    "XLINK_NS",
    "XmlRefused",
    "attr_xpath",
    "csip_attr",
    "local",
    "parse_xml",
    "xpath_of",
]

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
# E-ARK CSIP extension; the sample spells the host in lower case in schemaLocation: compare case-insensitively
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP_NS = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
PREMIS_NS = "http://www.loc.gov/premis/v3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

PREFIXES: Mapping[str, str] = MappingProxyType(
    {METS_NS: "mets", XLINK_NS: "xlink", CSIP_NS.lower(): "csip", SIP_NS.lower(): "sip", PREMIS_NS: "premis"}
)

# a DTD or entity declaration anywhere (UTF-8 and UTF-16 spellings) [I: hardening]
_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"), "<!ENTITY".encode("utf-16-le"))
_FORBIDDEN_BE = ("<!DOCTYPE".encode("utf-16-be"), "<!ENTITY".encode("utf-16-be"))


class XmlRefused(Exception):
    """The XML file was not parsed; ``code`` is ``xml.dtd`` | ``xml.too_large`` | ``xml.too_deep`` |
    ``xml.malformed``."""

    def __init__(self, code: str, message: str, message_vi: str, line: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.message_vi = message_vi
        self.line = line


@dataclass(frozen=True)
class XmlLimits:
    max_bytes: int = 64 * 1024 * 1024
    max_depth: int = 64


def _parser_kwargs() -> dict[str, bool]:
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "dtd_validation": False,
        "huge_tree": False,
        "remove_blank_text": False,
    }


def parse_xml(data: bytes, *, max_bytes: int = XmlLimits.max_bytes, max_depth: int = XmlLimits.max_depth):
    """Parse ``data`` safely and return the root element (``lxml.etree._Element``).

    Raises ``XmlRefused`` with a stable code. Streaming (iterparse) so that the depth limit is enforced
    while reading, before a deep document is fully built.
    """
    if len(data) > max_bytes:
        raise XmlRefused(
            "xml.too_large",
            f"{len(data)} bytes, limit {max_bytes}",
            f"Tệp XML {len(data)} byte, vượt giới hạn {max_bytes}",
        )
    if any(tok in data for tok in _FORBIDDEN + _FORBIDDEN_BE):
        raise XmlRefused(
            "xml.dtd",
            "DTD/entity declarations are refused (XXE, entity expansion)",
            "Không chấp nhận khai báo DTD/thực thể (XXE, bom thực thể)",
        )
    depth = 0
    root = None
    try:
        for event, el in etree.iterparse(io.BytesIO(data), events=("start", "end"), **_parser_kwargs()):
            if event == "start":
                depth += 1
                if root is None:
                    root = el
                if depth > max_depth:
                    raise XmlRefused(
                        "xml.too_deep",
                        f"nesting deeper than {max_depth}",
                        f"Lồng nhau sâu hơn {max_depth} cấp",
                        el.sourceline,
                    )
            else:
                depth -= 1
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise XmlRefused("xml.malformed", str(exc), f"XML không hợp lệ: {exc}", line) from None
    if root is None:
        raise XmlRefused("xml.malformed", "empty document", "Tài liệu XML rỗng")
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise XmlRefused("xml.dtd", "DTD refused", "Không chấp nhận DTD")
    return root


def local(el) -> str:
    """Local name of an element (or '' for comments / processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def ns(el) -> str:
    tag = el.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def csip_attr(el, name: str) -> str | None:
    """Value of ``csip:<name>`` whatever the case of the namespace host (the sample mixes DILCIS/dilcis)."""
    for key, value in el.attrib.items():
        if key.startswith("{"):
            uri, loc = key[1:].split("}", 1)
            if loc == name and uri.lower() in (CSIP_NS.lower(), SIP_NS.lower()):
                return value
    return None


def _prefixed(uri: str, name: str) -> str:
    if not uri:
        return name
    prefix = PREFIXES.get(uri) or PREFIXES.get(uri.lower()) or "ns"
    return f"{prefix}:{name}"


_QUOTE = re.compile(r"'")


def xpath_of(el) -> str:
    """XPath of ``el`` with prefixes and the most telling predicate: ``@ID``, else ``@LABEL``/``@USE``
    when that singles the element out, else a position among same-named siblings."""
    steps = []
    node = el
    while node is not None and isinstance(node.tag, str):
        name = _prefixed(ns(node), local(node))
        pred = ""
        parent = node.getparent()
        same = [s for s in parent if s.tag == node.tag] if parent is not None else [node]
        if node.get("ID"):
            pred = f"[@ID='{_QUOTE.sub('&apos;', node.get('ID'))}']"
        elif len(same) > 1:
            for key in ("LABEL", "USE"):
                val = node.get(key)
                if val is not None and sum(1 for s in same if s.get(key) == val) == 1:
                    pred = f"[@{key}='{_QUOTE.sub('&apos;', val)}']"
                    break
            else:
                pred = f"[{same.index(node) + 1}]"
        steps.append(name + pred)
        node = parent
    return "/" + "/".join(reversed(steps))


def attr_xpath(el, attr: str) -> str:
    """XPath of an attribute (``{ns}name`` or plain) of ``el``."""
    if attr.startswith("{"):
        uri, name = attr[1:].split("}", 1)
        return f"{xpath_of(el)}/@{_prefixed(uri, name)}"
    return f"{xpath_of(el)}/@{attr}"
