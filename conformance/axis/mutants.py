"""Package variants a peer hands the vendor: equivalent forms it must accept, broken ones it must refuse.

Why named variants: a criterion says "deliver the default-namespace form" or "deliver a package
whose ContentId does not match", and the verdict must be reproducible, so each variant is a fixed
transformation of a package the harness built (edxml.md §15 pitfalls, SR-011…SR-017, SR-034,
SR-040, SR-057, SR-059). Attachments come from the signed-PDF fixtures made with the test CA
(``fixtures/pdf``, NĐ 30 PL I: personal signature, then the organisation's).
"""

from __future__ import annotations

import base64
import io
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from lxml import etree

from conformance.standards.edxml import model as m

__all__ = ["ATTACHMENTS", "VARIANTS", "attachment", "fixture_bytes", "variant"]

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

# attachment kind → (fixture file or None, content type, default name)
ATTACHMENTS: dict[str, tuple[str | None, str, str]] = {
    "signed_pdf": ("pdf/valid-two-signatures.pdf", "application/pdf", "Văn bản chính.pdf"),
    "unsigned_pdf": ("pdf/unsigned.pdf", "application/pdf", "Văn bản chính.pdf"),
    "tampered_pdf": ("pdf/tampered-bytes.pdf", "application/pdf", "Văn bản chính.pdf"),
    "modified_pdf": ("pdf/modified-after-signing.pdf", "application/pdf", "Văn bản chính.pdf"),
    "revoked_pdf": ("pdf/revoked-cert.pdf", "application/pdf", "Văn bản chính.pdf"),
    "untrusted_pdf": ("pdf/unknown-ca.pdf", "application/pdf", "Văn bản chính.pdf"),
    "zipped_pdf": ("pdf/valid-two-signatures.pdf", "application/zip", "Văn bản chính.zip"),
    "not_pdf": (None, "application/pdf", "Văn bản chính.pdf"),
    "docx": (
        None,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Công văn 123.docx",
    ),
    "none": (None, "", ""),
}


@cache
def fixture_bytes(rel: str) -> bytes:
    path = FIXTURES / rel
    if not path.is_file():
        raise FileNotFoundError(f"thiếu tệp mẫu {path} (fixtures của bộ công cụ)")
    return path.read_bytes()


