"""Namespaces, prefixes and element names of QCVN 102:2016 edXML packages (edxml.md §2–§3).

Why a module of its own: the builder, the parser, the validator and the signature code must agree on
one spelling of every namespace and on the prefixes used in reported XPaths, so that an XPath printed
by the validator can be evaluated with ``NSMAP`` against the same document.
"""

from __future__ import annotations

__all__ = [
    "BKAV_NS",
    "DSIG_NS",
    "NS",
    "NSMAP",
    "XLINK_NS",
    "clark",
    "local_name",
    "namespace_of",
    "xpath_step",
]

#: edxml.md §3: QCVN 102:2016 namespace, hard-coded in the EdXML102 jar and all samples [S]
NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
#: edxml.md §3: XML-DSig namespace (missing in some samples — a bug, §15 pitfall 4) [S]
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
#: edxml.md §3: xlink, older optional Reference binding [S]
XLINK_NS = "http://www.w3.org/1999/xlink"
#: edxml.md §3: legacy Bkav (pre-QCVN) namespace [S22]
BKAV_NS = "http://www.e-doc.vn/Schema/"

#: prefixes used in reported XPaths; evaluate them with ``tree.xpath(path, namespaces=NSMAP)`` (a plain
#: dict because lxml wants one; treat it as read-only)
NSMAP: dict[str, str] = {"edXML": NS, "ds": DSIG_NS, "xlink": XLINK_NS, "bkav": BKAV_NS}
_PREFIX = {v: k for k, v in NSMAP.items()}


def clark(name: str, ns: str = NS) -> str:
    """``{ns}name`` (lxml's Clark notation)."""
    return f"{{{ns}}}{name}" if ns else name


def local_name(tag: object) -> str:
    """Local part of an lxml tag; "" for comments and processing instructions (their tag is not a str)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace_of(tag: object) -> str:
    """Namespace URI of an lxml tag ("" when none)."""
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1:].split("}", 1)[0]


def xpath_step(tag: str) -> str:
    """One XPath step for ``tag``: ``edXML:Subject``, ``ds:Signature``, bare ``Name`` or a local-name test."""
    ns, name = namespace_of(tag), local_name(tag)
    if not ns:
        return name
    prefix = _PREFIX.get(ns)
    if prefix:
        return f"{prefix}:{name}"
    return f"*[local-name()='{name}' and namespace-uri()='{ns}']"
