"""Personal vs organisation: the documented rule (policy → UID → title → CN = O → unknown)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from conformance.standards.pdfsig import identify_signer, load_certificates
from conformance.standards.pdfsig.signer import TEST_POLICY_ORGANISATION, TEST_POLICY_PERSONAL

PKI = Path(__file__).resolve().parents[3] / "fixtures" / "pki"
KEY = ec.generate_private_key(ec.SECP256R1())


def _cert(attrs: list[tuple[x509.ObjectIdentifier, str]], policy: str | None = None) -> asn1_x509.Certificate:
    name = x509.Name([x509.NameAttribute(oid, value) for oid, value in attrs])
    b = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(KEY.public_key())
        .serial_number(7)
        .not_valid_before(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    )
    if policy:
        b = b.add_extension(
            x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier(policy), None)]),
            critical=False,
        )
    der = b.sign(KEY, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(der)


def _fixture(stem: str) -> asn1_x509.Certificate:
    return load_certificates([PKI / f"{stem}.cert.pem"])[0]


@pytest.mark.parametrize(
    ("stem", "kind"),
    [
        ("personal", "personal"),
        ("organisation", "organisation"),
        ("evaluator", "personal"),
        ("revoked", "personal"),
    ],
)
def test_test_ca_certificates_by_policy(stem: str, kind: str) -> None:
    who = identify_signer(_fixture(stem))
    assert (who.kind, who.kind_basis) == (kind, "policy")


def test_fixture_subject_fields_are_vietnamese_nfc() -> None:
    who = identify_signer(_fixture("evaluator"))
    assert who.common_name == "Trần Thị Bình"
    assert who.title == "Chuyên viên thẩm định"
    assert who.organisation == "Sở Khoa học và Công nghệ tỉnh Quảng Ninh"
    assert who.organisational_unit == "Phòng Quản lý công nghệ"
    assert who.uid == "CCCD:022000000002"
    assert TEST_POLICY_PERSONAL in who.policies


def test_without_known_policies_the_uid_prefix_decides() -> None:
    for stem, kind in (("personal", "personal"), ("organisation", "organisation")):
        who = identify_signer(_fixture(stem), personal_policies=(), organisation_policies=())
        assert (who.kind, who.kind_basis) == (kind, "uid")


def test_policy_wins_over_uid() -> None:
    cert = _cert(
        [(NameOID.COMMON_NAME, "Nguyễn Văn An"), (NameOID.USER_ID, "CCCD:1")], TEST_POLICY_ORGANISATION
    )
    assert identify_signer(cert).kind == "organisation"


@pytest.mark.parametrize(
    ("attrs", "kind", "basis"),
    [
        ([(NameOID.COMMON_NAME, "Nguyễn Văn An"), (NameOID.USER_ID, "CMND:123456789")], "personal", "uid"),
        ([(NameOID.COMMON_NAME, "Bộ Nội vụ"), (NameOID.USER_ID, "MNS:1234567")], "organisation", "uid"),
        ([(NameOID.COMMON_NAME, "Lê Thị Hoa"), (NameOID.TITLE, "Giám đốc")], "personal", "title"),
        ([(NameOID.COMMON_NAME, "Lê Thị Hoa"), (NameOID.SURNAME, "Lê")], "personal", "title"),
        (
            [
                (NameOID.COMMON_NAME, "Sở Nội vụ tỉnh Quảng Ninh"),
                (NameOID.ORGANIZATION_NAME, "SỞ NỘI VỤ TỈNH QUẢNG NINH"),
            ],
            "organisation",
            "cn=o",
        ),
        ([(NameOID.COMMON_NAME, "Ai đó"), (NameOID.ORGANIZATION_NAME, "Cơ quan X")], "unknown", "none"),
    ],
)
def test_fallback_rules(attrs: list[tuple[x509.ObjectIdentifier, str]], kind: str, basis: str) -> None:
    who = identify_signer(_cert(attrs))
    assert (who.kind, who.kind_basis) == (kind, basis)


def test_caller_policies_extend_the_rule() -> None:
    cert = _cert([(NameOID.COMMON_NAME, "Văn phòng Chính phủ")], "1.2.3.4.5")
    assert identify_signer(cert).kind == "unknown"
    assert identify_signer(cert, organisation_policies=("1.2.3.4.5",)).kind == "organisation"
