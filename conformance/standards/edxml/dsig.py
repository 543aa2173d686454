"""Package-level XML-DSig (edxml.md §7): verify an enveloped signature, and sign with RSA-SHA256.

Why: OQ-19 makes the header signature optional but says "verify if present", accept RSA-SHA1 and
sign with RSA-SHA256; an absent or placeholder signature (every SDK sample carries the same
placeholder, §15 #4) must never crash. The document digest covers the whole package including the
attachments, so it is computed in streaming fashion: lxml canonicalises the small tree (attachment
content replaced by markers) and the content is re-read from the source (``Parsed.canonical``).
Trust in the certificate is out of scope here: the legal signatures are the PDF ones (§8.2, OQ-09);
this module checks integrity against the key in ``KeyInfo``.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

from .names import DSIG_NS, NS, local_name, namespace_of
from .parse import Limits, Parsed, child, parse

__all__ = [
    "C14N",
    "C14N_WITH_COMMENTS",
    "DIGEST_SHA1",
    "DIGEST_SHA256",
    "ENVELOPED",
    "EXC_C14N",
    "RSA_SHA1",
    "RSA_SHA256",
    "SignatureCheck",
    "sign_package",
    "verify_signature",
]

# W3C XML-DSig / XML-Enc algorithm identifiers (edxml.md §7 sample values and OQ-19)
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
C14N_WITH_COMMENTS = C14N + "#WithComments"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
EXC_C14N_WITH_COMMENTS = EXC_C14N + "WithComments"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
RSA_SHA512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
DIGEST_SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"
DIGEST_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
DIGEST_SHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"

# canonicalisation URI → (exclusive, with_comments)
_C14N: dict[str, tuple[bool, bool]] = {
    C14N: (False, False),
    C14N_WITH_COMMENTS: (False, True),
    EXC_C14N: (True, False),
    EXC_C14N_WITH_COMMENTS: (True, True),
}
_SIGNATURE: dict[str, type[hashes.HashAlgorithm]] = {
    RSA_SHA1: hashes.SHA1,
    RSA_SHA256: hashes.SHA256,
    RSA_SHA512: hashes.SHA512,
}
_DIGEST: dict[str, str] = {DIGEST_SHA1: "sha1", DIGEST_SHA256: "sha256", DIGEST_SHA512: "sha512"}
_WS = re.compile(r"\s+")


@dataclass
class SignatureCheck:
    """Outcome of verifying one Signature: findings as (code, vi, en) and a JSON-ready summary."""

    findings: list[tuple[str, str, str]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    def add(self, code: str, vi: str, en: str) -> None:
        self.findings.append((code, vi, en))


def _ds(elem: Any, name: str) -> Any | None:
    for c in elem:
        if local_name(c.tag) == name and namespace_of(c.tag) == DSIG_NS:
            return c
    return None


def _ds_all(elem: Any, name: str) -> list[Any]:
    return [c for c in elem if local_name(c.tag) == name and namespace_of(c.tag) == DSIG_NS]


def _b64(text: str | None) -> bytes | None:
    """Strict base64 of an XML-DSig value (whitespace allowed), or None."""
    if not text or not text.strip():
        return None
    try:
        return binascii.a2b_base64(_WS.sub("", text).encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError):
        return None


@contextlib.contextmanager
def _detached(sig: Any) -> Iterator[None]:
    """Enveloped-signature transform: take ``sig`` out of the tree (its tail text stays) and put it back."""
    parent = sig.getparent()
    idx = parent.index(sig)
    tail = sig.tail
    prev = sig.getprevious()
    if prev is not None:
        old = prev.tail
        prev.tail = (old or "") + (tail or "") or None
    else:
        old = parent.text
        parent.text = (old or "") + (tail or "") or None
    parent.remove(sig)
    try:
        yield
    finally:
        if prev is not None:
            prev.tail = old
        else:
            parent.text = old
        parent.insert(idx, sig)
        sig.tail = tail


def _document_digest(parsed: Parsed, sig: Any, algorithm: str, exclusive: bool) -> bytes:
    """Digest of the document without ``sig`` and without comments (Reference URI="")."""
    h = hashlib.new(algorithm)
    with _detached(sig):
        for chunk in parsed.canonical(exclusive=exclusive, with_comments=False):
            h.update(chunk)
    return h.digest()


def _public_key(key_info: Any | None, check: SignatureCheck) -> rsa.RSAPublicKey | None:
    if key_info is None:
        return None
    x509_data = _ds(key_info, "X509Data")
    if x509_data is not None:
        der = _b64(getattr(_ds(x509_data, "X509Certificate"), "text", None))
        if der is not None:
            try:
                cert = x509.load_der_x509_certificate(der)
            except ValueError:
                return None
            check.summary["subject"] = cert.subject.rfc4514_string()
            key = cert.public_key()
            return key if isinstance(key, rsa.RSAPublicKey) else None
    key_value = _ds(key_info, "KeyValue")
    rsa_value = _ds(key_value, "RSAKeyValue") if key_value is not None else None
    if rsa_value is not None:
        mod = _b64(getattr(_ds(rsa_value, "Modulus"), "text", None))
        exp = _b64(getattr(_ds(rsa_value, "Exponent"), "text", None))
        if mod and exp:
            try:
                return rsa.RSAPublicNumbers(
                    int.from_bytes(exp, "big"), int.from_bytes(mod, "big")
                ).public_key()
            except ValueError:
                return None
    return None


def verify_signature(parsed: Parsed, sig: Any) -> SignatureCheck:
    """Verify the enveloped XML-DSig ``sig`` of ``parsed``; never raises on bad input (OQ-19)."""
    check = SignatureCheck(summary={"present": True, "verified": False})
    if namespace_of(sig.tag) != DSIG_NS:
        check.add(
            "dsig.namespace",
            f"Signature thuộc namespace {namespace_of(sig.tag) or '(không có)'!r}, không kiểm tra được",
            f"Signature in namespace {namespace_of(sig.tag) or '(none)'!r}; cannot be verified",
        )
        return check
    si, sv = _ds(sig, "SignedInfo"), _ds(sig, "SignatureValue")
    cm = _ds(si, "CanonicalizationMethod") if si is not None else None
    sm = _ds(si, "SignatureMethod") if si is not None else None
    refs = _ds_all(si, "Reference") if si is not None else []
    if si is None or sv is None or cm is None or sm is None or not refs:
        check.add(
            "dsig.structure",
            "Thiếu SignedInfo, SignatureValue, CanonicalizationMethod, SignatureMethod hoặc Reference",
            "SignedInfo, SignatureValue, CanonicalizationMethod, SignatureMethod or Reference missing",
        )
        return check
    c14n_alg, sig_alg = cm.get("Algorithm", ""), sm.get("Algorithm", "")
    check.summary.update(canonicalization=c14n_alg, signature_method=sig_alg)
    signature = _b64(sv.text)
    key = _public_key(_ds(sig, "KeyInfo"), check)
    reasons = []
    if signature is None:
        reasons.append("SignatureValue")
    if key is None:
        reasons.append("KeyInfo/X509Certificate")
    for ref in refs:
        if _b64(getattr(_ds(ref, "DigestValue"), "text", None)) is None:
            reasons.append("DigestValue")
    if reasons:
        check.summary["placeholder"] = True
        check.add(
            "dsig.placeholder",
            f"Chữ ký là giá trị giữ chỗ hoặc không đọc được ({', '.join(reasons)}); bỏ qua kiểm tra",
            f"placeholder or unreadable signature values ({', '.join(reasons)}); not verified",
        )
        return check
    assert key is not None and signature is not None
    if c14n_alg not in _C14N or sig_alg not in _SIGNATURE:
        check.add(
            "dsig.algorithm",
            f"Thuật toán không hỗ trợ: {c14n_alg!r} / {sig_alg!r}",
            f"unsupported algorithm {c14n_alg!r} / {sig_alg!r}",
        )
        return check
    sha1_seen = sig_alg == RSA_SHA1
    ok = True
    for ref in refs:
        uri = ref.get("URI")
        transforms = _ds(ref, "Transforms")
        algs = (
            [t.get("Algorithm", "") for t in _ds_all(transforms, "Transform")]
            if transforms is not None
            else []
        )
        dm = _ds(ref, "DigestMethod")
        digest_alg = dm.get("Algorithm", "") if dm is not None else ""
        check.summary["digest_method"] = digest_alg
        unsupported = [a for a in algs if a != ENVELOPED and a not in _C14N]
        if uri not in ("", None) or unsupported or digest_alg not in _DIGEST or ENVELOPED not in algs:
            check.add(
                "dsig.algorithm",
                f"Reference không hỗ trợ (URI={uri!r}, transforms={algs}, digest={digest_alg!r})",
                f"unsupported Reference (URI={uri!r}, transforms={algs}, digest={digest_alg!r}); "
                "only enveloped whole-document references are verified",
            )
            ok = False
            continue
        sha1_seen = sha1_seen or digest_alg == DIGEST_SHA1
        c14n_transforms = [a for a in algs if a in _C14N]
        exclusive = _C14N[c14n_transforms[-1]][0] if c14n_transforms else False
        expected = _b64(_ds(ref, "DigestValue").text)
        actual = _document_digest(parsed, sig, _DIGEST[digest_alg], exclusive)
        if actual != expected:
            ok = False
            check.add(
                "dsig.digest",
                "Giá trị băm của tài liệu không khớp DigestValue (nội dung đã bị thay đổi)",
                "document digest differs from DigestValue (content changed after signing)",
            )
    if sha1_seen:
        check.add(
            "dsig.sha1", "Chữ ký dùng SHA-1: lỗi thời, vẫn chấp nhận", "SHA-1 in use: obsolete, accepted"
        )
    exclusive, with_comments = _C14N[c14n_alg]
    signed = etree.tostring(si, method="c14n", exclusive=exclusive, with_comments=with_comments)
    try:
        key.verify(signature, signed, padding.PKCS1v15(), _SIGNATURE[sig_alg]())
    except (InvalidSignature, UnsupportedAlgorithm, ValueError):
        ok = False
        check.add(
            "dsig.signature",
            "SignatureValue không khớp SignedInfo với khoá công khai trong KeyInfo",
            "SignatureValue does not verify over SignedInfo with the KeyInfo key",
        )
    check.summary["verified"] = ok
    return check


def _sub(parent: Any, name: str, text: str | None = None, **attrs: str) -> Any:
    el = etree.SubElement(parent, f"{{{DSIG_NS}}}{name}", attrs)
    el.text = text
    return el


def _indent(elem: Any, level: int) -> None:
    pad = "\n" + "  " * level
    if len(elem):
        elem.text = pad + "  "
        for c in elem:
            _indent(c, level + 1)
            c.tail = pad + "  "
        elem[-1].tail = pad


def sign_package(
    xml_bytes: bytes,
    key: rsa.RSAPrivateKey,
    cert: x509.Certificate,
    *,
    algorithm: str = RSA_SHA256,
    canonicalization: str = C14N,
    limits: Limits | None = None,
) -> bytes:
    """Return ``xml_bytes`` with an enveloped XML-DSig in ``edXMLHeader`` (edxml.md §2, §7).

    Reference ``URI=""`` with the enveloped-signature transform, so every byte of signed content is
    covered, attachments included. RSA-SHA256 with SHA-256 digest by default (OQ-19); ``RSA_SHA1``
    selects RSA-SHA1 with SHA-1 (for tolerance fixtures only). An existing Signature is replaced.
    Raises ``ValueError`` for a package without ``edXMLHeader`` and ``Refused`` for unreadable input.
    """
    if algorithm not in _SIGNATURE:
        raise ValueError(f"unsupported signature algorithm {algorithm!r}")
    if canonicalization not in _C14N:
        raise ValueError(f"unsupported canonicalization {canonicalization!r}")
    digest_uri = (
        DIGEST_SHA1 if algorithm == RSA_SHA1 else DIGEST_SHA512 if algorithm == RSA_SHA512 else DIGEST_SHA256
    )
    parsed = parse(xml_bytes, limits=limits)
    try:
        header = child(parsed.root, "edXMLEnvelope/edXMLHeader")
        if header is None:
            raise ValueError("no edXMLEnvelope/edXMLHeader to hold the Signature")
        for old in [c for c in header if local_name(c.tag) == "Signature"]:
            header.remove(old)
        last = header[-1] if len(header) else None
        sig = etree.SubElement(header, f"{{{DSIG_NS}}}Signature", nsmap={None: DSIG_NS})
        si = _sub(sig, "SignedInfo")
        _sub(si, "CanonicalizationMethod", Algorithm=canonicalization)
        _sub(si, "SignatureMethod", Algorithm=algorithm)
        ref = _sub(si, "Reference", URI="")
        transforms = _sub(ref, "Transforms")
        _sub(transforms, "Transform", Algorithm=ENVELOPED)
        _sub(ref, "DigestMethod", Algorithm=digest_uri)
        digest_value = _sub(ref, "DigestValue")
        sig_value = _sub(sig, "SignatureValue")
        x509_data = _sub(_sub(sig, "KeyInfo"), "X509Data")
        _sub(x509_data, "X509SubjectName", cert.subject.rfc4514_string())
        der = cert.public_bytes(serialization.Encoding.DER)
        _sub(x509_data, "X509Certificate", base64.b64encode(der).decode("ascii"))
        level = 3
        _indent(sig, level)
        if last is not None:
            sig.tail = last.tail
            last.tail = "\n" + "  " * level
        exclusive, with_comments = _C14N[canonicalization]
        digest_value.text = base64.b64encode(
            _document_digest(parsed, sig, _DIGEST[digest_uri], exclusive)
        ).decode("ascii")
        signed = etree.tostring(si, method="c14n", exclusive=exclusive, with_comments=with_comments)
        sig_value.text = base64.b64encode(
            key.sign(signed, padding.PKCS1v15(), _SIGNATURE[algorithm]())
        ).decode("ascii")
        out = etree.tostring(parsed.tree, encoding="UTF-8", xml_declaration=False)
        marker = re.compile(rb"<\?edxml-tap " + parsed.nonce.encode("ascii") + rb":([0-9]+)\?>")
        pieces = []
        pos = 0
        for hit in marker.finditer(out):
            pieces.append(out[pos : hit.start()])
            pieces.append(parsed.raw_content(parsed.records[int(hit.group(1))]))
            pos = hit.end()
        pieces.append(out[pos:])
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + b"".join(pieces) + b"\n"
    finally:
        parsed.source.close()


def find_signatures(root: Any) -> tuple[Any | None, list[Any]]:
    """(the Signature in edXMLHeader or None, Signatures elsewhere) — by local name, any namespace."""
    header = child(root, "edXMLEnvelope/edXMLHeader")
    in_header = None
    if header is not None:
        for c in header:
            if local_name(c.tag) == "Signature" and namespace_of(c.tag) in (DSIG_NS, NS, ""):
                in_header = c
                break
    elsewhere = [
        e
        for e in root.iter(f"{{{DSIG_NS}}}Signature")
        if e is not in_header and (header is None or e.getparent() is not header)
    ]
    return in_header, elsewhere