def _zip(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(name, date_time=(2026, 3, 14, 9, 30, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, data)
    return buf.getvalue()


def attachment(kind: str, name: str | None = None) -> list[m.Attachment]:
    """The attachment list of a peer document: one main file of ``kind`` (``none``: no file)."""
    if kind not in ATTACHMENTS:
        raise ValueError(f"loại tệp đính kèm không biết: {kind} (có: {', '.join(ATTACHMENTS)})")
    rel, ctype, default = ATTACHMENTS[kind]
    if kind == "none":
        return []
    if kind == "zipped_pdf":
        data = _zip("Văn bản chính.pdf", fixture_bytes(rel or ""))
    elif kind == "not_pdf":
        data = b"Day khong phai tep PDF " * 40
    elif kind == "docx":
        data = _zip("word/document.xml", b"<w:document/>")
    else:
        data = fixture_bytes(rel or "")
    return [m.Attachment("cid:1", name or default, ctype, data, "Văn bản chính")]


# ----------------------------------------------------------------------------------- XML variants
def _tree(xml: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)
    return etree.fromstring(xml, parser)


def _out(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _find(root: etree._Element, path: str) -> etree._Element:
    found = root.find(".//" + "/".join(_q(p) for p in path.split("/")))
    if found is None:
        raise ValueError(f"variant: {path} not in the package")
    return found


def _renamespace(xml: bytes, prefix: str | None) -> bytes:
    """Every element in the QCVN namespace under one prefix (``None``: the default namespace)."""
    src = _tree(xml)

    def copy(e: etree._Element, parent: etree._Element | None) -> etree._Element:
        nsmap = {prefix: NS} if parent is None else None
        new = etree.Element(e.tag, nsmap=nsmap) if parent is None else etree.SubElement(parent, e.tag)
        new.attrib.update(e.attrib)
        new.text, new.tail = e.text, e.tail
        for c in e:
            if isinstance(c.tag, str):
                copy(c, new)
        return new

    return _out(copy(src, None))


def _axis_trace_headers(xml: bytes) -> bytes:
    """Extra TraceHeaders an axis appends, with OrganIds no grammar accepts (edxml.md §15 #5)."""
    root = _tree(xml)
    thl = _find(root, "TraceHeaderList")
    bus = thl.find(_q("Bussiness"))
    for organ in ("01.02.G22", "001.00.20.TT2", None):
        th = etree.Element(_q("TraceHeader"))
        if organ is not None:
            etree.SubElement(th, _q("OrganId")).text = organ
        etree.SubElement(th, _q("Timestamp")).text = "2025/10/01 08:00:00"
        if bus is not None:
            bus.addprevious(th)
        else:
            thl.append(th)
    return _out(root)


def _unknown_elements(xml: bytes) -> bytes:
    """VNPT-library elements of unknown status (OQ-18) a receiver must tolerate (SR-034)."""
    root = _tree(xml)
    mh = _find(root, "MessageHeader")
    other = mh.find(_q("OtherInfo"))
    if other is not None:
        etree.SubElement(other, _q("Direction")).text = "false"
        etree.SubElement(other, _q("ReplyFors")).text = ""
        etree.SubElement(other, _q("ReferenceCodes")).text = ""
    task = etree.SubElement(mh, _q("ResponseForTask"))
    etree.SubElement(task, _q("TaskCode")).text = "NV-2026-001"
    etree.SubElement(mh, _q("ApplicationType")).text = "1"
    etree.SubElement(mh, _q("ExtensionFromAnotherVendor")).text = "giá trị mở rộng"
    return _out(root)


def _content_id_mismatch(xml: bytes) -> bytes:
    root = _tree(xml)
    cid = root.find(f"{{{NS}}}AttachmentEncoded/{{{NS}}}Attachment/{{{NS}}}ContentId")
    if cid is None:
        raise ValueError("variant content_id_mismatch needs an attachment")
    cid.text = "cid:khong-khop-999"
    return _out(root)


def _base64_corrupt(xml: bytes) -> bytes:
    root = _tree(xml)
    cte = root.find(f".//{{{NS}}}ContentTransferEncoded")
    if cte is None:
        raise ValueError("variant base64_corrupt needs an attachment")
    cte.text = "@@@ không phải base64 @@@" + (cte.text or "")[:200]
    return _out(root)


def _set(path: str, value: str) -> Callable[[bytes], bytes]:
    def apply(xml: bytes) -> bytes:
        root = _tree(xml)
        _find(root, path).text = value
        return _out(root)

    return apply


def _drop(path: str) -> Callable[[bytes], bytes]:
    def apply(xml: bytes) -> bytes:
        root = _tree(xml)
        e = _find(root, path)
        parent = e.getparent()
        assert parent is not None
        parent.remove(e)
        return _out(root)

    return apply


def _truncate(xml: bytes) -> bytes:
    return xml[: len(xml) // 2]


BILLION_LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE edXML [\n <!ENTITY a "aaaaaaaaaa">\n'
    + b"".join(
        b' <!ENTITY %s "%s">\n' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(8)
    )
    + b']>\n<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&i;</edXML>\n'
)


def _xxe(xml: bytes) -> bytes:
    """The package with a DOCTYPE that pulls a local file into the Subject (XXE)."""
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n'
    body = xml.split(b"?>", 1)[1].lstrip()
    return head + body.replace(b"<edXML:Subject>", b"<edXML:Subject>&xxe;", 1)


def _xmldsig(mode: str) -> Callable[[bytes], bytes]:
    def apply(xml: bytes) -> bytes:
        from cryptography import x509
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        from conformance.standards.edxml import sign_package

        key = load_pem_private_key(fixture_bytes("pki/organisation.key.pem"), None)
        cert = x509.load_pem_x509_certificate(fixture_bytes("pki/organisation.cert.pem"))
        signed = sign_package(xml, key, cert)  # type: ignore[arg-type]
        if mode == "valid":
            return signed
        if mode == "broken":  # content changed after signing: the digest no longer matches
            return signed.replace(b"<edXML:Subject>", "<edXML:Subject>[SỬA SAU KHI KÝ] ".encode(), 1)
        # placeholder: the SDK samples' fixed SignatureValue (edxml.md §15 #4)
        root = _tree(signed)
        sv = root.find(".//{http://www.w3.org/2000/09/xmldsig#}SignatureValue")
        assert sv is not None
        sv.text = base64.b64encode(b"PLACEHOLDER" * 8).decode()
        return _out(root)

    return apply


VARIANTS: dict[str, Callable[[bytes], bytes]] = {
    "valid": lambda xml: xml,
    "default_namespace": lambda xml: _renamespace(xml, None),
    "prefixed": lambda xml: _renamespace(xml, "edXML"),
    "axis_trace_headers": _axis_trace_headers,
    "unknown_elements": _unknown_elements,
    "content_id_mismatch": _content_id_mismatch,
    "base64_corrupt": _base64_corrupt,
    "truncated": _truncate,
    "not_xml": lambda xml: b"\x00\x01 day khong phai goi tin edXML \xff\xfe",
    "billion_laughs": lambda xml: BILLION_LAUGHS,
    "xxe": _xxe,
    "missing_subject": _drop("MessageHeader/Subject"),
    "missing_document_id": _drop("MessageHeader/DocumentId"),
    "date_30_february": _set("MessageHeader/PromulgationInfo/PromulgationDate", "2025/02/30"),
    "priority_9": _set("MessageHeader/OtherInfo/Priority", "9"),
    "xmldsig_valid": _xmldsig("valid"),
    "xmldsig_broken": _xmldsig("broken"),
    "xmldsig_placeholder": _xmldsig("placeholder"),
}


def variant(name: str, xml: bytes) -> bytes:
    """``xml`` transformed by the named variant (``ValueError`` for an unknown name)."""
    fn = VARIANTS.get(name)
    if fn is None:
        raise ValueError(f"biến thể gói tin không biết: {name} (có: {', '.join(VARIANTS)})")
    return fn(xml)
