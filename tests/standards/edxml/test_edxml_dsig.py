"""Package XML-DSig (edxml.md §7, OQ-19): sign/verify round trip, tamper detection, never a crash."""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from conformance.standards.edxml import model as m
from conformance.standards.edxml.build import build_package, write_package
from conformance.standards.edxml.dsig import C14N, DSIG_NS, EXC_C14N, RSA_SHA1, sign_package
from conformance.standards.edxml.parse import parse
from conformance.standards.edxml.validate import ValidationOptions, validate_package

KeyCert = tuple[rsa.RSAPrivateKey, x509.Certificate]
OPTIONS = ValidationOptions(today=dt.date(2026, 1, 1))
SIG = "/edXML:edXML/edXML:edXMLEnvelope/edXML:edXMLHeader/ds:Signature"


def verify(data: bytes, options: ValidationOptions = OPTIONS) -> tuple[bool, tuple[str, ...]]:
    report = validate_package(data, options=options)
    verified = bool(report.signature and report.signature.get("verified"))
    return verified, tuple(p.code for p in report.problems if p.code.startswith("dsig."))


@pytest.mark.parametrize("c14n", [C14N, EXC_C14N])
def test_round_trip_rsa_sha256(edoc: m.DocumentPackage, key_cert: KeyCert, c14n: str) -> None:
    key, cert = key_cert
    signed = sign_package(build_package(edoc), key, cert, canonicalization=c14n)
    report = validate_package(signed, options=OPTIONS)
    assert report.problems == ()
    assert report.signature is not None and report.signature["verified"] is True
    assert report.signature["signature_method"].endswith("rsa-sha256")
    root = etree.fromstring(signed)
    sig = root.find(f".//{{{DSIG_NS}}}Signature")
    assert sig is not None and sig.getparent().tag.endswith("edXMLHeader")
    assert sig.find(f".//{{{DSIG_NS}}}Reference").get("URI") == ""
    # re-signing replaces the signature instead of adding one
    again = sign_package(signed, key, cert)
    assert again.count(b"<Signature ") == 1 and verify(again) == (True, ())


def test_status_package_and_rsa_sha1(status03: m.StatusPackage, key_cert: KeyCert) -> None:
    key, cert = key_cert
    assert verify(sign_package(build_package(status03), key, cert)) == (True, ())
    assert verify(sign_package(build_package(status03), key, cert, algorithm=RSA_SHA1)) == (
        True,
        ("dsig.sha1",),
    )


def _text_positions(signed: bytes) -> list[int]:
    """Byte offsets of one ASCII letter or digit in every signed text node (outside the Signature)."""
    sig_start, sig_end = signed.index(b"<Signature "), signed.index(b"</Signature>")
    out = []
    for mt in re.finditer(rb">([^<>]+)<", signed):
        start = mt.start(1)
        if sig_start <= start < sig_end:
            continue
        for i in range(start, mt.end(1)):
            if chr(signed[i]).isalnum():
                out.append(i)
                break
    return out


def test_any_changed_byte_of_signed_content_is_detected(edoc: m.DocumentPackage, key_cert: KeyCert) -> None:
    key, cert = key_cert
    signed = sign_package(build_package(edoc), key, cert)
    positions = _text_positions(signed)
    assert len(positions) > 40  # every text node of header, trace list, manifest and attachments
    for pos in positions:
        changed = bytearray(signed)
        changed[pos] = ord("Q") if changed[pos] != ord("Q") else ord("R")
        verified, codes = verify(bytes(changed))
        assert not verified and "dsig.digest" in codes, signed[pos - 20 : pos + 20]
    assert verify(signed.replace(b'version="1.0">', b'version="1.1">', 1))[0] is False  # attribute value
    # a comment is not signed content (Reference URI="" excludes comments) ...
    assert verify(signed.replace(b"</edXML:To>", "</edXML:To><!-- ghi chú -->".encode(), 1)) == (True, ())
    # ... but whitespace text between elements is
    assert verify(signed.replace(b"</edXML:To>", b"</edXML:To> ", 1))[0] is False


