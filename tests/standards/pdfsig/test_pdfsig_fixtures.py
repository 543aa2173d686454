"""The committed test PKI and the generator scripts: fixed names and dates, no silent regeneration."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ROOT = Path(__file__).resolve().parents[3]
PKI = ROOT / "fixtures" / "pki"
PASSWORD = b"qlvbdh-test-only"


def _load_script(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_script_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _cert(stem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate((PKI / f"{stem}.cert.pem").read_bytes())


def test_root_and_issuing_ca() -> None:
    root, issuing = _cert("root-ca"), _cert("issuing-ca")
    cn = root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert cn == "Test Root CA QLVBĐH (KHÔNG DÙNG THẬT)"
    assert issuing.issuer == root.subject
    assert root.not_valid_before_utc == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    assert root.not_valid_after_utc == dt.datetime(2045, 1, 1, tzinfo=dt.UTC)
    assert issuing.extensions.get_extension_for_class(x509.BasicConstraints).value.path_length == 0


@pytest.mark.parametrize("stem", ["personal", "organisation", "evaluator", "expired", "revoked", "untrusted"])
def test_signing_certificates_and_p12(stem: str) -> None:
    cert = _cert(stem)
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.digital_signature and ku.content_commitment and not ku.key_cert_sign
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36") in eku and ExtendedKeyUsageOID.EMAIL_PROTECTION in eku
    key, p12_cert, chain = pkcs12.load_key_and_certificates((PKI / f"{stem}.p12").read_bytes(), PASSWORD)
    assert key is not None and p12_cert == cert and chain


def test_expired_and_revoked() -> None:
    assert _cert("expired").not_valid_after_utc < dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    crl = x509.load_der_x509_crl((PKI / "issuing-ca.crl").read_bytes())
    assert crl.issuer == _cert("issuing-ca").subject
    assert crl.next_update_utc == dt.datetime(2045, 1, 1, tzinfo=dt.UTC)
    entry = crl.get_revoked_certificate_by_serial_number(_cert("revoked").serial_number)
    assert entry is not None and entry.revocation_date_utc == dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    assert crl.is_signature_valid(_cert("issuing-ca").public_key())
    root_crl = x509.load_der_x509_crl((PKI / "root-ca.crl").read_bytes())
    assert len(root_crl) == 0 and root_crl.is_signature_valid(_cert("root-ca").public_key())


def test_make_pki_builds_into_a_directory_and_refuses_to_overwrite(tmp_path: Path) -> None:
    make_pki = _load_script(PKI / "make_pki.py")
    assert make_pki.main(["--out", str(tmp_path)]) == 0
    first = (tmp_path / "personal.cert.pem").read_bytes()
    names = {p.name for p in tmp_path.iterdir()}
    assert {p.name for p in PKI.iterdir()} - {"make_pki.py", "README.md", "__pycache__"} == names
    assert make_pki.main(["--out", str(tmp_path)]) == 0  # without --force: untouched
    assert (tmp_path / "personal.cert.pem").read_bytes() == first
    fresh = x509.load_pem_x509_certificate(first)
    assert (
        fresh.subject == _cert("personal").subject and fresh.serial_number == _cert("personal").serial_number
    )


def test_make_pdfs_regenerates_the_same_findings(tmp_path: Path) -> None:
    """The generator reproduces every variant from the committed PKI (needs pyhanko[opentype], Noto)."""
    pytest.importorskip("uharfbuzz")
    make_pdfs = _load_script(ROOT / "fixtures" / "pdf" / "make_pdfs.py")
    if not any(p.exists() for p in make_pdfs.FONTS):
        pytest.skip("Noto Serif not installed (Debian fonts-noto-core)")
    from conformance.standards.pdfsig import check_report, verify_pdf

    roots, crls = [PKI / "root-ca.cert.pem"], [PKI / "root-ca.crl", PKI / "issuing-ca.crl"]
    assert make_pdfs.main(["--out", str(tmp_path)]) == 0
    committed = ROOT / "fixtures" / "pdf"
    for name in make_pdfs.VARIANTS:
        fresh = check_report(verify_pdf(tmp_path / name, roots, crls)).codes
        assert sorted(fresh) == sorted(check_report(verify_pdf(committed / name, roots, crls)).codes), name