def test_signature_value_and_key_tampering(edoc: m.DocumentPackage, key_cert: KeyCert) -> None:
    key, cert = key_cert
    signed = sign_package(build_package(edoc), key, cert)
    value = re.search(rb"<SignatureValue>([^<]+)</SignatureValue>", signed)
    assert value is not None
    raw = bytearray(base64.b64decode(value.group(1)))
    raw[10] ^= 1
    bad_value = signed.replace(value.group(1), base64.b64encode(bytes(raw)))
    assert verify(bad_value) == (False, ("dsig.signature",))
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert verify(sign_package(build_package(edoc), other, cert)) == (False, ("dsig.signature",))
    moved = signed.replace(
        b'Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>',
        b'Algorithm="http://www.w3.org/2001/04/xmlenc#sha256" />',
    )
    assert verify(moved) == (True, ())  # same canonical SignedInfo
    strict = ValidationOptions(today=dt.date(2026, 1, 1), package_signature_required=True)
    report = validate_package(bad_value, options=strict)
    assert not report.ok and report.errors[0].code == "dsig.signature" and report.errors[0].xpath == SIG


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (lambda s: re.sub(rb"<SignedInfo>.*</SignedInfo>", b"", s, flags=re.S), "dsig.structure"),
        (lambda s: s.replace(b"REC-xml-c14n-20010315", b"xml-c14n11"), "dsig.algorithm"),
        (lambda s: s.replace(b'URI=""', b'URI="#doc"'), "dsig.algorithm dsig.signature"),
        (lambda s: s.replace(b"xmldsig-more#rsa-sha256", b"xmldsig-more#ecdsa-sha256"), "dsig.algorithm"),
        (lambda s: re.sub(rb"<SignatureValue>[^<]*<", b"<SignatureValue>***<", s), "dsig.placeholder"),
        (lambda s: re.sub(rb"<X509Certificate>[^<]*<", b"<X509Certificate>TUlJ<", s), "dsig.placeholder"),
        (lambda s: re.sub(rb"<KeyInfo>.*</KeyInfo>", b"", s, flags=re.S), "dsig.placeholder"),
        (lambda s: re.sub(rb"<DigestValue>[^<]*<", b"<DigestValue><", s), "dsig.placeholder"),
    ],
)
def test_broken_signature_blocks(edoc: m.DocumentPackage, key_cert: KeyCert, edit, code: str) -> None:  # type: ignore[no-untyped-def]
    key, cert = key_cert
    signed = sign_package(build_package(edoc), key, cert)
    report = validate_package(edit(signed), options=OPTIONS)
    assert report.ok  # OQ-19: warnings unless the profile requires a signature
    assert [p.code for p in report.problems] == code.split()  # an edited SignedInfo also breaks the value
    assert {p.xpath for p in report.problems} == {SIG}


def test_garbage_signatures_never_crash(edoc: m.DocumentPackage) -> None:
    base = build_package(edoc)
    header_end = b"</edXML:TraceHeaderList>"
    blocks = [
        f'<Signature xmlns="{DSIG_NS}"/>',
        f'<Signature xmlns="{DSIG_NS}"><SignedInfo/><SignatureValue/></Signature>',
        f'<Signature xmlns="{DSIG_NS}"><SignedInfo><CanonicalizationMethod/><SignatureMethod/><Reference/>'
        "</SignedInfo><SignatureValue>AAAA</SignatureValue><KeyInfo><KeyValue><RSAKeyValue><Modulus>AQ==</Modulus>"
        "<Exponent>AQAB</Exponent></RSAKeyValue></KeyValue></KeyInfo></Signature>",
        f'<Signature xmlns="{DSIG_NS}"><SignedInfo>{"<Reference/>" * 3}</SignedInfo>'
        "ü<SignatureValue>é</SignatureValue></Signature>",
        "<Signature><SignedInfo/></Signature>",
    ]
    for block in blocks:
        report = validate_package(base.replace(header_end, header_end + block.encode(), 1), options=OPTIONS)
        assert report.readable and report.ok, report.problems
        assert any(p.code.startswith("dsig.") for p in report.problems)


def test_rsa_key_value_instead_of_certificate(edoc: m.DocumentPackage, key_cert: KeyCert) -> None:
    key, cert = key_cert
    signed = sign_package(build_package(edoc), key, cert)
    numbers = key.public_key().public_numbers()

    def b64int(n: int) -> str:
        return base64.b64encode(n.to_bytes((n.bit_length() + 7) // 8, "big")).decode()

    key_value = (
        f"<KeyInfo><KeyValue><RSAKeyValue><Modulus>{b64int(numbers.n)}</Modulus>"
        f"<Exponent>{b64int(numbers.e)}</Exponent></RSAKeyValue></KeyValue></KeyInfo>"
    ).encode()
    replaced = re.sub(rb"<KeyInfo>.*</KeyInfo>", key_value, signed, flags=re.S)
    assert verify(replaced) == (True, ())


def test_large_attachment_is_signed_and_verified_by_streaming(
    tmp_path: Path, edoc: m.DocumentPackage, key_cert: KeyCert
) -> None:
    key, cert = key_cert
    payload = tmp_path / "big.pdf"
    payload.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * (12 * 1024))  # 3 MiB, crosses read chunks
    edoc.attachments[0].data, edoc.attachments[0].path = None, payload
    with (tmp_path / "p.edxml").open("wb") as fh:
        write_package(edoc, fh)
    signed = sign_package((tmp_path / "p.edxml").read_bytes(), key, cert)
    assert verify(signed) == (True, ())
    assert parse(signed).records[0].size == payload.stat().st_size
    tail = signed.rindex(b"</edXML:ContentTransferEncoded>") - 200
    changed = signed[:tail] + (b"B" if signed[tail : tail + 1] != b"B" else b"C") + signed[tail + 1 :]
    assert verify(changed) == (False, ("dsig.digest",))
